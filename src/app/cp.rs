//! The child-protection screens: the Jobcenter's referral form and list, the Jugendamt's
//! inbox with its step menu and four-eyes dialogs, and the on-call view (F6).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::rows::{Kind, MenuKey, RowEditor, RowItem, menu_key};
use super::{App, Popup, Question, Screen};
use crate::action::Action;
use crate::domain::calendar::WorkCalendar;
use crate::domain::referral::{
    AgeBand, AssessmentResult, Classification, ConsultResult, Deadlines, DirectImpression,
    FeedbackStatus, FollowUp, FourEyesStep, IndicatorArea, JaActive, LegalBasis, NextStep,
    PriorStep, Rating, ReferralInput, ReferralStatus, SecrecyHolder, Step, Urgency,
    is_ja_professional, key,
};
use crate::domain::{Agency, Role, Staff, StaffId};
use crate::storage::referrals::Function;
pub use crate::storage::referrals::{Consult, Referral, ReferralRow};
use crate::storage::{Draft, StorageError};
use crate::strings::cp::{CpStrings, MenuItem};

/// Name of the referral form in drafts (record 0: one unsent referral per person).
pub const REFERRAL_DRAFT: &str = "referral";

/// Name of an addendum being written in drafts (record: the referral).
pub const ADDENDUM_DRAFT: &str = "addendum";
/// Name of a consultation request being written in drafts (record 0).
pub const CONSULT_DRAFT: &str = "consult";

/// Child-protection settings of the site (`[child-protection]` in the configuration).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct CpSettings {
    /// "Telefon (Dienstzeit)" of the Jugendamt's child-protection service.
    pub office_phone: String,
    /// "Rufbereitschaft".
    pub oncall_phone: String,
    /// "Außerhalb der Dienstzeit".
    pub after_hours_route: String,
    /// Response times.
    pub deadlines: Deadlines,
    /// Closure days of the Jugendamt ("Schließtage"), as `JJJJ-MM-TT`.
    pub closure_days: Vec<chrono::NaiveDate>,
}

impl Default for CpSettings {
    fn default() -> Self {
        CpSettings {
            office_phone: "02366 0303 50".to_string(),
            oncall_phone: "0171 0000 303".to_string(),
            after_hours_route: "Polizei 110".to_string(),
            deadlines: Deadlines::default(),
            closure_days: Vec::new(),
        }
    }
}

impl CpSettings {
    /// The Jugendamt's working-day calendar.
    pub fn calendar(&self) -> WorkCalendar {
        WorkCalendar {
            closed: self.closure_days.clone(),
        }
    }
}

/// What the child-protection screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CpView {
    /// The list (inbox or own referrals).
    #[default]
    List,
    /// One referral.
    Detail,
    /// The entry form.
    Form,
}

/// An open step dialog.
#[derive(Debug)]
pub struct StepDialog {
    /// Which step.
    pub item: MenuItem,
    /// Its fields.
    pub editor: RowEditor,
}

/// State of the child-protection screens.
#[derive(Debug, Default)]
pub struct CpState {
    /// What the screen shows.
    pub view: CpView,
    /// The list.
    pub rows: Vec<ReferralRow>,
    /// Highlighted list row.
    pub cursor: usize,
    /// The on-call list.
    pub oncall: Vec<ReferralRow>,
    /// Highlighted on-call row.
    pub oncall_cursor: usize,
    /// The open referral.
    pub detail: Option<Referral>,
    /// Detail scroll.
    pub scroll: u16,
    /// The entry form.
    pub form: Option<RowEditor>,
    /// Steps offered in the menu.
    pub menu: Vec<MenuItem>,
    /// Highlighted menu entry.
    pub menu_cursor: usize,
    /// The open step dialog.
    pub dialog: Option<StepDialog>,
    /// Colleagues who can be asked to confirm (id, name).
    pub colleagues: Vec<(StaffId, String)>,
    /// The detail was opened from the on-call view.
    pub from_oncall: bool,
    /// The list shows anonymous consultations instead of referrals.
    pub consults_mode: bool,
    /// Anonymous consultations the person may see.
    pub consults: Vec<Consult>,
    /// Highlighted consultation.
    pub consult_cursor: usize,
}

fn opts<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    none: Option<&str>,
) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = none
        .map(|n| (String::new(), n.to_string()))
        .into_iter()
        .collect();
    v.extend(
        all.iter()
            .map(|x| (code(*x).to_string(), label(*x).to_string())),
    );
    v
}

