//! German date-time and duration input for appointments (Fallkonferenz "Termin", "Dauer").
//!
//! Accepted date-time forms (case-insensitive, extra whitespace ignored, an optional "um"
//! before and "Uhr" after the time):
//! - `03.12.2026 14:30`, `3.12.2026 9:05` (a date alone is refused: a conference needs a time),
//! - `heute 14:30`, `morgen 10:00`, `übermorgen 9:00` (also `uebermorgen`),
//! - `+2w`, `+3t`, `+1d` (weeks or days from today; 09:00 unless a time follows: `+2w 14:00`),
//! - `mo 10:00`, `montag 10:00` (the next such weekday strictly after today).
//!
//! All times are Berlin wall-clock ([`NaiveDateTime`]); [`crate::domain::tz::from_local`]
//! turns them into UTC instants. Nothing here panics, whatever is typed.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};

use super::date::parse_german_date;
use super::tz::{self, Wall};
use super::validation::Problem;

/// Shortest conference duration in minutes.
pub const MIN_DURATION_MINUTES: u32 = 15;
/// Longest conference duration in minutes (a full working day).
pub const MAX_DURATION_MINUTES: u32 = 480;
/// Time used for relative forms (`+2w`) typed without a time.
pub const DEFAULT_RELATIVE_TIME: (u32, u32) = (9, 0);
/// Largest offset of a relative form, in days (about two years).
pub const MAX_RELATIVE_DAYS: i64 = 730;
/// Earliest year accepted in a typed date.
pub const MIN_YEAR: i32 = 1900;
/// Latest year accepted in a typed date.
pub const MAX_YEAR: i32 = 2199;

/// What is wrong with typed date-time or duration input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateTimeProblem {
    /// Not one of the accepted forms.
    Format,
    /// Well-formed, but the day does not exist (31.02.2027).
    DateDoesNotExist {
        /// Day as typed.
        day: u32,
        /// Month as typed.
        month: u32,
        /// Year as typed.
        year: i32,
    },
    /// Well-formed, but the time does not exist (25:00, 14:60).
    TimeDoesNotExist {
        /// Hour as typed.
        hour: u32,
        /// Minute as typed.
        minute: u32,
    },
    /// A date without a time where an appointment needs one.
    TimeMissing,
    /// A year outside [`MIN_YEAR`]..=[`MAX_YEAR`] or a relative offset beyond
    /// [`MAX_RELATIVE_DAYS`].
    OutOfRange,
    /// A duration outside [`MIN_DURATION_MINUTES`]..=[`MAX_DURATION_MINUTES`].
    DurationOutOfRange {
        /// The duration typed, in whole minutes (saturated).
        minutes: u32,
    },
    /// The wall-clock time falls in the hour skipped at the spring clock change
    /// (docs/domain.md 7.1).
    SkippedByClockChange {
        /// The time as typed.
        local: NaiveDateTime,
        /// The first valid time after the gap.
        next: NaiveDateTime,
    },
    /// The wall-clock time occurs twice at the autumn clock change and no zone (`MESZ` for
    /// the first, `MEZ` for the second) says which (docs/domain.md 7.1).
    TwiceByClockChange {
        /// The time as typed.
        local: NaiveDateTime,
    },
}

/// The day part of the input.
enum DayPart {
    /// An absolute or named day; a time is required.
    Fixed(NaiveDate),
    /// `+N` weeks or days; the time defaults to [`DEFAULT_RELATIVE_TIME`].
    Relative(NaiveDate),
}

