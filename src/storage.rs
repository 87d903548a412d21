//! The SQLite store: one open function with fixed PRAGMAs, numbered migrations, short
//! IMMEDIATE write transactions and optimistic version checks.
//!
//! May use: `domain`, `model`, rusqlite, rusqlite_migration, serde. Must not use: `ui`, `app`,
//! `keymap`, `terminal`, ratatui.

pub mod audit;
pub mod casefile;
pub mod cases;
pub mod conf_minutes;
pub mod conferences;
pub mod coop;
pub mod documents;
pub mod dpo;
pub mod drafts;
pub mod early_help;
pub mod error;
pub mod export_request;
pub mod handover;
pub mod key;
mod maintenance;
pub mod migrations;
pub mod oncall;
pub mod records;
pub mod referrals;
pub mod report;
pub mod restriction;
pub mod retention;
pub mod sessions;
pub mod ssh_keys;
pub mod staff;
pub mod staff_admin;
pub mod subject;
pub mod testing;
pub mod withdrawal;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::domain::Clock;

pub use audit::{
    Anchor, AuditAction, AuditEntry, AuditReport, AuditRow, BadKind, BadRow, HistoryRow,
};
pub use error::StorageError;
pub use key::{DbKey, KeyFileError};
pub use maintenance::CheckReport;

/// `PRAGMA application_id` of every Tandem database ("TAND").
pub const APPLICATION_ID: i32 = 0x5441_4E44;

/// How often `BEGIN IMMEDIATE` is tried again after waiting the whole busy timeout.
const BEGIN_ATTEMPTS: u32 = 2;

/// How [`Store::open`] treats the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// The file must exist, be a Tandem database and have exactly the current schema.
    /// Used by the interactive program: it never migrates.
    Existing,
    /// Create the file if missing and migrate it to the current schema (`demo`, `seed`,
    /// `migrate`).
    CreateOrMigrate,
    /// The file must exist and have exactly the current schema; it is opened read-only and
    /// never written, not even its journal mode (checking a backup copy before a restore).
    ReadOnly,
}

