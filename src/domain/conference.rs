//! Case conferences ("Fallkonferenz", docs/domain.md 3.4, 4.2): kinds, the status machine,
//! participants, the consent coverage check, the approval guards and the deadlines.
//!
//! Scheduling (clashes, free slots) lives in [`super::schedule`], the invitation file in
//! [`super::ics`]. All functions are pure; the caller loads the data and shows the messages.

use chrono::{NaiveDate, NaiveDateTime};

use super::access::Relation;
use super::calendar::WorkCalendar;
use super::casefile::{Measure, Responsible};
use super::consent::{Consent, DataCategory, Purpose, coded_enum};
use super::staff::{Agency, StaffId};
use super::text::search_words;

coded_enum!(
    /// "Art" of a conference.
    ConferenceKind {
        /// "Erstkonferenz".
        First = "first",
        /// "Folgekonferenz".
        FollowUp = "follow_up",
        /// "Krisenkonferenz".
        Crisis = "crisis",
        /// "Übergangskonferenz (§ 36b SGB VIII)".
        Transition = "transition",
    }
);

coded_enum!(
    /// "Status" of a conference (docs/domain.md 4.2).
    ConferenceStatus {
        /// "Beantragt".
        Requested = "requested",
        /// "Terminiert".
        Scheduled = "scheduled",
        /// "Eingeladen".
        Invited = "invited",
        /// "Durchgeführt".
        Held = "held",
        /// "Protokollentwurf".
        MinutesDraft = "minutes_draft",
        /// "Protokoll freigegeben".
        MinutesApproved = "minutes_approved",
        /// "Vertagt".
        Postponed = "postponed",
        /// "Abgesagt".
        Cancelled = "cancelled",
    }
);

coded_enum!(
    /// The actions that move a conference between states.
    ConferenceAction {
        /// "Termin festlegen" (also from "Vertagt", with the new date).
        Schedule = "schedule",
        /// "Einladen".
        Invite = "invite",
        /// "Vertagen" (a new date is mandatory and follows with [`ConferenceAction::Schedule`]).
        Postpone = "postpone",
        /// "Absagen" (reason mandatory).
        Cancel = "cancel",
        /// "Durchgeführt".
        MarkHeld = "mark_held",
        /// "Protokoll beginnen".
        StartMinutes = "start_minutes",
        /// "Protokoll freigeben".
        ApproveMinutes = "approve_minutes",
    }
);

coded_enum!(
    /// "Rolle" of a participant.
    ParticipantRole {
        /// "Junge Person".
        YoungPerson = "young_person",
        /// "Sorgeberechtigte/r".
        CustodyHolder = "custody_holder",
        /// "pAp" (persönliche/r Ansprechpartner/in, Jobcenter).
        Pap = "pap",
        /// "Fallmanager/in".
        CaseManager = "case_manager",
        /// "ASD-Fachkraft".
        Asd = "asd",
        /// "Jugendberufshilfe".
        YouthVocational = "youth_vocational",
        /// "Träger".
        Provider = "provider",
        /// "Schule".
        School = "school",
        /// "Therapeut/in".
        Therapist = "therapist",
        /// "Dolmetscher/in".
        Interpreter = "interpreter",
        /// "Sonstige".
        Other = "other",
    }
);

impl ParticipantRole {
    /// The young person and the custody holders: the people whose data is discussed (or who
    /// declared the consent); they need no coverage to attend.
    pub fn is_data_subject(self) -> bool {
        matches!(
            self,
            ParticipantRole::YoungPerson | ParticipantRole::CustodyHolder
        )
    }
}

coded_enum!(
    /// "Einladung".
    Invitation {
        /// "eingeladen".
        Invited = "invited",
        /// "zugesagt".
        Accepted = "accepted",
        /// "abgesagt".
        Declined = "declined",
    }
);

coded_enum!(
    /// "Anwesenheit".
    Attendance {
        /// "anwesend".
        Present = "present",
        /// "entschuldigt".
        Excused = "excused",
        /// "nicht erschienen".
        Absent = "absent",
    }
);

coded_enum!(
    /// "Lebensbereich" of the minutes' situation (docs/casework.md § 4).
    LifeArea {
        /// "Schule/Ausbildung".
        School = "school",
        /// "Arbeit".
        Work = "work",
        /// "Wohnen".
        Housing = "housing",
        /// "Familie".
        Family = "family",
        /// "Gesundheit".
        Health = "health",
        /// "Finanzen/Schulden".
        Finances = "finances",
        /// "Justiz".
        Justice = "justice",
        /// "Soziales Umfeld".
        Social = "social",
    }
);

/// The agenda a conference starts with when nobody set one (docs/casework.md § 4); the
/// open agreements are carried in between "Aktuelle Situation" and "Neue Vereinbarungen".
pub const DEFAULT_AGENDA_HEAD: [&str; 3] = [
    "Begrüßung und Rollen",
    "Sicht und Wünsche der jungen Person",
    "Aktuelle Situation",
];
/// The end of the default agenda.
pub const DEFAULT_AGENDA_TAIL: [&str; 2] = ["Neue Vereinbarungen", "Nächster Termin"];
/// The title of an item that carries an open agreement in.
pub fn carried_title(text: &str) -> String {
    format!("Offene Vereinbarung: {text}")
}

