//! Case conferences through the keys: planning with the live clash check and proposals
//! (never on a holiday), the state machine, minutes whose decisions become measures of the
//! case file and roll into the next conference's agenda, and marking them done.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use chrono::NaiveDate;
use support::{app_on, keys, screen, test_app};
use tandem::app::App;
use tandem::app::layers::conf_dialog::ConfDialog;
use tandem::app::layers::conf_menu::ConfStepMenu;
use tandem::app::layers::planning_form::PlanningForm;
use tandem::app::rows::RowEditor;
use tandem::app::screens::conf::ConfView;
use tandem::domain::casefile::MeasureStatus;
use tandem::domain::conference::{Attendance, ConferenceStatus, Invitation};
use tandem::domain::schedule::{Appointment, AppointmentKind};
use tandem::domain::{CaseId, tz};
use tandem::storage::{OpenMode, Store};
use tandem::strings::Lang;

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
}

/// A case of `app.me` with a consent that covers the partner, and its staff.
fn my_case(app: &App) -> (CaseId, Vec<i64>) {
    let store = app.store();
    for id in 1..=300 {
        let Ok(case) = store.load_case(&app.me, CaseId(id)) else {
            continue;
        };
        if case.jc_staff == Some(app.me.id) && case.ja_staff.is_some() {
            let staff = [case.jc_staff, case.ja_staff]
                .into_iter()
                .flatten()
                .map(|s| s.0)
                .collect();
            return (case.id, staff);
        }
    }
    panic!("no case of {}", app.me.login);
}

/// The rows of the open planning form.
fn form(app: &App) -> Option<&RowEditor> {
    app.layer::<PlanningForm>().map(|f| &f.editor)
}

/// The live check of the open planning form.
fn check(app: &App) -> &tandem::app::layers::planning_form::SlotCheck {
    &app.layer::<PlanningForm>()
        .expect("the planning form is open")
        .check
}

/// The key of the focused row of the planning form.
fn focused(app: &App) -> Option<String> {
    form(app).and_then(|f| f.current()).map(|r| r.key.clone())
}

fn set_field(app: &mut App, key: &str, text: &str) {
    for _ in 0..60 {
        if focused(app).as_deref() == Some(key) {
            break;
        }
        keys(app, "<tab>");
    }
    assert_eq!(focused(app).as_deref(), Some(key));
    // Clear the field, then type.
    for _ in 0..40 {
        keys(app, "<backspace>");
    }
    keys(app, &text.replace(' ', " <space> "));
}

#[test]
fn a_clash_is_shown_before_saving_with_the_person_and_free_slots_that_skip_the_holiday() {
    let mut app = test_app("brinkmann");
    // The clock: Tuesday 2 June 2026, the week of Fronleichnam (Thursday 4 June).
    app.clock().set(tz::from_local(at(2026, 6, 2, 9, 0)));
    let (case, staff) = my_case(&app);
    let ja = *staff.last().unwrap();
    // The Jugendamt colleague is busy all Wednesday with another conference-like day.
    app.store()
        .add_appointment(&Appointment {
            id: String::new(),
            kind: AppointmentKind::Training,
            title: "Fortbildung Kinderschutz".into(),
            start: at(2026, 6, 3, 8, 0),
            end: at(2026, 6, 3, 16, 0),
            attendees: vec![ja],
            room: None,
        })
        .unwrap();
    keys(&mut app, "<f3>");
    keys(&mut app, "n");
    assert!(app.has_layer::<PlanningForm>());
    set_field(&mut app, "case_no", &case.0.to_string());
    set_field(&mut app, "question", "Wohnsituation klären");
    set_field(&mut app, "start", "03.06.2026 10:00");
    let name = app
        .store()
        .staff_by_id(tandem::domain::StaffId(ja))
        .unwrap()
        .unwrap()
        .display_name();
    let warnings = check(&app).warnings.clone();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains(&name) && w.contains("Fortbildung Kinderschutz")),
        "{warnings:?}"
    );
    let text = screen(&mut app, 80, 24);
    assert!(text.contains(&name), "{text}");
    // Proposals: the next free times, never Thursday 4 June (Fronleichnam).
    let slots = check(&app).slots.clone();
    assert!(!slots.is_empty());
    assert!(
        slots
            .iter()
            .all(|s| s.date() != NaiveDate::from_ymd_opt(2026, 6, 4).unwrap())
    );
    assert_eq!(slots[0], at(2026, 6, 5, 8, 0), "{slots:?}");
    // Saving refuses once and names the clash at the field.
    keys(&mut app, "<ctrl-s>");
    assert!(app.has_layer::<PlanningForm>());
    let f = form(&app).unwrap();
    assert!(f.errors.get("start").unwrap().contains(&name));
    // Taking the first proposal clears it.
    while focused(&app).as_deref() != Some("slot") {
        keys(&mut app, "<tab>");
    }
    keys(&mut app, "<right>");
    assert!(
        check(&app).warnings.is_empty(),
        "{:?}",
        check(&app).warnings
    );
    keys(&mut app, "<ctrl-s>");
    assert!(!app.has_layer::<PlanningForm>(), "{:?}", app.status);
    assert_eq!(app.conf.view, ConfView::Detail, "{:?}", app.status);
    let c = app.conf.detail.as_ref().unwrap();
    assert_eq!(c.start, Some(at(2026, 6, 5, 8, 0)));
    assert_eq!(c.status, ConferenceStatus::Scheduled);
}

#[test]
fn october_third_is_never_proposed() {
    let mut app = test_app("brinkmann");
    // Friday 2 October 2026 at 15:00: the next day is Saturday 3 October (Tag der Deutschen
    // Einheit), then Sunday.
    app.clock().set(tz::from_local(at(2026, 10, 2, 15, 0)));
    let (case, _) = my_case(&app);
    keys(&mut app, "<f3> n");
    set_field(&mut app, "case_no", &case.0.to_string());
    set_field(&mut app, "start", "03.10.2026 10:00");
    let w = check(&app).warnings.join(" ");
    assert!(w.contains("Tag der Deutschen Einheit"), "{w}");
    let slots = &check(&app).slots;
    assert!(!slots.is_empty());
    assert!(
        slots
            .iter()
            .all(|s| s.date() >= NaiveDate::from_ymd_opt(2026, 10, 5).unwrap()),
        "{slots:?}"
    );
}

