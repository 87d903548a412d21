//! One regression test per defect of the access audit (issue 22, defects 1–8), through the
//! store and, where a key is involved, through the app. Each names the rule of
//! docs/access.md it holds. Defects 9 (evidence tables) and 10 (smaller ones) have theirs
//! in tests/audit.rs, tests/cli_safety.rs, tests/conf_flows.rs, tests/referrals.rs and
//! tests/ics.rs.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod support;

use chrono::{Duration, NaiveDate};
use support::{app_on, keys, today};
use tandem::app::Ask;
use tandem::domain::access::{Refusal, Relation};
use tandem::domain::casefile::{Measure, MeasureStatus, Responsible, TransferBasis};
use tandem::domain::conference::{
    ConferenceKind, ConferenceStatus, Invitation, Participant, ParticipantRole,
};
use tandem::domain::consent::{
    Consent, ConsentForm, ConsentId, ConsentStatus, DataCategory, DeclaredBy, Purpose,
    RepresentationReason, RevokedHow,
};
use tandem::domain::{
    Agency, CaseId, CaseStatus, CoopCase, Field, Gender, PersonId, Role, Staff, YoungPerson,
};
use tandem::export::{Selection, conferences_ics};
use tandem::model::conference::NewConference;
use tandem::model::draft::{Draft, SessionId};
use tandem::model::list::ListScope;
use tandem::model::list::{ListQuery, PageAnchor};
use tandem::storage::audit::AuditRow;
use tandem::storage::staff::NewStaff;
use tandem::storage::{StorageError, Store};
use tandem::strings::Lang;

/// Staff of the small world.
struct People {
    jc1: Staff,
    jc2: Staff,
    jc_lead: Staff,
    ja1: Staff,
    ja2: Staff,
    ja_lead: Staff,
}

/// A Jugendamt-owned case with jc1 and ja1 assigned (jc2 is jc1's deputy), a consent
/// recorded by the Jugendamt that covers the Jobcenter for master data and measures, the
/// name transferred on it, a Jugendamt measure, and a conference requested by ja1 with jc1
/// invited.
struct World {
    store: Store,
    p: People,
    case: CaseId,
    consent: Consent,
    conference: i64,
}

const MEASURE_TEXT: &str = "Kontakt zur Suchtberatung herstellen";

fn staff(login: &str, agency: Agency, roles: Vec<Role>) -> NewStaff {
    NewStaff {
        login: login.into(),
        given_name: login.into(),
        surname: format!("Nachname-{login}"),
        agency,
        roles,
        phone: String::new(),
        email: format!("{login}@example.org"),
    }
}

fn people(store: &Store) -> People {
    let ids = store
        .insert_staff(&[
            staff("jc1", Agency::Jobcenter, vec![Role::JcU25]),
            staff("jc2", Agency::Jobcenter, vec![Role::JcU25]),
            staff("jclead", Agency::Jobcenter, vec![Role::Lead]),
            staff("ja1", Agency::Jugendamt, vec![Role::JaStaff]),
            staff("ja2", Agency::Jugendamt, vec![Role::JaStaff]),
            staff("jalead", Agency::Jugendamt, vec![Role::Lead]),
            staff("dsb", Agency::Jobcenter, vec![Role::Dpo]),
        ])
        .unwrap();
    store.set_deputy(ids[0], Some(ids[1])).unwrap();
    let get = |i: usize| store.staff_by_id(ids[i]).unwrap().unwrap();
    People {
        jc1: get(0),
        jc2: get(1),
        jc_lead: get(2),
        ja1: get(3),
        ja2: get(4),
        ja_lead: get(5),
    }
}

fn young_person(birth: NaiveDate) -> YoungPerson {
    YoungPerson {
        id: PersonId(0),
        surname: "Wolters".into(),
        given_names: "Jana".into(),
        birth_date: birth,
        gender: Gender::Female,
        address: "Kaiserstraße 1, 45699 Herten".into(),
        phone: "02366 1234".into(),
        email: String::new(),
        jc_customer_no: String::new(),
        bg_no: String::new(),
        ja_file_no: "AZ-51-2026".into(),
        version: 0,
    }
}

