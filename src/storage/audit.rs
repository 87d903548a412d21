//! The tamper-evident audit log (docs/architecture.md § 5.4): one row per create, change, delete, view,
//! export, refusal, login and logout, written in the same IMMEDIATE transaction as what it
//! records. Rows are append-only (triggers) and hash-chained: each row's hash covers the
//! previous row's hash and every column of the row, so editing, deleting or swapping rows
//! shows up in [`Store::verify_audit`].
//!
//! The log holds no personal data: staff ids, Stelle codes, action codes, object ids, the
//! NAMES of changed fields and fixed detail codes. The types enforce this: field names and
//! details are `&'static str`, so only constants of the program can go in. Previous field
//! values go to `change_history`, which does hold personal data.
//!
//! What the chain does not do: someone with write access to the file who knows this format
//! can recompute every hash after a change. Comparing with a head kept elsewhere (the log
//! line at logout, `tandem audit verify --anchor`) catches a rewritten or cut-off tail.
//!
//! Evidence beside the chain ([`evidence`], docs/audit.md): `change_history`,
//! `transfer_log`, `access_grant` and `cp_event` are append-only and hash-chained per table,
//! and an audit row records the new head of every evidence table that got rows with it
//! (`evidence`, covered by the row's hash). Verification also checks those chains and that
//! every protecting trigger is still in place.

mod evidence;

pub(crate) use evidence::{
    ACCESS_GRANT, CHANGE_HISTORY, CP_EVENT, LOGIN_ORIGIN, TRANSFER_LOG, chain_existing,
    erase_evidence, insert_evidence,
};
pub use evidence::{EvidenceProblem, Finding};

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use super::{StorageError, Store, ts};
use crate::domain::{Agency, Staff, StaffId};

/// `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Domain separation of the row hash (changes if the serialisation ever changes).
const HASH_CONTEXT: &[u8] = b"tandem-audit-v1";

/// Object types named in the log.
pub mod object {
    /// A cooperation case (`coop_case`).
    pub const CASE: &str = "coop_case";
    /// A young person (`young_person`).
    pub const PERSON: &str = "young_person";
    /// A staff record (`staff`).
    pub const STAFF: &str = "staff";
    /// A four-eyes request for the role `admin` or `dpo` (`role_grant`); the detail of
    /// its creation is the role's code.
    pub const ROLE_GRANT: &str = "role_grant";
    /// A session (login, logout, idle lock); no object id.
    pub const SESSION: &str = "session";
    /// A consent (`consent`).
    pub const CONSENT: &str = "consent";
    /// A custody holder or relative (`guardian`).
    pub const GUARDIAN: &str = "guardian";
    /// A child of the young person (`child`).
    pub const CHILD: &str = "child";
    /// An agreed measure (`measure`).
    pub const MEASURE: &str = "measure";
    /// A note (`note`).
    pub const NOTE: &str = "note";
    /// An absence period of a staff member (`staff_absence`).
    pub const ABSENCE: &str = "staff_absence";
    /// The case list (own caseload); no object id, the detail names the kind of read.
    pub const CASE_LIST: &str = "case_list";
    /// The list of every case of the agency (leads only); no object id.
    pub const AGENCY_LIST: &str = "agency_case_list";
    /// The evidence tables as a whole (their chaining by migration 7); no object id.
    pub const EVIDENCE: &str = "evidence";
    /// A restriction of a case (`restriction`, Art. 18 DSGVO, docs/access.md A12): create
    /// with the reason's code as detail, update with `lifted`.
    pub const RESTRICTION: &str = "restriction";
    /// A disputed field (`field_dispute`, Art. 16 DSGVO): create naming the field, update
    /// with the outcome's code as detail.
    pub const DISPUTE: &str = "field_dispute";
    /// The overview of a Stelle's restricted cases (leads, DSB); no object id.
    pub const RESTRICTION_LIST: &str = "restriction_list";
}

