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
    ONCE.call_once(|| support::ensure_program("pdftotext", "-v", "poppler-utils"));
}

/// Reads `pdf` back as text. With `TANDEM_KEEP_PDF=DIR` the file is kept in DIR too, to be
/// looked at while developing (docs/documents.md § 4).
fn pdftotext(pdf: &Path) -> String {
    ensure_poppler();
    if let Some(keep) = std::env::var_os("TANDEM_KEEP_PDF") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(pdf, keep.join(pdf.file_name().unwrap())).unwrap();
    }
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

/// Runs poppler's `tool` with `args` on `pdf`; its standard output.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    ensure_poppler();
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .output()
        .unwrap_or_else(|e| panic!("{tool} runs: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pdfinfo(pdf: &Path) -> String {
    poppler("pdfinfo", &[], pdf)
}

/// The document's number N of "Dokument N geschrieben: PATH · per SSH: dokument N".
fn number(line: &str) -> Option<i64> {
    let rest = line.strip_prefix("Dokument ")?;
    let (n, rest) = rest.split_once(' ')?;
    let n: i64 = n.parse().ok()?;
    (rest.starts_with("geschrieben: ") && rest.ends_with(&format!(" · per SSH: dokument {n}")))
        .then_some(n)
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
    assert!(number(&status(&app)).is_some(), "{}", status(&app));
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
    // Written and checked as PDF/A-2a and PDF/UA-1; the XMP metadata says so.
    let bytes = String::from_utf8_lossy(&std::fs::read(pdf).unwrap()).to_string();
    assert!(
        bytes.contains("<pdfaid:part>2</pdfaid:part>"),
        "not PDF/A-2"
    );
    assert!(
        bytes.contains("<pdfaid:conformance>A</pdfaid:conformance>"),
        "not level a"
    );
    assert!(
        bytes.contains("<pdfuaid:part>1</pdfuaid:part>"),
        "not PDF/UA-1"
    );
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

    // Numbered for `dokument N`: its maker gets the file name, nobody else does.
    let n = number(&status(&app)).unwrap();
    let me = app.me.clone();
    assert_eq!(
        app.store().document_for(&me, n).unwrap(),
        Some(name.clone())
    );
    // The verb audits the fetch once it has read the file.
    app.store().log_document_fetch(&me, n).unwrap();
    let other = app.store().staff_by_login("karaca").unwrap().unwrap();
    assert_eq!(app.store().document_for(&other, n).unwrap(), None);
    assert_eq!(app.store().document_for(&me, n + 1000).unwrap(), None);
    let fetches: Vec<(String, Option<i64>)> = app
        .store()
        .audit_tail(3)
        .unwrap()
        .into_iter()
        .map(|e| {
            let detail = e.detail.unwrap_or_default();
            (
                format!("{} {}/{detail}", e.action, e.object_type),
                e.object_id,
            )
        })
        .collect();
    assert_eq!(
        fetches,
        [
            ("export document/ssh".to_string(), Some(n)),
            ("refused document/ssh".to_string(), Some(n)),
            ("refused document/ssh".to_string(), Some(n + 1000)),
        ]
    );

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
    assert!(number(&status(&app)).is_some(), "{}", status(&app));
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

/// The demo's conferences `who` sees from 2026-01-01 until a year after "today".
fn conferences(app: &App) -> Vec<tandem::model::conference::ConferenceRow> {
    let from = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let to = today() + chrono::Duration::days(365);
    app.store().conferences_for(&app.me, from, to).unwrap()
}

/// Prints the minutes of conference `id` through `d` and its menu; the text read back.
fn print_minutes(app: &mut App, dir: &Path, id: i64) -> String {
    keys(app, "<f3>");
    app.open_conference(id);
    keys(app, "d");
    assert_eq!(app.top_layer(), Some("document-menu"));
    keys(app, "<enter>");
    assert!(number(&status(app)).is_some(), "{}", status(app));
    let file = written(dir)
        .into_iter()
        .filter(|f| {
            f.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&format!("protokoll-konferenz{id}-"))
        })
        .max()
        .expect("the minutes are written");
    assert!(pdfinfo(&file).contains("Tagged:          yes"));
    let last = app.store().audit_tail(1).unwrap().remove(0);
    assert_eq!(
        (
            last.object_type.as_str(),
            last.object_id,
            last.detail.as_deref()
        ),
        ("conference", Some(id), Some("pdf-minutes"))
    );
    pdftotext(&file)
}

#[test]
fn the_minutes_carry_participants_items_decisions_and_the_approval() {
    use tandem::domain::casefile::Responsible;
    use tandem::domain::conference::{
        ConferenceAction, ConferenceStatus, DecisionDraft, Invitation, Participant,
    };
    use tandem::model::conference::{AgendaItem, MinutesInput, NewConference};
    let dir = tempfile::tempdir().unwrap();
    let mut app = login(demo_in(dir.path()), "brinkmann");
    let rows = conferences(&app);

    // Approved minutes of the demo: the approval marks, the participants, the decisions.
    let c = rows
        .iter()
        .find(|c| c.status == ConferenceStatus::MinutesApproved && !c.anonymised)
        .expect("approved minutes in the demo")
        .clone();
    let text = print_minutes(&mut app, dir.path(), c.id);
    let (a, b) = c.approved.clone().expect("approved by two");
    let (_, decided) = app.store().conference_agenda(&app.me, c.id).unwrap();
    let mut expected = vec![
        "Protokoll der Fallkonferenz".to_string(),
        "Teilnehmende".to_string(),
        format!("Freigegeben von {a} und {b}."),
        "Vertraulich – Sozialdaten".to_string(),
        format!("Nr. {}", c.case_id.0),
    ];
    expected.extend(decided.iter().map(|d| d.measure.text.clone()));
    expected.extend(
        c.participants
            .iter()
            .filter(|p| p.participant.staff.is_some())
            .map(|p| p.name.clone()),
    );
    for e in &expected {
        assert!(text.contains(e.as_str()), "{e:?} missing in:\n{text}");
    }

    // Minutes with agenda items: each item with its minutes and its decision, the summary,
    // and the mark that nobody approved them yet.
    let me = app.me.clone();
    let now = app.store().clock().now();
    // A conference of the same case held yesterday with the same staff.
    let participants: Vec<Participant> = c
        .participants
        .iter()
        .filter(|p| p.participant.staff.is_some())
        .map(|p| Participant {
            attendance: None,
            invitation: Invitation::Invited,
            ..p.participant.clone()
        })
        .collect();
    let store = app.store();
    let held = store
        .create_conference(
            &me,
            &NewConference {
                case_id: c.case_id,
                kind: c.kind,
                question: "Ausbildung und Wohnen".into(),
                start: Some(today().pred_opt().unwrap().and_hms_opt(10, 0, 0).unwrap()),
                duration_min: 60,
                location: "Raum 2.14".into(),
                anonymised: false,
                participants,
                topics: vec![],
            },
            today(),
        )
        .unwrap();
    for a in [ConferenceAction::Invite, ConferenceAction::MarkHeld] {
        let v = store.conference(&me, held).unwrap().version;
        store
            .conference_step(&me, held, v, a, None, "", now)
            .unwrap();
    }
    let items = [
        AgendaItem {
            no: 1,
            title: "Ausbildungssuche".to_string(),
            carried: None,
            minutes: "Bewerbung bei der Bäckerei Özdemir läuft.".to_string(),
        },
        AgendaItem {
            no: 2,
            title: "Wohnen".to_string(),
            carried: None,
            minutes: "Die Wohnungssuche ruht bis März.".to_string(),
        },
    ];
    let decision = DecisionDraft {
        text: "Vorstellungsgespräch üben".to_string(),
        responsible: Some(Responsible::YoungPerson),
        due_on: Some(today() + chrono::Duration::days(20)),
        category: None,
    };
    let input = MinutesInput {
        text: "",
        decisions: &[],
        items: &items,
        item_decisions: &[(1, decision)],
        areas: &[],
        plain_summary: Some("Sie üben das Gespräch. Wir helfen Ihnen dabei."),
    };
    let v = store.conference(&me, held).unwrap().version;
    store
        .save_structured_minutes(&me, held, v, &input, now)
        .unwrap();
    let text = print_minutes(&mut app, dir.path(), held);
    for e in [
        "TOP 1: Ausbildungssuche",
        "Bewerbung bei der Bäckerei Özdemir läuft.",
        "Beschluss: Vorstellungsgespräch üben",
        "verantwortlich: Sie selbst",
        "TOP 2: Wohnen",
        "Zusammenfassung in einfacher Sprache",
        "Sie üben das Gespräch.",
        "Entwurf – noch nicht von beiden Stellen freigegeben.",
    ] {
        assert!(text.contains(e), "{e:?} missing in:\n{text}");
    }
    // The item's decision is under its item, not among the loose ones.
    assert!(!text.contains("Beschlüsse\n"), "{text}");
}

#[test]
fn the_letter_to_the_young_person_invites_in_plain_words_without_other_peoples_names() {
    use tandem::domain::conference::{ConferenceStatus, ParticipantRole};
    let dir = tempfile::tempdir().unwrap();
    let mut app = login(demo_in(dir.path()), "brinkmann");
    let now = today().and_hms_opt(10, 0, 0).unwrap();
    let rows = conferences(&app);
    let c = rows
        .iter()
        .find(|c| {
            !c.anonymised
                && c.start.is_some_and(|t| t > now)
                && matches!(
                    c.status,
                    ConferenceStatus::Scheduled | ConferenceStatus::Invited
                )
        })
        .expect("an upcoming named conference in the demo")
        .clone();
    keys(&mut app, "<f3>");
    app.open_conference(c.id);
    keys(&mut app, "d <down> <enter>");
    assert!(number(&status(&app)).is_some(), "{}", status(&app));
    let files = written(dir.path());
    assert_eq!(files.len(), 1);
    let text = pdftotext(&files[0]);
    let (surname, given) = c.person.split_once(", ").unwrap();
    let start = c.start.unwrap();
    for e in [
        "Einladung zum Gespräch".to_string(),
        format!("Guten Tag {given} {surname},"),
        "Wann und wo?".to_string(),
        start.format("%d.%m.%Y").to_string(),
        start.format("%H:%M").to_string(),
        "Sie haben Fragen?".to_string(),
        "Mit freundlichen Grüßen".to_string(),
        "Sabine Brinkmann".to_string(),
    ] {
        assert!(text.contains(e.as_str()), "{e:?} missing in:\n{text}");
    }
    // Custody holders and outside participants are not named in a letter others may read.
    for p in c.participants.iter().filter(|p| {
        p.participant.staff.is_none() && p.participant.role != ParticipantRole::YoungPerson
    }) {
        if !p.name.trim().is_empty() {
            assert!(
                !text.contains(p.name.trim()),
                "{} named in:\n{text}",
                p.name
            );
        }
    }
    // Nor the outside people who carry out an agreement.
    let (carried, decided) = app.store().conference_agenda(&app.me, c.id).unwrap();
    for m in carried.iter().chain(&decided) {
        if let tandem::domain::casefile::Responsible::External(name) = &m.measure.responsible
            && !name.trim().is_empty()
        {
            assert!(!text.contains(name.trim()), "{name} named in:\n{text}");
        }
    }
    // No paragraphs of law in plain language.
    assert!(!text.contains('§'), "{text}");
    let last = app.store().audit_tail(1).unwrap().remove(0);
    assert_eq!(last.detail.as_deref(), Some("pdf-letter"));
}

#[test]
fn the_receipt_confirms_a_received_referral_and_nothing_before() {
    use tandem::domain::referral::ReferralStatus;
    let dir = tempfile::tempdir().unwrap();
    let mut app = login(demo_in(dir.path()), "dabrowska");
    keys(&mut app, "<f4>");
    let received = app
        .cp
        .rows
        .iter()
        .position(|r| r.status != ReferralStatus::Sent && r.ja_ref.is_some())
        .expect("a received referral");
    app.cp.cursor = received;
    keys(&mut app, "<enter>");
    let r = app.cp.detail.clone().expect("the referral is open");
    keys(&mut app, "d");
    assert!(number(&status(&app)).is_some(), "{}", status(&app));
    let files = written(dir.path());
    assert_eq!(files.len(), 1);
    let text = pdftotext(&files[0]);
    let number = r.row.ja_ref.clone().unwrap();
    for e in [
        "Eingangsbestätigung Kinderschutz-Mitteilung",
        number.as_str(),
        r.row.reporter.as_str(),
        "Entgegengenommen von",
        "erstellt von Ewa",
    ] {
        assert!(text.contains(e), "{e:?} missing in:\n{text}");
    }
    // Nothing of the assessment goes to the reporter.
    assert!(
        !text.contains(r.input.facts.lines().next().unwrap_or("#")),
        "{text}"
    );
    let last = app.store().audit_tail(1).unwrap().remove(0);
    assert_eq!(
        (
            last.object_type.as_str(),
            last.object_id,
            last.detail.as_deref()
        ),
        ("cp_referral", Some(r.row.id), Some("pdf-receipt"))
    );
    // A referral not yet received has no receipt.
    keys(&mut app, "<esc>");
    if let Some(sent) = app
        .cp
        .rows
        .iter()
        .position(|r| r.status == ReferralStatus::Sent)
    {
        app.cp.cursor = sent;
        keys(&mut app, "<enter>");
        while app.top_layer() == Some("question") {
            keys(&mut app, "n");
        }
        if app
            .cp
            .detail
            .as_ref()
            .is_some_and(|d| d.received_at.is_none())
        {
            keys(&mut app, "d");
            assert_eq!(
                status(&app),
                "Die Mitteilung ist noch nicht eingegangen: keine Eingangsbestätigung."
            );
        }
    }
}

/// The structure tree as poppler reads it (`pdfinfo -struct-text`).
fn structure(pdf: &Path) -> String {
    poppler("pdfinfo", &["-struct-text"], pdf)
}

#[test]
fn the_yearly_report_is_a_pdf_with_tagged_tables_and_charts() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = login(demo_in(dir.path()), "schwering");
    keys(&mut app, "<f5> d");
    assert_eq!(
        status(&app),
        "Im Bereich Jahresbericht schreibt d den Bericht als PDF."
    );
    assert!(written(dir.path()).is_empty());
    // The report is the last section: one step back from the first.
    keys(&mut app, "<backtab>");
    let report = app.coop.report.clone().expect("the lead sees the report");
    keys(&mut app, "d");
    assert!(number(&status(&app)).is_some(), "{}", status(&app));
    let files = written(dir.path());
    assert_eq!(files.len(), 1);
    let text = pdftotext(&files[0]);
    let s = tandem::strings::Strings::get(Lang::De);
    let mut expected = vec![
        (s.coop.report_title)(report.year),
        report.year.to_string(),
        (report.year - 1).to_string(),
        "Vertraulich – Sozialdaten".to_string(),
    ];
    expected.extend(
        report
            .sections
            .iter()
            .map(|sec| (s.coop.report_label)(sec.key).to_string()),
    );
    // A long heading wraps: compare with the lines joined.
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for e in &expected {
        assert!(joined.contains(e.as_str()), "{e:?} missing in:\n{text}");
    }
    // Tables with header cells, and charts as figures with their values as text.
    let tree = structure(&files[0]);
    for tag in ["Table", "TR", "TH", "TD", "Figure", "H1", "H2"] {
        assert!(tree.contains(tag), "no {tag} in:\n{tree}");
    }
    assert!(pdfinfo(&files[0]).contains("Tagged:          yes"));
    let last = app.store().audit_tail(1).unwrap().remove(0);
    assert_eq!(
        (
            last.object_type.as_str(),
            last.object_id,
            last.detail.as_deref()
        ),
        ("report", Some(i64::from(report.year)), Some("pdf-report"))
    );
}

