//! Access rules of child-protection referrals (Kinderschutz-Mitteilungen) and anonymous
//! consultations (Anonyme Fallberatung), issue 22: docs/domain.md 5.1 (matrix rows
//! "Kinderschutz-Mitteilung", "JA intake, triage, outcome", "Rückmeldung", "Anonyme
//! Fallberatung"), § 3.5, § 4.5 and § 4.6, checked against an oracle written from the domain
//! guide — not from `src/storage/referrals.rs` — over random worlds.
//!
//! The oracle (see `Oracle` below):
//! - inactive staff read nothing; a person whose only roles are `dpo`/`admin` reads nothing
//!   (a function such as "Eingang Kinderschutz" does not change that);
//! - Jobcenter: the reporter reads their own referrals, a Jobcenter `lead` reads every
//!   referral (the Jobcenter's); nobody else in the Jobcenter. A Jobcenter viewer never sees
//!   the Jugendamt's side: no classification, no waiting four-eyes step, no deadline, no
//!   internal timeline entries, and the internal states (Ersteingeschätzt, In Klärung,
//!   Eingeschätzt, Maßnahmen eingeleitet) read "Eingegangen";
//! - Jugendamt (a professional: `ja_staff`, `ja_oncall` or `lead`): the `lead`, the on-call
//!   role and the function "Eingang Kinderschutz" read every referral; anyone else reads the
//!   referrals they are assigned to, are named for as second signer of a waiting step, or
//!   took part in (a step they took, proposed, confirmed or declined); the recorded deputy
//!   of the assigned person reads it once a deadline of it has passed (§ 4.5 escalation
//!   ladder and alert table "assigned, deputy, lead") — whether or not the assigned person
//!   is absent;
//! - deadlines are those of § 4.5 with their defaults; every step of a world happens in its
//!   first 12 minutes, and the views come 15 minutes after the start (nothing is overdue
//!   yet), 45 minutes after it (an "akut" referral not yet received is overdue: receipt
//!   within 30 minutes; nothing else is) and 30 days after it (every open referral has gone
//!   14 days without a step; forwarded and closed ones have no deadline);
//! - the on-call list holds only referrals the viewer reads, and (Jugendamt) every open
//!   "akut"/"dringend" one the viewer reads that waits for receipt, initial assessment or
//!   first contact; the banner counts count only referrals the viewer reads;
//! - a single read is `NotFound` exactly when the oracle refuses and leaves one audit row,
//!   `view` or `refused` (docs/access.md A9), also for an id that does not exist;
//! - anonymous consultations: the requester reads theirs; a Jugendamt professional with the
//!   function "Insoweit erfahrene Fachkraft" reads the open requests (any of them may answer,
//!   § 4.6) and the ones they advised; a `lead` of the requester's agency (the owner) reads
//!   them; nobody else.
//!
//! Where the domain guide does not decide, the oracle says so (`Verdict::Unclear`): the pair
//! is not counted as a difference, and the counting test prints what the store did.
//!
//! Worlds are written with the store's verbs. Two things have no verb yet and go through
//! `Store::write` with plain SQL: reading a referral's state columns as world facts (state,
//! classification, assigned person, waiting step — data, not an access decision), and taking
//! functions away again (administration), which is the only way an assigned person who does
//! not read every referral can arise: receiving a referral assigns it to the receiver, and
//! only the lead, the on-call role and the intake function see a referral before it is
//! received.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod support;

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use tandem::domain::calendar::WorkCalendar;
use tandem::domain::referral::{
    AgeBand, Classification, ConsultResult, Deadlines, FourEyesStep, ReferralInput, ReferralStatus,
    Step, Urgency,
};
use tandem::domain::{Agency, Role, Staff, StaffId, tz};
use tandem::model::referral::{Function, Referral, ReferralRow};
use tandem::storage::referrals::object;
use tandem::storage::staff::NewStaff;
use tandem::storage::{StorageError, Store};

// ---------------------------------------------------------------------------------------
// The oracle, from docs/domain.md alone.

/// What the oracle says about one (viewer, record) pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// May read; `escalated`: only because a deadline passed (the deputy's step of the
    /// escalation ladder).
    See { escalated: bool },
    /// Must not learn of it.
    Hidden,
    /// The domain guide does not decide; the reason is printed with what the store did.
    Unclear(&'static str),
}

/// The deputy of an assigned person who is away (absent or left) sees the referral before
/// any deadline passed? § 4.5 has the deputy on the escalation ladder ("automatic if the
/// person is marked absent") and docs/access.md A2 lets deputies of absent colleagues stand
/// in for cases, but neither says that a referral opens to the deputy before a deadline.
const U_DEPUTY_AWAY: &str = "deputy of an absent or departed assigned person, no deadline passed";
/// Someone named as second signer of a step that was then confirmed by another person or
/// declined: "named for" may mean "named now" or "ever named".
const U_FORMER_SECOND: &str = "formerly named second signer who took no part";
/// The Jugendamt lead and a consultation: the matrix cell "R" stands in the column "Lead
/// (own Stelle)"; the consultation is the requesting Jobcenter's record, the advising
/// InsoFa is the Jugendamt's.
const U_JA_LEAD_CONSULT: &str = "Jugendamt lead and a Jobcenter consultation";
/// The InsoFa who advised a consultation no longer holds the function.
const U_FORMER_INSOFA: &str = "adviser who no longer holds the InsoFa function";
/// The Jobcenter's view of a forwarded or closed referral: is "Weitergeleitet" or
/// "Abgeschlossen" (after closing at triage it says "no weighty indicators") an internal state
/// (reads "Eingegangen") or something the reporter may know? § 4.5 does not say.
const U_JC_END_STATE: &str = "Jobcenter sees the state forwarded/closed";
/// The same for the timeline entries "forward" and "close".
const U_JC_END_EVENT: &str = "Jobcenter sees a forward/close timeline entry";

/// When a view or a step happens (see `At::instant`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    /// While the world is built: every step lies within the first 12 minutes.
    Step,
    /// 15 minutes after the start: no deadline has passed yet.
    Fresh,
    /// 45 minutes after the start: the receipt of an "akut" referral (30 minutes) is late.
    Mid,
    /// 30 days after the start: every open referral has gone 14 days without a step.
    Late,
}

impl At {
    const VIEWS: [At; 3] = [At::Fresh, At::Mid, At::Late];

    fn instant(self, start: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            At::Step => start,
            At::Fresh => start + Duration::minutes(15),
            At::Mid => start + Duration::minutes(45),
            At::Late => start + Duration::days(30),
        }
    }

    fn name(self) -> &'static str {
        match self {
            At::Step => "step",
            At::Fresh => "fresh",
            At::Mid => "mid",
            At::Late => "late",
        }
    }
}

/// The open states of § 4.5 (received work that is neither forwarded nor closed).
fn is_open(s: ReferralStatus) -> bool {
    matches!(
        s,
        ReferralStatus::Sent
            | ReferralStatus::Received
            | ReferralStatus::Triaged
            | ReferralStatus::Investigating
            | ReferralStatus::Assessed
            | ReferralStatus::Measures
    )
}

