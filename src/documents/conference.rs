//! The documents of a case conference (docs/documents.md § 3): the minutes ("Protokoll der
//! Fallkonferenz": participants, agenda items with their minutes and decisions, the
//! situation per life area, the plain-language summary, the approval marks and addenda),
//! and the letter to the young person in plain language about the conference and what was
//! agreed. Both are built from the conference as the printing person sees it in the detail
//! (the store has cut it already, docs/access.md).

use chrono::NaiveDateTime;

use super::{Block, Doc, clean};
use crate::domain::casefile::{MeasureStatus, Responsible};
use crate::domain::conference::{ConferenceStatus, ParticipantRole};
use crate::domain::date::format_german_date;
use crate::domain::staff::Staff;
use crate::domain::text::sanitize;
use crate::model::conference::{AgendaMeasure, ConferenceRow, MinutesView};
use crate::strings::Strings;

/// What the conference documents are made from: the detail as the conference screen holds it.
#[derive(Debug, Clone, Copy)]
pub struct ConferenceDoc<'a> {
    /// The conference.
    pub row: &'a ConferenceRow,
    /// Open measures carried into its agenda.
    pub carried: &'a [AgendaMeasure],
    /// Its decisions.
    pub decisions: &'a [AgendaMeasure],
    /// Its structured minutes.
    pub minutes: &'a MinutesView,
    /// Staff, for the names of those responsible.
    pub staff: &'a [Staff],
}

/// The weekdays, Monday first.
const WEEKDAYS: [&str; 7] = [
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
];

/// "Dienstag, 01.12.2026, 10:30–12:00 Uhr", or "noch kein Termin".
fn when(row: &ConferenceRow) -> String {
    use chrono::Datelike as _;
    match (row.start, row.end()) {
        (Some(a), Some(b)) => format!(
            "{}, {}, {}–{} Uhr",
            WEEKDAYS[a.weekday().num_days_from_monday() as usize],
            format_german_date(a.date()),
            a.format("%H:%M"),
            b.format("%H:%M")
        ),
        _ => "noch kein Termin".to_string(),
    }
}

/// The participant's role in German (the document language).
fn role(r: ParticipantRole) -> &'static str {
    match r {
        ParticipantRole::YoungPerson => "Junge Person",
        ParticipantRole::CustodyHolder => "Sorgeberechtigte/r",
        ParticipantRole::Pap => "pAp (Jobcenter)",
        ParticipantRole::CaseManager => "Fallmanagement",
        ParticipantRole::Asd => "ASD-Fachkraft",
        ParticipantRole::YouthVocational => "Jugendberufshilfe",
        ParticipantRole::Provider => "Träger",
        ParticipantRole::School => "Schule",
        ParticipantRole::Therapist => "Therapeut/in",
        ParticipantRole::Interpreter => "Dolmetscher/in",
        ParticipantRole::Other => "Sonstige",
    }
}

/// Who is responsible for a measure, in words.
fn responsible(s: &Strings, r: &Responsible, staff: &[Staff]) -> String {
    match r {
        Responsible::Staff(agency, id) => staff.iter().find(|m| m.id == *id).map_or_else(
            || (s.agency)(*agency).to_string(),
            |m| {
                format!(
                    "{}, {}",
                    sanitize(&m.display_name(), false),
                    (s.agency)(*agency)
                )
            },
        ),
        Responsible::YoungPerson => "Sie selbst".to_string(),
        Responsible::External(name) => clean(name),
    }
}

/// "text · verantwortlich: … · fällig am …" of one measure, for the minutes.
fn measure_line(s: &Strings, m: &AgendaMeasure, staff: &[Staff]) -> String {
    format!(
        "{} [{}] · verantwortlich: {} · fällig am {}",
        clean(&m.measure.text),
        (s.conf.measure_status)(m.measure.status),
        responsible(s, &m.measure.responsible, staff),
        format_german_date(m.measure.due_on)
    )
}

/// Paragraphs of a multi-line text.
fn paras(text: &str) -> impl Iterator<Item = Block> + '_ {
    text.split('\n')
        .filter(|l| !l.trim().is_empty())
        .map(|l| Block::Para(clean(l)))
}

