//! Audit log tests (docs/architecture.md § 5.4): every write and every opened case file leaves an audit
//! row in the same transaction, previous values go to the history, the log is append-only
//! inside the program, holds no personal data, and `tandem audit verify` names the first
//! edited, deleted or swapped row of a tampered copy while the untouched copy verifies.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rusqlite::types::Value;
use support::{demo_store, today};
use tandem::domain::{CaseId, Staff};
use tandem::model::list::{ListQuery, PageAnchor};
use tandem::storage::audit::object;
use tandem::storage::{AuditAction, AuditEntry, OpenMode, StorageError, Store};
use tandem::strings::{Lang, Strings};

fn me(store: &Store, login: &str) -> Staff {
    store.staff_by_login(login).unwrap().unwrap()
}

fn first_case(store: &Store, viewer: &Staff) -> CaseId {
    store
        .case_page(viewer, &ListQuery::default(), &PageAnchor::First, 1)
        .unwrap()[0]
        .id
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tandem")
}

/// A demo database file with some saves, views, a refused view and a session around them.
fn demo_file(dir: &Path) -> PathBuf {
    let path = dir.join("demo.db");
    let store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
    tandem::demo::write(&store, &tandem::demo::demo_data(today())).unwrap();
    let jc = me(&store, "brinkmann");
    let dpo = me(&store, "wiemers");
    store
        .record_event(&AuditEntry::new(AuditAction::Login, object::SESSION).by(&jc))
        .unwrap();
    let page: Vec<CaseId> = store
        .case_page(&jc, &ListQuery::default(), &PageAnchor::First, 50)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    let mut ids = Vec::new();
    for id in page {
        let mut case = store.open_case_file(&jc, id).unwrap();
        // The Jobcenter writes the person data of its own cases only.
        if case.owner != tandem::domain::Agency::Jobcenter {
            continue;
        }
        let i = ids.len();
        case.question = format!("Frage {i}");
        if i % 2 == 0 {
            case.person.phone = format!("0209 {i}");
        }
        store.update_case(&jc, &case).unwrap();
        ids.push(id);
        if ids.len() == 5 {
            break;
        }
    }
    assert!(!ids.is_empty());
    assert!(store.open_case_file(&dpo, ids[0]).is_err());
    store
        .record_event(&AuditEntry::new(AuditAction::Logout, object::SESSION).by(&jc))
        .unwrap();
    assert!(store.verify_audit().unwrap().is_ok());
    path
}

/// Runs `tandem audit verify` on `db`; returns (exit code, stdout, stderr).
fn verify(db: &Path, home: &Path, anchor: Option<&str>) -> (i32, String, String) {
    let mut cmd = Command::new(bin());
    cmd.args(["--lang", "de", "audit", "verify", "--db"])
        .arg(db)
        .env("TANDEM_DATA", home)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env_remove("TANDEM_CONFIG");
    if let Some(a) = anchor {
        cmd.args(["--anchor", a]);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The entry number in "Prüfkette gebrochen bei Eintrag N: …".
fn named_row(stderr: &str) -> Option<i64> {
    let rest = stderr.split("Prüfkette gebrochen bei Eintrag ").nth(1)?;
    rest.split(':').next()?.trim().parse().ok()
}

/// A consistent copy of `src` through SQLite (never a file copy of a live database).
fn copy_db(src: &Path, dst: &Path) {
    let _ = std::fs::remove_file(dst);
    let conn = rusqlite::Connection::open(src).unwrap();
    conn.execute("VACUUM INTO ?1", [dst.to_str().unwrap()])
        .unwrap();
}

#[test]
fn demo_database_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file(dir.path());
    let copy = dir.path().join("copy.db");
    copy_db(&db, &copy);
    let (code, stdout, stderr) = verify(&copy, dir.path(), None);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let rows: u64 = stdout
        .strip_prefix("Prüfkette in Ordnung: ")
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected output: {stdout}"));
    assert!(rows > 0);
    let store = Store::open(&copy, OpenMode::Existing).unwrap();
    let report = store.verify_audit().unwrap();
    assert!(report.is_ok());
    assert_eq!(report.rows, rows);
    let (seq, hash) = report.head.unwrap();
    assert_eq!(u64::try_from(seq).unwrap(), rows);
    assert!(stdout.contains(&hash[..16]));
    // The printed head works as an anchor.
    let anchor = format!("{seq}:{}", &hash[..16]);
    assert_eq!(verify(&copy, dir.path(), Some(&anchor)).0, 0);
    let (code, _, stderr) = verify(&copy, dir.path(), Some("12:xyz"));
    assert_eq!(code, 1);
    assert!(stderr.contains("--anchor"), "{stderr}");
}

/// What an attacker with the file does to the audit rows of a copy.
#[derive(Debug, Clone)]
enum Tamper {
    /// Changes one column (not `seq`) of one row; `pos` picks the character of a text.
    Edit {
        row: prop::sample::Index,
        column: prop::sample::Index,
        pos: usize,
    },
    /// Deletes one row.
    Delete { row: prop::sample::Index },
    /// Swaps all columns except `seq` of two rows.
    Swap {
        a: prop::sample::Index,
        b: prop::sample::Index,
    },
}

const COLUMNS: [&str; 11] = [
    "at",
    "staff_id",
    "stelle",
    "action",
    "object_type",
    "object_id",
    "fields",
    "new_version",
    "detail",
    "prev_hash",
    "hash",
];

fn tamper_strategy() -> impl Strategy<Value = Tamper> {
    prop_oneof![
        (
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
            0..64_usize
        )
            .prop_map(|(row, column, pos)| Tamper::Edit { row, column, pos }),
        any::<prop::sample::Index>().prop_map(|row| Tamper::Delete { row }),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(a, b)| Tamper::Swap { a, b }),
    ]
}

