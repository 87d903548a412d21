//! Child-protection referrals in the store: sending, who sees what, the four-eyes rule, the
//! state machine, escalation and the demo's on-call list.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use support::{demo_store, today};
use tandem::domain::Staff;
use tandem::domain::calendar::WorkCalendar;
use tandem::domain::referral::{
    Classification, Deadlines, FeedbackStatus, FourEyesStep, ReferralInput, ReferralStatus, Step,
    Urgency,
};
use tandem::domain::refusal::Refusal;
use tandem::domain::tz;
use tandem::storage::{StorageError, Store};

fn now() -> DateTime<Utc> {
    tz::from_local(today().and_hms_opt(10, 0, 0).unwrap())
}

fn who(store: &Store, login: &str) -> Staff {
    store.staff_by_login(login).unwrap().unwrap()
}

fn input(urgency: Urgency) -> ReferralInput {
    support::referral_input(urgency)
}

struct World {
    store: Store,
    cal: WorkCalendar,
    d: Deadlines,
}

impl World {
    fn new() -> World {
        World {
            store: demo_store(),
            cal: WorkCalendar::default(),
            d: Deadlines::default(),
        }
    }

    fn version(&self, me: &Staff, id: i64, t: DateTime<Utc>) -> i64 {
        self.store
            .referral(me, id, t, &self.cal, &self.d)
            .unwrap()
            .row
            .version
    }

    fn single(
        &self,
        me: &Staff,
        id: i64,
        step: Step,
        text: &str,
        t: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let v = self.version(me, id, t);
        self.store
            .referral_single(me, id, v, step, text, t, &self.cal, &self.d)
    }

    fn propose(
        &self,
        me: &Staff,
        id: i64,
        step: FourEyesStep,
        kv: &[(&str, &str)],
        second: Option<&Staff>,
        t: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let v = self.version(me, id, t);
        let map: BTreeMap<String, String> = kv
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        self.store.propose_referral_step(
            me,
            id,
            v,
            step,
            &map,
            second.map(|s| s.id),
            t,
            &self.cal,
            &self.d,
        )
    }

    fn confirm(&self, me: &Staff, id: i64, t: DateTime<Utc>) -> Result<(), StorageError> {
        let v = self.version(me, id, t);
        self.store
            .confirm_referral_step(me, id, v, true, t, &self.cal, &self.d)
    }
}

#[test]
fn the_same_person_cannot_sign_both_halves_of_the_initial_assessment() {
    let w = World::new();
    let reporter = who(&w.store, "brinkmann");
    let hegemann = who(&w.store, "hegemann");
    let straeter = who(&w.store, "straeter");
    let id = w
        .store
        .send_referral(&reporter, &input(Urgency::Urgent), now())
        .unwrap();
    w.single(&hegemann, id, Step::Receive, "", now()).unwrap();
    w.propose(
        &hegemann,
        id,
        FourEyesStep::Triage,
        &[("class", "dringend"), ("next_step", "home_visit")],
        Some(&straeter),
        now(),
    )
    .unwrap();
    // The proposer's own confirmation is refused and changes nothing.
    let err = w.confirm(&hegemann, id, now()).unwrap_err();
    assert!(
        matches!(err, StorageError::Refused(Refusal::SamePerson)),
        "{err:?}"
    );
    let r = w
        .store
        .referral(&hegemann, id, now(), &w.cal, &w.d)
        .unwrap();
    assert_eq!(r.row.status, ReferralStatus::Received);
    assert!(r.ja.unwrap().pending.is_some());
    // A Jobcenter account is no second professional either.
    let jc = who(&w.store, "karaca");
    assert!(
        w.store
            .confirm_referral_step(&jc, id, r.row.version, true, now(), &w.cal, &w.d)
            .is_err()
    );
    // A colleague can confirm; the timeline names both.
    w.confirm(&straeter, id, now())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let r = w
        .store
        .referral(&hegemann, id, now(), &w.cal, &w.d)
        .unwrap();
    assert_eq!(r.row.status, ReferralStatus::Triaged);
    assert_eq!(r.row.class, Some(Classification::Urgent));
    let last = r.events.last().unwrap();
    assert_eq!(last.kind, "triage");
    assert_eq!(last.by, "Kathrin Hegemann");
    assert_eq!(last.second.as_deref(), Some("Björn Sträter"));
}

