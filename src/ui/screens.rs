//! One module per screen or popup; each has a render function with an ASCII diagram.

pub mod cases;
pub mod conf;
pub mod conflict;
pub mod cp;
pub mod file;
pub mod form;
pub mod placeholder;
pub mod popups;
