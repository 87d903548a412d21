//! Every registered layer (docs/architecture.md § 4). A new popup, dialog or form is one file
//! here and one entry in [`REGISTRY`]: the entry names its drafts and how a person opens it,
//! which is how the draft restore and the property test over all layers find it.

pub mod help;
pub mod question;

use super::App;
use crate::storage::Draft;

/// One registered layer.
pub struct Registration {
    /// The layer's name ([`super::layer::Layer::name`]).
    pub name: &'static str,
    /// The form name under which its drafts are stored, if it keeps drafts.
    pub draft_form: Option<&'static str>,
    /// Reopens it from a draft; false when the record is gone or no longer visible.
    pub restore: Option<fn(&mut App, &Draft) -> bool>,
    /// Opens it on the demo data the way a person would (who, and how); None for layers
    /// that take no text. The property test over all layers uses this.
    pub example: Option<Example>,
}

/// How a person opens a layer on the demo data.
pub struct Example {
    /// The demo login that opens it.
    pub login: &'static str,
    /// Opens it; false when the demo data offers no way.
    pub open: fn(&mut App) -> bool,
}

/// All layers.
pub const REGISTRY: &[Registration] = &[
    Registration {
        name: help::NAME,
        draft_form: None,
        restore: None,
        example: None,
    },
    Registration {
        name: question::NAME,
        draft_form: None,
        restore: None,
        example: None,
    },
];

/// The registration that stores drafts under `form`.
pub fn by_draft_form(form: &str) -> Option<&'static Registration> {
    REGISTRY.iter().find(|r| r.draft_form == Some(form))
}
