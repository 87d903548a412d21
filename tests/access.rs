//! Access rules of the case file (docs/access.md A1–A9), checked against an oracle written
//! from the rules — not from `src/domain/access.rs` — over random worlds, and on the demo
//! data.
//!
//! The oracle (see `Oracle` below):
//! - nobody inactive and nobody with only `dpo`/`admin` roles sees anything;
//! - a case opens to a caseworker assigned to it, to the deputy (same agency) of an assigned
//!   caseworker **while that caseworker is away** (an absence covering today, or inactive),
//!   to a `lead` of an agency that owns the case or has staff assigned, and to the holder of
//!   a break-glass grant of such an agency; otherwise it is refused (NotFound);
//! - a person field owned by the viewer's agency is readable whenever the case opens; a
//!   partner-owned one only for assigned/deputy/lead (never break-glass) AND when a transfer
//!   of that field to the viewer's agency is on record whose basis is statutory, or a consent
//!   that today is granted, within its validity, not awaiting confirmation at 18, lists the
//!   viewer's agency, covers the field's data category and — if it names persons — names the
//!   viewer;
//! - measures, consent records, transfer receipts and conference content follow their owner
//!   agency: own records with any relation; the partner's only as assigned/deputy/lead and
//!   while a basis holds (a consent covering "Maßnahmen"; the consent itself in force and
//!   naming the viewer; the receipt's basis; a consent for "Fallkonferenz" or an anonymised
//!   conference). A partner consent shown without a readable birth date hides its declarant;
//! - a revoked consent cancels the planned, non-anonymised conferences no other consent
//!   covers; the agenda shows only the measures the reader may see;
//! - break-glass grants are shown to the grantee's agency (assigned, deputy, lead) only;
//! - custody holders and children are the case owner's records: readable by the owner's
//!   agency whenever the case opens; the partner (assigned, deputy, lead) reads those a
//!   transfer carried while its basis holds (a statute, or a consent covering "Familie"
//!   for the viewer today), so a revocation hides them again; only the owner transfers
//!   them;
//! - an entrusted note (§ 65) is readable by its author only (if the author may open the
//!   case); any other note by viewers of the author's agency who may open the case; a lead
//!   sees the dates of the entrusted notes of others in the own agency, nobody sees
//!   metadata of the partner's notes;
//! - the list is the caseload for caseworkers in either scope and the agency's cases for a
//!   lead; counts equal rows; a search by a name finds a case only when both name fields
//!   are readable;
//! - a draft offered to its author holds no person field the author may no longer read;
//! - opening a case file the way the application does (`open_case_file`, then `case_file`)
//!   leaves exactly one audit row: `view`, or `refused` when the oracle refuses.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod support;

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use tandem::domain::access::Relation;
use tandem::domain::casefile::{
    BreakGlassReason, Child, ChildRelation, Custody, FamilyRef, Guardian, Measure, MeasureStatus,
    PERSON_FIELDS, Relation as Kin, Responsible, StatutoryBasis, TransferBasis,
};
use tandem::domain::conference::{
    ConferenceKind, ConferenceStatus, Invitation, Participant, ParticipantRole,
};
use tandem::domain::consent::{
    Consent, ConsentForm, ConsentId, ConsentStatus, DataCategory, DeclaredBy, Purpose,
    RepresentationReason, RevokedHow,
};
use tandem::domain::{
    Agency, CaseId, CaseStatus, CoopCase, Field, Gender, PersonId, ReasonCode, Role, Staff,
    StaffId, YoungPerson,
};
use tandem::model::casefile::CaseFileView;
use tandem::model::conference::NewConference;
use tandem::model::draft::{CASE_DRAFT, Draft, SessionId};
use tandem::model::list::ListScope;
use tandem::model::list::{CaseRow, ListQuery, PageAnchor};
use tandem::storage::audit::object;
use tandem::storage::casefile::TransferRequest;
use tandem::storage::staff::NewStaff;
use tandem::storage::{StorageError, Store};

// ---------------------------------------------------------------------------------------
// The oracle, from docs/domain.md alone.

/// How a viewer stands to a case according to the oracle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Assigned,
    Deputy,
    Lead,
    BreakGlass,
    Refused,
}

/// Owner of a person field (docs/domain.md 3.2: customer and BG number are the Jobcenter's, the
/// file number is the Jugendamt's; everything else belongs to the record's owner Stelle).
fn owner_of(field: Field, case_owner: Agency) -> Agency {
    match field {
        Field::JcCustomerNo | Field::BgNo => Agency::Jobcenter,
        Field::JaFileNo => Agency::Jugendamt,
        _ => case_owner,
    }
}

/// Data category ("Datenart", docs/domain.md 3.3) of a person field: benefit numbers are
/// "Leistungsbezug", occasion and question of the cooperation "Maßnahmen", the rest
/// "Stammdaten".
fn category_of(field: Field) -> DataCategory {
    match field {
        Field::JcCustomerNo | Field::BgNo => DataCategory::Benefits,
        Field::Reasons | Field::Question => DataCategory::Measures,
        _ => DataCategory::MasterData,
    }
}

/// The day someone born on `birth` turns `years` (29 February → 1 March, docs/domain.md 7).
fn birthday(birth: NaiveDate, years: i32) -> NaiveDate {
    let y = birth.year() + years;
    NaiveDate::from_ymd_opt(y, birth.month(), birth.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, 3, 1))
        .unwrap()
}

fn age(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut a = on.year() - birth.year();
    if birthday(birth, a) > on {
        a -= 1;
    }
    a
}

/// Whether data may move under consent `c` on `day` at all (docs/domain.md 3.3, 4.4, 5.2):
/// granted, inside its validity, and not a custody holders' declaration for a person who
/// came of age since signing ("Bestätigung erforderlich").
fn in_force(c: &Consent, birth: NaiveDate, day: NaiveDate) -> bool {
    c.status == ConsentStatus::Granted
        && c.valid_from <= day
        && day <= c.valid_until
        && !(c.declared_by == DeclaredBy::CustodyHolders
            && age(birth, c.signed_on) < 18
            && age(birth, day) >= 18)
}

/// Whether consent `c` lets `viewer` read data of `category` on `day`.
fn consent_lets(
    c: &Consent,
    birth: NaiveDate,
    day: NaiveDate,
    viewer: &Staff,
    category: DataCategory,
) -> bool {
    in_force(c, birth, day)
        && c.recipient_agencies.contains(&viewer.agency)
        && c.categories.contains(&category)
        && (c.recipient_staff.is_empty() || c.recipient_staff.contains(&viewer.id))
}

/// A person may do case work at all: active, and a caseworker or lead role.
fn works_on_cases(s: &Staff) -> bool {
    s.active
        && s.roles
            .iter()
            .any(|r| matches!(r, Role::JcU25 | Role::JaStaff | Role::Lead))
}

struct Oracle<'w> {
    staff: &'w [Staff],
    deputy: &'w BTreeMap<StaffId, Option<StaffId>>,
    /// Staff with an absence period covering today (docs/access.md A2: a deputy stands in
    /// only while the colleague is away).
    absent: &'w BTreeSet<StaffId>,
}

impl Oracle<'_> {
    fn involves(case: &CaseModel, agency: Agency) -> bool {
        case.owner == agency || Self::assigned_of(case, agency).is_some()
    }

    fn assigned_of(case: &CaseModel, agency: Agency) -> Option<StaffId> {
        match agency {
            Agency::Jobcenter => case.jc,
            Agency::Jugendamt => case.ja,
        }
    }

    /// `viewer` as they are now (active or not) against `case`.
    fn access(&self, viewer: &Staff, case: &CaseModel) -> Access {
        if !works_on_cases(viewer) {
            return Access::Refused;
        }
        if let Some(assigned) = Self::assigned_of(case, viewer.agency) {
            if assigned == viewer.id {
                return Access::Assigned;
            }
            let deputy = self.deputy.get(&assigned).copied().flatten();
            let same_agency = self
                .staff
                .iter()
                .any(|s| s.id == assigned && s.agency == viewer.agency);
            if deputy == Some(viewer.id) && same_agency && self.away(assigned) {
                return Access::Deputy;
            }
        }
        if !Self::involves(case, viewer.agency) {
            return Access::Refused;
        }
        if viewer.roles.contains(&Role::Lead) {
            return Access::Lead;
        }
        if case.grants.contains(&viewer.id) {
            return Access::BreakGlass;
        }
        Access::Refused
    }

    /// Whether `id` is away today: an absence period, or they left (inactive).
    fn away(&self, id: StaffId) -> bool {
        self.absent.contains(&id) || self.staff.iter().any(|s| s.id == id && !s.active)
    }

    /// Whether a consent of the case lets `category` reach `viewer` today.
    fn basis(case: &CaseModel, viewer: &Staff, category: DataCategory, today: NaiveDate) -> bool {
        case.consents
            .iter()
            .any(|c| consent_lets(c, case.birth, today, viewer, category))
    }

    /// A measure (docs/access.md A3/A4): its owner's agency reads it with any relation; the
    /// partner only as assigned/deputy/lead and while a consent covers "Maßnahmen".
    fn measure_readable(
        viewer: &Staff,
        access: Access,
        case: &CaseModel,
        owner: Agency,
        today: NaiveDate,
    ) -> bool {
        match access {
            Access::Refused => false,
            Access::BreakGlass => owner == viewer.agency,
            Access::Assigned | Access::Deputy | Access::Lead => {
                owner == viewer.agency || Self::basis(case, viewer, DataCategory::Measures, today)
            }
        }
    }

    /// A consent record: the recording agency reads it with any relation; the partner only
    /// as assigned/deputy/lead while it is in force and names them as recipient.
    fn consent_readable(
        viewer: &Staff,
        access: Access,
        case: &CaseModel,
        c: &Consent,
        today: NaiveDate,
    ) -> bool {
        match access {
            Access::Refused => false,
            Access::BreakGlass => c.recorded_by == viewer.agency,
            Access::Assigned | Access::Deputy | Access::Lead => {
                c.recorded_by == viewer.agency
                    || (in_force(c, case.birth, today)
                        && c.recipient_agencies.contains(&viewer.agency)
                        && (c.recipient_staff.is_empty() || c.recipient_staff.contains(&viewer.id)))
            }
        }
    }

    /// A transfer receipt: the sender's agency reads it with any relation; the recipient
    /// as assigned/deputy/lead while its basis still carries at least one of its fields or
    /// its family records.
    fn transfer_readable(
        viewer: &Staff,
        access: Access,
        case: &CaseModel,
        t: &TransferModel,
        today: NaiveDate,
    ) -> bool {
        match access {
            Access::Refused => false,
            Access::BreakGlass => t.from == viewer.agency,
            Access::Assigned | Access::Deputy | Access::Lead => {
                t.from == viewer.agency
                    || (t.to == viewer.agency
                        && match t.basis {
                            TransferBasis::Statute(_) => true,
                            TransferBasis::Consent(id) => case.consents.iter().any(|c| {
                                c.id == id
                                    && (t.fields.iter().any(|f| {
                                        consent_lets(c, case.birth, today, viewer, category_of(*f))
                                    }) || (t.family
                                        && consent_lets(
                                            c,
                                            case.birth,
                                            today,
                                            viewer,
                                            DataCategory::Family,
                                        )))
                            }),
                        })
            }
        }
    }

    /// A conference's content (question, participants, minutes): the case owner's agency
    /// reads it with any relation (a participant without one too); the partner — also a
    /// partner participant — only while the conference is anonymised or a consent with
    /// the purpose "Fallkonferenz" covers them.
    fn conference_readable(
        &self,
        viewer: &Staff,
        case: &CaseModel,
        conf: &ConferenceModel,
        today: NaiveDate,
    ) -> bool {
        let access = self.access(viewer, case);
        let participant = works_on_cases(viewer) && conf.staff.contains(&viewer.id);
        let basis = conf.anonymised
            || case.consents.iter().any(|c| {
                c.purposes.contains(&Purpose::Conference)
                    && consent_lets(c, case.birth, today, viewer, DataCategory::MasterData)
            });
        match access {
            Access::BreakGlass => case.owner == viewer.agency,
            Access::Assigned | Access::Deputy | Access::Lead => {
                case.owner == viewer.agency || basis
            }
            Access::Refused => participant && (case.owner == viewer.agency || basis),
        }
    }

    #[allow(
        clippy::unused_self,
        reason = "kept a method for symmetry with the oracle's other rules"
    )]
    fn field_readable(
        &self,
        viewer: &Staff,
        access: Access,
        case: &CaseModel,
        field: Field,
        today: NaiveDate,
    ) -> bool {
        match access {
            Access::Refused => false,
            Access::BreakGlass => owner_of(field, case.owner) == viewer.agency,
            Access::Assigned | Access::Deputy | Access::Lead => {
                owner_of(field, case.owner) == viewer.agency
                    || case.transfers.iter().any(|t| {
                        t.to == viewer.agency
                            && t.fields.contains(&field)
                            && match t.basis {
                                TransferBasis::Statute(_) => true,
                                TransferBasis::Consent(id) => case.consents.iter().any(|c| {
                                    c.id == id
                                        && consent_lets(
                                            c,
                                            case.birth,
                                            today,
                                            viewer,
                                            category_of(field),
                                        )
                                }),
                            }
                    })
            }
        }
    }

    /// Custody holders and children: the owner's, readable by the owner's side; the
    /// partner reads them as assigned, deputy or lead while a transfer that carried them
    /// rests on a statute or on a consent that covers "Familie" for the viewer today
    /// (docs/casework.md § 2). Every family transfer of the model carries all of them.
    fn family_readable(viewer: &Staff, access: Access, case: &CaseModel, today: NaiveDate) -> bool {
        match access {
            Access::Refused => false,
            _ if viewer.agency == case.owner => true,
            Access::BreakGlass => false,
            Access::Assigned | Access::Deputy | Access::Lead => case.transfers.iter().any(|t| {
                t.to == viewer.agency
                    && t.family
                    && match t.basis {
                        TransferBasis::Statute(_) => true,
                        TransferBasis::Consent(id) => case.consents.iter().any(|c| {
                            c.id == id
                                && consent_lets(c, case.birth, today, viewer, DataCategory::Family)
                        }),
                    }
            }),
        }
    }

    fn note_readable(viewer: &Staff, access: Access, note: &NoteModel) -> bool {
        if access == Access::Refused {
            return false;
        }
        if note.entrusted {
            viewer.id == note.author
        } else {
            viewer.agency == note.agency
        }
    }
}

