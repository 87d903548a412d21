//! Staff administration by the `admin` role of each Stelle (docs/access.md A11): add, edit,
//! deactivate and reactivate staff members, and the four-eyes grants of the roles `admin`
//! and `dpo`.
//!
//! Every write checks the actor inside its own IMMEDIATE transaction, against the stored
//! record (not the copy the session holds): an active `admin` of the same Stelle as the
//! staff member. A refused write changes nothing and leaves one audit row `refused` with
//! the reason's code; every change leaves audit rows naming the changed fields (the old
//! values go to `change_history`), in the same transaction.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::audit::{self, AuditAction, AuditEntry, FieldValue, detail, object};
use super::{StorageError, Store, ts};
use crate::domain::refusal::Refusal;
use crate::domain::{Agency, Role, Staff, StaffId};
use crate::model::admin::{RoleGrant, StaffRow};
use crate::model::referral::Function;

/// A staff member to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffEntry {
    /// Login name (`[a-z0-9._-]`, see [`valid_login`]).
    pub login: String,
    /// "Nachname".
    pub surname: String,
    /// "Vorname".
    pub given_name: String,
    /// Stelle; must be the admin's own.
    pub agency: Agency,
    /// Roles; `admin` and `dpo` become pending grants.
    pub roles: Vec<Role>,
    /// Functions (InsoFa, Eingang Kinderschutz, Kinderschutzkoordination).
    pub functions: Vec<Function>,
    /// Office e-mail.
    pub email: String,
    /// Office phone.
    pub phone: String,
    /// Deputy ("Vertretung"), a colleague of the same Stelle.
    pub deputy: Option<StaffId>,
}

/// A change of a staff record: only the fields that are `Some` change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffEdit {
    /// "Nachname".
    pub surname: Option<String>,
    /// "Vorname".
    pub given_name: Option<String>,
    /// Office e-mail.
    pub email: Option<String>,
    /// Office phone.
    pub phone: Option<String>,
    /// The new set of roles; newly given `admin` and `dpo` become pending grants.
    pub roles: Option<Vec<Role>>,
    /// The new set of functions.
    pub functions: Option<Vec<Function>>,
    /// The new deputy (`Some(None)` removes it).
    pub deputy: Option<Option<StaffId>>,
}

/// Everything the administration sees of a staff member (no case content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffDetails {
    /// The record as the rest of the program knows it.
    pub staff: Staff,
    /// Office e-mail.
    pub email: String,
    /// Office phone.
    pub phone: String,
    /// Functions, in display order.
    pub functions: Vec<Function>,
    /// Deputy.
    pub deputy: Option<StaffId>,
    /// Version, for the optimistic check of [`Store::edit_staff`].
    pub version: i64,
}

/// What an add or an edit did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminOutcome {
    /// The staff member.
    pub staff: StaffId,
    /// The record's version after the change.
    pub version: i64,
    /// Ids of the four-eyes grants opened by the change (roles `admin`, `dpo`).
    pub pending: Vec<i64>,
}