coded_enum!(
    /// Kind of "Ort".
    LocationKind {
        /// "Raum".
        Room = "room",
        /// "Video".
        Video = "video",
        /// "Telefon".
        Phone = "phone",
    }
);

/// A participant ("Teilnehmende"): a staff member, or someone outside by name and
/// organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// Staff id, if the participant is a Tandem user.
    pub staff: Option<i64>,
    /// Name of an external participant (empty for staff).
    pub external_name: String,
    /// Organisation of an external participant ("Träger", "Schule").
    pub external_org: String,
    /// The agency ("Stelle") of a staff participant; `None` outside both agencies.
    pub agency: Option<Agency>,
    /// "Rolle".
    pub role: ParticipantRole,
    /// "Einladung".
    pub invitation: Invitation,
    /// "Anwesenheit", once recorded.
    pub attendance: Option<Attendance>,
    /// The custody holder of the case this participant is (role "Sorgeberechtigte/r");
    /// their "Kontakt gefährdet" suppresses every invitation (docs/casework.md § 4).
    pub guardian: Option<i64>,
}

/// The status machine of docs/domain.md 4.2 refused an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{action:?} is not allowed for a conference in state {from:?}")]
pub struct TransitionError {
    /// The current state.
    pub from: ConferenceStatus,
    /// The refused action.
    pub action: ConferenceAction,
}

/// The state after `action` in state `from`, following docs/domain.md 4.2. The guards that need
/// data (consent coverage, new date, reason, attendance, approvals) are checked by the
/// functions below and by the caller.
pub fn transition(
    from: ConferenceStatus,
    action: ConferenceAction,
) -> Result<ConferenceStatus, TransitionError> {
    use ConferenceAction as A;
    use ConferenceStatus as S;
    match (from, action) {
        (S::Requested | S::Postponed, A::Schedule) => Ok(S::Scheduled),
        (S::Scheduled, A::Invite) => Ok(S::Invited),
        (S::Scheduled | S::Invited, A::Postpone) => Ok(S::Postponed),
        (S::Scheduled | S::Invited, A::Cancel) => Ok(S::Cancelled),
        (S::Invited, A::MarkHeld) => Ok(S::Held),
        (S::Held, A::StartMinutes) => Ok(S::MinutesDraft),
        (S::MinutesDraft, A::ApproveMinutes) => Ok(S::MinutesApproved),
        _ => Err(TransitionError { from, action }),
    }
}

/// Whether someone standing in `relation` to the conference's case may take `action`
/// (docs/domain.md 4.2 with the access matrix): the case's staff (Fallführung and deputy) every
/// step; a team lead, who reads the agency's cases only, just "Absagen" (the table names
/// "Fallführung, `lead`" there and the Fallführung alone for every other step); nobody else.
pub fn may_take(relation: Relation, action: ConferenceAction) -> bool {
    match relation {
        Relation::Assigned | Relation::Deputy => true,
        Relation::Lead => action == ConferenceAction::Cancel,
        Relation::BreakGlass | Relation::None => false,
    }
}

/// The actions allowed in state `from`, in menu order.
pub fn allowed_actions(from: ConferenceStatus) -> Vec<ConferenceAction> {
    ConferenceAction::ALL
        .iter()
        .copied()
        .filter(|a| transition(from, *a).is_ok())
        .collect()
}

impl ConferenceStatus {
    /// Whether the conference is finished (approved minutes or cancelled).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ConferenceStatus::MinutesApproved | ConferenceStatus::Cancelled
        )
    }

    /// Whether the conference occupies its date in the calendar (scheduled or invited).
    pub fn blocks_calendar(self) -> bool {
        matches!(
            self,
            ConferenceStatus::Scheduled | ConferenceStatus::Invited
        )
    }
}

// ---------------------------------------------------------------------------------------
// Consent coverage
// ---------------------------------------------------------------------------------------

/// Facts the coverage check needs besides the consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoverageContext {
    /// The agency whose data is discussed (normally the case owner, who recorded the
    /// consent); its own staff need no coverage.
    pub own_agency: Agency,
    /// The day of the check (the conference date when scheduling).
    pub today: NaiveDate,
    /// Birth date of the young person (for the consent's effective status).
    pub birth: NaiveDate,
}

/// Why the consent cannot cover the conference at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConsentGap {
    /// There is no consent.
    Missing,
    /// The consent is not in force today (draft, refused, revoked, expired, needs
    /// confirmation, or not yet valid).
    NotActive,
    /// The consent does not name the purpose "Fallkonferenz".
    PurposeMissing,
}

/// The result of [`coverage`]: which participants and topics the consent does not cover.
/// Unless [`Coverage::is_complete`], the conference may only be scheduled "Nur anonymisiert".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// Set when the consent cannot cover anything (and someone needs coverage).
    pub gap: Option<ConsentGap>,
    /// Per participant, in input order: covered or needs no coverage (the computed
    /// `covered` column).
    pub covered: Vec<bool>,
    /// Indices of the participants not covered.
    pub uncovered_participants: Vec<usize>,
    /// Topics (data categories) not among the consent's categories.
    pub uncovered_topics: Vec<DataCategory>,
}

