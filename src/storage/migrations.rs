//! Numbered migrations, embedded with `include_str!`; a shipped file is never edited.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use super::{APPLICATION_ID, StorageError};

/// The migrations in order; index + 1 is the schema version.
fn list() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/0001_init.sql")),
        M::up(include_str!("migrations/0002_drafts.sql")),
        M::up(include_str!("migrations/0003_audit.sql")),
        M::up(include_str!("migrations/0004_case_file.sql")),
        M::up(include_str!("migrations/0005_child_protection.sql")),
        M::up(include_str!("migrations/0006_conferences.sql")),
    ])
}

/// The schema version this program expects.
pub const LATEST: usize = 6;

/// Brings the database to [`LATEST`] and stamps the application id.
pub fn migrate(conn: &mut Connection) -> Result<(), StorageError> {
    list()
        .to_latest(conn)
        .map_err(|e| StorageError::Migration(e.to_string()))?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    Ok(())
}

/// Checks the migration list itself (used by a test).
pub fn validate() -> Result<(), StorageError> {
    list()
        .validate()
        .map_err(|e| StorageError::Migration(e.to_string()))
}
