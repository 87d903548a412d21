//! The case file's own records through the real app (issue #17; docs/casework.md): the
//! forms for custody holders, children and agreements — created, checked at the field,
//! edited and ended, saved over a colleague's save, audited, kept as a draft when the link
//! drops — and custody holders transferred to the partner, who reads them until the
//! consent is revoked and is then told what to stop using.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use support::{app_on, demo_store, keys, screen, today};
use tandem::app::App;
use tandem::app::layers::record_form::{FileRecord, Kind, RecordForm, RecordMenu};
use tandem::domain::casefile::{Custody, FamilyRef, Guardian, Relation as Kin, TransferBasis};
use tandem::domain::consent::{
    Consent, ConsentForm, ConsentId, ConsentStatus, DataCategory, DeclaredBy, Purpose, RevokedHow,
};
use tandem::domain::{Agency, CaseId, Staff};
use tandem::model::list::PageAnchor;
use tandem::storage::Store;
use tandem::strings::Lang;

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

/// A case the login works on whose owner is their agency, with a partner caseworker;
/// its file is open.
fn own_case(app: &mut App) -> CaseId {
    let me = app.me.clone();
    let rows = app
        .store()
        .case_page(&me, &app.cases.list.query, &PageAnchor::First, 10_000)
        .unwrap();
    for r in rows {
        app.open_file(r.id);
        let Some(f) = app.cases.file.as_ref() else {
            continue;
        };
        let c = f.case();
        let partner = match me.agency {
            Agency::Jobcenter => c.ja_staff,
            Agency::Jugendamt => c.jc_staff,
        };
        if c.owner == me.agency && partner.is_some() && c.status.is_open() && app.works_on_file() {
            return r.id;
        }
    }
    panic!("{} works on no own case with a partner", me.login);
}

/// Moves the open menu's cursor to `item` and chooses it.
fn choose(app: &mut App, item: FileRecord) {
    keys(app, "a");
    let menu = app.layer_mut::<RecordMenu>().expect("the menu opens");
    let at = menu
        .items
        .iter()
        .position(|i| *i == item)
        .unwrap_or_else(|| panic!("{item:?} not offered: {:?}", menu.items));
    for _ in 0..at {
        keys(app, "<down>");
    }
    keys(app, "<enter>");
}

fn clear(app: &mut App, n: usize) {
    for _ in 0..n {
        keys(app, "<backspace>");
    }
}

fn guardians(app: &App) -> Vec<Guardian> {
    app.cases
        .file
        .as_ref()
        .and_then(|f| f.view.guardians.clone())
        .unwrap_or_default()
}

#[test]
fn a_custody_holder_is_added_checked_at_the_field_changed_ended_and_audited() {
    let mut app = app_on(demo_store(), "brinkmann", Lang::De);
    let case = own_case(&mut app);
    let before = guardians(&app).len();
    choose(&mut app, FileRecord::New(Kind::Guardian));
    assert_eq!(app.top_layer(), Some("record-guardian"));
    insta::assert_snapshot!("record_guardian_new_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("record_guardian_new_60x15", screen(&mut app, 60, 15));
    // Nothing typed: the name is asked for at its field.
    keys(&mut app, "<ctrl-s>");
    assert_eq!(app.top_layer(), Some("record-guardian"), "the form stays");
    assert!(screen(&mut app, 80, 24).contains("⚠ Bitte ausfüllen."));
    keys(
        &mut app,
        "Aylin <space> Demir <tab> <tab> <tab> 0209 <space> 123456 <ctrl-s>",
    );
    assert_eq!(app.top_layer(), None, "{}", status(&app));
    assert_eq!(status(&app), "Gespeichert.");
    let list = guardians(&app);
    assert_eq!(list.len(), before + 1);
    let g = list
        .iter()
        .find(|g| g.name == "Aylin Demir")
        .expect("saved");
    assert_eq!(g.phone, "0209 123456");
    assert_eq!(g.relation, Kin::Mother, "the default");
    let id = g.id;
    let rows = app.store().audit_rows_for("guardian", id).unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].action, "create");
    assert_eq!(rows[0].staff_id, Some(app.me.id.0));

    // Ended: a date that does not exist is named at its field, the right one saved.
    choose(&mut app, FileRecord::Edit(Kind::Guardian, id));
    assert_eq!(app.top_layer(), Some("record-guardian"));
    keys(
        &mut app,
        "<tab> <tab> <tab> <tab> <tab> 31.02.2026 <ctrl-s>",
    );
    assert!(
        screen(&mut app, 80, 24).contains("Datum als TT.MM.JJJJ"),
        "{}",
        screen(&mut app, 80, 24)
    );
    clear(&mut app, 10);
    keys(&mut app, "01.11.2026 <ctrl-s>");
    assert_eq!(app.top_layer(), None, "{}", status(&app));
    let g = guardians(&app).into_iter().find(|g| g.id == id).unwrap();
    assert_eq!(g.ended_on, chrono::NaiveDate::from_ymd_opt(2026, 11, 1));
    let rows = app.store().audit_rows_for("guardian", id).unwrap();
    assert_eq!(rows.last().unwrap().action, "update");
    assert_eq!(rows.last().unwrap().fields, vec!["ended_on".to_string()]);
    let file = whole_file(&mut app);
    assert!(
        file.contains("Aylin Demir") && file.contains("beendet am 01.11.2026"),
        "{file}"
    );
    assert_eq!(app.cases.file.as_ref().unwrap().case().id, case);
}

