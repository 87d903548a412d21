//! The read models: what the screens show, filled by the store, and the inputs they hand
//! it (a case-list query, a draft, a conference to create) (docs/architecture.md § 3).
//! They live outside `storage`, so that the screens never name a storage type; they use
//! only `domain` types.

pub mod admin;
pub mod casefile;
pub mod conference;
pub mod coop;
pub mod dpo;
pub mod draft;
pub mod early_help;
pub mod list;
pub mod notice;
pub mod referral;
pub mod report;
pub mod subject;
