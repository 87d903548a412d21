//! Concurrency stress (docs/architecture.md § 5.2, § 5.3 and § 8): several processes do read-modify-write
//! increments of one shared counter case and of a private case each, through the real save
//! path (`Store::update_case`: `BEGIN IMMEDIATE` plus the version check). No `SQLITE_BUSY` may
//! reach a user and no increment may be lost. The negative control runs the same children
//! through the unprotected save path of `tandem::storage::testing` and must lose updates,
//! proving that the test can see them. A thread-level check repeats docs/architecture.md's measurement:
//! 8 threads × 200 `Store::write` increments, 0 busy.
//!
//! The children are this test binary itself, started with `--exact stress_child`; the test
//! `stress_child` does nothing unless `TANDEM_STRESS_CHILD` names a database.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "tests"
)]

mod support;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use chrono::NaiveDate;
use tandem::domain::{CaseId, Staff};
use tandem::storage::{OpenMode, StorageError, Store};

/// Names the database a child works on; unset in a normal test run.
const CHILD_ENV: &str = "TANDEM_STRESS_CHILD";
const SHARED_ENV: &str = "TANDEM_STRESS_SHARED";
const PRIVATE_ENV: &str = "TANDEM_STRESS_PRIVATE";
/// `checked` (the real save path) or `unprotected` (negative control).
const MODE_ENV: &str = "TANDEM_STRESS_MODE";
const ROUNDS_ENV: &str = "TANDEM_STRESS_ROUNDS";
/// Unix time in milliseconds at which all children start together.
const START_ENV: &str = "TANDEM_STRESS_START_MS";

/// Child processes per run.
const CHILDREN: usize = 6;
/// Increments of the shared and of the private case per child.
const INCREMENTS: u64 = 150;
/// Time bound of a child; the parent waits a little longer.
const CHILD_DEADLINE: Duration = Duration::from_mins(1);
const PARENT_DEADLINE: Duration = Duration::from_secs(90);
/// Retries of one increment after conflicts.
const MAX_RETRIES: u64 = 5000;
/// Pause between reading and writing: a person editing, and what makes the naive path lose
/// updates reliably even on 2 cores.
const THINK: Duration = Duration::from_millis(1);

/// The process tests share the machine's two cores; run them one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn now_ms() -> u64 {
    u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn env_i64(name: &str) -> i64 {
    std::env::var(name).unwrap().parse().unwrap()
}

/// Counts of one child (or one thread).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Tally {
    shared: u64,
    private: u64,
    conflicts: u64,
    busy: u64,
    errors: u64,
    gave_up: u64,
    /// Transactions that got `SQLITE_BUSY` only after waiting out the busy timeout.
    starved: u64,
    /// Longest save call in milliseconds.
    max_save_ms: u64,
}

impl Tally {
    fn commits(&self) -> u64 {
        self.shared + self.private
    }

    fn line(&self) -> String {
        format!(
            "DONE commits={} shared={} private={} conflicts={} busy={} errors={} gave_up={} \
             starved={} max_save_ms={}",
            self.commits(),
            self.shared,
            self.private,
            self.conflicts,
            self.busy,
            self.errors,
            self.gave_up,
            self.starved,
            self.max_save_ms
        )
    }

    fn parse(line: &str) -> Option<Tally> {
        let rest = line.strip_prefix("DONE ")?;
        let mut t = Tally::default();
        for field in rest.split_whitespace() {
            let (k, v) = field.split_once('=')?;
            let v: u64 = v.parse().ok()?;
            match k {
                "shared" => t.shared = v,
                "private" => t.private = v,
                "conflicts" => t.conflicts = v,
                "busy" => t.busy = v,
                "errors" => t.errors = v,
                "gave_up" => t.gave_up = v,
                "starved" => t.starved = v,
                "max_save_ms" => t.max_save_ms = v,
                _ => {}
            }
        }
        Some(t)
    }

    fn add(&mut self, o: &Tally) {
        self.shared += o.shared;
        self.private += o.private;
        self.conflicts += o.conflicts;
        self.busy += o.busy;
        self.errors += o.errors;
        self.gave_up += o.gave_up;
        self.starved += o.starved;
        self.max_save_ms = self.max_save_ms.max(o.max_save_ms);
    }
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    out.write_all(format!("{line}\n").as_bytes()).unwrap();
    out.flush().unwrap();
}

/// How an increment ended.
enum Outcome {
    Committed,
    Busy,
    Error,
    GaveUp,
}

