//! Crash rounds (docs/architecture.md § 5.10 and § 8): a child process saves through the real write
//! path (`Store::update_case`, `Store::create_case`) and prints every save after its commit;
//! the parent sends `kill -9` after 50–450 ms, then checks `integrity_check` and that no
//! acknowledged save is missing, nothing else changed and every row version counts exactly
//! the committed saves; the audit log holds exactly one row per committed save and create,
//! and its hash chain verifies.
//!
//! The child is this test binary itself, started with `--exact crash_child`; the test
//! `crash_child` does nothing unless `TANDEM_CRASH_CHILD` names a database.
//!
//! Child protocol (one line each, written in one `write` and flushed):
//! `TRY <case> <n>` before a save, `ACK <case> <n>` after its commit; `TRYNEW <n>` before a
//! create, `NEW <id> <n>` after its commit; `ERR <text>` on any error (then it stops).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "tests"
)]

mod support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use tandem::domain::CaseId;
use tandem::model::list::{ListQuery, PageAnchor};
use tandem::storage::{OpenMode, Store};

/// Names the database the child writes to; unset in a normal test run.
const CHILD_ENV: &str = "TANDEM_CRASH_CHILD";
/// First save number of the child (unique markers across rounds).
const START_ENV: &str = "TANDEM_CRASH_START";
/// Overrides the number of rounds.
const ROUNDS_ENV: &str = "TANDEM_CRASH_ROUNDS";
/// Save numbers of round `r` start at `r * ROUND_STRIDE`.
const ROUND_STRIDE: u64 = 100_000;
/// Bounds of the child loop.
const CHILD_MAX_SAVES: u64 = 20_000;
const CHILD_MAX_TIME: Duration = Duration::from_secs(20);
/// Every this many saves the child also creates a case.
const CREATE_EVERY: u64 = 10;

/// `SplitMix64`: a tiny deterministic PRNG for the kill delays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn emit(line: &str) {
    let mut out = std::io::stdout().lock();
    // One write per line, so a kill cannot leave half a line that parses.
    out.write_all(format!("{line}\n").as_bytes()).unwrap();
    out.flush().unwrap();
}

/// The child: saves in a loop through the real save path until it is killed.
#[test]
fn crash_child() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let start: u64 = std::env::var(START_ENV)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    // libtest has already written "test crash_child ... " without a newline.
    emit("");
    let store = Store::open(Path::new(&path), OpenMode::Existing).unwrap();
    let me = store.staff_by_login("brinkmann").unwrap().unwrap();
    let ids: Vec<CaseId> = store
        .case_page(&me, &ListQuery::default(), &PageAnchor::First, 100_000)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        // Person data (the question among it) is written only by the agency that owns it.
        .filter(|id| {
            store
                .load_case(&me, *id)
                .is_ok_and(|c| c.owner == me.agency)
        })
        .collect();
    assert!(!ids.is_empty());
    emit(&format!("START {}", ids.len()));
    let deadline = Instant::now() + CHILD_MAX_TIME;
    for i in 0..CHILD_MAX_SAVES {
        if Instant::now() > deadline {
            break;
        }
        let n = start + i;
        let id = ids[usize::try_from(n).unwrap() % ids.len()];
        emit(&format!("TRY {} {n}", id.0));
        let saved = store.load_case(&me, id).and_then(|mut case| {
            case.question = format!("save-{n}");
            store.update_case(&me, &case)?;
            Ok(case)
        });
        let case = match saved {
            Ok(case) => case,
            Err(e) => {
                emit(&format!("ERR save {n}: {e}"));
                return;
            }
        };
        emit(&format!("ACK {} {n}", id.0));
        if i % CREATE_EVERY == CREATE_EVERY - 1 {
            emit(&format!("TRYNEW {n}"));
            let mut new = support::creatable(&case, me.agency);
            new.question = format!("new-{n}");
            match store.create_case(&me, &new) {
                Ok(new_id) => emit(&format!("NEW {} {n}", new_id.0)),
                Err(e) => {
                    emit(&format!("ERR create {n}: {e}"));
                    return;
                }
            }
        }
    }
    emit("DONE");
}

