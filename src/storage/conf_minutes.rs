//! The structure of a conference's minutes (docs/casework.md § 4): the agenda ("TOP")
//! with the open agreements carried in, minutes per item and per life area, the
//! plain-language summary, and addenda after approval that are approved like the minutes
//! (Fallführung plus a participant of the other Stelle).

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::audit::{AuditAction, AuditEntry, append_at};
use super::casefile::WriteNeeds;
use super::conferences::changed_meanwhile;
use super::conferences::object;
use super::{StorageError, Store, parse_ts, ts};
use crate::domain::conference::{
    ConferenceStatus, DEFAULT_AGENDA_HEAD, DEFAULT_AGENDA_TAIL, LifeArea, Participant,
    approval_problems, carried_title,
};
use crate::domain::refusal::Refusal;
use crate::domain::text::sanitize;
use crate::domain::{Agency, Staff, tz};
use crate::model::conference::{Addendum, AgendaItem, MinutesView};

/// An addendum as stored: id, text, writer, when, first and second approver.
type AddendumRow = (i64, String, i64, String, Option<i64>, Option<i64>);

/// The longest title of an agenda item.
pub const MAX_TITLE: usize = 200;
/// The most agenda items.
pub const MAX_ITEMS: usize = 30;

/// Writes the agenda items (replacing the stored ones when `items` is not empty), the
/// life areas and the summary of conference `id`, inside the minutes' transaction.
pub(crate) fn write_structure(
    tx: &Transaction<'_>,
    id: i64,
    items: &[AgendaItem],
    areas: &[(LifeArea, String)],
    summary: Option<&str>,
) -> Result<(), StorageError> {
    if !items.is_empty() {
        replace_items(tx, id, items)?;
    }
    for (area, text) in areas {
        let text = sanitize(text.trim(), true);
        tx.execute(
            "DELETE FROM conference_area WHERE conference_id = ?1 AND area = ?2",
            params![id, area.code()],
        )?;
        if !text.is_empty() {
            tx.execute(
                "INSERT INTO conference_area (conference_id, area, text) VALUES (?1, ?2, ?3)",
                params![id, area.code(), text],
            )?;
        }
    }
    if let Some(summary) = summary {
        tx.execute(
            "UPDATE conference SET plain_summary = ?2 WHERE id = ?1",
            params![id, sanitize(summary.trim(), true)],
        )?;
    }
    Ok(())
}

fn replace_items(tx: &Transaction<'_>, id: i64, items: &[AgendaItem]) -> Result<(), StorageError> {
    if items.len() > MAX_ITEMS {
        return Err(StorageError::Refused(Refusal::StatementTooLong));
    }
    tx.execute("DELETE FROM conference_item WHERE conference_id = ?1", [id])?;
    for (i, item) in items.iter().enumerate() {
        let title = sanitize(item.title.trim(), false);
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            return Err(StorageError::Refused(Refusal::DecisionIncomplete));
        }
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if item.no != no {
            return Err(StorageError::Refused(Refusal::DecisionIncomplete));
        }
        tx.execute(
            "INSERT INTO conference_item (conference_id, no, title, carried_measure_id, minutes) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id,
                no,
                title,
                item.carried,
                sanitize(item.minutes.trim(), true)
            ],
        )?;
    }
    Ok(())
}

