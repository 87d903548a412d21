//! Help that helps (issue 16, class 4), through keys on the real app: `?` shows a section
//! of its own for each screen (F3, F4, F6 too), first the one it was opened from, with the
//! keys that work there and only those; `Bild↑`/`Bild↓` page it and scrolling stops at its
//! end; no line is cut. Step menus are not answered "Ja/Nein", and a toggled view's footer
//! offers the way back.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use std::collections::BTreeMap;

use support::{keys, screen, test_app};
use tandem::action::Action;
use tandem::app::App;
use tandem::app::Screen;
use tandem::app::screens::conf::ConfView;
use tandem::app::screens::cp::CpView;
use tandem::keymap::{DEFAULT_KEYMAP, Key};

/// The text inside the help box as drawn at `w`×`h`, one entry per row, without the
/// borders and trailing spaces.
fn help_lines(app: &mut App, w: u16, h: u16) -> Vec<String> {
    screen(app, w, h)
        .lines()
        .filter(|l| l.starts_with('│'))
        .map(|l| {
            let inner = l.strip_prefix('│').unwrap();
            inner
                .strip_suffix('│')
                .unwrap_or(inner)
                .trim_end()
                .to_string()
        })
        .collect()
}

/// The footer (last row) at 80×24.
fn footer(app: &mut App) -> String {
    screen(app, 80, 24).lines().last().unwrap().to_string()
}

/// The help's sections: heading, then its rows (lines starting with a space).
fn sections(lines: &[String]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for l in lines {
        if l.starts_with(' ') {
            if let Some((_, rows)) = out.last_mut() {
                rows.push(l.clone());
            }
        } else if !l.is_empty() {
            out.push((l.clone(), Vec::new()));
        }
    }
    out
}

/// The rows of the section headed `title` in the whole help (a tall terminal shows it all).
fn section(app: &mut App, title: &str) -> Vec<String> {
    keys(app, "?");
    let lines = help_lines(app, 100, 200);
    keys(app, "<esc>");
    sections(&lines)
        .into_iter()
        .find(|(t, _)| t == title)
        .unwrap_or_else(|| panic!("no help section {title}:\n{}", lines.join("\n")))
        .1
}

/// Whether a help row lists exactly `keys` (`Pos1, g`): the keys and then the text after
/// at least one space, or the keys alone on their line.
fn lists(rows: &[String], keys: &str) -> bool {
    rows.iter().any(|r| {
        r.strip_prefix("  ")
            .and_then(|r| r.strip_prefix(keys))
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    })
}

#[test]
fn each_screen_opens_the_help_at_a_section_of_its_own() {
    let mut app = test_app("hegemann");
    for (seq, title) in [
        ("<f2>", "Fallliste"),
        ("<f3>", "Konferenzen (Terminliste und Woche)"),
        ("j <enter>", "Fallkonferenz"),
        ("<f4>", "Kinderschutz (Liste)"),
        ("<enter>", "Kinderschutz-Mitteilung"),
        ("<esc> <f6>", "Bereitschaft"),
    ] {
        keys(&mut app, seq);
        keys(&mut app, "?");
        let lines = help_lines(&mut app, 80, 24);
        assert_eq!(lines[0], title, "after {seq}:\n{}", lines.join("\n"));
        keys(&mut app, "<esc>");
    }
}

