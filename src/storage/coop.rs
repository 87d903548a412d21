//! The cooperation records of F5 (docs/cooperation.md, schema 16): plenaries with agenda
//! and decision log, meetings, trainings, hospitations and the agreement. Who may do what
//! (docs/access.md A14): every active staff member with a case role, a lead or a DSB reads
//! them (they hold no case data); leads write plenaries, decisions and the agreement;
//! leads and caseworkers write meetings and trainings; leads and the guest write a
//! hospitation. A hospitation never grants access to case data: the access relation
//! (`storage::access`) does not read the table at all.
//!
//! Every dated record books one row of `appointment` in the same transaction, so it is in
//! the shared calendar of F3 (clash checks, iCalendar); a cancelled one frees it.

// Each save is one `match` on "the existing record or a new one"; both arms are long.
#![allow(clippy::single_match_else)]

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rusqlite::{OptionalExtension, Transaction, params};

use super::audit::{self, AuditAction, AuditEntry};
use super::conferences::local_to_ts;
use super::{StorageError, Store, berlin_day, parse_ts, ts};
use crate::domain::coop::{
    self, CommitmentKind, DecisionStatus, EventStatus, HospitationStatus, MeasureCategory,
    MeetingKind, PlenaryStatus, TrainingFormat, TrainingTopic,
};
use crate::domain::refusal::Refusal;
use crate::domain::schedule::AppointmentKind;
use crate::domain::{Agency, Role, Staff, tz};
use crate::model::coop::{
    AgendaItem, AgendaSource, Agreement, AgreementInput, Commitment, CoopAlert, CoopAppointment,
    CoopYear, Decision, DecisionInput, Hospitation, HospitationInput, Meeting, MeetingInput,
    Participant, Plenary, PlenaryInput, Training, TrainingInput,
};

/// Audit object types (ids are the records' ids; never a name).
pub mod object {
    /// A plenary.
    pub const PLENARY: &str = "plenary";
    /// A plenary decision.
    pub const DECISION: &str = "plenary_decision";
    /// A meeting.
    pub const MEETING: &str = "coop_meeting";
    /// A training.
    pub const TRAINING: &str = "training";
    /// A hospitation.
    pub const HOSPITATION: &str = "hospitation";
    /// An agreement version.
    pub const AGREEMENT: &str = "agreement";
}

/// The day by which the year's plenary should have a date, by default (docs/cooperation.md
/// § 2; the configuration's `plenary-date-by`).
const PLENARY_DUE: (u32, u32) = (10, 1);
/// Days before the agreement's review date from which the leads are alerted.
const REVIEW_ALERT_DAYS: i64 = 60;

fn local_of(s: &str) -> Option<NaiveDateTime> {
    parse_ts(s).map(tz::to_local)
}

fn day_of(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|d| d.parse().ok())
}

fn year_bounds(year: i32) -> (String, String) {
    let start = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .unwrap_or(NaiveDate::MIN)
            .and_time(NaiveTime::MIN)
    };
    (local_to_ts(start(year)), local_to_ts(start(year + 1)))
}

fn reader(me: &Staff) -> bool {
    me.active
        && me.roles.iter().any(|r| {
            matches!(
                r,
                Role::JcU25 | Role::JaStaff | Role::JaOncall | Role::Lead | Role::Dpo
            )
        })
}

fn lead(me: &Staff) -> bool {
    me.active && me.has_role(Role::Lead)
}

fn organiser(me: &Staff) -> bool {
    me.active && (me.has_role(Role::Lead) || me.has_role(Role::JcU25) || me.has_role(Role::JaStaff))
}

fn trimmed(s: &str, max: usize) -> Result<String, Refusal> {
    let t = s.trim();
    if t.chars().count() > max {
        return Err(Refusal::CoopInvalid);
    }
    Ok(t.to_string())
}

/// Books, moves or frees the calendar row of a cooperation record.
#[allow(clippy::too_many_arguments)]
fn sync_appointment(
    tx: &Transaction<'_>,
    existing: Option<i64>,
    kind: AppointmentKind,
    title: &str,
    span: Option<(NaiveDateTime, NaiveDateTime)>,
    room: &str,
    attendees: &[i64],
    at: &str,
) -> Result<Option<i64>, StorageError> {
    let Some((start, end)) = span else {
        if let Some(id) = existing {
            tx.execute("DELETE FROM appointment WHERE id = ?1", [id])?;
        }
        return Ok(None);
    };
    let room = (!room.trim().is_empty()).then(|| room.trim().to_string());
    let id = match existing {
        Some(id)
            if tx.execute(
                "UPDATE appointment SET kind = ?2, title = ?3, starts_at = ?4, ends_at = ?5, \
                 room = ?6, version = version + 1 WHERE id = ?1",
                params![
                    id,
                    kind.code(),
                    title,
                    local_to_ts(start),
                    local_to_ts(end),
                    room
                ],
            )? == 1 =>
        {
            tx.execute(
                "DELETE FROM appointment_attendee WHERE appointment_id = ?1",
                [id],
            )?;
            id
        }
        _ => {
            tx.execute(
                "INSERT INTO appointment (kind, title, starts_at, ends_at, room, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    kind.code(),
                    title,
                    local_to_ts(start),
                    local_to_ts(end),
                    room,
                    at
                ],
            )?;
            tx.last_insert_rowid()
        }
    };
    for s in attendees {
        tx.execute(
            "INSERT OR IGNORE INTO appointment_attendee (appointment_id, staff_id) VALUES (?1, ?2)",
            params![id, s],
        )?;
    }
    Ok(Some(id))
}

/// What a record books in the shared calendar.
struct Booking<'a> {
    kind: AppointmentKind,
    title: &'a str,
    span: Option<(NaiveDateTime, NaiveDateTime)>,
    room: &'a str,
    attendees: &'a [i64],
}

