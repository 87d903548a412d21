//! Demo conferences and the shared calendar (docs/domain.md 8): conferences for about sixty cases
//! over the last twelve months and the next six weeks (1–3 per case, the young person present
//! in about three of four, a few Krisenkonferenzen, some postponed or cancelled; past ones
//! held with minutes and 2–4 agreed measures, most of them approved by both agencies), and
//! the other appointments: weekly team meetings of each agency, trainings, leave and one
//! plenary. Frau Brinkmann (the demo user) has several upcoming conferences; one next week
//! at 10:00 with Frau Hegemann shows a clash when another meeting is planned for either.
//!
//! Everything is written through the store's own steps, as the case's assigned staff, and
//! placed with the slot finder so that nobody is booked twice. Deterministic for `today`.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};

use super::SplitMix64;
use crate::domain::calendar::WorkCalendar;
use crate::domain::casefile::{MeasureStatus, Responsible};
use crate::domain::conference::{
    ConferenceAction, ConferenceKind, DecisionDraft, Invitation, Participant, ParticipantRole,
};
use crate::domain::consent::{Consent, DataCategory, Purpose};
use crate::domain::coop::{EventStatus, TrainingFormat, TrainingTopic};
use crate::domain::refusal::Refusal;
use crate::domain::schedule::{
    Appointment, AppointmentKind, SlotRequest, WorkingHours, conference_appointment_id, free_slots,
};
use crate::domain::{Agency, CaseId, CaseStatus, CoopCase, ReasonCode, Role, Staff, tz};
use crate::model::conference::NewConference;
use crate::model::coop::{PlenaryInput, TrainingInput};
use crate::storage::{StorageError, Store};

/// Seed of the conference demo.
const SEED: u64 = 0x00C0_FFEE_2026_0003;
/// Cases that get conferences (besides Frau Brinkmann's).
const CASES: usize = 60;
/// Days of history.
const PAST_DAYS: i64 = 365;
/// Days ahead.
const AHEAD_DAYS: i64 = 42;
/// Conferences that may fall back to "Nur anonymisiert" when no consent covers them.
const MAX_ANONYMISED: usize = 3;

const ROOMS: [&str; 4] = [
    "Jobcenter Herten, Raum 1.08",
    "Rathaus Herten, Raum 2.14",
    "Jugendamt Herten, Besprechungsraum EG",
    "Video (Link folgt per E-Mail)",
];

const MINUTES: [&str; 3] = [
    "Aktuelle Situation: Die junge Person berichtet von Schwierigkeiten in der Ausbildung und \
     zu Hause.\nStärken: zuverlässig bei Terminen, Unterstützung durch die Großmutter.\nZiele: \
     Ausbildung fortsetzen, eigene Wohnung mittelfristig.\nSicht der jungen Person: möchte \
     zuerst die Schulden klären.\nZusammenfassung in einfacher Sprache: Wir helfen dir bei \
     der Ausbildung und bei den Schulden. Du kümmerst dich um deine Unterlagen.",
    "Aktuelle Situation: Wohnsituation angespannt, Streit mit den Eltern.\nStärken: klarer \
     Berufswunsch (Kfz), gute Deutschkenntnisse.\nZiele: Auszug in eine betreute \
     Wohnform prüfen, Praktikum beginnen.\nSicht der jungen Person: möchte schnell ausziehen.\n\
     Abweichende Einschätzungen: Jugendamt hält einen Auszug vor dem Praktikum für verfrüht.",
    "Aktuelle Situation: Kontakt war drei Monate abgebrochen, jetzt wieder regelmäßig.\n\
     Stärken: Motivation nach Geburt des Kindes.\nZiele: Kinderbetreuung sichern, \
     Teilzeitausbildung anfragen.\nSicht der jungen Person: wünscht sich eine feste \
     Ansprechperson.\nMit junger Person besprochen: ja.",
];

