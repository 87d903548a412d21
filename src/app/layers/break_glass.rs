//! Break-glass (docs/access.md A6): a case of the own agency outside the caseload opens only
//! after a reason is chosen; the access is logged. The reason box is a form of the shared
//! engine: the reason, and a "Begründung" that "Sonstiges" requires (docs/domain.md 5.1
//! rule 3).

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout};
use ratatui::widgets::{Paragraph, Wrap};

use super::boxed;
use crate::action::Action;
use crate::app::App;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::{Kind, RowEditor, RowItem, box_contexts, options};
use crate::domain::casefile::BreakGlassReason;
use crate::domain::text::sanitize;
use crate::domain::{CaseId, Role};
use crate::keymap::Context;
use crate::model::list::{ListScope, PageAnchor};
use crate::strings::Strings;
use crate::widgets::rows::render_rows;

/// Registry name.
pub const NAME: &str = "break-glass";

/// Key of the reason row.
pub const REASON: &str = "reason";
/// Key of the free text ("Begründung"; required for "Sonstiges").
pub const TEXT: &str = "text";

/// The reason box for one case.
#[derive(Debug)]
pub struct BreakGlass {
    /// The case.
    pub case: CaseId,
    /// The reason and its text.
    pub editor: RowEditor,
}

impl BreakGlass {
    /// The box for `case`, the first reason chosen.
    pub fn new(case: CaseId, s: &Strings) -> BreakGlass {
        let rows = vec![
            RowItem::choice(
                REASON,
                s.break_glass_reason_label,
                options(
                    BreakGlassReason::ALL,
                    BreakGlassReason::code,
                    s.break_glass_reason,
                    None,
                ),
                "",
            ),
            RowItem::line(TEXT, s.break_glass_text, ""),
        ];
        BreakGlass {
            case,
            editor: RowEditor::new(rows),
        }
    }

    /// ↑/↓ walk the reasons as in a list; ↓ after the last goes on to the text.
    fn up_down(&mut self, down: bool) {
        let at_last = matches!(
            self.editor.current().map(|r| &r.kind),
            Some(Kind::Choice { options, index }) if *index + 1 >= options.len()
        );
        let at_first = matches!(
            self.editor.current().map(|r| &r.kind),
            Some(Kind::Choice { index: 0, .. })
        );
        match (self.editor.on_choice(), down) {
            (true, true) if at_last => self.editor.step(true),
            (true, false) if at_first => {}
            (true, _) => {
                self.editor.toggle(down);
            }
            (false, false) => self.editor.focus(REASON),
            (false, true) => {}
        }
    }

    /// Opens the case with the chosen reason; false (the message at the text) when
    /// "Sonstiges" has no text.
    fn open_case(&mut self, app: &mut App) -> bool {
        let reason = BreakGlassReason::from_code(&self.editor.value(REASON))
            .unwrap_or(BreakGlassReason::UnlistedDeputy);
        let text = sanitize(self.editor.value(TEXT).trim(), false);
        if reason == BreakGlassReason::Other && text.is_empty() {
            let msg = app.strings.break_glass_text_required.to_string();
            self.editor
                .set_errors(vec![(TEXT.to_string(), msg.clone())]);
            app.set_status(msg, true);
            return false;
        }
        match app.store().break_glass(&app.me, self.case, reason, &text) {
            Ok(()) => app.open_file(self.case),
            Err(e) => app.report::<()>(Err(e)),
        }
        true
    }
}

/// Example (a Jobcenter caseworker, e.g. "brinkmann"): `a`, the number of a case of the
/// own agency outside the caseload (as the agency's lead finds it), Enter.
pub fn example(app: &mut App) -> bool {
    let store = app.store();
    let me = app.me.clone();
    let lead = store.active_staff().ok().and_then(|all| {
        all.into_iter()
            .find(|s| s.agency == me.agency && s.has_role(Role::Lead))
    });
    let Some(lead) = lead else {
        return false;
    };
    let mut query = app.cases.list.query.clone();
    query.scope = ListScope::Agency;
    let rows = store
        .case_page(&lead, &query, &PageAnchor::First, 10_000)
        .unwrap_or_default();
    let number = rows
        .iter()
        .filter(|r| store.load_case(&me, r.id).is_err())
        .filter_map(|r| store.load_case(&lead, r.id).ok())
        .filter(|c| c.owner == me.agency)
        .map(|c| match me.agency {
            crate::domain::Agency::Jobcenter => c.person.jc_customer_no,
            crate::domain::Agency::Jugendamt => c.person.ja_file_no,
        })
        .find(|n| !n.is_empty());
    let Some(number) = number else {
        return false;
    };
    app.update(Action::ToggleScope);
    app.paste(&number);
    app.update(Action::FilterDone);
    app.top_layer() == Some(NAME)
}

impl Layer for BreakGlass {
    fn name(&self) -> &'static str {
        NAME
    }

    /// The form's keys (Esc asks when a text was typed), the list keys of the reasons
    /// (↑/↓, Enter opens), and on the reason the choice keys.
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
            Action::Confirm | Action::Save if self.open_case(app) => return Outcome::Close,
            Action::Deny | Action::Cancel => return Outcome::Close,
            _ => {
                self.editor.navigate(action);
            }
        }
        Outcome::Keep
    }

    fn is_dirty(&self) -> bool {
        !self.editor.value(TEXT).trim().is_empty()
    }

    fn field_text(&self) -> Option<String> {
        self.editor.focused_text()
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![
            Action::Down,
            Action::NextField,
            Action::Confirm,
            Action::Cancel,
        ]
    }

    /// ```text
    /// ┌ Notfallzugriff ─────────────────────────────────────────┐
    /// │ Dieser Fall gehört nicht zu Ihren Fällen. …             │
    /// │▶Grund                          ◀ Sonstiges ▶            │
    /// │ Begründung                                              │
    /// │                                ⚠ Bei „Sonstiges“ bitte … │
    /// └─────────────────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let s = app.strings;
        let inner = boxed(frame, app.theme, areas.full, (72, 12), s.break_glass_title);
        let [hint, rows] =
            Layout::vertical([Constraint::Length(5), Constraint::Min(1)]).areas(inner);
        frame.render_widget(
            Paragraph::new(s.break_glass_hint).wrap(Wrap { trim: false }),
            hint,
        );
        render_rows(frame, app.theme, &self.editor, rows);
    }
}
