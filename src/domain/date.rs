//! German date input and age arithmetic.

use chrono::{Datelike, NaiveDate};

use super::validation::Problem;

/// Parses a German date `TT.MM.JJJJ` (also `T.M.JJJJ`). A day that does not exist, such as
/// 31.02.2007, is refused with [`Problem::DateDoesNotExist`], never with a panic.
pub fn parse_german_date(input: &str) -> Result<NaiveDate, Problem> {
    let s = input.trim();
    let mut parts = s.split('.');
    let (Some(d), Some(m), Some(y), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Problem::DateFormat);
    };
    let digits = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(d, 1, 2) || !digits(m, 1, 2) || !digits(y, 4, 4) {
        return Err(Problem::DateFormat);
    }
    let (Ok(day), Ok(month), Ok(year)) = (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>())
    else {
        return Err(Problem::DateFormat);
    };
    NaiveDate::from_ymd_opt(year, month, day).ok_or(Problem::DateDoesNotExist { day, month, year })
}

/// Formats a date as `TT.MM.JJJJ`.
pub fn format_german_date(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// The date on which a person born on `birth` reaches `years`; someone born on 29 February
/// reaches it on 1 March in non-leap years (docs/domain.md 7).
pub fn birthday_in_year(birth: NaiveDate, years: u32) -> NaiveDate {
    let year = birth.year() + i32::try_from(years).unwrap_or(i32::MAX / 2);
    NaiveDate::from_ymd_opt(year, birth.month(), birth.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .unwrap_or(NaiveDate::MAX)
}

/// Age in whole years on `today`; a new age starts at 00:00 on the birthday.
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> u32 {
    if today < birth {
        return 0;
    }
    let mut age = u32::try_from(today.year() - birth.year()).unwrap_or(0);
    if age > 0 && birthday_in_year(birth, age) > today {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn parses_and_refuses() {
        assert_eq!(parse_german_date("03.12.2006"), Ok(d(2006, 12, 3)));
        assert_eq!(parse_german_date(" 3.1.2006 "), Ok(d(2006, 1, 3)));
        assert_eq!(
            parse_german_date("31.02.2007"),
            Err(Problem::DateDoesNotExist {
                day: 31,
                month: 2,
                year: 2007
            })
        );
        for bad in [
            "",
            "2007-02-01",
            "1.2.07",
            "a.b.cccc",
            "1.2.3.2007",
            "+1.2.2007",
        ] {
            assert_eq!(parse_german_date(bad), Err(Problem::DateFormat), "{bad}");
        }
    }

    #[test]
    fn ages_and_leap_birthdays() {
        let leap = d(2004, 2, 29);
        assert_eq!(age_on(leap, d(2022, 2, 28)), 17);
        assert_eq!(age_on(leap, d(2022, 3, 1)), 18);
        assert_eq!(birthday_in_year(leap, 25), d(2029, 3, 1));
        assert_eq!(age_on(d(2001, 11, 25), d(2026, 11, 25)), 25);
        assert_eq!(age_on(d(2001, 11, 26), d(2026, 11, 25)), 24);
    }
}
