//! The scheduling engine: appointments of staff and rooms, clash detection, slot checks
//! against the working-day calendar and working hours, and the free-slot finder.
//!
//! All times are Berlin wall-clock ([`NaiveDateTime`]), as typed and as shown; a time stays
//! what it says across the daylight-saving switches. Intervals are half-open `[start, end)`:
//! a conference ending at 14:00 does not clash with one starting at 14:00.
//!
//! Speed: [`BusyIndex`] sorts each person's and each room's appointments once and keeps the
//! running maximum of their ends, so "what overlaps `[a, b)`" is two binary searches. The slot
//! finder merges the busy intervals of the requested people and room into one sorted list and
//! sweeps it once, jumping past busy time instead of testing every candidate against every
//! appointment (60 staff with a year of appointments, about 60 000, take milliseconds).

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use serde::{Deserialize, Serialize};

use super::calendar::{Holiday, WorkCalendar};
use super::consent::coded_enum;

coded_enum!(
    /// What an appointment is; conferences and the cooperation records of later issues share
    /// one calendar.
    AppointmentKind {
        /// "Fallkonferenz".
        Conference = "conference",
        /// "Große Runde" (plenary of both agencies).
        Plenary = "plenary",
        /// "Besprechung".
        TeamMeeting = "team_meeting",
        /// "Fortbildung".
        Training = "training",
        /// "Hospitation".
        Hospitation = "hospitation",
        /// "Abwesenheit" (leave, illness, all-day ones span 00:00–24:00).
        Absence = "absence",
        /// "Sonstiger Termin".
        Other = "other",
        /// "Gemeinsamer Termin" of early help: the Jobcenter worker, the Jugendamt's contact
        /// and the parent (docs/early-help.md § 8).
        EarlyHelp = "eh_joint",
    }
);

/// An appointment in the shared calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appointment {
    /// Stable id across record types, e.g. `conf-12` (see [`conference_appointment_id`]).
    pub id: String,
    /// What it is.
    pub kind: AppointmentKind,
    /// Title as shown in the calendar.
    pub title: String,
    /// Start, Berlin wall-clock.
    pub start: NaiveDateTime,
    /// End (exclusive), Berlin wall-clock.
    pub end: NaiveDateTime,
    /// Staff ids taking part.
    pub attendees: Vec<i64>,
    /// Room, if one is booked.
    pub room: Option<String>,
}

impl Appointment {
    /// An all-day absence of one staff member from `first` to `last` (inclusive), spanning
    /// 00:00 of `first` to 24:00 of `last`.
    pub fn absence(
        id: impl Into<String>,
        staff: i64,
        first: NaiveDate,
        last: NaiveDate,
        title: impl Into<String>,
    ) -> Self {
        let end_day = last.succ_opt().unwrap_or(last);
        Appointment {
            id: id.into(),
            kind: AppointmentKind::Absence,
            title: title.into(),
            start: first.and_time(NaiveTime::MIN),
            end: end_day.and_time(NaiveTime::MIN),
            attendees: vec![staff],
            room: None,
        }
    }

    /// Whether it overlaps the half-open interval `[start, end)`.
    pub fn overlaps(&self, start: NaiveDateTime, end: NaiveDateTime) -> bool {
        self.start < end && start < self.end
    }
}

/// The calendar id of conference `id`: `conf-<id>`.
pub fn conference_appointment_id(id: i64) -> String {
    format!("conf-{id}")
}

/// Working hours per weekday (Monday first); `None` for a day without hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingHours {
    /// Opening and closing time, Monday to Sunday.
    pub days: [Option<(NaiveTime, NaiveTime)>; 7],
}

impl Default for WorkingHours {
    /// Monday to Thursday 08:00–16:00, Friday 08:00–13:00.
    fn default() -> Self {
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN);
        let long = Some((t(8), t(16)));
        WorkingHours {
            days: [long, long, long, long, Some((t(8), t(13))), None, None],
        }
    }
}

impl WorkingHours {
    /// The hours on `weekday`.
    pub fn on(&self, weekday: Weekday) -> Option<(NaiveTime, NaiveTime)> {
        self.days[weekday.num_days_from_monday() as usize].filter(|(open, close)| open < close)
    }

    /// The same hours with `weekday` changed.
    pub fn with(mut self, weekday: Weekday, hours: Option<(NaiveTime, NaiveTime)>) -> Self {
        self.days[weekday.num_days_from_monday() as usize] = hours;
        self
    }
}

/// Why a time slot is not a good conference time. Warnings for the caller to show; the
/// caller decides whether to insist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SlotProblem {
    /// The end is not after the start.
    EndNotAfterStart,
    /// The start lies in the past.
    InPast,
    /// Saturday or Sunday.
    Weekend,
    /// An NRW public holiday.
    Holiday(Holiday),
    /// A configured closure day ("Schließtag").
    ClosureDay,
    /// Not completely within the working hours of that day.
    OutsideWorkingHours,
}

