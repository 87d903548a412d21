//! Texts of the conference screen (F3), German and English.

use crate::domain::calendar::Holiday;
use crate::domain::casefile::MeasureStatus;
use crate::domain::conference::{Attendance, ConferenceKind, ConferenceStatus, Invitation};
use crate::domain::datetime::DateTimeProblem;
use crate::domain::schedule::{AppointmentKind, SlotProblem};

/// Steps of the conference menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConfMenu {
    /// "Einladen".
    Invite,
    /// "Durchgeführt".
    Held,
    /// "Protokoll und Vereinbarungen".
    Minutes,
    /// "Protokoll freigeben".
    Approve,
    /// "Vertagen".
    Postpone,
    /// "Absagen".
    Cancel,
    /// "Einladung als iCalendar-Datei".
    Export,
    /// "Vereinbarung erledigt".
    MeasureDone,
    /// "Teilnahme erfassen".
    Participation,
    /// "Tagesordnung" (docs/casework.md § 4).
    Agenda,
    /// "Nachtrag schreiben".
    Addendum,
    /// "Nachtrag freigeben".
    ApproveAddendum,
}

/// The labelled fields of the planning form and the conference dialogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConfField {
    /// Case number.
    CaseNo,
    /// Kind of conference.
    Kind,
    /// Occasion or question.
    Question,
    /// Date and time.
    Start,
    /// Duration in minutes.
    Duration,
    /// Place.
    Location,
    /// The young person takes part.
    YoungPerson,
    /// A further professional.
    Other,
    /// An external person.
    External,
    /// "Nur anonymisiert".
    Anonymised,
    /// Take a proposed slot.
    Slot,
    /// Choose a time at the clock change (docs/domain.md 7.1).
    ClockChoice,
    /// The cases matching a typed name.
    CasePick,
    /// Minutes.
    Minutes,
    /// A decision's text.
    Text,
    /// A decision's responsible person.
    Responsible,
    /// A decision's due date.
    Due,
    /// A decision's category (docs/domain.md 3.4), for the yearly report.
    Category,
    /// Reason (postponing, cancelling).
    Reason,
    /// The agreement a result is recorded for.
    Measure,
    /// An agreement's state.
    Status,
    /// Result.
    Result,
}

/// Titles of the conference screen and its layers.
#[derive(Debug)]
pub struct ConfTitles {
    /// The agenda.
    pub agenda: &'static str,
    /// The week view.
    pub week: &'static str,
    /// The planning form.
    pub form: &'static str,
    /// A conference's detail.
    pub detail: &'static str,
}

