//! Restriction of processing and disputed fields in the store (docs/access.md A12): who
//! restricts and lifts, that nobody writes a restricted case, that only the owning Stelle's
//! lead reads it, that the case list withholds it like an untransferred row, and the steps
//! of a dispute — each refusal one `refused` audit row and no other change.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod support;

use chrono::Duration;
use tandem::domain::casefile::{
    Measure, MeasureStatus, Responsible, StatutoryBasis, TransferBasis,
};
use tandem::domain::refusal::Refusal;
use tandem::domain::restriction::{DisputeOutcome, RestrictionReason};
use tandem::domain::{
    Agency, CaseId, CaseStatus, CoopCase, Field, Gender, PersonId, ReasonCode, Role, Staff,
    YoungPerson,
};
use tandem::model::list::{ListQuery, PageAnchor};
use tandem::storage::staff::NewStaff;
use tandem::storage::{OpenMode, StorageError, Store};

/// A Jobcenter case with a Jugendamt caseworker, and everyone around it.
struct World {
    _dir: tempfile::TempDir,
    /// A second, read-only connection to the same file, for the digest.
    raw: rusqlite::Connection,
    store: Store,
    /// Assigned Jobcenter caseworker.
    jc_worker: Staff,
    /// A Jobcenter caseworker not on the case.
    jc_other: Staff,
    /// Jobcenter lead (the owning Stelle's).
    jc_lead: Staff,
    /// Jobcenter DSB.
    jc_dsb: Staff,
    /// Assigned Jugendamt caseworker (partner).
    ja_worker: Staff,
    /// Jugendamt lead (partner, party to the case).
    ja_lead: Staff,
    /// Jugendamt DSB.
    ja_dsb: Staff,
    case: CaseId,
    /// A second case of the Jobcenter caseworker, never restricted.
    other_case: CaseId,
}

fn new_staff(login: &str, agency: Agency, roles: Vec<Role>) -> NewStaff {
    NewStaff {
        login: login.into(),
        surname: format!("Nachname-{login}"),
        given_name: "Test".into(),
        phone: "02366 000000".into(),
        email: format!("{login}@example.org"),
        agency,
        roles,
    }
}

fn person_case(surname: &str, given: &str, years: i64) -> CoopCase {
    let today = support::today();
    CoopCase {
        id: CaseId(0),
        person: YoungPerson {
            id: PersonId(0),
            surname: surname.into(),
            given_names: given.into(),
            birth_date: today - Duration::days(years * 365),
            gender: Gender::Female,
            address: "Teststraße 1, 45699 Herten".into(),
            phone: "02366 012345".into(),
            email: "person@example.org".into(),
            jc_customer_no: "KD-1".into(),
            bg_no: "BG-1".into(),
            ja_file_no: String::new(),
            version: 0,
        },
        owner: Agency::Jobcenter,
        status: CaseStatus::Active,
        reasons: vec![ReasonCode::Debt],
        question: "Fragestellung".into(),
        lead: Agency::Jobcenter,
        jc_staff: None,
        ja_staff: None,
        opened_on: today - Duration::days(100),
        next_review: None,
        closed_on: None,
        closure_reason: None,
        version: 0,
    }
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tandem.db");
    let mut store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
    store.set_clock(support::test_clock());
    let raw =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let ids = store
        .insert_staff(&[
            new_staff("jcw", Agency::Jobcenter, vec![Role::JcU25]),
            new_staff("jco", Agency::Jobcenter, vec![Role::JcU25]),
            new_staff("jcl", Agency::Jobcenter, vec![Role::Lead]),
            new_staff("jcd", Agency::Jobcenter, vec![Role::Dpo]),
            new_staff("jaw", Agency::Jugendamt, vec![Role::JaStaff]),
            new_staff("jal", Agency::Jugendamt, vec![Role::Lead]),
            new_staff("jad", Agency::Jugendamt, vec![Role::Dpo]),
        ])
        .unwrap();
    let s: Vec<Staff> = ids
        .iter()
        .map(|id| store.staff_by_id(*id).unwrap().unwrap())
        .collect();
    let mut case = person_case("Zander", "Zoe", 20);
    case.jc_staff = Some(s[0].id);
    case.ja_staff = Some(s[4].id);
    let id = store.create_case(&s[0], &case).unwrap();
    let mut other = person_case("Abel", "Anna", 19);
    other.jc_staff = Some(s[0].id);
    let other_case = store.create_case(&s[0], &other).unwrap();
    World {
        jc_worker: s[0].clone(),
        jc_other: s[1].clone(),
        jc_lead: s[2].clone(),
        jc_dsb: s[3].clone(),
        ja_worker: s[4].clone(),
        ja_lead: s[5].clone(),
        ja_dsb: s[6].clone(),
        _dir: dir,
        raw,
        store,
        case: id,
        other_case,
    }
}

