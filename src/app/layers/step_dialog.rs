//! The fields of a referral step or of an anonymous consultation (docs/domain.md 4.5,
//! 4.6): the second professional of a four-eyes step, a forwarding note, an addendum, a
//! consultation request or its advice. Every dialog keeps its draft while it holds input
//! (docs/architecture.md § 4); the addendum, the consultation request and the advice are
//! registered under names of their own, because their drafts are kept under forms of their
//! own, so that the draft restore and the property test over all layers find each.

mod fields;

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

use super::step_menu::StepMenu;
use crate::action::Action;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::{RowEditor, contexts};
use crate::app::screens::cp::CpView;
use crate::app::{App, Screen};
use crate::keymap::Context;
use crate::model::draft::Draft;
use crate::model::referral::Function;
use crate::strings::Strings;
use crate::strings::cp::MenuItem;
use crate::widgets::rows::render_dialog_box;

/// Registry name of the dialogs of the referral steps (forward, triage, feedback …).
pub const NAME: &str = "step-dialog";
/// Registry name of an addendum being written.
pub const ADDENDUM: &str = "addendum";
/// Registry name of a consultation request being written.
pub const CONSULT_REQUEST: &str = "consult-request";
/// Registry name of the advice on a consultation being written.
pub const CONSULT_ADVICE: &str = "consult-advice";

/// Name of a referral step's dialog in drafts (record: the referral; the step is kept
/// under [`STEP_KEY`]).
pub const STEP_DRAFT: &str = "step";
/// Name of an addendum being written in drafts (record: the referral).
pub const ADDENDUM_DRAFT: &str = "addendum";
/// Name of a consultation request being written in drafts (record 0).
pub const CONSULT_DRAFT: &str = "consult";
/// Name of the advice on a consultation in drafts (record: the consultation).
pub const ADVICE_DRAFT: &str = "advice";

/// Key under which a [`STEP_DRAFT`] names its step.
const STEP_KEY: &str = "__step";

/// The referral steps whose dialog keeps a [`STEP_DRAFT`], by their code in the draft.
const STEPS: [(MenuItem, &str); 7] = [
    (MenuItem::Forward, "forward"),
    (MenuItem::FeedbackNotPermitted, "feedback_not_permitted"),
    (MenuItem::Measures, "measures"),
    (MenuItem::Triage, "triage"),
    (MenuItem::CloseAtTriage, "close_at_triage"),
    (MenuItem::Assess, "assess"),
    (MenuItem::Feedback, "feedback"),
];

/// The registry name of step `item`'s dialog.
fn name_of(item: MenuItem) -> &'static str {
    match item {
        MenuItem::Addendum => ADDENDUM,
        MenuItem::ConsultRequest => CONSULT_REQUEST,
        MenuItem::ConsultAdvise => CONSULT_ADVICE,
        _ => NAME,
    }
}

/// The step whose dialog `draft` was kept from.
fn item_of(draft: &Draft) -> Option<MenuItem> {
    match draft.form.as_str() {
        ADDENDUM_DRAFT => Some(MenuItem::Addendum),
        CONSULT_DRAFT => Some(MenuItem::ConsultRequest),
        ADVICE_DRAFT => Some(MenuItem::ConsultAdvise),
        STEP_DRAFT => {
            let code = draft.values.get(STEP_KEY)?;
            STEPS.iter().find(|(_, c)| c == code).map(|(i, _)| *i)
        }
        _ => None,
    }
}

/// What the offer of a step dialog's draft calls it ("Nachtrag senden" …); None for the
/// drafts of other layers.
pub fn draft_title(strings: &Strings, draft: &Draft) -> Option<String> {
    item_of(draft).map(|item| (strings.cp.menu)(item).to_string())
}

/// An open step dialog.
#[derive(Debug)]
pub struct StepDialog {
    /// Which step.
    pub item: MenuItem,
    /// Its fields.
    pub editor: RowEditor,
    /// The referral it belongs to (None for consultations).
    pub referral: Option<i64>,
    /// The consultation it advises on (advice only).
    pub consult: Option<i64>,
}

