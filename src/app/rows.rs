//! A form as a list of rows: choices, ticks, one-line and multi-line text, headings and
//! notices. Its values are a map of keys to text, the same map that is stored as the draft
//! and checked by the domain, so what is typed, what is saved on a hang-up and what is
//! validated can never drift apart.

use std::collections::BTreeMap;

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea};

use crate::action::Action;
use crate::domain::text::FieldLimits;

/// The site's field limits (`[input]` in the configuration), set once at the start.
static LINE_MAX: AtomicUsize = AtomicUsize::new(FieldLimits::DEFAULT.line);
static TEXT_MAX: AtomicUsize = AtomicUsize::new(FieldLimits::DEFAULT.text);

/// Sets the limits every text row created from now on takes (the configuration's
/// `[input]`; docs/data-exits.md § 5).
pub fn set_field_limits(limits: FieldLimits) {
    LINE_MAX.store(limits.line, Ordering::Relaxed);
    TEXT_MAX.store(limits.text, Ordering::Relaxed);
}

/// The limits in force.
pub fn field_limits() -> FieldLimits {
    FieldLimits {
        line: LINE_MAX.load(Ordering::Relaxed),
        text: TEXT_MAX.load(Ordering::Relaxed),
    }
}

/// Input a full field did not take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// A character typed into a full field.
    Full {
        /// The field's limit in characters.
        max: usize,
    },
    /// A paste that does not fit: nothing of it was inserted.
    Paste {
        /// The field's limit in characters.
        max: usize,
        /// Characters already in the field.
        used: usize,
        /// Characters of the paste.
        adding: usize,
    },
}

thread_local! {
    /// The last input refused for its length, for the status line. Every form holds its
    /// rows in a [`RowEditor`], and the layers hand keys and pastes to it without looking
    /// at the result; the app reads this after each input instead of every layer passing
    /// it up.
    static OVERFLOW: Cell<Option<Overflow>> = const { Cell::new(None) };
}

/// Takes the last refusal for length, if any.
pub fn take_overflow() -> Option<Overflow> {
    OVERFLOW.with(Cell::take)
}

/// Records a refusal for length (also used by the case list's search line).
pub fn refuse(overflow: Overflow) {
    OVERFLOW.with(|o| o.set(Some(overflow)));
}

/// Characters in a text area (line breaks count one each).
pub fn char_count(a: &TextArea<'_>) -> usize {
    crate::domain::text::char_count(a.lines())
}

/// Takes back the edit just made to `a` when it grew the text past `max` (it had
/// `before` characters); an edit that shrinks a text over the limit stays.
pub fn keep_within(a: &mut TextArea<'_>, before: usize, max: usize) {
    let after = char_count(a);
    if after > max && after > before {
        a.undo();
        refuse(Overflow::Full { max });
    }
}

/// Whether `key` adds a character to a text area (a letter, or Enter in a text of
/// several lines).
pub fn adds_text(key: KeyEvent, multiline: bool) -> bool {
    match key.code {
        KeyCode::Char(_) => !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT),
        KeyCode::Enter => multiline,
        _ => false,
    }
}

