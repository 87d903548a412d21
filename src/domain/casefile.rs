//! The records of a case file beside the case itself: custody holders, children, agreed
//! measures, notes (with § 65 entrusted notes), transfers and break-glass grants.

use chrono::{NaiveDate, NaiveDateTime};

use super::consent::{ConsentId, DataCategory, coded_enum};
use super::staff::{Agency, StaffId};
use super::validation::Field;

coded_enum!(
    /// "Beziehung" of a custody holder or relative.
    Relation {
        /// "Mutter".
        Mother = "mother",
        /// "Vater".
        Father = "father",
        /// "Stiefmutter".
        StepMother = "step_mother",
        /// "Stiefvater".
        StepFather = "step_father",
        /// "Pflegemutter".
        FosterMother = "foster_mother",
        /// "Pflegevater".
        FosterFather = "foster_father",
        /// "Vormund".
        Guardian = "guardian",
        /// "Sonstige".
        Other = "other",
    }
);

coded_enum!(
    /// "Sorgerecht".
    Custody {
        /// "allein".
        Sole = "sole",
        /// "gemeinsam".
        Joint = "joint",
        /// "kein".
        None = "none",
    }
);

coded_enum!(
    /// "Bezug" of a child.
    ChildRelation {
        /// "eigenes Kind".
        Own = "own",
        /// "Geschwister".
        Sibling = "sibling",
        /// "Kind im Haushalt".
        InHousehold = "household",
    }
);

coded_enum!(
    /// Status of an agreed measure (docs/domain.md 4.3).
    MeasureStatus {
        /// "Offen".
        Open = "open",
        /// "In Bearbeitung".
        InProgress = "in_progress",
        /// "Erledigt".
        Done = "done",
        /// "Nicht erledigt".
        NotDone = "not_done",
        /// "Entfallen".
        Dropped = "dropped",
    }
);

impl MeasureStatus {
    /// Whether the measure is finished.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            MeasureStatus::Done | MeasureStatus::NotDone | MeasureStatus::Dropped
        )
    }
}

coded_enum!(
    /// Statutory bases for a transfer without consent (docs/domain.md 3.7).
    StatutoryBasis {
        /// "§ 69 Abs. 1 Nr. 1 SGB X".
        Sgb10S69 = "sgb10_69",
        /// "§ 71 SGB X".
        Sgb10S71 = "sgb10_71",
        /// "§ 4 Abs. 3 KKG".
        Kkg4 = "kkg_4_3",
        /// "§ 8a Abs. 5 SGB VIII".
        Sgb8S8a = "sgb8_8a_5",
    }
);

coded_enum!(
    /// "Notfallzugriff" reasons (docs/domain.md 5.1 rule 3).
    BreakGlassReason {
        /// "Vertretung ohne Eintrag".
        UnlistedDeputy = "unlisted_deputy",
        /// "Kinderschutz-Eilfall".
        ChildProtection = "child_protection",
        /// "Anfrage der jungen Person".
        PersonAsked = "person_asked",
        /// "Sonstiges".
        Other = "other",
    }
);

/// A custody holder or relative ("Sorgeberechtigte/Angehörige").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guardian {
    /// Database id.
    pub id: i64,
    /// "Name".
    pub name: String,
    /// "Beziehung".
    pub relation: Relation,
    /// "Sorgerecht".
    pub custody: Custody,
    /// "Telefon".
    pub phone: String,
    /// "Kontakt gefährdet": suppresses invitations and letters.
    pub do_not_contact: bool,
    /// "Beendet am": custody ended or the person left the young person's life; kept,
    /// shown as ended, never invited.
    pub ended_on: Option<NaiveDate>,
}

/// A child in the household of the young person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Child {
    /// Database id.
    pub id: i64,
    /// "Vorname(n) Nachname".
    pub name: String,
    /// "Geburtsdatum".
    pub birth_date: NaiveDate,
    /// "Bezug".
    pub relation: ChildRelation,
    /// "Aktueller Aufenthaltsort".
    pub whereabouts: String,
    /// "Beendet am": the child no longer belongs to the household (moved, adopted).
    pub ended_on: Option<NaiveDate>,
}

