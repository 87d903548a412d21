//! Restricting a case ("Sperre", Art. 18 DSGVO) and disputing a person field
//! ("Bestreiten", Art. 16 DSGVO) from the case file (docs/access.md A12). One box of the
//! shared form engine: for a restriction the reason; for a dispute the field and the
//! person's statement. The store decides who may; the box only asks.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

use super::boxed;
use crate::action::Action;
use crate::app::App;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::{Kind, RowEditor, RowItem, box_contexts, options};
use crate::domain::restriction::{DisputeOutcome, RestrictionReason, STATEMENT_MAX};
use crate::domain::text::sanitize;
use crate::domain::{CaseId, Field};
use crate::keymap::Context;
use crate::strings::Strings;
use crate::widgets::rows::render_rows;

/// Registry name.
pub const NAME: &str = "restrict";

/// Key of the choice row (reason or field).
pub const CHOICE: &str = "choice";
/// Key of the statement row (disputes only).
pub const STATEMENT: &str = "statement";
/// Key of the outcome row (disputes only: resolves an open dispute).
pub const OUTCOME: &str = "outcome";

/// What the box records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A restriction of the case, with its reason.
    Restrict,
    /// A dispute of one person field, with the statement.
    Dispute,
}

/// The box for one case.
#[derive(Debug)]
pub struct RestrictBox {
    /// The case.
    pub case: CaseId,
    /// What it records.
    pub mode: Mode,
    /// The rows.
    pub editor: RowEditor,
}

impl RestrictBox {
    /// The restriction box: the reasons of Art. 18 Abs. 1.
    pub fn restrict(case: CaseId, s: &Strings) -> RestrictBox {
        let rows = vec![RowItem::choice(
            CHOICE,
            s.break_glass_reason_label,
            options(
                &RestrictionReason::ALL,
                RestrictionReason::code,
                s.restrict.reason,
                None,
            ),
            "",
        )];
        RestrictBox {
            case,
            mode: Mode::Restrict,
            editor: RowEditor::new(rows),
        }
    }

    /// The dispute box over `fields` (the person fields the own Stelle keeps and the viewer
    /// reads; those in `disputed` are marked): the field, the statement of a new dispute,
    /// and the outcome that resolves an open one ("offen": record a new dispute).
    pub fn dispute(case: CaseId, fields: &[Field], disputed: &[Field], s: &Strings) -> RestrictBox {
        let choices = fields
            .iter()
            .map(|f| {
                let label = if disputed.contains(f) {
                    format!("{} {}", (s.field)(*f), s.restrict.disputed)
                } else {
                    (s.field)(*f).to_string()
                };
                (f.code().to_string(), label)
            })
            .collect();
        let rows = vec![
            RowItem::choice(CHOICE, s.restrict.field_label, choices, ""),
            RowItem::line(STATEMENT, s.restrict.statement, "").with_limit(STATEMENT_MAX),
            RowItem::choice(
                OUTCOME,
                s.restrict.outcome_label,
                options(
                    &DisputeOutcome::ALL,
                    DisputeOutcome::code,
                    s.restrict.outcome,
                    Some(s.restrict.outcome_open),
                ),
                "",
            ),
        ];
        RestrictBox {
            case,
            mode: Mode::Dispute,
            editor: RowEditor::new(rows),
        }
    }

    /// ↑/↓ walk a choice's values as in a list; past its first or last value, and on the
    /// statement, they move to the row above or below.
    fn up_down(&mut self, down: bool) {
        let key = self
            .editor
            .current()
            .map(|r| r.key.clone())
            .unwrap_or_default();
        let last_key = match self.mode {
            Mode::Restrict => CHOICE,
            Mode::Dispute => OUTCOME,
        };
        let (first_row, last_row) = (key == CHOICE, key == last_key);
        let at_last = matches!(
            self.editor.current().map(|r| &r.kind),
            Some(Kind::Choice { options, index }) if *index + 1 >= options.len()
        );
        let at_first = matches!(
            self.editor.current().map(|r| &r.kind),
            Some(Kind::Choice { index: 0, .. })
        );
        let at_end = if down { at_last } else { at_first };
        if self.editor.on_choice() && !at_end {
            self.editor.toggle(down);
        } else if down && !last_row {
            self.editor.step(true);
        } else if !down && !first_row {
            self.editor.step(false);
        }
    }

