//! Retention and deletion (docs/retention.md): periods per Stelle and class, the daily
//! review list of what is due, legal holds ("Sperrvermerk"), and the four-eyes deletion run
//! that deletes physically, keeps anonymised counters for the yearly report and writes a
//! certificate without personal data.
//!
//! Built so far: the class `case` (a closed cooperation case and everything hanging off it).
//! The other classes have rules (defaults of schema 13) but no due list and no deletion yet.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use rusqlite::{OptionalExtension, Transaction, params};

use super::audit::{self, AuditAction, AuditEntry};
use super::{StorageError, Store, ts};
use crate::domain::refusal::Refusal;
use crate::domain::{Agency, Role, Staff, StaffId};

/// Object type of deletion runs in the audit log.
pub const OBJECT_RUN: &str = "deletion_run";
/// Object type of legal holds in the audit log.
pub const OBJECT_HOLD: &str = "legal_hold";

/// A retention class (docs/retention.md, table of classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RetentionClass {
    /// "Kooperationsfall": case, people, consents, conferences, minutes, measures, notes.
    Case,
    /// "Einwilligung".
    Consent,
    /// "Kinderschutz JC".
    CpJc,
    /// "Kinderschutz JA".
    CpJa,
    /// "Anonyme Fallberatung".
    Anon,
    /// "Kooperationsstruktur".
    Struct,
    /// "Zugriffsprotokoll".
    AccessLog,
    /// "Übermittlungsprotokoll".
    TransferLog,
}

impl RetentionClass {
    /// Every class, in the order of docs/retention.md.
    pub const ALL: [RetentionClass; 8] = [
        RetentionClass::Case,
        RetentionClass::Consent,
        RetentionClass::CpJc,
        RetentionClass::CpJa,
        RetentionClass::Anon,
        RetentionClass::Struct,
        RetentionClass::AccessLog,
        RetentionClass::TransferLog,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            RetentionClass::Case => "case",
            RetentionClass::Consent => "consent",
            RetentionClass::CpJc => "cp_jc",
            RetentionClass::CpJa => "cp_ja",
            RetentionClass::Anon => "anon",
            RetentionClass::Struct => "struct",
            RetentionClass::AccessLog => "access_log",
            RetentionClass::TransferLog => "transfer_log",
        }
    }

    /// The class of a stored code.
    pub fn from_code(code: &str) -> Option<RetentionClass> {
        RetentionClass::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The German label.
    pub fn label_de(self) -> &'static str {
        match self {
            RetentionClass::Case => "Kooperationsfall",
            RetentionClass::Consent => "Einwilligung",
            RetentionClass::CpJc => "Kinderschutz JC",
            RetentionClass::CpJa => "Kinderschutz JA",
            RetentionClass::Anon => "Anonyme Fallberatung",
            RetentionClass::Struct => "Kooperationsstruktur",
            RetentionClass::AccessLog => "Zugriffsprotokoll",
            RetentionClass::TransferLog => "Übermittlungsprotokoll",
        }
    }
}

/// The period of one class for one Stelle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionRule {
    /// The class.
    pub class: RetentionClass,
    /// Months from the trigger.
    pub months: u32,
    /// `delete` or `anonymise`.
    pub action: String,
}

/// One line of the review list: a class, how many records are due, and their ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueClass {
    /// The class.
    pub class: RetentionClass,
    /// The due records (ids of the class's main table), ascending.
    pub ids: Vec<i64>,
    /// Records that would be due but are under a running legal hold.
    pub held: usize,
}

/// Why a record is held ("Sperrvermerk", § 84 SGB X).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldReason {
    /// "Rechtsstreit".
    Rechtsstreit,
    /// "Auskunftsverfahren".
    Auskunftsverfahren,
    /// "Archivangebot".
    Archivangebot,
}

