//! Key-sequence state tests: keys in, state and store out.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use support::{app_on, demo_store, keys, names, test_app, today};
use tandem::app::form::Choice;
use tandem::app::layers::conflict::ConflictBox;
use tandem::app::layers::consent::ConsentBox;
use tandem::app::layers::help::Help;
use tandem::app::layers::note::NoteBox;
use tandem::app::{Ask, CasesView, Question, Screen};
use tandem::domain::CaseStatus;
use tandem::domain::Field;
use tandem::domain::validation::Problem;
use tandem::model::list::{ListQuery, PageAnchor};
use tandem::storage::{OpenMode, Store};
use tandem::strings::Lang;

#[test]
fn filter_narrows_on_every_keystroke() {
    // The team lead sees every case of the agency.
    let mut app = test_app("schwering");
    let all = app.cases.list.total;
    assert!(all > 200, "the lead sees the agency's cases: {all}");
    keys(&mut app, "/ m");
    let m = app.cases.list.total;
    assert!(m < all && m > 0);
    keys(&mut app, "ü l");
    let mul = app.cases.list.total;
    assert!(mul < m && mul > 0, "{mul}");
    // Müller and Mueller meet, whichever way they are typed.
    assert!(names(&app).iter().any(|n| n.starts_with("Müller")));
    assert!(names(&app).iter().any(|n| n.starts_with("Mueller")));
    keys(&mut app, "<backspace> <backspace> <backspace>");
    assert_eq!(app.cases.list.total, all);
    keys(&mut app, "m u e l l e r <enter>");
    assert!(!app.cases.list.filtering, "Enter leaves the filter field");
    assert_eq!(app.cases.list.query.filter, "mueller");
    assert_eq!(app.cases.list.total, mul);
    keys(&mut app, "<esc>");
    assert_eq!(app.cases.list.total, all);
    assert_eq!(app.cases.list.query.filter, "");
}

#[test]
fn filter_by_staff_status_and_file_number() {
    let mut app = test_app("brinkmann");
    keys(&mut app, "/ ruhend");
    assert!(app.cases.list.total > 0);
    assert!(
        app.cases
            .list
            .rows
            .iter()
            .all(|r| r.status == CaseStatus::Dormant)
    );
    keys(&mut app, "<esc> / brinkmann");
    assert!(app.cases.list.total > 0);
    assert!(
        app.cases
            .list
            .rows
            .iter()
            .all(|r| r.jc_staff.ends_with("Brinkmann"))
    );
    // A file number of the first case finds exactly that case.
    keys(&mut app, "<esc>");
    let id = app.cases.list.current().unwrap().id;
    let me = app.me.clone();
    let case = app.store().load_case(&me, id).unwrap();
    keys(&mut app, &format!("/ {}", case.person.jc_customer_no));
    assert_eq!(app.cases.list.total, 1);
    assert_eq!(app.cases.list.current().unwrap().id, id);
}

#[test]
fn ctrl_f_also_filters_and_digits_type_into_the_filter() {
    let mut app = test_app("brinkmann");
    keys(&mut app, "<ctrl-f> 2");
    assert!(app.cases.list.filtering);
    assert_eq!(app.screen, Screen::Cases, "2 is text inside the filter");
    assert_eq!(app.cases.list.query.filter, "2");
    keys(&mut app, "<esc> 2");
    assert_eq!(
        app.screen,
        Screen::Conferences,
        "outside text fields 2 switches screens"
    );
}

#[test]
fn screens_switch_with_function_keys_and_digits() {
    let mut app = test_app("brinkmann");
    for (key, screen) in [
        ("<f3>", Screen::Conferences),
        ("<f4>", Screen::ChildProtection),
        ("<f5>", Screen::Cooperation),
        ("<f6>", Screen::OnCall),
        ("<f2>", Screen::Cases),
        ("5", Screen::OnCall),
        ("3", Screen::ChildProtection),
        ("1", Screen::Cases),
    ] {
        keys(&mut app, key);
        assert_eq!(app.screen, screen, "{key}");
    }
}

#[test]
fn paging_walks_the_same_order_as_the_store() {
    // The Jobcenter lead: the list of the whole agency spans several pages.
    let mut app = test_app("schwering");
    let me = app.me.clone();
    let q = app.cases.list.query.clone();
    let all: Vec<Option<String>> = app
        .store()
        .case_page(&me, &q, &PageAnchor::First, 10_000)
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(all.len(), app.cases.list.total);
    let page = app.cases.list.page;
    assert_eq!(page, 19, "80×24 leaves 19 table rows");
    // Down through the whole list, one row at a time.
    let mut seen = vec![app.cases.list.current().unwrap().name.clone()];
    for _ in 1..all.len() {
        keys(&mut app, "<down>");
        seen.push(app.cases.list.current().unwrap().name.clone());
        assert_eq!(app.cases.list.position(), Some(seen.len()));
    }
    assert_eq!(seen, all);
    keys(&mut app, "<down>");
    assert_eq!(
        app.cases.list.position(),
        Some(all.len()),
        "stays on the last row"
    );
    // And back up again.
    for i in (0..all.len() - 1).rev() {
        keys(&mut app, "<up>");
        assert_eq!(app.cases.list.current().unwrap().name, all[i]);
    }
    keys(&mut app, "<end>");
    assert_eq!(app.cases.list.position(), Some(all.len()));
    assert_eq!(app.cases.list.current().unwrap().name, *all.last().unwrap());
    keys(&mut app, "<home> <pagedown>");
    assert_eq!(app.cases.list.position(), Some(page + 1));
    assert_eq!(app.cases.list.current().unwrap().name, all[page]);
    keys(&mut app, "<pageup>");
    assert_eq!(app.cases.list.position(), Some(1));
    assert_eq!(app.cases.list.rows.len(), page);
}

#[test]
fn sorting_by_age_and_reverse() {
    let mut app = test_app("brinkmann");
    keys(&mut app, "<down> <down>");
    let on = app.cases.list.current().unwrap().id;
    keys(&mut app, "s");
    assert_eq!(
        app.cases.list.current().unwrap().id,
        on,
        "the case stays selected"
    );
    let ages: Vec<_> = app
        .cases
        .list
        .rows
        .iter()
        .filter_map(|r| r.birth_date)
        .collect();
    assert!(
        ages.windows(2).all(|w| w[0] >= w[1]),
        "youngest first: {ages:?}"
    );
    keys(&mut app, "S");
    assert_eq!(
        app.cases.list.current().unwrap().id,
        on,
        "the case stays selected"
    );
    let ages: Vec<_> = app
        .cases
        .list
        .rows
        .iter()
        .filter_map(|r| r.birth_date)
        .collect();
    assert!(ages.windows(2).all(|w| w[0] <= w[1]), "oldest first");
}