/// A different value of the same kind: texts get one character changed.
fn changed(v: Value, pos: usize) -> Value {
    match v {
        Value::Null => Value::Integer(1),
        Value::Integer(i) => Value::Integer(i + 1),
        Value::Text(t) if t.is_empty() => Value::Text("x".into()),
        Value::Text(t) => {
            let chars: Vec<char> = t.chars().collect();
            let k = pos % chars.len();
            let c = match chars[k] {
                '0' => '1',
                d if d.is_ascii_digit() => '0',
                'a' => 'b',
                _ => 'a',
            };
            Value::Text(
                chars[..k]
                    .iter()
                    .chain(std::iter::once(&c))
                    .chain(&chars[k + 1..])
                    .collect(),
            )
        }
        other => other,
    }
}

/// Applies `t` to the copy at `db` (rows 1..=n) and returns the row verify must name.
fn apply(db: &Path, n: usize, t: &Tamper) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    // With the file in hand the triggers and foreign keys are no obstacle.
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF; \
         DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;",
    )
    .unwrap();
    let seq = |i: &prop::sample::Index| i64::try_from(i.index(n)).unwrap() + 1;
    match t {
        Tamper::Edit { row, column, pos } => {
            let s = seq(row);
            let col = COLUMNS[column.index(COLUMNS.len())];
            let old: Value = conn
                .query_row(
                    &format!("SELECT {col} FROM audit_log WHERE seq = ?1"),
                    [s],
                    |r| r.get(0),
                )
                .unwrap();
            let new = changed(old.clone(), *pos);
            assert_ne!(old, new);
            let changed_rows = conn
                .execute(
                    &format!("UPDATE audit_log SET {col} = ?1 WHERE seq = ?2"),
                    rusqlite::params![new, s],
                )
                .unwrap();
            assert_eq!(changed_rows, 1);
            s
        }
        Tamper::Delete { row } => {
            let s = seq(row);
            conn.execute("DELETE FROM audit_log WHERE seq = ?1", [s])
                .unwrap();
            // The row after it no longer chains; for the last row, the anchor names it.
            if usize::try_from(s).unwrap() == n {
                s
            } else {
                s + 1
            }
        }
        Tamper::Swap { a, b } => {
            let (mut x, mut y) = (seq(a), seq(b));
            if x == y {
                y = if y < i64::try_from(n).unwrap() {
                    y + 1
                } else {
                    y - 1
                };
            }
            if x > y {
                std::mem::swap(&mut x, &mut y);
            }
            let read = |s: i64| -> Vec<Value> {
                conn.query_row(
                    &format!(
                        "SELECT {} FROM audit_log WHERE seq = ?1",
                        COLUMNS.join(", ")
                    ),
                    [s],
                    |r| (0..COLUMNS.len()).map(|i| r.get(i)).collect(),
                )
                .unwrap()
            };
            let (vx, vy) = (read(x), read(y));
            let set = COLUMNS
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ?{}", i + 1))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "UPDATE audit_log SET {set} WHERE seq = ?{}",
                COLUMNS.len() + 1
            );
            for (s, values) in [(x, vy), (y, vx)] {
                let mut params = values;
                params.push(Value::Integer(s));
                conn.execute(&sql, rusqlite::params_from_iter(params))
                    .unwrap();
            }
            x
        }
    }
}

