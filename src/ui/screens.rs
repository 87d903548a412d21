//! One module per screen or popup; each has a render function with an ASCII diagram.

pub mod admin;
pub mod cases;
pub mod conf;
pub mod coop;
pub mod cp;
pub mod dpo;
pub mod file;
