//! The command-line lines of `tandem subject-export` (docs/subject-access.md); the export
//! document's own texts are in `model::subject` (it is a German document).

/// A non-DSB asked for an access-request export.
pub const NOT_DPO: &str = "Auskünfte nach Art. 15 DSGVO erstellt nur die/der Datenschutzbeauftragte der Stelle (Rolle dpo). / Only the data protection officer (role dpo) makes access-request exports.";
/// `--birth` cannot be read.
pub const BAD_BIRTH: &str =
    "Geburtsdatum bitte als TT.MM.JJJJ angeben (--birth). / Give the birth date as DD.MM.YYYY.";
/// `--surname` or `--given` is empty.
pub const NAME_NEEDED: &str =
    "Nachname (--surname) und Vorname (--given) angeben. / Give surname and given name.";
/// An output could not be written.
pub const NOT_WRITTEN: &str =
    "Die Auskunft konnte nicht geschrieben werden. / The export could not be written:";

/// `--ask` made request `id`.
pub fn asked(id: i64) -> String {
    format!(
        "Auskunftsersuchen {id} wartet auf die Freigabe durch eine Leitung oder eine zweite Datenschutzperson. / Request {id} waits for a second person's release."
    )
}

/// Request `id` was released.
pub fn released(id: i64) -> String {
    format!("Auskunftsersuchen {id} freigegeben. / Request {id} released.")
}

/// Request `id` was refused.
pub fn refused(id: i64) -> String {
    format!("Auskunftsersuchen {id} abgelehnt. / Request {id} refused.")
}

/// One line of `--requests`: id, state, asked by, asked at, surname, given, birth date.
pub fn request_line(r: &crate::model::subject::ExportRequest) -> String {
    let state = match r.approved {
        None => "wartet",
        Some(true) => "freigegeben",
        Some(false) => "abgelehnt",
    };
    format!(
        "{}\t{state}\t{}\t{}\t{}\t{}\t{}",
        r.id,
        r.requested_by,
        r.requested_at,
        crate::domain::text::sanitize(&r.query.surname, false),
        crate::domain::text::sanitize(&r.query.given_names, false),
        r.query
            .birth_date
            .map_or_else(String::new, |d| d.format("%d.%m.%Y").to_string())
    )
}
