//! The hand-over of a young person from the Jugendamt to the Jobcenter when a youth help
//! ends (§ 36b / § 41 Abs. 3 SGB VIII; docs/casework.md § 3a): its states, who takes which
//! step, and its dates.

use chrono::{Months, NaiveDate};

use super::consent::coded_enum;
use super::staff::Agency;

coded_enum!(
    /// The running youth help that ends ("Laufende Hilfe").
    HelpType {
        /// "Hilfe zur Erziehung".
        Hze = "hze",
        /// "§ 35a Eingliederungshilfe".
        Sgb8_35a = "sgb8_35a",
        /// "§ 41 Hilfe für junge Volljährige".
        Sgb8_41 = "sgb8_41",
    }
);

coded_enum!(
    /// The state of a hand-over.
    HandoverStatus {
        /// "Vorgemerkt": the planned end is at most twelve months away (derived until the
        /// first step is stored).
        Flagged = "flagged",
        /// "In Prüfung".
        Checking = "checking",
        /// "Vereinbart" (with the Hilfeplan it was agreed in).
        Agreed = "agreed",
        /// "Antrag gestellt" (at the Jobcenter).
        Applied = "applied",
        /// "Übergeben".
        HandedOver = "handed_over",
        /// "Entfallen" (with the reason).
        Dropped = "dropped",
    }
);

coded_enum!(
    /// A step of the hand-over.
    HandoverStep {
        /// "Prüfung beginnen": help type and planned end.
        Check = "check",
        /// "Vereinbart": the Hilfeplan reference.
        Agree = "agree",
        /// "Antrag beim Jobcenter gestellt": the day.
        Apply = "apply",
        /// "Übergeben": the day.
        HandOver = "hand_over",
        /// "Entfällt": the reason.
        Drop = "drop",
    }
);

impl HandoverStatus {
    /// Whether the hand-over is over.
    pub fn is_final(self) -> bool {
        matches!(self, HandoverStatus::HandedOver | HandoverStatus::Dropped)
    }
}

impl HandoverStep {
    /// The state the step leads to from `from`, if it may be taken there.
    pub fn next(self, from: HandoverStatus) -> Option<HandoverStatus> {
        use HandoverStatus as S;
        match (self, from) {
            (HandoverStep::Check, S::Flagged) => Some(S::Checking),
            (HandoverStep::Agree, S::Checking) => Some(S::Agreed),
            (HandoverStep::Apply, S::Agreed) => Some(S::Applied),
            (HandoverStep::HandOver, S::Applied) => Some(S::HandedOver),
            (HandoverStep::Drop, s) if !s.is_final() => Some(S::Dropped),
            _ => None,
        }
    }

    /// The agency whose assigned caseworker (or deputy) takes the step: the Jugendamt
    /// drives the hand-over, the Jobcenter confirms the application.
    pub fn agency(self) -> Agency {
        match self {
            HandoverStep::Apply => Agency::Jobcenter,
            _ => Agency::Jugendamt,
        }
    }
}

/// When the check is due: twelve months before the planned end.
pub fn check_due(planned_end: NaiveDate) -> NaiveDate {
    planned_end
        .checked_sub_months(Months::new(12))
        .unwrap_or(planned_end)
}

/// The last day for the transition conference: six months before the planned end.
pub fn conference_due(planned_end: NaiveDate) -> NaiveDate {
    planned_end
        .checked_sub_months(Months::new(6))
        .unwrap_or(planned_end)
}

/// Whether a case with a help ending on `planned_end` is flagged on `today`.
pub fn flagged(planned_end: NaiveDate, today: NaiveDate) -> bool {
    today >= check_due(planned_end) && today <= planned_end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid")
    }

    #[test]
    fn the_steps_follow_the_states_and_the_jobcenter_confirms_the_application() {
        use HandoverStatus as S;
        let mut s = S::Flagged;
        for step in [
            HandoverStep::Check,
            HandoverStep::Agree,
            HandoverStep::Apply,
            HandoverStep::HandOver,
        ] {
            s = step.next(s).expect("allowed");
        }
        assert_eq!(s, S::HandedOver);
        assert_eq!(HandoverStep::Drop.next(S::HandedOver), None);
        assert_eq!(HandoverStep::Drop.next(S::Agreed), Some(S::Dropped));
        assert_eq!(HandoverStep::Apply.next(S::Checking), None);
        assert_eq!(HandoverStep::Apply.agency(), Agency::Jobcenter);
        assert_eq!(HandoverStep::Agree.agency(), Agency::Jugendamt);
    }

    #[test]
    fn dates_count_back_from_the_planned_end() {
        let end = d(2027, 8, 31);
        assert_eq!(check_due(end), d(2026, 8, 31));
        assert_eq!(conference_due(end), d(2027, 2, 28));
        assert!(flagged(end, d(2026, 11, 25)));
        assert!(!flagged(end, d(2026, 8, 30)));
        assert!(!flagged(end, d(2027, 9, 1)));
    }
}