#[test]
fn open_case_file_and_back() {
    let mut app = test_app("brinkmann");
    keys(&mut app, "<down> <down>");
    let id = app.cases.list.current().unwrap().id;
    keys(&mut app, "<enter>");
    assert_eq!(app.cases.view, CasesView::File);
    assert_eq!(app.cases.file.as_ref().unwrap().case().id, id);
    keys(&mut app, "<esc>");
    assert_eq!(app.cases.view, CasesView::List);
    assert_eq!(app.cases.list.current().unwrap().id, id, "cursor kept");
}

#[test]
fn new_case_refuses_an_impossible_date_then_saves() {
    let mut app = test_app("brinkmann");
    let before = app.cases.list.total;
    keys(&mut app, "n");
    assert!(app.case_form().is_some());
    keys(&mut app, "Yılmaz <tab> Zeynep <tab> 31.02.2007 <ctrl-s>");
    let form = app.case_form().unwrap();
    assert_eq!(
        form.error_at(Field::BirthDate),
        Some(&Problem::DateDoesNotExist {
            day: 31,
            month: 2,
            year: 2007
        })
    );
    assert_eq!(form.error_at(Field::Reasons), Some(&Problem::Required));
    assert_eq!(
        form.focused_field().unwrap(),
        Field::BirthDate,
        "focus on the first problem"
    );
    assert!(app.status.as_ref().unwrap().error);
    assert_eq!(app.cases.list.total, before, "nothing saved");
    // Correct the date: the typed text is still there, edit it.
    keys(
        &mut app,
        "<backspace> <backspace> <backspace> <backspace> <backspace> <backspace> <backspace> <backspace> <backspace> <backspace>",
    );
    keys(&mut app, "03.12.2006");
    // To "Anlass" and tick the first reason.
    while app.case_form().unwrap().focused_field() != Some(Field::Reasons) {
        keys(&mut app, "<tab>");
    }
    keys(&mut app, "<space> <ctrl-s>");
    assert!(app.case_form().is_none(), "saved: {:?}", app.status);
    assert_eq!(app.cases.view, CasesView::File);
    let case = &app.cases.file.as_ref().unwrap().case();
    assert_eq!(case.person.surname, "Yılmaz");
    assert_eq!(case.person.birth_date.to_string(), "2006-12-03");
    assert_eq!(case.jc_staff, Some(app.me.id), "assigned to the creator");
    assert_eq!(app.cases.list.total, before + 1);
    assert_eq!(
        app.cases.list.current().unwrap().name.as_deref(),
        Some("Yılmaz, Zeynep"),
        "list cursor on the new case"
    );
}

#[test]
fn too_long_input_is_refused_not_truncated() {
    let mut app = test_app("brinkmann");
    // Typing stops at the field's limit, and says so.
    let long = "x".repeat(101);
    keys(&mut app, &format!("n {long}"));
    let form = app.case_form().unwrap();
    assert_eq!(form.value_of(Field::Surname).unwrap(), "x".repeat(100));
    let status = app.status.clone().unwrap();
    assert!(status.error, "{status:?}");
    assert!(
        status.text.contains("höchstens 100 Zeichen"),
        "{}",
        status.text
    );
    // A paste that does not fit is refused whole: nothing of it is inserted.
    keys(&mut app, "<tab>");
    app.paste(&"y".repeat(101));
    let form = app.case_form().unwrap();
    assert_eq!(form.value_of(Field::GivenNames).unwrap(), "");
    let status = app.status.clone().unwrap();
    assert!(
        status
            .text
            .starts_with("Einfügen abgelehnt: 101 Zeichen passen nicht"),
        "{}",
        status.text
    );
    app.paste(&"y".repeat(100));
    assert_eq!(
        app.case_form()
            .unwrap()
            .value_of(Field::GivenNames)
            .unwrap(),
        "y".repeat(100)
    );
    // A value over the limit that reaches the form otherwise (an old draft) is refused at
    // the field when saving, never cut.
    let mut form = app.case_form().unwrap().values();
    for (f, v) in &mut form {
        if *f == Field::Surname {
            *v = "x".repeat(101);
        }
    }
    app.case_form_mut().unwrap().apply_values(&form);
    keys(&mut app, "<ctrl-s>");
    let form = app.case_form().unwrap();
    assert_eq!(
        form.error_at(Field::Surname),
        Some(&Problem::TooLong { max: 100, len: 101 })
    );
    assert_eq!(form.value_of(Field::Surname).unwrap(), "x".repeat(101));
}

#[test]
fn leaving_a_form_with_unsaved_input_asks_first() {
    let mut app = test_app("brinkmann");
    keys(&mut app, "n A <esc>");
    assert_eq!(
        app.layer::<Ask>().map(|q| q.question),
        Some(Question::Discard)
    );
    keys(&mut app, "n");
    assert_eq!(app.top_layer(), Some("case-form"));
    assert_eq!(
        app.case_form().unwrap().value_of(Field::Surname).unwrap(),
        "A",
        "input kept"
    );
    // q types into the text field; on a choice field it asks before quitting.
    keys(&mut app, "q");
    assert_eq!(
        app.case_form().unwrap().value_of(Field::Surname).unwrap(),
        "Aq"
    );
    keys(&mut app, "<tab> <tab> <tab> q");
    assert_eq!(app.layer::<Ask>().map(|q| q.question), Some(Question::Quit));
    keys(&mut app, "<esc>");
    assert!(!app.quit);
    keys(&mut app, "<esc> j");
    assert!(app.case_form().is_none());
    assert_eq!(app.cases.view, CasesView::List);
    keys(&mut app, "q");
    assert!(app.quit, "nothing unsaved: q quits at once");
}

#[test]
fn editing_moves_status_only_along_the_state_machine() {
    let mut app = test_app("brinkmann");
    keys(&mut app, "/ aktiv <enter> e");
    let form = app.case_form().unwrap();
    assert_eq!(
        form.options_of(Field::Status),
        vec![
            Choice::Status(CaseStatus::Active),
            Choice::Status(CaseStatus::Dormant),
            Choice::Status(CaseStatus::Closed)
        ]
    );
    // Closing needs a closure reason.
    while app.case_form().unwrap().focused_field() != Some(Field::Status) {
        keys(&mut app, "<tab>");
    }
    keys(&mut app, "<right> <right> <ctrl-s>");
    assert_eq!(
        app.case_form().unwrap().error_at(Field::ClosureReason),
        Some(&Problem::Required)
    );
    // The failed save put the focus on the field with the problem.
    assert_eq!(
        app.case_form().unwrap().focused_field().unwrap(),
        Field::ClosureReason
    );
    keys(&mut app, "<right> <ctrl-s>");
    assert!(
        app.case_form().is_none(),
        "{:?}",
        app.case_form().map(|f| f.errors.clone())
    );
    let case = &app.cases.file.as_ref().unwrap().case();
    assert_eq!(case.status, CaseStatus::Closed);
    assert_eq!(case.closed_on, Some(today()));
}

