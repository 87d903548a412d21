//! Texts of the case file's own records (docs/casework.md): the forms for custody holders,
//! children and agreed measures, the menu that opens them, statutory transfers and the
//! notice of a revoked consent. German and English, both full struct literals.

use crate::domain::casefile::{ChildRelation, StatutoryBasis};
use crate::domain::conference::{ConfDeadline, LifeArea};
use crate::domain::coop::MeasureCategory;
use crate::domain::handover::{HandoverStatus, HandoverStep, HelpType};

/// The texts.
#[derive(Debug)]
pub struct CaseworkStrings {
    /// Title of the menu (`a` in a case file).
    pub menu_title: &'static str,
    /// Nobody here may record: a lead, a break-glass access, the partner (family records).
    pub menu_none: &'static str,
    /// Menu entries: new custody holder, new child, new measure.
    pub menu_new: [&'static str; 3],
    /// Menu entries that edit a record: kind word ("Sorgeberechtigte/r", …) and its name.
    pub menu_edit: fn(usize, &str) -> String,
    /// Form titles, new (custody holder, child, measure).
    pub title_new: [&'static str; 3],
    /// Form titles, edit.
    pub title_edit: [&'static str; 3],
    /// Labels by field key.
    pub field: fn(&str) -> &'static str,
    /// "Bezug" of a child.
    pub child_relation: fn(ChildRelation) -> &'static str,
    /// Responsible: the young person.
    pub responsible_young: &'static str,
    /// Responsible: someone outside, named below.
    pub responsible_external: &'static str,
    /// A measure's category.
    pub category: fn(MeasureCategory) -> &'static str,
    /// No category chosen.
    pub no_category: &'static str,
    /// A required field is empty.
    pub required: &'static str,
    /// A date that cannot be read.
    pub bad_date: &'static str,
    /// Text longer than the limit (the limit).
    pub too_long: fn(usize) -> String,
    /// A birth date in the future.
    pub birth_future: &'static str,
    /// An end before the birth.
    pub end_before_birth: &'static str,
    /// "Nicht erledigt"/"Entfallen" without the reason.
    pub result_needed: &'static str,
    /// An external responsible without a name.
    pub external_name: &'static str,
    /// Saved.
    pub saved: &'static str,
    /// The marker of an ended record ("beendet am 01.10.2026").
    pub ended: fn(&str) -> String,
    /// The hint over the form (keys, drafts, the limits).
    pub form_hint: &'static str,
    /// The record is gone or no longer visible.
    pub gone: &'static str,
    /// A partner's measure: its state is set with `v`, its words are the owner's.
    pub partner_measure: &'static str,
    /// Transfer form: the basis choice's label, the consent option.
    pub basis_label: &'static str,
    /// The consent option of the basis choice ("Einwilligung vom …").
    pub basis_consent: fn(&str) -> String,
    /// Statutory bases.
    pub statute: fn(StatutoryBasis) -> &'static str,
    /// Justification label.
    pub justification: &'static str,
    /// Justification missing for a statute.
    pub justification_needed: &'static str,
    /// The family records section of the transfer preview.
    pub transfer_family: &'static str,
    /// A family record the consent does not cover ("Familie" missing).
    pub family_not_covered: &'static str,
    /// Notice at login and in the file: consent revoked (date, case number) and what was
    /// received on it.
    pub revoked_notice: fn(&str, i64, &str) -> String,
    /// In the file, above the list of what may no longer be used.
    pub revoked_in_file: fn(&str) -> String,
    /// Words for a received custody holder / child in those lists.
    pub received_words: [&'static str; 2],
    /// The agenda field (one item per line).
    pub agenda_field: &'static str,
    /// Heading of an agenda item in the minutes ("TOP 2: Aktuelle Situation").
    pub item_heading: fn(u32, &str) -> String,
    /// The minutes of an item.
    pub item_minutes: &'static str,
    /// The decision of an item.
    pub item_decision: &'static str,
    /// Heading of the life areas.
    pub areas_heading: &'static str,
    /// A life area.
    pub area: fn(LifeArea) -> &'static str,
    /// "Zusammenfassung in einfacher Sprache".
    pub summary: &'static str,
    /// The addendum field.
    pub addendum: &'static str,
    /// An addendum in the detail: who wrote it when, and its approvals.
    pub addendum_line: fn(&str, &str, Option<&str>, Option<&str>) -> String,
    /// Heading "Tagesordnung" in the detail.
    pub agenda_heading: [&'static str; 1],
    /// Heading of the addenda in the detail.
    pub addenda_heading: &'static str,
    /// Nothing to approve.
    pub nothing_to_approve: &'static str,
    /// A custody holder marked "Kontakt gefährdet" in the participants: not invited.
    pub no_invitation: &'static str,
    /// The date field of "Vertagen" on a planned conference: empty rests it as "Vertagt".
    pub postpone_placeholder: &'static str,
    /// A waiting escalation: reference, clock, due (Berlin), how many wait.
    pub escalation: fn(&str, &str, &str, usize) -> String,
    /// A referral without its Jugendamt number yet (in an escalation).
    pub no_reference: &'static str,
    /// F9 with nothing waiting.
    pub no_escalation: &'static str,
    /// An escalation acknowledged.
    pub escalation_acked: &'static str,
    /// The rota line: who is on call now (names with "bis"), and next.
    pub rota_line: fn(&str, &str) -> String,
    /// Nobody on call now / no next shift.
    pub rota_nobody: &'static str,
    /// An on-call worker outside their shift.
    pub off_shift: &'static str,
    /// "bis" / "ab" with a time.
    pub until_from: [fn(&str) -> String; 2],
    /// The rota form: title, labels (worker, from, to), hint.
    pub rota_form: [&'static str; 5],
    /// A shift saved.
    pub shift_saved: &'static str,
    /// `n` on F6 by someone who is not the Jugendamt's lead.
    pub rota_lead_only: &'static str,
    /// The hand-over: section title, menu title.
    pub handover_title: [&'static str; 2],
    /// The label of the hand-over's state ("Stand").
    pub handover_state: &'static str,
    /// A hand-over state.
    pub handover_status: fn(HandoverStatus) -> &'static str,
    /// A hand-over step (menu entry and dialog title).
    pub handover_step: fn(HandoverStep) -> &'static str,
    /// A running help.
    pub help_type: fn(HelpType) -> &'static str,
    /// Labels: help, planned end, check due, Hilfeplan, applied on, handed over on, reason,
    /// the day of the step.
    pub handover_fields: [&'static str; 8],
    /// The transition conference's line: last day, and whether one is planned.
    pub handover_conference: fn(&str, bool, bool) -> String,
    /// Nothing to do on the hand-over for this person now.
    pub handover_none: &'static str,
    /// The login alert of an unsent referral draft untouched for days.
    pub stale_referral_draft: fn(i64) -> String,
    /// A deadline of docs/domain.md 4.2 in the conference's detail.
    pub conf_deadline: fn(ConfDeadline) -> String,
    /// The planning form's tick for a custody holder ("Sorgeberechtigte/r: Name").
    pub guardian_tick: fn(&str, bool) -> String,
}

fn de_field(k: &str) -> &'static str {
    match k {
        "name" => "Name",
        "relation" => "Beziehung",
        "custody" => "Sorgerecht",
        "phone" => "Telefon",
        "do_not_contact" => "Kontakt gefährdet",
        "ended_on" => "Beendet am (TT.MM.JJJJ)",
        "birth" => "Geburtsdatum (TT.MM.JJJJ)",
        "child_relation" => "Bezug",
        "whereabouts" => "Aufenthaltsort",
        "text" => "Vereinbarung",
        "category" => "Kategorie",
        "responsible" => "Verantwortlich",
        "external" => "Name (extern)",
        "due" => "Fällig am (TT.MM.JJJJ)",
        "status" => "Stand",
        "result" => "Ergebnis / Grund",
        _ => "?",
    }
}

fn en_field(k: &str) -> &'static str {
    match k {
        "name" => "Name",
        "relation" => "Relation",
        "custody" => "Custody",
        "phone" => "Phone",
        "do_not_contact" => "Contact endangers",
        "ended_on" => "Ended on (DD.MM.YYYY)",
        "birth" => "Date of birth (DD.MM.YYYY)",
        "child_relation" => "Relation",
        "whereabouts" => "Whereabouts",
        "text" => "Agreement",
        "category" => "Category",
        "responsible" => "Responsible",
        "external" => "Name (external)",
        "due" => "Due on (DD.MM.YYYY)",
        "status" => "State",
        "result" => "Result / reason",
        _ => "?",
    }
}

/// German.
pub const DE: CaseworkStrings = CaseworkStrings {
    menu_title: "Angaben der Akte",
    menu_none: "Nur wer den Fall bearbeitet, erfasst hier Angaben.",
    menu_new: [
        "Sorgeberechtigte/n erfassen",
        "Kind erfassen",
        "Vereinbarung erfassen",
    ],
    menu_edit: |k, name| {
        let kind = ["Sorgeberechtigte/r", "Kind", "Vereinbarung"]
            .get(k)
            .copied()
            .unwrap_or("");
        format!("{kind} ändern/beenden: {name}")
    },
    title_new: [
        "Neue/r Sorgeberechtigte/r",
        "Neues Kind",
        "Neue Vereinbarung",
    ],
    title_edit: ["Sorgeberechtigte/r", "Kind", "Vereinbarung"],
    field: de_field,
    child_relation: |r| match r {
        ChildRelation::Own => "eigenes Kind",
        ChildRelation::Sibling => "Geschwister",
        ChildRelation::InHousehold => "Kind im Haushalt",
    },
    responsible_young: "junge Person",
    responsible_external: "extern (Name unten)",
    category: super::coop::de_category,
    no_category: "– ohne –",
    required: "Bitte ausfüllen.",
    bad_date: "Datum als TT.MM.JJJJ eingeben, z. B. 12.11.2026.",
    too_long: |n| format!("Höchstens {n} Zeichen."),
    birth_future: "Das Geburtsdatum liegt in der Zukunft.",
    end_before_birth: "Das Ende liegt vor der Geburt.",
    result_needed: "Bei „Nicht erledigt“ oder „Entfallen“ bitte den Grund nennen.",
    external_name: "Bitte den Namen der externen Stelle eintragen.",
    saved: "Gespeichert.",
    ended: |d| format!("beendet am {d}"),
    form_hint: "Tab nächstes Feld · Leertaste/←→ Auswahl · Strg+S speichern · Esc schließen. Eingaben bleiben als Entwurf erhalten.",
    gone: "Diesen Eintrag gibt es nicht mehr, oder er ist nicht mehr sichtbar.",
    partner_measure: "Vereinbarung der Partnerstelle: den Stand mit „v“ setzen; den Wortlaut ändert die Partnerstelle.",
    basis_label: "Rechtsgrundlage",
    basis_consent: |d| format!("Einwilligung vom {d}"),
    statute: |b| match b {
        StatutoryBasis::Sgb10S69 => "§ 69 Abs. 1 Nr. 1 SGB X (eigene Aufgabe)",
        StatutoryBasis::Sgb10S71 => "§ 71 SGB X (Mitteilungspflicht)",
        StatutoryBasis::Kkg4 => "§ 4 Abs. 3 KKG (Kindeswohl)",
        StatutoryBasis::Sgb8S8a => "§ 8a Abs. 5 SGB VIII (Schutzauftrag)",
    },
    justification: "Begründung",
    justification_needed: "Ohne Einwilligung bitte begründen, warum die Norm die Übermittlung erlaubt.",
    transfer_family: "Sorgeberechtigte und Kinder",
    family_not_covered: "Die Einwilligung deckt „Familie“ nicht: Sorgeberechtigte und Kinder bleiben hier.",
    revoked_notice: |d, case, what| {
        format!("Einwilligung zu Fall {case} am {d} widerrufen: {what} nicht mehr verwenden.")
    },
    revoked_in_file: |d| format!("Einwilligung am {d} widerrufen – nicht mehr verwenden:"),
    received_words: ["Sorgeberechtigte/r", "Kind"],
    agenda_field: "Tagesordnung (ein Punkt je Zeile)",
    item_heading: |n, t| format!("TOP {n}: {t}"),
    item_minutes: "Protokoll zu diesem Punkt",
    item_decision: "Vereinbarung zu diesem Punkt",
    areas_heading: "Aktuelle Situation nach Lebensbereichen",
    area: |a| match a {
        LifeArea::School => "Schule/Ausbildung",
        LifeArea::Work => "Arbeit",
        LifeArea::Housing => "Wohnen",
        LifeArea::Family => "Familie",
        LifeArea::Health => "Gesundheit",
        LifeArea::Finances => "Finanzen/Schulden",
        LifeArea::Justice => "Justiz",
        LifeArea::Social => "Soziales Umfeld",
    },
    summary: "Zusammenfassung in einfacher Sprache",
    addendum: "Nachtrag",
    addendum_line: |by, at, first, second| match (first, second) {
        (_, Some(b)) => format!("{by}, {at} – freigegeben ({}, {b})", first.unwrap_or("")),
        (Some(a), None) => format!("{by}, {at} – erste Freigabe: {a}, zweite steht aus"),
        (None, None) => format!("{by}, {at} – noch nicht freigegeben"),
    },
    agenda_heading: ["Tagesordnung"],
    addenda_heading: "Nachträge",
    nothing_to_approve: "Kein Nachtrag wartet auf Freigabe.",
    no_invitation: "Kontakt gefährdet – keine Einladung",
    postpone_placeholder: "TT.MM.JJJJ HH:MM – leer: vertagt, Termin offen",
    escalation: |r, clock, due, n| {
        let more = if n > 1 {
            format!(" 1/{n}")
        } else {
            String::new()
        };
        format!("⚠ F9 Eskalation{more}: {r} · {clock} überfällig {due}")
    },
    no_reference: "ohne KS-Nr.",
    no_escalation: "Keine Eskalation wartet auf Bestätigung.",
    escalation_acked: "Eskalation bestätigt (protokolliert).",
    rota_line: |now, next| format!("Bereitschaft jetzt: {now} · danach: {next}"),
    rota_nobody: "niemand eingetragen",
    off_shift: "Sie haben gerade keinen Bereitschaftsdienst: hier stehen nur Ihre eigenen Mitteilungen, alle übrigen in Ihrer Schicht.",
    until_from: [|t| format!("bis {t}"), |t| format!("ab {t}")],
    rota_form: [
        "Bereitschaftsdienst eintragen",
        "Fachkraft (Bereitschaft)",
        "Von (TT.MM.JJJJ HH:MM)",
        "Bis (TT.MM.JJJJ HH:MM)",
        "Strg+S speichern · Esc schließen. Höchstens 7 Tage je Dienst; Eingaben bleiben als Entwurf erhalten.",
    ],
    shift_saved: "Bereitschaftsdienst eingetragen.",
    rota_lead_only: "Den Bereitschaftsplan trägt die Leitung des Jugendamts ein.",
    handover_title: ["Übergang Jugendamt → Jobcenter", "Übergang JA → JC"],
    handover_state: "Stand",
    handover_status: |s| match s {
        HandoverStatus::Flagged => "Vorgemerkt",
        HandoverStatus::Checking => "In Prüfung",
        HandoverStatus::Agreed => "Vereinbart",
        HandoverStatus::Applied => "Antrag gestellt",
        HandoverStatus::HandedOver => "Übergeben",
        HandoverStatus::Dropped => "Entfallen",
    },
    handover_step: |s| match s {
        HandoverStep::Check => "Prüfung beginnen",
        HandoverStep::Agree => "Übergang vereinbart (Hilfeplan)",
        HandoverStep::Apply => "Antrag beim Jobcenter gestellt",
        HandoverStep::HandOver => "Übergeben",
        HandoverStep::Drop => "Übergang entfällt",
    },
    help_type: |h| match h {
        HelpType::Hze => "Hilfe zur Erziehung",
        HelpType::Sgb8_35a => "§ 35a Eingliederungshilfe",
        HelpType::Sgb8_41 => "§ 41 Hilfe für junge Volljährige",
    },
    handover_fields: [
        "Laufende Hilfe",
        "Geplantes Hilfeende (TT.MM.JJJJ)",
        "Prüfung fällig ab",
        "Hilfeplan vom",
        "Antrag beim JC am",
        "Übergabe am",
        "Grund",
        "Am (TT.MM.JJJJ)",
    ],
    handover_conference: |due, planned, passed| match (planned, passed) {
        (true, _) => format!("Übergangskonferenz geplant (spätestens {due})"),
        (false, true) => format!("⚠ Übergangskonferenz überfällig: spätestens {due}"),
        (false, false) => format!("Übergangskonferenz spätestens {due} (mit „p“ planen)"),
    },
    handover_none: "Am Übergang ist gerade nichts von Ihnen zu tun.",
    stale_referral_draft: |d| {
        format!(
            "⚠ Ihr Entwurf einer Kinderschutz-Mitteilung ist seit {d} Tagen unberührt: bitte senden oder verwerfen (F4)."
        )
    },
    conf_deadline: |d| {
        let day = |x: chrono::NaiveDate| x.format("%d.%m.%Y").to_string();
        let (text, passed) = match d {
            ConfDeadline::HoldBy(x, p) => {
                (format!("Durchführen bis {} (Frist ab Antrag)", day(x)), p)
            }
            ConfDeadline::InviteBy(x, p) => {
                (format!("Einladen bis {} (5 Arbeitstage vorher)", day(x)), p)
            }
            ConfDeadline::DraftBy(x, p) => (format!("Protokollentwurf bis {}", day(x)), p),
            ConfDeadline::ApproveBy(x, p) => (format!("Freigabe des Protokolls bis {}", day(x)), p),
        };
        if passed {
            format!("⚠ Frist überschritten: {text}")
        } else {
            text
        }
    },
    guardian_tick: |name, no_contact| {
        if no_contact {
            format!("Sorgeberechtigte/r: {name} (Kontakt gefährdet – keine Einladung)")
        } else {
            format!("Sorgeberechtigte/r: {name}")
        }
    },
};

/// English.
pub const EN: CaseworkStrings = CaseworkStrings {
    menu_title: "Case file records",
    menu_none: "Only staff working on the case record details here.",
    menu_new: ["Add custody holder", "Add child", "Add agreement"],
    menu_edit: |k, name| {
        let kind = ["Custody holder", "Child", "Agreement"]
            .get(k)
            .copied()
            .unwrap_or("");
        format!("{kind}: change/end {name}")
    },
    title_new: ["New custody holder", "New child", "New agreement"],
    title_edit: ["Custody holder", "Child", "Agreement"],
    field: en_field,
    child_relation: |r| match r {
        ChildRelation::Own => "own child",
        ChildRelation::Sibling => "sibling",
        ChildRelation::InHousehold => "child in household",
    },
    responsible_young: "young person",
    responsible_external: "external (name below)",
    category: super::coop::en_category,
    no_category: "– none –",
    required: "Please fill in.",
    bad_date: "Enter the date as DD.MM.YYYY, e.g. 12.11.2026.",
    too_long: |n| format!("At most {n} characters."),
    birth_future: "The date of birth lies in the future.",
    end_before_birth: "The end lies before the birth.",
    result_needed: "For \"not done\" or \"dropped\" please give the reason.",
    external_name: "Please enter the name of the external body.",
    saved: "Saved.",
    ended: |d| format!("ended on {d}"),
    form_hint: "Tab next field · Space/←→ choose · Ctrl+S save · Esc close. What you type is kept as a draft.",
    gone: "This record no longer exists or is no longer visible.",
    partner_measure: "The partner's agreement: set its state with \"v\"; its wording is the partner's.",
    basis_label: "Legal basis",
    basis_consent: |d| format!("Consent of {d}"),
    statute: |b| match b {
        StatutoryBasis::Sgb10S69 => "§ 69 (1) no. 1 SGB X (own task)",
        StatutoryBasis::Sgb10S71 => "§ 71 SGB X (duty to report)",
        StatutoryBasis::Kkg4 => "§ 4 (3) KKG (child welfare)",
        StatutoryBasis::Sgb8S8a => "§ 8a (5) SGB VIII (protection mandate)",
    },
    justification: "Justification",
    justification_needed: "Without consent, please state why the provision allows the transfer.",
    transfer_family: "Custody holders and children",
    family_not_covered: "The consent does not cover \"family\": custody holders and children stay here.",
    revoked_notice: |d, case, what| {
        format!("Consent for case {case} revoked on {d}: stop using {what}.")
    },
    revoked_in_file: |d| format!("Consent revoked on {d} – stop using:"),
    received_words: ["custody holder", "child"],
    agenda_field: "Agenda (one item per line)",
    item_heading: |n, t| format!("Item {n}: {t}"),
    item_minutes: "Minutes of this item",
    item_decision: "Agreement on this item",
    areas_heading: "Current situation by life area",
    area: |a| match a {
        LifeArea::School => "School/training",
        LifeArea::Work => "Work",
        LifeArea::Housing => "Housing",
        LifeArea::Family => "Family",
        LifeArea::Health => "Health",
        LifeArea::Finances => "Finances/debt",
        LifeArea::Justice => "Justice",
        LifeArea::Social => "Social environment",
    },
    summary: "Summary in plain language",
    addendum: "Addendum",
    addendum_line: |by, at, first, second| match (first, second) {
        (_, Some(b)) => format!("{by}, {at} – approved ({}, {b})", first.unwrap_or("")),
        (Some(a), None) => format!("{by}, {at} – first approval: {a}, second pending"),
        (None, None) => format!("{by}, {at} – not yet approved"),
    },
    agenda_heading: ["Agenda"],
    addenda_heading: "Addenda",
    nothing_to_approve: "No addendum waits for approval.",
    no_invitation: "Contact endangers – no invitation",
    postpone_placeholder: "DD.MM.YYYY HH:MM – empty: postponed, date open",
    escalation: |r, clock, due, n| {
        let more = if n > 1 {
            format!(" 1/{n}")
        } else {
            String::new()
        };
        format!("⚠ F9 Escalation{more}: {r} · {clock} overdue {due}")
    },
    no_reference: "no KS no.",
    no_escalation: "No escalation waits for acknowledgement.",
    escalation_acked: "Escalation acknowledged (logged).",
    rota_line: |now, next| format!("On call now: {now} · next: {next}"),
    rota_nobody: "nobody entered",
    off_shift: "You are not on call right now: only your own referrals are listed here, all others during your shift.",
    until_from: [|t| format!("until {t}"), |t| format!("from {t}")],
    rota_form: [
        "Enter an on-call shift",
        "Worker (on call)",
        "From (DD.MM.YYYY HH:MM)",
        "Until (DD.MM.YYYY HH:MM)",
        "Ctrl+S save · Esc close. At most 7 days per shift; what you type is kept as a draft.",
    ],
    shift_saved: "On-call shift entered.",
    rota_lead_only: "The rota is entered by the Jugendamt's lead.",
    handover_title: ["Hand-over youth office → Jobcenter", "Hand-over JA → JC"],
    handover_state: "State",
    handover_status: |s| match s {
        HandoverStatus::Flagged => "Flagged",
        HandoverStatus::Checking => "Being checked",
        HandoverStatus::Agreed => "Agreed",
        HandoverStatus::Applied => "Applied for",
        HandoverStatus::HandedOver => "Handed over",
        HandoverStatus::Dropped => "Dropped",
    },
    handover_step: |s| match s {
        HandoverStep::Check => "Start the check",
        HandoverStep::Agree => "Hand-over agreed (help plan)",
        HandoverStep::Apply => "Application made at the Jobcenter",
        HandoverStep::HandOver => "Handed over",
        HandoverStep::Drop => "Hand-over dropped",
    },
    help_type: |h| match h {
        HelpType::Hze => "Educational help (HzE)",
        HelpType::Sgb8_35a => "§ 35a integration help",
        HelpType::Sgb8_41 => "§ 41 help for young adults",
    },
    handover_fields: [
        "Running help",
        "Planned end of help (DD.MM.YYYY)",
        "Check due from",
        "Help plan of",
        "Applied at the JC on",
        "Handed over on",
        "Reason",
        "On (DD.MM.YYYY)",
    ],
    handover_conference: |due, planned, passed| match (planned, passed) {
        (true, _) => format!("Transition conference planned (at the latest {due})"),
        (false, true) => format!("⚠ Transition conference overdue: at the latest {due}"),
        (false, false) => format!("Transition conference at the latest {due} (plan with \"p\")"),
    },
    handover_none: "Nothing on the hand-over is yours to do right now.",
    stale_referral_draft: |d| {
        format!(
            "⚠ Your draft of a child-protection referral has been untouched for {d} days: please send or discard it (F4)."
        )
    },
    conf_deadline: |d| {
        let day = |x: chrono::NaiveDate| x.format("%d.%m.%Y").to_string();
        let (text, passed) = match d {
            ConfDeadline::HoldBy(x, p) => (format!("Hold by {} (from the request)", day(x)), p),
            ConfDeadline::InviteBy(x, p) => {
                (format!("Invite by {} (5 working days before)", day(x)), p)
            }
            ConfDeadline::DraftBy(x, p) => (format!("Draft minutes by {}", day(x)), p),
            ConfDeadline::ApproveBy(x, p) => (format!("Approve the minutes by {}", day(x)), p),
        };
        if passed {
            format!("⚠ Deadline passed: {text}")
        } else {
            text
        }
    },
    guardian_tick: |name, no_contact| {
        if no_contact {
            format!("Custody holder: {name} (contact endangers – no invitation)")
        } else {
            format!("Custody holder: {name}")
        }
    },
};

/// What a revoked consent had carried, in words ("Nachname, Vorname, 1 Sorgeberechtigte/r"):
/// field names and counts only, never values.
pub fn receipt_words(s: &super::Strings, r: &crate::model::casefile::RevokedReceipt) -> String {
    let mut parts: Vec<String> = r.fields.iter().map(|f| (s.field)(*f).to_string()).collect();
    let words = s.casework.received_words;
    if r.family.0 > 0 {
        parts.push(format!("{} × {}", r.family.0, words[0]));
    }
    if r.family.1 > 0 {
        parts.push(format!("{} × {}", r.family.1, words[1]));
    }
    parts.join(", ")
}
