//! `tandem subject-export`: the answer to an access request (Art. 15 DSGVO,
//! docs/subject-access.md) as JSON and as German text, for the DSB `--user` of the Stelle
//! that received the request. The acting DSB is resolved as for every verb (`authenticate`:
//! exit 77 when refused); anyone without the role `dpo` is refused with one line and exit
//! 1; a birth date that cannot be read is a usage error (exit 2). With neither `--out` nor
//! `--text` the JSON goes to standard output.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{
    EXIT_FAILURE, EXIT_USAGE, authenticate, check_export_target, db_message, fail, log_session_end,
};
use crate::config::Config;
use crate::domain::Role;
use crate::model::subject::SubjectQuery;
use crate::storage::OpenMode;
use crate::strings::Strings;
use crate::strings::subject as text;

/// `tandem subject-export` arguments.
#[derive(Debug, Args)]
pub struct SubjectArgs {
    /// "Nachname" of the person.
    #[arg(long)]
    pub surname: String,
    /// "Vorname(n)" of the person.
    #[arg(long)]
    pub given: String,
    /// "Geburtsdatum", TT.MM.JJJJ: narrows young persons and children to that day.
    #[arg(long)]
    pub birth: Option<String>,
    /// Write the JSON to this file (mode 0600).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write the German text to this file (mode 0600).
    #[arg(long)]
    pub text: Option<PathBuf>,
    /// Replace existing output files.
    #[arg(long)]
    pub force: bool,
}

/// Runs the verb.
pub fn run(
    config: &Config,
    path: &Path,
    login: Option<&str>,
    args: &SubjectArgs,
    s: &Strings,
) -> ExitCode {
    let birth_date = match args
        .birth
        .as_deref()
        .map(crate::domain::date::parse_german_date)
    {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(_)) => return fail(text::BAD_BIRTH, EXIT_USAGE),
    };
    if args.surname.trim().is_empty() || args.given.trim().is_empty() {
        return fail(text::NAME_NEEDED, EXIT_USAGE);
    }
    for target in [args.out.as_deref(), args.text.as_deref()]
        .into_iter()
        .flatten()
    {
        if let Err(msg) = check_export_target(target, path, args.force) {
            return fail(&msg, EXIT_FAILURE);
        }
    }
    let store = match super::ops::open_db(config, path, OpenMode::Existing) {
        Ok(store) => store,
        Err(e) => return fail(&db_message(s, path, &e), EXIT_FAILURE),
    };
    let me = match authenticate(&store, login, s) {
        Ok(me) => me,
        Err(f) => return fail(&f.message, f.exit_code),
    };
    let query = SubjectQuery {
        surname: args.surname.trim().to_string(),
        given_names: args.given.trim().to_string(),
        birth_date,
    };
    // The store refuses too (and logs it); the role check here only gives the clearer line.
    let result = store.subject_export(&me, &query);
    log_session_end(&store, &me, false, false);
    let export = match result {
        Ok(e) => e,
        Err(_) if !me.has_role(Role::Dpo) => return fail(text::NOT_DPO, EXIT_FAILURE),
        Err(e) => return fail(&db_message(s, path, &e), EXIT_FAILURE),
    };
    let json = match serde_json::to_string_pretty(&export) {
        Ok(j) => j + "\n",
        Err(_) => return fail(text::NOT_WRITTEN, EXIT_FAILURE),
    };
    let mut written = Vec::new();
    if let Some(file) = args.out.as_deref() {
        written.push((file, json.clone()));
    }
    if let Some(file) = args.text.as_deref() {
        written.push((file, export.to_german_text()));
    }
    if written.is_empty() {
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        return match stdout
            .write_all(json.as_bytes())
            .and_then(|()| stdout.flush())
        {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                fail(text::NOT_WRITTEN, EXIT_FAILURE)
            }
            _ => ExitCode::SUCCESS,
        };
    }
    for (file, content) in written {
        if crate::export::write_private_atomically(file, content.as_bytes()).is_err() {
            let shown = crate::domain::text::sanitize(&file.display().to_string(), false);
            return fail(&format!("{} {shown}", text::NOT_WRITTEN), EXIT_FAILURE);
        }
    }
    ExitCode::SUCCESS
}
