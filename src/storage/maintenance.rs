//! Operating the database file: online backup, restore, rekey and the checks of
//! `tandem check` (docs/architecture.md § 5.9, § 5.13). Backups go only through SQLite's
//! backup API; the live file is never copied with ordinary file I/O.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::key::DbKey;
use super::{StorageError, Store, apply_key, quiet_cipher_log};

/// Pages copied per backup step. The steps run inside one read transaction of the source,
/// so the copy is one consistent snapshot however long it takes, and writers carry on (WAL).
const PAGES_PER_STEP: std::ffi::c_int = 4096;

/// How long [`Store::claim_exclusive`] waits for the exclusive lock.
const EXCLUSIVE_WAIT: Duration = Duration::from_millis(200);

/// What `tandem check` found: each check's result ("ok" or the first problem).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// `PRAGMA integrity_check`: "ok" or the first lines it printed.
    pub integrity: String,
    /// `PRAGMA cipher_integrity_check`: `None` for a plaintext file, `Some(empty)` when every
    /// page's HMAC is right, else the problems reported.
    pub cipher: Option<Vec<String>>,
}

impl Store {
    /// Whether this store was opened with a key (encrypted file).
    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    /// `PRAGMA integrity_check` (up to 10 lines) and, for an encrypted file,
    /// `PRAGMA cipher_integrity_check` (the HMAC of every page).
    pub fn check(&self) -> Result<CheckReport, StorageError> {
        let lines = |sql: &str| -> Result<Vec<String>, StorageError> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        let integrity = lines("PRAGMA integrity_check(10)")?.join("; ");
        let cipher = if self.encrypted {
            Some(lines("PRAGMA cipher_integrity_check")?)
        } else {
            None
        };
        Ok(CheckReport { integrity, cipher })
    }

    /// `PRAGMA wal_checkpoint(TRUNCATE)`: moves every committed page from the WAL into the
    /// database file and empties the WAL. Returns whether it completed (not blocked by a
    /// reader).
    pub fn checkpoint_truncate(&self) -> Result<bool, StorageError> {
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        Ok(busy == 0)
    }

