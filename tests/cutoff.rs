//! Issue #16 class 3, "nothing important is cut off": at 80×24 every screen, popup and
//! message is rendered through keys on the real app, and no word of a warning, a refusal,
//! a hint or a label is cut off at the right edge of a line, a column or a box. Such a
//! word ends where the drawing stops: the test takes the last word before every right
//! edge and fails when it is the beginning of a longer word of the user interface's
//! German texts but not a word of its own (a text shortened by rule ends with "…").
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use std::collections::HashSet;

use support::{app_on, demo_store, keys, screen};
use tandem::app::App;
use tandem::app::layers::REGISTRY;
use tandem::strings::Lang;

/// Every word of the string literals of the German texts (and the English ones that share
/// their files), without surrounding punctuation.
fn vocabulary() -> (HashSet<String>, Vec<String>) {
    let sources = [
        include_str!("../src/strings/de.rs"),
        include_str!("../src/strings/cp.rs"),
        include_str!("../src/strings/conf.rs"),
        include_str!("../src/strings/admin.rs"),
        include_str!("../src/strings/ssh.rs"),
        include_str!("../src/strings/coop.rs"),
        include_str!("../src/strings/early_help.rs"),
        // The cooperation's default agenda and demo texts are shown as typed.
        include_str!("../src/domain/coop.rs"),
        include_str!("../src/demo/cooperation.rs"),
    ];
    let mut words = HashSet::new();
    let mut literals = Vec::new();
    for src in sources {
        let mut chars = src.chars();
        while let Some(c) = chars.next() {
            if c != '"' {
                continue;
            }
            let mut lit = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                        lit.push(' ');
                    }
                    '"' => break,
                    c => lit.push(c),
                }
            }
            // A match arm's key (`"consents" => …`) is a code, not a text anyone reads.
            if chars.as_str().trim_start().starts_with("=>") {
                continue;
            }
            for w in lit.split(|c: char| c.is_whitespace() || c == '{' || c == '}') {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                if w.chars().count() >= 3 {
                    words.insert(w.to_string());
                }
            }
            literals.push(lit);
        }
    }
    (words, literals)
}

/// Every word of the demo data (names, places): a name that happens to begin a word of
/// the texts ("Tim", "Dana") is whole.
fn data_words() -> HashSet<String> {
    let data = format!("{:?}", tandem::demo::demo_data(support::today()));
    data.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The last word before each right edge of `text`: a line's end, the right border of a
/// box, a gap of two or more spaces (a column's end). The tab bar is left out (its keys
/// are separated by "│"), and so is what a box covers on its left and right: the screen
/// under a popup is not what the popup shows.
fn edge_words(text: &str) -> Vec<(usize, (Option<String>, String))> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let segments: Vec<&str> = line.split(['│', '┐', '┘', '┤']).collect();
        let inside: Vec<&str> = if segments.len() == 1 {
            segments
        } else {
            segments[1..segments.len() - 1].to_vec()
        };
        for segment in inside {
            for part in segment.split("  ") {
                let mut tokens = part.split_whitespace().rev();
                if let Some(last) = tokens.next() {
                    out.push((n, (tokens.next().map(str::to_string), last.to_string())));
                }
            }
        }
    }
    out
}

/// Whether `phrase` (two words) stands in one of the `literals` only as the beginning of a
/// longer word: "Einwilligung o" of "Einwilligung offen".
fn cuts_a_literal(phrase: &str, literals: &[String]) -> bool {
    let mut cut = false;
    for lit in literals {
        for (at, _) in lit.match_indices(phrase) {
            match lit[at + phrase.len()..].chars().next() {
                Some(c) if c.is_alphanumeric() => cut = true,
                _ => return false,
            }
        }
    }
    cut
}

