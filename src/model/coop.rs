//! Read models and inputs of F5 Kooperation (docs/cooperation.md): the plenary of a year
//! with its agenda and decisions, meetings, trainings, hospitations and the agreement.
//! Nothing here names a young person or a case.

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::Agency;
use crate::domain::coop::{
    CommitmentKind, DecisionStatus, EventStatus, HospitationStatus, MeetingKind, PlenaryStatus,
    TrainingFormat, TrainingTopic,
};

/// A staff member taking part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// Staff id.
    pub staff_id: i64,
    /// "Vorname Nachname".
    pub name: String,
    /// Their Stelle.
    pub stelle: Agency,
}

/// Where an agenda item came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgendaSource {
    /// The default list (docs/domain.md 3.6).
    Default,
    /// Added by a lead.
    Custom,
    /// An open decision of an earlier year.
    Decision,
    /// Taken from the yearly report.
    Report,
}

impl AgendaSource {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            AgendaSource::Default => "default",
            AgendaSource::Custom => "custom",
            AgendaSource::Decision => "decision",
            AgendaSource::Report => "report",
        }
    }

    /// From the stored code.
    pub fn from_code(code: &str) -> AgendaSource {
        match code {
            "default" => AgendaSource::Default,
            "decision" => AgendaSource::Decision,
            "report" => AgendaSource::Report,
            _ => AgendaSource::Custom,
        }
    }
}

/// One agenda item ("TOP").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    /// Number, from 1.
    pub no: u32,
    /// Its title.
    pub title: String,
    /// Where it came from.
    pub source: AgendaSource,
}

/// One decision of a plenary ("Beschluss").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Id.
    pub id: i64,
    /// Year of the plenary that took it.
    pub year: i32,
    /// "Beschluss".
    pub text: String,
    /// "Verantwortlich".
    pub owner: String,
    /// "Fällig am".
    pub due_on: Option<NaiveDate>,
    /// State.
    pub status: DecisionStatus,
    /// Optimistic lock.
    pub version: i64,
}

/// The plenary of one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plenary {
    /// Id.
    pub id: i64,
    /// "Jahr".
    pub year: i32,
    /// "Termin" (Berlin wall clock), if set.
    pub start: Option<NaiveDateTime>,
    /// "Dauer" in minutes.
    pub duration_min: u32,
    /// "Ort".
    pub location: String,
    /// State.
    pub status: PlenaryStatus,
    /// "Protokoll".
    pub minutes: String,
    /// Who approved the minutes.
    pub approved_by: Option<String>,
    /// Participants.
    pub participants: Vec<Participant>,
    /// "Tagesordnung".
    pub agenda: Vec<AgendaItem>,
    /// Decisions taken at this plenary.
    pub decisions: Vec<Decision>,
    /// Optimistic lock.
    pub version: i64,
}

/// A meeting ("Besprechung"); never linked to a person or a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    /// Id.
    pub id: i64,
    /// "Art".
    pub kind: MeetingKind,
    /// "Titel".
    pub title: String,
    /// "Termin".
    pub start: NaiveDateTime,
    /// "Dauer" in minutes.
    pub duration_min: u32,
    /// "Ort".
    pub location: String,
    /// "Themen".
    pub topics: String,
    /// "Ergebnisse".
    pub results: String,
    /// State.
    pub status: EventStatus,
    /// Participants.
    pub participants: Vec<Participant>,
    /// Optimistic lock.
    pub version: i64,
}

/// A training ("Fortbildung").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Training {
    /// Id.
    pub id: i64,
    /// "Titel".
    pub title: String,
    /// "Datum" and start time.
    pub start: NaiveDateTime,
    /// "Umfang (Stunden)" in tenths.
    pub hours_tenths: u32,
    /// "Veranstalter".
    pub organiser: String,
    /// "Format".
    pub format: TrainingFormat,
    /// "Gemeinsam für beide Stellen".
    pub joint: bool,
    /// "Themen".
    pub topics: Vec<TrainingTopic>,
    /// "Ort".
    pub location: String,
    /// State.
    pub status: EventStatus,
    /// Participants.
    pub participants: Vec<Participant>,
    /// Optimistic lock.
    pub version: i64,
}

impl Training {
    /// Participant hours (tenths) of staff of `stelle`.
    pub fn participant_tenths(&self, stelle: Agency) -> u64 {
        let n = self
            .participants
            .iter()
            .filter(|p| p.stelle == stelle)
            .count();
        u64::try_from(n).unwrap_or(0) * u64::from(self.hours_tenths)
    }
}

/// A hospitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hospitation {
    /// Id.
    pub id: i64,
    /// The guest's staff id.
    pub staff_id: i64,
    /// The guest ("Hospitierende/r").
    pub guest: String,
    /// "Herkunftsstelle".
    pub home: Agency,
    /// "Gaststelle".
    pub host: Agency,
    /// "Ansprechperson".
    pub host_contact: String,
    /// "Von".
    pub from: NaiveDate,
    /// "Bis".
    pub to: NaiveDate,
    /// "Tage".
    pub days: u32,
    /// "Ziele".
    pub goals: String,
    /// "Verschwiegenheitserklärung unterzeichnet am".
    pub pledge_on: Option<NaiveDate>,
    /// "Rückmeldung Hospitierende/r".
    pub feedback_guest: String,
    /// "Rückmeldung Gaststelle".
    pub feedback_host: String,
    /// State.
    pub status: HospitationStatus,
    /// Optimistic lock.
    pub version: i64,
}

