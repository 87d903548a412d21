//! Issue 22 acceptance (docs/access.md A4, A5): after a revocation, the partner finds none of
//! the case's measure texts, minutes or consent details on any screen (F2–F6) or in any
//! export.
//!
//! The real binary in an 80×24 pseudo-terminal, as the partner agency's caseworker of a demo
//! case. Through the store, the owner's caseworker records a consent with a unique document
//! reference and period, a measure, a held conference with minutes and a decision, and a
//! planned follow-up conference — every text carries the marker `QX7`. The partner walks
//! every screen (every case of the caseload, scrolled to its end; the agenda, six weeks back
//! in the week view, every conference opened and scrolled; F4, F5, F6) and exports the
//! calendar: first as a positive control (every marker is found), then after the owner
//! revokes the consent (no marker anywhere). The owner still sees the case's measures.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "tests fail loudly and print their figures"
)]

#[path = "support/pty.rs"]
mod pty_support;

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime, Utc};
use pty_support::{Output, Session, TestDir, case_total, run_plain};
use tandem::domain::casefile::{MeasureStatus, Responsible};
use tandem::domain::conference::{
    ConferenceAction, ConferenceKind, DecisionDraft, Invitation, Participant, ParticipantRole,
};
use tandem::domain::consent::{
    Consent, ConsentForm, ConsentId, ConsentStatus, DataCategory, DeclaredBy, Purpose, RevokedHow,
};
use tandem::domain::date::format_german_date;
use tandem::domain::{Agency, CaseId, Staff, tz};
use tandem::model::conference::NewConference;
use tandem::storage::{OpenMode, Store};

/// The prefix of every marker text: nothing else in the demo contains it.
const MARK: &str = "QX7";
/// Text of the measure the owner records.
const MEASURE: &str = "QX7M Bewerbungsmappe";
/// Question of the held conference.
const QUESTION: &str = "QX7F Wohnsituation";
/// Location of the held conference.
const LOCATION: &str = "QX7L Raum";
/// Minutes of the held conference.
const MINUTES: &str = "QX7P Mutter telefonisch erreicht";
/// The decision in the minutes (it becomes a measure of the case file).
const DECISION: &str = "QX7D Praktikum anfragen";
/// Question of the planned follow-up conference (cancelled by the revocation, A5).
const FOLLOW_QUESTION: &str = "QX7K Folgetermin";
/// Location of the planned follow-up conference.
const FOLLOW_LOCATION: &str = "QX7O Raum";
/// "Beleg" of the consent.
const DOCUMENT_REF: &str = "QX7B-2026";

/// Title of the help overlay, used as a barrier: once it is shown, every key sent before
/// it has been handled and drawn.
const HELP: &str = "Hilfe – Tastenbelegung";
/// Title of the agenda (F3).
const AGENDA: &str = "Termine und Fallkonferenzen";
/// Rows of the screen body that hold the case file's lines (below the title row).
const FILE_ROWS: std::ops::Range<usize> = 2..22;

const PAGE_DOWN: &[u8] = b"\x1b[6~";
const PAGE_UP: &[u8] = b"\x1b[5~";
/// Backspace: "zurück" in the case file and the conference, without the pause Esc needs.
const BACK: &[u8] = b"\x7f";

/// At most this many cases of the caseload are opened.
const MAX_CASES: usize = 60;
/// At most this many agenda items are visited.
const MAX_ITEMS: usize = 120;
/// Weeks paged back in the week view.
const WEEKS_BACK: usize = 6;

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Today in Berlin: the clock of the binary under test.
fn today() -> NaiveDate {
    tz::to_local(Utc::now()).date()
}

fn at(day: NaiveDate, h: u32) -> NaiveDateTime {
    day.and_hms_opt(h, 0, 0).unwrap()
}

/// Everything the partner's walk captured: (where, screen text).
type Captured = Vec<(String, String)>;

