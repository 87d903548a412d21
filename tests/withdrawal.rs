//! The information at benefit withdrawal (issue #17; docs/domain.md 4.8, docs/casework.md
//! § 9): off by default; a Jobcenter U25 worker opens the review and proposes the decision
//! with its reason, a Jobcenter lead confirms it (four eyes); only a confirmed information
//! reaches the Jugendamt, whose intake records the receipt. Each form checks at its field,
//! keeps a draft and is audited; nothing creates a review but a person.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use support::{app_on, demo_store, keys, screen};
use tandem::app::App;
use tandem::app::layers::withdrawal::{WithdrawalForm, WithdrawalMenu};
use tandem::app::screens::cp::CpSettings;
use tandem::domain::refusal::Refusal;
use tandem::domain::withdrawal::{Decision, NoInfoGround, WithdrawalStatus, WithdrawalStep};
use tandem::domain::{CaseId, Staff};
use tandem::storage::withdrawal::Proposal;
use tandem::storage::{StorageError, Store};
use tandem::strings::Lang;

const WORKER: &str = "brinkmann";
const LEAD: &str = "schwering";
const INTAKE: &str = "dabrowska";

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn switched_on() -> CpSettings {
    CpSettings {
        feature_withdrawal_notice: true,
        withdrawal_legal_bases: vec![
            "§ 69 Abs. 1 Nr. 1 SGB X".to_string(),
            "§ 4 Abs. 3 KKG".to_string(),
        ],
        ..CpSettings::default()
    }
}

/// `who` logged in on a site that switched the information on.
fn login(store: Store, who: &str) -> App {
    let mut app = app_on(store, who, Lang::De);
    while app.top_layer() == Some("question") {
        keys(&mut app, "n");
    }
    app.set_cp_settings(switched_on());
    app
}

fn staff(store: &Store, login: &str) -> Staff {
    store.staff_by_login(login).unwrap().unwrap()
}

/// The first case of the worker's caseload.
fn worker_case(app: &mut App) -> CaseId {
    keys(app, "<f2>");
    let id = app.cases.list.current().map(|r| r.id).expect("a case");
    app.open_file(id);
    id
}

fn choose(app: &mut App, step: WithdrawalStep) {
    keys(app, "l");
    let menu = app.layer_mut::<WithdrawalMenu>().expect("the menu opens");
    let at = menu
        .items
        .iter()
        .position(|i| *i == step)
        .unwrap_or_else(|| panic!("{step:?} not offered: {:?}", menu.items));
    for _ in 0..at {
        keys(app, "<down>");
    }
    keys(app, "<enter>");
}

fn latest(app: &App) -> tandem::model::referral::WithdrawalNotice {
    app.cases.file.as_ref().unwrap().view.withdrawals[0].clone()
}

fn whole_file(app: &mut App) -> String {
    let mut out = String::new();
    for _ in 0..14 {
        out.push_str(&screen(app, 80, 24));
        keys(app, "<pagedown>");
    }
    keys(app, "<home>");
    out
}

/// Moves the focus of the open form to `key` and steps its choice `n` times right.
fn pick(app: &mut App, key: &str, n: usize) {
    app.layer_mut::<WithdrawalForm>().unwrap().editor.focus(key);
    for _ in 0..n {
        keys(app, "<right>");
    }
}

fn proposal(decision: Decision, second: &Staff) -> Proposal {
    Proposal {
        decision: Some(decision),
        ground: Some(NoInfoGround::Hardship),
        reason: "Vollständiger Entzug, zwei Kinder im Haushalt.".to_string(),
        legal_basis: "§ 69 Abs. 1 Nr. 1 SGB X".to_string(),
        second: Some(second.id),
    }
}

#[test]
fn it_is_off_by_default_and_nothing_starts_a_review_but_a_person() {
    let store = demo_store();
    // The Jobcenter's lead reads every review: the demo (every benefit event in it)
    // started none.
    let lead = staff(&store, LEAD);
    assert!(store.withdrawals_for(&lead).unwrap().is_empty());
    let mut app = app_on(store, WORKER, Lang::De);
    while app.top_layer() == Some("question") {
        keys(&mut app, "n");
    }
    let case = worker_case(&mut app);
    keys(&mut app, "l");
    assert_eq!(app.top_layer(), None);
    assert_eq!(
        status(&app),
        "Diese Funktion ist an diesem Standort ausgeschaltet."
    );
    keys(&mut app, "<f4> l");
    assert!(!app.cp.withdrawals_mode);
    let me = app.me.clone();
    assert!(matches!(
        app.store().open_withdrawal(&me, case, "123", 2),
        Err(StorageError::Refused(Refusal::FeatureOff))
    ));
}