/// A measurable commitment of the agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commitment {
    /// How it is measured.
    pub kind: CommitmentKind,
    /// Its number (working days or a count per year).
    pub target: u32,
    /// Its words in the agreement.
    pub text: String,
}

/// A version of the cooperation agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    /// Id.
    pub id: i64,
    /// "Fassung", e.g. "2025".
    pub label: String,
    /// "Gültig ab".
    pub valid_from: NaiveDate,
    /// "Unterzeichnende".
    pub signatories: String,
    /// "Anlagen".
    pub annexes: String,
    /// "Überprüfung bis".
    pub review_on: Option<NaiveDate>,
    /// Its measurable commitments.
    pub commitments: Vec<Commitment>,
    /// Optimistic lock.
    pub version: i64,
}

/// A dated cooperation record in the calendar of one participant, for the iCalendar feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoopAppointment {
    /// The calendar row's id (stable across moves: the UID).
    pub id: i64,
    /// Its title ("Große Runde 2026", the training's title, "Hospitation").
    pub title: String,
    /// Start, Berlin wall clock.
    pub start: NaiveDateTime,
    /// End, Berlin wall clock.
    pub end: NaiveDateTime,
    /// Room or place.
    pub room: String,
    /// Raised with every change (the SEQUENCE).
    pub version: i64,
}

/// An alert of F5 (to the leads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoopAlert {
    /// The year's plenary has no date yet, past the due day.
    PlenaryDateMissing(i32),
    /// The agreement in force is due for review on this day.
    ReviewDue(NaiveDate),
    /// Open decisions past their due date.
    DecisionsOverdue(usize),
}

/// Everything F5 shows for one year.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CoopYear {
    /// The year.
    pub year: i32,
    /// Its plenary, if one is planned.
    pub plenary: Option<Plenary>,
    /// Open decisions of earlier years (carried onto this year's agenda).
    pub carried: Vec<Decision>,
    /// Meetings of the year.
    pub meetings: Vec<Meeting>,
    /// Trainings of the year.
    pub trainings: Vec<Training>,
    /// Hospitations starting in the year.
    pub hospitations: Vec<Hospitation>,
    /// Agreement versions, newest first.
    pub agreements: Vec<Agreement>,
    /// Alerts.
    pub alerts: Vec<CoopAlert>,
}

impl CoopYear {
    /// Hospitations that took place, JC→JA and JA→JC (reciprocity).
    pub fn reciprocity(&self) -> (usize, usize) {
        let done = |home: Agency| {
            self.hospitations
                .iter()
                .filter(|h| h.home == home && h.status.took_place())
                .count()
        };
        (done(Agency::Jobcenter), done(Agency::Jugendamt))
    }
}

/// Input of a plenary ("Große Runde planen").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlenaryInput {
    /// "Jahr".
    pub year: i32,
    /// "Termin".
    pub start: Option<NaiveDateTime>,
    /// "Dauer" in minutes.
    pub duration_min: u32,
    /// "Ort".
    pub location: String,
    /// Participants (staff ids of both Stellen).
    pub participants: Vec<i64>,
    /// "Protokoll".
    pub minutes: String,
    /// "Tagesordnung" as edited by a lead, one item per entry; none: the agenda stays
    /// (a new plenary gets the default one).
    pub agenda: Option<Vec<String>>,
}

/// Input of a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionInput {
    /// "Beschluss".
    pub text: String,
    /// "Verantwortlich".
    pub owner: String,
    /// "Fällig am".
    pub due_on: Option<NaiveDate>,
}

/// Input of a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingInput {
    /// "Art".
    pub kind: MeetingKind,
    /// "Titel".
    pub title: String,
    /// "Termin".
    pub start: NaiveDateTime,
    /// "Dauer".
    pub duration_min: u32,
    /// "Ort".
    pub location: String,
    /// "Themen".
    pub topics: String,
    /// "Ergebnisse".
    pub results: String,
    /// Participants.
    pub participants: Vec<i64>,
}

/// Input of a training.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingInput {
    /// "Titel".
    pub title: String,
    /// "Datum" with start time.
    pub start: NaiveDateTime,
    /// "Umfang" in tenths of an hour.
    pub hours_tenths: u32,
    /// "Veranstalter".
    pub organiser: String,
    /// "Format".
    pub format: TrainingFormat,
    /// "Gemeinsam".
    pub joint: bool,
    /// "Themen".
    pub topics: Vec<TrainingTopic>,
    /// "Ort".
    pub location: String,
    /// Participants.
    pub participants: Vec<i64>,
}

/// Input of a hospitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HospitationInput {
    /// The guest.
    pub staff_id: i64,
    /// "Ansprechperson".
    pub host_contact: String,
    /// "Von".
    pub from: NaiveDate,
    /// "Bis".
    pub to: NaiveDate,
    /// "Tage".
    pub days: u32,
    /// "Ziele".
    pub goals: String,
    /// "Verschwiegenheitserklärung unterzeichnet am".
    pub pledge_on: Option<NaiveDate>,
    /// "Rückmeldung Hospitierende/r".
    pub feedback_guest: String,
    /// "Rückmeldung Gaststelle".
    pub feedback_host: String,
}

/// Input of an agreement version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementInput {
    /// "Fassung".
    pub label: String,
    /// "Gültig ab".
    pub valid_from: NaiveDate,
    /// "Unterzeichnende".
    pub signatories: String,
    /// "Anlagen".
    pub annexes: String,
    /// "Überprüfung bis".
    pub review_on: Option<NaiveDate>,
    /// Commitments.
    pub commitments: Vec<Commitment>,
}