/// What a row holds.
#[derive(Debug)]
pub enum Kind {
    /// One of several values: (code, label); the index is the chosen one.
    Choice {
        /// Codes and labels; an empty code stands for "not chosen".
        options: Vec<(String, String)>,
        /// The chosen option.
        index: usize,
    },
    /// Yes or no.
    Tick(bool),
    /// Several of a list ticked: (code, label) with a tick each and a highlighted option.
    /// Its value is the ticked codes in list order, joined by commas.
    Multi {
        /// Codes and labels.
        options: Vec<(String, String)>,
        /// Which are ticked, one per option.
        ticked: Vec<bool>,
        /// The highlighted option.
        cursor: usize,
    },
    /// One line of text.
    Line(Box<TextArea<'static>>),
    /// Several lines of text (Enter starts a new line; Tab leaves the field).
    Text(Box<TextArea<'static>>),
    /// A section heading; the cursor skips it.
    Heading,
    /// A notice (e.g. "phone acute danger first"); the cursor skips it.
    Notice,
}

/// One row.
#[derive(Debug)]
pub struct RowItem {
    /// Value key (see `domain::referral::key`).
    pub key: String,
    /// Label shown in front.
    pub label: String,
    /// Content.
    pub kind: Kind,
    /// Shown but not changed here: typing, paste and choice keys leave it alone and Tab
    /// passes over it.
    pub readonly: bool,
    /// Not even shown to this person: the row draws `mask` instead of its value.
    pub withheld: bool,
    /// Drawn instead of the value of a withheld row.
    pub mask: Option<String>,
    /// Drawn dimmed after the value (e.g. "received from the partner agency").
    pub note: Option<String>,
    /// How to change the value, drawn dimmed while a choice has the focus.
    pub hint: Option<String>,
    /// Drawn dimmed instead of an empty value (e.g. the date format).
    pub placeholder: Option<String>,
    /// The most characters a text row takes (shown at the field while it has the focus).
    pub max: usize,
}

impl RowItem {
    fn of(key: &str, label: &str, kind: Kind) -> RowItem {
        RowItem {
            key: key.to_string(),
            label: label.to_string(),
            kind,
            readonly: false,
            withheld: false,
            mask: None,
            note: None,
            hint: None,
            placeholder: None,
            max: 0,
        }
    }

    /// A choice row; `value` selects the option with that code.
    pub fn choice(key: &str, label: &str, options: Vec<(String, String)>, value: &str) -> RowItem {
        let index = options.iter().position(|(c, _)| c == value).unwrap_or(0);
        RowItem::of(key, label, Kind::Choice { options, index })
    }

    /// A tick row.
    pub fn tick(key: &str, label: &str, value: &str) -> RowItem {
        RowItem::of(key, label, Kind::Tick(value == "1"))
    }

    /// A one-line text row.
    pub fn line(key: &str, label: &str, value: &str) -> RowItem {
        RowItem {
            max: field_limits().line,
            ..RowItem::of(key, label, Kind::Line(area(value)))
        }
    }

    /// A multi-line text row.
    pub fn text(key: &str, label: &str, value: &str) -> RowItem {
        RowItem {
            max: field_limits().text,
            ..RowItem::of(key, label, Kind::Text(area(value)))
        }
    }

    /// The row taking at most `max` characters (a record's own, lower limit); never more
    /// than the site's limit.
    #[must_use]
    pub fn with_max(mut self, max: usize) -> RowItem {
        self.max = self.max.min(max);
        self
    }

    /// The row taking exactly `max` characters whatever the site's limit, for a value of
    /// a fixed format the store checks (a public key, a statement of its own length).
    #[must_use]
    pub fn with_limit(mut self, max: usize) -> RowItem {
        self.max = max;
        self
    }

    /// A multi-choice row; `value` holds the ticked codes joined by commas.
    pub fn multi(key: &str, label: &str, options: Vec<(String, String)>, value: &str) -> RowItem {
        let ticked = options.iter().map(|(c, _)| ticks(value, c)).collect();
        RowItem::of(
            key,
            label,
            Kind::Multi {
                options,
                ticked,
                cursor: 0,
            },
        )
    }

    /// The row with `hint` (see [`RowItem::hint`]).
    #[must_use]
    pub fn with_hint(mut self, hint: &str) -> RowItem {
        self.hint = Some(hint.to_string());
        self
    }

    /// The row with `placeholder` (see [`RowItem::placeholder`]).
    #[must_use]
    pub fn with_placeholder(mut self, placeholder: &str) -> RowItem {
        self.placeholder = Some(placeholder.to_string());
        self
    }

    /// A heading.
    pub fn heading(label: &str) -> RowItem {
        RowItem::of("", label, Kind::Heading)
    }

    /// A notice.
    pub fn notice(key: &str, text: &str) -> RowItem {
        RowItem::of(key, text, Kind::Notice)
    }

    /// Whether the cursor can stop here.
    pub fn focusable(&self) -> bool {
        !matches!(self.kind, Kind::Heading | Kind::Notice)
    }

    /// Whether Tab stops here: focusable and not read-only.
    pub fn stops(&self) -> bool {
        self.focusable() && !self.readonly
    }

    /// Whether typed characters go into this row.
    pub fn takes_text(&self) -> bool {
        matches!(self.kind, Kind::Line(_) | Kind::Text(_)) && !self.readonly
    }

    /// Whether Enter makes a new line here.
    pub fn multiline(&self) -> bool {
        matches!(self.kind, Kind::Text(_))
    }

    /// The value in its stored text form.
    pub fn value(&self) -> Option<String> {
        match &self.kind {
            Kind::Choice { options, index } => options.get(*index).map(|(c, _)| c.clone()),
            Kind::Tick(b) => Some(if *b { "1" } else { "0" }.to_string()),
            Kind::Multi {
                options, ticked, ..
            } => Some(
                options
                    .iter()
                    .zip(ticked)
                    .filter(|(_, t)| **t)
                    .map(|((c, _), _)| c.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            Kind::Line(a) => Some(a.lines().join(" ")),
            Kind::Text(a) => Some(a.lines().join("\n")),
            Kind::Heading | Kind::Notice => None,
        }
    }

    /// The label of the option with `code` of a choice or multi-choice row.
    pub fn option_label(&self, code: &str) -> Option<&str> {
        match &self.kind {
            Kind::Choice { options, .. } | Kind::Multi { options, .. } => options
                .iter()
                .find(|(c, _)| c == code)
                .map(|(_, l)| l.as_str()),
            _ => None,
        }
    }

    /// A value in its stored text form as the person reads it: the labels of the chosen
    /// options, or the text itself (line breaks shown as "⏎").
    pub fn display(&self, value: &str) -> String {
        match &self.kind {
            Kind::Choice { .. } => self.option_label(value).unwrap_or(value).to_string(),
            Kind::Multi { .. } => value
                .split(',')
                .filter(|c| !c.is_empty())
                .map(|c| self.option_label(c).unwrap_or(c))
                .collect::<Vec<_>>()
                .join(", "),
            _ => value.replace('\n', " ⏎ "),
        }
    }

    /// Puts a value in its stored text form into the row. A choice code that is not
    /// offered is ignored.
    pub fn set_value(&mut self, v: &str) {
        match &mut self.kind {
            Kind::Choice { options, index } => {
                if let Some(i) = options.iter().position(|(c, _)| c == v) {
                    *index = i;
                }
            }
            Kind::Multi {
                options, ticked, ..
            } => {
                for ((c, _), t) in options.iter().zip(ticked.iter_mut()) {
                    *t = ticks(v, c);
                }
            }
            Kind::Tick(b) => *b = v == "1",
            Kind::Line(a) => *a = area(&v.replace(['\r', '\n'], " ")),
            Kind::Text(a) => *a = area(v),
            Kind::Heading | Kind::Notice => {}
        }
    }

    /// The label of the chosen option of a choice row.
    pub fn choice_label(&self) -> Option<&str> {
        match &self.kind {
            Kind::Choice { options, index } => options.get(*index).map(|(_, l)| l.as_str()),
            _ => None,
        }
    }
}

/// Whether `code` is one of the comma-separated `codes`.
fn ticks(codes: &str, code: &str) -> bool {
    !code.is_empty() && codes.split(',').any(|c| c == code)
}

fn area(value: &str) -> Box<TextArea<'static>> {
    let lines: Vec<String> = if value.is_empty() {
        vec![String::new()]
    } else {
        value.split('\n').map(str::to_string).collect()
    };
    let mut a = TextArea::new(lines);
    a.move_cursor(CursorMove::Bottom);
    a.move_cursor(CursorMove::End);
    Box::new(a)
}

/// What a key did in a menu of steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuKey {
    /// The highlight moved (or nothing happened).
    Moved,
    /// The menu closes without a choice.
    Closed,
    /// Entry `n` was chosen.
    Chosen(usize),
}

/// Moves the highlight of a menu of `len` entries, or closes or chooses.
pub fn menu_key(cursor: &mut usize, len: usize, action: Action) -> MenuKey {
    match action {
        Action::Up => *cursor = cursor.saturating_sub(1),
        Action::Down => *cursor = (*cursor + 1).min(len.saturating_sub(1)),
        Action::Deny => return MenuKey::Closed,
        Action::Confirm if *cursor < len => return MenuKey::Chosen(*cursor),
        Action::Confirm => return MenuKey::Closed,
        _ => {}
    }
    MenuKey::Moved
}

/// A form of rows.
#[derive(Debug, Default)]
pub struct RowEditor {
    /// The rows.
    pub rows: Vec<RowItem>,
    /// The highlighted row.
    pub cursor: usize,
    /// Messages per key from the last check.
    pub errors: BTreeMap<String, String>,
    /// Whether anything was changed since it was opened.
    pub dirty: bool,
}

impl RowEditor {
    /// An editor over `rows`, the cursor on the first row that takes input.
    pub fn new(rows: Vec<RowItem>) -> RowEditor {
        let cursor = rows.iter().position(RowItem::stops).unwrap_or(0);
        RowEditor {
            rows,
            cursor,
            errors: BTreeMap::new(),
            dirty: false,
        }
    }

    /// Replaces the rows (after a choice changed the form's shape), keeping the cursor on
    /// the row with the same key.
    pub fn replace_rows(&mut self, rows: Vec<RowItem>) {
        let key = self.current().map(|r| r.key.clone());
        self.rows = rows;
        self.cursor = key
            .and_then(|k| self.rows.iter().position(|r| r.key == k))
            .unwrap_or(0);
    }

    /// The highlighted row.
    pub fn current(&self) -> Option<&RowItem> {
        self.rows.get(self.cursor)
    }

    /// Every value by key.
    pub fn values(&self) -> BTreeMap<String, String> {
        self.rows
            .iter()
            .filter_map(|r| r.value().map(|v| (r.key.clone(), v)))
            .collect()
    }

    /// The value of `key`.
    pub fn value(&self, key: &str) -> String {
        self.rows
            .iter()
            .find(|r| r.key == key)
            .and_then(RowItem::value)
            .unwrap_or_default()
    }

    /// Moves to the next (or previous) row that takes input, wrapping.
    pub fn step(&mut self, forward: bool) {
        let n = self.rows.len();
        if n == 0 {
            return;
        }
        let mut i = self.cursor;
        for _ in 0..n {
            i = if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            if self.rows[i].stops() {
                self.cursor = i;
                return;
            }
        }
    }

    /// Moves to the row of `key`.
    pub fn focus(&mut self, key: &str) {
        if let Some(i) = self.rows.iter().position(|r| r.key == key) {
            self.cursor = i;
        }
    }

    /// Cycles a choice or flips a tick; moves the highlight of a multi-choice. Returns the
    /// key of the changed row.
    pub fn toggle(&mut self, forward: bool) -> Option<String> {
        let row = self.rows.get_mut(self.cursor).filter(|r| !r.readonly)?;
        match &mut row.kind {
            Kind::Multi {
                options, cursor, ..
            } => {
                let n = options.len().max(1);
                *cursor = if forward {
                    (*cursor + 1) % n
                } else {
                    (*cursor + n - 1) % n
                };
                return None;
            }
            Kind::Choice { options, index } => {
                let n = options.len().max(1);
                *index = if forward {
                    (*index + 1) % n
                } else {
                    (*index + n - 1) % n
                };
            }
            Kind::Tick(b) => *b = !*b,
            _ => return None,
        }
        self.dirty = true;
        Some(row.key.clone())
    }

    /// Ticks or unticks the highlighted option of a multi-choice; anywhere else the same
    /// as [`RowEditor::toggle`] forward. Returns the key of the changed row.
    pub fn tick(&mut self) -> Option<String> {
        let row = self.rows.get_mut(self.cursor).filter(|r| !r.readonly)?;
        let Kind::Multi { ticked, cursor, .. } = &mut row.kind else {
            return self.toggle(true);
        };
        let t = ticked.get_mut(*cursor)?;
        *t = !*t;
        self.dirty = true;
        Some(row.key.clone())
    }

    /// Gives a key to the highlighted text row. A character that would pass the row's
    /// limit is refused ([`take_overflow`]).
    pub fn input(&mut self, key: KeyEvent) {
        let Some(row) = self.rows.get_mut(self.cursor).filter(|r| !r.readonly) else {
            return;
        };
        let max = row.max;
        let full = match &row.kind {
            Kind::Line(a) => adds_text(key, false) && char_count(a) >= max,
            Kind::Text(a) => adds_text(key, true) && char_count(a) >= max,
            _ => false,
        };
        if full {
            refuse(Overflow::Full { max });
            return;
        }
        match &mut row.kind {
            Kind::Line(a) => {
                let before = char_count(a);
                if a.input(key) {
                    self.dirty = true;
                    // The editor's own yank (Ctrl+Y) can bring back more than fits; a
                    // value over the limit from before (an old draft) may still shrink.
                    keep_within(a, before, max);
                }
                if a.lines().len() > 1 {
                    let joined = a.lines().join(" ");
                    **a = TextArea::new(vec![joined]);
                    a.move_cursor(CursorMove::End);
                }
            }
            Kind::Text(a) => {
                let before = char_count(a);
                let changed = a.input(key);
                self.dirty |= changed;
                if changed {
                    keep_within(a, before, max);
                }
            }
            _ => {}
        }
    }

    /// Pastes text into the highlighted text row without control characters (one line:
    /// line breaks become spaces). A paste that would pass the row's limit is refused
    /// whole ([`take_overflow`]).
    pub fn paste(&mut self, text: &str) {
        use crate::domain::text::sanitize;
        let Some(row) = self.rows.get_mut(self.cursor).filter(|r| !r.readonly) else {
            return;
        };
        let max = row.max;
        let (a, clean) = match &mut row.kind {
            Kind::Line(a) => (a, sanitize(&text.replace(['\r', '\n'], " "), false)),
            Kind::Text(a) => (
                a,
                sanitize(&text.replace("\r\n", "\n").replace('\r', "\n"), true),
            ),
            _ => return,
        };
        // All or nothing: a paste cut at the limit would lose its end without a sign.
        let (used, adding) = (char_count(a), clean.chars().count());
        if used + adding > max {
            refuse(Overflow::Paste { max, used, adding });
            return;
        }
        a.insert_str(clean);
        self.dirty = true;
    }

    /// Puts stored values (a draft) back into the rows with the same keys.
    pub fn set_values(&mut self, values: &BTreeMap<String, String>) {
        for row in &mut self.rows {
            if let Some(v) = values.get(&row.key) {
                row.set_value(v);
            }
        }
        self.dirty = true;
    }

    /// The keys every row form shares: moving between rows and changing a choice. None when
    /// `action` is not one of them; otherwise the key of the row whose value changed, if any.
    pub fn navigate(&mut self, action: Action) -> Option<Option<String>> {
        match action {
            Action::NextField => {
                self.step(true);
                Some(None)
            }
            Action::PrevField => {
                self.step(false);
                Some(None)
            }
            Action::ChoiceNext => Some(self.toggle(true)),
            Action::Toggle => Some(self.tick()),
            Action::ChoicePrev => Some(self.toggle(false)),
            _ => None,
        }
    }

    /// Sets the problems of the last check and moves to the first one.
    pub fn set_errors(&mut self, errors: Vec<(String, String)>) {
        if let Some((k, _)) = errors.first() {
            let k = k.clone();
            self.focus(&k);
        }
        self.errors = errors.into_iter().collect();
    }

    /// Whether the highlighted row takes typed text (what a form layer answers to
    /// `Layer::takes_text`).
    pub fn takes_text(&self) -> bool {
        self.current().is_some_and(RowItem::takes_text)
    }

    /// The highlighted row's text, if it is a text row (what a form layer answers to
    /// `Layer::field_text`).
    pub fn focused_text(&self) -> Option<String> {
        self.current()
            .filter(|r| r.takes_text())
            .and_then(RowItem::value)
    }

    /// Every value by key and, under `app::FOCUS_KEY`, the key of the highlighted
    /// row: a draft that reopens where it was left.
    pub fn values_with_focus(&self) -> BTreeMap<String, String> {
        let mut values = self.values();
        if let Some(cur) = self.current() {
            values.insert(crate::app::FOCUS_KEY.to_string(), cur.key.clone());
        }
        values
    }

    /// Whether the highlighted row is a choice or a tick.
    pub fn on_choice(&self) -> bool {
        self.current()
            .is_some_and(|r| matches!(r.kind, Kind::Choice { .. } | Kind::Tick(_)))
    }
}

/// The keymap contexts of a row form whose focused row is that of `editor`: text keys on a
/// text row, choice keys on a choice or tick, then the form's keys and the global ones.
pub fn contexts(editor: Option<&RowEditor>) -> Vec<crate::keymap::Context> {
    use crate::keymap::Context;
    let row = editor.and_then(RowEditor::current);
    let mut v = Vec::new();
    match row.map(|r| &r.kind) {
        Some(Kind::Line(_)) => v.push(Context::Text),
        Some(Kind::Choice { .. } | Kind::Tick(_) | Kind::Multi { .. }) => v.push(Context::Field),
        _ => {}
    }
    v.push(Context::Form);
    v.push(Context::Global);
    v
}

/// The options of a choice row: every value of `all` as (code, label), after an empty
/// "not chosen" option labelled `none` if given.
pub fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    none: Option<&str>,
) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = none
        .map(|n| (String::new(), n.to_string()))
        .into_iter()
        .collect();
    v.extend(
        all.iter()
            .map(|x| (code(*x).to_string(), label(*x).to_string())),
    );
    v
}

