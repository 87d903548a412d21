//! Early help for young parents (issue #20; docs/early-help.md): the decision guide, the
//! contact request's steps in the store, who reads which field, the revocation, the
//! conversion into a referral draft, and the deadlines on the fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use chrono::{Duration, NaiveDate};
use support::{demo_store, test_clock, today};
use tandem::domain::calendar::WorkCalendar;
use tandem::domain::consent::{ConsentForm, DeclaredBy};
use tandem::domain::early_help::{
    ChildBand, Concern, ContactPref, DueKind, EhData, EhDeadlines, EhSide, EhState, HelpKind,
    Outcome, Path,
};
use tandem::domain::referral::{IndicatorArea, Rating, ReferralInput, key};
use tandem::domain::refusal::Refusal;
use tandem::domain::{Staff, tz};
use tandem::model::draft::{REFERRAL_DRAFT, SessionId};
use tandem::model::early_help::{EhChild, EhConsent, EhObservation, EhRequest, EhTalk};
use tandem::storage::{StorageError, Store};

const WORKER: &str = "brinkmann";
const OTHER_WORKER: &str = "karaca";
const FH: &str = "huesken";
const FH_OTHER: &str = "wagner";

fn staff(store: &Store, login: &str) -> Staff {
    store.staff_by_login(login).unwrap().unwrap()
}

fn read(store: &Store, who: &Staff, id: i64) -> Result<EhRequest, StorageError> {
    store.eh_request(who, id, &WorkCalendar::default(), &EhDeadlines::default())
}

fn version(store: &Store, who: &Staff, id: i64) -> i64 {
    read(store, who, id).unwrap().version
}

fn observation() -> EhObservation {
    EhObservation {
        parent_name: "Jana Testmann".into(),
        parent_contact: "0171 555 0101".into(),
        case_id: None,
        children: vec![
            EhChild {
                first_name: "Mia".into(),
                band: ChildBand::Under1,
            },
            EhChild {
                first_name: "Leon".into(),
                band: ChildBand::B3,
            },
        ],
        ratings: vec![
            (0, IndicatorArea::ALL[5], Rating::Yellow),
            (1, IndicatorArea::ALL[0], Rating::Green),
            (1, IndicatorArea::ALL[14], Rating::Yellow),
        ],
        weighty: false,
        acute: false,
        facts: "U6 nicht wahrgenommen; Mutter wirkt erschöpft.".into(),
        reason: String::new(),
    }
}

fn talk() -> EhTalk {
    EhTalk {
        talk_on: today(),
        concerns: vec![Concern::Overwhelmed, Concern::Health],
        own_words: "Ich schaffe das mit zwei Kindern gerade nicht.".into(),
        contact_pref: vec![ContactPref::Phone, ContactPref::Joint],
        best_times: "vormittags".into(),
    }
}

fn consent(data: &[EhData], feedback: bool) -> EhConsent {
    EhConsent {
        signed_on: today(),
        declared_by: DeclaredBy::YoungPerson,
        form: ConsentForm::Written,
        document_ref: "Akte JC, Bl. 12".into(),
        data: data.to_vec(),
        feedback,
    }
}

/// A request of the worker up to "consented" with `data` and `feedback`.
fn consented(store: &Store, data: &[EhData], feedback: bool) -> i64 {
    let me = staff(store, WORKER);
    let id = store.eh_observe(&me, &observation()).unwrap();
    store
        .eh_talk(&me, id, version(store, &me, id), &talk())
        .unwrap();
    store
        .eh_consent(&me, id, version(store, &me, id), &consent(data, feedback))
        .unwrap();
    id
}

fn sent(store: &Store, data: &[EhData], feedback: bool) -> i64 {
    let me = staff(store, WORKER);
    let id = consented(store, data, feedback);
    store.eh_send(&me, id, version(store, &me, id)).unwrap();
    id
}

#[test]
fn a_request_runs_from_the_observation_to_the_outcome() {
    let store = demo_store();
    let me = staff(&store, WORKER);
    let fh = staff(&store, FH);
    let id = sent(&store, EhData::ALL, true);
    let r = read(&store, &me, id).unwrap();
    assert_eq!(r.state, EhState::Requested);
    assert_eq!(r.passed_data, EhData::ALL.to_vec());
    // Only gelb is kept; the grün rating of Leon is not stored.
    let ind = r.indicators.unwrap();
    assert_eq!(ind.len(), 2);
    assert!(ind.iter().all(|i| i.rating == Rating::Yellow));
    assert_eq!(r.guide_path, Some(Path::EarlyHelp));

    let inbox = store
        .eh_requests_for(&fh, &WorkCalendar::default(), &EhDeadlines::default())
        .unwrap();
    assert!(
        inbox
            .iter()
            .any(|r| r.id == id && r.state == EhState::Requested)
    );
    store.eh_take(&fh, id, version(&store, &fh, id)).unwrap();
    store
        .eh_first_contact(&fh, id, version(&store, &fh, id), today())
        .unwrap();
    store
        .eh_close(
            &fh,
            id,
            version(&store, &fh, id),
            Some((Outcome::Accepted, Some(HelpKind::FamilyMidwife))),
        )
        .unwrap();
    let ja = read(&store, &fh, id).unwrap();
    assert_eq!(ja.state, EhState::Closed);
    assert_eq!(ja.help_kind, Some(HelpKind::FamilyMidwife));
    // Feedback consented: the worker reads the outcome and the date of first contact.
    let jc = read(&store, &me, id).unwrap();
    assert_eq!(jc.state, EhState::Closed);
    assert_eq!(jc.outcome, Some(Outcome::Accepted));
    assert_eq!(jc.first_contact_on, Some(today()));
    assert_eq!(jc.taken_by.as_deref(), Some("Miriam Hüsken"));
}

