//! Issue #16 class 3 ("nothing important is cut off") through the real binary in an
//! 80×24 pseudo-terminal: a warning shown while a form is open wraps whole over the rows
//! above the footer instead of running off the right edge, and the case file's footer
//! keeps its main step, help and quitting.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

#[path = "support/pty.rs"]
mod pty_support;

use std::time::Duration;

use pty_support::{Session, TestDir, demo_db, path_arg};

/// `n` seconds.
fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// The screen as one line of words (a wrapped message reads as one sentence).
fn flat(screen: &str) -> String {
    screen
        .replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Starts `tandem` for Sabine Brinkmann on a fresh demo database and waits for the list.
fn brinkmann(dir: &TestDir) -> Session {
    let db = path_arg(&demo_db(dir));
    let mut s = Session::spawn(&["--db", &db, "--user", "brinkmann"], &dir.env());
    s.wait_for("Fall 1 von", secs(30));
    s
}

#[test]
fn a_warning_in_an_open_form_is_not_cut_at_80x24() {
    let dir = TestDir::new();
    let mut s = brinkmann(&dir);
    // A letter typed on a choice field of the new-case form: the warning says so, whole,
    // wrapped at words over the rows above the footer.
    s.send(b"n");
    s.wait_for("Neuer Fall", secs(10));
    s.send(b"\t\t\tx");
    let warning = "Dies ist ein Auswahlfeld: getippter Text wird hier nicht übernommen. \
                   Wählen mit ←/→ oder Leertaste, weiter mit Tab.";
    s.wait_until("the whole warning", secs(10), |screen| {
        flat(screen).contains(warning)
    });
    s.send_esc();
    s.send(b"q");
    let code = s.wait_exit(secs(10));
    assert_eq!(code, 0, "clean exit\n{}", s.dump());
}

#[test]
fn the_case_file_footer_keeps_what_matters_at_80x24() {
    let dir = TestDir::new();
    let mut s = brinkmann(&dir);
    s.send(b"\r");
    // The whole frame: the file's title and its footer with every hint that matters.
    let hints = ["Esc Zurück", "t Übermitteln", "? Hilfe", "q Beenden"];
    s.wait_until("the case file's footer", secs(10), |screen| {
        let footer = screen.lines().nth(23).unwrap_or_default();
        screen.contains("Fallakte") && hints.iter().all(|h| footer.contains(h))
    });
    s.send_esc();
    s.send(b"q");
    let code = s.wait_exit(secs(10));
    assert_eq!(code, 0, "clean exit\n{}", s.dump());
}
