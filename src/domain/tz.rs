//! Europe/Berlin local time. Tandem stores instants in UTC and computes deadlines and working
//! days in local time (docs/domain.md 7). The rule is the EU one in force since 1996: summer time
//! (UTC+2) from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC,
//! otherwise UTC+1. Written out here rather than pulled from a time-zone database, because it
//! is the only zone Tandem knows and the rule fits in a few lines that tests can check.

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
}