#[test]
fn tampered_copies_fail_and_name_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file(dir.path());
    let (n, head) = {
        let store = Store::open(&db, OpenMode::Existing).unwrap();
        let report = store.verify_audit().unwrap();
        (usize::try_from(report.rows).unwrap(), report.head.unwrap())
    };
    // The head as a log line or backup manifest keeps it, outside the database.
    let anchor = format!("{}:{}", head.0, &head.1[..16]);
    let copy = dir.path().join("copy.db");
    copy_db(&db, &copy);
    assert_eq!(verify(&copy, dir.path(), None).0, 0, "untouched copy");
    assert_eq!(
        verify(&copy, dir.path(), Some(&anchor)).0,
        0,
        "untouched copy"
    );

    let mut runner = TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    });
    let kinds: [std::cell::Cell<u32>; 3] = Default::default();
    runner
        .run(&tamper_strategy(), |t| {
            let kind = &kinds[match t {
                Tamper::Edit { .. } => 0,
                Tamper::Delete { .. } => 1,
                Tamper::Swap { .. } => 2,
            }];
            kind.set(kind.get() + 1);
            copy_db(&db, &copy);
            let expected = apply(&copy, n, &t);
            let cut_tail =
                matches!(t, Tamper::Delete { .. }) && usize::try_from(expected).unwrap() == n;
            // The real binary, with the anchor only where the chain alone cannot tell (the
            // last row deleted); in process, with the anchor always.
            let a = cut_tail.then_some(anchor.as_str());
            let (code, stdout, stderr) = verify(&copy, dir.path(), a);
            prop_assert_eq!(code, 1, "{:?} anchor {:?}: {}{}", t, a, stdout, stderr);
            prop_assert_eq!(named_row(&stderr), Some(expected), "{:?}: {}", t, stderr);
            let store = Store::open(&copy, OpenMode::Existing).unwrap();
            let parsed = tandem::storage::Anchor::parse(&anchor).unwrap();
            let report = store.verify_audit_against(Some(&parsed)).unwrap();
            prop_assert_eq!(report.first_bad.map(|b| b.seq), Some(expected), "{:?}", t);
            Ok(())
        })
        .unwrap();
    assert!(kinds.iter().all(|k| k.get() > 0), "{kinds:?}");
}

#[test]
fn a_save_writes_audit_and_history_in_its_transaction() {
    let store = demo_store();
    let jc = me(&store, "brinkmann");
    // A case created through the interactive path (seeds log only the case's creation).
    let mut template = store.load_case(&jc, first_case(&store, &jc)).unwrap();
    // Owned by the Jobcenter, so that its staff write the person data (and nothing of the
    // Jugendamt's: its file number, its caseworker, the Fallführung).
    template.owner = tandem::domain::Agency::Jobcenter;
    template.jc_staff = Some(jc.id);
    template.ja_staff = None;
    template.lead = tandem::domain::Agency::Jobcenter;
    template.person.ja_file_no.clear();
    let id = store.create_case(&jc, &template).unwrap();
    let before = store.load_case(&jc, id).unwrap();
    let pid = before.person.id.0;
    let old_surname = before.person.surname.clone();

    let mut case = before.clone();
    case.person.surname = "Neumann-Öztürk".into();
    case.question = "Neue Frage".into();
    store.update_case(&jc, &case).unwrap();
    // A save without changes still counts (and bumps the versions).
    let same = store.load_case(&jc, id).unwrap();
    store.update_case(&jc, &same).unwrap();

    let person_rows = store.audit_rows_for(object::PERSON, pid).unwrap();
    let case_rows = store.audit_rows_for(object::CASE, id.0).unwrap();
    let actions = |rows: &[tandem::storage::AuditRow]| -> Vec<String> {
        rows.iter().map(|r| r.action.clone()).collect()
    };
    assert_eq!(actions(&person_rows), ["create", "update", "update"]);
    assert_eq!(actions(&case_rows), ["create", "update", "update"]);
    assert_eq!(person_rows[1].fields, ["surname"]);
    assert_eq!(case_rows[1].fields, ["question"]);
    assert!(person_rows[2].fields.is_empty() && case_rows[2].fields.is_empty());
    assert_eq!(case_rows[1].new_version, Some(before.version + 1));
    assert_eq!(case_rows[2].new_version, Some(before.version + 2));
    assert_eq!(person_rows[1].staff_id, Some(jc.id.0));
    assert_eq!(person_rows[1].stelle.as_deref(), Some("jc"));
    // The create row names every field.
    assert!(case_rows[0].fields.iter().any(|f| f == "question"));
    assert!(person_rows[0].fields.iter().any(|f| f == "surname"));

    let history = store.change_history_for("young_person", pid).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].field, "surname");
    assert_eq!(history[0].old_value.as_deref(), Some(old_surname.as_str()));
    assert_eq!(history[0].audit_seq, person_rows[1].seq);
    let history = store.change_history_for("coop_case", id.0).unwrap();
    assert_eq!(
        history[0].old_value.as_deref(),
        Some(before.question.as_str())
    );

    // A stale save is a conflict and leaves neither audit rows nor history behind.
    let mut stale = before;
    stale.person.surname = "Verloren".into();
    assert!(matches!(
        store.update_case(&jc, &stale),
        Err(StorageError::Conflict { .. })
    ));
    assert_eq!(store.audit_rows_for(object::PERSON, pid).unwrap().len(), 3);
    assert_eq!(
        store.change_history_for("young_person", pid).unwrap().len(),
        1
    );
    assert!(store.verify_audit().unwrap().is_ok());
}

