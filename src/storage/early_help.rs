//! Early help for young parents in the store (docs/early-help.md): the observation with the
//! decision guide, the talk, the parent's consent, the contact request and its steps at the
//! Jugendamt, the revocation and the conversion into a referral draft.
//!
//! Who reads what is decided here (default deny, docs/early-help.md § 6): every read goes
//! through [`side`], and the fields a side may not read are never loaded into the read
//! model. Every step is audited in its own transaction and rests on the version the
//! person saw.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::audit::{AuditAction, AuditEntry, append_at};
use super::cases::parse_date;
use super::{StorageError, Store, ts};
use crate::domain::calendar::WorkCalendar;
use crate::domain::consent::{ConsentForm, DeclaredBy};
use crate::domain::early_help::{
    ChildBand, Concern, ContactPref, EhData, EhDeadlines, EhSide, EhState, HelpKind, MAX_CHILDREN,
    Outcome, Path, due, guide, needs_reason, short_contact, side, steps,
};
use crate::domain::referral::{IndicatorArea, Rating, key};
use crate::domain::refusal::Refusal;
use crate::domain::text::sanitize;
use crate::domain::{CaseId, Staff, StaffId};
use crate::model::draft::{Draft, REFERRAL_DRAFT, SessionId};
use crate::model::early_help::{EhChild, EhConsent, EhIndicator, EhObservation, EhRequest, EhTalk};
use crate::model::referral::Function;

/// Audit object of a request (object id: the request).
pub const EH_REQUEST: &str = "eh_request";
/// Audit object of a path the decision guide showed and the one taken.
pub const EH_GUIDE: &str = "eh_guide_choice";

/// Longest one-line entry (name, contact, best times).
pub const MAX_LINE: usize = 200;
/// Longest text (observation, the parent's words, a reason).
pub const MAX_TEXT: usize = 4000;

/// The draft key that links a referral draft to the request it came from.
pub const DRAFT_KEY: &str = "early_help";

fn line(s: &str) -> String {
    sanitize(s.trim(), false).chars().take(MAX_LINE).collect()
}

fn too_long(s: &str, max: usize) -> bool {
    s.chars().count() > max
}

#[expect(
    clippy::needless_pass_by_value,
    reason = "callers hand over fresh column values"
)]
fn opt_date(s: Option<String>) -> Option<NaiveDate> {
    s.as_deref().map(parse_date)
}

#[expect(
    clippy::needless_pass_by_value,
    reason = "callers hand over fresh column values"
)]
fn opt_ts(s: Option<String>) -> Option<DateTime<Utc>> {
    s.as_deref().and_then(super::parse_ts)
}

