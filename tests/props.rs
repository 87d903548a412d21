//! Property tests (docs/architecture.md § 8): hostile text in case data never reaches the terminal as
//! anything but harmless text; the sanitiser removes the payloads wherever they sit; every
//! screen renders at any size.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod support;

use std::collections::BTreeSet;

use proptest::prelude::*;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use support::{keys, screen, test_app};
use tandem::app::layers::help::Help;
use tandem::app::{App, Ask, CaseForm, CasesView, Screen};
use tandem::domain::text::sanitize;

/// The payloads of docs/architecture.md § 6: each would make a terminal do something if it reached the
/// output bytes.
const PAYLOADS: [&str; 12] = [
    "\x1b]0;pwned\x07",            // OSC 0: window title
    "\x1b[2J",                     // CSI: clear screen
    "\x1b]52;c;ZXZpbA==\x07",      // OSC 52: write the clipboard
    "\x1b]8;;http://x\x1b\\",      // OSC 8: hyperlink
    "\u{9b}31m",                   // 8-bit CSI: red
    "\u{202e}",                    // bidi override (RLO)
    "\x07",                        // BEL
    "\r",                          // CR
    "\x1bP1$r\x1b\\",              // DCS (DECRQSS)
    "\r\n$ sudo rm -rf / \x1b[8m", // fake prompt, then conceal
    "\u{2067}\u{202a}\u{200f}",    // RLI, LRE, RLM
    "\x1b[6n\x1b[c",               // cursor position and device attribute requests
];

/// The bidi controls sanitize() removes.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{FEFF}'
    )
}

/// Printable text that sanitize() keeps as it is: no control or format characters (C*),
/// no marks (a grapheme cluster keeps at most four after its first code point), none of
/// the characters terminals count differently (line and paragraph separators, Hangul
/// fillers and jamo, flags' regional indicators, skin tones; docs/architecture.md § 6).
const PRINTABLE: &str = "[\\PC&&\\PM&&[^\u{2028}\u{2029}\u{1100}-\u{11FF}\u{3164}\u{A960}-\u{A97F}\u{D7B0}-\u{D7FF}\u{FFA0}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}]]{0,12}";

/// Random text with payloads mixed in: each part is some printable text and a payload.
fn mixed(parts: &[(String, usize)]) -> String {
    parts
        .iter()
        .flat_map(|(text, p)| [text.as_str(), PAYLOADS[*p]])
        .collect()
}

fn parts(max: usize) -> impl Strategy<Value = Vec<(String, usize)>> {
    prop::collection::vec((PRINTABLE, 0..PAYLOADS.len()), 1..max)
}

/// `cases` cases; failures are reported, not written to a regressions file in tests/.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

// ---------------------------------------------------------------------------------------
// The sanitiser.

proptest! {
    #![proptest_config(config(256))]

    /// With printable text around the payloads, sanitize() keeps exactly the text and the
    /// printable rest of each payload.
    #[test]
    fn sanitize_removes_payloads_from_text(parts in parts(8), keep in any::<bool>()) {
        let input = mixed(&parts);
        let out = sanitize(&input, keep);
        let expected: String = parts
            .iter()
            .flat_map(|(text, p)| {
                let rest = PAYLOADS[*p]
                    .chars()
                    .filter(|&c| (keep && c == '\n') || !(c.is_control() || is_bidi_control(c)));
                text.chars().chain(rest)
            })
            .collect();
        prop_assert_eq!(&out, &expected);
        prop_assert!(
            !out.contains(['\x1b', '\x07', '\r', '\u{9b}', '\u{202e}']),
            "payload left in {:?}",
            out
        );
        prop_assert_eq!(out.contains('\n'), keep && input.contains('\n'));
        prop_assert_eq!(sanitize(&out, keep), out);
    }

    /// On any text at all: no control character (but kept newlines) and no bidi control
    /// survives, and sanitising twice changes nothing.
    #[test]
    fn sanitize_leaves_no_controls(input in ".{0,64}", keep in any::<bool>()) {
        let out = sanitize(&input, keep);
        for c in out.chars() {
            prop_assert!(!c.is_control() || (keep && c == '\n'), "{:?} in {:?}", c, out);
            prop_assert!(!is_bidi_control(c), "{:?} in {:?}", c, out);
            prop_assert!(!matches!(c, '\u{2028}' | '\u{2029}'), "{:?} in {:?}", c, out);
        }
        for cluster in unicode_segmentation::UnicodeSegmentation::graphemes(out.as_str(), true) {
            prop_assert!(cluster.chars().count() <= 5, "{:?} in {:?}", cluster, out);
        }
        prop_assert_eq!(sanitize(&out, keep), out);
    }
}