/// Whether a deadline of `r` has passed at `at` (§ 4.5 defaults; see the module comment).
fn overdue(r: &RefModel, at: At) -> bool {
    match at {
        At::Step | At::Fresh => false,
        At::Mid => r.status == ReferralStatus::Sent && r.urgency == Urgency::Acute,
        At::Late => is_open(r.status),
    }
}

/// A Jugendamt professional: active, of the Jugendamt, with a role that does the work of
/// § 4.5 (`ja_staff`, `ja_oncall`, `lead`). DSB and administrator are none (§ 5.1: "M" and "–").
fn ja_professional(s: &Staff) -> bool {
    s.active
        && s.agency == Agency::Jugendamt
        && s.roles
            .iter()
            .any(|r| matches!(r, Role::JaStaff | Role::JaOncall | Role::Lead))
}

/// Functions a staff member holds ("Eingang Kinderschutz", "Insoweit erfahrene Fachkraft").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Funcs {
    intake: bool,
    insofa: bool,
}

/// The rota's shifts per worker (from, until).
type Shifts = BTreeMap<StaffId, Vec<(DateTime<Utc>, DateTime<Utc>)>>;

struct Oracle<'w> {
    staff: &'w [Staff],
    deputy: &'w BTreeMap<StaffId, StaffId>,
    functions: &'w BTreeMap<StaffId, Funcs>,
    /// Absence periods (local days, inclusive).
    absences: &'w BTreeMap<StaffId, (NaiveDate, NaiveDate)>,
    /// Shifts of the on-call rota (from, until).
    shifts: &'w Shifts,
    start: DateTime<Utc>,
}

impl Oracle<'_> {
    fn funcs(&self, id: StaffId) -> Funcs {
        self.functions.get(&id).copied().unwrap_or_default()
    }

    /// Away at `at`: an absence period covers the day, or the person left (inactive).
    fn away(&self, id: StaffId, at: At) -> bool {
        let day = tz::to_local(at.instant(self.start)).date();
        self.absences
            .get(&id)
            .is_some_and(|(from, to)| *from <= day && day <= *to)
            || self.staff.iter().any(|s| s.id == id && !s.active)
    }

    /// A `ja_oncall` worker inside a shift at `at` (docs/casework.md § 5): only then on call.
    fn on_call(&self, v: &Staff, at: At) -> bool {
        let t = at.instant(self.start);
        v.has_role(Role::JaOncall)
            && self
                .shifts
                .get(&v.id)
                .is_some_and(|s| s.iter().any(|(a, b)| *a <= t && t < *b))
    }

    /// Who reads referral `r` at `at` (§ 5.1 "Kinderschutz-Mitteilung", § 4.5).
    fn referral(&self, v: &Staff, r: &RefModel, at: At) -> Verdict {
        if !v.active {
            return Verdict::Hidden;
        }
        match v.agency {
            Agency::Jobcenter => {
                if r.reporter == v.id || v.has_role(Role::Lead) {
                    Verdict::See { escalated: false }
                } else {
                    Verdict::Hidden
                }
            }
            Agency::Jugendamt => {
                if !ja_professional(v) {
                    return Verdict::Hidden;
                }
                if v.has_role(Role::Lead) || self.on_call(v, at) || self.funcs(v.id).intake {
                    return Verdict::See { escalated: false };
                }
                if r.assigned == Some(v.id) || r.named == Some(v.id) || r.took_part.contains(&v.id)
                {
                    return Verdict::See { escalated: false };
                }
                if let Some(a) = r.assigned
                    && self.deputy.get(&a) == Some(&v.id)
                {
                    if overdue(r, at) {
                        return Verdict::See { escalated: true };
                    }
                    if self.away(a, at) {
                        return Verdict::Unclear(U_DEPUTY_AWAY);
                    }
                }
                if r.formerly_named.contains(&v.id) {
                    return Verdict::Unclear(U_FORMER_SECOND);
                }
                Verdict::Hidden
            }
        }
    }

    /// Who reads consultation `c` (§ 5.1 "Anonyme Fallberatung", § 4.6).
    fn consult(&self, v: &Staff, c: &ConsultModel) -> Verdict {
        if !v.active {
            return Verdict::Hidden;
        }
        if c.requester == v.id {
            return Verdict::See { escalated: false };
        }
        let insofa = ja_professional(v) && self.funcs(v.id).insofa;
        if insofa && c.adviser.is_none() {
            return Verdict::See { escalated: false };
        }
        if c.adviser == Some(v.id) && ja_professional(v) {
            return if insofa {
                Verdict::See { escalated: false }
            } else {
                Verdict::Unclear(U_FORMER_INSOFA)
            };
        }
        if v.has_role(Role::Lead) {
            return if v.agency == c.owner {
                Verdict::See { escalated: false }
            } else {
                Verdict::Unclear(U_JA_LEAD_CONSULT)
            };
        }
        Verdict::Hidden
    }
}

/// Timeline entries a Jobcenter viewer may see: sending, the receipt and its confirmation,
/// the reporter's addenda and the feedback (§ 5.1 "Rückmeldung": reporter R). Everything
/// else is the Jugendamt's work (§ 5.1 "JA intake, triage, outcome": Jobcenter "–").
const JC_EVENTS: [&str; 6] = [
    "sent",
    "receive",
    "receipt_sent",
    "addendum",
    "feedback",
    "feedback_not_permitted",
];

// ---------------------------------------------------------------------------------------
// Random worlds.

#[derive(Debug, Clone)]
struct StaffSpec {
    kind: usize,
    inactive: bool,
    /// (same agency, index) of the deputy.
    deputy: Option<(bool, usize)>,
    intake: bool,
    insofa: bool,
    /// The functions are taken away once the world's steps are done.
    drop_functions: bool,
    /// An absence period: Some(long) — long covers the late views too.
    absence: Option<bool>,
}

#[derive(Debug, Clone)]
struct RefSpec {
    reporter: usize,
    urgency: usize,
    wants_receipt: bool,
    wants_feedback: bool,
    /// Classification of the initial assessment (index into `CLASSES`).
    class: usize,
    /// Forwarded instead of assessed.
    forward: bool,
    /// Feedback refused ("nicht zulässig") instead of given.
    not_permitted: bool,
    /// How many actions of the plan are attempted.
    depth: usize,
    /// Who attempts each action (see `World::pick`).
    actors: Vec<usize>,
    /// The colleague named as second signer of each proposal (index into everyone).
    named: Vec<Option<usize>>,
    /// Which confirmation is a decline.
    decline: Option<usize>,
    /// Who (Jobcenter index) tries to add an addendum.
    addendum: Option<usize>,
}

#[derive(Debug, Clone)]
struct ConsultSpec {
    requester: usize,
    adviser: Option<usize>,
}

#[derive(Debug, Clone)]
struct WorldSpec {
    jc: Vec<StaffSpec>,
    ja: Vec<StaffSpec>,
    referrals: Vec<RefSpec>,
    consults: Vec<ConsultSpec>,
}

