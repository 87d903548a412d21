//! Operating the database: how the command line finds the key of the encrypted database,
//! and the verbs `backup`, `restore`, `check` and `rekey` (docs/architecture.md § 5.13).
//!
//! The key comes from a key file only: `key-file` in the configuration, else `<db>.key`
//! beside the database. Never from argv or the environment, and it never reaches a log or a
//! message. A new database (`demo`, `migrate`, `seed`) gets a new key file when there is
//! none; an existing database without a key file is opened as a plaintext file (from
//! before encryption, or a test's), and one that then turns out to be encrypted is refused
//! as damaged or encrypted without its key file.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use super::{EXIT_FAILURE, db_message, err, fail, out};
use crate::config::Config;
use crate::domain::text::sanitize;
use crate::storage::key::default_key_path;
use crate::storage::{DbKey, KeyFileError, OpenMode, StorageError, Store};
use crate::strings::{Lang, Strings};

/// Whether `s` is the English table (the messages of this file carry both languages).
fn english(s: &Strings) -> bool {
    std::ptr::eq(s, Strings::get(Lang::En))
}

/// The key file of the database `db`: `key-file` of the configuration, else `<db>.key`.
pub(super) fn key_file(config: &Config, db: &Path) -> PathBuf {
    config
        .key_file
        .clone()
        .unwrap_or_else(|| default_key_path(db))
}

/// Whether `db` is a database still to be created (missing, or an empty file).
fn is_new(db: &Path) -> bool {
    std::fs::metadata(db).map_or(true, |m| m.is_file() && m.len() == 0)
}

/// The key of database `db` from `file`. Missing: `create` and a new database make a new
/// key file (mode 0600); a key file named in the configuration (`explicit`) is an error;
/// otherwise the database is taken as plaintext (`None`).
pub(super) fn resolve_key(
    file: &Path,
    db: &Path,
    create: bool,
    explicit: bool,
) -> Result<Option<DbKey>, StorageError> {
    let problem = |problem| StorageError::KeyFile {
        problem,
        file: file.to_path_buf(),
    };
    match DbKey::load(file) {
        Ok(key) => Ok(Some(key)),
        Err(KeyFileError::Missing) if create && is_new(db) => {
            let key = DbKey::generate().map_err(problem)?;
            key.create_file(file).map_err(problem)?;
            tracing::info!("new key file created");
            Ok(Some(key))
        }
        Err(KeyFileError::Missing) if !explicit => Ok(None),
        Err(e) => Err(problem(e)),
    }
}

/// Opens `db` with `key`; without a key, a file that is no plaintext database is reported
/// as damaged or encrypted without its key file: the two cannot be told apart.
pub(super) fn open_with(
    db: &Path,
    mode: OpenMode,
    key: Option<&DbKey>,
    file: &Path,
) -> Result<Store, StorageError> {
    Store::open_keyed(db, mode, key).map_err(|e| match e {
        StorageError::NotADatabase if key.is_none() => StorageError::NoKey(file.to_path_buf()),
        e => e,
    })
}

/// Resolves the key of `db` by the configuration and opens it (`CreateOrMigrate` makes a
/// key file for a new database).
pub(super) fn open_db(config: &Config, db: &Path, mode: OpenMode) -> Result<Store, StorageError> {
    let file = key_file(config, db);
    let create = mode == OpenMode::CreateOrMigrate;
    let key = resolve_key(&file, db, create, config.key_file.is_some())?;
    let store = open_with(db, mode, key.as_ref(), &file)?;
    apply_policies(&store, config)?;
    Ok(store)
}

/// Hands the configuration's data-protection settings to the store's connection: the
/// retention periods per Stelle (docs/retention.md, "Configuration") and the Stellen whose
/// access-request exports need four eyes (docs/subject-access.md § 7). Every connection
/// that acts for a person gets them, the interactive one included.
pub(super) fn apply_policies(store: &Store, config: &Config) -> Result<(), StorageError> {
    let overrides: Vec<_> = config
        .retention
        .iter()
        .filter_map(|(stelle, class, months)| {
            Some((
                crate::domain::Agency::from_code(stelle)?,
                crate::storage::retention::RetentionClass::from_code(class)?,
                *months,
            ))
        })
        .collect();
    store.set_retention_overrides(&overrides)?;
    store.set_plenary_date_by(config.plenary_date_by)?;
    store.set_export_four_eyes(&config.subject_export_four_eyes)
}

