//! End-to-end tests: the real `tandem` binary in an 80×24 pseudo-terminal, its screen parsed
//! with vt100, plus the refusals that happen before any screen is drawn.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

#[path = "support/pty.rs"]
mod pty_support;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use pty_support::{
    Session, TestDir, case_total, contains_bytes, find_last, path_arg, run_plain, seed,
};

/// The audit rows about sessions: (action, staff id, detail).
fn session_log(db: &Path) -> Vec<(String, Option<i64>, Option<String>)> {
    // Demo and seed databases are encrypted with the key file beside them.
    let key = tandem::storage::DbKey::load(&tandem::storage::key::default_key_path(db)).ok();
    let store =
        tandem::storage::Store::open_keyed(db, tandem::storage::OpenMode::Existing, key.as_ref())
            .unwrap();
    assert!(store.verify_audit().unwrap().is_ok());
    store
        .audit_tail(100_000)
        .unwrap()
        .into_iter()
        .filter(|r| r.object_type == "session")
        .map(|r| (r.action, r.staff_id, r.detail))
        .collect()
}

/// `n` seconds.
fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Enter the alternate screen.
const ALT_ON: &[u8] = b"\x1b[?1049h";
/// Leave the alternate screen.
const ALT_OFF: &[u8] = b"\x1b[?1049l";
/// Ctrl-S.
const CTRL_S: &[u8] = b"\x13";

#[test]
fn demo_filter_and_quit() {
    let dir = TestDir::new();
    let db = dir.arg("demo.db");
    let mut s = Session::spawn(&["demo", "--db", &db], &dir.env());
    // The first run creates the demo database; a debug build needs a while. The count
    // follows the first frame once the keys pause (docs/performance.md § 2.4).
    let before = s.wait_until("the counted list", secs(30), |x| case_total(x).is_some());
    let all = case_total(&before).expect("position line before filtering");
    assert!(all > 1, "demo shows several cases: {all}\n{}", s.dump());
    // A caseworker has no list of the whole agency: `a` asks for a case number for
    // break-glass instead (docs/access.md A6); Esc leaves it.
    s.send(b"a");
    s.wait_for("Notfallzugriff", secs(10));
    s.send_esc();
    s.wait_until("number field closed", secs(10), |screen| {
        !screen.contains("Notfallzugriff – Nr.")
    });

    // Filter the caseload by the surname of its first row.
    let surname = before
        .lines()
        .find_map(|l| l.strip_prefix("▶ "))
        .and_then(|l| l.split(',').next())
        .map(|n| n.trim().to_string())
        .expect("a selected first row with a name");
    let word = surname.to_lowercase();
    s.send(b"/");
    s.send(word.as_bytes());
    // Wait for the whole frame: the filter in the title line and the matching rows below.
    let after = s.wait_until("filtered list", secs(10), |screen| {
        screen.contains(&format!("Filter: {word}"))
            && screen.lines().skip(2).any(|l| l.contains(&surname))
            && case_total(screen).is_some()
    });
    let filtered = case_total(&after).expect("position line after filtering");
    assert!(
        filtered < all && filtered > 0,
        "filter narrows the list: {filtered} of {all}\n{}",
        s.dump()
    );

    s.send_esc();
    s.send(b"q");
    let code = s.wait_exit(secs(5));
    assert_eq!(code, 0, "clean exit\n{}", s.dump());

    let raw = s.raw();
    let on = find_last(&raw, ALT_ON).expect("the alternate screen was entered");
    let off = find_last(&raw, ALT_OFF).expect("the alternate screen was left");
    assert!(off > on, "left the alternate screen after entering it last");
    assert!(!s.alternate_screen(), "terminal back on the main screen");
    assert!(dir.join("demo.db").is_file(), "demo database created");
    let actions: Vec<String> = session_log(&dir.join("demo.db"))
        .into_iter()
        .map(|(action, staff, detail)| {
            assert!(
                staff.is_some() && detail.is_none(),
                "{action} {staff:?} {detail:?}"
            );
            action
        })
        .collect();
    assert_eq!(actions, ["login", "logout"]);
}

