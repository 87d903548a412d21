//! Drafts: what a person typed into a form, autosaved by the store so that nothing is lost
//! on a dropped link, `kill -9` or a conflict.

use std::collections::BTreeMap;

use crate::domain::StaffId;

/// Form name of the referral form's draft (record 0: one unsent referral per person). It
/// never expires like other drafts: it may hold what a child-protection referral needs, and
/// after 30 days untouched it raises an alert instead (docs/casework.md § 6).
pub const REFERRAL_DRAFT: &str = "referral";

/// Days after which an untouched referral draft raises an alert (docs/domain.md 4.5).
pub const REFERRAL_DRAFT_ALERT_DAYS: i64 = 30;

/// The form name of a case-form draft (its `record_id` is the case, ≤ 0 for a new case).
pub const CASE_DRAFT: &str = "case";

/// The id of a running program's session (random, 24 hex digits): drafts belong to the
/// session that typed them (docs/architecture.md § 4).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SessionId(pub String);

impl SessionId {
    /// The "session" of drafts written before sessions existed: always ended.
    pub fn none() -> SessionId {
        SessionId(String::new())
    }
}

/// One autosaved form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Whose draft it is.
    pub staff_id: StaffId,
    /// Which form ("case").
    pub form: String,
    /// The record edited; 0 for a new one.
    pub record_id: i64,
    /// Version of the record when the form was opened (conflicts are still detected).
    pub base_version: i64,
    /// Version of the person row when the form was opened.
    pub base_person_version: i64,
    /// Field code → value in the form's stable text form.
    pub values: BTreeMap<String, String>,
    /// Field code → value when the form was opened (for the three-way merge).
    pub base_values: BTreeMap<String, String>,
    /// Last autosave (UTC), set by the store.
    pub updated_at: String,
}

impl Draft {
    /// A draft of `form` for `record` (0: a new one) holding `values`, with no base.
    pub fn new(
        staff_id: StaffId,
        form: &str,
        record_id: i64,
        values: BTreeMap<String, String>,
    ) -> Draft {
        Draft {
            staff_id,
            form: form.to_string(),
            record_id,
            base_version: 0,
            base_person_version: 0,
            values,
            base_values: BTreeMap::new(),
            updated_at: String::new(),
        }
    }
}