/// Parses a German date-time relative to `now` (Berlin wall-clock).
///
/// ```
/// use chrono::NaiveDate;
/// use tandem::domain::datetime::parse_german_datetime;
/// let now = NaiveDate::from_ymd_opt(2026, 12, 1).and_then(|d| d.and_hms_opt(11, 7, 0)).expect("now");
/// let t = parse_german_datetime("morgen 10:00", now).expect("valid");
/// assert_eq!(t.format("%d.%m.%Y %H:%M").to_string(), "02.12.2026 10:00");
/// ```
pub fn parse_german_datetime(
    input: &str,
    now: NaiveDateTime,
) -> Result<NaiveDateTime, DateTimeProblem> {
    let lowered = input.to_lowercase();
    let tokens: Vec<&str> = lowered
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    let Some((first, rest)) = tokens.split_first() else {
        return Err(DateTimeProblem::Format);
    };
    let day = parse_day(first, now.date())?;
    let time = parse_time_tokens(rest)?;
    match (day, time) {
        (DayPart::Fixed(d) | DayPart::Relative(d), Some(t)) => Ok(d.and_time(t)),
        (DayPart::Fixed(_), None) => Err(DateTimeProblem::TimeMissing),
        (DayPart::Relative(d), None) => {
            let (h, m) = DEFAULT_RELATIVE_TIME;
            NaiveTime::from_hms_opt(h, m, 0)
                .map(|t| d.and_time(t))
                .ok_or(DateTimeProblem::Format)
        }
    }
}

/// Parses a German date-time as [`parse_german_datetime`] does and resolves it to the
/// instant it names (docs/domain.md 7.1): a time in the hour skipped in spring is
/// [`DateTimeProblem::SkippedByClockChange`], one in the hour repeated in autumn is
/// [`DateTimeProblem::TwiceByClockChange`] unless a trailing `MESZ` (summer time, the first)
/// or `MEZ` (winter time, the second) chooses. Nothing is moved silently. Returns the
/// wall-clock time and the instant.
pub fn parse_german_instant(
    input: &str,
    now: NaiveDateTime,
) -> Result<(NaiveDateTime, DateTime<Utc>), DateTimeProblem> {
    let lowered = input.trim().to_lowercase();
    let (text, zone) = match lowered.rsplit_once(char::is_whitespace) {
        Some((rest, "mesz" | "sommerzeit")) => (rest, Some(true)),
        Some((rest, "mez" | "winterzeit")) => (rest, Some(false)),
        _ => (lowered.as_str(), None),
    };
    let local = parse_german_datetime(text, now)?;
    match (tz::resolve(local), zone) {
        (Wall::Single(t), _) => Ok((local, t)),
        (Wall::Skipped { next }, _) => Err(DateTimeProblem::SkippedByClockChange { local, next }),
        (Wall::Twice { first, .. }, Some(true)) => Ok((local, first)),
        (Wall::Twice { second, .. }, Some(false)) => Ok((local, second)),
        (Wall::Twice { .. }, None) => Err(DateTimeProblem::TwiceByClockChange { local }),
    }
}

/// Parses the first token: a German date, a named day, a relative offset or a weekday.
fn parse_day(token: &str, today: NaiveDate) -> Result<DayPart, DateTimeProblem> {
    let offset = |days: i64| {
        if days > MAX_RELATIVE_DAYS {
            return Err(DateTimeProblem::OutOfRange);
        }
        today
            .checked_add_signed(Duration::days(days))
            .ok_or(DateTimeProblem::OutOfRange)
    };
    match token {
        "heute" => return Ok(DayPart::Fixed(today)),
        "morgen" => return offset(1).map(DayPart::Fixed),
        "übermorgen" | "uebermorgen" => return offset(2).map(DayPart::Fixed),
        _ => {}
    }
    if let Some(rel) = token.strip_prefix('+') {
        return parse_relative(rel).and_then(offset).map(DayPart::Relative);
    }
    if let Some(wd) = weekday(token.trim_end_matches('.')) {
        // Strictly after today: "mo" on a Monday means the Monday a week later.
        let ahead = (i64::from(wd.num_days_from_monday())
            - i64::from(today.weekday().num_days_from_monday()))
        .rem_euclid(7);
        let ahead = if ahead == 0 { 7 } else { ahead };
        return offset(ahead).map(DayPart::Fixed);
    }
    if token.contains('.') {
        return match parse_german_date(token) {
            Ok(d) if (MIN_YEAR..=MAX_YEAR).contains(&d.year()) => Ok(DayPart::Fixed(d)),
            Ok(_) => Err(DateTimeProblem::OutOfRange),
            Err(Problem::DateDoesNotExist { day, month, year }) => {
                if (MIN_YEAR..=MAX_YEAR).contains(&year) {
                    Err(DateTimeProblem::DateDoesNotExist { day, month, year })
                } else {
                    Err(DateTimeProblem::OutOfRange)
                }
            }
            Err(_) => Err(DateTimeProblem::Format),
        };
    }
    Err(DateTimeProblem::Format)
}

