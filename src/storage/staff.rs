//! Staff queries and row mapping.

use rusqlite::{OptionalExtension, Row, params};

use super::audit::{self, AuditAction, AuditEntry, object};
use super::{StorageError, Store, ts};
use crate::domain::{Agency, Role, Staff, StaffId};

/// A staff member to insert (no id yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaff {
    /// Login name.
    pub login: String,
    /// "Nachname".
    pub surname: String,
    /// "Vorname".
    pub given_name: String,
    /// Stelle.
    pub agency: Agency,
    /// Roles.
    pub roles: Vec<Role>,
    /// "Telefon".
    pub phone: String,
    /// "E-Mail".
    pub email: String,
}

pub(crate) const STAFF_COLUMNS: &str = "s.id, s.login, s.surname, s.given_name, s.stelle, s.active, \
     (SELECT group_concat(role, ',') FROM staff_role r WHERE r.staff_id = s.id)";

pub(crate) fn map_staff(row: &Row<'_>) -> rusqlite::Result<Staff> {
    let agency: String = row.get(4)?;
    let roles: Option<String> = row.get(6)?;
    let mut roles: Vec<Role> = roles
        .unwrap_or_default()
        .split(',')
        .filter_map(Role::from_code)
        .collect();
    roles.sort();
    Ok(Staff {
        id: StaffId(row.get(0)?),
        login: row.get(1)?,
        surname: row.get(2)?,
        given_name: row.get(3)?,
        agency: Agency::from_code(&agency).unwrap_or(Agency::Jobcenter),
        roles,
        active: row.get::<_, i64>(5)? == 1,
    })
}

impl Store {
    /// The staff record with this login, active or not.
    pub fn staff_by_login(&self, login: &str) -> Result<Option<Staff>, StorageError> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {STAFF_COLUMNS} FROM staff s WHERE s.login = ?1"
            ))?
            .query_row([login], map_staff)
            .optional()?)
    }

    /// One staff member by id.
    pub fn staff_by_id(&self, id: StaffId) -> Result<Option<Staff>, StorageError> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {STAFF_COLUMNS} FROM staff s WHERE s.id = ?1"
            ))?
            .query_row([id.0], map_staff)
            .optional()?)
    }

    /// Every active staff member, by agency, surname and given name.
    pub fn active_staff(&self) -> Result<Vec<Staff>, StorageError> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {STAFF_COLUMNS} FROM staff s WHERE s.active = 1 \
             ORDER BY s.stelle, s.surname, s.given_name, s.id"
        ))?;
        let rows = stmt.query_map([], map_staff)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Active staff of one agency who do case work (choices for assignment).
    pub fn caseworkers(&self, agency: Agency) -> Result<Vec<Staff>, StorageError> {
        Ok(self
            .active_staff()?
            .into_iter()
            .filter(|s| s.agency == agency && s.may_see_cases())
            .collect())
    }

    /// Inserts staff members; logins must be new. Each creation is logged (without actor:
    /// this is the administration and seed path).
    pub fn insert_staff(&self, staff: &[NewStaff]) -> Result<Vec<StaffId>, StorageError> {
        let now = ts(self.now());
        self.write(|tx| {
            let mut ids = Vec::with_capacity(staff.len());
            let mut ins = tx.prepare_cached(
                "INSERT INTO staff (login, surname, given_name, stelle, phone, email, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            )?;
            let mut role = tx.prepare_cached("INSERT INTO staff_role (staff_id, role) VALUES (?1, ?2)")?;
            for s in staff {
                ins.execute(params![
                    s.login,
                    s.surname,
                    s.given_name,
                    s.agency.code(),
                    s.phone,
                    s.email,
                    now
                ])?;
                let id = tx.last_insert_rowid();
                for r in &s.roles {
                    role.execute(params![id, r.code()])?;
                }
                let entry = AuditEntry::new(AuditAction::Create, object::STAFF)
                    .object(id)
                    .fields(vec![
                        "login",
                        "surname",
                        "given_name",
                        "stelle",
                        "phone",
                        "email",
                        "roles",
                    ])
                    .version(1);
                audit::append_at(tx, &entry, &now)?;
                ids.push(StaffId(id));
            }
            Ok(ids)
        })
    }

    /// Sets a staff member active or inactive (administration).
    pub fn set_staff_active(&self, id: StaffId, active: bool) -> Result<(), StorageError> {
        let now = ts(self.now());
        self.write(|tx| {
            let old: Option<i64> = tx
                .query_row("SELECT active FROM staff WHERE id = ?1", [id.0], |r| r.get(0))
                .optional()?;
            let old = old.ok_or(StorageError::NotFound)?;
            let version: i64 = tx.query_row(
                "UPDATE staff SET active = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1 \
                 RETURNING version",
                params![id.0, i64::from(active), now],
                |r| r.get(0),
            )?;
            let entry = AuditEntry::new(AuditAction::Update, object::STAFF)
                .object(id.0)
                .version(version);
            let (before, after) = ([("active", Some(old.to_string()))], [(
                "active",
                Some(i64::from(active).to_string()),
            )]);
            audit::log_update(tx, entry, &now, &before, &after)?;
            Ok(())
        })
    }
}