#[test]
fn the_jobcenter_sees_its_referral_but_not_the_jugendamts_work() {
    let w = World::new();
    let reporter = who(&w.store, "brinkmann");
    let other_jc = who(&w.store, "karaca");
    let hegemann = who(&w.store, "hegemann");
    let id = w
        .store
        .send_referral(&reporter, &input(Urgency::NotAcute), now())
        .unwrap();
    w.single(&hegemann, id, Step::Receive, "", now()).unwrap();
    w.propose(
        &hegemann,
        id,
        FourEyesStep::Triage,
        &[("class", "nicht_akut")],
        None,
        now(),
    )
    .unwrap();
    let mine = w
        .store
        .referral(&reporter, id, now(), &w.cal, &w.d)
        .unwrap();
    assert!(
        mine.ja.is_none(),
        "no Jugendamt-side fields for the reporter"
    );
    assert_eq!(mine.row.class, None);
    assert!(mine.received_at.is_some() && mine.receipt_sent_at.is_some());
    let kinds: Vec<&str> = mine.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["sent", "receive", "receipt_sent"],
        "the proposal is internal"
    );
    // Another caseworker of the same Stelle sees nothing (default deny).
    assert!(matches!(
        w.store.referral(&other_jc, id, now(), &w.cal, &w.d),
        Err(StorageError::NotFound)
    ));
    assert!(
        !w.store
            .referrals_for(&other_jc, now(), &w.cal, &w.d)
            .unwrap()
            .iter()
            .any(|r| r.id == id)
    );
    // A Jugendamt professional without intake, on-call or assignment sees nothing either.
    let aksoy = who(&w.store, "aksoy");
    assert!(w.store.referral(&aksoy, id, now(), &w.cal, &w.d).is_err());
    // Nor does the data-protection officer or the admin.
    for login in ["kloeckner", "rademacher"] {
        assert!(
            w.store
                .referral(&who(&w.store, login), id, now(), &w.cal, &w.d)
                .is_err()
        );
    }
}

#[test]
fn an_overdue_referral_escalates_to_the_deputy_of_the_assigned_person() {
    let w = World::new();
    let reporter = who(&w.store, "brinkmann");
    let straeter = who(&w.store, "straeter");
    let id = w
        .store
        .send_referral(&reporter, &input(Urgency::Acute), now())
        .unwrap();
    // Sträter is not intake: he sees it only once he is assigned, by confirming… so use
    // the intake worker to receive and assign it to him through the clarification step.
    let intake = who(&w.store, "dabrowska");
    w.single(&intake, id, Step::Receive, "", now()).unwrap();
    let deputy = w
        .store
        .staff_by_id(tandem::domain::StaffId(
            w.store
                .deputy_of(intake.id)
                .unwrap()
                .expect("demo deputies")
                .0,
        ))
        .unwrap()
        .unwrap();
    let has = |me: &Staff, t: DateTime<Utc>| {
        w.store
            .referrals_for(me, t, &w.cal, &w.d)
            .unwrap()
            .into_iter()
            .find(|r| r.id == id)
    };
    if !w
        .store
        .has_function(deputy.id, tandem::model::referral::Function::Intake)
        .unwrap()
        && !deputy.has_role(tandem::domain::Role::JaOncall)
    {
        assert!(has(&deputy, now()).is_none(), "not before the deadline");
        let late = has(&deputy, now() + Duration::hours(2)).expect("escalated to the deputy");
        assert!(late.escalated);
    }
    let lead = who(&w.store, "tueshaus");
    let row = has(&lead, now() + Duration::hours(2)).unwrap();
    assert!(row.escalated, "the lead sees it marked as escalated");
    let _ = straeter;
}