/// Parses `2w`, `3t`, `1d` (the part after `+`) into days.
fn parse_relative(rel: &str) -> Result<i64, DateTimeProblem> {
    let split = rel
        .find(|c: char| !c.is_ascii_digit())
        .ok_or(DateTimeProblem::Format)?;
    let (digits, unit) = rel.split_at(split);
    if digits.is_empty() {
        return Err(DateTimeProblem::Format);
    }
    let factor = match unit {
        "w" | "wo" | "woche" | "wochen" => 7,
        "t" | "d" | "tag" | "tage" => 1,
        _ => return Err(DateTimeProblem::Format),
    };
    if digits.len() > 6 {
        return Err(DateTimeProblem::OutOfRange);
    }
    let n: i64 = digits.parse().map_err(|_| DateTimeProblem::Format)?;
    Ok(n * factor)
}

/// German weekday names and their two-letter abbreviations.
fn weekday(token: &str) -> Option<Weekday> {
    Some(match token {
        "mo" | "montag" => Weekday::Mon,
        "di" | "dienstag" => Weekday::Tue,
        "mi" | "mittwoch" => Weekday::Wed,
        "do" | "donnerstag" => Weekday::Thu,
        "fr" | "freitag" => Weekday::Fri,
        "sa" | "samstag" | "sonnabend" => Weekday::Sat,
        "so" | "sonntag" => Weekday::Sun,
        _ => return None,
    })
}

/// Parses what follows the day: nothing, or `[um] HH:MM [uhr]`, `HH.MM`, `14 uhr`, `14uhr`.
fn parse_time_tokens(tokens: &[&str]) -> Result<Option<NaiveTime>, DateTimeProblem> {
    let tokens = match tokens.split_first() {
        Some((&"um", rest)) => rest,
        _ => tokens,
    };
    match tokens {
        [] => Ok(None),
        [t] => parse_time(t.strip_suffix("uhr").unwrap_or(t), t.ends_with("uhr")).map(Some),
        [t, "uhr"] => parse_time(t, true).map(Some),
        _ => Err(DateTimeProblem::Format),
    }
}

/// Parses `H:MM`, `HH:MM`, `HH.MM`; a bare hour only when "Uhr" was typed.
fn parse_time(s: &str, had_uhr: bool) -> Result<NaiveTime, DateTimeProblem> {
    let digits = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    let (h, m) = match s.split_once([':', '.']) {
        Some((h, m)) if digits(h, 1, 2) && digits(m, 2, 2) => (h, m),
        None if had_uhr && digits(s, 1, 2) => (s, "00"),
        _ => return Err(DateTimeProblem::Format),
    };
    let (Ok(hour), Ok(minute)) = (h.parse::<u32>(), m.parse::<u32>()) else {
        return Err(DateTimeProblem::Format);
    };
    NaiveTime::from_hms_opt(hour, minute, 0)
        .ok_or(DateTimeProblem::TimeDoesNotExist { hour, minute })
}

/// Parses a duration: `90` (minutes), `1:30`, `1h`, `1,5h`, `1.5 h`, `1h30`, `45min`,
/// `45 minuten`, `2 std`. Fractional hours are rounded to the nearest minute. The result
/// must lie within [`MIN_DURATION_MINUTES`]..=[`MAX_DURATION_MINUTES`].
pub fn parse_duration_minutes(input: &str) -> Result<u32, DateTimeProblem> {
    let s: String = input
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let minutes = duration_minutes(&s).ok_or(DateTimeProblem::Format)?;
    let bounded = u32::try_from(minutes).unwrap_or(u32::MAX);
    if (MIN_DURATION_MINUTES..=MAX_DURATION_MINUTES).contains(&bounded) {
        Ok(bounded)
    } else {
        Err(DateTimeProblem::DurationOutOfRange { minutes: bounded })
    }
}