fn new_case(owner: Agency, birth: NaiveDate) -> CoopCase {
    CoopCase {
        id: CaseId(0),
        person: young_person(birth),
        owner,
        status: CaseStatus::Active,
        reasons: Vec::new(),
        question: "Ausbildung und Wohnen".into(),
        lead: owner,
        jc_staff: None,
        ja_staff: None,
        opened_on: today() - Duration::days(60),
        next_review: None,
        closed_on: None,
        closure_reason: None,
        version: 0,
    }
}

fn consent_for(case: CaseId, declared_by: DeclaredBy) -> Consent {
    let custody = declared_by != DeclaredBy::YoungPerson;
    Consent {
        id: ConsentId(0),
        case_id: case.0,
        recorded_by: Agency::Jugendamt,
        declared_by,
        representation_reason: custody.then_some(RepresentationReason::Under15),
        insight_checked: false,
        signed_on: today() - Duration::days(30),
        form: ConsentForm::Written,
        document_ref: "EW-REG-0815".into(),
        purposes: vec![Purpose::Conference, Purpose::MutualInformation],
        categories: vec![DataCategory::MasterData, DataCategory::Measures],
        recipient_agencies: vec![Agency::Jobcenter, Agency::Jugendamt],
        recipient_staff: Vec::new(),
        external_recipients: String::new(),
        recurring: false,
        valid_from: today() - Duration::days(30),
        valid_until: today() + Duration::days(300),
        info_purpose: true,
        info_refusal: true,
        info_revocable: true,
        status: ConsentStatus::Granted,
        revoked_on: None,
        revoked_how: None,
        version: 1,
    }
}

fn world() -> World {
    let store = Store::open_in_memory().unwrap();
    let p = people(&store);
    let birth = today() - Duration::days(20 * 365);
    let mut case = new_case(Agency::Jugendamt, birth);
    case.ja_staff = Some(p.ja1.id);
    // The Jugendamt asks jc1 for cooperation (docs/access.md A7: named on a new case).
    case.jc_staff = Some(p.jc1.id);
    let id = p_create(&store, &p.ja1, &case);
    let mut consent = consent_for(id, DeclaredBy::YoungPerson);
    consent.id = store.add_consent(&p.ja1, &consent).unwrap();
    store
        .record_transfer(
            &p.ja1,
            id,
            &[Field::Surname, Field::GivenNames, Field::BirthDate],
            "Fallkonferenz",
            TransferBasis::Consent(consent.id),
            "",
            true,
            today(),
        )
        .unwrap();
    store
        .add_measure(
            &p.ja1,
            id,
            &Measure {
                id: 0,
                text: MEASURE_TEXT.into(),
                responsible: Responsible::Staff(Agency::Jugendamt, p.ja1.id),
                due_on: today() + Duration::days(20),
                status: MeasureStatus::Open,
                result: String::new(),
            },
        )
        .unwrap();
    let participant = |s: &Staff| Participant {
        staff: Some(s.id.0),
        external_name: String::new(),
        external_org: String::new(),
        agency: Some(s.agency),
        role: ParticipantRole::Pap,
        invitation: Invitation::Invited,
        attendance: None,
        guardian: None,
    };
    let conference = store
        .create_conference(
            &p.ja1,
            &NewConference {
                case_id: id,
                kind: ConferenceKind::First,
                question: "Wie geht es mit der Ausbildung weiter?".into(),
                start: None,
                duration_min: 60,
                location: "Raum 1".into(),
                anonymised: false,
                participants: vec![participant(&p.ja1), participant(&p.jc1)],
                topics: vec![DataCategory::Measures],
            },
            today(),
        )
        .unwrap();
    World {
        store,
        p,
        case: id,
        consent,
        conference,
    }
}

