//! The yes/no question box: quit or discard with unsaved input, restore a draft, revoke a
//! consent. "Discard?" is asked by the stack for every layer that holds input
//! (docs/architecture.md § 4), never rebuilt by a layer.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::action::Action;
use crate::app::App;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::keymap::Context;
use crate::widgets::{centered, first_key, key_label};

/// Registry name.
pub const NAME: &str = "question";

/// What is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    /// Quit with unsaved input?
    Quit,
    /// Close the layer beneath and discard its input?
    Discard,
    /// Restore the first offered draft?
    RestoreDraft,
    /// Record the revocation of the newest granted consent?
    RevokeConsent,
    /// Lift the restriction of the open case (Art. 18 DSGVO)?
    LiftRestriction,
    /// Record the receipt of the highlighted information at benefit withdrawal?
    ReceiveWithdrawal,
}

/// The question box.
#[derive(Debug)]
pub struct Ask {
    /// The question.
    pub question: Question,
}

impl Ask {
    /// Asks `question`.
    pub fn new(question: Question) -> Ask {
        Ask { question }
    }
}

impl Layer for Ask {
    fn name(&self) -> &'static str {
        NAME
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Dialog]
    }

    fn input(&mut self, _app: &mut App, _key: KeyEvent) {}

    fn paste(&mut self, _app: &mut App, _text: &str) {}

    fn update(&mut self, app: &mut App, action: Action) -> Outcome {
        let yes = match action {
            Action::Confirm => true,
            Action::Deny | Action::Cancel => false,
            _ => return Outcome::Keep,
        };
        match (self.question, yes) {
            (Question::Quit, true) => {
                while !app.layers.is_empty() {
                    app.discard_top();
                }
                app.quit = true;
            }
            (Question::Discard, true) => app.discard_top(),
            (Question::RestoreDraft, true) => {
                if !app.offers.is_empty() {
                    let (session, draft) = app.offers.remove(0);
                    app.restore_offer(&session, &draft);
                }
            }
            (Question::RestoreDraft, false) => {
                // Kept for the next login; offer the next one now.
                if !app.offers.is_empty() {
                    let kept = app.offers.remove(0);
                    app.kept.push(kept);
                }
                if !app.offers.is_empty() {
                    return Outcome::Keep;
                }
            }
            (Question::RevokeConsent, true) => app.revoke_newest_consent(),
            (Question::LiftRestriction, true) => app.lift_file_restriction(),
            (Question::ReceiveWithdrawal, true) => app.receive_highlighted_withdrawal(),
            (_, false) => {}
        }
        Outcome::Close
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![Action::Confirm, Action::Deny]
    }

    /// ```text
    /// ┌ Rückfrage ──────────────────────────┐
    /// │ Es gibt ungespeicherte Eingaben. …  │
    /// │ j Ja · n Nein                       │
    /// └─────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let s = app.strings;
        let text = match self.question {
            Question::Quit => s.confirm_quit.to_string(),
            Question::Discard => s.confirm_discard.to_string(),
            Question::RevokeConsent => {
                (s.confirm_revoke)(&app.revocable_consent_date().unwrap_or_default())
            }
            Question::LiftRestriction => {
                (s.restrict.lift_question)(&app.file_restricted_since().unwrap_or_default())
            }
            Question::ReceiveWithdrawal => {
                (s.withdrawal.receive_question)(&app.highlighted_withdrawal_person())
            }
            Question::RestoreDraft => {
                let (what, when) = app.offer_label().unwrap_or_default();
                (s.draft_offer)(&what, &when)
            }
        };
        draw_question(frame, app, areas, text);
    }
}

/// Draws a yes/no question box with `text` and the keys of the answers, as high as the
/// wrapped text needs (shared by every question box).
pub(crate) fn draw_question(frame: &mut Frame<'_>, app: &App, areas: Areas, text: String) {
    let s = app.strings;
    let mut answers = Vec::new();
    for action in [Action::Confirm, Action::Deny] {
        if let Some(k) = first_key(&app.keymap, &[Context::Dialog], action) {
            if !answers.is_empty() {
                answers.push(Span::raw(" · "));
            }
            answers.push(Span::styled(key_label(&k, &s.keys), app.theme.key()));
            answers.push(Span::raw(format!(" {}", (s.action_short)(action))));
        }
    }
    // As high as the wrapped question needs (a draft offer names its record and may
    // run over three lines), so that the answers always stay inside the box.
    let width = 50.min(areas.full.width);
    let inner = usize::from(width.saturating_sub(2).max(1));
    let text_rows = crate::widgets::wrap_words(&text, inner).len();
    let height = u16::try_from(text_rows + 4).unwrap_or(u16::MAX);
    let rect = centered(areas.full, width, height.min(areas.full.height));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(vec![Line::raw(text), Line::raw(""), Line::from(answers)])
            .wrap(Wrap { trim: true })
            .block(
                Block::default()
                    .borders(app.theme.borders(Borders::ALL))
                    .title(format!(" {} ", s.question_title)),
            ),
        rect,
    );
}
