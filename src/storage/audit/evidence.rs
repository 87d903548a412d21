//! Evidence beside the hash chain (docs/audit.md): the tables whose rows prove what happened
//! — previous field values (`change_history`), disclosures to the other agency
//! (`transfer_log`), break-glass grants (`access_grant`) and the child-protection timeline
//! (`cp_event`). They are append-only (triggers) and hash-chained per table: each row's hash
//! covers the table name, the row's content and the previous row's hash. The audit row
//! written in the same transaction records the table's new head (`audit_log.evidence`,
//! `table:id:hash`), so the audit chain vouches for the evidence: an edited row no longer
//! matches its hash, a deleted row breaks the chain of the next one, a cut-off end or an
//! emptied table no longer reaches the head the audit log recorded, and a row inserted
//! outside Tandem lies beyond it.
//!
//! Every insert into these tables goes through [`insert_evidence`] (`change_history`:
//! through `log_update`); a trigger refuses a row without hash, and `tandem audit verify`
//! checks that all protecting triggers are still there.

use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::{Connection, OptionalExtension, ToSql, Transaction, params, params_from_iter};

use super::{AuditAction, AuditEntry, GENESIS, append_with, hash_values, object};
use crate::storage::{StorageError, ts};

/// Domain separation of the evidence row hash (changes if the serialisation ever changes).
const CONTEXT: &[u8] = b"tandem-evidence-v1";

/// One evidence table: its name and the columns its writer supplies.
#[derive(Debug)]
pub(crate) struct EvidenceTable {
    /// The table's name.
    pub(crate) name: &'static str,
    /// The columns the caller gives values for, in that order.
    columns: &'static [&'static str],
    /// Whether each row is linked to the audit row written next in its transaction
    /// (`audit_seq`, set here); `change_history` names its audit row itself.
    links_next: bool,
}

impl EvidenceTable {
    /// The hashed columns in hash order: `id`, the caller's columns, then `audit_seq` where
    /// it is set here. Columns added to the table later are not covered (docs/audit.md).
    fn content(&self) -> Vec<&'static str> {
        let mut c = Vec::with_capacity(self.columns.len() + 2);
        c.push("id");
        c.extend_from_slice(self.columns);
        if self.links_next {
            c.push("audit_seq");
        }
        c
    }
}

/// Previous values of changed fields (written by `log_update` only).
pub(crate) static CHANGE_HISTORY: EvidenceTable = EvidenceTable {
    name: "change_history",
    columns: &["audit_seq", "table_name", "record_id", "field", "old_value"],
    links_next: false,
};

/// Receipts of disclosures to the other agency.
pub(crate) static TRANSFER_LOG: EvidenceTable = EvidenceTable {
    name: "transfer_log",
    columns: &[
        "case_id",
        "from_stelle",
        "to_stelle",
        "fields",
        "content_hash",
        "purpose",
        "consent_id",
        "statutory_basis",
        "justification",
        "check_64_2",
        "decided_by",
        "at",
    ],
    links_next: true,
};

/// Break-glass grants.
pub(crate) static ACCESS_GRANT: EvidenceTable = EvidenceTable {
    name: "access_grant",
    columns: &[
        "case_id",
        "staff_id",
        "reason",
        "reason_text",
        "granted_at",
        "until",
    ],
    links_next: true,
};

/// The timeline of a child-protection referral.
pub(crate) static CP_EVENT: EvidenceTable = EvidenceTable {
    name: "cp_event",
    columns: &[
        "referral_id",
        "at",
        "staff_id",
        "second_id",
        "kind",
        "detail",
    ],
    links_next: true,
};

/// Where a login through SSH came from (schema 11, docs/architecture.md § 7).
pub(crate) static LOGIN_ORIGIN: EvidenceTable = EvidenceTable {
    name: "login_origin",
    columns: &["staff_id", "at", "key_fingerprint", "client", "verb"],
    links_next: true,
};

/// Evidence rows erased by a deletion run (schema 13, docs/retention.md): the erased row's
/// table, id, `prev_hash` and hash, so that verification can bridge the gap it leaves.
pub(crate) static EVIDENCE_ERASURE: EvidenceTable = EvidenceTable {
    name: "evidence_erasure",
    columns: &[
        "table_name",
        "row_id",
        "row_prev_hash",
        "row_hash",
        "run_id",
    ],
    links_next: true,
};

/// Audit rows erased by a deletion run (schema 15, class `access_log`, docs/retention.md):
/// the row's sequence number, `prev_hash`, hash and the evidence heads it recorded, so
/// that verification can bridge the gap in the audit chain.
pub(crate) static AUDIT_ERASURE: EvidenceTable = EvidenceTable {
    name: "audit_erasure",
    columns: &[
        "row_seq",
        "row_prev_hash",
        "row_hash",
        "row_evidence",
        "run_id",
    ],
    links_next: true,
};

