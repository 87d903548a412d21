//! The child-protection screen (F4) and the on-call view (F6): the Jobcenter's own
//! referrals, the Jugendamt's inbox, one referral, and the anonymous consultations
//! (docs/domain.md 4.5, 4.6). The referral form, the step menu and the step dialogs are
//! layers (docs/architecture.md § 4): `app/layers/referral_form.rs`, `step_menu.rs` and
//! `step_dialog.rs`; the steps themselves run in [`steps`].

mod early_help;
mod steps;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::action::Action;
use crate::app::layers::referral_form::ReferralForm;
use crate::app::layers::step_dialog::StepDialog;
use crate::app::layers::step_menu::StepMenu;
use crate::app::{App, Screen};
use crate::domain::calendar::WorkCalendar;
use crate::domain::referral::{
    Classification, Deadlines, FeedbackStatus, ReferralStatus, is_ja_professional,
};
use crate::domain::{Agency, Role, StaffId};
use crate::model::referral::{Consult, Function, Referral, ReferralRow};
use crate::strings::cp::MenuItem;

/// Who is on call now (name, until) and the next shift (name, from).
pub type Rota = (
    Vec<(String, DateTime<Utc>)>,
    Option<(String, DateTime<Utc>)>,
);

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
    /// Closure days of the Jugendamt ("Schließtage"): TOML dates (`2026-12-24`) or strings
    /// (`"2026-12-24"`).
    #[serde(deserialize_with = "closure_days")]
    pub closure_days: Vec<chrono::NaiveDate>,
    /// Whether the content feedback to the Jobcenter needs the lead's second signature
    /// (docs/domain.md 4.5 "+ lead, configurable"; docs/casework.md § 6). On by default.
    pub feedback_lead_signs: bool,
    /// The information at benefit withdrawal (docs/domain.md 4.8, docs/casework.md § 9):
    /// off by default, switched on by the site from 01.07.2026.
    pub feature_withdrawal_notice: bool,
    /// The legal bases offered for an information to the Jugendamt.
    pub withdrawal_legal_bases: Vec<String>,
    /// The deadlines of early help (docs/early-help.md § 5).
    pub early_help: crate::domain::early_help::EhDeadlines,
}

/// One closure day as written in the configuration.
#[derive(Deserialize)]
#[serde(untagged)]
enum ClosureDay {
    /// A TOML local date, `2026-12-24`.
    Date(toml::value::Datetime),
    /// A string, `"2026-12-24"`.
    Text(String),
}

/// Closure days from TOML dates or strings; a time or an offset is refused.
fn closure_days<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<chrono::NaiveDate>, D::Error> {
    use serde::de::Error;
    Vec::<ClosureDay>::deserialize(d)?
        .into_iter()
        .map(|day| match day {
            ClosureDay::Date(toml::value::Datetime {
                date: Some(date),
                time: None,
                offset: None,
            }) => chrono::NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            )
            .ok_or_else(|| D::Error::custom("no such day")),
            ClosureDay::Date(_) => Err(D::Error::custom("a closure day is a date")),
            ClosureDay::Text(text) => chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .map_err(|_| D::Error::custom("a closure day is a date")),
        })
        .collect()
}

