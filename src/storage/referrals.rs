//! Child-protection referrals and anonymous consultations in the store. Every read of one
//! referral and every step is audited in the same transaction; who may see which referral is
//! decided here, not in the screens (default deny, docs/domain.md 5.1).
//!
//! Visibility: the reporter sees their own referrals; the Jobcenter lead reads the
//! Jobcenter's. In the Jugendamt the team lead, the on-call service and the intake function
//! see every sent referral; other professionals see those assigned to them, those they are
//! named for as second signer, and those whose deadline has passed while their colleague is
//! the assigned person they deputise for (the escalation ladder).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::audit::{AuditAction, AuditEntry, append_at};
use super::{StorageError, Store, ts};
use crate::domain::calendar::WorkCalendar;
use crate::domain::referral::{
    AgeBand, AssessmentResult, Classification, Clock, Clocks, ConsultResult, DeadlineState,
    Deadlines, DirectImpression, FeedbackStatus, FollowUp, FourEyesError, FourEyesStep,
    IndicatorArea, JaActive, LegalBasis, NextStep, PriorStep, Rating, ReferralChild, ReferralInput,
    ReferralStatus, SecrecyHolder, Step, StepAnswer, Urgency, check_second, consult_code,
    contact_due, is_ja_professional, ja_reference, open_deadlines, provisional_class,
};
use crate::domain::refusal::Refusal;
use crate::domain::{Agency, Role, Staff, StaffId};
use crate::model::referral::{
    Consult, Function, JaSide, Pending, Referral, ReferralEvent, ReferralRow,
};

/// Audit object types of this module.
pub mod object {
    /// A referral.
    pub const REFERRAL: &str = "cp_referral";
    /// An anonymous consultation.
    pub const CONSULT: &str = "anon_consult";
}

/// A stored instant; the earliest instant for a damaged value (it then sorts first and shows
/// as overdue rather than hiding).
fn parse_ts(s: &str) -> DateTime<Utc> {
    super::parse_ts(s).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

#[expect(
    clippy::needless_pass_by_value,
    reason = "callers hand over fresh column values"
)]
fn opt_ts(s: Option<String>) -> Option<DateTime<Utc>> {
    s.as_deref().map(parse_ts)
}

fn to_toml(map: &BTreeMap<String, String>) -> String {
    toml::to_string(map).unwrap_or_default()
}

fn from_toml(s: &str) -> BTreeMap<String, String> {
    toml::from_str(s).unwrap_or_default()
}

