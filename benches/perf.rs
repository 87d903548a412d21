//! The performance table of docs/performance.md: the real binary in an 80×24
//! pseudo-terminal over databases from `tandem seed` with 1 000, 10 000 and 100 000 cases,
//! and beside every figure its floor, measured in the same run — what SQLite (rusqlite with
//! the same key, without Tandem) needs for the query behind the figure, or the fewest bytes
//! the terminal must receive — and the ratio. Prints the table; asserts nothing about time
//! (only that the program answered at all).
//!
//! `cargo bench --bench perf` (all three sizes, an audit chain of 1 000 000 rows and 10 000
//! referrals; a few minutes on 2 cores) or `cargo bench --bench perf -- --quick` (1 000 and
//! 10 000 cases, 100 000 audit rows and 1 000 referrals; the CI smoke). With `PERF_KEEP=1`
//! the databases are kept and their paths printed, to look at them afterwards.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::cast_precision_loss,
    reason = "bench binary"
)]

use std::io::{Read as _, Write as _};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use chrono::{Datelike as _, NaiveDate, Weekday};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use rusqlite::Connection;
use tandem::domain::calendar::WorkCalendar;
use tandem::domain::referral::{
    IndicatorArea, LegalBasis, PriorStep, Rating, ReferralChild, ReferralInput, SecrecyHolder,
    StepAnswer, Urgency,
};
use tandem::domain::{CaseId, Staff};
use tandem::model::list::{ListQuery, PageAnchor};
use tandem::storage::{DbKey, OpenMode, Store};

const COLS: u16 = 80;
const ROWS: u16 = 24;
/// Output quiet for this long ends the answer to a key.
const QUIET: Duration = Duration::from_millis(40);
/// The longest any single wait may take before the bench gives up loudly.
const LIMIT: Duration = Duration::from_mins(1);
/// The filter word typed, as in the issue that set the goals.
const WORD: &str = "mueller";

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn p95(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    // The nearest-rank 95th percentile: the ⌈0.95·n⌉-th smallest.
    let i = (v.len() * 95).div_ceil(100);
    v[i.clamp(1, v.len()) - 1]
}

/// One line of the table.
struct Line {
    figure: String,
    cases: usize,
    tandem: f64,
    floor: f64,
    goal: &'static str,
}

fn line(out: &mut Vec<Line>, figure: &str, cases: usize, tandem: f64, floor: f64) {
    out.push(Line {
        figure: figure.to_string(),
        cases,
        tandem,
        floor,
        goal: "",
    });
}

fn goal(out: &mut [Line], g: &'static str) {
    if let Some(l) = out.last_mut() {
        l.goal = g;
    }
}

// ---------------------------------------------------------------------------------------
// The binary in a pseudo-terminal
// ---------------------------------------------------------------------------------------

struct Shared {
    /// (arrival, length) of every read.
    reads: Vec<(Instant, usize)>,
    parser: vt100::Parser,
}

struct Tui {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
    writer: Box<dyn std::io::Write + Send>,
    shared: Arc<Mutex<Shared>>,
    started: Instant,
}

