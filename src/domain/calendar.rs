//! Working days in Nordrhein-Westfalen (docs/domain.md 7): public holidays (Easter by the
//! Gregorian computus), weekends, configured closure days, and deadlines counted in working
//! days or in calendar hours. Used by conferences (slot finder) and referrals (deadlines).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};

/// The public holidays of NRW, as docs/domain.md 7 lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holiday {
    /// "Neujahr".
    NewYear,
    /// "Karfreitag".
    GoodFriday,
    /// "Ostermontag".
    EasterMonday,
    /// "Tag der Arbeit (1. Mai)".
    LabourDay,
    /// "Christi Himmelfahrt".
    Ascension,
    /// "Pfingstmontag".
    WhitMonday,
    /// "Fronleichnam".
    CorpusChristi,
    /// "Tag der Deutschen Einheit".
    GermanUnity,
    /// "Allerheiligen".
    AllSaints,
    /// "1. Weihnachtstag".
    Christmas,
    /// "2. Weihnachtstag".
    BoxingDay,
}

/// Easter Sunday of `year` (Gregorian computus, anonymous algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(
        year,
        u32::try_from(month).unwrap_or(4),
        u32::try_from(day).unwrap_or(1),
    )
    .unwrap_or(NaiveDate::MIN)
}

/// The NRW public holidays of `year` with their dates.
pub fn holidays(year: i32) -> Vec<(NaiveDate, Holiday)> {
    let easter = easter_sunday(year);
    let fixed = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).unwrap_or(NaiveDate::MIN);
    vec![
        (fixed(1, 1), Holiday::NewYear),
        (easter - Duration::days(2), Holiday::GoodFriday),
        (easter + Duration::days(1), Holiday::EasterMonday),
        (fixed(5, 1), Holiday::LabourDay),
        (easter + Duration::days(39), Holiday::Ascension),
        (easter + Duration::days(50), Holiday::WhitMonday),
        (easter + Duration::days(60), Holiday::CorpusChristi),
        (fixed(10, 3), Holiday::GermanUnity),
        (fixed(11, 1), Holiday::AllSaints),
        (fixed(12, 25), Holiday::Christmas),
        (fixed(12, 26), Holiday::BoxingDay),
    ]
}

/// The working-day calendar of one agency: NRW holidays plus its closure days
/// ("Schließtage") and one-off extra holidays from the configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    /// Closure days and extra holidays.
    pub closed: Vec<NaiveDate>,
}

impl WorkCalendar {
    /// The public holiday on `day`, if any.
    pub fn holiday(day: NaiveDate) -> Option<Holiday> {
        holidays(day.year())
            .into_iter()
            .find(|(d, _)| *d == day)
            .map(|(_, h)| h)
    }