#[test]
fn decisions_become_measures_in_the_case_file_and_the_next_agenda() {
    let mut app = test_app("brinkmann");
    let (case, staff) = my_case(&app);
    let store = app.store();
    let me = app.me.clone();
    // A conference held yesterday.
    let participants = staff
        .iter()
        .map(|s| {
            let st = store
                .staff_by_id(tandem::domain::StaffId(*s))
                .unwrap()
                .unwrap();
            tandem::domain::conference::Participant {
                staff: Some(*s),
                external_name: String::new(),
                external_org: String::new(),
                agency: Some(st.agency),
                role: tandem::domain::conference::ParticipantRole::Pap,
                invitation: tandem::domain::conference::Invitation::Invited,
                attendance: None,
                guardian: None,
            }
        })
        .collect();
    let id = store
        .create_conference(
            &me,
            &tandem::model::conference::NewConference {
                case_id: case,
                kind: tandem::domain::conference::ConferenceKind::First,
                question: "Ausbildung".into(),
                start: Some(at(2026, 11, 24, 10, 0)),
                duration_min: 60,
                location: "Raum 1".into(),
                anonymised: true,
                participants,
                topics: vec![],
            },
            support::today(),
        )
        .unwrap();
    let now = app.now();
    let v = store.conference(&me, id).unwrap().version;
    store
        .conference_step(
            &me,
            id,
            v,
            tandem::domain::conference::ConferenceAction::Invite,
            None,
            "",
            now,
        )
        .unwrap();
    let v = store.conference(&me, id).unwrap().version;
    store
        .conference_step(
            &me,
            id,
            v,
            tandem::domain::conference::ConferenceAction::MarkHeld,
            None,
            "",
            now,
        )
        .unwrap();
    // Minutes through the keys: open it, m, "Protokoll und Vereinbarungen".
    keys(&mut app, "<f3>");
    let pos = app
        .conf
        .items
        .iter()
        .position(|it| matches!(it, tandem::app::screens::conf::AgendaItem::Conference(i) if app.conf.rows[*i].id == id))
        .expect("the held conference is listed");
    keys(&mut app, "<home>");
    for _ in 0..pos {
        keys(&mut app, "<down>");
    }
    keys(&mut app, "<enter> m");
    let idx = app
        .layer::<ConfStepMenu>()
        .unwrap()
        .items
        .iter()
        .position(|m| *m == tandem::strings::conf::ConfMenu::Minutes)
        .unwrap();
    for _ in 0..idx {
        keys(&mut app, "<down>");
    }
    keys(&mut app, "<enter>");
    keys(&mut app, "Ausbildungsplatz <space> gesucht <tab>");
    keys(
        &mut app,
        "Bewerbung <space> schreiben <tab> <right> <tab> 15.12.2026 <ctrl-s>",
    );
    assert_eq!(
        app.top_layer(),
        None,
        "{:?} {:?}",
        app.status,
        app.layer::<ConfDialog>().map(|d| &d.editor.errors)
    );
    let c = app.conf.detail.as_ref().unwrap();
    assert_eq!(c.status, ConferenceStatus::MinutesDraft);
    assert_eq!(app.conf.agenda.1.len(), 1);
    let measure = app.conf.agenda.1[0].measure.clone();
    assert_eq!(measure.text, "Bewerbung schreiben");
    assert_eq!(measure.status, MeasureStatus::Open);
    // The measure is in the case file.
    let file = app.store().case_file(&me, case, support::today()).unwrap();
    assert!(
        file.measures
            .iter()
            .any(|m| m.id == measure.id && m.status == MeasureStatus::Open)
    );
    // A follow-up conference carries it in its agenda while open.
    let follow = app
        .store()
        .create_conference(
            &me,
            &tandem::model::conference::NewConference {
                case_id: case,
                kind: tandem::domain::conference::ConferenceKind::FollowUp,
                question: "Stand".into(),
                start: Some(at(2026, 12, 10, 10, 0)),
                duration_min: 60,
                location: String::new(),
                anonymised: true,
                participants: vec![],
                topics: vec![],
            },
            support::today(),
        )
        .unwrap();
    let (carried, _) = app.store().conference_agenda(&me, follow).unwrap();
    assert!(carried.iter().any(|m| m.measure.id == measure.id));
    // Marked done in the conference: the case file shows it done and the agenda drops it.
    keys(&mut app, "m");
    let idx = app
        .layer::<ConfStepMenu>()
        .unwrap()
        .items
        .iter()
        .position(|m| *m == tandem::strings::conf::ConfMenu::MeasureDone)
        .unwrap();
    for _ in 0..idx {
        keys(&mut app, "<down>");
    }
    keys(&mut app, "<enter>");
    // Choose our measure.
    for _ in 0..20 {
        let d = app.layer::<ConfDialog>().unwrap();
        if d.editor.value("measure") == measure.id.to_string() {
            break;
        }
        keys(&mut app, "<right>");
    }
    keys(&mut app, "<ctrl-s>");
    assert_eq!(app.top_layer(), None, "{:?}", app.status);
    let file = app.store().case_file(&me, case, support::today()).unwrap();
    assert!(
        file.measures
            .iter()
            .any(|m| m.id == measure.id && m.status == MeasureStatus::Done)
    );
    let (carried, _) = app.store().conference_agenda(&me, follow).unwrap();
    assert!(!carried.iter().any(|m| m.measure.id == measure.id));
}

#[test]
fn the_minutes_need_a_second_approval_from_the_other_agency() {
    let app = test_app("brinkmann");
    let (case, staff) = my_case(&app);
    let me = app.me.clone();
    let store = app.into_store();
    let ja = store
        .staff_by_id(tandem::domain::StaffId(*staff.last().unwrap()))
        .unwrap()
        .unwrap();
    let (id, now) = held_with(&store, &me, &ja, case);
    let v = store.conference(&me, id).unwrap().version;
    store
        .save_minutes(&me, id, v, "Protokoll", &[], now)
        .unwrap();
    let v = store.conference(&me, id).unwrap().version;
    assert!(
        !store.approve_minutes(&me, id, v, now).unwrap(),
        "first approval only"
    );
    let v = store.conference(&me, id).unwrap().version;
    // The same person cannot give the second approval.
    assert!(store.approve_minutes(&me, id, v, now).is_err());
    // A colleague of the same agency cannot either.
    let karaca = store.staff_by_login("karaca").unwrap().unwrap();
    assert!(store.approve_minutes(&karaca, id, v, now).is_err());
    // A Jugendamt participant recorded as excused cannot.
    store
        .set_participation(
            &me,
            id,
            v,
            &[
                (Invitation::Accepted, Some(Attendance::Present)),
                (Invitation::Declined, Some(Attendance::Excused)),
            ],
            now,
        )
        .unwrap();
    let v = store.conference(&me, id).unwrap().version;
    assert!(store.approve_minutes(&ja, id, v, now).is_err());
    store
        .set_participation(
            &me,
            id,
            v,
            &[
                (Invitation::Accepted, Some(Attendance::Present)),
                (Invitation::Accepted, Some(Attendance::Present)),
            ],
            now,
        )
        .unwrap();
    let v = store.conference(&me, id).unwrap().version;
    // The present Jugendamt participant can.
    assert!(store.approve_minutes(&ja, id, v, now).unwrap());
    let c = store.conference(&me, id).unwrap();
    assert_eq!(c.status, ConferenceStatus::MinutesApproved);
    let mut app = app_on(store, "brinkmann", Lang::De);
    keys(&mut app, "<f3>");
    let _ = screen(&mut app, 80, 24);
}

