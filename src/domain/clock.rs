//! The one clock of a session. "Today", deadlines, ages, absences, calendars and the stored
//! `*_at` instants all come from a [`Clock`], never from a direct read of the real time, so
//! that a session open across midnight shows the new day and a test can fix (and move) the
//! time. Instants are UTC; days and wall-clock times are Europe/Berlin (docs/domain.md 7),
//! computed with [`crate::domain::tz`] and never from the host's time zone, so a server set to
//! UTC or any other zone shows the same Berlin day. Tests never assert on the real time
//! (docs/architecture.md § 8): they use [`Clock::fixed`].

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};

use super::tz;

/// Where the time comes from. Cheap to clone; clones of a fixed clock share one instant, so
/// moving it (a test passing midnight) moves it for every holder, such as the store and the
/// app of one session.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    inner: Inner,
}

#[derive(Debug, Clone, Default)]
enum Inner {
    /// The real time of the machine (UTC; the host's zone is never consulted).
    #[default]
    System,
    /// A set instant in microseconds since the Unix epoch, shared between clones.
    Fixed(Arc<AtomicI64>),
}

impl Clock {
    /// The real time. This is the only place Tandem reads it.
    pub fn system() -> Clock {
        Clock {
            inner: Inner::System,
        }
    }

    /// A clock standing at `at` until [`Clock::set`] or [`Clock::advance`] moves it; for tests,
    /// benchmarks and reproducible runs.
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock {
            inner: Inner::Fixed(Arc::new(AtomicI64::new(at.timestamp_micros()))),
        }
    }

    /// A fixed clock standing at Berlin wall-clock time `local` (docs/domain.md 7; a time in
    /// the hour skipped in March or repeated in October is read as [`tz::from_local`] does).
    pub fn fixed_local(local: NaiveDateTime) -> Clock {
        Clock::fixed(tz::from_local(local))
    }

    /// Whether this is a fixed (test) clock.
    pub fn is_fixed(&self) -> bool {
        matches!(self.inner, Inner::Fixed(_))
    }

    /// The current instant (UTC).
    pub fn now(&self) -> DateTime<Utc> {
        match &self.inner {
            Inner::System => Utc::now(),
            Inner::Fixed(micros) => from_micros(micros.load(Ordering::SeqCst)),
        }
    }

    /// The current Berlin wall-clock time (docs/domain.md 7).
    pub fn local(&self) -> NaiveDateTime {
        tz::to_local(self.now())
    }

    /// Today's date in Berlin (docs/domain.md 7): the day of absences, validity, ages and
    /// deadlines.
    pub fn today(&self) -> NaiveDate {
        self.local().date()
    }

    /// Puts a fixed clock (and every clone of it) to `at`. The real time cannot be set: on a
    /// system clock this does nothing.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Inner::Fixed(micros) = &self.inner {
            micros.store(at.timestamp_micros(), Ordering::SeqCst);
        }
    }

    /// Moves a fixed clock (and every clone of it) by `by`, which may be negative. On a system
    /// clock this does nothing.
    pub fn advance(&self, by: Duration) {
        if let Inner::Fixed(micros) = &self.inner {
            let step = by.num_microseconds().unwrap_or(if by < Duration::zero() {
                i64::MIN
            } else {
                i64::MAX
            });
            // `fetch_update` with a closure that always returns Some cannot fail.
            let _ = micros.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |t| {
                Some(t.saturating_add(step))
            });
        }
    }
}

/// An instant from microseconds since the epoch, clamped to what chrono can represent.
fn from_micros(micros: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).unwrap_or(if micros < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .expect("valid instant")
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn a_fixed_clock_is_shared_by_its_clones() {
        let clock = Clock::fixed(utc(2026, 11, 25, 9, 0));
        let other = clock.clone();
        assert_eq!(other.now(), utc(2026, 11, 25, 9, 0));
        clock.advance(Duration::hours(2));
        assert_eq!(other.now(), utc(2026, 11, 25, 11, 0));
        other.set(utc(2027, 1, 4, 7, 30));
        assert_eq!(clock.now(), utc(2027, 1, 4, 7, 30));
        assert!(clock.is_fixed());
    }

    #[test]
    fn advancing_across_berlin_midnight_changes_today() {
        // 23:50 in Berlin (winter time, UTC+1) is 22:50 UTC.
        let clock = Clock::fixed_local(day(2026, 11, 25).and_hms_opt(23, 50, 0).expect("time"));
        assert_eq!(clock.now(), utc(2026, 11, 25, 22, 50));
        assert_eq!(clock.today(), day(2026, 11, 25));
        clock.advance(Duration::minutes(15));
        assert_eq!(clock.today(), day(2026, 11, 26));
        assert_eq!(
            clock.local(),
            day(2026, 11, 26).and_hms_opt(0, 5, 0).expect("time")
        );
    }

    #[test]
    fn late_evening_utc_is_already_the_next_berlin_day() {
        // Winter: 23:30 UTC is 00:30 in Berlin the next day.
        let clock = Clock::fixed(utc(2026, 12, 31, 23, 30));
        assert_eq!(clock.today(), day(2027, 1, 1));
        // Summer: 22:30 UTC is 00:30 in Berlin the next day.
        clock.set(utc(2026, 7, 14, 22, 30));
        assert_eq!(clock.today(), day(2026, 7, 15));
        // Just before: 22:59 UTC in winter is still 23:59 the same day.
        clock.set(utc(2026, 11, 25, 22, 59));
        assert_eq!(clock.today(), day(2026, 11, 25));
    }

    #[test]
    fn fixed_local_reads_berlin_wall_clock_time() {
        let summer = Clock::fixed_local(day(2026, 7, 1).and_hms_opt(10, 0, 0).expect("time"));
        assert_eq!(summer.now(), utc(2026, 7, 1, 8, 0));
        let winter = Clock::fixed_local(day(2026, 11, 25).and_hms_opt(10, 0, 0).expect("time"));
        assert_eq!(winter.now(), utc(2026, 11, 25, 9, 0));
    }

    #[test]
    fn the_system_clock_cannot_be_moved() {
        let clock = Clock::system();
        assert!(!clock.is_fixed());
        clock.set(utc(2000, 1, 1, 0, 0));
        clock.advance(Duration::days(-10_000));
        // No assertion on the real time itself (docs/architecture.md § 8): only that neither
        // call took it back to 2000.
        assert!(clock.today() > day(2000, 1, 1));
    }
}
