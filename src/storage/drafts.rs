//! Drafts: what a person typed into a form, autosaved so that nothing is lost on a dropped
//! link, `kill -9` or a conflict. Always read and written for one staff member only.

use std::collections::BTreeMap;

use rusqlite::params;

use super::{StorageError, Store, ts};
use crate::domain::referral::FourEyesStep;
use crate::domain::refusal::Refusal;
use crate::domain::text::FieldLimits;
use crate::domain::{CaseId, Staff, StaffId};
use crate::model::draft::{CASE_DRAFT, Draft, SessionId};
use crate::model::draft::{REFERRAL_DRAFT, REFERRAL_DRAFT_ALERT_DAYS};
use crate::model::notice::Notice;

/// What the `content` column holds.
#[derive(serde::Serialize, serde::Deserialize)]
struct Content {
    values: BTreeMap<String, String>,
    base: BTreeMap<String, String>,
}

/// Writes (or replaces) `session`'s draft inside a running transaction.
pub(crate) fn insert_draft(
    tx: &rusqlite::Transaction<'_>,
    session: &SessionId,
    draft: &Draft,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StorageError> {
    let content = toml::to_string(&Content {
        values: draft.values.clone(),
        base: draft.base_values.clone(),
    })
    .map_err(|e| StorageError::Migration(e.to_string()))?;
    tx.prepare_cached(
        "INSERT OR REPLACE INTO draft (staff_id, session, form, record_id, base_version, \
         base_person_version, content, updated_at) VALUES (?1, ?8, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        draft.staff_id.0,
        draft.form,
        draft.record_id,
        draft.base_version,
        draft.base_person_version,
        content,
        ts(now),
        session.0
    ])?;
    Ok(())
}

impl Store {
    /// Writes (or replaces) `session`'s draft in one short transaction. A value longer
    /// than any field may be ([`FieldLimits::CEILING`]) is refused: the forms stop typing
    /// and pasting at the field's limit, so only a fault could bring one, and the draft
    /// already stored stays as it was (docs/data-exits.md § 5).
    pub fn save_draft(&self, session: &SessionId, draft: &Draft) -> Result<(), StorageError> {
        let ceiling = FieldLimits::CEILING.text;
        if draft
            .values
            .values()
            .any(|v| v.len() > ceiling && v.chars().count() > ceiling)
        {
            return Err(StorageError::Refused(Refusal::DraftTooLong));
        }
        let now = self.now();
        self.write(|tx| insert_draft(tx, session, draft, now))
    }

    /// The drafts of `staff` in every session, newest first.
    pub fn drafts_for(&self, staff: StaffId) -> Result<Vec<Draft>, StorageError> {
        Ok(self
            .drafts_with_sessions(staff)?
            .into_iter()
            .map(|(_, d)| d)
            .collect())
    }

