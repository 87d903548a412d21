//! F5 Kooperation driven by keys (docs/cooperation.md): the sections and the report at
//! 80×24 and 60×15 without colour, a plenary planned through its form (a draft while
//! typed, a problem at its field), a hospitation refused "Durchgeführt" without the
//! pledge, the report's figures put on the agenda, and the report kept from caseworkers.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use support::{keys, screen, test_app};
use tandem::app::screens::coop::CoopSection;
use tandem::app::{App, Screen};

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn to_section(app: &mut App, section: CoopSection) {
    keys(app, "<f5>");
    while app.coop.section != section {
        keys(app, "<tab>");
    }
}

#[test]
fn snapshots_of_every_section_and_the_report() {
    let mut app = test_app("schwering");
    keys(&mut app, "<f5>");
    assert_eq!(app.screen, Screen::Cooperation);
    for (w, h) in [(80, 24), (60, 15)] {
        for section in CoopSection::ALL {
            to_section(&mut app, section);
            let text = screen(&mut app, w, h);
            insta::assert_snapshot!(format!("coop_{section:?}_{w}x{h}").to_lowercase(), text);
        }
    }
    // The report further down, at both sizes.
    to_section(&mut app, CoopSection::Report);
    keys(&mut app, "<pagedown> <pagedown> <pagedown>");
    insta::assert_snapshot!("coop_report_page4_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("coop_report_page4_60x15", screen(&mut app, 60, 15));
}

#[test]
fn the_report_is_not_for_caseworkers() {
    let mut app = test_app("brinkmann");
    to_section(&mut app, CoopSection::Report);
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("Teamleitungen und Datenschutzbeauftragte"),
        "{text}"
    );
    assert!(!text.contains("Jahresbericht 2026"), "{text}");
    // But the rest of F5 is there for them.
    to_section(&mut app, CoopSection::Trainings);
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("Fortbildung"), "{text}");
}

#[test]
fn a_plenary_form_keeps_a_draft_and_says_what_is_wrong_at_the_field() {
    let mut app = test_app("tueshaus");
    keys(&mut app, "<f5> + n");
    assert_eq!(app.coop.year, 2027);
    assert_eq!(app.top_layer(), Some("coop-plenary"));
    // A date of the wrong year and a duration that is no number.
    keys(&mut app, "10.11.2026 <space> 13:00 <tab>");
    keys(&mut app, "<backspace> <backspace> <backspace> lang");
    let draft = app
        .layers
        .last()
        .unwrap()
        .draft(&app)
        .expect("a draft while typed");
    assert_eq!(draft.form, "coop-plenary");
    assert_eq!(draft.record_id, 2027);
    keys(&mut app, "<ctrl-s>");
    assert!(status(&app).contains("im Jahr 2027"), "{}", status(&app));
    assert_eq!(app.top_layer(), Some("coop-plenary"), "the form stays open");
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("Bitte eine Zahl von 15 bis 600 eingeben."),
        "{text}"
    );
    // Corrected: saved, with the default agenda and the open decision of 2025.
    // The first problem has the focus: the date.
    let form = app
        .layer_mut::<tandem::app::layers::coop_form::CoopForm>()
        .unwrap();
    assert_eq!(form.editor.current().unwrap().key, "start");
    for _ in 0..16 {
        keys(&mut app, "<backspace>");
    }
    keys(&mut app, "11.11.2027 <space> 13:00 <tab>");
    for _ in 0..4 {
        keys(&mut app, "<backspace>");
    }
    keys(&mut app, "120 <ctrl-s>");
    assert_eq!(app.top_layer(), None, "{}", status(&app));
    let p = app.coop.data.as_ref().unwrap().plenary.as_ref().unwrap();
    assert_eq!(p.duration_min, 120);
    assert_eq!(p.agenda[0].title, "Jahresbericht");
    assert!(
        p.agenda
            .iter()
            .any(|a| a.title.starts_with("Offener Beschluss 2025")),
        "{:?}",
        p.agenda
    );
}

#[test]
fn a_hospitation_without_pledge_is_refused_done() {
    let mut app = test_app("tueshaus");
    to_section(&mut app, CoopSection::Hospitations);
    // The demo's agreed hospitation lies 60 days ahead, in 2027, without a pledge.
    keys(&mut app, "+");
    let list = app.coop.data.as_ref().unwrap().hospitations.clone();
    assert_eq!(list.len(), 1, "{list:?}");
    assert!(list[0].pledge_on.is_none());
    keys(&mut app, "s");
    assert!(
        status(&app).contains("Verschwiegenheitserklärung"),
        "{}",
        status(&app)
    );
    let after = &app.coop.data.as_ref().unwrap().hospitations[0];
    assert_eq!(after.status, list[0].status, "unchanged");
    insta::assert_snapshot!("coop_hospitation_refused_80x24", screen(&mut app, 80, 24));
}

#[test]
fn the_reports_figures_go_onto_the_agenda() {
    let mut app = test_app("schwering");
    to_section(&mut app, CoopSection::Report);
    keys(&mut app, "a");
    assert!(
        status(&app).contains("auf die Tagesordnung"),
        "{}",
        status(&app)
    );
    let p = app.coop.data.as_ref().unwrap().plenary.clone().unwrap();
    assert!(
        p.agenda[0].title.starts_with("Jahresbericht 2026:"),
        "{:?}",
        p.agenda
    );
    assert!(
        p.agenda.iter().any(|a| a.title.starts_with("Zusage")),
        "{:?}",
        p.agenda
    );
    // Twice: the report's items are replaced, not doubled.
    let n = p.agenda.len();
    keys(&mut app, "a");
    assert_eq!(
        app.coop
            .data
            .as_ref()
            .unwrap()
            .plenary
            .as_ref()
            .unwrap()
            .agenda
            .len(),
        n
    );
    // No count below the threshold is printed as a number on the agenda either.
    for item in &p.agenda {
        for tok in item.title.split(|c: char| !c.is_ascii_digit()) {
            if let Ok(n) = tok.parse::<u64>() {
                assert!(
                    n == 0
                        || n >= 3
                        || item.title.contains(&format!("{n} %"))
                        || item.title.contains("binnen"),
                    "{}",
                    item.title
                );
            }
        }
    }
}
