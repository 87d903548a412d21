//! English texts: must fill every field of [`Strings`].

use super::{KeyNames, Strings};
use crate::action::Action;
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
    screen_titles: [
        "Cases",
        "Conferences",
        "Child protection",
        "Cooperation",
        "On call",
    ],
    case_file: "Case file",
    new_case: "New case",
    edit_case: "Edit case",
    placeholder: |title| format!("{title}: this area will be enabled in one of the next versions."),
    too_small: "Window too small (min. 40×10)",
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
        Problem::BeforeSigned => "Consent is never retroactive: at the earliest from the day it was given.".to_string(),
        Problem::EndBeforeStart => "The end lies before the start.".to_string(),
    },
    columns: ["Name", "Age", "Status", "JC worker", "YWO worker", "Date"],
    list_position: |pos, total| {
        if total == 0 {
            "no cases".to_string()
        } else {
            format!("Case {pos} of {total}")
        }
    },
    filter_label: "Filter: ",
    no_cases: "No cases are visible to you. Press n to create a new case.",
    no_match: "No case matches this filter. Esc clears the filter.",
    none: "–",
    unassigned: "– not assigned –",
    years: |n| format!("{n} years"),
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
        let when = at.map(|t| format!(" ({t} UTC)")).unwrap_or_default();
        format!(
            "Not saved: {who} changed this case in the meantime{when}. Your input stays in the form."
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
        Context::Conflict => "Simultaneous change",
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
        Action::Save => "Save",
        Action::Cancel => "Close the form (asks first when something is unsaved)",
        Action::NextField => "Next field",
        Action::PrevField => "Previous field",
        Action::ChoiceNext => "Next value",
        Action::ChoicePrev => "Previous value",
        Action::Toggle => "Tick or untick the highlighted entry",
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
        Action::Save => "Save",
        Action::Cancel => "Cancel",
        Action::NextField => "Next field",
        Action::PrevField => "Previous field",
        Action::ChoiceNext => "Choose",
        Action::ChoicePrev => "Choose",
        Action::Toggle => "On/off",
        Action::Confirm => "Yes",
        Action::Deny => "No",
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
    unsupported_terminal: "Terminal not supported",
    bad_config: |file, detail| format!("The configuration {file} is invalid: {detail}"),
    crashed: "Tandem stopped because of an internal error. The terminal has been restored; details are in the log.",
    conflict_resolved: "Your choice is applied. Please check and save with Ctrl+S.",
    conflict_merged: "The case was changed meanwhile; the changes concern other fields and were taken over. Please check and save with Ctrl+S.",
    conflict_title: "Simultaneous change",
    conflict_mine: "Your input",
    conflict_theirs: |by| match by {
        Some(name) => format!("Saved by {name}"),
        None => "Stored version".to_string(),
    },
    conflict_hint: "Choose per field (Space), then Enter. Nothing is overwritten without your choice.",
    draft_restored: "Draft restored. Save with Ctrl+S, discard with Esc.",
    draft_offer: |what, when| {
        format!(
            "There is an unsaved draft ({what}, last {when}). Restore it now? With “No” it is kept for later."
        )
    },
    idle_locked: "Tandem ended after a period of inactivity. Your input is saved as a draft and will be offered at the next login.",
};
