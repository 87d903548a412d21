//! Who may see which case: the access rules of `docs/access.md` as pure functions, default
//! deny.
//!
//! The agency masks serve the case list's read model; the relation of one person to one
//! case ([`relation`]) and the record rules below decide every read and write of a case.

use super::case::CoopCase;
use super::staff::Staff;

/// Bit mask of the agencies that may see `case` (1 = Jobcenter, 2 = Jugendamt).
pub fn visibility_mask(case: &CoopCase) -> i64 {
    let mut mask = case.owner.bit();
    if case.jc_staff.is_some() {
        mask |= super::Agency::Jobcenter.bit();
    }
    if case.ja_staff.is_some() {
        mask |= super::Agency::Jugendamt.bit();
    }
    mask
}

/// The mask a viewer's case-list query filters with; 0 means "sees nothing".
pub fn viewer_mask(viewer: &Staff) -> i64 {
    if viewer.may_see_cases() {
        viewer.agency.bit()
    } else {
        0
    }
}

/// How a staff member stands to one case. Everything a person may read of a case follows
/// from this and from the transfers; there is no other way in (default deny).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Relation {
    /// Assigned to the case.
    Assigned,
    /// Deputy ("Vertretung") of an assigned staff member of the same agency who is away
    /// (docs/access.md A2).
    Deputy,
    /// Team lead of an agency that is party to the case.
    Lead,
    /// Break-glass access ("Notfallzugriff") with a recorded reason, own agency only.
    BreakGlass,
    /// No access.
    None,
}

/// One agency's side of a case: the assigned caseworker, their deputy, and whether the
/// deputy stands in today (the caseworker is away, or the office keeps permanent deputies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Side {
    /// The assigned caseworker.
    pub assigned: super::StaffId,
    /// Their recorded deputy.
    pub deputy: Option<super::StaffId>,
    /// Whether the deputy stands in today (docs/access.md A2).
    pub deputy_active: bool,
}

/// The parties of a case, as far as access depends on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parties {
    /// The owning agency.
    pub owner: super::Agency,
    /// The Jobcenter side.
    pub jc: Option<Side>,
    /// The Jugendamt side.
    pub ja: Option<Side>,
}

impl Parties {
    /// Whether `agency` takes part in the case (owns it or has staff assigned).
    pub fn involves(&self, agency: super::Agency) -> bool {
        self.owner == agency
            || match agency {
                super::Agency::Jobcenter => self.jc.is_some(),
                super::Agency::Jugendamt => self.ja.is_some(),
            }
    }
}

/// The relation of `viewer` to a case with `parties`; `grant` says whether the viewer holds
/// a running break-glass grant for it.
pub fn relation(viewer: &Staff, parties: &Parties, grant: bool) -> Relation {
    if !viewer.may_see_cases() {
        return Relation::None;
    }
    let own = match viewer.agency {
        super::Agency::Jobcenter => parties.jc,
        super::Agency::Jugendamt => parties.ja,
    };
    if let Some(side) = own {
        if side.assigned == viewer.id {
            return Relation::Assigned;
        }
        if side.deputy_active && side.deputy == Some(viewer.id) {
            return Relation::Deputy;
        }
    }
    if !parties.involves(viewer.agency) {
        // Nothing of the case belongs to the viewer's agency: no way in, not even
        // break-glass, which never crosses the agency boundary.
        return Relation::None;
    }
    if viewer.has_role(super::Role::Lead) {
        return Relation::Lead;
    }
    if grant {
        return Relation::BreakGlass;
    }
    Relation::None
}

/// Whether a person field owned by `field_owner` is readable for `viewer` with `relation`.
/// `transferred` says whether a transfer of that field to the viewer (or the viewer's
/// agency) is on record and its basis still holds.
pub fn field_visible(
    viewer: &Staff,
    relation: Relation,
    field_owner: super::Agency,
    transferred: bool,
) -> bool {
    match relation {
        Relation::None => false,
        Relation::BreakGlass => field_owner == viewer.agency,
        Relation::Assigned | Relation::Deputy | Relation::Lead => {
            field_owner == viewer.agency || transferred
        }
    }
}

/// Whether the relation lets a person read partner-owned records at all (with a basis):
/// assigned, deputy or lead, never break-glass (docs/access.md A4).
pub fn reads_partner_records(relation: Relation) -> bool {
    matches!(
        relation,
        Relation::Assigned | Relation::Deputy | Relation::Lead
    )
}

