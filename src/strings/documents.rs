//! Texts of printed documents' status lines (docs/documents.md). German and English, both
//! full struct literals. The documents themselves are German: they are the paper people
//! sign and file.

/// The texts.
#[derive(Debug)]
pub struct DocumentStrings {
    /// The case file has no consent to print.
    pub no_consent: &'static str,
    /// The database lives in memory: there is no export folder beside it.
    pub no_folder: &'static str,
    /// The PDF could not be made (a broken build).
    pub failed: &'static str,
    /// Written: where.
    pub written: fn(&str) -> String,
    /// Not written: which folder.
    pub not_written: fn(&str) -> String,
}

/// German.
pub const DE: DocumentStrings = DocumentStrings {
    no_consent: "Keine Einwilligung in dieser Akte: nichts zu drucken.",
    no_folder: "Kein Exportordner: die Datenbank liegt nicht in einer Datei.",
    failed: "Das Dokument konnte nicht erzeugt werden (siehe Protokoll).",
    written: |path| format!("Dokument geschrieben: {path}"),
    not_written: |dir| {
        format!(
            "Dokument nicht geschrieben: der Exportordner {dir} ist nicht anlegbar oder nicht beschreibbar."
        )
    },
};

/// English.
pub const EN: DocumentStrings = DocumentStrings {
    no_consent: "No consent in this file: nothing to print.",
    no_folder: "No export folder: the database does not live in a file.",
    failed: "The document could not be made (see the log).",
    written: |path| format!("Document written: {path}"),
    not_written: |dir| {
        format!("Document not written: the export folder {dir} cannot be created or written.")
    },
};
