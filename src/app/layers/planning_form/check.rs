//! The live check of the planning form (docs/domain.md 4.2 and 7): clashes of the people
//! and the room, slot warnings (holidays, weekends, outside working hours, in the past) and
//! proposals of free times, shown at the end of the form while it is typed.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};

use crate::app::App;
use crate::app::rows::{RowEditor, RowItem};
use crate::app::screens::conf::format_slot;
use crate::domain::Staff;
use crate::domain::datetime::{DateTimeProblem, parse_duration_minutes, parse_german_instant};
use crate::domain::schedule::{SlotRequest, clashes, free_slots, slot_problems};
use crate::domain::tz;
use crate::strings::conf::{ConfField, ConfStrings};

/// The result of the live check of the planning form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlotCheck {
    /// Messages: clashes and slot warnings (empty: all free).
    pub warnings: Vec<String>,
    /// Proposed free starts.
    pub slots: Vec<NaiveDateTime>,
    /// The parsed start and duration, when valid.
    pub parsed: Option<(NaiveDateTime, u32)>,
    /// The instant of the parsed start (which of two at the autumn clock change).
    pub instant: Option<DateTime<Utc>>,
    /// At the clock change (docs/domain.md 7.1): the start texts to choose from, with their
    /// labels; empty on every other day.
    pub clock: Vec<(String, String)>,
    /// The keys of the clashes shown ([`crate::domain::schedule::Clash::key`]): the store
    /// refuses a save that would clash in any other way.
    pub clash_keys: std::collections::BTreeSet<String>,
}

/// The staff ticked as participants (`p.<id>` rows) and the one chosen under "other".
pub(super) fn form_attendees(values: &BTreeMap<String, String>) -> Vec<i64> {
    let mut out: Vec<i64> = values
        .iter()
        .filter(|(k, v)| k.starts_with("p.") && v.as_str() == "1")
        .filter_map(|(k, _)| k[2..].parse().ok())
        .collect();
    if let Some(o) = values.get("other").and_then(|v| v.parse::<i64>().ok())
        && !out.contains(&o)
    {
        out.push(o);
    }
    out
}

/// Checks the form's `values` against the shared calendar.
pub(super) fn slot_check(app: &App, values: &BTreeMap<String, String>) -> SlotCheck {
    let s = app.strings.conf;
    let now = app.local_now();
    let mut check = SlotCheck::default();
    let start_text = values.get("start").map_or("", |v| v.trim());
    let duration = match values.get("duration").map_or("", |v| v.trim()) {
        "" => Ok(90),
        d => parse_duration_minutes(d),
    };
    let attendees = form_attendees(values);
    let room = values
        .get("location")
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty());
    // The wall-clock time of a start that the clock change makes invalid still picks the
    // window of the proposals.
    let mut near = None;
    let start = if start_text.is_empty() {
        None
    } else {
        match parse_german_instant(start_text, now) {
            Ok(t) => Some(t),
            Err(p) => {
                check.warnings.push((s.datetime_problem)(&p));
                check.clock = clock_choices(&p, s);
                if let DateTimeProblem::SkippedByClockChange { local, .. }
                | DateTimeProblem::TwiceByClockChange { local } = p
                {
                    near = Some(local);
                }
                None
            }
        }
    };
    if let Err(p) = &duration {
        check.warnings.push((s.datetime_problem)(p));
    }
    let minutes = duration.unwrap_or(90);
    let from = start.map(|(t, _)| t).or(near).unwrap_or(now);
    let apps = app
        .store
        .calendar_between(from - Duration::days(1), from + Duration::days(60))
        .unwrap_or_default();
    let cal = app.cp_settings.calendar();
    // The hours of every Stelle taking part (docs/casework.md § 7).
    let mut stelles: Vec<crate::domain::Agency> = attendees
        .iter()
        .filter_map(|id| {
            app.conf
                .staff
                .iter()
                .find(|x| x.id.0 == *id)
                .map(|x| x.agency)
        })
        .collect();
    stelles.sort_by_key(|a| a.code());
    stelles.dedup();
    let hours = app.conf_settings.hours_for(&stelles);
    if let Some((t, instant)) = start {
        // Real time: 90 minutes across the autumn change end at the wall-clock time 90
        // minutes later in real time, not 90 minutes later on the dial.
        let end = tz::to_local(instant + Duration::minutes(i64::from(minutes)));
        for c in clashes(t, end, &attendees, room.as_deref(), &apps, None) {
            check.clash_keys.insert(c.key());
            let what = if c.title.is_empty() {
                (s.appointment)(c.kind).to_string()
            } else {
                c.title.clone()
            };
            let when = format!(
                "{}–{}",
                c.start.format("%d.%m. %H:%M"),
                c.end.format("%H:%M")
            );
            let line = match (c.staff, &c.room) {
                (Some(id), _) => {
                    let who = app
                        .conf
                        .staff
                        .iter()
                        .find(|x| x.id.0 == id)
                        .map_or_else(|| id.to_string(), Staff::display_name);
                    (s.clash)(&who, &what, &when)
                }
                (None, Some(r)) => (s.room_clash)(r, &what, &when),
                (None, None) => continue,
            };
            if !check.warnings.contains(&line) {
                check.warnings.push(line);
            }
        }
        for p in slot_problems(t, end, now, &cal, &hours) {
            check.warnings.push((s.slot_problem)(p));
        }
        check.parsed = Some((t, minutes));
        check.instant = Some(instant);
    }
    if !check.warnings.is_empty() || start.is_none() {
        // A start in the past looks for free times from now on: its own warning says what
        // is wrong, and "no free time" would be false.
        let from = from.max(now);
        let mut req = SlotRequest::new(attendees, minutes, from, from.date() + Duration::days(42));
        req.room = room;
        check.slots = free_slots(&req, &apps, &cal, &hours, 5);
    }
    check
}

