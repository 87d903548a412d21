//! Who may see which case: the access rules as pure functions, default deny.
//!
//! For now a case is visible to the agencies that own it or have staff assigned to it, and
//! only to staff whose role does case work. The case-file issue refines this per person and
//! per field; every query of the store goes through these functions.

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

/// Whether `viewer` may open a case with visibility `mask`.
pub fn may_view(viewer: &Staff, mask: i64) -> bool {
    viewer_mask(viewer) & mask != 0
}
