//! Structured conference minutes through the keys (issue #17; docs/casework.md § 4): an
//! agenda of three items, minutes and a decision per item, the situation per life area and
//! the plain-language summary, approved by both Stellen; an addendum afterwards, approved
//! by both; custody holders as participants, the one marked "Kontakt gefährdet" never in
//! the calendar file; "Vertagt" without a new date as a resting state.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use support::{app_on, demo_store, keys, screen};
use tandem::app::App;
use tandem::app::layers::conf_dialog::ConfDialog;
use tandem::app::layers::conf_menu::ConfStepMenu;
use tandem::domain::casefile::{Custody, Guardian, Relation as Kin};
use tandem::domain::conference::{
    Attendance, ConferenceAction, ConferenceKind, ConferenceStatus, Invitation, Participant,
    ParticipantRole,
};
use tandem::domain::{Agency, CaseId, Staff, tz};
use tandem::model::list::PageAnchor;
use tandem::storage::Store;
use tandem::strings::Lang;
use tandem::strings::conf::ConfMenu;

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

/// An open case the Jobcenter login owns and works on, with a Jugendamt caseworker.
fn own_case(store: &Store, me: &Staff) -> (CaseId, Staff) {
    let query = tandem::model::list::ListQuery::default();
    for r in store
        .case_page(me, &query, &PageAnchor::First, 10_000)
        .unwrap()
    {
        let Ok(c) = store.load_case(me, r.id) else {
            continue;
        };
        if c.owner == me.agency
            && c.jc_staff == Some(me.id)
            && c.status.is_open()
            && let Some(ja) = c.ja_staff
        {
            return (c.id, store.staff_by_id(ja).unwrap().unwrap());
        }
    }
    panic!("no own case of {}", me.login);
}

fn guardian(store: &Store, me: &Staff, case: CaseId, name: &str, no_contact: bool) -> i64 {
    store
        .save_guardian(
            me,
            case,
            None,
            &Guardian {
                id: 0,
                name: name.into(),
                relation: Kin::Mother,
                custody: Custody::Joint,
                phone: String::new(),
                do_not_contact: no_contact,
                ended_on: None,
            },
        )
        .unwrap()
}

fn staff_participant(s: &Staff) -> Participant {
    Participant {
        staff: Some(s.id.0),
        external_name: String::new(),
        external_org: String::new(),
        agency: Some(s.agency),
        role: if s.agency == Agency::Jobcenter {
            ParticipantRole::Pap
        } else {
            ParticipantRole::Asd
        },
        invitation: Invitation::Invited,
        attendance: None,
        guardian: None,
    }
}

fn guardian_participant(id: i64, name: &str) -> Participant {
    Participant {
        staff: None,
        external_name: name.into(),
        external_org: String::new(),
        agency: None,
        role: ParticipantRole::CustodyHolder,
        invitation: Invitation::Invited,
        attendance: None,
        guardian: Some(id),
    }
}

struct Setup {
    store: Store,
    me: Staff,
    ja: Staff,
    id: i64,
}

/// A conference of brinkmann's own case with the Jugendamt caseworker and two custody
/// holders (one "Kontakt gefährdet"), planned for yesterday; `held` invites and holds it.
fn setup(held: bool) -> Setup {
    let store = demo_store();
    let me = store.staff_by_login("brinkmann").unwrap().unwrap();
    let (case, ja) = own_case(&store, &me);
    let mother = guardian(&store, &me, case, "Hatice Yıldız", false);
    let father = guardian(&store, &me, case, "Emre Yıldız", true);
    let id = store
        .create_conference(
            &me,
            &tandem::model::conference::NewConference {
                case_id: case,
                kind: ConferenceKind::First,
                question: "Ausbildung und Wohnen".into(),
                start: Some(at(2026, 11, 24, 10, 0)),
                duration_min: 60,
                location: "Raum 2.14".into(),
                anonymised: true,
                participants: vec![
                    staff_participant(&me),
                    staff_participant(&ja),
                    guardian_participant(mother, "Hatice Yıldız"),
                    guardian_participant(father, "Emre Yıldız"),
                ],
                topics: vec![],
            },
            support::today(),
        )
        .unwrap();
    if held {
        let now = tz::from_local(at(2026, 11, 25, 10, 0));
        for a in [ConferenceAction::Invite, ConferenceAction::MarkHeld] {
            let v = store.conference(&me, id).unwrap().version;
            store.conference_step(&me, id, v, a, None, "", now).unwrap();
        }
    }
    Setup { store, me, ja, id }
}

/// F3, conference `id`, `m`, and `step` from its menu.
fn open_step(app: &mut App, id: i64, step: ConfMenu) {
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
    let items = app.layer::<ConfStepMenu>().unwrap().items.clone();
    let idx = items
        .iter()
        .position(|m| *m == step)
        .unwrap_or_else(|| panic!("{step:?} not offered: {items:?}"));
    for _ in 0..idx {
        keys(app, "<down>");
    }
    keys(app, "<enter>");
}

fn dialog(app: &mut App) -> &mut ConfDialog {
    app.layer_mut::<ConfDialog>().expect("a dialog")
}

