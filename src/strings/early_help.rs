//! Texts of early help for young parents (docs/early-help.md). German and English, both
//! full struct literals.

use crate::domain::early_help::{
    ChildBand, Concern, ContactPref, DueKind, EhData, EhState, EhStep, HelpKind, Outcome, Path,
};

/// The texts.
#[derive(Debug)]
pub struct EhStrings {
    /// The Jobcenter's list title.
    pub title: &'static str,
    /// The Jugendamt's inbox title.
    pub inbox: &'static str,
    /// The list is empty (Jobcenter; with the key for a new observation).
    pub empty: &'static str,
    /// The inbox is empty (Jugendamt).
    pub inbox_empty: &'static str,
    /// The states.
    pub state: fn(EhState) -> &'static str,
    /// The concerns.
    pub concern: fn(Concern) -> &'static str,
    /// The children's age bands.
    pub band: fn(ChildBand) -> &'static str,
    /// The contact preferences.
    pub pref: fn(ContactPref) -> &'static str,
    /// What a consent may list.
    pub data: fn(EhData) -> &'static str,
    /// The outcomes.
    pub outcome: fn(Outcome) -> &'static str,
    /// The kinds of help.
    pub help: fn(HelpKind) -> &'static str,
    /// The guide's paths (short).
    pub path: fn(Path) -> &'static str,
    /// Why the guide shows a path, in plain words.
    pub why: fn(Path) -> &'static str,
    /// "Wegweiser" heading of the guide.
    pub guide: &'static str,
    /// The observation form's Ctrl+S: "Weiter".
    pub next_key: &'static str,
    /// The observation form's title.
    pub observe_title: &'static str,
    /// The heading of the parent's rows (only early help keeps them).
    pub parent_heading: &'static str,
    /// The acute danger line with the numbers: office, on-call, after hours.
    pub phone_first: fn(&str, &str, &str) -> String,
    /// "Auch möglich: …".
    pub also: fn(&str) -> String,
    /// The steps.
    pub step: fn(EhStep) -> &'static str,
    /// Field labels by key.
    pub field: fn(&str) -> &'static str,
    /// Nothing to do here now.
    pub none: &'static str,
    /// The observation form's first lines.
    pub observe_hint: &'static str,
    /// A step form's first lines.
    pub step_hint: &'static str,
    /// "Gespeichert.".
    pub saved: &'static str,
    /// The guide showed "nothing to do" and the worker took it: nothing was stored.
    pub nothing_stored: &'static str,
    /// The path was recorded; the next form opens.
    pub path_recorded: &'static str,
    /// A reason is needed where the worker leaves the guide's path.
    pub reason_needed: &'static str,
    /// "Einwilligung widerrufen am …": the passed data are marked.
    pub revoked: fn(&str) -> String,
    /// A deadline: "Übernahme bis 01.12.2026" / "überfällig".
    pub due: fn(DueKind, &str, bool) -> String,
    /// "Rückmeldung nicht vereinbart".
    pub no_feedback: &'static str,
    /// After a refusal of the parent: the offers.
    pub declined_offer: &'static str,
    /// "In Kinderschutz-Mitteilung überführt" (+ the referral's number once sent).
    pub converted: fn(Option<i64>) -> String,
    /// What the send step passes on, as one line.
    pub send_summary: fn(&str, bool) -> String,
    /// The login line: waiting requests (early-help staff) and passed deadlines.
    pub login: fn(usize, usize) -> String,
    /// "2 neu" in the title of the early-help staff's inbox.
    pub new_count: fn(usize) -> String,
    /// A child in the observation form: "Kind 1".
    pub child: fn(usize) -> String,
    /// "Nicht eingeschätzt" for an unrated indicator.
    pub unrated: &'static str,
    /// "ja" / "nein".
    pub yes_no: [&'static str; 2],
    /// The joint appointment was booked; the calendar file's path.
    pub joint_booked: fn(&str) -> String,
    /// A time that is not HH:MM.
    pub bad_time: &'static str,
}

fn de_field(k: &str) -> &'static str {
    match k {
        "parent_name" => "Name der Eltern",
        "parent_contact" => "Kontakt",
        "case_no" => "Fallnummer",
        "children" => "Anzahl Kinder",
        "first_name" => "Vorname",
        "band" => "Alter",
        "weighty" => "Gewichtige Anhaltspunkte",
        "acute" => "Akute Gefahr",
        "facts" => "Beobachtung (Tatsachen)",
        "path" => "Gewählter Weg",
        "reason" => "Begründung (anderer Weg)",
        "talk_on" => "Gespräch geführt am",
        "concerns" => "Anliegen",
        "own_words" => "In Worten der Eltern",
        "contact_pref" => "Kontaktwunsch",
        "best_times" => "Gut erreichbar",
        "signed_on" => "Einwilligung am",
        "declared_by" => "Erklärt durch",
        "form" => "Form",
        "document_ref" => "Ablage (Dokument)",
        "data" => "Weitergabe",
        "feedback" => "Rückmeldung an JC",
        "declined_on" => "Abgelehnt am",
        "follow_up_on" => "Wiedervorlage am",
        "first_contact_on" => "Erstkontakt am",
        "outcome" => "Ergebnis",
        "help_kind" => "Angenommene Hilfe",
        "revoked_on" => "Widerruf am",
        "state" => "Stand",
        "requested_by" => "Angefragt von",
        "taken_by" => "Übernommen von",
        "sent_at" => "Gesendet am",
        "passed" => "Übermittelt",
        "indicators" => "Anhaltspunkte",
        "guide" => "Wegweiser zeigte",
        "due" => "Frist",
        "summary" => "Es geht an die Frühen Hilfen",
        "joint_day" => "Tag",
        "joint_time" => "Uhrzeit (HH:MM)",
        "joint_minutes" => "Dauer",
        "room" => "Raum",
        "joint" => "Gemeinsamer Termin",
        _ => "?",
    }
}

