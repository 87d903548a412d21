//! Encryption at rest, backup, restore, check and rekey (docs/architecture.md § 5.9,
//! § 5.13), through the built binary and the store.
//!
//! The backup-under-load test starts this test binary four times as savers with
//! `--exact crypt_saver`; `crypt_saver` does nothing unless `TANDEM_CRYPT_SAVER` names a
//! database. Saver protocol (one line each, written in one `write`): `READY`, then
//! `ACK <n>` after the commit of save `n` of its own case, `ERR <text>` on an error.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "tests"
)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tandem::domain::CaseId;
use tandem::model::list::{ListQuery, PageAnchor};
use tandem::storage::key::default_key_path;
use tandem::storage::{DbKey, OpenMode, StorageError, Store};

const SAVER_ENV: &str = "TANDEM_CRYPT_SAVER";
const SAVER_INDEX_ENV: &str = "TANDEM_CRYPT_SAVER_INDEX";
/// The marker written through Tandem and looked for in the raw bytes.
const MARKER: &str = "Quirrenbachmarker";

fn bin(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tandem"));
    cmd.env("TANDEM_DATA", dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env("TERM", "dumb")
        .env_remove("TANDEM_CONFIG")
        .stdin(Stdio::null());
    cmd
}

fn run(dir: &Path, args: &[&str], db: &Path) -> Output {
    bin(dir)
        .args(["--lang", "de"])
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// An encrypted database with the demo data and its key file `<db>.key` (mode 0600).
fn encrypted_demo(dir: &Path) -> (PathBuf, DbKey) {
    let db = dir.join("t.db");
    let key = DbKey::generate().unwrap();
    key.create_file(&default_key_path(&db)).unwrap();
    let store = Store::open_keyed(&db, OpenMode::CreateOrMigrate, Some(&key)).unwrap();
    let today = store.clock().today();
    tandem::demo::write(&store, &tandem::demo::demo_data(today)).unwrap();
    (db, key)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn companion(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// The raw bytes of the database, its -wal and -shm.
fn raw_files(db: &Path) -> Vec<(String, Vec<u8>)> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|s| {
            let p = companion(db, s);
            (
                p.display().to_string(),
                std::fs::read(&p).unwrap_or_default(),
            )
        })
        .collect()
}

/// The Jobcenter cases `brinkmann` owns (person data is written by the owner only).
fn own_cases(store: &Store) -> (tandem::domain::Staff, Vec<CaseId>) {
    let me = store.staff_by_login("brinkmann").unwrap().unwrap();
    let ids = store
        .case_page(&me, &ListQuery::default(), &PageAnchor::First, 100_000)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .filter(|id| {
            store
                .load_case(&me, *id)
                .is_ok_and(|c| c.owner == me.agency)
        })
        .collect();
    (me, ids)
}

/// Renames a young person whose name `brinkmann` writes to the marker, through the real
/// save path. Returns the case.
fn write_marker(store: &Store) -> CaseId {
    let (me, ids) = own_cases(store);
    for id in ids {
        let mut case = store.load_case(&me, id).unwrap();
        case.person.surname = MARKER.to_string();
        case.question = format!("Frage an {MARKER}");
        store.update_case(&me, &case).unwrap();
        if store.load_case(&me, id).unwrap().person.surname == MARKER {
            return id;
        }
    }
    panic!("no case whose name brinkmann writes");
}

fn surname(store: &Store, id: CaseId) -> String {
    let me = store.staff_by_login("brinkmann").unwrap().unwrap();
    store.load_case(&me, id).unwrap().person.surname
}

#[test]
fn a_marker_name_is_in_no_file_and_no_backup() {
    let dir = tempfile::tempdir().unwrap();
    // Negative control: the same save into a plaintext file is found in its bytes, while
    // the connection is open and nothing was checkpointed (so the WAL holds it).
    let plain = dir.path().join("plain.db");
    {
        let store = Store::open(&plain, OpenMode::CreateOrMigrate).unwrap();
        let today = store.clock().today();
        tandem::demo::write(&store, &tandem::demo::demo_data(today)).unwrap();
    }
    let store = Store::open(&plain, OpenMode::Existing).unwrap();
    write_marker(&store);
    let files = raw_files(&plain);
    assert!(
        !files[1].1.is_empty(),
        "the WAL is empty: the control looks at nothing"
    );
    assert!(
        contains(&files[1].1, MARKER.as_bytes()),
        "the plaintext WAL holds the marker"
    );
    drop(store);

    let (db, key) = encrypted_demo(dir.path());
    let store = Store::open_keyed(&db, OpenMode::Existing, Some(&key)).unwrap();
    assert!(store.is_encrypted());
    let marked = write_marker(&store);
    // Read while the connection is open: the save sits in the WAL.
    let files = raw_files(&db);
    assert!(files[1].1.len() > 4096, "the WAL holds the save");
    assert!(!files[2].1.is_empty(), "the -shm exists");
    for (name, bytes) in &files {
        assert!(
            !contains(bytes, MARKER.as_bytes()),
            "{name} holds the marker"
        );
        assert!(
            !contains(bytes, b"SQLite format 3"),
            "{name} has a plaintext header"
        );
    }
    // A backup taken by the binary while this connection is still open.
    let backup = dir.path().join("sicherung.db");
    let out = run(dir.path(), &["backup", backup.to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("Sicherung geschrieben: "));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    let copy = std::fs::read(&backup).unwrap();
    assert!(copy.len() > 100_000);
    assert!(
        !contains(&copy, MARKER.as_bytes()),
        "the backup holds the marker"
    );
    assert!(!companion(&backup, "-wal").exists());
    // The copy opens with the key and has the marker.
    let reopened = Store::open_keyed(&backup, OpenMode::ReadOnly, Some(&key)).unwrap();
    assert_eq!(surname(&reopened, marked), MARKER);
    // Without the key, the copy is not a database.
    assert!(matches!(
        Store::open(&backup, OpenMode::ReadOnly),
        Err(StorageError::NotADatabase)
    ));
}

/// Every fixed setting holds on an encrypted file (docs/architecture.md § 5.1).
#[test]
fn the_storage_rules_hold_on_the_encrypted_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let key = DbKey::generate().unwrap();
    let store = Store::open_keyed(&db, OpenMode::CreateOrMigrate, Some(&key)).unwrap();
    for (pragma, expected) in [
        ("journal_mode", "wal"),
        ("synchronous", "2"),
        ("busy_timeout", "5000"),
        ("foreign_keys", "1"),
        ("trusted_schema", "0"),
        ("secure_delete", "1"),
        ("journal_size_limit", "67108864"),
        // Temporary storage in memory (2): nothing in an unencrypted temporary file.
        ("temp_store", "2"),
        ("cipher_log_level", "NONE"),
        (
            "application_id",
            &tandem::storage::APPLICATION_ID.to_string(),
        ),
    ] {
        assert_eq!(store.pragma_text(pragma).unwrap(), expected, "{pragma}");
    }
    assert!(!store.pragma_text("cipher_version").unwrap().is_empty());
    let report = store.check().unwrap();
    assert_eq!(report.integrity, "ok");
    assert_eq!(report.cipher, Some(Vec::new()));
    // The timing the first frame depends on: a keyed open of an existing file (raw key,
    // no key derivation).
    drop(store);
    let started = Instant::now();
    let rounds = 20;
    for _ in 0..rounds {
        drop(Store::open_keyed(&db, OpenMode::Existing, Some(&key)).unwrap());
    }
    let per_open = started.elapsed() / rounds;
    println!("keyed open: {per_open:?}");
    assert!(per_open < Duration::from_millis(100), "{per_open:?}");
}

fn snapshot(p: &Path) -> (Vec<u8>, std::time::SystemTime) {
    let m = std::fs::metadata(p).unwrap();
    (std::fs::read(p).unwrap(), m.modified().unwrap())
}

/// One German line on stderr, nothing on stdout, exit 1.
fn assert_one_line(out: &Output, expected: &str) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    assert_eq!(err.lines().count(), 1, "one line only: {err:?}");
    assert!(err.contains(expected), "{err}");
    assert!(!err.contains("ERROR") && !err.contains("hmac"), "{err}");
}

#[test]
fn a_wrong_or_missing_or_open_key_file_gives_one_german_line() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let (db, key) = encrypted_demo(dir.path());
    let key_file = default_key_path(&db);
    let before = snapshot(&db);
    std::thread::sleep(Duration::from_millis(20));
    // A wrong key: the admin verbs and the interactive program alike.
    std::fs::remove_file(&key_file).unwrap();
    DbKey::generate().unwrap().create_file(&key_file).unwrap();
    for args in [
        &["staff", "list"][..],
        &["--user", "brinkmann"][..],
        &["check"][..],
        &["audit", "verify"][..],
    ] {
        let out = run(dir.path(), args, &db);
        assert_one_line(&out, "Der Schlüssel passt nicht zur Datenbank");
        assert_eq!(snapshot(&db), before, "{args:?} changed the file");
    }
    assert!(!companion(&db, "-wal").exists());
    // No key file at all.
    std::fs::remove_file(&key_file).unwrap();
    let out = run(dir.path(), &["--user", "brinkmann"], &db);
    assert_one_line(&out, "die Schlüsseldatei");
    assert!(text(&out.stderr).contains("t.db.key fehlt"));
    assert_eq!(snapshot(&db), before);
    // Named in the configuration and missing: the key file alone is named.
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "key-file = \"/nirgends/t.db.key\"\n").unwrap();
    let out = run(
        dir.path(),
        &["--config", config.to_str().unwrap(), "check"],
        &db,
    );
    assert_one_line(&out, "Die Schlüsseldatei /nirgends/t.db.key fehlt");
    // The right key, readable by others.
    key.create_file(&key_file).unwrap();
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run(dir.path(), &["staff", "list"], &db);
    assert_one_line(&out, "ist für andere zugänglich (Modus 0644)");
    assert_eq!(snapshot(&db), before);
    // Set right, it opens.
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = run(dir.path(), &["staff", "list"], &db);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // The key never appears in any output or the log.
    let hex = std::fs::read_to_string(&key_file).unwrap();
    let log = std::fs::read_dir(dir.path().join("log"))
        .map(|d| {
            d.flatten()
                .map(|e| std::fs::read(e.path()).unwrap_or_default())
                .collect::<Vec<_>>()
                .concat()
        })
        .unwrap_or_default();
    assert!(!contains(&log, hex.trim().as_bytes()));
    assert!(!contains(&out.stdout, hex.trim().as_bytes()));
}

