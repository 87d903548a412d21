//! Issue 14 part 5 acceptance through the real binary in an 80×24 pseudo-terminal: the
//! data-protection officers of both Stellen (`wiemers`, `kloeckner`) start on
//! "Datenschutz" and, pressing every function key F1–F12, every number key and walking
//! every section, never see a name of a young person, a child of a referral or a custody
//! holder — the DSB's screens hold metadata only (docs/access.md A13, docs/dpo.md).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

#[path = "support/pty.rs"]
mod pty_support;

use std::path::Path;
use std::time::Duration;

use pty_support::{Session, TestDir, demo_db, path_arg};

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Every person's name in the database: young people (whole, as the case list writes it
/// and surname alone when telling), children of referrals, custody holders.
fn names_in(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut out = Vec::new();
    for sql in [
        "SELECT given_names || ' ' || surname, surname FROM young_person",
        "SELECT surname || ', ' || given_names, surname FROM young_person",
        "SELECT given_names || ' ' || surname, surname FROM cp_child",
        "SELECT name, name FROM guardian",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .unwrap();
        for row in rows {
            let (whole, part) = row.unwrap();
            out.push(whole.trim().to_string());
            if part.chars().count() >= 6 {
                out.push(part);
            }
        }
    }
    out.retain(|n| n.chars().count() >= 4);
    out.sort();
    out.dedup();
    out
}

/// F1 … F12 as the terminal sends them.
const FKEYS: [&[u8]; 12] = [
    b"\x1bOP",
    b"\x1bOQ",
    b"\x1bOR",
    b"\x1bOS",
    b"\x1b[15~",
    b"\x1b[17~",
    b"\x1b[18~",
    b"\x1b[19~",
    b"\x1b[20~",
    b"\x1b[21~",
    b"\x1b[23~",
    b"\x1b[24~",
];

/// The screen after the last key has settled (two equal looks in a row).
fn settled(s: &mut Session) -> String {
    let mut last = s.screen();
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(150));
        let now = s.screen();
        if now == last {
            return now;
        }
        last = now;
    }
    last
}

fn check(screen: &str, names: &[String], login: &str, after: &str) {
    for name in names {
        assert!(
            !screen.contains(name.as_str()),
            "{login} sees {name:?} after {after}:\n{screen}"
        );
    }
}

#[test]
fn a_dsb_login_reaches_no_case_content_on_any_screen() {
    let dir = TestDir::new();
    let db = demo_db(&dir);
    let names = names_in(&db);
    assert!(names.len() > 250, "{}", names.len());
    let db = path_arg(&db);
    // The control: a caseworker's first screen does show names of the list.
    let mut s = Session::spawn(&["--db", &db, "--user", "brinkmann"], &dir.env());
    let list = s.wait_for("Fall 1 von", secs(30));
    assert!(
        names.iter().any(|n| list.contains(n.as_str())),
        "the names are not what the screens show:\n{list}"
    );
    s.send(b"q");
    assert_eq!(s.wait_exit(secs(10)), 0);
    for login in ["wiemers", "kloeckner"] {
        let mut s = Session::spawn(&["--db", &db, "--user", login], &dir.env());
        let first = s.wait_until("the Datenschutz screen", secs(30), |screen| {
            screen.contains("Datenschutz") && screen.contains("Protokoll")
        });
        check(&first, &names, login, "login");
        for (i, key) in FKEYS.iter().enumerate() {
            s.send(key);
            let screen = settled(&mut s);
            check(&screen, &names, login, &format!("F{}", i + 1));
            if i == 0 {
                // F1 opened the help: close it again.
                s.send(key);
                settled(&mut s);
            }
        }
        for digit in b"123456789" {
            s.send(&[*digit]);
            let screen = settled(&mut s);
            check(&screen, &names, login, &format!("{}", char::from(*digit)));
            assert!(screen.contains("Datenschutz"), "{login}:\n{screen}");
        }
        // Every section, and Enter and the filter in each.
        for n in 0..8 {
            s.send(b"\t");
            let screen = settled(&mut s);
            check(&screen, &names, login, &format!("section {n}"));
            s.send(b"\r");
            let screen = settled(&mut s);
            check(&screen, &names, login, &format!("Enter in section {n}"));
            s.send_esc();
            settled(&mut s);
        }
        s.send(b"/");
        let screen = settled(&mut s);
        check(&screen, &names, login, "/");
        s.send_esc();
        settled(&mut s);
        s.send(b"q");
        let code = s.wait_exit(secs(10));
        assert_eq!(code, 0, "{login}: clean exit\n{}", s.dump());
    }
}
