//! The command line: the interactive program (identity from `--user` or the operating
//! system) and the admin subcommands `demo`, `seed`, `staff list`, `migrate`,
//! `audit verify` and `export ics`. The staff administration (`staff add|edit|…`) is in
//! `cli/staff.rs`, the SSH front door (`init`, `keys`, `staff key`, the verbs of
//! `SSH_ORIGINAL_COMMAND`) in `cli/ssh.rs`. The printing of admin output lives here, in
//! one place. Logins, refused logins, idle locks and logouts are written to the audit log
//! here.
//!
//! May use: everything below `app`.

mod ops;
mod restrict;
mod retention;
mod staff;
mod subject;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::app::{self, App};
use crate::config::{self, Config};
use crate::demo;
use crate::domain::{Clock, Staff};
use crate::storage::audit::{
    self, Anchor, AuditAction, AuditEntry, BadKind, EvidenceProblem, Finding,
};
use crate::storage::{OpenMode, StorageError, Store};
use crate::strings::{Lang, Strings};
use crate::terminal;
use crate::theme::Theme;

mod report;
mod ssh;

/// The yearly report as CSV for a German spreadsheet (docs/report.md § 5).
pub fn report_csv(s: &Strings, r: &crate::model::report::YearReport) -> String {
    report::to_csv(s, r)
}

/// The yearly report as JSON (docs/report.md § 5).
pub fn report_json(s: &Strings, r: &crate::model::report::YearReport) -> String {
    report::to_json(s, r)
}

/// Exit code when the login is refused (EX_NOPERM).
pub const EXIT_LOGIN_REFUSED: u8 = 77;
/// Why a login did not lead to a session, and the exit code that tells the caller.
#[derive(Debug)]
pub struct LoginFailure {
    /// The one line for the terminal.
    pub message: String,
    /// [`EXIT_LOGIN_REFUSED`] for a refused person, [`EXIT_FAILURE`] for a database that
    /// cannot record the login.
    pub exit_code: u8,
}

impl LoginFailure {
    fn refused(message: String) -> LoginFailure {
        LoginFailure {
            message,
            exit_code: EXIT_LOGIN_REFUSED,
        }
    }
}

/// Exit code when the terminal is unusable.
pub const EXIT_UNSUPPORTED_TERMINAL: u8 = 2;
/// Exit code for database and configuration problems.
pub const EXIT_FAILURE: u8 = 1;