const JC_STEPS: [&str; 4] = [
    "Vermittlungsvorschläge für Ausbildungsstellen zusenden",
    "Übernahme der Unterkunftskosten prüfen (§ 22 Abs. 5 SGB II)",
    "Anmeldung zur Schuldnerberatung (§ 16a SGB II) begleiten",
    "Platz in einer berufsvorbereitenden Maßnahme anfragen",
];
const JA_STEPS: [&str; 4] = [
    "Gespräch mit der Familie zur Wohnsituation führen",
    "Hilfe für junge Volljährige (§ 41 SGB VIII) prüfen",
    "Kontakt zur Jugendberufshilfe herstellen",
    "Termin bei der Erziehungsberatung vermitteln",
];
const OWN_STEPS: [&str; 4] = [
    "Bewerbungsunterlagen fertigstellen und mitbringen",
    "Termin bei der Suchtberatung selbst vereinbaren",
    "Regelmäßig an der Maßnahme teilnehmen",
    "Unterlagen für den Weiterbewilligungsantrag einreichen",
];

fn at(day: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN))
}

/// The topics of a demo training, from its title.
fn training_topics(title: &str) -> Vec<TrainingTopic> {
    let mut t = Vec::new();
    for (word, topic) in [
        ("Kinderschutz", TrainingTopic::ChildProtection),
        ("Datenschutz", TrainingTopic::DataProtection),
        ("SGB II", TrainingTopic::SgbII),
        ("Gesprächsführung", TrainingTopic::Conversation),
    ] {
        if title.contains(word) {
            t.push(topic);
        }
    }
    if title.contains("Jugendhilfe") || title.contains("8a") {
        t.push(TrainingTopic::SgbVIII);
    }
    t
}

fn utc(local: NaiveDateTime) -> DateTime<Utc> {
    tz::from_local(local)
}

/// The first day on or after `day` that falls on one of `weekdays` and is a working day.
fn next_on(day: NaiveDate, weekdays: &[Weekday], cal: &WorkCalendar) -> NaiveDate {
    let mut d = day;
    for _ in 0..40 {
        if weekdays.contains(&d.weekday()) && cal.is_working_day(d) {
            return d;
        }
        d = d.succ_opt().unwrap_or(d);
    }
    d
}

fn question(kind: ConferenceKind) -> &'static str {
    match kind {
        ConferenceKind::First => {
            "Gemeinsame Klärung der Situation und der Hilfen von Jobcenter und Jugendamt."
        }
        ConferenceKind::FollowUp => "Stand der Vereinbarungen und nächste Schritte.",
        ConferenceKind::Crisis => {
            "Akute Krise: drohender Wohnungsverlust, sofortige Absprache der Hilfen nötig."
        }
        ConferenceKind::Transition => {
            "Übergang aus der Jugendhilfe: Leistungen nach dem SGB II rechtzeitig vorbereiten \
             (§ 36b SGB VIII)."
        }
    }
}

/// Writes the demo calendar and conferences relative to `today`.
pub(super) fn write(store: &Store, today: NaiveDate) -> Result<(), StorageError> {
    // Demo creation writes a fresh file: durability per statement buys nothing here.
    store.conn().pragma_update(None, "synchronous", "OFF")?;
    let result = Demo::new(store, today).and_then(|mut d| d.run());
    store.conn().pragma_update(None, "synchronous", "FULL")?;
    result
}

/// A case that may get conferences: its assigned staff and the consents.
struct Candidate {
    case: CoopCase,
    owner: Staff,
    partner: Staff,
    consents: Vec<Consent>,
}

impl Candidate {
    /// Whether a consent for conferences is in force on `day`.
    fn covered_on(&self, day: NaiveDate) -> bool {
        self.consents.iter().any(|c| {
            c.purposes.contains(&Purpose::Conference)
                && c.is_active(day, self.case.person.birth_date)
        })
    }
}

/// One step of a demo conference: action, version, new date, reason, time.
type StepFn<'a> = dyn Fn(
        ConferenceAction,
        &mut i64,
        Option<NaiveDateTime>,
        &str,
        DateTime<Utc>,
    ) -> Result<(), StorageError>
    + 'a;

/// How a planned conference should go.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Normal,
    Postponed,
    Cancelled,
}

