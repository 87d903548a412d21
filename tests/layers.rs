//! Every registered layer that takes text keeps what is typed and pasted: in its field and
//! in its saved draft (issue #11; docs/architecture.md § 4). The list of layers is the
//! registry, not a hand list here, so a new form or text popup is covered the day it is
//! registered.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use proptest::prelude::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use support::{app_on, demo_store, keys};
use tandem::app::layers::REGISTRY;
use tandem::strings::Lang;

#[test]
fn the_registry_names_every_text_layer_once() {
    let mut names: Vec<&str> = REGISTRY.iter().map(|r| r.name).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "a layer is registered twice");
    // The forms and text popups issue #11 names must all be there.
    let with_example: Vec<&str> = REGISTRY
        .iter()
        .filter(|r| r.example.is_some())
        .map(|r| r.name)
        .collect();
    for name in ["case-form", "note", "consent", "break-glass", "transfer"] {
        assert!(with_example.contains(&name), "{name} is not registered");
    }
    assert!(
        with_example.len() >= 8,
        "the case form, note, consent, referral form, planning form, minutes, addendum and \
         consultation request are all text layers: {with_example:?}"
    );
}

/// Opens `reg`'s example, types `typed`, pastes `pasted`, and checks the field and the
/// draft written when the session locks.
fn check_layer(reg: &tandem::app::layers::Registration, typed: &str, pasted: &str) {
    let example = reg.example.as_ref().unwrap();
    let mut app = app_on(demo_store(), example.login, Lang::De);
    // A draft offered at login is answered "later" first.
    while app.top_layer() == Some("question") {
        keys(&mut app, "n");
    }
    assert!((example.open)(&mut app), "{} does not open", reg.name);
    assert_eq!(
        app.top_layer(),
        Some(reg.name),
        "{}: {:?}",
        reg.name,
        app.status
    );
    for _ in 0..40 {
        if app.text_input_active() {
            break;
        }
        keys(&mut app, "<tab>");
    }
    assert!(app.text_input_active(), "{} offers no text field", reg.name);
    for c in typed.chars() {
        app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    app.paste(pasted);
    let want = format!("{typed}{pasted}");
    let field = app
        .layers
        .last()
        .and_then(|l| l.field_text())
        .unwrap_or_default();
    assert!(
        field.contains(&want),
        "{}: {want:?} not in the field {field:?}",
        reg.name
    );
    let Some(form) = reg.draft_form else {
        // A short form without drafts (break-glass, transfer) keeps the text in its field
        // only and writes no draft at all.
        let top = app.layers.last().unwrap();
        assert!(
            top.draft(&app).is_none(),
            "{} has no draft form but writes a draft",
            reg.name
        );
        return;
    };
    let me = app.me.clone();
    app.lock();
    let store = app.into_store();
    let drafts: Vec<_> = store
        .drafts_offered(&me)
        .unwrap()
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    assert!(
        drafts
            .iter()
            .filter(|d| d.form == form)
            .any(|d| d.values.values().any(|v| v.contains(&want))),
        "{}: {want:?} not in a {form} draft: {drafts:?}",
        reg.name
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn every_text_layer_keeps_typed_and_pasted_text(
        typed in "[A-Za-zÄÖÜäöüß0-9]{1,8}",
        pasted in "[A-Za-zäöü0-9 .,-]{0,12}[a-z]",
    ) {
        for reg in REGISTRY.iter().filter(|r| r.example.is_some()) {
            check_layer(reg, &typed, &pasted);
        }
    }
}

/// Digit shortcuts (1–5 switch screens) never fire while a form or popup is open, whatever
/// field has the focus: in a text field the digit is typed, elsewhere it does nothing.
#[test]
fn digit_shortcuts_never_fire_in_an_open_layer() {
    for reg in REGISTRY.iter().filter(|r| r.example.is_some()) {
        let example = reg.example.as_ref().unwrap();
        let mut app = app_on(demo_store(), example.login, Lang::De);
        while app.top_layer() == Some("question") {
            keys(&mut app, "n");
        }
        assert!((example.open)(&mut app), "{} does not open", reg.name);
        let screen = app.screen;
        // Visit every field of the layer and press each digit there.
        for _ in 0..12 {
            for d in ["1", "2", "3", "4", "5"] {
                keys(&mut app, d);
                assert_eq!(app.screen, screen, "{}: {d} switched the screen", reg.name);
                assert_eq!(
                    app.top_layer(),
                    Some(reg.name),
                    "{}: {d} closed it",
                    reg.name
                );
            }
            keys(&mut app, "<tab>");
        }
    }
}

/// #23 defect 10: long input is never typed blind. In every registered text layer, at
/// 80×24, the end of a long line of text stays on the screen while it is typed (the field
/// scrolls or wraps).
#[test]
fn long_input_stays_in_view_in_every_text_layer() {
    // 85 characters and a 14-character paste: several screen lines, within the smallest
    // field limit (a name, 100).
    let long = format!("{}ENDE", "Wortlaut ".repeat(9));
    for reg in REGISTRY.iter().filter(|r| r.example.is_some()) {
        let example = reg.example.as_ref().unwrap();
        let mut app = app_on(demo_store(), example.login, Lang::De);
        while app.top_layer() == Some("question") {
            keys(&mut app, "n");
        }
        assert!((example.open)(&mut app), "{} does not open", reg.name);
        for _ in 0..40 {
            if app.text_input_active() {
                break;
            }
            keys(&mut app, "<tab>");
        }
        assert!(app.text_input_active(), "{} offers no text field", reg.name);
        // A terminal sends a pasted line break as CR: it stays a break (or a space on
        // one line), never joining the words around it.
        app.paste("Zeile1\rZeile2 ");
        let text = support::screen(&mut app, 80, 24);
        assert!(
            text.contains("Zeile2") && !text.contains("Zeile1Zeile2"),
            "{}: the pasted line break is lost\n{text}",
            reg.name
        );
        for c in long.chars() {
            app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        let text = support::screen(&mut app, 80, 24);
        assert!(
            text.contains("ENDE"),
            "{}: the end of the typed text is not shown\n{text}",
            reg.name
        );
    }
}
