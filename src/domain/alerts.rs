//! Alerts of a case (docs/domain.md 4.1 time limits): consent expiring, revoked or in need of
//! confirmation; the 25th birthday (end of U25) approaching; a § 41 youth help ending
//! within 12 months (transition); overdue measures; no activity for N weeks.

use chrono::NaiveDate;

use super::casefile::Measure;
use super::consent::{Consent, ConsentStatus};
use super::date::birthday_in_year;

/// Days before a consent's end that it is flagged.
pub const CONSENT_WARN_DAYS: i64 = 30;
/// Days before the 25th birthday that the case is flagged.
pub const U25_WARN_DAYS: i64 = 90;
/// Months before the planned end of a youth help that the transition is flagged.
pub const HELP_END_WARN_MONTHS: u32 = 12;
/// Default weeks without activity before the case is flagged.
pub const DEFAULT_INACTIVE_WEEKS: u32 = 8;

/// One alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Alert {
    /// The consent that allows sharing ends on this day (within 30 days).
    ConsentExpiring(NaiveDate),
    /// The newest consent was revoked on this day.
    ConsentRevoked(NaiveDate),
    /// The newest consent expired on this day.
    ConsentExpired(NaiveDate),
    /// Declared by custody holders; the person is now 18 and must confirm it.
    ConsentNeedsConfirmation,
    /// The 25th birthday (end of U25) is on this day.
    Turning25(NaiveDate),
    /// A youth help under § 41 ends on this day (plan the transition).
    HelpEnding(NaiveDate),
    /// This many measures are overdue.
    MeasuresOverdue(usize),
    /// No activity since this day.
    Inactive(NaiveDate),
}

/// Facts a case's alerts depend on.
#[derive(Debug, Clone, Copy)]
pub struct AlertFacts<'a> {
    /// The case is open (not closed or declined).
    pub open: bool,
    /// Birth date of the young person, if the viewer may see it.
    pub birth: Option<NaiveDate>,
    /// Consents, any order.
    pub consents: &'a [Consent],
    /// Measures.
    pub measures: &'a [Measure],
    /// Planned end of a running youth help (§ 41), if any.
    pub help_end: Option<NaiveDate>,
    /// The last day anything happened on the case.
    pub last_activity: NaiveDate,
    /// Weeks without activity before the case is flagged.
    pub inactive_weeks: u32,
}

/// The alerts of a case on `today`, most pressing kinds first.
pub fn case_alerts(f: &AlertFacts<'_>, today: NaiveDate) -> Vec<Alert> {
    let mut out = Vec::new();
    if !f.open {
        return out;
    }
    let birth = f.birth.unwrap_or(NaiveDate::MIN);
    // The newest consent decides the sharing state.
    if let Some(c) = f.consents.iter().max_by_key(|c| (c.signed_on, c.id)) {
        match c.effective_status(today, birth) {
            ConsentStatus::Granted if (c.valid_until - today).num_days() <= CONSENT_WARN_DAYS => {
                out.push(Alert::ConsentExpiring(c.valid_until));
            }
            ConsentStatus::Revoked => {
                out.push(Alert::ConsentRevoked(c.revoked_on.unwrap_or(today)));
            }
            ConsentStatus::Expired => out.push(Alert::ConsentExpired(c.valid_until)),
            ConsentStatus::ConfirmationNeeded => out.push(Alert::ConsentNeedsConfirmation),
            _ => {}
        }
    }
    if let Some(b) = f.birth {
        let end = birthday_in_year(b, 25);
        let days = (end - today).num_days();
        if (0..=U25_WARN_DAYS).contains(&days) {
            out.push(Alert::Turning25(end));
        }
    }
    if let Some(end) = f.help_end
        && end >= today
        && today
            .checked_add_months(chrono::Months::new(HELP_END_WARN_MONTHS))
            .is_some_and(|limit| end <= limit)
    {
        out.push(Alert::HelpEnding(end));
    }
    let overdue = f.measures.iter().filter(|m| m.is_overdue(today)).count();
    if overdue > 0 {
        out.push(Alert::MeasuresOverdue(overdue));
    }
    if (today - f.last_activity).num_weeks() >= i64::from(f.inactive_weeks) {
        out.push(Alert::Inactive(f.last_activity));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::casefile::{MeasureStatus, Responsible};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn each_alert_fires_at_its_threshold() {
        let today = d(2026, 11, 25);
        let measure = Measure {
            id: 1,
            text: "Bewerbung".into(),
            responsible: Responsible::YoungPerson,
            due_on: d(2026, 11, 20),
            status: MeasureStatus::Open,
            result: String::new(),
        };
        let facts = AlertFacts {
            open: true,
            birth: Some(d(2002, 1, 15)),
            consents: &[],
            measures: std::slice::from_ref(&measure),
            help_end: Some(d(2027, 6, 30)),
            last_activity: d(2026, 9, 1),
            inactive_weeks: 8,
        };
        let alerts = case_alerts(&facts, today);
        assert!(alerts.contains(&Alert::Turning25(d(2027, 1, 15))));
        assert!(alerts.contains(&Alert::HelpEnding(d(2027, 6, 30))));
        assert!(alerts.contains(&Alert::MeasuresOverdue(1)));
        assert!(alerts.contains(&Alert::Inactive(d(2026, 9, 1))));
        let closed = AlertFacts {
            open: false,
            ..facts
        };
        assert!(case_alerts(&closed, today).is_empty());
        let calm = AlertFacts {
            birth: Some(d(2005, 1, 1)),
            measures: &[],
            help_end: None,
            last_activity: today,
            ..facts
        };
        assert!(case_alerts(&calm, today).is_empty());
    }
}
