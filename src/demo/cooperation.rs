//! Demo data of F5 Kooperation (docs/cooperation.md): the agreement with its measurable
//! commitments, two years of plenaries with decisions (one still open and carried onto this
//! year's agenda), meetings, trainings and hospitations in both directions, and the
//! categories of the agreed measures, so that every section and every figure of the yearly
//! report shows something. Written in two steps around the conference demo: the previous
//! year first (so this year's plenary carries its open decision), the rest after.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use crate::domain::coop::{
    CommitmentKind, DecisionStatus, EventStatus, HospitationStatus, MeasureCategory, MeetingKind,
    TrainingFormat, TrainingTopic,
};
use crate::domain::{Agency, Role, Staff};
use crate::model::coop::{
    AgreementInput, Commitment, DecisionInput, HospitationInput, MeetingInput, PlenaryInput,
    TrainingInput,
};
use crate::storage::{StorageError, Store};

fn at(day: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN))
}

/// The `n`-th `weekday` of `month` in `year` (n from 1).
fn nth(year: i32, month: u32, weekday: Weekday, n: u8) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
        .or_else(|| NaiveDate::from_ymd_opt(year, month, 1))
        .unwrap_or(NaiveDate::MIN)
}

struct People {
    jc_lead: Staff,
    ja_lead: Staff,
    jc: Vec<Staff>,
    ja: Vec<Staff>,
}

fn people(store: &Store) -> Result<People, StorageError> {
    let mut staff = store.active_staff()?;
    staff.sort_by_key(|s| s.id.0);
    let lead = |a: Agency| {
        staff
            .iter()
            .find(|s| s.agency == a && s.has_role(Role::Lead))
            .cloned()
            .ok_or(StorageError::NotFound)
    };
    let workers = |role: Role| -> Vec<Staff> {
        staff
            .iter()
            .filter(|s| {
                s.has_role(role)
                    && s.login != super::DEMO_USER
                    && s.login != super::DEMO_ONCALL_USER
            })
            .cloned()
            .collect()
    };
    Ok(People {
        jc_lead: lead(Agency::Jobcenter)?,
        ja_lead: lead(Agency::Jugendamt)?,
        jc: workers(Role::JcU25),
        ja: workers(Role::JaStaff),
    })
}

fn pick(v: &[Staff], i: usize) -> Option<&Staff> {
    if v.is_empty() {
        None
    } else {
        v.get(i % v.len())
    }
}

