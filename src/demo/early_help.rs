//! Demo early help (docs/early-help.md, issue #20): young parents whose contact requests
//! stand in every state — an observation, a talk, a consent, a refusal with a follow-up,
//! requests waiting at the Jugendamt (one past its deadline), taken, contacted, closed with
//! and without feedback, one revoked after sending, one turned into a referral. Written
//! through the store's own steps; afterwards the sending times are moved into the past, so
//! that the deadlines of the demo run as they would have.

use chrono::{Duration, NaiveDate};

use crate::domain::Staff;
use crate::domain::calendar::WorkCalendar;
use crate::domain::consent::{ConsentForm, DeclaredBy};
use crate::domain::early_help::{
    ChildBand, Concern, ContactPref, EhData, EhDeadlines, HelpKind, Outcome,
};
use crate::domain::referral::{IndicatorArea, Rating};
use crate::model::draft::{REFERRAL_DRAFT, SessionId};
use crate::model::early_help::{EhChild, EhConsent, EhObservation, EhTalk};
use crate::storage::{StorageError, Store};

/// How far a demo request has come.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Goal {
    Observed,
    Talked,
    Consented,
    Declined,
    Requested,
    Taken,
    Contacted,
    Closed,
    Revoked,
    Converted,
}

struct Spec {
    by: &'static str,
    parent: &'static str,
    contact: &'static str,
    children: &'static [(&'static str, ChildBand)],
    ratings: &'static [(usize, IndicatorArea, Rating)],
    facts: &'static str,
    concerns: &'static [Concern],
    words: &'static str,
    data: &'static [EhData],
    feedback: bool,
    goal: Goal,
    /// Days before today it was sent.
    sent_days_ago: i64,
    taker: &'static str,
    outcome: Option<(Outcome, Option<HelpKind>)>,
}

const ALL_DATA: &[EhData] = &[
    EhData::Contact,
    EhData::Children,
    EhData::Concern,
    EhData::OwnWords,
];