/// Detail codes written by this module's callers (never free text).
pub mod detail {
    /// A case that does not exist or that the viewer may not see.
    pub const NOT_VISIBLE: &str = "not_visible";
    /// A login name without an account (the typed text is not logged: it may be a name).
    pub const UNKNOWN_LOGIN: &str = "unknown_login";
    /// A login of a deactivated account.
    pub const INACTIVE: &str = "inactive";
    /// Written by the demo or seed generator, not by a person.
    pub const SEED: &str = "seed";
    /// The session ended because the terminal hung up or a signal came.
    pub const HANGUP: &str = "hangup";
    /// A transfer on the basis of a consent (a statutory basis is logged by its code).
    pub const CONSENT: &str = "consent";
    /// A note entrusted under § 65 SGB VIII.
    pub const ENTRUSTED: &str = "entrusted";
    /// A list was searched (the words typed are not logged).
    pub const SEARCH: &str = "search";
    /// Someone without write access tried to change a record (refused).
    pub const READ_ONLY: &str = "read_only";
    /// The session runs with permanent deputies (the office's switch, docs/access.md A2).
    pub const PERMANENT_DEPUTIES: &str = "permanent_deputies";
    /// A four-eyes role grant was confirmed by a second admin.
    pub const GRANT_CONFIRMED: &str = "confirmed";
    /// A four-eyes role grant was refused (or withdrawn).
    pub const GRANT_REFUSED: &str = "refused";
    /// A running session ended because its account was deactivated meanwhile.
    pub const DEACTIVATED: &str = "deactivated";
    /// A running session ended because its roles or Stelle changed meanwhile.
    pub const ACCESS_CHANGED: &str = "access_changed";
    /// A conference was cancelled because the consent it rested on was revoked.
    pub const CONSENT_REVOKED: &str = "consent_revoked";
    /// A restriction of a case was lifted (docs/access.md A12).
    pub const LIFTED: &str = "lifted";
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    /// A record was created.
    Create,
    /// A record was changed.
    Update,
    /// A record was deleted.
    Delete,
    /// A record was shown (a case file opened).
    View,
    /// Data left Tandem (export, print).
    Export,
    /// Access was refused.
    Refused,
    /// A staff member logged in.
    Login,
    /// A login was refused.
    LoginRefused,
    /// A staff member logged out.
    Logout,
    /// Data was transferred to the other Stelle.
    Transfer,
    /// Emergency access ("Notfallzugriff").
    BreakGlass,
    /// The session was locked after inactivity.
    IdleLock,
    /// Existing evidence rows were hash-chained (once, by migration 7).
    Seal,
}

impl AuditAction {
    /// Every action, in code order of the documentation.
    pub const ALL: [AuditAction; 13] = [
        AuditAction::Create,
        AuditAction::Update,
        AuditAction::Delete,
        AuditAction::View,
        AuditAction::Export,
        AuditAction::Refused,
        AuditAction::Login,
        AuditAction::LoginRefused,
        AuditAction::Logout,
        AuditAction::Transfer,
        AuditAction::BreakGlass,
        AuditAction::IdleLock,
        AuditAction::Seal,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Delete => "delete",
            AuditAction::View => "view",
            AuditAction::Export => "export",
            AuditAction::Refused => "refused",
            AuditAction::Login => "login",
            AuditAction::LoginRefused => "login_refused",
            AuditAction::Logout => "logout",
            AuditAction::Transfer => "transfer",
            AuditAction::BreakGlass => "break_glass",
            AuditAction::IdleLock => "idle_lock",
            AuditAction::Seal => "seal",
        }
    }

    /// The action of a stored code.
    pub fn from_code(code: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// One row to append. Only ids, codes and field names: no personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Who acted (none: the program itself, a seed, or an unknown login).
    pub staff: Option<StaffId>,
    /// The acting staff member's Stelle.
    pub stelle: Option<Agency>,
    /// What happened.
    pub action: AuditAction,
    /// The kind of object ([`object`]).
    pub object_type: &'static str,
    /// The object's id.
    pub object_id: Option<i64>,
    /// Names of the changed fields (never values).
    pub fields: Vec<&'static str>,
    /// The record's version after the change.
    pub new_version: Option<i64>,
    /// A fixed code, e.g. a refusal or break-glass reason ([`detail`]).
    pub detail: Option<&'static str>,
}

