//! The SSH front door (docs/architecture.md § 7): `tandem init`, `tandem keys`,
//! `tandem staff key add|list|remove`, the plain-data verbs a client may ask for through
//! `SSH_ORIGINAL_COMMAND`, and where a login came from (`SSH_USER_AUTH`, `SSH_CONNECTION`).
//!
//! Identity comes from `--user` in the forced command of the key line, never from the
//! environment: sshd puts the client's request into `SSH_ORIGINAL_COMMAND`, and Tandem only
//! looks there for one of a fixed list of verbs that write plain data to stdout. Anything
//! else starts the interactive program. Nothing here starts a process or a shell.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

use super::{EXIT_FAILURE, authenticate, db_message, export_ics, fail, log_session_end, out};
use crate::config::Config;
use crate::domain::text::sanitize;
use crate::domain::{Agency, Clock, Role};
use crate::storage::ssh_keys::{KeyAdminError, KeyProblem, LoginOrigin, PublicKey};
use crate::storage::staff::NewStaff;
use crate::storage::{OpenMode, StorageError, Store};
use crate::strings::Strings;

/// What the forced command's login was for (`tui` or a verb), recorded in `login_origin`;
/// unset for the other commands.
static VERB: OnceLock<&'static str> = OnceLock::new();

/// The longest `SSH_ORIGINAL_COMMAND` looked at; a longer one starts the interactive program.
const MAX_REQUEST: usize = 256;

/// The largest `SSH_USER_AUTH` file read.
const MAX_AUTH_INFO: u64 = 64 * 1024;

/// A plain-data verb of the whitelist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verb {
    /// `ics [--from TT.MM.JJJJ] [--to TT.MM.JJJJ]`: the user's conferences as iCalendar.
    Ics {
        /// First day.
        from: Option<String>,
        /// Last day.
        to: Option<String>,
    },
    /// `oncall`: the open acute and urgent child-protection referrals as plain text.
    Oncall,
    /// `dokument N`: a PDF the user printed, to standard output (docs/documents.md § 2).
    Document(i64),
    /// `report [--year JJJJ] [--format text|csv|json]`: the yearly report (leads and DSBs;
    /// docs/report.md § 5), to standard output only.
    Report {
        /// The year (digits only).
        year: Option<i32>,
        /// The format.
        format: super::report::Format,
    },
}

impl Verb {
    fn code(&self) -> &'static str {
        match self {
            Verb::Ics { .. } => "ics",
            Verb::Oncall => "oncall",
            Verb::Document(_) => "dokument",
            Verb::Report { .. } => "report",
        }
    }
}

/// Parses a client's request: split on white space (no shell, no quoting), a verb of the
/// whitelist with its exact options, or none.
pub fn parse_request(request: &str) -> Option<Verb> {
    if request.len() > MAX_REQUEST {
        return None;
    }
    let words: Vec<&str> = request.split_whitespace().collect();
    match words.split_first()? {
        (&"oncall", []) => Some(Verb::Oncall),
        (&"dokument", [n]) => {
            let digits = (1..=12).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit());
            Some(Verb::Document(n.parse().ok().filter(|_| digits)?))
        }
        (&"report", rest) => {
            let (mut year, mut format) = (None, None);
            for pair in rest.chunks(2) {
                let [flag, value] = pair else { return None };
                match *flag {
                    "--year" if year.is_none() => {
                        let ok = value.len() == 4 && value.bytes().all(|b| b.is_ascii_digit());
                        year = Some(value.parse::<i32>().ok().filter(|_| ok)?);
                    }
                    "--format" if format.is_none() => {
                        format = Some(match *value {
                            "text" => super::report::Format::Text,
                            "csv" => super::report::Format::Csv,
                            "json" => super::report::Format::Json,
                            _ => return None,
                        });
                    }
                    _ => return None,
                }
            }
            Some(Verb::Report {
                year,
                format: format.unwrap_or_default(),
            })
        }
        (&"ics", rest) => {
            let (mut from, mut to) = (None, None);
            let mut pairs = rest.chunks(2);
            for pair in pairs.by_ref() {
                let [flag, value] = pair else { return None };
                let slot = match *flag {
                    "--from" => &mut from,
                    "--to" => &mut to,
                    _ => return None,
                };
                if slot.replace((*value).to_string()).is_some() {
                    return None;
                }
            }
            Some(Verb::Ics { from, to })
        }
        _ => None,
    }
}