/// The end of every save of a cooperation record: books, moves or frees its calendar row
/// (a cancelled record has none), links it, and writes the audit row.
#[allow(clippy::too_many_arguments)]
fn book_and_audit(
    tx: &Transaction<'_>,
    table: &str,
    rid: i64,
    booking: &Booking<'_>,
    me: &Staff,
    obj: &'static str,
    (created, version): (bool, i64),
    now: &str,
) -> Result<(), StorageError> {
    let (apt, cancelled): (Option<i64>, bool) = tx.query_row(
        &format!("SELECT appointment_id, status = 'cancelled' FROM {table} WHERE id = ?1"),
        [rid],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let apt = sync_appointment(
        tx,
        apt,
        booking.kind,
        booking.title,
        booking.span.filter(|_| !cancelled),
        booking.room,
        booking.attendees,
        now,
    )?;
    tx.execute(
        &format!("UPDATE {table} SET appointment_id = ?2 WHERE id = ?1"),
        params![rid, apt],
    )?;
    let action = if created {
        AuditAction::Create
    } else {
        AuditAction::Update
    };
    audit::append_at(
        tx,
        &AuditEntry::new(action, obj)
            .by(me)
            .object(rid)
            .version(version),
        now,
    )?;
    Ok(())
}

fn set_participants(
    tx: &Transaction<'_>,
    kind: &str,
    id: i64,
    staff: &[i64],
) -> Result<(), StorageError> {
    tx.execute(
        "DELETE FROM coop_participant WHERE kind = ?1 AND record_id = ?2",
        params![kind, id],
    )?;
    for s in staff {
        tx.execute(
            "INSERT OR IGNORE INTO coop_participant (kind, record_id, staff_id) \
             SELECT ?1, ?2, id FROM staff WHERE id = ?3",
            params![kind, id, s],
        )?;
    }
    Ok(())
}

fn span(start: NaiveDateTime, minutes: u32) -> (NaiveDateTime, NaiveDateTime) {
    (start, start + Duration::minutes(i64::from(minutes)))
}

/// Checks the stored version and bumps it; zero rows: a conflict.
fn bump(tx: &Transaction<'_>, table: &str, id: i64, version: i64) -> Result<i64, StorageError> {
    let n = tx.execute(
        &format!("UPDATE {table} SET version = version + 1 WHERE id = ?1 AND version = ?2"),
        params![id, version],
    )?;
    if n == 0 {
        return Err(StorageError::Conflict { by: None, at: None });
    }
    Ok(version + 1)
}

impl Store {
    /// Sets the (month, day) by which a year's plenary should have a date (from the
    /// configuration, for this connection).
    pub fn set_plenary_date_by(&self, (month, day): (u32, u32)) -> Result<(), StorageError> {
        self.conn().execute(
            "INSERT OR REPLACE INTO temp.session_setting (key, value) VALUES ('plenary_due', ?1)",
            [i64::from(month * 100 + day)],
        )?;
        Ok(())
    }

    fn plenary_due(&self) -> (u32, u32) {
        self.conn()
            .query_row(
                "SELECT value FROM temp.session_setting WHERE key = 'plenary_due'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .ok()
            .and_then(|v| u32::try_from(v).ok())
            .map_or(PLENARY_DUE, |v| (v / 100, v % 100))
    }

    /// Gives every agreed measure without a category one, chosen by `pick` from its text and
    /// its responsible (`jc`, `ja`, `young_person`, `external`). For the demo and `tandem
    /// seed` only: no actor, no audit row, like the bulk insert of seeded cases.
    pub fn seed_measure_categories(
        &self,
        pick: impl Fn(&str, &str) -> MeasureCategory,
    ) -> Result<usize, StorageError> {
        self.write(|tx| {
            let rows: Vec<(i64, String, String, Option<String>)> = {
                let mut stmt = tx.prepare(
                    "SELECT id, text, responsible_kind, responsible_agency FROM measure \
                     WHERE category IS NULL",
                )?;
                let rows =
                    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
                rows.collect::<Result<_, _>>()?
            };
            for (id, text, kind, agency) in &rows {
                let responsible = match (kind.as_str(), agency.as_deref()) {
                    ("staff", Some(a)) => a,
                    ("staff", None) => "jc",
                    ("young_person", _) => "young_person",
                    _ => "external",
                };
                tx.execute(
                    "UPDATE measure SET category = ?2 WHERE id = ?1",
                    params![id, pick(text, responsible).code()],
                )?;
            }
            Ok(rows.len())
        })
    }

    /// Sets the request time of conferences recorded after their date (the demo writes its
    /// history today) to `days(id)` days before the conference. For the demo and `tandem
    /// seed` only: no actor, no audit row.
    pub fn seed_conference_requests(
        &self,
        days: impl Fn(i64) -> i64,
    ) -> Result<usize, StorageError> {
        self.write(|tx| {
            let rows: Vec<(i64, String)> = {
                let mut stmt = tx.prepare(
                    "SELECT id, starts_at FROM conference WHERE starts_at IS NOT NULL \
                     AND requested_at > starts_at",
                )?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<Result<_, _>>()?
            };
            for (id, start) in &rows {
                if let Some(start) = parse_ts(start) {
                    let at = start - Duration::days(days(*id));
                    tx.execute(
                        "UPDATE conference SET requested_at = ?2 WHERE id = ?1",
                        params![id, ts(at)],
                    )?;
                }
            }
            Ok(rows.len())
        })
    }

    fn coop_refused(
        &self,
        me: &Staff,
        obj: &'static str,
        id: Option<i64>,
        r: Refusal,
    ) -> StorageError {
        self.refused_logged(me, obj, id, r)
    }

    fn participants(&self, kind: &str, id: i64) -> Result<Vec<Participant>, StorageError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT s.id, s.given_name || ' ' || s.surname, s.stelle FROM coop_participant p \
             JOIN staff s ON s.id = p.staff_id WHERE p.kind = ?1 AND p.record_id = ?2 \
             ORDER BY s.stelle DESC, s.surname, s.given_name",
        )?;
        let rows = stmt.query_map(params![kind, id], |r| {
            Ok(Participant {
                staff_id: r.get(0)?,
                name: r.get(1)?,
                stelle: Agency::from_code(&r.get::<_, String>(2)?).unwrap_or(Agency::Jobcenter),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn decisions_where(&self, clause: &str, arg: i64) -> Result<Vec<Decision>, StorageError> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT d.id, p.year, d.text, d.owner, d.due_on, d.status, d.version \
             FROM plenary_decision d JOIN plenary p ON p.id = d.plenary_id WHERE {clause} \
             ORDER BY p.year, d.id"
        ))?;
        let rows = stmt.query_map([arg], |r| {
            Ok(Decision {
                id: r.get(0)?,
                year: r.get(1)?,
                text: r.get(2)?,
                owner: r.get(3)?,
                due_on: day_of(r.get(4)?),
                status: DecisionStatus::from_code(&r.get::<_, String>(5)?)
                    .unwrap_or(DecisionStatus::Open),
                version: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn plenary_of(&self, year: i32) -> Result<Option<Plenary>, StorageError> {
        let row = self
            .conn()
            .query_row(
                "SELECT p.id, p.starts_at, p.duration_min, p.location, p.status, p.minutes, \
                 (SELECT s.given_name || ' ' || s.surname FROM staff s WHERE s.id = p.approved_by), \
                 p.version FROM plenary p WHERE p.year = ?1",
                [year],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, u32>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, Option<String>>(6)?,
                        r.get::<_, i64>(7)?,
                    ))
                },
            )
            .optional()?;
        let Some((id, start, duration_min, location, status, minutes, approved_by, version)) = row
        else {
            return Ok(None);
        };
        let mut agenda = Vec::new();
        {
            let mut stmt = self.conn().prepare_cached(
                "SELECT no, title, source FROM plenary_agenda WHERE plenary_id = ?1 ORDER BY no",
            )?;
            let rows = stmt.query_map([id], |r| {
                Ok(AgendaItem {
                    no: r.get(0)?,
                    title: r.get(1)?,
                    source: AgendaSource::from_code(&r.get::<_, String>(2)?),
                })
            })?;
            for row in rows {
                agenda.push(row?);
            }
        }
        Ok(Some(Plenary {
            id,
            year,
            start: start.as_deref().and_then(local_of),
            duration_min,
            location,
            status: PlenaryStatus::from_code(&status).unwrap_or(PlenaryStatus::Planned),
            minutes,
            approved_by,
            participants: self.participants("plenary", id)?,
            agenda,
            decisions: self.decisions_where("d.plenary_id = ?1", id)?,
            version,
        }))
    }

    /// Everything F5 shows for `year` (docs/cooperation.md § 1). Refused for anyone who is
    /// neither caseworker, on-call, lead nor DSB (the administration sees no F5).
    pub fn coop_year(&self, me: &Staff, year: i32) -> Result<CoopYear, StorageError> {
        if !reader(me) {
            return Err(StorageError::Refused(Refusal::NotAllowed));
        }
        let (lo, hi) = year_bounds(year);
        let plenary = self.plenary_of(year)?;
        let carried = self.decisions_where("d.status = 'open' AND p.year < ?1", i64::from(year))?;
        let mut meetings = Vec::new();
        {
            let mut stmt = self.conn().prepare(
                "SELECT id, kind, title, starts_at, duration_min, location, topics, results, \
                 status, version FROM coop_meeting WHERE starts_at >= ?1 AND starts_at < ?2 \
                 ORDER BY starts_at, id",
            )?;
            let rows = stmt.query_map(params![lo, hi], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, u32>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, String>(8)?,
                    r.get::<_, i64>(9)?,
                ))
            })?;
            for row in rows {
                let (
                    id,
                    kind,
                    title,
                    start,
                    duration_min,
                    location,
                    topics,
                    results,
                    status,
                    version,
                ) = row?;
                meetings.push(Meeting {
                    id,
                    kind: MeetingKind::from_code(&kind).unwrap_or(MeetingKind::Other),
                    title,
                    start: local_of(&start).unwrap_or_default(),
                    duration_min,
                    location,
                    topics,
                    results,
                    status: EventStatus::from_code(&status).unwrap_or(EventStatus::Planned),
                    participants: Vec::new(),
                    version,
                });
            }
        }
        for m in &mut meetings {
            m.participants = self.participants("meeting", m.id)?;
        }
        let mut trainings = Vec::new();
        {
            let mut stmt = self.conn().prepare(
                "SELECT id, title, starts_at, hours_tenths, organiser, format, joint, topics, \
                 location, status, version FROM training WHERE starts_at >= ?1 AND starts_at < ?2 \
                 ORDER BY starts_at, id",
            )?;
            let rows = stmt.query_map(params![lo, hi], |r| {
                Ok(Training {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    start: local_of(&r.get::<_, String>(2)?).unwrap_or_default(),
                    hours_tenths: r.get(3)?,
                    organiser: r.get(4)?,
                    format: TrainingFormat::from_code(&r.get::<_, String>(5)?)
                        .unwrap_or(TrainingFormat::Presence),
                    joint: r.get(6)?,
                    topics: TrainingTopic::split(&r.get::<_, String>(7)?),
                    location: r.get(8)?,
                    status: EventStatus::from_code(&r.get::<_, String>(9)?)
                        .unwrap_or(EventStatus::Planned),
                    participants: Vec::new(),
                    version: r.get(10)?,
                })
            })?;
            for row in rows {
                trainings.push(row?);
            }
        }
        for t in &mut trainings {
            t.participants = self.participants("training", t.id)?;
        }
        let hospitations = self.hospitations_of(year)?;
        let agreements = self.agreements()?;
        let today = berlin_day(self.now());
        let mut alerts = Vec::new();
        let has_date = plenary.as_ref().is_some_and(|p| p.start.is_some());
        let (due_month, due_day) = self.plenary_due();
        if coop::plenary_date_missing(
            today,
            has_date,
            coop::plenary_date_due(year, due_month, due_day),
        ) {
            alerts.push(CoopAlert::PlenaryDateMissing(year));
        }
        if let Some(a) = agreements.iter().find(|a| a.valid_from <= today)
            && coop::review_due(today, a.review_on, REVIEW_ALERT_DAYS)
            && let Some(on) = a.review_on
        {
            alerts.push(CoopAlert::ReviewDue(on));
        }
        let overdue = plenary
            .iter()
            .flat_map(|p| p.decisions.iter())
            .chain(carried.iter())
            .filter(|d| d.status == DecisionStatus::Open && d.due_on.is_some_and(|x| x < today))
            .count();
        if overdue > 0 {
            alerts.push(CoopAlert::DecisionsOverdue(overdue));
        }
        Ok(CoopYear {
            year,
            plenary,
            carried,
            meetings,
            trainings,
            hospitations,
            agreements,
            alerts,
        })
    }

    fn hospitations_of(&self, year: i32) -> Result<Vec<Hospitation>, StorageError> {
        let mut stmt = self.conn().prepare(
            "SELECT h.id, h.staff_id, s.given_name || ' ' || s.surname, h.home_stelle, \
             h.host_stelle, h.host_contact, h.from_on, h.to_on, h.days, h.goals, h.pledge_on, \
             h.feedback_guest, h.feedback_host, h.status, h.version \
             FROM hospitation h JOIN staff s ON s.id = h.staff_id \
             WHERE h.from_on >= ?1 AND h.from_on < ?2 ORDER BY h.from_on, h.id",
        )?;
        let rows = stmt.query_map(
            params![format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1)],
            |r| {
                Ok(Hospitation {
                    id: r.get(0)?,
                    staff_id: r.get(1)?,
                    guest: r.get(2)?,
                    home: Agency::from_code(&r.get::<_, String>(3)?).unwrap_or(Agency::Jobcenter),
                    host: Agency::from_code(&r.get::<_, String>(4)?).unwrap_or(Agency::Jugendamt),
                    host_contact: r.get(5)?,
                    from: day_of(r.get(6)?).unwrap_or_default(),
                    to: day_of(r.get(7)?).unwrap_or_default(),
                    days: r.get(8)?,
                    goals: r.get(9)?,
                    pledge_on: day_of(r.get(10)?),
                    feedback_guest: r.get(11)?,
                    feedback_host: r.get(12)?,
                    status: HospitationStatus::from_code(&r.get::<_, String>(13)?)
                        .unwrap_or(HospitationStatus::Agreed),
                    version: r.get(14)?,
                })
            },
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The dated cooperation records `me` takes part in that start on a day in
    /// `from..=to` (plenaries, meetings, trainings, the own hospitations), for the iCalendar
    /// feed (docs/cooperation.md § 1). Cancelled ones have no calendar row.
    pub fn coop_appointments_for(
        &self,
        me: &Staff,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CoopAppointment>, StorageError> {
        if !reader(me) {
            return Ok(Vec::new());
        }
        let lo = local_to_ts(from.and_time(NaiveTime::MIN));
        let hi = local_to_ts((to + Duration::days(1)).and_time(NaiveTime::MIN));
        let mut stmt = self.conn().prepare(
            "SELECT a.id, a.title, a.starts_at, a.ends_at, coalesce(a.room, ''), a.version \
             FROM appointment a JOIN appointment_attendee x ON x.appointment_id = a.id \
             WHERE x.staff_id = ?1 AND a.starts_at >= ?2 AND a.starts_at < ?3 AND a.id IN ( \
               SELECT appointment_id FROM plenary UNION ALL SELECT appointment_id FROM coop_meeting \
               UNION ALL SELECT appointment_id FROM training UNION ALL SELECT appointment_id FROM hospitation) \
             ORDER BY a.starts_at, a.id",
        )?;
        let rows = stmt.query_map(params![me.id.0, lo, hi], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, title, start, end, room, version) = row?;
            let (Some(start), Some(end)) = (local_of(&start), local_of(&end)) else {
                continue;
            };
            out.push(CoopAppointment {
                id,
                title,
                start,
                end,
                room,
                version,
            });
        }
        Ok(out)
    }

    /// Agreement versions, newest first, with their commitments.
    pub fn agreements(&self) -> Result<Vec<Agreement>, StorageError> {
        let mut out: Vec<Agreement> = {
            let mut stmt = self.conn().prepare(
                "SELECT id, label, valid_from, signatories, annexes, review_on, version \
                 FROM agreement_version ORDER BY valid_from DESC, id DESC",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(Agreement {
                    id: r.get(0)?,
                    label: r.get(1)?,
                    valid_from: day_of(r.get(2)?).unwrap_or_default(),
                    signatories: r.get(3)?,
                    annexes: r.get(4)?,
                    review_on: day_of(r.get(5)?),
                    commitments: Vec::new(),
                    version: r.get(6)?,
                })
            })?;
            rows.collect::<Result<_, _>>()?
        };
        let mut stmt = self.conn().prepare_cached(
            "SELECT kind, target, text FROM agreement_commitment WHERE agreement_id = ?1 ORDER BY id",
        )?;
        for a in &mut out {
            let rows = stmt.query_map([a.id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, u32>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            for row in rows {
                let (kind, target, text) = row?;
                if let Some(kind) = CommitmentKind::from_code(&kind) {
                    a.commitments.push(Commitment { kind, target, text });
                }
            }
        }
        Ok(out)
    }

    /// The agreement in force on `day`, if any.
    pub fn agreement_on(&self, day: NaiveDate) -> Result<Option<Agreement>, StorageError> {
        Ok(self.agreements()?.into_iter().find(|a| a.valid_from <= day))
    }

    /// Plans or changes the plenary of `input.year` (leads only). A new plenary gets the
    /// default agenda and, after it, every open decision of earlier years. `version` is the
    /// one shown (none for a new plenary).
    pub fn save_plenary(
        &self,
        me: &Staff,
        input: &PlenaryInput,
        version: Option<i64>,
    ) -> Result<i64, StorageError> {
        let obj = object::PLENARY;
        if !lead(me) {
            return Err(self.coop_refused(me, obj, None, Refusal::NotLead));
        }
        let location = trimmed(&input.location, 200);
        let minutes = trimmed(&input.minutes, 20_000);
        let (Ok(location), Ok(minutes)) = (location, minutes) else {
            return Err(self.coop_refused(me, obj, None, Refusal::CoopInvalid));
        };
        if !(2000..=2999).contains(&input.year)
            || !(15..=600).contains(&input.duration_min)
            || input.start.is_some_and(|s| s.year() != input.year)
        {
            return Err(self.coop_refused(me, obj, None, Refusal::CoopInvalid));
        }
        let now = ts(self.now());
        let title = format!("Große Runde {}", input.year);
        self.write(|tx| {
            let existing: Option<(i64, Option<i64>)> = tx
                .query_row(
                    "SELECT id, appointment_id FROM plenary WHERE year = ?1",
                    [input.year],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let start = input.start.map(local_to_ts);
            let (id, new_version) = match existing {
                Some((id, _)) => {
                    let v = bump(tx, "plenary", id, version.unwrap_or(-1))?;
                    tx.execute(
                        "UPDATE plenary SET starts_at = ?2, duration_min = ?3, location = ?4, \
                         minutes = ?5, updated_at = ?6, updated_by = ?7 WHERE id = ?1",
                        params![
                            id,
                            start,
                            input.duration_min,
                            location,
                            minutes,
                            now,
                            me.id.0
                        ],
                    )?;
                    (id, v)
                }
                None => {
                    if version.is_some() {
                        return Err(StorageError::Conflict { by: None, at: None });
                    }
                    tx.execute(
                        "INSERT INTO plenary (year, starts_at, duration_min, location, minutes, \
                         created_at, created_by, updated_at, updated_by) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?7)",
                        params![
                            input.year,
                            start,
                            input.duration_min,
                            location,
                            minutes,
                            now,
                            me.id.0
                        ],
                    )?;
                    let id = tx.last_insert_rowid();
                    default_agenda(tx, id, input.year)?;
                    (id, 1)
                }
            };
            set_participants(tx, "plenary", id, &input.participants)?;
            if let Some(items) = &input.agenda {
                replace_agenda(tx, id, items)?;
            }
            let booking = Booking {
                kind: AppointmentKind::Plenary,
                title: &title,
                span: input.start.map(|s| span(s, input.duration_min)),
                room: &location,
                attendees: &input.participants,
            };
            let created = existing.is_none();
            book_and_audit(
                tx,
                "plenary",
                id,
                &booking,
                me,
                obj,
                (created, new_version),
                &now,
            )?;
            Ok(id)
        })
    }

    /// Moves a plenary one step on (leads only): held needs a date, approving the minutes
    /// needs minutes, "done" needs every decision of the plenary done or dropped.
    pub fn advance_plenary(
        &self,
        me: &Staff,
        year: i32,
        version: i64,
    ) -> Result<PlenaryStatus, StorageError> {
        let obj = object::PLENARY;
        if !lead(me) {
            return Err(self.coop_refused(me, obj, None, Refusal::NotLead));
        }
        let Some(p) = self.plenary_of(year)? else {
            return Err(StorageError::NotFound);
        };
        let Some(next) = p.status.next() else {
            return Err(self.coop_refused(me, obj, Some(p.id), Refusal::CoopWrongState));
        };
        let refusal = match next {
            PlenaryStatus::Held if p.start.is_none() => Some(Refusal::DateNeeded),
            PlenaryStatus::Held if p.start.is_some_and(|s| s.date() > berlin_day(self.now())) => {
                Some(Refusal::NotYet)
            }
            PlenaryStatus::MinutesApproved if p.minutes.trim().is_empty() => {
                Some(Refusal::CoopWrongState)
            }
            PlenaryStatus::Done if p.decisions.iter().any(|d| d.status == DecisionStatus::Open) => {
                Some(Refusal::CoopWrongState)
            }
            _ => None,
        };
        if let Some(r) = refusal {
            return Err(self.coop_refused(me, obj, Some(p.id), r));
        }
        let now = ts(self.now());
        self.write(|tx| {
            let v = bump(tx, "plenary", p.id, version)?;
            let approving = next == PlenaryStatus::MinutesApproved;
            tx.execute(
                "UPDATE plenary SET status = ?2, updated_at = ?3, updated_by = ?4, \
                 approved_by = CASE WHEN ?5 THEN ?4 ELSE approved_by END, \
                 approved_at = CASE WHEN ?5 THEN ?3 ELSE approved_at END WHERE id = ?1",
                params![p.id, next.code(), now, me.id.0, approving],
            )?;
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Update, obj)
                    .by(me)
                    .object(p.id)
                    .version(v)
                    .detail(next.code()),
                &now,
            )?;
            Ok(next)
        })
    }

    /// Adds an agenda item at the end (leads only).
    pub fn add_agenda_item(
        &self,
        me: &Staff,
        year: i32,
        title: &str,
        source: AgendaSource,
    ) -> Result<u32, StorageError> {
        let obj = object::PLENARY;
        if !lead(me) {
            return Err(self.coop_refused(me, obj, None, Refusal::NotLead));
        }
        let Ok(title) = trimmed(title, 300) else {
            return Err(self.coop_refused(me, obj, None, Refusal::CoopInvalid));
        };
        if title.is_empty() {
            return Err(self.coop_refused(me, obj, None, Refusal::CoopInvalid));
        }
        let now = ts(self.now());
        self.write(|tx| {
            let id: i64 = tx
                .query_row("SELECT id FROM plenary WHERE year = ?1", [year], |r| r.get(0))
                .optional()?
                .ok_or(StorageError::NotFound)?;
            let no: u32 = tx.query_row(
                "SELECT coalesce(max(no), 0) + 1 FROM plenary_agenda WHERE plenary_id = ?1",
                [id],
                |r| r.get(0),
            )?;
            tx.execute(
                "INSERT INTO plenary_agenda (plenary_id, no, title, source) VALUES (?1, ?2, ?3, ?4)",
                params![id, no, title, source.code()],
            )?;
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Update, obj)
                    .by(me)
                    .object(id)
                    .fields(vec!["agenda"]),
                &now,
            )?;
            Ok(no)
        })
    }

    /// Removes agenda item `no` and renumbers the rest (leads only).
    pub fn remove_agenda_item(&self, me: &Staff, year: i32, no: u32) -> Result<(), StorageError> {
        let obj = object::PLENARY;
        if !lead(me) {
            return Err(self.coop_refused(me, obj, None, Refusal::NotLead));
        }
        let now = ts(self.now());
        self.write(|tx| {
            let id: i64 = tx
                .query_row("SELECT id FROM plenary WHERE year = ?1", [year], |r| {
                    r.get(0)
                })
                .optional()?
                .ok_or(StorageError::NotFound)?;
            if tx.execute(
                "DELETE FROM plenary_agenda WHERE plenary_id = ?1 AND no = ?2",
                params![id, no],
            )? == 0
            {
                return Err(StorageError::NotFound);
            }
            // Two steps, so that the primary key never meets itself halfway.
            tx.execute(
                "UPDATE plenary_agenda SET no = -no WHERE plenary_id = ?1 AND no > ?2",
                params![id, no],
            )?;
            tx.execute(
                "UPDATE plenary_agenda SET no = -no - 1 WHERE plenary_id = ?1 AND no < 0",
                params![id],
            )?;
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Update, obj)
                    .by(me)
                    .object(id)
                    .fields(vec!["agenda"]),
                &now,
            )?;
            Ok(())
        })
    }

    /// Records a decision of `year`'s plenary (leads only; the plenary must have been held).
    pub fn add_decision(
        &self,
        me: &Staff,
        year: i32,
        d: &DecisionInput,
    ) -> Result<i64, StorageError> {
        let obj = object::DECISION;
        if !lead(me) {
            return Err(self.coop_refused(me, obj, None, Refusal::NotLead));
        }
        let (Ok(text), Ok(owner)) = (trimmed(&d.text, 1000), trimmed(&d.owner, 200)) else {
            return Err(self.coop_refused(me, obj, None, Refusal::CoopInvalid));
        };
        if text.is_empty() || owner.is_empty() {
            return Err(self.coop_refused(me, obj, None, Refusal::DecisionIncomplete));
        }
        let Some(p) = self.plenary_of(year)? else {
            return Err(StorageError::NotFound);
        };
        if p.status == PlenaryStatus::Planned {
            return Err(self.coop_refused(me, obj, None, Refusal::CoopWrongState));
        }
        let now = ts(self.now());
        self.write(|tx| {
            tx.execute(
                "INSERT INTO plenary_decision (plenary_id, text, owner, due_on, created_at, \
                 created_by, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)",
                params![
                    p.id,
                    text,
                    owner,
                    d.due_on.map(|x| x.to_string()),
                    now,
                    me.id.0
                ],
            )?;
            let id = tx.last_insert_rowid();
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Create, obj).by(me).object(id),
                &now,
            )?;
            Ok(id)
        })
    }

    /// Sets a decision done, dropped or open again (leads only).
    pub fn set_decision_status(
        &self,
        me: &Staff,
        id: i64,
        status: DecisionStatus,
        version: i64,
    ) -> Result<(), StorageError> {
        let obj = object::DECISION;
        if !lead(me) {
            return Err(self.coop_refused(me, obj, Some(id), Refusal::NotLead));
        }
        let now = ts(self.now());
        let today = berlin_day(self.now()).to_string();
        self.write(|tx| {
            let v = bump(tx, "plenary_decision", id, version)?;
            tx.execute(
                "UPDATE plenary_decision SET status = ?2, \
                 closed_on = CASE WHEN ?2 = 'open' THEN NULL ELSE ?3 END, \
                 updated_at = ?4, updated_by = ?5 WHERE id = ?1",
                params![id, status.code(), today, now, me.id.0],
            )?;
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Update, obj)
                    .by(me)
                    .object(id)
                    .version(v)
                    .detail(status.code()),
                &now,
            )?;
            Ok(())
        })
    }

    /// Creates (`id` none) or changes a meeting (leads and caseworkers).
    pub fn save_meeting(
        &self,
        me: &Staff,
        id: Option<(i64, i64)>,
        m: &MeetingInput,
    ) -> Result<i64, StorageError> {
        let obj = object::MEETING;
        if !organiser(me) {
            return Err(self.coop_refused(me, obj, id.map(|x| x.0), Refusal::NotAllowed));
        }
        let fields = (
            trimmed(&m.title, 200),
            trimmed(&m.location, 200),
            trimmed(&m.topics, 5000),
            trimmed(&m.results, 10_000),
        );
        let (Ok(title), Ok(location), Ok(topics), Ok(results)) = fields else {
            return Err(self.coop_refused(me, obj, None, Refusal::CoopInvalid));
        };
        if title.is_empty() || !(15..=600).contains(&m.duration_min) {
            return Err(self.coop_refused(me, obj, None, Refusal::CoopInvalid));
        }
        let now = ts(self.now());
        self.write(|tx| {
            let (rid, v) = match id {
                Some((rid, version)) => {
                    let v = bump(tx, "coop_meeting", rid, version)?;
                    tx.execute(
                        "UPDATE coop_meeting SET kind = ?2, title = ?3, starts_at = ?4, \
                         duration_min = ?5, location = ?6, topics = ?7, results = ?8, \
                         updated_at = ?9, updated_by = ?10 WHERE id = ?1",
                        params![rid, m.kind.code(), title, local_to_ts(m.start), m.duration_min,
                            location, topics, results, now, me.id.0],
                    )?;
                    (rid, v)
                }
                None => {
                    tx.execute(
                        "INSERT INTO coop_meeting (kind, title, starts_at, duration_min, location, \
                         topics, results, owner_stelle, created_at, created_by, updated_at, updated_by) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9, ?10)",
                        params![m.kind.code(), title, local_to_ts(m.start), m.duration_min, location,
                            topics, results, me.agency.code(), now, me.id.0],
                    )?;
                    (tx.last_insert_rowid(), 1)
                }
            };
            set_participants(tx, "meeting", rid, &m.participants)?;
            let booking = Booking {
                kind: AppointmentKind::TeamMeeting,
                title: &title,
                span: Some(span(m.start, m.duration_min)),
                room: &location,
                attendees: &m.participants,
            };
            book_and_audit(tx, "coop_meeting", rid, &booking, me, obj, (id.is_none(), v), &now)?;
            Ok(rid)
        })
    }

    /// Creates (`id` none) or changes a training (leads and caseworkers).
    pub fn save_training(
        &self,
        me: &Staff,
        id: Option<(i64, i64)>,
        t: &TrainingInput,
    ) -> Result<i64, StorageError> {
        let obj = object::TRAINING;
        if !organiser(me) {
            return Err(self.coop_refused(me, obj, id.map(|x| x.0), Refusal::NotAllowed));
        }
        let fields = (
            trimmed(&t.title, 200),
            trimmed(&t.organiser, 200),
            trimmed(&t.location, 200),
        );
        let (Ok(title), Ok(organiser_name), Ok(location)) = fields else {
            return Err(self.coop_refused(me, obj, None, Refusal::CoopInvalid));
        };
        if title.is_empty() || !(1..=800).contains(&t.hours_tenths) {
            return Err(self.coop_refused(me, obj, None, Refusal::CoopInvalid));
        }
        let now = ts(self.now());
        let topics = TrainingTopic::join(&t.topics);
        // The calendar holds the hours from the start (a day's training: 9–16:30).
        let minutes = (t.hours_tenths * 6).clamp(15, 600);
        self.write(|tx| {
            let (rid, v) = match id {
                Some((rid, version)) => {
                    let v = bump(tx, "training", rid, version)?;
                    tx.execute(
                        "UPDATE training SET title = ?2, starts_at = ?3, hours_tenths = ?4, \
                         organiser = ?5, format = ?6, joint = ?7, topics = ?8, location = ?9, \
                         updated_at = ?10, updated_by = ?11 WHERE id = ?1",
                        params![rid, title, local_to_ts(t.start), t.hours_tenths, organiser_name,
                            t.format.code(), t.joint, topics, location, now, me.id.0],
                    )?;
                    (rid, v)
                }
                None => {
                    tx.execute(
                        "INSERT INTO training (title, starts_at, hours_tenths, organiser, format, \
                         joint, topics, location, owner_stelle, created_at, created_by, updated_at, \
                         updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10, ?11)",
                        params![title, local_to_ts(t.start), t.hours_tenths, organiser_name,
                            t.format.code(), t.joint, topics, location, me.agency.code(), now, me.id.0],
                    )?;
                    (tx.last_insert_rowid(), 1)
                }
            };
            set_participants(tx, "training", rid, &t.participants)?;
            let booking = Booking {
                kind: AppointmentKind::Training,
                title: &title,
                span: Some(span(t.start, minutes)),
                room: &location,
                attendees: &t.participants,
            };
            book_and_audit(tx, "training", rid, &booking, me, obj, (id.is_none(), v), &now)?;
            Ok(rid)
        })
    }

    /// Sets a meeting or training held or cancelled (`table` is `coop_meeting` or
    /// `training`); a cancelled one leaves the calendar.
    pub fn set_event_status(
        &self,
        me: &Staff,
        training: bool,
        id: i64,
        status: EventStatus,
        version: i64,
    ) -> Result<(), StorageError> {
        let (table, obj) = if training {
            ("training", object::TRAINING)
        } else {
            ("coop_meeting", object::MEETING)
        };
        if !organiser(me) {
            return Err(self.coop_refused(me, obj, Some(id), Refusal::NotAllowed));
        }
        let now = ts(self.now());
        self.write(|tx| {
            let v = bump(tx, table, id, version)?;
            tx.execute(
                &format!("UPDATE {table} SET status = ?2, updated_at = ?3, updated_by = ?4 WHERE id = ?1"),
                params![id, status.code(), now, me.id.0],
            )?;
            if status == EventStatus::Cancelled {
                tx.execute(
                    &format!(
                        "DELETE FROM appointment WHERE id = (SELECT appointment_id FROM {table} WHERE id = ?1)"
                    ),
                    [id],
                )?;
            }
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Update, obj)
                    .by(me)
                    .object(id)
                    .version(v)
                    .detail(status.code()),
                &now,
            )?;
            Ok(())
        })
    }

    /// Creates (`id` none) or changes a hospitation: leads, or the guest for their own.
    /// The guest's home Stelle is theirs, the host the other one. A hospitation is data
    /// about staff only and grants no access to anything (docs/access.md A14).
    pub fn save_hospitation(
        &self,
        me: &Staff,
        id: Option<(i64, i64)>,
        h: &HospitationInput,
    ) -> Result<i64, StorageError> {
        let obj = object::HOSPITATION;
        let own = h.staff_id == me.id.0;
        if !(lead(me) || (own && organiser(me))) {
            return Err(self.coop_refused(me, obj, id.map(|x| x.0), Refusal::NotAllowed));
        }
        let fields = (
            trimmed(&h.host_contact, 200),
            trimmed(&h.goals, 5000),
            trimmed(&h.feedback_guest, 5000),
            trimmed(&h.feedback_host, 5000),
        );
        let (Ok(contact), Ok(goals), Ok(fb_guest), Ok(fb_host)) = fields else {
            return Err(self.coop_refused(me, obj, None, Refusal::CoopInvalid));
        };
        if h.to < h.from || !(1..=60).contains(&h.days) {
            return Err(self.coop_refused(me, obj, None, Refusal::CoopInvalid));
        }
        let Some(guest) = self.staff_by_id(crate::domain::StaffId(h.staff_id))? else {
            return Err(self.coop_refused(me, obj, None, Refusal::CoopInvalid));
        };
        let home = guest.agency;
        let host = match home {
            Agency::Jobcenter => Agency::Jugendamt,
            Agency::Jugendamt => Agency::Jobcenter,
        };
        let now = ts(self.now());
        let title = "Hospitation";
        self.write(|tx| {
            let (rid, v) = match id {
                Some((rid, version)) => {
                    let status: String = tx
                        .query_row("SELECT status FROM hospitation WHERE id = ?1", [rid], |r| r.get(0))
                        .optional()?
                        .ok_or(StorageError::NotFound)?;
                    let status = HospitationStatus::from_code(&status).unwrap_or(HospitationStatus::Agreed);
                    if status.needs_pledge() && h.pledge_on.is_none() {
                        return Err(StorageError::Refused(Refusal::PledgeMissing));
                    }
                    let v = bump(tx, "hospitation", rid, version)?;
                    tx.execute(
                        "UPDATE hospitation SET staff_id = ?2, home_stelle = ?3, host_stelle = ?4, \
                         host_contact = ?5, from_on = ?6, to_on = ?7, days = ?8, goals = ?9, \
                         pledge_on = ?10, feedback_guest = ?11, feedback_host = ?12, \
                         updated_at = ?13, updated_by = ?14 WHERE id = ?1",
                        params![rid, h.staff_id, home.code(), host.code(), contact,
                            h.from.to_string(), h.to.to_string(), h.days, goals,
                            h.pledge_on.map(|d| d.to_string()), fb_guest, fb_host, now, me.id.0],
                    )?;
                    (rid, v)
                }
                None => {
                    tx.execute(
                        "INSERT INTO hospitation (staff_id, home_stelle, host_stelle, host_contact, \
                         from_on, to_on, days, goals, pledge_on, feedback_guest, feedback_host, \
                         created_at, created_by, updated_at, updated_by) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?12, ?13)",
                        params![h.staff_id, home.code(), host.code(), contact, h.from.to_string(),
                            h.to.to_string(), h.days, goals, h.pledge_on.map(|d| d.to_string()),
                            fb_guest, fb_host, now, me.id.0],
                    )?;
                    (tx.last_insert_rowid(), 1)
                }
            };
            // The guest is away from their own desk: whole days, as an absence blocks.
            let booking = Booking {
                kind: AppointmentKind::Hospitation,
                title,
                span: Some((
                    h.from.and_time(NaiveTime::MIN),
                    (h.to + Duration::days(1)).and_time(NaiveTime::MIN),
                )),
                room: "",
                attendees: &[h.staff_id],
            };
            book_and_audit(tx, "hospitation", rid, &booking, me, obj, (id.is_none(), v), &now)?;
            Ok(rid)
        })
        .map_err(|e| match e {
            StorageError::Refused(r) => self.coop_refused(me, obj, id.map(|x| x.0), r),
            other => other,
        })
    }

    /// Moves a hospitation to `status` (leads, or the guest): "Durchgeführt" and later only
    /// with the confidentiality pledge (docs/domain.md 4.9), which the database checks too.
    pub fn set_hospitation_status(
        &self,
        me: &Staff,
        id: i64,
        status: HospitationStatus,
        version: i64,
    ) -> Result<(), StorageError> {
        let obj = object::HOSPITATION;
        let row: Option<(i64, Option<String>, String)> = self
            .conn()
            .query_row(
                "SELECT staff_id, pledge_on, status FROM hospitation WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((guest, pledge, current)) = row else {
            return Err(StorageError::NotFound);
        };
        if !(lead(me) || (guest == me.id.0 && organiser(me))) {
            return Err(self.coop_refused(me, obj, Some(id), Refusal::NotAllowed));
        }
        let current = HospitationStatus::from_code(&current).unwrap_or(HospitationStatus::Agreed);
        if status.needs_pledge() && pledge.is_none() {
            return Err(self.coop_refused(me, obj, Some(id), Refusal::PledgeMissing));
        }
        let allowed = status == HospitationStatus::Cancelled && !current.took_place()
            || current.next() == Some(status)
            // The pledge may be signed before the state is set: straight to "Durchgeführt".
            || (current == HospitationStatus::Agreed && status == HospitationStatus::Done);
        if !allowed {
            return Err(self.coop_refused(me, obj, Some(id), Refusal::CoopWrongState));
        }
        let now = ts(self.now());
        self.write(|tx| {
            let v = bump(tx, "hospitation", id, version)?;
            tx.execute(
                "UPDATE hospitation SET status = ?2, updated_at = ?3, updated_by = ?4 WHERE id = ?1",
                params![id, status.code(), now, me.id.0],
            )?;
            if status == HospitationStatus::Cancelled {
                tx.execute(
                    "DELETE FROM appointment WHERE id = (SELECT appointment_id FROM hospitation WHERE id = ?1)",
                    [id],
                )?;
            }
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Update, obj)
                    .by(me)
                    .object(id)
                    .version(v)
                    .detail(status.code()),
                &now,
            )?;
            Ok(())
        })
    }

    /// Creates (`id` none) or changes a version of the agreement (leads only).
    pub fn save_agreement(
        &self,
        me: &Staff,
        id: Option<(i64, i64)>,
        a: &AgreementInput,
    ) -> Result<i64, StorageError> {
        let obj = object::AGREEMENT;
        if !lead(me) {
            return Err(self.coop_refused(me, obj, id.map(|x| x.0), Refusal::NotLead));
        }
        let fields = (
            trimmed(&a.label, 100),
            trimmed(&a.signatories, 2000),
            trimmed(&a.annexes, 2000),
        );
        let (Ok(label), Ok(signatories), Ok(annexes)) = fields else {
            return Err(self.coop_refused(me, obj, None, Refusal::CoopInvalid));
        };
        let bad_commitment = a
            .commitments
            .iter()
            .any(|c| c.target > 365 || c.text.trim().is_empty() || c.text.chars().count() > 300);
        if label.is_empty() || bad_commitment {
            return Err(self.coop_refused(me, obj, None, Refusal::CoopInvalid));
        }
        let now = ts(self.now());
        self.write(|tx| {
            let (rid, v) = match id {
                Some((rid, version)) => {
                    let v = bump(tx, "agreement_version", rid, version)?;
                    tx.execute(
                        "UPDATE agreement_version SET label = ?2, valid_from = ?3, signatories = ?4, \
                         annexes = ?5, review_on = ?6, updated_at = ?7, updated_by = ?8 WHERE id = ?1",
                        params![rid, label, a.valid_from.to_string(), signatories, annexes,
                            a.review_on.map(|d| d.to_string()), now, me.id.0],
                    )?;
                    tx.execute("DELETE FROM agreement_commitment WHERE agreement_id = ?1", [rid])?;
                    (rid, v)
                }
                None => {
                    tx.execute(
                        "INSERT INTO agreement_version (label, valid_from, signatories, annexes, \
                         review_on, created_at, created_by, updated_at, updated_by) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?7)",
                        params![label, a.valid_from.to_string(), signatories, annexes,
                            a.review_on.map(|d| d.to_string()), now, me.id.0],
                    )?;
                    (tx.last_insert_rowid(), 1)
                }
            };
            for c in &a.commitments {
                tx.execute(
                    "INSERT OR REPLACE INTO agreement_commitment (agreement_id, kind, target, text) \
                     VALUES (?1, ?2, ?3, ?4)",
                    params![rid, c.kind.code(), c.target, c.text.trim()],
                )?;
            }
            let action = if id.is_some() { AuditAction::Update } else { AuditAction::Create };
            audit::append_at(tx, &AuditEntry::new(action, obj).by(me).object(rid).version(v), &now)?;
            Ok(rid)
        })
    }
}

