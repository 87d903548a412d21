//! Drawing of the case form: labels on the left, inputs on the right, the problem right under the
//! field it belongs to.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::App;
use crate::app::form::{CaseForm, Choice, FieldKind, FormField};
use crate::domain::Field;
use crate::strings::Strings;
use crate::widgets::wrap_words;

const LABEL_WIDTH: u16 = 22;
const MULTILINE_HEIGHT: u16 = 3;

fn body_height(field: &FormField) -> u16 {
    match &field.kind {
        FieldKind::Text {
            multiline: true, ..
        } => MULTILINE_HEIGHT,
        _ => 1,
    }
}

/// The problem text of a field and the rows it needs at `width` (wrapped, at most 3).
fn error_text(
    field: &FormField,
    form: &CaseForm,
    s: &Strings,
    width: u16,
) -> Option<(String, u16)> {
    let problem = form.error_at(field.id)?;
    let msg = format!("⚠ {}", (s.problem)(problem, s));
    let rows = wrap_words(&msg, usize::from(width.max(1)))
        .len()
        .clamp(1, 3);
    Some((msg, u16::try_from(rows).unwrap_or(3)))
}

fn field_height(field: &FormField, form: &CaseForm, s: &Strings, value_width: u16) -> u16 {
    body_height(field) + error_text(field, form, s, value_width).map_or(0, |(_, rows)| rows)
}

/// A value in the form's stable text form as the person reads it.
pub fn display_value(form: &CaseForm, s: &Strings, field: Field, value: &str) -> String {
    if field == Field::Reasons {
        let reasons: Vec<&str> = crate::domain::ReasonCode::split(value)
            .into_iter()
            .map(|r| (s.reason)(r))
            .collect();
        return if reasons.is_empty() {
            s.none.to_string()
        } else {
            reasons.join(", ")
        };
    }
    match Choice::decode(value) {
        Some(c)
            if form
                .fields
                .iter()
                .any(|f| f.id == field && matches!(f.kind, FieldKind::Choice { .. })) =>
        {
            choice_label(form, s, c)
        }
        _ if value.is_empty() => s.none.to_string(),
        _ => value.replace('\n', " ⏎ "),
    }
}

fn choice_label(form: &CaseForm, s: &Strings, c: Choice) -> String {
    match c {
        Choice::Gender(g) => (s.gender)(g).to_string(),
        Choice::Status(st) => (s.status)(st).to_string(),
        Choice::Agency(a) => (s.agency)(a).to_string(),
        Choice::Staff(None) => s.unassigned.to_string(),
        Choice::Closure(None) => s.none.to_string(),
        Choice::Staff(Some(id)) => form.staff_name(id).unwrap_or("?").to_string(),
        Choice::Closure(Some(r)) => (s.closure)(r).to_string(),
    }
}

/// ```text
/// Neuer Fall (ungespeichert)
/// [conflict banner, if any]
/// ▶ Nachname             Müller▏
///   Vorname(n)           Jana
///   Geburtsdatum         31.02.2007
///                        Den 31.02.2007 gibt es nicht. Bitte Tag und Monat prüfen.
///   Geschlecht           ‹ weiblich ›  ←/→ wählen
///   …                    (scrolls to keep the focused field visible)
/// ```
pub fn render(frame: &mut Frame<'_>, app: &App, form: &CaseForm, area: Rect) {
    let s = app.strings;
    let theme = app.theme;
    let mut title = if form.is_new {
        s.new_case.to_string()
    } else {
        format!("{}: {}", s.edit_case, form.base.person.display_name())
    };
    if form.is_dirty() {
        title.push_str(s.unsaved_marker);
    }
    let banner_h = form.banner.as_ref().map_or(0, |b| {
        u16::try_from(wrap_words(b, usize::from(area.width.max(1))).len()).unwrap_or(u16::MAX)
    });
    let [title_area, banner_area, fields_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(banner_h),
        Constraint::Min(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::styled(title, theme.header())),
        title_area,
    );
    if let Some(b) = &form.banner {
        frame.render_widget(
            Paragraph::new(Line::styled(b.clone(), theme.error())).wrap(Wrap { trim: true }),
            banner_area,
        );
    }

    // Scroll so that the focused field (with its error line) is visible.
    let value_width = fields_area
        .width
        .saturating_sub(LABEL_WIDTH.min(fields_area.width));
    let heights: Vec<u16> = form
        .fields
        .iter()
        .map(|f| field_height(f, form, s, value_width))
        .collect();
    let avail = fields_area.height;
    let mut start = 0;
    while start < form.focus
        && heights[start..=form.focus.min(heights.len().saturating_sub(1))]
            .iter()
            .sum::<u16>()
            > avail
    {
        start += 1;
    }
    let mut y = fields_area.y;
    let bottom = fields_area.y + fields_area.height;
    for (i, field) in form.fields.iter().enumerate().skip(start) {
        if y >= bottom {
            break;
        }
        let h = heights[i].min(bottom - y);
        let rect = Rect::new(fields_area.x, y, fields_area.width, h);
        render_field(frame, app, form, field, i == form.focus, rect);
        y += heights[i];
    }
}