#[test]
fn keys_sit_in_the_section_of_the_screen_where_they_work() {
    let mut app = test_app("hegemann");
    // The case list has no week view and no consultations, the case file no step menu.
    let list = section(&mut app, "Fallliste");
    assert!(!lists(&list, "w") && !lists(&list, "b"), "{list:#?}");
    let file = section(&mut app, "Fallakte");
    assert!(!lists(&file, "m"), "{file:#?}");
    // They are listed where they work, with what they do there.
    let conf = section(&mut app, "Konferenzen (Terminliste und Woche)");
    assert!(lists(&conf, "w"), "{conf:#?}");
    assert!(
        conf.iter().any(|r| r.contains("Neue Fallkonferenz planen")),
        "{conf:#?}"
    );
    assert!(
        !conf
            .iter()
            .any(|r| r.contains("Fall anlegen") || r.contains("Fallakte")),
        "F3's keys are not described as the case list's: {conf:#?}"
    );
    let one = section(&mut app, "Fallkonferenz");
    assert!(
        lists(&one, "m") && lists(&one, "Esc, Rücktaste"),
        "{one:#?}"
    );
    assert!(
        !one.iter()
            .any(|r| r.contains("Mitteilung") || r.contains("Fallliste")),
        "a conference's keys are not a referral's: {one:#?}"
    );
    let cp = section(&mut app, "Kinderschutz (Liste)");
    assert!(lists(&cp, "b"), "{cp:#?}");
    // Hegemann (Jugendamt) writes no referrals: `n` is not offered to her.
    assert!(!lists(&cp, "n"), "{cp:#?}");
    let referral = section(&mut app, "Kinderschutz-Mitteilung");
    assert!(lists(&referral, "m"), "{referral:#?}");
    let oncall = section(&mut app, "Bereitschaft");
    assert!(
        lists(&oncall, "Eingabe") && lists(&oncall, "Ende, G"),
        "{oncall:#?}"
    );
    // A Jobcenter U25 professional is offered `n` on F4.
    let mut jc = test_app("brinkmann");
    let cp = section(&mut jc, "Kinderschutz (Liste)");
    assert!(lists(&cp, "n"), "{cp:#?}");
}

/// Puts the app back into the state a context's keys are tried in: the view open, the
/// highlight or the scroll in the middle (so that every movement shows), no popup.
fn restore(app: &mut App, context: &str, mid: usize) {
    app.layers.clear();
    match context {
        "conferences" => {
            app.screen = Screen::Conferences;
            app.conf.view = ConfView::Agenda;
            app.conf.detail = None;
            app.conf.cursor = mid;
        }
        "conference" => {
            app.screen = Screen::Conferences;
            if app.conf.view != ConfView::Detail {
                app.conf.view = ConfView::Agenda;
                app.conf.cursor = mid;
                keys(app, "<enter>");
            }
            app.conf.scroll = 1;
        }
        "referrals" => {
            app.screen = Screen::ChildProtection;
            app.cp.view = CpView::List;
            app.cp.detail = None;
            app.cp.consults_mode = false;
            app.cp.eh_mode = false;
            app.cp.withdrawals_mode = false;
            app.cp.cursor = mid;
            while app.top_layer().is_some() {
                keys(app, "<esc>");
            }
        }
        "referral" => {
            app.screen = Screen::ChildProtection;
            if app.cp.view != CpView::Detail {
                app.cp.cursor = mid;
                keys(app, "<enter>");
            }
            app.cp.scroll = 1;
        }
        "on-call" => {
            app.screen = Screen::OnCall;
            app.cp.view = CpView::List;
            app.cp.detail = None;
            app.cp.oncall_cursor = mid;
        }
        _ => unreachable!(),
    }
}

