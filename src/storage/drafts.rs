//! Drafts: what a person typed into a form, autosaved so that nothing is lost on a dropped
//! link, `kill -9` or a conflict. Always read and written for one staff member only.

use std::collections::BTreeMap;

use rusqlite::params;

use super::{StorageError, Store, ts};
use crate::domain::{CaseId, Staff, StaffId};
use crate::model::draft::{CASE_DRAFT, Draft};

/// What the `content` column holds.
#[derive(serde::Serialize, serde::Deserialize)]
struct Content {
    values: BTreeMap<String, String>,
    base: BTreeMap<String, String>,
}

impl Store {
    /// Writes (or replaces) a draft in one short transaction.
    pub fn save_draft(&self, draft: &Draft) -> Result<(), StorageError> {
        let content = toml::to_string(&Content {
            values: draft.values.clone(),
            base: draft.base_values.clone(),
        })
        .map_err(|e| StorageError::Migration(e.to_string()))?;
        let now = ts(self.now());
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO draft (staff_id, form, record_id, base_version, base_person_version, \
                 content, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                draft.staff_id.0,
                draft.form,
                draft.record_id,
                draft.base_version,
                draft.base_person_version,
                content,
                now
            ])?;
            Ok(())
        })
    }

    /// The drafts of `staff`, newest first.
    pub fn drafts_for(&self, staff: StaffId) -> Result<Vec<Draft>, StorageError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT form, record_id, base_version, base_person_version, content, updated_at \
             FROM draft WHERE staff_id = ?1 ORDER BY updated_at DESC, record_id",
        )?;
        let rows = stmt.query_map([staff.0], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (form, record_id, base_version, base_person_version, content, updated_at) = row?;
            // A draft that cannot be read back is kept in the table (not deleted) and skipped.
            let Ok(Content { values, base }) = toml::from_str::<Content>(&content) else {
                tracing::warn!(record_id, "unreadable draft skipped");
                continue;
            };
            out.push(Draft {
                staff_id: staff,
                form,
                record_id,
                base_version,
                base_person_version,
                values,
                base_values: base,
                updated_at,
            });
        }
        Ok(out)
    }

    /// The drafts of `me` as they may be offered now (docs/access.md A8): a case-form
    /// draft keeps only the values of person fields `me` may still read — after a
    /// revocation, an expiry or a lost assignment the partner's name, birth date and
    /// address are gone from it, and the offer cannot name the person.
    pub fn drafts_offered(&self, me: &Staff) -> Result<Vec<Draft>, StorageError> {
        let mut out = self.drafts_for(me.id)?;
        for d in &mut out {
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

    /// Deletes one draft (after saving or discarding the form).
    pub fn delete_draft(
        &self,
        staff: StaffId,
        form: &str,
        record_id: i64,
    ) -> Result<(), StorageError> {
        self.write(|tx| {
            tx.prepare_cached(
                "DELETE FROM draft WHERE staff_id = ?1 AND form = ?2 AND record_id = ?3",
            )?
            .execute(params![staff.0, form, record_id])?;
            Ok(())
        })
    }

    /// Deletes drafts last saved more than `days` days before the store clock's now; returns
    /// how many.
    pub fn purge_expired_drafts(&self, days: u32) -> Result<usize, StorageError> {
        let cutoff = ts(self.now() - chrono::Duration::days(i64::from(days)));
        self.write(|tx| Ok(tx.execute("DELETE FROM draft WHERE updated_at < ?1", [cutoff])?))
    }
}