#[test]
fn opening_a_file_is_logged_and_a_refusal_too() {
    let store = demo_store();
    let jc = me(&store, "brinkmann");
    let dpo = me(&store, "wiemers");
    let id = first_case(&store, &jc);
    store.open_case_file(&jc, id).unwrap();
    assert!(matches!(
        store.open_case_file(&dpo, id),
        Err(StorageError::NotFound)
    ));
    assert!(matches!(
        store.open_case_file(&jc, CaseId(9_999_999)),
        Err(StorageError::NotFound)
    ));
    // load_case is the internal, unlogged read.
    store.load_case(&jc, id).unwrap();
    let rows = store.audit_rows_for(object::CASE, id.0).unwrap();
    let tail: Vec<(String, Option<i64>, Option<String>)> = rows
        .iter()
        .filter(|r| r.action == "view" || r.action == "refused")
        .map(|r| (r.action.clone(), r.staff_id, r.detail.clone()))
        .collect();
    assert_eq!(
        tail,
        [
            ("view".to_string(), Some(jc.id.0), None),
            (
                "refused".to_string(),
                Some(dpo.id.0),
                Some("not_visible".into())
            ),
        ]
    );
    let missing = store.audit_rows_for(object::CASE, 9_999_999).unwrap();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].action, "refused");
}

#[test]
fn logins_are_logged_without_the_typed_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
    tandem::demo::write(&store, &tandem::demo::demo_data(today())).unwrap();
    let s = Strings::get(Lang::De);
    let staff = tandem::cli::authenticate(&store, Some("brinkmann"), s).unwrap();
    assert!(tandem::cli::authenticate(&store, Some("Erika Mustermann"), s).is_err());
    let tail = store.audit_tail(2).unwrap();
    assert_eq!(tail[0].action, "login");
    assert_eq!(tail[0].staff_id, Some(staff.id.0));
    assert_eq!(tail[1].action, "login_refused");
    assert_eq!(tail[1].staff_id, None);
    assert_eq!(tail[1].detail.as_deref(), Some("unknown_login"));
    // A deactivated account: refused, with its id and the reason code.
    store.set_staff_active(staff.id, false).unwrap();
    assert!(tandem::cli::authenticate(&store, Some("brinkmann"), s).is_err());
    let tail = store.audit_tail(2).unwrap();
    assert_eq!(
        (tail[0].action.as_str(), tail[0].fields.clone()),
        ("update", vec!["active".to_string()])
    );
    assert_eq!(tail[0].object_id, Some(staff.id.0));
    let history = store.change_history_for("staff", staff.id.0).unwrap();
    let active = history.iter().find(|h| h.field == "active").unwrap();
    assert_eq!(active.old_value.as_deref(), Some("1"));
    assert_eq!(tail[1].action, "login_refused");
    assert_eq!(tail[1].staff_id, Some(staff.id.0));
    assert_eq!(tail[1].detail.as_deref(), Some("inactive"));
    assert!(store.verify_audit().unwrap().is_ok());
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let hits: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE at || ifnull(stelle, '') || action || object_type \
             || fields || ifnull(detail, '') LIKE '%Mustermann%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(hits, 0);
}

