//! The data-protection officer's reads and decisions (docs/dpo.md, docs/access.md A13):
//! the audit log of the own Stelle filtered by staff member, case number, action and
//! period; the break-glass accesses of the own staff and their review; refused accesses;
//! the transfer log; counts of child-protection referrals; the state of the hash chains;
//! the retention review and the deletion runs.
//!
//! Every read is for an active `dpo` of the actor's Stelle (the break-glass list and its
//! review also for a `lead` of it) and returns metadata only: logins, codes, ids, times
//! and counts — never a name, a birth date or a free text typed about someone. Each read
//! writes one audit row (`view`, the object type of [`ScreenRead`]); a refused one writes a
//! `refused` row with the reason's code. The two Stellen are separate controllers: each DSB
//! sees only what her own Stelle's staff did and recorded.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::audit::{self, AuditAction, AuditEntry};
use super::{StorageError, Store, ts};
use crate::domain::access::ScreenRead;
use crate::domain::casefile::BreakGlassReason;
use crate::domain::refusal::Refusal;
use crate::domain::{Agency, Role, Staff};
use crate::model::dpo::{
    AUDIT_LIMIT, AuditFilter, AuditLine, ChainStatus, GrantLine, ReferralStats, RestrictionLine,
    RetentionOverview, Review, RunLine, TransferLine, Verdict,
};

/// Object type of a break-glass review in the audit log.
pub const OBJECT_REVIEW: &str = "grant_review";
/// Object type of a refused read of the DSB's screen.
pub const OBJECT_SCREEN: &str = "dpo_screen";
/// The longest review comment, in characters (schema 14 checks bytes ≤ 500 too).
pub const COMMENT_MAX: usize = 500;

/// Of one referral: urgency, state, sent, received, contact due, contact made.
type ReferralTimes = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// An active DSB.
fn is_dpo(actor: &Staff) -> bool {
    actor.active && actor.has_role(Role::Dpo)
}

/// An active DSB or lead: the break-glass list and its review (docs/access.md A4).
fn may_review_grants(actor: &Staff) -> bool {
    actor.active && (actor.has_role(Role::Dpo) || actor.has_role(Role::Lead))
}

/// The UTC bound (stored form) of the start of Berlin day `day`.
fn day_start(day: NaiveDate) -> String {
    ts(crate::domain::tz::from_local(
        day.and_time(chrono::NaiveTime::MIN),
    ))
}

/// Sum of a packed `class=n;…` count list.
fn packed_total(text: &str) -> usize {
    text.split(';')
        .filter_map(|p| p.split_once('=')?.1.parse::<usize>().ok())
        .sum()
}

impl Store {
    /// Writes one `refused` row for `actor` (object `dpo_screen`) and returns the refusal
    /// as the error.
    fn dpo_refused(&self, actor: &Staff, object: Option<i64>, r: Refusal) -> StorageError {
        self.refused_logged(actor, OBJECT_SCREEN, object, r)
    }

    /// Refuses anyone but an active DSB (one `refused` row).
    fn require_dpo(&self, actor: &Staff) -> Result<(), StorageError> {
        if is_dpo(actor) {
            Ok(())
        } else {
            Err(self.dpo_refused(actor, None, Refusal::NotDpo))
        }
    }