/// Waits until `pred` holds on a screen that then stays the same for one more poll (the
/// frame is complete), and returns it.
fn settled(s: &mut Session, what: &str, pred: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    let mut prev = s.wait_until(what, secs(15), &pred);
    for _ in 0..500 {
        thread::sleep(Duration::from_millis(30));
        let cur = s.screen();
        if cur == prev && pred(&cur) {
            return cur;
        }
        prev = cur;
        if started.elapsed() > secs(20) {
            break;
        }
    }
    panic!("{what}: the screen did not settle\n{}", s.dump());
}

/// Opens and closes the help overlay: afterwards every key sent before has been handled
/// and its frame drawn. Returns the settled screen.
fn barrier(s: &mut Session) -> String {
    s.send(b"?");
    settled(s, "help shown", |x| x.contains(HELP));
    s.send(b"?");
    settled(s, "help closed", |x| !x.contains(HELP))
}

/// The rows of the current screen (all of them, padded to the width).
fn rows(s: &Session) -> Vec<String> {
    let r = s.rows();
    assert_eq!(r.len(), usize::from(pty_support::ROWS));
    r
}

/// F2: opens every case of the caseload and scrolls each case file to its end.
fn walk_cases(s: &mut Session, out: &mut Captured) {
    s.send(b"1");
    // The count follows the first frame once the keys pause (docs/performance.md § 2.4).
    let list = settled(s, "case list", |x| {
        case_total(x).is_some() && x.contains("Fall 1 von") && !x.contains("Fallakte: ")
    });
    let total = case_total(&list).expect("position line of the case list");
    assert!(
        (1..=MAX_CASES).contains(&total),
        "caseload of {total} cases (bound {MAX_CASES})\n{list}"
    );
    out.push(("F2 Fallliste".into(), list));
    for k in 1..=total {
        let pos = format!("Fall {k} von {total}");
        if k > 1 {
            s.send(b"j");
            let list = settled(s, &pos, |x| x.contains(&pos) && !x.contains("Fallakte: "));
            out.push((format!("F2 Fallliste {pos}"), list));
        }
        s.send(b"\r");
        let mut screen = settled(s, "case file", |x| {
            x.contains("Fallakte: ") && !x.contains(&pos)
        });
        let mut seen_timeline = false;
        for page in 0.. {
            assert!(page < 25, "case file {k} longer than 25 pages\n{screen}");
            let r = rows(s);
            out.push((
                format!("F2 Fallakte ({pos}), Seite {}", page + 1),
                screen.clone(),
            ));
            seen_timeline |= r[FILE_ROWS].iter().any(|l| l.trim_end() == "Verlauf");
            // The timeline is the last section and has no empty lines: an empty last row
            // after its heading is the end of the file.
            let all_blank = r[FILE_ROWS].iter().all(|l| l.trim().is_empty());
            if all_blank || (seen_timeline && r[FILE_ROWS.end - 1].trim().is_empty()) {
                break;
            }
            let before = screen.clone();
            s.send(PAGE_DOWN);
            screen = settled(s, "case file scrolled", |x| x != before);
        }
        s.send(BACK);
        settled(s, "back to the list", |x| {
            x.contains(&pos) && !x.contains("Fallakte: ")
        });
    }
}

/// Whether the screen shows one conference (its first body row is the detail title).
fn is_detail(screen: &str) -> bool {
    screen
        .lines()
        .nth(1)
        .is_some_and(|l| l.starts_with("Fallkonferenz · "))
}

/// Whether the screen shows the agenda list (its title scrolls away with the cursor, so
/// the footer tells it from the week view and the conference).
fn is_agenda(screen: &str) -> bool {
    !is_detail(screen)
        && !screen
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("Woche "))
        && screen.contains("w Woche")
}

