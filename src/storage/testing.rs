//! A deliberately UNPROTECTED save path, used only by the negative control of
//! `tests/concurrency.rs` (docs/architecture.md § 8, "Concurrency stress").
//!
//! The stress test must prove that it can *see* lost updates; otherwise "0 lost" would prove
//! nothing. This module therefore does what a naive implementation would do: a `DEFERRED`
//! transaction with a plain `UPDATE … WHERE id = ?`, without the optimistic version check of
//! docs/architecture.md § 5.3 and without `BEGIN IMMEDIATE` (§ 5.2). It also skips the read model.
//!
//! **Never use this from the application.** Every write of Tandem goes through
//! [`Store::write`] and the version-checked saves of [`super::cases`]. The module is hidden
//! from the documentation; nothing in `src` outside this file may refer to it.
//!
//! May use: `domain`, rusqlite. Used by: `tests/concurrency.rs` only.
#![doc(hidden)]

use rusqlite::params;

use super::{StorageError, Store};
use crate::domain::CaseId;
use crate::model::draft::SessionId;

/// Overwrites the question of a case WITHOUT any version check, in a `DEFERRED` transaction
/// (negative control of the concurrency stress test only; see the module documentation).
#[doc(hidden)]
pub fn update_question_unprotected(
    store: &Store,
    case_id: CaseId,
    question: &str,
) -> Result<(), StorageError> {
    let conn = store.conn();
    // Issued by hand: `Store::write` and `unchecked_transaction` use the IMMEDIATE default.
    conn.execute_batch("BEGIN DEFERRED")?;
    let done = conn
        .execute(
            "UPDATE coop_case SET question = ?1, version = version + 1 WHERE id = ?2",
            params![question, case_id.0],
        )
        .and_then(|_| conn.execute_batch("COMMIT"));
    if let Err(e) = done {
        // Best effort: the transaction may already be gone.
        let _ = conn.execute_batch("ROLLBACK");
        return Err(e.into());
    }
    Ok(())
}

/// Marks session `id` as one whose process is gone (a `kill -9` or hang-up played inside the
/// one process of a test, where the real pid would still look alive): its pid and start
/// time become values no running process has. The session is not marked as ended, just
/// as a killed process leaves it.
#[doc(hidden)]
pub fn mark_session_dead(store: &Store, id: &SessionId) -> Result<(), StorageError> {
    store.write(|tx| {
        tx.execute(
            "UPDATE app_session SET pid = -1, proc_start = -1 WHERE id = ?1",
            params![id.0],
        )?;
        Ok(())
    })
}