// ---------------------------------------------------------------------------------------
// Random worlds.

#[derive(Debug, Clone)]
struct StaffSpec {
    /// 0–2 caseworker, 3 lead, 4 dpo, 5 admin, 6 caseworker+lead, 7 dpo+admin, 8 lead+dpo.
    kind: usize,
    inactive: bool,
    /// (same agency?, index) of the deputy.
    deputy: Option<(bool, usize)>,
}

#[derive(Debug, Clone, Copy)]
enum ConsentKind {
    Granted,
    Expired,
    Revoked,
    Refused,
    Draft,
    NotYetValid,
}

#[derive(Debug, Clone)]
struct ConsentSpec {
    kind: ConsentKind,
    custody: bool,
    /// Bits over CATEGORIES.
    categories: u8,
    /// 1 Jobcenter, 2 Jugendamt, 3 both.
    recipients: u8,
    /// Named persons (global staff indices).
    named: Vec<usize>,
    signed_ago: i64,
    runs_on: i64,
    /// Recorded by the agency that does not own the case.
    by_partner: bool,
}

#[derive(Debug, Clone, Copy)]
enum BasisSpec {
    Consent(usize),
    Statute(usize),
}

#[derive(Debug, Clone)]
struct TransferSpec {
    from_jc: bool,
    /// None: the assigned caseworker of the sending side (else a lead, else anyone).
    sender: Option<usize>,
    /// Bits over PERSON_FIELDS.
    fields: u16,
    /// Keep only fields the sending agency owns.
    owned_only: bool,
    basis: BasisSpec,
    no_justification: bool,
    no_64_2: bool,
    /// Carries every custody holder and child of the case too.
    family: bool,
}

#[derive(Debug, Clone)]
struct NoteSpec {
    author: usize,
    entrusted: bool,
    days_ago: i64,
}

#[derive(Debug, Clone)]
struct CaseSpec {
    owner_jc: bool,
    jc: Option<usize>,
    ja: Option<usize>,
    age_days: i64,
    leap_birth: bool,
    gender: usize,
    consents: Vec<ConsentSpec>,
    transfers: Vec<TransferSpec>,
    notes: Vec<NoteSpec>,
    grants: Vec<usize>,
    guardians: u8,
    children: u8,
    /// Responsible for each measure: 0 the JC caseworker, 1 the JA caseworker, 2 the
    /// young person.
    measures: Vec<u8>,
    /// (anonymised, index of a partner participant) of each conference.
    conferences: Vec<(bool, usize)>,
}

#[derive(Debug, Clone)]
struct WorldSpec {
    jc: Vec<StaffSpec>,
    ja: Vec<StaffSpec>,
    cases: Vec<CaseSpec>,
    /// Staff (global indices) away today.
    absent: Vec<usize>,
}

const CATEGORIES: [DataCategory; 5] = [
    DataCategory::MasterData,
    DataCategory::Benefits,
    DataCategory::Measures,
    DataCategory::Family,
    DataCategory::Health,
];

fn staff_spec() -> impl Strategy<Value = StaffSpec> {
    (
        0usize..9,
        prop::bool::weighted(0.2),
        prop::option::weighted(0.5, (prop::bool::weighted(0.8), 0usize..12)),
    )
        .prop_map(|(kind, inactive, deputy)| StaffSpec {
            kind,
            inactive,
            deputy,
        })
}

fn consent_spec() -> impl Strategy<Value = ConsentSpec> {
    let kind = prop_oneof![
        4 => Just(ConsentKind::Granted),
        1 => Just(ConsentKind::Expired),
        2 => Just(ConsentKind::Revoked),
        1 => Just(ConsentKind::Refused),
        1 => Just(ConsentKind::Draft),
        1 => Just(ConsentKind::NotYetValid),
    ];
    let named = prop_oneof![3 => Just(Vec::new()), 1 => prop::collection::vec(0usize..12, 1..=2)];
    (
        kind,
        prop::bool::weighted(0.3),
        1u8..32,
        1u8..=3,
        named,
        1i64..700,
        1i64..200,
        prop::bool::weighted(0.3),
    )
        .prop_map(
            |(kind, custody, categories, recipients, named, signed_ago, runs_on, by_partner)| {
                ConsentSpec {
                    kind,
                    custody,
                    categories,
                    recipients,
                    named,
                    signed_ago,
                    runs_on,
                    by_partner,
                }
            },
        )
}

fn transfer_spec() -> impl Strategy<Value = TransferSpec> {
    let basis = prop_oneof![
        3 => (0usize..3).prop_map(BasisSpec::Consent),
        1 => (0usize..4).prop_map(BasisSpec::Statute),
    ];
    (
        any::<bool>(),
        prop::option::weighted(0.3, 0usize..6),
        1u16..4096,
        prop::bool::weighted(0.85),
        basis,
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.4),
    )
        .prop_map(
            |(from_jc, sender, fields, owned_only, basis, no_justification, no_64_2, family)| {
                TransferSpec {
                    from_jc,
                    sender,
                    fields,
                    owned_only,
                    basis,
                    no_justification,
                    no_64_2,
                    family,
                }
            },
        )
}

fn note_spec() -> impl Strategy<Value = NoteSpec> {
    (0usize..12, prop::bool::weighted(0.5), 0i64..100).prop_map(|(author, entrusted, days_ago)| {
        NoteSpec {
            author,
            entrusted,
            days_ago,
        }
    })
}

fn case_spec() -> impl Strategy<Value = CaseSpec> {
    (
        (
            any::<bool>(),
            prop::option::weighted(0.75, 0usize..6),
            prop::option::weighted(0.75, 0usize..6),
            (15 * 365i64)..(25 * 365),
            prop::bool::weighted(0.06),
            0usize..3,
        ),
        (
            prop::collection::vec(consent_spec(), 0..=3),
            prop::collection::vec(transfer_spec(), 0..=5),
            prop::collection::vec(note_spec(), 0..=3),
            prop::collection::vec(0usize..12, 0..=3),
            0u8..=2,
            0u8..=1,
        ),
        (
            prop::collection::vec(0u8..3, 0..=3),
            prop::collection::vec((prop::bool::weighted(0.3), 0usize..6), 0..=2),
        ),
    )
        .prop_map(
            |(
                (owner_jc, jc, ja, age_days, leap_birth, gender),
                (consents, transfers, notes, grants, guardians, children),
                (measures, conferences),
            )| {
                CaseSpec {
                    owner_jc,
                    jc,
                    ja,
                    age_days,
                    leap_birth,
                    gender,
                    consents,
                    transfers,
                    notes,
                    grants,
                    guardians,
                    children,
                    measures,
                    conferences,
                }
            },
        )
}

fn world_spec() -> impl Strategy<Value = WorldSpec> {
    (
        prop::collection::vec(staff_spec(), 2..=6),
        prop::collection::vec(staff_spec(), 2..=6),
        prop::collection::vec(case_spec(), 1..=4),
        prop::collection::vec(0usize..12, 0..=3),
    )
        .prop_map(|(jc, ja, cases, absent)| WorldSpec {
            jc,
            ja,
            cases,
            absent,
        })
}

// ---------------------------------------------------------------------------------------
// A world written into a store, with the model the oracle reads.

#[derive(Debug, Clone)]
struct NoteModel {
    author: StaffId,
    agency: Agency,
    entrusted: bool,
    text: String,
    at: NaiveDateTime,
}

#[derive(Debug, Clone)]
struct TransferModel {
    id: i64,
    from: Agency,
    to: Agency,
    fields: Vec<Field>,
    basis: TransferBasis,
    /// Carried every custody holder and child.
    family: bool,
}

#[derive(Debug, Clone)]
struct MeasureModel {
    text: String,
    owner: Agency,
}

#[derive(Debug, Clone)]
struct ConferenceModel {
    id: i64,
    anonymised: bool,
    /// Staff participants.
    staff: Vec<StaffId>,
    /// Participants of the partner agency (whom a consent must cover).
    partner: Vec<StaffId>,
}

#[derive(Debug, Clone)]
struct CaseModel {
    id: CaseId,
    original: CoopCase,
    owner: Agency,
    birth: NaiveDate,
    jc: Option<StaffId>,
    ja: Option<StaffId>,
    consents: Vec<Consent>,
    transfers: Vec<TransferModel>,
    notes: Vec<NoteModel>,
    grants: BTreeSet<StaffId>,
    guardians: usize,
    children: usize,
    measures: Vec<MeasureModel>,
    conferences: Vec<ConferenceModel>,
    /// Break-glass grants with the grantee's agency.
    grant_agencies: Vec<(StaffId, Agency)>,
    /// A consent of the case was revoked after its conferences were planned.
    revoked: bool,
}

struct World {
    store: Store,
    /// Everyone as stored at the end (two set-up accounts included, inactive).
    staff: Vec<Staff>,
    deputy: BTreeMap<StaffId, Option<StaffId>>,
    absent: BTreeSet<StaffId>,
    cases: Vec<CaseModel>,
    /// Writes the store accepted that the oracle says it must refuse.
    bad_writes: Vec<String>,
}