#[test]
fn help_overlay_opens_and_closes() {
    let mut app = test_app("brinkmann");
    keys(&mut app, "?");
    assert!(app.has_layer::<Help>());
    keys(&mut app, "<down> <esc>");
    assert!(app.layers.is_empty());
    keys(&mut app, "<f1>");
    assert!(app.has_layer::<Help>());
    keys(&mut app, "<f1>");
    assert!(app.layers.is_empty());
}

#[test]
fn staff_without_case_work_see_no_cases() {
    let app = test_app("wiemers");
    assert_eq!(
        app.cases.list.total, 0,
        "data-protection officers never see case content"
    );
    let app = test_app("rademacher");
    assert_eq!(
        app.cases.list.total, 0,
        "administrators never see case content"
    );
}

#[test]
fn each_agency_sees_its_cases() {
    let jc = test_app("brinkmann");
    let ja = test_app("hegemann");
    assert!(jc.cases.list.total > 0 && ja.cases.list.total > 0);
    let me = ja.me.clone();
    for r in ja
        .store()
        .case_page(&me, &ListQuery::default(), &PageAnchor::First, 10_000)
        .unwrap()
    {
        let case = ja.store().load_case(&me, r.id).unwrap();
        assert!(
            case.owner == tandem::domain::Agency::Jugendamt || case.ja_staff.is_some(),
            "the Jugendamt sees only cases it owns or works on"
        );
    }
}

#[test]
fn english_interface() {
    let mut app = app_on(demo_store(), "brinkmann", Lang::En);
    let text = support::screen(&mut app, 80, 24);
    assert!(text.contains("Case 1 of"), "{text}");
    assert!(text.contains("Enter Open"), "{text}");
}

fn shared_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
        tandem::demo::write(&store, &tandem::demo::demo_data(today())).unwrap();
    }
    (dir, path)
}

fn open(path: &std::path::Path) -> Store {
    Store::open(path, OpenMode::Existing).unwrap()
}

/// A case assigned to brinkmann himself: karaca is his deputy and, with an absence of
/// brinkmann recorded for today, stands in for him (docs/access.md A2).
fn shared_case(a: &tandem::app::App) -> tandem::domain::CaseId {
    let me = a.me.clone();
    support::away_today(a.store(), me.id);
    a.store()
        .case_page(&me, &a.cases.list.query, &PageAnchor::First, 10_000)
        .unwrap()
        .into_iter()
        .filter(|r| r.jc_staff == "S. Brinkmann")
        .map(|r| r.id)
        // Person data is written by the agency that owns it: a Jobcenter case.
        .find(|id| {
            a.store()
                .load_case(&me, *id)
                .is_ok_and(|c| c.owner == me.agency)
        })
        .expect("brinkmann has Jobcenter cases of his own")
}

/// Opens the edit form of case `id` through the filter (its unique JC customer number).
fn edit_case(app: &mut tandem::app::App, id: tandem::domain::CaseId) {
    let me = app.me.clone();
    let case = app.store().load_case(&me, id).unwrap();
    keys(app, &format!("/ {} <enter> e", case.person.jc_customer_no));
    assert_eq!(
        app.case_form().map(|f| f.base.id),
        Some(id),
        "filter {:?}: {} rows, status {:?}",
        case.person.jc_customer_no,
        app.cases.list.total,
        app.status
    );
}

/// Two sessions on one database file (two connections, as two SSH logins would have): the
/// second save of the same field is refused; the person sees both values and chooses.
#[test]
fn second_save_of_the_same_case_is_a_conflict() {
    let (_dir, path) = shared_file();
    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    let mut b = app_on(open(&path), "karaca", Lang::De);
    let id = shared_case(&a);
    edit_case(&mut a, id);
    edit_case(&mut b, id);
    keys(&mut a, "A");
    keys(&mut b, "B <ctrl-s>");
    assert!(b.case_form().is_none(), "B saved: {:?}", b.status);
    keys(&mut a, "<ctrl-s>");
    let status = a.status.clone().unwrap();
    assert!(status.error);
    assert!(
        status.text.contains("Murat Karaca"),
        "names who saved: {}",
        status.text
    );
    assert!((a.top_layer() == Some("conflict")));
    assert_eq!(a.layer::<ConflictBox>().unwrap().conflicts.len(), 1);
    let c = &a.layer::<ConflictBox>().unwrap().conflicts[0];
    assert_eq!(c.field, Field::Surname);
    assert!(c.mine.ends_with('A') && c.theirs.ends_with('B'), "{c:?}");
    assert!(c.keep_mine, "nothing decided for the person");
    let text = support::screen(&mut a, 80, 24);
    assert!(text.contains("Gespeichert von Murat Karaca"), "{text}");
    let id = a.case_form().unwrap().base.id;
    let me = a.me.clone();
    assert!(
        open(&path)
            .load_case(&me, id)
            .unwrap()
            .person
            .surname
            .ends_with('B'),
        "B's save survived"
    );
    // Take B's value, then save: nothing of B's is lost, and the save goes through.
    keys(&mut a, "<space> <enter>");
    assert_ne!(a.top_layer(), Some("conflict"));
    assert!(
        a.case_form()
            .unwrap()
            .value_of(Field::Surname)
            .unwrap()
            .ends_with('B')
    );
    keys(&mut a, "<ctrl-s>");
    assert!(a.case_form().is_none(), "{:?}", a.status);
    assert!(
        open(&path)
            .load_case(&me, id)
            .unwrap()
            .person
            .surname
            .ends_with('B')
    );
}

#[test]
fn changes_to_different_fields_merge_without_a_question() {
    let (_dir, path) = shared_file();
    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    let mut b = app_on(open(&path), "karaca", Lang::De);
    let id = shared_case(&a);
    edit_case(&mut a, id);
    edit_case(&mut b, id);
    keys(&mut b, "B <ctrl-s>");
    assert!(b.case_form().is_none());
    // A changes the phone (field 6), not the name.
    keys(&mut a, "<tab> <tab> <tab> <tab> <tab> 9 <ctrl-s>");
    assert_ne!(a.top_layer(), Some("conflict"), "no conflict to decide");
    assert!(!a.status.as_ref().unwrap().error);
    let form = a
        .case_form()
        .expect("the merged form waits for a second save");
    assert!(
        form.value_of(Field::Surname).unwrap().ends_with('B'),
        "B's name taken over"
    );
    assert!(
        form.value_of(Field::Phone).unwrap().ends_with('9'),
        "A's phone kept"
    );
    keys(&mut a, "<ctrl-s>");
    assert!(a.case_form().is_none(), "{:?}", a.status);
    let me = a.me.clone();
    let id = a.cases.file.as_ref().unwrap().case().id;
    let stored = open(&path).load_case(&me, id).unwrap();
    assert!(stored.person.surname.ends_with('B') && stored.person.phone.ends_with('9'));
}

