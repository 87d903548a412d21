//! Break-glass (docs/access.md A6): a case of the own agency outside the caseload opens only
//! after a reason is chosen; the access is logged.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::boxed;
use crate::action::Action;
use crate::app::App;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::domain::CaseId;
use crate::domain::casefile::BreakGlassReason;
use crate::keymap::Context;

/// Registry name.
pub const NAME: &str = "break-glass";

/// The reasons offered (the free-text "Sonstiges" needs a text field and is not offered).
pub const CHOICES: [BreakGlassReason; 3] = [
    BreakGlassReason::UnlistedDeputy,
    BreakGlassReason::ChildProtection,
    BreakGlassReason::PersonAsked,
];

/// The reason box for one case.
#[derive(Debug)]
pub struct BreakGlass {
    /// The case.
    pub case: CaseId,
    /// The highlighted reason.
    pub cursor: usize,
}

impl Layer for BreakGlass {
    fn name(&self) -> &'static str {
        NAME
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Choice]
    }

    fn input(&mut self, _app: &mut App, _key: KeyEvent) {}

    fn paste(&mut self, _app: &mut App, _text: &str) {}

    fn update(&mut self, app: &mut App, action: Action) -> Outcome {
        match action {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(CHOICES.len() - 1),
            Action::Confirm => {
                let res = app
                    .store()
                    .break_glass(&app.me, self.case, CHOICES[self.cursor], "");
                match res {
                    Ok(()) => app.open_file(self.case),
                    Err(e) => app.report::<()>(Err(e)),
                }
                return Outcome::Close;
            }
            Action::Deny | Action::Cancel => return Outcome::Close,
            _ => {}
        }
        Outcome::Keep
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![Action::Down, Action::Confirm, Action::Deny]
    }

    /// ```text
    /// ┌ Notfallzugriff ─────────────────────────────┐
    /// │ Dieser Fall gehört nicht zu Ihren Fällen. … │
    /// │ ▶ Vertretung ohne Eintrag                   │
    /// │   Kinderschutz-Eilfall                      │
    /// └─────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let s = app.strings;
        let inner = boxed(frame, areas.full, 64, 12, s.break_glass_title);
        let mut lines = vec![Line::raw(s.break_glass_hint), Line::raw("")];
        for (i, r) in CHOICES.iter().enumerate() {
            let here = i == self.cursor;
            let text = format!(
                "{}{}",
                if here { "▶ " } else { "  " },
                (s.break_glass_reason)(*r)
            );
            lines.push(if here {
                Line::styled(text, app.theme.selected())
            } else {
                Line::raw(text)
            });
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}