    /// The drafts of `staff` with the session that wrote each, newest first.
    fn drafts_with_sessions(
        &self,
        staff: StaffId,
    ) -> Result<Vec<(SessionId, Draft)>, StorageError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT form, record_id, base_version, base_person_version, content, updated_at, \
             session FROM draft WHERE staff_id = ?1 ORDER BY updated_at DESC, record_id",
        )?;
        let rows = stmt.query_map([staff.0], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (form, record_id, base_version, base_person_version, content, updated_at, session) =
                row?;
            // A draft that cannot be read back is kept in the table (not deleted) and skipped.
            let Ok(Content { values, base }) = toml::from_str::<Content>(&content) else {
                tracing::warn!(record_id, "unreadable draft skipped");
                continue;
            };
            out.push((
                SessionId(session),
                Draft {
                    staff_id: staff,
                    form,
                    record_id,
                    base_version,
                    base_person_version,
                    values,
                    base_values: base,
                    updated_at,
                },
            ));
        }
        Ok(out)
    }

    /// The drafts of `me` as they may be offered now, each with the session that wrote it.
    /// Only drafts of sessions that have ended are offered: a session still running keeps
    /// its own (docs/architecture.md § 4). A case-form draft keeps only the values of person
    /// fields `me` may still read (docs/access.md A8) — after a revocation, an expiry or a
    /// lost assignment the partner's name, birth date and address are gone from it, and the
    /// offer cannot name the person.
    pub fn drafts_offered(&self, me: &Staff) -> Result<Vec<(SessionId, Draft)>, StorageError> {
        let mut out = Vec::new();
        let mut running = std::collections::HashMap::new();
        for (session, d) in self.drafts_with_sessions(me.id)? {
            let live = if let Some(live) = running.get(&session) {
                *live
            } else {
                let live = self.session_running(&session)?;
                running.insert(session.clone(), live);
                live
            };
            if !live {
                out.push((session, d));
            }
        }
        for (_, d) in &mut out {
            if d.form != CASE_DRAFT || d.record_id <= 0 {
                continue;
            }
            let conn = self.conn();
            let hidden = match super::cases::load_case_unchecked(conn, CaseId(d.record_id))? {
                Some(case) => super::casefile::hidden_fields(conn, me, &case, self.now())?,
                None => crate::domain::casefile::PERSON_FIELDS.to_vec(),
            };
            for field in hidden {
                d.values.remove(field.code());
                d.base_values.remove(field.code());
            }
        }
        Ok(out)
    }

    /// Deletes one draft of `session` (after saving or discarding the form); the drafts of
    /// other sessions stay.
    pub fn delete_draft(
        &self,
        session: &SessionId,
        staff: StaffId,
        form: &str,
        record_id: i64,
    ) -> Result<(), StorageError> {
        self.write(|tx| {
            tx.prepare_cached(
                "DELETE FROM draft WHERE staff_id = ?1 AND session = ?4 AND form = ?2 \
                 AND record_id = ?3",
            )?
            .execute(params![staff.0, form, record_id, session.0])?;
            Ok(())
        })
    }

    /// Moves the draft of `form` for `record_id` from the ended session `from` into the
    /// running session `to` (when it is restored there): from now on it is that session's
    /// draft, saved and deleted with its form.
    pub fn take_over_draft(
        &self,
        staff: StaffId,
        from: &SessionId,
        to: &SessionId,
        form: &str,
        record_id: i64,
    ) -> Result<(), StorageError> {
        self.write(|tx| {
            tx.prepare_cached(
                "UPDATE OR REPLACE draft SET session = ?5 WHERE staff_id = ?1 AND session = ?2 \
                 AND form = ?3 AND record_id = ?4",
            )?
            .execute(params![staff.0, from.0, form, record_id, to.0])?;
            Ok(())
        })
    }

    /// Deletes drafts last saved more than `days` days before the store clock's now and
    /// leaves each author a notice of how many ([`Store::take_notices`]); returns how many
    /// were deleted.
    pub fn purge_expired_drafts(&self, days: u32) -> Result<usize, StorageError> {
        let now = self.now();
        let cutoff = ts(now - chrono::Duration::days(i64::from(days)));
        self.write(|tx| {
            // A referral draft never expires (docs/casework.md § 6): it raises an alert.
            tx.execute(
                "INSERT INTO staff_notice (staff_id, kind, object_id, at) \
                 SELECT staff_id, 'drafts_expired', count(*), ?2 FROM draft WHERE updated_at < ?1 \
                 AND form <> ?3 GROUP BY staff_id",
                params![cutoff, ts(now), REFERRAL_DRAFT],
            )?;
            Ok(tx.execute(
                "DELETE FROM draft WHERE updated_at < ?1 AND form <> ?2",
                params![cutoff, REFERRAL_DRAFT],
            )?)
        })
    }

    /// How many days `staff`'s unsent referral draft has been untouched, when it is at
    /// least [`REFERRAL_DRAFT_ALERT_DAYS`] (docs/casework.md § 6).
    pub fn stale_referral_draft(&self, staff: StaffId) -> Result<Option<i64>, StorageError> {
        let at: Option<String> = self
            .conn()
            .prepare_cached("SELECT max(updated_at) FROM draft WHERE staff_id = ?1 AND form = ?2")?
            .query_row(params![staff.0, REFERRAL_DRAFT], |r| r.get(0))?;
        let Some(at) = at.as_deref().and_then(super::parse_ts) else {
            return Ok(None);
        };
        let days = (self.now() - at).num_days();
        Ok((days >= REFERRAL_DRAFT_ALERT_DAYS).then_some(days))
    }

    /// The notices waiting for `staff`, oldest first; they are removed (each is shown once).
    pub fn take_notices(&self, staff: StaffId) -> Result<Vec<Notice>, StorageError> {
        self.write(|tx| {
            let rows: Vec<NoticeRow> = {
                let mut stmt = tx.prepare_cached(
                    "SELECT n.kind, n.object_id, \
                     (SELECT s.given_name || ' ' || s.surname FROM staff s WHERE s.id = n.by_staff), \
                     n.at, c.starts_at, c.case_id, n.detail, \
                     (SELECT coalesce(r.ja_ref, '') FROM cp_referral r WHERE r.id = n.object_id) \
                     FROM staff_notice n LEFT JOIN conference c \
                     ON n.kind = 'approval_cleared' AND c.id = n.object_id \
                     WHERE n.staff_id = ?1 ORDER BY n.at, n.rowid",
                )?;
                stmt.query_map([staff.0], |r| {
                    Ok(NoticeRow {
                        kind: r.get(0)?,
                        object: r.get(1)?,
                        by: r.get(2)?,
                        at: r.get(3)?,
                        starts: r.get(4)?,
                        case: r.get(5)?,
                        detail: r.get(6)?,
                        reference: r.get(7)?,
                    })
                })?
                .collect::<Result<_, _>>()?
            };
            tx.execute("DELETE FROM staff_notice WHERE staff_id = ?1", [staff.0])?;
            let mut expired = 0u32;
            let mut out = Vec::new();
            for n in rows {
                let at = crate::domain::tz::format_stored(&n.at).unwrap_or_else(|| n.at.clone());
                if n.kind == "drafts_expired" {
                    expired = expired.saturating_add(u32::try_from(n.object).unwrap_or(0));
                } else if n.kind == "proposal_cleared" {
                    if let Some(step) = FourEyesStep::from_code(&n.detail) {
                        out.push(Notice::ProposalCleared {
                            step,
                            reference: n.reference.unwrap_or_default(),
                            at,
                        });
                    }
                } else if let Some(case) = n.case {
                    // A conference that is gone leaves nothing to say.
                    out.push(Notice::ApprovalCleared {
                        held_on: n
                            .starts
                            .as_deref()
                            .and_then(super::parse_ts)
                            .map(|t| crate::domain::tz::to_local(t).date()),
                        case: CaseId(case),
                        by: n.by.unwrap_or_default(),
                        at,
                    });
                }
            }
            if expired > 0 {
                out.insert(0, Notice::DraftsExpired(expired));
            }
            Ok(out)
        })
    }
}

/// One row of `staff_notice` with what it names.
struct NoticeRow {
    kind: String,
    object: i64,
    by: Option<String>,
    at: String,
    starts: Option<String>,
    case: Option<i64>,
    detail: String,
    reference: Option<String>,
}