#[test]
fn the_demo_encrypts_its_database_with_its_own_key_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    // Without a terminal the demo exits with 2 after creating the database.
    let out = bin(dir.path())
        .args(["--lang", "de", "demo", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let key_file = default_key_path(&db);
    let mode = std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let bytes = std::fs::read(&db).unwrap();
    assert!(!contains(&bytes, b"SQLite format 3"));
    assert!(!contains(&bytes, b"brinkmann"));
    let out = run(dir.path(), &["check"], &db);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let lines: Vec<String> = text(&out.stdout).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0], "Integritätsprüfung: in Ordnung");
    assert_eq!(lines[1], "Verschlüsselung: alle Seiten unversehrt (HMAC)");
    assert!(lines[2].starts_with("Prüfkette: in Ordnung ("), "{lines:?}");
}

#[test]
fn check_fails_on_a_damaged_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _key) = encrypted_demo(dir.path());
    let copy = dir.path().join("kaputt.db");
    let out = run(dir.path(), &["backup", copy.to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    std::fs::copy(default_key_path(&db), default_key_path(&copy)).unwrap();
    let out = run(dir.path(), &["check"], &copy);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Damage a page in the middle (not the first, which holds the salt).
    let mut bytes = std::fs::read(&copy).unwrap();
    let page = 4096;
    let at = (bytes.len() / page / 2) * page + 100;
    for b in &mut bytes[at..at + 16] {
        *b ^= 0x5a;
    }
    std::fs::write(&copy, &bytes).unwrap();
    let out = run(dir.path(), &["check"], &copy);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("Verschlüsselung: FEHLER"),
        "stdout {} stderr {err}",
        text(&out.stdout)
    );
    assert!(!err.contains("hmac check failed"), "{err}");
}

