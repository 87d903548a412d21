//! One clock (issue #11 item 6; docs/domain.md 7): "today", absences, break-glass grants,
//! draft expiry and the stored instants come from the store's [`Clock`], in Berlin time and
//! never in the host's zone. A fixed clock moved across Berlin midnight shows the new day;
//! the real binary shows the same Berlin day whatever `TZ` the host has.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use chrono::{Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use support::today;
use tandem::domain::access::Relation;
use tandem::domain::casefile::BreakGlassReason;
use tandem::domain::conference::{ConferenceKind, Invitation, Participant, ParticipantRole};
use tandem::domain::{
    Agency, CaseId, CaseStatus, Clock, CoopCase, Gender, PersonId, Role, Staff, YoungPerson,
};
use tandem::model::conference::NewConference;
use tandem::model::draft::{Draft, SessionId};
use tandem::model::list::{ListQuery, PageAnchor};
use tandem::storage::staff::NewStaff;
use tandem::storage::{OpenMode, StorageError, Store};

/// `h:min` Berlin wall-clock time on `day`.
fn local(day: NaiveDate, h: u32, min: u32) -> NaiveDateTime {
    day.and_hms_opt(h, min, 0).unwrap()
}

/// Two Jobcenter caseworkers (the second is the first's deputy) and their team lead.
struct Team {
    jc1: Staff,
    jc2: Staff,
    lead: Staff,
}

fn team(store: &Store) -> Team {
    let new = |login: &str, roles: Vec<Role>| NewStaff {
        login: login.into(),
        surname: format!("Nachname-{login}"),
        given_name: login.into(),
        agency: Agency::Jobcenter,
        roles,
        phone: String::new(),
        email: format!("{login}@example.org"),
    };
    let ids = store
        .insert_staff(&[
            new("jc1", vec![Role::JcU25]),
            new("jc2", vec![Role::JcU25]),
            new("jclead", vec![Role::Lead]),
        ])
        .unwrap();
    store.set_deputy(ids[0], Some(ids[1])).unwrap();
    let get = |i: usize| store.staff_by_id(ids[i]).unwrap().unwrap();
    Team {
        jc1: get(0),
        jc2: get(1),
        lead: get(2),
    }
}

/// An active Jobcenter case of `jc1` alone.
fn case_of(store: &Store, jc1: &Staff) -> CaseId {
    let case = CoopCase {
        id: CaseId(0),
        person: YoungPerson {
            id: PersonId(0),
            surname: "Wolters".into(),
            given_names: "Jana".into(),
            birth_date: NaiveDate::from_ymd_opt(2005, 3, 14).unwrap(),
            gender: Gender::Female,
            address: "Kaiserstraße 1, 45699 Herten".into(),
            phone: String::new(),
            email: String::new(),
            jc_customer_no: "123D456789".into(),
            bg_no: String::new(),
            ja_file_no: String::new(),
            version: 0,
        },
        owner: Agency::Jobcenter,
        status: CaseStatus::Active,
        reasons: Vec::new(),
        question: "Ausbildung".into(),
        lead: Agency::Jobcenter,
        jc_staff: Some(jc1.id),
        ja_staff: None,
        opened_on: today() - Duration::days(60),
        next_review: None,
        closed_on: None,
        closure_reason: None,
        version: 0,
    };
    store.create_case(jc1, &case).unwrap()
}