fn name_of(tx: &rusqlite::Connection, id: Option<i64>) -> Result<Option<String>, StorageError> {
    let Some(id) = id else { return Ok(None) };
    Ok(tx
        .prepare_cached("SELECT given_name || ' ' || surname FROM staff WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

impl Store {
    /// The structured minutes of conference `id` as `me` may see them (NotFound when the
    /// conference is not theirs to read): the stored agenda, or the proposed one — the
    /// default items with the open agreements `me` may read carried in.
    pub fn conference_minutes(&self, me: &Staff, id: i64) -> Result<MinutesView, StorageError> {
        // Reading the conference checks that `me` may see it.
        self.conference(me, id)?;
        let conn = self.conn();
        let items: Vec<AgendaItem> = conn
            .prepare_cached(
                "SELECT no, title, carried_measure_id, minutes FROM conference_item \
                 WHERE conference_id = ?1 ORDER BY no",
            )?
            .query_map([id], |r| {
                Ok(AgendaItem {
                    no: r.get(0)?,
                    title: r.get(1)?,
                    carried: r.get(2)?,
                    minutes: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let stored = !items.is_empty();
        let items = if stored {
            items
        } else {
            let (carried, _) = self.conference_agenda(me, id)?;
            let mut titles: Vec<(String, Option<i64>)> = DEFAULT_AGENDA_HEAD
                .iter()
                .map(|t| ((*t).to_string(), None))
                .collect();
            titles.extend(
                carried
                    .iter()
                    .map(|m| (carried_title(&m.measure.text), Some(m.measure.id))),
            );
            titles.extend(DEFAULT_AGENDA_TAIL.iter().map(|t| ((*t).to_string(), None)));
            titles
                .into_iter()
                .enumerate()
                .map(|(i, (title, carried))| AgendaItem {
                    no: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    title,
                    carried,
                    minutes: String::new(),
                })
                .collect()
        };
        let areas = conn
            .prepare_cached("SELECT area, text FROM conference_area WHERE conference_id = ?1")?
            .query_map([id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut areas: Vec<(LifeArea, String)> = areas
            .into_iter()
            .filter_map(|(a, t)| LifeArea::from_code(&a).map(|a| (a, t)))
            .collect();
        areas.sort_by_key(|(a, _)| LifeArea::ALL.iter().position(|x| x == a));
        let plain_summary: String = conn
            .prepare_cached("SELECT plain_summary FROM conference WHERE id = ?1")?
            .query_row([id], |r| r.get(0))?;
        let raw: Vec<AddendumRow> = conn
            .prepare_cached(
                "SELECT id, text, written_by, written_at, approved_by, approved_second \
                 FROM conference_addendum WHERE conference_id = ?1 ORDER BY id",
            )?
            .query_map([id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        let mut addenda = Vec::new();
        for (aid, text, by, at, first, second) in raw {
            addenda.push(Addendum {
                id: aid,
                text,
                written: (
                    name_of(conn, Some(by))?.unwrap_or_default(),
                    parse_ts(&at).map(tz::to_local).unwrap_or_default(),
                ),
                approved_by: name_of(conn, first)?,
                approved_second: name_of(conn, second)?,
            });
        }
        Ok(MinutesView {
            items,
            stored,
            areas,
            plain_summary,
            addenda,
        })
    }

    /// Sets the agenda of conference `id` (one title per item) before its minutes are
    /// approved, by the case's staff: an item whose title stays keeps its minutes and the
    /// agreement it carries (docs/casework.md § 4).
    pub fn set_agenda(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        titles: &[String],
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let before = self.conference_minutes(me, id)?;
        let target = (object::CONFERENCE, Some(id));
        let find = |tx: &Transaction<'_>| super::casefile::case_of_record(tx, "conference", id);
        self.write_case(me, WriteNeeds::Worker, target, find, |tx, _, _| {
            let status: String =
                tx.query_row("SELECT status FROM conference WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
            if matches!(
                ConferenceStatus::from_code(&status),
                Some(ConferenceStatus::MinutesApproved | ConferenceStatus::Cancelled)
            ) {
                return Err(StorageError::Refused(Refusal::ConferenceWrongState));
            }
            let items: Vec<AgendaItem> = titles
                .iter()
                .map(|t| sanitize(t.trim(), false))
                .filter(|t| !t.is_empty())
                .enumerate()
                .map(|(i, title)| {
                    let kept = before.items.iter().find(|x| x.title == title);
                    AgendaItem {
                        no: u32::try_from(i + 1).unwrap_or(u32::MAX),
                        carried: kept.and_then(|k| k.carried),
                        minutes: kept.map(|k| k.minutes.clone()).unwrap_or_default(),
                        title,
                    }
                })
                .collect();
            if items.is_empty() {
                return Err(StorageError::Refused(Refusal::DecisionIncomplete));
            }
            // An approval covers the minutes its signer saw: a changed agenda clears it and
            // tells the signer, as a change of the minutes does (docs/domain.md 4.2).
            let approved: Option<i64> = tx
                .query_row(
                    "SELECT approved_by FROM conference WHERE id = ?1 AND version = ?2",
                    params![id, version],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            let n = tx.execute(
                "UPDATE conference SET approved_by = NULL, approved_second = NULL, approved_at = NULL, \
                 updated_at = ?3, updated_by = ?4, version = version + 1 WHERE id = ?1 AND version = ?2",
                params![id, version, ts(now), me.id.0],
            )?;
            if n == 0 {
                return Err(changed_meanwhile(tx, id)?);
            }
            super::conferences::approval_cleared(tx, me, id, approved, (now, &ts(self.now())))?;
            // Decisions stay with their item: renumbered by title, unlinked when it is gone
            // (through negative numbers, so that one renumbering never meets another).
            if before.stored {
                for old in &before.items {
                    let new_no = items
                        .iter()
                        .find(|i| i.title == old.title)
                        .map(|i| -i64::from(i.no));
                    tx.execute(
                        "UPDATE measure SET agenda_no = ?3 WHERE conference_id = ?1 AND agenda_no = ?2",
                        params![id, old.no, new_no],
                    )?;
                }
                tx.execute(
                    "UPDATE measure SET agenda_no = -agenda_no WHERE conference_id = ?1 AND agenda_no < 0",
                    [id],
                )?;
            }
            replace_items(tx, id, &items)?;
            append_at(
                tx,
                &AuditEntry::new(AuditAction::Update, object::CONFERENCE)
                    .by(me)
                    .object(id)
                    .version(version + 1)
                    .detail("agenda"),
                &ts(self.now()),
            )?;
            Ok(())
        })
    }

    /// Adds an addendum ("Nachtrag") to approved minutes, by the case's staff; it becomes
    /// part of the minutes once approved like them. Returns its id.
    pub fn add_addendum(
        &self,
        me: &Staff,
        id: i64,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StorageError> {
        let text = sanitize(text.trim(), true);
        if text.is_empty() {
            return Err(StorageError::Refused(Refusal::ReasonNeeded));
        }
        if text.chars().count() > super::records::MAX_TEXT {
            return Err(StorageError::Refused(Refusal::StatementTooLong));
        }
        let row = self.conference(me, id)?;
        let target = (object::CONFERENCE, Some(id));
        let find = |tx: &Transaction<'_>| super::casefile::case_of_record(tx, "conference", id);
        self.write_case(me, WriteNeeds::Worker, target, find, |tx, _, _| {
            if row.status != ConferenceStatus::MinutesApproved {
                return Err(StorageError::Refused(Refusal::ConferenceWrongState));
            }
            tx.execute(
                "INSERT INTO conference_addendum (conference_id, text, written_by, written_at) \
                 VALUES (?1, ?2, ?3, ?4)",
                params![id, text, me.id.0, ts(now)],
            )?;
            let aid = tx.last_insert_rowid();
            append_at(
                tx,
                &AuditEntry::new(AuditAction::Create, object::CONFERENCE)
                    .by(me)
                    .object(id)
                    .detail("addendum"),
                &ts(self.now()),
            )?;
            Ok(aid)
        })
    }

    /// Approves addendum `addendum` as the minutes are approved (docs/domain.md 4.2, four
    /// eyes): the first approval by the case's staff, the second by a different person of
    /// the other Stelle who was present. True once both approved.
    pub fn approve_addendum(
        &self,
        me: &Staff,
        addendum: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let (conf, first, second): (i64, Option<i64>, Option<i64>) = self
            .conn()
            .query_row(
                "SELECT conference_id, approved_by, approved_second FROM conference_addendum WHERE id = ?1",
                [addendum],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or(StorageError::NotFound)?;
        let row = self.conference(me, conf)?;
        if second.is_some() {
            return Err(StorageError::Refused(Refusal::NoPending));
        }
        let participants: Vec<Participant> = row
            .participants
            .iter()
            .map(|p| p.participant.clone())
            .collect();
        let at = ts(self.now());
        let target = (object::CONFERENCE, Some(conf));
        let find = |tx: &Transaction<'_>| super::casefile::case_of_record(tx, "conference", conf);
        match first {
            None => self.write_case(me, WriteNeeds::Worker, target, find, |tx, _, _| {
                let n = tx.execute(
                    "UPDATE conference_addendum SET approved_by = ?2 WHERE id = ?1 AND approved_by IS NULL",
                    params![addendum, me.id.0],
                )?;
                if n == 0 {
                    return Err(changed_meanwhile(tx, conf)?);
                }
                append_at(
                    tx,
                    &AuditEntry::new(AuditAction::Update, object::CONFERENCE)
                        .by(me)
                        .object(conf)
                        .detail("addendum_first"),
                    &at,
                )?;
                Ok(false)
            }),
            Some(first_id) => {
                let lead_agency: String = self.conn().query_row(
                    "SELECT stelle FROM staff WHERE id = ?1",
                    [first_id],
                    |r| r.get(0),
                )?;
                let lead = Agency::from_code(&lead_agency).unwrap_or(Agency::Jobcenter);
                let problems = approval_problems(
                    (lead, first_id),
                    Some((me.agency, me.id.0)),
                    &participants,
                );
                if !problems.is_empty() {
                    self.write(|tx| {
                        append_at(
                            tx,
                            &AuditEntry::new(AuditAction::Refused, object::CONFERENCE)
                                .by(me)
                                .object(conf)
                                .detail(Refusal::SecondApproval.code()),
                            &at,
                        )?;
                        Ok(())
                    })?;
                    return Err(StorageError::Refused(Refusal::SecondApproval));
                }
                self.write(|tx| {
                    if super::casefile::is_restricted(tx, row.case_id)? {
                        return Err(StorageError::Refused(Refusal::Restricted));
                    }
                    let n = tx.execute(
                        "UPDATE conference_addendum SET approved_second = ?2, approved_at = ?3 \
                         WHERE id = ?1 AND approved_second IS NULL",
                        params![addendum, me.id.0, ts(now)],
                    )?;
                    if n == 0 {
                        return Err(changed_meanwhile(tx, conf)?);
                    }
                    append_at(
                        tx,
                        &AuditEntry::new(AuditAction::Update, object::CONFERENCE)
                            .by(me)
                            .object(conf)
                            .detail("addendum_second"),
                        &at,
                    )?;
                    Ok(true)
                })
            }
        }
    }
}