#[test]
fn without_feedback_consent_the_worker_never_reads_the_outcome() {
    let store = demo_store();
    let me = staff(&store, WORKER);
    let fh = staff(&store, FH);
    let id = sent(&store, EhData::ALL, false);
    store.eh_take(&fh, id, version(&store, &fh, id)).unwrap();
    store
        .eh_first_contact(&fh, id, version(&store, &fh, id), today())
        .unwrap();
    store
        .eh_close(
            &fh,
            id,
            version(&store, &fh, id),
            Some((Outcome::NoHelpWanted, None)),
        )
        .unwrap();
    let jc = read(&store, &me, id).unwrap();
    assert_eq!(
        jc.state,
        EhState::Taken,
        "progress after taking stays with the JA"
    );
    assert_eq!(jc.outcome, None);
    assert_eq!(jc.first_contact_on, None);
    assert_eq!(jc.closed_at, None);
    assert_eq!(
        jc.due, None,
        "no first-contact deadline the worker could not follow"
    );
    assert_eq!(
        read(&store, &fh, id).unwrap().outcome,
        Some(Outcome::NoHelpWanted)
    );
}

/// What each field of a read model holds for one viewer: `Some` when loaded.
fn filled(r: &EhRequest) -> Vec<(&'static str, bool)> {
    vec![
        ("parent_name", r.parent_name.is_some()),
        ("parent_contact", r.parent_contact.is_some()),
        ("contact_pref", r.contact_pref.is_some()),
        ("best_times", r.best_times.is_some()),
        ("children", r.children.is_some()),
        ("concerns", r.concerns.is_some()),
        ("own_words", r.own_words.is_some()),
        ("facts", r.facts.is_some()),
        ("indicators", r.indicators.is_some()),
        ("weighty", r.weighty.is_some()),
        ("guide_path", r.guide_path.is_some()),
        ("path_reason", r.path_reason.is_some()),
        ("talk_on", r.talk_on.is_some()),
        ("consent", r.consent.is_some()),
        ("declined_on", r.declined_on.is_some()),
        ("follow_up_on", r.follow_up_on.is_some()),
        ("passed_data", !r.passed_data.is_empty()),
    ]
}

/// The early-help professional reads exactly the fields the consent lists, for every subset
/// of the list that names the contact; never the Jobcenter's observation.
#[test]
fn the_early_help_staff_reads_exactly_the_consented_fields() {
    let store = demo_store();
    let fh = staff(&store, FH);
    let optional = [EhData::Children, EhData::Concern, EhData::OwnWords];
    for mask in 0..8u8 {
        let mut data = vec![EhData::Contact];
        for (i, d) in optional.iter().enumerate() {
            if mask & (1 << i) != 0 {
                data.push(*d);
            }
        }
        let id = sent(&store, &data, mask % 2 == 0);
        let r = read(&store, &fh, id).unwrap();
        assert_eq!(r.side, EhSide::EarlyHelp);
        let listed = |d: EhData| data.contains(&d);
        let expect = [
            ("parent_name", true),
            ("parent_contact", true),
            ("contact_pref", true),
            ("best_times", true),
            ("children", listed(EhData::Children)),
            ("concerns", listed(EhData::Concern)),
            ("own_words", listed(EhData::OwnWords)),
            ("facts", false),
            ("indicators", false),
            ("weighty", false),
            ("guide_path", false),
            ("path_reason", false),
            ("talk_on", false),
            ("consent", true),
            ("declined_on", false),
            ("follow_up_on", false),
            ("passed_data", true),
        ];
        assert_eq!(filled(&r), expect.to_vec(), "consent {data:?}");
        assert_eq!(r.consent.as_ref().unwrap().document_ref, "");
        if listed(EhData::Children) {
            let names: Vec<_> = r
                .children
                .unwrap()
                .into_iter()
                .map(|c| c.first_name)
                .collect();
            assert_eq!(names, ["Mia", "Leon"]);
        }
    }
}

#[test]
fn nobody_else_reads_a_request_and_the_dsb_reads_metadata_only() {
    let store = demo_store();
    let id = sent(&store, EhData::ALL, true);
    let cal = WorkCalendar::default();
    let d = EhDeadlines::default();
    for login in [
        OTHER_WORKER,
        "dabrowska",
        "hegemann",
        "straeter",
        "aksoy",
        "pieper",
        "rademacher",
        "hollmann",
    ] {
        let who = staff(&store, login);
        assert!(
            matches!(read(&store, &who, id), Err(StorageError::NotFound)),
            "{login} reads the request"
        );
        assert!(
            store
                .eh_requests_for(&who, &cal, &d)
                .unwrap()
                .iter()
                .all(|r| r.id != id),
            "{login} lists the request"
        );
    }
    for login in ["wiemers", "kloeckner"] {
        let dsb = read(&store, &staff(&store, login), id).unwrap();
        assert_eq!(dsb.side, EhSide::Dpo);
        assert!(
            filled(&dsb).iter().all(|(_, f)| !f),
            "{login}: {:?}",
            filled(&dsb)
        );
        assert!(dsb.outcome.is_none() && dsb.first_contact_on.is_none());
        assert!(dsb.sent_at.is_some());
    }
    // Both leads read; the Jugendamt's lead only what the consent lists.
    assert_eq!(
        read(&store, &staff(&store, "schwering"), id).unwrap().side,
        EhSide::JcLead
    );
    let ja_lead = read(&store, &staff(&store, "tueshaus"), id).unwrap();
    assert_eq!(ja_lead.side, EhSide::JaLead);
    assert!(ja_lead.facts.is_none());
    // Once one early-help professional took it, the other no longer reads it.
    let fh = staff(&store, FH);
    let other = staff(&store, FH_OTHER);
    assert!(read(&store, &other, id).is_ok());
    store.eh_take(&fh, id, version(&store, &fh, id)).unwrap();
    assert!(matches!(
        read(&store, &other, id),
        Err(StorageError::NotFound)
    ));
    // Before sending, the Jugendamt sees nothing at all, not even its early help.
    let unsent = consented(&store, EhData::ALL, true);
    assert!(matches!(
        read(&store, &fh, unsent),
        Err(StorageError::NotFound)
    ));
    assert!(matches!(
        read(&store, &staff(&store, "kloeckner"), unsent),
        Err(StorageError::NotFound)
    ));
}

