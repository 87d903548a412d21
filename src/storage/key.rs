//! The database key of encryption at rest (docs/architecture.md § 5.13): a raw 256-bit
//! SQLCipher key, kept in a key file of the service account, never in argv, the
//! environment, a log or an error message.
//!
//! The key file holds 64 hex digits and a line break. It must be a regular file that
//! neither group nor others may read, write or execute (mode 0600 or 0400): anything else
//! is refused before the database is touched.

use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

/// Bytes of a raw SQLCipher key (AES-256).
const KEY_BYTES: usize = 32;

/// A raw 256-bit database key. Its `Debug` shows nothing of the key, and it is overwritten
/// with zeros when dropped (best effort: copies the allocator made are not reached).
#[derive(Clone, PartialEq, Eq)]
pub struct DbKey([u8; KEY_BYTES]);

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbKey(…)")
    }
}

impl Drop for DbKey {
    fn drop(&mut self) {
        self.0 = [0; KEY_BYTES];
        std::hint::black_box(&self.0);
    }
}

/// Why a key file cannot be used. The variants carry no content of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeyFileError {
    /// There is no key file at the path.
    #[error("key file missing")]
    Missing,
    /// The key file exists but cannot be read (permissions, not a regular file).
    #[error("key file unreadable")]
    Unreadable,
    /// Group or others may read, write or execute the key file (the mode bits given).
    #[error("key file mode {0:o} is too open")]
    TooOpen(u32),
    /// The file does not hold exactly 64 hex digits.
    #[error("key file malformed")]
    Malformed,
    /// A new key file could not be written (or one exists already where a new one was to
    /// be created).
    #[error("key file not written")]
    NotWritten,
}

impl DbKey {
    /// A new random key from the operating system's random source.
    pub fn generate() -> Result<DbKey, KeyFileError> {
        let mut bytes = [0u8; KEY_BYTES];
        let mut filled = 0;
        while filled < KEY_BYTES {
            match rustix::rand::getrandom(
                &mut bytes[filled..],
                rustix::rand::GetRandomFlags::empty(),
            ) {
                Ok(n) => filled += n,
                Err(rustix::io::Errno::INTR) => {}
                Err(_) => return Err(KeyFileError::NotWritten),
            }
        }
        Ok(DbKey(bytes))
    }

    /// The key from `hex` (64 hex digits, surrounding white space ignored).
    fn from_hex(hex: &str) -> Option<DbKey> {
        let hex = hex.trim().as_bytes();
        if hex.len() != KEY_BYTES * 2 {
            return None;
        }
        let digit = |c: u8| {
            char::from(c)
                .to_digit(16)
                .and_then(|d| u8::try_from(d).ok())
        };
        let mut bytes = [0u8; KEY_BYTES];
        for (i, pair) in hex.chunks_exact(2).enumerate() {
            bytes[i] = digit(pair[0])? << 4 | digit(pair[1])?;
        }
        Some(DbKey(bytes))
    }

    /// The key as 64 lower-case hex digits.
    fn hex(&self) -> String {
        use std::fmt::Write as _;
        self.0.iter().fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
    }

    /// The statement that keys a connection with this raw key (no key derivation: a
    /// passphrase would cost about 145 ms of PBKDF2 per open).
    pub(crate) fn pragma(&self, name: &str) -> String {
        format!("PRAGMA {name} = \"x'{}'\";", self.hex())
    }

