//! The conference screen (F3): the agenda and week view of conferences and other
//! appointments, and one conference with its agenda (docs/domain.md 4.2). The planning form,
//! the step menu and the step dialogs are layers (docs/architecture.md § 4):
//! `app/layers/planning_form.rs`, `conf_menu.rs` and `conf_dialog.rs`; the steps themselves
//! run in [`steps`].

mod steps;
pub use steps::StepOutcome;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use crate::action::Action;
use crate::app::App;
use crate::app::layers::conf_dialog::ConfDialog;
use crate::app::layers::conf_menu::ConfStepMenu;
use crate::app::layers::planning_form;
use crate::domain::access::Relation;
use crate::domain::conference::{ConferenceAction, ConferenceStatus, may_take};
use crate::domain::schedule::WorkingHours;
use crate::domain::schedule::{Appointment, AppointmentKind, week_of};
use crate::domain::{Agency, CaseId, Staff, tz};
use crate::model::conference::{AgendaMeasure, ConferenceRow};
use crate::strings::conf::{ConfField, ConfMenu, ConfStrings};

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
}

/// One line of the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgendaItem {
    /// A conference (index into `rows`).
    Conference(usize),
    /// Another appointment of the viewer (index into `mine`).
    Appointment(usize),
}

/// How far back the work list looks for minutes and approvals still outstanding.
const OPEN_WORK_DAYS: i64 = 365;

/// State of the conference screen.
#[derive(Debug, Default)]
pub struct ConfState {
    /// What is shown.
    pub view: ConfView,
    /// Conferences the viewer may see in the window.
    pub rows: Vec<ConferenceRow>,
    /// Other appointments of the viewer.
    pub mine: Vec<Appointment>,
    /// Agenda lines: first the work list (see `open_work`), then by start.
    pub items: Vec<AgendaItem>,
    /// How many of the first `items` are the work list: past conferences of the viewer
    /// whose minutes or approval are still outstanding, however long ago (#23).
    pub open_work: usize,
    /// Highlighted agenda line.
    pub cursor: usize,
    /// Monday of the week shown.
    pub week: Option<NaiveDate>,
    /// The open conference.
    pub detail: Option<ConferenceRow>,
    /// Its agenda: carried open measures, decisions of this conference.
    pub agenda: (Vec<AgendaMeasure>, Vec<AgendaMeasure>),
    /// Its structured minutes: agenda items, life areas, summary, addenda.
    pub minutes: crate::model::conference::MinutesView,
    /// Detail scroll.
    pub scroll: u16,
    /// Active staff (names for clashes and participants).
    pub staff: Vec<Staff>,
}