#[test]
fn a_review_is_opened_proposed_confirmed_by_the_lead_and_received_by_the_jugendamt() {
    let store = demo_store();
    let mut jc = login(store, WORKER);
    let case = worker_case(&mut jc);

    // Opening the review: the minors are asked for at their field.
    choose(&mut jc, WithdrawalStep::Open);
    assert_eq!(jc.top_layer(), Some("withdrawal"), "{}", status(&jc));
    insta::assert_snapshot!("withdrawal_open_80x24", screen(&mut jc, 80, 24));
    insta::assert_snapshot!("withdrawal_open_60x15", screen(&mut jc, 60, 15));
    jc.layer_mut::<WithdrawalForm>()
        .unwrap()
        .editor
        .focus("bg_no");
    for _ in 0..20 {
        keys(&mut jc, "<backspace>");
    }
    keys(&mut jc, "<ctrl-s>");
    assert_eq!(jc.top_layer(), Some("withdrawal"), "the form stays");
    let text = screen(&mut jc, 80, 24);
    assert!(text.contains("⚠ Bitte ausfüllen."), "{text}");
    assert!(text.contains("⚠ Bitte eine Zahl von 0 bis 99"), "{text}");
    keys(&mut jc, "12345BG <tab> 100 <ctrl-s>");
    assert!(screen(&mut jc, 80, 24).contains("⚠ Bitte eine Zahl von 0 bis 99"));
    keys(&mut jc, "<backspace> <backspace> <backspace> 2 <ctrl-s>");
    assert_eq!(jc.top_layer(), None, "{}", status(&jc));
    let n = latest(&jc);
    assert_eq!(
        (n.status, n.bg_no.as_str(), n.minors_count),
        (WithdrawalStatus::InReview, "12345BG", 2)
    );
    assert!(whole_file(&mut jc).contains("Information bei Leistungsentzug"));

    // Proposing: every choice starts unchosen, so each is asked for.
    choose(&mut jc, WithdrawalStep::Propose);
    assert_eq!(jc.top_layer(), Some("withdrawal"), "{}", status(&jc));
    keys(&mut jc, "<ctrl-s>");
    let text = screen(&mut jc, 80, 24);
    assert_eq!(text.matches("⚠ Bitte ausfüllen.").count(), 3, "{text}");
    pick(&mut jc, "decision", 2);
    pick(&mut jc, "legal_basis", 1);
    pick(&mut jc, "second", 1);
    jc.layer_mut::<WithdrawalForm>()
        .unwrap()
        .editor
        .focus("reason");
    keys(
        &mut jc,
        &"Vollständiger Leistungsentzug, zwei Kinder im Haushalt.".replace(' ', " <space> "),
    );
    insta::assert_snapshot!("withdrawal_propose_80x24", screen(&mut jc, 80, 24));
    insta::assert_snapshot!("withdrawal_propose_60x15", screen(&mut jc, 60, 15));

    // A dropped link keeps the proposal as a draft, reopened with every value.
    let me = jc.me.clone();
    jc.lock();
    let store = jc.into_store();
    let d = store
        .drafts_offered(&me)
        .unwrap()
        .into_iter()
        .map(|(_, d)| d)
        .find(|d| d.form == "withdrawal")
        .expect("a draft");
    assert_eq!(d.record_id, case.0);
    let mut jc = app_on(store, WORKER, Lang::De);
    jc.set_cp_settings(switched_on());
    assert_eq!(jc.top_layer(), Some("question"));
    keys(&mut jc, "j");
    assert_eq!(jc.top_layer(), Some("withdrawal"), "{}", status(&jc));
    let form = jc.layer_mut::<WithdrawalForm>().unwrap();
    assert_eq!(form.editor.value("decision"), "info_sent");
    assert!(form.editor.value("reason").starts_with("Vollständiger"));
    keys(&mut jc, "<ctrl-s>");
    assert_eq!(jc.top_layer(), None, "{}", status(&jc));
    let n = latest(&jc);
    assert!(n.pending());
    assert_eq!(n.decision, Some(Decision::InfoSent));
    assert_eq!(n.ground, None, "a ground belongs to no information only");
    let file = whole_file(&mut jc);
    assert!(
        file.contains("Zur Bestätigung bei    Ludger Schwering"),
        "{file}"
    );
    // The proposer does not confirm her own proposal, and the menu has nothing for her.
    keys(&mut jc, "l");
    assert_eq!(jc.top_layer(), None);
    assert!(
        status(&jc).contains("nichts von Ihnen zu tun"),
        "{}",
        status(&jc)
    );
    let me = jc.me.clone();
    assert!(matches!(
        jc.store().confirm_withdrawal(&me, n.id, n.version, true),
        Err(StorageError::Refused(Refusal::SamePerson))
    ));

    // Before the lead confirms, the Jugendamt reads nothing.
    let store = jc.into_store();
    let intake = staff(&store, INTAKE);
    assert!(store.withdrawals_for(&intake).unwrap().is_empty());

    // The lead returns it once; the caseworker proposes again; the lead confirms.
    let mut lead = login(store, LEAD);
    assert!(
        status(&lead).contains("Eine Entscheidung zur Information bei Leistungsentzug wartet"),
        "{}",
        status(&lead)
    );
    keys(&mut lead, "<f2>");
    lead.open_file(case);
    keys(&mut lead, "l");
    let offered = lead.layer_mut::<WithdrawalMenu>().unwrap().items.clone();
    assert_eq!(offered, [WithdrawalStep::Confirm, WithdrawalStep::Decline]);
    keys(&mut lead, "<esc>");
    choose(&mut lead, WithdrawalStep::Decline);
    let n = latest(&lead);
    assert!(!n.pending() && n.status == WithdrawalStatus::InReview);
    let store = lead.into_store();
    let worker = staff(&store, WORKER);
    let lead_staff = staff(&store, LEAD);
    store
        .propose_withdrawal(
            &worker,
            n.id,
            n.version,
            &proposal(Decision::InfoSent, &lead_staff),
        )
        .unwrap();
    let mut lead = login(store, LEAD);
    lead.open_file(case);
    choose(&mut lead, WithdrawalStep::Confirm);
    assert_eq!(lead.top_layer(), None, "{}", status(&lead));
    let n = latest(&lead);
    assert_eq!(n.status, WithdrawalStatus::InfoSent);
    assert_eq!(n.second_by.as_ref().map(|s| s.0), Some(lead_staff.id));

    // The Jugendamt's intake sees it come in on F4 and records the receipt.
    let store = lead.into_store();
    let aksoy = staff(&store, "aksoy");
    assert!(
        store.withdrawals_for(&aksoy).unwrap().is_empty(),
        "a caseworker without intake does not read the inbox"
    );
    let mut ja = login(store, INTAKE);
    assert!(
        status(&ja).contains("Eine Information bei Leistungsentzug ist eingegangen (F4, l)."),
        "{}",
        status(&ja)
    );
    keys(&mut ja, "<f4>");
    assert!(
        screen(&mut ja, 80, 24).contains("Informationen bei Leistungsentzug: 1 neu (l)"),
        "{}",
        screen(&mut ja, 80, 24)
    );
    keys(&mut ja, "l");
    assert!(ja.cp.withdrawals_mode);
    insta::assert_snapshot!("withdrawal_inbox_80x24", screen(&mut ja, 80, 24));
    insta::assert_snapshot!("withdrawal_inbox_60x15", screen(&mut ja, 60, 15));
    keys(&mut ja, "<enter>");
    assert_eq!(
        ja.top_layer(),
        Some("question"),
        "the receipt is asked first"
    );
    insta::assert_snapshot!("withdrawal_receive_question_80x24", screen(&mut ja, 80, 24));
    keys(&mut ja, "j");
    assert_eq!(status(&ja), "Eingang erfasst: LE-2026-0001");
    let n = ja.cp.withdrawals[0].clone();
    assert_eq!(n.ja_ref.as_deref(), Some("LE-2026-0001"));
    assert!(n.received.is_some());
    // A second Enter records nothing twice; nor does the store, on any version.
    keys(&mut ja, "<enter>");
    assert_eq!(ja.top_layer(), None);
    assert_eq!(ja.cp.withdrawals[0].ja_ref.as_deref(), Some("LE-2026-0001"));
    let me = ja.me.clone();
    for version in [n.version - 1, n.version] {
        assert!(matches!(
            ja.store().receive_withdrawal(&me, n.id, version),
            Err(StorageError::Conflict { .. })
        ));
    }
    keys(&mut ja, "l");
    assert!(!ja.cp.withdrawals_mode, "l leads back to the referrals");

    // Every step is in the audit log; the information left as a transfer.
    let rows: Vec<(String, Option<String>)> = ja
        .store()
        .audit_rows_for("withdrawal_notice", n.id)
        .unwrap()
        .into_iter()
        .map(|r| (r.action, r.detail))
        .collect();
    // The access request (Art. 15) answers for it: the Jobcenter's record with its
    // recipient, and the Jugendamt's receipt.
    let (surname, given) = n.person.split_once(", ").unwrap();
    let query = tandem::model::subject::SubjectQuery {
        surname: surname.to_string(),
        given_names: given.to_string(),
        birth_date: Some(n.birth_date),
    };
    for (dpo, received) in [("wiemers", false), ("kloeckner", true)] {
        let dpo = staff(ja.store(), dpo);
        let export = ja.store().subject_export(&dpo, &query).unwrap();
        let record = export
            .records
            .iter()
            .find(|r| r.kind == "withdrawal_notice")
            .unwrap_or_else(|| panic!("{} exports the information", dpo.login));
        assert_eq!(record.received, received);
        assert!(record.entries.iter().any(|e| e.value == "12345BG"));
    }
    let expect = |a: &str, d: Option<&str>| (a.to_string(), d.map(str::to_string));
    assert_eq!(
        rows,
        [
            expect("create", None),
            expect("update", Some("propose")),
            expect("update", Some("decline")),
            expect("update", Some("propose")),
            expect("transfer", Some("info_sent")),
            expect("update", Some("receive")),
        ]
    );
}

