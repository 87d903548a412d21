//! Texts of the SSH front door (`tandem init`, `tandem keys`, `tandem staff key …`, the
//! plain-data verbs), German and English. Both are full struct literals, so a missing
//! translation does not compile.

/// The texts.
#[derive(Debug)]
pub struct SshStrings {
    /// The key file is empty.
    pub key_empty: &'static str,
    /// A private key was given.
    pub key_private: &'static str,
    /// More than one key line.
    pub key_several: &'static str,
    /// An unknown key type (the word).
    pub key_unknown_type: fn(&str) -> String,
    /// The key data is damaged.
    pub key_malformed: &'static str,
    /// An RSA key that is too short (its bits, the minimum).
    pub key_rsa_short: fn(usize, usize) -> String,
    /// The key file cannot be read (the path).
    pub key_unreadable: fn(&str) -> String,
    /// The acting person is no administrator.
    pub not_admin: &'static str,
    /// The staff member belongs to the other agency.
    pub other_agency: &'static str,
    /// No such login (the login).
    pub no_such_login: fn(&str) -> String,
    /// No active key with this fingerprint (the fingerprint).
    pub no_such_key: fn(&str) -> String,
    /// The key is registered already.
    pub duplicate_key: &'static str,
    /// A key was added (fingerprint, login).
    pub key_added: fn(&str, &str) -> String,
    /// A key was removed (fingerprint).
    pub key_removed: fn(&str) -> String,
    /// A login that cannot stand in a key line was left out (the login).
    pub login_skipped: fn(&str) -> String,
    /// A path that cannot stand in a key line (the path).
    pub unsafe_path: fn(&str) -> String,
    /// The path of the running program is unknown.
    pub no_program_path: &'static str,
    /// The key file was written (lines, path).
    pub keys_written: fn(usize, &str) -> String,
    /// The key file could not be written (path).
    pub keys_not_written: fn(&str) -> String,
    /// `tandem init` on an existing file (path).
    pub init_exists: fn(&str) -> String,
    /// `tandem init` on a database with staff.
    pub init_not_empty: &'static str,
    /// `--name` without given name and surname.
    pub init_bad_name: &'static str,
    /// A login with characters outside a–z, 0–9, `.`, `_`, `-` (the login).
    pub bad_login: fn(&str) -> String,
    /// `tandem init` done (path, login, fingerprint).
    pub init_done: fn(&str, &str, &str) -> String,
    /// Column heads of `tandem staff key list`.
    pub list_head: &'static str,
    /// Column heads of the `oncall` verb.
    pub oncall_head: &'static str,
    /// `dokument N`: no such document of the user (or someone else's: the same answer).
    pub no_document: fn(i64) -> String,
    /// `dokument N`: the file is no longer in the export folder.
    pub document_gone: fn(i64) -> String,
    /// `dokument N` to a terminal: a PDF is not for the screen.
    pub document_tty: &'static str,
}

/// German.
pub static DE: SshStrings = SshStrings {
    key_empty: "Die Schlüsseldatei ist leer. Bitte die Datei mit der Endung .pub angeben.",
    key_private: "Das ist ein privater Schlüssel. Bitte nur den öffentlichen Schlüssel (Datei mit der Endung .pub) angeben; der private Schlüssel bleibt bei der Person.",
    key_several: "Die Datei enthält mehrere Schlüssel. Bitte jeden Schlüssel einzeln hinzufügen.",
    key_unknown_type: |t| {
        format!(
            "„{t}“ ist keine erlaubte Schlüsselart. Erlaubt: ssh-ed25519, ecdsa-sha2-nistp256/384/521, FIDO2-Schlüssel (sk-…), ssh-rsa ab 3072 Bit."
        )
    },
    key_malformed: "Das ist kein gültiger öffentlicher OpenSSH-Schlüssel (Schlüsseldaten beschädigt).",
    key_rsa_short: |bits, min| {
        format!(
            "Der RSA-Schlüssel hat nur {bits} Bit; verlangt sind mindestens {min} Bit (BSI TR-02102)."
        )
    },
    key_unreadable: |p| format!("Die Schlüsseldatei {p} kann nicht gelesen werden."),
    not_admin: "Schlüssel verwalten dürfen nur aktive Administratorinnen und Administratoren.",
    other_agency: "Schlüssel von Mitarbeitenden der anderen Stelle verwaltet deren Administration.",
    no_such_login: |l| format!("Keine Mitarbeiterin und kein Mitarbeiter mit der Anmeldung „{l}“."),
    no_such_key: |f| format!("Kein aktiver Schlüssel mit dem Fingerabdruck {f}."),
    duplicate_key: "Dieser Schlüssel ist bereits eingetragen; ein Schlüssel darf nur einer Person gehören.",
    key_added: |f, l| {
        format!("Schlüssel {f} für {l} hinzugefügt. Jetzt „tandem keys --out …“ ausführen.")
    },
    key_removed: |f| format!("Schlüssel {f} entfernt. Jetzt „tandem keys --out …“ ausführen."),
    login_skipped: |l| {
        format!(
            "Anmeldung „{l}“ enthält Zeichen, die in einer Schlüsselzeile nicht stehen dürfen; ihre Schlüssel wurden ausgelassen."
        )
    },
    unsafe_path: |p| {
        format!(
            "Der Pfad {p} enthält Zeichen, die in einer Schlüsselzeile nicht stehen dürfen (erlaubt: Buchstaben, Ziffern, / . _ - +)."
        )
    },
    no_program_path: "Der Pfad dieses Programms ist nicht bekannt.",
    keys_written: |n, p| format!("{n} Schlüsselzeilen nach {p} geschrieben."),
    keys_not_written: |p| format!("Die Datei {p} konnte nicht geschrieben werden."),
    init_exists: |p| {
        format!("Die Datei {p} gibt es bereits; tandem init legt nur eine neue Datenbank an.")
    },
    init_not_empty: "Die Datenbank hat bereits Mitarbeitende; tandem init legt nur eine neue Datenbank an.",
    init_bad_name: "Bitte bei --name Vor- und Nachnamen angeben, zum Beispiel --name \"Erika Muster\".",
    bad_login: |l| {
        format!(
            "Die Anmeldung „{l}“ ist nicht erlaubt: nur Kleinbuchstaben a–z, Ziffern, Punkt, Unterstrich und Bindestrich, höchstens 32 Zeichen, am Anfang ein Buchstabe."
        )
    },
    init_done: |p, l, f| {
        format!(
            "Datenbank {p} angelegt; Administration: {l} mit Schlüssel {f}. Als Nächstes: tandem keys --out …"
        )
    },
    list_head: "Anmeldung\tStelle\tFingerabdruck\tArt\tKommentar\tEingetragen",
    oncall_head: "Frist\tDringlichkeit\tStand\tKinder\tMeldung\tTelefon\tErreichbar bis",
    no_document: |n| format!("Kein Dokument {n} von Ihnen."),
    document_gone: |n| format!("Dokument {n} ist nicht mehr im Exportordner."),
    document_tty: "Ein PDF gehört in eine Datei: ssh tandem@HOST dokument N > brief.pdf",
};

