//! The preview of a transfer to the partner agency (`t` in a case file): exactly the fields
//! that would go over, and the consent it rests on (docs/domain.md, transfers). Below them a
//! form of the shared engine: the purpose recorded in the transfer log and, for the
//! Jugendamt, the § 64 (2) SGB VIII check the store requires.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::boxed;
use crate::action::Action;
use crate::app::App;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::{RowEditor, RowItem, box_contexts};
use crate::domain::casefile::{FamilyRef, StatutoryBasis, TransferBasis, field_category};
use crate::domain::consent::ConsentId;
use crate::domain::text::sanitize;
use crate::domain::validation::Problem;
use crate::domain::{Agency, CaseId, Field, Gender, ReasonCode};
use crate::keymap::Context;
use crate::storage::StorageError;
use crate::storage::casefile::TransferRequest;
use crate::strings::Strings;
use crate::widgets::rows::render_rows;

/// Registry name.
pub const NAME: &str = "transfer";

/// Key of the purpose row.
pub const PURPOSE: &str = "purpose";
/// Key of the § 64 (2) SGB VIII tick (Jugendamt only).
pub const CHECK_64_2: &str = "check_64_2";
/// Key of the legal basis: `consent` or a statute's code.
pub const BASIS: &str = "basis";
/// Key of a statutory transfer's justification.
pub const JUSTIFICATION: &str = "justification";
/// The purpose a transfer is recorded with unless another is typed.
pub const DEFAULT_PURPOSE: &str = "Gegenseitige Information über Hilfen und Maßnahmen";
/// The basis option that names the consent.
const CONSENT: &str = "consent";

/// The transfer shown before it happens.
#[derive(Debug)]
pub struct TransferPreview {
    /// The case.
    pub case: CaseId,
    /// The fields with their values.
    pub fields: Vec<(Field, String)>,
    /// The custody holders and children that would go along, with what the partner reads.
    pub family: Vec<(FamilyRef, String)>,
    /// The consent it would rest on (None: no consent covers it).
    pub consent: Option<ConsentId>,
    /// The basis, its justification, the purpose and, for the Jugendamt, the § 64 (2) check.
    pub editor: RowEditor,
    initial: std::collections::BTreeMap<String, String>,
}

impl TransferPreview {
    /// The preview of `fields` and `family` of `case`, sent by a person of agency `own`;
    /// `consent` with the day it was signed.
    pub fn new(
        case: CaseId,
        fields: Vec<(Field, String)>,
        family: Vec<(FamilyRef, String)>,
        consent: Option<(ConsentId, chrono::NaiveDate)>,
        own: Agency,
        s: &Strings,
    ) -> TransferPreview {
        let c = s.casework;
        let mut bases = Vec::new();
        if let Some((_, signed)) = consent {
            bases.push((
                CONSENT.to_string(),
                (c.basis_consent)(&crate::domain::date::format_german_date(signed)),
            ));
        }
        bases.extend(
            StatutoryBasis::ALL
                .iter()
                .map(|b| (b.code().to_string(), (c.statute)(*b).to_string())),
        );
        let first = bases.first().map(|b| b.0.clone()).unwrap_or_default();
        let mut rows = vec![
            RowItem::choice(BASIS, c.basis_label, bases, &first),
            RowItem::text(JUSTIFICATION, c.justification, ""),
            RowItem::line(PURPOSE, s.transfer_purpose, DEFAULT_PURPOSE),
        ];
        if own == Agency::Jugendamt {
            rows.push(RowItem::tick(CHECK_64_2, s.transfer_64_2_tick, "0"));
        }
        let editor = RowEditor::new(rows);
        let initial = editor.values();
        TransferPreview {
            case,
            fields,
            family,
            consent: consent.map(|c| c.0),
            editor,
            initial,
        }
    }

    /// The basis chosen.
    fn basis(&self) -> Option<TransferBasis> {
        let b = self.editor.value(BASIS);
        if b == CONSENT {
            self.consent.map(TransferBasis::Consent)
        } else {
            StatutoryBasis::from_code(&b).map(TransferBasis::Statute)
        }
    }

