//! Many sessions, one host (docs/performance.md § 5): 30 processes on one encrypted database
//! file for a fixed time — 10 that save (a case each and notes on it, through the real save
//! path) and 20 that read as the program does (the list's first page and count, the filter
//! as typed, the next page, and a refresh whenever another session committed). Prints saves
//! per second, the slowest save and the slowest refresh a reader saw; fails unless no
//! `SQLITE_BUSY` reached a session and every save is in the database afterwards.
//!
//! `cargo bench --bench load` (60 s on 10 000 cases) or `cargo bench --bench load --
//! --quick` (10 s on 2 000 cases; the CI run). The workers are this bench binary itself,
//! started with `--worker`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::cast_precision_loss,
    reason = "bench binary"
)]

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use chrono::NaiveDate;
use tandem::domain::{Role, Staff};
use tandem::model::list::{ListQuery, PageAnchor};
use tandem::storage::{DbKey, OpenMode, StorageError, Store};

const WRITERS: usize = 10;
const READERS: usize = 20;
const PREFIXES: [&str; 6] = ["m", "mu", "mue", "s", "sc", "a"];
/// A saving session's pause between two saves: together the writers ask for about 40
/// saves a second, forty times what a busy office makes and close to what this kind of
/// disk flushes (docs/performance.md § 5).
const PACE: Duration = Duration::from_millis(250);

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis()
}

fn open(db: &Path) -> Store {
    let key = DbKey::load(&tandem::storage::key::default_key_path(db)).unwrap();
    Store::open_keyed(db, OpenMode::Existing, Some(&key)).unwrap()
}

fn query(filter: &str) -> ListQuery {
    ListQuery {
        filter: filter.to_string(),
        today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        ..ListQuery::default()
    }
}

/// What one worker reports, as one line `key=value …`.
#[derive(Debug, Default)]
struct Report {
    saves: u64,
    notes: u64,
    busy: u64,
    errors: u64,
    slowest_save_us: u128,
    reads: u64,
    refreshes: u64,
    slowest_refresh_us: u128,
    slowest_read_us: u128,
    case: i64,
    first_version: i64,
}

impl Report {
    fn line(&self) -> String {
        format!(
            "saves={} notes={} busy={} errors={} slowest_save_us={} reads={} refreshes={} \
             slowest_refresh_us={} slowest_read_us={} case={} first_version={}",
            self.saves,
            self.notes,
            self.busy,
            self.errors,
            self.slowest_save_us,
            self.reads,
            self.refreshes,
            self.slowest_refresh_us,
            self.slowest_read_us,
            self.case,
            self.first_version
        )
    }

    fn parse(line: &str) -> Report {
        let mut r = Report::default();
        for pair in line.split_whitespace() {
            let (k, v) = pair.split_once('=').unwrap();
            let n: i128 = v.parse().unwrap();
            match k {
                "saves" => r.saves = u64::try_from(n).unwrap(),
                "notes" => r.notes = u64::try_from(n).unwrap(),
                "busy" => r.busy = u64::try_from(n).unwrap(),
                "errors" => r.errors = u64::try_from(n).unwrap(),
                "slowest_save_us" => r.slowest_save_us = u128::try_from(n).unwrap(),
                "reads" => r.reads = u64::try_from(n).unwrap(),
                "refreshes" => r.refreshes = u64::try_from(n).unwrap(),
                "slowest_refresh_us" => r.slowest_refresh_us = u128::try_from(n).unwrap(),
                "slowest_read_us" => r.slowest_read_us = u128::try_from(n).unwrap(),
                "case" => r.case = i64::try_from(n).unwrap(),
                "first_version" => r.first_version = i64::try_from(n).unwrap(),
                _ => {}
            }
        }
        r
    }
}

/// Counts an error: busy is what must never reach a user; anything else is a failure too.
fn count(r: &mut Report, e: &StorageError) {
    if e.is_busy() {
        r.busy += 1;
    } else {
        r.errors += 1;
        eprintln!("error: {e}");
    }
}

