//! The help overlay, generated from the keymap: one section per keymap context (each screen
//! has its own), the one it was opened from first. Long descriptions wrap under their text
//! column; Bild↑/Bild↓ page, and scrolling stops at the last line (#16).

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::action::Action;
use crate::app::App;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::domain::{Agency, Role};
use crate::keymap::Context;
use crate::widgets::{centered, key_label, wrap_words};

/// Registry name.
pub const NAME: &str = "help";

/// Width of the key column, unless a section's keys need less.
const KEY_COLUMN: usize = 18;

/// The help overlay, scrolled by `scroll` lines.
#[derive(Debug, Default)]
pub struct Help {
    /// First line shown.
    pub scroll: u16,
    /// The context it was opened from: explained and listed first.
    pub about: Option<Context>,
    /// Every context of where it was opened (a form field, then the form), listed first in
    /// this order, before "Überall" and the other screens.
    pub here: Vec<Context>,
}

/// The help box in a terminal of `width`×`height`: full width, leaving the tab bar and the
/// footer visible.
fn help_rect(width: u16, height: u16) -> ratatui::layout::Rect {
    let area = ratatui::layout::Rect::new(0, 0, width, height);
    centered(area, area.width, area.height.saturating_sub(2).max(1))
}

/// Whether `action` is offered to this person in `ctx` (a key that would do nothing for
/// them is not listed).
fn offered(app: &App, ctx: Context, action: Action) -> bool {
    match (ctx, action) {
        // "Neuer Fall" is not offered to those who may not create cases.
        (Context::List | Context::File, Action::NewCase) => app.me.may_create_cases(),
        // Restricting is for a lead or the DSB of the own Stelle (docs/access.md A12).
        (Context::File, Action::Restrict) => {
            crate::domain::restriction::may_restrict(&app.me, app.me.agency)
        }
        // New referrals and consultation requests are the Jobcenter's U25 team's.
        (Context::Referrals, Action::NewCase) => {
            app.me.agency == Agency::Jobcenter && app.me.has_role(Role::JcU25)
        }
        _ => true,
    }
}

/// The help's description of `action` in `ctx`.
fn description(app: &App, ctx: Context, action: Action) -> &'static str {
    let s = app.strings;
    // In the referral form Ctrl+S sends (after a question), it does not save.
    if ctx == Context::Form
        && action == Action::Save
        && app
            .layer::<crate::app::layers::referral_form::ReferralForm>()
            .is_some()
    {
        return s.cp.send_help;
    }
    (s.action_in)(ctx, action).unwrap_or_else(|| (s.action)(action))
}

