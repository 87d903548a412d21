//! Demo child-protection referrals and anonymous consultations (docs/domain.md 8): about fifteen
//! referrals over the last year in every state, an overdue "akut" referral for the on-call
//! view, some received over Easter or Christmas, one forwarded to another Jugendamt; and
//! eight anonymous consultations. Written through the store's own steps, so the demo's
//! timelines and audit rows look like real use.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::domain::calendar::WorkCalendar;
use crate::domain::referral::{
    AgeBand, ConsultResult, FourEyesStep, IndicatorArea, LegalBasis, PriorStep, Rating,
    ReferralChild, ReferralInput, SecrecyHolder, Step, StepAnswer, Urgency,
};
use crate::domain::{Staff, tz};
use crate::model::referral::Function;
use crate::storage::{StorageError, Store};

/// How far a demo referral has come.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Sent,
    Received,
    Triaged,
    Investigating,
    Assessed,
    Closed,
    Forwarded,
    ClosedAtTriage,
}

struct Spec {
    reporter: &'static str,
    urgency: Urgency,
    /// Days before today and local time of sending.
    sent: (i64, u32, u32),
    children: &'static [(&'static str, &'static str, i64, &'static str)],
    facts: &'static str,
    stage: Stage,
    /// Result code per child for assessed referrals.
    result: &'static str,
    feedback: bool,
}

const SPECS: &[Spec] = &[
    // The overdue acute referral the on-call worker sees first: sent last night, phoned
    // ahead, not yet received.
    Spec {
        reporter: "brinkmann",
        urgency: Urgency::Acute,
        sent: (1, 22, 10),
        children: &[
            ("Kaya", "Emily", 3, "bei der Mutter, Ewaldstraße 12"),
            ("Kaya", "Noah", 0, "bei der Mutter"),
        ],
        facts: "Mutter rief um 21:50 im Notdienst-Chat an, sie sei betrunken und allein mit beiden Kindern.\nIm Hintergrund lautes Schreien eines Mannes.",
        stage: Stage::Sent,
        result: "",
        feedback: true,
    },
    Spec {
        reporter: "karaca",
        urgency: Urgency::Urgent,
        sent: (1, 9, 30),
        children: &[(
            "Schimanski",
            "Leon",
            7,
            "Grundschule Disteln, danach beim Vater",
        )],
        facts: "Leon kam zum Termin der Mutter mit Striemen an beiden Unterarmen; er sagte, der Stiefvater habe ihn mit dem Gürtel geschlagen.",
        stage: Stage::Received,
        result: "",
        feedback: true,
    },
    Spec {
        reporter: "nowicki",
        urgency: Urgency::NotAcute,
        sent: (2, 11, 15),
        children: &[("Yılmaz", "Elif", 5, "Kita Sonnenblume")],
        facts: "Elif wirkt seit Wochen ungepflegt, die Mutter berichtet, sie schaffe den Haushalt nicht mehr.",
        stage: Stage::Sent,
        result: "",
        feedback: false,
    },
    Spec {
        reporter: "brinkmann",
        urgency: Urgency::Urgent,
        sent: (3, 14, 0),
        children: &[
            ("Haddad", "Sami", 9, "bei den Eltern"),
            ("Haddad", "Rania", 4, "bei den Eltern"),
        ],
        facts: "Vater kündigte im Gespräch an, die Kinder 'notfalls mitzunehmen'; die Mutter wirkte verängstigt.",
        stage: Stage::Triaged,
        result: "",
        feedback: true,
    },
    Spec {
        reporter: "moellers",
        urgency: Urgency::NotAcute,
        sent: (12, 10, 0),
        children: &[(
            "Petrowa",
            "Anna",
            11,
            "Hauptschule, wohnt bei der Großmutter",
        )],
        facts: "Anna fehlt seit sechs Wochen in der Schule; die Mutter ist seit einem Monat nicht erreichbar.",
        stage: Stage::Investigating,
        result: "",
        feedback: true,
    },
    Spec {
        reporter: "sahin",
        urgency: Urgency::Urgent,
        sent: (30, 8, 45),
        children: &[("Öztürk", "Can", 2, "bei der Mutter")],
        facts: "Mutter (19) berichtet von Schlägen durch den Partner in Anwesenheit des Kindes.",
        stage: Stage::Assessed,
        result: "latent",
        feedback: true,
    },
    Spec {
        reporter: "wojcik",
        urgency: Urgency::NotAcute,
        sent: (60, 13, 20),
        children: &[("Nowak", "Zofia", 6, "bei den Eltern")],
        facts: "Wohnung nach Aussage der Mutter ohne Strom seit zwei Wochen; Kind schläft auf dem Sofa.",
        stage: Stage::Closed,
        result: "help_needed",
        feedback: true,
    },
    Spec {
        reporter: "tenhagen",
        urgency: Urgency::NotAcute,
        sent: (75, 10, 5),
        children: &[("Iwanow", "Mark", 8, "Umzug nach Recklinghausen-Süd")],
        facts: "Familie ist nach Recklinghausen gezogen; die Mutter berichtet von Schulverweigerung und Gewalt unter Geschwistern.",
        stage: Stage::Forwarded,
        result: "",
        feedback: false,
    },
    Spec {
        reporter: "grossewilde",
        urgency: Urgency::NotAcute,
        sent: (95, 9, 0),
        children: &[("Schulte-Heß", "Lina", 10, "bei den Eltern")],
        facts: "Nachbarin meldete über die junge Mutter lautes Schreien; im Gespräch keine weiteren Hinweise.",
        stage: Stage::ClosedAtTriage,
        result: "",
        feedback: false,
    },
    Spec {
        reporter: "overbeck",
        urgency: Urgency::Acute,
        sent: (140, 16, 40),
        children: &[("Demir", "Zeynep", 1, "Kinderklinik Datteln")],
        facts: "Säugling mit Hämatomen im Gesicht, Mutter gab widersprüchliche Erklärungen. Polizei und Rettungsdienst verständigt.",
        stage: Stage::Closed,
        result: "acute",
        feedback: true,
    },
    Spec {
        reporter: "dogan",
        urgency: Urgency::NotAcute,
        sent: (200, 12, 0),
        children: &[
            ("Kowalczyk", "Ben", 4, "Kita Regenbogen"),
            ("Kowalczyk", "Mia", 8, "Grundschule"),
        ],
        facts: "Vater berichtet, die Mutter trinke tagsüber; die Kinder seien oft allein.",
        stage: Stage::Closed,
        result: "no_need",
        feedback: true,
    },
    Spec {
        reporter: "becker",
        urgency: Urgency::Urgent,
        sent: (250, 15, 30),
        children: &[("Bondarenko", "Daria", 13, "bei der Mutter")],
        facts: "Daria erzählte im Termin der Mutter von Übergriffen durch den neuen Partner der Mutter.",
        stage: Stage::Closed,
        result: "acute",
        feedback: true,
    },
    Spec {
        reporter: "bussmann",
        urgency: Urgency::NotAcute,
        sent: (300, 9, 40),
        children: &[("Müller", "Finn", 3, "bei der Mutter")],
        facts: "Kind bei mehreren Terminen auffällig apathisch und untergewichtig.",
        stage: Stage::Closed,
        result: "help_needed",
        feedback: false,
    },
];

