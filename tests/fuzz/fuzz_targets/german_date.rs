//! `domain::date::parse_german_date`: never panics; every accepted date formats back with
//! `format_german_date` and parses to the same date; a refusal names a day that really does
//! not exist.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use tandem::domain::date::{format_german_date, parse_german_date};
use tandem::domain::validation::Problem;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    match parse_german_date(input) {
        Ok(date) => {
            let text = format_german_date(date);
            assert_eq!(
                parse_german_date(&text),
                Ok(date),
                "{input:?} → {date} → {text:?} does not parse back"
            );
            assert_eq!(text.len(), 10, "{text:?} is not TT.MM.JJJJ");
        }
        Err(Problem::DateDoesNotExist { day, month, year }) => {
            assert!(
                NaiveDate::from_ymd_opt(year, month, day).is_none(),
                "{input:?} refused as non-existent, but {day}.{month}.{year} exists"
            );
        }
        Err(_) => {}
    }
});
