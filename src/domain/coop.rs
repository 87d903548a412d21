//! The cooperation itself (docs/cooperation.md): the yearly plenary ("Große Runde") with
//! its agenda and decision log, joint meetings, trainings, hospitations and the cooperation
//! agreement with its measurable commitments. Pure rules; the store keeps the records.

use chrono::{Datelike, NaiveDate};

use super::consent::coded_enum;

coded_enum!(
    /// State of a plenary (docs/cooperation.md § 2).
    PlenaryStatus {
        /// "Geplant".
        Planned = "planned",
        /// "Durchgeführt".
        Held = "held",
        /// "Protokoll freigegeben".
        MinutesApproved = "minutes_approved",
        /// "Beschlüsse umgesetzt".
        Done = "done",
    }
);

impl PlenaryStatus {
    /// The next state, if any.
    pub fn next(self) -> Option<PlenaryStatus> {
        match self {
            PlenaryStatus::Planned => Some(PlenaryStatus::Held),
            PlenaryStatus::Held => Some(PlenaryStatus::MinutesApproved),
            PlenaryStatus::MinutesApproved => Some(PlenaryStatus::Done),
            PlenaryStatus::Done => None,
        }
    }
}

coded_enum!(
    /// State of a plenary decision ("Beschluss").
    DecisionStatus {
        /// "Offen".
        Open = "open",
        /// "Umgesetzt".
        Done = "done",
        /// "Verworfen".
        Dropped = "dropped",
    }
);

coded_enum!(
    /// Kind of a meeting ("Art der Besprechung").
    MeetingKind {
        /// "Teambesprechung".
        Team = "team",
        /// "Leitungsrunde".
        Leads = "leads",
        /// "Arbeitsgruppe".
        WorkingGroup = "working_group",
        /// "Sonstige".
        Other = "other",
    }
);

coded_enum!(
    /// State of a meeting or a training.
    EventStatus {
        /// "Geplant".
        Planned = "planned",
        /// "Durchgeführt".
        Held = "held",
        /// "Abgesagt".
        Cancelled = "cancelled",
    }
);

coded_enum!(
    /// "Format" of a training.
    TrainingFormat {
        /// "Präsenz".
        Presence = "presence",
        /// "online".
        Online = "online",
    }
);

coded_enum!(
    /// "Themen" of a training.
    TrainingTopic {
        /// "Kinderschutz".
        ChildProtection = "child_protection",
        /// "Datenschutz".
        DataProtection = "data_protection",
        /// "SGB II".
        SgbII = "sgb2",
        /// "SGB VIII".
        SgbVIII = "sgb8",
        /// "Gesprächsführung".
        Conversation = "conversation",
        /// "Interkulturelle Arbeit".
        Intercultural = "intercultural",
        /// "Sonstiges".
        Other = "other",
    }
);

coded_enum!(
    /// State of a hospitation (docs/cooperation.md § 5).
    HospitationStatus {
        /// "Vereinbart".
        Agreed = "agreed",
        /// "Verschwiegenheitserklärung liegt vor".
        PledgeSigned = "pledge_signed",
        /// "Durchgeführt".
        Done = "done",
        /// "Rückmeldung erfasst".
        Feedback = "feedback",
        /// "Abgesagt".
        Cancelled = "cancelled",
    }
);

impl HospitationStatus {
    /// Whether this state needs the signed confidentiality pledge: "Durchgeführt" is never
    /// reached without it (docs/domain.md 4.9).
    pub fn needs_pledge(self) -> bool {
        matches!(
            self,
            HospitationStatus::PledgeSigned | HospitationStatus::Done | HospitationStatus::Feedback
        )
    }

    /// The next state of the normal path, if any.
    pub fn next(self) -> Option<HospitationStatus> {
        match self {
            HospitationStatus::Agreed => Some(HospitationStatus::PledgeSigned),
            HospitationStatus::PledgeSigned => Some(HospitationStatus::Done),
            HospitationStatus::Done => Some(HospitationStatus::Feedback),
            HospitationStatus::Feedback | HospitationStatus::Cancelled => None,
        }
    }

    /// Whether the hospitation took place (it counts in the report).
    pub fn took_place(self) -> bool {
        matches!(self, HospitationStatus::Done | HospitationStatus::Feedback)
    }
}

coded_enum!(
    /// How the yearly report measures a commitment of the agreement.
    CommitmentKind {
        /// "A requested case conference takes place within N working days."
        ConferenceWithin = "conference_within",
        /// "Feedback to a child-protection referral within N working days."
        CpFeedbackWithin = "cp_feedback_within",
        /// "Receipt of a referral confirmed within N working days."
        CpReceiptWithin = "cp_receipt_within",
        /// "N plenaries a year."
        PlenaryPerYear = "plenary_per_year",
        /// "N hospitations a year."
        HospitationsPerYear = "hospitations_per_year",
        /// "N joint trainings a year."
        JointTrainingsPerYear = "joint_trainings_per_year",
    }
);

