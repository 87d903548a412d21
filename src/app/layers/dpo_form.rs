//! The boxes of the DSB's screen (docs/dpo.md): the filter of the audit log (person, case
//! number, action, period) and the review of a break-glass access (justified or not, a
//! short comment). Short forms of the shared row engine without drafts: nothing in them
//! is case content, and a review half typed is simply typed again.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout};
use ratatui::widgets::{Paragraph, Wrap};

use super::boxed;
use crate::action::Action;
use crate::app::App;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::{RowEditor, RowItem, box_contexts};
use crate::domain::date::{format_german_date, parse_german_date};
use crate::domain::text::sanitize;
use crate::keymap::Context;
use crate::model::dpo::{AuditFilter, GrantLine, Verdict};

/// Registry name.
pub const NAME: &str = "dpo-form";

/// The audit actions the filter offers.
pub const ACTIONS: [&str; 12] = [
    "view",
    "create",
    "update",
    "delete",
    "export",
    "refused",
    "login",
    "login_refused",
    "logout",
    "transfer",
    "break_glass",
    "idle_lock",
];

/// What the box is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// The audit log's filter.
    Filter,
    /// The review of break-glass grant (id, login, case number).
    Review(i64, String, i64),
    /// An access request (Art. 15 DSGVO): whom it is about.
    Export,
}

/// A box of the DSB's screen.
#[derive(Debug)]
pub struct DpoForm {
    /// What it is for.
    pub purpose: Purpose,
    /// Its rows.
    pub editor: RowEditor,
}

impl DpoForm {
    /// The filter box, filled with the filter in force.
    pub fn filter(app: &App) -> DpoForm {
        let s = app.strings.dpo;
        let f = &app.dpo.filter;
        let mut staff = vec![(String::new(), s.all.to_string())];
        staff.extend(app.dpo.logins.iter().map(|l| (l.clone(), l.clone())));
        let mut actions = vec![(String::new(), s.all.to_string())];
        actions.extend(
            ACTIONS
                .iter()
                .map(|a| ((*a).to_string(), (s.action_label)(a))),
        );
        let day = |d: Option<chrono::NaiveDate>| d.map(format_german_date).unwrap_or_default();
        let rows = vec![
            RowItem::choice(
                "staff",
                s.filter_parts[0],
                staff,
                f.staff.as_deref().unwrap_or_default(),
            ),
            RowItem::line(
                "case",
                s.filter_parts[1],
                &f.case_no.map(|n| n.to_string()).unwrap_or_default(),
            ),
            RowItem::choice(
                "action",
                s.filter_parts[2],
                actions,
                f.action.as_deref().unwrap_or_default(),
            ),
            RowItem::line("from", s.filter_parts[3], &day(f.from))
                .with_placeholder(app.strings.date_hint),
            RowItem::line("to", s.filter_parts[4], &day(f.to))
                .with_placeholder(app.strings.date_hint),
        ];
        DpoForm {
            purpose: Purpose::Filter,
            editor: RowEditor::new(rows),
        }
    }

    /// The review box of `grant`, on "justified".
    pub fn review(app: &App, grant: &GrantLine) -> DpoForm {
        let s = app.strings.dpo;
        let verdicts = Verdict::ALL
            .iter()
            .zip(s.verdicts)
            .map(|(v, label)| (v.code().to_string(), label.to_string()))
            .collect();
        let rows = vec![
            RowItem::choice("verdict", s.review_labels[0], verdicts, "justified"),
            RowItem::line("comment", s.review_labels[1], "")
                .with_limit(crate::storage::dpo::COMMENT_MAX),
        ];
        DpoForm {
            purpose: Purpose::Review(grant.id, grant.login.clone(), grant.case_no),
            editor: RowEditor::new(rows),
        }
    }

    /// The Art. 15 box: surname, given names, birth date.
    pub fn export(app: &App) -> DpoForm {
        let s = app.strings.dpo;
        let rows = vec![
            RowItem::line("surname", s.export_labels[0], ""),
            RowItem::line("given", s.export_labels[1], ""),
            RowItem::line("birth", s.export_labels[2], "").with_placeholder(app.strings.date_hint),
        ];
        DpoForm {
            purpose: Purpose::Export,
            editor: RowEditor::new(rows),
        }
    }

