//! The on-call rota and escalations through the real app (issue #17; docs/casework.md
//! §§ 5–6): the Jugendamt's lead enters a shift in a form that checks at the field and
//! keeps a draft; an on-call worker gets the on-call view and its alerts inside the shift
//! and not outside it; F6 and the login line name who is on call now and next; the lead
//! and a deputy see a passed deadline until they acknowledge it, and the acknowledgement
//! is audited.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use chrono::Duration;
use support::{app_on, demo_store, keys, screen, today};
use tandem::app::App;
use tandem::domain::Clock;
use tandem::storage::Store;
use tandem::strings::Lang;

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn login(store: Store, who: &str) -> App {
    let mut app = app_on(store, who, Lang::De);
    while app.top_layer() == Some("question") {
        keys(&mut app, "n");
    }
    app
}

/// The demo store with its clock `days` after the tests' "today", 10:00.
fn store_at(days: i64) -> Store {
    let mut store = demo_store();
    store.set_clock(Clock::fixed_local(
        (today() + Duration::days(days))
            .and_hms_opt(10, 0, 0)
            .unwrap(),
    ));
    store
}

#[test]
fn the_lead_enters_a_shift_checked_at_the_field_kept_as_a_draft_and_audited() {
    let mut app = login(demo_store(), "tueshaus");
    keys(&mut app, "<f6>");
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("Bereitschaft jetzt: Kathrin Hegemann bis 26.11. 08:00"),
        "{text}"
    );
    keys(&mut app, "n");
    assert_eq!(app.top_layer(), Some("rota-shift"));
    insta::assert_snapshot!("rota_form_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("rota_form_60x15", screen(&mut app, 60, 15));
    // Nothing typed: both times are asked for.
    keys(&mut app, "<ctrl-s>");
    assert_eq!(app.top_layer(), Some("rota-shift"));
    // Eight days: too long, said at "Bis".
    app.layer_mut::<tandem::app::layers::rota_form::RotaForm>()
        .unwrap()
        .editor
        .focus("start");
    keys(
        &mut app,
        "01.03.2027 <space> 08:00 <tab> 09.03.2027 <space> 08:00 <ctrl-s>",
    );
    assert_eq!(app.top_layer(), Some("rota-shift"), "{}", status(&app));
    let form = app
        .layer_mut::<tandem::app::layers::rota_form::RotaForm>()
        .unwrap();
    assert_eq!(form.editor.current().map(|r| r.key.as_str()), Some("end"));
    // The link drops: the draft keeps the input.
    let me = app.me.clone();
    app.lock();
    let store = app.into_store();
    let drafts = store.drafts_offered(&me).unwrap();
    let d = drafts
        .iter()
        .map(|(_, d)| d)
        .find(|d| d.form == "rota-shift")
        .expect("a draft");
    assert_eq!(
        d.values.get("start").map(String::as_str),
        Some("01.03.2027 08:00")
    );
    let mut app = app_on(store, "tueshaus", Lang::De);
    assert_eq!(app.top_layer(), Some("question"));
    keys(&mut app, "j");
    assert_eq!(app.top_layer(), Some("rota-shift"), "{}", status(&app));
    let form = app
        .layer_mut::<tandem::app::layers::rota_form::RotaForm>()
        .unwrap();
    form.editor.focus("end");
    for _ in 0..16 {
        keys(&mut app, "<backspace>");
    }
    keys(&mut app, "02.03.2027 <space> 08:00 <ctrl-s>");
    assert_eq!(app.top_layer(), None, "{}", status(&app));
    assert_eq!(status(&app), "Bereitschaftsdienst eingetragen.");
    let rows = app.store().audit_tail(5).unwrap();
    assert!(
        rows.iter()
            .any(|r| r.object_type == "oncall_shift" && r.action == "create"),
        "{rows:?}"
    );
    // A caseworker is told that the rota is the lead's.
    let mut worker = login(demo_store(), "hegemann");
    keys(&mut worker, "<f6> n");
    assert_eq!(worker.top_layer(), None);
    assert!(
        status(&worker).contains("Leitung des Jugendamts"),
        "{}",
        status(&worker)
    );
}