impl Store {
    /// Puts `items` (from the yearly report) at the top of `year`'s plenary agenda, in
    /// place of the report's items of an earlier run, and after them each of `carried` (the
    /// open decisions of earlier years) not yet on it (leads only). Returns how many items
    /// were put on.
    pub fn prepend_agenda(
        &self,
        me: &Staff,
        year: i32,
        items: &[String],
        source: AgendaSource,
        carried: &[String],
    ) -> Result<usize, StorageError> {
        let obj = object::PLENARY;
        if !lead(me) {
            return Err(self.coop_refused(me, obj, None, Refusal::NotLead));
        }
        let now = ts(self.now());
        self.write(|tx| {
            let id: i64 = tx
                .query_row("SELECT id FROM plenary WHERE year = ?1", [year], |r| {
                    r.get(0)
                })
                .optional()?
                .ok_or(StorageError::NotFound)?;
            let existing: Vec<(String, String, Option<i64>)> = {
                let mut stmt = tx.prepare(
                    "SELECT title, source, decision_id FROM plenary_agenda WHERE plenary_id = ?1 \
                     ORDER BY no",
                )?;
                let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                rows.collect::<Result<_, _>>()?
            };
            let kept: Vec<(String, String, Option<i64>)> = existing
                .into_iter()
                .filter(|(_, s, _)| s != source.code())
                .collect();
            let mut first: Vec<(String, String, Option<i64>)> = items
                .iter()
                .map(|t| {
                    (
                        t.chars().take(300).collect(),
                        source.code().to_string(),
                        None,
                    )
                })
                .collect();
            for c in carried {
                let title: String = c.chars().take(300).collect();
                if !kept.iter().any(|(t, _, _)| *t == title) {
                    first.push((title, "decision".to_string(), None));
                }
            }
            let added = first.len();
            tx.execute("DELETE FROM plenary_agenda WHERE plenary_id = ?1", [id])?;
            for (no, (title, src, decision)) in (1u32..).zip(first.into_iter().chain(kept)) {
                tx.execute(
                    "INSERT INTO plenary_agenda (plenary_id, no, title, source, decision_id) \
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![id, no, title, src, decision],
                )?;
            }
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Update, obj)
                    .by(me)
                    .object(id)
                    .fields(vec!["agenda"]),
                &now,
            )?;
            Ok(added)
        })
    }
}

