//! The case file's own records edited in Tandem (docs/casework.md § 1): custody holders,
//! children and agreed measures are created, changed and ended through forms, each save
//! behind the write gate of docs/access.md A7, against the version the form was opened
//! with (a colleague's save in between is a conflict naming who saved), with the changed
//! fields and their old values in the audit log.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};

use super::audit::{self, AuditAction, AuditEntry, FieldValue, object};
use super::casefile::{WriteNeeds, case_of_record};
use super::cases::conflict;
use super::{StorageError, Store, ts};
use crate::domain::casefile::{Child, Guardian, Measure, MeasureStatus, Responsible};
use crate::domain::coop::MeasureCategory;
use crate::domain::refusal::Refusal;
use crate::domain::text::sanitize;
use crate::domain::{Agency, CaseId, Staff};

/// Which kind of case record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    /// A custody holder or relative.
    Guardian,
    /// A child.
    Child,
    /// An agreed measure.
    Measure,
}

impl RecordKind {
    /// Its table (and audit object type).
    pub fn table(self) -> &'static str {
        match self {
            RecordKind::Guardian => object::GUARDIAN,
            RecordKind::Child => object::CHILD,
            RecordKind::Measure => object::MEASURE,
        }
    }
}

/// A stored record's case and version, for a form that edits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordMeta {
    /// The case it belongs to.
    pub case: CaseId,
    /// The version a save must rest on.
    pub version: i64,
    /// The agency that owns it (the case owner's for family records).
    pub owner: Agency,
}

/// The longest name, phone or place the store accepts; the forms say so at the field.
pub const MAX_LINE: usize = 200;
/// The longest measure text or result.
pub const MAX_TEXT: usize = 2000;

fn line(s: &str) -> String {
    sanitize(s.trim(), false)
}

fn checked_text(s: &str, max: usize) -> Result<String, StorageError> {
    let t = sanitize(s.trim(), true);
    if t.chars().count() > max {
        return Err(StorageError::Refused(Refusal::StatementTooLong));
    }
    Ok(t)
}

fn checked_name(s: &str) -> Result<String, StorageError> {
    let t = line(s);
    if t.is_empty() {
        return Err(StorageError::Refused(Refusal::NameNeeded));
    }
    if t.chars().count() > MAX_LINE {
        return Err(StorageError::Refused(Refusal::StatementTooLong));
    }
    Ok(t)
}

