//! The yearly report (docs/report.md): every figure of § 2 for a year and the year before,
//! computed from counts only, then suppressed as one whole (`model::report::Builder`).
//! Leads and DSBs only; the child-protection figures only where the report is asked with
//! them (docs/report.md § 4). Nothing here returns a person or a case.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use rusqlite::params;

use super::audit::{self, AuditAction, AuditEntry};
use super::{StorageError, Store, parse_ts, ts};
use crate::domain::calendar::WorkCalendar;
use crate::domain::coop::{CommitmentKind, HospitationStatus, MeasureCategory};
use crate::domain::referral::{AssessmentResult, Classification, ConsultResult, Urgency};
use crate::domain::refusal::Refusal;
use crate::domain::{ClosureReason, Role, Staff, tz};
use crate::model::report::{Builder, Chart, Label, Row, Section, Table, Value, YearReport};

/// Audit object type of a report run (the object id is the year).
pub const OBJECT_REPORT: &str = "year_report";

/// Age bands of the young people on 31.12 (docs/domain.md 3.2), and "other" for ages
/// outside 15–24.
pub const AGE_BANDS: [&str; 4] = ["15-17", "18-20", "21-24", "other"];
/// Gender codes in report order.
pub const GENDERS: [&str; 4] = ["w", "m", "d", "x"];
/// Who is responsible for a measure, in report columns.
pub const RESPONSIBLE: [&str; 4] = ["jc", "ja", "young_person", "external"];
/// Outcomes of the measures due in the year.
pub const MEASURE_OUTCOMES: [&str; 5] = ["on_time", "late", "not_done", "dropped", "open"];

/// The year's counts before suppression.
#[derive(Debug, Default, Clone)]
struct Figures {
    persons: u64,
    persons_new: u64,
    age: [u64; 4],
    gender: [u64; 4],
    parents: u64,
    opened: u64,
    closed: u64,
    duration_median: Option<f64>,
    consent: [u64; 5],
    conf_held: u64,
    conf_cancelled: u64,
    conf_postponed: u64,
    conf_yp_present: u64,
    conf_cases: u64,
    conf_wd_median: Option<f64>,
    conf_quarter: [u64; 4],
    /// (category code or "none", responsible) → count.
    measures: BTreeMap<(String, usize), u64>,
    measure_outcome: [u64; 5],
    closure: BTreeMap<String, u64>,
    transitions_due: u64,
    transitions_done: u64,
    transitions_before: u64,
    referrals: u64,
    children: u64,
    urgency: [u64; 3],
    classification: [u64; 5],
    contact_hours: [Option<f64>; 4],
    contact_n: [u64; 4],
    months: [u64; 12],
    results: [u64; 5],
    feedback: [u64; 3],
    consults: u64,
    consult_result: [u64; 5],
    /// Early help (docs/early-help.md § 10): requests sent in the year, by how they ended
    /// (accepted, no help wanted, no contact, revoked, turned into a referral, open).
    eh_sent: u64,
    eh_ended: [u64; 6],
    /// Children of the requests sent, by band (0–2, 3–5, 6+).
    eh_bands: [u64; 3],
    /// Requests with a first contact, and the median working days to it.
    eh_contacted: u64,
    eh_wd_median: Option<f64>,
    /// Refusals recorded in the year.
    eh_declined: u64,
    /// Conversions into a referral in the year.
    eh_converted: u64,
    plenary_date: Option<NaiveDate>,
    meetings: u64,
    trainings: u64,
    training_tenths: [u64; 2],
    hospitations: u64,
    hospitation_days: u64,
    jc_to_ja: u64,
    ja_to_jc: u64,
    /// Per commitment kind: (kept, total) or reached.
    commitments: Vec<(String, CommitmentKind, u64, u64)>,
}

/// Working days between two days in O(1), from a prefix count over the years around.
struct WorkDays {
    first: NaiveDate,
    prefix: Vec<u32>,
}

impl WorkDays {
    fn new(cal: &WorkCalendar, year: i32) -> WorkDays {
        let first = NaiveDate::from_ymd_opt(year - 3, 1, 1).unwrap_or(NaiveDate::MIN);
        let last = NaiveDate::from_ymd_opt(year + 2, 1, 1).unwrap_or(NaiveDate::MAX);
        let mut prefix = vec![0];
        let mut d = first;
        let mut n = 0;
        while d < last {
            if cal.is_working_day(d) {
                n += 1;
            }
            prefix.push(n);
            d = d.succ_opt().unwrap_or(last);
        }
        WorkDays { first, prefix }
    }

    /// Working days after `from` up to and including `to` (the triggering day does not
    /// count, docs/domain.md 7); none outside the covered years.
    fn after(&self, from: NaiveDate, to: NaiveDate) -> Option<u32> {
        let i = usize::try_from((from - self.first).num_days()).ok()?;
        let j = usize::try_from((to - self.first).num_days()).ok()?;
        let (a, b) = (self.prefix.get(i + 1)?, self.prefix.get(j + 1)?);
        Some(b.saturating_sub(*a))
    }
}

#[allow(clippy::cast_precision_loss)]
fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        f64::midpoint(v[n / 2 - 1], v[n / 2])
    })
}

fn local_day(s: &str) -> Option<NaiveDate> {
    parse_ts(s).map(|t| tz::to_local(t).date())
}

fn bounds(year: i32) -> (String, String, String, String) {
    let start = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MIN);
    let at = |d: NaiveDate| ts(tz::from_local(NaiveDateTime::new(d, NaiveTime::MIN)));
    (
        start(year).to_string(),
        start(year + 1).to_string(),
        at(start(year)),
        at(start(year + 1)),
    )
}

fn u(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// One cooperation case, as the report needs it (read once for both years).
#[derive(Debug)]
struct CaseRow {
    person: i64,
    birth: Option<NaiveDate>,
    gender: String,
    status: String,
    opened: String,
    closed: Option<String>,
    reason: Option<String>,
    has_child: bool,
    help_end: Option<String>,
    /// Day of the first transition conference held, when the case has a planned end.
    transition: Option<NaiveDate>,
}

/// Per person: the first opening of a case that ran at all, whether one ran in the year,
/// and whether a child is recorded in one that ran in the year.
struct P<'a> {
    first: &'a str,
    ran: bool,
    parent: bool,
    birth: Option<NaiveDate>,
    gender: &'a str,
}

