//! Restriction of processing ("Sperre", Art. 18 DSGVO) and disputed fields ("bestritten",
//! Art. 16 DSGVO) — docs/access.md A12.
//!
//! Every step is one IMMEDIATE transaction that checks the actor against the records as
//! stored, changes the tables and writes one audit row; a refused step writes one `refused`
//! row (object type `restriction` or `field_dispute`, the case's id, the refusal's code) and
//! nothing else. The case list's `restricted` flag is set and cleared in the same
//! transaction as the restriction, so the list never shows a restricted case's name.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::audit::{self, AuditAction, AuditEntry, detail, object};
use super::casefile::{base_relation_to, parties_of, timestamp};
use super::{StorageError, Store, ts};
use crate::domain::access::Relation;
use crate::domain::casefile::field_owner;
use crate::domain::refusal::Refusal;
use crate::domain::restriction::{
    DisputeOutcome, RestrictionReason, STATEMENT_MAX, disputable, may_dispute, may_restrict,
};
use crate::domain::{CaseId, CoopCase, Field, Role, Staff, StaffId};

/// An open restriction as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenRestriction {
    /// Row id.
    pub id: i64,
    /// Why.
    pub reason: RestrictionReason,
    /// Who restricted.
    pub by: StaffId,
    /// Since when (Berlin wall-clock).
    pub at: NaiveDateTime,
}

/// One restricted case for the DSB's or the lead's overview: no name, no content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestrictionRow {
    /// The case number.
    pub case_id: CaseId,
    /// Why.
    pub reason: RestrictionReason,
    /// The login of who restricted it.
    pub by: String,
    /// Since when (Berlin wall-clock).
    pub at: NaiveDateTime,
}

/// One open dispute of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDispute {
    /// The disputed field.
    pub field: Field,
    /// The person's statement; None for a viewer who sees metadata only (the DSB).
    pub statement: Option<String>,
    /// The login of who recorded it.
    pub by: String,
    /// When (Berlin wall-clock).
    pub at: NaiveDateTime,
}

/// The open restriction of case `id`, if any.
pub(crate) fn open_restriction(
    conn: &Connection,
    id: CaseId,
) -> Result<Option<OpenRestriction>, StorageError> {
    Ok(conn
        .prepare_cached(
            "SELECT id, reason, by_staff, at FROM restriction WHERE case_id = ?1 AND lifted_at IS NULL",
        )?
        .query_row([id.0], |r| {
            Ok(OpenRestriction {
                id: r.get(0)?,
                reason: RestrictionReason::from_code(&r.get::<_, String>(1)?)
                    .unwrap_or(RestrictionReason::Accuracy),
                by: StaffId(r.get(2)?),
                at: timestamp(&r.get::<_, String>(3)?),
            })
        })
        .optional()?)
}

/// The fields of case `id` with an open dispute.
pub(crate) fn disputed_fields(conn: &Connection, id: CaseId) -> Result<Vec<Field>, StorageError> {
    let mut stmt = conn.prepare_cached(
        "SELECT field FROM field_dispute WHERE case_id = ?1 AND resolved_at IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([id.0], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for code in rows {
        if let Some(f) = Field::from_code(&code?) {
            out.push(f);
        }
    }
    Ok(out)
}

/// Writes the one `refused` row of a refused step on case `case` and returns the error the
/// caller hands back (as a value, so that the row is committed).
fn refuse<T>(
    tx: &Transaction<'_>,
    actor: &Staff,
    object_type: &'static str,
    case: CaseId,
    at: &str,
    err: StorageError,
) -> Result<Result<T, StorageError>, StorageError> {
    let code = match &err {
        StorageError::Refused(r) => r.code(),
        _ => detail::NOT_VISIBLE,
    };
    let entry = AuditEntry::new(AuditAction::Refused, object_type)
        .by(actor)
        .object(case.0)
        .detail(code);
    audit::append_at(tx, &entry, at)?;
    Ok(Err(err))
}

/// Whether the case exists for `actor` at all: a relation to it (as if not restricted), or
/// the DSB of a Stelle that takes part in it (metadata).
fn sees_case(
    tx: &Connection,
    actor: &Staff,
    case: &CoopCase,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Relation, bool), StorageError> {
    let rel = base_relation_to(tx, actor, case, now)?;
    let parties = parties_of(tx, case, now)?;
    let party = parties.involves(actor.agency);
    let dsb = actor.active && actor.has_role(Role::Dpo) && party;
    Ok((rel, rel != Relation::None || dsb))
}

