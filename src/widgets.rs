//! Small shared drawing helpers: key labels, footer hints, centred boxes, the frame's size
//! limits. Below both `app` (whose layers draw themselves) and `ui` (docs/architecture.md § 3).

pub mod rows;

use std::fmt::Write as _;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::action::Action;
use crate::keymap::{Context, Key, Keymap};
use crate::strings::{KeyNames, Strings};
use crate::theme::Theme;

/// Smallest usable width.
pub const MIN_WIDTH: u16 = 40;
/// Smallest usable height.
pub const MIN_HEIGHT: u16 = 10;

/// Rows of the case list's table body for a terminal of `height` rows (top bar, title line,
/// column header, status line and footer take five). In accessible mode the status line
/// may take four rows for the announcement of the selected row (docs/accessibility.md
/// § 2): three fewer, so that the selected row is never below the table's last shown row.
pub fn list_rows(height: u16, accessible: bool) -> usize {
    let reserved = if accessible { 8 } else { 5 };
    usize::from(height.saturating_sub(reserved)).max(1)
}

/// A key as shown to the user ("Strg+S", "F2", "Eingabe", "/").
pub fn key_label(key: &Key, names: &KeyNames) -> String {
    let mut out = String::new();
    if key.mods.contains(KeyModifiers::CONTROL) {
        out.push_str(names.ctrl);
        out.push('+');
    }
    if key.mods.contains(KeyModifiers::ALT) {
        out.push_str(names.alt);
        out.push('+');
    }
    if key.mods.contains(KeyModifiers::SHIFT) {
        out.push_str(names.shift);
        out.push('+');
    }
    match key.code {
        KeyCode::Char(' ') => out.push_str(names.space),
        KeyCode::Char(c) if key.mods.contains(KeyModifiers::CONTROL) => {
            out.push(c.to_ascii_uppercase());
        }
        KeyCode::Char(c) => out.push(c),
        KeyCode::F(n) => {
            let _ = write!(out, "F{n}");
        }
        KeyCode::Enter => out.push_str(names.enter),
        KeyCode::Esc => out.push_str(names.esc),
        KeyCode::Tab => out.push_str(names.tab),
        KeyCode::BackTab => out.push_str(names.backtab),
        KeyCode::Backspace => out.push_str(names.backspace),
        KeyCode::Delete => out.push_str(names.delete),
        KeyCode::Insert => out.push_str(names.insert),
        KeyCode::Home => out.push_str(names.home),
        KeyCode::End => out.push_str(names.end),
        KeyCode::PageUp => out.push_str(names.page_up),
        KeyCode::PageDown => out.push_str(names.page_down),
        KeyCode::Up => out.push('↑'),
        KeyCode::Down => out.push('↓'),
        KeyCode::Left => out.push('←'),
        KeyCode::Right => out.push('→'),
        other => {
            let _ = write!(out, "{other:?}");
        }
    }
    out
}

/// The first key of `action` in the first of `contexts` that binds it.
pub fn first_key(keymap: &Keymap, contexts: &[Context], action: Action) -> Option<Key> {
    contexts
        .iter()
        .find_map(|c| keymap.keys_for(*c, action).first().copied())
}

/// The first key of `action` that works now: while a text field takes the typing, a plain
/// character (`?`, `q`) would be typed, so the first key that is not one (F1, Esc).
fn working_key(keymap: &Keymap, contexts: &[Context], action: Action, typing: bool) -> Option<Key> {
    contexts
        .iter()
        .flat_map(|c| keymap.keys_for(*c, action).iter().copied())
        .find(|k| {
            !typing
                || !matches!(k.code, ratatui::crossterm::event::KeyCode::Char(_))
                || k.mods.intersects(
                    ratatui::crossterm::event::KeyModifiers::CONTROL
                        | ratatui::crossterm::event::KeyModifiers::ALT,
                )
        })
}

/// Hints a footer keeps before any other when the line is short: the way out, help, and
/// the step that finishes what the person is doing (issue #16: a footer keeps
/// the hints that matter most).
const ESSENTIAL: [Action; 10] = [
    Action::Save,
    Action::Confirm,
    Action::Deny,
    Action::Cancel,
    Action::Back,
    Action::Transfer,
    Action::FilterDone,
    Action::Open,
    Action::Help,
    Action::Quit,
];