/// The open case file, page by page.
fn whole_file(app: &mut App) -> String {
    let mut out = String::new();
    for _ in 0..12 {
        out.push_str(&screen(app, 80, 24));
        keys(app, "<pagedown>");
    }
    out
}

#[test]
fn a_colleagues_save_in_between_is_named_and_the_next_save_replaces_it() {
    let mut app = app_on(demo_store(), "brinkmann", Lang::De);
    let case = own_case(&mut app);
    let me = app.me.clone();
    let id = app
        .store()
        .save_guardian(
            &me,
            case,
            None,
            &Guardian {
                id: 0,
                name: "Jan Kowalski".into(),
                relation: Kin::Father,
                custody: Custody::Joint,
                phone: String::new(),
                do_not_contact: false,
                ended_on: None,
            },
        )
        .unwrap();
    app.open_file(case);
    choose(&mut app, FileRecord::Edit(Kind::Guardian, id));
    keys(&mut app, "<tab> <tab> <tab> 0171 <space> 5550000");
    // Meanwhile, in another session, the same record is saved.
    let other = Guardian {
        id,
        name: "Jan Kowalski".into(),
        relation: Kin::Father,
        custody: Custody::Sole,
        phone: String::new(),
        do_not_contact: true,
        ended_on: None,
    };
    app.store()
        .save_guardian(&me, case, Some((id, 1)), &other)
        .unwrap();
    keys(&mut app, "<ctrl-s>");
    assert_eq!(app.top_layer(), Some("record-guardian"), "the input stays");
    let said = status(&app);
    assert!(said.contains("Sabine Brinkmann"), "{said}");
    assert!(screen(&mut app, 80, 24).contains("0171 5550000"));
    keys(&mut app, "<ctrl-s>");
    assert_eq!(app.top_layer(), None, "{}", status(&app));
    let g = guardians(&app).into_iter().find(|g| g.id == id).unwrap();
    assert_eq!(g.phone, "0171 5550000", "the second save replaced theirs");
    let versions: Vec<Option<i64>> = app
        .store()
        .audit_rows_for("guardian", id)
        .unwrap()
        .iter()
        .map(|r| r.new_version)
        .collect();
    assert_eq!(versions, vec![Some(1), Some(2), Some(3)]);
}