/// Persons, cases, closures and transitions of `year` from the one pass over the cases
/// (docs/report.md § 2.1, 2.2, 2.6, 2.7).
#[allow(clippy::cast_precision_loss)]
fn cases_pass(f: &mut Figures, cases: &[CaseRow], year: i32, d0: &str, d1: &str) {
    let ran = |c: &CaseRow| {
        matches!(c.status.as_str(), "active" | "dormant" | "closed")
            && c.opened.as_str() < d1
            && c.closed.as_deref().is_none_or(|x| x >= d0)
    };
    let mut people: HashMap<i64, P<'_>> = HashMap::new();
    let mut days = Vec::new();
    for c in cases {
        if matches!(c.status.as_str(), "active" | "dormant" | "closed") {
            let p = people.entry(c.person).or_insert(P {
                first: &c.opened,
                ran: false,
                parent: false,
                birth: c.birth,
                gender: &c.gender,
            });
            if c.opened.as_str() < p.first {
                p.first = &c.opened;
            }
            if ran(c) {
                p.ran = true;
                p.parent |= c.has_child;
            }
        }
        if c.status != "declined" && c.opened.as_str() >= d0 && c.opened.as_str() < d1 {
            f.opened += 1;
        }
        if c.status == "closed"
            && let Some(closed) = c.closed.as_deref().filter(|x| *x >= d0 && *x < d1)
        {
            f.closed += 1;
            if let (Ok(o), Ok(cl)) = (c.opened.parse::<NaiveDate>(), closed.parse::<NaiveDate>()) {
                days.push((cl - o).num_days() as f64);
            }
            let reason = c
                .reason
                .clone()
                .filter(|r| ClosureReason::from_code(r).is_some())
                .unwrap_or_else(|| "none".to_string());
            *f.closure.entry(reason).or_default() += 1;
        }
        if let Some(end) = c.help_end.as_deref().filter(|x| *x >= d0 && *x < d1) {
            f.transitions_due += 1;
            if let Some(day) = c.transition {
                f.transitions_done += 1;
                if day.to_string().as_str() < end {
                    f.transitions_before += 1;
                }
            }
        }
    }
    f.duration_median = median(days);
    for p in people.values().filter(|p| p.ran) {
        f.persons += 1;
        if p.first >= d0 {
            f.persons_new += 1;
        }
        let age = p.birth.map_or(-1, |b| year - b.year());
        let band = match age {
            15..=17 => 0,
            18..=20 => 1,
            21..=24 => 2,
            _ => 3,
        };
        f.age[band] += 1;
        f.gender[GENDERS.iter().position(|x| *x == p.gender).unwrap_or(3)] += 1;
        if p.parent {
            f.parents += 1;
        }
    }
}

impl Store {
    /// Every cooperation case with what the report needs of it and its person, in one
    /// query (docs/report.md § 5).
    fn case_rows(&self) -> Result<Vec<CaseRow>, StorageError> {
        let mut stmt = self.conn().prepare(
            "SELECT k.young_person_id, p.birth_date, p.gender, k.status, k.opened_on, k.closed_on, \
             k.closure_reason, EXISTS (SELECT 1 FROM child x WHERE x.case_id = k.id), k.help_end, \
             CASE WHEN k.help_end IS NULL THEN NULL ELSE (SELECT min(c.starts_at) FROM conference c \
               WHERE c.case_id = k.id AND c.kind = 'transition' \
               AND c.status IN ('held', 'minutes_draft', 'minutes_approved')) END \
             FROM coop_case k JOIN young_person p ON p.id = k.young_person_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(CaseRow {
                person: r.get(0)?,
                birth: r.get::<_, String>(1)?.parse().ok(),
                gender: r.get(2)?,
                status: r.get(3)?,
                opened: r.get(4)?,
                closed: r.get(5)?,
                reason: r.get(6)?,
                has_child: r.get(7)?,
                help_end: r.get(8)?,
                transition: r
                    .get::<_, Option<String>>(9)?
                    .as_deref()
                    .and_then(local_day),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The report of `year` for `me` (a lead or a DSB; anyone else is refused and logged).
    /// `threshold` is the smallest count printed (at least 3); `cal` counts working days.
    /// Each run is an audit row (an export of statistics, no person named).
    pub fn year_report(
        &self,
        me: &Staff,
        year: i32,
        threshold: u64,
        child_protection: bool,
        cal: &WorkCalendar,
    ) -> Result<YearReport, StorageError> {
        if !me.active || !(me.has_role(Role::Lead) || me.has_role(Role::Dpo)) {
            return Err(self.refused_logged(me, OBJECT_REPORT, None, Refusal::NotAllowed));
        }
        if !(2000..=2999).contains(&year) {
            return Err(self.refused_logged(me, OBJECT_REPORT, None, Refusal::CoopInvalid));
        }
        let wd = WorkDays::new(cal, year);
        let cases = self.case_rows()?;
        let cur = self.figures(year, &wd, &cases)?;
        let prev = self.figures(year - 1, &wd, &cases)?;
        let report = build(year, threshold.max(3), child_protection, &cur, &prev);
        let now = ts(self.now());
        self.write(|tx| {
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::View, OBJECT_REPORT)
                    .by(me)
                    .object(i64::from(year)),
                &now,
            )
        })?;
        Ok(report)
    }

