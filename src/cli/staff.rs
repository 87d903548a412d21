//! `tandem staff add|edit|deactivate|reactivate|grants|confirm|refuse`: the staff
//! administration for scripts (docs/access.md A11). The acting admin is `--user`, resolved
//! exactly as for the interactive program (`authenticate`: exit 77 when refused, a login
//! row in the audit log). Every rule is the store's; a refusal is one line and exit 1, a
//! command line that cannot be understood exit 2.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use clap::Args;

use super::{
    EXIT_FAILURE, EXIT_USAGE, StaffCommand, StelleArg, authenticate, db_message, fail,
    log_session_end, out,
};
use crate::domain::text::sanitize;
use crate::domain::{Agency, Role, Staff, StaffId};
use crate::model::referral::Function;
use crate::storage::staff_admin::{StaffEdit, StaffEntry};
use crate::storage::{OpenMode, StorageError, Store};
use crate::strings::{Lang, Strings};

fn role(code: &str) -> Result<Role, String> {
    Role::from_code(code.trim()).ok_or_else(|| code.to_string())
}

fn function(code: &str) -> Result<Function, String> {
    Function::from_code(code.trim()).ok_or_else(|| code.to_string())
}

/// `tandem staff add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// Login (lower-case letters, digits, `.`, `_`, `-`).
    #[arg(long)]
    pub login: String,
    /// Surname ("Nachname").
    #[arg(long)]
    pub surname: String,
    /// Given name ("Vorname").
    #[arg(long)]
    pub given_name: String,
    /// Stelle: must be the acting admin's own.
    #[arg(long, value_enum)]
    pub stelle: StelleArg,
    /// Roles, comma-separated: jc_u25, ja_staff, ja_oncall, lead, dpo, admin (`admin` and
    /// `dpo` wait for a second admin's confirmation).
    #[arg(long, value_delimiter = ',', value_parser = role, required = true)]
    pub roles: Vec<Role>,
    /// Office e-mail.
    #[arg(long, default_value = "")]
    pub email: String,
    /// Office phone.
    #[arg(long, default_value = "")]
    pub phone: String,
    /// Functions, comma-separated: insofa, cp_intake (Jugendamt), cp_coord (Jobcenter).
    #[arg(long, value_delimiter = ',', value_parser = function)]
    pub functions: Vec<Function>,
    /// Login of the deputy ("Vertretung"), a colleague of the same Stelle.
    #[arg(long)]
    pub deputy: Option<String>,
}

/// `tandem staff edit LOGIN`: only the options given change.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The staff member's login.
    pub login: String,
    /// Surname.
    #[arg(long)]
    pub surname: Option<String>,
    /// Given name.
    #[arg(long)]
    pub given_name: Option<String>,
    /// Office e-mail (`""` clears it).
    #[arg(long)]
    pub email: Option<String>,
    /// Office phone (`""` clears it).
    #[arg(long)]
    pub phone: Option<String>,
    /// The complete new set of roles, comma-separated.
    #[arg(long, value_delimiter = ',', value_parser = role)]
    pub roles: Option<Vec<Role>>,
    /// The complete new set of functions, comma-separated (`""` removes all).
    #[arg(long, value_delimiter = ',', value_parser = function_or_none)]
    pub functions: Option<Vec<Option<Function>>>,
    /// Login of the deputy; `""` removes the deputy.
    #[arg(long)]
    pub deputy: Option<String>,
    /// The version the change is based on (as printed by `add` and `edit`); if the record
    /// was saved since, nothing changes and the command says who saved it (exit 1).
    #[arg(long)]
    pub version: Option<i64>,
}

fn function_or_none(code: &str) -> Result<Option<Function>, String> {
    if code.trim().is_empty() {
        Ok(None)
    } else {
        function(code).map(Some)
    }
}

/// One staff member by login.
#[derive(Debug, Args)]
pub struct LoginArg {
    /// The staff member's login.
    pub login: String,
}