impl HoldReason {
    /// Every reason.
    pub const ALL: [HoldReason; 3] = [
        HoldReason::Rechtsstreit,
        HoldReason::Auskunftsverfahren,
        HoldReason::Archivangebot,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            HoldReason::Rechtsstreit => "rechtsstreit",
            HoldReason::Auskunftsverfahren => "auskunftsverfahren",
            HoldReason::Archivangebot => "archivangebot",
        }
    }

    /// The reason of a stored code.
    pub fn from_code(code: &str) -> Option<HoldReason> {
        HoldReason::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// A legal hold on one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalHold {
    /// Its id.
    pub id: i64,
    /// The held case.
    pub case_id: i64,
    /// Why.
    pub reason: HoldReason,
    /// Who set it.
    pub by: StaffId,
    /// The last day it holds.
    pub until: NaiveDate,
}

/// A deletion run: planned (preview) or executed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletionRun {
    /// Its id.
    pub id: i64,
    /// The Stelle whose records it deletes.
    pub stelle: Agency,
    /// The day it was planned for (the review list of that day).
    pub planned_for: NaiveDate,
    /// Records per class in the preview.
    pub preview: Vec<(RetentionClass, usize)>,
    /// Who planned it.
    pub requested_by: StaffId,
    /// Who released it (second person), once executed.
    pub approved_by: Option<StaffId>,
    /// When it ran (UTC, stored form).
    pub executed_at: Option<String>,
    /// Records deleted per class, once executed.
    pub deleted: Vec<(RetentionClass, usize)>,
    /// The deletion certificate ("Löschprotokoll"), once executed: no personal data.
    pub certificate: Option<String>,
}

/// Counts of one Stelle's year for the yearly report: base rows plus the anonymised
/// counters that deletion runs kept (docs/retention.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct YearlyCounts {
    /// Cases opened in the year ("Fälle eröffnet").
    pub cases_opened: i64,
    /// Cases closed in the year ("Fälle abgeschlossen").
    pub cases_closed: i64,
    /// Conferences held in the year ("Fallkonferenzen").
    pub conferences_held: i64,
}

/// Counter metrics kept for deleted records.
const M_OPENED: &str = "cases_opened";
const M_CLOSED: &str = "cases_closed";
const M_CONF_HELD: &str = "conferences_held";

/// Conference states that count as held.
const HELD_STATES: &str = "('held', 'minutes_draft', 'minutes_approved')";

/// Who may see the review list, plan runs and set holds: an active lead or DSB
/// (docs/retention.md, "Who").
fn may_review(actor: &Staff) -> bool {
    actor.active && (actor.has_role(Role::Lead) || actor.has_role(Role::Dpo))
}

fn pack(counts: &[(RetentionClass, usize)]) -> String {
    counts
        .iter()
        .map(|(c, n)| format!("{}={n}", c.code()))
        .collect::<Vec<_>>()
        .join(";")
}

fn unpack(text: &str) -> Vec<(RetentionClass, usize)> {
    text.split(';')
        .filter_map(|p| {
            let (c, n) = p.split_once('=')?;
            Some((RetentionClass::from_code(c)?, n.parse().ok()?))
        })
        .collect()
}

fn parse_day(text: &str) -> Result<NaiveDate, StorageError> {
    text.parse()
        .map_err(|_| StorageError::Sqlite(rusqlite::Error::InvalidQuery))
}

/// The effective months of `class` for `stelle`: the configuration's override for this
/// connection, else the stored rule.
fn months(
    conn: &rusqlite::Connection,
    stelle: Agency,
    class: RetentionClass,
) -> Result<u32, StorageError> {
    Ok(conn.query_row(
        "SELECT coalesce(
            (SELECT months FROM temp.retention_override WHERE stelle = ?1 AND class = ?2),
            (SELECT months FROM retention_rule WHERE stelle = ?1 AND class = ?2))",
        params![stelle.code(), class.code()],
        |r| r.get(0),
    )?)
}

