//! The hand-over Jugendamt → Jobcenter (docs/casework.md § 3a): stored once its first step
//! is taken, derived ("Vorgemerkt") from the planned end of the help before that. Each
//! step runs behind the write gate, by the assigned caseworker or deputy of the agency
//! that takes it, against the version the person saw, and is audited.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::audit::{self, AuditAction, AuditEntry};
use super::casefile::WriteNeeds;
use super::cases::parse_date;
use super::{StorageError, Store, ts};
use crate::domain::handover::{HandoverStatus, HandoverStep, HelpType, conference_due, flagged};
use crate::domain::refusal::Refusal;
use crate::domain::text::sanitize;
use crate::domain::{CaseId, Staff};
use crate::model::casefile::Handover;

/// Audit object of a hand-over (object id: the case).
pub const HANDOVER: &str = "handover";

/// What a step carries ([`Store::handover_step`]).
#[derive(Debug, Clone, Default)]
pub struct HandoverInput {
    /// Check: the running help.
    pub help_type: Option<HelpType>,
    /// Check: its planned end.
    pub planned_end: Option<NaiveDate>,
    /// Agree: the Hilfeplan reference ("Hilfeplan vom 12.03.2027").
    pub hilfeplan_ref: String,
    /// Apply / hand over: the day.
    pub on: Option<NaiveDate>,
    /// Drop: the reason.
    pub reason: String,
}

/// The hand-over of case `id` as stored, or flagged by `help_end` on `today`; with the
/// transition conference's last day and whether one is planned or held.
pub(crate) fn handover_of(
    conn: &Connection,
    id: CaseId,
    help_end: Option<NaiveDate>,
    today: NaiveDate,
    viewer: crate::domain::Agency,
) -> Result<Option<Handover>, StorageError> {
    let stored = conn
        .prepare_cached(
            "SELECT status, help_type, planned_end, hilfeplan_ref, applied_on, handed_over_on, \
             reason, version FROM handover WHERE case_id = ?1",
        )?
        .query_row([id.0], |r| {
            Ok(Handover {
                status: HandoverStatus::from_code(&r.get::<_, String>(0)?)
                    .unwrap_or(HandoverStatus::Flagged),
                help_type: r
                    .get::<_, Option<String>>(1)?
                    .as_deref()
                    .and_then(HelpType::from_code),
                planned_end: r.get::<_, Option<String>>(2)?.as_deref().map(parse_date),
                hilfeplan_ref: r.get(3)?,
                applied_on: r.get::<_, Option<String>>(4)?.as_deref().map(parse_date),
                handed_over_on: r.get::<_, Option<String>>(5)?.as_deref().map(parse_date),
                reason: r.get(6)?,
                version: r.get(7)?,
                conference: None,
            })
        })
        .optional()?;
    let mut h = match (stored, help_end) {
        (Some(h), _) => h,
        (None, Some(end)) if flagged(end, today) => Handover {
            status: HandoverStatus::Flagged,
            help_type: None,
            planned_end: Some(end),
            hilfeplan_ref: String::new(),
            applied_on: None,
            handed_over_on: None,
            reason: String::new(),
            version: 0,
            conference: None,
        },
        _ => return Ok(None),
    };
    if let Some(end) = h.planned_end.filter(|_| !h.status.is_final()) {
        let planned: bool = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM conference WHERE case_id = ?1 AND kind = 'transition' \
                 AND status <> 'cancelled')",
            )?
            .query_row([id.0], |r| r.get(0))?;
        h.conference = Some((conference_due(end), planned));
    }
    // The help's kind, the Hilfeplan and the reason are the Jugendamt's: the Jobcenter reads
    // the state and the dates (docs/casework.md § 3a).
    if viewer != crate::domain::Agency::Jugendamt {
        h.help_type = None;
        h.hilfeplan_ref.clear();
        h.reason.clear();
    }
    Ok(Some(h))
}