/// One grant by id.
#[derive(Debug, Args)]
pub struct GrantArg {
    /// Id of the grant, as `tandem staff grants` prints it.
    pub id: i64,
}

fn english(s: &Strings) -> bool {
    std::ptr::eq(s, Strings::get(Lang::En))
}

/// The German (or English) text.
fn t<'a>(s: &Strings, de: &'a str, en: &'a str) -> &'a str {
    if english(s) { en } else { de }
}

/// Runs one administration verb (everything but `list`).
pub(super) fn run(
    config: &crate::config::Config,
    path: &Path,
    login: Option<&str>,
    command: &StaffCommand,
    s: &Strings,
) -> ExitCode {
    let store = match super::ops::open_db(config, path, OpenMode::Existing) {
        Ok(store) => store,
        Err(e) => return fail(&db_message(s, path, &e), EXIT_FAILURE),
    };
    let me = match authenticate(&store, login, s) {
        Ok(me) => me,
        Err(f) => return fail(&f.message, f.exit_code),
    };
    let result = act(&store, &me, command, s);
    log_session_end(&store, &me, false, false);
    match result {
        Ok(lines) => {
            for line in lines {
                out(&line);
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(line)) => fail(&line, EXIT_USAGE),
        Err(Failure::Store(e)) => fail(&error_line(s, path, &e), EXIT_FAILURE),
    }
}

enum Failure {
    /// A login or value on the command line that names nothing (exit 2).
    Usage(String),
    /// What the store said (exit 1).
    Store(StorageError),
}

impl From<StorageError> for Failure {
    fn from(e: StorageError) -> Failure {
        Failure::Store(e)
    }
}

fn error_line(s: &Strings, path: &Path, e: &StorageError) -> String {
    match e {
        StorageError::Refused(r) => (s.refused)(*r),
        StorageError::NotFound => t(
            s,
            "Diese Mitarbeiterin oder diesen Mitarbeiter gibt es nicht.",
            "No such staff member.",
        )
        .to_string(),
        StorageError::Conflict { by, at } => {
            let when = at.as_deref().and_then(crate::storage::parse_ts).map(|t| {
                crate::domain::tz::to_local(t)
                    .format("%d.%m.%Y %H:%M")
                    .to_string()
            });
            let who = by.as_deref().map(|b| sanitize(b, false));
            if english(s) {
                format!(
                    "Not saved: {} changed this staff record meanwhile{}. Read it again and repeat the change.",
                    who.as_deref().unwrap_or("someone else"),
                    when.map(|w| format!(" (on {w})")).unwrap_or_default()
                )
            } else {
                format!(
                    "Nicht gespeichert: {} hat diesen Eintrag inzwischen geändert{}. Bitte neu lesen und die Änderung wiederholen.",
                    who.as_deref().unwrap_or("eine andere Person"),
                    when.map(|w| format!(" (am {w})")).unwrap_or_default()
                )
            }
        }
        other => db_message(s, path, other),
    }
}

/// The id of the staff member with `login` (any state), or a usage error naming it.
fn staff_id(store: &Store, login: &str, s: &Strings) -> Result<StaffId, Failure> {
    match store.staff_by_login(login)? {
        Some(staff) => Ok(staff.id),
        None => Err(Failure::Usage(format!(
            "{}: {}",
            t(s, "Unbekannter Anmeldename", "Unknown login"),
            sanitize(login, false)
        ))),
    }
}

/// `--deputy`: absent leaves the deputy, `""` removes it, a login sets it (the shape of
/// `StaffEdit::deputy`).
#[expect(clippy::option_option, reason = "the three cases of StaffEdit::deputy")]
fn deputy(
    store: &Store,
    login: Option<&str>,
    s: &Strings,
) -> Result<Option<Option<StaffId>>, Failure> {
    match login {
        None => Ok(None),
        Some(l) if l.trim().is_empty() => Ok(Some(None)),
        Some(l) => Ok(Some(Some(staff_id(store, l, s)?))),
    }
}

/// `login<TAB>version[<TAB>grants: ID,…]` after an add or edit.
fn outcome_line(login: &str, version: i64, pending: &[i64], s: &Strings) -> String {
    let mut line = format!(
        "{}\t{} {version}",
        sanitize(login, false),
        t(s, "Version", "version")
    );
    if !pending.is_empty() {
        let ids: Vec<String> = pending.iter().map(ToString::to_string).collect();
        let _ = write!(
            line,
            "\t{} {}",
            t(
                s,
                "wartet auf Bestätigung durch eine zweite Administration:",
                "awaits a second administrator's confirmation:"
            ),
            ids.join(",")
        );
    }
    line
}

fn act(
    store: &Store,
    me: &Staff,
    command: &StaffCommand,
    s: &Strings,
) -> Result<Vec<String>, Failure> {
    match command {
        // Answered in cli.rs before the staff verbs.
        StaffCommand::List | StaffCommand::Key { .. } => Ok(Vec::new()),
        StaffCommand::Add(a) => {
            let entry = StaffEntry {
                login: a.login.clone(),
                surname: a.surname.clone(),
                given_name: a.given_name.clone(),
                agency: match a.stelle {
                    StelleArg::Jc => Agency::Jobcenter,
                    StelleArg::Ja => Agency::Jugendamt,
                },
                roles: a.roles.clone(),
                functions: a.functions.clone(),
                email: a.email.clone(),
                phone: a.phone.clone(),
                deputy: deputy(store, a.deputy.as_deref(), s)?.flatten(),
            };
            let done = store.add_staff(me, &entry)?;
            Ok(vec![outcome_line(&a.login, done.version, &done.pending, s)])
        }
        StaffCommand::Edit(e) => {
            let id = staff_id(store, &e.login, s)?;
            let version = match e.version {
                Some(v) => v,
                None => store.staff_details(me, id)?.version,
            };
            let edit = StaffEdit {
                surname: e.surname.clone(),
                given_name: e.given_name.clone(),
                email: e.email.clone(),
                phone: e.phone.clone(),
                roles: e.roles.clone(),
                functions: e
                    .functions
                    .as_ref()
                    .map(|f| f.iter().flatten().copied().collect()),
                deputy: deputy(store, e.deputy.as_deref(), s)?,
            };
            let done = store.edit_staff(me, id, version, &edit)?;
            Ok(vec![outcome_line(&e.login, done.version, &done.pending, s)])
        }
        StaffCommand::Deactivate(l) | StaffCommand::Reactivate(l) => {
            let active = matches!(command, StaffCommand::Reactivate(_));
            let id = staff_id(store, &l.login, s)?;
            store.set_staff_active_as(me, id, active)?;
            let state = if active {
                t(s, "aktiv", "active")
            } else {
                t(s, "deaktiviert", "deactivated")
            };
            Ok(vec![format!("{}\t{state}", sanitize(&l.login, false))])
        }
        StaffCommand::Grants => Ok(store
            .pending_grants(me)?
            .into_iter()
            .map(|g| {
                let at = crate::storage::parse_ts(&g.requested_at).map_or_else(String::new, |t| {
                    crate::domain::tz::to_local(t)
                        .format("%d.%m.%Y %H:%M")
                        .to_string()
                });
                format!(
                    "{}\t{}\t{}\t{}\t{at}",
                    g.id,
                    sanitize(&g.login, false),
                    g.role.code(),
                    sanitize(&g.requested_by, false)
                )
            })
            .collect()),
        StaffCommand::Confirm(g) | StaffCommand::Refuse(g) => {
            let confirm = matches!(command, StaffCommand::Confirm(_));
            store.decide_grant(me, g.id, confirm)?;
            let state = if confirm {
                t(s, "bestätigt", "confirmed")
            } else {
                t(s, "abgelehnt", "refused")
            };
            Ok(vec![format!("{}\t{state}", g.id)])
        }
    }
}
