//! The data-protection officer's store reads (issue 14 part 5, docs/access.md A13,
//! docs/dpo.md): only an active DSB of the Stelle (the break-glass list and its review also
//! its lead); only the own Stelle; metadata only — no name of a young person, child or
//! reporter in anything returned; every read and review is audited.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use support::{demo_store, today};
use tandem::domain::casefile::BreakGlassReason;
use tandem::domain::refusal::Refusal;
use tandem::domain::restriction::RestrictionReason;
use tandem::domain::{Agency, CaseId, Role, Staff};
use tandem::model::dpo::{AuditFilter, Verdict};
use tandem::storage::{StorageError, Store};

fn staff(store: &Store, login: &str) -> Staff {
    store.staff_by_login(login).unwrap().expect("demo login")
}

fn lead_of(store: &Store, agency: Agency) -> Staff {
    store
        .active_staff()
        .unwrap()
        .into_iter()
        .find(|s| s.agency == agency && s.has_role(Role::Lead))
        .expect("a lead")
}

/// Breaks the glass as `who` on the first case they may (a case their agency is party to),
/// with reason "Sonstiges" and a text that names a person.
fn break_glass(store: &Store, who: &Staff) -> CaseId {
    for id in 1..=300 {
        if store
            .break_glass(
                who,
                CaseId(id),
                BreakGlassReason::Other,
                "Anruf von Erika Mustermann",
            )
            .is_ok()
        {
            return CaseId(id);
        }
    }
    panic!("no case to break the glass on");
}

/// Every young person's name of the demo, whole and surname alone (long enough to be
/// telling).
fn demo_names() -> Vec<String> {
    let mut out = Vec::new();
    for c in tandem::demo::demo_data(today()).cases {
        let p = &c.person;
        out.push(format!("{} {}", p.given_names, p.surname));
        if p.surname.chars().count() >= 5 {
            out.push(p.surname.clone());
        }
    }
    out.push("Mustermann".into());
    out
}

