//! Child protection through the keys, as a person uses it: the Jobcenter form with its
//! checks at the field, sending, the Jugendamt inbox with the four-eyes steps, the on-call
//! view one key from start, and snapshots of it at 80×24 and 60×15.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use support::{app_on, keys, screen, test_app};
use tandem::app::Screen;
use tandem::app::layers::referral_form::{ReferralForm, SEND_ASK, SendAsk};
use tandem::app::layers::step_dialog::StepDialog;
use tandem::app::layers::step_menu::StepMenu;
use tandem::app::screens::cp::CpView;
use tandem::domain::referral::{ReferralStatus, Urgency};
use tandem::storage::{OpenMode, Store};
use tandem::strings::Lang;

/// Moves the form's cursor to `key` by Tab, as a person would.
fn tab_to(app: &mut tandem::app::App, key: &str) {
    for _ in 0..200 {
        if app
            .layer::<ReferralForm>()
            .and_then(|f| f.editor.current())
            .map(|r| r.key.as_str())
            == Some(key)
        {
            return;
        }
        keys(app, "<tab>");
    }
    panic!("no field {key}");
}

#[test]
fn a_jobcenter_referral_is_checked_at_the_field_then_sent() {
    let mut app = test_app("brinkmann");
    keys(&mut app, "<f4>");
    assert_eq!(app.screen, Screen::ChildProtection);
    keys(&mut app, "n");
    assert!(app.has_layer::<ReferralForm>());
    // akut: the phone notice appears in the form at once.
    keys(&mut app, "<right>");
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("ZUERST ANRUFEN"), "{text}");
    assert!(text.contains("Polizei 110"), "{text}");
    // Sending an almost empty form names the problems at their fields.
    keys(&mut app, "<ctrl-s>");
    let form = &app.layer::<ReferralForm>().unwrap().editor;
    for k in [
        "phoned_at",
        "phoned_to",
        "reporter_phone",
        "facts",
        "child.0.given_names",
    ] {
        assert!(
            form.errors.contains_key(k),
            "no message at {k}: {:?}",
            form.errors
        );
    }
    assert_eq!(
        form.errors.get("phoned_at").map(String::as_str),
        Some("Akute Gefahr zuerst anrufen – dann hier Uhrzeit und Gesprächspartner eintragen.")
    );
    assert_eq!(
        form.current().map(|r| r.key.as_str()),
        Some("phoned_at"),
        "cursor at the first problem"
    );
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("⚠ Akute Gefahr zuerst anrufen"), "{text}");
    // Fill it in.
    keys(&mut app, "09:40 <tab> Frau Hegemann <tab> 02366 0300 41");
    tab_to(&mut app, "child.0.given_names");
    keys(&mut app, "Emily");
    tab_to(&mut app, "child.0.whereabouts");
    keys(&mut app, "bei der Mutter");
    tab_to(&mut app, "facts");
    keys(&mut app, "Mutter <enter> betrunken");
    tab_to(&mut app, "step.parents_informed");
    keys(&mut app, "<right> <right> <tab> Gefährdung");
    // The send key reads "Senden", and says that the input is kept as a draft.
    let text = screen(&mut app, 80, 24);
    let footer = text.lines().last().unwrap();
    assert!(footer.contains("Strg+S Senden"), "{text}");
    assert!(!footer.contains("Speichern"), "{text}");
    let wide = screen(&mut app, 140, 24);
    assert!(
        wide.lines()
            .last()
            .unwrap()
            .contains("automatisch als Entwurf"),
        "{wide}"
    );
    // Ctrl+S asks once, with a summary of what goes to the Jugendamt.
    let before = app
        .store()
        .referrals_for(
            &app.me.clone(),
            app.now(),
            &tandem::domain::calendar::WorkCalendar::default(),
            &tandem::domain::referral::Deadlines::default(),
        )
        .unwrap()
        .len();
    keys(&mut app, "<ctrl-s>");
    assert_eq!(app.top_layer(), Some(SEND_ASK));
    let asked = app.layer::<SendAsk>().unwrap().text.clone();
    for part in [
        "1 Kind(er): Emily",
        "Dringlichkeit: akut",
        "Eltern über Mitteilung informiert: nein",
        "Vorab angerufen: FrauHegemann um",
        "09:40",
    ] {
        assert!(asked.contains(part), "no {part:?} in the question: {asked}");
    }
    let text = screen(&mut app, 80, 24);
    for part in ["Jugendamt", "Emily", "Hegemann", "j Ja"] {
        assert!(text.contains(part), "no {part:?} on the screen: {text}");
    }
    // "n" returns to the form with everything kept and nothing sent.
    keys(&mut app, "n");
    assert_eq!(app.top_layer(), Some("referral-form"));
    assert_eq!(
        app.layer::<ReferralForm>()
            .unwrap()
            .editor
            .values()
            .get("child.0.given_names")
            .map(String::as_str),
        Some("Emily")
    );
    let after = app
        .store()
        .referrals_for(
            &app.me.clone(),
            app.now(),
            &tandem::domain::calendar::WorkCalendar::default(),
            &tandem::domain::referral::Deadlines::default(),
        )
        .unwrap()
        .len();
    assert_eq!(before, after, "nothing sent");
    // Esc, too.
    keys(&mut app, "<ctrl-s>");
    assert_eq!(app.top_layer(), Some(SEND_ASK));
    keys(&mut app, "<esc>");
    assert_eq!(app.top_layer(), Some("referral-form"));
    // "j" sends.
    keys(&mut app, "<ctrl-s> j");
    assert!(
        !app.has_layer::<ReferralForm>(),
        "{:?}",
        app.layer::<ReferralForm>().map(|f| &f.editor.errors)
    );
    assert_eq!(app.cp.view, CpView::Detail);
    let r = app.cp.detail.as_ref().unwrap();
    assert_eq!(r.input.facts, "Mutter\nbetrunken");
    assert_eq!(r.row.urgency, Urgency::Acute);
    assert!(app.status.as_ref().unwrap().text.contains("gesendet"));
    // No draft is left behind.
    let me = app.me.clone();
    assert!(app.store().drafts_for(me.id).unwrap().is_empty());
    let id = r.row.id;

    // The on-call worker sees it, one key from start.
    let mut ja = app_on(app.into_store(), "hegemann", Lang::De);
    keys(&mut ja, "<f6>");
    assert!(ja.cp.oncall.iter().any(|r| r.id == id));
}