/// The agreement and the previous year's plenary with its decisions (before the
/// conference demo writes this year's plenary).
pub fn write_before(store: &Store, today: NaiveDate) -> Result<(), StorageError> {
    let p = people(store)?;
    let year = today.year();
    store.save_agreement(
        &p.jc_lead,
        None,
        &AgreementInput {
            label: format!("Fassung {}", year - 2),
            valid_from: NaiveDate::from_ymd_opt(year - 2, 1, 1).unwrap_or(today),
            signatories: "Bürgermeister der Stadt Herten; Geschäftsführung Vestische Arbeit \
                          Jobcenter Kreis Recklinghausen"
                .to_string(),
            annexes: "Einwilligungsvordruck; Protokollvorlage Fallkonferenz; Mitteilungsbogen \
                      Kinderschutz"
                .to_string(),
            review_on: Some(today + Duration::days(45)),
            commitments: vec![
                Commitment {
                    kind: CommitmentKind::ConferenceWithin,
                    target: 15,
                    text: "Eine beantragte Fallkonferenz findet binnen 15 Arbeitstagen statt."
                        .into(),
                },
                Commitment {
                    kind: CommitmentKind::CpFeedbackWithin,
                    target: 5,
                    text: "Rückmeldung zu einer Kinderschutz-Mitteilung binnen 5 Arbeitstagen."
                        .into(),
                },
                Commitment {
                    kind: CommitmentKind::CpReceiptWithin,
                    target: 1,
                    text: "Eingang einer Mitteilung binnen 1 Arbeitstag bestätigt.".into(),
                },
                Commitment {
                    kind: CommitmentKind::PlenaryPerYear,
                    target: 1,
                    text: "Eine Große Runde im Jahr.".into(),
                },
                Commitment {
                    kind: CommitmentKind::HospitationsPerYear,
                    target: 3,
                    text: "Mindestens drei Hospitationen im Jahr.".into(),
                },
                Commitment {
                    kind: CommitmentKind::JointTrainingsPerYear,
                    target: 1,
                    text: "Mindestens eine gemeinsame Fortbildung im Jahr.".into(),
                },
            ],
        },
    )?;
    // Last year's plenary: held, minutes approved, three decisions, one still open.
    let last = year - 1;
    let day = nth(last, 11, Weekday::Thu, 2);
    let mut participants = vec![p.jc_lead.id.0, p.ja_lead.id.0];
    participants.extend(p.jc.iter().take(2).map(|s| s.id.0));
    participants.extend(p.ja.iter().take(2).map(|s| s.id.0));
    let mut input = PlenaryInput {
        year: last,
        start: Some(at(day, 13, 0)),
        duration_min: 150,
        location: "Rathaus Herten, Ratssaal".into(),
        participants,
        minutes: String::new(),
        agenda: None,
    };
    store.save_plenary(&p.ja_lead, &input, None)?;
    store.advance_plenary(&p.ja_lead, last, 1)?;
    input.minutes = "TOP 1: Jahresbericht vorgestellt; die Zahl der gemeinsam betreuten jungen \
                     Menschen ist gestiegen.\nTOP 2: Einladungen zu Fallkonferenzen kommen zu \
                     spät; Fristen werden verbindlich.\nTOP 5: Hospitationen sollen in beide \
                     Richtungen stattfinden."
        .into();
    store.save_plenary(&p.ja_lead, &input, Some(2))?;
    let decisions = [
        (
            "Ansprechpartnerlisten beider Stellen werden halbjährlich aktualisiert.",
            "Teamleitungen",
            NaiveDate::from_ymd_opt(year, 3, 31),
            DecisionStatus::Done,
        ),
        (
            "Gemeinsame Fortbildung Kinderschutz für neue Fachkräfte.",
            "Kinderschutzkoordination JC",
            NaiveDate::from_ymd_opt(year, 6, 30),
            DecisionStatus::Done,
        ),
        (
            "Hospitationen des Jugendamts beim Jobcenter ausbauen.",
            "Teamleitung Jugendamt",
            NaiveDate::from_ymd_opt(year, 9, 30),
            DecisionStatus::Open,
        ),
    ];
    for (text, owner, due, status) in decisions {
        let id = store.add_decision(
            &p.jc_lead,
            last,
            &DecisionInput {
                text: text.into(),
                owner: owner.into(),
                due_on: due,
            },
        )?;
        if status != DecisionStatus::Open {
            store.set_decision_status(&p.jc_lead, id, status, 1)?;
        }
    }
    store.advance_plenary(&p.jc_lead, last, 3)?;
    Ok(())
}

/// This year's plenary minutes and decisions, meetings, trainings of last year,
/// hospitations and the measures' categories (after the conference demo).
pub fn write_after(store: &Store, today: NaiveDate) -> Result<(), StorageError> {
    let p = people(store)?;
    let year = today.year();
    // This year's plenary (planned by the conference demo a few weeks ago): held, minutes
    // drafted, two decisions.
    if let Some(plenary) = store.coop_year(&p.jc_lead, year)?.plenary
        && plenary.start.is_some_and(|s| s.date() <= today)
    {
        store.advance_plenary(&p.jc_lead, year, plenary.version)?;
        let input = PlenaryInput {
            year,
            start: plenary.start,
            duration_min: plenary.duration_min,
            location: plenary.location.clone(),
            participants: plenary.participants.iter().map(|x| x.staff_id).collect(),
            minutes: "TOP 1: Jahresbericht besprochen.\nTOP 2: Rückmeldungen zu Mitteilungen \
                      kommen fristgerecht; Übergänge nach § 36b früher planen."
                .into(),
            agenda: None,
        };
        store.save_plenary(&p.jc_lead, &input, Some(plenary.version + 1))?;
        let first = store.add_decision(
            &p.ja_lead,
            year,
            &DecisionInput {
                text: "Übergangskonferenzen spätestens sechs Monate vor Hilfeende.".into(),
                owner: "Leitung ASD".into(),
                due_on: NaiveDate::from_ymd_opt(year + 1, 3, 31),
            },
        )?;
        let _ = first;
        let second = store.add_decision(
            &p.ja_lead,
            year,
            &DecisionInput {
                text: "Ansprechpartnerliste im Intranet beider Stellen veröffentlichen.".into(),
                owner: "Teamleitung Jobcenter".into(),
                due_on: NaiveDate::from_ymd_opt(year, 12, 15),
            },
        )?;
        store.set_decision_status(&p.ja_lead, second, DecisionStatus::Done, 1)?;
    }
    meetings(store, &p, today)?;
    trainings_last_year(store, &p, today)?;
    hospitations(store, &p, today)?;
    categories(store)?;
    // The conference demo writes its history today: requests lie 6 to 27 days before.
    store.seed_conference_requests(|id| 6 + (id * 7) % 22)?;
    Ok(())
}