#[test]
fn a_planning_form_and_minutes_survive_the_end_of_a_session() {
    let mut app = test_app("brinkmann");
    let (case, _) = my_case(&app);
    keys(&mut app, "<f3> n");
    set_field(&mut app, "case_no", &case.0.to_string());
    set_field(&mut app, "question", "Schulden und Wohnung");
    set_field(&mut app, "start", "+1w 10:00");
    // The session ends (idle lock, hang-up): the form is a draft of this person only.
    app.lock();
    let store = app.into_store();
    let other = app_on(store, "karaca", Lang::De);
    assert!(other.offers.is_empty());
    let mut app = app_on(other.into_store(), "brinkmann", Lang::De);
    assert_eq!(app.offers.len(), 1);
    assert_eq!(
        app.offer_label().unwrap().0,
        format!("Fallkonferenz planen, Fall {}", case.0),
        "the offer names the form and the case number, not the person"
    );
    keys(&mut app, "j");
    assert_eq!(app.screen, tandem::app::Screen::Conferences);
    let f = form(&app).expect("the planning form is open");
    assert_eq!(f.value("question"), "Schulden und Wohnung");
    assert_eq!(f.value("start"), "+1w 10:00");
    assert_eq!(f.value("case_no"), case.0.to_string());
    assert!(
        check(&app).parsed.is_some(),
        "the check runs on the restored form"
    );
    // Saved: the draft is gone.
    keys(&mut app, "<ctrl-s>");
    if app.has_layer::<PlanningForm>() {
        keys(&mut app, "<ctrl-s>"); // acknowledge a warning, if the demo week has one
    }
    assert_eq!(app.conf.view, ConfView::Detail, "{:?}", app.status);
    let me = app.me.id;
    assert!(app.store().drafts_for(me).unwrap().is_empty());
}

#[test]
fn minutes_being_written_survive_the_end_of_a_session() {
    let mut app = test_app("brinkmann");
    let id = held_conference(&app);
    open_minutes(&mut app, id);
    keys(
        &mut app,
        "Mutter <space> erreicht <enter> Termin <space> vereinbart",
    );
    app.lock();
    let case = app.store().conference(&app.me, id).unwrap().case_id;
    let mut app = app_on(app.into_store(), "brinkmann", Lang::De);
    assert_eq!(
        app.offer_label().unwrap().0,
        format!("Protokoll, Fallkonferenz 24.11.2026, Fall {}", case.0),
        "the offer names the conference it belongs to (#23, defect 1)"
    );
    // The long offer fits its box: the answers stay inside it.
    let text = screen(&mut app, 80, 24);
    let answers = text
        .lines()
        .find(|l| l.contains("j Ja · n Nein"))
        .unwrap_or_else(|| panic!("no answers\n{text}"));
    assert!(
        answers
            .split("n Nein")
            .nth(1)
            .is_some_and(|rest| rest.contains('│')),
        "{text}"
    );
    keys(&mut app, "j");
    assert!(app.has_layer::<ConfDialog>());
    let d = app.layer::<ConfDialog>().unwrap();
    assert_eq!(
        d.editor.value("minutes"),
        "Mutter erreicht\nTermin vereinbart"
    );
}

#[test]
fn an_agreement_marked_done_in_the_case_file_leaves_the_conference_agenda() {
    let mut app = test_app("brinkmann");
    let (case, _) = my_case(&app);
    let me = app.me.clone();
    let store = app.store();
    let c = store.load_case(&me, case).unwrap();
    // A conference with a carried open measure: add one to the case.
    let mid = store
        .add_measure(
            &me,
            case,
            &tandem::domain::casefile::Measure {
                id: 0,
                text: "Schuldnerberatung anfragen".into(),
                responsible: tandem::domain::casefile::Responsible::YoungPerson,
                due_on: NaiveDate::from_ymd_opt(2026, 12, 20).unwrap(),
                status: MeasureStatus::Open,
                result: String::new(),
            },
        )
        .unwrap();
    let conf = store
        .create_conference(
            &me,
            &tandem::model::conference::NewConference {
                case_id: case,
                kind: tandem::domain::conference::ConferenceKind::FollowUp,
                question: "Stand".into(),
                start: Some(at(2026, 12, 10, 10, 0)),
                duration_min: 60,
                location: String::new(),
                anonymised: true,
                participants: vec![],
                topics: vec![],
            },
            support::today(),
        )
        .unwrap();
    assert!(
        store
            .conference_agenda(&me, conf)
            .unwrap()
            .0
            .iter()
            .any(|m| m.measure.id == mid)
    );
    // Case file: filter by the name, open, "v", choose the measure, done.
    let filter = format!(
        "/ {} <enter> <enter>",
        c.person.surname.replace(' ', " <space> ")
    );
    keys(&mut app, &filter);
    assert_eq!(
        app.cases.file.as_ref().map(|f| f.case().id),
        Some(case),
        "{}",
        screen(&mut app, 80, 24)
    );
    keys(&mut app, "v");
    assert!(app.has_layer::<ConfDialog>());
    for _ in 0..20 {
        if app.layer::<ConfDialog>().unwrap().editor.value("measure") == mid.to_string() {
            break;
        }
        keys(&mut app, "<right>");
    }
    keys(&mut app, "<ctrl-s>");
    assert_eq!(app.top_layer(), None, "{:?}", app.status);
    let m = app
        .cases
        .file
        .as_ref()
        .unwrap()
        .view
        .measures
        .iter()
        .find(|m| m.id == mid)
        .unwrap()
        .clone();
    assert_eq!(m.status, MeasureStatus::Done);
    assert!(
        !app.store()
            .conference_agenda(&me, conf)
            .unwrap()
            .0
            .iter()
            .any(|m| m.measure.id == mid)
    );
}