struct Demo<'a> {
    store: &'a Store,
    today: NaiveDate,
    cal: WorkCalendar,
    hours: WorkingHours,
    rng: SplitMix64,
    staff: HashMap<i64, Staff>,
    /// Everything booked so far (other appointments and the conferences written).
    calendar: Vec<Appointment>,
    anonymised: usize,
    /// Conferences planned so far by [`Demo::history`].
    planned: usize,
}

impl<'a> Demo<'a> {
    fn new(store: &'a Store, today: NaiveDate) -> Result<Self, StorageError> {
        let staff = store
            .active_staff()?
            .into_iter()
            .map(|s| (s.id.0, s))
            .collect();
        Ok(Demo {
            store,
            today,
            cal: WorkCalendar::default(),
            hours: WorkingHours::default(),
            rng: SplitMix64::new(SEED),
            staff,
            calendar: Vec::new(),
            anonymised: 0,
            planned: 0,
        })
    }

    fn login(&self, login: &str) -> Result<Staff, StorageError> {
        self.staff
            .values()
            .find(|s| s.login == login)
            .cloned()
            .ok_or(StorageError::NotFound)
    }

    /// Staff with `role`, in id order.
    fn with_role(&self, role: Role) -> Vec<Staff> {
        let mut out: Vec<Staff> = self
            .staff
            .values()
            .filter(|s| s.has_role(role))
            .cloned()
            .collect();
        out.sort_by_key(|s| s.id.0);
        out
    }

    fn day(&self, offset: i64) -> NaiveDate {
        self.today + Duration::days(offset)
    }

    fn book(&mut self, a: Appointment) -> Result<(), StorageError> {
        self.store.add_appointment(&a)?;
        self.calendar.push(a);
        Ok(())
    }

    fn run(&mut self) -> Result<(), StorageError> {
        self.appointments()?;
        let brinkmann = self.login(super::DEMO_USER)?;
        let hegemann = self.login(super::DEMO_ONCALL_USER)?;
        let candidates = self.candidates()?;
        let (mine, others): (Vec<&Candidate>, Vec<&Candidate>) = candidates
            .iter()
            .partition(|c| c.owner.id == brinkmann.id || c.partner.id == brinkmann.id);
        // The clash demonstration: next week, 10:00, Frau Brinkmann with Frau Hegemann.
        let clash_day = next_on(
            self.day(10 - i64::from(self.today.weekday().num_days_from_monday())),
            &[Weekday::Thu, Weekday::Fri],
            &self.cal,
        );
        let clash_case = mine
            .iter()
            .filter(|c| c.owner.id == brinkmann.id && c.covered_on(clash_day))
            .min_by_key(|c| (c.partner.id != hegemann.id, c.case.id.0));
        if let Some(c) = clash_case {
            let mut people = vec![c.owner.clone()];
            if c.partner.id != hegemann.id {
                people.push(c.partner.clone());
            }
            people.push(hegemann.clone());
            self.conference(
                c,
                ConferenceKind::FollowUp,
                at(clash_day, 10, 0),
                &people,
                Fate::Normal,
                true,
            )?;
        }
        // More upcoming conferences of Frau Brinkmann, one of them postponed.
        let mut upcoming: i64 = 0;
        for (i, c) in mine.iter().enumerate() {
            if clash_case.is_some_and(|x| x.case.id == c.case.id) {
                continue;
            }
            if upcoming < 4 {
                let day = self.day(3 + 8 * upcoming);
                if c.covered_on(day) {
                    let fate = if upcoming == 2 {
                        Fate::Postponed
                    } else {
                        Fate::Normal
                    };
                    let people = [c.owner.clone(), c.partner.clone()];
                    let start = at(day, 9 + u32::try_from(i % 4).unwrap_or(0), 0);
                    if self
                        .conference(c, ConferenceKind::FollowUp, start, &people, fate, true)?
                        .is_some()
                    {
                        upcoming += 1;
                    }
                }
            }
            if i < 6 {
                self.history(c)?;
            }
        }
        // Conferences of about sixty other cases, spread evenly over the list.
        let step = (others.len() / CASES).max(1);
        for c in others.iter().step_by(step).take(CASES) {
            self.history(c)?;
        }
        // Two requested conferences without a date yet.
        for c in others.iter().skip(1).step_by(step).take(2) {
            let people = [c.owner.clone(), c.partner.clone()];
            self.create(c, ConferenceKind::FollowUp, None, &people, true)?;
        }
        Ok(())
    }