fn date_code(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The stored facts of one request before the access decision.
struct Raw {
    id: i64,
    requested_by: StaffId,
    requester_name: String,
    case_id: Option<i64>,
    state: EhState,
    guide_path: Option<Path>,
    path_reason: String,
    weighty: bool,
    parent_name: String,
    parent_contact: String,
    concerns: Vec<Concern>,
    own_words: String,
    contact_pref: Vec<ContactPref>,
    best_times: String,
    facts: String,
    talk_on: Option<NaiveDate>,
    consent: Option<EhConsent>,
    revoked_on: Option<NaiveDate>,
    declined_on: Option<NaiveDate>,
    follow_up_on: Option<NaiveDate>,
    sent_at: Option<DateTime<Utc>>,
    passed: Vec<EhData>,
    taken_by: Option<StaffId>,
    taken_name: Option<String>,
    taken_at: Option<DateTime<Utc>>,
    first_contact_on: Option<NaiveDate>,
    outcome: Option<Outcome>,
    help_kind: Option<HelpKind>,
    closed_at: Option<DateTime<Utc>>,
    converted_at: Option<DateTime<Utc>>,
    referral_id: Option<i64>,
    created_at: DateTime<Utc>,
    version: i64,
    joint: Option<(chrono::NaiveDateTime, chrono::NaiveDateTime, String)>,
}

const COLUMNS: &str = "e.id, e.requested_by, s.given_name || ' ' || s.surname, e.case_id, e.state, \
     e.guide_path, e.path_reason, e.weighty, e.parent_name, e.parent_contact, e.concerns, \
     e.own_words, e.contact_pref, e.best_times, e.facts, e.talk_on, e.consent_on, e.consent_by, \
     e.consent_form, e.consent_ref, e.consent_data, e.consent_feedback, e.revoked_on, \
     e.declined_on, e.follow_up_on, e.sent_at, e.passed_data, e.taken_by, \
     (SELECT t.given_name || ' ' || t.surname FROM staff t WHERE t.id = e.taken_by), e.taken_at, \
     e.first_contact_on, e.outcome, e.help_kind, e.closed_at, e.converted_at, e.referral_id, \
     e.created_at, e.version, a.starts_at, a.ends_at, coalesce(a.room, '')";

const FROM: &str = "FROM eh_request e JOIN staff s ON s.id = e.requested_by \
     LEFT JOIN appointment a ON a.id = e.joint_appointment_id";

fn map_raw(r: &Row<'_>) -> rusqlite::Result<Raw> {
    let consent_on: Option<String> = r.get(16)?;
    let consent = consent_on.map(|on| -> rusqlite::Result<EhConsent> {
        Ok(EhConsent {
            signed_on: parse_date(&on),
            declared_by: r
                .get::<_, Option<String>>(17)?
                .as_deref()
                .and_then(DeclaredBy::from_code)
                .unwrap_or(DeclaredBy::YoungPerson),
            form: r
                .get::<_, Option<String>>(18)?
                .as_deref()
                .and_then(ConsentForm::from_code)
                .unwrap_or(ConsentForm::Written),
            document_ref: r.get(19)?,
            data: EhData::split(&r.get::<_, String>(20)?),
            feedback: r.get::<_, i64>(21)? == 1,
        })
    });
    Ok(Raw {
        id: r.get(0)?,
        requested_by: StaffId(r.get(1)?),
        requester_name: r.get(2)?,
        case_id: r.get(3)?,
        state: EhState::from_code(&r.get::<_, String>(4)?).unwrap_or(EhState::Observed),
        guide_path: Path::from_code(&r.get::<_, String>(5)?),
        path_reason: r.get(6)?,
        weighty: r.get::<_, i64>(7)? == 1,
        parent_name: r.get(8)?,
        parent_contact: r.get(9)?,
        concerns: Concern::split(&r.get::<_, String>(10)?),
        own_words: r.get(11)?,
        contact_pref: ContactPref::split(&r.get::<_, String>(12)?),
        best_times: r.get(13)?,
        facts: r.get(14)?,
        talk_on: opt_date(r.get(15)?),
        consent: consent.transpose()?,
        revoked_on: opt_date(r.get(22)?),
        declined_on: opt_date(r.get(23)?),
        follow_up_on: opt_date(r.get(24)?),
        sent_at: opt_ts(r.get(25)?),
        passed: EhData::split(&r.get::<_, String>(26)?),
        taken_by: r.get::<_, Option<i64>>(27)?.map(StaffId),
        taken_name: r.get(28)?,
        taken_at: opt_ts(r.get(29)?),
        first_contact_on: opt_date(r.get(30)?),
        outcome: r
            .get::<_, Option<String>>(31)?
            .as_deref()
            .and_then(Outcome::from_code),
        help_kind: r
            .get::<_, Option<String>>(32)?
            .as_deref()
            .and_then(HelpKind::from_code),
        closed_at: opt_ts(r.get(33)?),
        converted_at: opt_ts(r.get(34)?),
        referral_id: r.get(35)?,
        created_at: opt_ts(r.get(36)?).unwrap_or(DateTime::<Utc>::MIN_UTC),
        version: r.get(37)?,
        joint: match (opt_ts(r.get(38)?), opt_ts(r.get(39)?)) {
            (Some(s), Some(e)) => Some((
                crate::domain::tz::to_local(s),
                crate::domain::tz::to_local(e),
                r.get(40)?,
            )),
            _ => None,
        },
    })
}

fn children_of(conn: &Connection, id: i64) -> Result<Vec<EhChild>, StorageError> {
    let mut stmt = conn.prepare_cached(
        "SELECT first_name, band FROM eh_child WHERE request_id = ?1 ORDER BY no",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(EhChild {
            first_name: r.get(0)?,
            band: ChildBand::from_code(&r.get::<_, String>(1)?).unwrap_or(ChildBand::B6),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn indicators_of(conn: &Connection, id: i64) -> Result<Vec<EhIndicator>, StorageError> {
    let mut stmt = conn.prepare_cached(
        "SELECT child_no, area, rating FROM eh_indicator WHERE request_id = ?1 \
         ORDER BY child_no, area",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (no, area, rating) = row?;
        if let (Some(area), Some(rating), Ok(child)) = (
            IndicatorArea::from_code(&area),
            Rating::from_code(&rating),
            usize::try_from(no),
        ) {
            out.push(EhIndicator {
                child,
                area,
                rating,
            });
        }
    }
    Ok(out)
}

fn side_of(conn: &Connection, viewer: &Staff, raw: &Raw) -> Result<Option<EhSide>, StorageError> {
    let fh = super::referrals::has_function(conn, viewer.id, Function::EarlyHelp)?;
    Ok(side_with(viewer, raw, fh))
}

/// [`side`] for `raw` when whether `viewer` holds `early_help` is known already.
fn side_with(viewer: &Staff, raw: &Raw, early_help: bool) -> Option<EhSide> {
    side(
        viewer,
        raw.requested_by,
        raw.sent_at.is_some(),
        raw.taken_by,
        early_help,
    )
}

/// The state a Jobcenter reader sees: without the parent's consent to feedback, the
/// Jugendamt's progress after taking the request stays with the Jugendamt (docs/early-help.md
/// § 4), so "Kontakt aufgenommen" and "Abgeschlossen" read as "Übernommen".
fn jc_state(raw: &Raw) -> EhState {
    let feedback = raw.consent.as_ref().is_some_and(|c| c.feedback);
    match raw.state {
        EhState::Contacted | EhState::Closed if raw.sent_at.is_some() && !feedback => {
            EhState::Taken
        }
        s => s,
    }
}

/// Builds the read model of `raw` for `side`: what that side may read, nothing more.
fn view(
    conn: &Connection,
    viewer: &Staff,
    raw: Raw,
    side: EhSide,
    now_due: impl Fn(
        EhState,
        Option<DateTime<Utc>>,
        bool,
    ) -> Option<(crate::domain::early_help::DueKind, DateTime<Utc>)>,
) -> Result<EhRequest, StorageError> {
    let jc = matches!(side, EhSide::Requester | EhSide::JcLead);
    let ja = matches!(side, EhSide::EarlyHelp | EhSide::JaLead);
    // Everyone of the Jobcenter, its DSB included, sees the Jugendamt's progress only as
    // far as the feedback consent allows (§ 4).
    let jc_reader =
        jc || (side == EhSide::Dpo && viewer.agency == crate::domain::Agency::Jobcenter);
    let feedback = raw.consent.as_ref().is_some_and(|c| c.feedback);
    let step_list = steps(
        side,
        raw.state,
        raw.sent_at.is_some(),
        raw.closed_at.is_some(),
        raw.referral_id.is_some(),
    );
    let passed = |d: EhData| ja && raw.passed.contains(&d);
    let children = children_of(conn, raw.id)?;
    let short = short_contact(
        &raw.concerns,
        &children.iter().map(|c| c.band).collect::<Vec<_>>(),
    );
    let state = if jc_reader { jc_state(&raw) } else { raw.state };
    // The Jobcenter follows the first-contact deadline only when it may hear the outcome.
    let due = match side {
        EhSide::Requester | EhSide::JcLead if state == EhState::Taken && !feedback => None,
        EhSide::Dpo => None,
        _ => now_due(state, raw.sent_at, short),
    };
    let shows_outcome = ja || (jc && feedback);
    let indicators = if jc {
        Some(indicators_of(conn, raw.id)?)
    } else {
        None
    };
    Ok(EhRequest {
        id: raw.id,
        state,
        side,
        version: raw.version,
        requested_by: Some(raw.requester_name),
        created_at: raw.created_at,
        sent_at: raw.sent_at,
        taken_by: raw.taken_name,
        taken_at: raw.taken_at,
        closed_at: if jc_reader && !feedback && raw.sent_at.is_some() {
            None
        } else {
            raw.closed_at
        },
        revoked_on: raw.revoked_on,
        converted_at: if side == EhSide::Dpo || jc {
            raw.converted_at
        } else {
            None
        },
        referral_id: if jc { raw.referral_id } else { None },
        due,
        passed_data: if side == EhSide::Dpo {
            Vec::new()
        } else {
            raw.passed.clone()
        },
        parent_name: (jc || passed(EhData::Contact)).then(|| raw.parent_name.clone()),
        parent_contact: (jc || passed(EhData::Contact)).then(|| raw.parent_contact.clone()),
        contact_pref: (jc || passed(EhData::Contact)).then(|| raw.contact_pref.clone()),
        best_times: (jc || passed(EhData::Contact)).then(|| raw.best_times.clone()),
        children: (jc || passed(EhData::Children)).then_some(children),
        concerns: (jc || passed(EhData::Concern)).then(|| raw.concerns.clone()),
        own_words: (jc || passed(EhData::OwnWords)).then(|| raw.own_words.clone()),
        facts: jc.then(|| raw.facts.clone()),
        indicators,
        weighty: jc.then_some(raw.weighty),
        guide_path: if jc { raw.guide_path } else { None },
        path_reason: jc.then(|| raw.path_reason.clone()),
        case_id: if jc { raw.case_id.map(CaseId) } else { None },
        talk_on: if jc { raw.talk_on } else { None },
        consent: if jc {
            raw.consent
        } else if ja {
            // The Jugendamt reads what the consent allows, not the Jobcenter's filing.
            raw.consent.map(|c| EhConsent {
                document_ref: String::new(),
                ..c
            })
        } else {
            None
        },
        declined_on: if jc { raw.declined_on } else { None },
        follow_up_on: if jc { raw.follow_up_on } else { None },
        first_contact_on: if shows_outcome {
            raw.first_contact_on
        } else {
            None
        },
        outcome: if shows_outcome { raw.outcome } else { None },
        help_kind: if shows_outcome { raw.help_kind } else { None },
        // Both sides attend the hand-over; the DSB reads no appointment.
        joint: if jc || ja { raw.joint } else { None },
        steps: step_list,
    })
}

fn raw_in(conn: &Connection, id: i64) -> Result<Option<Raw>, StorageError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} {FROM} WHERE e.id = ?1"))?
        .query_row([id], map_raw)
        .optional()?)
}

/// A step's guard: the request as stored, and `me`'s side; a request `me` may not see is
/// [`StorageError::NotFound`], one seen but not written by this side is
/// [`Refusal::NotQualified`], a stale version a conflict.
fn gate(
    tx: &Transaction<'_>,
    me: &Staff,
    id: i64,
    version: i64,
    sides: &[EhSide],
) -> Result<(Raw, EhSide), StorageError> {
    let raw = raw_in(tx, id)?.ok_or(StorageError::NotFound)?;
    let s = side_of(tx, me, &raw)?.ok_or(StorageError::NotFound)?;
    if !sides.contains(&s) {
        return Err(StorageError::Refused(Refusal::NotQualified));
    }
    if raw.version != version {
        let (at, by) = tx.query_row(
            "SELECT e.updated_at, s.given_name || ' ' || s.surname FROM eh_request e \
             LEFT JOIN staff s ON s.id = e.updated_by WHERE e.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        return Err(StorageError::Conflict { by, at });
    }
    Ok((raw, s))
}

fn wrong_state() -> StorageError {
    StorageError::Refused(Refusal::EarlyHelpWrongState)
}

fn audit(
    tx: &Transaction<'_>,
    action: AuditAction,
    me: &Staff,
    id: i64,
    version: i64,
    detail: &'static str,
    at: DateTime<Utc>,
) -> Result<(), StorageError> {
    append_at(
        tx,
        &AuditEntry::new(action, EH_REQUEST)
            .by(me)
            .object(id)
            .version(version)
            .detail(detail),
        &ts(at),
    )?;
    Ok(())
}

/// Sets the common columns of a step.
fn touch(
    tx: &Transaction<'_>,
    me: &Staff,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    tx.execute(
        "UPDATE eh_request SET updated_at = ?2, updated_by = ?3, version = version + 1 WHERE id = ?1",
        params![id, ts(now), me.id.0],
    )?;
    Ok(())
}

impl Store {
    /// Records a path the decision guide showed at an observation and the one the worker
    /// took, with the reason when they differ (docs/early-help.md § 2). No child or parent
    /// data is stored: when the worker takes early help, [`Store::eh_observe`] records it
    /// with the request instead.
    pub fn eh_record_path(
        &self,
        me: &Staff,
        ratings: &[Rating],
        weighty: bool,
        acute: bool,
        chosen: Path,
        reason: &str,
    ) -> Result<i64, StorageError> {
        if !(me.active && me.has_role(crate::domain::Role::JcU25)) {
            return Err(StorageError::Refused(Refusal::NotQualified));
        }
        let g = guide(ratings, weighty, acute);
        let reason = sanitize(reason.trim(), true);
        if needs_reason(g, chosen) && reason.is_empty() {
            return Err(StorageError::Refused(Refusal::ReasonNeeded));
        }
        if too_long(&reason, MAX_TEXT) {
            return Err(StorageError::Refused(Refusal::EarlyHelpTooLong));
        }
        let now = self.now();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO eh_guide_choice (staff_id, at, shown, chosen, reason) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![me.id.0, ts(now), g.path.code(), chosen.code(), reason],
            )?;
            let id = tx.last_insert_rowid();
            append_at(
                tx,
                &AuditEntry::new(AuditAction::Create, EH_GUIDE)
                    .by(me)
                    .object(id)
                    .detail(chosen.code()),
                &ts(now),
            )?;
            Ok(id)
        })
    }

    /// Records an observation on which the worker takes early help (state "Beobachtung").
    /// Only gelb and rot ratings are kept; when the guide showed another path, a reason is
    /// required and kept with the guide's choice.
    pub fn eh_observe(&self, me: &Staff, obs: &EhObservation) -> Result<i64, StorageError> {
        if !(me.active && me.has_role(crate::domain::Role::JcU25)) {
            return Err(StorageError::Refused(Refusal::NotQualified));
        }
        let ratings: Vec<Rating> = obs.ratings.iter().map(|r| r.2).collect();
        let g = guide(&ratings, obs.weighty, obs.acute);
        let reason = sanitize(obs.reason.trim(), true);
        if needs_reason(g, Path::EarlyHelp) && reason.is_empty() {
            return Err(StorageError::Refused(Refusal::ReasonNeeded));
        }
        let name = line(&obs.parent_name);
        if name.is_empty() {
            return Err(StorageError::Refused(Refusal::NameNeeded));
        }
        let facts = sanitize(obs.facts.trim(), true);
        if too_long(&facts, MAX_TEXT)
            || too_long(&reason, MAX_TEXT)
            || too_long(obs.parent_name.trim(), MAX_LINE)
            || too_long(obs.parent_contact.trim(), MAX_LINE)
        {
            return Err(StorageError::Refused(Refusal::EarlyHelpTooLong));
        }
        if obs.children.is_empty() || obs.children.len() > MAX_CHILDREN {
            return Err(StorageError::Refused(Refusal::EarlyHelpChildren));
        }
        let now = self.now();
        self.write(|tx| {
            if let Some(case) = obs.case_id {
                let loaded = super::cases::load_case_unchecked(tx, case)?
                    .ok_or(StorageError::Refused(Refusal::NoCase))?;
                let rel = super::casefile::relation_to(tx, me, &loaded, now)?;
                if !crate::domain::access::may_write(rel) {
                    return Err(StorageError::Refused(Refusal::NoCase));
                }
            }
            tx.execute(
                "INSERT INTO eh_request (requested_by, case_id, state, guide_path, path_reason, \
                 weighty, parent_name, parent_contact, facts, created_at, updated_at, updated_by) \
                 VALUES (?1, ?2, 'observed', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?1)",
                params![
                    me.id.0,
                    obs.case_id.map(|c| c.0),
                    g.path.code(),
                    reason,
                    i64::from(obs.weighty),
                    name,
                    line(&obs.parent_contact),
                    facts,
                    ts(now)
                ],
            )?;
            let id = tx.last_insert_rowid();
            write_children(tx, id, &obs.children)?;
            let mut ind = tx.prepare_cached(
                "INSERT OR REPLACE INTO eh_indicator (request_id, child_no, area, rating) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (child, area, rating) in &obs.ratings {
                if *rating != Rating::Green && *child < obs.children.len() {
                    ind.execute(params![
                        id,
                        i64::try_from(*child).unwrap_or(0),
                        area.code(),
                        rating.code()
                    ])?;
                }
            }
            tx.execute(
                "INSERT INTO eh_guide_choice (staff_id, at, shown, chosen, reason, request_id) \
                 VALUES (?1, ?2, ?3, 'early_help', ?4, ?5)",
                params![me.id.0, ts(now), g.path.code(), reason, id],
            )?;
            audit(tx, AuditAction::Create, me, id, 1, "observed", now)?;
            Ok(id)
        })
    }

    /// Records the talk with the parent ("Gespräch geführt"): the concern in a list and in
    /// the parent's own words, and how and when the parent wants to be contacted. Also
    /// corrects a talk recorded before the consent.
    pub fn eh_talk(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        talk: &EhTalk,
    ) -> Result<(), StorageError> {
        let now = self.now();
        let today = self.today();
        let words = sanitize(talk.own_words.trim(), true);
        if talk.concerns.is_empty() {
            return Err(StorageError::Refused(Refusal::EarlyHelpConcern));
        }
        if talk.talk_on > today {
            return Err(StorageError::Refused(Refusal::DateOutOfRange));
        }
        if too_long(&words, MAX_TEXT) || too_long(talk.best_times.trim(), MAX_LINE) {
            return Err(StorageError::Refused(Refusal::EarlyHelpTooLong));
        }
        self.write(|tx| {
            let (raw, _) = gate(tx, me, id, version, &[EhSide::Requester])?;
            if !matches!(raw.state, EhState::Observed | EhState::Talked) {
                return Err(wrong_state());
            }
            if talk.talk_on < crate::domain::tz::to_local(raw.created_at).date() - chrono::Days::new(30) {
                return Err(StorageError::Refused(Refusal::DateOutOfRange));
            }
            tx.execute(
                "UPDATE eh_request SET state = 'talked', talk_on = ?2, concerns = ?3, own_words = ?4, \
                 contact_pref = ?5, best_times = ?6 WHERE id = ?1",
                params![
                    id,
                    date_code(talk.talk_on),
                    Concern::join(&talk.concerns),
                    words,
                    ContactPref::join(&talk.contact_pref),
                    line(&talk.best_times)
                ],
            )?;
            touch(tx, me, id, now)?;
            audit(tx, AuditAction::Update, me, id, version + 1, "talked", now)
        })
    }

    /// Records the parent's consent (docs/early-help.md § 4): prior to sending, specific
    /// (the data it lists; the parent's name and contact at least, or nobody could make
    /// contact), with the feedback yes or no.
    pub fn eh_consent(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        consent: &EhConsent,
    ) -> Result<(), StorageError> {
        let now = self.now();
        if !consent.data.contains(&EhData::Contact) {
            return Err(StorageError::Refused(Refusal::EarlyHelpContact));
        }
        if consent.signed_on > self.today() {
            return Err(StorageError::Refused(Refusal::DateOutOfRange));
        }
        if too_long(consent.document_ref.trim(), MAX_LINE) {
            return Err(StorageError::Refused(Refusal::EarlyHelpTooLong));
        }
        self.write(|tx| {
            let (raw, _) = gate(tx, me, id, version, &[EhSide::Requester])?;
            if !matches!(
                raw.state,
                EhState::Talked | EhState::Consented | EhState::Declined
            ) {
                return Err(wrong_state());
            }
            if raw.talk_on.is_some_and(|t| consent.signed_on < t) {
                return Err(StorageError::Refused(Refusal::DateOutOfRange));
            }
            tx.execute(
                "UPDATE eh_request SET state = 'consented', consent_on = ?2, consent_by = ?3, \
                 consent_form = ?4, consent_ref = ?5, consent_data = ?6, consent_feedback = ?7, \
                 declined_on = NULL, follow_up_on = NULL WHERE id = ?1",
                params![
                    id,
                    date_code(consent.signed_on),
                    consent.declared_by.code(),
                    consent.form.code(),
                    line(&consent.document_ref),
                    EhData::join(&consent.data),
                    i64::from(consent.feedback)
                ],
            )?;
            touch(tx, me, id, now)?;
            audit(
                tx,
                AuditAction::Update,
                me,
                id,
                version + 1,
                "consented",
                now,
            )
        })
    }

    /// Records that the parent declined (docs/early-help.md § 3): nothing is sent; a
    /// Wiedervorlage may be set, and the screen offers the anonymous consultation.
    pub fn eh_decline(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        on: NaiveDate,
        follow_up: Option<NaiveDate>,
    ) -> Result<(), StorageError> {
        let now = self.now();
        if on > self.today() || follow_up.is_some_and(|f| f < on) {
            return Err(StorageError::Refused(Refusal::DateOutOfRange));
        }
        self.write(|tx| {
            let (raw, _) = gate(tx, me, id, version, &[EhSide::Requester])?;
            if !matches!(raw.state, EhState::Talked | EhState::Consented) {
                return Err(wrong_state());
            }
            tx.execute(
                "UPDATE eh_request SET state = 'declined', declined_on = ?2, follow_up_on = ?3, \
                 consent_on = NULL, consent_data = '', consent_feedback = 0 WHERE id = ?1",
                params![id, date_code(on), follow_up.map(date_code)],
            )?;
            touch(tx, me, id, now)?;
            audit(
                tx,
                AuditAction::Update,
                me,
                id,
                version + 1,
                "declined",
                now,
            )
        })
    }

    /// Sends the contact request to the Jugendamt's early help: what the consent lists is
    /// fixed as passed on, and the transfer is audited.
    pub fn eh_send(&self, me: &Staff, id: i64, version: i64) -> Result<(), StorageError> {
        let now = self.now();
        self.write(|tx| {
            let (raw, _) = gate(tx, me, id, version, &[EhSide::Requester])?;
            let Some(consent) = raw.consent.as_ref() else {
                return Err(wrong_state());
            };
            if raw.state != EhState::Consented || raw.revoked_on.is_some() {
                return Err(wrong_state());
            }
            tx.execute(
                "UPDATE eh_request SET state = 'requested', sent_at = ?2, passed_data = ?3 \
                 WHERE id = ?1",
                params![id, ts(now), EhData::join(&consent.data)],
            )?;
            touch(tx, me, id, now)?;
            audit(tx, AuditAction::Transfer, me, id, version + 1, "sent", now)
        })
    }

    /// An early-help professional of the Jugendamt takes the request ("Übernommen").
    pub fn eh_take(&self, me: &Staff, id: i64, version: i64) -> Result<(), StorageError> {
        let now = self.now();
        self.write(|tx| {
            let (raw, _) = gate(tx, me, id, version, &[EhSide::EarlyHelp])?;
            if raw.state != EhState::Requested {
                return Err(wrong_state());
            }
            tx.execute(
                "UPDATE eh_request SET state = 'taken', taken_by = ?2, taken_at = ?3 WHERE id = ?1",
                params![id, me.id.0, ts(now)],
            )?;
            touch(tx, me, id, now)?;
            audit(tx, AuditAction::Update, me, id, version + 1, "taken", now)
        })
    }

    /// Records the first contact with the parent.
    pub fn eh_first_contact(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        on: NaiveDate,
    ) -> Result<(), StorageError> {
        let now = self.now();
        if on > self.today() {
            return Err(StorageError::Refused(Refusal::DateOutOfRange));
        }
        self.write(|tx| {
            let (raw, _) = gate(tx, me, id, version, &[EhSide::EarlyHelp])?;
            if raw.state != EhState::Taken {
                return Err(wrong_state());
            }
            let sent = raw
                .sent_at
                .map_or(on, |t| crate::domain::tz::to_local(t).date());
            if on < sent {
                return Err(StorageError::Refused(Refusal::DateOutOfRange));
            }
            tx.execute(
                "UPDATE eh_request SET state = 'contacted', first_contact_on = ?2 WHERE id = ?1",
                params![id, date_code(on)],
            )?;
            touch(tx, me, id, now)?;
            audit(
                tx,
                AuditAction::Update,
                me,
                id,
                version + 1,
                "contacted",
                now,
            )
        })
    }

    /// Closes a request. At the Jugendamt: with the outcome (after the first contact; "Kontakt
    /// nicht zustande gekommen" also straight after taking it), or without one after a
    /// revocation. At the Jobcenter: a request never sent (observed, talked, declined,
    /// consented, or revoked before sending), without an outcome.
    pub fn eh_close(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        outcome: Option<(Outcome, Option<HelpKind>)>,
    ) -> Result<(), StorageError> {
        let now = self.now();
        self.write(|tx| {
            let (raw, s) = gate(tx, me, id, version, &[EhSide::EarlyHelp, EhSide::Requester])?;
            let sent = raw.sent_at.is_some();
            let revoked = raw.state == EhState::Withdrawn;
            if raw.closed_at.is_some() {
                return Err(wrong_state());
            }
            let ok = match (s, outcome) {
                (EhSide::EarlyHelp, Some((o, _))) => {
                    raw.state == EhState::Contacted
                        || (raw.state == EhState::Taken && o == Outcome::NoContact)
                }
                (EhSide::EarlyHelp, None) => revoked && sent,
                (EhSide::Requester, None) => {
                    !sent
                        && matches!(
                            raw.state,
                            EhState::Observed
                                | EhState::Talked
                                | EhState::Consented
                                | EhState::Declined
                                | EhState::Withdrawn
                        )
                }
                _ => false,
            };
            if !ok {
                return Err(wrong_state());
            }
            if matches!(outcome, Some((Outcome::Accepted, None))) {
                return Err(StorageError::Refused(Refusal::EarlyHelpHelpKind));
            }
            let help = outcome.and_then(|(o, h)| (o == Outcome::Accepted).then_some(h).flatten());
            let state = if revoked { "withdrawn" } else { "closed" };
            tx.execute(
                "UPDATE eh_request SET state = ?2, outcome = ?3, help_kind = ?4, closed_at = ?5 \
                 WHERE id = ?1",
                params![
                    id,
                    state,
                    outcome.map(|(o, _)| o.code()),
                    help.map(HelpKind::code),
                    ts(now)
                ],
            )?;
            touch(tx, me, id, now)?;
            audit(tx, AuditAction::Update, me, id, version + 1, "closed", now)
        })
    }

    /// Records the parent's revocation (docs/early-help.md § 4): from that moment no further
    /// step but closing is possible; what was passed on stays marked as passed under a
    /// revoked consent. The requester or the early-help professional who took it records it.
    pub fn eh_revoke(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        on: NaiveDate,
    ) -> Result<(), StorageError> {
        let now = self.now();
        if on > self.today() {
            return Err(StorageError::Refused(Refusal::DateOutOfRange));
        }
        self.write(|tx| {
            let (raw, s) = gate(tx, me, id, version, &[EhSide::Requester, EhSide::EarlyHelp])?;
            // In the Jugendamt only the professional who took the request records it.
            if s == EhSide::EarlyHelp && raw.taken_by != Some(me.id) {
                return Err(StorageError::Refused(Refusal::NotQualified));
            }
            if raw.consent.is_none() || raw.state.is_final() || raw.state == EhState::Declined {
                return Err(wrong_state());
            }
            tx.execute(
                "UPDATE eh_request SET state = 'withdrawn', revoked_on = ?2 WHERE id = ?1",
                params![id, date_code(on)],
            )?;
            touch(tx, me, id, now)?;
            audit(tx, AuditAction::Update, me, id, version + 1, "revoked", now)
        })
    }

    /// Turns the request into a referral draft of the requester (docs/early-help.md § 7):
    /// the children's first names, the indicators per child, the observation's facts and the
    /// parent's own words are carried into the referral form's keys, never retyped. Refused
    /// while the requester has an unsent referral draft (one per person). Returns the
    /// draft's values; the request then reads "In Kinderschutz-Mitteilung überführt".
    pub fn eh_convert(
        &self,
        me: &Staff,
        session: &SessionId,
        id: i64,
        version: i64,
    ) -> Result<BTreeMap<String, String>, StorageError> {
        let now = self.now();
        self.write(|tx| {
            let (raw, _) = gate(tx, me, id, version, &[EhSide::Requester])?;
            // Converted again only when the first draft was discarded, never once sent.
            if raw.state == EhState::Converted && raw.referral_id.is_some() {
                return Err(wrong_state());
            }
            let exists = tx
                .prepare_cached(
                    "SELECT 1 FROM draft WHERE staff_id = ?1 AND form = ?2 AND record_id = 0 LIMIT 1",
                )?
                .query_row(params![me.id.0, REFERRAL_DRAFT], |_| Ok(()))
                .optional()?
                .is_some();
            if exists {
                return Err(StorageError::Refused(Refusal::EarlyHelpDraftExists));
            }
            let children = children_of(tx, id)?;
            let indicators = indicators_of(tx, id)?;
            let values = referral_values(&raw, &children, &indicators);
            super::drafts::insert_draft(
                tx,
                session,
                &Draft::new(me.id, REFERRAL_DRAFT, 0, values.clone()),
                now,
            )?;
            tx.execute(
                "UPDATE eh_request SET state = 'converted', converted_at = ?2 WHERE id = ?1",
                params![id, ts(now)],
            )?;
            touch(tx, me, id, now)?;
            audit(tx, AuditAction::Update, me, id, version + 1, "converted", now)?;
            Ok(values)
        })
    }

    /// Books the "Gemeinsamer Termin" of the warm hand-over (docs/early-help.md § 8): the
    /// Jobcenter worker and the Jugendamt professional who took the request, in the shared
    /// calendar of F3 under a title without the parent's name. Either of them books it once
    /// the request is taken; a booking replaces the one before. Refused with
    /// [`Refusal::Clash`] when either person or the room is busy then, and with
    /// [`Refusal::DateOutOfRange`] for a time in the past or a length outside 15 minutes
    /// to 4 hours.
    pub fn eh_book_joint(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        start: chrono::NaiveDateTime,
        minutes: u32,
        room: &str,
    ) -> Result<i64, StorageError> {
        let now = self.now();
        if start < crate::domain::tz::to_local(now) || !(15..=240).contains(&minutes) {
            return Err(StorageError::Refused(Refusal::DateOutOfRange));
        }
        let end = start + chrono::Duration::minutes(i64::from(minutes));
        let room = line(room);
        self.write(|tx| {
            let (raw, _) = gate(tx, me, id, version, &[EhSide::Requester, EhSide::EarlyHelp])?;
            let Some(taker) = raw.taken_by else {
                return Err(wrong_state());
            };
            if !matches!(raw.state, EhState::Taken | EhState::Contacted) {
                return Err(wrong_state());
            }
            let old: Option<i64> = tx.query_row(
                "SELECT joint_appointment_id FROM eh_request WHERE id = ?1",
                [id],
                |r| r.get(0),
            )?;
            let people = [raw.requested_by.0, taker.0];
            let others = self.calendar_between(start, end)?;
            let ignore = old.map(|o| format!("apt-{o}"));
            let room_opt = (!room.is_empty()).then_some(room.as_str());
            if !crate::domain::schedule::clashes(
                start,
                end,
                &people,
                room_opt,
                &others,
                ignore.as_deref(),
            )
            .is_empty()
            {
                return Err(StorageError::Refused(Refusal::Clash));
            }
            if let Some(o) = old {
                tx.execute("DELETE FROM appointment WHERE id = ?1", [o])?;
            }
            tx.execute(
                "INSERT INTO appointment (kind, title, starts_at, ends_at, room, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    crate::domain::schedule::AppointmentKind::EarlyHelp.code(),
                    joint_title(id),
                    ts(crate::domain::tz::from_local(start)),
                    ts(crate::domain::tz::from_local(end)),
                    room_opt,
                    ts(now)
                ],
            )?;
            let apt = tx.last_insert_rowid();
            for s in people {
                tx.execute(
                    "INSERT OR IGNORE INTO appointment_attendee (appointment_id, staff_id) \
                     VALUES (?1, ?2)",
                    params![apt, s],
                )?;
            }
            tx.execute(
                "UPDATE eh_request SET joint_appointment_id = ?2 WHERE id = ?1",
                params![id, apt],
            )?;
            touch(tx, me, id, now)?;
            audit(tx, AuditAction::Update, me, id, version + 1, "joint", now)?;
            Ok(apt)
        })
    }

    /// Logs that `me` wrote the calendar file of request `id`'s "Gemeinsamer Termin".
    pub fn eh_log_export(&self, me: &Staff, id: i64) -> Result<(), StorageError> {
        let now = self.now();
        self.write(|tx| {
            append_at(
                tx,
                &AuditEntry::new(AuditAction::Export, EH_REQUEST)
                    .by(me)
                    .object(id)
                    .detail("ics"),
                &ts(now),
            )?;
            Ok(())
        })
    }

    /// Links a converted request to the referral its draft became once sent.
    pub fn eh_link_referral(&self, me: &Staff, id: i64, referral: i64) -> Result<(), StorageError> {
        let now = self.now();
        self.write(|tx| {
            let raw = raw_in(tx, id)?.ok_or(StorageError::NotFound)?;
            if side_of(tx, me, &raw)? != Some(EhSide::Requester) {
                return Err(StorageError::NotFound);
            }
            if raw.state != EhState::Converted {
                return Err(wrong_state());
            }
            let own: bool = tx
                .query_row(
                    "SELECT reporter_id = ?2 FROM cp_referral WHERE id = ?1",
                    params![referral, me.id.0],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(false);
            if !own {
                return Err(StorageError::Refused(Refusal::NotReporter));
            }
            tx.execute(
                "UPDATE eh_request SET referral_id = ?2 WHERE id = ?1",
                params![id, referral],
            )?;
            touch(tx, me, id, now)?;
            audit(
                tx,
                AuditAction::Update,
                me,
                id,
                raw.version + 1,
                "linked",
                now,
            )
        })
    }

    /// One request as `me` may read it; the read is audited. A request `me` may not see
    /// is [`StorageError::NotFound`] (and the refusal is audited).
    pub fn eh_request(
        &self,
        me: &Staff,
        id: i64,
        cal: &WorkCalendar,
        d: &EhDeadlines,
    ) -> Result<EhRequest, StorageError> {
        let now = self.now();
        let raw = raw_in(self.conn(), id)?;
        let found = match raw {
            Some(raw) => side_of(self.conn(), me, &raw)?.map(|s| (raw, s)),
            None => None,
        };
        let Some((raw, s)) = found else {
            self.write(|tx| {
                append_at(
                    tx,
                    &AuditEntry::new(AuditAction::Refused, EH_REQUEST)
                        .by(me)
                        .object(id)
                        .detail(super::audit::detail::NOT_VISIBLE),
                    &ts(now),
                )?;
                Ok(())
            })?;
            return Err(StorageError::NotFound);
        };
        let v = view(self.conn(), me, raw, s, |st, sent, short| {
            due(st, sent, short, cal, d)
        })?;
        if s != EhSide::Dpo {
            self.write(|tx| audit(tx, AuditAction::View, me, id, v.version, "read", now))?;
        }
        Ok(v)
    }

    /// The requests `me` may see, newest first: a Jobcenter worker's own, the Jugendamt's
    /// early-help inbox (open ones and one's own), the leads', the DSB's metadata.
    pub fn eh_requests_for(
        &self,
        me: &Staff,
        cal: &WorkCalendar,
        d: &EhDeadlines,
    ) -> Result<Vec<EhRequest>, StorageError> {
        if !me.active {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} {FROM} ORDER BY coalesce(e.sent_at, e.created_at) DESC, e.id DESC"
        ))?;
        // Whether the viewer holds the function is asked once, not per request.
        let fh = super::referrals::has_function(self.conn(), me.id, Function::EarlyHelp)?;
        let raws = stmt
            .query_map([], map_raw)?
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::new();
        for raw in raws {
            if let Some(s) = side_with(me, &raw, fh) {
                out.push(view(self.conn(), me, raw, s, |st, sent, short| {
                    due(st, sent, short, cal, d)
                })?);
            }
        }
        Ok(out)
    }

    /// Counts for the login line, no names: requests waiting to be taken (the early-help
    /// staff's inbox), and requests whose deadline has passed (for the Jobcenter worker
    /// who sent them, and the early-help staff).
    pub fn eh_counts(
        &self,
        me: &Staff,
        cal: &WorkCalendar,
        d: &EhDeadlines,
    ) -> Result<(usize, usize), StorageError> {
        let now = self.now();
        let rows = self.eh_requests_for(me, cal, d)?;
        let mine = |r: &&EhRequest| matches!(r.side, EhSide::Requester | EhSide::EarlyHelp);
        let waiting = rows
            .iter()
            .filter(mine)
            .filter(|r| r.side == EhSide::EarlyHelp && r.state == EhState::Requested)
            .count();
        let overdue = rows
            .iter()
            .filter(mine)
            .filter(|r| r.due.is_some_and(|(_, at)| at <= now))
            .count();
        Ok((waiting, overdue))
    }
}