fn refused(res: Result<impl std::fmt::Debug, StorageError>) -> Refusal {
    match res {
        Err(StorageError::Refused(r)) => r,
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn anyone_but_a_dsb_is_refused_and_the_refusal_is_logged() {
    let store = demo_store();
    for login in ["brinkmann", "hegemann", "rademacher", "hollmann"] {
        let me = staff(&store, login);
        assert_eq!(
            refused(store.dpo_audit(&me, &AuditFilter::default())),
            Refusal::NotDpo
        );
        let last = store.audit_tail(1).unwrap().remove(0);
        assert_eq!(
            (last.action.as_str(), last.detail.as_deref()),
            ("refused", Some("not_dpo")),
            "{login}"
        );
        assert_eq!(last.staff_id, Some(me.id.0));
        assert_eq!(refused(store.dpo_refused_accesses(&me)), Refusal::NotDpo);
        assert_eq!(refused(store.dpo_transfers(&me)), Refusal::NotDpo);
        assert_eq!(refused(store.dpo_referral_stats(&me)), Refusal::NotDpo);
        assert_eq!(refused(store.dpo_chain(&me)), Refusal::NotDpo);
        assert_eq!(refused(store.dpo_retention(&me)), Refusal::NotDpo);
        assert_eq!(refused(store.dpo_staff_logins(&me)), Refusal::NotDpo);
        assert_eq!(refused(store.dpo_grants(&me)), Refusal::NotDpo);
    }
    // A deactivated DSB is no DSB.
    let mut gone = staff(&store, "wiemers");
    gone.active = false;
    assert_eq!(
        refused(store.dpo_audit(&gone, &AuditFilter::default())),
        Refusal::NotDpo
    );
}

#[test]
fn each_dsb_sees_only_the_own_stelle() {
    let store = demo_store();
    for (login, agency) in [
        ("wiemers", Agency::Jobcenter),
        ("kloeckner", Agency::Jugendamt),
    ] {
        let me = staff(&store, login);
        let own: Vec<String> = store.dpo_staff_logins(&me).unwrap();
        let all = store.active_staff().unwrap();
        assert!(
            all.iter()
                .filter(|s| s.agency == agency)
                .all(|s| own.contains(&s.login))
        );
        assert!(
            all.iter()
                .filter(|s| s.agency != agency)
                .all(|s| !own.contains(&s.login))
        );
        // Log in the partner's lead, so that the log has a row of the other Stelle.
        let other = lead_of(
            &store,
            match agency {
                Agency::Jobcenter => Agency::Jugendamt,
                Agency::Jugendamt => Agency::Jobcenter,
            },
        );
        store
            .log_screen_read(&other, tandem::domain::access::ScreenRead::CaseList)
            .unwrap();
        let rows = store.dpo_audit(&me, &AuditFilter::default()).unwrap();
        assert!(!rows.is_empty(), "{login}");
        assert!(
            rows.iter()
                .all(|r| r.login.as_ref().is_some_and(|l| own.contains(l))),
            "{login}: {rows:?}"
        );
        for t in store.dpo_transfers(&me).unwrap() {
            assert!(t.from == agency || t.to == agency, "{t:?}");
        }
    }
}

#[test]
fn the_audit_filter_narrows_by_staff_case_action_and_period() {
    let store = demo_store();
    let dsb = staff(&store, "wiemers");
    let worker = staff(&store, "brinkmann");
    let case = break_glass(&store, &worker);
    let by = |f: AuditFilter| store.dpo_audit(&dsb, &f).unwrap();
    let mine = by(AuditFilter {
        staff: Some("brinkmann".into()),
        ..AuditFilter::default()
    });
    assert!(!mine.is_empty());
    assert!(mine.iter().all(|r| r.login.as_deref() == Some("brinkmann")));
    let on_case = by(AuditFilter {
        case_no: Some(case.0),
        ..AuditFilter::default()
    });
    assert!(
        on_case
            .iter()
            .any(|r| r.action == "break_glass" && r.detail.as_deref() == Some("other"))
    );
    assert!(
        on_case
            .iter()
            .all(|r| r.object_type == "coop_case" && r.object_id == Some(case.0))
    );
    let glass = by(AuditFilter {
        action: Some("break_glass".into()),
        from: Some(today()),
        to: Some(today()),
        ..AuditFilter::default()
    });
    assert_eq!(glass.len(), 1, "{glass:?}");
    let tomorrow = by(AuditFilter {
        from: today().succ_opt(),
        ..AuditFilter::default()
    });
    assert!(tomorrow.is_empty(), "{tomorrow:?}");
    // Each read is one audit row of its own.
    let last = store.audit_tail(1).unwrap().remove(0);
    assert_eq!(
        (last.action.as_str(), last.object_type.as_str()),
        ("view", "dpo_audit")
    );
    assert_eq!(last.staff_id, Some(dsb.id.0));
}

#[test]
fn break_glass_is_listed_without_its_text_and_reviewed_by_dsb_or_lead() {
    let store = demo_store();
    let worker = staff(&store, "brinkmann");
    let case = break_glass(&store, &worker);
    let dsb = staff(&store, "wiemers");
    let grants = store.dpo_grants(&dsb).unwrap();
    assert_eq!(grants.len(), 1);
    let g = &grants[0];
    assert_eq!(
        (g.login.as_str(), g.case_no, g.reason, g.has_text),
        ("brinkmann", case.0, BreakGlassReason::Other, true)
    );
    assert!(g.review.is_none());
    assert!(!format!("{grants:?}").contains("Mustermann"));
    // The Jobcenter's lead sees the same list; the Jugendamt's DSB and lead nothing.
    assert_eq!(
        store
            .dpo_grants(&lead_of(&store, Agency::Jobcenter))
            .unwrap(),
        grants
    );
    assert!(
        store
            .dpo_grants(&staff(&store, "kloeckner"))
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .dpo_grants(&lead_of(&store, Agency::Jugendamt))
            .unwrap()
            .is_empty()
    );
    // The DSB marks it justified; the review is audited.
    store
        .review_grant(&dsb, g.id, Verdict::Justified, "Vertretung bestätigt")
        .unwrap();
    let last = store.audit_tail(1).unwrap().remove(0);
    assert_eq!(
        (
            last.action.as_str(),
            last.object_type.as_str(),
            last.object_id,
            last.detail.as_deref()
        ),
        ("create", "grant_review", Some(g.id), Some("justified"))
    );
    // The lead reviews again: the newest review counts.
    let lead = lead_of(&store, Agency::Jobcenter);
    store
        .review_grant(&lead, g.id, Verdict::Unjustified, "")
        .unwrap();
    let review = store.dpo_grants(&dsb).unwrap()[0].review.clone().unwrap();
    assert_eq!(
        (review.verdict, review.by.as_str()),
        (Verdict::Unjustified, lead.login.as_str())
    );
    // Too long a comment, the other Stelle, a caseworker: refused, nothing stored.
    assert_eq!(
        refused(store.review_grant(&dsb, g.id, Verdict::Justified, &"x".repeat(501))),
        Refusal::CommentTooLong
    );
    assert_eq!(
        refused(store.review_grant(&staff(&store, "kloeckner"), g.id, Verdict::Justified, "")),
        Refusal::NotDpo
    );
    assert_eq!(
        refused(store.review_grant(&worker, g.id, Verdict::Justified, "")),
        Refusal::NotDpo
    );
    let review = store.dpo_grants(&dsb).unwrap()[0].review.clone().unwrap();
    assert_eq!(review.verdict, Verdict::Unjustified);
    assert!(store.verify_audit().unwrap().is_ok());
}

#[test]
fn nothing_returned_names_a_person() {
    let store = demo_store();
    break_glass(&store, &staff(&store, "brinkmann"));
    let names = demo_names();
    assert!(names.len() > 250);
    for login in ["wiemers", "kloeckner"] {
        let me = staff(&store, login);
        let text = [
            format!(
                "{:?}",
                store.dpo_audit(&me, &AuditFilter::default()).unwrap()
            ),
            format!("{:?}", store.dpo_refused_accesses(&me).unwrap()),
            format!("{:?}", store.dpo_grants(&me).unwrap()),
            format!("{:?}", store.dpo_transfers(&me).unwrap()),
            format!("{:?}", store.dpo_referral_stats(&me).unwrap()),
            format!("{:?}", store.dpo_chain(&me).unwrap()),
            format!("{:?}", store.dpo_retention(&me).unwrap()),
        ]
        .concat();
        for name in &names {
            assert!(!text.contains(name.as_str()), "{login} reads {name}");
        }
    }
}

#[test]
fn counts_chain_and_retention_are_there() {
    let store = demo_store();
    let ja = staff(&store, "kloeckner");
    let jc = staff(&store, "wiemers");
    let stats = store.dpo_referral_stats(&ja).unwrap();
    let total: usize = stats.by_urgency.iter().map(|u| u.1).sum();
    assert!(total > 0, "{stats:?}");
    assert_eq!(total, stats.by_state.iter().map(|s| s.1).sum::<usize>());
    // The Jobcenter learns no internal state of the Jugendamt and no contact deadline.
    let jc_stats = store.dpo_referral_stats(&jc).unwrap();
    let codes: Vec<&str> = jc_stats.by_state.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(codes, ["sent", "received", "closed"]);
    assert_eq!(jc_stats.contact, (0, 0, 0));
    let chain = store.dpo_chain(&ja).unwrap();
    assert!(chain.is_ok(), "{chain:?}");
    assert!(chain.rows > 0 && !chain.evidence.is_empty());
    let retention = store.dpo_retention(&ja).unwrap();
    assert!(!retention.due.is_empty());
    // A planned run shows, by the lead who planned it.
    let lead = lead_of(&store, Agency::Jugendamt);
    let run = store.plan_deletion_run(&lead, today()).unwrap();
    let retention = store.dpo_retention(&ja).unwrap();
    assert_eq!(retention.runs[0].id, run.id);
    assert_eq!(retention.runs[0].requested_by, lead.login);
    assert!(retention.runs[0].executed_at.is_none());
    assert!(store.dpo_retention(&jc).unwrap().runs.is_empty());
    // An open restriction of a Jugendamt case shows to its DSB, by number, not to the
    // Jobcenter's.
    let case = (1..200)
        .map(CaseId)
        .find(|c| {
            store
                .restrict_case(&lead, *c, RestrictionReason::Accuracy)
                .is_ok()
        })
        .expect("a Jugendamt case to restrict");
    let retention = store.dpo_retention(&ja).unwrap();
    assert_eq!(retention.restrictions.len(), 1);
    assert_eq!(retention.restrictions[0].case_no, case.0);
    assert_eq!(retention.restrictions[0].by, lead.login);
    assert!(store.dpo_retention(&jc).unwrap().restrictions.is_empty());
}