fn roles_of(kind: usize, agency: Agency) -> Vec<Role> {
    let cw = match agency {
        Agency::Jobcenter => Role::JcU25,
        Agency::Jugendamt => Role::JaStaff,
    };
    match kind {
        0..=2 => vec![cw],
        3 => vec![Role::Lead],
        4 => vec![Role::Dpo],
        5 => vec![Role::Admin],
        6 => vec![cw, Role::Lead],
        7 => vec![Role::Dpo, Role::Admin],
        _ => vec![Role::Lead, Role::Dpo],
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

fn person_case(
    k: usize,
    owner: Agency,
    birth: NaiveDate,
    gender: Gender,
    today: NaiveDate,
) -> CoopCase {
    CoopCase {
        id: CaseId(0),
        person: YoungPerson {
            id: PersonId(0),
            surname: format!("Nachname{k}"),
            given_names: format!("Vorname{k}"),
            birth_date: birth,
            gender,
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
        opened_on: today - Duration::days(800),
        next_review: None,
        closed_on: None,
        closure_reason: None,
        version: 0,
    }
}

/// The value of a person field as text (blank values included), to compare views.
fn value_of(case: &CoopCase, field: Field) -> String {
    let p = &case.person;
    match field {
        Field::Surname => p.surname.clone(),
        Field::GivenNames => p.given_names.clone(),
        Field::BirthDate => p.birth_date.to_string(),
        Field::Gender => format!("{:?}", p.gender),
        Field::Address => p.address.clone(),
        Field::Phone => p.phone.clone(),
        Field::Email => p.email.clone(),
        Field::JcCustomerNo => p.jc_customer_no.clone(),
        Field::BgNo => p.bg_no.clone(),
        Field::JaFileNo => p.ja_file_no.clone(),
        Field::Reasons => format!("{:?}", case.reasons),
        Field::Question => case.question.clone(),
        other => panic!("not a person field: {other:?}"),
    }
}

fn consent_of(
    case_id: CaseId,
    spec: &ConsentSpec,
    birth: NaiveDate,
    staff: &[Staff],
    today: NaiveDate,
) -> Consent {
    let signed = today - Duration::days(spec.signed_ago);
    let (valid_from, valid_until) = match spec.kind {
        ConsentKind::Expired => {
            let until = today - Duration::days(1 + spec.runs_on % 60);
            (until - Duration::days(364), until)
        }
        ConsentKind::NotYetValid => {
            let from = today + Duration::days(1 + spec.runs_on % 30);
            (from, from + Duration::days(364))
        }
        _ => (signed, today + Duration::days(spec.runs_on)),
    };
    let signed = signed.min(valid_from);
    let status = match spec.kind {
        ConsentKind::Refused => ConsentStatus::Refused,
        ConsentKind::Draft => ConsentStatus::Draft,
        // Revoked ones are granted first and revoked after the transfers.
        _ => ConsentStatus::Granted,
    };
    let recipient_agencies = match spec.recipients {
        1 => vec![Agency::Jobcenter],
        2 => vec![Agency::Jugendamt],
        _ => vec![Agency::Jobcenter, Agency::Jugendamt],
    };
    let mut recipient_staff: Vec<StaffId> = spec
        .named
        .iter()
        .map(|i| staff[i % staff.len()].id)
        .collect();
    recipient_staff.sort();
    recipient_staff.dedup();
    let custody = spec.custody;
    Consent {
        id: ConsentId(0),
        case_id: case_id.0,
        recorded_by: Agency::Jobcenter,
        declared_by: if custody {
            DeclaredBy::CustodyHolders
        } else {
            DeclaredBy::YoungPerson
        },
        representation_reason: custody.then_some(RepresentationReason::NoCapacity),
        insight_checked: !custody && age(birth, signed) < 18,
        signed_on: signed,
        form: ConsentForm::Written,
        document_ref: "EW-Test".into(),
        purposes: vec![Purpose::Conference, Purpose::MutualInformation],
        categories: CATEGORIES
            .iter()
            .enumerate()
            .filter(|(i, _)| spec.categories & (1 << i) != 0)
            .map(|(_, c)| *c)
            .collect(),
        recipient_agencies,
        recipient_staff,
        external_recipients: String::new(),
        recurring: false,
        valid_from,
        valid_until,
        info_purpose: true,
        info_refusal: true,
        info_revocable: true,
        status,
        revoked_on: None,
        revoked_how: None,
        version: 1,
    }
}

/// Writes the world of `spec` into a fresh in-memory store.
fn build(spec: &WorldSpec, today: NaiveDate) -> World {
    let store = Store::open_in_memory().unwrap();
    // The people of the world, then two set-up accounts that create cases and record
    // consents (deactivated at the end: inactive staff see nothing).
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
    new.push(new_staff(
        "setupjc".into(),
        Agency::Jobcenter,
        vec![Role::JcU25],
    ));
    new.push(new_staff(
        "setupja".into(),
        Agency::Jugendamt,
        vec![Role::JaStaff],
    ));
    let ids = store.insert_staff(&new).unwrap();
    let load = |store: &Store| -> Vec<Staff> {
        ids.iter()
            .map(|id| store.staff_by_id(*id).unwrap().unwrap())
            .collect()
    };
    let all = load(&store);
    let n_jc = spec.jc.len();
    let people = &all[..all.len() - 2];
    let jc_staff = &people[..n_jc];
    let ja_staff = &people[n_jc..];
    let setup = |agency: Agency| &all[all.len() - if agency == Agency::Jobcenter { 2 } else { 1 }];
    let inactive: Vec<bool> = spec.jc.iter().chain(&spec.ja).map(|s| s.inactive).collect();

    // Deputies.
    let mut deputy = BTreeMap::new();
    for (i, s) in spec.jc.iter().chain(&spec.ja).enumerate() {
        let me = &people[i];
        let d = s.deputy.map(|(same, k)| {
            let pool = if same == (me.agency == Agency::Jobcenter) {
                jc_staff
            } else {
                ja_staff
            };
            pool[k % pool.len()].id
        });
        let d = d.filter(|d| *d != me.id);
        // A deputy of the other agency is refused by the store; the world keeps none then.
        let d = if store.set_deputy(me.id, d).is_ok() {
            d
        } else {
            None
        };
        deputy.insert(me.id, d);
    }
    // Absences covering today.
    let mut absent = BTreeSet::new();
    for i in &spec.absent {
        let who = &people[i % people.len()];
        // The store asks the clock (Berlin) for today; the world's `today` is fixed. The
        // period covers both.
        let now = tandem::domain::tz::to_local(chrono::Utc::now()).date();
        store
            .add_absence(
                who.id,
                today.min(now) - Duration::days(2),
                today.max(now) + Duration::days(3),
            )
            .unwrap();
        absent.insert(who.id);
    }

    let mut bad_writes = Vec::new();
    let mut cases = Vec::new();
    for (k, cs) in spec.cases.iter().enumerate() {
        let owner = if cs.owner_jc {
            Agency::Jobcenter
        } else {
            Agency::Jugendamt
        };
        let birth = if cs.leap_birth {
            NaiveDate::from_ymd_opt(2008, 2, 29).unwrap()
        } else {
            today - Duration::days(cs.age_days)
        };
        let gender = [Gender::Male, Gender::Female, Gender::Diverse][cs.gender];
        let mut case = person_case(k, owner, birth, gender, today);
        case.jc_staff = cs.jc.map(|i| jc_staff[i % jc_staff.len()].id);
        case.ja_staff = cs.ja.map(|i| ja_staff[i % ja_staff.len()].id);
        let id = create_both_sides(&store, setup(owner), people, &mut case);
        case.id = id;
        let mut model = CaseModel {
            id,
            original: case.clone(),
            owner,
            birth,
            jc: case.jc_staff,
            ja: case.ja_staff,
            consents: Vec::new(),
            transfers: Vec::new(),
            notes: Vec::new(),
            grants: BTreeSet::new(),
            guardians: 0,
            children: 0,
            measures: Vec::new(),
            conferences: Vec::new(),
            grant_agencies: Vec::new(),
            revoked: false,
        };

        // Who writes the case's records for an agency: its assigned caseworker, when they
        // work on cases (docs/access.md A7: the store refuses anyone else). An agency
        // without one records nothing.
        let (jc_assigned, ja_assigned) = (model.jc, model.ja);
        let writer = |agency: Agency| -> Option<&Staff> {
            match agency {
                Agency::Jobcenter => jc_assigned,
                Agency::Jugendamt => ja_assigned,
            }
            .and_then(|a| people.iter().find(|s| s.id == a))
            .filter(|s| works_on_cases(s))
        };

        // Consents (those to be revoked are granted for now), recorded by either agency.
        let mut consent_specs = Vec::new();
        for c in &cs.consents {
            let mut consent = consent_of(id, c, birth, people, today);
            let recorder = if c.by_partner { owner.partner() } else { owner };
            let Some(by) = writer(recorder) else {
                continue;
            };
            consent.recorded_by = recorder;
            consent.id = store.add_consent(by, &consent).unwrap();
            model.consents.push(consent);
            consent_specs.push(c.clone());
        }

        // Custody holders and children (owner's records, written by the owner's caseworker).
        let owner_writer = writer(owner);
        let mut family_refs: Vec<FamilyRef> = Vec::new();
        for g in (0..cs.guardians).filter(|_| owner_writer.is_some()) {
            let gid = store
                .save_guardian(
                    owner_writer.unwrap(),
                    id,
                    None,
                    &Guardian {
                        id: 0,
                        name: format!("Sorgeberechtigte {k}/{g}"),
                        relation: Kin::Mother,
                        custody: Custody::Joint,
                        phone: String::new(),
                        do_not_contact: false,
                        ended_on: None,
                    },
                )
                .unwrap();
            family_refs.push(FamilyRef::Guardian(gid));
            model.guardians += 1;
        }
        for c in (0..cs.children).filter(|_| owner_writer.is_some()) {
            let cid = store
                .save_child(
                    owner_writer.unwrap(),
                    id,
                    None,
                    &Child {
                        id: 0,
                        name: format!("Kind {k}/{c}"),
                        birth_date: today - Duration::days(700),
                        relation: ChildRelation::Own,
                        whereabouts: "im Haushalt".into(),
                        ended_on: None,
                    },
                )
                .unwrap();
            family_refs.push(FamilyRef::Child(cid));
            model.children += 1;
        }

        // Transfers, while every person is still active.
        for t in &cs.transfers {
            let from = if t.from_jc {
                Agency::Jobcenter
            } else {
                Agency::Jugendamt
            };
            let pool = if t.from_jc { jc_staff } else { ja_staff };
            let sender = match t.sender {
                Some(i) => &pool[i % pool.len()],
                None => Oracle::assigned_of(&model, from)
                    .and_then(|a| pool.iter().find(|s| s.id == a))
                    .or_else(|| pool.iter().find(|s| s.roles.contains(&Role::Lead)))
                    .unwrap_or(&pool[0]),
            };
            let fields: Vec<Field> = PERSON_FIELDS
                .iter()
                .enumerate()
                .filter(|(i, f)| {
                    t.fields & (1 << i) != 0 && (!t.owned_only || owner_of(**f, owner) == from)
                })
                .map(|(_, f)| *f)
                .collect();
            let (basis, day) = match t.basis {
                BasisSpec::Consent(i) if !model.consents.is_empty() => {
                    let c = &model.consents[i % model.consents.len()];
                    (TransferBasis::Consent(c.id), c.valid_from)
                }
                BasisSpec::Consent(i) | BasisSpec::Statute(i) => (
                    TransferBasis::Statute(StatutoryBasis::ALL[i % StatutoryBasis::ALL.len()]),
                    today,
                ),
            };
            let justification = if t.no_justification {
                ""
            } else {
                "Begründung der Übermittlung"
            };
            let check = !t.no_64_2;
            let family: &[FamilyRef] = if t.family { &family_refs } else { &[] };
            let res = store.transfer(
                sender,
                id,
                &TransferRequest {
                    fields: &fields,
                    family,
                    purpose: "Fallkonferenz",
                    basis,
                    justification,
                    check_64_2: check,
                    today: day,
                },
            );
            if let Ok(transfer_id) = res {
                // Accepted: it must have been allowed (standing, own fields, § 64 (2), basis).
                let oracle = Oracle {
                    staff: &all,
                    deputy: &deputy,
                    absent: &absent,
                };
                let standing = matches!(
                    oracle.access(sender, &model),
                    Access::Assigned | Access::Deputy | Access::Lead
                );
                let own = (!fields.is_empty() || !family.is_empty())
                    && fields.iter().all(|f| owner_of(*f, owner) == from)
                    && (family.is_empty() || from == owner);
                let basis_ok = match basis {
                    TransferBasis::Statute(_) => !justification.is_empty(),
                    TransferBasis::Consent(cid) => model.consents.iter().any(|c| {
                        c.id == cid
                            && in_force(c, birth, day)
                            && c.recipient_agencies.contains(&from.partner())
                            && fields
                                .iter()
                                .all(|f| c.categories.contains(&category_of(*f)))
                            && (family.is_empty() || c.categories.contains(&DataCategory::Family))
                    }),
                };
                let ja_check = from != Agency::Jugendamt || check;
                if !(standing && own && basis_ok && ja_check) {
                    bad_writes.push(format!(
                        "case {k}: record_transfer by {} accepted {fields:?} under {basis:?} on {day} \
                         (standing {standing}, own fields {own}, basis {basis_ok}, § 64 (2) {ja_check})",
                        sender.login
                    ));
                }
                model.transfers.push(TransferModel {
                    id: transfer_id,
                    from,
                    to: from.partner(),
                    fields,
                    basis,
                    family: !family.is_empty(),
                });
            }
        }

        // Measures; the agency of the responsible caseworker owns one, else the case owner.
        for (i, m) in cs.measures.iter().enumerate() {
            let responsible = match (m, case.jc_staff, case.ja_staff) {
                (0, Some(s), _) => Responsible::Staff(Agency::Jobcenter, s),
                (1, _, Some(s)) => Responsible::Staff(Agency::Jugendamt, s),
                _ => Responsible::YoungPerson,
            };
            let owner_of_measure = match responsible {
                Responsible::Staff(a, _) => a,
                _ => owner,
            };
            let text = format!("Vereinbarung {k}/{i} Suchtberatung");
            // Recorded by the responsible caseworker's side, else by whoever works on it.
            let Some(by) = writer(owner_of_measure)
                .or_else(|| writer(owner))
                .or_else(|| writer(owner.partner()))
            else {
                continue;
            };
            store
                .add_measure(
                    by,
                    id,
                    &Measure {
                        id: 0,
                        text: text.clone(),
                        responsible,
                        due_on: today + Duration::days(30),
                        status: MeasureStatus::Open,
                        result: String::new(),
                    },
                )
                .unwrap();
            model.measures.push(MeasureModel {
                text,
                owner: owner_of_measure,
            });
        }

        // Conferences, requested by the owner's caseworker with a partner participant.
        for (i, (anonymised, pick)) in cs.conferences.iter().enumerate() {
            let Some(planner) = Oracle::assigned_of(&model, owner) else {
                continue;
            };
            let partner_pool = if owner == Agency::Jobcenter {
                ja_staff
            } else {
                jc_staff
            };
            let guest = Oracle::assigned_of(&model, owner.partner())
                .filter(|_| pick % 2 == 0)
                .unwrap_or(partner_pool[pick % partner_pool.len()].id);
            let planner_staff = people.iter().find(|s| s.id == planner).unwrap();
            let participant = |s: StaffId, a: Agency| Participant {
                staff: Some(s.0),
                external_name: String::new(),
                external_org: String::new(),
                agency: Some(a),
                role: ParticipantRole::Pap,
                invitation: Invitation::Invited,
                attendance: None,
                guardian: None,
            };
            let res = store.create_conference(
                planner_staff,
                &NewConference {
                    case_id: id,
                    kind: ConferenceKind::First,
                    question: format!("Konferenzfrage {k}/{i}"),
                    start: None,
                    duration_min: 60,
                    location: "Raum 1".into(),
                    anonymised: *anonymised,
                    participants: vec![
                        participant(planner, owner),
                        participant(guest, owner.partner()),
                    ],
                    topics: vec![],
                },
                today,
            );
            if let Ok(conf) = res {
                model.conferences.push(ConferenceModel {
                    id: conf,
                    anonymised: *anonymised,
                    staff: vec![planner, guest],
                    partner: vec![guest],
                });
            }
        }

        // Revocations, from a day in the past.
        let revoker = writer(owner).or_else(|| writer(owner.partner()));
        for (c, s) in model.consents.iter_mut().zip(&consent_specs) {
            if matches!(s.kind, ConsentKind::Revoked) {
                let on = (today - Duration::days(s.runs_on % 10)).max(c.signed_on);
                // Recorded only when someone works on the case (as the consent itself).
                let by = revoker.expect("a consent was recorded by a caseworker of the case");
                store
                    .revoke_consent(by, c, on, RevokedHow::Written)
                    .unwrap();
                c.status = ConsentStatus::Revoked;
                c.revoked_on = Some(on);
                c.revoked_how = Some(RevokedHow::Written);
                c.version += 1;
                model.revoked = true;
            }
        }

        // Notes by anyone the store lets write (docs/access.md A7); only the Jugendamt can
        // mark one entrusted (docs/domain.md 5.4).
        for (n, ns) in cs.notes.iter().enumerate() {
            let author = &people[ns.author % people.len()];
            let text = format!("Notiz {k}/{n} von {}", author.login);
            let minutes = i64::try_from(n).unwrap();
            let at = (today - Duration::days(ns.days_ago))
                .and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap())
                + Duration::minutes(minutes);
            if store
                .add_note_at(author, id, &text, ns.entrusted, at)
                .is_err()
            {
                continue;
            }
            model.notes.push(NoteModel {
                author: author.id,
                agency: author.agency,
                entrusted: ns.entrusted && author.agency == Agency::Jugendamt,
                text,
                at,
            });
        }

        // Break-glass requests; accepted only inside an agency that takes part.
        for g in &cs.grants {
            let who = &people[g % people.len()];
            let res = store.break_glass(
                who,
                id,
                BreakGlassReason::PersonAsked,
                "Anruf der jungen Person",
            );
            let allowed = works_on_cases(who) && Oracle::involves(&model, who.agency);
            match (&res, allowed) {
                (Ok(()), true) => {
                    model.grants.insert(who.id);
                    model.grant_agencies.push((who.id, who.agency));
                }
                (Ok(()), false) => {
                    bad_writes.push(format!("case {k}: break_glass accepted for {}", who.login));
                }
                (Err(e), true) => bad_writes.push(format!(
                    "case {k}: break_glass refused for {}: {e}",
                    who.login
                )),
                (Err(_), false) => {}
            }
        }
        cases.push(model);
    }

    // Case-form drafts of every assigned caseworker holding every person field as it was
    // before the revocations and deactivations below (docs/access.md A8): what is offered
    // later must hold only what its author may still read.
    for case in &cases {
        for author in [case.jc, case.ja].into_iter().flatten() {
            let values: BTreeMap<String, String> = PERSON_FIELDS
                .iter()
                .map(|f| (f.code().to_string(), value_of(&case.original, *f)))
                .collect();
            store
                .save_draft(
                    &SessionId::none(),
                    &Draft {
                        staff_id: author,
                        form: CASE_DRAFT.to_string(),
                        record_id: case.id.0,
                        base_version: case.original.version,
                        base_person_version: case.original.person.version,
                        values: values.clone(),
                        base_values: values,
                        updated_at: String::new(),
                    },
                )
                .unwrap();
        }
    }

    // Leavers and the set-up accounts become inactive.
    for (s, off) in people.iter().zip(&inactive) {
        if *off {
            store.set_staff_active(s.id, false).unwrap();
        }
    }
    for s in &all[all.len() - 2..] {
        store.set_staff_active(s.id, false).unwrap();
    }
    let staff = load(&store);
    World {
        store,
        staff,
        deputy,
        absent,
        cases,
        bad_writes,
    }
}

// ---------------------------------------------------------------------------------------
// Checking one world.

#[derive(Default)]
struct Figures {
    worlds: Cell<u64>,
    cases: Cell<u64>,
    staff: Cell<u64>,
    opens: Cell<u64>,
    refused: Cell<u64>,
    break_glass: Cell<u64>,
    field_checks: Cell<u64>,
    partner_fields_seen: Cell<u64>,
    note_checks: Cell<u64>,
    transfers: Cell<u64>,
    list_rows: Cell<u64>,
    deputies: Cell<u64>,
    record_checks: Cell<u64>,
}

fn bump(c: &Cell<u64>, by: u64) {
    c.set(c.get() + by);
}

fn audit_counts(store: &Store, id: CaseId) -> (usize, usize) {
    let rows = store.audit_rows_for(object::CASE, id.0).unwrap();
    let n = |a: &str| rows.iter().filter(|r| r.action == a).count();
    (n("view"), n("refused"))
}

/// Every mismatch between the store and the oracle in `world`.
fn check_world(world: &World, today: NaiveDate, fig: &Figures) -> Vec<String> {
    let oracle = Oracle {
        staff: &world.staff,
        deputy: &world.deputy,
        absent: &world.absent,
    };
    let mut bad: Vec<String> = world.bad_writes.clone();
    let store = &world.store;
    bump(&fig.worlds, 1);
    bump(&fig.cases, world.cases.len() as u64);
    bump(&fig.staff, world.staff.len() as u64);
    for case in &world.cases {
        bump(&fig.transfers, case.transfers.len() as u64);
    }
    for viewer in &world.staff {
        for case in &world.cases {
            let who = format!(
                "{} {:?} active={} → case {}",
                viewer.login, viewer.roles, viewer.active, case.id.0
            );
            let expected = oracle.access(viewer, case);
            // Open the file as the application does: the logged open, then the view.
            let (views_before, refused_before) = audit_counts(store, case.id);
            let opened = store.open_case_file(viewer, case.id);
            let file = store.case_file(viewer, case.id, today);
            let (views_after, refused_after) = audit_counts(store, case.id);
            bump(&fig.opens, 1);
            if expected == Access::Refused {
                bump(&fig.refused, 1);
                if !matches!(opened, Err(StorageError::NotFound)) {
                    bad.push(format!(
                        "{who}: open_case_file should be refused, got {:?}",
                        opened.map(|c| c.id)
                    ));
                }
                match &file {
                    Err(StorageError::NotFound) => {}
                    Err(e) => bad.push(format!("{who}: case_file should be NotFound, got {e}")),
                    Ok(v) => bad.push(format!(
                        "{who}: case_file should be refused, opened as {:?} (hidden {:?})",
                        v.relation, v.hidden
                    )),
                }
                if (views_after - views_before, refused_after - refused_before) != (0, 1) {
                    bad.push(format!(
                        "{who}: a refused opening must leave exactly one `refused` audit row, got {} refused, {} view",
                        refused_after - refused_before,
                        views_after - views_before
                    ));
                }
                continue;
            }
            if expected == Access::BreakGlass {
                bump(&fig.break_glass, 1);
            }
            if expected == Access::Deputy {
                bump(&fig.deputies, 1);
            }
            if (views_after - views_before, refused_after - refused_before) != (1, 0) {
                bad.push(format!(
                    "{who}: an opening must leave exactly one `view` audit row, got {} view, {} refused",
                    views_after - views_before,
                    refused_after - refused_before
                ));
            }
            if let Err(e) = &opened {
                bad.push(format!(
                    "{who}: open_case_file refused ({e}) though the oracle opens as {expected:?}"
                ));
            }
            let view = match file {
                Ok(v) => v,
                Err(e) => {
                    bad.push(format!(
                        "{who}: case_file refused ({e}) though the oracle opens as {expected:?}"
                    ));
                    continue;
                }
            };
            check_view(
                &oracle, viewer, case, expected, &view, today, &who, fig, &mut bad,
            );
        }
        // Conference reads take today from the store's clock (Berlin), not from the world.
        let clock_today = tandem::domain::tz::to_local(chrono::Utc::now()).date();
        for case in &world.cases {
            check_conferences(&oracle, store, viewer, case, clock_today, fig, &mut bad);
        }
        // Drafts are re-checked on the store's clock too.
        check_drafts(&oracle, world, viewer, clock_today, fig, &mut bad);
        check_list(&oracle, world, viewer, today, fig, &mut bad);
    }
    bad
}

#[allow(clippy::too_many_arguments, reason = "one check with its context")]
fn check_view(
    oracle: &Oracle<'_>,
    viewer: &Staff,
    case: &CaseModel,
    expected: Access,
    view: &CaseFileView,
    today: NaiveDate,
    who: &str,
    fig: &Figures,
    bad: &mut Vec<String>,
) {
    let want_relation = match expected {
        Access::Assigned => Relation::Assigned,
        Access::Deputy => Relation::Deputy,
        Access::Lead => Relation::Lead,
        Access::BreakGlass => Relation::BreakGlass,
        Access::Refused => Relation::None,
    };
    if view.relation != want_relation {
        bad.push(format!(
            "{who}: relation {:?}, oracle {want_relation:?}",
            view.relation
        ));
    }
    // Person fields.
    for field in PERSON_FIELDS {
        bump(&fig.field_checks, 1);
        let readable = oracle.field_readable(viewer, expected, case, field, today);
        let partner = owner_of(field, case.owner) != viewer.agency;
        let shown = value_of(&view.case, field);
        let original = value_of(&case.original, field);
        if readable {
            if partner {
                bump(&fig.partner_fields_seen, 1);
            }
            if shown != original {
                bad.push(format!(
                    "{who}: {field:?} missing (shows {shown:?}, oracle allows it)"
                ));
            }
            if view.hidden.contains(&field) {
                bad.push(format!("{who}: {field:?} listed as hidden though readable"));
            }
            if partner != view.received.contains(&field) {
                bad.push(format!(
                    "{who}: {field:?} received={} but partner-owned={partner}",
                    !partner
                ));
            }
        } else {
            // An empty original (the partner's number when the partner has nobody on the
            // case) cannot leak.
            if shown == original && !original.is_empty() {
                bad.push(format!(
                    "{who}: LEAK {field:?} = {shown:?} ({expected:?}, oracle denies)"
                ));
            }
            if !view.hidden.contains(&field) {
                bad.push(format!(
                    "{who}: {field:?} not listed as hidden though the oracle denies it"
                ));
            }
            if view.received.contains(&field) {
                bad.push(format!(
                    "{who}: LEAK {field:?} listed as received though the oracle denies it"
                ));
            }
        }
    }
    check_records(viewer, case, expected, view, today, who, fig, bad);
    // Custody holders and children.
    let family = Oracle::family_readable(viewer, expected, case, today);
    match (&view.guardians, family) {
        (Some(g), false) if !g.is_empty() => bad.push(format!(
            "{who}: LEAK {} custody holder(s) of a {:?}-owned case shown to {:?} ({expected:?}) without a transfer",
            g.len(),
            case.owner,
            viewer.agency
        )),
        (Some(g), true) if g.len() != case.guardians => {
            bad.push(format!("{who}: {} of {} custody holders shown", g.len(), case.guardians));
        }
        (None, true) if viewer.agency == case.owner || case.guardians > 0 => {
            bad.push(format!("{who}: custody holders missing ({expected:?})"));
        }
        _ => {}
    }
    match (&view.children, family) {
        (Some(c), false) if !c.is_empty() => bad.push(format!(
            "{who}: LEAK {} child(ren) of a {:?}-owned case shown to {:?} ({expected:?}) without a transfer",
            c.len(),
            case.owner,
            viewer.agency
        )),
        (Some(c), true) if c.len() != case.children => {
            bad.push(format!("{who}: {} of {} children shown", c.len(), case.children));
        }
        (None, true) if viewer.agency == case.owner || case.children > 0 => {
            bad.push(format!("{who}: children missing ({expected:?})"));
        }
        _ => {}
    }
    // Notes.
    let shown: BTreeSet<&str> = view.notes.iter().map(|n| n.text.as_str()).collect();
    for note in &case.notes {
        bump(&fig.note_checks, 1);
        let readable = Oracle::note_readable(viewer, expected, note);
        let seen = shown.contains(note.text.as_str());
        if seen && !readable {
            bad.push(format!(
                "{who}: LEAK note {:?} (entrusted {}, by {:?} of {:?}) readable ({expected:?})",
                note.text, note.entrusted, note.author, note.agency
            ));
        }
        if readable && !seen {
            bad.push(format!(
                "{who}: note {:?} missing ({expected:?})",
                note.text
            ));
        }
    }
    // Withheld notes: only dates of entrusted notes of the own agency; a lead gets them all.
    let mut allowed_dates: Vec<NaiveDateTime> = case
        .notes
        .iter()
        .filter(|n| n.entrusted && n.agency == viewer.agency && n.author != viewer.id)
        .map(|n| n.at)
        .collect();
    allowed_dates.sort();
    let mut withheld = view.withheld_notes.clone();
    withheld.sort();
    let mut rest = allowed_dates.clone();
    for d in &withheld {
        if let Some(i) = rest.iter().position(|x| x == d) {
            rest.remove(i);
        } else {
            bad.push(format!(
                "{who}: LEAK withheld-note date {d} that is no entrusted note of the own agency"
            ));
        }
    }
    if expected == Access::Lead && withheld != allowed_dates {
        bad.push(format!(
            "{who}: lead sees withheld dates {withheld:?}, expected {allowed_dates:?}"
        ));
    }
}

/// Measures, consent records, transfer receipts and break-glass grants of the case file
/// (docs/access.md A3, A4).
#[allow(clippy::too_many_arguments, reason = "one check with its context")]
fn check_records(
    viewer: &Staff,
    case: &CaseModel,
    expected: Access,
    view: &CaseFileView,
    today: NaiveDate,
    who: &str,
    fig: &Figures,
    bad: &mut Vec<String>,
) {
    // Measures.
    let shown: BTreeSet<&str> = view.measures.iter().map(|m| m.text.as_str()).collect();
    for m in &case.measures {
        bump(&fig.record_checks, 1);
        let readable = Oracle::measure_readable(viewer, expected, case, m.owner, today);
        let seen = shown.contains(m.text.as_str());
        if seen && !readable {
            bad.push(format!(
                "{who}: LEAK measure {:?} of {:?} shown to {:?} ({expected:?})",
                m.text, m.owner, viewer.agency
            ));
        } else if readable && !seen {
            bad.push(format!(
                "{who}: measure {:?} missing ({expected:?})",
                m.text
            ));
        }
    }
    // Consent records, and who declared them only with a readable birth date.
    let birth_readable = view.case.person.birth_date == case.birth;
    for c in &case.consents {
        bump(&fig.record_checks, 1);
        let readable = Oracle::consent_readable(viewer, expected, case, c, today);
        let seen = view.consents.iter().find(|x| x.id == c.id);
        match (seen, readable) {
            (Some(_), false) => bad.push(format!(
                "{who}: LEAK consent {} recorded by {:?} shown to {:?} ({expected:?}, status {:?})",
                c.id.0, c.recorded_by, viewer.agency, c.status
            )),
            (None, true) => bad.push(format!("{who}: consent {} missing", c.id.0)),
            (Some(x), true) => {
                if !birth_readable
                    && c.recorded_by != viewer.agency
                    && (x.declared_by != DeclaredBy::YoungPerson
                        || x.representation_reason.is_some()
                        || x.insight_checked)
                {
                    bad.push(format!(
                        "{who}: LEAK consent {} tells who declared it ({:?}) though the birth date is withheld",
                        c.id.0, x.declared_by
                    ));
                }
            }
            (None, false) => {}
        }
    }
    // Transfer receipts.
    for t in &case.transfers {
        bump(&fig.record_checks, 1);
        let readable = Oracle::transfer_readable(viewer, expected, case, t, today);
        let seen = view.transfers.iter().any(|x| x.id == t.id);
        if seen && !readable {
            bad.push(format!(
                "{who}: LEAK transfer receipt {} ({:?} → {:?}, {:?}) shown ({expected:?})",
                t.id, t.from, t.to, t.basis
            ));
        } else if readable && !seen {
            bad.push(format!(
                "{who}: transfer receipt {} missing ({expected:?})",
                t.id
            ));
        }
    }
    // Break-glass grants: the grantee's own agency (assigned, deputy, lead) sees them.
    let want: BTreeSet<StaffId> =
        if matches!(expected, Access::Assigned | Access::Deputy | Access::Lead) {
            case.grant_agencies
                .iter()
                .filter(|(_, a)| *a == viewer.agency)
                .map(|(s, _)| *s)
                .collect()
        } else {
            BTreeSet::new()
        };
    let got: BTreeSet<StaffId> = view.grants.iter().map(|(s, _, _)| *s).collect();
    if got != want {
        bad.push(format!(
            "{who}: break-glass grants shown {got:?}, the oracle shows {want:?} ({expected:?})"
        ));
    }
}

/// Drafts offered to `viewer` hold only person fields the viewer may read now
/// (docs/access.md A8).
fn check_drafts(
    oracle: &Oracle<'_>,
    world: &World,
    viewer: &Staff,
    today: NaiveDate,
    fig: &Figures,
    bad: &mut Vec<String>,
) {
    for (_, draft) in world.store.drafts_offered(viewer).unwrap() {
        if draft.staff_id != viewer.id {
            bad.push(format!(
                "{}: LEAK another person's draft offered",
                viewer.login
            ));
        }
        if draft.form != CASE_DRAFT {
            continue;
        }
        let Some(case) = world.cases.iter().find(|c| c.id.0 == draft.record_id) else {
            continue;
        };
        let access = oracle.access(viewer, case);
        for field in PERSON_FIELDS {
            bump(&fig.record_checks, 1);
            let value = value_of(&case.original, field);
            let kept = draft.values.get(field.code()).is_some_and(|v| *v == value)
                || draft
                    .base_values
                    .get(field.code())
                    .is_some_and(|v| *v == value);
            if kept
                && !value.is_empty()
                && !oracle.field_readable(viewer, access, case, field, today)
            {
                bad.push(format!(
                    "{}: LEAK draft of case {} still holds {field:?} ({access:?})",
                    viewer.login, case.id.0
                ));
            }
        }
    }
}

/// Conference content (docs/access.md A4) and cancellation after a revocation (A5).
fn check_conferences(
    oracle: &Oracle<'_>,
    store: &Store,
    viewer: &Staff,
    case: &CaseModel,
    today: NaiveDate,
    fig: &Figures,
    bad: &mut Vec<String>,
) {
    let listed: BTreeSet<i64> = store
        .conferences_for(
            viewer,
            today - Duration::days(400),
            today + Duration::days(400),
        )
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    for conf in &case.conferences {
        bump(&fig.record_checks, 1);
        let who = format!(
            "{} {:?} → conference {} of case {}",
            viewer.login, viewer.roles, conf.id, case.id.0
        );
        let readable = oracle.conference_readable(viewer, case, conf, today);
        let got = store.conference(viewer, conf.id);
        match (&got, readable) {
            (Ok(row), false) => bad.push(format!(
                "{who}: LEAK conference (question {:?}, {} participants) shown",
                row.question,
                row.participants.len()
            )),
            (Err(StorageError::NotFound), true) => bad.push(format!("{who}: conference missing")),
            (Err(e), _) if !matches!(e, StorageError::NotFound) => {
                bad.push(format!("{who}: conference read failed: {e}"));
            }
            _ => {}
        }
        if listed.contains(&conf.id) != readable {
            bad.push(format!(
                "{who}: in the conference list {} though readable {readable}",
                listed.contains(&conf.id)
            ));
        }
        if readable {
            // The agenda carries the case's open measures, as far as the reader may see them.
            let access = match oracle.access(viewer, case) {
                Access::Refused => Access::Assigned,
                a => a,
            };
            let (carried, _) = store.conference_agenda(viewer, conf.id).unwrap();
            let shown: BTreeSet<&str> = carried.iter().map(|m| m.measure.text.as_str()).collect();
            for m in &case.measures {
                let may = Oracle::measure_readable(viewer, access, case, m.owner, today);
                if shown.contains(m.text.as_str()) != may {
                    bad.push(format!(
                        "{who}: agenda shows measure {:?} of {:?}: {} though readable {may}",
                        m.text,
                        m.owner,
                        shown.contains(m.text.as_str())
                    ));
                }
            }
        }
        if let Ok(row) = got {
            // A5: planned, not anonymised, a consent revoked and none in force covering every
            // partner participant → cancelled.
            let covered = case.consents.iter().any(|c| {
                in_force(c, case.birth, today)
                    && c.purposes.contains(&Purpose::Conference)
                    && c.categories.contains(&DataCategory::MasterData)
                    && conf.partner.iter().all(|p| {
                        let agency = oracle.staff.iter().find(|s| s.id == *p).map(|s| s.agency);
                        agency.is_some_and(|a| c.recipient_agencies.contains(&a))
                            && (c.recipient_staff.is_empty() || c.recipient_staff.contains(p))
                    })
            });
            let want_cancelled = !conf.anonymised && case.revoked && !covered;
            if want_cancelled != (row.status == ConferenceStatus::Cancelled) {
                bad.push(format!(
                    "{who}: status {:?} after revocation {} (covered by another consent: {covered})",
                    row.status, case.revoked
                ));
            }
        }
    }
}

/// The case list (own caseload; a lead sees the agency) must not show a case the viewer
/// cannot open, nor a name or birth date the viewer may not read.
fn check_list(
    oracle: &Oracle<'_>,
    world: &World,
    viewer: &Staff,
    today: NaiveDate,
    fig: &Figures,
    bad: &mut Vec<String>,
) {
    for scope in [ListScope::Caseload, ListScope::Agency] {
        check_list_scope(oracle, world, viewer, today, scope, fig, bad);
    }
}

/// One scope of the list: a caseworker's list is their caseload (assigned, deputy of an
/// absent colleague, break-glass) in either scope; a lead's is every case the agency is
/// party to (docs/access.md A6).
#[allow(clippy::too_many_arguments, reason = "one check with its context")]
fn check_list_scope(
    oracle: &Oracle<'_>,
    world: &World,
    viewer: &Staff,
    today: NaiveDate,
    scope: ListScope,
    fig: &Figures,
    bad: &mut Vec<String>,
) {
    let query = ListQuery {
        today,
        scope,
        ..ListQuery::default()
    };
    let rows: Vec<CaseRow> = world
        .store
        .case_page(viewer, &query, &PageAnchor::First, 100)
        .unwrap();
    let listed: BTreeSet<CaseId> = rows.iter().map(|r| r.id).collect();
    let count = world.store.case_count(viewer, &query).unwrap();
    if count != rows.len() {
        bad.push(format!(
            "list ({scope:?}) of {}: count {count} but {} rows",
            viewer.login,
            rows.len()
        ));
    }
    // A search by a surname finds the case only when the viewer may read that surname.
    for case in &world.cases {
        let word = case.original.person.surname.to_lowercase();
        if word.is_empty() {
            continue;
        }
        let search = ListQuery {
            filter: word.clone(),
            ..query.clone()
        };
        let hits: BTreeSet<CaseId> = world
            .store
            .case_page(viewer, &search, &PageAnchor::First, 100)
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        let n = world.store.case_count(viewer, &search).unwrap();
        bump(&fig.record_checks, 1);
        let access = oracle.access(viewer, case);
        // A name is shown and found whole: both name fields readable (docs/access.md A6).
        let want = access != Access::Refused
            && oracle.field_readable(viewer, access, case, Field::Surname, today)
            && oracle.field_readable(viewer, access, case, Field::GivenNames, today);
        if hits.contains(&case.id) != want {
            bad.push(format!(
                "search ({scope:?}) of {} {:?} for {word:?}: hit {} though readable {want} ({access:?})",
                viewer.login,
                viewer.roles,
                hits.contains(&case.id)
            ));
        }
        if n != hits.len() {
            bad.push(format!(
                "search ({scope:?}) of {} for {word:?}: count {n} but {} hits",
                viewer.login,
                hits.len()
            ));
        }
        for other in &hits {
            if *other != case.id
                && !world.cases.iter().any(|c| {
                    c.id == *other && c.original.person.surname.to_lowercase().starts_with(&word)
                })
            {
                bad.push(format!(
                    "search ({scope:?}) of {} for {word:?}: LEAK hit case {} by a word it may not read",
                    viewer.login, other.0
                ));
            }
        }
    }
    for case in &world.cases {
        let access = oracle.access(viewer, case);
        let want = match access {
            Access::Refused => false,
            Access::Lead => true,
            Access::Assigned | Access::Deputy | Access::BreakGlass => true,
        };
        // A lead who is also assigned sees the agency list; a caseworker never does.
        if want && !listed.contains(&case.id) {
            bad.push(format!(
                "list ({scope:?}) of {} {:?}: case {} missing ({access:?})",
                viewer.login, viewer.roles, case.id.0
            ));
        }
    }
    for row in rows {
        bump(&fig.list_rows, 1);
        let case = world.cases.iter().find(|c| c.id == row.id).unwrap();
        let who = format!(
            "list of {} {:?} → case {}",
            viewer.login, viewer.roles, row.id.0
        );
        let access = oracle.access(viewer, case);
        if access == Access::Refused {
            bad.push(format!(
                "{who}: LEAK case listed ({scope:?}) though the oracle refuses it (name {:?})",
                row.name
            ));
            continue;
        }
        let readable = |f| oracle.field_readable(viewer, access, case, f, today);
        let p = &case.original.person;
        if let Some(name) = &row.name {
            if name.contains(&p.surname) && !readable(Field::Surname) {
                bad.push(format!(
                    "{who}: LEAK surname in {name:?} though not readable ({access:?})"
                ));
            }
            if name.contains(&p.given_names) && !readable(Field::GivenNames) {
                bad.push(format!(
                    "{who}: LEAK given names in {name:?} though not readable ({access:?})"
                ));
            }
        }
        let both = readable(Field::Surname) && readable(Field::GivenNames);
        if both && row.name.as_deref() != Some(p.display_name().as_str()) {
            bad.push(format!(
                "{who}: name missing though readable ({access:?}): {:?}",
                row.name
            ));
        }
        if row.birth_date.is_some() && !readable(Field::BirthDate) {
            bad.push(format!(
                "{who}: LEAK birth date {:?} shown though not readable ({access:?})",
                row.birth_date
            ));
        }
        if row.birth_date.is_none() && readable(Field::BirthDate) {
            bad.push(format!(
                "{who}: birth date missing though readable ({access:?})"
            ));
        }
    }
}

/// Worlds per run: 256 (a debug run of all 256 takes about 4 s on two cores).
const WORLDS: u32 = 256;

#[test]
#[allow(
    clippy::print_stderr,
    reason = "the figures of the run are part of the report"
)]
fn access_matrix_property() {
    let today = support::today();
    let fig = Figures::default();
    let started = Instant::now();
    let mut runner = TestRunner::new(Config {
        cases: WORLDS,
        failure_persistence: None,
        max_shrink_iters: 400,
        ..Config::default()
    });
    let result = runner.run(&world_spec(), |spec| {
        let world = build(&spec, today);
        let bad = check_world(&world, today, &fig);
        if bad.is_empty() {
            Ok(())
        } else {
            let mut msg = format!("{} mismatch(es) with the oracle:\n", bad.len());
            for b in bad.iter().take(40) {
                let _ = writeln!(msg, "  {b}");
            }
            Err(TestCaseError::fail(msg))
        }
    });
    eprintln!(
        "access_matrix_property: {} worlds, {} cases, {} staff, {} (staff, case) openings \
         ({} refused, {} break-glass), {} field checks ({} partner fields seen), {} note checks, \
         {} transfers recorded, {} list rows, {} deputy openings, {} record checks \
         (measures, consents, receipts, conferences), {:.1} s",
        fig.worlds.get(),
        fig.cases.get(),
        fig.staff.get(),
        fig.opens.get(),
        fig.refused.get(),
        fig.break_glass.get(),
        fig.field_checks.get(),
        fig.partner_fields_seen.get(),
        fig.note_checks.get(),
        fig.transfers.get(),
        fig.list_rows.get(),
        fig.deputies.get(),
        fig.record_checks.get(),
        started.elapsed().as_secs_f64()
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// The same worlds without shrinking or stopping: every difference from the oracle is
/// counted, by kind. Used to show how far the store is from the rules (the closing notes
/// quote its figures); fails when any difference is found.
#[test]
#[allow(
    clippy::print_stderr,
    reason = "the figures of the run are part of the report"
)]
fn access_oracle_difference_count() {
    use proptest::strategy::ValueTree as _;
    let today = support::today();
    let fig = Figures::default();
    let mut runner = TestRunner::deterministic();
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    let mut total = 0;
    for _ in 0..WORLDS {
        let spec = world_spec().new_tree(&mut runner).unwrap().current();
        let world = build(&spec, today);
        for b in check_world(&world, today, &fig) {
            total += 1;
            *by_kind.entry(difference_kind(&b)).or_default() += 1;
        }
    }
    eprintln!("access_oracle_difference_count: {total} difference(s) in {WORLDS} worlds");
    for (kind, n) in &by_kind {
        eprintln!("  {n:6}  {kind}");
    }
    assert_eq!(total, 0, "differences from the oracle: {by_kind:?}");
}