/// Two words anywhere in a line that cut a text of the strings: a table's columns are
/// one space apart, so "Einwilligung o S. Brinkmann" shows no gap at the cut.
fn cut_pairs(text: &str, words: &Words) -> Vec<String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        for pair in tokens.windows(2) {
            let (prev, token) = (pair[0], pair[1]);
            if token.chars().all(char::is_alphabetic)
                && prev.chars().filter(|c| c.is_alphabetic()).count() >= 3
                && !words.0.contains(token)
                // A single letter of the data (an initial) is no word of its own here.
                && (token.chars().count() < 3 || !words.1.contains(token))
                && cuts_a_literal(&format!("{prev} {token}"), &words.2)
            {
                out.push(format!("line {n}: {prev} {token:?} (cut)"));
            }
        }
    }
    out
}

/// The words on `text` cut at a right edge.
fn cut_words(text: &str, words: &Words) -> Vec<String> {
    let (vocab, literals, data) = (&words.0, &words.2, &words.1);
    let pairs = cut_pairs(text, words);
    edge_words(text)
        .into_iter()
        .filter_map(|(n, (prev, token))| {
            if let Some(prev) = prev
                && !token.ends_with('…')
                && token.chars().all(char::is_alphanumeric)
                && cuts_a_literal(&format!("{prev} {token}"), literals)
            {
                return Some(format!("line {n}: {prev} {token:?} (cut)"));
            }
            if token.ends_with('…') {
                return None;
            }
            let bare = token.trim_start_matches(|c: char| !c.is_alphanumeric());
            if bare.chars().count() < 3 || vocab.contains(bare) || data.contains(bare) {
                return None;
            }
            // A word with its full stop or closing parenthesis is whole.
            if bare.ends_with(|c: char| !c.is_alphanumeric()) {
                return None;
            }
            let longer = vocab
                .iter()
                .find(|w| w.len() > bare.len() && w.starts_with(bare))?;
            Some(format!("line {n}: {bare:?} (of {longer:?})"))
        })
        .chain(pairs)
        .collect()
}