#[test]
fn the_on_call_view_is_one_key_away_and_starts_with_the_overdue_acute_referral() {
    let mut app = test_app("hegemann");
    keys(&mut app, "<f6>");
    assert_eq!(app.screen, Screen::OnCall);
    let first = app.cp.oncall.first().expect("open referrals");
    assert_eq!(first.urgency, Urgency::Acute);
    assert_eq!(first.status, ReferralStatus::Sent);
    for (w, h) in [(80, 24), (60, 15)] {
        let text = screen(&mut app, w, h);
        insta::assert_snapshot!(format!("oncall_{w}x{h}"), text);
        assert!(
            text.contains("akut") && text.contains("02366 0300 41"),
            "{text}"
        );
        assert!(text.contains("überfällig"), "{text}");
    }
    // Enter opens it; Esc returns to the on-call view.
    keys(&mut app, "<enter>");
    assert_eq!(app.screen, Screen::ChildProtection);
    assert_eq!(app.cp.view, CpView::Detail);
    insta::assert_snapshot!("referral_detail_80x24", screen(&mut app, 80, 24));
    keys(&mut app, "<esc>");
    assert_eq!(app.screen, Screen::OnCall);
}

#[test]
fn the_jobcenter_has_no_on_call_list_and_sees_no_jugendamt_steps() {
    let mut app = test_app("brinkmann");
    keys(&mut app, "<f6>");
    assert!(app.cp.oncall.is_empty());
    keys(&mut app, "<f4>");
    // Brinkmann's referral that the Jugendamt has triaged reads "Eingegangen" to her.
    assert!(app.cp.rows.iter().all(|r| r.class.is_none()));
    assert!(
        app.cp
            .rows
            .iter()
            .all(|r| r.status != ReferralStatus::Triaged)
    );
    insta::assert_snapshot!("referral_list_jc_80x24", screen(&mut app, 80, 24));
}