impl Tui {
    fn spawn(db: &Path, login: &str, extra: &[&str], home: &Path) -> Tui {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_tandem"));
        cmd.args(["--db", db.to_str().unwrap(), "--user", login]);
        cmd.args(extra);
        cmd.env_clear();
        let home = home.to_str().unwrap();
        for (k, v) in [
            ("HOME", home),
            ("TANDEM_DATA", home),
            ("TERM", "xterm-256color"),
        ] {
            cmd.env(k, v);
        }
        cmd.cwd(home);
        let started = Instant::now();
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let shared = Arc::new(Mutex::new(Shared {
            reads: Vec::new(),
            parser: vt100::Parser::new(
                NonZeroU16::new(ROWS).unwrap(),
                NonZeroU16::new(COLS).unwrap(),
                0,
            ),
        }));
        let sink = Arc::clone(&shared);
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // Bounded: a session of the bench writes far less than this many reads.
            for _ in 0..1_000_000 {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let at = Instant::now();
                        let mut s = sink.lock().unwrap();
                        s.reads.push((at, n));
                        s.parser.process(&buf[..n]);
                    }
                }
            }
        });
        Tui {
            child,
            _master: pair.master,
            writer,
            shared,
            started,
        }
    }

    fn screen(&self) -> vt100::Screen {
        self.shared.lock().unwrap().parser.screen().clone()
    }

    /// Waits until the screen satisfies `pred`; returns when it first did (to the
    /// millisecond of polling).
    fn wait(&self, what: &str, pred: impl Fn(&vt100::Screen) -> bool) -> Instant {
        let t = Instant::now();
        // The screen is looked at only when something arrived, so that the bench takes no
        // processor time from the program it measures.
        let mut seen = usize::MAX;
        while t.elapsed() < LIMIT {
            {
                let s = self.shared.lock().unwrap();
                if s.reads.len() != seen {
                    seen = s.reads.len();
                    if pred(s.parser.screen()) {
                        // The arrival of the last read is when the screen became so.
                        return s.reads.last().map_or_else(Instant::now, |r| r.0);
                    }
                }
            }
            thread::sleep(Duration::from_micros(500));
        }
        panic!("waiting for {what}:\n{}", self.screen().contents());
    }

    /// Sends `keys` and reads the answer until the output has been quiet for [`QUIET`]:
    /// (latency to the first frame, bytes of the answer). The backend writes a frame with
    /// one `write` (docs/performance.md § 4), so the first read after the key is the frame
    /// that answers it; work done in idle time afterwards comes as a frame of its own and
    /// is counted in the bytes. A key that changes nothing answers nothing.
    fn key(&mut self, keys: &[u8]) -> (f64, usize) {
        self.answer(keys, false)
    }

    /// [`Tui::key`] for a key that must change the screen: waits for its answer however
    /// long it takes (up to the limit), so that a slow answer is measured, not mistaken
    /// for none.
    fn key_answered(&mut self, keys: &[u8]) -> (f64, usize) {
        self.answer(keys, true)
    }

    fn answer(&mut self, keys: &[u8], must_answer: bool) -> (f64, usize) {
        let before_reads = self.shared.lock().unwrap().reads.len();
        let sent = Instant::now();
        self.writer.write_all(keys).unwrap();
        self.writer.flush().unwrap();
        loop {
            thread::sleep(Duration::from_millis(2));
            let s = self.shared.lock().unwrap();
            let fresh = s.reads.len() > before_reads;
            let quiet_since = if fresh {
                s.reads.last().map_or(sent, |r| r.0)
            } else {
                sent
            };
            let waited_enough = fresh || !must_answer;
            if (quiet_since.elapsed() >= QUIET && waited_enough) || sent.elapsed() > LIMIT {
                let got: usize = s.reads[before_reads..].iter().map(|r| r.1).sum();
                let first = s.reads.get(before_reads).map_or(0.0, |r| ms(r.0 - sent));
                return (first, got);
            }
        }
    }

    /// Waits until the output has been quiet for [`QUIET`].
    fn settle(&self) {
        let t = Instant::now();
        while t.elapsed() < LIMIT {
            thread::sleep(Duration::from_millis(5));
            let last = self.shared.lock().unwrap().reads.last().map(|r| r.0);
            if last.is_none_or(|l| l.elapsed() >= QUIET * 3) {
                return;
            }
        }
    }

    /// Peak resident memory of the program (kB), from /proc.
    fn peak_rss_kb(&self) -> f64 {
        let pid = self.child.process_id().unwrap();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0.0)
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The list is drawn: a header with the count or position, and the marker on a row.
fn list_drawn(s: &vt100::Screen) -> bool {
    let text = s.contents();
    (text.contains("Fall 1 von") || text.contains("Fälle")) && text.contains('▶')
}

/// The count has arrived (no "…" in the header any more).
fn counted(s: &vt100::Screen) -> bool {
    let text = s.contents();
    list_drawn(s) && !text.lines().take(3).any(|l| l.contains('…'))
}

