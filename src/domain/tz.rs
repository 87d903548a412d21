//! Europe/Berlin local time. Tandem stores instants in UTC and computes deadlines and working
//! days in local time (docs/domain.md 7). The rule is the EU one in force since 1996: summer time
//! (UTC+2) from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC,
//! otherwise UTC+1. Written out here rather than pulled from a time-zone database, because it
//! is the only zone Tandem knows and the rule fits in a few lines that tests can check;
//! [`resolve`] names the hour that does not exist in spring and the one that occurs twice in
//! autumn (docs/domain.md 7.1).

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};

/// The last Sunday of `month` in `year`.
fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .unwrap_or(NaiveDate::MAX);
    let mut d = first_next.pred_opt().unwrap_or(first_next);
    while d.weekday() != Weekday::Sun {
        d = d.pred_opt().unwrap_or(d);
    }
    d
}

/// The instants (UTC) at which summer time starts and ends in `year`.
pub fn summer_time(year: i32) -> (NaiveDateTime, NaiveDateTime) {
    let one = NaiveTime::from_hms_opt(1, 0, 0).unwrap_or(NaiveTime::MIN);
    (
        last_sunday(year, 3).and_time(one),
        last_sunday(year, 10).and_time(one),
    )
}

/// The offset from UTC, in hours, at the UTC instant `utc`.
pub fn offset_hours_at_utc(utc: NaiveDateTime) -> i64 {
    let (start, end) = summer_time(utc.year());
    if utc >= start && utc < end { 2 } else { 1 }
}

/// UTC instant → Berlin wall-clock time.
pub fn to_local(utc: DateTime<Utc>) -> NaiveDateTime {
    let n = utc.naive_utc();
    n + Duration::hours(offset_hours_at_utc(n))
}

/// Berlin wall-clock time → UTC instant. A time that does not exist (the hour skipped in
/// March) is read as if the clock had not yet been put forward, so 02:30 becomes 03:30 local;
/// an ambiguous time (the hour repeated in October) is read as the first, summer-time one.
pub fn from_local(local: NaiveDateTime) -> DateTime<Utc> {
    // Try summer time first so that the repeated October hour resolves to the earlier instant.
    for off in [2, 1] {
        let utc = local - Duration::hours(off);
        if offset_hours_at_utc(utc) == off {
            return Utc.from_utc_datetime(&utc);
        }
    }
    // Only the skipped March hour gets here: treat it as winter time.
    Utc.from_utc_datetime(&(local - Duration::hours(1)))
}

/// What a Berlin wall-clock time is on the clock-change days (docs/domain.md 7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wall {
    /// An ordinary time: one instant.
    Single(DateTime<Utc>),
    /// The hour skipped in March (02:00–02:59 on the last Sunday): no instant has this
    /// wall-clock time. `next` is the first valid time after the gap (03:00).
    Skipped {
        /// The first wall-clock time after the gap.
        next: NaiveDateTime,
    },
    /// The hour repeated in October (02:00–02:59 on the last Sunday): two instants, the
    /// first in summer time (MESZ, UTC+2), the second an hour later in winter time (MEZ).
    Twice {
        /// The summer-time (first) instant.
        first: DateTime<Utc>,
        /// The winter-time (second) instant.
        second: DateTime<Utc>,
    },
}

/// Resolves a Berlin wall-clock time to its instants: one, none (spring gap) or two
/// (autumn fold).
pub fn resolve(local: NaiveDateTime) -> Wall {
    let candidates: Vec<DateTime<Utc>> = [2, 1]
        .into_iter()
        .map(|off| local - Duration::hours(off))
        .filter(|utc| to_local(Utc.from_utc_datetime(utc)) == local)
        .map(|utc| Utc.from_utc_datetime(&utc))
        .collect();
    match candidates.as_slice() {
        [one] => Wall::Single(*one),
        [first, second] => Wall::Twice {
            first: *first,
            second: *second,
        },
        _ => {
            // In the gap: the clock jumped from 02:00 to 03:00 at the switch instant.
            let (start, _) = summer_time(local.year());
            Wall::Skipped {
                next: start + Duration::hours(2),
            }
        }
    }
}