fn render_field(
    frame: &mut Frame<'_>,
    app: &App,
    form: &CaseForm,
    field: &FormField,
    focused: bool,
    rect: Rect,
) {
    let s = app.strings;
    let theme = app.theme;
    let label_w = LABEL_WIDTH.min(rect.width);
    let value_w = rect.width.saturating_sub(label_w);
    let label = format!(
        "{}{}",
        if focused { "▶ " } else { "  " },
        (s.field)(field.id)
    );
    let label_style = if focused {
        theme.focus()
    } else {
        theme.label()
    };
    frame.render_widget(
        Paragraph::new(Line::styled(label, label_style)),
        Rect::new(rect.x, rect.y, label_w, 1),
    );
    let body_h = match &field.kind {
        FieldKind::Text {
            multiline: true, ..
        } => MULTILINE_HEIGHT.min(rect.height),
        _ => 1.min(rect.height),
    };
    let value_rect = Rect::new(rect.x + label_w, rect.y, value_w, body_h);
    if form.readonly.contains(&field.id) {
        // Person data of the partner agency: shown as received (or withheld), never edited;
        // other read-only fields say that they cannot be changed here.
        let text = if form.withheld.contains(&field.id) {
            s.withheld.to_string()
        } else {
            let v = display_value(form, s, field.id, &field.value());
            let marker = if form.received.contains(&field.id) {
                s.received_marker
            } else {
                s.locked_marker
            };
            format!("{v}{marker}")
        };
        frame.render_widget(
            Paragraph::new(Line::styled(text, theme.dim())).wrap(Wrap { trim: false }),
            value_rect,
        );
        return;
    }
    match &field.kind {
        FieldKind::Text { area, .. } if focused => {
            if area.is_empty() && matches!(field.id, Field::BirthDate | Field::NextReview) {
                let hint = Line::from(vec![
                    Span::styled(" ", theme.cursor()),
                    Span::styled(s.date_hint, theme.dim()),
                ]);
                frame.render_widget(Paragraph::new(hint), value_rect);
            } else {
                frame.render_widget(&**area, value_rect);
            }
        }
        FieldKind::Text { area, .. } => {
            let lines: Vec<Line<'_>> =
                if area.is_empty() && matches!(field.id, Field::BirthDate | Field::NextReview) {
                    vec![Line::styled(s.date_hint, theme.dim())]
                } else {
                    area.lines().iter().map(|l| Line::raw(l.clone())).collect()
                };
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), value_rect);
        }
        FieldKind::Choice { options, index } => {
            let value = options
                .get(*index)
                .map(|c| choice_label(form, s, *c))
                .unwrap_or_default();
            let mut spans = vec![Span::styled(
                format!("‹ {value} ›"),
                if focused {
                    theme.selected()
                } else {
                    ratatui::style::Style::new()
                },
            )];
            if focused {
                spans.push(Span::styled(format!("  {}", s.choice_hint), theme.dim()));
            }
            frame.render_widget(Paragraph::new(Line::from(spans)), value_rect);
        }
        FieldKind::Multi {
            options,
            ticked,
            cursor,
        } => {
            let line = if focused {
                let current = options
                    .get(*cursor)
                    .map(|r| (s.reason)(*r))
                    .unwrap_or_default();
                let mark = if ticked.get(*cursor).copied().unwrap_or(false) {
                    "[x]"
                } else {
                    "[ ]"
                };
                let count = ticked.iter().filter(|t| **t).count();
                Line::from(vec![
                    Span::styled(format!("‹ {mark} {current} ›"), theme.selected()),
                    Span::styled(format!(" ({count}) {}", s.multi_hint), theme.dim()),
                ])
            } else {
                let chosen: Vec<&str> = options
                    .iter()
                    .zip(ticked)
                    .filter(|(_, t)| **t)
                    .map(|(r, _)| (s.reason)(*r))
                    .collect();
                if chosen.is_empty() {
                    Line::styled(s.none, theme.dim())
                } else {
                    Line::raw(chosen.join(", "))
                }
            };
            frame.render_widget(Paragraph::new(line), value_rect);
        }
    }
    if let Some((msg, rows)) = error_text(field, form, s, value_w)
        && rect.height > body_h
    {
        let rows = rows.min(rect.height - body_h);
        frame.render_widget(
            Paragraph::new(Line::styled(msg, theme.error())).wrap(Wrap { trim: true }),
            Rect::new(rect.x + label_w, rect.y + body_h, value_w, rows),
        );
    }
}