/// The one line for the key and lock errors of this file; `None` for the others.
pub(super) fn message(s: &Strings, db: &str, e: &StorageError) -> Option<String> {
    let en = english(s);
    Some(match e {
        StorageError::KeyFile { problem, file } => {
            let k = sanitize(&file.display().to_string(), false);
            match (problem, en) {
                (KeyFileError::Missing, false) => format!(
                    "Die Schlüsseldatei {k} fehlt; ohne sie lässt sich die Datenbank {db} nicht öffnen. Sie wurde nicht verändert."
                ),
                (KeyFileError::Missing, true) => format!(
                    "The key file {k} is missing; the database {db} cannot be opened without it. It was not changed."
                ),
                (KeyFileError::Unreadable, false) => {
                    format!("Die Schlüsseldatei {k} lässt sich nicht lesen (fehlende Rechte?).")
                }
                (KeyFileError::Unreadable, true) => {
                    format!("The key file {k} cannot be read (permissions?).")
                }
                (KeyFileError::TooOpen(mode), false) => format!(
                    "Die Schlüsseldatei {k} ist für andere zugänglich (Modus {mode:04o}); erlaubt sind nur 0600 oder 0400 (chmod 600 {k})."
                ),
                (KeyFileError::TooOpen(mode), true) => format!(
                    "The key file {k} is accessible to others (mode {mode:04o}); only 0600 or 0400 are allowed (chmod 600 {k})."
                ),
                (KeyFileError::Malformed, false) => format!(
                    "Die Schlüsseldatei {k} enthält keinen gültigen Schlüssel (erwartet: 64 Hexadezimalziffern)."
                ),
                (KeyFileError::Malformed, true) => format!(
                    "The key file {k} holds no valid key (expected: 64 hexadecimal digits)."
                ),
                (KeyFileError::NotWritten, false) => format!(
                    "Die Schlüsseldatei {k} konnte nicht geschrieben werden (gibt es sie schon, oder fehlen Rechte?)."
                ),
                (KeyFileError::NotWritten, true) => format!(
                    "The key file {k} could not be written (does it exist already, or are permissions missing?)."
                ),
            }
        }
        StorageError::NoKey(file) if en => format!(
            "The file {db} is no database, is damaged, or is encrypted and its key file {} is missing. It was not changed.",
            sanitize(&file.display().to_string(), false)
        ),
        StorageError::NoKey(file) => format!(
            "Die Datei {db} ist keine Datenbank, ist beschädigt, oder sie ist verschlüsselt und die Schlüsseldatei {} fehlt. Sie wurde nicht verändert.",
            sanitize(&file.display().to_string(), false)
        ),
        StorageError::WrongKey if en => format!(
            "The key does not open the database {db} (wrong key, or the file is damaged). It was not changed."
        ),
        StorageError::WrongKey => format!(
            "Der Schlüssel passt nicht zur Datenbank {db} (falscher Schlüssel oder beschädigte Datei). Sie wurde nicht verändert."
        ),
        StorageError::InUse if en => format!(
            "The database {db} is in use (running sessions or other programs); end them first."
        ),
        StorageError::InUse => format!(
            "Die Datenbank {db} ist in Benutzung (laufende Sitzungen oder andere Programme); bitte zuerst beenden."
        ),
        _ => return None,
    })
}

fn shown(p: &Path) -> String {
    sanitize(&p.display().to_string(), false)
}

/// Shows the progress of a long run on the terminal (stderr), never into a pipe or log.
struct Progress {
    started: Instant,
    terminal: bool,
    shown: bool,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            shown: false,
        }
    }

    #[expect(clippy::print_stderr, reason = "progress on the terminal only")]
    fn update(&mut self, done: u64, total: u64) {
        if !self.terminal || total == 0 || self.started.elapsed().as_secs() < 1 {
            return;
        }
        eprint!("\r{:3} %", done.saturating_mul(100) / total);
        self.shown = true;
    }

    #[expect(clippy::print_stderr, reason = "ends the progress line")]
    fn finish(&self) {
        if self.shown {
            eprintln!();
        }
    }
}