#[test]
fn steps_are_refused_to_the_wrong_side_and_in_the_wrong_state() {
    let store = demo_store();
    let me = staff(&store, WORKER);
    let fh = staff(&store, FH);
    let id = consented(&store, EhData::ALL, true);
    // The early help cannot take what was not sent; another worker cannot send it.
    assert!(matches!(
        store.eh_take(&fh, id, version(&store, &me, id)),
        Err(StorageError::NotFound)
    ));
    let other = staff(&store, OTHER_WORKER);
    assert!(matches!(
        store.eh_send(&other, id, version(&store, &me, id)),
        Err(StorageError::NotFound)
    ));
    // A stale version is a conflict, not a silent overwrite.
    let v = version(&store, &me, id);
    assert!(matches!(
        store.eh_send(&me, id, v - 1),
        Err(StorageError::Conflict { .. })
    ));
    store.eh_send(&me, id, v).unwrap();
    // The requester cannot take it, nor record the first contact.
    assert!(matches!(
        store.eh_take(&me, id, v + 1),
        Err(StorageError::Refused(Refusal::NotQualified))
    ));
    // A consent without the parent's contact is refused.
    let id2 = store.eh_observe(&me, &observation()).unwrap();
    store
        .eh_talk(&me, id2, version(&store, &me, id2), &talk())
        .unwrap();
    assert!(matches!(
        store.eh_consent(
            &me,
            id2,
            version(&store, &me, id2),
            &consent(&[EhData::Children], true)
        ),
        Err(StorageError::Refused(Refusal::EarlyHelpContact))
    ));
    // A talk without a concern is refused.
    let mut t = talk();
    t.concerns.clear();
    assert!(matches!(
        store.eh_talk(&me, id2, version(&store, &me, id2), &t),
        Err(StorageError::Refused(Refusal::EarlyHelpConcern))
    ));
}

#[test]
fn the_guide_needs_a_reason_for_another_path() {
    let store = demo_store();
    let me = staff(&store, WORKER);
    // Gelb: early help needs no reason, the consultation neither, the referral does.
    let yellow = [Rating::Green, Rating::Yellow];
    assert!(
        store
            .eh_record_path(&me, &yellow, false, false, Path::Consult, "")
            .is_ok()
    );
    assert!(matches!(
        store.eh_record_path(&me, &yellow, false, false, Path::Referral, " "),
        Err(StorageError::Refused(Refusal::ReasonNeeded))
    ));
    assert!(
        store
            .eh_record_path(
                &me,
                &yellow,
                false,
                false,
                Path::Referral,
                "Vater gewalttätig"
            )
            .is_ok()
    );
    // Rot: early help only with a reason, which is kept with the request.
    let mut obs = observation();
    obs.ratings.push((0, IndicatorArea::ALL[8], Rating::Red));
    assert!(matches!(
        store.eh_observe(&me, &obs),
        Err(StorageError::Refused(Refusal::ReasonNeeded))
    ));
    obs.reason = "Blauer Fleck erklärt (Sturz, Kinderarzt war da)".into();
    let id = store.eh_observe(&me, &obs).unwrap();
    let r = read(&store, &me, id).unwrap();
    assert_eq!(r.guide_path, Some(Path::Referral));
    assert_eq!(r.path_reason.as_deref(), Some(obs.reason.as_str()));
    // All grün: nothing is stored unless the worker gives a reason.
    let mut green = observation();
    green.ratings = vec![(0, IndicatorArea::ALL[0], Rating::Green)];
    assert!(matches!(
        store.eh_observe(&me, &green),
        Err(StorageError::Refused(Refusal::ReasonNeeded))
    ));
    // Only a Jobcenter U25 worker records observations.
    assert!(matches!(
        store.eh_observe(&staff(&store, FH), &observation()),
        Err(StorageError::Refused(Refusal::NotQualified))
    ));
}

#[test]
fn a_revocation_after_sending_stops_every_step_but_closing() {
    let store = demo_store();
    let me = staff(&store, WORKER);
    let fh = staff(&store, FH);
    let id = sent(&store, &[EhData::Contact, EhData::Children], true);
    store.eh_take(&fh, id, version(&store, &fh, id)).unwrap();
    store
        .eh_revoke(&me, id, version(&store, &me, id), today())
        .unwrap();
    let ja = read(&store, &fh, id).unwrap();
    assert_eq!(ja.state, EhState::Withdrawn);
    assert_eq!(ja.revoked_on, Some(today()));
    // What was passed on stays listed, so the screen marks it.
    assert_eq!(ja.passed_data, vec![EhData::Contact, EhData::Children]);
    let v = ja.version;
    assert!(matches!(
        store.eh_first_contact(&fh, id, v, today()),
        Err(StorageError::Refused(Refusal::EarlyHelpWrongState))
    ));
    assert!(matches!(
        store.eh_close(&fh, id, v, Some((Outcome::Accepted, None))),
        Err(StorageError::Refused(Refusal::EarlyHelpWrongState))
    ));
    assert!(matches!(
        store.eh_revoke(&fh, id, v, today()),
        Err(StorageError::Refused(Refusal::EarlyHelpWrongState))
    ));
    store.eh_close(&fh, id, v, None).unwrap();
    let closed = read(&store, &fh, id).unwrap();
    assert_eq!(closed.state, EhState::Withdrawn);
    assert!(closed.closed_at.is_some());
    assert!(matches!(
        store.eh_close(&fh, id, closed.version, None),
        Err(StorageError::Refused(Refusal::EarlyHelpWrongState))
    ));
}