#[test]
fn a_child_form_checks_its_dates_and_survives_a_dropped_link_as_a_draft() {
    let mut app = app_on(demo_store(), "brinkmann", Lang::De);
    let case = own_case(&mut app);
    choose(&mut app, FileRecord::New(Kind::Child));
    assert_eq!(app.top_layer(), Some("record-child"));
    insta::assert_snapshot!("record_child_new_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("record_child_new_60x15", screen(&mut app, 60, 15));
    keys(&mut app, "Mia <space> Demir <tab> 01.01.2030 <ctrl-s>");
    assert!(
        screen(&mut app, 80, 24).contains("Das Geburtsdatum liegt in der Zukunft."),
        "{}",
        screen(&mut app, 80, 24)
    );
    // The link drops: the session locks and ends with the form open.
    let me = app.me.clone();
    app.lock();
    let store = app.into_store();
    let drafts: Vec<_> = store
        .drafts_offered(&me)
        .unwrap()
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    let d = drafts
        .iter()
        .find(|d| d.form == "record-child")
        .expect("a draft");
    assert_eq!(d.record_id, -case.0, "a new child names its case");
    assert_eq!(d.values.get("name").map(String::as_str), Some("Mia Demir"));

    // The next login offers it; taken, the form is back with the input.
    let mut app = app_on(store, "brinkmann", Lang::De);
    assert_eq!(app.top_layer(), Some("question"), "{}", status(&app));
    keys(&mut app, "j");
    assert_eq!(app.top_layer(), Some("record-child"), "{}", status(&app));
    let form = app.layer_mut::<RecordForm>().unwrap();
    assert_eq!(form.editor.value("birth"), "01.01.2030");
    assert_eq!(form.case, case);
    app.layer_mut::<RecordForm>().unwrap().editor.focus("birth");
    clear(&mut app, 10);
    keys(&mut app, "03.03.2024 <ctrl-s>");
    assert_eq!(app.top_layer(), None, "{}", status(&app));
    let children = app
        .cases
        .file
        .as_ref()
        .unwrap()
        .view
        .children
        .clone()
        .unwrap();
    let c = children.iter().find(|c| c.name == "Mia Demir").unwrap();
    assert_eq!(
        c.birth_date,
        chrono::NaiveDate::from_ymd_opt(2024, 3, 3).unwrap()
    );
    let rows = app.store().audit_rows_for("child", c.id).unwrap();
    assert_eq!(rows[0].action, "create");
    // The saved form leaves no draft behind.
    let me = app.me.clone();
    app.lock();
    let store = app.into_store();
    assert!(
        store
            .drafts_offered(&me)
            .unwrap()
            .iter()
            .all(|(_, d)| d.form != "record-child"),
        "the draft is gone once saved"
    );
}

#[test]
fn an_agreement_names_whats_missing_at_its_field_and_is_changed_by_its_owner_only() {
    let mut app = app_on(demo_store(), "brinkmann", Lang::De);
    let case = own_case(&mut app);
    choose(&mut app, FileRecord::New(Kind::Measure));
    assert_eq!(app.top_layer(), Some("record-measure"));
    insta::assert_snapshot!("record_measure_new_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("record_measure_new_60x15", screen(&mut app, 60, 15));
    // Responsible: someone outside, but no name; no due date.
    keys(&mut app, "Bewerbungsmappe <space> erstellen <tab> <right>");
    app.layer_mut::<RecordForm>()
        .unwrap()
        .editor
        .focus("responsible");
    while app
        .layer_mut::<RecordForm>()
        .unwrap()
        .editor
        .value("responsible")
        != "external"
    {
        keys(&mut app, "<left>");
    }
    keys(&mut app, "<ctrl-s>");
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("Bitte den Namen der externen Stelle eintragen."),
        "{text}"
    );
    assert!(text.contains("⚠ Bitte ausfüllen."), "{text}");
    app.layer_mut::<RecordForm>()
        .unwrap()
        .editor
        .focus("external");
    keys(
        &mut app,
        "Jugendberufshilfe <space> e.V. <tab> 15.01.2027 <ctrl-s>",
    );
    assert_eq!(app.top_layer(), None, "{}", status(&app));
    let view = app.cases.file.as_ref().unwrap().view.clone();
    let m = view
        .measures
        .iter()
        .find(|m| m.text == "Bewerbungsmappe erstellen")
        .expect("saved");
    assert_eq!(
        m.responsible,
        tandem::domain::casefile::Responsible::External("Jugendberufshilfe e.V.".into())
    );
    assert!(
        app.store().measure_category(m.id).unwrap().is_some(),
        "a category was chosen"
    );
    let mid = m.id;

    // Ended as "Entfallen" without the reason: asked for at the result.
    choose(&mut app, FileRecord::Edit(Kind::Measure, mid));
    {
        let form = app.layer_mut::<RecordForm>().unwrap();
        form.editor.focus("status");
    }
    keys(&mut app, "<right> <right> <right> <right> <ctrl-s>");
    let form = app.layer_mut::<RecordForm>().unwrap();
    assert_eq!(form.editor.value("status"), "dropped");
    assert!(
        screen(&mut app, 80, 24).contains("bitte den Grund nennen"),
        "{}",
        screen(&mut app, 80, 24)
    );
    app.layer_mut::<RecordForm>()
        .unwrap()
        .editor
        .focus("result");
    keys(&mut app, "Ausbildung <space> begonnen <ctrl-s>");
    assert_eq!(app.top_layer(), None, "{}", status(&app));
    let rows = app.store().audit_rows_for("measure", mid).unwrap();
    let last = rows.last().unwrap();
    assert_eq!(last.action, "update");
    assert_eq!(
        last.fields,
        vec!["status".to_string(), "result".to_string()]
    );

    // The partner's caseworker may set its state but not change its words.
    let ja = partner_of(&app);
    let res = app.store().save_measure(
        &ja,
        case,
        Some((mid, 2)),
        &tandem::domain::casefile::Measure {
            id: mid,
            text: "anders".into(),
            responsible: tandem::domain::casefile::Responsible::YoungPerson,
            due_on: today(),
            status: tandem::domain::casefile::MeasureStatus::Open,
            result: String::new(),
        },
        None,
    );
    assert!(
        matches!(res, Err(tandem::storage::StorageError::Refused(_))),
        "{res:?}"
    );
}

fn partner_of(app: &App) -> Staff {
    let c = app.cases.file.as_ref().unwrap().case().clone();
    let id = match app.me.agency {
        Agency::Jobcenter => c.ja_staff,
        Agency::Jugendamt => c.jc_staff,
    }
    .unwrap();
    app.store().staff_by_id(id).unwrap().unwrap()
}

fn family_consent(case: CaseId, by: Agency, to: Agency) -> Consent {
    let from = today() - chrono::Duration::days(3);
    Consent {
        id: ConsentId(0),
        case_id: case.0,
        recorded_by: by,
        declared_by: DeclaredBy::YoungPerson,
        representation_reason: None,
        insight_checked: false,
        signed_on: from,
        form: ConsentForm::Written,
        document_ref: "Scan".into(),
        purposes: vec![Purpose::Conference],
        categories: vec![DataCategory::MasterData, DataCategory::Family],
        recipient_agencies: vec![to],
        recipient_staff: vec![],
        external_recipients: String::new(),
        recurring: false,
        valid_from: from,
        valid_until: today() + chrono::Duration::days(200),
        info_purpose: true,
        info_refusal: true,
        info_revocable: true,
        status: ConsentStatus::Granted,
        revoked_on: None,
        revoked_how: None,
        version: 1,
    }
}

#[test]
fn a_transferred_custody_holder_is_read_by_the_partner_until_the_consent_is_revoked() {
    let mut app = app_on(demo_store(), "brinkmann", Lang::De);
    let case = own_case(&mut app);
    let me = app.me.clone();
    let ja = partner_of(&app);
    let gid = app
        .store()
        .save_guardian(
            &me,
            case,
            None,
            &Guardian {
                id: 0,
                name: "Ewa Nowak".into(),
                relation: Kin::Mother,
                custody: Custody::Sole,
                phone: "0209 777".into(),
                do_not_contact: false,
                ended_on: None,
            },
        )
        .unwrap();
    let store = app.store();
    let sees = |store: &Store, who: &Staff| {
        store
            .case_file(who, case, today())
            .unwrap()
            .guardians
            .unwrap_or_default()
            .iter()
            .any(|g| g.name == "Ewa Nowak")
    };
    assert!(!sees(store, &ja), "not before a transfer");
    let consent_id = store
        .add_consent(
            &me,
            &family_consent(case, Agency::Jobcenter, Agency::Jugendamt),
        )
        .unwrap();

    // The transfer through the preview: the custody holder is listed and goes along.
    app.open_file(case);
    keys(&mut app, "t");
    assert_eq!(app.top_layer(), Some("transfer"));
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("Sorgeberechtigte und Kinder"), "{text}");
    assert!(text.contains("Ewa Nowak"), "{text}");
    keys(&mut app, "<enter>");
    assert_eq!(app.top_layer(), None, "{}", status(&app));
    let t = app
        .cases
        .file
        .as_ref()
        .unwrap()
        .view
        .transfers
        .last()
        .cloned()
        .unwrap();
    assert!(t.family.contains(&FamilyRef::Guardian(gid)), "{t:?}");
    assert_eq!(t.basis, TransferBasis::Consent(consent_id));
    assert!(
        sees(app.store(), &ja),
        "the partner reads the transferred custody holder"
    );

    // Revoked: gone for the partner, who is told at the next login and in the file.
    let consent = app
        .store()
        .case_file(&me, case, today())
        .unwrap()
        .consents
        .into_iter()
        .find(|c| c.id == consent_id)
        .unwrap();
    app.store()
        .revoke_consent(&me, &consent, today(), RevokedHow::Written)
        .unwrap();
    assert!(!sees(app.store(), &ja), "revocation hides it again");
    let store = app.into_store();
    let mut ja_app = app_on(store, &ja.login, Lang::De);
    while ja_app.top_layer() == Some("question") {
        keys(&mut ja_app, "n");
    }
    let said = status(&ja_app);
    assert!(
        said.contains(&format!(
            "Einwilligung zu Fall {} am 25.11.2026 widerrufen",
            case.0
        )) && said.contains("Sorgeberechtigte/r"),
        "{said}"
    );
    ja_app.open_file(case);
    let view = &ja_app.cases.file.as_ref().unwrap().view;
    assert_eq!(
        view.revoked_received.len(),
        1,
        "{:?}",
        view.revoked_received
    );
    assert_eq!(view.revoked_received[0].family, (1, 0));
    let text = whole_file(&mut ja_app);
    assert!(text.contains("widerrufen – nicht mehr verwenden"), "{text}");
    ja_app.cases.file.as_mut().unwrap().scroll = 0;
    insta::assert_snapshot!("revoked_in_file_80x24", screen(&mut ja_app, 80, 24));
    // Told once.
    let store = ja_app.into_store();
    assert!(store.take_revocation_notices(&ja).unwrap().is_empty());
}

