//! The consent form as a layer (`c` in a case file): recorded on the young person's case by
//! the caseworker or deputy; kept as a draft naming its case (docs/domain.md, consent).

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::boxed;
use crate::action::Action;
use crate::app::App;
use crate::app::consent_form::{ConsentEditor, Row, STATUS_CHOICES};
use crate::app::layer::{Areas, Layer, Outcome};
use crate::domain::CaseId;
use crate::domain::access::Relation;
use crate::domain::consent::{ConsentForm, DeclaredBy, RepresentationReason};
use crate::keymap::Context;
use crate::model::draft::Draft;

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
        let editor = ConsentEditor::new(case, birth, app.me.agency, app.today());
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
    }
    true
}

/// Opens a case file of the caseload and the consent form on its "Beleg" row.
pub fn example(app: &mut App) -> bool {
    if !(super::open_first_case(app) && open(app)) {
        return false;
    }
    if let Some(c) = app.layer_mut::<ConsentBox>() {
        c.editor.cursor = c
            .editor
            .rows
            .iter()
            .position(|r| matches!(r, Row::Document(_)))
            .unwrap_or(0);
    }
    true
}

impl Layer for ConsentBox {
    fn name(&self) -> &'static str {
        NAME
    }

    fn contexts(&self) -> Vec<Context> {
        let field = if self.takes_text() {
            Context::Text
        } else {
            Context::Field
        };
        vec![field, Context::Form, Context::Global]
    }

    fn takes_text(&self) -> bool {
        self.editor.current().is_some_and(Row::takes_text)
    }

    fn input(&mut self, _app: &mut App, key: KeyEvent) {
        self.editor.input(key);
    }

    fn paste(&mut self, _app: &mut App, text: &str) {
        self.editor.paste(text);
    }

    fn update(&mut self, app: &mut App, action: Action) -> Outcome {
        match action {
            Action::NextField => self.editor.step(true),
            Action::PrevField => self.editor.step(false),
            Action::ChoiceNext | Action::Toggle => self.editor.toggle(true),
            Action::ChoicePrev => self.editor.toggle(false),
            Action::Save => {
                let Some(consent) = self.editor.build(app.me.agency, app.today()) else {
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
        self.is_dirty()
            .then(|| Draft::new(app.me.id, NAME, self.editor.case.0, self.editor.values()))
    }

    fn discard(&mut self, app: &mut App) {
        app.forget_draft_of(NAME, self.editor.case.0);
    }

    fn field_text(&self) -> Option<String> {
        self.editor.current_text()
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
    /// │ ▶ Status               ‹ Erteilt ›                     │
    /// │   Erklärt durch        ‹ junge Person ›                │
    /// │   Zwecke               [x] Fallkonferenz               │
    /// │                        ⚠ Bitte ausfüllen.               │
    /// └────────────────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let area = areas.full;
        let s = app.strings;
        let theme = app.theme;
        let editor = &self.editor;
        let inner = boxed(
            frame,
            area,
            area.width.saturating_sub(2).max(1),
            area.height.saturating_sub(2).max(1),
            s.consent_title,
        );
        let [hint, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
        frame.render_widget(
            Paragraph::new(Line::styled(s.consent_hint, theme.dim())),
            hint,
        );
        let mut lines: Vec<Line<'static>> = Vec::new();
        let mut cursor_line = 0;
        let mut last_field = None;
        for (i, row) in editor.rows.iter().enumerate() {
            let field = row.field();
            let label = if last_field == Some(field) {
                String::new()
            } else {
                (s.field)(field).to_string()
            };
            let tick = |b: bool| if b { "[x]" } else { "[ ]" };
            let value = match row {
                Row::Status(k) => format!("‹ {} ›", (s.consent_status)(STATUS_CHOICES[*k])),
                Row::DeclaredBy(k) => format!("‹ {} ›", (s.declared_by)(DeclaredBy::ALL[*k])),
                Row::Reason(r) => format!(
                    "‹ {} ›",
                    r.map_or(s.none, |k| (s.representation)(RepresentationReason::ALL[k]))
                ),
                Row::Insight(b) => format!("{} {}", tick(*b), s.yes_no[usize::from(!*b)]),
                Row::Form(k) => format!("‹ {} ›", (s.consent_form)(ConsentForm::ALL[*k])),
                Row::Purpose(p, b) => format!("{} {}", tick(*b), (s.purpose)(*p)),
                Row::Category(c, b) => format!("{} {}", tick(*b), (s.category)(*c)),
                Row::Recipient(a, b) => format!("{} {}", tick(*b), (s.agency)(*a)),
                Row::Info(k, b) => format!("{} {}", tick(*b), s.info_ticks[(*k).min(2)]),
                Row::SignedOn(a) | Row::Document(a) | Row::ValidFrom(a) | Row::ValidUntil(a) => {
                    let text = a.lines().join(" ");
                    if i == editor.cursor {
                        format!("{text}▏")
                    } else {
                        text
                    }
                }
            };
            let here = i == editor.cursor;
            if here {
                cursor_line = lines.len();
            }
            let marker = if here { "▶ " } else { "  " };
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{marker}{label:<22} "),
                    if here { theme.focus() } else { theme.label() },
                ),
                Span::styled(
                    value,
                    if here {
                        theme.selected()
                    } else {
                        ratatui::style::Style::new()
                    },
                ),
            ]));
            let next_field = editor.rows.get(i + 1).map(Row::field);
            if next_field != Some(field)
                && let Some(problem) = editor.error_at(field)
            {
                lines.push(Line::styled(
                    format!("  {:<22} ⚠ {}", "", (s.problem)(problem, s)),
                    theme.error(),
                ));
            }
            last_field = Some(field);
        }
        let height = usize::from(body.height.max(1));
        let scroll = cursor_line.saturating_sub(height.saturating_sub(2));
        frame.render_widget(
            Paragraph::new(lines).scroll((u16::try_from(scroll).unwrap_or(0), 0)),
            body,
        );
    }
}
