//! Writes of case data are checked in the store (docs/access.md A7), against an oracle
//! written from the rules — not from `src/domain/access.rs` — over random worlds.
//!
//! Every write function is called directly on the store by every staff member on every
//! case, and must succeed exactly when the oracle allows it; a refusal leaves exactly one
//! new audit row `refused` and changes nothing else in the database (a digest of every
//! other table is compared).
//!
//! The oracle (see `WriteOracle` below):
//! - nobody inactive and nobody with only `dpo`/`admin` roles writes anything;
//! - the relation: the assigned caseworker of the own agency; the recorded deputy of that
//!   caseworker while they are away (an absence covering today, or inactive); a `lead` of an
//!   agency that owns the case or has a caseworker assigned; the holder of a running
//!   break-glass grant of such an agency; nobody else;
//! - every write of the case and its records needs *assigned* or *deputy*: saving the case,
//!   notes, consents and revocations, measures and their status, the planned end of a help,
//!   conferences, their participation and their steps;
//! - custody holders and children are the case owner's records: only assigned/deputy of the
//!   owner agency adds them;
//! - a transfer of the own agency's fields may also be recorded by the lead;
//! - a conference may also be cancelled by the lead; break-glass writes nothing;
//! - nobody writes a restricted case (docs/access.md A12): whoever stands to it is refused
//!   with `Restricted`, anyone else gets `NotFound` as always.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{DefaultHasher, Hash as _, Hasher as _};

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use tandem::domain::casefile::{
    BreakGlassReason, Child, ChildRelation, Custody, Guardian, Measure, MeasureStatus,
    Relation as Kin, Responsible, StatutoryBasis, TransferBasis,
};
use tandem::domain::conference::{
    ConferenceAction, ConferenceKind, Invitation, Participant, ParticipantRole,
};
use tandem::domain::consent::{
    Consent, ConsentForm, ConsentId, ConsentStatus, DataCategory, DeclaredBy, Purpose, RevokedHow,
};
use tandem::domain::restriction::RestrictionReason;
use tandem::domain::{
    Agency, CaseId, CaseStatus, CoopCase, Field, Gender, PersonId, ReasonCode, Role, Staff,
    StaffId, YoungPerson,
};
use tandem::model::conference::NewConference;
use tandem::storage::staff::NewStaff;
use tandem::storage::{OpenMode, StorageError, Store};

// ---------------------------------------------------------------------------------------
// The oracle, from docs/access.md A1, A2, A3 and A7 alone.

/// How a person stands to a case, as the oracle sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Assigned,
    Deputy,
    Lead,
    BreakGlass,
    Nothing,
}

/// The writes under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    UpdateCase,
    AddNote,
    AddConsent,
    RevokeConsent,
    AddGuardian,
    AddChild,
    AddMeasure,
    SetMeasureStatus,
    SetHelpEnd,
    RecordTransfer,
    CreateConference,
    SetParticipation,
    CancelConference,
}

const OPS: [Op; 13] = [
    Op::UpdateCase,
    Op::AddNote,
    Op::AddConsent,
    Op::RevokeConsent,
    Op::AddGuardian,
    Op::AddChild,
    Op::AddMeasure,
    Op::SetMeasureStatus,
    Op::SetHelpEnd,
    Op::RecordTransfer,
    Op::CreateConference,
    Op::SetParticipation,
    Op::CancelConference,
];

/// The case as the oracle knows it.
#[derive(Debug, Clone)]
struct CaseModel {
    id: CaseId,
    owner: Agency,
    jc: Option<StaffId>,
    ja: Option<StaffId>,
    /// Staff holding a running break-glass grant.
    grants: BTreeSet<StaffId>,
    /// Whether the case is restricted (Art. 18 DSGVO).
    restricted: bool,
}

struct WriteOracle<'w> {
    staff: &'w [Staff],
    deputy: &'w BTreeMap<StaffId, StaffId>,
    absent: &'w BTreeSet<StaffId>,
}

