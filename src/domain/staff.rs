//! Staff, the two agencies (Stellen) and roles.

use serde::{Deserialize, Serialize};

/// Database id of a staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StaffId(pub i64);

/// One of the two data controllers ("Stellen") that work together in Tandem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Agency {
    /// Vestische Arbeit – Jobcenter Kreis Recklinghausen (SGB II).
    Jobcenter,
    /// Jugendamt der Stadt Herten (SGB VIII).
    Jugendamt,
}

impl Agency {
    /// All agencies in display order.
    pub const ALL: [Agency; 2] = [Agency::Jobcenter, Agency::Jugendamt];

    /// Stable code used in the database and in scripts.
    pub fn code(self) -> &'static str {
        match self {
            Agency::Jobcenter => "jc",
            Agency::Jugendamt => "ja",
        }
    }

    /// Parses the stable code.
    pub fn from_code(code: &str) -> Option<Agency> {
        match code {
            "jc" => Some(Agency::Jobcenter),
            "ja" => Some(Agency::Jugendamt),
            _ => None,
        }
    }

    /// Bit used in visibility masks (1 = Jobcenter, 2 = Jugendamt).
    pub fn bit(self) -> i64 {
        match self {
            Agency::Jobcenter => 1,
            Agency::Jugendamt => 2,
        }
    }

    /// The other agency.
    pub fn partner(self) -> Agency {
        match self {
            Agency::Jobcenter => Agency::Jugendamt,
            Agency::Jugendamt => Agency::Jobcenter,
        }
    }
}

/// Roles of docs/domain.md section 1; functions such as InsoFa come with later issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// "Jobcenter U25": pAp, Fallmanager/in, Integrationsfachkraft.
    JcU25,
    /// "Jugendamt Fachkraft": ASD and Jugendberufshilfe.
    JaStaff,
    /// "Kinderschutz-Bereitschaft": on-call child protection.
    JaOncall,
    /// "Teamleitung".
    Lead,
    /// "Datenschutz/Revision".
    Dpo,
    /// "Administration".
    Admin,
}

impl Role {
    /// All roles in display order.
    pub const ALL: [Role; 6] = [
        Role::JcU25,
        Role::JaStaff,
        Role::JaOncall,
        Role::Lead,
        Role::Dpo,
        Role::Admin,
    ];

    /// Stable code used in the database, in key lines and in `tandem staff list`.
    pub fn code(self) -> &'static str {
        match self {
            Role::JcU25 => "jc_u25",
            Role::JaStaff => "ja_staff",
            Role::JaOncall => "ja_oncall",
            Role::Lead => "lead",
            Role::Dpo => "dpo",
            Role::Admin => "admin",
        }
    }

    /// Parses the stable code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether a person of `agency` may hold this role: `jc_u25` only in the Jobcenter,
    /// `ja_staff` and `ja_oncall` only in the Jugendamt, the others in both
    /// (docs/domain.md 1).
    pub fn valid_for(self, agency: Agency) -> bool {
        match self {
            Role::JcU25 => agency == Agency::Jobcenter,
            Role::JaStaff | Role::JaOncall => agency == Agency::Jugendamt,
            Role::Lead | Role::Dpo | Role::Admin => true,
        }
    }

    /// Whether giving this role needs a second admin's confirmation (four eyes,
    /// docs/access.md A11): the roles that see the audit trail or manage people.
    pub fn needs_second_admin(self) -> bool {
        matches!(self, Role::Admin | Role::Dpo)
    }

    /// Whether this role does case work (sees cases of its agency in the case list).
    pub fn does_case_work(self) -> bool {
        // The on-call role alone sees referrals, not case files (docs/domain.md 5.1).
        matches!(self, Role::JcU25 | Role::JaStaff | Role::Lead)
    }
}

/// A staff member of one agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    /// Database id.
    pub id: StaffId,
    /// Login name, as given by the SSH forced command (`--user`).
    pub login: String,
    /// "Nachname".
    pub surname: String,
    /// "Vorname".
    pub given_name: String,
    /// The Stelle the person works for.
    pub agency: Agency,
    /// Roles, at least one.
    pub roles: Vec<Role>,
    /// Whether the account may log in.
    pub active: bool,
}

impl Staff {
    /// "Vorname Nachname".
    pub fn display_name(&self) -> String {
        format!("{} {}", self.given_name, self.surname)
    }

    /// Whether the staff member holds `role`.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the staff member may work on cases at all (default deny for DSB and admin).
    pub fn may_see_cases(&self) -> bool {
        self.active && self.roles.iter().any(|r| r.does_case_work())
    }

    /// Whether this person may create a case: an active caseworker (`jc_u25`, `ja_staff`).
    /// A lead only reads and the administrator and the DSB see no case content
    /// (docs/access.md A1, A7).
    pub fn may_create_cases(&self) -> bool {
        self.active
            && self
                .roles
                .iter()
                .any(|r| matches!(r, Role::JcU25 | Role::JaStaff))
    }

    /// The roles as comma-separated codes.
    pub fn role_codes(&self) -> String {
        self.roles
            .iter()
            .map(|r| r.code())
            .collect::<Vec<_>>()
            .join(",")
    }
}