/// The conflict of a hand-over saved meanwhile: who saved it and when.
fn changed_meanwhile(tx: &Transaction<'_>, id: CaseId) -> Result<StorageError, StorageError> {
    let (at, by) = tx
        .query_row(
            "SELECT h.updated_at, s.given_name || ' ' || s.surname FROM handover h \
             LEFT JOIN staff s ON s.id = h.updated_by WHERE h.case_id = ?1",
            [id.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((None, None));
    Ok(StorageError::Conflict { by, at })
}

fn status_of(
    tx: &Transaction<'_>,
    id: CaseId,
) -> Result<Option<(HandoverStatus, i64)>, StorageError> {
    Ok(tx
        .prepare_cached("SELECT status, version FROM handover WHERE case_id = ?1")?
        .query_row([id.0], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })
        .optional()?
        .map(|(s, v)| {
            (
                HandoverStatus::from_code(&s).unwrap_or(HandoverStatus::Flagged),
                v,
            )
        }))
}

impl Store {
    /// Takes hand-over step `step` on case `case`, resting on `version` (0: none stored
    /// yet). The Jugendamt's assigned caseworker or deputy drives it, the Jobcenter's
    /// confirms the application; the step's fields are required (docs/casework.md § 3a).
    pub fn handover_step(
        &self,
        actor: &Staff,
        case: CaseId,
        version: i64,
        step: HandoverStep,
        input: &HandoverInput,
    ) -> Result<(), StorageError> {
        let at = ts(self.now());
        let today = super::berlin_day(self.now());
        let reference = sanitize(input.hilfeplan_ref.trim(), false);
        let reason = sanitize(input.reason.trim(), false);
        match step {
            HandoverStep::Check if input.help_type.is_none() || input.planned_end.is_none() => {
                return Err(StorageError::Refused(Refusal::DateNeeded));
            }
            HandoverStep::Agree if reference.is_empty() => {
                return Err(StorageError::Refused(Refusal::ReasonNeeded));
            }
            HandoverStep::Apply | HandoverStep::HandOver if input.on.is_none_or(|d| d > today) => {
                return Err(StorageError::Refused(Refusal::DateNeeded));
            }
            HandoverStep::Drop if reason.is_empty() => {
                return Err(StorageError::Refused(Refusal::ReasonNeeded));
            }
            _ => {}
        }
        if reference.chars().count() > super::records::MAX_LINE
            || reason.chars().count() > super::records::MAX_LINE
        {
            return Err(StorageError::Refused(Refusal::StatementTooLong));
        }
        let target = (HANDOVER, Some(case.0));
        let find = |_: &Transaction<'_>| Ok(Some(case));
        self.write_case(actor, WriteNeeds::Worker, target, find, |tx, _, _| {
            if actor.agency != step.agency() {
                return Err(StorageError::Refused(Refusal::OtherAgency));
            }
            let stored = status_of(tx, case)?;
            let (from, stored_version) = stored.unwrap_or((HandoverStatus::Flagged, 0));
            if stored_version != version {
                return Err(changed_meanwhile(tx, case)?);
            }
            let next = step
                .next(from)
                .ok_or(StorageError::Refused(Refusal::ReferralWrongState))?;
            // Handed over on or after the day of the application.
            if step == HandoverStep::HandOver {
                let applied: Option<String> = tx.query_row(
                    "SELECT applied_on FROM handover WHERE case_id = ?1",
                    [case.0],
                    |r| r.get(0),
                )?;
                if applied
                    .as_deref()
                    .map(parse_date)
                    .zip(input.on)
                    .is_some_and(|(a, on)| on < a)
                {
                    return Err(StorageError::Refused(Refusal::DateOutOfRange));
                }
            }
            if stored.is_none() {
                tx.execute(
                    "INSERT INTO handover (case_id, status, updated_at, updated_by, version) \
                     VALUES (?1, 'flagged', ?2, ?3, 0)",
                    params![case.0, at, actor.id.0],
                )?;
            }
            tx.execute(
                "UPDATE handover SET status = ?2, version = version + 1, updated_at = ?3, updated_by = ?4 \
                 WHERE case_id = ?1",
                params![case.0, next.code(), at, actor.id.0],
            )?;
            let field: &'static str = match step {
                HandoverStep::Check => {
                    let end = input.planned_end.map(|d| d.to_string());
                    tx.execute(
                        "UPDATE handover SET help_type = ?2, planned_end = ?3 WHERE case_id = ?1",
                        params![case.0, input.help_type.map(HelpType::code), end],
                    )?;
                    // The case's planned end of the help is the same date, changed with its
                    // old value in the history like `set_help_end`.
                    let before: Option<String> = tx.query_row(
                        "SELECT help_end FROM coop_case WHERE id = ?1",
                        [case.0],
                        |r| r.get(0),
                    )?;
                    if before != end {
                        tx.execute(
                            "UPDATE coop_case SET help_end = ?2 WHERE id = ?1",
                            params![case.0, end],
                        )?;
                        audit::log_update(
                            tx,
                            AuditEntry::new(AuditAction::Update, audit::object::CASE)
                                .by(actor)
                                .object(case.0),
                            &at,
                            &[("help_end", before)],
                            &[("help_end", end.clone())],
                        )?;
                    }
                    "planned_end"
                }
                HandoverStep::Agree => {
                    tx.execute(
                        "UPDATE handover SET hilfeplan_ref = ?2 WHERE case_id = ?1",
                        params![case.0, reference],
                    )?;
                    "hilfeplan_ref"
                }
                HandoverStep::Apply => {
                    tx.execute(
                        "UPDATE handover SET applied_on = ?2 WHERE case_id = ?1",
                        params![case.0, input.on.map(|d| d.to_string())],
                    )?;
                    "applied_on"
                }
                HandoverStep::HandOver => {
                    tx.execute(
                        "UPDATE handover SET handed_over_on = ?2 WHERE case_id = ?1",
                        params![case.0, input.on.map(|d| d.to_string())],
                    )?;
                    "handed_over_on"
                }
                HandoverStep::Drop => {
                    tx.execute(
                        "UPDATE handover SET reason = ?2 WHERE case_id = ?1",
                        params![case.0, reason],
                    )?;
                    "reason"
                }
            };
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Update, HANDOVER)
                    .by(actor)
                    .object(case.0)
                    .version(version + 1)
                    .fields(vec!["status", field])
                    .detail(step.code()),
                &at,
            )?;
            Ok(())
        })
    }
}
