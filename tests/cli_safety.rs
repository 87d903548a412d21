//! The admin command line with hostile or careless input (issue 22, defect 10): `export ics
//! --out` never replaces an existing file without `--force` and never the database or its
//! companions; `staff list` prints no control characters; configuration errors name the
//! file, line and column but never echo the file; `seed` refuses an existing file without
//! touching it.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tandem::domain::{Agency, Role};
use tandem::storage::staff::NewStaff;
use tandem::storage::{OpenMode, Store};

/// The binary with its data folder and configuration lookup inside `dir`.
fn bin(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tandem"));
    cmd.env("TANDEM_DATA", dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env_remove("TANDEM_CONFIG");
    cmd
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A database file in `dir` with one active caseworker, `brinkmann`, closed again.
fn small_db(dir: &Path) -> PathBuf {
    let path = dir.join("tandem.db");
    let store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
    store
        .insert_staff(&[NewStaff {
            login: "brinkmann".into(),
            surname: "Brinkmann".into(),
            given_name: "Sabine".into(),
            agency: Agency::Jobcenter,
            roles: vec![Role::JcU25],
            phone: String::new(),
            email: String::new(),
        }])
        .unwrap();
    path
}

/// `tandem export ics` for the caseworker into `out`, with `extra` arguments.
fn export(dir: &Path, db: &Path, out: &Path, extra: &[&str]) -> Output {
    bin(dir)
        .args(["--lang", "de", "export", "ics", "--db"])
        .arg(db)
        .args(["--user", "brinkmann", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

/// The bytes and modification time of a file.
fn snapshot(path: &Path) -> (Vec<u8>, std::time::SystemTime) {
    (
        std::fs::read(path).unwrap(),
        std::fs::metadata(path).unwrap().modified().unwrap(),
    )
}

#[test]
fn export_keeps_an_existing_file_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_db(dir.path());
    let file = dir.path().join("termine.ics");
    std::fs::write(&file, "meine Notizen\n").unwrap();

    let out = export(dir.path(), &db, &file, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let msg = stderr(&out);
    assert_eq!(msg.lines().count(), 1, "one line: {msg}");
    assert!(
        msg.contains("gibt es bereits") && msg.contains("--force"),
        "{msg}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "meine Notizen\n");
    assert!(out.stdout.is_empty());

    // A symbolic link in the way counts as an existing file too.
    let link = dir.path().join("link.ics");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    let out = export(dir.path(), &db, &link, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "meine Notizen\n");

    // With --force it is replaced; a new file needs no --force.
    let out = export(dir.path(), &db, &file, &["--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("BEGIN:VCALENDAR\r\n")
    );
    let fresh = dir.path().join("neu.ics");
    let out = export(dir.path(), &db, &fresh, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(fresh.is_file());
}

#[test]
fn export_never_writes_the_database_or_its_companions_not_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let db = small_db(dir.path());
    let before = snapshot(&db);
    // Other spellings of the same file: a detour, a link to it, a linked folder, a hard link.
    let link = dir.path().join("verweis.db");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    let folder_link = dir.path().join("ordner");
    std::os::unix::fs::symlink(dir.path(), &folder_link).unwrap();
    let hard = sub.join("hart.db");
    std::fs::hard_link(&db, &hard).unwrap();
    let spellings: Vec<PathBuf> = vec![
        db.clone(),
        dir.path().join("sub/../tandem.db"),
        dir.path().join("./tandem.db"),
        link,
        folder_link.join("tandem.db"),
        hard,
        // The companions, whether they exist at the moment or not.
        dir.path().join("tandem.db-wal"),
        dir.path().join("tandem.db-shm"),
        dir.path().join("sub/../tandem.db-wal"),
        folder_link.join("tandem.db-shm"),
    ];
    for target in &spellings {
        for extra in [&[][..], &["--force"][..]] {
            let out = export(dir.path(), &db, target, extra);
            let msg = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{target:?} {extra:?}: {msg}");
            assert_eq!(msg.lines().count(), 1, "one line: {msg}");
            assert!(msg.contains("Datenbank"), "{target:?}: {msg}");
        }
    }
    // The database is untouched (nothing was opened, nothing written) and still opens.
    assert_eq!(snapshot(&db), before);
    assert!(
        !dir.path().join("tandem.db-wal").exists() || {
            // A companion may only exist because SQLite made it, never with calendar text.
            !std::fs::read(dir.path().join("tandem.db-wal"))
                .unwrap()
                .starts_with(b"BEGIN:VCALENDAR")
        }
    );
    let store = Store::open(&db, OpenMode::Existing).unwrap();
    assert!(store.staff_by_login("brinkmann").unwrap().is_some());
    // The database addressed through --db by another spelling is caught as well.
    drop(store);
    let out = export(
        dir.path(),
        &dir.path().join("sub/../tandem.db"),
        &db,
        &["--force"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(snapshot(&db), before);
}

#[test]
fn staff_list_prints_no_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let store = Store::open(&db, OpenMode::CreateOrMigrate).unwrap();
    store
        .insert_staff(&[NewStaff {
            login: "eve\u{1b}[31m".into(),
            surname: "Böse\u{1b}[2J\u{1b}]0;gekapert\u{7}\u{202e}\tX\nY\u{9b}1m".into(),
            given_name: "Eva\r".into(),
            agency: Agency::Jobcenter,
            roles: vec![Role::JcU25],
            phone: String::new(),
            email: String::new(),
        }])
        .unwrap();
    drop(store);
    let out = bin(dir.path())
        .args(["staff", "list", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text, "eve[31m\tEva Böse[2J]0;gekapertXY1m\tjc\tjc_u25\n");
    assert!(
        !text
            .chars()
            .any(|c| (c.is_control() && c != '\t' && c != '\n') || c == '\u{202e}')
    );
}

#[test]
fn configuration_errors_name_file_line_and_column_but_never_the_content() {
    let dir = tempfile::tempdir().unwrap();
    let run = |config: &Path| {
        bin(dir.path())
            .args(["--lang", "de", "--config"])
            .arg(config)
            .args(["staff", "list", "--db"])
            .arg(dir.path().join("fehlt.db"))
            .output()
            .unwrap()
    };
    // A file that is not a configuration (as /etc/shadow would be).
    let shadow = dir.path().join("shadow");
    std::fs::write(
        &shadow,
        "root:$6$geheimessalz$hash:19000:0:99999:7:::\nbenutzer:!:19000::::::\n",
    )
    .unwrap();
    // A TOML file with a key Tandem does not know, on line 2.
    let unknown = dir.path().join("unbekannt.toml");
    std::fs::write(&unknown, "lang = \"de\"\npasswort-geheim = \"hunter2\"\n").unwrap();
    // A key binding that clashes, on line 3, column 18; the file name carries an escape.
    let keys = dir.path().join("tasten\u{1b}[2J.toml");
    std::fs::write(
        &keys,
        "no-color = true\n[keys.list]\nnew-case = [\"x\", \"e\"]\n",
    )
    .unwrap();

    for (file, secrets, place) in [
        (
            &shadow,
            &["root", "geheim", "$6$", "benutzer"][..],
            "Zeile 1",
        ),
        (&unknown, &["passwort", "hunter2"][..], "Zeile 2, Spalte 1"),
        (
            &keys,
            &["new-case", "\"e\"", "edit"][..],
            "Zeile 3, Spalte 18",
        ),
    ] {
        let out = run(file);
        let msg = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{msg}");
        assert_eq!(msg.lines().count(), 1, "one line: {msg}");
        assert!(msg.contains("Die Konfiguration"), "{msg}");
        assert!(msg.contains(place), "{place}: {msg}");
        for secret in secrets {
            assert!(!msg.contains(secret), "{secret} echoed: {msg}");
        }
        assert!(!msg.contains('\u{1b}'), "escape echoed: {msg:?}");
        assert!(out.stdout.is_empty());
    }
    let shown = stderr(&run(&keys));
    assert!(shown.contains("tasten[2J.toml"), "{shown}");

    // A file that cannot be read is named, nothing more.
    let out = run(&dir.path().join("gibt-es-nicht.toml"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("kann nicht gelesen werden"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn seed_refuses_an_existing_file_without_touching_it() {
    let dir = tempfile::tempdir().unwrap();
    let seed = |db: &Path| {
        bin(dir.path())
            .args(["--lang", "de", "seed", "--cases", "3", "--db"])
            .arg(db)
            .output()
            .unwrap()
    };
    // An empty file (as `mktemp` leaves it), a Tandem database with data, and a file that
    // is no database at all: each refused, byte for byte and in its modification time.
    let empty = dir.path().join("leer.db");
    std::fs::write(&empty, b"").unwrap();
    let full = small_db(dir.path());
    let other = dir.path().join("notizen.txt");
    std::fs::write(&other, "Einkaufsliste\n").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    for file in [&empty, &full, &other] {
        let before = snapshot(file);
        let out = seed(file);
        let msg = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{file:?}: {msg}");
        assert_eq!(msg.lines().count(), 1, "one line: {msg}");
        assert!(msg.contains("gibt es bereits"), "{msg}");
        assert_eq!(snapshot(file), before, "{file:?} changed");
        let mut wal = file.as_os_str().to_os_string();
        wal.push("-wal");
        assert!(!Path::new(&wal).exists(), "{file:?} was opened");
    }
    // A new file is seeded.
    let new = dir.path().join("neu.db");
    let out = seed(&new);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A new database is encrypted, with a new key file beside it.
    let key = tandem::storage::DbKey::load(&tandem::storage::key::default_key_path(&new)).unwrap();
    let store = Store::open_keyed(&new, OpenMode::Existing, Some(&key)).unwrap();
    assert!(!store.active_staff().unwrap().is_empty());
}

/// A database that can be read but not written (issue 23, defect 10) is an installation
/// problem: exit 1 with a German line naming it, never 77 ("login refused"), which tells an
/// SSH front door that the person was turned away. As root the file's mode does not stop
/// writes, so the program then runs as `nobody` (util-linux `runuser`).
#[test]
fn a_read_only_database_is_an_installation_error_not_a_refused_login() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let db = small_db(dir.path());
    // The folder stays writable (so SQLite could make its companions); the file is not.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o1777)).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let root = nix::unistd::Uid::effective().is_root();
    let mut cmd = if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "nobody", "--", env!("CARGO_BIN_EXE_tandem")]);
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_tandem"))
    };
    let out = cmd
        .env("TANDEM_DATA", dir.path())
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .env_remove("TANDEM_CONFIG")
        .args(["--lang", "de", "export", "ics", "--db"])
        .arg(&db)
        .args(["--user", "brinkmann"])
        .output()
        .expect("runuser (util-linux) is needed when the tests run as root");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("schreibgeschützt"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
}

/// A day that does not exist is named as such, as at a form field; only a malformed date is
/// called a format error (issue 23, defect 10). One German line either way.
#[test]
fn export_dates_get_the_same_messages_as_the_forms() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_db(dir.path());
    for (from, expect) in [
        ("31.02.2026", "Den 31.02.2026 gibt es nicht"),
        ("2026-02-01", "Bitte als TT.MM.JJJJ eingeben"),
    ] {
        let out = bin(dir.path())
            .args(["--lang", "de", "export", "ics", "--db"])
            .arg(&db)
            .args(["--user", "brinkmann", "--from", from])
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{from}: {err}");
        assert!(err.contains(expect), "{from}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    }
}

/// A mistyped command line is one line in the user's language with exit 2, never clap's
/// English usage block (issue 23, defect 10).
#[test]
fn command_line_mistakes_are_one_line_in_german() {
    let dir = tempfile::tempdir().unwrap();
    for (args, expect) in [
        (&["--fro", "1"][..], "Unbekannte Angabe „--fro“"),
        (
            &["export", "ics", "--conference", "abc"][..],
            "Der Wert „abc“ passt nicht",
        ),
        (
            &["export", "ics", "--from"][..],
            "Es fehlt die Angabe --from",
        ),
        (
            &["--lang", "en", "--bogus"][..],
            "Unknown option or command \"--bogus\"",
        ),
    ] {
        let out = bin(dir.path()).args(args).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expect), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    }
}
