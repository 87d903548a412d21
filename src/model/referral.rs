//! Read models of child protection (docs/domain.md 5): what the screens show of a referral,
//! its timeline and the anonymous consultations. Filled by the store, shown by app and ui.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::domain::StaffId;
use crate::domain::referral::{
    AgeBand, AssessmentResult, Classification, ConsultResult, Deadline, DirectImpression,
    FeedbackStatus, FollowUp, FourEyesStep, JaActive, NextStep, ReferralInput, ReferralStatus,
    Urgency,
};

/// Staff functions (docs/domain.md 3.1) that child protection needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    /// "Insoweit erfahrene Fachkraft".
    Insofa,
    /// "Eingang Kinderschutz".
    Intake,
    /// "Kinderschutzkoordination": the Jobcenter's contact person for referrals.
    Coordination,
    /// "Frühe Hilfen": takes the contact requests of early help (docs/early-help.md).
    EarlyHelp,
}

impl Function {
    /// Every function, in display order.
    pub const ALL: [Function; 4] = [
        Function::Insofa,
        Function::Intake,
        Function::Coordination,
        Function::EarlyHelp,
    ];

    /// Stored code (also the code of `tandem staff … --functions`).
    pub fn code(self) -> &'static str {
        match self {
            Function::Insofa => "insofa",
            Function::Intake => "cp_intake",
            Function::Coordination => "cp_coord",
            Function::EarlyHelp => "early_help",
        }
    }

    /// Parses the stored code.
    pub fn from_code(code: &str) -> Option<Function> {
        Function::ALL.into_iter().find(|f| f.code() == code)
    }

    /// Whether a person of `agency` may hold this function: the InsoFa and the intake
    /// are Jugendamt functions, the coordination a Jobcenter one (docs/domain.md 3.1).
    pub fn valid_for(self, agency: crate::domain::Agency) -> bool {
        match self {
            Function::Insofa | Function::Intake | Function::EarlyHelp => {
                agency == crate::domain::Agency::Jugendamt
            }
            Function::Coordination => agency == crate::domain::Agency::Jobcenter,
        }
    }
}

/// One line of the inbox or the reporter's list.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferralRow {
    /// Id.
    pub id: i64,
    /// "Vorgangsnummer JA", once received.
    pub ja_ref: Option<String>,
    /// Reporter's urgency.
    pub urgency: Urgency,
    /// The Jugendamt's classification (Jugendamt viewers only).
    pub class: Option<Classification>,
    /// State.
    pub status: ReferralStatus,
    /// Feedback state, if requested.
    pub feedback: Option<FeedbackStatus>,
    /// Sent at.
    pub sent_at: DateTime<Utc>,
    /// Given names and ages of the children ("Mia (4), Ben (7)").
    pub children: Vec<(String, Option<chrono::NaiveDate>)>,
    /// Reporter's name.
    pub reporter: String,
    /// Reporter's phone.
    pub reporter_phone: String,
    /// Until when the reporter can be reached.
    pub reachable_until: String,
    /// The nearest running deadline (Jugendamt viewers only).
    pub deadline: Option<Deadline>,
    /// The last timeline entry: kind code and time.
    pub last_step: Option<(String, DateTime<Utc>)>,
    /// A four-eyes step waiting, and who proposed it.
    pub pending: Option<(FourEyesStep, String)>,
    /// Whether the viewer sees it because a deadline passed (deputy or lead).
    pub escalated: bool,
    /// Version for optimistic locking.
    pub version: i64,
}

/// One timeline entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub by: String,
    /// The second signer.
    pub second: Option<String>,
    /// Kind code (a step or four-eyes code, "sent", "addendum", "receipt_sent", …).
    pub kind: String,
    /// Text (addenda, forwarding target, reasons).
    pub detail: String,
}

/// A four-eyes step waiting for its second signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The step.
    pub step: FourEyesStep,
    /// Who proposed it.
    pub by: StaffId,
    /// Their name.
    pub by_name: String,
    /// The colleague asked to confirm.
    pub second: Option<StaffId>,
    /// The proposal (keys depend on the step).
    pub payload: BTreeMap<String, String>,
}