impl Store {
    /// Restricts case `case` for `reason` (Art. 18 DSGVO): a lead or the DSB of the owning
    /// Stelle. From then on nobody writes the case and only the owning Stelle's lead reads
    /// it (docs/access.md A12).
    pub fn restrict_case(
        &self,
        actor: &Staff,
        case: CaseId,
        reason: RestrictionReason,
    ) -> Result<(), StorageError> {
        let now = self.now();
        let at = ts(now);
        let o = object::RESTRICTION;
        self.write(|tx| {
            let Some(c) = super::cases::load_case_unchecked(tx, case)? else {
                return refuse(tx, actor, o, case, &at, StorageError::NotFound);
            };
            if !may_restrict(actor, c.owner) {
                let err = if sees_case(tx, actor, &c, now)?.1 {
                    StorageError::Refused(Refusal::RestrictNotAllowed)
                } else {
                    StorageError::NotFound
                };
                return refuse(tx, actor, o, case, &at, err);
            }
            if open_restriction(tx, case)?.is_some() {
                let err = StorageError::Refused(Refusal::AlreadyRestricted);
                return refuse(tx, actor, o, case, &at, err);
            }
            tx.execute(
                "INSERT INTO restriction (case_id, reason, by_staff, at) VALUES (?1, ?2, ?3, ?4)",
                params![case.0, reason.code(), actor.id.0, at],
            )?;
            let id = tx.last_insert_rowid();
            tx.execute(
                "UPDATE case_list SET restricted = 1 WHERE case_id = ?1",
                [case.0],
            )?;
            let entry = AuditEntry::new(AuditAction::Create, o)
                .by(actor)
                .object(id)
                .fields(vec!["case_id", "reason"])
                .version(1)
                .detail(reason.code());
            audit::append_at(tx, &entry, &at)?;
            Ok(Ok(()))
        })?
    }

    /// Lifts the open restriction of case `case`: a lead or the DSB of the owning Stelle.
    pub fn lift_restriction(&self, actor: &Staff, case: CaseId) -> Result<(), StorageError> {
        let now = self.now();
        let at = ts(now);
        let o = object::RESTRICTION;
        self.write(|tx| {
            let Some(c) = super::cases::load_case_unchecked(tx, case)? else {
                return refuse(tx, actor, o, case, &at, StorageError::NotFound);
            };
            if !may_restrict(actor, c.owner) {
                let err = if sees_case(tx, actor, &c, now)?.1 {
                    StorageError::Refused(Refusal::RestrictNotAllowed)
                } else {
                    StorageError::NotFound
                };
                return refuse(tx, actor, o, case, &at, err);
            }
            let Some(open) = open_restriction(tx, case)? else {
                let err = StorageError::Refused(Refusal::NotRestricted);
                return refuse(tx, actor, o, case, &at, err);
            };
            tx.execute(
                "UPDATE restriction SET lifted_by = ?2, lifted_at = ?3 WHERE id = ?1",
                params![open.id, actor.id.0, at],
            )?;
            tx.execute(
                "UPDATE case_list SET restricted = 0 WHERE case_id = ?1",
                [case.0],
            )?;
            let entry = AuditEntry::new(AuditAction::Update, o)
                .by(actor)
                .object(open.id)
                .fields(vec!["lifted_by", "lifted_at"])
                .version(2)
                .detail(detail::LIFTED);
            audit::append_at(tx, &entry, &at)?;
            Ok(Ok(()))
        })?
    }

    /// The open restriction of case `case` for someone the case exists for (a relation to
    /// it as if it were not restricted, or the DSB of a Stelle that takes part in it);
    /// `NotFound` for anyone else.
    pub fn restriction_of(
        &self,
        viewer: &Staff,
        case: CaseId,
    ) -> Result<Option<RestrictionRow>, StorageError> {
        let conn = self.conn();
        let c = super::cases::load_case_unchecked(conn, case)?.ok_or(StorageError::NotFound)?;
        if !sees_case(conn, viewer, &c, self.now())?.1 {
            return Err(StorageError::NotFound);
        }
        let Some(open) = open_restriction(conn, case)? else {
            return Ok(None);
        };
        Ok(Some(RestrictionRow {
            case_id: case,
            reason: open.reason,
            by: self.login_of(open.by)?,
            at: open.at,
        }))
    }

