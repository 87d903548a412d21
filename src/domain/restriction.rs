//! Restriction of processing and disputed fields (Art. 16, 18 DSGVO; docs/access.md A12) as
//! pure rules: who restricts and lifts, who still reads a restricted case, which fields can
//! be disputed.
//!
//! A restricted case ("gesperrt") stays stored but is not processed: nobody writes it — not
//! even its lead — and only the lead of the owning Stelle reads it; the DSB of that Stelle
//! sees that it is restricted (metadata), never its content (A1). A disputed field keeps its
//! value and is shown "(bestritten)" until the dispute is resolved.

use super::access::Relation;
use super::casefile::PERSON_FIELDS;
use super::{Agency, Field, Role, Staff};

/// Why a case was restricted (Art. 18 Abs. 1 lit. a–d DSGVO).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RestrictionReason {
    /// The person disputes the accuracy, for the time of the check (lit. a).
    Accuracy,
    /// The processing is unlawful and the person asks for restriction instead of erasure
    /// (lit. b).
    Unlawful,
    /// The Stelle no longer needs the data, the person needs them for legal claims (lit. c).
    LegalClaims,
    /// The person objected (Art. 21), pending the check (lit. d).
    Objection,
}

impl RestrictionReason {
    /// Every reason, in the order of Art. 18 Abs. 1.
    pub const ALL: [RestrictionReason; 4] = [
        RestrictionReason::Accuracy,
        RestrictionReason::Unlawful,
        RestrictionReason::LegalClaims,
        RestrictionReason::Objection,
    ];

    /// The stored code (schema 14, `restriction.reason`).
    pub fn code(self) -> &'static str {
        match self {
            RestrictionReason::Accuracy => "accuracy",
            RestrictionReason::Unlawful => "unlawful",
            RestrictionReason::LegalClaims => "legal_claims",
            RestrictionReason::Objection => "objection",
        }
    }

    /// The reason of a stored code.
    pub fn from_code(code: &str) -> Option<RestrictionReason> {
        RestrictionReason::ALL
            .into_iter()
            .find(|r| r.code() == code)
    }
}

/// How a dispute of a field ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DisputeOutcome {
    /// The value was corrected (Art. 16 DSGVO).
    Corrected,
    /// The value was checked and stays.
    Confirmed,
}

impl DisputeOutcome {
    /// Both outcomes.
    pub const ALL: [DisputeOutcome; 2] = [DisputeOutcome::Corrected, DisputeOutcome::Confirmed];

    /// The stored code (`field_dispute.outcome`).
    pub fn code(self) -> &'static str {
        match self {
            DisputeOutcome::Corrected => "corrected",
            DisputeOutcome::Confirmed => "confirmed",
        }
    }

    /// The outcome of a stored code.
    pub fn from_code(code: &str) -> Option<DisputeOutcome> {
        DisputeOutcome::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// The longest statement of a dispute, in characters (schema 14).
pub const STATEMENT_MAX: usize = 1000;

/// Whether `actor` may restrict a case owned by `owner`, or lift its restriction: an active
/// `lead` or DSB (`dpo`) of the owning Stelle (docs/access.md A12).
pub fn may_restrict(actor: &Staff, owner: Agency) -> bool {
    actor.active
        && actor.agency == owner
        && (actor.has_role(Role::Lead) || actor.has_role(Role::Dpo))
}

/// Whether `viewer` reads the content of a restricted case owned by `owner`: only an active
/// `lead` of the owning Stelle. The DSB sees that the case is restricted, not its content.
pub fn reads_restricted(viewer: &Staff, owner: Agency) -> bool {
    viewer.active && viewer.agency == owner && viewer.has_role(Role::Lead)
}

/// The relation that counts while a case owned by `owner` is restricted, for someone whose
/// relation without the restriction is `base`: the owning Stelle's lead reads as lead (even
/// when also assigned, nobody writes), everyone else has none.
pub fn restricted_relation(viewer: &Staff, owner: Agency, base: Relation) -> Relation {
    if base != Relation::None && reads_restricted(viewer, owner) {
        Relation::Lead
    } else {
        Relation::None
    }
}

/// Whether a field can be disputed: the person fields of the case file.
pub fn disputable(field: Field) -> bool {
    PERSON_FIELDS.contains(&field)
}

/// Whether `actor` with relation `relation` (as if the case were not restricted) records or
/// resolves a dispute of a field owned by `field_owner`: the Stelle that keeps the field
/// answers for its accuracy — its assigned caseworker, deputy or lead, or its DSB when the
/// Stelle takes part in the case (`party`).
pub fn may_dispute(actor: &Staff, relation: Relation, field_owner: Agency, party: bool) -> bool {
    actor.active
        && actor.agency == field_owner
        && (matches!(
            relation,
            Relation::Assigned | Relation::Deputy | Relation::Lead
        ) || (party && actor.has_role(Role::Dpo)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::StaffId;

    fn staff(agency: Agency, roles: Vec<Role>, active: bool) -> Staff {
        Staff {
            id: StaffId(1),
            login: "x".into(),
            surname: "X".into(),
            given_name: "Y".into(),
            agency,
            roles,
            active,
        }
    }

    #[test]
    fn codes_round_trip() {
        for r in RestrictionReason::ALL {
            assert_eq!(RestrictionReason::from_code(r.code()), Some(r));
        }
        for o in DisputeOutcome::ALL {
            assert_eq!(DisputeOutcome::from_code(o.code()), Some(o));
        }
    }

    #[test]
    fn only_the_owners_lead_and_dsb_restrict() {
        let jc = Agency::Jobcenter;
        assert!(may_restrict(&staff(jc, vec![Role::Lead], true), jc));
        assert!(may_restrict(&staff(jc, vec![Role::Dpo], true), jc));
        assert!(!may_restrict(&staff(jc, vec![Role::Lead], false), jc));
        assert!(!may_restrict(&staff(jc, vec![Role::JcU25], true), jc));
        assert!(!may_restrict(
            &staff(Agency::Jugendamt, vec![Role::Lead], true),
            jc
        ));
    }

    #[test]
    fn only_the_owners_lead_reads_a_restricted_case() {
        let jc = Agency::Jobcenter;
        let lead = staff(jc, vec![Role::JcU25, Role::Lead], true);
        assert_eq!(
            restricted_relation(&lead, jc, Relation::Assigned),
            Relation::Lead
        );
        let worker = staff(jc, vec![Role::JcU25], true);
        assert_eq!(
            restricted_relation(&worker, jc, Relation::Assigned),
            Relation::None
        );
        let partner = staff(Agency::Jugendamt, vec![Role::Lead], true);
        assert_eq!(
            restricted_relation(&partner, jc, Relation::Lead),
            Relation::None
        );
        assert!(!reads_restricted(&staff(jc, vec![Role::Dpo], true), jc));
    }
}
