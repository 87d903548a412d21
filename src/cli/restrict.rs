//! `tandem restrict --case N --reason CODE` and `tandem restrict --case N --lift`: restrict
//! a case (Art. 18 DSGVO) or lift its restriction, for scripts (docs/access.md A12). The
//! acting person is `--user`, resolved as for the interactive program (`authenticate`:
//! exit 77 when refused); a lead or the DSB of the owning Stelle. Every rule is the
//! store's; a refusal is one line and exit 1, a command line that cannot be understood
//! exit 2.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;

use super::{EXIT_FAILURE, authenticate, db_message, fail, log_session_end, out};
use crate::domain::CaseId;
use crate::domain::restriction::RestrictionReason;
use crate::storage::{OpenMode, StorageError};
use crate::strings::{Lang, Strings};

/// `tandem restrict` arguments.
#[derive(Debug, Args)]
pub struct RestrictArgs {
    /// The case id.
    #[arg(long)]
    pub case: i64,
    /// accuracy, unlawful, legal_claims or objection (Art. 18 Abs. 1 lit. a–d DSGVO).
    #[arg(long, value_parser = reason, required_unless_present = "lift", conflicts_with = "lift")]
    pub reason: Option<RestrictionReason>,
    /// Lift the open restriction instead.
    #[arg(long)]
    pub lift: bool,
}

fn reason(code: &str) -> Result<RestrictionReason, String> {
    RestrictionReason::from_code(code.trim()).ok_or_else(|| code.to_string())
}

fn english(s: &Strings) -> bool {
    std::ptr::eq(s, Strings::get(Lang::En))
}

/// One line for what the store said.
fn error_line(s: &Strings, path: &Path, e: &StorageError) -> String {
    match e {
        StorageError::Refused(r) => (s.refused)(*r),
        StorageError::NotFound if english(s) => "No such case, or it is not visible.".into(),
        StorageError::NotFound => "Diesen Fall gibt es nicht, oder er ist nicht sichtbar.".into(),
        other => db_message(s, path, other),
    }
}

/// Runs the verb as `login`.
pub(super) fn run(
    config: &crate::config::Config,
    path: &Path,
    login: Option<&str>,
    args: &RestrictArgs,
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
    let case = CaseId(args.case);
    let result = match args.reason {
        Some(r) if !args.lift => store.restrict_case(&me, case, r).map(|()| {
            if english(s) {
                format!("Case {} restricted ({}).", case.0, r.code())
            } else {
                format!("Fall {} gesperrt ({}).", case.0, (s.restrict.reason)(r))
            }
        }),
        _ => store.lift_restriction(&me, case).map(|()| {
            if english(s) {
                format!("Restriction of case {} lifted.", case.0)
            } else {
                format!("Sperre von Fall {} aufgehoben.", case.0)
            }
        }),
    };
    log_session_end(&store, &me, false, false);
    match result {
        Ok(line) => {
            out(&line);
            ExitCode::SUCCESS
        }
        Err(e) => fail(&error_line(s, path, &e), EXIT_FAILURE),
    }
}