#[test]
fn the_conversion_carries_children_indicators_and_facts_into_a_referral_draft() {
    let store = demo_store();
    let me = staff(&store, WORKER);
    let id = sent(&store, EhData::ALL, true);
    let session = SessionId("e0".repeat(12));
    let values = store
        .eh_convert(&me, &session, id, version(&store, &me, id))
        .unwrap();
    let drafts = store.drafts_for(me.id).unwrap();
    let draft = drafts
        .iter()
        .find(|d| d.form == REFERRAL_DRAFT && d.record_id == 0)
        .expect("a referral draft");
    assert_eq!(draft.values, values);
    assert_eq!(values[key::CHILDREN], "2");
    assert_eq!(values[&key::child(0, "given_names")], "Mia");
    assert_eq!(values[&key::child(1, "given_names")], "Leon");
    assert_eq!(
        values[&key::indicator(0, IndicatorArea::ALL[5])],
        Rating::Yellow.code()
    );
    assert_eq!(
        values[&key::indicator(1, IndicatorArea::ALL[14])],
        Rating::Yellow.code()
    );
    assert!(!values.contains_key(&key::indicator(1, IndicatorArea::ALL[0])));
    assert_eq!(values[key::FACTS], observation().facts);
    assert_eq!(values[key::VERBATIM], talk().own_words);
    // The referral form reads the same children and indicators from the draft.
    let local = tz::to_local(test_clock().now());
    let problems = ReferralInput::from_values(&values, local).unwrap_err();
    assert!(
        problems.iter().all(|(k, _)| !k.contains("given_names")),
        "{problems:?}"
    );
    let r = read(&store, &me, id).unwrap();
    assert_eq!(r.state, EhState::Converted);
    assert!(r.converted_at.is_some());
    // Completed and sent, the referral is linked from the request.
    let mut full = values.clone();
    full.insert(key::URGENCY.into(), "nicht_akut".into());
    full.insert(key::BASIS.into(), "sgbx_69".into());
    full.insert(key::PHONE.into(), "02366 303 0".into());
    for i in 0..2 {
        full.insert(key::child(i, "whereabouts"), "bei der Mutter".into());
    }
    for st in tandem::domain::referral::PriorStep::ALL {
        full.insert(key::step(*st), "no".into());
        full.insert(key::step_detail(*st), "noch nicht".into());
    }
    let input = ReferralInput::from_values(&full, local).unwrap();
    let referral = store
        .send_referral(&me, &input, test_clock().now())
        .unwrap();
    store.eh_link_referral(&me, id, referral).unwrap();
    assert_eq!(read(&store, &me, id).unwrap().referral_id, Some(referral));
    // Nobody links a request to another person's referral.
    let other = staff(&store, OTHER_WORKER);
    assert!(store.eh_link_referral(&other, id, referral).is_err());
    store
        .delete_draft(&session, me.id, REFERRAL_DRAFT, 0)
        .unwrap();
    // A second conversion while a referral draft is unsent is refused, not overwritten.
    store
        .save_draft(
            &session,
            &tandem::model::draft::Draft::new(me.id, REFERRAL_DRAFT, 0, values.clone()),
        )
        .unwrap();
    let id2 = consented(&store, EhData::ALL, true);
    assert!(matches!(
        store.eh_convert(&me, &session, id2, version(&store, &me, id2)),
        Err(StorageError::Refused(Refusal::EarlyHelpDraftExists))
    ));
}

#[test]
fn deadlines_alert_the_worker_on_the_fixed_clock() {
    let mut store = demo_store();
    let me = staff(&store, WORKER);
    let fh = staff(&store, FH);
    let cal = WorkCalendar::default();
    let d = EhDeadlines::default();
    let id = sent(&store, EhData::ALL, true);
    let r = read(&store, &me, id).unwrap();
    let (kind, at) = r.due.unwrap();
    assert_eq!(kind, DueKind::Take);
    // Sent Wednesday 25.11.2026: three working days end with Monday 30.11.
    assert_eq!(
        tz::to_local(at).date(),
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    );
    let before = store.eh_counts(&me, &cal, &d).unwrap().1;
    let later = test_clock();
    later.advance(Duration::days(6));
    store.set_clock(later);
    let (_, overdue) = store.eh_counts(&me, &cal, &d).unwrap();
    // Other demo requests may pass their deadlines in those days too.
    assert!(
        overdue > before,
        "a request not taken after 3 working days alerts"
    );
    let (kind, at) = read(&store, &me, id).unwrap().due.unwrap();
    assert_eq!(kind, DueKind::Take);
    assert!(at <= store.clock().now());
    // A child under one: the first contact is due after 5 working days, not 10.
    store.eh_take(&fh, id, version(&store, &fh, id)).unwrap();
    let (kind, at) = read(&store, &me, id).unwrap().due.unwrap();
    assert_eq!(kind, DueKind::Contact);
    assert_eq!(
        tz::to_local(at).date(),
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
    );
}

// ---------------------------------------------------------------------------------------
// The access property: random staff and requests against an oracle written from the
// rules of docs/early-help.md § 6 (DOMAIN 5.1's row "Kontaktvermittlung Frühe Hilfen").