/// `tandem backup PATH`: a consistent copy through the online backup API, encrypted with
/// the database's key, written atomically; the audit head of the copy on stdout.
pub(super) fn backup(config: &Config, db: &Path, target: &Path, s: &Strings) -> ExitCode {
    let en = english(s);
    let file = key_file(config, db);
    let key = match resolve_key(&file, db, false, config.key_file.is_some()) {
        Ok(k) => k,
        Err(e) => return fail(&db_message(s, db, &e), EXIT_FAILURE),
    };
    if std::fs::symlink_metadata(target).is_ok() {
        let t = shown(target);
        return fail(
            &if en {
                format!("The file {t} exists already; a backup is always written to a new file.")
            } else {
                format!(
                    "Die Datei {t} gibt es bereits; eine Sicherung wird immer in eine neue Datei geschrieben."
                )
            },
            EXIT_FAILURE,
        );
    }
    let store = match open_with(db, OpenMode::Existing, key.as_ref(), &file) {
        Ok(s) => s,
        Err(e) => return fail(&db_message(s, db, &e), EXIT_FAILURE),
    };
    let started = Instant::now();
    let mut progress = Progress::new();
    let written = store.backup_to(target, key.as_ref(), &mut |done, total| {
        progress.update(done, total);
    });
    progress.finish();
    drop(store);
    if let Err(e) = written {
        tracing::error!(error = %e, "backup not written");
        let t = shown(target);
        return fail(
            &if en {
                format!("The backup {t} could not be written. Details are in the log.")
            } else {
                format!(
                    "Die Sicherung {t} konnte nicht geschrieben werden. Details stehen im Protokoll."
                )
            },
            EXIT_FAILURE,
        );
    }
    let secs = started.elapsed().as_secs_f64();
    // The head of the copy's audit chain: kept outside the database, it catches a cut-off
    // end later (`tandem audit verify --anchor`).
    let head = Store::open_keyed(target, OpenMode::ReadOnly, key.as_ref())
        .and_then(|copy| copy.audit_head())
        .ok()
        .flatten();
    let anchor = head.map_or_else(|| "–".to_string(), |(seq, hash)| format!("{seq}:{hash}"));
    tracing::info!(anchor = %anchor, secs, "backup written");
    let t = shown(target);
    out(&if en {
        format!("Backup written: {t} ({secs:.1} s); audit head {anchor}")
    } else {
        format!("Sicherung geschrieben: {t} ({secs:.1} s); Prüfkettenkopf {anchor}")
    });
    ExitCode::SUCCESS
}

/// The checks of `tandem check` on `store`: one line each, and whether all passed.
fn check_lines(store: &Store, en: bool) -> (Vec<(bool, String)>, bool) {
    let mut lines = Vec::new();
    let report = store.check();
    let integrity = match &report {
        Ok(r) if r.integrity == "ok" => (
            true,
            if en {
                "Integrity check: ok".to_string()
            } else {
                "Integritätsprüfung: in Ordnung".to_string()
            },
        ),
        Ok(r) => (
            false,
            if en {
                format!(
                    "Integrity check: FAILED – {}",
                    sanitize(&r.integrity, false)
                )
            } else {
                format!(
                    "Integritätsprüfung: FEHLER – {}",
                    sanitize(&r.integrity, false)
                )
            },
        ),
        Err(e) => {
            tracing::warn!(error = %e, "integrity check failed");
            (
                false,
                if en {
                    "Integrity check: FAILED – the file cannot be read".to_string()
                } else {
                    "Integritätsprüfung: FEHLER – die Datei lässt sich nicht lesen".to_string()
                },
            )
        }
    };
    lines.push(integrity);
    let cipher = match report.as_ref().map(|r| r.cipher.as_ref()) {
        Ok(Some(problems)) if problems.is_empty() => (
            true,
            if en {
                "Encryption: every page intact (HMAC)".to_string()
            } else {
                "Verschlüsselung: alle Seiten unversehrt (HMAC)".to_string()
            },
        ),
        Ok(Some(problems)) => (
            false,
            if en {
                format!("Encryption: FAILED – {} damaged pages", problems.len())
            } else {
                format!(
                    "Verschlüsselung: FEHLER – {} beschädigte Seiten",
                    problems.len()
                )
            },
        ),
        Ok(None) => (
            false,
            if en {
                "Encryption: FAILED – the database is not encrypted".to_string()
            } else {
                "Verschlüsselung: FEHLER – die Datenbank ist nicht verschlüsselt".to_string()
            },
        ),
        Err(_) => (
            false,
            if en {
                "Encryption: FAILED – not checked".to_string()
            } else {
                "Verschlüsselung: FEHLER – nicht geprüft".to_string()
            },
        ),
    };
    lines.push(cipher);
    let audit = match store.verify_audit() {
        Ok(r) if r.is_ok() => (
            true,
            if en {
                format!("Audit chain: ok ({} entries)", r.rows)
            } else {
                format!("Prüfkette: in Ordnung ({} Einträge)", r.rows)
            },
        ),
        Ok(r) => (
            false,
            match (r.first_bad, en) {
                (Some(bad), true) => format!("Audit chain: FAILED from entry {}", bad.seq),
                (Some(bad), false) => format!("Prüfkette: FEHLER ab Eintrag {}", bad.seq),
                (None, true) => format!(
                    "Audit chain: FAILED – {} findings (tandem audit verify)",
                    r.findings.len()
                ),
                (None, false) => format!(
                    "Prüfkette: FEHLER – {} Befunde (tandem audit verify)",
                    r.findings.len()
                ),
            },
        ),
        Err(e) => {
            tracing::warn!(error = %e, "audit verification failed");
            (
                false,
                if en {
                    "Audit chain: FAILED – not readable".to_string()
                } else {
                    "Prüfkette: FEHLER – nicht lesbar".to_string()
                },
            )
        }
    };
    lines.push(audit);
    let all = lines.iter().all(|(ok, _)| *ok);
    (lines, all)
}

