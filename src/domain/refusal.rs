//! Why the store refuses a write, a step, a transfer or a grant: one enum for all of them.
//!
//! Each reason has a German and an English text in the string tables (`Strings::refused`,
//! an exhaustive match, so a reason without a text does not compile) and a stable code.
//! The code is what audit rows and log lines carry (docs/access.md A7, docs/audit.md); it
//! never contains personal data. Two reasons may share a code where the rule is the same
//! but the screens explain it differently (a referral's or a conference's wrong state).

use super::Field;

/// Why the store refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    // Writes of case data (docs/access.md A7).
    /// A person field the other agency owns was filled or changed.
    PartnerField(Field),
    /// The other agency's caseworker was set or removed.
    PartnerAssignment,
    /// The Fallführung was changed by the agency that does not hold it.
    LeadChange,
    /// A case created by someone who is no caseworker (a lead, the administrator, the DSB;
    /// docs/access.md A7).
    CaseCreate,

    // Transfers, break-glass grants and the administration of absences and deputies
    // (docs/access.md, docs/domain.md).
    /// No field to transfer, or a field the sending agency does not own.
    TransferFields,
    /// The Jugendamt did not confirm the check under § 64 Abs. 2 SGB VIII.
    TransferCheck642,
    /// The consent named as the basis does not exist on the case.
    TransferConsent,
    /// The consent does not cover a transferred field for the receiving agency.
    TransferNotCovered,
    /// A transfer on a statutory basis without a justification.
    TransferJustification,
    /// Break-glass with the reason "other" but no text.
    BreakGlassReasonText,
    /// A deputy of the other agency.
    DeputyAgency,
    /// An absence that ends before it starts.
    AbsenceOrder,

    // Steps of a child-protection referral.
    /// The same person tried both halves of a four-eyes step.
    SamePerson,
    /// The person lacks the role or function for the step.
    NotQualified,
    /// The referral is not in a state that allows the step.
    ReferralWrongState,
    /// Feedback was requested and is still open.
    FeedbackOpen,
    /// Nothing waits for a second signature.
    NoPending,
    /// Another four-eyes step already waits.
    Pending,
    /// Closing at triage needs "keine gewichtigen Anhaltspunkte".
    NotNoIndicators,
    /// Only the reporter may add to a referral.
    NotReporter,
    /// The linked case does not exist or is not visible.
    NoCase,
    /// An "akut" referral without the advance phone call to the Jugendamt (time and
    /// person), or without a child (docs/domain.md 4.5, "Mitteilung senden").
    ReferralIncomplete,

    // Steps of a case conference.
    /// The consent does not cover every participant and topic, and the conference is not
    /// flagged "Nur anonymisiert".
    ConferenceNotCovered,
    /// The action does not fit the conference's state.
    ConferenceWrongState,
    /// The person may not change this conference.
    NotAllowed,
    /// A date is needed.
    DateNeeded,
    /// A reason is needed.
    ReasonNeeded,
    /// The conference is not due yet.
    NotYet,
    /// The minutes need a second approval from a participant of the other agency.
    SecondApproval,
    /// A decision lacks text, responsible person or due date.
    DecisionIncomplete,
    /// A date outside the years the date input accepts, or one no calendar file can hold
    /// (an end after the year 9999).
    DateOutOfRange,
    /// Someone booked one of the people or the room meanwhile: a clash the planning form
    /// did not show (docs/domain.md 4.2).
    Clash,

    // Staff administration (docs/access.md A11).
    /// Only an active `admin` manages staff.
    NotAdmin,
    /// The staff member belongs to the other Stelle, whose own admins manage them.
    OtherAgency,
    /// A role or function the person's Stelle does not have (`jc_u25` in the Jugendamt,
    /// InsoFa in the Jobcenter, …).
    RoleAgency,
    /// A staff member without any role.
    NoRole,
    /// An admin tried to deactivate themselves or to change their own roles.
    OwnAccount,
    /// The change would leave the Stelle without an active admin.
    LastAdmin,
    /// The login belongs to someone else already.
    LoginTaken,
    /// A login outside `[a-z0-9._-]`, 1 to 64 characters, starting with a letter or digit
    /// (it ends up in the forced command of an SSH key line).
    LoginInvalid,
    /// Surname or given name empty.
    NameNeeded,
    /// The requester (or the person concerned) tried to confirm a four-eyes role grant.
    GrantSelf,

    // Restriction and disputed fields (Art. 16, 18 DSGVO; docs/access.md A12).
    /// The case is restricted ("gesperrt"): nobody writes it, not even its lead.
    Restricted,
    /// Lifting a restriction that is not there.
    NotRestricted,
    /// Restricting a case that is restricted already.
    AlreadyRestricted,
    /// Only a lead or the DSB of the owning Stelle restricts a case or lifts it.
    RestrictNotAllowed,
    /// A field that cannot be disputed (not a person field), or one the actor's Stelle
    /// does not keep.
    DisputeField,
    /// The field is disputed already (one open dispute per field).
    DisputeOpen,
    /// No open dispute of this field to resolve.
    DisputeClosed,
    /// The statement of a dispute is longer than 1000 characters.
    StatementTooLong,
    // Data protection (docs/subject-access.md).
    /// An access-request export where four eyes are configured, without a request of this
    /// DSB for this person that a second person released.
    ExportNotReleased,

    // The data-protection officer's screen (docs/access.md A13).
    /// The DSB's screen and its reads are for an active `dpo` of the Stelle (the
    /// break-glass review also for its `lead`).
    NotDpo,
    /// A review comment longer than 500 characters.
    CommentTooLong,
    /// A draft value longer than any field may be (docs/data-exits.md § 5).
    DraftTooLong,

    // Early help (docs/early-help.md).
    /// The step does not fit the contact request's state (a revoked one only closes).
    EarlyHelpWrongState,
    /// A consent for early help that does not list the parent's name and contact.
    EarlyHelpContact,
    /// A talk without a concern.
    EarlyHelpConcern,
    /// No child, or more than a request holds.
    EarlyHelpChildren,
    /// An entry longer than its field.
    EarlyHelpTooLong,
    /// The requester has an unsent referral draft already (one per person).
    EarlyHelpDraftExists,
    /// "Hilfe angenommen" without the kind of help.
    EarlyHelpHelpKind,

    // The cooperation (docs/cooperation.md).
    /// A plenary, its decisions or the agreement changed by someone who is no lead.
    NotLead,
    /// A hospitation set to "Durchgeführt" (or later) without the confidentiality pledge.
    PledgeMissing,
    /// A step that the record's state does not allow.
    CoopWrongState,
    /// A value of a cooperation form out of range (a year, a duration, a day count).
    CoopInvalid,

    // Switched off at this site.
    /// A function behind a feature flag that is off (the information at benefit
    /// withdrawal, docs/casework.md § 9).
    FeatureOff,
}

