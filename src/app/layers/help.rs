//! The help overlay, generated from the keymap.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::action::Action;
use crate::app::App;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::keymap::Context;
use crate::widgets::{centered, key_label};

/// Registry name.
pub const NAME: &str = "help";

/// The help overlay, scrolled by `scroll` lines.
#[derive(Debug, Default)]
pub struct Help {
    /// First line shown.
    pub scroll: u16,
    /// The context it was opened from: explained and listed first.
    pub about: Option<Context>,
}

impl Layer for Help {
    fn name(&self) -> &'static str {
        NAME
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Help]
    }

    fn input(&mut self, _app: &mut App, _key: KeyEvent) {}

    fn paste(&mut self, _app: &mut App, _text: &str) {}

    fn update(&mut self, _app: &mut App, action: Action) -> Outcome {
        match action {
            Action::Help | Action::Cancel | Action::Deny => return Outcome::Close,
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = self.scroll.saturating_add(1),
            _ => {}
        }
        Outcome::Keep
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![Action::Help, Action::Down, Action::Up]
    }

    /// ```text
    /// ┌ Hilfe – Tastenbelegung ─────────────────────┐
    /// │ Überall                                     │
    /// │   q                Tandem beenden …         │
    /// │   ?, F1            Hilfe ein- oder ausblenden│
    /// │ Fallliste                                   │
    /// │   …                                         │
    /// └─────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let area = areas.full;
        let s = app.strings;
        let theme = app.theme;
        let mut lines = Vec::new();
        let width = usize::from(area.width.saturating_sub(4).max(10));
        if let Some(ctx) = self.about {
            let about = (s.context_about)(ctx);
            if !about.is_empty() {
                lines.push(Line::styled((s.context)(ctx), theme.header()));
                for l in crate::widgets::wrap_words(about, width) {
                    lines.push(Line::raw(format!("  {l}")));
                }
                lines.push(Line::raw(""));
            }
        }
        let first = self.about.into_iter();
        let rest = Context::ALL.into_iter().filter(|c| Some(*c) != self.about);
        for ctx in first.chain(rest) {
            let bindings = app.keymap.bindings_of(ctx);
            if bindings.is_empty() {
                continue;
            }
            lines.push(Line::styled((s.context)(ctx), theme.header()));
            for (action, keys) in bindings {
                // "Neuer Fall" is not offered to those who may not create cases.
                if action == Action::NewCase && !app.me.may_create_cases() {
                    continue;
                }
                let keys = keys
                    .iter()
                    .map(|k| key_label(k, &s.keys))
                    .collect::<Vec<_>>()
                    .join(", ");
                // In the referral form Ctrl+S sends (after a question), it does not save.
                let text = if ctx == Context::Form
                    && action == Action::Save
                    && app
                        .layer::<crate::app::layers::referral_form::ReferralForm>()
                        .is_some()
                {
                    s.cp.send_help
                } else {
                    (s.action)(action)
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("  {keys:<18} "), theme.key()),
                    Span::raw(text),
                ]));
            }
        }
        // Full width, leaving the tab bar and the footer visible.
        let rect = centered(area, area.width, area.height.saturating_sub(2).max(1));
        frame.render_widget(Clear, rect);
        frame.render_widget(
            Paragraph::new(lines)
                .block(
                    Block::default()
                        .borders(Borders::ALL)
                        .title(format!(" {} ", s.help_title)),
                )
                .scroll((self.scroll, 0)),
            rect,
        );
    }
}