fn p_create(store: &Store, actor: &Staff, case: &CoopCase) -> CaseId {
    store.create_case(actor, case).unwrap()
}

/// Audit rows written after `seq`.
fn rows_since(store: &Store, seq: i64) -> Vec<AuditRow> {
    store
        .audit_tail(1000)
        .unwrap()
        .into_iter()
        .filter(|r| r.seq > seq)
        .collect()
}

fn head(store: &Store) -> i64 {
    store.audit_head().unwrap().map_or(0, |(s, _)| s)
}

fn list(store: &Store, who: &Staff, scope: ListScope, filter: &str) -> Vec<CaseId> {
    let query = ListQuery {
        today: today(),
        scope,
        filter: filter.into(),
        ..ListQuery::default()
    };
    store
        .case_page(who, &query, &PageAnchor::First, 1000)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

/// Defect 1 (A6): the agency-wide list is the leads'; a caseworker asking for it gets the
/// caseload, and the filter does not search beyond it. (Through the app: `a` asks for a
/// number — tests/flows.rs `break_glass_asks_for_a_reason_and_is_shown_to_the_case_owner`.)
#[test]
fn d1_a_caseworker_gets_no_list_of_the_whole_agency() {
    let w = world();
    for scope in [ListScope::Caseload, ListScope::Agency] {
        assert!(list(&w.store, &w.p.jc2, scope, "").is_empty(), "{scope:?}");
        assert!(
            list(&w.store, &w.p.jc2, scope, "wolters").is_empty(),
            "{scope:?}"
        );
        assert_eq!(list(&w.store, &w.p.jc_lead, scope, ""), vec![w.case]);
        assert_eq!(list(&w.store, &w.p.jc_lead, scope, "wolters"), vec![w.case]);
    }
    // The lead's look at the agency list is logged, in the app.
    let mut app = app_on(w.store, "jclead", Lang::De);
    let before = head(app.store());
    keys(&mut app, "a");
    let rows = rows_since(app.store(), before);
    assert!(
        rows.iter().any(|r| r.object_type == "agency_case_list"),
        "{rows:?}"
    );
    // A caseworker's `a` opens the number field, not a list.
    let w = world();
    let mut app = app_on(w.store, "jc2", Lang::De);
    keys(&mut app, "a");
    assert!(app.cases.list.lookup.is_some());
    assert!(app.cases.list.rows.is_empty());
}

/// Defect 2 (A2, A4): break-glass opens only the own agency's records of a case; the own
/// lead sees the grant, the partner does not.
#[test]
fn d2_break_glass_never_reads_the_partner_s_records() {
    let w = world();
    let (s, p) = (&w.store, &w.p);
    // jc2 may break the glass (the Jobcenter is party to the case) …
    s.break_glass(
        &p.jc2,
        w.case,
        tandem::domain::casefile::BreakGlassReason::ChildProtection,
        "",
    )
    .unwrap();
    let v = s.case_file(&p.jc2, w.case, today()).unwrap();
    assert_eq!(v.relation, Relation::BreakGlass);
    // … but reads nothing the Jugendamt owns or sent.
    assert!(v.measures.is_empty(), "{:?}", v.measures);
    assert!(v.consents.is_empty());
    assert!(v.transfers.is_empty());
    assert!(v.case.person.surname.is_empty());
    assert!(matches!(
        s.conference(&p.jc2, w.conference),
        Err(StorageError::NotFound)
    ));
    // The grant: the own lead sees it, the partner's staff never.
    let lead = s.case_file(&p.jc_lead, w.case, today()).unwrap();
    assert_eq!(
        lead.grants.iter().map(|g| g.0).collect::<Vec<_>>(),
        vec![p.jc2.id]
    );
    let ja = s.case_file(&p.ja1, w.case, today()).unwrap();
    assert!(ja.grants.is_empty());
    // The review of grants: the DSB and the lead see the own agency's, nobody else.
    let dsb = s.staff_by_login("dsb").unwrap().unwrap();
    let logins = |who: &Staff| -> Vec<String> {
        s.break_glass_grants(who)
            .unwrap()
            .into_iter()
            .map(|g| g.login)
            .collect()
    };
    assert_eq!(logins(&dsb), vec!["jc2".to_string()]);
    assert_eq!(logins(&p.jc_lead), vec!["jc2".to_string()]);
    assert!(logins(&p.ja_lead).is_empty());
    assert!(logins(&p.jc1).is_empty());
    // A case the Jobcenter is not party to stays closed, even with a reason.
    let mut other = new_case(Agency::Jugendamt, today() - Duration::days(7000));
    other.ja_staff = Some(p.ja2.id);
    let other = s.create_case(&p.ja2, &other).unwrap();
    assert!(matches!(
        s.break_glass(
            &p.jc2,
            other,
            tandem::domain::casefile::BreakGlassReason::ChildProtection,
            ""
        ),
        Err(StorageError::NotFound)
    ));
}

/// Defect 3 (A4, A5): what rested on a consent is gone for the partner once it is revoked;
/// the planned conference is cancelled with a reason; a consent declared by custody holders
/// does not tell the partner the age band while the birth date is withheld.
#[test]
fn d3_a_revocation_hides_everything_it_carried() {
    let w = world();
    let (s, p) = (&w.store, &w.p);
    let before = s.case_file(&p.jc1, w.case, today()).unwrap();
    assert!(before.measures.iter().any(|m| m.text == MEASURE_TEXT));
    assert_eq!(before.consents.len(), 1);
    assert_eq!(before.transfers.len(), 1);
    assert!(s.conference(&p.jc1, w.conference).is_ok());

    s.revoke_consent(&p.ja1, &w.consent, today(), RevokedHow::Written)
        .unwrap();
    let after = s.case_file(&p.jc1, w.case, today()).unwrap();
    assert!(after.measures.is_empty(), "{:?}", after.measures);
    assert!(after.consents.is_empty());
    assert!(after.transfers.is_empty());
    assert!(after.case.person.surname.is_empty());
    assert!(matches!(
        s.conference(&p.jc1, w.conference),
        Err(StorageError::NotFound)
    ));
    let agenda = s.conference_agenda(&p.jc1, w.conference);
    assert!(matches!(agenda, Err(StorageError::NotFound)));
    // The owner side: the conference left its planned state with a visible reason.
    let conf = s.conference(&p.ja1, w.conference).unwrap();
    assert_eq!(conf.status, ConferenceStatus::Cancelled);
    assert_eq!(conf.reason, "Einwilligung widerrufen");
    assert!(
        s.case_file(&p.ja1, w.case, today())
            .unwrap()
            .measures
            .iter()
            .any(|m| m.text == MEASURE_TEXT)
    );

    // Declared by custody holders, birth date not transferred: the declarant is withheld.
    let w = world();
    let (s, p) = (&w.store, &w.p);
    let mut younger = new_case(Agency::Jugendamt, today() - Duration::days(14 * 365));
    younger.ja_staff = Some(p.ja1.id);
    younger.jc_staff = Some(p.jc1.id);
    let id = s.create_case(&p.ja1, &younger).unwrap();
    let c = consent_for(id, DeclaredBy::CustodyHolders);
    let cid = s.add_consent(&p.ja1, &c).unwrap();
    let v = s.case_file(&p.jc1, id, today()).unwrap();
    let shown = v
        .consents
        .iter()
        .find(|x| x.id == cid)
        .expect("in force, names the JC");
    assert_eq!(shown.declared_by, DeclaredBy::YoungPerson);
    assert!(shown.representation_reason.is_none());
    assert_eq!(v.declarant_withheld, vec![cid]);
}

/// Defect 4 (A7): each agency assigns only its own caseworker; the Fallführung changes only
/// by the agency that holds it; refusals are typed and logged.
#[test]
fn d4_assignments_and_the_lead_stay_with_their_agency() {
    let w = world();
    let (s, p) = (&w.store, &w.p);
    let mut case = s.load_case(&p.jc1, w.case).unwrap();
    case.ja_staff = None;
    let before = head(s);
    assert!(matches!(
        s.update_case(&p.jc1, &case),
        Err(StorageError::Refused(Refusal::PartnerAssignment))
    ));
    let rows = rows_since(s, before);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].action, "refused");
    assert_eq!(rows[0].detail.as_deref(), Some("partner_assignment"));
    // The Jugendamt caseworker still finds the case.
    assert_eq!(list(s, &p.ja1, ListScope::Caseload, ""), vec![w.case]);

    let mut case = s.load_case(&p.jc1, w.case).unwrap();
    case.lead = Agency::Jobcenter;
    assert!(matches!(
        s.update_case(&p.jc1, &case),
        Err(StorageError::Refused(Refusal::LeadChange))
    ));
    // The Jugendamt hands the lead over and moves its own caseworker: both allowed.
    let mut case = s.load_case(&p.ja1, w.case).unwrap();
    case.lead = Agency::Jobcenter;
    case.ja_staff = Some(p.ja2.id);
    s.update_case(&p.ja1, &case).unwrap();
    let case = s.load_case(&p.ja2, w.case).unwrap();
    assert_eq!(case.lead, Agency::Jobcenter);

    // In the app the Jobcenter's edit form shows the partner's caseworker and the lead it
    // does not hold read-only.
    let w = world();
    let mut app = app_on(w.store, "jc1", Lang::De);
    keys(&mut app, "<enter> e");
    assert!(app.case_form().is_some(), "{:?}", app.status);
    let form = app.case_form().unwrap();
    for f in [Field::JaStaff, Field::Lead, Field::JaFileNo] {
        assert!(form.readonly.contains(&f), "{f:?} writable");
    }
    assert!(!form.readonly.contains(&Field::JcStaff));
}

