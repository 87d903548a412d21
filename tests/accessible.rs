//! Accessible mode (issue #18; docs/accessibility.md): no box drawing and no colour on any
//! screen, at 80×24 and at 40×10; the terminal cursor on the focused row or field after
//! every movement, in the drawing and in the real binary in a pseudo-terminal; the bytes a
//! movement costs in the mode.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

#[path = "support/pty.rs"]
mod pty_support;
mod support;

use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::{app_on, demo_store, keys};
use tandem::app::App;
use tandem::strings::Lang;
use tandem::theme::Theme;

/// The app for `login` in accessible mode.
fn accessible(login: &str) -> App {
    let mut app = app_on(demo_store(), login, Lang::De);
    app.theme = Theme::plain().accessible(true);
    // The list's window for the mode's status rows (as when the binary starts in it).
    app.resize(app.size.0, app.size.1);
    while app.top_layer() == Some("question") {
        keys(&mut app, "n");
    }
    app
}

/// Draws `app` at `w`×`h`: the screen's lines, the cursor (column, row) if shown, and
/// whether any cell carries a colour.
fn draw(app: &mut App, w: u16, h: u16) -> (Vec<String>, Option<(u16, u16)>, bool) {
    if app.size != (w, h) {
        app.resize(w, h);
    }
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| tandem::ui::render(f, app)).unwrap();
    let backend = terminal.backend();
    let cursor = backend.cursor_visible().then(|| {
        let p = backend.cursor_position();
        (p.x, p.y)
    });
    let buf = backend.buffer().clone();
    let mut lines = Vec::new();
    let mut colour = false;
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            line.push_str(cell.symbol());
            colour |=
                cell.fg != ratatui::style::Color::Reset || cell.bg != ratatui::style::Color::Reset;
        }
        lines.push(line.trim_end().to_string());
    }
    (lines, cursor, colour)
}

/// Box drawing: U+2500–U+257F.
fn box_drawing(lines: &[String]) -> Option<(usize, String)> {
    lines
        .iter()
        .enumerate()
        .find(|(_, l)| l.chars().any(|c| ('\u{2500}'..='\u{257F}').contains(&c)))
        .map(|(i, l)| (i, l.clone()))
}

/// A marker glyph with no word after it, or a block element (a bar of a chart): meaning
/// carried by a glyph alone.
fn glyph_alone(lines: &[String]) -> Option<(usize, String)> {
    const MARKERS: [char; 8] = ['⚠', '▲', '▼', '●', '■', '◆', '✓', '✗'];
    lines
        .iter()
        .enumerate()
        .find(|(_, l)| {
            l.char_indices().any(|(i, c)| {
                // The text caret ▏ (U+258F) marks where the terminal cursor stands.
                (('\u{2580}'..='\u{259F}').contains(&c) && c != '▏')
                    || (MARKERS.contains(&c)
                        && !l[i + c.len_utf8()..]
                            .trim_start()
                            .starts_with(char::is_alphanumeric))
            })
        })
        .map(|(i, l)| (i, l.clone()))
}

/// Every screen and a popup of each kind, for `login`, reached by keys.
const SCREENS: [(&str, &str, &str); 16] = [
    ("cases", "brinkmann", "<f2>"),
    ("cases-descending", "brinkmann", "<f2> <down> <down> S"),
    ("case-file", "brinkmann", "<f2> <enter>"),
    ("new-case-form", "brinkmann", "<f2> n"),
    ("conferences", "brinkmann", "<f3>"),
    ("conference-detail", "brinkmann", "<f3> <enter>"),
    ("conference-week", "brinkmann", "<f3> w"),
    ("referrals", "dabrowska", "<f4>"),
    ("referral-detail", "dabrowska", "<f4> <enter>"),
    ("step-menu", "dabrowska", "<f4> <enter> m"),
    ("cooperation", "schwering", "<f5>"),
    ("report", "schwering", "<f5> <backtab>"),
    ("on-call", "hegemann", "<f6>"),
    ("admin", "hollmann", "<f7>"),
    ("dpo", "wiemers", "<f8>"),
    ("help", "brinkmann", "<f2> ?"),
];

#[test]
fn no_screen_draws_boxes_or_colour_and_the_cursor_stands_on_the_focus() {
    for (name, login, path) in SCREENS {
        for (w, h) in [(80, 24), (40, 10)] {
            let mut app = accessible(login);
            keys(&mut app, path);
            let (lines, cursor, colour) = draw(&mut app, w, h);
            let screen = lines.join("\n");
            assert!(
                box_drawing(&lines).is_none(),
                "{name} at {w}×{h} draws a box: {:?}\n{screen}",
                box_drawing(&lines)
            );
            assert!(!colour, "{name} at {w}×{h} uses colour\n{screen}");
            assert!(
                glyph_alone(&lines).is_none(),
                "{name} at {w}×{h}: a marker without a word: {:?}\n{screen}",
                glyph_alone(&lines)
            );
            if (w, h) == (80, 24) {
                insta::assert_snapshot!(format!("accessible_{name}_80x24"), screen);
            }
            // Where there is a focus, the cursor stands on it.
            if let Some((x, y)) = cursor {
                let row = &lines[usize::from(y)];
                let at: String = row.chars().skip(usize::from(x)).take(1).collect();
                assert!(
                    at == "▶" || at == "▏" || !at.trim().is_empty(),
                    "{name} at {w}×{h}: cursor on an empty cell ({x}, {y})\n{screen}"
                );
            }
        }
    }
}

