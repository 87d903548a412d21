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
/// column header, status line and footer take five).
pub fn list_rows(height: u16) -> usize {
    usize::from(height.saturating_sub(5)).max(1)
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

/// A footer line "Eingabe Öffnen · / Filtern · …" for `actions` with their labels, keys
/// taken from the keymap
/// (an action without a key in `contexts` is left out, so hints are never stale; while
/// `typing`, keys that would be typed into the field are not offered). Hints that do not
/// fit into `width` are dropped whole, never cut.
pub fn hint_line(
    keymap: &Keymap,
    contexts: &[Context],
    actions: &[(Action, &'static str)],
    typing: bool,
    strings: &Strings,
    theme: Theme,
    width: u16,
) -> Line<'static> {
    let mut spans = Vec::new();
    let mut used = 0;
    for (action, label) in actions {
        let Some(key) = working_key(keymap, contexts, *action, typing) else {
            continue;
        };
        let key = key_label(&key, &strings.keys);
        let sep = if spans.is_empty() { 0 } else { 3 };
        let need = sep + key.chars().count() + 1 + label.chars().count();
        if used + need > usize::from(width) {
            continue;
        }
        used += need;
        if sep > 0 {
            spans.push(Span::styled(" · ", theme.dim()));
        }
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(" "));
        spans.push(Span::raw(*label));
    }
    Line::from(spans)
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
    use super::wrap_words;

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
