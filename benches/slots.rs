//! Benchmark of the scheduling engine on a realistic year for 60 staff: weekly team meetings,
//! about two conferences per person and week with 3–5 participants, trainings, two to three
//! weeks of leave per person and the NRW holidays. Measures building the index, the clash
//! check of one candidate, the slot finder for 2/4/6 people over two weeks and three months
//! (limit 5, and every slot of the three months), and the worst case: no slot in the whole
//! year. Prints a table; asserts nothing
//! beyond sanity.
//!
//! Run with `cargo bench --bench slots` (add `-- --quick` for a few iterations only).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "bench binary"
)]

use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use tandem::domain::calendar::{WorkCalendar, holidays};
use tandem::domain::schedule::{
    Appointment, AppointmentKind, BusyIndex, SlotRequest, WorkingHours, clashes, free_slots,
};

const STAFF: i64 = 60;
const YEAR: i32 = 2026;

/// A tiny deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn below_i64(&mut self, n: u64) -> i64 {
        i64::try_from(self.below(n)).unwrap()
    }
}

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(YEAR, m, day).unwrap()
}

fn at(day: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    day.and_hms_opt(h, m, 0).unwrap()
}

fn days(n: i64) -> chrono::Duration {
    chrono::Duration::days(n)
}

fn minutes(n: i64) -> chrono::Duration {
    chrono::Duration::minutes(n)
}

/// The working days of the week starting on `monday`.
fn working_days(monday: NaiveDate, cal: &WorkCalendar) -> Vec<NaiveDate> {
    (0..5)
        .map(|k| monday + days(k))
        .filter(|d| cal.is_working_day(*d))
        .collect()
}

/// `k` distinct staff ids.
fn people(rng: &mut Rng, k: usize) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::with_capacity(k);
    while out.len() < k {
        let s = 1 + rng.below_i64(60);
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// A year of appointments for 60 staff (ids 1–60, six teams of ten).
fn year(cal: &WorkCalendar) -> Vec<Appointment> {
    let mut rng = Rng(0x5107_2026);
    let mut out = Vec::new();
    let mut id = 0;
    let mut next_id = || {
        id += 1;
        format!("apt-{id}")
    };
    let first_monday = {
        let jan1 = d(1, 1);
        jan1 - days(i64::from(jan1.weekday().num_days_from_monday()))
    };
    // NRW holidays: everybody is off.
    for (day, h) in holidays(YEAR) {
        let mut a = Appointment::absence(next_id(), 1, day, day, format!("{h:?}"));
        a.attendees = (1..=STAFF).collect();
        out.push(a);
    }
    let rooms = ["Raum 1.08", "Raum 1.12", "Raum 2.14", "Ratssaal", "Video"];
    let mut monday = first_monday;
    while monday.year() <= YEAR {
        let week = working_days(monday, cal);
        // Team meetings: teams 0–1 on Tuesday, 2–3 on Wednesday, 4–5 on Thursday.
        for team in 0..6i64 {
            let day = monday + days(1 + team / 2);
            if cal.is_working_day(day) {
                let start = at(day, if team % 2 == 0 { 9 } else { 13 }, 0);
                out.push(Appointment {
                    id: next_id(),
                    kind: AppointmentKind::TeamMeeting,
                    title: format!("Teambesprechung {}", team + 1),
                    start,
                    end: start + minutes(90),
                    attendees: (team * 10 + 1..=team * 10 + 10).collect(),
                    room: Some(rooms[usize::try_from(team % 3).unwrap()].to_string()),
                });
            }
        }
        // About two conferences per person and week with 3–5 participants: 30 a week.
        if !week.is_empty() {
            for _ in 0..30 {
                let day =
                    week[usize::try_from(rng.below(u64::try_from(week.len()).unwrap())).unwrap()];
                let start = at(day, 8, 0) + minutes(30 * rng.below_i64(14));
                let len = if rng.below(4) == 0 { 60 } else { 90 };
                let k = 3 + usize::try_from(rng.below(3)).unwrap();
                out.push(Appointment {
                    id: next_id(),
                    kind: AppointmentKind::Conference,
                    title: String::new(),
                    start,
                    end: start + minutes(len),
                    attendees: people(&mut rng, k),
                    room: (rng.below(3) != 0)
                        .then(|| rooms[usize::try_from(rng.below(5)).unwrap()].to_string()),
                });
            }
        }
        monday += days(7);
    }
    // Trainings: 30 day-long ones with 8–15 people.
    for _ in 0..30 {
        let mut day = d(1, 5) + days(rng.below_i64(350));
        while !cal.is_working_day(day) {
            day = day.succ_opt().unwrap();
        }
        let k = 8 + usize::try_from(rng.below(8)).unwrap();
        out.push(Appointment {
            id: next_id(),
            kind: AppointmentKind::Training,
            title: "Fortbildung".into(),
            start: at(day, 9, 0),
            end: at(day, 16, 0),
            attendees: people(&mut rng, k),
            room: Some("Schulungsraum".into()),
        });
    }
    // Leave: two or three weeks per person, in one-week blocks.
    for s in 1..=STAFF {
        let weeks = 2 + rng.below_i64(2);
        for _ in 0..weeks {
            let monday = first_monday + days(7 * (1 + rng.below_i64(50)));
            out.push(Appointment::absence(
                next_id(),
                s,
                monday,
                monday + days(4),
                "Urlaub",
            ));
        }
    }
    out
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut last = None;
    let samples = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let r = std::hint::black_box(f());
            let e = t.elapsed();
            last = Some(r);
            e
        })
        .collect();
    (median(samples), last.unwrap())
}