/// The interactive program's path: when sshd passed a request of the whitelist, serves it
/// and returns the exit code; otherwise (no request, or any other request) returns none and
/// the caller starts the interactive program.
pub(super) fn serve_request(
    path: &Path,
    login: Option<&str>,
    config: &Config,
    s: &'static Strings,
) -> Option<ExitCode> {
    let request = std::env::var("SSH_ORIGINAL_COMMAND").ok();
    if request.as_deref().map(str::trim) == Some(LOW_BANDWIDTH) {
        // `ssh -t tandem@host low-bandwidth`: the interactive program, marker-only lists.
        let _ = ASKED_LOW_BANDWIDTH.set(true);
    }
    if request.as_deref().map(str::trim) == Some(ACCESSIBLE) {
        // `ssh -t tandem@host accessible`: the interactive program in accessible mode.
        let _ = ASKED_ACCESSIBLE.set(true);
    }
    let verb = request.and_then(|r| parse_request(&r));
    let Some(verb) = verb else {
        let _ = VERB.set("tui");
        return None;
    };
    let _ = VERB.set(verb.code());
    tracing::info!(verb = verb.code(), "ssh request");
    Some(match verb {
        Verb::Ics { from, to } => export_ics(
            config,
            path,
            login,
            None,
            (from.as_deref(), to.as_deref()),
            None,
            (s, config.permanent_deputies),
        ),
        Verb::Oncall => oncall(path, login, config, s),
        Verb::Document(n) => document(path, login, config, s, n),
        Verb::Report { year, format } => super::report::run(
            config,
            path,
            login,
            &super::report::ReportArgs {
                year,
                format,
                out: None,
            },
            s,
        ),
    })
}

/// The request that starts the interactive program in low-bandwidth mode.
const LOW_BANDWIDTH: &str = "low-bandwidth";

/// Set when the client asked for [`LOW_BANDWIDTH`].
static ASKED_LOW_BANDWIDTH: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Whether this SSH login asked for the low-bandwidth mode (docs/performance.md § 4).
pub(super) fn low_bandwidth_requested() -> bool {
    ASKED_LOW_BANDWIDTH.get().copied().unwrap_or(false)
}

/// The request that starts the interactive program in accessible mode.
const ACCESSIBLE: &str = "accessible";

/// Set when the client asked for [`ACCESSIBLE`].
static ASKED_ACCESSIBLE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Whether this SSH login asked for the accessible mode (docs/accessibility.md).
pub(super) fn accessible_requested() -> bool {
    ASKED_ACCESSIBLE.get().copied().unwrap_or(false)
}

/// Where this login came from, when sshd says so: the fingerprint of the key from the
/// `SSH_USER_AUTH` file (`ExposeAuthInfo yes`) and the client's address and port from
/// `SSH_CONNECTION`. None outside SSH, and for every command but the forced command's own
/// path ([`serve_request`]): an administrator who runs `tandem staff key …` in a shell of
/// their own account has their personal key in `SSH_USER_AUTH`, which says nothing about
/// the `--user` of that command.
pub(crate) fn origin() -> Option<LoginOrigin> {
    let verb = VERB.get().copied()?;
    let client = std::env::var("SSH_CONNECTION").ok().and_then(|c| {
        let mut words = c.split_whitespace();
        let ip: std::net::IpAddr = words.next()?.parse().ok()?;
        let port: u16 = words.next()?.parse().ok()?;
        Some(format!("{ip} {port}"))
    });
    let key_fingerprint =
        std::env::var_os("SSH_USER_AUTH").and_then(|p| auth_info_key(Path::new(&p)));
    if client.is_none() && key_fingerprint.is_none() {
        return None;
    }
    Some(LoginOrigin {
        key_fingerprint,
        client,
        verb,
    })
}

/// The fingerprint of the last public key in sshd's `SSH_USER_AUTH` file (lines
/// `publickey ssh-ed25519 AAAA…`).
fn auth_info_key(file: &Path) -> Option<String> {
    let mut text = String::new();
    std::fs::File::open(file)
        .ok()?
        .take(MAX_AUTH_INFO)
        .read_to_string(&mut text)
        .ok()?;
    text.lines()
        .rev()
        .filter_map(|l| l.strip_prefix("publickey "))
        .find_map(|k| PublicKey::parse(k).ok())
        .map(|k| k.fingerprint)
}

/// The German (or English) line for a key that cannot be used.
fn key_problem(s: &Strings, p: &KeyProblem) -> String {
    crate::app::layers::ssh_keys::key_problem(s, p)
}