#[test]
fn steps_follow_the_state_machine_and_feedback_blocks_closing() {
    let w = World::new();
    let reporter = who(&w.store, "brinkmann");
    let a = who(&w.store, "hegemann");
    let b = who(&w.store, "straeter");
    let lead = who(&w.store, "tueshaus");
    let id = w
        .store
        .send_referral(&reporter, &input(Urgency::Urgent), now())
        .unwrap();
    assert!(matches!(
        w.single(&a, id, Step::Close, "", now()),
        Err(StorageError::Refused(Refusal::ReferralWrongState))
    ));
    w.single(&a, id, Step::Receive, "", now()).unwrap();
    assert!(
        w.single(&a, id, Step::Receive, "", now()).is_err(),
        "received once"
    );
    w.propose(
        &a,
        id,
        FourEyesStep::Triage,
        &[("class", "dringend")],
        Some(&b),
        now(),
    )
    .unwrap();
    w.confirm(&b, id, now()).unwrap();
    // Closing at triage needs "keine gewichtigen Anhaltspunkte".
    assert!(matches!(
        w.propose(&a, id, FourEyesStep::CloseAtTriage, &[], None, now()),
        Err(StorageError::Refused(Refusal::NotNoIndicators))
    ));
    w.single(&a, id, Step::StartClarification, "", now())
        .unwrap();
    w.propose(
        &a,
        id,
        FourEyesStep::Assessment,
        &[("impression", "home_visit"), ("result.0", "latent")],
        Some(&b),
        now(),
    )
    .unwrap();
    w.confirm(&b, id, now()).unwrap();
    let r = w.store.referral(&a, id, now(), &w.cal, &w.d).unwrap();
    assert_eq!(r.row.status, ReferralStatus::Assessed);
    assert_eq!(r.row.feedback, Some(FeedbackStatus::Open));
    assert!(matches!(
        w.single(&a, id, Step::Close, "", now()),
        Err(StorageError::Refused(Refusal::FeedbackOpen))
    ));
    // Content feedback needs a lead as second signer.
    w.propose(
        &a,
        id,
        FourEyesStep::ContentFeedback,
        &[("confirmed", "yes"), ("ja_active", "yes")],
        Some(&b),
        now(),
    )
    .unwrap();
    assert!(matches!(
        w.confirm(&b, id, now()),
        Err(StorageError::Refused(Refusal::NotQualified))
    ));
    w.confirm(&lead, id, now()).unwrap();
    w.single(&a, id, Step::Close, "", now()).unwrap();
    let mine = w
        .store
        .referral(&reporter, id, now(), &w.cal, &w.d)
        .unwrap();
    assert_eq!(
        mine.feedback_answer,
        Some((true, tandem::domain::referral::JaActive::Yes))
    );
    assert_eq!(mine.row.status, ReferralStatus::Closed);
}

#[test]
fn a_stale_version_is_a_conflict_not_a_lost_step() {
    let w = World::new();
    let reporter = who(&w.store, "brinkmann");
    let a = who(&w.store, "hegemann");
    let intake = who(&w.store, "dabrowska");
    let id = w
        .store
        .send_referral(&reporter, &input(Urgency::Urgent), now())
        .unwrap();
    let v = w.version(&a, id, now());
    w.store
        .referral_single(&intake, id, v, Step::Receive, "", now(), &w.cal, &w.d)
        .unwrap();
    let err = w
        .store
        .referral_single(&a, id, v, Step::Receive, "", now(), &w.cal, &w.d)
        .unwrap_err();
    assert!(
        matches!(err, StorageError::Conflict { by: Some(ref n), .. } if n == "Ewa Dąbrowska-Lenz"),
        "{err:?}"
    );
}

#[test]
fn a_conflict_names_the_jugendamt_worker_to_jugendamt_staff_only() {
    let w = World::new();
    let reporter = who(&w.store, "brinkmann");
    let intake = who(&w.store, "dabrowska");
    let a = who(&w.store, "hegemann");
    let id = w
        .store
        .send_referral(&reporter, &input(Urgency::Urgent), now())
        .unwrap();
    // The reporter's view is loaded, then the Jugendamt records the receipt.
    let stale = w.version(&reporter, id, now());
    w.single(&intake, id, Step::Receive, "", now()).unwrap();
    // The reporter's stale save (here a confirmation, which any viewer may attempt) is a
    // conflict that does not say who in the Jugendamt saved.
    let err = w
        .store
        .confirm_referral_step(&reporter, id, stale, true, now(), &w.cal, &w.d)
        .unwrap_err();
    assert!(
        matches!(err, StorageError::Conflict { by: None, at: None }),
        "{err:?}"
    );
    // A Jugendamt professional with the same stale version learns the colleague's name.
    let err = w
        .store
        .referral_single(&a, id, stale, Step::Receive, "", now(), &w.cal, &w.d)
        .unwrap_err();
    assert!(
        matches!(err, StorageError::Conflict { by: Some(ref n), .. } if n == "Ewa Dąbrowska-Lenz"),
        "{err:?}"
    );
}