#[test]
fn the_log_holds_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file(dir.path());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let words: Vec<String> = conn
        .prepare(
            "SELECT surname FROM young_person UNION SELECT given_names FROM young_person \
             UNION SELECT surname FROM staff UNION SELECT question FROM coop_case WHERE question != ''",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let text: Vec<String> = conn
        .prepare(
            "SELECT at || ' ' || ifnull(stelle, '') || ' ' || action || ' ' || object_type || ' ' \
             || fields || ' ' || ifnull(detail, '') FROM audit_log",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!text.is_empty());
    for w in words.iter().filter(|w| w.chars().count() >= 4) {
        assert!(
            !text.iter().any(|t| t.contains(w.as_str())),
            "personal data in the audit log: {w}"
        );
    }
}

#[test]
fn triggers_refuse_update_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file(dir.path());
    let conn = rusqlite::Connection::open(&db).unwrap();
    for sql in [
        "UPDATE audit_log SET action = 'view' WHERE seq = 1",
        "DELETE FROM audit_log WHERE seq = 1",
        "DELETE FROM audit_log",
    ] {
        let err = conn.execute(sql, []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    drop(conn);
    let store = Store::open(&db, OpenMode::Existing).unwrap();
    assert!(store.verify_audit().unwrap().is_ok());
}

#[test]
fn case_file_writes_are_logged() {
    let store = demo_store();
    let count = |action: &str, object_type: &str| -> usize {
        store
            .audit_tail(1_000_000)
            .unwrap()
            .iter()
            .filter(|r| r.action == action && r.object_type == object_type)
            .count()
    };
    // The demo's case files: consents (some revoked), transfers, custody holders, children,
    // measures, notes and deputies.
    for (action, object_type) in [
        ("create", "consent"),
        ("update", "consent"),
        ("transfer", "coop_case"),
        ("create", "guardian"),
        ("create", "child"),
        ("create", "measure"),
        ("create", "note"),
        ("update", "staff"),
    ] {
        assert!(count(action, object_type) > 0, "{action} {object_type}");
    }
    // Break-glass: the reason's code is logged, its free text is not.
    let jc = me(&store, "brinkmann");
    let id = first_case(&store, &jc);
    let case = store.load_case(&jc, id).unwrap();
    let other = store
        .caseworkers(tandem::domain::Agency::Jobcenter)
        .unwrap()
        .into_iter()
        .find(|s| {
            Some(s.id) != case.jc_staff
                && !s.has_role(tandem::domain::Role::Lead)
                && store.load_case(s, id).is_err()
        })
        .expect("a Jobcenter caseworker outside the case");
    store
        .break_glass(
            &other,
            id,
            tandem::domain::casefile::BreakGlassReason::Other,
            "Anruf von Erika Mustermann",
        )
        .unwrap();
    let last = store.audit_tail(1).unwrap().remove(0);
    assert_eq!(
        (last.action.as_str(), last.object_id, last.detail.as_deref()),
        ("break_glass", Some(id.0), Some("other"))
    );
    assert_eq!(last.staff_id, Some(other.id.0));
    assert!(
        store
            .audit_tail(1_000_000)
            .unwrap()
            .iter()
            .all(|r| format!("{r:?}").find("Mustermann").is_none())
    );
    assert!(store.verify_audit().unwrap().is_ok());
}

/// The edges the random cases rarely reach: the first row, and the last row deleted (a cut
/// tail, which only an anchor kept outside the database reveals).
#[test]
fn first_and_last_rows_and_a_cut_tail() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    {
        let store = Store::open(&db, OpenMode::CreateOrMigrate).unwrap();
        tandem::demo::write(&store, &tandem::demo::seed_data(50, 1, today())).unwrap();
    }
    let (n, hash) = Store::open(&db, OpenMode::Existing)
        .unwrap()
        .verify_audit()
        .unwrap()
        .head
        .unwrap();
    let anchor = format!("{n}:{hash}");
    let copy = dir.path().join("copy.db");
    // The attacker puts the triggers back afterwards: only the chain can tell.
    let tampered = |sql: &str| {
        copy_db(&db, &copy);
        let conn = rusqlite::Connection::open(&copy).unwrap();
        let triggers: Vec<String> = conn
            .prepare(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(triggers.len(), 2);
        conn.execute_batch(&format!(
            "PRAGMA foreign_keys = OFF; DROP TRIGGER audit_log_no_update; \
             DROP TRIGGER audit_log_no_delete; {sql}; {};",
            triggers.join(";\n")
        ))
        .unwrap();
    };
    let named = |anchor: Option<&str>| {
        let (code, stdout, stderr) = verify(&copy, dir.path(), anchor);
        (code, named_row(&stderr), stdout)
    };
    tampered("UPDATE audit_log SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 1");
    assert_eq!(named(None).1, Some(1));
    tampered(&format!(
        "UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE seq = 1) \
         WHERE seq = {n}"
    ));
    assert_eq!(named(None).1, Some(n));
    tampered(&format!("DELETE FROM audit_log WHERE seq = {n}"));
    let (code, _, stdout) = named(None);
    assert_eq!(
        code, 0,
        "without an anchor a cut tail looks complete: {stdout}"
    );
    assert_eq!(named(Some(&anchor)).0, 1);
    assert_eq!(named(Some(&anchor)).1, Some(n));
    // Entries after the anchored one are fine; another hash at the anchored entry (a chain
    // rewritten from some point on) is not.
    tampered("");
    {
        let store = Store::open(&copy, OpenMode::Existing).unwrap();
        store
            .record_event(&AuditEntry::new(AuditAction::Logout, object::SESSION))
            .unwrap();
    }
    assert_eq!(
        named(Some(&anchor)).0,
        0,
        "a longer chain still holds the anchor"
    );
    let wrong = format!("{n}:{}", "0".repeat(16));
    assert_eq!(named(Some(&wrong)), (1, Some(n), String::new()));
}

// Evidence beside the hash chain (docs/audit.md): the tables change_history, transfer_log,
// access_grant and cp_event are append-only and hash-chained, and verify names a missing
// protecting trigger and the first bad row of each table. The copies are tampered with the
// `sqlite3` command-line program, as someone with the file would. The tests install it
// with apt-get when it is missing (so the README's `cargo test` passes on a fresh machine);
// if that fails they fail (they never skip).

/// Makes the `sqlite3` program available, installing the Debian package once if needed.
fn ensure_sqlite3() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| support::ensure_program("sqlite3", "-version", "sqlite3"));
}