/// Whether the UTC instant `utc` is the second (winter-time) one of a wall-clock time that
/// occurs twice, which a calendar's local time with a zone id cannot name (RFC 5545 3.3.5
/// reads such a time as the first one).
pub fn is_second_of_twice(utc: DateTime<Utc>) -> bool {
    matches!(resolve(to_local(utc)), Wall::Twice { second, .. } if second == utc)
}

/// Formats a UTC instant as Berlin local `TT.MM.JJJJ HH:MM`.
pub fn format_local(utc: DateTime<Utc>) -> String {
    to_local(utc).format("%d.%m.%Y %H:%M").to_string()
}

/// A stored instant (UTC, RFC 3339, as the store writes `*_at` columns) as Berlin local
/// `TT.MM.JJJJ HH:MM`; `None` when the text is no such instant.
pub fn format_stored(stored: &str) -> Option<String> {
    DateTime::parse_from_rfc3339(stored)
        .ok()
        .map(|t| format_local(t.with_timezone(&Utc)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .expect("valid")
    }

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|x| x.and_hms_opt(h, min, 0))
            .expect("valid")
    }

    #[test]
    fn switch_dates_2026_and_2027() {
        assert_eq!(
            summer_time(2026),
            (local(2026, 3, 29, 1, 0), local(2026, 10, 25, 1, 0))
        );
        assert_eq!(
            summer_time(2027),
            (local(2027, 3, 28, 1, 0), local(2027, 10, 31, 1, 0))
        );
    }

    #[test]
    fn round_trip_across_the_october_change() {
        // 24.10.2026 14:30 is summer time, 26.10.2026 14:30 winter time.
        assert_eq!(
            from_local(local(2026, 10, 24, 14, 30)),
            utc(2026, 10, 24, 12, 30)
        );
        assert_eq!(
            from_local(local(2026, 10, 26, 14, 30)),
            utc(2026, 10, 26, 13, 30)
        );
        assert_eq!(
            to_local(utc(2026, 10, 26, 13, 30)),
            local(2026, 10, 26, 14, 30)
        );
        // The repeated hour: 02:30 is read as the first (summer) one.
        assert_eq!(
            from_local(local(2026, 10, 25, 2, 30)),
            utc(2026, 10, 25, 0, 30)
        );
        assert_eq!(
            to_local(utc(2026, 10, 25, 1, 30)),
            local(2026, 10, 25, 2, 30)
        );
    }

    #[test]
    fn skipped_march_hour_is_not_lost() {
        let u = from_local(local(2026, 3, 29, 2, 30));
        assert_eq!(to_local(u), local(2026, 3, 29, 3, 30));
        assert_eq!(from_local(local(2026, 3, 29, 3, 0)), utc(2026, 3, 29, 1, 0));
    }

    #[test]
    fn four_hours_across_the_change_are_four_real_hours() {
        let start = from_local(local(2026, 10, 25, 0, 0));
        let end = start + Duration::hours(4);
        assert_eq!(to_local(end), local(2026, 10, 25, 3, 0));
    }

    #[test]
    fn the_gap_and_the_fold_are_named() {
        assert_eq!(
            resolve(local(2026, 3, 29, 2, 30)),
            Wall::Skipped {
                next: local(2026, 3, 29, 3, 0)
            }
        );
        assert_eq!(
            resolve(local(2026, 3, 29, 3, 0)),
            Wall::Single(utc(2026, 3, 29, 1, 0))
        );
        assert_eq!(
            resolve(local(2026, 3, 29, 1, 59)),
            Wall::Single(utc(2026, 3, 29, 0, 59))
        );
        assert_eq!(
            resolve(local(2026, 10, 25, 2, 30)),
            Wall::Twice {
                first: utc(2026, 10, 25, 0, 30),
                second: utc(2026, 10, 25, 1, 30)
            }
        );
        assert_eq!(
            resolve(local(2026, 10, 25, 3, 0)),
            Wall::Single(utc(2026, 10, 25, 2, 0))
        );
        assert!(is_second_of_twice(utc(2026, 10, 25, 1, 30)));
        assert!(!is_second_of_twice(utc(2026, 10, 25, 0, 30)));
    }
}
