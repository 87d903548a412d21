//! The read model of one case file (docs/access.md): the case as the viewer may see it,
//! with what is withheld named rather than shown.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::access::Relation;
use crate::domain::alerts::Alert;
use crate::domain::casefile::{BreakGlassReason, Child, Guardian, Measure, Note, Transfer};
use crate::domain::consent::{Consent, ConsentId};
use crate::domain::restriction::RestrictionReason;
use crate::domain::{CoopCase, Field, StaffId};

/// What a person may see of one case, assembled in one place.
#[derive(Debug, Clone)]
pub struct CaseFileView {
    /// The case; person fields the viewer may not see are emptied.
    pub case: CoopCase,
    /// How the viewer stands to the case.
    pub relation: Relation,
    /// Person fields withheld from the viewer (not transferred, or no longer covered).
    pub hidden: Vec<Field>,
    /// Partner fields the viewer sees thanks to a transfer.
    pub received: Vec<Field>,
    /// Consents of the case the viewer may read (docs/access.md A4).
    pub consents: Vec<Consent>,
    /// Custody holders (owner's data; the partner sees them with consent for "Familie").
    pub guardians: Option<Vec<Guardian>>,
    /// Children (as guardians).
    pub children: Option<Vec<Child>>,
    /// Agreed measures the viewer may read (docs/access.md A4).
    pub measures: Vec<Measure>,
    /// Notes the viewer may read.
    pub notes: Vec<Note>,
    /// Notes the viewer may not read but may know of (entrusted notes of others in the
    /// viewer's agency: count and dates only).
    pub withheld_notes: Vec<NaiveDateTime>,
    /// Transfer receipts the viewer may read: those the own agency sent, and those it
    /// received while their basis holds (docs/access.md A4).
    pub transfers: Vec<Transfer>,
    /// Names of staff appearing in the file.
    pub staff_names: HashMap<StaffId, String>,
    /// Deputies of the assigned staff (Jobcenter, Jugendamt).
    pub deputies: (Option<StaffId>, Option<StaffId>),
    /// Planned end of a running youth help (§ 41 SGB VIII).
    pub help_end: Option<NaiveDate>,
    /// The last day of case work (opened, consent, note).
    pub last_activity: NaiveDate,
    /// The alerts of the case as of the day asked for.
    pub alerts: Vec<Alert>,
    /// Break-glass accesses (who, why, when) by staff of the viewer's agency, shown to its
    /// staff on the case and its lead (docs/access.md A4).
    pub grants: Vec<(StaffId, BreakGlassReason, NaiveDateTime)>,
    /// Partner consents whose declarant is withheld (it would reveal the age band while the
    /// birth date is not transferred); their `declared_by` reads "young person" and must be
    /// shown as withheld.
    pub declarant_withheld: Vec<ConsentId>,
    /// The open restriction of the case (only the owning Stelle's lead reads a restricted
    /// case; docs/access.md A12): reason and since when (Berlin wall-clock).
    pub restriction: Option<(RestrictionReason, NaiveDateTime)>,
    /// Person fields the viewer may read whose accuracy is disputed (shown "(bestritten)").
    pub disputed: Vec<Field>,
    /// What the viewer's agency received on consents revoked since: it must no longer be
    /// used (docs/casework.md § 3).
    pub revoked_received: Vec<RevokedReceipt>,
    /// The hand-over Jugendamt → Jobcenter, when one is stored or flagged by the planned
    /// end of the help (docs/casework.md § 3a).
    pub handover: Option<Handover>,
    /// The reviews of an information at benefit withdrawal, newest first; the Jobcenter's
    /// only (docs/casework.md § 9).
    pub withdrawals: Vec<crate::model::referral::WithdrawalNotice>,
}

/// The hand-over of a case from the Jugendamt to the Jobcenter (docs/casework.md § 3a).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    /// Its state ("Vorgemerkt" while none is stored).
    pub status: crate::domain::handover::HandoverStatus,
    /// "Laufende Hilfe".
    pub help_type: Option<crate::domain::handover::HelpType>,
    /// "Geplantes Hilfeende".
    pub planned_end: Option<NaiveDate>,
    /// "Hilfeplan vom".
    pub hilfeplan_ref: String,
    /// "Antrag beim JC gestellt am".
    pub applied_on: Option<NaiveDate>,
    /// "Übergabe am".
    pub handed_over_on: Option<NaiveDate>,
    /// Why it was dropped.
    pub reason: String,
    /// Version (0: not stored yet).
    pub version: i64,
    /// The transition conference: the last day for it, and whether one is planned or held.
    pub conference: Option<(NaiveDate, bool)>,
}

/// What was received on a consent that has been revoked: which fields and family records,
/// never their values (the receiver no longer reads them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedReceipt {
    /// The case.
    pub case: crate::domain::CaseId,
    /// The consent.
    pub consent: ConsentId,
    /// When it was revoked.
    pub revoked_on: NaiveDate,
    /// The person fields received on it.
    pub fields: Vec<Field>,
    /// How many custody holders and children were received on it.
    pub family: (usize, usize),
}

impl CaseFileView {
    /// Whether a partner agency may currently receive data: the newest consent that is
    /// active today, if any (docs/domain.md: "whether sharing is currently allowed and until when").
    pub fn sharing_until(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.consents
            .iter()
            .filter(|c| c.is_active(today, self.case.person.birth_date))
            .map(|c| c.valid_until)
            .max()
    }
}
