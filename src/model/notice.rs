//! Notices a person gets once, at their next login, about something that happened to their
//! work while they were away (docs/architecture.md § 4).

use chrono::NaiveDate;

use crate::domain::CaseId;
use crate::domain::referral::FourEyesStep;

/// One notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Drafts older than the expiry were deleted (how many).
    DraftsExpired(u32),
    /// The person's approval of conference minutes was cleared because someone changed the
    /// minutes afterwards (docs/domain.md: four eyes).
    ApprovalCleared {
        /// The day of the conference, if it has one.
        held_on: Option<NaiveDate>,
        /// Its case.
        case: CaseId,
        /// Who changed the minutes.
        by: String,
        /// When (Berlin time, `TT.MM.JJJJ HH:MM`).
        at: String,
    },
    /// The person's four-eyes proposal on a referral was cleared before its second
    /// signature, because the reporting agency sent an addendum.
    ProposalCleared {
        /// The proposed step.
        step: FourEyesStep,
        /// The referral's Jugendamt number (KS-…), or empty.
        reference: String,
        /// When (Berlin time).
        at: String,
    },
}
