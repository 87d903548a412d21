//! Sessions: one row per running program, so that drafts belong to the session that typed
//! them (docs/architecture.md § 4). A session has ended when it logged out, or when its
//! process is gone (hang-up, `kill -9`, power loss) — checked against the process table,
//! which is exact because every session runs on the one host that holds the database (WAL
//! needs a local disk, docs/architecture.md § 5).

use rusqlite::{OptionalExtension as _, params};

use super::{StorageError, Store, ts};
use crate::domain::StaffId;
use crate::model::draft::SessionId;

/// The start time of process `pid` in clock ticks after boot (field 22 of
/// `/proc/<pid>/stat`); `None` when there is no such process or it has exited and waits
/// only to be reaped (a zombie).
fn process_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces or ')'.
    let mut fields = stat[stat.rfind(')')? + 1..].split_whitespace();
    if matches!(fields.next(), Some("Z" | "X" | "x")) {
        return None;
    }
    fields.nth(18)?.parse().ok()
}

/// This process: its pid and start time.
fn this_process() -> (u32, u64) {
    let pid = std::process::id();
    (pid, process_start(pid).unwrap_or(0))
}

/// Whether the process that began a session still runs (the same pid and start time).
pub(super) fn still_running(pid: i64, start: i64) -> bool {
    u32::try_from(pid)
        .ok()
        .and_then(process_start)
        .is_some_and(|s| i64::try_from(s).ok() == Some(start))
}

impl Store {
    /// Records the start of a session of `staff` in this process.
    pub fn begin_session(&self, staff: StaffId) -> Result<SessionId, StorageError> {
        let (pid, start) = this_process();
        let now = ts(self.now());
        self.write(|tx| {
            let id: String = tx.query_row(
                "INSERT INTO app_session (id, staff_id, pid, proc_start, started_at) \
                 VALUES (lower(hex(randomblob(12))), ?1, ?2, ?3, ?4) RETURNING id",
                params![
                    staff.0,
                    i64::from(pid),
                    i64::try_from(start).unwrap_or(0),
                    now
                ],
                |r| r.get(0),
            )?;
            Ok(SessionId(id))
        })
    }

    /// Records the end of a session; its drafts are offered at the next login.
    pub fn end_session(&self, id: &SessionId) -> Result<(), StorageError> {
        let now = ts(self.now());
        self.write(|tx| {
            tx.execute(
                "UPDATE app_session SET ended_at = ?2 WHERE id = ?1 AND ended_at IS NULL",
                params![id.0, now],
            )?;
            Ok(())
        })
    }

    /// Whether session `id` is still running: not ended, and its process alive. A session
    /// that is not recorded (drafts from before schema 9) has ended.
    pub fn session_running(&self, id: &SessionId) -> Result<bool, StorageError> {
        let row: Option<(i64, i64, Option<String>)> = self
            .conn()
            .query_row(
                "SELECT pid, proc_start, ended_at FROM app_session WHERE id = ?1",
                [&id.0],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(match row {
            Some((pid, start, None)) => still_running(pid, start),
            _ => false,
        })
    }

    /// Forgets the ended sessions of `staff` that hold no draft (called at login).
    pub fn forget_ended_sessions(&self, staff: StaffId) -> Result<(), StorageError> {
        let rows: Vec<(String, i64, i64, Option<String>)> = {
            let mut stmt = self.conn().prepare_cached(
                "SELECT id, pid, proc_start, ended_at FROM app_session s WHERE staff_id = ?1 \
                 AND NOT EXISTS (SELECT 1 FROM draft d WHERE d.session = s.id)",
            )?;
            stmt.query_map([staff.0], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?
        };
        let gone: Vec<String> = rows
            .into_iter()
            .filter(|(_, pid, start, ended)| ended.is_some() || !still_running(*pid, *start))
            .map(|(id, ..)| id)
            .collect();
        if gone.is_empty() {
            return Ok(());
        }
        self.write(|tx| {
            let mut stmt = tx.prepare_cached("DELETE FROM app_session WHERE id = ?1")?;
            for id in &gone {
                stmt.execute([id])?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_runs_and_a_reused_pid_does_not_count() {
        let (pid, start) = this_process();
        assert!(start > 0, "/proc gives a start time");
        let (pid, start) = (i64::from(pid), i64::try_from(start).unwrap_or(0));
        assert!(still_running(pid, start));
        assert!(!still_running(pid, start + 1), "same pid, other process");
        assert!(!still_running(i64::from(u32::MAX), start));
        assert!(!still_running(-1, start));
    }
}
