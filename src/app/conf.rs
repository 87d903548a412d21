//! The conference screen (F3): the agenda and week view of conferences and other
//! appointments, the planning form with live clash detection and proposals, and the
//! conference's steps (invite, held, minutes with decisions, approval, postpone, cancel,
//! iCalendar export, agreement states).

use std::collections::BTreeMap;
use std::os::unix::fs::DirBuilderExt as _;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use super::rows::{MenuKey, RowEditor, RowItem, menu_key};
use super::{App, Popup, Question, Screen};
use crate::action::Action;
use crate::domain::access::Relation;
use crate::domain::casefile::{MeasureStatus, Responsible};
use crate::domain::conference::{
    Attendance, ConferenceAction, ConferenceKind, ConferenceStatus, DecisionDraft, Invitation,
    Participant, ParticipantRole, may_take,
};
use crate::domain::consent::DataCategory;
use crate::domain::datetime::{parse_duration_minutes, parse_german_datetime};
use crate::domain::schedule::{
    Appointment, AppointmentKind, SlotRequest, WorkingHours, clashes, free_slots, slot_problems,
    week_of,
};
use crate::domain::{Agency, CaseId, Staff, StaffId, tz};
use crate::storage::StorageError;
use crate::storage::conferences::NewConference;
pub use crate::storage::conferences::{AgendaMeasure, ConferenceRow};
use crate::strings::conf::{ConfMenu, ConfStrings};

/// Name of the planning form in drafts (record 0).
pub const CONFERENCE_DRAFT: &str = "conference";
/// Name of the minutes dialog in drafts (record: the conference).
pub const MINUTES_DRAFT: &str = "minutes";

/// What the conference screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConfView {
    /// The list by day.
    #[default]
    Agenda,
    /// Seven days side by side.
    Week,
    /// One conference.
    Detail,
    /// The planning form.
    Form,
}

/// One line of the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgendaItem {
    /// A conference (index into `rows`).
    Conference(usize),
    /// Another appointment of the viewer (index into `mine`).
    Appointment(usize),
}

/// The result of the live check of the planning form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlotCheck {
    /// Messages: clashes and slot warnings (empty: all free).
    pub warnings: Vec<String>,
    /// Proposed free starts.
    pub slots: Vec<NaiveDateTime>,
    /// The parsed start and duration, when valid.
    pub parsed: Option<(NaiveDateTime, u32)>,
}

/// An open conference dialog.
#[derive(Debug)]
pub struct ConfDialog {
    /// Which step.
    pub item: ConfMenu,
    /// Its fields.
    pub editor: RowEditor,
}

/// State of the conference screen.
#[derive(Debug, Default)]
pub struct ConfState {
    /// What is shown.
    pub view: ConfView,
    /// Conferences the viewer may see in the window.
    pub rows: Vec<ConferenceRow>,
    /// Other appointments of the viewer.
    pub mine: Vec<Appointment>,
    /// Agenda lines, by start.
    pub items: Vec<AgendaItem>,
    /// Highlighted agenda line.
    pub cursor: usize,
    /// Monday of the week shown.
    pub week: Option<NaiveDate>,
    /// The open conference.
    pub detail: Option<ConferenceRow>,
    /// Its agenda: carried open measures, decisions of this conference.
    pub agenda: (Vec<AgendaMeasure>, Vec<AgendaMeasure>),
    /// Detail scroll.
    pub scroll: u16,
    /// The planning form.
    pub form: Option<RowEditor>,
    /// The live check of the form.
    pub check: SlotCheck,
    /// The start text for which a warning was acknowledged by a second save.
    pub acknowledged: Option<String>,
    /// The case the form's participant rows were built for.
    pub form_case: Option<i64>,
    /// Menu entries.
    pub menu: Vec<ConfMenu>,
    /// Highlighted menu entry.
    pub menu_cursor: usize,
    /// The open dialog.
    pub dialog: Option<ConfDialog>,
    /// Active staff (names for clashes and participants).
    pub staff: Vec<Staff>,
}

fn staff_label(s: &Staff, strings: &crate::strings::Strings) -> String {
    format!(
        "{} ({})",
        s.display_name(),
        (strings.agency_short)(s.agency)
    )
}

/// `Di 01.12.2026 10:30`.
pub fn format_slot(s: &ConfStrings, t: NaiveDateTime) -> String {
    let wd = s.weekdays[t.weekday().num_days_from_monday() as usize];
    format!("{wd} {}", t.format("%d.%m.%Y %H:%M"))
}

