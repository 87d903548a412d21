//! The conflict box: after someone else saved the same case, every field both changed is
//! shown with both values, and the person picks one per field.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::App;
use crate::ui::screens::form::display_value;
use crate::widgets::centered;

/// ```text
/// ┌ Gleichzeitige Änderung ──────────────────────────────────┐
/// │ Pro Feld wählen (Leertaste), dann Eingabe. …             │
/// │ ▶ Telefon                                                │
/// │     ◉ Ihre Eingabe: 02366 012345                          │
/// │     ○ Gespeichert von Murat Karaca: 02366 054321          │
/// └──────────────────────────────────────────────────────────┘
/// ```
pub fn render(frame: &mut Frame<'_>, app: &App, cursor: usize, area: Rect) {
    let Some(form) = &app.form else { return };
    let s = app.strings;
    let theme = app.theme;
    let mut lines = vec![Line::raw(s.conflict_hint), Line::raw("")];
    let theirs_label = (s.conflict_theirs)(app.conflict_by.as_deref());
    for (i, c) in app.conflicts.iter().enumerate() {
        let here = i == cursor;
        let label = format!("{}{}", if here { "▶ " } else { "  " }, (s.field)(c.field));
        lines.push(Line::styled(
            label,
            if here { theme.focus() } else { theme.header() },
        ));
        for (mine, title, value) in [
            (true, s.conflict_mine.to_string(), &c.mine),
            (false, theirs_label.clone(), &c.theirs),
        ] {
            let chosen = c.keep_mine == mine;
            let mark = if chosen { "◉" } else { "○" };
            let style = if chosen && here {
                theme.selected()
            } else {
                ratatui::style::Style::new()
            };
            lines.push(Line::from(vec![
                Span::raw("    "),
                Span::styled(
                    format!("{mark} {title}: {}", display_value(form, s, c.field, value)),
                    style,
                ),
            ]));
        }
    }
    let height = area.height.saturating_sub(2).max(1);
    let rect = centered(area, area.width.saturating_sub(2).max(1), height);
    // Keep the highlighted conflict in view: three lines per field after two of hints.
    let row = 2 + 3 * u16::try_from(cursor).unwrap_or(u16::MAX / 4);
    let scroll = row.saturating_add(4).saturating_sub(rect.height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" {} ", s.conflict_title)),
            ),
        rect,
    );
}