fn counter(case_question: &str) -> Result<u64, String> {
    case_question
        .trim()
        .parse()
        .map_err(|_| format!("not a counter: {case_question:?}"))
}

/// One read-modify-write increment of `id`'s counter.
fn increment(
    store: &Store,
    me: &Staff,
    id: CaseId,
    unprotected: bool,
    deadline: Instant,
    tally: &mut Tally,
) -> Outcome {
    for _ in 0..MAX_RETRIES {
        if Instant::now() > deadline {
            break;
        }
        let step = store.load_case(me, id).and_then(|mut case| {
            let Ok(value) = counter(&case.question) else {
                return Ok(false);
            };
            std::thread::sleep(THINK);
            case.question = (value + 1).to_string();
            let t0 = Instant::now();
            let saved = if unprotected {
                tandem::storage::testing::update_question_unprotected(store, id, &case.question)
            } else {
                store.update_case(me, &case)
            };
            tally.max_save_ms = tally.max_save_ms.max(ms(t0.elapsed()));
            saved?;
            Ok(true)
        });
        match step {
            Ok(true) => return Outcome::Committed,
            Ok(false) => {
                say("ERR the counter is not a number");
                return Outcome::Error;
            }
            Err(StorageError::Conflict { .. }) => tally.conflicts += 1,
            Err(e) if e.is_busy() => {
                say(&format!("BUSY {e}"));
                return Outcome::Busy;
            }
            Err(e) => {
                say(&format!("ERR {e}"));
                return Outcome::Error;
            }
        }
    }
    Outcome::GaveUp
}

/// The child: `INCREMENTS` increments of the shared and of its private case.
#[test]
fn stress_child() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    say("");
    let shared = CaseId(env_i64(SHARED_ENV));
    let private = CaseId(env_i64(PRIVATE_ENV));
    let unprotected = std::env::var(MODE_ENV).unwrap() == "unprotected";
    let rounds: u64 = std::env::var(ROUNDS_ENV).unwrap().parse().unwrap();
    let start: u64 = std::env::var(START_ENV).unwrap().parse().unwrap();
    let store = Store::open(Path::new(&path), OpenMode::Existing).unwrap();
    let me = store.staff_by_login("brinkmann").unwrap().unwrap();
    // Start together (bounded wait).
    let wait = start.saturating_sub(now_ms()).min(5000);
    std::thread::sleep(Duration::from_millis(wait));
    let deadline = Instant::now() + CHILD_DEADLINE;
    let mut tally = Tally::default();
    'outer: for _ in 0..rounds {
        for (id, is_shared) in [(shared, true), (private, false)] {
            match increment(&store, &me, id, unprotected, deadline, &mut tally) {
                Outcome::Committed if is_shared => tally.shared += 1,
                Outcome::Committed => tally.private += 1,
                Outcome::Busy => tally.busy += 1,
                Outcome::Error => tally.errors += 1,
                Outcome::GaveUp => tally.gave_up += 1,
            }
            if Instant::now() > deadline {
                say("ERR deadline");
                tally.errors += 1;
                break 'outer;
            }
        }
    }
    say(&tally.line());
}

/// A database with a shared counter case and `CHILDREN` private counter cases, all at "0".
struct Setup {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    shared: CaseId,
    private: Vec<CaseId>,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stress.db");
    let store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let data = tandem::demo::seed_data(20, 1, date);
    tandem::demo::write(&store, &data).unwrap();
    let me = store.staff_by_login("brinkmann").unwrap().unwrap();
    // A case of brinkmann's own (only assigned staff and deputies may save a case).
    let mut template = data.cases[0].clone();
    template.owner = tandem::domain::Agency::Jobcenter;
    template.jc_staff = Some(me.id);
    template.ja_staff = None;
    let template = support::creatable(&template, me.agency);
    let shared = store.create_case(&me, &template).unwrap();
    let mut case = store.load_case(&me, shared).unwrap();
    case.question = "0".into();
    store.update_case(&me, &case).unwrap();
    let private = (0..CHILDREN)
        .map(|_| {
            store
                .create_case(&me, &support::creatable(&case, me.agency))
                .unwrap()
        })
        .collect();
    Setup {
        _dir: dir,
        path,
        shared,
        private,
    }
}

