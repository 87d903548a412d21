//! The note box of a case file (`o`): free text, optionally entrusted under § 65 SGB VIII
//! (Jugendamt only, docs/domain.md). Keeps a draft naming its case.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout};
use ratatui::widgets::{Paragraph, Wrap};

use super::boxed;
use crate::action::Action;
use crate::app::App;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::{RowEditor, RowItem};
use crate::domain::text::sanitize;
use crate::domain::{Agency, CaseId};
use crate::keymap::Context;
use crate::model::draft::Draft;
use crate::widgets::rows::render_rows;

/// Registry name, and the form name of its drafts (the record is the case).
pub const NAME: &str = "note";

/// Key of the text, in the form and in drafts.
const TEXT: &str = "text";

/// The note being written.
#[derive(Debug)]
pub struct NoteBox {
    /// The case.
    pub case: CaseId,
    /// The form: one multi-line text row without a label, drawn by the shared row widget.
    pub editor: RowEditor,
    /// Marked as entrusted (§ 65 SGB VIII; Jugendamt only).
    pub entrusted: bool,
}

impl NoteBox {
    /// A note for `case` holding `text`.
    pub fn new(case: CaseId, text: &str) -> NoteBox {
        NoteBox {
            case,
            editor: RowEditor::new(vec![RowItem::text(TEXT, "", text)]),
            entrusted: false,
        }
    }

    /// The text as typed.
    pub fn content(&self) -> String {
        self.editor.value(TEXT)
    }
}

/// Opens the note box on the open case file (`o`), if the person works on it.
pub fn open(app: &mut App) -> bool {
    let Some(case) = app.cases.file.as_ref().map(|f| f.case().id) else {
        return false;
    };
    app.push(NoteBox::new(case, ""));
    true
}

/// Reopens a note that was being written when the session ended.
pub fn restore(app: &mut App, draft: &Draft) -> bool {
    let case = CaseId(draft.record_id);
    app.screen = crate::app::Screen::Cases;
    app.open_file(case);
    if app.cases.file.as_ref().is_none_or(|f| f.case().id != case) {
        return false;
    }
    let mut note = NoteBox::new(case, draft.values.get(TEXT).map_or("", String::as_str));
    note.entrusted = draft.values.get("entrusted").is_some_and(|v| v == "true")
        && app.me.agency == Agency::Jugendamt;
    app.push(note);
    true
}

/// Opens a case file of the caseload and the note box, as `Enter` and `o` do.
pub fn example(app: &mut App) -> bool {
    super::open_first_case(app) && open(app)
}

impl Layer for NoteBox {
    fn name(&self) -> &'static str {
        NAME
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Note, Context::Global]
    }

    fn takes_text(&self) -> bool {
        true
    }

    fn input(&mut self, _app: &mut App, key: KeyEvent) {
        self.editor.input(key);
    }

    fn paste(&mut self, _app: &mut App, text: &str) {
        self.editor.paste(text);
    }

    fn update(&mut self, app: &mut App, action: Action) -> Outcome {
        match action {
            Action::Save => {
                let text = sanitize(self.content().trim(), true);
                if text.is_empty() {
                    return Outcome::Close;
                }
                match app
                    .store
                    .add_note(&app.me, self.case, &text, self.entrusted)
                {
                    Ok(()) => {
                        app.forget_draft_of(NAME, self.case.0);
                        app.open_file(self.case);
                        app.set_status(app.strings.note_saved.to_string(), false);
                        Outcome::Close
                    }
                    Err(e) => {
                        app.report::<()>(Err(e));
                        Outcome::Keep
                    }
                }
            }
            Action::ToggleEntrusted if app.me.agency == Agency::Jugendamt => {
                self.entrusted = !self.entrusted;
                Outcome::Keep
            }
            // Not dirty (the stack asks first when it is).
            Action::Cancel => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    fn is_dirty(&self) -> bool {
        !self.content().is_empty()
    }

    fn draft(&self, app: &App) -> Option<Draft> {
        if !self.is_dirty() {
            return None;
        }
        let values: BTreeMap<String, String> = [
            (TEXT.to_string(), self.content()),
            ("entrusted".to_string(), self.entrusted.to_string()),
        ]
        .into_iter()
        .collect();
        Some(Draft::new(app.me.id, NAME, self.case.0, values))
    }

    fn discard(&mut self, app: &mut App) {
        app.forget_draft_of(NAME, self.case.0);
    }

    fn field_text(&self) -> Option<String> {
        self.editor.focused_text()
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![Action::Save, Action::Cancel, Action::ToggleEntrusted]
    }

    /// ```text
    /// ┌ Notiz ───────────────────────────────────────┐
    /// │ Strg+S speichern, Esc abbrechen. Strg+T: § 65 │
    /// │ text…                                         │
    /// └───────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let s = app.strings;
        let area = areas.full;
        let title = if self.entrusted {
            format!("{} · {}", s.note_title, s.entrusted)
        } else {
            s.note_title.to_string()
        };
        let inner = boxed(
            frame,
            app.theme,
            area,
            (area.width.saturating_sub(4).max(1), 12),
            &title,
        );
        let [hint, text] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
        let allowed = app.me.agency == Agency::Jugendamt;
        frame.render_widget(
            Paragraph::new((s.note_hint)(allowed, self.entrusted))
                .wrap(Wrap { trim: true })
                .style(app.theme.dim()),
            hint,
        );
        render_rows(frame, app.theme, &self.editor, text);
    }
}