    /// Reads the key file at `path`, refusing one that group or others may access.
    pub fn load(path: &Path) -> Result<DbKey, KeyFileError> {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(KeyFileError::Missing);
            }
            Err(_) => return Err(KeyFileError::Unreadable),
        };
        if !meta.is_file() {
            return Err(KeyFileError::Unreadable);
        }
        let mode = meta.mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyFileError::TooOpen(mode));
        }
        let text = std::fs::read_to_string(path).map_err(|_| KeyFileError::Unreadable)?;
        DbKey::from_hex(&text).ok_or(KeyFileError::Malformed)
    }

    /// Writes this key to a new key file at `path` (mode 0600); an existing file is left
    /// alone and refused. The file appears complete or not at all.
    pub fn create_file(&self, path: &Path) -> Result<(), KeyFileError> {
        let tmp = self.write_temp(path)?;
        // A hard link fails when the name exists: no race with a second creator.
        let linked = std::fs::hard_link(&tmp, path);
        let _ = std::fs::remove_file(&tmp);
        linked.map_err(|_| KeyFileError::NotWritten)?;
        crate::files::sync_folder(path);
        Ok(())
    }

    /// Writes this key to a file beside `path` that is complete and synced, and returns
    /// its name: `<path>.new`, which [`DbKey::install`] renames over the key file.
    pub fn write_pending(&self, path: &Path) -> Result<PathBuf, KeyFileError> {
        let tmp = self.write_temp(path)?;
        let pending = pending_path(path);
        let renamed = std::fs::rename(&tmp, &pending);
        if renamed.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        renamed.map_err(|_| KeyFileError::NotWritten)?;
        crate::files::sync_folder(path);
        Ok(pending)
    }

    /// Renames the pending key file of `path` over the key file (atomic replacement).
    pub fn install(path: &Path) -> Result<(), KeyFileError> {
        std::fs::rename(pending_path(path), path).map_err(|_| KeyFileError::NotWritten)?;
        crate::files::sync_folder(path);
        Ok(())
    }

    fn write_temp(&self, path: &Path) -> Result<PathBuf, KeyFileError> {
        let mut line = self.hex();
        line.push('\n');
        crate::files::write_temp_beside(path, line.as_bytes(), 0o600)
            .map_err(|_| KeyFileError::NotWritten)
    }
}

/// The key file used when the configuration names none: `<database>.key` beside the
/// database (`/srv/tandem/tandem.db` → `/srv/tandem/tandem.db.key`).
pub fn default_key_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_os_string();
    name.push(".key");
    PathBuf::from(name)
}

/// Where `tandem rekey` keeps the new key until the database uses it: `<key file>.new`.
pub fn pending_path(key_file: &Path) -> PathBuf {
    let mut name = key_file.as_os_str().to_os_string();
    name.push(".new");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    #[test]
    fn key_files_round_trip_and_open_ones_are_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("t.db.key");
        assert_eq!(DbKey::load(&path), Err(KeyFileError::Missing));
        let key = DbKey::generate().expect("random");
        assert_ne!(key, DbKey::generate().expect("random"));
        key.create_file(&path).expect("written");
        let mode = std::fs::metadata(&path).expect("meta").mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(DbKey::load(&path).expect("loads"), key);
        // Never replaced by a second creation.
        let other = DbKey::generate().expect("random");
        assert_eq!(other.create_file(&path), Err(KeyFileError::NotWritten));
        assert_eq!(DbKey::load(&path).expect("loads"), key);
        // Readable by the group: refused.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        assert_eq!(DbKey::load(&path), Err(KeyFileError::TooOpen(0o640)));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).expect("chmod");
        assert_eq!(DbKey::load(&path).expect("0400 is fine"), key);
        // Rekey: pending, then installed.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        other.write_pending(&path).expect("pending");
        assert_eq!(DbKey::load(&path).expect("old still"), key);
        DbKey::install(&path).expect("installed");
        assert_eq!(DbKey::load(&path).expect("new"), other);
        assert!(!pending_path(&path).exists());
        // Malformed content, and no key text in Debug.
        std::fs::write(&path, "geheim\n").expect("write");
        assert_eq!(DbKey::load(&path), Err(KeyFileError::Malformed));
        assert_eq!(format!("{other:?}"), "DbKey(…)");
        assert!(!other.pragma("key").is_empty());
    }
}