    /// The open restrictions of the cases `viewer`'s Stelle owns, newest first: for its
    /// leads and its DSB (case number, reason, who, since when — no name). Anyone else gets
    /// none. The overview is logged (docs/access.md A9).
    pub fn restrictions(&self, viewer: &Staff) -> Result<Vec<RestrictionRow>, StorageError> {
        if !may_restrict(viewer, viewer.agency) {
            return Ok(Vec::new());
        }
        let rows: Vec<RestrictionRow> = {
            let mut stmt = self.conn().prepare_cached(
                "SELECT r.case_id, r.reason, s.login, r.at FROM restriction r \
                 JOIN coop_case c ON c.id = r.case_id JOIN staff s ON s.id = r.by_staff \
                 WHERE r.lifted_at IS NULL AND c.owner_stelle = ?1 ORDER BY r.at DESC, r.id DESC",
            )?;
            let mapped = stmt.query_map([viewer.agency.code()], |r| {
                Ok(RestrictionRow {
                    case_id: CaseId(r.get(0)?),
                    reason: RestrictionReason::from_code(&r.get::<_, String>(1)?)
                        .unwrap_or(RestrictionReason::Accuracy),
                    by: r.get(2)?,
                    at: timestamp(&r.get::<_, String>(3)?),
                })
            })?;
            mapped.collect::<Result<_, _>>()?
        };
        let at = ts(self.now());
        self.write(|tx| {
            let entry = AuditEntry::new(AuditAction::View, object::RESTRICTION_LIST).by(viewer);
            audit::append_at(tx, &entry, &at)?;
            Ok(())
        })?;
        Ok(rows)
    }

    /// Records that the person disputes the accuracy of `field` of case `case` (Art. 16
    /// DSGVO), with their statement: by the Stelle that keeps the field — its caseworker,
    /// deputy or lead on the case, or its DSB. The field keeps its value, marked
    /// "(bestritten)". Allowed while the case is restricted: it changes no case data.
    pub fn dispute_field(
        &self,
        actor: &Staff,
        case: CaseId,
        field: Field,
        statement: &str,
    ) -> Result<i64, StorageError> {
        let now = self.now();
        let at = ts(now);
        let o = object::DISPUTE;
        self.write(|tx| {
            let c = match dispute_gate(tx, actor, case, field, now)? {
                Ok(c) => c,
                Err(e) => return refuse(tx, actor, o, case, &at, e),
            };
            if statement.chars().count() > STATEMENT_MAX {
                let err = StorageError::Refused(Refusal::StatementTooLong);
                return refuse(tx, actor, o, case, &at, err);
            }
            if open_dispute_id(tx, c.id, field)?.is_some() {
                let err = StorageError::Refused(Refusal::DisputeOpen);
                return refuse(tx, actor, o, case, &at, err);
            }
            tx.execute(
                "INSERT INTO field_dispute (case_id, field, statement, by_staff, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![case.0, field.code(), statement, actor.id.0, at],
            )?;
            let id = tx.last_insert_rowid();
            let entry = AuditEntry::new(AuditAction::Create, o)
                .by(actor)
                .object(id)
                .fields(vec![field.code()])
                .version(1);
            audit::append_at(tx, &entry, &at)?;
            Ok(Ok(id))
        })?
    }

    /// Resolves the open dispute of `field` of case `case`: the value was corrected (the
    /// correction itself is a save of the case form) or checked and confirmed. The same
    /// people as [`Store::dispute_field`].
    pub fn resolve_dispute(
        &self,
        actor: &Staff,
        case: CaseId,
        field: Field,
        outcome: DisputeOutcome,
    ) -> Result<(), StorageError> {
        let now = self.now();
        let at = ts(now);
        let o = object::DISPUTE;
        self.write(|tx| {
            if let Err(e) = dispute_gate(tx, actor, case, field, now)? {
                return refuse(tx, actor, o, case, &at, e);
            }
            let Some(id) = open_dispute_id(tx, case, field)? else {
                let err = StorageError::Refused(Refusal::DisputeClosed);
                return refuse(tx, actor, o, case, &at, err);
            };
            tx.execute(
                "UPDATE field_dispute SET resolved_by = ?2, resolved_at = ?3, outcome = ?4 WHERE id = ?1",
                params![id, actor.id.0, at, outcome.code()],
            )?;
            let entry = AuditEntry::new(AuditAction::Update, o)
                .by(actor)
                .object(id)
                .fields(vec!["resolved_by", "resolved_at", "outcome"])
                .version(2)
                .detail(outcome.code());
            audit::append_at(tx, &entry, &at)?;
            Ok(Ok(()))
        })?
    }