/// Every evidence table, in the order of `audit_log.evidence` and of the findings.
pub(crate) static TABLES: [&EvidenceTable; 7] = [
    &CHANGE_HISTORY,
    &TRANSFER_LOG,
    &ACCESS_GRANT,
    &CP_EVENT,
    &LOGIN_ORIGIN,
    &EVIDENCE_ERASURE,
    &AUDIT_ERASURE,
];

/// The erased rows of `table` (schema 13): id → (`prev_hash`, hash), in id order; empty
/// before schema 13.
pub(crate) fn erased_rows(
    conn: &Connection,
    table: &str,
) -> Result<std::collections::BTreeMap<i64, (String, String)>, StorageError> {
    let mut out = std::collections::BTreeMap::new();
    if table == EVIDENCE_ERASURE.name || !table_exists(conn, EVIDENCE_ERASURE.name)? {
        return Ok(out);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT row_id, row_prev_hash, row_hash FROM evidence_erasure WHERE table_name = ?1",
    )?;
    let mut rows = stmt.query([table])?;
    while let Some(r) = rows.next()? {
        out.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
    }
    Ok(out)
}

/// Records that evidence row `id` of `t` is erased by deletion run `run` (an
/// `evidence_erasure` row, chained and linked to the audit row appended next) and deletes
/// it; the table's delete trigger lets the row go only once its erasure is recorded.
pub(crate) fn erase_evidence(
    tx: &Transaction<'_>,
    t: &'static EvidenceTable,
    id: i64,
    run: i64,
) -> Result<(), StorageError> {
    let (prev, hash): (String, String) = tx.query_row(
        &format!("SELECT prev_hash, hash FROM {} WHERE id = ?1", t.name),
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    insert_evidence(
        tx,
        &EVIDENCE_ERASURE,
        rusqlite::params![t.name, id, prev, hash, run],
    )?;
    tx.execute(&format!("DELETE FROM {} WHERE id = ?1", t.name), [id])?;
    Ok(())
}

/// A row whose place in its table's chain is computed but which is not stored yet.
pub(super) struct Pending {
    table: &'static EvidenceTable,
    /// Its id (the previous head's plus one).
    pub(super) id: i64,
    /// The hashed values (see [`EvidenceTable::content`]).
    content: Vec<Value>,
    prev_hash: String,
    /// Its hash.
    pub(super) hash: String,
}

/// The newest row of `t`: id, hash, `audit_seq` (the last two absent in a damaged table).
struct Head {
    id: i64,
    hash: Option<String>,
    audit_seq: Option<i64>,
}

fn head(conn: &Connection, t: &EvidenceTable) -> Result<Option<Head>, StorageError> {
    let link = if t.links_next { "audit_seq" } else { "NULL" };
    if (t.name == LOGIN_ORIGIN.name
        || t.name == EVIDENCE_ERASURE.name
        || t.name == AUDIT_ERASURE.name)
        && !table_exists(conn, t.name)?
    {
        // The seal of migration 7 runs before schemas 11, 13 and 15 created these tables.
        return Ok(None);
    }
    // An erased tail (docs/retention.md) still counts as the head: new rows chain on it.
    Ok(conn
        .prepare_cached(&format!(
            "SELECT id, hash, {link} FROM {} ORDER BY id DESC LIMIT 1",
            t.name
        ))?
        .query_row([], |r| {
            Ok(Head {
                id: r.get(0)?,
                hash: r.get(1).ok(),
                audit_seq: r.get(2).ok(),
            })
        })
        .optional()?
        .into_iter()
        .chain(erased_head(conn, t)?)
        .max_by_key(|h| h.id))
}

/// The highest erased row of `t` (schema 13), as a head without audit link.
fn erased_head(conn: &Connection, t: &EvidenceTable) -> Result<Option<Head>, StorageError> {
    if t.name == EVIDENCE_ERASURE.name || !table_exists(conn, EVIDENCE_ERASURE.name)? {
        return Ok(None);
    }
    Ok(conn
        .prepare_cached(
            "SELECT row_id, row_hash FROM evidence_erasure WHERE table_name = ?1 \
             ORDER BY row_id DESC LIMIT 1",
        )?
        .query_row([t.name], |r| {
            Ok(Head {
                id: r.get(0)?,
                hash: r.get(1).ok(),
                audit_seq: None,
            })
        })
        .optional()?)
}

fn table_exists(conn: &Connection, name: &str) -> Result<bool, StorageError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1")?
        .exists([name])?)
}

/// The hash of one evidence row: the context, the table name, the row's content exactly as
/// stored, the previous row's hash.
fn chain_hash(t: &EvidenceTable, content: &[Value], prev: &Value) -> String {
    let mut values = Vec::with_capacity(content.len() + 2);
    values.push(Value::Text(t.name.to_string()));
    values.extend_from_slice(content);
    values.push(prev.clone());
    hash_values(CONTEXT, &values)
}