/// Defect 5 (A7): the partner's fields cannot be filled on a new case — not in the form,
/// not in the store.
#[test]
fn d5_a_new_case_cannot_fill_the_partner_s_fields() {
    let store = Store::open_in_memory().unwrap();
    let p = people(&store);
    let mut case = new_case(Agency::Jobcenter, today() - Duration::days(7000));
    case.jc_staff = Some(p.jc1.id);
    case.person.ja_file_no = "Nebenkanal".into();
    let before = head(&store);
    assert!(matches!(
        store.create_case(&p.jc1, &case),
        Err(StorageError::Refused(Refusal::PartnerField(
            Field::JaFileNo
        )))
    ));
    let rows = rows_since(&store, before);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].detail.as_deref(), Some("partner_field"));
    assert!(list(&store, &p.ja1, ListScope::Caseload, "nebenkanal").is_empty());
    // A caseworker of the wrong agency is no partner caseworker.
    let mut wrong = new_case(Agency::Jobcenter, today() - Duration::days(7000));
    wrong.person.ja_file_no.clear();
    wrong.ja_staff = Some(p.jc2.id);
    assert!(matches!(
        store.create_case(&p.jc1, &wrong),
        Err(StorageError::Refused(Refusal::PartnerAssignment))
    ));

    // The new-case form: the Jugendamt's file number is read-only, Tab never lands on it.
    let mut app = app_on(store, "jc1", Lang::De);
    keys(&mut app, "n");
    assert!(app.case_form().is_some());
    assert!(app.case_form().unwrap().readonly.contains(&Field::JaFileNo));
    for _ in 0..40 {
        let form = app.case_form().unwrap();
        assert_ne!(form.focused_field(), Some(Field::JaFileNo));
        keys(&mut app, "<tab>");
    }
}