impl WriteOracle<'_> {
    fn person(&self, id: StaffId) -> &Staff {
        self.staff.iter().find(|s| s.id == id).unwrap()
    }

    /// A1: active, with a caseworker role or `lead`.
    fn does_case_work(s: &Staff) -> bool {
        s.active
            && s.roles
                .iter()
                .any(|r| matches!(r, Role::JcU25 | Role::JaStaff | Role::Lead))
    }

    /// A2.
    fn standing(&self, who: &Staff, case: &CaseModel) -> Standing {
        if !Self::does_case_work(who) {
            return Standing::Nothing;
        }
        let own = match who.agency {
            Agency::Jobcenter => case.jc,
            Agency::Jugendamt => case.ja,
        };
        if let Some(a) = own {
            if a == who.id {
                return Standing::Assigned;
            }
            let away = self.absent.contains(&a) || !self.person(a).active;
            if away && self.deputy.get(&a) == Some(&who.id) {
                return Standing::Deputy;
            }
        }
        let party = case.owner == who.agency || own.is_some();
        if !party {
            return Standing::Nothing;
        }
        if who.roles.contains(&Role::Lead) {
            return Standing::Lead;
        }
        if case.grants.contains(&who.id) {
            return Standing::BreakGlass;
        }
        Standing::Nothing
    }

    /// A3, A7.
    fn allows(&self, who: &Staff, case: &CaseModel, op: Op) -> bool {
        // A12: nobody writes a restricted case.
        if case.restricted {
            return false;
        }
        let standing = self.standing(who, case);
        let works = matches!(standing, Standing::Assigned | Standing::Deputy);
        match op {
            Op::AddGuardian | Op::AddChild => works && who.agency == case.owner,
            Op::RecordTransfer | Op::CancelConference => works || standing == Standing::Lead,
            _ => works,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Random worlds.

#[derive(Debug, Clone)]
struct StaffSpec {
    /// 0–1 caseworker, 2 lead, 3 dpo, 4 admin, 5 caseworker and lead.
    kind: usize,
    inactive: bool,
    /// Index (same agency) of the deputy.
    deputy: Option<usize>,
    absent: bool,
}

#[derive(Debug, Clone)]
struct CaseSpec {
    owner_jc: bool,
    jc: Option<usize>,
    ja: Option<usize>,
    /// Global staff indices asking for break-glass.
    grants: Vec<usize>,
    /// Restricted after its records were written.
    restricted: bool,
}

#[derive(Debug, Clone)]
struct WorldSpec {
    jc: Vec<StaffSpec>,
    ja: Vec<StaffSpec>,
    cases: Vec<CaseSpec>,
}

fn staff_spec() -> impl Strategy<Value = StaffSpec> {
    (
        0usize..6,
        prop::bool::weighted(0.15),
        prop::option::weighted(0.7, 0usize..4),
        prop::bool::weighted(0.4),
    )
        .prop_map(|(kind, inactive, deputy, absent)| StaffSpec {
            kind,
            inactive,
            deputy,
            absent,
        })
}

fn case_spec() -> impl Strategy<Value = CaseSpec> {
    (
        any::<bool>(),
        prop::option::weighted(0.8, 0usize..4),
        prop::option::weighted(0.6, 0usize..4),
        prop::collection::vec(0usize..8, 0..=2),
        prop::bool::weighted(0.25),
    )
        .prop_map(|(owner_jc, jc, ja, grants, restricted)| CaseSpec {
            owner_jc,
            jc,
            ja,
            grants,
            restricted,
        })
}

fn world_spec() -> impl Strategy<Value = WorldSpec> {
    (
        prop::collection::vec(staff_spec(), 2..=4),
        prop::collection::vec(staff_spec(), 2..=4),
        prop::collection::vec(case_spec(), 1..=2),
    )
        .prop_map(|(jc, ja, cases)| WorldSpec { jc, ja, cases })
}

fn roles_of(kind: usize, agency: Agency) -> Vec<Role> {
    let cw = match agency {
        Agency::Jobcenter => Role::JcU25,
        Agency::Jugendamt => Role::JaStaff,
    };
    match kind {
        0 | 1 => vec![cw],
        2 => vec![Role::Lead],
        3 => vec![Role::Dpo],
        4 => vec![Role::Admin],
        _ => vec![cw, Role::Lead],
    }
}

fn new_staff(login: String, agency: Agency, roles: Vec<Role>) -> NewStaff {
    NewStaff {
        surname: format!("Nachname-{login}"),
        given_name: "Test".into(),
        phone: "02366 000000".into(),
        email: format!("{login}@example.org"),
        login,
        agency,
        roles,
    }
}

fn person_case(k: usize, owner: Agency, today: NaiveDate) -> CoopCase {
    CoopCase {
        id: CaseId(0),
        person: YoungPerson {
            id: PersonId(0),
            surname: format!("Nachname{k}"),
            given_names: format!("Vorname{k}"),
            birth_date: today - Duration::days(19 * 365),
            gender: Gender::Female,
            address: format!("Teststraße {k}, 45699 Herten"),
            phone: format!("02366 0{k:05}"),
            email: format!("person{k}@example.org"),
            jc_customer_no: format!("KD-{k}"),
            bg_no: format!("BG-{k}"),
            ja_file_no: format!("AZ-{k}"),
            version: 0,
        },
        owner,
        status: CaseStatus::Active,
        reasons: vec![ReasonCode::Debt],
        question: format!("Fragestellung {k}"),
        lead: owner,
        jc_staff: None,
        ja_staff: None,
        opened_on: today - Duration::days(400),
        next_review: None,
        closed_on: None,
        closure_reason: None,
        version: 0,
    }
}

fn consent(case: CaseId, today: NaiveDate) -> Consent {
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
        purposes: vec![Purpose::Conference, Purpose::MutualInformation],
        categories: vec![DataCategory::MasterData, DataCategory::Measures],
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

fn participant(s: &Staff) -> Participant {
    Participant {
        staff: Some(s.id.0),
        external_name: String::new(),
        external_org: String::new(),
        agency: Some(s.agency),
        role: ParticipantRole::Pap,
        invitation: Invitation::Invited,
        attendance: None,
        guardian: None,
    }
}

/// An anonymised conference on case `id`, dated (so that it can be cancelled).
fn conference(id: CaseId, by: &Staff, today: NaiveDate) -> NewConference {
    NewConference {
        case_id: id,
        kind: ConferenceKind::FollowUp,
        question: "Stand der Vereinbarungen".into(),
        start: Some((today + Duration::days(7)).and_hms_opt(10, 0, 0).unwrap()),
        duration_min: 60,
        location: "Raum 1".into(),
        anonymised: true,
        participants: vec![participant(by)],
        topics: vec![],
    }
}

/// Per (case, staff member): the records their writes act on, created by someone the
/// store lets write (so that a successful write by one person never spoils another's).
#[derive(Debug, Clone, Default)]
struct Targets {
    consent: Option<Consent>,
    measure: Option<i64>,
    conference: Option<i64>,
}

struct World {
    _dir: tempfile::TempDir,
    /// A second, read-only connection to the same file, for the digest.
    raw: rusqlite::Connection,
    store: Store,
    staff: Vec<Staff>,
    /// Reads the whole case as stored (an active `lead` of the owner agency, outside the
    /// staff under test).
    readers: Vec<Staff>,
    deputy: BTreeMap<StaffId, StaffId>,
    absent: BTreeSet<StaffId>,
    cases: Vec<CaseModel>,
    targets: BTreeMap<(CaseId, StaffId), Targets>,
}

fn build(spec: &WorldSpec, today: NaiveDate) -> World {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tandem.db");
    let mut store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
    store.set_clock(support::test_clock());
    let mut new = Vec::new();
    for (agency, specs, prefix) in [
        (Agency::Jobcenter, &spec.jc, "jc"),
        (Agency::Jugendamt, &spec.ja, "ja"),
    ] {
        for (i, s) in specs.iter().enumerate() {
            new.push(new_staff(
                format!("{prefix}{i}"),
                agency,
                roles_of(s.kind, agency),
            ));
        }
    }
    // Set-up accounts: a caseworker of each agency creates the cases; as `lead` as well,
    // they read each case whole to hand the store an unchanged copy to save.
    for (login, agency, cw) in [
        ("setupjc", Agency::Jobcenter, Role::JcU25),
        ("setupja", Agency::Jugendamt, Role::JaStaff),
    ] {
        new.push(new_staff(login.into(), agency, vec![cw, Role::Lead]));
    }
    let ids = store.insert_staff(&new).unwrap();
    let n = ids.len() - 2;
    let load = |store: &Store, ids: &[StaffId]| -> Vec<Staff> {
        ids.iter()
            .map(|id| store.staff_by_id(*id).unwrap().unwrap())
            .collect()
    };
    let people = load(&store, &ids[..n]);
    let setup = load(&store, &ids[n..]);
    let specs: Vec<&StaffSpec> = spec.jc.iter().chain(&spec.ja).collect();
    let pool =
        |agency: Agency| -> Vec<&Staff> { people.iter().filter(|s| s.agency == agency).collect() };

    let mut deputy = BTreeMap::new();
    let mut absent = BTreeSet::new();
    for (me, s) in people.iter().zip(&specs) {
        let same = pool(me.agency);
        if let Some(d) = s.deputy.map(|k| same[k % same.len()].id)
            && d != me.id
        {
            store.set_deputy(me.id, Some(d)).unwrap();
            deputy.insert(me.id, d);
        }
        if s.absent {
            support::away_today(&store, me.id);
            absent.insert(me.id);
        }
    }

    let mut cases = Vec::new();
    for (k, cs) in spec.cases.iter().enumerate() {
        let owner = if cs.owner_jc {
            Agency::Jobcenter
        } else {
            Agency::Jugendamt
        };
        let creator = &setup[usize::from(owner == Agency::Jugendamt)];
        let mut case = support::creatable(&person_case(k, owner, today), owner);
        case.jc_staff = cs.jc.map(|i| pool(Agency::Jobcenter)[i % spec.jc.len()].id);
        case.ja_staff = cs.ja.map(|i| pool(Agency::Jugendamt)[i % spec.ja.len()].id);
        let id = store.create_case(creator, &case).unwrap();
        let mut grants = BTreeSet::new();
        for g in &cs.grants {
            let who = &people[g % people.len()];
            if store
                .break_glass(who, id, BreakGlassReason::PersonAsked, "Anruf")
                .is_ok()
            {
                grants.insert(who.id);
            }
        }
        cases.push(CaseModel {
            id,
            owner,
            jc: case.jc_staff,
            ja: case.ja_staff,
            grants,
            restricted: cs.restricted,
        });
    }

    // The records the writes act on, one set per person, written by the case's assigned
    // caseworker (while everyone is still active); a case nobody may write gets none.
    let mut targets = BTreeMap::new();
    for case in &cases {
        let writer = [case.jc, case.ja]
            .into_iter()
            .flatten()
            .map(|id| people.iter().find(|s| s.id == id).unwrap())
            .find(|s| store.add_note(s, case.id, "Erste Notiz", false).is_ok());
        for who in &people {
            let mut t = Targets::default();
            if let Some(w) = writer {
                let mut c = consent(case.id, today);
                c.recorded_by = w.agency;
                c.id = store.add_consent(w, &c).unwrap();
                t.consent = Some(c);
                let m = Measure {
                    id: 0,
                    text: "Schuldnerberatung".into(),
                    responsible: Responsible::YoungPerson,
                    due_on: today + Duration::days(30),
                    status: MeasureStatus::Open,
                    result: String::new(),
                };
                t.measure = Some(store.add_measure(w, case.id, &m).unwrap());
                t.conference = Some(
                    store
                        .create_conference(w, &conference(case.id, w, today), today)
                        .unwrap(),
                );
            }
            targets.insert((case.id, who.id), t);
        }
    }

    // Restricted by the owning Stelle's lead once its records exist (docs/access.md A12).
    for case in cases.iter().filter(|c| c.restricted) {
        let lead = &setup[usize::from(case.owner == Agency::Jugendamt)];
        store
            .restrict_case(lead, case.id, RestrictionReason::Accuracy)
            .unwrap();
    }

    for (me, s) in people.iter().zip(&specs) {
        if s.inactive {
            store.set_staff_active(me.id, false).unwrap();
        }
    }
    let staff = load(&store, &ids[..n]);
    let readers = load(&store, &ids[n..]);
    World {
        raw: rusqlite::Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap(),
        _dir: dir,
        store,
        staff,
        readers,
        deputy,
        absent,
        cases,
        targets,
    }
}

impl World {
    fn reader(&self, agency: Agency) -> &Staff {
        &self.readers[usize::from(agency == Agency::Jugendamt)]
    }
}

// ---------------------------------------------------------------------------------------
// What the database holds.

/// A digest of every table but the audit log, and the audit log's length and last action.
fn snapshot(conn: &rusqlite::Connection) -> (u64, i64, String) {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> 'audit_log' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut h = DefaultHasher::new();
    for t in tables {
        t.hash(&mut h);
        let mut stmt = conn
            .prepare_cached(&format!("SELECT * FROM \"{t}\""))
            .unwrap();
        let cols = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..cols {
                format!("{:?}", r.get_ref(i).unwrap()).hash(&mut h);
            }
        }
    }
    let (count, last): (i64, Option<String>) = conn
        .query_row(
            "SELECT count(*), (SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1) FROM audit_log",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    (h.finish(), count, last.unwrap_or_default())
}

// ---------------------------------------------------------------------------------------
// One write.

/// Calls `op` by `who` on `case`; None when the world holds no record to act on.
fn write(
    w: &World,
    who: &Staff,
    case: &CaseModel,
    op: Op,
    today: NaiveDate,
) -> Option<Result<(), StorageError>> {
    let store = &w.store;
    let t = &w.targets[&(case.id, who.id)];
    let now = store.clock().now();
    let res = match op {
        Op::UpdateCase => {
            let stored = store.load_case(w.reader(case.owner), case.id).unwrap();
            store.update_case(who, &stored)
        }
        Op::AddNote => store.add_note(who, case.id, "Notiz", who.agency == Agency::Jugendamt),
        Op::AddConsent => {
            let mut c = consent(case.id, today);
            c.recorded_by = who.agency;
            store.add_consent(who, &c).map(|_| ())
        }
        Op::RevokeConsent => {
            let c = t.consent.as_ref()?;
            store.revoke_consent(who, c, today, RevokedHow::Written)
        }
        Op::AddGuardian => store.add_guardian(
            who,
            case.id,
            &Guardian {
                id: 0,
                name: "Mutter".into(),
                relation: Kin::Mother,
                custody: Custody::Joint,
                phone: String::new(),
                do_not_contact: false,
                ended_on: None,
            },
        ),
        Op::AddChild => store.add_child(
            who,
            case.id,
            &Child {
                id: 0,
                name: "Kind".into(),
                birth_date: today - Duration::days(700),
                relation: ChildRelation::Own,
                whereabouts: "im Haushalt".into(),
                ended_on: None,
            },
        ),
        Op::AddMeasure => store
            .add_measure(
                who,
                case.id,
                &Measure {
                    id: 0,
                    text: "Bewerbungstraining".into(),
                    responsible: Responsible::YoungPerson,
                    due_on: today + Duration::days(14),
                    status: MeasureStatus::Open,
                    result: String::new(),
                },
            )
            .map(|_| ()),
        Op::SetMeasureStatus => {
            store.set_measure_status(who, t.measure?, MeasureStatus::Done, "erledigt", now)
        }
        Op::SetHelpEnd => store.set_help_end(who, case.id, Some(today + Duration::days(90))),
        Op::RecordTransfer => {
            let field = match who.agency {
                Agency::Jobcenter => Field::JcCustomerNo,
                Agency::Jugendamt => Field::JaFileNo,
            };
            store
                .record_transfer(
                    who,
                    case.id,
                    &[field],
                    "Fallkonferenz",
                    TransferBasis::Statute(StatutoryBasis::ALL[0]),
                    "Begründung",
                    true,
                    today,
                )
                .map(|_| ())
        }
        Op::CreateConference => store
            .create_conference(who, &conference(case.id, who, today), today)
            .map(|_| ()),
        Op::SetParticipation => {
            let id = t.conference?;
            let v = store.conference(w.reader(case.owner), id).unwrap().version;
            store.set_participation(who, id, v, &[(Invitation::Accepted, None)], now)
        }
        Op::CancelConference => {
            let id = t.conference?;
            let v = store.conference(w.reader(case.owner), id).unwrap().version;
            store.conference_step(who, id, v, ConferenceAction::Cancel, None, "Krankheit", now)
        }
    };
    Some(res)
}

#[derive(Default, Debug)]
struct Figures {
    worlds: u64,
    writes: u64,
    allowed: u64,
    refused: u64,
    per_op: BTreeMap<String, (u64, u64)>,
    per_standing: BTreeMap<String, u64>,
    restricted: u64,
}

fn check_world(w: &World, today: NaiveDate, fig: &mut Figures) -> Vec<String> {
    let oracle = WriteOracle {
        staff: &w.staff,
        deputy: &w.deputy,
        absent: &w.absent,
    };
    let mut bad = Vec::new();
    for case in &w.cases {
        for who in &w.staff {
            for op in OPS {
                let before = snapshot(&w.raw);
                let Some(res) = write(w, who, case, op, today) else {
                    continue;
                };
                let after = snapshot(&w.raw);
                let allowed = oracle.allows(who, case, op);
                let standing = oracle.standing(who, case);
                fig.writes += 1;
                *fig.per_standing.entry(format!("{standing:?}")).or_default() += 1;
                let e = fig.per_op.entry(format!("{op:?}")).or_default();
                if allowed {
                    fig.allowed += 1;
                    e.0 += 1;
                } else {
                    fig.refused += 1;
                    e.1 += 1;
                }
                let what = format!(
                    "{op:?} by {} ({:?}, {:?}, active {}) on case {} ({:?})",
                    who.login, who.agency, who.roles, who.active, case.id.0, standing
                );
                match (&res, allowed) {
                    (Ok(()), true) => {}
                    (Ok(()), false) => bad.push(format!("{what}: accepted, oracle refuses")),
                    (Err(e), true) => bad.push(format!("{what}: refused ({e}), oracle allows")),
                    (Err(e), false) => {
                        let typed = matches!(
                            e,
                            StorageError::NotFound
                                | StorageError::ReadOnly
                                | StorageError::Refused(_)
                        );
                        if !typed {
                            bad.push(format!("{what}: refused with an untyped error {e:?}"));
                        }
                        // A12: who stands to a restricted case is told it is restricted;
                        // anyone else learns nothing.
                        if case.restricted {
                            let want_restricted = standing != Standing::Nothing;
                            let got_restricted = matches!(
                                e,
                                StorageError::Refused(tandem::domain::refusal::Refusal::Restricted)
                            );
                            let got_not_found = matches!(e, StorageError::NotFound);
                            if want_restricted != got_restricted
                                || (!want_restricted && !got_not_found)
                            {
                                bad.push(format!("{what}: restricted case refused with {e:?}"));
                            }
                            fig.restricted += 1;
                        }
                        if after.1 != before.1 + 1 || after.2 != "refused" {
                            bad.push(format!(
                                "{what}: {} new audit rows, the last {:?} (want one `refused`)",
                                after.1 - before.1,
                                after.2
                            ));
                        }
                        if after.0 != before.0 {
                            bad.push(format!("{what}: refused but the database changed"));
                        }
                    }
                }
            }
        }
    }
    bad
}

/// Worlds per run (a debug run takes about 30 s on two busy cores).
const WORLDS: u32 = 20;

#[test]
#[allow(
    clippy::print_stderr,
    reason = "the figures of the run are part of the report"
)]
fn every_write_is_checked_in_the_store() {
    let today = support::today();
    // A fixed seed: the same worlds on every run, so that the check below that every
    // operation and every standing was exercised cannot flake.
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: WORLDS,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let fig = std::cell::RefCell::new(Figures::default());
    let started = std::time::Instant::now();
    runner
        .run(&world_spec(), |spec| {
            let world = build(&spec, today);
            let mut f = fig.borrow_mut();
            f.worlds += 1;
            let bad = check_world(&world, today, &mut f);
            if bad.is_empty() {
                Ok(())
            } else {
                Err(TestCaseError::fail(bad.join("\n")))
            }
        })
        .unwrap();
    let f = fig.into_inner();
    eprintln!(
        "access_writes: {} worlds, {} writes ({} allowed, {} refused, {} on restricted cases) in {:?}; per op (allowed, refused): {:?}; per standing: {:?}",
        f.worlds,
        f.writes,
        f.allowed,
        f.refused,
        f.restricted,
        started.elapsed(),
        f.per_op,
        f.per_standing
    );
    assert!(f.restricted > 0, "no write on a restricted case");
    // Every standing was exercised.
    for s in ["Assigned", "Deputy", "Lead", "BreakGlass", "Nothing"] {
        assert!(
            f.per_standing.get(s).copied().unwrap_or(0) > 0,
            "no write as {s}"
        );
    }
    // Every operation was exercised both ways.
    for op in OPS {
        let (a, r) = f
            .per_op
            .get(&format!("{op:?}"))
            .copied()
            .unwrap_or_default();
        assert!(a > 0 && r > 0, "{op:?}: {a} allowed, {r} refused");
    }
}

/// Referrals and anonymous consultations are not case data behind the relation, but their
/// writes are checked by role, function and reporter in the store (docs/access.md A10): a
/// refusal of that kind leaves one `refused` row and nothing else, as the case writes do.
#[test]
fn referral_and_consultation_refusals_are_logged_and_change_nothing() {
    use tandem::domain::referral::{AgeBand, ConsultResult, FourEyesStep, Urgency};
    use tandem::domain::refusal::Refusal;
    let today = support::today();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tandem.db");
    let mut store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
    store.set_clock(support::test_clock());
    tandem::demo::write(&store, &tandem::demo::demo_data(today)).unwrap();
    let raw =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let who = |login: &str| store.staff_by_login(login).unwrap().unwrap();
    let (reporter, ja) = (who("karaca"), who("straeter"));
    let now = store.clock().now();
    let cal = tandem::domain::calendar::WorkCalendar::default();
    let d = tandem::domain::referral::Deadlines::default();
    let input = support::referral_input(Urgency::Urgent);
    let referral = store.send_referral(&reporter, &input, now).unwrap();
    let consult = store
        .request_consult(&reporter, AgeBand::A3, "Kind wirkt verängstigt", now)
        .unwrap();
    let verify = |what: &str, before: (u64, i64, String), res: Result<(), StorageError>, want| {
        assert!(
            matches!(res, Err(StorageError::Refused(r)) if r == want),
            "{what}: {res:?}"
        );
        let after = snapshot(&raw);
        assert_eq!(
            after.0, before.0,
            "{what}: refused but the database changed"
        );
        assert_eq!(
            after.1,
            before.1 + 1,
            "{what}: want exactly one new audit row"
        );
        assert_eq!(after.2, "refused", "{what}");
    };
    let before = snapshot(&raw);
    let res = store.send_referral(&ja, &input, now).map(|_| ());
    verify(
        "send_referral by the Jugendamt",
        before,
        res,
        Refusal::NotQualified,
    );
    let before = snapshot(&raw);
    let res = store
        .request_consult(&ja, AgeBand::A3, "Anfrage", now)
        .map(|_| ());
    verify(
        "request_consult by the Jugendamt",
        before,
        res,
        Refusal::NotQualified,
    );
    let before = snapshot(&raw);
    let res = store.advise_consult(&ja, consult, 1, ConsultResult::Observe, "beobachten", now);
    verify(
        "advise_consult without the InsoFa function",
        before,
        res,
        Refusal::NotQualified,
    );
    let before = snapshot(&raw);
    let res = store.add_referral_addendum(&ja, referral, "Nachtrag", now);
    verify(
        "add_referral_addendum by someone else",
        before,
        res,
        Refusal::NotReporter,
    );
    let before = snapshot(&raw);
    let res = store.propose_referral_step(
        &reporter,
        referral,
        1,
        FourEyesStep::Triage,
        &BTreeMap::new(),
        None,
        now,
        &cal,
        &d,
    );
    verify(
        "propose_referral_step by the reporter",
        before,
        res,
        Refusal::NotQualified,
    );
}