/// The one handle to the database of a process.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// Where "now" and "today" come from for every decision and timestamp of this store
    /// (absences, consent validity, break-glass grants, draft expiry, `*_at` columns).
    clock: Clock,
    /// Whether the file was opened with a key (SQLCipher), docs/architecture.md § 5.13.
    encrypted: bool,
    /// How the case list plans its pages; fixed except in the tests that compare the
    /// plans with each other (through `set_list_plan` of the test-only module).
    list_plan: std::cell::Cell<cases::ListPlan>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens the database at `path` without a key (a plaintext file: tests, benchmarks,
    /// and installations from before encryption). See [`Store::open_keyed`].
    pub fn open(path: &Path, mode: OpenMode) -> Result<Store, StorageError> {
        Store::open_keyed(path, mode, None)
    }

    /// Opens the database at `path` with the fixed settings of docs/architecture.md § 5,
    /// encrypted with `key` (SQLCipher) when one is given. A foreign, corrupt or mismatched
    /// file, and a wrong key, are refused before anything is written to it.
    pub fn open_keyed(
        path: &Path,
        mode: OpenMode,
        key: Option<&DbKey>,
    ) -> Result<Store, StorageError> {
        let exists = path.exists();
        if mode != OpenMode::CreateOrMigrate && !exists {
            return Err(StorageError::Missing(path.to_path_buf()));
        }
        if exists && !path.is_file() {
            return Err(StorageError::NotADatabase);
        }
        let mut flags = OpenFlags::SQLITE_OPEN_NO_MUTEX;
        flags |= match mode {
            OpenMode::Existing => OpenFlags::SQLITE_OPEN_READ_WRITE,
            OpenMode::CreateOrMigrate => {
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
            }
            OpenMode::ReadOnly => OpenFlags::SQLITE_OPEN_READ_ONLY,
        };
        let conn = Connection::open_with_flags(path, flags).map_err(classify_open_error)?;
        if let Some(key) = key {
            apply_key(&conn, key)?;
        }
        let fresh = check_identity(&conn, mode).map_err(|e| match e {
            // With a key, "not a database" is what a wrong key looks like (the first page
            // does not decrypt); the file is not touched either way.
            StorageError::NotADatabase if key.is_some() => StorageError::WrongKey,
            e => e,
        })?;
        let mut store = Store {
            conn,
            path: Some(path.to_path_buf()),
            clock: Clock::system(),
            encrypted: key.is_some(),
            list_plan: std::cell::Cell::default(),
        };
        store.apply_settings(mode != OpenMode::ReadOnly)?;
        if mode == OpenMode::CreateOrMigrate {
            migrations::migrate(&mut store.conn, &store.clock)?;
            if fresh {
                restrict_permissions(path);
            }
        }
        Ok(store)
    }

    /// An empty in-memory database without a schema: what a session leaves behind when it
    /// hands its store on ([`crate::app::App::into_store`]).
    pub fn detached() -> Result<Store, StorageError> {
        Ok(Store {
            conn: Connection::open_in_memory()?,
            path: None,
            clock: Clock::system(),
            encrypted: false,
            list_plan: std::cell::Cell::default(),
        })
    }

    /// A migrated in-memory database for tests and benchmarks (no WAL: memory only).
    pub fn open_in_memory() -> Result<Store, StorageError> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store {
            conn,
            path: None,
            clock: Clock::system(),
            encrypted: false,
            list_plan: std::cell::Cell::default(),
        };
        store.apply_settings(false)?;
        migrations::migrate(&mut store.conn, &store.clock)?;
        Ok(store)
    }

    /// Replaces the store's clock (the system clock after opening): a session shares one
    /// clock between app and store, a test fixes it (docs/domain.md 7).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// The clock this store reads "now" and "today" from.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The current instant by the store's clock.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today's Berlin date by the store's clock (docs/domain.md 7).
    pub(crate) fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// The file this store was opened from, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn apply_settings(&mut self, wal: bool) -> Result<(), StorageError> {
        let conn = &mut self.conn;
        // Sorts, temporary indices and TEMP tables stay in memory: SQLCipher encrypts the
        // database and its journal, not SQLite's temporary files (docs/architecture.md § 5).
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        if wal {
            let mode: String =
                conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StorageError::NotWal(mode));
            }
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "trusted_schema", "OFF")?;
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
        // 16 MiB of decrypted pages per session: the indexes a list walk touches stay
        // decrypted between keystrokes, within the memory budget (docs/performance.md § 3).
        conn.pragma_update(None, "cache_size", -16_384)?;
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        // Settings of this session's connection (not shared with other sessions): the
        // office-wide switches that the configuration file sets at start.
        conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS session_setting \
             (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
        )?;
        Ok(())
    }

    /// Whether the content feedback on a referral needs a lead's second signature (the
    /// configuration switch `feedback-lead-signs` of `[child-protection]`, on by default;
    /// docs/casework.md § 6).
    pub fn feedback_lead_signs(&self) -> bool {
        self.conn
            .prepare_cached(
                "SELECT value FROM temp.session_setting WHERE key = 'feedback_lead_signs'",
            )
            .and_then(|mut s| s.query_row([], |r| r.get::<_, i64>(0)))
            .map_or(true, |v| v == 1)
    }

    /// Sets [`Store::feedback_lead_signs`] for this connection.
    pub fn set_feedback_lead_signs(&self, on: bool) -> Result<(), StorageError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO temp.session_setting (key, value) VALUES ('feedback_lead_signs', ?1)",
            [i64::from(on)],
        )?;
        Ok(())
    }

    /// How much the calendar titles of this connection's exports say (`ics-titles` in
    /// `[conferences]`; neutral unless set; docs/data-exits.md).
    pub fn ics_titles(&self) -> crate::domain::ics::IcsTitles {
        let initials = self
            .conn
            .prepare_cached("SELECT value FROM temp.session_setting WHERE key = 'ics_initials'")
            .and_then(|mut s| s.query_row([], |r| r.get::<_, i64>(0)))
            .is_ok_and(|v| v == 1);
        if initials {
            crate::domain::ics::IcsTitles::Initials
        } else {
            crate::domain::ics::IcsTitles::Neutral
        }
    }

    /// Sets [`Store::ics_titles`] for this connection.
    pub fn set_ics_titles(
        &self,
        titles: crate::domain::ics::IcsTitles,
    ) -> Result<(), StorageError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO temp.session_setting (key, value) VALUES ('ics_initials', ?1)",
            [i64::from(titles == crate::domain::ics::IcsTitles::Initials)],
        )?;
        Ok(())
    }

    /// Whether deputies stand in at all times on this connection.
    pub fn permanent_deputies(&self) -> bool {
        casefile::permanent_deputies(&self.conn).unwrap_or(false)
    }

    /// Deputies stand in at all times, not only while the colleague is away (the
    /// configuration switch `permanent-deputies`, off by default; docs/access.md A2).
    pub fn set_permanent_deputies(&self, on: bool) -> Result<(), StorageError> {
        if !on && !self.permanent_deputies() {
            return Ok(());
        }
        self.conn.execute(
            "INSERT OR REPLACE INTO temp.session_setting (key, value) VALUES ('permanent_deputies', ?1)",
            [i64::from(on)],
        )?;
        Ok(())
    }

    /// Runs `f` in one short `BEGIN IMMEDIATE` transaction and commits it; any error rolls
    /// everything back. This is the only way Tandem writes.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        // With IMMEDIATE, "busy" can only come from BEGIN, before anything ran, so trying
        // again is safe. SQLite's busy handler does not queue waiters: under load one
        // writer can lose the race for the whole busy timeout while others keep winning.
        let mut attempts = 0;
        let tx = loop {
            match self.conn.unchecked_transaction() {
                Err(ref e)
                    if attempts < BEGIN_ATTEMPTS
                        && matches!(
                            e.sqlite_error_code(),
                            Some(
                                rusqlite::ErrorCode::DatabaseBusy
                                    | rusqlite::ErrorCode::DatabaseLocked
                            )
                        ) =>
                {
                    attempts += 1;
                    tracing::warn!(attempts, "database busy, trying again");
                }
                other => break other?,
            }
        };
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Read access for queries that finish before they return (never held while a person
    /// looks at the screen).
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` and cuts its queries short as soon as `stop` says so; `stop` is asked
    /// every thousand SQLite steps (well under a millisecond, also when they read pages). An interrupted `f` fails with an error for which
    /// [`StorageError::is_interrupted`] holds. Used for work done in idle time, such as
    /// the count of a long list, which a keystroke must not wait for
    /// (docs/performance.md § 2). Only for reads: a write is never interrupted.
    pub fn interruptible<T>(
        &self,
        stop: impl FnMut() -> bool + Send + 'static,
        f: impl FnOnce(&Store) -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        self.conn.progress_handler(1_000, Some(stop))?;
        let result = f(self);
        self.conn.progress_handler(0, None::<fn() -> bool>)?;
        result
    }

    /// `PRAGMA data_version`: changes when another connection committed.
    pub fn data_version(&self) -> Result<i64, StorageError> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// `PRAGMA integrity_check` result ("ok" when healthy).
    pub fn integrity_check(&self) -> Result<String, StorageError> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// Reads back one PRAGMA as text (for tests of the fixed settings).
    pub fn pragma_text(&self, name: &str) -> Result<String, StorageError> {
        Ok(self
            .conn
            .query_row(&format!("PRAGMA {name}"), [], |r| {
                r.get::<_, rusqlite::types::Value>(0)
            })
            .map(|v| match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })?)
    }
}

/// Switches SQLCipher's own log off (it writes decryption failures to stderr, onto the
/// user's screen) and keys the connection with the raw key. Nothing of the key reaches an
/// error: any failure is the fixed [`StorageError::WrongKey`].
fn apply_key(conn: &Connection, key: &DbKey) -> Result<(), StorageError> {
    quiet_cipher_log(conn)?;
    conn.execute_batch(&key.pragma("key"))
        .map_err(|_| StorageError::WrongKey)
}

/// `PRAGMA cipher_log = off` and `cipher_log_level = NONE` (process-wide settings of
/// SQLCipher), before any key is applied.
pub(crate) fn quiet_cipher_log(conn: &Connection) -> Result<(), StorageError> {
    conn.query_row("PRAGMA cipher_log = off", [], |_| Ok(()))?;
    conn.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()))?;
    Ok(())
}

fn classify_open_error(e: rusqlite::Error) -> StorageError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StorageError::NotADatabase,
        Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::PermissionDenied) => {
            StorageError::CannotOpen
        }
        _ => StorageError::Sqlite(e),
    }
}

/// Checks application id and schema version without writing. Returns whether the file is
/// still empty (a new database).
fn check_identity(conn: &Connection, mode: OpenMode) -> Result<bool, StorageError> {
    let read = |sql: &str| -> Result<i64, StorageError> {
        conn.query_row(sql, [], |r| r.get::<_, i64>(0))
            .map_err(classify_open_error)
    };
    let pages = read("PRAGMA page_count")?;
    let app_id = read("PRAGMA application_id")?;
    let version = read("PRAGMA user_version")?;
    let fresh = pages == 0;
    if fresh {
        return match mode {
            OpenMode::CreateOrMigrate => Ok(true),
            OpenMode::Existing | OpenMode::ReadOnly => Err(StorageError::Foreign),
        };
    }
    if app_id != i64::from(APPLICATION_ID) {
        return Err(StorageError::Foreign);
    }
    let latest = i64::try_from(migrations::LATEST).unwrap_or(i64::MAX);
    if version > latest {
        return Err(StorageError::SchemaTooNew {
            found: version,
            expected: latest,
        });
    }
    if mode != OpenMode::CreateOrMigrate && version < latest {
        return Err(StorageError::SchemaTooOld {
            found: version,
            expected: latest,
        });
    }
    Ok(false)
}

#[cfg(unix)]
fn restrict_permissions(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    // Best effort: the directory of the service account is 0700 anyway (docs/architecture.md § 5.12).
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
}

#[cfg(not(unix))]
fn restrict_permissions(_path: &Path) {}

/// An instant in the stored form of `*_at` columns (UTC, milliseconds, `Z`).
pub(crate) fn ts(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The Berlin calendar day of instant `now` (docs/domain.md 7): absences and validity are
/// calendar days there.
pub(crate) fn berlin_day(now: DateTime<Utc>) -> NaiveDate {
    crate::domain::tz::to_local(now).date()
}

/// A stored instant; None when the column holds something else.
pub(crate) fn parse_ts(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}