const CLASSES: [Classification; 4] = [
    Classification::Acute,
    Classification::Urgent,
    Classification::NotAcute,
    Classification::NoIndicators,
];

const URGENCIES: [Urgency; 3] = [Urgency::Acute, Urgency::Urgent, Urgency::NotAcute];

fn staff_spec() -> impl Strategy<Value = StaffSpec> {
    (
        0usize..12,
        prop::bool::weighted(0.15),
        prop::option::weighted(0.5, (prop::bool::weighted(0.9), 0usize..12)),
        prop::bool::weighted(0.25),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.2),
        prop::option::weighted(0.3, any::<bool>()),
    )
        .prop_map(
            |(kind, inactive, deputy, intake, insofa, drop_functions, absence)| StaffSpec {
                kind,
                inactive,
                deputy,
                intake,
                insofa,
                drop_functions,
                absence,
            },
        )
}

fn ref_spec() -> impl Strategy<Value = RefSpec> {
    (
        (
            0usize..8,
            0usize..3,
            any::<bool>(),
            prop::bool::weighted(0.6),
            0usize..4,
            prop::bool::weighted(0.1),
            prop::bool::weighted(0.3),
        ),
        (
            0usize..12,
            prop::collection::vec(0usize..24, 12),
            prop::collection::vec(prop::option::weighted(0.6, 0usize..16), 4),
            prop::option::weighted(0.2, 0usize..4),
            prop::option::weighted(0.2, 0usize..8),
        ),
    )
        .prop_map(
            |(
                (reporter, urgency, wants_receipt, wants_feedback, class, forward, not_permitted),
                (depth, actors, named, decline, addendum),
            )| RefSpec {
                reporter,
                urgency,
                wants_receipt,
                wants_feedback,
                class,
                forward,
                not_permitted,
                depth,
                actors,
                named,
                decline,
                addendum,
            },
        )
}

fn consult_spec() -> impl Strategy<Value = ConsultSpec> {
    (0usize..16, prop::option::weighted(0.6, 0usize..16))
        .prop_map(|(requester, adviser)| ConsultSpec { requester, adviser })
}

fn world_spec() -> impl Strategy<Value = WorldSpec> {
    (
        prop::collection::vec(staff_spec(), 2..=5),
        prop::collection::vec(staff_spec(), 3..=7),
        prop::collection::vec(ref_spec(), 1..=4),
        prop::collection::vec(consult_spec(), 0..=3),
    )
        .prop_map(|(jc, ja, referrals, consults)| WorldSpec {
            jc,
            ja,
            referrals,
            consults,
        })
}

fn roles_of(kind: usize, agency: Agency) -> Vec<Role> {
    match agency {
        Agency::Jobcenter => match kind {
            3 => vec![Role::Lead],
            4 => vec![Role::Dpo],
            5 => vec![Role::Admin],
            6 => vec![Role::JcU25, Role::Lead],
            7 => vec![Role::Dpo, Role::Admin],
            _ => vec![Role::JcU25],
        },
        Agency::Jugendamt => match kind {
            2 => vec![Role::JaOncall],
            3 => vec![Role::Lead],
            4 => vec![Role::Dpo],
            5 => vec![Role::Admin],
            6 => vec![Role::JaStaff, Role::Lead],
            7 => vec![Role::JaStaff, Role::JaOncall],
            8 => vec![Role::Dpo, Role::Admin],
            _ => vec![Role::JaStaff],
        },
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

fn input(urgency: Urgency, wants_receipt: bool, wants_feedback: bool) -> ReferralInput {
    ReferralInput {
        phoned_ahead: (urgency == Urgency::Acute).then(|| {
            (
                support::today().and_hms_opt(9, 55, 0).unwrap(),
                "ASD Herten".into(),
            )
        }),
        assessment: "Eigene Einschätzung".into(),
        wants_receipt,
        wants_feedback,
        ..support::referral_input(urgency)
    }
}

/// One action of a referral's plan (§ 4.5 state machine).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Receive,
    Forward,
    Propose(FourEyesStep),
    Confirm,
    Decline,
    Clarify,
    NotPermitted,
    Measures,
    Close,
}

fn plan(spec: &RefSpec) -> Vec<Act> {
    let mut p = vec![Act::Receive];
    let confirm = |k: usize| {
        if spec.decline == Some(k) {
            Act::Decline
        } else {
            Act::Confirm
        }
    };
    if spec.forward {
        p.push(Act::Forward);
    } else {
        p.push(Act::Propose(FourEyesStep::Triage));
        p.push(confirm(0));
        if CLASSES[spec.class] == Classification::NoIndicators {
            p.push(Act::Propose(FourEyesStep::CloseAtTriage));
            p.push(confirm(1));
        } else {
            p.push(Act::Clarify);
            p.push(Act::Propose(FourEyesStep::Assessment));
            p.push(confirm(2));
            if spec.wants_feedback {
                if spec.not_permitted {
                    p.push(Act::NotPermitted);
                } else {
                    p.push(Act::Propose(FourEyesStep::ContentFeedback));
                    p.push(confirm(3));
                }
            }
            p.push(Act::Measures);
            p.push(Act::Close);
        }
    }
    // A declined proposal ends the story of the world.
    if let Some(i) = p.iter().position(|a| *a == Act::Decline) {
        p.truncate(i + 1);
    }
    p.truncate(spec.depth);
    p
}

/// A referral as the oracle knows it: the world's facts after the steps.
#[derive(Debug, Clone)]
struct RefModel {
    id: i64,
    reporter: StaffId,
    urgency: Urgency,
    status: ReferralStatus,
    class: Option<Classification>,
    assigned: Option<StaffId>,
    /// Named as second signer of the waiting step.
    named: Option<StaffId>,
    pending_by: Option<StaffId>,
    version: i64,
    /// Everyone who took a step, proposed, confirmed or declined one.
    took_part: BTreeSet<StaffId>,
    /// Named as second signer of a step that is no longer waiting.
    formerly_named: BTreeSet<StaffId>,
}

#[derive(Debug, Clone)]
struct ConsultModel {
    id: i64,
    requester: StaffId,
    /// The requester's agency, which owns the record (docs/access.md A3).
    owner: Agency,
    adviser: Option<StaffId>,
}

/// A difference from the oracle: (kind, detail).
type Diff = (String, String);

struct World {
    store: Store,
    start: DateTime<Utc>,
    /// Everyone as stored at the end (set-up accounts included, inactive).
    staff: Vec<Staff>,
    deputy: BTreeMap<StaffId, StaffId>,
    functions: BTreeMap<StaffId, Funcs>,
    absences: BTreeMap<StaffId, (NaiveDate, NaiveDate)>,
    shifts: Shifts,
    referrals: Vec<RefModel>,
    consults: Vec<ConsultModel>,
    /// Differences found while the world was built (writes).
    write_diffs: Vec<Diff>,
    steps: u64,
}

/// The state columns of a referral, read as world facts (not an access decision).
fn facts(store: &Store, r: &mut RefModel) {
    let (status, class, assigned, named, by, version) = store
        .write(|tx| {
            Ok(tx.query_row(
                "SELECT status, classification, assigned_to, pending_second, pending_by, version \
                 FROM cp_referral WHERE id = ?1",
                [r.id],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, Option<String>>(1)?,
                        row.get::<_, Option<i64>>(2)?,
                        row.get::<_, Option<i64>>(3)?,
                        row.get::<_, Option<i64>>(4)?,
                        row.get::<_, i64>(5)?,
                    ))
                },
            )?)
        })
        .unwrap();
    r.status = ReferralStatus::from_code(&status).unwrap();
    r.class = class.and_then(|c| Classification::from_code(&c));
    r.assigned = assigned.map(StaffId);
    r.named = named.map(StaffId);
    r.pending_by = by.map(StaffId);
    r.version = version;
}