    #[allow(clippy::too_many_lines, clippy::cast_precision_loss)]
    fn figures(
        &self,
        year: i32,
        wd: &WorkDays,
        cases: &[CaseRow],
    ) -> Result<Figures, StorageError> {
        let c = self.conn();
        let (d0, d1, t0, t1) = bounds(year);
        let mut f = Figures::default();
        cases_pass(&mut f, cases, year, &d0, &d1);
        // Consents: asked (recorded), granted, refused, revoked, expired in the year.
        f.consent = [
            u(c.query_row(
                "SELECT count(*) FROM consent WHERE created_at >= ?1 AND created_at < ?2",
                params![t0, t1],
                |r| r.get(0),
            )?),
            u(c.query_row(
                "SELECT count(*) FROM consent WHERE status IN ('granted', 'revoked') \
                 AND signed_on >= ?1 AND signed_on < ?2",
                params![d0, d1],
                |r| r.get(0),
            )?),
            u(c.query_row(
                "SELECT count(*) FROM consent WHERE status = 'refused' \
                 AND signed_on >= ?1 AND signed_on < ?2",
                params![d0, d1],
                |r| r.get(0),
            )?),
            u(c.query_row(
                "SELECT count(*) FROM consent WHERE status = 'revoked' \
                 AND revoked_on >= ?1 AND revoked_on < ?2",
                params![d0, d1],
                |r| r.get(0),
            )?),
            u(c.query_row(
                "SELECT count(*) FROM consent WHERE status = 'granted' \
                 AND valid_until >= ?1 AND valid_until < ?2 AND valid_until < ?3",
                params![d0, d1, super::berlin_day(self.now()).to_string()],
                |r| r.get(0),
            )?),
        ];
        // Conferences by the day they took place (or were to).
        {
            let mut stmt = c.prepare(
                "SELECT c.case_id, c.status, c.requested_at, c.starts_at, \
                 EXISTS (SELECT 1 FROM conference_participant p WHERE p.conference_id = c.id \
                         AND p.role = 'young_person' AND p.attendance = 'present') \
                 FROM conference c WHERE coalesce(c.starts_at, c.requested_at) >= ?1 \
                 AND coalesce(c.starts_at, c.requested_at) < ?2",
            )?;
            let rows = stmt.query_map(params![t0, t1], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, bool>(4)?,
                ))
            })?;
            let mut cases = HashSet::new();
            let mut wds = Vec::new();
            for row in rows {
                let (case, status, requested, starts, present) = row?;
                match status.as_str() {
                    "held" | "minutes_draft" | "minutes_approved" => {
                        f.conf_held += 1;
                        cases.insert(case);
                        if present {
                            f.conf_yp_present += 1;
                        }
                        let start = starts.as_deref().and_then(local_day);
                        if let Some(s) = start {
                            f.conf_quarter[(s.month0() / 3) as usize] += 1;
                            if let Some(n) = local_day(&requested).and_then(|r| wd.after(r, s)) {
                                wds.push(f64::from(n));
                            }
                        }
                    }
                    "cancelled" => f.conf_cancelled += 1,
                    "postponed" => f.conf_postponed += 1,
                    _ => {}
                }
            }
            f.conf_cases = u64::try_from(cases.len()).unwrap_or(0);
            f.conf_wd_median = median(wds);
        }
        // Measures due in the year: category × responsible, and how they ended.
        {
            let mut stmt = c.prepare(
                "SELECT coalesce(category, 'none'), responsible_kind, responsible_agency, status, \
                 due_on, updated_at FROM measure WHERE due_on >= ?1 AND due_on < ?2",
            )?;
            let rows = stmt.query_map(params![d0, d1], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?;
            for row in rows {
                let (cat, kind, agency, status, due, updated) = row?;
                let cat = if MeasureCategory::from_code(&cat).is_some() {
                    cat
                } else {
                    "none".to_string()
                };
                let col = match (kind.as_str(), agency.as_deref()) {
                    ("staff", Some("ja")) => 1,
                    ("staff", _) => 0,
                    ("young_person", _) => 2,
                    _ => 3,
                };
                *f.measures.entry((cat, col)).or_default() += 1;
                let done_day = local_day(&updated)
                    .map(|d| d.to_string())
                    .unwrap_or_default();
                let outcome = match status.as_str() {
                    "done" if done_day <= due => 0,
                    "done" => 1,
                    "not_done" => 2,
                    "dropped" => 3,
                    _ => 4,
                };
                f.measure_outcome[outcome] += 1;
            }
        }
        // Child protection: referrals sent in the year.
        {
            let mut stmt = c.prepare(
                "SELECT r.id, r.urgency, r.classification, r.received_at, r.contact_at, r.sent_at, \
                 r.feedback_status, (SELECT count(*) FROM cp_child x WHERE x.referral_id = r.id) \
                 FROM cp_referral r WHERE r.sent_at >= ?1 AND r.sent_at < ?2",
            )?;
            let rows = stmt.query_map(params![t0, t1], |r| {
                Ok((
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, i64>(7)?,
                ))
            })?;
            let mut hours: [Vec<f64>; 4] = Default::default();
            for row in rows {
                let (urgency, class, received, contact, sent, feedback, children) = row?;
                f.referrals += 1;
                f.children += u(children);
                let ui = Urgency::ALL
                    .iter()
                    .position(|x| x.code() == urgency)
                    .unwrap_or(2);
                f.urgency[ui.min(2)] += 1;
                let ci = class
                    .as_deref()
                    .and_then(|k| Classification::ALL.iter().position(|x| x.code() == k))
                    .unwrap_or(4);
                f.classification[ci.min(4)] += 1;
                if ci < 4
                    && let (Some(a), Some(b)) = (
                        received.as_deref().and_then(parse_ts),
                        contact.as_deref().and_then(parse_ts),
                    )
                {
                    hours[ci].push((b - a).num_minutes() as f64 / 60.0);
                }
                if let Some(day) = local_day(&sent) {
                    f.months[day.month0() as usize] += 1;
                }
                let fi = match feedback.as_deref() {
                    Some("fb_given") => 0,
                    Some("fb_not_permitted") => 1,
                    _ => 2,
                };
                f.feedback[fi] += 1;
            }
            for (i, h) in hours.into_iter().enumerate() {
                f.contact_n[i] = u64::try_from(h.len()).unwrap_or(0);
                f.contact_hours[i] = median(h);
            }
        }
        // Results of the assessment, per child, in the year the referral was closed.
        {
            let mut stmt = c.prepare(
                "SELECT x.result FROM cp_child x JOIN cp_referral r ON r.id = x.referral_id \
                 WHERE r.closed_at >= ?1 AND r.closed_at < ?2",
            )?;
            let rows = stmt.query_map(params![t0, t1], |r| r.get::<_, Option<String>>(0))?;
            for row in rows {
                let i = row?
                    .and_then(|k| AssessmentResult::ALL.iter().position(|x| x.code() == k))
                    .unwrap_or(4);
                f.results[i.min(4)] += 1;
            }
        }
        // Anonymous consultations asked in the year.
        {
            let mut stmt = c.prepare(
                "SELECT result FROM anon_consult WHERE requested_at >= ?1 AND requested_at < ?2",
            )?;
            let rows = stmt.query_map(params![t0, t1], |r| r.get::<_, Option<String>>(0))?;
            for row in rows {
                f.consults += 1;
                let i = row?
                    .and_then(|k| ConsultResult::ALL.iter().position(|x| x.code() == k))
                    .unwrap_or(4);
                f.consult_result[i.min(4)] += 1;
            }
        }
        // Early help: requests sent in the year (docs/early-help.md § 10).
        {
            let mut stmt = c.prepare(
                "SELECT e.state, e.outcome, e.sent_at, e.first_contact_on, \
                 (SELECT count(*) FROM eh_child k WHERE k.request_id = e.id AND k.band IN ('0', '1-2', 'expected')), \
                 (SELECT count(*) FROM eh_child k WHERE k.request_id = e.id AND k.band = '3-5'), \
                 (SELECT count(*) FROM eh_child k WHERE k.request_id = e.id AND k.band = '6+') \
                 FROM eh_request e WHERE e.sent_at >= ?1 AND e.sent_at < ?2",
            )?;
            let rows = stmt.query_map(params![t0, t1], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    [
                        r.get::<_, i64>(4)?,
                        r.get::<_, i64>(5)?,
                        r.get::<_, i64>(6)?,
                    ],
                ))
            })?;
            let mut wds = Vec::new();
            for row in rows {
                let (state, outcome, sent, contact, bands) = row?;
                f.eh_sent += 1;
                let i = match (outcome.as_deref(), state.as_str()) {
                    (Some("accepted"), _) => 0,
                    (Some("no_help"), _) => 1,
                    (Some("no_contact"), _) => 2,
                    (_, "withdrawn") => 3,
                    (_, "converted") => 4,
                    _ => 5,
                };
                f.eh_ended[i] += 1;
                for (k, n) in bands.iter().enumerate() {
                    f.eh_bands[k] += u(*n);
                }
                let contact = contact
                    .as_deref()
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
                if let (Some(from), Some(to)) = (local_day(&sent), contact) {
                    f.eh_contacted += 1;
                    if let Some(n) = wd.after(from, to) {
                        wds.push(f64::from(n));
                    }
                }
            }
            f.eh_wd_median = median(wds);
            f.eh_declined = u(c.query_row(
                "SELECT count(*) FROM eh_request WHERE declined_on >= ?1 AND declined_on < ?2",
                params![d0, d1],
                |r| r.get(0),
            )?);
            f.eh_converted = u(c.query_row(
                "SELECT count(*) FROM eh_request WHERE converted_at >= ?1 AND converted_at < ?2",
                params![t0, t1],
                |r| r.get(0),
            )?);
        }
        // The cooperation structure.
        f.plenary_date = c
            .query_row(
                "SELECT starts_at FROM plenary WHERE year = ?1 AND status != 'planned'",
                [year],
                |r| r.get::<_, Option<String>>(0),
            )
            .ok()
            .flatten()
            .as_deref()
            .and_then(local_day);
        f.meetings = u(c.query_row(
            "SELECT count(*) FROM coop_meeting WHERE status = 'held' AND starts_at >= ?1 AND starts_at < ?2",
            params![t0, t1],
            |r| r.get(0),
        )?);
        {
            let mut stmt = c.prepare(
                "SELECT t.hours_tenths, \
                 (SELECT count(*) FROM coop_participant p JOIN staff s ON s.id = p.staff_id \
                  WHERE p.kind = 'training' AND p.record_id = t.id AND s.stelle = 'jc'), \
                 (SELECT count(*) FROM coop_participant p JOIN staff s ON s.id = p.staff_id \
                  WHERE p.kind = 'training' AND p.record_id = t.id AND s.stelle = 'ja'), t.joint \
                 FROM training t WHERE t.status = 'held' AND t.starts_at >= ?1 AND t.starts_at < ?2",
            )?;
            let rows = stmt.query_map(params![t0, t1], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, bool>(3)?,
                ))
            })?;
            let mut joint = 0;
            for row in rows {
                let (tenths, jc, ja, is_joint) = row?;
                f.trainings += 1;
                f.training_tenths[0] += u(tenths * jc);
                f.training_tenths[1] += u(tenths * ja);
                if is_joint {
                    joint += 1;
                }
            }
            let mut stmt = c.prepare(
                "SELECT home_stelle, days, status FROM hospitation WHERE from_on >= ?1 AND from_on < ?2",
            )?;
            let rows = stmt.query_map(params![d0, d1], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            for row in rows {
                let (home, days, status) = row?;
                if HospitationStatus::from_code(&status).is_some_and(HospitationStatus::took_place)
                {
                    f.hospitations += 1;
                    f.hospitation_days += u(days);
                    if home == "jc" {
                        f.jc_to_ja += 1;
                    } else {
                        f.ja_to_jc += 1;
                    }
                }
            }
            f.commitments = self.commitments_kept(year, wd, &f, joint, (&d0, &d1, &t0, &t1))?;
        }
        Ok(f)
    }

    /// How each commitment of the agreement in force on 31.12 was kept in `year`.
    fn commitments_kept(
        &self,
        year: i32,
        wd: &WorkDays,
        f: &Figures,
        joint_trainings: u64,
        (_d0, _d1, t0, t1): (&str, &str, &str, &str),
    ) -> Result<Vec<(String, CommitmentKind, u64, u64)>, StorageError> {
        let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        let Some(agreement) = self.agreement_on(dec31)? else {
            return Ok(Vec::new());
        };
        let c = self.conn();
        let mut out = Vec::new();
        for k in agreement.commitments {
            let target = u64::from(k.target);
            let within = |pairs: Vec<(String, Option<String>)>| {
                let mut kept = 0;
                let mut all = 0;
                for (a, b) in pairs {
                    all += 1;
                    let (Some(a), Some(b)) = (local_day(&a), b.as_deref().and_then(local_day))
                    else {
                        continue;
                    };
                    if wd.after(a, b).is_some_and(|n| u64::from(n) <= target) {
                        kept += 1;
                    }
                }
                (kept, all)
            };
            let pairs = |sql: &str| -> Result<Vec<(String, Option<String>)>, StorageError> {
                let mut stmt = c.prepare(sql)?;
                let rows = stmt.query_map(params![t0, t1], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<Result<_, _>>()?)
            };
            let (kept, total) = match k.kind {
                CommitmentKind::ConferenceWithin => within(pairs(
                    "SELECT requested_at, starts_at FROM conference WHERE status IN \
                     ('held', 'minutes_draft', 'minutes_approved') AND starts_at >= ?1 AND starts_at < ?2",
                )?),
                CommitmentKind::CpFeedbackWithin => within(pairs(
                    "SELECT sent_at, feedback_at FROM cp_referral WHERE sent_at >= ?1 AND sent_at < ?2 \
                     AND feedback_status IS NOT NULL",
                )?),
                CommitmentKind::CpReceiptWithin => within(pairs(
                    "SELECT sent_at, received_at FROM cp_referral WHERE sent_at >= ?1 AND sent_at < ?2",
                )?),
                CommitmentKind::PlenaryPerYear => (u64::from(f.plenary_date.is_some()), target),
                CommitmentKind::HospitationsPerYear => (f.hospitations, target),
                CommitmentKind::JointTrainingsPerYear => (joint_trainings, target),
            };
            out.push((k.text, k.kind, kept, total));
        }
        Ok(out)
    }
}