#[test]
fn no_information_stays_in_the_jobcenter_and_the_rules_hold_in_the_store() {
    let store = demo_store();
    let mut jc = login(store, WORKER);
    let case = worker_case(&mut jc);
    let store = jc.into_store();
    let worker = staff(&store, WORKER);
    let lead = staff(&store, LEAD);
    let karaca = staff(&store, "karaca");
    let intake = staff(&store, INTAKE);

    // Only a U25 worker of the Jobcenter opens a review; one open review per case.
    assert!(matches!(
        store.open_withdrawal(&intake, case, "1", 1),
        Err(StorageError::Refused(Refusal::NotAllowed))
    ));
    assert!(matches!(
        store.open_withdrawal(&worker, case, "  ", 1),
        Err(StorageError::Refused(Refusal::ReasonNeeded))
    ));
    let id = store.open_withdrawal(&worker, case, "777", 1).unwrap();
    assert!(matches!(
        store.open_withdrawal(&worker, case, "777", 1),
        Err(StorageError::Refused(Refusal::Pending))
    ));

    // The reason is mandatory; the second signer is a Jobcenter lead who is someone else.
    let mut p = proposal(Decision::NoInfo, &lead);
    p.reason = " ".to_string();
    assert!(matches!(
        store.propose_withdrawal(&worker, id, 1, &p),
        Err(StorageError::Refused(Refusal::ReasonNeeded))
    ));
    let mut p = proposal(Decision::NoInfo, &lead);
    p.ground = None;
    assert!(matches!(
        store.propose_withdrawal(&worker, id, 1, &p),
        Err(StorageError::Refused(Refusal::ReasonNeeded))
    ));
    assert!(matches!(
        store.propose_withdrawal(&worker, id, 1, &proposal(Decision::NoInfo, &karaca)),
        Err(StorageError::Refused(Refusal::NotQualified))
    ));
    assert!(matches!(
        store.propose_withdrawal(&worker, id, 1, &proposal(Decision::NoInfo, &worker)),
        Err(StorageError::Refused(Refusal::SamePerson))
    ));
    store
        .propose_withdrawal(&worker, id, 1, &proposal(Decision::NoInfo, &lead))
        .unwrap();
    // A save resting on an old version is a conflict, never an overwrite.
    assert!(matches!(
        store.confirm_withdrawal(&lead, id, 1, true),
        Err(StorageError::Conflict { .. })
    ));
    store.confirm_withdrawal(&lead, id, 2, true).unwrap();
    let file = store.case_file(&worker, case, support::today()).unwrap();
    let n = &file.withdrawals[0];
    assert_eq!(n.status, WithdrawalStatus::NoInfo);
    assert_eq!(n.ground, Some(NoInfoGround::Hardship));
    assert!(n.legal_basis.is_empty());

    // No information: the Jugendamt reads nothing, not even in the case file.
    assert!(store.withdrawals_for(&intake).unwrap().is_empty());
    for ja in [&intake, &staff(&store, "tueshaus")] {
        if let Ok(view) = store.case_file(ja, case, support::today()) {
            assert!(view.withdrawals.is_empty(), "{} reads the review", ja.login);
        }
    }
    assert!(matches!(
        store.receive_withdrawal(&intake, id, 3),
        Err(StorageError::NotFound)
    ));
    let tueshaus = staff(&store, "tueshaus");
    assert!(store.withdrawals_for(&tueshaus).unwrap().is_empty());
    // A new review may follow a decided one.
    store.open_withdrawal(&worker, case, "777", 2).unwrap();
}

