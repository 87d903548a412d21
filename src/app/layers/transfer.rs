//! The preview of a transfer to the partner agency (`t` in a case file): exactly the fields
//! that would go over, and the consent it rests on (docs/domain.md, transfers).

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::boxed;
use crate::action::Action;
use crate::app::App;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::domain::casefile::{TransferBasis, field_category};
use crate::domain::consent::ConsentId;
use crate::domain::{Agency, CaseId, Field};
use crate::keymap::Context;
use crate::storage::StorageError;

/// Registry name.
pub const NAME: &str = "transfer";

/// The transfer shown before it happens.
#[derive(Debug)]
pub struct TransferPreview {
    /// The case.
    pub case: CaseId,
    /// The fields with their values.
    pub fields: Vec<(Field, String)>,
    /// The consent it would rest on (None: no consent covers it).
    pub consent: Option<ConsentId>,
}

impl TransferPreview {
    fn send(&self, app: &mut App) {
        let Some(consent) = self.consent else {
            app.set_status(app.strings.transfer_no_basis.to_string(), true);
            return;
        };
        let today = app.today();
        let partner = app.me.agency.partner();
        // Only what the consent covers goes over; the rest stays.
        let covered: Vec<Field> = app
            .cases
            .file
            .as_ref()
            .and_then(|f| {
                let birth = f.case().person.birth_date;
                let c = f.view.consents.iter().find(|c| c.id == consent)?;
                Some(
                    self.fields
                        .iter()
                        .map(|(f, _)| *f)
                        .filter(|f| c.covers(today, birth, partner, None, field_category(*f)))
                        .collect(),
                )
            })
            .unwrap_or_default();
        let res = app.store.record_transfer(
            &app.me,
            self.case,
            &covered,
            "Gegenseitige Information über Hilfen und Maßnahmen",
            TransferBasis::Consent(consent),
            "",
            app.me.agency == Agency::Jugendamt,
            today,
        );
        match res {
            Ok(_) => {
                app.open_file(self.case);
                app.set_status(app.strings.transferred.to_string(), false);
            }
            Err(StorageError::Refused(r)) if r.is_transfer() => {
                app.set_status(app.strings.transfer_no_basis.to_string(), true);
            }
            Err(e) => app.report::<()>(Err(e)),
        }
    }
}

impl Layer for TransferPreview {
    fn name(&self) -> &'static str {
        NAME
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Dialog]
    }

    fn input(&mut self, _app: &mut App, _key: KeyEvent) {}

    fn paste(&mut self, _app: &mut App, _text: &str) {}

    fn update(&mut self, app: &mut App, action: Action) -> Outcome {
        match action {
            Action::Confirm => {
                self.send(app);
                Outcome::Close
            }
            Action::Deny | Action::Cancel => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![Action::Confirm, Action::Deny]
    }

    /// ```text
    /// ┌ Übermittlung an die Partnerstelle ─────────────┐
    /// │ Genau diese Angaben sieht danach: Jugendamt. … │
    /// │   Nachname        Müller                       │
    /// └────────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let s = app.strings;
        let area = areas.full;
        let height = u16::try_from(self.fields.len())
            .unwrap_or(20)
            .saturating_add(8);
        let inner = boxed(
            frame,
            area,
            area.width.saturating_sub(4).max(1),
            height,
            s.transfer_title,
        );
        let partner = (s.agency)(app.me.agency.partner());
        let mut lines = Vec::new();
        if self.consent.is_some() {
            lines.push(Line::raw((s.transfer_hint)(partner, s.basis_consent)));
            if app.me.agency == Agency::Jugendamt {
                lines.push(Line::styled(s.transfer_64_2, app.theme.key()));
            }
        } else {
            lines.push(Line::styled(s.transfer_no_basis, app.theme.error()));
        }
        lines.push(Line::raw(""));
        for (field, value) in &self.fields {
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
}