pub(crate) fn has_function(
    conn: &Connection,
    staff: StaffId,
    f: Function,
) -> Result<bool, StorageError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM staff_function WHERE staff_id = ?1 AND function = ?2")?
        .query_row(params![staff.0, f.code()], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Whether `me` sees every sent referral of the Jugendamt side at `now`: the lead, intake,
/// and an on-call worker inside a shift of the rota (docs/casework.md § 5).
pub(crate) fn sees_all_ja(
    conn: &Connection,
    me: &Staff,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    Ok(me.active
        && me.agency == Agency::Jugendamt
        && (me.has_role(Role::Lead)
            || (me.has_role(Role::JaOncall) && super::oncall::on_shift(conn, me.id, now)?)
            || has_function(conn, me.id, Function::Intake)?))
}

const ROW_COLUMNS: &str = "r.id, r.ja_ref, r.urgency, r.classification, r.status, r.feedback_status, \
     r.sent_at, r.reporter_id, s.given_name || ' ' || s.surname, r.reporter_phone, r.reachable_until, \
     r.received_at, r.contact_at, r.assessed_at, r.updated_at, r.pending_step, r.pending_by, \
     r.pending_second, r.assigned_to, r.version, \
     (SELECT p.given_name || ' ' || p.surname FROM staff p WHERE p.id = r.pending_by), \
     (SELECT a.deputy_id FROM staff a WHERE a.id = r.assigned_to), \
     EXISTS (SELECT 1 FROM cp_event e WHERE e.referral_id = r.id AND e.kind <> 'sent' \
             AND (e.staff_id = ?2 OR e.second_id = ?2))";

/// The raw facts of one row before the access decision.
struct RawRow {
    row: ReferralRow,
    reporter_id: i64,
    pending_by: Option<i64>,
    pending_second: Option<i64>,
    assigned_to: Option<i64>,
    assigned_deputy: Option<i64>,
    /// The viewer took part in a step of the Jugendamt (received, signed, confirmed).
    involved: bool,
    clocks: Clocks,
}

fn map_raw(r: &Row<'_>) -> rusqlite::Result<RawRow> {
    let urgency = Urgency::from_code(&r.get::<_, String>(2)?).unwrap_or(Urgency::NotAcute);
    let class = r
        .get::<_, Option<String>>(3)?
        .and_then(|c| Classification::from_code(&c));
    let status = ReferralStatus::from_code(&r.get::<_, String>(4)?).unwrap_or(ReferralStatus::Sent);
    let feedback = r
        .get::<_, Option<String>>(5)?
        .and_then(|c| FeedbackStatus::from_code(&c));
    let sent = parse_ts(&r.get::<_, String>(6)?);
    let pending_step = r
        .get::<_, Option<String>>(15)?
        .and_then(|c| FourEyesStep::from_code(&c));
    let pending_name: Option<String> = r.get(20)?;
    let clocks = Clocks {
        status,
        urgency,
        class,
        sent,
        received: opt_ts(r.get(11)?),
        contacted: opt_ts(r.get(12)?),
        assessed: opt_ts(r.get(13)?),
        feedback,
        last_change: parse_ts(&r.get::<_, String>(14)?),
    };
    Ok(RawRow {
        row: ReferralRow {
            id: r.get(0)?,
            ja_ref: r.get(1)?,
            urgency,
            class,
            status,
            feedback,
            sent_at: sent,
            children: Vec::new(),
            reporter: r.get(8)?,
            reporter_phone: r.get(9)?,
            reachable_until: r.get(10)?,
            deadline: None,
            last_step: None,
            pending: pending_step.map(|s| (s, pending_name.unwrap_or_default())),
            escalated: false,
            version: r.get(19)?,
        },
        reporter_id: r.get(7)?,
        pending_by: r.get(16)?,
        pending_second: r.get(17)?,
        assigned_to: r.get(18)?,
        assigned_deputy: r.get(21)?,
        involved: r.get(22)?,
        clocks,
    })
}

/// The access decision for one row; `Some(escalated)` when visible.
fn visible(
    raw: &RawRow,
    me: &Staff,
    all_ja: bool,
    now: DateTime<Utc>,
    cal: &WorkCalendar,
    d: &Deadlines,
) -> Option<bool> {
    if !me.active {
        return None;
    }
    match me.agency {
        Agency::Jobcenter => {
            (raw.reporter_id == me.id.0 || me.has_role(Role::Lead)).then_some(false)
        }
        Agency::Jugendamt => {
            if !is_ja_professional(me) {
                return None;
            }
            let overdue = open_deadlines(&raw.clocks, cal, d)
                .first()
                .is_some_and(|x| x.state(now) == DeadlineState::Overdue);
            let mine = raw.assigned_to == Some(me.id.0)
                || raw.pending_second == Some(me.id.0)
                || raw.pending_by == Some(me.id.0)
                || raw.involved;
            if mine {
                Some(false)
            } else if overdue && raw.assigned_deputy == Some(me.id.0) {
                Some(true)
            } else if all_ja {
                Some(overdue && me.has_role(Role::Lead))
            } else {
                None
            }
        }
    }
}

fn children_of(
    conn: &Connection,
    id: i64,
) -> Result<Vec<(ReferralChild, Option<AssessmentResult>)>, StorageError> {
    let mut stmt = conn.prepare_cached(
        "SELECT surname, given_names, birth_date, whereabouts, custody, result FROM cp_child \
         WHERE referral_id = ?1 ORDER BY no",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((
            ReferralChild {
                surname: r.get(0)?,
                given_names: r.get(1)?,
                birth_date: r
                    .get::<_, Option<String>>(2)?
                    .and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()),
                whereabouts: r.get(3)?,
                custody: r.get(4)?,
            },
            r.get::<_, Option<String>>(5)?
                .and_then(|c| AssessmentResult::from_code(&c)),
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn last_event(conn: &Connection, id: i64) -> Result<Option<(String, DateTime<Utc>)>, StorageError> {
    Ok(conn
        .prepare_cached(
            "SELECT kind, at FROM cp_event WHERE referral_id = ?1 ORDER BY at DESC, id DESC LIMIT 1",
        )?
        .query_row([id], |r| Ok((r.get::<_, String>(0)?, parse_ts(&r.get::<_, String>(1)?))))
        .optional()?)
}

/// How [`Store::raw_rows_where`] narrows the referrals in SQL.
#[derive(Debug, Clone, Copy)]
enum Prefilter {
    /// Every referral.
    All,
    /// Those whose child-safety clocks may run: sent, received, triaged (the on-call view).
    OnCallClocks,
    /// Akut and not yet received (the reporter's warning).
    AcuteUnreceived,
}

/// The state as the Jobcenter may know it: the Jugendamt's internal steps (triage,
/// clarification, assessment, measures) all read "Eingegangen".
fn jc_status(s: ReferralStatus) -> ReferralStatus {
    match s {
        ReferralStatus::Triaged
        | ReferralStatus::Investigating
        | ReferralStatus::Assessed
        | ReferralStatus::Measures => ReferralStatus::Received,
        other => other,
    }
}

/// Whether an event kind may be shown to the Jobcenter (the Jugendamt's internal steps are
/// not theirs to see).
fn jc_may_see(kind: &str) -> bool {
    matches!(
        kind,
        "sent" | "receive" | "receipt_sent" | "addendum" | "feedback" | "feedback_not_permitted"
    )
}

/// The reporter's side of one referral as stored (columns of `cp_referral` the list row
/// does not carry).
struct ReportColumns {
    secrecy_holder: String,
    legal_basis: String,
    phoned_at: Option<String>,
    phoned_to: String,
    case_id: Option<i64>,
    household: String,
    observed_on: Option<String>,
    facts: String,
    verbatim: String,
    assessment: String,
    immediate_actions: String,
    wants_receipt: bool,
}

impl ReportColumns {
    const SELECT: &'static str = "SELECT secrecy_holder, legal_basis, phoned_at, phoned_to, \
         case_id, household, observed_on, facts, verbatim, assessment, immediate_actions, \
         wants_receipt FROM cp_referral WHERE id = ?1";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(ReportColumns {
            secrecy_holder: r.get(0)?,
            legal_basis: r.get(1)?,
            phoned_at: r.get(2)?,
            phoned_to: r.get(3)?,
            case_id: r.get(4)?,
            household: r.get(5)?,
            observed_on: r.get(6)?,
            facts: r.get(7)?,
            verbatim: r.get(8)?,
            assessment: r.get(9)?,
            immediate_actions: r.get(10)?,
            wants_receipt: r.get::<_, i64>(11)? == 1,
        })
    }
}

/// The Jugendamt's side of one referral as stored (codes and timestamps undecoded).
struct JaColumns {
    received_by: Option<String>,
    assigned_to: Option<i64>,
    forwarded_to: Option<String>,
    next_step: Option<String>,
    contact_due: Option<String>,
    contact_at: Option<String>,
    direct_impression: Option<String>,
    follow_up: Option<String>,
    pending_payload: Option<String>,
    feedback_confirmed: Option<i64>,
    feedback_ja_active: Option<String>,
    feedback_reason: Option<String>,
    received_at: Option<String>,
    receipt_sent_at: Option<String>,
}

impl JaColumns {
    const SELECT: &'static str = "SELECT (SELECT x.given_name || ' ' || x.surname FROM staff x \
         WHERE x.id = received_by), assigned_to, forwarded_to, next_step, contact_due, contact_at, \
         direct_impression, follow_up, pending_payload, feedback_confirmed, feedback_ja_active, \
         feedback_reason, received_at, receipt_sent_at FROM cp_referral WHERE id = ?1";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(JaColumns {
            received_by: r.get(0)?,
            assigned_to: r.get(1)?,
            forwarded_to: r.get(2)?,
            next_step: r.get(3)?,
            contact_due: r.get(4)?,
            contact_at: r.get(5)?,
            direct_impression: r.get(6)?,
            follow_up: r.get(7)?,
            pending_payload: r.get(8)?,
            feedback_confirmed: r.get(9)?,
            feedback_ja_active: r.get(10)?,
            feedback_reason: r.get(11)?,
            received_at: r.get(12)?,
            receipt_sent_at: r.get(13)?,
        })
    }
}

impl Store {
    /// Staff functions of `staff`.
    pub fn has_function(&self, staff: StaffId, f: Function) -> Result<bool, StorageError> {
        has_function(self.conn(), staff, f)
    }

