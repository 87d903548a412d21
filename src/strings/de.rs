//! German texts: the source language of Tandem.

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

/// The German texts.
pub static DE: Strings = Strings {
    keys: KeyNames {
        enter: "Eingabe",
        esc: "Esc",
        tab: "Tab",
        backtab: "Umschalt+Tab",
        backspace: "Rücktaste",
        delete: "Entf",
        insert: "Einfg",
        home: "Pos1",
        end: "Ende",
        page_up: "Bild↑",
        page_down: "Bild↓",
        space: "Leertaste",
        ctrl: "Strg",
        alt: "Alt",
        shift: "Umschalt",
    },
    screen_titles: ScreenTitles {
        cases: "Fälle",
        conferences: "Konferenzen",
        child_protection: "Kinderschutz",
        cooperation: "Kooperation",
        on_call: "Bereitschaft",
        admin: "Verwaltung",
        dpo: "Datenschutz",
    },
    case_file: "Fallakte",
    new_case: "Neuer Fall",
    edit_case: "Fall bearbeiten",
    too_small: "Fenster zu klein (mind. 40×10)",
    accessible_help: (
        "Barrierearmer Modus",
        "Keine Rahmen und keine Farben. Der Cursor steht immer auf der gewählten Zeile oder im Feld, das Sie bearbeiten; Ihr Screenreader oder Ihre Braillezeile liest diese Zeile. Pfeiltasten und j/k bewegen die Auswahl, Eingabe öffnet, Esc geht zurück, Tab springt zum nächsten Feld. Der aktive Bereich oben steht in eckigen Klammern. Meldungen erscheinen als eine Zeile über der Tastenleiste; unter einer Tabelle liest diese Zeile die gewählte Zeile mit den Spaltennamen vor. Hinweise stehen als Wort, nicht als Zeichen; die Woche steht Tag für Tag untereinander. Einschalten: tandem --accessible, accessible = true in der Konfiguration oder ssh -t tandem@HOST accessible.",
    ),
    words: MarkerWords {
        sort: ["aufsteigend", "absteigend"],
        alerts: "Hinweise",
        overdue: "überfällig:",
    },
    more_below: |n| format!("▼ {n} weitere"),
    agency: |a| match a {
        Agency::Jobcenter => "Jobcenter",
        Agency::Jugendamt => "Jugendamt",
    },
    agency_short: |a| match a {
        Agency::Jobcenter => "JC",
        Agency::Jugendamt => "JA",
    },
    role: |r| match r {
        Role::JcU25 => "Jobcenter U25",
        Role::JaStaff => "Jugendamt Fachkraft",
        Role::JaOncall => "Kinderschutz-Bereitschaft",
        Role::Lead => "Teamleitung",
        Role::Dpo => "Datenschutz/Revision",
        Role::Admin => "Administration",
    },
    status: |s| match s {
        CaseStatus::Requested => "Angefragt",
        CaseStatus::ConsentPending => "Einwilligung offen",
        CaseStatus::Active => "Aktiv",
        CaseStatus::Dormant => "Ruhend",
        CaseStatus::Closed => "Abgeschlossen",
        CaseStatus::Declined => "Abgelehnt",
    },
    status_short: |s| match s {
        CaseStatus::ConsentPending => "Einw. offen",
        other => (DE.status)(other),
    },
    gender: |g| match g {
        Gender::Male => "männlich",
        Gender::Female => "weiblich",
        Gender::Diverse => "divers",
        Gender::Unspecified => "ohne Angabe",
    },
    reason: |r| match r {
        ReasonCode::TrainingDropout => "Schul-/Ausbildungsabbruch",
        ReasonCode::Housing => "Wohnungsnot/Auszug U25",
        ReasonCode::FamilyConflict => "Familienkonflikt",
        ReasonCode::YoungParents => "Schwangerschaft/junge Eltern",
        ReasonCode::Addiction => "Sucht",
        ReasonCode::MentalStrain => "Psychische Belastung",
        ReasonCode::Debt => "Schulden",
        ReasonCode::Offending => "Straffälligkeit",
        ReasonCode::Truancy => "Schulabsentismus",
        ReasonCode::LostContact => "Fehlende Mitwirkung/Kontaktabbruch",
        ReasonCode::Transition => "Übergang aus HzE/§ 41",
    },
    closure: |c| match c {
        ClosureReason::School => "Schule/Schulabschluss",
        ClosureReason::Training => "Ausbildung",
        ClosureReason::Work => "Arbeit",
        ClosureReason::JcProgramme => "SGB-II-Maßnahme",
        ClosureReason::YouthHelp => "Jugendhilfe bewilligt",
        ClosureReason::Housing => "Wohnsituation geklärt",
        ClosureReason::MovedAway => "Wegzug",
        ClosureReason::Turned25 => "25. Lebensjahr vollendet",
        ClosureReason::LostContact => "Kontakt abgebrochen",
        ClosureReason::ConsentRevoked => "Einwilligung widerrufen",
        ClosureReason::Other => "Sonstiges",
    },
    field: |f| match f {
        Field::Surname => "Nachname",
        Field::GivenNames => "Vorname(n)",
        Field::BirthDate => "Geburtsdatum",
        Field::Gender => "Geschlecht",
        Field::Address => "Anschrift",
        Field::Phone => "Telefon",
        Field::Email => "E-Mail",
        Field::JcCustomerNo => "Kundennummer JC",
        Field::BgNo => "BG-Nummer",
        Field::JaFileNo => "Aktenzeichen JA",
        Field::Status => "Status",
        Field::Reasons => "Anlass",
        Field::Question => "Fragestellung",
        Field::Lead => "Fallführung",
        Field::JcStaff => "Fachkraft Jobcenter",
        Field::JaStaff => "Fachkraft Jugendamt",
        Field::NextReview => "Wiedervorlage",
        Field::ClosureReason => "Abschlussgrund",
        Field::DeclaredBy => "Erklärt durch",
        Field::RepresentationReason => "Grund der Vertretung",
        Field::InsightChecked => "Einsichtsfähigkeit geprüft",
        Field::SignedOn => "Erteilt am",
        Field::ConsentForm => "Form",
        Field::DocumentRef => "Beleg",
        Field::Purposes => "Zwecke",
        Field::Categories => "Datenarten",
        Field::Recipients => "Empfänger",
        Field::ValidFrom => "Gültig ab",
        Field::ValidUntil => "Gültig bis",
        Field::InfoTicks => "Information erteilt",
    },
    problem: |p, s| match p {
        Problem::Required => "Bitte ausfüllen.".to_string(),
        Problem::DateFormat => "Bitte als TT.MM.JJJJ eingeben, z. B. 03.12.2006.".to_string(),
        Problem::DateDoesNotExist { day, month, year } => {
            format!("Den {day:02}.{month:02}.{year} gibt es nicht. Bitte Tag und Monat prüfen.")
        }
        Problem::InFuture => "Das Datum liegt in der Zukunft.".to_string(),
        Problem::AgeOutOfRange => {
            "Das Alter liegt außerhalb von 14 bis 26 Jahren. Bitte Geburtsdatum prüfen.".to_string()
        }
        Problem::TooLong { max, len } => {
            format!("Zu lang: {len} Zeichen, erlaubt sind {max}. Bitte kürzen.")
        }
        Problem::InvalidEmail => {
            "Keine gültige E-Mail-Adresse (Beispiel: name@example.org).".to_string()
        }
        Problem::TransitionNotAllowed { from, to } => format!(
            "Von „{}“ ist kein Wechsel nach „{}“ möglich.",
            (s.status)(*from),
            (s.status)(*to)
        ),
        Problem::BeforeOpened => "Liegt vor dem Tag, an dem der Fall angelegt wurde.".to_string(),
        Problem::DeclarantNotAllowed { age } => {
            format!("Bei einem Alter von {age} Jahren am Tag der Erklärung nicht zulässig.")
        }
        Problem::BeforeSigned => {
            "Eine Einwilligung gilt nicht rückwirkend: frühestens ab dem Tag der Erklärung."
                .to_string()
        }
        Problem::EndBeforeStart => "Das Ende liegt vor dem Beginn.".to_string(),
        Problem::TimeFormat => {
            "Bitte als HH:MM oder TT.MM.JJJJ HH:MM eingeben, z. B. 14:30.".to_string()
        }
        Problem::PhoneFirst => {
            "Akute Gefahr zuerst anrufen – dann hier Uhrzeit und Gesprächspartner eintragen."
                .to_string()
        }
        Problem::StepDate => "Bei „Ja“ bitte das Datum angeben (TT.MM.JJJJ).".to_string(),
        Problem::StepReason => "Bei „Nein“ bitte den Grund angeben.".to_string(),
        Problem::CaseNumber => {
            "Bitte die Fallnummer als Zahl eingeben (oder leer lassen).".to_string()
        }
    },
    columns: [
        "Name",
        "Alter",
        "Status",
        "Fachkraft JC",
        "Fachkraft JA",
        "Termin",
    ],
    list_position: |pos, total| {
        // "…" while the number waits for idle time (docs/performance.md § 2).
        let n = |v: Option<usize>| v.map_or_else(|| "…".to_string(), |v| v.to_string());
        if total == Some(0) {
            "keine Fälle".to_string()
        } else {
            format!("Fall {} von {}", n(pos), n(total))
        }
    },
    list_count: |total| match total {
        Some(0) => "keine Fälle".to_string(),
        Some(1) => "1 Fall".to_string(),
        Some(n) => format!("{n} Fälle"),
        None => "… Fälle".to_string(),
    },
    filter_label: "Filter: ",
    no_cases: "Für Sie sind keine Fälle sichtbar. Mit n legen Sie einen neuen Fall an.",
    no_match: "Kein Fall passt zu diesem Filter. Esc hebt den Filter auf.",
    none: "–",
    withheld: "– nicht übermittelt –",
    scope_agency: "alle Fälle der Stelle",
    unassigned: "– nicht zugewiesen –",
    years: |n| {
        if n == 1 {
            "1 Jahr".to_string()
        } else {
            format!("{n} Jahre")
        }
    },
    file_sections: ["Junge Person", "Kooperationsfall", "Zuständigkeit"],
    u25_end: "U25 endet am",
    opened_on: "Angelegt am",
    closed_on: "Abgeschlossen am",
    owner: "Eigentümer-Stelle",
    saved: "Gespeichert.",
    created: "Fall angelegt.",
    check_fields: "Nicht gespeichert: Bitte prüfen Sie die markierten Felder.",
    conflict: |by, at| {
        let who = by.unwrap_or("eine andere Person");
        let when = at.map(|t| format!(" (am {t})")).unwrap_or_default();
        format!(
            "Nicht gespeichert: {who} hat diesen Fall inzwischen geändert{when}. Ihre Eingaben bleiben im Formular."
        )
    },
    changed_meanwhile: |by, at| {
        let who = by.unwrap_or("Eine andere Person");
        let when = at.map(|t| format!(" (am {t})")).unwrap_or_default();
        format!(
            "Nicht gespeichert: {who} hat diesen Eintrag inzwischen geändert{when}. Die Anzeige zeigt jetzt den neuen Stand; bitte prüfen und erneut wählen."
        )
    },
    not_found: "Dieser Fall ist für Sie nicht (mehr) sichtbar.",
    save_failed: "Nicht gespeichert: Die Datenbank hat den Speichervorgang abgelehnt. Ihre Eingaben bleiben im Formular; bitte erneut mit Strg+S versuchen.",
    load_failed: "Die Daten konnten nicht gelesen werden. Bitte erneut versuchen oder die Administration informieren.",
    confirm_quit: "Es gibt ungespeicherte Eingaben. Trotzdem beenden und Eingaben verwerfen?",
    confirm_discard: "Es gibt ungespeicherte Eingaben. Formular schließen und Eingaben verwerfen?",
    question_title: "Rückfrage",
    help_title: "Hilfe – Tastenbelegung",
    context: |c| match c {
        Context::Global => "Überall",
        Context::List => "Fallliste",
        Context::Filter => "Filtereingabe",
        Context::File => "Fallakte",
        Context::Form => "Formular",
        Context::Text => "Textfeld (einzeilig)",
        Context::Field => "Auswahlfeld",
        Context::Dialog => "Rückfrage",
        Context::Help => "Hilfe",
        Context::Choice => "Auswahl",
        Context::Note => "Notiz",
        Context::Admin => "Verwaltung",
        Context::Keys => "SSH-Schlüssel",
        Context::Conflict => "Gleichzeitige Änderung",
        Context::Conferences => "Konferenzen (Terminliste und Woche)",
        Context::Conference => "Fallkonferenz",
        Context::Referrals => "Kinderschutz (Liste)",
        Context::Referral => "Kinderschutz-Mitteilung",
        Context::OnCall => "Bereitschaft",
        Context::Dpo => "Datenschutz",
        Context::GrantReview => "Notfallzugriffe prüfen (Leitung)",
        Context::Coop => "Kooperation",
    },
    context_about: |c| match c {
        Context::Conflict => {
            "Jemand hat denselben Fall gespeichert, während Sie ihn bearbeitet haben. Für jedes Feld, das Sie beide geändert haben, stehen beide Werte untereinander. Mit Leertaste oder ←/→ wählen Sie pro Feld, welcher Wert bleibt; Eingabe übernimmt die Auswahl in das Formular (gespeichert wird erst mit Strg+S). Esc schließt die Box ohne Wahl: Ihre Eingabe bleibt im Formular, und beim nächsten Speichern wird erneut gefragt. Nichts wird ohne Ihre Wahl überschrieben, auch nicht nach Verbindungsabbruch oder Sperre."
        }
        _ => "",
    },
    action: |a| match a {
        Action::Quit => "Tandem beenden (fragt nach, wenn etwas ungespeichert ist)",
        Action::Help => "Hilfe ein- oder ausblenden",
        Action::ScreenCases => "Zur Fallliste",
        Action::ScreenConferences => "Zu den Fallkonferenzen (Kalender)",
        Action::ScreenChildProtection => "Zu den Kinderschutz-Mitteilungen",
        Action::ScreenCooperation => "Zur Kooperation (große Runde, Fortbildungen)",
        Action::ScreenOnCall => "Zur Bereitschaftsansicht",
        Action::Up => "Eine Zeile nach oben",
        Action::Down => "Eine Zeile nach unten",
        Action::PageUp => "Eine Seite nach oben",
        Action::PageDown => "Eine Seite nach unten",
        Action::First => "Zum ersten Fall",
        Action::Last => "Zum letzten Fall",
        Action::Open => "Fallakte des gewählten Falls öffnen",
        Action::Back => "Zurück zur Fallliste",
        Action::NewCase => "Neuen Fall anlegen",
        Action::Edit => "Fall bearbeiten",
        Action::Filter => "Filtern nach Name, Aktenzeichen, Fachkraft oder Status",
        Action::FilterDone => "Filtereingabe beenden, Filter behalten",
        Action::ClearFilter => "Filter aufheben",
        Action::SortNext => "Nach der nächsten Spalte sortieren",
        Action::SortReverse => "Sortierreihenfolge umkehren",
        Action::ToggleScope => "Eigene Fälle oder alle Fälle der Stelle zeigen",
        Action::Save => "Speichern",
        Action::Cancel => "Formular schließen (fragt nach, wenn etwas ungespeichert ist)",
        Action::NextField => "Zum nächsten Feld",
        Action::PrevField => "Zum vorigen Feld",
        Action::ChoiceNext => "Nächster Wert",
        Action::ChoicePrev => "Voriger Wert",
        Action::Toggle => "Markierten Eintrag an- oder abwählen",
        Action::Transfer => "Übermittlung an die Partnerstelle: Vorschau und Übermitteln",
        Action::RevokeConsent => "Widerruf der Einwilligung erfassen",
        Action::NewConsent => "Einwilligung erfassen",
        Action::NewNote => "Notiz schreiben",
        Action::ToggleEntrusted => "Notiz als anvertraut (§ 65 SGB VIII) markieren",
        Action::StepMenu => "Nächsten Schritt der Mitteilung wählen",
        Action::ToggleConsults => "Mitteilungen oder anonyme Fallberatungen (§ 8b SGB VIII) zeigen",
        Action::ToggleWeek => "Zwischen Terminliste und Wochenansicht wechseln",
        Action::PlanConference => "Fallkonferenz für diesen Fall planen",
        Action::MeasureState => "Stand einer Vereinbarung setzen (erledigt, …)",
        Action::ScreenAdmin => "Zur Verwaltung der Mitarbeitenden (nur Administration)",
        Action::AdminNew => "Mitarbeiterin oder Mitarbeiter anlegen",
        Action::AdminEdit => {
            "Gewählte Person bearbeiten (Namen, Kontakt, Rollen, Funktionen, Vertretung)"
        }
        Action::Deactivate => "Gewählte Person deaktivieren (Anmeldung sofort gesperrt)",
        Action::Reactivate => "Gewählte Person wieder aktivieren",
        Action::SshKeys => "SSH-Schlüssel der gewählten Person",
        Action::ToggleGrants => "Zwischen Mitarbeitenden und offenen Freigaben wechseln",
        Action::GrantConfirm => "Gewählte Freigabe bestätigen (zweite Administration)",
        Action::GrantRefuse => "Gewählte Freigabe ablehnen",
        Action::KeyAdd => "Schlüssel hinzufügen (Zeile der .pub-Datei)",
        Action::KeyRemove => "Gewählten Schlüssel entfernen",
        Action::ScreenDpo => "Zum Datenschutz (nur DSB)",
        Action::DpoNext => "Nächster Bereich",
        Action::DpoPrev => "Voriger Bereich",
        Action::DpoReview => {
            "Gewählten Notfallzugriff prüfen: berechtigt oder nicht, mit Kommentar"
        }
        Action::DpoRelease => "Geplanten Löschlauf freigeben (zweite Person, DSB)",
        Action::DpoExport => "Auskunft nach Art. 15 DSGVO erstellen (JSON und Text)",
        Action::Restrict => "Fall sperren (Art. 18 DSGVO) oder Sperre aufheben – Leitung",
        Action::Dispute => "Personenangabe als bestritten vermerken (Art. 16 DSGVO)",
        Action::Records => "Angaben erfassen/ändern: Sorgeberechtigte, Kinder, Vereinbarungen",
        Action::AckEscalation => {
            "Eskalation bestätigen (Frist überschritten, Vertretung und Leitung)"
        }
        Action::RotaNew => "Bereitschaftsdienst eintragen (Leitung Jugendamt)",
        Action::Handover => "Übergang Jugendamt → Jobcenter (§ 36b / § 41 Abs. 3 SGB VIII)",
        Action::Withdrawal => "Information bei Leistungsentzug (wenn am Standort eingeschaltet)",
        Action::EarlyHelp => "Frühe Hilfen: Kontaktvermittlungen mit Einwilligung der Eltern",
        Action::Document => {
            "Einwilligungserklärung der neuesten Einwilligung als PDF schreiben (Exportordner)"
        }
        Action::CoopNext => "Nächster Bereich",
        Action::CoopPrev => "Voriger Bereich",
        Action::YearNext => "Nächstes Jahr",
        Action::YearPrev => "Voriges Jahr",
        Action::CoopNew => "Neuer Eintrag im Bereich (Große Runde, Besprechung, Fortbildung, …)",
        Action::CoopStep => {
            "Nächster Schritt des gewählten Eintrags (durchgeführt, freigegeben, …)"
        }
        Action::CoopDecision => "Beschluss der Großen Runde erfassen – Leitung",
        Action::CoopAgenda => "Zahlen des Jahresberichts auf die Tagesordnung setzen – Leitung",
        Action::Confirm => "Ja",
        Action::Deny => "Nein",
    },
    action_short: |a| match a {
        Action::Quit => "Beenden",
        Action::Help => "Hilfe",
        Action::ScreenCases => "Fälle",
        Action::ScreenConferences => "Konferenzen",
        Action::ScreenChildProtection => "Kinderschutz",
        Action::ScreenCooperation => "Kooperation",
        Action::ScreenOnCall => "Bereitschaft",
        Action::Up => "Hoch",
        Action::Down => "Runter",
        Action::PageUp => "Seite hoch",
        Action::PageDown => "Seite runter",
        Action::First => "Anfang",
        Action::Last => "Ende",
        Action::Open => "Öffnen",
        Action::Back => "Zurück",
        Action::NewCase => "Neu",
        Action::Edit => "Bearbeiten",
        Action::Filter => "Filtern",
        Action::FilterDone => "Fertig",
        Action::ClearFilter => "Filter aufheben",
        Action::SortNext => "Sortieren",
        Action::SortReverse => "Umkehren",
        Action::ToggleScope => "Alle/Eigene",
        Action::Save => "Speichern",
        Action::Cancel => "Abbrechen",
        Action::NextField => "Nächstes Feld",
        Action::PrevField => "Voriges Feld",
        Action::ChoiceNext => "Wählen",
        Action::ChoicePrev => "Wählen",
        Action::Toggle => "An/Aus",
        Action::Transfer => "Übermitteln",
        Action::RevokeConsent => "Widerruf",
        Action::NewConsent => "Einwilligung",
        Action::NewNote => "Notiz",
        Action::ToggleEntrusted => "§ 65",
        Action::StepMenu => "Schritt",
        Action::ToggleConsults => "Beratungen",
        Action::ToggleWeek => "Woche",
        Action::PlanConference => "Konferenz",
        Action::MeasureState => "Vereinbarung",
        Action::ScreenAdmin => "Verwaltung",
        Action::AdminNew => "Neu",
        Action::AdminEdit => "Bearbeiten",
        Action::Deactivate => "Deaktivieren",
        Action::Reactivate => "Aktivieren",
        Action::SshKeys => "Schlüssel",
        Action::ToggleGrants => "Freigaben",
        Action::GrantConfirm => "Bestätigen",
        Action::GrantRefuse => "Ablehnen",
        Action::KeyAdd => "Hinzufügen",
        Action::KeyRemove => "Entfernen",
        Action::ScreenDpo => "Datenschutz",
        Action::DpoNext => "Bereich",
        Action::DpoPrev => "Bereich zurück",
        Action::DpoReview => "Prüfen",
        Action::DpoRelease => "Löschlauf freigeben",
        Action::DpoExport => "Auskunft",
        Action::Restrict => "Sperre",
        Action::Dispute => "Bestreiten",
        Action::Records => "Angaben",
        Action::AckEscalation => "Eskalation bestätigen",
        Action::RotaNew => "Dienst eintragen",
        Action::Handover => "Übergang",
        Action::Withdrawal => "Leistungsentzug",
        Action::EarlyHelp => "Frühe Hilfen",
        Action::Document => "PDF",
        Action::CoopNext => "Bereich",
        Action::CoopPrev => "Bereich zurück",
        Action::YearNext => "Folgejahr",
        Action::YearPrev => "Vorjahr",
        Action::CoopNew => "Neu",
        Action::CoopStep => "Schritt",
        Action::CoopDecision => "Beschluss",
        Action::CoopAgenda => "TO aus Bericht",
        Action::Confirm => "Ja",
        Action::Deny => "Nein",
    },
    action_in: |c, a| {
        Some(match (c, a) {
            (Context::File, Action::First) => "Zum Anfang der Fallakte",
            (Context::Conferences, Action::PageUp) => {
                "Eine Seite nach oben; in der Wochenansicht: vorige Woche"
            }
            (Context::Conferences, Action::PageDown) => {
                "Eine Seite nach unten; in der Wochenansicht: nächste Woche"
            }
            (Context::Conferences, Action::First) => "Zum ersten Termin",
            (Context::Conferences, Action::Last) => "Zum letzten Termin",
            (Context::Conferences, Action::Open) => "Gewählte Fallkonferenz öffnen",
            (Context::Conferences, Action::NewCase) => "Neue Fallkonferenz planen",
            (Context::Conference, Action::Back) => "Zurück zur Terminliste",
            (Context::Conference, Action::StepMenu) => {
                "Nächsten Schritt der Fallkonferenz wählen (einladen, Protokoll, …)"
            }
            (Context::Conference | Context::Referral, Action::First) => "Zum Anfang",
            (Context::Referrals | Context::OnCall, Action::First) => "Zur ersten Mitteilung",
            (Context::Referrals | Context::OnCall, Action::Last) => "Zur letzten Mitteilung",
            (Context::Referrals, Action::Open) => {
                "Gewählte Mitteilung öffnen (bei einer offenen Fallberatung: beraten)"
            }
            (Context::OnCall, Action::Open) => "Gewählte Mitteilung öffnen",
            (Context::Referrals, Action::NewCase) => {
                "Neue Kinderschutz-Mitteilung schreiben (bei den Fallberatungen: neue Anfrage)"
            }
            (Context::Referral, Action::Back) => "Zurück zur Liste",
            (Context::Coop, Action::Document) => {
                "Im Jahresbericht: den Bericht mit seinen Diagrammen als PDF schreiben"
            }
            (Context::Referral, Action::Document) => {
                "Eingangsbestätigung für die meldende Fachkraft als PDF schreiben"
            }
            (Context::Conference, Action::Document) => {
                "Protokoll oder Brief an die junge Person (einfache Sprache) als PDF schreiben"
            }
            (Context::Admin, Action::First) => "Zur ersten Zeile",
            (Context::Admin, Action::Last) => "Zur letzten Zeile",
            (Context::Keys, Action::Back) => "Zurück zur Verwaltung",
            (Context::Help, Action::Help) => "Hilfe schließen",
            (Context::Help, Action::First) => "Zum Anfang der Hilfe",
            (Context::Help, Action::Last) => "Zum Ende der Hilfe",
            (Context::Choice, Action::Confirm) => "Markierten Eintrag auswählen",
            (Context::Choice, Action::Deny) => "Schließen, ohne etwas auszuwählen",
            (Context::Conflict, Action::Up) => "Voriges Feld",
            (Context::Conflict, Action::Down) => "Nächstes Feld",
            (Context::Conflict, Action::Toggle) => {
                "Für das markierte Feld die eigene oder die gespeicherte Fassung wählen"
            }
            (Context::Conflict, Action::Confirm) => "Auswahl in das Formular übernehmen",
            (Context::Conflict, Action::Cancel) => {
                "Schließen ohne Wahl (Ihre Eingabe bleibt im Formular)"
            }
            (Context::Note, Action::Cancel) => {
                "Notiz schließen (fragt nach, wenn etwas ungespeichert ist)"
            }
            _ => return None,
        })
    },
    action_short_in: |c, a| {
        Some(match (c, a) {
            (Context::Choice, Action::Confirm) => "Auswählen",
            (Context::Choice, Action::Deny) => "Abbrechen",
            (Context::Help, Action::Help) => "Schließen",
            (Context::Conflict, Action::Confirm) => "Übernehmen",
            _ => return None,
        })
    },
    toggle_back: |a| {
        Some(match a {
            Action::ToggleWeek => "Liste",
            Action::ToggleConsults => "Mitteilungen",
            Action::Withdrawal => "Mitteilungen",
            Action::EarlyHelp => "Mitteilungen",
            Action::ToggleGrants => "Mitarbeitende",
            _ => return None,
        })
    },
    unsaved_marker: " (ungespeichert)",
    choice_hint: "←/→ wählen",
    multi_hint: "←/→ blättern, Leertaste an/aus",
    date_hint: "TT.MM.JJJJ",
    unknown_user: |login| {
        format!(
            "Anmeldung abgelehnt: Für „{login}“ gibt es kein aktives Konto in Tandem. Bitte wenden Sie sich an die Administration."
        )
    },
    no_os_user: "Anmeldung abgelehnt: Das Benutzerkonto des Systems ist nicht ermittelbar. Bitte --user angeben.",
    db_missing: |p| {
        format!(
            "Datenbank nicht gefunden: {p}. Mit „tandem migrate --db {p}“ wird eine neue angelegt."
        )
    },
    db_not_a_database: |p| {
        format!("Die Datei {p} ist keine Datenbank oder beschädigt. Sie wurde nicht verändert.")
    },
    db_foreign: |p| format!("Die Datei {p} ist keine Tandem-Datenbank. Sie wurde nicht verändert."),
    db_too_old: |p| {
        format!(
            "Die Datenbank {p} hat einen älteren Stand. Bitte zuerst „tandem migrate --db {p}“ ausführen lassen."
        )
    },
    db_too_new: |p| {
        format!(
            "Die Datenbank {p} stammt von einer neueren Tandem-Version. Bitte Tandem aktualisieren."
        )
    },
    db_cannot_open: |p| {
        format!("Die Datenbank {p} lässt sich nicht öffnen (fehlende Rechte oder Ordner).")
    },
    db_not_wal: |p| {
        format!(
            "Die Datenbank {p} unterstützt den WAL-Modus nicht (Netzlaufwerk?). Bitte auf einer lokalen Platte ablegen."
        )
    },
    db_other: |p| {
        format!("Fehler beim Zugriff auf die Datenbank {p}. Details stehen im Protokoll.")
    },
    offer_for_case: |what, case| format!("{what}, Fall {case}"),
    offer_minutes: |what, day, case| format!("{what}, Fallkonferenz {day}, Fall {case}"),
    drafts_expired: |n, days| {
        if n == 1 {
            format!("Ein Entwurf war älter als {days} Tage und wurde gelöscht.")
        } else {
            format!("{n} Entwürfe waren älter als {days} Tage und wurden gelöscht.")
        }
    },
    approval_cleared: |day, case, by, at| {
        format!(
            "Ihre Freigabe des Protokolls der Fallkonferenz vom {day} (Fall {case}) ist aufgehoben: {by} hat das Protokoll am {at} geändert. Bitte erneut prüfen."
        )
    },
    proposal_cleared: |step, no, at| {
        format!(
            "Ihr Vorschlag „{step}“ zur Mitteilung {no} ist aufgehoben: Die meldende Stelle hat am {at} einen Nachtrag geschickt. Bitte neu einschätzen."
        )
    },
    cli_unknown: |a| format!("Unbekannte Angabe „{a}“. Übersicht: tandem --help"),
    cli_bad_value: |a, v| format!("Der Wert „{v}“ passt nicht zu {a}. Übersicht: tandem --help"),
    cli_missing: |a| {
        if a.is_empty() {
            "Es fehlt ein Befehl. Übersicht: tandem --help".to_string()
        } else {
            format!("Es fehlt die Angabe {a}. Übersicht: tandem --help")
        }
    },
    cli_other: |_| {
        "Der Aufruf ist nicht vollständig oder nicht richtig. Übersicht: tandem --help".to_string()
    },
    db_read_only: |p| {
        format!(
            "Die Datenbank {p} ist schreibgeschützt. Tandem muss in die Datei und ihren Ordner schreiben dürfen (Prüfprotokoll). Bitte an die Administration wenden."
        )
    },
    audit_ok: |rows, head| format!("Prüfkette in Ordnung: {rows} Einträge, letzter Hash {head}."),
    audit_broken: |seq, why| format!("Prüfkette gebrochen bei Eintrag {seq}: {why}."),
    audit_hash_mismatch: "Inhalt passt nicht zum gespeicherten Hash (Eintrag verändert)",
    audit_chain_broken: "Verweis auf den vorigen Eintrag stimmt nicht (Eintrag davor gelöscht, verändert oder vertauscht)",
    audit_seq_gap: "Eintrag davor fehlt (Lücke in der Nummerierung)",
    audit_missing: "Eintrag fehlt, obwohl der Referenz-Hash ihn nennt (Ende abgeschnitten)",
    audit_anchor_mismatch: "Hash weicht vom Referenz-Hash ab (Kette neu geschrieben)",
    audit_bad_anchor: "tandem audit verify: --anchor erwartet NUMMER:HASH (mindestens 16 Hex-Ziffern).",
    audit_evidence_ok: |tables, triggers| {
        let rows: Vec<String> = tables.iter().map(|(t, n)| format!("{t} {n}")).collect();
        format!(
            "Belegketten in Ordnung: {} Einträge; {triggers} Schutz-Trigger vorhanden.",
            rows.join(", ")
        )
    },
    audit_trigger_missing: |name, table| {
        format!("Schutz-Trigger {name} der Tabelle {table} fehlt.")
    },
    audit_trigger_changed: |name, table| {
        format!("Schutz-Trigger {name} der Tabelle {table} ist verändert.")
    },
    audit_evidence_broken: |table, id, why| {
        format!("Belegkette {table} gebrochen bei Eintrag {id}: {why}.")
    },
    audit_evidence_changed: "Inhalt passt nicht zum gespeicherten Hash (Eintrag verändert)",
    audit_evidence_chain_broken: "Verweis auf den vorigen Eintrag stimmt nicht (Eintrag davor gelöscht oder verändert)",
    audit_evidence_missing: "Eintrag fehlt, obwohl das Prüfprotokoll ihn verzeichnet (gelöscht)",
    audit_evidence_unrecorded: "Eintrag ist im Prüfprotokoll nicht verzeichnet (außerhalb von Tandem eingefügt)",
    audit_evidence_rewritten: "Eintrag weicht vom Stand im Prüfprotokoll ab (Kette neu berechnet)",
    unsupported_terminal: "Terminal wird nicht unterstützt",
    bad_config: |file, at| match at {
        Some((line, column)) => format!(
            "Die Konfiguration {file} ist fehlerhaft in Zeile {line}, Spalte {column} (unbekannter Eintrag oder ungültiger Wert)."
        ),
        None => format!("Die Konfiguration {file} ist fehlerhaft."),
    },
    bad_keys: |file, at| match at {
        Some((line, column)) => format!(
            "Die Konfiguration {file} ist fehlerhaft in Zeile {line}, Spalte {column}: Tastenbelegung (unbekannter Bereich, unbekannte Aktion oder Taste, oder Taste doppelt belegt)."
        ),
        None => format!("Die Konfiguration {file} ist fehlerhaft: Tastenbelegung."),
    },
    config_unreadable: |file| format!("Die Konfiguration {file} kann nicht gelesen werden."),
    crashed: "Tandem wurde wegen eines internen Fehlers beendet. Das Terminal ist wiederhergestellt; Details stehen im Protokoll.",
    conflict_resolved: "Ihre Auswahl ist übernommen. Bitte prüfen und mit Strg+S speichern.",
    conflict_merged: "Der Fall wurde inzwischen geändert; die Änderungen betreffen andere Felder und sind übernommen. Bitte prüfen und mit Strg+S speichern.",
    conflict_title: "Gleichzeitige Änderung",
    conflict_mine: "Ihre Eingabe",
    draft_kept_for_later: |what, when| {
        format!(
            "Hinweis: Ihr Entwurf „{what}“ vom {when} bleibt erhalten und wird beim nächsten Anmelden wieder angeboten; diese Eingabe wird getrennt davon gespeichert."
        )
    },
    field_full: |max| {
        format!(
            "Das Feld ist voll: höchstens {max} Zeichen. Weitere Zeichen werden nicht übernommen."
        )
    },
    paste_refused: |max, used, adding| {
        format!(
            "Einfügen abgelehnt: {adding} Zeichen passen nicht in dieses Feld (höchstens {max} Zeichen, {used} schon belegt). Nichts wurde eingefügt."
        )
    },
    paste_too_long: |bytes| {
        format!(
            "Einfügen abgelehnt: Der eingefügte Text ist mit {} größer als jedes Feld. Nichts wurde eingefügt.",
            crate::strings::byte_size_de(bytes)
        )
    },
    typed_on_choice: "Dies ist ein Auswahlfeld: getippter Text wird hier nicht übernommen. Wählen mit ←/→ oder Leertaste, weiter mit Tab.",
    conflict_left: "Nicht gespeichert. Ihre Eingabe bleibt; beim nächsten Speichern wird erneut verglichen.",
    conflict_theirs: |by| match by {
        Some(name) => format!("Gespeichert von {name}"),
        None => "Gespeicherter Stand".to_string(),
    },
    conflict_hint: "Pro Feld wählen (Leertaste), dann Eingabe. Nichts wird ohne Ihre Wahl überschrieben.",
    draft_restored: "Entwurf wiederhergestellt. Mit Strg+S speichern, mit Esc verwerfen.",
    draft_not_restorable: "Der Entwurf gehört zu einem Eintrag, der für Sie nicht mehr sichtbar oder für diesen Schritt nicht mehr offen ist; er wurde verworfen.",
    draft_offer: |what, when| {
        format!(
            "Es gibt einen nicht gespeicherten Entwurf ({what}, zuletzt {when}). Jetzt wiederherstellen? Mit „Nein“ bleibt er für später erhalten."
        )
    },
    access_locked: "Tandem wurde beendet: Ihr Zugang wurde deaktiviert oder seine Rollen geändert. Ihre Eingaben sind als Entwurf gespeichert.",
    idle_locked: "Tandem wurde nach längerer Inaktivität beendet. Ihre Eingaben sind als Entwurf gespeichert und werden bei der nächsten Anmeldung angeboten.",
    file_more_sections: [
        "Einwilligungen",
        "Sorgeberechtigte",
        "Kinder im Haushalt",
        "Vereinbarungen",
        "Notizen",
        "Übermittlungen",
        "Verlauf",
        "Hinweise",
    ],
    consent_status: |c| match c {
        ConsentStatus::Draft => "Entwurf",
        ConsentStatus::Granted => "Erteilt",
        ConsentStatus::Refused => "Verweigert",
        ConsentStatus::Revoked => "Widerrufen",
        ConsentStatus::Expired => "Abgelaufen",
        ConsentStatus::ConfirmationNeeded => "Bestätigung erforderlich",
    },
    purpose: |p| match p {
        Purpose::Conference => "Fallkonferenz",
        Purpose::MutualInformation => "Gegenseitige Information",
        Purpose::Statement22 => "Stellungnahme § 22 Abs. 5 SGB II",
        Purpose::Transition36b => "Übergang § 36b SGB VIII",
        Purpose::Other => "Sonstiger Zweck",
    },
    category: |c| match c {
        DataCategory::MasterData => "Stammdaten",
        DataCategory::School => "Schule/Ausbildung",
        DataCategory::Benefits => "Leistungsbezug",
        DataCategory::Measures => "Maßnahmen",
        DataCategory::Housing => "Wohnen",
        DataCategory::Family => "Familie",
        DataCategory::Health => "Gesundheit",
        DataCategory::Addiction => "Sucht",
        DataCategory::Debt => "Schulden",
        DataCategory::Justice => "Justiz",
    },
    declared_by: |d| match d {
        DeclaredBy::YoungPerson => "junge Person",
        DeclaredBy::CustodyHolders => "Sorgeberechtigte",
        DeclaredBy::Guardian => "Vormund",
        DeclaredBy::LegalCarer => "rechtliche Betreuung",
    },
    kin: |k| match k {
        Kin::Mother => "Mutter",
        Kin::Father => "Vater",
        Kin::StepMother => "Stiefmutter",
        Kin::StepFather => "Stiefvater",
        Kin::FosterMother => "Pflegemutter",
        Kin::FosterFather => "Pflegevater",
        Kin::Guardian => "Vormund",
        Kin::Other => "Sonstige",
    },
    custody: |c| match c {
        Custody::Sole => "Sorgerecht allein",
        Custody::Joint => "Sorgerecht gemeinsam",
        Custody::None => "kein Sorgerecht",
    },
    measure_status: |m| match m {
        MeasureStatus::Open => "Offen",
        MeasureStatus::InProgress => "In Bearbeitung",
        MeasureStatus::Done => "Erledigt",
        MeasureStatus::NotDone => "Nicht erledigt",
        MeasureStatus::Dropped => "Entfallen",
    },
    statute: |b| match b {
        StatutoryBasis::Sgb10S69 => "§ 69 Abs. 1 Nr. 1 SGB X",
        StatutoryBasis::Sgb10S71 => "§ 71 SGB X",
        StatutoryBasis::Kkg4 => "§ 4 Abs. 3 KKG",
        StatutoryBasis::Sgb8S8a => "§ 8a Abs. 5 SGB VIII",
    },
    break_glass_reason: |r| match r {
        BreakGlassReason::UnlistedDeputy => "Vertretung ohne Eintrag",
        BreakGlassReason::ChildProtection => "Kinderschutz-Eilfall",
        BreakGlassReason::PersonAsked => "Anfrage der jungen Person",
        BreakGlassReason::Other => "Sonstiges",
    },
    relation: |r| match r {
        Relation::Assigned => "zuständig",
        Relation::Deputy => "Vertretung",
        Relation::Lead => "Teamleitung (nur lesen)",
        Relation::BreakGlass => "Notfallzugriff (protokolliert)",
        Relation::None => "kein Zugriff",
    },
    alert: |a| match a {
        Alert::ConsentExpiring(d) => format!("Einwilligung endet am {}", d.format("%d.%m.%Y")),
        Alert::ConsentRevoked(d) => format!("Einwilligung widerrufen am {}", d.format("%d.%m.%Y")),
        Alert::ConsentExpired(d) => format!("Einwilligung abgelaufen am {}", d.format("%d.%m.%Y")),
        Alert::ConsentNeedsConfirmation => "Volljährig: Einwilligung bestätigen lassen".to_string(),
        Alert::Turning25(d) => format!("U25 endet am {}", d.format("%d.%m.%Y")),
        Alert::HelpEnding(d) => format!(
            "Hilfe nach § 41 endet am {}: Übergang planen",
            d.format("%d.%m.%Y")
        ),
        Alert::MeasuresOverdue(n) => format!("{n} Vereinbarung(en) überfällig"),
        Alert::Inactive(d) => format!("Ohne Aktivität seit {}", d.format("%d.%m.%Y")),
    },
    sharing: |until| match until {
        Some(d) => format!("Weitergabe an die Partnerstelle erlaubt bis {d}"),
        None => {
            "Derzeit keine Weitergabe an die Partnerstelle (keine gültige Einwilligung)".to_string()
        }
    },
    received_marker: " (übermittelt)",
    locked_marker: " (hier nicht änderbar)",
    entrusted: "Anvertraut (§ 65 SGB VIII)",
    withheld_notes: |n, dates| {
        format!("{n} anvertraute Notiz(en), nur für die Verfasser/in lesbar: {dates}")
    },
    deputy: "Vertretung",
    young_person: "Junge Person",
    timeline: |e| match e {
        TimelineEvent::Opened => "Fall angelegt".to_string(),
        TimelineEvent::ConsentSigned(by) => format!("Einwilligung erteilt ({by})"),
        TimelineEvent::ConsentRevoked => "Einwilligung widerrufen".to_string(),
        TimelineEvent::ConsentEnds => "Einwilligung endet".to_string(),
        TimelineEvent::Transfer(to, n) => format!("{n} Angaben übermittelt an {to}"),
        TimelineEvent::MeasureDue(text, status) => {
            format!("Vereinbarung fällig: {text} ({status})")
        }
        TimelineEvent::Note(by) => format!("Notiz von {by}"),
    },
    break_glass_title: "Notfallzugriff",
    break_glass_hint: "Dieser Fall gehört nicht zu Ihren Fällen. Der Zugriff wird mit Grund protokolliert, der fallführenden Stelle angezeigt und gilt 8 Stunden. Grund wählen (↑/↓), Eingabe öffnet, Esc bricht ab.",
    transfer_title: "Übermittlung an die Partnerstelle",
    transfer_hint: |to, basis| {
        format!(
            "Genau diese Angaben sieht danach: {to}. Rechtsgrundlage: {basis}. Eingabe übermittelt, Esc bricht ab."
        )
    },
    transfer_64_2: "Mit der Übermittlung bestätigen Sie: Der Erfolg der Hilfe wird nicht gefährdet (§ 64 Abs. 2 SGB VIII).",
    transfer_no_basis: "Keine Übermittlung möglich: Es liegt keine gültige Einwilligung vor, die diese Angaben abdeckt.",
    transferred: "Übermittelt und im Übermittlungsprotokoll festgehalten.",
    confirm_revoke: |date| {
        format!(
            "Widerruf der Einwilligung vom {date} erfassen (schriftlich, ab heute wirksam)? Danach sieht die Partnerstelle die übermittelten Angaben nicht mehr."
        )
    },
    revoked: "Widerruf erfasst. Die Partnerstelle sieht die übermittelten Angaben nicht mehr.",
    nothing_to_revoke: "Es gibt keine erteilte Einwilligung, die widerrufen werden könnte.",
    note_title: "Notiz",
    note_hint: |allowed, on| {
        let mut s = "Strg+S speichern, Esc abbrechen.".to_string();
        if allowed {
            s.push_str(if on {
                " Strg+T: anvertraut (§ 65) – AN, nur Sie lesen sie."
            } else {
                " Strg+T: als anvertraut (§ 65) markieren."
            });
        }
        s
    },
    note_saved: "Notiz gespeichert.",
    alert_column: "!",
    basis_consent: "Einwilligung",
    grants_title: "Notfallzugriffe",
    seed_needs_db: "tandem seed: Bitte --db PFAD angeben (eine neue Datei).",
    seed_not_empty: |p| {
        format!("tandem seed: {p} enthält bereits Daten; seed schreibt nur in eine neue Datei.")
    },
    seed_exists: |p| {
        format!(
            "tandem seed: {p} gibt es bereits und bleibt unverändert; seed schreibt nur in eine neue Datei."
        )
    },
    seeded: |cases, staff, secs, p| {
        format!("{cases} Fälle und {staff} Mitarbeitende in {secs:.1} s nach {p} geschrieben.")
    },
    migrated: |p, v| format!("Datenbank {p} ist auf Schemastand {v}."),
    consent_title: "Einwilligung erfassen",
    consent_saved: "Einwilligung gespeichert.",
    consent_hint: "↑/↓ Zeile, Leertaste an/aus bzw. wählen, Strg+S speichern, Esc abbrechen.",
    info_ticks: [
        "Über Zweck informiert",
        "Über Folgen der Verweigerung informiert",
        "Über Widerrufbarkeit informiert",
    ],
    representation: |r| match r {
        RepresentationReason::Under15 => "unter 15",
        RepresentationReason::NoCapacity => "fehlende Einsichtsfähigkeit",
        RepresentationReason::Betreuung => "Betreuung",
    },
    consent_form: |f| match f {
        ConsentForm::Written => "schriftlich",
        ConsentForm::Electronic => "elektronisch",
    },
    yes: YES,
    no: NO,
    yes_no: [YES, NO],
    cp: &super::cp::DE,
    conf: &super::conf::DE,
    ssh: &super::ssh::DE,
    admin: &super::admin::DE,
    dpo: &super::dpo::DE,
    coop: &super::coop::DE,
    casework: &super::casework::DE,
    withdrawal: &super::withdrawal::DE,
    early_help: &super::early_help::DE,
    documents: &super::documents::DE,
    read_only: "Nur lesen: Bearbeiten dürfen die zuständigen Fachkräfte und ihre Vertretungen.",
    refused: |r| match r {
        Refusal::PartnerField(f) => format!(
            "„{}“ gehört der Partnerstelle und ist hier nicht änderbar.",
            (DE.field)(f)
        ),
        other => refusal_text(other).to_string(),
    },
    lookup_label: "Notfallzugriff – Nr.: ",
    lookup_hint: "Alle Fälle sieht die Leitung. Kunden-, Akten- oder Fallnummer, dann Grund.",
    lookup_none: "Kein Fall Ihrer Stelle hat genau diese Nummer. Die Suche ist protokolliert.",
    declarant_withheld: "erklärt durch: nicht übermittelt",
    do_not_contact: "Kontakt gefährdet",
    info_purpose: "Über Zweck informiert",
    info_refusal: "Über Folgen der Verweigerung informiert",
    info_revocable: "Über Widerrufbarkeit informiert",
    break_glass_text: "Begründung",
    break_glass_text_required: "Bei „Sonstiges“ bitte die Begründung eingeben.",
    transfer_purpose: "Zweck",
    transfer_64_2_tick: "§ 64 Abs. 2 SGB VIII geprüft",
    transfer_64_2_required: "Bitte bestätigen: Die Übermittlung gefährdet den Erfolg der Hilfe nicht (§ 64 Abs. 2 SGB VIII).",
    break_glass_reason_label: "Grund",
    restrict: &super::restrict::DE,
};