/// English.
pub static EN: SshStrings = SshStrings {
    key_empty: "The key file is empty. Please give the file ending in .pub.",
    key_private: "This is a private key. Please give the public key only (the file ending in .pub); the private key stays with its owner.",
    key_several: "The file holds several keys. Please add each key on its own.",
    key_unknown_type: |t| {
        format!(
            "\"{t}\" is not an accepted key type. Accepted: ssh-ed25519, ecdsa-sha2-nistp256/384/521, FIDO2 keys (sk-…), ssh-rsa from 3072 bits."
        )
    },
    key_malformed: "This is not a valid OpenSSH public key (damaged key data).",
    key_rsa_short: |bits, min| {
        format!(
            "The RSA key has only {bits} bits; at least {min} bits are required (BSI TR-02102)."
        )
    },
    key_unreadable: |p| format!("The key file {p} cannot be read."),
    not_admin: "Only active administrators may manage keys.",
    other_agency: "Keys of the other agency's staff are managed by its administrators.",
    no_such_login: |l| format!("No staff member with the login \"{l}\"."),
    no_such_key: |f| format!("No active key with the fingerprint {f}."),
    duplicate_key: "This key is registered already; a key may belong to one person only.",
    key_added: |f, l| format!("Key {f} added for {l}. Now run \"tandem keys --out …\"."),
    key_removed: |f| format!("Key {f} removed. Now run \"tandem keys --out …\"."),
    login_skipped: |l| {
        format!(
            "The login \"{l}\" has characters that cannot stand in a key line; its keys were left out."
        )
    },
    unsafe_path: |p| {
        format!(
            "The path {p} has characters that cannot stand in a key line (allowed: letters, digits, / . _ - +)."
        )
    },
    no_program_path: "The path of this program is not known.",
    keys_written: |n, p| format!("{n} key lines written to {p}."),
    keys_not_written: |p| format!("The file {p} could not be written."),
    init_exists: |p| {
        format!("The file {p} exists already; tandem init only creates a new database.")
    },
    init_not_empty: "The database has staff already; tandem init only creates a new database.",
    init_bad_name: "Please give given name and surname with --name, for example --name \"Erika Muster\".",
    bad_login: |l| {
        format!(
            "The login \"{l}\" is not allowed: lower-case letters a–z, digits, dot, underscore and hyphen only, at most 32 characters, starting with a letter."
        )
    },
    init_done: |p, l, f| {
        format!("Database {p} created; administrator: {l} with key {f}. Next: tandem keys --out …")
    },
    list_head: "Login\tAgency\tFingerprint\tType\tComment\tAdded",
    oncall_head: "Deadline\tUrgency\tState\tChildren\tReported by\tPhone\tReachable until",
    no_document: |n| format!("No document {n} of yours."),
    document_gone: |n| format!("Document {n} is no longer in the export folder."),
    document_tty: "A PDF belongs in a file: ssh tandem@HOST dokument N > letter.pdf",
};