impl AuditEntry {
    /// An entry without actor, object id, fields, version or detail.
    pub fn new(action: AuditAction, object_type: &'static str) -> AuditEntry {
        AuditEntry {
            staff: None,
            stelle: None,
            action,
            object_type,
            object_id: None,
            fields: Vec::new(),
            new_version: None,
            detail: None,
        }
    }

    /// Sets the actor and their Stelle.
    pub fn by(mut self, staff: &Staff) -> AuditEntry {
        self.staff = Some(staff.id);
        self.stelle = Some(staff.agency);
        self
    }

    /// Sets the object id.
    pub fn object(mut self, id: i64) -> AuditEntry {
        self.object_id = Some(id);
        self
    }

    /// Sets the changed field names.
    pub fn fields(mut self, fields: Vec<&'static str>) -> AuditEntry {
        self.fields = fields;
        self
    }

    /// Sets the version after the change.
    pub fn version(mut self, version: i64) -> AuditEntry {
        self.new_version = Some(version);
        self
    }

    /// Sets the detail code.
    pub fn detail(mut self, code: &'static str) -> AuditEntry {
        self.detail = Some(code);
        self
    }
}

/// One stored audit row, as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// UTC time.
    pub at: String,
    /// Actor.
    pub staff_id: Option<i64>,
    /// Actor's Stelle code.
    pub stelle: Option<String>,
    /// Action code.
    pub action: String,
    /// Object type.
    pub object_type: String,
    /// Object id.
    pub object_id: Option<i64>,
    /// Changed field names.
    pub fields: Vec<String>,
    /// Version after the change.
    pub new_version: Option<i64>,
    /// Detail code.
    pub detail: Option<String>,
}

/// One previous field value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    /// The audit row of the change that replaced the value.
    pub audit_seq: i64,
    /// Field name.
    pub field: String,
    /// The value before the change (text form; none for an empty optional field).
    pub old_value: Option<String>,
}

/// Why a row fails verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadKind {
    /// The row's content does not match its hash (the row was edited).
    HashMismatch,
    /// The row's `prev_hash` is not the previous row's hash (a row before it was deleted,
    /// edited or swapped).
    ChainBroken,
    /// The sequence number is not the previous one plus one (rows before it are missing).
    SeqGap,
    /// The anchor names a row that is no longer there (the tail was cut off).
    Missing,
    /// The row named by the anchor has another hash (the chain was rewritten).
    AnchorMismatch,
}

/// The first row that fails verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadRow {
    /// Its sequence number (for [`BadKind::Missing`]: the first missing one).
    pub seq: i64,
    /// What is wrong.
    pub problem: BadKind,
}

/// The result of [`Store::verify_audit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// Rows that verified (all rows when `first_bad` is none).
    pub rows: u64,
    /// The first bad row, if any.
    pub first_bad: Option<BadRow>,
    /// Sequence number and hash of the last verified row.
    pub head: Option<(i64, String)>,
    /// Missing or changed protecting triggers and the first bad row of each evidence table.
    pub findings: Vec<Finding>,
    /// Rows that verified per evidence table.
    pub evidence_rows: Vec<(&'static str, u64)>,
    /// Protecting triggers found in place.
    pub triggers: usize,
}

impl AuditReport {
    /// Whether the whole chain, the evidence and the triggers verified.
    pub fn is_ok(&self) -> bool {
        self.first_bad.is_none() && self.findings.is_empty()
    }
}

/// A head recorded earlier (log line, backup manifest): the row `seq` must still exist and
/// its hash must start with `hash_prefix` (at least 16 hex digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// Sequence number.
    pub seq: i64,
    /// Hash or its beginning, lower-case hex.
    pub hash_prefix: String,
}

impl Anchor {
    /// Parses `SEQ:HEX` (HEX at least 16 digits).
    pub fn parse(text: &str) -> Option<Anchor> {
        let (seq, hash) = text.trim().split_once(':')?;
        let seq: i64 = seq.trim().parse().ok().filter(|s| *s >= 1)?;
        let hash = hash.trim().to_ascii_lowercase();
        let hex =
            hash.len() >= 16 && hash.len() <= 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
        hex.then_some(Anchor {
            seq,
            hash_prefix: hash,
        })
    }
}

