//! Typed storage errors; `app` maps each to a German message.

use std::path::PathBuf;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The database file does not exist.
    #[error("database file not found: {0}")]
    Missing(PathBuf),
    /// The file cannot be opened (permissions, directory missing).
    #[error("database file cannot be opened")]
    CannotOpen,
    /// The file is not an SQLite database (or is corrupt).
    #[error("not a database")]
    NotADatabase,
    /// The key does not open the file: a wrong key, or a damaged or plaintext file
    /// opened with a key (the file is not touched).
    #[error("the key does not open the database")]
    WrongKey,
    /// The key file cannot be used (missing, unreadable, open to others, malformed, not
    /// written). Carries its path, never its content.
    #[error("key file {file}: {problem}")]
    KeyFile {
        /// What is wrong with it.
        problem: crate::storage::key::KeyFileError,
        /// Where it is.
        file: PathBuf,
    },
    /// Opened without a key (no key file), the file is no plaintext database: it is
    /// encrypted and its key file is missing, or it is damaged or foreign. Carries the path
    /// of the key file looked for.
    #[error("not a plaintext database, and no key file")]
    NoKey(PathBuf),
    /// Another session or process has the database open (restore, rekey).
    #[error("database in use")]
    InUse,
    /// An SQLite database, but not Tandem's.
    #[error("not a Tandem database")]
    Foreign,
    /// The schema is older than this program; run `tandem migrate`.
    #[error("schema version {found} is older than {expected}")]
    SchemaTooOld {
        /// Version in the file.
        found: i64,
        /// Version this program expects.
        expected: i64,
    },
    /// The schema is newer than this program.
    #[error("schema version {found} is newer than {expected}")]
    SchemaTooNew {
        /// Version in the file.
        found: i64,
        /// Version this program expects.
        expected: i64,
    },
    /// WAL mode could not be switched on (for example on a network file system).
    #[error("journal mode is {0}, not wal")]
    NotWal(String),
    /// The record does not exist or the user may not see it (the two are not told apart).
    #[error("record not found")]
    NotFound,
    /// Someone else saved the record since it was loaded.
    #[error("record changed by someone else")]
    Conflict {
        /// Display name of the staff member who saved last, if known.
        by: Option<String>,
        /// When they saved (UTC, as stored).
        at: Option<String>,
    },
    /// The person may read but not change the record (team lead, break-glass).
    #[error("read only")]
    ReadOnly,
    /// A write, transfer, grant or step broke a rule; the reason is typed and has a text in
    /// the string tables (docs/access.md A7). A refused write of case data also leaves an
    /// audit row `refused` with the reason's code.
    #[error("refused: {}", .0.code())]
    Refused(crate::domain::refusal::Refusal),
    /// Migrations failed.
    #[error("migration failed: {0}")]
    Migration(String),
    /// Any other SQLite error.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

impl StorageError {
    /// Whether the database file could be read but not written.
    pub fn is_read_only(&self) -> bool {
        matches!(self, StorageError::Sqlite(e) if matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::ReadOnly)
        ))
    }

    /// Whether a query was cut short by [`crate::storage::Store::interruptible`] (input
    /// arrived while a count ran in idle time).
    pub fn is_interrupted(&self) -> bool {
        matches!(self, StorageError::Sqlite(e) if matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::OperationInterrupted)
        ))
    }

    /// Whether the database was busy beyond the busy timeout.
    pub fn is_busy(&self) -> bool {
        matches!(self, StorageError::Sqlite(e) if matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        ))
    }
}
