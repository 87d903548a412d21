//! The yearly report over random databases (docs/report.md § 3): no count below the
//! threshold is ever printed as a number — in the TUI lines, the text, the CSV or the JSON
//! — and no hidden count can be solved for from the printed sums. The check of the sums is
//! this file's own: exact Gaussian elimination over the report's lines, and the pinning of
//! "< t" cells by a line's remaining sum.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use proptest::prelude::*;
use tandem::domain::calendar::WorkCalendar;
use tandem::domain::stats::Shown;
use tandem::domain::{Agency, Role, Staff, tz};
use tandem::model::report::{Value, YearReport};
use tandem::storage::Store;
use tandem::storage::staff::NewStaff;
use tandem::storage::testing::execute;
use tandem::strings::{Lang, Strings};

/// SplitMix64: the world of one seed.
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
        if n == 0 { 0 } else { self.next() % n }
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[usize::try_from(self.below(v.len() as u64)).unwrap()]
    }
    fn day(&mut self) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 7, 1).unwrap()
            + Duration::days(i64::try_from(self.below(900)).unwrap())
    }
    fn ts(&mut self) -> String {
        let t = NaiveDateTime::new(self.day(), NaiveTime::from_hms_opt(9, 0, 0).unwrap())
            + Duration::minutes(i64::try_from(self.below(600)).unwrap());
        tz::from_local(t)
            .format("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string()
    }
    fn maybe(&mut self, p: u64) -> bool {
        self.below(100) < p
    }
}