#[test]
fn the_switch_and_the_legal_bases_come_from_the_configuration() {
    use tandem::config::Config;
    let d = Config::default();
    assert!(
        !d.child_protection.feature_withdrawal_notice,
        "off by default"
    );
    let c = Config::from_toml(
        "[child-protection]\nfeature-withdrawal-notice = true\n\
         withdrawal-legal-bases = [\"§ 69 Abs. 1 Nr. 1 SGB X\", \"Kooperationsvereinbarung\"]\n",
        "t.toml",
    )
    .unwrap();
    assert!(c.child_protection.feature_withdrawal_notice);
    assert_eq!(c.child_protection.withdrawal_legal_bases.len(), 2);
    // The switch reaches the store, which refuses every write while it is off.
    let mut app = app_on(demo_store(), WORKER, Lang::De);
    assert!(!app.store().withdrawal_notice_on());
    app.set_cp_settings(c.child_protection.clone());
    assert!(app.store().withdrawal_notice_on());
    app.set_cp_settings(CpSettings::default());
    assert!(!app.store().withdrawal_notice_on());
    // The proposal offers exactly the configured bases.
    app.set_cp_settings(c.child_protection);
    while app.top_layer() == Some("question") {
        keys(&mut app, "n");
    }
    let case = worker_case(&mut app);
    let me = app.me.clone();
    app.store().open_withdrawal(&me, case, "1", 1).unwrap();
    app.open_file(case);
    choose(&mut app, WithdrawalStep::Propose);
    pick(&mut app, "legal_basis", 2);
    assert_eq!(
        app.layer_mut::<WithdrawalForm>()
            .unwrap()
            .editor
            .value("legal_basis"),
        "Kooperationsvereinbarung"
    );
}