impl Help {
    /// Every line of the help for a box `inner` columns wide: nothing is wider than that,
    /// a long description wraps under its text column.
    fn lines(&self, app: &App, inner: usize) -> Vec<Line<'static>> {
        let s = app.strings;
        let theme = app.theme;
        let inner = inner.max(12);
        let mut lines = Vec::new();
        if theme.accessible {
            let (heading, text) = s.accessible_help;
            lines.push(Line::styled(heading.to_string(), theme.header()));
            for l in wrap_words(text, inner.saturating_sub(2)) {
                lines.push(Line::raw(format!("  {l}")));
            }
            lines.push(Line::raw(""));
        }
        if let Some(ctx) = self.about {
            let about = (s.context_about)(ctx);
            if !about.is_empty() {
                lines.push(Line::styled((s.context)(ctx), theme.header()));
                for l in wrap_words(about, inner.saturating_sub(2)) {
                    lines.push(Line::raw(format!("  {l}")));
                }
                lines.push(Line::raw(""));
            }
        }
        let mut order: Vec<Context> = self.about.into_iter().collect();
        for c in self.here.iter().copied().chain([Context::Global]) {
            if !order.contains(&c) {
                order.push(c);
            }
        }
        let rest: Vec<Context> = Context::ALL
            .into_iter()
            .filter(|c| !order.contains(c))
            .collect();
        let (first, rest) = (order.into_iter(), rest.into_iter());
        let sections: Vec<(Context, Vec<(String, &'static str)>)> = first
            .chain(rest)
            .map(|ctx| {
                let rows = app
                    .keymap
                    .bindings_of(ctx)
                    .into_iter()
                    .filter(|(action, _)| offered(app, ctx, *action))
                    .map(|(action, keys)| {
                        let keys = keys
                            .iter()
                            .map(|k| key_label(k, &s.keys))
                            .collect::<Vec<_>>()
                            .join(", ");
                        (keys, description(app, ctx, action))
                    })
                    .collect();
                (ctx, rows)
            })
            .collect();
        // One key column for all sections: as wide as the keys need, at most KEY_COLUMN
        // and at most a third of the box; wider keys get a line of their own.
        let col = sections
            .iter()
            .flat_map(|(_, rows)| rows.iter().map(|(k, _)| k.width()))
            .max()
            .unwrap_or(0)
            .min(KEY_COLUMN)
            .min(inner / 3);
        let indent = " ".repeat(2 + col + 1);
        let text_width = inner.saturating_sub(2 + col + 1).max(1);
        for (ctx, rows) in sections {
            if rows.is_empty() {
                continue;
            }
            for l in wrap_words((s.context)(ctx), inner) {
                lines.push(Line::styled(l, theme.header()));
            }
            for (keys, text) in rows {
                let mut wrapped = wrap_words(text, text_width).into_iter();
                if keys.width() > col {
                    for l in wrap_words(&keys, inner.saturating_sub(2)) {
                        lines.push(Line::styled(format!("  {l}"), theme.key()));
                    }
                } else if let Some(l) = wrapped.next() {
                    let pad = " ".repeat(col - keys.width());
                    lines.push(Line::from(vec![
                        Span::styled(format!("  {keys}{pad} "), theme.key()),
                        Span::raw(l),
                    ]));
                }
                for l in wrapped {
                    lines.push(Line::raw(format!("{indent}{l}")));
                }
            }
        }
        lines
    }

    /// The furthest scroll at which the last line is still at the bottom of the box.
    fn max_scroll(&self, app: &App) -> u16 {
        let rect = help_rect(app.size.0, app.size.1);
        let total = self
            .lines(app, usize::from(rect.width.saturating_sub(2)))
            .len();
        let shown = usize::from(rect.height.saturating_sub(2));
        u16::try_from(total.saturating_sub(shown)).unwrap_or(u16::MAX)
    }

    /// Lines of one page.
    fn page(app: &App) -> u16 {
        help_rect(app.size.0, app.size.1)
            .height
            .saturating_sub(3)
            .max(1)
    }
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

    fn update(&mut self, app: &mut App, action: Action) -> Outcome {
        let end = self.max_scroll(app);
        let page = Help::page(app);
        self.scroll = match action {
            Action::Help | Action::Cancel | Action::Deny => return Outcome::Close,
            Action::Up => self.scroll.saturating_sub(1),
            Action::Down => self.scroll.saturating_add(1),
            Action::PageUp => self.scroll.saturating_sub(page),
            Action::PageDown => self.scroll.saturating_add(page),
            Action::First => 0,
            Action::Last => end,
            _ => self.scroll,
        }
        .min(end);
        Outcome::Keep
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![
            Action::Help,
            Action::PageDown,
            Action::PageUp,
            Action::Down,
            Action::Up,
        ]
    }

    fn footer_label(&self, app: &App, action: Action) -> Option<&'static str> {
        (app.strings.action_short_in)(Context::Help, action)
    }

    /// ```text
    /// ┌ Hilfe – Tastenbelegung ─────────────────────┐
    /// │ Überall                                     │
    /// │   q       Tandem beenden (fragt nach, wenn  │
    /// │           etwas ungespeichert ist)          │
    /// │   ?, F1   Hilfe ein- oder ausblenden        │
    /// │ Fallliste                                   │
    /// │   …                                         │
    /// └─────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let area = areas.full;
        let rect = centered(area, area.width, area.height.saturating_sub(2).max(1));
        let lines = self.lines(app, usize::from(rect.width.saturating_sub(2)));
        let shown = usize::from(rect.height.saturating_sub(2));
        let end = u16::try_from(lines.len().saturating_sub(shown)).unwrap_or(u16::MAX);
        frame.render_widget(Clear, rect);
        frame.render_widget(
            Paragraph::new(lines)
                .block(
                    Block::default()
                        .borders(app.theme.borders(Borders::ALL))
                        .title(format!(" {} ", app.strings.help_title)),
                )
                .scroll((self.scroll.min(end), 0)),
            rect,
        );
    }
}
