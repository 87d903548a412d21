//! The administration screen "Verwaltung" (issue 12 item 1, docs/access.md A11), driven
//! in-process by keys: only admins have it; it lists the own Stelle's staff; the staff form
//! adds and edits (a colleague's save in between is a conflict that names them); deactivate
//! and reactivate ask first; SSH keys are added by pasting a key line and removed after a
//! question; a second admin confirms a grant. No case content on any screen of a pure admin.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use std::path::{Path, PathBuf};

use support::{app_on, keys, names, screen, test_app, today};
use tandem::app::App;
use tandem::app::Screen;
use tandem::app::layers::staff_form::StaffForm;
use tandem::app::screens::admin::AdminView;
use tandem::domain::{Agency, Role};
use tandem::storage::staff::NewStaff;
use tandem::storage::{OpenMode, Store};
use tandem::strings::Lang;

/// A valid public key line (the one of the store's own key tests).
const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII+MZRVfli+mYiL1RijOEDNEMaUIjTckpdFEu53CF342 anna@pc";

fn shared_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
        tandem::demo::write(&store, &tandem::demo::demo_data(today())).unwrap();
    }
    (dir, path)
}

fn open(path: &Path) -> Store {
    Store::open(path, OpenMode::Existing).unwrap()
}

/// A second Jugendamt admin, "Jana Zweite" (`zweite`), seeded without an actor.
fn second_ja_admin(store: &Store) {
    store
        .insert_staff(&[NewStaff {
            login: "zweite".into(),
            surname: "Zweite".into(),
            given_name: "Jana".into(),
            agency: Agency::Jugendamt,
            roles: vec![Role::Admin],
            phone: String::new(),
            email: String::new(),
        }])
        .unwrap();
}