/// The minutes of the conference.
pub fn minutes(s: &Strings, c: ConferenceDoc<'_>, author: &str, made_at: NaiveDateTime) -> Doc {
    let row = c.row;
    let person = if row.anonymised {
        s.conf.anonymised.to_string()
    } else {
        clean(&row.person)
    };
    let mut blocks = vec![
        Block::Field(
            "Fall".to_string(),
            format!("Nr. {} · {person}", row.case_id.0),
        ),
        Block::Field(
            "Art".to_string(),
            format!(
                "{} · {}",
                (s.conf.kind)(row.kind),
                (s.conf.status)(row.status)
            ),
        ),
        Block::Field("Termin".to_string(), when(row)),
        Block::Field("Ort".to_string(), clean(&row.location)),
        Block::Field("Anlass".to_string(), clean(&row.question)),
    ];
    if !row.reason.trim().is_empty() {
        blocks.push(Block::Field("Begründung".to_string(), clean(&row.reason)));
    }
    blocks.push(Block::Heading("Teilnehmende".to_string()));
    for p in &row.participants {
        let name = if p.participant.role == ParticipantRole::YoungPerson {
            s.conf.young_person.to_string()
        } else {
            clean(&p.name)
        };
        let state = if p.no_contact && p.participant.attendance.is_none() {
            s.casework.no_invitation
        } else {
            p.participant.attendance.map_or_else(
                || (s.conf.invitation)(p.participant.invitation),
                |a| (s.conf.attendance)(a),
            )
        };
        blocks.push(Block::Item(
            if p.participant.role == ParticipantRole::YoungPerson {
                format!("{name} · {state}")
            } else {
                format!("{name} · {} · {state}", role(p.participant.role))
            },
        ));
    }
    if !c.carried.is_empty() {
        blocks.push(Block::Heading(
            "Offene Vereinbarungen zu Beginn".to_string(),
        ));
        for m in c.carried {
            blocks.push(Block::Item(measure_line(s, m, c.staff)));
        }
    }
    let m = c.minutes;
    if m.stored {
        blocks.push(Block::Heading("Tagesordnung und Protokoll".to_string()));
        for item in &m.items {
            blocks.push(Block::Subheading(format!(
                "TOP {}: {}",
                item.no,
                clean(&item.title)
            )));
            blocks.extend(paras(&item.minutes));
            for d in c.decisions.iter().filter(|d| d.agenda_no == Some(item.no)) {
                blocks.push(Block::Item(format!(
                    "Beschluss: {}",
                    measure_line(s, d, c.staff)
                )));
            }
        }
    }
    let loose: Vec<&AgendaMeasure> = c
        .decisions
        .iter()
        .filter(|d| {
            d.agenda_no
                .is_none_or(|n| !m.items.iter().any(|i| i.no == n) || !m.stored)
        })
        .collect();
    if !loose.is_empty() {
        blocks.push(Block::Heading("Beschlüsse".to_string()));
        for d in loose {
            blocks.push(Block::Item(measure_line(s, d, c.staff)));
        }
    }
    if !m.areas.is_empty() {
        blocks.push(Block::Heading(s.casework.areas_heading.to_string()));
        for (a, t) in &m.areas {
            blocks.push(Block::Field((s.casework.area)(*a).to_string(), clean(t)));
        }
    }
    if !row.minutes.trim().is_empty() {
        blocks.push(Block::Heading("Weitere Notizen".to_string()));
        blocks.extend(paras(&row.minutes));
    }
    if !m.plain_summary.trim().is_empty() {
        blocks.push(Block::Heading(s.casework.summary.to_string()));
        blocks.extend(paras(&m.plain_summary));
    }
    blocks.push(Block::Heading("Freigabe".to_string()));
    blocks.push(Block::Para(match &row.approved {
        Some((a, b)) => format!("Freigegeben von {} und {}.", clean(a), clean(b)),
        None if row.status == ConferenceStatus::MinutesApproved => "Freigegeben.".to_string(),
        None => "Entwurf – noch nicht von beiden Stellen freigegeben.".to_string(),
    }));
    if !m.addenda.is_empty() {
        blocks.push(Block::Heading(s.casework.addenda_heading.to_string()));
        for a in &m.addenda {
            let at = a.written.1.format("%d.%m.%Y %H:%M").to_string();
            blocks.push(Block::Para((s.casework.addendum_line)(
                &clean(&a.written.0),
                &at,
                a.approved_by.as_deref(),
                a.approved_second.as_deref(),
            )));
            blocks.extend(paras(&a.text));
        }
    }
    Doc {
        title: "Protokoll der Fallkonferenz".to_string(),
        lang: "de",
        author: author.to_string(),
        made_at,
        blocks,
    }
}