fn world(seed: u64) -> (Store, Staff) {
    let store = support::test_store();
    store
        .insert_staff(&[NewStaff {
            login: "leitung".into(),
            surname: "Leitung".into(),
            given_name: "Lea".into(),
            agency: Agency::Jobcenter,
            roles: vec![Role::Lead],
            phone: String::new(),
            email: String::new(),
        }])
        .unwrap();
    let me = store.staff_by_login("leitung").unwrap().unwrap();
    let lead = me.id.0;
    let mut g = Rng(seed);
    let now = "2026-11-25T09:00:00.000Z";
    let people = g.below(45);
    for _ in 0..people {
        let birth = NaiveDate::from_ymd_opt(
            1997 + i32::try_from(g.below(16)).unwrap(),
            1 + u32::try_from(g.below(12)).unwrap(),
            1,
        )
        .unwrap();
        let gender = g.pick(&["m", "w", "w", "d", "x"]);
        let p = execute(
            &store,
            "INSERT INTO young_person (owner_stelle, surname, given_names, birth_date, gender, created_at, updated_at) \
             VALUES ('jc', 'X', 'Y', ?1, ?2, ?3, ?3)",
            &[&birth.to_string(), &gender, &now],
        )
        .unwrap();
        for _ in 0..=g.below(2) {
            let status = g.pick(&[
                "active",
                "dormant",
                "closed",
                "closed",
                "requested",
                "declined",
            ]);
            let opened = g.day();
            let closed = (status == "closed").then(|| {
                (opened + Duration::days(i64::try_from(g.below(400)).unwrap())).to_string()
            });
            let reason = if g.maybe(80) {
                Some(g.pick(&[
                    "school",
                    "training",
                    "work",
                    "housing",
                    "moved_away",
                    "other",
                ]))
            } else {
                None
            };
            let help_end = g.maybe(15).then(|| g.day().to_string());
            let case = execute(
                &store,
                "INSERT INTO coop_case (young_person_id, owner_stelle, status, lead_stelle, opened_on, closed_on, \
                 closure_reason, help_end, created_at, updated_at) VALUES (?1, 'jc', ?2, 'jc', ?3, ?4, ?5, ?6, ?7, ?7)",
                &[&p, &status, &opened.to_string(), &closed, &reason.filter(|_| closed.is_some()), &help_end, &now],
            )
            .unwrap();
            if g.maybe(20) {
                execute(
                    &store,
                    "INSERT INTO child (case_id, name, birth_date, relation, created_at, updated_at) \
                     VALUES (?1, 'K', '2023-01-01', 'own', ?2, ?2)",
                    &[&case, &now],
                )
                .unwrap();
            }
            for _ in 0..g.below(3) {
                let st = g.pick(&["draft", "granted", "granted", "refused", "revoked"]);
                let signed = g.day();
                let revoked = (st == "revoked").then(|| g.day().to_string());
                let created = g.ts();
                execute(
                    &store,
                    "INSERT INTO consent (case_id, recorded_by, declared_by, signed_on, form, purposes, categories, \
                     recipient_agencies, valid_from, valid_until, status, revoked_on, created_at, updated_at) \
                     VALUES (?1, 'jc', 'self', ?2, 'written', 'conference', 'master', 'ja', ?2, ?3, ?4, ?5, ?6, ?6)",
                    &[&case, &signed.to_string(), &(signed + Duration::days(365)).to_string(), &st, &revoked, &created],
                )
                .unwrap();
            }
            for no in 0..g.below(3) {
                let st = g.pick(&[
                    "held",
                    "minutes_approved",
                    "cancelled",
                    "postponed",
                    "scheduled",
                    "requested",
                ]);
                let start = g.ts();
                let requested = g.ts().min(start.clone());
                let conf = execute(
                    &store,
                    "INSERT INTO conference (case_id, kind, status, question, requested_by, requested_at, starts_at, \
                     created_at, updated_at) VALUES (?1, ?2, ?3, 'q', ?4, ?5, ?6, ?7, ?7)",
                    &[&case, &g.pick(&["first", "follow_up", "transition"]), &st, &lead, &requested, &start, &now],
                )
                .unwrap();
                if g.maybe(50) {
                    execute(
                        &store,
                        "INSERT INTO conference_participant (conference_id, no, role, attendance) \
                         VALUES (?1, ?2, 'young_person', 'present')",
                        &[&conf, &i64::try_from(no).unwrap()],
                    )
                    .unwrap();
                }
            }
            for _ in 0..g.below(4) {
                let kind = g.pick(&["staff", "staff", "young_person", "external"]);
                let agency = (kind == "staff").then(|| g.pick(&["jc", "ja"]));
                let cat = if g.maybe(80) {
                    Some(g.pick(&[
                        "sgb2_counselling",
                        "school",
                        "housing",
                        "sgb8_13",
                        "own_step",
                    ]))
                } else {
                    None
                };
                execute(
                    &store,
                    "INSERT INTO measure (case_id, text, responsible_kind, responsible_agency, due_on, status, \
                     category, created_at, updated_at) VALUES (?1, 't', ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    &[&case, &kind, &agency, &g.day().to_string(), &g.pick(&["open", "done", "done", "not_done", "dropped"]), &cat, &now, &g.ts()],
                )
                .unwrap();
            }
        }
    }
    for i in 0..g.below(25) {
        let sent = g.ts();
        let class = if g.maybe(70) {
            Some(g.pick(&["akut", "dringend", "nicht_akut", "keine"]))
        } else {
            None
        };
        let received = g.maybe(80).then(|| sent.clone());
        let contact = (class.is_some() && g.maybe(70)).then(|| g.ts().max(sent.clone()));
        let closed = g.maybe(50).then(|| g.ts().max(sent.clone()));
        let fb = g.pick(&["fb_open", "fb_given", "fb_not_permitted"]);
        let r = execute(
            &store,
            "INSERT INTO cp_referral (reporter_id, reporter_phone, secrecy_holder, legal_basis, urgency, facts, status, \
             sent_at, received_at, classification, contact_at, closed_at, feedback_status, feedback_at, created_at, updated_at) \
             VALUES (?1, '0', 'no', 'x', ?2, 'f', 'received', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
            &[&lead, &g.pick(&["akut", "dringend", "nicht_akut"]), &sent, &received, &class, &contact, &closed, &fb, &contact, &now],
        )
        .unwrap();
        for no in 0..=g.below(3) {
            let result = if g.maybe(70) {
                Some(g.pick(&["acute", "latent", "help_needed", "no_need"]))
            } else {
                None
            };
            execute(
                &store,
                "INSERT INTO cp_child (referral_id, no, given_names, whereabouts, result) VALUES (?1, ?2, 'K', 'w', ?3)",
                &[&r, &i64::try_from(no).unwrap(), &result],
            )
            .unwrap();
        }
        // Early help: a request in a random state, sent or not, with children.
        if g.maybe(40) {
            let sent = g.maybe(80);
            let state = if sent {
                g.pick(&[
                    "requested",
                    "taken",
                    "contacted",
                    "closed",
                    "withdrawn",
                    "converted",
                ])
            } else {
                g.pick(&["observed", "talked", "consented", "declined", "converted"])
            };
            let outcome = (state == "closed")
                .then(|| g.pick(&["accepted", "no_help", "no_contact"]).to_string());
            let sent_at = sent.then(|| g.ts());
            let contact = matches!(state, "contacted" | "closed").then(|| g.day().to_string());
            let declined = (state == "declined").then(|| g.day().to_string());
            let converted = (state == "converted").then(|| g.ts());
            let closed = (state == "closed").then(|| g.ts());
            let id = execute(
                &store,
                "INSERT INTO eh_request (requested_by, state, guide_path, parent_name, sent_at, \
                 first_contact_on, outcome, declined_on, converted_at, closed_at, created_at, updated_at) \
                 VALUES (?1, ?2, 'early_help', 'P', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
                &[&lead, &state, &sent_at, &contact, &outcome, &declined, &converted, &closed, &now],
            )
            .unwrap();
            for no in 0..=g.below(3) {
                execute(
                    &store,
                    "INSERT INTO eh_child (request_id, no, first_name, band) VALUES (?1, ?2, 'K', ?3)",
                    &[&id, &i64::try_from(no).unwrap(), &g.pick(&["0", "1-2", "3-5", "6+", "expected"])],
                )
                .unwrap();
            }
        }
        if g.maybe(40) {
            let result = if g.maybe(70) {
                Some(g.pick(&["no_action", "talk_parents", "observe", "refer"]))
            } else {
                None
            };
            execute(
                &store,
                "INSERT INTO anon_consult (case_code, requested_by, requested_at, child_age_band, summary, result, status, updated_at) \
                 VALUES (?1, ?2, ?3, '0-2', 's', ?4, 'requested', ?5)",
                &[&format!("A{i}"), &lead, &g.ts(), &result, &now],
            )
            .unwrap();
        }
    }
    (store, me)
}

