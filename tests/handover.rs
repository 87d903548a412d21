//! The hand-over Jugendamt → Jobcenter through the keys (issue #17; docs/casework.md
//! § 3a): flagged by the planned end of the help, checked and agreed by the Jugendamt, the
//! application confirmed by the Jobcenter, handed over; each step checked at its field,
//! audited and kept as a draft; the transition conference's last day shown.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use support::{app_on, demo_store, keys, screen};
use tandem::app::App;
use tandem::app::layers::handover::{HandoverForm, HandoverMenu};
use tandem::domain::handover::{HandoverStatus, HandoverStep};
use tandem::domain::{Agency, CaseId};
use tandem::model::list::PageAnchor;
use tandem::storage::Store;
use tandem::strings::Lang;

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn login(store: Store, who: &str) -> App {
    let mut app = app_on(store, who, Lang::De);
    while app.top_layer() == Some("question") {
        keys(&mut app, "n");
    }
    app
}

/// A Jugendamt caseworker and a case of hers whose help ends within a year, with a
/// Jobcenter caseworker; the Jobcenter caseworker's login.
fn flagged_case() -> (Store, String, String, CaseId) {
    let store = demo_store();
    for login_name in [
        "dabrowska",
        "hegemann",
        "straeter",
        "aksoy",
        "pieper",
        "schroeer",
        "kaczmarek",
        "huesken",
        "wagner",
    ] {
        let me = store.staff_by_login(login_name).unwrap().unwrap();
        let query = tandem::model::list::ListQuery::default();
        for r in store
            .case_page(&me, &query, &PageAnchor::First, 10_000)
            .unwrap()
        {
            let Ok(view) = store.case_file(&me, r.id, support::today()) else {
                continue;
            };
            if view.case.ja_staff == Some(me.id)
                && let Some(jc) = view.case.jc_staff
                && view
                    .handover
                    .as_ref()
                    .is_some_and(|h| h.status == HandoverStatus::Flagged)
            {
                let jc = store.staff_by_id(jc).unwrap().unwrap();
                assert_eq!(jc.agency, Agency::Jobcenter);
                return (store, login_name.to_string(), jc.login, r.id);
            }
        }
    }
    panic!("no flagged hand-over in the demo");
}

fn choose(app: &mut App, step: HandoverStep) {
    keys(app, "u");
    let menu = app.layer_mut::<HandoverMenu>().expect("the menu opens");
    let at = menu
        .items
        .iter()
        .position(|i| *i == step)
        .unwrap_or_else(|| panic!("{step:?} not offered: {:?}", menu.items));
    for _ in 0..at {
        keys(app, "<down>");
    }
    keys(app, "<enter>");
    assert_eq!(app.top_layer(), Some("handover"), "{}", status(app));
}

fn whole_file(app: &mut App) -> String {
    let mut out = String::new();
    for _ in 0..12 {
        out.push_str(&screen(app, 80, 24));
        keys(app, "<pagedown>");
    }
    keys(app, "<home>");
    out
}

fn stage(app: &App) -> HandoverStatus {
    app.cases
        .file
        .as_ref()
        .and_then(|f| f.view.handover.as_ref())
        .map(|h| h.status)
        .expect("a hand-over")
}