    /// The logins of the own Stelle's staff (active or not), for the filter.
    pub fn dpo_staff_logins(&self, actor: &Staff) -> Result<Vec<String>, StorageError> {
        self.require_dpo(actor)?;
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT login FROM staff WHERE stelle = ?1 ORDER BY login")?;
        let rows = stmt.query_map([actor.agency.code()], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The audit rows of the own Stelle's staff that pass `filter`, newest first, at most
    /// [`AUDIT_LIMIT`]. Codes and ids only (the log holds nothing else).
    pub fn dpo_audit(
        &self,
        actor: &Staff,
        filter: &AuditFilter,
    ) -> Result<Vec<AuditLine>, StorageError> {
        self.require_dpo(actor)?;
        let rows = self.audit_query(actor, filter, false)?;
        self.log_screen_read(actor, ScreenRead::DpoAudit)?;
        Ok(rows)
    }

    /// The refused accesses and logins of the own Stelle's staff, newest first.
    pub fn dpo_refused_accesses(&self, actor: &Staff) -> Result<Vec<AuditLine>, StorageError> {
        self.require_dpo(actor)?;
        let rows = self.audit_query(actor, &AuditFilter::default(), true)?;
        self.log_screen_read(actor, ScreenRead::DpoRefused)?;
        Ok(rows)
    }

    fn audit_query(
        &self,
        actor: &Staff,
        filter: &AuditFilter,
        refused_only: bool,
    ) -> Result<Vec<AuditLine>, StorageError> {
        let from = filter.from.map(day_start);
        let to = filter.to.and_then(|d| d.succ_opt()).map(day_start);
        let case_no = filter.case_no;
        let mut stmt = self.conn().prepare_cached(
            "SELECT a.seq, a.at, s.login, a.action, a.object_type, a.object_id, a.fields, a.detail \
             FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id \
             WHERE a.stelle = ?1 \
               AND (?2 IS NULL OR s.login = ?2) \
               AND (?3 IS NULL OR (a.object_type = 'coop_case' AND a.object_id = ?3)) \
               AND (?4 IS NULL OR a.action = ?4) \
               AND (?5 IS NULL OR a.at >= ?5) \
               AND (?6 IS NULL OR a.at < ?6) \
               AND (?7 = 0 OR a.action IN ('refused', 'login_refused')) \
             ORDER BY a.seq DESC LIMIT ?8",
        )?;
        let rows = stmt.query_map(
            params![
                actor.agency.code(),
                filter.staff,
                case_no,
                filter.action,
                from,
                to,
                i64::from(refused_only),
                i64::try_from(AUDIT_LIMIT).unwrap_or(i64::MAX),
            ],
            |r| {
                let fields: String = r.get(6)?;
                Ok(AuditLine {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    login: r.get(2)?,
                    action: r.get(3)?,
                    object_type: r.get(4)?,
                    object_id: r.get(5)?,
                    fields: fields
                        .split(',')
                        .filter(|f| !f.is_empty())
                        .map(str::to_string)
                        .collect(),
                    detail: r.get(7)?,
                })
            },
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The break-glass accesses of the own Stelle's staff with their newest review, newest
    /// first: for its DSB and its lead (docs/access.md A4). The free text of a reason is
    /// never returned (it may name persons), only whether one was given.
    pub fn dpo_grants(&self, actor: &Staff) -> Result<Vec<GrantLine>, StorageError> {
        if !may_review_grants(actor) {
            return Err(self.dpo_refused(actor, None, Refusal::NotDpo));
        }
        let rows = {
            let mut stmt = self.conn().prepare_cached(
                "SELECT g.id, s.login, g.case_id, g.reason, g.reason_text != '', g.granted_at, \
                        g.until, r.verdict, rs.login, r.comment, r.at \
                 FROM access_grant g JOIN staff s ON s.id = g.staff_id \
                 LEFT JOIN grant_review r ON r.id = \
                     (SELECT max(x.id) FROM grant_review x WHERE x.grant_id = g.id) \
                 LEFT JOIN staff rs ON rs.id = r.reviewer_id \
                 WHERE s.stelle = ?1 ORDER BY g.granted_at DESC, g.id DESC",
            )?;
            let mapped = stmt.query_map([actor.agency.code()], |r| {
                let verdict: Option<String> = r.get(7)?;
                let review = match verdict.as_deref().and_then(Verdict::from_code) {
                    Some(verdict) => Some(Review {
                        verdict,
                        by: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
                        comment: r.get::<_, Option<String>>(9)?.unwrap_or_default(),
                        at: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
                    }),
                    None => None,
                };
                Ok(GrantLine {
                    id: r.get(0)?,
                    login: r.get(1)?,
                    case_no: r.get(2)?,
                    reason: BreakGlassReason::from_code(&r.get::<_, String>(3)?)
                        .unwrap_or(BreakGlassReason::Other),
                    has_text: r.get(4)?,
                    granted_at: r.get(5)?,
                    until: r.get(6)?,
                    review,
                })
            })?;
            mapped.collect::<Result<Vec<_>, _>>()?
        };
        self.log_screen_read(actor, ScreenRead::GrantReview)?;
        Ok(rows)
    }

    /// Records the review of break-glass grant `grant`: justified or not, with a short
    /// comment (at most [`COMMENT_MAX`] characters, no names by rule). For the DSB and the
    /// lead of the Stelle of the person who broke the glass, never for that person; a
    /// grant may be reviewed again, the newest review counts. One audit row (`create`,
    /// `grant_review`, the grant's id, the verdict's code); a refusal writes a `refused` row.
    pub fn review_grant(
        &self,
        actor: &Staff,
        grant: i64,
        verdict: Verdict,
        comment: &str,
    ) -> Result<(), StorageError> {
        if !may_review_grants(actor) {
            return Err(self.dpo_refused(actor, Some(grant), Refusal::NotDpo));
        }
        let comment = crate::domain::text::sanitize(comment.trim(), false);
        if comment.chars().count() > COMMENT_MAX || comment.len() > COMMENT_MAX {
            return Err(self.dpo_refused(actor, Some(grant), Refusal::CommentTooLong));
        }
        let owner: Option<(String, i64)> = self
            .conn()
            .query_row(
                "SELECT s.stelle, s.id FROM access_grant g JOIN staff s ON s.id = g.staff_id \
                 WHERE g.id = ?1",
                [grant],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match owner {
            Some((stelle, _)) if stelle != actor.agency.code() => {
                return Err(self.dpo_refused(actor, Some(grant), Refusal::NotDpo));
            }
            Some((_, who)) if who == actor.id.0 => {
                return Err(self.dpo_refused(actor, Some(grant), Refusal::SamePerson));
            }
            Some(_) => {}
            None => return Err(StorageError::NotFound),
        }
        let now = ts(self.now());
        self.write(|tx| {
            tx.execute(
                "INSERT INTO grant_review (grant_id, reviewer_id, verdict, comment, at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![grant, actor.id.0, verdict.code(), comment, now],
            )?;
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Create, OBJECT_REVIEW)
                    .by(actor)
                    .object(grant)
                    .detail(verdict.code()),
                &now,
            )?;
            Ok(())
        })
    }

    /// The transfers the own Stelle sent or received, newest first: when, from and to,
    /// the case number, the fields' codes, the basis and who decided — never the content,
    /// the purpose or the justification (free texts).
    pub fn dpo_transfers(&self, actor: &Staff) -> Result<Vec<TransferLine>, StorageError> {
        self.require_dpo(actor)?;
        let rows = {
            let mut stmt = self.conn().prepare_cached(
                "SELECT t.at, t.from_stelle, t.to_stelle, t.case_id, t.fields, \
                        coalesce(t.statutory_basis, 'consent'), s.login \
                 FROM transfer_log t JOIN staff s ON s.id = t.decided_by \
                 WHERE t.from_stelle = ?1 OR t.to_stelle = ?1 ORDER BY t.at DESC, t.id DESC",
            )?;
            let mapped = stmt.query_map([actor.agency.code()], |r| {
                let fields: String = r.get(4)?;
                Ok(TransferLine {
                    at: r.get(0)?,
                    from: Agency::from_code(&r.get::<_, String>(1)?).unwrap_or(Agency::Jobcenter),
                    to: Agency::from_code(&r.get::<_, String>(2)?).unwrap_or(Agency::Jugendamt),
                    case_no: r.get(3)?,
                    fields: fields
                        .split(',')
                        .filter(|f| !f.is_empty())
                        .map(str::to_string)
                        .collect(),
                    basis: r.get(5)?,
                    by: r.get(6)?,
                })
            })?;
            mapped.collect::<Result<Vec<_>, _>>()?
        };
        self.log_screen_read(actor, ScreenRead::DpoTransfers)?;
        Ok(rows)
    }

    /// Counts of the child-protection referrals (docs/access.md A10): per urgency (all,
    /// open), per state, receipts and first contacts kept or missed. The Jobcenter's DSB
    /// learns only the states the Jobcenter may know (`sent`, `received`, `closed`) and no
    /// contact deadlines (the Jugendamt's side).
    pub fn dpo_referral_stats(&self, actor: &Staff) -> Result<ReferralStats, StorageError> {
        self.require_dpo(actor)?;
        let jc = actor.agency == Agency::Jobcenter;
        let now = ts(self.now());
        let rows: Vec<ReferralTimes> = {
            let mut stmt = self.conn().prepare_cached(
                "SELECT urgency, status, sent_at, received_at, contact_due, contact_at \
                 FROM cp_referral",
            )?;
            let mapped = stmt.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?;
            mapped.collect::<Result<_, _>>()?
        };
        let mut stats = ReferralStats::default();
        for urgency in ["akut", "dringend", "nicht_akut"] {
            let all = rows.iter().filter(|r| r.0 == urgency).count();
            let open = rows
                .iter()
                .filter(|r| r.0 == urgency && r.1 != "closed")
                .count();
            stats.by_urgency.push((urgency.to_string(), all, open));
        }
        let states: &[&str] = if jc {
            &["sent", "received", "closed"]
        } else {
            &[
                "sent",
                "received",
                "forwarded",
                "triaged",
                "investigating",
                "assessed",
                "measures",
                "closed",
            ]
        };
        for state in states {
            let n = rows
                .iter()
                .filter(|r| {
                    let known = if jc && !matches!(r.1.as_str(), "sent" | "closed") {
                        "received"
                    } else {
                        r.1.as_str()
                    };
                    known == *state
                })
                .count();
            stats.by_state.push(((*state).to_string(), n));
        }
        for r in &rows {
            match &r.3 {
                Some(received) if received.get(..10) == r.2.get(..10) => stats.receipt.0 += 1,
                Some(_) => stats.receipt.1 += 1,
                None => stats.receipt.2 += 1,
            }
            if jc {
                continue;
            }
            match (&r.4, &r.5) {
                (Some(due), Some(done)) if done <= due => stats.contact.0 += 1,
                (Some(_), Some(_)) => stats.contact.1 += 1,
                (Some(due), None) if *due < now => stats.contact.2 += 1,
                _ => {}
            }
        }
        self.log_screen_read(actor, ScreenRead::DpoReferrals)?;
        Ok(stats)
    }

    /// The verification of the audit chain and every evidence chain (as `tandem check`
    /// does), summarised: rows, the first bad row, findings by table and code.
    pub fn dpo_chain(&self, actor: &Staff) -> Result<ChainStatus, StorageError> {
        self.require_dpo(actor)?;
        let report = self.verify_audit()?;
        let findings = report
            .findings
            .iter()
            .map(|f| match f {
                audit::Finding::TriggerMissing { name, .. } => format!("trigger_missing {name}"),
                audit::Finding::TriggerChanged { name, .. } => format!("trigger_changed {name}"),
                audit::Finding::Evidence { table, id, problem } => {
                    format!("{table} #{id} {problem:?}")
                }
            })
            .collect();
        let status = ChainStatus {
            rows: report.rows,
            first_bad: report.first_bad.map(|b| b.seq),
            evidence: report
                .evidence_rows
                .iter()
                .map(|(t, n)| ((*t).to_string(), *n))
                .collect(),
            triggers: report.triggers,
            findings,
        };
        self.log_screen_read(actor, ScreenRead::DpoChain)?;
        Ok(status)
    }

    /// The retention review of the own Stelle on today (due and held records per class,
    /// running holds) and its deletion runs, newest first.
    pub fn dpo_retention(&self, actor: &Staff) -> Result<RetentionOverview, StorageError> {
        self.require_dpo(actor)?;
        let today = self.today();
        let due = self
            .retention_due(actor, today)?
            .into_iter()
            .map(|d| (d.class.code().to_string(), d.count, d.held))
            .collect();
        let holds = self.legal_holds(actor, today)?.len();
        let restrictions = self
            .restrictions(actor)?
            .into_iter()
            .map(|r| RestrictionLine {
                case_no: r.case_id.0,
                reason: r.reason,
                by: r.by,
                since: r.at.format("%d.%m.%Y").to_string(),
            })
            .collect();
        let runs = {
            let mut stmt = self.conn().prepare_cached(
                "SELECT r.id, r.planned_for, p.login, a.login, r.executed_at, r.preview, \
                        coalesce(r.counts, '') \
                 FROM deletion_run r JOIN staff p ON p.id = r.requested_by \
                 LEFT JOIN staff a ON a.id = r.approved_by \
                 WHERE r.stelle = ?1 ORDER BY r.id DESC",
            )?;
            let mapped = stmt.query_map([actor.agency.code()], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in mapped {
                let (id, day, by, second, at, preview, counts) = row?;
                out.push(RunLine {
                    id,
                    planned_for: day.parse().unwrap_or(today),
                    requested_by: by,
                    approved_by: second,
                    executed_at: at,
                    planned: packed_total(&preview),
                    deleted: packed_total(&counts),
                });
            }
            out
        };
        self.log_screen_read(actor, ScreenRead::DpoRetention)?;
        Ok(RetentionOverview {
            due,
            holds,
            restrictions,
            runs,
        })
    }
}