/// Whether any hidden cell is determined by the printed sums: exact elimination over
/// rationals (i128) of the system "sum(parts) − total = 0", the visible counts moved to the
/// right-hand side. A hidden cell is determined when it is a pivot whose row has no other
/// unknown left.
fn determined(r: &YearReport) -> Vec<usize> {
    let hidden: Vec<usize> = (0..r.shown.len())
        .filter(|i| !matches!(r.shown[*i], Shown::Value(_)))
        .collect();
    let col = |id: usize| hidden.iter().position(|h| *h == id);
    let n = hidden.len();
    let mut rows: Vec<Vec<i128>> = Vec::new();
    for c in &r.constraints {
        let mut row = vec![0i128; n];
        let mut any = false;
        for p in &c.parts {
            if let Some(j) = col(*p) {
                row[j] += 1;
                any = true;
            }
        }
        if let Some(j) = col(c.total) {
            row[j] -= 1;
            any = true;
        }
        if any {
            rows.push(row);
        }
    }
    // Fraction-free elimination to reduced row echelon form.
    let mut pivots = Vec::new();
    let mut rank = 0;
    for j in 0..n {
        let Some(p) = (rank..rows.len()).find(|i| rows[*i][j] != 0) else {
            continue;
        };
        rows.swap(rank, p);
        for i in 0..rows.len() {
            if i != rank && rows[i][j] != 0 {
                let (a, b) = (rows[rank][j], rows[i][j]);
                let pivot_row = rows[rank].clone();
                for (x, p) in rows[i].iter_mut().zip(&pivot_row) {
                    *x = *x * a - p * b;
                }
                let g = rows[i].iter().fold(0i128, |g, x| gcd(g, x.abs()));
                if g > 1 {
                    for x in &mut rows[i] {
                        *x /= g;
                    }
                }
            }
        }
        pivots.push((rank, j));
        rank += 1;
    }
    pivots
        .into_iter()
        .filter(|(i, j)| (0..n).all(|k| k == *j || rows[*i][k] == 0))
        .map(|(_, j)| hidden[j])
        .collect()
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// "< t" cells pinned by one line: all hidden cells of a line are "< t", the total and the
/// other parts printed, and the rest is k (all 1) or k·(t−1) (all at the maximum).
fn pinned(r: &YearReport) -> Vec<usize> {
    let t = r.threshold;
    let mut out = Vec::new();
    for c in &r.constraints {
        let Shown::Value(total) = r.shown[c.total] else {
            continue;
        };
        let hidden: Vec<usize> = c
            .parts
            .iter()
            .copied()
            .filter(|p| !matches!(r.shown[*p], Shown::Value(_)))
            .collect();
        if hidden.is_empty() || !hidden.iter().all(|h| r.shown[*h] == Shown::Small) {
            continue;
        }
        let known: u64 = c
            .parts
            .iter()
            .filter_map(|p| match r.shown[*p] {
                Shown::Value(v) => Some(v),
                _ => None,
            })
            .sum();
        let rest = total.saturating_sub(known);
        let k = hidden.len() as u64;
        if rest == k || rest == k * (t - 1) {
            out.extend(hidden);
        }
    }
    out
}

/// Pure integer tokens of count lines (not followed by "%") must be 0 or ≥ t.
fn no_small_numbers(text: &str, t: u64, what: &str) {
    for line in text.lines() {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        for (i, tok) in tokens.iter().enumerate() {
            let Ok(n) = tok.parse::<u64>() else { continue };
            if tokens.get(i + 1) == Some(&"%") {
                continue;
            }
            assert!(n == 0 || n >= t, "{what}: {n} printed in {line:?}");
        }
    }
}

fn csv_cells(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ';' if !quoted => cells.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    cells.push(cur);
    cells
}

/// Every count of the JSON (objects' `count`, the matrix's cells) is 0 or at least `t`.
fn walk(v: &serde_json::Value, t: u64) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if k == "count"
                    && let Some(n) = x.as_u64()
                {
                    assert!(n == 0 || n >= t, "json count {n}");
                }
                walk(x, t);
            }
        }
        serde_json::Value::Array(a) => {
            for x in a {
                if let Some(n) = x.as_u64() {
                    // Matrix cells are counts too.
                    assert!(n == 0 || n >= t, "json matrix {n}");
                }
                walk(x, t);
            }
        }
        _ => {}
    }
}