/// The number of audit rows, and a digest of the tables a step may change.
fn state(w: &World) -> (i64, String) {
    let rows = w.store.audit_tail(1).unwrap();
    let seq = rows.last().map_or(0, |r| r.seq);
    let conn = &w.raw;
    let digest: String = conn
        .query_row(
            "SELECT (SELECT group_concat(id || reason || coalesce(lifted_at, ''), ';') FROM restriction) || '|' || \
             (SELECT group_concat(id || field || coalesce(outcome, ''), ';') FROM field_dispute) || '|' || \
             (SELECT group_concat(case_id || restricted, ';') FROM case_list) || '|' || \
             (SELECT count(*) FROM note) || (SELECT count(*) FROM measure) || (SELECT count(*) FROM transfer_log) \
             || (SELECT group_concat(version, ';') FROM coop_case)",
            [],
            |r| r.get::<_, Option<String>>(0),
        )
        .unwrap()
        .unwrap_or_default();
    (seq, digest)
}

/// Runs a step that must be refused with `want`: one new `refused` row with the code,
/// nothing else changed.
#[track_caller]
fn refused<T: std::fmt::Debug>(
    w: &World,
    what: &str,
    want: &StorageError,
    code: &str,
    step: impl FnOnce() -> Result<T, StorageError>,
) {
    let store = &w.store;
    let before = state(w);
    let res = step();
    match (&res, want) {
        (Err(StorageError::Refused(a)), StorageError::Refused(b)) if a == b => {}
        (Err(StorageError::NotFound), StorageError::NotFound) => {}
        _ => panic!("{what}: {res:?}, want {want:?}"),
    }
    let after = state(w);
    assert_eq!(after.0, before.0 + 1, "{what}: want one new audit row");
    assert_eq!(after.1, before.1, "{what}: refused but something changed");
    let row = store.audit_tail(1).unwrap().pop().unwrap();
    assert_eq!(row.action, "refused", "{what}");
    assert_eq!(row.detail.as_deref(), Some(code), "{what}");
}

fn restricted_err() -> StorageError {
    StorageError::Refused(Refusal::Restricted)
}

#[test]
fn only_the_owning_stelles_lead_and_dsb_restrict_and_lift() {
    let w = world();
    let s = &w.store;
    let not_allowed = StorageError::Refused(Refusal::RestrictNotAllowed);
    let r = RestrictionReason::Accuracy;
    refused(
        &w,
        "assigned caseworker",
        &not_allowed,
        "restrict_not_allowed",
        || s.restrict_case(&w.jc_worker, w.case, r),
    );
    refused(
        &w,
        "partner lead",
        &not_allowed,
        "restrict_not_allowed",
        || s.restrict_case(&w.ja_lead, w.case, r),
    );
    refused(
        &w,
        "partner DSB",
        &not_allowed,
        "restrict_not_allowed",
        || s.restrict_case(&w.ja_dsb, w.case, r),
    );
    refused(
        &w,
        "caseworker off the case",
        &StorageError::NotFound,
        "not_visible",
        || s.restrict_case(&w.jc_other, w.case, r),
    );
    refused(
        &w,
        "no such case",
        &StorageError::NotFound,
        "not_visible",
        || s.restrict_case(&w.jc_lead, CaseId(9999), r),
    );
    refused(
        &w,
        "lift without restriction",
        &StorageError::Refused(Refusal::NotRestricted),
        "not_restricted",
        || s.lift_restriction(&w.jc_lead, w.case),
    );

    s.restrict_case(&w.jc_dsb, w.case, r).unwrap();
    let row = s.audit_tail(1).unwrap().pop().unwrap();
    assert_eq!(
        (
            row.action.as_str(),
            row.object_type.as_str(),
            row.detail.as_deref()
        ),
        ("create", "restriction", Some("accuracy"))
    );
    refused(
        &w,
        "twice",
        &StorageError::Refused(Refusal::AlreadyRestricted),
        "already_restricted",
        || s.restrict_case(&w.jc_lead, w.case, RestrictionReason::Objection),
    );
    let open = s.restriction_of(&w.jc_dsb, w.case).unwrap().unwrap();
    assert_eq!((open.reason, open.by.as_str()), (r, "jcd"));
    // The caseworker knows the case and learns that it is restricted; an outsider nothing.
    assert!(s.restriction_of(&w.jc_worker, w.case).unwrap().is_some());
    assert!(matches!(
        s.restriction_of(&w.jc_other, w.case),
        Err(StorageError::NotFound)
    ));
    refused(
        &w,
        "partner lifts",
        &not_allowed,
        "restrict_not_allowed",
        || s.lift_restriction(&w.ja_lead, w.case),
    );
    s.lift_restriction(&w.jc_lead, w.case).unwrap();
    let row = s.audit_tail(1).unwrap().pop().unwrap();
    assert_eq!(
        (
            row.action.as_str(),
            row.object_type.as_str(),
            row.detail.as_deref()
        ),
        ("update", "restriction", Some("lifted"))
    );
    assert!(s.restriction_of(&w.jc_lead, w.case).unwrap().is_none());
    // After lifting, work goes on.
    s.add_note(&w.jc_worker, w.case, "Weiter", false).unwrap();
}