    /// Applies the box; false (the problem at its row) when an entry cannot be read.
    fn apply(&mut self, app: &mut App) -> bool {
        match self.purpose.clone() {
            Purpose::Filter => {
                let s = app.strings.dpo;
                let v = |k: &str| sanitize(self.editor.value(k).trim(), false);
                let mut errors = Vec::new();
                let case = v("case");
                let case_no = if case.is_empty() {
                    None
                } else if let Ok(n) = case.parse::<i64>() {
                    Some(n)
                } else {
                    errors.push(("case".to_string(), s.bad_case_no.to_string()));
                    None
                };
                let mut day = |k: &str| {
                    let t = v(k);
                    if t.is_empty() {
                        return None;
                    }
                    parse_german_date(&t)
                        .map_err(|_| errors.push((k.to_string(), s.bad_date.to_string())))
                        .ok()
                };
                let from = day("from");
                let to = day("to");
                if !errors.is_empty() {
                    let msg = errors[0].1.clone();
                    self.editor.set_errors(errors);
                    app.set_status(msg, true);
                    return false;
                }
                let some = |t: String| (!t.is_empty()).then_some(t);
                app.dpo.filter = AuditFilter {
                    staff: some(v("staff")),
                    case_no,
                    action: some(v("action")),
                    from,
                    to,
                };
                app.dpo.cursor = 0;
                app.reload_dpo();
                true
            }
            Purpose::Export => self.export_files(app),
            Purpose::Review(id, _, _) => {
                let verdict =
                    Verdict::from_code(&self.editor.value("verdict")).unwrap_or(Verdict::Justified);
                let comment = sanitize(self.editor.value("comment").trim(), false);
                let me = app.me.clone();
                match app.store().review_grant(&me, id, verdict, &comment) {
                    Ok(()) => {
                        let label =
                            app.strings.dpo.verdicts[usize::from(verdict == Verdict::Unjustified)];
                        app.set_status((app.strings.dpo.reviewed)(label), false);
                        app.reload_dpo();
                        true
                    }
                    Err(e) => {
                        app.report::<()>(Err(e));
                        false
                    }
                }
            }
        }
    }
}

impl DpoForm {
    /// Makes the Art. 15 answer through the store (which refuses anyone but the DSB and
    /// logs the export without the name) and writes it as JSON and German text to
    /// `<database folder>/exports/auskunft-<Berlin time>.json|.txt`, mode 0600, atomically
    /// (generated names only: docs/architecture.md § 7).
    fn export_files(&mut self, app: &mut App) -> bool {
        let s = app.strings.dpo;
        let v = |k: &str| sanitize(self.editor.value(k).trim(), false);
        let (surname, given, birth) = (v("surname"), v("given"), v("birth"));
        if surname.is_empty() || given.is_empty() {
            let key = if surname.is_empty() {
                "surname"
            } else {
                "given"
            };
            self.editor
                .set_errors(vec![(key.to_string(), s.export_name_needed.to_string())]);
            app.set_status(s.export_name_needed.to_string(), true);
            return false;
        }
        let birth_date = if birth.is_empty() {
            None
        } else if let Ok(d) = parse_german_date(&birth) {
            Some(d)
        } else {
            self.editor
                .set_errors(vec![("birth".to_string(), s.bad_date.to_string())]);
            app.set_status(s.bad_date.to_string(), true);
            return false;
        };
        let Some(dir) = crate::files::export_dir(app.export_dir.as_deref(), app.store().path())
        else {
            app.set_status(s.export_no_folder.to_string(), true);
            return false;
        };
        let query = crate::model::subject::SubjectQuery {
            surname,
            given_names: given,
            birth_date,
        };
        let me = app.me.clone();
        let export = match app.store().subject_export(&me, &query) {
            Ok(e) => e,
            Err(e) => {
                app.report::<()>(Err(e));
                return false;
            }
        };
        let stamp = crate::domain::tz::to_local(app.now()).format("%Y%m%d-%H%M%S");
        let mut base = format!("auskunft-{stamp}");
        for n in 2..100 {
            if ["json", "txt", "pdf"]
                .iter()
                .all(|ext| !dir.join(format!("{base}.{ext}")).exists())
            {
                break;
            }
            base = format!("auskunft-{stamp}-{n}");
        }
        let json_path = dir.join(format!("{base}.json"));
        let text_path = dir.join(format!("{base}.txt"));
        let pdf_path = dir.join(format!("{base}.pdf"));
        // The answer as a tagged PDF too (docs/documents.md), German like the text.
        let pdf = crate::documents::render(&crate::documents::subject::access_answer(
            &export,
            &crate::documents::author(crate::strings::Strings::get(crate::strings::Lang::De), &me),
            crate::domain::tz::to_local(app.now()),
        ))
        .map_err(std::io::Error::other);
        let written = serde_json::to_string_pretty(&export)
            .map_err(std::io::Error::other)
            .and_then(|json| {
                use std::os::unix::fs::DirBuilderExt as _;
                std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(&dir)?;
                crate::export::write_private_atomically(&json_path, (json + "\n").as_bytes())?;
                crate::export::write_private_atomically(
                    &text_path,
                    export.to_german_text().as_bytes(),
                )?;
                crate::export::write_private_atomically(&pdf_path, &pdf?)
            });
        if let Err(e) = written {
            tracing::warn!(error = %e, "subject export not written");
            app.set_status(s.export_failed.to_string(), true);
            return false;
        }
        let shown = |p: &std::path::Path| sanitize(&p.display().to_string(), false);
        app.set_status(
            (s.exported)(
                &[shown(&json_path), shown(&text_path), shown(&pdf_path)],
                export.records.len(),
            ),
            false,
        );
        true
    }
}