/// Opens conference `id` on F3 and its step menu (`m`).
fn open_menu(app: &mut App, id: i64) -> Vec<tandem::strings::conf::ConfMenu> {
    keys(app, "<f3>");
    let pos = app
        .conf
        .items
        .iter()
        .position(|it| matches!(it, tandem::app::screens::conf::AgendaItem::Conference(i) if app.conf.rows[*i].id == id))
        .expect("the conference is listed");
    keys(app, "<home>");
    for _ in 0..pos {
        keys(app, "<down>");
    }
    keys(app, "<enter>");
    assert_eq!(app.conf.detail.as_ref().map(|d| d.id), Some(id));
    keys(app, "m");
    let menu = app
        .layer::<ConfStepMenu>()
        .map(|m| m.items.clone())
        .unwrap_or_default();
    if app.top_layer().is_some() {
        keys(app, "<esc>");
    }
    keys(app, "<esc>");
    assert_eq!(app.conf.view, ConfView::Agenda);
    menu
}

#[test]
fn a_team_lead_may_cancel_a_conference_but_not_schedule_or_postpone_it() {
    use tandem::domain::conference::{ConferenceAction as A, ConferenceKind, Participant};
    use tandem::domain::refusal::Refusal;
    use tandem::model::conference::NewConference;
    use tandem::storage::StorageError;
    use tandem::strings::conf::ConfMenu;
    let store = support::demo_store();
    let caseworker = store.staff_by_login("brinkmann").unwrap().unwrap();
    let lead = store.staff_by_login("schwering").unwrap().unwrap();
    assert!(lead.has_role(tandem::domain::Role::Lead));
    // A Jobcenter case of the caseworker: the Jobcenter lead reads it, is not assigned.
    let case = (1..=300)
        .filter_map(|id| store.load_case(&caseworker, CaseId(id)).ok())
        .find(|c| c.jc_staff == Some(caseworker.id))
        .expect("a case of the caseworker");
    assert_eq!(
        store.conference_relation(&lead, case.id).unwrap(),
        tandem::domain::access::Relation::Lead
    );
    let new = |start| NewConference {
        case_id: case.id,
        kind: ConferenceKind::FollowUp,
        question: "Stand".into(),
        start,
        duration_min: 60,
        location: "Raum 1".into(),
        anonymised: true,
        participants: vec![Participant {
            staff: Some(caseworker.id.0),
            external_name: String::new(),
            external_org: String::new(),
            agency: Some(caseworker.agency),
            role: tandem::domain::conference::ParticipantRole::Pap,
            invitation: Invitation::Accepted,
            attendance: None,
            guardian: None,
        }],
        topics: vec![],
    };
    let today = support::today();
    // The lead may not create one, with or without a date.
    for start in [None, Some(at(2026, 12, 2, 10, 0))] {
        assert!(matches!(
            store.create_conference(&lead, &new(start), today),
            Err(StorageError::Refused(Refusal::NotAllowed))
        ));
    }
    let scheduled = store
        .create_conference(&caseworker, &new(Some(at(2026, 12, 2, 10, 0))), today)
        .unwrap();
    let requested = store
        .create_conference(&caseworker, &new(None), today)
        .unwrap();
    let now = tz::from_local(at(2026, 11, 25, 10, 0));
    let step = |id: i64, action, start, reason: &str| {
        let v = store.conference(&lead, id).unwrap().version;
        store.conference_step(&lead, id, v, action, start, reason, now)
    };
    let before = store.conference(&lead, scheduled).unwrap();
    let later = Some(at(2026, 12, 9, 10, 0));
    // "Termin festlegen", "Vertagen" (and the Fallführung's "Einladen"): refused, typed.
    for (id, action, start) in [
        (requested, A::Schedule, later),
        (scheduled, A::Postpone, later),
        (scheduled, A::Invite, None),
    ] {
        assert!(
            matches!(
                step(id, action, start, "Urlaub"),
                Err(StorageError::Refused(Refusal::NotAllowed))
            ),
            "{action:?}"
        );
    }
    assert_eq!(store.conference(&lead, scheduled).unwrap(), before);
    assert_eq!(
        store.conference(&lead, requested).unwrap().status,
        ConferenceStatus::Requested
    );

    // The screen offers the lead only "Absagen" of the steps; the caseworker all of them.
    let mut app = app_on(store, "schwering", Lang::De);
    app.clock().set(now);
    let menu = open_menu(&mut app, scheduled);
    assert!(menu.contains(&ConfMenu::Cancel), "{menu:?}");
    for hidden in [ConfMenu::Postpone, ConfMenu::Invite, ConfMenu::Held] {
        assert!(!menu.contains(&hidden), "{hidden:?} offered: {menu:?}");
    }
    let menu = open_menu(&mut app, requested);
    assert!(!menu.contains(&ConfMenu::Postpone), "{menu:?}");

    // Cancelling stays the lead's (docs/domain.md 4.2: "Absagen: Fallführung, lead"), with a reason.
    let store = app.store();
    let v = store.conference(&lead, scheduled).unwrap().version;
    assert!(matches!(
        store.conference_step(&lead, scheduled, v, A::Cancel, None, " ", now),
        Err(StorageError::Refused(Refusal::ReasonNeeded))
    ));
    store
        .conference_step(&lead, scheduled, v, A::Cancel, None, "Fall ruht", now)
        .unwrap();
    assert_eq!(
        store.conference(&lead, scheduled).unwrap().status,
        ConferenceStatus::Cancelled
    );

    let mut own = app_on(support::demo_store(), "brinkmann", Lang::De);
    own.clock().set(now);
    let id = own
        .store()
        .create_conference(&caseworker, &new(Some(at(2026, 12, 2, 10, 0))), today)
        .unwrap();
    let menu = open_menu(&mut own, id);
    for offered in [ConfMenu::Invite, ConfMenu::Postpone, ConfMenu::Cancel] {
        assert!(menu.contains(&offered), "{offered:?} missing: {menu:?}");
    }
}

/// Opens conference `id` on F3 and chooses `step` in its menu.
fn open_step(app: &mut App, id: i64, step: tandem::strings::conf::ConfMenu) {
    keys(app, "<f3>");
    let pos = app
        .conf
        .items
        .iter()
        .position(|it| matches!(it, tandem::app::screens::conf::AgendaItem::Conference(i) if app.conf.rows[*i].id == id))
        .expect("the conference is listed");
    keys(app, "<home>");
    for _ in 0..pos {
        keys(app, "<down>");
    }
    keys(app, "<enter> m");
    let idx = app
        .layer::<ConfStepMenu>()
        .unwrap()
        .items
        .iter()
        .position(|m| *m == step)
        .unwrap();
    for _ in 0..idx {
        keys(app, "<down>");
    }
    keys(app, "<enter>");
    assert!(app.has_layer::<ConfDialog>());
}