    /// Active cases with staff of both agencies, in id order.
    fn candidates(&self) -> Result<Vec<Candidate>, StorageError> {
        let conn = self.store.conn();
        let ids: Vec<i64> = conn
            .prepare("SELECT id FROM coop_case WHERE status = 'active' ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for id in ids {
            let Some(case) = crate::storage::cases::load_case_unchecked(conn, CaseId(id))? else {
                continue;
            };
            if case.status != CaseStatus::Active {
                continue;
            }
            let (Some(jc), Some(ja)) = (
                case.jc_staff.and_then(|s| self.staff.get(&s.0)),
                case.ja_staff.and_then(|s| self.staff.get(&s.0)),
            ) else {
                continue;
            };
            let (owner, partner) = match case.owner {
                Agency::Jobcenter => (jc.clone(), ja.clone()),
                Agency::Jugendamt => (ja.clone(), jc.clone()),
            };
            let consents = crate::storage::casefile::consents_of(conn, case.id)?;
            out.push(Candidate {
                case,
                owner,
                partner,
                consents,
            });
        }
        Ok(out)
    }

    /// 1–3 conferences of one case, from shortly after its consent up to six weeks ahead.
    fn history(&mut self, c: &Candidate) -> Result<(), StorageError> {
        let first_day = self
            .day(-PAST_DAYS)
            .max(c.case.opened_on + Duration::days(5));
        let last_day = self.day(AHEAD_DAYS);
        let start_from = c
            .consents
            .iter()
            .filter(|k| k.purposes.contains(&Purpose::Conference))
            .map(|k| k.valid_from)
            .min()
            .map_or(first_day, |v| v.max(first_day));
        let n = 1 + self.rng.below(3);
        let mut day = start_from + Duration::days(self.rng.range(3, 60));
        for j in 0..n {
            if day > last_day {
                break;
            }
            // Fixed proportions rather than dice: about 5 % Krisenkonferenzen, 8 % cancelled,
            // 9 % postponed, the young person present in three of four.
            self.planned += 1;
            let k = self.planned;
            let kind = if k % 20 == 7 {
                ConferenceKind::Crisis
            } else if j == 0 {
                if c.case.reasons.contains(&ReasonCode::Transition) {
                    ConferenceKind::Transition
                } else {
                    ConferenceKind::First
                }
            } else {
                ConferenceKind::FollowUp
            };
            let fate = if k % 13 == 5 {
                Fate::Cancelled
            } else if k % 11 == 3 {
                Fate::Postponed
            } else {
                Fate::Normal
            };
            let yp_present = k % 4 != 2;
            let hour = 9 + u32::try_from(self.rng.below(5)).unwrap_or(0);
            let people = [c.owner.clone(), c.partner.clone()];
            self.conference(c, kind, at(day, hour, 0), &people, fate, yp_present)?;
            day += Duration::days(self.rng.range(42, 100));
        }
        Ok(())
    }

    /// The participants: staff (the first is the requester), then the young person.
    fn participants(people: &[Staff], yp_present: bool) -> Vec<Participant> {
        let mut out: Vec<Participant> = people
            .iter()
            .map(|s| Participant {
                staff: Some(s.id.0),
                external_name: String::new(),
                external_org: String::new(),
                agency: Some(s.agency),
                role: match s.agency {
                    Agency::Jobcenter => ParticipantRole::Pap,
                    Agency::Jugendamt => ParticipantRole::Asd,
                },
                invitation: Invitation::Accepted,
                attendance: None,
                guardian: None,
            })
            .collect();
        out.push(Participant {
            staff: None,
            external_name: String::new(),
            external_org: String::new(),
            agency: None,
            role: ParticipantRole::YoungPerson,
            invitation: if yp_present {
                Invitation::Accepted
            } else {
                Invitation::Declined
            },
            attendance: None,
            guardian: None,
        });
        out
    }

