//! Young people and cooperation cases ("Kooperationsfall") with the status machine of
//! docs/domain.md 4.1.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::date;
use super::staff::{Agency, StaffId};
use super::validation::{Field, Problem, ValidationError};

/// Database id of a young person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PersonId(pub i64);

/// Database id of a cooperation case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CaseId(pub i64);

/// "Geschlecht".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gender {
    /// "männlich".
    Male,
    /// "weiblich".
    Female,
    /// "divers".
    Diverse,
    /// "ohne Angabe".
    Unspecified,
}

impl Gender {
    /// All values in display order.
    pub const ALL: [Gender; 4] = [
        Gender::Male,
        Gender::Female,
        Gender::Diverse,
        Gender::Unspecified,
    ];

    /// Stable database code.
    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "m",
            Gender::Female => "w",
            Gender::Diverse => "d",
            Gender::Unspecified => "x",
        }
    }

    /// Parses the database code.
    pub fn from_code(code: &str) -> Option<Gender> {
        Gender::ALL.into_iter().find(|g| g.code() == code)
    }
}

/// Status of a cooperation case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CaseStatus {
    /// "Angefragt".
    Requested,
    /// "Einwilligung offen".
    ConsentPending,
    /// "Aktiv".
    Active,
    /// "Ruhend".
    Dormant,
    /// "Abgeschlossen".
    Closed,
    /// "Abgelehnt".
    Declined,
}

impl CaseStatus {
    /// All states in workflow order.
    pub const ALL: [CaseStatus; 6] = [
        CaseStatus::Requested,
        CaseStatus::ConsentPending,
        CaseStatus::Active,
        CaseStatus::Dormant,
        CaseStatus::Closed,
        CaseStatus::Declined,
    ];

    /// Stable database code.
    pub fn code(self) -> &'static str {
        match self {
            CaseStatus::Requested => "requested",
            CaseStatus::ConsentPending => "consent_pending",
            CaseStatus::Active => "active",
            CaseStatus::Dormant => "dormant",
            CaseStatus::Closed => "closed",
            CaseStatus::Declined => "declined",
        }
    }

    /// Parses the database code.
    pub fn from_code(code: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Words by which the filter finds a case in this state (German and English labels).
    pub fn search_words(self) -> &'static [&'static str] {
        match self {
            CaseStatus::Requested => &["angefragt", "requested"],
            CaseStatus::ConsentPending => &["einwilligung", "offen", "consent", "pending"],
            CaseStatus::Active => &["aktiv", "active"],
            CaseStatus::Dormant => &["ruhend", "dormant"],
            CaseStatus::Closed => &["abgeschlossen", "closed"],
            CaseStatus::Declined => &["abgelehnt", "declined"],
        }
    }

    /// Whether the case is still open (not closed or declined).
    pub fn is_open(self) -> bool {
        !matches!(self, CaseStatus::Closed | CaseStatus::Declined)
    }

    /// The manual transitions of docs/domain.md 4.1 (automatic ones are made by the system).
    pub fn can_become(self, to: CaseStatus) -> bool {
        use CaseStatus::{Active, Closed, ConsentPending, Declined, Dormant, Requested};
        matches!(
            (self, to),
            (Requested, ConsentPending | Active | Declined)
                | (ConsentPending, Active | Declined)
                | (Active, Dormant | Closed)
                | (Dormant, Active | Closed)
                | (Closed, Active)
        )
    }

    /// The current state followed by every state it may move to, for a choice field.
    pub fn choices_from(self) -> Vec<CaseStatus> {
        std::iter::once(self)
            .chain(CaseStatus::ALL.into_iter().filter(|s| self.can_become(*s)))
            .collect()
    }
}

/// "Anlass" of a cooperation case (multi-select).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ReasonCode {
    /// "Schul-/Ausbildungsabbruch".
    TrainingDropout,
    /// "Wohnungsnot/Auszug U25".
    Housing,
    /// "Familienkonflikt".
    FamilyConflict,
    /// "Schwangerschaft/junge Eltern".
    YoungParents,
    /// "Sucht".
    Addiction,
    /// "Psychische Belastung".
    MentalStrain,
    /// "Schulden".
    Debt,
    /// "Straffälligkeit".
    Offending,
    /// "Schulabsentismus".
    Truancy,
    /// "Fehlende Mitwirkung/Kontaktabbruch".
    LostContact,
    /// "Übergang aus HzE/§ 41".
    Transition,
}

impl ReasonCode {
    /// All reasons in display order.
    pub const ALL: [ReasonCode; 11] = [
        ReasonCode::TrainingDropout,
        ReasonCode::Housing,
        ReasonCode::FamilyConflict,
        ReasonCode::YoungParents,
        ReasonCode::Addiction,
        ReasonCode::MentalStrain,
        ReasonCode::Debt,
        ReasonCode::Offending,
        ReasonCode::Truancy,
        ReasonCode::LostContact,
        ReasonCode::Transition,
    ];

