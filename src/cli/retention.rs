//! `tandem retention due|plan|approve|hold add|hold list`: the retention review list, the
//! four-eyes deletion run and legal holds for scripts (docs/retention.md). The acting person
//! is `--user`, resolved as for the interactive program (`authenticate`: exit 77 when
//! refused). Every rule is the store's; a refusal is one line and exit 1, a command line
//! that cannot be understood exit 2.

use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Subcommand;

use super::{EXIT_FAILURE, authenticate, db_message, fail, log_session_end, out};
use crate::domain::Staff;
use crate::domain::refusal::Refusal;
use crate::storage::retention::{DeletionRun, HoldReason};
use crate::storage::{OpenMode, StorageError, Store};
use crate::strings::{Lang, Strings};

/// `tandem retention …`.
#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// The review list of the own Stelle (lead or DSB): per class, tab-separated: class,
    /// number due, number held, due ids (comma-separated; for `access_log` the highest
    /// due sequence number only).
    Due {
        /// The day to compute for (YYYY-MM-DD; default: today).
        #[arg(long)]
        date: Option<NaiveDate>,
    },
    /// Plan a deletion run from today's review list (lead or DSB): prints the run id and
    /// the counts per class. Nothing is deleted yet.
    Plan,
    /// Release and execute a planned run (a DSB of the Stelle who did not plan it); prints
    /// the deletion certificate.
    Approve {
        /// The run id, as `plan` prints it.
        run: i64,
    },
    /// Legal holds ("Sperrvermerk").
    Hold {
        /// What to do with holds.
        #[command(subcommand)]
        command: HoldCommand,
    },
}

/// `tandem retention hold …`.
#[derive(Debug, Subcommand)]
pub enum HoldCommand {
    /// Hold a case of the own Stelle, or a child-protection referral, until a date
    /// (inclusive).
    Add {
        /// The case id.
        #[arg(
            long,
            required_unless_present = "referral",
            conflicts_with = "referral"
        )]
        case: Option<i64>,
        /// The referral id (instead of a case).
        #[arg(long)]
        referral: Option<i64>,
        /// rechtsstreit, auskunftsverfahren or archivangebot.
        #[arg(long, value_parser = reason)]
        reason: HoldReason,
        /// The last day the hold runs (YYYY-MM-DD).
        #[arg(long)]
        until: NaiveDate,
    },
    /// The running holds of the own Stelle, tab-separated: id, case (a referral as
    /// `M<id>`), reason, until.
    List,
}

fn reason(code: &str) -> Result<HoldReason, String> {
    HoldReason::from_code(code.trim()).ok_or_else(|| code.to_string())
}

fn english(s: &Strings) -> bool {
    std::ptr::eq(s, Strings::get(Lang::En))
}

fn t(s: &Strings, de: &str, en: &str) -> String {
    if english(s) { en } else { de }.to_string()
}

/// One line for what the store said.
fn error_line(s: &Strings, path: &Path, e: &StorageError) -> String {
    match e {
        StorageError::Refused(Refusal::SamePerson) => t(
            s,
            "Vier-Augen-Prinzip: Ein Löschlauf muss von einer anderen Person freigegeben werden.",
            "Four eyes: a deletion run must be released by another person.",
        ),
        StorageError::Refused(Refusal::NotAllowed) => t(
            s,
            "Nur Leitung und Datenschutzbeauftragte der Stelle sehen Fristen; nur die Datenschutzbeauftragten geben Löschläufe frei.",
            "Only the Stelle's leads and data protection officers see retention; only its data protection officers release deletion runs.",
        ),
        StorageError::Refused(Refusal::NoPending) => t(
            s,
            "Diesen Löschlauf gibt es nicht, oder er ist bereits ausgeführt.",
            "No such deletion run, or it has run already.",
        ),
        StorageError::Refused(Refusal::NoCase) => t(
            s,
            "Diesen Fall gibt es in der eigenen Stelle nicht.",
            "No such case in the own Stelle.",
        ),
        StorageError::Refused(Refusal::DateOutOfRange) => t(
            s,
            "Das Enddatum des Sperrvermerks liegt in der Vergangenheit.",
            "The legal hold's end date lies in the past.",
        ),
        StorageError::Refused(r) => (s.refused)(*r).clone(),
        StorageError::NotFound => t(
            s,
            "Diesen Löschlauf gibt es nicht.",
            "No such deletion run.",
        ),
        other => db_message(s, path, other),
    }
}

fn counts(list: &[(crate::storage::retention::RetentionClass, usize)]) -> String {
    list.iter()
        .map(|(c, n)| format!("{}={n}", c.code()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn planned(s: &Strings, run: &DeletionRun) -> String {
    if english(s) {
        format!("Deletion run {} planned: {}", run.id, counts(&run.preview))
    } else {
        format!("Löschlauf {} geplant: {}", run.id, counts(&run.preview))
    }
}

fn act(
    store: &Store,
    me: &Staff,
    command: &RetentionCommand,
    s: &Strings,
) -> Result<Vec<String>, StorageError> {
    let today = store.clock().today();
    Ok(match command {
        RetentionCommand::Due { date } => store
            .retention_due(me, date.unwrap_or(today))?
            .into_iter()
            .map(|d| {
                let ids: Vec<String> = d.ids.iter().map(i64::to_string).collect();
                format!(
                    "{}\t{}\t{}\t{}",
                    d.class.code(),
                    d.count,
                    d.held,
                    ids.join(",")
                )
            })
            .collect(),
        RetentionCommand::Plan => vec![planned(s, &store.plan_deletion_run(me, today)?)],
        RetentionCommand::Approve { run } => {
            let done = store.approve_deletion_run(me, *run)?;
            done.certificate
                .unwrap_or_default()
                .lines()
                .map(str::to_string)
                .collect()
        }
        RetentionCommand::Hold {
            command:
                HoldCommand::Add {
                    case,
                    referral,
                    reason,
                    until,
                },
        } => {
            let (id, what_de, what_en) = match (case, referral) {
                (Some(case), _) => (
                    store.add_legal_hold(me, *case, *reason, *until)?,
                    format!("Fall {case}"),
                    format!("case {case}"),
                ),
                (None, Some(r)) => (
                    store.add_referral_hold(me, *r, *reason, *until)?,
                    format!("Mitteilung M{r}"),
                    format!("referral M{r}"),
                ),
                // clap requires one of the two.
                (None, None) => return Err(StorageError::NotFound),
            };
            vec![if english(s) {
                format!("Legal hold {id} on {what_en} until {until}.")
            } else {
                format!(
                    "Sperrvermerk {id} für {what_de} bis {}.",
                    until.format("%d.%m.%Y")
                )
            }]
        }
        RetentionCommand::Hold {
            command: HoldCommand::List,
        } => store
            .legal_holds(me, today)?
            .into_iter()
            .map(|h| {
                let record = if h.referral {
                    format!("M{}", h.record_id)
                } else {
                    h.record_id.to_string()
                };
                format!("{}\t{record}\t{}\t{}", h.id, h.reason.code(), h.until)
            })
            .collect(),
    })
}

/// Runs one retention verb as `login`.
pub(super) fn run(
    config: &crate::config::Config,
    path: &Path,
    login: Option<&str>,
    command: &RetentionCommand,
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
        Err(e) => fail(&error_line(s, path, &e), EXIT_FAILURE),
    }
}