/// Chains `rows` (values of `t`'s caller columns) after the table's head; `audit_seq` is
/// the audit row they are linked to (used where `t` links rows itself).
pub(super) fn chain_rows(
    conn: &Connection,
    t: &'static EvidenceTable,
    rows: Vec<Vec<Value>>,
    audit_seq: i64,
) -> Result<Vec<Pending>, StorageError> {
    let (mut id, mut prev) = match head(conn, t)? {
        Some(h) => (h.id, h.hash.unwrap_or_else(|| GENESIS.to_string())),
        None => (0, GENESIS.to_string()),
    };
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        id += 1;
        let mut content = Vec::with_capacity(row.len() + 2);
        content.push(Value::Integer(id));
        content.extend(row);
        if t.links_next {
            content.push(Value::Integer(audit_seq));
        }
        let hash = chain_hash(t, &content, &Value::Text(prev.clone()));
        out.push(Pending {
            table: t,
            id,
            content,
            prev_hash: prev,
            hash: hash.clone(),
        });
        prev = hash;
    }
    Ok(out)
}

/// Inserts rows chained by [`chain_rows`] (nothing else may come between).
pub(super) fn store(conn: &Connection, rows: &[Pending]) -> Result<(), StorageError> {
    for p in rows {
        let cols = p.table.content();
        let marks: Vec<String> = (1..=cols.len() + 2).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}, prev_hash, hash) VALUES ({})",
            p.table.name,
            cols.join(", "),
            marks.join(", ")
        );
        let values = p.content.iter().cloned().chain([
            Value::Text(p.prev_hash.clone()),
            Value::Text(p.hash.clone()),
        ]);
        conn.prepare_cached(&sql)?
            .execute(params_from_iter(values))?;
        #[cfg(debug_assertions)]
        {
            // SQLite stores what it is given unless a column's type converts it; then the
            // row would never verify. Caught here, in every debug build and test.
            let stored: Vec<Value> = conn.query_row(
                &format!(
                    "SELECT {} FROM {} WHERE id = ?1",
                    cols.join(", "),
                    p.table.name
                ),
                [p.id],
                |r| (0..cols.len()).map(|i| r.get(i)).collect(),
            )?;
            assert_eq!(
                stored, p.content,
                "{}: a value was stored with another type than it was hashed",
                p.table.name
            );
        }
    }
    Ok(())
}

fn to_value(v: &dyn ToSql) -> Result<Value, StorageError> {
    let convert = |e| rusqlite::Error::ToSqlConversionFailure(Box::new(e));
    Ok(match v.to_sql()? {
        ToSqlOutput::Borrowed(r) => Value::try_from(r).map_err(convert)?,
        ToSqlOutput::Owned(v) => v,
        _ => {
            return Err(StorageError::Sqlite(
                rusqlite::Error::ToSqlConversionFailure("unsupported evidence value".into()),
            ));
        }
    })
}

/// Appends one row to evidence table `t` (not `change_history`: see `log_update`) inside
/// the caller's IMMEDIATE transaction: `values` are those of `t`'s columns in their order
/// (as for `INSERT INTO t (…) VALUES (…)`). The row gets the next id, its place in the
/// table's chain and the link to the audit row the caller appends next in the same
/// transaction, which records the new head. Returns the row's id.
pub(crate) fn insert_evidence(
    tx: &Transaction<'_>,
    t: &'static EvidenceTable,
    values: &[&dyn ToSql],
) -> Result<i64, StorageError> {
    debug_assert!(t.links_next, "{}: written by log_update", t.name);
    debug_assert_eq!(
        values.len(),
        t.columns.len(),
        "{}: one value per column",
        t.name
    );
    let row = values
        .iter()
        .map(|v| to_value(*v))
        .collect::<Result<Vec<_>, _>>()?;
    let seq = super::last_row(tx)?.0 + 1;
    let rows = chain_rows(tx, t, vec![row], seq)?;
    store(tx, &rows)?;
    Ok(rows.last().map_or(0, |p| p.id))
}