/// The fewest bytes a terminal must receive to turn screen `a` into `b`: the text of the
/// cells that differ (no positioning, no style).
fn cells_changed_bytes(a: &vt100::Screen, b: &vt100::Screen) -> usize {
    let mut n = 0;
    for row in 0..ROWS {
        for col in 0..COLS {
            let x = a
                .cell(row, col)
                .map(|c| c.contents().to_string())
                .unwrap_or_default();
            let y = b
                .cell(row, col)
                .map(|c| c.contents().to_string())
                .unwrap_or_default();
            if x != y {
                n += y.len().max(1);
            }
        }
    }
    n
}

// ---------------------------------------------------------------------------------------
// The floor: rusqlite with the same key, without Tandem
// ---------------------------------------------------------------------------------------

fn raw_conn(db: &Path) -> Connection {
    let key = std::fs::read_to_string(key_path(db)).unwrap();
    let conn = Connection::open(db).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.trim()))
        .unwrap();
    conn
}

fn key_path(db: &Path) -> PathBuf {
    tandem::storage::key::default_key_path(db)
}

/// The range of the word index that a typed prefix covers, folded as Tandem folds it
/// (docs/architecture.md § 5.8).
fn folded_range(typed: &str) -> (String, String) {
    let low = tandem::domain::text::filter_words(typed)
        .into_iter()
        .next()
        .unwrap_or_default();
    let high = tandem::domain::text::prefix_upper_bound(&low);
    (low, high)
}

/// Median time of `f` over `runs`.
fn timed(runs: usize, mut f: impl FnMut()) -> f64 {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                ms(t.elapsed())
            })
            .collect(),
    )
}

/// Rows of `sql` (first column as text), for the floors.
fn rows(conn: &Connection, sql: &str, params: &[&dyn rusqlite::ToSql]) -> usize {
    let mut stmt = conn.prepare_cached(sql).unwrap();
    let mut n = 0;
    let mut q = stmt.query(params).unwrap();
    while let Some(r) = q.next().unwrap() {
        let _: rusqlite::types::Value = r.get(0).unwrap();
        n += 1;
    }
    n
}

// ---------------------------------------------------------------------------------------
// Data beyond the seed
// ---------------------------------------------------------------------------------------

fn staff(store: &Store, login: &str) -> Staff {
    store.staff_by_login(login).unwrap().unwrap()
}

/// 200 notes on the first case of `me`'s list: the case file with a long timeline.
fn long_timeline(store: &Store, me: &Staff) -> CaseId {
    let q = ListQuery {
        today: store.clock().today(),
        ..ListQuery::default()
    };
    let first = store.case_page(me, &q, &PageAnchor::First, 1).unwrap()[0].id;
    let start = NaiveDate::from_ymd_opt(2025, 1, 2).unwrap();
    for k in 0..200 {
        let at = (start + chrono::Duration::days(k * 3))
            .and_hms_opt(10, 0, 0)
            .unwrap();
        store
            .add_note_at(
                me,
                first,
                &format!("Gespräch Nr. {k}: Stand der Bewerbungen."),
                false,
                at,
            )
            .unwrap();
    }
    first
}

/// Two conferences on every working day of 2026 for `me`, on their own cases.
fn conference_year(store: &Store, me: &Staff) -> usize {
    let q = ListQuery {
        today: store.clock().today(),
        ..ListQuery::default()
    };
    let cases: Vec<CaseId> = store
        .case_page(me, &q, &PageAnchor::First, 200)
        .unwrap()
        .into_iter()
        .filter(|r| r.name.is_some())
        .map(|r| r.id)
        .collect();
    let cal = WorkCalendar::default();
    let mut day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let mut n = 0;
    while day.year() == 2026 {
        if cal.is_working_day(day) && !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            for hour in [9, 14] {
                let case = cases[n % cases.len()];
                store
                    .create_conference(
                        me,
                        &tandem::model::conference::NewConference {
                            case_id: case,
                            kind: tandem::domain::conference::ConferenceKind::FollowUp,
                            question: "Stand der Hilfen".into(),
                            start: Some(day.and_hms_opt(hour, 0, 0).unwrap()),
                            duration_min: 60,
                            location: "Raum 2.14".into(),
                            anonymised: true,
                            participants: vec![],
                            topics: vec![],
                        },
                        store.clock().today(),
                    )
                    .unwrap();
                n += 1;
            }
        }
        day = day.succ_opt().unwrap();
    }
    n
}