#[test]
fn every_key_the_help_lists_for_f3_f4_and_f6_does_something_there() {
    let table: BTreeMap<String, BTreeMap<String, Vec<String>>> =
        toml::from_str(DEFAULT_KEYMAP).unwrap();
    for (context, title, setup) in [
        (
            "conferences",
            "Konferenzen (Terminliste und Woche)",
            "<f3> j",
        ),
        ("conference", "Fallkonferenz", "<f3> j <enter>"),
        ("referrals", "Kinderschutz (Liste)", "<f4> j"),
        ("referral", "Kinderschutz-Mitteilung", "<f4> <enter>"),
        ("on-call", "Bereitschaft", "<f6> j"),
    ] {
        let mut app = test_app("hegemann");
        keys(&mut app, setup);
        let mid = match context {
            "conferences" | "conference" => app.conf.cursor,
            "on-call" => app.cp.oncall_cursor,
            _ => 1,
        };
        restore(&mut app, context, mid);
        let rows = section(&mut app, title);
        let bindings = table
            .get(context)
            .unwrap_or_else(|| panic!("the keymap has no [{context}] for {title}"));
        for (action, bound) in bindings {
            let parsed: Vec<Key> = bound.iter().map(|k| Key::parse(k).unwrap()).collect();
            let label = parsed
                .iter()
                .map(|k| tandem::widgets::key_label(k, &app.strings.keys))
                .collect::<Vec<_>>()
                .join(", ");
            if !lists(&rows, &label) {
                // Only the Jobcenter writes referrals.
                assert_eq!(
                    (context, action.as_str()),
                    ("referrals", "new-case"),
                    "{title}: {label} ({action}) is bound but not in the help:\n{rows:#?}"
                );
                continue;
            }
            for key in bound {
                restore(&mut app, context, mid);
                // An unbound key first: it clears the status line of the step before.
                keys(&mut app, "<f12>");
                let before = screen(&mut app, 80, 24);
                keys(&mut app, &format!("<{key}>"));
                let after = screen(&mut app, 80, 24);
                assert!(
                    before != after,
                    "{title}: {key} ({action}) is listed in the help but does nothing:\n{before}"
                );
            }
        }
    }
}

#[test]
fn the_help_pages_with_bild_keys_and_stops_at_its_end() {
    let mut app = test_app("hegemann");
    keys(&mut app, "?");
    // The whole help at this width, on a terminal tall enough for all of it.
    let whole = help_lines(&mut app, 80, 300);
    let last = whole.iter().rev().find(|l| !l.is_empty()).unwrap().clone();
    let foot = footer(&mut app);
    assert!(
        foot.contains("Bild↓ Seite runter") && foot.contains("Bild↑ Seite hoch"),
        "{foot}"
    );
    let first = help_lines(&mut app, 80, 24);
    keys(&mut app, "<pagedown>");
    let second = help_lines(&mut app, 80, 24);
    assert_ne!(first, second, "Bild↓ pages");
    // One line of the page before stays for orientation.
    assert_eq!(second[0], first[first.len() - 1]);
    keys(&mut app, "<pageup>");
    assert_eq!(help_lines(&mut app, 80, 24), first, "Bild↑ pages back");
    // At the end the last line of the help stands at the bottom of the box; further keys
    // scroll no further into emptiness.
    keys(&mut app, &"<pagedown> ".repeat(60));
    let end = help_lines(&mut app, 80, 24);
    assert_eq!(end.last(), Some(&last), "{end:#?}");
    keys(&mut app, "<down> j <pagedown>");
    assert_eq!(
        help_lines(&mut app, 80, 24),
        end,
        "no scrolling past the end"
    );
    keys(&mut app, "<up>");
    assert_ne!(help_lines(&mut app, 80, 24), end, "↑ scrolls back at once");
    keys(&mut app, "<home>");
    assert_eq!(help_lines(&mut app, 80, 24), first, "Pos1 goes to the top");
}

/// The whole help at `w`×`h`, page by page (`Bild↓` until nothing changes).
fn all_pages(app: &mut App, w: u16, h: u16) -> Vec<String> {
    keys(app, "<home>");
    let mut page = help_lines(app, w, h);
    let mut out = page.clone();
    for _ in 0..100 {
        keys(app, "<pagedown>");
        let next = help_lines(app, w, h);
        if next == page {
            break;
        }
        // The next page repeats the end of this one (one line, or more at the end of
        // the help): keep each line once, so that a description wrapped over the page
        // break reads on in one piece.
        let overlap = (1..=next.len().min(out.len()))
            .rev()
            .find(|k| out[out.len() - k..] == next[..*k])
            .unwrap_or(0);
        out.extend(next.iter().skip(overlap).cloned());
        page = next;
    }
    out
}