/// Defect 6 (A9): reads that were not logged now are; refusals too.
#[test]
fn d6_reads_and_refused_reads_are_logged() {
    let w = world();
    let p = &w.p;
    // A refused .ics export of a conference the person may not read.
    let before = head(&w.store);
    let res = conferences_ics(
        &w.store,
        &p.jc2,
        Selection::One(w.conference),
        chrono::Utc::now(),
        "example.org",
    );
    assert!(matches!(res, Err(StorageError::NotFound)));
    let rows = rows_since(&w.store, before);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].action, "refused");
    assert_eq!(rows[0].object_type, "conference");
    // Opening a conference is one `view` row.
    let before = head(&w.store);
    w.store.open_conference(&p.ja1, w.conference).unwrap();
    let rows = rows_since(&w.store, before);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].action.as_str(), rows[0].object_id),
        ("view", Some(w.conference))
    );
    // A referral that does not exist: one `refused` row.
    let before = head(&w.store);
    let cal = tandem::domain::calendar::WorkCalendar::default();
    let res = w.store.referral(
        &p.ja1,
        987_654,
        chrono::Utc::now(),
        &cal,
        &tandem::domain::referral::Deadlines::default(),
    );
    assert!(matches!(res, Err(StorageError::NotFound)));
    let rows = rows_since(&w.store, before);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].action, "refused");
    // The case list and a committed search, through the app: one row each, no words.
    let mut app = app_on(w.store, "jc1", Lang::De);
    let before = head(app.store());
    keys(&mut app, "/ wolters <enter>");
    let rows = rows_since(app.store(), before);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].object_type, "case_search");
    assert!(rows[0].detail.is_none());
}

