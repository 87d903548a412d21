//! Boxes of the case file: break-glass reasons, the transfer preview, the note editor.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::{App, BREAK_GLASS_CHOICES};
use crate::domain::Agency;
use crate::widgets::centered;

fn boxed(frame: &mut Frame<'_>, area: Rect, w: u16, h: u16, title: &str) -> Rect {
    let rect = centered(area, w, h);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

/// ```text
/// ┌ Notfallzugriff ─────────────────────────────┐
/// │ Dieser Fall gehört nicht zu Ihren Fällen. … │
/// │ ▶ Vertretung ohne Eintrag                   │
/// │   Kinderschutz-Eilfall                      │
/// └─────────────────────────────────────────────┘
/// ```
pub fn render_break_glass(frame: &mut Frame<'_>, app: &App, cursor: usize, area: Rect) {
    let s = app.strings;
    let inner = boxed(frame, area, 64, 12, s.break_glass_title);
    let mut lines = vec![Line::raw(s.break_glass_hint), Line::raw("")];
    for (i, r) in BREAK_GLASS_CHOICES.iter().enumerate() {
        let text = format!(
            "{}{}",
            if i == cursor { "▶ " } else { "  " },
            (s.break_glass_reason)(*r)
        );
        lines.push(if i == cursor {
            Line::styled(text, app.theme.selected())
        } else {
            Line::raw(text)
        });
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// ```text
/// ┌ Übermittlung an die Partnerstelle ─────────────┐
/// │ Genau diese Angaben sieht danach: Jugendamt. … │
/// │   Nachname        Müller                       │
/// └────────────────────────────────────────────────┘
/// ```
pub fn render_transfer(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let s = app.strings;
    let Some((fields, consent)) = &app.transfer else {
        return;
    };
    let height = u16::try_from(fields.len()).unwrap_or(20).saturating_add(8);
    let inner = boxed(
        frame,
        area,
        area.width.saturating_sub(4).max(1),
        height,
        s.transfer_title,
    );
    let partner = (s.agency)(app.me.agency.partner());
    let mut lines = Vec::new();
    if consent.is_some() {
        lines.push(Line::raw((s.transfer_hint)(partner, s.basis_consent)));
        if app.me.agency == Agency::Jugendamt {
            lines.push(Line::styled(s.transfer_64_2, app.theme.key()));
        }
    } else {
        lines.push(Line::styled(s.transfer_no_basis, app.theme.error()));
    }
    lines.push(Line::raw(""));
    for (field, value) in fields {
        let value = if value.is_empty() {
            s.none.to_string()
        } else {
            value.replace('\n', " ⏎ ")
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<20} ", (s.field)(*field)), app.theme.label()),
            Span::raw(value),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// ```text
/// ┌ Notiz ───────────────────────────────────────┐
/// │ Strg+S speichern, Esc abbrechen. Strg+T: § 65 │
/// │ text…                                         │
/// └───────────────────────────────────────────────┘
/// ```
pub fn render_note(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let s = app.strings;
    let Some(note) = &app.note else { return };
    let title = if note.entrusted {
        format!("{} · {}", s.note_title, s.entrusted)
    } else {
        s.note_title.to_string()
    };
    let inner = boxed(frame, area, area.width.saturating_sub(4).max(1), 12, &title);
    let [hint, text] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
    let allowed = app.me.agency == Agency::Jugendamt;
    frame.render_widget(
        Paragraph::new((s.note_hint)(allowed, note.entrusted))
            .wrap(Wrap { trim: true })
            .style(app.theme.dim()),
        hint,
    );
    frame.render_widget(&note.text, text);
}

/// ```text
/// ┌ Einwilligung erfassen ─────────────────────────────────┐
/// │ ↑/↓ Zeile, Leertaste an/aus bzw. wählen, Strg+S …      │
/// │ ▶ Status               ‹ Erteilt ›                     │
/// │   Erklärt durch        ‹ junge Person ›                │
/// │   Zwecke               [x] Fallkonferenz               │
/// │                        ⚠ Bitte ausfüllen.               │
/// └────────────────────────────────────────────────────────┘
/// ```
pub fn render_consent(frame: &mut Frame<'_>, app: &App, area: Rect) {
    use crate::app::consent_form::{Row, STATUS_CHOICES};
    use crate::domain::consent::{ConsentForm, DeclaredBy, RepresentationReason};
    let s = app.strings;
    let theme = app.theme;
    let Some(editor) = &app.consent else { return };
    let inner = boxed(
        frame,
        area,
        area.width.saturating_sub(2).max(1),
        area.height.saturating_sub(2).max(1),
        s.consent_title,
    );
    let [hint, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    frame.render_widget(
        Paragraph::new(Line::styled(s.consent_hint, theme.dim())),
        hint,
    );
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut cursor_line = 0;
    let mut last_field = None;
    for (i, row) in editor.rows.iter().enumerate() {
        let field = row.field();
        let label = if last_field == Some(field) {
            String::new()
        } else {
            (s.field)(field).to_string()
        };
        let tick = |b: bool| if b { "[x]" } else { "[ ]" };
        let value = match row {
            Row::Status(k) => format!("‹ {} ›", (s.consent_status)(STATUS_CHOICES[*k])),
            Row::DeclaredBy(k) => format!("‹ {} ›", (s.declared_by)(DeclaredBy::ALL[*k])),
            Row::Reason(r) => format!(
                "‹ {} ›",
                r.map_or(s.none, |k| (s.representation)(RepresentationReason::ALL[k]))
            ),
            Row::Insight(b) => format!("{} {}", tick(*b), s.yes_no[usize::from(!*b)]),
            Row::Form(k) => format!("‹ {} ›", (s.consent_form)(ConsentForm::ALL[*k])),
            Row::Purpose(p, b) => format!("{} {}", tick(*b), (s.purpose)(*p)),
            Row::Category(c, b) => format!("{} {}", tick(*b), (s.category)(*c)),
            Row::Recipient(a, b) => format!("{} {}", tick(*b), (s.agency)(*a)),
            Row::Info(k, b) => format!("{} {}", tick(*b), s.info_ticks[(*k).min(2)]),
            Row::SignedOn(a) | Row::Document(a) | Row::ValidFrom(a) | Row::ValidUntil(a) => {
                let text = a.lines().join(" ");
                if i == editor.cursor {
                    format!("{text}▏")
                } else {
                    text
                }
            }
        };
        let here = i == editor.cursor;
        if here {
            cursor_line = lines.len();
        }
        let marker = if here { "▶ " } else { "  " };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{marker}{label:<22} "),
                if here { theme.focus() } else { theme.label() },
            ),
            Span::styled(
                value,
                if here {
                    theme.selected()
                } else {
                    ratatui::style::Style::new()
                },
            ),
        ]));
        let next_field = editor.rows.get(i + 1).map(Row::field);
        if next_field != Some(field)
            && let Some(problem) = editor.error_at(field)
        {
            lines.push(Line::styled(
                format!("  {:<22} ⚠ {}", "", (s.problem)(problem, s)),
                theme.error(),
            ));
        }
        last_field = Some(field);
    }
    let height = usize::from(body.height.max(1));
    let scroll = cursor_line.saturating_sub(height.saturating_sub(2));
    frame.render_widget(
        Paragraph::new(lines).scroll((u16::try_from(scroll).unwrap_or(0), 0)),
        body,
    );
}
