//! Boxes of the case file: break-glass reasons, the transfer preview, the note editor.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::{App, BREAK_GLASS_CHOICES};
use crate::domain::Agency;
use crate::ui::widgets::centered;

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
