//! Benchmark of the case list at 10 000 and 100 000 cases: first page, filter as you type,
//! paging, a save and one rendered 80×24 frame, on an encrypted file as in production
//! (SQLCipher, raw key); opening, the first page and a save also on a plaintext file of
//! 10 000 cases, to show what encryption costs, and an online backup. Prints a table;
//! asserts nothing.
//!
//! Run with `cargo bench --bench storage` (add `-- --quick` for 10 000 cases only).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "bench binary"
)]

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tandem::app::App;
use tandem::keymap::Keymap;
use tandem::model::list::{ListQuery, PageAnchor};
use tandem::storage::{DbKey, OpenMode, Store};
use tandem::strings::{Lang, Strings};
use tandem::theme::Theme;

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
        "| {label:<34} | {n:>7} | {:>10.3} |",
        d.as_secs_f64() * 1000.0
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let sizes: &[usize] = if quick { &[10_000] } else { &[10_000, 100_000] };
    let anchor = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    println!(
        "| {:<34} | {:>7} | {:>10} |",
        "operation", "cases", "median ms"
    );
    println!("|{:-<36}|{:-<9}|{:-<12}|", "", "", "");
    for &n in sizes {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bench.db");
        let key = DbKey::generate().unwrap();
        let t = Instant::now();
        {
            let store = Store::open_keyed(&path, OpenMode::CreateOrMigrate, Some(&key)).unwrap();
            tandem::demo::write(&store, &tandem::demo::seed_data(n, 1, anchor)).unwrap();
        }
        row("seed (generate + write)", n, t.elapsed());
        row(
            "open (encrypted, raw key)",
            n,
            time(20, || {
                Store::open_keyed(&path, OpenMode::Existing, Some(&key)).unwrap()
            }),
        );
        let store = Store::open_keyed(&path, OpenMode::Existing, Some(&key)).unwrap();
        let me = store.staff_by_login("brinkmann").unwrap().unwrap();
        let q = ListQuery::default();
        row(
            "count + first page (19 rows)",
            n,
            time(30, || {
                (
                    store.case_count(&me, &q).unwrap(),
                    store.case_page(&me, &q, &PageAnchor::First, 19).unwrap(),
                )
            }),
        );
        row(
            "last page",
            n,
            time(30, || {
                store.case_page(&me, &q, &PageAnchor::Last, 19).unwrap()
            }),
        );
        let first = store.case_page(&me, &q, &PageAnchor::First, 19).unwrap();
        let last = first.last().unwrap().clone();
        row(
            "next page (keyset)",
            n,
            time(30, || {
                store
                    .case_page(&me, &q, &PageAnchor::After(last.key.clone(), last.id), 19)
                    .unwrap()
            }),
        );
        for filter in ["m", "mü", "müller", "brinkmann", "aktiv", "zzz"] {
            let fq = ListQuery {
                filter: filter.into(),
                ..ListQuery::default()
            };
            row(
                &format!("filter {filter:?}: count + page"),
                n,
                time(20, || {
                    (
                        store.case_count(&me, &fq).unwrap(),
                        store.case_page(&me, &fq, &PageAnchor::First, 19).unwrap(),
                    )
                }),
            );
        }
        // A case of the own agency: the partner's person data is not ours to write
        // (docs/access.md A7).
        let id = first
            .iter()
            .map(|r| r.id)
            .find(|id| {
                store
                    .load_case(&me, *id)
                    .is_ok_and(|c| c.owner == me.agency)
            })
            .expect("a case of the own agency on the first page");
        row(
            "save one case (IMMEDIATE, FULL)",
            n,
            time(20, || {
                let mut c = store.load_case(&me, id).unwrap();
                c.question.push('.');
                store.update_case(&me, &c).unwrap();
            }),
        );
        let mut backups = 0;
        row(
            "online backup (encrypted copy)",
            n,
            time(3, || {
                backups += 1;
                let target = dir.path().join(format!("backup-{backups}.db"));
                store
                    .backup_to(&target, Some(&key), &mut |_, _| {})
                    .unwrap();
            }),
        );
        // The yearly report (docs/report.md): every figure of both years, suppressed; beside
        // it the SQLite floor of its biggest part, the persons of the year in one query.
        let lead = store.staff_by_login("schwering").unwrap().unwrap();
        let cal = tandem::domain::calendar::WorkCalendar::default();
        row(
            "yearly report 2026 (both years)",
            n,
            time(5, || store.year_report(&lead, 2026, 3, true, &cal).unwrap()),
        );
        row(
            "  sqlite floor: persons of the year",
            n,
            time(5, || {
                tandem::storage::testing::scalar(
                    &store,
                    "SELECT count(DISTINCT young_person_id) FROM coop_case \
                     WHERE status IN ('active','dormant','closed') AND opened_on <= '2026-12-31' \
                     AND (closed_on IS NULL OR closed_on >= '2026-01-01')",
                )
                .unwrap()
            }),
        );
        if n == 10_000 {
            plaintext_rows(dir.path(), n, anchor);
        }
        let mut store2 = Store::open_keyed(&path, OpenMode::Existing, Some(&key)).unwrap();
        store2.set_clock(tandem::domain::Clock::fixed_local(
            anchor.and_hms_opt(10, 0, 0).unwrap(),
        ));
        let mut app = App::new(
            store2,
            me.clone(),
            Strings::get(Lang::De),
            Keymap::default_keymap(),
            Theme::plain(),
            (80, 24),
            tandem::app::Timing::default(),
        );
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        row(
            "render case list frame 80x24",
            n,
            time(50, || {
                terminal.draw(|f| tandem::ui::render(f, &app)).unwrap();
            }),
        );
        row(
            "key: down + render",
            n,
            time(50, || {
                app.update(tandem::action::Action::Down);
                terminal.draw(|f| tandem::ui::render(f, &app)).unwrap();
            }),
        );
    }
}

/// The same open, first page and save on a plaintext file: the cost of encryption.
fn plaintext_rows(dir: &std::path::Path, n: usize, anchor: NaiveDate) {
    let path = dir.join("plain.db");
    {
        let store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
        tandem::demo::write(&store, &tandem::demo::seed_data(n, 1, anchor)).unwrap();
    }
    row(
        "open (plaintext)",
        n,
        time(20, || Store::open(&path, OpenMode::Existing).unwrap()),
    );
    let store = Store::open(&path, OpenMode::Existing).unwrap();
    let me = store.staff_by_login("brinkmann").unwrap().unwrap();
    let q = ListQuery::default();
    row(
        "plaintext: count + first page",
        n,
        time(30, || {
            (
                store.case_count(&me, &q).unwrap(),
                store.case_page(&me, &q, &PageAnchor::First, 19).unwrap(),
            )
        }),
    );
    let first = store.case_page(&me, &q, &PageAnchor::First, 19).unwrap();
    let id = first
        .iter()
        .map(|r| r.id)
        .find(|id| {
            store
                .load_case(&me, *id)
                .is_ok_and(|c| c.owner == me.agency)
        })
        .expect("a case of the own agency on the first page");
    row(
        "plaintext: save one case",
        n,
        time(20, || {
            let mut c = store.load_case(&me, id).unwrap();
            c.question.push('.');
            store.update_case(&me, &c).unwrap();
        }),
    );
}