/// All conference texts of one language.
#[derive(Debug)]
pub struct ConfStrings {
    /// Kinds.
    pub kind: fn(ConferenceKind) -> &'static str,
    /// States.
    pub status: fn(ConferenceStatus) -> &'static str,
    /// Invitation answers.
    pub invitation: fn(Invitation) -> &'static str,
    /// Attendance.
    pub attendance: fn(Attendance) -> &'static str,
    /// Appointment kinds.
    pub appointment: fn(AppointmentKind) -> &'static str,
    /// Holiday names.
    pub holiday: fn(Holiday) -> &'static str,
    /// Slot warnings.
    pub slot_problem: fn(SlotProblem) -> String,
    /// Date-time input problems.
    pub datetime_problem: fn(&DateTimeProblem) -> String,
    /// Menu entries.
    pub menu: fn(ConfMenu) -> &'static str,
    /// Measure states.
    pub measure_status: fn(MeasureStatus) -> &'static str,
    /// Heading of the agenda's work list (minutes or approval outstanding).
    pub open_work: &'static str,
    /// The notice in a dialog after someone else saved the conference: who, when (Berlin
    /// time), its state now, and their minutes (empty for other steps).
    pub changed_meanwhile: fn(Option<&str>, Option<&str>, &str, &str) -> String,
    /// Labels of the form and dialog fields.
    pub label: fn(ConfField) -> &'static str,
    /// Weekday abbreviations, Monday first.
    pub weekdays: [&'static str; 7],
    /// Screen and layer titles.
    pub titles: ConfTitles,
    /// Empty agenda.
    pub empty: &'static str,
    /// A clash: person, what, from–to.
    pub clash: fn(&str, &str, &str) -> String,
    /// A room clash: room, what, from–to.
    pub room_clash: fn(&str, &str, &str) -> String,
    /// No clash.
    pub all_free: &'static str,
    /// Proposal heading.
    pub proposals: &'static str,
    /// No proposal found.
    pub no_proposals: &'static str,
    /// Shown in an empty start field: how a date and time is typed.
    pub start_placeholder: &'static str,
    /// The case field's note for a found case: name (or the withheld mark) and age.
    pub case_found: fn(&str, Option<u32>) -> String,
    /// A typed number that is no case of the viewer's list.
    pub case_unknown: &'static str,
    /// A typed name that matches no case of the viewer's list.
    pub case_no_match: &'static str,
    /// Several cases match the typed name: how many, and how to pick.
    pub case_several: fn(usize) -> String,
    /// An option of the match list: case number and name.
    pub case_option: fn(i64, &str) -> String,
    /// The clock-change choices: the first valid time after the spring gap, the first
    /// (summer-time) and the second (winter-time) of a doubled autumn time.
    pub clock_choices: [&'static str; 3],
    /// Save again to keep the clashing time.
    pub save_again: &'static str,
    /// After saving.
    pub saved: &'static str,
    /// Export written to the path.
    pub exported: fn(&str) -> String,
    /// Detail headings: participants, agenda (carried), decisions, minutes.
    pub detail: [&'static str; 4],
    /// "Junge Person".
    pub young_person: &'static str,
    /// Anonymised marker.
    pub anonymised: &'static str,
    /// "Fallkonferenz" (generic title of a conference one may not see).
    pub conference: &'static str,
    /// Decision row heading ("Vereinbarung 1").
    pub decision: fn(usize) -> String,
    /// Approved by.
    pub approved: fn(&str, &str) -> String,
    /// "Wochenansicht" hint: previous/next week keys.
    pub week_hint: &'static str,
    /// A case by its number ("Fall 12").
    pub case_no: fn(i64) -> String,
    /// An all-day appointment ("ganztags").
    pub all_day: &'static str,
}

/// German.
pub static DE: ConfStrings = ConfStrings {
    open_work: "Offen: Protokoll oder Freigabe",
    changed_meanwhile: |by, at, status, theirs| {
        let who = by.unwrap_or("Eine andere Person");
        let when = at.map(|t| format!(" (am {t})")).unwrap_or_default();
        let minutes = if theirs.trim().is_empty() {
            String::new()
        } else {
            format!(" Deren Protokoll: „{}“.", theirs.trim())
        };
        format!(
            "{who} hat diese Fallkonferenz inzwischen gespeichert{when}; Stand jetzt: {status}.{minutes} Ihre Eingaben stehen unten. Strg+S speichert sie über diesen Stand, Esc verwirft sie."
        )
    },
    kind: |k| match k {
        ConferenceKind::First => "Erstkonferenz",
        ConferenceKind::FollowUp => "Folgekonferenz",
        ConferenceKind::Crisis => "Krisenkonferenz",
        ConferenceKind::Transition => "Übergangskonferenz (§ 36b)",
    },
    status: |s| match s {
        ConferenceStatus::Requested => "Beantragt",
        ConferenceStatus::Scheduled => "Terminiert",
        ConferenceStatus::Invited => "Eingeladen",
        ConferenceStatus::Held => "Durchgeführt",
        ConferenceStatus::MinutesDraft => "Protokollentwurf",
        ConferenceStatus::MinutesApproved => "Protokoll freigegeben",
        ConferenceStatus::Postponed => "Vertagt",
        ConferenceStatus::Cancelled => "Abgesagt",
    },
    invitation: |i| match i {
        Invitation::Invited => "eingeladen",
        Invitation::Accepted => "zugesagt",
        Invitation::Declined => "abgesagt",
    },
    attendance: |a| match a {
        Attendance::Present => "anwesend",
        Attendance::Excused => "entschuldigt",
        Attendance::Absent => "nicht erschienen",
    },
    appointment: |k| match k {
        AppointmentKind::Conference => "Fallkonferenz",
        AppointmentKind::Plenary => "Große Runde",
        AppointmentKind::TeamMeeting => "Besprechung",
        AppointmentKind::Training => "Fortbildung",
        AppointmentKind::Hospitation => "Hospitation",
        AppointmentKind::Absence => "Abwesenheit",
        AppointmentKind::Other => "Termin",
        AppointmentKind::EarlyHelp => "Gemeinsamer Termin",
    },
    holiday: |h| match h {
        Holiday::NewYear => "Neujahr",
        Holiday::GoodFriday => "Karfreitag",
        Holiday::EasterMonday => "Ostermontag",
        Holiday::LabourDay => "Tag der Arbeit",
        Holiday::Ascension => "Christi Himmelfahrt",
        Holiday::WhitMonday => "Pfingstmontag",
        Holiday::CorpusChristi => "Fronleichnam",
        Holiday::GermanUnity => "Tag der Deutschen Einheit",
        Holiday::AllSaints => "Allerheiligen",
        Holiday::Christmas => "1. Weihnachtstag",
        Holiday::BoxingDay => "2. Weihnachtstag",
    },
    slot_problem: |p| match p {
        SlotProblem::EndNotAfterStart => "Das Ende liegt nicht nach dem Beginn.".to_string(),
        SlotProblem::InPast => "Der Termin liegt in der Vergangenheit.".to_string(),
        SlotProblem::Weekend => "Der Termin liegt am Wochenende.".to_string(),
        SlotProblem::Holiday(h) => format!("Feiertag: {}.", (DE.holiday)(h)),
        SlotProblem::ClosureDay => "Schließtag der Stelle.".to_string(),
        SlotProblem::OutsideWorkingHours => "Außerhalb der Dienstzeit.".to_string(),
    },
    datetime_problem: |p| match p {
        DateTimeProblem::Format => {
            "Bitte z. B. „03.12.2026 14:30“, „morgen 10:00“ oder „+2w“ eingeben.".to_string()
        }
        DateTimeProblem::DateDoesNotExist { day, month, year } => {
            format!("Den {day:02}.{month:02}.{year} gibt es nicht.")
        }
        DateTimeProblem::TimeDoesNotExist { hour, minute } => {
            format!("Die Uhrzeit {hour:02}:{minute:02} gibt es nicht.")
        }
        DateTimeProblem::TimeMissing => "Bitte auch die Uhrzeit angeben, z. B. 14:30.".to_string(),
        DateTimeProblem::OutOfRange => "Das Datum liegt zu weit entfernt.".to_string(),
        DateTimeProblem::DurationOutOfRange { minutes } => {
            format!("Dauer {minutes} Min.: bitte zwischen 15 Minuten und 8 Stunden.")
        }
        DateTimeProblem::SkippedByClockChange { local, next } => format!(
            "{} gibt es nicht (Zeitumstellung, die Uhr springt auf {}). Bitte wählen.",
            local.format("%d.%m.%Y %H:%M"),
            next.format("%H:%M")
        ),
        DateTimeProblem::TwiceByClockChange { local } => format!(
            "{} gibt es zweimal (Zeitumstellung): MESZ (erste) oder MEZ (zweite) wählen.",
            local.format("%d.%m.%Y %H:%M")
        ),
    },
    menu: |m| match m {
        ConfMenu::Invite => "Einladen",
        ConfMenu::Held => "Als durchgeführt erfassen",
        ConfMenu::Minutes => "Protokoll und Vereinbarungen",
        ConfMenu::Approve => "Protokoll freigeben",
        ConfMenu::Postpone => "Vertagen (neuer Termin)",
        ConfMenu::Cancel => "Absagen",
        ConfMenu::Export => "Einladung als iCalendar-Datei (.ics)",
        ConfMenu::MeasureDone => "Vereinbarung: Stand setzen",
        ConfMenu::Participation => "Zusagen und Anwesenheit erfassen",
        ConfMenu::Agenda => "Tagesordnung festlegen",
        ConfMenu::Addendum => "Nachtrag zum Protokoll schreiben",
        ConfMenu::ApproveAddendum => "Nachtrag freigeben",
    },
    measure_status: |m| match m {
        MeasureStatus::Open => "Offen",
        MeasureStatus::InProgress => "In Bearbeitung",
        MeasureStatus::Done => "Erledigt",
        MeasureStatus::NotDone => "Nicht erledigt",
        MeasureStatus::Dropped => "Entfallen",
    },
    label: |k| match k {
        ConfField::CaseNo => "Fall (Nummer oder Name)",
        ConfField::Kind => "Art",
        ConfField::Question => "Anlass/Fragestellung",
        ConfField::Start => "Termin",
        ConfField::Duration => "Dauer (Minuten)",
        ConfField::Location => "Ort (Raum, Video, Telefon)",
        ConfField::YoungPerson => "Junge Person nimmt teil",
        ConfField::Other => "Weitere Fachkraft",
        ConfField::External => "Externe Person (Name, Stelle)",
        ConfField::Anonymised => "Nur anonymisiert",
        ConfField::Slot => "Vorschlag übernehmen",
        ConfField::ClockChoice => "Zeitumstellung",
        ConfField::CasePick => "Treffer",
        ConfField::Minutes => "Protokoll",
        ConfField::Text => "Vereinbarung",
        ConfField::Responsible => "Verantwortlich",
        ConfField::Due => "Fällig am",
        ConfField::Category => "Kategorie",
        ConfField::Reason => "Grund",
        ConfField::Measure => "Vereinbarung",
        ConfField::Status => "Stand",
        ConfField::Result => "Ergebnis",
    },
    weekdays: ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"],
    titles: ConfTitles {
        agenda: "Termine und Fallkonferenzen",
        week: "Woche",
        form: "Fallkonferenz planen",
        detail: "Fallkonferenz",
    },
    empty: "Keine Termine. Neue Fallkonferenz: n (oder in der Fallakte: p)",
    clash: |who, what, when| format!("Überschneidung: {who} hat {when} „{what}“."),
    room_clash: |room, what, when| format!("Raum {room} ist {when} belegt („{what}“)."),
    all_free: "✓ Alle Teilnehmenden und der Raum sind frei.",
    proposals: "Nächste freie Termine",
    no_proposals: "Kein freier Termin in den nächsten Wochen.",
    start_placeholder: "z. B. 03.12.2026 14:30 oder morgen 10:00",
    case_found: |name, age| match age {
        Some(a) => format!("→ {name} ({a} J.)"),
        None => format!("→ {name}"),
    },
    case_unknown: "Kein Fall mit dieser Nummer in Ihrer Fallliste.",
    case_no_match: "Kein Fall mit diesem Namen in Ihrer Fallliste.",
    case_several: |n| format!("{n} Fälle passen: mit ←/→ wählen"),
    case_option: |id, name| format!("Nr. {id} · {name}"),
    clock_choices: [
        "nächste gültige Zeit",
        "erste, Sommerzeit",
        "zweite, Winterzeit",
    ],
    save_again: "Trotz Hinweis speichern: noch einmal Strg+S.",
    saved: "Fallkonferenz gespeichert.",
    exported: |path| format!("iCalendar-Datei geschrieben: {path}"),
    detail: [
        "Teilnehmende",
        "Offene Vereinbarungen (aus früheren Konferenzen)",
        "Vereinbarungen dieser Konferenz",
        "Protokoll",
    ],
    young_person: "Junge Person",
    anonymised: "nur anonymisiert",
    conference: "Fallkonferenz",
    decision: |i| format!("Vereinbarung {i}"),
    approved: |a, b| format!("Freigegeben von {a} und {b}"),
    week_hint: "Bild↑/Bild↓ Woche · w Liste",
    case_no: |n| format!("Fall {n}"),
    all_day: "ganztags",
};

/// English.
pub static EN: ConfStrings = ConfStrings {
    open_work: "Outstanding: minutes or approval",
    changed_meanwhile: |by, at, status, theirs| {
        let who = by.unwrap_or("Someone else");
        let when = at.map(|t| format!(" (on {t})")).unwrap_or_default();
        let minutes = if theirs.trim().is_empty() {
            String::new()
        } else {
            format!(" Their minutes: \"{}\".", theirs.trim())
        };
        format!(
            "{who} saved this case conference in the meantime{when}; state now: {status}.{minutes} Your input is below. Ctrl+S saves it over this state, Esc discards it."
        )
    },
    kind: |k| match k {
        ConferenceKind::First => "First conference",
        ConferenceKind::FollowUp => "Follow-up conference",
        ConferenceKind::Crisis => "Crisis conference",
        ConferenceKind::Transition => "Transition conference (§ 36b)",
    },
    status: |s| match s {
        ConferenceStatus::Requested => "Requested",
        ConferenceStatus::Scheduled => "Scheduled",
        ConferenceStatus::Invited => "Invited",
        ConferenceStatus::Held => "Held",
        ConferenceStatus::MinutesDraft => "Minutes draft",
        ConferenceStatus::MinutesApproved => "Minutes approved",
        ConferenceStatus::Postponed => "Postponed",
        ConferenceStatus::Cancelled => "Cancelled",
    },
    invitation: |i| match i {
        Invitation::Invited => "invited",
        Invitation::Accepted => "accepted",
        Invitation::Declined => "declined",
    },
    attendance: |a| match a {
        Attendance::Present => "present",
        Attendance::Excused => "excused",
        Attendance::Absent => "absent",
    },
    appointment: |k| match k {
        AppointmentKind::Conference => "Case conference",
        AppointmentKind::Plenary => "Plenary",
        AppointmentKind::TeamMeeting => "Meeting",
        AppointmentKind::Training => "Training",
        AppointmentKind::Hospitation => "Job shadowing",
        AppointmentKind::Absence => "Absence",
        AppointmentKind::Other => "Appointment",
        AppointmentKind::EarlyHelp => "Joint appointment",
    },
    holiday: |h| match h {
        Holiday::NewYear => "New Year's Day",
        Holiday::GoodFriday => "Good Friday",
        Holiday::EasterMonday => "Easter Monday",
        Holiday::LabourDay => "Labour Day",
        Holiday::Ascension => "Ascension Day",
        Holiday::WhitMonday => "Whit Monday",
        Holiday::CorpusChristi => "Corpus Christi",
        Holiday::GermanUnity => "German Unity Day",
        Holiday::AllSaints => "All Saints' Day",
        Holiday::Christmas => "Christmas Day",
        Holiday::BoxingDay => "Boxing Day",
    },
    slot_problem: |p| match p {
        SlotProblem::EndNotAfterStart => "The end is not after the start.".to_string(),
        SlotProblem::InPast => "The time lies in the past.".to_string(),
        SlotProblem::Weekend => "The time falls on a weekend.".to_string(),
        SlotProblem::Holiday(h) => format!("Public holiday: {}.", (EN.holiday)(h)),
        SlotProblem::ClosureDay => "Closure day of the office.".to_string(),
        SlotProblem::OutsideWorkingHours => "Outside office hours.".to_string(),
    },
    datetime_problem: |p| match p {
        DateTimeProblem::Format => {
            "Please enter e.g. “03.12.2026 14:30”, “morgen 10:00” or “+2w”.".to_string()
        }
        DateTimeProblem::DateDoesNotExist { day, month, year } => {
            format!("{day:02}.{month:02}.{year} does not exist.")
        }
        DateTimeProblem::TimeDoesNotExist { hour, minute } => {
            format!("{hour:02}:{minute:02} is not a time.")
        }
        DateTimeProblem::TimeMissing => "Please add the time, e.g. 14:30.".to_string(),
        DateTimeProblem::OutOfRange => "The date is too far away.".to_string(),
        DateTimeProblem::DurationOutOfRange { minutes } => {
            format!("{minutes} min: please between 15 minutes and 8 hours.")
        }
        DateTimeProblem::SkippedByClockChange { local, next } => format!(
            "{} does not exist (clock change, the clock jumps to {}). Please choose.",
            local.format("%d.%m.%Y %H:%M"),
            next.format("%H:%M")
        ),
        DateTimeProblem::TwiceByClockChange { local } => format!(
            "{} occurs twice (clock change): choose MESZ (first) or MEZ (second).",
            local.format("%d.%m.%Y %H:%M")
        ),
    },
    menu: |m| match m {
        ConfMenu::Invite => "Invite",
        ConfMenu::Held => "Record as held",
        ConfMenu::Minutes => "Minutes and agreements",
        ConfMenu::Approve => "Approve the minutes",
        ConfMenu::Postpone => "Postpone (new date)",
        ConfMenu::Cancel => "Cancel",
        ConfMenu::Export => "Invitation as iCalendar file (.ics)",
        ConfMenu::MeasureDone => "Agreement: set its state",
        ConfMenu::Participation => "Record answers and attendance",
        ConfMenu::Agenda => "Set the agenda",
        ConfMenu::Addendum => "Write an addendum to the minutes",
        ConfMenu::ApproveAddendum => "Approve the addendum",
    },
    measure_status: |m| match m {
        MeasureStatus::Open => "Open",
        MeasureStatus::InProgress => "In progress",
        MeasureStatus::Done => "Done",
        MeasureStatus::NotDone => "Not done",
        MeasureStatus::Dropped => "Dropped",
    },
    label: |k| match k {
        ConfField::CaseNo => "Case (number or name)",
        ConfField::Kind => "Kind",
        ConfField::Question => "Reason/question",
        ConfField::Start => "Date",
        ConfField::Duration => "Duration (minutes)",
        ConfField::Location => "Place (room, video, phone)",
        ConfField::YoungPerson => "Young person takes part",
        ConfField::Other => "Further professional",
        ConfField::External => "External person (name, organisation)",
        ConfField::Anonymised => "Anonymised only",
        ConfField::Slot => "Take a proposal",
        ConfField::ClockChoice => "Clock change",
        ConfField::CasePick => "Matches",
        ConfField::Minutes => "Minutes",
        ConfField::Text => "Agreement",
        ConfField::Responsible => "Responsible",
        ConfField::Due => "Due on",
        ConfField::Category => "Category",
        ConfField::Reason => "Reason",
        ConfField::Measure => "Agreement",
        ConfField::Status => "State",
        ConfField::Result => "Result",
    },
    weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    titles: ConfTitles {
        agenda: "Appointments and case conferences",
        week: "Week",
        form: "Plan a case conference",
        detail: "Case conference",
    },
    empty: "No appointments. New case conference: n (or in the case file: p)",
    clash: |who, what, when| format!("Clash: {who} has “{what}” {when}."),
    room_clash: |room, what, when| format!("Room {room} is taken {when} (“{what}”)."),
    all_free: "✓ Every participant and the room are free.",
    proposals: "Next free times",
    no_proposals: "No free time in the coming weeks.",
    start_placeholder: "e.g. 03.12.2026 14:30 or morgen 10:00",
    case_found: |name, age| match age {
        Some(a) => format!("→ {name} ({a} y)"),
        None => format!("→ {name}"),
    },
    case_unknown: "No case with this number in your case list.",
    case_no_match: "No case with this name in your case list.",
    case_several: |n| format!("{n} cases match: pick with ←/→"),
    case_option: |id, name| format!("No. {id} · {name}"),
    clock_choices: [
        "next valid time",
        "first, summer time",
        "second, winter time",
    ],
    save_again: "To keep it despite the warning: Ctrl+S again.",
    saved: "Case conference saved.",
    exported: |path| format!("iCalendar file written: {path}"),
    detail: [
        "Participants",
        "Open agreements (from earlier conferences)",
        "Agreements of this conference",
        "Minutes",
    ],
    young_person: "Young person",
    anonymised: "anonymised only",
    conference: "Case conference",
    decision: |i| format!("Agreement {i}"),
    approved: |a, b| format!("Approved by {a} and {b}"),
    week_hint: "PgUp/PgDn week · w list",
    case_no: |n| format!("Case {n}"),
    all_day: "all day",
};