#[test]
fn an_on_call_worker_gets_the_view_and_its_alerts_only_inside_the_shift() {
    // Inside: the demo rota has Hegemann on call from 08:00 today.
    let mut inside = login(demo_store(), "hegemann");
    let banner = status(&inside);
    assert!(
        banner.contains("Bereitschaft jetzt: Kathrin Hegemann"),
        "{banner}"
    );
    keys(&mut inside, "<f6>");
    assert!(
        !inside.cp.oncall.is_empty(),
        "the on-call list in the shift"
    );
    insta::assert_snapshot!("oncall_in_shift_80x24", screen(&mut inside, 80, 24));
    let reads_inside = inside.cp.rows.len();

    // Outside: seven weeks later the rota has ended.
    let mut outside = login(store_at(49), "hegemann");
    keys(&mut outside, "<f6>");
    // Outside, only what she worked on herself (none of the others' referrals).
    let lead = outside.store().staff_by_login("tueshaus").unwrap().unwrap();
    let cal = tandem::domain::calendar::WorkCalendar::default();
    let d = tandem::domain::referral::Deadlines::default();
    let t = tandem::domain::tz::from_local(
        (today() + Duration::days(49))
            .and_hms_opt(10, 0, 0)
            .unwrap(),
    );
    let all = outside
        .store()
        .oncall_referrals(&lead, t, &cal, &d)
        .unwrap();
    assert!(
        outside.cp.oncall.len() < all.len(),
        "outside the shift not the whole on-call list: {} of {}",
        outside.cp.oncall.len(),
        all.len()
    );
    let text = screen(&mut outside, 80, 24);
    assert!(
        text.contains("Sie haben gerade keinen Bereitschaftsdienst"),
        "{text}"
    );
    assert!(
        text.contains("Bereitschaft jetzt: niemand eingetragen"),
        "{text}"
    );
    insta::assert_snapshot!("oncall_off_shift_80x24", text);
    insta::assert_snapshot!("oncall_off_shift_60x15", screen(&mut outside, 60, 15));
    assert!(
        outside.cp.rows.len() < reads_inside,
        "outside the shift only her own referrals: {} vs {reads_inside}",
        outside.cp.rows.len()
    );
    assert!(
        !status(&outside).contains("Frist"),
        "no on-call alert outside the shift: {}",
        status(&outside)
    );
}

#[test]
fn the_lead_sees_an_escalation_until_acknowledging_it() {
    let mut app = login(demo_store(), "tueshaus");
    let waiting = app.cp.escalations.len();
    assert!(waiting > 0, "the demo has passed deadlines");
    let first = app.escalation_text().unwrap();
    assert!(first.starts_with("⚠ F9 Eskalation"), "{first}");
    assert!(
        status(&app).contains("Bereitschaft jetzt"),
        "{}",
        status(&app)
    );
    // Another message and a key later, the escalation is still in the status line.
    keys(&mut app, "<down>");
    app.status = None;
    let idle = screen(&mut app, 80, 24);
    assert!(idle.contains("⚠ F9 Eskalation"), "{idle}");
    insta::assert_snapshot!("escalation_status_80x24", idle);
    insta::assert_snapshot!("escalation_status_60x15", screen(&mut app, 60, 15));
    keys(&mut app, "<f9>");
    assert_eq!(status(&app), "Eskalation bestätigt (protokolliert).");
    assert_eq!(app.cp.escalations.len(), waiting - 1);
    let rows = app.store().audit_tail(3).unwrap();
    assert!(
        rows.iter()
            .any(|r| r.object_type == "escalation_ack" && r.action == "create"),
        "{rows:?}"
    );
    for _ in 1..waiting {
        keys(&mut app, "<f9>");
    }
    assert!(app.cp.escalations.is_empty());
    app.status = None;
    let done = screen(&mut app, 80, 24);
    assert!(!done.contains("Eskalation"), "{done}");
    // Acknowledged stays acknowledged at the next login.
    let store = app.into_store();
    let again = login(store, "tueshaus");
    assert!(again.cp.escalations.is_empty());
}

#[test]
fn a_deputy_sees_the_escalation_of_the_person_they_stand_in_for() {
    let store = demo_store();
    let lead = store.staff_by_login("tueshaus").unwrap().unwrap();
    let cal = tandem::domain::calendar::WorkCalendar::default();
    let d = tandem::domain::referral::Deadlines::default();
    let now = tandem::domain::tz::from_local(today().and_hms_opt(10, 0, 0).unwrap());
    // An overdue referral with an assigned worker.
    let rows = store.referrals_for(&lead, now, &cal, &d).unwrap();
    let (assigned, id) = rows
        .iter()
        .filter(|r| r.escalated)
        .find_map(|r| {
            store
                .referral(&lead, r.id, now, &cal, &d)
                .ok()
                .and_then(|full| full.ja.and_then(|j| j.assigned_to).map(|a| (a, r.id)))
        })
        .expect("an overdue, assigned referral in the demo");
    let deputy = ["straeter", "aksoy", "pieper", "kaczmarek"]
        .iter()
        .map(|l| store.staff_by_login(l).unwrap().unwrap())
        .find(|s| s.id != assigned)
        .unwrap();
    store.set_deputy(assigned, Some(deputy.id)).unwrap();
    let mut app = login(store, &deputy.login);
    let mine: Vec<i64> = app.cp.escalations.iter().map(|e| e.referral).collect();
    assert!(mine.contains(&id), "{mine:?} lacks {id}");
    while app.cp.escalations.iter().any(|e| e.referral == id) {
        keys(&mut app, "<f9>");
    }
    assert!(!app.cp.escalations.iter().any(|e| e.referral == id));
}
