//! The iCalendar export of conferences, checked by an independent parser: the Python
//! `icalendar` package (installed by the test itself when missing). Covers the daylight-saving
//! switch in October, stable UIDs, SEQUENCE after a postponement, METHOD:CANCEL after a
//! cancellation, the privacy of the SUMMARY, CRLF and line folding, and the command line
//! `tandem export ics` (file mode, exit codes).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone as _, Utc};
use support::today;
use tandem::domain::conference::{
    ConferenceAction, ConferenceKind, Invitation, Participant, ParticipantRole,
};
use tandem::domain::{Agency, CaseStatus, CoopCase, Staff, tz};
use tandem::export::{Export, Selection, conferences_ics};
use tandem::model::conference::NewConference;
use tandem::model::list::{ListQuery, PageAnchor};
use tandem::storage::{OpenMode, Store};

const HOST: &str = "tandem.herten.example";

/// Prints the calendar's METHOD, then one tab-separated line per VEVENT: UID, SEQUENCE,
/// STATUS, DTSTART in Berlin time and in UTC, SUMMARY.
const PARSER: &str = r#"
import sys, datetime
from zoneinfo import ZoneInfo
import icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
print("METHOD\t" + str(cal.get("METHOD")))
for ev in cal.walk("VEVENT"):
    start = ev.decoded("DTSTART")
    if start.tzinfo is None:
        raise SystemExit("DTSTART without time zone: " + str(ev.get("UID")))
    local = start.astimezone(ZoneInfo("Europe/Berlin"))
    utc = start.astimezone(datetime.timezone.utc)
    print("\t".join([
        "EVENT",
        str(ev.get("UID")),
        str(ev.decoded("SEQUENCE")),
        str(ev.get("STATUS")),
        local.strftime("%Y-%m-%dT%H:%M"),
        utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        str(ev.get("SUMMARY")),
    ]))
    end = ev.decoded("DTEND")
    print("\t".join(["END", str(ev.get("UID")), end.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")]))
    org = ev.get("ORGANIZER")
    if org is not None:
        print("\t".join(["ORGANIZER", str(ev.get("UID")), str(org), str(org.params.get("CN", ""))]))
    att = ev.get("ATTENDEE") or []
    if not isinstance(att, list):
        att = [att]
    for a in att:
        print("\t".join(["ATTENDEE", str(ev.get("UID")), str(a), str(a.params.get("PARTSTAT", ""))]))
"#;

/// One parsed event.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Event {
    uid: String,
    sequence: u32,
    status: String,
    local: String,
    utc: String,
    /// DTEND in UTC.
    end_utc: String,
    summary: String,
    /// ORGANIZER: address and CN.
    organizer: Option<(String, String)>,
    /// ATTENDEEs: address and PARTSTAT.
    attendees: Vec<(String, String)>,
}

/// Makes `import icalendar` work, installing the package with pip when needed (once per
/// test binary: the tests run in parallel).
fn ensure_icalendar() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(install_icalendar);
}

fn install_icalendar() {
    let importable = || {
        Command::new("python3")
            .args(["-c", "import icalendar"])
            .output()
            .map(|o| o.status.success())
    };
    match importable() {
        Err(e) => panic!(
            "python3 is needed to check the iCalendar export with the independent `icalendar` \
             package, but it cannot be started: {e}"
        ),
        Ok(true) => return,
        Ok(false) => {}
    }
    for args in [
        &["-m", "pip", "install", "--quiet", "--user", "icalendar"][..],
        &["-m", "pip", "install", "--quiet", "icalendar"][..],
    ] {
        let _ = Command::new("python3")
            .args(args)
            .args(["--disable-pip-version-check", "--no-warn-script-location"])
            .env("PIP_ROOT_USER_ACTION", "ignore")
            .status();
        if importable().unwrap_or(false) {
            return;
        }
    }
    panic!(
        "the Python package `icalendar` is missing and `python3 -m pip install icalendar` failed"
    );
}

/// Parses `text` with Python's `icalendar`: (METHOD, events).
fn parse(text: &str, dir: &Path) -> (String, Vec<Event>) {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let file = dir.join(format!("parse-{n}.ics"));
    std::fs::write(&file, text).unwrap();
    let out = Command::new("python3")
        .args(["-c", PARSER])
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "icalendar refused the file: {}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut method = String::new();
    let mut events = Vec::new();
    for line in stdout.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f[0] {
            "METHOD" => method = f[1].to_string(),
            "EVENT" => events.push(Event {
                uid: f[1].into(),
                sequence: f[2].parse().unwrap(),
                status: f[3].into(),
                local: f[4].into(),
                utc: f[5].into(),
                end_utc: String::new(),
                summary: f[6].into(),
                organizer: None,
                attendees: Vec::new(),
            }),
            "END" => {
                let e = events.iter_mut().rfind(|e| e.uid == f[1]).unwrap();
                e.end_utc = f[2].to_string();
            }
            "ORGANIZER" => {
                let e = events.iter_mut().rfind(|e| e.uid == f[1]).unwrap();
                e.organizer = Some((f[2].to_string(), f[3].to_string()));
            }
            "ATTENDEE" => {
                let e = events.iter_mut().rfind(|e| e.uid == f[1]).unwrap();
                e.attendees.push((f[2].to_string(), f[3].to_string()));
            }
            other => panic!("unexpected parser output {other:?}"),
        }
    }
    (method, events)
}

