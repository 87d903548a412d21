//! The steps of a conference (docs/domain.md 4.2): invite, held, postpone, cancel, minutes
//! with decisions, approval, participation, agreement states and the iCalendar export. The
//! menu and the dialogs that collect their fields are layers; this is where they reach the
//! store.

use std::collections::BTreeMap;
use std::os::unix::fs::DirBuilderExt as _;

use crate::app::rows::RowEditor;
use crate::app::{App, Screen};
use crate::domain::casefile::{MeasureStatus, Responsible};
use crate::domain::conference::{
    Attendance, ConferenceAction, ConferenceStatus, DecisionDraft, Invitation, LifeArea,
};
use crate::domain::datetime::parse_german_instant;
use crate::domain::{Agency, StaffId};
use crate::model::conference::{AgendaItem, MinutesInput};
use crate::storage::StorageError;
use crate::strings::conf::ConfMenu;

/// Key of the notice a dialog shows after someone else saved the conference.
pub const CONFLICT_NOTICE: &str = "conflict";

/// The decisions per agenda item, and the problems at their fields.
type ItemDecisions = (Vec<(u32, DecisionDraft)>, Vec<(String, String)>);

/// Puts `errors` at their fields of `editor`, if the step has a dialog.
fn show_errors(editor: Option<&mut RowEditor>, errors: Vec<(String, String)>) {
    if let Some(e) = editor {
        e.set_errors(errors);
    }
}

/// What became of a conference step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOutcome {
    /// Taken.
    Done,
    /// Not taken: a problem at a field or a refusal.
    NotDone,
    /// Not taken: someone saved the conference since the dialog was opened. The dialog now
    /// shows their version (the new version number): only a second save, made after seeing
    /// it, replaces it (docs/architecture.md § 4).
    ChangedMeanwhile(i64),
}