    /// Stable database code.
    pub fn code(self) -> &'static str {
        match self {
            ReasonCode::TrainingDropout => "dropout",
            ReasonCode::Housing => "housing",
            ReasonCode::FamilyConflict => "family",
            ReasonCode::YoungParents => "young_parents",
            ReasonCode::Addiction => "addiction",
            ReasonCode::MentalStrain => "mental",
            ReasonCode::Debt => "debt",
            ReasonCode::Offending => "offending",
            ReasonCode::Truancy => "truancy",
            ReasonCode::LostContact => "lost_contact",
            ReasonCode::Transition => "transition",
        }
    }

    /// Parses the database code.
    pub fn from_code(code: &str) -> Option<ReasonCode> {
        ReasonCode::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Comma-separated codes of a reason list (database form).
    pub fn join(reasons: &[ReasonCode]) -> String {
        reasons
            .iter()
            .map(|r| r.code())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Parses the database form; unknown codes are skipped.
    pub fn split(codes: &str) -> Vec<ReasonCode> {
        codes.split(',').filter_map(ReasonCode::from_code).collect()
    }
}

/// "Abschlussgrund".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClosureReason {
    /// "Schule/Schulabschluss".
    School,
    /// "Ausbildung".
    Training,
    /// "Arbeit".
    Work,
    /// "SGB-II-Maßnahme".
    JcProgramme,
    /// "Jugendhilfe bewilligt".
    YouthHelp,
    /// "Wohnsituation geklärt".
    Housing,
    /// "Wegzug".
    MovedAway,
    /// "25. Lebensjahr vollendet".
    Turned25,
    /// "Kontakt abgebrochen".
    LostContact,
    /// "Einwilligung widerrufen".
    ConsentRevoked,
    /// "Sonstiges".
    Other,
}

impl ClosureReason {
    /// All reasons in display order.
    pub const ALL: [ClosureReason; 11] = [
        ClosureReason::School,
        ClosureReason::Training,
        ClosureReason::Work,
        ClosureReason::JcProgramme,
        ClosureReason::YouthHelp,
        ClosureReason::Housing,
        ClosureReason::MovedAway,
        ClosureReason::Turned25,
        ClosureReason::LostContact,
        ClosureReason::ConsentRevoked,
        ClosureReason::Other,
    ];

    /// Stable database code.
    pub fn code(self) -> &'static str {
        match self {
            ClosureReason::School => "school",
            ClosureReason::Training => "training",
            ClosureReason::Work => "work",
            ClosureReason::JcProgramme => "jc_programme",
            ClosureReason::YouthHelp => "youth_help",
            ClosureReason::Housing => "housing",
            ClosureReason::MovedAway => "moved_away",
            ClosureReason::Turned25 => "turned_25",
            ClosureReason::LostContact => "lost_contact",
            ClosureReason::ConsentRevoked => "consent_revoked",
            ClosureReason::Other => "other",
        }
    }

    /// Parses the database code.
    pub fn from_code(code: &str) -> Option<ClosureReason> {
        ClosureReason::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Maximum length (characters) of short text fields such as names and file numbers.
pub const MAX_SHORT: usize = 100;
/// Maximum length (characters) of long text fields such as the question.
pub const MAX_LONG: usize = 4000;

/// "Junge Person": the person data of a cooperation case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YoungPerson {
    /// Database id (0 before the first save).
    pub id: PersonId,
    /// "Nachname".
    pub surname: String,
    /// "Vorname(n)".
    pub given_names: String,
    /// "Geburtsdatum".
    pub birth_date: NaiveDate,
    /// "Geschlecht".
    pub gender: Gender,
    /// "Anschrift".
    pub address: String,
    /// "Telefon".
    pub phone: String,
    /// "E-Mail".
    pub email: String,
    /// "Kundennummer JC" (Jobcenter-owned).
    pub jc_customer_no: String,
    /// "BG-Nummer" (Jobcenter-owned).
    pub bg_no: String,
    /// "Aktenzeichen JA" (Jugendamt-owned).
    pub ja_file_no: String,
    /// Optimistic-lock version of the row.
    pub version: i64,
}

impl YoungPerson {
    /// "Nachname, Vorname(n)".
    pub fn display_name(&self) -> String {
        format!("{}, {}", self.surname, self.given_names)
    }

    /// Age in whole years on `today`.
    pub fn age_on(&self, today: NaiveDate) -> u32 {
        date::age_on(self.birth_date, today)
    }

    /// "U25 endet am": the 25th birthday.
    pub fn u25_end(&self) -> NaiveDate {
        date::birthday_in_year(self.birth_date, 25)
    }
}

