//! The case form as a full-screen layer (new case `n`, edit `e`): the one place where a case
//! is typed. It keeps a draft with the base it was opened with, and a save that meets a
//! colleague's save merges per field or opens the conflict box (docs/architecture.md § 5).

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::conflict::ConflictBox;
use crate::action::Action;
use crate::app::App;
use crate::app::form::{CaseForm, DRAFT_FORM};
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::screens::cases::CasesView;
use crate::domain::{CaseId, Field};
use crate::keymap::Context;
use crate::model::draft::Draft;
use crate::storage::StorageError;
use crate::widgets::rows::render_rows;
use crate::widgets::wrap_words;

/// Registry name.
pub const NAME: &str = "case-form";

/// Key under which a draft remembers the focused field.
pub const FOCUS_KEY: &str = "__focus";

/// The open case form.
#[derive(Debug)]
pub struct CaseFormLayer {
    /// The form.
    pub form: CaseForm,
    /// While the conflict box is open: the draft as it was before the colleague's save
    /// was merged in, with the base the form was opened with. It is what the session
    /// keeps (and what a hang-up, idle lock or kill -9 leaves behind) until the person
    /// has chosen, so a restored draft meets the conflict again instead of saving over the
    /// colleague's value (#23 defect 3).
    pub unresolved: Option<Draft>,
}

impl CaseFormLayer {
    /// A form with nothing pending.
    pub fn new(form: CaseForm) -> CaseFormLayer {
        CaseFormLayer {
            form,
            unresolved: None,
        }
    }

    /// The person chose in the conflict box: the merged form is what they keep.
    pub fn conflict_chosen(&mut self, take: &[(Field, String)]) {
        self.form.apply_values(take);
        self.unresolved = None;
    }

    /// The person left the conflict box without choosing: the form goes back to their
    /// input on the base it was opened with, so the next save meets the conflict again.
    pub fn conflict_left(&mut self) {
        if let Some(before) = self.unresolved.take() {
            self.form.restore(&before);
        }
    }
}

/// Opens the form for a new case (`n`).
pub fn open_new(app: &mut App) -> bool {
    let (jc, ja) = app.caseworkers();
    let form = CaseForm::new_case(&app.me, &jc, &ja, app.today(), app.strings);
    app.push(CaseFormLayer::new(form));
    true
}

/// Opens the edit form of the open case file (`e`), if the person works on the case.
pub fn open_edit(app: &mut App) -> bool {
    match app.edit_form_for_file() {
        Some(form) => {
            app.push(CaseFormLayer::new(form));
            true
        }
        None => false,
    }
}

/// Reopens a case form from its draft; false when the case is gone or no longer visible.
pub fn restore(app: &mut App, draft: &Draft) -> bool {
    app.screen = crate::app::Screen::Cases;
    let form = if draft.record_id <= 0 {
        let (jc, ja) = app.caseworkers();
        let mut form = CaseForm::new_case(&app.me, &jc, &ja, app.today(), app.strings);
        form.draft_key = draft.record_id;
        Some(form)
    } else {
        match app.store.load_case(&app.me, CaseId(draft.record_id)) {
            Ok(case) => {
                // The same form as when editing: redacted, partner fields read-only.
                app.open_file(case.id);
                app.edit_form_for_file()
            }
            Err(e) => {
                app.report::<()>(Err(e));
                None
            }
        }
    };
    let Some(mut form) = form else {
        return false;
    };
    form.restore(draft);
    if let Some(focus) = draft
        .values
        .get(FOCUS_KEY)
        .and_then(|v| v.parse::<usize>().ok())
    {
        form.set_focus_index(focus);
    }
    app.push(CaseFormLayer::new(form));
    true
}

/// Opens the new-case form, as `n` does.
pub fn example(app: &mut App) -> bool {
    open_new(app)
}

