//! Retention and deletion (docs/retention.md): periods per Stelle and class, the daily
//! review list of what is due, legal holds ("Sperrvermerk"), and the four-eyes deletion run
//! that deletes physically, keeps anonymised counters for the yearly report and writes a
//! certificate without personal data.
//!
//! Built: the classes `case` (a closed cooperation case and everything hanging off it),
//! `consent`, `cp_jc`/`cp_ja` (a closed child-protection referral), `anon` (an anonymous
//! consultation) and `access_log` (old audit rows and login origins). `struct` (nothing of
//! it exists yet) and `transfer_log` (its rows go with their case) have rules but no due
//! list of their own (docs/retention.md).

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
/// `legal_hold.record_type` of a held case.
const HOLD_CASE: &str = "coop_case";
/// `legal_hold.record_type` of a held referral (schema 15).
const HOLD_REFERRAL: &str = "cp_referral";

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
    /// The due records (ids of the class's main table), ascending. For `access_log`,
    /// whose due rows may be millions, only the highest due sequence number: the run
    /// deletes the due rows up to it.
    pub ids: Vec<i64>,
    /// How many records are due (for `access_log` the number of audit rows).
    pub count: usize,
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
    /// The held case's id, or the held referral's when `referral` is set.
    pub record_id: i64,
    /// Whether the hold is on a child-protection referral (schema 15) rather than a case.
    pub referral: bool,
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
    /// Child-protection referrals sent in the year, counted for the sending Stelle
    /// ("Kinderschutz-Mitteilungen").
    pub referrals_sent: i64,
    /// Anonymous consultations requested in the year, for the requesting Stelle
    /// ("Anonyme Fallberatungen").
    pub consultations: i64,
    /// Consents signed in the year, for the recording Stelle ("Einwilligungen").
    pub consents_signed: i64,
}

/// Counter metrics kept for deleted records.
const M_OPENED: &str = "cases_opened";
const M_CLOSED: &str = "cases_closed";
const M_CONF_HELD: &str = "conferences_held";
const M_REFERRALS: &str = "referrals_sent";
const M_CONSULTS: &str = "consultations";
const M_CONSENTS: &str = "consents_signed";

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

/// Runs a review query whose rows are `(id, held)` and splits them into the due ids and
/// the number of held ones.
fn split_held(
    conn: &rusqlite::Connection,
    sql: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<(Vec<i64>, usize), StorageError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?)))?;
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

fn plus_months(m: u32) -> String {
    format!("+{m} months")
}