impl App {
    /// Runs step `item` of the open conference (or, from the case file, sets the state of an
    /// agreement) with the dialog's `values`; problems go to `editor`'s fields. `base` is
    /// the conference version the dialog was opened with (None: the version shown now).
    pub(crate) fn run_conf_step(
        &mut self,
        item: ConfMenu,
        values: &BTreeMap<String, String>,
        editor: Option<&mut RowEditor>,
        base: Option<i64>,
    ) -> StepOutcome {
        let s = self.strings.conf;
        if item == ConfMenu::MeasureDone && self.screen == Screen::Cases {
            return if self.set_measure_from_file(values, editor) {
                StepOutcome::Done
            } else {
                StepOutcome::NotDone
            };
        }
        let Some(c) = self.conf.detail.clone() else {
            return StepOutcome::NotDone;
        };
        let version = base.unwrap_or(c.version);
        let now = self.now();
        let local = self.local_now();
        let get = |k: &str| values.get(k).map_or("", |v| v.trim());
        let me = self.me.clone();
        let step = |action, start, reason: &str| {
            self.store
                .conference_step_at(&me, c.id, version, action, start, reason, now)
        };
        let res: Result<(), StorageError> = match item {
            ConfMenu::Invite => step(ConferenceAction::Invite, None, ""),
            ConfMenu::Held => step(ConferenceAction::MarkHeld, None, ""),
            ConfMenu::Cancel => step(ConferenceAction::Cancel, None, get("reason")),
            // Without a new date a scheduled or invited conference rests as "Vertagt".
            ConfMenu::Postpone
                if get("start").is_empty()
                    && matches!(
                        c.status,
                        ConferenceStatus::Scheduled | ConferenceStatus::Invited
                    ) =>
            {
                step(ConferenceAction::Postpone, None, get("reason"))
            }
            // A time the clock change makes invalid is refused at the field with the choice
            // to type (docs/domain.md 7.1), never moved.
            ConfMenu::Postpone => match parse_german_instant(get("start"), local) {
                Ok((_, t)) => {
                    let action = if matches!(
                        c.status,
                        ConferenceStatus::Requested | ConferenceStatus::Postponed
                    ) {
                        ConferenceAction::Schedule
                    } else {
                        ConferenceAction::Postpone
                    };
                    step(action, Some(t), get("reason"))
                }
                Err(p) => {
                    show_errors(editor, vec![("start".into(), (s.datetime_problem)(&p))]);
                    return StepOutcome::NotDone;
                }
            },
            ConfMenu::Approve => self
                .store
                .approve_minutes(&me, c.id, version, now)
                .map(|_| ()),
            ConfMenu::Minutes => {
                let (decisions, mut errors) = self.decisions(values);
                let (item_decisions, item_errors) = self.item_decisions(values);
                errors.extend(item_errors);
                if !errors.is_empty() {
                    show_errors(editor, errors);
                    return StepOutcome::NotDone;
                }
                let minutes = values.get("minutes").cloned().unwrap_or_default();
                let mut items: Vec<AgendaItem> = self
                    .conf
                    .minutes
                    .items
                    .iter()
                    .map(|i| AgendaItem {
                        minutes: values
                            .get(&format!("top{}.minutes", i.no))
                            .cloned()
                            .unwrap_or_else(|| i.minutes.clone()),
                        ..i.clone()
                    })
                    .collect();
                // An untouched proposal is not stored: it stays a proposal until an item
                // gets minutes or a decision (docs/casework.md § 4).
                let used = items.iter().any(|i| !i.minutes.trim().is_empty())
                    || !item_decisions.is_empty();
                if !self.conf.minutes.stored && !used {
                    items.clear();
                }
                let areas: Vec<(LifeArea, String)> = LifeArea::ALL
                    .iter()
                    .filter_map(|a| {
                        values
                            .get(&format!("area.{}", a.code()))
                            .map(|t| (*a, t.clone()))
                    })
                    .collect();
                let input = MinutesInput {
                    text: &minutes,
                    decisions: &decisions,
                    items: &items,
                    item_decisions: &item_decisions,
                    areas: &areas,
                    plain_summary: values.get("summary").map(String::as_str),
                };
                self.store
                    .save_structured_minutes(&me, c.id, version, &input, now)
            }
            ConfMenu::Agenda => {
                let titles: Vec<String> = values
                    .get("agenda")
                    .map(|t| t.lines().map(str::to_string).collect())
                    .unwrap_or_default();
                self.store.set_agenda(&me, c.id, version, &titles, now)
            }
            ConfMenu::Addendum => self
                .store
                .add_addendum(&me, c.id, get("addendum"), now)
                .map(|_| ()),
            ConfMenu::ApproveAddendum => {
                let Some(a) = self
                    .conf
                    .minutes
                    .addenda
                    .iter()
                    .find(|a| a.approved_second.is_none())
                else {
                    self.set_status(self.strings.casework.nothing_to_approve.to_string(), false);
                    return StepOutcome::NotDone;
                };
                self.store.approve_addendum(&me, a.id, now).map(|_| ())
            }
            ConfMenu::MeasureDone => {
                let Some(id) = values.get("measure").and_then(|v| v.parse::<i64>().ok()) else {
                    return StepOutcome::NotDone;
                };
                let status = MeasureStatus::from_code(get("status")).unwrap_or(MeasureStatus::Done);
                self.store
                    .set_measure_status(&me, id, status, get("result"), now)
            }
            ConfMenu::Export => {
                return if self.export_conference(c.id) {
                    StepOutcome::Done
                } else {
                    StepOutcome::NotDone
                };
            }
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
                    .set_participation(&me, c.id, version, &answers, now)
            }
        };
        match res {
            Ok(()) => {
                self.reload_conf();
                self.open_conference(c.id);
                self.set_status(self.strings.cp.done.to_string(), false);
                StepOutcome::Done
            }
            Err(StorageError::Refused(r)) => {
                let msg = self.refused(r);
                if let Some(e) = editor {
                    let key = e.rows.first().map(|r| r.key.clone()).unwrap_or_default();
                    e.set_errors(vec![(key, msg)]);
                }
                StepOutcome::NotDone
            }
            Err(StorageError::Conflict { by, at }) => {
                let at = at.as_deref().and_then(crate::domain::tz::format_stored);
                let msg = (self.strings.changed_meanwhile)(by.as_deref(), at.as_deref());
                self.set_status(msg, true);
                self.reload_conf();
                self.open_conference(c.id);
                let Some(now) = self.conf.detail.as_ref().filter(|d| d.id == c.id) else {
                    return StepOutcome::NotDone;
                };
                if let Some(e) = editor {
                    // Their version at the top of the dialog; the typed text stays below.
                    let theirs = match item {
                        ConfMenu::Minutes => now.minutes.clone(),
                        // A date moved or a cancellation: their date and reason.
                        ConfMenu::Postpone | ConfMenu::Cancel => {
                            let when = now
                                .start
                                .map(|t| t.format("%d.%m.%Y %H:%M").to_string())
                                .unwrap_or_default();
                            [when, now.reason.clone()]
                                .into_iter()
                                .filter(|p| !p.is_empty())
                                .collect::<Vec<_>>()
                                .join(" – ")
                        }
                        _ => String::new(),
                    };
                    let notice = (s.changed_meanwhile)(
                        by.as_deref(),
                        at.as_deref(),
                        (s.status)(now.status),
                        &theirs,
                    );
                    // The focus stays where the person was typing: the notice row takes no
                    // text, and keys typed on it would go nowhere.
                    let focused = e.current().map(|r| r.key.clone());
                    let mut rows = std::mem::take(&mut e.rows);
                    rows.retain(|r| r.key != CONFLICT_NOTICE);
                    rows.insert(
                        0,
                        crate::app::rows::RowItem::notice(CONFLICT_NOTICE, &notice),
                    );
                    e.replace_rows(rows);
                    if let Some(key) = focused {
                        e.focus(&key);
                    }
                }
                StepOutcome::ChangedMeanwhile(now.version)
            }
            Err(e) => {
                self.report::<()>(Err(e));
                self.reload_conf();
                StepOutcome::NotDone
            }
        }
    }

    /// The decision of each agenda item (rows `topN.*`; empty ones skipped), and the
    /// problems at their fields.
    fn item_decisions(&self, values: &BTreeMap<String, String>) -> ItemDecisions {
        let mut out = Vec::new();
        let mut errors = Vec::new();
        for item in &self.conf.minutes.items {
            let prefix = format!("top{}.", item.no);
            // The same checks as the free decisions, on this item's rows.
            let mut one = BTreeMap::new();
            for f in ["text", "resp", "due"] {
                if let Some(v) = values.get(&format!("{prefix}{f}")) {
                    one.insert(format!("d0.{f}"), v.clone());
                }
            }
            let (d, e) = self.decisions(&one);
            errors.extend(
                e.into_iter()
                    .map(|(k, m)| (k.replacen("d0.", &prefix, 1), m)),
            );
            out.extend(d.into_iter().map(|d| (item.no, d)));
        }
        (out, errors)
    }

    /// The decisions of the minutes dialog (rows `d0.*` … `d2.*`; empty ones skipped), and
    /// the problems at their fields.
    fn decisions(
        &self,
        values: &BTreeMap<String, String>,
    ) -> (Vec<DecisionDraft>, Vec<(String, String)>) {
        let get = |k: &str| values.get(k).map_or("", |v| v.trim());
        let required =
            (self.strings.problem)(&crate::domain::validation::Problem::Required, self.strings);
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
                errors.push((format!("d{i}.text"), required.clone()));
            }
            if responsible.is_none() {
                errors.push((format!("d{i}.resp"), required.clone()));
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
                category: crate::domain::coop::MeasureCategory::from_code(get(&format!(
                    "d{i}.cat"
                ))),
            });
        }
        (decisions, errors)
    }

    /// "Vereinbarung: Stand setzen" from the case file: the same row the conference agendas
    /// read, so both show the new state.
    fn set_measure_from_file(
        &mut self,
        values: &BTreeMap<String, String>,
        editor: Option<&mut RowEditor>,
    ) -> bool {
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
                if let Some(case) = self.cases.file.as_ref().map(|f| f.case().id) {
                    let scroll = self.cases.file.as_ref().map_or(0, |f| f.scroll);
                    self.open_file(case);
                    if let Some(f) = self.cases.file.as_mut() {
                        f.scroll = scroll;
                    }
                }
                self.set_status(self.strings.cp.done.to_string(), false);
                true
            }
            Err(StorageError::Refused(r)) => {
                let msg = self.refused(r);
                show_errors(editor, vec![("result".to_string(), msg)]);
                false
            }
            Err(e) => {
                self.report::<()>(Err(e));
                false
            }
        }
    }

    /// Writes the conference's invitation to `$TANDEM_DATA/export/konferenz-<id>.ics`
    /// (docs/architecture.md § 7: generated names in the export directory only).
    fn export_conference(&mut self, id: i64) -> bool {
        let res = crate::export::conferences_ics(
            &self.store,
            &self.me,
            crate::export::Selection::One(id),
            self.now(),
            &self.conf_settings.uid_host,
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
                            (self.strings.conf.exported)(&path.display().to_string()),
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
            Err(StorageError::Refused(r)) => {
                self.refused(r);
                false
            }
            Err(e) => {
                self.report::<()>(Err(e));
                false
            }
        }
    }
}

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
