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
            RowItem::line("comment", s.review_labels[1], ""),
        ];
        DpoForm {
            purpose: Purpose::Review(grant.id, grant.login.clone(), grant.case_no),
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
        self.editor.paste(&sanitize(text, true));
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
        matches!(self.purpose, Purpose::Review(..))
            && !self.editor.value("comment").trim().is_empty()
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
            Purpose::Review(_, login, case) => (
                (s.review_title)(&sanitize(login, false), *case),
                s.review_hint,
                9,
            ),
        };
        let inner = boxed(frame, areas.full, 72, h, &title);
        let hint_rows = if hint.is_empty() { 0 } else { 3 };
        let [top, rows] =
            Layout::vertical([Constraint::Length(hint_rows), Constraint::Min(1)]).areas(inner);
        frame.render_widget(Paragraph::new(hint).wrap(Wrap { trim: false }), top);
        crate::widgets::rows::render_rows(frame, app.theme, &self.editor, rows);
    }
}
