//! Consent ("Einwilligung" / "Schweigepflichtentbindung", docs/domain.md 3.3, 4.4, 5.2): who
//! declared it, for which purposes, data categories and recipients, how long, and whether it
//! covers a given transfer today. Pure rules.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::date::age_on;
use super::staff::{Agency, StaffId};
use super::validation::{Field, Problem, ValidationError};

/// Database id of a consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ConsentId(pub i64);

macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            /// All values in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable database code.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Parses the database code.
            pub fn from_code(code: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// Comma-separated codes (database form of a set).
            pub fn join(values: &[$name]) -> String {
                values.iter().map(|v| v.code()).collect::<Vec<_>>().join(",")
            }

            /// Parses the comma-separated form; unknown codes are skipped.
            pub fn split(codes: &str) -> Vec<$name> {
                codes.split(',').filter_map($name::from_code).collect()
            }
        }
    };
}
pub(crate) use coded_enum;

coded_enum!(
    /// "Erklärt durch".
    DeclaredBy {
        /// "junge Person".
        YoungPerson = "young_person",
        /// "Sorgeberechtigte".
        CustodyHolders = "custody",
        /// "Vormund".
        Guardian = "guardian",
        /// "rechtliche Betreuung".
        LegalCarer = "legal_carer",
    }
);

coded_enum!(
    /// "Grund der Vertretung".
    RepresentationReason {
        /// "unter 15".
        Under15 = "under_15",
        /// "fehlende Einsichtsfähigkeit".
        NoCapacity = "no_capacity",
        /// "Betreuung".
        Betreuung = "betreuung",
    }
);

coded_enum!(
    /// "Zwecke".
    Purpose {
        /// "Fallkonferenz".
        Conference = "conference",
        /// "Gegenseitige Information über Hilfen und Maßnahmen".
        MutualInformation = "mutual_information",
        /// "Stellungnahme zu § 22 Abs. 5 SGB II".
        Statement22 = "statement_22",
        /// "Übergang nach § 36b SGB VIII".
        Transition36b = "transition_36b",
        /// "Sonstiger Zweck".
        Other = "other",
    }
);

coded_enum!(
    /// "Datenarten".
    DataCategory {
        /// "Stammdaten".
        MasterData = "master",
        /// "Schule/Ausbildung".
        School = "school",
        /// "Leistungsbezug".
        Benefits = "benefits",
        /// "Maßnahmen".
        Measures = "measures",
        /// "Wohnen".
        Housing = "housing",
        /// "Familie".
        Family = "family",
        /// "Gesundheit".
        Health = "health",
        /// "Sucht".
        Addiction = "addiction",
        /// "Schulden".
        Debt = "debt",
        /// "Justiz".
        Justice = "justice",
    }
);

coded_enum!(
    /// "Form".
    ConsentForm {
        /// "schriftlich".
        Written = "written",
        /// "elektronisch".
        Electronic = "electronic",
    }
);

coded_enum!(
    /// Stored status; "Abgelaufen" and "Bestätigung erforderlich" follow from dates.
    ConsentStatus {
        /// "Entwurf".
        Draft = "draft",
        /// "Erteilt".
        Granted = "granted",
        /// "Verweigert".
        Refused = "refused",
        /// "Widerrufen".
        Revoked = "revoked",
        /// "Abgelaufen" (computed, never stored).
        Expired = "expired",
        /// "Bestätigung erforderlich" (computed on the 18th birthday).
        ConfirmationNeeded = "confirmation_needed",
    }
);

coded_enum!(
    /// "Form des Widerrufs".
    RevokedHow {
        /// "mündlich".
        Oral = "oral",
        /// "schriftlich".
        Written = "written",
        /// "elektronisch".
        Electronic = "electronic",
    }
);

/// An "Einwilligung".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    /// Database id (0 before the first save).
    pub id: ConsentId,
    /// The cooperation case it belongs to.
    pub case_id: i64,
    /// The agency that recorded it.
    pub recorded_by: Agency,
    /// "Erklärt durch".
    pub declared_by: DeclaredBy,
    /// "Grund der Vertretung" (required unless the young person declared it).
    pub representation_reason: Option<RepresentationReason>,
    /// "Einsichtsfähigkeit geprüft" for 15–17-year-olds declaring themselves.
    pub insight_checked: bool,
    /// "Erteilt am".
    pub signed_on: NaiveDate,
    /// "Form".
    pub form: ConsentForm,
    /// "Beleg" (scan or storage reference).
    pub document_ref: String,
    /// "Zwecke".
    pub purposes: Vec<Purpose>,
    /// "Datenarten".
    pub categories: Vec<DataCategory>,
    /// Recipient agencies.
    pub recipient_agencies: Vec<Agency>,
    /// Named persons (a "Schweigepflichtentbindung" names persons).
    pub recipient_staff: Vec<StaffId>,
    /// External recipients by name (Träger, Schule).
    pub external_recipients: String,
    /// "Wiederkehrende Übermittlung".
    pub recurring: bool,
    /// "Gültig ab".
    pub valid_from: NaiveDate,
    /// "Gültig bis".
    pub valid_until: NaiveDate,
    /// "Über Zweck informiert".
    pub info_purpose: bool,
    /// "Über Folgen der Verweigerung informiert".
    pub info_refusal: bool,
    /// "Über Widerrufbarkeit informiert".
    pub info_revocable: bool,
    /// Stored status (draft, granted, refused, revoked).
    pub status: ConsentStatus,
    /// "Widerrufen am".
    pub revoked_on: Option<NaiveDate>,
    /// "Form des Widerrufs".
    pub revoked_how: Option<RevokedHow>,
    /// Optimistic-lock version.
    pub version: i64,
}

