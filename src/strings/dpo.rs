//! Texts of the data-protection officer's screen ("Datenschutz", docs/dpo.md), German and
//! English. Both are full struct literals, so a missing translation does not compile.

/// The texts.
#[derive(Debug)]
pub struct DpoStrings {
    /// The screen key was pressed by someone who is no DSB.
    pub only_dpo: &'static str,
    /// A case screen's key pressed by a DSB without a case role.
    pub no_case_content: &'static str,
    /// Section titles: audit, break-glass, refused, transfers, child protection, chain,
    /// retention.
    pub sections: [&'static str; 7],
    /// Nothing to show.
    pub empty: &'static str,
    /// Count line of a list (shown, at most).
    pub count: fn(usize, usize) -> String,
    /// The filter in force (its parts).
    pub filter_line: fn(&str) -> String,
    /// No filter.
    pub no_filter: &'static str,
    /// Filter parts: person, case, action, from, to.
    pub filter_parts: [&'static str; 5],
    /// Column heads of the audit log: time, person, action, object, detail.
    pub audit_columns: [&'static str; 5],
    /// Label of an action code.
    pub action_label: fn(&str) -> String,
    /// "Fall 12".
    pub case_no: fn(i64) -> String,
    /// Column heads of the break-glass list: time, person, case, reason, review.
    pub grant_columns: [&'static str; 5],
    /// Not reviewed yet.
    pub unreviewed: &'static str,
    /// Justified / not justified.
    pub verdicts: [&'static str; 2],
    /// Marker of a reason with a free text (which is not shown).
    pub text_withheld: &'static str,
    /// Detail line of a reviewed grant (verdict, reviewer, when, comment).
    pub review_line: fn(&str, &str, &str, &str) -> String,
    /// One transfer (when, from, to, case, fields, basis, by).
    pub transfer_columns: [&'static str; 6],
    /// Heading of the urgency counts.
    pub by_urgency: &'static str,
    /// One urgency (label, all, open).
    pub urgency_line: fn(&str, usize, usize) -> String,
    /// Heading of the state counts.
    pub by_state: &'static str,
    /// Label of an urgency code.
    pub urgency: fn(&str) -> &'static str,
    /// Label of a state code.
    pub state: fn(&str) -> &'static str,
    /// Receipts (same day, later, missing).
    pub receipt: fn(usize, usize, usize) -> String,
    /// First contacts (in time, late, overdue).
    pub contact: fn(usize, usize, usize) -> String,
    /// The chain verified (rows, triggers).
    pub chain_ok: fn(u64, usize) -> String,
    /// The chain broken at a row.
    pub chain_bad: fn(i64) -> String,
    /// Heading of the evidence tables.
    pub evidence: &'static str,
    /// One evidence table (name, rows).
    pub evidence_line: fn(&str, u64) -> String,
    /// A finding.
    pub finding: fn(&str) -> String,
    /// Heading of the review list.
    pub due_title: &'static str,
    /// One class (label, due, held).
    pub due_line: fn(&str, usize, usize) -> String,
    /// Running holds.
    pub holds: fn(usize) -> String,
    /// Heading of the open restrictions (Art. 18).
    pub restrictions_title: &'static str,
    /// One open restriction (case number, reason, by, since).
    pub restriction_line: fn(i64, &str, &str, &str) -> String,
    /// No open restriction.
    pub no_restrictions: &'static str,
    /// Label of a retention class code.
    pub class: fn(&str) -> &'static str,
    /// Heading of the runs.
    pub runs_title: &'static str,
    /// A planned run (id, planned for, by, records).
    pub run_planned: fn(i64, &str, &str, usize) -> String,
    /// An executed run (id, planned for, by, released by, when, deleted).
    pub run_done: fn(i64, &str, &str, &str, &str, usize) -> String,
    /// No runs.
    pub no_runs: &'static str,
    /// `f` without a planned run.
    pub no_pending_run: &'static str,
    /// The question before a release (id).
    pub ask_release: fn(i64) -> String,
    /// A run released (id, deleted).
    pub run_released: fn(i64, usize) -> String,
    /// `Enter`/`b` outside the break-glass list or without a row.
    pub no_grant: &'static str,
    /// Title of the review box.
    pub review_title: fn(&str, i64) -> String,
    /// Labels of the review box: verdict, comment.
    pub review_labels: [&'static str; 2],
    /// Hint of the review box.
    pub review_hint: &'static str,
    /// Review saved (verdict).
    pub reviewed: fn(&str) -> String,
    /// Title of the filter box.
    pub filter_title: &'static str,
    /// "alle" in a choice of the filter.
    pub all: &'static str,
    /// A case number that is no number.
    pub bad_case_no: &'static str,
    /// A date that cannot be read.
    pub bad_date: &'static str,
    /// Title of the Art. 15 box.
    pub export_title: &'static str,
    /// Labels of the Art. 15 box: surname, given names, birth date.
    pub export_labels: [&'static str; 3],
    /// Hint of the Art. 15 box.
    pub export_hint: &'static str,
    /// Surname or given names missing.
    pub export_name_needed: &'static str,
    /// The database is no file (no folder for exports).
    pub export_no_folder: &'static str,
    /// The files could not be written.
    pub export_failed: &'static str,
    /// Written (the JSON file's path, the text file's path, records).
    pub exported: fn(&[String; 3], usize) -> String,
    /// The hint under the sections: what this screen never shows.
    pub no_content_note: &'static str,
}

fn de_action(code: &str) -> String {
    match code {
        "create" => "angelegt",
        "update" => "geändert",
        "delete" => "gelöscht",
        "view" => "angezeigt",
        "export" => "exportiert",
        "refused" => "abgelehnt",
        "login" => "Anmeldung",
        "login_refused" => "Anmeldung abgelehnt",
        "logout" => "Abmeldung",
        "transfer" => "übermittelt",
        "break_glass" => "Notfallzugriff",
        "idle_lock" => "Sperre",
        "seal" => "versiegelt",
        other => other,
    }
    .to_string()
}

fn en_action(code: &str) -> String {
    match code {
        "create" => "created",
        "update" => "changed",
        "delete" => "deleted",
        "view" => "shown",
        "export" => "exported",
        "refused" => "refused",
        "login" => "login",
        "login_refused" => "login refused",
        "logout" => "logout",
        "transfer" => "transferred",
        "break_glass" => "break-glass",
        "idle_lock" => "locked",
        "seal" => "sealed",
        other => other,
    }
    .to_string()
}

fn de_state(code: &str) -> &'static str {
    match code {
        "sent" => "gesendet",
        "received" => "eingegangen",
        "forwarded" => "weitergeleitet",
        "triaged" => "eingeschätzt",
        "investigating" => "in Prüfung",
        "assessed" => "bewertet",
        "measures" => "Maßnahmen",
        "closed" => "abgeschlossen",
        _ => "?",
    }
}

fn en_state(code: &str) -> &'static str {
    match code {
        "sent" => "sent",
        "received" => "received",
        "forwarded" => "forwarded",
        "triaged" => "triaged",
        "investigating" => "investigating",
        "assessed" => "assessed",
        "measures" => "measures",
        "closed" => "closed",
        _ => "?",
    }
}

/// German.
pub const DE: DpoStrings = DpoStrings {
    only_dpo: "Nur für den Datenschutz (DSB).",
    no_case_content: "Keine Fallinhalte: Der Datenschutz sieht nur Metadaten (F8 Datenschutz).",
    sections: [
        "Protokoll",
        "Notfallzugriffe",
        "Abgelehnt",
        "Übermittlungen",
        "Kinderschutz",
        "Prüfkette",
        "Aufbewahrung",
    ],
    empty: "Keine Einträge.",
    count: |n, max| match n {
        1 => "1 Eintrag".to_string(),
        n if n >= max => format!("die neuesten {max} Einträge"),
        n => format!("{n} Einträge"),
    },
    filter_line: |parts| format!("Filter: {parts}  (/ ändern, x aufheben)"),
    no_filter: "Kein Filter (/ filtern)",
    filter_parts: ["Person", "Fall", "Aktion", "von", "bis"],
    audit_columns: ["Zeit", "Person", "Aktion", "Objekt", "Details"],
    action_label: de_action,
    case_no: |n| format!("Fall {n}"),
    grant_columns: ["Zeit", "Person", "Fall", "Grund", "Prüfung"],
    unreviewed: "ungeprüft",
    verdicts: ["berechtigt", "nicht berechtigt"],
    text_withheld: "+Freitext",
    review_line: |verdict, by, at, comment| {
        if comment.is_empty() {
            format!("Geprüft: {verdict} ({by}, {at})")
        } else {
            format!("Geprüft: {verdict} ({by}, {at}): {comment}")
        }
    },
    transfer_columns: ["Zeit", "Von → an", "Fall", "Felder", "Grundlage", "Person"],
    by_urgency: "Mitteilungen nach Dringlichkeit",
    urgency_line: |label, all, open| format!("{label:<12} {all:>4} gesamt, {open:>4} offen"),
    by_state: "Nach Stand",
    urgency: |code| match code {
        "akut" => "akut",
        "dringend" => "dringend",
        "nicht_akut" => "nicht akut",
        _ => "?",
    },
    state: de_state,
    receipt: |same, later, missing| {
        format!("Eingang bestätigt: {same} am Versandtag, {later} später, {missing} noch nicht")
    },
    contact: |kept, late, overdue| {
        format!("Erstkontakt: {kept} fristgerecht, {late} verspätet, {overdue} überfällig")
    },
    chain_ok: |rows, triggers| {
        format!("✓ Prüfkette in Ordnung: {rows} Protokollzeilen, {triggers} Schutz-Trigger")
    },
    chain_bad: |seq| format!("⚠ Prüfkette gebrochen ab Protokollzeile {seq}"),
    evidence: "Beweistabellen",
    evidence_line: |table, rows| format!("{table:<20} {rows:>6} Zeilen geprüft"),
    finding: |f| format!("⚠ {f}"),
    due_title: "Prüfliste (heute fällig)",
    due_line: |class, due, held| format!("{class:<20} {due:>4} fällig, {held:>4} gesperrt"),
    holds: |n| format!("{n} laufende Sperrvermerke"),
    restrictions_title: "Eingeschränkte Verarbeitung (Art. 18 DSGVO)",
    restriction_line: |case, reason, by, since| {
        format!("Fall {case}: {reason} – gesperrt von {by} am {since}")
    },
    no_restrictions: "Kein Fall gesperrt.",
    class: |code| match code {
        "case" => "Kooperationsfall",
        "consent" => "Einwilligung",
        "cp_jc" => "Kinderschutz JC",
        "cp_ja" => "Kinderschutz JA",
        "anon" => "Anonyme Fallberatung",
        "struct" => "Kooperationsstruktur",
        "access_log" => "Zugriffsprotokoll",
        "transfer_log" => "Übermittlungsprotokoll",
        _ => "?",
    },
    runs_title: "Löschläufe",
    run_planned: |id, day, by, n| {
        format!("Lauf {id} vom {day}, geplant von {by}: {n} Datensätze – wartet auf Freigabe (f)")
    },
    run_done: |id, day, by, second, at, n| {
        format!(
            "Lauf {id} vom {day}, geplant von {by}, freigegeben von {second} am {at}: {n} gelöscht"
        )
    },
    no_runs: "Keine Löschläufe.",
    no_pending_run: "Kein geplanter Löschlauf wartet auf Freigabe.",
    ask_release: |id| {
        format!(
            "Löschlauf {id} freigeben? Die Datensätze werden endgültig gelöscht. Zum Bestätigen erneut f drücken."
        )
    },
    run_released: |id, n| format!("Löschlauf {id} freigegeben: {n} Datensätze gelöscht."),
    no_grant: "Bitte im Bereich „Notfallzugriffe“ einen Zugriff wählen.",
    review_title: |login, case| format!("Notfallzugriff prüfen: {login}, Fall {case}"),
    review_labels: ["Bewertung", "Kommentar"],
    review_hint: "Kurz begründen, ohne Namen von Personen (höchstens 500 Zeichen). Eine spätere Prüfung ersetzt diese.",
    reviewed: |v| format!("Notfallzugriff geprüft: {v}."),
    filter_title: "Protokoll filtern",
    all: "alle",
    bad_case_no: "Die Fallnummer ist eine Zahl.",
    bad_date: "Datum bitte als TT.MM.JJJJ.",
    export_title: "Auskunft nach Art. 15 DSGVO",
    export_labels: ["Nachname", "Vorname(n)", "Geburtsdatum"],
    export_hint: "Die Auskunft umfasst die Daten, für die Ihre Stelle verantwortlich ist. Sie wird als JSON, als Text und als PDF im Exportordner gespeichert (nur für das Dienstkonto lesbar) und protokolliert – ohne den Namen.",
    export_name_needed: "Bitte Nachnamen und Vornamen angeben.",
    export_no_folder: "Diese Datenbank liegt nicht in einer Datei: keine Auskunftsdatei möglich.",
    export_failed: "Die Auskunft konnte nicht geschrieben werden.",
    exported: |[json, text, pdf], n| {
        format!(
            "Auskunft geschrieben ({n} Datensätze): {json}, {text} und {pdf}. Bitte vor dem Versand lesen."
        )
    },
    no_content_note: "Nur Metadaten: keine Namen, keine Inhalte.",
};

/// English.
pub const EN: DpoStrings = DpoStrings {
    only_dpo: "Only for the data-protection officer.",
    no_case_content: "No case content: data protection sees metadata only (F8 Data protection).",
    sections: [
        "Log",
        "Break-glass",
        "Refused",
        "Transfers",
        "Child protection",
        "Chain",
        "Retention",
    ],
    empty: "No entries.",
    count: |n, max| match n {
        1 => "1 entry".to_string(),
        n if n >= max => format!("the newest {max} entries"),
        n => format!("{n} entries"),
    },
    filter_line: |parts| format!("Filter: {parts}  (/ change, x clear)"),
    no_filter: "No filter (/ to filter)",
    filter_parts: ["person", "case", "action", "from", "to"],
    audit_columns: ["Time", "Person", "Action", "Object", "Detail"],
    action_label: en_action,
    case_no: |n| format!("Case {n}"),
    grant_columns: ["Time", "Person", "Case", "Reason", "Review"],
    unreviewed: "not reviewed",
    verdicts: ["justified", "not justified"],
    text_withheld: "+free text",
    review_line: |verdict, by, at, comment| {
        if comment.is_empty() {
            format!("Reviewed: {verdict} ({by}, {at})")
        } else {
            format!("Reviewed: {verdict} ({by}, {at}): {comment}")
        }
    },
    transfer_columns: ["Time", "From → to", "Case", "Fields", "Basis", "Person"],
    by_urgency: "Referrals by urgency",
    urgency_line: |label, all, open| format!("{label:<12} {all:>4} in all, {open:>4} open"),
    by_state: "By state",
    urgency: |code| match code {
        "akut" => "acute",
        "dringend" => "urgent",
        "nicht_akut" => "not acute",
        _ => "?",
    },
    state: en_state,
    receipt: |same, later, missing| {
        format!("Receipt confirmed: {same} on the day sent, {later} later, {missing} not yet")
    },
    contact: |kept, late, overdue| {
        format!("First contact: {kept} in time, {late} late, {overdue} overdue")
    },
    chain_ok: |rows, triggers| {
        format!("✓ Chain intact: {rows} log rows, {triggers} protecting triggers")
    },
    chain_bad: |seq| format!("⚠ Chain broken from log row {seq}"),
    evidence: "Evidence tables",
    evidence_line: |table, rows| format!("{table:<20} {rows:>6} rows verified"),
    finding: |f| format!("⚠ {f}"),
    due_title: "Review list (due today)",
    due_line: |class, due, held| format!("{class:<20} {due:>4} due, {held:>4} held"),
    holds: |n| format!("{n} running legal holds"),
    restrictions_title: "Restricted processing (Art. 18 GDPR)",
    restriction_line: |case, reason, by, since| {
        format!("Case {case}: {reason} – restricted by {by} on {since}")
    },
    no_restrictions: "No case restricted.",
    class: |code| match code {
        "case" => "Cooperation case",
        "consent" => "Consent",
        "cp_jc" => "Child protection JC",
        "cp_ja" => "Child protection JA",
        "anon" => "Anonymous consultation",
        "struct" => "Cooperation structure",
        "access_log" => "Access log",
        "transfer_log" => "Transfer log",
        _ => "?",
    },
    runs_title: "Deletion runs",
    run_planned: |id, day, by, n| {
        format!("Run {id} of {day}, planned by {by}: {n} records – waiting for release (f)")
    },
    run_done: |id, day, by, second, at, n| {
        format!("Run {id} of {day}, planned by {by}, released by {second} on {at}: {n} deleted")
    },
    no_runs: "No deletion runs.",
    no_pending_run: "No planned deletion run waits for release.",
    ask_release: |id| {
        format!(
            "Release deletion run {id}? The records are deleted for good. Press f again to confirm."
        )
    },
    run_released: |id, n| format!("Deletion run {id} released: {n} records deleted."),
    no_grant: "Please choose an access in the section “Break-glass”.",
    review_title: |login, case| format!("Review break-glass: {login}, case {case}"),
    review_labels: ["Verdict", "Comment"],
    review_hint: "A short reason, without names of persons (at most 500 characters). A later review replaces this one.",
    reviewed: |v| format!("Break-glass access reviewed: {v}."),
    filter_title: "Filter the log",
    all: "all",
    bad_case_no: "The case number is a number.",
    bad_date: "Please write the date as DD.MM.YYYY.",
    export_title: "Access request, Art. 15 GDPR",
    export_labels: ["Surname", "Given name(s)", "Date of birth"],
    export_hint: "The answer covers the data your agency is controller of. It is saved as JSON, as text and as PDF in the export folder (readable by the service account only) and logged – without the name.",
    export_name_needed: "Please give surname and given name.",
    export_no_folder: "This database is not a file: no export file possible.",
    export_failed: "The answer could not be written.",
    exported: |[json, text, pdf], n| {
        format!(
            "Answer written ({n} records): {json}, {text} and {pdf}. Please read it before sending."
        )
    },
    no_content_note: "Metadata only: no names, no content.",
};
