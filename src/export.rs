//! Calendar export of conferences (`tandem export ics`): one conference as an invitation
//! (METHOD:REQUEST) or a cancellation (METHOD:CANCEL), or every conference the viewer may
//! see in a window as a feed (METHOD:PUBLISH).
//!
//! A calendar file leaves Tandem, so it carries no personal data beyond what the recipient
//! may see anyway: the young person by initials only (and only when the viewer may see the
//! name at all), the case number, the kind, time and place, and the staff taking part. No
//! question text, no minutes, no names of young people. Every export is written to the audit
//! log with the ids of the conferences it contains.
//!
//! May use: `domain`, `storage`.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::conference::{ConferenceKind, ConferenceStatus, Invitation};
use crate::domain::date::format_german_date;
pub use crate::domain::ics::IcsTitles;
use crate::domain::ics::{
    IcsAttendee, IcsEvent, IcsMethod, IcsStatus, PartStat, conference_uid, write_calendar,
};
use crate::domain::refusal::Refusal;
use crate::domain::{Staff, tz};
use crate::model::conference::ConferenceRow;
use crate::storage::{StorageError, Store};

/// PRODID of every calendar Tandem writes.
pub const PRODID: &str = "-//Tandem//Herten//DE";

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// One conference: an invitation or update (REQUEST), or a cancellation (CANCEL).
    One(i64),
    /// Every conference the viewer may see that starts on a day in `from..=to` (PUBLISH).
    Feed {
        /// First day (local).
        from: NaiveDate,
        /// Last day (local, inclusive).
        to: NaiveDate,
    },
}

/// An export: the calendar text and the conferences it contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The iCalendar object (CRLF line endings, folded lines).
    pub text: String,
    /// Ids of the exported conferences, in output order.
    pub ids: Vec<i64>,
}

/// German label of a conference kind, as used in calendar titles.
pub fn kind_label(kind: ConferenceKind) -> &'static str {
    match kind {
        ConferenceKind::First => "Erstkonferenz",
        ConferenceKind::FollowUp => "Folgekonferenz",
        ConferenceKind::Crisis => "Krisenkonferenz",
        ConferenceKind::Transition => "Übergangskonferenz",
    }
}

/// SUMMARY of a conference as `titles` says; an anonymised conference shows nothing of
/// the case either way.
pub fn summary(row: &ConferenceRow, titles: IcsTitles) -> String {
    let reference = format!("Tandem K-{}", row.id);
    if titles == IcsTitles::Neutral {
        return format!("Fallkonferenz · {reference}");
    }
    if row.anonymised {
        return format!("Fallkonferenz (anonymisiert) · {reference}");
    }
    let initials = row.initials.trim();
    let who = if initials.is_empty() {
        String::new()
    } else {
        format!(" – {initials}")
    };
    format!(
        "Fallkonferenz ({}){who} · {reference}",
        kind_label(row.kind)
    )
}

/// STATUS of a conference's event.
pub fn event_status(status: ConferenceStatus) -> IcsStatus {
    match status {
        ConferenceStatus::Cancelled => IcsStatus::Cancelled,
        ConferenceStatus::Requested | ConferenceStatus::Postponed => IcsStatus::Tentative,
        _ => IcsStatus::Confirmed,
    }
}

/// DESCRIPTION: a confidentiality note and the day the file was made; no name, not even
/// the staff member's own (the file may be forwarded or synced).
fn description(now: DateTime<Utc>) -> String {
    format!(
        "Vertraulich – Sozialdaten. Erstellt von Tandem am {}.",
        format_german_date(tz::to_local(now).date())
    )
}

/// How a custody holder appears among the attendees of a calendar file: by role only.
pub const CUSTODY_HOLDER: &str = "Sorgeberechtigte/r";

/// The event of one conference; `None` while it has no date.
fn event(
    row: &ConferenceRow,
    description: &str,
    now: DateTime<Utc>,
    (host, titles): (&str, IcsTitles),
) -> Option<IcsEvent> {
    let (start, end) = (row.start?, row.end()?);
    let second = (
        tz::is_second_of_twice(row.start_at?),
        tz::is_second_of_twice(row.end_at()?),
    );
    Some(IcsEvent {
        uid: conference_uid(row.id, host),
        sequence: row.sequence,
        status: event_status(row.status),
        start_local: start,
        end_local: end,
        second,
        summary: summary(row, titles),
        description: description.to_string(),
        location: row.location.clone(),
        // RFC 5546: a REQUEST and a CANCEL name their organizer, the person who asked for
        // the conference.
        organizer: Some(row.organizer.clone()),
        // Staff only, by name and office address, with the answer recorded in Tandem;
        // young people and external persons are not named in a file that leaves Tandem.
        // Custody holders are invited by their role, never by name; one marked "Kontakt
        // gefährdet" is not invited at all (docs/casework.md § 4).
        attendees: row
            .participants
            .iter()
            .filter(|p| {
                p.participant.staff.is_some() || (p.participant.guardian.is_some() && !p.no_contact)
            })
            .map(|p| IcsAttendee {
                name: if p.participant.staff.is_some() {
                    p.name.clone()
                } else {
                    CUSTODY_HOLDER.to_string()
                },
                email: Some(p.email.clone()).filter(|e| !e.is_empty()),
                partstat: match p.participant.invitation {
                    Invitation::Invited => PartStat::NeedsAction,
                    Invitation::Accepted => PartStat::Accepted,
                    Invitation::Declined => PartStat::Declined,
                },
            })
            .collect(),
        dtstamp_utc: now,
        categories: Vec::new(),
    })
}

