//! The step menu (`m` on one referral or one conference): the steps its state and the
//! person allow (docs/domain.md 4.2, 4.5). Choosing one runs it or opens its dialog. One
//! layer for both, generic over the kind of step ([`MenuStep`]).

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

/// Registry name of the referral's menu.
pub const NAME: &str = "step-menu";

/// A kind of step a menu offers.
pub trait MenuStep: Copy + PartialEq + std::fmt::Debug + 'static {
    /// The menu's registry name.
    const NAME: &'static str;
    /// The steps `app`'s open record offers now.
    fn offered(app: &App) -> Vec<Self>;
    /// The status line when none is offered.
    fn none_offered(app: &App) -> &'static str;
    /// The menu's title.
    fn title(app: &App) -> &'static str;
    /// The step's label.
    fn label(self, app: &App) -> String;
    /// Runs the step or opens its dialog.
    fn start(self, app: &mut App);
}

impl MenuStep for MenuItem {
    const NAME: &'static str = NAME;

    fn offered(app: &App) -> Vec<Self> {
        app.cp_menu_items()
    }

    fn none_offered(app: &App) -> &'static str {
        app.strings.cp.no_steps
    }

    fn title(app: &App) -> &'static str {
        app.strings.cp.menu_title
    }

    fn label(self, app: &App) -> String {
        (app.strings.cp.menu)(self).to_string()
    }

    fn start(self, app: &mut App) {
        StepDialog::start(app, self);
    }
}

/// An open step menu.
#[derive(Debug)]
pub struct Menu<T> {
    /// The steps offered.
    pub items: Vec<T>,
    /// The highlighted one.
    pub cursor: usize,
}

/// The step menu of a referral.
pub type StepMenu = Menu<MenuItem>;

impl<T: MenuStep> Menu<T> {
    /// Opens the menu of the open record; a status line when it offers no step.
    pub fn open(app: &mut App) {
        let items = T::offered(app);
        if items.is_empty() {
            app.set_status(T::none_offered(app).to_string(), false);
            return;
        }
        app.push(Menu { items, cursor: 0 });
    }
}

impl<T: MenuStep> Layer for Menu<T> {
    fn name(&self) -> &'static str {
        T::NAME
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
                    item.start(app);
                }
                Outcome::Close
            }
        }
    }

    /// Another session changed the record: offer only what its state allows now (a
    /// conference cancelled meanwhile offers nothing), keeping the highlighted step.
    fn refresh(&mut self, app: &mut App) {
        let here = self.items.get(self.cursor).copied();
        self.items = T::offered(app);
        self.cursor = here
            .and_then(|h| self.items.iter().position(|i| *i == h))
            .unwrap_or(0);
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![Action::Confirm, Action::Deny, Action::Down, Action::Up]
    }

    /// A step is chosen, not answered: "Eingabe Auswählen", "Esc Abbrechen", not "Ja/Nein".
    fn footer_label(&self, app: &App, action: Action) -> Option<&'static str> {
        (app.strings.action_short_in)(Context::Choice, action)
    }

    /// ```text
    /// ┌Nächster Schritt──────────────────┐
    /// │ ▶ Eingang erfassen               │
    /// │   Weiterleiten                   │
    /// └──────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let owned: Vec<String> = self.items.iter().map(|m| m.label(app)).collect();
        let mut labels: Vec<&str> = owned.iter().map(String::as_str).collect();
        if labels.is_empty() {
            labels.push(T::none_offered(app));
        }
        render_menu_box(
            frame,
            app.theme,
            T::title(app),
            &labels,
            self.cursor,
            areas.full,
        );
    }
}
