//! The document menu of a conference (`d` in its detail; docs/documents.md § 3): the
//! minutes or the plain-language letter to the young person, each written as PDF into the
//! export folder. The menu is the shared [`super::step_menu::Menu`].

use super::step_menu::{Menu, MenuStep};
use crate::app::App;

/// Registry name.
pub const NAME: &str = "document-menu";

/// A document of the open conference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfDocument {
    /// "Protokoll der Fallkonferenz".
    Minutes,
    /// "Brief an die junge Person".
    Letter,
}

/// The document menu of a conference.
pub type DocMenu = Menu<ConfDocument>;

impl MenuStep for ConfDocument {
    const NAME: &'static str = NAME;

    fn offered(app: &App) -> Vec<Self> {
        match app.conf.detail.as_ref() {
            // An anonymised conference has nobody to write to.
            Some(c) if c.anonymised => vec![ConfDocument::Minutes],
            Some(_) => vec![ConfDocument::Minutes, ConfDocument::Letter],
            None => Vec::new(),
        }
    }

    fn none_offered(app: &App) -> &'static str {
        app.strings.cp.no_steps
    }

    fn title(app: &App) -> &'static str {
        app.strings.documents.menu_title
    }

    fn label(self, app: &App) -> String {
        let [minutes, letter] = app.strings.documents.menu;
        match self {
            ConfDocument::Minutes => minutes,
            ConfDocument::Letter => letter,
        }
        .to_string()
    }

    fn start(self, app: &mut App) {
        match self {
            ConfDocument::Minutes => app.print_minutes(),
            ConfDocument::Letter => app.print_letter(),
        }
    }
}
