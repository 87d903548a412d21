//! English texts: must fill every field of [`Strings`].

use super::TimelineEvent;
use super::{KeyNames, MarkerWords, ScreenTitles, Strings};
use crate::action::Action;
use crate::domain::access::Relation;
use crate::domain::alerts::Alert;
use crate::domain::casefile::{
    BreakGlassReason, Custody, MeasureStatus, Relation as Kin, StatutoryBasis,
};
use crate::domain::consent::{
    ConsentForm, ConsentStatus, DataCategory, DeclaredBy, Purpose, RepresentationReason,
};
use crate::domain::refusal::Refusal;
use crate::domain::validation::Problem;
use crate::domain::{Agency, CaseStatus, ClosureReason, Field, Gender, ReasonCode, Role};
use crate::keymap::Context;

/// The English texts.
pub static EN: Strings = Strings {
    keys: KeyNames {
        enter: "Enter",
        esc: "Esc",
        tab: "Tab",
        backtab: "Shift+Tab",
        backspace: "Backspace",
        delete: "Del",
        insert: "Ins",
        home: "Home",
        end: "End",
        page_up: "PgUp",
        page_down: "PgDn",
        space: "Space",
        ctrl: "Ctrl",
        alt: "Alt",
        shift: "Shift",
    },
    screen_titles: ScreenTitles {
        cases: "Cases",
        conferences: "Conferences",
        child_protection: "Child protection",
        cooperation: "Cooperation",
        on_call: "On call",
        admin: "Administration",
        dpo: "Data protection",
    },
    case_file: "Case file",
    new_case: "New case",
    edit_case: "Edit case",
    too_small: "Window too small (min. 40×10)",
    accessible_help: (
        "Accessible mode",
        "No frames and no colours. The cursor always stands on the selected row or in the field you edit; your screen reader or braille display reads that line. Arrow keys and j/k move the selection, Enter opens, Esc goes back, Tab moves to the next field. The active section at the top stands in square brackets. Messages appear as one line above the key bar; below a table that line reads the selected row with its column names. Alerts are written as words, not signs; the week stands day by day, one below the other. Switch it on: tandem --accessible, accessible = true in the configuration, or ssh -t tandem@HOST accessible.",
    ),
    words: MarkerWords {
        sort: ["ascending", "descending"],
        alerts: "Alerts",
        overdue: "overdue:",
    },
    more_below: |n| format!("▼ {n} more"),
    agency: |a| match a {
        Agency::Jobcenter => "Jobcenter",
        Agency::Jugendamt => "Youth welfare office",
    },
    agency_short: |a| match a {
        Agency::Jobcenter => "JC",
        Agency::Jugendamt => "YWO",
    },
    role: |r| match r {
        Role::JcU25 => "Jobcenter U25",
        Role::JaStaff => "Youth welfare caseworker",
        Role::JaOncall => "Child-protection on call",
        Role::Lead => "Team lead",
        Role::Dpo => "Data protection/audit",
        Role::Admin => "Administration",
    },
    status: |s| match s {
        CaseStatus::Requested => "Requested",
        CaseStatus::ConsentPending => "Consent pending",
        CaseStatus::Active => "Active",
        CaseStatus::Dormant => "Dormant",
        CaseStatus::Closed => "Closed",
        CaseStatus::Declined => "Declined",
    },
    status_short: |s| match s {
        CaseStatus::ConsentPending => "Consent open",
        other => (EN.status)(other),
    },
    gender: |g| match g {
        Gender::Male => "male",
        Gender::Female => "female",
        Gender::Diverse => "diverse",
        Gender::Unspecified => "not stated",
    },
    reason: |r| match r {
        ReasonCode::TrainingDropout => "Dropped out of school/training",
        ReasonCode::Housing => "Housing need/moving out U25",
        ReasonCode::FamilyConflict => "Family conflict",
        ReasonCode::YoungParents => "Pregnancy/young parents",
        ReasonCode::Addiction => "Addiction",
        ReasonCode::MentalStrain => "Mental strain",
        ReasonCode::Debt => "Debt",
        ReasonCode::Offending => "Offending",
        ReasonCode::Truancy => "Truancy",
        ReasonCode::LostContact => "No cooperation/lost contact",
        ReasonCode::Transition => "Transition from youth help/§ 41",
    },
    closure: |c| match c {
        ClosureReason::School => "School/school-leaving certificate",
        ClosureReason::Training => "Vocational training",
        ClosureReason::Work => "Work",
        ClosureReason::JcProgramme => "SGB II programme",
        ClosureReason::YouthHelp => "Youth help granted",
        ClosureReason::Housing => "Housing resolved",
        ClosureReason::MovedAway => "Moved away",
        ClosureReason::Turned25 => "Turned 25",
        ClosureReason::LostContact => "Contact lost",
        ClosureReason::ConsentRevoked => "Consent revoked",
        ClosureReason::Other => "Other",
    },
    field: |f| match f {
        Field::Surname => "Surname",
        Field::GivenNames => "Given name(s)",
        Field::BirthDate => "Date of birth",
        Field::Gender => "Gender",
        Field::Address => "Address",
        Field::Phone => "Phone",
        Field::Email => "E-mail",
        Field::JcCustomerNo => "JC customer no.",
        Field::BgNo => "Household no.",
        Field::JaFileNo => "YWO file no.",
        Field::Status => "Status",
        Field::Reasons => "Reasons",
        Field::Question => "Question",
        Field::Lead => "Case lead",
        Field::JcStaff => "Jobcenter caseworker",
        Field::JaStaff => "YWO caseworker",
        Field::NextReview => "Review on",
        Field::ClosureReason => "Closure reason",
        Field::DeclaredBy => "Declared by",
        Field::RepresentationReason => "Reason for representation",
        Field::InsightChecked => "Capacity checked",
        Field::SignedOn => "Signed on",
        Field::ConsentForm => "Form",
        Field::DocumentRef => "Document",
        Field::Purposes => "Purposes",
        Field::Categories => "Data categories",
        Field::Recipients => "Recipients",
        Field::ValidFrom => "Valid from",
        Field::ValidUntil => "Valid until",
        Field::InfoTicks => "Information given",
    },
    problem: |p, s| match p {
        Problem::Required => "Please fill in.".to_string(),
        Problem::DateFormat => "Please enter as DD.MM.YYYY, e.g. 03.12.2006.".to_string(),
        Problem::DateDoesNotExist { day, month, year } => {
            format!("{day:02}.{month:02}.{year} does not exist. Please check day and month.")
        }
        Problem::InFuture => "The date lies in the future.".to_string(),
        Problem::AgeOutOfRange => {
            "The age is outside 14 to 26 years. Please check the date of birth.".to_string()
        }
        Problem::TooLong { max, len } => {
            format!("Too long: {len} characters, {max} allowed. Please shorten.")
        }
        Problem::InvalidEmail => {
            "Not a valid e-mail address (example: name@example.org).".to_string()
        }
        Problem::TransitionNotAllowed { from, to } => format!(
            "“{}” cannot change to “{}”.",
            (s.status)(*from),
            (s.status)(*to)
        ),
        Problem::BeforeOpened => "Lies before the day the case was opened.".to_string(),
        Problem::DeclarantNotAllowed { age } => {
            format!("Not allowed for a person aged {age} on the day of the declaration.")
        }
        Problem::BeforeSigned => {
            "Consent is never retroactive: at the earliest from the day it was given.".to_string()
        }
        Problem::EndBeforeStart => "The end lies before the start.".to_string(),
        Problem::TimeFormat => "Please enter as HH:MM or DD.MM.YYYY HH:MM, e.g. 14:30.".to_string(),
        Problem::PhoneFirst => {
            "Phone acute danger through first – then enter the time and whom you spoke to."
                .to_string()
        }
        Problem::StepDate => "For “yes” please give the date (DD.MM.YYYY).".to_string(),
        Problem::StepReason => "For “no” please give the reason.".to_string(),
        Problem::CaseNumber => {
            "Please enter the case number as digits (or leave it empty).".to_string()
        }
    },
    columns: ["Name", "Age", "Status", "JC worker", "YWO worker", "Date"],
    list_position: |pos, total| {
        // "…" while the number waits for idle time (docs/performance.md § 2).
        let n = |v: Option<usize>| v.map_or_else(|| "…".to_string(), |v| v.to_string());
        if total == Some(0) {
            "no cases".to_string()
        } else {
            format!("Case {} of {}", n(pos), n(total))
        }
    },
    list_count: |total| match total {
        Some(0) => "no cases".to_string(),
        Some(1) => "1 case".to_string(),
        Some(n) => format!("{n} cases"),
        None => "… cases".to_string(),
    },
    filter_label: "Filter: ",
    no_cases: "No cases are visible to you. Press n to create a new case.",
    no_match: "No case matches this filter. Esc clears the filter.",
    none: "–",
    withheld: "– not transferred –",
    scope_agency: "all cases of the agency",
    unassigned: "– not assigned –",
    years: |n| {
        if n == 1 {
            "1 year".to_string()
        } else {
            format!("{n} years")
        }
    },
    file_sections: ["Young person", "Cooperation case", "Responsibility"],
    u25_end: "U25 ends on",
    opened_on: "Opened on",
    closed_on: "Closed on",
    owner: "Owning agency",
    saved: "Saved.",
    created: "Case created.",
    check_fields: "Not saved: please check the marked fields.",
    conflict: |by, at| {
        let who = by.unwrap_or("someone else");
        let when = at.map(|t| format!(" (on {t})")).unwrap_or_default();
        format!(
            "Not saved: {who} changed this case in the meantime{when}. Your input stays in the form."
        )
    },
    changed_meanwhile: |by, at| {
        let who = by.unwrap_or("Someone else");
        let when = at.map(|t| format!(" (on {t})")).unwrap_or_default();
        format!(
            "Not saved: {who} changed this entry in the meantime{when}. The screen now shows the new state; please check and choose again."
        )
    },
    not_found: "This case is not (or no longer) visible to you.",
    save_failed: "Not saved: the database refused the save. Your input stays in the form; please try again with Ctrl+S.",
    load_failed: "The data could not be read. Please try again or tell the administration.",
    confirm_quit: "There is unsaved input. Quit anyway and discard it?",
    confirm_discard: "There is unsaved input. Close the form and discard it?",
    question_title: "Question",
    help_title: "Help – keys",
    context: |c| match c {
        Context::Global => "Everywhere",
        Context::List => "Case list",
        Context::Filter => "Filter input",
        Context::File => "Case file",
        Context::Form => "Form",
        Context::Text => "Text field (single line)",
        Context::Field => "Choice field",
        Context::Dialog => "Question",
        Context::Help => "Help",
        Context::Choice => "Choice",
        Context::Note => "Note",
        Context::Admin => "Administration",
        Context::Keys => "SSH keys",
        Context::Conflict => "Simultaneous change",
        Context::Conferences => "Conferences (agenda and week)",
        Context::Conference => "Case conference",
        Context::Referrals => "Child protection (list)",
        Context::Referral => "Child-protection referral",
        Context::OnCall => "On call",
        Context::Dpo => "Data protection",
        Context::Coop => "Cooperation",
        Context::GrantReview => "Break-glass review (lead)",
    },
    context_about: |c| match c {
        Context::Conflict => {
            "Someone saved the same case while you were editing it. For every field you both changed, both values are shown one below the other. Space or ←/→ chooses per field which value stays; Enter puts the choice into the form (it is saved only with Ctrl+S). Esc closes the box without a choice: your input stays in the form, and the next save asks again. Nothing is overwritten without your choice, not even after a dropped link or a lock."
        }
        _ => "",
    },
    action: |a| match a {
        Action::Quit => "Quit Tandem (asks first when something is unsaved)",
        Action::Help => "Show or hide help",
        Action::ScreenCases => "To the case list",
        Action::ScreenConferences => "To case conferences (calendar)",
        Action::ScreenChildProtection => "To child-protection referrals",
        Action::ScreenCooperation => "To cooperation (plenary, trainings)",
        Action::ScreenOnCall => "To the on-call view",
        Action::Up => "One row up",
        Action::Down => "One row down",
        Action::PageUp => "One page up",
        Action::PageDown => "One page down",
        Action::First => "To the first case",
        Action::Last => "To the last case",
        Action::Open => "Open the selected case file",
        Action::Back => "Back to the case list",
        Action::NewCase => "Create a new case",
        Action::Edit => "Edit the case",
        Action::Filter => "Filter by name, file number, caseworker or status",
        Action::FilterDone => "Leave the filter input, keep the filter",
        Action::ClearFilter => "Clear the filter",
        Action::SortNext => "Sort by the next column",
        Action::SortReverse => "Reverse the sort order",
        Action::ToggleScope => "Show own cases or all cases of the agency",
        Action::Save => "Save",
        Action::Cancel => "Close the form (asks first when something is unsaved)",
        Action::NextField => "Next field",
        Action::PrevField => "Previous field",
        Action::ChoiceNext => "Next value",
        Action::ChoicePrev => "Previous value",
        Action::Toggle => "Tick or untick the highlighted entry",
        Action::Transfer => "Transfer to the partner agency: preview and transfer",
        Action::RevokeConsent => "Record the revocation of the consent",
        Action::NewConsent => "Record a consent",
        Action::NewNote => "Write a note",
        Action::ToggleEntrusted => "Mark the note as entrusted (§ 65 SGB VIII)",
        Action::StepMenu => "Choose the next step of the referral",
        Action::ToggleConsults => "Show referrals or anonymous consultations (§ 8b SGB VIII)",
        Action::ToggleWeek => "Switch between the list and the week view",
        Action::PlanConference => "Plan a case conference for this case",
        Action::MeasureState => "Set the state of an agreement (done, …)",
        Action::ScreenAdmin => "To the staff administration (administrators only)",
        Action::AdminNew => "Add a staff member",
        Action::AdminEdit => "Edit the selected person (names, contact, roles, functions, deputy)",
        Action::Deactivate => "Deactivate the selected person (login refused at once)",
        Action::Reactivate => "Reactivate the selected person",
        Action::SshKeys => "SSH keys of the selected person",
        Action::ToggleGrants => "Switch between staff and open grants",
        Action::GrantConfirm => "Confirm the selected grant (second administrator)",
        Action::GrantRefuse => "Refuse the selected grant",
        Action::KeyAdd => "Add a key (the line of the .pub file)",
        Action::KeyRemove => "Remove the selected key",
        Action::ScreenDpo => "To data protection (DPO only)",
        Action::DpoNext => "Next section",
        Action::DpoPrev => "Previous section",
        Action::DpoReview => {
            "Review the selected break-glass access: justified or not, with a comment"
        }
        Action::DpoRelease => "Release the planned deletion run (second person, DPO)",
        Action::DpoExport => "Answer an access request, Art. 15 GDPR (JSON and text)",
        Action::Restrict => "Restrict the case (Art. 18 GDPR) or lift the restriction – lead",
        Action::Dispute => "Mark a person field as disputed (Art. 16 GDPR)",
        Action::Records => "Add or change records: custody holders, children, agreements",
        Action::AckEscalation => "Acknowledge an escalation (deadline passed; deputy and lead)",
        Action::RotaNew => "Enter an on-call shift (Jugendamt lead)",
        Action::Handover => "Hand-over youth office → Jobcenter (§ 36b / § 41 (3) SGB VIII)",
        Action::Withdrawal => "Information at benefit withdrawal (when switched on at the site)",
        Action::EarlyHelp => "Early help: contact requests with the parent's consent",
        Action::Document => "Write the newest consent's declaration as PDF (export folder)",
        Action::CoopNext => "Next section",
        Action::CoopPrev => "Previous section",
        Action::YearNext => "Next year",
        Action::YearPrev => "Previous year",
        Action::CoopNew => "New record in the section (plenary, meeting, training, …)",
        Action::CoopStep => "Next step of the selected record (held, approved, …)",
        Action::CoopDecision => "Record a decision of the plenary – leads",
        Action::CoopAgenda => "Put the yearly report's figures on the agenda – leads",
        Action::Confirm => "Yes",
        Action::Deny => "No",
    },
    action_short: |a| match a {
        Action::Quit => "Quit",
        Action::Help => "Help",
        Action::ScreenCases => "Cases",
        Action::ScreenConferences => "Conferences",
        Action::ScreenChildProtection => "Child protection",
        Action::ScreenCooperation => "Cooperation",
        Action::ScreenOnCall => "On call",
        Action::Up => "Up",
        Action::Down => "Down",
        Action::PageUp => "Page up",
        Action::PageDown => "Page down",
        Action::First => "First",
        Action::Last => "Last",
        Action::Open => "Open",
        Action::Back => "Back",
        Action::NewCase => "New",
        Action::Edit => "Edit",
        Action::Filter => "Filter",
        Action::FilterDone => "Done",
        Action::ClearFilter => "Clear filter",
        Action::SortNext => "Sort",
        Action::SortReverse => "Reverse",
        Action::ToggleScope => "All/own",
        Action::Save => "Save",
        Action::Cancel => "Cancel",
        Action::NextField => "Next field",
        Action::PrevField => "Previous field",
        Action::ChoiceNext => "Choose",
        Action::ChoicePrev => "Choose",
        Action::Toggle => "On/off",
        Action::Transfer => "Transfer",
        Action::RevokeConsent => "Revoke",
        Action::NewConsent => "Consent",
        Action::NewNote => "Note",
        Action::ToggleEntrusted => "§ 65",
        Action::StepMenu => "Step",
        Action::ToggleConsults => "Consultations",
        Action::ToggleWeek => "Week",
        Action::PlanConference => "Conference",
        Action::MeasureState => "Agreement",
        Action::ScreenAdmin => "Administration",
        Action::AdminNew => "New",
        Action::AdminEdit => "Edit",
        Action::Deactivate => "Deactivate",
        Action::Reactivate => "Reactivate",
        Action::SshKeys => "Keys",
        Action::ToggleGrants => "Grants",
        Action::GrantConfirm => "Confirm",
        Action::GrantRefuse => "Refuse",
        Action::KeyAdd => "Add",
        Action::KeyRemove => "Remove",
        Action::ScreenDpo => "Data protection",
        Action::DpoNext => "Section",
        Action::DpoPrev => "Section back",
        Action::DpoReview => "Review",
        Action::DpoRelease => "Release run",
        Action::DpoExport => "Access request",
        Action::Restrict => "Restrict",
        Action::Dispute => "Dispute",
        Action::Records => "Records",
        Action::AckEscalation => "Acknowledge",
        Action::RotaNew => "New shift",
        Action::Handover => "Hand-over",
        Action::Withdrawal => "Withdrawal",
        Action::EarlyHelp => "Early help",
        Action::Document => "PDF",
        Action::CoopNext => "Section",
        Action::CoopPrev => "Section back",
        Action::YearNext => "Next year",
        Action::YearPrev => "Previous year",
        Action::CoopNew => "New",
        Action::CoopStep => "Step",
        Action::CoopDecision => "Decision",
        Action::CoopAgenda => "Agenda from report",
        Action::Confirm => "Yes",
        Action::Deny => "No",
    },
    action_in: |c, a| {
        Some(match (c, a) {
            (Context::File, Action::First) => "To the top of the case file",
            (Context::Conferences, Action::PageUp) => {
                "One page up; in the week view: previous week"
            }
            (Context::Conferences, Action::PageDown) => {
                "One page down; in the week view: next week"
            }
            (Context::Conferences, Action::First) => "To the first appointment",
            (Context::Conferences, Action::Last) => "To the last appointment",
            (Context::Conferences, Action::Open) => "Open the selected case conference",
            (Context::Conferences, Action::NewCase) => "Plan a new case conference",
            (Context::Conference, Action::Back) => "Back to the agenda",
            (Context::Conference, Action::StepMenu) => {
                "Choose the next step of the conference (invite, minutes, …)"
            }
            (Context::Conference | Context::Referral, Action::First) => "To the top",
            (Context::Referrals | Context::OnCall, Action::First) => "To the first referral",
            (Context::Referrals | Context::OnCall, Action::Last) => "To the last referral",
            (Context::Referrals, Action::Open) => {
                "Open the selected referral (an open consultation: advise)"
            }
            (Context::OnCall, Action::Open) => "Open the selected referral",
            (Context::Referrals, Action::NewCase) => {
                "Write a new child-protection referral (in the consultations: a new request)"
            }
            (Context::Referral, Action::Back) => "Back to the list",
            (Context::Coop, Action::Document) => {
                "In the yearly report: write the report with its charts as PDF"
            }
            (Context::Referral, Action::Document) => {
                "Write the receipt confirmation for the reporter as PDF"
            }
            (Context::Conference, Action::Document) => {
                "Write the minutes or a plain-language letter to the young person as PDF"
            }
            (Context::Admin, Action::First) => "To the first row",
            (Context::Admin, Action::Last) => "To the last row",
            (Context::Keys, Action::Back) => "Back to the administration",
            (Context::Help, Action::Help) => "Close the help",
            (Context::Help, Action::First) => "To the top of the help",
            (Context::Help, Action::Last) => "To the end of the help",
            (Context::Choice, Action::Confirm) => "Choose the highlighted entry",
            (Context::Choice, Action::Deny) => "Close without choosing",
            (Context::Conflict, Action::Up) => "Previous field",
            (Context::Conflict, Action::Down) => "Next field",
            (Context::Conflict, Action::Toggle) => {
                "Choose your own or the saved version for the highlighted field"
            }
            (Context::Conflict, Action::Confirm) => "Put the choice into the form",
            (Context::Conflict, Action::Cancel) => {
                "Close without a choice (your input stays in the form)"
            }
            (Context::Note, Action::Cancel) => {
                "Close the note (asks first when something is unsaved)"
            }
            _ => return None,
        })
    },
    action_short_in: |c, a| {
        Some(match (c, a) {
            (Context::Choice, Action::Confirm) => "Choose",
            (Context::Choice, Action::Deny) => "Cancel",
            (Context::Help, Action::Help) => "Close",
            (Context::Conflict, Action::Confirm) => "Apply",
            _ => return None,
        })
    },
    toggle_back: |a| {
        Some(match a {
            Action::ToggleWeek => "List",
            Action::ToggleConsults => "Referrals",
            Action::Withdrawal => "Referrals",
            Action::EarlyHelp => "Referrals",
            Action::ToggleGrants => "Staff",
            _ => return None,
        })
    },
    unsaved_marker: " (unsaved)",
    choice_hint: "←/→ choose",
    multi_hint: "←/→ browse, Space on/off",
    date_hint: "DD.MM.YYYY",
    unknown_user: |login| {
        format!(
            "Login refused: there is no active Tandem account for “{login}”. Please contact the administration."
        )
    },
    no_os_user: "Login refused: the system account name cannot be determined. Please give --user.",
    db_missing: |p| {
        format!("Database not found: {p}. “tandem migrate --db {p}” creates a new one.")
    },
    db_not_a_database: |p| {
        format!("The file {p} is not a database or is damaged. It was not changed.")
    },
    db_foreign: |p| format!("The file {p} is not a Tandem database. It was not changed."),
    db_too_old: |p| {
        format!(
            "The database {p} has an older schema. Please have “tandem migrate --db {p}” run first."
        )
    },
    db_too_new: |p| {
        format!("The database {p} comes from a newer Tandem version. Please update Tandem.")
    },
    db_cannot_open: |p| {
        format!("The database {p} cannot be opened (missing permissions or folder).")
    },
    db_not_wal: |p| {
        format!(
            "The database {p} does not support WAL mode (network drive?). Please keep it on a local disk."
        )
    },
    db_other: |p| format!("Error while accessing the database {p}. Details are in the log."),
    offer_for_case: |what, case| format!("{what}, case {case}"),
    offer_minutes: |what, day, case| format!("{what}, case conference {day}, case {case}"),
    drafts_expired: |n, days| {
        if n == 1 {
            format!("A draft was older than {days} days and has been deleted.")
        } else {
            format!("{n} drafts were older than {days} days and have been deleted.")
        }
    },
    approval_cleared: |day, case, by, at| {
        format!(
            "Your approval of the minutes of the case conference on {day} (case {case}) was cleared: {by} changed the minutes on {at}. Please check them again."
        )
    },
    proposal_cleared: |step, no, at| {
        format!(
            "Your proposal \"{step}\" on referral {no} was cleared: the reporting agency sent an addendum on {at}. Please assess again."
        )
    },
    cli_unknown: |a| format!("Unknown option or command \"{a}\". Overview: tandem --help"),
    cli_bad_value: |a, v| format!("The value \"{v}\" does not fit {a}. Overview: tandem --help"),
    cli_missing: |a| {
        if a.is_empty() {
            "A command is missing. Overview: tandem --help".to_string()
        } else {
            format!("{a} is missing. Overview: tandem --help")
        }
    },
    cli_other: |_| "The command line is incomplete or wrong. Overview: tandem --help".to_string(),
    db_read_only: |p| {
        format!(
            "The database {p} is read-only. Tandem must be allowed to write the file and its folder (audit log). Please contact the administrator."
        )
    },
    audit_ok: |rows, head| format!("Audit chain intact: {rows} entries, last hash {head}."),
    audit_broken: |seq, why| format!("Audit chain broken at entry {seq}: {why}."),
    audit_hash_mismatch: "content does not match the stored hash (entry changed)",
    audit_chain_broken: "reference to the previous entry is wrong (an entry before it was deleted, changed or swapped)",
    audit_seq_gap: "the entry before it is missing (gap in the numbering)",
    audit_missing: "entry missing although the reference hash names it (end cut off)",
    audit_anchor_mismatch: "hash differs from the reference hash (chain rewritten)",
    audit_bad_anchor: "tandem audit verify: --anchor expects NUMBER:HASH (at least 16 hex digits).",
    audit_evidence_ok: |tables, triggers| {
        let rows: Vec<String> = tables.iter().map(|(t, n)| format!("{t} {n}")).collect();
        format!(
            "Evidence chains intact: {} entries; {triggers} protecting triggers in place.",
            rows.join(", ")
        )
    },
    audit_trigger_missing: |name, table| {
        format!("Protecting trigger {name} of table {table} is missing.")
    },
    audit_trigger_changed: |name, table| {
        format!("Protecting trigger {name} of table {table} was changed.")
    },
    audit_evidence_broken: |table, id, why| {
        format!("Evidence chain {table} broken at entry {id}: {why}.")
    },
    audit_evidence_changed: "content does not match the stored hash (entry changed)",
    audit_evidence_chain_broken: "reference to the previous entry is wrong (an entry before it was deleted or changed)",
    audit_evidence_missing: "entry missing although the audit log records it (deleted)",
    audit_evidence_unrecorded: "entry not recorded in the audit log (inserted outside Tandem)",
    audit_evidence_rewritten: "entry differs from the state the audit log recorded (chain recomputed)",
    unsupported_terminal: "Terminal not supported",
    bad_config: |file, at| match at {
        Some((line, column)) => format!(
            "The configuration {file} is invalid at line {line}, column {column} (unknown entry or invalid value)."
        ),
        None => format!("The configuration {file} is invalid."),
    },
    bad_keys: |file, at| match at {
        Some((line, column)) => format!(
            "The configuration {file} is invalid at line {line}, column {column}: key bindings (unknown section, action or key, or a key bound twice)."
        ),
        None => format!("The configuration {file} is invalid: key bindings."),
    },
    config_unreadable: |file| format!("The configuration {file} cannot be read."),
    crashed: "Tandem stopped because of an internal error. The terminal has been restored; details are in the log.",
    conflict_resolved: "Your choice is applied. Please check and save with Ctrl+S.",
    conflict_merged: "The case was changed meanwhile; the changes concern other fields and were taken over. Please check and save with Ctrl+S.",
    conflict_title: "Simultaneous change",
    conflict_mine: "Your input",
    draft_kept_for_later: |what, when| {
        format!(
            "Note: your draft “{what}” of {when} is kept and offered again at the next login; this input is saved separately."
        )
    },
    field_full: |max| {
        format!("The field is full: at most {max} characters. Further characters are not taken.")
    },
    paste_refused: |max, used, adding| {
        format!(
            "Paste refused: {adding} characters do not fit this field (at most {max} characters, {used} already used). Nothing was inserted."
        )
    },
    paste_too_long: |bytes| {
        format!(
            "Paste refused: at {} the pasted text is larger than any field. Nothing was inserted.",
            crate::strings::byte_size_en(bytes)
        )
    },
    typed_on_choice: "This is a choice field: typed text is not taken here. Choose with ←/→ or Space, move on with Tab.",
    conflict_left: "Not saved. Your input stays; the next save compares again.",
    conflict_theirs: |by| match by {
        Some(name) => format!("Saved by {name}"),
        None => "Stored version".to_string(),
    },
    conflict_hint: "Choose per field (Space), then Enter. Nothing is overwritten without your choice.",
    draft_restored: "Draft restored. Save with Ctrl+S, discard with Esc.",
    draft_not_restorable: "The draft belongs to an entry that is no longer visible to you or no longer open for this step; it was discarded.",
    draft_offer: |what, when| {
        format!(
            "There is an unsaved draft ({what}, last {when}). Restore it now? With “No” it is kept for later."
        )
    },
    access_locked: "Tandem ended: your account was deactivated or its roles changed. Your input is saved as a draft.",
    idle_locked: "Tandem ended after a period of inactivity. Your input is saved as a draft and will be offered at the next login.",
    file_more_sections: [
        "Consents",
        "Custody holders",
        "Children in the household",
        "Agreed measures",
        "Notes",
        "Transfers",
        "Timeline",
        "Alerts",
    ],
    consent_status: |c| match c {
        ConsentStatus::Draft => "Draft",
        ConsentStatus::Granted => "Granted",
        ConsentStatus::Refused => "Refused",
        ConsentStatus::Revoked => "Revoked",
        ConsentStatus::Expired => "Expired",
        ConsentStatus::ConfirmationNeeded => "Confirmation needed",
    },
    purpose: |p| match p {
        Purpose::Conference => "Case conference",
        Purpose::MutualInformation => "Mutual information",
        Purpose::Statement22 => "Statement § 22 (5) SGB II",
        Purpose::Transition36b => "Transition § 36b SGB VIII",
        Purpose::Other => "Other purpose",
    },
    category: |c| match c {
        DataCategory::MasterData => "Master data",
        DataCategory::School => "School/training",
        DataCategory::Benefits => "Benefits",
        DataCategory::Measures => "Measures",
        DataCategory::Housing => "Housing",
        DataCategory::Family => "Family",
        DataCategory::Health => "Health",
        DataCategory::Addiction => "Addiction",
        DataCategory::Debt => "Debt",
        DataCategory::Justice => "Justice",
    },
    declared_by: |d| match d {
        DeclaredBy::YoungPerson => "young person",
        DeclaredBy::CustodyHolders => "custody holders",
        DeclaredBy::Guardian => "guardian",
        DeclaredBy::LegalCarer => "legal carer",
    },
    kin: |k| match k {
        Kin::Mother => "Mother",
        Kin::Father => "Father",
        Kin::StepMother => "Stepmother",
        Kin::StepFather => "Stepfather",
        Kin::FosterMother => "Foster mother",
        Kin::FosterFather => "Foster father",
        Kin::Guardian => "Guardian",
        Kin::Other => "Other",
    },
    custody: |c| match c {
        Custody::Sole => "sole custody",
        Custody::Joint => "joint custody",
        Custody::None => "no custody",
    },
    measure_status: |m| match m {
        MeasureStatus::Open => "Open",
        MeasureStatus::InProgress => "In progress",
        MeasureStatus::Done => "Done",
        MeasureStatus::NotDone => "Not done",
        MeasureStatus::Dropped => "Dropped",
    },
    statute: |b| match b {
        StatutoryBasis::Sgb10S69 => "§ 69 (1) No. 1 SGB X",
        StatutoryBasis::Sgb10S71 => "§ 71 SGB X",
        StatutoryBasis::Kkg4 => "§ 4 (3) KKG",
        StatutoryBasis::Sgb8S8a => "§ 8a (5) SGB VIII",
    },
    break_glass_reason: |r| match r {
        BreakGlassReason::UnlistedDeputy => "Deputy not on record",
        BreakGlassReason::ChildProtection => "Child-protection emergency",
        BreakGlassReason::PersonAsked => "The young person asked",
        BreakGlassReason::Other => "Other",
    },
    relation: |r| match r {
        Relation::Assigned => "assigned",
        Relation::Deputy => "deputy",
        Relation::Lead => "team lead (read only)",
        Relation::BreakGlass => "emergency access (logged)",
        Relation::None => "no access",
    },
    alert: |a| match a {
        Alert::ConsentExpiring(d) => format!("Consent ends on {}", d.format("%d.%m.%Y")),
        Alert::ConsentRevoked(d) => format!("Consent revoked on {}", d.format("%d.%m.%Y")),
        Alert::ConsentExpired(d) => format!("Consent expired on {}", d.format("%d.%m.%Y")),
        Alert::ConsentNeedsConfirmation => "Of age: consent needs confirmation".to_string(),
        Alert::Turning25(d) => format!("U25 ends on {}", d.format("%d.%m.%Y")),
        Alert::HelpEnding(d) => format!(
            "§ 41 help ends on {}: plan the transition",
            d.format("%d.%m.%Y")
        ),
        Alert::MeasuresOverdue(n) => format!("{n} measure(s) overdue"),
        Alert::Inactive(d) => format!("No activity since {}", d.format("%d.%m.%Y")),
    },
    sharing: |until| match until {
        Some(d) => format!("Sharing with the partner allowed until {d}"),
        None => "No sharing with the partner at present (no valid consent)".to_string(),
    },
    received_marker: " (transferred)",
    locked_marker: " (cannot be changed here)",
    entrusted: "Entrusted (§ 65 SGB VIII)",
    withheld_notes: |n, dates| {
        format!("{n} entrusted note(s), readable by their author only: {dates}")
    },
    deputy: "Deputy",
    young_person: "Young person",
    timeline: |e| match e {
        TimelineEvent::Opened => "Case opened".to_string(),
        TimelineEvent::ConsentSigned(by) => format!("Consent given ({by})"),
        TimelineEvent::ConsentRevoked => "Consent revoked".to_string(),
        TimelineEvent::ConsentEnds => "Consent ends".to_string(),
        TimelineEvent::Transfer(to, n) => format!("{n} items transferred to {to}"),
        TimelineEvent::MeasureDue(text, status) => format!("Measure due: {text} ({status})"),
        TimelineEvent::Note(by) => format!("Note by {by}"),
    },
    break_glass_title: "Emergency access",
    break_glass_hint: "This case is not one of yours. Access is logged with its reason, shown to the owning agency and lasts 8 hours. Choose a reason (↑/↓), Enter opens, Esc cancels.",
    transfer_title: "Transfer to the partner agency",
    transfer_hint: |to, basis| {
        format!(
            "Exactly these items will be visible to: {to}. Legal basis: {basis}. Enter transfers, Esc cancels."
        )
    },
    transfer_64_2: "By transferring you confirm: the success of the help is not endangered (§ 64 (2) SGB VIII).",
    transfer_no_basis: "No transfer possible: there is no valid consent covering these items.",
    transferred: "Transferred and recorded in the transfer log.",
    confirm_revoke: |date| {
        format!(
            "Record the revocation of the consent of {date} (written, effective today)? The partner will no longer see the transferred items."
        )
    },
    revoked: "Revocation recorded. The partner no longer sees the transferred items.",
    nothing_to_revoke: "There is no granted consent that could be revoked.",
    note_title: "Note",
    note_hint: |allowed, on| {
        let mut s = "Ctrl+S saves, Esc cancels.".to_string();
        if allowed {
            s.push_str(if on {
                " Ctrl+T: entrusted (§ 65) – ON, only you can read it."
            } else {
                " Ctrl+T: mark as entrusted (§ 65)."
            });
        }
        s
    },
    note_saved: "Note saved.",
    alert_column: "!",
    basis_consent: "consent",
    grants_title: "Emergency accesses",
    seed_needs_db: "tandem seed: please give --db PATH (a new file).",
    seed_not_empty: |p| {
        format!("tandem seed: {p} already holds data; seed writes into a new file only.")
    },
    seed_exists: |p| {
        format!(
            "tandem seed: {p} already exists and is left untouched; seed writes into a new file only."
        )
    },
    seeded: |cases, staff, secs, p| {
        format!("{cases} cases and {staff} staff written to {p} in {secs:.1} s.")
    },
    migrated: |p, v| format!("Database {p} is at schema version {v}."),
    consent_title: "Record a consent",
    consent_saved: "Consent saved.",
    consent_hint: "↑/↓ row, Space tick or choose, Ctrl+S save, Esc cancel.",
    info_ticks: [
        "Informed about the purpose",
        "Informed about the consequences of refusal",
        "Informed about revocability",
    ],
    representation: |r| match r {
        RepresentationReason::Under15 => "under 15",
        RepresentationReason::NoCapacity => "lacking capacity",
        RepresentationReason::Betreuung => "legal care",
    },
    consent_form: |f| match f {
        ConsentForm::Written => "written",
        ConsentForm::Electronic => "electronic",
    },
    yes: YES,
    no: NO,
    yes_no: [YES, NO],
    cp: &super::cp::EN,
    conf: &super::conf::EN,
    ssh: &super::ssh::EN,
    admin: &super::admin::EN,
    dpo: &super::dpo::EN,
    coop: &super::coop::EN,
    casework: &super::casework::EN,
    withdrawal: &super::withdrawal::EN,
    early_help: &super::early_help::EN,
    documents: &super::documents::EN,
    read_only: "Read only: the assigned caseworkers and their deputies may edit.",
    refused: |r| match r {
        Refusal::PartnerField(f) => format!(
            "“{}” belongs to the partner agency and cannot be changed here.",
            (EN.field)(f)
        ),
        other => refusal_text(other).to_string(),
    },
    lookup_label: "Emergency access – no.: ",
    lookup_hint: "Only the lead sees all cases. Customer, file or case number, then a reason.",
    lookup_none: "No case of your agency has exactly this number. The lookup is logged.",
    declarant_withheld: "declared by: not transferred",
    do_not_contact: "contact endangers",
    info_purpose: "Informed about the purpose",
    info_refusal: "Informed about the consequences of refusal",
    info_revocable: "Informed about revocability",
    break_glass_text: "Explanation",
    break_glass_text_required: "For “Other”, please enter the explanation.",
    transfer_purpose: "Purpose",
    transfer_64_2_tick: "§ 64 (2) SGB VIII checked",
    transfer_64_2_required: "Please confirm: the transfer does not endanger the success of the help (§ 64 (2) SGB VIII).",
    break_glass_reason_label: "Reason",
    restrict: &super::restrict::EN,
};