fn diff(out: &mut Vec<Diff>, kind: impl Into<String>, detail: String) {
    out.push((kind.into(), detail));
}

/// Builds a world: staff, deputies and functions, then the referrals and consultations with
/// their steps (each attempted by the person the spec names, or else by a set-up account),
/// then functions taken away, absences recorded and accounts deactivated.
struct Builder<'a> {
    store: &'a Store,
    cal: WorkCalendar,
    d: Deadlines,
    start: DateTime<Utc>,
    clock: Cell<i64>,
    /// The world's people (Jobcenter first), as they are while the steps happen.
    people: &'a [Staff],
    n_jc: usize,
    setup_ja: [&'a Staff; 2],
    /// The oracle while the steps happen: everyone active, nobody absent.
    oracle: Oracle<'a>,
    diffs: Vec<Diff>,
    steps: u64,
}

impl<'a> Builder<'a> {
    /// The instant of the next action (5 s apart; every step lies in the first 12 minutes).
    fn tick(&self) -> DateTime<Utc> {
        let t = self.clock.get() + 5;
        self.clock.set(t);
        assert!(t < 12 * 60, "the steps must fit in the first 12 minutes");
        self.start + Duration::seconds(t)
    }

    fn jc(&self) -> &'a [Staff] {
        &self.people[..self.n_jc]
    }

    fn ja(&self) -> &'a [Staff] {
        &self.people[self.n_jc..]
    }

    /// Who attempts an action: mostly Jugendamt staff, every fourth choice anyone.
    fn pick(&self, idx: usize) -> &'a Staff {
        if idx % 4 == 3 {
            &self.people[idx % self.people.len()]
        } else {
            &self.ja()[idx % self.ja().len()]
        }
    }

    /// The world's Jugendamt people who read every sent referral.
    fn intake_staff(&self) -> Vec<&'a Staff> {
        self.ja()
            .iter()
            .filter(|s| {
                ja_professional(s)
                    && (s.has_role(Role::Lead)
                        || self.oracle.on_call(s, At::Step)
                        || self.oracle.funcs(s.id).intake)
            })
            .collect()
    }

    fn attempt(
        &self,
        who: &Staff,
        act: Act,
        r: &RefModel,
        class: Classification,
        named: Option<StaffId>,
    ) -> Result<(), StorageError> {
        let now = self.tick();
        let (s, cal, d) = (self.store, &self.cal, &self.d);
        let single = |step: Step, text: &str| {
            s.referral_single(who, r.id, r.version, step, text, now, cal, d)
        };
        match act {
            Act::Receive => single(Step::Receive, ""),
            Act::Forward => single(Step::Forward, "Jugendamt Marl"),
            Act::Clarify => single(Step::StartClarification, ""),
            Act::NotPermitted => single(Step::FeedbackNotPermitted, "Gefährdung des Kindes"),
            Act::Measures => single(Step::RecordMeasures, "safety_plan"),
            Act::Close => single(Step::Close, ""),
            Act::Confirm | Act::Decline => {
                s.confirm_referral_step(who, r.id, r.version, act == Act::Confirm, now, cal, d)
            }
            Act::Propose(step) => {
                let kv: Vec<(&str, &str)> = match step {
                    FourEyesStep::Triage => {
                        vec![("class", class.code()), ("next_step", "home_visit")]
                    }
                    FourEyesStep::CloseAtTriage => Vec::new(),
                    FourEyesStep::Assessment => {
                        vec![("impression", "home_visit"), ("result.0", "latent")]
                    }
                    FourEyesStep::ContentFeedback => {
                        vec![("confirmed", "yes"), ("ja_active", "yes")]
                    }
                };
                let map: BTreeMap<String, String> = kv
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                    .collect();
                s.propose_referral_step(who, r.id, r.version, step, &map, named, now, cal, d)
            }
        }
    }

    /// A step the store accepted must come from someone who may read the referral; a step
    /// refused as "not found" must come from someone who may not.
    fn check_step(&mut self, who: &Staff, act: Act, r: &RefModel, res: &Result<(), StorageError>) {
        let verdict = self.oracle.referral(who, r, At::Step);
        match (verdict, res) {
            (Verdict::Hidden, Ok(())) => diff(
                &mut self.diffs,
                "step accepted from a person who may not read the referral",
                format!(
                    "{} {act:?} on referral {} ({:?})",
                    who.login, r.id, r.status
                ),
            ),
            (Verdict::See { .. }, Err(StorageError::NotFound)) => diff(
                &mut self.diffs,
                "step refused as not found for a person who may read the referral",
                format!(
                    "{} {act:?} on referral {} ({:?})",
                    who.login, r.id, r.status
                ),
            ),
            _ => {}
        }
    }

    fn run_referral(&mut self, spec: &RefSpec, r: &mut RefModel) {
        let class = CLASSES[spec.class];
        let mut proposals = 0;
        let mut named: Option<StaffId> = None;
        for (i, act) in plan(spec).into_iter().enumerate() {
            if let Act::Propose(_) = act {
                named = spec.named[proposals.min(3)].map(|k| self.people[k % self.people.len()].id);
                proposals += 1;
            }
            let chosen = match (act, r.named) {
                (Act::Confirm | Act::Decline, Some(n)) if spec.actors[i].is_multiple_of(3) => {
                    let people: &'a [Staff] = self.people;
                    people.iter().find(|s| s.id == n).unwrap()
                }
                // Mostly someone who reads every sent referral receives it (§ 4.5: intake,
                // on-call; the lead), so that the world's own people are assigned.
                (Act::Receive, _) if spec.actors[i] % 4 != 3 && !self.intake_staff().is_empty() => {
                    let c = self.intake_staff();
                    c[spec.actors[i] % c.len()]
                }
                _ => self.pick(spec.actors[i]),
            };
            let res = self.attempt(chosen, act, r, class, named);
            self.check_step(chosen, act, r, &res);
            let actor = if res.is_ok() {
                chosen.id
            } else {
                // A set-up account (Jugendamt lead with InsoFa) does it instead; a second
                // signature comes from the other set-up account than the proposer.
                let setup = if r.pending_by == Some(self.setup_ja[0].id) {
                    self.setup_ja[1]
                } else {
                    self.setup_ja[0]
                };
                if self.attempt(setup, act, r, class, named).is_err() {
                    break;
                }
                setup.id
            };
            self.steps += 1;
            r.took_part.insert(actor);
            if matches!(act, Act::Confirm | Act::Decline)
                && let Some(n) = r.named
            {
                r.formerly_named.insert(n);
            }
            facts(self.store, r);
        }
        if let Some(j) = spec.addendum {
            let who = &self.jc()[j % self.n_jc];
            let res = self.store.add_referral_addendum(
                who,
                r.id,
                "Nachtrag: Kind heute nicht in der Kita",
                self.tick(),
            );
            if res.is_ok() {
                if who.id != r.reporter {
                    diff(
                        &mut self.diffs,
                        "addendum accepted from someone other than the reporter",
                        format!("{} on referral {}", who.login, r.id),
                    );
                }
                facts(self.store, r);
            }
        }
    }
}