/// The administration of `app`, with `login` highlighted.
fn select(app: &mut App, login: &str) {
    keys(app, "<f7>");
    assert_eq!(app.screen, Screen::Admin, "{:?}", app.status);
    app.admin.select_login(login);
    assert_eq!(app.admin.selected().map(|r| r.login.as_str()), Some(login));
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn a_pure_admin_has_the_verwaltung_tab_and_sees_no_case_content() {
    // Names of cases both agencies work on.
    let mut case_names = names(&test_app("brinkmann"));
    case_names.extend(names(&test_app("hegemann")));
    assert!(case_names.len() > 10);
    for login in [tandem::demo::DEMO_JA_ADMIN, tandem::demo::DEMO_JC_ADMIN] {
        let mut app = test_app(login);
        let first = screen(&mut app, 80, 24);
        assert!(first.lines().next().unwrap().contains("F7"), "{first}");
        for key in ["<f2>", "<f3>", "<f4>", "<f5>", "<f6>", "<f7>", "g"] {
            keys(&mut app, key);
            let text = screen(&mut app, 80, 24);
            for name in case_names.iter().filter(|n| !n.is_empty()) {
                assert!(
                    !text.contains(name.as_str()),
                    "{login} sees {name} after {key}:\n{text}"
                );
            }
        }
        assert_eq!(app.screen, Screen::Admin);
        assert!(app.cases.list.rows.is_empty() && app.cp.rows.is_empty());
    }
}

#[test]
fn others_have_no_tab_and_f7_does_nothing() {
    // (The DSB starts on her own screen: tests/dpo_screen.rs.)
    for login in ["brinkmann", "hegemann", "tueshaus"] {
        let mut app = test_app(login);
        let text = screen(&mut app, 120, 24);
        assert!(
            !text.lines().next().unwrap().contains("Verwaltung"),
            "{text}"
        );
        for key in ["<f7>", "6"] {
            keys(&mut app, key);
            assert_eq!(app.screen, Screen::Cases, "{login} {key}");
            assert_eq!(status(&app), "Nur für die Administration.");
        }
        assert!(app.admin.rows.is_empty());
    }
}

#[test]
fn the_list_shows_only_the_own_stelle() {
    let mut jc = test_app(tandem::demo::DEMO_JC_ADMIN);
    select(&mut jc, "brinkmann");
    let jc_staff: Vec<String> = jc
        .store()
        .active_staff()
        .unwrap()
        .into_iter()
        .filter(|s| s.agency == Agency::Jobcenter)
        .map(|s| s.login)
        .collect();
    assert_eq!(jc.admin.rows.len(), jc_staff.len());
    assert!(jc.admin.rows.iter().all(|r| jc_staff.contains(&r.login)));
    // Sorted by name as every list is (DIN 5007): "Şahin" among the S, not after "Wójcik".
    let keys: Vec<String> = jc
        .admin
        .rows
        .iter()
        .map(|r| tandem::domain::text::sort_key(&r.surname))
        .collect();
    assert!(keys.is_sorted(), "{keys:?}");
    let text = screen(&mut jc, 80, 24);
    assert!(text.contains("Mitarbeitende · Jobcenter"), "{text}");
    assert!(!text.contains("hegemann") && !text.contains("rademacher"));
    // The Jugendamt's list, the other way round.
    let mut ja = test_app(tandem::demo::DEMO_JA_ADMIN);
    select(&mut ja, "hegemann");
    assert!(ja.admin.rows.iter().all(|r| !jc_staff.contains(&r.login)));
}

#[test]
fn an_admin_adds_a_staff_member_through_the_form() {
    let mut app = test_app("rademacher");
    keys(&mut app, "<f7> n");
    assert_eq!(app.top_layer(), Some("staff-form"));
    // A login with a space is refused at its field, in German; the input stays.
    keys(
        &mut app,
        "Lea <space> N <tab> Neumann <tab> Lea <tab> l.neumann@herten.example <tab> 02366 <space> 303-777 <tab> <space> <ctrl-s>",
    );
    let form = app.layer::<StaffForm>().expect("still open");
    assert!(
        form.editor.errors.contains_key("login"),
        "{:?}",
        form.editor.errors
    );
    assert!(status(&app).contains("Anmeldename"), "{}", status(&app));
    app.layer_mut::<StaffForm>().unwrap().editor.focus("login");
    for _ in 0..5 {
        keys(&mut app, "<backspace>");
    }
    keys(&mut app, "neumann <ctrl-s>");
    assert_eq!(app.top_layer(), None, "{}", status(&app));
    assert_eq!(status(&app), "Gespeichert: neumann.");
    let new = app.store().staff_by_login("neumann").unwrap().unwrap();
    assert_eq!(
        (new.surname.as_str(), new.given_name.as_str(), new.agency),
        ("Neumann", "Lea", Agency::Jugendamt)
    );
    assert_eq!(new.roles, [Role::JaStaff]);
    assert_eq!(
        app.admin.selected().map(|r| r.login.as_str()),
        Some("neumann")
    );
    assert!(screen(&mut app, 80, 24).contains("Neumann, Lea"));
}

#[test]
fn an_edit_meets_a_colleagues_save_as_a_conflict_that_names_them() {
    let (_dir, path) = shared_file();
    second_ja_admin(&open(&path));
    let mut a = app_on(open(&path), "rademacher", Lang::De);
    let mut b = app_on(open(&path), "zweite", Lang::De);
    select(&mut a, "hegemann");
    keys(&mut a, "e");
    assert_eq!(a.top_layer(), Some("staff-form"));
    a.layer_mut::<StaffForm>().unwrap().editor.focus("phone");
    keys(&mut a, "<space> -1");
    // Meanwhile the other admin saves the same record.
    select(&mut b, "hegemann");
    keys(&mut b, "e");
    b.layer_mut::<StaffForm>().unwrap().editor.focus("email");
    keys(&mut b, "x <ctrl-s>");
    assert_eq!(b.top_layer(), None, "{}", status(&b));

    keys(&mut a, "<ctrl-s>");
    assert_eq!(a.top_layer(), Some("staff-form"), "kept open");
    assert!(status(&a).contains("Jana Zweite"), "{}", status(&a));
    let form = a.layer::<StaffForm>().unwrap();
    assert!(form.editor.rows[0].label.contains("Jana Zweite"));
    assert!(
        form.editor.value("phone").ends_with(" -1"),
        "the input stays: {:?}",
        form.editor.values()
    );
    // The second save rests on the new version and goes through.
    keys(&mut a, "<ctrl-s>");
    assert_eq!(a.top_layer(), None, "{}", status(&a));
    let me = a.me.clone();
    let id = a.admin.selected().unwrap().id;
    let details = a.store().staff_details(&me, id).unwrap();
    assert!(details.phone.ends_with(" -1"));
}

#[test]
fn deactivate_and_reactivate_ask_first() {
    let mut app = test_app("rademacher");
    select(&mut app, "hegemann");
    keys(&mut app, "d");
    assert_eq!(app.top_layer(), Some("admin-question"));
    assert!(screen(&mut app, 80, 24).contains("deaktivieren?"));
    keys(&mut app, "n");
    assert!(app.admin.selected().unwrap().active, "no is no");
    keys(&mut app, "d j");
    assert_eq!(status(&app), "Kathrin Hegemann ist deaktiviert.");
    assert!(!app.admin.selected().unwrap().active);
    assert!(
        !app.store()
            .staff_by_login("hegemann")
            .unwrap()
            .unwrap()
            .active
    );
    let text = screen(&mut app, 80, 24);
    let line = text.lines().find(|l| l.contains("hegemann")).unwrap();
    assert!(line.contains("deaktiviert"), "{text}");
    keys(&mut app, "r j");
    assert!(app.admin.selected().unwrap().active);
    // The own account is refused by the store, in German in the status line.
    app.admin.select_login("rademacher");
    keys(&mut app, "d j");
    assert!(app.admin.selected().unwrap().active);
    assert!(app.status.as_ref().unwrap().error, "{}", status(&app));
}

#[test]
fn keys_are_added_by_pasting_and_removed_after_a_question() {
    let mut app = test_app("rademacher");
    select(&mut app, "hegemann");
    keys(&mut app, "k");
    assert_eq!(app.top_layer(), Some("ssh-keys"));
    keys(&mut app, "a");
    assert_eq!(app.top_layer(), Some("ssh-key-add"));
    app.paste("ssh-dss AAAAB3NzaC1kc3MAAACBAP kein@schluessel");
    keys(&mut app, "<ctrl-s>");
    assert_eq!(app.top_layer(), Some("ssh-key-add"), "a bad key stays");
    assert!(
        status(&app).contains("keine erlaubte Schlüsselart"),
        "{}",
        status(&app)
    );
    assert!(screen(&mut app, 80, 24).contains("keine erlaubte"));
    // Esc on typed input asks; yes throws it away.
    keys(&mut app, "<esc> j");
    assert_eq!(app.top_layer(), Some("ssh-keys"));
    keys(&mut app, "a");
    app.paste(&format!("{KEY}\n"));
    keys(&mut app, "<ctrl-s>");
    assert_eq!(app.top_layer(), Some("ssh-keys"), "{}", status(&app));
    assert!(status(&app).contains("hinzugefügt"), "{}", status(&app));
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("SHA256:"), "{text}");
    // The same key for someone else is refused: a key belongs to one person.
    keys(&mut app, "<esc>");
    assert_eq!(app.admin.selected().unwrap().keys, 1);
    app.admin.select_login("pieper");
    keys(&mut app, "k a");
    app.paste(KEY);
    keys(&mut app, "<ctrl-s>");
    assert_eq!(app.top_layer(), Some("ssh-key-add"));
    assert!(
        status(&app).contains("bereits eingetragen"),
        "{}",
        status(&app)
    );
    keys(&mut app, "<esc> j <esc>");
    // Remove, after a question.
    app.admin.select_login("hegemann");
    keys(&mut app, "k x");
    assert_eq!(app.top_layer(), Some("admin-question"));
    keys(&mut app, "j");
    assert_eq!(app.top_layer(), Some("ssh-keys"));
    assert!(status(&app).contains("entfernt"), "{}", status(&app));
    keys(&mut app, "<esc>");
    assert_eq!(app.admin.selected().unwrap().keys, 0);
}

