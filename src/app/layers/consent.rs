//! The consent form as a layer (`c` in a case file): recorded on the young person's case by
//! the caseworker or deputy; kept as a draft naming its case (docs/domain.md, consent).

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::boxed;
use crate::action::Action;
use crate::app::App;
use crate::app::consent_form::ConsentEditor;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::contexts;
use crate::domain::access::Relation;
use crate::domain::{CaseId, Field};
use crate::keymap::Context;
use crate::model::draft::Draft;
use crate::widgets::rows::render_rows;

/// Registry name, and the form name of its drafts (the record is the case).
pub const NAME: &str = "consent";

/// The consent being recorded.
#[derive(Debug)]
pub struct ConsentBox {
    /// The form.
    pub editor: ConsentEditor,
    /// The values it was opened with (dirty = changed since).
    initial: std::collections::BTreeMap<String, String>,
}

impl ConsentBox {
    fn new(app: &App, case: CaseId) -> ConsentBox {
        // Who may declare depends on the age: check with the real birth date even where
        // the partner's is withheld from the screen.
        let shown = app
            .cases
            .file
            .as_ref()
            .map(|f| f.case().person.birth_date)
            .unwrap_or_default();
        let birth = app
            .store()
            .load_case(&app.me, case)
            .map_or(shown, |c| c.person.birth_date);
        let editor = ConsentEditor::new(case, birth, app.me.agency, app.today(), app.strings);
        let initial = editor.values();
        ConsentBox { editor, initial }
    }
}

/// Opens the consent form on the open case file (`c`) for its caseworker or deputy.
pub fn open(app: &mut App) -> bool {
    let Some(view) = app.cases.file.as_ref().map(|f| &f.view) else {
        return false;
    };
    if !matches!(view.relation, Relation::Assigned | Relation::Deputy) {
        app.set_status(app.strings.read_only.to_string(), true);
        return false;
    }
    let layer = ConsentBox::new(app, view.case.id);
    app.push(layer);
    true
}

/// Reopens a consent being recorded when the session ended.
pub fn restore(app: &mut App, draft: &Draft) -> bool {
    let case = CaseId(draft.record_id);
    app.screen = crate::app::Screen::Cases;
    app.open_file(case);
    if app.cases.file.as_ref().is_none_or(|f| f.case().id != case) || !open(app) {
        return false;
    }
    if let Some(c) = app.layer_mut::<ConsentBox>() {
        c.editor.set_values(&draft.values);
        // It reopens where it was left, as every form does.
        if let Some(k) = draft.values.get(crate::app::FOCUS_KEY) {
            c.editor.rows.focus(k);
        }
    }
    true
}

/// Opens a case file of the caseload and the consent form on its "Beleg" row.
pub fn example(app: &mut App) -> bool {
    if !(super::open_first_case(app) && open(app)) {
        return false;
    }
    if let Some(c) = app.layer_mut::<ConsentBox>() {
        c.editor.rows.focus(Field::DocumentRef.code());
    }
    true
}

impl Layer for ConsentBox {
    fn name(&self) -> &'static str {
        NAME
    }

    fn contexts(&self) -> Vec<Context> {
        contexts(Some(&self.editor.rows))
    }

    fn takes_text(&self) -> bool {
        self.editor.rows.takes_text()
    }

    fn input(&mut self, _app: &mut App, key: KeyEvent) {
        self.editor.rows.input(key);
    }

    fn paste(&mut self, _app: &mut App, text: &str) {
        self.editor.rows.paste(text);
    }

    fn update(&mut self, app: &mut App, action: Action) -> Outcome {
        if self.editor.rows.navigate(action).is_some() {
            return Outcome::Keep;
        }
        match action {
            Action::Save => {
                let Some(consent) = self.editor.build(app.me.agency, app.today(), app.strings)
                else {
                    app.set_status(app.strings.check_fields.to_string(), true);
                    return Outcome::Keep;
                };
                let case = self.editor.case;
                match app.store.add_consent(&app.me, &consent) {
                    Ok(_) => {
                        app.forget_draft_of(NAME, case.0);
                        app.open_file(case);
                        app.set_status(app.strings.consent_saved.to_string(), false);
                        return Outcome::Close;
                    }
                    Err(e) => app.report::<()>(Err(e)),
                }
            }
            Action::Cancel => return Outcome::Close,
            _ => {}
        }
        Outcome::Keep
    }

    fn is_dirty(&self) -> bool {
        self.editor.values() != self.initial
    }

    fn draft(&self, app: &App) -> Option<Draft> {
        self.is_dirty().then(|| {
            let mut values = self.editor.values();
            if let Some(row) = self.editor.rows.current() {
                values.insert(crate::app::FOCUS_KEY.to_string(), row.key.clone());
            }
            Draft::new(app.me.id, NAME, self.editor.case.0, values)
        })
    }

    fn discard(&mut self, app: &mut App) {
        app.forget_draft_of(NAME, self.editor.case.0);
    }

    fn field_text(&self) -> Option<String> {
        self.editor.rows.focused_text()
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![
            Action::Save,
            Action::Cancel,
            Action::Toggle,
            Action::NextField,
        ]
    }

    /// ```text
    /// ┌ Einwilligung erfassen ─────────────────────────────────┐
    /// │ ↑/↓ Zeile, Leertaste an/aus bzw. wählen, Strg+S …      │
    /// │▶Status                         ◀ Erteilt ▶             │
    /// │ Erklärt durch                  junge Person            │
    /// │── Zwecke                                               │
    /// │ Fallkonferenz                  [x]                     │
    /// │ Beleg                                                  │
    /// │                                ⚠ Bitte ausfüllen.      │
    /// └────────────────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let area = areas.full;
        let s = app.strings;
        let inner = boxed(
            frame,
            app.theme,
            area,
            (
                area.width.saturating_sub(2).max(1),
                area.height.saturating_sub(2).max(1),
            ),
            s.consent_title,
        );
        let [hint, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
        frame.render_widget(
            Paragraph::new(Line::styled(s.consent_hint, app.theme.dim())),
            hint,
        );
        render_rows(frame, app.theme, &self.editor.rows, body);
    }
}