impl Consent {
    /// The status as of `today` for a person born on `birth`: a granted consent past its
    /// end is "Abgelaufen"; one declared by custody holders needs confirmation once the
    /// person turned 18 after signing.
    pub fn effective_status(&self, today: NaiveDate, birth: NaiveDate) -> ConsentStatus {
        match self.status {
            ConsentStatus::Granted if today > self.valid_until => ConsentStatus::Expired,
            ConsentStatus::Granted
                if self.declared_by == DeclaredBy::CustodyHolders
                    && age_on(birth, self.signed_on) < 18
                    && age_on(birth, today) >= 18 =>
            {
                ConsentStatus::ConfirmationNeeded
            }
            other => other,
        }
    }

    /// Whether data may move under this consent today at all.
    pub fn is_active(&self, today: NaiveDate, birth: NaiveDate) -> bool {
        self.effective_status(today, birth) == ConsentStatus::Granted && today >= self.valid_from
    }

    /// Whether this consent covers a transfer of `category` to `recipient` (an agency) for
    /// one of `purposes` today. A consent naming persons (Schweigepflichtentbindung) covers
    /// only those persons, even inside a named agency.
    pub fn covers(
        &self,
        today: NaiveDate,
        birth: NaiveDate,
        recipient: Agency,
        person: Option<StaffId>,
        category: DataCategory,
    ) -> bool {
        if !self.is_active(today, birth)
            || !self.categories.contains(&category)
            || !self.recipient_agencies.contains(&recipient)
        {
            return false;
        }
        if self.recipient_staff.is_empty() {
            return true;
        }
        person.is_some_and(|p| self.recipient_staff.contains(&p))
    }

    /// Whether this consent lets `category` go to the agency `recipient` today (the named
    /// persons of a Schweigepflichtentbindung are checked when the data is read).
    pub fn covers_agency(
        &self,
        today: NaiveDate,
        birth: NaiveDate,
        recipient: Agency,
        category: DataCategory,
    ) -> bool {
        self.is_active(today, birth)
            && self.categories.contains(&category)
            && self.recipient_agencies.contains(&recipient)
    }