    /// Whether `day` is a working day: Monday to Friday, no holiday, no closure day.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
            && WorkCalendar::holiday(day).is_none()
            && !self.closed.contains(&day)
    }

    /// The `n`-th working day after `start` (the triggering day does not count); the
    /// deadline ends at 24:00 of that day.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        let mut left = n;
        // Bounded: n working days never need more than n weeks plus the holidays between.
        for _ in 0..(u64::from(n) * 7 + 60) {
            if left == 0 {
                break;
            }
            day = day.succ_opt().unwrap_or(day);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// A statutory deadline ending on a weekend, holiday or closure day moves to the next
    /// working day (§ 26 SGB X).
    pub fn roll_forward(&self, day: NaiveDate) -> NaiveDate {
        let mut d = day;
        for _ in 0..60 {
            if self.is_working_day(d) {
                break;
            }
            d = d.succ_opt().unwrap_or(d);
        }
        d
    }

    /// A deadline in calendar hours: it runs through nights, weekends and holidays
    /// ("children are not safer on Sundays").
    pub fn add_hours(start: NaiveDateTime, hours: u32) -> NaiveDateTime {
        start + Duration::hours(i64::from(hours))
    }

    /// The working days in `from..=to`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d <= to {
            if self.is_working_day(d) {
                n += 1;
            }
            let Some(next) = d.succ_opt() else { break };
            d = next;
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn easter_dates_of_the_domain_guide() {
        assert_eq!(easter_sunday(2025), d(2025, 4, 20));
        assert_eq!(easter_sunday(2026), d(2026, 4, 5));
        assert_eq!(easter_sunday(2027), d(2027, 3, 28));
        assert_eq!(easter_sunday(2028), d(2028, 4, 16));
    }

    #[test]
    fn holiday_table_2026_and_2027() {
        let expect_2026 = [
            (d(2026, 1, 1), Holiday::NewYear),
            (d(2026, 4, 3), Holiday::GoodFriday),
            (d(2026, 4, 6), Holiday::EasterMonday),
            (d(2026, 5, 1), Holiday::LabourDay),
            (d(2026, 5, 14), Holiday::Ascension),
            (d(2026, 5, 25), Holiday::WhitMonday),
            (d(2026, 6, 4), Holiday::CorpusChristi),
            (d(2026, 10, 3), Holiday::GermanUnity),
            (d(2026, 11, 1), Holiday::AllSaints),
            (d(2026, 12, 25), Holiday::Christmas),
            (d(2026, 12, 26), Holiday::BoxingDay),
        ];
        assert_eq!(holidays(2026), expect_2026);
        let y27 = holidays(2027);
        assert!(y27.contains(&(d(2027, 3, 26), Holiday::GoodFriday)));
        assert!(y27.contains(&(d(2027, 3, 29), Holiday::EasterMonday)));
        assert!(y27.contains(&(d(2027, 5, 6), Holiday::Ascension)));
        assert!(y27.contains(&(d(2027, 5, 17), Holiday::WhitMonday)));
        assert!(y27.contains(&(d(2027, 5, 27), Holiday::CorpusChristi)));
        // Not holidays in NRW.
        for day in [d(2026, 1, 6), d(2026, 10, 31), d(2026, 11, 18)] {
            assert_eq!(WorkCalendar::holiday(day), None, "{day}");
        }
    }

    #[test]
    fn working_day_vectors_of_the_domain_guide() {
        let cal = WorkCalendar::default();
        assert_eq!(cal.add_working_days(d(2026, 4, 2), 10), d(2026, 4, 20));
        assert_eq!(cal.add_working_days(d(2026, 5, 13), 5), d(2026, 5, 21));
        assert_eq!(cal.add_working_days(d(2026, 12, 21), 10), d(2027, 1, 6));
        let closed = WorkCalendar {
            closed: vec![d(2026, 12, 24), d(2026, 12, 31)],
        };
        assert_eq!(closed.add_working_days(d(2026, 12, 21), 10), d(2027, 1, 8));
        // "dringend" received Thu 24.12.2026 15:00: contact due Sun 27.12.2026 15:00.
        let received = d(2026, 12, 24).and_hms_opt(15, 0, 0).expect("time");
        assert_eq!(
            WorkCalendar::add_hours(received, 72),
            d(2026, 12, 27).and_hms_opt(15, 0, 0).expect("time")
        );
        // A nicht-akut referral received Thu 30.04.2026, before 1 May: one working day
        // later is Mon 04.05.2026.
        assert_eq!(cal.add_working_days(d(2026, 4, 30), 1), d(2026, 5, 4));
        assert_eq!(cal.roll_forward(d(2026, 10, 3)), d(2026, 10, 5));
        assert_eq!(
            cal.working_days_between(d(2026, 6, 1), d(2026, 6, 7)),
            4,
            "Fronleichnam off"
        );
    }

    #[test]
    fn adding_working_days_counts_exactly_that_many() {
        let cal = WorkCalendar {
            closed: vec![d(2026, 12, 24), d(2026, 12, 31)],
        };
        let mut start = d(2025, 12, 1);
        for i in 0..800u32 {
            let n = i % 23;
            let end = cal.add_working_days(start, n);
            if n > 0 {
                assert!(cal.is_working_day(end), "{start} + {n} = {end}");
                let next = start.succ_opt().expect("date");
                assert_eq!(cal.working_days_between(next, end), n, "{start} + {n}");
            } else {
                assert_eq!(end, start);
            }
            start = start.succ_opt().expect("date");
        }
    }
}