#[test]
fn nobody_writes_a_restricted_case() {
    let w = world();
    let s = &w.store;
    s.restrict_case(&w.jc_lead, w.case, RestrictionReason::Unlawful)
        .unwrap();
    let today = support::today();
    let stored = s.load_case(&w.jc_lead, w.case).unwrap();
    refused(&w, "note", &restricted_err(), "restricted", || {
        s.add_note(&w.jc_worker, w.case, "Notiz", false)
    });
    refused(&w, "partner note", &restricted_err(), "restricted", || {
        s.add_note(&w.ja_worker, w.case, "Notiz", true)
    });
    refused(&w, "case form", &restricted_err(), "restricted", || {
        s.update_case(&w.jc_worker, &stored)
    });
    refused(
        &w,
        "case form by the lead",
        &restricted_err(),
        "restricted",
        || s.update_case(&w.jc_lead, &stored),
    );
    refused(&w, "measure", &restricted_err(), "restricted", || {
        s.add_measure(
            &w.jc_worker,
            w.case,
            &Measure {
                id: 0,
                text: "Bewerbungstraining".into(),
                responsible: Responsible::YoungPerson,
                due_on: today + Duration::days(14),
                status: MeasureStatus::Open,
                result: String::new(),
            },
        )
    });
    refused(&w, "help end", &restricted_err(), "restricted", || {
        s.set_help_end(&w.jc_worker, w.case, Some(today + Duration::days(30)))
    });
    refused(
        &w,
        "transfer by the lead",
        &restricted_err(),
        "restricted",
        || {
            s.record_transfer(
                &w.jc_lead,
                w.case,
                &[Field::JcCustomerNo],
                "Fallkonferenz",
                TransferBasis::Statute(StatutoryBasis::ALL[0]),
                "Begründung",
                true,
                today,
            )
        },
    );
    refused(&w, "break-glass", &restricted_err(), "restricted", || {
        s.break_glass(
            &w.jc_other,
            w.case,
            tandem::domain::casefile::BreakGlassReason::PersonAsked,
            "Anruf",
        )
    });
    // Who does not see the case learns nothing, restricted or not.
    refused(
        &w,
        "outsider",
        &StorageError::NotFound,
        "not_visible",
        || s.add_note(&w.ja_dsb, w.case, "Notiz", false),
    );
    // Another case of the same caseworker is untouched.
    s.add_note(&w.jc_worker, w.other_case, "Notiz", false)
        .unwrap();
}

#[test]
fn only_the_owning_stelles_lead_reads_a_restricted_case() {
    let w = world();
    let s = &w.store;
    let today = support::today();
    s.restrict_case(&w.jc_lead, w.case, RestrictionReason::LegalClaims)
        .unwrap();
    let view = s.case_file(&w.jc_lead, w.case, today).unwrap();
    assert_eq!(view.case.person.surname, "Zander");
    assert_eq!(
        view.restriction.map(|r| r.0),
        Some(RestrictionReason::LegalClaims)
    );
    assert!(s.open_case_file(&w.jc_lead, w.case).is_ok());
    for who in [&w.jc_worker, &w.ja_worker, &w.ja_lead] {
        assert!(
            matches!(
                s.case_file(who, w.case, today),
                Err(StorageError::Refused(Refusal::Restricted))
            ),
            "{}",
            who.login
        );
        refused(&w, &who.login, &restricted_err(), "restricted", || {
            s.open_case_file(who, w.case)
        });
        assert!(matches!(
            s.load_case(who, w.case),
            Err(StorageError::Refused(Refusal::Restricted))
        ));
    }
    // The DSB sees no content, restricted or not (docs/access.md A1).
    assert!(matches!(
        s.case_file(&w.jc_dsb, w.case, today),
        Err(StorageError::NotFound)
    ));
    assert!(matches!(
        s.case_file(&w.jc_other, w.case, today),
        Err(StorageError::NotFound)
    ));
}

fn list(store: &Store, who: &Staff, filter: &str) -> Vec<(CaseId, Option<String>, bool)> {
    let query = ListQuery {
        filter: filter.into(),
        today: support::today(),
        ..ListQuery::default()
    };
    let rows = store
        .case_page(who, &query, &PageAnchor::First, 50)
        .unwrap();
    assert_eq!(
        store.case_count(who, &query).unwrap(),
        rows.len(),
        "the count is the rows one could page through"
    );
    rows.into_iter()
        .map(|r| (r.id, r.name, r.restricted))
        .collect()
}