/// Builds the calendar of `selection` as `me` may see it and logs the export. A single
/// conference `me` may not see is [`StorageError::NotFound`]; a date no calendar file can
/// hold (an end after the year 9999) is the refusal [`Refusal::DateOutOfRange`]. UIDs
/// are stable (`conf-<id>@<host>`), SEQUENCE follows the conference's changes.
pub fn conferences_ics(
    store: &Store,
    me: &Staff,
    selection: Selection,
    now: DateTime<Utc>,
    host: &str,
) -> Result<Export, StorageError> {
    let (method, rows) = match selection {
        Selection::One(id) => {
            let row = match store.conference(me, id) {
                Err(StorageError::NotFound) => {
                    // A refused export is logged like a refused read (docs/access.md A9).
                    store.log_export_refused(me, id)?;
                    return Err(StorageError::NotFound);
                }
                other => other?,
            };
            let method = if row.status == ConferenceStatus::Cancelled {
                IcsMethod::Cancel
            } else {
                IcsMethod::Request
            };
            (method, vec![row])
        }
        Selection::Feed { from, to } => (IcsMethod::Publish, store.conferences_for(me, from, to)?),
    };
    let description = description(now);
    let titles = store.ics_titles();
    let mut events = Vec::with_capacity(rows.len());
    let mut ids = Vec::with_capacity(rows.len());
    for row in &rows {
        if let Some(e) = event(row, &description, now, (host, titles)) {
            events.push(e);
            ids.push(row.id);
        }
    }
    // The feed also carries the cooperation's dates the person takes part in: plenary,
    // meetings, trainings, hospitations (docs/cooperation.md § 1). No case data in them.
    if let Selection::Feed { from, to } = selection {
        for a in store.coop_appointments_for(me, from, to)? {
            events.push(IcsEvent {
                uid: format!("apt-{}@{host}", a.id),
                sequence: u32::try_from(a.version.saturating_sub(1)).unwrap_or(0),
                status: IcsStatus::Confirmed,
                start_local: a.start,
                end_local: a.end,
                second: (false, false),
                summary: a.title,
                description: description.clone(),
                location: a.room,
                organizer: None,
                attendees: Vec::new(),
                dtstamp_utc: now,
                categories: vec!["Kooperation".to_string()],
            });
        }
    }
    // A date no calendar file can hold refuses the export (nothing is written or logged).
    let text = write_calendar(method, &events, PRODID).map_err(|e| {
        tracing::warn!(error = %e, "conference not exportable");
        StorageError::Refused(Refusal::DateOutOfRange)
    })?;
    store.log_conference_export(me, &ids)?;
    Ok(Export { text, ids })
}

/// The "Gemeinsamer Termin" of early-help request `id` as a calendar file (METHOD:PUBLISH,
/// docs/early-help.md § 8): the neutral title with the reference only, time, room, and
/// the two staff members; never the parent, the children or the concern. Logged as an
/// export; a request `me` may not read is [`StorageError::NotFound`], one without a booked
/// appointment [`Refusal::EarlyHelpWrongState`].
pub fn early_help_ics(
    store: &Store,
    me: &Staff,
    id: i64,
    now: DateTime<Utc>,
    host: &str,
) -> Result<String, StorageError> {
    let cal = crate::domain::calendar::WorkCalendar::default();
    let r = store.eh_request(
        me,
        id,
        &cal,
        &crate::domain::early_help::EhDeadlines::default(),
    )?;
    let Some((start, end, room)) = r.joint.clone() else {
        return Err(StorageError::Refused(Refusal::EarlyHelpWrongState));
    };
    let attendees = [r.requested_by.clone(), r.taken_by.clone()]
        .into_iter()
        .flatten()
        .map(|name| IcsAttendee {
            name,
            email: None,
            partstat: PartStat::Accepted,
        })
        .collect();
    let event = IcsEvent {
        uid: format!("eh-{id}@{host}"),
        sequence: u32::try_from(r.version.saturating_sub(1)).unwrap_or(0),
        status: IcsStatus::Confirmed,
        start_local: start,
        end_local: end,
        second: (false, false),
        summary: crate::storage::early_help::joint_title(id),
        description: description(now),
        location: room,
        organizer: None,
        attendees,
        dtstamp_utc: now,
        categories: vec!["Frühe Hilfen".to_string()],
    };
    let text = write_calendar(IcsMethod::Publish, &[event], PRODID)
        .map_err(|_| StorageError::Refused(Refusal::DateOutOfRange))?;
    store.eh_log_export(me, id)?;
    Ok(text)
}