/// F3: the agenda, the week view paged back, and every item opened and scrolled.
fn walk_conferences(s: &mut Session, out: &mut Captured) {
    s.send(b"2");
    let agenda = settled(s, "agenda", |x| is_agenda(x) && x.contains(AGENDA));
    out.push(("F3 Agenda".into(), agenda));
    // The week view of the highlighted item, then weeks back (each reloads the agenda
    // window, which then starts at the earliest week shown).
    s.send(b"w");
    let mut week = settled(s, "week view", |x| {
        x.lines().nth(1).is_some_and(|l| l.starts_with("Woche "))
    });
    out.push(("F3 Woche".into(), week.clone()));
    for w in 1..=WEEKS_BACK {
        let before = week.clone();
        s.send(PAGE_UP);
        week = settled(s, "previous week", |x| {
            x != before && x.lines().nth(1).is_some_and(|l| l.starts_with("Woche "))
        });
        out.push((format!("F3 Woche −{w}"), week.clone()));
    }
    s.send(b"w");
    settled(s, "agenda again", is_agenda);
    s.send(b"g");
    let mut cur = barrier(s);
    let mut stuck = 0;
    for item in 1..=MAX_ITEMS {
        out.push((format!("F3 Agenda, Eintrag {item}"), cur.clone()));
        s.send(b"\r");
        let mut detail = barrier(s);
        if is_detail(&detail) {
            for page in 1..=8 {
                out.push((
                    format!("F3 Konferenz (Eintrag {item}), Seite {page}"),
                    detail.clone(),
                ));
                s.send(PAGE_DOWN);
                let next = barrier(s);
                if next == detail {
                    break;
                }
                detail = next;
            }
            s.send(BACK);
            settled(s, "agenda after a conference", is_agenda);
        }
        s.send(b"j");
        let next = barrier(s);
        if next == cur {
            // The end of the agenda (or two identical lines: then the next `j` moves on).
            stuck += 1;
            if stuck >= 2 {
                return;
            }
        } else {
            stuck = 0;
        }
        cur = next;
    }
    panic!("more than {MAX_ITEMS} agenda items\n{}", s.dump());
}

/// The whole walk of one login: F2–F6. Returns every captured screen.
fn walk(db: &str, login: &str, dir: &TestDir) -> Captured {
    let mut s = Session::spawn(&["--db", db, "--user", login], &dir.env());
    settled(&mut s, "first screen", |x| {
        x.contains("Fall 1 von") || x.contains("keine Fälle")
    });
    let mut out = Captured::new();
    walk_cases(&mut s, &mut out);
    walk_conferences(&mut s, &mut out);
    for (key, name) in [(b"3", "F4"), (b"4", "F5"), (b"5", "F6")] {
        s.send(key);
        out.push((name.to_string(), barrier(&mut s)));
    }
    s.send(b"q");
    assert_eq!(s.wait_exit(secs(10)), 0, "clean exit\n{}", s.dump());
    out
}

/// `tandem export ics` as `login`: the feed of a wide window and the single conference
/// `id`. Returns (what, output) for each.
fn exports(dir: &TestDir, db: &str, login: &str, id: i64, tag: &str) -> Vec<(String, Output)> {
    let from = format_german_date(today() - chrono::Duration::days(60));
    let to = format_german_date(today() + chrono::Duration::days(120));
    let file = dir.arg(&format!("feed-{tag}.ics"));
    let feed = run_plain(
        dir,
        &[
            "export", "ics", "--db", db, "--user", login, "--from", &from, "--to", &to, "--out",
            &file,
        ],
        &dir.env(),
        secs(20),
    );
    let mut feed_out = feed;
    if feed_out.code == Some(0) {
        // The calendar went to the file: read it with what the command printed.
        let text = std::fs::read_to_string(&file).expect("the exported calendar file");
        assert!(text.starts_with("BEGIN:VCALENDAR"), "{text}");
        feed_out.stdout.push_str(&text);
    }
    let id = id.to_string();
    let one = run_plain(
        dir,
        &[
            "export",
            "ics",
            "--db",
            db,
            "--user",
            login,
            "--conference",
            &id,
        ],
        &dir.env(),
        secs(20),
    );
    vec![
        (format!("export ics --from {from} --to {to}"), feed_out),
        (format!("export ics --conference {id}"), one),
    ]
}

/// The first line of every capture that contains `needle`, as "where: line".
fn hits(captured: &Captured, needle: &str) -> Vec<String> {
    captured
        .iter()
        .filter_map(|(place, screen)| {
            screen
                .lines()
                .find(|l| l.contains(needle))
                .map(|l| format!("{place}: {}", l.trim()))
        })
        .collect()
}