/// Tandem – Jugendamt und Jobcenter gemeinsam für junge Menschen unter 25.
#[derive(Debug, Parser)]
#[command(name = "tandem", version, about)]
pub struct Cli {
    /// Login of the staff member (the SSH forced command passes it); default: the
    /// operating-system account.
    #[arg(long, global = true)]
    pub user: Option<String>,
    /// Path of the database file.
    #[arg(long, global = true)]
    pub db: Option<PathBuf>,
    /// Language of the interface.
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
    /// Configuration file.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Low-bandwidth mode for a thin link: the list selection is a marker only.
    #[arg(long, global = true)]
    pub low_bandwidth: bool,
    /// Accessible mode for screen readers and braille displays: no colour, no box
    /// drawing, the terminal cursor on the focused row or field.
    #[arg(long, global = true)]
    pub accessible: bool,
    /// What to do; without a command Tandem starts interactively.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `--lang` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// Deutsch.
    De,
    /// English.
    En,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create (once) a demo database with fictional data and open Tandem on it.
    Demo,
    /// Write N synthetic cases deterministically into a new database, without the TUI.
    Seed {
        /// Number of cases.
        #[arg(long)]
        cases: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Staff administration.
    Staff {
        /// What to do with staff records.
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Retention: review list, four-eyes deletion runs, legal holds (as `--user`, a lead or
    /// data protection officer; docs/retention.md).
    Retention {
        /// What to do.
        #[command(subcommand)]
        command: retention::RetentionCommand,
    },
    /// Create the database or bring it to the current schema.
    Migrate,
    /// Audit log.
    Audit {
        /// What to do with the audit log.
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Export data for other programs (as the staff member `--user`, who must see it).
    Export {
        /// What to export.
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Create a new database with its first administrator and that person's SSH key.
    Init {
        /// Login of the administrator (a–z, 0–9, `.`, `_`, `-`).
        #[arg(long)]
        admin: String,
        /// "Vorname Nachname".
        #[arg(long)]
        name: String,
        /// The administrator's agency.
        #[arg(long, value_enum)]
        stelle: StelleArg,
        /// The administrator's public key (`.pub` file, `-`: standard input).
        #[arg(long)]
        key: PathBuf,
    },
    /// Print the authorized_keys file of the service account: one forced-command line per
    /// key of an active staff member.
    Keys {
        /// Write it to this file atomically (mode 0644) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write a consistent, encrypted copy of the database to a new file while sessions go on.
    Backup {
        /// The new file.
        path: PathBuf,
    },
    /// Check a backup and copy it over the database (no session may be running).
    Restore {
        /// The backup file.
        path: PathBuf,
    },
    /// Integrity check, encryption check of every page and audit chain; one line each.
    Check,
    /// Re-encrypt the database with a new random key (no session may be running).
    Rekey,
    /// Everything the Stelle of the DSB `--user` holds about one person, for an access
    /// request (Art. 15 DSGVO): JSON and German text, third parties' data left out.
    SubjectExport(subject::SubjectArgs),
    /// Restrict a case (Art. 18 DSGVO) or, with `--lift`, lift its restriction (as `--user`,
    /// a lead or data protection officer of the owning Stelle; docs/access.md A12).
    Restrict(restrict::RestrictArgs),
    /// The yearly report (as `--user`, a lead or data protection officer): every figure of
    /// docs/report.md, small counts suppressed, as text, CSV or JSON.
    Report(report::ReportArgs),
}

/// `--stelle` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StelleArg {
    /// Jobcenter.
    Jc,
    /// Jugendamt.
    Ja,
}

/// `tandem staff key …` (as the administrator `--user`).
#[derive(Debug, Subcommand)]
pub enum StaffKeyCommand {
    /// Add a public key (`.pub` file, `-`: standard input) to a staff member.
    Add {
        /// Login of the staff member.
        login: String,
        /// The public key file.
        file: PathBuf,
    },
    /// The keys of the own agency (or of one login): login, agency, fingerprint, type,
    /// comment, date added.
    List {
        /// Only this login.
        login: Option<String>,
    },
    /// Remove the key with this fingerprint (`SHA256:…`).
    Remove {
        /// The fingerprint as `tandem staff key list` prints it.
        fingerprint: String,
    },
}

/// `tandem export …`.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Conferences as an iCalendar file: one conference (invitation or cancellation) or
    /// every visible conference in a window (default: today and the next 90 days).
    Ics {
        /// Id of one conference.
        #[arg(long)]
        conference: Option<i64>,
        /// First day of the window, TT.MM.JJJJ (default: today).
        #[arg(long, conflicts_with = "conference")]
        from: Option<String>,
        /// Last day of the window, TT.MM.JJJJ (default: 90 days after the first).
        #[arg(long, conflicts_with = "conference")]
        to: Option<String>,
        /// Output file, written atomically with mode 0600 (default: standard output). An
        /// existing file is replaced only with `--force`; the database itself and its
        /// `-wal`/`-shm` files never.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace an existing output file.
        #[arg(long, requires = "out")]
        force: bool,
    },
}

/// `tandem audit …`.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain of the audit log and name the first bad entry (exit 1).
    Verify {
        /// A head recorded earlier, `NUMBER:HASH` (at least 16 hex digits): that entry must
        /// still exist with that hash (catches a cut-off end).
        #[arg(long)]
        anchor: Option<String>,
    },
    /// The break-glass grants `--user` may review (the DSB or a lead: the own agency's staff),
    /// newest first, tab-separated: granted, until, login, agency, case, reason.
    Grants,
}

/// `tandem staff …`.
#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// One line per active staff member: login, name, agency, roles (tab-separated).
    List,
    /// SSH keys of staff members.
    Key {
        /// What to do with keys.
        #[command(subcommand)]
        command: StaffKeyCommand,
    },
    /// Add a staff member of the own Stelle (as the admin `--user`).
    Add(staff::AddArgs),
    /// Change a staff member's names, contact, roles, functions or deputy.
    Edit(staff::EditArgs),
    /// Deactivate a staff member: their login is refused from now on.
    Deactivate(staff::LoginArg),
    /// Reactivate a deactivated staff member.
    Reactivate(staff::LoginArg),
    /// The open four-eyes grants (roles admin, dpo) of the own Stelle: id, login, role,
    /// requested by, requested at (tab-separated).
    Grants,
    /// Confirm a grant (a second admin: neither the requester nor the person concerned).
    Confirm(staff::GrantArg),
    /// Refuse (or withdraw) a grant.
    Refuse(staff::GrantArg),
}

/// Prints one line of admin output; a closed pipe (`| head`) ends the output quietly.
fn out(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

#[expect(
    clippy::print_stderr,
    reason = "the one German line before any screen is drawn"
)]
fn err(line: &str) {
    eprintln!("{line}");
}

fn fail(line: &str, code: u8) -> ExitCode {
    err(line);
    ExitCode::from(code)
}

/// Exit code of a command line that cannot be understood (as clap's own).
pub const EXIT_USAGE: u8 = 2;

/// Parses the command line. `--help` and `--version` print as usual; any other mistake is
/// one line in the user's language naming what was not understood, never clap's English
/// usage block (the German `--lang` default holds even when the line cannot be parsed).
pub fn parse_args<I, T>(args: I) -> Result<Cli, ExitCode>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    let e = match Cli::try_parse_from(&args) {
        Ok(cli) => return Ok(cli),
        Err(e) => e,
    };
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return Err(ExitCode::from(
            u8::try_from(e.exit_code()).unwrap_or(EXIT_USAGE),
        ));
    }
    let english = args.windows(2).any(|w| w[0] == "--lang" && w[1] == "en")
        || args.iter().any(|a| a == "--lang=en");
    let s = Strings::get(if english { Lang::En } else { Lang::De });
    let context = |kind| match e.get(kind) {
        Some(ContextValue::String(v)) => Some(crate::domain::text::sanitize(v, false)),
        Some(ContextValue::Strings(v)) => Some(crate::domain::text::sanitize(&v.join(", "), false)),
        _ => None,
    };
    let line = match e.kind() {
        ErrorKind::UnknownArgument => {
            (s.cli_unknown)(&context(ContextKind::InvalidArg).unwrap_or_default())
        }
        ErrorKind::InvalidSubcommand => {
            (s.cli_unknown)(&context(ContextKind::InvalidSubcommand).unwrap_or_default())
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let arg = context(ContextKind::InvalidArg).unwrap_or_default();
            match context(ContextKind::InvalidValue).filter(|v| !v.is_empty()) {
                Some(value) => (s.cli_bad_value)(&arg, &value),
                None => (s.cli_missing)(&arg),
            }
        }
        ErrorKind::MissingRequiredArgument => {
            (s.cli_missing)(&context(ContextKind::InvalidArg).unwrap_or_default())
        }
        ErrorKind::MissingSubcommand => (s.cli_missing)(""),
        _ => (s.cli_other)(""),
    };
    Err(fail(&line, EXIT_USAGE))
}

