//! Pure domain types and rules: agencies, staff, young people, cooperation cases, dates and
//! text normalisation. Knows no UI and no database.
//!
//! May use: std, chrono, serde, thiserror. Must not use: ratatui, rusqlite, other Tandem modules.

pub mod access;
pub mod alerts;
pub mod calendar;
pub mod case;
pub mod casefile;
pub mod clock;
pub mod conference;
pub mod consent;
pub mod coop;
pub mod date;
pub mod datetime;
pub mod early_help;
pub mod handover;
pub mod ics;
pub mod referral;
pub mod refusal;
pub mod restriction;
pub mod retention_defaults;
pub mod schedule;
pub mod staff;
pub mod stats;
pub mod text;
pub mod tz;
pub mod validation;
pub mod withdrawal;

pub use case::{
    CaseId, CaseStatus, ClosureReason, CoopCase, Gender, PersonId, ReasonCode, YoungPerson,
};
pub use clock::Clock;
pub use staff::{Agency, Role, Staff, StaffId};
pub use validation::{Field, ValidationError};