/// Lower-case hex of `bytes`.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

/// SHA-256 over an unambiguous serialisation of the row's values: a context string, then
/// per value a type tag and its bytes, texts and blobs length-prefixed. The values are, in
/// order: seq, at, staff_id, stelle, action, object_type, object_id, fields, new_version,
/// detail, prev_hash, exactly as stored (so a changed storage type also changes the hash).
///
/// A row with an `evidence` text hashes it as a twelfth value after `prev_hash`; rows without
/// (all rows before schema 7) hash the eleven values only.
fn row_hash(values: &[Value]) -> String {
    hash_values(HASH_CONTEXT, values)
}

/// SHA-256 over `context` and `values` as described at [`row_hash`] (also the hash of the
/// evidence rows, with their own context).
fn hash_values(context: &[u8], values: &[Value]) -> String {
    let mut h = Sha256::new();
    h.update(context);
    h.update((values.len() as u64).to_be_bytes());
    for v in values {
        match v {
            Value::Null => h.update(b"N"),
            Value::Integer(i) => {
                h.update(b"I");
                h.update(i.to_be_bytes());
            }
            Value::Real(f) => {
                h.update(b"R");
                h.update(f.to_bits().to_be_bytes());
            }
            Value::Text(t) => {
                h.update(b"T");
                h.update((t.len() as u64).to_be_bytes());
                h.update(t.as_bytes());
            }
            Value::Blob(b) => {
                h.update(b"B");
                h.update((b.len() as u64).to_be_bytes());
                h.update(b);
            }
        }
    }
    hex(&h.finalize())
}

fn opt_int(v: Option<i64>) -> Value {
    v.map_or(Value::Null, Value::Integer)
}

fn opt_text(v: Option<&str>) -> Value {
    v.map_or(Value::Null, |s| Value::Text(s.to_string()))
}

/// Appends `entry` with time `at` (UTC, as stored) inside the caller's IMMEDIATE
/// transaction and returns its sequence number. The previous hash is read inside the same
/// transaction, so concurrent writers chain one after the other.
pub(crate) fn append_at(
    tx: &Transaction<'_>,
    entry: &AuditEntry,
    at: &str,
) -> Result<i64, StorageError> {
    append_with(tx, entry, at, &[])
}

/// Sequence number and hash of the newest audit row (0 and [`GENESIS`] when there is none).
fn last_row(tx: &Transaction<'_>) -> Result<(i64, String), StorageError> {
    Ok(tx
        .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or_else(|| (0, GENESIS.to_string())))
}