#[test]
fn in_the_case_list_the_cursor_follows_the_selected_row() {
    let mut app = accessible("brinkmann");
    keys(&mut app, "<f2>");
    // Far enough to scroll the list: the selected row stays above the announcement.
    for step in 0..25 {
        let (lines, cursor, _) = draw(&mut app, 80, 24);
        let (x, y) = cursor.unwrap_or_else(|| panic!("no cursor after {step} moves"));
        let row = &lines[usize::from(y)];
        assert!(row.starts_with('▶'), "cursor row {y}: {row:?}");
        assert_eq!(x, 0);
        let selected = app
            .cases
            .list
            .current()
            .and_then(|r| r.name.clone())
            .unwrap();
        let surname = selected.split(',').next().unwrap().trim().to_string();
        assert!(row.contains(&surname), "{row:?} is not {selected}");
        keys(&mut app, "<down>");
    }
    // In a form the cursor stands in the focused field, and moves with Tab.
    keys(&mut app, "n");
    let (lines, first, _) = draw(&mut app, 80, 24);
    keys(&mut app, "<tab>");
    let (_, second, _) = draw(&mut app, 80, 24);
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_ne!(
        first.1,
        second.1,
        "Tab moves the cursor\n{}",
        lines.join("\n")
    );
}

#[test]
fn the_binary_places_the_cursor_on_the_selected_row_and_reports_the_bytes() {
    use pty_support::{Session, TestDir};
    let dir = TestDir::new();
    let db = dir.arg("demo.db");
    let mut s = Session::spawn(
        &["demo", "--db", &db, "--user", "brinkmann", "--accessible"],
        &dir.env(),
    );
    s.wait_until("the list", Duration::from_secs(50), |screen| {
        screen.lines().any(|l| l.starts_with('▶'))
    });
    std::thread::sleep(Duration::from_millis(300));
    let mut bytes = Vec::new();
    for _ in 0..4 {
        let ((row, col), shown) = s.cursor();
        let rows = s.rows();
        assert!(shown, "the cursor is shown\n{}", s.dump());
        assert_eq!(col, 0, "{}", s.dump());
        assert!(
            rows[usize::from(row)].starts_with('▶'),
            "cursor on row {row}: {:?}\n{}",
            rows[usize::from(row)],
            s.dump()
        );
        let before = s.raw().len();
        s.send(b"j");
        let next = row + 1;
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while s.cursor().0.0 != next && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(200));
        bytes.push(s.raw().len() - before);
    }
    assert!(
        !s.screen()
            .chars()
            .any(|c| ('\u{2500}'..='\u{257F}').contains(&c)),
        "{}",
        s.dump()
    );
    // Bytes per movement in the mode (docs/accessibility.md reports them).
    #[allow(clippy::print_stdout, reason = "the byte count is reported, not timed")]
    {
        println!("accessible mode, bytes per movement: {bytes:?}");
    }
    // A movement rewrites the two marker cells, the name's style and the announcement
    // (about 300 bytes); a whole 80×24 screen would be some 2,500.
    assert!(bytes.iter().all(|b| *b > 0 && *b < 1000), "{bytes:?}");
    s.send(b"q");
    assert_eq!(s.wait_exit(Duration::from_secs(5)), 0, "{}", s.dump());
}

#[test]
fn the_status_line_reads_the_selected_row_with_its_column_names() {
    // The case list: every column by name, the alerts in words; a movement changes it.
    let mut app = accessible("brinkmann");
    keys(&mut app, "<f2>");
    let status = |app: &mut App| {
        let (lines, _, _) = draw(app, 80, 24);
        // The rows between the body and the footer: from the first "Name:" line on.
        let from = lines
            .iter()
            .position(|l| l.starts_with("Name: "))
            .unwrap_or_else(|| {
                panic!("no announcement\n{}", lines.join("\n"));
            });
        lines[from..lines.len() - 1].join(" ")
    };
    let first = status(&mut app);
    assert!(
        first.starts_with(
            "Name: Arslan, Burak · Hinweise: Einwilligung endet am 10.12.2026, U25 endet"
        ),
        "{first}"
    );
    assert!(
        first.contains("· Alter: 24 · Status: Aktiv · Fachkraft JC: S. Brinkmann"),
        "{first}"
    );
    keys(&mut app, "<down>");
    let second = status(&mut app);
    assert!(
        second.starts_with("Name: Çelik, Büşra · Alter: 18 · Status: Abgeschlossen"),
        "{second}"
    );
    assert!(
        !second.contains("Hinweise"),
        "no alerts, no label: {second}"
    );
    // The DPO's log: time, person, action, object by name.
    let mut dpo = accessible("wiemers");
    keys(&mut dpo, "<f8>");
    let (lines, _, _) = draw(&mut dpo, 80, 24);
    let at = lines
        .iter()
        .position(|l| l.starts_with("Zeit: "))
        .unwrap_or_else(|| {
            panic!("no announcement\n{}", lines.join("\n"));
        });
    let text = lines[at..lines.len() - 1].join(" ");
    assert!(
        text.contains("· Person: schwering · Aktion: angelegt · Objekt: hospitation 7"),
        "{text}"
    );
    // Not outside accessible mode: there the idle line names who is logged in.
    let mut plain = app_on(demo_store(), "brinkmann", Lang::De);
    plain.theme = Theme::plain();
    while plain.top_layer() == Some("question") {
        keys(&mut plain, "n");
    }
    keys(&mut plain, "<f2>");
    let (lines, _, _) = draw(&mut plain, 80, 24);
    assert!(
        !lines.iter().any(|l| l.starts_with("Name: ")),
        "{}",
        lines.join("\n")
    );
}