impl Coverage {
    /// Whether the conference may discuss the named young person with these participants.
    pub fn is_complete(&self) -> bool {
        self.gap.is_none()
            && self.uncovered_participants.is_empty()
            && self.uncovered_topics.is_empty()
    }
}

/// How one participant relates to the consent.
enum Need {
    /// Data subject or own agency: no coverage needed.
    None,
    /// Staff or agency member of another agency.
    Agency(Agency, Option<StaffId>),
    /// Someone outside both agencies, matched by name or organisation.
    External,
    /// A staff id without an agency cannot be checked: default deny.
    Unknown,
}

fn need(p: &Participant, own: Agency) -> Need {
    if p.role.is_data_subject() {
        return Need::None;
    }
    match (p.agency, p.staff) {
        (Some(a), _) if a == own => Need::None,
        (Some(a), staff) => Need::Agency(a, staff.map(StaffId)),
        (None, Some(_)) => Need::Unknown,
        (None, None) => Need::External,
    }
}

/// Whether the consent's free-text external recipients name this participant: one entry
/// (separated by `,`, `;` or a line break) must equal the organisation or the name, compared
/// by search words (case and umlaut spelling do not matter). Default deny: a partial match
/// ("Schule" for "Schule am Wald") does not count.
fn names_external(consent: &Consent, p: &Participant) -> bool {
    let org = search_words(&p.external_org);
    let name = search_words(&p.external_name);
    let both: Vec<String> = name.iter().chain(org.iter()).cloned().collect();
    consent
        .external_recipients
        .split([',', ';', '\n'])
        .map(search_words)
        .filter(|e| !e.is_empty())
        .any(|e| e == org || e == name || e == both)
}

/// Checks whether `consent` covers every participant and every topic of a conference
/// (docs/domain.md 4.2 guard of "Termin festlegen", 5.2). The young person and custody holders
/// need no coverage, nor do staff of the own agency; staff of the partner agency must be
/// covered as recipients (a Schweigepflichtentbindung only covers the persons it names);
/// external participants must be named in the consent's external recipients. The purpose
/// "Fallkonferenz" is required. "Stammdaten" are always a topic: a conference about a named
/// young person discloses at least the name.
pub fn coverage(
    participants: &[Participant],
    consent: Option<&Consent>,
    topics: &[DataCategory],
    ctx: &CoverageContext,
) -> Coverage {
    let needs: Vec<Need> = participants
        .iter()
        .map(|p| need(p, ctx.own_agency))
        .collect();
    let anyone_needs = needs.iter().any(|n| !matches!(n, Need::None));
    let mut all_topics = vec![DataCategory::MasterData];
    for t in topics {
        if !all_topics.contains(t) {
            all_topics.push(*t);
        }
    }
    let gap = match consent {
        _ if !anyone_needs => None,
        None => Some(ConsentGap::Missing),
        Some(c) if !c.is_active(ctx.today, ctx.birth) => Some(ConsentGap::NotActive),
        Some(c) if !c.purposes.contains(&Purpose::Conference) => Some(ConsentGap::PurposeMissing),
        Some(_) => None,
    };
    let usable = consent.filter(|_| gap.is_none());
    let covered: Vec<bool> = participants
        .iter()
        .zip(&needs)
        .map(|(p, n)| match (n, usable) {
            (Need::None, _) => true,
            (Need::Unknown, _) | (_, None) => false,
            (Need::Agency(agency, person), Some(c)) => {
                // The recipient check of `covers`, asked for a category the consent has:
                // topics are reported separately.
                c.categories
                    .first()
                    .is_some_and(|cat| c.covers(ctx.today, ctx.birth, *agency, *person, *cat))
            }
            (Need::External, Some(c)) => names_external(c, p),
        })
        .collect();
    let uncovered_participants = covered
        .iter()
        .enumerate()
        .filter(|(_, ok)| !**ok)
        .map(|(i, _)| i)
        .collect();
    let uncovered_topics = if anyone_needs {
        all_topics
            .into_iter()
            .filter(|t| !usable.is_some_and(|c| c.categories.contains(t)))
            .collect()
    } else {
        Vec::new()
    };
    Coverage {
        gap,
        covered,
        uncovered_participants,
        uncovered_topics,
    }
}

// ---------------------------------------------------------------------------------------
// Guards of "Durchgeführt" and "Protokoll freigeben"
// ---------------------------------------------------------------------------------------

/// Why a conference cannot be marked as held yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeldProblem {
    /// The conference date has not been reached.
    BeforeDate,
    /// Attendance is not recorded for these participants (indices).
    AttendanceMissing(Vec<usize>),
}

/// The guard of "Durchgeführt": on or after the conference day, attendance recorded.
pub fn held_problems(
    starts_at: NaiveDateTime,
    now: NaiveDateTime,
    participants: &[Participant],
) -> Vec<HeldProblem> {
    let mut out = Vec::new();
    if now.date() < starts_at.date() {
        out.push(HeldProblem::BeforeDate);
    }
    let missing: Vec<usize> = participants
        .iter()
        .enumerate()
        .filter(|(_, p)| p.attendance.is_none())
        .map(|(i, _)| i)
        .collect();
    if !missing.is_empty() {
        out.push(HeldProblem::AttendanceMissing(missing));
    }
    out
}

