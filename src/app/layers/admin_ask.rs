//! The yes/no questions of the administration screen: deactivate or reactivate a person,
//! confirm or refuse a four-eyes grant, remove an SSH key. "Yes" runs the write; the store
//! checks every rule again and a refusal is shown in the status line.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

use super::question::draw_question;
use super::ssh_keys::{self, KeyList};
use crate::action::Action;
use crate::app::App;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::domain::StaffId;
use crate::keymap::Context;
use crate::storage::StorageError;

/// Registry name.
pub const NAME: &str = "admin-question";

/// What is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminQuestion {
    /// Deactivate this staff member?
    Deactivate(StaffId),
    /// Reactivate this staff member?
    Reactivate(StaffId),
    /// Confirm this grant?
    ConfirmGrant(i64),
    /// Refuse this grant?
    RefuseGrant(i64),
    /// Remove the key with this fingerprint?
    RemoveKey(String),
}

/// The question box.
#[derive(Debug)]
pub struct AdminAsk {
    /// What is asked.
    pub what: AdminQuestion,
    /// The question's text.
    text: String,
    /// The two names the question and its answer mention (a person's name and login, a
    /// role and a login, a fingerprint and a name).
    subject: (String, String),
}

impl AdminAsk {
    /// Asks `what` about `a` and `b` (see [`AdminAsk::subject`]).
    pub fn new(app: &App, what: AdminQuestion, a: &str, b: &str) -> AdminAsk {
        let s = app.strings.admin;
        let text = match &what {
            AdminQuestion::Deactivate(_) => (s.ask_deactivate)(a, b),
            AdminQuestion::Reactivate(_) => (s.ask_reactivate)(a, b),
            AdminQuestion::ConfirmGrant(_) => (s.ask_confirm_grant)(a, b),
            AdminQuestion::RefuseGrant(_) => (s.ask_refuse_grant)(a, b),
            AdminQuestion::RemoveKey(_) => (s.ask_remove_key)(a, b),
        };
        AdminAsk {
            what,
            text,
            subject: (a.to_string(), b.to_string()),
        }
    }

    /// Runs the write that "yes" asked for.
    fn run(&self, app: &mut App) {
        let s = app.strings.admin;
        let (a, b) = (&self.subject.0, &self.subject.1);
        let me = app.me.clone();
        let (res, done) = match &self.what {
            AdminQuestion::Deactivate(id) => (
                app.store.set_staff_active_as(&me, *id, false),
                (s.deactivated_done)(a),
            ),
            AdminQuestion::Reactivate(id) => (
                app.store.set_staff_active_as(&me, *id, true),
                (s.reactivated_done)(a),
            ),
            AdminQuestion::ConfirmGrant(g) => (
                app.store.decide_grant(&me, *g, true),
                (s.grant_confirmed)(a, b),
            ),
            AdminQuestion::RefuseGrant(g) => (
                app.store.decide_grant(&me, *g, false),
                (s.grant_refused)(a, b),
            ),
            AdminQuestion::RemoveKey(fingerprint) => {
                match app.store.remove_ssh_key(&me, fingerprint) {
                    Ok(()) => {
                        let msg = (app.strings.ssh.key_removed)(fingerprint);
                        app.set_status(msg, false);
                    }
                    Err(e) => {
                        ssh_keys::report(app, e, fingerprint);
                    }
                }
                if let Some(login) = app.layer::<KeyList>().map(|l| l.login.clone()) {
                    let keys = ssh_keys::load(app, &login);
                    if let Some(list) = app.layer_mut::<KeyList>() {
                        list.set_keys(keys);
                    }
                }
                app.reload_admin();
                return;
            }
        };
        match res {
            Ok(()) => {
                app.reload_admin();
                app.set_status(done, false);
            }
            Err(StorageError::Refused(r)) => {
                app.reload_admin();
                app.refused(r);
            }
            Err(e) => {
                app.reload_admin();
                app.report::<()>(Err(e));
            }
        }
    }
}

impl Layer for AdminAsk {
    fn name(&self) -> &'static str {
        NAME
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Dialog]
    }

    fn input(&mut self, _app: &mut App, _key: KeyEvent) {}

    fn paste(&mut self, _app: &mut App, _text: &str) {}

    fn update(&mut self, app: &mut App, action: Action) -> Outcome {
        match action {
            Action::Confirm => {
                self.run(app);
                Outcome::Close
            }
            Action::Deny | Action::Cancel => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![Action::Confirm, Action::Deny]
    }

    /// ```text
    /// ┌ Rückfrage ──────────────────────────────────┐
    /// │ Lea Neumann (neumann) deaktivieren? Die …   │
    /// │                                              │
    /// │ j Ja · n Nein                                │
    /// └──────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        draw_question(frame, app, areas, self.text.clone());
    }
}