/// The screen as one line of words.
fn flat(text: &str) -> String {
    text.replace(['│', '\u{a0}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The texts' words and the data's.
struct Words(HashSet<String>, HashSet<String>, Vec<String>);

fn words() -> Words {
    let (vocab, literals) = vocabulary();
    Words(vocab, data_words(), literals)
}

/// Checks one rendered state: the status message whole, and no cut word.
fn check(app: &mut App, what: &str, words: &Words, problems: &mut Vec<String>) {
    let text = screen(app, 80, 24);
    if let Some(msg) = &app.status
        && !flat(&text).contains(&flat(&msg.text))
    {
        problems.push(format!(
            "{what}: the message {:?} is not whole\n{text}",
            msg.text
        ));
    }
    let cut = cut_words(&text, words);
    if !cut.is_empty() {
        problems.push(format!("{what}: cut {cut:?}\n{text}"));
    }
}

/// Every screen of every demo login, with the key sequences that open its views.
#[test]
fn no_screen_cuts_a_word_at_80x24() {
    let vocab = words();
    let mut problems = Vec::new();
    let views: &[(&str, &[&str])] = &[
        (
            "brinkmann",
            &[
                "",
                "<enter>",
                "<f3>",
                "<f3> <enter>",
                "<f4>",
                "<f4> <enter>",
                "<f4> b",
                "<f6>",
            ],
        ),
        ("karaca", &["<f3>", "<f3> <enter>", "<f4> b"]),
        ("dabrowska", &["", "<f3>", "<f4>", "<f4> <enter>", "<f6>"]),
        ("hegemann", &["", "<enter>", "<f4>", "<f6>", "<f6> <enter>"]),
        ("tueshaus", &["", "<f4>", "<f6>"]),
        ("hollmann", &["<f7>", "<f7> g"]),
        // The DSB's sections, one after the other (the start is "Datenschutz").
        (
            "kloeckner",
            &["", "<tab>", "<tab>", "<tab>", "<tab>", "<tab>", "<tab>"],
        ),
    ];
    for (login, seqs) in views {
        let mut app = support::test_app(login);
        for seq in *seqs {
            // Back to the start screen, the message of the login kept.
            keys(&mut app, "<esc> <esc> <f2>");
            let status = app.status.clone();
            keys(&mut app, seq);
            if seq.is_empty() {
                app.status = status.or(app.status.take());
            }
            check(&mut app, &format!("{login} [{seq}]"), &vocab, &mut problems);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// Every registered popup and form with an example: opened, each of its fields visited,
/// and after an empty save (its refusals and problems shown).
#[test]
fn no_popup_cuts_a_word_at_80x24() {
    let vocab = words();
    let mut problems = Vec::new();
    for reg in REGISTRY.iter().filter(|r| r.example.is_some()) {
        let example = reg.example.as_ref().unwrap();
        let mut app = app_on(demo_store(), example.login, Lang::De);
        while app.top_layer() == Some("question") {
            keys(&mut app, "n");
        }
        let status = app.status.clone();
        assert!((example.open)(&mut app), "{} does not open", reg.name);
        // The message of the login stays while the popup opens over it.
        app.status = app.status.take().or(status);
        check(&mut app, reg.name, &vocab, &mut problems);
        for n in 0..30 {
            keys(&mut app, "<tab>");
            check(
                &mut app,
                &format!("{} field {n}", reg.name),
                &vocab,
                &mut problems,
            );
        }
        keys(&mut app, "<ctrl-s>");
        check(
            &mut app,
            &format!("{} saved", reg.name),
            &vocab,
            &mut problems,
        );
    }
    problems.dedup_by(|a, b| a.lines().next() == b.lines().next());
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The case file's footer keeps its main step, help and quitting at 80 columns; the
/// others give way whole.
#[test]
fn the_case_file_footer_keeps_what_matters() {
    let mut app = support::test_app("brinkmann");
    keys(&mut app, "<enter>");
    let text = screen(&mut app, 80, 24);
    let footer = text.lines().nth(23).unwrap();
    for hint in ["Esc Zurück", "t Übermitteln", "? Hilfe", "q Beenden"] {
        assert!(footer.contains(hint), "{hint:?} missing: {footer}");
    }
}

/// At 60×15 nothing panics, the login warning is whole and help and quitting stay.
#[test]
fn the_smaller_screen_keeps_warning_and_hints() {
    let mut app = support::test_app("brinkmann");
    let warning = app.status.clone().expect("the overdue warning").text;
    let text = screen(&mut app, 60, 15);
    assert!(flat(&text).contains(&flat(&warning)), "{text}");
    let footer = text.lines().nth(14).unwrap();
    for hint in ["? Hilfe", "q Beenden"] {
        assert!(footer.contains(hint), "{hint:?} missing: {footer}");
    }
    keys(&mut app, "<enter>");
    let text = screen(&mut app, 60, 15);
    let footer = text.lines().nth(14).unwrap();
    for hint in ["Esc Zurück", "? Hilfe", "q Beenden"] {
        assert!(footer.contains(hint), "{hint:?} missing: {footer}");
    }
}

/// The check itself finds the cuts the issue names, and takes whole words as whole.
#[test]
fn the_check_finds_the_cuts_of_the_issue() {
    let w = words();
    for cut in [
        "x\n  Hülsmann, Celina        17 Einwilligung o S. Brinkmann M. Hüsken\n",
        "x\n  !! Ersteinschätzung: überfällig 10 Std.  dringend  Eingegangen ESKALIER\n",
        "x\n │▶Sachverhalt (ohne Namen, Ansch ▏          │\n",
        "x\n  kloeckner   Klöckner, Petra      Datenschutz/Revi            aktiv\n",
    ] {
        assert!(!cut_words(cut, &w).is_empty(), "not found in {cut}");
    }
    for whole in [
        "x\n  Hülsmann, Celina        17 Einw. offen    S. Brinkmann M. Hüsken\n",
        "x\n  !! Ersteinschätzung: überfällig 10 Std. 0 Min.  ESKALIERT  dringend\n",
        "x\n  Groß, Tim               22 Aktiv\n",
        "x\n  Jugendamt Fach.  Eingang…\n",
    ] {
        assert!(
            cut_words(whole, &w).is_empty(),
            "{:?}",
            cut_words(whole, &w)
        );
    }
}