/// Whether `login` may name a staff member: 1 to 64 characters of `a-z`, `0-9`, `.`, `_`,
/// `-`, beginning with a letter or digit. Logins end up in the forced command of SSH key
/// lines and in scripts, so nothing that a shell or sshd could read specially.
pub fn valid_login(login: &str) -> bool {
    let mut chars = login.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && login.len() <= 64
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// The roles as stored text ("admin,lead"), sorted, for the change history.
fn role_text(roles: &[Role]) -> String {
    let mut roles = roles.to_vec();
    roles.sort();
    roles.dedup();
    roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")
}

fn function_text(functions: &[Function]) -> String {
    sorted_functions(functions)
        .iter()
        .map(|f| f.code())
        .collect::<Vec<_>>()
        .join(",")
}

fn sorted_functions(functions: &[Function]) -> Vec<Function> {
    Function::ALL
        .into_iter()
        .filter(|f| functions.contains(f))
        .collect()
}

/// The stored record of `id`: Stelle, active, roles, functions, deputy, names, contact,
/// version.
struct Stored {
    agency: Agency,
    active: bool,
    surname: String,
    given_name: String,
    email: String,
    phone: String,
    roles: Vec<Role>,
    functions: Vec<Function>,
    deputy: Option<i64>,
    version: i64,
}

fn stored(tx: &Connection, id: StaffId) -> Result<Option<Stored>, StorageError> {
    let row = tx
        .prepare_cached(
            "SELECT stelle, active, surname, given_name, email, phone, deputy_id, version, \
             (SELECT group_concat(role, ',') FROM staff_role WHERE staff_id = s.id), \
             (SELECT group_concat(function, ',') FROM staff_function WHERE staff_id = s.id) \
             FROM staff s WHERE id = ?1",
        )?
        .query_row([id.0], |r| {
            let agency: String = r.get(0)?;
            let roles: Option<String> = r.get(8)?;
            let functions: Option<String> = r.get(9)?;
            let mut roles: Vec<Role> = roles
                .unwrap_or_default()
                .split(',')
                .filter_map(Role::from_code)
                .collect();
            roles.sort();
            let functions: Vec<Function> = functions
                .unwrap_or_default()
                .split(',')
                .filter_map(Function::from_code)
                .collect();
            Ok(Stored {
                agency: Agency::from_code(&agency).unwrap_or(Agency::Jobcenter),
                active: r.get::<_, i64>(1)? == 1,
                surname: r.get(2)?,
                given_name: r.get(3)?,
                email: r.get(4)?,
                phone: r.get(5)?,
                deputy: r.get(6)?,
                version: r.get(7)?,
                roles,
                functions: sorted_functions(&functions),
            })
        })
        .optional()?;
    Ok(row)
}

/// Whether `actor` is, as stored now, an active admin of `agency`; the refusal otherwise.
fn check_admin(
    tx: &Connection,
    actor: &Staff,
    agency: Agency,
) -> Result<Option<Refusal>, StorageError> {
    let Some(me) = stored(tx, actor.id)? else {
        return Ok(Some(Refusal::NotAdmin));
    };
    if !me.active || !me.roles.contains(&Role::Admin) {
        return Ok(Some(Refusal::NotAdmin));
    }
    if me.agency != agency {
        return Ok(Some(Refusal::OtherAgency));
    }
    Ok(None)
}

/// Active admins of `agency` other than `except`.
fn other_admins(
    tx: &Transaction<'_>,
    agency: Agency,
    except: StaffId,
) -> Result<i64, StorageError> {
    Ok(tx.query_row(
        "SELECT count(*) FROM staff s JOIN staff_role r ON r.staff_id = s.id AND r.role = 'admin' \
         WHERE s.active = 1 AND s.stelle = ?1 AND s.id <> ?2",
        params![agency.code(), except.0],
        |r| r.get(0),
    )?)
}

fn check_roles(agency: Agency, roles: &[Role], functions: &[Function]) -> Option<Refusal> {
    if roles.is_empty() {
        return Some(Refusal::NoRole);
    }
    if roles.iter().any(|r| !r.valid_for(agency)) || functions.iter().any(|f| !f.valid_for(agency))
    {
        return Some(Refusal::RoleAgency);
    }
    None
}

/// A deputy must be another staff member of the same Stelle.
fn check_deputy(
    tx: &Transaction<'_>,
    staff: Option<StaffId>,
    agency: Agency,
    deputy: Option<StaffId>,
) -> Result<Option<Refusal>, StorageError> {
    let Some(d) = deputy else { return Ok(None) };
    if Some(d) == staff {
        return Ok(Some(Refusal::DeputyAgency));
    }
    Ok(match stored(tx, d)? {
        Some(s) if s.agency == agency => None,
        _ => Some(Refusal::DeputyAgency),
    })
}

/// Opens a four-eyes grant of `role` for `staff` (none when one is open already) and logs
/// it; returns its id.
fn open_grant(
    tx: &Transaction<'_>,
    actor: &Staff,
    staff: StaffId,
    role: Role,
    now: &str,
) -> Result<i64, StorageError> {
    let open: Option<i64> = tx
        .query_row(
            "SELECT id FROM role_grant WHERE staff_id = ?1 AND role = ?2 AND outcome IS NULL",
            params![staff.0, role.code()],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = open {
        return Ok(id);
    }
    tx.execute(
        "INSERT INTO role_grant (staff_id, role, requested_by, requested_at) VALUES (?1, ?2, ?3, ?4)",
        params![staff.0, role.code(), actor.id.0, now],
    )?;
    let id = tx.last_insert_rowid();
    let entry = AuditEntry::new(AuditAction::Create, object::ROLE_GRANT)
        .by(actor)
        .object(id)
        .fields(vec!["staff_id", "role"])
        .version(1)
        .detail(role.code());
    audit::append_at(tx, &entry, now)?;
    Ok(id)
}

fn set_functions(
    tx: &Transaction<'_>,
    staff: StaffId,
    functions: &[Function],
) -> Result<(), StorageError> {
    tx.execute("DELETE FROM staff_function WHERE staff_id = ?1", [staff.0])?;
    let mut ins =
        tx.prepare_cached("INSERT INTO staff_function (staff_id, function) VALUES (?1, ?2)")?;
    for f in sorted_functions(functions) {
        ins.execute(params![staff.0, f.code()])?;
    }
    Ok(())
}

/// The conflict of a stale edit: who saved the record last, and when.
fn conflict(tx: &Transaction<'_>, id: StaffId) -> StorageError {
    let row: Option<(Option<String>, Option<String>)> = tx
        .query_row(
            "SELECT t.updated_at, s.given_name || ' ' || s.surname FROM staff t \
             LEFT JOIN staff s ON s.id = t.updated_by WHERE t.id = ?1",
            [id.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .ok()
        .flatten();
    match row {
        Some((at, by)) => StorageError::Conflict { by, at },
        None => StorageError::NotFound,
    }
}

impl Store {
    /// Runs an administration write: `f` checks and writes inside a savepoint of one
    /// IMMEDIATE transaction. When it refuses, whatever it wrote is rolled back and one
    /// audit row `refused` (object `staff`, `object` as its id) is committed instead.
    fn admin_write<T>(
        &self,
        actor: &Staff,
        object: Option<StaffId>,
        f: impl FnOnce(&Transaction<'_>, &str) -> Result<Result<T, Refusal>, StorageError>,
    ) -> Result<T, StorageError> {
        let now = ts(self.now());
        self.write(|tx| {
            tx.execute_batch("SAVEPOINT staff_admin")?;
            match f(tx, &now)? {
                Ok(v) => {
                    tx.execute_batch("RELEASE staff_admin")?;
                    Ok(Ok(v))
                }
                Err(r) => {
                    tx.execute_batch("ROLLBACK TO staff_admin; RELEASE staff_admin")?;
                    let mut entry = AuditEntry::new(AuditAction::Refused, object::STAFF)
                        .by(actor)
                        .detail(r.code());
                    if let Some(id) = object {
                        entry = entry.object(id.0);
                    }
                    audit::append_at(tx, &entry, &now)?;
                    Ok(Err(StorageError::Refused(r)))
                }
            }
        })?
    }

    /// Adds a staff member of the admin's own Stelle. Roles that need a second admin
    /// (`admin`, `dpo`) are not given yet: each opens a pending grant.
    pub fn add_staff(
        &self,
        actor: &Staff,
        entry: &StaffEntry,
    ) -> Result<AdminOutcome, StorageError> {
        self.admin_write(actor, None, |tx, now| {
            if let Some(r) = check_admin(tx, actor, entry.agency)? {
                return Ok(Err(r));
            }
            if !valid_login(&entry.login) {
                return Ok(Err(Refusal::LoginInvalid));
            }
            if entry.surname.trim().is_empty() || entry.given_name.trim().is_empty() {
                return Ok(Err(Refusal::NameNeeded));
            }
            if let Some(r) = check_roles(entry.agency, &entry.roles, &entry.functions) {
                return Ok(Err(r));
            }
            if let Some(r) = check_deputy(tx, None, entry.agency, entry.deputy)? {
                return Ok(Err(r));
            }
            let taken = tx
                .query_row("SELECT 1 FROM staff WHERE login = ?1", [&entry.login], |_| Ok(()))
                .optional()?
                .is_some();
            if taken {
                return Ok(Err(Refusal::LoginTaken));
            }
            tx.execute(
                "INSERT INTO staff (login, surname, given_name, stelle, phone, email, deputy_id, \
                 created_at, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
                params![
                    entry.login,
                    entry.surname.trim(),
                    entry.given_name.trim(),
                    entry.agency.code(),
                    entry.phone.trim(),
                    entry.email.trim(),
                    entry.deputy.map(|d| d.0),
                    now,
                    actor.id.0
                ],
            )?;
            let id = StaffId(tx.last_insert_rowid());
            let mut roles = entry.roles.clone();
            roles.sort();
            roles.dedup();
            let mut ins = tx.prepare_cached("INSERT INTO staff_role (staff_id, role) VALUES (?1, ?2)")?;
            for r in roles.iter().filter(|r| !r.needs_second_admin()) {
                ins.execute(params![id.0, r.code()])?;
            }
            set_functions(tx, id, &entry.functions)?;
            audit::log_create(
                tx,
                now,
                Some(actor),
                object::STAFF,
                id.0,
                vec![
                    "login",
                    "surname",
                    "given_name",
                    "stelle",
                    "phone",
                    "email",
                    "roles",
                    "functions",
                    "deputy_id",
                ],
            )?;
            let mut pending = Vec::new();
            for r in roles.iter().filter(|r| r.needs_second_admin()) {
                pending.push(open_grant(tx, actor, id, *r, now)?);
            }
            Ok(Ok(AdminOutcome {
                staff: id,
                version: 1,
                pending,
            }))
        })
    }

    /// Changes a staff member's names, contact, roles, functions or deputy. `version` is
    /// the one the record was read with: if someone saved in between, nothing is written
    /// and [`StorageError::Conflict`] names who saved last. Newly given `admin` and `dpo`
    /// open pending grants; taking away the own `admin` role, or the Stelle's last one, is
    /// refused.
    pub fn edit_staff(
        &self,
        actor: &Staff,
        id: StaffId,
        version: i64,
        edit: &StaffEdit,
    ) -> Result<AdminOutcome, StorageError> {
        self.admin_write(actor, Some(id), |tx, now| {
            let old = stored(tx, id)?.ok_or(StorageError::NotFound)?;
            if let Some(r) = check_admin(tx, actor, old.agency)? {
                return Ok(Err(r));
            }
            if old.version != version {
                return Err(conflict(tx, id));
            }
            let surname = edit.surname.as_deref().map_or(old.surname.as_str(), str::trim);
            let given_name = edit
                .given_name
                .as_deref()
                .map_or(old.given_name.as_str(), str::trim);
            if surname.is_empty() || given_name.is_empty() {
                return Ok(Err(Refusal::NameNeeded));
            }
            let email = edit.email.as_deref().map_or(old.email.as_str(), str::trim);
            let phone = edit.phone.as_deref().map_or(old.phone.as_str(), str::trim);
            let wanted = edit.roles.clone().unwrap_or_else(|| old.roles.clone());
            let functions = edit
                .functions
                .as_deref()
                .map_or_else(|| old.functions.clone(), sorted_functions);
            if let Some(r) = check_roles(old.agency, &wanted, &functions) {
                return Ok(Err(r));
            }
            let deputy = edit.deputy.unwrap_or(old.deputy.map(StaffId));
            if edit.deputy.is_some()
                && let Some(r) = check_deputy(tx, Some(id), old.agency, deputy)?
            {
                return Ok(Err(r));
            }
            // Roles kept or given at once; `admin` and `dpo` not held yet wait for a second
            // admin.
            let (mut now_roles, mut grants) = (Vec::new(), Vec::new());
            for r in &wanted {
                if r.needs_second_admin() && !old.roles.contains(r) {
                    grants.push(*r);
                } else {
                    now_roles.push(*r);
                }
            }
            now_roles.sort();
            now_roles.dedup();
            grants.sort();
            grants.dedup();
            let loses_admin = old.roles.contains(&Role::Admin) && !now_roles.contains(&Role::Admin);
            if loses_admin && old.active && other_admins(tx, old.agency, id)? == 0 {
                return Ok(Err(Refusal::LastAdmin));
            }
            // An admin changes no role of their own: neither giving up the last word nor
            // taking a role that sees cases (docs/access.md A11).
            let mut sorted_wanted = wanted.clone();
            sorted_wanted.sort();
            sorted_wanted.dedup();
            if id == actor.id && sorted_wanted != old.roles {
                return Ok(Err(Refusal::OwnAccount));
            }
            let n = tx.execute(
                "UPDATE staff SET surname = ?3, given_name = ?4, email = ?5, phone = ?6, deputy_id = ?7, \
                 updated_at = ?8, updated_by = ?9, version = version + 1 WHERE id = ?1 AND version = ?2",
                params![
                    id.0,
                    version,
                    surname,
                    given_name,
                    email,
                    phone,
                    deputy.map(|d| d.0),
                    now,
                    actor.id.0
                ],
            )?;
            if n == 0 {
                return Err(conflict(tx, id));
            }
            tx.execute("DELETE FROM staff_role WHERE staff_id = ?1", [id.0])?;
            let mut ins = tx.prepare_cached("INSERT INTO staff_role (staff_id, role) VALUES (?1, ?2)")?;
            for r in &now_roles {
                ins.execute(params![id.0, r.code()])?;
            }
            set_functions(tx, id, &functions)?;
            let text = |v: Option<i64>| v.map(|i| i.to_string());
            let before: [FieldValue; 7] = [
                ("surname", Some(old.surname.clone())),
                ("given_name", Some(old.given_name.clone())),
                ("email", Some(old.email.clone())),
                ("phone", Some(old.phone.clone())),
                ("roles", Some(role_text(&old.roles))),
                ("functions", Some(function_text(&old.functions))),
                ("deputy_id", text(old.deputy)),
            ];
            let after: [FieldValue; 7] = [
                ("surname", Some(surname.to_string())),
                ("given_name", Some(given_name.to_string())),
                ("email", Some(email.to_string())),
                ("phone", Some(phone.to_string())),
                ("roles", Some(role_text(&now_roles))),
                ("functions", Some(function_text(&functions))),
                ("deputy_id", text(deputy.map(|d| d.0))),
            ];
            let entry = AuditEntry::new(AuditAction::Update, object::STAFF)
                .by(actor)
                .object(id.0)
                .version(version + 1);
            audit::log_update(tx, entry, now, &before, &after)?;
            let mut pending = Vec::new();
            for r in grants {
                pending.push(open_grant(tx, actor, id, r, now)?);
            }
            Ok(Ok(AdminOutcome {
                staff: id,
                version: version + 1,
                pending,
            }))
        })
    }

    /// Deactivates (`active = false`) or reactivates a staff member. A deactivated login
    /// is refused at once; a running session locks at its next check of the record. An
    /// admin cannot deactivate themselves, nor the Stelle's last active admin. Setting the
    /// state a record already has changes nothing.
    pub fn set_staff_active_as(
        &self,
        actor: &Staff,
        id: StaffId,
        active: bool,
    ) -> Result<(), StorageError> {
        self.admin_write(actor, Some(id), |tx, now| {
            let old = stored(tx, id)?.ok_or(StorageError::NotFound)?;
            if let Some(r) = check_admin(tx, actor, old.agency)? {
                return Ok(Err(r));
            }
            if old.active == active {
                return Ok(Ok(()));
            }
            if !active {
                if old.roles.contains(&Role::Admin) && other_admins(tx, old.agency, id)? == 0 {
                    return Ok(Err(Refusal::LastAdmin));
                }
                if id == actor.id {
                    return Ok(Err(Refusal::OwnAccount));
                }
            }
            tx.execute(
                "UPDATE staff SET active = ?2, updated_at = ?3, updated_by = ?4, version = version + 1 \
                 WHERE id = ?1",
                params![id.0, i64::from(active), now, actor.id.0],
            )?;
            let entry = AuditEntry::new(AuditAction::Update, object::STAFF)
                .by(actor)
                .object(id.0)
                .version(old.version + 1);
            let flag = |a: bool| Some(i64::from(a).to_string());
            audit::log_update(
                tx,
                entry,
                now,
                &[("active", flag(old.active))],
                &[("active", flag(active))],
            )?;
            Ok(Ok(()))
        })
    }

    /// A staff member as the administration of their Stelle sees them: refused for anyone
    /// but an active admin of that Stelle.
    pub fn staff_details(&self, actor: &Staff, id: StaffId) -> Result<StaffDetails, StorageError> {
        let old = stored(self.conn(), id)?.ok_or(StorageError::NotFound)?;
        if let Some(r) = check_admin(self.conn(), actor, old.agency)? {
            return Err(StorageError::Refused(r));
        }
        let staff = self.staff_by_id(id)?.ok_or(StorageError::NotFound)?;
        Ok(StaffDetails {
            staff,
            email: old.email,
            phone: old.phone,
            functions: old.functions,
            deputy: old.deputy.map(StaffId),
            version: old.version,
        })
    }

    /// The staff of the admin's own Stelle, active and deactivated, by surname, given name
    /// (DIN 5007) and login: roles, functions, the number of SSH keys and the roles waiting for a
    /// second admin. Refused for anyone but an active admin; no case content.
    pub fn staff_of_stelle(&self, actor: &Staff) -> Result<Vec<StaffRow>, StorageError> {
        if let Some(r) = check_admin(self.conn(), actor, actor.agency)? {
            return Err(StorageError::Refused(r));
        }
        let mut stmt = self.conn().prepare_cached(
            "SELECT s.id, s.login, s.surname, s.given_name, s.active, \
             (SELECT group_concat(role, ',') FROM staff_role WHERE staff_id = s.id), \
             (SELECT group_concat(function, ',') FROM staff_function WHERE staff_id = s.id), \
             (SELECT count(*) FROM ssh_key WHERE staff_id = s.id AND removed_at IS NULL), \
             (SELECT group_concat(role, ',') FROM role_grant WHERE staff_id = s.id AND outcome IS NULL) \
             FROM staff s WHERE s.stelle = ?1 ORDER BY s.surname, s.given_name, s.login",
        )?;
        let codes = |text: Option<String>| -> Vec<Role> {
            let mut roles: Vec<Role> = text
                .unwrap_or_default()
                .split(',')
                .filter_map(Role::from_code)
                .collect();
            roles.sort();
            roles.dedup();
            roles
        };
        let rows = stmt.query_map([actor.agency.code()], |r| {
            let functions: Option<String> = r.get(6)?;
            let functions: Vec<Function> = functions
                .unwrap_or_default()
                .split(',')
                .filter_map(Function::from_code)
                .collect();
            Ok(StaffRow {
                id: StaffId(r.get(0)?),
                login: r.get(1)?,
                surname: r.get(2)?,
                given_name: r.get(3)?,
                active: r.get::<_, i64>(4)? == 1,
                roles: codes(r.get(5)?),
                functions: sorted_functions(&functions),
                keys: usize::try_from(r.get::<_, i64>(7)?).unwrap_or(0),
                pending: codes(r.get(8)?),
            })
        })?;
        let mut rows: Vec<StaffRow> = rows.collect::<Result<_, _>>()?;
        // Names sort as in every list of Tandem (DIN 5007: Şahin under S, not after Z).
        rows.sort_by_cached_key(|r| {
            (
                crate::domain::text::sort_key(&r.surname),
                crate::domain::text::sort_key(&r.given_name),
                r.login.clone(),
            )
        });
        Ok(rows)
    }

    /// The open four-eyes grants of the admin's own Stelle, oldest first.
    pub fn pending_grants(&self, actor: &Staff) -> Result<Vec<RoleGrant>, StorageError> {
        if let Some(r) = check_admin(self.conn(), actor, actor.agency)? {
            return Err(StorageError::Refused(r));
        }
        let mut stmt = self.conn().prepare_cached(
            "SELECT g.id, g.staff_id, s.login, g.role, q.login, g.requested_at FROM role_grant g \
             JOIN staff s ON s.id = g.staff_id JOIN staff q ON q.id = g.requested_by \
             WHERE g.outcome IS NULL AND s.stelle = ?1 ORDER BY g.id",
        )?;
        let rows = stmt.query_map([actor.agency.code()], |r| {
            let role: String = r.get(3)?;
            Ok(RoleGrant {
                id: r.get(0)?,
                staff: StaffId(r.get(1)?),
                login: r.get(2)?,
                role: Role::from_code(&role).unwrap_or(Role::Admin),
                requested_by: r.get(4)?,
                requested_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Decides an open grant: `confirm` gives the role (only an admin of the same Stelle
    /// who neither asked for it nor receives it), otherwise the request ends without it
    /// (any admin of the Stelle, the requester too).
    pub fn decide_grant(
        &self,
        actor: &Staff,
        grant: i64,
        confirm: bool,
    ) -> Result<(), StorageError> {
        let row: Option<(i64, String, i64)> = self
            .conn()
            .query_row(
                "SELECT staff_id, role, requested_by FROM role_grant WHERE id = ?1",
                [grant],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let object = row.as_ref().map(|(s, _, _)| StaffId(*s));
        self.admin_write(actor, object, |tx, now| {
            let row: Option<(i64, String, i64, Option<String>)> = tx
                .query_row(
                    "SELECT staff_id, role, requested_by, outcome FROM role_grant WHERE id = ?1",
                    [grant],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            let Some((staff, role, requested_by, outcome)) = row else {
                return Ok(Err(Refusal::NoPending));
            };
            let staff = StaffId(staff);
            let old = stored(tx, staff)?.ok_or(StorageError::NotFound)?;
            if let Some(r) = check_admin(tx, actor, old.agency)? {
                return Ok(Err(r));
            }
            if outcome.is_some() {
                return Ok(Err(Refusal::NoPending));
            }
            let role = Role::from_code(&role).ok_or(StorageError::NotFound)?;
            if confirm && (actor.id.0 == requested_by || actor.id == staff) {
                return Ok(Err(Refusal::GrantSelf));
            }
            tx.execute(
                "UPDATE role_grant SET outcome = ?2, decided_by = ?3, decided_at = ?4 WHERE id = ?1",
                params![grant, if confirm { "confirmed" } else { "refused" }, actor.id.0, now],
            )?;
            let entry = AuditEntry::new(AuditAction::Update, object::ROLE_GRANT)
                .by(actor)
                .object(grant)
                .fields(vec!["outcome", "decided_by"])
                .version(2)
                .detail(if confirm {
                    detail::GRANT_CONFIRMED
                } else {
                    detail::GRANT_REFUSED
                });
            audit::append_at(tx, &entry, now)?;
            if confirm && !old.roles.contains(&role) {
                tx.execute(
                    "INSERT INTO staff_role (staff_id, role) VALUES (?1, ?2)",
                    params![staff.0, role.code()],
                )?;
                tx.execute(
                    "UPDATE staff SET updated_at = ?2, updated_by = ?3, version = version + 1 WHERE id = ?1",
                    params![staff.0, now, actor.id.0],
                )?;
                let mut roles = old.roles.clone();
                roles.push(role);
                let entry = AuditEntry::new(AuditAction::Update, object::STAFF)
                    .by(actor)
                    .object(staff.0)
                    .version(old.version + 1);
                audit::log_update(
                    tx,
                    entry,
                    now,
                    &[("roles", Some(role_text(&old.roles)))],
                    &[("roles", Some(role_text(&roles)))],
                )?;
            }
            Ok(Ok(()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_safe_words() {
        for ok in ["brinkmann", "a", "m.meyer-2", "x_y", "0abc"] {
            assert!(valid_login(ok), "{ok}");
        }
        for bad in [
            "",
            "-x",
            ".x",
            "Brinkmann",
            "a b",
            "a\"b",
            "ä",
            "a;b",
            &"a".repeat(65),
        ] {
            assert!(!valid_login(bad), "{bad}");
        }
    }
}