/// Issue #23, defect 6: "Vertagen", "Absagen" and the minutes with typed input ask before
/// Esc throws it away; without input Esc closes at once.
#[test]
fn a_step_dialog_with_input_asks_before_it_is_discarded() {
    use tandem::app::layers::question::NAME as QUESTION;
    use tandem::strings::conf::ConfMenu;
    let mut app = test_app("brinkmann");
    let (case, _) = my_case(&app);
    let me = app.me.clone();
    let id = app
        .store()
        .create_conference(
            &me,
            &tandem::model::conference::NewConference {
                case_id: case,
                kind: tandem::domain::conference::ConferenceKind::FollowUp,
                question: "Stand".into(),
                start: Some(at(2026, 12, 2, 10, 0)),
                duration_min: 60,
                location: String::new(),
                anonymised: true,
                participants: vec![],
                topics: vec![],
            },
            support::today(),
        )
        .unwrap();
    for step in [ConfMenu::Postpone, ConfMenu::Cancel] {
        open_step(&mut app, id, step);
        // Nothing typed: Esc closes.
        keys(&mut app, "<esc>");
        assert_eq!(app.top_layer(), None, "{step:?}");
        open_step(&mut app, id, step);
        keys(&mut app, "<tab> Urlaub");
        keys(&mut app, "<esc>");
        assert_eq!(app.top_layer(), Some(QUESTION), "{step:?}");
        // "No": the dialog stays with what was typed.
        keys(&mut app, "n");
        let d = app.layer::<ConfDialog>().expect("the dialog stays open");
        assert!(d.editor.value("reason").contains("Urlaub"), "{step:?}");
        keys(&mut app, "<esc> j");
        assert_eq!(app.top_layer(), None, "{step:?}");
    }
    assert_eq!(
        app.store().conference(&me, id).unwrap().status,
        ConferenceStatus::Scheduled,
        "nothing was saved"
    );
}

/// Minutes being written are a draft of their conference until Esc and "discard" drop it.
#[test]
fn discarded_minutes_leave_no_draft() {
    let mut app = test_app("brinkmann");
    let me = app.me.clone();
    let id = crisis_conference(&app, at(2026, 11, 24, 14, 0));
    hold(&app, id);
    open_step(&mut app, id, tandem::strings::conf::ConfMenu::Minutes);
    keys(&mut app, "Mutter <space> erreicht");
    let published = |app: &App| app.shared_draft().lock().unwrap().clone();
    assert!(
        published(&app)
            .iter()
            .any(|d| d.form == "minutes" && d.record_id == id),
        "{:?}",
        published(&app)
    );
    keys(&mut app, "<esc> j");
    assert_eq!(app.top_layer(), None);
    assert!(published(&app).is_empty(), "{:?}", published(&app));
    assert!(app.store().drafts_for(me.id).unwrap().is_empty());
}

/// `p` in a case file and Esc, then F3: the week shows its conferences, not "Keine Termine"
/// (issue 23, defect 10).
#[test]
fn planning_from_a_case_file_and_leaving_keeps_the_week() {
    let mut plain = test_app("brinkmann");
    keys(&mut plain, "<f3>");
    let expected = screen(&mut plain, 80, 24);
    let mut app = test_app("brinkmann");
    keys(&mut app, "<enter> p <esc>");
    assert!(app.top_layer().is_none(), "the form closed");
    keys(&mut app, "<f3>");
    let now = screen(&mut app, 80, 24);
    assert!(!now.contains("Keine Termine"), "{now}");
    assert_eq!(now, expected);
}

/// An anonymised crisis conference of one of `app.me`'s cases at `start`, scheduled.
fn crisis_conference(app: &App, start: chrono::NaiveDateTime) -> i64 {
    let (case, _) = my_case(app);
    app.store()
        .create_conference(
            &app.me,
            &tandem::model::conference::NewConference {
                case_id: case,
                kind: tandem::domain::conference::ConferenceKind::Crisis,
                question: "Krise".into(),
                start: Some(start),
                duration_min: 60,
                location: String::new(),
                anonymised: true,
                participants: vec![],
                topics: vec![],
            },
            support::today(),
        )
        .unwrap()
}

/// Invites to conference `id` and marks it held (its minutes are then to write).
fn hold(app: &App, id: i64) {
    for a in [
        tandem::domain::conference::ConferenceAction::Invite,
        tandem::domain::conference::ConferenceAction::MarkHeld,
    ] {
        let v = app.store().conference(&app.me, id).unwrap().version;
        app.store()
            .conference_step(&app.me, id, v, a, None, "", app.now())
            .unwrap();
    }
}

/// A held crisis conference of one of brinkmann's cases, its minutes still to write.
fn held_conference(app: &App) -> i64 {
    let id = crisis_conference(app, at(2026, 11, 24, 14, 0));
    hold(app, id);
    id
}

/// F3 and the conference `id` opened from the agenda.
fn select_conference(app: &mut App, id: i64) {
    keys(app, "<f3>");
    let pos = app
        .conf
        .items
        .iter()
        .position(|it| matches!(it, tandem::app::screens::conf::AgendaItem::Conference(i) if app.conf.rows[*i].id == id))
        .unwrap();
    keys(app, "<home>");
    for _ in 0..pos {
        keys(app, "<down>");
    }
    keys(app, "<enter>");
}

/// F3, the conference `id`, `m` and "Protokoll und Vereinbarungen".
fn open_minutes(app: &mut App, id: i64) {
    select_conference(app, id);
    keys(app, "m <enter>");
    assert!(app.has_layer::<ConfDialog>());
}