#[test]
fn unknown_user_exits_77() {
    let dir = TestDir::new();
    let db = path_arg(&seed(&dir, "t.db", 20));
    let mut s = Session::spawn(&["--db", &db, "--user", "niemand"], &dir.env());
    let code = s.wait_exit(secs(10));
    let out = s.output();
    assert_eq!(code, 77, "login refused (EX_NOPERM)\n{out}");
    assert!(out.contains("Anmeldung abgelehnt"), "{out}");
    assert!(out.contains("niemand"), "{out}");
    assert!(
        !contains_bytes(&s.raw(), ALT_ON),
        "no screen drawn: {out:?}"
    );
    // Logged without the typed login, which may be a name.
    assert_eq!(
        session_log(Path::new(&db)),
        [(
            "login_refused".to_string(),
            None,
            Some("unknown_login".to_string())
        )]
    );
    let conn = keyed_conn(Path::new(&db));
    let hits: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE instr(at || action || object_type || fields \
             || ifnull(detail, ''), 'niemand') > 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(hits, 0);
}

/// A run of `tandem --db FILE --user brinkmann` on a file that is no Tandem database:
/// exit 1, one German line naming the file, the file unchanged, no WAL side files.
fn assert_refused_untouched(dir: &TestDir, file: &Path) {
    let before = std::fs::read(file).expect("read before");
    let arg = path_arg(file);
    let out = run_plain(
        dir,
        &["--db", &arg, "--user", "brinkmann"],
        &dir.env(),
        secs(10),
    );
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out.stderr.ends_with('\n'), "{out:?}");
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "exactly one line: {out:?}");
    let line = lines[0];
    assert!(line.contains(&arg), "names the file: {line}");
    assert!(
        line.contains("ist keine") && line.contains("nicht verändert"),
        "German explanation: {line}"
    );
    assert!(!line.contains('\x1b'), "plain text: {line:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    let after = std::fs::read(file).expect("read after");
    assert!(before == after, "file content unchanged");
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = file.as_os_str().to_owned();
        side.push(suffix);
        assert!(!Path::new(&side).exists(), "no {suffix} file next to {arg}");
    }
}

#[test]
fn corrupt_db_is_refused_and_untouched() {
    let dir = TestDir::new();

    // 8 KiB of pseudo-random bytes (SplitMix64), not starting with "SQLite format 3\0".
    let garbage = dir.join("kaputt.db");
    let mut state: u64 = 0x5EED_1234_ABCD_0042;
    let mut bytes = Vec::with_capacity(8192);
    while bytes.len() < 8192 {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        bytes.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    assert!(!bytes.starts_with(b"SQLite format 3\0"));
    std::fs::write(&garbage, &bytes).expect("write garbage");
    assert_refused_untouched(&dir, &garbage);

    // A valid SQLite database of some other program.
    let foreign = dir.join("fremd.sqlite");
    {
        let conn = rusqlite::Connection::open(&foreign).expect("create foreign db");
        conn.execute_batch(
            "CREATE TABLE rezepte (id INTEGER PRIMARY KEY, titel TEXT NOT NULL);
             INSERT INTO rezepte (titel) VALUES ('Pfefferpotthast'), ('Möhrengemüse');",
        )
        .expect("fill foreign db");
    }
    assert!(
        std::fs::read(&foreign)
            .expect("read foreign")
            .starts_with(b"SQLite format 3\0")
    );
    assert_refused_untouched(&dir, &foreign);
}

/// A plain SQLite connection to the seeded or demo database `db`, keyed with the key file
/// beside it (64 hex digits): those databases are encrypted.
fn keyed_conn(db: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(db).expect("open db");
    let key = std::fs::read_to_string(tandem::storage::key::default_key_path(db)).expect("key");
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.trim()))
        .expect("keyed");
    conn
}