#[test]
fn the_list_withholds_a_restricted_row_like_an_untransferred_one() {
    let w = world();
    let s = &w.store;
    // Sorted by name: "Abel" before "Zander".
    assert_eq!(
        list(s, &w.jc_worker, "")
            .into_iter()
            .map(|r| r.0)
            .collect::<Vec<_>>(),
        vec![w.other_case, w.case]
    );
    s.restrict_case(&w.jc_lead, w.case, RestrictionReason::Objection)
        .unwrap();
    let rows = list(s, &w.jc_worker, "");
    assert_eq!(
        rows,
        vec![
            (w.other_case, Some("Abel, Anna".into()), false),
            (w.case, None, true)
        ]
    );
    let page = s
        .case_page(
            &w.jc_worker,
            &ListQuery {
                today: support::today(),
                ..ListQuery::default()
            },
            &PageAnchor::First,
            50,
        )
        .unwrap();
    assert!(page[1].birth_date.is_none() && page[1].alerts.is_empty());
    // Not found by its name, nor by anything else typed.
    assert!(list(s, &w.jc_worker, "Zander").is_empty());
    assert!(list(s, &w.jc_worker, "Zoe").is_empty());
    assert!(list(s, &w.jc_worker, "KD-1").len() <= 1);
    assert!(!list(s, &w.jc_worker, "KD-1").iter().any(|r| r.0 == w.case));
    // The owning Stelle's lead reads it, and finds it.
    let lead = list(s, &w.jc_lead, "Zander");
    assert_eq!(lead, vec![(w.case, Some("Zander, Zoe".into()), true)]);
    // Lifted: back to normal.
    s.lift_restriction(&w.jc_lead, w.case).unwrap();
    assert_eq!(
        list(s, &w.jc_worker, "Zander"),
        vec![(w.case, Some("Zander, Zoe".into()), false)]
    );
}

#[test]
fn a_restricted_row_sorts_after_every_readable_name() {
    let w = world();
    let s = &w.store;
    // "Abel" is restricted now; were it sorted by its name it would come first.
    s.restrict_case(&w.jc_lead, w.other_case, RestrictionReason::Accuracy)
        .unwrap();
    let ids: Vec<CaseId> = list(s, &w.jc_worker, "").into_iter().map(|r| r.0).collect();
    assert_eq!(ids, vec![w.case, w.other_case]);
    // A save of the other case rewrites the list row; the flag stays.
    let stored = s.load_case(&w.jc_worker, w.case).unwrap();
    s.update_case(&w.jc_worker, &stored).unwrap();
    assert!(
        list(s, &w.jc_worker, "")
            .iter()
            .any(|r| r.0 == w.other_case && r.2)
    );
}

#[test]
fn a_field_is_disputed_and_resolved_by_the_stelle_that_keeps_it() {
    let w = world();
    let s = &w.store;
    let today = support::today();
    let id = s
        .dispute_field(&w.jc_worker, w.case, Field::Address, "Bin umgezogen.")
        .unwrap();
    let row = s.audit_tail(1).unwrap().pop().unwrap();
    assert_eq!(
        (
            row.action.as_str(),
            row.object_type.as_str(),
            row.object_id,
            row.fields.clone()
        ),
        (
            "create",
            "field_dispute",
            Some(id),
            vec!["address".to_string()]
        )
    );
    refused(
        &w,
        "twice",
        &StorageError::Refused(Refusal::DisputeOpen),
        "dispute_open",
        || s.dispute_field(&w.jc_lead, w.case, Field::Address, ""),
    );
    refused(
        &w,
        "too long",
        &StorageError::Refused(Refusal::StatementTooLong),
        "statement_too_long",
        || s.dispute_field(&w.jc_worker, w.case, Field::Phone, &"x".repeat(1001)),
    );
    refused(
        &w,
        "not a person field",
        &StorageError::Refused(Refusal::DisputeField),
        "dispute_field",
        || s.dispute_field(&w.jc_worker, w.case, Field::Status, ""),
    );
    refused(
        &w,
        "the partner's field",
        &StorageError::Refused(Refusal::DisputeField),
        "dispute_field",
        || s.dispute_field(&w.ja_worker, w.case, Field::Address, ""),
    );
    refused(
        &w,
        "outsider",
        &StorageError::NotFound,
        "not_visible",
        || s.dispute_field(&w.jc_other, w.case, Field::Phone, ""),
    );
    // 1000 characters are fine, and the DSB may record one.
    s.dispute_field(&w.jc_dsb, w.case, Field::Phone, &"ä".repeat(1000))
        .unwrap();

    let view = s.case_file(&w.jc_worker, w.case, today).unwrap();
    assert_eq!(view.disputed, vec![Field::Address, Field::Phone]);
    let open = s.open_disputes(&w.jc_worker, w.case).unwrap();
    assert_eq!(open[0].statement.as_deref(), Some("Bin umgezogen."));
    let row = s.audit_tail(1).unwrap().pop().unwrap();
    assert_eq!(
        (row.action.as_str(), row.object_type.as_str(), row.object_id),
        ("view", "field_dispute", Some(w.case.0))
    );
    // The DSB sees that fields are disputed, not what was said.
    let dsb = s.open_disputes(&w.jc_dsb, w.case).unwrap();
    assert_eq!(dsb.len(), 2);
    assert!(dsb.iter().all(|d| d.statement.is_none()));
    // The partner sees disputes only of fields it may read (none transferred).
    assert!(s.open_disputes(&w.ja_worker, w.case).unwrap().is_empty());

    s.resolve_dispute(
        &w.jc_worker,
        w.case,
        Field::Address,
        DisputeOutcome::Corrected,
    )
    .unwrap();
    let row = s.audit_tail(1).unwrap().pop().unwrap();
    assert_eq!(
        (row.action.as_str(), row.detail.as_deref()),
        ("update", Some("corrected"))
    );
    refused(
        &w,
        "resolve twice",
        &StorageError::Refused(Refusal::DisputeClosed),
        "dispute_closed",
        || {
            s.resolve_dispute(
                &w.jc_worker,
                w.case,
                Field::Address,
                DisputeOutcome::Confirmed,
            )
        },
    );
    let view = s.case_file(&w.jc_worker, w.case, today).unwrap();
    assert_eq!(view.disputed, vec![Field::Phone]);
    // Disputed again after it was resolved: a new dispute.
    s.dispute_field(&w.jc_worker, w.case, Field::Address, "")
        .unwrap();
}