/// A field of an agreed decision ("Vereinbarung") in the minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecisionField {
    /// "Vereinbarung".
    Text,
    /// "Verantwortlich" (Stelle + person, "Junge Person" or external).
    Responsible,
    /// "Fällig am".
    DueOn,
}

/// What is wrong with a decision field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecisionIssue {
    /// The field must be filled in.
    Required,
    /// The due date lies before the meeting.
    DueBeforeMeeting,
}

/// A problem at one decision of the minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DecisionProblem {
    /// Index of the decision, in input order.
    pub index: usize,
    /// The field.
    pub field: DecisionField,
    /// The problem.
    pub issue: DecisionIssue,
}

/// A decision as typed in the minutes form, before it becomes a [`Measure`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionDraft {
    /// "Vereinbarung".
    pub text: String,
    /// "Verantwortlich".
    pub responsible: Option<Responsible>,
    /// "Fällig am".
    pub due_on: Option<NaiveDate>,
    /// "Kategorie" (none: not given).
    pub category: Option<crate::domain::coop::MeasureCategory>,
}

impl From<&Measure> for DecisionDraft {
    fn from(m: &Measure) -> Self {
        DecisionDraft {
            text: m.text.clone(),
            responsible: Some(m.responsible.clone()),
            due_on: Some(m.due_on),
            category: None,
        }
    }
}

/// The approval guard of docs/domain.md 4.2: every decision has a text, a responsible agency and
/// person (or the young person, or a named external) and a due date not before the meeting.
pub fn decision_problems(decisions: &[DecisionDraft], held_on: NaiveDate) -> Vec<DecisionProblem> {
    let mut out = Vec::new();
    for (index, d) in decisions.iter().enumerate() {
        let mut push = |field, issue| {
            out.push(DecisionProblem {
                index,
                field,
                issue,
            });
        };
        if d.text.trim().is_empty() {
            push(DecisionField::Text, DecisionIssue::Required);
        }
        let responsible_ok = match &d.responsible {
            None => false,
            Some(Responsible::Staff(_, StaffId(id))) => *id > 0,
            Some(Responsible::YoungPerson) => true,
            Some(Responsible::External(name)) => !name.trim().is_empty(),
        };
        if !responsible_ok {
            push(DecisionField::Responsible, DecisionIssue::Required);
        }
        match d.due_on {
            None => push(DecisionField::DueOn, DecisionIssue::Required),
            Some(due) if due < held_on => {
                push(DecisionField::DueOn, DecisionIssue::DueBeforeMeeting);
            }
            Some(_) => {}
        }
    }
    out
}

/// [`decision_problems`] for stored measures.
pub fn measure_problems(measures: &[Measure], held_on: NaiveDate) -> Vec<DecisionProblem> {
    let drafts: Vec<DecisionDraft> = measures.iter().map(DecisionDraft::from).collect();
    decision_problems(&drafts, held_on)
}

/// Why the second approval of the minutes is not valid (docs/domain.md 5.5: Fallführung plus a
/// participant of the other Stelle, a different user).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApprovalProblem {
    /// No second approval yet.
    SecondMissing,
    /// The second approver is the first one.
    SamePerson,
    /// The second approver belongs to the lead's agency.
    SameAgency,
    /// The second approver did not take part (attendance "anwesend").
    NotAParticipant,
}