fn day(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// Bumps `table`'s row `id` from `version` and stamps who and when; zero rows: a conflict
/// that names the last saver.
fn bump(
    tx: &Transaction<'_>,
    table: &str,
    id: i64,
    version: i64,
    actor: &Staff,
    at: &str,
) -> Result<i64, StorageError> {
    let n = tx.execute(
        &format!(
            "UPDATE {table} SET version = version + 1, updated_at = ?3, updated_by = ?4 \
             WHERE id = ?1 AND version = ?2"
        ),
        params![id, version, at, actor.id.0],
    )?;
    if n == 0 {
        return Err(conflict(tx, table, id));
    }
    Ok(version + 1)
}

/// Logs the change of record `id` of `table` to `version` with the fields that changed.
fn log_change(
    tx: &Transaction<'_>,
    actor: &Staff,
    (table, id, version): (&'static str, i64, i64),
    at: &str,
    before: &[FieldValue],
    after: &[FieldValue],
) -> Result<(), StorageError> {
    let entry = AuditEntry::new(AuditAction::Update, table)
        .by(actor)
        .object(id)
        .version(version);
    audit::log_update(tx, entry, at, before, after)?;
    Ok(())
}

impl Store {
    /// The case, version and owner of a stored record; NotFound when it does not exist. A
    /// form reads it after the case file showed the record, so the viewer's access was
    /// checked there; the save checks again.
    pub fn record_meta(&self, kind: RecordKind, id: i64) -> Result<RecordMeta, StorageError> {
        let sql = match kind {
            RecordKind::Measure => {
                "SELECT m.case_id, m.version, coalesce(m.owner_stelle, c.owner_stelle) FROM measure m \
                 JOIN coop_case c ON c.id = m.case_id WHERE m.id = ?1"
            }
            RecordKind::Guardian => {
                "SELECT g.case_id, g.version, c.owner_stelle FROM guardian g \
                 JOIN coop_case c ON c.id = g.case_id WHERE g.id = ?1"
            }
            RecordKind::Child => {
                "SELECT k.case_id, k.version, c.owner_stelle FROM child k \
                 JOIN coop_case c ON c.id = k.case_id WHERE k.id = ?1"
            }
        };
        self.conn()
            .prepare_cached(sql)?
            .query_row([id], |r| {
                Ok(RecordMeta {
                    case: CaseId(r.get(0)?),
                    version: r.get(1)?,
                    owner: Agency::from_code(&r.get::<_, String>(2)?).unwrap_or(Agency::Jobcenter),
                })
            })
            .optional()?
            .ok_or(StorageError::NotFound)
    }

    /// The category of a measure, if one was chosen.
    pub fn measure_category(&self, id: i64) -> Result<Option<MeasureCategory>, StorageError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT category FROM measure WHERE id = ?1")?
            .query_row([id], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten()
            .as_deref()
            .and_then(MeasureCategory::from_code))
    }

    /// Creates (`existing` None) or changes a custody holder of case `case`, by the assigned
    /// caseworker or active deputy of the case owner's agency (docs/access.md A3, A7); an
    /// `ended_on` ends it. Returns the record's id.
    pub fn save_guardian(
        &self,
        actor: &Staff,
        case: CaseId,
        existing: Option<(i64, i64)>,
        g: &Guardian,
    ) -> Result<i64, StorageError> {
        let at = ts(self.now());
        let name = checked_name(&g.name)?;
        let phone = line(&g.phone);
        if phone.chars().count() > MAX_LINE {
            return Err(StorageError::Refused(Refusal::StatementTooLong));
        }
        let target = (object::GUARDIAN, existing.map(|e| e.0).or(Some(case.0)));
        let find = |tx: &Transaction<'_>| match existing {
            Some((id, _)) => record_case(tx, "guardian", id, case),
            None => Ok(Some(case)),
        };
        self.write_case(actor, WriteNeeds::OwnerWorker, target, find, |tx, _, _| {
            let after: Vec<FieldValue> = vec![
                ("name", Some(name.clone())),
                ("relation", Some(g.relation.code().to_string())),
                ("custody", Some(g.custody.code().to_string())),
                ("phone", Some(phone.clone())),
                ("do_not_contact", Some(i64::from(g.do_not_contact).to_string())),
                ("ended_on", day(g.ended_on)),
            ];
            let Some((id, version)) = existing else {
                tx.execute(
                    "INSERT INTO guardian (case_id, name, relation, custody, phone, do_not_contact, \
                     ended_on, created_at, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
                    params![case.0, name, g.relation.code(), g.custody.code(), phone,
                        i64::from(g.do_not_contact), day(g.ended_on), at, actor.id.0],
                )?;
                let id = tx.last_insert_rowid();
                let fields = vec!["case_id", "name", "relation", "custody", "phone", "do_not_contact", "ended_on"];
                audit::log_create(tx, &at, Some(actor), object::GUARDIAN, id, fields)?;
                return Ok(id);
            };
            let before: Vec<FieldValue> = tx.query_row(
                "SELECT name, relation, custody, phone, do_not_contact, ended_on FROM guardian WHERE id = ?1",
                [id],
                |r| {
                    Ok(vec![
                        ("name", Some(r.get::<_, String>(0)?)),
                        ("relation", Some(r.get::<_, String>(1)?)),
                        ("custody", Some(r.get::<_, String>(2)?)),
                        ("phone", Some(r.get::<_, String>(3)?)),
                        ("do_not_contact", Some(r.get::<_, i64>(4)?.to_string())),
                        ("ended_on", r.get::<_, Option<String>>(5)?),
                    ])
                },
            )?;
            let v = bump(tx, "guardian", id, version, actor, &at)?;
            tx.execute(
                "UPDATE guardian SET name = ?2, relation = ?3, custody = ?4, phone = ?5, \
                 do_not_contact = ?6, ended_on = ?7 WHERE id = ?1",
                params![id, name, g.relation.code(), g.custody.code(), phone,
                    i64::from(g.do_not_contact), day(g.ended_on)],
            )?;
            log_change(tx, actor, (object::GUARDIAN, id, v), &at, &before, &after)?;
            Ok(id)
        })
    }

    /// Creates or changes a child of case `case` (as [`Store::save_guardian`]).
    pub fn save_child(
        &self,
        actor: &Staff,
        case: CaseId,
        existing: Option<(i64, i64)>,
        c: &Child,
    ) -> Result<i64, StorageError> {
        let at = ts(self.now());
        let name = checked_name(&c.name)?;
        let whereabouts = line(&c.whereabouts);
        if whereabouts.chars().count() > MAX_LINE {
            return Err(StorageError::Refused(Refusal::StatementTooLong));
        }
        let today = super::berlin_day(self.now());
        if c.birth_date > today || c.ended_on.is_some_and(|e| e < c.birth_date) {
            return Err(StorageError::Refused(Refusal::DateOutOfRange));
        }
        let target = (object::CHILD, existing.map(|e| e.0).or(Some(case.0)));
        let find = |tx: &Transaction<'_>| match existing {
            Some((id, _)) => record_case(tx, "child", id, case),
            None => Ok(Some(case)),
        };
        self.write_case(actor, WriteNeeds::OwnerWorker, target, find, |tx, _, _| {
            let after: Vec<FieldValue> = vec![
                ("name", Some(name.clone())),
                ("birth_date", Some(c.birth_date.to_string())),
                ("relation", Some(c.relation.code().to_string())),
                ("whereabouts", Some(whereabouts.clone())),
                ("ended_on", day(c.ended_on)),
            ];
            let Some((id, version)) = existing else {
                tx.execute(
                    "INSERT INTO child (case_id, name, birth_date, relation, whereabouts, ended_on, \
                     created_at, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
                    params![case.0, name, c.birth_date.to_string(), c.relation.code(), whereabouts,
                        day(c.ended_on), at, actor.id.0],
                )?;
                let id = tx.last_insert_rowid();
                let fields = vec!["case_id", "name", "birth_date", "relation", "whereabouts", "ended_on"];
                audit::log_create(tx, &at, Some(actor), object::CHILD, id, fields)?;
                return Ok(id);
            };
            let before: Vec<FieldValue> = tx.query_row(
                "SELECT name, birth_date, relation, whereabouts, ended_on FROM child WHERE id = ?1",
                [id],
                |r| {
                    Ok(vec![
                        ("name", Some(r.get::<_, String>(0)?)),
                        ("birth_date", Some(r.get::<_, String>(1)?)),
                        ("relation", Some(r.get::<_, String>(2)?)),
                        ("whereabouts", Some(r.get::<_, String>(3)?)),
                        ("ended_on", r.get::<_, Option<String>>(4)?),
                    ])
                },
            )?;
            let v = bump(tx, "child", id, version, actor, &at)?;
            tx.execute(
                "UPDATE child SET name = ?2, birth_date = ?3, relation = ?4, whereabouts = ?5, \
                 ended_on = ?6 WHERE id = ?1",
                params![id, name, c.birth_date.to_string(), c.relation.code(), whereabouts, day(c.ended_on)],
            )?;
            log_change(tx, actor, (object::CHILD, id, v), &at, &before, &after)?;
            Ok(id)
        })
    }

    /// Creates or changes an agreed measure of case `case` by its assigned caseworker or
    /// active deputy (docs/access.md A7). A measure is changed only by the agency that owns
    /// it (A3); the other agency sets its state with [`Store::set_measure_status`]. A final
    /// state other than "Erledigt" needs a result (the reason).
    pub fn save_measure(
        &self,
        actor: &Staff,
        case: CaseId,
        existing: Option<(i64, i64)>,
        m: &Measure,
        category: Option<MeasureCategory>,
    ) -> Result<i64, StorageError> {
        let at = ts(self.now());
        let text = checked_text(&m.text, MAX_TEXT)?;
        if text.is_empty() {
            return Err(StorageError::Refused(Refusal::DecisionIncomplete));
        }
        let result = checked_text(&m.result, MAX_TEXT)?;
        if matches!(m.status, MeasureStatus::NotDone | MeasureStatus::Dropped) && result.is_empty()
        {
            return Err(StorageError::Refused(Refusal::ReasonNeeded));
        }
        let (kind, agency, staff, name) = match &m.responsible {
            Responsible::Staff(_, s) => {
                // The responsible person's agency as stored, never as the caller says.
                let Some(who) = self.staff_by_id(*s)?.filter(|w| w.active) else {
                    return Err(StorageError::Refused(Refusal::NotAllowed));
                };
                ("staff", Some(who.agency.code()), Some(s.0), String::new())
            }
            Responsible::YoungPerson => ("young_person", None, None, String::new()),
            Responsible::External(n) => ("external", None, None, line(n)),
        };
        if kind == "external" && name.is_empty() {
            return Err(StorageError::Refused(Refusal::NameNeeded));
        }
        if name.chars().count() > MAX_LINE {
            return Err(StorageError::Refused(Refusal::StatementTooLong));
        }
        let target = (object::MEASURE, existing.map(|e| e.0).or(Some(case.0)));
        let find = |tx: &Transaction<'_>| match existing {
            Some((id, _)) => record_case(tx, "measure", id, case),
            None => Ok(Some(case)),
        };
        let category = category.map(MeasureCategory::code);
        self.write_case(actor, WriteNeeds::Worker, target, find, |tx, _, _| {
            let after: Vec<FieldValue> = vec![
                ("text", Some(text.clone())),
                ("responsible_kind", Some(kind.to_string())),
                ("responsible_agency", agency.map(str::to_string)),
                ("responsible_staff", staff.map(|s| s.to_string())),
                ("responsible_name", Some(name.clone())),
                ("due_on", Some(m.due_on.to_string())),
                ("status", Some(m.status.code().to_string())),
                ("result", Some(result.clone())),
                ("category", category.map(str::to_string)),
            ];
            let Some((id, version)) = existing else {
                // The owner (docs/access.md A3): the agency that recorded it.
                tx.execute(
                    "INSERT INTO measure (case_id, text, responsible_kind, responsible_agency, responsible_staff, \
                     responsible_name, due_on, status, result, category, created_at, updated_at, updated_by, owner_stelle) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13)",
                    params![case.0, text, kind, agency, staff, name, m.due_on.to_string(), m.status.code(),
                        result, category, at, actor.id.0, actor.agency.code()],
                )?;
                let id = tx.last_insert_rowid();
                audit::log_create(tx, &at, Some(actor), object::MEASURE, id, vec![
                    "case_id", "text", "responsible_kind", "responsible_agency", "responsible_staff",
                    "responsible_name", "due_on", "status", "result", "category",
                ])?;
                return Ok(id);
            };
            let (owner, before): (String, Vec<FieldValue>) = tx.query_row(
                "SELECT coalesce(m.owner_stelle, c.owner_stelle), m.text, m.responsible_kind, m.responsible_agency, \
                 m.responsible_staff, m.responsible_name, m.due_on, m.status, m.result, m.category \
                 FROM measure m JOIN coop_case c ON c.id = m.case_id WHERE m.id = ?1",
                [id],
                |r| {
                    Ok((r.get(0)?, vec![
                        ("text", Some(r.get::<_, String>(1)?)),
                        ("responsible_kind", Some(r.get::<_, String>(2)?)),
                        ("responsible_agency", r.get::<_, Option<String>>(3)?),
                        ("responsible_staff", r.get::<_, Option<i64>>(4)?.map(|s| s.to_string())),
                        ("responsible_name", Some(r.get::<_, String>(5)?)),
                        ("due_on", Some(r.get::<_, String>(6)?)),
                        ("status", Some(r.get::<_, String>(7)?)),
                        ("result", Some(r.get::<_, String>(8)?)),
                        ("category", r.get::<_, Option<String>>(9)?),
                    ]))
                },
            )?;
            if owner != actor.agency.code() {
                return Err(StorageError::Refused(Refusal::OtherAgency));
            }
            let v = bump(tx, "measure", id, version, actor, &at)?;
            tx.execute(
                "UPDATE measure SET text = ?2, responsible_kind = ?3, responsible_agency = ?4, \
                 responsible_staff = ?5, responsible_name = ?6, due_on = ?7, status = ?8, result = ?9, \
                 category = ?10 WHERE id = ?1",
                params![id, text, kind, agency, staff, name, m.due_on.to_string(), m.status.code(), result, category],
            )?;
            log_change(tx, actor, (object::MEASURE, id, v), &at, &before, &after)?;
            Ok(id)
        })
    }
}