#[test]
fn a_dispute_is_recorded_while_the_case_is_restricted() {
    let w = world();
    let s = &w.store;
    s.restrict_case(&w.jc_lead, w.case, RestrictionReason::Accuracy)
        .unwrap();
    s.dispute_field(&w.jc_worker, w.case, Field::BirthDate, "Falsches Datum")
        .unwrap();
    // The caseworker may not read the case meanwhile, so not the disputes either.
    assert!(matches!(
        s.open_disputes(&w.jc_worker, w.case),
        Err(StorageError::Refused(Refusal::Restricted))
    ));
    assert_eq!(s.open_disputes(&w.jc_lead, w.case).unwrap().len(), 1);
    s.resolve_dispute(
        &w.jc_lead,
        w.case,
        Field::BirthDate,
        DisputeOutcome::Confirmed,
    )
    .unwrap();
}

/// The person learns of both through an access request (Art. 15): the restriction and
/// each disputed field with their own statement, on the case record of the export.
#[test]
fn the_subject_export_names_the_restriction_and_the_disputes() {
    let w = world();
    let s = &w.store;
    s.dispute_field(&w.jc_worker, w.case, Field::Address, "Bin umgezogen.")
        .unwrap();
    s.restrict_case(&w.jc_lead, w.case, RestrictionReason::Accuracy)
        .unwrap();
    let export = s
        .subject_export(
            &w.jc_dsb,
            &tandem::model::subject::SubjectQuery {
                surname: "Zander".into(),
                given_names: "Zoe".into(),
                birth_date: None,
            },
        )
        .unwrap();
    let case = export
        .records
        .iter()
        .find(|r| r.kind == "coop_case")
        .expect("the case record");
    let text = format!("{:?}", case.entries);
    assert!(
        text.contains("Verarbeitung eingeschränkt (Art. 18 DSGVO)")
            && text.contains("Richtigkeit bestritten"),
        "{text}"
    );
    assert!(
        text.contains("Bestrittene Angabe (Art. 16 DSGVO)")
            && text.contains("Anschrift")
            && text.contains("Bin umgezogen.")
            && text.contains("offen"),
        "{text}"
    );
}

#[test]
fn the_overview_lists_the_own_stelles_restrictions_without_names() {
    let w = world();
    let s = &w.store;
    s.restrict_case(&w.jc_lead, w.case, RestrictionReason::Objection)
        .unwrap();
    let rows = s.restrictions(&w.jc_dsb).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].case_id, rows[0].reason, rows[0].by.as_str()),
        (w.case, RestrictionReason::Objection, "jcl")
    );
    let row = s.audit_tail(1).unwrap().pop().unwrap();
    assert_eq!(
        (row.action.as_str(), row.object_type.as_str()),
        ("view", "restriction_list")
    );
    assert_eq!(s.restrictions(&w.jc_lead).unwrap().len(), 1);
    assert!(s.restrictions(&w.ja_dsb).unwrap().is_empty());
    assert!(s.restrictions(&w.jc_worker).unwrap().is_empty());
}