/// Issue #23, defect 4: two people write the minutes of one conference. The second save is
/// not written over the first: the dialog shows who saved, when, and their text; only a
/// second Ctrl+S, made after seeing it, replaces it. A restored minutes draft rests on the
/// version it was typed against, so minutes saved meanwhile are never overwritten blindly.
#[test]
fn minutes_saved_meanwhile_are_shown_before_they_are_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
        tandem::demo::write(&store, &tandem::demo::demo_data(support::today())).unwrap();
    }
    let open = || Store::open(&path, OpenMode::Existing).unwrap();
    let mut a = app_on(open(), "brinkmann", Lang::De);
    let id = held_conference(&a);
    open_minutes(&mut a, id);
    keys(&mut a, "Fassung <space> A");
    // Meanwhile the minutes are saved elsewhere.
    let b = app_on(open(), "brinkmann", Lang::De);
    let me = b.me.clone();
    let v = b.store().conference(&me, id).unwrap().version;
    b.store()
        .save_minutes(&me, id, v, "Fassung B", &[], b.now())
        .unwrap();
    keys(&mut a, "<ctrl-s>");
    let stored = |a: &App| a.store().conference(&me, id).unwrap().minutes;
    assert_eq!(stored(&a), "Fassung B", "not written over");
    let status = a.status.clone().unwrap();
    assert!(
        status.error && status.text.contains("inzwischen"),
        "{}",
        status.text
    );
    let d = a.layer::<ConfDialog>().expect("the dialog stays open");
    assert!(
        d.editor.rows[0].label.contains("Fassung B"),
        "theirs is shown"
    );
    assert!(
        d.editor.value("minutes").contains("Fassung A"),
        "mine is kept"
    );
    // Having seen it, a second Ctrl+S saves this version.
    keys(&mut a, "<ctrl-s>");
    assert!(!a.has_layer::<ConfDialog>(), "{:?}", a.status);
    assert!(stored(&a).contains("Fassung A"));

    // A draft typed against that state, restored after someone saved again: a conflict.
    open_minutes(&mut a, id);
    keys(&mut a, "<space> C");
    a.lock();
    drop(a);
    let v = b.store().conference(&me, id).unwrap().version;
    b.store()
        .save_minutes(&me, id, v, "Fassung D", &[], b.now())
        .unwrap();
    let mut c = app_on(open(), "brinkmann", Lang::De);
    keys(&mut c, "j");
    assert!(c.has_layer::<ConfDialog>());
    keys(&mut c, "<ctrl-s>");
    assert_eq!(
        stored(&c),
        "Fassung D",
        "the restored draft did not overwrite"
    );
    assert!(c.has_layer::<ConfDialog>());
}

/// A held first conference of `case` with `me` and `ja` as participants (invited).
fn held_with(
    store: &Store,
    me: &tandem::domain::Staff,
    ja: &tandem::domain::Staff,
    case: CaseId,
) -> (i64, chrono::DateTime<chrono::Utc>) {
    let participants = [me, ja]
        .iter()
        .map(|st| tandem::domain::conference::Participant {
            staff: Some(st.id.0),
            external_name: String::new(),
            external_org: String::new(),
            agency: Some(st.agency),
            role: tandem::domain::conference::ParticipantRole::Pap,
            invitation: tandem::domain::conference::Invitation::Invited,
            attendance: None,
            guardian: None,
        })
        .collect();
    let now = tz::from_local(at(2026, 11, 25, 10, 0));
    let id = store
        .create_conference(
            me,
            &tandem::model::conference::NewConference {
                case_id: case,
                kind: tandem::domain::conference::ConferenceKind::First,
                question: "x".into(),
                start: Some(at(2026, 11, 24, 10, 0)),
                duration_min: 60,
                location: String::new(),
                anonymised: true,
                participants,
                topics: vec![],
            },
            support::today(),
        )
        .unwrap();
    for a in [
        tandem::domain::conference::ConferenceAction::Invite,
        tandem::domain::conference::ConferenceAction::MarkHeld,
    ] {
        let v = store.conference(me, id).unwrap().version;
        store.conference_step(me, id, v, a, None, "", now).unwrap();
    }
    (id, now)
}

/// Issue #23, defect 5: the Jobcenter approved the minutes, then the Jugendamt changed them.
/// The first approval is cleared (it covered text its signer never saw), the Jugendamt's
/// approval is only a first one again, and the Jobcenter signer is told at the next login.
#[test]
fn a_change_after_the_first_approval_clears_it() {
    let app = test_app("brinkmann");
    let (case, staff) = my_case(&app);
    let me = app.me.clone();
    let store = app.into_store();
    let ja = store
        .staff_by_id(tandem::domain::StaffId(*staff.last().unwrap()))
        .unwrap()
        .unwrap();
    let (id, now) = held_with(&store, &me, &ja, case);
    let v = store.conference(&me, id).unwrap().version;
    store
        .save_minutes(&me, id, v, "Protokoll", &[], now)
        .unwrap();
    let v = store.conference(&me, id).unwrap().version;
    assert!(
        !store.approve_minutes(&me, id, v, now).unwrap(),
        "first approval"
    );
    // The Jugendamt adds a paragraph, then approves.
    let v = store.conference(&ja, id).unwrap().version;
    store
        .save_minutes(&ja, id, v, "Protokoll\nUnd ein Absatz mehr.", &[], now)
        .unwrap();
    let c = store.conference(&ja, id).unwrap();
    assert_eq!(c.approved, None);
    assert!(
        !store.approve_minutes(&ja, id, c.version, now).unwrap(),
        "only a first approval again"
    );
    assert_eq!(
        store.conference(&me, id).unwrap().status,
        ConferenceStatus::MinutesDraft,
        "not approved on text the Jobcenter never saw"
    );
    let mut app = app_on(store, "brinkmann", Lang::De);
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("Ihre Freigabe des Protokolls der Fallkonferenz vom 24.11.2026"),
        "{text}"
    );
}

/// Issue #23, defect 8: two people plan at the same moment; both forms say "all free". The
/// store repeats the clash check in the saving transaction: the second save is refused and
/// its form now shows the booking made meanwhile; saving again books it knowingly.
#[test]
fn two_planners_at_the_same_moment_cannot_double_book_unawares() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
        tandem::demo::write(&store, &tandem::demo::demo_data(support::today())).unwrap();
    }
    let open = || Store::open(&path, OpenMode::Existing).unwrap();
    let mut a = app_on(open(), "brinkmann", Lang::De);
    let mut b = app_on(open(), "brinkmann", Lang::De);
    let (case, _) = my_case(&a);
    for app in [&mut a, &mut b] {
        keys(app, "<f3> n");
        set_field(app, "case_no", &case.0.to_string());
        set_field(app, "question", "Wohnsituation klären");
        set_field(app, "start", "26.11.2026 10:00");
        set_field(app, "location", "Raum 2.14");
        assert!(check(app).warnings.is_empty(), "{:?}", check(app).warnings);
    }
    keys(&mut a, "<ctrl-s>");
    assert!(!a.has_layer::<PlanningForm>(), "{:?}", a.status);
    let before = b
        .store()
        .conferences_for(
            &b.me,
            support::today(),
            support::today() + chrono::Duration::days(2),
        )
        .unwrap()
        .len();
    keys(&mut b, "<ctrl-s>");
    assert!(b.has_layer::<PlanningForm>(), "refused");
    let status = b.status.clone().unwrap();
    assert!(
        status.error && status.text.starts_with("Inzwischen"),
        "{}",
        status.text
    );
    assert!(
        !check(&b).warnings.is_empty(),
        "the booking made meanwhile is shown"
    );
    let after = b
        .store()
        .conferences_for(
            &b.me,
            support::today(),
            support::today() + chrono::Duration::days(2),
        )
        .unwrap()
        .len();
    assert_eq!(before, after, "nothing saved");
    keys(&mut b, "<ctrl-s>");
    assert!(
        !b.has_layer::<PlanningForm>(),
        "booked knowingly: {:?}",
        b.status
    );
}

