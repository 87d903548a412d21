//! The DSB's screen "Datenschutz" (issue 14 part 5, docs/dpo.md, docs/access.md A13),
//! driven in-process by keys: only the role `dpo` has it; a DSB without a case role starts
//! there and reaches no case screen; the sections, the filter and the review work; the
//! snapshots at 80×24 show each section. No name of a young person on any of them.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use support::{keys, names, screen, test_app, today};
use tandem::app::screens::dpo::DpoSection;
use tandem::app::{App, Screen};
use tandem::domain::casefile::BreakGlassReason;
use tandem::domain::{Agency, CaseId, Role};
use tandem::model::dpo::Verdict;

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

/// Every young person's name of the demo (given and surname).
fn demo_names() -> Vec<String> {
    tandem::demo::demo_data(today())
        .cases
        .into_iter()
        .map(|c| format!("{} {}", c.person.given_names, c.person.surname))
        .collect()
}

/// Breaks the glass as `login` on the first case their agency is party to.
fn break_glass(app: &App, login: &str) -> CaseId {
    let who = app.store().staff_by_login(login).unwrap().unwrap();
    (1..=300)
        .map(CaseId)
        .find(|id| {
            app.store()
                .break_glass(
                    &who,
                    *id,
                    BreakGlassReason::Other,
                    "Anruf von Erika Mustermann",
                )
                .is_ok()
        })
        .expect("a case")
}

#[test]
fn a_dsb_starts_on_datenschutz_and_reaches_no_case_screen() {
    let mut case_names = names(&test_app("brinkmann"));
    case_names.extend(names(&test_app("hegemann")));
    case_names.extend(demo_names());
    for login in ["wiemers", "kloeckner"] {
        let mut app = test_app(login);
        assert_eq!(app.screen, Screen::Dpo, "{login}");
        let first = screen(&mut app, 80, 24);
        let tabs = first.lines().next().unwrap();
        assert!(tabs.contains("Datenschutz"), "{first}");
        assert!(
            !tabs.contains("Fälle") && !tabs.contains("Kinderschutz"),
            "{tabs}"
        );
        for key in [
            "<f2>", "<f3>", "<f4>", "<f6>", "<f7>", "1", "2", "3", "5", "6",
        ] {
            keys(&mut app, key);
            assert_eq!(app.screen, Screen::Dpo, "{login} {key}");
            let text = screen(&mut app, 80, 24);
            if key != "<f7>" && key != "6" {
                assert!(text.contains("Keine Fallinhalte"), "{login} {key}:\n{text}");
            }
        }
        for _ in 0..DpoSection::ALL.len() {
            keys(&mut app, "<tab>");
            let text = screen(&mut app, 80, 24);
            for name in &case_names {
                assert!(
                    !text.contains(name.as_str()),
                    "{login} sees {name}:\n{text}"
                );
            }
        }
        // F5 holds no case content: the cooperation and its yearly report are hers
        // (docs/report.md § 1), without a name of a young person on any section.
        for key in ["<f5>", "4"] {
            keys(&mut app, key);
            assert_eq!(app.screen, Screen::Cooperation, "{login} {key}");
            for _ in 0..6 {
                keys(&mut app, "<tab>");
                let text = screen(&mut app, 80, 24);
                for name in &case_names {
                    assert!(
                        !text.contains(name.as_str()),
                        "{login} sees {name} on F5:\n{text}"
                    );
                }
            }
            keys(&mut app, "<f8>");
        }
        assert!(app.cases.list.rows.is_empty());
    }
}

#[test]
fn others_have_no_datenschutz_tab_and_f8_says_so() {
    for login in ["brinkmann", "hegemann", "rademacher", "hollmann"] {
        let mut app = test_app(login);
        let before = app.screen;
        let text = screen(&mut app, 120, 24);
        assert!(
            !text.lines().next().unwrap().contains("Datenschutz"),
            "{text}"
        );
        for key in ["<f8>", "7"] {
            keys(&mut app, key);
            assert_eq!(app.screen, before, "{login} {key}");
            assert_eq!(status(&app), "Nur für den Datenschutz (DSB).");
        }
    }
}