// ---------------------------------------------------------------------------------------
// Hostile case data on every screen, rendered through the real crossterm backend.

/// The kinds of terminal controls in `bytes`: escape sequences by type (CSI by private
/// marker and final byte, with parameters for the erase and mode sequences), C0 bytes,
/// C1 characters and bidi controls in UTF-8. Printable text is left out.
fn control_kinds(bytes: &[u8]) -> BTreeSet<String> {
    let mut kinds = BTreeSet::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            0x1b => match bytes.get(i + 1) {
                Some(b'[') => {
                    let start = i + 2;
                    let mut j = start;
                    while j < bytes.len() && (0x20..=0x3f).contains(&bytes[j]) {
                        j += 1;
                    }
                    let params = String::from_utf8_lossy(&bytes[start..j]);
                    let fin = bytes.get(j).map_or('?', |&b| char::from(b));
                    let private: String = params.chars().filter(|c| "<=>?".contains(*c)).collect();
                    let kind = if "JKhl".contains(fin) {
                        format!("CSI {params}{fin}")
                    } else {
                        format!("CSI {private}{fin}")
                    };
                    kinds.insert(kind);
                    i = j + 1;
                }
                Some(&b) => {
                    kinds.insert(format!("ESC {}", char::from(b)));
                    i += 2;
                }
                None => {
                    kinds.insert("ESC".to_string());
                    i += 1;
                }
            },
            b @ (0x00..=0x1f | 0x7f) => {
                kinds.insert(format!("C0 {b:#04x}"));
                i += 1;
            }
            0xc2 if bytes.get(i + 1).is_some_and(|b| (0x80..=0x9f).contains(b)) => {
                kinds.insert(format!("C1 {:#04x}", bytes[i + 1]));
                i += 2;
            }
            0xd8 | 0xe2 => {
                // A character of 2 or 3 bytes: bidi controls live here.
                let len = if bytes[i] == 0xd8 { 2 } else { 3 };
                if let Some(ch) = bytes
                    .get(i..i + len)
                    .and_then(|s| std::str::from_utf8(s).ok())
                    .and_then(|s| s.chars().next())
                {
                    if is_bidi_control(ch) {
                        kinds.insert(format!("bidi U+{:04X}", u32::from(ch)));
                    }
                    i += len;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    kinds
}

/// One frame of `app` at 80×24 as the bytes the session's backend sends to the terminal
/// (including what the terminal sends when it is dropped).
fn frame_bytes(app: &App) -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut terminal = Terminal::with_options(
            tandem::terminal::lean::LeanBackend::new(&mut bytes),
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)),
            },
        )
        .unwrap();
        terminal.draw(|f| tandem::ui::render(f, app)).unwrap();
    }
    bytes
}

/// The text fields given to the stored case.
#[derive(Debug, Clone)]
struct Fields {
    surname: String,
    given_names: String,
    address: String,
    phone: String,
    question: String,
}

impl Fields {
    fn sanitized(&self) -> Fields {
        Fields {
            surname: sanitize(&self.surname, false),
            given_names: sanitize(&self.given_names, false),
            address: sanitize(&self.address, false),
            phone: sanitize(&self.phone, false),
            question: sanitize(&self.question, true),
        }
    }
}

