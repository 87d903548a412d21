//! One state type per screen (docs/architecture.md § 4), each in its own module; `App`
//! routes keys to the screen shown when no layer is open.

pub mod admin;
pub mod cases;
pub mod conf;
pub mod coop;
pub mod cp;
pub mod dpo;