    /// The rules of docs/domain.md 5.2 for a person born on `birth`.
    pub fn validate(&self, birth: NaiveDate, today: NaiveDate) -> Result<(), Vec<ValidationError>> {
        let mut errors = Vec::new();
        let age = age_on(birth, self.signed_on);
        let err = |errors: &mut Vec<ValidationError>, f: Field, p: Problem| {
            errors.push(ValidationError::new(f, p));
        };
        if self.signed_on > today {
            err(&mut errors, Field::SignedOn, Problem::InFuture);
        }
        match (age, self.declared_by) {
            (0..=14, DeclaredBy::YoungPerson) => {
                err(
                    &mut errors,
                    Field::DeclaredBy,
                    Problem::DeclarantNotAllowed { age },
                );
            }
            (18.., DeclaredBy::CustodyHolders | DeclaredBy::Guardian) => {
                err(
                    &mut errors,
                    Field::DeclaredBy,
                    Problem::DeclarantNotAllowed { age },
                );
            }
            (15..=17, DeclaredBy::YoungPerson) if !self.insight_checked => {
                err(&mut errors, Field::InsightChecked, Problem::Required);
            }
            _ => {}
        }
        if self.declared_by != DeclaredBy::YoungPerson && self.representation_reason.is_none() {
            err(&mut errors, Field::RepresentationReason, Problem::Required);
        }
        if self.purposes.is_empty() {
            err(&mut errors, Field::Purposes, Problem::Required);
        }
        if self.categories.is_empty() {
            err(&mut errors, Field::Categories, Problem::Required);
        }
        if self.recipient_agencies.is_empty() {
            err(&mut errors, Field::Recipients, Problem::Required);
        }
        if self.valid_from < self.signed_on {
            // Consent is prior: no retroactive approval.
            err(&mut errors, Field::ValidFrom, Problem::BeforeSigned);
        }
        if self.valid_until < self.valid_from {
            err(&mut errors, Field::ValidUntil, Problem::EndBeforeStart);
        }
        if self.status == ConsentStatus::Granted {
            if !(self.info_purpose && self.info_refusal && self.info_revocable) {
                err(&mut errors, Field::InfoTicks, Problem::Required);
            }
            if self.document_ref.trim().is_empty() {
                err(&mut errors, Field::DocumentRef, Problem::Required);
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    fn sample() -> Consent {
        Consent {
            id: ConsentId(1),
            case_id: 1,
            recorded_by: Agency::Jobcenter,
            declared_by: DeclaredBy::YoungPerson,
            representation_reason: None,
            insight_checked: false,
            signed_on: d(2026, 1, 10),
            form: ConsentForm::Written,
            document_ref: "Scan 2026-001".into(),
            purposes: vec![Purpose::Conference],
            categories: vec![DataCategory::MasterData],
            recipient_agencies: vec![Agency::Jugendamt],
            recipient_staff: vec![],
            external_recipients: String::new(),
            recurring: false,
            valid_from: d(2026, 1, 10),
            valid_until: d(2027, 1, 9),
            info_purpose: true,
            info_refusal: true,
            info_revocable: true,
            status: ConsentStatus::Granted,
            revoked_on: None,
            revoked_how: None,
            version: 1,
        }
    }

    #[test]
    fn covers_only_what_was_ticked_while_valid() {
        let c = sample();
        let born = d(2004, 5, 1);
        let today = d(2026, 6, 1);
        assert!(c.covers(
            today,
            born,
            Agency::Jugendamt,
            None,
            DataCategory::MasterData
        ));
        assert!(!c.covers(today, born, Agency::Jugendamt, None, DataCategory::Health));
        assert!(!c.covers(
            today,
            born,
            Agency::Jobcenter,
            None,
            DataCategory::MasterData
        ));
        assert!(!c.covers(
            d(2027, 1, 10),
            born,
            Agency::Jugendamt,
            None,
            DataCategory::MasterData
        ));
        assert_eq!(
            c.effective_status(d(2027, 1, 10), born),
            ConsentStatus::Expired
        );
        let mut named = c.clone();
        named.recipient_staff = vec![StaffId(7)];
        assert!(named.covers(
            today,
            born,
            Agency::Jugendamt,
            Some(StaffId(7)),
            DataCategory::MasterData
        ));
        assert!(!named.covers(
            today,
            born,
            Agency::Jugendamt,
            Some(StaffId(8)),
            DataCategory::MasterData
        ));
        let mut revoked = c;
        revoked.status = ConsentStatus::Revoked;
        assert!(!revoked.is_active(today, born));
    }

    #[test]
    fn who_may_declare_depends_on_age_at_signing() {
        let mut c = sample();
        assert!(
            c.validate(d(2012, 5, 1), d(2026, 6, 1)).is_err(),
            "13-year-old cannot declare"
        );
        c.declared_by = DeclaredBy::CustodyHolders;
        c.representation_reason = Some(RepresentationReason::Under15);
        assert!(c.validate(d(2012, 5, 1), d(2026, 6, 1)).is_ok());
        assert!(
            c.validate(d(2000, 5, 1), d(2026, 6, 1)).is_err(),
            "parents cannot declare for adults"
        );
        let mut teen = sample();
        assert!(
            teen.validate(d(2009, 5, 1), d(2026, 6, 1)).is_err(),
            "insight check needed at 16"
        );
        teen.insight_checked = true;
        assert!(teen.validate(d(2009, 5, 1), d(2026, 6, 1)).is_ok());
    }

    #[test]
    fn parent_declared_consent_needs_confirmation_at_18() {
        let mut c = sample();
        c.declared_by = DeclaredBy::CustodyHolders;
        c.representation_reason = Some(RepresentationReason::NoCapacity);
        let born = d(2008, 3, 1);
        assert_eq!(
            c.effective_status(d(2026, 2, 28), born),
            ConsentStatus::Granted
        );
        assert_eq!(
            c.effective_status(d(2026, 3, 1), born),
            ConsentStatus::ConfirmationNeeded
        );
        assert!(!c.is_active(d(2026, 3, 1), born));
    }

    #[test]
    fn granted_needs_the_three_ticks_and_a_document() {
        let mut c = sample();
        c.info_refusal = false;
        c.document_ref.clear();
        let errors = c
            .validate(d(2004, 5, 1), d(2026, 6, 1))
            .expect_err("incomplete");
        assert!(errors.iter().any(|e| e.field == Field::InfoTicks));
        assert!(errors.iter().any(|e| e.field == Field::DocumentRef));
    }
}