fn en_field(k: &str) -> &'static str {
    match k {
        "parent_name" => "Parent's name",
        "parent_contact" => "Contact",
        "case_no" => "Case number (if any)",
        "children" => "Number of children",
        "first_name" => "First name",
        "band" => "Age",
        "weighty" => "Weighty indications",
        "acute" => "Acute danger",
        "facts" => "Observation (facts)",
        "path" => "Path taken",
        "reason" => "Reason (another path)",
        "talk_on" => "Talk held on",
        "concerns" => "Concerns",
        "own_words" => "In the parent's words",
        "contact_pref" => "Contact wish",
        "best_times" => "Best reached",
        "signed_on" => "Consent on",
        "declared_by" => "Declared by",
        "form" => "Form",
        "document_ref" => "Filed (document)",
        "data" => "Passed to early help",
        "feedback" => "Feedback to the Jobcenter",
        "declined_on" => "Declined on",
        "follow_up_on" => "Follow up on",
        "first_contact_on" => "First contact on",
        "outcome" => "Outcome",
        "help_kind" => "Help accepted",
        "revoked_on" => "Revoked on",
        "state" => "State",
        "requested_by" => "Requested by",
        "taken_by" => "Taken by",
        "sent_at" => "Sent on",
        "passed" => "Passed on",
        "indicators" => "Indications",
        "guide" => "Guide showed",
        "due" => "Deadline",
        "summary" => "Goes to early help",
        "joint_day" => "Day",
        "joint_time" => "Time (HH:MM)",
        "joint_minutes" => "Length",
        "room" => "Room",
        "joint" => "Joint appointment",
        _ => "?",
    }
}