/// Whether a record owned by `owner`, resting (for the partner) on a basis that holds or
/// not, is readable for `viewer` with `relation` (docs/access.md A4).
pub fn record_visible(
    viewer: &Staff,
    relation: Relation,
    owner: super::Agency,
    basis_holds: bool,
) -> bool {
    match relation {
        Relation::None => false,
        _ if owner == viewer.agency => true,
        _ => reads_partner_records(relation) && basis_holds,
    }
}

/// Whether the relation lets a person write the case's records (docs/access.md A7):
/// assigned or deputy. A lead writes only the exceptions A7 names; break-glass reads.
pub fn may_write(relation: Relation) -> bool {
    matches!(relation, Relation::Assigned | Relation::Deputy)
}

/// Why the store refused (docs/access.md A7); one enum for writes, transfers and steps.
pub use super::refusal::Refusal;

/// The case form fields a person of `agency` may not change on a case owned by `owner`
/// whose Fallführung lies with `lead` (docs/access.md A7): the person fields the other
/// agency owns, the other agency's caseworker (on a new case the creator names the one it
/// asks for cooperation), and the Fallführung unless the own agency holds it (on a new
/// case it is the creating agency's).
pub fn readonly_case_fields(
    agency: super::Agency,
    owner: super::Agency,
    lead: super::Agency,
    is_new: bool,
) -> Vec<super::Field> {
    use super::Field;
    let mut out: Vec<Field> = super::casefile::PERSON_FIELDS
        .into_iter()
        .filter(|f| super::casefile::field_owner(*f, owner) != agency)
        .collect();
    if !is_new {
        out.push(match agency {
            super::Agency::Jobcenter => Field::JaStaff,
            super::Agency::Jugendamt => Field::JcStaff,
        });
    }
    if is_new || lead != agency {
        out.push(Field::Lead);
    }
    out
}

/// A screen that shows people and is logged when it is shown (docs/access.md A9). Single
/// records (a case file, a referral, a conference) are logged by the reads that load them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenRead {
    /// The own caseload (F2).
    CaseList,
    /// Every case of the agency (F2, leads).
    AgencyList,
    /// A search in the case list (the words are not logged).
    CaseSearch,
    /// The child-protection list: own referrals, or the Jugendamt's inbox (F4).
    ReferralList,
    /// The on-call list (F6).
    OnCallList,
    /// The conference agenda and week (F3).
    ConferenceList,
    /// The anonymous consultations (F4, `b`).
    ConsultList,
    /// The information at benefit withdrawal (F4, `l`; docs/casework.md § 9).
    WithdrawalList,
    /// The early-help list or inbox (F4, `h`; docs/early-help.md).
    EarlyHelpList,
    /// A lookup of a case by its number for break-glass (hit or not).
    CaseLookup,
    /// The review of break-glass grants (DSB, leads).
    GrantReview,
    /// The DSB's audit log view, filtered or not (docs/access.md A13).
    DpoAudit,
    /// The DSB's list of refused accesses.
    DpoRefused,
    /// The DSB's transfer log.
    DpoTransfers,
    /// The DSB's referral counts.
    DpoReferrals,
    /// The DSB's chain check.
    DpoChain,
    /// The DSB's retention review and runs.
    DpoRetention,
}

impl ScreenRead {
    /// The audit object type.
    pub fn code(self) -> &'static str {
        match self {
            ScreenRead::CaseList => "case_list",
            ScreenRead::AgencyList => "agency_case_list",
            ScreenRead::CaseSearch => "case_search",
            ScreenRead::ReferralList => "cp_referral_list",
            ScreenRead::OnCallList => "cp_oncall_list",
            ScreenRead::ConferenceList => "conference_list",
            ScreenRead::ConsultList => "anon_consult_list",
            ScreenRead::WithdrawalList => "withdrawal_notice_list",
            ScreenRead::EarlyHelpList => "eh_request_list",
            ScreenRead::CaseLookup => "case_lookup",
            ScreenRead::GrantReview => "access_grant_review",
            ScreenRead::DpoAudit => "dpo_audit",
            ScreenRead::DpoRefused => "dpo_refused",
            ScreenRead::DpoTransfers => "dpo_transfer_log",
            ScreenRead::DpoReferrals => "dpo_referral_stats",
            ScreenRead::DpoChain => "dpo_chain",
            ScreenRead::DpoRetention => "dpo_retention",
        }
    }
}

/// Whether `viewer` may read the text of a note. An entrusted note (§ 65 SGB VIII) is for
/// its author alone — not the lead, the deputy, the partner, the DSB or break-glass; other
/// notes stay inside the author's agency.
pub fn note_visible(viewer: &Staff, relation: Relation, note: &super::casefile::Note) -> bool {
    if note.entrusted {
        return viewer.active && viewer.id == note.author;
    }
    relation != Relation::None && viewer.agency == note.agency
}