fn admin_error(s: &Strings, path: &Path, e: &KeyAdminError, subject: &str) -> String {
    let t = s.ssh;
    match e {
        KeyAdminError::NotAdmin => t.not_admin.to_string(),
        KeyAdminError::OtherAgency => t.other_agency.to_string(),
        KeyAdminError::NotFound if subject.starts_with("SHA256:") => (t.no_such_key)(subject),
        KeyAdminError::NotFound => (t.no_such_login)(subject),
        KeyAdminError::Duplicate => t.duplicate_key.to_string(),
        KeyAdminError::NotEmpty => t.init_not_empty.to_string(),
        KeyAdminError::Storage(e) => db_message(s, path, e),
    }
}

/// Reads a public key from `file` (`-`: standard input) and checks it.
fn read_key(file: &Path, s: &Strings) -> Result<PublicKey, String> {
    let mut text = String::new();
    let shown = sanitize(&file.display().to_string(), false);
    let read = if file == Path::new("-") {
        std::io::stdin()
            .take(MAX_AUTH_INFO)
            .read_to_string(&mut text)
    } else {
        std::fs::File::open(file).and_then(|f| f.take(MAX_AUTH_INFO).read_to_string(&mut text))
    };
    if read.is_err() {
        return Err((s.ssh.key_unreadable)(&shown));
    }
    PublicKey::parse(&text).map_err(|p| key_problem(s, &p))
}

/// Whether `login` may stand in a forced command: `[a-z][a-z0-9._-]{0,31}`.
pub fn login_is_safe(login: &str) -> bool {
    let mut chars = login.chars();
    login.len() <= 32
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// Whether `path` may stand unquoted in a forced command (sshd runs it through the
/// account's shell): an absolute path of letters, digits and `/ . _ - +`.
fn path_is_safe(path: &str) -> bool {
    path.starts_with('/')
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '+'))
}

/// The authorized_keys text: one line per key of an active staff member,
/// `restrict,pty,command="<program> [--db <db>] --user <login>" <type> <blob> <comment>`.
/// `restrict` turns off every forwarding, agent, X11, user rc and the terminal (and what
/// later OpenSSH versions add); `pty` allows the terminal again. Returns the text, the
/// number of lines and the warnings for logins left out.
pub fn authorized_keys_text(
    store: &Store,
    program: &str,
    db: Option<&str>,
    s: &Strings,
) -> Result<(String, usize, Vec<String>), StorageError> {
    let mut text = String::from(
        "# Generated by `tandem keys` from the staff table; do not edit (docs/architecture.md § 7).\n",
    );
    let mut warnings = Vec::new();
    let mut lines = 0;
    let db = db.map(|d| format!(" --db {d}")).unwrap_or_default();
    for key in store.authorized_keys()? {
        if !login_is_safe(&key.login) {
            let w = (s.ssh.login_skipped)(&sanitize(&key.login, false));
            if !warnings.contains(&w) {
                warnings.push(w);
            }
            continue;
        }
        let comment = crate::storage::ssh_keys::clean_comment(&key.comment);
        let line = format!(
            "restrict,pty,command=\"{program}{db} --user {}\" {} {} {comment}",
            key.login, key.algorithm, key.blob
        );
        text.push_str(line.trim_end());
        text.push('\n');
        lines += 1;
    }
    Ok((text, lines, warnings))
}

/// `tandem keys [--out PATH]`.
pub(super) fn keys(
    config: &Config,
    path: &Path,
    explicit_db: bool,
    target: Option<&Path>,
    s: &Strings,
) -> ExitCode {
    let program = match std::env::current_exe() {
        Ok(p) => p.display().to_string(),
        Err(_) => return fail(s.ssh.no_program_path, EXIT_FAILURE),
    };
    if !path_is_safe(&program) {
        return fail(
            &(s.ssh.unsafe_path)(&sanitize(&program, false)),
            EXIT_FAILURE,
        );
    }
    let db = if explicit_db {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let shown = absolute.display().to_string();
        if !path_is_safe(&shown) {
            return fail(&(s.ssh.unsafe_path)(&sanitize(&shown, false)), EXIT_FAILURE);
        }
        Some(shown)
    } else {
        None
    };
    let store = match super::ops::open_db(config, path, OpenMode::Existing) {
        Ok(s) => s,
        Err(e) => return fail(&db_message(s, path, &e), EXIT_FAILURE),
    };
    let (text, lines, warnings) = match authorized_keys_text(&store, &program, db.as_deref(), s) {
        Ok(t) => t,
        Err(e) => return fail(&db_message(s, path, &e), EXIT_FAILURE),
    };
    for w in &warnings {
        super::err(w);
    }
    let Some(target) = target else {
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        let _ = stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush());
        return ExitCode::SUCCESS;
    };
    let shown = sanitize(&target.display().to_string(), false);
    if let Err(msg) = super::check_export_target(target, path, true) {
        return fail(&msg, EXIT_FAILURE);
    }
    match write_public_atomically(target, text.as_bytes()) {
        Ok(()) => {
            out(&(s.ssh.keys_written)(lines, &shown));
            ExitCode::SUCCESS
        }
        Err(e) => {
            tracing::error!(error = %e, "authorized keys not written");
            fail(&(s.ssh.keys_not_written)(&shown), EXIT_FAILURE)
        }
    }
}