/// `(young_person id, surname)` of every person in the database at `db`.
fn surnames(db: &Path) -> BTreeMap<i64, String> {
    let conn = keyed_conn(db);
    let mut stmt = conn
        .prepare("SELECT id, surname FROM young_person")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// Two sessions of one Jobcenter U25 caseworker on a seeded database, both in the edit
/// form of the same case. Returns the database, both sessions, the case's surname and
/// the login.
fn two_editors(dir: &TestDir) -> (std::path::PathBuf, Session, Session, String, String) {
    let db_path = seed(dir, "c.db", 30);
    let db = path_arg(&db_path);

    let staff = run_plain(dir, &["staff", "list", "--db", &db], &dir.env(), secs(10));
    assert_eq!(staff.code, Some(0), "{staff:?}");
    let Some(login) = staff
        .stdout
        .lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|f| f.len() == 4 && f[2] == "jc" && f[3].split(',').any(|r| r == "jc_u25"))
        .map(|f| f[0].to_string())
    else {
        panic!("no Jobcenter U25 caseworker in:\n{}", staff.stdout);
    };

    let args = ["--db", db.as_str(), "--user", login.as_str()];
    let mut a = Session::spawn(&args, &dir.env());
    let mut b = Session::spawn(&args, &dir.env());
    let mut titles = Vec::new();
    for s in [&mut a, &mut b] {
        s.wait_for("Fall 1 von", secs(15));
        s.send(b"e");
        let screen = s.wait_for("Fall bearbeiten: ", secs(5));
        // "Fall bearbeiten: Surname, Given names"
        let title = screen
            .lines()
            .find_map(|l| {
                l.split_once("Fall bearbeiten: ")
                    .map(|(_, t)| t.trim().to_string())
            })
            .expect("form title");
        titles.push(title);
    }
    assert_eq!(titles[0], titles[1], "both edit the same case");
    let Some((surname, _)) = titles[0].split_once(',') else {
        panic!("title without surname: {}", titles[0]);
    };
    (db_path, a, b, surname.to_string(), login)
}

#[test]
fn two_processes_same_case_conflict() {
    let dir = TestDir::new();
    let (db_path, mut a, mut b, surname, _) = two_editors(&dir);
    let surname = surname.as_str();
    let before = surnames(&db_path);

    // B saves first.
    b.send(b"X");
    b.wait_for("(ungespeichert)", secs(5));
    b.send(CTRL_S);
    b.wait_for("Gespeichert.", secs(5));

    // A saved on the old version: refused, the input stays, and both values are shown.
    a.send(b"Y");
    a.wait_for("(ungespeichert)", secs(5));
    a.send(CTRL_S);
    let screen = a.wait_for("Gleichzeitige Änderung", secs(5));
    assert!(screen.contains("Ihre Eingabe"), "{}", a.dump());
    assert!(
        screen.contains(&format!("{surname}Y")),
        "A's value shown\n{}",
        a.dump()
    );
    assert!(
        screen.contains(&format!("{surname}X")),
        "B's value shown\n{}",
        a.dump()
    );
    assert!(
        screen.contains("Gespeichert von"),
        "who saved it\n{}",
        a.dump()
    );

    // A takes B's value (Space, Enter) and saves: nothing of B's is overwritten.
    a.send(b" ");
    a.send(b"\r");
    a.wait_until("conflict box closed", secs(5), |s| {
        !s.contains("Gleichzeitige Änderung")
    });
    a.send(CTRL_S);
    let stored = format!("Fallakte: {surname}X,");
    a.wait_until(&format!("case file {stored:?}"), secs(5), |s| {
        s.contains(&stored) && !s.contains("Fall bearbeiten")
    });
    a.send(b"q");
    assert_eq!(a.wait_exit(secs(5)), 0, "{}", a.dump());
    assert!(!a.alternate_screen(), "A restored the terminal");

    b.send(b"q");
    assert_eq!(b.wait_exit(secs(5)), 0, "{}", b.dump());
    assert!(!b.alternate_screen(), "B restored the terminal");

    let after = surnames(&db_path);
    let changed: Vec<(i64, &String, &String)> = after
        .iter()
        .filter_map(|(id, new)| {
            let old = before.get(id)?;
            (old != new).then_some((*id, old, new))
        })
        .collect();
    assert_eq!(changed.len(), 1, "exactly one person changed: {changed:?}");
    let (_, old, new) = changed[0];
    assert_eq!(*old, surname, "the case edited on screen");
    assert_eq!(
        *new,
        format!("{old}X"),
        "B's value survived: A chose it in the conflict box"
    );
    assert_eq!(before.len(), after.len());
}

