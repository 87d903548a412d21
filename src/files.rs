//! Writing files so that a reader sees the old file or the complete new one, never half of
//! one: a temporary file beside the target (its own mode, synced), then a rename or link,
//! then the folder synced. Used for the key file (`storage::key`), the `.ics` export and
//! the authorized_keys file (`cli/ssh.rs`), the printed documents (`app/documents.rs`).
//! No file is ever written in place.
//!
//! May use: std only. Used by: storage, export, cli.

use std::io::Write as _;
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

/// Writes `bytes` to a new temporary file beside `target` with exactly `mode` (whatever
/// the umask), synced to disk, and returns its path. Nothing is left behind on an error.
pub fn write_temp_beside(target: &Path, bytes: &[u8], mode: u32) -> std::io::Result<PathBuf> {
    let name = target
        .file_name()
        .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = target.with_file_name(tmp_name);
    let written = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&tmp)?;
        f.set_permissions(std::fs::Permissions::from_mode(mode))?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    match written {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Replaces `target` (or creates it) with `bytes` and `mode`, atomically.
pub fn replace_atomically(target: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let tmp = write_temp_beside(target, bytes, mode)?;
    if let Err(e) = std::fs::rename(&tmp, target) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    sync_folder(target);
    Ok(())
}

/// Creates `target` with `bytes` and mode 0600, atomically; an existing file is never
/// replaced (the link fails with `AlreadyExists`).
pub fn write_new(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = write_temp_beside(target, bytes, 0o600)?;
    let linked = std::fs::hard_link(&tmp, target);
    let _ = std::fs::remove_file(&tmp);
    linked?;
    sync_folder(target);
    Ok(())
}

/// Makes a rename or link in the folder of `path` durable (best effort).
pub fn sync_folder(path: &Path) {
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

/// The export folder for printed documents (docs/documents.md § 2): the configured one (a
/// relative path taken from the database's folder), else `exports/` beside the database.
/// None for a database without a file and no absolute folder configured.
pub fn export_dir(configured: Option<&Path>, db: Option<&Path>) -> Option<PathBuf> {
    let beside = db.and_then(Path::parent);
    match configured {
        Some(dir) if dir.is_absolute() => Some(dir.to_path_buf()),
        Some(dir) => beside.map(|p| p.join(dir)),
        None => beside.map(|p| p.join("exports")),
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    #[test]
    fn a_replaced_file_has_its_content_and_mode_and_no_temporary_stays() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("out.txt");
        std::fs::write(&target, "alt").expect("old file");
        replace_atomically(&target, b"neu", 0o644).expect("replaced");
        assert_eq!(std::fs::read(&target).expect("read"), b"neu");
        let mode = std::fs::metadata(&target)
            .expect("meta")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o644);
        replace_atomically(&target, b"privat", 0o600).expect("replaced");
        let mode = std::fs::metadata(&target)
            .expect("meta")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.txt")]);
    }

    #[test]
    fn the_export_folder_is_configured_or_beside_the_database() {
        let db = Path::new("/srv/tandem/tandem.db");
        assert_eq!(
            export_dir(None, Some(db)),
            Some(PathBuf::from("/srv/tandem/exports"))
        );
        assert_eq!(
            export_dir(Some(Path::new("pdf")), Some(db)),
            Some(PathBuf::from("/srv/tandem/pdf"))
        );
        assert_eq!(
            export_dir(Some(Path::new("/var/tandem")), None),
            Some(PathBuf::from("/var/tandem"))
        );
        assert_eq!(export_dir(Some(Path::new("pdf")), None), None);
        assert_eq!(export_dir(None, None), None);
    }
}