/// What the parent expects of one case row.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expected {
    question: String,
    version: i64,
    person_version: i64,
}

/// The last line the child started but did not acknowledge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InFlight {
    None,
    Save { case: i64, n: u64 },
    Create { n: u64 },
}

/// Every case row as (question, case version, person version).
fn snapshot(path: &Path) -> BTreeMap<i64, Expected> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT c.id, c.question, c.version, p.version FROM coop_case c \
             JOIN young_person p ON p.id = c.young_person_id",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            Expected {
                question: r.get(1)?,
                version: r.get(2)?,
                person_version: r.get(3)?,
            },
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// Audit rows about cases: (updates, creates).
fn audit_counts(path: &Path) -> (i64, i64) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(
        "SELECT count(*) FILTER (WHERE action = 'update'), count(*) FILTER (WHERE action = 'create') \
         FROM audit_log WHERE object_type = 'coop_case'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

/// Output of one child: its complete stdout lines and its stderr.
fn run_child(path: &Path, start: u64, kill_after: Duration) -> (Vec<String>, String) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, path)
        .env(START_ENV, start.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut lines = Vec::new();
        let mut r = BufReader::new(stdout);
        let mut line = String::new();
        // Bounded: the pipe closes when the killed child is gone.
        while r.read_line(&mut line).unwrap_or(0) > 0 {
            // An unterminated last line was cut by the kill; ignore it.
            if let Some(l) = line.strip_suffix('\n') {
                lines.push(l.to_string());
            }
            line.clear();
        }
        lines
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    std::thread::sleep(kill_after);
    // SIGKILL on unix.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    let lines = reader.join().unwrap();
    let err = err_reader.join().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            status.signal(),
            Some(9),
            "child ended before the kill: {status}\nstdout: {lines:?}\nstderr: {err}"
        );
    }
    (lines, err)
}