/// Checks a slot against `now`, the working-day calendar and the working hours.
pub fn slot_problems(
    start: NaiveDateTime,
    end: NaiveDateTime,
    now: NaiveDateTime,
    cal: &WorkCalendar,
    hours: &WorkingHours,
) -> Vec<SlotProblem> {
    let mut out = Vec::new();
    if end <= start {
        out.push(SlotProblem::EndNotAfterStart);
    }
    if start < now {
        out.push(SlotProblem::InPast);
    }
    let day = start.date();
    let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    if weekend {
        out.push(SlotProblem::Weekend);
    }
    if let Some(h) = WorkCalendar::holiday(day) {
        out.push(SlotProblem::Holiday(h));
    }
    if cal.closed.contains(&day) {
        out.push(SlotProblem::ClosureDay);
    }
    let day_hours = hours.on(day.weekday());
    let within = day_hours
        .is_some_and(|(open, close)| start >= day.and_time(open) && end <= day.and_time(close));
    // A weekend without hours is reported as the weekend only.
    if !(within || (weekend && day_hours.is_none())) {
        out.push(SlotProblem::OutsideWorkingHours);
    }
    out
}

/// One clash: a person or a room is already booked by an overlapping appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    /// The staff member who is busy (for a person clash).
    pub staff: Option<i64>,
    /// The room that is booked (for a room clash), as spelled in the appointment.
    pub room: Option<String>,
    /// Id of the overlapping appointment.
    pub appointment_id: String,
    /// Its kind (an absence is shown without its title by the caller, if need be).
    pub kind: AppointmentKind,
    /// Its title.
    pub title: String,
    /// Its start.
    pub start: NaiveDateTime,
    /// Its end.
    pub end: NaiveDateTime,
}

impl Clash {
    /// A stable key of this clash (the appointment, and the person or room it blocks): the
    /// planning form hands the keys it showed to the store, which refuses a clash it did
    /// not show (docs/domain.md 4.2).
    pub fn key(&self) -> String {
        format!(
            "{}|{}|{}",
            self.appointment_id,
            self.staff.map_or_else(String::new, |s| s.to_string()),
            self.room.as_deref().unwrap_or_default()
        )
    }
}

/// What the slot finder looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotRequest {
    /// Staff who must all be free.
    pub attendees: Vec<i64>,
    /// Room that must be free, if any.
    pub room: Option<String>,
    /// Length of the meeting in minutes.
    pub duration_minutes: u32,
    /// Earliest start (normally now).
    pub from: NaiveDateTime,
    /// Last day of the search window (inclusive).
    pub until: NaiveDate,
    /// Grid of start times in minutes from midnight (0 means [`DEFAULT_STEP_MINUTES`]).
    pub step_minutes: u32,
    /// An appointment to disregard (the conference being moved).
    pub ignore_id: Option<String>,
}

/// Default grid of the slot finder.
pub const DEFAULT_STEP_MINUTES: u32 = 30;
/// Longest search window in days; a longer one is cut (bounds the work on odd input).
pub const MAX_WINDOW_DAYS: i64 = 3 * 366;

impl SlotRequest {
    /// A request with the default step, no room and nothing ignored.
    pub fn new(
        attendees: Vec<i64>,
        duration_minutes: u32,
        from: NaiveDateTime,
        until: NaiveDate,
    ) -> Self {
        SlotRequest {
            attendees,
            room: None,
            duration_minutes,
            from,
            until,
            step_minutes: DEFAULT_STEP_MINUTES,
            ignore_id: None,
        }
    }
}

/// One busy interval of a person or room, pointing at its appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Busy {
    start: NaiveDateTime,
    end: NaiveDateTime,
    appointment: usize,
}

/// The busy intervals of one person or room, sorted by start, with the running maximum of
/// the ends (non-decreasing, so it can be binary-searched even when a long absence hides
/// shorter appointments behind it).
#[derive(Debug, Clone, Default)]
struct Track {
    items: Vec<Busy>,
    max_end: Vec<NaiveDateTime>,
}

impl Track {
    fn finish(&mut self) {
        self.items
            .sort_unstable_by_key(|b| (b.start, b.end, b.appointment));
        self.items.dedup();
        let mut running = NaiveDateTime::MIN;
        self.max_end = self
            .items
            .iter()
            .map(|b| {
                running = running.max(b.end);
                running
            })
            .collect();
    }

    /// The intervals overlapping `[from, to)`, in start order.
    fn overlapping(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> impl Iterator<Item = &Busy> + '_ {
        let hi = self.items.partition_point(|b| b.start < to);
        let lo = self.max_end[..hi].partition_point(|m| *m <= from);
        self.items[lo..hi].iter().filter(move |b| b.end > from)
    }
}

/// Normalised room key: trimmed, lower case; `None` for no room.
fn room_key(room: &str) -> Option<String> {
    let r = room.trim().to_lowercase();
    (!r.is_empty()).then_some(r)
}

/// Appointments indexed by staff member and by room; build once, ask many times.
#[derive(Debug, Clone)]
pub struct BusyIndex<'a> {
    appointments: &'a [Appointment],
    staff: HashMap<i64, Track>,
    rooms: HashMap<String, Track>,
}

impl<'a> BusyIndex<'a> {
    /// Indexes every person and room of `appointments`. Appointments whose end is not after
    /// their start occupy no time and are left out.
    pub fn new(appointments: &'a [Appointment]) -> Self {
        Self::build(appointments, |_| true, |_| true)
    }

