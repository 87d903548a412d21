//! Printing documents from the screens (docs/documents.md): the document is built from what
//! the person sees, written as a tagged PDF into the export folder (`export-dir`, else
//! `exports/` beside the database; mode 0700, the file 0600, written atomically under a
//! new name), recorded with its number and audited. The status line says where the file
//! went and its number for `dokument N`, or in one line why not.

use std::path::{Path, PathBuf};

use super::App;
use crate::domain::consent::ConsentStatus;
use crate::strings::{Lang, Strings};

/// Documents are German whatever the interface language: they are the paper people sign
/// and file (docs/documents.md § 1).
fn german() -> &'static Strings {
    Strings::get(Lang::De)
}

/// Where documents go (docs/documents.md § 2).
fn export_dir(app: &App) -> Option<PathBuf> {
    crate::files::export_dir(app.export_dir.as_deref(), app.store().path())
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
    /// "Sabine Brinkmann, Jobcenter": who made a document.
    fn author(&self) -> String {
        crate::documents::author(german(), &self.me)
    }

    /// Renders `doc`, writes it as `{stem}-{stamp}.pdf` into the export folder, audits the
    /// print of `object` (type, id) as `kind`, and says in the status line where it went
    /// or, in one line, why not.
    fn deliver(
        &mut self,
        doc: &crate::documents::Doc,
        stem: &str,
        object: (&'static str, i64),
        kind: &'static str,
    ) {
        let d = self.strings.documents;
        let Some(dir) = export_dir(self) else {
            self.set_status(d.no_folder.to_string(), true);
            return;
        };
        let bytes = match crate::documents::render(doc) {
            Ok(b) => b,
            Err(e) => {
                tracing::error!(error = %e, "document not rendered");
                self.set_status(d.failed.to_string(), true);
                return;
            }
        };
        let stamp = doc.made_at.format("%Y%m%d-%H%M%S").to_string();
        match write(&dir, stem, &stamp, &bytes) {
            Ok(path) => {
                let me = self.me.clone();
                let file = path
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default();
                match self
                    .store()
                    .record_document(&me, object.0, object.1, kind, &file)
                {
                    Ok(n) => {
                        let shown =
                            crate::domain::text::sanitize(&path.display().to_string(), false);
                        self.set_status((d.written)(n, &shown), false);
                    }
                    // Every print is audited: a document the log did not take is removed.
                    Err(e) => {
                        let _ = std::fs::remove_file(&path);
                        self.report::<()>(Err(e));
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "document not written");
                let shown = crate::domain::text::sanitize(&dir.display().to_string(), false);
                self.set_status((d.not_written)(&shown), true);
            }
        }
    }

    /// `d` in a case file: the declaration of the newest consent as PDF.
    pub(crate) fn print_consent(&mut self) {
        let Some(view) = self.cases.file.as_ref().map(|f| f.view.clone()) else {
            return;
        };
        // The newest consent that is asked for or given; a refused or revoked one is no
        // declaration to sign.
        let Some(consent) = view
            .consents
            .iter()
            .filter(|c| matches!(c.status, ConsentStatus::Draft | ConsentStatus::Granted))
            .max_by_key(|c| (c.signed_on, c.id.0))
        else {
            self.set_status(self.strings.documents.no_consent.to_string(), true);
            return;
        };
        let doc = crate::documents::consent::declaration(
            german(),
            &view,
            consent,
            &self.author(),
            self.local_now(),
        );
        let stem = format!("einwilligung-fall{}", view.case.id.0);
        self.deliver(&doc, &stem, ("consent", consent.id.0), "pdf");
    }

    /// The open conference as the documents take it, or None without one.
    fn conference_doc<R>(
        &self,
        build: impl FnOnce(crate::documents::conference::ConferenceDoc<'_>) -> R,
    ) -> Option<R> {
        let row = self.conf.detail.as_ref()?;
        Some(build(crate::documents::conference::ConferenceDoc {
            row,
            carried: &self.conf.agenda.0,
            decisions: &self.conf.agenda.1,
            minutes: &self.conf.minutes,
            staff: &self.conf.staff,
        }))
    }

    /// The minutes of the open conference as PDF.
    pub(crate) fn print_minutes(&mut self) {
        let (author, now) = (self.author(), self.local_now());
        let Some((doc, id)) = self.conference_doc(|c| {
            (
                crate::documents::conference::minutes(german(), c, &author, now),
                c.row.id,
            )
        }) else {
            return;
        };
        self.deliver(
            &doc,
            &format!("protokoll-konferenz{id}"),
            ("conference", id),
            "pdf-minutes",
        );
    }

    /// The letter in plain language to the young person about the open conference.
    pub(crate) fn print_letter(&mut self) {
        let (me, now) = (self.me.clone(), self.local_now());
        let Some((doc, id)) = self.conference_doc(|c| {
            (
                crate::documents::conference::letter(german(), c, &me, now),
                c.row.id,
            )
        }) else {
            return;
        };
        let Some(doc) = doc else {
            self.set_status(self.strings.documents.anonymised.to_string(), true);
            return;
        };
        self.deliver(
            &doc,
            &format!("brief-konferenz{id}"),
            ("conference", id),
            "pdf-letter",
        );
    }

    /// `d` in F5's yearly report: the report of the year shown, with its charts.
    pub(crate) fn print_report(&mut self) {
        let Some(report) = self.coop.report.as_ref() else {
            self.set_status(self.strings.documents.report_only.to_string(), false);
            return;
        };
        let doc =
            crate::documents::report::yearly(german(), report, &self.author(), self.local_now());
        let year = report.year;
        self.deliver(
            &doc,
            &format!("jahresbericht-{year}"),
            ("report", i64::from(year)),
            "pdf-report",
        );
    }

    /// `d` on a referral: the receipt confirmation for its reporter, once received.
    pub(crate) fn print_receipt(&mut self) {
        let Some(r) = self.cp.detail.clone() else {
            return;
        };
        let phone = self.cp_settings.office_phone.clone();
        let Some(doc) =
            crate::documents::receipt::receipt(&r, &phone, &self.author(), self.local_now())
        else {
            self.set_status(self.strings.documents.not_received.to_string(), true);
            return;
        };
        self.deliver(
            &doc,
            &format!("eingangsbestaetigung-{}", r.row.id),
            ("cp_referral", r.row.id),
            "pdf-receipt",
        );
    }
}