#[test]
fn kill_9_during_saves_loses_nothing() {
    let rounds: u64 = std::env::var(ROUNDS_ENV)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30)
        .clamp(1, 1000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.db");
    {
        let store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        tandem::demo::write(&store, &tandem::demo::seed_data(200, 1, date)).unwrap();
    }
    let mut expected = snapshot(&path);
    let initial_cases = expected.len();
    let mut rng = Rng(0x5EED_C0DE_0000_0030);
    let began = Instant::now();
    let (mut rounds_with_ack, mut acks, mut news, mut unacked_commits) = (0, 0, 0, 0);
    let mut delays = Vec::new();
    for round in 0..rounds {
        let delay = Duration::from_millis(50 + rng.next() % 401);
        delays.push(delay);
        let (lines, err) = run_child(&path, round * ROUND_STRIDE, delay);
        let context = || format!("round {round}, kill after {delay:?}\nstderr: {err}");

        // Replay the acknowledged saves onto the expected state.
        let mut in_flight = InFlight::None;
        let mut round_acks = 0;
        for line in &lines {
            let f: Vec<&str> = line.split_whitespace().collect();
            match f.as_slice() {
                ["TRY", case, n] => {
                    in_flight = InFlight::Save {
                        case: case.parse().unwrap(),
                        n: n.parse().unwrap(),
                    };
                }
                ["ACK", case, n] => {
                    let (case, n): (i64, u64) = (case.parse().unwrap(), n.parse().unwrap());
                    assert_eq!(in_flight, InFlight::Save { case, n }, "{}", context());
                    in_flight = InFlight::None;
                    let e = expected.get_mut(&case).expect("acked case exists");
                    e.question = format!("save-{n}");
                    e.version += 1;
                    e.person_version += 1;
                    round_acks += 1;
                }
                ["TRYNEW", n] => {
                    in_flight = InFlight::Create {
                        n: n.parse().unwrap(),
                    }
                }
                ["NEW", id, n] => {
                    let n: u64 = n.parse().unwrap();
                    assert_eq!(in_flight, InFlight::Create { n }, "{}", context());
                    in_flight = InFlight::None;
                    let fresh = Expected {
                        question: format!("new-{n}"),
                        version: 1,
                        person_version: 1,
                    };
                    let old = expected.insert(id.parse().unwrap(), fresh);
                    assert!(old.is_none(), "id {id} reused; {}", context());
                    news += 1;
                }
                ["ERR", ..] => panic!("child failed: {line}; {}", context()),
                ["DONE"] => panic!("child finished before the kill; {}", context()),
                _ => {}
            }
        }
        acks += round_acks;
        if round_acks > 0 {
            rounds_with_ack += 1;
        }

        // Reopen as the program does (recovers the WAL), then check.
        let store = Store::open(&path, OpenMode::Existing).unwrap();
        assert_eq!(store.integrity_check().unwrap(), "ok", "{}", context());
        let mut stored = snapshot(&path);
        drop(store);

        // The one unacknowledged operation may or may not have committed; decide by its
        // unique marker and count it if it did.
        match in_flight {
            InFlight::None => {}
            InFlight::Save { case, n } => {
                let marker = format!("save-{n}");
                if stored.get(&case).map(|s| &s.question) == Some(&marker) {
                    let e = expected.get_mut(&case).unwrap();
                    e.question = marker;
                    e.version += 1;
                    e.person_version += 1;
                    unacked_commits += 1;
                }
            }
            InFlight::Create { n } => {
                let marker = format!("new-{n}");
                let ids: Vec<i64> = stored
                    .iter()
                    .filter(|(id, s)| s.question == marker && !expected.contains_key(id))
                    .map(|(id, _)| *id)
                    .collect();
                assert!(ids.len() <= 1, "{ids:?}; {}", context());
                if let Some(id) = ids.first() {
                    expected.insert(
                        *id,
                        Expected {
                            question: marker,
                            version: 1,
                            person_version: 1,
                        },
                    );
                    unacked_commits += 1;
                }
            }
        }

        // No acknowledged save missing, nothing else changed, versions = committed saves.
        for (id, e) in &expected {
            let s = stored
                .remove(id)
                .unwrap_or_else(|| panic!("case {id} missing; {}", context()));
            assert_eq!(&s, e, "case {id}; {}", context());
        }
        assert!(
            stored.is_empty(),
            "unexpected cases {:?}; {}",
            stored.keys().collect::<Vec<_>>(),
            context()
        );

        // The audit log has one update row per committed save and one create row per case
        // (written in the same transactions), and its chain is intact after the kill.
        let (updates, creates) = audit_counts(&path);
        let saves: i64 = expected.values().map(|e| e.version - 1).sum();
        assert_eq!(updates, saves, "audit update rows; {}", context());
        assert_eq!(
            creates,
            i64::try_from(expected.len()).unwrap(),
            "audit create rows; {}",
            context()
        );
        let report = Store::open(&path, OpenMode::Existing)
            .unwrap()
            .verify_audit()
            .unwrap();
        assert!(report.is_ok(), "{report:?}; {}", context());
    }
    let secs = began.elapsed().as_secs_f64();
    println!(
        "crash rounds: {rounds}, with >= 1 ack: {rounds_with_ack}, killed before any ack: {}, \
         acked saves: {acks}, \
         acked creates: {news}, committed but unacknowledged: {unacked_commits}, cases: \
         {initial_cases} -> {}, delays {:?}..{:?}, {secs:.1} s",
        rounds - rounds_with_ack,
        expected.len(),
        delays.iter().min().unwrap(),
        delays.iter().max().unwrap(),
    );
    assert!(
        rounds_with_ack * 2 >= rounds,
        "only {rounds_with_ack} of {rounds} rounds acknowledged a save: the test saw too little"
    );
}