impl Refusal {
    /// The code of audit rows and log lines.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::PartnerField(_) => "partner_field",
            Refusal::PartnerAssignment => "partner_assignment",
            Refusal::LeadChange => "lead_change",
            Refusal::CaseCreate => "case_create",
            Refusal::TransferFields => "fields",
            Refusal::TransferCheck642 => "check_64_2",
            Refusal::TransferConsent => "consent",
            Refusal::TransferNotCovered | Refusal::ConferenceNotCovered => "not_covered",
            Refusal::TransferJustification => "justification",
            Refusal::BreakGlassReasonText => "reason_text",
            Refusal::DeputyAgency => "deputy_agency",
            Refusal::AbsenceOrder => "absence_order",
            Refusal::SamePerson | Refusal::GrantSelf => "same_person",
            Refusal::NotQualified => "not_qualified",
            Refusal::ReferralWrongState | Refusal::ConferenceWrongState => "wrong_state",
            Refusal::FeedbackOpen => "feedback_open",
            Refusal::NoPending => "no_pending",
            Refusal::Pending => "pending",
            Refusal::NotNoIndicators => "not_no_indicators",
            Refusal::NotReporter => "not_reporter",
            Refusal::NoCase => "no_case",
            Refusal::ReferralIncomplete => "incomplete",
            Refusal::NotAllowed => "not_allowed",
            Refusal::DateNeeded => "date_needed",
            Refusal::ReasonNeeded => "reason_needed",
            Refusal::NotYet => "not_yet",
            Refusal::SecondApproval => "second_approval",
            Refusal::DecisionIncomplete => "decision_incomplete",
            Refusal::DateOutOfRange => "date_out_of_range",
            Refusal::Clash => "clash",
            Refusal::NotAdmin => "not_admin",
            Refusal::OtherAgency => "other_agency",
            Refusal::RoleAgency => "role_agency",
            Refusal::NoRole => "no_role",
            Refusal::OwnAccount => "own_account",
            Refusal::LastAdmin => "last_admin",
            Refusal::LoginTaken => "login_taken",
            Refusal::LoginInvalid => "login_invalid",
            Refusal::NameNeeded => "name_needed",
            Refusal::Restricted => "restricted",
            Refusal::NotRestricted => "not_restricted",
            Refusal::AlreadyRestricted => "already_restricted",
            Refusal::RestrictNotAllowed => "restrict_not_allowed",
            Refusal::DisputeField => "dispute_field",
            Refusal::DisputeOpen => "dispute_open",
            Refusal::DisputeClosed => "dispute_closed",
            Refusal::StatementTooLong => "statement_too_long",
            Refusal::ExportNotReleased => "not_released",
            Refusal::NotDpo => "not_dpo",
            Refusal::CommentTooLong => "comment_too_long",
            Refusal::DraftTooLong => "draft_too_long",
            Refusal::EarlyHelpWrongState => "eh_wrong_state",
            Refusal::EarlyHelpContact => "eh_contact",
            Refusal::EarlyHelpConcern => "eh_concern",
            Refusal::EarlyHelpChildren => "eh_children",
            Refusal::EarlyHelpTooLong => "eh_too_long",
            Refusal::EarlyHelpDraftExists => "eh_draft_exists",
            Refusal::EarlyHelpHelpKind => "eh_help_kind",
            Refusal::NotLead => "not_lead",
            Refusal::PledgeMissing => "pledge_missing",
            Refusal::CoopWrongState => "coop_wrong_state",
            Refusal::CoopInvalid => "coop_invalid",
            Refusal::FeatureOff => "feature_off",
        }
    }

    /// Whether a transfer was refused for want of a basis (the transfer dialog says so in
    /// one sentence, whichever check failed).
    pub fn is_transfer(self) -> bool {
        matches!(
            self,
            Refusal::TransferFields
                | Refusal::TransferCheck642
                | Refusal::TransferConsent
                | Refusal::TransferNotCovered
                | Refusal::TransferJustification
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_stay_the_audited_ones() {
        assert_eq!(
            Refusal::PartnerField(Field::Surname).code(),
            "partner_field"
        );
        assert_eq!(Refusal::ReferralWrongState.code(), "wrong_state");
        assert_eq!(Refusal::ConferenceWrongState.code(), "wrong_state");
        assert_eq!(Refusal::ConferenceNotCovered.code(), "not_covered");
        assert_eq!(Refusal::TransferCheck642.code(), "check_64_2");
        assert_eq!(Refusal::DateOutOfRange.code(), "date_out_of_range");
        assert_eq!(Refusal::Restricted.code(), "restricted");
        assert_eq!(Refusal::StatementTooLong.code(), "statement_too_long");
    }
}