impl crate::widgets::rows::Rows for RowEditor {
    fn rows(&self) -> Vec<crate::widgets::rows::Row<'_>> {
        use crate::widgets::rows::{Cell, Row};
        self.rows
            .iter()
            .map(|r| Row {
                label: &r.label,
                cell: match &r.kind {
                    Kind::Heading => Cell::Heading,
                    Kind::Notice => Cell::Notice,
                    Kind::Choice { .. } => Cell::Choice(r.choice_label().unwrap_or("")),
                    Kind::Tick(b) => Cell::Tick(*b),
                    Kind::Multi {
                        options,
                        ticked,
                        cursor,
                    } => Cell::Multi {
                        options,
                        ticked,
                        cursor: *cursor,
                    },
                    Kind::Line(a) | Kind::Text(a) => Cell::Text(a),
                },
                error: self.errors.get(&r.key).map(String::as_str),
                readonly: r.readonly,
                // A withheld value is never handed to the widget.
                mask: r.withheld.then(|| r.mask.as_deref().unwrap_or("–")),
                note: r.note.as_deref(),
                hint: r.hint.as_deref(),
                placeholder: r.placeholder.as_deref(),
                limit: (r.takes_text() && r.max > 0).then_some(r.max),
            })
            .collect()
    }

    fn cursor(&self) -> usize {
        self.cursor
    }
}