/// A referral as the viewer may see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Referral {
    /// The list line.
    pub row: ReferralRow,
    /// The reporter's staff id.
    pub reporter_id: StaffId,
    /// What was reported.
    pub input: ReferralInput,
    /// Jugendamt-side fields; None for Jobcenter viewers.
    pub ja: Option<JaSide>,
    /// Receipt time, as the reporter may know it.
    pub received_at: Option<DateTime<Utc>>,
    /// Receipt confirmation sent at.
    pub receipt_sent_at: Option<DateTime<Utc>>,
    /// Content feedback: confirmed? Jugendamt active?
    pub feedback_answer: Option<(bool, JaActive)>,
    /// Reason why feedback is not permitted.
    pub feedback_reason: Option<String>,
    /// Timeline (Jobcenter viewers see sending, receipt, feedback and addenda only).
    pub events: Vec<ReferralEvent>,
}

/// What only the Jugendamt sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JaSide {
    /// Who received it.
    pub received_by: Option<String>,
    /// Assigned professional.
    pub assigned_to: Option<StaffId>,
    /// Forwarded to.
    pub forwarded_to: Option<String>,
    /// Next step of the triage.
    pub next_step: Option<NextStep>,
    /// First contact due.
    pub contact_due: Option<DateTime<Utc>>,
    /// First contact at.
    pub contact_at: Option<DateTime<Utc>>,
    /// Direct impression of the assessment.
    pub impression: Option<DirectImpression>,
    /// Result per child (same order as the children).
    pub results: Vec<Option<AssessmentResult>>,
    /// Follow-up.
    pub follow_up: Option<FollowUp>,
    /// Waiting four-eyes step.
    pub pending: Option<Pending>,
}

/// One anonymous consultation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consult {
    /// Id.
    pub id: i64,
    /// Pseudonym.
    pub code: String,
    /// Requested by (name).
    pub requested_by: String,
    /// Requested at.
    pub requested_at: DateTime<Utc>,
    /// Age band of the child.
    pub age_band: AgeBand,
    /// Summary without names.
    pub summary: String,
    /// Result.
    pub result: Option<ConsultResult>,
    /// Advice text.
    pub advice: String,
    /// Advising specialist.
    pub advised_by: Option<String>,
    /// Status code.
    pub status: String,
    /// Version.
    pub version: i64,
}

/// One shift of the on-call rota ("Bereitschaftsplan", docs/casework.md § 5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shift {
    /// Id.
    pub id: i64,
    /// Who is on call.
    pub staff: StaffId,
    /// Their name.
    pub name: String,
    /// From (UTC).
    pub start: DateTime<Utc>,
    /// Until (UTC, exclusive).
    pub end: DateTime<Utc>,
}

/// A passed deadline that reached a deputy or lead and waits for their acknowledgement
/// (docs/casework.md § 6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalation {
    /// The referral.
    pub referral: i64,
    /// Its Jugendamt number, if it has one yet.
    pub reference: Option<String>,
    /// The deadline that passed.
    pub deadline: crate::domain::referral::Deadline,
}

/// An "Information bei Leistungsentzug" as one reader may see it (docs/casework.md § 9).
/// The Jugendamt reads only confirmed information sent to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawalNotice {
    /// Id.
    pub id: i64,
    /// The case.
    pub case: crate::domain::CaseId,
    /// The young person: "Nachname, Vorname".
    pub person: String,
    /// Her date of birth.
    pub birth_date: chrono::NaiveDate,
    /// The state.
    pub status: crate::domain::withdrawal::WithdrawalStatus,
    /// "BG-Nummer".
    pub bg_no: String,
    /// "Minderjährige in der BG".
    pub minors_count: u8,
    /// The decision proposed (in review) or taken.
    pub decision: Option<crate::domain::withdrawal::Decision>,
    /// Why no information ("Härtefall" …).
    pub ground: Option<crate::domain::withdrawal::NoInfoGround>,
    /// "Begründung".
    pub reason: String,
    /// "Rechtsgrundlage".
    pub legal_basis: String,
    /// Who opened the review and when (Berlin time).
    pub opened: (String, chrono::NaiveDateTime),
    /// Who proposed the decision ("Entschieden von").
    pub decided_by: Option<(StaffId, String)>,
    /// The lead asked to confirm, or who confirmed ("Zweite Unterschrift").
    pub second_by: Option<(StaffId, String)>,
    /// When the lead confirmed (Berlin time).
    pub decided_at: Option<chrono::NaiveDateTime>,
    /// The Jugendamt's number once received.
    pub ja_ref: Option<String>,
    /// Who recorded the receipt and when (Berlin time).
    pub received: Option<(String, chrono::NaiveDateTime)>,
    /// Version.
    pub version: i64,
}

impl WithdrawalNotice {
    /// Whether a proposal waits for the lead's confirmation.
    pub fn pending(&self) -> bool {
        self.status == crate::domain::withdrawal::WithdrawalStatus::InReview
            && self.decision.is_some()
    }
}
