//! Early help on F4 (`h`; docs/early-help.md): the Jobcenter worker's requests with their
//! state and next deadline, the Jugendamt's early-help inbox with only the consented data,
//! and the counts of the login line. The forms are layers (`app/layers/early_help.rs`).

use crate::action::Action;
use crate::app::App;
use crate::app::layers::early_help::{EhMenu, ObserveForm};
use crate::domain::early_help::{EhSide, EhState};
use crate::domain::{Agency, Role};

impl App {
    /// Reloads the requests this person may see, keeping the highlighted one.
    pub(crate) fn reload_early_help(&mut self) {
        let keep = self.cp.eh_rows.get(self.cp.eh_cursor).map(|r| r.id);
        let cal = self.cp_settings.calendar();
        let d = self.cp_settings.early_help;
        match self.store.eh_requests_for(&self.me, &cal, &d) {
            Ok(rows) => {
                self.cp.eh_rows = rows;
                self.select_early_help(keep);
            }
            Err(e) => self.report::<()>(Err(e)),
        }
    }

    fn select_early_help(&mut self, id: Option<i64>) {
        let at = id.and_then(|id| self.cp.eh_rows.iter().position(|r| r.id == id));
        self.cp.eh_cursor = at
            .unwrap_or(self.cp.eh_cursor)
            .min(self.cp.eh_rows.len().saturating_sub(1));
        self.read_highlighted_early_help();
    }

    /// Reads the highlighted request through the store's audited read, as the detail below
    /// the list shows it (docs/early-help.md § 6: every read of a request is logged); once
    /// per highlight, not per frame.
    fn read_highlighted_early_help(&mut self) {
        let Some(id) = self.cp.eh_rows.get(self.cp.eh_cursor).map(|r| r.id) else {
            return;
        };
        if self.cp.eh_read == Some(id) {
            return;
        }
        self.cp.eh_read = Some(id);
        let cal = self.cp_settings.calendar();
        let d = self.cp_settings.early_help;
        match self.store.eh_request(&self.me, id, &cal, &d) {
            Ok(r) => {
                if let Some(row) = self.cp.eh_rows.get_mut(self.cp.eh_cursor) {
                    *row = r;
                }
            }
            Err(e) => self.report::<()>(Err(e)),
        }
    }

    /// Shows the early-help list on F4 with request `id` highlighted (after a step).
    pub(crate) fn show_early_help(&mut self, id: Option<i64>) {
        self.screen = crate::app::Screen::ChildProtection;
        self.cp.view = crate::app::screens::cp::CpView::List;
        self.cp.consults_mode = false;
        self.cp.withdrawals_mode = false;
        if !self.cp.eh_mode {
            self.log_screen(crate::domain::access::ScreenRead::EarlyHelpList);
        }
        self.cp.eh_mode = true;
        self.reload_early_help();
        self.select_early_help(id);
    }

    /// `h` on F4: the early-help list, or back to the referrals.
    pub(crate) fn toggle_early_help(&mut self) {
        if self.cp.eh_mode {
            self.cp.eh_mode = false;
            self.cp.eh_read = None;
        } else {
            self.show_early_help(None);
        }
    }

    /// Keys on the early-help list.
    pub(crate) fn update_eh_list(&mut self, action: Action) {
        let last = self.cp.eh_rows.len().saturating_sub(1);
        let cursor = &mut self.cp.eh_cursor;
        match action {
            Action::Up => *cursor = cursor.saturating_sub(1),
            Action::Down => *cursor = (*cursor + 1).min(last),
            Action::First => *cursor = 0,
            Action::Last => *cursor = last,
            Action::PageDown => *cursor = (*cursor + 10).min(last),
            Action::PageUp => *cursor = cursor.saturating_sub(10),
            Action::EarlyHelp => {
                self.toggle_early_help();
                return;
            }
            Action::ToggleConsults => {
                self.cp.eh_mode = false;
                self.update_cp(Action::ToggleConsults);
            }
            Action::Withdrawal => {
                self.cp.eh_mode = false;
                self.update_cp(Action::Withdrawal);
            }
            Action::NewCase
                if self.me.agency == Agency::Jobcenter && self.me.has_role(Role::JcU25) =>
            {
                ObserveForm::open(self, &std::collections::BTreeMap::new());
            }
            Action::Open | Action::StepMenu if !self.cp.eh_rows.is_empty() => {
                EhMenu::open(self);
            }
            _ => {}
        }
        if self.cp.eh_mode {
            self.read_highlighted_early_help();
        }
    }

    /// The login line of early help: requests waiting for the early-help staff, passed
    /// deadlines of one's own requests; counts only, never names (docs/early-help.md § 5).
    pub(crate) fn early_help_banner(&mut self) {
        let cal = self.cp_settings.calendar();
        let d = self.cp_settings.early_help;
        let Ok((waiting, overdue)) = self.store.eh_counts(&self.me, &cal, &d) else {
            return;
        };
        if waiting + overdue == 0 {
            return;
        }
        let line = (self.strings.early_help.login)(waiting, overdue);
        let text = match &self.status {
            Some(m) if m.text.contains(&line) => return,
            Some(m) => format!("{} {line}", m.text),
            None => line,
        };
        self.set_status(text, overdue > 0);
    }

    /// Whether early help concerns this person of the Jugendamt: its early-help staff, the
    /// lead and the DSB (the footer offers `h` to them).
    pub fn sees_early_help(&self) -> bool {
        self.me.has_role(Role::Lead)
            || self.me.has_role(Role::Dpo)
            || self
                .store
                .has_function(self.me.id, crate::model::referral::Function::EarlyHelp)
                .unwrap_or(false)
    }

    /// How many requests wait to be taken by this early-help professional.
    pub fn early_help_new(&self) -> usize {
        self.cp
            .eh_rows
            .iter()
            .filter(|r| r.side == EhSide::EarlyHelp && r.state == EhState::Requested)
            .count()
    }
}