fn meetings(store: &Store, p: &People, today: NaiveDate) -> Result<(), StorageError> {
    let year = today.year();
    let mut plan = Vec::new();
    for y in [year - 1, year] {
        for month in [3, 6, 9, 12] {
            plan.push((
                nth(y, month, Weekday::Tue, 2),
                MeetingKind::Leads,
                "Leitungsrunde Jobcenter und Jugendamt",
                "Stand der Kooperation; Fristen bei Fallkonferenzen; Personalwechsel",
                "Fristen werden eingehalten; neue Ansprechpersonen werden vorgestellt.",
            ));
        }
        for month in [2, 5, 10] {
            plan.push((
                nth(y, month, Weekday::Wed, 3),
                MeetingKind::WorkingGroup,
                "AG Schnittstelle Kinderschutz",
                "Mitteilungsbogen; Erreichbarkeit außerhalb der Dienstzeit",
                "Mitteilungsbogen überarbeitet; Rufbereitschaft auf dem Merkblatt ergänzt.",
            ));
        }
    }
    for (i, (day, kind, title, topics, results)) in plan.into_iter().enumerate() {
        if day > today + Duration::days(30) {
            continue;
        }
        let mut participants = vec![p.jc_lead.id.0, p.ja_lead.id.0];
        if kind == MeetingKind::WorkingGroup {
            participants.extend(pick(&p.jc, i).map(|s| s.id.0));
            participants.extend(pick(&p.ja, i + 1).map(|s| s.id.0));
        }
        let held = day < today;
        let input = MeetingInput {
            kind,
            title: title.into(),
            start: at(day, 14, 0),
            duration_min: 90,
            location: "Jobcenter Herten, Raum 1.12".into(),
            topics: topics.into(),
            results: if held { results.into() } else { String::new() },
            participants,
        };
        let id = store.save_meeting(&p.jc_lead, None, &input)?;
        if held {
            store.set_event_status(&p.jc_lead, false, id, EventStatus::Held, 1)?;
        }
    }
    Ok(())
}

fn trainings_last_year(store: &Store, p: &People, today: NaiveDate) -> Result<(), StorageError> {
    let last = today.year() - 1;
    let plan = [
        (
            nth(last, 3, Weekday::Thu, 2),
            "Kinderschutz in der Grundsicherung",
            60,
            vec![TrainingTopic::ChildProtection, TrainingTopic::SgbVIII],
        ),
        (
            nth(last, 9, Weekday::Mon, 3),
            "Datenschutz bei Fallkonferenzen",
            30,
            vec![TrainingTopic::DataProtection],
        ),
    ];
    for (i, (day, title, tenths, topics)) in plan.into_iter().enumerate() {
        let mut participants: Vec<i64> = p.jc.iter().skip(i).step_by(2).map(|s| s.id.0).collect();
        participants.extend(p.ja.iter().skip(i).step_by(2).map(|s| s.id.0));
        let input = TrainingInput {
            title: title.into(),
            start: at(day, 9, 0),
            hours_tenths: tenths,
            organiser: "Kreis Recklinghausen, Fachstelle Fortbildung".into(),
            format: if i == 0 {
                TrainingFormat::Presence
            } else {
                TrainingFormat::Online
            },
            joint: true,
            topics,
            location: if i == 0 {
                "Kreishaus Recklinghausen, Saal 3".into()
            } else {
                String::new()
            },
            participants,
        };
        let id = store.save_training(&p.ja_lead, None, &input)?;
        store.set_event_status(&p.ja_lead, true, id, EventStatus::Held, 1)?;
    }
    Ok(())
}