#[test]
fn a_statutory_transfer_needs_its_justification_at_the_field() {
    let mut app = app_on(demo_store(), "brinkmann", Lang::De);
    let case = own_case(&mut app);
    let me = app.me.clone();
    let ja = partner_of(&app);
    let gid = app
        .store()
        .save_guardian(
            &me,
            case,
            None,
            &Guardian {
                id: 0,
                name: "Olena Bondar".into(),
                relation: Kin::Mother,
                custody: Custody::Joint,
                phone: String::new(),
                do_not_contact: false,
                ended_on: None,
            },
        )
        .unwrap();
    app.open_file(case);
    keys(&mut app, "t");
    // Choose a statute (the first basis after any consent).
    {
        let form = app
            .layer_mut::<tandem::app::layers::transfer::TransferPreview>()
            .unwrap();
        form.editor.focus("basis");
    }
    while app
        .layer_mut::<tandem::app::layers::transfer::TransferPreview>()
        .unwrap()
        .editor
        .value("basis")
        != "kkg_4_3"
    {
        keys(&mut app, "<right>");
    }
    insta::assert_snapshot!("transfer_statute_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("transfer_statute_60x15", screen(&mut app, 60, 15));
    keys(&mut app, "<ctrl-s>");
    assert_eq!(
        app.top_layer(),
        Some("transfer"),
        "asked for a justification"
    );
    assert!(
        screen(&mut app, 80, 24).contains("bitte begründen"),
        "{}",
        screen(&mut app, 80, 24)
    );
    keys(
        &mut app,
        "Gewichtige <space> Anhaltspunkte <space> laut <space> Gespräch <ctrl-s>",
    );
    assert_eq!(app.top_layer(), None, "{}", status(&app));
    let view = app.store().case_file(&ja, case, today()).unwrap();
    assert!(
        view.guardians
            .unwrap_or_default()
            .iter()
            .any(|g| g.id == gid),
        "a statute carries it without consent"
    );
    let receipt = app.store().case_file(&me, case, today()).unwrap().transfers;
    assert!(matches!(
        receipt.last().unwrap().basis,
        TransferBasis::Statute(tandem::domain::casefile::StatutoryBasis::Kkg4)
    ));
}