/// Runs Tandem with the parsed command line.
pub fn run(cli: &Cli) -> ExitCode {
    // First of all, before a file is created or a secret is read (docs/data-exits.md § 3).
    let unprotected = crate::hardening::protect_process();
    let mut config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            let s = Strings::get(cli_lang(cli).unwrap_or_default());
            let line = match e.problem {
                config::ConfigProblem::Unreadable => (s.config_unreadable)(&e.file),
                config::ConfigProblem::Keys => (s.bad_keys)(&e.file, e.position),
                config::ConfigProblem::Invalid => (s.bad_config)(&e.file, e.position),
            };
            return fail(&line, EXIT_FAILURE);
        }
    };
    let lang = cli_lang(cli).unwrap_or(config.lang);
    let strings = Strings::get(lang);
    config.low_bandwidth |= cli.low_bandwidth;
    config.accessible |= cli.accessible;
    let _log = crate::logging::init(&config::data_dir().join("log"));
    for what in unprotected {
        tracing::warn!(what, "process protection");
    }
    match &cli.command {
        None => {
            let path = db_path(cli, &config);
            if let Some(code) = ssh::serve_request(&path, cli.user.as_deref(), &config, strings) {
                return code;
            }
            interactive(&path, cli.user.as_deref(), &config, strings)
        }
        Some(Command::Init {
            admin,
            name,
            stelle,
            key,
        }) => {
            let path = db_path(cli, &config);
            let agency = match stelle {
                StelleArg::Jc => crate::domain::Agency::Jobcenter,
                StelleArg::Ja => crate::domain::Agency::Jugendamt,
            };
            let init = ssh::Init {
                admin,
                name,
                agency,
                key,
            };
            ssh::init(&config, &path, &init, strings)
        }
        Some(Command::Keys { out }) => {
            let path = db_path(cli, &config);
            ssh::keys(&config, &path, cli.db.is_some(), out.as_deref(), strings)
        }
        Some(Command::Staff {
            command: StaffCommand::Key { command },
        }) => {
            let path = db_path(cli, &config);
            let action = match command {
                StaffKeyCommand::Add { login, file } => ssh::KeyAction::Add(login, file),
                StaffKeyCommand::List { login } => ssh::KeyAction::List(login.as_deref()),
                StaffKeyCommand::Remove { fingerprint } => ssh::KeyAction::Remove(fingerprint),
            };
            ssh::staff_key(&config, &path, cli.user.as_deref(), &action, strings)
        }
        Some(Command::Demo) => {
            let path = cli
                .db
                .clone()
                .unwrap_or_else(|| config::data_dir().join("demo.db"));
            if let Err(e) = ensure_demo(&path) {
                return fail(&db_message(strings, &path, &e), EXIT_FAILURE);
            }
            interactive(
                &path,
                Some(cli.user.as_deref().unwrap_or(demo::DEMO_USER)),
                &config,
                strings,
            )
        }
        Some(Command::SubjectExport(args)) => {
            let path = db_path(cli, &config);
            subject::run(&config, &path, cli.user.as_deref(), args, strings)
        }
        Some(Command::Seed { cases, seed }) => {
            let Some(path) = cli.db.as_deref() else {
                return fail(strings.seed_needs_db, EXIT_FAILURE);
            };
            seed_db(&config, path, *cases, *seed, strings)
        }
        Some(Command::Staff {
            command: StaffCommand::List,
        }) => {
            let path = db_path(cli, &config);
            match ops::open_db(&config, &path, OpenMode::Existing).and_then(|s| s.active_staff()) {
                Ok(staff) => {
                    for s in staff {
                        out(&staff_line(&s));
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&db_message(strings, &path, &e), EXIT_FAILURE),
            }
        }
        Some(Command::Staff { command }) => {
            let path = db_path(cli, &config);
            staff::run(&config, &path, cli.user.as_deref(), command, strings)
        }
        Some(Command::Retention { command }) => {
            let path = db_path(cli, &config);
            retention::run(&config, &path, cli.user.as_deref(), command, strings)
        }
        Some(Command::Restrict(args)) => {
            let path = db_path(cli, &config);
            restrict::run(&config, &path, cli.user.as_deref(), args, strings)
        }
        Some(Command::Report(args)) => {
            let path = db_path(cli, &config);
            report::run(&config, &path, cli.user.as_deref(), args, strings)
        }
        Some(Command::Audit {
            command: AuditCommand::Verify { anchor },
        }) => {
            let path = db_path(cli, &config);
            verify_audit(&config, &path, anchor.as_deref(), strings)
        }
        Some(Command::Audit {
            command: AuditCommand::Grants,
        }) => {
            let path = db_path(cli, &config);
            let store = match ops::open_db(&config, &path, OpenMode::Existing) {
                Ok(s) => s,
                Err(e) => return fail(&db_message(strings, &path, &e), EXIT_FAILURE),
            };
            let me = match authenticate(&store, cli.user.as_deref(), strings) {
                Ok(me) => me,
                Err(f) => return fail(&f.message, f.exit_code),
            };
            if !me.has_role(crate::domain::Role::Dpo) && !me.has_role(crate::domain::Role::Lead) {
                log_session_end(&store, &me, false, false);
                return fail(
                    "Notfallzugriffe sehen nur die Datenschutzbeauftragten und die Leitungen.",
                    EXIT_FAILURE,
                );
            }
            let grants = store.break_glass_grants(&me);
            log_session_end(&store, &me, false, false);
            match grants {
                Ok(rows) => {
                    for g in rows {
                        out(&format!(
                            "{}\t{}\t{}\t{}\t{}\t{}",
                            g.granted_at.format("%d.%m.%Y %H:%M"),
                            g.until.format("%d.%m.%Y %H:%M"),
                            crate::domain::text::sanitize(&g.login, false),
                            g.agency.code(),
                            g.case_id.0,
                            g.reason.code()
                        ));
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&db_message(strings, &path, &e), EXIT_FAILURE),
            }
        }
        Some(Command::Export {
            command:
                ExportCommand::Ics {
                    conference,
                    from,
                    to,
                    out,
                    force,
                },
        }) => {
            let path = db_path(cli, &config);
            let window = (from.as_deref(), to.as_deref());
            if let Some(file) = out.as_deref()
                && let Err(msg) = check_export_target(file, &path, *force)
            {
                return fail(&msg, EXIT_FAILURE);
            }
            export_ics(
                &config,
                &path,
                cli.user.as_deref(),
                *conference,
                window,
                out.as_deref(),
                (strings, config.permanent_deputies),
            )
        }
        Some(Command::Migrate) => {
            let path = db_path(cli, &config);
            match ops::open_db(&config, &path, OpenMode::CreateOrMigrate) {
                Ok(_) => {
                    out(&(strings.migrated)(
                        &path.display().to_string(),
                        crate::storage::migrations::LATEST,
                    ));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&db_message(strings, &path, &e), EXIT_FAILURE),
            }
        }
        Some(Command::Backup { path: target }) => {
            ops::backup(&config, &db_path(cli, &config), target, strings)
        }
        Some(Command::Restore { path: source }) => {
            ops::restore(&config, &db_path(cli, &config), source, strings)
        }
        Some(Command::Check) => ops::check(&config, &db_path(cli, &config), strings),
        Some(Command::Rekey) => ops::rekey(&config, &db_path(cli, &config), strings),
    }
}

/// The database of the interactive program and the admin commands: `--db`, the
/// configuration, or `tandem.db` in the data folder.
fn db_path(cli: &Cli, config: &Config) -> PathBuf {
    cli.db
        .clone()
        .or_else(|| config.db.clone())
        .unwrap_or_else(|| config::data_dir().join("tandem.db"))
}

fn cli_lang(cli: &Cli) -> Option<Lang> {
    cli.lang.map(|l| match l {
        LangArg::De => Lang::De,
        LangArg::En => Lang::En,
    })
}

/// `login<TAB>name<TAB>agency<TAB>roles` of `tandem staff list`. Login and name go to a
/// terminal: control characters (escape sequences, tabs, line breaks) and bidi controls are
/// removed, so a hostile name can neither drive the terminal nor break the columns.
pub fn staff_line(s: &Staff) -> String {
    use crate::domain::text::sanitize;
    format!(
        "{}\t{}\t{}\t{}",
        sanitize(&s.login, false),
        sanitize(&s.display_name(), false),
        s.agency.code(),
        s.role_codes()
    )
}

/// The German (or English) sentence for a database problem; never SQL or personal data.
pub fn db_message(s: &Strings, path: &Path, e: &StorageError) -> String {
    // The path is printed to the terminal: no control characters from it.
    let p = crate::domain::text::sanitize(&path.display().to_string(), false);
    if let Some(line) = ops::message(s, &p, e) {
        return line;
    }
    match e {
        StorageError::Missing(_) => (s.db_missing)(&p),
        StorageError::NotADatabase => (s.db_not_a_database)(&p),
        StorageError::Foreign => (s.db_foreign)(&p),
        StorageError::SchemaTooOld { .. } => (s.db_too_old)(&p),
        StorageError::SchemaTooNew { .. } => (s.db_too_new)(&p),
        StorageError::CannotOpen => (s.db_cannot_open)(&p),
        StorageError::NotWal(_) => (s.db_not_wal)(&p),
        e if e.is_read_only() => (s.db_read_only)(&p),
        other => {
            tracing::error!(error = %other, "database error");
            (s.db_other)(&p)
        }
    }
}

/// The operating-system account name, from the OS (not from `$USER`).
fn os_login() -> Option<String> {
    nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
}

/// `tandem audit verify`: exit 0 and the head (and a line on the evidence) when the chain,
/// the evidence tables and the protecting triggers are intact; otherwise one line per
/// finding and exit 1.
fn verify_audit(config: &Config, path: &Path, anchor: Option<&str>, s: &Strings) -> ExitCode {
    let anchor = match anchor.map(Anchor::parse) {
        None => None,
        Some(Some(a)) => Some(a),
        Some(None) => return fail(s.audit_bad_anchor, EXIT_FAILURE),
    };
    let report = match ops::open_db(config, path, OpenMode::Existing)
        .and_then(|store| store.verify_audit_against(anchor.as_ref()))
    {
        Ok(r) => r,
        Err(e) => return fail(&db_message(s, path, &e), EXIT_FAILURE),
    };
    let findings: Vec<String> = report.findings.iter().map(|f| finding_line(s, f)).collect();
    match report.first_bad {
        None if findings.is_empty() => {
            let head = report
                .head
                .as_ref()
                .map_or("–", |(_, h)| &h[..h.len().min(16)]);
            if let Some((seq, hash)) = &report.head {
                tracing::info!(seq, hash = %hash, "audit chain verified");
            }
            out(&(s.audit_ok)(report.rows, head));
            out(&(s.audit_evidence_ok)(
                &report.evidence_rows,
                report.triggers,
            ));
            ExitCode::SUCCESS
        }
        first_bad => {
            if let Some(bad) = first_bad {
                tracing::warn!(seq = bad.seq, problem = ?bad.problem, "audit chain broken");
                let why = match bad.problem {
                    BadKind::HashMismatch => s.audit_hash_mismatch,
                    BadKind::ChainBroken => s.audit_chain_broken,
                    BadKind::SeqGap => s.audit_seq_gap,
                    BadKind::Missing => s.audit_missing,
                    BadKind::AnchorMismatch => s.audit_anchor_mismatch,
                };
                err(&(s.audit_broken)(bad.seq, why));
            }
            for (finding, line) in report.findings.iter().zip(&findings) {
                tracing::warn!(?finding, "audit verification finding");
                err(line);
            }
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

/// The one line of a finding beside the audit chain.
fn finding_line(s: &Strings, f: &Finding) -> String {
    match *f {
        Finding::TriggerMissing { name, table } => (s.audit_trigger_missing)(name, table),
        Finding::TriggerChanged { name, table } => (s.audit_trigger_changed)(name, table),
        Finding::Evidence { table, id, problem } => {
            let why = match problem {
                EvidenceProblem::Changed => s.audit_evidence_changed,
                EvidenceProblem::ChainBroken => s.audit_evidence_chain_broken,
                EvidenceProblem::Missing => s.audit_evidence_missing,
                EvidenceProblem::Unrecorded => s.audit_evidence_unrecorded,
                EvidenceProblem::Rewritten => s.audit_evidence_rewritten,
            };
            (s.audit_evidence_broken)(table, id, why)
        }
    }
}

/// The path with its folder resolved (symbolic links, `.` and `..`) and its last component
/// as written.
fn resolved_folder(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::canonicalize(parent).ok().map(|p| p.join(name))
}

/// The spellings of `path` to compare: fully resolved (when it exists) and with only its
/// folder resolved.
fn spellings(path: &Path) -> Vec<PathBuf> {
    std::fs::canonicalize(path)
        .ok()
        .into_iter()
        .chain(resolved_folder(path))
        .collect()
}

/// Whether `a` and `b` name the same existing file (same device and inode: also through a
/// hard link or another spelling).
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// Refuses an output file of `tandem export ics` that is the database `db` or one of its
/// companions (`-wal`, `-shm`, `-journal`), under any spelling, and an existing file unless
/// `force` is given. The message is one German line.
fn check_export_target(target: &Path, db: &Path, force: bool) -> Result<(), String> {
    let with_suffix = |p: &Path, suffix: &str| {
        let mut name = p.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    };
    let targets = spellings(target);
    let bases = spellings(db);
    let names_db = ["", "-wal", "-shm", "-journal"].iter().any(|suffix| {
        same_file(target, &with_suffix(db, suffix))
            || bases
                .iter()
                .any(|b| targets.contains(&with_suffix(b, suffix)))
    });
    let shown = crate::domain::text::sanitize(&target.display().to_string(), false);
    if names_db {
        return Err(format!(
            "Die Ausgabedatei {shown} ist die Datenbank oder eine ihrer Begleitdateien (-wal, -shm); bitte eine andere Datei angeben."
        ));
    }
    if std::fs::symlink_metadata(target).is_ok() && !force {
        return Err(format!(
            "Die Datei {shown} gibt es bereits; zum Überschreiben --force angeben."
        ));
    }
    Ok(())
}

/// Days of the default window of `tandem export ics` after its first day.
pub const EXPORT_DEFAULT_DAYS: i64 = 90;

/// The host part of conference UIDs (`conf-<id>@…`); stable, so a calendar recognises an
/// update or a cancellation of an event it already has.
pub const UID_HOST: &str = "tandem.herten.example";

/// `tandem export ics`: identity as for the interactive program (exit 77 when refused), a
/// conference that is not visible is reported like one that does not exist (exit 1).
fn export_ics(
    config: &Config,
    path: &Path,
    login: Option<&str>,
    conference: Option<i64>,
    window: (Option<&str>, Option<&str>),
    target: Option<&Path>,
    (s, permanent_deputies): (&Strings, bool),
) -> ExitCode {
    use crate::export::{Selection, conferences_ics};
    // One clock for the whole export: the window's "today" is the Berlin day, whatever the
    // host's time zone (docs/domain.md 7).
    let clock = Clock::system();
    let now = clock.now();
    let today = clock.today();
    // The same message as at a form field: "31.02.2026" does not exist, it is not a
    // format error.
    let parse = |input: &str| {
        crate::domain::date::parse_german_date(input).map_err(|p| {
            format!(
                "{}: {}",
                crate::domain::text::sanitize(input, false),
                (s.problem)(&p, s)
            )
        })
    };
    let selection = if let Some(id) = conference {
        Selection::One(id)
    } else {
        let from = match window.0.map(parse).transpose() {
            Ok(d) => d.unwrap_or(today),
            Err(msg) => return fail(&msg, EXIT_FAILURE),
        };
        let to = match window.1.map(parse).transpose() {
            Ok(d) => d.unwrap_or(from + chrono::Duration::days(EXPORT_DEFAULT_DAYS)),
            Err(msg) => return fail(&msg, EXIT_FAILURE),
        };
        if to < from {
            return fail(
                "Das Ende des Zeitraums (--to) liegt vor dem Anfang (--from).",
                EXIT_FAILURE,
            );
        }
        Selection::Feed { from, to }
    };
    let mut store = match ops::open_db(config, path, OpenMode::Existing) {
        Ok(s) => s,
        Err(e) => return fail(&db_message(s, path, &e), EXIT_FAILURE),
    };
    store.set_clock(clock);
    if let Err(e) = store
        .set_permanent_deputies(permanent_deputies)
        .and_then(|()| store.set_ics_titles(config.conferences.ics_titles))
    {
        return fail(&db_message(s, path, &e), EXIT_FAILURE);
    }
    let me = match authenticate(&store, login, s) {
        Ok(me) => me,
        Err(f) => return fail(&f.message, f.exit_code),
    };
    let result = conferences_ics(&store, &me, selection, now, &config.conferences.uid_host);
    log_session_end(&store, &me, false, false);
    let export = match result {
        Ok(e) => e,
        Err(StorageError::NotFound) => {
            return fail(
                "Konferenz nicht gefunden oder nicht sichtbar.",
                EXIT_FAILURE,
            );
        }
        Err(StorageError::Refused(crate::domain::refusal::Refusal::DateOutOfRange)) => {
            return fail(
                "Ein Termin liegt außerhalb dessen, was eine Kalenderdatei fassen kann (Jahr 1 bis 9999); es wurde nichts geschrieben.",
                EXIT_FAILURE,
            );
        }
        Err(e) => return fail(&db_message(s, path, &e), EXIT_FAILURE),
    };
    let written = match target {
        None => {
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(export.text.as_bytes())
                .and_then(|()| stdout.flush())
        }
        Some(file) => crate::export::write_private_atomically(file, export.text.as_bytes()),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "export not written");
            let p = target.map_or_else(String::new, |f| {
                crate::domain::text::sanitize(&f.display().to_string(), false)
            });
            fail(
                &format!("Die Datei konnte nicht geschrieben werden: {p}"),
                EXIT_FAILURE,
            )
        }
    }
}

/// Resolves the login to an active staff record, or explains the refusal. The login and a
/// refused login are written to the audit log; the typed login text is not (it may be a
/// name). A login that cannot be logged is refused.
pub fn authenticate(
    store: &Store,
    login: Option<&str>,
    s: &Strings,
) -> Result<Staff, LoginFailure> {
    let login = match login {
        Some(l) => l.to_string(),
        None => os_login().ok_or_else(|| LoginFailure::refused(s.no_os_user.to_string()))?,
    };
    // A database that cannot record the login (read-only, damaged) is a failure of the
    // installation, not a refused person: exit 1, not 77.
    let db_error = |e: StorageError| LoginFailure {
        message: db_message(s, store.path().unwrap_or(Path::new(":memory:")), &e),
        exit_code: EXIT_FAILURE,
    };
    // Through SSH: the key's fingerprint and the client address go with the audit row
    // (docs/architecture.md § 7).
    let origin = ssh::origin();
    let record = |entry: &AuditEntry| match &origin {
        Some(o) => store.record_login_with_origin(entry, o),
        None => store.record_event(entry),
    };
    // A key that is not (or no longer) this person's: the authorized_keys file is older
    // than the staff table. Refused like an unknown login.
    let foreign_key = |staff: &Staff| -> Result<bool, StorageError> {
        match origin.as_ref().and_then(|o| o.key_fingerprint.as_deref()) {
            Some(fp) => Ok(store.ssh_key_owner(fp)? != Some(staff.id)),
            None => Ok(false),
        }
    };
    match store.staff_by_login(&login) {
        Ok(Some(staff)) if staff.active && foreign_key(&staff).map_err(db_error)? => {
            tracing::warn!("login refused: key not registered for this login");
            let entry = AuditEntry::new(AuditAction::LoginRefused, audit::object::SESSION)
                .by(&staff)
                .detail(crate::storage::ssh_keys::detail::KEY_NOT_OWNED);
            record(&entry).map_err(db_error)?;
            Err(LoginFailure::refused((s.unknown_user)(
                &crate::domain::text::sanitize(&login, false),
            )))
        }
        Ok(Some(staff)) if staff.active => {
            // Permanent deputies widen access: the DSB sees it on every login row.
            let mut entry = AuditEntry::new(AuditAction::Login, audit::object::SESSION).by(&staff);
            if store.permanent_deputies() {
                entry = entry.detail(audit::detail::PERMANENT_DEPUTIES);
            }
            record(&entry).map_err(db_error)?;
            Ok(staff)
        }
        Ok(found) => {
            tracing::warn!("login refused");
            let entry = match found {
                // A deactivated account: its id is no personal data beyond the account.
                Some(staff) => AuditEntry::new(AuditAction::LoginRefused, audit::object::SESSION)
                    .by(&staff)
                    .detail(audit::detail::INACTIVE),
                None => AuditEntry::new(AuditAction::LoginRefused, audit::object::SESSION)
                    .detail(audit::detail::UNKNOWN_LOGIN),
            };
            record(&entry).map_err(db_error)?;
            Err(LoginFailure::refused((s.unknown_user)(
                &crate::domain::text::sanitize(&login, false),
            )))
        }
        Err(e) => Err(db_error(e)),
    }
}

/// Writes the end of a session (idle lock, then logout) to the audit log, and the chain's
/// head to the log file, where it serves as an anchor outside the database.
fn log_session_end(store: &Store, me: &Staff, locked: bool, hangup: bool) {
    let session = |action| AuditEntry::new(action, audit::object::SESSION).by(me);
    let mut entries = Vec::new();
    if locked {
        entries.push(session(AuditAction::IdleLock));
    }
    let logout = session(AuditAction::Logout);
    entries.push(if hangup {
        logout.detail(audit::detail::HANGUP)
    } else {
        logout
    });
    for entry in &entries {
        if let Err(e) = store.record_event(entry) {
            tracing::error!(error = %e, "logout not logged");
        }
    }
    if let Ok(Some((seq, hash))) = store.audit_head() {
        tracing::info!(seq, hash = %hash, "audit head");
    }
}

fn interactive(
    path: &Path,
    login: Option<&str>,
    config: &Config,
    strings: &'static Strings,
) -> ExitCode {
    // The key is resolved once: the hang-up path and the draft rescue open their own
    // connections with it (docs/architecture.md § 5.13).
    let key_file = ops::key_file(config, path);
    let key = match ops::resolve_key(&key_file, path, false, config.key_file.is_some()) {
        Ok(k) => k,
        Err(e) => return fail(&db_message(strings, path, &e), EXIT_FAILURE),
    };
    let mut store = match ops::open_with(path, OpenMode::Existing, key.as_ref(), &key_file) {
        Ok(s) => s,
        Err(e) => return fail(&db_message(strings, path, &e), EXIT_FAILURE),
    };
    // The session's one clock (docs/domain.md 7): the store reads "now" and "today" from it,
    // and the app's day is its Berlin date — never the host's time zone.
    let clock = Clock::system();
    store.set_clock(clock.clone());
    if let Err(e) = store
        .set_permanent_deputies(config.permanent_deputies)
        .and_then(|()| ops::apply_policies(&store, config))
    {
        return fail(&db_message(strings, path, &e), EXIT_FAILURE);
    }
    let me = match authenticate(&store, login, strings) {
        Ok(me) => me,
        Err(f) => return fail(&f.message, f.exit_code),
    };
    if terminal::check_capabilities().is_err() {
        log_session_end(&store, &me, false, false);
        return fail(strings.unsupported_terminal, EXIT_UNSUPPORTED_TERMINAL);
    }
    tracing::info!(staff_id = me.id.0, "login");
    // Tandem reads the terminal itself, with a bound on a paste (docs/data-exits.md § 5).
    let mut input = match terminal::reader::Reader::new(config.field_limits.paste_bytes()) {
        Ok(input) => input,
        Err(e) => {
            tracing::error!(error = %e, "terminal input not set up");
            log_session_end(&store, &me, false, false);
            return fail(strings.unsupported_terminal, EXIT_UNSUPPORTED_TERMINAL);
        }
    };
    let Ok(mut term) = terminal::init(strings.crashed) else {
        terminal::restore();
        log_session_end(&store, &me, false, false);
        return fail(strings.unsupported_terminal, EXIT_UNSUPPORTED_TERMINAL);
    };
    let size = term.size().map_or((80, 24), |s| (s.width, s.height));
    app::rows::set_field_limits(config.field_limits);
    let timing = app::Timing {
        idle_lock: std::time::Duration::from_mins(u64::from(config.idle_lock_minutes)),
        draft_expiry_days: config.draft_expiry_days,
        defer_counts: true,
        ..app::Timing::default()
    };
    let mut app = App::new(
        store,
        me,
        strings,
        config.keymap.clone(),
        Theme::from_env(
            config.no_color,
            config.low_bandwidth || ssh::low_bandwidth_requested(),
        )
        .accessible(config.accessible || ssh::accessible_requested()),
        size,
        timing,
    );
    app.set_cp_settings(config.child_protection.clone());
    app.set_conf_settings(config.conferences.clone());
    app.export_dir.clone_from(&config.export_dir);
    app.set_report_settings(crate::app::screens::coop::ReportSettings {
        min_cell: config.report_min_cell,
        child_protection: config.report_child_protection.clone(),
    });
    let shared = app.shared_draft();
    let db = path.to_path_buf();
    let session = app.session.clone();
    let draft_key = key.clone();
    let save: std::sync::Arc<dyn Fn() + Send + Sync> = std::sync::Arc::new(move || {
        app::save_shared_draft(&shared, &session, &db, draft_key.as_ref());
    });
    // The hang-up path ends the process on another thread: it logs the logout itself, on
    // its own connection.
    let on_hangup: std::sync::Arc<dyn Fn() + Send + Sync> = {
        let save = std::sync::Arc::clone(&save);
        let (db, me) = (path.to_path_buf(), app.me.clone());
        std::sync::Arc::new(move || {
            save();
            if let Ok(store) = Store::open_keyed(&db, OpenMode::Existing, key.as_ref()) {
                log_session_end(&store, &me, false, true);
            }
        })
    };
    let gone = std::sync::Arc::clone(&on_hangup);
    if let Err(e) = terminal::hangup::install(on_hangup) {
        tracing::error!(error = %e, "hang-up handling not installed");
    }
    let result = crate::session::run(&mut term, &mut app, &mut input);
    if let Err(e) = &result {
        // The terminal failed (end of input, EIO): a hang-up, ended on the hang-up path,
        // which saves the drafts and logs the logout.
        tracing::error!(error = %e, "terminal error");
        terminal::hangup::end_as_hang_up(&*gone);
    }
    terminal::restore();
    if !terminal::hangup::shutting_down() {
        // Otherwise the hang-up path is logging the end of the session.
        // A lock for a changed account is logged already (with its reason).
        log_session_end(
            app.store(),
            &app.me,
            app.locked && !app.access_revoked,
            false,
        );
    }
    tracing::info!("logout");
    if app.access_revoked {
        err(strings.access_locked);
    } else if app.locked {
        err(strings.idle_locked);
    }
    ExitCode::SUCCESS
}

/// Creates the demo database at `path` once. It is written under a temporary name and
/// renamed when complete, so an interrupted creation never leaves a half-filled demo.
/// The demo database is encrypted with its own key file `<demo db>.key`, made on the first
/// run (never the key of the real database).
fn ensure_demo(path: &Path) -> Result<(), StorageError> {
    let key_file = crate::storage::key::default_key_path(path);
    if path.exists() {
        // A demo database from an earlier version is brought to the current schema.
        let key = ops::resolve_key(&key_file, path, false, false)?;
        return ops::open_with(path, OpenMode::CreateOrMigrate, key.as_ref(), &key_file).map(drop);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|_| StorageError::CannotOpen)?;
    }
    let key = ops::resolve_key(&key_file, path, true, false)?;
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    {
        let store = Store::open_keyed(&tmp, OpenMode::CreateOrMigrate, key.as_ref())?;
        demo::write(&store, &demo::demo_data(store.clock().today()))?;
    }
    std::fs::rename(&tmp, path).map_err(|_| StorageError::CannotOpen)
}

fn seed_db(config: &Config, path: &Path, cases: usize, seed: u64, strings: &Strings) -> ExitCode {
    let started = Instant::now();
    // A new file only: it is created here (never an existing one, not even a dangling link),
    // so an existing database is refused before anything opens, migrates or touches it.
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
            let p = crate::domain::text::sanitize(&path.display().to_string(), false);
            return fail(&(strings.seed_exists)(&p), EXIT_FAILURE);
        }
        Err(_) => {
            return fail(
                &db_message(strings, path, &StorageError::CannotOpen),
                EXIT_FAILURE,
            );
        }
    }
    let store = match ops::open_db(config, path, OpenMode::CreateOrMigrate) {
        Ok(s) => s,
        Err(e) => return fail(&db_message(strings, path, &e), EXIT_FAILURE),
    };
    match store.active_staff() {
        Ok(staff) if !staff.is_empty() => {
            return fail(
                &(strings.seed_not_empty)(&path.display().to_string()),
                EXIT_FAILURE,
            );
        }
        Ok(_) => {}
        Err(e) => return fail(&db_message(strings, path, &e), EXIT_FAILURE),
    }
    let anchor = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
    let data = demo::seed_data(cases, seed, anchor);
    if let Err(e) = demo::write(&store, &data) {
        return fail(&db_message(strings, path, &e), EXIT_FAILURE);
    }
    out(&(strings.seeded)(
        cases,
        data.staff.len(),
        started.elapsed().as_secs_f64(),
        &path.display().to_string(),
    ));
    ExitCode::SUCCESS
}