/// Checks the two approvals of the minutes: `lead` (the Fallführung) and `second`, each as
/// agency and staff id.
pub fn approval_problems(
    lead: (Agency, i64),
    second: Option<(Agency, i64)>,
    participants: &[Participant],
) -> Vec<ApprovalProblem> {
    let Some((agency, id)) = second else {
        return vec![ApprovalProblem::SecondMissing];
    };
    let mut out = Vec::new();
    if id == lead.1 {
        out.push(ApprovalProblem::SamePerson);
    }
    if agency == lead.0 {
        out.push(ApprovalProblem::SameAgency);
    }
    let took_part = participants
        .iter()
        .any(|p| p.staff == Some(id) && p.attendance == Some(Attendance::Present));
    if !took_part {
        out.push(ApprovalProblem::NotAParticipant);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Deadlines (docs/domain.md 4.2, counted as in 7)
// ---------------------------------------------------------------------------------------

/// Working days from the request to the conference (Erst-, Folge-, Übergangskonferenz).
pub const HELD_WITHIN_WORKING_DAYS: u32 = 20;
/// Working days from the request to a Krisenkonferenz.
pub const CRISIS_HELD_WITHIN_WORKING_DAYS: u32 = 3;
/// Working days between the invitation and the conference, at least.
pub const INVITE_LEAD_WORKING_DAYS: u32 = 5;
/// Working days after the meeting for the draft minutes.
pub const MINUTES_DRAFT_WORKING_DAYS: u32 = 5;
/// Working days after the meeting for the approved minutes.
pub const APPROVAL_WORKING_DAYS: u32 = 10;

impl ConferenceKind {
    /// Working days within which a conference of this kind must be held after the request.
    pub fn held_within_working_days(self) -> u32 {
        match self {
            ConferenceKind::Crisis => CRISIS_HELD_WITHIN_WORKING_DAYS,
            _ => HELD_WITHIN_WORKING_DAYS,
        }
    }
}

/// The last day on which a conference requested on `requested_on` should be held.
pub fn held_due(kind: ConferenceKind, requested_on: NaiveDate, cal: &WorkCalendar) -> NaiveDate {
    cal.add_working_days(requested_on, kind.held_within_working_days())
}

/// The latest working day on which the invitations may go out for a conference on
/// `starts_on`: counting as for deadlines (the sending day does not count), the conference
/// day is at least the fifth working day after it.
pub fn invite_by(starts_on: NaiveDate, cal: &WorkCalendar) -> NaiveDate {
    let mut day = starts_on;
    let mut left = INVITE_LEAD_WORKING_DAYS;
    // Bounded like `add_working_days`: five working days never need more than a few weeks.
    for _ in 0..(u64::from(INVITE_LEAD_WORKING_DAYS) * 7 + 60) {
        if left == 0 {
            break;
        }
        day = day.pred_opt().unwrap_or(day);
        if cal.is_working_day(day) {
            left -= 1;
        }
    }
    day
}

/// The day the draft minutes are due after a meeting on `held_on`.
pub fn minutes_draft_due(held_on: NaiveDate, cal: &WorkCalendar) -> NaiveDate {
    cal.add_working_days(held_on, MINUTES_DRAFT_WORKING_DAYS)
}

/// The day the approved minutes are due after a meeting on `held_on`.
pub fn approval_due(held_on: NaiveDate, cal: &WorkCalendar) -> NaiveDate {
    cal.add_working_days(held_on, APPROVAL_WORKING_DAYS)
}

/// A deadline of docs/domain.md 4.2 as it stands for one conference: its day, and whether
/// it has passed (or, for holding it, the planned date lies after it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfDeadline {
    /// Held by this day after the request (20 working days; a crisis 3).
    HoldBy(NaiveDate, bool),
    /// Invited by this day (5 working days before the date).
    InviteBy(NaiveDate, bool),
    /// Draft minutes by this day (5 working days after the meeting).
    DraftBy(NaiveDate, bool),
    /// Approved minutes by this day (10 working days after the meeting).
    ApproveBy(NaiveDate, bool),
}

impl ConfDeadline {
    /// Whether it has passed.
    pub fn passed(self) -> bool {
        match self {
            ConfDeadline::HoldBy(_, p)
            | ConfDeadline::InviteBy(_, p)
            | ConfDeadline::DraftBy(_, p)
            | ConfDeadline::ApproveBy(_, p) => p,
        }
    }
}

/// The 4.2 deadlines that apply to a conference in `status` on `today` (docs/casework.md
/// § 4): holding it until it is held, inviting until it is invited, the draft and the
/// approved minutes after the meeting.
pub fn deadlines(
    kind: ConferenceKind,
    status: ConferenceStatus,
    requested_on: NaiveDate,
    date: Option<NaiveDate>,
    today: NaiveDate,
    cal: &WorkCalendar,
) -> Vec<ConfDeadline> {
    use ConferenceStatus as S;
    let mut out = Vec::new();
    if matches!(
        status,
        S::Requested | S::Scheduled | S::Invited | S::Postponed
    ) {
        let due = held_due(kind, requested_on, cal);
        out.push(ConfDeadline::HoldBy(
            due,
            today > due || date.is_some_and(|d| d > due),
        ));
    }
    if let (S::Scheduled, Some(d)) = (status, date) {
        let by = invite_by(d, cal);
        out.push(ConfDeadline::InviteBy(by, today > by));
    }
    if let (S::Held | S::MinutesDraft, Some(held)) = (status, date) {
        if status == S::Held {
            let by = minutes_draft_due(held, cal);
            out.push(ConfDeadline::DraftBy(by, today > by));
        }
        let by = approval_due(held, cal);
        out.push(ConfDeadline::ApproveBy(by, today > by));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::casefile::MeasureStatus;
    use crate::domain::consent::{ConsentForm, ConsentId, ConsentStatus, DeclaredBy};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    fn at(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, min, 0).expect("valid time")
    }

    #[test]
    fn codes_round_trip() {
        for k in ConferenceKind::ALL {
            assert_eq!(ConferenceKind::from_code(k.code()), Some(*k));
        }
        for s in ConferenceStatus::ALL {
            assert_eq!(ConferenceStatus::from_code(s.code()), Some(*s));
        }
        for a in ConferenceAction::ALL {
            assert_eq!(ConferenceAction::from_code(a.code()), Some(*a));
        }
        for r in ParticipantRole::ALL {
            assert_eq!(ParticipantRole::from_code(r.code()), Some(*r));
        }
        for i in Invitation::ALL {
            assert_eq!(Invitation::from_code(i.code()), Some(*i));
        }
        for a in Attendance::ALL {
            assert_eq!(Attendance::from_code(a.code()), Some(*a));
        }
        assert_eq!(ConferenceStatus::ALL.len(), 8);
        assert_eq!(ParticipantRole::ALL.len(), 11);
        assert_eq!(ConferenceStatus::from_code("Scheduled"), None);
    }

    #[test]
    fn the_happy_path_and_postponement() {
        use ConferenceAction as A;
        use ConferenceStatus as S;
        let mut s = S::Requested;
        for (action, next) in [
            (A::Schedule, S::Scheduled),
            (A::Invite, S::Invited),
            (A::Postpone, S::Postponed),
            (A::Schedule, S::Scheduled),
            (A::Invite, S::Invited),
            (A::MarkHeld, S::Held),
            (A::StartMinutes, S::MinutesDraft),
            (A::ApproveMinutes, S::MinutesApproved),
        ] {
            s = transition(s, action).expect("allowed");
            assert_eq!(s, next);
        }
        assert!(s.is_final());
        assert_eq!(transition(S::Scheduled, A::Cancel), Ok(S::Cancelled));
        assert_eq!(transition(S::Invited, A::Cancel), Ok(S::Cancelled));
        assert_eq!(transition(S::Scheduled, A::Postpone), Ok(S::Postponed));
    }

    #[test]
    fn the_table_is_complete_and_nothing_else_is_allowed() {
        use ConferenceAction as A;
        use ConferenceStatus as S;
        let allowed = [
            (S::Requested, A::Schedule),
            (S::Postponed, A::Schedule),
            (S::Scheduled, A::Invite),
            (S::Scheduled, A::Postpone),
            (S::Invited, A::Postpone),
            (S::Scheduled, A::Cancel),
            (S::Invited, A::Cancel),
            (S::Invited, A::MarkHeld),
            (S::Held, A::StartMinutes),
            (S::MinutesDraft, A::ApproveMinutes),
        ];
        let mut n = 0;
        for s in ConferenceStatus::ALL {
            for a in ConferenceAction::ALL {
                let r = transition(*s, *a);
                if allowed.contains(&(*s, *a)) {
                    assert!(r.is_ok(), "{s:?} {a:?}");
                    n += 1;
                } else {
                    assert_eq!(
                        r,
                        Err(TransitionError {
                            from: *s,
                            action: *a
                        })
                    );
                }
            }
        }
        assert_eq!(n, allowed.len());
        // Held only after the invitation; approved minutes are immutable.
        assert!(transition(S::Scheduled, A::MarkHeld).is_err());
        assert!(allowed_actions(S::MinutesApproved).is_empty());
        assert!(allowed_actions(S::Cancelled).is_empty());
        assert_eq!(
            allowed_actions(S::Invited),
            vec![A::Postpone, A::Cancel, A::MarkHeld]
        );
        assert!(S::Invited.blocks_calendar() && !S::Postponed.blocks_calendar());
    }

    #[test]
    fn a_lead_may_only_cancel() {
        use ConferenceAction as A;
        for a in ConferenceAction::ALL {
            assert!(may_take(Relation::Assigned, *a), "{a:?}");
            assert!(may_take(Relation::Deputy, *a), "{a:?}");
            assert_eq!(may_take(Relation::Lead, *a), *a == A::Cancel, "{a:?}");
            assert!(!may_take(Relation::BreakGlass, *a), "{a:?}");
            assert!(!may_take(Relation::None, *a), "{a:?}");
        }
    }

    fn consent() -> Consent {
        Consent {
            id: ConsentId(1),
            case_id: 1,
            recorded_by: Agency::Jobcenter,
            declared_by: DeclaredBy::YoungPerson,
            representation_reason: None,
            insight_checked: false,
            signed_on: d(2026, 1, 10),
            form: ConsentForm::Written,
            document_ref: "Scan".into(),
            purposes: vec![Purpose::Conference],
            categories: vec![DataCategory::MasterData, DataCategory::School],
            recipient_agencies: vec![Agency::Jugendamt],
            recipient_staff: vec![],
            external_recipients: "Schule am Wald; Träger: Jugendwerkstatt Herten\nFrau Öztürk"
                .into(),
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

    fn staff(id: i64, agency: Agency, role: ParticipantRole) -> Participant {
        Participant {
            staff: Some(id),
            external_name: String::new(),
            external_org: String::new(),
            agency: Some(agency),
            role,
            invitation: Invitation::Invited,
            attendance: None,
            guardian: None,
        }
    }

    fn external(name: &str, org: &str, role: ParticipantRole) -> Participant {
        Participant {
            staff: None,
            external_name: name.into(),
            external_org: org.into(),
            agency: None,
            role,
            invitation: Invitation::Invited,
            attendance: None,
            guardian: None,
        }
    }

    fn ctx() -> CoverageContext {
        CoverageContext {
            own_agency: Agency::Jobcenter,
            today: d(2026, 6, 10),
            birth: d(2004, 5, 1),
        }
    }

    fn people() -> Vec<Participant> {
        vec![
            external("Jana Müller", "", ParticipantRole::YoungPerson),
            staff(1, Agency::Jobcenter, ParticipantRole::Pap),
            staff(2, Agency::Jugendamt, ParticipantRole::Asd),
            external("Herr Kaya", "Schule am Wald", ParticipantRole::School),
            external("Frau Oeztuerk", "", ParticipantRole::Therapist),
        ]
    }

    #[test]
    fn a_full_consent_covers_everyone() {
        let c = consent();
        let cov = coverage(&people(), Some(&c), &[DataCategory::School], &ctx());
        assert!(cov.is_complete(), "{cov:?}");
        assert_eq!(cov.covered, vec![true; 5]);
    }

    #[test]
    fn uncovered_people_and_topics_are_named() {
        let c = consent();
        let mut ps = people();
        ps.push(external("Herr Demir", "Schule", ParticipantRole::School));
        ps.push(external(
            "",
            "Caritas Suchtberatung",
            ParticipantRole::Provider,
        ));
        let cov = coverage(
            &ps,
            Some(&c),
            &[
                DataCategory::School,
                DataCategory::Health,
                DataCategory::Health,
            ],
            &ctx(),
        );
        assert!(!cov.is_complete());
        assert_eq!(cov.gap, None);
        assert_eq!(cov.uncovered_participants, vec![5, 6]);
        assert_eq!(cov.uncovered_topics, vec![DataCategory::Health]);

        // A Schweigepflichtentbindung covers only the named persons.
        let mut named = consent();
        named.recipient_staff = vec![StaffId(3)];
        let cov = coverage(&people(), Some(&named), &[], &ctx());
        assert_eq!(cov.uncovered_participants, vec![2]);
    }

    #[test]
    fn without_a_usable_consent_only_an_anonymised_conference_remains() {
        let cov = coverage(&people(), None, &[DataCategory::Family], &ctx());
        assert_eq!(cov.gap, Some(ConsentGap::Missing));
        assert_eq!(cov.uncovered_participants, vec![2, 3, 4]);
        assert_eq!(
            cov.uncovered_topics,
            vec![DataCategory::MasterData, DataCategory::Family]
        );
        let mut revoked = consent();
        revoked.status = ConsentStatus::Revoked;
        assert_eq!(
            coverage(&people(), Some(&revoked), &[], &ctx()).gap,
            Some(ConsentGap::NotActive)
        );
        let mut other_purpose = consent();
        other_purpose.purposes = vec![Purpose::MutualInformation];
        assert_eq!(
            coverage(&people(), Some(&other_purpose), &[], &ctx()).gap,
            Some(ConsentGap::PurposeMissing)
        );
        let mut late = ctx();
        late.today = d(2027, 2, 1);
        assert_eq!(
            coverage(&people(), Some(&consent()), &[], &late).gap,
            Some(ConsentGap::NotActive)
        );
        // Only the own agency and the young person: nothing leaves, nothing to cover.
        let own = vec![people()[0].clone(), people()[1].clone()];
        assert!(coverage(&own, None, &[DataCategory::Health], &ctx()).is_complete());
    }

    #[test]
    fn held_needs_the_date_and_attendance() {
        let mut ps = people();
        let start = at(2026, 6, 10, 14, 0);
        assert_eq!(
            held_problems(start, at(2026, 6, 9, 16, 0), &ps),
            vec![
                HeldProblem::BeforeDate,
                HeldProblem::AttendanceMissing(vec![0, 1, 2, 3, 4])
            ]
        );
        for p in &mut ps {
            p.attendance = Some(Attendance::Present);
        }
        ps[3].attendance = Some(Attendance::Excused);
        assert!(held_problems(start, at(2026, 6, 10, 9, 0), &ps).is_empty());
    }

    #[test]
    fn decisions_need_responsible_and_due_date() {
        let held = d(2026, 6, 10);
        let ok = DecisionDraft {
            text: "Anmeldung Schuldnerberatung".into(),
            responsible: Some(Responsible::Staff(Agency::Jobcenter, StaffId(1))),
            due_on: Some(d(2026, 7, 1)),
            category: None,
        };
        let empty = DecisionDraft {
            text: "  ".into(),
            responsible: None,
            due_on: None,
            category: None,
        };
        let early = DecisionDraft {
            text: "Bewerbung".into(),
            responsible: Some(Responsible::External("  ".into())),
            due_on: Some(d(2026, 6, 9)),
            category: None,
        };
        let yp = DecisionDraft {
            text: "Termin beim Arzt".into(),
            responsible: Some(Responsible::YoungPerson),
            due_on: Some(held),
            category: None,
        };
        let problems = decision_problems(&[ok.clone(), empty, early, yp], held);
        let p = |index, field, issue| DecisionProblem {
            index,
            field,
            issue,
        };
        assert_eq!(
            problems,
            vec![
                p(1, DecisionField::Text, DecisionIssue::Required),
                p(1, DecisionField::Responsible, DecisionIssue::Required),
                p(1, DecisionField::DueOn, DecisionIssue::Required),
                p(2, DecisionField::Responsible, DecisionIssue::Required),
                p(2, DecisionField::DueOn, DecisionIssue::DueBeforeMeeting),
            ]
        );
        let m = Measure {
            id: 4,
            text: ok.text,
            responsible: Responsible::Staff(Agency::Jugendamt, StaffId(0)),
            due_on: d(2026, 7, 1),
            status: MeasureStatus::Open,
            result: String::new(),
        };
        assert_eq!(
            measure_problems(&[m], held),
            vec![p(0, DecisionField::Responsible, DecisionIssue::Required)]
        );
    }

    #[test]
    fn four_eyes_approval() {
        let mut ps = people();
        ps[2].attendance = Some(Attendance::Present);
        let lead = (Agency::Jobcenter, 1);
        assert!(approval_problems(lead, Some((Agency::Jugendamt, 2)), &ps).is_empty());
        assert_eq!(
            approval_problems(lead, None, &ps),
            vec![ApprovalProblem::SecondMissing]
        );
        assert_eq!(
            approval_problems(lead, Some((Agency::Jobcenter, 1)), &ps),
            vec![
                ApprovalProblem::SamePerson,
                ApprovalProblem::SameAgency,
                ApprovalProblem::NotAParticipant
            ]
        );
        assert_eq!(
            approval_problems(lead, Some((Agency::Jugendamt, 9)), &ps),
            vec![ApprovalProblem::NotAParticipant]
        );
    }

    #[test]
    fn deadlines() {
        let cal = WorkCalendar::default();
        // Requested Thu 02.04.2026 (Easter follows): 20 working days → Tue 05.05. Count:
        // 07.–10.04 (4), 13.–17.04 (9), 20.–24.04 (14), 27.–30.04 (18), 04.05 (19), 05.05 (20).
        assert_eq!(
            held_due(ConferenceKind::First, d(2026, 4, 2), &cal),
            d(2026, 5, 5)
        );
        // Crisis requested Wed 23.12.2026: 24.12, 28.12, 29.12.
        assert_eq!(
            held_due(ConferenceKind::Crisis, d(2026, 12, 23), &cal),
            d(2026, 12, 29)
        );
        assert_eq!(
            held_due(ConferenceKind::Transition, d(2026, 4, 2), &cal),
            d(2026, 5, 5)
        );
        // Conference Thu 10.12.2026: invite by Thu 03.12; Mon 14.12: by Mon 07.12.
        assert_eq!(invite_by(d(2026, 12, 10), &cal), d(2026, 12, 3));
        assert_eq!(invite_by(d(2026, 12, 14), &cal), d(2026, 12, 7));
        // Conference Tue 09.06.2026, Fronleichnam Thu 04.06 in between: by Mon 01.06.
        assert_eq!(invite_by(d(2026, 6, 9), &cal), d(2026, 6, 1));
        // Meeting Wed 13.05.2026 (Himmelfahrt 14.05): draft Thu 21.05, approval Fri 29.05
        // (Pfingstmontag 25.05).
        assert_eq!(minutes_draft_due(d(2026, 5, 13), &cal), d(2026, 5, 21));
        assert_eq!(approval_due(d(2026, 5, 13), &cal), d(2026, 5, 29));
    }

    #[test]
    fn invite_by_is_the_latest_day_that_keeps_five_working_days() {
        let cal = WorkCalendar {
            closed: vec![d(2026, 12, 24), d(2026, 12, 31)],
        };
        let mut day = d(2026, 1, 5);
        for _ in 0..400 {
            if cal.is_working_day(day) {
                let by = invite_by(day, &cal);
                assert!(cal.is_working_day(by), "{day}");
                assert!(cal.add_working_days(by, 5) <= day, "{day}: {by}");
                let next = cal.roll_forward(by.succ_opt().expect("date"));
                assert!(
                    cal.add_working_days(next, 5) > day,
                    "{day}: {by} not latest"
                );
            }
            day = day.succ_opt().expect("date");
        }
    }

    #[test]
    fn the_deadlines_follow_the_state() {
        let cal = WorkCalendar::default();
        // Requested on Monday 02.11.2026, planned for Thursday 26.11.2026.
        let req = d(2026, 11, 2);
        let all = super::deadlines(
            ConferenceKind::First,
            ConferenceStatus::Scheduled,
            req,
            Some(d(2026, 11, 26)),
            d(2026, 11, 20),
            &cal,
        );
        assert_eq!(
            all,
            vec![
                ConfDeadline::HoldBy(d(2026, 11, 30), false),
                // Five working days before Thursday 26.11.: Thursday 19.11.
                ConfDeadline::InviteBy(d(2026, 11, 19), true),
            ]
        );
        let held = super::deadlines(
            ConferenceKind::First,
            ConferenceStatus::Held,
            req,
            Some(d(2026, 11, 26)),
            d(2026, 12, 4),
            &cal,
        );
        assert_eq!(
            held,
            vec![
                ConfDeadline::DraftBy(d(2026, 12, 3), true),
                ConfDeadline::ApproveBy(d(2026, 12, 10), false),
            ]
        );
        assert!(
            super::deadlines(
                ConferenceKind::Crisis,
                ConferenceStatus::MinutesApproved,
                req,
                None,
                d(2027, 1, 1),
                &cal
            )
            .is_empty()
        );
    }
}