/// Writes `bytes` to `target` so that sshd reads either the old or the new file, never half
/// of one (`crate::files`). Mode 0644: the content is public keys and forced commands,
/// nothing secret, and sshd's `StrictModes` only refuses files others may write.
fn write_public_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::files::replace_atomically(target, bytes, 0o644)
}

/// What `tandem staff key …` does.
#[derive(Debug)]
pub(super) enum KeyAction<'a> {
    /// Add the key in a file (`-`: standard input) to a login.
    Add(&'a str, &'a Path),
    /// List the keys of the agency, or of one login.
    List(Option<&'a str>),
    /// Remove the key with this fingerprint.
    Remove(&'a str),
}

/// `tandem staff key add|list|remove` as the administrator `--user`.
pub(super) fn staff_key(
    config: &Config,
    path: &Path,
    actor: Option<&str>,
    action: &KeyAction<'_>,
    s: &Strings,
) -> ExitCode {
    // The key is read and checked before anything is opened or logged.
    let key = match action {
        KeyAction::Add(_, file) => match read_key(file, s) {
            Ok(k) => Some(k),
            Err(msg) => return fail(&msg, EXIT_FAILURE),
        },
        _ => None,
    };
    let store = match super::ops::open_db(config, path, OpenMode::Existing) {
        Ok(s) => s,
        Err(e) => return fail(&db_message(s, path, &e), EXIT_FAILURE),
    };
    let me = match authenticate(&store, actor, s) {
        Ok(me) => me,
        Err(f) => return fail(&f.message, f.exit_code),
    };
    let result = match (action, &key) {
        (KeyAction::Add(login, _), Some(key)) => store
            .add_ssh_key(&me, login, key)
            .map(|()| vec![(s.ssh.key_added)(&key.fingerprint, &sanitize(login, false))])
            .map_err(|e| admin_error(s, path, &e, &sanitize(login, false))),
        (KeyAction::List(login), _) => store
            .list_ssh_keys(&me, *login)
            .map(|rows| {
                let mut lines = vec![s.ssh.list_head.to_string()];
                lines.extend(rows.iter().map(|k| {
                    format!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        sanitize(&k.login, false),
                        k.agency.code(),
                        k.fingerprint,
                        k.algorithm,
                        sanitize(&k.comment, false),
                        k.added_at.get(..10).unwrap_or_default()
                    )
                }));
                lines
            })
            .map_err(|e| admin_error(s, path, &e, &sanitize(login.unwrap_or_default(), false))),
        (KeyAction::Remove(fingerprint), _) => {
            let fp = sanitize(fingerprint, false);
            store
                .remove_ssh_key(&me, fingerprint)
                .map(|()| vec![(s.ssh.key_removed)(&fp)])
                .map_err(|e| admin_error(s, path, &e, &fp))
        }
        (KeyAction::Add(..), None) => Ok(Vec::new()),
    };
    log_session_end(&store, &me, false, false);
    match result {
        Ok(lines) => {
            for l in lines {
                out(&l);
            }
            ExitCode::SUCCESS
        }
        Err(msg) => fail(&msg, EXIT_FAILURE),
    }
}

/// What `tandem init` needs.
#[derive(Debug)]
pub(super) struct Init<'a> {
    /// The administrator's login.
    pub admin: &'a str,
    /// "Vorname Nachname".
    pub name: &'a str,
    /// The administrator's agency.
    pub agency: Agency,
    /// The administrator's public key file (`-`: standard input).
    pub key: &'a Path,
}

