//! Case conferences, their participants, minutes and decisions, and the calendar of other
//! appointments. Who may see a conference follows its case (docs/domain.md 5.1): the case's
//! assigned staff, deputies and leads, plus the staff invited to it. The calendar used for
//! clash detection sees every appointment, but a conference of a case the viewer may not see
//! is only "Fallkonferenz" with its time: enough to know the person is busy, nothing more.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::audit::{AuditAction, AuditEntry, append_at};
use super::casefile::WriteNeeds;
use super::{StorageError, Store, berlin_day, parse_ts, ts};
use crate::domain::access::Relation;
use crate::domain::casefile::{Measure, MeasureStatus, Responsible};
use crate::domain::conference::{
    Attendance, ConferenceAction, ConferenceKind, ConferenceStatus, CoverageContext, DecisionDraft,
    Invitation, Participant, ParticipantRole, approval_problems, coverage, may_take, transition,
};
use crate::domain::refusal::Refusal;
use crate::domain::schedule::{Appointment, AppointmentKind, conference_appointment_id};
use crate::domain::{Agency, CaseId, Staff, StaffId, tz};
use crate::model::conference::{
    AgendaMeasure, ConferenceRow, MinutesInput, NewConference, ParticipantRow,
};

/// Audit object types.
pub mod object {
    /// A conference.
    pub const CONFERENCE: &str = "conference";
    /// An appointment.
    pub const APPOINTMENT: &str = "appointment";
}

/// Whether a conference start lies in the years the date input accepts
/// ([`crate::domain::datetime::MIN_YEAR`]..=[`crate::domain::datetime::MAX_YEAR`]).
fn date_in_range(start: NaiveDateTime) -> bool {
    use chrono::Datelike as _;
    (crate::domain::datetime::MIN_YEAR..=crate::domain::datetime::MAX_YEAR).contains(&start.year())
}

/// The reason written on a conference cancelled because its consent was revoked.
pub const CANCELLED_CONSENT_REVOKED: &str = "Einwilligung widerrufen";