impl App {
    fn conf_strings(&self) -> &'static ConfStrings {
        self.strings.conf
    }

    fn local_now(&self) -> NaiveDateTime {
        tz::to_local(self.now())
    }

    /// Reloads the agenda window (one week back, twelve weeks ahead, or the week shown).
    pub(super) fn reload_conf(&mut self) {
        if self.conf.staff.is_empty() {
            self.conf.staff = self.store.active_staff().unwrap_or_default();
        }
        let today = self.local_now().date();
        let monday = self.conf.week.unwrap_or_else(|| week_of(today).0);
        let from = (today - Duration::days(7)).min(monday);
        let to = (today + Duration::days(84)).max(monday + Duration::days(6));
        match self.store.conferences_for(&self.me, from, to) {
            Ok(rows) => self.conf.rows = rows,
            Err(e) => self.report::<()>(Err(e)),
        }
        let me = self.me.id.0;
        match self.store.calendar_between(
            from.and_hms_opt(0, 0, 0).unwrap_or_default(),
            (to + Duration::days(1))
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default(),
        ) {
            Ok(apps) => {
                self.conf.mine = apps
                    .into_iter()
                    .filter(|a| a.kind != AppointmentKind::Conference && a.attendees.contains(&me))
                    .collect();
            }
            Err(e) => self.report::<()>(Err(e)),
        }
        let mut items: Vec<(Option<NaiveDateTime>, AgendaItem)> = self
            .conf
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.start, AgendaItem::Conference(i)))
            .collect();
        items.extend(
            self.conf
                .mine
                .iter()
                .enumerate()
                .map(|(i, a)| (Some(a.start), AgendaItem::Appointment(i))),
        );
        items.sort_by_key(|(t, _)| t.unwrap_or(NaiveDateTime::MAX));
        self.conf.items = items.into_iter().map(|(_, i)| i).collect();
        // Start on the first item from today on.
        if self.conf.cursor >= self.conf.items.len() || self.conf.cursor == 0 {
            let now = self.local_now();
            self.conf.cursor = self
                .conf
                .items
                .iter()
                .position(|it| {
                    self.item_start(it)
                        .is_none_or(|t| t >= now - Duration::hours(2))
                })
                .unwrap_or(0);
        }
        if let Some(id) = self.conf.detail.as_ref().map(|d| d.id) {
            self.open_conference(id);
        }
    }

    /// Start of an agenda line.
    pub fn item_start(&self, item: &AgendaItem) -> Option<NaiveDateTime> {
        match item {
            AgendaItem::Conference(i) => self.conf.rows.get(*i).and_then(|r| r.start),
            AgendaItem::Appointment(i) => self.conf.mine.get(*i).map(|a| a.start),
        }
    }

    fn open_conference(&mut self, id: i64) {
        match self.store.open_conference(&self.me, id) {
            Ok(row) => {
                self.conf.agenda = self
                    .store
                    .conference_agenda(&self.me, id)
                    .unwrap_or_default();
                self.conf.detail = Some(row);
                self.conf.view = ConfView::Detail;
            }
            Err(e) => {
                self.conf.detail = None;
                self.conf.view = ConfView::Agenda;
                self.report::<()>(Err(e));
            }
        }
    }

    /// Keys on the conference screen.
    pub(super) fn update_conf(&mut self, action: Action) {
        match self.conf.view {
            ConfView::Agenda | ConfView::Week => match action {
                Action::Up => self.conf.cursor = self.conf.cursor.saturating_sub(1),
                Action::Down => {
                    self.conf.cursor =
                        (self.conf.cursor + 1).min(self.conf.items.len().saturating_sub(1));
                }
                Action::First => self.conf.cursor = 0,
                Action::Last => self.conf.cursor = self.conf.items.len().saturating_sub(1),
                Action::PageDown | Action::PageUp if self.conf.view == ConfView::Week => {
                    let today = self.local_now().date();
                    let monday = self.conf.week.unwrap_or_else(|| week_of(today).0);
                    let step = if action == Action::PageDown { 7 } else { -7 };
                    self.conf.week = Some(monday + Duration::days(step));
                    self.reload_conf();
                }
                Action::PageDown => {
                    self.conf.cursor =
                        (self.conf.cursor + 10).min(self.conf.items.len().saturating_sub(1));
                }
                Action::PageUp => self.conf.cursor = self.conf.cursor.saturating_sub(10),
                Action::ToggleWeek => {
                    if self.conf.view == ConfView::Week {
                        self.conf.view = ConfView::Agenda;
                    } else {
                        // The week of the highlighted appointment (or this week).
                        let day = self
                            .conf
                            .items
                            .get(self.conf.cursor)
                            .and_then(|it| self.item_start(it))
                            .map_or_else(|| self.local_now().date(), |t| t.date());
                        self.conf.week = Some(week_of(day).0);
                        self.conf.view = ConfView::Week;
                        self.reload_conf();
                    }
                }
                Action::Open => {
                    if let Some(AgendaItem::Conference(i)) = self.conf.items.get(self.conf.cursor)
                        && let Some(id) = self.conf.rows.get(*i).map(|r| r.id)
                    {
                        self.conf.scroll = 0;
                        self.open_conference(id);
                    }
                }
                Action::NewCase => self.open_conference_form(None),
                _ => {}
            },
            ConfView::Detail => match action {
                Action::Back => {
                    self.conf.detail = None;
                    self.conf.view = ConfView::Agenda;
                }
                Action::Up => self.conf.scroll = self.conf.scroll.saturating_sub(1),
                Action::Down => self.conf.scroll = self.conf.scroll.saturating_add(1).min(500),
                Action::PageUp => self.conf.scroll = self.conf.scroll.saturating_sub(10),
                Action::PageDown => self.conf.scroll = self.conf.scroll.saturating_add(10).min(500),
                Action::StepMenu => self.open_conf_menu(),
                _ => {}
            },
            ConfView::Form => self.update_conf_form(action),
        }
    }

    /// Opens the planning form, for `case` when it comes from a case file.
    pub(super) fn open_conference_form(&mut self, case: Option<CaseId>) {
        let mut values = BTreeMap::new();
        if let Some(c) = case {
            values.insert("case_no".to_string(), c.0.to_string());
        }
        values.insert("duration".to_string(), "90".to_string());
        values.insert("yp".to_string(), "1".to_string());
        self.open_conference_form_with(&values, false);
        if case.is_some()
            && let Some(f) = self.conf.form.as_mut()
        {
            f.focus("question");
        }
    }

    /// Opens the planning form on `values` (a draft when `restored`).
    fn open_conference_form_with(&mut self, values: &BTreeMap<String, String>, restored: bool) {
        if self.conf.staff.is_empty() {
            self.conf.staff = self.store.active_staff().unwrap_or_default();
        }
        let rows = self.conf_rows(values);
        let mut editor = RowEditor::new(rows);
        editor.dirty = restored;
        if let Some(k) = values.get(super::FOCUS_KEY) {
            editor.focus(k);
        }
        self.conf.form = Some(editor);
        self.conf.acknowledged = None;
        self.screen = Screen::Conferences;
        self.conf.view = ConfView::Form;
        self.conf_recheck();
    }

    /// The draft of the planning form or of the minutes being written, if they hold input.
    pub(super) fn conference_draft(&self) -> Option<crate::storage::Draft> {
        let (form, record, editor) = if let Some(f) = self.conf.form.as_ref().filter(|f| f.dirty) {
            (CONFERENCE_DRAFT, 0, f)
        } else {
            let d = self
                .conf
                .dialog
                .as_ref()
                .filter(|d| d.item == ConfMenu::Minutes && d.editor.dirty)?;
            (MINUTES_DRAFT, self.conf.detail.as_ref()?.id, &d.editor)
        };
        let mut values = editor.values();
        if let Some(cur) = editor.current() {
            values.insert(super::FOCUS_KEY.to_string(), cur.key.clone());
        }
        Some(crate::storage::Draft {
            staff_id: self.me.id,
            form: form.to_string(),
            record_id: record,
            base_version: 0,
            base_person_version: 0,
            values,
            base_values: BTreeMap::new(),
            updated_at: String::new(),
        })
    }

    /// Reopens a planning form or minutes from a draft; false when its conference is gone.
    pub(super) fn restore_conference_draft(&mut self, draft: &crate::storage::Draft) -> bool {
        self.screen = Screen::Conferences;
        if draft.form == CONFERENCE_DRAFT {
            self.open_conference_form_with(&draft.values, true);
            return true;
        }
        self.open_conference(draft.record_id);
        if self.conf.detail.is_none() {
            return false;
        }
        self.start_conf_step(ConfMenu::Minutes);
        if let Some(d) = self.conf.dialog.as_mut() {
            d.editor.set_values(&draft.values);
            if let Some(k) = draft.values.get(super::FOCUS_KEY) {
                d.editor.focus(k);
            }
        }
        true
    }

    /// The case staff of the typed case number the viewer works on.
    fn form_case_staff(&self, values: &BTreeMap<String, String>) -> Vec<StaffId> {
        let Some(id) = values
            .get("case_no")
            .and_then(|v| v.trim().parse::<i64>().ok())
        else {
            return vec![self.me.id];
        };
        let mut out = vec![self.me.id];
        if let Ok(case) = self.store.load_case(&self.me, CaseId(id)) {
            for s in [case.jc_staff, case.ja_staff].into_iter().flatten() {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
        out
    }

    fn conf_rows(&mut self, values: &BTreeMap<String, String>) -> Vec<RowItem> {
        let s = self.conf_strings();
        let l = s.label;
        let get = |k: &str| values.get(k).map_or("", String::as_str);
        self.conf.form_case = get("case_no").trim().parse().ok();
        let mut rows = vec![
            RowItem::line("case_no", l("case_no"), get("case_no")),
            RowItem::choice(
                "kind",
                l("kind"),
                ConferenceKind::ALL
                    .iter()
                    .map(|k| (k.code().to_string(), (s.kind)(*k).to_string()))
                    .collect(),
                get("kind"),
            ),
            RowItem::text("question", l("question"), get("question")),
            RowItem::line("start", l("start"), get("start")),
            RowItem::line("duration", l("duration"), get("duration")),
            RowItem::line("location", l("location"), get("location")),
            RowItem::heading(self.strings.conf.detail[0]),
        ];
        for id in self.form_case_staff(values) {
            if let Some(st) = self.conf.staff.iter().find(|x| x.id == id) {
                let k = format!("p.{}", id.0);
                let v = if values.contains_key(&k) {
                    get(&k)
                } else {
                    "1"
                };
                rows.push(RowItem::tick(&k, &staff_label(st, self.strings), v));
            }
        }
        let mut others = vec![(String::new(), "–".to_string())];
        others.extend(
            self.conf
                .staff
                .iter()
                .filter(|x| x.may_see_cases() && x.id != self.me.id)
                .map(|x| (x.id.0.to_string(), staff_label(x, self.strings))),
        );
        rows.push(RowItem::choice("other", l("other"), others, get("other")));
        rows.push(RowItem::tick("yp", l("yp"), get("yp")));
        rows.push(RowItem::line("external", l("external"), get("external")));
        rows.push(RowItem::tick(
            "anonymised",
            l("anonymised"),
            get("anonymised"),
        ));
        rows
    }

    /// Recomputes clashes, warnings and proposals for the form and shows them in it.
    pub(super) fn conf_recheck(&mut self) {
        let Some(form) = self.conf.form.as_ref() else {
            return;
        };
        let values = form.values();
        // The participant rows follow the case number.
        let case: Option<i64> = values.get("case_no").and_then(|v| v.trim().parse().ok());
        if case != self.conf.form_case {
            let rows = self.conf_rows(&values);
            if let Some(f) = self.conf.form.as_mut() {
                let dirty = f.dirty;
                f.replace_rows(rows);
                f.dirty = dirty;
            }
        }
        let s = self.conf_strings();
        let now = self.local_now();
        let mut check = SlotCheck::default();
        let start_text = values.get("start").map_or("", |v| v.trim());
        let duration = match values.get("duration").map_or("", |v| v.trim()) {
            "" => Ok(90),
            d => parse_duration_minutes(d),
        };
        let attendees = App::form_attendees(&values);
        let room = values
            .get("location")
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        let start = if start_text.is_empty() {
            None
        } else {
            match parse_german_datetime(start_text, now) {
                Ok(t) => Some(t),
                Err(p) => {
                    check.warnings.push((s.datetime_problem)(&p));
                    None
                }
            }
        };
        if let Err(p) = &duration {
            check.warnings.push((s.datetime_problem)(p));
        }
        let minutes = duration.unwrap_or(90);
        let from = start.unwrap_or(now);
        let apps = self
            .store
            .calendar_between(from - Duration::days(1), from + Duration::days(60))
            .unwrap_or_default();
        let cal = self.cp_settings.calendar();
        let hours = WorkingHours::default();
        if let Some(t) = start {
            let end = t + Duration::minutes(i64::from(minutes));
            for c in clashes(t, end, &attendees, room.as_deref(), &apps, None) {
                let what = if c.title.is_empty() {
                    (s.appointment)(c.kind).to_string()
                } else {
                    c.title.clone()
                };
                let when = format!(
                    "{}–{}",
                    c.start.format("%d.%m. %H:%M"),
                    c.end.format("%H:%M")
                );
                let line = match (c.staff, &c.room) {
                    (Some(id), _) => {
                        let who = self
                            .conf
                            .staff
                            .iter()
                            .find(|x| x.id.0 == id)
                            .map_or_else(|| id.to_string(), Staff::display_name);
                        (s.clash)(&who, &what, &when)
                    }
                    (None, Some(r)) => (s.room_clash)(r, &what, &when),
                    (None, None) => continue,
                };
                if !check.warnings.contains(&line) {
                    check.warnings.push(line);
                }
            }
            for p in slot_problems(t, end, now, &cal, &hours) {
                check.warnings.push((s.slot_problem)(p));
            }
            check.parsed = Some((t, minutes));
        }
        if !check.warnings.is_empty() || start.is_none() {
            let mut req = SlotRequest::new(
                attendees,
                minutes,
                from.max(now),
                from.date() + Duration::days(42),
            );
            req.room = room;
            check.slots = free_slots(&req, &apps, &cal, &hours, 5);
        }
        self.conf.check = check;
        self.place_check_rows();
    }

    /// Puts the check's messages and proposals at the end of the form.
    fn place_check_rows(&mut self) {
        let s = self.conf_strings();
        let check = self.conf.check.clone();
        let Some(form) = self.conf.form.as_mut() else {
            return;
        };
        let key = form.current().map(|r| r.key.clone());
        form.rows
            .retain(|r| !r.key.starts_with("check.") && r.key != "slot");
        if check.parsed.is_some() && check.warnings.is_empty() {
            form.rows.push(RowItem::notice("check.ok", s.all_free));
        }
        for (i, w) in check.warnings.iter().enumerate() {
            form.rows
                .push(RowItem::notice(&format!("check.{i}"), &format!("⚠ {w}")));
        }
        if !check.slots.is_empty() {
            let mut opts = vec![(String::new(), format!("– {} –", s.proposals))];
            opts.extend(
                check
                    .slots
                    .iter()
                    .map(|t| (t.format("%d.%m.%Y %H:%M").to_string(), format_slot(s, *t))),
            );
            form.rows
                .push(RowItem::choice("slot", s.label("slot"), opts, ""));
        } else if check.parsed.is_none() || !check.warnings.is_empty() {
            form.rows
                .push(RowItem::notice("check.none", s.no_proposals));
        }
        if let Some(k) = key {
            form.focus(&k);
        }
    }

    fn form_attendees(values: &BTreeMap<String, String>) -> Vec<i64> {
        let mut out: Vec<i64> = values
            .iter()
            .filter(|(k, v)| k.starts_with("p.") && v.as_str() == "1")
            .filter_map(|(k, _)| k[2..].parse().ok())
            .collect();
        if let Some(o) = values.get("other").and_then(|v| v.parse::<i64>().ok())
            && !out.contains(&o)
        {
            out.push(o);
        }
        out
    }

    fn update_conf_form(&mut self, action: Action) {
        let Some(form) = self.conf.form.as_mut() else {
            return;
        };
        if let Some(changed) = form.navigate(action) {
            if changed.as_deref() == Some("slot") {
                let slot = form.value("slot");
                // Only the start row changes; the rest keeps its cursor.
                if !slot.is_empty()
                    && let Some(i) = form.rows.iter().position(|r| r.key == "start")
                {
                    form.rows[i] = RowItem::line("start", self.strings.conf.label("start"), &slot);
                    form.focus("start");
                }
            }
            if changed.is_some() {
                self.conf_recheck();
            }
            return;
        }
        match action {
            Action::Save => self.save_conference(),
            Action::Cancel => {
                if form.dirty {
                    self.push(super::Ask::new(Question::DiscardLegacy));
                } else {
                    self.close_conference_form();
                }
            }
            _ => {}
        }
    }

    /// Closes the planning form without saving.
    pub(super) fn close_conference_form(&mut self) {
        self.conf.form = None;
        self.conf.view = ConfView::Agenda;
    }

    fn save_conference(&mut self) {
        let s = self.conf_strings();
        let Some(form) = self.conf.form.as_ref() else {
            return;
        };
        let values = form.values();
        let get = |k: &str| values.get(k).map_or("", |v| v.trim());
        let mut errors: Vec<(String, String)> = Vec::new();
        let required =
            (self.strings.problem)(&crate::domain::validation::Problem::Required, self.strings);
        let case = get("case_no").parse::<i64>().ok().map(CaseId);
        if case.is_none() {
            errors.push(("case_no".into(), required.clone()));
        }
        if get("question").is_empty() {
            errors.push(("question".into(), required.clone()));
        }
        let now = self.local_now();
        let start = match get("start") {
            "" => None,
            t => match parse_german_datetime(t, now) {
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
            && !self.conf.check.warnings.is_empty()
            && self.conf.acknowledged.as_deref() != Some(get("start"))
        {
            let first = self
                .conf
                .check
                .warnings
                .first()
                .cloned()
                .unwrap_or_default();
            errors.push(("start".into(), format!("{first} {}", s.save_again)));
            self.conf.acknowledged = Some(get("start").to_string());
        }
        if !errors.is_empty() {
            if let Some(f) = self.conf.form.as_mut() {
                f.set_errors(errors);
            }
            self.set_status(self.strings.check_fields.to_string(), true);
            return;
        }
        let Some(case) = case else {
            return;
        };
        let mut participants: Vec<Participant> = App::form_attendees(&values)
            .into_iter()
            .filter_map(|id| self.conf.staff.iter().find(|x| x.id.0 == id))
            .map(|st| Participant {
                staff: Some(st.id.0),
                external_name: String::new(),
                external_org: String::new(),
                agency: Some(st.agency),
                role: match st.agency {
                    Agency::Jobcenter => ParticipantRole::Pap,
                    Agency::Jugendamt => ParticipantRole::Asd,
                },
                invitation: Invitation::Invited,
                attendance: None,
            })
            .collect();
        if get("yp") == "1" {
            participants.push(Participant {
                staff: None,
                external_name: String::new(),
                external_org: String::new(),
                agency: None,
                role: ParticipantRole::YoungPerson,
                invitation: Invitation::Invited,
                attendance: None,
            });
        }
        let external = get("external");
        if !external.is_empty() {
            let (name, org) = external.split_once(',').unwrap_or((external, ""));
            participants.push(Participant {
                staff: None,
                external_name: name.trim().to_string(),
                external_org: org.trim().to_string(),
                agency: None,
                role: ParticipantRole::Other,
                invitation: Invitation::Invited,
                attendance: None,
            });
        }
        let new = NewConference {
            case_id: case,
            kind: ConferenceKind::from_code(get("kind")).unwrap_or(ConferenceKind::First),
            question: values.get("question").cloned().unwrap_or_default(),
            start,
            duration_min: duration,
            location: get("location").to_string(),
            anonymised: get("anonymised") == "1",
            participants,
            topics: vec![DataCategory::MasterData],
        };
        match self.store.create_conference(&self.me, &new, now.date()) {
            Ok(id) => {
                self.conf.form = None;
                self.forget_draft_of(CONFERENCE_DRAFT, 0);
                self.reload_conf();
                self.open_conference(id);
                self.set_status(s.saved.to_string(), false);
            }
            Err(StorageError::StepRefused(code)) => {
                let msg = (s.refusal)(code).to_string();
                let at = if code == "not_covered" {
                    "anonymised"
                } else {
                    "case_no"
                };
                if let Some(f) = self.conf.form.as_mut() {
                    f.set_errors(vec![(at.to_string(), msg.clone())]);
                }
                self.set_status(msg, true);
            }
            Err(StorageError::NotFound) => {
                if let Some(f) = self.conf.form.as_mut() {
                    f.set_errors(vec![(
                        "case_no".to_string(),
                        self.strings.not_found.to_string(),
                    )]);
                }
                self.set_status(self.strings.not_found.to_string(), true);
            }
            Err(e) => self.report::<()>(Err(e)),
        }
    }

    fn conf_menu_items(&self) -> Vec<ConfMenu> {
        let Some(c) = self.conf.detail.as_ref() else {
            return Vec::new();
        };
        let mut v = Vec::new();
        match c.status {
            ConferenceStatus::Requested | ConferenceStatus::Postponed => v.push(ConfMenu::Postpone),
            ConferenceStatus::Scheduled => {
                v.extend([ConfMenu::Invite, ConfMenu::Postpone, ConfMenu::Cancel]);
            }
            ConferenceStatus::Invited => {
                v.extend([ConfMenu::Held, ConfMenu::Postpone, ConfMenu::Cancel]);
            }
            ConferenceStatus::Held => v.push(ConfMenu::Minutes),
            ConferenceStatus::MinutesDraft => v.extend([ConfMenu::Minutes, ConfMenu::Approve]),
            ConferenceStatus::MinutesApproved | ConferenceStatus::Cancelled => {}
        }
        // Only the steps the store takes from this person (a team lead: "Absagen" alone).
        let rel = self
            .store
            .conference_relation(&self.me, c.case_id)
            .unwrap_or(Relation::None);
        v.retain(|m| match m {
            ConfMenu::Invite => may_take(rel, ConferenceAction::Invite),
            ConfMenu::Held => may_take(rel, ConferenceAction::MarkHeld),
            ConfMenu::Postpone if c.status == ConferenceStatus::Requested => {
                may_take(rel, ConferenceAction::Schedule)
            }
            ConfMenu::Postpone => may_take(rel, ConferenceAction::Postpone),
            ConfMenu::Cancel => may_take(rel, ConferenceAction::Cancel),
            _ => true,
        });
        if !c.participants.is_empty() && c.status != ConferenceStatus::MinutesApproved {
            v.push(ConfMenu::Participation);
        }
        if c.start.is_some() {
            v.push(ConfMenu::Export);
        }
        let open = self
            .conf
            .agenda
            .0
            .iter()
            .chain(self.conf.agenda.1.iter())
            .any(|m| !m.measure.status.is_final());
        if open {
            v.push(ConfMenu::MeasureDone);
        }
        v
    }

    fn open_conf_menu(&mut self) {
        let items = self.conf_menu_items();
        if items.is_empty() {
            self.set_status(self.strings.cp.no_steps.to_string(), false);
            return;
        }
        self.conf.menu = items;
        self.conf.menu_cursor = 0;
        self.popup = Some(Popup::ConfMenu);
    }

    /// Keys in the conference menu.
    pub(super) fn update_conf_menu(&mut self, action: Action) {
        match menu_key(&mut self.conf.menu_cursor, self.conf.menu.len(), action) {
            MenuKey::Moved => {}
            MenuKey::Closed => self.popup = None,
            MenuKey::Chosen(i) => {
                self.popup = None;
                if let Some(item) = self.conf.menu.get(i).copied() {
                    self.start_conf_step(item);
                }
            }
        }
    }

    pub(super) fn start_conf_step(&mut self, item: ConfMenu) {
        let s = self.conf_strings();
        let l = s.label;
        let rows = match item {
            ConfMenu::Invite | ConfMenu::Held | ConfMenu::Approve | ConfMenu::Export => {
                self.run_conf_step(item, &BTreeMap::new());
                return;
            }
            ConfMenu::Postpone => vec![
                RowItem::line("start", l("start"), ""),
                RowItem::line("reason", l("reason"), ""),
            ],
            ConfMenu::Cancel => vec![RowItem::line("reason", l("reason"), "")],
            ConfMenu::Minutes => {
                let text = self
                    .conf
                    .detail
                    .as_ref()
                    .map(|d| d.minutes.clone())
                    .unwrap_or_default();
                let mut rows = vec![RowItem::text("minutes", l("minutes"), &text)];
                let resp = self.responsible_options();
                for i in 0..3 {
                    rows.push(RowItem::heading(&(s.decision)(i + 1)));
                    rows.push(RowItem::line(&format!("d{i}.text"), l("text"), ""));
                    rows.push(RowItem::choice(
                        &format!("d{i}.resp"),
                        l("resp"),
                        resp.clone(),
                        "",
                    ));
                    rows.push(RowItem::line(&format!("d{i}.due"), l("due"), ""));
                }
                rows
            }
            ConfMenu::Participation => {
                let Some(c) = self.conf.detail.as_ref() else {
                    return;
                };
                let held = !matches!(
                    c.status,
                    ConferenceStatus::Requested
                        | ConferenceStatus::Scheduled
                        | ConferenceStatus::Invited
                        | ConferenceStatus::Postponed
                );
                c.participants
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let name = if p.participant.role == ParticipantRole::YoungPerson {
                            s.young_person.to_string()
                        } else {
                            p.name.clone()
                        };
                        if held {
                            RowItem::choice(
                                &format!("att.{i}"),
                                &name,
                                Attendance::ALL
                                    .iter()
                                    .map(|a| (a.code().to_string(), (s.attendance)(*a).to_string()))
                                    .collect(),
                                p.participant.attendance.map_or("present", Attendance::code),
                            )
                        } else {
                            RowItem::choice(
                                &format!("inv.{i}"),
                                &name,
                                Invitation::ALL
                                    .iter()
                                    .map(|a| (a.code().to_string(), (s.invitation)(*a).to_string()))
                                    .collect(),
                                p.participant.invitation.code(),
                            )
                        }
                    })
                    .collect()
            }
            ConfMenu::MeasureDone => {
                let measures: Vec<(String, String)> = if self.screen == Screen::Cases {
                    self.file
                        .as_ref()
                        .map(|f| {
                            f.view
                                .measures
                                .iter()
                                .filter(|m| !m.status.is_final())
                                .map(|m| (m.id.to_string(), m.text.clone()))
                                .collect()
                        })
                        .unwrap_or_default()
                } else {
                    self.conf
                        .agenda
                        .0
                        .iter()
                        .chain(self.conf.agenda.1.iter())
                        .filter(|m| !m.measure.status.is_final())
                        .map(|m| (m.measure.id.to_string(), m.measure.text.clone()))
                        .collect()
                };
                if measures.is_empty() {
                    self.set_status(self.strings.cp.no_steps.to_string(), false);
                    return;
                }
                vec![
                    RowItem::choice("measure", l("measure"), measures, ""),
                    RowItem::choice(
                        "status",
                        l("status"),
                        MeasureStatus::ALL
                            .iter()
                            .map(|m| (m.code().to_string(), (s.measure_status)(*m).to_string()))
                            .collect(),
                        "done",
                    ),
                    RowItem::line("result", l("result"), ""),
                ]
            }
        };
        self.conf.dialog = Some(ConfDialog {
            item,
            editor: RowEditor::new(rows),
        });
        self.popup = Some(Popup::ConfDialog);
    }

    fn responsible_options(&self) -> Vec<(String, String)> {
        let mut v = vec![(String::new(), "–".to_string())];
        if let Some(d) = self.conf.detail.as_ref() {
            for p in &d.participants {
                if let (Some(id), Some(a)) = (p.participant.staff, p.participant.agency) {
                    v.push((format!("staff:{}:{id}", a.code()), p.name.clone()));
                }
            }
        }
        v.push((
            "young_person".to_string(),
            self.strings.conf.young_person.to_string(),
        ));
        v
    }

    /// Keys in a conference dialog.
    pub(super) fn update_conf_dialog(&mut self, action: Action) {
        let Some(dialog) = self.conf.dialog.as_mut() else {
            self.popup = None;
            return;
        };
        if dialog.editor.navigate(action).is_some() {
            return;
        }
        match action {
            Action::Cancel => {
                if let Some(id) = self.conf.detail.as_ref().map(|d| d.id)
                    && self
                        .conf
                        .dialog
                        .as_ref()
                        .is_some_and(|d| d.item == ConfMenu::Minutes)
                {
                    self.forget_draft_of(MINUTES_DRAFT, id);
                }
                self.conf.dialog = None;
                self.popup = None;
            }
            Action::Save => {
                let item = dialog.item;
                let values = dialog.editor.values();
                if self.run_conf_step(item, &values) {
                    self.conf.dialog = None;
                    self.popup = None;
                }
            }
            _ => {}
        }
    }

    fn dialog_errors(&mut self, errors: Vec<(String, String)>) {
        if let Some(d) = self.conf.dialog.as_mut() {
            d.editor.set_errors(errors);
        }
    }

    fn run_conf_step(&mut self, item: ConfMenu, values: &BTreeMap<String, String>) -> bool {
        let s = self.conf_strings();
        if item == ConfMenu::MeasureDone && self.screen == Screen::Cases {
            return self.set_measure_from_file(values);
        }
        let Some(c) = self.conf.detail.clone() else {
            return false;
        };
        let now = self.now();
        let local = self.local_now();
        let get = |k: &str| values.get(k).map_or("", |v| v.trim());
        let me = self.me.clone();
        let res: Result<(), StorageError> = match item {
            ConfMenu::Invite => self.store.conference_step(
                &me,
                c.id,
                c.version,
                ConferenceAction::Invite,
                None,
                "",
                now,
            ),
            ConfMenu::Held => self.store.conference_step(
                &me,
                c.id,
                c.version,
                ConferenceAction::MarkHeld,
                None,
                "",
                now,
            ),
            ConfMenu::Cancel => self.store.conference_step(
                &me,
                c.id,
                c.version,
                ConferenceAction::Cancel,
                None,
                get("reason"),
                now,
            ),
            ConfMenu::Postpone => match parse_german_datetime(get("start"), local) {
                Ok(t) => {
                    let action = if c.status == ConferenceStatus::Requested {
                        ConferenceAction::Schedule
                    } else {
                        ConferenceAction::Postpone
                    };
                    self.store.conference_step(
                        &me,
                        c.id,
                        c.version,
                        action,
                        Some(t),
                        get("reason"),
                        now,
                    )
                }
                Err(p) => {
                    self.dialog_errors(vec![("start".into(), (s.datetime_problem)(&p))]);
                    return false;
                }
            },
            ConfMenu::Approve => self
                .store
                .approve_minutes(&me, c.id, c.version, now)
                .map(|_| ()),
            ConfMenu::Minutes => {
                let mut decisions = Vec::new();
                let mut errors = Vec::new();
                for i in 0..3 {
                    let text = get(&format!("d{i}.text"));
                    let resp = get(&format!("d{i}.resp"));
                    let due = get(&format!("d{i}.due"));
                    if text.is_empty() && resp.is_empty() && due.is_empty() {
                        continue;
                    }
                    let responsible = parse_responsible(resp);
                    if text.is_empty() {
                        errors.push((format!("d{i}.text"), self.required()));
                    }
                    if responsible.is_none() {
                        errors.push((format!("d{i}.resp"), self.required()));
                    }
                    let due_on = match crate::domain::date::parse_german_date(due) {
                        Ok(d) => Some(d),
                        Err(p) => {
                            errors.push((
                                format!("d{i}.due"),
                                (self.strings.problem)(&p, self.strings),
                            ));
                            None
                        }
                    };
                    decisions.push(DecisionDraft {
                        text: text.to_string(),
                        responsible,
                        due_on,
                    });
                }
                if !errors.is_empty() {
                    self.dialog_errors(errors);
                    return false;
                }
                let minutes = values.get("minutes").cloned().unwrap_or_default();
                self.store
                    .save_minutes(&me, c.id, c.version, &minutes, &decisions, now)
            }
            ConfMenu::MeasureDone => {
                let Some(id) = values.get("measure").and_then(|v| v.parse::<i64>().ok()) else {
                    return false;
                };
                let status = MeasureStatus::from_code(get("status")).unwrap_or(MeasureStatus::Done);
                self.store
                    .set_measure_status(&me, id, status, get("result"), now)
            }
            ConfMenu::Export => return self.export_conference(c.id),
            ConfMenu::Participation => {
                let answers: Vec<(Invitation, Option<Attendance>)> = c
                    .participants
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let inv = Invitation::from_code(get(&format!("inv.{i}")))
                            .unwrap_or(p.participant.invitation);
                        let att = Attendance::from_code(get(&format!("att.{i}")))
                            .or(p.participant.attendance);
                        (inv, att)
                    })
                    .collect();
                self.store
                    .set_participation(&me, c.id, c.version, &answers, now)
            }
        };
        match res {
            Ok(()) => {
                self.reload_conf();
                self.open_conference(c.id);
                self.set_status(self.strings.cp.done.to_string(), false);
                true
            }
            Err(StorageError::StepRefused(code)) => {
                let msg = (s.refusal)(code).to_string();
                if self.conf.dialog.is_some() {
                    let key = self
                        .conf
                        .dialog
                        .as_ref()
                        .and_then(|d| d.editor.rows.first())
                        .map(|r| r.key.clone())
                        .unwrap_or_default();
                    self.dialog_errors(vec![(key, msg.clone())]);
                }
                self.set_status(msg, true);
                false
            }
            Err(e) => {
                self.report::<()>(Err(e));
                self.reload_conf();
                false
            }
        }
    }

    /// "Vereinbarung: Stand setzen" from the case file: the same row the conference agendas
    /// read, so both show the new state.
    fn set_measure_from_file(&mut self, values: &BTreeMap<String, String>) -> bool {
        let get = |k: &str| values.get(k).map_or("", |v| v.trim());
        let Some(id) = get("measure").parse::<i64>().ok() else {
            return false;
        };
        let status = MeasureStatus::from_code(get("status")).unwrap_or(MeasureStatus::Done);
        let me = self.me.clone();
        match self
            .store
            .set_measure_status(&me, id, status, get("result"), self.now())
        {
            Ok(()) => {
                if let Some(case) = self.file.as_ref().map(|f| f.case().id) {
                    let scroll = self.file.as_ref().map_or(0, |f| f.scroll);
                    self.open_file(case);
                    if let Some(f) = self.file.as_mut() {
                        f.scroll = scroll;
                    }
                }
                self.set_status(self.strings.cp.done.to_string(), false);
                true
            }
            Err(StorageError::StepRefused(code)) => {
                let msg = (self.conf_strings().refusal)(code).to_string();
                self.dialog_errors(vec![("result".to_string(), msg.clone())]);
                self.set_status(msg, true);
                false
            }
            Err(e) => {
                self.report::<()>(Err(e));
                false
            }
        }
    }

    /// Opens "Vereinbarung: Stand setzen" for the open case file.
    pub(super) fn measure_state_from_file(&mut self) {
        self.start_conf_step(ConfMenu::MeasureDone);
    }

    fn required(&self) -> String {
        (self.strings.problem)(&crate::domain::validation::Problem::Required, self.strings)
    }

    /// Writes the conference's invitation to `$TANDEM_DATA/export/konferenz-<id>.ics`.
    fn export_conference(&mut self, id: i64) -> bool {
        let res = crate::export::conferences_ics(
            &self.store,
            &self.me,
            crate::export::Selection::One(id),
            self.now(),
            EXPORT_HOST,
        );
        match res {
            Ok(export) => {
                let dir = crate::config::data_dir().join("export");
                let path = dir.join(format!("konferenz-{id}.ics"));
                let written = std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(&dir)
                    .and_then(|()| {
                        crate::export::write_private_atomically(&path, export.text.as_bytes())
                    });
                match written {
                    Ok(()) => {
                        self.set_status(
                            (self.conf_strings().exported)(&path.display().to_string()),
                            false,
                        );
                        true
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "export not written");
                        self.set_status(self.strings.save_failed.to_string(), true);
                        false
                    }
                }
            }
            Err(StorageError::StepRefused(code)) => {
                self.set_status((self.conf_strings().refusal)(code).to_string(), true);
                false
            }
            Err(e) => {
                self.report::<()>(Err(e));
                false
            }
        }
    }
}

/// Host part of the iCalendar UIDs.
const EXPORT_HOST: &str = "tandem.herten.example";

/// `staff:jc:12` or `young_person`.
fn parse_responsible(code: &str) -> Option<Responsible> {
    if code == "young_person" {
        return Some(Responsible::YoungPerson);
    }
    let mut parts = code.split(':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("staff"), Some(a), Some(id)) => Some(Responsible::Staff(
            Agency::from_code(a)?,
            StaffId(id.parse().ok()?),
        )),
        _ => None,
    }
}

impl ConfStrings {
    /// Label of a form key.
    pub fn label(&self, key: &str) -> &'static str {
        (self.label)(key)
    }
}