/// `Name (JC)`: a staff member as the planning form lists them.
pub(crate) fn staff_label(s: &Staff, strings: &crate::strings::Strings) -> String {
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
    /// Berlin local time now.
    pub(crate) fn local_now(&self) -> NaiveDateTime {
        tz::to_local(self.now())
    }

    /// Loads the active staff once (names for clashes and participants).
    pub(crate) fn ensure_conf_staff(&mut self) {
        if self.conf.staff.is_empty() {
            self.conf.staff = self.store.active_staff().unwrap_or_default();
        }
    }

    /// Reloads the agenda window (one week back, twelve weeks ahead, or the week shown).
    pub(crate) fn reload_conf(&mut self) {
        self.ensure_conf_staff();
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
        // The work list: held conferences of the viewer before the window whose minutes or
        // approval are outstanding join the rows, and all of them go first.
        let now = self.local_now();
        if let Ok(older) =
            self.store
                .conferences_for(&self.me, today - Duration::days(OPEN_WORK_DAYS), from)
        {
            for r in older {
                if !self.conf.rows.iter().any(|x| x.id == r.id) && self.is_open_work(&r, now) {
                    self.conf.rows.push(r);
                }
            }
        }
        let mut work: Vec<(Option<NaiveDateTime>, AgendaItem)> = Vec::new();
        let mut items: Vec<(Option<NaiveDateTime>, AgendaItem)> = Vec::new();
        for (i, r) in self.conf.rows.iter().enumerate() {
            if self.is_open_work(r, now) {
                work.push((r.start, AgendaItem::Conference(i)));
            } else {
                items.push((r.start, AgendaItem::Conference(i)));
            }
        }
        items.extend(
            self.conf
                .mine
                .iter()
                .enumerate()
                .map(|(i, a)| (Some(a.start), AgendaItem::Appointment(i))),
        );
        items.sort_by_key(|(t, _)| t.unwrap_or(NaiveDateTime::MAX));
        work.sort_by_key(|(t, _)| *t);
        self.conf.open_work = work.len();
        self.conf.items = work.into_iter().chain(items).map(|(_, i)| i).collect();
        // Start on the first item from today on (after the work list).
        if self.conf.cursor >= self.conf.items.len() || self.conf.cursor == 0 {
            self.conf.cursor = self
                .conf
                .items
                .iter()
                .enumerate()
                .position(|(n, it)| {
                    n >= self.conf.open_work
                        && self
                            .item_start(it)
                            .is_none_or(|t| t >= now - Duration::hours(2))
                })
                .unwrap_or(0);
        }
        if let Some(id) = self.conf.detail.as_ref().map(|d| d.id) {
            self.open_conference(id);
        }
    }

    /// Whether conference `r` is on the viewer's work list: held (it has taken place),
    /// minutes or approval outstanding, and the viewer took part or asked for it.
    fn is_open_work(&self, r: &ConferenceRow, now: NaiveDateTime) -> bool {
        let me = self.me.id.0;
        matches!(
            r.status,
            ConferenceStatus::Held | ConferenceStatus::MinutesDraft
        ) && r.start.is_none_or(|t| t <= now)
            && (r.requested_by == self.me.id
                || r.participants
                    .iter()
                    .any(|p| p.participant.staff == Some(me)))
    }

    /// Start of an agenda line.
    pub fn item_start(&self, item: &AgendaItem) -> Option<NaiveDateTime> {
        match item {
            AgendaItem::Conference(i) => self.conf.rows.get(*i).and_then(|r| r.start),
            AgendaItem::Appointment(i) => self.conf.mine.get(*i).map(|a| a.start),
        }
    }

    /// Opens conference `id` (its detail and agenda); back to the agenda when it is gone or
    /// no longer visible.
    pub fn open_conference(&mut self, id: i64) {
        match self.store.open_conference(&self.me, id) {
            Ok(row) => {
                self.conf.agenda = self
                    .store
                    .conference_agenda(&self.me, id)
                    .unwrap_or_default();
                self.conf.minutes = self
                    .store
                    .conference_minutes(&self.me, id)
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
    pub(crate) fn update_conf(&mut self, action: Action) {
        match self.conf.view {
            ConfView::Agenda | ConfView::Week => self.update_agenda(action),
            ConfView::Detail => match action {
                Action::Back => {
                    self.conf.detail = None;
                    self.conf.view = ConfView::Agenda;
                }
                Action::Up => self.conf.scroll = self.conf.scroll.saturating_sub(1),
                Action::Down => self.conf.scroll = self.conf.scroll.saturating_add(1).min(500),
                Action::PageUp => self.conf.scroll = self.conf.scroll.saturating_sub(10),
                Action::PageDown => self.conf.scroll = self.conf.scroll.saturating_add(10).min(500),
                Action::First => self.conf.scroll = 0,
                Action::StepMenu => ConfStepMenu::open(self),
                Action::Document => crate::app::layers::doc_menu::DocMenu::open(self),
                _ => {}
            },
        }
    }

    /// Keys on the agenda and the week view.
    fn update_agenda(&mut self, action: Action) {
        let last = self.conf.items.len().saturating_sub(1);
        match action {
            Action::Up => self.conf.cursor = self.conf.cursor.saturating_sub(1),
            Action::Down => self.conf.cursor = (self.conf.cursor + 1).min(last),
            Action::First => self.conf.cursor = 0,
            Action::Last => self.conf.cursor = last,
            Action::PageDown | Action::PageUp if self.conf.view == ConfView::Week => {
                let today = self.local_now().date();
                let monday = self.conf.week.unwrap_or_else(|| week_of(today).0);
                let step = if action == Action::PageDown { 7 } else { -7 };
                self.conf.week = Some(monday + Duration::days(step));
                self.reload_conf();
            }
            Action::PageDown => self.conf.cursor = (self.conf.cursor + 10).min(last),
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
            Action::NewCase => planning_form::open(self, None),
            _ => {}
        }
    }

    /// Opens the planning form for `case`, from a case file (`p`).
    pub(crate) fn open_conference_form(&mut self, case: Option<CaseId>) {
        planning_form::open(self, case);
    }

    /// Opens "Vereinbarung: Stand setzen" for the open case file (`v`).
    pub(crate) fn measure_state_from_file(&mut self) {
        ConfDialog::start(self, ConfMenu::MeasureDone);
    }

    /// The steps the open conference offers this person now.
    pub(crate) fn conf_menu_items(&self) -> Vec<ConfMenu> {
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
        // The agenda until the minutes are approved; addenda afterwards (docs/casework.md
        // § 4), by the case's staff.
        let worker = may_take(rel, ConferenceAction::Invite);
        if worker
            && !matches!(
                c.status,
                ConferenceStatus::MinutesApproved | ConferenceStatus::Cancelled
            )
        {
            v.push(ConfMenu::Agenda);
        }
        if worker && c.status == ConferenceStatus::MinutesApproved {
            v.push(ConfMenu::Addendum);
        }
        // The second approval is a participant's of the other Stelle, as for the minutes.
        if self
            .conf
            .minutes
            .addenda
            .iter()
            .any(|a| a.approved_second.is_none())
        {
            v.push(ConfMenu::ApproveAddendum);
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
}

impl ConfStrings {
    /// Label of a form or dialog field.
    pub fn label(&self, field: ConfField) -> &'static str {
        (self.label)(field)
    }
}

/// Conference settings of the site (`[conferences]` in the configuration; docs/casework.md
/// § 7).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct ConfSettings {
    /// The host part of the calendar files' UIDs (`conf-<id>@<host>`): the office's own
    /// domain, so that calendar programs keep the events of this site apart.
    pub uid_host: String,
    /// Working hours per Stelle (`jobcenter`, `jugendamt`): seven entries, Monday first,
    /// each `"08:00-16:00"` or `""` for a day without hours.
    pub working_hours: std::collections::BTreeMap<String, Vec<String>>,
    /// How much a calendar title says: `"neutral"` (default: "Fallkonferenz · Tandem
    /// K-17") or `"initials"` (the kind and the initials too; docs/data-exits.md).
    pub ics_titles: crate::domain::ics::IcsTitles,
}

impl Default for ConfSettings {
    fn default() -> Self {
        ConfSettings {
            uid_host: "tandem.herten.example".to_string(),
            working_hours: std::collections::BTreeMap::new(),
            ics_titles: crate::domain::ics::IcsTitles::Neutral,
        }
    }
}

/// The key of a Stelle under `working-hours`.
fn hours_key(stelle: Agency) -> &'static str {
    match stelle {
        Agency::Jobcenter => "jobcenter",
        Agency::Jugendamt => "jugendamt",
    }
}

/// One day's hours as written in the configuration ("08:00-16:00", "" for none).
fn day_hours(text: &str) -> Result<Option<(chrono::NaiveTime, chrono::NaiveTime)>, ()> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let (a, b) = t.split_once('-').ok_or(())?;
    let parse = |x: &str| chrono::NaiveTime::parse_from_str(x.trim(), "%H:%M").map_err(|_| ());
    let (open, close) = (parse(a)?, parse(b)?);
    if open >= close {
        return Err(());
    }
    Ok(Some((open, close)))
}

impl ConfSettings {
    /// The working hours of `stelle` (the default week where none are configured); Err
    /// names the Stelle whose entry cannot be read.
    pub fn hours(&self, stelle: Agency) -> Result<WorkingHours, String> {
        let Some(days) = self.working_hours.get(hours_key(stelle)) else {
            return Ok(WorkingHours::default());
        };
        if days.len() != 7 {
            return Err(hours_key(stelle).to_string());
        }
        let mut out = WorkingHours::default();
        for (i, d) in days.iter().enumerate() {
            out.days[i] = day_hours(d).map_err(|()| hours_key(stelle).to_string())?;
        }
        Ok(out)
    }

    /// Whether every entry can be read (checked when the configuration is loaded).
    pub fn check(&self) -> Result<(), String> {
        for key in self.working_hours.keys() {
            if !matches!(key.as_str(), "jobcenter" | "jugendamt") {
                return Err(key.clone());
            }
        }
        for a in [Agency::Jobcenter, Agency::Jugendamt] {
            self.hours(a)?;
        }
        if self.uid_host.trim().is_empty() || self.uid_host.contains(['@', ' ', '/']) {
            return Err("uid-host".to_string());
        }
        Ok(())
    }

    /// The hours in which a conference of people from `stelles` fits: each day the latest
    /// opening and the earliest closing of those Stellen (both, when none is named).
    pub fn hours_for(&self, stelles: &[Agency]) -> WorkingHours {
        let all = [Agency::Jobcenter, Agency::Jugendamt];
        let list: &[Agency] = if stelles.is_empty() { &all } else { stelles };
        let mut out: Option<WorkingHours> = None;
        for a in list {
            let h = self.hours(*a).unwrap_or_default();
            out = Some(match out {
                None => h,
                Some(mut acc) => {
                    for i in 0..7 {
                        acc.days[i] = match (acc.days[i], h.days[i]) {
                            (Some((o1, c1)), Some((o2, c2))) if o1.max(o2) < c1.min(c2) => {
                                Some((o1.max(o2), c1.min(c2)))
                            }
                            _ => None,
                        };
                    }
                    acc
                }
            });
        }
        out.unwrap_or_default()
    }
}
