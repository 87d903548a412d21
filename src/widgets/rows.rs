//! Drawing of a form of rows (the case form, the referral form, step dialogs, the conference
//! forms) and of the boxes that hold step menus and dialogs. Below both `app` and `ui`
//! (docs/architecture.md § 3): a form hands over what each row shows through [`Rows`], so
//! this module names no state type of `app`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui_textarea::TextArea;
use unicode_width::UnicodeWidthStr;

use super::{centered, wrap_words};
use crate::domain::text::sanitize;
use crate::theme::Theme;

/// What one row shows.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    /// A section heading (the label is its text).
    Heading,
    /// A notice (the label is its text); "✓ …" is good news, any other a warning.
    Notice,
    /// The label of the chosen option.
    Choice(&'a str),
    /// Yes or no.
    Tick(bool),
    /// Several of a list ticked: the labels, their ticks and the highlighted one.
    Multi {
        /// Codes and labels.
        options: &'a [(String, String)],
        /// Which are ticked.
        ticked: &'a [bool],
        /// The highlighted option.
        cursor: usize,
    },
    /// Text, one line or several.
    Text(&'a TextArea<'static>),
}

/// One row as drawn.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// The label in front (the text of headings and notices).
    pub label: &'a str,
    /// What it shows.
    pub cell: Cell<'a>,
    /// The problem found at this row by the last check.
    pub error: Option<&'a str>,
    /// Not changed here: the value is drawn dimmed, without input marks.
    pub readonly: bool,
    /// Drawn dimmed instead of the value, which is never drawn (a withheld value).
    pub mask: Option<&'a str>,
    /// Drawn dimmed after the value (e.g. "received from the partner agency").
    pub note: Option<&'a str>,
    /// How to change the value, drawn dimmed after a focused choice.
    pub hint: Option<&'a str>,
    /// Drawn dimmed instead of an empty value.
    pub placeholder: Option<&'a str>,
    /// The most characters a text row takes: drawn as "12/200" beside it while it has the
    /// focus (docs/data-exits.md § 5).
    pub limit: Option<usize>,
}

/// A form of rows as the widget sees it.
pub trait Rows {
    /// Every row, in order.
    fn rows(&self) -> Vec<Row<'_>>;
    /// The highlighted row.
    fn cursor(&self) -> usize;
}

fn clean(s: &str) -> String {
    sanitize(s, false)
}

/// The lines of a text cell at `width`: long lines wrap at whole words onto the next
/// screen lines (nothing is cut off, no word is split unless it is longer than a line),
/// the cursor "▏" drawn where it stands when `focused`. Also the index of the line that
/// holds the cursor, so that it can be kept in view.
fn text_lines(a: &TextArea<'static>, focused: bool, width: usize) -> (Vec<String>, Option<usize>) {
    let ratatui_textarea::DataCursor(cr, cc) = a.cursor();
    let mut out = Vec::new();
    let mut caret = None;
    for (n, l) in a.lines().iter().enumerate() {
        let clean_line = clean(l);
        if focused && n == cr {
            let before: String = clean_line.chars().take(cc).collect();
            let after: String = clean_line.chars().skip(cc).collect();
            let wrapped = wrap_words(&format!("{before}▏{after}"), width);
            caret = wrapped
                .iter()
                .position(|w| w.contains('▏'))
                .map(|p| out.len() + p);
            out.extend(wrapped);
        } else {
            out.extend(wrap_words(&clean_line, width));
        }
    }
    (out, caret)
}