/// The minutes of a whitespace-free, lower-case duration, saturating at large values.
fn duration_minutes(s: &str) -> Option<u64> {
    if let Some((h, m)) = s.split_once(':') {
        let h = whole(h)?;
        if m.len() != 2 {
            return None;
        }
        let m = whole(m)?;
        return (m < 60).then(|| h.saturating_mul(60).saturating_add(m));
    }
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(s.len());
    if split == 0 {
        return None;
    }
    let (number, unit) = s.split_at(split);
    if let Some(rest) = ["stunden", "stunde", "std", "h"]
        .iter()
        .find_map(|u| unit.strip_prefix(u))
    {
        let hours = decimal_minutes(number, 60)?;
        // "1h30" or "1h30min": whole hours followed by minutes.
        let extra = match rest {
            "" => 0,
            r => {
                if number.contains([',', '.']) {
                    return None;
                }
                let r = strip_minute_unit(r).unwrap_or(r);
                whole(r)?
            }
        };
        return Some(hours.saturating_add(extra));
    }
    if unit.is_empty() || strip_minute_unit(unit) == Some("") {
        whole(number)
    } else {
        None
    }
}

/// Strips a trailing minute unit ("min", "minuten", "m"); `None` if there is none.
fn strip_minute_unit(s: &str) -> Option<&str> {
    ["minuten", "minute", "min", "m"]
        .iter()
        .find_map(|u| s.strip_suffix(u))
}