#[test]
fn a_hand_over_runs_from_flagged_to_handed_over_with_each_side_taking_its_steps() {
    let (store, ja_login, jc_login, case) = flagged_case();
    let mut ja = login(store, &ja_login);
    ja.open_file(case);
    let file = whole_file(&mut ja);
    assert!(file.contains("Übergang Jugendamt → Jobcenter"), "{file}");
    assert!(file.contains("Vorgemerkt"), "{file}");
    assert!(file.contains("Übergangskonferenz"), "{file}");

    // The Jugendamt starts the check; the menu offers only its own steps.
    keys(&mut ja, "u");
    let offered = ja.layer_mut::<HandoverMenu>().unwrap().items.clone();
    assert_eq!(offered, vec![HandoverStep::Check, HandoverStep::Drop]);
    keys(&mut ja, "<esc>");
    choose(&mut ja, HandoverStep::Check);
    insta::assert_snapshot!("handover_check_80x24", screen(&mut ja, 80, 24));
    insta::assert_snapshot!("handover_check_60x15", screen(&mut ja, 60, 15));
    keys(&mut ja, "<right> <ctrl-s>");
    assert_eq!(ja.top_layer(), None, "{}", status(&ja));
    assert_eq!(stage(&ja), HandoverStatus::Checking);

    // Agreed: the Hilfeplan is asked for at its field.
    choose(&mut ja, HandoverStep::Agree);
    keys(&mut ja, "<ctrl-s>");
    assert_eq!(ja.top_layer(), Some("handover"), "the form stays");
    assert!(screen(&mut ja, 80, 24).contains("⚠ Bitte ausfüllen."));
    keys(&mut ja, "12.11.2026 <ctrl-s>");
    assert_eq!(ja.top_layer(), None, "{}", status(&ja));
    assert_eq!(stage(&ja), HandoverStatus::Agreed);
    // The Jobcenter's step is not the Jugendamt's.
    keys(&mut ja, "u");
    assert_eq!(ja.top_layer(), Some("handover-menu"));
    let offered = ja.layer_mut::<HandoverMenu>().unwrap().items.clone();
    assert!(!offered.contains(&HandoverStep::Apply), "{offered:?}");
    keys(&mut ja, "<esc>");

    // The Jobcenter confirms the application.
    let store = ja.into_store();
    let mut jc = login(store, &jc_login);
    jc.open_file(case);
    choose(&mut jc, HandoverStep::Apply);
    keys(&mut jc, "<ctrl-s>");
    assert_eq!(jc.top_layer(), None, "{}", status(&jc));
    assert_eq!(stage(&jc), HandoverStatus::Applied);

    // The Jugendamt hands over; a step typed and interrupted is kept as a draft.
    let store = jc.into_store();
    let mut ja = login(store, &ja_login);
    ja.open_file(case);
    choose(&mut ja, HandoverStep::HandOver);
    let form = ja.layer_mut::<HandoverForm>().unwrap();
    form.editor.focus("on");
    for _ in 0..10 {
        keys(&mut ja, "<backspace>");
    }
    // Before the application's day: refused at the field.
    keys(&mut ja, "24.11.2026 <ctrl-s>");
    assert_eq!(ja.top_layer(), Some("handover"), "{}", status(&ja));
    let me = ja.me.clone();
    ja.lock();
    let store = ja.into_store();
    let d = store
        .drafts_offered(&me)
        .unwrap()
        .into_iter()
        .map(|(_, d)| d)
        .find(|d| d.form == "handover")
        .expect("a draft");
    assert_eq!(d.record_id, case.0);
    let mut ja = app_on(store, &ja_login, Lang::De);
    assert_eq!(ja.top_layer(), Some("question"));
    keys(&mut ja, "j");
    assert_eq!(ja.top_layer(), Some("handover"), "{}", status(&ja));
    let form = ja.layer_mut::<HandoverForm>().unwrap();
    assert_eq!(form.editor.value("on"), "24.11.2026");
    form.editor.focus("on");
    for _ in 0..10 {
        keys(&mut ja, "<backspace>");
    }
    keys(&mut ja, "25.11.2026 <ctrl-s>");
    assert_eq!(ja.top_layer(), None, "{}", status(&ja));
    assert_eq!(stage(&ja), HandoverStatus::HandedOver);
    let h = ja
        .cases
        .file
        .as_ref()
        .unwrap()
        .view
        .handover
        .clone()
        .unwrap();
    assert_eq!(
        h.handed_over_on,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
    );
    assert_eq!(h.hilfeplan_ref, "12.11.2026");
    let steps: Vec<String> = ja
        .store()
        .audit_rows_for("handover", case.0)
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "update")
        .filter_map(|r| r.detail)
        .collect();
    assert_eq!(steps, ["check", "agree", "apply", "hand_over"]);
    insta::assert_snapshot!("handover_file_80x24", {
        let text = whole_file(&mut ja);
        let start = text.find("Übergang Jugendamt → Jobcenter").unwrap();
        text[start..].lines().take(9).collect::<Vec<_>>().join("\n")
    });
}