/// Ids of the records of `class` that `stelle` must delete on `today`, and how many of
/// them are held (docs/retention.md, "Classes and periods").
fn due_of(
    conn: &rusqlite::Connection,
    stelle: Agency,
    class: RetentionClass,
    today: NaiveDate,
) -> Result<(Vec<i64>, usize), StorageError> {
    let day = today.to_string();
    let code = stelle.code();
    match class {
        // A case is held by a legal hold, or by an open restriction (Art. 18 DSGVO: stored,
        // not processed — and not deleted while it lasts; docs/access.md A12).
        RetentionClass::Case => {
            let m = plus_months(months(conn, stelle, class)?);
            split_held(
                conn,
                "SELECT c.id, EXISTS (SELECT 1 FROM legal_hold h WHERE h.record_type = 'coop_case' \
                     AND h.record_id = c.id AND h.until >= ?3) \
                     OR EXISTS (SELECT 1 FROM restriction r WHERE r.case_id = c.id AND r.lifted_at IS NULL) \
                 FROM coop_case c \
                 WHERE c.owner_stelle = ?1 AND c.status IN ('closed', 'declined') \
                   AND c.closed_on IS NOT NULL AND date(c.closed_on, ?2) <= ?3 \
                 ORDER BY c.id",
                &[&code, &m, &day],
            )
        }
        // A consent goes when its period has run from its end: revocation, or expiry (a
        // refused one: from the day it was refused). The Stelle that recorded it owns it.
        // One that is the basis of a logged transfer stays with the transfer log until
        // the case goes (counted as held), as does one of a held case.
        RetentionClass::Consent => {
            let m = plus_months(months(conn, stelle, class)?);
            split_held(
                conn,
                "SELECT k.id, \
                     EXISTS (SELECT 1 FROM legal_hold h WHERE h.record_type = 'coop_case' \
                         AND h.record_id = k.case_id AND h.until >= ?3) \
                     OR EXISTS (SELECT 1 FROM restriction r WHERE r.case_id = k.case_id AND r.lifted_at IS NULL) \
                     OR EXISTS (SELECT 1 FROM transfer_log t WHERE t.consent_id = k.id) \
                 FROM consent k \
                 WHERE k.recorded_by = ?1 AND k.status IN ('granted', 'refused', 'revoked') \
                   AND date(CASE k.status WHEN 'revoked' THEN coalesce(k.revoked_on, k.valid_until) \
                            WHEN 'refused' THEN k.signed_on ELSE k.valid_until END, ?2) <= ?3 \
                 ORDER BY k.id",
                &[&code, &m, &day],
            )
        }
        // One referral row holds both Stellen's parts (the Jobcenter's referral as sent,
        // the Jugendamt's intake, triage and outcome): it goes once both periods have run
        // from its closing, by the run of whichever Stelle comes first after that. The
        // Jugendamt sees it only once it was received.
        RetentionClass::CpJc | RetentionClass::CpJa => {
            if (class == RetentionClass::CpJc) != (stelle == Agency::Jobcenter) {
                return Ok((Vec::new(), 0));
            }
            let jc = plus_months(months(conn, Agency::Jobcenter, RetentionClass::CpJc)?);
            let ja = plus_months(months(conn, Agency::Jugendamt, RetentionClass::CpJa)?);
            split_held(
                conn,
                "SELECT r.id, EXISTS (SELECT 1 FROM legal_hold h WHERE h.until >= ?2 AND \
                     ((h.record_type = 'cp_referral' AND h.record_id = r.id) \
                      OR (h.record_type = 'coop_case' AND h.record_id = r.case_id))) \
                 FROM cp_referral r \
                 WHERE r.status = 'closed' AND r.closed_at IS NOT NULL \
                   AND date(r.closed_at, ?3) <= ?2 AND date(r.closed_at, ?4) <= ?2 \
                   AND (r.owner_stelle = ?1 OR (?1 = 'ja' AND r.received_at IS NOT NULL)) \
                 ORDER BY r.id",
                &[&code, &day, &jc, &ja],
            )
        }
        // An anonymous consultation belongs to the Stelle that asked; it is closed once
        // the specialist advised.
        RetentionClass::Anon => {
            let m = plus_months(months(conn, stelle, class)?);
            split_held(
                conn,
                "SELECT a.id, 0 FROM anon_consult a JOIN staff s ON s.id = a.requested_by \
                 WHERE s.stelle = ?1 AND a.status IN ('advised', 'closed') \
                   AND date(coalesce(a.advised_at, a.updated_at), ?2) <= ?3 \
                 ORDER BY a.id",
                &[&code, &m, &day],
            )
        }
        // Listed by `retention_due` and erased by the run on their own (one review query).
        RetentionClass::AccessLog | RetentionClass::Struct | RetentionClass::TransferLog => {
            Ok((Vec::new(), 0))
        }
    }
}