impl StepDialog {
    /// Takes step `item` on the open referral (or consultation): runs it at once when it
    /// has no fields, otherwise opens its dialog.
    pub fn start(app: &mut App, item: MenuItem) {
        let Some(rows) = fields::rows(app, item) else {
            app.run_step(item, &BTreeMap::new());
            return;
        };
        let (referral, consult) = match item {
            MenuItem::ConsultRequest => (None, None),
            MenuItem::ConsultAdvise => (
                None,
                app.cp.consults.get(app.cp.consult_cursor).map(|c| c.id),
            ),
            _ => (app.cp.detail.as_ref().map(|r| r.row.id), None),
        };
        app.push(StepDialog {
            item,
            editor: RowEditor::new(rows),
            referral,
            consult,
        });
    }

    /// Where its draft is kept: form name and record.
    fn draft_key(&self) -> Option<(&'static str, i64)> {
        match self.item {
            MenuItem::Addendum => Some((ADDENDUM_DRAFT, self.referral?)),
            MenuItem::ConsultRequest => Some((CONSULT_DRAFT, 0)),
            MenuItem::ConsultAdvise => Some((ADVICE_DRAFT, self.consult?)),
            _ => Some((STEP_DRAFT, self.referral?)),
        }
    }
}

impl Layer for StepDialog {
    fn name(&self) -> &'static str {
        name_of(self.item)
    }

    fn contexts(&self) -> Vec<Context> {
        contexts(Some(&self.editor))
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
        if self.editor.navigate(action).is_some() {
            return Outcome::Keep;
        }
        match action {
            // Not dirty (the stack asks before discarding input).
            Action::Cancel => {
                self.discard(app);
                Outcome::Close
            }
            Action::Save => {
                let values = self.editor.values();
                let needs_text = matches!(
                    self.item,
                    MenuItem::Forward
                        | MenuItem::FeedbackNotPermitted
                        | MenuItem::Addendum
                        | MenuItem::ConsultRequest
                );
                if needs_text && values.get("text").is_none_or(|t| t.trim().is_empty()) {
                    let msg = (app.strings.problem)(
                        &crate::domain::validation::Problem::Required,
                        app.strings,
                    );
                    self.editor.set_errors(vec![("text".to_string(), msg)]);
                    return Outcome::Keep;
                }
                if app.run_step(self.item, &values) {
                    self.discard(app);
                    Outcome::Close
                } else {
                    Outcome::Keep
                }
            }
            _ => Outcome::Keep,
        }
    }

    fn is_dirty(&self) -> bool {
        self.editor.dirty
    }

    fn draft(&self, app: &App) -> Option<Draft> {
        if !self.editor.dirty {
            return None;
        }
        let (form, record) = self.draft_key()?;
        let mut values = self.editor.values();
        if let Some((_, code)) = STEPS.iter().find(|(i, _)| *i == self.item) {
            values.insert(STEP_KEY.to_string(), (*code).to_string());
        }
        Some(Draft::new(app.me.id, form, record, values))
    }

    /// Forgets the draft (sent or thrown away); the referral or list beneath stays.
    fn discard(&mut self, app: &mut App) {
        if let Some((form, record)) = self.draft_key() {
            app.forget_draft_of(form, record);
        }
    }

    fn field_text(&self) -> Option<String> {
        self.editor.focused_text()
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![Action::Save, Action::Cancel, Action::Toggle]
    }

    /// ```text
    /// ┌Nachtrag senden───────────────────────────────────┐
    /// │▶Text                           Kind war heute …▏ │
    /// │Tab/↑↓ Feld · ←→/Leertaste wählen · Strg+S senden │
    /// └──────────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        render_dialog_box(
            frame,
            app.theme,
            (app.strings.cp.menu)(self.item),
            app.strings.cp.form_hint,
            &self.editor,
            areas.full,
        );
    }
}