    /// Creates a conference (with the consent, or a few "Nur anonymisiert" without one).
    fn create(
        &mut self,
        c: &Candidate,
        kind: ConferenceKind,
        start: Option<NaiveDateTime>,
        people: &[Staff],
        yp_present: bool,
    ) -> Result<Option<i64>, StorageError> {
        let mut new = NewConference {
            case_id: c.case.id,
            kind,
            question: question(kind).to_string(),
            start,
            duration_min: if kind == ConferenceKind::Crisis {
                60
            } else {
                90
            },
            location: self.rng.pick(&ROOMS).to_string(),
            anonymised: false,
            participants: Self::participants(people, yp_present),
            topics: vec![DataCategory::Measures],
        };
        match self.store.create_conference(&people[0], &new, self.today) {
            Ok(id) => Ok(Some(id)),
            Err(StorageError::Refused(Refusal::ConferenceNotCovered))
                if self.anonymised < MAX_ANONYMISED =>
            {
                self.anonymised += 1;
                new.anonymised = true;
                self.store
                    .create_conference(&people[0], &new, self.today)
                    .map(Some)
            }
            Err(StorageError::Refused(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// A free start for `people` at or after `wanted` (same day or within two weeks).
    fn slot(&self, people: &[Staff], wanted: NaiveDateTime, minutes: u32) -> Option<NaiveDateTime> {
        let ids: Vec<i64> = people.iter().map(|s| s.id.0).collect();
        let req = SlotRequest::new(ids, minutes, wanted, wanted.date() + Duration::days(14));
        free_slots(&req, &self.calendar, &self.cal, &self.hours, 1)
            .first()
            .copied()
    }

    /// One conference at (or soon after) `wanted`, taken as far as its date allows: past ones
    /// held with minutes and measures, upcoming ones scheduled or invited.
    fn conference(
        &mut self,
        c: &Candidate,
        kind: ConferenceKind,
        wanted: NaiveDateTime,
        people: &[Staff],
        fate: Fate,
        yp_present: bool,
    ) -> Result<Option<i64>, StorageError> {
        let minutes = if kind == ConferenceKind::Crisis {
            60
        } else {
            90
        };
        let Some(start) = self.slot(people, wanted, minutes) else {
            return Ok(None);
        };
        if !c.covered_on(start.date()) && self.anonymised >= MAX_ANONYMISED {
            return Ok(None);
        }
        let Some(id) = self.create(c, kind, Some(start), people, yp_present)? else {
            return Ok(None);
        };
        let me = &people[0];
        let mut version = 1;
        let store = self.store;
        let step = |action, version: &mut i64, start: Option<NaiveDateTime>, reason: &str, now| {
            store.conference_step(me, id, *version, action, start, reason, now)?;
            *version += 1;
            Ok::<(), StorageError>(())
        };
        // Steps that need the consent happen on or after its first day (a consent is
        // prior, docs/access.md A5); the morning of that day at the earliest.
        let consent_from = c
            .consents
            .iter()
            .filter(|k| {
                k.purposes.contains(&Purpose::Conference)
                    && k.is_active(start.date(), c.case.person.birth_date)
            })
            .map(|k| at(k.valid_from, 8, 0))
            .min()
            .unwrap_or(start);
        let not_before = |t: NaiveDateTime| t.max(consent_from).min(start);
        let now_local = at(self.today, 8, 0);
        match self.story(
            id,
            &mut version,
            fate,
            start,
            minutes,
            people,
            &step,
            not_before,
            now_local,
        ) {
            // A step the rules refuse ends the conference's story where it is.
            Err(StorageError::Refused(Refusal::ConferenceNotCovered)) => Ok(Some(id)),
            other => other,
        }
    }

    /// The steps of one conference after its creation, as its `fate` says.
    #[expect(
        clippy::too_many_arguments,
        reason = "the state of one demo conference"
    )]
    fn story(
        &mut self,
        id: i64,
        version: &mut i64,
        fate: Fate,
        mut start: NaiveDateTime,
        minutes: u32,
        people: &[Staff],
        step: &StepFn<'_>,
        not_before: impl Fn(NaiveDateTime) -> NaiveDateTime,
        now_local: NaiveDateTime,
    ) -> Result<Option<i64>, StorageError> {
        match fate {
            Fate::Cancelled => {
                let when = (start - Duration::days(3)).min(now_local);
                step(
                    ConferenceAction::Cancel,
                    version,
                    None,
                    "Junge Person erkrankt; neuer Termin wird gesucht.",
                    utc(when),
                )?;
                return Ok(Some(id));
            }
            Fate::Postponed => {
                let when = (start - Duration::days(5)).min(now_local);
                let later = self
                    .slot(people, start + Duration::days(7), minutes)
                    .unwrap_or(start + Duration::days(7));
                step(
                    ConferenceAction::Postpone,
                    version,
                    Some(later),
                    "Terminkollision der Fallführung.",
                    utc(not_before(when)),
                )?;
                start = later;
            }
            Fate::Normal => {}
        }
        self.calendar.push(Appointment {
            id: conference_appointment_id(id),
            kind: AppointmentKind::Conference,
            title: String::new(),
            start,
            end: start + Duration::minutes(i64::from(minutes)),
            attendees: people.iter().map(|s| s.id.0).collect(),
            room: None,
        });
        let held_at = start + Duration::minutes(i64::from(minutes));
        if start.date() >= self.today {
            if start.date() <= self.day(10) {
                step(
                    ConferenceAction::Invite,
                    version,
                    None,
                    "",
                    utc(now_local.min(start - Duration::days(1))),
                )?;
            }
            return Ok(Some(id));
        }
        step(
            ConferenceAction::Invite,
            version,
            None,
            "",
            utc(not_before(start - Duration::days(8))),
        )?;
        step(ConferenceAction::MarkHeld, version, None, "", utc(held_at))?;
        if start.date() + Duration::days(3) >= self.today {
            return Ok(Some(id));
        }
        self.minutes(id, version, start.date(), people)?;
        Ok(Some(id))
    }

    /// Minutes with 2–4 decisions, approvals and the measures' progress.
    fn minutes(
        &mut self,
        id: i64,
        version: &mut i64,
        held_on: NaiveDate,
        people: &[Staff],
    ) -> Result<(), StorageError> {
        let me = &people[0];
        let partner = &people[1];
        let n = 2 + self.rng.below(3);
        let decisions: Vec<DecisionDraft> = (0..n)
            .map(|k| {
                let (text, responsible) = match k % 3 {
                    0 => {
                        let pool = match me.agency {
                            Agency::Jobcenter => &JC_STEPS,
                            Agency::Jugendamt => &JA_STEPS,
                        };
                        (self.rng.pick(pool), Responsible::Staff(me.agency, me.id))
                    }
                    1 => {
                        let pool = match partner.agency {
                            Agency::Jobcenter => &JC_STEPS,
                            Agency::Jugendamt => &JA_STEPS,
                        };
                        (
                            self.rng.pick(pool),
                            Responsible::Staff(partner.agency, partner.id),
                        )
                    }
                    _ => (self.rng.pick(&OWN_STEPS), Responsible::YoungPerson),
                };
                DecisionDraft {
                    text: text.to_string(),
                    responsible: Some(responsible),
                    due_on: Some(held_on + Duration::days(self.rng.range(14, 56))),
                    category: None,
                }
            })
            .collect();
        let text = self.rng.pick(&MINUTES);
        let written = utc(at(held_on + Duration::days(2), 11, 0));
        self.store
            .save_minutes(me, id, *version, text, &decisions, written)?;
        *version += 1;
        if held_on + Duration::days(10) < self.today && self.rng.chance(850) {
            let first = utc(at(held_on + Duration::days(4), 9, 30));
            self.store.approve_minutes(me, id, *version, first)?;
            *version += 1;
            let second = utc(at(held_on + Duration::days(6), 14, 0));
            // The partner reads the conference only while a consent covers them today
            // (docs/access.md A4); once it has run out, the approval stays open.
            match self.store.approve_minutes(partner, id, *version, second) {
                Ok(_) => *version += 1,
                Err(StorageError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        // Measures: due ones finished (mostly done), later ones open or under way.
        let (_, decided) = self.store.conference_agenda(me, id)?;
        for m in decided {
            let due = m.measure.due_on;
            let when = utc(at(due.min(self.today), 12, 0));
            let (status, result) = if due < self.today {
                match self.rng.below(100) {
                    0..=79 => (MeasureStatus::Done, "Erledigt wie vereinbart."),
                    80..=89 => (
                        MeasureStatus::NotDone,
                        "Nicht erledigt; Thema der Folgekonferenz.",
                    ),
                    _ => (
                        MeasureStatus::Dropped,
                        "Entfallen, die Situation hat sich geändert.",
                    ),
                }
            } else if self.rng.chance(400) {
                (MeasureStatus::InProgress, "")
            } else {
                continue;
            };
            self.store
                .set_measure_status(me, m.measure.id, status, result, when)?;
        }
        Ok(())
    }

    /// Team meetings, trainings, leave and the plenary.
    fn appointments(&mut self) -> Result<(), StorageError> {
        let lead = self.with_role(Role::Lead);
        let jc: Vec<Staff> = self.with_role(Role::JcU25);
        let ja: Vec<Staff> = self.with_role(Role::JaStaff);
        let ids = |v: &[Staff]| v.iter().map(|s| s.id.0).collect::<Vec<i64>>();
        let lead_of = |a: Agency| lead.iter().filter(move |s| s.agency == a).map(|s| s.id.0);
        let mut jc_team = ids(&jc);
        jc_team.extend(lead_of(Agency::Jobcenter));
        let mut ja_team = ids(&ja);
        ja_team.extend(lead_of(Agency::Jugendamt));
        let mut n = 0;
        let mut next_id = || {
            n += 1;
            format!("demo-{n}")
        };
        // Weekly team meetings: Jobcenter on Tuesdays, Jugendamt on Wednesdays.
        let first = self.day(-PAST_DAYS);
        let mut monday = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
        while monday <= self.day(AHEAD_DAYS) {
            for (offset, team, title, room) in [
                (
                    1,
                    &jc_team,
                    "Teambesprechung U25-Team",
                    "Jobcenter Herten, Raum 1.12",
                ),
                (
                    2,
                    &ja_team,
                    "Teambesprechung ASD",
                    "Rathaus Herten, Raum 2.14",
                ),
            ] {
                let day = monday + Duration::days(offset);
                if self.cal.is_working_day(day) {
                    let a = Appointment {
                        id: next_id(),
                        kind: AppointmentKind::TeamMeeting,
                        title: title.to_string(),
                        start: at(day, 9, 0),
                        end: at(day, 10, 30),
                        attendees: team.clone(),
                        room: Some(room.to_string()),
                    };
                    self.book(a)?;
                }
            }
            monday += Duration::days(7);
        }
        // Trainings (two past, two ahead), on Mondays or Thursdays.
        let pick = |v: &[Staff], every: usize, from: usize| -> Vec<i64> {
            v.iter().skip(from).step_by(every).map(|s| s.id.0).collect()
        };
        let mut mixed = pick(&jc, 3, 1);
        mixed.extend(pick(&ja, 3, 0));
        let trainings = [
            (
                -200,
                "Fortbildung Kinderschutz (§ 8a SGB VIII)",
                (9, 16),
                mixed.clone(),
                "Kreishaus Recklinghausen, Saal 3",
            ),
            (
                -90,
                "Fortbildung Gesprächsführung mit jungen Menschen",
                (9, 13),
                pick(&jc, 2, 0),
                "Jobcenter Herten, Schulungsraum",
            ),
            (
                11,
                "Fortbildung Datenschutz in der Kooperation",
                (13, 16),
                mixed,
                "Rathaus Herten, Raum 2.14",
            ),
            (
                25,
                "Fortbildung SGB II für Fachkräfte der Jugendhilfe",
                (9, 12),
                pick(&ja, 2, 1),
                "Jobcenter Herten, Schulungsraum",
            ),
        ];
        // Trainings and the plenary are records of F5 (docs/cooperation.md): the store books
        // their calendar rows; they are kept here too, so that conferences avoid them.
        let organiser = lead
            .iter()
            .find(|s| s.agency == Agency::Jobcenter)
            .cloned()
            .ok_or(StorageError::NotFound)?;
        for (offset, title, (from, to), attendees, room) in trainings {
            let day = next_on(self.day(offset), &[Weekday::Mon, Weekday::Thu], &self.cal);
            let joint = attendees
                .iter()
                .filter_map(|id| self.staff.get(id))
                .map(|s| s.agency)
                .collect::<std::collections::HashSet<_>>()
                .len()
                > 1;
            let input = TrainingInput {
                title: title.to_string(),
                start: at(day, from, 0),
                hours_tenths: (to - from) * 10,
                organiser: if title.contains("SGB II") {
                    "Jobcenter Kreis Recklinghausen".to_string()
                } else {
                    "Kreis Recklinghausen, Fachstelle Fortbildung".to_string()
                },
                format: TrainingFormat::Presence,
                joint,
                topics: training_topics(title),
                location: room.to_string(),
                participants: attendees.clone(),
            };
            let id = self.store.save_training(&organiser, None, &input)?;
            if day < self.today {
                self.store
                    .set_event_status(&organiser, true, id, EventStatus::Held, 1)?;
            }
            self.calendar.push(Appointment {
                id: next_id(),
                kind: AppointmentKind::Training,
                title: title.to_string(),
                start: at(day, from, 0),
                end: at(day, to, 0),
                attendees,
                room: Some(room.to_string()),
            });
        }
        // Leave: two weeks in the past year for most caseworkers, and for a few in the coming
        // weeks (not the two demo users, whose clash is shown next week).
        let mut workers: Vec<Staff> = jc.iter().chain(ja.iter()).cloned().collect();
        workers.sort_by_key(|s| s.id.0);
        for (i, s) in workers.iter().enumerate() {
            let k = i64::try_from(i).unwrap_or(0);
            let start = next_on(
                self.day(-330 + 23 * k % 280),
                &[Weekday::Mon],
                &WorkCalendar::default(),
            );
            let a = Appointment::absence(
                next_id(),
                s.id.0,
                start,
                start + Duration::days(11),
                "Urlaub",
            );
            self.book(a)?;
            let demo_user = s.login == super::DEMO_USER || s.login == super::DEMO_ONCALL_USER;
            if i % 5 == 2 && !demo_user {
                let start = next_on(self.day(14 + 3 * k), &[Weekday::Mon], &self.cal);
                let a = Appointment::absence(
                    next_id(),
                    s.id.0,
                    start,
                    start + Duration::days(4),
                    "Urlaub",
                );
                self.book(a)?;
            }
        }
        // The yearly plenary of both agencies, held a few weeks ago (docs/cooperation.md).
        let day = next_on(self.day(-14), &[Weekday::Thu], &self.cal);
        let attendees: Vec<i64> = lead.iter().map(|s| s.id.0).collect();
        let input = PlenaryInput {
            year: day.year(),
            start: Some(at(day, 13, 0)),
            duration_min: 150,
            location: "Rathaus Herten, Ratssaal".to_string(),
            participants: attendees.clone(),
            minutes: String::new(),
            agenda: None,
        };
        self.store.save_plenary(&organiser, &input, None)?;
        self.calendar.push(Appointment {
            id: next_id(),
            kind: AppointmentKind::Plenary,
            title: format!("Große Runde {}", day.year()),
            start: at(day, 13, 0),
            end: at(day, 15, 30),
            attendees,
            room: Some("Rathaus Herten, Ratssaal".to_string()),
        });
        Ok(())
    }
}