impl Default for CpSettings {
    fn default() -> Self {
        CpSettings {
            office_phone: "02366 0303 50".to_string(),
            oncall_phone: "0171 0000 303".to_string(),
            after_hours_route: "Polizei 110".to_string(),
            deadlines: Deadlines::default(),
            closure_days: Vec::new(),
            feedback_lead_signs: true,
            feature_withdrawal_notice: false,
            withdrawal_legal_bases: vec!["§ 69 Abs. 1 Nr. 1 SGB X".to_string()],
            early_help: crate::domain::early_help::EhDeadlines::default(),
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
}

/// An akut referral whose receipt deadline has passed while it is still not received.
pub fn is_reporter_overdue(r: &ReferralRow, now: chrono::DateTime<chrono::Utc>) -> bool {
    r.urgency == crate::domain::referral::Urgency::Acute
        && r.status == ReferralStatus::Sent
        && r.deadline.is_some_and(|d| {
            d.clock == crate::domain::referral::Clock::Receipt
                && d.state(now) == crate::domain::referral::DeadlineState::Overdue
        })
}

/// State of the child-protection screen and the on-call view.
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
    /// The list shows the information at benefit withdrawal (docs/casework.md § 9).
    pub withdrawals_mode: bool,
    /// The reviews and information the person may see.
    pub withdrawals: Vec<crate::model::referral::WithdrawalNotice>,
    /// Highlighted review.
    pub withdrawal_cursor: usize,
    /// The list shows early help (docs/early-help.md).
    pub eh_mode: bool,
    /// The contact requests the person may see, as they may see them.
    pub eh_rows: Vec<crate::model::early_help::EhRequest>,
    /// Highlighted request.
    pub eh_cursor: usize,
    /// The request whose detail was last read (and audited) for the highlight.
    pub eh_read: Option<i64>,
    /// Who is on call now (name, until) and the next shift (name, from).
    pub rota: Rota,
    /// Whether the viewer is inside a shift now (for a `ja_oncall` worker).
    pub on_shift: bool,
    /// Passed deadlines that reached the viewer as deputy or lead and wait for their
    /// acknowledgement (docs/casework.md § 6).
    pub escalations: Vec<crate::model::referral::Escalation>,
    /// When the escalations were last read (a deadline passes without any save).
    pub escalations_at: Option<std::time::Instant>,
}

impl App {
    /// The reporter's own akut referrals whose receipt deadline has passed unreceived
    /// (Jobcenter only; empty for the Jugendamt, whose lists show the deadlines).
    pub fn reporter_overdue(&self) -> Vec<ReferralRow> {
        if self.me.agency != Agency::Jobcenter {
            return Vec::new();
        }
        let now = self.now();
        let cal = self.calendar_for_cp();
        self.store
            .unreceived_acute_referrals(&self.me, now, &cal, &self.cp_settings.deadlines)
            .unwrap_or_default()
            .into_iter()
            .filter(|r| is_reporter_overdue(r, now))
            .collect()
    }

    /// The warning for the reporter's overdue akut referrals, with the numbers to phone;
    /// `None` when there is none.
    pub fn reporter_overdue_warning(&self, rows: &[ReferralRow]) -> Option<String> {
        let now = self.now();
        let overdue: Vec<&ReferralRow> = rows
            .iter()
            .filter(|r| self.me.agency == Agency::Jobcenter && is_reporter_overdue(r, now))
            .collect();
        if overdue.is_empty() {
            return None;
        }
        let children = overdue
            .iter()
            .flat_map(|r| {
                r.children
                    .iter()
                    .map(|(n, _)| crate::domain::text::sanitize(n, false))
            })
            .collect::<Vec<_>>()
            .join(", ");
        // A number is never wrapped in two: its spaces do not break.
        let whole = |n: &str| n.replace(' ', "\u{a0}");
        let c = &self.cp_settings;
        Some((self.strings.cp.reporter_overdue)(
            &children,
            &whole(&c.office_phone),
            &whole(&c.oncall_phone),
            &whole(&c.after_hours_route),
        ))
    }

    fn calendar_for_cp(&self) -> WorkCalendar {
        self.cp_settings.calendar()
    }

    /// Who is on call now and next, and whether the viewer is (docs/casework.md § 5).
    pub(crate) fn reload_rota(&mut self) {
        match self.store.on_call_now_and_next(self.now()) {
            Ok((now, next)) => {
                self.cp.rota = (
                    now.into_iter().map(|s| (s.name, s.end)).collect(),
                    next.map(|s| (s.name, s.start)),
                );
            }
            Err(e) => self.report::<()>(Err(e)),
        }
        self.cp.on_shift = self.store.is_on_shift(&self.me).unwrap_or(false);
    }