/// The rows of the referral form for the typed `values` (the number of children and the
/// urgency shape the form).
pub fn referral_rows(
    s: &CpStrings,
    settings: &CpSettings,
    v: &BTreeMap<String, String>,
) -> Vec<RowItem> {
    let get = |k: &str| v.get(k).map_or("", String::as_str);
    let l = s.label;
    let mut rows = vec![
        RowItem::heading(s.sections[0]),
        RowItem::choice(
            key::URGENCY,
            l(key::URGENCY),
            opts(Urgency::ALL, Urgency::code, s.urgency, Some(s.unanswered)),
            get(key::URGENCY),
        ),
    ];
    if get(key::URGENCY) == Urgency::Acute.code() {
        rows.push(RowItem::notice(
            "acute_notice",
            &(s.acute_notice)(
                &settings.office_phone,
                &settings.oncall_phone,
                &settings.after_hours_route,
            ),
        ));
    }
    let line = |k: &str| RowItem::line(k, l(k), get(k));
    let text = |k: &str| RowItem::text(k, l(k), get(k));
    rows.extend([
        line(key::PHONED_AT),
        line(key::PHONED_TO),
        line(key::PHONE),
        line(key::REACHABLE),
    ]);
    rows.push(RowItem::choice(
        key::SECRECY,
        l(key::SECRECY),
        opts(SecrecyHolder::ALL, SecrecyHolder::code, s.secrecy, None),
        if get(key::SECRECY).is_empty() {
            "no"
        } else {
            get(key::SECRECY)
        },
    ));
    rows.push(RowItem::choice(
        key::BASIS,
        l(key::BASIS),
        opts(LegalBasis::ALL, LegalBasis::code, s.basis, None),
        if get(key::BASIS).is_empty() {
            "sgbx_69"
        } else {
            get(key::BASIS)
        },
    ));
    rows.push(line(key::CASE));
    rows.push(RowItem::heading(s.sections[1]));
    let count = get(key::CHILDREN)
        .parse::<usize>()
        .unwrap_or(1)
        .clamp(1, crate::domain::referral::MAX_CHILDREN);
    rows.push(RowItem::choice(
        key::CHILDREN,
        l(key::CHILDREN),
        (1..=crate::domain::referral::MAX_CHILDREN)
            .map(|n| (n.to_string(), n.to_string()))
            .collect(),
        &count.to_string(),
    ));
    for i in 0..count {
        rows.push(RowItem::heading(&(s.child)(i + 1)));
        for f in key::CHILD_FIELDS {
            let k = key::child(i, f);
            rows.push(RowItem::line(&k, l(f), get(&k)));
        }
    }
    rows.push(text(key::HOUSEHOLD));
    rows.push(RowItem::heading(s.sections[2]));
    rows.extend([
        line(key::OBSERVED),
        text(key::FACTS),
        text(key::VERBATIM),
        text(key::ASSESSMENT),
    ]);
    rows.push(RowItem::heading(s.sections[3]));
    for a in IndicatorArea::ALL {
        let k = key::indicator(*a);
        rows.push(RowItem::choice(
            &k,
            (s.area)(*a),
            opts(Rating::ALL, Rating::code, s.rating, Some("–")),
            get(&k),
        ));
    }
    rows.push(RowItem::heading(s.sections[4]));
    for st in PriorStep::ALL {
        let k = key::step(*st);
        rows.push(RowItem::choice(
            &k,
            (s.step)(*st),
            vec![
                (String::new(), s.unanswered.to_string()),
                ("yes".to_string(), s.yes_no_step[0].to_string()),
                ("no".to_string(), s.yes_no_step[1].to_string()),
            ],
            get(&k),
        ));
        let dk = key::step_detail(*st);
        rows.push(RowItem::line(&dk, l("detail"), get(&dk)));
    }
    rows.push(RowItem::text(
        key::ACTIONS,
        l(key::ACTIONS),
        get(key::ACTIONS),
    ));
    rows.push(RowItem::heading(s.sections[5]));
    rows.push(RowItem::tick(
        key::RECEIPT,
        l(key::RECEIPT),
        if v.contains_key(key::RECEIPT) {
            get(key::RECEIPT)
        } else {
            "1"
        },
    ));
    rows.push(RowItem::tick(
        key::FEEDBACK,
        l(key::FEEDBACK),
        if v.contains_key(key::FEEDBACK) {
            get(key::FEEDBACK)
        } else {
            "1"
        },
    ));
    rows
}