#[test]
fn every_step_is_audited_and_the_chain_holds() {
    let w = World::new();
    let reporter = who(&w.store, "brinkmann");
    let a = who(&w.store, "hegemann");
    let before = w.store.audit_tail(1).unwrap()[0].seq;
    let id = w
        .store
        .send_referral(&reporter, &input(Urgency::Urgent), now())
        .unwrap();
    w.single(&a, id, Step::Receive, "", now()).unwrap();
    let rows = w.store.audit_tail(10).unwrap();
    let mine: Vec<_> = rows
        .iter()
        .filter(|r| r.seq > before && r.object_type == "cp_referral")
        .map(|r| (r.action.clone(), r.detail.clone()))
        .collect();
    assert!(
        mine.iter()
            .any(|(a, d)| a == "transfer" && d.as_deref() == Some("sgbx_69")),
        "{mine:?}"
    );
    assert!(
        mine.iter()
            .any(|(a, d)| a == "update" && d.as_deref() == Some("receive")),
        "{mine:?}"
    );
    assert!(w.store.verify_audit().unwrap().is_ok());
}

#[test]
fn the_demo_on_call_list_starts_with_the_overdue_acute_referral() {
    let w = World::new();
    let oncall = who(&w.store, "hegemann");
    assert!(oncall.has_role(tandem::domain::Role::JaOncall));
    let rows = w
        .store
        .oncall_referrals(&oncall, now(), &w.cal, &w.d)
        .unwrap();
    assert!(rows.len() >= 2, "{rows:?}");
    let first = &rows[0];
    assert_eq!(first.urgency, Urgency::Acute);
    assert_eq!(first.status, ReferralStatus::Sent);
    assert!(first.deadline.unwrap().due < now(), "overdue");
    assert!(rows.iter().all(|r| r.status.is_open()));
    // Only akut and dringend.
    assert!(
        rows.iter()
            .all(|r| r.urgency != Urgency::NotAcute || r.class.is_some())
    );
    // Nobody in the Jobcenter gets an on-call list.
    assert!(
        w.store
            .oncall_referrals(&who(&w.store, "brinkmann"), now(), &w.cal, &w.d)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn anonymous_consultations_hold_no_names_and_only_insofa_advises() {
    let w = World::new();
    let me = who(&w.store, "karaca");
    let id = w
        .store
        .request_consult(
            &me,
            tandem::domain::referral::AgeBand::A3,
            "Kind wirkt verängstigt",
            now(),
        )
        .unwrap();
    let straeter = who(&w.store, "straeter");
    assert!(
        w.store
            .advise_consult(
                &straeter,
                id,
                1,
                tandem::domain::referral::ConsultResult::Observe,
                "",
                now()
            )
            .is_err()
    );
    let pieper = who(&w.store, "pieper");
    w.store
        .advise_consult(
            &pieper,
            id,
            1,
            tandem::domain::referral::ConsultResult::Observe,
            "beobachten",
            now(),
        )
        .unwrap();
    let mine = w.store.consults_for(&me).unwrap();
    let c = mine.iter().find(|c| c.id == id).unwrap();
    assert!(c.code.starts_with("AB-2026-"));
    assert_eq!(c.status, "advised");
    assert!(
        w.store
            .consults_for(&who(&w.store, "nowicki"))
            .unwrap()
            .iter()
            .all(|c| c.id != id)
    );
}

/// Issue #23, defect 5: every four-eyes step of a referral — a change between the two
/// signatures clears the first. The reporter's addendum arrives while a proposal waits: the
/// proposal is cleared (the second professional can no longer confirm it), the timeline
/// says so, and the proposer is told at the next login. Proposed again, it goes through.
#[test]
fn an_addendum_between_the_two_signatures_clears_the_proposal() {
    let w = World::new();
    let reporter = who(&w.store, "brinkmann");
    let a = who(&w.store, "hegemann");
    let b = who(&w.store, "straeter");
    let lead = who(&w.store, "tueshaus");
    let id = w
        .store
        .send_referral(&reporter, &input(Urgency::Urgent), now())
        .unwrap();
    w.single(&a, id, Step::Receive, "", now()).unwrap();
    let cleared = |step: FourEyesStep, kv: &[(&str, &str)], second: &Staff| {
        w.propose(&a, id, step, kv, Some(&b), now()).unwrap();
        w.store
            .add_referral_addendum(&reporter, id, "Neue Beobachtung", now())
            .unwrap();
        let r = w.store.referral(&a, id, now(), &w.cal, &w.d).unwrap();
        assert!(r.ja.as_ref().unwrap().pending.is_none(), "{step:?} cleared");
        assert_eq!(r.events.last().unwrap().kind, "pending_cleared");
        assert!(
            w.store
                .confirm_referral_step(second, id, r.row.version, true, now(), &w.cal, &w.d)
                .is_err(),
            "{step:?}: nothing to confirm"
        );
        w.propose(&a, id, step, kv, Some(second), now()).unwrap();
        w.confirm(second, id, now())
            .unwrap_or_else(|e| panic!("{step:?}: {e:?}"));
    };
    cleared(FourEyesStep::Triage, &[("class", "dringend")], &b);
    w.single(&a, id, Step::StartClarification, "", now())
        .unwrap();
    cleared(
        FourEyesStep::Assessment,
        &[("impression", "home_visit"), ("result.0", "latent")],
        &b,
    );
    cleared(
        FourEyesStep::ContentFeedback,
        &[("confirmed", "yes"), ("ja_active", "yes")],
        &lead,
    );
    // Closing at triage, on a second referral.
    let id2 = w
        .store
        .send_referral(&reporter, &input(Urgency::Urgent), now())
        .unwrap();
    w.single(&a, id2, Step::Receive, "", now()).unwrap();
    w.propose(
        &a,
        id2,
        FourEyesStep::Triage,
        &[("class", "keine")],
        Some(&b),
        now(),
    )
    .unwrap();
    w.confirm(&b, id2, now()).unwrap();
    w.propose(&a, id2, FourEyesStep::CloseAtTriage, &[], Some(&b), now())
        .unwrap();
    w.store
        .add_referral_addendum(&reporter, id2, "Nachtrag", now())
        .unwrap();
    let v = w.version(&a, id2, now());
    assert!(
        w.store
            .confirm_referral_step(&b, id2, v, true, now(), &w.cal, &w.d)
            .is_err()
    );
    // The proposer hears of all four at the next login.
    let notices = w.store.take_notices(a.id).unwrap();
    assert_eq!(notices.len(), 4, "{notices:?}");
    assert!(w.store.take_notices(a.id).unwrap().is_empty(), "told once");
}

#[test]
fn the_store_refuses_an_acute_referral_without_the_call_and_one_without_a_child() {
    let w = World::new();
    let reporter = who(&w.store, "brinkmann");
    let mut no_call = input(Urgency::Acute);
    no_call.phoned_ahead = None;
    let mut no_child = input(Urgency::NotAcute);
    no_child.children.clear();
    for bad in [no_call, no_child] {
        let before = w.store.audit_tail(1).unwrap()[0].seq;
        let got = w.store.send_referral(&reporter, &bad, now());
        assert!(
            matches!(got, Err(StorageError::Refused(Refusal::ReferralIncomplete))),
            "{got:?}"
        );
        let rows: Vec<_> = w
            .store
            .audit_tail(5)
            .unwrap()
            .into_iter()
            .filter(|r| r.seq > before)
            .collect();
        // Bad input, not an access question: nothing is written, not even a transfer row
        // (refusals by rule are audited, input refusals are not; docs/access.md A10).
        assert!(rows.is_empty(), "nothing written: {rows:?}");
    }
    // With the call recorded, the same acute referral goes out.
    assert!(
        w.store
            .send_referral(&reporter, &input(Urgency::Acute), now())
            .is_ok()
    );
}