/// Who is responsible for a measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Responsible {
    /// A staff member of an agency.
    Staff(Agency, StaffId),
    /// The young person themselves.
    YoungPerson,
    /// Someone outside (Träger, Schule), by name.
    External(String),
}

/// An agreed measure ("Vereinbarung").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    /// Database id.
    pub id: i64,
    /// "Vereinbarung".
    pub text: String,
    /// "Verantwortlich".
    pub responsible: Responsible,
    /// "Fällig am".
    pub due_on: NaiveDate,
    /// "Status".
    pub status: MeasureStatus,
    /// "Ergebnis".
    pub result: String,
}

impl Measure {
    /// Overdue on `today`: open past its due date.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        !self.status.is_final() && today > self.due_on
    }
}

/// A note in the case file. Notes stay inside the author's agency; an entrusted note
/// (§ 65 SGB VIII) is visible to its author only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Database id.
    pub id: i64,
    /// Author.
    pub author: StaffId,
    /// The author's agency (owner of the note).
    pub agency: Agency,
    /// "Anvertraut (§ 65 SGB VIII)".
    pub entrusted: bool,
    /// The text (empty when the viewer may see only that the note exists).
    pub text: String,
    /// When it was written (local time as read from the store).
    pub at: NaiveDateTime,
}

/// The legal basis of a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferBasis {
    /// A consent; the transferred data stays visible only while it covers the transfer.
    Consent(ConsentId),
    /// A statutory basis with a recorded justification.
    Statute(StatutoryBasis),
}

/// A custody holder or child named in a transfer: the family records cross to the partner
/// one by one, like the person's fields (docs/casework.md § 2). Stored in the transfer
/// log's field list as `guardian:ID` / `child:ID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FamilyRef {
    /// A custody holder or relative.
    Guardian(i64),
    /// A child.
    Child(i64),
}

impl FamilyRef {
    /// The stable text form in the transfer log.
    pub fn code(self) -> String {
        match self {
            FamilyRef::Guardian(id) => format!("guardian:{id}"),
            FamilyRef::Child(id) => format!("child:{id}"),
        }
    }

    /// Parses [`FamilyRef::code`].
    pub fn from_code(s: &str) -> Option<FamilyRef> {
        let (kind, id) = s.split_once(':')?;
        let id = id.parse().ok()?;
        match kind {
            "guardian" => Some(FamilyRef::Guardian(id)),
            "child" => Some(FamilyRef::Child(id)),
            _ => None,
        }
    }

    /// The consent category that must cover it: "Familie".
    pub fn category(self) -> DataCategory {
        DataCategory::Family
    }
}

/// One recorded transfer ("Übermittlung") of case fields to the other agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// Database id.
    pub id: i64,
    /// Sending agency (owner of the data).
    pub from: Agency,
    /// Receiving agency.
    pub to: Agency,
    /// The fields disclosed.
    pub fields: Vec<Field>,
    /// The custody holders and children disclosed.
    pub family: Vec<FamilyRef>,
    /// "Zweck".
    pub purpose: String,
    /// "Rechtsgrundlage".
    pub basis: TransferBasis,
    /// Who decided.
    pub decided_by: StaffId,
    /// When (local time as read from the store).
    pub at: NaiveDateTime,
}

/// The data category a case field belongs to, for consent coverage.
pub fn field_category(field: Field) -> DataCategory {
    match field {
        Field::JcCustomerNo | Field::BgNo => DataCategory::Benefits,
        Field::Reasons | Field::Question => DataCategory::Measures,
        _ => DataCategory::MasterData,
    }
}

/// The agency that owns a case field: the benefit numbers are the Jobcenter's, the file
/// number of the Jugendamt is the Jugendamt's, everything else belongs to the case owner.
pub fn field_owner(field: Field, case_owner: Agency) -> Agency {
    match field {
        Field::JcCustomerNo | Field::BgNo => Agency::Jobcenter,
        Field::JaFileNo => Agency::Jugendamt,
        _ => case_owner,
    }
}

/// Fields of the case form that hold person data and need a transfer to be seen by the
/// partner agency. The rest (status, lead, assigned staff, dates) is the cooperation's own
/// bookkeeping, visible to both agencies of the case.
pub const PERSON_FIELDS: [Field; 12] = [
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
    Field::Reasons,
    Field::Question,
];