fn key(year: i32, name: &str) -> String {
    format!("{year}.{name}")
}

/// One count row for both years; `name` is the count's key, `label` its label.
fn count_row(
    b: &mut Builder,
    years: [i32; 2],
    name: &str,
    label: Label,
    values: [u64; 2],
    total: bool,
) -> (Row, [usize; 2]) {
    let ids = [
        b.count(&key(years[0], name), values[0]),
        b.count(&key(years[1], name), values[1]),
    ];
    (
        Row {
            label,
            total,
            values: [Value::Count(ids[0]), Value::Count(ids[1])],
        },
        ids,
    )
}

/// A breakdown: parts and their total (shared by its key), with the sum recorded for both
/// years so that secondary suppression covers it.
#[allow(clippy::too_many_arguments)]
fn breakdown(
    b: &mut Builder,
    years: [i32; 2],
    heading: &'static str,
    total_name: &str,
    total_label: &'static str,
    totals: [u64; 2],
    parts: &[(String, Label, [u64; 2])],
    chart: Chart,
) -> Table {
    let mut rows = Vec::new();
    let mut ids: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
    for (name, label, values) in parts {
        let (row, id) = count_row(b, years, name, label.clone(), *values, false);
        rows.push(row);
        ids[0].push(id[0]);
        ids[1].push(id[1]);
    }
    let (total_row, tid) = count_row(b, years, total_name, Label::Key(total_label), totals, true);
    rows.push(total_row);
    for y in 0..2 {
        b.sum(tid[y], std::mem::take(&mut ids[y]));
    }
    Table {
        key: heading,
        rows,
        chart,
    }
}