fn at(today: NaiveDate, days_ago: i64, h: u32, m: u32) -> DateTime<Utc> {
    let day = today - Duration::days(days_ago);
    tz::from_local(day.and_hms_opt(h, m, 0).unwrap_or_default())
}

fn input(spec: &Spec, today: NaiveDate, sent: DateTime<Utc>) -> ReferralInput {
    let sent_day = tz::to_local(sent).date();
    let children = spec
        .children
        .iter()
        .map(|(surname, given, age, place)| ReferralChild {
            surname: (*surname).to_string(),
            given_names: (*given).to_string(),
            birth_date: sent_day.checked_sub_signed(Duration::days(age * 365 + 40)),
            whereabouts: (*place).to_string(),
            custody: "Mutter (allein)".to_string(),
        })
        .collect();
    let acute = spec.urgency == Urgency::Acute;
    let mut steps = vec![(
        PriorStep::ParentsInformed,
        StepAnswer::No("Information würde das Kind gefährden".to_string()),
    )];
    if !acute {
        steps = PriorStep::ALL
            .iter()
            .map(|s| match s {
                PriorStep::TalkWithParents | PriorStep::SupervisorInvolved => {
                    (*s, StepAnswer::Yes(sent_day))
                }
                PriorStep::ParentsInformed => (*s, StepAnswer::Yes(sent_day)),
                _ => (*s, StepAnswer::No("nicht erforderlich".to_string())),
            })
            .collect();
    }
    let _ = today;
    ReferralInput {
        urgency: spec.urgency,
        phoned_ahead: acute.then(|| {
            (
                tz::to_local(sent - Duration::minutes(5)),
                "Rufbereitschaft Jugendamt (Frau Hegemann)".to_string(),
            )
        }),
        reporter_phone: "02366 0300 41".to_string(),
        reachable_until: if acute { "23:30" } else { "16:00" }.to_string(),
        secrecy_holder: SecrecyHolder::No,
        legal_basis: LegalBasis::Sgbx69,
        case_id: None,
        children,
        household: "Mutter, Lebensgefährte, Kinder".to_string(),
        observed_on: Some(sent_day),
        facts: spec.facts.to_string(),
        verbatim: String::new(),
        assessment: "Gewichtige Anhaltspunkte aus meiner Sicht gegeben.".to_string(),
        indicators: vec![
            (
                0,
                IndicatorArea::Supervision,
                if acute { Rating::Red } else { Rating::Yellow },
            ),
            (0, IndicatorArea::DomesticViolence, Rating::Yellow),
        ],
        steps,
        immediate_actions: if acute {
            "Rufbereitschaft telefonisch informiert.".to_string()
        } else {
            String::new()
        },
        wants_receipt: true,
        wants_feedback: spec.feedback,
    }
}