#[test]
fn sections_switch_with_tab_and_arrows() {
    let mut app = test_app("kloeckner");
    assert_eq!(app.dpo.section, DpoSection::Audit);
    keys(&mut app, "<tab>");
    assert_eq!(app.dpo.section, DpoSection::Grants);
    keys(&mut app, "<right> <right>");
    assert_eq!(app.dpo.section, DpoSection::Transfers);
    keys(&mut app, "<left>");
    assert_eq!(app.dpo.section, DpoSection::Refused);
    keys(&mut app, "<backtab> <backtab> <backtab>");
    assert_eq!(app.dpo.section, DpoSection::Retention, "wraps around");
    // Each shown section is one audit row of its own.
    let last = app.store().audit_tail(1).unwrap().remove(0);
    assert_eq!(
        (last.action.as_str(), last.object_type.as_str()),
        ("view", "dpo_retention")
    );
}

#[test]
fn the_filter_narrows_the_log_and_x_clears_it() {
    let mut app = test_app("wiemers");
    let case = break_glass(&app, "brinkmann");
    keys(&mut app, "<f8>");
    keys(&mut app, "/");
    assert_eq!(app.top_layer(), Some("dpo-form"));
    // Case number, then an unreadable date: refused at its row, the box stays.
    keys(&mut app, "<tab>");
    keys(&mut app, &case.0.to_string());
    keys(&mut app, "<tab> <tab> 32.13.2026 <enter>");
    assert_eq!(app.top_layer(), Some("dpo-form"), "{}", status(&app));
    assert!(status(&app).contains("TT.MM.JJJJ"), "{}", status(&app));
    for _ in 0..10 {
        keys(&mut app, "<backspace>");
    }
    keys(&mut app, "<enter>");
    assert_eq!(app.top_layer(), None, "{}", status(&app));
    assert_eq!(app.dpo.filter.case_no, Some(case.0));
    assert!(!app.dpo.audit.is_empty());
    assert!(app.dpo.audit.iter().all(|r| r.object_id == Some(case.0)));
    let text = screen(&mut app, 80, 24);
    assert!(text.contains(&format!("Filter: Fall {}", case.0)), "{text}");
    assert!(text.contains("Notfallzugriff"), "{text}");
    keys(&mut app, "x");
    assert!(app.dpo.filter.is_empty());
}

#[test]
fn the_dsb_reviews_a_break_glass_access() {
    let mut app = test_app("wiemers");
    let case = break_glass(&app, "brinkmann");
    keys(&mut app, "<tab>");
    assert_eq!(app.dpo.section, DpoSection::Grants);
    assert_eq!(app.dpo.grants.len(), 1);
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("ungeprüft") && text.contains("brinkmann"),
        "{text}"
    );
    assert!(!text.contains("Mustermann"), "{text}");
    keys(&mut app, "b");
    assert_eq!(app.top_layer(), Some("dpo-form"));
    // "nicht berechtigt", a comment, Enter.
    keys(&mut app, "<right> <tab> keine <space> Vertretung <enter>");
    assert_eq!(app.top_layer(), None, "{}", status(&app));
    assert!(
        status(&app).contains("nicht berechtigt"),
        "{}",
        status(&app)
    );
    let review = app.dpo.grants[0].review.clone().unwrap();
    assert_eq!(review.verdict, Verdict::Unjustified);
    assert_eq!(review.comment, "keine Vertretung");
    assert_eq!(app.dpo.grants[0].case_no, case.0);
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("Geprüft: nicht berechtigt (wiemers"),
        "{text}"
    );
    // Enter on another section says where reviews are made.
    keys(&mut app, "<tab> b");
    assert!(status(&app).contains("Notfallzugriffe"), "{}", status(&app));
}