    /// The deputy ("Vertretung") of `staff`, if one is set.
    pub fn deputy_of(&self, staff: StaffId) -> Result<Option<StaffId>, StorageError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT deputy_id FROM staff WHERE id = ?1",
                [staff.0],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()?
            .flatten()
            .map(StaffId))
    }

    /// Gives `staff` a function (demo and administration).
    pub fn add_function(&self, staff: StaffId, f: Function) -> Result<(), StorageError> {
        self.write(|tx| {
            tx.execute(
                "INSERT OR IGNORE INTO staff_function (staff_id, function) VALUES (?1, ?2)",
                params![staff.0, f.code()],
            )?;
            Ok(())
        })
    }

    fn raw_rows(&self, me: &Staff, only: Option<i64>) -> Result<Vec<RawRow>, StorageError> {
        self.raw_rows_where(me, only, Prefilter::All)
    }

    /// [`Self::raw_rows`] narrowed in SQL by `pre`: the narrowing only drops rows that the
    /// caller's own check would drop anyway, so that a list of the few open referrals does
    /// not build a row for every referral of the years (docs/performance.md § 2).
    fn raw_rows_where(
        &self,
        me: &Staff,
        only: Option<i64>,
        pre: Prefilter,
    ) -> Result<Vec<RawRow>, StorageError> {
        let narrow = match pre {
            Prefilter::All => "",
            Prefilter::OnCallClocks => " AND r.status IN ('sent', 'received', 'triaged')",
            Prefilter::AcuteUnreceived => " AND r.status = 'sent' AND r.urgency = 'akut'",
        };
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM cp_referral r JOIN staff s ON s.id = r.reporter_id \
             WHERE (?1 IS NULL OR r.id = ?1){narrow} ORDER BY r.sent_at DESC"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(params![only, me.id.0], map_raw)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The referrals `me` may see: for the Jugendamt the open ones first, by their nearest
    /// deadline, then the rest newest first; for the Jobcenter newest first.
    pub fn referrals_for(
        &self,
        me: &Staff,
        now: DateTime<Utc>,
        cal: &WorkCalendar,
        d: &Deadlines,
    ) -> Result<Vec<ReferralRow>, StorageError> {
        self.referrals_where(me, now, cal, d, Prefilter::All)
    }

    /// The reporter's view of the akut referrals not yet received, as
    /// [`Self::referrals_for`] shows them (the JC's login warning to phone).
    pub fn unreceived_acute_referrals(
        &self,
        me: &Staff,
        now: DateTime<Utc>,
        cal: &WorkCalendar,
        d: &Deadlines,
    ) -> Result<Vec<ReferralRow>, StorageError> {
        self.referrals_where(me, now, cal, d, Prefilter::AcuteUnreceived)
    }

    fn referrals_where(
        &self,
        me: &Staff,
        now: DateTime<Utc>,
        cal: &WorkCalendar,
        d: &Deadlines,
        pre: Prefilter,
    ) -> Result<Vec<ReferralRow>, StorageError> {
        let all_ja = sees_all_ja(self.conn(), me, now)?;
        let mut out = Vec::new();
        for raw in self.raw_rows_where(me, None, pre)? {
            let Some(escalated) = visible(&raw, me, all_ja, now, cal, d) else {
                continue;
            };
            let mut row = raw.row;
            row.escalated = escalated;
            row.children = children_of(self.conn(), row.id)?
                .into_iter()
                .map(|(c, _)| (c.given_names, c.birth_date))
                .collect();
            if me.agency == Agency::Jugendamt {
                row.deadline = open_deadlines(&raw.clocks, cal, d).first().copied();
                row.last_step = last_event(self.conn(), row.id)?;
            } else {
                // The reporter sees the receipt clock of her referral while it is not
                // received (an overdue akut referral means: phone).
                row.deadline = open_deadlines(&raw.clocks, cal, d)
                    .into_iter()
                    .find(|x| x.clock == Clock::Receipt);
                row.class = None;
                row.status = jc_status(row.status);
                row.pending = None;
            }
            out.push(row);
        }
        if me.agency == Agency::Jugendamt {
            out.sort_by(|a, b| {
                // Open first; among them the child-safety clocks (receipt, initial
                // assessment, first contact) before the paperwork ones, the most urgent
                // class first, then the nearest deadline; the rest newest first.
                let key = |r: &ReferralRow| {
                    let safety = r.deadline.is_some_and(|x| {
                        matches!(x.clock, Clock::Receipt | Clock::Triage | Clock::Contact)
                    });
                    let class = r.class.unwrap_or_else(|| provisional_class(r.urgency));
                    (
                        !r.status.is_open(),
                        !safety,
                        class,
                        r.deadline.map_or(DateTime::<Utc>::MAX_UTC, |x| x.due),
                        std::cmp::Reverse(r.sent_at),
                    )
                };
                key(a).cmp(&key(b))
            });
        }
        Ok(out)
    }

    /// Open "akut" and "dringend" referrals still waiting for receipt, initial assessment or
    /// first contact, for the on-call view, by remaining time.
    pub fn oncall_referrals(
        &self,
        me: &Staff,
        now: DateTime<Utc>,
        cal: &WorkCalendar,
        d: &Deadlines,
    ) -> Result<Vec<ReferralRow>, StorageError> {
        if me.agency != Agency::Jugendamt {
            return Ok(Vec::new());
        }
        let mut rows: Vec<ReferralRow> = self
            .referrals_where(me, now, cal, d, Prefilter::OnCallClocks)?
            .into_iter()
            .filter(|r| {
                // The child-safety clocks: receipt, initial assessment, first contact.
                matches!(
                    r.status,
                    ReferralStatus::Sent | ReferralStatus::Received | ReferralStatus::Triaged
                ) && matches!(
                    r.class
                        .unwrap_or(crate::domain::referral::provisional_class(r.urgency)),
                    Classification::Acute | Classification::Urgent
                )
            })
            .collect();
        rows.sort_by_key(|r| r.deadline.map_or(DateTime::<Utc>::MAX_UTC, |x| x.due));
        Ok(rows)
    }

    /// One referral, audited as a view; `NotFound` when `me` may not see it.
    pub fn referral(
        &self,
        me: &Staff,
        id: i64,
        now: DateTime<Utc>,
        cal: &WorkCalendar,
        d: &Deadlines,
    ) -> Result<Referral, StorageError> {
        let all_ja = sees_all_ja(self.conn(), me, now)?;
        // A referral that does not exist is refused like one that may not be seen, and
        // logged the same way (docs/access.md A9).
        let raw = self.raw_rows(me, Some(id))?.into_iter().next();
        let Some(escalated) = raw
            .as_ref()
            .and_then(|raw| visible(raw, me, all_ja, now, cal, d))
        else {
            self.write(|tx| {
                append_at(
                    tx,
                    &AuditEntry::new(AuditAction::Refused, object::REFERRAL)
                        .by(me)
                        .object(id)
                        .detail(super::audit::detail::NOT_VISIBLE),
                    &ts(self.now()),
                )
                .map(|_| ())
            })?;
            return Err(StorageError::NotFound);
        };
        let Some(raw) = raw else {
            return Err(StorageError::NotFound);
        };
        let conn = self.conn();
        let ja_view = me.agency == Agency::Jugendamt;
        let extra = conn.query_row(ReportColumns::SELECT, [id], ReportColumns::from_row)?;
        let ja = conn.query_row(JaColumns::SELECT, [id], JaColumns::from_row)?;
        let children = children_of(conn, id)?;
        let indicators = {
            let mut stmt = conn.prepare_cached(
                "SELECT child_no, area, rating FROM cp_indicator WHERE referral_id = ?1",
            )?;
            let rows = stmt.query_map([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            let mut v: Vec<(usize, IndicatorArea, Rating)> = rows
                .filter_map(Result::ok)
                .filter_map(|(c, a, r)| {
                    Some((
                        usize::try_from(c).ok()?,
                        IndicatorArea::from_code(&a)?,
                        Rating::from_code(&r)?,
                    ))
                })
                .collect();
            v.sort();
            v
        };
        let steps = {
            let mut stmt = conn.prepare_cached(
                "SELECT step, answer, on_date, reason FROM cp_prior_step WHERE referral_id = ?1",
            )?;
            let rows = stmt.query_map([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?;
            let mut v: Vec<(PriorStep, StepAnswer)> = rows
                .filter_map(Result::ok)
                .filter_map(|(s, a, d, reason)| {
                    let step = PriorStep::from_code(&s)?;
                    let answer = if a == "yes" {
                        StepAnswer::Yes(chrono::NaiveDate::parse_from_str(&d?, "%Y-%m-%d").ok()?)
                    } else {
                        StepAnswer::No(reason)
                    };
                    Some((step, answer))
                })
                .collect();
            v.sort_by_key(|(s, _)| *s);
            v
        };
        let events = {
            let mut stmt = conn.prepare_cached(
                "SELECT e.at, coalesce((SELECT s.given_name || ' ' || s.surname FROM staff s WHERE s.id = e.staff_id), ''), \
                 (SELECT s.given_name || ' ' || s.surname FROM staff s WHERE s.id = e.second_id), e.kind, e.detail \
                 FROM cp_event e WHERE e.referral_id = ?1 ORDER BY e.at, e.id",
            )?;
            let rows = stmt.query_map([id], |r| {
                Ok(ReferralEvent {
                    at: parse_ts(&r.get::<_, String>(0)?),
                    by: r.get(1)?,
                    second: r.get(2)?,
                    kind: r.get(3)?,
                    detail: r.get(4)?,
                })
            })?;
            rows.filter_map(Result::ok)
                .filter(|e| ja_view || jc_may_see(&e.kind))
                .collect::<Vec<_>>()
        };
        let input = ReferralInput {
            urgency: raw.row.urgency,
            phoned_ahead: extra
                .phoned_at
                .as_deref()
                .map(parse_ts)
                .map(|t| (crate::domain::tz::to_local(t), extra.phoned_to.clone())),
            reporter_phone: raw.row.reporter_phone.clone(),
            reachable_until: raw.row.reachable_until.clone(),
            secrecy_holder: SecrecyHolder::from_code(&extra.secrecy_holder)
                .unwrap_or(SecrecyHolder::Unclear),
            legal_basis: LegalBasis::from_code(&extra.legal_basis).unwrap_or(LegalBasis::Sgbx69),
            case_id: extra.case_id,
            children: children.iter().map(|(c, _)| c.clone()).collect(),
            household: extra.household,
            observed_on: extra
                .observed_on
                .and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()),
            facts: extra.facts,
            verbatim: extra.verbatim,
            assessment: extra.assessment,
            indicators,
            steps,
            immediate_actions: extra.immediate_actions,
            wants_receipt: extra.wants_receipt,
            wants_feedback: raw.row.feedback.is_some(),
        };
        let pending = raw.row.pending.as_ref().and_then(|(step, name)| {
            Some(Pending {
                step: *step,
                by: StaffId(raw.pending_by?),
                by_name: name.clone(),
                second: raw.pending_second.map(StaffId),
                payload: from_toml(ja.pending_payload.as_deref().unwrap_or("")),
            })
        });
        let mut row = raw.row.clone();
        row.escalated = escalated;
        row.children = input
            .children
            .iter()
            .map(|c| (c.given_names.clone(), c.birth_date))
            .collect();
        if ja_view {
            row.deadline = open_deadlines(&raw.clocks, cal, d).first().copied();
            row.last_step = last_event(conn, id)?;
        } else {
            row.class = None;
            row.status = jc_status(row.status);
            row.pending = None;
        }
        let referral = Referral {
            reporter_id: StaffId(raw.reporter_id),
            ja: ja_view.then(|| JaSide {
                received_by: ja.received_by.clone(),
                assigned_to: ja.assigned_to.map(StaffId),
                forwarded_to: ja.forwarded_to.clone(),
                next_step: ja.next_step.as_deref().and_then(NextStep::from_code),
                contact_due: opt_ts(ja.contact_due.clone()),
                contact_at: opt_ts(ja.contact_at.clone()),
                impression: ja
                    .direct_impression
                    .as_deref()
                    .and_then(DirectImpression::from_code),
                results: children.iter().map(|(_, r)| *r).collect(),
                follow_up: ja.follow_up.as_deref().and_then(FollowUp::from_code),
                pending,
            }),
            received_at: opt_ts(ja.received_at.clone()),
            receipt_sent_at: opt_ts(ja.receipt_sent_at.clone()),
            feedback_answer: ja
                .feedback_confirmed
                .zip(
                    ja.feedback_ja_active
                        .as_deref()
                        .and_then(JaActive::from_code),
                )
                .map(|(c, a)| (c == 1, a)),
            feedback_reason: ja.feedback_reason.clone(),
            events,
            input,
            row,
        };
        self.write(|tx| {
            append_at(
                tx,
                &AuditEntry::new(AuditAction::View, object::REFERRAL)
                    .by(me)
                    .object(id),
                &ts(self.now()),
            )
            .map(|_| ())
        })?;
        Ok(referral)
    }

    /// Sends a referral: one transaction writes it with its children, indicators and steps,
    /// the first timeline entry and the audit row of the transfer to the Jugendamt.
    pub fn send_referral(
        &self,
        me: &Staff,
        input: &ReferralInput,
        now: DateTime<Utc>,
    ) -> Result<i64, StorageError> {
        let res = (|| -> Result<i64, StorageError> {
            if !(me.active && me.agency == Agency::Jobcenter && me.has_role(Role::JcU25)) {
                return Err(StorageError::Refused(Refusal::NotQualified));
            }
            // The form checks this too; the store holds the rule for every other caller
            // (docs/access.md A10).
            if input.children.is_empty()
                || (input.urgency == Urgency::Acute && input.phoned_ahead.is_none())
            {
                return Err(StorageError::Refused(Refusal::ReferralIncomplete));
            }
            if let Some(case) = input.case_id
                && self.load_case(me, crate::domain::CaseId(case)).is_err()
            {
                return Err(StorageError::Refused(Refusal::NoCase));
            }
            let at = ts(now);
            self.write(|tx| {
                tx.execute(
                    "INSERT INTO cp_referral (reporter_id, reporter_phone, reachable_until, secrecy_holder, \
                     legal_basis, urgency, phoned_at, phoned_to, case_id, household, observed_on, facts, \
                     verbatim, assessment, immediate_actions, wants_receipt, status, feedback_status, \
                     sent_at, created_at, updated_at, updated_by) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 'sent', \
                     ?17, ?18, ?18, ?18, ?1)",
                    params![
                        me.id.0,
                        input.reporter_phone,
                        input.reachable_until,
                        input.secrecy_holder.code(),
                        input.legal_basis.code(),
                        input.urgency.code(),
                        input
                            .phoned_ahead
                            .as_ref()
                            .map(|(t, _)| ts(crate::domain::tz::from_local(*t))),
                        input.phoned_ahead.as_ref().map_or("", |(_, w)| w.as_str()),
                        input.case_id,
                        input.household,
                        input.observed_on.map(|d| d.format("%Y-%m-%d").to_string()),
                        input.facts,
                        input.verbatim,
                        input.assessment,
                        input.immediate_actions,
                        i64::from(input.wants_receipt),
                        input.wants_feedback.then_some(FeedbackStatus::Open.code()),
                        at,
                    ],
                )?;
                let id = tx.last_insert_rowid();
                for (no, c) in input.children.iter().enumerate() {
                    tx.execute(
                        "INSERT INTO cp_child (referral_id, no, surname, given_names, birth_date, \
                         whereabouts, custody) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        params![
                            id,
                            i64::try_from(no).unwrap_or(0),
                            c.surname,
                            c.given_names,
                            c.birth_date.map(|d| d.format("%Y-%m-%d").to_string()),
                            c.whereabouts,
                            c.custody
                        ],
                    )?;
                }
                for (child, area, rating) in &input.indicators {
                    tx.execute(
                        "INSERT INTO cp_indicator (referral_id, child_no, area, rating) VALUES (?1, ?2, ?3, ?4)",
                        params![id, i64::try_from(*child).unwrap_or(0), area.code(), rating.code()],
                    )?;
                }
                for (step, answer) in &input.steps {
                    let (a, d, reason) = match answer {
                        StepAnswer::Yes(d) => ("yes", Some(d.format("%Y-%m-%d").to_string()), ""),
                        StepAnswer::No(r) => ("no", None, r.as_str()),
                    };
                    tx.execute(
                        "INSERT INTO cp_prior_step (referral_id, step, answer, on_date, reason) \
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![id, step.code(), a, d, reason],
                    )?;
                }
                event(tx, id, now, Some(me.id), None, "sent", "")?;
                append_at(
                    tx,
                    &AuditEntry::new(AuditAction::Transfer, object::REFERRAL)
                        .by(me)
                        .object(id)
                        .detail(input.legal_basis.code()), &ts(self.now()),
                )?;
                Ok(id)
            })
        })();
        self.log_refused_by_rule(me, object::REFERRAL, None, res)
    }

    /// Runs one write on a referral the person may see and whose version is `version`;
    /// `f` gets the transaction and the current state.
    #[expect(clippy::too_many_arguments, reason = "the common frame of every step")]
    fn referral_step<T>(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        now: DateTime<Utc>,
        cal: &WorkCalendar,
        d: &Deadlines,
        audit: &'static str,
        f: impl FnOnce(&Transaction<'_>, &RawRow) -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        let all_ja = sees_all_ja(self.conn(), me, now)?;
        self.write(|tx| {
            let sql = format!(
                "SELECT {ROW_COLUMNS} FROM cp_referral r JOIN staff s ON s.id = r.reporter_id WHERE r.id = ?1"
            );
            let raw = tx
                .prepare_cached(&sql)?
                .query_row(params![id, me.id.0], map_raw)
                .optional()?
                .ok_or(StorageError::NotFound)?;
            if visible(&raw, me, all_ja, now, cal, d).is_none() {
                return Err(StorageError::NotFound);
            }
            if raw.row.version != version {
                // Who saved is named to Jugendamt staff only: the last save is usually a
                // Jugendamt step, and the reporter never learns the Jugendamt's people.
                let (by, at): (Option<String>, Option<String>) = tx
                    .query_row(
                        "SELECT (SELECT s.given_name || ' ' || s.surname FROM staff s \
                         WHERE s.id = r.updated_by), r.updated_at FROM cp_referral r WHERE r.id = ?1",
                        [id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?
                    .unwrap_or((None, None));
                // Who and when are told to Jugendamt staff only: the reporter never learns
                // the Jugendamt's people or the timing of its internal steps.
                let ja = is_ja_professional(me);
                let (by, at) = (by.filter(|_| ja), at.filter(|_| ja));
                return Err(StorageError::Conflict { by, at });
            }
            let out = f(tx, &raw)?;
            tx.execute(
                "UPDATE cp_referral SET version = version + 1, updated_at = ?2, updated_by = ?3 \
                 WHERE id = ?1",
                params![id, ts(now), me.id.0],
            )?;
            append_at(
                tx,
                &AuditEntry::new(AuditAction::Update, object::REFERRAL)
                    .by(me)
                    .object(id)
                    .version(version + 1)
                    .detail(audit), &ts(self.now()),
            )?;
            Ok(out)
        })
    }

    /// Logs a refusal of a referral or consultation write that the access rules decide
    /// (docs/access.md A7, A10): one `refused` row naming the reason's code, or
    /// `not_visible` for a referral that may not be read or does not exist. The refused
    /// write itself was rolled back; the row is written after it, in its own transaction.
    /// Other errors (a wrong state, a conflict) pass unlogged.
    fn log_refused_by_rule<T>(
        &self,
        me: &Staff,
        object_type: &'static str,
        id: Option<i64>,
        res: Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        let code = match &res {
            Err(StorageError::NotFound) => Some(super::audit::detail::NOT_VISIBLE),
            Err(StorageError::Refused(
                r @ (Refusal::NotQualified
                | Refusal::NotReporter
                | Refusal::SamePerson
                | Refusal::NoCase),
            )) => Some(r.code()),
            _ => None,
        };
        if let Some(code) = code {
            let at = ts(self.now());
            self.write(|tx| {
                let mut entry = AuditEntry::new(AuditAction::Refused, object_type)
                    .by(me)
                    .detail(code);
                if let Some(id) = id {
                    entry = entry.object(id);
                }
                append_at(tx, &entry, &at)?;
                Ok(())
            })?;
        }
        res
    }

    /// A single-person step of the Jugendamt (or the refusal of feedback). `text` is the
    /// forwarding target, the reason or the follow-up code, as the step needs.
    #[expect(clippy::too_many_arguments, reason = "the common frame of every step")]
    pub fn referral_single(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        step: Step,
        text: &str,
        now: DateTime<Utc>,
        cal: &WorkCalendar,
        d: &Deadlines,
    ) -> Result<(), StorageError> {
        let res = (|| -> Result<(), StorageError> {
            if !is_ja_professional(me) {
                return Err(StorageError::Refused(Refusal::NotQualified));
            }
            let text = crate::domain::text::sanitize(text.trim(), false);
            self.referral_step(me, id, version, now, cal, d, step.code(), |tx, raw| {
                if !step.allowed_in(raw.row.status) {
                    return Err(StorageError::Refused(Refusal::ReferralWrongState));
                }
                let at = ts(now);
                match step {
                    Step::Receive => {
                        let year = crate::domain::tz::to_local(now).year();
                        let n: i64 = tx.query_row(
                            "SELECT count(*) + 1 FROM cp_referral WHERE ja_ref LIKE ?1",
                            [format!("KS-{year}-%")],
                            |r| r.get(0),
                        )?;
                        let wants_receipt: i64 = tx.query_row(
                            "SELECT wants_receipt FROM cp_referral WHERE id = ?1",
                            [id],
                            |r| r.get(0),
                        )?;
                        tx.execute(
                            "UPDATE cp_referral SET status = 'received', received_at = ?2, received_by = ?3, \
                             assigned_to = coalesce(assigned_to, ?3), ja_ref = ?4, \
                             receipt_sent_at = CASE WHEN wants_receipt = 1 THEN ?2 END WHERE id = ?1",
                            params![id, at, me.id.0, ja_reference(year, n)],
                        )?;
                        event(tx, id, now, Some(me.id), None, "receive", "")?;
                        if wants_receipt == 1 {
                            event(tx, id, now, Some(me.id), None, "receipt_sent", "")?;
                        }
                    }
                    Step::Forward => {
                        if text.is_empty() {
                            return Err(StorageError::Refused(Refusal::ReferralWrongState));
                        }
                        tx.execute(
                            "UPDATE cp_referral SET status = 'forwarded', forwarded_to = ?2, closed_at = ?3 \
                             WHERE id = ?1",
                            params![id, text, at],
                        )?;
                        event(tx, id, now, Some(me.id), None, "forward", &text)?;
                    }
                    Step::StartClarification => {
                        tx.execute(
                            "UPDATE cp_referral SET status = 'investigating', contact_at = ?2, \
                             assigned_to = coalesce(assigned_to, ?3) WHERE id = ?1",
                            params![id, at, me.id.0],
                        )?;
                        event(tx, id, now, Some(me.id), None, "start_clarification", "")?;
                    }
                    Step::RecordMeasures => {
                        let f = FollowUp::from_code(&text)
                            .ok_or(StorageError::Refused(Refusal::ReferralWrongState))?;
                        tx.execute(
                            "UPDATE cp_referral SET status = 'measures', follow_up = ?2 WHERE id = ?1",
                            params![id, f.code()],
                        )?;
                        event(tx, id, now, Some(me.id), None, "record_measures", f.code())?;
                    }
                    Step::Close => {
                        if raw.row.feedback == Some(FeedbackStatus::Open) {
                            return Err(StorageError::Refused(Refusal::FeedbackOpen));
                        }
                        tx.execute(
                            "UPDATE cp_referral SET status = 'closed', closed_at = ?2 WHERE id = ?1",
                            params![id, at],
                        )?;
                        event(tx, id, now, Some(me.id), None, "close", "")?;
                    }
                    Step::FeedbackNotPermitted => {
                        if raw.row.feedback != Some(FeedbackStatus::Open) {
                            return Err(StorageError::Refused(Refusal::ReferralWrongState));
                        }
                        if text.is_empty() {
                            return Err(StorageError::Refused(Refusal::ReferralWrongState));
                        }
                        tx.execute(
                            "UPDATE cp_referral SET feedback_status = 'fb_not_permitted', feedback_reason = ?2, \
                             feedback_at = ?3, feedback_by = ?4 WHERE id = ?1",
                            params![id, text, at, me.id.0],
                        )?;
                        event(tx, id, now, Some(me.id), None, "feedback_not_permitted", &text)?;
                    }
                }
                Ok(())
            })
        })();
        self.log_refused_by_rule(me, object::REFERRAL, Some(id), res)
    }

    /// The first half of a four-eyes step: the proposal waits for `second` (or any other
    /// qualified colleague) to confirm it.
    #[expect(clippy::too_many_arguments, reason = "the common frame of every step")]
    pub fn propose_referral_step(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        step: FourEyesStep,
        payload: &BTreeMap<String, String>,
        second: Option<StaffId>,
        now: DateTime<Utc>,
        cal: &WorkCalendar,
        d: &Deadlines,
    ) -> Result<(), StorageError> {
        let res = (|| -> Result<(), StorageError> {
            if !is_ja_professional(me) {
                return Err(StorageError::Refused(Refusal::NotQualified));
            }
            if second == Some(me.id) {
                return Err(StorageError::Refused(Refusal::SamePerson));
            }
            self.referral_step(me, id, version, now, cal, d, step.code(), |tx, raw| {
                let state_ok = match step {
                    FourEyesStep::ContentFeedback => {
                        matches!(
                            raw.row.status,
                            ReferralStatus::Assessed
                                | ReferralStatus::Measures
                                | ReferralStatus::Closed
                        ) && raw.row.feedback == Some(FeedbackStatus::Open)
                    }
                    _ => raw.row.status == step.from_status(),
                };
                if !state_ok {
                    return Err(StorageError::Refused(Refusal::ReferralWrongState));
                }
                if raw.row.pending.is_some() {
                    return Err(StorageError::Refused(Refusal::Pending));
                }
                if step == FourEyesStep::CloseAtTriage
                    && raw.row.class != Some(Classification::NoIndicators)
                {
                    return Err(StorageError::Refused(Refusal::NotNoIndicators));
                }
                tx.execute(
                    "UPDATE cp_referral SET pending_step = ?2, pending_by = ?3, pending_second = ?4, \
                     pending_at = ?5, pending_payload = ?6 WHERE id = ?1",
                    params![
                        id,
                        step.code(),
                        me.id.0,
                        second.map(|s| s.0),
                        ts(now),
                        to_toml(payload)
                    ],
                )?;
                event(tx, id, now, Some(me.id), None, "proposed", step.code())?;
                Ok(())
            })
        })();
        self.log_refused_by_rule(me, object::REFERRAL, Some(id), res)
    }

    /// The second half of a four-eyes step. Refused for the person who proposed it.
    #[expect(clippy::too_many_arguments, reason = "the common frame of every step")]
    pub fn confirm_referral_step(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        accept: bool,
        now: DateTime<Utc>,
        cal: &WorkCalendar,
        d: &Deadlines,
    ) -> Result<(), StorageError> {
        let res = {
            let lead_signs = self.feedback_lead_signs();
            self.referral_step(me, id, version, now, cal, d, "second_signature", |tx, raw| {
                let (Some((step, _)), Some(first)) = (raw.row.pending.clone(), raw.pending_by) else {
                    return Err(StorageError::Refused(Refusal::NoPending));
                };
                match check_second(step, StaffId(first), me, lead_signs) {
                    Err(FourEyesError::SamePerson) => {
                        return Err(StorageError::Refused(Refusal::SamePerson));
                    }
                    Err(FourEyesError::NotQualified) => {
                        return Err(StorageError::Refused(Refusal::NotQualified));
                    }
                    Ok(()) => {}
                }
                let payload: String = tx.query_row(
                    "SELECT coalesce(pending_payload, '') FROM cp_referral WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )?;
                tx.execute(
                    "UPDATE cp_referral SET pending_step = NULL, pending_by = NULL, pending_second = NULL, \
                     pending_at = NULL, pending_payload = NULL WHERE id = ?1",
                    [id],
                )?;
                if !accept {
                    event(tx, id, now, Some(me.id), None, "declined", step.code())?;
                    return Ok(());
                }
                let p = from_toml(&payload);
                let get = |k: &str| p.get(k).map_or("", String::as_str);
                let at = ts(now);
                match step {
                    FourEyesStep::Triage => {
                        let class = Classification::from_code(get("class"))
                            .ok_or(StorageError::Refused(Refusal::ReferralWrongState))?;
                        let next = NextStep::from_code(get("next_step"));
                        let received = raw.clocks.received.unwrap_or(raw.clocks.sent);
                        let due = contact_due(class, received, cal, d).map(ts);
                        tx.execute(
                            "UPDATE cp_referral SET status = 'triaged', classification = ?2, next_step = ?3, \
                             triaged_at = ?4, contact_due = ?5 WHERE id = ?1",
                            params![id, class.code(), next.map(NextStep::code), at, due],
                        )?;
                    }
                    FourEyesStep::CloseAtTriage => {
                        tx.execute(
                            "UPDATE cp_referral SET status = 'closed', closed_at = ?2 WHERE id = ?1",
                            params![id, at],
                        )?;
                    }
                    FourEyesStep::Assessment => {
                        let impression = DirectImpression::from_code(get("impression"))
                            .ok_or(StorageError::Refused(Refusal::ReferralWrongState))?;
                        let n: i64 = tx.query_row(
                            "SELECT count(*) FROM cp_child WHERE referral_id = ?1",
                            [id],
                            |r| r.get(0),
                        )?;
                        for no in 0..n {
                            let result = AssessmentResult::from_code(get(&format!("result.{no}")))
                                .ok_or(StorageError::Refused(Refusal::ReferralWrongState))?;
                            tx.execute(
                                "UPDATE cp_child SET result = ?3 WHERE referral_id = ?1 AND no = ?2",
                                params![id, no, result.code()],
                            )?;
                        }
                        tx.execute(
                            "UPDATE cp_referral SET status = 'assessed', assessed_at = ?2, \
                             direct_impression = ?3 WHERE id = ?1",
                            params![id, at, impression.code()],
                        )?;
                    }
                    FourEyesStep::ContentFeedback => {
                        let confirmed = get("confirmed") == "yes";
                        let active = JaActive::from_code(get("ja_active"))
                            .ok_or(StorageError::Refused(Refusal::ReferralWrongState))?;
                        tx.execute(
                            "UPDATE cp_referral SET feedback_status = 'fb_given', feedback_confirmed = ?2, \
                             feedback_ja_active = ?3, feedback_at = ?4, feedback_by = ?5 WHERE id = ?1",
                            params![id, i64::from(confirmed), active.code(), at, first],
                        )?;
                    }
                }
                let kind = if step == FourEyesStep::ContentFeedback {
                    "feedback"
                } else {
                    step.code()
                };
                event(tx, id, now, Some(StaffId(first)), Some(me.id), kind, "")?;
                Ok(())
            })
        };
        self.log_refused_by_rule(me, object::REFERRAL, Some(id), res)
    }

    /// The reporter adds to a sent referral ("Nachtrag"); the referral itself never changes.
    pub fn add_referral_addendum(
        &self,
        me: &Staff,
        id: i64,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let res = (|| -> Result<(), StorageError> {
            let text = crate::domain::text::sanitize(text.trim(), true);
            if text.is_empty() {
                return Err(StorageError::Refused(Refusal::ReferralWrongState));
            }
            self.write(|tx| {
                let reporter: Option<i64> = tx
                    .query_row(
                        "SELECT reporter_id FROM cp_referral WHERE id = ?1",
                        [id],
                        |r| r.get(0),
                    )
                    .optional()?;
                if reporter != Some(me.id.0) {
                    return Err(StorageError::Refused(Refusal::NotReporter));
                }
                event(tx, id, now, Some(me.id), None, "addendum", &text)?;
                // A proposal waiting for its second signature was made without these facts:
                // it is cleared, and its proposer told (docs/domain.md 4.5, four eyes).
                let pending: Option<(String, i64)> = tx
                    .query_row(
                        "SELECT pending_step, pending_by FROM cp_referral WHERE id = ?1",
                        [id],
                        |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, Option<i64>>(1)?)),
                    )
                    .optional()?
                    .and_then(|(s, b)| s.zip(b));
                if let Some((step, by)) = pending {
                    tx.execute(
                        "UPDATE cp_referral SET pending_step = NULL, pending_by = NULL, \
                         pending_second = NULL, pending_at = NULL, pending_payload = NULL WHERE id = ?1",
                        [id],
                    )?;
                    event(tx, id, now, None, None, "pending_cleared", &step)?;
                    tx.execute(
                        "INSERT INTO staff_notice (staff_id, kind, object_id, detail, at) \
                         VALUES (?1, 'proposal_cleared', ?2, ?3, ?4)",
                        params![by, id, step, ts(now)],
                    )?;
                }
                tx.execute(
                    "UPDATE cp_referral SET updated_at = ?2, version = version + 1 WHERE id = ?1",
                    params![id, ts(now)],
                )?;
                append_at(
                    tx,
                    &AuditEntry::new(AuditAction::Transfer, object::REFERRAL)
                        .by(me)
                        .object(id)
                        .detail("addendum"),
                    &ts(self.now()),
                )?;
                Ok(())
            })
        })();
        self.log_refused_by_rule(me, object::REFERRAL, Some(id), res)
    }

    /// Records an anonymous consultation request (§ 8b SGB VIII): no names, only an age band
    /// and a summary; the code is a running pseudonym.
    pub fn request_consult(
        &self,
        me: &Staff,
        band: AgeBand,
        summary: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StorageError> {
        let res = (|| -> Result<i64, StorageError> {
            if !(me.active && me.has_role(Role::JcU25)) {
                return Err(StorageError::Refused(Refusal::NotQualified));
            }
            let summary = crate::domain::text::sanitize(summary.trim(), true);
            if summary.is_empty() {
                return Err(StorageError::Refused(Refusal::ReferralWrongState));
            }
            self.write(|tx| {
                let year = crate::domain::tz::to_local(now).year();
                let n: i64 = tx.query_row(
                    "SELECT count(*) + 1 FROM anon_consult WHERE case_code LIKE ?1",
                    [format!("AB-{year}-%")],
                    |r| r.get(0),
                )?;
                tx.execute(
                    "INSERT INTO anon_consult (case_code, requested_by, requested_at, child_age_band, \
                     summary, status, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'requested', ?3)",
                    params![
                        consult_code(year, n),
                        me.id.0,
                        ts(now),
                        band.code(),
                        summary
                    ],
                )?;
                let id = tx.last_insert_rowid();
                append_at(
                    tx,
                    &AuditEntry::new(AuditAction::Create, object::CONSULT)
                        .by(me)
                        .object(id),
                    &ts(self.now()),
                )?;
                Ok(id)
            })
        })();
        self.log_refused_by_rule(me, object::CONSULT, None, res)
    }

    /// The specialist's advice on a consultation.
    pub fn advise_consult(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        result: ConsultResult,
        advice: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let res = (|| -> Result<(), StorageError> {
            // The InsoFa is a Jugendamt professional (docs/domain.md 5.1: `insofa` stands in the
            // Jugendamt's column; the DSB and the administrator read no consultation even when
            // the function was given to them; docs/access.md A10).
            if !(is_ja_professional(me) && self.has_function(me.id, Function::Insofa)?) {
                return Err(StorageError::Refused(Refusal::NotQualified));
            }
            let advice = crate::domain::text::sanitize(advice.trim(), true);
            self.write(|tx| {
                let n = tx.execute(
                    "UPDATE anon_consult SET result = ?3, advice = ?4, insofa_id = ?5, advised_at = ?6, \
                     status = 'advised', updated_at = ?6, version = version + 1 \
                     WHERE id = ?1 AND version = ?2 AND status = 'requested'",
                    params![id, version, result.code(), advice, me.id.0, ts(now)],
                )?;
                if n == 0 {
                    return Err(StorageError::Conflict { by: None, at: None });
                }
                append_at(
                    tx,
                    &AuditEntry::new(AuditAction::Update, object::CONSULT)
                        .by(me)
                        .object(id)
                        .version(version + 1), &ts(self.now()),
                )?;
                Ok(())
            })
        })();
        self.log_refused_by_rule(me, object::CONSULT, Some(id), res)
    }

    /// The consultations `me` may see (docs/domain.md 5.1 "Anonyme Fallberatung", 4.6;
    /// docs/access.md A10): the requester their own; a Jugendamt professional with the InsoFa
    /// function the open requests (any InsoFa may answer one) and the ones they advised —
    /// not those another InsoFa advised ("JA other: –"); leads all.
    pub fn consults_for(&self, me: &Staff) -> Result<Vec<Consult>, StorageError> {
        if !me.active {
            return Ok(Vec::new());
        }
        let lead = me.has_role(Role::Lead);
        // A DSB or administrator holding the function is no InsoFa (A10).
        let insofa = is_ja_professional(me) && self.has_function(me.id, Function::Insofa)?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.id, c.case_code, s.given_name || ' ' || s.surname, c.requested_at, c.child_age_band, \
             c.summary, c.result, c.advice, (SELECT i.given_name || ' ' || i.surname FROM staff i \
             WHERE i.id = c.insofa_id), c.status, c.version, c.requested_by, c.insofa_id \
             FROM anon_consult c JOIN staff s ON s.id = c.requested_by ORDER BY c.requested_at DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                Consult {
                    id: r.get(0)?,
                    code: r.get(1)?,
                    requested_by: r.get(2)?,
                    requested_at: parse_ts(&r.get::<_, String>(3)?),
                    age_band: AgeBand::from_code(&r.get::<_, String>(4)?).unwrap_or(AgeBand::A0),
                    summary: r.get(5)?,
                    result: r
                        .get::<_, Option<String>>(6)?
                        .and_then(|c| ConsultResult::from_code(&c)),
                    advice: r.get(7)?,
                    advised_by: r.get(8)?,
                    status: r.get(9)?,
                    version: r.get(10)?,
                },
                r.get::<_, i64>(11)?,
                r.get::<_, Option<i64>>(12)?,
            ))
        })?;
        Ok(rows
            .filter_map(Result::ok)
            .filter(|(c, by, adviser)| {
                lead || *by == me.id.0
                    || (insofa && (c.status == "requested" || *adviser == Some(me.id.0)))
            })
            .map(|(c, _, _)| c)
            .collect())
    }

    /// Counts for the login banner: referrals waiting for receipt, overdue ones. No names.
    pub fn referral_counts(
        &self,
        me: &Staff,
        now: DateTime<Utc>,
        cal: &WorkCalendar,
        d: &Deadlines,
    ) -> Result<(usize, usize), StorageError> {
        if me.agency != Agency::Jugendamt {
            return Ok((0, 0));
        }
        let rows = self.referrals_for(me, now, cal, d)?;
        let waiting = rows
            .iter()
            .filter(|r| r.status == ReferralStatus::Sent)
            .count();
        let overdue = rows
            .iter()
            .filter(|r| {
                r.deadline
                    .is_some_and(|x| x.state(now) == DeadlineState::Overdue)
            })
            .count();
        Ok((waiting, overdue))
    }
}

fn event(
    tx: &Transaction<'_>,
    id: i64,
    now: DateTime<Utc>,
    by: Option<StaffId>,
    second: Option<StaffId>,
    kind: &str,
    detail: &str,
) -> Result<(), StorageError> {
    super::audit::insert_evidence(
        tx,
        &super::audit::CP_EVENT,
        params![
            id,
            ts(now),
            by.map(|s| s.0),
            second.map(|s| s.0),
            kind,
            detail
        ],
    )?;
    Ok(())
}