fn build(spec: &WorldSpec, today: NaiveDate) -> World {
    let store = Store::open_in_memory().unwrap();
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
    for login in ["setupja1", "setupja2"] {
        new.push(new_staff(
            login.into(),
            Agency::Jugendamt,
            vec![Role::JaStaff, Role::Lead],
        ));
    }
    let ids = store.insert_staff(&new).unwrap();
    let load = |store: &Store| -> Vec<Staff> {
        ids.iter()
            .map(|id| store.staff_by_id(*id).unwrap().unwrap())
            .collect()
    };
    let all = load(&store);
    let n_jc = spec.jc.len();
    let n_people = all.len() - 3;
    let people = &all[..n_people];
    let specs: Vec<&StaffSpec> = spec.jc.iter().chain(&spec.ja).collect();

    // Deputies (a deputy of the other agency is refused by the store; none then).
    let mut deputy = BTreeMap::new();
    for (i, s) in specs.iter().enumerate() {
        let me = &people[i];
        let Some((same, k)) = s.deputy else { continue };
        let pool = if same == (me.agency == Agency::Jobcenter) {
            &people[..n_jc]
        } else {
            &people[n_jc..]
        };
        let d = pool[k % pool.len()].id;
        if d != me.id && store.set_deputy(me.id, Some(d)).is_ok() {
            deputy.insert(me.id, d);
        }
    }
    // Functions of the Jugendamt's staff; the first set-up account is an InsoFa.
    let mut functions: BTreeMap<StaffId, Funcs> = BTreeMap::new();
    for (i, s) in specs.iter().enumerate().skip(n_jc) {
        let id = people[i].id;
        if s.intake {
            store.add_function(id, Function::Intake).unwrap();
        }
        if s.insofa {
            store.add_function(id, Function::Insofa).unwrap();
        }
        functions.insert(
            id,
            Funcs {
                intake: s.intake,
                insofa: s.insofa,
            },
        );
    }
    let setup_jc = &all[n_people];
    let setup_ja = [&all[n_people + 1], &all[n_people + 2]];
    store
        .add_function(setup_ja[0].id, Function::Insofa)
        .unwrap();
    functions.insert(
        setup_ja[0].id,
        Funcs {
            intake: false,
            insofa: true,
        },
    );

    let start = tz::from_local(today.and_hms_opt(10, 0, 0).unwrap());
    let no_absences = BTreeMap::new();
    // The rota (docs/casework.md § 5): of the on-call workers, one in three is on call
    // while the world is built and read fresh, one in three only 30 days later, one never.
    let lead = &all[n_people + 1];
    let mut shifts: Shifts = BTreeMap::new();
    for (k, p) in people
        .iter()
        .filter(|p| p.has_role(Role::JaOncall))
        .enumerate()
    {
        let span = match k % 3 {
            0 => Some((start - Duration::hours(1), start + Duration::days(6))),
            1 => Some((start + Duration::days(29), start + Duration::days(31))),
            _ => None,
        };
        if let Some((a, b)) = span {
            store.add_shift(lead, p.id, a, b).unwrap();
            shifts.entry(p.id).or_default().push((a, b));
        }
    }
    let mut b = Builder {
        store: &store,
        cal: WorkCalendar::default(),
        d: Deadlines::default(),
        start,
        clock: Cell::new(0),
        people,
        n_jc,
        setup_ja,
        oracle: Oracle {
            staff: &all,
            deputy: &deputy,
            functions: &functions,
            absences: &no_absences,
            shifts: &shifts,
            start,
        },
        diffs: Vec::new(),
        steps: 0,
    };

    // Referrals are sent first (so that "15 minutes after the start" is before every
    // deadline), then consultations, then the Jugendamt's steps.
    let mut referrals = Vec::new();
    for rs in &spec.referrals {
        let who = &b.jc()[rs.reporter % n_jc];
        let inp = input(URGENCIES[rs.urgency], rs.wants_receipt, rs.wants_feedback);
        let res = store.send_referral(who, &inp, b.tick());
        // § 4.5: any `jc_u25` of the Jobcenter sends (the reporter).
        let allowed = who.active && who.agency == Agency::Jobcenter && who.has_role(Role::JcU25);
        if res.is_ok() != allowed {
            diff(
                &mut b.diffs,
                "sending a referral: store and rules disagree",
                format!(
                    "{} ({}) accepted: {}",
                    who.login,
                    who.role_codes(),
                    res.is_ok()
                ),
            );
        }
        let (id, reporter) = match res {
            Ok(id) => (id, who.id),
            Err(_) => (
                store.send_referral(setup_jc, &inp, b.tick()).unwrap(),
                setup_jc.id,
            ),
        };
        let mut r = RefModel {
            id,
            reporter,
            urgency: inp.urgency,
            status: ReferralStatus::Sent,
            class: None,
            assigned: None,
            named: None,
            pending_by: None,
            version: 0,
            took_part: BTreeSet::new(),
            formerly_named: BTreeSet::new(),
        };
        facts(&store, &mut r);
        referrals.push(r);
    }
    let mut consults = Vec::new();
    for cs in &spec.consults {
        let who = &people[cs.requester % people.len()];
        let res = store.request_consult(who, AgeBand::A3, "Kind wirkt verängstigt", b.tick());
        // § 4.6: requested by any `jc_u25`.
        let allowed = who.active && who.has_role(Role::JcU25);
        if res.is_ok() != allowed {
            diff(
                &mut b.diffs,
                "requesting a consultation: store and rules disagree",
                format!(
                    "{} ({}) accepted: {}",
                    who.login,
                    who.role_codes(),
                    res.is_ok()
                ),
            );
        }
        let (id, requester) = match res {
            Ok(id) => (id, who),
            Err(_) => (
                store
                    .request_consult(setup_jc, AgeBand::A6, "Kind oft allein", b.tick())
                    .unwrap(),
                setup_jc,
            ),
        };
        let mut c = ConsultModel {
            id,
            requester: requester.id,
            owner: requester.agency,
            adviser: None,
        };
        if let Some(k) = cs.adviser {
            let who = &people[k % people.len()];
            let res =
                store.advise_consult(who, id, 1, ConsultResult::Observe, "beobachten", b.tick());
            // § 4.6 and the matrix: answered by the Jugendamt's InsoFa.
            let allowed = ja_professional(who) && functions.get(&who.id).is_some_and(|f| f.insofa);
            if res.is_ok() != allowed {
                diff(
                    &mut b.diffs,
                    "advising a consultation: store and rules disagree",
                    format!(
                        "{} ({}) accepted: {}",
                        who.login,
                        who.role_codes(),
                        res.is_ok()
                    ),
                );
            }
            c.adviser = Some(if res.is_ok() {
                who.id
            } else {
                store
                    .advise_consult(setup_ja[0], id, 1, ConsultResult::Refer, "", b.tick())
                    .unwrap();
                setup_ja[0].id
            });
        }
        consults.push(c);
    }
    for (rs, r) in spec.referrals.iter().zip(referrals.iter_mut()) {
        b.run_referral(rs, r);
    }
    let write_diffs = std::mem::take(&mut b.diffs);
    let steps = b.steps;
    drop(b);

    // After the steps: functions taken away, absences, people who left, set-up accounts.
    for (i, s) in specs.iter().enumerate() {
        let id = people[i].id;
        if s.drop_functions && functions.contains_key(&id) {
            store
                .write(|tx| {
                    tx.execute("DELETE FROM staff_function WHERE staff_id = ?1", [id.0])?;
                    Ok(())
                })
                .unwrap();
            functions.insert(id, Funcs::default());
        }
    }
    let mut absences = BTreeMap::new();
    for (i, s) in specs.iter().enumerate() {
        if let Some(long) = s.absence {
            let from = today - Duration::days(1);
            let to = today + Duration::days(if long { 40 } else { 1 });
            store.add_absence(people[i].id, from, to).unwrap();
            absences.insert(people[i].id, (from, to));
        }
    }
    for (i, s) in specs.iter().enumerate() {
        if s.inactive {
            store.set_staff_active(people[i].id, false).unwrap();
        }
    }
    for id in &ids[n_people..] {
        store.set_staff_active(*id, false).unwrap();
    }
    let staff = load(&store);
    World {
        store,
        start,
        staff,
        deputy,
        functions,
        absences,
        shifts,
        referrals,
        consults,
        write_diffs,
        steps,
    }
}