/// German.
pub const DE: EhStrings = EhStrings {
    title: "Frühe Hilfen: Kontaktvermittlungen",
    inbox: "Eingang Frühe Hilfen",
    empty: "Keine Kontaktvermittlungen. Neue Beobachtung mit Wegweiser: n",
    inbox_empty: "Keine Kontaktanfragen.",
    state: |s| match s {
        EhState::Observed => "Beobachtung",
        EhState::Talked => "Gespräch geführt",
        EhState::Consented => "Einwilligung liegt vor",
        EhState::Declined => "Einwilligung verweigert",
        EhState::Requested => "Kontaktanfrage gesendet",
        EhState::Taken => "Übernommen",
        EhState::Contacted => "Kontakt aufgenommen",
        EhState::Closed => "Abgeschlossen",
        EhState::Withdrawn => "Zurückgezogen",
        EhState::Converted => "In Kinderschutz-Mitteilung überführt",
    },
    concern: |c| match c {
        Concern::Overwhelmed => "Überforderung",
        Concern::Health => "Gesundheit/U-Untersuchungen",
        Concern::Pregnancy => "Schwangerschaft",
        Concern::Housing => "Wohnen",
        Concern::SingleParent => "Alleinerziehend",
        Concern::Language => "Sprache/Orientierung",
        Concern::Other => "Sonstiges",
    },
    band: |b| match b {
        ChildBand::Under1 => "unter 1 Jahr",
        ChildBand::B1 => "1–2 Jahre",
        ChildBand::B3 => "3–5 Jahre",
        ChildBand::B6 => "6 Jahre und älter",
        ChildBand::Expected => "erwartet",
    },
    pref: |p| match p {
        ContactPref::Phone => "Telefon",
        ContactPref::HomeVisit => "Hausbesuch",
        ContactPref::Joint => "Gemeinsamer Termin",
        ContactPref::Office => "Im Amt",
    },
    data: |d| match d {
        EhData::Contact => "Name und Kontaktdaten der Eltern",
        EhData::Children => "Vornamen und Alter der Kinder",
        EhData::Concern => "Anliegen",
        EhData::OwnWords => "In Worten der Eltern",
    },
    outcome: |o| match o {
        Outcome::Accepted => "Hilfe angenommen",
        Outcome::NoHelpWanted => "Kontakt zustande gekommen – keine Hilfe gewünscht",
        Outcome::NoContact => "Kontakt nicht zustande gekommen",
    },
    help: |h| match h {
        HelpKind::FamilyMidwife => "Familienhebamme/FGKiKP",
        HelpKind::Welcome => "Willkommensbesuch",
        HelpKind::Group => "Eltern-Kind-Gruppe",
        HelpKind::Counselling => "Erziehungsberatung",
        HelpKind::CryClinic => "Schreiambulanz",
        HelpKind::Hze => "Hilfe zur Erziehung beantragt",
        HelpKind::Other => "andere",
    },
    path: |p| match p {
        Path::Nothing => "Kein Handlungsbedarf",
        Path::EarlyHelp => "Gespräch führen und Frühe Hilfen anbieten",
        Path::Consult => "Anonyme Fallberatung (InsoFa)",
        Path::Referral => "Kinderschutz-Mitteilung",
    },
    why: |p| match p {
        Path::Nothing => {
            "Alles grün: Es ist nichts zu tun, und über das Kind wird nichts gespeichert."
        }
        Path::EarlyHelp => {
            "Gelb, kein Rot: Sprechen Sie mit den Eltern und bieten Sie Frühe Hilfen an. Mit ihrer Einwilligung vermittelt Tandem den Kontakt."
        }
        Path::Consult => "Unsicher? Eine InsoFa berät anonym, ohne Namen (§ 8b SGB VIII).",
        Path::Referral => {
            "Rot oder gewichtige Anhaltspunkte: Das ist eine Kinderschutz-Mitteilung an das Jugendamt."
        }
    },
    guide: "Wegweiser",
    next_key: "Weiter",
    observe_title: "Frühe Hilfen: Beobachtung mit Wegweiser",
    parent_heading: "Eltern und Beobachtung (nur für die Kontaktvermittlung)",
    phone_first: |office, oncall, after| {
        format!(
            "Akute Gefahr: zuerst anrufen! Dienstzeit {office} · Rufbereitschaft {oncall} · sonst {after}. Danach dokumentieren."
        )
    },
    also: |p| format!("Auch möglich: {p}."),
    step: |s| match s {
        EhStep::Talk => "Gespräch erfassen",
        EhStep::Consent => "Einwilligung erfassen",
        EhStep::Decline => "Einwilligung verweigert",
        EhStep::Send => "Kontaktanfrage senden",
        EhStep::Take => "Übernehmen",
        EhStep::Contact => "Erstkontakt erfassen",
        EhStep::Close => "Abschließen",
        EhStep::Revoke => "Widerruf erfassen",
        EhStep::Convert => "In Kinderschutz-Mitteilung überführen",
        EhStep::Joint => "Gemeinsamer Termin (Übergabe)",
    },
    field: de_field,
    none: "An dieser Kontaktvermittlung ist gerade nichts von Ihnen zu tun.",
    observe_hint: "Der Wegweiser zeigt, welcher Weg passt – er entscheidet nicht. Ein anderer Weg braucht eine Begründung.",
    step_hint: "Strg+S speichern · Esc schließen",
    saved: "Gespeichert.",
    nothing_stored: "Kein Handlungsbedarf: Über das Kind wurde nichts gespeichert.",
    path_recorded: "Der gewählte Weg ist vermerkt.",
    reason_needed: "Sie weichen vom Wegweiser ab: Bitte begründen.",
    revoked: |on| {
        format!(
            "Einwilligung widerrufen am {on}: Übermitteltes nicht weiter verwenden, kein weiterer Kontakt."
        )
    },
    due: |k, at, overdue| {
        let what = match k {
            DueKind::Take => "Übernahme",
            DueKind::Contact => "Erstkontakt",
        };
        if overdue {
            format!("!! {what} überfällig (seit {at})")
        } else {
            format!("{what} bis {at}")
        }
    },
    no_feedback: "Rückmeldung nicht vereinbart",
    declined_offer: "Angebote: anonyme Fallberatung (b auf der Liste) · Wiedervorlage setzen",
    converted: |id| match id {
        Some(id) => format!("In Kinderschutz-Mitteilung überführt (Nr. {id})"),
        None => "In Kinderschutz-Mitteilung überführt (Entwurf)".to_string(),
    },
    send_summary: |data, feedback| {
        format!(
            "{data}. Rückmeldung an das Jobcenter: {}. Nie: Ihre Beobachtung, Anhaltspunkte, Leistungsdaten.",
            if feedback { "ja" } else { "nein" }
        )
    },
    login: |waiting, overdue| {
        let w = match waiting {
            0 => String::new(),
            1 => "eine Kontaktanfrage wartet".to_string(),
            n => format!("{n} Kontaktanfragen warten"),
        };
        let o = match overdue {
            0 => String::new(),
            1 => "eine Frist ist überschritten".to_string(),
            n => format!("{n} Fristen sind überschritten"),
        };
        let both = [w, o]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let mark = if overdue > 0 { "⚠ " } else { "" };
        format!("{mark}Frühe Hilfen: {both} (F4, h).")
    },
    new_count: |n| format!("{n} neu"),
    child: |i| format!("Kind {i}"),
    unrated: "–",
    yes_no: ["ja", "nein"],
    joint_booked: |path| {
        format!("Gemeinsamer Termin eingetragen (F3, beide Fachkräfte). Kalenderdatei: {path}")
    },
    bad_time: "Bitte die Uhrzeit als HH:MM eingeben, z. B. 09:30.",
};