/// Runs `sqlite3 DB SQL`; panics when the program is missing or the SQL fails.
fn sqlite3(db: &Path, sql: &str) {
    ensure_sqlite3();
    let out = Command::new("sqlite3")
        .arg(db)
        .arg(sql)
        .output()
        .expect("the sqlite3 command-line program is needed (apt-get install -y sqlite3)");
    assert!(
        out.status.success(),
        "sqlite3 {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// One integer computed by `sql` on `db` (keyed with the key file beside it, if any: the
/// demo database is encrypted).
fn number(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    if let Ok(key) = std::fs::read_to_string(tandem::storage::key::default_key_path(db)) {
        conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.trim()))
            .unwrap();
    }
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Verifies a fresh copy of `db` after `sql` (run by sqlite3): exit code, stdout, the lines
/// of stderr.
fn verify_tampered(db: &Path, dir: &Path, sql: &str) -> (i32, String, Vec<String>) {
    let copy = dir.join("tampered.db");
    copy_db(db, &copy);
    sqlite3(&copy, sql);
    let (code, stdout, stderr) = verify(&copy, dir, None);
    (code, stdout, stderr.lines().map(str::to_string).collect())
}

fn trigger_missing(name: &str, table: &str) -> String {
    format!("Schutz-Trigger {name} der Tabelle {table} fehlt.")
}

fn evidence_broken(table: &str, id: i64, why: &str) -> String {
    format!("Belegkette {table} gebrochen bei Eintrag {id}: {why}.")
}

const CHAIN_BROKEN: &str =
    "Verweis auf den vorigen Eintrag stimmt nicht (Eintrag davor gelöscht oder verändert)";
const CHANGED: &str = "Inhalt passt nicht zum gespeicherten Hash (Eintrag verändert)";
const MISSING: &str = "Eintrag fehlt, obwohl das Prüfprotokoll ihn verzeichnet (gelöscht)";

#[test]
fn a_deleted_transfer_receipt_and_its_trigger_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file(dir.path());
    let ids: Vec<i64> = rusqlite::Connection::open(&db)
        .unwrap()
        .prepare("SELECT id FROM transfer_log ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(ids.len() >= 3, "the demo has transfers");
    let missing = trigger_missing("transfer_log_no_delete", "transfer_log");
    // A receipt in the middle: the next one no longer chains.
    let (code, stdout, lines) = verify_tampered(
        &db,
        dir.path(),
        &format!(
            "DROP TRIGGER transfer_log_no_delete; DELETE FROM transfer_log WHERE id = {};",
            ids[1]
        ),
    );
    assert_eq!(code, 1, "{stdout}{lines:?}");
    assert_eq!(
        lines,
        [
            missing.clone(),
            evidence_broken("transfer_log", ids[2], CHAIN_BROKEN)
        ]
    );
    assert!(stdout.is_empty(), "{stdout}");
    // The last receipt: the audit log recorded it.
    let last = *ids.last().unwrap();
    let (code, _, lines) = verify_tampered(
        &db,
        dir.path(),
        &format!(
            "DROP TRIGGER transfer_log_no_delete; DELETE FROM transfer_log WHERE id = {last};"
        ),
    );
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [missing, evidence_broken("transfer_log", last, MISSING)]
    );
    // With the trigger in place the delete is refused.
    let copy = dir.path().join("intact.db");
    copy_db(&db, &copy);
    let refused = rusqlite::Connection::open(&copy)
        .unwrap()
        .execute("DELETE FROM transfer_log WHERE id = ?1", [last]);
    assert!(refused.unwrap_err().to_string().contains("immutable"));
}