/// The audit rows due for deletion on `today` (class `access_log`), ascending, up to
/// `upto` if given, and the login origins due with them. The log is one chain for both
/// Stellen, so a row is due once both Stellen's periods ran; a row that a kept
/// change-history row names stays (it explains a record that still exists), and the
/// newest row always stays (the chain's head).
fn due_audit_rows(
    conn: &rusqlite::Connection,
    today: NaiveDate,
    upto: Option<i64>,
) -> Result<(Vec<i64>, Vec<i64>), StorageError> {
    let m = months(conn, Agency::Jobcenter, RetentionClass::AccessLog)?.max(months(
        conn,
        Agency::Jugendamt,
        RetentionClass::AccessLog,
    )?);
    let before = format!("-{m} months");
    let day = today.to_string();
    let mut stmt = conn.prepare_cached(
        "SELECT a.seq FROM audit_log a \
         WHERE date(a.at) < date(?1, ?2) AND a.seq <= ?3 \
           AND a.seq < (SELECT max(seq) FROM audit_log) \
           AND NOT EXISTS (SELECT 1 FROM change_history h WHERE h.audit_seq = a.seq) \
         ORDER BY a.seq",
    )?;
    let rows = stmt
        .query_map(params![day, before, upto.unwrap_or(i64::MAX)], |r| r.get(0))?
        .collect::<Result<Vec<i64>, _>>()?;
    let mut stmt = conn
        .prepare_cached("SELECT id FROM login_origin WHERE date(at) < date(?1, ?2) ORDER BY id")?;
    let origins = stmt
        .query_map(params![day, before], |r| r.get(0))?
        .collect::<Result<Vec<i64>, _>>()?;
    Ok((rows, origins))
}

/// The classes with a due list, in the order of docs/retention.md.
const LISTED: [RetentionClass; 6] = [
    RetentionClass::Case,
    RetentionClass::Consent,
    RetentionClass::CpJc,
    RetentionClass::CpJa,
    RetentionClass::Anon,
    RetentionClass::AccessLog,
];