/// Defect 7 (A8): a draft keeps only what its author may still read; the offer does not
/// name a person whose name was revoked.
#[test]
fn d7_a_draft_forgets_what_a_revocation_took_away() {
    let w = world();
    let p = &w.p;
    // A draft of an edit as the old code wrote it: the partner's name inside.
    let mut values = std::collections::BTreeMap::new();
    values.insert("surname".to_string(), "Wolters".to_string());
    values.insert("given_names".to_string(), "Jana".to_string());
    values.insert("question".to_string(), "meine Frage".to_string());
    w.store
        .save_draft(
            &SessionId::none(),
            &Draft {
                staff_id: p.jc1.id,
                form: tandem::model::draft::CASE_DRAFT.into(),
                record_id: w.case.0,
                base_version: 1,
                base_person_version: 1,
                values: values.clone(),
                base_values: values,
                updated_at: String::new(),
            },
        )
        .unwrap();
    let offered: Vec<Draft> = w
        .store
        .drafts_offered(&p.jc1)
        .unwrap()
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    assert_eq!(
        offered[0].values.get("surname").map(String::as_str),
        Some("Wolters")
    );
    w.store
        .revoke_consent(&p.ja1, &w.consent, today(), RevokedHow::Written)
        .unwrap();
    let offered: Vec<Draft> = w
        .store
        .drafts_offered(&p.jc1)
        .unwrap()
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    assert_eq!(offered.len(), 1);
    assert!(!offered[0].values.contains_key("surname"));
    assert!(!offered[0].base_values.contains_key("given_names"));
    let app = app_on(w.store, "jc1", Lang::De);
    assert!(app.has_layer::<Ask>());
    let (what, _) = app.offer_label().unwrap();
    assert!(
        !what.contains("Wolters") && !what.contains("Jana"),
        "{what}"
    );
}