const SPECS: &[Spec] = &[
    Spec {
        by: "brinkmann",
        parent: "Aylin Kaya",
        contact: "0176 4410 2201",
        children: &[("Elif", ChildBand::B1)],
        ratings: &[(0, IndicatorArea::Medical, Rating::Yellow)],
        facts: "Elif (1) war laut Mutter seit der U6 bei keiner Vorsorge; Termine verpasst, weil die Mutter in der Maßnahme ist.",
        concerns: &[],
        words: "",
        data: &[],
        feedback: false,
        goal: Goal::Observed,
        sent_days_ago: 0,
        taker: "",
        outcome: None,
    },
    Spec {
        by: "brinkmann",
        parent: "Nicole Brandt",
        contact: "0152 7781 0934, Feldstraße 12",
        children: &[("Finn", ChildBand::Under1)],
        ratings: &[(0, IndicatorArea::OverwhelmedParents, Rating::Yellow)],
        facts: "Frau Brandt kam zweimal unausgeschlafen und weinend zum Termin; Finn schreit viel.",
        concerns: &[Concern::Overwhelmed, Concern::SingleParent],
        words: "Ich komme mit dem Schreien nicht klar, ich schlafe kaum noch.",
        data: &[],
        feedback: false,
        goal: Goal::Talked,
        sent_days_ago: 0,
        taker: "",
        outcome: None,
    },
    Spec {
        by: "brinkmann",
        parent: "Tamara Wolff",
        contact: "0171 2209 4410",
        children: &[("Lina", ChildBand::B3), ("Ben", ChildBand::B1)],
        ratings: &[(1, IndicatorArea::Medical, Rating::Yellow)],
        facts: "Ben hat die U7 nicht wahrgenommen; Mutter wirkt erschöpft, zwei Kinder, Umzug steht an.",
        concerns: &[Concern::Health, Concern::Housing],
        words: "Ich will ja, dass die Kinder zum Arzt gehen, aber ich schaffe das gerade nicht.",
        data: ALL_DATA,
        feedback: true,
        goal: Goal::Consented,
        sent_days_ago: 0,
        taker: "",
        outcome: None,
    },
    Spec {
        by: "karaca",
        parent: "Jessica Maaß",
        contact: "0157 3390 1187",
        children: &[("Noah", ChildBand::B1)],
        ratings: &[(0, IndicatorArea::OverwhelmedParents, Rating::Yellow)],
        facts: "Frau Maaß wirkt überfordert; Noah oft allein mit der Oma.",
        concerns: &[Concern::Overwhelmed],
        words: "",
        data: &[],
        feedback: false,
        goal: Goal::Declined,
        sent_days_ago: 0,
        taker: "",
        outcome: None,
    },
    Spec {
        by: "brinkmann",
        parent: "Sandra Jelinek",
        contact: "0160 5512 8823",
        children: &[("Mila", ChildBand::B3)],
        ratings: &[(0, IndicatorArea::Development, Rating::Yellow)],
        facts: "Mila spricht mit fast vier Jahren kaum; Kita-Platz fehlt.",
        concerns: &[Concern::Health, Concern::Language],
        words: "Sie spricht einfach noch nicht richtig.",
        data: &[EhData::Contact, EhData::Children, EhData::Concern],
        feedback: true,
        goal: Goal::Requested,
        sent_days_ago: 7,
        taker: "",
        outcome: None,
    },
    Spec {
        by: "nowicki",
        parent: "Olga Petrenko",
        contact: "0176 8801 4402",
        children: &[("Sofia", ChildBand::Under1)],
        ratings: &[(0, IndicatorArea::OverwhelmedParents, Rating::Yellow)],
        facts: "Junge Mutter, neu in Herten, kennt niemanden; Sofia drei Monate alt.",
        concerns: &[Concern::Language, Concern::SingleParent],
        words: "Ich kenne hier niemanden und weiß nicht, wohin.",
        data: ALL_DATA,
        feedback: true,
        goal: Goal::Requested,
        sent_days_ago: 0,
        taker: "",
        outcome: None,
    },
    Spec {
        by: "brinkmann",
        parent: "Laura Kemper",
        contact: "0151 6670 3321",
        children: &[("", ChildBand::Expected)],
        ratings: &[(0, IndicatorArea::Medical, Rating::Yellow)],
        facts: "Schwanger im 7. Monat, noch keine Hebamme, wohnt bei der Mutter.",
        concerns: &[Concern::Pregnancy, Concern::Housing],
        words: "Ich habe noch keine Hebamme gefunden.",
        data: ALL_DATA,
        feedback: true,
        goal: Goal::Taken,
        sent_days_ago: 2,
        taker: "huesken",
        outcome: None,
    },
    Spec {
        by: "moellers",
        parent: "Melanie Fuchs",
        contact: "0162 9901 2276",
        children: &[("Emma", ChildBand::Under1), ("Luis", ChildBand::B3)],
        ratings: &[(0, IndicatorArea::OverwhelmedParents, Rating::Yellow)],
        facts: "Zwei kleine Kinder, Partner ausgezogen; Mutter sagt selbst, sie brauche Hilfe.",
        concerns: &[Concern::Overwhelmed, Concern::SingleParent],
        words: "Seit er weg ist, wächst mir alles über den Kopf.",
        data: ALL_DATA,
        feedback: true,
        goal: Goal::Contacted,
        sent_days_ago: 4,
        taker: "wagner",
        outcome: None,
    },
    Spec {
        by: "brinkmann",
        parent: "Vanessa Thiel",
        contact: "0173 4456 0091",
        children: &[("Paul", ChildBand::Under1)],
        ratings: &[(0, IndicatorArea::Nutrition, Rating::Yellow)],
        facts: "Paul nimmt laut Mutter schlecht zu; Kinderarzttermin verpasst.",
        concerns: &[Concern::Health],
        words: "Er trinkt so wenig.",
        data: ALL_DATA,
        feedback: true,
        goal: Goal::Closed,
        sent_days_ago: 30,
        taker: "huesken",
        outcome: Some((Outcome::Accepted, Some(HelpKind::FamilyMidwife))),
    },
    Spec {
        by: "sahin",
        parent: "Kübra Aydın",
        contact: "0176 1120 5567",
        children: &[("Yusuf", ChildBand::B1)],
        ratings: &[(0, IndicatorArea::Supervision, Rating::Yellow)],
        facts: "Yusuf war zweimal beim Termin im Treppenhaus allein.",
        concerns: &[Concern::Overwhelmed],
        words: "",
        data: &[EhData::Contact, EhData::Concern],
        feedback: false,
        goal: Goal::Closed,
        sent_days_ago: 45,
        taker: "wagner",
        outcome: Some((Outcome::NoHelpWanted, None)),
    },
    Spec {
        by: "karaca",
        parent: "Chantal Beckmann",
        contact: "0152 3378 9912",
        children: &[("Leonie", ChildBand::B3)],
        ratings: &[(0, IndicatorArea::Hygiene, Rating::Yellow)],
        facts: "Leonie kommt oft in denselben Sachen; Mutter wirkt antriebslos.",
        concerns: &[Concern::Overwhelmed],
        words: "Ich will das mit dem Jugendamt doch nicht.",
        data: ALL_DATA,
        feedback: true,
        goal: Goal::Revoked,
        sent_days_ago: 6,
        taker: "huesken",
        outcome: None,
    },
    Spec {
        by: "wojcik",
        parent: "Sarah Lindemann",
        contact: "0157 8834 2210",
        children: &[("Mats", ChildBand::B1)],
        ratings: &[
            (0, IndicatorArea::OverwhelmedParents, Rating::Yellow),
            (0, IndicatorArea::DomesticViolence, Rating::Red),
        ],
        facts: "Im Gespräch berichtet die Mutter von Schlägen des Partners vor dem Kind.",
        concerns: &[Concern::Overwhelmed],
        words: "Wenn er trinkt, wird er laut, und Mats ist dabei.",
        data: ALL_DATA,
        feedback: true,
        goal: Goal::Converted,
        sent_days_ago: 20,
        taker: "",
        outcome: None,
    },
];