#[test]
fn other_sessions_saves_show_up_without_moving_the_cursor() {
    let (_dir, path) = shared_file();
    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    // A second login of the same person (another terminal).
    let b = app_on(open(&path), "brinkmann", Lang::De);
    keys(&mut a, "<down> <down> <down>");
    let selected = a.cases.list.current().unwrap().id;
    let first = a.cases.list.rows[0].id;
    // B sets a review date on the first case of the list.
    let me_b = b.me.clone();
    let mut case = b.store().load_case(&me_b, first).unwrap();
    let review = today() + chrono::Duration::days(9);
    case.next_review = Some(review);
    b.store().update_case(&me_b, &case).unwrap();
    drop(b);
    a.on_tick(std::time::Instant::now() + std::time::Duration::from_secs(2));
    assert_eq!(a.cases.list.rows[0].next_date, Some(review));
    assert_eq!(a.cases.list.current().unwrap().id, selected, "cursor kept");
    assert_eq!(a.cases.list.position(), Some(4));
}

#[test]
fn typed_text_becomes_a_draft_offered_only_to_its_author() {
    let (_dir, path) = shared_file();
    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    keys(&mut a, "n Öztürk <tab> Mehmet <tab> 01.02.2003");
    // Field changes write at once; typing within a field waits for the autosave deadline.
    let me = a.me.clone();
    let drafts = open(&path).drafts_for(me.id).unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(
        drafts[0].values.get("given_names").map(String::as_str),
        Some("Mehmet")
    );
    a.on_tick(std::time::Instant::now() + std::time::Duration::from_secs(3));
    let drafts = open(&path).drafts_for(me.id).unwrap();
    assert_eq!(
        drafts[0].values.get("birth_date").map(String::as_str),
        Some("01.02.2003")
    );
    drop(a); // the session ends without saving (as on kill -9)

    let other = app_on(open(&path), "karaca", Lang::De);
    assert!(other.offers.is_empty(), "never shown to anyone else");
    assert!(other.layers.is_empty());

    let mut again = app_on(open(&path), "brinkmann", Lang::De);
    assert_eq!(
        again.layer::<Ask>().map(|q| q.question),
        Some(Question::RestoreDraft)
    );
    let text = support::screen(&mut again, 80, 24);
    assert!(text.contains("Öztürk, Mehmet"), "{text}");
    keys(&mut again, "j");
    assert!(again.case_form().is_some());
    let form = again.case_form().unwrap();
    assert_eq!(form.value_of(Field::Surname).as_deref(), Some("Öztürk"));
    assert_eq!(
        form.value_of(Field::BirthDate).as_deref(),
        Some("01.02.2003")
    );
    assert_eq!(
        form.focused_field().unwrap(),
        Field::BirthDate,
        "focus where it was"
    );
    // Complete and save: the draft is gone.
    while again.case_form().unwrap().focused_field() != Some(Field::Reasons) {
        keys(&mut again, "<tab>");
    }
    keys(&mut again, "<space> <ctrl-s>");
    assert!(again.case_form().is_none(), "{:?}", again.status);
    assert!(open(&path).drafts_for(me.id).unwrap().is_empty());
}

#[test]
fn a_draft_of_an_edit_keeps_its_base_and_still_detects_conflicts() {
    let (_dir, path) = shared_file();
    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    let id = shared_case(&a);
    edit_case(&mut a, id);
    keys(&mut a, "X <tab>");
    drop(a);
    // Someone else saves the same case before the draft is restored.
    let mut b = app_on(open(&path), "karaca", Lang::De);
    edit_case(&mut b, id);
    keys(&mut b, "Y <ctrl-s>");
    assert!(b.case_form().is_none());
    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    keys(&mut a, "j");
    assert_eq!(a.case_form().unwrap().base.id, id);
    keys(&mut a, "<ctrl-s>");
    assert!((a.top_layer() == Some("conflict")), "{:?}", a.status);
    assert!(
        a.layer::<ConflictBox>().unwrap().conflicts[0]
            .mine
            .ends_with('X')
            && a.layer::<ConflictBox>().unwrap().conflicts[0]
                .theirs
                .ends_with('Y')
    );
}

/// #23 defect 3: while the conflict box is open, the session's draft keeps the base the
/// form was opened with. A session that ends there (hang-up, idle lock, kill -9) leaves a
/// draft whose save meets the conflict again instead of overwriting the colleague's value;
/// Esc leaves the box without a choice, and the next save asks again.
#[test]
fn an_interrupted_conflict_box_never_overwrites_the_colleague() {
    let (_dir, path) = shared_file();
    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    let mut b = app_on(open(&path), "karaca", Lang::De);
    let id = shared_case(&a);
    let me = a.me.clone();
    let stored = || open(&path).load_case(&me, id).unwrap().person.surname;
    edit_case(&mut a, id);
    edit_case(&mut b, id);
    keys(&mut a, "A");
    keys(&mut b, "B <ctrl-s>");
    assert!(b.case_form().is_none(), "B saved: {:?}", b.status);
    let theirs = stored();
    assert!(theirs.ends_with('B'));
    keys(&mut a, "<ctrl-s>");
    assert_eq!(a.top_layer(), Some("conflict"), "{:?}", a.status);
    // The link drops while the box is open: the hang-up path writes the published draft.
    tandem::app::save_shared_draft(&a.shared_draft(), &a.session, &path, None);
    let written = open(&path).drafts_for(me.id).unwrap();
    assert_eq!(written.len(), 1, "{written:?}");
    let base = open(&path).load_case(&me, id).unwrap().version;
    assert_eq!(
        written[0].base_version,
        base - 1,
        "the draft keeps the base the form was opened with"
    );
    drop(a);

    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    keys(&mut a, "j");
    assert_eq!(a.case_form().unwrap().base.id, id, "{:?}", a.status);
    assert!(
        a.case_form()
            .unwrap()
            .value_of(Field::Surname)
            .unwrap()
            .ends_with('A')
    );
    keys(&mut a, "<ctrl-s>");
    assert_eq!(
        a.top_layer(),
        Some("conflict"),
        "the restored draft asks again: {:?}",
        a.status
    );
    assert_eq!(stored(), theirs, "nothing saved over the colleague");

    // Esc: the way out. The input stays, nothing is saved, and the next save asks again.
    keys(&mut a, "<esc>");
    assert_ne!(a.top_layer(), Some("conflict"));
    assert!(
        a.case_form()
            .unwrap()
            .value_of(Field::Surname)
            .unwrap()
            .ends_with('A'),
        "the input stays"
    );
    assert_eq!(stored(), theirs);
    keys(&mut a, "<ctrl-s>");
    assert_eq!(a.top_layer(), Some("conflict"), "{:?}", a.status);
    assert_eq!(stored(), theirs, "a blind second save overwrites nothing");

    // F1 explains the box; Esc closes the help and the box is still there.
    keys(&mut a, "<f1>");
    let text = support::screen(&mut a, 80, 24);
    assert!(text.contains("Nichts wird ohne Ihre Wahl"), "{text}");
    keys(&mut a, "<esc>");
    assert_eq!(a.top_layer(), Some("conflict"));

    // Choosing mine and saving is a decision made with both values seen.
    keys(&mut a, "<enter> <ctrl-s>");
    assert!(a.case_form().is_none(), "{:?}", a.status);
    assert!(stored().ends_with('A'));
}