/// A string of ASCII digits (at most 9) as a number.
fn whole(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `1,5` or `1.25` (hours) times `per_unit`, rounded to a whole number.
fn decimal_minutes(number: &str, per_unit: u64) -> Option<u64> {
    let (int, frac) = match number.split_once([',', '.']) {
        Some((i, f)) => (i, f),
        None => (number, ""),
    };
    let int = if int.is_empty() && !frac.is_empty() {
        0
    } else {
        whole(int)?
    };
    if frac.is_empty() {
        return if number.ends_with([',', '.']) {
            None
        } else {
            Some(int.saturating_mul(per_unit))
        };
    }
    if frac.len() > 4 {
        return None;
    }
    let f = whole(frac)?;
    let scale = 10u64.pow(u32::try_from(frac.len()).ok()?);
    let part = (f * per_unit * 2 + scale) / (scale * 2);
    Some(int.saturating_mul(per_unit).saturating_add(part))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|x| x.and_hms_opt(h, min, 0))
            .expect("valid test time")
    }

    /// Tuesday 01.12.2026 11:07.
    fn now() -> NaiveDateTime {
        at(2026, 12, 1, 11, 7)
    }

    #[test]
    fn absolute_dates_with_time() {
        assert_eq!(
            parse_german_datetime("03.12.2026 14:30", now()),
            Ok(at(2026, 12, 3, 14, 30))
        );
        assert_eq!(
            parse_german_datetime("  3.12.2026    9:05 ", now()),
            Ok(at(2026, 12, 3, 9, 5))
        );
        assert_eq!(
            parse_german_datetime("3.12.2026, um 9.05 Uhr", now()),
            Ok(at(2026, 12, 3, 9, 5))
        );
        assert_eq!(
            parse_german_datetime("3.12.2026 14 uhr", now()),
            Ok(at(2026, 12, 3, 14, 0))
        );
        assert_eq!(
            parse_german_datetime("3.12.2026 14uhr", now()),
            Ok(at(2026, 12, 3, 14, 0))
        );
    }

    #[test]
    fn a_date_alone_needs_a_time() {
        assert_eq!(
            parse_german_datetime("03.12.2026", now()),
            Err(DateTimeProblem::TimeMissing)
        );
        assert_eq!(
            parse_german_datetime("morgen", now()),
            Err(DateTimeProblem::TimeMissing)
        );
        assert_eq!(
            parse_german_datetime("Montag", now()),
            Err(DateTimeProblem::TimeMissing)
        );
        assert_eq!(
            parse_german_datetime("heute um", now()),
            Err(DateTimeProblem::TimeMissing)
        );
    }

    #[test]
    fn impossible_dates_and_times() {
        assert_eq!(
            parse_german_datetime("31.02.2027 10:00", now()),
            Err(DateTimeProblem::DateDoesNotExist {
                day: 31,
                month: 2,
                year: 2027
            })
        );
        assert_eq!(
            parse_german_datetime("03.12.2026 25:00", now()),
            Err(DateTimeProblem::TimeDoesNotExist {
                hour: 25,
                minute: 0
            })
        );
        assert_eq!(
            parse_german_datetime("03.12.2026 14:60", now()),
            Err(DateTimeProblem::TimeDoesNotExist {
                hour: 14,
                minute: 60
            })
        );
        assert_eq!(
            parse_german_datetime("03.12.2026 24:00", now()),
            Err(DateTimeProblem::TimeDoesNotExist {
                hour: 24,
                minute: 0
            })
        );
        assert_eq!(
            parse_german_datetime("03.12.0026 10:00", now()),
            Err(DateTimeProblem::OutOfRange)
        );
        assert_eq!(
            parse_german_datetime("31.02.9999 10:00", now()),
            Err(DateTimeProblem::OutOfRange)
        );
    }

    #[test]
    fn a_start_whose_end_would_pass_the_year_9999_is_refused_at_input() {
        // 31.12.9999 23:00 plus any duration ends in the year 10000, which no calendar file
        // can hold; the input refuses it (and everything after MAX_YEAR) with a field message.
        for late in ["31.12.9999 23:00", "31.12.9999 8:00", "01.01.2200 9:00"] {
            assert_eq!(
                parse_german_datetime(late, now()),
                Err(DateTimeProblem::OutOfRange),
                "{late}"
            );
        }
        assert_eq!(
            parse_german_datetime("31.12.2199 23:45", now()),
            Ok(at(2199, 12, 31, 23, 45))
        );
        let last =
            at(MAX_YEAR, 12, 31, 23, 59) + Duration::minutes(i64::from(MAX_DURATION_MINUTES));
        assert!(
            last.year() <= 9999,
            "the longest conference still ends in time"
        );
    }

    #[test]
    fn named_days() {
        assert_eq!(
            parse_german_datetime("heute 14:30", now()),
            Ok(at(2026, 12, 1, 14, 30))
        );
        assert_eq!(
            parse_german_datetime("MORGEN 10:00", now()),
            Ok(at(2026, 12, 2, 10, 0))
        );
        assert_eq!(
            parse_german_datetime("Übermorgen 9:00", now()),
            Ok(at(2026, 12, 3, 9, 0))
        );
        assert_eq!(
            parse_german_datetime("uebermorgen 9:00", now()),
            Ok(at(2026, 12, 3, 9, 0))
        );
        // Across the year end.
        assert_eq!(
            parse_german_datetime("morgen 8:00", at(2026, 12, 31, 20, 0)),
            Ok(at(2027, 1, 1, 8, 0))
        );
    }

    #[test]
    fn relative_offsets() {
        assert_eq!(
            parse_german_datetime("+2w", now()),
            Ok(at(2026, 12, 15, 9, 0))
        );
        assert_eq!(
            parse_german_datetime("+3t", now()),
            Ok(at(2026, 12, 4, 9, 0))
        );
        assert_eq!(
            parse_german_datetime("+1d", now()),
            Ok(at(2026, 12, 2, 9, 0))
        );
        assert_eq!(
            parse_german_datetime("+2W 14:00", now()),
            Ok(at(2026, 12, 15, 14, 0))
        );
        assert_eq!(
            parse_german_datetime("+0t 16:00", now()),
            Ok(at(2026, 12, 1, 16, 0))
        );
        assert_eq!(
            parse_german_datetime("+200w", now()),
            Err(DateTimeProblem::OutOfRange)
        );
        assert_eq!(
            parse_german_datetime("+99999999999w", now()),
            Err(DateTimeProblem::OutOfRange)
        );
        for bad in ["+w", "+2", "+2x", "+-2w", "+2w 9"] {
            assert_eq!(
                parse_german_datetime(bad, now()),
                Err(DateTimeProblem::Format),
                "{bad}"
            );
        }
    }

    #[test]
    fn weekdays_are_strictly_after_today() {
        // now() is a Tuesday.
        assert_eq!(
            parse_german_datetime("mo 10:00", now()),
            Ok(at(2026, 12, 7, 10, 0))
        );
        assert_eq!(
            parse_german_datetime("Montag 10:00", now()),
            Ok(at(2026, 12, 7, 10, 0))
        );
        assert_eq!(
            parse_german_datetime("di 10:00", now()),
            Ok(at(2026, 12, 8, 10, 0)),
            "the same weekday means next week"
        );
        assert_eq!(
            parse_german_datetime("Mi. 10:00", now()),
            Ok(at(2026, 12, 2, 10, 0))
        );
        assert_eq!(
            parse_german_datetime("freitag 9:00", now()),
            Ok(at(2026, 12, 4, 9, 0))
        );
        assert_eq!(
            parse_german_datetime("so 9:00", now()),
            Ok(at(2026, 12, 6, 9, 0))
        );
    }

    #[test]
    fn odd_input_is_refused() {
        for bad in [
            "",
            "   ",
            "14:30",
            "2026-12-03 14:30",
            "03.12.2026 14:30 15:00",
            "03.12.2026 1430",
            "03.12.2026 14:3",
            "03.12.2026 14",
            "gestern 10:00",
            "heute 10:00 uhr uhr",
            "a.b.c 10:00",
        ] {
            assert_eq!(
                parse_german_datetime(bad, now()),
                Err(DateTimeProblem::Format),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn never_panics_on_odd_strings() {
        let pieces = [
            "",
            " ",
            "+",
            "-",
            ".",
            ":",
            ",",
            "0",
            "9",
            "99",
            "999999999999999999999",
            "12",
            "31",
            "02",
            "2026",
            "9999",
            "0000",
            "w",
            "t",
            "d",
            "h",
            "min",
            "uhr",
            "um",
            "heute",
            "übermorgen",
            "mo",
            "ß",
            "ü",
            "\u{0}",
            "\u{202e}",
            "𝟘",
            "١٢",
            "\t",
            "\n",
            "+1",
            "+9999999w",
            "1,",
            ",5",
            "1..2",
            "::",
            "1:2:3",
        ];
        let nows = [
            now(),
            NaiveDate::MIN.and_hms_opt(0, 0, 0).expect("min"),
            NaiveDate::MAX.and_hms_opt(23, 59, 59).expect("max"),
        ];
        let mut count = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let s = format!("{a}{b} {c}");
                    for n in nows {
                        let _ = parse_german_datetime(&s, n);
                    }
                    let _ = parse_duration_minutes(&s);
                    let _ = parse_duration_minutes(&format!("{a}{b}{c}"));
                    count += 1;
                }
            }
        }
        assert!(count > 50_000);
    }

    #[test]
    fn durations() {
        for (input, minutes) in [
            ("90", 90),
            (" 90 ", 90),
            ("1:30", 90),
            ("1h", 60),
            ("1 H", 60),
            ("1,5h", 90),
            ("1.5h", 90),
            ("1,25 h", 75),
            ("0,5h", 30),
            (",5h", 30),
            ("1h30", 90),
            ("1h 30min", 90),
            ("2 std", 120),
            ("2 Stunden", 120),
            ("45min", 45),
            ("45 Minuten", 45),
            ("15", 15),
            ("8h", 480),
            ("0:15", 15),
        ] {
            assert_eq!(parse_duration_minutes(input), Ok(minutes), "{input:?}");
        }
        assert_eq!(
            parse_duration_minutes("10"),
            Err(DateTimeProblem::DurationOutOfRange { minutes: 10 })
        );
        assert_eq!(
            parse_duration_minutes("9h"),
            Err(DateTimeProblem::DurationOutOfRange { minutes: 540 })
        );
        assert_eq!(
            parse_duration_minutes("0"),
            Err(DateTimeProblem::DurationOutOfRange { minutes: 0 })
        );
        for bad in [
            "", "h", "min", "1:3", "1:60", "1,5", "1,5min", "1.h", "1h30x", "1,5h30", "eins",
            "-30", "1:30h", "30s",
        ] {
            assert_eq!(
                parse_duration_minutes(bad),
                Err(DateTimeProblem::Format),
                "{bad:?}"
            );
        }
    }
}
