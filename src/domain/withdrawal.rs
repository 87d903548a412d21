//! The information at benefit withdrawal ("Information bei Leistungsentzug", from
//! 01.07.2026; docs/casework.md § 9): the Jobcenter reviews whether the Jugendamt is told
//! that a household with minors loses its benefits. The caseworker proposes the decision
//! with its reason, a Jobcenter lead confirms it (four eyes), and only a confirmed
//! "Information an das Jugendamt" reaches the Jugendamt. Behind a feature flag, off by
//! default, and never started by a rule or a benefit event: a person opens each review.

use super::consent::coded_enum;
use super::staff::{Agency, Role, Staff, StaffId};

coded_enum!(
    /// The state of a review.
    WithdrawalStatus {
        /// "In Prüfung" (with or without a proposal waiting for the lead).
        InReview = "in_review",
        /// "Keine Information".
        NoInfo = "no_info",
        /// "Information an das Jugendamt".
        InfoSent = "info_sent",
    }
);

coded_enum!(
    /// "Entscheidung".
    Decision {
        /// "Keine Information".
        NoInfo = "no_info",
        /// "Information an das Jugendamt".
        InfoSent = "info_sent",
    }
);

coded_enum!(
    /// Why the Jugendamt is not told ("Keine Information, weil").
    NoInfoGround {
        /// "Härtefall".
        Hardship = "hardship",
        /// "Kein Anlass".
        NoCause = "no_cause",
        /// "Keine Minderjährigen betroffen".
        NoMinors = "no_minors",
    }
);

coded_enum!(
    /// A step of the review.
    WithdrawalStep {
        /// "Prüfung beginnen": BG number and the minors in it.
        Open = "open",
        /// "Entscheidung vorschlagen": decision, reason, legal basis, the lead who confirms.
        Propose = "propose",
        /// "Entscheidung bestätigen" (the lead named).
        Confirm = "confirm",
        /// "Zurückgeben" (the lead named): the proposal goes back to the caseworker.
        Decline = "decline",
        /// "Eingang erfassen" (the Jugendamt).
        Receive = "receive",
    }
);

impl Decision {
    /// The state the decision ends in.
    pub fn status(self) -> WithdrawalStatus {
        match self {
            Decision::NoInfo => WithdrawalStatus::NoInfo,
            Decision::InfoSent => WithdrawalStatus::InfoSent,
        }
    }
}

/// The longest BG number accepted.
pub const MAX_BG_NO: usize = 40;
/// The most minors a household may be recorded with.
pub const MAX_MINORS: u8 = 99;

/// What is missing from a proposal, by its field: the reason always, the ground of a
/// "Keine Information", the legal basis of an "Information an das Jugendamt".
pub fn missing(
    decision: Option<Decision>,
    ground: Option<NoInfoGround>,
    reason: &str,
    legal_basis: &str,
) -> Vec<&'static str> {
    let mut out = Vec::new();
    match decision {
        None => out.push("decision"),
        Some(Decision::NoInfo) if ground.is_none() => out.push("ground"),
        Some(Decision::InfoSent) if legal_basis.trim().is_empty() => out.push("legal_basis"),
        Some(_) => {}
    }
    if reason.trim().is_empty() {
        out.push("reason");
    }
    out
}

/// Whether `who` may confirm a decision proposed by `first`: an active Jobcenter lead who
/// is someone else (docs/casework.md § 9, the four-eyes table).
pub fn may_confirm(first: StaffId, who: &Staff) -> bool {
    who.id != first && who.active && who.agency == Agency::Jobcenter && who.has_role(Role::Lead)
}

/// Whether `who` opens and proposes reviews: an active Jobcenter U25 worker.
pub fn may_review(who: &Staff) -> bool {
    who.active && who.agency == Agency::Jobcenter && who.has_role(Role::JcU25)
}

/// The Jugendamt's number of a received information: "LE-2026-0003".
pub fn reference(year: i32, n: i64) -> String {
    format!("LE-{year}-{n:04}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proposal_needs_its_reason_and_what_its_decision_needs() {
        assert_eq!(missing(None, None, "", ""), vec!["decision", "reason"]);
        assert_eq!(
            missing(Some(Decision::NoInfo), None, "x", ""),
            vec!["ground"]
        );
        assert!(
            missing(
                Some(Decision::NoInfo),
                Some(NoInfoGround::Hardship),
                "x",
                ""
            )
            .is_empty()
        );
        assert_eq!(
            missing(Some(Decision::InfoSent), None, " ", " "),
            vec!["legal_basis", "reason"]
        );
        assert!(missing(Some(Decision::InfoSent), None, "x", "§ 69").is_empty());
        assert_eq!(Decision::InfoSent.status(), WithdrawalStatus::InfoSent);
        assert_eq!(reference(2026, 3), "LE-2026-0003");
    }
}