/// The case file in the program: the lead restricts with `x` (reason, Enter), the banner
/// shows; the caseworker's list shows "– gesperrt –"; `b` marks a field "(bestritten)".
#[test]
fn the_case_file_restricts_and_disputes_by_key() {
    use tandem::strings::Lang;
    let store = support::demo_store();
    let worker = store.staff_by_login("brinkmann").unwrap().unwrap();
    let query = ListQuery {
        today: support::today(),
        ..ListQuery::default()
    };
    let rows = store
        .case_page(&worker, &query, &PageAnchor::First, 50)
        .unwrap();
    let case = rows
        .iter()
        .filter_map(|r| store.load_case(&worker, r.id).ok())
        .find(|c| c.owner == Agency::Jobcenter)
        .expect("a Jobcenter case in the demo caseload");
    let surname = case.person.surname.clone();

    let mut lead = support::app_on(store, "schwering", Lang::De);
    support::keys(&mut lead, &format!("/ {surname} <enter> <enter>"));
    let screen = support::screen(&mut lead, 100, 30);
    assert!(screen.contains(&surname), "{screen}");
    support::keys(&mut lead, "x");
    let screen = support::screen(&mut lead, 100, 30);
    assert!(screen.contains("Fall sperren"), "{screen}");
    support::keys(&mut lead, "<enter>");
    let screen = support::screen(&mut lead, 100, 30);
    assert!(
        screen.contains("Gesperrt (Art. 18 DSGVO) seit 25.11.2026"),
        "{screen}"
    );
    assert!(
        lead.store()
            .restriction_of(&worker, case.id)
            .unwrap()
            .is_some()
    );

    // `x` again asks before lifting; "n" keeps it.
    support::keys(&mut lead, "x");
    let screen = support::screen(&mut lead, 100, 30);
    assert!(screen.contains("aufheben?"), "{screen}");
    support::keys(&mut lead, "n");
    assert!(
        lead.store()
            .restriction_of(&worker, case.id)
            .unwrap()
            .is_some()
    );

    let store = support::demo_store();
    store
        .restrict_case(
            &store.staff_by_login("schwering").unwrap().unwrap(),
            case.id,
            RestrictionReason::Accuracy,
        )
        .unwrap();
    let mut app = support::app_on(store, "brinkmann", Lang::De);
    // Sorted by name, the withheld row comes last.
    support::keys(&mut app, "G");
    let screen = support::screen(&mut app, 100, 30);
    assert!(screen.contains("– gesperrt –"), "{screen}");
    assert!(!screen.contains(&surname), "{screen}");
    // Opening it says why it does not open.
    let at = app
        .cases
        .list
        .rows
        .iter()
        .position(|r| r.id == case.id)
        .expect("the restricted row is in view");
    for _ in at..app.cases.list.selected {
        support::keys(&mut app, "k");
    }
    assert_eq!(app.cases.list.current().map(|r| r.id), Some(case.id));
    support::keys(&mut app, "<enter>");
    let screen = support::screen(&mut app, 100, 30);
    assert!(
        screen.contains("Der Fall ist gesperrt (Art. 18 DSGVO)"),
        "{screen}"
    );
    assert!(!screen.contains(&surname), "{screen}");

    // A dispute on a case that is not restricted: the first field, Enter.
    let mut app = support::test_app("brinkmann");
    support::keys(&mut app, "<enter> b");
    let screen = support::screen(&mut app, 100, 30);
    assert!(screen.contains("Angabe bestreiten"), "{screen}");
    support::keys(&mut app, "<tab> Falsch <enter>");
    let screen = support::screen(&mut app, 100, 30);
    assert!(screen.contains("(bestritten)"), "{screen}");
    assert!(screen.contains("Als bestritten vermerkt."), "{screen}");
    // `b` again, the same field, on to "Erledigt als", "berichtigt", Enter: resolved.
    support::keys(&mut app, "b <tab> <tab> <down>");
    let screen = support::screen(&mut app, 100, 30);
    assert!(screen.contains("berichtigt"), "{screen}");
    support::keys(&mut app, "<enter>");
    let screen = support::screen(&mut app, 100, 30);
    assert!(!screen.contains("(bestritten)"), "{screen}");
    assert!(screen.contains("Bestreiten erledigt."), "{screen}");
}