#[test]
fn discarding_deletes_the_draft() {
    let (_dir, path) = shared_file();
    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    keys(&mut a, "n Test <tab>");
    let me = a.me.clone();
    assert_eq!(open(&path).drafts_for(me.id).unwrap().len(), 1);
    keys(&mut a, "<esc> j");
    assert!(open(&path).drafts_for(me.id).unwrap().is_empty());
}

#[test]
fn idle_lock_keeps_the_draft_and_ends_the_session() {
    let (_dir, path) = shared_file();
    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    keys(&mut a, "n Unvollständig");
    a.on_tick(std::time::Instant::now() + std::time::Duration::from_mins(16));
    assert!(a.quit && a.locked);
    assert!(
        a.case_form().is_none() && a.cases.list.rows.is_empty(),
        "case data left the screen"
    );
    let me = a.me.clone();
    let drafts = open(&path).drafts_for(me.id).unwrap();
    assert_eq!(
        drafts[0].values.get("surname").map(String::as_str),
        Some("Unvollständig")
    );
}

#[test]
fn the_partner_edits_only_the_cooperation_not_the_owners_person_data() {
    let mut app = test_app("hegemann");
    let me = app.me.clone();
    // A Jobcenter case in the Jugendamt worker's caseload.
    let id = app
        .store()
        .case_page(&me, &app.cases.list.query, &PageAnchor::First, 10_000)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .find(|id| {
            app.store().load_case(&me, *id).is_ok_and(|c| {
                c.owner == tandem::domain::Agency::Jobcenter && c.ja_staff == Some(me.id)
            })
        })
        .expect("a Jobcenter case assigned to hegemann");
    let stored_before = app.store().load_case(&me, id).unwrap();
    let filter_no = stored_before.person.ja_file_no.clone();
    assert!(!filter_no.is_empty());
    keys(&mut app, &format!("/ {filter_no} <enter> e"));
    let form = app.case_form().expect("form open");
    assert!(
        form.readonly.contains(&Field::Surname) && form.readonly.contains(&Field::JcCustomerNo)
    );
    assert!(
        !form.readonly.contains(&Field::JaFileNo),
        "the Jugendamt's own file number"
    );
    assert_ne!(
        form.focused_field().unwrap(),
        Field::Surname,
        "focus skips read-only fields"
    );
    // Change the review date (cooperation data) and save.
    while app.case_form().unwrap().focused_field() != Some(Field::NextReview) {
        keys(&mut app, "<tab>");
    }
    keys(&mut app, "<ctrl-u>");
    let f = app.case_form_mut().unwrap();
    f.apply_values(&[(Field::NextReview, "24.12.2026".to_string())]);
    keys(&mut app, "<ctrl-s>");
    assert!(
        app.case_form().is_none(),
        "{:?} {:?}",
        app.status,
        app.case_form().map(|f| f.errors.clone())
    );
    let after = app.store().load_case(&me, id).unwrap();
    assert_eq!(
        after.person,
        tandem::domain::YoungPerson {
            version: after.person.version,
            ..stored_before.person.clone()
        }
    );
    assert_eq!(
        after.next_review.map(|d| d.to_string()).as_deref(),
        Some("2026-12-24")
    );
}

#[test]
fn a_team_lead_reads_but_does_not_edit() {
    let mut app = test_app("schwering");
    keys(&mut app, "<enter> e");
    assert!(app.case_form().is_none());
    assert!(app.status.as_ref().unwrap().text.contains("Nur lesen"));
}

#[test]
fn a_note_being_written_is_a_draft_too() {
    let (_dir, path) = shared_file();
    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    let id = shared_case(&a);
    edit_case(&mut a, id);
    keys(&mut a, "<esc>");
    assert_eq!(a.cases.view, CasesView::File);
    keys(&mut a, "o Anruf <space> der <space> Mutter");
    assert_eq!(a.top_layer(), Some("note"));
    a.on_tick(std::time::Instant::now() + std::time::Duration::from_secs(3));
    drop(a);
    let mut again = app_on(open(&path), "brinkmann", Lang::De);
    assert_eq!(
        again.layer::<Ask>().map(|q| q.question),
        Some(Question::RestoreDraft)
    );
    keys(&mut again, "j");
    assert_eq!(again.top_layer(), Some("note"));
    assert_eq!(
        again.layer::<NoteBox>().unwrap().content(),
        "Anruf der Mutter"
    );
    keys(&mut again, "<ctrl-s>");
    let me = again.me.clone();
    assert!(
        again
            .cases
            .file
            .as_ref()
            .unwrap()
            .view
            .notes
            .iter()
            .any(|n| n.text == "Anruf der Mutter")
    );
    assert!(open(&path).drafts_for(me.id).unwrap().is_empty());
}

#[test]
fn break_glass_asks_for_a_reason_and_is_shown_to_the_case_owner() {
    let (_dir, path) = shared_file();
    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    let me = a.me.clone();
    // A Jobcenter case outside brinkmann's caseload, found as the lead sees the agency.
    let lead = open(&path).staff_by_login("schwering").unwrap().unwrap();
    let rows = a
        .store()
        .case_page(&lead, &a.cases.list.query, &PageAnchor::First, 10_000)
        .unwrap();
    let target = rows
        .iter()
        .find(|r| {
            a.store().load_case(&me, r.id).is_err()
                && open(&path)
                    .load_case(&lead, r.id)
                    .is_ok_and(|c| c.owner == me.agency && !c.person.jc_customer_no.is_empty())
        })
        .expect("a case of the agency outside the caseload")
        .id;
    let number = open(&path)
        .load_case(&lead, target)
        .unwrap()
        .person
        .jc_customer_no;
    // A caseworker has no list of the whole agency: `a` asks for the case's number.
    keys(&mut a, "a");
    assert!(a.cases.list.lookup.is_some());
    assert!(
        a.cases.list.rows.iter().all(|r| r.id != target),
        "not in the caseload"
    );
    // A number of no case: refused and logged, nothing opens.
    keys(&mut a, "9 9 9 <enter>");
    assert!(a.layers.is_empty());
    assert_eq!(a.cases.view, CasesView::List);
    keys(&mut a, "a");
    let typed: String = number.chars().flat_map(|c| [c, ' ']).collect();
    keys(&mut a, &format!("{typed}<enter>"));
    assert!((a.top_layer() == Some("break-glass")), "{:?}", a.status);
    keys(&mut a, "<down> <enter>");
    assert_eq!(a.cases.view, CasesView::File);
    let view = &a.cases.file.as_ref().unwrap().view;
    assert_eq!(view.relation, tandem::domain::access::Relation::BreakGlass);
    // The owner's caseworker sees who looked and why.
    let case = open(&path)
        .load_case(
            &open(&path).staff_by_login("schwering").unwrap().unwrap(),
            target,
        )
        .unwrap();
    let owner_worker = open(&path)
        .staff_by_id(case.jc_staff.unwrap())
        .unwrap()
        .unwrap();
    let seen = open(&path)
        .case_file(&owner_worker, target, today())
        .unwrap();
    assert_eq!(seen.grants.len(), 1);
    assert_eq!(seen.grants[0].0, me.id);
    assert_eq!(
        seen.grants[0].1,
        tandem::domain::casefile::BreakGlassReason::ChildProtection
    );
    // So does brinkmann's own lead (docs/access.md A4) …
    let by_lead = open(&path).case_file(&lead, target, today()).unwrap();
    assert_eq!(by_lead.grants.len(), 1);
    // … and the Jugendamt on the case never learns of it.
    if let Some(ja) = case.ja_staff {
        let ja = open(&path).staff_by_id(ja).unwrap().unwrap();
        if let Ok(v) = open(&path).case_file(&ja, target, today()) {
            assert!(v.grants.is_empty());
        }
    }
}