/// The `evidence` text of audit row `seq`: `table:id:hash` of the head of every evidence
/// table that got rows for it, `;`-separated — the heads in `pending` (rows written right
/// after the audit row, or the chaining of the migration) and the rows already written and
/// linked to `seq`. None when no table got rows.
pub(super) fn commitment(
    conn: &Connection,
    seq: i64,
    pending: &[(&'static str, i64, String)],
) -> Result<Option<String>, StorageError> {
    let mut parts = Vec::new();
    for t in TABLES {
        if let Some((_, id, hash)) = pending.iter().find(|p| p.0 == t.name) {
            parts.push(format!("{}:{id}:{hash}", t.name));
        } else if t.links_next
            && let Some(h) = head(conn, t)?
            && h.audit_seq == Some(seq)
            && let Some(hash) = h.hash
        {
            parts.push(format!("{}:{}:{hash}", t.name, h.id));
        }
    }
    Ok((!parts.is_empty()).then(|| parts.join(";")))
}

/// Migration 7: hash-chains the rows that exist already (their `audit_seq` stays empty)
/// and appends one audit row (`seal`, object `evidence`, dated `now`) that records the heads.
/// Runs before the triggers that forbid updates are created.
pub(crate) fn chain_existing(
    tx: &Transaction<'_>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StorageError> {
    let mut heads = Vec::new();
    // The tables of schema 7; later ones (login_origin, schema 11) are chained from their
    // first row on.
    for t in [&CHANGE_HISTORY, &TRANSFER_LOG, &ACCESS_GRANT, &CP_EVENT] {
        let cols = t.content();
        let rows: Vec<Vec<Value>> = tx
            .prepare(&format!(
                "SELECT {} FROM {} ORDER BY id",
                cols.join(", "),
                t.name
            ))?
            .query_map([], |r| (0..cols.len()).map(|i| r.get(i)).collect())?
            .collect::<Result<_, _>>()?;
        let mut update = tx.prepare(&format!(
            "UPDATE {} SET prev_hash = ?1, hash = ?2 WHERE id = ?3",
            t.name
        ))?;
        let mut prev = GENESIS.to_string();
        let mut last = None;
        for content in rows {
            let Some(Value::Integer(id)) = content.first().cloned() else {
                continue;
            };
            let hash = chain_hash(t, &content, &Value::Text(prev.clone()));
            update.execute(params![prev, hash, id])?;
            last = Some(id);
            prev = hash;
        }
        if let Some(id) = last {
            heads.push((t.name, id, prev));
        }
    }
    if !heads.is_empty() {
        let entry = AuditEntry::new(AuditAction::Seal, object::EVIDENCE);
        append_with(tx, &entry, &ts(now), &heads)?;
    }
    Ok(())
}

/// What is wrong with an evidence row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceProblem {
    /// The row's content does not match its hash (the row was edited).
    Changed,
    /// The row's `prev_hash` is not the previous row's hash (a row before it was deleted or
    /// edited).
    ChainBroken,
    /// The audit log recorded this row, but it is gone (deleted; with it the rows after it).
    Missing,
    /// The row lies beyond the head the audit log recorded (inserted outside Tandem).
    Unrecorded,
    /// The row differs from the one the audit log recorded (the chain was recomputed).
    Rewritten,
}

/// A finding of verification beside the audit chain itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// A protecting trigger is gone.
    TriggerMissing {
        /// The trigger's name.
        name: &'static str,
        /// The table it protects.
        table: &'static str,
    },
    /// A trigger of that name exists but does something else.
    TriggerChanged {
        /// The trigger's name.
        name: &'static str,
        /// The table it protects.
        table: &'static str,
    },
    /// The first bad row of an evidence table.
    Evidence {
        /// The table.
        table: &'static str,
        /// The row's id.
        id: i64,
        /// What is wrong.
        problem: EvidenceProblem,
    },
}

/// A protecting trigger: `BEFORE event ON table [WHEN …] BEGIN SELECT RAISE(ABORT, …); END`.
struct Guard {
    name: &'static str,
    table: &'static str,
    event: &'static str,
    when: &'static str,
    message: &'static str,
}

const APPEND_ONLY: &str = "";
const UNCHAINED: &str = " WHEN NEW.hash IS NULL OR NEW.prev_hash IS NULL";
/// Schema 13: a row may be deleted once a deletion run recorded its erasure (docs/retention.md).
const ERASABLE_CHANGE_HISTORY: &str = " WHEN NOT EXISTS (SELECT 1 FROM evidence_erasure e WHERE e.table_name = 'change_history' AND e.row_id = OLD.id)";
const ERASABLE_TRANSFER_LOG: &str = " WHEN NOT EXISTS (SELECT 1 FROM evidence_erasure e WHERE e.table_name = 'transfer_log' AND e.row_id = OLD.id)";
const ERASABLE_ACCESS_GRANT: &str = " WHEN NOT EXISTS (SELECT 1 FROM evidence_erasure e WHERE e.table_name = 'access_grant' AND e.row_id = OLD.id)";
/// Schema 15: an audit row may go once its erasure is recorded (class `access_log`).
const ERASABLE_AUDIT_LOG: &str =
    " WHEN NOT EXISTS (SELECT 1 FROM audit_erasure e WHERE e.row_seq = OLD.seq)";
