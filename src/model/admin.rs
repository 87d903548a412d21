//! What the administration screen ("Verwaltung") shows: the staff of the admin's own Stelle
//! and the open four-eyes grants (docs/access.md A11). No case content.

use crate::domain::{Role, StaffId};
use crate::model::referral::Function;

/// One staff member as the administration lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    /// Id.
    pub id: StaffId,
    /// Login name.
    pub login: String,
    /// "Nachname".
    pub surname: String,
    /// "Vorname".
    pub given_name: String,
    /// Roles held (sorted).
    pub roles: Vec<Role>,
    /// Functions, in display order.
    pub functions: Vec<Function>,
    /// Whether the account may log in.
    pub active: bool,
    /// Number of SSH keys that are not removed.
    pub keys: usize,
    /// Roles waiting for a second admin's confirmation.
    pub pending: Vec<Role>,
}

impl StaffRow {
    /// "Vorname Nachname".
    pub fn display_name(&self) -> String {
        format!("{} {}", self.given_name, self.surname)
    }
}

/// An open request for the role `admin` or `dpo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleGrant {
    /// Id (for confirm and refuse).
    pub id: i64,
    /// The person who is to receive the role.
    pub staff: StaffId,
    /// Their login.
    pub login: String,
    /// The role.
    pub role: Role,
    /// Login of the admin who asked for it.
    pub requested_by: String,
    /// When (UTC, as stored).
    pub requested_at: String,
}