impl CaseFormLayer {
    fn save(&mut self, app: &mut App) -> Outcome {
        let today = app.today();
        let Some(case) = self.form.build(today) else {
            app.set_status(app.strings.check_fields.to_string(), true);
            return Outcome::Keep;
        };
        let result = if self.form.is_new {
            app.store.create_case(&app.me, &case)
        } else {
            app.store.update_case(&app.me, &case).map(|()| case.id)
        };
        match result {
            Ok(id) => {
                app.forget_draft_of(DRAFT_FORM, self.form.draft_record());
                app.open_file(id);
                let res = app.cases.list.refresh(&app.store, &app.me, Some(id));
                app.report(res);
                let msg = if self.form.is_new {
                    app.strings.created
                } else {
                    app.strings.saved
                };
                app.set_status(msg.to_string(), false);
                Outcome::Close
            }
            Err(StorageError::Conflict { by, at }) => {
                let at = at.as_deref().and_then(crate::domain::tz::format_stored);
                let msg = (app.strings.conflict)(by.as_deref(), at.as_deref());
                // Rebase onto what this person may see of the stored case, never more.
                match app.store.case_file(&app.me, self.form.base.id, today) {
                    Ok(view) => {
                        let (jc, ja) = app.caseworkers();
                        let mut before = self.form.to_draft(app.me.id);
                        before
                            .values
                            .insert(FOCUS_KEY.to_string(), self.form.focus_index().to_string());
                        let conflicts = self.form.rebase(&view.case, view.hidden, &jc, &ja);
                        self.form.banner = Some(msg.clone());
                        if conflicts.is_empty() {
                            app.set_status(app.strings.conflict_merged.to_string(), false);
                        } else {
                            self.unresolved = Some(before);
                            app.set_status(msg, true);
                            app.push(ConflictBox {
                                conflicts,
                                by,
                                cursor: 0,
                            });
                        }
                    }
                    Err(e) => app.report::<()>(Err(e)),
                }
                Outcome::Keep
            }
            Err(e) => {
                tracing::warn!(error = %e, "save failed");
                let msg = if matches!(e, StorageError::NotFound) {
                    app.strings.not_found
                } else {
                    app.strings.save_failed
                };
                app.set_status(msg.to_string(), true);
                Outcome::Keep
            }
        }
    }

    /// Back to the list (new case) or to the stored state of the file, which may have
    /// changed meanwhile.
    fn leave(&self, app: &mut App) {
        if self.form.is_new || app.cases.file.is_none() {
            app.cases.view = CasesView::List;
        } else if let Some(id) = app.cases.file.as_ref().map(|f| f.case().id) {
            app.open_file(id);
        }
    }
}

impl Layer for CaseFormLayer {
    fn name(&self) -> &'static str {
        NAME
    }

    fn contexts(&self) -> Vec<Context> {
        self.form.contexts()
    }

    fn takes_text(&self) -> bool {
        self.form.takes_text()
    }

    fn input(&mut self, _app: &mut App, key: KeyEvent) {
        self.form.input(key);
    }

    fn paste(&mut self, _app: &mut App, text: &str) {
        self.form.paste(text);
    }

    fn update(&mut self, app: &mut App, action: Action) -> Outcome {
        if self.form.update(action) {
            return Outcome::Keep;
        }
        match action {
            Action::Save => return self.save(app),
            Action::Cancel => {
                self.leave(app);
                return Outcome::Close;
            }
            _ => {}
        }
        Outcome::Keep
    }

    fn is_dirty(&self) -> bool {
        self.form.is_dirty()
    }

    fn draft(&self, app: &App) -> Option<Draft> {
        if let Some(before) = &self.unresolved {
            return Some(before.clone());
        }
        self.form.is_dirty().then(|| {
            let mut d = self.form.to_draft(app.me.id);
            d.values
                .insert(FOCUS_KEY.to_string(), self.form.focus_index().to_string());
            d
        })
    }

    fn discard(&mut self, app: &mut App) {
        app.forget_draft_of(DRAFT_FORM, self.form.draft_record());
        self.leave(app);
    }

    fn field_text(&self) -> Option<String> {
        Some(self.form.focused_text())
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![
            Action::Save,
            Action::Cancel,
            Action::NextField,
            Action::ChoiceNext,
            Action::Toggle,
            Action::Help,
        ]
    }

    /// The title, a banner (a save conflict) if any, and the fields drawn by the one rows
    /// widget, which keeps the focused field in view on a small terminal.
    ///
    /// ```text
    /// Neuer Fall (ungespeichert)
    /// [conflict banner, if any]
    ///  Nachname                       Müller
    /// ▶Geburtsdatum                   31.02.2007▏
    ///                                 ⚠ Den 31.02.2007 gibt es nicht. …
    ///  Geschlecht                     ohne Angabe
    ///  Aktenzeichen JA                – (hier nicht änderbar)
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let (s, theme, area, form) = (app.strings, app.theme, areas.body, &self.form);
        frame.render_widget(Clear, area);
        let mut title = if form.is_new {
            s.new_case.to_string()
        } else {
            format!("{}: {}", s.edit_case, form.base.person.display_name())
        };
        if form.is_dirty() {
            title.push_str(s.unsaved_marker);
        }
        let banner_h = form.banner.as_ref().map_or(0, |b| {
            u16::try_from(wrap_words(b, usize::from(area.width.max(1))).len()).unwrap_or(u16::MAX)
        });
        let [title_area, banner_area, rows_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(banner_h),
            Constraint::Min(1),
        ])
        .areas(area);
        frame.render_widget(
            Paragraph::new(Line::styled(title, theme.header())),
            title_area,
        );
        if let Some(b) = &form.banner {
            frame.render_widget(
                Paragraph::new(Line::styled(b.clone(), theme.error())).wrap(Wrap { trim: true }),
                banner_area,
            );
        }
        render_rows(frame, theme, &form.editor, rows_area);
    }
}