/// Example (the Jobcenter's DSB): `/` on the DSB's screen opens the filter.
pub fn example(app: &mut App) -> bool {
    app.update(Action::ScreenDpo);
    app.update(Action::Filter);
    app.top_layer() == Some(NAME)
}

impl Layer for DpoForm {
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
            Action::Up => self.editor.step(false),
            Action::Down => self.editor.step(true),
            Action::Confirm | Action::Save if self.apply(app) => return Outcome::Close,
            Action::Deny | Action::Cancel => return Outcome::Close,
            _ => {
                self.editor.navigate(action);
            }
        }
        Outcome::Keep
    }

    fn is_dirty(&self) -> bool {
        match self.purpose {
            Purpose::Filter => false,
            Purpose::Review(..) => !self.editor.value("comment").trim().is_empty(),
            Purpose::Export => ["surname", "given", "birth"]
                .iter()
                .any(|k| !self.editor.value(k).trim().is_empty()),
        }
    }

    fn field_text(&self) -> Option<String> {
        self.editor.focused_text()
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![
            Action::NextField,
            Action::ChoiceNext,
            Action::Confirm,
            Action::Cancel,
        ]
    }

    /// ```text
    /// ┌ Notfallzugriff prüfen: brinkmann, Fall 12 ─────────────┐
    /// │ Kurz begründen, ohne Namen von Personen …               │
    /// │▶Bewertung                      ◀ berechtigt ▶           │
    /// │ Kommentar                                               │
    /// └─────────────────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let s = app.strings.dpo;
        let (title, hint, h) = match &self.purpose {
            Purpose::Filter => (s.filter_title.to_string(), "", 7),
            Purpose::Export => (s.export_title.to_string(), s.export_hint, 10),
            Purpose::Review(_, login, case) => (
                (s.review_title)(&sanitize(login, false), *case),
                s.review_hint,
                9,
            ),
        };
        let inner = boxed(frame, app.theme, areas.full, (72, h), &title);
        let hint_rows = match self.purpose {
            Purpose::Filter => 0,
            Purpose::Review(..) => 3,
            Purpose::Export => 4,
        };
        let [top, rows] =
            Layout::vertical([Constraint::Length(hint_rows), Constraint::Min(1)]).areas(inner);
        frame.render_widget(Paragraph::new(hint).wrap(Wrap { trim: false }), top);
        crate::widgets::rows::render_rows(frame, app.theme, &self.editor, rows);
    }
}
