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