#[test]
fn break_glass_for_another_reason_needs_a_text_at_the_field() {
    use tandem::app::layers::break_glass::{self, BreakGlass};
    let mut a = app_on(demo_store(), tandem::demo::DEMO_USER, Lang::En);
    while a.top_layer() == Some("question") {
        keys(&mut a, "n");
    }
    assert!(break_glass::example(&mut a), "{:?}", a.status);
    // "Other" is the last reason; Enter without a text is refused, the message at the text.
    keys(&mut a, "<down> <down> <down> <enter>");
    let bg = a.layer::<BreakGlass>().expect("still open");
    assert_eq!(bg.editor.value(break_glass::REASON), "other");
    assert_eq!(
        bg.editor.errors.get(break_glass::TEXT).map(String::as_str),
        Some(a.strings.break_glass_text_required)
    );
    assert!(a.text_input_active(), "the cursor went to the text");
    // Esc on a typed text asks first; "no" keeps it, Enter then opens the case.
    a.paste("Court asked for the file");
    keys(&mut a, "<esc>");
    assert_eq!(a.top_layer(), Some("question"));
    keys(&mut a, "n <enter>");
    assert!(a.layers.is_empty(), "{:?}", a.status);
    let view = &a.cases.file.as_ref().unwrap().view;
    assert_eq!(view.relation, tandem::domain::access::Relation::BreakGlass);
}

#[test]
fn recording_a_consent_checks_the_rules_then_saves() {
    let (_dir, path) = shared_file();
    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    let id = shared_case(&a);
    edit_case(&mut a, id);
    keys(&mut a, "<esc> c");
    assert_eq!(a.top_layer(), Some("consent"));
    let before = a.cases.file.as_ref().unwrap().view.consents.len();
    // Granted without a document and without the three information ticks: refused.
    keys(&mut a, "<ctrl-s>");
    let editor = &a.layer::<ConsentBox>().unwrap().editor;
    assert_eq!(
        editor.error_at(Field::DocumentRef),
        Some(&Problem::Required)
    );
    assert_eq!(editor.error_at(Field::InfoTicks), Some(&Problem::Required));
    // Fill in the document reference (the cursor went to the first problem) and tick.
    let editor = &a.layer::<ConsentBox>().unwrap().editor;
    let doc = editor.row_of(Field::DocumentRef).unwrap();
    let first_info = editor.row_of(Field::InfoTicks).unwrap();
    while a.layer::<ConsentBox>().unwrap().editor.rows.cursor != doc {
        keys(&mut a, "<tab>");
    }
    keys(&mut a, "Scan-2026-17");
    while a.layer::<ConsentBox>().unwrap().editor.rows.cursor != first_info {
        keys(&mut a, "<tab>");
    }
    keys(&mut a, "<space> <down> <space> <down> <space> <ctrl-s>");
    assert!(
        a.layers.is_empty(),
        "{:?} {:?}",
        a.status,
        a.layer::<ConsentBox>().map(|c| c.editor.problems.clone())
    );
    let consents = &a.cases.file.as_ref().unwrap().view.consents;
    assert_eq!(consents.len(), before + 1);
    let c = &consents[0];
    assert_eq!(c.document_ref, "Scan-2026-17");
    assert_eq!(c.signed_on, today());
    assert!(
        c.recipient_agencies
            .contains(&tandem::domain::Agency::Jugendamt)
    );
}

#[test]
fn esc_and_q_in_the_boxes_ask_before_throwing_input_away() {
    let (_dir, path) = shared_file();
    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    let id = shared_case(&a);
    edit_case(&mut a, id);
    keys(&mut a, "<esc> o Wichtig <esc>");
    assert_eq!(
        a.layer::<Ask>().map(|q| q.question),
        Some(Question::Discard)
    );
    keys(&mut a, "n");
    assert_eq!(a.top_layer(), Some("note"));
    assert_eq!(
        a.layer::<NoteBox>().unwrap().content().replace('\n', ""),
        "Wichtig"
    );
    keys(&mut a, "<esc> j c q");
    assert!(a.quit, "an untouched consent form holds nothing to lose");
    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    edit_case(&mut a, id);
    keys(&mut a, "<esc> c <space> q");
    assert_eq!(
        a.layer::<Ask>().map(|q| q.question),
        Some(Question::Quit),
        "q in a changed consent form asks"
    );
    keys(&mut a, "n");
    assert_eq!(a.top_layer(), Some("consent"));
    assert!(!a.quit);
}

#[test]
fn a_team_lead_cannot_write_notes_or_revoke() {
    let mut app = test_app("schwering");
    keys(&mut app, "<enter> o");
    assert!(app.layers.is_empty());
    assert!(app.status.as_ref().unwrap().text.contains("Nur lesen"));
    keys(&mut app, "w");
    assert!(app.layers.is_empty());
}