    /// "Bereitschaft jetzt: Kathrin Hegemann bis 26.11. 08:00 · danach: … ab …".
    pub fn rota_line(&self) -> String {
        let c = self.strings.casework;
        let at = |t: &DateTime<Utc>| {
            crate::domain::tz::to_local(*t)
                .format("%d.%m. %H:%M")
                .to_string()
        };
        let clean = |n: &str| crate::domain::text::sanitize(n, false);
        let now = if self.cp.rota.0.is_empty() {
            c.rota_nobody.to_string()
        } else {
            self.cp
                .rota
                .0
                .iter()
                .map(|(n, until)| format!("{} {}", clean(n), (c.until_from[0])(&at(until))))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let next = self.cp.rota.1.as_ref().map_or_else(
            || c.rota_nobody.to_string(),
            |(n, from)| format!("{} {}", clean(n), (c.until_from[1])(&at(from))),
        );
        (c.rota_line)(&now, &next)
    }

    /// Re-reads the escalations waiting for the viewer's acknowledgement.
    pub(crate) fn refresh_escalations(&mut self) {
        if self.me.agency != crate::domain::Agency::Jugendamt {
            return;
        }
        let cal = self.cp_settings.calendar();
        let d = self.cp_settings.deadlines;
        self.cp.escalations_at = Some(std::time::Instant::now());
        match self.store.escalations(&self.me, self.now(), &cal, &d) {
            Ok(e) => {
                if e != self.cp.escalations {
                    self.needs_redraw = true;
                }
                self.cp.escalations = e;
            }
            Err(e) => self.report::<()>(Err(e)),
        }
    }

    /// The first waiting escalation in words, with how many wait.
    pub fn escalation_text(&self) -> Option<String> {
        let e = self.cp.escalations.first()?;
        let due = crate::domain::tz::to_local(e.deadline.due)
            .format("%d.%m. %H:%M")
            .to_string();
        Some((self.strings.casework.escalation)(
            e.reference
                .as_deref()
                .unwrap_or(self.strings.casework.no_reference),
            (self.strings.cp.clock)(e.deadline.clock),
            &due,
            self.cp.escalations.len(),
        ))
    }

    /// F9: acknowledges the first waiting escalation (audited).
    pub(crate) fn acknowledge_escalation(&mut self) {
        self.refresh_escalations();
        let Some(e) = self.cp.escalations.first().cloned() else {
            self.set_status(self.strings.casework.no_escalation.to_string(), false);
            return;
        };
        let me = self.me.clone();
        match self.store.acknowledge_escalation(&me, &e) {
            Ok(()) => {
                self.refresh_escalations();
                self.set_status(self.strings.casework.escalation_acked.to_string(), false);
            }
            Err(err) => self.report::<()>(Err(err)),
        }
    }

    /// Reloads the child-protection lists (and the open referral).
    pub(crate) fn reload_cp(&mut self) {
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
        self.reload_rota();
        self.refresh_escalations();
        match self.store.consults_for(&self.me) {
            Ok(c) => {
                self.cp.consult_cursor = self.cp.consult_cursor.min(c.len().saturating_sub(1));
                self.cp.consults = c;
            }
            Err(e) => self.report::<()>(Err(e)),
        }
        self.reload_withdrawals();
        if self.cp.eh_mode {
            self.reload_early_help();
        }
        if let Some(id) = self.cp.detail.as_ref().map(|r| r.row.id) {
            self.load_referral(id, false);
        }
    }

    /// Reloads the information at benefit withdrawal. What was stored stays readable when
    /// the site switches it off again.
    fn reload_withdrawals(&mut self) {
        match self.store.withdrawals_for(&self.me) {
            Ok(w) => {
                self.cp.withdrawal_cursor =
                    self.cp.withdrawal_cursor.min(w.len().saturating_sub(1));
                self.cp.withdrawals = w;
            }
            Err(e) => self.report::<()>(Err(e)),
        }
    }

    /// `l` on F4: the information at benefit withdrawal, or back to the referrals.
    fn toggle_withdrawals(&mut self) {
        if self.cp.withdrawals_mode {
            self.cp.withdrawals_mode = false;
            return;
        }
        self.reload_withdrawals();
        if !self.cp_settings.feature_withdrawal_notice && self.cp.withdrawals.is_empty() {
            self.refused(crate::domain::refusal::Refusal::FeatureOff);
            return;
        }
        self.log_screen(crate::domain::access::ScreenRead::WithdrawalList);
        self.cp.consults_mode = false;
        self.cp.withdrawals_mode = true;
    }

    /// Keys on the list of the information at benefit withdrawal: the Jugendamt records
    /// the receipt with Enter, the Jobcenter opens the case file.
    fn update_withdrawal_list(&mut self, action: Action) {
        let last = self.cp.withdrawals.len().saturating_sub(1);
        let cursor = &mut self.cp.withdrawal_cursor;
        match action {
            Action::Up => *cursor = cursor.saturating_sub(1),
            Action::Down => *cursor = (*cursor + 1).min(last),
            Action::First => *cursor = 0,
            Action::Last => *cursor = last,
            Action::PageDown => *cursor = (*cursor + 10).min(last),
            Action::PageUp => *cursor = cursor.saturating_sub(10),
            Action::Withdrawal => self.toggle_withdrawals(),
            Action::EarlyHelp => {
                self.cp.withdrawals_mode = false;
                self.toggle_early_help();
            }
            Action::ToggleConsults => {
                self.cp.withdrawals_mode = false;
                self.update_cp_list(Action::ToggleConsults);
            }
            Action::Open => {
                let Some(n) = self.cp.withdrawals.get(self.cp.withdrawal_cursor).cloned() else {
                    return;
                };
                if self.me.agency == Agency::Jobcenter {
                    self.screen = Screen::Cases;
                    self.open_file(n.case);
                    return;
                }
                if n.ja_ref.is_some() {
                    self.set_status(self.strings.cp.no_steps.to_string(), false);
                    return;
                }
                self.push(crate::app::layers::question::Ask::new(
                    crate::app::layers::question::Question::ReceiveWithdrawal,
                ));
            }
            _ => {}
        }
    }

    /// The highlighted information's young person, for the receipt question.
    pub(crate) fn highlighted_withdrawal_person(&self) -> String {
        self.cp
            .withdrawals
            .get(self.cp.withdrawal_cursor)
            .map(|n| crate::domain::text::sanitize(&n.person, false))
            .unwrap_or_default()
    }

    /// Records the receipt of the highlighted information (after the question).
    pub(crate) fn receive_highlighted_withdrawal(&mut self) {
        let Some(n) = self.cp.withdrawals.get(self.cp.withdrawal_cursor).cloned() else {
            return;
        };
        let me = self.me.clone();
        match self.store.receive_withdrawal(&me, n.id, n.version) {
            Ok(no) => {
                self.reload_withdrawals();
                self.set_status((self.strings.withdrawal.received)(&no), false);
            }
            Err(crate::storage::StorageError::Refused(r)) => {
                self.refused(r);
                self.reload_withdrawals();
            }
            Err(e) => {
                self.report::<()>(Err(e));
                self.reload_withdrawals();
            }
        }
    }

    /// Opens referral `id` (scrolled to the top when `reset`); back to the list when it is
    /// gone or no longer visible.
    pub(crate) fn load_referral(&mut self, id: i64, reset: bool) {
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

    /// Keys on the child-protection screen.
    pub(crate) fn update_cp(&mut self, action: Action) {
        if self.cp.view == CpView::List && self.cp.eh_mode {
            self.update_eh_list(action);
            return;
        }
        if self.cp.view == CpView::List && self.cp.withdrawals_mode {
            self.update_withdrawal_list(action);
            return;
        }
        if self.cp.view == CpView::List && self.cp.consults_mode {
            self.update_consult_list(action);
            return;
        }
        match self.cp.view {
            CpView::List => self.update_cp_list(action),
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
                Action::StepMenu => StepMenu::open(self),
                Action::Document => self.print_receipt(),
                _ => {}
            },
        }
    }

    fn update_cp_list(&mut self, action: Action) {
        let last = self.cp.rows.len().saturating_sub(1);
        match action {
            Action::ToggleConsults => {
                self.log_screen(crate::domain::access::ScreenRead::ConsultList);
                self.cp.consults_mode = true;
            }
            Action::Withdrawal => self.toggle_withdrawals(),
            Action::EarlyHelp => self.toggle_early_help(),
            Action::Up => self.cp.cursor = self.cp.cursor.saturating_sub(1),
            Action::Down => self.cp.cursor = (self.cp.cursor + 1).min(last),
            Action::First => self.cp.cursor = 0,
            Action::Last => self.cp.cursor = last,
            Action::PageDown => self.cp.cursor = (self.cp.cursor + 10).min(last),
            Action::PageUp => self.cp.cursor = self.cp.cursor.saturating_sub(10),
            Action::Open => {
                if let Some(id) = self.cp.rows.get(self.cp.cursor).map(|r| r.id) {
                    self.cp.from_oncall = false;
                    self.load_referral(id, true);
                }
            }
            // The steps of the highlighted referral, straight from the list.
            Action::StepMenu => {
                if let Some(id) = self.cp.rows.get(self.cp.cursor).map(|r| r.id) {
                    self.cp.from_oncall = false;
                    self.load_referral(id, true);
                    if self.cp.view == CpView::Detail {
                        StepMenu::open(self);
                    }
                }
            }
            Action::NewCase
                if self.me.agency == Agency::Jobcenter && self.me.has_role(Role::JcU25) =>
            {
                ReferralForm::open(self, &std::collections::BTreeMap::new());
            }
            _ => {}
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
            Action::PageDown => {
                self.cp.consult_cursor = (self.cp.consult_cursor + 10).min(n.saturating_sub(1));
            }
            Action::PageUp => self.cp.consult_cursor = self.cp.consult_cursor.saturating_sub(10),
            Action::ToggleConsults => self.cp.consults_mode = false,
            Action::Withdrawal => self.toggle_withdrawals(),
            Action::EarlyHelp => {
                self.cp.consults_mode = false;
                self.toggle_early_help();
            }
            Action::NewCase if self.me.has_role(Role::JcU25) => {
                StepDialog::start(self, MenuItem::ConsultRequest);
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
                    StepDialog::start(self, MenuItem::ConsultAdvise);
                } else {
                    self.set_status(self.strings.cp.no_steps.to_string(), false);
                }
            }
            _ => {}
        }
    }

    /// Keys on the on-call screen.
    pub(crate) fn update_oncall(&mut self, action: Action) {
        let last = self.cp.oncall.len().saturating_sub(1);
        match action {
            Action::Up => self.cp.oncall_cursor = self.cp.oncall_cursor.saturating_sub(1),
            Action::Down => self.cp.oncall_cursor = (self.cp.oncall_cursor + 1).min(last),
            Action::First => self.cp.oncall_cursor = 0,
            Action::Last => self.cp.oncall_cursor = last,
            Action::PageDown => self.cp.oncall_cursor = (self.cp.oncall_cursor + 10).min(last),
            Action::PageUp => self.cp.oncall_cursor = self.cp.oncall_cursor.saturating_sub(10),
            Action::RotaNew => crate::app::layers::rota_form::open(self),
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

    /// The steps `me` may take on the open referral now (docs/domain.md 4.5).
    pub(crate) fn cp_menu_items(&self) -> Vec<MenuItem> {
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
}
