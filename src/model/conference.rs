//! Read models of case conferences (docs/domain.md 4): a conference as the viewer may see
//! it, its participants, the open measures carried into its agenda, and a conference to
//! create.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};

use crate::domain::casefile::Measure;
use crate::domain::conference::{ConferenceKind, ConferenceStatus, Participant};
use crate::domain::consent::DataCategory;
use crate::domain::{CaseId, StaffId, tz};

/// A participant with a display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantRow {
    /// The participant.
    pub participant: Participant,
    /// Name to show.
    pub name: String,
    /// Office e-mail of a staff participant (empty for others).
    pub email: String,
    /// A custody holder marked "Kontakt gefährdet": never invited (docs/casework.md § 4).
    pub no_contact: bool,
}

/// One conference as the viewer may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConferenceRow {
    /// Id.
    pub id: i64,
    /// The case.
    pub case_id: CaseId,
    /// The young person as the viewer may name them: "Müller, Jana" or "J. M." or "".
    pub person: String,
    /// Initials only (for calendars outside Tandem).
    pub initials: String,
    /// Kind.
    pub kind: ConferenceKind,
    /// Status.
    pub status: ConferenceStatus,
    /// "Anlass/Fragestellung".
    pub question: String,
    /// Start (Berlin wall-clock), once scheduled.
    pub start: Option<NaiveDateTime>,
    /// Start as an instant: which of two at the autumn clock change (docs/domain.md 7.1).
    pub start_at: Option<DateTime<Utc>>,
    /// Duration in minutes.
    pub duration_min: u32,
    /// Room, video link or phone.
    pub location: String,
    /// "Nur anonymisiert".
    pub anonymised: bool,
    /// Participants.
    pub participants: Vec<ParticipantRow>,
    /// iCalendar SEQUENCE (raised on every change of date or status).
    pub sequence: u32,
    /// Minutes text.
    pub minutes: String,
    /// Approved by (names), once approved.
    pub approved: Option<(String, String)>,
    /// Cancellation or postponement reason.
    pub reason: String,
    /// Who requested it.
    pub requested_by: StaffId,
    /// The requester's name and office e-mail: the ORGANIZER of its calendar invitations.
    pub organizer: (String, String),
    /// Version.
    pub version: i64,
    /// The day it was requested (Berlin): the 4.2 deadline to hold it counts from here.
    pub requested_on: chrono::NaiveDate,
}

impl ConferenceRow {
    /// End (Berlin wall-clock), the duration counted in real time: 90 minutes across the
    /// autumn clock change end 90 real minutes later (docs/domain.md 7.1).
    pub fn end(&self) -> Option<NaiveDateTime> {
        self.end_at().map(tz::to_local)
    }

    /// End as an instant.
    pub fn end_at(&self) -> Option<DateTime<Utc>> {
        self.start_at
            .map(|s| s + Duration::minutes(i64::from(self.duration_min)))
    }
}

/// An open measure carried into a conference's agenda, with the conference that agreed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaMeasure {
    /// The measure.
    pub measure: Measure,
    /// The conference that agreed it, if any.
    pub conference_id: Option<i64>,
    /// The agenda item it was agreed under, if any.
    pub agenda_no: Option<u32>,
}

/// One item of a conference's agenda ("TOP").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    /// "TOP n".
    pub no: u32,
    /// Its title.
    pub title: String,
    /// The open agreement it carries in, if any.
    pub carried: Option<i64>,
    /// The minutes of this item.
    pub minutes: String,
}

/// An addendum ("Nachtrag") to approved minutes, approved like the minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addendum {
    /// Id.
    pub id: i64,
    /// The text.
    pub text: String,
    /// Who wrote it (name) and when (Berlin time).
    pub written: (String, NaiveDateTime),
    /// First approval (name), if given.
    pub approved_by: Option<String>,
    /// Second approval (name), if given: then it is part of the minutes.
    pub approved_second: Option<String>,
}

/// The structured minutes of a conference (docs/casework.md § 4).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MinutesView {
    /// The agenda: as stored, or the default one while none is stored.
    pub items: Vec<AgendaItem>,
    /// Whether `items` is stored (false: the proposal).
    pub stored: bool,
    /// The situation per life area (only those written).
    pub areas: Vec<(crate::domain::conference::LifeArea, String)>,
    /// "Zusammenfassung in einfacher Sprache".
    pub plain_summary: String,
    /// The addenda, oldest first.
    pub addenda: Vec<Addendum>,
}

/// A conference to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConference {
    /// The case.
    pub case_id: CaseId,
    /// Kind.
    pub kind: ConferenceKind,
    /// "Anlass/Fragestellung".
    pub question: String,
    /// Start (Berlin wall-clock); None: only requested.
    pub start: Option<NaiveDateTime>,
    /// Duration in minutes.
    pub duration_min: u32,
    /// Room, link or phone.
    pub location: String,
    /// "Nur anonymisiert".
    pub anonymised: bool,
    /// Participants.
    pub participants: Vec<Participant>,
    /// Topics discussed (data categories), for the consent check.
    pub topics: Vec<DataCategory>,
}

/// What the minutes dialog hands the store (`Store::save_structured_minutes`).
#[derive(Debug, Clone, Copy, Default)]
pub struct MinutesInput<'a> {
    /// The general minutes text.
    pub text: &'a str,
    /// Decisions not tied to an item.
    pub decisions: &'a [crate::domain::conference::DecisionDraft],
    /// The agenda items with their minutes (empty: the agenda is left as it is).
    pub items: &'a [AgendaItem],
    /// Decisions per item number.
    pub item_decisions: &'a [(u32, crate::domain::conference::DecisionDraft)],
    /// The situation per life area (an empty text removes it).
    pub areas: &'a [(crate::domain::conference::LifeArea, String)],
    /// The plain-language summary (None: unchanged).
    pub plain_summary: Option<&'a str>,
}