    /// Indexes only the given people and room (cheaper for a one-off question).
    pub fn for_keys(appointments: &'a [Appointment], staff: &[i64], room: Option<&str>) -> Self {
        let wanted: HashSet<i64> = staff.iter().copied().collect();
        let room = room.and_then(room_key);
        Self::build(
            appointments,
            |s| wanted.contains(&s),
            |r| room.as_deref() == Some(r),
        )
    }

    fn build(
        appointments: &'a [Appointment],
        want_staff: impl Fn(i64) -> bool,
        want_room: impl Fn(&str) -> bool,
    ) -> Self {
        let mut staff: HashMap<i64, Track> = HashMap::new();
        let mut rooms: HashMap<String, Track> = HashMap::new();
        for (i, a) in appointments.iter().enumerate() {
            if a.end <= a.start {
                continue;
            }
            let busy = Busy {
                start: a.start,
                end: a.end,
                appointment: i,
            };
            for s in &a.attendees {
                if want_staff(*s) {
                    staff.entry(*s).or_default().items.push(busy);
                }
            }
            if let Some(key) = a.room.as_deref().and_then(room_key)
                && want_room(&key)
            {
                rooms.entry(key).or_default().items.push(busy);
            }
        }
        for t in staff.values_mut().chain(rooms.values_mut()) {
            t.finish();
        }
        BusyIndex {
            appointments,
            staff,
            rooms,
        }
    }

    /// The tracks of the requested people (each once) and the room.
    fn tracks<'s>(
        &'s self,
        attendees: &[i64],
        room: Option<&str>,
    ) -> Vec<(Option<i64>, &'s Track)> {
        let mut seen = HashSet::new();
        let mut out: Vec<(Option<i64>, &Track)> = attendees
            .iter()
            .filter(|s| seen.insert(**s))
            .filter_map(|s| self.staff.get(s).map(|t| (Some(*s), t)))
            .collect();
        if let Some(t) = room.and_then(room_key).and_then(|k| self.rooms.get(&k)) {
            out.push((None, t));
        }
        out
    }

    fn ignored(&self, b: &Busy, ignore_id: Option<&str>) -> bool {
        ignore_id.is_some_and(|id| self.appointments[b.appointment].id == id)
    }

    /// Every clash of a candidate `[start, end)` with the appointments of `attendees` and
    /// `room`: one entry per person (in the order given) and overlapping appointment, then
    /// one per room booking, each in start order. `ignore_id` is the appointment being moved.
    pub fn clashes(
        &self,
        start: NaiveDateTime,
        end: NaiveDateTime,
        attendees: &[i64],
        room: Option<&str>,
        ignore_id: Option<&str>,
    ) -> Vec<Clash> {
        let mut out = Vec::new();
        if end <= start {
            return out;
        }
        for (staff, track) in self.tracks(attendees, room) {
            for b in track.overlapping(start, end) {
                if self.ignored(b, ignore_id) {
                    continue;
                }
                let a = &self.appointments[b.appointment];
                out.push(Clash {
                    staff,
                    room: if staff.is_none() {
                        a.room.clone()
                    } else {
                        None
                    },
                    appointment_id: a.id.clone(),
                    kind: a.kind,
                    title: a.title.clone(),
                    start: a.start,
                    end: a.end,
                });
            }
        }
        out
    }

    /// The union of the busy time of `attendees` and `room` within `[from, to)`, as sorted,
    /// disjoint intervals (touching ones merged).
    pub fn busy(
        &self,
        attendees: &[i64],
        room: Option<&str>,
        from: NaiveDateTime,
        to: NaiveDateTime,
        ignore_id: Option<&str>,
    ) -> Vec<(NaiveDateTime, NaiveDateTime)> {
        let mut all: Vec<(NaiveDateTime, NaiveDateTime)> = Vec::new();
        for (_, track) in self.tracks(attendees, room) {
            all.extend(
                track
                    .overlapping(from, to)
                    .filter(|b| !self.ignored(b, ignore_id))
                    .map(|b| (b.start, b.end)),
            );
        }
        all.sort_unstable();
        let mut merged: Vec<(NaiveDateTime, NaiveDateTime)> = Vec::with_capacity(all.len());
        for (s, e) in all {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        merged
    }

    /// The first `limit` start times, in order, at which the whole meeting fits into the
    /// working hours of a working day and nobody requested and no requested room is busy.
    /// Start times lie on the grid of `step_minutes` counted from midnight, not before
    /// `req.from`, on days up to `req.until`.
    pub fn free_slots(
        &self,
        req: &SlotRequest,
        cal: &WorkCalendar,
        hours: &WorkingHours,
        limit: usize,
    ) -> Vec<NaiveDateTime> {
        let mut out = Vec::new();
        if limit == 0 {
            return out;
        }
        let step = if req.step_minutes == 0 {
            DEFAULT_STEP_MINUTES
        } else {
            req.step_minutes
        };
        let duration = Duration::minutes(i64::from(req.duration_minutes.max(1)));
        let first_day = req.from.date();
        let last_day = req.until.min(
            first_day
                .checked_add_signed(Duration::days(MAX_WINDOW_DAYS))
                .unwrap_or(NaiveDate::MAX),
        );
        if last_day < first_day {
            return out;
        }
        let window_end = last_day
            .succ_opt()
            .unwrap_or(last_day)
            .and_time(NaiveTime::MIN);
        let busy = self.busy(
            &req.attendees,
            req.room.as_deref(),
            req.from,
            window_end,
            req.ignore_id.as_deref(),
        );
        let mut p = 0;
        let mut day = first_day;
        while day <= last_day {
            if cal.is_working_day(day)
                && let Some((open, close)) = hours.on(day.weekday())
            {
                let close = day.and_time(close);
                let mut t = align_up(day.and_time(open).max(req.from), step);
                while let Some(end) = t.checked_add_signed(duration).filter(|e| *e <= close) {
                    while p < busy.len() && busy[p].1 <= t {
                        p += 1;
                    }
                    if let Some(&(b_start, b_end)) = busy.get(p)
                        && b_start < end
                    {
                        t = align_up(b_end, step);
                        continue;
                    }
                    out.push(t);
                    if out.len() >= limit {
                        return out;
                    }
                    let Some(next) = t.checked_add_signed(Duration::minutes(i64::from(step)))
                    else {
                        break;
                    };
                    t = next;
                }
            }
            let Some(next) = day.succ_opt() else { break };
            day = next;
        }
        out
    }
}

