//! Printed documents (docs/documents.md § 2): each PDF written into the export folder is
//! recorded with its maker, the record it shows and its bare file name, and audited as a
//! print. The SSH verb `dokument N` asks here for the file of number N, which only its
//! maker gets, while they may still read the record it shows; every fetch and every
//! refusal is audited. No content is stored.

use rusqlite::{OptionalExtension, params};

use super::audit::{AuditAction, AuditEntry, append_at};
use super::{StorageError, Store, ts};
use crate::domain::calendar::WorkCalendar;
use crate::domain::referral::Deadlines;
use crate::domain::{CaseId, Role, Staff};

/// Audit object of a fetch through SSH (object id: the document's number).
pub const DOCUMENT: &str = "document";

/// Whether `file` is a bare file name the export folder may hold: no folder part, not
/// hidden, not empty, at most 200 bytes (the schema checks the same).
pub fn is_bare_name(file: &str) -> bool {
    (5..=200).contains(&file.len())
        && !file.contains('/')
        && !file.starts_with('.')
        && !file.contains('\0')
}

impl Store {
    /// Records that `me` wrote `file` into the export folder, showing record `object_id` of
    /// `object_type`, as `kind`; audits the print (action `export`, the record, detail
    /// `kind`). Returns the document's number for `dokument N`.
    pub fn record_document(
        &self,
        me: &Staff,
        object_type: &'static str,
        object_id: i64,
        kind: &'static str,
        file: &str,
    ) -> Result<i64, StorageError> {
        let at = ts(self.now());
        self.write(|tx| {
            tx.execute(
                "INSERT INTO document (made_by, made_at, object_type, object_id, kind, file) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![me.id.0, at, object_type, object_id, kind, file],
            )?;
            let n = tx.last_insert_rowid();
            append_at(
                tx,
                &AuditEntry::new(AuditAction::Export, object_type)
                    .by(me)
                    .object(object_id)
                    .detail(kind),
                &at,
            )?;
            Ok(n)
        })
    }

    /// The file name of document `n` for `me`: only its maker gets it, and only while
    /// they may still read the record it shows (a case since restricted or no longer
    /// theirs, a conference or referral out of sight, the report without the role). None
    /// otherwise, the same for a number that does not exist, audited as `refused` (so a
    /// number tells nothing). A fetch is audited by [`Store::log_document_fetch`] once
    /// the file was read.
    pub fn document_for(&self, me: &Staff, n: i64) -> Result<Option<String>, StorageError> {
        let found: Option<(i64, String, i64, String)> = self
            .conn()
            .query_row(
                "SELECT made_by, object_type, object_id, file FROM document WHERE id = ?1",
                [n],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let mut file = None;
        if let Some((by, object_type, object_id, name)) = found
            && by == me.id.0
            && is_bare_name(&name)
            && self.still_readable(me, &object_type, object_id)?
        {
            file = Some(name);
        }
        if file.is_none() {
            self.log_fetch(me, n, AuditAction::Refused)?;
        }
        Ok(file)
    }

    /// Audits that document `n` went to `me` through SSH.
    pub fn log_document_fetch(&self, me: &Staff, n: i64) -> Result<(), StorageError> {
        self.log_fetch(me, n, AuditAction::Export)
    }

    fn log_fetch(&self, me: &Staff, n: i64, action: AuditAction) -> Result<(), StorageError> {
        let at = ts(self.now());
        self.write(|tx| {
            append_at(
                tx,
                &AuditEntry::new(action, DOCUMENT)
                    .by(me)
                    .object(n)
                    .detail("ssh"),
                &at,
            )?;
            Ok(())
        })
    }

    /// Whether `me` may still read record `id` of `object_type` (no view is logged).
    fn still_readable(&self, me: &Staff, object_type: &str, id: i64) -> Result<bool, StorageError> {
        let gone = |r: Result<bool, StorageError>| match r {
            Err(StorageError::NotFound | StorageError::Refused(_)) => Ok(false),
            other => other,
        };
        match object_type {
            "consent" => {
                let case: Option<i64> = self
                    .conn()
                    .query_row("SELECT case_id FROM consent WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })
                    .optional()?;
                let Some(case) = case else { return Ok(false) };
                gone(self.load_case(me, CaseId(case)).map(|_| true))
            }
            "conference" => gone(self.conference(me, id).map(|_| true)),
            "cp_referral" => gone(
                self.referral(
                    me,
                    id,
                    self.now(),
                    &WorkCalendar::default(),
                    &Deadlines::default(),
                )
                .map(|_| true),
            ),
            "report" => Ok(me.has_role(Role::Lead) || me.has_role(Role::Dpo)),
            _ => Ok(false),
        }
    }
}