/// "Kooperationsfall": one young person worked on by both agencies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoopCase {
    /// Database id (0 before the first save).
    pub id: CaseId,
    /// The young person.
    pub person: YoungPerson,
    /// Owning Stelle ("Eigentümer-Stelle"): the agency that requested the cooperation.
    pub owner: Agency,
    /// "Status".
    pub status: CaseStatus,
    /// "Anlass" (at least one).
    pub reasons: Vec<ReasonCode>,
    /// "Fragestellung".
    pub question: String,
    /// "Fallführung": the leading agency.
    pub lead: Agency,
    /// Assigned Jobcenter staff member.
    pub jc_staff: Option<StaffId>,
    /// Assigned Jugendamt staff member.
    pub ja_staff: Option<StaffId>,
    /// "Angelegt am".
    pub opened_on: NaiveDate,
    /// "Wiedervorlage".
    pub next_review: Option<NaiveDate>,
    /// "Abgeschlossen am".
    pub closed_on: Option<NaiveDate>,
    /// "Abschlussgrund".
    pub closure_reason: Option<ClosureReason>,
    /// Optimistic-lock version of the row.
    pub version: i64,
}

impl CoopCase {
    /// Checks the rules a case must meet before it is saved. `previous` is the stored status
    /// (None for a new case); `today` the current local date.
    pub fn validate(
        &self,
        previous: Option<CaseStatus>,
        today: NaiveDate,
    ) -> Result<(), Vec<ValidationError>> {
        let mut errors = Vec::new();
        let p = &self.person;
        for (field, value, max) in [
            (Field::Surname, &p.surname, MAX_SHORT),
            (Field::GivenNames, &p.given_names, MAX_SHORT),
        ] {
            if value.trim().is_empty() {
                errors.push(ValidationError::new(field, Problem::Required));
            } else {
                check_len(&mut errors, field, value, max);
            }
        }
        for (field, value) in [
            (Field::Address, &p.address),
            (Field::Phone, &p.phone),
            (Field::Email, &p.email),
            (Field::JcCustomerNo, &p.jc_customer_no),
            (Field::BgNo, &p.bg_no),
            (Field::JaFileNo, &p.ja_file_no),
        ] {
            check_len(&mut errors, field, value, MAX_SHORT);
        }
        check_len(&mut errors, Field::Question, &self.question, MAX_LONG);
        if !p.email.is_empty() && !looks_like_email(&p.email) {
            errors.push(ValidationError::new(Field::Email, Problem::InvalidEmail));
        }
        if p.birth_date > today {
            errors.push(ValidationError::new(Field::BirthDate, Problem::InFuture));
        } else if p.age_on(today) >= 27 || p.age_on(today) < 14 {
            errors.push(ValidationError::new(
                Field::BirthDate,
                Problem::AgeOutOfRange,
            ));
        }
        if self.reasons.is_empty() {
            errors.push(ValidationError::new(Field::Reasons, Problem::Required));
        }
        if let Some(previous) = previous
            && previous != self.status
            && !previous.can_become(self.status)
        {
            errors.push(ValidationError::new(
                Field::Status,
                Problem::TransitionNotAllowed {
                    from: previous,
                    to: self.status,
                },
            ));
        }
        if previous.is_none()
            && !matches!(
                self.status,
                CaseStatus::Requested | CaseStatus::ConsentPending | CaseStatus::Active
            )
        {
            errors.push(ValidationError::new(
                Field::Status,
                Problem::TransitionNotAllowed {
                    from: CaseStatus::Requested,
                    to: self.status,
                },
            ));
        }
        if self.status == CaseStatus::Closed && self.closure_reason.is_none() {
            errors.push(ValidationError::new(
                Field::ClosureReason,
                Problem::Required,
            ));
        }
        if let Some(review) = self.next_review
            && review < self.opened_on
        {
            errors.push(ValidationError::new(
                Field::NextReview,
                Problem::BeforeOpened,
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Applies the effects of a status change: closing sets the closing date, reopening
    /// clears it.
    pub fn apply_status_effects(&mut self, today: NaiveDate) {
        if self.status == CaseStatus::Closed || self.status == CaseStatus::Declined {
            if self.closed_on.is_none() {
                self.closed_on = Some(today);
            }
        } else {
            self.closed_on = None;
            self.closure_reason = None;
        }
    }

    /// The date shown as "Nächster Termin": the review date while the case is open.
    pub fn next_date(&self) -> Option<NaiveDate> {
        if self.status.is_open() {
            self.next_review
        } else {
            None
        }
    }
}

fn check_len(errors: &mut Vec<ValidationError>, field: Field, value: &str, max: usize) {
    let len = value.chars().count();
    if len > max {
        errors.push(ValidationError::new(field, Problem::TooLong { max, len }));
    }
}

fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_machine_follows_domain_table() {
        use CaseStatus::*;
        assert!(Requested.can_become(ConsentPending));
        assert!(ConsentPending.can_become(Active));
        assert!(Active.can_become(Dormant) && Dormant.can_become(Active));
        assert!(Closed.can_become(Active));
        assert!(!Declined.can_become(Active));
        assert!(!Requested.can_become(Closed));
        assert!(!Active.can_become(Requested));
        assert_eq!(Active.choices_from(), vec![Active, Dormant, Closed]);
    }
}