fn cli(db: &std::path::Path, user: &str, args: &[&str]) -> std::process::Output {
    let dir = db.parent().unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_tandem"))
        .env("TANDEM_DATA", dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env_remove("TANDEM_CONFIG")
        .args(["--lang", "de", "--db"])
        .arg(db)
        .args(["--user", user, "restrict"])
        .args(args)
        .output()
        .unwrap()
}

/// `tandem restrict` for scripts: exit 0 and one line; a refusal one German line and exit
/// 1; a command line that cannot be understood exit 2; an unknown login exit 77.
#[test]
fn the_restrict_verb_works_for_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tandem.db");
    let case = {
        let mut store = Store::open(&db, OpenMode::CreateOrMigrate).unwrap();
        store.set_clock(support::test_clock());
        tandem::demo::write(&store, &tandem::demo::demo_data(support::today())).unwrap();
        let lead = store.staff_by_login("schwering").unwrap().unwrap();
        let rows = store
            .case_page(
                &lead,
                &ListQuery {
                    today: support::today(),
                    ..ListQuery::default()
                },
                &PageAnchor::First,
                100,
            )
            .unwrap();
        rows.iter()
            .filter_map(|r| store.load_case(&lead, r.id).ok())
            .find(|c| c.owner == Agency::Jobcenter)
            .unwrap()
            .id
    };
    let n = case.0.to_string();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let o = cli(
        &db,
        "schwering",
        &["--case", &n, "--reason", "legal_claims"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains(&format!("Fall {n} gesperrt")),
        "{}",
        text(&o.stdout)
    );
    let o = cli(&db, "schwering", &["--case", &n, "--reason", "accuracy"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("bereits gesperrt"),
        "{}",
        text(&o.stderr)
    );
    // A caseworker may not.
    let o = cli(&db, "brinkmann", &["--case", &n, "--lift"]);
    assert_eq!(o.status.code(), Some(1));
    let o = cli(&db, "schwering", &["--case", &n, "--reason", "whatever"]);
    assert_eq!(o.status.code(), Some(2));
    let o = cli(&db, "schwering", &["--case", &n]);
    assert_eq!(o.status.code(), Some(2));
    let o = cli(&db, "niemand", &["--case", &n, "--lift"]);
    assert_eq!(o.status.code(), Some(77));
    let o = cli(&db, "wiemers", &["--case", &n, "--lift"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("aufgehoben"),
        "{}",
        text(&o.stdout)
    );
    let o = cli(&db, "wiemers", &["--case", &n, "--lift"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("nicht gesperrt"),
        "{}",
        text(&o.stderr)
    );
}

/// A restricted case is stored, not processed: a deletion run holds it and its consents
/// like a legal hold while the restriction lasts (docs/access.md A12, docs/retention.md).
#[test]
fn a_deletion_run_holds_a_restricted_case() {
    use tandem::domain::ClosureReason;
    use tandem::storage::retention::RetentionClass;
    let w = world();
    let s = &w.store;
    let consent = s.add_consent(&w.jc_worker, &consent_of(w.case)).unwrap();
    let mut stored = s.load_case(&w.jc_worker, w.case).unwrap();
    stored.status = CaseStatus::Closed;
    stored.closed_on = Some(support::today());
    stored.closure_reason = Some(ClosureReason::Work);
    s.update_case(&w.jc_worker, &stored).unwrap();
    let later = support::today() + Duration::days(365 * 30);
    let due = |s: &Store, class: RetentionClass, id: i64| {
        s.retention_due(&w.jc_lead, later)
            .unwrap()
            .into_iter()
            .find(|d| d.class == class)
            .map(|d| (d.ids.contains(&id), d.held))
            .unwrap()
    };
    assert_eq!(due(s, RetentionClass::Case, w.case.0), (true, 0));
    assert_eq!(due(s, RetentionClass::Consent, consent.0), (true, 0));
    s.restrict_case(&w.jc_lead, w.case, RestrictionReason::LegalClaims)
        .unwrap();
    assert_eq!(due(s, RetentionClass::Case, w.case.0), (false, 1));
    assert_eq!(due(s, RetentionClass::Consent, consent.0), (false, 1));
    s.lift_restriction(&w.jc_lead, w.case).unwrap();
    assert_eq!(due(s, RetentionClass::Case, w.case.0), (true, 0));
}

/// Over the whole demo: three restricted cases (of both Stellen) are read by nobody but the
/// owning Stelle's lead — case file, list row, filter, conferences — while everyone who
/// saw them before is told they are restricted and everyone else learns nothing; the
/// audit chain holds afterwards.
#[test]
fn across_the_demo_only_the_owning_lead_reads_restricted_cases() {
    let store = support::demo_store();
    let today = support::today();
    let staff = store.active_staff().unwrap();
    let leads: Vec<&Staff> = staff.iter().filter(|s| s.has_role(Role::Lead)).collect();
    // Some cases of each Stelle, as its lead lists them.
    let mut chosen = Vec::new();
    for lead in &leads {
        let rows = store
            .case_page(
                lead,
                &ListQuery {
                    today,
                    ..ListQuery::default()
                },
                &PageAnchor::First,
                500,
            )
            .unwrap();
        let own: Vec<CoopCase> = rows
            .iter()
            .filter_map(|r| store.load_case(lead, r.id).ok())
            .filter(|c| c.owner == lead.agency)
            .collect();
        // One with a conference, if the Stelle has one, and one more.
        let with_conference: Vec<CaseId> = store
            .conferences_for(
                lead,
                today - Duration::days(400),
                today + Duration::days(400),
            )
            .unwrap()
            .iter()
            .map(|r| r.case_id)
            .collect();
        let first = own
            .iter()
            .find(|c| with_conference.contains(&c.id))
            .or(own.first());
        let second = own.iter().rev().find(|c| Some(c.id) != first.map(|f| f.id));
        for c in [first, second].into_iter().flatten() {
            chosen.push((c.clone(), (*lead).clone()));
        }
    }
    assert!(chosen.len() >= 3, "{}", chosen.len());
    // Who could read each case before.
    let before: Vec<Vec<bool>> = chosen
        .iter()
        .map(|(c, _)| {
            staff
                .iter()
                .map(|s| store.case_file(s, c.id, today).is_ok())
                .collect()
        })
        .collect();
    let conferences_before: Vec<usize> = staff
        .iter()
        .map(|s| {
            store
                .conferences_for(s, today - Duration::days(400), today + Duration::days(400))
                .unwrap()
                .iter()
                .filter(|r| chosen.iter().any(|(c, _)| c.id == r.case_id))
                .count()
        })
        .collect();
    for (c, lead) in &chosen {
        store
            .restrict_case(lead, c.id, RestrictionReason::Accuracy)
            .unwrap();
    }
    for (k, (c, _)) in chosen.iter().enumerate() {
        for (i, s) in staff.iter().enumerate() {
            let owner_lead = s.has_role(Role::Lead) && s.agency == c.owner;
            let res = store.case_file(s, c.id, today);
            match (&res, owner_lead, before[k][i]) {
                (Ok(v), true, _) => assert!(v.restriction.is_some()),
                (Err(StorageError::Refused(Refusal::Restricted)), false, true)
                | (Err(StorageError::NotFound), false, false) => {}
                _ => panic!(
                    "{} on case {} (owner lead {owner_lead}, read before {}): {:?}",
                    s.login,
                    c.id.0,
                    before[k][i],
                    res.map(|_| ())
                ),
            }
            // Its list row and the filter by its surname.
            let query = ListQuery {
                filter: c.person.surname.clone(),
                today,
                ..ListQuery::default()
            };
            let found = store
                .case_page(s, &query, &PageAnchor::First, 500)
                .unwrap()
                .iter()
                .any(|r| r.id == c.id);
            assert_eq!(
                found, owner_lead,
                "{} finds restricted case {} by name",
                s.login, c.id.0
            );
            let all = ListQuery {
                today,
                ..ListQuery::default()
            };
            for r in store.case_page(s, &all, &PageAnchor::First, 500).unwrap() {
                if r.id == c.id && !owner_lead {
                    assert!(r.name.is_none() && r.birth_date.is_none() && r.restricted);
                }
            }
        }
    }
    assert!(
        conferences_before.iter().sum::<usize>() > 0,
        "no conference of a chosen case"
    );
    for s in &staff {
        let n = store
            .conferences_for(s, today - Duration::days(400), today + Duration::days(400))
            .unwrap()
            .iter()
            .filter(|r| {
                chosen.iter().any(|(c, _)| {
                    c.id == r.case_id && !(s.has_role(Role::Lead) && s.agency == c.owner)
                })
            })
            .count();
        assert_eq!(
            n, 0,
            "{} still sees conferences of restricted cases",
            s.login
        );
    }
    assert!(store.verify_audit().unwrap().is_ok());
}

/// A consent of `case`, granted a year ago for a year and a half.
fn consent_of(case: CaseId) -> tandem::domain::consent::Consent {
    use tandem::domain::consent::{
        Consent, ConsentForm, ConsentId, ConsentStatus, DataCategory, DeclaredBy, Purpose,
    };
    let today = support::today();
    Consent {
        id: ConsentId(0),
        case_id: case.0,
        recorded_by: Agency::Jobcenter,
        declared_by: DeclaredBy::YoungPerson,
        representation_reason: None,
        insight_checked: false,
        signed_on: today - Duration::days(10),
        form: ConsentForm::Written,
        document_ref: "EW-Test".into(),
        purposes: vec![Purpose::MutualInformation],
        categories: vec![DataCategory::MasterData],
        recipient_agencies: vec![Agency::Jobcenter, Agency::Jugendamt],
        recipient_staff: Vec::new(),
        external_recipients: String::new(),
        recurring: false,
        valid_from: today - Duration::days(10),
        valid_until: today + Duration::days(300),
        info_purpose: true,
        info_refusal: true,
        info_revocable: true,
        status: ConsentStatus::Granted,
        revoked_on: None,
        revoked_how: None,
        version: 1,
    }
}
