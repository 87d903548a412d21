//! Documents people sign and keep (issue #18; docs/documents.md): the consent declaration
//! of a case file is written as a tagged PDF into the export folder, read back by an
//! independent PDF reader (poppler's `pdftotext` and `pdfinfo`, installed when missing, never
//! skipped), carries the person's name with its letters intact, the user, the date and
//! "Vertraulich – Sozialdaten", and is audited as a print. A missing or unwritable folder is
//! one German line.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::{app_on, keys, today};
use tandem::app::App;
use tandem::storage::{OpenMode, Store};
use tandem::strings::Lang;

/// Makes poppler's `pdftotext` and `pdfinfo` available, installing poppler-utils once if
/// needed (so the README's `cargo test` passes on a fresh machine); fails when that fails.
fn ensure_poppler() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let present = || {
            Command::new("pdftotext")
                .arg("-v")
                .output()
                .is_ok_and(|o| o.status.success())
        };
        if present() {
            return;
        }
        let _ = Command::new("apt-get").args(["update", "-qq"]).status();
        let _ = Command::new("apt-get")
            .args(["install", "-y", "-qq", "poppler-utils"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status();
        assert!(
            present(),
            "pdftotext is missing and `apt-get install -y poppler-utils` failed"
        );
    });
}

fn pdftotext(pdf: &Path) -> String {
    ensure_poppler();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn pdfinfo(pdf: &Path) -> String {
    ensure_poppler();
    let out = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

/// The demo in a database file in `dir` (documents go beside it).
fn demo_in(dir: &Path) -> Store {
    let path = dir.join("t.db");
    {
        let mut store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
        store.set_clock(support::test_clock());
        tandem::demo::write(&store, &tandem::demo::demo_data(today())).unwrap();
    }
    Store::open(&path, OpenMode::Existing).unwrap()
}

fn login(store: Store, who: &str) -> App {
    let mut app = app_on(store, who, Lang::De);
    while app.top_layer() == Some("question") {
        keys(&mut app, "n");
    }
    app
}

/// The first case of the caseload with a consent, opened.
fn file_with_consent(app: &mut App) -> tandem::domain::CaseId {
    keys(app, "<f2>");
    for _ in 0..40 {
        let id = app.cases.list.current().map(|r| r.id).expect("a case");
        app.open_file(id);
        if app
            .cases
            .file
            .as_ref()
            .is_some_and(|f| !f.view.consents.is_empty())
        {
            return id;
        }
        keys(app, "<esc> <down>");
    }
    panic!("no case with a consent in the caseload");
}

fn written(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir.join("exports"))
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

#[test]
fn the_consent_declaration_is_a_tagged_pdf_with_the_persons_name_intact() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_in(dir.path());
    let mut app = login(store, "brinkmann");
    let case = file_with_consent(&mut app);
    let view = app.cases.file.as_ref().unwrap().view.clone();
    let person = view.case.person.clone();
    keys(&mut app, "d");
    assert!(
        status(&app).starts_with("Dokument geschrieben: "),
        "{}",
        status(&app)
    );
    let files = written(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let pdf = &files[0];
    let name = pdf.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        name.starts_with(&format!("einwilligung-fall{}-", case.0)),
        "{name}"
    );
    assert!(
        status(&app).contains(&name),
        "the status line says where it went"
    );
    let mode = std::fs::metadata(pdf).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let folder = std::fs::metadata(dir.path().join("exports"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(folder & 0o777, 0o700);

    if let Ok(to) = std::env::var("TANDEM_KEEP_PDF") {
        std::fs::copy(pdf, to).unwrap();
    }
    let text = pdftotext(pdf);
    for expected in [
        "Einwilligungserklärung",
        person.surname.as_str(),
        person.given_names.as_str(),
        "Freiwilligkeit und Widerruf",
        "Vertraulich – Sozialdaten",
        "erstellt von Sabine Brinkmann, Jobcenter am 25.11.2026 10:00",
        "Unterschrift",
    ] {
        assert!(text.contains(expected), "{expected:?} missing in:\n{text}");
    }
    let info = pdfinfo(pdf);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains("Title:           Einwilligungserklärung"),
        "{info}"
    );

    // Audited as a print of that consent, never its content.
    let newest = view
        .consents
        .iter()
        .max_by_key(|c| (c.signed_on, c.id.0))
        .unwrap();
    let last = app.store().audit_tail(1).unwrap().remove(0);
    assert_eq!(
        (
            last.action.as_str(),
            last.object_type.as_str(),
            last.object_id
        ),
        ("export", "consent", Some(newest.id.0))
    );
    assert_eq!(last.detail.as_deref(), Some("pdf"));
    assert!(!format!("{last:?}").contains(&person.surname));

    // A second print never replaces the first.
    keys(&mut app, "d");
    assert_eq!(written(dir.path()).len(), 2);
}

#[test]
fn names_in_turkish_polish_and_arabic_come_back_intact() {
    use tandem::documents::{Block, Doc, render};
    let names = [
        "Çağla Öztürk-Şahin",
        "Łukasz Wiśniewski-Żak",
        "Jürgen Äßmann",
        "فاطمة حسين",
    ];
    let doc = Doc {
        title: "Einwilligungserklärung".to_string(),
        lang: "de",
        author: "Ewa Dąbrowska-Lenz, Jugendamt".to_string(),
        made_at: today().and_hms_opt(10, 0, 0).unwrap(),
        blocks: names
            .iter()
            .map(|n| Block::Field("Name".to_string(), (*n).to_string()))
            .collect(),
    };
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("names.pdf");
    std::fs::write(&pdf, render(&doc).unwrap()).unwrap();
    let text = pdftotext(&pdf);
    // Arabic is shaped and drawn right to left inside the German line; the reader gives its
    // letters back in reading order and marks the run with U+202B … U+202C, dropped here.
    let found: String = text
        .chars()
        .filter(|c| !matches!(c, '\u{202B}' | '\u{202C}'))
        .collect();
    for n in names {
        assert!(found.contains(n), "{n} missing in:\n{text}");
    }
    assert!(text.contains("Ewa Dąbrowska-Lenz"));
}

#[test]
fn without_a_writable_export_folder_the_print_is_one_german_line() {
    // In memory: no folder beside the database.
    let mut app = login(support::demo_store(), "brinkmann");
    file_with_consent(&mut app);
    keys(&mut app, "d");
    assert_eq!(
        status(&app),
        "Kein Exportordner: die Datenbank liegt nicht in einer Datei."
    );
    // A file where the folder should be.
    let dir = tempfile::tempdir().unwrap();
    let store = demo_in(dir.path());
    std::fs::write(dir.path().join("exports"), b"no folder").unwrap();
    let mut app = login(store, "brinkmann");
    file_with_consent(&mut app);
    let before = app.store().audit_tail(1).unwrap().remove(0).seq;
    keys(&mut app, "d");
    let line = status(&app);
    assert!(
        line.starts_with("Dokument nicht geschrieben: der Exportordner "),
        "{line}"
    );
    assert!(!line.contains('\n'));
    assert_eq!(
        app.store().audit_tail(1).unwrap().remove(0).seq,
        before,
        "nothing printed, nothing logged"
    );
    // A configured folder that cannot be made (its parent is a file): the same one line.
    app.export_dir = Some(dir.path().join("exports").join("docs"));
    keys(&mut app, "d");
    let line = status(&app);
    assert!(
        line.starts_with("Dokument nicht geschrieben: der Exportordner "),
        "{line}"
    );
}

#[test]
fn the_configured_export_folder_takes_the_documents() {
    // Absolute: even a database in memory prints there.
    let dir = tempfile::tempdir().unwrap();
    let mut app = login(support::demo_store(), "brinkmann");
    app.export_dir = Some(dir.path().join("papier"));
    file_with_consent(&mut app);
    keys(&mut app, "d");
    assert!(
        status(&app).starts_with("Dokument geschrieben: "),
        "{}",
        status(&app)
    );
    assert_eq!(
        std::fs::read_dir(dir.path().join("papier"))
            .unwrap()
            .count(),
        1
    );
    // Relative: taken from the database's folder.
    let dir = tempfile::tempdir().unwrap();
    let mut app = login(demo_in(dir.path()), "brinkmann");
    app.export_dir = Some(PathBuf::from("ablage/pdf"));
    file_with_consent(&mut app);
    keys(&mut app, "d");
    assert_eq!(
        std::fs::read_dir(dir.path().join("ablage/pdf"))
            .unwrap()
            .count(),
        1
    );
    assert!(!dir.path().join("exports").exists());
}