/// Cancels, inside the revocation's transaction, every conference of `case` that is still
/// planned, is not "Nur anonymisiert" and is no longer covered by a consent in force on the
/// Berlin day of `now`, the revocation's instant (docs/access.md A5). Returns how many were
/// cancelled.
pub(crate) fn cancel_uncovered(
    tx: &Transaction<'_>,
    actor: &Staff,
    case: &crate::domain::CoopCase,
    now: DateTime<Utc>,
) -> Result<usize, StorageError> {
    let today = berlin_day(now);
    let at = ts(now);
    let planned: Vec<i64> = tx
        .prepare_cached(
            "SELECT id FROM conference WHERE case_id = ?1 AND anonymised = 0 \
             AND status IN ('requested', 'scheduled', 'invited') ORDER BY id",
        )?
        .query_map([case.id.0], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    if planned.is_empty() {
        return Ok(0);
    }
    let mut cancelled = 0;
    for id in planned {
        let participants: Vec<Participant> = participants_of(tx, id)?
            .into_iter()
            .map(|p| p.participant)
            .collect();
        if participants_covered(tx, case, &participants, today)? {
            continue;
        }
        tx.execute(
            "UPDATE conference SET status = 'cancelled', cancel_reason = ?2, sequence = sequence + 1, \
             updated_at = ?3, updated_by = ?4, version = version + 1 WHERE id = ?1",
            params![id, CANCELLED_CONSENT_REVOKED, at, actor.id.0],
        )?;
        append_at(
            tx,
            &AuditEntry::new(AuditAction::Update, object::CONFERENCE)
                .by(actor)
                .object(id)
                .detail(super::audit::detail::CONSENT_REVOKED),
            &at,
        )?;
        cancelled += 1;
    }
    Ok(cancelled)
}

/// Whether a consent of `case` in force on `day` covers every one of `participants` (the
/// guard of "Termin festlegen", docs/domain.md 4.2).
fn participants_covered(
    conn: &rusqlite::Connection,
    case: &crate::domain::CoopCase,
    participants: &[Participant],
    day: NaiveDate,
) -> Result<bool, StorageError> {
    let ctx = CoverageContext {
        own_agency: case.owner,
        today: day,
        birth: case.person.birth_date,
    };
    Ok(super::casefile::consents_of(conn, case.id)?
        .iter()
        .any(|c| coverage(participants, Some(c), &[], &ctx).is_complete()))
}

/// What a reader of a conference stands on (see `Store::conference_access`).
struct ConferenceAccess {
    case: crate::domain::CoopCase,
    relation: Relation,
    consents: Vec<crate::domain::consent::Consent>,
    today: NaiveDate,
}

pub(super) fn local_to_ts(local: NaiveDateTime) -> String {
    ts(tz::from_local(local))
}

const COLUMNS: &str = "c.id, c.case_id, c.kind, c.status, c.question, c.starts_at, c.duration_min, \
     c.location, c.anonymised, c.sequence, c.minutes, \
     (SELECT s.given_name || ' ' || s.surname FROM staff s WHERE s.id = c.approved_by), \
     (SELECT s.given_name || ' ' || s.surname FROM staff s WHERE s.id = c.approved_second), \
     c.cancel_reason, c.requested_by, c.version, \
     coalesce((SELECT s.given_name || ' ' || s.surname FROM staff s WHERE s.id = c.requested_by), ''), \
     coalesce((SELECT s.email FROM staff s WHERE s.id = c.requested_by), ''), c.requested_at";

fn map_row(r: &Row<'_>) -> rusqlite::Result<ConferenceRow> {
    let start: Option<String> = r.get(5)?;
    let a: Option<String> = r.get(11)?;
    let b: Option<String> = r.get(12)?;
    Ok(ConferenceRow {
        id: r.get(0)?,
        case_id: CaseId(r.get(1)?),
        person: String::new(),
        initials: String::new(),
        kind: ConferenceKind::from_code(&r.get::<_, String>(2)?).unwrap_or(ConferenceKind::First),
        status: ConferenceStatus::from_code(&r.get::<_, String>(3)?)
            .unwrap_or(ConferenceStatus::Requested),
        question: r.get(4)?,
        start: start.as_deref().and_then(parse_ts).map(tz::to_local),
        start_at: start.as_deref().and_then(parse_ts),
        duration_min: r.get(6)?,
        location: r.get(7)?,
        anonymised: r.get::<_, i64>(8)? == 1,
        participants: Vec::new(),
        sequence: r.get(9)?,
        minutes: r.get(10)?,
        approved: a.zip(b),
        reason: r.get(13)?,
        requested_by: StaffId(r.get(14)?),
        version: r.get(15)?,
        organizer: (r.get(16)?, r.get(17)?),
        requested_on: parse_ts(&r.get::<_, String>(18)?)
            .map(|t| tz::to_local(t).date())
            .unwrap_or_default(),
    })
}

/// The conflict error of conference `id`: who saved it last and when, for the message
/// at the step ("changed meanwhile by …, Berlin time").
/// An approval of conference `id` by `signer` was cleared by `me`'s change: the signer is
/// told at the next login (unless it is `me`), and the audit log says so at `at` (the
/// store's clock).
pub(crate) fn approval_cleared(
    tx: &Transaction<'_>,
    me: &Staff,
    id: i64,
    signer: Option<i64>,
    (now, at): (DateTime<Utc>, &str),
) -> Result<(), StorageError> {
    let Some(signer) = signer else {
        return Ok(());
    };
    if signer != me.id.0 {
        tx.execute(
            "INSERT INTO staff_notice (staff_id, kind, object_id, by_staff, at) \
             VALUES (?1, 'approval_cleared', ?2, ?3, ?4)",
            params![signer, id, me.id.0, ts(now)],
        )?;
    }
    append_at(
        tx,
        &AuditEntry::new(AuditAction::Update, object::CONFERENCE)
            .by(me)
            .object(id)
            .detail("approval_cleared"),
        at,
    )?;
    Ok(())
}

pub(crate) fn changed_meanwhile(
    conn: &rusqlite::Connection,
    id: i64,
) -> Result<StorageError, StorageError> {
    let (by, at) = conn
        .query_row(
            "SELECT (SELECT s.given_name || ' ' || s.surname FROM staff s WHERE s.id = c.updated_by), \
             c.updated_at FROM conference c WHERE c.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((None, None));
    Ok(StorageError::Conflict { by, at })
}

fn participants_of(
    conn: &rusqlite::Connection,
    id: i64,
) -> Result<Vec<ParticipantRow>, StorageError> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.staff_id, p.external_name, p.external_org, p.agency, p.role, p.invitation, \
         p.attendance, coalesce((SELECT s.given_name || ' ' || s.surname FROM staff s WHERE s.id = p.staff_id), ''), \
         coalesce((SELECT s.email FROM staff s WHERE s.id = p.staff_id), ''), p.guardian_id, \
         coalesce((SELECT g.do_not_contact FROM guardian g WHERE g.id = p.guardian_id), 0) \
         FROM conference_participant p WHERE p.conference_id = ?1 ORDER BY p.no",
    )?;
    let rows = stmt.query_map([id], |r| {
        let staff: Option<i64> = r.get(0)?;
        let ext: String = r.get(1)?;
        let name: String = r.get(7)?;
        Ok(ParticipantRow {
            participant: Participant {
                staff,
                external_name: ext.clone(),
                external_org: r.get(2)?,
                agency: r
                    .get::<_, Option<String>>(3)?
                    .and_then(|a| Agency::from_code(&a)),
                role: ParticipantRole::from_code(&r.get::<_, String>(4)?)
                    .unwrap_or(ParticipantRole::Other),
                invitation: Invitation::from_code(&r.get::<_, String>(5)?)
                    .unwrap_or(Invitation::Invited),
                attendance: r
                    .get::<_, Option<String>>(6)?
                    .and_then(|a| Attendance::from_code(&a)),
                guardian: r.get(9)?,
            },
            name: if staff.is_some() { name } else { ext },
            email: r.get(8)?,
            no_contact: r.get::<_, i64>(10)? == 1,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn insert_participants(
    tx: &Transaction<'_>,
    id: i64,
    participants: &[Participant],
) -> Result<(), StorageError> {
    tx.execute(
        "DELETE FROM conference_participant WHERE conference_id = ?1",
        [id],
    )?;
    for (no, p) in participants.iter().enumerate() {
        tx.execute(
            "INSERT INTO conference_participant (conference_id, no, staff_id, external_name, \
             external_org, agency, role, invitation, attendance, guardian_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                id,
                i64::try_from(no).unwrap_or(0),
                p.staff,
                p.external_name,
                p.external_org,
                p.agency.map(Agency::code),
                p.role.code(),
                p.invitation.code(),
                p.attendance.map(Attendance::code),
                p.guardian
            ],
        )?;
    }
    Ok(())
}

/// Initials "J. M." of a name.
fn initials_of(given: &str, surname: &str) -> String {
    crate::domain::ics::initials(given, surname)
}

impl Store {
    /// How `me` stands to the case of a conference, and the case (None: not visible).
    fn case_relation(
        &self,
        me: &Staff,
        case: CaseId,
    ) -> Result<Option<(crate::domain::CoopCase, Relation)>, StorageError> {
        let Some(c) = super::cases::load_case_unchecked(self.conn(), case)? else {
            return Ok(None);
        };
        let rel = super::casefile::relation_to(self.conn(), me, &c, self.now())?;
        Ok((rel != Relation::None).then_some((c, rel)))
    }

    /// How `me` stands to `case` ([`Relation::None`] when the case is not visible), so that
    /// the screen offers only the conference steps [`may_take`] allows.
    pub fn conference_relation(&self, me: &Staff, case: CaseId) -> Result<Relation, StorageError> {
        Ok(self
            .case_relation(me, case)?
            .map_or(Relation::None, |(_, rel)| rel))
    }

    /// Fills in the names the viewer may see and the participants.
    fn complete_row(
        &self,
        me: &Staff,
        mut row: ConferenceRow,
    ) -> Result<ConferenceRow, StorageError> {
        row.participants = participants_of(self.conn(), row.id)?;
        if let Some(c) = super::cases::load_case_unchecked(self.conn(), row.case_id)? {
            let now = self.now();
            let rel = super::casefile::relation_to(self.conn(), me, &c, now)?;
            if rel != Relation::None && !row.anonymised {
                let conn = self.conn();
                let transfers = super::casefile::transfers_of(conn, c.id)?;
                let consents = super::casefile::consents_of(conn, c.id)?;
                let today = berlin_day(now);
                let (case, hidden, _) =
                    super::casefile::redact(me, rel, c, &transfers, &consents, today);
                let p = &case.person;
                if !hidden.contains(&crate::domain::Field::Surname) {
                    row.person = format!("{}, {}", p.surname, p.given_names);
                    row.initials = initials_of(&p.given_names, &p.surname);
                }
            }
        }
        Ok(row)
    }

    /// Conferences `me` may see whose start lies in `from..=to` (local days), plus requested
    /// ones without a date, ordered by start.
    pub fn conferences_for(
        &self,
        me: &Staff,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ConferenceRow>, StorageError> {
        let lo = local_to_ts(from.and_hms_opt(0, 0, 0).unwrap_or_default());
        let hi = local_to_ts(
            to.succ_opt()
                .unwrap_or(to)
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default(),
        );
        let sql = format!(
            "SELECT {COLUMNS} FROM conference c WHERE (c.starts_at >= ?1 AND c.starts_at < ?2) \
             OR c.starts_at IS NULL ORDER BY c.starts_at IS NULL, c.starts_at, c.id"
        );
        let rows: Vec<ConferenceRow> = {
            let mut stmt = self.conn().prepare_cached(&sql)?;
            let rows = stmt.query_map(params![lo, hi], map_row)?;
            rows.collect::<Result<_, _>>()?
        };
        let mut out = Vec::new();
        for row in rows {
            if self.may_see_conference(me, &row)? {
                out.push(self.complete_row(me, row)?);
            }
        }
        Ok(out)
    }

    /// How `me` reads conference `row` (docs/access.md A4): the case, the relation to use
    /// for its records (a participant without a relation to the case reads like an
    /// assigned caseworker, for this conference only) and the consents of the case; None
    /// when the conference is not theirs to read.
    fn conference_access(
        &self,
        me: &Staff,
        row: &ConferenceRow,
    ) -> Result<Option<ConferenceAccess>, StorageError> {
        let conn = self.conn();
        let Some(case) = super::cases::load_case_unchecked(conn, row.case_id)? else {
            return Ok(None);
        };
        let now = self.now();
        let rel = super::casefile::relation_to(conn, me, &case, now)?;
        let participant = conn
            .prepare_cached(
                "SELECT 1 FROM conference_participant WHERE conference_id = ?1 AND staff_id = ?2",
            )?
            .query_row(params![row.id, me.id.0], |_| Ok(()))
            .optional()?
            .is_some();
        if rel == Relation::None && !(participant && me.may_see_cases()) {
            return Ok(None);
        }
        // A restricted case's conferences are read by the owning Stelle's lead alone, not
        // by participants (docs/access.md A12).
        if rel == Relation::None && super::casefile::is_restricted(conn, case.id)? {
            return Ok(None);
        }
        let consents = super::casefile::consents_of(conn, case.id)?;
        let today = berlin_day(now);
        let reader =
            super::casefile::Reader::new(me, rel, &consents, case.person.birth_date, today);
        if !reader.conference(case.owner, row.anonymised, participant) {
            return Ok(None);
        }
        let rel = if rel == Relation::None {
            Relation::Assigned
        } else {
            rel
        };
        Ok(Some(ConferenceAccess {
            case,
            relation: rel,
            consents,
            today,
        }))
    }

    /// Whether a consent of the conference's case in force on the day of `now` covers every
    /// participant (the guard of "Termin festlegen", docs/access.md A5).
    fn covered_today(&self, row: &ConferenceRow, now: DateTime<Utc>) -> Result<bool, StorageError> {
        let conn = self.conn();
        let Some(case) = super::cases::load_case_unchecked(conn, row.case_id)? else {
            return Ok(false);
        };
        let participants: Vec<Participant> = row
            .participants
            .iter()
            .map(|p| p.participant.clone())
            .collect();
        participants_covered(conn, &case, &participants, berlin_day(now))
    }

    fn may_see_conference(&self, me: &Staff, row: &ConferenceRow) -> Result<bool, StorageError> {
        Ok(self.conference_access(me, row)?.is_some())
    }

    /// Opens one conference for `me` to look at and logs it (docs/access.md A9): a `view`
    /// row, or `refused` when it does not exist or is not theirs to read.
    pub fn open_conference(&self, me: &Staff, id: i64) -> Result<ConferenceRow, StorageError> {
        let res = self.conference(me, id);
        let entry = match &res {
            Ok(_) => AuditEntry::new(AuditAction::View, object::CONFERENCE),
            Err(StorageError::NotFound) => {
                AuditEntry::new(AuditAction::Refused, object::CONFERENCE)
                    .detail(super::audit::detail::NOT_VISIBLE)
            }
            Err(_) => return res,
        };
        let at = ts(self.now());
        self.write(|tx| {
            append_at(tx, &entry.by(me).object(id), &at)?;
            Ok(())
        })?;
        res
    }

    /// One conference, or `NotFound` when `me` may not see it (docs/access.md A4).
    pub fn conference(&self, me: &Staff, id: i64) -> Result<ConferenceRow, StorageError> {
        let row = self
            .conn()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM conference c WHERE c.id = ?1"
            ))?
            .query_row([id], map_row)
            .optional()?
            .ok_or(StorageError::NotFound)?;
        if !self.may_see_conference(me, &row)? {
            return Err(StorageError::NotFound);
        }
        self.complete_row(me, row)
    }

    /// Every appointment overlapping `from..to` (local), for clash detection and the slot
    /// finder: conferences that block the calendar (titles without case data) and the
    /// other appointments with their attendees.
    pub fn calendar_between(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> Result<Vec<Appointment>, StorageError> {
        let lo = local_to_ts(from - Duration::hours(12));
        let hi = local_to_ts(to);
        let mut out = Vec::new();
        {
            let mut stmt = self.conn().prepare_cached(
                "SELECT c.id, c.starts_at, c.duration_min, c.location, c.status, \
                 (SELECT group_concat(p.staff_id) FROM conference_participant p \
                  WHERE p.conference_id = c.id AND p.staff_id IS NOT NULL) \
                 FROM conference c WHERE c.starts_at >= ?1 AND c.starts_at < ?2",
            )?;
            let rows = stmt.query_map(params![lo, hi], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })?;
            for row in rows {
                let (id, start, dur, location, status, staff) = row?;
                let status =
                    ConferenceStatus::from_code(&status).unwrap_or(ConferenceStatus::Requested);
                if !status.blocks_calendar() {
                    continue;
                }
                let Some(at) = parse_ts(&start) else {
                    continue;
                };
                let start = tz::to_local(at);
                out.push(Appointment {
                    id: conference_appointment_id(id),
                    kind: AppointmentKind::Conference,
                    title: String::new(),
                    start,
                    // Real time across the clock change (docs/domain.md 7.1).
                    end: tz::to_local(at + Duration::minutes(i64::from(dur))),
                    attendees: staff
                        .unwrap_or_default()
                        .split(',')
                        .filter_map(|x| x.parse().ok())
                        .collect(),
                    room: (!location.trim().is_empty()).then(|| location.trim().to_string()),
                });
            }
        }
        let mut stmt = self.conn().prepare_cached(
            "SELECT a.id, a.kind, a.title, a.starts_at, a.ends_at, a.room, \
             (SELECT group_concat(x.staff_id) FROM appointment_attendee x WHERE x.appointment_id = a.id) \
             FROM appointment a WHERE a.ends_at > ?1 AND a.starts_at < ?2",
        )?;
        let rows = stmt.query_map(params![lo, hi], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?;
        for row in rows {
            let (id, kind, title, start, end, room, staff) = row?;
            let (Some(start), Some(end)) = (parse_ts(&start), parse_ts(&end)) else {
                continue;
            };
            out.push(Appointment {
                id: format!("apt-{id}"),
                kind: AppointmentKind::from_code(&kind).unwrap_or(AppointmentKind::Other),
                title,
                start: tz::to_local(start),
                end: tz::to_local(end),
                attendees: staff
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|x| x.parse().ok())
                    .collect(),
                room,
            });
        }
        Ok(out)
    }

    /// Adds an appointment that is not a conference (team meeting, training, absence…).
    pub fn add_appointment(&self, a: &Appointment) -> Result<i64, StorageError> {
        let at = ts(self.now());
        self.write(|tx| {
            tx.execute(
                "INSERT INTO appointment (kind, title, starts_at, ends_at, room, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    a.kind.code(),
                    a.title,
                    local_to_ts(a.start),
                    local_to_ts(a.end),
                    a.room,
                    at
                ],
            )?;
            let id = tx.last_insert_rowid();
            for s in &a.attendees {
                tx.execute(
                    "INSERT OR IGNORE INTO appointment_attendee (appointment_id, staff_id) VALUES (?1, ?2)",
                    params![id, s],
                )?;
            }
            Ok(id)
        })
    }

    /// Creates a conference ("Konferenz beantragen", with a date also "Termin festlegen").
    /// Refused unless `me` works on the case, and unless the case's consent covers every
    /// participant and topic or the conference is "Nur anonymisiert".
    pub fn create_conference(
        &self,
        me: &Staff,
        c: &NewConference,
        today: NaiveDate,
    ) -> Result<i64, StorageError> {
        self.insert_conference(me, c, c.start.map(tz::from_local), today, None)
    }

    /// Plans a conference from the planning form: as [`Store::create_conference`], and the
    /// clash check is repeated inside the saving transaction. A clash of the people or the
    /// room that is not among `seen` (the keys of the clashes the form showed,
    /// [`crate::domain::schedule::Clash::key`]) refuses the save with
    /// [`Refusal::Clash`]: two people planning at the same moment cannot both book the same
    /// room or colleague unawares. `start` is the instant of `c.start` as the form resolved
    /// it: at the autumn clock change the wall-clock time alone does not say which of two
    /// (docs/domain.md 7.1); `None` takes `c.start` as [`Store::create_conference`] does.
    pub fn plan_conference(
        &self,
        me: &Staff,
        c: &NewConference,
        start: Option<DateTime<Utc>>,
        today: NaiveDate,
        seen: &std::collections::BTreeSet<String>,
    ) -> Result<i64, StorageError> {
        let start = start.or(c.start.map(tz::from_local));
        self.insert_conference(me, c, start, today, Some(seen))
    }

    fn insert_conference(
        &self,
        me: &Staff,
        c: &NewConference,
        start_at: Option<DateTime<Utc>>,
        today: NaiveDate,
        seen: Option<&std::collections::BTreeSet<String>>,
    ) -> Result<i64, StorageError> {
        let local = start_at.map(tz::to_local);
        let at = ts(self.now());
        let status = if start_at.is_some() {
            ConferenceStatus::Scheduled
        } else {
            ConferenceStatus::Requested
        };
        // Only the case's assigned caseworker or active deputy plans one (docs/access.md
        // A7), checked in the saving transaction.
        let target = (object::CONFERENCE, None);
        let case_id = c.case_id;
        let find = |_: &Transaction<'_>| Ok(Some(case_id));
        self.write_case(me, WriteNeeds::Worker, target, find, |tx, case, _| {
            if local.is_some_and(|s| !date_in_range(s)) {
                return Err(StorageError::Refused(Refusal::DateOutOfRange));
            }
            if !c.anonymised {
                let consents = super::casefile::consents_of(tx, c.case_id)?;
                let ctx = CoverageContext {
                    own_agency: case.owner,
                    today: local.map_or(today, |s| s.date()),
                    birth: case.person.birth_date,
                };
                let best = consents
                    .iter()
                    .map(|k| coverage(&c.participants, Some(k), &c.topics, &ctx))
                    .find(crate::domain::conference::Coverage::is_complete);
                if best.is_none() {
                    return Err(StorageError::Refused(Refusal::ConferenceNotCovered));
                }
            }
            if let (Some(seen), Some(start), Some(at)) = (seen, local, start_at) {
                // Read inside the write transaction: nobody can book in between.
                let end = tz::to_local(at + Duration::minutes(i64::from(c.duration_min)));
                let apps = self.calendar_between(start - Duration::days(1), end)?;
                let staff: Vec<i64> = c.participants.iter().filter_map(|p| p.staff).collect();
                let room = Some(c.location.trim()).filter(|r| !r.is_empty());
                let unseen = crate::domain::schedule::clashes(start, end, &staff, room, &apps, None)
                    .iter()
                    .any(|k| !seen.contains(&k.key()));
                if unseen {
                    return Err(StorageError::Refused(Refusal::Clash));
                }
            }
            tx.execute(
                "INSERT INTO conference (case_id, kind, status, question, requested_by, requested_at, \
                 starts_at, duration_min, location, anonymised, created_at, updated_at, updated_by) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?6, ?6, ?5)",
                params![
                    c.case_id.0,
                    c.kind.code(),
                    status.code(),
                    crate::domain::text::sanitize(c.question.trim(), true),
                    me.id.0,
                    at,
                    start_at.map(ts),
                    c.duration_min,
                    crate::domain::text::sanitize(c.location.trim(), false),
                    i64::from(c.anonymised)
                ],
            )?;
            let id = tx.last_insert_rowid();
            insert_participants(tx, id, &c.participants)?;
            append_at(
                tx,
                &AuditEntry::new(AuditAction::Create, object::CONFERENCE)
                    .by(me)
                    .object(id), &at,
            )?;
            Ok(id)
        })
    }

    /// A step of the conference's state machine (docs/domain.md 4.2). `start` is the new date for
    /// "Termin festlegen"/"Vertagen", `reason` the reason for "Absagen"/"Vertagen".
    #[expect(clippy::too_many_arguments, reason = "one frame for every step")]
    pub fn conference_step(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        action: ConferenceAction,
        start: Option<NaiveDateTime>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let start = start.map(tz::from_local);
        self.conference_step_at(me, id, version, action, start, reason, now)
    }

    /// As [`Store::conference_step`], with the new date as an instant: the one the viewer
    /// chose where the clock change makes a wall-clock time occur twice (docs/domain.md 7.1).
    #[expect(clippy::too_many_arguments, reason = "one frame for every step")]
    pub fn conference_step_at(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        action: ConferenceAction,
        start_at: Option<DateTime<Utc>>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let start = start_at.map(tz::to_local);
        // A team lead reads the agency's cases; of the steps only "Absagen" is theirs
        // (docs/access.md A7), checked in the saving transaction.
        let needs = if may_take(Relation::Lead, action) {
            WriteNeeds::WorkerOrLead
        } else {
            WriteNeeds::Worker
        };
        let target = (object::CONFERENCE, Some(id));
        let find = |tx: &Transaction<'_>| super::casefile::case_of_record(tx, "conference", id);
        self.write_case(me, needs, target, find, |tx, _, _| {
            let row = self.conference(me, id)?;
            if start.is_some_and(|s| !date_in_range(s)) {
                return Err(StorageError::Refused(Refusal::DateOutOfRange));
            }
            let mut next = transition(row.status, action)
                .map_err(|_| StorageError::Refused(Refusal::ConferenceWrongState))?;
            // Planning, inviting and holding need a consent in force that covers every
            // participant, as on the day it was first planned (docs/access.md A5): an expired
            // or revoked consent stops the conference until one covers it again.
            let needs_basis = matches!(
                action,
                ConferenceAction::Schedule
                    | ConferenceAction::Postpone
                    | ConferenceAction::Invite
                    | ConferenceAction::MarkHeld
            );
            if needs_basis && !row.anonymised && !self.covered_today(&row, now)? {
                return Err(StorageError::Refused(Refusal::ConferenceNotCovered));
            }
            let reason = crate::domain::text::sanitize(reason.trim(), false);
            match action {
                ConferenceAction::Schedule if start.is_none() => {
                    return Err(StorageError::Refused(Refusal::DateNeeded));
                }
                // "Vertagt" without a new date is a resting state; then the reason is what
                // the participants are told (docs/casework.md § 4).
                ConferenceAction::Postpone if start.is_none() && reason.is_empty() => {
                    return Err(StorageError::Refused(Refusal::ReasonNeeded));
                }
                ConferenceAction::Cancel if reason.is_empty() => {
                    return Err(StorageError::Refused(Refusal::ReasonNeeded));
                }
                ConferenceAction::MarkHeld if row.start.is_none_or(|s| s > tz::to_local(now)) => {
                    return Err(StorageError::Refused(Refusal::NotYet));
                }
                _ => {}
            }
            // "Vertagen" with a new date goes straight back to "Terminiert".
            if action == ConferenceAction::Postpone && start.is_some() {
                next = ConferenceStatus::Scheduled;
            }
            let new_start = start_at.or(row.start_at);
            let bump = matches!(
                action,
                ConferenceAction::Schedule | ConferenceAction::Postpone | ConferenceAction::Cancel
            );
            let at = ts(self.now());
            let n = tx.execute(
                "UPDATE conference SET status = ?3, starts_at = ?4, cancel_reason = ?5, \
                 sequence = sequence + ?6, updated_at = ?7, updated_by = ?8, version = version + 1 \
                 WHERE id = ?1 AND version = ?2",
                params![
                    id,
                    version,
                    next.code(),
                    new_start.map(ts),
                    if reason.is_empty() { row.reason.clone() } else { reason.clone() },
                    i64::from(bump),
                    ts(now),
                    me.id.0
                ],
            )?;
            if n == 0 {
                return Err(changed_meanwhile(tx, id)?);
            }
            if action == ConferenceAction::MarkHeld {
                // Staff who were invited and did not decline are recorded as present.
                tx.execute(
                    "UPDATE conference_participant SET attendance = CASE WHEN invitation = 'declined' \
                     THEN 'excused' ELSE 'present' END WHERE conference_id = ?1 AND attendance IS NULL",
                    [id],
                )?;
            }
            append_at(
                tx,
                &AuditEntry::new(AuditAction::Update, object::CONFERENCE)
                    .by(me)
                    .object(id)
                    .version(version + 1)
                    .detail(action.code()), &at,
            )?;
            Ok(())
        })
    }

    /// Records invitation answers and attendance per participant (in participant order).
    pub fn set_participation(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        answers: &[(Invitation, Option<Attendance>)],
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let target = (object::CONFERENCE, Some(id));
        let find = |tx: &Transaction<'_>| super::casefile::case_of_record(tx, "conference", id);
        self.write_case(me, WriteNeeds::Worker, target, find, |tx, _, _| {
            let row = self.conference(me, id)?;
            if row.status == ConferenceStatus::MinutesApproved {
                return Err(StorageError::Refused(Refusal::ConferenceWrongState));
            }
            let at = ts(self.now());
            let n = tx.execute(
                "UPDATE conference SET updated_at = ?3, updated_by = ?4, version = version + 1 \
                 WHERE id = ?1 AND version = ?2",
                params![id, version, ts(now), me.id.0],
            )?;
            if n == 0 {
                return Err(changed_meanwhile(tx, id)?);
            }
            for (no, (inv, att)) in answers.iter().enumerate() {
                tx.execute(
                    "UPDATE conference_participant SET invitation = ?3, attendance = ?4 \
                     WHERE conference_id = ?1 AND no = ?2",
                    params![
                        id,
                        i64::try_from(no).unwrap_or(0),
                        inv.code(),
                        att.map(Attendance::code)
                    ],
                )?;
            }
            append_at(
                tx,
                &AuditEntry::new(AuditAction::Update, object::CONFERENCE)
                    .by(me)
                    .object(id)
                    .version(version + 1)
                    .detail("participation"),
                &at,
            )?;
            Ok(())
        })
    }

    /// Writes the minutes and turns each decision into an open measure of the case, linked
    /// to this conference ("Protokoll beginnen" / saving the draft).
    pub fn save_minutes(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        text: &str,
        decisions: &[DecisionDraft],
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let input = MinutesInput {
            text,
            decisions,
            ..MinutesInput::default()
        };
        self.save_structured_minutes(me, id, version, &input, now)
    }

    /// Writes the minutes with their structure (docs/casework.md § 4): the agenda items
    /// with their minutes (stored with their titles, so the proposed agenda becomes the
    /// conference's), a decision per item, the situation per life area and the
    /// plain-language summary; then as [`Store::save_minutes`].
    pub fn save_structured_minutes(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        input: &MinutesInput<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let MinutesInput {
            text,
            decisions,
            items,
            item_decisions,
            areas,
            plain_summary,
        } = *input;
        let target = (object::CONFERENCE, Some(id));
        let find = |tx: &Transaction<'_>| super::casefile::case_of_record(tx, "conference", id);
        self.write_case(me, WriteNeeds::Worker, target, find, |tx, _, _| {
            let row = self.conference(me, id)?;
            if !matches!(
                row.status,
                ConferenceStatus::Held | ConferenceStatus::MinutesDraft
            ) {
                return Err(StorageError::Refused(Refusal::ConferenceWrongState));
            }
            let held_on = row
                .start
                .map_or_else(|| tz::to_local(now).date(), |s| s.date());
            let all: Vec<DecisionDraft> = decisions
                .iter()
                .cloned()
                .chain(item_decisions.iter().map(|(_, d)| d.clone()))
                .collect();
            if !crate::domain::conference::decision_problems(&all, held_on).is_empty() {
                return Err(StorageError::Refused(Refusal::DecisionIncomplete));
            }
            if item_decisions
                .iter()
                .any(|(no, _)| !items.iter().any(|i| i.no == *no))
            {
                return Err(StorageError::Refused(Refusal::DecisionIncomplete));
            }
            let text = crate::domain::text::sanitize(text.trim(), true);
            let at = ts(self.now());
            // An approval covers the text its signer saw: a change clears it, and the signer
            // is told at their next login (docs/domain.md 4.2, four eyes).
            let approved: Option<i64> = tx
                .query_row(
                    "SELECT approved_by FROM conference WHERE id = ?1 AND version = ?2",
                    params![id, version],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            let n = tx.execute(
                "UPDATE conference SET status = 'minutes_draft', minutes = ?3, minutes_by = ?4, \
                 approved_by = NULL, approved_second = NULL, approved_at = NULL, \
                 updated_at = ?5, updated_by = ?4, version = version + 1 WHERE id = ?1 AND version = ?2",
                params![id, version, text, me.id.0, ts(now)],
            )?;
            if n == 0 {
                return Err(changed_meanwhile(tx, id)?);
            }
            approval_cleared(tx, me, id, approved, (now, &at))?;
            super::conf_minutes::write_structure(tx, id, items, areas, plain_summary)?;
            let tagged = decisions
                .iter()
                .map(|d| (None, d))
                .chain(item_decisions.iter().map(|(no, d)| (Some(*no), d)));
            for (agenda_no, d) in tagged {
                let (Some(resp), Some(due)) = (&d.responsible, d.due_on) else {
                    continue;
                };
                let (kind, agency, staff, name) = match resp {
                    Responsible::Staff(a, s) => ("staff", Some(a.code()), Some(s.0), String::new()),
                    Responsible::YoungPerson => ("young_person", None, None, String::new()),
                    Responsible::External(n) => ("external", None, None, n.clone()),
                };
                tx.execute(
                    "INSERT INTO measure (case_id, text, responsible_kind, responsible_agency, \
                     responsible_staff, responsible_name, due_on, status, result, created_at, \
                     updated_at, conference_id, owner_stelle, category, agenda_no) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', '', ?8, ?8, ?9, ?10, ?11, ?12)",
                    // A decision belongs to the minute taker's agency (docs/access.md A3).
                    params![
                        row.case_id.0,
                        crate::domain::text::sanitize(d.text.trim(), false),
                        kind,
                        agency,
                        staff,
                        name,
                        due.to_string(),
                        ts(now),
                        id,
                        me.agency.code(),
                        d.category.map(crate::domain::coop::MeasureCategory::code),
                        agenda_no
                    ],
                )?;
            }
            append_at(
                tx,
                &AuditEntry::new(AuditAction::Update, object::CONFERENCE)
                    .by(me)
                    .object(id)
                    .version(version + 1)
                    .detail("minutes"), &at,
            )?;
            Ok(())
        })
    }

    /// "Protokoll freigeben": the Fallführung's approval and a second one by a participant of
    /// the other agency (docs/domain.md 5.5). The first call records the first approval; the
    /// second, by a different person of the other agency who was present, approves.
    pub fn approve_minutes(
        &self,
        me: &Staff,
        id: i64,
        version: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let row = self.conference(me, id)?;
        if row.status != ConferenceStatus::MinutesDraft {
            return Err(StorageError::Refused(Refusal::ConferenceWrongState));
        }
        let first: Option<(i64, String)> = self
            .conn()
            .query_row(
                "SELECT c.approved_by, s.stelle FROM conference c JOIN staff s ON s.id = c.approved_by \
                 WHERE c.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let participants: Vec<Participant> = row
            .participants
            .iter()
            .map(|p| p.participant.clone())
            .collect();
        let at = ts(self.now());
        match first {
            None => {
                // The first approval is the case's own staff's (docs/access.md A7).
                let target = (object::CONFERENCE, Some(id));
                let find =
                    |tx: &Transaction<'_>| super::casefile::case_of_record(tx, "conference", id);
                self.write_case(me, WriteNeeds::Worker, target, find, |tx, _, _| {
                    let n = tx.execute(
                        "UPDATE conference SET approved_by = ?3, updated_at = ?4, updated_by = ?3, \
                         version = version + 1 WHERE id = ?1 AND version = ?2",
                        params![id, version, me.id.0, ts(now)],
                    )?;
                    if n == 0 {
                        return Err(changed_meanwhile(tx, id)?);
                    }
                    append_at(
                        tx,
                        &AuditEntry::new(AuditAction::Update, object::CONFERENCE)
                            .by(me)
                            .object(id)
                            .detail("approve_first"),
                        &at,
                    )?;
                    Ok(false)
                })
            }
            Some((first_id, agency)) => {
                let lead_agency = Agency::from_code(&agency).unwrap_or(Agency::Jobcenter);
                let problems = approval_problems(
                    (lead_agency, first_id),
                    Some((me.agency, me.id.0)),
                    &participants,
                );
                // Nobody writes a restricted case (docs/access.md A12).
                let restricted = super::casefile::is_restricted(self.conn(), row.case_id)?;
                if restricted || !problems.is_empty() {
                    // The four-eyes rule decides who may sign second (docs/access.md A7): a
                    // refusal is logged like the gate's.
                    let r = if restricted {
                        Refusal::Restricted
                    } else {
                        Refusal::SecondApproval
                    };
                    self.write(|tx| {
                        let entry = AuditEntry::new(AuditAction::Refused, object::CONFERENCE)
                            .by(me)
                            .object(id)
                            .detail(r.code());
                        append_at(tx, &entry, &at)?;
                        Ok(())
                    })?;
                    return Err(StorageError::Refused(r));
                }
                let done = self.write(|tx| {
                    // Again inside the write: a restriction committed since the check above
                    // wins (docs/access.md A7, A12).
                    if super::casefile::is_restricted(tx, row.case_id)? {
                        return Err(StorageError::Refused(Refusal::Restricted));
                    }
                    let n = tx.execute(
                        "UPDATE conference SET approved_second = ?3, approved_at = ?4, status = 'minutes_approved', \
                         updated_at = ?4, updated_by = ?3, version = version + 1 WHERE id = ?1 AND version = ?2",
                        params![id, version, me.id.0, ts(now)],
                    )?;
                    if n == 0 {
                        return Err(changed_meanwhile(tx, id)?);
                    }
                    append_at(
                        tx,
                        &AuditEntry::new(AuditAction::Update, object::CONFERENCE)
                            .by(me)
                            .object(id)
                            .detail("approve_second"), &at,
                    )?;
                    Ok(true)
                });
                match done {
                    Err(StorageError::Refused(r @ Refusal::Restricted)) => {
                        Err(self.refused_logged(me, object::CONFERENCE, Some(id), r))
                    }
                    other => other,
                }
            }
        }
    }

    /// The agenda of a conference: the open measures of its case agreed before it (they
    /// roll over until done), then the decisions of this conference.
    pub fn conference_agenda(
        &self,
        me: &Staff,
        id: i64,
    ) -> Result<(Vec<AgendaMeasure>, Vec<AgendaMeasure>), StorageError> {
        let row = self.conference(me, id)?;
        let access = self
            .conference_access(me, &row)?
            .ok_or(StorageError::NotFound)?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, conference_id, status FROM measure WHERE case_id = ?1 ORDER BY due_on, id",
        )?;
        let links: Vec<(i64, Option<i64>, String)> = stmt
            .query_map([row.case_id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        // Only the measures the reader may see (docs/access.md A4).
        let reader = super::casefile::Reader::new(
            me,
            access.relation,
            &access.consents,
            access.case.person.birth_date,
            access.today,
        );
        let measures: Vec<Measure> = self
            .measures_owned(row.case_id)?
            .into_iter()
            .filter(|(_, owner)| reader.measure(*owner))
            .map(|(m, _)| m)
            .collect();
        let agenda_nos: std::collections::HashMap<i64, Option<u32>> = self
            .conn()
            .prepare_cached("SELECT id, agenda_no FROM measure WHERE case_id = ?1")?
            .query_map([row.case_id.0], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut carried = Vec::new();
        let mut decided = Vec::new();
        for m in measures {
            let item_id = m.id;
            let Some((_, conf, _)) = links.iter().find(|(mid, _, _)| *mid == m.id) else {
                continue;
            };
            let item = AgendaMeasure {
                conference_id: *conf,
                measure: m,
                agenda_no: agenda_nos.get(&item_id).copied().flatten(),
            };
            if *conf == Some(id) {
                decided.push(item);
            } else if !item.measure.status.is_final() && conf.is_none_or(|c| c < id) {
                carried.push(item);
            }
        }
        Ok((carried, decided))
    }

    /// Sets a measure's status ("Erledigt", …) as the responsible person or the case's staff;
    /// the case file and every conference agenda read the same row.
    pub fn set_measure_status(
        &self,
        me: &Staff,
        measure: i64,
        status: MeasureStatus,
        result: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let result = crate::domain::text::sanitize(result.trim(), false);
        if matches!(status, MeasureStatus::NotDone | MeasureStatus::Dropped) && result.is_empty() {
            return Err(StorageError::Refused(Refusal::ReasonNeeded));
        }
        let at = ts(self.now());
        // The case's assigned caseworker or active deputy (docs/access.md A7), checked in the
        // saving transaction against the measure's case as stored.
        let target = (super::audit::object::MEASURE, Some(measure));
        let find = |tx: &Transaction<'_>| super::casefile::case_of_record(tx, "measure", measure);
        self.write_case(me, WriteNeeds::Worker, target, find, |tx, _, _| {
            tx.execute(
                "UPDATE measure SET status = ?2, result = ?3, updated_at = ?4, version = version + 1 \
                 WHERE id = ?1",
                params![measure, status.code(), result, ts(now)],
            )?;
            append_at(
                tx,
                &AuditEntry::new(AuditAction::Update, super::audit::object::MEASURE)
                    .by(me)
                    .object(measure)
                    .detail(status.code()), &at,
            )?;
            Ok(())
        })
    }

    /// Records an export of conferences in the audit log.
    pub fn log_conference_export(&self, me: &Staff, ids: &[i64]) -> Result<(), StorageError> {
        let at = ts(self.now());
        self.write(|tx| {
            for id in ids {
                append_at(
                    tx,
                    &AuditEntry::new(AuditAction::Export, object::CONFERENCE)
                        .by(me)
                        .object(*id)
                        .detail("ics"),
                    &at,
                )?;
            }
            Ok(())
        })
    }

    /// Logs a refused export of conference `id` (it does not exist, or `me` may not read
    /// it; docs/access.md A9).
    pub fn log_export_refused(&self, me: &Staff, id: i64) -> Result<(), StorageError> {
        let at = ts(self.now());
        self.write(|tx| {
            append_at(
                tx,
                &AuditEntry::new(AuditAction::Refused, object::CONFERENCE)
                    .by(me)
                    .object(id)
                    .detail(super::audit::detail::NOT_VISIBLE),
                &at,
            )?;
            Ok(())
        })
    }
}