/// What the test sets up.
struct Setup {
    case: CaseId,
    owner: Staff,
    partner: Staff,
    consent: Consent,
    held: i64,
    planned: i64,
}

/// A demo case of `brinkmann` (Jobcenter, owner) with a Jugendamt caseworker assigned whose
/// own consents do not reach that partner today; then the marker consent, measure and
/// conferences.
fn prepare(db: &Path) -> Setup {
    let store = Store::open(db, OpenMode::CreateOrMigrate).unwrap();
    let today = today();
    tandem::demo::write(&store, &tandem::demo::demo_data(today)).unwrap();
    let owner = store.staff_by_login("brinkmann").unwrap().unwrap();
    let mut chosen = None;
    for id in 1..=300 {
        let Ok(case) = store.load_case(&owner, CaseId(id)) else {
            continue;
        };
        let Some(ja) = case.ja_staff else { continue };
        if case.owner != Agency::Jobcenter || case.jc_staff != Some(owner.id) {
            continue;
        }
        let partner = store.staff_by_id(ja).unwrap().unwrap();
        let view = store.case_file(&partner, case.id, today).unwrap();
        if view.consents.is_empty() && view.measures.is_empty() {
            chosen = Some((case, partner));
            break;
        }
    }
    let (case, partner) = chosen.expect("a case of brinkmann with a JA caseworker and no consent");

    let signed = today - chrono::Duration::days(41);
    let mut consent = Consent {
        id: ConsentId(0),
        case_id: case.id.0,
        recorded_by: Agency::Jobcenter,
        declared_by: DeclaredBy::YoungPerson,
        representation_reason: None,
        insight_checked: true,
        signed_on: signed,
        form: ConsentForm::Written,
        document_ref: DOCUMENT_REF.into(),
        purposes: vec![Purpose::Conference, Purpose::MutualInformation],
        categories: vec![DataCategory::MasterData, DataCategory::Measures],
        recipient_agencies: vec![Agency::Jobcenter, Agency::Jugendamt],
        recipient_staff: Vec::new(),
        external_recipients: String::new(),
        recurring: false,
        valid_from: signed,
        // An end no demo consent has: with the start, the consent's unique line.
        valid_until: today + chrono::Duration::days(333),
        info_purpose: true,
        info_refusal: true,
        info_revocable: true,
        status: ConsentStatus::Granted,
        revoked_on: None,
        revoked_how: None,
        version: 1,
    };
    consent.id = store.add_consent(&owner, &consent).unwrap();

    store
        .add_measure(
            &owner,
            case.id,
            &tandem::domain::casefile::Measure {
                id: 0,
                text: MEASURE.into(),
                responsible: Responsible::Staff(Agency::Jobcenter, owner.id),
                due_on: today + chrono::Duration::days(20),
                status: MeasureStatus::Open,
                result: String::new(),
            },
        )
        .unwrap();

    let participants = vec![
        participant(&owner, ParticipantRole::Pap),
        participant(&partner, ParticipantRole::Asd),
    ];
    let new = |question: &str, location: &str, start| NewConference {
        case_id: case.id,
        kind: ConferenceKind::FollowUp,
        question: question.into(),
        start: Some(start),
        duration_min: 60,
        location: location.into(),
        anonymised: false,
        participants: participants.clone(),
        topics: vec![DataCategory::Measures],
    };
    let now = Utc::now();
    // Held two days ago, minutes with a decision.
    let held = store
        .create_conference(
            &owner,
            &new(
                QUESTION,
                LOCATION,
                at(today - chrono::Duration::days(2), 10),
            ),
            today,
        )
        .unwrap();
    for action in [ConferenceAction::Invite, ConferenceAction::MarkHeld] {
        let v = store.conference(&owner, held).unwrap().version;
        store
            .conference_step(&owner, held, v, action, None, "", now)
            .unwrap();
    }
    let v = store.conference(&owner, held).unwrap().version;
    store
        .save_minutes(
            &owner,
            held,
            v,
            MINUTES,
            &[DecisionDraft {
                text: DECISION.into(),
                responsible: Some(Responsible::Staff(Agency::Jobcenter, owner.id)),
                due_on: Some(today + chrono::Duration::days(14)),
                category: None,
            }],
            now,
        )
        .unwrap();
    // A follow-up in ten days, invited.
    let planned = store
        .create_conference(
            &owner,
            &new(
                FOLLOW_QUESTION,
                FOLLOW_LOCATION,
                at(today + chrono::Duration::days(10), 10),
            ),
            today,
        )
        .unwrap();
    let v = store.conference(&owner, planned).unwrap().version;
    store
        .conference_step(&owner, planned, v, ConferenceAction::Invite, None, "", now)
        .unwrap();
    let consent = store
        .case_file(&owner, case.id, today)
        .unwrap()
        .consents
        .into_iter()
        .find(|c| c.id == consent.id)
        .expect("the owner reads the consent");
    Setup {
        case: case.id,
        owner,
        partner,
        consent,
        held,
        planned,
    }
}