fn staff(store: &Store, login: &str) -> Result<Staff, StorageError> {
    store.staff_by_login(login)?.ok_or(StorageError::NotFound)
}

fn version(store: &Store, me: &Staff, id: i64) -> Result<i64, StorageError> {
    Ok(store
        .eh_request(me, id, &WorkCalendar::default(), &EhDeadlines::default())?
        .version)
}

/// Writes the demo requests relative to the store's day: the steps are dated by the
/// store's clock, so their dates follow it, not the demo's anchor day.
pub fn write(store: &Store) -> Result<(), StorageError> {
    let today = store.clock().today();
    for spec in SPECS {
        write_one(store, today, spec)?;
    }
    Ok(())
}

fn write_one(store: &Store, today: NaiveDate, spec: &Spec) -> Result<(), StorageError> {
    let me = staff(store, spec.by)?;
    let obs = EhObservation {
        parent_name: spec.parent.to_string(),
        parent_contact: spec.contact.to_string(),
        case_id: None,
        children: spec
            .children
            .iter()
            .map(|(n, b)| EhChild {
                first_name: (*n).to_string(),
                band: *b,
            })
            .collect(),
        ratings: spec.ratings.to_vec(),
        weighty: false,
        acute: false,
        facts: spec.facts.to_string(),
        reason: if spec.ratings.iter().any(|r| r.2 == Rating::Red) {
            "Erst das Gespräch: Die Mutter will selbst Hilfe, der Partner ist ausgezogen.".into()
        } else {
            String::new()
        },
    };
    let id = store.eh_observe(&me, &obs)?;
    if spec.goal == Goal::Observed {
        return Ok(());
    }
    store.eh_talk(
        &me,
        id,
        version(store, &me, id)?,
        &EhTalk {
            talk_on: today,
            concerns: spec.concerns.to_vec(),
            own_words: spec.words.to_string(),
            contact_pref: vec![ContactPref::Phone, ContactPref::Joint],
            best_times: "vormittags".to_string(),
        },
    )?;
    if spec.goal == Goal::Talked {
        return Ok(());
    }
    if spec.goal == Goal::Declined {
        store.eh_decline(
            &me,
            id,
            version(store, &me, id)?,
            today,
            Some(today + Duration::days(28)),
        )?;
        return Ok(());
    }
    store.eh_consent(
        &me,
        id,
        version(store, &me, id)?,
        &EhConsent {
            signed_on: today,
            declared_by: DeclaredBy::YoungPerson,
            form: ConsentForm::Written,
            document_ref: "E-Akte Jobcenter".to_string(),
            data: spec.data.to_vec(),
            feedback: spec.feedback,
        },
    )?;
    if spec.goal == Goal::Consented {
        return Ok(());
    }
    if spec.goal == Goal::Converted {
        store.eh_convert(&me, &SessionId::none(), id, version(store, &me, id)?)?;
        // The worker sent the referral long ago: the draft became one of the demo's
        // referrals of the same worker.
        store.delete_draft(&SessionId::none(), me.id, REFERRAL_DRAFT, 0)?;
        let now = store.clock().now();
        let referral = store
            .referrals_for(
                &me,
                now,
                &WorkCalendar::default(),
                &crate::domain::referral::Deadlines::default(),
            )?
            .iter()
            .map(|r| r.id)
            .min();
        if let Some(r) = referral {
            store.eh_link_referral(&me, id, r)?;
        }
        return Ok(());
    }
    store.eh_send(&me, id, version(store, &me, id)?)?;
    if spec.goal >= Goal::Taken && !spec.taker.is_empty() {
        let fh = staff(store, spec.taker)?;
        store.eh_take(&fh, id, version(store, &fh, id)?)?;
        if spec.goal == Goal::Revoked {
            store.eh_revoke(&me, id, version(store, &me, id)?, today)?;
        }
        if matches!(spec.goal, Goal::Contacted | Goal::Closed) {
            store.eh_first_contact(&fh, id, version(store, &fh, id)?, today)?;
        }
        if spec.goal == Goal::Closed {
            store.eh_close(&fh, id, version(store, &fh, id)?, spec.outcome)?;
        }
    }
    backdate(store, id, spec.sent_days_ago)
}

/// Moves a request's times `days` into the past (the steps were written today).
fn backdate(store: &Store, id: i64, days: i64) -> Result<(), StorageError> {
    if days == 0 {
        return Ok(());
    }
    store.eh_demo_backdate(id, days)
}