/// Writes `bytes` to `target` (mode 0600) so that readers see either the old file or the
/// complete new one (`crate::files`).
pub fn write_private_atomically(target: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::files::replace_atomically(target, bytes, 0o600)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CaseId, StaffId};

    fn row() -> ConferenceRow {
        ConferenceRow {
            id: 7,
            case_id: CaseId(123),
            person: "Müller, Jana".into(),
            initials: "J. M.".into(),
            kind: ConferenceKind::First,
            status: ConferenceStatus::Scheduled,
            question: "Wohnungsnot nach Auszug".into(),
            start: None,
            start_at: None,
            duration_min: 90,
            location: "Raum 2.14".into(),
            anonymised: false,
            participants: Vec::new(),
            sequence: 0,
            minutes: String::new(),
            approved: None,
            reason: String::new(),
            requested_by: StaffId(1),
            organizer: ("Anna Brinkmann".into(), "brinkmann@example.org".into()),
            version: 1,
            requested_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default(),
        }
    }

    #[test]
    fn the_neutral_summary_names_nothing_of_the_case() {
        let mut r = row();
        assert_eq!(
            summary(&r, IcsTitles::Neutral),
            format!("Fallkonferenz · Tandem K-{}", r.id)
        );
        r.anonymised = true;
        assert_eq!(
            summary(&r, IcsTitles::Neutral),
            format!("Fallkonferenz · Tandem K-{}", r.id)
        );
    }

    #[test]
    fn the_initials_summary_shows_kind_and_initials_never_the_case_number() {
        let mut r = row();
        let s = summary(&r, IcsTitles::Initials);
        assert_eq!(
            s,
            format!("Fallkonferenz (Erstkonferenz) – J. M. · Tandem K-{}", r.id)
        );
        assert!(!s.contains("Müller") && !s.contains("Jana") && !s.contains("Fall 123"));
        r.initials = "  ".into();
        r.kind = ConferenceKind::Crisis;
        assert_eq!(
            summary(&r, IcsTitles::Initials),
            format!("Fallkonferenz (Krisenkonferenz) · Tandem K-{}", r.id)
        );
        r.anonymised = true;
        assert_eq!(
            summary(&r, IcsTitles::Initials),
            format!("Fallkonferenz (anonymisiert) · Tandem K-{}", r.id)
        );
    }

    #[test]
    fn kind_labels_and_statuses() {
        assert_eq!(kind_label(ConferenceKind::FollowUp), "Folgekonferenz");
        assert_eq!(
            event_status(ConferenceStatus::Cancelled),
            IcsStatus::Cancelled
        );
        for s in [ConferenceStatus::Requested, ConferenceStatus::Postponed] {
            assert_eq!(event_status(s), IcsStatus::Tentative);
        }
        for s in [
            ConferenceStatus::Scheduled,
            ConferenceStatus::Invited,
            ConferenceStatus::Held,
            ConferenceStatus::MinutesDraft,
            ConferenceStatus::MinutesApproved,
        ] {
            assert_eq!(event_status(s), IcsStatus::Confirmed);
        }
    }

    #[test]
    fn description_names_nobody() {
        let now = tz::from_local(
            NaiveDate::from_ymd_opt(2026, 11, 25)
                .and_then(|d| d.and_hms_opt(0, 30, 0))
                .expect("valid"),
        );
        let mut r = row();
        r.start = NaiveDate::from_ymd_opt(2026, 12, 3).and_then(|d| d.and_hms_opt(10, 0, 0));
        r.start_at = r.start.map(tz::from_local);
        let e = event(
            &r,
            &description(now),
            now,
            ("tandem.example", IcsTitles::Neutral),
        )
        .expect("dated");
        assert_eq!(
            e.description,
            "Vertraulich – Sozialdaten. Erstellt von Tandem am 25.11.2026."
        );
        assert_eq!(e.uid, "conf-7@tandem.example");
        assert!(!e.description.contains("Wohnung"));
        r.start = None;
        assert!(event(&r, "", now, ("h", IcsTitles::Neutral)).is_none());
    }
}