#[test]
fn an_edited_or_forged_history_row_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file(dir.path());
    let first = number(&db, "SELECT min(id) FROM change_history");
    let last = number(&db, "SELECT max(id) FROM change_history");
    assert!(last > first, "the demo file has previous values");
    let (code, stdout, lines) = verify_tampered(
        &db,
        dir.path(),
        &format!(
            "DROP TRIGGER change_history_no_update; \
             UPDATE change_history SET old_value = 'gefälscht' WHERE id = {first};"
        ),
    );
    assert_eq!(code, 1, "{stdout}{lines:?}");
    assert_eq!(
        lines,
        [
            trigger_missing("change_history_no_update", "change_history"),
            evidence_broken("change_history", first, CHANGED)
        ]
    );
    // A forged row appended with every trigger in place (inserts are allowed).
    let (code, _, lines) = verify_tampered(
        &db,
        dir.path(),
        "INSERT INTO change_history (audit_seq, table_name, record_id, field, old_value, \
         prev_hash, hash) SELECT audit_seq, table_name, record_id, field, 'erfunden', hash, \
         hash FROM change_history ORDER BY id DESC LIMIT 1;",
    );
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [evidence_broken("change_history", last + 1, CHANGED)]
    );
}

#[test]
fn a_dropped_or_replaced_trigger_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file(dir.path());
    for (sql, expected) in [
        (
            "DROP TRIGGER cp_event_no_update;",
            trigger_missing("cp_event_no_update", "cp_event"),
        ),
        (
            "DROP TRIGGER audit_log_no_delete;",
            trigger_missing("audit_log_no_delete", "audit_log"),
        ),
        (
            "DROP TRIGGER transfer_log_no_update;",
            trigger_missing("transfer_log_no_update", "transfer_log"),
        ),
        (
            "DROP TRIGGER access_grant_chained;",
            trigger_missing("access_grant_chained", "access_grant"),
        ),
        // Same name, but it no longer stops anything.
        (
            "DROP TRIGGER change_history_no_delete; \
             CREATE TRIGGER change_history_no_delete BEFORE DELETE ON change_history WHEN 0 \
             BEGIN SELECT RAISE(ABORT, 'change_history is append-only'); END;",
            "Schutz-Trigger change_history_no_delete der Tabelle change_history ist verändert."
                .to_string(),
        ),
    ] {
        let (code, stdout, lines) = verify_tampered(&db, dir.path(), sql);
        assert_eq!(code, 1, "{sql}: {stdout}");
        assert_eq!(lines, [expected], "{sql}");
        assert!(stdout.is_empty(), "{sql}: {stdout}");
    }
}

#[test]
fn an_emptied_grant_table_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file(dir.path());
    {
        // Two break-glass grants (the demo has none).
        let store = Store::open(&db, OpenMode::Existing).unwrap();
        let jc = me(&store, "brinkmann");
        let id = first_case(&store, &jc);
        let others: Vec<Staff> = store
            .caseworkers(tandem::domain::Agency::Jobcenter)
            .unwrap()
            .into_iter()
            .filter(|s| !s.has_role(tandem::domain::Role::Lead) && store.load_case(s, id).is_err())
            .take(2)
            .collect();
        assert_eq!(
            others.len(),
            2,
            "two Jobcenter caseworkers outside the case"
        );
        for other in &others {
            store
                .break_glass(
                    other,
                    id,
                    tandem::domain::casefile::BreakGlassReason::Other,
                    "Anruf",
                )
                .unwrap();
        }
        assert!(store.verify_audit().unwrap().is_ok());
    }
    let first = number(&db, "SELECT min(id) FROM access_grant");
    assert_eq!(number(&db, "SELECT count(*) FROM access_grant"), 2);
    let (code, stdout, lines) = verify_tampered(
        &db,
        dir.path(),
        "DROP TRIGGER access_grant_no_delete; DELETE FROM access_grant;",
    );
    assert_eq!(code, 1, "{stdout}{lines:?}");
    assert_eq!(
        lines,
        [
            trigger_missing("access_grant_no_delete", "access_grant"),
            evidence_broken("access_grant", first, MISSING)
        ]
    );
    // Put back (as schema 13 has it), the trigger alone no longer hides the empty table.
    let (code, _, lines) = verify_tampered(
        &db,
        dir.path(),
        "DROP TRIGGER access_grant_no_delete; DELETE FROM access_grant; \
         CREATE TRIGGER access_grant_no_delete BEFORE DELETE ON access_grant \
         WHEN NOT EXISTS (SELECT 1 FROM evidence_erasure e \
         WHERE e.table_name = 'access_grant' AND e.row_id = OLD.id) \
         BEGIN SELECT RAISE(ABORT, 'access_grant is append-only'); END;",
    );
    assert_eq!(code, 1);
    assert_eq!(lines, [evidence_broken("access_grant", first, MISSING)]);
}