fn hospitations(store: &Store, p: &People, today: NaiveDate) -> Result<(), StorageError> {
    let year = today.year();
    // (guest, from, days, pledge, final state, feedback)
    let plan: Vec<(Option<&Staff>, NaiveDate, u32, bool, HospitationStatus)> = vec![
        (
            pick(&p.jc, 0),
            nth(year - 1, 4, Weekday::Mon, 2),
            3,
            true,
            HospitationStatus::Feedback,
        ),
        (
            pick(&p.jc, 1),
            nth(year - 1, 10, Weekday::Mon, 1),
            2,
            true,
            HospitationStatus::Done,
        ),
        (
            pick(&p.ja, 0),
            nth(year - 1, 6, Weekday::Tue, 3),
            2,
            true,
            HospitationStatus::Feedback,
        ),
        (
            pick(&p.jc, 2),
            nth(year, 3, Weekday::Mon, 3),
            3,
            true,
            HospitationStatus::Feedback,
        ),
        (
            pick(&p.ja, 1),
            nth(year, 5, Weekday::Tue, 2),
            2,
            true,
            HospitationStatus::Done,
        ),
        (
            pick(&p.jc, 3),
            nth(year, 9, Weekday::Mon, 4),
            1,
            false,
            HospitationStatus::Cancelled,
        ),
        (
            pick(&p.ja, 2),
            today + Duration::days(60),
            2,
            false,
            HospitationStatus::Agreed,
        ),
    ];
    for (guest, from, days, pledge, status) in plan {
        let Some(guest) = guest else { continue };
        let host_lead = if guest.agency == Agency::Jobcenter {
            &p.ja_lead
        } else {
            &p.jc_lead
        };
        let to = from + Duration::days(i64::from(days) - 1);
        let feedback = status == HospitationStatus::Feedback;
        let input = HospitationInput {
            staff_id: guest.id.0,
            host_contact: host_lead.display_name(),
            from,
            to,
            days,
            goals: "Arbeitsweise und Abläufe der Partnerstelle kennenlernen; Ansprechpersonen."
                .into(),
            pledge_on: pledge.then(|| from - Duration::days(7)),
            feedback_guest: if feedback {
                "Abläufe der Partnerstelle verstanden; Kontakte geknüpft.".into()
            } else {
                String::new()
            },
            feedback_host: if feedback {
                "Gute Fragen; Gegenbesuch ist vereinbart.".into()
            } else {
                String::new()
            },
        };
        let id = store.save_hospitation(host_lead, None, &input)?;
        let steps: &[HospitationStatus] = match status {
            HospitationStatus::Feedback => &[
                HospitationStatus::PledgeSigned,
                HospitationStatus::Done,
                HospitationStatus::Feedback,
            ],
            HospitationStatus::Done => &[HospitationStatus::PledgeSigned, HospitationStatus::Done],
            HospitationStatus::Cancelled => &[HospitationStatus::Cancelled],
            _ => &[],
        };
        for (version, s) in (1..).zip(steps) {
            store.set_hospitation_status(host_lead, id, *s, version)?;
        }
    }
    Ok(())
}

/// Gives every agreed measure of the demo a category, from its responsible and its text.
fn categories(store: &Store) -> Result<(), StorageError> {
    store.seed_measure_categories(|text, responsible| {
        let t = text.to_lowercase();
        let by_text = [
            ("schul", MeasureCategory::School),
            ("ausbildung", MeasureCategory::Training),
            ("bewerb", MeasureCategory::Sgb2Counselling),
            ("schuld", MeasureCategory::Sgb2_16a),
            ("sucht", MeasureCategory::Sgb2_16a),
            ("wohn", MeasureCategory::Housing),
            ("therap", MeasureCategory::Health),
            ("arzt", MeasureCategory::Health),
            ("hilfeplan", MeasureCategory::Sgb8Hze),
            ("§ 41", MeasureCategory::Sgb8_41),
        ];
        by_text.iter().find(|(w, _)| t.contains(w)).map_or(
            match responsible {
                "young_person" => MeasureCategory::OwnStep,
                "ja" => MeasureCategory::Sgb8_13,
                "jc" => MeasureCategory::Sgb2Counselling,
                _ => MeasureCategory::Other,
            },
            |(_, c)| *c,
        )
    })?;
    Ok(())
}
