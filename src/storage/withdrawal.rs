//! The information at benefit withdrawal (docs/casework.md § 9). A Jobcenter U25 worker
//! of the case opens the review and proposes the decision; the Jobcenter lead she names
//! confirms or returns it. Only a confirmed "Information an das Jugendamt" is read by the
//! Jugendamt (lead, intake, on-call in its shift), whose receipt gives it a number. Every
//! write runs behind the feature flag, is audited, and rests on the version the person saw.

use chrono::Datelike;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::audit::{self, AuditAction, AuditEntry};
use super::casefile::{WriteNeeds, timestamp};
use super::cases::parse_date;
use super::staff::{STAFF_COLUMNS, map_staff};
use super::{StorageError, Store, ts};
use crate::domain::access::Relation;
use crate::domain::refusal::Refusal;
use crate::domain::text::sanitize;
use crate::domain::withdrawal::{
    Decision, MAX_BG_NO, MAX_MINORS, NoInfoGround, WithdrawalStatus, may_confirm, may_review,
    missing, reference,
};
use crate::domain::{Agency, CaseId, Role, Staff, StaffId};
use crate::model::referral::WithdrawalNotice;

/// Audit object of a review (object id: the notice).
pub const WITHDRAWAL: &str = "withdrawal_notice";

/// The longest reason and legal basis accepted.
pub const MAX_REASON: usize = 2000;

/// A proposed decision ([`Store::propose_withdrawal`]).
#[derive(Debug, Clone)]
pub struct Proposal {
    /// "Entscheidung".
    pub decision: Option<Decision>,
    /// Why no information.
    pub ground: Option<NoInfoGround>,
    /// "Begründung" (mandatory).
    pub reason: String,
    /// "Rechtsgrundlage" (mandatory for an information).
    pub legal_basis: String,
    /// The Jobcenter lead asked to confirm.
    pub second: Option<StaffId>,
}

const COLUMNS: &str = "w.id, w.case_id, p.surname || ', ' || p.given_names, p.birth_date, w.status, \
     w.bg_no, w.minors_count, w.decision, w.no_info_ground, w.reason, w.legal_basis, \
     (SELECT o.given_name || ' ' || o.surname FROM staff o WHERE o.id = w.opened_by), w.opened_at, \
     w.decided_by, (SELECT d.given_name || ' ' || d.surname FROM staff d WHERE d.id = w.decided_by), \
     w.second_by, (SELECT s.given_name || ' ' || s.surname FROM staff s WHERE s.id = w.second_by), \
     w.decided_at, w.ja_ref, \
     (SELECT r.given_name || ' ' || r.surname FROM staff r WHERE r.id = w.received_by), w.received_at, \
     w.version";

const FROM: &str = "FROM withdrawal_notice w JOIN coop_case c ON c.id = w.case_id \
     JOIN young_person p ON p.id = c.young_person_id";

fn map(r: &Row<'_>) -> rusqlite::Result<WithdrawalNotice> {
    let who =
        |id: Option<i64>, name: Option<String>| id.map(|i| (StaffId(i), name.unwrap_or_default()));
    let received: Option<String> = r.get(20)?;
    Ok(WithdrawalNotice {
        id: r.get(0)?,
        case: CaseId(r.get(1)?),
        person: r.get(2)?,
        birth_date: parse_date(&r.get::<_, String>(3)?),
        status: WithdrawalStatus::from_code(&r.get::<_, String>(4)?)
            .unwrap_or(WithdrawalStatus::InReview),
        bg_no: r.get(5)?,
        minors_count: u8::try_from(r.get::<_, i64>(6)?).unwrap_or(MAX_MINORS),
        decision: r
            .get::<_, Option<String>>(7)?
            .as_deref()
            .and_then(Decision::from_code),
        ground: r
            .get::<_, Option<String>>(8)?
            .as_deref()
            .and_then(NoInfoGround::from_code),
        reason: r.get(9)?,
        legal_basis: r.get(10)?,
        opened: (
            r.get::<_, Option<String>>(11)?.unwrap_or_default(),
            timestamp(&r.get::<_, String>(12)?),
        ),
        decided_by: who(r.get(13)?, r.get(14)?),
        second_by: who(r.get(15)?, r.get(16)?),
        decided_at: r.get::<_, Option<String>>(17)?.as_deref().map(timestamp),
        ja_ref: r.get(18)?,
        received: r
            .get::<_, Option<String>>(19)?
            .zip(received.as_deref().map(timestamp)),
        version: r.get(21)?,
    })
}

