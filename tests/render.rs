//! Render snapshots (TestBackend + insta) of every screen at 80×24 and at 30×8, with a
//! fixed clock and the deterministic demo data; and renders at random sizes never panic.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use proptest::prelude::*;
use support::{keys, screen, test_app};

fn snap(name: &str, seq: &str) {
    let mut app = test_app("brinkmann");
    keys(&mut app, seq);
    for (w, h) in [(80, 24), (30, 8)] {
        let text = screen(&mut app, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

#[test]
fn case_list() {
    snap("case_list", "");
}

#[test]
fn case_list_filtered() {
    snap("case_list_filtered", "/ arslan");
}

#[test]
fn case_file() {
    snap("case_file", "/ arslan <enter> <enter>");
}

#[test]
fn case_form_with_errors() {
    snap("case_form", "n Kößler <tab> Lea <tab> 31.02.2007 <ctrl-s>");
    // At the smallest size the app draws: the focused field, its cursor and its problem
    // stay in view, and a name longer than the line continues below.
    let mut app = test_app("brinkmann");
    keys(
        &mut app,
        "n Kößler-Schwarzenberg-Hinterhuber <tab> Lea <tab> 31.02.2007 <ctrl-s>",
    );
    insta::assert_snapshot!("case_form_40x10", screen(&mut app, 40, 10));
    keys(&mut app, "<backtab> <backtab>");
    insta::assert_snapshot!("case_form_40x10_long_name", screen(&mut app, 40, 10));
}

#[test]
fn help() {
    snap("help", "?");
}

#[test]
fn placeholder_screen() {
    snap("conferences", "<f3>");
}

#[test]
fn quit_question() {
    snap("question", "n A <tab> <tab> <tab> q");
}

#[test]
fn selection_is_visible_without_colour() {
    let mut app = test_app("brinkmann");
    let text = screen(&mut app, 80, 24);
    assert!(
        text.lines().any(|l| l.starts_with('▶')),
        "marker column shows the selection"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_size_renders_without_panic(w in 0u16..300, h in 0u16..120, view in 0usize..6) {
        let mut app = test_app("brinkmann");
        let seq = ["", "<enter>", "n", "?", "<f6>", "n x <ctrl-s>"][view];
        keys(&mut app, seq);
        let text = screen(&mut app, w, h);
        if w < 40 || h < 10 {
            prop_assert!(text.lines().count() == usize::from(h));
        }
    }
}
