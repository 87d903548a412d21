//! `tandem subject-export`: the answer to an access request (Art. 15 DSGVO,
//! docs/subject-access.md) as JSON and as German text, for the DSB `--user` of the Stelle
//! that received the request. The acting DSB is resolved as for every verb (`authenticate`:
//! exit 77 when refused); anyone without the role `dpo` is refused with one line and exit
//! 1; a birth date that cannot be read is a usage error (exit 2). `--pdf` writes the
//! answer as a tagged PDF (docs/documents.md). With none of `--out`, `--text`, `--pdf` the
//! JSON goes to standard output. Where the configuration asks for four eyes
//! (docs/subject-access.md § 7) the DSB first asks (`--ask`), a lead or second DSB releases
//! (`--release ID`) or refuses (`--refuse ID`), `--requests` lists what waits.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{
    EXIT_FAILURE, EXIT_USAGE, authenticate, check_export_target, db_message, fail, log_session_end,
};
use crate::config::Config;
use crate::domain::Role;
use crate::model::subject::SubjectQuery;
use crate::storage::{OpenMode, StorageError};
use crate::strings::Strings;
use crate::strings::subject as text;

/// `tandem subject-export` arguments.
#[derive(Debug, Args)]
pub struct SubjectArgs {
    /// "Nachname" of the person.
    #[arg(long, required_unless_present_any = ["release", "refuse", "requests"])]
    pub surname: Option<String>,
    /// "Vorname(n)" of the person.
    #[arg(long, required_unless_present_any = ["release", "refuse", "requests"])]
    pub given: Option<String>,
    /// Four eyes (where configured): ask a lead or a second DSB to release an export
    /// about this person; prints the request's id. The export itself follows once it
    /// is released.
    #[arg(long, conflicts_with_all = ["out", "text", "pdf", "release", "refuse", "requests"])]
    pub ask: bool,
    /// Release the request with this id (a lead or DSB of the Stelle who did not ask).
    #[arg(long, conflicts_with_all = ["refuse", "requests", "out", "text", "pdf"])]
    pub release: Option<i64>,
    /// Refuse the request with this id.
    #[arg(long, conflicts_with_all = ["requests", "out", "text", "pdf"])]
    pub refuse: Option<i64>,
    /// List the Stelle's requests not yet used, tab-separated: id, state (wartet,
    /// freigegeben, abgelehnt), asked by, asked at, surname, given names, birth date.
    #[arg(long, conflicts_with_all = ["out", "text", "pdf"])]
    pub requests: bool,
    /// "Geburtsdatum", TT.MM.JJJJ: narrows young persons and children to that day.
    #[arg(long)]
    pub birth: Option<String>,
    /// Write the JSON to this file (mode 0600).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write the German text to this file (mode 0600).
    #[arg(long)]
    pub text: Option<PathBuf>,
    /// Write the answer as a tagged PDF to this file (mode 0600; docs/documents.md).
    #[arg(long)]
    pub pdf: Option<PathBuf>,
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
    let names = (args.surname.as_deref(), args.given.as_deref());
    let decision = args
        .release
        .map(|id| (id, true))
        .or(args.refuse.map(|id| (id, false)));
    if decision.is_none() && !args.requests {
        match names {
            (Some(sn), Some(gn)) if !sn.trim().is_empty() && !gn.trim().is_empty() => {}
            _ => return fail(text::NAME_NEEDED, EXIT_USAGE),
        }
    }
    for target in [
        args.out.as_deref(),
        args.text.as_deref(),
        args.pdf.as_deref(),
    ]
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
    if let Some((id, approve)) = decision {
        let result = store.decide_subject_export(&me, id, approve);
        log_session_end(&store, &me, false, false);
        return match result {
            Ok(()) => {
                super::out(&if approve {
                    text::released(id)
                } else {
                    text::refused(id)
                });
                ExitCode::SUCCESS
            }
            Err(StorageError::Refused(r)) => fail(&(s.refused)(r), EXIT_FAILURE),
            Err(e) => fail(&db_message(s, path, &e), EXIT_FAILURE),
        };
    }
    if args.requests {
        let result = store.subject_export_requests(&me);
        log_session_end(&store, &me, false, false);
        return match result {
            Ok(list) => {
                for r in list {
                    super::out(&text::request_line(&r));
                }
                ExitCode::SUCCESS
            }
            Err(StorageError::Refused(r)) => fail(&(s.refused)(r), EXIT_FAILURE),
            Err(e) => fail(&db_message(s, path, &e), EXIT_FAILURE),
        };
    }
    let query = SubjectQuery {
        surname: names.0.unwrap_or_default().trim().to_string(),
        given_names: names.1.unwrap_or_default().trim().to_string(),
        birth_date,
    };
    if args.ask {
        let result = store.request_subject_export(&me, &query);
        log_session_end(&store, &me, false, false);
        return match result {
            Ok(id) => {
                super::out(&text::asked(id));
                ExitCode::SUCCESS
            }
            Err(_) if !me.has_role(Role::Dpo) => fail(text::NOT_DPO, EXIT_FAILURE),
            Err(StorageError::Refused(r)) => fail(&(s.refused)(r), EXIT_FAILURE),
            Err(e) => fail(&db_message(s, path, &e), EXIT_FAILURE),
        };
    }
    // The store refuses too (and logs it); the role check here only gives the clearer line.
    let result = store.subject_export(&me, &query);
    log_session_end(&store, &me, false, false);
    let export = match result {
        Ok(e) => e,
        Err(_) if !me.has_role(Role::Dpo) => return fail(text::NOT_DPO, EXIT_FAILURE),
        Err(StorageError::Refused(r)) => return fail(&(s.refused)(r), EXIT_FAILURE),
        Err(e) => return fail(&db_message(s, path, &e), EXIT_FAILURE),
    };
    let json = match serde_json::to_string_pretty(&export) {
        Ok(j) => j + "\n",
        Err(_) => return fail(text::NOT_WRITTEN, EXIT_FAILURE),
    };
    let mut written: Vec<(&Path, Vec<u8>)> = Vec::new();
    if let Some(file) = args.out.as_deref() {
        written.push((file, json.clone().into_bytes()));
    }
    if let Some(file) = args.text.as_deref() {
        written.push((file, export.to_german_text().into_bytes()));
    }
    if let Some(file) = args.pdf.as_deref() {
        let author =
            crate::documents::author(crate::strings::Strings::get(crate::strings::Lang::De), &me);
        let now = crate::domain::tz::to_local(crate::domain::Clock::system().now());
        let doc = crate::documents::subject::access_answer(&export, &author, now);
        match crate::documents::render(&doc) {
            Ok(bytes) => written.push((file, bytes)),
            Err(_) => return fail(text::NOT_WRITTEN, EXIT_FAILURE),
        }
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
        if crate::export::write_private_atomically(file, &content).is_err() {
            let shown = crate::domain::text::sanitize(&file.display().to_string(), false);
            return fail(&format!("{} {shown}", text::NOT_WRITTEN), EXIT_FAILURE);
        }
    }
    ExitCode::SUCCESS
}