mod property {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestCaseError, TestRunner};
    use tandem::domain::{Agency, Role};
    use tandem::model::referral::Function;
    use tandem::storage::staff::NewStaff;

    /// How far a request is driven.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Goal {
        Observed,
        Talked,
        Consented,
        Declined,
        Requested,
        Taken,
        Contacted,
        Closed,
        RevokedUnsent,
        RevokedTaken,
    }

    const GOALS: [Goal; 10] = [
        Goal::Observed,
        Goal::Talked,
        Goal::Consented,
        Goal::Declined,
        Goal::Requested,
        Goal::Taken,
        Goal::Contacted,
        Goal::Closed,
        Goal::RevokedUnsent,
        Goal::RevokedTaken,
    ];

    #[derive(Debug, Clone)]
    struct StaffSpec {
        jobcenter: bool,
        roles: u8,
        early_help: bool,
        active: bool,
    }

    #[derive(Debug, Clone)]
    struct RequestSpec {
        by: usize,
        goal: usize,
        data: u8,
        feedback: bool,
        taker: usize,
    }

    fn staff_spec() -> impl Strategy<Value = StaffSpec> {
        (
            any::<bool>(),
            1u8..32,
            any::<bool>(),
            prop::bool::weighted(0.9),
        )
            .prop_map(|(jobcenter, roles, early_help, active)| StaffSpec {
                jobcenter,
                roles,
                early_help,
                active,
            })
    }

    fn request_spec() -> impl Strategy<Value = RequestSpec> {
        (
            0usize..16,
            0..GOALS.len(),
            0u8..8,
            any::<bool>(),
            0usize..16,
        )
            .prop_map(|(by, goal, data, feedback, taker)| RequestSpec {
                by,
                goal,
                data,
                feedback,
                taker,
            })
    }

    fn roles_of(s: &StaffSpec) -> Vec<Role> {
        let pool: &[Role] = if s.jobcenter {
            &[Role::JcU25, Role::Lead, Role::Dpo, Role::Admin]
        } else {
            &[
                Role::JaStaff,
                Role::JaOncall,
                Role::Lead,
                Role::Dpo,
                Role::Admin,
            ]
        };
        let roles: Vec<Role> = pool
            .iter()
            .enumerate()
            .filter(|(i, _)| s.roles & (1 << i) != 0)
            .map(|(_, r)| *r)
            .collect();
        if roles.is_empty() {
            vec![pool[0]]
        } else {
            roles
        }
    }

    /// The side the rules give `v` on a request of `requester`, sent or not, taken by whom.
    fn oracle(
        v: &Staff,
        early_help: bool,
        requester: &Staff,
        sent: bool,
        taker: Option<&Staff>,
    ) -> Option<EhSide> {
        if !v.active {
            return None;
        }
        let has = |r| v.roles.contains(&r);
        if v.agency == Agency::Jobcenter {
            if v.id == requester.id && has(Role::JcU25) {
                return Some(EhSide::Requester);
            }
            if has(Role::Lead) {
                return Some(EhSide::JcLead);
            }
            return has(Role::Dpo).then_some(EhSide::Dpo);
        }
        if !sent {
            return None;
        }
        let professional = has(Role::JaStaff) || has(Role::JaOncall) || has(Role::Lead);
        if professional && early_help && taker.is_none_or(|t| t.id == v.id) {
            return Some(EhSide::EarlyHelp);
        }
        if has(Role::Lead) {
            return Some(EhSide::JaLead);
        }
        has(Role::Dpo).then_some(EhSide::Dpo)
    }

    /// One request as built: (id, requester index, sent, taker index, data passed,
    /// feedback, first contact recorded).
    type Built = (i64, usize, bool, Option<usize>, Vec<EhData>, bool, bool);

    struct World {
        store: Store,
        staff: Vec<(Staff, bool)>,
        requests: Vec<Built>,
    }

    fn build(staff: &[StaffSpec], reqs: &[RequestSpec]) -> World {
        let mut store = Store::open_in_memory().unwrap();
        store.set_clock(test_clock());
        // A fixed worker and a fixed early-help professional make every goal reachable.
        let mut specs = vec![
            StaffSpec {
                jobcenter: true,
                roles: 1,
                early_help: false,
                active: true,
            },
            StaffSpec {
                jobcenter: false,
                roles: 1,
                early_help: true,
                active: true,
            },
        ];
        specs.extend_from_slice(staff);
        let new: Vec<NewStaff> = specs
            .iter()
            .enumerate()
            .map(|(i, s)| NewStaff {
                login: format!("p{i}"),
                surname: format!("Nachname{i}"),
                given_name: "Test".into(),
                agency: if s.jobcenter {
                    Agency::Jobcenter
                } else {
                    Agency::Jugendamt
                },
                roles: roles_of(s),
                phone: String::new(),
                email: format!("p{i}@example.org"),
            })
            .collect();
        let ids = store.insert_staff(&new).unwrap();
        for (id, s) in ids.iter().zip(&specs) {
            if s.early_help && !s.jobcenter {
                store.add_function(*id, Function::EarlyHelp).unwrap();
            }
        }
        let people: Vec<(Staff, bool)> = ids
            .iter()
            .zip(&specs)
            .map(|(id, s)| {
                (
                    store.staff_by_id(*id).unwrap().unwrap(),
                    s.early_help && !s.jobcenter,
                )
            })
            .collect();
        let workers: Vec<usize> = (0..people.len())
            .filter(|i| {
                let p = &people[*i].0;
                p.agency == Agency::Jobcenter && p.roles.contains(&Role::JcU25)
            })
            .collect();
        let takers: Vec<usize> = (0..people.len())
            .filter(|i| {
                let (p, fh) = &people[*i];
                *fh && [Role::JaStaff, Role::JaOncall, Role::Lead]
                    .iter()
                    .any(|r| p.roles.contains(r))
            })
            .collect();
        let mut requests = Vec::new();
        for r in reqs {
            let by = workers[r.by % workers.len()];
            let taker = takers[r.taker % takers.len()];
            let me = people[by].0.clone();
            let fh = people[taker].0.clone();
            let goal = GOALS[r.goal];
            let mut data = vec![EhData::Contact];
            for (i, d) in [EhData::Children, EhData::Concern, EhData::OwnWords]
                .iter()
                .enumerate()
            {
                if r.data & (1 << i) != 0 {
                    data.push(*d);
                }
            }
            let id = store.eh_observe(&me, &observation()).unwrap();
            let v = |s: &Store, who: &Staff| read(s, who, id).unwrap().version;
            let mut sent = false;
            let mut took = None;
            let mut outcome = false;
            if goal != Goal::Observed {
                store.eh_talk(&me, id, v(&store, &me), &talk()).unwrap();
            }
            if !matches!(goal, Goal::Observed | Goal::Talked) {
                store
                    .eh_consent(&me, id, v(&store, &me), &consent(&data, r.feedback))
                    .unwrap();
            }
            match goal {
                Goal::Declined => store
                    .eh_decline(&me, id, v(&store, &me), today(), None)
                    .unwrap(),
                Goal::RevokedUnsent => store.eh_revoke(&me, id, v(&store, &me), today()).unwrap(),
                Goal::Requested
                | Goal::Taken
                | Goal::Contacted
                | Goal::Closed
                | Goal::RevokedTaken => {
                    store.eh_send(&me, id, v(&store, &me)).unwrap();
                    sent = true;
                    if goal != Goal::Requested {
                        store.eh_take(&fh, id, v(&store, &fh)).unwrap();
                        took = Some(taker);
                    }
                    if matches!(goal, Goal::Contacted | Goal::Closed) {
                        store
                            .eh_first_contact(&fh, id, v(&store, &fh), today())
                            .unwrap();
                        outcome = true;
                    }
                    if goal == Goal::Closed {
                        store
                            .eh_close(
                                &fh,
                                id,
                                v(&store, &fh),
                                Some((Outcome::Accepted, Some(HelpKind::Group))),
                            )
                            .unwrap();
                    }
                    if goal == Goal::RevokedTaken {
                        store.eh_revoke(&fh, id, v(&store, &fh), today()).unwrap();
                    }
                }
                _ => {}
            }
            let kept = if matches!(goal, Goal::Observed | Goal::Talked | Goal::Declined) {
                Vec::new()
            } else {
                data
            };
            requests.push((id, by, sent, took, kept, r.feedback, outcome));
        }
        // Some staff leave: their reads stop at once.
        for (i, s) in specs.iter().enumerate() {
            if !s.active {
                tandem::storage::testing::execute(
                    &store,
                    "UPDATE staff SET active = 0 WHERE id = ?1",
                    &[&people[i].0.id.0],
                )
                .unwrap();
            }
        }
        let staff = people
            .into_iter()
            .map(|(p, fh)| (store.staff_by_id(p.id).unwrap().unwrap(), fh))
            .collect();
        World {
            store,
            staff,
            requests,
        }
    }

    fn check(w: &World) -> Result<usize, TestCaseError> {
        let cal = WorkCalendar::default();
        let d = EhDeadlines::default();
        let mut checked = 0;
        for (v, fh) in &w.staff {
            let listed: Vec<i64> = w
                .store
                .eh_requests_for(v, &cal, &d)
                .unwrap()
                .iter()
                .map(|r| r.id)
                .collect();
            for (id, by, sent, took, data, feedback, outcome) in &w.requests {
                let requester = &w.staff[*by].0;
                let taker = took.map(|t| &w.staff[t].0);
                let want = oracle(v, *fh, requester, *sent, taker);
                let got = read(&w.store, v, *id);
                checked += 1;
                prop_assert_eq!(listed.contains(id), want.is_some(), "list of {}", v.login);
                let Some(side) = want else {
                    prop_assert!(
                        matches!(got, Err(StorageError::NotFound)),
                        "{} reads request {} ({:?})",
                        v.login,
                        id,
                        got.map(|r| r.side)
                    );
                    continue;
                };
                let r = got.unwrap();
                prop_assert_eq!(r.side, side, "side of {}", v.login);
                let jc = matches!(side, EhSide::Requester | EhSide::JcLead);
                let ja = matches!(side, EhSide::EarlyHelp | EhSide::JaLead);
                let listed_data = |x: EhData| jc || (ja && data.contains(&x));
                prop_assert_eq!(r.parent_name.is_some(), listed_data(EhData::Contact));
                prop_assert_eq!(r.parent_contact.is_some(), listed_data(EhData::Contact));
                prop_assert_eq!(r.children.is_some(), listed_data(EhData::Children));
                prop_assert_eq!(r.concerns.is_some(), listed_data(EhData::Concern));
                prop_assert_eq!(r.own_words.is_some(), listed_data(EhData::OwnWords));
                prop_assert_eq!(r.facts.is_some(), jc);
                prop_assert_eq!(r.indicators.is_some(), jc);
                prop_assert_eq!(r.path_reason.is_some(), jc);
                prop_assert_eq!(r.talk_on.is_some(), jc && !r.state.eq(&EhState::Observed));
                let sees_outcome = ja || (jc && *feedback);
                prop_assert_eq!(
                    r.first_contact_on.is_some(),
                    sees_outcome && *outcome,
                    "first contact for {:?}",
                    side
                );
            }
        }
        Ok(checked)
    }

    #[test]
    #[allow(
        clippy::print_stderr,
        reason = "the figures of the run are part of the report"
    )]
    fn early_help_access_matches_the_rules() {
        let mut runner = TestRunner::new(Config {
            cases: 48,
            failure_persistence: None,
            max_shrink_iters: 100,
            ..Config::default()
        });
        let pairs = std::cell::Cell::new(0usize);
        let spec = (
            prop::collection::vec(staff_spec(), 2..9),
            prop::collection::vec(request_spec(), 1..6),
        );
        let result = runner.run(&spec, |(staff, reqs)| {
            let w = build(&staff, &reqs);
            pairs.set(pairs.get() + check(&w)?);
            Ok(())
        });
        eprintln!(
            "early_help_access_matches_the_rules: {} (viewer, request) pairs",
            pairs.get()
        );
        if let Err(e) = result {
            panic!("{e}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Through keys on the real app.

mod flows {
    use super::*;
    use support::{app_on, keys, screen};
    use tandem::app::App;
    use tandem::app::layers::early_help::{EhForm, EhMenu, ObserveForm};
    use tandem::domain::early_help::EhStep;
    use tandem::strings::Lang;

    fn status(app: &App) -> String {
        app.status
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    }

    fn login(store: Store, who: &str) -> App {
        let mut app = app_on(store, who, Lang::De);
        while app.top_layer() == Some("question") {
            keys(&mut app, "n");
        }
        app
    }

    /// Highlights request `id` on the early-help list with the arrow keys.
    fn highlight(app: &mut App, id: i64) {
        keys(app, "<home>");
        let at = app
            .cp
            .eh_rows
            .iter()
            .position(|r| r.id == id)
            .expect("listed");
        for _ in 0..at {
            keys(app, "<down>");
        }
        assert_eq!(app.cp.eh_rows[app.cp.eh_cursor].id, id);
    }

    /// `m`, then the step `step` of the menu.
    fn choose(app: &mut App, step: EhStep) {
        keys(app, "m");
        let menu = app.layer_mut::<EhMenu>().expect("the menu opens");
        let at = menu
            .items
            .iter()
            .position(|i| *i == step)
            .unwrap_or_else(|| panic!("{step:?} not offered: {:?}", menu.items));
        for _ in 0..at {
            keys(app, "<down>");
        }
        keys(app, "<enter>");
        assert!(app.has_layer::<EhForm>(), "{step:?}: {}", status(app));
    }

    #[test]
    fn from_a_yellow_observation_to_the_outcome_through_keys() {
        let mut jc = login(demo_store(), WORKER);
        // A deadline of the demo passed: the login line says so, with counts only.
        assert!(
            status(&jc).contains("Frühe Hilfen: eine Frist ist überschritten (F4, h)."),
            "{}",
            status(&jc)
        );
        keys(&mut jc, "<f4> h n");
        assert!(jc.has_layer::<ObserveForm>());
        // One child, a first name, under one year, Ernährung gelb.
        keys(
            &mut jc,
            "<enter> Mia <enter> <right> <enter> <enter> <right> <right>",
        );
        let shown = screen(&mut jc, 80, 24);
        assert!(
            shown.contains("Wegweiser: Gespräch führen und Frühe Hilfen anbieten"),
            "{shown}"
        );
        assert!(
            !shown.contains("Wegweiser: Kinderschutz-Mitteilung"),
            "{shown}"
        );
        insta::assert_snapshot!("eh_guide_80x24", shown);
        insta::assert_snapshot!("eh_guide_60x15", screen(&mut jc, 60, 15));
        // Ctrl+S without the parent's name: the message stands at the field.
        keys(&mut jc, "<ctrl-s>");
        assert!(jc.has_layer::<ObserveForm>());
        let form = jc.layer::<ObserveForm>().unwrap();
        assert_eq!(
            form.editor.errors.get("parent_name").map(String::as_str),
            Some("Bitte ausfüllen.")
        );
        keys(
            &mut jc,
            "Jana <space> Testmann <tab> 0171 <space> 555 <tab> <tab> U6 <space> verpasst.",
        );
        keys(&mut jc, "<ctrl-s>");
        assert!(!jc.has_layer::<ObserveForm>(), "{}", status(&jc));
        let id = jc.cp.eh_rows[jc.cp.eh_cursor].id;
        let r = &jc.cp.eh_rows[jc.cp.eh_cursor];
        assert_eq!(r.state, EhState::Observed);
        assert_eq!(r.parent_name.as_deref(), Some("Jana Testmann"));
        assert_eq!(r.guide_path, Some(Path::EarlyHelp));

        // The talk: a concern ticked, the parent's words.
        choose(&mut jc, EhStep::Talk);
        keys(
            &mut jc,
            "<tab> <space> <tab> Ich <space> bin <space> müde. <ctrl-s>",
        );
        assert!(!jc.has_layer::<EhForm>(), "{}", status(&jc));
        // The consent: contact (ticked already) and the children, with feedback.
        choose(&mut jc, EhStep::Consent);
        keys(
            &mut jc,
            "<tab> <tab> <tab> <tab> <right> <space> <tab> <right>",
        );
        insta::assert_snapshot!("eh_consent_80x24", screen(&mut jc, 80, 24));
        insta::assert_snapshot!("eh_consent_60x15", screen(&mut jc, 60, 15));
        keys(&mut jc, "<ctrl-s>");
        assert!(!jc.has_layer::<EhForm>(), "{}", status(&jc));
        let r = jc.cp.eh_rows.iter().find(|r| r.id == id).unwrap().clone();
        let c = r.consent.expect("consent recorded");
        assert_eq!(c.data, vec![EhData::Contact, EhData::Children]);
        assert!(c.feedback);
        choose(&mut jc, EhStep::Send);
        keys(&mut jc, "<ctrl-s>");
        let r = jc.cp.eh_rows.iter().find(|r| r.id == id).unwrap().clone();
        assert_eq!(r.state, EhState::Requested);

        // The Jugendamt's early help: the inbox shows only the consented data.
        let mut ja = login(jc.into_store(), FH);
        assert!(status(&ja).contains("Frühe Hilfen:"), "{}", status(&ja));
        keys(&mut ja, "<f4> h");
        highlight(&mut ja, id);
        let inbox = screen(&mut ja, 80, 24);
        assert!(
            inbox.contains("Jana Testmann") && inbox.contains("Mia (unter 1 Jahr)"),
            "{inbox}"
        );
        assert!(
            !inbox.contains("U6 verpasst") && !inbox.contains("Ich bin müde"),
            "{inbox}"
        );
        insta::assert_snapshot!("eh_inbox_80x24", inbox);
        insta::assert_snapshot!("eh_inbox_60x15", screen(&mut ja, 60, 15));
        choose(&mut ja, EhStep::Take);
        keys(&mut ja, "<ctrl-s>");
        choose(&mut ja, EhStep::Contact);
        keys(&mut ja, "<ctrl-s>");
        choose(&mut ja, EhStep::Close);
        keys(&mut ja, "<right> <tab> <right> <ctrl-s>");
        assert!(!ja.has_layer::<EhForm>(), "{}", status(&ja));
        let r = ja.cp.eh_rows.iter().find(|r| r.id == id).unwrap().clone();
        assert_eq!(r.state, EhState::Closed);
        assert_eq!(r.outcome, Some(Outcome::Accepted));
        assert_eq!(r.help_kind, Some(HelpKind::FamilyMidwife));

        // Feedback was consented: the worker reads the outcome and the first contact.
        let mut jc = login(ja.into_store(), WORKER);
        keys(&mut jc, "<f4> h");
        highlight(&mut jc, id);
        let shown = screen(&mut jc, 80, 40);
        assert!(
            shown.contains("Hilfe angenommen: Familienhebamme/FGKiKP"),
            "{shown}"
        );
        assert!(shown.contains("Erstkontakt am"), "{shown}");
    }

    #[test]
    fn a_red_indicator_leads_to_the_referral_with_its_children_carried_over() {
        let mut jc = login(demo_store(), WORKER);
        keys(&mut jc, "<f4> h n");
        keys(&mut jc, "<enter> Mats <enter> <right> <right>");
        // Häusliche Gewalt rot: the eleventh area after the first.
        keys(&mut jc, "<enter>");
        for _ in 0..11 {
            keys(&mut jc, "<enter>");
        }
        keys(&mut jc, "<right> <right> <right>");
        let shown = screen(&mut jc, 80, 24);
        assert!(
            shown.contains("Wegweiser: Kinderschutz-Mitteilung"),
            "{shown}"
        );
        keys(&mut jc, "<ctrl-s>");
        // The referral form opens with the child and the indicator, nothing stored of them.
        let form = jc
            .layer::<tandem::app::layers::referral_form::ReferralForm>()
            .expect("the referral form opens");
        assert_eq!(form.editor.value(&key::child(0, "given_names")), "Mats");
        assert_eq!(
            form.editor
                .value(&key::indicator(0, IndicatorArea::DomesticViolence)),
            Rating::Red.code()
        );
        let store = jc.into_store();
        let me = staff(&store, WORKER);
        assert!(
            store
                .eh_requests_for(&me, &WorkCalendar::default(), &EhDeadlines::default())
                .unwrap()
                .iter()
                .all(|r| r.parent_name.as_deref() != Some("Mats")),
        );
    }
}

#[test]
fn the_joint_appointment_is_in_the_calendar_with_clash_check_and_a_neutral_ics() {
    use tandem::domain::schedule::{Appointment, AppointmentKind};
    let store = demo_store();
    let me = staff(&store, WORKER);
    let fh = staff(&store, FH);
    let id = sent(&store, EhData::ALL, true);
    let day = today() + Duration::days(7);
    let start = day.and_hms_opt(10, 0, 0).unwrap();
    // Not before the request is taken.
    assert!(matches!(
        store.eh_book_joint(&me, id, version(&store, &me, id), start, 60, ""),
        Err(StorageError::Refused(Refusal::EarlyHelpWrongState))
    ));
    store.eh_take(&fh, id, version(&store, &fh, id)).unwrap();
    // The early-help professional is busy then: a clash, nothing booked.
    store
        .add_appointment(&Appointment {
            id: String::new(),
            kind: AppointmentKind::TeamMeeting,
            title: "Teamsitzung".into(),
            start: day.and_hms_opt(9, 30, 0).unwrap(),
            end: day.and_hms_opt(10, 30, 0).unwrap(),
            attendees: vec![fh.id.0],
            room: None,
        })
        .unwrap();
    assert!(matches!(
        store.eh_book_joint(&me, id, version(&store, &me, id), start, 60, "Raum 2.14"),
        Err(StorageError::Refused(Refusal::Clash))
    ));
    // In the past: refused.
    assert!(matches!(
        store.eh_book_joint(
            &me,
            id,
            version(&store, &me, id),
            (today() - Duration::days(1)).and_hms_opt(10, 0, 0).unwrap(),
            60,
            ""
        ),
        Err(StorageError::Refused(Refusal::DateOutOfRange))
    ));
    let later = day.and_hms_opt(11, 0, 0).unwrap();
    store
        .eh_book_joint(&me, id, version(&store, &me, id), later, 60, "Raum 2.14")
        .unwrap();
    // Both see it; it blocks both in the shared calendar.
    for who in [&me, &fh] {
        let r = read(&store, who, id).unwrap();
        assert_eq!(
            r.joint,
            Some((
                later,
                later + Duration::minutes(60),
                "Raum 2.14".to_string()
            ))
        );
    }
    let cal = store
        .calendar_between(
            day.and_hms_opt(0, 0, 0).unwrap(),
            day.and_hms_opt(23, 0, 0).unwrap(),
        )
        .unwrap();
    let joint: Vec<_> = cal
        .iter()
        .filter(|a| a.kind == AppointmentKind::EarlyHelp)
        .collect();
    assert_eq!(joint.len(), 1);
    assert!(joint[0].attendees.contains(&me.id.0) && joint[0].attendees.contains(&fh.id.0));
    assert!(!joint[0].title.contains("Testmann"), "{}", joint[0].title);
    // Booked again, it moves: still one appointment.
    store
        .eh_book_joint(
            &fh,
            id,
            version(&store, &fh, id),
            later + Duration::hours(2),
            45,
            "",
        )
        .unwrap();
    let cal = store
        .calendar_between(
            day.and_hms_opt(0, 0, 0).unwrap(),
            day.and_hms_opt(23, 0, 0).unwrap(),
        )
        .unwrap();
    assert_eq!(
        cal.iter()
            .filter(|a| a.kind == AppointmentKind::EarlyHelp)
            .count(),
        1
    );
    // The calendar file: valid iCalendar, the reference, no parent or child.
    let text =
        tandem::export::early_help_ics(&store, &me, id, test_clock().now(), "tandem.example")
            .unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    assert!(
        text.contains("BEGIN:VEVENT") && text.contains(&format!("FH-{id}")),
        "{text}"
    );
    assert!(text.contains("DTSTART;TZID=Europe/Berlin:"), "{text}");
    for secret in ["Testmann", "Mia", "Leon", "0171", "erschöpft"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    // Another worker gets nothing.
    assert!(matches!(
        tandem::export::early_help_ics(
            &store,
            &staff(&store, OTHER_WORKER),
            id,
            test_clock().now(),
            "tandem.example"
        ),
        Err(StorageError::NotFound)
    ));
}

#[test]
fn review_rules_revocation_conversion_and_the_jobcenter_dsb() {
    let store = demo_store();
    let me = staff(&store, WORKER);
    let fh = staff(&store, FH);
    let other_fh = staff(&store, FH_OTHER);
    // Before anyone took it, no early-help professional records a revocation.
    let id = sent(&store, EhData::ALL, false);
    assert!(matches!(
        store.eh_revoke(&other_fh, id, version(&store, &me, id), today()),
        Err(StorageError::Refused(Refusal::NotQualified))
    ));
    // "Hilfe angenommen" needs the kind of help.
    store.eh_take(&fh, id, version(&store, &fh, id)).unwrap();
    store
        .eh_first_contact(&fh, id, version(&store, &fh, id), today())
        .unwrap();
    assert!(matches!(
        store.eh_close(
            &fh,
            id,
            version(&store, &fh, id),
            Some((Outcome::Accepted, None))
        ),
        Err(StorageError::Refused(Refusal::EarlyHelpHelpKind))
    ));
    store
        .eh_close(
            &fh,
            id,
            version(&store, &fh, id),
            Some((Outcome::Accepted, Some(HelpKind::Welcome))),
        )
        .unwrap();
    // Without feedback consent the Jobcenter's DSB, too, sees no more than "Übernommen".
    let dsb = read(&store, &staff(&store, "wiemers"), id).unwrap();
    assert_eq!(dsb.state, EhState::Taken);
    assert_eq!(dsb.closed_at, None);
    let ja_dsb = read(&store, &staff(&store, "kloeckner"), id).unwrap();
    assert_eq!(ja_dsb.state, EhState::Closed);
    // The worker is offered no step that would reveal the closing by its refusal.
    let r = read(&store, &me, id).unwrap();
    assert_eq!(r.steps, vec![tandem::domain::early_help::EhStep::Convert]);

    // A revoked request can still become a referral (child protection needs no consent),
    // and again after its draft was discarded; never twice once sent.
    let id = sent(&store, EhData::ALL, true);
    store
        .eh_revoke(&me, id, version(&store, &me, id), today())
        .unwrap();
    let session = SessionId("e1".repeat(12));
    store
        .eh_convert(&me, &session, id, version(&store, &me, id))
        .unwrap();
    store
        .delete_draft(&session, me.id, REFERRAL_DRAFT, 0)
        .unwrap();
    store
        .eh_convert(&me, &session, id, version(&store, &me, id))
        .unwrap();
    assert_eq!(read(&store, &me, id).unwrap().state, EhState::Converted);
}