/// `tandem init`: a new database with its first administrator and that person's key. An
/// existing file is refused before anything is opened; a failure removes the new file.
pub(super) fn init(config: &Config, path: &Path, init: &Init<'_>, s: &Strings) -> ExitCode {
    if !login_is_safe(init.admin) {
        return fail(
            &(s.ssh.bad_login)(&sanitize(init.admin, false)),
            EXIT_FAILURE,
        );
    }
    let Some((given_name, surname)) = init
        .name
        .trim()
        .rsplit_once(char::is_whitespace)
        .map(|(g, n)| (g.trim(), n.trim()))
        .filter(|(g, n)| !g.is_empty() && !n.is_empty())
    else {
        return fail(s.ssh.init_bad_name, EXIT_FAILURE);
    };
    let key = match read_key(init.key, s) {
        Ok(k) => k,
        Err(msg) => return fail(&msg, EXIT_FAILURE),
    };
    let shown = sanitize(&path.display().to_string(), false);
    let created = {
        use std::os::unix::fs::OpenOptionsExt as _;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
    };
    match created {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return fail(&(s.ssh.init_exists)(&shown), EXIT_FAILURE);
        }
        Err(_) => {
            return fail(
                &db_message(s, path, &StorageError::CannotOpen),
                EXIT_FAILURE,
            );
        }
    }
    let staff = NewStaff {
        login: init.admin.to_string(),
        surname: sanitize(surname, false),
        given_name: sanitize(given_name, false),
        agency: init.agency,
        roles: vec![Role::Admin],
        phone: String::new(),
        email: String::new(),
    };
    // A new installation is encrypted from the start: its key file is made beside it (or
    // where the configuration names it), docs/architecture.md § 5.13.
    let result = super::ops::open_db(config, path, OpenMode::CreateOrMigrate)
        .map_err(KeyAdminError::Storage)
        .and_then(|store| store.create_first_admin(&staff, &key));
    match result {
        Ok(_) => {
            out(&(s.ssh.init_done)(&shown, init.admin, &key.fingerprint));
            ExitCode::SUCCESS
        }
        Err(e) => {
            // Nothing half-made stays behind: the file was new.
            for suffix in ["", "-wal", "-shm"] {
                let mut p = path.as_os_str().to_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(p));
            }
            fail(&admin_error(s, path, &e, init.admin), EXIT_FAILURE)
        }
    }
}

/// The `oncall` verb: the open acute and urgent child-protection referrals the user sees on
/// F6, one tab-separated line each, by remaining time.
fn oncall(path: &Path, login: Option<&str>, config: &Config, s: &Strings) -> ExitCode {
    let clock = Clock::system();
    let mut store = match super::ops::open_db(config, path, OpenMode::Existing) {
        Ok(st) => st,
        Err(e) => return fail(&db_message(s, path, &e), EXIT_FAILURE),
    };
    store.set_clock(clock.clone());
    if let Err(e) = store.set_permanent_deputies(config.permanent_deputies) {
        return fail(&db_message(s, path, &e), EXIT_FAILURE);
    }
    let me = match authenticate(&store, login, s) {
        Ok(me) => me,
        Err(f) => return fail(&f.message, f.exit_code),
    };
    let now = clock.now();
    let today = clock.today();
    let cp = &config.child_protection;
    let rows = store.oncall_referrals(&me, now, &cp.calendar(), &cp.deadlines);
    log_session_end(&store, &me, false, false);
    let rows = match rows {
        Ok(r) => r,
        Err(e) => return fail(&db_message(s, path, &e), EXIT_FAILURE),
    };
    if rows.is_empty() {
        out(s.cp.oncall_empty);
        return ExitCode::SUCCESS;
    }
    out(s.ssh.oncall_head);
    for r in rows {
        let deadline = r
            .deadline
            .map(|d| crate::domain::tz::format_local(d.due))
            .unwrap_or_default();
        let children = r
            .children
            .iter()
            .map(|(name, birth)| match birth {
                Some(b) => format!(
                    "{} ({})",
                    sanitize(name, false),
                    crate::domain::date::age_on(*b, today)
                ),
                None => sanitize(name, false),
            })
            .collect::<Vec<_>>()
            .join(", ");
        out(&format!(
            "{deadline}\t{}\t{}\t{children}\t{}\t{}\t{}",
            (s.cp.urgency)(r.urgency),
            (s.cp.status)(r.status),
            sanitize(&r.reporter, false),
            sanitize(&r.reporter_phone, false),
            sanitize(&r.reachable_until, false)
        ));
    }
    ExitCode::SUCCESS
}