fn participant(s: &Staff, role: ParticipantRole) -> Participant {
    Participant {
        staff: Some(s.id.0),
        external_name: String::new(),
        external_org: String::new(),
        agency: Some(s.agency),
        role,
        invitation: Invitation::Invited,
        attendance: None,
        guardian: None,
    }
}

/// The owner's case file, opened through the filter, scrolled until `needle` shows.
fn owner_sees(dir: &TestDir, db: &str, owner: &Staff, surname: &str, needle: &str) -> bool {
    let mut s = Session::spawn(&["--db", db, "--user", &owner.login], &dir.env());
    settled(&mut s, "owner's list", |x| x.contains("Fall 1 von"));
    s.send(b"/");
    s.send(surname.as_bytes());
    s.send(b"\r");
    barrier(&mut s);
    s.send(b"\r");
    let mut screen = settled(&mut s, "owner's case file", |x| {
        x.contains(&format!("Fallakte: {surname}"))
    });
    let mut found = false;
    for _ in 0..20 {
        if screen.contains(needle) {
            found = true;
            break;
        }
        let before = screen.clone();
        s.send(PAGE_DOWN);
        screen = barrier(&mut s);
        if screen == before {
            break;
        }
    }
    s.send(b"q");
    assert_eq!(s.wait_exit(secs(10)), 0, "{}", s.dump());
    found
}