#[test]
fn a_second_admin_confirms_a_grant() {
    let (_dir, path) = shared_file();
    second_ja_admin(&open(&path));
    let mut a = app_on(open(&path), "rademacher", Lang::De);
    let mut b = app_on(open(&path), "zweite", Lang::De);
    select(&mut b, "hegemann");
    // A gives hegemann the role dpo: it waits for a second admin.
    select(&mut a, "hegemann");
    keys(&mut a, "e");
    a.layer_mut::<StaffForm>().unwrap().editor.focus("roles");
    keys(&mut a, "<right> <right> <right> <space> <ctrl-s>");
    assert!(
        status(&a).contains("Datenschutz") && status(&a).contains("zweite Administration"),
        "{}",
        status(&a)
    );
    assert!(
        !a.store()
            .staff_by_login("hegemann")
            .unwrap()
            .unwrap()
            .has_role(Role::Dpo)
    );
    assert_eq!(a.admin.grants.len(), 1);
    // The requester cannot confirm it.
    keys(&mut a, "g");
    assert_eq!(a.admin.view, AdminView::Grants);
    keys(&mut a, "f j");
    assert!(a.status.as_ref().unwrap().error, "{}", status(&a));
    assert_eq!(a.admin.grants.len(), 1);
    // The other session sees it after the look for other sessions' saves, and confirms.
    b.refresh_if_changed();
    assert_eq!(b.admin.grants.len(), 1);
    keys(&mut b, "g");
    assert!(screen(&mut b, 80, 24).contains("hegemann"));
    keys(&mut b, "f j");
    assert!(status(&b).contains("bestätigt"), "{}", status(&b));
    assert!(
        b.store()
            .staff_by_login("hegemann")
            .unwrap()
            .unwrap()
            .has_role(Role::Dpo)
    );
    a.refresh_if_changed();
    assert!(a.admin.grants.is_empty());
}

#[test]
fn a_staff_draft_survives_the_end_of_the_session() {
    let (_dir, path) = shared_file();
    let mut a = app_on(open(&path), "rademacher", Lang::De);
    keys(&mut a, "<f7> n halbfertig");
    let me = a.me.clone();
    a.lock();
    drop(a);
    let drafts = open(&path).drafts_for(me.id).unwrap();
    assert!(
        drafts.iter().any(|d| d.form == "staff-form"
            && d.values.get("login").map(String::as_str) == Some("halbfertig")),
        "{drafts:?}"
    );
    let mut again = app_on(open(&path), "rademacher", Lang::De);
    assert_eq!(again.top_layer(), Some("question"), "the draft is offered");
    keys(&mut again, "j");
    assert_eq!(again.top_layer(), Some("staff-form"));
    assert_eq!(again.screen, Screen::Admin);
    let form = again.layer::<StaffForm>().unwrap();
    assert_eq!(form.editor.value("login"), "halbfertig");
}

#[test]
fn admin_screen_80x24() {
    let mut app = test_app("rademacher");
    keys(&mut app, "<f7>");
    insta::assert_snapshot!("admin_80x24", screen(&mut app, 80, 24));
}
