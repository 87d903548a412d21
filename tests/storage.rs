//! Storage tests: migrations, fixed settings, round trips, keyset pages, the stale-version
//! conflict, and refusing foreign files without touching them.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use support::{demo_store, today};
use tandem::domain::{CaseStatus, Staff};
use tandem::model::list::{ListQuery, PageAnchor, SortColumn};
use tandem::storage::{OpenMode, StorageError, Store};

fn me(store: &Store, login: &str) -> Staff {
    store.staff_by_login(login).unwrap().unwrap()
}

/// A case of `me`'s agency assigned to `me` (whose person data `me` may write).
fn own_case(store: &Store, me: &Staff) -> tandem::domain::CaseId {
    let q = ListQuery {
        today: today(),
        ..ListQuery::default()
    };
    store
        .case_page(me, &q, &PageAnchor::First, 10_000)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .find(|id| {
            store.load_case(me, *id).is_ok_and(|c| {
                c.owner == me.agency && (c.jc_staff == Some(me.id) || c.ja_staff == Some(me.id))
            })
        })
        .expect("an own case")
}

#[test]
fn migrations_are_valid_and_apply_from_empty() {
    tandem::storage::migrations::validate().unwrap();
    let store = Store::open_in_memory().unwrap();
    assert_eq!(
        store.pragma_text("user_version").unwrap(),
        tandem::storage::migrations::LATEST.to_string()
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn open_sets_the_fixed_pragmas() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
    for (pragma, expected) in [
        ("journal_mode", "wal"),
        ("synchronous", "2"),
        ("busy_timeout", "5000"),
        ("foreign_keys", "1"),
        ("trusted_schema", "0"),
        ("secure_delete", "1"),
        ("journal_size_limit", "67108864"),
        // Temporary storage in memory (2): nothing in an unencrypted temporary file.
        ("temp_store", "2"),
        (
            "application_id",
            &tandem::storage::APPLICATION_ID.to_string(),
        ),
    ] {
        assert_eq!(store.pragma_text(pragma).unwrap(), expected, "{pragma}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    drop(store);
    // Reopening as the interactive program does works on the migrated file.
    Store::open(&path, OpenMode::Existing).unwrap();
}

#[test]
fn interactive_open_refuses_missing_foreign_and_corrupt_files_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.db");
    assert!(matches!(
        Store::open(&missing, OpenMode::Existing),
        Err(StorageError::Missing(_))
    ));
    assert!(!missing.exists(), "nothing created");

    let garbage = dir.path().join("garbage.db");
    let bytes: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13).to_le_bytes()[0])
        .collect();
    std::fs::write(&garbage, &bytes).unwrap();
    assert!(matches!(
        Store::open(&garbage, OpenMode::Existing),
        Err(StorageError::NotADatabase)
    ));
    assert!(matches!(
        Store::open(&garbage, OpenMode::CreateOrMigrate),
        Err(StorageError::NotADatabase)
    ));
    assert_eq!(std::fs::read(&garbage).unwrap(), bytes);

    let foreign = dir.path().join("foreign.db");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let before = std::fs::read(&foreign).unwrap();
    assert!(matches!(
        Store::open(&foreign, OpenMode::Existing),
        Err(StorageError::Foreign)
    ));
    assert!(matches!(
        Store::open(&foreign, OpenMode::CreateOrMigrate),
        Err(StorageError::Foreign)
    ));
    assert_eq!(std::fs::read(&foreign).unwrap(), before);
    assert!(!dir.path().join("foreign.db-wal").exists());

    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(
        Store::open(&empty, OpenMode::Existing),
        Err(StorageError::Foreign)
    ));
    assert_eq!(std::fs::read(&empty).unwrap().len(), 0);
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    drop(Store::open(&path, OpenMode::CreateOrMigrate).unwrap());
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    assert!(matches!(
        Store::open(&path, OpenMode::Existing),
        Err(StorageError::SchemaTooNew { found: 99, .. })
    ));
}

#[test]
fn case_round_trip() {
    let store = demo_store();
    let me = me(&store, "brinkmann");
    let mut case = store.load_case(&me, own_case(&store, &me)).unwrap();
    case.person.surname = "Schulte-Heß".to_string();
    case.question = "Zeile 1\nZeile 2 mit „Anführungszeichen“".to_string();
    case.next_review = Some(today());
    store.update_case(&me, &case).unwrap();
    let back = store.load_case(&me, case.id).unwrap();
    assert_eq!(back.person.surname, "Schulte-Heß");
    assert_eq!(back.question, case.question);
    assert_eq!(back.next_review, Some(today()));
    assert_eq!(back.version, case.version + 1);
    assert_eq!(back.person.version, case.person.version + 1);
    // The read model followed: the new name is found by the filter.
    let q = ListQuery {
        filter: "schulte-hess".into(),
        ..ListQuery::default()
    };
    let rows = store.case_page(&me, &q, &PageAnchor::First, 10).unwrap();
    assert!(rows.iter().any(|r| r.id == case.id));
}

