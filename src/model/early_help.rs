//! Read models and inputs of early help (docs/early-help.md): what a screen shows of one
//! contact request, and what a form hands the store. A field the viewer may not read is
//! `None`; the store fills only what the viewer's side and the parent's consent allow.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::CaseId;
use crate::domain::consent::{ConsentForm, DeclaredBy};
pub use crate::domain::early_help::EhSide;
use crate::domain::early_help::{
    ChildBand, Concern, ContactPref, DueKind, EhData, EhState, HelpKind, Outcome, Path,
};
use crate::domain::referral::{IndicatorArea, Rating};

/// One child of a request: a first name and an age band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EhChild {
    /// "Vorname" (may be empty for an expected child).
    pub first_name: String,
    /// "Alter".
    pub band: ChildBand,
}

/// One indicator of the observation (gelb or rot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EhIndicator {
    /// Index of the child in [`EhRequest::children`].
    pub child: usize,
    /// "Bereich".
    pub area: IndicatorArea,
    /// "Ampel".
    pub rating: Rating,
}

/// The parent's consent as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EhConsent {
    /// "Unterschrieben am".
    pub signed_on: NaiveDate,
    /// "Erklärt durch".
    pub declared_by: DeclaredBy,
    /// "Form".
    pub form: ConsentForm,
    /// "Dokument/Ablage".
    pub document_ref: String,
    /// What may be passed on.
    pub data: Vec<EhData>,
    /// "Rückmeldung an das Jobcenter erlaubt".
    pub feedback: bool,
}

/// One contact request as one viewer may read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EhRequest {
    /// Id ("FH-…" on screen).
    pub id: i64,
    /// State.
    pub state: EhState,
    /// The viewer's side.
    pub side: EhSide,
    /// Version for optimistic locking.
    pub version: i64,
    /// Who recorded it (a staff name: both sides need the contact).
    pub requested_by: Option<String>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
    /// When it was sent.
    pub sent_at: Option<DateTime<Utc>>,
    /// Who took it.
    pub taken_by: Option<String>,
    /// When it was taken.
    pub taken_at: Option<DateTime<Utc>>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// The consent was revoked on this day.
    pub revoked_on: Option<NaiveDate>,
    /// Converted into a referral draft at this time.
    pub converted_at: Option<DateTime<Utc>>,
    /// The referral the conversion became, once it was sent.
    pub referral_id: Option<i64>,
    /// The deadline that runs.
    pub due: Option<(DueKind, DateTime<Utc>)>,
    /// What reached the Jugendamt (fixed at sending; marked when revoked).
    pub passed_data: Vec<EhData>,
    /// "Name der Eltern".
    pub parent_name: Option<String>,
    /// "Kontakt" (phone, address).
    pub parent_contact: Option<String>,
    /// "Kontaktwunsch".
    pub contact_pref: Option<Vec<ContactPref>>,
    /// "Gut erreichbar".
    pub best_times: Option<String>,
    /// The children.
    pub children: Option<Vec<EhChild>>,
    /// "Anliegen".
    pub concerns: Option<Vec<Concern>>,
    /// "In Worten der Eltern".
    pub own_words: Option<String>,
    /// The Jobcenter's observation (never passed on).
    pub facts: Option<String>,
    /// The indicators per child (never passed on).
    pub indicators: Option<Vec<EhIndicator>>,
    /// "Gewichtige Anhaltspunkte" ticked at the observation.
    pub weighty: Option<bool>,
    /// What the guide showed.
    pub guide_path: Option<Path>,
    /// Why early help was taken where the guide showed another path.
    pub path_reason: Option<String>,
    /// The cooperation case, when there is one (Jobcenter side).
    pub case_id: Option<CaseId>,
    /// "Gespräch geführt am".
    pub talk_on: Option<NaiveDate>,
    /// The consent.
    pub consent: Option<EhConsent>,
    /// "Einwilligung verweigert am".
    pub declined_on: Option<NaiveDate>,
    /// "Wiedervorlage".
    pub follow_up_on: Option<NaiveDate>,
    /// "Erstkontakt am".
    pub first_contact_on: Option<NaiveDate>,
    /// "Ergebnis".
    pub outcome: Option<Outcome>,
    /// Which help was accepted.
    pub help_kind: Option<HelpKind>,
    /// The "Gemeinsamer Termin": start, end (Berlin wall-clock) and room.
    pub joint: Option<(chrono::NaiveDateTime, chrono::NaiveDateTime, String)>,
    /// The steps the viewer may take now, decided on the stored state (which a Jobcenter
    /// reader may not see whole).
    pub steps: Vec<crate::domain::early_help::EhStep>,
}

/// What the Jobcenter worker records at the observation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EhObservation {
    /// The parent's name.
    pub parent_name: String,
    /// Phone or address.
    pub parent_contact: String,
    /// The cooperation case, when there is one.
    pub case_id: Option<CaseId>,
    /// The children.
    pub children: Vec<EhChild>,
    /// Every rating given (grün included: the guide needs it; only gelb and rot are kept).
    pub ratings: Vec<(usize, IndicatorArea, Rating)>,
    /// "Gewichtige Anhaltspunkte".
    pub weighty: bool,
    /// "Akute Gefahr".
    pub acute: bool,
    /// "Beobachtung (Tatsachen)".
    pub facts: String,
    /// Why early help where the guide showed another path.
    pub reason: String,
}

/// What the talk with the parent brought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EhTalk {
    /// "Gespräch geführt am".
    pub talk_on: NaiveDate,
    /// "Anliegen" (at least one).
    pub concerns: Vec<Concern>,
    /// "In Worten der Eltern".
    pub own_words: String,
    /// "Kontaktwunsch".
    pub contact_pref: Vec<ContactPref>,
    /// "Gut erreichbar".
    pub best_times: String,
}