/// Focuses `key` in the open dialog and types `text` (keys notation).
fn type_at(app: &mut App, key: &str, text: &str) {
    dialog(app).editor.focus(key);
    keys(app, text);
}

#[test]
fn three_items_with_minutes_and_decisions_approved_then_an_addendum_approved_by_both() {
    let Setup { store, me, ja, id } = setup(true);
    let mut app = app_on(store, "brinkmann", Lang::De);
    while app.top_layer() == Some("question") {
        keys(&mut app, "n");
    }

    // The agenda: three items, typed line by line over the proposal.
    open_step(&mut app, id, ConfMenu::Agenda);
    let proposed = dialog(&mut app).editor.value("agenda");
    assert!(proposed.starts_with("Begrüßung und Rollen\n"), "{proposed}");
    insta::assert_snapshot!("conf_agenda_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("conf_agenda_60x15", screen(&mut app, 60, 15));
    dialog(&mut app)
        .editor
        .set_values(&BTreeMap::from([("agenda".to_string(), String::new())]));
    type_at(
        &mut app,
        "agenda",
        "Sicht <space> der <space> jungen <space> Person <enter> Ausbildung <enter> Wohnen <ctrl-s>",
    );
    assert!(!app.has_layer::<ConfDialog>(), "{}", status(&app));
    let m = app.store().conference_minutes(&me, id).unwrap();
    assert!(m.stored);
    let titles: Vec<&str> = m.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, ["Sicht der jungen Person", "Ausbildung", "Wohnen"]);

    // The minutes: each item its text and one decision; a life area; the summary.
    open_step(&mut app, id, ConfMenu::Minutes);
    insta::assert_snapshot!("conf_minutes_items_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("conf_minutes_items_60x15", screen(&mut app, 60, 15));
    for (no, text, decision) in [
        (
            1,
            "Will <space> eine <space> Ausbildung.",
            "Berufsberatung <space> besuchen",
        ),
        (
            2,
            "Bewerbungen <space> laufen.",
            "Zwei <space> Bewerbungen <space> schreiben",
        ),
        (
            3,
            "Wohnt <space> bei <space> der <space> Mutter.",
            "WG-Antrag <space> stellen",
        ),
    ] {
        type_at(&mut app, &format!("top{no}.minutes"), text);
        type_at(&mut app, &format!("top{no}.text"), decision);
        type_at(&mut app, &format!("top{no}.resp"), "<right>");
        type_at(&mut app, &format!("top{no}.due"), "15.01.2027");
    }
    type_at(&mut app, "area.housing", "Enge <space> Wohnung.");
    type_at(
        &mut app,
        "summary",
        "Du <space> suchst <space> eine <space> Ausbildung.",
    );
    // A decision without a due date is named at its field.
    type_at(
        &mut app,
        "top2.due",
        "<backspace> <backspace> <backspace> <backspace> <ctrl-s>",
    );
    assert!(app.has_layer::<ConfDialog>(), "the dialog stays");
    assert_eq!(
        dialog(&mut app)
            .editor
            .current()
            .map(|r| r.key.clone())
            .as_deref(),
        Some("top2.due")
    );
    keys(&mut app, "2027 <ctrl-s>");
    assert!(!app.has_layer::<ConfDialog>(), "{}", status(&app));
    let m = app.store().conference_minutes(&me, id).unwrap();
    assert_eq!(m.items[0].minutes, "Will eine Ausbildung.");
    assert_eq!(m.items[2].minutes, "Wohnt bei der Mutter.");
    assert_eq!(m.plain_summary, "Du suchst eine Ausbildung.");
    assert_eq!(m.areas.len(), 1);
    let (_, decided) = app.store().conference_agenda(&me, id).unwrap();
    let per_item: Vec<(Option<u32>, &str)> = decided
        .iter()
        .map(|d| (d.agenda_no, d.measure.text.as_str()))
        .collect();
    for want in [
        (Some(1), "Berufsberatung besuchen"),
        (Some(2), "Zwei Bewerbungen schreiben"),
        (Some(3), "WG-Antrag stellen"),
    ] {
        assert!(per_item.contains(&want), "{want:?} in {per_item:?}");
    }

    // Approved by the Jobcenter, then by the present Jugendamt participant.
    let now = app.now();
    let store = app.store();
    let v = store.conference(&me, id).unwrap().version;
    store
        .set_participation(
            &me,
            id,
            v,
            &[
                (Invitation::Accepted, Some(Attendance::Present)),
                (Invitation::Accepted, Some(Attendance::Present)),
                (Invitation::Accepted, Some(Attendance::Present)),
                (Invitation::Invited, Some(Attendance::Absent)),
            ],
            now,
        )
        .unwrap();
    let v = store.conference(&me, id).unwrap().version;
    assert!(!store.approve_minutes(&me, id, v, now).unwrap());
    let v = store.conference(&me, id).unwrap().version;
    assert!(store.approve_minutes(&ja, id, v, now).unwrap());

    // An addendum, written through the menu, approved first by the Jobcenter …
    keys(&mut app, "<esc> <esc>");
    open_step(&mut app, id, ConfMenu::Addendum);
    type_at(
        &mut app,
        "addendum",
        "Termin <space> bei <space> der <space> Berufsberatung <space> am <space> 02.12.",
    );
    keys(&mut app, "<ctrl-s>");
    assert!(!app.has_layer::<ConfDialog>(), "{}", status(&app));
    let m = app.store().conference_minutes(&me, id).unwrap();
    assert_eq!(m.addenda.len(), 1);
    assert!(m.addenda[0].approved_by.is_none());
    keys(&mut app, "<esc>");
    open_step(&mut app, id, ConfMenu::ApproveAddendum);
    let m = app.store().conference_minutes(&me, id).unwrap();
    assert!(m.addenda[0].approved_by.is_some(), "{}", status(&app));
    // … not a second time by the same Stelle …
    let karaca = app.store().staff_by_login("karaca").unwrap().unwrap();
    let aid = m.addenda[0].id;
    assert!(app.store().approve_addendum(&karaca, aid, now).is_err());
    // … then by the Jugendamt participant.
    assert!(app.store().approve_addendum(&ja, aid, now).unwrap());
    let m = app.store().conference_minutes(&me, id).unwrap();
    assert!(m.addenda[0].approved_second.is_some());
    keys(&mut app, "<esc> <f3>");
    app.open_conference(id);
    app.conf.scroll = 0;
    app.status = None;
    insta::assert_snapshot!("conf_detail_items_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("conf_detail_items_60x15", screen(&mut app, 60, 15));
    let mut detail = String::new();
    for _ in 0..6 {
        detail.push_str(&screen(&mut app, 80, 24));
        keys(&mut app, "<pagedown>");
    }
    for want in [
        "TOP 1: Sicht der jungen Person",
        "Will eine Ausbildung.",
        "Zwei Bewerbungen schreiben",
        "Zusammenfassung in einfacher Sprache",
        "Nachträge",
        "freigegeben",
    ] {
        assert!(detail.contains(want), "{want} missing:\n{detail}");
    }
}

#[test]
fn a_custody_holder_with_contact_endangering_gets_no_invitation_in_the_calendar_file() {
    let Setup { store, me, id, .. } = setup(false);
    let now = tz::from_local(at(2026, 11, 20, 10, 0));
    let v = store.conference(&me, id).unwrap().version;
    store
        .conference_step(&me, id, v, ConferenceAction::Invite, None, "", now)
        .unwrap();
    let ics = tandem::export::conferences_ics(
        &store,
        &me,
        tandem::export::Selection::One(id),
        now,
        "tandem.example",
    )
    .unwrap()
    .text
    .replace("\r\n ", "");
    let attendees: Vec<&str> = ics.lines().filter(|l| l.starts_with("ATTENDEE")).collect();
    let holders: Vec<&&str> = attendees
        .iter()
        .filter(|l| l.contains("Sorgeberechtigte/r"))
        .collect();
    assert_eq!(
        holders.len(),
        1,
        "one custody holder invited: {attendees:#?}"
    );
    assert_eq!(
        attendees.len(),
        3,
        "two staff and one custody holder: {attendees:#?}"
    );
    // Neither custody holder is named in a file that leaves Tandem.
    assert!(!ics.contains("Yıldız") && !ics.contains("Yildiz"), "{ics}");
    // Tandem's detail names the one not invited.
    let mut app = app_on(store, "brinkmann", Lang::De);
    while app.top_layer() == Some("question") {
        keys(&mut app, "n");
    }
    keys(&mut app, "<f3>");
    app.open_conference(id);
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("Kontakt gefährdet – keine Einladung"),
        "{text}"
    );
}

#[test]
fn postponed_without_a_new_date_rests_until_one_is_set() {
    let Setup { store, me, id, .. } = setup(false);
    let mut app = app_on(store, "brinkmann", Lang::De);
    while app.top_layer() == Some("question") {
        keys(&mut app, "n");
    }
    open_step(&mut app, id, ConfMenu::Postpone);
    // No date and no reason: the reason is asked for.
    keys(&mut app, "<ctrl-s>");
    assert!(app.has_layer::<ConfDialog>(), "{}", status(&app));
    type_at(&mut app, "reason", "Mutter <space> erkrankt <ctrl-s>");
    assert!(!app.has_layer::<ConfDialog>(), "{}", status(&app));
    let c = app.store().conference(&me, id).unwrap();
    assert_eq!(c.status, ConferenceStatus::Postponed);
    assert_eq!(c.reason, "Mutter erkrankt");
    // Later the new date schedules it again.
    keys(&mut app, "<esc>");
    open_step(&mut app, id, ConfMenu::Postpone);
    type_at(&mut app, "start", "03.12.2026 <space> 10:00 <ctrl-s>");
    assert!(!app.has_layer::<ConfDialog>(), "{}", status(&app));
    let c = app.store().conference(&me, id).unwrap();
    assert_eq!(c.status, ConferenceStatus::Scheduled);
    assert_eq!(c.start, Some(at(2026, 12, 3, 10, 0)));
}