/// The case of stored record `id` of `table`, which must be `expected`: a form saves into
/// the case it was opened on, never into another one by a stale id.
fn record_case(
    tx: &Transaction<'_>,
    table: &'static str,
    id: i64,
    expected: CaseId,
) -> Result<Option<CaseId>, StorageError> {
    // Another case's record counts as not found, and is logged as such by the gate.
    Ok(case_of_record(tx, table, id)?.filter(|c| *c == expected))
}

impl Store {
    /// What `me` has not yet been told of: consents revoked on the cases they work on
    /// (assigned, or the deputy of the assigned person of their agency) that carried
    /// transfers to their agency. Each is returned once; the next call no longer returns
    /// it (docs/casework.md § 3).
    pub fn take_revocation_notices(
        &self,
        me: &Staff,
    ) -> Result<Vec<crate::model::casefile::RevokedReceipt>, StorageError> {
        let now = self.now();
        self.write(|tx| {
            let col = match me.agency {
                Agency::Jobcenter => "jc_staff_id",
                Agency::Jugendamt => "ja_staff_id",
            };
            let unseen: Vec<(i64, i64)> = {
                let sql = format!(
                    "SELECT c.id, k.id FROM coop_case c JOIN consent k ON k.case_id = c.id \
                     WHERE k.status = 'revoked' \
                     AND NOT EXISTS (SELECT 1 FROM revocation_seen s WHERE s.staff_id = ?1 AND s.consent_id = k.id) \
                     AND (c.{col} = ?1 OR c.{col} IN (SELECT id FROM staff WHERE deputy_id = ?1)) \
                     ORDER BY c.id, k.id"
                );
                let mut stmt = tx.prepare(&sql)?;
                stmt.query_map([me.id.0], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<_, _>>()?
            };
            let mut cases: Vec<i64> = unseen.iter().map(|u| u.0).collect();
            cases.dedup();
            let mut out = Vec::new();
            let mut told: Vec<i64> = Vec::new();
            for id in cases {
                let id = CaseId(id);
                // Only who works on the case now: assigned, or the deputy standing in; a
                // restricted case tells nobody (docs/access.md A2, A12).
                let Some(case) = super::cases::load_case_unchecked(tx, id)? else {
                    continue;
                };
                let relation = super::casefile::relation_to(tx, me, &case, now)?;
                if !crate::domain::access::may_write(relation) {
                    continue;
                }
                told.push(id.0);
                let transfers = super::casefile::transfers_of(tx, id)?;
                let consents = super::casefile::consents_of(tx, id)?;
                out.extend(
                    super::casefile::revoked_receipts(id, &transfers, &consents, me.agency)
                        .into_iter()
                        .filter(|r| unseen.contains(&(id.0, r.consent.0))),
                );
            }
            for (_, consent) in unseen.iter().filter(|(case, _)| told.contains(case)) {
                tx.execute(
                    "INSERT OR IGNORE INTO revocation_seen (staff_id, consent_id, seen_at) VALUES (?1, ?2, ?3)",
                    params![me.id.0, consent, ts(now)],
                )?;
            }
            Ok(out)
        })
    }
}
