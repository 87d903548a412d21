//! Benchmark of the yearly report (docs/report.md § 5) at 1 000, 10 000 and 100 000 seeded
//! cases, on an encrypted file as in production: the whole report (both years, every
//! figure, suppression) beside the SQLite floor of its largest part — the distinct persons
//! of the year in one query — and the suppression alone. Prints a table; asserts nothing.
//!
//! Run with `cargo bench --bench report` (add `-- --quick` for 1 000 and 10 000 cases).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "bench binary"
)]

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use tandem::domain::calendar::WorkCalendar;
use tandem::storage::{DbKey, OpenMode, Store};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

fn row(label: &str, n: usize, d: Duration) {
    println!(
        "| {label:<38} | {n:>7} | {:>10.3} |",
        d.as_secs_f64() * 1000.0
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let sizes: &[usize] = if quick {
        &[1_000, 10_000]
    } else {
        &[1_000, 10_000, 100_000]
    };
    let anchor = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    println!(
        "| {:<38} | {:>7} | {:>10} |",
        "operation", "cases", "median ms"
    );
    println!("|{:-<40}|{:-<9}|{:-<12}|", "", "", "");
    for &n in sizes {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bench.db");
        let key = DbKey::generate().unwrap();
        {
            let store = Store::open_keyed(&path, OpenMode::CreateOrMigrate, Some(&key)).unwrap();
            tandem::demo::write(&store, &tandem::demo::seed_data(n, 1, anchor)).unwrap();
        }
        let store = Store::open_keyed(&path, OpenMode::Existing, Some(&key)).unwrap();
        let lead = store.staff_by_login("schwering").unwrap().unwrap();
        let cal = WorkCalendar::default();
        row(
            "yearly report 2026 (both years)",
            n,
            time(7, || store.year_report(&lead, 2026, 3, true, &cal).unwrap()),
        );
        row(
            "  sqlite floor: persons of the year",
            n,
            time(7, || {
                tandem::storage::testing::scalar(
                    &store,
                    "SELECT count(DISTINCT young_person_id) FROM coop_case \
                     WHERE status IN ('active','dormant','closed') AND opened_on <= '2026-12-31' \
                     AND (closed_on IS NULL OR closed_on >= '2026-01-01')",
                )
                .unwrap()
            }),
        );
        row(
            "  sqlite floor: one scan of all cases",
            n,
            time(7, || {
                tandem::storage::testing::scalar(
                    &store,
                    "SELECT count(*) FROM coop_case k JOIN young_person p \
                     ON p.id = k.young_person_id WHERE p.birth_date > ''",
                )
                .unwrap()
            }),
        );
        let report = store.year_report(&lead, 2026, 3, true, &cal).unwrap();
        row(
            "  suppression of its counts alone",
            n,
            time(7, || {
                tandem::domain::stats::suppress(
                    &(0..report.shown.len())
                        .map(|i| report.raw(i).unwrap())
                        .collect::<Vec<_>>(),
                    &report.constraints,
                    3,
                )
            }),
        );
    }
}