/// The database `tandem demo` creates verifies, evidence and triggers included (the demo
/// writes it before the terminal is checked; without a terminal it then exits with 2).
#[test]
fn the_demo_command_database_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let status = Command::new(bin())
        .args(["--lang", "de", "demo", "--db"])
        .arg(&db)
        .env("TANDEM_DATA", dir.path())
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .env("TERM", "dumb")
        .env_remove("TANDEM_CONFIG")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(db.exists(), "{status:?}");
    let (code, stdout, stderr) = verify(&db, dir.path(), None);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("Prüfkette in Ordnung: "), "{stdout}");
    assert!(
        lines[1].starts_with("Belegketten in Ordnung: change_history ")
            && lines[1].ends_with("; 23 Schutz-Trigger vorhanden."),
        "{stdout}"
    );
    for table in ["transfer_log", "cp_event"] {
        let n = number(&db, &format!("SELECT count(*) FROM {table}"));
        assert!(n > 0, "{table}");
        assert!(lines[1].contains(&format!("{table} {n}")), "{stdout}");
    }
}

/// `tandem audit grants`: the DSB and the lead review the break-glass grants of the own
/// agency's staff, a caseworker is refused (docs/access.md A4); the review is logged.
#[test]
fn break_glass_grants_are_reviewed_by_the_dsb_and_the_own_lead() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file(dir.path());
    {
        let store = Store::open(&db, OpenMode::Existing).unwrap();
        let karaca = me(&store, "karaca");
        // A case the Jobcenter is party to and karaca does not work on.
        let lead = me(&store, "schwering");
        let case = store
            .case_page(&lead, &ListQuery::default(), &PageAnchor::First, 500)
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .find(|id| store.load_case(&karaca, *id).is_err())
            .expect("a case outside karaca's caseload");
        store
            .break_glass(
                &karaca,
                case,
                tandem::domain::casefile::BreakGlassReason::PersonAsked,
                "",
            )
            .unwrap();
    }
    let run = |login: &str| {
        let out = Command::new(bin())
            .args(["audit", "grants", "--db"])
            .arg(&db)
            .args(["--user", login])
            .env("TANDEM_DATA", dir.path())
            .env("HOME", dir.path())
            .env_remove("TANDEM_CONFIG")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    for login in ["wiemers", "schwering"] {
        let (code, stdout, stderr) = run(login);
        assert_eq!(code, Some(0), "{login}: {stderr}");
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), 1, "{login}: {stdout}");
        let cols: Vec<&str> = lines[0].split('\t').collect();
        assert_eq!(cols.len(), 6, "{stdout}");
        assert_eq!(
            (cols[2], cols[3], cols[5]),
            ("karaca", "jc", "person_asked")
        );
    }
    // The Jugendamt's lead and DSB learn nothing of a Jobcenter grant; a caseworker is
    // refused.
    for login in ["tueshaus", "kloeckner"] {
        let (code, stdout, _) = run(login);
        assert_eq!((code, stdout.as_str()), (Some(0), ""), "{login}");
    }
    let (code, stdout, stderr) = run("brinkmann");
    assert_eq!(code, Some(1));
    assert!(stdout.is_empty());
    assert!(stderr.contains("Notfallzugriffe sehen nur"), "{stderr}");
    // Each review is in the log.
    let store = Store::open(&db, OpenMode::Existing).unwrap();
    let reviews = store
        .audit_tail(50)
        .unwrap()
        .into_iter()
        .filter(|r| r.object_type == "access_grant_review")
        .count();
    assert_eq!(reviews, 4, "two DSBs and two leads asked");
}
