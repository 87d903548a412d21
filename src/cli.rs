//! The command line: the interactive program (identity from `--user` or the operating
//! system) and the admin subcommands `demo`, `seed`, `staff list` and `migrate`. The
//! printing of admin output lives here, in one place.
//!
//! May use: everything below `app`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::app::{self, App};
use crate::config::{self, Config};
use crate::demo;
use crate::domain::Staff;
use crate::storage::{OpenMode, StorageError, Store};
use crate::terminal;
use crate::ui::strings::{Lang, Strings};
use crate::ui::theme::Theme;

/// Exit code when the login is refused (EX_NOPERM).
pub const EXIT_LOGIN_REFUSED: u8 = 77;
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
    /// Create the database or bring it to the current schema.
    Migrate,
}

/// `tandem staff …`.
#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// One line per active staff member: login, name, agency, roles (tab-separated).
    List,
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

/// Runs Tandem with the parsed command line.
pub fn run(cli: &Cli) -> ExitCode {
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            let s = Strings::get(cli_lang(cli).unwrap_or_default());
            return fail(&(s.bad_config)(&e.file, &e.detail), EXIT_FAILURE);
        }
    };
    let lang = cli_lang(cli).unwrap_or(config.lang);
    let strings = Strings::get(lang);
    let _log = crate::logging::init(&config::data_dir().join("log"));
    match &cli.command {
        None => {
            let path = cli
                .db
                .clone()
                .or_else(|| config.db.clone())
                .unwrap_or_else(|| config::data_dir().join("tandem.db"));
            interactive(&path, cli.user.as_deref(), &config, strings)
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
        Some(Command::Seed { cases, seed }) => {
            let Some(path) = cli.db.as_deref() else {
                return fail("tandem seed: Bitte --db PFAD angeben.", EXIT_FAILURE);
            };
            seed_db(path, *cases, *seed, strings)
        }
        Some(Command::Staff {
            command: StaffCommand::List,
        }) => {
            let path = cli
                .db
                .clone()
                .or_else(|| config.db.clone())
                .unwrap_or_else(|| config::data_dir().join("tandem.db"));
            match Store::open(&path, OpenMode::Existing).and_then(|s| s.active_staff()) {
                Ok(staff) => {
                    for s in staff {
                        out(&staff_line(&s));
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&db_message(strings, &path, &e), EXIT_FAILURE),
            }
        }
        Some(Command::Migrate) => {
            let path = cli
                .db
                .clone()
                .or_else(|| config.db.clone())
                .unwrap_or_else(|| config::data_dir().join("tandem.db"));
            match Store::open(&path, OpenMode::CreateOrMigrate) {
                Ok(_) => {
                    out(&format!(
                        "Datenbank {} ist auf Schemastand {}.",
                        path.display(),
                        crate::storage::migrations::LATEST
                    ));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&db_message(strings, &path, &e), EXIT_FAILURE),
            }
        }
    }
}

fn cli_lang(cli: &Cli) -> Option<Lang> {
    cli.lang.map(|l| match l {
        LangArg::De => Lang::De,
        LangArg::En => Lang::En,
    })
}

/// `login<TAB>name<TAB>agency<TAB>roles` of `tandem staff list`.
pub fn staff_line(s: &Staff) -> String {
    format!(
        "{}\t{}\t{}\t{}",
        s.login,
        s.display_name(),
        s.agency.code(),
        s.role_codes()
    )
}

/// The German (or English) sentence for a database problem; never SQL or personal data.
pub fn db_message(s: &Strings, path: &Path, e: &StorageError) -> String {
    // The path is printed to the terminal: no control characters from it.
    let p = crate::domain::text::sanitize(&path.display().to_string(), false);
    match e {
        StorageError::Missing(_) => (s.db_missing)(&p),
        StorageError::NotADatabase => (s.db_not_a_database)(&p),
        StorageError::Foreign => (s.db_foreign)(&p),
        StorageError::SchemaTooOld { .. } => (s.db_too_old)(&p),
        StorageError::SchemaTooNew { .. } => (s.db_too_new)(&p),
        StorageError::CannotOpen => (s.db_cannot_open)(&p),
        StorageError::NotWal(_) => (s.db_not_wal)(&p),
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

/// Resolves the login to an active staff record, or explains the refusal.
pub fn authenticate(store: &Store, login: Option<&str>, s: &Strings) -> Result<Staff, String> {
    let login = match login {
        Some(l) => l.to_string(),
        None => os_login().ok_or_else(|| s.no_os_user.to_string())?,
    };
    match store.staff_by_login(&login) {
        Ok(Some(staff)) if staff.active => Ok(staff),
        Ok(_) => {
            tracing::warn!("login refused");
            Err((s.unknown_user)(&crate::domain::text::sanitize(
                &login, false,
            )))
        }
        Err(e) => Err((s.db_other)(&e.to_string())),
    }
}

fn interactive(
    path: &Path,
    login: Option<&str>,
    config: &Config,
    strings: &'static Strings,
) -> ExitCode {
    let store = match Store::open(path, OpenMode::Existing) {
        Ok(s) => s,
        Err(e) => return fail(&db_message(strings, path, &e), EXIT_FAILURE),
    };
    let me = match authenticate(&store, login, strings) {
        Ok(me) => me,
        Err(msg) => return fail(&msg, EXIT_LOGIN_REFUSED),
    };
    if terminal::check_capabilities().is_err() {
        return fail(strings.unsupported_terminal, EXIT_UNSUPPORTED_TERMINAL);
    }
    tracing::info!(staff_id = me.id.0, "login");
    let Ok(mut term) = terminal::init(strings.crashed) else {
        terminal::restore();
        return fail(strings.unsupported_terminal, EXIT_UNSUPPORTED_TERMINAL);
    };
    let size = term.size().map_or((80, 24), |s| (s.width, s.height));
    let today = chrono::Local::now().date_naive();
    let timing = app::Timing {
        idle_lock: std::time::Duration::from_mins(u64::from(config.idle_lock_minutes)),
        draft_expiry_days: config.draft_expiry_days,
        ..app::Timing::default()
    };
    let mut app = App::new(
        store,
        me,
        strings,
        config.keymap.clone(),
        Theme::from_env(config.no_color),
        today,
        size,
        timing,
    );
    let shared = app.shared_draft();
    let db = path.to_path_buf();
    let save: std::sync::Arc<dyn Fn() + Send + Sync> =
        std::sync::Arc::new(move || app::save_shared_draft(&shared, &db));
    if let Err(e) = terminal::hangup::install(std::sync::Arc::clone(&save)) {
        tracing::error!(error = %e, "hang-up handling not installed");
    }
    let result = app::run(&mut term, &mut app);
    if result.is_err() {
        // The terminal failed (EOF, EIO): treat it as a hang-up.
        save();
    }
    terminal::restore();
    tracing::info!("logout");
    if app.locked {
        err(strings.idle_locked);
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "terminal error");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

/// Creates the demo database at `path` once. It is written under a temporary name and
/// renamed when complete, so an interrupted creation never leaves a half-filled demo.
fn ensure_demo(path: &Path) -> Result<(), StorageError> {
    if path.exists() {
        // A demo database from an earlier version is brought to the current schema.
        return Store::open(path, OpenMode::CreateOrMigrate).map(drop);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|_| StorageError::CannotOpen)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    {
        let store = Store::open(&tmp, OpenMode::CreateOrMigrate)?;
        demo::write(&store, &demo::demo_data(chrono::Local::now().date_naive()))?;
    }
    std::fs::rename(&tmp, path).map_err(|_| StorageError::CannotOpen)
}

fn seed_db(path: &Path, cases: usize, seed: u64, strings: &Strings) -> ExitCode {
    let started = Instant::now();
    let store = match Store::open(path, OpenMode::CreateOrMigrate) {
        Ok(s) => s,
        Err(e) => return fail(&db_message(strings, path, &e), EXIT_FAILURE),
    };
    match store.active_staff() {
        Ok(staff) if !staff.is_empty() => {
            return fail(
                &format!(
                    "tandem seed: {} enthält bereits Daten; seed schreibt nur in eine neue Datei.",
                    path.display()
                ),
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
    out(&format!(
        "{cases} Fälle und {} Mitarbeitende in {:.1} s nach {} geschrieben.",
        data.staff.len(),
        started.elapsed().as_secs_f64(),
        path.display()
    ));
    ExitCode::SUCCESS
}