/// A save conflict rebases the form onto what the person may see: the partner's withheld
/// data does not come into the form (or its draft) through the conflict.
#[test]
fn a_conflict_never_brings_withheld_partner_data_into_the_form() {
    let (_dir, path) = shared_file();
    let mut a = app_on(open(&path), "hegemann", Lang::De);
    let me = a.me.clone();
    let rows = a
        .store()
        .case_page(&me, &a.cases.list.query, &PageAnchor::First, 10_000)
        .unwrap();
    let Some(row) = rows.iter().find(|r| {
        r.name.is_none()
            && matches!(
                a.store().case_file(&me, r.id, today()).map(|v| v.relation),
                Ok(tandem::domain::access::Relation::Assigned
                    | tandem::domain::access::Relation::Deputy)
            )
    }) else {
        panic!("the demo has a partner case without transferred names in hegemann's caseload");
    };
    let id = row.id;
    let secret = open(&path)
        .load_case(
            &open(&path).staff_by_login("schwering").unwrap().unwrap(),
            id,
        )
        .unwrap();
    // Open the edit form (the row is selected by walking the list).
    while a.cases.list.current().unwrap().id != id {
        keys(&mut a, "<down>");
    }
    keys(&mut a, "<enter> e");
    assert!(a.case_form().is_some(), "{:?}", a.status);
    // Someone of the owning agency saves meanwhile.
    let owner = open(&path)
        .staff_by_id(secret.jc_staff.unwrap())
        .unwrap()
        .unwrap();
    let store = open(&path);
    let mut theirs = store.load_case(&owner, id).unwrap();
    theirs.person.phone = "02366 099999".into();
    store.update_case(&owner, &theirs).unwrap();
    // Hegemann changes the review date and saves: a conflict, merged.
    a.case_form_mut()
        .unwrap()
        .apply_values(&[(Field::NextReview, "30.12.2026".into())]);
    keys(&mut a, "<ctrl-s>");
    let form = a.case_form().expect("the merged form waits");
    assert!(form.banner.is_some(), "a conflict happened: {:?}", a.status);
    for f in [
        Field::Surname,
        Field::GivenNames,
        Field::Phone,
        Field::Address,
    ] {
        let v = form.value_of(f).unwrap();
        assert!(
            !v.contains(&secret.person.surname) || secret.person.surname.is_empty(),
            "{f:?} leaked: {v}"
        );
        assert!(form.readonly.contains(&f), "{f:?} stays read-only");
    }
    assert!(
        !form.value_of(Field::Phone).unwrap().contains("099999"),
        "withheld phone not taken over"
    );
}

#[test]
fn two_unsaved_new_cases_keep_two_drafts() {
    let (_dir, path) = shared_file();
    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    keys(&mut a, "n Erster <tab>");
    drop(a);
    let mut b = app_on(open(&path), "brinkmann", Lang::De);
    keys(&mut b, "n");
    // "Nein": the first draft stays for later; a second new case is started.
    assert_eq!(b.cases.view, CasesView::List, "the offer came first");
    std::thread::sleep(std::time::Duration::from_millis(5));
    keys(&mut b, "n Zweiter <tab>");
    let me = b.me.clone();
    let drafts = open(&path).drafts_for(me.id).unwrap();
    let names: Vec<_> = drafts
        .iter()
        .filter_map(|d| d.values.get("surname").cloned())
        .collect();
    assert!(
        names.contains(&"Erster".to_string()) && names.contains(&"Zweiter".to_string()),
        "{names:?}"
    );
}

/// Two sessions of one person each keep their own draft (issue 23, defect 2): a second
/// login is not offered the live form of the first, a save in one deletes only its own
/// draft, and the first session's draft is offered once that session has ended.
#[test]
fn two_sessions_of_one_person_keep_their_own_drafts() {
    let (_dir, path) = shared_file();
    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    let me = a.me.clone();
    let id = shared_case(&a);
    edit_case(&mut a, id);
    keys(&mut a, "A <tab>");
    let mut b = app_on(open(&path), "brinkmann", Lang::De);
    assert!(b.offers.is_empty(), "a running session keeps its draft");
    edit_case(&mut b, id);
    keys(&mut b, "B <tab>");
    assert_eq!(
        open(&path).drafts_for(me.id).unwrap().len(),
        2,
        "one draft per session, neither overwrites the other"
    );
    keys(&mut b, "<ctrl-s>");
    assert!(b.case_form().is_none(), "{:?}", b.status);
    let left = open(&path).drafts_for(me.id).unwrap();
    assert_eq!(left.len(), 1, "B's save deleted only B's draft");
    assert!(left[0].values["surname"].ends_with('A'));
    // A's session ends without saving; B still runs. The next login gets A's draft.
    drop(a);
    let c = app_on(open(&path), "brinkmann", Lang::De);
    assert_eq!(c.offers.len(), 1);
    assert!(c.offers[0].1.values["surname"].ends_with('A'));
    drop(b);
}

/// An expired draft is deleted by whoever logs in first, and its author is told at their
/// next login how many went (issue 23, defect 10).
#[test]
fn expired_drafts_are_deleted_with_a_notice_to_their_author() {
    let (_dir, path) = shared_file();
    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    keys(&mut a, "n Vergessen <tab>");
    let me = a.me.clone();
    drop(a);
    let later = |days: i64| {
        let mut s = open(&path);
        s.set_clock(tandem::domain::Clock::fixed_local(
            (today() + chrono::Duration::days(days))
                .and_hms_opt(10, 0, 0)
                .unwrap(),
        ));
        s
    };
    let other = app_on(later(15), "karaca", Lang::De);
    drop(other);
    assert!(open(&path).drafts_for(me.id).unwrap().is_empty());
    let mut back = app_on(later(16), "brinkmann", Lang::De);
    assert!(back.offers.is_empty());
    let text = support::screen(&mut back, 80, 24);
    assert!(
        text.contains("Ein Entwurf war älter als 14 Tage und wurde gelöscht."),
        "{text}"
    );
    let again = app_on(later(17), "brinkmann", Lang::De);
    // Told once (Brinkmann's login line keeps only the warning about her overdue akut
    // referral of the demo).
    assert!(
        !again
            .status
            .as_ref()
            .is_some_and(|m| m.text.contains("Entwurf")),
        "told once: {:?}",
        again.status
    );
}

/// While a text field takes the typing, the footer offers F1 for help, not `?` (which is
/// typed into the field) (issue 23, defect 10); on the list `?` is the help key.
#[test]
fn the_footer_offers_only_keys_that_work_while_typing() {
    let mut app = test_app("brinkmann");
    let list = support::screen(&mut app, 80, 24);
    assert!(list.contains("? Hilfe"), "{list}");
    keys(&mut app, "n");
    assert!(app.text_input_active());
    let form = support::screen(&mut app, 80, 24);
    assert!(!form.contains("? Hilfe"), "{form}");
    assert!(form.contains("F1 Hilfe"), "{form}");
    keys(&mut app, "?");
    assert!(
        app.layers
            .last()
            .and_then(|l| l.field_text())
            .unwrap()
            .ends_with('?'),
        "typed, as the footer promised"
    );
}

/// #23 defect 10: a sentence typed on a choice field (after a Tab too many) changes
/// nothing — not the choice through its spaces, not the screen through `2` — and says
/// that the field is a choice. Arrow keys and a deliberate Space still choose.
#[test]
fn a_sentence_typed_on_a_choice_field_changes_nothing() {
    let mut app = test_app("brinkmann");
    keys(&mut app, "n");
    while app.case_form().unwrap().focused_field() != Some(Field::Gender) {
        keys(&mut app, "<tab>");
    }
    let before = app.case_form().unwrap().value_of(Field::Gender);
    keys(
        &mut app,
        "Ich <space> habe <space> 2 <space> Kinder, <space> bald <space> 3",
    );
    assert_eq!(app.case_form().unwrap().value_of(Field::Gender), before);
    assert_eq!(app.top_layer(), Some("case-form"));
    assert_eq!(app.screen, Screen::Cases);
    assert!(!app.quit);
    let status = app.status.clone().unwrap();
    assert!(status.text.contains("Auswahlfeld"), "{status:?}");
    keys(&mut app, "<right>");
    let chosen = app.case_form().unwrap().value_of(Field::Gender);
    assert_ne!(chosen, before, "the arrow chooses");
    keys(&mut app, "<space>");
    assert_ne!(
        app.case_form().unwrap().value_of(Field::Gender),
        chosen,
        "a Space after a key that is not a letter chooses too"
    );
}

