//! The conflict box: after someone else saved the same case, every field both changed is
//! shown with both values, and the person picks one per field. Nothing is overwritten
//! without that choice. Esc leaves the box without a choice: the form goes back to the
//! person's input on its old base, so the next save asks again; F1 explains the box.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::case_form::CaseFormLayer;
use crate::action::Action;
use crate::app::App;
use crate::app::form::FieldConflict;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::domain::Field;
use crate::keymap::Context;
use crate::widgets::centered;

/// Registry name.
pub const NAME: &str = "conflict";

/// The open conflicts of the last save.
#[derive(Debug)]
pub struct ConflictBox {
    /// Per field: both values and the choice.
    pub conflicts: Vec<FieldConflict>,
    /// Who saved the conflicting version.
    pub by: Option<String>,
    /// The highlighted conflict.
    pub cursor: usize,
}

impl Layer for ConflictBox {
    fn name(&self) -> &'static str {
        NAME
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Conflict]
    }

    fn input(&mut self, _app: &mut App, _key: KeyEvent) {}

    fn paste(&mut self, _app: &mut App, _text: &str) {}

    fn update(&mut self, app: &mut App, action: Action) -> Outcome {
        let n = self.conflicts.len();
        match action {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(n.saturating_sub(1)),
            Action::ChoiceNext | Action::ChoicePrev | Action::Toggle => {
                if let Some(c) = self.conflicts.get_mut(self.cursor) {
                    c.keep_mine = !c.keep_mine;
                }
            }
            Action::Confirm => {
                let take: Vec<(Field, String)> = self
                    .conflicts
                    .iter()
                    .filter(|c| !c.keep_mine)
                    .map(|c| (c.field, c.theirs.clone()))
                    .collect();
                if let Some(layer) = app.layer_mut::<CaseFormLayer>() {
                    layer.conflict_chosen(&take);
                }
                app.set_status(app.strings.conflict_resolved.to_string(), false);
                app.publish_draft(true);
                return Outcome::Close;
            }
            // The way out: nothing is chosen, nothing overwritten; the form keeps the
            // person's input on its old base, and the next save asks again.
            Action::Cancel => {
                if let Some(layer) = app.layer_mut::<CaseFormLayer>() {
                    layer.conflict_left();
                }
                app.set_status(app.strings.conflict_left.to_string(), false);
                app.publish_draft(true);
                return Outcome::Close;
            }
            _ => {}
        }
        Outcome::Keep
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![
            Action::Toggle,
            Action::Down,
            Action::Confirm,
            Action::Cancel,
            Action::Help,
        ]
    }

    /// Enter takes the choice over into the form; it answers no question.
    fn footer_label(&self, app: &App, action: Action) -> Option<&'static str> {
        (app.strings.action_short_in)(Context::Conflict, action)
    }

    /// ```text
    /// ┌ Gleichzeitige Änderung ──────────────────────────────────┐
    /// │ Pro Feld wählen (Leertaste), dann Eingabe. …             │
    /// │ ▶ Telefon                                                │
    /// │     ◉ Ihre Eingabe: 02366 012345                          │
    /// │     ○ Gespeichert von Murat Karaca: 02366 054321          │
    /// └──────────────────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let area = areas.full;
        let cursor = self.cursor;
        let Some(form) = app.case_form() else { return };
        let s = app.strings;
        let theme = app.theme;
        let mut lines = vec![Line::raw(s.conflict_hint), Line::raw("")];
        let theirs_label = (s.conflict_theirs)(self.by.as_deref());
        for (i, c) in self.conflicts.iter().enumerate() {
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
                        format!("{mark} {title}: {}", form.display_value(c.field, value)),
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
                        .borders(app.theme.borders(Borders::ALL))
                        .title(format!(" {} ", s.conflict_title)),
                ),
            rect,
        );
    }
}