/// A session that saves: the question of its case (version-checked) and a note, in turn.
fn writer(store: &Store, me: &Staff, k: usize, until: u128) -> Report {
    let mut r = Report::default();
    let q = query("");
    let case = store
        .case_page(me, &q, &PageAnchor::First, 200)
        .unwrap()
        .into_iter()
        .map(|row| row.id)
        .find(|id| store.load_case(me, *id).is_ok_and(|c| c.owner == me.agency))
        .expect("a case of the own agency in the caseload");
    r.case = case.0;
    r.first_version = store.load_case(me, case).unwrap().version;
    let mut step = 0u64;
    while now_ms() < until {
        step += 1;
        let t = Instant::now();
        let done = if step.is_multiple_of(2) {
            store
                .add_note(
                    me,
                    case,
                    &format!("load-{k}-{step}: Rückruf vereinbart."),
                    false,
                )
                .map(|()| r.notes += 1)
        } else {
            store.load_case(me, case).and_then(|mut c| {
                c.question = format!("Ausbildung suchen (Stand {step})");
                store.update_case(me, &c).map(|()| r.saves += 1)
            })
        };
        r.slowest_save_us = r.slowest_save_us.max(t.elapsed().as_micros());
        if let Err(e) = done {
            count(&mut r, &e);
        }
        // A person saves every few seconds; each of these four times a second.
        std::thread::sleep(PACE);
    }
    r
}