#[test]
fn stale_version_is_a_conflict_and_the_first_save_survives() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let s = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
        tandem::demo::write(&s, &tandem::demo::demo_data(today())).unwrap();
    }
    let a = Store::open(&path, OpenMode::Existing).unwrap();
    let b = Store::open(&path, OpenMode::Existing).unwrap();
    let alice = me(&a, "brinkmann");
    let bob = me(&b, "karaca");
    // karaca stands in for brinkmann while he is away (docs/access.md A2).
    support::away_today(&a, alice.id);
    let id = own_case(&a, &alice);
    let mut ca = a.load_case(&alice, id).unwrap();
    let mut cb = b.load_case(&bob, id).unwrap();
    cb.question = "von Karaca".into();
    b.update_case(&bob, &cb).unwrap();
    ca.question = "von Brinkmann".into();
    match a.update_case(&alice, &ca) {
        Err(StorageError::Conflict { by, at }) => {
            assert_eq!(by.as_deref(), Some("Murat Karaca"));
            assert!(at.is_some());
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(a.load_case(&alice, id).unwrap().question, "von Karaca");
    // Reloaded, the save goes through.
    let mut fresh = a.load_case(&alice, id).unwrap();
    fresh.question = "von Brinkmann, nach Abgleich".into();
    a.update_case(&alice, &fresh).unwrap();
}

#[test]
fn keyset_pages_cover_every_sort_in_both_directions() {
    let store = demo_store();
    let me = me(&store, "brinkmann");
    for sort in SortColumn::ALL {
        for descending in [false, true] {
            let q = ListQuery {
                filter: String::new(),
                sort,
                descending,
                ..ListQuery::default()
            };
            let all = store
                .case_page(&me, &q, &PageAnchor::First, 10_000)
                .unwrap();
            assert_eq!(all.len(), store.case_count(&me, &q).unwrap());
            // Forward in pages of 7.
            let mut walked = store.case_page(&me, &q, &PageAnchor::First, 7).unwrap();
            loop {
                let last = walked.last().unwrap().clone();
                let next = store
                    .case_page(&me, &q, &PageAnchor::After(last.key, last.id), 7)
                    .unwrap();
                if next.is_empty() {
                    break;
                }
                walked.extend(next);
            }
            assert_eq!(walked, all, "{sort:?} {descending}");
            // Backward from the end.
            let mut back = store.case_page(&me, &q, &PageAnchor::Last, 5).unwrap();
            loop {
                let first = back.first().unwrap().clone();
                let prev = store
                    .case_page(&me, &q, &PageAnchor::Before(first.key, first.id), 5)
                    .unwrap();
                if prev.is_empty() {
                    break;
                }
                back.splice(0..0, prev);
            }
            assert_eq!(back, all, "{sort:?} {descending} backwards");
            // Rank agrees with the position.
            for (i, r) in all.iter().enumerate().step_by(17) {
                assert_eq!(store.case_rank(&me, &q, &r.key, r.id).unwrap(), i);
            }
        }
    }
}

#[test]
fn status_sort_follows_the_workflow() {
    let store = demo_store();
    let me = me(&store, "brinkmann");
    let q = ListQuery {
        sort: SortColumn::Status,
        ..ListQuery::default()
    };
    let rows = store
        .case_page(&me, &q, &PageAnchor::First, 10_000)
        .unwrap();
    let rank = |s: CaseStatus| CaseStatus::ALL.iter().position(|x| *x == s).unwrap();
    assert!(
        rows.windows(2)
            .all(|w| rank(w[0].status) <= rank(w[1].status))
    );
}

#[test]
fn unknown_and_invisible_cases_are_not_found() {
    let store = demo_store();
    let dpo = me(&store, "wiemers");
    let jc = me(&store, "brinkmann");
    let id = store
        .case_page(&jc, &ListQuery::default(), &PageAnchor::First, 1)
        .unwrap()[0]
        .id;
    assert!(matches!(
        store.load_case(&dpo, id),
        Err(StorageError::NotFound)
    ));
    assert!(matches!(
        store.load_case(&jc, tandem::domain::CaseId(9_999_999)),
        Err(StorageError::NotFound)
    ));
}

#[test]
fn seed_is_deterministic_and_fills_the_list() {
    let a = Store::open_in_memory().unwrap();
    let b = Store::open_in_memory().unwrap();
    let anchor = today();
    tandem::demo::write(&a, &tandem::demo::seed_data(500, 7, anchor)).unwrap();
    tandem::demo::write(&b, &tandem::demo::seed_data(500, 7, anchor)).unwrap();
    let ma = me(&a, "brinkmann");
    let q = ListQuery::default();
    let pa = a.case_page(&ma, &q, &PageAnchor::First, 10_000).unwrap();
    let pb = b.case_page(&ma, &q, &PageAnchor::First, 10_000).unwrap();
    assert_eq!(pa, pb);
    assert!(
        !pa.is_empty() && pa.len() < 500,
        "a caseload, not the agency: {}",
        pa.len()
    );
}

/// With many cases a common filter word walks the sort index and a rare one sorts its
/// matches; both must give exactly the rows the per-case check accepts, in list order.
#[test]
fn filter_strategies_agree_with_the_per_case_check() {
    let store = Store::open_in_memory().unwrap();
    tandem::demo::write(&store, &tandem::demo::seed_data(8000, 3, today())).unwrap();
    let me = me(&store, "brinkmann");
    for (filter, sort, descending) in [
        ("m", SortColumn::Name, false),
        ("m a", SortColumn::Status, false),
        ("aktiv", SortColumn::NextDate, false),
        ("mü", SortColumn::JcStaff, false),
        ("schulte", SortColumn::Name, true),
        ("zzz", SortColumn::Name, false),
    ] {
        let unfiltered = ListQuery {
            filter: String::new(),
            sort,
            descending,
            ..ListQuery::default()
        };
        let q = ListQuery {
            filter: filter.into(),
            sort,
            descending,
            ..ListQuery::default()
        };
        let expected: Vec<_> = store
            .case_page(&me, &unfiltered, &PageAnchor::First, 100_000)
            .unwrap()
            .into_iter()
            .filter(|r| store.case_row(&me, &q, r.id).unwrap().is_some())
            .collect();
        assert_eq!(
            store.case_count(&me, &q).unwrap(),
            expected.len(),
            "{filter}"
        );
        let mut walked = store.case_page(&me, &q, &PageAnchor::First, 50).unwrap();
        while let Some(last) = walked.last().cloned() {
            let next = store
                .case_page(&me, &q, &PageAnchor::After(last.key, last.id), 50)
                .unwrap();
            if next.is_empty() {
                break;
            }
            walked.extend(next);
        }
        assert_eq!(walked, expected, "{filter}");
        let last_page = store.case_page(&me, &q, &PageAnchor::Last, 50).unwrap();
        assert_eq!(
            last_page.as_slice(),
            &expected[expected.len().saturating_sub(50)..],
            "{filter}"
        );
        if let Some(r) = expected.get(expected.len() / 2) {
            assert_eq!(
                store.case_rank(&me, &q, &r.key, r.id).unwrap(),
                expected.len() / 2,
                "{filter}"
            );
        }
    }
}

/// The demo shows every kind of alert somewhere (issue: "the demo database contains cases
/// that show every alert").
#[test]
fn demo_has_every_alert() {
    use tandem::domain::alerts::Alert;
    let store = demo_store();
    let mut kinds = std::collections::BTreeSet::new();
    for lead in ["schwering", "tueshaus"] {
        let me = me(&store, lead);
        let q = ListQuery {
            today: today(),
            ..ListQuery::default()
        };
        for row in store
            .case_page(&me, &q, &PageAnchor::First, 10_000)
            .unwrap()
        {
            for a in row.alerts {
                kinds.insert(match a {
                    Alert::ConsentExpiring(_) => "expiring",
                    Alert::ConsentRevoked(_) => "revoked",
                    Alert::ConsentExpired(_) => "expired",
                    Alert::ConsentNeedsConfirmation => "confirmation",
                    Alert::Turning25(_) => "u25",
                    Alert::HelpEnding(_) => "help_ending",
                    Alert::MeasuresOverdue(_) => "overdue",
                    Alert::Inactive(_) => "inactive",
                });
            }
        }
    }
    let all = [
        "confirmation",
        "expired",
        "expiring",
        "help_ending",
        "inactive",
        "overdue",
        "revoked",
        "u25",
    ];
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), all);
}

#[test]
fn no_draft_value_over_the_highest_field_limit_is_written() {
    use std::collections::BTreeMap;
    use tandem::domain::text::FieldLimits;
    use tandem::model::draft::{Draft, SessionId};
    let store = demo_store();
    let me = me(&store, "brinkmann");
    let ceiling = FieldLimits::CEILING.text;
    let draft = |v: String| Draft::new(me.id, "note", 0, BTreeMap::from([("text".to_string(), v)]));
    let session = SessionId::none();
    // At the ceiling (in characters, not bytes): written.
    store
        .save_draft(&session, &draft("ä".repeat(ceiling)))
        .unwrap();
    // One more: refused, and the stored draft stays as it was.
    let err = store
        .save_draft(&session, &draft("a".repeat(ceiling + 1)))
        .unwrap_err();
    assert!(matches!(err, StorageError::Refused(_)), "{err:?}");
    let stored = store.drafts_for(me.id).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].values["text"], "ä".repeat(ceiling));
}
