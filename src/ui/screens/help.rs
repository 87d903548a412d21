//! The help overlay (generated from the keymap) and the yes/no question box.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::action::Action;
use crate::app::{App, Question};
use crate::keymap::Context;
use crate::widgets::{centered, first_key, key_label};

/// ```text
/// ┌ Hilfe – Tastenbelegung ─────────────────────┐
/// │ Überall                                     │
/// │   q                Tandem beenden …         │
/// │   ?, F1            Hilfe ein- oder ausblenden│
/// │ Fallliste                                   │
/// │   …                                         │
/// └─────────────────────────────────────────────┘
/// ```
pub fn render(frame: &mut Frame<'_>, app: &App, scroll: u16, area: Rect) {
    let s = app.strings;
    let theme = app.theme;
    let mut lines = Vec::new();
    for ctx in Context::ALL {
        let bindings = app.keymap.bindings_of(ctx);
        if bindings.is_empty() {
            continue;
        }
        lines.push(Line::styled((s.context)(ctx), theme.header()));
        for (action, keys) in bindings {
            let keys = keys
                .iter()
                .map(|k| key_label(k, &s.keys))
                .collect::<Vec<_>>()
                .join(", ");
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<18} "), theme.key()),
                Span::raw((s.action)(action)),
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
            .scroll((scroll, 0)),
        rect,
    );
}

/// ```text
/// ┌ Rückfrage ──────────────────────────┐
/// │ Es gibt ungespeicherte Eingaben. …  │
/// │ j Ja · n Nein                       │
/// └─────────────────────────────────────┘
/// ```
pub fn render_question(frame: &mut Frame<'_>, app: &App, q: Question, area: Rect) {
    let s = app.strings;
    let text = match q {
        Question::Quit => s.confirm_quit.to_string(),
        Question::DiscardForm
        | Question::DiscardNote
        | Question::DiscardConsent
        | Question::DiscardReferral
        | Question::DiscardConference => s.confirm_discard.to_string(),
        Question::RevokeConsent => {
            (s.confirm_revoke)(&app.revocable_consent_date().unwrap_or_default())
        }
        Question::RestoreDraft => {
            let (what, when) = app.offer_label().unwrap_or_default();
            (s.draft_offer)(&what, &when)
        }
    };
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
    let rect = centered(area, 50, 7);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(vec![Line::raw(text), Line::raw(""), Line::from(answers)])
            .wrap(Wrap { trim: true })
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" {} ", s.question_title)),
            ),
        rect,
    );
}
