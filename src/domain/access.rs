//! Who may see which case: the access rules as pure functions, default deny.
//!
//! The agency masks serve the case list's read model; the relation of one person to one
//! case ([`relation`]) and the field and note rules decide every read and write of a case.

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
    /// Deputy ("Vertretung") of an assigned staff member of the same agency.
    Deputy,
    /// Team lead of an agency that is party to the case.
    Lead,
    /// Break-glass access ("Notfallzugriff") with a recorded reason, own agency only.
    BreakGlass,
    /// No access.
    None,
}

/// The parties of a case, as far as access depends on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parties {
    /// The owning agency.
    pub owner: super::Agency,
    /// Assigned Jobcenter staff member and their deputy.
    pub jc: Option<(super::StaffId, Option<super::StaffId>)>,
    /// Assigned Jugendamt staff member and their deputy.
    pub ja: Option<(super::StaffId, Option<super::StaffId>)>,
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
    if let Some((assigned, deputy)) = own {
        if assigned == viewer.id {
            return Relation::Assigned;
        }
        if deputy == Some(viewer.id) {
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

/// Whether `viewer` may read the text of a note. An entrusted note (§ 65 SGB VIII) is for
/// its author alone — not the lead, the deputy, the partner, the DSB or break-glass; other
/// notes stay inside the author's agency.
pub fn note_visible(viewer: &Staff, relation: Relation, note: &super::casefile::Note) -> bool {
    if note.entrusted {
        return viewer.active && viewer.id == note.author;
    }
    relation != Relation::None && viewer.agency == note.agency
}