impl CommitmentKind {
    /// Whether the commitment is counted per case or referral (kept / not kept) rather than
    /// once per year (reached or not).
    pub fn per_record(self) -> bool {
        matches!(
            self,
            CommitmentKind::ConferenceWithin
                | CommitmentKind::CpFeedbackWithin
                | CommitmentKind::CpReceiptWithin
        )
    }
}

coded_enum!(
    /// "Kategorie" of an agreed measure (docs/domain.md 3.4).
    MeasureCategory {
        /// "SGB II: Beratung und Vermittlung".
        Sgb2Counselling = "sgb2_counselling",
        /// "SGB II: § 16a Kommunale Eingliederungsleistung".
        Sgb2_16a = "sgb2_16a",
        /// "SGB II: § 16h Schwer erreichbare junge Menschen".
        Sgb2_16h = "sgb2_16h",
        /// "SGB II: § 16k Ganzheitliche Betreuung".
        Sgb2_16k = "sgb2_16k",
        /// "Ausbildung/Berufsvorbereitung".
        Training = "training",
        /// "SGB VIII: § 13 Jugendsozialarbeit".
        Sgb8_13 = "sgb8_13",
        /// "SGB VIII: Hilfe zur Erziehung".
        Sgb8Hze = "sgb8_hze",
        /// "SGB VIII: § 35a Eingliederungshilfe".
        Sgb8_35a = "sgb8_35a",
        /// "SGB VIII: § 41 Hilfe für junge Volljährige".
        Sgb8_41 = "sgb8_41",
        /// "SGB VIII: § 41a Nachbetreuung".
        Sgb8_41a = "sgb8_41a",
        /// "Wohnen/§ 22 Abs. 5 SGB II".
        Housing = "housing",
        /// "Gesundheit/Therapie".
        Health = "health",
        /// "Schule".
        School = "school",
        /// "Eigener Schritt der jungen Person".
        OwnStep = "own_step",
        /// "Sonstiges".
        Other = "other",
    }
);

/// The default agenda of a plenary (docs/domain.md 3.6), in order. The texts are German
/// because the agenda is a shared document of both Stellen and is stored as typed.
pub const DEFAULT_AGENDA: [&str; 6] = [
    "Jahresbericht",
    "Probleme an der Schnittstelle",
    "Rechtsänderungen",
    "Ansprechpartnerlisten",
    "Fortbildungs- und Hospitationsplan",
    "Fortschreibung der Kooperationsvereinbarung",
];

/// The agenda item of a decision of `year` still open (German, as the agenda is stored),
/// at most 300 characters like every agenda item.
pub fn carried_title(year: i32, text: &str) -> String {
    format!("Offener Beschluss {year}: {text}")
        .chars()
        .take(300)
        .collect()
}

/// The day by which the year's plenary should have a date (1 October by default).
pub fn plenary_date_due(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Whether the leads are to be alerted that `year`'s plenary has no date yet: from the
/// due day on, while the year lasts and no date is set.
pub fn plenary_date_missing(today: NaiveDate, has_date: bool, due: Option<NaiveDate>) -> bool {
    match due {
        Some(due) => !has_date && today >= due && today.year() == due.year(),
        None => false,
    }
}

/// Whether the agreement's review date is near: within `days_before` days or past.
pub fn review_due(today: NaiveDate, review_on: Option<NaiveDate>, days_before: i64) -> bool {
    review_on.is_some_and(|r| (r - today).num_days() <= days_before)
}

/// Working days a hospitation from `from` to `to` spans by default (Monday–Friday).
pub fn default_days(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut n = 0;
    let mut d = from;
    while d <= to {
        if d.weekday().num_days_from_monday() < 5 {
            n += 1;
        }
        let Some(next) = d.succ_opt() else { break };
        d = next;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn done_needs_the_pledge() {
        assert!(!HospitationStatus::Agreed.needs_pledge());
        assert!(HospitationStatus::Done.needs_pledge());
        assert!(HospitationStatus::Feedback.needs_pledge());
        assert!(!HospitationStatus::Cancelled.needs_pledge());
    }

    #[test]
    fn plenary_alert_from_the_due_day() {
        let due = plenary_date_due(2026, 10, 1);
        assert!(!plenary_date_missing(d(2026, 9, 30), false, due));
        assert!(plenary_date_missing(d(2026, 10, 1), false, due));
        assert!(!plenary_date_missing(d(2026, 10, 1), true, due));
        assert!(!plenary_date_missing(d(2027, 1, 2), false, due));
    }

    #[test]
    fn review_alert_before_the_date() {
        assert!(review_due(d(2026, 12, 1), Some(d(2026, 12, 20)), 30));
        assert!(!review_due(d(2026, 10, 1), Some(d(2026, 12, 20)), 30));
        assert!(review_due(d(2027, 1, 1), Some(d(2026, 12, 20)), 30));
        assert!(!review_due(d(2027, 1, 1), None, 30));
    }

    #[test]
    fn days_are_weekdays() {
        // Monday 02.11.2026 to Friday 06.11.2026, and over a weekend.
        assert_eq!(default_days(d(2026, 11, 2), d(2026, 11, 6)), 5);
        assert_eq!(default_days(d(2026, 11, 5), d(2026, 11, 10)), 4);
    }
}