/// #23 defect 3: A's save meets B's, the conflict box opens, and A's process is killed
/// (kill -9, after more than one autosave interval) before A has chosen. On the old code
/// the autosave had rewritten A's draft onto B's version as its base, so the restored draft
/// saved over B's value without a question although the box promised "Nichts wird ohne
/// Ihre Wahl überschrieben". Now the draft keeps its old base: the restored draft meets the
/// conflict again, B's value stays, and Esc leaves the box without overwriting anything.
#[test]
fn a_conflict_box_killed_before_the_choice_asks_again() {
    let dir = TestDir::new();
    let (db_path, mut a, mut b, surname, login) = two_editors(&dir);
    b.send(b"X");
    b.wait_for("(ungespeichert)", secs(5));
    b.send(CTRL_S);
    b.wait_for("Gespeichert.", secs(5));
    b.send(b"q");
    assert_eq!(b.wait_exit(secs(5)), 0, "{}", b.dump());
    let theirs = format!("{surname}X");

    a.send(b"Y");
    a.wait_for("(ungespeichert)", secs(5));
    a.send(CTRL_S);
    a.wait_for("Gleichzeitige Änderung", secs(5));
    // More than the 2 s autosave interval with the box open, then the process is killed.
    std::thread::sleep(secs(3));
    a.kill9();
    assert!(
        surnames(&db_path).values().any(|s| *s == theirs),
        "B's save is stored"
    );

    let db = path_arg(&db_path);
    let args = ["--db", db.as_str(), "--user", login.as_str()];
    let mut c = Session::spawn(&args, &dir.env());
    c.wait_for("Entwurf", secs(15));
    c.send(b"j");
    c.wait_for("Fall bearbeiten: ", secs(5));
    c.send(CTRL_S);
    let screen = c.wait_for("Gleichzeitige Änderung", secs(5));
    assert!(
        screen.contains(&format!("{surname}Y")) && screen.contains(&theirs),
        "both values shown again\n{}",
        c.dump()
    );
    assert!(
        surnames(&db_path).values().any(|s| *s == theirs),
        "the restored draft did not overwrite B"
    );
    // Esc: out of the box without a choice; nothing is written.
    c.send_esc();
    c.wait_for("Nicht gespeichert", secs(5));
    assert!(surnames(&db_path).values().any(|s| *s == theirs));
}

#[test]
fn dumb_terminal_gets_one_line_exit_2() {
    let dir = TestDir::new();
    let db = path_arg(&seed(&dir, "d.db", 20));
    let mut s = Session::spawn(
        &["--db", &db, "--user", "brinkmann"],
        &dir.env_with("TERM", "dumb"),
    );
    let code = s.wait_exit(secs(10));
    let out = s.output();
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("Terminal wird nicht unterstützt"), "{out}");
    assert_eq!(out.trim_end().lines().count(), 1, "one line: {out:?}");
    assert!(!s.raw().contains(&0x1b), "no escape byte at all: {out:?}");
}

