//! Validation errors that name the field they belong to, so the UI can show the German
//! message right at the field.

use super::case::CaseStatus;

/// Form field ids shared by domain rules and the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// "Nachname".
    Surname,
    /// "Vorname(n)".
    GivenNames,
    /// "Geburtsdatum".
    BirthDate,
    /// "Geschlecht".
    Gender,
    /// "Anschrift".
    Address,
    /// "Telefon".
    Phone,
    /// "E-Mail".
    Email,
    /// "Kundennummer JC".
    JcCustomerNo,
    /// "BG-Nummer".
    BgNo,
    /// "Aktenzeichen JA".
    JaFileNo,
    /// "Status".
    Status,
    /// "Anlass".
    Reasons,
    /// "Fragestellung".
    Question,
    /// "Fallführung".
    Lead,
    /// "Fachkraft Jobcenter".
    JcStaff,
    /// "Fachkraft Jugendamt".
    JaStaff,
    /// "Wiedervorlage".
    NextReview,
    /// "Abschlussgrund".
    ClosureReason,
    /// "Erklärt durch".
    DeclaredBy,
    /// "Grund der Vertretung".
    RepresentationReason,
    /// "Einsichtsfähigkeit geprüft".
    InsightChecked,
    /// "Erteilt am".
    SignedOn,
    /// "Form".
    ConsentForm,
    /// "Beleg".
    DocumentRef,
    /// "Zwecke".
    Purposes,
    /// "Datenarten".
    Categories,
    /// "Empfänger".
    Recipients,
    /// "Gültig ab".
    ValidFrom,
    /// "Gültig bis".
    ValidUntil,
    /// The three information ticks.
    InfoTicks,
}

impl Field {
    /// Every field, in form order.
    pub const ALL: [Field; 30] = [
        Field::Surname,
        Field::GivenNames,
        Field::BirthDate,
        Field::Gender,
        Field::Address,
        Field::Phone,
        Field::Email,
        Field::JcCustomerNo,
        Field::BgNo,
        Field::JaFileNo,
        Field::Status,
        Field::ClosureReason,
        Field::Reasons,
        Field::Question,
        Field::Lead,
        Field::JcStaff,
        Field::JaStaff,
        Field::NextReview,
        Field::DeclaredBy,
        Field::RepresentationReason,
        Field::InsightChecked,
        Field::SignedOn,
        Field::ConsentForm,
        Field::DocumentRef,
        Field::Purposes,
        Field::Categories,
        Field::Recipients,
        Field::ValidFrom,
        Field::ValidUntil,
        Field::InfoTicks,
    ];

    /// Stable name, used in drafts.
    pub fn code(self) -> &'static str {
        match self {
            Field::Surname => "surname",
            Field::GivenNames => "given_names",
            Field::BirthDate => "birth_date",
            Field::Gender => "gender",
            Field::Address => "address",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::JcCustomerNo => "jc_customer_no",
            Field::BgNo => "bg_no",
            Field::JaFileNo => "ja_file_no",
            Field::Status => "status",
            Field::Reasons => "reasons",
            Field::Question => "question",
            Field::Lead => "lead",
            Field::JcStaff => "jc_staff",
            Field::JaStaff => "ja_staff",
            Field::NextReview => "next_review",
            Field::ClosureReason => "closure_reason",
            Field::DeclaredBy => "declared_by",
            Field::RepresentationReason => "representation_reason",
            Field::InsightChecked => "insight_checked",
            Field::SignedOn => "signed_on",
            Field::ConsentForm => "consent_form",
            Field::DocumentRef => "document_ref",
            Field::Purposes => "purposes",
            Field::Categories => "categories",
            Field::Recipients => "recipients",
            Field::ValidFrom => "valid_from",
            Field::ValidUntil => "valid_until",
            Field::InfoTicks => "info_ticks",
        }
    }

    /// Parses a stable name.
    pub fn from_code(code: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// What is wrong with a field's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The field must be filled in.
    Required,
    /// Not of the form TT.MM.JJJJ.
    DateFormat,
    /// Well-formed, but the day does not exist (31.02.2007).
    DateDoesNotExist {
        /// Day as typed.
        day: u32,
        /// Month as typed.
        month: u32,
        /// Year as typed.
        year: i32,
    },
    /// A date that lies in the future where only the past makes sense.
    InFuture,
    /// A birth date that gives an age outside 14…26.
    AgeOutOfRange,
    /// Longer than allowed (never truncated silently).
    TooLong {
        /// Allowed characters.
        max: usize,
        /// Characters typed.
        len: usize,
    },
    /// Not an e-mail address.
    InvalidEmail,
    /// The status machine does not allow this change.
    TransitionNotAllowed {
        /// Stored state.
        from: CaseStatus,
        /// Requested state.
        to: CaseStatus,
    },
    /// A date before the case was opened.
    BeforeOpened,
    /// The declarant may not declare for a person of this age (on the signing date).
    DeclarantNotAllowed {
        /// Age on the signing date.
        age: u32,
    },
    /// Validity starts before the signature: consent cannot be retroactive.
    BeforeSigned,
    /// The end lies before the start.
    EndBeforeStart,
    /// A time was expected as `HH:MM` (or `TT.MM.JJJJ HH:MM`).
    TimeFormat,
    /// "akut": the advance phone call must be recorded.
    PhoneFirst,
    /// A prior step answered "Ja" needs its date.
    StepDate,
    /// A prior step answered "Nein" needs its reason.
    StepReason,
    /// Not a case number.
    CaseNumber,
}

/// A problem at a field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field:?}: {problem:?}")]
pub struct ValidationError {
    /// The field.
    pub field: Field,
    /// The problem.
    pub problem: Problem,
}

impl ValidationError {
    /// Creates an error at `field`.
    pub fn new(field: Field, problem: Problem) -> Self {
        ValidationError { field, problem }
    }
}