// ---------------------------------------------------------------------------------------
// The checks.

#[derive(Default)]
struct Figures {
    worlds: Cell<u64>,
    staff: Cell<u64>,
    referrals: Cell<u64>,
    consults: Cell<u64>,
    steps: Cell<u64>,
    reads: Cell<u64>,
    refused: Cell<u64>,
    escalated: Cell<u64>,
    list_rows: Cell<u64>,
    oncall_rows: Cell<u64>,
    jc_reads: Cell<u64>,
}

fn bump(c: &Cell<u64>, by: u64) {
    c.set(c.get() + by);
}

/// What one world yields: differences, and the store's answer to each unclear pair.
#[derive(Default)]
struct Outcome {
    diffs: Vec<Diff>,
    unclear: Vec<(&'static str, bool)>,
}

impl Outcome {
    fn diff(&mut self, kind: impl Into<String>, detail: String) {
        diff(&mut self.diffs, kind, detail);
    }

    /// Compares "shown" with a verdict.
    fn shown(
        &mut self,
        verdict: Verdict,
        shown: bool,
        what: &str,
        detail: impl FnOnce() -> String,
    ) {
        match verdict {
            Verdict::See { .. } if !shown => {
                self.diff(format!("{what} misses one the viewer may read"), detail());
            }
            Verdict::Hidden if shown => {
                self.diff(format!("{what} shows one the oracle refuses"), detail());
            }
            Verdict::Unclear(u) => self.unclear.push((u, shown)),
            _ => {}
        }
    }

    /// The Jobcenter's view of a row: none of the Jugendamt's work.
    fn jc_row(&mut self, row: &ReferralRow, r: &RefModel, place: &str, who: &str) {
        use ReferralStatus as S;
        let detail = || format!("{who} on referral {} ({:?})", r.id, r.status);
        if row.class.is_some() {
            self.diff(
                format!("{place}: Jobcenter sees the classification"),
                detail(),
            );
        }
        if row.pending.is_some() {
            self.diff(
                format!("{place}: Jobcenter sees a waiting four-eyes step"),
                detail(),
            );
        }
        // The one clock the reporter may see: the receipt of a referral not yet received
        // (an overdue akut referral tells her to phone, docs/access.md).
        let receipt = row.deadline.as_ref().is_some_and(|d| {
            d.clock == tandem::domain::referral::Clock::Receipt && r.status == S::Sent
        });
        if row.deadline.is_some() && !receipt {
            self.diff(
                format!("{place}: Jobcenter sees the Jugendamt's deadline"),
                detail(),
            );
        }
        if row.escalated {
            self.diff(format!("{place}: Jobcenter row marked escalated"), detail());
        }
        match r.status {
            S::Triaged | S::Investigating | S::Assessed | S::Measures => {
                if row.status != S::Received {
                    self.diff(
                        format!("{place}: Jobcenter sees an internal state"),
                        format!("{} as {:?}", detail(), row.status),
                    );
                }
            }
            S::Forwarded | S::Closed => {
                if row.status == r.status || row.status == S::Received {
                    self.unclear.push((U_JC_END_STATE, row.status == r.status));
                } else {
                    self.diff(
                        format!("{place}: Jobcenter sees a wrong state"),
                        format!("{} as {:?}", detail(), row.status),
                    );
                }
            }
            other => {
                if row.status != other {
                    self.diff(
                        format!("{place}: Jobcenter sees a wrong state"),
                        format!("{} as {:?}", detail(), row.status),
                    );
                }
            }
        }
        if let Some((kind, _)) = &row.last_step {
            self.jc_event(kind, place, &detail);
        }
    }

    fn jc_event(&mut self, kind: &str, place: &str, detail: &dyn Fn() -> String) {
        if JC_EVENTS.contains(&kind) || kind == "forward" || kind == "close" {
            return;
        }
        self.diff(
            format!("{place}: Jobcenter sees an internal timeline entry"),
            format!("{} entry {kind}", detail()),
        );
    }