/// #23 defect 10: the transfer preview, where a legal transfer is decided, shows what the
/// partner will read — "männlich", the reasons' labels — never the stored codes.
#[test]
fn the_transfer_preview_shows_labels_not_codes() {
    use tandem::app::layers::transfer::TransferPreview;
    use tandem::domain::{Gender, ReasonCode};
    let mut app = test_app("brinkmann");
    let s = app.strings;
    // A case of his own agency: its person data is what he would send.
    let id = shared_case(&app);
    let me = app.me.clone();
    let case = app.store().load_case(&me, id).unwrap();
    keys(
        &mut app,
        &format!("/ {} <enter> <enter> t", case.person.jc_customer_no),
    );
    assert_eq!(app.top_layer(), Some("transfer"), "{:?}", app.status);
    let text = support::screen(&mut app, 100, 40);
    let fields = app.layer::<TransferPreview>().unwrap().fields.clone();
    let mut checked = 0;
    for (field, value) in fields {
        match field {
            Field::Gender => {
                let g = Gender::from_code(&value).unwrap();
                let row = text
                    .lines()
                    .find(|l| l.contains(&format!("│  {}", (s.field)(field))))
                    .unwrap_or_else(|| panic!("no gender row in the box\n{text}"));
                assert!(row.contains((s.gender)(g)), "{row}\n{text}");
                checked += 1;
            }
            Field::Reasons => {
                for r in ReasonCode::split(&value) {
                    assert!(!text.contains(r.code()), "code {}\n{text}", r.code());
                    checked += 1;
                }
            }
            _ => {}
        }
    }
    assert!(
        checked >= 2,
        "the demo case has a gender and reasons: {checked}\n{text}"
    );
}

/// #23 defect 10: a draft kept "for later" at login is not overwritten when the person
/// then opens the same record: the form says that the kept draft stays (and the notice
/// stays readable while typing on), the new input is saved on its own, and the kept
/// draft is offered again at the next login.
#[test]
fn a_draft_kept_for_later_survives_opening_its_record() {
    let (_dir, path) = shared_file();
    let mut a = app_on(open(&path), "brinkmann", Lang::De);
    let id = shared_case(&a);
    edit_case(&mut a, id);
    keys(&mut a, "Alt <tab>");
    drop(a);

    let mut b = app_on(open(&path), "brinkmann", Lang::De);
    assert_eq!(b.top_layer(), Some("question"), "the draft is offered");
    keys(&mut b, "n");
    edit_case(&mut b, id);
    keys(&mut b, "N");
    let said = b.status.clone().map(|s| s.text).unwrap_or_default();
    assert!(said.contains("bleibt erhalten"), "{said:?}");
    keys(&mut b, "eu");
    let still = b.status.clone().map(|s| s.text).unwrap_or_default();
    assert_eq!(still, said, "the notice stays while typing on");
    keys(&mut b, "<ctrl-s>");
    assert!(b.case_form().is_none(), "{:?}", b.status);
    drop(b);

    let c = app_on(open(&path), "brinkmann", Lang::De);
    assert_eq!(c.offers.len(), 1, "the kept draft is offered again");
    assert!(
        c.offers[0].1.values.values().any(|v| v.ends_with("Alt")),
        "{:?}",
        c.offers[0].1.values
    );
}

#[test]
fn roles_that_may_not_create_cases_get_no_new_case_form_and_the_store_refuses() {
    use tandem::app::layers::case_form::CaseFormLayer;
    use tandem::domain::refusal::Refusal;
    use tandem::storage::StorageError;
    // A caseworker's case, as a template.
    let worker = test_app("brinkmann");
    let rows = worker
        .store()
        .case_page(&worker.me, &ListQuery::default(), &PageAnchor::First, 5)
        .unwrap();
    let template = worker.store().load_case(&worker.me, rows[0].id).unwrap();
    // The caseworker is offered the form.
    let mut app = test_app("brinkmann");
    keys(&mut app, "<f2> n");
    assert!(app.has_layer::<CaseFormLayer>());
    // The read-only lead and the administrator are not (docs/access.md A7); the DSB has no
    // case list at all (tests/dpo_screen.rs).
    for login in ["schwering", "tueshaus", "rademacher"] {
        let mut app = test_app(login);
        keys(&mut app, "<f2>");
        let text = support::screen(&mut app, 80, 24);
        let footer = text.lines().last().unwrap_or_default().to_string();
        assert!(!footer.contains("Neuer Fall"), "{login}: {footer}");
        keys(&mut app, "n");
        assert!(!app.has_layer::<CaseFormLayer>(), "{login}");
        let status = app
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default();
        assert!(
            status.contains("Neue Fälle legen nur Fachkräfte an"),
            "{login}: {status:?}"
        );
        keys(&mut app, "?");
        assert!(app.has_layer::<Help>());
        let mut help = String::new();
        for _ in 0..12 {
            help.push_str(&support::screen(&mut app, 80, 24));
            keys(&mut app, "<pagedown>");
        }
        assert!(!help.contains("Neuer Fall"), "{login}: {help}");
        // The store refuses it with a typed reason.
        let me = app.me.clone();
        let new = support::creatable(&template, me.agency);
        assert!(
            matches!(
                app.store().create_case(&me, &new),
                Err(StorageError::Refused(Refusal::CaseCreate))
            ),
            "{login}"
        );
    }
}

#[test]
fn a_draft_of_an_edit_without_a_name_is_offered_as_an_edit_of_its_case() {
    use tandem::model::draft::{CASE_DRAFT, Draft, SessionId};
    let store = demo_store();
    let me = store.staff_by_login("brinkmann").unwrap().unwrap();
    let rows = store
        .case_page(&me, &ListQuery::default(), &PageAnchor::First, 5)
        .unwrap();
    let case = rows[0].id;
    // The person fields were read-only or withheld: the draft holds no name, or an empty one.
    let mut values = std::collections::BTreeMap::new();
    values.insert("surname".to_string(), String::new());
    values.insert("given_names".to_string(), String::new());
    values.insert("street".to_string(), "Ewaldstraße 3".to_string());
    let mut draft = Draft::new(me.id, CASE_DRAFT, case.0, values);
    draft.base_version = 1;
    draft.base_person_version = 1;
    store.save_draft(&SessionId::none(), &draft).unwrap();
    let app = app_on(store, "brinkmann", Lang::De);
    let (what, _) = app.offer_label().expect("the draft is offered");
    assert!(!what.contains("Neuer Fall"), "{what}");
    assert!(
        what.contains("Fall bearbeiten") && what.contains(&format!("Fall {}", case.0)),
        "{what}"
    );
}