/// The first grid point (every `step` minutes from midnight) at or after `t`.
fn align_up(t: NaiveDateTime, step: u32) -> NaiveDateTime {
    let step = i64::from(step.max(1));
    let secs = i64::from(t.num_seconds_from_midnight());
    let minutes = (secs + 59) / 60;
    let aligned = (minutes + step - 1) / step * step;
    t.date()
        .and_time(NaiveTime::MIN)
        .checked_add_signed(Duration::minutes(aligned))
        .unwrap_or(NaiveDateTime::MAX)
}

/// [`BusyIndex::clashes`] for a one-off question.
pub fn clashes(
    start: NaiveDateTime,
    end: NaiveDateTime,
    attendees: &[i64],
    room: Option<&str>,
    appointments: &[Appointment],
    ignore_id: Option<&str>,
) -> Vec<Clash> {
    BusyIndex::for_keys(appointments, attendees, room)
        .clashes(start, end, attendees, room, ignore_id)
}

/// [`BusyIndex::free_slots`] for a one-off question.
pub fn free_slots(
    req: &SlotRequest,
    appointments: &[Appointment],
    cal: &WorkCalendar,
    hours: &WorkingHours,
    limit: usize,
) -> Vec<NaiveDateTime> {
    BusyIndex::for_keys(appointments, &req.attendees, req.room.as_deref())
        .free_slots(req, cal, hours, limit)
}

/// The Monday and the Sunday of the week of `day`.
pub fn week_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let back = i64::from(day.weekday().num_days_from_monday());
    let monday = day.checked_sub_signed(Duration::days(back)).unwrap_or(day);
    let sunday = monday.checked_add_signed(Duration::days(6)).unwrap_or(day);
    (monday, sunday)
}