impl App {
    /// The current instant (fixed in tests).
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed_now.unwrap_or_else(Utc::now)
    }

    fn cp_strings(&self) -> &'static CpStrings {
        self.strings.cp
    }

    /// Reloads the child-protection lists.
    pub(super) fn reload_cp(&mut self) {
        let now = self.now();
        let cal = self.cp_settings.calendar();
        let d = self.cp_settings.deadlines;
        match self.store.referrals_for(&self.me, now, &cal, &d) {
            Ok(rows) => {
                self.cp.cursor = self.cp.cursor.min(rows.len().saturating_sub(1));
                self.cp.rows = rows;
            }
            Err(e) => self.report::<()>(Err(e)),
        }
        match self.store.oncall_referrals(&self.me, now, &cal, &d) {
            Ok(rows) => {
                self.cp.oncall_cursor = self.cp.oncall_cursor.min(rows.len().saturating_sub(1));
                self.cp.oncall = rows;
            }
            Err(e) => self.report::<()>(Err(e)),
        }
        match self.store.consults_for(&self.me) {
            Ok(c) => {
                self.cp.consult_cursor = self.cp.consult_cursor.min(c.len().saturating_sub(1));
                self.cp.consults = c;
            }
            Err(e) => self.report::<()>(Err(e)),
        }
        if let Some(id) = self.cp.detail.as_ref().map(|r| r.row.id) {
            self.load_referral(id, false);
        }
    }

    fn update_consult_list(&mut self, action: Action) {
        let n = self.cp.consults.len();
        match action {
            Action::Up => self.cp.consult_cursor = self.cp.consult_cursor.saturating_sub(1),
            Action::Down => {
                self.cp.consult_cursor = (self.cp.consult_cursor + 1).min(n.saturating_sub(1));
            }
            Action::First => self.cp.consult_cursor = 0,
            Action::Last => self.cp.consult_cursor = n.saturating_sub(1),
            Action::ToggleConsults => self.cp.consults_mode = false,
            Action::NewCase if self.me.has_role(Role::JcU25) => {
                self.start_step(MenuItem::ConsultRequest);
            }
            Action::Open => {
                let open = self
                    .cp
                    .consults
                    .get(self.cp.consult_cursor)
                    .is_some_and(|c| c.status == "requested");
                let insofa = self
                    .store
                    .has_function(self.me.id, Function::Insofa)
                    .unwrap_or(false);
                if open && insofa {
                    self.start_step(MenuItem::ConsultAdvise);
                } else {
                    self.set_status(self.cp_strings().no_steps.to_string(), false);
                }
            }
            _ => {}
        }
    }

    fn load_referral(&mut self, id: i64, reset: bool) {
        let now = self.now();
        let cal = self.cp_settings.calendar();
        match self
            .store
            .referral(&self.me, id, now, &cal, &self.cp_settings.deadlines)
        {
            Ok(r) => {
                self.cp.detail = Some(r);
                if reset {
                    self.cp.scroll = 0;
                }
                self.cp.view = CpView::Detail;
            }
            Err(e) => {
                self.cp.detail = None;
                self.cp.view = CpView::List;
                self.report::<()>(Err(e));
            }
        }
    }

    /// Opens the referral form (restoring `values` from a draft).
    pub(super) fn open_referral_form(&mut self, values: &BTreeMap<String, String>) {
        let rows = referral_rows(self.cp_strings(), &self.cp_settings, values);
        let mut editor = RowEditor::new(rows);
        editor.dirty = !values.is_empty();
        if let Some(k) = values.get(super::FOCUS_KEY) {
            editor.focus(k);
        }
        self.cp.form = Some(editor);
        self.cp.view = CpView::Form;
        self.screen = Screen::ChildProtection;
    }

    /// The referral form's draft, when it holds input.
    pub(super) fn referral_draft(&self) -> Option<Draft> {
        let form = self.cp.form.as_ref().filter(|f| f.dirty)?;
        let mut values = form.values();
        if let Some(cur) = form.current() {
            values.insert(super::FOCUS_KEY.to_string(), cur.key.clone());
        }
        Some(Draft {
            staff_id: self.me.id,
            form: REFERRAL_DRAFT.to_string(),
            record_id: 0,
            base_version: 0,
            base_person_version: 0,
            values,
            base_values: BTreeMap::new(),
            updated_at: String::new(),
        })
    }

    fn send_referral(&mut self) {
        let Some(form) = self.cp.form.as_mut() else {
            return;
        };
        let now = self.fixed_now.unwrap_or_else(Utc::now);
        let values = form.values();
        let local = crate::domain::tz::to_local(now);
        match ReferralInput::from_values(&values, local) {
            Err(problems) => {
                let msgs = problems
                    .into_iter()
                    .map(|(k, p)| (k, (self.strings.problem)(&p, self.strings)))
                    .collect();
                form.set_errors(msgs);
                self.set_status(self.strings.check_fields.to_string(), true);
            }
            Ok(input) => match self.store.send_referral(&self.me, &input, now) {
                Ok(id) => {
                    self.cp.form = None;
                    self.forget_draft_of(REFERRAL_DRAFT, 0);
                    self.reload_cp();
                    self.load_referral(id, true);
                    self.set_status(self.cp_strings().sent.to_string(), false);
                }
                Err(StorageError::StepRefused(code)) => {
                    let msg = (self.cp_strings().refusal)(code).to_string();
                    if let Some(f) = self.cp.form.as_mut() {
                        f.set_errors(vec![(key::CASE.to_string(), msg.clone())]);
                    }
                    self.set_status(msg, true);
                }
                Err(e) => self.report::<()>(Err(e)),
            },
        }
    }

    /// Keys on the child-protection screen.
    pub(super) fn update_cp(&mut self, action: Action) {
        if self.cp.view == CpView::List && self.cp.consults_mode {
            self.update_consult_list(action);
            return;
        }
        match self.cp.view {
            CpView::List => match action {
                Action::ToggleConsults => {
                    self.log_screen(crate::domain::access::ScreenRead::ConsultList);
                    self.cp.consults_mode = true;
                }
                Action::Up => self.cp.cursor = self.cp.cursor.saturating_sub(1),
                Action::Down => {
                    self.cp.cursor = (self.cp.cursor + 1).min(self.cp.rows.len().saturating_sub(1));
                }
                Action::First => self.cp.cursor = 0,
                Action::Last => self.cp.cursor = self.cp.rows.len().saturating_sub(1),
                Action::PageDown => {
                    self.cp.cursor =
                        (self.cp.cursor + 10).min(self.cp.rows.len().saturating_sub(1));
                }
                Action::PageUp => self.cp.cursor = self.cp.cursor.saturating_sub(10),
                Action::Open => {
                    if let Some(id) = self.cp.rows.get(self.cp.cursor).map(|r| r.id) {
                        self.cp.from_oncall = false;
                        self.load_referral(id, true);
                    }
                }
                Action::NewCase
                    if self.me.agency == Agency::Jobcenter && self.me.has_role(Role::JcU25) =>
                {
                    self.open_referral_form(&BTreeMap::new());
                }
                _ => {}
            },
            CpView::Detail => match action {
                Action::Back => {
                    self.cp.view = CpView::List;
                    self.cp.detail = None;
                    if self.cp.from_oncall {
                        self.screen = Screen::OnCall;
                    }
                }
                Action::Up => self.cp.scroll = self.cp.scroll.saturating_sub(1),
                Action::Down => self.cp.scroll = self.cp.scroll.saturating_add(1).min(500),
                Action::PageUp => self.cp.scroll = self.cp.scroll.saturating_sub(10),
                Action::PageDown => self.cp.scroll = self.cp.scroll.saturating_add(10).min(500),
                Action::First => self.cp.scroll = 0,
                Action::StepMenu => self.open_step_menu(),
                _ => {}
            },
            CpView::Form => self.update_cp_form(action),
        }
    }

    fn update_cp_form(&mut self, action: Action) {
        let Some(form) = self.cp.form.as_mut() else {
            return;
        };
        if let Some(changed) = form.navigate(action) {
            if let Some(k) = changed {
                self.reshape_form(&k);
            }
            return;
        }
        match action {
            Action::Save => self.send_referral(),
            Action::Cancel => {
                if form.dirty {
                    self.push(super::Ask::new(Question::DiscardLegacy));
                } else {
                    self.cp.form = None;
                    self.cp.view = CpView::List;
                }
            }
            _ => {}
        }
    }

    /// Rebuilds the form when a choice changes its shape (urgency, number of children).
    fn reshape_form(&mut self, changed: &str) {
        if changed != key::URGENCY && changed != key::CHILDREN {
            return;
        }
        let strings = self.cp_strings();
        if let Some(form) = self.cp.form.as_mut() {
            let values = form.values();
            let rows = referral_rows(strings, &self.cp_settings, &values);
            form.replace_rows(rows);
        }
    }

    /// The draft of an addendum or consultation request being written, if it holds input.
    pub(super) fn cp_dialog_draft(&self) -> Option<Draft> {
        let d = self.cp.dialog.as_ref().filter(|d| d.editor.dirty)?;
        let (form, record) = match d.item {
            MenuItem::Addendum => (ADDENDUM_DRAFT, self.cp.detail.as_ref()?.row.id),
            MenuItem::ConsultRequest => (CONSULT_DRAFT, 0),
            _ => return None,
        };
        Some(Draft {
            staff_id: self.me.id,
            form: form.to_string(),
            record_id: record,
            base_version: 0,
            base_person_version: 0,
            values: d.editor.values(),
            base_values: BTreeMap::new(),
            updated_at: String::new(),
        })
    }

    /// Reopens an addendum or consultation request from a draft; false when the referral
    /// is gone or no longer visible.
    pub(super) fn restore_cp_dialog_draft(&mut self, draft: &Draft) -> bool {
        self.screen = Screen::ChildProtection;
        self.reload_cp();
        let item = if draft.form == ADDENDUM_DRAFT {
            self.load_referral(draft.record_id, true);
            if self.cp.detail.is_none() {
                return false;
            }
            MenuItem::Addendum
        } else {
            self.cp.consults_mode = true;
            MenuItem::ConsultRequest
        };
        self.start_step(item);
        if let Some(d) = self.cp.dialog.as_mut() {
            d.editor.set_values(&draft.values);
        }
        true
    }

    /// Discards the referral form and its draft.
    pub(super) fn discard_referral(&mut self) {
        self.cp.form = None;
        self.cp.view = CpView::List;
        self.forget_draft_of(REFERRAL_DRAFT, 0);
    }

    /// The steps `me` may take on the open referral now.
    fn menu_items(&self) -> Vec<MenuItem> {
        let Some(r) = self.cp.detail.as_ref() else {
            return Vec::new();
        };
        let me = &self.me;
        let mut items = Vec::new();
        if r.reporter_id == me.id && r.row.status != ReferralStatus::Closed {
            items.push(MenuItem::Addendum);
        }
        if !is_ja_professional(me) {
            return items;
        }
        let Some(ja) = r.ja.as_ref() else {
            return items;
        };
        if let Some(p) = &ja.pending {
            if p.by != me.id {
                items.push(MenuItem::Confirm);
                items.push(MenuItem::Decline);
            }
            return items;
        }
        match r.row.status {
            ReferralStatus::Sent => items.push(MenuItem::Receive),
            ReferralStatus::Received => {
                items.push(MenuItem::Triage);
                items.push(MenuItem::Forward);
            }
            ReferralStatus::Triaged if r.row.class == Some(Classification::NoIndicators) => {
                items.push(MenuItem::CloseAtTriage);
            }
            ReferralStatus::Triaged => items.push(MenuItem::Clarify),
            ReferralStatus::Investigating => items.push(MenuItem::Assess),
            ReferralStatus::Assessed | ReferralStatus::Measures => {
                if r.row.status == ReferralStatus::Assessed {
                    items.push(MenuItem::Measures);
                }
                if r.row.feedback != Some(FeedbackStatus::Open) {
                    items.push(MenuItem::Close);
                }
            }
            _ => {}
        }
        if r.row.feedback == Some(FeedbackStatus::Open)
            && matches!(
                r.row.status,
                ReferralStatus::Assessed | ReferralStatus::Measures | ReferralStatus::Closed
            )
        {
            items.push(MenuItem::Feedback);
            items.push(MenuItem::FeedbackNotPermitted);
        }
        items
    }

    fn open_step_menu(&mut self) {
        let items = self.menu_items();
        if items.is_empty() {
            self.set_status(self.cp_strings().no_steps.to_string(), false);
            return;
        }
        self.cp.menu = items;
        self.cp.menu_cursor = 0;
        self.popup = Some(Popup::StepMenu);
    }

    /// Keys in the step menu.
    pub(super) fn update_step_menu(&mut self, action: Action) {
        match menu_key(&mut self.cp.menu_cursor, self.cp.menu.len(), action) {
            MenuKey::Moved => {}
            MenuKey::Closed => self.popup = None,
            MenuKey::Chosen(i) => {
                self.popup = None;
                if let Some(item) = self.cp.menu.get(i).copied() {
                    self.start_step(item);
                }
            }
        }
    }

    /// "Zweite Fachkraft": the colleague asked to confirm a four-eyes step.
    fn second_row(&mut self) -> RowItem {
        let colleagues = self.colleagues();
        RowItem::choice("second", self.cp_strings().dialog[0], colleagues, "")
    }

    fn colleagues(&mut self) -> Vec<(String, String)> {
        let all = self.store.active_staff().unwrap_or_default();
        let list: Vec<&Staff> = all
            .iter()
            .filter(|s| s.id != self.me.id && is_ja_professional(s))
            .collect();
        self.cp.colleagues = list.iter().map(|s| (s.id, s.display_name())).collect();
        list.iter()
            .map(|s| (s.id.0.to_string(), s.display_name()))
            .collect()
    }

    fn start_step(&mut self, item: MenuItem) {
        let s = self.cp_strings();
        let rows = match item {
            MenuItem::Receive
            | MenuItem::Clarify
            | MenuItem::Close
            | MenuItem::Confirm
            | MenuItem::Decline => {
                self.run_step(item, &BTreeMap::new());
                return;
            }
            MenuItem::Forward => vec![RowItem::line("text", s.dialog[1], "")],
            MenuItem::FeedbackNotPermitted => vec![RowItem::line("text", s.dialog[2], "")],
            MenuItem::Addendum => vec![RowItem::text("text", s.dialog[3], "")],
            MenuItem::ConsultRequest => vec![
                RowItem::choice(
                    "band",
                    s.consult_fields[0],
                    opts(AgeBand::ALL, AgeBand::code, s.age_band, None),
                    "",
                ),
                RowItem::text("text", s.consult_fields[1], ""),
            ],
            MenuItem::ConsultAdvise => vec![
                RowItem::choice(
                    "result",
                    s.consult_fields[2],
                    opts(
                        ConsultResult::ALL,
                        ConsultResult::code,
                        s.consult_result,
                        None,
                    ),
                    "",
                ),
                RowItem::text("text", s.consult_fields[3], ""),
            ],
            MenuItem::Measures => vec![RowItem::choice(
                "follow_up",
                (s.menu)(MenuItem::Measures),
                opts(FollowUp::ALL, FollowUp::code, s.follow_up, None),
                "",
            )],
            MenuItem::Triage => {
                let class = self.cp.detail.as_ref().map_or("", |r| r.row.urgency.code());
                let mut rows = vec![
                    RowItem::choice(
                        "class",
                        (s.label)("class"),
                        opts(Classification::ALL, Classification::code, s.class, None),
                        class,
                    ),
                    RowItem::choice(
                        "next_step",
                        (s.label)("next_step"),
                        opts(NextStep::ALL, NextStep::code, s.next_step, None),
                        "",
                    ),
                ];
                rows.push(self.second_row());
                rows
            }
            MenuItem::CloseAtTriage => vec![self.second_row()],
            MenuItem::Assess => {
                let mut rows = vec![RowItem::choice(
                    "impression",
                    (s.label)("impression"),
                    opts(
                        DirectImpression::ALL,
                        DirectImpression::code,
                        s.impression,
                        None,
                    ),
                    "",
                )];
                let children: Vec<String> = self
                    .cp
                    .detail
                    .as_ref()
                    .map(|r| {
                        r.input
                            .children
                            .iter()
                            .map(|c| c.given_names.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                for (i, name) in children.iter().enumerate() {
                    rows.push(RowItem::choice(
                        &format!("result.{i}"),
                        name,
                        opts(
                            AssessmentResult::ALL,
                            AssessmentResult::code,
                            s.result,
                            None,
                        ),
                        "",
                    ));
                }
                rows.push(self.second_row());
                rows
            }
            MenuItem::Feedback => {
                let leads: Vec<(String, String)> = self
                    .store
                    .active_staff()
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|x| {
                        x.agency == Agency::Jugendamt
                            && x.has_role(Role::Lead)
                            && x.id != self.me.id
                    })
                    .map(|x| (x.id.0.to_string(), x.display_name()))
                    .collect();
                vec![
                    RowItem::choice(
                        "confirmed",
                        s.dialog[4],
                        vec![
                            ("yes".into(), self.strings.yes_no[0].into()),
                            ("no".into(), self.strings.yes_no[1].into()),
                        ],
                        "yes",
                    ),
                    RowItem::choice(
                        "ja_active",
                        s.dialog[5],
                        opts(JaActive::ALL, JaActive::code, s.ja_active, None),
                        "",
                    ),
                    RowItem::choice("second", s.dialog[0], leads, ""),
                ]
            }
        };
        self.cp.dialog = Some(StepDialog {
            item,
            editor: RowEditor::new(rows),
        });
        self.popup = Some(Popup::StepDialog);
    }

    /// Keys in a step dialog.
    pub(super) fn update_step_dialog(&mut self, action: Action) {
        let Some(dialog) = self.cp.dialog.as_mut() else {
            self.popup = None;
            return;
        };
        if dialog.editor.navigate(action).is_some() {
            return;
        }
        match action {
            Action::Cancel => {
                if let Some(d) = self.cp_dialog_draft() {
                    self.forget_draft_of(&d.form, d.record_id);
                }
                self.cp.dialog = None;
                self.popup = None;
            }
            Action::Save => {
                let item = dialog.item;
                let values = dialog.editor.values();
                let needs_text = matches!(
                    item,
                    MenuItem::Forward
                        | MenuItem::FeedbackNotPermitted
                        | MenuItem::Addendum
                        | MenuItem::ConsultRequest
                );
                if needs_text && values.get("text").is_none_or(|t| t.trim().is_empty()) {
                    let msg = (self.strings.problem)(
                        &crate::domain::validation::Problem::Required,
                        self.strings,
                    );
                    dialog.editor.set_errors(vec![("text".to_string(), msg)]);
                    return;
                }
                let draft = self.cp_dialog_draft();
                if self.run_step(item, &values) {
                    if let Some(d) = draft {
                        self.forget_draft_of(&d.form, d.record_id);
                    }
                    self.cp.dialog = None;
                    self.popup = None;
                }
            }
            _ => {}
        }
    }

    /// Runs a step; true when it was recorded.
    fn run_step(&mut self, item: MenuItem, values: &BTreeMap<String, String>) -> bool {
        if matches!(item, MenuItem::ConsultRequest | MenuItem::ConsultAdvise) {
            return self.run_consult(item, values);
        }
        let Some(r) = self.cp.detail.as_ref() else {
            return false;
        };
        let (id, version) = (r.row.id, r.row.version);
        let now = self.now();
        let cal = self.cp_settings.calendar();
        let d = self.cp_settings.deadlines;
        let text = values.get("text").cloned().unwrap_or_default();
        let second = values
            .get("second")
            .and_then(|v| v.parse::<i64>().ok())
            .map(StaffId);
        let me = self.me.clone();
        let store = &self.store;
        let propose = |step: FourEyesStep, payload: &BTreeMap<String, String>| {
            store.propose_referral_step(&me, id, version, step, payload, second, now, &cal, &d)
        };
        let res = match item {
            MenuItem::Receive => {
                store.referral_single(&me, id, version, Step::Receive, "", now, &cal, &d)
            }
            MenuItem::Forward => {
                store.referral_single(&me, id, version, Step::Forward, &text, now, &cal, &d)
            }
            MenuItem::Clarify => store.referral_single(
                &me,
                id,
                version,
                Step::StartClarification,
                "",
                now,
                &cal,
                &d,
            ),
            MenuItem::Measures => store.referral_single(
                &me,
                id,
                version,
                Step::RecordMeasures,
                values.get("follow_up").map_or("", String::as_str),
                now,
                &cal,
                &d,
            ),
            MenuItem::Close => {
                store.referral_single(&me, id, version, Step::Close, "", now, &cal, &d)
            }
            MenuItem::FeedbackNotPermitted => store.referral_single(
                &me,
                id,
                version,
                Step::FeedbackNotPermitted,
                &text,
                now,
                &cal,
                &d,
            ),
            MenuItem::Triage => propose(FourEyesStep::Triage, values),
            MenuItem::CloseAtTriage => propose(FourEyesStep::CloseAtTriage, values),
            MenuItem::Assess => propose(FourEyesStep::Assessment, values),
            MenuItem::Feedback => propose(FourEyesStep::ContentFeedback, values),
            MenuItem::Confirm => store.confirm_referral_step(&me, id, version, true, now, &cal, &d),
            MenuItem::Decline => {
                store.confirm_referral_step(&me, id, version, false, now, &cal, &d)
            }
            MenuItem::Addendum => store.add_referral_addendum(&me, id, &text, now),
            MenuItem::ConsultRequest | MenuItem::ConsultAdvise => return false,
        };
        match res {
            Ok(()) => {
                let who = second
                    .and_then(|s| {
                        self.cp
                            .colleagues
                            .iter()
                            .find(|(i, _)| *i == s)
                            .map(|(_, n)| n.clone())
                    })
                    .or_else(|| values.get("second").cloned())
                    .unwrap_or_default();
                let msg = if matches!(
                    item,
                    MenuItem::Triage
                        | MenuItem::CloseAtTriage
                        | MenuItem::Assess
                        | MenuItem::Feedback
                ) {
                    (self.cp_strings().proposed)(&who)
                } else {
                    self.cp_strings().done.to_string()
                };
                self.reload_cp();
                self.load_referral(id, false);
                self.set_status(msg, false);
                true
            }
            Err(StorageError::StepRefused(code)) => {
                self.set_status((self.cp_strings().refusal)(code).to_string(), true);
                false
            }
            Err(e) => {
                self.report::<()>(Err(e));
                self.reload_cp();
                false
            }
        }
    }

    fn run_consult(&mut self, item: MenuItem, values: &BTreeMap<String, String>) -> bool {
        let now = self.now();
        let text = values.get("text").cloned().unwrap_or_default();
        let res = if item == MenuItem::ConsultRequest {
            let band = values
                .get("band")
                .and_then(|b| AgeBand::from_code(b))
                .unwrap_or(AgeBand::A0);
            self.store
                .request_consult(&self.me, band, &text, now)
                .map(|_| ())
        } else {
            let Some(c) = self.cp.consults.get(self.cp.consult_cursor) else {
                return false;
            };
            let result = values
                .get("result")
                .and_then(|r| ConsultResult::from_code(r))
                .unwrap_or(ConsultResult::NoAction);
            self.store
                .advise_consult(&self.me, c.id, c.version, result, &text, now)
        };
        match res {
            Ok(()) => {
                self.reload_cp();
                self.set_status(self.cp_strings().consult_saved.to_string(), false);
                true
            }
            Err(StorageError::StepRefused(code)) => {
                self.set_status((self.cp_strings().refusal)(code).to_string(), true);
                false
            }
            Err(e) => {
                self.report::<()>(Err(e));
                self.reload_cp();
                false
            }
        }
    }

    /// Keys on the on-call screen.
    pub(super) fn update_oncall(&mut self, action: Action) {
        match action {
            Action::Up => self.cp.oncall_cursor = self.cp.oncall_cursor.saturating_sub(1),
            Action::Down => {
                self.cp.oncall_cursor =
                    (self.cp.oncall_cursor + 1).min(self.cp.oncall.len().saturating_sub(1));
            }
            Action::First => self.cp.oncall_cursor = 0,
            Action::Open => {
                if let Some(id) = self.cp.oncall.get(self.cp.oncall_cursor).map(|r| r.id) {
                    self.screen = Screen::ChildProtection;
                    self.cp.from_oncall = true;
                    self.load_referral(id, true);
                }
            }
            _ => {}
        }
    }

    /// Whether the form or dialog of the child-protection screen takes typed text now.
    pub(super) fn cp_takes_text(&self) -> bool {
        match self.popup {
            Some(Popup::ConfDialog) => self
                .conf
                .dialog
                .as_ref()
                .and_then(|d| d.editor.current())
                .is_some_and(RowItem::takes_text),
            None if self.screen == Screen::Conferences => {
                self.conf.view == super::conf::ConfView::Form
                    && self
                        .conf
                        .form
                        .as_ref()
                        .and_then(RowEditor::current)
                        .is_some_and(RowItem::takes_text)
            }
            Some(Popup::StepDialog) => self
                .cp
                .dialog
                .as_ref()
                .and_then(|d| d.editor.current())
                .is_some_and(RowItem::takes_text),
            None => {
                self.screen == Screen::ChildProtection
                    && self.cp.view == CpView::Form
                    && self
                        .cp
                        .form
                        .as_ref()
                        .and_then(RowEditor::current)
                        .is_some_and(RowItem::takes_text)
            }
            _ => false,
        }
    }

    /// The editor that takes text now.
    pub(super) fn cp_editor_mut(&mut self) -> Option<&mut RowEditor> {
        if self.popup == Some(Popup::StepDialog) {
            return self.cp.dialog.as_mut().map(|d| &mut d.editor);
        }
        if self.popup == Some(Popup::ConfDialog) {
            return self.conf.dialog.as_mut().map(|d| &mut d.editor);
        }
        if self.popup.is_none()
            && self.screen == Screen::Conferences
            && self.conf.view == super::conf::ConfView::Form
        {
            return self.conf.form.as_mut();
        }
        if self.screen == Screen::ChildProtection && self.cp.view == CpView::Form {
            return self.cp.form.as_mut();
        }
        None
    }

    /// The keymap contexts of the focused row of an editor.
    pub(super) fn cp_contexts(editor: Option<&RowEditor>) -> Vec<crate::keymap::Context> {
        use crate::keymap::Context;
        let row = editor.and_then(RowEditor::current);
        let mut v = Vec::new();
        match row.map(|r| &r.kind) {
            Some(Kind::Line(_)) => v.push(Context::Text),
            Some(Kind::Choice { .. } | Kind::Tick(_)) => v.push(Context::Field),
            _ => {}
        }
        v.push(Context::Form);
        v.push(Context::Global);
        v
    }
}