#[test]
fn the_jobcenter_lists_its_reviews_on_f4_and_enter_opens_the_case_file() {
    let store = demo_store();
    let mut jc = login(store, WORKER);
    let case = worker_case(&mut jc);
    let me = jc.me.clone();
    jc.store().open_withdrawal(&me, case, "4711", 3).unwrap();
    keys(&mut jc, "<f4> l");
    assert!(jc.cp.withdrawals_mode);
    assert_eq!(jc.cp.withdrawals.len(), 1);
    insta::assert_snapshot!("withdrawal_jc_list_80x24", screen(&mut jc, 80, 24));
    insta::assert_snapshot!("withdrawal_jc_list_60x15", screen(&mut jc, 60, 15));
    keys(&mut jc, "<enter>");
    assert_eq!(
        jc.cases.file.as_ref().map(|f| f.case().id),
        Some(case),
        "{}",
        status(&jc)
    );
    assert!(screen(&mut jc, 80, 24).contains("Fallakte"));
    // A Jobcenter worker who is not on the case reads nothing of it.
    let store = jc.into_store();
    let karaca = staff(&store, "karaca");
    let worker = staff(&store, WORKER);
    let view = store.case_file(&worker, case, support::today()).unwrap();
    assert_ne!(
        view.case.jc_staff,
        Some(karaca.id),
        "the demo case is not hers"
    );
    assert!(store.withdrawals_for(&karaca).unwrap().is_empty());
    assert_eq!(store.withdrawals_for(&worker).unwrap().len(), 1);
}