fn row(label: &str, result: &str, d: Duration) {
    println!(
        "| {label:<44} | {result:>9} | {:>10.3} |",
        d.as_secs_f64() * 1000.0
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (few, many) = if quick { (3, 20) } else { (30, 2000) };
    let cal = WorkCalendar {
        closed: vec![d(12, 24), d(12, 31)],
    };
    let hours = WorkingHours::default();
    let t = Instant::now();
    let apps = year(&cal);
    let generated = t.elapsed();
    let busy_entries: usize = apps.iter().map(|a| a.attendees.len()).sum();
    println!(
        "{STAFF} staff, {} appointments ({busy_entries} person entries) in {YEAR}{}",
        apps.len(),
        if quick { " (quick)" } else { "" }
    );
    println!(
        "| {:<44} | {:>9} | {:>10} |",
        "operation", "result", "median ms"
    );
    println!("|{:-<46}|{:-<11}|{:-<12}|", "", "", "");
    row("generate the year", &apps.len().to_string(), generated);
    let (d_index, index) = time(few, || BusyIndex::new(&apps));
    row("BusyIndex::new (all staff and rooms)", "", d_index);

    // One candidate: five people and a room on a Wednesday morning in June.
    let wed = d(6, 10);
    assert_eq!(wed.weekday(), Weekday::Wed);
    let who = [3, 14, 25, 36, 47];
    let (d_clash, n) = time(many, || {
        index
            .clashes(
                at(wed, 9, 30),
                at(wed, 11, 0),
                &who,
                Some("Raum 1.12"),
                None,
            )
            .len()
    });
    row("clashes, 5 people + room (index)", &n.to_string(), d_clash);
    let (d_clash1, n) = time(few.max(10), || {
        clashes(
            at(wed, 9, 30),
            at(wed, 11, 0),
            &who,
            Some("Raum 1.12"),
            &apps,
            None,
        )
        .len()
    });
    row(
        "clashes, 5 people + room (one-off)",
        &n.to_string(),
        d_clash1,
    );

    let from = at(d(3, 2), 8, 0);
    for k in [2usize, 4, 6] {
        let attendees: Vec<i64> = (0..k).map(|i| 1 + i64::try_from(i * 11).unwrap()).collect();
        for (label, until) in [
            ("2 weeks", from.date() + days(13)),
            ("3 months", from.date() + days(91)),
        ] {
            let req = SlotRequest::new(attendees.clone(), 90, from, until);
            let (dt, found) = time(many, || index.free_slots(&req, &cal, &hours, 5).len());
            row(
                &format!("free_slots {k} people, {label}, limit 5"),
                &found.to_string(),
                dt,
            );
        }
        // Every slot of the three months: the sweep runs through the whole window.
        let req = SlotRequest::new(attendees.clone(), 90, from, from.date() + days(91));
        let (dt, found) = time(few.max(10), || {
            index.free_slots(&req, &cal, &hours, usize::MAX).len()
        });
        row(
            &format!("free_slots {k} people, 3 months, all"),
            &found.to_string(),
            dt,
        );
    }
    let req = SlotRequest::new(
        vec![1, 12, 23, 34, 45, 56],
        90,
        from,
        from.date() + days(91),
    );
    let (dt, found) = time(few.max(10), || {
        free_slots(&req, &apps, &cal, &hours, 5).len()
    });
    row(
        "free_slots 6 people, 3 months (one-off)",
        &found.to_string(),
        dt,
    );

    // Worst case: all 60 staff for a whole morning, searched through the entire year.
    let everybody: Vec<i64> = (1..=STAFF).collect();
    let mut req = SlotRequest::new(everybody, 240, at(d(1, 1), 8, 0), d(12, 31));
    req.room = Some("Ratssaal".into());
    let (dt, found) = time(few, || index.free_slots(&req, &cal, &hours, 5).len());
    row(
        "worst: 60 people, 4 h, whole year (none)",
        &found.to_string(),
        dt,
    );
    let (dt, found) = time(few, || free_slots(&req, &apps, &cal, &hours, 5).len());
    row("worst, one-off (index + search)", &found.to_string(), dt);
    assert_eq!(found, 0, "the worst case must search the whole year");
}