/// The appointments that touch the days `from..=to`, sorted by start (then end, then id).
pub fn agenda(appointments: &[Appointment], from: NaiveDate, to: NaiveDate) -> Vec<&Appointment> {
    let start = from.and_time(NaiveTime::MIN);
    let end = to
        .succ_opt()
        .map_or(NaiveDateTime::MAX, |d| d.and_time(NaiveTime::MIN));
    let mut out: Vec<&Appointment> = appointments
        .iter()
        .filter(|a| {
            a.overlaps(start, end) || (a.start == a.end && a.start >= start && a.start < end)
        })
        .collect();
    out.sort_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tz::from_local;
    use std::time::Instant;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    fn at(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, min, 0).expect("valid time")
    }

    fn appt(id: &str, start: NaiveDateTime, minutes: i64, attendees: &[i64]) -> Appointment {
        Appointment {
            id: id.into(),
            kind: AppointmentKind::Conference,
            title: format!("Termin {id}"),
            start,
            end: start + Duration::minutes(minutes),
            attendees: attendees.to_vec(),
            room: None,
        }
    }

    fn find(
        appointments: &[Appointment],
        attendees: &[i64],
        minutes: u32,
        from: NaiveDateTime,
        until: NaiveDate,
        limit: usize,
    ) -> Vec<NaiveDateTime> {
        free_slots(
            &SlotRequest::new(attendees.to_vec(), minutes, from, until),
            appointments,
            &WorkCalendar::default(),
            &WorkingHours::default(),
            limit,
        )
    }

    #[test]
    fn acceptance_a_participant_already_has_a_conference() {
        // Frau Brinkmann (7) has conf-12 on Thu 03.12.2026 14:00–15:30.
        let mut c12 = appt("conf-12", at(2026, 12, 3, 14, 0), 90, &[7, 3]);
        c12.title = "Fallkonferenz J. M.".into();
        let apps = vec![c12, appt("conf-13", at(2026, 12, 3, 9, 0), 60, &[9])];
        let found = clashes(
            at(2026, 12, 3, 14, 30),
            at(2026, 12, 3, 16, 0),
            &[8, 7],
            None,
            &apps,
            None,
        );
        assert_eq!(
            found,
            vec![Clash {
                staff: Some(7),
                room: None,
                appointment_id: "conf-12".into(),
                kind: AppointmentKind::Conference,
                title: "Fallkonferenz J. M.".into(),
                start: at(2026, 12, 3, 14, 0),
                end: at(2026, 12, 3, 15, 30),
            }]
        );
        // Both 7 and 3 are in conf-12: one entry each.
        let both = clashes(
            at(2026, 12, 3, 15, 0),
            at(2026, 12, 3, 15, 30),
            &[3, 7, 7],
            None,
            &apps,
            None,
        );
        assert_eq!(
            both.iter().map(|c| c.staff).collect::<Vec<_>>(),
            vec![Some(3), Some(7)]
        );
        // Back to back is no clash; moving conf-12 itself is no clash either.
        assert!(
            clashes(
                at(2026, 12, 3, 15, 30),
                at(2026, 12, 3, 16, 0),
                &[7],
                None,
                &apps,
                None
            )
            .is_empty()
        );
        assert!(
            clashes(
                at(2026, 12, 3, 14, 30),
                at(2026, 12, 3, 15, 0),
                &[7],
                None,
                &apps,
                Some("conf-12")
            )
            .is_empty()
        );
        // The next free hours skip it; a slot must end by 16:00 (so not 15:30), then Friday.
        assert_eq!(
            find(
                &apps,
                &[7, 8],
                60,
                at(2026, 12, 3, 13, 0),
                d(2026, 12, 31),
                3
            ),
            vec![
                at(2026, 12, 3, 13, 0),
                at(2026, 12, 4, 8, 0),
                at(2026, 12, 4, 8, 30)
            ]
        );
        // Moving conf-12: its own time is free for it.
        let mut req = SlotRequest::new(vec![7], 60, at(2026, 12, 3, 14, 0), d(2026, 12, 3));
        req.ignore_id = Some("conf-12".into());
        assert_eq!(
            free_slots(
                &req,
                &apps,
                &WorkCalendar::default(),
                &WorkingHours::default(),
                1
            ),
            vec![at(2026, 12, 3, 14, 0)]
        );
    }

    #[test]
    fn rooms_clash_regardless_of_spelling() {
        let mut a = appt("team-1", at(2026, 12, 3, 10, 0), 60, &[1]);
        a.room = Some("Raum 2.14".into());
        let apps = vec![a];
        let found = clashes(
            at(2026, 12, 3, 10, 30),
            at(2026, 12, 3, 11, 30),
            &[2],
            Some(" raum 2.14 "),
            &apps,
            None,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].staff, None);
        assert_eq!(found[0].room.as_deref(), Some("Raum 2.14"));
        assert!(
            clashes(
                at(2026, 12, 3, 10, 30),
                at(2026, 12, 3, 11, 30),
                &[2],
                Some("Raum 1"),
                &apps,
                None
            )
            .is_empty()
        );
        let mut req = SlotRequest::new(vec![2], 60, at(2026, 12, 3, 9, 0), d(2026, 12, 3));
        req.room = Some("RAUM 2.14".into());
        let slots = free_slots(
            &req,
            &apps,
            &WorkCalendar::default(),
            &WorkingHours::default(),
            2,
        );
        assert_eq!(slots, vec![at(2026, 12, 3, 9, 0), at(2026, 12, 3, 11, 0)]);
    }

    #[test]
    fn absences_block_whole_days() {
        // Absent Mon 07.12.–Wed 09.12.2026, recorded as one appointment starting before
        // the window; a short appointment hidden behind it must not confuse the index.
        let apps = vec![
            Appointment::absence("abs-1", 5, d(2026, 12, 7), d(2026, 12, 9), "Urlaub"),
            appt("x", at(2026, 12, 8, 9, 0), 30, &[5]),
        ];
        assert_eq!(apps[0].end, at(2026, 12, 10, 0, 0));
        assert_eq!(
            find(&apps, &[5], 60, at(2026, 12, 8, 8, 0), d(2026, 12, 31), 1),
            vec![at(2026, 12, 10, 8, 0)]
        );
        let found = clashes(
            at(2026, 12, 9, 15, 0),
            at(2026, 12, 9, 16, 0),
            &[5],
            None,
            &apps,
            None,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, AppointmentKind::Absence);
        let index = BusyIndex::new(&apps);
        assert_eq!(
            index
                .clashes(
                    at(2026, 12, 8, 8, 45),
                    at(2026, 12, 8, 9, 15),
                    &[5],
                    None,
                    None
                )
                .len(),
            2
        );
    }

    #[test]
    fn holidays_and_closure_days_are_skipped() {
        let none: Vec<Appointment> = Vec::new();
        // Fronleichnam Thu 04.06.2026.
        assert_eq!(
            find(&none, &[1], 60, at(2026, 6, 3, 15, 0), d(2026, 6, 30), 2),
            vec![at(2026, 6, 3, 15, 0), at(2026, 6, 5, 8, 0)]
        );
        // Karfreitag 03.04. and Ostermontag 06.04.2026.
        assert_eq!(
            find(&none, &[1], 30, at(2026, 4, 2, 15, 30), d(2026, 4, 30), 2),
            vec![at(2026, 4, 2, 15, 30), at(2026, 4, 7, 8, 0)]
        );
        // Christmas: Thu 24.12. is a working day unless closed; 25.12. and 26.12. are not.
        let slots = find(&none, &[1], 480, at(2026, 12, 23, 9, 0), d(2027, 1, 8), 5);
        assert_eq!(
            slots,
            vec![
                at(2026, 12, 24, 8, 0),
                at(2026, 12, 28, 8, 0),
                at(2026, 12, 29, 8, 0),
                at(2026, 12, 30, 8, 0),
                at(2026, 12, 31, 8, 0),
            ]
        );
        let closed = WorkCalendar {
            closed: vec![d(2026, 12, 24), d(2026, 12, 31)],
        };
        let req = SlotRequest::new(vec![1], 480, at(2026, 12, 23, 9, 0), d(2027, 1, 8));
        assert_eq!(
            free_slots(&req, &none, &closed, &WorkingHours::default(), 4),
            vec![
                at(2026, 12, 28, 8, 0),
                at(2026, 12, 29, 8, 0),
                at(2026, 12, 30, 8, 0),
                at(2027, 1, 4, 8, 0),
            ]
        );
    }

    #[test]
    fn slot_problems_name_the_reason() {
        let cal = WorkCalendar {
            closed: vec![d(2026, 12, 24)],
        };
        let hours = WorkingHours::default();
        let now = at(2026, 5, 1, 12, 0);
        let check = |s, e| slot_problems(s, e, now, &cal, &hours);
        assert!(check(at(2026, 12, 3, 14, 0), at(2026, 12, 3, 16, 0)).is_empty());
        assert_eq!(
            check(at(2026, 10, 3, 10, 0), at(2026, 10, 3, 11, 0)),
            vec![
                SlotProblem::Weekend,
                SlotProblem::Holiday(Holiday::GermanUnity)
            ]
        );
        assert_eq!(
            check(at(2026, 6, 4, 10, 0), at(2026, 6, 4, 11, 0)),
            vec![SlotProblem::Holiday(Holiday::CorpusChristi)]
        );
        assert_eq!(
            check(at(2026, 12, 24, 10, 0), at(2026, 12, 24, 11, 0)),
            vec![SlotProblem::ClosureDay]
        );
        // Friday until 13:00 only; the whole slot must fit.
        assert_eq!(
            check(at(2026, 12, 4, 12, 30), at(2026, 12, 4, 13, 30)),
            vec![SlotProblem::OutsideWorkingHours]
        );
        assert_eq!(
            check(at(2026, 12, 3, 7, 30), at(2026, 12, 3, 8, 30)),
            vec![SlotProblem::OutsideWorkingHours]
        );
        assert_eq!(
            check(at(2026, 4, 30, 10, 0), at(2026, 4, 30, 10, 0)),
            vec![SlotProblem::EndNotAfterStart, SlotProblem::InPast]
        );
        // Spanning midnight is outside working hours.
        assert_eq!(
            check(at(2026, 12, 3, 15, 0), at(2026, 12, 4, 9, 0)),
            vec![SlotProblem::OutsideWorkingHours]
        );
        // A weekday configured without hours.
        let no_wednesday = WorkingHours::default().with(Weekday::Wed, None);
        assert_eq!(
            slot_problems(
                at(2026, 12, 2, 10, 0),
                at(2026, 12, 2, 11, 0),
                now,
                &cal,
                &no_wednesday
            ),
            vec![SlotProblem::OutsideWorkingHours]
        );
    }

    #[test]
    fn friday_short_hours_and_fitting_before_closing() {
        let none: Vec<Appointment> = Vec::new();
        assert_eq!(
            find(&none, &[1], 60, at(2026, 12, 4, 11, 10), d(2026, 12, 31), 3),
            vec![
                at(2026, 12, 4, 11, 30),
                at(2026, 12, 4, 12, 0),
                at(2026, 12, 7, 8, 0)
            ]
        );
        // 90 minutes on Thursday from 14:00: 14:00 and 14:30 fit, 15:00 does not.
        assert_eq!(
            find(&none, &[1], 90, at(2026, 12, 3, 14, 0), d(2026, 12, 3), 10),
            vec![at(2026, 12, 3, 14, 0), at(2026, 12, 3, 14, 30)]
        );
        // A window that ends before it starts, or a limit of zero, finds nothing.
        assert!(find(&none, &[1], 60, at(2026, 12, 3, 9, 0), d(2026, 12, 2), 5).is_empty());
        assert!(find(&none, &[1], 60, at(2026, 12, 3, 9, 0), d(2026, 12, 3), 0).is_empty());
    }

    #[test]
    fn multi_day_window_with_busy_people_and_limit() {
        // 1 is busy Mon 07.12. 08:00–12:00, 2 Mon 12:00–16:00 and Tue 08:00–09:30.
        let apps = vec![
            appt("a", at(2026, 12, 7, 8, 0), 240, &[1]),
            appt("b", at(2026, 12, 7, 12, 0), 240, &[2]),
            appt("c", at(2026, 12, 8, 8, 0), 90, &[2, 4]),
            appt("d", at(2026, 12, 8, 11, 0), 60, &[3]),
        ];
        let slots = find(
            &apps,
            &[1, 2],
            60,
            at(2026, 12, 7, 0, 0),
            d(2026, 12, 11),
            4,
        );
        assert_eq!(
            slots,
            vec![
                at(2026, 12, 8, 9, 30),
                at(2026, 12, 8, 10, 0),
                at(2026, 12, 8, 10, 30),
                at(2026, 12, 8, 11, 0),
            ]
        );
        // A 45-minute step relative to midnight: 08:15 is on the grid (495 = 11 × 45).
        let mut req = SlotRequest::new(vec![1, 2], 60, at(2026, 12, 8, 8, 0), d(2026, 12, 8));
        req.step_minutes = 45;
        let slots = free_slots(
            &req,
            &apps,
            &WorkCalendar::default(),
            &WorkingHours::default(),
            3,
        );
        assert_eq!(
            slots,
            vec![
                at(2026, 12, 8, 9, 45),
                at(2026, 12, 8, 10, 30),
                at(2026, 12, 8, 11, 15)
            ]
        );
        let all = find(
            &apps,
            &[1, 2],
            60,
            at(2026, 12, 7, 0, 0),
            d(2026, 12, 11),
            1000,
        );
        // Tue 09:30–15:00 (12), Wed and Thu 08:00–15:00 (15 each), Fri 08:00–12:00 (9).
        assert_eq!(all.len(), 12 + 15 + 15 + 9);
    }

    #[test]
    fn wall_clock_times_stay_across_the_october_change() {
        // Summer time ends Sun 25.10.2026. An appointment typed for Mon 08:30–09:30 blocks
        // exactly that wall-clock time, and the slots on both sides follow local hours.
        let apps = vec![appt("m", at(2026, 10, 26, 8, 30), 60, &[1])];
        let slots = find(
            &apps,
            &[1],
            30,
            at(2026, 10, 23, 12, 0),
            d(2026, 10, 26),
            20,
        );
        assert_eq!(
            slots,
            vec![
                at(2026, 10, 23, 12, 0),
                at(2026, 10, 23, 12, 30),
                at(2026, 10, 26, 8, 0),
                at(2026, 10, 26, 9, 30),
                at(2026, 10, 26, 10, 0),
                at(2026, 10, 26, 10, 30),
                at(2026, 10, 26, 11, 0),
                at(2026, 10, 26, 11, 30),
                at(2026, 10, 26, 12, 0),
                at(2026, 10, 26, 12, 30),
                at(2026, 10, 26, 13, 0),
                at(2026, 10, 26, 13, 30),
                at(2026, 10, 26, 14, 0),
                at(2026, 10, 26, 14, 30),
                at(2026, 10, 26, 15, 0),
                at(2026, 10, 26, 15, 30),
            ]
        );
        // The same wall-clock hour is a different UTC hour on either side.
        assert_eq!(
            from_local(at(2026, 10, 23, 12, 0))
                .format("%H:%M")
                .to_string(),
            "10:00"
        );
        assert_eq!(
            from_local(at(2026, 10, 26, 8, 0))
                .format("%H:%M")
                .to_string(),
            "07:00"
        );
    }

    #[test]
    fn week_and_agenda() {
        assert_eq!(week_of(d(2026, 12, 3)), (d(2026, 11, 30), d(2026, 12, 6)));
        assert_eq!(week_of(d(2026, 11, 30)), (d(2026, 11, 30), d(2026, 12, 6)));
        assert_eq!(week_of(d(2026, 12, 6)), (d(2026, 11, 30), d(2026, 12, 6)));
        assert_eq!(week_of(d(2027, 1, 1)), (d(2026, 12, 28), d(2027, 1, 3)));
        let apps = vec![
            appt("late", at(2026, 12, 4, 10, 0), 60, &[1]),
            appt("early", at(2026, 12, 1, 10, 0), 60, &[1]),
            appt("next-week", at(2026, 12, 7, 0, 0), 60, &[1]),
            appt("prev-week", at(2026, 11, 29, 23, 0), 60, &[1]),
            Appointment::absence("abs", 2, d(2026, 11, 20), d(2026, 11, 30), "krank"),
            appt("same-start", at(2026, 12, 1, 10, 0), 30, &[2]),
        ];
        let (mon, sun) = week_of(d(2026, 12, 3));
        let ids: Vec<&str> = agenda(&apps, mon, sun)
            .iter()
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(ids, vec!["abs", "same-start", "early", "late"]);
    }

    /// Deterministic pseudo-random numbers for the tests (no extra crates).
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    /// A year of appointments for `staff` people: about four a working day each, some
    /// absences, some rooms.
    fn year_of_appointments(staff: i64, seed: u64) -> Vec<Appointment> {
        let cal = WorkCalendar::default();
        let mut rng = Lcg(seed);
        let mut out = Vec::new();
        let mut day = d(2026, 1, 1);
        let mut n = 0;
        while day <= d(2026, 12, 31) {
            if cal.is_working_day(day) {
                for s in 1..=staff {
                    if rng.next(100) == 0 {
                        out.push(Appointment::absence(
                            format!("abs-{n}"),
                            s,
                            day,
                            day + Duration::days(i64::try_from(rng.next(5)).expect("small")),
                            "Urlaub",
                        ));
                        n += 1;
                        continue;
                    }
                    for _ in 0..4 {
                        let minute = i64::try_from(rng.next(32) * 15).expect("small");
                        let len = i64::try_from(15 + rng.next(8) * 15).expect("small");
                        let start = day.and_time(NaiveTime::MIN) + Duration::minutes(420 + minute);
                        let mut a = appt(&format!("a-{n}"), start, len, &[s]);
                        if rng.next(3) == 0 {
                            a.attendees
                                .push(1 + i64::try_from(rng.next(60)).expect("small"));
                        }
                        if rng.next(10) == 0 {
                            a.room = Some(format!("Raum {}", rng.next(5)));
                        }
                        out.push(a);
                        n += 1;
                    }
                }
            }
            day = day.succ_opt().expect("date");
        }
        out
    }

    /// The obvious, slow finder: every grid point against every appointment.
    fn naive_free_slots(
        req: &SlotRequest,
        apps: &[Appointment],
        cal: &WorkCalendar,
        hours: &WorkingHours,
        limit: usize,
    ) -> Vec<NaiveDateTime> {
        // Only the appointments touching the window, so the test stays quick.
        let window = (
            req.from.date().and_time(NaiveTime::MIN),
            req.until.succ_opt().expect("date").and_time(NaiveTime::MIN),
        );
        let apps: Vec<&Appointment> = apps
            .iter()
            .filter(|a| a.overlaps(window.0, window.1))
            .collect();
        let mut out = Vec::new();
        let mut day = req.from.date();
        while day <= req.until && out.len() < limit {
            if cal.is_working_day(day)
                && let Some((open, close)) = hours.on(day.weekday())
            {
                let mut t = day.and_time(NaiveTime::MIN);
                while t.date() == day && out.len() < limit {
                    let end = t + Duration::minutes(i64::from(req.duration_minutes));
                    let wanted_room = req.room.as_deref().and_then(room_key);
                    let busy = apps.iter().any(|a| {
                        let person = a.attendees.iter().any(|s| req.attendees.contains(s));
                        let room = wanted_room.is_some()
                            && a.room.as_deref().and_then(room_key) == wanted_room;
                        a.end > a.start && a.overlaps(t, end) && (person || room)
                    });
                    if t >= req.from
                        && t >= day.and_time(open)
                        && end <= day.and_time(close)
                        && !busy
                    {
                        out.push(t);
                    }
                    t += Duration::minutes(i64::from(req.step_minutes));
                }
            }
            day = day.succ_opt().expect("date");
        }
        out
    }

    #[test]
    fn the_fast_finder_agrees_with_the_naive_one() {
        let apps = year_of_appointments(8, 7);
        let cal = WorkCalendar {
            closed: vec![d(2026, 12, 24), d(2026, 12, 31)],
        };
        let hours = WorkingHours::default();
        let index = BusyIndex::new(&apps);
        let mut rng = Lcg(99);
        let mut found = 0;
        for round in 0..40 {
            let a = 1 + i64::try_from(rng.next(8)).expect("small");
            let b = 1 + i64::try_from(rng.next(8)).expect("small");
            let from = d(2026, 1, 1) + Duration::days(i64::try_from(rng.next(330)).expect("small"));
            let mut req = SlotRequest::new(
                vec![a, b],
                u32::try_from(15 + rng.next(6) * 15).expect("small"),
                from.and_hms_opt(u32::try_from(rng.next(18)).expect("small"), 0, 0)
                    .expect("time"),
                from + Duration::days(20),
            );
            if round % 3 == 0 {
                req.room = Some(format!("raum {}", rng.next(5)));
            }
            let fast = index.free_slots(&req, &cal, &hours, 25);
            let naive = naive_free_slots(&req, &apps, &cal, &hours, 25);
            assert_eq!(fast, naive, "round {round}: {req:?}");
            found += fast.len();
            assert_eq!(free_slots(&req, &apps, &cal, &hours, 25), naive);
            for t in &fast {
                let end = *t + Duration::minutes(i64::from(req.duration_minutes));
                assert!(
                    index
                        .clashes(*t, end, &req.attendees, req.room.as_deref(), None)
                        .is_empty()
                );
            }
        }
        assert!(found > 200, "{found}");
    }

    #[test]
    fn sixty_staff_and_a_year_of_appointments_are_fast() {
        let apps = year_of_appointments(60, 42);
        assert!(apps.len() > 55_000, "{}", apps.len());
        let cal = WorkCalendar::default();
        let hours = WorkingHours::default();
        let started = Instant::now();
        let index = BusyIndex::new(&apps);
        let mut total = 0;
        for k in 0..20 {
            let req = SlotRequest::new(
                vec![k + 1, k + 2, k + 3, k + 20, k + 40],
                90,
                at(2026, 1, 5, 8, 0),
                d(2026, 12, 31),
            );
            total += index.free_slots(&req, &cal, &hours, 10).len();
            total += index.free_slots(&req, &cal, &hours, 100_000).len();
            total += index
                .clashes(
                    at(2026, 6, 10, 10, 0),
                    at(2026, 6, 10, 11, 30),
                    &req.attendees,
                    Some("Raum 1"),
                    None,
                )
                .len();
        }
        // The one-off wrapper indexes only the people asked for.
        let req = SlotRequest::new(vec![1, 2, 3], 60, at(2026, 1, 5, 8, 0), d(2026, 12, 31));
        total += free_slots(&req, &apps, &cal, &hours, 50).len();
        let elapsed = started.elapsed();
        assert!(total > 0);
        // Generous even for a debug build on a busy 2-core machine; the naive way takes
        // minutes here.
        assert!(elapsed.as_secs() < 20, "{elapsed:?}");
    }
}
