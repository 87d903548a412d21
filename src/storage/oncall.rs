//! The on-call rota ("Bereitschaftsplan", docs/casework.md § 5) and the escalations that
//! wait for an acknowledgement (§ 6). A `ja_oncall` worker reads the Jugendamt's referrals
//! and gets the on-call view and its alerts only inside a shift the Jugendamt's lead
//! entered; a deputy and the lead see a passed deadline as an escalation until they
//! acknowledge it, and the acknowledgement is audited.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::audit::{AuditAction, AuditEntry, append_at};
use super::{StorageError, Store, parse_ts, ts};
use crate::domain::calendar::WorkCalendar;
use crate::domain::referral::{Deadline, Deadlines};
use crate::domain::refusal::Refusal;
use crate::domain::{Agency, Role, Staff, StaffId};
use crate::model::referral::{Escalation, Shift};

/// Audit object of a shift.
pub const SHIFT: &str = "oncall_shift";
/// Audit object of an acknowledged escalation (object id: the referral).
pub const ESCALATION_ACK: &str = "escalation_ack";
/// The longest shift.
pub const MAX_SHIFT_HOURS: i64 = 7 * 24;

/// Whether staff member `id` is inside a shift at `now`.
pub(crate) fn on_shift(
    conn: &Connection,
    id: StaffId,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    let at = ts(now);
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM oncall_shift WHERE staff_id = ?1 AND starts_at <= ?2 AND ends_at > ?2",
        )?
        .query_row(params![id.0, at], |_| Ok(()))
        .optional()?
        .is_some())
}

fn map_shift(r: &rusqlite::Row<'_>) -> rusqlite::Result<Shift> {
    Ok(Shift {
        id: r.get(0)?,
        staff: StaffId(r.get(1)?),
        name: r.get(2)?,
        start: parse_ts(&r.get::<_, String>(3)?).unwrap_or_default(),
        end: parse_ts(&r.get::<_, String>(4)?).unwrap_or_default(),
    })
}

impl Store {
    /// Enters a shift of `staff` from `start` to `end`, by a lead of the Jugendamt. The
    /// person must be an active Jugendamt worker with the role `ja_oncall`; a shift lasts
    /// at most a week and never overlaps another of the same person.
    pub fn add_shift(
        &self,
        lead: &Staff,
        staff: StaffId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<i64, StorageError> {
        let at = ts(self.now());
        self.write(|tx| {
            let refuse = |r: Refusal| -> Result<Result<i64, StorageError>, StorageError> {
                append_at(
                    tx,
                    &AuditEntry::new(AuditAction::Refused, SHIFT)
                        .by(lead)
                        .detail(r.code()),
                    &at,
                )?;
                Ok(Err(StorageError::Refused(r)))
            };
            if !(lead.active && lead.agency == Agency::Jugendamt && lead.has_role(Role::Lead)) {
                return refuse(Refusal::NotLead);
            }
            let worker = self.staff_by_id(staff)?;
            if !worker.is_some_and(|w| {
                w.active && w.agency == Agency::Jugendamt && w.has_role(Role::JaOncall)
            }) {
                return refuse(Refusal::NoRole);
            }
            if end <= start || end - start > Duration::hours(MAX_SHIFT_HOURS) {
                return refuse(Refusal::DateOutOfRange);
            }
            let overlap = tx
                .prepare_cached(
                    "SELECT 1 FROM oncall_shift WHERE staff_id = ?1 AND starts_at < ?3 AND ends_at > ?2",
                )?
                .query_row(params![staff.0, ts(start), ts(end)], |_| Ok(()))
                .optional()?
                .is_some();
            if overlap {
                return refuse(Refusal::Clash);
            }
            tx.execute(
                "INSERT INTO oncall_shift (staff_id, starts_at, ends_at, created_by, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![staff.0, ts(start), ts(end), lead.id.0, at],
            )?;
            let id = tx.last_insert_rowid();
            append_at(
                tx,
                &AuditEntry::new(AuditAction::Create, SHIFT)
                    .by(lead)
                    .object(id)
                    .fields(vec!["staff_id", "starts_at", "ends_at"]),
                &at,
            )?;
            Ok(Ok(id))
        })?
    }

    /// The shifts that end after `from` and start before `to`, by start.
    pub fn shifts_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Shift>, StorageError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT o.id, o.staff_id, s.given_name || ' ' || s.surname, o.starts_at, o.ends_at \
             FROM oncall_shift o JOIN staff s ON s.id = o.staff_id \
             WHERE o.ends_at > ?1 AND o.starts_at < ?2 ORDER BY o.starts_at, o.id",
        )?;
        let rows = stmt.query_map(params![ts(from), ts(to)], map_shift)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Who is on call at `now`, and the next shift that starts after it (within 14 days).
    pub fn on_call_now_and_next(
        &self,
        now: DateTime<Utc>,
    ) -> Result<(Vec<Shift>, Option<Shift>), StorageError> {
        let shifts = self.shifts_between(now, now + Duration::days(14))?;
        let current: Vec<Shift> = shifts.iter().filter(|s| s.start <= now).cloned().collect();
        let next = shifts.into_iter().find(|s| s.start > now);
        Ok((current, next))
    }

    /// Whether `me` is inside a shift now.
    pub fn is_on_shift(&self, me: &Staff) -> Result<bool, StorageError> {
        on_shift(self.conn(), me.id, self.now())
    }

    /// The escalations waiting for `me`: referrals `me` sees because a deadline passed (as
    /// deputy or lead) whose passing `me` has not acknowledged.
    pub fn escalations(
        &self,
        me: &Staff,
        now: DateTime<Utc>,
        cal: &WorkCalendar,
        d: &Deadlines,
    ) -> Result<Vec<Escalation>, StorageError> {
        if me.agency != Agency::Jugendamt {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for r in self.referrals_for(me, now, cal, d)? {
            let Some(deadline) = r.deadline.filter(|_| r.escalated) else {
                continue;
            };
            if !acknowledged(self.conn(), me.id, r.id, &deadline)? {
                out.push(Escalation {
                    referral: r.id,
                    reference: r.ja_ref.clone(),
                    deadline,
                });
            }
        }
        Ok(out)
    }

    /// Acknowledges an escalation: `me` has seen that the deadline passed. Audited.
    pub fn acknowledge_escalation(&self, me: &Staff, e: &Escalation) -> Result<(), StorageError> {
        let at = ts(self.now());
        self.write(|tx| {
            tx.execute(
                "INSERT OR IGNORE INTO escalation_ack (staff_id, referral_id, clock, due, acked_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![me.id.0, e.referral, e.deadline.clock.code(), ts(e.deadline.due), at],
            )?;
            append_at(
                tx,
                &AuditEntry::new(AuditAction::Create, ESCALATION_ACK)
                    .by(me)
                    .object(e.referral)
                    .detail(e.deadline.clock.code()),
                &at,
            )?;
            Ok(())
        })
    }
}

fn acknowledged(
    conn: &Connection,
    me: StaffId,
    referral: i64,
    d: &Deadline,
) -> Result<bool, StorageError> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM escalation_ack WHERE staff_id = ?1 AND referral_id = ?2 AND clock = ?3 AND due = ?4",
        )?
        .query_row(params![me.0, referral, d.clock.code(), ts(d.due)], |_| Ok(()))
        .optional()?
        .is_some())
}