/// The German text of a refusal that names no field.
fn refusal_text(r: Refusal) -> &'static str {
    match r {
        Refusal::PartnerField(_) => {
            "Dieses Feld gehört der Partnerstelle und ist hier nicht änderbar."
        }
        Refusal::PartnerAssignment => {
            "Die Fachkraft der Partnerstelle trägt nur die Partnerstelle ein oder aus."
        }
        Refusal::LeadChange => "Die Fallführung übergibt nur die Stelle, die sie hat.",
        Refusal::CaseCreate => "Neue Fälle legen nur Fachkräfte an (Jobcenter U25, Jugendamt).",
        Refusal::TransferFields => "Übermittelt werden nur Angaben, die die eigene Stelle führt.",
        Refusal::TransferCheck642 => {
            "Vor der Übermittlung ist die Prüfung nach § 64 Abs. 2 SGB VIII zu bestätigen."
        }
        Refusal::TransferConsent => "Die gewählte Einwilligung gibt es in diesem Fall nicht.",
        Refusal::TransferNotCovered => {
            "Die Einwilligung deckt diese Angaben für die Partnerstelle nicht ab."
        }
        Refusal::TransferJustification => "Bitte die Übermittlung begründen.",
        Refusal::BreakGlassReasonText => "Bitte den sonstigen Grund angeben.",
        Refusal::DeputyAgency => "Die Vertretung muss zur selben Stelle gehören.",
        Refusal::AbsenceOrder => "Das Ende der Abwesenheit liegt vor ihrem Beginn.",
        Refusal::SamePerson => {
            "Vier-Augen-Prinzip: Die Bestätigung muss eine andere Fachkraft geben."
        }
        Refusal::NotQualified => "Dieser Schritt braucht eine andere Rolle oder Funktion.",
        Refusal::ReferralWrongState => "Dieser Schritt passt nicht zum Stand der Mitteilung.",
        Refusal::FeedbackOpen => "Erst die erbetene Rückmeldung erteilen oder begründet ablehnen.",
        Refusal::NoPending => "Es wartet kein Vorschlag auf Bestätigung.",
        Refusal::Pending => "Es wartet bereits ein Vorschlag auf Bestätigung.",
        Refusal::NotNoIndicators => {
            "Abschluss nur bei Einstufung „keine gewichtigen Anhaltspunkte“."
        }
        Refusal::NotReporter => "Nachträge kann nur die meldende Fachkraft senden.",
        Refusal::NoCase => "Diese Fallnummer gibt es nicht oder sie ist nicht sichtbar.",
        Refusal::ReferralIncomplete => {
            "Nicht gesendet: Eine Mitteilung braucht mindestens ein Kind, und bei „akut“ zuerst den Anruf beim Jugendamt (Uhrzeit und Gesprächspartner)."
        }
        Refusal::ConferenceNotCovered => {
            "Die Einwilligung deckt nicht alle Teilnehmenden und Themen – nur anonymisiert möglich."
        }
        Refusal::ConferenceWrongState => "Dieser Schritt passt nicht zum Stand der Konferenz.",
        Refusal::NotAllowed => "Nur die zuständigen Fachkräfte des Falls können das.",
        Refusal::DateNeeded => "Bitte einen neuen Termin angeben.",
        Refusal::ReasonNeeded => "Bitte einen Grund angeben.",
        Refusal::NotYet => "Die Konferenz hat noch nicht stattgefunden.",
        Refusal::SecondApproval => {
            "Die zweite Freigabe gibt eine anwesende Fachkraft der anderen Stelle."
        }
        Refusal::DecisionIncomplete => {
            "Jede Vereinbarung braucht Text, Verantwortliche und ein Fälligkeitsdatum."
        }
        Refusal::DateOutOfRange => {
            "Das Datum liegt zu weit entfernt; so lässt es sich weder speichern noch als Kalenderdatei schreiben."
        }
        Refusal::Clash => {
            "Inzwischen ist eine beteiligte Person oder der Raum zu dieser Zeit belegt (siehe unten). Nichts gespeichert."
        }
        Refusal::NotAdmin => {
            "Mitarbeitende verwaltet nur die Administration (Rolle „Administration“)."
        }
        Refusal::OtherAgency => {
            "Mitarbeitende der anderen Stelle verwaltet deren eigene Administration."
        }
        Refusal::RoleAgency => "Diese Rolle oder Funktion gibt es bei dieser Stelle nicht.",
        Refusal::NoRole => "Bitte mindestens eine Rolle angeben.",
        Refusal::OwnAccount => {
            "Das eigene Konto (Rollen, Deaktivierung) ändert eine andere Person der Administration."
        }
        Refusal::LastAdmin => {
            "Die Stelle braucht mindestens eine aktive Administration; diese Änderung würde die letzte entfernen."
        }
        Refusal::LoginTaken => "Diesen Anmeldenamen gibt es bereits.",
        Refusal::LoginInvalid => {
            "Anmeldenamen: 1 bis 64 Zeichen aus Kleinbuchstaben, Ziffern, Punkt, Bindestrich, Unterstrich; am Anfang ein Buchstabe oder eine Ziffer."
        }
        Refusal::NameNeeded => "Bitte Nachnamen und Vornamen angeben.",
        Refusal::GrantSelf => {
            "Vier-Augen-Prinzip: Die Rolle bestätigt eine andere Person der Administration, nicht wer sie beantragt hat oder sie erhält."
        }
        Refusal::Restricted => {
            "Der Fall ist gesperrt (Art. 18 DSGVO): Er wird nicht bearbeitet, bis die Sperre aufgehoben ist."
        }
        Refusal::NotRestricted => "Der Fall ist nicht gesperrt.",
        Refusal::AlreadyRestricted => "Der Fall ist bereits gesperrt.",
        Refusal::RestrictNotAllowed => {
            "Sperren und Aufheben: nur die Leitung oder der/die Datenschutzbeauftragte der fallführenden Stelle."
        }
        Refusal::DisputeField => {
            "Bestritten werden können nur Personenangaben, die die eigene Stelle führt."
        }
        Refusal::DisputeOpen => "Diese Angabe ist bereits als bestritten vermerkt.",
        Refusal::DisputeClosed => "Für diese Angabe ist kein Bestreiten offen.",
        Refusal::StatementTooLong => "Die Stellungnahme ist zu lang (höchstens 1000 Zeichen).",
        Refusal::ExportNotReleased => {
            "Vier-Augen-Prinzip: Diese Auskunft braucht zuerst die Freigabe durch eine Leitung oder eine zweite Datenschutzperson (tandem subject-export --ask)."
        }
        Refusal::NotDpo => "Nur für den Datenschutz (DSB) der eigenen Stelle.",
        Refusal::CommentTooLong => "Der Kommentar ist zu lang (höchstens 500 Zeichen).",
        Refusal::DraftTooLong => {
            "Der Entwurf wurde nicht gespeichert: Ein Feld ist länger als erlaubt. Bitte kürzen."
        }
        Refusal::EarlyHelpWrongState => {
            "Dieser Schritt passt nicht zum Stand der Kontaktvermittlung. Nach einem Widerruf ist nur noch Abschließen möglich."
        }
        Refusal::EarlyHelpContact => {
            "Ohne Name und Kontaktdaten der Eltern kann niemand Kontakt aufnehmen: Bitte in der Einwilligung ankreuzen oder keine Anfrage senden."
        }
        Refusal::EarlyHelpConcern => "Bitte mindestens ein Anliegen angeben.",
        Refusal::EarlyHelpChildren => {
            "Bitte ein bis neun Kinder angeben (ein erwartetes Kind zählt)."
        }
        Refusal::EarlyHelpTooLong => "Ein Eintrag ist zu lang. Bitte kürzen.",
        Refusal::EarlyHelpHelpKind => "Bitte angeben, welche Hilfe angenommen wurde.",
        Refusal::EarlyHelpDraftExists => {
            "Es gibt schon einen Entwurf einer Kinderschutz-Mitteilung. Bitte erst senden oder verwerfen."
        }
        Refusal::NotLead => "Das dürfen nur die Teamleitungen beider Stellen.",
        Refusal::PledgeMissing => {
            "„Durchgeführt“ erst mit unterzeichneter Verschwiegenheitserklärung (Datum eintragen)."
        }
        Refusal::CoopWrongState => "Dieser Schritt passt nicht zum Stand des Eintrags.",
        Refusal::CoopInvalid => "Eine Angabe liegt außerhalb des erlaubten Bereichs.",
        Refusal::FeatureOff => "Diese Funktion ist an diesem Standort ausgeschaltet.",
    }
}

/// "ja", shared by `yes` and the consent dialog's `yes_no`.
const YES: &str = "ja";
/// "nein".
const NO: &str = "nein";