/// The value of a choice, tick or multi-choice cell as drawn.
fn value_spans(row: &Row<'_>, focused: bool, theme: Theme) -> Vec<Span<'static>> {
    let dim = |t: &str| Span::styled(t.to_string(), theme.dim());
    let mut spans = match row.cell {
        Cell::Choice(v) if focused => vec![Span::styled(format!("◀ {v} ▶"), theme.selected())],
        Cell::Choice(v) => vec![Span::raw(v.to_string())],
        Cell::Tick(b) => vec![Span::raw(if b { "[x]" } else { "[ ]" }.to_string())],
        Cell::Multi {
            options,
            ticked,
            cursor,
        } if focused => {
            let current = options.get(cursor).map_or("", |(_, l)| l.as_str());
            let mark = if ticked.get(cursor).copied().unwrap_or(false) {
                "[x]"
            } else {
                "[ ]"
            };
            let count = ticked.iter().filter(|t| **t).count();
            vec![
                Span::styled(format!("◀ {mark} {} ▶", clean(current)), theme.selected()),
                dim(&format!(" ({count})")),
            ]
        }
        Cell::Multi {
            options, ticked, ..
        } => {
            let chosen: Vec<&str> = options
                .iter()
                .zip(ticked)
                .filter(|(_, t)| **t)
                .map(|((_, l), _)| l.as_str())
                .collect();
            match row.placeholder {
                Some(p) if chosen.is_empty() => vec![dim(p)],
                _ => vec![Span::raw(clean(&chosen.join(", ")))],
            }
        }
        Cell::Heading | Cell::Notice | Cell::Text(_) => Vec::new(),
    };
    if focused && let Some(h) = row.hint {
        spans.push(dim(&format!("  {h}")));
    }
    spans
}

/// The value of a choice as drawn in `width` columns: when it does not fit, the hint that
/// ends it (`has_hint`: "←/→ blättern") moves to a line of its own rather than run off the
/// edge.
fn fit_value(spans: Vec<Span<'static>>, width: usize, has_hint: bool) -> Vec<Vec<Span<'static>>> {
    let total: usize = spans.iter().map(|s| s.content.width()).sum();
    if total <= width || !has_hint || spans.len() < 2 {
        return vec![spans];
    }
    let mut spans = spans;
    let hint = spans.pop().map(|h| {
        let text = h.content.trim_start().to_string();
        Span::styled(text, h.style)
    });
    vec![spans, hint.into_iter().collect()]
}

/// Draws the rows of a form into `area`, keeping the highlighted row in view. A
/// read-only row is drawn dimmed with its note, a withheld one shows its mask instead of
/// the value; a problem stands under its row, wrapped.
///
/// ```text
/// ── Meldung ────────────────────
/// ▶Dringlichkeit                  ◀ akut ▶  ←/→ wählen
///  Telefonat um                   09:40▏
///                                 ⚠ Akute Gefahr zuerst anrufen …
///  Aktenzeichen JA                – (hier nicht änderbar)
/// ```
pub fn render_rows(frame: &mut Frame<'_>, theme: Theme, form: &dyn Rows, area: Rect) {
    let width = usize::from(area.width.max(20));
    let label_w = 30.min(width / 2);
    let value_w = width.saturating_sub(label_w + 2).max(1);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut cursor_line = 0;
    let mut cursor_end = 0;
    // The screen line of the text cursor in the highlighted row, if it is a text.
    let mut caret_line = None;
    let current = form.cursor();
    for (i, row) in form.rows().iter().enumerate() {
        let focused = i == current;
        if focused {
            cursor_line = lines.len();
        }
        let label_style = if focused {
            theme.focus()
        } else {
            theme.label()
        };
        match row.cell {
            Cell::Heading => {
                let rule = if theme.accessible { "" } else { "── " };
                lines.push(Line::styled(
                    format!("{rule}{} ", row.label),
                    theme.header(),
                ));
                continue;
            }
            Cell::Notice => {
                let style = if row.label.starts_with('✓') {
                    theme.info()
                } else {
                    theme.error()
                };
                for w in wrap_words(row.label, width.saturating_sub(2)) {
                    lines.push(Line::styled(format!(" {w}"), style));
                }
                continue;
            }
            _ => {}
        }
        // A row without a label (the note's text) takes the whole width.
        let label_w = if row.label.is_empty() { 0 } else { label_w };
        // A label longer than its column wraps at whole words onto the next lines, never
        // losing its end (a closing parenthesis, the last word; issue #16).
        let label_lines = if label_w == 0 {
            vec![String::new()]
        } else {
            wrap_words(row.label, label_w)
        };
        let pad_to = |l: &str| {
            if label_w == 0 {
                String::new()
            } else {
                " ".repeat(label_w.saturating_sub(l.width()) + 1)
            }
        };
        let indent = if label_w == 0 { 1 } else { label_w + 2 };
        let marker = if focused { "▶" } else { " " };
        let value_lines: Vec<Vec<Span<'static>>> = match (row.mask, row.cell) {
            (Some(mask), _) => vec![vec![Span::styled(clean(mask), theme.dim())]],
            (None, Cell::Text(a)) if a.is_empty() && row.placeholder.is_some() => {
                let p = row.placeholder.unwrap_or_default();
                let cursor = if focused && !row.readonly { "▏" } else { "" };
                vec![vec![
                    Span::raw(cursor.to_string()),
                    Span::styled(p.to_string(), theme.dim()),
                ]]
            }
            (None, Cell::Text(a)) => {
                let (text, caret) = text_lines(a, focused && !row.readonly, value_w);
                caret_line = caret.map(|c| lines.len() + c).or(caret_line);
                text.into_iter().map(|l| vec![Span::raw(l)]).collect()
            }
            _ => fit_value(
                value_spans(row, focused && !row.readonly, theme),
                value_w,
                row.hint.is_some() && focused,
            ),
        };
        let mut value_lines = value_lines;
        // How full the focused text is, beside its end or on a line of its own.
        if let (Some(max), Cell::Text(a), None) = (row.limit, row.cell, row.mask)
            && focused
            && !row.readonly
        {
            let counter = format!(" {}/{max}", crate::domain::text::char_count(a.lines()));
            let last_width: usize = value_lines
                .last()
                .map_or(0, |l| l.iter().map(|s| s.content.width()).sum());
            let span = Span::styled(counter.clone(), theme.dim());
            match value_lines.last_mut() {
                Some(l) if last_width + counter.width() <= value_w => l.push(span),
                _ => value_lines.push(vec![span]),
            }
        }
        while value_lines.len() < label_lines.len() {
            value_lines.push(Vec::new());
        }
        let last = value_lines.len().saturating_sub(1);
        for (n, mut v) in value_lines.into_iter().enumerate() {
            let mut spans = match label_lines.get(n) {
                Some(l) if label_w > 0 => vec![
                    Span::raw(if n == 0 { marker } else { " " }.to_string()),
                    Span::styled(l.clone(), label_style),
                    Span::raw(pad_to(l)),
                ],
                _ if n == 0 => vec![Span::raw(marker.to_string())],
                _ => vec![Span::raw(" ".repeat(indent))],
            };
            if row.readonly {
                for s in &mut v {
                    s.style = theme.dim();
                }
            }
            spans.extend(v);
            if n == last
                && let Some(note) = row.note
            {
                spans.push(Span::styled(note.to_string(), theme.dim()));
            }
            lines.push(Line::from(spans));
        }
        if let Some(msg) = row.error {
            for w in wrap_words(&format!("⚠ {msg}"), value_w) {
                lines.push(Line::styled(
                    format!("{}{w}", " ".repeat(indent)),
                    theme.error(),
                ));
            }
        }
        if focused {
            cursor_end = lines.len();
        }
    }
    // The highlighted row in the middle, or higher so that its problem shows too.
    let h = usize::from(area.height.max(1));
    let mut top = cursor_line.saturating_sub(h / 2);
    if cursor_end > top + h {
        top = cursor_end.saturating_sub(h).min(cursor_line);
    }
    // A text longer than the area: the line being typed stays in view (#23 defect 10).
    if let Some(c) = caret_line {
        if c >= top + h {
            top = c + 1 - h;
        } else if c < top {
            top = c;
        }
    }
    let top = u16::try_from(top).unwrap_or(0);
    frame.render_widget(Paragraph::new(lines).scroll((top, 0)), area);
}

/// A box of steps to choose from, the highlighted one marked, centred in `area`.
///
/// ```text
/// ┌ Nächster Schritt ─────────────────┐
/// │ ▶ Eingang erfassen                │
/// │   Weiterleiten …                  │
/// └───────────────────────────────────┘
/// ```
pub fn render_menu_box(
    frame: &mut Frame<'_>,
    theme: Theme,
    title: &str,
    labels: &[&str],
    cursor: usize,
    area: Rect,
) {
    let h = u16::try_from(labels.len() + 2).unwrap_or(10);
    let rect = centered(area, 64, h);
    frame.render_widget(Clear, rect);
    let lines: Vec<Line<'static>> = labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let text = format!("{} {label}", if i == cursor { "▶" } else { " " });
            if i == cursor {
                Line::styled(text, theme.selected())
            } else {
                Line::raw(text)
            }
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(theme.borders(Borders::ALL))
                .title(title.to_string()),
        ),
        rect,
    );
}

/// A step's fields in a box centred in `area`, with `hint` (the form keys) below.
///
/// ```text
/// ┌ Nachtrag ───────────────────────────────┐
/// │▶Nachtrag                  Kind war …▏   │
/// │Strg+S speichern · Esc abbrechen …       │
/// └─────────────────────────────────────────┘
/// ```
pub fn render_dialog_box(
    frame: &mut Frame<'_>,
    theme: Theme,
    title: &str,
    hint: &str,
    form: &dyn Rows,
    area: Rect,
) {
    let n = form.rows().len();
    let rect = centered(area, 76, u16::try_from(n * 2 + 4).unwrap_or(20));
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(theme.borders(Borders::ALL))
        .title(title.to_string());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [rows, hint_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    render_rows(frame, theme, form, rows);
    frame.render_widget(
        Paragraph::new(Line::styled(hint.to_string(), theme.dim())),
        hint_area,
    );
}