    /// The number of sessions recorded as running whose process is still alive.
    pub fn running_sessions(&self) -> Result<usize, StorageError> {
        let mut stmt = self
            .conn
            .prepare("SELECT pid, proc_start FROM app_session WHERE ended_at IS NULL")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
        let mut n = 0;
        for row in rows {
            let (pid, start) = row?;
            if super::sessions::still_running(pid, start) {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Takes the database file for this connection alone: `locking_mode = EXCLUSIVE` and an
    /// exclusive transaction, kept until the store is dropped. In WAL mode every open
    /// connection holds a shared lock on the file, so this fails with
    /// [`StorageError::InUse`] while any other connection — a session, a backup, a
    /// script — has the file open, and afterwards nobody else can open it.
    pub fn claim_exclusive(&mut self) -> Result<(), StorageError> {
        self.conn.busy_timeout(EXCLUSIVE_WAIT)?;
        let claimed = self
            .conn
            .query_row("PRAGMA locking_mode = EXCLUSIVE", [], |_| Ok(()))
            .and_then(|()| self.conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;"));
        let result = match claimed {
            Ok(()) => Ok(()),
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                ) =>
            {
                let _ = self.conn.execute_batch("ROLLBACK");
                let _ = self
                    .conn
                    .query_row("PRAGMA locking_mode = NORMAL", [], |_| Ok(()));
                Err(StorageError::InUse)
            }
            Err(e) => Err(e.into()),
        };
        self.conn.busy_timeout(Duration::from_secs(5))?;
        result
    }

    /// Writes a consistent copy of the database to the new file `target` through SQLite's
    /// online backup API while other connections keep writing. The copy is encrypted with
    /// `key` (SQLCipher refuses a backup between an encrypted and a plaintext file, so a
    /// keyed store can never leak a plaintext copy). It is written under a temporary name
    /// beside `target` and linked into place when complete; an existing `target` is
    /// refused. `progress(copied, total)` is called after every step.
    pub fn backup_to(
        &self,
        target: &Path,
        key: Option<&DbKey>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<(), StorageError> {
        if std::fs::symlink_metadata(target).is_ok() {
            return Err(StorageError::CannotOpen);
        }
        let tmp = temp_beside(target)?;
        let result = self.backup_into_file(&tmp, key, progress).and_then(|()| {
            // The copy is complete and closed: make it durable, then give it its name
            // (a hard link fails if the name appeared meanwhile).
            std::fs::File::open(&tmp)
                .and_then(|f| f.sync_all())
                .and_then(|()| std::fs::hard_link(&tmp, target))
                .map_err(|_| StorageError::CannotOpen)
        });
        remove_with_companions(&tmp);
        result?;
        if let Some(dir) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }

    fn backup_into_file(
        &self,
        file: &Path,
        key: Option<&DbKey>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<(), StorageError> {
        let mut dest = Connection::open_with_flags(
            file,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        restrict(file);
        quiet_cipher_log(&dest)?;
        if let Some(key) = key {
            apply_key(&dest, key)?;
        }
        // Like every connection: nothing of the copy in a temporary file.
        dest.pragma_update(None, "temp_store", "MEMORY")?;
        // One read transaction on the source around all steps: the copy is the snapshot of
        // its start, and the backup is never restarted by other writers.
        self.conn.execute_batch("BEGIN DEFERRED")?;
        let copied = (|| -> Result<(), StorageError> {
            self.conn
                .query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
            let backup = Backup::new(&self.conn, &mut dest)?;
            loop {
                let step = backup.step(PAGES_PER_STEP)?;
                let p = backup.progress();
                let total = u64::try_from(p.pagecount).unwrap_or(0);
                let left = u64::try_from(p.remaining).unwrap_or(0);
                progress(total.saturating_sub(left), total);
                match step {
                    StepResult::Done => return Ok(()),
                    StepResult::More => {}
                    // Only the destination can be busy or locked (a file nobody else knows).
                    _ => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        })();
        let _ = self.conn.execute_batch("COMMIT");
        copied?;
        // The copy is a single file: no WAL left beside it.
        dest.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        dest.close().map_err(|(_, e)| StorageError::Sqlite(e))?;
        Ok(())
    }

    /// Replaces the whole content of this database by that of `source` (the backup API
    /// into this connection). The caller holds the file exclusively
    /// ([`Store::claim_exclusive`]) and has checked `source`.
    pub fn restore_from(&mut self, source: &Store) -> Result<(), StorageError> {
        {
            let backup = Backup::new(&source.conn, &mut self.conn)?;
            backup.run_to_completion(PAGES_PER_STEP, Duration::from_millis(0), None)?;
        }
        self.checkpoint_truncate()?;
        Ok(())
    }

    /// Re-encrypts every page with `key` (`PRAGMA rekey`) and checkpoints, so that the
    /// database file and an empty WAL hold only pages under the new key. The caller holds
    /// the file exclusively: another connection still keyed with the old key could not read
    /// the new pages. SQLCipher reports success even when the rewrite was rolled back, so
    /// the caller verifies by opening the file with the new key.
    pub fn rekey(&self, key: &DbKey) -> Result<(), StorageError> {
        if !self.encrypted {
            return Err(StorageError::NotADatabase);
        }
        self.conn
            .execute_batch(&key.pragma("rekey"))
            .map_err(|_| StorageError::WrongKey)?;
        self.checkpoint_truncate()?;
        Ok(())
    }
}

/// `.<name>.tmp-<pid>` beside `target`; a leftover of an earlier crash is removed.
fn temp_beside(target: &Path) -> Result<PathBuf, StorageError> {
    let name = target.file_name().ok_or(StorageError::CannotOpen)?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = target.with_file_name(tmp_name);
    remove_with_companions(&tmp);
    Ok(tmp)
}

fn remove_with_companions(file: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = file.as_os_str().to_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

#[cfg(unix)]
fn restrict(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
}

#[cfg(not(unix))]
fn restrict(_path: &Path) {}
