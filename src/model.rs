//! The read models: what the screens show, filled by the store (docs/architecture.md § 3).
//! They live outside `storage`, so that the screens never name a storage type; they use
//! only `domain` types.

pub mod casefile;
pub mod conference;
pub mod referral;
