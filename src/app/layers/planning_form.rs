//! The planning form of a case conference (`n` on F3, `p` in a case file) as a full-screen
//! layer: case, kind, question, start, duration, place and participants, with the live
//! clash check and proposals ([`check`]) at its end (docs/domain.md 4.2). It keeps a draft
//! (record 0) while it holds input.

mod case_ref;
mod check;

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::case_form::FOCUS_KEY;
use crate::action::Action;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::{self, RowEditor, RowItem};
use crate::app::screens::conf::{ConfView, staff_label};
use crate::app::{App, Screen};
use crate::domain::casefile::Guardian;
use crate::domain::conference::{ConferenceKind, Invitation, Participant, ParticipantRole};
use crate::domain::consent::DataCategory;
use crate::domain::datetime::{parse_duration_minutes, parse_german_instant};
use crate::domain::refusal::Refusal;
use crate::domain::text::sanitize;
use crate::domain::{Agency, CaseId, StaffId};
use crate::keymap::Context;
use crate::model::conference::NewConference;
use crate::model::draft::Draft;
use crate::storage::StorageError;
use crate::strings::conf::ConfField;
use crate::widgets::rows::render_rows;
pub use check::SlotCheck;

/// Registry name.
pub const NAME: &str = "planning-form";

/// Form name of its drafts (record 0).
pub const CONFERENCE_DRAFT: &str = "conference";

/// The open planning form.
#[derive(Debug)]
pub struct PlanningForm {
    /// Its rows.
    pub editor: RowEditor,
    /// The live check of the typed start, duration, people and room.
    pub check: SlotCheck,
    /// The start text for which a warning was acknowledged by a second save.
    pub acknowledged: Option<String>,
    /// The case the participant rows were built for.
    pub form_case: Option<i64>,
    /// What the case field refers to, as last checked.
    found: case_ref::CaseRef,
}

/// Opens the planning form, for `case` when it comes from a case file.
pub fn open(app: &mut App, case: Option<CaseId>) {
    let mut values = BTreeMap::new();
    if let Some(c) = case {
        values.insert("case_no".to_string(), c.0.to_string());
    }
    values.insert("duration".to_string(), "90".to_string());
    values.insert("yp".to_string(), "1".to_string());
    let mut form = PlanningForm::new(app, &values, false);
    if case.is_some() {
        form.editor.focus("question");
    }
    app.push(form);
}

/// Reopens a planning form from its draft.
pub fn restore(app: &mut App, draft: &Draft) -> bool {
    let form = PlanningForm::new(app, &draft.values, true);
    app.push(form);
    true
}

/// Opens a case file of the caseload and plans a conference for it, as `Enter` and `p` do.
pub fn example(app: &mut App) -> bool {
    if !super::open_first_case(app) {
        return false;
    }
    let case = app.cases.file.as_ref().map(|f| f.case().id);
    app.open_conference_form(case);
    app.has_layer::<PlanningForm>()
}

impl PlanningForm {
    /// The form on `values` (a draft when `restored`), checked; shown on the conference
    /// screen.
    fn new(app: &mut App, values: &BTreeMap<String, String>, restored: bool) -> PlanningForm {
        app.ensure_conf_staff();
        let mut form = PlanningForm {
            editor: RowEditor::default(),
            check: SlotCheck::default(),
            acknowledged: None,
            form_case: None,
            found: case_ref::CaseRef::Empty,
        };
        form.editor = RowEditor::new(form.rows(app, values));
        form.editor.dirty = restored;
        if let Some(k) = values.get(FOCUS_KEY) {
            form.editor.focus(k);
        }
        app.screen = Screen::Conferences;
        form.recheck(app);
        form
    }