/// Every SGR parameter list in `raw` (the part between `ESC [` and `m`).
fn sgr_params(raw: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < raw.len() {
        if raw[i] == 0x1b && raw[i + 1] == b'[' {
            let start = i + 2;
            let mut j = start;
            while j < raw.len() && (raw[j].is_ascii_digit() || raw[j] == b';') {
                j += 1;
            }
            if j < raw.len() && raw[j] == b'm' {
                out.push(String::from_utf8_lossy(&raw[start..j]).into_owned());
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// Starts the demo with `env`, waits for the list, moves the selection and quits.
fn demo_session_output(dir: &TestDir, env: &[(String, String)]) -> Vec<u8> {
    let db = dir.arg("demo.db");
    let mut s = Session::spawn(&["demo", "--db", &db], env);
    s.wait_for("Fall 1 von", secs(30));
    s.send(b"j");
    s.wait_for("Fall 2 von", secs(5));
    s.send(b"q");
    assert_eq!(s.wait_exit(secs(5)), 0, "{}", s.dump());
    s.raw()
}

#[test]
fn no_color_sends_no_colour_and_keeps_the_selection_visible() {
    let dir = TestDir::new();
    let raw = demo_session_output(&dir, &dir.env_with("NO_COLOR", "1"));
    for params in sgr_params(&raw) {
        for p in params.split(';').filter(|p| !p.is_empty()) {
            let n: u32 = p.parse().unwrap();
            assert!(
                !((30..=49).contains(&n) || (90..=107).contains(&n)),
                "colour parameter {n} in SGR {params:?}"
            );
        }
    }
    assert!(
        sgr_params(&raw)
            .iter()
            .any(|p| p.split(';').any(|x| x == "7")),
        "the selected row is shown in reverse video"
    );
}

#[test]
fn linux_console_gets_no_256_colour_sequences() {
    let dir = TestDir::new();
    let raw = demo_session_output(&dir, &dir.env_with("TERM", "linux"));
    for params in sgr_params(&raw) {
        assert!(
            !params.contains("38;5")
                && !params.contains("48;5")
                && !params.contains("38;2")
                && !params.contains("48;2"),
            "256/true-colour SGR {params:?} on TERM=linux"
        );
    }
    // The backend writes the 16 named colours as classic codes (docs/performance.md § 4):
    // a foreground 30–37 or 90–97.
    let colour = |raw: &[u8]| {
        sgr_params(raw).iter().any(|p| {
            p.split(';').any(|x| {
                x.parse::<u8>()
                    .is_ok_and(|n| (30..=37).contains(&n) || (90..=97).contains(&n))
            })
        })
    };
    let linux = demo_session_output(&dir, &dir.env_with("TERM", "linux"));
    assert!(!colour(&linux), "TERM=linux is drawn without colour");
    let raw = demo_session_output(&dir, &dir.env());
    assert!(
        colour(&raw),
        "control: xterm-256color does get colours, so the checks above can fail"
    );
}

#[cfg(debug_assertions)]
#[test]
fn a_panic_restores_the_terminal() {
    let dir = TestDir::new();
    let db = dir.arg("demo.db");
    let mut s = Session::spawn(
        &["demo", "--db", &db],
        &dir.env_with("TANDEM_DEBUG_PANIC", "1"),
    );
    let code = s.wait_exit(secs(30));
    assert_eq!(code, 101, "a panic exits with 101\n{}", s.dump());
    let raw = s.raw();
    let on = find_last(&raw, ALT_ON).expect("the screen was drawn first");
    let off = find_last(&raw, ALT_OFF).expect("the alternate screen was left");
    assert!(off > on);
    assert!(!s.alternate_screen());
    let out = s.output();
    assert!(
        out.contains("internen Fehlers"),
        "one German sentence: {out}"
    );
    assert!(
        !out.contains("TANDEM_DEBUG_PANIC"),
        "the panic report goes to the log, not the screen"
    );
}

/// Without `--user` the login is the operating-system account, not `$USER`.
#[test]
fn identity_comes_from_the_os_account_not_user_env() {
    let dir = TestDir::new();
    let db_path = seed(&dir, "t.db", 20);
    let os_user = String::from_utf8(
        std::process::Command::new("id")
            .arg("-un")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .to_string();
    assert!(!os_user.is_empty());
    // The OS account is a data-protection officer: she starts on her own screen
    // ("Datenschutz", no cases). $USER names a caseworker.
    {
        let c = keyed_conn(&db_path);
        c.execute(
            "INSERT INTO staff (login, surname, given_name, stelle, created_at, updated_at) \
             VALUES (?1, 'Konto', 'System', 'jc', 'now', 'now')",
            [&os_user],
        )
        .unwrap();
        let id = c.last_insert_rowid();
        c.execute(
            "INSERT INTO staff_role (staff_id, role) VALUES (?1, 'dpo')",
            [id],
        )
        .unwrap();
    }
    let db = path_arg(&db_path);
    let mut env = dir.env_with("USER", "brinkmann");
    env.push(("LOGNAME".into(), "brinkmann".into()));
    let mut s = Session::spawn(&["--db", &db], &env);
    s.wait_for("System Konto · Jobcenter", secs(10));
    assert!(s.screen().contains("F8 Datenschutz"), "{}", s.screen());
    s.send(b"q");
    assert_eq!(s.wait_exit(secs(5)), 0);
}

/// The conference agenda of the real binary, with the host's zone set to `tz`.
fn agenda_with_tz(dir: &TestDir, db: &str, tz: &str) -> String {
    let mut s = Session::spawn(&["demo", "--db", db], &dir.env_with("TZ", tz));
    s.wait_for("Fall 1 von", secs(30));
    s.send(b"2");
    let screen = s.wait_until("agenda", secs(10), |screen| {
        screen.lines().skip(1).any(|l| l.contains(".20"))
    });
    s.send(b"q");
    assert_eq!(s.wait_exit(secs(5)), 0, "clean exit\n{}", s.dump());
    screen
}

/// Dates are Berlin dates whatever zone the host is set to (issue #11 item 6): the agenda
/// (its window and the appointment it starts at are computed from "today" and "now") is
/// the same under Berlin, UTC, New York and the two extreme zones, one of which is always
/// on another calendar day than Berlin.
#[test]
fn the_agenda_shows_berlin_dates_whatever_the_host_zone() {
    let dir = TestDir::new();
    let db = dir.arg("demo.db");
    let zones = [
        "Europe/Berlin",
        "UTC",
        "America/New_York",
        "<+14>-14",
        "<-12>+12",
    ];
    // Around Berlin midnight the day could change between two runs: try once more then.
    for attempt in 0..2 {
        let screens: Vec<String> = zones
            .iter()
            .map(|tz| agenda_with_tz(&dir, &db, tz))
            .collect();
        let differing: Vec<&str> = zones
            .iter()
            .zip(&screens)
            .filter(|(_, s)| **s != screens[0])
            .map(|(z, _)| *z)
            .collect();
        if differing.is_empty() {
            return;
        }
        assert!(
            attempt == 0,
            "the agenda differs under {differing:?}:\n{}\n---\n{}",
            screens[0],
            screens[zones.iter().position(|z| *z == differing[0]).unwrap()]
        );
    }
}

/// The screen's words, one space apart (a warning may wrap between two words).
fn words(screen: &str) -> String {
    screen.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// F4 and F6 as the terminal sends them.
const F4: &[u8] = b"\x1bOS";
const F6: &[u8] = b"\x1b[17~";

#[test]
fn the_reporter_of_an_overdue_akut_referral_is_told_to_phone_and_ctrl_s_is_send() {
    // The demo's akut referral of Sabine Brinkmann was sent yesterday 22:10 and has not been
    // received: overdue whenever this runs.
    let dir = TestDir::new();
    let db = dir.arg("demo.db");
    let mut s = Session::spawn(&["demo", "--db", &db, "--user", "brinkmann"], &dir.env());
    let phone = [
        "noch nicht eingegangen – Frist überschritten.",
        "JETZT ANRUFEN: Jugendamt 02366 0303 50 · Rufbereitschaft 0171 0000 303 · Polizei 110",
    ];
    let whole = |screen: &str| {
        let w = words(screen);
        phone.iter().all(|p| w.contains(p))
    };
    // The login line, whole (wrapped between words, never cut).
    s.wait_until("the warning on the login line", secs(30), whole);
    // F4: her own list starts with it.
    s.send(F4);
    let f4 = s.wait_until("F4 with the warning", secs(10), |screen| {
        screen.contains("Meine Kinderschutz-Mitteilungen") && whole(screen)
    });
    assert!(words(&f4).contains("!! Eingang: überfällig"), "{f4}");
    // F6 does not calm her down with "Nichts offen".
    s.send(F6);
    let f6 = s.wait_until("F6 with the warning", secs(10), |screen| {
        screen.contains("Bereitschaft –") && whole(screen)
    });
    assert!(!f6.contains("Nichts offen"), "{f6}");
    // A new referral: Ctrl+S is labelled "Senden", and an incomplete one is not sent but
    // named at its fields.
    s.send(F4);
    s.wait_for("Meine Kinderschutz-Mitteilungen", secs(10));
    s.send(b"n");
    let form = s.wait_for("Kinderschutz-Mitteilung an das Jugendamt", secs(10));
    assert!(form.contains("Strg+S Senden"), "{form}");
    assert!(!form.contains("Speichern"), "{form}");
    s.send(CTRL_S);
    s.wait_until("messages at the fields", secs(10), |screen| {
        screen.contains("Kinderschutz-Mitteilung an das Jugendamt")
            && screen.contains("Nicht gesendet: Bitte prüfen Sie die markierten Felder.")
    });
}

/// The bytes one ↓ costs on a lead's list of a seeded office, after the frame settled:
/// (bytes, screen after).
fn bytes_of_one_movement(
    db: &str,
    extra: &[&str],
    env: &[(String, String)],
    settled: &str,
) -> (usize, String) {
    let mut args = vec!["--db", db, "--user", "schwering"];
    args.extend_from_slice(extra);
    let mut s = Session::spawn(&args, env);
    // The count arrives in idle time after the first frame (docs/performance.md § 2).
    s.wait_for(settled, secs(30));
    s.wait_until("the marker on the first row", secs(5), |screen| {
        screen.lines().nth(3).is_some_and(|l| l.starts_with('▶'))
    });
    std::thread::sleep(Duration::from_millis(300));
    let before = s.raw().len();
    s.send(b"j");
    let screen = s.wait_until("the marker on the second row", secs(5), |screen| {
        screen.lines().nth(4).is_some_and(|l| l.starts_with('▶'))
    });
    std::thread::sleep(Duration::from_millis(300));
    let bytes = s.raw().len() - before;
    s.send(b"q");
    assert_eq!(s.wait_exit(secs(5)), 0, "{}", s.dump());
    (bytes, screen)
}

/// A movement in the list rewrites the two markers and the two names (bold on the
/// selected one), not two whole rows; in low-bandwidth mode only the markers move, within
/// 20 bytes. Byte counts, not times: the same on every machine (docs/performance.md § 4).
#[test]
fn a_movement_costs_few_bytes_and_low_bandwidth_moves_the_marker_alone() {
    let dir = TestDir::new();
    seed(&dir, "office.db", 300);
    let db = dir.arg("office.db");
    let (normal, screen) = bytes_of_one_movement(&db, &[], &dir.env(), "Fall 1 von 2");
    assert!(normal <= 150, "{normal} bytes for one movement\n{screen}");
    assert!(screen.contains("Fall 2 von"), "{screen}");
    let (low, screen) = bytes_of_one_movement(&db, &["--low-bandwidth"], &dir.env(), " Fälle");
    assert!(
        low <= 20,
        "{low} bytes for one movement in low-bandwidth mode\n{screen}"
    );
    assert!(
        !screen.contains("Fall 2 von"),
        "no position in low-bandwidth mode\n{screen}"
    );
    assert!(low < normal, "the control moves more: {low} < {normal}");
    // Over SSH the client asks for it: `ssh -t tandem@host low-bandwidth`.
    let env = dir.env_with("SSH_ORIGINAL_COMMAND", "low-bandwidth");
    let (ssh, screen) = bytes_of_one_movement(&db, &[], &env, " Fälle");
    assert!(ssh <= 20, "{ssh} bytes over the SSH request\n{screen}");
}