#[test]
fn the_access_answer_is_a_pdf_with_every_record_heading() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = login(demo_in(dir.path()), "brinkmann");
    file_with_consent(&mut app);
    let person = app.cases.file.as_ref().unwrap().view.case.person.clone();
    drop(app);
    let pdf = dir.path().join("auskunft.pdf");
    let out = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .env("TANDEM_DATA", dir.path())
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .env_remove("TANDEM_CONFIG")
        .args(["--lang", "de", "subject-export", "--db"])
        .arg(dir.path().join("t.db"))
        .args(["--user", "wiemers", "--surname", &person.surname, "--given"])
        .arg(&person.given_names)
        .arg("--pdf")
        .arg(&pdf)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mode = std::fs::metadata(&pdf).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = pdftotext(&pdf);
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for e in [
        "Auskunft nach Art. 15 DSGVO",
        "Verantwortliche Stelle: Vestische Arbeit – Jobcenter",
        &format!(
            "Betroffene Person: {} {}",
            person.given_names, person.surname
        ),
        "Als junge Person",
        "Kooperationsfall Nr.",
        "Löschklasse:",
        "Vertraulich – Sozialdaten",
    ] {
        assert!(joined.contains(e), "{e:?} missing in:\n{text}");
    }
    let tree = structure(&pdf);
    assert!(tree.contains("H3"), "records are headings:\n{tree}");
    assert!(pdfinfo(&pdf).contains("Tagged:          yes"));
}