/// `n` referrals from `reporter`, one every 50 minutes back from now, a tenth of them acute
/// and a third urgent; those older than two weeks closed, the last day's not yet received
/// (a shortcut for the bench's data, which would otherwise need every step of the
/// four-eyes workflow): the on-call list's database.
fn referrals(store: &Store, reporter: &Staff, n: usize) {
    let now = store.clock().now();
    for k in 0..n {
        let sent = now - chrono::Duration::minutes(i64::try_from(k).unwrap() * 50);
        let local = tandem::domain::tz::to_local(sent);
        let urgency = match k % 10 {
            0 => Urgency::Acute,
            1..=3 => Urgency::Urgent,
            _ => Urgency::NotAcute,
        };
        let acute = urgency == Urgency::Acute;
        let steps = if acute {
            vec![(
                PriorStep::ParentsInformed,
                StepAnswer::No("Information würde das Kind gefährden".into()),
            )]
        } else {
            PriorStep::ALL
                .iter()
                .map(|s| match s {
                    PriorStep::TalkWithParents
                    | PriorStep::SupervisorInvolved
                    | PriorStep::ParentsInformed => (*s, StepAnswer::Yes(local.date())),
                    _ => (*s, StepAnswer::No("nicht erforderlich".into())),
                })
                .collect()
        };
        let input = ReferralInput {
            urgency,
            phoned_ahead: acute.then(|| {
                (
                    local - chrono::Duration::minutes(5),
                    "Rufbereitschaft".into(),
                )
            }),
            reporter_phone: "02366 0300 41".into(),
            reachable_until: "16:00".into(),
            secrecy_holder: SecrecyHolder::No,
            legal_basis: LegalBasis::Sgbx69,
            case_id: None,
            children: vec![ReferralChild {
                surname: "Beispiel".into(),
                given_names: format!("Kind {k}"),
                birth_date: NaiveDate::from_ymd_opt(2020, 5, 1),
                whereabouts: "bei der Mutter".into(),
                custody: "Mutter (allein)".into(),
            }],
            household: "Mutter, Kinder".into(),
            observed_on: Some(local.date()),
            facts: "Kind wirkte verängstigt und hungrig.".into(),
            verbatim: String::new(),
            assessment: "Gewichtige Anhaltspunkte.".into(),
            indicators: vec![(0, IndicatorArea::Supervision, Rating::Yellow)],
            steps,
            immediate_actions: String::new(),
            wants_receipt: true,
            wants_feedback: false,
        };
        store.send_referral(reporter, &input, sent).unwrap();
    }
    // As in an office: what came in more than two weeks ago is closed, what came in since
    // is received, the last day's are still waiting for receipt.
    for sql in [
        "UPDATE cp_referral SET status = 'closed' WHERE sent_at < (SELECT strftime('%Y-%m-%dT%H:%M:%fZ', max(sent_at), '-14 days') FROM cp_referral)",
        "UPDATE cp_referral SET status = 'received' WHERE status = 'sent' AND sent_at < (SELECT strftime('%Y-%m-%dT%H:%M:%fZ', max(sent_at), '-1 days') FROM cp_referral)",
    ] {
        tandem::storage::testing::execute(store, sql, &[]).unwrap();
    }
    // The on-call worker is inside a shift of the rota while the bench runs
    // (docs/casework.md § 5): entered by the Jugendamt's lead, as in an office.
    let now = chrono::Utc::now();
    let lead = staff(store, "tueshaus");
    let worker = staff(store, "hegemann");
    store
        .add_shift(
            &lead,
            worker.id,
            now - chrono::Duration::hours(1),
            now + chrono::Duration::days(6),
        )
        .unwrap();
}

// ---------------------------------------------------------------------------------------
// The figures
// ---------------------------------------------------------------------------------------