/// English.
pub const EN: EhStrings = EhStrings {
    title: "Early help: contact requests",
    inbox: "Early help inbox",
    empty: "No contact requests. New observation with the guide: n",
    inbox_empty: "No contact requests.",
    state: |s| match s {
        EhState::Observed => "Observation",
        EhState::Talked => "Talk held",
        EhState::Consented => "Consent given",
        EhState::Declined => "Consent refused",
        EhState::Requested => "Request sent",
        EhState::Taken => "Taken",
        EhState::Contacted => "Contact made",
        EhState::Closed => "Closed",
        EhState::Withdrawn => "Withdrawn",
        EhState::Converted => "Turned into a referral",
    },
    concern: |c| match c {
        Concern::Overwhelmed => "Overwhelmed",
        Concern::Health => "Health/check-ups",
        Concern::Pregnancy => "Pregnancy",
        Concern::Housing => "Housing",
        Concern::SingleParent => "Single parent",
        Concern::Language => "Language/orientation",
        Concern::Other => "Other",
    },
    band: |b| match b {
        ChildBand::Under1 => "under 1",
        ChildBand::B1 => "1–2 years",
        ChildBand::B3 => "3–5 years",
        ChildBand::B6 => "6 and older",
        ChildBand::Expected => "expected",
    },
    pref: |p| match p {
        ContactPref::Phone => "Phone",
        ContactPref::HomeVisit => "Home visit",
        ContactPref::Joint => "Joint appointment",
        ContactPref::Office => "At the office",
    },
    data: |d| match d {
        EhData::Contact => "Parent's name and contact",
        EhData::Children => "Children's first names and ages",
        EhData::Concern => "Concern",
        EhData::OwnWords => "In the parent's words",
    },
    outcome: |o| match o {
        Outcome::Accepted => "Help accepted",
        Outcome::NoHelpWanted => "Contact made – no help wanted",
        Outcome::NoContact => "No contact made",
    },
    help: |h| match h {
        HelpKind::FamilyMidwife => "Family midwife/nurse",
        HelpKind::Welcome => "Welcome visit",
        HelpKind::Group => "Parent-child group",
        HelpKind::Counselling => "Parenting counselling",
        HelpKind::CryClinic => "Crying-baby clinic",
        HelpKind::Hze => "Youth welfare help applied for",
        HelpKind::Other => "other",
    },
    path: |p| match p {
        Path::Nothing => "Nothing to do",
        Path::EarlyHelp => "Talk and offer early help",
        Path::Consult => "Anonymous consultation (InsoFa)",
        Path::Referral => "Child-protection referral",
    },
    why: |p| match p {
        Path::Nothing => "All green: nothing to do, and nothing about the child is stored.",
        Path::EarlyHelp => {
            "Yellow, no red: talk with the parent and offer early help. With their consent Tandem passes on the contact."
        }
        Path::Consult => "Unsure? An InsoFa advises anonymously, without names (§ 8b SGB VIII).",
        Path::Referral => {
            "Red or weighty indications: this is a child-protection referral to the youth office."
        }
    },
    guide: "Guide",
    next_key: "Next",
    observe_title: "Early help: observation with the guide",
    parent_heading: "Parent and observation (kept for the contact request only)",
    phone_first: |office, oncall, after| {
        format!(
            "Acute danger: phone first! Office hours {office} · on call {oncall} · otherwise {after}. Document afterwards."
        )
    },
    also: |p| format!("Also possible: {p}."),
    step: |s| match s {
        EhStep::Talk => "Record the talk",
        EhStep::Consent => "Record the consent",
        EhStep::Decline => "Consent refused",
        EhStep::Send => "Send the request",
        EhStep::Take => "Take it",
        EhStep::Contact => "Record the first contact",
        EhStep::Close => "Close",
        EhStep::Revoke => "Record a revocation",
        EhStep::Convert => "Turn into a child-protection referral",
        EhStep::Joint => "Joint appointment (hand-over)",
    },
    field: en_field,
    none: "Nothing on this contact request is yours to do right now.",
    observe_hint: "The guide shows which path fits – it does not decide. Another path needs a reason.",
    step_hint: "Ctrl+S save · Esc close",
    saved: "Saved.",
    nothing_stored: "Nothing to do: nothing about the child was stored.",
    path_recorded: "The path taken is recorded.",
    reason_needed: "You leave the guide's path: please give a reason.",
    revoked: |on| {
        format!("Consent revoked on {on}: do not use what was passed on, no further contact.")
    },
    due: |k, at, overdue| {
        let what = match k {
            DueKind::Take => "Taking",
            DueKind::Contact => "First contact",
        };
        if overdue {
            format!("!! {what} overdue (since {at})")
        } else {
            format!("{what} by {at}")
        }
    },
    no_feedback: "No feedback agreed",
    declined_offer: "Offers: anonymous consultation (b on the list) · set a follow-up",
    converted: |id| match id {
        Some(id) => format!("Turned into a child-protection referral (no. {id})"),
        None => "Turned into a child-protection referral (draft)".to_string(),
    },
    send_summary: |data, feedback| {
        format!(
            "{data}. Feedback to the Jobcenter: {}. Never: your observation, indications, benefit data.",
            if feedback { "yes" } else { "no" }
        )
    },
    login: |waiting, overdue| match (waiting, overdue) {
        (0, n) => format!("⚠ Early help: {n} deadline(s) passed (F4, h)."),
        (w, 0) => format!("Early help: {w} request(s) waiting (F4, h)."),
        (w, o) => format!("⚠ Early help: {w} waiting, {o} deadline(s) passed (F4, h)."),
    },
    new_count: |n| format!("{n} new"),
    child: |i| format!("Child {i}"),
    unrated: "–",
    yes_no: ["yes", "no"],
    joint_booked: |path| {
        format!("Joint appointment booked (F3, both professionals). Calendar file: {path}")
    },
    bad_time: "Please enter the time as HH:MM, e.g. 09:30.",
};
