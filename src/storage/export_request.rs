//! Four eyes for access-request exports (Art. 15 DSGVO), where the configuration asks for
//! them (docs/subject-access.md § 7): the DSB asks (`request_subject_export`), a lead or
//! another DSB of the same Stelle releases or refuses (`decide_subject_export`), and only
//! then does [`Store::subject_export`] answer that DSB for that person, once. Schema 14,
//! table `export_request`.
//!
//! Which Stellen want four eyes is a setting of the connection
//! ([`Store::set_export_four_eyes`], from `subject_export_four_eyes` in the configuration);
//! without it the DSB exports alone, as before.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};

use super::audit::{self, AuditAction, AuditEntry};
use super::{StorageError, Store, ts};
use crate::domain::refusal::Refusal;
use crate::domain::{Agency, Role, Staff};
use crate::model::subject::{ExportRequest, SubjectQuery};

/// Audit object type of a four-eyes export request; the object id is the request's id,
/// never a name.
pub const OBJECT_REQUEST: &str = "export_request";

fn ensure_policy(conn: &rusqlite::Connection) -> Result<(), StorageError> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS export_four_eyes (stelle TEXT PRIMARY KEY)",
    )?;
    Ok(())
}

/// The open request `id` of `stelle`, if it is one: (requested_by, decided).
fn request_state(
    tx: &rusqlite::Connection,
    id: i64,
    stelle: Agency,
) -> Result<Option<(i64, bool)>, StorageError> {
    Ok(tx
        .query_row(
            "SELECT requested_by, decided_at IS NOT NULL FROM export_request \
             WHERE id = ?1 AND stelle = ?2",
            params![id, stelle.code()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The released, unused request of `actor` for `query`, if there is one.
fn released(
    conn: &rusqlite::Connection,
    actor: &Staff,
    query: &SubjectQuery,
) -> Result<Option<i64>, StorageError> {
    Ok(conn
        .query_row(
            "SELECT id FROM export_request WHERE stelle = ?1 AND requested_by = ?2 \
             AND approved = 1 AND done_at IS NULL AND surname = ?3 AND given = ?4 \
             AND birth IS ?5 ORDER BY id LIMIT 1",
            params![
                actor.agency.code(),
                actor.id.0,
                query.surname.trim(),
                query.given_names.trim(),
                query.birth_date.map(|d| d.to_string())
            ],
            |r| r.get(0),
        )
        .optional()?)
}

/// Whether a released request of `actor` for `query` waits to be used.
pub(super) fn release_waiting(
    conn: &rusqlite::Connection,
    actor: &Staff,
    query: &SubjectQuery,
) -> Result<bool, StorageError> {
    Ok(released(conn, actor, query)?.is_some())
}

/// Marks the released request of `actor` for `query` as done (inside the export's own
/// write). Returns false when there is none: then the export is refused.
pub(super) fn consume_release(
    tx: &Transaction<'_>,
    actor: &Staff,
    query: &SubjectQuery,
    at: &str,
) -> Result<bool, StorageError> {
    let id = released(tx, actor, query)?;
    let Some(id) = id else {
        return Ok(false);
    };
    tx.execute(
        "UPDATE export_request SET done_at = ?2 WHERE id = ?1",
        params![id, at],
    )?;
    Ok(true)
}

impl Store {
    /// Sets the Stellen whose access-request exports need a second person (from the
    /// configuration, for this connection).
    pub fn set_export_four_eyes(&self, stellen: &[Agency]) -> Result<(), StorageError> {
        ensure_policy(self.conn())?;
        self.conn()
            .execute("DELETE FROM temp.export_four_eyes", [])?;
        for s in stellen {
            self.conn().execute(
                "INSERT OR IGNORE INTO temp.export_four_eyes VALUES (?1)",
                [s.code()],
            )?;
        }
        Ok(())
    }

    /// Whether exports of `stelle` need a released request.
    pub fn export_four_eyes(&self, stelle: Agency) -> Result<bool, StorageError> {
        ensure_policy(self.conn())?;
        Ok(self.conn().query_row(
            "SELECT count(*) > 0 FROM temp.export_four_eyes WHERE stelle = ?1",
            [stelle.code()],
            |r| r.get(0),
        )?)
    }

    /// A DSB asks for the release of an export about the person of `query`; returns the
    /// request's id. Anyone else is refused.
    pub fn request_subject_export(
        &self,
        actor: &Staff,
        query: &SubjectQuery,
    ) -> Result<i64, StorageError> {
        if !actor.active || !actor.has_role(Role::Dpo) {
            return Err(self.refused_logged(actor, OBJECT_REQUEST, None, Refusal::NotAllowed));
        }
        let (surname, given) = (query.surname.trim(), query.given_names.trim());
        let fits = |s: &str| (1..=100).contains(&s.chars().count());
        if !fits(surname) || !fits(given) {
            return Err(self.refused_logged(actor, OBJECT_REQUEST, None, Refusal::NameNeeded));
        }
        let now = ts(self.now());
        self.write(|tx| {
            tx.execute(
                "INSERT INTO export_request (stelle, requested_by, requested_at, surname, given, birth) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    actor.agency.code(),
                    actor.id.0,
                    now,
                    surname,
                    given,
                    query.birth_date.map(|d| d.to_string())
                ],
            )?;
            let id = tx.last_insert_rowid();
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Create, OBJECT_REQUEST)
                    .by(actor)
                    .object(id),
                &now,
            )?;
            Ok(id)
        })
    }

    /// The second person releases (`approve`) or refuses request `id`: an active lead or
    /// DSB of the same Stelle who did not ask. The asker is refused with "same person",
    /// anyone else with "not allowed", a decided or unknown request with "no pending".
    pub fn decide_subject_export(
        &self,
        actor: &Staff,
        id: i64,
        approve: bool,
    ) -> Result<(), StorageError> {
        let may = actor.active && (actor.has_role(Role::Lead) || actor.has_role(Role::Dpo));
        let state = request_state(self.conn(), id, actor.agency)?;
        let refusal = match state {
            _ if !may => Some(Refusal::NotAllowed),
            None | Some((_, true)) => Some(Refusal::NoPending),
            Some((by, false)) if by == actor.id.0 => Some(Refusal::SamePerson),
            Some(_) => None,
        };
        if let Some(r) = refusal {
            return Err(self.refused_logged(actor, OBJECT_REQUEST, Some(id), r));
        }
        let now = ts(self.now());
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE export_request SET decided_by = ?2, decided_at = ?3, approved = ?4 \
                 WHERE id = ?1 AND decided_at IS NULL",
                params![id, actor.id.0, now, approve],
            )?;
            if n == 0 {
                return Err(StorageError::Conflict { by: None, at: None });
            }
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Update, OBJECT_REQUEST)
                    .by(actor)
                    .object(id)
                    .detail(if approve { "released" } else { "refused" }),
                &now,
            )
        })?;
        Ok(())
    }

    /// The export requests of the actor's Stelle not yet done (waiting, released, or
    /// refused within the last 30 days), newest first: leads and DSBs only.
    pub fn subject_export_requests(
        &self,
        actor: &Staff,
    ) -> Result<Vec<ExportRequest>, StorageError> {
        if !actor.active || !(actor.has_role(Role::Lead) || actor.has_role(Role::Dpo)) {
            return Err(self.refused_logged(actor, OBJECT_REQUEST, None, Refusal::NotAllowed));
        }
        let since = ts(self.now() - chrono::Duration::days(30));
        let mut stmt = self.conn().prepare(
            "SELECT r.id, a.login, r.requested_at, r.surname, r.given, r.birth, d.login, r.approved \
             FROM export_request r JOIN staff a ON a.id = r.requested_by \
             LEFT JOIN staff d ON d.id = r.decided_by \
             WHERE r.stelle = ?1 AND r.done_at IS NULL \
               AND (r.approved IS NULL OR r.approved = 1 OR r.decided_at >= ?2) \
             ORDER BY r.id DESC",
        )?;
        let rows = stmt.query_map(params![actor.agency.code(), since], |r| {
            Ok(ExportRequest {
                id: r.get(0)?,
                requested_by: r.get(1)?,
                requested_at: r.get(2)?,
                query: SubjectQuery {
                    surname: r.get(3)?,
                    given_names: r.get(4)?,
                    birth_date: r
                        .get::<_, Option<String>>(5)?
                        .and_then(|d| d.parse::<NaiveDate>().ok()),
                },
                decided_by: r.get(6)?,
                approved: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