/// Seeds `n` cases with the real binary; the floor inserts as many rows of the same width
/// into one table in one transaction.
fn seed(out: &mut Vec<Line>, dir: &Path, n: usize) -> PathBuf {
    let db = dir.join("office.db");
    let t = Instant::now();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args([
            "seed",
            "--db",
            db.to_str().unwrap(),
            "--cases",
            &n.to_string(),
        ])
        .env("HOME", dir)
        .env("TANDEM_DATA", dir)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "tandem seed failed");
    let tandem = ms(t.elapsed());
    let floor_db = dir.join("floor.db");
    let conn = Connection::open(&floor_db).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA key = \"x'{}'\"; CREATE TABLE t (a TEXT, b TEXT, c TEXT, d TEXT, e TEXT, f TEXT, g TEXT, h TEXT);",
        "00".repeat(32)
    ))
    .unwrap();
    let t = Instant::now();
    conn.execute_batch("BEGIN").unwrap();
    {
        let mut ins = conn
            .prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
            .unwrap();
        for k in 0..n {
            let v = format!("Wert {k}");
            ins.execute([&v, &v, &v, &v, &v, &v, &v, &v]).unwrap();
        }
    }
    conn.execute_batch("COMMIT").unwrap();
    let floor = ms(t.elapsed());
    line(out, "tandem seed (ms)", n, tandem, floor);
    db
}

