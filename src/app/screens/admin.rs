//! The administration screen ("Verwaltung", F7, docs/access.md A11): the staff of the
//! admin's own Stelle, active and deactivated, and the open four-eyes grants. Shown only to
//! the `admin` role; it holds no case content. The staff form, the key list and the
//! questions are layers (`app/layers/staff_form.rs`, `ssh_keys.rs`, `admin_ask.rs`); every
//! rule is the store's, checked again at each write.

use crate::action::Action;
use crate::app::layers::admin_ask::{AdminAsk, AdminQuestion};
use crate::app::layers::{ssh_keys, staff_form};
use crate::app::{App, Screen};
use crate::domain::Role;
use crate::model::admin::{RoleGrant, StaffRow};

/// What the administration screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AdminView {
    /// The staff of the Stelle.
    #[default]
    Staff,
    /// The open grants of `admin` and `dpo`.
    Grants,
}

/// State of the administration screen.
#[derive(Debug, Default)]
pub struct AdminState {
    /// What it shows.
    pub view: AdminView,
    /// The staff of the own Stelle.
    pub rows: Vec<StaffRow>,
    /// Highlighted staff row.
    pub cursor: usize,
    /// The open grants of the own Stelle.
    pub grants: Vec<RoleGrant>,
    /// Highlighted grant.
    pub grant_cursor: usize,
}

impl AdminState {
    /// The highlighted staff member.
    pub fn selected(&self) -> Option<&StaffRow> {
        self.rows.get(self.cursor)
    }

    /// The highlighted grant.
    pub fn selected_grant(&self) -> Option<&RoleGrant> {
        self.grants.get(self.grant_cursor)
    }

    /// Highlights the staff member with `login`, if listed.
    pub fn select_login(&mut self, login: &str) {
        if let Some(i) = self.rows.iter().position(|r| r.login == login) {
            self.cursor = i;
        }
    }
}

impl App {
    /// F7: the administration, for admins only; anyone else is told so and stays.
    pub(crate) fn show_admin(&mut self) {
        if !self.me.has_role(Role::Admin) {
            self.set_status(self.strings.admin.only_admins.to_string(), true);
            return;
        }
        self.screen = Screen::Admin;
        self.reload_admin();
    }

    /// Reloads the staff list and the open grants, keeping the highlighted person.
    pub(crate) fn reload_admin(&mut self) {
        if !self.me.has_role(Role::Admin) {
            return;
        }
        let keep = self.admin.selected().map(|r| r.id);
        match self.store.staff_of_stelle(&self.me) {
            Ok(rows) => {
                self.admin.rows = rows;
                let at = keep.and_then(|id| self.admin.rows.iter().position(|r| r.id == id));
                self.admin.cursor = at
                    .unwrap_or(self.admin.cursor)
                    .min(self.admin.rows.len().saturating_sub(1));
            }
            Err(e) => self.report::<()>(Err(e)),
        }
        match self.store.pending_grants(&self.me) {
            Ok(grants) => {
                self.admin.grant_cursor =
                    self.admin.grant_cursor.min(grants.len().saturating_sub(1));
                self.admin.grants = grants;
            }
            Err(e) => self.report::<()>(Err(e)),
        }
    }

    /// Keys on the administration screen.
    pub(crate) fn update_admin(&mut self, action: Action) {
        let grants = self.admin.view == AdminView::Grants;
        let (cursor, len) = if grants {
            (&mut self.admin.grant_cursor, self.admin.grants.len())
        } else {
            (&mut self.admin.cursor, self.admin.rows.len())
        };
        let last = len.saturating_sub(1);
        match action {
            Action::Up => *cursor = cursor.saturating_sub(1),
            Action::Down => *cursor = (*cursor + 1).min(last),
            Action::First => *cursor = 0,
            Action::Last => *cursor = last,
            Action::PageDown => *cursor = (*cursor + 10).min(last),
            Action::PageUp => *cursor = cursor.saturating_sub(10),
            Action::ToggleGrants => {
                self.admin.view = if grants {
                    AdminView::Staff
                } else {
                    AdminView::Grants
                };
                self.reload_admin();
            }
            Action::AdminNew => staff_form::open_new(self),
            Action::AdminEdit if !grants => {
                if let Some(id) = self.admin.selected().map(|r| r.id) {
                    staff_form::open_edit(self, id);
                }
            }
            Action::Deactivate | Action::Reactivate if !grants => {
                let Some(row) = self.admin.selected() else {
                    return;
                };
                let (id, name, login) = (row.id, row.display_name(), row.login.clone());
                let what = if action == Action::Deactivate {
                    AdminQuestion::Deactivate(id)
                } else {
                    AdminQuestion::Reactivate(id)
                };
                let ask = AdminAsk::new(self, what, &name, &login);
                self.push(ask);
            }
            Action::SshKeys if !grants => {
                if let Some(row) = self.admin.selected().cloned() {
                    ssh_keys::open(self, &row);
                }
            }
            Action::GrantConfirm | Action::GrantRefuse => {
                let Some(g) = self.admin.selected_grant().filter(|_| grants).cloned() else {
                    self.set_status(self.strings.admin.no_grant_selected.to_string(), true);
                    return;
                };
                let role = (self.strings.role)(g.role);
                let what = if action == Action::GrantConfirm {
                    AdminQuestion::ConfirmGrant(g.id)
                } else {
                    AdminQuestion::RefuseGrant(g.id)
                };
                let ask = AdminAsk::new(self, what, role, &g.login);
                self.push(ask);
            }
            _ => {}
        }
    }
}