#[test]
fn switched_off_the_store_refuses_each_step_but_a_sent_information_is_still_received() {
    let store = demo_store();
    let mut jc = login(store, WORKER);
    let case = worker_case(&mut jc);
    let store = jc.into_store();
    let (worker, lead, intake) = (
        staff(&store, WORKER),
        staff(&store, LEAD),
        staff(&store, INTAKE),
    );
    let id = store.open_withdrawal(&worker, case, "9", 1).unwrap();
    store
        .propose_withdrawal(&worker, id, 1, &proposal(Decision::InfoSent, &lead))
        .unwrap();
    store.set_withdrawal_notice(false).unwrap();
    let off = |r: Result<(), StorageError>| {
        assert!(
            matches!(r, Err(StorageError::Refused(Refusal::FeatureOff))),
            "{r:?}"
        );
    };
    off(store.confirm_withdrawal(&lead, id, 2, true));
    off(store.confirm_withdrawal(&lead, id, 2, false));
    off(store.propose_withdrawal(&worker, id, 2, &proposal(Decision::NoInfo, &lead)));
    off(store.open_withdrawal(&worker, case, "9", 1).map(|_| ()));
    store.set_withdrawal_notice(true).unwrap();
    store.confirm_withdrawal(&lead, id, 2, true).unwrap();
    store.set_withdrawal_notice(false).unwrap();
    // Sent before the switch-off: the Jugendamt still reads and receives it.
    assert_eq!(store.withdrawals_for(&intake).unwrap().len(), 1);
    assert_eq!(
        store.receive_withdrawal(&intake, id, 3).unwrap(),
        "LE-2026-0001"
    );
}

#[test]
fn a_restricted_case_is_neither_listed_nor_received_by_the_jugendamt() {
    let store = demo_store();
    let mut jc = login(store, WORKER);
    let case = worker_case(&mut jc);
    let store = jc.into_store();
    let (worker, lead, intake) = (
        staff(&store, WORKER),
        staff(&store, LEAD),
        staff(&store, INTAKE),
    );
    let id = store.open_withdrawal(&worker, case, "9", 1).unwrap();
    store
        .propose_withdrawal(&worker, id, 1, &proposal(Decision::InfoSent, &lead))
        .unwrap();
    store.confirm_withdrawal(&lead, id, 2, true).unwrap();
    assert_eq!(store.withdrawals_for(&intake).unwrap().len(), 1);
    let owner_lead =
        if store.load_case(&lead, case).unwrap().owner == tandem::domain::Agency::Jobcenter {
            lead.clone()
        } else {
            staff(&store, "tueshaus")
        };
    store
        .restrict_case(
            &owner_lead,
            case,
            tandem::domain::restriction::RestrictionReason::Objection,
        )
        .unwrap();
    assert!(store.withdrawals_for(&intake).unwrap().is_empty());
    assert!(
        store.withdrawals_for(&worker).unwrap().is_empty(),
        "the worker no longer reads it"
    );
    assert!(matches!(
        store.receive_withdrawal(&intake, id, 3),
        Err(StorageError::Refused(Refusal::Restricted))
    ));
}

#[test]
fn a_draft_whose_review_was_decided_meanwhile_is_never_proposed_on_another_review() {
    let store = demo_store();
    let mut jc = login(store, WORKER);
    let case = worker_case(&mut jc);
    let me = jc.me.clone();
    let first = jc.store().open_withdrawal(&me, case, "9", 1).unwrap();
    jc.open_file(case);
    choose(&mut jc, WithdrawalStep::Propose);
    jc.layer_mut::<WithdrawalForm>()
        .unwrap()
        .editor
        .focus("reason");
    keys(&mut jc, "Entwurf");
    jc.lock();
    let store = jc.into_store();
    let (worker, lead) = (staff(&store, WORKER), staff(&store, LEAD));
    // Meanwhile the first review is decided and a second one opened.
    store
        .propose_withdrawal(&worker, first, 1, &proposal(Decision::NoInfo, &lead))
        .unwrap();
    store.confirm_withdrawal(&lead, first, 2, true).unwrap();
    let second = store.open_withdrawal(&worker, case, "10", 2).unwrap();
    let mut jc = app_on(store, WORKER, Lang::De);
    jc.set_cp_settings(switched_on());
    assert_eq!(jc.top_layer(), Some("question"));
    keys(&mut jc, "j");
    assert_eq!(jc.top_layer(), Some("withdrawal"), "{}", status(&jc));
    pick(&mut jc, "decision", 2);
    pick(&mut jc, "legal_basis", 1);
    pick(&mut jc, "second", 1);
    keys(&mut jc, "<ctrl-s>");
    assert_eq!(
        jc.top_layer(),
        Some("withdrawal"),
        "the form and its text stay"
    );
    assert_eq!(
        jc.layer_mut::<WithdrawalForm>()
            .unwrap()
            .editor
            .value("reason"),
        "Entwurf"
    );
    jc.open_file(case);
    let n = latest(&jc);
    assert_eq!(n.id, second);
    assert!(
        n.decision.is_none(),
        "nothing was proposed on the second review"
    );
}