/// Schema 15: where logins came from goes with the access log, as erased evidence.
const ERASABLE_LOGIN_ORIGIN: &str = " WHEN NOT EXISTS (SELECT 1 FROM evidence_erasure e WHERE e.table_name = 'login_origin' AND e.row_id = OLD.id)";
/// Schema 15: the timeline of a referral that is due may be erased the same way.
const ERASABLE_CP_EVENT: &str = " WHEN NOT EXISTS (SELECT 1 FROM evidence_erasure e WHERE e.table_name = 'cp_event' AND e.row_id = OLD.id)";

macro_rules! guards {
    ($($name:literal, $table:literal, $event:literal, $when:expr, $message:literal;)*) => {
        [$(Guard { name: $name, table: $table, event: $event, when: $when, message: $message }),*]
    };
}

/// Every trigger that protects the audit log and the evidence (migrations 3, 4, 7, 11, 13
/// and 15).
static GUARDS: [Guard; 23] = guards![
    "audit_log_no_update", "audit_log", "UPDATE", APPEND_ONLY, "audit_log is append-only";
    "audit_log_no_delete", "audit_log", "DELETE", ERASABLE_AUDIT_LOG, "audit_log is append-only";
    "change_history_no_update", "change_history", "UPDATE", APPEND_ONLY, "change_history is append-only";
    "change_history_no_delete", "change_history", "DELETE", ERASABLE_CHANGE_HISTORY, "change_history is append-only";
    "change_history_chained", "change_history", "INSERT", UNCHAINED, "change_history rows are hash-chained";
    "transfer_log_no_update", "transfer_log", "UPDATE", APPEND_ONLY, "transfer_log is immutable";
    "transfer_log_no_delete", "transfer_log", "DELETE", ERASABLE_TRANSFER_LOG, "transfer_log is immutable";
    "transfer_log_chained", "transfer_log", "INSERT", UNCHAINED, "transfer_log rows are hash-chained";
    "access_grant_no_update", "access_grant", "UPDATE", APPEND_ONLY, "access_grant is append-only";
    "access_grant_no_delete", "access_grant", "DELETE", ERASABLE_ACCESS_GRANT, "access_grant is append-only";
    "access_grant_chained", "access_grant", "INSERT", UNCHAINED, "access_grant rows are hash-chained";
    "cp_event_no_update", "cp_event", "UPDATE", APPEND_ONLY, "cp_event is append-only";
    "cp_event_no_delete", "cp_event", "DELETE", ERASABLE_CP_EVENT, "cp_event is append-only";
    "cp_event_chained", "cp_event", "INSERT", UNCHAINED, "cp_event rows are hash-chained";
    "login_origin_no_update", "login_origin", "UPDATE", APPEND_ONLY, "login_origin is append-only";
    "login_origin_no_delete", "login_origin", "DELETE", ERASABLE_LOGIN_ORIGIN, "login_origin is append-only";
    "login_origin_chained", "login_origin", "INSERT", UNCHAINED, "login_origin rows are hash-chained";
    "evidence_erasure_no_update", "evidence_erasure", "UPDATE", APPEND_ONLY, "evidence_erasure is append-only";
    "evidence_erasure_no_delete", "evidence_erasure", "DELETE", APPEND_ONLY, "evidence_erasure is append-only";
    "evidence_erasure_chained", "evidence_erasure", "INSERT", UNCHAINED, "evidence_erasure rows are hash-chained";
    "audit_erasure_no_update", "audit_erasure", "UPDATE", APPEND_ONLY, "audit_erasure is append-only";
    "audit_erasure_no_delete", "audit_erasure", "DELETE", APPEND_ONLY, "audit_erasure is append-only";
    "audit_erasure_chained", "audit_erasure", "INSERT", UNCHAINED, "audit_erasure rows are hash-chained";
];

impl Guard {
    /// The trigger's SQL with single spaces, as the migrations create it.
    fn sql(&self) -> String {
        format!(
            "CREATE TRIGGER {} BEFORE {} ON {}{} BEGIN SELECT RAISE(ABORT, '{}'); END",
            self.name, self.event, self.table, self.when, self.message
        )
    }
}

/// `sql` with every run of white space as one space, without a final `;`.
fn normalised(sql: &str) -> String {
    let words: Vec<&str> = sql.split_whitespace().collect();
    words.join(" ").trim_end_matches(';').trim_end().to_string()
}

/// Checks that every protecting trigger exists unchanged; returns the findings and the
/// number of triggers in place.
pub(super) fn check_triggers(conn: &Connection) -> Result<(Vec<Finding>, usize), StorageError> {
    let mut stmt = conn.prepare(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1 AND tbl_name = ?2",
    )?;
    let mut findings = Vec::new();
    for g in &GUARDS {
        let sql: Option<Option<String>> =
            stmt.query_row([g.name, g.table], |r| r.get(0)).optional()?;
        match sql {
            None => findings.push(Finding::TriggerMissing {
                name: g.name,
                table: g.table,
            }),
            Some(sql) if sql.as_deref().map(normalised) != Some(g.sql()) => {
                findings.push(Finding::TriggerChanged {
                    name: g.name,
                    table: g.table,
                });
            }
            Some(_) => {}
        }
    }
    let in_place = GUARDS.len() - findings.len();
    Ok((findings, in_place))
}