impl Store {
    /// Moves request `id`'s times `days` into the past: the demo writes its steps today and
    /// then dates them as they would have happened (the first contact three days after
    /// sending, the closing two days later). Not for the application.
    #[doc(hidden)]
    pub fn eh_demo_backdate(&self, id: i64, days: i64) -> Result<(), StorageError> {
        let shift = format!("-{days} days");
        let contact = format!("-{} days", (days - 3).max(0));
        let closed = format!("-{} days", (days - 5).max(0));
        self.write(|tx| {
            tx.execute(
                "UPDATE eh_request SET \
                 created_at = strftime('%Y-%m-%dT%H:%M:%fZ', created_at, ?2), \
                 sent_at = strftime('%Y-%m-%dT%H:%M:%fZ', sent_at, ?2), \
                 taken_at = strftime('%Y-%m-%dT%H:%M:%fZ', taken_at, ?2, '+2 hours'), \
                 talk_on = date(talk_on, ?2), consent_on = date(consent_on, ?2), \
                 first_contact_on = date(first_contact_on, ?3), \
                 closed_at = strftime('%Y-%m-%dT%H:%M:%fZ', closed_at, ?4) \
                 WHERE id = ?1",
                params![id, shift, contact, closed],
            )?;
            Ok(())
        })
    }
}