/// A difference's kind: its text without names and numbers.
fn difference_kind(text: &str) -> String {
    let after = text.split_once(": ").map_or(text, |(_, rest)| rest);
    let mut out = String::new();
    for word in after.split_whitespace().take(6) {
        if word.chars().any(|c| c.is_ascii_digit()) {
            out.push_str("# ");
        } else {
            out.push_str(word);
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

// ---------------------------------------------------------------------------------------
// The demo data.

/// Creates `case` the way the rules allow (docs/access.md A7): the owner's person writes
/// its own fields and names both caseworkers; the partner's caseworker then fills the
/// partner's own numbers. `case` is left as stored (partner numbers empty when the partner
/// has nobody on the case).
fn create_both_sides(
    store: &Store,
    creator: &Staff,
    staff: &[Staff],
    case: &mut CoopCase,
) -> CaseId {
    let full = case.clone();
    let own = support::creatable(case, creator.agency);
    let id = store.create_case(creator, &own).unwrap();
    *case = own;
    case.id = id;
    let partner = match creator.agency {
        Agency::Jobcenter => case.ja_staff,
        Agency::Jugendamt => case.jc_staff,
    };
    let partner = partner.and_then(|p| staff.iter().find(|s| s.id == p));
    // A partner "caseworker" without a caseworker role (a DSB, an administrator) cannot
    // open the case; the partner's numbers stay empty then.
    if let Some((partner, mut stored)) =
        partner.and_then(|p| store.load_case(p, id).ok().map(|c| (p, c)))
    {
        stored
            .person
            .jc_customer_no
            .clone_from(&full.person.jc_customer_no);
        stored.person.bg_no.clone_from(&full.person.bg_no);
        stored.person.ja_file_no.clone_from(&full.person.ja_file_no);
        store.update_case(partner, &stored).unwrap();
        let reloaded = store.load_case(partner, id).unwrap();
        *case = reloaded;
    }
    id
}

/// Records an absence of `id` around today (the store's clock), so their deputy stands in.
fn away_today(store: &Store, id: StaffId) {
    let now = tandem::domain::tz::to_local(chrono::Utc::now()).date();
    let today = support::today();
    store
        .add_absence(
            id,
            today.min(now) - Duration::days(1),
            today.max(now) + Duration::days(1),
        )
        .unwrap();
}

fn me(store: &Store, login: &str) -> Staff {
    store.staff_by_login(login).unwrap().expect("demo login")
}

fn staff(store: &Store, id: StaffId) -> Staff {
    store.staff_by_id(id).unwrap().expect("staff exists")
}

/// Every case of the demo (the two leads together see every case of both agencies).
fn all_cases(store: &Store) -> Vec<CaseId> {
    let query = ListQuery {
        today: support::today(),
        ..ListQuery::default()
    };
    let mut ids = BTreeSet::new();
    for lead in ["schwering", "tueshaus"] {
        let lead = me(store, lead);
        for row in store
            .case_page(&lead, &query, &PageAnchor::First, 10_000)
            .unwrap()
        {
            ids.insert(row.id);
        }
    }
    ids.into_iter().collect()
}

fn fields_owned_by(agency: Agency, owner: Agency) -> Vec<Field> {
    PERSON_FIELDS
        .into_iter()
        .filter(|f| owner_of(*f, owner) == agency)
        .collect()
}

fn sorted(mut v: Vec<Field>) -> Vec<Field> {
    v.sort_by_key(|f| PERSON_FIELDS.iter().position(|p| p == f));
    v
}

#[test]
fn jobcenter_and_jugendamt_see_different_field_sets_and_revocation_hides_partner_fields() {
    let store = support::demo_store();
    let today = support::today();
    // A case with both caseworkers, one granted consent in force for both agencies that
    // covers every person field's category and names nobody, and transfers both ways
    // under it.
    let wanted = [
        DataCategory::MasterData,
        DataCategory::Benefits,
        DataCategory::Measures,
    ];
    let mut found = None;
    for id in all_cases(&store) {
        let lead = me(&store, "schwering");
        let Ok(v) = store.case_file(&lead, id, today) else {
            continue;
        };
        let (Some(jc), Some(ja)) = (v.case.jc_staff, v.case.ja_staff) else {
            continue;
        };
        let birth = v.case.person.birth_date;
        let Some(c) = v.consents.iter().find(|c| {
            in_force(c, birth, today)
                && c.recipient_staff.is_empty()
                && c.recipient_agencies.contains(&Agency::Jobcenter)
                && c.recipient_agencies.contains(&Agency::Jugendamt)
                && wanted.iter().all(|w| c.categories.contains(w))
        }) else {
            continue;
        };
        let both_ways = Agency::ALL.iter().all(|to| {
            v.transfers
                .iter()
                .any(|t| t.to == *to && t.basis == TransferBasis::Consent(c.id))
        });
        if both_ways && v.consents.len() == 1 {
            found = Some((
                id,
                staff(&store, jc),
                staff(&store, ja),
                c.clone(),
                v.case.owner,
            ));
            break;
        }
    }
    let (id, jc, ja, consent, owner) =
        found.expect("the demo has a case with consent and transfers both ways");
    let jc_own = fields_owned_by(Agency::Jobcenter, owner);
    let ja_own = fields_owned_by(Agency::Jugendamt, owner);
    assert!(!jc_own.is_empty() && !ja_own.is_empty());

    let jc_view = store.case_file(&jc, id, today).unwrap();
    let ja_view = store.case_file(&ja, id, today).unwrap();
    assert_eq!(jc_view.relation, Relation::Assigned);
    assert_eq!(ja_view.relation, Relation::Assigned);
    // Before the revocation each side sees its own fields and receives the partner's.
    assert_eq!(
        sorted(jc_view.received.clone()),
        ja_own,
        "JC receives the JA-owned fields"
    );
    assert_eq!(
        sorted(ja_view.received.clone()),
        jc_own,
        "JA receives the JC-owned fields"
    );
    assert!(
        jc_view.hidden.is_empty(),
        "JC hides nothing: {:?}",
        jc_view.hidden
    );
    assert!(
        ja_view.hidden.is_empty(),
        "JA hides nothing: {:?}",
        ja_view.hidden
    );
    assert_ne!(jc_view.received, ja_view.received);
    for f in PERSON_FIELDS {
        assert_eq!(
            value_of(&jc_view.case, f),
            value_of(&ja_view.case, f),
            "{f:?} the same on both sides"
        );
    }
    let partner = if owner == Agency::Jobcenter { &ja } else { &jc };
    let query = ListQuery {
        today,
        ..ListQuery::default()
    };
    let row = |who: &Staff| {
        store
            .case_page(who, &query, &PageAnchor::First, 10_000)
            .unwrap()
            .into_iter()
            .find(|r| r.id == id)
            .expect("the case is in the caseload")
    };
    assert!(
        row(partner).name.is_some(),
        "transferred name shown in the partner's list"
    );

    // The young person revokes; from that moment the partner fields are gone on both sides.
    store
        .revoke_consent(&jc, &consent, today, RevokedHow::Written)
        .unwrap();
    let jc_after = store.case_file(&jc, id, today).unwrap();
    let ja_after = store.case_file(&ja, id, today).unwrap();
    assert!(
        jc_after.received.is_empty(),
        "JC receives nothing: {:?}",
        jc_after.received
    );
    assert!(
        ja_after.received.is_empty(),
        "JA receives nothing: {:?}",
        ja_after.received
    );
    assert_eq!(
        sorted(jc_after.hidden.clone()),
        ja_own,
        "JA-owned fields hidden from JC"
    );
    assert_eq!(
        sorted(ja_after.hidden.clone()),
        jc_own,
        "JC-owned fields hidden from JA"
    );
    // Own values stay; partner values are gone (a value that was empty anyway stays empty).
    let gone = |after: &CoopCase, before: &CoopCase, f: Field| {
        value_of(before, f).is_empty() || value_of(after, f) != value_of(before, f)
    };
    for f in &jc_own {
        assert_eq!(
            value_of(&jc_after.case, *f),
            value_of(&jc_view.case, *f),
            "JC keeps its {f:?}"
        );
        assert!(gone(&ja_after.case, &ja_view.case, *f), "JA loses {f:?}");
    }
    for f in &ja_own {
        assert_eq!(
            value_of(&ja_after.case, *f),
            value_of(&ja_view.case, *f),
            "JA keeps its {f:?}"
        );
        assert!(gone(&jc_after.case, &jc_view.case, *f), "JC loses {f:?}");
    }
    let partner_row = row(partner);
    assert_eq!(
        partner_row.name, None,
        "no name of a partner-owned case after the revocation"
    );
    assert_eq!(partner_row.birth_date, None, "no birth date either");
    let owner_side = if owner == Agency::Jobcenter { &jc } else { &ja };
    assert!(row(owner_side).name.is_some(), "the owner keeps the name");
}

#[test]
fn entrusted_note_is_for_its_author_only() {
    let store = support::demo_store();
    let today = support::today();
    let ja_lead = me(&store, "tueshaus");
    // The lead learns of the note's existence only: find it by its withheld date.
    let mut found = None;
    for id in all_cases(&store) {
        if let Ok(v) = store.case_file(&ja_lead, id, today)
            && !v.withheld_notes.is_empty()
        {
            assert!(found.is_none(), "the demo has one entrusted note");
            found = Some((id, v));
        }
    }
    let (id, lead_view) = found.expect("the demo has an entrusted note");
    assert_eq!(lead_view.relation, Relation::Lead);
    assert_eq!(lead_view.withheld_notes.len(), 1);
    assert!(
        lead_view.notes.iter().all(|n| !n.entrusted),
        "the lead reads no entrusted note"
    );

    let author = staff(
        &store,
        lead_view
            .case
            .ja_staff
            .expect("written by the assigned JA worker"),
    );
    let author_view = store.case_file(&author, id, today).unwrap();
    let notes: Vec<_> = author_view.notes.iter().filter(|n| n.entrusted).collect();
    assert_eq!(notes.len(), 1, "the author reads it");
    let note = notes[0];
    assert_eq!(note.author, author.id);
    assert!(!note.text.is_empty());
    assert_eq!(
        lead_view.withheld_notes,
        vec![note.at],
        "the lead sees only its date"
    );

    // The author's deputy, standing in while the author is away, opens the case but not
    // the note.
    let deputy = staff(
        &store,
        author_view.deputies.1.expect("the author has a deputy"),
    );
    away_today(&store, author.id);
    let deputy_view = store.case_file(&deputy, id, today).unwrap();
    assert_eq!(deputy_view.relation, Relation::Deputy);
    assert!(
        deputy_view
            .notes
            .iter()
            .all(|n| n.id != note.id && n.text != note.text)
    );

    // The Jobcenter side: neither the note nor that it exists.
    let mut jc_side = vec![me(&store, "schwering")];
    if let Some(jc) = lead_view.case.jc_staff {
        jc_side.push(staff(&store, jc));
    }
    for jc in &jc_side {
        match store.case_file(jc, id, today) {
            Ok(v) => {
                assert!(
                    v.notes
                        .iter()
                        .all(|n| n.id != note.id && n.text != note.text),
                    "{}",
                    jc.login
                );
                assert!(
                    v.withheld_notes.is_empty(),
                    "{} learns nothing of JA notes",
                    jc.login
                );
            }
            Err(StorageError::NotFound) => {}
            Err(e) => panic!("{e}"),
        }
    }
    // Break-glass inside the Jugendamt does not open it either.
    let other = store
        .caseworkers(Agency::Jugendamt)
        .unwrap()
        .into_iter()
        .find(|s| s.id != author.id && s.id != deputy.id && !s.has_role(Role::Lead))
        .expect("another JA caseworker");
    assert!(matches!(
        store.case_file(&other, id, today),
        Err(StorageError::NotFound)
    ));
    store
        .break_glass(
            &other,
            id,
            BreakGlassReason::ChildProtection,
            "Kinderschutz-Eilfall",
        )
        .unwrap();
    let glass = store.case_file(&other, id, today).unwrap();
    assert_eq!(glass.relation, Relation::BreakGlass);
    assert!(
        glass
            .notes
            .iter()
            .all(|n| n.id != note.id && n.text != note.text)
    );
    // The DSB and the administrator: nothing at all.
    for login in ["kloeckner", "rademacher"] {
        assert!(
            matches!(
                store.case_file(&me(&store, login), id, today),
                Err(StorageError::NotFound)
            ),
            "{login}"
        );
    }
    // When the author leaves, the note stays locked (and the author sees nothing either).
    store.set_staff_active(author.id, false).unwrap();
    let gone = staff(&store, author.id);
    assert!(matches!(
        store.case_file(&gone, id, today),
        Err(StorageError::NotFound)
    ));
    let lead_later = store.case_file(&ja_lead, id, today).unwrap();
    assert_eq!(lead_later.withheld_notes, vec![note.at]);
    assert!(lead_later.notes.iter().all(|n| n.id != note.id));
}

#[test]
fn break_glass_never_crosses_agencies() {
    let store = support::demo_store();
    let today = support::today();
    let cases = all_cases(&store);
    let jc_lead = me(&store, "schwering");

    // A Jobcenter case with both sides assigned, a consent and transfers both ways, and a
    // Jobcenter caseworker with no relation to it.
    let jc_workers = store.caseworkers(Agency::Jobcenter).unwrap();
    let mut found = None;
    'cases: for id in &cases {
        let Ok(v) = store.case_file(&jc_lead, *id, today) else {
            continue;
        };
        if v.case.owner != Agency::Jobcenter || v.case.ja_staff.is_none() || v.received.is_empty() {
            continue;
        }
        for w in &jc_workers {
            if Some(w.id) != v.case.jc_staff
                && Some(w.id) != v.deputies.0
                && !w.has_role(Role::Lead)
            {
                found = Some((*id, w.clone(), v));
                break 'cases;
            }
        }
    }
    let (id, outsider, lead_view) = found.expect("a JC case with partner data and an outsider");
    assert!(
        matches!(
            store.case_file(&outsider, id, today),
            Err(StorageError::NotFound)
        ),
        "no relation, no access"
    );
    // "Sonstiges" needs a text.
    assert!(matches!(
        store.break_glass(&outsider, id, BreakGlassReason::Other, "  "),
        Err(StorageError::Refused(
            tandem::domain::refusal::Refusal::BreakGlassReasonText
        ))
    ));
    assert!(matches!(
        store.case_file(&outsider, id, today),
        Err(StorageError::NotFound)
    ));
    store
        .break_glass(
            &outsider,
            id,
            BreakGlassReason::UnlistedDeputy,
            "Vertretung ohne Eintrag",
        )
        .unwrap();
    let glass = store.case_file(&outsider, id, today).unwrap();
    assert_eq!(glass.relation, Relation::BreakGlass);
    // Own fields open; the partner's stay hidden although the lead receives them.
    let ja_own = fields_owned_by(Agency::Jugendamt, Agency::Jobcenter);
    assert!(!lead_view.received.is_empty());
    assert_eq!(
        sorted(glass.hidden.clone()),
        ja_own,
        "partner fields hidden under break-glass"
    );
    assert!(glass.received.is_empty());
    for f in fields_owned_by(Agency::Jobcenter, Agency::Jobcenter) {
        assert_eq!(
            value_of(&glass.case, f),
            value_of(&lead_view.case, f),
            "{f:?}"
        );
    }
    assert!(glass.notes.iter().all(|n| n.agency == Agency::Jobcenter));

    // A Jobcenter case without any Jugendamt part: no Jugendamt worker, lead or
    // break-glass gets in.
    let mut lone = None;
    for id in &cases {
        if let Ok(v) = store.case_file(&jc_lead, *id, today)
            && v.case.owner == Agency::Jobcenter
            && v.case.ja_staff.is_none()
        {
            lone = Some(*id);
            break;
        }
    }
    let lone = lone.expect("the demo has a Jobcenter case without Jugendamt staff");
    let ja_lead = me(&store, "tueshaus");
    for ja in store.caseworkers(Agency::Jugendamt).unwrap() {
        assert!(
            matches!(
                store.case_file(&ja, lone, today),
                Err(StorageError::NotFound)
            ),
            "{}",
            ja.login
        );
        assert!(
            matches!(
                store.break_glass(
                    &ja,
                    lone,
                    BreakGlassReason::ChildProtection,
                    "Kinderschutz-Eilfall"
                ),
                Err(StorageError::NotFound)
            ),
            "{} cannot break glass into a case of the other agency",
            ja.login
        );
        assert!(
            matches!(
                store.case_file(&ja, lone, today),
                Err(StorageError::NotFound)
            ),
            "{}",
            ja.login
        );
    }
    assert!(matches!(
        store.case_file(&ja_lead, lone, today),
        Err(StorageError::NotFound)
    ));
    // Nor into a case that does not exist.
    assert!(matches!(
        store.break_glass(
            &outsider,
            CaseId(9_999_999),
            BreakGlassReason::PersonAsked,
            "Anruf"
        ),
        Err(StorageError::NotFound)
    ));
}

/// A Schweigepflichtentbindung names persons (docs/domain.md 5.2): data transferred under it is
/// for the named persons only, even inside the receiving agency. Transfers under such a
/// consent must therefore be possible at all.
#[test]
fn consent_naming_persons_covers_only_the_named() {
    let store = support::demo_store();
    let today = support::today();
    let jc_lead = me(&store, "schwering");
    let ja_lead = me(&store, "tueshaus");
    let mut found = None;
    for id in all_cases(&store) {
        let Ok(v) = store.case_file(&jc_lead, id, today) else {
            continue;
        };
        if v.case.owner == Agency::Jobcenter
            && v.case.jc_staff.is_some()
            && v.case.ja_staff.is_some()
            && v.deputies.1.is_some()
            && v.consents.is_empty()
        {
            found = Some(v);
            break;
        }
    }
    let v = found.expect("a JC case with both sides and no consent yet");
    let id = v.case.id;
    let jc = staff(&store, v.case.jc_staff.unwrap());
    let ja = staff(&store, v.case.ja_staff.unwrap());
    let ja_deputy = staff(&store, v.deputies.1.unwrap());
    away_today(&store, ja.id);
    let birth = v.case.person.birth_date;
    let consent = Consent {
        id: ConsentId(0),
        case_id: id.0,
        recorded_by: Agency::Jobcenter,
        declared_by: DeclaredBy::YoungPerson,
        representation_reason: None,
        insight_checked: age(birth, today - Duration::days(1)) < 18,
        signed_on: today - Duration::days(1),
        form: ConsentForm::Written,
        document_ref: "SE-Test".into(),
        purposes: vec![Purpose::Conference],
        categories: vec![DataCategory::MasterData],
        recipient_agencies: vec![Agency::Jugendamt],
        recipient_staff: vec![ja.id],
        external_recipients: String::new(),
        recurring: false,
        valid_from: today - Duration::days(1),
        valid_until: today + Duration::days(300),
        info_purpose: true,
        info_refusal: true,
        info_revocable: true,
        status: ConsentStatus::Granted,
        revoked_on: None,
        revoked_how: None,
        version: 1,
    };
    let cid = store.add_consent(&jc, &consent).unwrap();
    store
        .record_transfer(
            &jc,
            id,
            &[Field::Surname, Field::GivenNames],
            "Fallkonferenz",
            TransferBasis::Consent(cid),
            "",
            false,
            today,
        )
        .expect("a transfer under a Schweigepflichtentbindung to the named person's agency");
    let named = store.case_file(&ja, id, today).unwrap();
    assert_eq!(
        sorted(named.received.clone()),
        vec![Field::Surname, Field::GivenNames]
    );
    for other in [&ja_deputy, &ja_lead] {
        let v = store.case_file(other, id, today).unwrap();
        assert!(v.received.is_empty(), "{} is not named", other.login);
    }
}

// ---------------------------------------------------------------------------------------
// Minimal reproductions of what the property found (each asserts the correct behaviour).

struct Mini {
    store: Store,
    jc: Staff,
    ja: Staff,
    ja2: Staff,
    id: CaseId,
}

/// One caseworker per agency assigned to one case owned by `owner`, and a second Jugendamt
/// caseworker without any relation to it.
fn mini(owner: Agency) -> Mini {
    let today = support::today();
    let store = Store::open_in_memory().unwrap();
    let ids = store
        .insert_staff(&[
            new_staff("jc".into(), Agency::Jobcenter, vec![Role::JcU25]),
            new_staff("ja".into(), Agency::Jugendamt, vec![Role::JaStaff]),
            new_staff("ja2".into(), Agency::Jugendamt, vec![Role::JaStaff]),
        ])
        .unwrap();
    let s: Vec<Staff> = ids.iter().map(|i| staff(&store, *i)).collect();
    let mut case = person_case(
        1,
        owner,
        today - Duration::days(20 * 365),
        Gender::Female,
        today,
    );
    case.jc_staff = Some(s[0].id);
    case.ja_staff = Some(s[1].id);
    // An agency creates its own cases.
    let creator = if owner == Agency::Jobcenter {
        &s[0]
    } else {
        &s[1]
    };
    let id = create_both_sides(&store, creator, &s, &mut case);
    Mini {
        store,
        jc: s[0].clone(),
        ja: s[1].clone(),
        ja2: s[2].clone(),
        id,
    }
}

fn list_row(store: &Store, who: &Staff, id: CaseId) -> Option<CaseRow> {
    let query = ListQuery {
        today: support::today(),
        ..ListQuery::default()
    };
    store
        .case_page(who, &query, &PageAnchor::First, 100)
        .unwrap()
        .into_iter()
        .find(|r| r.id == id)
}

fn statute() -> TransferBasis {
    TransferBasis::Statute(StatutoryBasis::Sgb10S69)
}

/// The case list shows the partner's person data only as far as the case file does: only
/// the surname was transferred, so the case file hides given names and birth date and the
/// list must not show them either.
#[test]
fn case_list_shows_only_transferred_partner_fields() {
    let today = support::today();
    let m = mini(Agency::Jobcenter);
    m.store
        .record_transfer(
            &m.jc,
            m.id,
            &[Field::Surname],
            "Fallkonferenz",
            statute(),
            "Begründung",
            false,
            today,
        )
        .unwrap();
    let file = m.store.case_file(&m.ja, m.id, today).unwrap();
    assert_eq!(file.received, vec![Field::Surname]);
    assert!(file.hidden.contains(&Field::GivenNames) && file.hidden.contains(&Field::BirthDate));
    let row = list_row(&m.store, &m.ja, m.id).expect("in the caseload");
    assert!(
        row.name.as_deref().is_none_or(|n| !n.contains("Vorname1")),
        "given names not transferred, but the list shows {:?}",
        row.name
    );
    assert_eq!(
        row.birth_date, None,
        "birth date not transferred, but the list shows it"
    );
}

/// A Jugendamt worker entered as deputy of the Jobcenter worker (`set_deputy` takes any
/// staff member) is nobody's deputy in the case (docs/domain.md 5.1 rule 2: assignment and
/// deputy inside a Stelle): the case list must agree with the case file.
#[test]
fn case_list_ignores_a_deputy_of_the_other_agency() {
    let today = support::today();
    // A Jugendamt worker entered as deputy of the Jobcenter worker (set_deputy takes any
    // staff member) is not the deputy of anyone in the case (docs/domain.md 5.1 rule 2): the
    // case file is refused, so the case must not be in their caseload either.
    let m = mini(Agency::Jugendamt);
    // The store refuses a deputy of the other agency outright; should one get into the
    // table anyway (an older database), the list must still agree with the case file.
    assert!(m.store.set_deputy(m.jc.id, Some(m.ja2.id)).is_err());
    assert!(matches!(
        m.store.case_file(&m.ja2, m.id, today),
        Err(StorageError::NotFound)
    ));
    let row = list_row(&m.store, &m.ja2, m.id);
    assert!(
        row.is_none(),
        "a case the person cannot open is listed with its name: {row:?}"
    );

    // The same person with a break-glass grant on a Jobcenter case: the case file hides
    // every Jobcenter field, the list must not show the transferred name.
    let m = mini(Agency::Jobcenter);
    let _ = m.store.set_deputy(m.jc.id, Some(m.ja2.id));
    m.store
        .record_transfer(
            &m.jc,
            m.id,
            &[Field::Surname, Field::GivenNames, Field::BirthDate],
            "Fallkonferenz",
            statute(),
            "Begründung",
            false,
            today,
        )
        .unwrap();
    m.store
        .break_glass(
            &m.ja2,
            m.id,
            BreakGlassReason::PersonAsked,
            "Anruf der jungen Person",
        )
        .unwrap();
    let file = m.store.case_file(&m.ja2, m.id, today).unwrap();
    assert_eq!(file.relation, Relation::BreakGlass);
    assert!(file.hidden.contains(&Field::Surname));
    let row = list_row(&m.store, &m.ja2, m.id).expect("listed by the grant");
    assert_eq!(
        row.name, None,
        "break-glass never crosses the agency boundary"
    );
    assert_eq!(row.birth_date, None);
}

/// Custody holders and children are the owner's records; the partner sees nothing of them
/// without a transfer record (docs/domain.md 5.1 rule 1), and a consent is not a transfer.
#[test]
fn partner_reads_no_custody_holders_without_a_transfer() {
    let today = support::today();
    let m = mini(Agency::Jugendamt);
    let birth = today - Duration::days(20 * 365);
    let spec = ConsentSpec {
        kind: ConsentKind::Granted,
        custody: false,
        categories: 0b1_1111,
        recipients: 3,
        named: Vec::new(),
        signed_ago: 30,
        runs_on: 100,
        by_partner: false,
    };
    let consent = consent_of(m.id, &spec, birth, std::slice::from_ref(&m.jc), today);
    m.store.add_consent(&m.ja, &consent).unwrap();
    m.store
        .add_guardian(
            &m.ja,
            m.id,
            &Guardian {
                id: 0,
                name: "Mutter Nachname1".into(),
                relation: Kin::Mother,
                custody: Custody::Joint,
                phone: "02366 012345".into(),
                do_not_contact: true,
                ended_on: None,
            },
        )
        .unwrap();
    let owner = m.store.case_file(&m.ja, m.id, today).unwrap();
    assert_eq!(
        owner.guardians.as_ref().map(Vec::len),
        Some(1),
        "the owner sees them"
    );
    let partner = m.store.case_file(&m.jc, m.id, today).unwrap();
    assert!(partner.transfers.is_empty(), "nothing was transferred");
    assert!(
        partner.guardians.as_ref().is_none_or(Vec::is_empty),
        "the Jobcenter reads the Jugendamt's custody holders without any transfer: {:?}",
        partner.guardians
    );
}

/// The deputy of an assigned caseworker who left (inactive) still covers the case: the list
/// shows the transferred name exactly as the case file does.
#[test]
fn deputy_of_an_inactive_caseworker_sees_the_transferred_name_in_the_list() {
    let today = support::today();
    let m = mini(Agency::Jobcenter);
    m.store.set_deputy(m.ja.id, Some(m.ja2.id)).unwrap();
    m.store.set_staff_active(m.ja.id, false).unwrap();
    m.store
        .record_transfer(
            &m.jc,
            m.id,
            &[Field::Surname, Field::GivenNames],
            "Fallkonferenz",
            statute(),
            "Begründung",
            false,
            today,
        )
        .unwrap();
    let ja2 = staff(&m.store, m.ja2.id);
    let view = m.store.case_file(&ja2, m.id, today).unwrap();
    assert_eq!(view.relation, Relation::Deputy);
    assert!(!view.hidden.contains(&Field::Surname));
    let row = list_row(&m.store, &ja2, m.id).expect("in the deputy's caseload");
    assert_eq!(
        row.name.as_deref(),
        Some(view.case.person.display_name().as_str())
    );
}

/// A partner who received only the name cannot find the case by the owner's other words
/// (the BG number stays with the Jobcenter).
#[test]
fn the_filter_does_not_probe_untransferred_numbers() {
    let today = support::today();
    let m = mini(Agency::Jobcenter);
    m.store
        .record_transfer(
            &m.jc,
            m.id,
            &[Field::Surname, Field::GivenNames],
            "Fallkonferenz",
            statute(),
            "Begründung",
            false,
            today,
        )
        .unwrap();
    let case = m.store.load_case(&m.jc, m.id).unwrap();
    let mut with_bg = case.clone();
    with_bg.person.bg_no = "4711-0815".into();
    m.store.update_case(&m.jc, &with_bg).unwrap();
    let query = |filter: &str| ListQuery {
        filter: filter.into(),
        today,
        ..ListQuery::default()
    };
    assert_eq!(
        m.store
            .case_count(&m.ja, &query(&case.person.surname))
            .unwrap(),
        1,
        "the name is searchable"
    );
    assert_eq!(
        m.store.case_count(&m.ja, &query("4711")).unwrap(),
        0,
        "the BG number is not"
    );
    assert_eq!(
        m.store.case_count(&m.jc, &query("4711")).unwrap(),
        1,
        "by its owner it is"
    );
}