/// `tandem check`: integrity check, SQLCipher's HMAC check of every page, and the audit
/// chain; one line each (problems on stderr), exit 1 if any fails.
pub(super) fn check(config: &Config, db: &Path, s: &Strings) -> ExitCode {
    let store = match open_db(config, db, OpenMode::Existing) {
        Ok(s) => s,
        Err(e) => return fail(&db_message(s, db, &e), EXIT_FAILURE),
    };
    let (lines, all) = check_lines(&store, english(s));
    for (ok, line) in lines {
        if ok {
            out(&line);
        } else {
            err(&line);
        }
    }
    if all {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILURE)
    }
}

/// `tandem restore PATH`: checks the copy (opens with the key, integrity, HMAC of every
/// page, audit chain), refuses a database in use (running sessions, or any other open
/// connection: the exclusive lock), then copies it over the database with the backup API.
pub(super) fn restore(config: &Config, db: &Path, source: &Path, s: &Strings) -> ExitCode {
    let en = english(s);
    let file = key_file(config, db);
    let key = match resolve_key(&file, db, false, config.key_file.is_some()) {
        Ok(k) => k,
        Err(e) => return fail(&db_message(s, db, &e), EXIT_FAILURE),
    };
    let copy = match open_with(source, OpenMode::ReadOnly, key.as_ref(), &file) {
        Ok(c) => c,
        Err(e) => return fail(&db_message(s, source, &e), EXIT_FAILURE),
    };
    let (mut lines, _) = check_lines(&copy, en);
    if key.is_none() {
        // A plaintext installation restores a plaintext copy: no cipher check to pass.
        lines.remove(1);
    }
    if !lines.iter().all(|(ok, _)| *ok) {
        for (_, line) in lines.iter().filter(|(ok, _)| !ok) {
            err(line);
        }
        let c = shown(source);
        return fail(
            &if en {
                format!("The backup {c} failed its checks; nothing was restored.")
            } else {
                format!(
                    "Die Sicherung {c} hat die Prüfung nicht bestanden; es wurde nichts wiederhergestellt."
                )
            },
            EXIT_FAILURE,
        );
    }
    let mode = if db.exists() {
        OpenMode::Existing
    } else {
        OpenMode::CreateOrMigrate
    };
    let mut live = match open_with(db, mode, key.as_ref(), &file) {
        Ok(l) => l,
        Err(e) => return fail(&db_message(s, db, &e), EXIT_FAILURE),
    };
    let claimed = match live.running_sessions() {
        Ok(0) => live.claim_exclusive(),
        Ok(_) => Err(StorageError::InUse),
        Err(e) => Err(e),
    };
    if let Err(e) = claimed.and_then(|()| live.restore_from(&copy)) {
        return fail(&db_message(s, db, &e), EXIT_FAILURE);
    }
    drop(live);
    drop(copy);
    let (d, c) = (shown(db), shown(source));
    tracing::info!("database restored from a backup");
    out(&if en {
        format!("Restored {d} from {c}.")
    } else {
        format!("Die Datenbank {d} ist aus {c} wiederhergestellt.")
    });
    ExitCode::SUCCESS
}