/// RFC 5545 3.1: every line ends with CRLF, no line is longer than 75 octets.
fn assert_lines(text: &str) {
    assert!(text.ends_with("\r\n"), "ends with CRLF");
    let body = &text[..text.len() - 2];
    for line in body.split("\r\n") {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break in {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
}

fn now() -> DateTime<Utc> {
    tz::from_local(today().and_hms_opt(10, 0, 0).unwrap())
}

fn staff(store: &Store, login: &str) -> Staff {
    store.staff_by_login(login).unwrap().unwrap()
}

/// An active Jobcenter case assigned to `me`.
fn own_case(store: &Store, me: &Staff) -> CoopCase {
    let rows = store
        .case_page(me, &ListQuery::default(), &PageAnchor::First, 10_000)
        .unwrap();
    rows.iter()
        .map(|r| store.load_case(me, r.id).unwrap())
        .find(|c| {
            c.owner == Agency::Jobcenter
                && c.jc_staff == Some(me.id)
                && c.status == CaseStatus::Active
                && !c.person.surname.is_empty()
        })
        .expect("an active Jobcenter case of the demo user")
}

/// A conference of `case` with `me` (accepted; own agency: no consent needed), a colleague
/// (invited, no answer yet) and the young person.
fn conference(store: &Store, me: &Staff, case: &CoopCase, start: NaiveDateTime) -> i64 {
    let colleague_id = staff(store, "karaca").id.0;
    let staff = Participant {
        staff: Some(me.id.0),
        external_name: String::new(),
        external_org: String::new(),
        agency: Some(me.agency),
        role: ParticipantRole::Pap,
        invitation: Invitation::Accepted,
        attendance: None,
        guardian: None,
    };
    let colleague = Participant {
        staff: Some(colleague_id),
        role: ParticipantRole::Other,
        invitation: Invitation::Invited,
        ..staff.clone()
    };
    let young = Participant {
        staff: None,
        agency: None,
        role: ParticipantRole::YoungPerson,
        ..staff.clone()
    };
    store
        .create_conference(
            me,
            &NewConference {
                case_id: case.id,
                kind: ConferenceKind::FollowUp,
                question: "Stand der Vereinbarungen".into(),
                start: Some(start),
                duration_min: 90,
                location: "Jobcenter Herten, Raum 1.08".into(),
                anonymised: false,
                participants: vec![staff, colleague, young],
                topics: Vec::new(),
            },
            today(),
        )
        .unwrap()
}

/// RFC 5546: an invitation and a cancellation name their ORGANIZER (the person who asked
/// for the conference, here `me`), and each attendee carries the answer recorded in Tandem:
/// `me` accepted, the colleague has not answered; the young person is not named.
fn assert_organizer_and_answers(e: &Event, me: &Staff) {
    let (address, cn) = e.organizer.clone().expect("ORGANIZER");
    assert_eq!(cn, format!("{} {}", me.given_name, me.surname), "{e:?}");
    assert!(
        address.starts_with("mailto:") && address.contains('@'),
        "{e:?}"
    );
    let mut answers: Vec<(String, String)> = e.attendees.clone();
    answers.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(answers.len(), 2, "staff only: {e:?}");
    assert_eq!(answers[0], (address, "ACCEPTED".to_string()), "{e:?}");
    assert_eq!(answers[1].1, "NEEDS-ACTION", "{e:?}");
}

fn event(events: &[Event], id: i64) -> &Event {
    let uid = tandem::domain::ics::conference_uid(id, HOST);
    events
        .iter()
        .find(|e| e.uid == uid)
        .unwrap_or_else(|| panic!("{uid} missing in {events:?}"))
}

fn export(store: &Store, me: &Staff, selection: Selection) -> Export {
    let e = conferences_ics(store, me, selection, now(), HOST).unwrap();
    assert_lines(&e.text);
    e
}

fn bin(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tandem"));
    cmd.env("TANDEM_DATA", dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env_remove("TANDEM_CONFIG");
    cmd
}

fn demo_file(dir: &Path) -> PathBuf {
    let path = dir.join("demo.db");
    let store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
    tandem::demo::write(&store, &tandem::demo::demo_data(today())).unwrap();
    path
}

#[test]
fn export_is_read_correctly_by_an_independent_parser() {
    ensure_icalendar();
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file(dir.path());
    let store = Store::open(&db, OpenMode::Existing).unwrap();
    let me = staff(&store, "brinkmann");
    let case = own_case(&store, &me);
    // Summer time ends on Sunday 25.10.2026: the same wall-clock time, one hour later in UTC.
    let before = conference(&store, &me, &case, at(2026, 10, 20, 10, 0));
    let after = conference(&store, &me, &case, at(2026, 10, 27, 10, 0));
    let window = Selection::Feed {
        from: NaiveDate::from_ymd_opt(2026, 10, 19).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 10, 28).unwrap(),
    };

    let first = export(&store, &me, window);
    assert!(first.ids.contains(&before) && first.ids.contains(&after));
    let (method, events) = parse(&first.text, dir.path());
    assert_eq!(method, "PUBLISH");
    let (a, b) = (event(&events, before), event(&events, after));
    assert_eq!(
        (a.local.as_str(), a.utc.as_str()),
        ("2026-10-20T10:00", "2026-10-20T08:00:00Z")
    );
    assert_eq!(
        (b.local.as_str(), b.utc.as_str()),
        ("2026-10-27T10:00", "2026-10-27T09:00:00Z")
    );
    assert_eq!((a.sequence, a.status.as_str()), (0, "CONFIRMED"));

    // The summary by default: the word and Tandem's reference, nothing of the case.
    assert_eq!(a.summary, format!("Fallkonferenz · Tandem K-{before}"));
    // `ics-titles = "initials"`: the kind and the initials too, never the case number.
    let initials = tandem::domain::ics::initials(&case.person.given_names, &case.person.surname);
    assert!(!initials.is_empty());
    store
        .set_ics_titles(tandem::domain::ics::IcsTitles::Initials)
        .unwrap();
    let (_, with) = parse(&export(&store, &me, window).text, dir.path());
    let titled = event(&with, before);
    assert_eq!(
        titled.summary,
        format!("Fallkonferenz (Folgekonferenz) – {initials} · Tandem K-{before}")
    );
    assert!(
        !titled.summary.contains(&case.person.surname),
        "{}",
        titled.summary
    );
    store
        .set_ics_titles(tandem::domain::ics::IcsTitles::Neutral)
        .unwrap();
    assert!(!first.text.contains(&case.person.surname));
    assert!(
        !first.text.contains("Stand der Vereinbarungen"),
        "no question text"
    );

    // Stable UIDs: a second export names the same events.
    let second = export(&store, &me, window);
    let (_, again) = parse(&second.text, dir.path());
    let uids = |v: &[Event]| v.iter().map(|e| e.uid.clone()).collect::<Vec<_>>();
    assert_eq!(uids(&events), uids(&again));
    assert_eq!(event(&again, before).uid, a.uid);

    // "Vertagen": same UID, higher SEQUENCE, new time.
    let v = store.conference(&me, before).unwrap().version;
    store
        .conference_step(
            &me,
            before,
            v,
            ConferenceAction::Postpone,
            Some(at(2026, 10, 21, 10, 0)),
            "Terminkollision",
            now(),
        )
        .unwrap();
    let one = export(&store, &me, Selection::One(before));
    assert_eq!(one.ids, vec![before]);
    let (method, events) = parse(&one.text, dir.path());
    assert_eq!(method, "REQUEST");
    let moved = event(&events, before);
    assert_eq!(moved.uid, a.uid);
    assert!(moved.sequence > a.sequence, "{moved:?}");
    assert_eq!(moved.local, "2026-10-21T10:00");
    assert_organizer_and_answers(moved, &me);

    // "Absagen": a cancellation of the same event.
    let v = store.conference(&me, after).unwrap().version;
    store
        .conference_step(
            &me,
            after,
            v,
            ConferenceAction::Cancel,
            None,
            "Junge Person verzogen",
            now(),
        )
        .unwrap();
    let cancel = export(&store, &me, Selection::One(after));
    let (method, events) = parse(&cancel.text, dir.path());
    assert_eq!(method, "CANCEL");
    let cancelled = event(&events, after);
    assert_eq!(cancelled.status, "CANCELLED");
    assert_eq!(cancelled.uid, b.uid);
    assert!(cancelled.sequence > b.sequence);
    assert_organizer_and_answers(cancelled, &me);
    assert!(
        cancel.text.contains("METHOD:CANCEL\r\n") && cancel.text.contains("STATUS:CANCELLED\r\n")
    );

    // Every export is in the audit log.
    let exports = store
        .audit_tail(100)
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "export" && r.object_type == "conference")
        .count();
    assert!(
        exports >= first.ids.len() + second.ids.len() + 2,
        "{exports}"
    );

    // A conference the viewer may not see is not exported.
    let dpo = staff(&store, "wiemers");
    assert!(conferences_ics(&store, &dpo, Selection::One(before), now(), HOST).is_err());
    drop(store);

    // The command line: the same file on standard output …
    let out = bin(dir.path())
        .args(["export", "ics", "--db"])
        .arg(&db)
        .args(["--user", "brinkmann", "--conference", &before.to_string()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_lines(&text);
    let (method, events) = parse(&text, dir.path());
    assert_eq!(method, "REQUEST");
    assert_eq!(event(&events, before).sequence, moved.sequence);

    // … or atomically into a private file.
    let file = dir.path().join("konferenzen.ics");
    let out = bin(dir.path())
        .args(["export", "ics", "--db"])
        .arg(&db)
        .args([
            "--user",
            "brinkmann",
            "--from",
            "19.10.2026",
            "--to",
            "28.10.2026",
            "--out",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let text = std::fs::read_to_string(&file).unwrap();
    assert_lines(&text);
    let (method, events) = parse(&text, dir.path());
    assert_eq!(method, "PUBLISH");
    assert_eq!(event(&events, after).status, "CANCELLED");
    assert_eq!(event(&events, before).local, "2026-10-21T10:00");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains(".tmp-")),
        "no temporary file left"
    );

    // Unknown user: 77, as the interactive program.
    let out = bin(dir.path())
        .args(["--lang", "de", "export", "ics", "--db"])
        .arg(&db)
        .args(["--user", "niemand", "--conference", &before.to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(77));
    assert!(out.stdout.is_empty());

    // Not visible (the data protection officer sees no cases): 1, one German line.
    let out = bin(dir.path())
        .args(["export", "ics", "--db"])
        .arg(&db)
        .args(["--user", "wiemers", "--conference", &before.to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "Konferenz nicht gefunden oder nicht sichtbar."
    );
    assert!(out.stdout.is_empty());
}

/// Minutes between two `…Z` instants as the parser printed them.
fn minutes_between(start: &str, end: &str) -> i64 {
    let p = |t: &str| DateTime::parse_from_rfc3339(t).unwrap();
    (p(end) - p(start)).num_minutes()
}

#[test]
fn ninety_minutes_across_the_autumn_change_are_ninety_real_minutes_in_the_ics() {
    ensure_icalendar();
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file(dir.path());
    let store = Store::open(&db, OpenMode::Existing).unwrap();
    let me = staff(&store, "brinkmann");
    let case = own_case(&store, &me);
    // Sunday 25.10.2026: 01:45 summer time plus 90 real minutes is 02:15 winter time, the
    // second 02:15 of that night.
    let across = conference(&store, &me, &case, at(2026, 10, 25, 1, 45));
    // The second 02:30 (winter time, 01:30 UTC), as the planning form lets one choose.
    let second = conference(&store, &me, &case, at(2026, 10, 26, 10, 0));
    let v = store.conference(&me, second).unwrap().version;
    store
        .conference_step_at(
            &me,
            second,
            v,
            ConferenceAction::Postpone,
            Some(Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap()),
            "Zeitumstellung",
            now(),
        )
        .unwrap();
    // In the app: the end is 90 real minutes later.
    let row = store.conference(&me, across).unwrap();
    assert_eq!(row.end(), Some(at(2026, 10, 25, 2, 15)));
    let row = store.conference(&me, second).unwrap();
    assert_eq!(row.start, Some(at(2026, 10, 25, 2, 30)));
    assert_eq!(row.end(), Some(at(2026, 10, 25, 4, 0)));

    let window = Selection::Feed {
        from: NaiveDate::from_ymd_opt(2026, 10, 25).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 10, 25).unwrap(),
    };
    let e = export(&store, &me, window);
    let (_, events) = parse(&e.text, dir.path());
    let a = event(&events, across);
    assert_eq!(a.utc, "2026-10-24T23:45:00Z", "{a:?}");
    assert_eq!(a.end_utc, "2026-10-25T01:15:00Z", "{a:?}\n{}", e.text);
    assert_eq!(minutes_between(&a.utc, &a.end_utc), 90);
    let b = event(&events, second);
    assert_eq!(b.utc, "2026-10-25T01:30:00Z", "{b:?}\n{}", e.text);
    assert_eq!(minutes_between(&b.utc, &b.end_utc), 90, "{b:?}");
}

#[test]
fn the_demo_feed_parses_and_keeps_names_out() {
    ensure_icalendar();
    let dir = tempfile::tempdir().unwrap();
    let store = support::demo_store();
    let me = staff(&store, "brinkmann");
    let from = today() - chrono::Duration::days(365);
    let to = today() + chrono::Duration::days(60);
    let feed = export(&store, &me, Selection::Feed { from, to });
    assert!(
        feed.ids.len() >= 5,
        "the demo user has conferences: {}",
        feed.ids.len()
    );
    let (method, events) = parse(&feed.text, dir.path());
    assert_eq!(method, "PUBLISH");
    // Her conferences, and the cooperation's dates she takes part in (a training):
    // those carry their own title and no case at all (docs/cooperation.md § 1).
    let coop = store.coop_appointments_for(&me, from, to).unwrap();
    assert!(!coop.is_empty(), "the demo user attends a training");
    assert_eq!(events.len(), feed.ids.len() + coop.len());
    for e in &events {
        if coop.iter().any(|a| a.title == e.summary) {
            assert!(!e.summary.contains("Fall "), "{}", e.summary);
            continue;
        }
        assert!(
            e.summary.starts_with("Fallkonferenz · Tandem K-"),
            "{}",
            e.summary
        );
    }
    // The upcoming clash demonstration: next week, 10:00, with Frau Hegemann.
    let hegemann = staff(&store, "hegemann");
    let rows = store
        .conferences_for(&me, today(), today() + chrono::Duration::days(14))
        .unwrap();
    assert!(
        rows.iter().any(|r| r
            .start
            .is_some_and(|s| s.time() == chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap())
            && r.participants
                .iter()
                .any(|p| p.participant.staff == Some(hegemann.id.0))),
        "{rows:?}"
    );
}

#[test]
fn a_date_no_calendar_can_hold_is_refused_never_written() {
    use tandem::domain::refusal::Refusal;
    use tandem::storage::StorageError;
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file(dir.path());
    let store = Store::open(&db, OpenMode::Existing).unwrap();
    let me = staff(&store, "brinkmann");
    let case = own_case(&store, &me);
    let id = conference(&store, &me, &case, at(2026, 12, 2, 10, 0));
    // 31.12.9999 23:00 for 90 minutes would end in the year 10000: refused when saved …
    let mut late = NewConference {
        case_id: case.id,
        kind: ConferenceKind::FollowUp,
        question: String::new(),
        start: Some(at(9999, 12, 31, 23, 0)),
        duration_min: 90,
        location: String::new(),
        anonymised: true,
        participants: Vec::new(),
        topics: Vec::new(),
    };
    assert!(matches!(
        store.create_conference(&me, &late, today()),
        Err(StorageError::Refused(Refusal::DateOutOfRange))
    ));
    late.start = Some(at(2026, 12, 3, 10, 0));
    store.create_conference(&me, &late, today()).unwrap();
    let v = store.conference(&me, id).unwrap().version;
    assert!(matches!(
        store.conference_step(
            &me,
            id,
            v,
            ConferenceAction::Postpone,
            Some(at(9999, 12, 31, 23, 0)),
            "Raum belegt",
            now()
        ),
        Err(StorageError::Refused(Refusal::DateOutOfRange))
    ));
    // … and a row that holds such a date already (an old or edited file) is not exported:
    // no file with an invalid DTEND, nothing logged as exported.
    drop(store);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let n = conn
            .execute(
                "UPDATE conference SET starts_at = '9999-12-31T22:00:00.000Z' WHERE id = ?1",
                [id],
            )
            .unwrap();
        assert_eq!(n, 1);
    }
    let store = Store::open(&db, OpenMode::Existing).unwrap();
    assert!(matches!(
        conferences_ics(&store, &me, Selection::One(id), now(), HOST),
        Err(StorageError::Refused(Refusal::DateOutOfRange))
    ));
    drop(store);
    let file = dir.path().join("spaet.ics");
    let out = bin(dir.path())
        .args(["export", "ics", "--db"])
        .arg(&db)
        .args([
            "--user",
            "brinkmann",
            "--conference",
            &id.to_string(),
            "--out",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(msg.contains("9999") && msg.lines().count() == 1, "{msg}");
    assert!(!file.exists());
    let out = bin(dir.path())
        .args(["export", "ics", "--db"])
        .arg(&db)
        .args(["--user", "brinkmann", "--conference", &id.to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing on standard output");
}

/// The values of every SUMMARY, DESCRIPTION and LOCATION of `text`, unfolded.
fn text_values(text: &str) -> Vec<String> {
    let unfolded = text.replace("\r\n ", "");
    unfolded
        .lines()
        .filter(|l| {
            ["SUMMARY", "DESCRIPTION", "LOCATION"]
                .iter()
                .any(|k| l.starts_with(&format!("{k}:")) || l.starts_with(&format!("{k};")))
        })
        .map(str::to_string)
        .collect()
}

/// Initials ("J. M.", "Ö. K.-L.") or a case number ("Fall 12") in `value`.
fn names_the_case(value: &str) -> bool {
    let chars: Vec<char> = value.chars().collect();
    let initial =
        |i: usize| chars.get(i).is_some_and(|c| c.is_uppercase()) && chars.get(i + 1) == Some(&'.');
    let initials = (0..chars.len()).any(|i| {
        initial(i)
            && (i == 0 || !chars[i - 1].is_alphabetic())
            && chars.get(i + 2) == Some(&' ')
            && initial(i + 3)
    });
    let case_no = value
        .match_indices("Fall ")
        .any(|(i, _)| value[i + 5..].starts_with(|c: char| c.is_ascii_digit()));
    initials || case_no
}

#[test]
fn the_demo_calendar_names_no_case_by_default_and_initials_only_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file(dir.path());
    let window = ["--from", "01.01.2026", "--to", "31.03.2027"];
    let run = |config: Option<&Path>| {
        let mut cmd = bin(dir.path());
        if let Some(c) = config {
            cmd.env("TANDEM_CONFIG", c);
        }
        let out = cmd
            .args(["export", "ics", "--db"])
            .arg(&db)
            .args(["--user", "brinkmann"])
            .args(window)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(names_the_case(
        "Fallkonferenz (Erstkonferenz) – J. M., Fall 12"
    ));
    assert!(names_the_case("Fall 7"));
    assert!(!names_the_case("Fallkonferenz · Tandem K-12"));

    let plain = run(None);
    let values = text_values(&plain);
    assert!(
        values.iter().filter(|v| v.starts_with("SUMMARY")).count() >= 5,
        "{plain}"
    );
    for v in &values {
        assert!(!names_the_case(v), "{v}");
    }
    assert!(
        !plain.contains("Sabine Brinkmann am"),
        "no name in the description"
    );

    let config = dir.path().join("tandem.toml");
    std::fs::write(&config, "[conferences]\nics-titles = \"initials\"\n").unwrap();
    let titled = run(Some(&config));
    let summaries: Vec<String> = text_values(&titled)
        .into_iter()
        .filter(|v| v.starts_with("SUMMARY"))
        .collect();
    assert!(summaries.iter().any(|v| names_the_case(v)), "{summaries:?}");
    // Never a case number.
    for v in &summaries {
        let case_no = v
            .match_indices("Fall ")
            .any(|(i, _)| v[i + 5..].starts_with(|c: char| c.is_ascii_digit()));
        assert!(!case_no, "{v}");
    }
}

/// The "Gemeinsamer Termin" of early help (docs/early-help.md § 8) as a calendar program
/// reads it: one event at the Berlin time booked, the neutral title, the two professionals
/// as attendees, nothing of the parent.
#[test]
fn the_joint_appointment_of_early_help_is_read_by_an_independent_parser() {
    ensure_icalendar();
    let dir = tempfile::tempdir().unwrap();
    let store = support::demo_store();
    let me = staff(&store, "brinkmann");
    let cal = tandem::domain::calendar::WorkCalendar::default();
    let d = tandem::domain::early_help::EhDeadlines::default();
    let r = store
        .eh_requests_for(&me, &cal, &d)
        .unwrap()
        .into_iter()
        .find(|r| r.state == tandem::domain::early_help::EhState::Taken)
        .expect("a taken demo request");
    // The Monday after the clock change in spring is far off; a day in the next week.
    let start = at(2026, 12, 3, 8, 0);
    store
        .eh_book_joint(&me, r.id, r.version, start, 45, "Raum 2.14")
        .unwrap();
    let text = tandem::export::early_help_ics(&store, &me, r.id, now(), HOST).unwrap();
    assert_lines(&text);
    let (method, events) = parse(&text, dir.path());
    assert_eq!(method, "PUBLISH");
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e.uid, format!("eh-{}@{HOST}", r.id));
    assert_eq!(e.local, "2026-12-03T08:00");
    assert_eq!(e.utc, "2026-12-03T07:00:00Z");
    assert_eq!(e.end_utc, "2026-12-03T07:45:00Z");
    assert_eq!(
        e.summary,
        format!("Gemeinsamer Termin Frühe Hilfen · FH-{}", r.id)
    );
    assert_eq!(e.attendees.len(), 2);
    let parent = r.parent_name.unwrap();
    assert!(!text.contains(&parent), "{parent} in {text}");
}