/// [`append_at`], recording as `evidence` the heads in `pending` (`table, id, hash` of
/// evidence rows written right after this row) and of the evidence rows written before it
/// in this transaction.
fn append_with(
    tx: &Transaction<'_>,
    entry: &AuditEntry,
    at: &str,
    pending: &[(&'static str, i64, String)],
) -> Result<i64, StorageError> {
    debug_assert!(entry.fields.iter().all(|f| !f.contains(',')));
    let (last, prev) = last_row(tx)?;
    let seq = last + 1;
    let mut values = vec![
        Value::Integer(seq),
        Value::Text(at.to_string()),
        opt_int(entry.staff.map(|s| s.0)),
        opt_text(entry.stelle.map(Agency::code)),
        Value::Text(entry.action.code().to_string()),
        Value::Text(entry.object_type.to_string()),
        opt_int(entry.object_id),
        Value::Text(entry.fields.join(",")),
        opt_int(entry.new_version),
        opt_text(entry.detail),
        Value::Text(prev),
    ];
    let evidence = evidence::commitment(tx, seq, pending)?;
    if let Some(e) = &evidence {
        values.push(Value::Text(e.clone()));
    }
    let hash = row_hash(&values);
    values.truncate(11);
    tx.prepare_cached(
        "INSERT INTO audit_log (seq, at, staff_id, stelle, action, object_type, object_id, fields, \
         new_version, detail, prev_hash, hash, evidence) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(rusqlite::params_from_iter(
        values
            .into_iter()
            .chain([Value::Text(hash), opt_text(evidence.as_deref())]),
    ))?;
    Ok(seq)
}

/// Appends the creation of `object_type` row `id` (version 1) by `actor` (none: an
/// administration, import or demo path) naming its `fields`, at time `at` (as stored).
pub(crate) fn log_create(
    tx: &Transaction<'_>,
    at: &str,
    actor: Option<&Staff>,
    object_type: &'static str,
    id: i64,
    fields: Vec<&'static str>,
) -> Result<i64, StorageError> {
    let mut entry = AuditEntry::new(AuditAction::Create, object_type)
        .object(id)
        .fields(fields)
        .version(1);
    if let Some(a) = actor {
        entry = entry.by(a);
    }
    append_at(tx, &entry, at)
}

/// Text form of one field value, for comparing and for `change_history`.
pub(crate) type FieldValue = (&'static str, Option<String>);

/// Appends `entry` (an update of one row: actor, object type = table, object id and new
/// version set) with the names of the fields whose value differs between `old` and `new`
/// (same names in the same order), and records the old values in the history (chained
/// before the audit row is written, so that the audit row records the history's new head).
pub(crate) fn log_update(
    tx: &Transaction<'_>,
    mut entry: AuditEntry,
    at: &str,
    old: &[FieldValue],
    new: &[FieldValue],
) -> Result<i64, StorageError> {
    let changed: Vec<&FieldValue> = old
        .iter()
        .zip(new)
        .filter(|(o, n)| o.1 != n.1)
        .map(|(o, _)| o)
        .collect();
    entry.fields = changed.iter().map(|(name, _)| *name).collect();
    let seq = last_row(tx)?.0 + 1;
    let id = entry.object_id.unwrap_or_default();
    let rows = changed
        .iter()
        .map(|(name, value)| {
            vec![
                Value::Integer(seq),
                Value::Text(entry.object_type.to_string()),
                Value::Integer(id),
                Value::Text((*name).to_string()),
                opt_text(value.as_deref()),
            ]
        })
        .collect();
    let history = evidence::chain_rows(tx, &evidence::CHANGE_HISTORY, rows, seq)?;
    let head: Vec<_> = history
        .last()
        .map(|p| (evidence::CHANGE_HISTORY.name, p.id, p.hash.clone()))
        .into_iter()
        .collect();
    let written = append_with(tx, &entry, at, &head)?;
    debug_assert_eq!(written, seq);
    evidence::store(tx, &history)?;
    Ok(seq)
}

fn map_audit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRow> {
    let fields: String = r.get(7)?;
    Ok(AuditRow {
        seq: r.get(0)?,
        at: r.get(1)?,
        staff_id: r.get(2)?,
        stelle: r.get(3)?,
        action: r.get(4)?,
        object_type: r.get(5)?,
        object_id: r.get(6)?,
        fields: fields
            .split(',')
            .filter(|f| !f.is_empty())
            .map(str::to_string)
            .collect(),
        new_version: r.get(8)?,
        detail: r.get(9)?,
    })
}

const AUDIT_COLUMNS: &str =
    "seq, at, staff_id, stelle, action, object_type, object_id, fields, new_version, detail";

impl Store {
    /// Appends one event that comes with no other write (login, logout, refused login, idle
    /// lock) in its own short transaction; returns its sequence number.
    pub fn record_event(&self, entry: &AuditEntry) -> Result<i64, StorageError> {
        let at = ts(self.now());
        self.write(|tx| append_at(tx, entry, &at))
    }

    /// The audit rows about one object, oldest first.
    pub fn audit_rows_for(
        &self,
        object_type: &str,
        object_id: i64,
    ) -> Result<Vec<AuditRow>, StorageError> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE object_type = ?1 AND object_id = ?2 \
             ORDER BY seq"
        ))?;
        let rows = stmt.query_map(params![object_type, object_id], map_audit_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The last `limit` audit rows, oldest first.
    pub fn audit_tail(&self, limit: usize) -> Result<Vec<AuditRow>, StorageError> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT * FROM (SELECT {AUDIT_COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT ?1) \
             ORDER BY seq"
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map([limit], map_audit_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Sequence number and hash of the newest audit row.
    pub fn audit_head(&self) -> Result<Option<(i64, String)>, StorageError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// Previous values of `table` row `id`, oldest change first.
    pub fn change_history_for(
        &self,
        table: &str,
        id: i64,
    ) -> Result<Vec<HistoryRow>, StorageError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT audit_seq, field, old_value FROM change_history \
             WHERE table_name = ?1 AND record_id = ?2 ORDER BY audit_seq, id",
        )?;
        let rows = stmt.query_map(params![table, id], |r| {
            Ok(HistoryRow {
                audit_seq: r.get(0)?,
                field: r.get(1)?,
                old_value: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Logs a refusal as one `refused` audit row (object type, optional id, the reason's
    /// code as detail) and returns it as the error to hand back; if the row cannot be
    /// written, that error instead (docs/access.md A7).
    pub(crate) fn refused_logged(
        &self,
        actor: &Staff,
        object_type: &'static str,
        object: Option<i64>,
        r: crate::domain::refusal::Refusal,
    ) -> StorageError {
        let now = ts(self.now());
        let logged = self.write(|tx| {
            let mut entry = AuditEntry::new(AuditAction::Refused, object_type)
                .by(actor)
                .detail(r.code());
            if let Some(id) = object {
                entry = entry.object(id);
            }
            append_at(tx, &entry, &now)
        });
        match logged {
            Ok(_) => StorageError::Refused(r),
            Err(e) => e,
        }
    }

    /// Recomputes the whole hash chain and reports the first bad row.
    pub fn verify_audit(&self) -> Result<AuditReport, StorageError> {
        self.verify_audit_against(None)
    }

    /// Like [`Store::verify_audit`], and also checks that the row named by `anchor` (a head
    /// recorded earlier outside the database) is still there with the same hash.
    /// Beside the chain, it checks that every protecting trigger is in place and verifies
    /// the evidence tables ([`AuditReport::findings`]).
    pub fn verify_audit_against(
        &self,
        anchor: Option<&Anchor>,
    ) -> Result<AuditReport, StorageError> {
        // One read transaction: one consistent snapshot of the log and the evidence.
        let tx = Transaction::new_unchecked(self.conn(), TransactionBehavior::Deferred)?;
        let mut report = verify_chain(&tx, anchor)?;
        let (mut findings, triggers) = evidence::check_triggers(&tx)?;
        let (broken, evidence_rows) = evidence::check_evidence(&tx)?;
        findings.extend(broken);
        report.findings = findings;
        report.evidence_rows = evidence_rows;
        report.triggers = triggers;
        Ok(report)
    }
}

/// The audit rows a deletion run erased (class `access_log`): seq → (prev_hash, hash).
fn erased_audit_rows(
    conn: &Connection,
) -> Result<std::collections::BTreeMap<i64, (String, String)>, StorageError> {
    if !evidence::audit_erasure_exists(conn)? {
        return Ok(std::collections::BTreeMap::new());
    }
    let mut stmt = conn.prepare("SELECT row_seq, row_prev_hash, row_hash FROM audit_erasure")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Records the erasure of audit row `seq` (its hashes and the evidence heads it recorded,
/// as a hash-chained evidence row that the run's audit row will record) and deletes it
/// (class `access_log`, docs/retention.md).
pub(crate) fn erase_audit_row(
    tx: &Transaction<'_>,
    seq: i64,
    run: i64,
) -> Result<(), StorageError> {
    let (prev, hash, evidence): (String, String, Option<String>) = tx.query_row(
        "SELECT prev_hash, hash, evidence FROM audit_log WHERE seq = ?1",
        [seq],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    insert_evidence(
        tx,
        &evidence::AUDIT_ERASURE,
        params![seq, prev, hash, evidence, run],
    )?;
    tx.execute("DELETE FROM audit_log WHERE seq = ?1", [seq])?;
    Ok(())
}

/// Recomputes the audit chain (and checks the anchor); no findings yet.
fn verify_chain(conn: &Connection, anchor: Option<&Anchor>) -> Result<AuditReport, StorageError> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, staff_id, stelle, action, object_type, object_id, fields, \
         new_version, detail, prev_hash, hash, evidence FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut report = AuditReport {
        rows: 0,
        first_bad: None,
        head: None,
        findings: Vec::new(),
        evidence_rows: Vec::new(),
        triggers: 0,
    };
    // Rows a deletion run erased (class `access_log`, docs/retention.md) are bridged by
    // their recorded hashes: each must chain on the one before.
    let erased = erased_audit_rows(conn)?;
    let mut prev_seq = 0_i64;
    let mut prev_hash = Value::Text(GENESIS.to_string());
    let mut anchored: Option<String> = None;
    let bridge = |prev_seq: &mut i64, prev_hash: &mut Value, upto: i64| {
        while *prev_seq + 1 < upto {
            match erased.get(&(*prev_seq + 1)) {
                Some((p, h)) if Value::Text(p.clone()) == *prev_hash => {
                    *prev_seq += 1;
                    *prev_hash = Value::Text(h.clone());
                }
                _ => break,
            }
        }
    };
    while let Some(row) = rows.next()? {
        let mut values: Vec<Value> = (0..13)
            .map(|i| row.get::<_, Value>(i))
            .collect::<Result<_, _>>()?;
        // The evidence text, where there is one, is hashed after prev_hash.
        let evidence = values.pop().unwrap_or(Value::Null);
        let stored_hash = values.pop().unwrap_or(Value::Null);
        if evidence != Value::Null {
            values.push(evidence);
        }
        let seq = match values.first() {
            Some(Value::Integer(s)) => *s,
            _ => prev_seq.saturating_add(1),
        };
        bridge(&mut prev_seq, &mut prev_hash, seq);
        let bad = |problem| Some(BadRow { seq, problem });
        let hash = row_hash(&values);
        if prev_seq.checked_add(1) != Some(seq) {
            report.first_bad = bad(BadKind::SeqGap);
        } else if values.get(10) != Some(&prev_hash) {
            report.first_bad = bad(BadKind::ChainBroken);
        } else if stored_hash != Value::Text(hash.clone()) {
            report.first_bad = bad(BadKind::HashMismatch);
        }
        if report.first_bad.is_some() {
            return Ok(report);
        }
        if anchor.is_some_and(|a| a.seq == seq) {
            anchored = Some(hash.clone());
        }
        report.rows += 1;
        report.head = Some((seq, hash.clone()));
        prev_seq = seq;
        prev_hash = Value::Text(hash);
    }
    if let Some(a) = anchor {
        report.first_bad = match anchored {
            None => Some(BadRow {
                seq: prev_seq + 1,
                problem: BadKind::Missing,
            }),
            Some(h) if !h.starts_with(&a.hash_prefix) => Some(BadRow {
                seq: a.seq,
                problem: BadKind::AnchorMismatch,
            }),
            Some(_) => None,
        };
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::from_code(a.code()), Some(a));
        }
    }

    #[test]
    fn hash_separates_fields() {
        let split_late = [Value::Text("ab".into()), Value::Text("c".into())];
        let split_early = [Value::Text("a".into()), Value::Text("bc".into())];
        assert_ne!(row_hash(&split_late), row_hash(&split_early));
        let null = [Value::Null];
        let empty = [Value::Text(String::new())];
        assert_ne!(row_hash(&null), row_hash(&empty));
        let int = [Value::Integer(1)];
        let text = [Value::Text("1".into())];
        assert_ne!(row_hash(&int), row_hash(&text));
        assert_eq!(row_hash(&split_late).len(), 64);
    }

    #[test]
    fn hex_is_lower_case() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
    }

    #[test]
    fn anchors_parse() {
        assert_eq!(
            Anchor::parse("12:0123456789ABCDEF"),
            Some(Anchor {
                seq: 12,
                hash_prefix: "0123456789abcdef".into()
            })
        );
        assert_eq!(Anchor::parse("12:0123"), None);
        assert_eq!(Anchor::parse("0:0123456789abcdef"), None);
        assert_eq!(Anchor::parse("x:0123456789abcdef"), None);
    }
}
