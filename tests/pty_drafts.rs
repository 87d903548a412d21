//! Issue #23 ("Nothing typed is lost, nothing signed changes under a signature") through
//! the real binary in an 80×24 pseudo-terminal, as a person at the keyboard sees it: the
//! drafts of sessions killed with SIGKILL are offered at the next login, each named by
//! its record, and not to a second session while the first still runs; two people saving
//! the minutes of one conference; an approval cleared by a later change; Esc asking before
//! it throws typed text away; and two planners booking the same slot.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

#[path = "support/pty.rs"]
mod pty_support;

use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use pty_support::{Session, TestDir, path_arg};
use tandem::model::draft::Draft;
use tandem::storage::{OpenMode, Store};

/// `n` seconds.
fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Tab.
const TAB: &[u8] = b"\t";

/// A demo database of today (the binary runs on the real clock) in `dir`.
fn demo_db(dir: &TestDir) -> PathBuf {
    let path = dir.join("t.db");
    let store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
    let today = tandem::domain::Clock::system().today();
    tandem::demo::write(&store, &tandem::demo::demo_data(today)).unwrap();
    path
}

/// The database at `db`, opened on its own connection.
fn open(db: &Path) -> Store {
    Store::open(db, OpenMode::Existing).unwrap()
}

/// Starts `tandem --db <db> --user <login>` and waits for the first frame.
fn login(dir: &TestDir, db: &Path, user: &str) -> Session {
    let db = path_arg(db);
    let mut s = Session::spawn(&["--db", &db, "--user", user], &dir.env());
    s.wait_until("the first frame", secs(15), |screen| {
        screen.contains("F2 Fälle")
    });
    s
}

/// The drafts of `user` in every session, as stored.
fn drafts(db: &Path, user: &str) -> Vec<Draft> {
    let store = open(db);
    let me = store.staff_by_login(user).unwrap().unwrap();
    store.drafts_for(me.id).unwrap()
}

/// Waits until the stored drafts of `user` satisfy `pred` (the autosave comes within 2 s).
fn wait_drafts(db: &Path, user: &str, what: &str, pred: impl Fn(&[Draft]) -> bool) -> Vec<Draft> {
    let started = Instant::now();
    for _ in 0..200 {
        let now = drafts(db, user);
        if pred(&now) {
            return now;
        }
        if started.elapsed() > secs(8) {
            break;
        }
        thread::sleep(Duration::from_millis(50));
    }
    panic!(
        "drafts of {user}: {what} not stored: {:?}",
        drafts(db, user)
    );
}

/// The text of the box titled `title` on `screen`, its wrapped lines joined by spaces.
fn box_text(screen: &str, title: &str) -> Option<String> {
    let lines: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let head = format!("┌ {title} ");
    let (top, col) = lines.iter().enumerate().find_map(|(i, l)| {
        let s: String = l.iter().collect();
        let byte = s.find(&head)?;
        Some((i, s[..byte].chars().count()))
    })?;
    let mut out: Vec<String> = Vec::new();
    for l in &lines[top + 1..] {
        if l.get(col) == Some(&'└') {
            break;
        }
        let end = (col + 1..l.len()).find(|&i| l[i] == '│').unwrap_or(l.len());
        let inner: String = l.get(col + 1..end).unwrap_or_default().iter().collect();
        if !inner.trim().is_empty() {
            out.push(inner.trim().to_string());
        }
    }
    Some(out.join(" "))
}

/// The text of the question box ("Rückfrage") on `s`'s screen, once it is shown.
fn question(s: &mut Session) -> String {
    let screen = s.wait_for("┌ Rückfrage ", secs(10));
    box_text(&screen, "Rückfrage").expect("the question box")
}

/// The case id of the person shown as "Surname, Given names".
fn case_of(db: &Path, name: &str) -> i64 {
    let (surname, given) = name.split_once(", ").expect("Surname, Given");
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT c.id FROM coop_case c JOIN young_person p ON p.id = c.young_person_id \
         WHERE p.surname = ?1 AND p.given_names = ?2",
        [surname, given],
        |r| r.get(0),
    )
    .unwrap()
}

/// The name after `prefix` on `screen` up to " · " or the end of the line.
fn title_after(screen: &str, prefix: &str) -> String {
    let Some(rest) = screen
        .lines()
        .find_map(|l| l.split_once(prefix).map(|(_, t)| t))
    else {
        panic!("no {prefix:?} on\n{screen}");
    };
    rest.split(" · ").next().unwrap_or(rest).trim().to_string()
}