/// The classes a Stelle reviews: the Jobcenter has no `cp_ja`, the Jugendamt no `cp_jc`.
fn listed_for(stelle: Agency) -> impl Iterator<Item = RetentionClass> {
    LISTED.into_iter().filter(move |c| match c {
        RetentionClass::CpJc => stelle == Agency::Jobcenter,
        RetentionClass::CpJa => stelle == Agency::Jugendamt,
        _ => true,
    })
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
    // Its consents go with it (ON DELETE CASCADE): counted as a consent run would.
    {
        let mut stmt = tx.prepare_cached(
            "SELECT recorded_by, signed_on FROM consent WHERE case_id = ?1 \
             AND status IN ('granted', 'refused', 'revoked')",
        )?;
        let signed: Vec<(String, String)> = stmt
            .query_map([case_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (by, on) in signed {
            if let Some(y) = year_of(&on) {
                count(tx, y, &by, M_CONSENTS, 1)?;
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
    erase_history(tx, run, &records)?;
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
        "DELETE FROM draft WHERE form IN ('case', 'conference', 'note', 'consent') \
         AND record_id = ?1",
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

/// Erases the change-history rows of `records` (table, ids) in id order, each recorded in
/// `evidence_erasure` first (docs/retention.md, "Audit chain after a run").
fn erase_history(
    tx: &Transaction<'_>,
    run: i64,
    records: &[(&str, Vec<i64>)],
) -> Result<(), StorageError> {
    let mut history = Vec::new();
    for (table, list) in records {
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
    Ok(())
}

/// Deletes consent `id` (class `consent`) after counting it for the year it was signed.
/// Returns false when it is gone already (its case went first).
fn delete_consent(tx: &Transaction<'_>, run: i64, id: i64) -> Result<bool, StorageError> {
    let row: Option<(String, String, i64)> = tx
        .query_row(
            "SELECT recorded_by, signed_on, case_id FROM consent WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((stelle, signed, case_id)) = row else {
        return Ok(false);
    };
    if let Some(y) = year_of(&signed) {
        count(tx, y, &stelle, M_CONSENTS, 1)?;
    }
    erase_history(tx, run, &[("consent", vec![id])])?;
    tx.execute(
        "DELETE FROM draft WHERE form = 'consent' AND record_id = ?1",
        [case_id],
    )?;
    tx.execute("DELETE FROM consent WHERE id = ?1", [id])?;
    Ok(true)
}

/// Deletes referral `id` (classes `cp_jc`/`cp_ja`) with its children, indicators, prior
/// steps and timeline (each timeline row's erasure recorded first), after counting it for
/// the year it was sent. Returns false when it is gone already.
fn delete_referral(tx: &Transaction<'_>, run: i64, id: i64) -> Result<bool, StorageError> {
    let row: Option<(String, String)> = tx
        .query_row(
            "SELECT owner_stelle, sent_at FROM cp_referral WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((stelle, sent)) = row else {
        return Ok(false);
    };
    if let Some(y) = year_of(&sent) {
        count(tx, y, &stelle, M_REFERRALS, 1)?;
    }
    erase_history(tx, run, &[("cp_referral", vec![id])])?;
    for event in ids(
        tx,
        "SELECT id FROM cp_event WHERE referral_id = ?1 ORDER BY id",
        id,
    )? {
        audit::erase_evidence(tx, &audit::CP_EVENT, event, run)?;
    }
    // Drafts of its steps and additions (form codes of the step dialogs).
    tx.execute(
        "DELETE FROM draft WHERE form IN ('step', 'addendum') AND record_id = ?1",
        [id],
    )?;
    // Children, indicators and prior steps go with it (ON DELETE CASCADE).
    tx.execute("DELETE FROM cp_referral WHERE id = ?1", [id])?;
    Ok(true)
}

/// Deletes anonymous consultation `id` (class `anon`) after counting it for the year it
/// was requested. Returns false when it is gone already.
fn delete_consult(tx: &Transaction<'_>, run: i64, id: i64) -> Result<bool, StorageError> {
    let row: Option<(String, String)> = tx
        .query_row(
            "SELECT s.stelle, a.requested_at FROM anon_consult a \
             JOIN staff s ON s.id = a.requested_by WHERE a.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((stelle, requested)) = row else {
        return Ok(false);
    };
    if let Some(y) = year_of(&requested) {
        count(tx, y, &stelle, M_CONSULTS, 1)?;
    }
    erase_history(tx, run, &[("anon_consult", vec![id])])?;
    tx.execute(
        "DELETE FROM draft WHERE form = 'advice' AND record_id = ?1",
        [id],
    )?;
    tx.execute("DELETE FROM anon_consult WHERE id = ?1", [id])?;
    Ok(true)
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

    /// The review list of the actor's Stelle on `today`: per class with a due list
    /// (`case`, `consent`, the Stelle's child-protection class, `anon`) the due record ids
    /// and how many are held. Leads and DSBs only.
    pub fn retention_due(
        &self,
        actor: &Staff,
        today: NaiveDate,
    ) -> Result<Vec<DueClass>, StorageError> {
        if !may_review(actor) {
            return Err(self.refused_logged(actor, OBJECT_RUN, None, Refusal::NotAllowed));
        }
        self.ensure_overrides()?;
        listed_for(actor.agency)
            .map(|class| {
                let (ids, count, held) = if class == RetentionClass::AccessLog {
                    // Only the highest due sequence number: the run erases up to it.
                    let (rows, _) = due_audit_rows(&self.conn, today, None)?;
                    (rows.last().copied().into_iter().collect(), rows.len(), 0)
                } else {
                    let (ids, held) = due_of(&self.conn, actor.agency, class, today)?;
                    let n = ids.len();
                    (ids, n, held)
                };
                Ok(DueClass {
                    class,
                    ids,
                    count,
                    held,
                })
            })
            .collect()
    }

    /// Sets a legal hold on a case of the actor's Stelle until `until` (inclusive).
    pub fn add_legal_hold(
        &self,
        actor: &Staff,
        case_id: i64,
        reason: HoldReason,
        until: NaiveDate,
    ) -> Result<i64, StorageError> {
        self.hold(actor, HOLD_CASE, case_id, reason, until)
    }

    /// Sets a legal hold on a child-protection referral until `until` (inclusive): one the
    /// actor's Stelle sent, or (the Jugendamt) received.
    pub fn add_referral_hold(
        &self,
        actor: &Staff,
        referral_id: i64,
        reason: HoldReason,
        until: NaiveDate,
    ) -> Result<i64, StorageError> {
        self.hold(actor, HOLD_REFERRAL, referral_id, reason, until)
    }

    fn hold(
        &self,
        actor: &Staff,
        record_type: &'static str,
        record_id: i64,
        reason: HoldReason,
        until: NaiveDate,
    ) -> Result<i64, StorageError> {
        if !may_review(actor) {
            return Err(self.refused_logged(actor, OBJECT_HOLD, None, Refusal::NotAllowed));
        }
        let sql = if record_type == HOLD_CASE {
            "SELECT count(*) FROM coop_case WHERE id = ?1 AND owner_stelle = ?2"
        } else {
            "SELECT count(*) FROM cp_referral WHERE id = ?1 \
             AND (owner_stelle = ?2 OR (?2 = 'ja' AND received_at IS NOT NULL))"
        };
        let own: i64 = self
            .conn
            .query_row(sql, params![record_id, actor.agency.code()], |r| r.get(0))?;
        if own == 0 {
            return Err(self.refused_logged(actor, OBJECT_HOLD, None, Refusal::NoCase));
        }
        if until < self.today() {
            return Err(self.refused_logged(actor, OBJECT_HOLD, None, Refusal::DateOutOfRange));
        }
        let now = ts(self.now());
        self.write(|tx| {
            tx.execute(
                "INSERT INTO legal_hold (record_type, record_id, reason, by_staff, created_at, until) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    record_type,
                    record_id,
                    reason.code(),
                    actor.id.0,
                    now,
                    until.to_string()
                ],
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

    /// The legal holds on cases and referrals of the actor's Stelle that still run on
    /// `today`.
    pub fn legal_holds(
        &self,
        actor: &Staff,
        today: NaiveDate,
    ) -> Result<Vec<LegalHold>, StorageError> {
        if !may_review(actor) {
            return Err(self.refused_logged(actor, OBJECT_HOLD, None, Refusal::NotAllowed));
        }
        let mut stmt = self.conn.prepare(
            "SELECT h.id, h.record_id, h.reason, h.by_staff, h.until, \
                 h.record_type = 'cp_referral' FROM legal_hold h \
             WHERE h.until >= ?2 AND ( \
                 (h.record_type = 'coop_case' AND EXISTS (SELECT 1 FROM coop_case c \
                     WHERE c.id = h.record_id AND c.owner_stelle = ?1)) \
              OR (h.record_type = 'cp_referral' AND EXISTS (SELECT 1 FROM cp_referral r \
                     WHERE r.id = h.record_id \
                     AND (r.owner_stelle = ?1 OR (?1 = 'ja' AND r.received_at IS NOT NULL))))) \
             ORDER BY h.until, h.id",
        )?;
        let rows = stmt.query_map(params![actor.agency.code(), today.to_string()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, record_id, reason, by, until, referral) = row?;
            out.push(LegalHold {
                id,
                record_id,
                referral,
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
            due.iter().map(|d| (d.class, d.count)).collect();
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
            return Err(self.refused_logged(actor, OBJECT_RUN, Some(id), Refusal::NotAllowed));
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
            return Err(self.refused_logged(actor, OBJECT_RUN, Some(id), Refusal::NoPending));
        };
        if run.requested_by == actor.id {
            return Err(self.refused_logged(actor, OBJECT_RUN, Some(id), Refusal::SamePerson));
        }
        if !actor.active || !actor.has_role(Role::Dpo) || actor.agency != run.stelle {
            return Err(self.refused_logged(actor, OBJECT_RUN, Some(id), Refusal::NotAllowed));
        }
        if run.executed_at.is_some() {
            return Err(self.refused_logged(actor, OBJECT_RUN, Some(id), Refusal::NoPending));
        }
        self.ensure_overrides()?;
        let today = self.today();
        let now = ts(self.now());
        self.write(|tx| {
            // Per class, the planned records still due today and not held (a hold set
            // after planning wins). Consents, referrals and consultations first: a case
            // that goes takes its consents with it.
            let mut deleted: Vec<(RetentionClass, usize)> = Vec::new();
            let order = [
                RetentionClass::Consent,
                RetentionClass::CpJc,
                RetentionClass::CpJa,
                RetentionClass::Anon,
                RetentionClass::Case,
                RetentionClass::AccessLog,
            ];
            for class in order
                .into_iter()
                .filter(|c| listed_for(run.stelle).any(|l| l == *c))
            {
                if class == RetentionClass::AccessLog {
                    // Up to the highest row the preview named, what is still due now.
                    let upto = tx.query_row(
                        "SELECT max(record_id) FROM deletion_run_item \
                             WHERE run_id = ?1 AND class = 'access_log'",
                        [id],
                        |r| r.get::<_, Option<i64>>(0),
                    )?;
                    let mut n = 0;
                    if let Some(upto) = upto {
                        let (rows, origins) = due_audit_rows(tx, today, Some(upto))?;
                        for seq in &rows {
                            audit::erase_audit_row(tx, *seq, id)?;
                        }
                        for origin in origins {
                            audit::erase_evidence(tx, &audit::LOGIN_ORIGIN, origin, id)?;
                        }
                        n = rows.len();
                    }
                    deleted.push((class, n));
                    continue;
                }
                let (still_due, _) = due_of(tx, run.stelle, class, today)?;
                let planned = {
                    let mut stmt = tx.prepare_cached(
                        "SELECT record_id FROM deletion_run_item WHERE run_id = ?1 AND class = ?2 \
                         ORDER BY record_id",
                    )?;
                    stmt.query_map(params![id, class.code()], |r| r.get::<_, i64>(0))?
                        .collect::<Result<Vec<_>, _>>()?
                };
                let mut n = 0;
                for record in planned.into_iter().filter(|c| still_due.contains(c)) {
                    let gone = match class {
                        RetentionClass::Case => {
                            delete_case(tx, id, record)?;
                            true
                        }
                        RetentionClass::Consent => delete_consent(tx, id, record)?,
                        RetentionClass::CpJc | RetentionClass::CpJa => {
                            delete_referral(tx, id, record)?
                        }
                        RetentionClass::Anon => delete_consult(tx, id, record)?,
                        RetentionClass::Struct
                        | RetentionClass::AccessLog
                        | RetentionClass::TransferLog => false,
                    };
                    n += usize::from(gone);
                }
                deleted.push((class, n));
            }
            // The certificate lists the classes in the order of the review list.
            let counts: Vec<(RetentionClass, usize)> = listed_for(run.stelle)
                .map(|c| (c, deleted.iter().find(|d| d.0 == c).map_or(0, |d| d.1)))
                .collect();
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
            referrals_sent: base(
                "SELECT count(*) FROM cp_referral WHERE owner_stelle = ?1 \
                 AND substr(sent_at, 1, 4) = ?2",
            )? + counter(M_REFERRALS)?,
            consultations: base(
                "SELECT count(*) FROM anon_consult a JOIN staff s ON s.id = a.requested_by \
                 WHERE s.stelle = ?1 AND substr(a.requested_at, 1, 4) = ?2",
            )? + counter(M_CONSULTS)?,
            consents_signed: base(
                "SELECT count(*) FROM consent WHERE recorded_by = ?1 \
                 AND status IN ('granted', 'refused', 'revoked') AND substr(signed_on, 1, 4) = ?2",
            )? + counter(M_CONSENTS)?,
        })
    }
}