/// The start texts offered for a time the clock change makes invalid: the next valid time
/// after the spring gap, or both instants of a doubled autumn time (`MESZ`, `MEZ`).
fn clock_choices(p: &DateTimeProblem, s: &ConfStrings) -> Vec<(String, String)> {
    let f = |t: NaiveDateTime| t.format("%d.%m.%Y %H:%M").to_string();
    match p {
        DateTimeProblem::SkippedByClockChange { next, .. } => {
            vec![(f(*next), format!("{} ({})", f(*next), s.clock_choices[0]))]
        }
        DateTimeProblem::TwiceByClockChange { local } => vec![
            (
                format!("{} MESZ", f(*local)),
                format!("{} MESZ ({})", f(*local), s.clock_choices[1]),
            ),
            (
                format!("{} MEZ", f(*local)),
                format!("{} MEZ ({})", f(*local), s.clock_choices[2]),
            ),
        ],
        _ => Vec::new(),
    }
}

/// Puts the check's messages and proposals at the end of the form, keeping the focus.
pub(super) fn place_check_rows(form: &mut RowEditor, check: &SlotCheck, s: &ConfStrings) {
    let key = form.current().map(|r| r.key.clone());
    form.rows
        .retain(|r| !r.key.starts_with("check.") && r.key != "slot" && r.key != "clock");
    if check.parsed.is_some() && check.warnings.is_empty() {
        form.rows.push(RowItem::notice("check.ok", s.all_free));
    }
    for (i, w) in check.warnings.iter().enumerate() {
        form.rows
            .push(RowItem::notice(&format!("check.{i}"), &format!("⚠ {w}")));
    }
    if !check.clock.is_empty() {
        let mut opts = vec![(String::new(), "–".to_string())];
        opts.extend(check.clock.iter().cloned());
        form.rows.push(RowItem::choice(
            "clock",
            s.label(ConfField::ClockChoice),
            opts,
            "",
        ));
    }
    if !check.slots.is_empty() {
        let mut opts = vec![(String::new(), format!("– {} –", s.proposals))];
        opts.extend(
            check
                .slots
                .iter()
                .map(|t| (t.format("%d.%m.%Y %H:%M").to_string(), format_slot(s, *t))),
        );
        form.rows
            .push(RowItem::choice("slot", s.label(ConfField::Slot), opts, ""));
    } else if check.parsed.is_none() || !check.warnings.is_empty() {
        form.rows
            .push(RowItem::notice("check.none", s.no_proposals));
    }
    if let Some(k) = key {
        form.focus(&k);
    }
}