/// The English text of a refusal that names no field.
fn refusal_text(r: Refusal) -> &'static str {
    match r {
        Refusal::PartnerField(_) => {
            "This field belongs to the partner agency and cannot be changed here."
        }
        Refusal::PartnerAssignment => "Only the partner agency assigns or removes its caseworker.",
        Refusal::LeadChange => "Only the agency that leads the case hands the lead over.",
        Refusal::CaseCreate => "Only caseworkers create new cases (Jobcenter U25, Jugendamt).",
        Refusal::TransferFields => "Only items your own agency keeps can be transferred.",
        Refusal::TransferCheck642 => {
            "Confirm the check under § 64 (2) SGB VIII before the transfer."
        }
        Refusal::TransferConsent => "The chosen consent does not exist on this case.",
        Refusal::TransferNotCovered => {
            "The consent does not cover these items for the partner agency."
        }
        Refusal::TransferJustification => "Please give a reason for the transfer.",
        Refusal::BreakGlassReasonText => "Please state the other reason.",
        Refusal::DeputyAgency => "The deputy must belong to the same agency.",
        Refusal::AbsenceOrder => "The absence ends before it starts.",
        Refusal::SamePerson => "Four eyes: a different professional must confirm.",
        Refusal::NotQualified => "This step needs another role or function.",
        Refusal::ReferralWrongState => "This step does not fit the referral's state.",
        Refusal::FeedbackOpen => "Give the requested feedback (or refuse it with a reason) first.",
        Refusal::NoPending => "Nothing waits for confirmation.",
        Refusal::Pending => "A proposal already waits for confirmation.",
        Refusal::NotNoIndicators => "Closing here needs the class “no weighty indicators”.",
        Refusal::NotReporter => "Only the reporting professional can send addenda.",
        Refusal::NoCase => "This case number does not exist or is not visible.",
        Refusal::ReferralIncomplete => {
            "Not sent: a referral needs at least one child, and for “acute” first the call to the Jugendamt (time and person spoken to)."
        }
        Refusal::ConferenceNotCovered => {
            "The consent does not cover every participant and topic – anonymised only."
        }
        Refusal::ConferenceWrongState => "This step does not fit the conference's state.",
        Refusal::NotAllowed => "Only the case's staff can do this.",
        Refusal::DateNeeded => "Please give a new date.",
        Refusal::ReasonNeeded => "Please give a reason.",
        Refusal::NotYet => "The conference has not taken place yet.",
        Refusal::SecondApproval => {
            "The second approval comes from a present member of the other agency."
        }
        Refusal::DecisionIncomplete => {
            "Every agreement needs text, a responsible person and a due date."
        }
        Refusal::DateOutOfRange => {
            "The date is too far away; it can be neither saved nor written to a calendar file."
        }
        Refusal::Clash => {
            "Meanwhile a participant or the room has been booked at this time (see below). Nothing was saved."
        }
        Refusal::NotAdmin => "Only the administration (role “Administration”) manages staff.",
        Refusal::OtherAgency => {
            "Staff of the other agency are managed by that agency’s own administration."
        }
        Refusal::RoleAgency => "This agency has no such role or function.",
        Refusal::NoRole => "Please give at least one role.",
        Refusal::OwnAccount => {
            "Your own account (roles, deactivation) is changed by another administrator."
        }
        Refusal::LastAdmin => {
            "The agency needs at least one active administrator; this change would remove the last one."
        }
        Refusal::LoginTaken => "This login exists already.",
        Refusal::LoginInvalid => {
            "Logins: 1 to 64 characters of lower-case letters, digits, dot, hyphen, underscore; starting with a letter or digit."
        }
        Refusal::NameNeeded => "Please give surname and given name.",
        Refusal::GrantSelf => {
            "Four eyes: the role is confirmed by another administrator, not by whoever requested or receives it."
        }
        Refusal::Restricted => {
            "The case is restricted (Art. 18 GDPR): it is not processed until the restriction is lifted."
        }
        Refusal::NotRestricted => "The case is not restricted.",
        Refusal::AlreadyRestricted => "The case is restricted already.",
        Refusal::RestrictNotAllowed => {
            "Restricting and lifting: only the lead or the data-protection officer of the owning agency."
        }
        Refusal::DisputeField => "Only person fields that the own agency keeps can be disputed.",
        Refusal::DisputeOpen => "This field is marked as disputed already.",
        Refusal::DisputeClosed => "No open dispute of this field.",
        Refusal::StatementTooLong => "The statement is too long (at most 1000 characters).",
        Refusal::ExportNotReleased => {
            "Four eyes: this access-request export first needs the release by a lead or a second data protection officer (tandem subject-export --ask)."
        }
        Refusal::NotDpo => "Only for the data-protection officer of the own agency.",
        Refusal::CommentTooLong => "The comment is too long (at most 500 characters).",
        Refusal::DraftTooLong => {
            "The draft was not saved: a field is longer than allowed. Please shorten it."
        }
        Refusal::EarlyHelpWrongState => {
            "This step does not fit the contact request's state. After a revocation it can only be closed."
        }
        Refusal::EarlyHelpContact => {
            "Without the parent's name and contact nobody can get in touch: tick them in the consent, or send no request."
        }
        Refusal::EarlyHelpConcern => "Please give at least one concern.",
        Refusal::EarlyHelpChildren => {
            "Please give one to nine children (an expected child counts)."
        }
        Refusal::EarlyHelpTooLong => "An entry is too long. Please shorten it.",
        Refusal::EarlyHelpHelpKind => "Please say which help was accepted.",
        Refusal::EarlyHelpDraftExists => {
            "There is an unsent child-protection referral draft already. Send or discard it first."
        }
        Refusal::NotLead => "Only the team leads of both Stellen may do this.",
        Refusal::PledgeMissing => {
            "\"Done\" only with a signed confidentiality pledge (enter its date)."
        }
        Refusal::CoopWrongState => "This step does not fit the record's state.",
        Refusal::CoopInvalid => "A value is out of the allowed range.",
        Refusal::FeatureOff => "This function is switched off at this site.",
    }
}

/// "yes", shared by `yes` and the consent dialog's `yes_no`.
const YES: &str = "yes";
/// "no".
const NO: &str = "no";
