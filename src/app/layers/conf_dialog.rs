//! The fields of a conference step (docs/domain.md 4.2): "Vertagen" (a new date and a
//! reason), "Absagen" (a reason), the minutes with up to three decisions, participation,
//! and the state of an agreement (also from the case file, `v`). The minutes keep a draft
//! naming their conference; a dialog with input asks before it is discarded.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

use super::case_form::FOCUS_KEY;
use crate::action::Action;
use crate::app::App;
use crate::app::Screen;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::{self, RowEditor, RowItem};
use crate::app::screens::conf::ConfView;
use crate::app::screens::conf::StepOutcome;
use crate::domain::casefile::MeasureStatus;
use crate::domain::conference::{Attendance, ConferenceStatus, Invitation, ParticipantRole};
use crate::keymap::Context;
use crate::model::draft::Draft;
use crate::strings::conf::{ConfField, ConfMenu};
use crate::widgets::rows::render_dialog_box;

/// Registry name.
pub const NAME: &str = "conf-dialog";

/// Registry name of the "Vertagen" dialog (its drafts restore through its registration).
pub const POSTPONE_NAME: &str = "conf-postpone";

/// Registry name of the "Absagen" dialog.
pub const CANCEL_NAME: &str = "conf-cancel";

/// Registry name of the agenda dialog, and the form name of its drafts (the record is the
/// conference).
pub const AGENDA_NAME: &str = "conf-agenda";

/// Registry name of the addendum dialog, and the form name of its drafts.
pub const ADDENDUM_NAME: &str = "conf-addendum";

/// Form name of the minutes' drafts (the record is the conference).
pub const MINUTES_DRAFT: &str = "minutes";

/// Form name of the drafts of "Vertagen" (the record is the conference).
pub const POSTPONE_DRAFT: &str = "conf-postpone";

/// Form name of the drafts of "Absagen" (the record is the conference).
pub const CANCEL_DRAFT: &str = "conf-cancel";

/// The step whose dialog keeps drafts under `form`.
fn item_of(form: &str) -> Option<ConfMenu> {
    match form {
        MINUTES_DRAFT => Some(ConfMenu::Minutes),
        POSTPONE_DRAFT => Some(ConfMenu::Postpone),
        CANCEL_DRAFT => Some(ConfMenu::Cancel),
        AGENDA_NAME => Some(ConfMenu::Agenda),
        ADDENDUM_NAME => Some(ConfMenu::Addendum),
        _ => None,
    }
}

/// What the offer of a conference dialog's draft calls the step ("Protokoll",
/// "Vertagen" …); None for the drafts of other layers.
pub fn draft_title(app: &App, form: &str) -> Option<&'static str> {
    item_of(form).map(|item| match item {
        ConfMenu::Minutes => app.strings.conf.label(ConfField::Minutes),
        other => (app.strings.conf.menu)(other),
    })
}

/// Draft value naming the conference's day (for the offer at login, not a field).
pub const HELD_ON_KEY: &str = "_held_on";

/// Draft value naming the conference's case (for the offer at login, not a field).
pub const CASE_KEY: &str = "_case";

/// An open conference dialog.
#[derive(Debug)]
pub struct ConfDialog {
    /// Which step.
    pub item: ConfMenu,
    /// Its fields.
    pub editor: RowEditor,
    /// The conference it belongs to (None: an agreement's state set from the case file).
    pub conference: Option<i64>,
    /// The conference version this dialog's input rests on: the one shown when it opened,
    /// or the one shown to the person after someone else saved meanwhile. A save against
    /// any other version is refused, never written blindly (docs/architecture.md § 4).
    pub base_version: Option<i64>,
}

impl ConfDialog {
    /// Starts step `item`: runs it at once when it has no fields, otherwise opens its
    /// dialog.
    pub fn start(app: &mut App, item: ConfMenu) {
        if let Some(dialog) = ConfDialog::build(app, item) {
            app.push(dialog);
        }
    }