/// (question, version) of a case, read directly.
fn stored(path: &Path, id: CaseId) -> (u64, i64) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let (q, v): (String, i64) = conn
        .query_row(
            "SELECT question, version FROM coop_case WHERE id = ?1",
            [id.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    (counter(&q).unwrap(), v)
}

/// Waits for `child` until `deadline`, killing it if it is still running then.
fn wait_bounded(child: &mut Child, deadline: Instant) -> std::process::ExitStatus {
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            return child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The result of one run of `CHILDREN` processes.
struct Run {
    tallies: Vec<Tally>,
    /// BUSY and ERR lines of all children.
    problems: Vec<String>,
    shared: (u64, i64),
    private: Vec<(u64, i64)>,
    shared_version_before: i64,
    secs: f64,
}

fn run(s: &Setup, mode: &str) -> Run {
    let shared_version_before = stored(&s.path, s.shared).1;
    let began = Instant::now();
    let start = now_ms() + 400;
    let mut children: Vec<Child> = s
        .private
        .iter()
        .map(|private| {
            Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "stress_child", "--nocapture", "--test-threads=1"])
                .env(CHILD_ENV, &s.path)
                .env(SHARED_ENV, s.shared.0.to_string())
                .env(PRIVATE_ENV, private.0.to_string())
                .env(MODE_ENV, mode)
                .env(ROUNDS_ENV, INCREMENTS.to_string())
                .env(START_ENV, start.to_string())
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let readers: Vec<_> = children
        .iter_mut()
        .map(|c| {
            let mut out = c.stdout.take().unwrap();
            let mut err = c.stderr.take().unwrap();
            std::thread::spawn(move || {
                let e = std::thread::spawn(move || {
                    let mut s = String::new();
                    let _ = err.read_to_string(&mut s);
                    s
                });
                let mut s = String::new();
                let _ = out.read_to_string(&mut s);
                (s, e.join().unwrap())
            })
        })
        .collect();
    let deadline = Instant::now() + PARENT_DEADLINE;
    let statuses: Vec<_> = children
        .iter_mut()
        .map(|c| wait_bounded(c, deadline))
        .collect();
    let secs = began.elapsed().as_secs_f64();
    let mut tallies = Vec::new();
    let mut problems = Vec::new();
    for (status, reader) in statuses.into_iter().zip(readers) {
        let (out, err) = reader.join().unwrap();
        assert!(status.success(), "child failed: {status}\n{out}\n{err}");
        let done: Vec<Tally> = out.lines().filter_map(Tally::parse).collect();
        assert_eq!(done.len(), 1, "one summary line per child:\n{out}\n{err}");
        tallies.push(done[0]);
        problems.extend(
            out.lines()
                .filter(|l| l.starts_with("BUSY") || l.starts_with("ERR"))
                .map(str::to_string),
        );
    }
    Run {
        tallies,
        problems,
        shared: stored(&s.path, s.shared),
        private: s.private.iter().map(|id| stored(&s.path, *id)).collect(),
        shared_version_before,
        secs,
    }
}

#[test]
fn processes_lose_no_update_and_see_no_busy() {
    let _serial = serial();
    let s = setup();
    let r = run(&s, "checked");
    let mut total = Tally::default();
    r.tallies.iter().for_each(|t| total.add(t));
    println!(
        "checked: {CHILDREN} processes × {INCREMENTS} × 2 increments in {:.1} s: commits {} \
         (shared {}), conflicts {}, busy {}, errors {}, gave up {}, longest save {} ms; shared counter {}",
        r.secs,
        total.commits(),
        total.shared,
        total.conflicts,
        total.busy,
        total.errors,
        total.gave_up,
        total.max_save_ms,
        r.shared.0
    );
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!((total.busy, total.errors, total.gave_up), (0, 0, 0));
    let wanted = INCREMENTS * u64::try_from(CHILDREN).unwrap();
    assert_eq!(total.shared, wanted, "every shared increment committed");
    assert_eq!(r.shared.0, total.shared, "no shared increment lost");
    assert_eq!(
        r.shared.1 - r.shared_version_before,
        i64::try_from(total.shared).unwrap(),
        "one version step per committed save"
    );
    for (t, (value, _)) in r.tallies.iter().zip(&r.private) {
        assert_eq!(t.private, INCREMENTS);
        assert_eq!(*value, t.private, "no private increment lost");
    }
    assert!(
        total.conflicts > 0,
        "the run had no contention, so it proves little"
    );
}

#[test]
fn negative_control_loses_updates() {
    let _serial = serial();
    let s = setup();
    let r = run(&s, "unprotected");
    let mut total = Tally::default();
    r.tallies.iter().for_each(|t| total.add(t));
    let lost = total.shared.saturating_sub(r.shared.0);
    println!(
        "unprotected: {CHILDREN} processes in {:.1} s: reported shared commits {}, shared \
         counter {}, lost {lost}, busy {}, errors {}",
        r.secs, total.shared, r.shared.0, total.busy, total.errors
    );
    assert!(
        lost > 0 || total.busy > 0,
        "the negative control lost nothing: the stress test could not see lost updates"
    );
    // Without concurrency the naive path is fine: private counters are intact.
    for (t, (value, _)) in r.tallies.iter().zip(&r.private) {
        assert_eq!(*value, t.private);
    }
}

/// docs/architecture.md § 5.2: 8 threads × 200 read-modify-write transactions through `Store::write`
/// (IMMEDIATE) on one row: no transaction gets `SQLITE_BUSY` without first waiting out the
/// busy timeout (the lock-upgrade failure that DEFERRED shows), and no increment is lost.
///
/// SQLite's busy handler is not a queue: a waiter sleeps in steps of up to 100 ms while the
/// others keep taking the lock, so on a machine saturated for longer than the busy timeout
/// (5 s) one writer can starve and get `SQLITE_BUSY` after the full wait. Such starved
/// transactions are counted and printed, not failed: they measure the machine, not the
/// transaction mode. On an idle 2-core machine the run takes about 1 s and has none.
#[test]
fn threads_with_immediate_writes_see_no_busy() {
    const THREADS: usize = 8;
    const PER_THREAD: u64 = 200;
    let _serial = serial();
    let s = setup();
    let timeout_ms: u64 = Store::open(&s.path, OpenMode::Existing)
        .unwrap()
        .pragma_text("busy_timeout")
        .unwrap()
        .parse()
        .unwrap();
    // A busy that came this long after BEGIN waited out the timeout (starved).
    let starved_after = Duration::from_millis(timeout_ms * 9 / 10);
    let barrier = Arc::new(Barrier::new(THREADS));
    let began = Instant::now();
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let path = s.path.clone();
            let id = s.shared;
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                let store = Store::open(&path, OpenMode::Existing).unwrap();
                let deadline = Instant::now() + CHILD_DEADLINE;
                let mut t = Tally::default();
                let mut problems = Vec::new();
                barrier.wait();
                for _ in 0..PER_THREAD {
                    if Instant::now() > deadline {
                        t.gave_up += 1;
                        break;
                    }
                    let t0 = Instant::now();
                    let r = store.write(|tx| {
                        let q: String = tx.query_row(
                            "SELECT question FROM coop_case WHERE id = ?1",
                            [id.0],
                            |r| r.get(0),
                        )?;
                        let v = counter(&q).map_err(|_| StorageError::NotFound)?;
                        tx.execute(
                            "UPDATE coop_case SET question = ?1, version = version + 1 \
                             WHERE id = ?2",
                            rusqlite::params![(v + 1).to_string(), id.0],
                        )?;
                        Ok(())
                    });
                    let waited = t0.elapsed();
                    t.max_save_ms = t.max_save_ms.max(ms(waited));
                    match r {
                        Ok(()) => t.shared += 1,
                        Err(e) if e.is_busy() && waited >= starved_after => t.starved += 1,
                        Err(e) if e.is_busy() => {
                            t.busy += 1;
                            problems.push(format!("BUSY after {waited:?}: {e}"));
                        }
                        Err(e) => {
                            t.errors += 1;
                            problems.push(format!("ERR {e}"));
                        }
                    }
                }
                (t, problems)
            })
        })
        .collect();
    let mut total = Tally::default();
    let mut problems = Vec::new();
    for h in handles {
        let (t, p) = h.join().unwrap();
        total.add(&t);
        problems.extend(p);
    }
    let secs = began.elapsed().as_secs_f64();
    let (value, _) = stored(&s.path, s.shared);
    println!(
        "threads: {THREADS} × {PER_THREAD} IMMEDIATE increments in {secs:.2} s: commits {}, \
         busy {}, starved after the {timeout_ms} ms busy timeout {}, errors {}, longest \
         transaction {} ms; counter {value}",
        total.shared, total.busy, total.starved, total.errors, total.max_save_ms
    );
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!((total.busy, total.errors, total.gave_up), (0, 0, 0));
    let wanted = PER_THREAD * u64::try_from(THREADS).unwrap();
    assert_eq!(total.shared + total.starved, wanted);
    assert_eq!(value, total.shared, "no increment lost");
    if total.starved > 0 {
        println!(
            "threads: WARNING {} transaction(s) starved for {timeout_ms} ms: the machine was \
             saturated for longer than the busy timeout ({secs:.1} s run)",
            total.starved
        );
    }
}
