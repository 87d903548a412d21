//! Named actions: what a key does, independent of the key. Names are kebab-case and are
//! what the keymap file binds; descriptions for help come from the strings module.
//!
//! May use: serde. Must not use: `storage`, `ui`.

use serde::{Deserialize, Serialize};

/// Every bindable action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Quit Tandem (asks first when something is unsaved).
    Quit,
    /// Show or hide the help overlay.
    Help,
    /// Screen "Fälle".
    ScreenCases,
    /// Screen "Konferenzen".
    ScreenConferences,
    /// Screen "Kinderschutz".
    ScreenChildProtection,
    /// Screen "Kooperation".
    ScreenCooperation,
    /// Screen "Bereitschaft" (on-call).
    ScreenOnCall,
    /// Screen "Verwaltung" (staff administration; admins only).
    ScreenAdmin,
    /// Move up one row.
    Up,
    /// Move down one row.
    Down,
    /// One page up.
    PageUp,
    /// One page down.
    PageDown,
    /// To the first row.
    First,
    /// To the last row.
    Last,
    /// Open the selected case file.
    Open,
    /// Back to the previous view.
    Back,
    /// Create a new case.
    NewCase,
    /// Edit the case.
    Edit,
    /// Start typing a filter.
    Filter,
    /// Leave the filter field, keeping the filter.
    FilterDone,
    /// Clear the filter.
    ClearFilter,
    /// Sort by the next column.
    SortNext,
    /// Reverse the sort order.
    SortReverse,
    /// Switch between the own caseload and all cases of the agency.
    ToggleScope,
    /// Save the form.
    Save,
    /// Leave the form (asks first when something is unsaved).
    Cancel,
    /// Next form field.
    NextField,
    /// Previous form field.
    PrevField,
    /// Next value of a choice field.
    ChoiceNext,
    /// Previous value of a choice field.
    ChoicePrev,
    /// Tick or untick the highlighted option of a multi-choice field.
    Toggle,
    /// Show what would go to the partner agency and transfer it.
    Transfer,
    /// Record the revocation of the consent.
    RevokeConsent,
    /// Write a note.
    NewNote,
    /// Record a consent.
    NewConsent,
    /// Mark the note as entrusted (§ 65 SGB VIII).
    ToggleEntrusted,
    /// Answer "yes" in a question.
    Confirm,
    /// Answer "no" in a question.
    Deny,
    /// Choose the next step of a child-protection referral.
    StepMenu,
    /// Switch between referrals and anonymous consultations.
    ToggleConsults,
    /// Switch between the agenda and the week view.
    ToggleWeek,
    /// Plan a case conference for the open case.
    PlanConference,
    /// Set the state of an agreed measure of the open case.
    MeasureState,
    /// Add a staff member (administration).
    AdminNew,
    /// Edit the selected staff member (administration).
    AdminEdit,
    /// Deactivate the selected staff member.
    Deactivate,
    /// Reactivate the selected staff member.
    Reactivate,
    /// The SSH keys of the selected staff member.
    SshKeys,
    /// Switch between the staff list and the open grants.
    ToggleGrants,
    /// Confirm the selected grant (second admin).
    GrantConfirm,
    /// Refuse (withdraw) the selected grant.
    GrantRefuse,
    /// Add an SSH key.
    KeyAdd,
    /// Remove the selected SSH key.
    KeyRemove,
    /// Screen "Datenschutz" (the DSB's screen; role `dpo` only).
    ScreenDpo,
    /// The next section of the DSB's screen.
    DpoNext,
    /// The previous section of the DSB's screen.
    DpoPrev,
    /// Review the selected break-glass access (justified or not, with a comment).
    DpoReview,
    /// Release the planned deletion run (the DSB as second person).
    DpoRelease,
    /// Answer an access request (Art. 15 DSGVO): the export form of the DSB's screen.
    DpoExport,
    /// Restrict the open case, or lift its restriction (Art. 18 DSGVO).
    Restrict,
    /// Dispute a person field of the open case (Art. 16 DSGVO).
    Dispute,
    /// The case file's own records: add or change custody holders, children, agreements.
    Records,
    /// Acknowledge the first escalation waiting (deputy, lead).
    AckEscalation,
    /// Enter an on-call shift (the Jugendamt's lead, F6).
    RotaNew,
    /// The hand-over Jugendamt → Jobcenter of the open case.
    Handover,
    /// The information at benefit withdrawal: its steps in a case file, its list on F4.
    Withdrawal,
    /// Early help for young parents: its list on F4 (docs/early-help.md).
    EarlyHelp,
    /// Write a document of the open record as PDF (the consent declaration of a case file).
    Document,
    /// The next section of F5 Kooperation.
    CoopNext,
    /// The previous section of F5.
    CoopPrev,
    /// The next year on F5.
    YearNext,
    /// The previous year on F5.
    YearPrev,
    /// A new record in the section shown (F5).
    CoopNew,
    /// The next step of the selected record (F5: held, minutes approved, pledge, done…).
    CoopStep,
    /// A new decision of the year's plenary (F5).
    CoopDecision,
    /// The yearly report's figures as the first items of the year's plenary agenda (F5).
    CoopAgenda,
}

impl Action {
    /// All actions, in help order.
    pub const ALL: [Action; 76] = [
        Action::Quit,
        Action::Help,
        Action::ScreenCases,
        Action::ScreenConferences,
        Action::ScreenChildProtection,
        Action::ScreenCooperation,
        Action::ScreenOnCall,
        Action::ScreenAdmin,
        Action::ScreenDpo,
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::First,
        Action::Last,
        Action::Open,
        Action::Back,
        Action::NewCase,
        Action::Edit,
        Action::Filter,
        Action::FilterDone,
        Action::ClearFilter,
        Action::SortNext,
        Action::SortReverse,
        Action::ToggleScope,
        Action::Save,
        Action::Cancel,
        Action::NextField,
        Action::PrevField,
        Action::ChoiceNext,
        Action::ChoicePrev,
        Action::Toggle,
        Action::Transfer,
        Action::RevokeConsent,
        Action::NewNote,
        Action::NewConsent,
        Action::ToggleEntrusted,
        Action::Confirm,
        Action::Deny,
        Action::StepMenu,
        Action::ToggleConsults,
        Action::ToggleWeek,
        Action::PlanConference,
        Action::MeasureState,
        Action::AdminNew,
        Action::AdminEdit,
        Action::Deactivate,
        Action::Reactivate,
        Action::SshKeys,
        Action::ToggleGrants,
        Action::GrantConfirm,
        Action::GrantRefuse,
        Action::KeyAdd,
        Action::KeyRemove,
        Action::DpoNext,
        Action::DpoPrev,
        Action::DpoReview,
        Action::DpoRelease,
        Action::DpoExport,
        Action::Restrict,
        Action::Dispute,
        Action::Records,
        Action::AckEscalation,
        Action::RotaNew,
        Action::Handover,
        Action::Withdrawal,
        Action::EarlyHelp,
        Action::Document,
        Action::CoopNext,
        Action::CoopPrev,
        Action::YearNext,
        Action::YearPrev,
        Action::CoopNew,
        Action::CoopStep,
        Action::CoopDecision,
        Action::CoopAgenda,
    ];

    /// The kebab-case name used in keymap files.
    pub fn name(self) -> String {
        toml::Value::try_from(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// Parses a kebab-case name.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }
}