    /// The basis, justification, purpose and check, or the messages at their rows.
    fn checked(&mut self, app: &App) -> Option<(TransferBasis, String, String, bool)> {
        let s = app.strings;
        let purpose = sanitize(self.editor.value(PURPOSE).trim(), false);
        let justification = sanitize(self.editor.value(JUSTIFICATION).trim(), true);
        let ja = app.me.agency == Agency::Jugendamt;
        let check = self.editor.value(CHECK_64_2) == "1";
        let basis = self.basis();
        let mut errors = Vec::new();
        if purpose.is_empty() {
            errors.push((PURPOSE.to_string(), (s.problem)(&Problem::Required, s)));
        }
        if matches!(basis, Some(TransferBasis::Statute(_))) && justification.is_empty() {
            errors.push((
                JUSTIFICATION.to_string(),
                s.casework.justification_needed.to_string(),
            ));
        }
        if basis.is_none() {
            errors.push((BASIS.to_string(), s.transfer_no_basis.to_string()));
        }
        if ja && !check {
            errors.push((CHECK_64_2.to_string(), s.transfer_64_2_required.to_string()));
        }
        match basis {
            Some(b) if errors.is_empty() => Some((b, justification, purpose, ja && check)),
            _ => {
                self.editor.set_errors(errors);
                None
            }
        }
    }

    /// Sends; false (the form stays open) when a row needs an answer first.
    fn send(&mut self, app: &mut App) -> bool {
        let Some((basis, justification, purpose, check_64_2)) = self.checked(app) else {
            app.set_status(app.strings.check_fields.to_string(), true);
            return false;
        };
        let today = app.today();
        let partner = app.me.agency.partner();
        let all_fields: Vec<Field> = self.fields.iter().map(|(f, _)| *f).collect();
        let all_family: Vec<FamilyRef> = self.family.iter().map(|(r, _)| *r).collect();
        // With a consent only what it covers goes over; the rest stays. A statute carries
        // what the preview shows.
        let (fields, family) = match basis {
            TransferBasis::Statute(_) => (all_fields, all_family),
            TransferBasis::Consent(consent) => app
                .cases
                .file
                .as_ref()
                .and_then(|f| {
                    let birth = f.case().person.birth_date;
                    let c = f.view.consents.iter().find(|c| c.id == consent)?;
                    let covers = |cat| c.covers(today, birth, partner, None, cat);
                    Some((
                        all_fields
                            .into_iter()
                            .filter(|f| covers(field_category(*f)))
                            .collect(),
                        all_family
                            .into_iter()
                            .filter(|r| covers(r.category()))
                            .collect::<Vec<_>>(),
                    ))
                })
                .unwrap_or_default(),
        };
        let family_left = !self.family.is_empty() && family.is_empty();
        let res = app.store.transfer(
            &app.me,
            self.case,
            &TransferRequest {
                fields: &fields,
                family: &family,
                purpose: &purpose,
                basis,
                justification: &justification,
                check_64_2,
                today,
            },
        );
        match res {
            Ok(_) => {
                app.open_file(self.case);
                let mut msg = app.strings.transferred.to_string();
                if family_left {
                    msg = format!("{msg} {}", app.strings.casework.family_not_covered);
                }
                app.set_status(msg, family_left);
            }
            Err(StorageError::Refused(r)) if r.is_transfer() => {
                app.set_status(app.strings.transfer_no_basis.to_string(), true);
            }
            Err(e) => app.report::<()>(Err(e)),
        }
        true
    }
}

/// Example (a caseworker, e.g. "brinkmann"): a case file of the caseload, `t`.
pub fn example(app: &mut App) -> bool {
    if !super::open_first_case(app) {
        return false;
    }
    app.update(Action::Transfer);
    app.top_layer() == Some(NAME)
}