/// A session that reads as the program does: first page and count, the filter word by
/// word, the next page; a refresh (count and page again) whenever another session
/// committed, as the program looks every second.
fn reader(store: &Store, me: &Staff, k: usize, until: u128) -> Report {
    let mut r = Report::default();
    let mut version = store.data_version().unwrap_or(0);
    let mut looked = Instant::now();
    let mut i = k;
    while now_ms() < until {
        i += 1;
        let filter = if i.is_multiple_of(3) {
            ""
        } else {
            PREFIXES[i % PREFIXES.len()]
        };
        let q = query(filter);
        let t = Instant::now();
        let page = store
            .case_page(me, &q, &PageAnchor::First, 19)
            .and_then(|p| store.case_count(me, &q).map(|_| p));
        match page {
            Ok(p) => {
                if let Some(last) = p.last() {
                    let next =
                        store.case_page(me, &q, &PageAnchor::After(last.key.clone(), last.id), 19);
                    if let Err(e) = next {
                        count(&mut r, &e);
                    }
                }
                r.reads += 1;
            }
            Err(e) => count(&mut r, &e),
        }
        r.slowest_read_us = r.slowest_read_us.max(t.elapsed().as_micros());
        if looked.elapsed() >= Duration::from_millis(250) {
            looked = Instant::now();
            match store.data_version() {
                Ok(v) if v != version => {
                    version = v;
                    let t = Instant::now();
                    let q = query("");
                    let refreshed = store
                        .case_count(me, &q)
                        .and_then(|_| store.case_page(me, &q, &PageAnchor::First, 19));
                    r.slowest_refresh_us = r.slowest_refresh_us.max(t.elapsed().as_micros());
                    match refreshed {
                        Ok(_) => r.refreshes += 1,
                        Err(e) => count(&mut r, &e),
                    }
                }
                Ok(_) => {}
                Err(e) => count(&mut r, &e),
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    r
}

fn worker(args: &[String]) {
    let get = |name: &str| {
        let i = args.iter().position(|a| a == name).unwrap();
        args[i + 1].clone()
    };
    let db = PathBuf::from(get("--db"));
    let login = get("--login");
    let role = get("--role");
    let k: usize = get("--k").parse().unwrap();
    let until: u128 = get("--until").parse().unwrap();
    let store = open(&db);
    let me = store.staff_by_login(&login).unwrap().unwrap();
    let report = if role == "writer" {
        writer(&store, &me, k, until)
    } else {
        reader(&store, &me, k, until)
    };
    println!("{}", report.line());
}

/// Caseworkers with cases of their own agency, then leads.
fn sessions(store: &Store) -> (Vec<String>, Vec<String>) {
    let q = query("");
    let mut writers = Vec::new();
    let mut readers = Vec::new();
    for s in store.active_staff().unwrap() {
        let worker = s.has_role(Role::JcU25) || s.has_role(Role::JaStaff);
        if s.has_role(Role::Lead) {
            readers.push(s.login.clone());
            continue;
        }
        if !worker {
            continue;
        }
        let own = store
            .case_page(&s, &q, &PageAnchor::First, 200)
            .unwrap()
            .into_iter()
            .any(|row| {
                store
                    .load_case(&s, row.id)
                    .is_ok_and(|c| c.owner == s.agency)
            });
        if own && writers.len() < WRITERS {
            writers.push(s.login.clone());
        } else if readers.len() < READERS {
            readers.push(s.login.clone());
        }
    }
    readers.truncate(READERS);
    assert_eq!(writers.len(), WRITERS, "enough caseworkers with cases");
    assert_eq!(readers.len(), READERS, "enough readers");
    (writers, readers)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--worker") {
        worker(&args);
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let (cases, seconds): (usize, u32) = if quick { (2_000, 10) } else { (10_000, 60) };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("load.db");
    {
        let key = DbKey::generate().unwrap();
        key.create_file(&tandem::storage::key::default_key_path(&db))
            .unwrap();
        let store = Store::open_keyed(&db, OpenMode::CreateOrMigrate, Some(&key)).unwrap();
        let anchor = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        tandem::demo::write(&store, &tandem::demo::seed_data(cases, 1, anchor)).unwrap();
    }
    let (writers, readers) = sessions(&open(&db));
    // Everyone starts together, one second from now, and stops at the same moment.
    let start = now_ms() + 1_000;
    let until = start + u128::from(seconds) * 1000;
    let exe = std::env::current_exe().unwrap();
    let mut children = Vec::new();
    for (k, (login, role)) in writers
        .iter()
        .map(|l| (l, "writer"))
        .chain(readers.iter().map(|l| (l, "reader")))
        .enumerate()
    {
        let child = Command::new(&exe)
            .args([
                "--worker",
                "--db",
                db.to_str().unwrap(),
                "--login",
                login,
                "--role",
                role,
                "--k",
                &k.to_string(),
                "--until",
                &until.to_string(),
            ])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        children.push((role, child));
    }
    let mut reports: Vec<(&str, Report)> = Vec::new();
    for (role, mut child) in children {
        let out = child.stdout.take().unwrap();
        let line = BufReader::new(out)
            .lines()
            .map(Result::unwrap)
            .last()
            .expect("a report from every session");
        assert!(child.wait().unwrap().success(), "a session failed");
        reports.push((role, Report::parse(&line)));
    }
    // Every save is in the database: each writer's case carries one version per saved
    // question, and its notes are all there.
    let store = open(&db);
    let mut lost = 0i64;
    for (k, (_, r)) in reports
        .iter()
        .enumerate()
        .filter(|(_, (role, _))| *role == "writer")
    {
        let version = tandem::storage::testing::scalar(
            &store,
            &format!("SELECT version FROM coop_case WHERE id = {}", r.case),
        )
        .unwrap();
        let notes = tandem::storage::testing::scalar(
            &store,
            &format!("SELECT count(*) FROM note WHERE text LIKE 'load-{k}-%'"),
        )
        .unwrap();
        let expected_version = r.first_version + i64::try_from(r.saves).unwrap();
        lost += (expected_version - i64::try_from(version).unwrap()).abs();
        lost += (i64::try_from(r.notes).unwrap() - i64::try_from(notes).unwrap()).abs();
    }
    let sum = |f: &dyn Fn(&Report) -> u64| reports.iter().map(|(_, r)| f(r)).sum::<u64>();
    let max = |f: &dyn Fn(&Report) -> u128| reports.iter().map(|(_, r)| f(r)).max().unwrap_or(0);
    let saves = sum(&|r| r.saves + r.notes);
    let busy = sum(&|r| r.busy);
    let errors = sum(&|r| r.errors);
    println!("| {:<40} | {:>12} |", "many sessions, one file", "");
    println!("|{:-<42}|{:-<14}|", "", "");
    for (label, value) in [
        ("cases", cases.to_string()),
        (
            "sessions (saving + reading)",
            format!("{WRITERS} + {READERS}"),
        ),
        (
            "pause between a writer's saves (ms)",
            PACE.as_millis().to_string(),
        ),
        ("duration (s)", seconds.to_string()),
        ("saves", saves.to_string()),
        (
            "saves per second",
            format!("{:.0}", saves as f64 / f64::from(seconds)),
        ),
        (
            "slowest save (ms)",
            format!("{:.1}", max(&|r| r.slowest_save_us) as f64 / 1000.0),
        ),
        (
            "reads (page + count + next page)",
            sum(&|r| r.reads).to_string(),
        ),
        (
            "refreshes after another session's save",
            sum(&|r| r.refreshes).to_string(),
        ),
        (
            "slowest refresh seen by a reader (ms)",
            format!("{:.1}", max(&|r| r.slowest_refresh_us) as f64 / 1000.0),
        ),
        (
            "slowest read (ms)",
            format!("{:.1}", max(&|r| r.slowest_read_us) as f64 / 1000.0),
        ),
        ("SQLITE_BUSY seen by a session", busy.to_string()),
        ("other errors", errors.to_string()),
        ("saves lost", lost.to_string()),
    ] {
        println!("| {label:<40} | {value:>12} |");
    }
    assert!(saves > 0, "the writers saved");
    assert_eq!(busy, 0, "SQLITE_BUSY reached a session");
    assert_eq!(errors, 0, "errors in the sessions");
    assert_eq!(lost, 0, "saves lost");
}