/// The keymap contexts of a small box form that answers like a box of one question
/// (`keys`: the reason list of break-glass, the yes/no of a transfer): the form's keys
/// first, so that Esc asks before typed text is thrown away, then `keys`, and on a choice
/// or tick the choice keys. No global keys, as in every such box.
pub fn box_contexts(
    editor: &RowEditor,
    keys: crate::keymap::Context,
) -> Vec<crate::keymap::Context> {
    use crate::keymap::Context;
    let mut v = vec![Context::Form, keys];
    if editor.on_choice() {
        v.push(Context::Field);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn a_text_row_takes_no_more_than_its_limit_by_typing_pasting_or_yanking() {
        let mut e = RowEditor::new(vec![RowItem::line("a", "A", "").with_max(5)]);
        assert_eq!(e.rows[0].max, 5, "the record's lower limit");
        for c in "abcdefg".chars() {
            e.input(key(KeyCode::Char(c), KeyModifiers::NONE));
        }
        assert_eq!(e.rows[0].value().expect("a text row has a value"), "abcde");
        assert_eq!(take_overflow(), Some(Overflow::Full { max: 5 }));
        // A paste is all or nothing.
        e.paste("xy");
        assert_eq!(
            take_overflow(),
            Some(Overflow::Paste {
                max: 5,
                used: 5,
                adding: 2
            })
        );
        assert_eq!(e.rows[0].value().expect("a text row has a value"), "abcde");
        // The editor's kill and yank cannot bring back more than fits either.
        e.input(key(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(e.rows[0].value().expect("a text row has a value"), "");
        e.input(key(KeyCode::Char('y'), KeyModifiers::CONTROL));
        assert_eq!(e.rows[0].value().expect("a text row has a value"), "abcde");
        assert_eq!(take_overflow(), None);
        e.input(key(KeyCode::Char('y'), KeyModifiers::CONTROL));
        assert_eq!(e.rows[0].value().expect("a text row has a value"), "abcde");
        assert_eq!(take_overflow(), Some(Overflow::Full { max: 5 }));
        // A text counts its line breaks; Enter is a character there.
        let mut t = RowEditor::new(vec![RowItem::text("t", "T", "ab\ncd").with_max(5)]);
        t.input(key(KeyCode::Enter, KeyModifiers::NONE));
        assert_eq!(take_overflow(), Some(Overflow::Full { max: 5 }));
        assert_eq!(t.rows[0].value().expect("a text row has a value"), "ab\ncd");
        // The site's limit is the ceiling of a record's own.
        assert_eq!(
            RowItem::line("b", "B", "").with_max(1_000_000).max,
            field_limits().line
        );
    }

    #[test]
    fn values_round_trip_and_the_cursor_skips_headings() {
        let rows = vec![
            RowItem::heading("Kopf"),
            RowItem::choice(
                "u",
                "Dringlichkeit",
                vec![(String::new(), "–".into()), ("akut".into(), "akut".into())],
                "akut",
            ),
            RowItem::notice("n", "Zuerst anrufen"),
            RowItem::text("f", "Tatsachen", "Zeile 1\nZeile 2"),
            RowItem::tick("t", "Rückmeldung", "1"),
        ];
        let mut e = RowEditor::new(rows);
        assert_eq!(e.cursor, 1);
        e.step(true);
        assert_eq!(e.current().map(|r| r.key.as_str()), Some("f"));
        let v = e.values();
        assert_eq!(v.get("u").map(String::as_str), Some("akut"));
        assert_eq!(v.get("f").map(String::as_str), Some("Zeile 1\nZeile 2"));
        assert_eq!(v.get("t").map(String::as_str), Some("1"));
        assert!(!v.contains_key("n"));
        e.step(true);
        e.step(true);
        assert_eq!(e.cursor, 1, "wraps past the heading");
        assert_eq!(e.toggle(true).as_deref(), Some("u"));
        assert_eq!(e.value("u"), "");
        assert!(e.dirty);
    }

    #[test]
    fn a_multi_choice_ticks_in_list_order_and_read_only_rows_take_nothing() {
        let opts = |v: &[&str]| {
            v.iter()
                .map(|c| ((*c).to_string(), c.to_uppercase()))
                .collect()
        };
        let mut ro = RowItem::line("r", "Fest", "bleibt");
        ro.readonly = true;
        let rows = vec![
            ro,
            RowItem::multi("m", "Anlass", opts(&["a", "b", "c"]), "c,a"),
        ];
        let mut e = RowEditor::new(rows);
        assert_eq!(e.cursor, 1, "the read-only row is passed over");
        assert_eq!(e.value("m"), "a,c");
        assert_eq!(
            e.navigate(Action::ChoiceNext),
            Some(None),
            "moves the highlight"
        );
        assert_eq!(e.navigate(Action::Toggle), Some(Some("m".to_string())));
        assert_eq!(e.value("m"), "a,b,c");
        assert_eq!(e.rows[1].display("c,b"), "C, B");
        e.step(true);
        assert_eq!(e.cursor, 1, "Tab never stops on the read-only row");
        e.focus("r");
        e.paste("anders");
        assert_eq!(e.toggle(true), None);
        assert_eq!(e.value("r"), "bleibt");
        assert!(!e.rows[0].takes_text());
    }
}