#[test]
fn no_line_of_the_help_is_cut() {
    for login in ["hegemann", "brinkmann"] {
        let mut app = test_app(login);
        for seq in ["<f2>", "<f3>", "<f4>"] {
            keys(&mut app, seq);
            keys(&mut app, "?");
            for (w, h) in [(80, 24), (60, 15)] {
                let lines = all_pages(&mut app, w, h);
                // Each description listed is there whole, however it is wrapped: its
                // lines joined give it back (a page's last line comes again atop the next
                // page, which keeps every piece next to its continuation).
                let joined = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
                for a in Action::ALL {
                    let text = (app.strings.action)(a);
                    let start: String = text.chars().take(20).collect();
                    if text.chars().count() > 20 && joined.contains(&start) {
                        assert!(
                            joined.contains(text),
                            "{login} {seq} at {w}x{h}: cut: {text}\n{}",
                            lines.join("\n")
                        );
                    }
                }
            }
            keys(&mut app, "<esc>");
        }
    }
}

#[test]
fn step_menus_choose_and_cancel_they_answer_no_question() {
    let mut app = test_app("hegemann");
    for (seq, back) in [("<f3> j <enter> m", "<esc> <esc>"), ("<f4> <enter> m", "")] {
        keys(&mut app, seq);
        assert!(app.top_layer().is_some(), "{seq} opens a step menu");
        let foot = footer(&mut app);
        assert!(
            !foot.contains(" Ja") && !foot.contains(" Nein"),
            "{seq}: {foot}"
        );
        assert!(
            foot.contains("Eingabe Auswählen") && foot.contains("Esc Abbrechen"),
            "{seq}: {foot}"
        );
        assert!(foot.contains('↓'), "{seq}: {foot}");
        keys(&mut app, back);
    }
}

#[test]
fn a_toggled_view_offers_the_way_back_in_its_footer() {
    let mut app = test_app("hegemann");
    keys(&mut app, "<f3>");
    assert!(footer(&mut app).contains("w Woche"));
    keys(&mut app, "w");
    assert_eq!(app.conf.view, ConfView::Week);
    let foot = footer(&mut app);
    assert!(
        !foot.contains("Woche"),
        "the week view offers no week: {foot}"
    );
    assert!(foot.contains("w Liste"), "{foot}");
    keys(&mut app, "w");
    assert!(footer(&mut app).contains("w Woche"));
    // The consultations offer the referrals back.
    keys(&mut app, "<f4>");
    assert!(footer(&mut app).contains("b Beratungen"));
    keys(&mut app, "b");
    let foot = footer(&mut app);
    assert!(
        foot.contains("b Mitteilungen") && !foot.contains("Beratungen"),
        "{foot}"
    );
}

#[test]
fn the_english_help_and_footers_say_the_same() {
    let mut app = support::app_on(support::demo_store(), "hegemann", tandem::strings::Lang::En);
    keys(&mut app, "<f3> ?");
    assert_eq!(
        help_lines(&mut app, 80, 24)[0],
        "Conferences (agenda and week)"
    );
    keys(&mut app, "<esc> w");
    let foot = footer(&mut app);
    assert!(foot.contains("w List") && !foot.contains("Week"), "{foot}");
    keys(&mut app, "w j <enter> m");
    let foot = footer(&mut app);
    assert!(
        foot.contains("Choose") && foot.contains("Cancel") && !foot.contains("Yes"),
        "{foot}"
    );
}

#[test]
fn in_a_form_field_the_help_starts_with_the_field_then_the_form() {
    // F1 in a text field of the planning form: the field's keys, then the form's (save,
    // cancel), before "Überall" and the screens.
    let mut app = test_app("brinkmann");
    keys(&mut app, "<f3> n <f1>");
    let lines = help_lines(&mut app, 100, 200);
    let titles: Vec<String> = sections(&lines).into_iter().map(|(t, _)| t).collect();
    let at = |t: &str| {
        titles
            .iter()
            .position(|x| x.starts_with(t))
            .unwrap_or_else(|| panic!("no section {t}: {titles:?}"))
    };
    assert_eq!(at("Textfeld"), 0, "{titles:?}");
    let form = sections(&lines)
        .into_iter()
        .position(|(_, rows)| rows.iter().any(|r| r.contains("Strg+S")))
        .expect("a section with Strg+S");
    assert!(
        form < at("Überall"),
        "the form's keys after Überall: {titles:?}"
    );
}
