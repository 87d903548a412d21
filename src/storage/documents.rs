//! Printed documents (docs/documents.md § 2): each PDF written into the export folder is
//! recorded with its maker, the record it shows and its bare file name, and audited as a
//! print. The SSH verb `dokument N` asks here for the file of number N, which only its
//! maker gets; every fetch and every refusal is audited. No content is stored.

use rusqlite::{OptionalExtension, params};

use super::audit::{AuditAction, AuditEntry, append_at};
use super::{StorageError, Store, ts};
use crate::domain::Staff;

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

    /// The file name of document `n` for `me`, who must have made it; None for a number
    /// that does not exist or is someone else's (both audited as `refused`, the same
    /// answer so a number tells nothing). A fetch is audited as `export` of `document` N.
    pub fn document_for(&self, me: &Staff, n: i64) -> Result<Option<String>, StorageError> {
        let at = ts(self.now());
        self.write(|tx| {
            let found: Option<(i64, String)> = tx
                .query_row(
                    "SELECT made_by, file FROM document WHERE id = ?1",
                    [n],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let file = found
                .filter(|(by, file)| *by == me.id.0 && is_bare_name(file))
                .map(|(_, file)| file);
            let action = if file.is_some() {
                AuditAction::Export
            } else {
                AuditAction::Refused
            };
            append_at(
                tx,
                &AuditEntry::new(action, DOCUMENT)
                    .by(me)
                    .object(n)
                    .detail("ssh"),
                &at,
            )?;
            Ok(file)
        })
    }
}
