//! Drawing of a form of rows (the referral form, step dialogs, the conference forms) and of
//! the boxes that hold step menus and dialogs. Below both `app` and `ui`
//! (docs/architecture.md § 3): a form hands over what each row shows through [`Rows`], so
//! this module names no state type of `app`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui_textarea::TextArea;

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

/// Draws the rows of a form into `area`, keeping the highlighted row in view.
///
/// ```text
/// ── Meldung ────────────────────
/// ▶Dringlichkeit                  ◀ akut ▶
///  Telefonat um                   09:40▏
///                                 ⚠ Akute Gefahr zuerst anrufen …
/// ```
pub fn render_rows(frame: &mut Frame<'_>, theme: Theme, form: &dyn Rows, area: Rect) {
    let width = usize::from(area.width.max(20));
    let label_w = 30.min(width / 2);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut cursor_line = 0;
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
                lines.push(Line::styled(format!("── {} ", row.label), theme.header()));
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
        let label: String = row.label.chars().take(label_w).collect();
        let pad = if label_w == 0 {
            String::new()
        } else {
            " ".repeat(label_w.saturating_sub(label.chars().count()) + 1)
        };
        let indent = if label_w == 0 { 1 } else { label_w + 2 };
        let marker = if focused { "▶" } else { " " };
        let value_lines: Vec<Span<'static>> = match row.cell {
            Cell::Choice(v) => vec![Span::raw(if focused {
                format!("◀ {v} ▶")
            } else {
                v.to_string()
            })],
            Cell::Tick(b) => vec![Span::raw(if b { "[x]" } else { "[ ]" }.to_string())],
            Cell::Text(a) => {
                let ratatui_textarea::DataCursor(cr, cc) = a.cursor();
                a.lines()
                    .iter()
                    .enumerate()
                    .map(|(n, l)| {
                        let clean_line = clean(l);
                        if focused && n == cr {
                            let before: String = clean_line.chars().take(cc).collect();
                            let after: String = clean_line.chars().skip(cc).collect();
                            Span::raw(format!("{before}▏{after}"))
                        } else {
                            Span::raw(clean_line)
                        }
                    })
                    .collect()
            }
            Cell::Heading | Cell::Notice => Vec::new(),
        };
        for (n, v) in value_lines.into_iter().enumerate() {
            let mut spans = if n == 0 {
                vec![
                    Span::raw(marker.to_string()),
                    Span::styled(label.clone(), label_style),
                    Span::raw(pad.clone()),
                ]
            } else {
                vec![Span::raw(" ".repeat(indent))]
            };
            spans.push(v);
            lines.push(Line::from(spans));
        }
        if let Some(msg) = row.error {
            lines.push(Line::styled(
                format!("{}⚠ {msg}", " ".repeat(indent)),
                theme.error(),
            ));
        }
    }
    let h = usize::from(area.height.max(1));
    let top = cursor_line.saturating_sub(h / 2);
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
                .borders(Borders::ALL)
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
        .borders(Borders::ALL)
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
