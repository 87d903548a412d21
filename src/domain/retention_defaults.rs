//! The default retention classes and periods a record falls under when no retention rule
//! of the Stelle is configured (docs/subject-access.md § 5). An access request names, for
//! every record, its class and the day it is due for deletion; until the configurable
//! retention rules exist in the store, these defaults are the answer.
//!
//! Pure: a class, the day its trigger happened (if it has), and the day that follows.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// A retention class ("Löschklasse"), docs/subject-access.md § 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionClass {
    /// Case, conferences, minutes, measures, participants, notes, custody holders.
    Case,
    /// Consents.
    Consent,
    /// Child-protection records of the Jobcenter (the referral as sent).
    CpJc,
    /// Child-protection records of the Jugendamt (the referral as received, intake,
    /// triage, outcome).
    CpJa,
    /// Access and audit log.
    AccessLog,
    /// Transfer log.
    TransferLog,
    /// A staff record: kept while the person works for the Stelle; no Tandem class.
    Staff,
}

impl RetentionClass {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            RetentionClass::Case => "case",
            RetentionClass::Consent => "consent",
            RetentionClass::CpJc => "cp_jc",
            RetentionClass::CpJa => "cp_ja",
            RetentionClass::AccessLog => "access_log",
            RetentionClass::TransferLog => "transfer_log",
            RetentionClass::Staff => "staff",
        }
    }

    /// The German label ("Löschklasse").
    pub fn label(self) -> &'static str {
        match self {
            RetentionClass::Case => "Kooperationsfall",
            RetentionClass::Consent => "Einwilligung",
            RetentionClass::CpJc => "Kinderschutz JC",
            RetentionClass::CpJa => "Kinderschutz JA",
            RetentionClass::AccessLog => "Zugriffsprotokoll",
            RetentionClass::TransferLog => "Übermittlungsprotokoll",
            RetentionClass::Staff => "Mitarbeiterdaten",
        }
    }

    /// What starts the period, in German.
    pub fn trigger(self) -> &'static str {
        match self {
            RetentionClass::Case => "Abschluss des Kooperationsfalls",
            RetentionClass::Consent => "Ablauf oder Widerruf der Einwilligung",
            RetentionClass::CpJc | RetentionClass::CpJa => "Abschluss der Kinderschutz-Mitteilung",
            RetentionClass::AccessLog => "Datum des Eintrags",
            RetentionClass::TransferLog => {
                "Löschung der übermittelten Daten, frühestens zwei Jahre nach der Übermittlung"
            }
            RetentionClass::Staff => "Ausscheiden aus der Stelle",
        }
    }

    /// The default period in years; none for staff records (outside Tandem's classes).
    pub fn default_years(self) -> Option<u32> {
        match self {
            RetentionClass::Case | RetentionClass::Consent => Some(3),
            RetentionClass::CpJc | RetentionClass::CpJa => Some(10),
            RetentionClass::AccessLog | RetentionClass::TransferLog => Some(2),
            RetentionClass::Staff => None,
        }
    }
}

/// `day` plus `years` calendar years (29 February falls back to 28 February).
fn plus_years(day: NaiveDate, years: u32) -> Option<NaiveDate> {
    day.checked_add_months(Months::new(years.checked_mul(12)?))
}

/// The day a record of `class` is due for deletion under the default period, when its
/// trigger happened on `trigger`. None: the trigger has not happened yet (an open case,
/// a referral not closed), or the class has no period.
pub fn deletion_date(class: RetentionClass, trigger: Option<NaiveDate>) -> Option<NaiveDate> {
    plus_years(trigger?, class.default_years()?)
}

/// The deletion day of a transfer receipt made on `at`: as long as the transferred record
/// (`record`, its own deletion day; none while that is not fixed yet), at least two years
/// after the transfer.
pub fn transfer_deletion_date(at: NaiveDate, record: Option<NaiveDate>) -> Option<NaiveDate> {
    let minimum = deletion_date(RetentionClass::TransferLog, Some(at))?;
    record.map(|r| r.max(minimum))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn periods_follow_the_defaults() {
        assert_eq!(
            deletion_date(RetentionClass::Case, Some(d(2026, 3, 1))),
            Some(d(2029, 3, 1))
        );
        assert_eq!(
            deletion_date(RetentionClass::CpJc, Some(d(2024, 2, 29))),
            Some(d(2034, 2, 28))
        );
        assert_eq!(deletion_date(RetentionClass::Case, None), None);
        assert_eq!(
            deletion_date(RetentionClass::Staff, Some(d(2026, 1, 1))),
            None
        );
    }

    #[test]
    fn a_transfer_receipt_lives_at_least_two_years() {
        assert_eq!(
            transfer_deletion_date(d(2026, 1, 10), Some(d(2026, 6, 1))),
            Some(d(2028, 1, 10))
        );
        assert_eq!(
            transfer_deletion_date(d(2026, 1, 10), Some(d(2030, 6, 1))),
            Some(d(2030, 6, 1))
        );
        assert_eq!(transfer_deletion_date(d(2026, 1, 10), None), None);
    }
}