#[test]
fn four_eyes_through_the_keys() {
    let mut a = test_app("hegemann");
    keys(&mut a, "<f4>");
    // The overdue acute referral is first in the inbox.
    assert_eq!(a.cp.rows[0].urgency, Urgency::Acute);
    keys(&mut a, "<enter> m");
    assert!(a.has_layer::<StepMenu>());
    keys(&mut a, "<enter>"); // Eingang erfassen
    assert_eq!(
        a.cp.detail.as_ref().unwrap().row.status,
        ReferralStatus::Received
    );
    keys(&mut a, "m <enter>"); // Ersteinschätzung vorschlagen
    assert!(a.has_layer::<StepDialog>());
    // Choose Björn Sträter as the second professional.
    keys(&mut a, "<tab> <tab>");
    for _ in 0..20 {
        let d = a.layer::<StepDialog>().unwrap();
        if d.editor.current().and_then(|r| r.choice_label()) == Some("Björn Sträter") {
            break;
        }
        keys(&mut a, "<right>");
    }
    keys(&mut a, "<ctrl-s>");
    assert!(a.layers.is_empty(), "{:?}", a.status);
    let r = a.cp.detail.as_ref().unwrap();
    assert!(r.ja.as_ref().unwrap().pending.is_some());
    let id = r.row.id;
    // The proposer is offered no confirmation.
    keys(&mut a, "m");
    assert!(
        a.layer::<StepMenu>()
            .is_none_or(|m| !m.items.contains(&tandem::strings::cp::MenuItem::Confirm))
    );
    keys(&mut a, "<esc>");
    // The colleague confirms in his own session.
    let mut b = app_on(a.into_store(), "straeter", Lang::De);
    keys(&mut b, "<f4>");
    let pos =
        b.cp.rows
            .iter()
            .position(|r| r.id == id)
            .expect("named second sees it");
    for _ in 0..pos {
        keys(&mut b, "<down>");
    }
    keys(&mut b, "<enter> m <enter>");
    let r = b.cp.detail.as_ref().unwrap();
    assert_eq!(r.row.status, ReferralStatus::Triaged, "{:?}", b.status);
    let last = r.events.last().unwrap();
    assert_eq!(
        (last.by.as_str(), last.second.as_deref()),
        ("Kathrin Hegemann", Some("Björn Sträter"))
    );
}

#[test]
fn an_anonymous_consultation_is_requested_and_advised_without_names() {
    let mut a = test_app("karaca");
    keys(&mut a, "<f4> b");
    assert!(a.cp.consults_mode);
    let before = a.cp.consults.len();
    keys(&mut a, "n");
    assert!(a.has_layer::<StepDialog>());
    // Sending without a summary is refused at the field.
    keys(&mut a, "<right> <ctrl-s>");
    assert!(
        a.layer::<StepDialog>()
            .unwrap()
            .editor
            .errors
            .contains_key("text")
    );
    // The cursor went to the field with the message.
    keys(&mut a, "Kind <space> wirkt <space> verängstigt <ctrl-s>");
    assert!(a.layers.is_empty(), "{:?}", a.status);
    assert_eq!(a.cp.consults.len(), before + 1);
    let mine =
        a.cp.consults
            .iter()
            .find(|c| c.summary == "Kind wirkt verängstigt")
            .unwrap()
            .clone();
    assert!(mine.code.starts_with("AB-2026-"));
    insta::assert_snapshot!("consults_jc_80x24", screen(&mut a, 80, 24));
    // The InsoFa specialist advises.
    let mut b = app_on(a.into_store(), "pieper", Lang::De);
    keys(&mut b, "<f4> b");
    let pos = b.cp.consults.iter().position(|c| c.id == mine.id).unwrap();
    for _ in 0..pos {
        keys(&mut b, "<down>");
    }
    keys(
        &mut b,
        "<enter> <right> <right> <right> <tab> Mitteilung <space> empfohlen <ctrl-s>",
    );
    let c = b.cp.consults.iter().find(|c| c.id == mine.id).unwrap();
    assert_eq!(c.status, "advised", "{:?}", b.status);
    assert_eq!(c.advised_by.as_deref(), Some("Michael Pieper"));
}