/// `tandem rekey`: a new random key. It is written to `<key file>.new` first, the database
/// is re-encrypted (`PRAGMA rekey`) while this process holds it exclusively, and only when
/// the file opens with the new key is the new key file renamed over the old one.
pub(super) fn rekey(config: &Config, db: &Path, s: &Strings) -> ExitCode {
    let en = english(s);
    let file = key_file(config, db);
    let old = match resolve_key(&file, db, false, config.key_file.is_some()) {
        Ok(Some(k)) => k,
        Ok(None) => {
            let e = StorageError::KeyFile {
                problem: KeyFileError::Missing,
                file: file.clone(),
            };
            return fail(&db_message(s, db, &e), EXIT_FAILURE);
        }
        Err(e) => return fail(&db_message(s, db, &e), EXIT_FAILURE),
    };
    let mut store = match open_with(db, OpenMode::Existing, Some(&old), &file) {
        Ok(s) => s,
        Err(e) => return fail(&db_message(s, db, &e), EXIT_FAILURE),
    };
    let claimed = match store.running_sessions() {
        Ok(0) => store.claim_exclusive(),
        Ok(_) => Err(StorageError::InUse),
        Err(e) => Err(e),
    };
    if let Err(e) = claimed {
        return fail(&db_message(s, db, &e), EXIT_FAILURE);
    }
    let new = match DbKey::generate() {
        Ok(k) => k,
        Err(problem) => {
            let e = StorageError::KeyFile { problem, file };
            return fail(&db_message(s, db, &e), EXIT_FAILURE);
        }
    };
    if let Err(problem) = new.write_pending(&file) {
        let e = StorageError::KeyFile {
            problem,
            file: crate::storage::key::pending_path(&file),
        };
        return fail(&db_message(s, db, &e), EXIT_FAILURE);
    }
    let rekeyed = store.rekey(&new);
    drop(store);
    let verified = rekeyed.and_then(|()| {
        Store::open_keyed(db, OpenMode::Existing, Some(&new))
            .and_then(|check| check.integrity_check())
    });
    match verified {
        Ok(ref r) if r == "ok" => {}
        other => {
            tracing::error!(result = ?other.map_err(|e| e.to_string()), "rekey not verified");
            let pending = crate::storage::key::pending_path(&file);
            let old_works = Store::open_keyed(db, OpenMode::Existing, Some(&old)).is_ok();
            let d = shown(db);
            let line = match (old_works, en) {
                (true, false) => {
                    let _ = std::fs::remove_file(&pending);
                    format!(
                        "Das Umschlüsseln der Datenbank {d} ist fehlgeschlagen; der bisherige Schlüssel gilt weiter."
                    )
                }
                (true, true) => {
                    let _ = std::fs::remove_file(&pending);
                    format!("Re-keying the database {d} failed; the previous key still applies.")
                }
                (false, false) => format!(
                    "Das Umschlüsseln der Datenbank {d} ist nicht bestätigt; der neue Schlüssel liegt in {}. Details stehen im Protokoll.",
                    shown(&pending)
                ),
                (false, true) => format!(
                    "Re-keying the database {d} is not confirmed; the new key is in {}. Details are in the log.",
                    shown(&pending)
                ),
            };
            return fail(&line, EXIT_FAILURE);
        }
    }
    if let Err(problem) = DbKey::install(&file) {
        let pending = crate::storage::key::pending_path(&file);
        let e = StorageError::KeyFile {
            problem,
            file: pending,
        };
        return fail(&db_message(s, db, &e), EXIT_FAILURE);
    }
    tracing::info!("database re-keyed");
    let (d, k) = (shown(db), shown(&file));
    out(&if en {
        format!(
            "The database {d} is re-encrypted; the new key is in {k}. Older backups need the old key."
        )
    } else {
        format!(
            "Die Datenbank {d} ist neu verschlüsselt; der neue Schlüssel steht in {k}. Ältere Sicherungen brauchen den alten Schlüssel."
        )
    });
    ExitCode::SUCCESS
}
