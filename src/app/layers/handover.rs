//! The hand-over Jugendamt → Jobcenter in a case file (`u`; docs/casework.md § 3a): a menu
//! of the steps this person may take now, and each step's small form. The form keeps a
//! draft naming the case, the step and the version it rests on; a problem stands at its
//! field; a colleague's step in between is named and the form rests on it.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

use super::step_menu::{Menu, MenuStep};
use crate::action::Action;
use crate::app::App;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::{RowEditor, RowItem, contexts};
use crate::domain::CaseId;
use crate::domain::date::{format_german_date, parse_german_date};
use crate::domain::handover::{HandoverStatus, HandoverStep, HelpType};
use crate::domain::refusal::Refusal;
use crate::keymap::Context;
use crate::model::draft::Draft;
use crate::storage::StorageError;
use crate::storage::handover::HandoverInput;

/// Registry name and the form name of its drafts (the record is the case).
pub const NAME: &str = "handover";
/// The menu's registry name.
pub const MENU: &str = "handover-menu";
/// Draft key of the step.
const STEP_KEY: &str = "_step";

/// The menu of `u`.
pub type HandoverMenu = Menu<HandoverStep>;

/// The hand-over of the open file: its state and version.
fn current(app: &App) -> (HandoverStatus, i64) {
    app.cases
        .file
        .as_ref()
        .and_then(|f| f.view.handover.as_ref())
        .map_or((HandoverStatus::Flagged, 0), |h| (h.status, h.version))
}

impl MenuStep for HandoverStep {
    const NAME: &'static str = MENU;

    fn offered(app: &App) -> Vec<Self> {
        if !app.works_on_file() {
            return Vec::new();
        }
        let (status, _) = current(app);
        HandoverStep::ALL
            .iter()
            .copied()
            .filter(|s| s.agency() == app.me.agency && s.next(status).is_some())
            .collect()
    }

    fn none_offered(app: &App) -> &'static str {
        app.strings.casework.handover_none
    }

    fn title(app: &App) -> &'static str {
        app.strings.casework.handover_title[1]
    }

    fn label(self, app: &App) -> String {
        (app.strings.casework.handover_step)(self).to_string()
    }

    fn start(self, app: &mut App) {
        open(app, self, None);
    }
}

/// `u` in a case file.
pub fn open_menu(app: &mut App) {
    HandoverMenu::open(app);
}

/// A step's form.
#[derive(Debug)]
pub struct HandoverForm {
    /// The case.
    pub case: CaseId,
    /// The step.
    pub step: HandoverStep,
    /// The version it rests on.
    pub version: i64,
    /// The rows.
    pub editor: RowEditor,
    initial: BTreeMap<String, String>,
}

fn open(app: &mut App, step: HandoverStep, values: Option<&BTreeMap<String, String>>) -> bool {
    let Some(f) = app.cases.file.as_ref() else {
        return false;
    };
    let case = f.case().id;
    let (_, version) = current(app);
    let c = app.strings.casework;
    let fields = c.handover_fields;
    let today = format_german_date(app.today());
    let planned = f
        .view
        .handover
        .as_ref()
        .and_then(|h| h.planned_end)
        .or(f.view.help_end)
        .map(format_german_date)
        .unwrap_or_default();
    let get = |k: &str, default: &str| {
        values
            .and_then(|v| v.get(k).cloned())
            .unwrap_or_else(|| default.to_string())
    };
    let rows = match step {
        HandoverStep::Check => vec![
            RowItem::choice(
                "help_type",
                fields[0],
                HelpType::ALL
                    .iter()
                    .map(|h| (h.code().to_string(), (c.help_type)(*h).to_string()))
                    .collect(),
                &get("help_type", HelpType::Sgb8_41.code()),
            ),
            RowItem::line("planned_end", fields[1], &get("planned_end", &planned))
                .with_placeholder(app.strings.date_hint),
        ],
        HandoverStep::Agree => vec![
            RowItem::line("hilfeplan_ref", fields[3], &get("hilfeplan_ref", ""))
                .with_placeholder(app.strings.date_hint),
        ],
        HandoverStep::Apply | HandoverStep::HandOver => {
            vec![RowItem::line("on", fields[7], &get("on", &today))]
        }
        HandoverStep::Drop => vec![RowItem::line("reason", fields[6], &get("reason", ""))],
    };
    let editor = RowEditor::new(rows);
    let initial = if values.is_some() {
        BTreeMap::new()
    } else {
        editor.values()
    };
    app.push(HandoverForm {
        case,
        step,
        version,
        editor,
        initial,
    });
    true
}