/// Defect 1 and 2: every open form keeps its own draft, named by its record, and a
/// session's drafts belong to that session. Two sessions of one person: A edits a case,
/// B — started while A runs — writes a note on another case. B is not offered A's live
/// form (the old code offered, shared and deleted one draft per person across sessions).
/// Both are killed with SIGKILL, so only what the autosave wrote survives; the next login
/// is offered both drafts, one after the other, each naming what it belongs to (the old
/// offer said neither which case a note was for nor kept more than one), and the one
/// restored comes back complete.
#[test]
fn killed_sessions_leave_every_draft_named_by_its_record() {
    let dir = TestDir::new();
    let db = demo_db(&dir);

    // A: the first case of the list, edited; Tab moves the focus, which writes at once.
    let mut a = login(&dir, &db, "brinkmann");
    a.wait_for("Fall 1 von", secs(5));
    a.send(b"e");
    let screen = a.wait_for("Fall bearbeiten: ", secs(5));
    let edited = case_of(&db, &title_after(&screen, "Fall bearbeiten: "));
    // The focused field gets an X.
    a.send(b"X");
    a.send(TAB);
    a.wait_for("(ungespeichert)", secs(5));
    let stored = wait_drafts(&db, "brinkmann", "A's case form", |d| {
        d.iter().any(|d| d.form == "case" && d.record_id == edited)
    });
    let (field, typed) = stored[0]
        .values
        .iter()
        .find(|(k, v)| !k.starts_with('_') && stored[0].base_values.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .expect("the typed value is in the draft");
    assert!(typed.ends_with('X'), "{field} = {typed}");

    // B: same person, while A runs. Not offered A's form.
    let mut b = login(&dir, &db, "brinkmann");
    let screen = b.wait_for("Fall 1 von", secs(5));
    thread::sleep(Duration::from_millis(500));
    let screen = format!("{screen}{}", b.screen());
    assert!(
        !screen.contains("Rückfrage") && !screen.contains("Entwurf"),
        "a running session's draft is not offered to another one\n{}",
        b.dump()
    );
    // The third case of the list, a note.
    b.send(b"jj");
    b.wait_for("Fall 3 von", secs(5));
    b.send(b"\r");
    let screen = b.wait_for("Fallakte: ", secs(5));
    let noted = title_after(&screen, "Fallakte: ");
    let note_case = case_of(&db, &noted);
    assert_ne!(note_case, edited, "two different cases");
    b.send(b"o");
    b.wait_for("┌ Notiz ", secs(5));
    b.send("Mutter angerufen, Rückruf morgen".as_bytes());
    b.wait_for("Rückruf morgen", secs(5));
    // No field change in a note: only the autosave writes it.
    let both = wait_drafts(&db, "brinkmann", "B's note next to A's case form", |d| {
        d.len() == 2
            && d.iter().any(|d| {
                d.form == "note"
                    && d.record_id == note_case
                    && d.values.get("text").map(String::as_str)
                        == Some("Mutter angerufen, Rückruf morgen")
            })
    });
    assert!(
        both.iter().any(|d| d.form == "case"),
        "A's draft is still there: {both:?}"
    );

    a.kill9();
    b.kill9();

    // The next login: the newest draft first (B's note), then A's case form.
    let mut c = login(&dir, &db, "brinkmann");
    let first = question(&mut c);
    assert!(
        first.contains(&format!("(Notiz, Fall {note_case}, zuletzt ")),
        "the note's offer names its case: {first}\n{}",
        c.dump()
    );
    c.send(b"n");
    // A's edit is named as an edit of its case, not as "Neuer Fall".
    let label = format!("(Fall bearbeiten, Fall {edited}, zuletzt ");
    let second = c.wait_until("the second offer", secs(5), |screen| {
        box_text(screen, "Rückfrage")
            .is_some_and(|t| t.contains("Jetzt wiederherstellen?") && !t.contains("(Notiz, "))
    });
    let second = box_text(&second, "Rückfrage").unwrap();
    assert!(
        second.contains(&label),
        "the case form's offer names the case it edits: {second}\n{}",
        c.dump()
    );
    // Restored: the case form with what A typed.
    c.send(b"j");
    let screen = c.wait_for("Fall bearbeiten: ", secs(5));
    assert!(
        screen.contains(&typed),
        "A's typing is back ({field} = {typed})\n{}",
        c.dump()
    );
    c.wait_for("Entwurf wiederhergestellt", secs(5));
    // The note not taken now stays for later.
    let left = drafts(&db, "brinkmann");
    assert!(
        left.iter()
            .any(|d| d.form == "note" && d.record_id == note_case),
        "the note declined now is kept: {left:?}"
    );
    for other in ["karaca", "dabrowska"] {
        assert!(drafts(&db, other).is_empty(), "{other} has no draft");
    }
}