#[test]
fn the_jugendamt_login_line_counts_without_names() {
    let mut app = test_app("hegemann");
    let status = app.status.clone().expect("a login line");
    assert!(
        status
            .text
            .starts_with("Kinderschutz: 2 Mitteilung(en) warten auf Eingang"),
        "{}",
        status.text
    );
    assert!(status.error, "overdue deadlines are shown as a warning");
    assert!(!status.text.contains("Emily") && !status.text.contains("Kaya"));
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("Frist(en) überschritten"), "{text}");
    // The Jobcenter gets no such line (only the warning about her own overdue referral).
    let jc = test_app("brinkmann")
        .status
        .clone()
        .map(|s| s.text)
        .unwrap_or_default();
    assert!(!jc.contains("warten auf Eingang"), "{jc}");
}

#[test]
fn a_consultation_request_being_written_survives_the_end_of_a_session() {
    let mut a = test_app("karaca");
    keys(
        &mut a,
        "<f4> b n <tab> Kind <space> kommt <space> hungrig <enter> seit <space> Wochen",
    );
    a.lock();
    let mut a = app_on(a.into_store(), "karaca", Lang::De);
    assert_eq!(
        a.offer_label().unwrap().0,
        "Anonyme Fallberatung anfragen (§ 8b SGB VIII)"
    );
    keys(&mut a, "j");
    assert!(a.has_layer::<StepDialog>());
    let d = a.layer::<StepDialog>().unwrap();
    assert_eq!(d.editor.value("text"), "Kind kommt hungrig\nseit Wochen");
    keys(&mut a, "<ctrl-s>");
    assert!(a.layers.is_empty(), "{:?}", a.status);
    let me = a.me.id;
    assert!(
        a.store().drafts_for(me).unwrap().is_empty(),
        "sent: no draft left"
    );
}

/// Two Jugendamt workers record the receipt of the same referral at the same moment: the
/// second is told who recorded it, when and under which number (issue 23, defect 9), and
/// nothing is written twice.
#[test]
fn a_simultaneous_receipt_names_who_was_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
        tandem::demo::write(&store, &tandem::demo::demo_data(support::today())).unwrap();
    }
    let open = || Store::open(&path, OpenMode::Existing).unwrap();
    let mut a = app_on(open(), "hegemann", Lang::De);
    let mut b = app_on(open(), "dabrowska", Lang::De);
    keys(&mut a, "<f4> <enter>");
    keys(&mut b, "<f4>");
    let id = a.cp.detail.as_ref().unwrap().row.id;
    let at = b.cp.rows.iter().position(|r| r.id == id).unwrap();
    for _ in 0..at {
        keys(&mut b, "<down>");
    }
    keys(&mut b, "<enter>");
    assert_eq!(b.cp.detail.as_ref().unwrap().row.id, id);
    keys(&mut a, "m <enter>");
    let first = a.cp.detail.as_ref().unwrap().row.clone();
    assert_eq!(first.status, ReferralStatus::Received);
    keys(&mut b, "m <enter>");
    let status = b.status.as_ref().unwrap();
    assert!(status.error);
    let no = first.ja_ref.clone().unwrap();
    assert!(
        status
            .text
            .starts_with("Bereits als eingegangen erfasst von ")
            && status.text.contains(&no),
        "{}",
        status.text
    );
    let now = b.cp.detail.as_ref().unwrap().row.clone();
    assert_eq!(
        (now.version, now.ja_ref),
        (first.version, first.ja_ref),
        "written once"
    );
}