/// The lead's list: first frame, typing the filter, moving; bytes and memory.
fn lead_list(out: &mut Vec<Line>, dir: &Path, db: &Path, n: usize, rounds: usize) {
    let conn = raw_conn(db);
    let (mut first, mut typing, mut typed_bytes, mut moving, mut moved_bytes) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut typed_floor = Vec::new();
    let mut count_shown = Vec::new();
    let mut rss = 0.0;
    for _ in 0..rounds {
        let mut tui = Tui::spawn(db, "schwering", &[], dir);
        let at = tui.wait("the first frame", list_drawn);
        first.push(ms(at - tui.started));
        tui.wait("the count", counted);
        tui.settle();
        tui.key(b"/");
        let mut last_sent = Instant::now();
        for ch in WORD.chars() {
            last_sent = Instant::now();
            let before = tui.screen();
            let (latency, bytes) = tui.key(ch.to_string().as_bytes());
            typing.push(latency);
            typed_bytes.push(bytes as f64);
            typed_floor.push(cells_changed_bytes(&before, &tui.screen()) as f64);
        }
        let shown = tui.wait("the count of the filtered list", counted);
        // Beyond the pause the count waits for (docs/performance.md § 2.4).
        count_shown.push((ms(shown - last_sent) - 300.0).max(0.0));
        tui.key(b"\x1b");
        tui.wait("the count", counted);
        tui.settle();
        for _ in 0..30 {
            let (latency, bytes) = tui.key(b"\x1b[B");
            moving.push(latency);
            moved_bytes.push(bytes as f64);
        }
        rss = tui.peak_rss_kb();
    }
    // Floors: opening the file and the first page of the name index; each prefix of the
    // word as the list's core query (the name index walked, the word's index probed); the
    // next row by keyset.
    let floor_first = timed(rounds.max(5), || {
        let c = raw_conn(db);
        rows(
            &c,
            "SELECT name FROM case_list INDEXED BY case_list_name ORDER BY name_key LIMIT 19",
            &[],
        );
    });
    // The better of two plans for each prefix: walking the name index and probing the
    // word (quick for common prefixes), or sorting the word's matches (for rare ones).
    let mut floor_typing = Vec::new();
    for k in 1..=WORD.len() {
        // The stored words are folded ("mueller" is "muller"); so is the typed prefix.
        let (low, high) = folded_range(&WORD[..k]);
        let walk = timed(3, || {
            rows(
                &conn,
                "SELECT name FROM case_list INDEXED BY case_list_name WHERE EXISTS (SELECT 1 FROM case_search s \
                 WHERE s.case_id = case_list.case_id AND s.token >= ?1 AND s.token < ?2) ORDER BY name_key LIMIT 19",
                &[&low, &high],
            );
        });
        let sort = timed(3, || {
            rows(
                &conn,
                "SELECT name FROM case_list WHERE case_id IN (SELECT case_id FROM case_search \
                 WHERE token >= ?1 AND token < ?2) ORDER BY name_key LIMIT 19",
                &[&low, &high],
            );
        });
        floor_typing.push(walk.min(sort));
    }
    let keys: Vec<String> = {
        let mut stmt = conn
            .prepare("SELECT name_key FROM case_list ORDER BY name_key LIMIT 31")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let floor_move = median(
        keys.iter()
            .map(|k| {
                let t = Instant::now();
                rows(
                    &conn,
                    "SELECT name FROM case_list WHERE name_key > ?1 ORDER BY name_key LIMIT 1",
                    &[k],
                );
                ms(t.elapsed())
            })
            .collect(),
    );
    line(
        out,
        "first complete frame (ms)",
        n,
        median(first.clone()),
        floor_first,
    );
    goal(out, "≤ 30 ms");
    line(
        out,
        "filter keystroke → frame, median (ms)",
        n,
        median(typing.clone()),
        median(floor_typing.clone()),
    );
    line(
        out,
        "filter keystroke → frame, p95 (ms)",
        n,
        p95(typing),
        p95(floor_typing.clone()),
    );
    goal(out, "≤ 16 ms");
    let (word_low, word_high) = folded_range(WORD);
    let floor_count = timed(3, || {
        rows(
            &conn,
            "SELECT count(DISTINCT case_id) FROM case_search WHERE token >= ?1 AND token < ?2",
            &[&word_low, &word_high],
        );
    });
    line(
        out,
        "  its count after the 300 ms pause (ms)",
        n,
        median(count_shown),
        floor_count,
    );
    line(
        out,
        "list movement ↓ → frame, median (ms)",
        n,
        median(moving.clone()),
        floor_move,
    );
    line(
        out,
        "list movement ↓ → frame, p95 (ms)",
        n,
        p95(moving),
        floor_move,
    );
    // The fewest bytes of a movement: two markers, each an absolute position and a
    // character.
    let floor_move_bytes = 2.0 * ("\x1b[10;1H".len() + "▶".len()) as f64;
    line(
        out,
        "bytes per list movement",
        n,
        median(moved_bytes),
        floor_move_bytes,
    );
    goal(out, "≤ 150 B");
    line(
        out,
        "bytes per typed filter character",
        n,
        median(typed_bytes),
        median(typed_floor),
    );
    line(out, "peak memory (MB)", n, rss / 1024.0, 0.0);
    goal(out, "≤ 40 MB");
    // Low-bandwidth mode: the marker alone.
    let mut tui = Tui::spawn(db, "schwering", &["--low-bandwidth"], dir);
    tui.wait("the first frame", list_drawn);
    tui.wait("the count", counted);
    tui.settle();
    let low: Vec<f64> = (0..30).map(|_| tui.key(b"\x1b[B").1 as f64).collect();
    line(
        out,
        "bytes per movement, --low-bandwidth",
        n,
        median(low),
        floor_move_bytes,
    );
    goal(out, "≤ 20 B");
}

/// Presses `key`, which changes the screen, and records the time to its frame beside
/// `floor` and its bytes beside the fewest the terminal must receive, under `labels`.
fn screen_change(
    out: &mut Vec<Line>,
    tui: &mut Tui,
    key: &[u8],
    labels: (&str, &str),
    (n, floor): (usize, f64),
) {
    let before = tui.screen();
    let (latency, bytes) = tui.key_answered(key);
    let after = tui.screen();
    line(out, labels.0, n, latency, floor);
    line(
        out,
        labels.1,
        n,
        bytes as f64,
        cells_changed_bytes(&before, &after) as f64,
    );
    goal(out, "≤ 4 KB");
}

/// A caseworker: the case file with 200 timeline entries, the F3 agenda with a year of
/// conferences, and typing into the new-case form.
fn caseworker(out: &mut Vec<Line>, dir: &Path, db: &Path, n: usize, file: CaseId) {
    let conn = raw_conn(db);
    let mut tui = Tui::spawn(db, "brinkmann", &[], dir);
    tui.wait("the first frame", list_drawn);
    tui.wait("the count", counted);
    tui.settle();
    let floor = timed(5, || {
        rows(
            &conn,
            "SELECT text FROM note WHERE case_id = ?1 ORDER BY at",
            &[&file.0],
        );
    });
    screen_change(
        out,
        &mut tui,
        b"\r",
        (
            "open case file, 200 timeline entries (ms)",
            "  open case file: bytes",
        ),
        (n, floor),
    );
    tui.key(b"\x1b");
    tui.settle();
    let floor = timed(5, || {
        rows(
            &conn,
            "SELECT c.id FROM conference c JOIN coop_case k ON k.id = c.case_id \
             WHERE c.starts_at >= '2026-01-01' AND c.starts_at < '2027-01-01' \
             AND k.jc_staff_id = (SELECT id FROM staff WHERE login = 'brinkmann') ORDER BY c.starts_at",
            &[],
        );
    });
    screen_change(
        out,
        &mut tui,
        b"\x1bOR",
        (
            "F3 agenda, a year of conferences (ms)",
            "  F3 agenda: bytes",
        ),
        (n, floor),
    );
    tui.key(b"\x1bOQ");
    tui.settle();
    tui.key(b"n");
    tui.settle();
    let (mut typed, mut floor) = (Vec::new(), Vec::new());
    for c in "Mustermann".chars() {
        let before = tui.screen();
        typed.push(tui.key(c.to_string().as_bytes()).1 as f64);
        floor.push(cells_changed_bytes(&before, &tui.screen()) as f64);
    }
    line(
        out,
        "bytes per typed form character",
        n,
        median(typed),
        median(floor),
    );
}

/// The on-call worker: F6 with the referrals in the database, and one referral opened.
fn oncall(out: &mut Vec<Line>, dir: &Path, db: &Path, n: usize, referrals: usize) {
    let conn = raw_conn(db);
    let mut tui = Tui::spawn(db, "hegemann", &[], dir);
    tui.wait("the first frame", |s| {
        s.contents().contains("Fall") || s.contents().contains('▶')
    });
    tui.settle();
    // From the case list (F2), wherever the login starts.
    tui.key(b"\x1bOQ");
    tui.settle();
    let floor = timed(5, || {
        rows(
            &conn,
            "SELECT id FROM cp_referral WHERE status IN ('sent', 'received', 'triaged') \
             AND urgency IN ('akut', 'dringend') ORDER BY sent_at LIMIT 20",
            &[],
        );
    });
    screen_change(
        out,
        &mut tui,
        b"\x1b[17~",
        (
            &format!("F6 on-call list, {referrals} referrals (ms)"),
            "  F6 on-call list: bytes",
        ),
        (n, floor),
    );
    tui.settle();
    let before = tui.screen();
    let (_, bytes) = tui.key_answered(b"\r");
    let after = tui.screen();
    line(
        out,
        "  Enter on a referral: bytes",
        n,
        bytes as f64,
        cells_changed_bytes(&before, &after) as f64,
    );
    goal(out, "≤ 4 KB");
}

/// The yearly report beside its biggest query.
fn report(out: &mut Vec<Line>, store: &Store, db: &Path, n: usize) {
    let lead = staff(store, "schwering");
    let cal = WorkCalendar::default();
    let tandem = timed(3, || {
        store.year_report(&lead, 2026, 3, true, &cal).unwrap();
    });
    let conn = raw_conn(db);
    let floor = timed(3, || {
        rows(
            &conn,
            "SELECT count(DISTINCT young_person_id) FROM coop_case \
             WHERE status IN ('active','dormant','closed') AND opened_on <= '2026-12-31' \
             AND (closed_on IS NULL OR closed_on >= '2026-01-01')",
            &[],
        );
    });
    line(out, "yearly report 2026 (ms)", n, tandem, floor);
}

/// Verifying an audit chain of `rows` rows beside reading them.
fn audit(out: &mut Vec<Line>, store: &Store, db: &Path, n: usize, rows_wanted: usize) {
    let have = tandem::storage::testing::scalar(store, "SELECT count(*) FROM audit_log").unwrap();
    let me = staff(store, "schwering");
    let missing = rows_wanted.saturating_sub(usize::try_from(have).unwrap());
    for k in 0..missing {
        let e = tandem::storage::audit::AuditEntry::new(
            tandem::storage::audit::AuditAction::View,
            "case",
        )
        .by(&me)
        .object(i64::try_from(k % 5000).unwrap() + 1);
        store.record_event(&e).unwrap();
    }
    let tandem = timed(1, || {
        assert!(store.verify_audit().unwrap().is_ok());
    });
    let conn = raw_conn(db);
    let floor = timed(1, || {
        rows(
            &conn,
            "SELECT sum(length(at) + length(action) + length(object_type) + length(fields) \
             + length(prev_hash) + length(hash)) FROM audit_log",
            &[],
        );
    });
    line(
        out,
        &format!("verify audit chain, {rows_wanted} rows (ms)"),
        n,
        tandem,
        floor,
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let sizes: &[usize] = if quick {
        &[1_000, 10_000]
    } else {
        &[1_000, 10_000, 100_000]
    };
    let audit_rows = if quick { 100_000 } else { 1_000_000 };
    let referral_count = if quick { 1_000 } else { 10_000 };
    let rounds = 3;
    let mut out: Vec<Line> = Vec::new();
    for (i, &n) in sizes.iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let db = seed(&mut out, dir.path(), n);
        let largest = i + 1 == sizes.len();
        let file;
        {
            let key = DbKey::load(&key_path(&db)).unwrap();
            let mut store = Store::open_keyed(&db, OpenMode::Existing, Some(&key)).unwrap();
            store.set_clock(tandem::domain::Clock::fixed_local(
                NaiveDate::from_ymd_opt(2026, 11, 25)
                    .unwrap()
                    .and_hms_opt(10, 0, 0)
                    .unwrap(),
            ));
            // Generating the extra data is not measured: no need to wait for the disk.
            tandem::storage::testing::execute(&store, "PRAGMA synchronous = OFF", &[]).unwrap();
            let worker = staff(&store, "brinkmann");
            file = long_timeline(&store, &worker);
            conference_year(&store, &worker);
            if largest {
                referrals(&store, &worker, referral_count);
            }
            report(&mut out, &store, &db, n);
            if largest {
                audit(&mut out, &store, &db, n, audit_rows);
            }
        }
        lead_list(&mut out, dir.path(), &db, n, rounds);
        caseworker(&mut out, dir.path(), &db, n, file);
        if largest {
            oncall(&mut out, dir.path(), &db, n, referral_count);
        }
        if std::env::var_os("PERF_KEEP").is_some() {
            println!("kept {}", dir.keep().join("office.db").display());
        }
    }
    // The table: every figure of every size, with its floor and the ratio.
    println!(
        "| {:<44} | {:>7} | {:>9} | {:>9} | {:>7} | {:<8} |",
        "figure", "cases", "Tandem", "floor", "ratio", "goal"
    );
    println!(
        "|{:-<46}|{:-<9}|{:-<11}|{:-<11}|{:-<9}|{:-<10}|",
        "", "", "", "", "", ""
    );
    let mut figures: Vec<&str> = Vec::new();
    for l in &out {
        if !figures.contains(&l.figure.as_str()) {
            figures.push(&l.figure);
        }
    }
    for f in figures {
        for l in out.iter().filter(|l| l.figure == f) {
            let ratio = if l.floor > 0.0 {
                format!("×{:.1}", l.tandem / l.floor)
            } else {
                "–".to_string()
            };
            let floor = if l.floor > 0.0 {
                format!("{:.2}", l.floor)
            } else {
                "–".to_string()
            };
            println!(
                "| {:<44} | {:>7} | {:>9.2} | {:>9} | {:>7} | {:<8} |",
                l.figure, l.cases, l.tandem, floor, ratio, l.goal
            );
        }
    }
    println!(
        "\nfloor: rusqlite with the same key running the query behind the figure (a fresh \
         connection for the first frame), or the fewest bytes the terminal must receive; \
         {QUIET:?} of quiet ends an answer."
    );
}