/// Whether `who` may open case `id` now (by the store's clock).
fn sees(store: &Store, who: &Staff, id: CaseId) -> bool {
    match store.load_case(who, id) {
        Ok(_) => true,
        Err(StorageError::NotFound) => false,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_tests_store_and_app_share_one_day() {
    let store = support::test_store();
    assert_eq!(store.clock().today(), today());
    assert_eq!(store.clock().local(), local(today(), 10, 0));
    // 10:00 in Berlin in November (winter time) is 09:00 UTC.
    assert_eq!(
        store.clock().now(),
        Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
    );
    // The app of a test runs on the same instant as its store.
    let app = support::test_app("brinkmann");
    assert_eq!(app.now(), support::test_clock().now());
    assert_eq!(app.store().clock().now(), support::test_clock().now());
}

#[test]
fn a_deputy_stands_in_until_berlin_midnight_ends_the_absence() {
    let store = support::test_store();
    let t = team(&store);
    let id = case_of(&store, &t.jc1);
    store.add_absence(t.jc1.id, today(), today()).unwrap();
    assert_eq!(store.absences_of(t.jc1.id).unwrap(), [(today(), today())]);
    assert!(
        sees(&store, &t.jc2, id),
        "jc1 is away today: the deputy stands in"
    );
    assert_eq!(
        store.conference_relation(&t.jc2, id).unwrap(),
        Relation::Deputy
    );
    // 23:59 in Berlin is 22:59 UTC: still the day of the absence.
    store
        .clock()
        .set(Utc.with_ymd_and_hms(2026, 11, 25, 22, 59, 0).unwrap());
    assert_eq!(store.clock().today(), today());
    assert!(sees(&store, &t.jc2, id));
    // One minute later it is the next day in Berlin, while UTC still says the 25th.
    store.clock().advance(Duration::minutes(1));
    assert_eq!(store.clock().now().date_naive(), today());
    assert_eq!(store.clock().today(), today() + Duration::days(1));
    assert!(!sees(&store, &t.jc2, id), "the absence ended at midnight");
    assert_eq!(
        store.conference_relation(&t.jc2, id).unwrap(),
        Relation::None
    );
    assert!(store.absences_of(t.jc1.id).unwrap().is_empty());
    // The case list follows the same clock: jc2's caseload no longer holds the case.
    let query = ListQuery {
        today: store.clock().today(),
        ..ListQuery::default()
    };
    assert_eq!(store.case_count(&t.jc2, &query).unwrap(), 0);
    assert_eq!(store.case_count(&t.jc1, &query).unwrap(), 1);
}

#[test]
fn an_absence_starting_tomorrow_takes_effect_at_berlin_midnight() {
    let store = support::test_store();
    let t = team(&store);
    let id = case_of(&store, &t.jc1);
    let tomorrow = today() + Duration::days(1);
    store.add_absence(t.jc1.id, tomorrow, tomorrow).unwrap();
    assert!(!sees(&store, &t.jc2, id));
    // 23:30 UTC in winter is already 00:30 of the next day in Berlin.
    store
        .clock()
        .set(Utc.with_ymd_and_hms(2026, 11, 25, 23, 30, 0).unwrap());
    assert!(sees(&store, &t.jc2, id));
}

#[test]
fn break_glass_runs_eight_hours_of_the_store_clock() {
    let store = support::test_store();
    let t = team(&store);
    let id = case_of(&store, &t.jc1);
    let outsider = store
        .insert_staff(&[NewStaff {
            login: "jc3".into(),
            surname: "Nachname-jc3".into(),
            given_name: "jc3".into(),
            agency: Agency::Jobcenter,
            roles: vec![Role::JcU25],
            phone: String::new(),
            email: "jc3@example.org".into(),
        }])
        .unwrap()[0];
    let outsider = store.staff_by_id(outsider).unwrap().unwrap();
    assert!(!sees(&store, &outsider, id));
    store
        .break_glass(&outsider, id, BreakGlassReason::ChildProtection, "")
        .unwrap();
    assert!(sees(&store, &outsider, id));
    // The grant's times are the clock's, shown in Berlin time.
    let grants = store.break_glass_grants(&t.lead).unwrap();
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].granted_at, local(today(), 10, 0));
    assert_eq!(grants[0].until, local(today(), 18, 0));
    store
        .clock()
        .advance(Duration::hours(8) - Duration::minutes(1));
    assert!(sees(&store, &outsider, id), "17:59: the grant still runs");
    store.clock().advance(Duration::minutes(1));
    assert!(!sees(&store, &outsider, id), "18:00: the grant has ended");
}

