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