/// Reopens a step's form from its draft, on the version it rested on.
pub fn restore(app: &mut App, draft: &Draft) -> bool {
    let Some(step) = draft
        .values
        .get(STEP_KEY)
        .and_then(|s| HandoverStep::from_code(s))
    else {
        return false;
    };
    let case = CaseId(draft.record_id);
    app.screen = crate::app::Screen::Cases;
    app.open_file(case);
    if app.cases.file.as_ref().map(|f| f.case().id) != Some(case) {
        return false;
    }
    if !open(app, step, Some(&draft.values)) {
        return false;
    }
    if let Some(f) = app.layer_mut::<HandoverForm>() {
        f.version = draft.base_version;
        if let Some(k) = draft.values.get(crate::app::FOCUS_KEY) {
            f.editor.focus(k);
        }
    }
    true
}

/// Example (a Jugendamt caseworker): the first step's form on a case of her caseload.
pub fn example(app: &mut App) -> bool {
    if !super::open_first_case(app) {
        return false;
    }
    open(app, HandoverStep::Drop, None) && app.top_layer() == Some(NAME)
}

impl HandoverForm {
    fn save(&mut self, app: &mut App) -> Outcome {
        let c = app.strings.casework;
        let mut input = HandoverInput::default();
        let mut errors = Vec::new();
        let date = |k: &str, errors: &mut Vec<(String, String)>| {
            let d = parse_german_date(self.editor.value(k).trim()).ok();
            if d.is_none() {
                errors.push((k.to_string(), c.bad_date.to_string()));
            }
            d
        };
        match self.step {
            HandoverStep::Check => {
                input.help_type = HelpType::from_code(&self.editor.value("help_type"));
                input.planned_end = date("planned_end", &mut errors);
            }
            HandoverStep::Agree => {
                input.hilfeplan_ref = self.editor.value("hilfeplan_ref");
                if input.hilfeplan_ref.trim().is_empty() {
                    errors.push(("hilfeplan_ref".to_string(), c.required.to_string()));
                }
            }
            HandoverStep::Apply | HandoverStep::HandOver => {
                input.on = date("on", &mut errors);
                if input.on.is_some_and(|d| d > app.today()) {
                    errors.push(("on".to_string(), app.strings.casework.bad_date.to_string()));
                }
            }
            HandoverStep::Drop => {
                input.reason = self.editor.value("reason");
                if input.reason.trim().is_empty() {
                    errors.push(("reason".to_string(), c.required.to_string()));
                }
            }
        }
        if !errors.is_empty() {
            let msg = errors[0].1.clone();
            self.editor.set_errors(errors);
            app.set_status(msg, true);
            return Outcome::Keep;
        }
        let me = app.me.clone();
        match app
            .store()
            .handover_step(&me, self.case, self.version, self.step, &input)
        {
            Ok(()) => {
                app.forget_draft_of(NAME, self.case.0);
                app.open_file(self.case);
                app.set_status(c.saved.to_string(), false);
                Outcome::Close
            }
            Err(StorageError::Refused(r)) => {
                let msg = app.refused(r);
                super::error_at_first_field(&mut self.editor, msg);
                if r == Refusal::ReferralWrongState {
                    app.open_file(self.case);
                }
                Outcome::Keep
            }
            Err(StorageError::Conflict { by, at }) => {
                app.report::<()>(Err(StorageError::Conflict { by, at }));
                app.open_file(self.case);
                // The next save rests on what the colleague stored.
                self.version = current(app).1;
                Outcome::Keep
            }
            Err(e) => {
                app.report::<()>(Err(e));
                Outcome::Keep
            }
        }
    }
}

impl Layer for HandoverForm {
    fn name(&self) -> &'static str {
        NAME
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
            Action::Save => self.save(app),
            Action::Cancel => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    fn is_dirty(&self) -> bool {
        self.editor.values() != self.initial
    }

    fn draft(&self, app: &App) -> Option<Draft> {
        self.is_dirty().then(|| {
            let mut values = self.editor.values_with_focus();
            values.insert(STEP_KEY.to_string(), self.step.code().to_string());
            let mut d = Draft::new(app.me.id, NAME, self.case.0, values);
            d.base_version = self.version;
            d
        })
    }

    fn discard(&mut self, app: &mut App) {
        app.forget_draft_of(NAME, self.case.0);
    }

    fn field_text(&self) -> Option<String> {
        self.editor.focused_text()
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![Action::Save, Action::Cancel, Action::NextField]
    }

    /// ```text
    /// ┌ Übergang vereinbart (Hilfeplan) ──────────┐
    /// │ Strg+S speichern · Esc schließen …         │
    /// │▶Hilfeplan vom               ▏              │
    /// └────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let c = app.strings.casework;
        let title = (c.handover_step)(self.step);
        super::render_hinted_form(
            frame,
            app,
            (areas.full, 10),
            title,
            c.form_hint,
            &self.editor,
        );
    }
}