#[test]
fn drafts_expire_and_are_dated_by_the_store_clock() {
    let store = support::test_store();
    let t = team(&store);
    let values = BTreeMap::from([("surname".to_string(), "Wolters".to_string())]);
    store
        .save_draft(&SessionId::none(), &Draft::new(t.jc1.id, "case", 0, values))
        .unwrap();
    let drafts = store.drafts_for(t.jc1.id).unwrap();
    assert_eq!(drafts[0].updated_at, "2026-11-25T09:00:00.000Z");
    store.clock().advance(Duration::days(30));
    assert_eq!(
        store.purge_expired_drafts(30).unwrap(),
        0,
        "exactly 30 days"
    );
    store.clock().advance(Duration::milliseconds(1));
    assert_eq!(
        store.purge_expired_drafts(30).unwrap(),
        1,
        "older than 30 days"
    );
    assert!(store.drafts_for(t.jc1.id).unwrap().is_empty());
}

#[test]
fn audit_rows_and_notes_are_dated_by_the_store_clock() {
    let store = support::test_store();
    let t = team(&store);
    let id = case_of(&store, &t.jc1);
    store.clock().advance(Duration::minutes(30));
    store.add_note(&t.jc1, id, "Anruf", false).unwrap();
    let last = store.audit_tail(1).unwrap();
    assert_eq!(last[0].at, "2026-11-25T09:30:00.000Z");
    let view = store.case_file(&t.jc1, id, today()).unwrap();
    assert_eq!(view.notes.len(), 1);
    // Read back as Berlin wall-clock time, whatever the host's zone.
    assert_eq!(view.notes[0].at, local(today(), 10, 30));
}

// ---------------------------------------------------------------------------------------
// The real binary under different host time zones.

/// A conference of `case` with `me` (own agency: no consent needed) at Berlin time `start`.
fn conference(store: &Store, me: &Staff, case: &CoopCase, start: NaiveDateTime) -> i64 {
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
    store
        .create_conference(
            me,
            &NewConference {
                case_id: case.id,
                kind: ConferenceKind::FollowUp,
                question: "Stand der Vereinbarungen".into(),
                start: Some(start),
                duration_min: 60,
                location: "Raum 1.08".into(),
                anonymised: false,
                participants: vec![staff],
                topics: Vec::new(),
            },
            start.date(),
        )
        .unwrap()
}

/// An active Jobcenter case assigned to `me`.
fn own_case(store: &Store, me: &Staff, day: NaiveDate) -> CoopCase {
    let query = ListQuery {
        today: day,
        ..ListQuery::default()
    };
    store
        .case_page(me, &query, &PageAnchor::First, 10_000)
        .unwrap()
        .iter()
        .map(|r| store.load_case(me, r.id).unwrap())
        .find(|c| {
            c.owner == Agency::Jobcenter
                && c.jc_staff == Some(me.id)
                && c.status == CaseStatus::Active
        })
        .expect("an active Jobcenter case of the demo user")
}