fn check(seed: u64, threshold: u64) {
    let (store, me) = world(seed);
    let r = store
        .year_report(&me, 2026, threshold, true, &WorkCalendar::default())
        .unwrap();
    let t = r.threshold;
    for (id, shown) in r.shown.iter().enumerate() {
        let raw = r.raw(id).unwrap();
        if (1..t).contains(&raw) {
            assert_ne!(*shown, Shown::Value(raw), "cell {id} = {raw} printed");
        }
        if let Shown::Value(v) = shown {
            assert_eq!(*v, raw, "cell {id} printed wrong");
        }
    }
    // Every printed table's total is one of the sums the suppression protected.
    for s in &r.sections {
        for table in &s.tables {
            let Some(total) = table.rows.iter().find(|row| row.total) else {
                continue;
            };
            for y in 0..2 {
                let Value::Count(tid) = total.values[y] else {
                    continue;
                };
                let parts: Vec<usize> = table
                    .rows
                    .iter()
                    .filter(|row| !row.total)
                    .filter_map(|row| match row.values[y] {
                        Value::Count(id) => Some(id),
                        _ => None,
                    })
                    .collect();
                assert!(
                    r.constraints
                        .iter()
                        .any(|c| c.total == tid && c.parts == parts),
                    "{}/{}: its sum is not protected",
                    s.key,
                    table.key
                );
            }
        }
    }
    let solved = determined(&r);
    assert!(
        solved.is_empty(),
        "seed {seed}: hidden cells solvable: {solved:?}"
    );
    let pins = pinned(&r);
    assert!(
        pins.is_empty(),
        "seed {seed}: '< {t}' cells pinned: {pins:?}"
    );
    for lang in [Lang::De, Lang::En] {
        let s = Strings::get(lang);
        for width in [80, 60, 40] {
            let text = tandem::ui::report::lines(s, &r, width, true).join("\n");
            no_small_numbers(&text, t, "text");
        }
        let json = tandem::cli::report_json(s, &r);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        walk(&v["sections"], t);
        walk(&v["measures_matrix"]["rows"], t);
        walk(&v["measures_matrix"]["totals"], t);
        let csv = tandem::cli::report_csv(s, &r);
        for line in csv.trim_start_matches('\u{feff}').split("\r\n").skip(1) {
            let cells = csv_cells(line);
            if cells.len() < 6 || !(cells[3] == "Anzahl" || cells[3] == "count") {
                continue;
            }
            for v in &cells[4..6] {
                if let Ok(n) = v.parse::<u64>() {
                    assert!(n == 0 || n >= t, "csv {n} in {line:?}");
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]

    #[test]
    fn nothing_small_is_printed_and_nothing_hidden_can_be_solved(seed in any::<u64>(), t in 3u64..5) {
        check(seed, t);
    }
}

#[test]
fn fixed_worlds() {
    for seed in 0..6 {
        check(seed, 3);
    }
}