/// Ids of the cases of `stelle` due on `today`, and how many due ones are held: by a
/// legal hold, or by an open restriction (Art. 18 DSGVO: stored, not processed — and not
/// deleted while it lasts; docs/access.md A12).
fn due_cases(
    conn: &rusqlite::Connection,
    stelle: Agency,
    today: NaiveDate,
) -> Result<(Vec<i64>, usize), StorageError> {
    let m = months(conn, stelle, RetentionClass::Case)?;
    let mut stmt = conn.prepare(
        "SELECT c.id, EXISTS (SELECT 1 FROM legal_hold h WHERE h.record_type = 'coop_case' \
             AND h.record_id = c.id AND h.until >= ?3) \
             OR EXISTS (SELECT 1 FROM restriction r WHERE r.case_id = c.id AND r.lifted_at IS NULL) \
         FROM coop_case c \
         WHERE c.owner_stelle = ?1 AND c.status IN ('closed', 'declined') \
           AND c.closed_on IS NOT NULL AND date(c.closed_on, ?2) <= ?3 \
         ORDER BY c.id",
    )?;
    let rows = stmt.query_map(
        params![stelle.code(), format!("+{m} months"), today.to_string()],
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?)),
    )?;
    let mut ids = Vec::new();
    let mut held = 0;
    for row in rows {
        let (id, is_held) = row?;
        if is_held {
            held += 1;
        } else {
            ids.push(id);
        }
    }
    Ok((ids, held))
}

fn load_run(conn: &rusqlite::Connection, id: i64) -> Result<Option<DeletionRun>, StorageError> {
    let row = conn
        .query_row(
            "SELECT id, stelle, planned_for, preview, requested_by, approved_by, executed_at, \
             counts, certificate FROM deletion_run WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, Option<i64>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ))
            },
        )
        .optional()?;
    let Some((id, stelle, day, preview, by, second, at, counts, cert)) = row else {
        return Ok(None);
    };
    Ok(Some(DeletionRun {
        id,
        stelle: Agency::from_code(&stelle).unwrap_or(Agency::Jobcenter),
        planned_for: parse_day(&day)?,
        preview: unpack(&preview),
        requested_by: StaffId(by),
        approved_by: second.map(StaffId),
        executed_at: at,
        deleted: counts.as_deref().map(unpack).unwrap_or_default(),
        certificate: cert,
    }))
}

/// Adds `n` to counter `metric` of `year` and `stelle`.
fn count(
    tx: &Transaction<'_>,
    year: i32,
    stelle: &str,
    metric: &str,
    n: i64,
) -> Result<(), StorageError> {
    if n == 0 {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO retention_counter (year, stelle, metric, count) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (year, stelle, metric) DO UPDATE SET count = count + excluded.count",
        params![year, stelle, metric, n],
    )?;
    Ok(())
}

fn year_of(day: &str) -> Option<i32> {
    day.get(..10)?.parse::<NaiveDate>().ok().map(|d| d.year())
}