/// Defect 8 (A2): a deputy stands in only while the colleague is away — or always with the
/// office's switch.
#[test]
fn d8_a_deputy_stands_in_only_while_the_colleague_is_away() {
    let w = world();
    let (s, p) = (&w.store, &w.p);
    assert!(matches!(
        s.case_file(&p.jc2, w.case, today()),
        Err(StorageError::NotFound)
    ));
    assert!(list(s, &p.jc2, ListScope::Caseload, "").is_empty());
    // An absence in the past does not count.
    s.add_absence(
        p.jc1.id,
        today() - Duration::days(400),
        today() - Duration::days(390),
    )
    .unwrap();
    assert!(s.case_file(&p.jc2, w.case, today()).is_err());
    support::away_today(s, p.jc1.id);
    assert_eq!(
        s.case_file(&p.jc2, w.case, today()).unwrap().relation,
        Relation::Deputy
    );
    assert_eq!(list(s, &p.jc2, ListScope::Caseload, ""), vec![w.case]);

    // The switch, on a fresh world without any absence.
    let w = world();
    assert!(w.store.case_file(&w.p.jc2, w.case, today()).is_err());
    w.store.set_permanent_deputies(true).unwrap();
    assert_eq!(
        w.store
            .case_file(&w.p.jc2, w.case, today())
            .unwrap()
            .relation,
        Relation::Deputy
    );
    // The Jugendamt lead reads, as before.
    assert_eq!(
        w.store
            .case_file(&w.p.ja_lead, w.case, today())
            .unwrap()
            .relation,
        Relation::Lead
    );
}

/// A9: every screen that shows people, walked as every role of the demo, leaves exactly
/// one audit row when it is shown or opened; the cooperation screen (no person data) none.
#[test]
fn every_person_screen_read_leaves_one_audit_row() {
    use tandem::app::screens::conf::ConfView;
    use tandem::app::screens::cp::CpView;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("walk.db");
    {
        let s = Store::open(&path, tandem::storage::OpenMode::CreateOrMigrate).unwrap();
        tandem::demo::write(&s, &tandem::demo::demo_data(today())).unwrap();
    }
    let open = || Store::open(&path, tandem::storage::OpenMode::Existing).unwrap();
    let mut walked = 0;
    let (mut conferences, mut referrals) = (0, 0);
    for login in [
        "brinkmann", // Jobcenter caseworker
        "schwering", // Jobcenter lead
        "huesken",   // Jugendamt caseworker
        "pieper",    // Jugendamt caseworker, InsoFa
        "hegemann",  // Jugendamt on-call
        "tueshaus",  // Jugendamt lead
        // The data-protection officer has no case screen at all (tests/dpo_screen.rs).
        "rademacher", // administrator
    ] {
        let store = open();
        let start = head(&store);
        let mut app = app_on(store, login, Lang::De);
        let lead = app.me.has_role(Role::Lead);
        // Each step: the keys, then the object types of the rows it must write.
        let mut step = |app: &mut tandem::app::App, what: &str, keys_: &str, want: &[&str]| {
            let before = head(app.store());
            keys(app, keys_);
            let got: Vec<String> = rows_since(app.store(), before)
                .into_iter()
                .map(|r| format!("{} {}", r.action, r.object_type))
                .collect();
            let want: Vec<String> = want.iter().map(|w| format!("view {w}")).collect();
            assert_eq!(got, want, "{login}: {what}");
            walked += 1;
        };
        // Showing the case list at the start of the session.
        let first: Vec<String> = rows_since(app.store(), start)
            .into_iter()
            .map(|r| format!("{} {}", r.action, r.object_type))
            .collect();
        let list = if lead {
            "agency_case_list"
        } else {
            "case_list"
        };
        assert_eq!(first, vec![format!("view {list}")], "{login}: start");
        if app.cases.list.rows.is_empty() {
            step(&mut app, "no case to open", "<enter>", &[]);
        } else {
            step(&mut app, "case file", "<enter>", &["coop_case"]);
            step(&mut app, "back to the list", "<esc>", &[]);
            step(&mut app, "search", "/ a <enter>", &["case_search"]);
        }
        step(&mut app, "conferences", "<f3>", &["conference_list"]);
        // To the first conference of the agenda (meetings come first on some days).
        if let Some(k) = app
            .conf
            .items
            .iter()
            .position(|i| matches!(i, tandem::app::screens::conf::AgendaItem::Conference(_)))
        {
            // (The work list of outstanding minutes comes first, above the cursor.)
            keys(&mut app, "<home>");
            for _ in 0..k {
                keys(&mut app, "<down>");
            }
        }
        let before = head(app.store());
        keys(&mut app, "<enter>");
        if app.conf.view == ConfView::Detail {
            let rows = rows_since(app.store(), before);
            assert_eq!(rows.len(), 1, "{login}: conference detail {rows:?}");
            assert_eq!(
                (rows[0].action.as_str(), rows[0].object_type.as_str()),
                ("view", "conference")
            );
            keys(&mut app, "<esc>");
            conferences += 1;
        }
        step(&mut app, "child protection", "<f4>", &["cp_referral_list"]);
        let before = head(app.store());
        keys(&mut app, "<enter>");
        if app.cp.view == CpView::Detail {
            let rows = rows_since(app.store(), before);
            assert_eq!(rows.len(), 1, "{login}: referral {rows:?}");
            assert_eq!(
                (rows[0].action.as_str(), rows[0].object_type.as_str()),
                ("view", "cp_referral")
            );
            keys(&mut app, "<esc>");
            referrals += 1;
        }
        step(&mut app, "consultations", "b", &["anon_consult_list"]);
        step(&mut app, "back from consultations", "b", &[]);
        step(&mut app, "cooperation (no person data)", "<f5>", &[]);
        step(&mut app, "on call", "<f6>", &["cp_oncall_list"]);
        step(&mut app, "cases again", "<f2>", &[list]);
    }
    assert!(walked >= 8 * 8, "{walked} steps");
    // The walk reached the details, not only the lists.
    assert!(
        conferences >= 3 && referrals >= 3,
        "{conferences} conferences, {referrals} referrals"
    );
}