impl Layer for TransferPreview {
    fn name(&self) -> &'static str {
        NAME
    }

    /// The form's keys (Esc asks when the purpose was changed), the question's (Enter
    /// sends), and on the tick the choice keys.
    fn contexts(&self) -> Vec<Context> {
        box_contexts(&self.editor, Context::Dialog)
    }

    fn takes_text(&self) -> bool {
        self.editor.takes_text()
    }

    fn input(&mut self, _app: &mut App, key: KeyEvent) {
        self.editor.input(key);
    }

    fn paste(&mut self, _app: &mut App, text: &str) {
        self.editor.paste(text);
    }

    fn update(&mut self, app: &mut App, action: Action) -> Outcome {
        match action {
            Action::Confirm | Action::Save if self.send(app) => Outcome::Close,
            Action::Deny | Action::Cancel => Outcome::Close,
            _ => {
                self.editor.navigate(action);
                Outcome::Keep
            }
        }
    }

    fn is_dirty(&self) -> bool {
        self.editor.values() != self.initial
    }

    fn field_text(&self) -> Option<String> {
        self.editor.focused_text()
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![Action::Confirm, Action::Cancel, Action::NextField]
    }

    /// ```text
    /// ┌ Übermittlung an die Partnerstelle ─────────────┐
    /// │ Genau diese Angaben sieht danach: Jugendamt. … │
    /// │   Nachname        Müller                       │
    /// │▶Zweck                   Gegenseitige …▏        │
    /// │ § 64 Abs. 2 SGB VIII geprüft [ ]               │
    /// └────────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let s = app.strings;
        let area = areas.full;
        // One line per row, the wrapped purpose and the messages at the rows.
        let form_height = u16::try_from(self.editor.rows.len() + 3).unwrap_or(6);
        let height = u16::try_from(self.fields.len() + self.family.len() + 1)
            .unwrap_or(20)
            .saturating_add(8)
            .saturating_add(form_height);
        let inner = boxed(
            frame,
            app.theme,
            area,
            (area.width.saturating_sub(4).max(1), height),
            s.transfer_title,
        );
        let partner = (s.agency)(app.me.agency.partner());
        let mut lines = Vec::new();
        let basis = match self.basis() {
            Some(TransferBasis::Statute(b)) => Some((s.casework.statute)(b)),
            Some(TransferBasis::Consent(_)) => Some(s.basis_consent),
            None => None,
        };
        if let Some(basis) = basis {
            lines.push(Line::raw((s.transfer_hint)(partner, basis)));
            if app.me.agency == Agency::Jugendamt {
                lines.push(Line::styled(s.transfer_64_2, app.theme.key()));
            }
        } else {
            lines.push(Line::styled(s.transfer_no_basis, app.theme.error()));
        }
        lines.push(Line::raw(""));
        // The family records first: few lines, and the person fields may run past a small
        // screen.
        if !self.family.is_empty() {
            lines.push(Line::styled(s.casework.transfer_family, app.theme.header()));
            for (_, text) in &self.family {
                lines.push(Line::raw(format!("  {}", sanitize(text, false))));
            }
        }
        for (field, value) in &self.fields {
            let value = shown(s, *field, value);
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<20} ", (s.field)(*field)), app.theme.label()),
                Span::raw(value),
            ]));
        }

        let [preview, form] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(form_height)]).areas(inner);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), preview);
        render_rows(frame, app.theme, &self.editor, form);
    }
}

/// A field's value as the partner will read it: labels, not the stored codes (`m`,
/// `lost_contact`), on the screen where the transfer is decided (#23 defect 10).
fn shown(s: &Strings, field: Field, value: &str) -> String {
    if value.is_empty() {
        return s.none.to_string();
    }
    match field {
        Field::Gender => Gender::from_code(value)
            .map_or_else(|| value.to_string(), |g| (s.gender)(g).to_string()),
        Field::Reasons => ReasonCode::split(value)
            .into_iter()
            .map(|r| (s.reason)(r))
            .collect::<Vec<_>>()
            .join(", "),
        _ => value.replace('\n', " ⏎ "),
    }
}