/// A footer line "Eingabe Öffnen · / Filtern · …" for `actions` with their labels, keys
/// taken from the keymap
/// (an action without a key in `contexts` is left out, so hints are never stale; while
/// `typing`, keys that would be typed into the field are not offered). Hints that do not
/// fit into `width` are dropped whole, never cut: the essential ones (saving, confirming,
/// the way back, the main step, help, quitting) keep their place first, the others fill
/// the rest in their order.
pub fn hint_line(
    keymap: &Keymap,
    contexts: &[Context],
    actions: &[(Action, &'static str)],
    typing: bool,
    strings: &Strings,
    theme: Theme,
    width: u16,
) -> Line<'static> {
    let hints: Vec<(Action, String, &'static str)> = actions
        .iter()
        .filter_map(|(action, label)| {
            working_key(keymap, contexts, *action, typing)
                .map(|k| (*action, key_label(&k, &strings.keys), *label))
        })
        .collect();
    let need = |(_, key, label): &(Action, String, &str)| key.width() + 1 + label.width();
    // Essential hints first, then the others in order, each while it still fits.
    let mut keep = vec![false; hints.len()];
    let mut used = 0;
    for essential in [true, false] {
        for (i, hint) in hints.iter().enumerate() {
            if ESSENTIAL.contains(&hint.0) != essential {
                continue;
            }
            let sep = if used == 0 { 0 } else { 3 };
            if used + sep + need(hint) <= usize::from(width) {
                used += sep + need(hint);
                keep[i] = true;
            }
        }
    }
    let mut spans = Vec::new();
    for ((_, key, label), _) in hints.into_iter().zip(keep).filter(|(_, k)| *k) {
        if !spans.is_empty() {
            spans.push(Span::styled(" · ", theme.dim()));
        }
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(" "));
        spans.push(Span::raw(label));
    }
    Line::from(spans)
}

/// `text` in at most `width` columns, shortened by a rule instead of cut: whole words as
/// long as they fit, then "…". A first word longer than the line keeps as many clusters
/// as fit before the "…".
pub fn shorten(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let room = width - 1;
    // Leading spaces (an indent, the room of a selection marker) stay.
    let body = text.trim_start_matches(' ');
    let mut out = " ".repeat(text.len() - body.len());
    let indent = out.len();
    for word in body.split(' ') {
        let sep = usize::from(out.len() > indent);
        if out.width() + sep + word.width() > room {
            break;
        }
        if sep == 1 {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.len() == indent {
        for g in body.graphemes(true) {
            if out.width() + g.width() > room {
                break;
            }
            out.push_str(g);
        }
    }
    let out = out.trim_end_matches([' ', ',', '·', ':', '–']).trim_end();
    format!("{out}…")
}

/// A label in a column of `width` columns, abbreviated by rule instead of cut: whole words
/// as long as they fit, then the next word's beginning (three letters at least) with a
/// full stop ("Jugendamt Fachkr."), otherwise "…".
pub fn abbreviate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split(' ') {
        let sep = usize::from(!out.is_empty());
        if out.width() + sep + word.width() <= width {
            if sep == 1 {
                out.push(' ');
            }
            out.push_str(word);
            continue;
        }
        let room = width.saturating_sub(out.width() + sep + 1);
        let mut part = String::new();
        for g in word.graphemes(true) {
            let joiner = g == "/" || g == "-";
            if part.width() + g.width() > room || !(joiner || g.chars().all(char::is_alphabetic)) {
                break;
            }
            part.push_str(g);
        }
        let part = part.trim_end_matches(['/', '-']);
        if part.chars().count() >= 3 {
            if sep == 1 {
                out.push(' ');
            }
            out.push_str(part);
            out.push('.');
            return out;
        }
        break;
    }
    shorten(text, width)
}

/// Lays out groups of spans on as many lines of `width` columns as they need: a group is
/// never split, groups on one line are separated by two spaces, and a line after the first
/// starts with `indent` spaces. Used for list lines whose warnings (a deadline,
/// "ESKALIERT") must not run off the right edge.
pub fn flow(groups: Vec<Vec<Span<'static>>>, width: usize, indent: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0;
    for group in groups {
        let w: usize = group.iter().map(|s| s.content.width()).sum();
        if w == 0 {
            continue;
        }
        let fresh = lines.last().is_none_or(Vec::is_empty);
        if !fresh && used + 2 + w > width {
            lines.push(vec![Span::raw(" ".repeat(indent))]);
            used = indent;
        } else if !fresh {
            if let Some(l) = lines.last_mut() {
                l.push(Span::raw("  "));
            }
            used += 2;
        }
        used += w;
        if let Some(l) = lines.last_mut() {
            l.extend(group);
        }
    }
    lines.into_iter().map(Line::from).collect()
}

/// The lines of a list whose entries take one or more lines each (`blocks`), for `room`
/// rows: the entry at `cursor` in view, and, when entries follow below the last one shown,
/// a last line that says how many (`more`: "▼ 3 weitere"), so that a list that continues
/// below the screen says so (issue #16).
pub fn window(
    blocks: Vec<Vec<Line<'static>>>,
    cursor: usize,
    room: usize,
    more: fn(usize) -> String,
    style: ratatui::style::Style,
) -> Vec<Line<'static>> {
    let total: usize = blocks.iter().map(Vec::len).sum();
    if total <= room {
        return blocks.into_iter().flatten().collect();
    }
    if room == 0 || blocks.is_empty() {
        return Vec::new();
    }
    let budget = room - 1;
    let cursor = cursor.min(blocks.len() - 1);
    let mut first = cursor;
    let mut used = blocks[cursor].len();
    while first > 0 && used + blocks[first - 1].len() <= budget {
        first -= 1;
        used += blocks[first].len();
    }
    let mut out = Vec::new();
    let mut shown = first;
    for block in blocks.iter().skip(first) {
        if out.len() + block.len() > budget && shown > cursor {
            break;
        }
        out.extend(block.iter().cloned());
        shown += 1;
    }
    out.truncate(budget);
    let below = blocks.len() - shown;
    if below > 0 {
        out.push(Line::styled(more(below), style));
    }
    out
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// A table row read with its column names, for the status line of accessible mode: "Name:
/// Müller, Jana · Alter: 19 · …"; empty cells are left out, a column without a name gives
/// its value alone (docs/accessibility.md § 2).
pub fn announce(heads: &[&str], cells: &[String]) -> String {
    heads
        .iter()
        .zip(cells)
        .filter(|(_, c)| !c.trim().is_empty())
        .map(|(h, c)| {
            let c = c.trim();
            if h.is_empty() {
                c.to_string()
            } else {
                format!("{h}: {c}")
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Greedy word wrapping of `text` into lines of at most `width` terminal columns (wide
/// characters count two, combining marks none; docs/architecture.md § 6); words longer
/// than a line are split between grapheme clusters. Always at least one line.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = vec![String::new()];
    // Columns used by the last line.
    let mut current = 0;
    for word in text.split(' ') {
        let mut word: Vec<&str> = word.graphemes(true).collect();
        loop {
            let word_w: usize = word.iter().map(|g| g.width()).sum();
            let need = if current == 0 {
                word_w
            } else {
                current + 1 + word_w
            };
            if need <= width {
                if let Some(l) = lines.last_mut() {
                    if current > 0 {
                        l.push(' ');
                    }
                    l.extend(word.iter().copied());
                }
                current = need;
                break;
            }
            if current > 0 {
                lines.push(String::new());
                current = 0;
                continue;
            }
            // A word wider than a whole line: split it (at least one cluster per line).
            let mut used = 0;
            let mut take = 0;
            for g in &word {
                if take > 0 && used + g.width() > width {
                    break;
                }
                used += g.width();
                take += 1;
            }
            let rest = word.split_off(take);
            if let Some(l) = lines.last_mut() {
                l.extend(word.iter().copied());
            }
            if rest.is_empty() {
                // Only a cluster wider than the line itself gets here.
                current = used;
                break;
            }
            lines.push(String::new());
            word = rest;
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::{abbreviate, shorten, wrap_words};

    #[test]
    fn shortens_and_abbreviates_at_words() {
        assert_eq!(
            shorten("  Raum 2.14 · Jobcenter Herten", 20),
            "  Raum 2.14…"
        );
        assert_eq!(shorten("kurz", 10), "kurz");
        assert_eq!(shorten("Donaudampfschiff", 6), "Donau…");
        assert_eq!(abbreviate("Jugendamt Fachkraft", 15), "Jugendamt Fach.");
        assert_eq!(abbreviate("Datenschutz/Revision", 15), "Datenschutz/Re.");
        assert_eq!(abbreviate("Eingang Kinderschutz", 10), "Eingang…");
    }

    #[test]
    fn wraps_at_words_and_splits_long_words() {
        assert_eq!(wrap_words("ab cd ef", 5), vec!["ab cd", "ef"]);
        assert_eq!(wrap_words("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap_words("", 3), vec![""]);
    }

    #[test]
    fn wraps_by_terminal_columns() {
        // Wide characters take two columns, combining marks none.
        assert_eq!(wrap_words("山田太郎 花子", 5), vec!["山田", "太郎", "花子"]);
        assert_eq!(
            wrap_words("e\u{301}e\u{301}e\u{301} ab", 5),
            vec!["e\u{301}e\u{301}e\u{301}", "ab"]
        );
        assert_eq!(wrap_words("山", 1), vec!["山"]);
    }
}