/// Replaces the agenda of `plenary` with `items` (in order, empty ones left out, at most
/// 300 characters each): an item whose title was there before keeps its source and its
/// decision; a new one is the lead's own (`custom`).
fn replace_agenda(
    tx: &Transaction<'_>,
    plenary: i64,
    items: &[String],
) -> Result<(), StorageError> {
    let before: Vec<(String, String, Option<i64>)> = {
        let mut stmt = tx.prepare(
            "SELECT title, source, decision_id FROM plenary_agenda WHERE plenary_id = ?1 ORDER BY no",
        )?;
        let rows = stmt.query_map([plenary], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    tx.execute(
        "DELETE FROM plenary_agenda WHERE plenary_id = ?1",
        [plenary],
    )?;
    let titles = items
        .iter()
        .map(|t| t.trim().chars().take(300).collect::<String>())
        .filter(|t| !t.is_empty());
    for (no, title) in (1u32..).zip(titles) {
        let (source, decision) = before
            .iter()
            .find(|(t, _, _)| *t == title)
            .map_or(("custom".to_string(), None), |(_, s, d)| (s.clone(), *d));
        tx.execute(
            "INSERT INTO plenary_agenda (plenary_id, no, title, source, decision_id) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![plenary, no, title, source, decision],
        )?;
    }
    Ok(())
}

/// The default agenda of a new plenary, then every open decision of earlier years
/// (docs/cooperation.md § 2: they stay on the agenda until done or dropped).
fn default_agenda(tx: &Transaction<'_>, plenary: i64, year: i32) -> Result<(), StorageError> {
    let mut no = 0u32;
    for title in coop::DEFAULT_AGENDA {
        no += 1;
        tx.execute(
            "INSERT INTO plenary_agenda (plenary_id, no, title, source) VALUES (?1, ?2, ?3, 'default')",
            params![plenary, no, title],
        )?;
    }
    let open: Vec<(i64, i32, String)> = {
        let mut stmt = tx.prepare(
            "SELECT d.id, p.year, d.text FROM plenary_decision d JOIN plenary p ON p.id = d.plenary_id \
             WHERE d.status = 'open' AND p.year < ?1 ORDER BY p.year, d.id",
        )?;
        let rows = stmt.query_map([year], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for (id, y, text) in open {
        no += 1;
        let title = coop::carried_title(y, &text);
        tx.execute(
            "INSERT INTO plenary_agenda (plenary_id, no, title, source, decision_id) \
             VALUES (?1, ?2, ?3, 'decision', ?4)",
            params![plenary, no, title, id],
        )?;
    }
    Ok(())
}