fn staff(store: &Store, login: &str) -> Result<Staff, StorageError> {
    store.staff_by_login(login)?.ok_or(StorageError::NotFound)
}

fn version(store: &Store, me: &Staff, id: i64, now: DateTime<Utc>) -> Result<i64, StorageError> {
    let cal = WorkCalendar::default();
    let d = crate::domain::referral::Deadlines::default();
    Ok(store.referral(me, id, now, &cal, &d)?.row.version)
}

/// Writes the demo referrals and consultations relative to `today`.
pub fn write(store: &Store, today: NaiveDate) -> Result<(), StorageError> {
    let cal = WorkCalendar::default();
    let d = crate::domain::referral::Deadlines::default();
    for (login, f) in [
        ("pieper", Function::Insofa),
        ("schroeer", Function::Insofa),
        ("dabrowska", Function::Intake),
        ("huesken", Function::EarlyHelp),
        ("wagner", Function::EarlyHelp),
    ] {
        store.add_function(staff(store, login)?.id, f)?;
    }
    let intake = staff(store, "dabrowska")?;
    let first = staff(store, "hegemann")?;
    let second = staff(store, "straeter")?;
    let lead = staff(store, "tueshaus")?;
    for spec in SPECS {
        let reporter = staff(store, spec.reporter)?;
        let sent = at(today, spec.sent.0, spec.sent.1, spec.sent.2);
        let id = store.send_referral(&reporter, &input(spec, today, sent), sent)?;
        if spec.stage == Stage::Sent {
            continue;
        }
        let mut t = sent
            + Duration::minutes(if spec.urgency == Urgency::Acute {
                12
            } else {
                95
            });
        let step = |who: &Staff, s: Step, text: &str, t: DateTime<Utc>| {
            let v = version(store, who, id, t)?;
            store.referral_single(who, id, v, s, text, t, &cal, &d)
        };
        step(&intake, Step::Receive, "", t)?;
        if spec.stage == Stage::Received {
            continue;
        }
        if spec.stage == Stage::Forwarded {
            t += Duration::hours(2);
            step(
                &intake,
                Step::Forward,
                "Jugendamt der Stadt Recklinghausen",
                t,
            )?;
            continue;
        }
        let four_eyes = |step: FourEyesStep,
                         payload: &[(&str, &str)],
                         proposer: &Staff,
                         confirmer: &Staff,
                         t: DateTime<Utc>| {
            let map: BTreeMap<String, String> = payload
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect();
            let v = version(store, proposer, id, t)?;
            store.propose_referral_step(
                proposer,
                id,
                v,
                step,
                &map,
                Some(confirmer.id),
                t,
                &cal,
                &d,
            )?;
            let t2 = t + Duration::minutes(20);
            let v = version(store, confirmer, id, t2)?;
            store.confirm_referral_step(confirmer, id, v, true, t2, &cal, &d)
        };
        t += Duration::minutes(40);
        let class = match (spec.stage, spec.urgency) {
            (Stage::ClosedAtTriage, _) => "keine",
            (_, u) => u.code(),
        };
        four_eyes(
            FourEyesStep::Triage,
            &[("class", class), ("next_step", "home_visit")],
            &first,
            &second,
            t,
        )?;
        if spec.stage == Stage::Triaged {
            continue;
        }
        if spec.stage == Stage::ClosedAtTriage {
            t += Duration::hours(3);
            four_eyes(FourEyesStep::CloseAtTriage, &[], &first, &second, t)?;
            continue;
        }
        t += Duration::hours(if spec.urgency == Urgency::Acute {
            2
        } else {
            30
        });
        step(&first, Step::StartClarification, "", t)?;
        if spec.stage == Stage::Investigating {
            continue;
        }
        t += Duration::days(6);
        let results: Vec<(String, String)> = (0..spec.children.len())
            .map(|i| (format!("result.{i}"), spec.result.to_string()))
            .collect();
        let mut payload: Vec<(&str, &str)> = vec![("impression", "home_visit")];
        payload.extend(results.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        four_eyes(FourEyesStep::Assessment, &payload, &first, &second, t)?;
        if spec.stage == Stage::Assessed {
            continue;
        }
        t += Duration::days(2);
        if spec.feedback {
            let confirmed = if spec.result == "no_need" {
                "no"
            } else {
                "yes"
            };
            four_eyes(
                FourEyesStep::ContentFeedback,
                &[("confirmed", confirmed), ("ja_active", "yes")],
                &first,
                &lead,
                t,
            )?;
        }
        t += Duration::days(1);
        if spec.result != "no_need" {
            step(&first, Step::RecordMeasures, "hze", t)?;
        }
        t += Duration::days(20);
        step(&first, Step::Close, "", t)?;
    }
    consults(store, today)
}

fn consults(store: &Store, today: NaiveDate) -> Result<(), StorageError> {
    let insofa = staff(store, "pieper")?;
    let list: [(&str, i64, AgeBand, &str, Option<ConsultResult>); 8] = [
        (
            "brinkmann",
            2,
            AgeBand::A3,
            "Kind (4) kommt regelmäßig ohne Frühstück in die Kita; Mutter wirkt erschöpft.",
            None,
        ),
        (
            "karaca",
            20,
            AgeBand::A0,
            "Junge Mutter (18) mit Säugling, Partner trinkt; keine Gewalt berichtet.",
            Some(ConsultResult::Observe),
        ),
        (
            "sahin",
            45,
            AgeBand::A6,
            "Schulkind berichtet von Streit der Eltern, schläft schlecht.",
            Some(ConsultResult::TalkParents),
        ),
        (
            "wojcik",
            70,
            AgeBand::A10,
            "Kind übernimmt Pflege der psychisch kranken Mutter.",
            Some(ConsultResult::Refer),
        ),
        (
            "dogan",
            110,
            AgeBand::A14,
            "Jugendliche übernachtet oft bei Freunden, Eltern gleichgültig.",
            Some(ConsultResult::Observe),
        ),
        (
            "nowicki",
            160,
            AgeBand::A3,
            "Kind mit blauen Flecken, Erklärung plausibel (Sturz beim Fahrradfahren).",
            Some(ConsultResult::NoAction),
        ),
        (
            "becker",
            230,
            AgeBand::A0,
            "Vater überfordert nach Trennung, Säugling gut versorgt.",
            Some(ConsultResult::TalkParents),
        ),
        (
            "tenhagen",
            320,
            AgeBand::A6,
            "Kind häufig krank in der Schule, Eltern reagieren nicht.",
            Some(ConsultResult::TalkParents),
        ),
    ];
    for (login, days_ago, band, summary, result) in list {
        let me = staff(store, login)?;
        let t = at(today, days_ago, 10, 30);
        let id = store.request_consult(&me, band, summary, t)?;
        if let Some(r) = result {
            store.advise_consult(
                &insofa,
                id,
                1,
                r,
                "Beratung telefonisch, Einschätzung dokumentiert.",
                t + Duration::days(1),
            )?;
        }
    }
    Ok(())
}

/// The demo's on-call rota (docs/casework.md § 5): the on-call worker has a 24-hour duty
/// from 08:00 each day, for the whole time the demo's referrals span (a year back) and
/// four weeks ahead, entered by the Jugendamt's lead.
pub fn write_rota(store: &Store, today: NaiveDate) -> Result<(), StorageError> {
    let (Some(lead), Some(worker)) = (
        store.staff_by_login("tueshaus")?,
        store.staff_by_login(crate::demo::DEMO_ONCALL_USER)?,
    ) else {
        return Ok(());
    };
    for offset in -366..28 {
        let day = today + chrono::Duration::days(offset);
        let start = crate::domain::tz::from_local(day.and_hms_opt(8, 0, 0).unwrap_or_default());
        let end = crate::domain::tz::from_local(
            (day + chrono::Duration::days(1))
                .and_hms_opt(8, 0, 0)
                .unwrap_or_default(),
        );
        store.add_shift(&lead, worker.id, start, end)?;
    }
    Ok(())
}