/// The letter to the young person in plain language: when and where the conference is (or
/// was), who takes part from the two offices, what was agreed and who does it by when, the
/// summary written for them, and whom to ask. Short sentences, one thought each; no
/// abbreviations, no paragraphs of law. Other people's names (custody holders, outside
/// participants, outside people responsible for an agreement) stay out: the letter may be
/// read by others in the household. None when there is nothing to write: an anonymised
/// conference, one without a coming date, postponed or cancelled.
pub fn letter(
    s: &Strings,
    c: ConferenceDoc<'_>,
    sender: &Staff,
    made_at: NaiveDateTime,
) -> Option<Doc> {
    let row = c.row;
    if row.anonymised {
        return None;
    }
    // "Surname, Given names" → "Given names Surname".
    let person = sanitize(row.person.trim(), false);
    let addressed = match person.split_once(", ") {
        Some((surname, given)) => format!(" {given} {surname}"),
        None if person.is_empty() => String::new(),
        None => format!(" {person}"),
    };
    // An invitation for a coming conference with its date, a review of one held; for a
    // conference without a date, postponed or cancelled there is nothing to write.
    let upcoming = match row.status {
        ConferenceStatus::Scheduled | ConferenceStatus::Invited
            if row.start.is_some_and(|t| t >= made_at) =>
        {
            true
        }
        ConferenceStatus::Held
        | ConferenceStatus::MinutesDraft
        | ConferenceStatus::MinutesApproved => false,
        _ => return None,
    };
    let mut blocks = vec![Block::Para(format!("Guten Tag{addressed},"))];
    if upcoming {
        blocks.push(Block::Para(
            "wir laden Sie zu einem Gespräch ein. Das Jobcenter und das Jugendamt sind dabei. \
             Wir wollen mit Ihnen zusammen planen, wie es für Sie weitergeht."
                .to_string(),
        ));
        blocks.push(Block::Heading("Wann und wo?".to_string()));
        blocks.push(Block::Field("Wann".to_string(), when(row)));
        blocks.push(Block::Field("Wo".to_string(), clean(&row.location)));
        blocks.push(Block::Para(
            "Sie können nicht kommen? Dann sagen Sie uns bitte vorher Bescheid. Wir suchen \
             dann einen neuen Termin."
                .to_string(),
        ));
    } else {
        blocks.push(Block::Para(format!(
            "wir haben am {} mit Ihnen gesprochen. Das Jobcenter und das Jugendamt waren \
             dabei. Hier steht, was wir besprochen haben.",
            row.start
                .map_or_else(|| "–".to_string(), |t| format_german_date(t.date()))
        )));
    }
    let staff: Vec<String> = row
        .participants
        .iter()
        .filter(|p| p.participant.staff.is_some())
        // Afterwards: who was there.
        .filter(|p| {
            upcoming
                || p.participant.attendance == Some(crate::domain::conference::Attendance::Present)
        })
        .map(|p| {
            let agency = p.participant.agency.map_or("", |a| (s.agency)(a));
            format!("{} ({agency})", clean(&p.name))
        })
        .collect();
    if !staff.is_empty() {
        blocks.push(Block::Heading(if upcoming {
            "Wer ist dabei?".to_string()
        } else {
            "Wer war dabei?".to_string()
        }));
        blocks.push(Block::Item("Sie selbst".to_string()));
        blocks.extend(staff.into_iter().map(Block::Item));
    }
    let agreed: Vec<&AgendaMeasure> = c
        .decisions
        .iter()
        .chain(c.carried)
        .filter(|m| {
            matches!(
                m.measure.status,
                MeasureStatus::Open | MeasureStatus::InProgress
            )
        })
        .collect();
    if !agreed.is_empty() {
        blocks.push(Block::Heading("Was haben wir vereinbart?".to_string()));
        for m in agreed {
            // Outside people are not named in a letter others may read.
            let who = match &m.measure.responsible {
                Responsible::External(_) => "eine andere Stelle".to_string(),
                other => responsible(s, other, c.staff),
            };
            blocks.push(Block::Item(format!(
                "{}. Wer macht das? {who}. Bis wann? Bis zum {}.",
                clean(&m.measure.text).trim_end_matches('.'),
                format_german_date(m.measure.due_on)
            )));
        }
    }
    if !c.minutes.plain_summary.trim().is_empty() {
        blocks.push(Block::Heading("Das Wichtigste in Kürze".to_string()));
        blocks.extend(paras(&c.minutes.plain_summary));
    }
    // The sender's office e-mail, when they take part (staff rows carry it).
    let email = row
        .participants
        .iter()
        .find(|p| p.participant.staff == Some(sender.id.0))
        .map(|p| sanitize(p.email.trim(), false))
        .filter(|e| !e.is_empty());
    blocks.push(Block::Heading("Sie haben Fragen?".to_string()));
    blocks.push(Block::Para(format!(
        "Dann melden Sie sich bei mir: {}, {}{}.",
        sanitize(&sender.display_name(), false),
        (s.agency)(sender.agency),
        email.map_or_else(String::new, |e| format!(", E-Mail {e}"))
    )));
    blocks.push(Block::Para("Mit freundlichen Grüßen".to_string()));
    blocks.push(Block::Para(sanitize(&sender.display_name(), false)));
    Some(Doc {
        title: if upcoming {
            "Einladung zum Gespräch".to_string()
        } else {
            "Was wir besprochen haben".to_string()
        },
        lang: "de",
        author: format!(
            "{}, {}",
            sanitize(&sender.display_name(), false),
            (s.agency)(sender.agency)
        ),
        made_at,
        blocks,
    })
}