    /// Records the step; false (and the message) when the store refused it.
    fn record(&mut self, app: &mut App) -> bool {
        let choice = self.editor.value(CHOICE);
        let s = app.strings;
        let res: Result<&str, _> = match self.mode {
            Mode::Restrict => {
                let reason =
                    RestrictionReason::from_code(&choice).unwrap_or(RestrictionReason::Accuracy);
                app.store()
                    .restrict_case(&app.me, self.case, reason)
                    .map(|()| s.restrict.restricted_done)
            }
            Mode::Dispute => {
                let Some(field) = Field::from_code(&choice) else {
                    return true;
                };
                if let Some(outcome) = DisputeOutcome::from_code(&self.editor.value(OUTCOME)) {
                    app.store()
                        .resolve_dispute(&app.me, self.case, field, outcome)
                        .map(|()| s.restrict.resolved_done)
                } else {
                    let statement = sanitize(self.editor.value(STATEMENT).trim(), false);
                    if statement.chars().count() > STATEMENT_MAX {
                        app.refused(crate::domain::refusal::Refusal::StatementTooLong);
                        return false;
                    }
                    app.store()
                        .dispute_field(&app.me, self.case, field, &statement)
                        .map(|_| s.restrict.disputed_done)
                }
            }
        };
        match res {
            Ok(done) => {
                app.open_file(self.case);
                app.set_status(done.to_string(), false);
                true
            }
            Err(e) => {
                app.report::<()>(Err(e));
                false
            }
        }
    }
}

/// Example (the demo caseworker): open the first case of the list, `b`.
pub fn example(app: &mut App) -> bool {
    app.update(Action::Open);
    app.update(Action::Dispute);
    app.top_layer() == Some(NAME)
}

impl Layer for RestrictBox {
    fn name(&self) -> &'static str {
        NAME
    }

    fn contexts(&self) -> Vec<Context> {
        box_contexts(&self.editor, Context::Choice)
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
            Action::Up | Action::Down => self.up_down(action == Action::Down),
            Action::Confirm | Action::Save => {
                if self.record(app) {
                    return Outcome::Close;
                }
            }
            Action::Deny | Action::Cancel => return Outcome::Close,
            _ => {
                self.editor.navigate(action);
            }
        }
        Outcome::Keep
    }

    fn is_dirty(&self) -> bool {
        self.mode == Mode::Dispute && !self.editor.value(STATEMENT).trim().is_empty()
    }

    fn field_text(&self) -> Option<String> {
        self.editor.focused_text()
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        match self.mode {
            Mode::Restrict => vec![Action::Down, Action::Confirm, Action::Cancel],
            Mode::Dispute => vec![
                Action::Down,
                Action::NextField,
                Action::Confirm,
                Action::Cancel,
            ],
        }
    }

    /// ```text
    /// ┌ „Anschrift“ bestreiten (Art. 16 DSGVO) ─────────────────┐
    /// │▶Angabe                         ◀ Anschrift ▶            │
    /// │ Stellungnahme                                           │
    /// └─────────────────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let s = app.strings;
        let title = match self.mode {
            Mode::Restrict => s.restrict.restrict_title.to_string(),
            Mode::Dispute => s.restrict.dispute_box_title.to_string(),
        };
        let inner = boxed(frame, app.theme, areas.full, (72, 7), &title);
        render_rows(frame, app.theme, &self.editor, inner);
    }
}