#[test]
fn restore_refuses_a_database_in_use_and_restores_when_free() {
    let dir = tempfile::tempdir().unwrap();
    let (db, key) = encrypted_demo(dir.path());
    let backup = dir.path().join("b.db");
    let out = run(dir.path(), &["backup", backup.to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // A change after the backup, which the restore takes back.
    let store = Store::open_keyed(&db, OpenMode::Existing, Some(&key)).unwrap();
    let marked = write_marker(&store);
    // A connection is open (an idle session, a script): refused, nothing changed.
    let out = run(dir.path(), &["restore", backup.to_str().unwrap()], &db);
    assert_one_line(&out, "ist in Benutzung");
    assert_eq!(surname(&store, marked), MARKER);
    let me = store.staff_by_login("brinkmann").unwrap().unwrap();
    // A running session recorded in the database: refused as well.
    let session = store.begin_session(me.id).unwrap();
    drop(store);
    let out = run(dir.path(), &["restore", backup.to_str().unwrap()], &db);
    assert_one_line(&out, "ist in Benutzung");
    let store = Store::open_keyed(&db, OpenMode::Existing, Some(&key)).unwrap();
    store.end_session(&session).unwrap();
    drop(store);
    // Free: restored, and the change after the backup is gone.
    let out = run(dir.path(), &["restore", backup.to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let store = Store::open_keyed(&db, OpenMode::Existing, Some(&key)).unwrap();
    assert_ne!(surname(&store, marked), MARKER);
    assert!(store.verify_audit().unwrap().is_ok());
    drop(store);
    // A backup that fails its checks is refused before the database is touched.
    let mut bytes = std::fs::read(&backup).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0xff;
    std::fs::write(&backup, &bytes).unwrap();
    let before = snapshot(&db);
    let out = run(dir.path(), &["restore", backup.to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("hat die Prüfung nicht bestanden"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(snapshot(&db).0, before.0);
}

#[test]
fn rekey_replaces_the_key_and_the_old_one_no_longer_opens() {
    let dir = tempfile::tempdir().unwrap();
    let (db, old) = encrypted_demo(dir.path());
    let key_file = default_key_path(&db);
    // Refused while a connection is open.
    let store = Store::open_keyed(&db, OpenMode::Existing, Some(&old)).unwrap();
    let out = run(dir.path(), &["rekey"], &db);
    assert_one_line(&out, "ist in Benutzung");
    assert_eq!(DbKey::load(&key_file).unwrap(), old);
    drop(store);
    let out = run(dir.path(), &["rekey"], &db);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    let new = DbKey::load(&key_file).unwrap();
    assert_ne!(new, old);
    assert!(!tandem::storage::key::pending_path(&key_file).exists());
    let store = Store::open_keyed(&db, OpenMode::Existing, Some(&new)).unwrap();
    assert!(store.verify_audit().unwrap().is_ok());
    drop(store);
    assert!(matches!(
        Store::open_keyed(&db, OpenMode::Existing, Some(&old)),
        Err(StorageError::WrongKey)
    ));
    let out = run(dir.path(), &["check"], &db);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

fn emit(line: &str) {
    let mut out = std::io::stdout().lock();
    out.write_all(format!("{line}\n").as_bytes()).unwrap();
    out.flush().unwrap();
}

/// A saver: saves its own case in a loop through the real save path (keyed by the key file
/// beside the database) for at most 6 s or 3000 saves.
#[test]
fn crypt_saver() {
    let Some(path) = std::env::var_os(SAVER_ENV) else {
        return;
    };
    let index: usize = std::env::var(SAVER_INDEX_ENV).unwrap().parse().unwrap();
    emit("");
    let path = PathBuf::from(path);
    let key = DbKey::load(&default_key_path(&path)).unwrap();
    let store = Store::open_keyed(&path, OpenMode::Existing, Some(&key)).unwrap();
    let (me, ids) = own_cases(&store);
    let id = ids[index];
    emit("READY");
    let deadline = Instant::now() + Duration::from_secs(6);
    for n in 1..=3000 {
        if Instant::now() > deadline {
            break;
        }
        let saved = store.load_case(&me, id).and_then(|mut case| {
            case.question = format!("saver-{index}-{n}");
            store.update_case(&me, &case)
        });
        if let Err(e) = saved {
            emit(&format!("ERR {e}"));
            return;
        }
        emit(&format!("ACK {n}"));
    }
    emit("DONE");
}

#[test]
fn a_backup_while_four_processes_save_restores_every_acknowledged_save() {
    const SAVERS: usize = 4;
    let dir = tempfile::tempdir().unwrap();
    let (db, key) = encrypted_demo(dir.path());
    let acked: Arc<Mutex<Vec<u64>>> = Arc::new(Mutex::new(vec![0; SAVERS]));
    let mut children = Vec::new();
    let mut readers = Vec::new();
    for i in 0..SAVERS {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "crypt_saver", "--nocapture", "--test-threads=1"])
            .env(SAVER_ENV, &db)
            .env(SAVER_INDEX_ENV, i.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let acked = Arc::clone(&acked);
        readers.push(std::thread::spawn(move || {
            let mut errors = Vec::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("ACK ") {
                    acked.lock().unwrap()[i] = n.parse().unwrap();
                } else if line.starts_with("ERR") {
                    errors.push(line);
                }
            }
            errors
        }));
        children.push(child);
    }
    // Wait until every saver has committed a few saves.
    let deadline = Instant::now() + Duration::from_secs(20);
    while acked.lock().unwrap().iter().any(|&n| n < 5) {
        assert!(Instant::now() < deadline, "savers did not start: {acked:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
    let before: Vec<u64> = acked.lock().unwrap().clone();
    let backup = dir.path().join("unter-last.db");
    let started = Instant::now();
    let out = run(dir.path(), &["backup", backup.to_str().unwrap()], &db);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let during: Vec<u64> = acked.lock().unwrap().clone();
    println!("backup under load: {took:?}; saves acknowledged before {before:?}, after {during:?}");
    assert!(
        during.iter().zip(&before).any(|(a, b)| a > b),
        "the savers kept saving during the backup"
    );
    for mut child in children {
        let _ = child.kill();
        let _ = child.wait();
    }
    for r in readers {
        let errors = r.join().unwrap();
        assert!(errors.is_empty(), "{errors:?}");
    }
    // Restore the copy over the database (the savers are gone) and look.
    let out = run(dir.path(), &["restore", backup.to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(dir.path(), &["check"], &db);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let store = Store::open_keyed(&db, OpenMode::Existing, Some(&key)).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert!(store.verify_audit().unwrap().is_ok());
    let (me, ids) = own_cases(&store);
    for (i, &n_before) in before.iter().enumerate() {
        let question = store.load_case(&me, ids[i]).unwrap().question;
        let n: u64 = question
            .strip_prefix(&format!("saver-{i}-"))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        assert!(
            n >= n_before,
            "saver {i}: save {n_before} was acknowledged before the backup, the copy has {n}"
        );
    }
}