/// What [`check_evidence`] learnt about one table.
struct Chain {
    table: &'static EvidenceTable,
    /// Rows that verified.
    rows: u64,
    /// Id of the last row that verified.
    head: i64,
    /// The table's first finding.
    finding: Option<(i64, EvidenceProblem)>,
    /// The highest id the audit log recorded.
    recorded: i64,
}

/// Rows that verified, per evidence table.
pub(super) type RowCounts = Vec<(&'static str, u64)>;

/// Verifies every evidence table's chain and compares it with the heads the audit log
/// recorded; returns one finding (the first bad row) per broken table and the number of
/// rows per table.
pub(super) fn check_evidence(conn: &Connection) -> Result<(Vec<Finding>, RowCounts), StorageError> {
    let mut chains = Vec::with_capacity(TABLES.len());
    for t in TABLES {
        chains.push(check_chain(conn, t)?);
    }
    // The heads the audit log recorded, oldest first, with those of erased audit rows
    // (docs/retention.md, class `access_log`) in their place.
    let sql = if audit_erasure_exists(conn)? {
        "SELECT evidence FROM (SELECT seq, evidence FROM audit_log WHERE evidence IS NOT NULL \
         UNION ALL SELECT row_seq, row_evidence FROM audit_erasure \
         WHERE row_evidence IS NOT NULL) ORDER BY seq"
    } else {
        "SELECT evidence FROM audit_log WHERE evidence IS NOT NULL ORDER BY seq"
    };
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    let mut texts: Vec<String> = Vec::new();
    while let Some(row) = rows.next()? {
        if let Ok(text) = row.get::<_, String>(0) {
            texts.push(text);
        }
    }
    let mut erased: std::collections::HashMap<
        &str,
        std::collections::BTreeMap<i64, (String, String)>,
    > = std::collections::HashMap::new();
    for text in texts {
        for part in text.split(';') {
            let mut it = part.splitn(3, ':');
            let (Some(name), Some(Ok(id)), Some(hash)) =
                (it.next(), it.next().map(str::parse::<i64>), it.next())
            else {
                continue;
            };
            let Some(c) = chains.iter_mut().find(|c| c.table.name == name) else {
                continue;
            };
            c.recorded = c.recorded.max(id);
            if c.finding.is_some() || id > c.head {
                continue;
            }
            let mut stored: Option<Option<String>> = conn
                .prepare_cached(&format!("SELECT hash FROM {} WHERE id = ?1", c.table.name))?
                .query_row([id], |r| Ok(r.get(0).ok()))
                .optional()?;
            if stored.is_none() && c.table.name != EVIDENCE_ERASURE.name {
                // Erased by a deletion run: the recorded hash must be the erased row's
                // (each table's erasures read once, not once per recorded head).
                if !erased.contains_key(c.table.name) {
                    erased.insert(c.table.name, erased_rows(conn, c.table.name)?);
                }
                stored = erased
                    .get(c.table.name)
                    .and_then(|m| m.get(&id))
                    .map(|(_, h)| Some(h.clone()));
            }
            match stored {
                None => c.finding = Some((id, EvidenceProblem::Missing)),
                Some(h) if h.as_deref() != Some(hash) => {
                    c.finding = Some((id, EvidenceProblem::Rewritten));
                }
                Some(_) => {}
            }
        }
    }
    let mut findings = Vec::new();
    let mut counts = Vec::with_capacity(chains.len());
    for c in &mut chains {
        if c.finding.is_none() && c.recorded > c.head {
            c.finding = Some((c.head + 1, EvidenceProblem::Missing));
        } else if c.finding.is_none() && c.head > c.recorded {
            let first: i64 = conn.query_row(
                &format!("SELECT min(id) FROM {} WHERE id > ?1", c.table.name),
                [c.recorded],
                |r| r.get(0),
            )?;
            c.finding = Some((first, EvidenceProblem::Unrecorded));
        }
        if let Some((id, problem)) = c.finding {
            findings.push(Finding::Evidence {
                table: c.table.name,
                id,
                problem,
            });
        }
        counts.push((c.table.name, c.rows));
    }
    Ok((findings, counts))
}

/// Whether the schema has the table of erased audit rows (schema 15).
pub(super) fn audit_erasure_exists(conn: &Connection) -> Result<bool, StorageError> {
    table_exists(conn, AUDIT_ERASURE.name)
}

/// Walks `t` in id order and stops at the first row that does not chain or does not match
/// its hash.
fn check_chain(conn: &Connection, t: &'static EvidenceTable) -> Result<Chain, StorageError> {
    let cols = t.content();
    let n = cols.len();
    let mut stmt = conn.prepare(&format!(
        "SELECT {}, prev_hash, hash FROM {} ORDER BY id",
        cols.join(", "),
        t.name
    ))?;
    let mut rows = stmt.query([])?;
    let mut chain = Chain {
        table: t,
        rows: 0,
        head: 0,
        finding: None,
        recorded: 0,
    };
    let mut prev = Value::Text(GENESIS.to_string());
    // Rows erased by a deletion run (docs/retention.md) bridge their gap with the hashes
    // recorded before they went.
    let mut erased = erased_rows(conn, t.name)?.into_iter().peekable();
    let mut bridge = |below: i64, prev: &mut Value, chain: &mut Chain| {
        while let Some((id, _)) = erased.peek()
            && *id < below
        {
            let Some((id, (row_prev, row_hash))) = erased.next() else {
                break;
            };
            if *prev != Value::Text(row_prev) {
                return Some(id);
            }
            chain.head = id;
            *prev = Value::Text(row_hash);
        }
        None
    };
    while let Some(row) = rows.next()? {
        let mut values: Vec<Value> = (0..n + 2)
            .map(|i| row.get::<_, Value>(i))
            .collect::<Result<_, _>>()?;
        let stored_hash = values.pop().unwrap_or(Value::Null);
        let stored_prev = values.pop().unwrap_or(Value::Null);
        let id = match values.first() {
            Some(Value::Integer(id)) => *id,
            _ => chain.head + 1,
        };
        if let Some(bad) = bridge(id, &mut prev, &mut chain) {
            chain.finding = Some((bad, EvidenceProblem::ChainBroken));
            break;
        }
        if stored_prev != prev {
            chain.finding = Some((id, EvidenceProblem::ChainBroken));
            break;
        }
        let hash = chain_hash(t, &values, &stored_prev);
        if stored_hash != Value::Text(hash.clone()) {
            chain.finding = Some((id, EvidenceProblem::Changed));
            break;
        }
        chain.rows += 1;
        chain.head = id;
        prev = Value::Text(hash);
    }
    if chain.finding.is_none()
        && let Some(bad) = bridge(i64::MAX, &mut prev, &mut chain)
    {
        chain.finding = Some((bad, EvidenceProblem::ChainBroken));
    }
    Ok(chain)
}

#[cfg(test)]
mod tests {
    use super::super::{FieldValue, log_update};
    use super::*;
    use crate::storage::Store;

    /// A store with `n` saves of one staff record, each changing two fields (two history
    /// rows per save, ids 2k-1 and 2k; the audit row of save k records id 2k).
    fn saves(n: usize) -> Result<Store, StorageError> {
        let store = Store::open_in_memory()?;
        for i in 0..n {
            store.write(|tx| {
                let entry = AuditEntry::new(AuditAction::Update, object::STAFF)
                    .object(1)
                    .version(2);
                let old: [FieldValue; 2] = [("surname", Some(format!("A{i}"))), ("phone", None)];
                let new: [FieldValue; 2] = [
                    ("surname", Some(format!("B{i}"))),
                    ("phone", Some("1".into())),
                ];
                log_update(tx, entry, &ts(store.now()), &old, &new)
            })?;
        }
        Ok(store)
    }

    /// The evidence findings of `store` after `sql` (run with the triggers dropped).
    fn after(store: &Store, sql: &str) -> Result<Vec<Finding>, StorageError> {
        store.conn().execute_batch(&format!(
            "DROP TRIGGER change_history_no_update; DROP TRIGGER change_history_no_delete; {sql}"
        ))?;
        let report = store.verify_audit()?;
        assert!(report.first_bad.is_none(), "{report:?}");
        Ok(report
            .findings
            .into_iter()
            .filter(|f| matches!(f, Finding::Evidence { .. }))
            .collect())
    }

    fn history(id: i64, problem: EvidenceProblem) -> Vec<Finding> {
        vec![Finding::Evidence {
            table: "change_history",
            id,
            problem,
        }]
    }

    #[test]
    fn saves_are_chained_and_recorded() -> Result<(), StorageError> {
        let store = saves(3)?;
        let report = store.verify_audit()?;
        assert!(report.is_ok(), "{report:?}");
        assert_eq!(report.evidence_rows[0], ("change_history", 6));
        assert_eq!(report.triggers, GUARDS.len());
        let recorded: Vec<String> = store
            .conn()
            .prepare("SELECT evidence FROM audit_log ORDER BY seq")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        assert_eq!(recorded.len(), 3);
        for (k, e) in recorded.iter().enumerate() {
            assert!(
                e.starts_with(&format!("change_history:{}:", 2 * k + 2)),
                "{e}"
            );
        }
        // A save without changes writes no history and records nothing.
        store.write(|tx| {
            let entry = AuditEntry::new(AuditAction::Update, object::STAFF).object(1);
            log_update(tx, entry, &ts(store.now()), &[], &[])
        })?;
        let last: Option<String> = store.conn().query_row(
            "SELECT evidence FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )?;
        assert_eq!(last, None);
        assert!(store.verify_audit()?.is_ok());
        Ok(())
    }

    #[test]
    fn edits_deletions_and_cuts_are_found() -> Result<(), StorageError> {
        use EvidenceProblem::{ChainBroken, Changed, Missing};
        let edit = "UPDATE change_history SET old_value = 'X' WHERE id = 3";
        assert_eq!(after(&saves(3)?, edit)?, history(3, Changed));
        let delete = "DELETE FROM change_history WHERE id = 3";
        assert_eq!(after(&saves(3)?, delete)?, history(4, ChainBroken));
        let cut = "DELETE FROM change_history WHERE id >= 5";
        assert_eq!(after(&saves(3)?, cut)?, history(5, Missing));
        let empty = "DELETE FROM change_history";
        assert_eq!(after(&saves(3)?, empty)?, history(1, Missing));
        Ok(())
    }

    #[test]
    fn a_recomputed_chain_is_found() -> Result<(), StorageError> {
        use EvidenceProblem::{Missing, Rewritten};
        // The attacker edits or deletes a row and chains the table again with this code.
        for (sql, expected) in [
            (
                "UPDATE change_history SET old_value = 'X' WHERE id = 3",
                history(4, Rewritten),
            ),
            (
                "DELETE FROM change_history WHERE id = 4",
                history(4, Missing),
            ),
        ] {
            let store = saves(3)?;
            store.conn().execute_batch(
                "DROP TRIGGER change_history_no_update; DROP TRIGGER change_history_no_delete;",
            )?;
            store.conn().execute_batch(sql)?;
            store.write(|tx| chain_existing(tx, store.now()))?;
            let report = store.verify_audit()?;
            let evidence: Vec<Finding> = report
                .findings
                .into_iter()
                .filter(|f| matches!(f, Finding::Evidence { .. }))
                .collect();
            assert_eq!(evidence, expected, "{sql}");
        }
        Ok(())
    }

    #[test]
    fn a_row_beyond_the_recorded_head_is_unrecorded() -> Result<(), StorageError> {
        let store = saves(2)?;
        // Chained correctly, but no audit row records it.
        store.write(|tx| {
            let row = vec![
                Value::Integer(1),
                Value::Text("staff".into()),
                Value::Integer(1),
                Value::Text("surname".into()),
                Value::Text("Erfunden".into()),
            ];
            let rows = chain_rows(tx, &CHANGE_HISTORY, vec![row], 1)?;
            super::store(tx, &rows)
        })?;
        assert_eq!(
            after(&store, "SELECT 1")?,
            history(5, EvidenceProblem::Unrecorded)
        );
        Ok(())
    }

    #[test]
    fn missing_and_altered_triggers_are_named() -> Result<(), StorageError> {
        let store = saves(1)?;
        store.conn().execute_batch(
            "DROP TRIGGER cp_event_no_delete; DROP TRIGGER audit_log_no_update; \
             DROP TRIGGER access_grant_no_update; \
             CREATE TRIGGER access_grant_no_update BEFORE UPDATE ON access_grant WHEN 0 \
             BEGIN SELECT RAISE(ABORT, 'access_grant is append-only'); END;",
        )?;
        let report = store.verify_audit()?;
        assert_eq!(
            report.findings,
            [
                Finding::TriggerMissing {
                    name: "audit_log_no_update",
                    table: "audit_log"
                },
                Finding::TriggerChanged {
                    name: "access_grant_no_update",
                    table: "access_grant"
                },
                Finding::TriggerMissing {
                    name: "cp_event_no_delete",
                    table: "cp_event"
                },
            ]
        );
        assert_eq!(report.triggers, GUARDS.len() - 3);
        assert!(!report.is_ok());
        Ok(())
    }

    #[test]
    fn guard_sql_is_normalised() {
        let stored = "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log\nBEGIN\n    \
                      SELECT RAISE(ABORT, 'audit_log is append-only');\nEND";
        assert_eq!(normalised(stored), GUARDS[0].sql());
    }

    #[test]
    fn content_columns() {
        assert_eq!(
            ACCESS_GRANT.content(),
            [
                "id",
                "case_id",
                "staff_id",
                "reason",
                "reason_text",
                "granted_at",
                "until",
                "audit_seq"
            ]
        );
        assert_eq!(CHANGE_HISTORY.content()[1], "audit_seq");
    }
}