/// The `dokument N` verb: the PDF `N` the user printed, byte for byte to standard output
/// (`ssh tandem@host dokument 12 > brief.pdf`). Only its maker gets it; any other number
/// gets the same one line. Never to a terminal.
fn document(path: &Path, login: Option<&str>, config: &Config, s: &Strings, n: i64) -> ExitCode {
    use std::io::{IsTerminal as _, Write as _};
    if std::io::stdout().is_terminal() {
        return fail(s.ssh.document_tty, EXIT_FAILURE);
    }
    let mut store = match super::ops::open_db(config, path, OpenMode::Existing) {
        Ok(st) => st,
        Err(e) => return fail(&db_message(s, path, &e), EXIT_FAILURE),
    };
    store.set_clock(Clock::system());
    let me = match authenticate(&store, login, s) {
        Ok(me) => me,
        Err(f) => return fail(&f.message, f.exit_code),
    };
    let file = match store.document_for(&me, n) {
        Ok(Some(f)) => f,
        Ok(None) => {
            log_session_end(&store, &me, false, false);
            return fail(&(s.ssh.no_document)(n), EXIT_FAILURE);
        }
        Err(e) => {
            log_session_end(&store, &me, false, false);
            return fail(&db_message(s, path, &e), EXIT_FAILURE);
        }
    };
    // A regular file only, never through a link.
    let bytes = crate::files::export_dir(config.export_dir.as_deref(), Some(path))
        .and_then(|dir| read_regular(&dir.join(&file)));
    let logged = bytes.as_ref().map(|_| store.log_document_fetch(&me, n));
    log_session_end(&store, &me, false, false);
    let Some(bytes) = bytes else {
        return fail(&(s.ssh.document_gone)(n), EXIT_FAILURE);
    };
    // Nothing leaves without its audit row.
    if let Some(Err(e)) = logged {
        return fail(&db_message(s, path, &e), EXIT_FAILURE);
    }
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(&bytes)
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::from(EXIT_FAILURE);
    }
    ExitCode::SUCCESS
}

/// The content of `path` if it is a regular file, opened without following a link.
fn read_regular(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NOFOLLOW)
        .open(path)
        .ok()?;
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whitelisted_requests_are_verbs() {
        assert_eq!(parse_request("oncall"), Some(Verb::Oncall));
        assert_eq!(parse_request("dokument 12"), Some(Verb::Document(12)));
        for wrong in [
            "dokument",
            "dokument -1",
            "dokument 1 2",
            "dokument ../x",
            "dokument 1234567890123",
        ] {
            assert_eq!(parse_request(wrong), None, "{wrong}");
        }
        assert_eq!(
            parse_request("report --format csv --year 2026"),
            Some(Verb::Report {
                year: Some(2026),
                format: crate::cli::report::Format::Csv
            })
        );
        assert_eq!(
            parse_request(" ics  --to 31.12.2026 --from 01.12.2026 "),
            Some(Verb::Ics {
                from: Some("01.12.2026".into()),
                to: Some("31.12.2026".into())
            })
        );
        assert_eq!(
            parse_request("ics"),
            Some(Verb::Ics {
                from: None,
                to: None
            })
        );
        for other in [
            "",
            "bash",
            "scp -t /tmp",
            "internal-sftp",
            "rm -rf /",
            "oncall; bash",
            "oncall x",
            "ics --from",
            "ics --from 01.12.2026 --from 02.12.2026",
            "ics --out /etc/passwd",
            "ics;bash",
            "$(id)",
            "report --out /tmp/x",
            "report --year 26",
            "report --year 2026 --year 2025",
            "report --format pdf",
            "report --year",
        ] {
            assert_eq!(parse_request(other), None, "{other:?}");
        }
    }

    #[test]
    fn logins_and_paths_in_key_lines() {
        assert!(login_is_safe("brinkmann"));
        assert!(login_is_safe("a.b-c_1"));
        for bad in [
            "",
            "Anna",
            "1a",
            "a b",
            "a\"",
            "a;b",
            "a$b",
            &"a".repeat(33),
        ] {
            assert!(!login_is_safe(bad), "{bad:?}");
        }
        assert!(path_is_safe("/usr/local/bin/tandem"));
        assert!(!path_is_safe("bin/tandem"));
        assert!(!path_is_safe("/tmp/x y"));
        assert!(!path_is_safe("/tmp/a\"b"));
    }
}