#[test]
fn after_a_revocation_the_partner_finds_nothing_of_the_case_on_any_screen_or_export() {
    let started = Instant::now();
    let dir = TestDir::new();
    let db_path = dir.join("t.db");
    let setup = prepare(&db_path);
    let db = dir.arg("t.db");
    let prepared = started.elapsed();
    let period = format!(
        "{} – {}",
        format_german_date(setup.consent.valid_from),
        format_german_date(setup.consent.valid_until)
    );
    // Every marker, what it is, and whether the partner's walk shows it before the
    // revocation. The document reference ("Beleg") is drawn on no screen and written to no
    // export, not even for the owner: it is only checked for absence.
    let markers: Vec<(&str, String, bool)> = vec![
        ("measure text", MEASURE.to_string(), true),
        ("decision text", DECISION.to_string(), true),
        ("minutes text", MINUTES.to_string(), true),
        ("conference question", QUESTION.to_string(), true),
        ("conference location", LOCATION.to_string(), true),
        ("follow-up question", FOLLOW_QUESTION.to_string(), true),
        ("follow-up location", FOLLOW_LOCATION.to_string(), true),
        (
            "consent document reference",
            DOCUMENT_REF.to_string(),
            false,
        ),
        ("consent period", period.clone(), true),
    ];

    // Positive control: before the revocation the walk reaches the case's records.
    let before = walk(&db, &setup.partner.login, &dir);
    let mut before_all = before.clone();
    for (what, out) in exports(&dir, &db, &setup.partner.login, setup.held, "before") {
        assert_eq!(out.code, Some(0), "{what} before the revocation: {out:?}");
        before_all.push((what, out.stdout));
    }
    let walked_before = started.elapsed();
    for (what, text, _) in &markers {
        println!(
            "before: {what}: {}",
            hits(&before_all, text)
                .first()
                .map_or("not shown", String::as_str)
        );
    }
    for (what, text, _) in markers.iter().filter(|m| m.2) {
        assert!(
            !hits(&before_all, text).is_empty(),
            "positive control: the partner's walk finds the {what} {text:?} before the \
             revocation ({} screens captured)",
            before.len()
        );
    }
    assert!(
        !hits(&before_all, LOCATION)
            .iter()
            .filter(|h| h.starts_with("export"))
            .collect::<Vec<_>>()
            .is_empty(),
        "the calendar export carries the conference before the revocation"
    );

    // The young person revokes; the owner's caseworker records it.
    {
        let store = Store::open(&db_path, OpenMode::Existing).unwrap();
        store
            .revoke_consent(&setup.owner, &setup.consent, today(), RevokedHow::Written)
            .unwrap();
        // The store agrees before the screens are asked.
        let view = store
            .case_file(&setup.partner, setup.case, today())
            .unwrap();
        assert!(view.consents.is_empty(), "{:?}", view.consents);
        assert!(
            view.measures.iter().all(|m| !m.text.contains(MARK)),
            "{:?}",
            view.measures
        );
        let owner_view = store.case_file(&setup.owner, setup.case, today()).unwrap();
        for text in [MEASURE, DECISION] {
            assert!(
                owner_view.measures.iter().any(|m| m.text == text),
                "the owner keeps {text:?}"
            );
        }
        let planned = store.conference(&setup.owner, setup.planned).unwrap();
        assert_eq!(
            planned.status,
            tandem::domain::conference::ConferenceStatus::Cancelled,
            "A5: the planned follow-up is cancelled"
        );
    }

    let after = walk(&db, &setup.partner.login, &dir);
    let mut after_all = after.clone();
    for (what, out) in exports(&dir, &db, &setup.partner.login, setup.held, "after") {
        if what.contains("--conference") {
            assert_eq!(
                out.code,
                Some(1),
                "the held conference is no longer the partner's to export: {out:?}"
            );
        } else {
            assert_eq!(out.code, Some(0), "{what} after the revocation: {out:?}");
        }
        after_all.push((
            format!("{what} (exit {:?})", out.code),
            format!("{}{}", out.stdout, out.stderr),
        ));
    }
    let walked_after = started.elapsed();
    let mut leaks = Vec::new();
    for (what, text, _) in &markers {
        for h in hits(&after_all, text) {
            leaks.push(format!("{what} {text:?} on {h}"));
        }
    }
    for h in hits(&after_all, MARK) {
        if !leaks.iter().any(|l| l.ends_with(&h)) {
            leaks.push(format!("a marker {MARK:?} on {h}"));
        }
    }

    // The owner's side still sees its measure and the decision.
    let surname = {
        let store = Store::open(&db_path, OpenMode::Existing).unwrap();
        store
            .load_case(&setup.owner, setup.case)
            .unwrap()
            .person
            .surname
    };
    let owner_measure = owner_sees(&dir, &db, &setup.owner, &surname, MEASURE);

    let cases = before
        .iter()
        .filter(|(p, _)| p.ends_with("Seite 1") && p.starts_with("F2"))
        .count();
    let conferences = before
        .iter()
        .filter(|(p, _)| p.ends_with("Seite 1") && p.starts_with("F3"))
        .count();
    println!("pty_revocation: {cases} case files and {conferences} conferences opened before");
    println!(
        "pty_revocation: case {} (owner {}, partner {}); {} screens before, {} after; \
         prepared {:.1} s, walk before {:.1} s, walk after {:.1} s, total {:.1} s",
        setup.case.0,
        setup.owner.login,
        setup.partner.login,
        before.len(),
        after.len(),
        prepared.as_secs_f64(),
        walked_before.saturating_sub(prepared).as_secs_f64(),
        walked_after.saturating_sub(walked_before).as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        leaks.is_empty(),
        "after the revocation the partner still finds:\n{}",
        leaks.join("\n")
    );
    assert!(
        owner_measure,
        "the owner still sees the measure {MEASURE:?} in the case file"
    );
}