/// Issue #23, defect 7: an open step menu is re-checked when another session changes the
/// conference: cancelled meanwhile, it offers no step any more.
#[test]
fn an_open_step_menu_follows_a_cancellation_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
        tandem::demo::write(&store, &tandem::demo::demo_data(support::today())).unwrap();
    }
    let open = || Store::open(&path, OpenMode::Existing).unwrap();
    let mut a = app_on(open(), "brinkmann", Lang::De);
    let me = a.me.clone();
    let id = crisis_conference(&a, at(2026, 11, 26, 14, 0));
    select_conference(&mut a, id);
    keys(&mut a, "m");
    let items = a.layer::<ConfStepMenu>().unwrap().items.clone();
    assert!(
        items.contains(&tandem::strings::conf::ConfMenu::Cancel),
        "{items:?}"
    );
    let b = app_on(open(), "brinkmann", Lang::De);
    let v = b.store().conference(&me, id).unwrap().version;
    b.store()
        .conference_step(
            &me,
            id,
            v,
            tandem::domain::conference::ConferenceAction::Cancel,
            None,
            "Verzogen",
            b.now(),
        )
        .unwrap();
    a.on_tick(std::time::Instant::now() + std::time::Duration::from_secs(3));
    let menu = a.layer::<ConfStepMenu>().expect("still open");
    assert!(
        !menu.items.iter().any(|m| matches!(
            m,
            tandem::strings::conf::ConfMenu::Invite
                | tandem::strings::conf::ConfMenu::Postpone
                | tandem::strings::conf::ConfMenu::Cancel
        )),
        "{:?}",
        menu.items
    );
    let text = screen(&mut a, 80, 24);
    assert!(!text.contains("Absagen"), "{text}");
}

/// Issue #23, defect 1: "Vertagen" with typed text keeps a draft like the minutes do, and
/// the offer at the next login names the step, the conference's day and its case.
#[test]
fn a_postponement_being_typed_survives_the_end_of_a_session() {
    let mut app = test_app("brinkmann");
    let (case, _) = my_case(&app);
    let id = crisis_conference(&app, at(2026, 11, 26, 14, 0));
    select_conference(&mut app, id);
    keys(&mut app, "m");
    let items = app.layer::<ConfStepMenu>().unwrap().items.clone();
    let pos = items
        .iter()
        .position(|m| *m == tandem::strings::conf::ConfMenu::Postpone)
        .unwrap();
    for _ in 0..pos {
        keys(&mut app, "<down>");
    }
    keys(&mut app, "<enter>");
    assert!(app.has_layer::<ConfDialog>());
    keys(&mut app, "<tab> Raum <space> belegt");
    app.lock();
    let mut app = app_on(app.into_store(), "brinkmann", Lang::De);
    assert_eq!(
        app.offer_label().unwrap().0,
        format!(
            "Vertagen (neuer Termin), Fallkonferenz 26.11.2026, Fall {}",
            case.0
        )
    );
    keys(&mut app, "j");
    let d = app.layer::<ConfDialog>().expect("restored");
    assert_eq!(d.item, tandem::strings::conf::ConfMenu::Postpone);
    assert_eq!(d.editor.value("reason"), "Raum belegt");
}

/// Issue #23, defect 10: a conference held weeks ago whose minutes are still to write is on
/// the agenda's work list, first, without paging the week view back.
#[test]
fn outstanding_minutes_are_on_the_work_list() {
    let mut app = test_app("brinkmann");
    let me = app.me.clone();
    let now = app.now();
    let id = crisis_conference(&app, at(2026, 10, 6, 9, 0));
    hold(&app, id);
    keys(&mut app, "<f3>");
    let first = app.conf.items.first().unwrap();
    assert!(
        matches!(first, tandem::app::screens::conf::AgendaItem::Conference(i) if app.conf.rows[*i].id == id),
        "first on the list"
    );
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("Offen: Protokoll oder Freigabe"), "{text}");
    assert!(text.contains("06.10. 09:00"), "{text}");
    // Written but not approved, it stays: the approval is outstanding.
    let v = app.store().conference(&me, id).unwrap().version;
    app.store()
        .save_minutes(&me, id, v, "Protokoll", &[], now)
        .unwrap();
    keys(&mut app, "<f2> <f3>");
    assert!(app.conf.open_work >= 1);
}

/// Opens the planning form on `app.me`'s case at the clock `now`, with a question and the
/// start `start` typed.
fn plan_at(now: chrono::NaiveDateTime, start: &str) -> App {
    let mut app = test_app("brinkmann");
    app.clock().set(tz::from_local(now));
    let (case, _) = my_case(&app);
    keys(&mut app, "<f3> n");
    set_field(&mut app, "case_no", &case.0.to_string());
    set_field(&mut app, "question", "Zeitumstellung");
    set_field(&mut app, "start", start);
    app
}

/// Moves to the choice row `key` and presses `key_seq` there (`<right>`: the first option
/// after "–", `<left>`: the last; the form takes it at once).
fn choose(app: &mut App, key: &str, key_seq: &str) {
    for _ in 0..60 {
        if focused(app).as_deref() == Some(key) {
            break;
        }
        keys(app, "<tab>");
    }
    assert_eq!(
        focused(app).as_deref(),
        Some(key),
        "{}",
        screen(app, 80, 24)
    );
    keys(app, key_seq);
}

/// Saves the planning form, acknowledging its warnings (a Sunday night) with a second save.
fn save_knowingly(app: &mut App) -> tandem::model::conference::ConferenceRow {
    keys(app, "<ctrl-s>");
    if app.has_layer::<PlanningForm>() {
        keys(app, "<ctrl-s>");
    }
    if app.has_layer::<PlanningForm>() {
        let status = app.status.clone();
        let errors = form(app).map(|f| f.errors.clone());
        panic!("{status:?} {errors:?}\n{}", screen(app, 80, 24));
    }
    app.conf.detail.clone().expect("the saved conference")
}