/// `tandem export ics` (default window: today and the next 90 days) with host zone `tz`.
fn export_with_tz(dir: &Path, db: &Path, tz: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .env("TANDEM_DATA", dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env_remove("TANDEM_CONFIG")
        .env("TZ", tz)
        .args(["export", "ics", "--db"])
        .arg(db)
        .args(["--user", "brinkmann"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "TZ={tz}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Unfold the folded lines (RFC 5545 3.1).
    String::from_utf8(out.stdout).unwrap().replace("\r\n ", "")
}

/// The host zones tried: UTC, New York, and two extremes (POSIX notation, no time-zone
/// database needed) chosen so that at every hour one of them is on another calendar day
/// than Berlin — UTC+14 from about 10:00 Berlin time, UTC−12 until about 13:00.
const HOST_ZONES: [&str; 5] = [
    "UTC",
    "America/New_York",
    "<+14>-14",
    "<-12>+12",
    "Europe/Berlin",
];

#[test]
fn the_export_window_and_date_are_the_berlin_day_whatever_the_host_zone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    // The binary runs on the real time, so this database is set up around the real Berlin
    // day (the store on the system clock, as the binary's).
    let clock = Clock::system();
    let day = clock.today();
    {
        let store = Store::open(&db, OpenMode::CreateOrMigrate).unwrap();
        tandem::demo::write(&store, &tandem::demo::demo_data(day)).unwrap();
        let me = store.staff_by_login("brinkmann").unwrap().unwrap();
        let case = own_case(&store, &me, day);
        conference(&store, &me, &case, local(day - Duration::days(1), 12, 0));
        conference(&store, &me, &case, local(day, 12, 0));
    }
    let store = Store::open(&db, OpenMode::Existing).unwrap();
    let me = store.staff_by_login("brinkmann").unwrap().unwrap();
    let ids = |from: NaiveDate, to: NaiveDate| -> Vec<i64> {
        store
            .conferences_for(&me, from, to)
            .unwrap()
            .into_iter()
            .filter(|r| r.start.is_some())
            .map(|r| r.id)
            .collect()
    };
    let yesterday = ids(day - Duration::days(1), day - Duration::days(1));
    let today_ids = ids(day, day);
    assert!(!yesterday.is_empty() && !today_ids.is_empty());
    let stamp = format!("am {}.", day.format("%d.%m.%Y"));
    for tz in HOST_ZONES {
        let text = export_with_tz(dir.path(), &db, tz);
        if clock.today() != day {
            // Berlin midnight passed during the test: the expectations no longer hold, and
            // a later run checks again (tests never depend on the moment they run).
            return;
        }
        assert!(text.contains(&stamp), "TZ={tz}: no {stamp:?} in\n{text}");
        for id in &today_ids {
            let uid = tandem::domain::ics::conference_uid(*id, tandem::cli::UID_HOST);
            assert!(text.contains(&uid), "TZ={tz}: today's {uid} missing");
        }
        for id in &yesterday {
            let uid = tandem::domain::ics::conference_uid(*id, tandem::cli::UID_HOST);
            assert!(
                !text.contains(&uid),
                "TZ={tz}: yesterday's {uid} in the window starting today"
            );
        }
    }
}

/// The screens of an open session move to the new day at Berlin midnight, without a restart
/// (issue #11 item 6): a new case is proposed with the new date,
/// and the remaining times of the child-protection deadlines are computed anew.
#[test]
fn a_session_open_at_23_59_30_shows_the_new_day_after_midnight() {
    use std::time::Instant;
    use support::{app_on, demo_store, keys, screen};
    // Sunday 29.11.2026, 23:59:30 Berlin.
    let sunday = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let store = demo_store();
    store.clock().set(tandem::domain::tz::from_local(
        sunday.and_hms_opt(23, 59, 30).unwrap(),
    ));
    let mut app = app_on(store, "brinkmann", tandem::strings::Lang::De);
    assert_eq!(app.today(), sunday);
    // The new-case form proposes today as the opening date.
    keys(&mut app, "n");
    assert_eq!(app.case_form().unwrap().base.opened_on, sunday);
    keys(&mut app, "<esc>");

    let mut ja = app_on(demo_store(), "hegemann", tandem::strings::Lang::De);
    ja.clock().set(tandem::domain::tz::from_local(
        sunday.and_hms_opt(23, 59, 30).unwrap(),
    ));
    keys(&mut ja, "<f6>");
    let oncall_before = screen(&mut ja, 80, 24);

    // One minute later: the next tick finds a new day.
    app.clock().advance(Duration::seconds(60));
    ja.clock().advance(Duration::seconds(60));
    let later = Instant::now() + std::time::Duration::from_secs(2);
    app.on_tick(later);
    ja.on_tick(later);
    assert_eq!(app.today(), sunday + Duration::days(1));
    keys(&mut app, "n");
    assert_eq!(
        app.case_form().unwrap().base.opened_on,
        sunday + Duration::days(1)
    );
    assert_eq!(
        app.cases.list.query.today,
        sunday + Duration::days(1),
        "the case list's alerts and ages are computed for the new day"
    );
    let oncall_after = screen(&mut ja, 80, 24);
    assert_ne!(
        oncall_before, oncall_after,
        "the remaining times of the on-call list moved with the clock"
    );
}