/// Defect 3, expiry (A5): a conference planned while its consent was in force cannot be
/// invited once the consent has run out.
#[test]
fn d3_an_expired_consent_stops_a_planned_conference() {
    use tandem::domain::conference::ConferenceAction;
    let store = Store::open_in_memory().unwrap();
    let p = people(&store);
    let mut case = new_case(Agency::Jugendamt, today() - Duration::days(20 * 365));
    case.ja_staff = Some(p.ja1.id);
    case.jc_staff = Some(p.jc1.id);
    let id = store.create_case(&p.ja1, &case).unwrap();
    let mut consent = consent_for(id, DeclaredBy::YoungPerson);
    consent.signed_on = today() - Duration::days(400);
    consent.valid_from = consent.signed_on;
    consent.valid_until = today() - Duration::days(1);
    store.add_consent(&p.ja1, &consent).unwrap();
    let participant = |s: &Staff| Participant {
        staff: Some(s.id.0),
        external_name: String::new(),
        external_org: String::new(),
        agency: Some(s.agency),
        role: ParticipantRole::Pap,
        invitation: Invitation::Invited,
        attendance: None,
        guardian: None,
    };
    // Planned for a day inside the consent's validity.
    let start = (today() - Duration::days(10))
        .and_hms_opt(10, 0, 0)
        .unwrap();
    let conf = store
        .create_conference(
            &p.ja1,
            &NewConference {
                case_id: id,
                kind: ConferenceKind::First,
                question: "Ausbildung".into(),
                start: Some(start),
                duration_min: 60,
                location: "Raum 1".into(),
                anonymised: false,
                participants: vec![participant(&p.ja1), participant(&p.jc1)],
                topics: vec![],
            },
            today(),
        )
        .unwrap();
    let v = store.conference(&p.ja1, conf).unwrap().version;
    let res = store.conference_step(
        &p.ja1,
        conf,
        v,
        ConferenceAction::Invite,
        None,
        "",
        chrono::Utc::now(),
    );
    assert!(
        matches!(
            res,
            Err(StorageError::Refused(Refusal::ConferenceNotCovered))
        ),
        "{res:?}"
    );
    // Cancelling stays possible.
    store
        .conference_step(
            &p.ja1,
            conf,
            v,
            ConferenceAction::Cancel,
            None,
            "Einwilligung abgelaufen",
            chrono::Utc::now(),
        )
        .unwrap();
}
