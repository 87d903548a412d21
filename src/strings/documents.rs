//! Texts of printed documents' status lines (docs/documents.md). German and English, both
//! full struct literals. The documents themselves are German: they are the paper people
//! sign and file.

/// The texts.
#[derive(Debug)]
pub struct DocumentStrings {
    /// The case file has no consent to print.
    pub no_consent: &'static str,
    /// No letter: the conference is anonymised, without a coming date, postponed or
    /// cancelled.
    pub anonymised: &'static str,
    /// The referral is not received yet: no receipt to confirm.
    pub not_received: &'static str,
    /// `d` on F5 outside the yearly report.
    pub report_only: &'static str,
    /// The document menu's title.
    pub menu_title: &'static str,
    /// The conference's documents in the menu: minutes, letter.
    pub menu: [&'static str; 2],
    /// The database lives in memory: there is no export folder beside it.
    pub no_folder: &'static str,
    /// The PDF could not be made (a broken build).
    pub failed: &'static str,
    /// Written: its number and where.
    pub written: fn(i64, &str) -> String,
    /// Not written: which folder.
    pub not_written: fn(&str) -> String,
}

/// German.
pub const DE: DocumentStrings = DocumentStrings {
    no_consent: "Keine angefragte oder erteilte Einwilligung in dieser Akte: nichts zu drucken.",
    anonymised: "Kein Brief: die Konferenz ist anonym, hat keinen kommenden Termin, ist vertagt oder abgesagt.",
    not_received: "Die Mitteilung ist noch nicht eingegangen: keine Eingangsbestätigung.",
    report_only: "Im Bereich Jahresbericht schreibt d den Bericht als PDF.",
    menu_title: "Dokument drucken (PDF)",
    menu: [
        "Protokoll der Fallkonferenz",
        "Brief an die junge Person (einfache Sprache)",
    ],
    no_folder: "Kein Exportordner: die Datenbank liegt nicht in einer Datei.",
    failed: "Das Dokument konnte nicht erzeugt werden (siehe Protokoll).",
    written: |n, path| format!("Dokument {n} geschrieben: {path} · per SSH: dokument {n}"),
    not_written: |dir| {
        format!(
            "Dokument nicht geschrieben: der Exportordner {dir} ist nicht anlegbar oder nicht beschreibbar."
        )
    },
};

/// English.
pub const EN: DocumentStrings = DocumentStrings {
    no_consent: "No consent asked for or given in this file: nothing to print.",
    anonymised: "No letter: the conference is anonymous, has no coming date, is postponed or cancelled.",
    not_received: "The referral is not received yet: no receipt to confirm.",
    report_only: "In the yearly report, d writes it as PDF.",
    menu_title: "Print a document (PDF)",
    menu: [
        "Conference minutes",
        "Letter to the young person (plain language)",
    ],
    no_folder: "No export folder: the database does not live in a file.",
    failed: "The document could not be made (see the log).",
    written: |n, path| format!("Document {n} written: {path} · over SSH: dokument {n}"),
    not_written: |dir| {
        format!("Document not written: the export folder {dir} cannot be created or written.")
    },
};