/// The reviews of case `case`, newest first, for a reader of the Jobcenter who may read
/// the case file; nothing for anyone else (the Jugendamt reads the information on F4).
pub(crate) fn notices_of(
    conn: &Connection,
    case: CaseId,
    viewer: &Staff,
) -> Result<Vec<WithdrawalNotice>, StorageError> {
    if viewer.agency != Agency::Jobcenter {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} {FROM} WHERE w.case_id = ?1 ORDER BY w.opened_at DESC, w.id DESC"
    ))?;
    let rows = stmt.query_map([case.0], map)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn staff_in(tx: &Transaction<'_>, id: StaffId) -> Result<Option<Staff>, StorageError> {
    Ok(tx
        .prepare_cached(&format!(
            "SELECT {STAFF_COLUMNS} FROM staff s WHERE s.id = ?1"
        ))?
        .query_row([id.0], map_staff)
        .optional()?)
}

fn notice_in(tx: &Transaction<'_>, id: i64) -> Result<WithdrawalNotice, StorageError> {
    tx.prepare_cached(&format!("SELECT {COLUMNS} {FROM} WHERE w.id = ?1"))?
        .query_row([id], map)
        .optional()?
        .ok_or(StorageError::NotFound)
}

/// The conflict of a review saved meanwhile: who saved it and when.
fn changed_meanwhile(tx: &Transaction<'_>, id: i64) -> Result<StorageError, StorageError> {
    let (at, by) = tx.query_row(
        "SELECT w.updated_at, s.given_name || ' ' || s.surname FROM withdrawal_notice w \
         LEFT JOIN staff s ON s.id = w.updated_by WHERE w.id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(StorageError::Conflict { by, at })
}

fn case_of(tx: &Transaction<'_>, id: i64) -> Result<Option<CaseId>, StorageError> {
    Ok(tx
        .query_row(
            "SELECT case_id FROM withdrawal_notice WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .map(CaseId))
}

fn clean(text: &str, max: usize) -> Result<String, StorageError> {
    let t = sanitize(text.trim(), false);
    if t.chars().count() > max {
        return Err(StorageError::Refused(Refusal::StatementTooLong));
    }
    Ok(t)
}

impl Store {
    /// Whether the information at benefit withdrawal is switched on for this connection
    /// (`feature-withdrawal-notice` of `[child-protection]`; off by default).
    pub fn withdrawal_notice_on(&self) -> bool {
        self.conn()
            .prepare_cached(
                "SELECT value FROM temp.session_setting WHERE key = 'withdrawal_notice'",
            )
            .and_then(|mut s| s.query_row([], |r| r.get::<_, i64>(0)))
            .is_ok_and(|v| v == 1)
    }

    /// Sets [`Store::withdrawal_notice_on`] for this connection.
    pub fn set_withdrawal_notice(&self, on: bool) -> Result<(), StorageError> {
        self.conn().execute(
            "INSERT OR REPLACE INTO temp.session_setting (key, value) VALUES ('withdrawal_notice', ?1)",
            [i64::from(on)],
        )?;
        Ok(())
    }

    fn withdrawal_gate(&self) -> Result<(), StorageError> {
        if self.withdrawal_notice_on() {
            Ok(())
        } else {
            Err(StorageError::Refused(Refusal::FeatureOff))
        }
    }

    /// Opens a review on case `case` ("Prüfung beginnen"): the BG number and the minors in
    /// the household. For a U25 worker of the case; one open review per case.
    pub fn open_withdrawal(
        &self,
        actor: &Staff,
        case: CaseId,
        bg_no: &str,
        minors_count: u8,
    ) -> Result<i64, StorageError> {
        self.withdrawal_gate()?;
        if !may_review(actor) {
            return Err(StorageError::Refused(Refusal::NotAllowed));
        }
        let bg_no = clean(bg_no, MAX_BG_NO)?;
        if bg_no.is_empty() {
            return Err(StorageError::Refused(Refusal::ReasonNeeded));
        }
        if minors_count > MAX_MINORS {
            return Err(StorageError::Refused(Refusal::CoopInvalid));
        }
        let at = ts(self.now());
        let target = (WITHDRAWAL, None);
        self.write_case(actor, WriteNeeds::Worker, target, |_| Ok(Some(case)), |tx, _, _| {
            let open: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM withdrawal_notice WHERE case_id = ?1 \
                 AND status = 'in_review')",
                [case.0],
                |r| r.get(0),
            )?;
            if open {
                return Err(StorageError::Refused(Refusal::Pending));
            }
            tx.execute(
                "INSERT INTO withdrawal_notice (case_id, status, bg_no, minors_count, opened_by, \
                 opened_at, updated_at, updated_by) VALUES (?1, 'in_review', ?2, ?3, ?4, ?5, ?5, ?4)",
                params![case.0, bg_no, minors_count, actor.id.0, at],
            )?;
            let id = tx.last_insert_rowid();
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Create, WITHDRAWAL)
                    .by(actor)
                    .object(id)
                    .version(1)
                    .fields(vec!["case_id", "bg_no", "minors_count"]),
                &at,
            )?;
            Ok(id)
        })
    }

    /// Proposes the decision on review `id` resting on `version`; the lead named in it
    /// confirms. The reason is mandatory, so is the ground of a "Keine Information" and the
    /// legal basis of an information.
    pub fn propose_withdrawal(
        &self,
        actor: &Staff,
        id: i64,
        version: i64,
        p: &Proposal,
    ) -> Result<(), StorageError> {
        self.withdrawal_gate()?;
        if !may_review(actor) {
            return Err(StorageError::Refused(Refusal::NotAllowed));
        }
        let reason = clean(&p.reason, MAX_REASON)?;
        let basis = clean(&p.legal_basis, MAX_REASON)?;
        if !missing(p.decision, p.ground, &reason, &basis).is_empty() {
            return Err(StorageError::Refused(Refusal::ReasonNeeded));
        }
        let decision = p
            .decision
            .ok_or(StorageError::Refused(Refusal::ReasonNeeded))?;
        let second = p
            .second
            .ok_or(StorageError::Refused(Refusal::NotQualified))?;
        let (ground, basis) = match decision {
            Decision::NoInfo => (p.ground.map(NoInfoGround::code), String::new()),
            Decision::InfoSent => (None, basis),
        };
        let at = ts(self.now());
        let target = (WITHDRAWAL, Some(id));
        self.write_case(
            actor,
            WriteNeeds::Worker,
            target,
            |tx| case_of(tx, id),
            |tx, _, _| {
                let n = notice_in(tx, id)?;
                if n.version != version {
                    return Err(changed_meanwhile(tx, id)?);
                }
                if n.status != WithdrawalStatus::InReview {
                    return Err(StorageError::Refused(Refusal::ReferralWrongState));
                }
                if n.pending() {
                    return Err(StorageError::Refused(Refusal::Pending));
                }
                if second == actor.id {
                    return Err(StorageError::Refused(Refusal::SamePerson));
                }
                let lead = staff_in(tx, second)?;
                if !lead.is_some_and(|l| may_confirm(actor.id, &l)) {
                    return Err(StorageError::Refused(Refusal::NotQualified));
                }
                tx.execute(
                    "UPDATE withdrawal_notice SET decision = ?2, no_info_ground = ?3, reason = ?4, \
                 legal_basis = ?5, decided_by = ?6, second_by = ?7, proposed_at = ?8, \
                 version = version + 1, updated_at = ?8, updated_by = ?6 WHERE id = ?1",
                    params![
                        id,
                        decision.code(),
                        ground,
                        reason,
                        basis,
                        actor.id.0,
                        second.0,
                        at
                    ],
                )?;
                audit::append_at(
                    tx,
                    &AuditEntry::new(AuditAction::Update, WITHDRAWAL)
                        .by(actor)
                        .object(id)
                        .version(version + 1)
                        .fields(vec![
                            "decision",
                            "no_info_ground",
                            "reason",
                            "legal_basis",
                            "second_by",
                        ])
                        .detail("propose"),
                    &at,
                )?;
                Ok(())
            },
        )
    }

    /// The lead named in the proposal confirms it (`accept`) or returns it to the
    /// caseworker. A confirmed information is the transfer to the Jugendamt.
    pub fn confirm_withdrawal(
        &self,
        actor: &Staff,
        id: i64,
        version: i64,
        accept: bool,
    ) -> Result<(), StorageError> {
        self.withdrawal_gate()?;
        let at = ts(self.now());
        let target = (WITHDRAWAL, Some(id));
        let needs = WriteNeeds::WorkerOrLead;
        self.write_case(
            actor,
            needs,
            target,
            |tx| case_of(tx, id),
            |tx, _, _| {
                let n = notice_in(tx, id)?;
                if n.version != version {
                    return Err(changed_meanwhile(tx, id)?);
                }
                if !n.pending() {
                    return Err(StorageError::Refused(Refusal::NoPending));
                }
                let first = n.decided_by.as_ref().map_or(StaffId(0), |d| d.0);
                if first == actor.id {
                    return Err(StorageError::Refused(Refusal::SamePerson));
                }
                if n.second_by.as_ref().map(|s| s.0) != Some(actor.id) || !may_confirm(first, actor)
                {
                    return Err(StorageError::Refused(Refusal::NotQualified));
                }
                let entry = if accept {
                    let decision = n.decision.unwrap_or(Decision::NoInfo);
                    tx.execute(
                        "UPDATE withdrawal_notice SET status = ?2, decided_at = ?3, \
                     version = version + 1, updated_at = ?3, updated_by = ?4 WHERE id = ?1",
                        params![id, decision.status().code(), at, actor.id.0],
                    )?;
                    match decision {
                        // The information leaves the Jobcenter: a transfer in the audit log,
                        // naming what went, never its values.
                        Decision::InfoSent => AuditEntry::new(AuditAction::Transfer, WITHDRAWAL)
                            .fields(vec![
                                "person",
                                "bg_no",
                                "minors_count",
                                "reason",
                                "legal_basis",
                            ])
                            .detail("info_sent"),
                        Decision::NoInfo => AuditEntry::new(AuditAction::Update, WITHDRAWAL)
                            .fields(vec!["status"])
                            .detail("no_info"),
                    }
                } else {
                    tx.execute(
                        "UPDATE withdrawal_notice SET decision = NULL, no_info_ground = NULL, \
                     second_by = NULL, decided_by = NULL, proposed_at = NULL, \
                     version = version + 1, updated_at = ?2, updated_by = ?3 WHERE id = ?1",
                        params![id, at, actor.id.0],
                    )?;
                    AuditEntry::new(AuditAction::Update, WITHDRAWAL)
                        .fields(vec![
                            "decision",
                            "no_info_ground",
                            "decided_by",
                            "second_by",
                        ])
                        .detail("decline")
                };
                audit::append_at(tx, &entry.by(actor).object(id).version(version + 1), &at)?;
                Ok(())
            },
        )
    }

    /// The Jugendamt records the receipt of information `id` ("Eingang erfassen"): its
    /// number and who took it. For the lead, intake and on-call in its shift.
    pub fn receive_withdrawal(
        &self,
        actor: &Staff,
        id: i64,
        version: i64,
    ) -> Result<String, StorageError> {
        let now = self.now();
        let at = ts(now);
        let res = self.write(|tx| {
            if !super::referrals::sees_all_ja(tx, actor, now)? {
                return Err(StorageError::NotFound);
            }
            let n = notice_in(tx, id)?;
            if n.status != WithdrawalStatus::InfoSent {
                return Err(StorageError::NotFound);
            }
            // A restricted case is processed by nobody (docs/access.md A12).
            if super::casefile::is_restricted(tx, n.case)? {
                return Err(StorageError::Refused(Refusal::Restricted));
            }
            if n.version != version || n.ja_ref.is_some() {
                return Err(changed_meanwhile(tx, id)?);
            }
            // The Berlin year, and the highest number of the year plus one: a number stays
            // unique when an earlier one went with its case.
            let year = crate::domain::tz::to_local(now).year();
            let last: i64 = tx.query_row(
                "SELECT coalesce(max(CAST(substr(ja_ref, 9) AS INTEGER)), 0) \
                 FROM withdrawal_notice WHERE ja_ref LIKE ?1",
                [format!("LE-{year}-%")],
                |r| r.get(0),
            )?;
            let no = reference(year, last + 1);
            tx.execute(
                "UPDATE withdrawal_notice SET ja_ref = ?2, received_at = ?3, received_by = ?4, \
                 version = version + 1, updated_at = ?3, updated_by = ?4 WHERE id = ?1",
                params![id, no, at, actor.id.0],
            )?;
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Update, WITHDRAWAL)
                    .by(actor)
                    .object(id)
                    .version(version + 1)
                    .fields(vec!["ja_ref", "received_at", "received_by"])
                    .detail("receive"),
                &at,
            )?;
            Ok(no)
        });
        match res {
            Err(StorageError::Refused(r)) => {
                Err(self.refused_logged(actor, WITHDRAWAL, Some(id), r))
            }
            // Not there, or not for this reader: logged, and answered "not found".
            Err(StorageError::NotFound) => {
                match self.refused_logged(actor, WITHDRAWAL, Some(id), Refusal::NotAllowed) {
                    StorageError::Refused(_) => Err(StorageError::NotFound),
                    e => Err(e),
                }
            }
            other => other,
        }
    }

    /// The reviews and information `me` reads on F4, newest first: in the Jugendamt every
    /// confirmed information for the lead, intake and on-call in its shift; in the
    /// Jobcenter the reviews of the cases `me` stands to now (assigned, deputy standing in,
    /// lead), as the case file decides — a restricted case only for the owning lead.
    pub fn withdrawals_for(&self, me: &Staff) -> Result<Vec<WithdrawalNotice>, StorageError> {
        if !me.active {
            return Ok(Vec::new());
        }
        let conn = self.conn();
        let now = self.now();
        let ja = match me.agency {
            Agency::Jugendamt if super::referrals::sees_all_ja(conn, me, now)? => true,
            Agency::Jobcenter if me.has_role(Role::Lead) || me.has_role(Role::JcU25) => false,
            _ => return Ok(Vec::new()),
        };
        let filter = if ja { "w.status = 'info_sent'" } else { "1" };
        let rows: Vec<WithdrawalNotice> = conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} {FROM} WHERE {filter} \
                 ORDER BY coalesce(w.decided_at, w.opened_at) DESC, w.id DESC"
            ))?
            .query_map([], map)?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for n in rows {
            let visible = if ja {
                !super::casefile::is_restricted(conn, n.case)?
            } else {
                match super::cases::load_case_unchecked(conn, n.case)? {
                    Some(case) => {
                        super::casefile::relation_to(conn, me, &case, now)? != Relation::None
                    }
                    None => false,
                }
            };
            if visible {
                out.push(n);
            }
        }
        Ok(out)
    }
}