/// Keys to send, and a check of where they must have led.
type Step = (&'static str, fn(&App) -> bool);

/// The word the filter finds the case by; no demo name starts with it.
const MARKER: &str = "Zyxqvw";

/// Key sequences from the case list, each followed by a frame: the list filtered to the
/// case, help over it, the case file, help over it, the edit form with the focus on each
/// field in turn, help over the form, a changed form and the discard question. Each step's
/// check says where it must have arrived.
const STEPS: [Step; 8] = [
    ("/ zyxqvw <enter>", |a| {
        a.cases.view == CasesView::List && !a.cases.list.filtering
    }),
    ("?", |a| a.has_layer::<Help>()),
    ("? <enter>", |a| {
        a.cases.view == CasesView::File && a.layers.is_empty()
    }),
    ("?", |a| a.has_layer::<Help>()),
    ("? e", |a| a.top_layer() == Some("case-form")),
    ("<f1>", |a| a.has_layer::<Help>()),
    ("<f1> x", |a| a.case_form().is_some_and(CaseForm::is_dirty)),
    ("<esc>", |a| a.has_layer::<Ask>()),
];

/// Stores `fields` into a demo case of brinkmann's, then walks the screens and
/// returns each frame's bytes with the step that produced it.
fn frames_with(fields: &Fields) -> Vec<(String, Vec<u8>)> {
    let mut app = test_app("brinkmann");
    let me = app.me.clone();
    // A case of brinkmann's own agency: its person data is brinkmann's to see and find.
    let mut case = app
        .cases
        .list
        .rows
        .iter()
        .filter_map(|r| app.store().load_case(&me, r.id).ok())
        .find(|c| c.owner == me.agency)
        .expect("a case owned by brinkmann's agency in the first page");
    let id = case.id;
    case.person.surname.clone_from(&fields.surname);
    case.person.given_names.clone_from(&fields.given_names);
    case.person.address.clone_from(&fields.address);
    case.person.phone.clone_from(&fields.phone);
    case.question.clone_from(&fields.question);
    app.store().update_case(&me, &case).unwrap();

    let mut frames = Vec::new();
    for (n, (step, arrived)) in STEPS.iter().enumerate() {
        keys(&mut app, step);
        assert!(arrived(&app), "{step:?} did not arrive: {app:?}");
        if n == 0 {
            let ids: Vec<_> = app.cases.list.rows.iter().map(|r| r.id).collect();
            assert_eq!(ids, vec![id], "the filter finds the hostile case alone");
        }
        frames.push((step.to_string(), frame_bytes(&app)));
        if n == 4 {
            // The edit form: a frame with the focus on each further field.
            let fields = app.case_form().map_or(0, CaseForm::field_count);
            for i in 1..fields {
                keys(&mut app, "<tab>");
                frames.push((format!("{step} <tab>×{i}"), frame_bytes(&app)));
            }
            keys(&mut app, "<tab>");
        }
    }
    frames
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn hostile_fields() -> impl Strategy<Value = Fields> {
    (parts(5), parts(5), parts(5), parts(4), parts(12)).prop_map(|(s, g, a, p, q)| Fields {
        surname: truncate(&format!("{MARKER} {}", mixed(&s)), 100),
        given_names: truncate(&mixed(&g), 100),
        address: truncate(&mixed(&a), 100),
        phone: truncate(&mixed(&p), 40),
        question: truncate(&mixed(&q), 4000),
    })
}

proptest! {
    // 64 cases, not DESIGN's 256: each case builds two demo databases (about 0.17 s each in
    // a debug build) and draws about 25 frames twice.
    #![proptest_config(config(64))]

    /// A case whose names, address, phone and question carry terminal controls shows as
    /// harmless text on the list, the case file, the form and under the popups: the bytes
    /// hold none of the injected sequences, and no kind of control that the same screens
    /// with the sanitised text do not send.
    #[test]
    fn hostile_case_data_reaches_the_terminal_as_text(fields in hostile_fields()) {
        let hostile = frames_with(&fields);
        let control = frames_with(&fields.sanitized());
        prop_assert_eq!(hostile.len(), control.len());
        for ((step, bytes), (_, clean)) in hostile.iter().zip(&control) {
            for (what, needle) in [
                ("OSC", &b"\x1b]"[..]),
                ("DCS", b"\x1bP"),
                ("8-bit CSI U+009B", b"\xc2\x9b"),
                ("RLO U+202E", "\u{202e}".as_bytes()),
                ("RLI U+2067", "\u{2067}".as_bytes()),
                ("BEL", b"\x07"),
                ("CR", b"\r"),
                ("device status request", b"\x1b[6n"),
                ("conceal", b"\x1b[8m"),
            ] {
                prop_assert!(!contains(bytes, needle), "{} in the frame after {:?}", what, step);
            }
            if !contains(clean, b"\x1b[2J") {
                prop_assert!(!contains(bytes, b"\x1b[2J"), "clear screen after {:?}", step);
            }
            let extra: Vec<String> = control_kinds(bytes)
                .difference(&control_kinds(clean))
                .cloned()
                .collect();
            prop_assert!(extra.is_empty(), "after {:?} the hostile frame sends {:?}", step, extra);
        }
    }
}

/// The control run itself: the screens send only cursor moves, styles, cursor visibility
/// and text, so the comparison above has something narrow to compare with.
#[test]
fn harmless_frames_send_only_moves_and_styles() {
    let fields = Fields {
        surname: format!("{MARKER} Müller"),
        given_names: "Jana".into(),
        address: "Ewaldstraße 1, 45699 Herten".into(),
        phone: "02366 123".into(),
        question: "Erste Zeile\nzweite Zeile".into(),
    };
    let frames = frames_with(&fields);
    assert!(frames.len() >= STEPS.len() + 5);
    for (step, bytes) in &frames {
        for kind in control_kinds(bytes) {
            assert!(
                // Absolute and forward cursor moves (the backend skips a gap on a line
                // with "CSI n C"; docs/performance.md § 4).
                ["CSI H", "CSI C", "CSI m", "CSI ?25l", "CSI ?25h"].contains(&kind.as_str()),
                "{kind} after {step:?}"
            );
        }
    }
    // The case data is on screen (not only the absence of controls).
    let text = String::from_utf8_lossy(&frames[0].1).into_owned();
    assert!(text.contains(MARKER), "the list shows the case");
}

// ---------------------------------------------------------------------------------------
// Every screen at any size.

/// Key sequences that walk one app through every screen, each followed by a frame: the
/// list, help, the case file, the new-case form, the quit question over the changed form,
/// the placeholder screens F3–F6. Each step's check says where it must have arrived.
const SCREENS: [Step; 9] = [
    ("", |a| {
        a.cases.view == CasesView::List && a.layers.is_empty()
    }),
    ("?", |a| a.has_layer::<Help>()),
    ("? <enter>", |a| a.cases.view == CasesView::File),
    ("<esc> n", |a| a.top_layer() == Some("case-form")),
    ("A <tab> <tab> <tab> q", |a| a.has_layer::<Ask>()),
    ("n <esc> j <f3>", |a| a.screen == Screen::Conferences),
    ("<f4>", |a| a.screen == Screen::ChildProtection),
    ("<f5>", |a| a.screen == Screen::Cooperation),
    ("<f6>", |a| a.screen == Screen::OnCall),
];

proptest! {
    #![proptest_config(config(64))]

    /// Every screen renders at any size from 0×0 to 500×200 without panic; below 40×10 only
    /// the one too-small line shows.
    #[test]
    fn every_screen_renders_at_any_size(w in 0u16..=500, h in 0u16..=200) {
        let mut app = test_app("brinkmann");
        for (seq, arrived) in SCREENS {
            // Keys are ignored while the window is too small, so walk at 80×24.
            app.resize(80, 24);
            keys(&mut app, seq);
            prop_assert!(arrived(&app), "{:?} did not arrive: {:?}", seq, app);
            let text = screen(&mut app, w, h);
            prop_assert_eq!(text.lines().count(), usize::from(h));
            if w < 40 || h < 10 {
                prop_assert!(
                    text.lines().skip(1).all(str::is_empty),
                    "{:?} at {}×{} shows more than one line",
                    seq, w, h
                );
            }
        }
    }
}