#[test]
fn a_planned_run_is_released_after_asking() {
    let mut app = test_app("kloeckner");
    let lead = app
        .store()
        .active_staff()
        .unwrap()
        .into_iter()
        .find(|s| s.agency == Agency::Jugendamt && s.has_role(Role::Lead))
        .unwrap();
    let run = app.store().plan_deletion_run(&lead, today()).unwrap();
    keys(&mut app, "<backtab>");
    assert_eq!(app.dpo.section, DpoSection::Retention);
    keys(&mut app, "f");
    assert!(status(&app).contains("erneut f"), "{}", status(&app));
    assert!(
        app.dpo.retention.as_ref().unwrap().runs[0]
            .executed_at
            .is_none()
    );
    keys(&mut app, "f");
    assert!(status(&app).contains("freigegeben"), "{}", status(&app));
    let r = &app.dpo.retention.as_ref().unwrap().runs[0];
    assert_eq!(r.id, run.id);
    assert!(r.executed_at.is_some());
    keys(&mut app, "f");
    assert!(status(&app).contains("Kein geplanter"), "{}", status(&app));
}

#[test]
fn help_lists_the_keys_of_the_dpo_screen() {
    let mut app = test_app("wiemers");
    keys(&mut app, "?");
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("Datenschutz"), "{text}");
    assert!(text.contains("Nächster Bereich"), "{text}");
}

fn snap(app: &mut App) -> String {
    screen(app, 80, 24)
}

#[test]
fn dpo_sections_80x24() {
    let mut app = test_app("wiemers");
    break_glass(&app, "brinkmann");
    keys(&mut app, "<f8>");
    // Re-read after the break-glass above.
    keys(&mut app, "<tab> <backtab>");
    insta::assert_snapshot!("dpo_audit_80x24", snap(&mut app));
    keys(&mut app, "<tab>");
    insta::assert_snapshot!("dpo_grants_80x24", snap(&mut app));
    keys(&mut app, "b");
    insta::assert_snapshot!("dpo_review_80x24", snap(&mut app));
    keys(&mut app, "<esc>");
    keys(&mut app, "<tab>");
    insta::assert_snapshot!("dpo_refused_80x24", snap(&mut app));
    keys(&mut app, "<tab>");
    insta::assert_snapshot!("dpo_transfers_80x24", snap(&mut app));
    keys(&mut app, "<tab>");
    insta::assert_snapshot!("dpo_referrals_80x24", snap(&mut app));
    keys(&mut app, "<tab>");
    insta::assert_snapshot!("dpo_chain_80x24", snap(&mut app));
    keys(&mut app, "<tab>");
    insta::assert_snapshot!("dpo_retention_80x24", snap(&mut app));
    let mut ja = test_app("kloeckner");
    keys(&mut ja, "/");
    insta::assert_snapshot!("dpo_filter_80x24", snap(&mut ja));
    keys(&mut ja, "<esc>");
    for _ in 0..4 {
        keys(&mut ja, "<tab>");
    }
    insta::assert_snapshot!("dpo_referrals_ja_80x24", snap(&mut ja));
}

#[test]
fn the_dsb_answers_an_access_request_into_the_exports_folder() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let mut store =
            tandem::storage::Store::open(&path, tandem::storage::OpenMode::CreateOrMigrate)
                .unwrap();
        store.set_clock(support::test_clock());
        tandem::demo::write(&store, &tandem::demo::demo_data(today())).unwrap();
    }
    let store = tandem::storage::Store::open(&path, tandem::storage::OpenMode::Existing).unwrap();
    let mut app = support::app_on(store, "kloeckner", tandem::strings::Lang::De);
    let person = tandem::demo::demo_data(today()).cases[0].person.clone();
    keys(&mut app, "a");
    assert_eq!(app.top_layer(), Some("dpo-form"));
    insta::assert_snapshot!("dpo_export_80x24", screen(&mut app, 80, 24));
    // Without a given name: refused at its row.
    app.paste(&person.surname);
    keys(&mut app, "<enter>");
    assert_eq!(app.top_layer(), Some("dpo-form"));
    assert!(status(&app).contains("Vornamen"), "{}", status(&app));
    app.paste(&person.given_names);
    keys(&mut app, "<enter>");
    assert_eq!(app.top_layer(), None, "{}", status(&app));
    assert!(
        status(&app).contains("Auskunft geschrieben"),
        "{}",
        status(&app)
    );
    let files: Vec<_> = std::fs::read_dir(dir.path().join("exports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 3, "JSON, text and PDF: {files:?}");
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        assert!(name.starts_with("auskunft-"), "{name}");
        let mode = std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{name}");
    }
    let json = files
        .iter()
        .find(|f| f.extension().unwrap() == "json")
        .unwrap();
    let text = std::fs::read_to_string(json).unwrap();
    assert!(
        text.contains(&person.surname),
        "the answer names the person"
    );
    // The log keeps the export, never the name.
    let last = app.store().audit_tail(1).unwrap().remove(0);
    assert_eq!(last.action, "export");
    assert!(!format!("{last:?}").contains(&person.surname));
    // Nothing of it stays on the screen.
    keys(&mut app, "<tab>");
    assert!(!screen(&mut app, 80, 24).contains(&person.surname));
}

