//! The on-call rota's form (`n` on F6, the Jugendamt's lead; docs/casework.md § 5): one
//! shift — who is on call from when until when. It keeps a draft while typed; a time is
//! read in Berlin time with the clock change's choice (docs/domain.md 7.1); a problem
//! stands at its field in German; the store refuses what the form would (a worker without
//! the role `ja_oncall`, a shift over a week, an overlap with the same worker's shift).

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

use crate::action::Action;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::{RowEditor, RowItem, contexts};
use crate::app::{App, Screen};
use crate::domain::datetime::parse_german_instant;
use crate::domain::refusal::Refusal;
use crate::domain::text::sanitize;
use crate::domain::{Agency, Role, StaffId};
use crate::keymap::Context;
use crate::model::draft::Draft;
use crate::storage::StorageError;

/// Registry name and the form name of its drafts (the record is always new: -1).
pub const NAME: &str = "rota-shift";
const NEW: i64 = -1;

/// The open form.
#[derive(Debug)]
pub struct RotaForm {
    /// The rows.
    pub editor: RowEditor,
    initial: BTreeMap<String, String>,
}

fn workers(app: &App) -> Vec<(String, String)> {
    app.store()
        .active_staff()
        .unwrap_or_default()
        .into_iter()
        .filter(|s| s.agency == Agency::Jugendamt && s.has_role(Role::JaOncall))
        .map(|s| (s.id.0.to_string(), sanitize(&s.display_name(), false)))
        .collect()
}

impl RotaForm {
    fn new(app: &App, values: &BTreeMap<String, String>) -> RotaForm {
        let c = app.strings.casework;
        let get = |k: &str| values.get(k).cloned().unwrap_or_default();
        let options = workers(app);
        let first = options.first().map(|o| o.0.clone()).unwrap_or_default();
        let who = values.get("staff").cloned().unwrap_or(first);
        let editor = RowEditor::new(vec![
            RowItem::choice("staff", c.rota_form[1], options, &who),
            RowItem::line("start", c.rota_form[2], &get("start"))
                .with_placeholder(app.strings.conf.start_placeholder),
            RowItem::line("end", c.rota_form[3], &get("end"))
                .with_placeholder(app.strings.conf.start_placeholder),
        ]);
        let initial = editor.values();
        RotaForm { editor, initial }
    }

    fn save(&mut self, app: &mut App) -> Outcome {
        let local = crate::domain::tz::to_local(app.now());
        let c = app.strings.casework;
        let mut errors = Vec::new();
        let staff = self.editor.value("staff").parse::<i64>().ok();
        if staff.is_none() {
            errors.push(("staff".to_string(), c.required.to_string()));
        }
        let mut when = |k: &str| match parse_german_instant(&self.editor.value(k), local) {
            Ok((_, t)) => Some(t),
            Err(p) => {
                errors.push((k.to_string(), (app.strings.conf.datetime_problem)(&p)));
                None
            }
        };
        let (start, end) = (when("start"), when("end"));
        let (Some(staff), Some(start), Some(end)) = (staff, start, end) else {
            let msg = errors.first().map(|e| e.1.clone()).unwrap_or_default();
            self.editor.set_errors(errors);
            app.set_status(msg, true);
            return Outcome::Keep;
        };
        let me = app.me.clone();
        match app.store().add_shift(&me, StaffId(staff), start, end) {
            Ok(_) => {
                app.forget_draft_of(NAME, NEW);
                app.reload_rota();
                app.set_status(c.shift_saved.to_string(), false);
                Outcome::Close
            }
            Err(StorageError::Refused(r)) => {
                let msg = app.refused(r);
                let field = match r {
                    Refusal::NoRole => "staff",
                    Refusal::Clash => "start",
                    _ => "end",
                };
                self.editor.set_errors(vec![(field.to_string(), msg)]);
                Outcome::Keep
            }
            Err(e) => {
                app.report::<()>(Err(e));
                Outcome::Keep
            }
        }
    }
}

/// `n` on F6: the form, for the Jugendamt's lead; others are told why not.
pub fn open(app: &mut App) {
    let lead = app.me.agency == Agency::Jugendamt && app.me.has_role(Role::Lead);
    if !lead {
        app.set_status(app.strings.casework.rota_lead_only.to_string(), true);
        return;
    }
    let form = RotaForm::new(app, &BTreeMap::new());
    app.push(form);
}

/// Reopens the form from its draft.
pub fn restore(app: &mut App, draft: &Draft) -> bool {
    app.screen = Screen::OnCall;
    app.reload_cp();
    open(app);
    let Some(f) = app.layer_mut::<RotaForm>() else {
        return false;
    };
    f.editor.set_values(&draft.values);
    if let Some(k) = draft.values.get(crate::app::FOCUS_KEY) {
        f.editor.focus(k);
    }
    true
}

/// Example (the Jugendamt's lead): F6, `n`.
pub fn example(app: &mut App) -> bool {
    app.update(Action::ScreenOnCall);
    app.update(Action::RotaNew);
    app.top_layer() == Some(NAME)
}

impl Layer for RotaForm {
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
        self.is_dirty()
            .then(|| Draft::new(app.me.id, NAME, NEW, self.editor.values_with_focus()))
    }

    fn discard(&mut self, app: &mut App) {
        app.forget_draft_of(NAME, NEW);
    }

    fn field_text(&self) -> Option<String> {
        self.editor.focused_text()
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![Action::Save, Action::Cancel, Action::NextField]
    }

    /// ```text
    /// ┌ Bereitschaftsdienst eintragen ─────────────┐
    /// │ Strg+S speichern · Esc schließen. …        │
    /// │▶Fachkraft (Bereitschaft)   Kathrin Hegemann │
    /// │ Von (TT.MM.JJJJ HH:MM)     ▏                │
    /// └────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let c = app.strings.casework;
        let (title, hint) = (c.rota_form[0], c.rota_form[4]);
        super::render_hinted_form(frame, app, (areas.full, 12), title, hint, &self.editor);
    }
}