    /// The dialog of step `item`, or None when the step ran at once or has nothing to show.
    fn build(app: &mut App, item: ConfMenu) -> Option<ConfDialog> {
        let s = app.strings.conf;
        let l = s.label;
        let rows = match item {
            ConfMenu::Agenda => agenda_rows(app),
            ConfMenu::Addendum => {
                vec![RowItem::text("addendum", app.strings.casework.addendum, "")]
            }
            ConfMenu::Invite
            | ConfMenu::Held
            | ConfMenu::Approve
            | ConfMenu::Export
            | ConfMenu::ApproveAddendum => {
                app.run_conf_step(item, &BTreeMap::new(), None, None);
                return None;
            }
            ConfMenu::Postpone => vec![
                RowItem::line("start", l(ConfField::Start), "").with_placeholder(
                    if app.conf.detail.as_ref().is_some_and(|d| {
                        matches!(
                            d.status,
                            ConferenceStatus::Scheduled | ConferenceStatus::Invited
                        )
                    }) {
                        app.strings.casework.postpone_placeholder
                    } else {
                        app.strings.conf.start_placeholder
                    },
                ),
                RowItem::line("reason", l(ConfField::Reason), ""),
            ],
            ConfMenu::Cancel => vec![RowItem::line("reason", l(ConfField::Reason), "")],
            ConfMenu::Minutes => minutes_rows(app),
            ConfMenu::Participation => participation_rows(app)?,
            ConfMenu::MeasureDone => {
                let rows = measure_rows(app);
                if rows.is_none() {
                    app.set_status(app.strings.cp.no_steps.to_string(), false);
                }
                rows?
            }
        };
        let (conference, base_version) = if app.screen == Screen::Cases {
            (None, None)
        } else {
            app.conf
                .detail
                .as_ref()
                .map_or((None, None), |d| (Some(d.id), Some(d.version)))
        };
        Some(ConfDialog {
            item,
            editor: RowEditor::new(rows),
            conference,
            base_version,
        })
    }

    /// The form name and record of this dialog's drafts: the minutes, "Vertagen" and
    /// "Absagen" keep one per conference (the other steps take no typed text).
    fn draft_key(&self) -> Option<(&'static str, i64)> {
        let form = match self.item {
            ConfMenu::Minutes => MINUTES_DRAFT,
            ConfMenu::Postpone => POSTPONE_DRAFT,
            ConfMenu::Cancel => CANCEL_DRAFT,
            ConfMenu::Agenda => AGENDA_NAME,
            ConfMenu::Addendum => ADDENDUM_NAME,
            _ => return None,
        };
        self.conference.map(|id| (form, id))
    }
}

/// The agenda, one item per line, prefilled with the stored or proposed one.
fn agenda_rows(app: &App) -> Vec<RowItem> {
    let titles: Vec<&str> = app
        .conf
        .minutes
        .items
        .iter()
        .map(|i| i.title.as_str())
        .collect();
    vec![RowItem::text(
        "agenda",
        app.strings.casework.agenda_field,
        &titles.join("\n"),
    )]
}

/// The minutes (prefilled with the stored text) and three decisions, as before; then per
/// agenda item its minutes and one decision, the situation per life area and the
/// plain-language summary (docs/casework.md § 4).
fn minutes_rows(app: &App) -> Vec<RowItem> {
    let s = app.strings.conf;
    let l = s.label;
    let text = app
        .conf
        .detail
        .as_ref()
        .map(|d| d.minutes.clone())
        .unwrap_or_default();
    let mut rows = vec![RowItem::text("minutes", l(ConfField::Minutes), &text)];
    let resp = responsible_options(app);
    // The category of an agreed measure, for the yearly report (docs/report.md § 2.5).
    let mut categories = vec![(
        String::new(),
        (app.strings.coop.code_label)("category", "none"),
    )];
    categories.extend(crate::domain::coop::MeasureCategory::ALL.iter().map(|c| {
        (
            c.code().to_string(),
            (app.strings.coop.code_label)("category", c.code()),
        )
    }));
    for i in 0..3 {
        rows.push(RowItem::heading(&(s.decision)(i + 1)));
        rows.push(RowItem::line(&format!("d{i}.text"), l(ConfField::Text), ""));
        rows.push(RowItem::choice(
            &format!("d{i}.resp"),
            l(ConfField::Responsible),
            resp.clone(),
            "",
        ));
        rows.push(RowItem::line(&format!("d{i}.due"), l(ConfField::Due), ""));
        rows.push(RowItem::choice(
            &format!("d{i}.cat"),
            l(ConfField::Category),
            categories.clone(),
            "",
        ));
    }
    let c = app.strings.casework;
    let m = &app.conf.minutes;
    for item in &m.items {
        let k = |f: &str| format!("top{}.{f}", item.no);
        rows.push(RowItem::heading(&(c.item_heading)(item.no, &item.title)));
        rows.push(RowItem::text(&k("minutes"), c.item_minutes, &item.minutes));
        rows.push(RowItem::line(&k("text"), c.item_decision, ""));
        rows.push(RowItem::choice(
            &k("resp"),
            l(ConfField::Responsible),
            resp.clone(),
            "",
        ));
        rows.push(RowItem::line(&k("due"), l(ConfField::Due), ""));
    }
    rows.push(RowItem::heading(c.areas_heading));
    for area in crate::domain::conference::LifeArea::ALL {
        let text = m
            .areas
            .iter()
            .find(|(a, _)| a == area)
            .map_or("", |(_, t)| t.as_str());
        rows.push(RowItem::text(
            &format!("area.{}", area.code()),
            (c.area)(*area),
            text,
        ));
    }
    rows.push(RowItem::text("summary", c.summary, &m.plain_summary));
    rows
}

