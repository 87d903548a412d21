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

/// The one number a read-only query returns, for tests that recompute a figure with SQL of
/// their own (`tests/coop.rs`). A query that writes is refused by SQLite's read-only
/// statement check.
#[doc(hidden)]
pub fn scalar(store: &Store, sql: &str) -> Result<u64, StorageError> {
    let conn = store.conn();
    let mut stmt = conn.prepare(sql)?;
    if !stmt.readonly() {
        return Err(StorageError::NotFound);
    }
    let n: i64 = stmt.query_row([], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Runs statements on the store's own connection, for tests that build a database of
/// random content (`tests/report_props.rs`): no checks, no audit.
#[doc(hidden)]
pub fn execute(
    store: &Store,
    sql: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<i64, StorageError> {
    store.conn().execute(sql, params)?;
    Ok(store.conn().last_insert_rowid())
}

/// Sets how the case list plans its pages, for the test that proves every plan gives the
/// same list (`tests/list_order.rs`).
#[doc(hidden)]
pub fn set_list_plan(store: &Store, plan: super::cases::ListPlan) {
    store.list_plan.set(plan);
}
