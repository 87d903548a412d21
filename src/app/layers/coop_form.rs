//! The planning forms of F5 Kooperation (docs/cooperation.md § 6): the year's plenary,
//! a decision, a meeting, a training, a hospitation and a version of the agreement. One
//! layer type on the shared row engine; each kind keeps its drafts under its own form name
//! (`coop-plenary`, …) naming its record (the id, the year for a plenary and a decision,
//! or [`NEW_RECORD`]) and the version it rests on, so nothing typed is lost. A problem
//! stands at its field in German; a colleague's save in between is a conflict that names
//! who saved and keeps the input — the next save replaces it.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout};
use ratatui::widgets::{Paragraph, Wrap};

use super::boxed;
use crate::action::Action;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::{RowEditor, RowItem, contexts};
use crate::app::screens::coop::{CoopSection, PlenaryRow};
use crate::app::{App, Screen};
use crate::domain::coop::{
    CommitmentKind, EventStatus, MeetingKind, TrainingFormat, TrainingTopic,
};
use crate::domain::date::{format_german_date, parse_german_date};
use crate::domain::datetime::parse_german_datetime;
use crate::domain::refusal::Refusal;
use crate::domain::text::sanitize;
use crate::domain::{Agency, Staff};
use crate::keymap::Context;
use crate::model::coop::{
    AgreementInput, Commitment, DecisionInput, HospitationInput, MeetingInput, PlenaryInput,
    TrainingInput,
};
use crate::model::draft::Draft;
use crate::storage::StorageError;
use crate::widgets::rows::render_rows;

/// The record of a new meeting, training, hospitation or agreement.
pub const NEW_RECORD: i64 = -1;

/// Key under which a draft remembers the year shown when the form was opened.
const YEAR_KEY: &str = "_year";
/// Key of the notice after a conflict.
const CONFLICT_NOTICE: &str = "conflict";

/// What the form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The year's plenary.
    Plenary,
    /// A new decision of the year's plenary.
    Decision,
    /// A meeting.
    Meeting,
    /// A training.
    Training,
    /// A hospitation.
    Hospitation,
    /// A version of the agreement.
    Agreement,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 6] = [
        Kind::Plenary,
        Kind::Decision,
        Kind::Meeting,
        Kind::Training,
        Kind::Hospitation,
        Kind::Agreement,
    ];

    /// The layer's name and the form name of its drafts.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Plenary => "coop-plenary",
            Kind::Decision => "coop-decision",
            Kind::Meeting => "coop-meeting",
            Kind::Training => "coop-training",
            Kind::Hospitation => "coop-hospitation",
            Kind::Agreement => "coop-agreement",
        }
    }

    fn index(self) -> usize {
        Kind::ALL.iter().position(|k| *k == self).unwrap_or(0)
    }

    fn section(self) -> CoopSection {
        match self {
            Kind::Plenary | Kind::Decision => CoopSection::Plenary,
            Kind::Meeting => CoopSection::Meetings,
            Kind::Training => CoopSection::Trainings,
            Kind::Hospitation => CoopSection::Hospitations,
            Kind::Agreement => CoopSection::Agreement,
        }
    }

    fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// A planning form of F5.
#[derive(Debug)]
pub struct CoopForm {
    /// What it edits.
    pub kind: Kind,
    /// The record (see the module documentation).
    pub record: i64,
    /// The version the form rests on (0: new).
    pub version: i64,
    /// The year shown when it was opened.
    pub year: i32,
    /// The rows.
    pub editor: RowEditor,
    initial: BTreeMap<String, String>,
}

fn staff_options(app: &App, stelle: Agency) -> Vec<(String, String)> {
    let mut staff: Vec<Staff> = app
        .store()
        .active_staff()
        .unwrap_or_default()
        .into_iter()
        .filter(|s| s.agency == stelle && s.may_see_cases())
        .collect();
    staff.sort_by(|a, b| {
        a.surname
            .cmp(&b.surname)
            .then(a.given_name.cmp(&b.given_name))
    });
    staff
        .into_iter()
        .map(|s| (s.id.0.to_string(), sanitize(&s.display_name(), false)))
        .collect()
}