#[test]
fn dpo_english_80x24() {
    let mut app = support::app_on(support::demo_store(), "wiemers", tandem::strings::Lang::En);
    keys(&mut app, "<f2>");
    assert!(status(&app).contains("No case content"), "{}", status(&app));
    keys(&mut app, "<tab>");
    insta::assert_snapshot!("dpo_grants_en_80x24", screen(&mut app, 80, 24));
    keys(&mut app, "<tab> <tab> <tab>");
    insta::assert_snapshot!("dpo_referrals_en_80x24", screen(&mut app, 80, 24));
}

#[test]
fn where_four_eyes_are_configured_the_screens_export_waits_for_a_release() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let mut store =
            tandem::storage::Store::open(&path, tandem::storage::OpenMode::CreateOrMigrate)
                .unwrap();
        store.set_clock(support::test_clock());
        tandem::demo::write(&store, &tandem::demo::demo_data(today())).unwrap();
    }
    let store = tandem::storage::Store::open(&path, tandem::storage::OpenMode::Existing).unwrap();
    store.set_export_four_eyes(&[Agency::Jugendamt]).unwrap();
    let mut app = support::app_on(store, "kloeckner", tandem::strings::Lang::De);
    let person = tandem::demo::demo_data(today()).cases[0].person.clone();
    keys(&mut app, "a");
    app.paste(&person.surname);
    keys(&mut app, "<tab>");
    app.paste(&person.given_names);
    keys(&mut app, "<enter>");
    assert_eq!(app.top_layer(), Some("dpo-form"), "the input stays");
    assert!(status(&app).contains("Vier-Augen"), "{}", status(&app));
    assert!(!dir.path().join("exports").exists());
}

#[test]
fn a_lead_reviews_the_own_staffs_break_glass_there_and_sees_nothing_else() {
    let mut app = test_app("schwering");
    break_glass(&app, "brinkmann");
    let tabs = screen(&mut app, 120, 24);
    assert!(
        tabs.lines().next().unwrap().contains("Datenschutz"),
        "{tabs}"
    );
    keys(&mut app, "<f8>");
    assert_eq!(app.screen, Screen::Dpo, "{}", status(&app));
    assert_eq!(app.dpo.section, DpoSection::Grants);
    assert_eq!(app.dpo.grants.len(), 1);
    insta::assert_snapshot!("dpo_lead_80x24", screen(&mut app, 80, 24));
    // Only the review: no other section, no filter, no export, no release.
    keys(&mut app, "<tab> <right> / a f x");
    assert_eq!(app.dpo.section, DpoSection::Grants);
    assert_eq!(app.top_layer(), None);
    assert!(app.dpo.audit.is_empty() && app.dpo.transfers.is_empty());
    keys(
        &mut app,
        "<enter> <tab> Vertretung <space> ohne <space> Eintrag <enter>",
    );
    assert_eq!(app.top_layer(), None, "{}", status(&app));
    let review = app.dpo.grants[0].review.clone().unwrap();
    assert_eq!(
        (review.verdict, review.by.as_str()),
        (Verdict::Justified, "schwering")
    );
    // The help lists the lead's keys under their own heading.
    keys(&mut app, "?");
    let help = screen(&mut app, 80, 24);
    assert!(help.contains("Notfallzugriffe prüfen (Leitung)"), "{help}");
    // The Jugendamt's lead does not see the Jobcenter's access.
    let mut ja = test_app("tueshaus");
    keys(&mut ja, "<f8>");
    assert!(ja.dpo.grants.is_empty());
}