fn codes<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    family: &'static str,
    prefix: &str,
    values: [&[u64]; 2],
) -> Vec<(String, Label, [u64; 2])> {
    all.iter()
        .enumerate()
        .map(|(i, x)| {
            (
                format!("{prefix}.{}", code(*x)),
                Label::Code(family, code(*x).to_string()),
                [
                    values[0].get(i).copied().unwrap_or(0),
                    values[1].get(i).copied().unwrap_or(0),
                ],
            )
        })
        .collect()
}

fn plain(label: Label, values: [Value; 2]) -> Row {
    Row {
        label,
        total: false,
        values,
    }
}

#[allow(clippy::too_many_lines, clippy::cast_precision_loss)]
fn build(
    year: i32,
    threshold: u64,
    child_protection: bool,
    cur: &Figures,
    prev: &Figures,
) -> YearReport {
    let years = [year, year - 1];
    let both = |g: &dyn Fn(&Figures) -> u64| [g(cur), g(prev)];
    let mut b = Builder::new();

    // 1 Persons.
    let persons = both(&|f| f.persons);
    let new = breakdown(
        &mut b,
        years,
        "persons_new_heading",
        "persons",
        "persons_total",
        persons,
        &[
            (
                "persons.new".into(),
                Label::Key("persons_new"),
                both(&|f| f.persons_new),
            ),
            (
                "persons.continued".into(),
                Label::Key("persons_continued"),
                both(&|f| f.persons - f.persons_new),
            ),
        ],
        Chart::None,
    );
    let age = breakdown(
        &mut b,
        years,
        "age_heading",
        "persons",
        "persons_total",
        persons,
        &AGE_BANDS
            .iter()
            .enumerate()
            .map(|(i, a)| {
                (
                    format!("age.{a}"),
                    Label::Code("age", (*a).to_string()),
                    [cur.age[i], prev.age[i]],
                )
            })
            .collect::<Vec<_>>(),
        Chart::Bars,
    );
    let gender = breakdown(
        &mut b,
        years,
        "gender_heading",
        "persons",
        "persons_total",
        persons,
        &GENDERS
            .iter()
            .enumerate()
            .map(|(i, g)| {
                (
                    format!("gender.{g}"),
                    Label::Code("gender", (*g).to_string()),
                    [cur.gender[i], prev.gender[i]],
                )
            })
            .collect::<Vec<_>>(),
        Chart::Bars,
    );
    let parents = breakdown(
        &mut b,
        years,
        "parents_heading",
        "persons",
        "persons_total",
        persons,
        &[
            (
                "parents.yes".into(),
                Label::Key("parents_yes"),
                both(&|f| f.parents),
            ),
            (
                "parents.no".into(),
                Label::Key("parents_no"),
                both(&|f| f.persons - f.parents),
            ),
        ],
        Chart::None,
    );
    b.section(Section {
        key: "persons",
        tables: vec![new, age, gender, parents],
        notes: vec![],
    });

    // 2 Cases opened and closed.
    let (opened, _) = count_row(
        &mut b,
        years,
        "cases.opened",
        Label::Key("cases_opened"),
        both(&|f| f.opened),
        false,
    );
    let (closed, closed_ids) = count_row(
        &mut b,
        years,
        "cases.closed",
        Label::Key("cases_closed"),
        both(&|f| f.closed),
        false,
    );
    let duration = plain(
        Label::Key("cases_duration"),
        [
            Value::Median {
                n: closed_ids[0],
                value: cur.duration_median,
                unit: "days",
            },
            Value::Median {
                n: closed_ids[1],
                value: prev.duration_median,
                unit: "days",
            },
        ],
    );
    b.section(Section {
        key: "cases",
        tables: vec![Table {
            key: "",
            rows: vec![opened, closed, duration],
            chart: Chart::None,
        }],
        notes: vec![],
    });

    // 3 Consents (independent counts: one consent can be asked, granted and revoked).
    let consent_rows = [
        "consent_asked",
        "consent_granted",
        "consent_refused",
        "consent_revoked",
        "consent_expired",
    ]
    .iter()
    .enumerate()
    .map(|(i, k)| {
        count_row(
            &mut b,
            years,
            k,
            Label::Key(k),
            [cur.consent[i], prev.consent[i]],
            false,
        )
        .0
    })
    .collect();
    b.section(Section {
        key: "consents",
        tables: vec![Table {
            key: "",
            rows: consent_rows,
            chart: Chart::None,
        }],
        notes: vec![],
    });

    // 4 Conferences.
    let (held, held_ids) = count_row(
        &mut b,
        years,
        "conf.held",
        Label::Key("conf_held"),
        both(&|f| f.conf_held),
        false,
    );
    let (cancelled, _) = count_row(
        &mut b,
        years,
        "conf.cancelled",
        Label::Key("conf_cancelled"),
        both(&|f| f.conf_cancelled),
        false,
    );
    let (postponed, _) = count_row(
        &mut b,
        years,
        "conf.postponed",
        Label::Key("conf_postponed"),
        both(&|f| f.conf_postponed),
        false,
    );
    let present_ids = [
        b.count(&key(years[0], "conf.yp_present"), cur.conf_yp_present),
        b.count(&key(years[1], "conf.yp_present"), prev.conf_yp_present),
    ];
    let case_ids = [
        b.count(&key(years[0], "conf.cases"), cur.conf_cases),
        b.count(&key(years[1], "conf.cases"), prev.conf_cases),
    ];
    let share = plain(
        Label::Key("conf_yp_share"),
        [
            Value::Share {
                num: present_ids[0],
                den: held_ids[0],
            },
            Value::Share {
                num: present_ids[1],
                den: held_ids[1],
            },
        ],
    );
    let wd = plain(
        Label::Key("conf_wd_median"),
        [
            Value::Median {
                n: held_ids[0],
                value: cur.conf_wd_median,
                unit: "wd",
            },
            Value::Median {
                n: held_ids[1],
                value: prev.conf_wd_median,
                unit: "wd",
            },
        ],
    );
    let per_case = plain(
        Label::Key("conf_per_case"),
        [
            Value::Mean {
                num: held_ids[0],
                den: case_ids[0],
            },
            Value::Mean {
                num: held_ids[1],
                den: case_ids[1],
            },
        ],
    );
    let quarters = breakdown(
        &mut b,
        years,
        "conf_quarter_heading",
        "conf.held",
        "conf_held",
        both(&|f| f.conf_held),
        &(0..4)
            .map(|q| {
                (
                    format!("conf.q{}", q + 1),
                    Label::Code("quarter", format!("{}", q + 1)),
                    [cur.conf_quarter[q], prev.conf_quarter[q]],
                )
            })
            .collect::<Vec<_>>(),
        Chart::Spark,
    );
    b.section(Section {
        key: "conferences",
        tables: vec![
            Table {
                key: "",
                rows: vec![held, cancelled, postponed, share, wd, per_case],
                chart: Chart::None,
            },
            quarters,
        ],
        notes: vec![],
    });

    // 5 Measures: category × responsible (this year, a two-way table), outcomes beside the
    // previous year.
    let mut cats: Vec<String> = MeasureCategory::ALL
        .iter()
        .map(|c| c.code().to_string())
        .collect();
    cats.push("none".into());
    let mut matrix_rows = Vec::new();
    let mut col_parts: Vec<Vec<usize>> = vec![Vec::new(); RESPONSIBLE.len()];
    let mut row_totals = Vec::new();
    for cat in &cats {
        let cells: Vec<u64> = (0..RESPONSIBLE.len())
            .map(|i| cur.measures.get(&(cat.clone(), i)).copied().unwrap_or(0))
            .collect();
        let sum: u64 = cells.iter().sum();
        if sum == 0 && cat != "none" {
            continue;
        }
        let ids: Vec<usize> = cells
            .iter()
            .enumerate()
            .map(|(i, v)| b.count(&key(year, &format!("measure.{cat}.{}", RESPONSIBLE[i])), *v))
            .collect();
        let t = b.count(&key(year, &format!("measure.{cat}.total")), sum);
        b.sum(t, ids.clone());
        for (i, id) in ids.iter().enumerate() {
            col_parts[i].push(*id);
        }
        row_totals.push(t);
        matrix_rows.push((cat.clone(), ids, t));
    }
    let col_totals: Vec<usize> = (0..RESPONSIBLE.len())
        .map(|i| {
            let v: u64 = cats
                .iter()
                .map(|c| cur.measures.get(&(c.clone(), i)).copied().unwrap_or(0))
                .sum();
            let id = b.count(&key(year, &format!("measure.total.{}", RESPONSIBLE[i])), v);
            b.sum(id, col_parts[i].clone());
            id
        })
        .collect();
    let all_measures: u64 = cur.measures.values().sum();
    let grand = b.count(&key(year, "measures"), all_measures);
    b.sum(grand, col_totals.clone());
    b.sum(grand, row_totals);
    let matrix = crate::model::report::Matrix {
        columns: RESPONSIBLE
            .iter()
            .map(|r| Label::Code("responsible", (*r).to_string()))
            .collect(),
        rows: matrix_rows
            .into_iter()
            .map(|(cat, ids, t)| (Label::Code("category", cat), ids, t))
            .collect(),
        totals: col_totals,
        grand,
    };
    let outcomes = breakdown(
        &mut b,
        years,
        "measure_outcome_heading",
        "measures",
        "measures_total",
        [all_measures, prev.measures.values().sum()],
        &MEASURE_OUTCOMES
            .iter()
            .enumerate()
            .map(|(i, o)| {
                (
                    format!("outcome.{o}"),
                    Label::Code("outcome", (*o).to_string()),
                    [cur.measure_outcome[i], prev.measure_outcome[i]],
                )
            })
            .collect::<Vec<_>>(),
        Chart::None,
    );
    b.matrix(matrix);
    b.section(Section {
        key: "measures",
        tables: vec![outcomes],
        notes: vec!["measures_matrix_note"],
    });

    // 6 Closure reasons (their total is the cases closed).
    let mut reasons: Vec<String> = ClosureReason::ALL
        .iter()
        .map(|r| r.code().to_string())
        .collect();
    reasons.push("none".into());
    let closure = breakdown(
        &mut b,
        years,
        "",
        "cases.closed",
        "cases_closed",
        both(&|f| f.closed),
        &reasons
            .iter()
            .map(|r| {
                (
                    format!("closure.{r}"),
                    Label::Code("closure", r.clone()),
                    [
                        cur.closure.get(r).copied().unwrap_or(0),
                        prev.closure.get(r).copied().unwrap_or(0),
                    ],
                )
            })
            .collect::<Vec<_>>(),
        Chart::Bars,
    );
    b.section(Section {
        key: "closure",
        tables: vec![closure],
        notes: vec![],
    });

    // 7 Transitions.
    let (due, _) = count_row(
        &mut b,
        years,
        "trans.due",
        Label::Key("trans_due"),
        both(&|f| f.transitions_due),
        false,
    );
    let (done, done_ids) = count_row(
        &mut b,
        years,
        "trans.done",
        Label::Key("trans_done"),
        both(&|f| f.transitions_done),
        false,
    );
    let before_ids = [
        b.count(&key(years[0], "trans.before"), cur.transitions_before),
        b.count(&key(years[1], "trans.before"), prev.transitions_before),
    ];
    let before = plain(
        Label::Key("trans_before_share"),
        [
            Value::Share {
                num: before_ids[0],
                den: done_ids[0],
            },
            Value::Share {
                num: before_ids[1],
                den: done_ids[1],
            },
        ],
    );
    b.section(Section {
        key: "transitions",
        tables: vec![Table {
            key: "",
            rows: vec![due, done, before],
            chart: Chart::None,
        }],
        notes: vec!["trans_note"],
    });

    if child_protection {
        // 8 Referrals.
        let refs = both(&|f| f.referrals);
        let (children, _) = count_row(
            &mut b,
            years,
            "cp.children",
            Label::Key("cp_children"),
            both(&|f| f.children),
            false,
        );
        let urgency = breakdown(
            &mut b,
            years,
            "cp_urgency_heading",
            "cp.referrals",
            "cp_referrals",
            refs,
            &codes(
                Urgency::ALL,
                Urgency::code,
                "urgency",
                "cp.urgency",
                [&cur.urgency, &prev.urgency],
            ),
            Chart::None,
        );
        let mut class_parts = codes(
            Classification::ALL,
            Classification::code,
            "classification",
            "cp.class",
            [&cur.classification[..4], &prev.classification[..4]],
        );
        class_parts.push((
            "cp.class.none".into(),
            Label::Code("classification", "none".into()),
            [cur.classification[4], prev.classification[4]],
        ));
        let class = breakdown(
            &mut b,
            years,
            "cp_class_heading",
            "cp.referrals",
            "cp_referrals",
            refs,
            &class_parts,
            Chart::None,
        );
        let mut hours_rows = Vec::new();
        for (i, c) in Classification::ALL.iter().enumerate() {
            let n = [
                b.count(
                    &key(years[0], &format!("cp.contact_n.{}", c.code())),
                    cur.contact_n[i],
                ),
                b.count(
                    &key(years[1], &format!("cp.contact_n.{}", c.code())),
                    prev.contact_n[i],
                ),
            ];
            hours_rows.push(plain(
                Label::Code("classification", c.code().to_string()),
                [
                    Value::Median {
                        n: n[0],
                        value: cur.contact_hours[i],
                        unit: "hours",
                    },
                    Value::Median {
                        n: n[1],
                        value: prev.contact_hours[i],
                        unit: "hours",
                    },
                ],
            ));
        }
        let months = breakdown(
            &mut b,
            years,
            "cp_month_heading",
            "cp.referrals",
            "cp_referrals",
            refs,
            &(0..12)
                .map(|m| {
                    (
                        format!("cp.month.{}", m + 1),
                        Label::Code("month", format!("{}", m + 1)),
                        [cur.months[m], prev.months[m]],
                    )
                })
                .collect::<Vec<_>>(),
            Chart::Spark,
        );
        b.section(Section {
            key: "referrals",
            tables: vec![
                Table {
                    key: "",
                    rows: vec![children],
                    chart: Chart::None,
                },
                urgency,
                class,
                Table {
                    key: "cp_contact_heading",
                    rows: hours_rows,
                    chart: Chart::None,
                },
                months,
            ],
            notes: vec![],
        });
        // 9 Results per child in the year of closure.
        let mut result_parts = codes(
            AssessmentResult::ALL,
            AssessmentResult::code,
            "result",
            "cp.result",
            [&cur.results[..4], &prev.results[..4]],
        );
        result_parts.push((
            "cp.result.none".into(),
            Label::Code("result", "none".into()),
            [cur.results[4], prev.results[4]],
        ));
        let results = breakdown(
            &mut b,
            years,
            "",
            "cp.closed_children",
            "cp_closed_children",
            [cur.results.iter().sum(), prev.results.iter().sum()],
            &result_parts,
            Chart::Bars,
        );
        b.section(Section {
            key: "results",
            tables: vec![results],
            notes: vec![],
        });
        // 10 Feedback.
        let feedback = breakdown(
            &mut b,
            years,
            "",
            "cp.referrals",
            "cp_referrals",
            refs,
            &["given", "not_permitted", "open"]
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    (
                        format!("cp.feedback.{k}"),
                        Label::Code("feedback", (*k).to_string()),
                        [cur.feedback[i], prev.feedback[i]],
                    )
                })
                .collect::<Vec<_>>(),
            Chart::None,
        );
        b.section(Section {
            key: "feedback",
            tables: vec![feedback],
            notes: vec![],
        });
        // 11 Anonymous consultations.
        let mut consult_parts = codes(
            ConsultResult::ALL,
            ConsultResult::code,
            "consult",
            "consult.result",
            [&cur.consult_result[..4], &prev.consult_result[..4]],
        );
        consult_parts.push((
            "consult.result.open".into(),
            Label::Code("consult", "open".into()),
            [cur.consult_result[4], prev.consult_result[4]],
        ));
        let consults = breakdown(
            &mut b,
            years,
            "",
            "consults",
            "consults_total",
            both(&|f| f.consults),
            &consult_parts,
            Chart::None,
        );
        b.section(Section {
            key: "consults",
            tables: vec![consults],
            notes: vec![],
        });
        // 12 Early help (docs/early-help.md § 10): requests sent by how they ended, the
        // children by age band, refusals, conversions, working days to first contact.
        let ended = breakdown(
            &mut b,
            years,
            "",
            "eh.requests",
            "eh_requests",
            both(&|f| f.eh_sent),
            &[
                "accepted",
                "no_help",
                "no_contact",
                "withdrawn",
                "converted",
                "open",
            ]
            .iter()
            .enumerate()
            .map(|(i, k)| {
                (
                    format!("eh.ended.{k}"),
                    Label::Code("eh_end", (*k).to_string()),
                    [cur.eh_ended[i], prev.eh_ended[i]],
                )
            })
            .collect::<Vec<_>>(),
            Chart::Bars,
        );
        let bands = breakdown(
            &mut b,
            years,
            "eh_band_heading",
            "eh.children",
            "eh_children",
            [cur.eh_bands.iter().sum(), prev.eh_bands.iter().sum()],
            &["0-2", "3-5", "6+"]
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    (
                        format!("eh.band.{k}"),
                        Label::Code("eh_band", (*k).to_string()),
                        [cur.eh_bands[i], prev.eh_bands[i]],
                    )
                })
                .collect::<Vec<_>>(),
            Chart::None,
        );
        let (declined, _) = count_row(
            &mut b,
            years,
            "eh.declined",
            Label::Key("eh_declined"),
            both(&|f| f.eh_declined),
            false,
        );
        let (converted, _) = count_row(
            &mut b,
            years,
            "eh.converted",
            Label::Key("eh_converted"),
            both(&|f| f.eh_converted),
            false,
        );
        let (contacted, contacted_ids) = count_row(
            &mut b,
            years,
            "eh.contacted",
            Label::Key("eh_contacted"),
            both(&|f| f.eh_contacted),
            false,
        );
        let eh_wd = plain(
            Label::Key("eh_wd_median"),
            [
                Value::Median {
                    n: contacted_ids[0],
                    value: cur.eh_wd_median,
                    unit: "wd",
                },
                Value::Median {
                    n: contacted_ids[1],
                    value: prev.eh_wd_median,
                    unit: "wd",
                },
            ],
        );
        b.section(Section {
            key: "early_help",
            tables: vec![
                ended,
                bands,
                Table {
                    key: "",
                    rows: vec![declined, converted, contacted, eh_wd],
                    chart: Chart::None,
                },
            ],
            notes: vec![],
        });
    } else {
        b.section(Section {
            key: "referrals",
            tables: vec![],
            notes: vec!["cp_hidden_note"],
        });
    }

    // 13 The cooperation structure (staff, not clients: no suppression needed, but the
    // counts go through it like every other count; docs/report.md § 3).
    let plenary = plain(
        Label::Key("struct_plenary"),
        [
            Value::Date(cur.plenary_date),
            Value::Date(prev.plenary_date),
        ],
    );
    let (meetings, _) = count_row(
        &mut b,
        years,
        "struct.meetings",
        Label::Key("struct_meetings"),
        both(&|f| f.meetings),
        false,
    );
    let (trainings, _) = count_row(
        &mut b,
        years,
        "struct.trainings",
        Label::Key("struct_trainings"),
        both(&|f| f.trainings),
        false,
    );
    let hours = |f: &Figures, i: usize| f.training_tenths[i] as f64 / 10.0;
    let jc_hours = plain(
        Label::Key("struct_hours_jc"),
        [Value::Amount(hours(cur, 0)), Value::Amount(hours(prev, 0))],
    );
    let ja_hours = plain(
        Label::Key("struct_hours_ja"),
        [Value::Amount(hours(cur, 1)), Value::Amount(hours(prev, 1))],
    );
    let (hosp, _) = count_row(
        &mut b,
        years,
        "struct.hospitations",
        Label::Key("struct_hospitations"),
        both(&|f| f.hospitations),
        false,
    );
    let days = plain(
        Label::Key("struct_hospitation_days"),
        [
            Value::Amount(cur.hospitation_days as f64),
            Value::Amount(prev.hospitation_days as f64),
        ],
    );
    let (jc_ja, _) = count_row(
        &mut b,
        years,
        "struct.jc_to_ja",
        Label::Key("struct_jc_to_ja"),
        both(&|f| f.jc_to_ja),
        false,
    );
    let (ja_jc, _) = count_row(
        &mut b,
        years,
        "struct.ja_to_jc",
        Label::Key("struct_ja_to_jc"),
        both(&|f| f.ja_to_jc),
        false,
    );
    b.section(Section {
        key: "structure",
        tables: vec![Table {
            key: "",
            rows: vec![
                plenary, meetings, trainings, jc_hours, ja_hours, hosp, days, jc_ja, ja_jc,
            ],
            chart: Chart::None,
        }],
        notes: vec![],
    });

    // 14 Commitments of the agreement.
    let mut rows = Vec::new();
    for (i, (text, kind, kept, total)) in cur.commitments.iter().enumerate() {
        if kind.per_record() {
            let k = b.count(&key(year, &format!("commit.{i}.kept")), *kept);
            let t = b.count(&key(year, &format!("commit.{i}.total")), *total);
            let n = b.count(&key(year, &format!("commit.{i}.not")), total - kept);
            b.sum(t, vec![k, n]);
            rows.push(plain(
                Label::Text(text.clone()),
                [Value::Share { num: k, den: t }, Value::None],
            ));
            rows.push(Row {
                label: Label::Key("commit_kept"),
                total: false,
                values: [Value::Count(k), Value::None],
            });
            rows.push(Row {
                label: Label::Key("commit_all"),
                total: true,
                values: [Value::Count(t), Value::None],
            });
        } else {
            rows.push(plain(
                Label::Text(text.clone()),
                [Value::Reached(kept >= total), Value::None],
            ));
        }
    }
    let notes = if rows.is_empty() {
        vec!["commit_none"]
    } else {
        vec![]
    };
    b.section(Section {
        key: "commitments",
        tables: if rows.is_empty() {
            vec![]
        } else {
            vec![Table {
                key: "",
                rows,
                chart: Chart::None,
            }]
        },
        notes,
    });

    b.finish(year, threshold, child_protection)
}