fn ids_of(list: &[crate::model::coop::Participant], stelle: Agency) -> String {
    list.iter()
        .filter(|p| p.stelle == stelle)
        .map(|p| p.staff_id.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn when(t: Option<NaiveDateTime>) -> String {
    t.map(|t| t.format("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_default()
}

fn day(d: Option<NaiveDate>) -> String {
    d.map(format_german_date).unwrap_or_default()
}

fn tenths_text(t: u32) -> String {
    if t.is_multiple_of(10) {
        (t / 10).to_string()
    } else {
        format!("{},{}", t / 10, t % 10)
    }
}

fn choices<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|x| (code(*x).to_string(), label(*x).to_string()))
        .collect()
}

impl CoopForm {
    fn rows(app: &App, kind: Kind, v: &BTreeMap<String, String>, editing: bool) -> Vec<RowItem> {
        let c = app.strings.coop;
        let f = c.field;
        let get = |k: &str| v.get(k).cloned().unwrap_or_default();
        let line = |k: &str| RowItem::line(k, f(k), &get(k));
        let text = |k: &str| RowItem::text(k, f(k), &get(k));
        let people = |k: &str, stelle| RowItem::multi(k, f(k), staff_options(app, stelle), &get(k));
        let events = |k: &str| {
            RowItem::choice(
                k,
                f(k),
                choices(EventStatus::ALL, EventStatus::code, c.event_status),
                &get(k),
            )
        };
        match kind {
            Kind::Plenary => vec![
                line("start").with_placeholder("12.11.2026 13:00"),
                line("duration"),
                line("location"),
                people("participants_jc", Agency::Jobcenter),
                people("participants_ja", Agency::Jugendamt),
                text("agenda"),
                text("minutes"),
            ],
            Kind::Decision => vec![text("text"), line("owner"), line("due")],
            Kind::Meeting => {
                let mut rows = vec![
                    RowItem::choice(
                        "kind",
                        f("kind"),
                        choices(MeetingKind::ALL, MeetingKind::code, c.meeting_kind),
                        &get("kind"),
                    ),
                    line("title"),
                    line("start"),
                    line("duration"),
                    line("location"),
                    people("participants_jc", Agency::Jobcenter),
                    people("participants_ja", Agency::Jugendamt),
                    text("topics"),
                    text("results"),
                ];
                if editing {
                    rows.push(events("status"));
                }
                rows
            }
            Kind::Training => {
                let mut rows = vec![
                    line("title"),
                    line("start"),
                    line("hours"),
                    line("organiser"),
                    RowItem::choice(
                        "format",
                        f("format"),
                        choices(TrainingFormat::ALL, TrainingFormat::code, c.training_format),
                        &get("format"),
                    ),
                    RowItem::tick("joint", f("joint"), &get("joint")),
                    RowItem::multi(
                        "training_topics",
                        f("training_topics"),
                        choices(TrainingTopic::ALL, TrainingTopic::code, c.training_topic),
                        &get("training_topics"),
                    ),
                    line("location"),
                    people("participants_jc", Agency::Jobcenter),
                    people("participants_ja", Agency::Jugendamt),
                ];
                if editing {
                    rows.push(events("status"));
                }
                rows
            }
            Kind::Hospitation => {
                let mut guests = staff_options(app, Agency::Jobcenter);
                guests.extend(staff_options(app, Agency::Jugendamt));
                vec![
                    RowItem::choice("guest", f("guest"), guests, &get("guest")),
                    line("contact"),
                    line("from"),
                    line("to"),
                    line("days"),
                    text("goals"),
                    line("pledge"),
                    text("feedback_guest"),
                    text("feedback_host"),
                ]
            }
            Kind::Agreement => {
                let mut rows = vec![
                    line("label"),
                    line("valid_from"),
                    text("signatories"),
                    text("annexes"),
                    line("review"),
                ];
                for k in CommitmentKind::ALL {
                    rows.push(RowItem::line(k.code(), f(k.code()), &get(k.code())));
                }
                rows
            }
        }
    }

    fn new(
        app: &App,
        kind: Kind,
        record: i64,
        version: i64,
        values: &BTreeMap<String, String>,
    ) -> CoopForm {
        let editing = version > 0;
        let editor = RowEditor::new(CoopForm::rows(app, kind, values, editing));
        let initial = editor.values();
        CoopForm {
            kind,
            record,
            version,
            year: app.coop.year,
            editor,
            initial,
        }
    }

    fn text(&self, k: &str) -> String {
        sanitize(self.editor.value(k).trim(), false)
    }

    fn ids(&self, k: &str) -> Vec<i64> {
        self.editor
            .value(k)
            .split(',')
            .filter_map(|x| x.trim().parse().ok())
            .collect()
    }

    /// Reads every field; the problems by field.
    fn read(&self, app: &App) -> Result<Input, Vec<(String, String)>> {
        let c = app.strings.coop;
        let now = crate::domain::tz::to_local(app.now());
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut err = |k: &str, m: String| errors.push((k.to_string(), m));
        let required = |k: &str, errs: &mut dyn FnMut(&str, String)| {
            let t = self.text(k);
            if t.is_empty() {
                errs(k, c.required.to_string());
            }
            t
        };
        let date_opt = |k: &str, errs: &mut dyn FnMut(&str, String)| -> Option<NaiveDate> {
            let t = self.text(k);
            if t.is_empty() {
                return None;
            }
            parse_german_date(&t)
                .map_err(|_| errs(k, c.bad_date.to_string()))
                .ok()
        };
        let number =
            |k: &str, lo: u32, hi: u32, errs: &mut dyn FnMut(&str, String)| -> Option<u32> {
                let t = self.text(k);
                match t.parse::<u32>() {
                    Ok(n) if (lo..=hi).contains(&n) => Some(n),
                    _ => {
                        errs(k, (c.bad_number)(lo, hi));
                        None
                    }
                }
            };
        let start = |k: &str, errs: &mut dyn FnMut(&str, String)| -> Option<NaiveDateTime> {
            let t = self.text(k);
            if t.is_empty() {
                errs(k, c.required.to_string());
                return None;
            }
            parse_german_datetime(&t, now)
                .map_err(|p| errs(k, (app.strings.conf.datetime_problem)(&p)))
                .ok()
        };
        let participants = || {
            let mut p = self.ids("participants_jc");
            p.extend(self.ids("participants_ja"));
            p
        };
        let input = match self.kind {
            Kind::Plenary => {
                let start = if self.text("start").is_empty() {
                    None
                } else {
                    start("start", &mut err)
                };
                if let Some(s) = start
                    && chrono::Datelike::year(&s.date()) != self.record_year()
                {
                    err("start", (c.wrong_year)(self.record_year()));
                }
                let duration = number("duration", 15, 600, &mut err);
                Input::Plenary(PlenaryInput {
                    year: self.record_year(),
                    start,
                    duration_min: duration.unwrap_or(150),
                    location: self.text("location"),
                    participants: participants(),
                    minutes: sanitize(self.editor.value("minutes").trim(), true),
                    agenda: {
                        let items: Vec<String> = sanitize(&self.editor.value("agenda"), true)
                            .lines()
                            .map(|l| l.trim().to_string())
                            .filter(|l| !l.is_empty())
                            .collect();
                        (!items.is_empty()).then_some(items)
                    },
                })
            }
            Kind::Decision => {
                let text = required("text", &mut err);
                let owner = required("owner", &mut err);
                let due_on = date_opt("due", &mut err);
                Input::Decision(DecisionInput {
                    text,
                    owner,
                    due_on,
                })
            }
            Kind::Meeting => {
                let title = required("title", &mut err);
                let s = start("start", &mut err);
                let duration = number("duration", 15, 600, &mut err);
                Input::Meeting(
                    MeetingInput {
                        kind: MeetingKind::from_code(&self.editor.value("kind"))
                            .unwrap_or(MeetingKind::Team),
                        title,
                        start: s.unwrap_or(now),
                        duration_min: duration.unwrap_or(90),
                        location: self.text("location"),
                        topics: sanitize(self.editor.value("topics").trim(), true),
                        results: sanitize(self.editor.value("results").trim(), true),
                        participants: participants(),
                    },
                    EventStatus::from_code(&self.editor.value("status")),
                )
            }
            Kind::Training => {
                let title = required("title", &mut err);
                let s = start("start", &mut err);
                let hours = self.text("hours").replace(',', ".");
                let tenths = match hours.parse::<f64>() {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    Ok(h) if (0.1..=80.0).contains(&h) => Some((h * 10.0).round() as u32),
                    _ => {
                        err("hours", (c.bad_number)(1, 80));
                        None
                    }
                };
                Input::Training(
                    TrainingInput {
                        title,
                        start: s.unwrap_or(now),
                        hours_tenths: tenths.unwrap_or(10),
                        organiser: self.text("organiser"),
                        format: TrainingFormat::from_code(&self.editor.value("format"))
                            .unwrap_or(TrainingFormat::Presence),
                        joint: self.editor.value("joint") == "1",
                        topics: TrainingTopic::split(&self.editor.value("training_topics")),
                        location: self.text("location"),
                        participants: participants(),
                    },
                    EventStatus::from_code(&self.editor.value("status")),
                )
            }
            Kind::Hospitation => {
                let guest = self.editor.value("guest").parse::<i64>().ok();
                if guest.is_none() {
                    err("guest", c.required.to_string());
                }
                let from = date_opt("from", &mut err);
                let to = date_opt("to", &mut err);
                if from.is_none() && self.text("from").is_empty() {
                    err("from", c.required.to_string());
                }
                if to.is_none() && self.text("to").is_empty() {
                    err("to", c.required.to_string());
                }
                if let (Some(a), Some(b)) = (from, to)
                    && b < a
                {
                    err("to", c.end_before_start.to_string());
                }
                let days = if self.text("days").is_empty() {
                    from.zip(to)
                        .map(|(a, b)| crate::domain::coop::default_days(a, b).max(1))
                } else {
                    number("days", 1, 60, &mut err)
                };
                let pledge_on = date_opt("pledge", &mut err);
                Input::Hospitation(HospitationInput {
                    staff_id: guest.unwrap_or_default(),
                    host_contact: self.text("contact"),
                    from: from.unwrap_or_default(),
                    to: to.unwrap_or_default(),
                    days: days.unwrap_or(1).clamp(1, 60),
                    goals: sanitize(self.editor.value("goals").trim(), true),
                    pledge_on,
                    feedback_guest: sanitize(self.editor.value("feedback_guest").trim(), true),
                    feedback_host: sanitize(self.editor.value("feedback_host").trim(), true),
                })
            }
            Kind::Agreement => {
                let label = required("label", &mut err);
                let valid_from = date_opt("valid_from", &mut err);
                if valid_from.is_none() && self.text("valid_from").is_empty() {
                    err("valid_from", c.required.to_string());
                }
                let review_on = date_opt("review", &mut err);
                let mut commitments = Vec::new();
                for k in CommitmentKind::ALL {
                    if self.text(k.code()).is_empty() {
                        continue;
                    }
                    if let Some(n) = number(k.code(), 0, 365, &mut err) {
                        commitments.push(Commitment {
                            kind: *k,
                            target: n,
                            text: (c.commitment_kind)(*k).replace('N', &n.to_string()),
                        });
                    }
                }
                Input::Agreement(AgreementInput {
                    label,
                    valid_from: valid_from.unwrap_or_default(),
                    signatories: sanitize(self.editor.value("signatories").trim(), true),
                    annexes: sanitize(self.editor.value("annexes").trim(), true),
                    review_on,
                    commitments,
                })
            }
        };
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }

    fn record_year(&self) -> i32 {
        match self.kind {
            Kind::Plenary | Kind::Decision => i32::try_from(self.record).unwrap_or(self.year),
            _ => self.year,
        }
    }

    /// The field a refusal is about.
    fn field_of(&self, r: Refusal) -> &'static str {
        match (self.kind, r) {
            (Kind::Hospitation, Refusal::PledgeMissing) => "pledge",
            (Kind::Decision, _) => "text",
            (Kind::Hospitation, _) => "guest",
            (Kind::Agreement, _) => "label",
            (Kind::Plenary, Refusal::CoopInvalid) => "start",
            _ => "title",
        }
    }

    fn save(&mut self, app: &mut App) -> Outcome {
        let input = match self.read(app) {
            Ok(i) => i,
            Err(errors) => {
                let msg = errors[0].1.clone();
                self.editor.set_errors(errors);
                app.set_status(msg, true);
                return Outcome::Keep;
            }
        };
        let me = app.me.clone();
        let existing = (self.record != NEW_RECORD).then_some((self.record, self.version));
        let store = app.store();
        let res: Result<(), StorageError> = match &input {
            Input::Plenary(p) => store
                .save_plenary(&me, p, (self.version > 0).then_some(self.version))
                .map(|_| ()),
            Input::Decision(d) => store.add_decision(&me, self.record_year(), d).map(|_| ()),
            Input::Meeting(m, status) => {
                store
                    .save_meeting(&me, existing, m)
                    .and_then(|id| match status {
                        Some(s) if existing.is_some() && Some(*s) != self.initial_status() => {
                            store.set_event_status(&me, false, id, *s, self.version + 1)
                        }
                        _ => Ok(()),
                    })
            }
            Input::Training(t, status) => {
                store
                    .save_training(&me, existing, t)
                    .and_then(|id| match status {
                        Some(s) if existing.is_some() && Some(*s) != self.initial_status() => {
                            store.set_event_status(&me, true, id, *s, self.version + 1)
                        }
                        _ => Ok(()),
                    })
            }
            Input::Hospitation(h) => store.save_hospitation(&me, existing, h).map(|_| ()),
            Input::Agreement(a) => store.save_agreement(&me, existing, a).map(|_| ()),
        };
        match res {
            Ok(()) => {
                app.forget_draft_of(self.kind.name(), self.record);
                let hints = calendar_hints(app, &input);
                let msg = if hints.is_empty() {
                    app.strings.coop.saved.to_string()
                } else {
                    format!("{} {}", app.strings.coop.saved, hints.join(" "))
                };
                app.set_status(msg, !hints.is_empty());
                app.reload_coop();
                Outcome::Close
            }
            Err(StorageError::Refused(r)) => {
                let msg = app.refused(r);
                self.editor
                    .set_errors(vec![(self.field_of(r).to_string(), msg)]);
                Outcome::Keep
            }
            Err(StorageError::Conflict { by, at }) => {
                app.report::<()>(Err(StorageError::Conflict {
                    by: by.clone(),
                    at: at.clone(),
                }));
                app.reload_coop();
                // The next save replaces what the colleague stored: the form now rests on
                // the stored version, and the input stays as typed.
                if let Some(v) = self.stored_version(app) {
                    self.version = v;
                }
                let notice = (app.strings.changed_meanwhile)(
                    by.as_deref(),
                    at.as_deref()
                        .and_then(crate::domain::tz::format_stored)
                        .as_deref(),
                );
                let focused = self.editor.current().map(|r| r.key.clone());
                let mut rows = std::mem::take(&mut self.editor.rows);
                rows.retain(|r| r.key != CONFLICT_NOTICE);
                rows.insert(0, RowItem::notice(CONFLICT_NOTICE, &notice));
                self.editor.replace_rows(rows);
                if let Some(k) = focused {
                    self.editor.focus(&k);
                }
                Outcome::Keep
            }
            Err(e) => {
                app.report::<()>(Err(e));
                Outcome::Keep
            }
        }
    }

    fn initial_status(&self) -> Option<EventStatus> {
        self.initial
            .get("status")
            .and_then(|s| EventStatus::from_code(s))
    }

    /// The version stored now of the record the form edits.
    fn stored_version(&self, app: &App) -> Option<i64> {
        let d = app.coop.data.as_ref()?;
        match self.kind {
            Kind::Plenary => d.plenary.as_ref().map(|p| p.version),
            Kind::Decision => None,
            Kind::Meeting => d
                .meetings
                .iter()
                .find(|m| m.id == self.record)
                .map(|m| m.version),
            Kind::Training => d
                .trainings
                .iter()
                .find(|t| t.id == self.record)
                .map(|t| t.version),
            Kind::Hospitation => d
                .hospitations
                .iter()
                .find(|h| h.id == self.record)
                .map(|h| h.version),
            Kind::Agreement => d
                .agreements
                .iter()
                .find(|a| a.id == self.record)
                .map(|a| a.version),
        }
    }
}

/// What the shared calendar says about a saved record (docs/cooperation.md § 1): a
/// weekend, holiday or closure day, and who of its participants (or its room) is booked
/// otherwise at that time. Hints only: a meeting on a holiday may be right.
fn calendar_hints(app: &App, input: &Input) -> Vec<String> {
    use crate::domain::schedule::{SlotProblem, WorkingHours, clashes, slot_problems};
    let (start, end, people, room, title) = match input {
        Input::Plenary(p) => {
            let Some(s) = p.start else { return Vec::new() };
            let e = s + chrono::Duration::minutes(i64::from(p.duration_min));
            (
                s,
                e,
                p.participants.clone(),
                p.location.clone(),
                format!("Große Runde {}", p.year),
            )
        }
        Input::Meeting(m, _) => (
            m.start,
            m.start + chrono::Duration::minutes(i64::from(m.duration_min)),
            m.participants.clone(),
            m.location.clone(),
            m.title.clone(),
        ),
        Input::Training(t, _) => (
            t.start,
            t.start + chrono::Duration::minutes(i64::from((t.hours_tenths * 6).clamp(15, 600))),
            t.participants.clone(),
            t.location.clone(),
            t.title.clone(),
        ),
        Input::Hospitation(h) => (
            h.from.and_time(chrono::NaiveTime::MIN),
            (h.to + chrono::Duration::days(1)).and_time(chrono::NaiveTime::MIN),
            vec![h.staff_id],
            String::new(),
            "Hospitation".to_string(),
        ),
        Input::Decision(_) | Input::Agreement(_) => return Vec::new(),
    };
    let s = app.strings;
    let cal = app.cp_settings.calendar();
    let now = crate::domain::tz::to_local(app.now());
    let mut out: Vec<String> = slot_problems(start, end, now, &cal, &WorkingHours::default())
        .into_iter()
        .filter(|p| {
            matches!(
                p,
                SlotProblem::Weekend | SlotProblem::Holiday(_) | SlotProblem::ClosureDay
            )
        })
        .map(|p| (s.conf.slot_problem)(p))
        .collect();
    let Ok(all) = app.store().calendar_between(start, end) else {
        return out;
    };
    // The record itself is in the calendar already (it was just saved).
    let others: Vec<_> = all
        .into_iter()
        .filter(|a| !(a.title == title && a.start == start))
        .collect();
    let room = (!room.trim().is_empty()).then_some(room.trim());
    let names: std::collections::HashMap<i64, String> = app
        .store()
        .active_staff()
        .unwrap_or_default()
        .into_iter()
        .map(|x| (x.id.0, x.display_name()))
        .collect();
    for c in clashes(start, end, &people, room, &others, None)
        .into_iter()
        .take(2)
    {
        let what =
            if c.title.is_empty() || c.kind == crate::domain::schedule::AppointmentKind::Absence {
                (s.conf.appointment)(c.kind).to_string()
            } else {
                c.title.clone()
            };
        let when = format!(
            "{}–{}",
            c.start.format("%d.%m. %H:%M"),
            c.end.format("%H:%M")
        );
        out.push(match (c.staff, &c.room) {
            (Some(id), _) => (s.conf.clash)(
                &sanitize(names.get(&id).map_or("?", String::as_str), false),
                &sanitize(&what, false),
                &when,
            ),
            (None, Some(r)) => {
                (s.conf.room_clash)(&sanitize(r, false), &sanitize(&what, false), &when)
            }
            (None, None) => continue,
        });
    }
    out
}

/// What a form hands the store.
enum Input {
    Plenary(PlenaryInput),
    Decision(DecisionInput),
    Meeting(MeetingInput, Option<EventStatus>),
    Training(TrainingInput, Option<EventStatus>),
    Hospitation(HospitationInput),
    Agreement(AgreementInput),
}

/// The values of the record `kind`/`record` as the form shows them, and its version; none
/// when it is not in the year shown.
fn values_of(app: &App, kind: Kind, record: i64) -> Option<(BTreeMap<String, String>, i64)> {
    let d = app.coop.data.as_ref()?;
    let mut v = BTreeMap::new();
    let mut put = |k: &str, x: String| {
        v.insert(k.to_string(), x);
    };
    let version = match kind {
        Kind::Plenary => {
            let p = d.plenary.as_ref()?;
            put("start", when(p.start));
            put("duration", p.duration_min.to_string());
            put("location", p.location.clone());
            put(
                "participants_jc",
                ids_of(&p.participants, Agency::Jobcenter),
            );
            put(
                "participants_ja",
                ids_of(&p.participants, Agency::Jugendamt),
            );
            put(
                "agenda",
                p.agenda
                    .iter()
                    .map(|a| a.title.clone())
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
            put("minutes", p.minutes.clone());
            p.version
        }
        Kind::Decision => return None,
        Kind::Meeting => {
            let m = d.meetings.iter().find(|m| m.id == record)?;
            put("kind", m.kind.code().into());
            put("title", m.title.clone());
            put("start", when(Some(m.start)));
            put("duration", m.duration_min.to_string());
            put("location", m.location.clone());
            put(
                "participants_jc",
                ids_of(&m.participants, Agency::Jobcenter),
            );
            put(
                "participants_ja",
                ids_of(&m.participants, Agency::Jugendamt),
            );
            put("topics", m.topics.clone());
            put("results", m.results.clone());
            put("status", m.status.code().into());
            m.version
        }
        Kind::Training => {
            let t = d.trainings.iter().find(|t| t.id == record)?;
            put("title", t.title.clone());
            put("start", when(Some(t.start)));
            put("hours", tenths_text(t.hours_tenths));
            put("organiser", t.organiser.clone());
            put("format", t.format.code().into());
            put("joint", if t.joint { "1" } else { "0" }.into());
            put("training_topics", TrainingTopic::join(&t.topics));
            put("location", t.location.clone());
            put(
                "participants_jc",
                ids_of(&t.participants, Agency::Jobcenter),
            );
            put(
                "participants_ja",
                ids_of(&t.participants, Agency::Jugendamt),
            );
            put("status", t.status.code().into());
            t.version
        }
        Kind::Hospitation => {
            let h = d.hospitations.iter().find(|h| h.id == record)?;
            put("guest", h.staff_id.to_string());
            put("contact", h.host_contact.clone());
            put("from", day(Some(h.from)));
            put("to", day(Some(h.to)));
            put("days", h.days.to_string());
            put("goals", h.goals.clone());
            put("pledge", day(h.pledge_on));
            put("feedback_guest", h.feedback_guest.clone());
            put("feedback_host", h.feedback_host.clone());
            h.version
        }
        Kind::Agreement => {
            let a = d.agreements.iter().find(|a| a.id == record)?;
            put("label", a.label.clone());
            put("valid_from", day(Some(a.valid_from)));
            put("signatories", a.signatories.clone());
            put("annexes", a.annexes.clone());
            put("review", day(a.review_on));
            for k in &a.commitments {
                put(k.kind.code(), k.target.to_string());
            }
            a.version
        }
    };
    Some((v, version))
}

/// The values of a new record of `kind`.
fn defaults(app: &App, kind: Kind) -> BTreeMap<String, String> {
    let mut v = BTreeMap::new();
    let mut put = |k: &str, x: &str| {
        v.insert(k.to_string(), x.to_string());
    };
    match kind {
        Kind::Plenary => {
            put("duration", "150");
            // The default agenda and the open decisions of earlier years, as the store
            // would set them (docs/cooperation.md § 2).
            let mut items: Vec<String> = crate::domain::coop::DEFAULT_AGENDA
                .iter()
                .map(|t| (*t).to_string())
                .collect();
            if let Some(d) = app.coop.data.as_ref() {
                items.extend(
                    d.carried
                        .iter()
                        .map(|x| crate::domain::coop::carried_title(x.year, &x.text)),
                );
            }
            put("agenda", &items.join("\n"));
        }
        Kind::Meeting => {
            put("kind", MeetingKind::Leads.code());
            put("duration", "90");
        }
        Kind::Training => {
            put("format", TrainingFormat::Presence.code());
            put("joint", "1");
        }
        Kind::Hospitation => {
            let me = app.me.id.0.to_string();
            put("guest", &me);
        }
        Kind::Agreement => {
            // A new version starts as a copy of the one in force.
            if let Some(a) = app.coop.data.as_ref().and_then(|d| d.agreements.first()) {
                put("signatories", &a.signatories);
                put("annexes", &a.annexes);
                for k in &a.commitments {
                    put(k.kind.code(), &k.target.to_string());
                }
            }
        }
        Kind::Decision => {}
    }
    v
}

fn open(app: &mut App, kind: Kind, record: i64) {
    // A decision is always new: its record is the year of its plenary.
    let (values, version) = if record == NEW_RECORD || kind == Kind::Decision {
        (defaults(app, kind), 0)
    } else {
        match values_of(app, kind, record) {
            Some(x) => x,
            None if kind == Kind::Plenary => (defaults(app, kind), 0),
            None => {
                app.set_status(app.strings.coop.nothing_selected.to_string(), true);
                return;
            }
        }
    };
    let form = CoopForm::new(app, kind, record, version, &values);
    app.push(form);
}

/// `n` on F5: a new record of the section shown (the plenary of the year, when none is
/// planned yet; else its form).
pub fn open_new(app: &mut App) {
    let kind = match app.coop.section {
        CoopSection::Plenary => {
            let year = i64::from(app.coop.year);
            return open(app, Kind::Plenary, year);
        }
        CoopSection::Meetings => Kind::Meeting,
        CoopSection::Trainings => Kind::Training,
        CoopSection::Hospitations => Kind::Hospitation,
        CoopSection::Agreement => Kind::Agreement,
        CoopSection::Report => return,
    };
    open(app, kind, NEW_RECORD);
}

/// Enter on F5: the selected record's form.
pub fn open_selected(app: &mut App) {
    let Some(d) = app.coop.data.as_ref() else {
        return;
    };
    let i = app.coop.cursor;
    let target = match app.coop.section {
        CoopSection::Plenary => match app.coop.plenary_row() {
            PlenaryRow::Plenary => Some((Kind::Plenary, i64::from(d.year))),
            // A decision is changed by its state (`s`); its words are the minutes'.
            PlenaryRow::Decision(_) => None,
        },
        CoopSection::Meetings => d.meetings.get(i).map(|m| (Kind::Meeting, m.id)),
        CoopSection::Trainings => d.trainings.get(i).map(|t| (Kind::Training, t.id)),
        CoopSection::Hospitations => d.hospitations.get(i).map(|h| (Kind::Hospitation, h.id)),
        CoopSection::Agreement => d.agreements.get(i).map(|a| (Kind::Agreement, a.id)),
        CoopSection::Report => None,
    };
    match target {
        Some((kind, record)) => open(app, kind, record),
        None => app.set_status(app.strings.coop.nothing_selected.to_string(), true),
    }
}

/// `b` on F5: a new decision of the year's plenary.
pub fn open_decision(app: &mut App) {
    if app.coop.section != CoopSection::Plenary {
        return;
    }
    if app
        .coop
        .data
        .as_ref()
        .and_then(|d| d.plenary.as_ref())
        .is_none()
    {
        app.set_status(app.strings.coop.plenary_first.to_string(), true);
        return;
    }
    let year = i64::from(app.coop.year);
    open(app, Kind::Decision, year);
}

/// Reopens a form that was being filled in when the session ended: on the year it was
/// opened in, on the version it rested on.
pub fn restore(app: &mut App, draft: &Draft) -> bool {
    let Some(kind) = Kind::from_name(&draft.form) else {
        return false;
    };
    app.show_coop();
    if app.screen != Screen::Cooperation {
        return false;
    }
    if let Some(y) = draft.values.get(YEAR_KEY).and_then(|y| y.parse().ok()) {
        app.coop.year = y;
    }
    app.coop.section = kind.section();
    app.reload_coop();
    if app.coop.data.is_none() {
        return false;
    }
    let record = draft.record_id;
    if record != NEW_RECORD
        && !matches!(kind, Kind::Plenary | Kind::Decision)
        && values_of(app, kind, record).is_none()
    {
        return false;
    }
    open(app, kind, record);
    if let Some(f) = app.layer_mut::<CoopForm>() {
        if draft.base_version > 0 {
            f.version = draft.base_version;
        }
        f.editor.set_values(&draft.values);
        if let Some(k) = draft.values.get(crate::app::FOCUS_KEY) {
            f.editor.focus(k);
        }
    }
    true
}

fn example_of(app: &mut App, kind: Kind) -> bool {
    app.update(Action::ScreenCooperation);
    while app.coop.section != kind.section() {
        app.update(Action::CoopNext);
    }
    match kind {
        Kind::Decision => app.update(Action::CoopDecision),
        Kind::Plenary => app.update(Action::Edit),
        _ => app.update(Action::CoopNew),
    }
    app.top_layer() == Some(kind.name())
}

/// Example (a lead): the plenary's form.
pub fn example_plenary(app: &mut App) -> bool {
    example_of(app, Kind::Plenary)
}

/// Example (a lead): a new decision.
pub fn example_decision(app: &mut App) -> bool {
    example_of(app, Kind::Decision)
}

/// Example: a new meeting.
pub fn example_meeting(app: &mut App) -> bool {
    example_of(app, Kind::Meeting)
}

/// Example: a new training.
pub fn example_training(app: &mut App) -> bool {
    example_of(app, Kind::Training)
}

/// Example: a new hospitation.
pub fn example_hospitation(app: &mut App) -> bool {
    example_of(app, Kind::Hospitation)
}

/// Example (a lead): a new version of the agreement.
pub fn example_agreement(app: &mut App) -> bool {
    example_of(app, Kind::Agreement)
}

impl Layer for CoopForm {
    fn name(&self) -> &'static str {
        self.kind.name()
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
            // Not dirty (the stack asks first when it is).
            Action::Cancel => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    fn is_dirty(&self) -> bool {
        self.editor.values() != self.initial
    }

    fn draft(&self, app: &App) -> Option<Draft> {
        self.is_dirty().then(|| {
            let mut values = self.editor.values_with_focus();
            values.insert(YEAR_KEY.to_string(), self.year.to_string());
            let mut d = Draft::new(app.me.id, self.kind.name(), self.record, values);
            d.base_version = self.version;
            d
        })
    }

    fn discard(&mut self, app: &mut App) {
        app.forget_draft_of(self.kind.name(), self.record);
    }

    fn field_text(&self) -> Option<String> {
        self.editor.focused_text()
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![
            Action::Save,
            Action::Cancel,
            Action::NextField,
            Action::Toggle,
        ]
    }

    /// ```text
    /// ┌ Fortbildung ─────────────────────────────────────────────────┐
    /// │ Tab nächstes Feld · Leertaste/←→ Auswahl · Strg+S speichern … │
    /// │▶Titel                          Kinderschutz in der …          │
    /// │ Termin (TT.MM.JJJJ HH:MM)      12.03.2026 09:00               │
    /// └───────────────────────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let area = areas.full;
        let c = app.strings.coop;
        let title = if self.kind == Kind::Plenary {
            format!("{} {}", c.form_titles[0], self.record_year())
        } else {
            c.form_titles[self.kind.index()].to_string()
        };
        let inner = boxed(
            frame,
            app.theme,
            area,
            (
                area.width.saturating_sub(2).max(1),
                area.height.saturating_sub(2).max(1),
            ),
            &title,
        );
        let [hint, body] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
        frame.render_widget(
            Paragraph::new(c.form_hint)
                .wrap(Wrap { trim: true })
                .style(app.theme.dim()),
            hint,
        );
        render_rows(frame, app.theme, &self.editor, body);
    }
}
