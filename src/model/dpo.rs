//! What the data-protection officer's screen ("Datenschutz", docs/dpo.md) shows: metadata
//! only — who did what when to which case number, break-glass accesses and their review,
//! transfers, counts of referrals, the state of the hash chains and of retention. No name,
//! no birth date, no free text a person typed about someone (docs/access.md A13).

use chrono::NaiveDate;

use crate::domain::Agency;
use crate::domain::casefile::BreakGlassReason;

/// The most audit rows one read returns (newest first).
pub const AUDIT_LIMIT: usize = 500;

/// The filter of the audit log ("Protokoll"). Every part is optional; all given parts
/// must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Login of the acting staff member.
    pub staff: Option<String>,
    /// Case number (the case's id, as "Fall 12" shows it).
    pub case_no: Option<i64>,
    /// Action code (`view`, `update`, `refused`, …).
    pub action: Option<String>,
    /// First Berlin calendar day, inclusive.
    pub from: Option<NaiveDate>,
    /// Last Berlin calendar day, inclusive.
    pub to: Option<NaiveDate>,
}

impl AuditFilter {
    /// Whether no part is set.
    pub fn is_empty(&self) -> bool {
        *self == AuditFilter::default()
    }
}

/// One audit row as the DSB reads it: codes and ids, never values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLine {
    /// Position in the chain.
    pub seq: i64,
    /// When (UTC, stored form).
    pub at: String,
    /// Login of the actor (none: the program itself).
    pub login: Option<String>,
    /// Action code.
    pub action: String,
    /// Object type code.
    pub object_type: String,
    /// Object id (a case number when the object is a case).
    pub object_id: Option<i64>,
    /// Names of changed fields (never values).
    pub fields: Vec<String>,
    /// Fixed detail code (a refusal reason, a break-glass reason, …).
    pub detail: Option<String>,
}

/// The DSB's or a lead's verdict on a break-glass access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// "berechtigt".
    Justified,
    /// "nicht berechtigt".
    Unjustified,
}

impl Verdict {
    /// Both, in display order.
    pub const ALL: [Verdict; 2] = [Verdict::Justified, Verdict::Unjustified];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Justified => "justified",
            Verdict::Unjustified => "unjustified",
        }
    }

    /// The verdict of a stored code.
    pub fn from_code(code: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.code() == code)
    }
}

/// The newest review of a grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// Justified or not.
    pub verdict: Verdict,
    /// Login of the reviewer.
    pub by: String,
    /// The short comment (no names, by rule; at most 500 characters).
    pub comment: String,
    /// When (UTC, stored form).
    pub at: String,
}

/// One break-glass access ("Notfallzugriff") of a staff member of the own Stelle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantLine {
    /// The grant's id (for the review).
    pub id: i64,
    /// Login of the person who broke the glass.
    pub login: String,
    /// Case number.
    pub case_no: i64,
    /// The reason chosen.
    pub reason: BreakGlassReason,
    /// Whether a free text was given with it; the text itself stays in the case's record
    /// (it may name persons) and is never shown here.
    pub has_text: bool,
    /// When (UTC, stored form).
    pub granted_at: String,
    /// Until when it ran (UTC, stored form).
    pub until: String,
    /// The newest review, if any.
    pub review: Option<Review>,
}

/// One transfer to the partner agency, as its receipt records it — without the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferLine {
    /// When (UTC, stored form).
    pub at: String,
    /// Sending agency.
    pub from: Agency,
    /// Receiving agency.
    pub to: Agency,
    /// Case number.
    pub case_no: i64,
    /// Codes of the fields sent.
    pub fields: Vec<String>,
    /// The basis: a statute's code, or `consent`.
    pub basis: String,
    /// Login of who decided it.
    pub by: String,
}

/// Counts of child-protection referrals ("Kinderschutz"), no content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferralStats {
    /// Per urgency code (`akut`, `dringend`, `nicht_akut`): all, and still open.
    pub by_urgency: Vec<(String, usize, usize)>,
    /// Per state code, as the viewer's agency may know it (the Jobcenter learns only
    /// `sent`/`received`/`closed`).
    pub by_state: Vec<(String, usize)>,
    /// Receipt recorded within the day of sending / later / still missing.
    pub receipt: (usize, usize, usize),
    /// First contact (Jugendamt): by its due time / after it / overdue and missing.
    pub contact: (usize, usize, usize),
}

/// The state of the tamper-evident log and the evidence tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainStatus {
    /// Audit rows that verified.
    pub rows: u64,
    /// The first bad audit row, if any.
    pub first_bad: Option<i64>,
    /// Verified rows per evidence table.
    pub evidence: Vec<(String, u64)>,
    /// Protecting triggers in place.
    pub triggers: usize,
    /// Problems beside the chain (table or trigger names and codes only).
    pub findings: Vec<String>,
}

impl ChainStatus {
    /// Whether everything verified.
    pub fn is_ok(&self) -> bool {
        self.first_bad.is_none() && self.findings.is_empty()
    }
}

/// One deletion run of the own Stelle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunLine {
    /// Its id.
    pub id: i64,
    /// The day of the review list it was planned from.
    pub planned_for: NaiveDate,
    /// Login of the planner.
    pub requested_by: String,
    /// Login of whoever released it.
    pub approved_by: Option<String>,
    /// When it ran (UTC, stored form).
    pub executed_at: Option<String>,
    /// Records in the preview.
    pub planned: usize,
    /// Records deleted.
    pub deleted: usize,
}

/// The retention review of the own Stelle: due records per class and the runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetentionOverview {
    /// Per class code: due records, held records.
    pub due: Vec<(String, usize, usize)>,
    /// Running legal holds.
    pub holds: usize,
    /// Open restrictions of processing (Art. 18 DSGVO) of the own Stelle's cases, newest
    /// first (docs/access.md A12).
    pub restrictions: Vec<RestrictionLine>,
    /// Deletion runs, newest first.
    pub runs: Vec<RunLine>,
}

/// One open restriction: case number, reason, who restricted it and since when — no name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestrictionLine {
    /// The case number.
    pub case_no: i64,
    /// Why (Art. 18 Abs. 1).
    pub reason: crate::domain::restriction::RestrictionReason,
    /// Login of who restricted it.
    pub by: String,
    /// Since when (Berlin wall-clock, `TT.MM.JJJJ`).
    pub since: String,
}