#[test]
fn a_start_in_the_spring_gap_is_flagged_and_offers_the_next_valid_time() {
    // 29.03.2026: the clock jumps from 02:00 to 03:00; 02:30 does not exist.
    let mut app = plan_at(at(2026, 3, 20, 9, 0), "29.03.2026 02:30");
    let w = check(&app).warnings.join(" ");
    assert!(
        w.contains("29.03.2026 02:30 gibt es nicht (Zeitumstellung"),
        "{w}"
    );
    assert!(check(&app).parsed.is_none(), "never moved silently");
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("Zeitumstellung"), "{text}");
    // Saving refuses at the field.
    keys(&mut app, "<ctrl-s>");
    keys(&mut app, "<ctrl-s>");
    assert!(app.has_layer::<PlanningForm>());
    let err = form(&app).unwrap().errors.get("start").cloned();
    assert!(
        err.as_deref().is_some_and(|e| e.contains("Zeitumstellung")),
        "{err:?}"
    );
    // The choice: the next valid time.
    choose(&mut app, "clock", "<right>");
    assert_eq!(form(&app).unwrap().value("start"), "29.03.2026 03:00");
    assert_eq!(check(&app).parsed, Some((at(2026, 3, 29, 3, 0), 90)));
    let c = save_knowingly(&mut app);
    assert_eq!(c.start, Some(at(2026, 3, 29, 3, 0)));
    assert_eq!(c.start_at, Some(tz::from_local(at(2026, 3, 29, 3, 0))));
}

#[test]
fn a_doubled_autumn_time_asks_which_and_keeps_each_choice() {
    use chrono::TimeZone as _;
    // 25.10.2026: 02:30 occurs twice, first in summer time (00:30 UTC), then in winter
    // time (01:30 UTC).
    for (n, utc_hour, end) in [
        (1, 0, at(2026, 10, 25, 3, 0)),
        (2, 1, at(2026, 10, 25, 4, 0)),
    ] {
        let mut app = plan_at(at(2026, 10, 20, 9, 0), "25.10.2026 02:30");
        let w = check(&app).warnings.join(" ");
        assert!(
            w.contains("25.10.2026 02:30 gibt es zweimal (Zeitumstellung)"),
            "{w}"
        );
        assert!(check(&app).parsed.is_none());
        keys(&mut app, "<ctrl-s>");
        keys(&mut app, "<ctrl-s>");
        assert!(app.has_layer::<PlanningForm>(), "not saved as either");
        choose(&mut app, "clock", if n == 1 { "<right>" } else { "<left>" });
        let zone = if n == 1 { "MESZ" } else { "MEZ" };
        assert_eq!(
            form(&app).unwrap().value("start"),
            format!("25.10.2026 02:30 {zone}")
        );
        let c = save_knowingly(&mut app);
        let instant = chrono::Utc
            .with_ymd_and_hms(2026, 10, 25, utc_hour, 30, 0)
            .unwrap();
        assert_eq!(c.start_at, Some(instant), "{zone}");
        assert_eq!(c.start, Some(at(2026, 10, 25, 2, 30)));
        // 90 real minutes.
        assert_eq!(c.end(), Some(end), "{zone}");
    }
}

#[test]
fn ninety_minutes_across_the_autumn_change_last_ninety_minutes_in_the_app() {
    // 01:30 summer time plus 90 real minutes is 02:00 winter time, not 03:00.
    let mut app = plan_at(at(2026, 10, 20, 9, 0), "25.10.2026 01:30");
    set_field(&mut app, "duration", "90");
    let c = save_knowingly(&mut app);
    assert_eq!(c.end(), Some(at(2026, 10, 25, 2, 0)));
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("01:30–02:00"), "{text}");
}

#[test]
fn a_past_start_says_so_and_not_also_that_nothing_is_free() {
    let mut app = plan_at(at(2026, 11, 25, 10, 0), "01.06.2026 10:00");
    let w = check(&app).warnings.join(" ");
    assert!(w.contains("liegt in der Vergangenheit"), "{w}");
    let text = screen(&mut app, 80, 40);
    assert!(text.contains("liegt in der Vergangenheit"), "{text}");
    assert!(!text.contains("Kein freier Termin"), "{text}");
    assert!(!check(&app).slots.is_empty());
}

#[test]
fn the_case_field_shows_whom_it_refers_to_and_finds_a_case_by_name() {
    let mut app = test_app("brinkmann");
    keys(&mut app, "<f3> n");
    assert!(app.has_layer::<PlanningForm>());
    let store = app.store();
    let hits = |filter: &str| {
        let q = tandem::model::list::ListQuery {
            filter: filter.into(),
            today: support::today(),
            ..Default::default()
        };
        store
            .case_page(&app.me, &q, &tandem::model::list::PageAnchor::First, 10)
            .unwrap()
    };
    // A number: the young person's name and age beside it, at once.
    let celik = hits("Çelik").into_iter().next().expect("Çelik in the demo");
    let several = hits("Hülsmann");
    assert!(several.len() >= 2, "two Hülsmanns in the demo");
    let withheld = {
        let q = tandem::model::list::ListQuery {
            today: support::today(),
            ..Default::default()
        };
        store
            .case_page(&app.me, &q, &tandem::model::list::PageAnchor::First, 500)
            .unwrap()
            .into_iter()
            .find(|r| r.name.is_none())
            .expect("a case whose name the partner withheld")
    };
    set_field(&mut app, "case_no", &celik.id.0.to_string());
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("→ Çelik, Büşra (18 J.)"), "{text}");
    // A number the list does not hold is named at once, not only when saving.
    set_field(&mut app, "case_no", "99999");
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("Kein Fall mit dieser Nummer"), "{text}");
    // A withheld name stays withheld: the mark, never the name.
    set_field(&mut app, "case_no", &withheld.id.0.to_string());
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("→ – nicht übermittelt"), "{text}");
    // A name typed without its letters: the only match is taken.
    set_field(&mut app, "case_no", "celik");
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("→ Çelik, Büşra"), "{text}");
    assert_eq!(
        app.layer::<PlanningForm>().unwrap().form_case,
        Some(celik.id.0)
    );
    // Several matches: a choice; the chosen number goes into the field and the
    // participants follow the case.
    set_field(&mut app, "case_no", "hulsmann");
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("Fälle passen: mit ←/→ wählen"), "{text}");
    keys(&mut app, "<tab> <right>");
    let chosen = form(&app).unwrap().value("case_no");
    assert_eq!(chosen, several[0].id.0.to_string());
    assert_eq!(focused(&app).as_deref(), Some("case_no"));
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("→ Hülsmann,"), "{text}");
    assert!(!text.contains("Treffer"), "{text}");
    // Saving with an ambiguous name names the problem at the field.
    set_field(&mut app, "case_no", "hulsmann");
    keys(&mut app, "<ctrl-s>");
    let errors = &form(&app).unwrap().errors;
    assert!(
        errors
            .get("case_no")
            .is_some_and(|e| e.contains("Fälle passen")),
        "{errors:?}"
    );
}