/// Per participant: the invitation answer before the conference, the attendance after.
fn participation_rows(app: &App) -> Option<Vec<RowItem>> {
    let s = app.strings.conf;
    let c = app.conf.detail.as_ref()?;
    let held = !matches!(
        c.status,
        ConferenceStatus::Requested
            | ConferenceStatus::Scheduled
            | ConferenceStatus::Invited
            | ConferenceStatus::Postponed
    );
    let rows = c
        .participants
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
        .collect();
    Some(rows)
}

/// An open agreement (of the case file, or of the conference's agenda), its new state and
/// the result; None when no agreement is open.
fn measure_rows(app: &App) -> Option<Vec<RowItem>> {
    let s = app.strings.conf;
    let l = s.label;
    let measures: Vec<(String, String)> = if app.screen == Screen::Cases {
        app.cases
            .file
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
        app.conf
            .agenda
            .0
            .iter()
            .chain(app.conf.agenda.1.iter())
            .filter(|m| !m.measure.status.is_final())
            .map(|m| (m.measure.id.to_string(), m.measure.text.clone()))
            .collect()
    };
    if measures.is_empty() {
        return None;
    }
    Some(vec![
        RowItem::choice("measure", l(ConfField::Measure), measures, ""),
        RowItem::choice(
            "status",
            l(ConfField::Status),
            MeasureStatus::ALL
                .iter()
                .map(|m| (m.code().to_string(), (s.measure_status)(*m).to_string()))
                .collect(),
            "done",
        ),
        RowItem::line("result", l(ConfField::Result), ""),
    ])
}

/// Who may be responsible for a decision: the staff among the participants, or the young
/// person.
fn responsible_options(app: &App) -> Vec<(String, String)> {
    let mut v = vec![(String::new(), "–".to_string())];
    if let Some(d) = app.conf.detail.as_ref() {
        for p in &d.participants {
            if let (Some(id), Some(a)) = (p.participant.staff, p.participant.agency) {
                v.push((format!("staff:{}:{id}", a.code()), p.name.clone()));
            }
        }
    }
    v.push((
        "young_person".to_string(),
        app.strings.conf.young_person.to_string(),
    ));
    v
}

/// Reopens the minutes, or a "Vertagen" or "Absagen", that were being written when the
/// session ended; false when the conference is gone or no longer visible.
pub fn restore(app: &mut App, draft: &Draft) -> bool {
    let Some(item) = item_of(&draft.form) else {
        return false;
    };
    app.screen = Screen::Conferences;
    app.open_conference(draft.record_id);
    if app
        .conf
        .detail
        .as_ref()
        .is_none_or(|d| d.id != draft.record_id)
    {
        return false;
    }
    if !app.conf_menu_items().contains(&item) {
        // The step no longer fits (cancelled meanwhile …): the draft has nowhere to go.
        return false;
    }
    let Some(mut dialog) = ConfDialog::build(app, item) else {
        return false;
    };
    dialog.editor.set_values(&draft.values);
    // The minutes rest on the version they were typed against: minutes saved meanwhile
    // make the save a conflict, never an overwrite. (Drafts from before base versions
    // were kept say 0 and rest on what is shown now.)
    if draft.base_version > 0 {
        dialog.base_version = Some(draft.base_version);
    }
    if let Some(k) = draft.values.get(FOCUS_KEY) {
        dialog.editor.focus(k);
    }
    app.push(dialog);
    true
}

/// The demo login of [`example`]: a Jobcenter caseworker with a held conference whose
/// minutes are open (docs/domain.md 8).
pub const EXAMPLE_LOGIN: &str = "moellers";

/// Opens the minutes of a held conference the person took part in, as F3, `Enter`, `m` and
/// "Protokoll und Vereinbarungen" do; false when the demo data has none.
pub fn example(app: &mut App) -> bool {
    let today = app.local_now().date();
    let from = today - chrono::Duration::days(365);
    let Ok(rows) = app.store.conferences_for(&app.me, from, today) else {
        return false;
    };
    let me = app.me.id.0;
    // The latest one (a held conference of the last days is on the agenda).
    let Some(id) = rows
        .iter()
        .rev()
        .find(|r| {
            matches!(
                r.status,
                ConferenceStatus::Held | ConferenceStatus::MinutesDraft
            ) && r
                .participants
                .iter()
                .any(|p| p.participant.staff == Some(me))
        })
        .map(|r| r.id)
    else {
        return false;
    };
    app.update(Action::ScreenConferences);
    app.open_conference(id);
    if app.conf.view != ConfView::Detail || !app.conf_menu_items().contains(&ConfMenu::Minutes) {
        return false;
    }
    ConfDialog::start(app, ConfMenu::Minutes);
    app.layer::<ConfDialog>().is_some()
}

