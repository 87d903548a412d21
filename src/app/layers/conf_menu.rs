//! The step menu of a conference (`m` on one conference): the steps its state and the
//! person's relation to the case allow (docs/domain.md 4.2). The menu itself is the shared
//! [`super::step_menu::Menu`]; choosing a step runs it or opens its dialog
//! ([`super::conf_dialog`]).

use super::conf_dialog::ConfDialog;
use super::step_menu::{Menu, MenuStep};
use crate::app::App;
use crate::strings::conf::ConfMenu;

/// Registry name.
pub const NAME: &str = "conf-menu";

/// The step menu of a conference.
pub type ConfStepMenu = Menu<ConfMenu>;

impl MenuStep for ConfMenu {
    const NAME: &'static str = NAME;

    fn offered(app: &App) -> Vec<Self> {
        app.conf_menu_items()
    }

    fn none_offered(app: &App) -> &'static str {
        app.strings.cp.no_steps
    }

    fn title(app: &App) -> &'static str {
        app.strings.cp.menu_title
    }

    fn label(self, app: &App) -> String {
        (app.strings.conf.menu)(self).to_string()
    }

    fn start(self, app: &mut App) {
        ConfDialog::start(app, self);
    }
}