    /// The case staff of the typed case number the viewer works on (the viewer first).
    fn case_staff(app: &App, case: Option<i64>) -> Vec<StaffId> {
        let mut out = vec![app.me.id];
        let Some(id) = case else {
            return out;
        };
        if let Ok(case) = app.store.load_case(&app.me, CaseId(id)) {
            for s in [case.jc_staff, case.ja_staff].into_iter().flatten() {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
        out
    }

    /// The case the form names.
    fn case_of(app: &App, values: &BTreeMap<String, String>) -> Option<i64> {
        case_ref::resolve(app, values.get("case_no").map_or("", String::as_str))
            .id()
            .map(|c| c.0)
    }

    /// The current custody holders of the case that the planner may read, and whether the
    /// young person is a minor today (as far as the planner may read the birth date).
    fn case_guardians(app: &App, case: Option<i64>) -> Vec<(Guardian, bool)> {
        let Some(id) = case else {
            return Vec::new();
        };
        let today = app.today();
        let Ok(view) = app.store.case_file(&app.me, CaseId(id), today) else {
            return Vec::new();
        };
        let birth = view.case.person.birth_date;
        let minor = !view.hidden.contains(&crate::domain::Field::BirthDate)
            && crate::domain::date::age_on(birth, today) < 18;
        view.guardians
            .unwrap_or_default()
            .into_iter()
            .filter(|g| g.ended_on.is_none())
            .map(|g| (g, minor))
            .collect()
    }

    /// The rows on `values`; the participant rows follow the case number.
    fn rows(&mut self, app: &App, values: &BTreeMap<String, String>) -> Vec<RowItem> {
        let s = app.strings.conf;
        let l = s.label;
        let get = |k: &str| values.get(k).map_or("", String::as_str);
        self.form_case = case_ref::resolve(app, get("case_no")).id().map(|c| c.0);
        let mut rows = vec![
            RowItem::line("case_no", l(ConfField::CaseNo), get("case_no")),
            RowItem::choice(
                "kind",
                l(ConfField::Kind),
                ConferenceKind::ALL
                    .iter()
                    .map(|k| (k.code().to_string(), (s.kind)(*k).to_string()))
                    .collect(),
                get("kind"),
            ),
            RowItem::text("question", l(ConfField::Question), get("question")),
            RowItem::line("start", l(ConfField::Start), get("start"))
                .with_placeholder(s.start_placeholder),
            RowItem::line("duration", l(ConfField::Duration), get("duration")),
            RowItem::line("location", l(ConfField::Location), get("location")),
            RowItem::heading(s.detail[0]),
        ];
        for id in PlanningForm::case_staff(app, self.form_case) {
            if let Some(st) = app.conf.staff.iter().find(|x| x.id == id) {
                let k = format!("p.{}", id.0);
                let v = if values.contains_key(&k) {
                    get(&k)
                } else {
                    "1"
                };
                rows.push(RowItem::tick(&k, &staff_label(st, app.strings), v));
            }
        }
        let mut others = vec![(String::new(), "–".to_string())];
        others.extend(
            app.conf
                .staff
                .iter()
                .filter(|x| x.may_see_cases() && x.id != app.me.id)
                .map(|x| (x.id.0.to_string(), staff_label(x, app.strings))),
        );
        rows.push(RowItem::choice(
            "other",
            l(ConfField::Other),
            others,
            get("other"),
        ));
        rows.push(RowItem::tick("yp", l(ConfField::YoungPerson), get("yp")));
        // The case's custody holders the planner may read (docs/casework.md § 4): invited by
        // default while the young person is under 18, never when "Kontakt gefährdet".
        for (g, minor) in PlanningForm::case_guardians(app, self.form_case) {
            let k = format!("g.{}", g.id);
            let v = if values.contains_key(&k) {
                get(&k)
            } else if minor && !g.do_not_contact {
                "1"
            } else {
                "0"
            };
            rows.push(RowItem::tick(
                &k,
                &(app.strings.casework.guardian_tick)(&sanitize(&g.name, false), g.do_not_contact),
                v,
            ));
        }
        rows.push(RowItem::line(
            "external",
            l(ConfField::External),
            get("external"),
        ));
        rows.push(RowItem::tick(
            "anonymised",
            l(ConfField::Anonymised),
            get("anonymised"),
        ));
        rows
    }

    /// Recomputes clashes, warnings and proposals and shows them in the form.
    fn recheck(&mut self, app: &App) {
        let values = self.editor.values();
        let found = case_ref::resolve(app, values.get("case_no").map_or("", String::as_str));
        if found.id().map(|c| c.0) != self.form_case {
            let rows = self.rows(app, &values);
            let dirty = self.editor.dirty;
            self.editor.replace_rows(rows);
            self.editor.dirty = dirty;
        }
        case_ref::place_case_rows(&mut self.editor, app, &found);
        self.found = found;
        self.check = check::slot_check(app, &values);
        check::place_check_rows(&mut self.editor, &self.check, app.strings.conf);
    }

    /// Back to the agenda.
    fn leave(app: &mut App) {
        app.conf.view = ConfView::Agenda;
    }

    /// Checks the fields (a clash must be acknowledged by saving again) and plans the
    /// conference.
    fn save(&mut self, app: &mut App) -> Outcome {
        let s = app.strings.conf;
        let values = self.editor.values();
        let get = |k: &str| values.get(k).map_or("", |v| v.trim());
        let mut errors: Vec<(String, String)> = Vec::new();
        let required =
            (app.strings.problem)(&crate::domain::validation::Problem::Required, app.strings);
        let case = self.found.id();
        let case_problem = match &self.found {
            case_ref::CaseRef::Found(_) => None,
            case_ref::CaseRef::Empty => Some(required.clone()),
            case_ref::CaseRef::UnknownNumber => Some(s.case_unknown.to_string()),
            case_ref::CaseRef::NoMatch => Some(s.case_no_match.to_string()),
            case_ref::CaseRef::Several(_, n) => Some((s.case_several)(*n)),
        };
        if let Some(p) = case_problem {
            errors.push(("case_no".into(), p));
        }
        if get("question").is_empty() {
            errors.push(("question".into(), required.clone()));
        }
        let now = app.local_now();
        let start = match get("start") {
            "" => None,
            // A time the clock change makes invalid is refused at the field, never moved
            // (docs/domain.md 7.1); the check offers the choices.
            t => match parse_german_instant(t, now) {
                Ok(x) => Some(x),
                Err(p) => {
                    errors.push(("start".into(), (s.datetime_problem)(&p)));
                    None
                }
            },
        };
        let duration = match get("duration") {
            "" => 90,
            d => parse_duration_minutes(d).unwrap_or_else(|p| {
                errors.push(("duration".into(), (s.datetime_problem)(&p)));
                90
            }),
        };
        if errors.is_empty()
            && start.is_some()
            && !self.check.warnings.is_empty()
            && self.acknowledged.as_deref() != Some(get("start"))
        {
            let first = self.check.warnings.first().cloned().unwrap_or_default();
            errors.push(("start".into(), format!("{first} {}", s.save_again)));
            self.acknowledged = Some(get("start").to_string());
        }
        if !errors.is_empty() {
            self.editor.set_errors(errors);
            app.set_status(app.strings.check_fields.to_string(), true);
            return Outcome::Keep;
        }
        let Some(case) = case else {
            return Outcome::Keep;
        };
        let new = NewConference {
            case_id: case,
            kind: ConferenceKind::from_code(get("kind")).unwrap_or(ConferenceKind::First),
            question: values.get("question").cloned().unwrap_or_default(),
            start: start.map(|(t, _)| t),
            duration_min: duration,
            location: get("location").to_string(),
            anonymised: get("anonymised") == "1",
            participants: participants(app, &values),
            topics: vec![DataCategory::MasterData],
        };
        let instant = start.map(|(_, i)| i);
        match app
            .store
            .plan_conference(&app.me, &new, instant, now.date(), &self.check.clash_keys)
        {
            Ok(id) => {
                app.forget_draft_of(CONFERENCE_DRAFT, 0);
                app.reload_conf();
                app.open_conference(id);
                app.set_status(s.saved.to_string(), false);
                Outcome::Close
            }
            Err(StorageError::Refused(r)) => {
                let at = match r {
                    Refusal::ConferenceNotCovered => "anonymised",
                    Refusal::Clash => {
                        // Show what was booked meanwhile; saving again books it knowingly.
                        self.recheck(app);
                        self.acknowledged = Some(get("start").to_string());
                        "start"
                    }
                    _ => "case_no",
                };
                let msg = app.refused(r);
                self.editor.set_errors(vec![(at.to_string(), msg)]);
                Outcome::Keep
            }
            Err(StorageError::NotFound) => {
                self.editor.set_errors(vec![(
                    "case_no".to_string(),
                    app.strings.not_found.to_string(),
                )]);
                app.set_status(app.strings.not_found.to_string(), true);
                Outcome::Keep
            }
            Err(e) => {
                app.report::<()>(Err(e));
                Outcome::Keep
            }
        }
    }
}

/// The invited: the ticked staff, the young person, one external person ("Name, Stelle").
fn participants(app: &App, values: &BTreeMap<String, String>) -> Vec<Participant> {
    let get = |k: &str| values.get(k).map_or("", |v| v.trim());
    let invited = |staff, external_name: &str, external_org: &str, agency, role| Participant {
        staff,
        external_name: external_name.to_string(),
        external_org: external_org.to_string(),
        agency,
        role,
        invitation: Invitation::Invited,
        attendance: None,
        guardian: None,
    };
    let mut out: Vec<Participant> = check::form_attendees(values)
        .into_iter()
        .filter_map(|id| app.conf.staff.iter().find(|x| x.id.0 == id))
        .map(|st| {
            let role = match st.agency {
                Agency::Jobcenter => ParticipantRole::Pap,
                Agency::Jugendamt => ParticipantRole::Asd,
            };
            invited(Some(st.id.0), "", "", Some(st.agency), role)
        })
        .collect();
    if get("yp") == "1" {
        out.push(invited(None, "", "", None, ParticipantRole::YoungPerson));
    }
    for (k, v) in values {
        let Some(id) = k.strip_prefix("g.").and_then(|x| x.parse::<i64>().ok()) else {
            continue;
        };
        if v != "1" {
            continue;
        }
        let name = PlanningForm::case_guardians(app, PlanningForm::case_of(app, values))
            .into_iter()
            .find(|(g, _)| g.id == id)
            .map(|(g, _)| g.name);
        if let Some(name) = name {
            let mut p = invited(None, &name, "", None, ParticipantRole::CustodyHolder);
            p.guardian = Some(id);
            out.push(p);
        }
    }
    let external = get("external");
    if !external.is_empty() {
        let (name, org) = external.split_once(',').unwrap_or((external, ""));
        out.push(invited(
            None,
            name.trim(),
            org.trim(),
            None,
            ParticipantRole::Other,
        ));
    }
    out
}

impl Layer for PlanningForm {
    fn name(&self) -> &'static str {
        NAME
    }

    fn contexts(&self) -> Vec<Context> {
        rows::contexts(Some(&self.editor))
    }

    fn takes_text(&self) -> bool {
        self.editor.takes_text()
    }

    fn input(&mut self, app: &mut App, key: KeyEvent) {
        self.editor.input(key);
        self.recheck(app);
    }

    fn paste(&mut self, app: &mut App, text: &str) {
        self.editor.paste(text);
        self.recheck(app);
    }

    fn update(&mut self, app: &mut App, action: Action) -> Outcome {
        if let Some(changed) = self.editor.navigate(action) {
            if changed.as_deref() == Some(case_ref::PICK) {
                // The chosen match's number goes into the case field.
                let id = self.editor.value(case_ref::PICK);
                if !id.is_empty()
                    && let Some(i) = self.editor.rows.iter().position(|r| r.key == "case_no")
                {
                    self.editor.rows[i] =
                        RowItem::line("case_no", app.strings.conf.label(ConfField::CaseNo), &id);
                    self.editor.focus("case_no");
                }
            }
            if let Some(k @ ("slot" | "clock")) = changed.as_deref() {
                let slot = self.editor.value(k);
                // Only the start row changes; the rest keeps its cursor.
                if !slot.is_empty()
                    && let Some(i) = self.editor.rows.iter().position(|r| r.key == "start")
                {
                    self.editor.rows[i] =
                        RowItem::line("start", app.strings.conf.label(ConfField::Start), &slot)
                            .with_placeholder(app.strings.conf.start_placeholder);
                    self.editor.focus("start");
                }
            }
            if changed.is_some() {
                self.recheck(app);
            }
            return Outcome::Keep;
        }
        match action {
            Action::Save => self.save(app),
            // Nothing typed (the stack asks first when there is).
            Action::Cancel => {
                PlanningForm::leave(app);
                Outcome::Close
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
        let values = self.editor.values_with_focus();
        Some(Draft::new(app.me.id, CONFERENCE_DRAFT, 0, values))
    }

    fn discard(&mut self, app: &mut App) {
        app.forget_draft_of(CONFERENCE_DRAFT, 0);
        PlanningForm::leave(app);
    }

    fn refresh(&mut self, app: &mut App) {
        // Another session may have booked the people or the room meanwhile.
        self.recheck(app);
    }

    fn field_text(&self) -> Option<String> {
        self.editor.focused_text()
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![
            Action::Save,
            Action::Cancel,
            Action::NextField,
            Action::ChoiceNext,
            Action::Help,
        ]
    }

    /// ```text
    /// Fallkonferenz planen (ungespeichert)
    /// ▶Fallnummer                     12▏
    ///  Art                            Erstkonferenz
    ///  …
    ///  ⚠ Frau Hegemann: Fortbildung 03.06. 08:00–16:00
    ///  Vorschläge                     – Vorschläge –
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let area = areas.body;
        frame.render_widget(Clear, area);
        let [title, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        let marker = if self.editor.dirty {
            app.strings.unsaved_marker
        } else {
            ""
        };
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!("{}{marker}", app.strings.conf.titles.form),
                app.theme.header(),
            )),
            title,
        );
        render_rows(frame, app.theme, &self.editor, body);
    }
}