fn ids(tx: &Transaction<'_>, sql: &str, id: i64) -> Result<Vec<i64>, StorageError> {
    let mut stmt = tx.prepare(sql)?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Deletes case `case_id` and everything hanging off it inside the run's transaction,
/// after adding it to the anonymised counters. Returns whether the young person went too.
fn delete_case(tx: &Transaction<'_>, run: i64, case_id: i64) -> Result<bool, StorageError> {
    let (stelle, person, opened, closed): (String, i64, String, Option<String>) = tx.query_row(
        "SELECT owner_stelle, young_person_id, opened_on, closed_on FROM coop_case WHERE id = ?1",
        [case_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    // Anonymised counters first, so that the yearly figures stay as they were.
    if let Some(y) = year_of(&opened) {
        count(tx, y, &stelle, M_OPENED, 1)?;
    }
    if let Some(y) = closed.as_deref().and_then(year_of) {
        count(tx, y, &stelle, M_CLOSED, 1)?;
    }
    {
        let mut stmt = tx.prepare(&format!(
            "SELECT starts_at FROM conference WHERE case_id = ?1 AND starts_at IS NOT NULL \
             AND status IN {HELD_STATES}"
        ))?;
        let starts: Vec<String> = stmt
            .query_map([case_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for s in starts {
            if let Some(y) = year_of(&s) {
                count(tx, y, &stelle, M_CONF_HELD, 1)?;
            }
        }
    }
    let person_goes: bool = tx.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM coop_case WHERE young_person_id = ?1 AND id != ?2)",
        params![person, case_id],
        |r| r.get(0),
    )?;
    // The records whose previous values the history may hold.
    let mut records: Vec<(&str, Vec<i64>)> = vec![
        ("coop_case", vec![case_id]),
        (
            "consent",
            ids(tx, "SELECT id FROM consent WHERE case_id = ?1", case_id)?,
        ),
        (
            "guardian",
            ids(tx, "SELECT id FROM guardian WHERE case_id = ?1", case_id)?,
        ),
        (
            "child",
            ids(tx, "SELECT id FROM child WHERE case_id = ?1", case_id)?,
        ),
        (
            "measure",
            ids(tx, "SELECT id FROM measure WHERE case_id = ?1", case_id)?,
        ),
        (
            "note",
            ids(tx, "SELECT id FROM note WHERE case_id = ?1", case_id)?,
        ),
        (
            "conference",
            ids(tx, "SELECT id FROM conference WHERE case_id = ?1", case_id)?,
        ),
    ];
    if person_goes {
        records.push(("young_person", vec![person]));
    }
    let mut history = Vec::new();
    for (table, list) in &records {
        for id in list {
            history.extend(
                tx.prepare_cached(
                    "SELECT id FROM change_history WHERE table_name = ?1 AND record_id = ?2",
                )?
                .query_map(params![table, id], |r| r.get::<_, i64>(0))?
                .collect::<Result<Vec<_>, _>>()?,
            );
        }
    }
    history.sort_unstable();
    for id in history {
        audit::erase_evidence(tx, &audit::CHANGE_HISTORY, id, run)?;
    }
    for id in ids(
        tx,
        "SELECT id FROM transfer_log WHERE case_id = ?1 ORDER BY id",
        case_id,
    )? {
        audit::erase_evidence(tx, &audit::TRANSFER_LOG, id, run)?;
    }
    for id in ids(
        tx,
        "SELECT id FROM access_grant WHERE case_id = ?1 ORDER BY id",
        case_id,
    )? {
        audit::erase_evidence(tx, &audit::ACCESS_GRANT, id, run)?;
    }
    // Drafts typed for the case or its conferences (form codes of src/model/draft.rs and
    // the conference dialogs).
    tx.execute(
        "DELETE FROM draft WHERE form IN ('case', 'conference') AND record_id = ?1",
        [case_id],
    )?;
    for conf in records
        .iter()
        .find(|(t, _)| *t == "conference")
        .map(|(_, l)| l.clone())
        .unwrap_or_default()
    {
        tx.execute(
            "DELETE FROM draft WHERE form IN ('conference', 'minutes', 'conf-postpone', \
             'conf-cancel') AND record_id = ?1",
            [conf],
        )?;
    }
    // Everything else hangs off the case with ON DELETE CASCADE (consents, guardians,
    // children, measures, notes, conferences and participants, list and search rows).
    tx.execute("DELETE FROM coop_case WHERE id = ?1", [case_id])?;
    if person_goes {
        tx.execute("DELETE FROM young_person WHERE id = ?1", [person])?;
    }
    Ok(person_goes)
}

/// The certificate of an executed run: ids, dates and counts only.
fn certificate(run: &DeletionRun, approved_by: StaffId, at: &str) -> String {
    let mut text = format!(
        "Löschprotokoll / Deletion certificate\n\
         Löschlauf / Run: {}\n\
         Stelle: {}\n\
         Geplant für / Planned for: {}\n\
         Beantragt von / Requested by: Mitarbeiter-ID {}\n\
         Freigegeben von / Released by: Mitarbeiter-ID {}\n\
         Ausgeführt am / Executed at: {at}\n",
        run.id,
        run.stelle.code(),
        run.planned_for,
        run.requested_by.0,
        approved_by.0,
    );
    for (class, n) in &run.deleted {
        let _ = writeln!(
            text,
            "{} ({}): {n} gelöscht / deleted",
            class.label_de(),
            class.code()
        );
    }
    text.push_str(
        "Physisch gelöscht (secure_delete, WAL-Checkpoint, VACUUM) / physically deleted.\n",
    );
    text
}

impl Store {
    /// Sets the periods the configuration gives for this connection (docs/retention.md):
    /// `(stelle, class, months)`; the stored rules apply where none is given.
    pub fn set_retention_overrides(
        &self,
        overrides: &[(Agency, RetentionClass, u32)],
    ) -> Result<(), StorageError> {
        self.conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS retention_override \
             (stelle TEXT NOT NULL, class TEXT NOT NULL, months INTEGER NOT NULL, \
              PRIMARY KEY (stelle, class)); DELETE FROM temp.retention_override;",
        )?;
        for (stelle, class, m) in overrides {
            self.conn.execute(
                "INSERT OR REPLACE INTO temp.retention_override VALUES (?1, ?2, ?3)",
                params![stelle.code(), class.code(), m],
            )?;
        }
        Ok(())
    }

    fn ensure_overrides(&self) -> Result<(), StorageError> {
        self.conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS retention_override \
             (stelle TEXT NOT NULL, class TEXT NOT NULL, months INTEGER NOT NULL, \
              PRIMARY KEY (stelle, class))",
        )?;
        Ok(())
    }

    /// The effective rules of `stelle`, in class order.
    pub fn retention_rules(&self, stelle: Agency) -> Result<Vec<RetentionRule>, StorageError> {
        self.ensure_overrides()?;
        let mut out = Vec::new();
        for class in RetentionClass::ALL {
            let action: String = self.conn.query_row(
                "SELECT action FROM retention_rule WHERE stelle = ?1 AND class = ?2",
                params![stelle.code(), class.code()],
                |r| r.get(0),
            )?;
            out.push(RetentionRule {
                class,
                months: months(&self.conn, stelle, class)?,
                action,
            });
        }
        Ok(out)
    }

    /// Logs a refusal of a retention step (one audit row) and returns it as the error.
    fn retention_refused(
        &self,
        actor: &Staff,
        object_type: &'static str,
        object: Option<i64>,
        r: Refusal,
    ) -> StorageError {
        let now = ts(self.now());
        let logged = self.write(|tx| {
            let mut entry = AuditEntry::new(AuditAction::Refused, object_type)
                .by(actor)
                .detail(r.code());
            if let Some(id) = object {
                entry = entry.object(id);
            }
            audit::append_at(tx, &entry, &now)
        });
        match logged {
            Ok(_) => StorageError::Refused(r),
            Err(e) => e,
        }
    }

    /// The review list of the actor's Stelle on `today`: per class the due record ids
    /// (only the class `case` so far). Leads and DSBs only.
    pub fn retention_due(
        &self,
        actor: &Staff,
        today: NaiveDate,
    ) -> Result<Vec<DueClass>, StorageError> {
        if !may_review(actor) {
            return Err(self.retention_refused(actor, OBJECT_RUN, None, Refusal::NotAllowed));
        }
        self.ensure_overrides()?;
        let (ids, held) = due_cases(&self.conn, actor.agency, today)?;
        Ok(vec![DueClass {
            class: RetentionClass::Case,
            ids,
            held,
        }])
    }

    /// Sets a legal hold on a case of the actor's Stelle until `until` (inclusive).
    pub fn add_legal_hold(
        &self,
        actor: &Staff,
        case_id: i64,
        reason: HoldReason,
        until: NaiveDate,
    ) -> Result<i64, StorageError> {
        if !may_review(actor) {
            return Err(self.retention_refused(actor, OBJECT_HOLD, None, Refusal::NotAllowed));
        }
        let owner: Option<String> = self
            .conn
            .query_row(
                "SELECT owner_stelle FROM coop_case WHERE id = ?1",
                [case_id],
                |r| r.get(0),
            )
            .optional()?;
        if owner.as_deref() != Some(actor.agency.code()) {
            return Err(self.retention_refused(actor, OBJECT_HOLD, None, Refusal::NoCase));
        }
        if until < self.today() {
            return Err(self.retention_refused(actor, OBJECT_HOLD, None, Refusal::DateOutOfRange));
        }
        let now = ts(self.now());
        self.write(|tx| {
            tx.execute(
                "INSERT INTO legal_hold (record_type, record_id, reason, by_staff, created_at, until) \
                 VALUES ('coop_case', ?1, ?2, ?3, ?4, ?5)",
                params![case_id, reason.code(), actor.id.0, now, until.to_string()],
            )?;
            let id = tx.last_insert_rowid();
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Create, OBJECT_HOLD)
                    .by(actor)
                    .object(id)
                    .detail(reason.code()),
                &now,
            )?;
            Ok(id)
        })
    }

    /// The legal holds on cases of the actor's Stelle that still run on `today`.
    pub fn legal_holds(
        &self,
        actor: &Staff,
        today: NaiveDate,
    ) -> Result<Vec<LegalHold>, StorageError> {
        if !may_review(actor) {
            return Err(self.retention_refused(actor, OBJECT_HOLD, None, Refusal::NotAllowed));
        }
        let mut stmt = self.conn.prepare(
            "SELECT h.id, h.record_id, h.reason, h.by_staff, h.until FROM legal_hold h \
             JOIN coop_case c ON c.id = h.record_id AND h.record_type = 'coop_case' \
             WHERE c.owner_stelle = ?1 AND h.until >= ?2 ORDER BY h.until, h.id",
        )?;
        let rows = stmt.query_map(params![actor.agency.code(), today.to_string()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, case_id, reason, by, until) = row?;
            out.push(LegalHold {
                id,
                case_id,
                reason: HoldReason::from_code(&reason).unwrap_or(HoldReason::Rechtsstreit),
                by: StaffId(by),
                until: parse_day(&until)?,
            });
        }
        Ok(out)
    }

    /// Plans a deletion run of the actor's Stelle from the review list of `today`: the
    /// preview (counts per class) and the record ids it covers. Nothing is deleted until a
    /// second person releases it ([`Store::approve_deletion_run`]).
    pub fn plan_deletion_run(
        &self,
        actor: &Staff,
        today: NaiveDate,
    ) -> Result<DeletionRun, StorageError> {
        let due = self.retention_due(actor, today)?;
        let preview: Vec<(RetentionClass, usize)> =
            due.iter().map(|d| (d.class, d.ids.len())).collect();
        let now = ts(self.now());
        let id = self.write(|tx| {
            tx.execute(
                "INSERT INTO deletion_run (stelle, planned_at, planned_for, preview, requested_by) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    actor.agency.code(),
                    now,
                    today.to_string(),
                    pack(&preview),
                    actor.id.0
                ],
            )?;
            let run = tx.last_insert_rowid();
            for d in &due {
                for id in &d.ids {
                    tx.execute(
                        "INSERT INTO deletion_run_item (run_id, class, record_id) VALUES (?1, ?2, ?3)",
                        params![run, d.class.code(), id],
                    )?;
                }
            }
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Create, OBJECT_RUN)
                    .by(actor)
                    .object(run),
                &now,
            )?;
            Ok(run)
        })?;
        load_run(&self.conn, id)?.ok_or(StorageError::NotFound)
    }

    /// One deletion run of the actor's Stelle.
    pub fn deletion_run(&self, actor: &Staff, id: i64) -> Result<DeletionRun, StorageError> {
        if !may_review(actor) {
            return Err(self.retention_refused(actor, OBJECT_RUN, Some(id), Refusal::NotAllowed));
        }
        match load_run(&self.conn, id)? {
            Some(run) if run.stelle == actor.agency => Ok(run),
            _ => Err(StorageError::NotFound),
        }
    }

    /// Releases planned run `id` as the second person and executes it: an active DSB of
    /// the run's Stelle who did not plan it (docs/retention.md, "Four eyes"). In one
    /// transaction the covered records still due and not held are counted into the
    /// anonymised yearly counters and deleted with everything hanging off them (erased
    /// evidence rows recorded for verification); one audit row records the run, the
    /// certificate is stored. Then the pages are wiped from the files: WAL checkpoint with
    /// truncate, `VACUUM`, checkpoint again. Refused (one audit row) for the planner, for
    /// anyone but a DSB of the Stelle, and for a run already executed.
    pub fn approve_deletion_run(
        &self,
        actor: &Staff,
        id: i64,
    ) -> Result<DeletionRun, StorageError> {
        let Some(run) = load_run(&self.conn, id)? else {
            return Err(self.retention_refused(actor, OBJECT_RUN, Some(id), Refusal::NoPending));
        };
        if run.requested_by == actor.id {
            return Err(self.retention_refused(actor, OBJECT_RUN, Some(id), Refusal::SamePerson));
        }
        if !actor.active || !actor.has_role(Role::Dpo) || actor.agency != run.stelle {
            return Err(self.retention_refused(actor, OBJECT_RUN, Some(id), Refusal::NotAllowed));
        }
        if run.executed_at.is_some() {
            return Err(self.retention_refused(actor, OBJECT_RUN, Some(id), Refusal::NoPending));
        }
        self.ensure_overrides()?;
        let today = self.today();
        let now = ts(self.now());
        self.write(|tx| {
            // Still due today and not held (a hold set after planning wins).
            let (still_due, _) = due_cases(tx, run.stelle, today)?;
            let planned = {
                let mut stmt = tx.prepare(
                    "SELECT record_id FROM deletion_run_item WHERE run_id = ?1 AND class = 'case' \
                     ORDER BY record_id",
                )?;
                stmt.query_map([id], |r| r.get::<_, i64>(0))?
                    .collect::<Result<Vec<_>, _>>()?
            };
            let mut deleted = 0;
            for case_id in planned.into_iter().filter(|c| still_due.contains(c)) {
                delete_case(tx, id, case_id)?;
                deleted += 1;
            }
            let counts = vec![(RetentionClass::Case, deleted)];
            // The run's one audit row: it records the heads of the erasure chain.
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Delete, OBJECT_RUN)
                    .by(actor)
                    .object(id),
                &now,
            )?;
            let mut done = run.clone();
            done.deleted.clone_from(&counts);
            let cert = certificate(&done, actor.id, &now);
            tx.execute(
                "UPDATE deletion_run SET approved_by = ?2, executed_at = ?3, counts = ?4, \
                 certificate = ?5 WHERE id = ?1",
                params![id, actor.id.0, now, pack(&counts), cert],
            )?;
            Ok(())
        })?;
        self.wipe_free_pages()?;
        load_run(&self.conn, id)?.ok_or(StorageError::NotFound)
    }

    /// Removes deleted content from the files: the WAL is checkpointed and truncated,
    /// the database rebuilt (`VACUUM`), and the WAL truncated again. A reader elsewhere
    /// that holds an old snapshot makes the checkpoint incomplete: then an error says so
    /// and the run (already committed) must be followed by another checkpoint.
    pub fn wipe_free_pages(&self) -> Result<(), StorageError> {
        let checkpoint = |conn: &rusqlite::Connection| -> Result<(), StorageError> {
            let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
            if busy != 0 {
                return Err(StorageError::Sqlite(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                    Some("WAL-Checkpoint unvollständig / WAL checkpoint incomplete".into()),
                )));
            }
            Ok(())
        };
        checkpoint(&self.conn)?;
        self.conn.execute_batch("VACUUM")?;
        checkpoint(&self.conn)
    }

    /// The yearly counts of `stelle` for `year`: base rows plus the anonymised counters
    /// of deleted records (docs/retention.md, "Yearly report").
    pub fn yearly_counts(&self, stelle: Agency, year: i32) -> Result<YearlyCounts, StorageError> {
        let y = year.to_string();
        let counter = |metric: &str| -> Result<i64, StorageError> {
            Ok(self.conn.query_row(
                "SELECT coalesce(sum(count), 0) FROM retention_counter \
                 WHERE year = ?1 AND stelle = ?2 AND metric = ?3",
                params![year, stelle.code(), metric],
                |r| r.get(0),
            )?)
        };
        let base = |sql: &str| -> Result<i64, StorageError> {
            Ok(self
                .conn
                .query_row(sql, params![stelle.code(), y], |r| r.get(0))?)
        };
        Ok(YearlyCounts {
            cases_opened: base(
                "SELECT count(*) FROM coop_case WHERE owner_stelle = ?1 \
                 AND substr(opened_on, 1, 4) = ?2",
            )? + counter(M_OPENED)?,
            cases_closed: base(
                "SELECT count(*) FROM coop_case WHERE owner_stelle = ?1 \
                 AND closed_on IS NOT NULL AND substr(closed_on, 1, 4) = ?2",
            )? + counter(M_CLOSED)?,
            conferences_held: base(&format!(
                "SELECT count(*) FROM conference f JOIN coop_case c ON c.id = f.case_id \
                 WHERE c.owner_stelle = ?1 AND f.starts_at IS NOT NULL \
                 AND substr(f.starts_at, 1, 4) = ?2 AND f.status IN {HELD_STATES}"
            ))? + counter(M_CONF_HELD)?,
        })
    }
}