fn write_children(tx: &Transaction<'_>, id: i64, children: &[EhChild]) -> Result<(), StorageError> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO eh_child (request_id, no, first_name, band) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (no, c) in children.iter().enumerate() {
        stmt.execute(params![
            id,
            i64::try_from(no).unwrap_or(0),
            line(&c.first_name),
            c.band.code()
        ])?;
    }
    Ok(())
}

/// The calendar title of a request's "Gemeinsamer Termin": no name, only the reference.
pub fn joint_title(id: i64) -> String {
    format!("Gemeinsamer Termin Frühe Hilfen · FH-{id}")
}

/// The referral form's values for a converted request (keys of `domain::referral::key`).
fn referral_values(
    raw: &Raw,
    children: &[EhChild],
    indicators: &[EhIndicator],
) -> BTreeMap<String, String> {
    let mut v = BTreeMap::new();
    v.insert(DRAFT_KEY.to_string(), raw.id.to_string());
    v.insert(key::CHILDREN.to_string(), children.len().max(1).to_string());
    for (i, c) in children.iter().enumerate() {
        v.insert(key::child(i, "given_names"), c.first_name.clone());
    }
    for ind in indicators {
        v.insert(
            key::indicator(ind.child, ind.area),
            ind.rating.code().to_string(),
        );
    }
    if !raw.facts.is_empty() {
        v.insert(key::FACTS.to_string(), raw.facts.clone());
    }
    if !raw.own_words.is_empty() {
        v.insert(key::VERBATIM.to_string(), raw.own_words.clone());
    }
    if let Some(case) = raw.case_id {
        v.insert(key::CASE.to_string(), case.to_string());
    }
    v
}
