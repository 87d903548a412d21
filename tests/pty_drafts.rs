//! Issue #23 ("Nothing typed is lost, nothing signed changes under a signature") through
//! the real binary in an 80×24 pseudo-terminal, as a person at the keyboard sees it: the
//! drafts of sessions killed with SIGKILL are offered at the next login, each named by
//! its record, and not to a second session while the first still runs; two people saving
//! the minutes of one conference; an approval cleared by a later change; Esc asking before
//! it throws typed text away; and two planners booking the same slot.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

#[path = "support/pty.rs"]
mod pty_support;

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use pty_support::{Session, TestDir, demo_db, path_arg};
use tandem::model::draft::Draft;
use tandem::storage::{OpenMode, Store};

/// `n` seconds.
fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Ctrl-S.
const CTRL_S: &[u8] = b"\x13";
/// Tab.
const TAB: &[u8] = b"\t";

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
    let heads = [format!("┌ {title} "), format!("┌{title}─")];
    let (top, col) = lines.iter().enumerate().find_map(|(i, l)| {
        let s: String = l.iter().collect();
        let byte = heads.iter().find_map(|h| s.find(h.as_str()))?;
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
/// offer said neither which case a note was for nor kept more than one, and an edit of a
/// case whose person fields the editor may not change was offered as "Neuer Fall"), and
/// the one restored comes back complete.
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
    let draft = stored
        .iter()
        .find(|d| d.form == "case")
        .expect("the case form's draft");
    let (field, typed) = draft
        .values
        .iter()
        .find(|(k, v)| !k.starts_with('_') && draft.base_values.get(*k) != Some(*v))
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

/// A case of `jc` whose Jugendamt caseworker is `ja`, both assigned.
fn shared_case(db: &Path, jc: &str, ja: &str) -> tandem::domain::CaseId {
    let conn = rusqlite::Connection::open(db).unwrap();
    let id: i64 = conn
        .query_row(
            "SELECT c.id FROM coop_case c JOIN staff j ON j.id = c.jc_staff_id \
             JOIN staff a ON a.id = c.ja_staff_id WHERE j.login = ?1 AND a.login = ?2 \
             AND c.status = 'active' ORDER BY c.id LIMIT 1",
            [jc, ja],
            |r| r.get(0),
        )
        .unwrap();
    tandem::domain::CaseId(id)
}

/// A first conference of a case of `jc` and `ja` (both invited participants), held
/// yesterday at `hour`:`minute` Berlin time, its minutes still to write. Returns its id
/// and case.
fn held_conference(db: &Path, jc: &str, ja: &str, hour: u32, minute: u32) -> (i64, i64) {
    conference(db, (jc, ja), -1, (hour, minute), true)
}

/// A first conference of a case of `people` (the Jobcenter's and the Jugendamt's
/// caseworker, both invited participants) `day` days from today at `time` Berlin time;
/// marked held if `held`. Returns its id and case.
fn conference(
    db: &Path,
    people: (&str, &str),
    day: i64,
    time: (u32, u32),
    held: bool,
) -> (i64, i64) {
    use tandem::domain::conference::{
        ConferenceAction, ConferenceKind, Invitation, Participant, ParticipantRole,
    };
    let (jc, ja) = people;
    let store = open(db);
    let me = store.staff_by_login(jc).unwrap().unwrap();
    let other = store.staff_by_login(ja).unwrap().unwrap();
    let case = shared_case(db, jc, ja);
    let today = store.clock().today();
    let start = (today + chrono::Duration::days(day))
        .and_hms_opt(time.0, time.1, 0)
        .unwrap();
    let participants = [&me, &other]
        .iter()
        .map(|st| Participant {
            staff: Some(st.id.0),
            external_name: String::new(),
            external_org: String::new(),
            agency: Some(st.agency),
            role: ParticipantRole::Pap,
            invitation: Invitation::Invited,
            attendance: None,
            guardian: None,
        })
        .collect();
    let id = store
        .create_conference(
            &me,
            &tandem::model::conference::NewConference {
                case_id: case,
                kind: ConferenceKind::First,
                question: "Wohnsituation".into(),
                start: Some(start),
                duration_min: 60,
                location: String::new(),
                anonymised: true,
                participants,
                topics: vec![],
            },
            today,
        )
        .unwrap();
    let steps: &[ConferenceAction] = if held {
        &[ConferenceAction::Invite, ConferenceAction::MarkHeld]
    } else {
        &[ConferenceAction::Invite]
    };
    for action in steps.iter().copied() {
        let v = store.conference(&me, id).unwrap().version;
        store
            .conference_step(&me, id, v, action, None, "", store.clock().now())
            .unwrap();
    }
    (id, case.0)
}

/// Moves the agenda's or a menu's highlight (`▶`) onto the line containing `needle`.
fn select_line(s: &mut Session, needle: &str) {
    for _ in 0..40 {
        let screen = s.wait_until("a whole frame with one highlight", secs(5), |now| {
            now.lines().filter(|l| l.contains('▶')).count() == 1
        });
        let lines: Vec<&str> = screen.lines().collect();
        let Some(target) = lines.iter().position(|l| l.contains(needle)) else {
            panic!("{needle:?} not shown\n{}", s.dump());
        };
        let Some(at) = lines.iter().position(|l| l.contains('▶')) else {
            panic!("no highlighted line\n{}", s.dump());
        };
        if at == target {
            return;
        }
        s.send(if at > target { b"k" } else { b"j" });
        // A whole frame: exactly one highlight, on another line (between the two writes
        // of a partial frame the screen shows none, which is not "moved").
        s.wait_until("the highlight moved", secs(5), |now| {
            now.lines().filter(|l| l.contains('▶')).count() == 1
                && now.lines().position(|l| l.contains('▶')) != Some(at)
        });
    }
    panic!("could not highlight {needle:?}\n{}", s.dump());
}

/// F3, the conference starting at `time` (shown as "HH:MM–") highlighted and opened, `m`
/// and the step `step` chosen from the menu (its dialog, if it has one, opens).
fn open_step(s: &mut Session, time: &str, step: &str) {
    choose_step(s, time, step);
    s.wait_for(&format!("┌{step}"), secs(5));
}

/// F3, the conference starting at `time` opened, `m` and `step` chosen from the menu.
fn choose_step(s: &mut Session, time: &str, step: &str) {
    // The agenda may be redrawn (a reload tick) between the highlight reaching the line and
    // Enter; then Enter opens another line or none. Try again from F3, a few times.
    for attempt in 0..3 {
        s.send(b"\x1bOR"); // F3
        s.wait_for(&format!("{time}–"), secs(5));
        select_line(s, &format!("{time}–"));
        s.send(b"\r");
        let opened = (0..50).any(|_| {
            std::thread::sleep(Duration::from_millis(100));
            s.screen().contains("Fallkonferenz · ")
        });
        if opened && s.screen().contains(time) {
            break;
        }
        assert!(
            attempt < 2,
            "the conference at {time} did not open\n{}",
            s.dump()
        );
        s.send_esc();
    }
    s.send(b"m");
    s.wait_for("Nächster Schritt", secs(5));
    select_line(s, step);
    s.send(b"\r");
}

/// The conference's stored minutes, their author's login, the last change (UTC, as
/// stored) and its version.
fn minutes_row(db: &Path, id: i64) -> (String, String, String, i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT c.minutes, s.login, c.updated_at, c.version FROM conference c \
         JOIN staff s ON s.id = c.minutes_by WHERE c.id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
    .unwrap()
}

/// Defect 4: two participants write the minutes of one held conference at the same time.
/// The old code wrote the second save over the first without a word. Now B's save is
/// refused: B is told who saved and when (Berlin time), A's minutes are shown in B's
/// dialog, B's own text stays, and the database holds exactly A's minutes. Only B's second
/// Ctrl+S, made with A's text on the screen, replaces them — and A's screen follows.
#[test]
fn minutes_saved_meanwhile_are_shown_not_overwritten() {
    let dir = TestDir::new();
    let db = demo_db(&dir);
    let (id, _) = held_conference(&db, "brinkmann", "straeter", 7, 35);
    let mut a = login(&dir, &db, "brinkmann");
    let mut b = login(&dir, &db, "straeter");
    for s in [&mut a, &mut b] {
        open_step(s, "07:35", "Protokoll und Vereinbarungen");
    }

    a.send("Fassung A: Mutter erreicht".as_bytes());
    a.wait_for("Fassung A: Mutter erreicht", secs(5));
    a.send(CTRL_S);
    a.wait_for("Schritt erfasst.", secs(5));
    let (text, by, at, version) = minutes_row(&db, id);
    assert_eq!(
        (text.as_str(), by.as_str()),
        ("Fassung A: Mutter erreicht", "brinkmann")
    );

    b.send("Fassung B: Wohnung gefunden".as_bytes());
    b.wait_for("Fassung B: Wohnung gefunden", secs(5));
    b.send(CTRL_S);
    let berlin = tandem::domain::tz::format_stored(&at).unwrap();
    let screen = b.wait_for("inzwischen gespeichert", secs(5));
    let notice = box_text(&screen, "Protokoll und Vereinbarungen").expect("the dialog stays open");
    assert!(
        notice.contains(&format!(
            "Sabine Brinkmann hat diese Fallkonferenz inzwischen gespeichert (am {berlin})"
        )),
        "who and when, in Berlin time: {notice}\n{}",
        b.dump()
    );
    let utc = chrono::DateTime::parse_from_rfc3339(&at)
        .unwrap()
        .format("%d.%m.%Y %H:%M")
        .to_string();
    assert_ne!(berlin, utc, "Berlin time, not the host's UTC");
    assert!(
        notice.contains("Deren Protokoll: „Fassung A: Mutter erreicht“"),
        "A's minutes are shown: {notice}"
    );
    assert!(
        notice.contains("Fassung B: Wohnung gefunden"),
        "B's text is still there: {notice}"
    );
    assert_eq!(
        minutes_row(&db, id),
        (text.clone(), by.clone(), at.clone(), version),
        "nothing written over A's minutes"
    );

    // The second Ctrl+S, with A's text in front of B, is a decision: it saves B's text.
    b.send(CTRL_S);
    b.wait_for("Schritt erfasst.", secs(5));
    let (text, by, _, newer) = minutes_row(&db, id);
    assert_eq!(
        (text.as_str(), by.as_str()),
        ("Fassung B: Wohnung gefunden", "straeter")
    );
    assert_eq!(newer, version + 1);
    // A's screen follows the change without a key.
    a.wait_for("Fassung B: Wohnung gefunden", secs(5));
}

/// Who approved the conference's minutes first, and its status.
fn approval(db: &Path, id: i64) -> (Option<String>, String) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT s.login, c.status FROM conference c LEFT JOIN staff s ON s.id = c.approved_by \
         WHERE c.id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

/// Defect 5: an approval covers only the text its signer saw. A (Jobcenter) writes and
/// approves the minutes; B (Jugendamt) then changes them. The old code kept A's approval,
/// so B's approval would have completed the four eyes on text A never read. Now the change
/// clears A's approval in the database, and A is told at the next login who changed the
/// minutes of which conference, and when — once.
#[test]
fn a_change_to_approved_minutes_clears_the_approval_and_tells_the_signer() {
    let dir = TestDir::new();
    let db = demo_db(&dir);
    let (id, case) = held_conference(&db, "brinkmann", "straeter", 7, 35);
    let mut a = login(&dir, &db, "brinkmann");
    open_step(&mut a, "07:35", "Protokoll und Vereinbarungen");
    a.send("Mutter erreicht".as_bytes());
    a.send(CTRL_S);
    a.wait_for("Schritt erfasst.", secs(5));
    a.send(b"m");
    a.wait_for("Nächster Schritt", secs(5));
    select_line(&mut a, "Protokoll freigeben");
    a.send(b"\r");
    a.wait_until("the approval recorded", secs(5), |_| {
        approval(&db, id).0.as_deref() == Some("brinkmann")
    });

    let mut b = login(&dir, &db, "straeter");
    open_step(&mut b, "07:35", "Protokoll und Vereinbarungen");
    let screen = b.wait_for("Mutter erreicht", secs(5));
    assert!(screen.contains("Mutter erreicht"), "A's text is prefilled");
    b.send(", Wohnung gefunden".as_bytes());
    b.wait_for("Mutter erreicht, Wohnung gefunden", secs(5));
    b.send(CTRL_S);
    b.wait_for("Schritt erfasst.", secs(5));
    let (text, by, at, _) = minutes_row(&db, id);
    assert_eq!(
        (text.as_str(), by.as_str()),
        ("Mutter erreicht, Wohnung gefunden", "straeter")
    );
    assert_eq!(
        approval(&db, id),
        (None, "minutes_draft".to_string()),
        "A's approval is cleared"
    );
    b.send(b"q");
    assert_eq!(b.wait_exit(secs(5)), 0, "{}", b.dump());

    // A's next login says so.
    a.send_esc();
    a.send(b"q");
    assert_eq!(a.wait_exit(secs(5)), 0, "{}", a.dump());
    let held_on = (tandem::domain::Clock::system().today() - chrono::Duration::days(1))
        .format("%d.%m.%Y")
        .to_string();
    let berlin = tandem::domain::tz::format_stored(&at).unwrap();
    let mut a = login(&dir, &db, "brinkmann");
    let screen = a.wait_for("Ihre Freigabe", secs(5));
    let notice = format!(
        "Ihre Freigabe des Protokolls der Fallkonferenz vom {held_on} (Fall {case}) ist \
         aufgehoben: Björn Sträter hat das Protokoll am {berlin} geändert. Bitte erneut prüfen."
    );
    let shown: String = screen
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(shown.contains(&notice), "{notice}\n{}", a.dump());
    a.send(b"q");
    assert_eq!(a.wait_exit(secs(5)), 0, "{}", a.dump());
    // Told once.
    let a = login(&dir, &db, "brinkmann");
    thread::sleep(Duration::from_millis(300));
    assert!(!a.screen().contains("Ihre Freigabe"), "{}", a.dump());
}

/// The stored drafts of `user` for conference `id` under `form`.
fn conf_drafts(db: &Path, user: &str, form: &str, id: i64) -> Vec<Draft> {
    drafts(db, user)
        .into_iter()
        .filter(|d| d.form == form && d.record_id == id)
        .collect()
}

/// Esc in the open dialog `title` holding `typed`: the question comes; "n" and then Esc
/// as answers both keep the dialog with the text; the draft `form` of conference `id`
/// stays stored. Finally Esc and "j" discard it: dialog and draft are gone.
fn esc_asks_first(s: &mut Session, db: &Path, (title, typed): (&str, &str), form: &str, id: i64) {
    wait_drafts(db, "brinkmann", &format!("the draft of {title}"), |d| {
        d.iter()
            .any(|d| d.form == form && d.record_id == id && d.values.values().any(|v| v == typed))
    });
    for answer in [&b"n"[..], b"\x1b"] {
        s.send_esc();
        let asked = question(s);
        assert!(
            asked.contains(
                "Es gibt ungespeicherte Eingaben. Formular schließen und Eingaben verwerfen?"
            ),
            "{title}: {asked}\n{}",
            s.dump()
        );
        s.send(answer);
        let screen = s.wait_until("the question answered", secs(5), |screen| {
            !screen.contains("┌ Rückfrage ")
        });
        assert!(
            screen.contains(&format!("┌{title}")) && screen.contains(typed),
            "{title}: the dialog stays with the text after {answer:?}\n{}",
            s.dump()
        );
        assert_eq!(
            conf_drafts(db, "brinkmann", form, id).len(),
            1,
            "{title}: the draft stays"
        );
    }
    s.send_esc();
    question(s);
    s.send(b"j");
    s.wait_until("the dialog closed", secs(5), |screen| {
        !screen.contains(&format!("┌{title}")) && !screen.contains("┌ Rückfrage ")
    });
    wait_drafts(
        db,
        "brinkmann",
        &format!("no draft of {title} after discarding"),
        |d| !d.iter().any(|d| d.form == form && d.record_id == id),
    );
}

/// Defect 6: Esc in a conference dialog with typed text threw the text away at once in
/// the old code (only the case form asked). Now the minutes, "Vertagen" and "Absagen"
/// ask first; "Nein" — by `n` or by Esc — keeps the dialog with its text and the draft;
/// only "Ja" discards, and nothing was saved to the conference.
#[test]
fn esc_in_a_conference_dialog_asks_before_discarding() {
    let dir = TestDir::new();
    let db = demo_db(&dir);
    let (held, _) = held_conference(&db, "brinkmann", "straeter", 7, 35);
    let (planned, _) = conference(&db, ("brinkmann", "straeter"), 1, (7, 50), false);
    let before = minutes_row_any(&db, held);
    let planned_before = status_of(&db, planned);
    let mut s = login(&dir, &db, "brinkmann");

    open_step(&mut s, "07:35", "Protokoll und Vereinbarungen");
    s.send("Mutter erreicht".as_bytes());
    s.wait_for("Mutter erreicht", secs(5));
    esc_asks_first(
        &mut s,
        &db,
        ("Protokoll und Vereinbarungen", "Mutter erreicht"),
        "minutes",
        held,
    );
    s.send_esc(); // back to the agenda

    open_step(&mut s, "07:50", "Vertagen (neuer Termin)");
    s.send(TAB);
    s.send("Mutter im Urlaub".as_bytes());
    s.wait_for("Mutter im Urlaub", secs(5));
    esc_asks_first(
        &mut s,
        &db,
        ("Vertagen (neuer Termin)", "Mutter im Urlaub"),
        "conf-postpone",
        planned,
    );
    s.send_esc();

    open_step(&mut s, "07:50", "Absagen");
    s.send("Familie verzogen".as_bytes());
    s.wait_for("Familie verzogen", secs(5));
    esc_asks_first(
        &mut s,
        &db,
        ("Absagen", "Familie verzogen"),
        "conf-cancel",
        planned,
    );

    assert_eq!(minutes_row_any(&db, held), before, "no minutes saved");
    assert_eq!(
        status_of(&db, planned),
        planned_before,
        "neither postponed nor cancelled"
    );
    s.send(b"q");
    assert_eq!(s.wait_exit(secs(5)), 0, "{}", s.dump());
}

/// The conference's minutes and version.
fn minutes_row_any(db: &Path, id: i64) -> (String, i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT minutes, version FROM conference WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

/// The conference's status, start and version.
fn status_of(db: &Path, id: i64) -> (String, Option<String>, i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT status, starts_at, version FROM conference WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .unwrap()
}

/// A start for a 90-minute conference of `people` in `room`, at least two weeks ahead:
/// a working day, within working hours, nobody and the room free.
fn free_slot(db: &Path, people: &[&str], room: &str) -> chrono::NaiveDateTime {
    use tandem::domain::schedule::{WorkingHours, clashes, slot_problems};
    let store = open(db);
    let ids: Vec<i64> = people
        .iter()
        .map(|p| store.staff_by_login(p).unwrap().unwrap().id.0)
        .collect();
    let now = tandem::domain::tz::to_local(store.clock().now());
    let cal = tandem::app::screens::cp::CpSettings::default().calendar();
    let apps = store
        .calendar_between(now, now + chrono::Duration::days(120))
        .unwrap();
    (14..100)
        .map(|d| {
            (now.date() + chrono::Duration::days(d))
                .and_hms_opt(14, 0, 0)
                .unwrap()
        })
        .find(|t| {
            let end = *t + chrono::Duration::minutes(90);
            slot_problems(*t, end, now, &cal, &WorkingHours::default()).is_empty()
                && clashes(*t, end, &ids, Some(room), &apps, None).is_empty()
        })
        .expect("a free slot")
}

/// The conferences of case `case` (all states).
fn conferences_of(db: &Path, case: i64) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT count(*) FROM conference WHERE case_id = ?1",
        [case],
        |r| r.get(0),
    )
    .unwrap()
}

/// Defect 8: two people plan a conference for the same slot, the same people and the same
/// room at the same moment. Both forms say "all free" — they were, when checked. The old
/// code saved both: a double booking nobody saw. Now the store repeats the clash check
/// inside the saving transaction: A's save books the slot, B's is refused with the clash
/// named in B's form, and the database holds one conference, not two.
#[test]
fn two_planners_of_one_slot_cannot_both_book_it() {
    let dir = TestDir::new();
    let db = demo_db(&dir);
    let case = shared_case(&db, "brinkmann", "straeter").0;
    let room = "Raum 2.14";
    let start = free_slot(&db, &["brinkmann", "straeter"], room);
    let start_text = start.format("%d.%m.%Y %H:%M").to_string();
    let before = conferences_of(&db, case);
    let mut a = login(&dir, &db, "brinkmann");
    let mut b = login(&dir, &db, "straeter");
    for (s, question) in [
        (&mut a, "Wohnsituation klären"),
        (&mut b, "Schulden klären"),
    ] {
        s.send(b"\x1bOR"); // F3
        s.wait_for("Termine und Fallkonferenzen", secs(5));
        s.send(b"n");
        s.wait_for("Fall (Nummer oder Name)", secs(5));
        s.send(case.to_string().as_bytes());
        s.send(TAB);
        s.send(TAB);
        s.send(question.as_bytes());
        s.send(TAB);
        s.send(start_text.as_bytes());
        s.send(TAB);
        s.send(TAB);
        s.send(room.as_bytes());
        s.wait_for(room, secs(5));
        s.wait_for("✓ Alle Teilnehmenden und der Raum sind frei.", secs(5));
    }

    a.send(CTRL_S);
    a.wait_until("A's conference saved", secs(5), |screen| {
        screen.contains("Fallkonferenz · ") && !screen.contains("Alle Teilnehmenden")
    });
    assert_eq!(conferences_of(&db, case), before + 1, "A booked the slot");

    b.send(CTRL_S);
    let screen = b.wait_for("Inzwischen ist eine beteiligte Person", secs(5));
    let shown: String = screen.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    assert!(
        shown.contains("Nichts gespeichert."),
        "B is told nothing was saved\n{}",
        b.dump()
    );
    assert!(
        screen.contains("⚠") && !screen.contains("✓ Alle Teilnehmenden"),
        "the booking made meanwhile is shown in B's form\n{}",
        b.dump()
    );
    assert_eq!(conferences_of(&db, case), before + 1, "no double booking");
}

/// #12: a running session of a person who is deactivated meanwhile ends within 60 s —
/// its typed note kept as a draft, the reason named in one German line, the lock in the
/// audit log — and the next login of that person is refused.
#[test]
fn a_session_of_a_person_deactivated_meanwhile_locks_within_a_minute() {
    let dir = TestDir::new();
    let db = demo_db(&dir);
    let mut s = login(&dir, &db, "karaca");
    s.wait_for("Fall 1 von", secs(5));
    s.send(b"\r");
    s.send(b"o");
    s.wait_for("Notiz", secs(5));
    s.send("Rückruf vereinbart".as_bytes());
    wait_drafts(&db, "karaca", "the note", |d| {
        d.iter()
            .any(|d| d.values.values().any(|v| v.contains("Rückruf vereinbart")))
    });

    let store = open(&db);
    let me = store.staff_by_login("karaca").unwrap().unwrap();
    store.set_staff_active(me.id, false).unwrap();
    let deactivated = Instant::now();
    let code = s.wait_exit(secs(60));
    let took = deactivated.elapsed();
    assert!(took < secs(60), "locked after {took:?}");
    assert_eq!(code, 0, "{}", s.dump());
    let out = s.output();
    assert!(
        out.contains("Ihr Zugang wurde deaktiviert"),
        "the reason is named\n{out}"
    );
    assert!(
        drafts(&db, "karaca")
            .iter()
            .any(|d| d.values.values().any(|v| v.contains("Rückruf vereinbart"))),
        "the note is kept"
    );
    let log = open(&db).audit_tail(20).unwrap();
    assert!(
        log.iter()
            .any(|r| r.staff_id == Some(me.id.0) && r.detail.as_deref() == Some("deactivated")),
        "the lock is logged with its reason: {log:?}"
    );

    // The next login is refused (77).
    let mut again = Session::spawn(&["--db", &path_arg(&db), "--user", "karaca"], &dir.env());
    assert_eq!(again.wait_exit(secs(10)), 77, "{}", again.dump());
}