#[test]
fn the_reporter_of_the_overdue_acute_referral_is_told_to_phone_in_f4_the_login_line_and_f6() {
    // The demo's overdue acute referral (first on the on-call list) was reported by
    // Sabine Brinkmann.
    let mut ja = test_app("hegemann");
    keys(&mut ja, "<f6>");
    let first = ja.cp.oncall.first().expect("open referrals").clone();
    assert_eq!(first.reporter, "Sabine Brinkmann");
    let numbers = ["02366 0303 50", "0171 0000 303", "Polizei 110"];
    let mut app = app_on(ja.into_store(), "brinkmann", Lang::De);
    // The login line.
    let status = app.status.clone().expect("a login line");
    assert!(status.error, "{status:?}");
    let login = words(&screen(&mut app, 80, 24));
    assert!(login.contains("JETZT ANRUFEN"), "{login}");
    for n in numbers {
        assert!(login.contains(n), "no {n} in the login line: {login}");
    }
    // F4: her list starts with the warning and the numbers.
    keys(&mut app, "<f4>");
    let text = words(&screen(&mut app, 80, 24));
    assert!(text.contains("noch nicht eingegangen"), "{text}");
    assert!(text.contains("JETZT ANRUFEN"), "{text}");
    for n in numbers {
        assert!(text.contains(n), "no {n} in F4: {text}");
    }
    assert!(text.contains("überfällig"), "{text}");
    // F6 does not say "Nichts offen".
    keys(&mut app, "<f6>");
    let text = words(&screen(&mut app, 80, 24));
    assert!(!text.contains("Nichts offen"), "{text}");
    assert!(text.contains("JETZT ANRUFEN"), "{text}");
    for n in numbers {
        assert!(text.contains(n), "no {n} in F6: {text}");
    }
}

/// The screen's words, one space apart (a warning may wrap between two words).
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A referral for the on-call test: one child with a name no demo referral has.
fn oncall_input(urgency: Urgency, given: &str) -> tandem::domain::referral::ReferralInput {
    let mut input = support::referral_input(urgency);
    input.phoned_ahead = (urgency == Urgency::Acute).then(|| {
        (
            support::today().and_hms_opt(9, 45, 0).unwrap(),
            "ASD".into(),
        )
    });
    input.children[0].surname = "Fristprobe".into();
    input.children[0].given_names = given.into();
    input
}

#[test]
fn in_f6_every_referral_close_to_its_deadline_is_marked_alike_whatever_its_urgency() {
    // 10:00: an akut referral sent at 09:50 (receipt due 10:20) and a dringend one sent at
    // 08:20 (receipt due 10:20). Both have 20 minutes left; both must carry the same mark.
    let store = support::demo_store();
    let now = tandem::domain::tz::from_local(support::today().and_hms_opt(10, 0, 0).unwrap());
    let me = store.staff_by_login("brinkmann").unwrap().unwrap();
    store
        .send_referral(
            &me,
            &oncall_input(Urgency::Acute, "Akutina"),
            now - chrono::Duration::minutes(10),
        )
        .unwrap();
    store
        .send_referral(
            &me,
            &oncall_input(Urgency::Urgent, "Dringlinde"),
            now - chrono::Duration::minutes(100),
        )
        .unwrap();
    let mut app = app_on(store, "hegemann", Lang::De);
    keys(&mut app, "<f6>");
    let text = screen(&mut app, 80, 80);
    let lines: Vec<&str> = text.lines().collect();
    let head_of = |given: &str| {
        let at = lines
            .iter()
            .position(|l| l.contains(given))
            .unwrap_or_else(|| panic!("{given} not on the on-call list: {text}"));
        lines[at - 1].to_string()
    };
    let (akut, dringend) = (head_of("Akutina"), head_of("Dringlinde"));
    for head in [&akut, &dringend] {
        assert!(
            head.contains("! Eingang"),
            "not marked as close: {head}\n{text}"
        );
        assert!(!head.contains("!!"), "marked overdue: {head}");
    }
    assert!(
        akut.contains("akut") && dringend.contains("dringend"),
        "{akut}\n{dringend}"
    );
}