    /// The open disputes of case `case` as `viewer` may see them: whoever reads the case
    /// sees the disputes of the fields they may read, with the statement; the DSB of a
    /// Stelle that takes part sees those of its own Stelle's fields without the statement.
    /// `NotFound` when the case does not exist for the viewer; `Restricted` for someone who
    /// works on a restricted case but may not read it.
    pub fn open_disputes(
        &self,
        viewer: &Staff,
        case: CaseId,
    ) -> Result<Vec<FieldDispute>, StorageError> {
        let res = self.open_disputes_unlogged(viewer, case);
        // Logged like every read that shows case content (docs/access.md A9).
        let entry = match &res {
            Ok(_) => AuditEntry::new(AuditAction::View, object::DISPUTE),
            Err(StorageError::Refused(r)) => {
                AuditEntry::new(AuditAction::Refused, object::DISPUTE).detail(r.code())
            }
            Err(StorageError::NotFound) => {
                AuditEntry::new(AuditAction::Refused, object::DISPUTE).detail(detail::NOT_VISIBLE)
            }
            Err(_) => return res,
        };
        let at = ts(self.now());
        self.write(|tx| {
            audit::append_at(tx, &entry.by(viewer).object(case.0), &at)?;
            Ok(())
        })?;
        res
    }

    fn open_disputes_unlogged(
        &self,
        viewer: &Staff,
        case: CaseId,
    ) -> Result<Vec<FieldDispute>, StorageError> {
        let conn = self.conn();
        let now = self.now();
        let c = super::cases::load_case_unchecked(conn, case)?.ok_or(StorageError::NotFound)?;
        let (base, sees) = sees_case(conn, viewer, &c, now)?;
        if !sees {
            return Err(StorageError::NotFound);
        }
        let rel = super::casefile::relation_to(conn, viewer, &c, now)?;
        let content = rel != Relation::None;
        if !content && base != Relation::None {
            return Err(StorageError::Refused(Refusal::Restricted));
        }
        let hidden = if content {
            super::casefile::hidden_fields(conn, viewer, &c, now)?
        } else {
            Vec::new()
        };
        let mut stmt = conn.prepare_cached(
            "SELECT d.field, d.statement, s.login, d.at FROM field_dispute d JOIN staff s ON s.id = d.by_staff \
             WHERE d.case_id = ?1 AND d.resolved_at IS NULL ORDER BY d.id",
        )?;
        let rows = stmt.query_map([case.0], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (code, statement, by, at) = row?;
            let Some(field) = Field::from_code(&code) else {
                continue;
            };
            let shown = if content {
                !hidden.contains(&field)
            } else {
                field_owner(field, c.owner) == viewer.agency
            };
            if shown {
                out.push(FieldDispute {
                    field,
                    statement: content.then_some(statement),
                    by,
                    at: timestamp(&at),
                });
            }
        }
        Ok(out)
    }

    fn login_of(&self, id: StaffId) -> Result<String, StorageError> {
        Ok(self.staff_by_id(id)?.map(|s| s.login).unwrap_or_default())
    }
}

/// Who may dispute `field` of `case` (docs/access.md A12), in the step's transaction:
/// the case as stored, or the refusal to log.
fn dispute_gate(
    tx: &Transaction<'_>,
    actor: &Staff,
    case: CaseId,
    field: Field,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Result<CoopCase, StorageError>, StorageError> {
    let Some(c) = super::cases::load_case_unchecked(tx, case)? else {
        return Ok(Err(StorageError::NotFound));
    };
    let (rel, sees) = sees_case(tx, actor, &c, now)?;
    if !sees {
        return Ok(Err(StorageError::NotFound));
    }
    let owner = field_owner(field, c.owner);
    if !disputable(field) || owner != actor.agency {
        return Ok(Err(StorageError::Refused(Refusal::DisputeField)));
    }
    if !may_dispute(actor, rel, owner, true) {
        return Ok(Err(StorageError::Refused(Refusal::NotAllowed)));
    }
    Ok(Ok(c))
}

/// The id of the open dispute of `field` on case `case`.
fn open_dispute_id(
    conn: &Connection,
    case: CaseId,
    field: Field,
) -> Result<Option<i64>, StorageError> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM field_dispute WHERE case_id = ?1 AND field = ?2 AND resolved_at IS NULL",
        )?
        .query_row(params![case.0, field.code()], |r| r.get(0))
        .optional()?)
}
