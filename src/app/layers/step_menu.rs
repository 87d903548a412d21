//! The step menu of a referral (`m` on one referral): the steps its state and the person
//! allow (docs/domain.md 4.5). Choosing one runs it or opens its dialog
//! ([`super::step_dialog`]).

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

use super::step_dialog::StepDialog;
use crate::action::Action;
use crate::app::App;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::{MenuKey, menu_key};
use crate::keymap::Context;
use crate::strings::cp::MenuItem;
use crate::widgets::rows::render_menu_box;

/// Registry name.
pub const NAME: &str = "step-menu";

/// The open step menu.
#[derive(Debug)]
pub struct StepMenu {
    /// The steps offered.
    pub items: Vec<MenuItem>,
    /// The highlighted one.
    pub cursor: usize,
}

impl StepMenu {
    /// Opens the menu of the open referral; a status line when it offers no step.
    pub fn open(app: &mut App) {
        let items = app.cp_menu_items();
        if items.is_empty() {
            app.set_status(app.strings.cp.no_steps.to_string(), false);
            return;
        }
        app.push(StepMenu { items, cursor: 0 });
    }
}

impl Layer for StepMenu {
    fn name(&self) -> &'static str {
        NAME
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Choice]
    }

    fn input(&mut self, _app: &mut App, _key: KeyEvent) {}

    fn paste(&mut self, _app: &mut App, _text: &str) {}

    fn update(&mut self, app: &mut App, action: Action) -> Outcome {
        match menu_key(&mut self.cursor, self.items.len(), action) {
            MenuKey::Moved => Outcome::Keep,
            MenuKey::Closed => Outcome::Close,
            MenuKey::Chosen(i) => {
                // The dialog (if the step has one) opens above the menu, which closes.
                if let Some(item) = self.items.get(i).copied() {
                    StepDialog::start(app, item);
                }
                Outcome::Close
            }
        }
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![Action::Down, Action::Confirm, Action::Deny]
    }

    /// ```text
    /// ┌Nächster Schritt──────────────────┐
    /// │ ▶ Eingang erfassen               │
    /// │   Weiterleiten                   │
    /// └──────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let labels: Vec<&str> = self
            .items
            .iter()
            .map(|m| (app.strings.cp.menu)(*m))
            .collect();
        render_menu_box(
            frame,
            app.theme,
            app.strings.cp.menu_title,
            &labels,
            self.cursor,
            areas.full,
        );
    }
}