/// Opens "Vertagen" of a planned conference of the person, as F3, `Enter`, `m` and
/// "Vertagen" do; false when the demo data has none.
pub fn example_postpone(app: &mut App) -> bool {
    example_step(app, ConfMenu::Postpone)
}

/// Opens "Absagen" of a planned conference of the person; false when there is none.
pub fn example_cancel(app: &mut App) -> bool {
    example_step(app, ConfMenu::Cancel)
}

/// Opens "Tagesordnung festlegen" of a planned conference of the person.
pub fn example_agenda(app: &mut App) -> bool {
    example_step(app, ConfMenu::Agenda)
}

/// Opens step `item`'s dialog on the first conference of the coming weeks that offers it.
fn example_step(app: &mut App, item: ConfMenu) -> bool {
    let today = app.local_now().date();
    let Ok(rows) = app
        .store
        .conferences_for(&app.me, today, today + chrono::Duration::days(84))
    else {
        return false;
    };
    app.update(Action::ScreenConferences);
    for id in rows.iter().map(|r| r.id) {
        app.open_conference(id);
        if app.conf.view == ConfView::Detail && app.conf_menu_items().contains(&item) {
            ConfDialog::start(app, item);
            return app.layer::<ConfDialog>().is_some();
        }
    }
    false
}

impl Layer for ConfDialog {
    fn name(&self) -> &'static str {
        match self.item {
            ConfMenu::Postpone => POSTPONE_NAME,
            ConfMenu::Cancel => CANCEL_NAME,
            ConfMenu::Agenda => AGENDA_NAME,
            ConfMenu::Addendum => ADDENDUM_NAME,
            _ => NAME,
        }
    }

    fn contexts(&self) -> Vec<Context> {
        rows::contexts(Some(&self.editor))
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
            // Nothing typed (the stack asks first when there is).
            Action::Cancel => {
                self.discard(app);
                Outcome::Close
            }
            Action::Save => {
                let values = self.editor.values();
                match app.run_conf_step(
                    self.item,
                    &values,
                    Some(&mut self.editor),
                    self.base_version,
                ) {
                    StepOutcome::Done => {
                        if let Some((form, id)) = self.draft_key() {
                            app.forget_draft_of(form, id);
                        }
                        Outcome::Close
                    }
                    StepOutcome::NotDone => Outcome::Keep,
                    StepOutcome::ChangedMeanwhile(version) => {
                        // Shown now: the next save rests on it.
                        self.base_version = Some(version);
                        Outcome::Keep
                    }
                }
            }
            _ => Outcome::Keep,
        }
    }

    fn is_dirty(&self) -> bool {
        self.editor.dirty
    }

    fn draft(&self, app: &App) -> Option<Draft> {
        let (form, record) = self.draft_key().filter(|_| self.editor.dirty)?;
        let mut values = self.editor.values_with_focus();
        if let Some(c) = app.conf.detail.as_ref().filter(|c| c.id == record) {
            if let Some(start) = c.start {
                values.insert(
                    HELD_ON_KEY.to_string(),
                    crate::domain::date::format_german_date(start.date()),
                );
            }
            values.insert(CASE_KEY.to_string(), c.case_id.0.to_string());
        }
        let mut draft = Draft::new(app.me.id, form, record, values);
        draft.base_version = self.base_version.unwrap_or(0);
        Some(draft)
    }

    fn discard(&mut self, app: &mut App) {
        if let Some((form, id)) = self.draft_key() {
            app.forget_draft_of(form, id);
        }
    }

    fn field_text(&self) -> Option<String> {
        self.editor.focused_text()
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![Action::Save, Action::Cancel, Action::Toggle]
    }

    /// ```text
    /// ┌Protokoll und Vereinbarungen──────────────────────────────┐
    /// │▶Protokoll                      Mutter erreicht▏          │
    /// │── Vereinbarung 1                                         │
    /// │ Was                                                      │
    /// │Strg+S speichern · Tab nächstes Feld · Esc abbrechen      │
    /// └──────────────────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        render_dialog_box(
            frame,
            app.theme,
            (app.strings.conf.menu)(self.item),
            app.strings.cp.form_hint,
            &self.editor,
            areas.full,
        );
    }
}