/// Reopens a step dialog from its draft; false when the referral or consultation is gone,
/// no longer visible, or no longer offers the step.
pub fn restore(app: &mut App, draft: &Draft) -> bool {
    let Some(item) = item_of(draft) else {
        return false;
    };
    app.screen = Screen::ChildProtection;
    app.reload_cp();
    match item {
        MenuItem::ConsultRequest => app.cp.consults_mode = true,
        MenuItem::ConsultAdvise => {
            app.cp.consults_mode = true;
            let at = app
                .cp
                .consults
                .iter()
                .position(|c| c.id == draft.record_id && c.status == "requested");
            let insofa = app
                .store
                .has_function(app.me.id, Function::Insofa)
                .unwrap_or(false);
            match at {
                Some(at) if insofa => app.cp.consult_cursor = at,
                _ => return false,
            }
        }
        _ => {
            app.load_referral(draft.record_id, true);
            if app.cp.detail.is_none() || !app.cp_menu_items().contains(&item) {
                return false;
            }
        }
    }
    StepDialog::start(app, item);
    match app.layer_mut::<StepDialog>() {
        Some(d) if d.item == item => {
            d.editor.set_values(&draft.values);
            true
        }
        _ => false,
    }
}

/// Moves the focus of the open dialog to its first text field, as Tab does.
fn focus_text(app: &mut App) -> bool {
    for _ in 0..8 {
        match app.layers.last() {
            Some(top) if top.takes_text() => return true,
            Some(_) => app.update(Action::NextField),
            None => return false,
        }
    }
    false
}

/// Whether the top layer is the dialog of `item`.
fn top_is(app: &App, item: MenuItem) -> bool {
    app.top_layer() == Some(name_of(item))
        && app.layer::<StepDialog>().is_some_and(|d| d.item == item)
}

/// F4, then the first referral whose step menu offers `item`: Enter, `m`, the step.
fn open_on_referral(app: &mut App, item: MenuItem) -> bool {
    app.update(Action::ScreenChildProtection);
    for i in 0..app.cp.rows.len() {
        app.update(Action::First);
        for _ in 0..i {
            app.update(Action::Down);
        }
        app.update(Action::Open);
        if app.cp.view != CpView::Detail {
            continue;
        }
        app.update(Action::StepMenu);
        let at = app
            .layer::<StepMenu>()
            .and_then(|m| m.items.iter().position(|x| *x == item));
        if let Some(at) = at {
            for _ in 0..at {
                app.update(Action::Down);
            }
            app.update(Action::Confirm);
            return top_is(app, item) && focus_text(app);
        }
        if app.has_layer::<StepMenu>() {
            app.update(Action::Deny);
        }
        app.update(Action::Back);
    }
    false
}

/// Example (the reporter, e.g. "brinkmann"): a "Nachtrag" to an own open referral.
pub fn addendum_example(app: &mut App) -> bool {
    open_on_referral(app, MenuItem::Addendum)
}

/// Example (the intake, e.g. "dabrowska"): "Weiterleiten" of a received referral.
pub fn step_example(app: &mut App) -> bool {
    open_on_referral(app, MenuItem::Forward)
}

/// Example (a Jobcenter U25 worker, e.g. "karaca"): F4, `b` (consultations), `n`, Tab to
/// the summary.
pub fn consult_request_example(app: &mut App) -> bool {
    app.update(Action::ScreenChildProtection);
    if !app.cp.consults_mode {
        app.update(Action::ToggleConsults);
    }
    app.update(Action::NewCase);
    top_is(app, MenuItem::ConsultRequest) && focus_text(app)
}

/// Example (an InsoFa specialist, e.g. "pieper"): F4, `b`, the first requested
/// consultation, Enter, Tab to the advice.
pub fn advice_example(app: &mut App) -> bool {
    app.update(Action::ScreenChildProtection);
    if !app.cp.consults_mode {
        app.update(Action::ToggleConsults);
    }
    let Some(at) = app.cp.consults.iter().position(|c| c.status == "requested") else {
        return false;
    };
    app.update(Action::First);
    for _ in 0..at {
        app.update(Action::Down);
    }
    app.update(Action::Open);
    top_is(app, MenuItem::ConsultAdvise) && focus_text(app)
}
