//! Printing documents from the screens (docs/documents.md): the document is built from what
//! the person sees, written as a tagged PDF into the export folder beside the database
//! (mode 0700; the file 0600, written atomically under a new name), and the print is
//! audited. The status line says where the file went, or in one German line why not.

use std::path::{Path, PathBuf};

use super::App;

/// Where documents go: the configured folder (a relative one taken from the database's
/// folder), else `exports/` beside the database. None for a database in memory without a
/// configured absolute folder.
fn export_dir(app: &App) -> Option<PathBuf> {
    let beside = app.store().path().and_then(Path::parent);
    match &app.export_dir {
        Some(dir) if dir.is_absolute() => Some(dir.clone()),
        Some(dir) => beside.map(|p| p.join(dir)),
        None => beside.map(|p| p.join("exports")),
    }
}

/// A new file name in `dir`: `{stem}-{stamp}.pdf`, numbered when taken.
fn new_name(dir: &Path, stem: &str, stamp: &str) -> PathBuf {
    let mut path = dir.join(format!("{stem}-{stamp}.pdf"));
    for n in 2..1000 {
        if !path.exists() {
            break;
        }
        path = dir.join(format!("{stem}-{stamp}-{n}.pdf"));
    }
    path
}

/// Creates the export folder (0700) and writes `bytes` to a new file in it (0600).
fn write(dir: &Path, stem: &str, stamp: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt as _;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let path = new_name(dir, stem, stamp);
    crate::files::write_new(&path, bytes)?;
    Ok(path)
}

impl App {
    /// `d` in a case file: the declaration of the newest consent as PDF.
    pub(crate) fn print_consent(&mut self) {
        let d = self.strings.documents;
        let Some(view) = self.cases.file.as_ref().map(|f| f.view.clone()) else {
            return;
        };
        let Some(consent) = view.consents.iter().max_by_key(|c| (c.signed_on, c.id.0)) else {
            self.set_status(d.no_consent.to_string(), true);
            return;
        };
        let Some(dir) = export_dir(self) else {
            self.set_status(d.no_folder.to_string(), true);
            return;
        };
        let now = crate::domain::tz::to_local(self.now());
        let author = format!(
            "{}, {}",
            self.me.display_name(),
            (self.strings.agency)(self.me.agency)
        );
        let doc =
            crate::documents::consent::declaration(self.strings, &view, consent, &author, now);
        let bytes = match crate::documents::render(&doc) {
            Ok(b) => b,
            Err(e) => {
                tracing::error!(error = %e, "document not rendered");
                self.set_status(d.failed.to_string(), true);
                return;
            }
        };
        let stem = format!("einwilligung-fall{}", view.case.id.0);
        let stamp = now.format("%Y%m%d-%H%M%S").to_string();
        match write(&dir, &stem, &stamp, &bytes) {
            Ok(path) => {
                let me = self.me.clone();
                let logged = self
                    .store()
                    .log_document(&me, "consent", consent.id.0, "pdf");
                self.report(logged);
                let shown = crate::domain::text::sanitize(&path.display().to_string(), false);
                self.set_status((d.written)(&shown), false);
            }
            Err(e) => {
                tracing::warn!(error = %e, "document not written");
                let shown = crate::domain::text::sanitize(&dir.display().to_string(), false);
                self.set_status((d.not_written)(&shown), true);
            }
        }
    }
}