    fn jc_referral(&mut self, got: &Referral, r: &RefModel, who: &str) {
        self.jc_row(&got.row, r, "read", who);
        let detail = || format!("{who} on referral {} ({:?})", r.id, r.status);
        if got.ja.is_some() {
            self.diff("read: Jobcenter gets the Jugendamt's side", detail());
        }
        for e in &got.events {
            self.jc_event(&e.kind, "read", &detail);
        }
        if matches!(r.status, ReferralStatus::Forwarded | ReferralStatus::Closed) {
            let shown = got
                .events
                .iter()
                .any(|e| e.kind == "forward" || e.kind == "close");
            self.unclear.push((U_JC_END_EVENT, shown));
        }
    }
}

/// The row of `r` in a list is marked escalated exactly when the viewer sees it only
/// because a deadline passed; never before a deadline passed.
fn check_escalated(
    out: &mut Outcome,
    verdict: Verdict,
    row: &ReferralRow,
    r: &RefModel,
    at: At,
    place: &str,
    who: &str,
) {
    if verdict == (Verdict::See { escalated: true }) && !row.escalated {
        out.diff(
            format!("{place}: deputy's escalated view not marked"),
            format!("{who} on referral {} at {}", r.id, at.name()),
        );
    }
    if row.escalated && !overdue(r, at) {
        out.diff(
            format!("{place}: marked escalated before a deadline passed"),
            format!("{who} on referral {} at {}", r.id, at.name()),
        );
    }
}

/// One single read with its audit row (docs/access.md A9).
fn read_one(
    world: &World,
    out: &mut Outcome,
    fig: &Figures,
    v: &Staff,
    id: i64,
    at: At,
) -> Result<Referral, StorageError> {
    let store = &world.store;
    let before = store.audit_head().unwrap().map_or(0, |(s, _)| s);
    let res = store.referral(
        v,
        id,
        at.instant(world.start),
        &WorkCalendar::default(),
        &Deadlines::default(),
    );
    bump(&fig.reads, 1);
    let after = store.audit_head().unwrap().map_or(0, |(s, _)| s);
    let want = match &res {
        Ok(_) => "view",
        Err(StorageError::NotFound) => {
            bump(&fig.refused, 1);
            "refused"
        }
        Err(e) => {
            out.diff("read fails", format!("{} on referral {id}: {e:?}", v.login));
            return res;
        }
    };
    let rows = store.audit_tail(4).unwrap();
    let new: Vec<_> = rows.iter().filter(|r| r.seq > before).collect();
    let ok = after - before == 1
        && new.len() == 1
        && new[0].action == want
        && new[0].object_type == object::REFERRAL
        && new[0].object_id == Some(id)
        && new[0].staff_id == Some(v.id.0);
    if !ok {
        out.diff(
            format!("read does not leave exactly one `{want}` audit row"),
            format!(
                "{} on referral {id}: {:?}",
                v.login,
                new.iter()
                    .map(|r| (r.action.clone(), r.object_type.clone(), r.object_id))
                    .collect::<Vec<_>>()
            ),
        );
    }
    res
}

/// Open, "akut" or "dringend" (the Jugendamt's classification once there is one), and still
/// waiting for receipt, initial assessment or first contact: what the on-call list is for.
fn oncall_due(r: &RefModel) -> bool {
    let class = r.class.unwrap_or(match r.urgency {
        Urgency::Acute => Classification::Acute,
        Urgency::Urgent => Classification::Urgent,
        Urgency::NotAcute => Classification::NotAcute,
    });
    matches!(
        r.status,
        ReferralStatus::Sent | ReferralStatus::Received | ReferralStatus::Triaged
    ) && matches!(class, Classification::Acute | Classification::Urgent)
}

/// Every mismatch between the store and the oracle in `world`.
fn check_world(world: &World, fig: &Figures) -> Outcome {
    let oracle = Oracle {
        staff: &world.staff,
        deputy: &world.deputy,
        functions: &world.functions,
        absences: &world.absences,
        shifts: &world.shifts,
        start: world.start,
    };
    let mut out = Outcome {
        diffs: world.write_diffs.clone(),
        unclear: Vec::new(),
    };
    let store = &world.store;
    let (cal, d) = (WorkCalendar::default(), Deadlines::default());
    bump(&fig.worlds, 1);
    bump(&fig.staff, world.staff.len() as u64);
    bump(&fig.referrals, world.referrals.len() as u64);
    bump(&fig.consults, world.consults.len() as u64);
    bump(&fig.steps, world.steps);
    let model = |id: i64| world.referrals.iter().find(|r| r.id == id);
    for at in At::VIEWS {
        let now = at.instant(world.start);
        for v in &world.staff {
            let who = format!(
                "{} ({}, {}) at {}",
                v.login,
                v.role_codes(),
                if v.active { "active" } else { "inactive" },
                at.name()
            );
            let verdicts: Vec<Verdict> = world
                .referrals
                .iter()
                .map(|r| oracle.referral(v, r, at))
                .collect();
            let verdict_of = |id: i64| {
                world
                    .referrals
                    .iter()
                    .position(|r| r.id == id)
                    .map(|i| verdicts[i])
            };
            // The list (F4).
            let list = store.referrals_for(v, now, &cal, &d).unwrap();
            bump(&fig.list_rows, list.len() as u64);
            let ids: BTreeSet<i64> = list.iter().map(|r| r.id).collect();
            for (r, verdict) in world.referrals.iter().zip(&verdicts) {
                out.shown(*verdict, ids.contains(&r.id), "referral list", || {
                    format!("{who}: referral {} {:?}", r.id, r.status)
                });
            }
            for row in &list {
                let Some(r) = model(row.id) else {
                    out.diff("referral list shows an unknown referral", who.clone());
                    continue;
                };
                check_escalated(
                    &mut out,
                    verdict_of(row.id).unwrap(),
                    row,
                    r,
                    at,
                    "list",
                    &who,
                );
                if row.escalated {
                    bump(&fig.escalated, 1);
                }
                if v.agency == Agency::Jobcenter {
                    out.jc_row(row, r, "list", &who);
                }
            }
            // The on-call list (F6).
            let oncall = store.oncall_referrals(v, now, &cal, &d).unwrap();
            bump(&fig.oncall_rows, oncall.len() as u64);
            let on: BTreeSet<i64> = oncall.iter().map(|r| r.id).collect();
            for (r, verdict) in world.referrals.iter().zip(&verdicts) {
                let shown = on.contains(&r.id);
                if *verdict == Verdict::Hidden && shown {
                    out.diff(
                        "on-call list shows one the oracle refuses",
                        format!("{who}: referral {} {:?}", r.id, r.status),
                    );
                }
                if matches!(verdict, Verdict::See { .. })
                    && v.agency == Agency::Jugendamt
                    && oncall_due(r)
                    && !shown
                {
                    out.diff(
                        "on-call list misses an open akut/dringend one the viewer may read",
                        format!("{who}: referral {} {:?}", r.id, r.status),
                    );
                }
            }
            for row in &oncall {
                if let Some(r) = model(row.id) {
                    check_escalated(
                        &mut out,
                        verdict_of(row.id).unwrap(),
                        row,
                        r,
                        at,
                        "on-call list",
                        &who,
                    );
                    if v.agency == Agency::Jobcenter {
                        out.jc_row(row, r, "on-call list", &who);
                    }
                }
            }
            // The banner counts: waiting for receipt, overdue.
            let (waiting, late) = store.referral_counts(v, now, &cal, &d).unwrap();
            let mut bounds = [(0usize, 0usize); 2];
            for (r, verdict) in world.referrals.iter().zip(&verdicts) {
                let (lo, hi) = match verdict {
                    Verdict::See { .. } => (1, 1),
                    Verdict::Unclear(_) => (0, 1),
                    Verdict::Hidden => (0, 0),
                };
                for (k, counts) in [r.status == ReferralStatus::Sent, overdue(r, at)]
                    .into_iter()
                    .enumerate()
                {
                    if counts {
                        bounds[k].0 += lo;
                        bounds[k].1 += hi;
                    }
                }
            }
            for ((name, n), (lo, hi)) in [("waiting", waiting), ("overdue", late)]
                .into_iter()
                .zip(bounds)
            {
                if n > hi {
                    out.diff(
                        format!("banner count {name} includes referrals the viewer may not read"),
                        format!("{who}: {n} > {hi}"),
                    );
                }
                if v.agency == Agency::Jugendamt && n < lo {
                    out.diff(
                        format!("banner count {name} misses referrals the viewer reads"),
                        format!("{who}: {n} < {lo}"),
                    );
                }
            }
            // Single reads.
            for (r, verdict) in world.referrals.iter().zip(&verdicts) {
                let res = read_one(world, &mut out, fig, v, r.id, at);
                let got = match res {
                    Ok(got) => Some(got),
                    Err(StorageError::NotFound) => None,
                    Err(_) => continue,
                };
                out.shown(*verdict, got.is_some(), "single read", || {
                    format!("{who}: referral {} {:?}", r.id, r.status)
                });
                let Some(got) = got else { continue };
                check_escalated(&mut out, *verdict, &got.row, r, at, "read", &who);
                if v.agency == Agency::Jobcenter {
                    bump(&fig.jc_reads, 1);
                    out.jc_referral(&got, r, &who);
                } else if (v.has_role(Role::Lead)
                    || oracle.on_call(v, at)
                    || r.assigned == Some(v.id))
                    && got.ja.is_none()
                {
                    // § 5.1 "JA intake, triage, outcome": assigned RW, on-call RW, lead R.
                    out.diff(
                        "read: Jugendamt lead/on-call/assigned misses the Jugendamt's side",
                        who.clone(),
                    );
                }
            }
        }
    }
    // A referral that does not exist is refused like one that may not be seen.
    if let Some(v) = world.staff.first() {
        let res = read_one(world, &mut out, fig, v, 999_999, At::Fresh);
        if !matches!(res, Err(StorageError::NotFound)) {
            out.diff(
                "read of a missing referral is not NotFound",
                v.login.clone(),
            );
        }
    }
    // Consultations.
    for v in &world.staff {
        let who = format!(
            "{} ({}, {})",
            v.login,
            v.role_codes(),
            if v.active { "active" } else { "inactive" }
        );
        let got: BTreeSet<i64> = store
            .consults_for(v)
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect();
        let insofa = oracle.funcs(v.id).insofa;
        for c in &world.consults {
            let verdict = oracle.consult(v, c);
            // Who the viewer is, for the count by kind.
            let label = match (insofa, ja_professional(v)) {
                (true, false) => "consultation list (InsoFa function, no Jugendamt professional)",
                (true, true) if c.adviser.is_some() => {
                    "consultation list (InsoFa, consultation advised by another)"
                }
                _ => "consultation list",
            };
            out.shown(verdict, got.contains(&c.id), label, || {
                format!("{who}: consultation {} (adviser {:?})", c.id, c.adviser)
            });
        }
        if got
            .iter()
            .any(|id| world.consults.iter().all(|c| c.id != *id))
        {
            out.diff("consultation list shows an unknown consultation", who);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// The tests.

/// Worlds per run.
const WORLDS: u32 = 256;

#[test]
#[allow(
    clippy::print_stderr,
    reason = "the figures of the run are part of the report"
)]
fn cp_access_matrix_property() {
    let today = support::today();
    let fig = Figures::default();
    let started = Instant::now();
    let mut runner = TestRunner::new(Config {
        cases: WORLDS,
        failure_persistence: None,
        max_shrink_iters: 300,
        ..Config::default()
    });
    let result = runner.run(&world_spec(), |spec| {
        let world = build(&spec, today);
        let out = check_world(&world, &fig);
        if out.diffs.is_empty() {
            Ok(())
        } else {
            let mut msg = format!("{} mismatch(es) with the oracle:\n", out.diffs.len());
            for (kind, detail) in out.diffs.iter().take(40) {
                let _ = writeln!(msg, "  {kind}: {detail}");
            }
            Err(TestCaseError::fail(msg))
        }
    });
    eprintln!(
        "cp_access_matrix_property: {} worlds, {} staff, {} referrals, {} consultations, {} steps, \
         {} single reads ({} refused, {} by the Jobcenter), {} list rows, {} on-call rows, \
         {} escalated rows, {:.1} s",
        fig.worlds.get(),
        fig.staff.get(),
        fig.referrals.get(),
        fig.consults.get(),
        fig.steps.get(),
        fig.reads.get(),
        fig.refused.get(),
        fig.jc_reads.get(),
        fig.list_rows.get(),
        fig.oncall_rows.get(),
        fig.escalated.get(),
        started.elapsed().as_secs_f64()
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// The same worlds without shrinking or stopping: every difference from the oracle is
/// counted by kind, and so is the store's answer where the rules do not decide. Fails when
/// any difference is found.
#[test]
#[allow(
    clippy::print_stderr,
    reason = "the figures of the run are part of the report"
)]
fn cp_access_oracle_difference_count() {
    use proptest::strategy::ValueTree as _;
    let today = support::today();
    let fig = Figures::default();
    let mut runner = TestRunner::deterministic();
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    let mut examples: BTreeMap<String, String> = BTreeMap::new();
    let mut unclear: BTreeMap<(&'static str, bool), usize> = BTreeMap::new();
    let mut total = 0;
    for _ in 0..WORLDS {
        let spec = world_spec().new_tree(&mut runner).unwrap().current();
        let world = build(&spec, today);
        let out = check_world(&world, &fig);
        for (kind, detail) in out.diffs {
            total += 1;
            examples.entry(kind.clone()).or_insert(detail);
            *by_kind.entry(kind).or_default() += 1;
        }
        for u in out.unclear {
            *unclear.entry(u).or_default() += 1;
        }
    }
    eprintln!(
        "cp_access_oracle_difference_count: {total} difference(s) in {WORLDS} worlds \
         ({} referrals, {} consultations, {} steps, {} single reads, {} refused, {} escalated rows)",
        fig.referrals.get(),
        fig.consults.get(),
        fig.steps.get(),
        fig.reads.get(),
        fig.refused.get(),
        fig.escalated.get()
    );
    for (kind, n) in &by_kind {
        eprintln!("  {n:6}  {kind}   (e.g. {})", examples[kind]);
    }
    eprintln!("  not decided by the rules (store shows / hides):");
    let cats: BTreeSet<&str> = unclear.keys().map(|(c, _)| *c).collect();
    for c in cats {
        eprintln!(
            "  {:6} / {:6}  {c}",
            unclear.get(&(c, true)).copied().unwrap_or(0),
            unclear.get(&(c, false)).copied().unwrap_or(0)
        );
    }
    assert_eq!(total, 0, "differences from the oracle: {by_kind:?}");
}
