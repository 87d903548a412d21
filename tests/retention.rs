//! Retention and deletion (docs/retention.md, issue #14 part 3): a four-eyes deletion run
//! over the records of a marker person removes the marker from every file of the store,
//! keeps the audit chain verifiable and the yearly figures unchanged, and spares a case
//! under legal hold.
//!
//! The store is a PLAINTEXT file (`Store::open` without a key): only there does a byte
//! search for the marker mean anything. An encrypted file would hide the marker whether or
//! not it was deleted.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod support;

use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};
use support::{test_clock, today};
use tandem::domain::access::Refusal;
use tandem::domain::casefile::{Custody, Guardian, Relation as Kin, TransferBasis};
use tandem::domain::conference::{ConferenceKind, Invitation, Participant, ParticipantRole};
use tandem::domain::consent::{
    Consent, ConsentForm, ConsentId, ConsentStatus, DataCategory, DeclaredBy, Purpose,
};
use tandem::domain::{
    Agency, CaseId, CaseStatus, ClosureReason, CoopCase, Field, Gender, PersonId, Staff,
    YoungPerson,
};
use tandem::model::conference::NewConference;
use tandem::storage::retention::{HoldReason, RetentionClass};
use tandem::storage::{OpenMode, StorageError, Store};

const MARKER: &str = "Markerperson";
const HELD_MARKER: &str = "Sperrvermerkperson";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn staff(store: &Store, login: &str) -> Staff {
    store.staff_by_login(login).unwrap().expect(login)
}

fn person(surname: &str) -> YoungPerson {
    YoungPerson {
        id: PersonId(0),
        surname: surname.into(),
        given_names: format!("{surname}-Vorname"),
        birth_date: day(2003, 4, 5),
        gender: Gender::Female,
        address: format!("{surname}weg 1, 45699 Herten"),
        phone: "02366 4711".into(),
        email: String::new(),
        jc_customer_no: String::new(),
        bg_no: String::new(),
        ja_file_no: String::new(),
        version: 0,
    }
}

fn consent(case: CaseId, on: NaiveDate, note: &str) -> Consent {
    Consent {
        id: ConsentId(0),
        case_id: case.0,
        recorded_by: Agency::Jobcenter,
        declared_by: DeclaredBy::YoungPerson,
        representation_reason: None,
        insight_checked: false,
        signed_on: on,
        form: ConsentForm::Written,
        document_ref: format!("EW-{note}"),
        purposes: vec![Purpose::Conference, Purpose::MutualInformation],
        categories: vec![DataCategory::MasterData, DataCategory::Measures],
        recipient_agencies: vec![Agency::Jobcenter, Agency::Jugendamt],
        recipient_staff: Vec::new(),
        external_recipients: format!("Schule {note}"),
        recurring: false,
        valid_from: on,
        valid_until: on + Duration::days(300),
        info_purpose: true,
        info_refusal: true,
        info_revocable: true,
        status: ConsentStatus::Granted,
        revoked_on: None,
        revoked_how: None,
        version: 1,
    }
}

/// Creates a case of `surname` in 2022 by a JC caseworker, with a consent, guardian, note,
/// conference, transfer, and a saved change of the surname (history), then closes it.
fn marker_case(store: &Store, surname: &str) -> CaseId {
    let clock = store.clock().clone();
    clock.set(day(2022, 3, 1).and_hms_opt(9, 0, 0).unwrap().and_utc());
    let worker = staff(store, "bussmann");
    let case = CoopCase {
        id: CaseId(0),
        person: person(&format!("{surname}X")),
        owner: Agency::Jobcenter,
        status: CaseStatus::Active,
        reasons: Vec::new(),
        question: format!("Ausbildung {surname}"),
        lead: Agency::Jobcenter,
        jc_staff: Some(worker.id),
        ja_staff: None,
        opened_on: day(2022, 3, 1),
        next_review: None,
        closed_on: None,
        closure_reason: None,
        version: 0,
    };
    let id = store.create_case(&worker, &case).unwrap();
    let c = store
        .add_consent(&worker, &consent(id, day(2022, 3, 1), surname))
        .unwrap();
    store
        .add_guardian(
            &worker,
            id,
            &Guardian {
                id: 0,
                name: format!("Mutter {surname}"),
                relation: Kin::Mother,
                custody: Custody::Joint,
                phone: "02366 999".into(),
                do_not_contact: false,
                ended_on: None,
            },
        )
        .unwrap();
    store
        .add_note(&worker, id, &format!("Gespräch mit {surname}"), false)
        .unwrap();
    store
        .record_transfer(
            &worker,
            id,
            &[Field::Surname, Field::GivenNames],
            "Fallkonferenz",
            TransferBasis::Consent(c),
            "",
            false,
            day(2022, 3, 1),
        )
        .unwrap();
    store
        .create_conference(
            &worker,
            &NewConference {
                case_id: id,
                kind: ConferenceKind::First,
                question: format!("Wie geht es weiter mit {surname}?"),
                start: None,
                duration_min: 60,
                location: "Raum 1".into(),
                anonymised: false,
                participants: vec![Participant {
                    staff: Some(worker.id.0),
                    external_name: String::new(),
                    external_org: String::new(),
                    agency: Some(Agency::Jobcenter),
                    role: ParticipantRole::Pap,
                    invitation: Invitation::Invited,
                    attendance: None,
                    guardian: None,
                }],
                topics: vec![DataCategory::Measures],
            },
            day(2022, 3, 1),
        )
        .unwrap();
    // The surname changes: the old one ("…X") goes to the change history.
    let mut loaded = store.load_case(&worker, id).unwrap();
    loaded.person.surname = surname.into();
    store.update_case(&worker, &loaded).unwrap();
    let mut loaded = store.load_case(&worker, id).unwrap();
    loaded.status = CaseStatus::Closed;
    loaded.closed_on = Some(day(2022, 6, 30));
    loaded.closure_reason = Some(ClosureReason::Training);
    store.update_case(&worker, &loaded).unwrap();
    clock.set(test_clock().now());
    id
}

fn files(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", db.display())))
        .collect()
}

/// The files (of `db`, `-wal`, `-shm` that exist) that contain `needle`.
fn holding(db: &Path, needle: &str) -> Vec<PathBuf> {
    files(db)
        .into_iter()
        .filter(|p| {
            std::fs::read(p)
                .is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
        })
        .collect()
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("retention-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("tandem.db")
}

#[test]
fn a_released_run_erases_the_marker_from_every_file() {
    let db = scratch("marker");
    let mut store = Store::open(&db, OpenMode::CreateOrMigrate).unwrap();
    store.set_clock(test_clock());
    tandem::demo::write(&store, &tandem::demo::demo_data(today())).unwrap();
    let gone = marker_case(&store, MARKER);
    let held = marker_case(&store, HELD_MARKER);

    let lead = staff(&store, "schwering");
    let dpo = staff(&store, "wiemers");
    let before = store.yearly_counts(Agency::Jobcenter, 2022).unwrap();
    assert!(
        before.cases_opened >= 2 && before.cases_closed >= 2,
        "{before:?}"
    );
    // Every year's figures, of both Stellen (the demo's own old closed cases go too).
    let all_years = |store: &Store| -> Vec<_> {
        (2015..=2026)
            .flat_map(|y| Agency::ALL.map(|a| store.yearly_counts(a, y).unwrap()))
            .collect()
    };
    let years_before = all_years(&store);

    // The legal hold keeps the second case.
    store
        .add_legal_hold(
            &lead,
            held.0,
            HoldReason::Rechtsstreit,
            today() + Duration::days(365),
        )
        .unwrap();
    assert_eq!(store.legal_holds(&lead, today()).unwrap().len(), 1);

    let due = store.retention_due(&lead, today()).unwrap();
    let cases = due
        .iter()
        .find(|d| d.class == RetentionClass::Case)
        .unwrap();
    assert!(cases.ids.contains(&gone.0), "{due:?}");
    assert!(!cases.ids.contains(&held.0), "held case not due");
    assert_eq!(cases.held, 1);
    assert!(
        !holding(&db, MARKER).is_empty(),
        "the marker is there before the run"
    );

    let run = store.plan_deletion_run(&lead, today()).unwrap();
    assert_eq!(run.preview[0], (RetentionClass::Case, cases.ids.len()));
    assert!(run.executed_at.is_none());

    // Four eyes: the planner cannot release, nor can someone who is not a DSB.
    let tail = store.audit_tail(1).unwrap()[0].seq;
    match store.approve_deletion_run(&lead, run.id) {
        Err(StorageError::Refused(Refusal::SamePerson)) => {}
        other => panic!("planner released: {other:?}"),
    }
    let refused = store.audit_tail(10).unwrap();
    assert_eq!(
        refused.iter().filter(|r| r.seq > tail).count(),
        1,
        "one refused row"
    );

    let done = store.approve_deletion_run(&dpo, run.id).unwrap();
    assert_eq!(done.approved_by, Some(dpo.id));
    assert_eq!(done.deleted[0], (RetentionClass::Case, cases.ids.len()));
    let cert = done.certificate.clone().unwrap();
    assert!(!cert.contains(MARKER) && !cert.contains("Bußmann") && !cert.contains("Schwering"));
    assert!(
        cert.contains(&format!("Löschlauf / Run: {}", run.id)),
        "{cert}"
    );

    // Nor can it run twice.
    assert!(matches!(
        store.approve_deletion_run(&dpo, run.id),
        Err(StorageError::Refused(Refusal::NoPending))
    ));

    // With the store still open: no file holds the marker; the held case is there.
    assert_eq!(holding(&db, MARKER), Vec::<PathBuf>::new(), "open store");
    assert!(
        !holding(&db, HELD_MARKER).is_empty(),
        "the held case survives"
    );
    let report = store.verify_audit().unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(
        store.yearly_counts(Agency::Jobcenter, 2022).unwrap(),
        before
    );
    assert_eq!(all_years(&store), years_before);
    assert!(
        !store
            .retention_due(&lead, today())
            .unwrap()
            .iter()
            .any(|d| d.ids.contains(&gone.0))
    );
    drop(store);

    // After closing, and after opening again.
    assert_eq!(holding(&db, MARKER), Vec::<PathBuf>::new(), "closed store");
    let mut store = Store::open(&db, OpenMode::Existing).unwrap();
    store.set_clock(test_clock());
    assert!(store.verify_audit().unwrap().is_ok());
    assert_eq!(
        store.yearly_counts(Agency::Jobcenter, 2022).unwrap(),
        before
    );
    // New evidence after the run chains on and verifies.
    let worker = staff(&store, "bussmann");
    store
        .add_note(&worker, held, "Nachtrag nach dem Löschlauf", false)
        .unwrap();
    let mut c = store.load_case(&worker, held).unwrap();
    c.question = "Neue Fragestellung".into();
    store.update_case(&worker, &c).unwrap();
    assert!(store.verify_audit().unwrap().is_ok());
    drop(store);
    assert_eq!(
        holding(&db, MARKER),
        Vec::<PathBuf>::new(),
        "reopened store"
    );
    let _ = std::fs::remove_dir_all(db.parent().unwrap());
}

#[test]
fn only_leads_and_dsbs_see_the_review_list_and_the_dsb_releases() {
    let db = scratch("roles");
    let mut store = Store::open(&db, OpenMode::CreateOrMigrate).unwrap();
    store.set_clock(test_clock());
    tandem::demo::write(&store, &tandem::demo::demo_data(today())).unwrap();
    let worker = staff(&store, "bussmann");
    let lead = staff(&store, "schwering");
    let ja_dpo = staff(&store, "kloeckner");
    assert!(matches!(
        store.retention_due(&worker, today()),
        Err(StorageError::Refused(Refusal::NotAllowed))
    ));
    let run = store.plan_deletion_run(&lead, today()).unwrap();
    // A DSB of the other Stelle may not release the Jobcenter's run.
    assert!(matches!(
        store.approve_deletion_run(&ja_dpo, run.id),
        Err(StorageError::Refused(Refusal::NotAllowed))
    ));
    assert!(store.verify_audit().unwrap().is_ok());
    let _ = std::fs::remove_dir_all(db.parent().unwrap());
}

fn cli(db: &Path, user: &str, args: &[&str]) -> std::process::Output {
    let dir = db.parent().unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_tandem"))
        .env("TANDEM_DATA", dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env_remove("TANDEM_CONFIG")
        .args(["--lang", "de", "--db"])
        .arg(db)
        .args(["--user", user, "retention"])
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The verbs for scripts: one German line and exit 1 on a refusal, exit 2 for a command
/// line that cannot be understood, exit 77 for an unknown actor (the binary runs on the
/// system clock, years after the marker case closed).
#[test]
fn the_retention_verbs_work_for_scripts() {
    let db = scratch("cli");
    {
        let mut store = Store::open(&db, OpenMode::CreateOrMigrate).unwrap();
        store.set_clock(test_clock());
        tandem::demo::write(&store, &tandem::demo::demo_data(today())).unwrap();
        let gone = marker_case(&store, MARKER);
        let held = marker_case(&store, HELD_MARKER);
        let out = cli(
            &db,
            "schwering",
            &[
                "hold",
                "add",
                "--case",
                &held.0.to_string(),
                "--reason",
                "auskunftsverfahren",
                "--until",
                "2099-12-31",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let out = cli(&db, "schwering", &["hold", "list"]);
        assert!(
            text(&out.stdout).contains(&format!("\t{}\tauskunftsverfahren\t2099-12-31", held.0)),
            "{}",
            text(&out.stdout)
        );
        let out = cli(&db, "schwering", &["due"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let due = text(&out.stdout);
        assert!(due.starts_with("case\t"), "{due}");
        assert!(due.contains(&gone.0.to_string()), "{due}");
    }
    let out = cli(&db, "bussmann", &["due"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).lines().count(),
        1,
        "{}",
        text(&out.stderr)
    );
    let out = cli(&db, "niemand", &["due"]);
    assert_eq!(out.status.code(), Some(77), "{}", text(&out.stderr));
    let out = cli(
        &db,
        "schwering",
        &[
            "hold",
            "add",
            "--case",
            "1",
            "--reason",
            "laune",
            "--until",
            "2099-01-01",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    // A hold names a case or a referral: neither is a usage error, an unknown referral
    // a refusal.
    let out = cli(
        &db,
        "schwering",
        &[
            "hold",
            "add",
            "--reason",
            "rechtsstreit",
            "--until",
            "2099-01-01",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let out = cli(
        &db,
        "schwering",
        &[
            "hold",
            "add",
            "--referral",
            "99999",
            "--reason",
            "rechtsstreit",
            "--until",
            "2099-01-01",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));

    let out = cli(&db, "schwering", &["plan"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let line = text(&out.stdout);
    let run: String = line
        .trim_start_matches("Löschlauf ")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert!(!run.is_empty(), "{line}");
    let out = cli(&db, "schwering", &["approve", &run]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim(),
        "Vier-Augen-Prinzip: Ein Löschlauf muss von einer anderen Person freigegeben werden."
    );
    let out = cli(&db, "wiemers", &["approve", &run]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let cert = text(&out.stdout);
    assert!(cert.starts_with("Löschprotokoll"), "{cert}");
    assert!(!cert.contains(MARKER));
    assert_eq!(holding(&db, MARKER), Vec::<PathBuf>::new());
    assert!(!holding(&db, HELD_MARKER).is_empty());
    let _ = std::fs::remove_dir_all(db.parent().unwrap());
}

/// On an encrypted (SQLCipher) file the run, its `VACUUM` and the checkpoints work the
/// same, and the file still opens with its key and verifies. (No byte search here: the
/// encryption hides the marker anyway.)
#[test]
fn a_run_on_an_encrypted_file_keeps_it_readable_and_verifiable() {
    let db = scratch("keyed");
    let key = tandem::storage::DbKey::generate().unwrap();
    let gone;
    {
        let mut store = Store::open_keyed(&db, OpenMode::CreateOrMigrate, Some(&key)).unwrap();
        store.set_clock(test_clock());
        tandem::demo::write(&store, &tandem::demo::demo_data(today())).unwrap();
        gone = marker_case(&store, MARKER);
        let run = store
            .plan_deletion_run(&staff(&store, "schwering"), today())
            .unwrap();
        let done = store
            .approve_deletion_run(&staff(&store, "wiemers"), run.id)
            .unwrap();
        assert!(done.deleted[0].1 >= 1);
        assert!(store.verify_audit().unwrap().is_ok());
    }
    let mut store = Store::open_keyed(&db, OpenMode::Existing, Some(&key)).unwrap();
    store.set_clock(test_clock());
    assert!(store.verify_audit().unwrap().is_ok());
    let lead = staff(&store, "schwering");
    assert!(
        !store.retention_due(&lead, today()).unwrap()[0]
            .ids
            .contains(&gone.0)
    );
    assert_eq!(
        std::fs::metadata(format!("{}-wal", db.display())).map_or(0, |m| m.len()),
        0,
        "the WAL was truncated"
    );
    drop(store);
    let _ = std::fs::remove_dir_all(db.parent().unwrap());
}

/// The classes beyond the case (docs/retention.md): eleven years on, the closed referrals
/// (`cp_jc`), the advised anonymous consultations (`anon`) and the consents whose period
/// ran (`consent`) of the demo are due and go in a four-eyes run: their texts are in no
/// file, the timeline chain verifies, every year's figures stay, and a referral under a
/// legal hold survives.
#[test]
fn referrals_consultations_and_consents_go_when_their_period_ran() {
    use tandem::domain::calendar::WorkCalendar;
    use tandem::domain::referral::Deadlines;

    // Texts of the demo (src/demo/referrals.rs): a closed referral (reported by
    // becker), a closed one that will be held (overbeck), an advised consultation.
    const GONE: &str = "Übergriffen durch den neuen Partner";
    const HELD: &str = "Säugling mit Hämatomen";
    const CONSULT: &str = "Pflege der psychisch kranken Mutter";
    let db = scratch("classes");
    let mut store = Store::open(&db, OpenMode::CreateOrMigrate).unwrap();
    store.set_clock(test_clock());
    tandem::demo::write(&store, &tandem::demo::demo_data(today())).unwrap();
    let own_referral = |store: &Store, login: &str| -> i64 {
        let me = staff(store, login);
        let rows = store
            .referrals_for(
                &me,
                test_clock().now(),
                &WorkCalendar::default(),
                &Deadlines::default(),
            )
            .unwrap();
        assert_eq!(rows.len(), 1, "{login}: {rows:?}");
        rows[0].id
    };
    let gone = own_referral(&store, "becker");
    let held = own_referral(&store, "overbeck");
    for marker in [GONE, HELD, CONSULT] {
        assert!(!holding(&db, marker).is_empty(), "{marker} is there before");
    }
    let all_years = |store: &Store| -> Vec<_> {
        (2015..=2026)
            .flat_map(|y| Agency::ALL.map(|a| store.yearly_counts(a, y).unwrap()))
            .collect()
    };
    let years_before = all_years(&store);
    assert!(
        years_before.iter().map(|y| y.referrals_sent).sum::<i64>() >= 9
            && years_before.iter().map(|y| y.consultations).sum::<i64>() == 8
            && years_before.iter().map(|y| y.consents_signed).sum::<i64>() > 0,
        "{years_before:?}"
    );

    let lead = staff(&store, "schwering");
    let dpo = staff(&store, "wiemers");
    let worker = staff(&store, "bussmann");
    // Only a lead or DSB holds; a caseworker is refused, as is a referral of no one.
    assert!(matches!(
        store.add_referral_hold(&worker, held, HoldReason::Rechtsstreit, day(2040, 1, 1)),
        Err(StorageError::Refused(Refusal::NotAllowed))
    ));
    store
        .add_referral_hold(&lead, held, HoldReason::Rechtsstreit, day(2040, 1, 1))
        .unwrap();
    assert!(
        store
            .legal_holds(&lead, today())
            .unwrap()
            .iter()
            .any(|h| h.referral && h.record_id == held)
    );

    // Nothing of these classes is due today (the demo's referrals closed this year).
    let now = store.retention_due(&lead, today()).unwrap();
    let ids = |due: &[tandem::storage::retention::DueClass], c: RetentionClass| {
        due.iter().find(|d| d.class == c).unwrap().clone()
    };
    assert!(ids(&now, RetentionClass::CpJc).ids.is_empty(), "{now:?}");
    assert!(ids(&now, RetentionClass::Anon).ids.is_empty(), "{now:?}");
    assert!(
        !now.iter().any(|d| d.class == RetentionClass::CpJa),
        "the Jobcenter reviews no cp_ja"
    );

    // Eleven years on.
    let later = today() + Duration::days(11 * 366);
    store
        .clock()
        .set(later.and_hms_opt(10, 0, 0).unwrap().and_utc());
    let due = store.retention_due(&lead, later).unwrap();
    let cp = ids(&due, RetentionClass::CpJc);
    assert!(cp.ids.contains(&gone) && !cp.ids.contains(&held), "{due:?}");
    assert_eq!(cp.held, 1);
    assert_eq!(ids(&due, RetentionClass::Anon).ids.len(), 7, "{due:?}");
    assert!(
        !ids(&due, RetentionClass::Consent).ids.is_empty(),
        "{due:?}"
    );
    // The Jugendamt sees the received ones as cp_ja.
    let ja_due = store
        .retention_due(&staff(&store, "tueshaus"), later)
        .unwrap();
    assert!(ids(&ja_due, RetentionClass::CpJa).ids.contains(&gone));

    // The access log: old rows are due, except those a kept change history names.
    let log = ids(&due, RetentionClass::AccessLog);
    assert!(log.count > 100 && log.ids.len() == 1, "{log:?}");
    let head_before = store.audit_head().unwrap().unwrap();

    let run = store.plan_deletion_run(&lead, later).unwrap();
    let done = store.approve_deletion_run(&dpo, run.id).unwrap();
    let erased = done
        .deleted
        .iter()
        .find(|d| d.0 == RetentionClass::AccessLog)
        .unwrap()
        .1;
    assert!(erased >= log.count, "{done:?}");
    let report = store.verify_audit().unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert!(report.head.unwrap().0 > head_before.0);
    assert_eq!(
        done.deleted
            .iter()
            .find(|d| d.0 == RetentionClass::CpJc)
            .unwrap()
            .1,
        cp.ids.len()
    );
    assert_eq!(
        done.deleted
            .iter()
            .find(|d| d.0 == RetentionClass::Anon)
            .unwrap()
            .1,
        7
    );
    assert_eq!(holding(&db, GONE), Vec::<PathBuf>::new());
    assert_eq!(holding(&db, CONSULT), Vec::<PathBuf>::new());
    assert!(!holding(&db, HELD).is_empty(), "the held referral survives");
    let report = store.verify_audit().unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(all_years(&store), years_before);
    // Nothing of them is due any more; the Jugendamt's run finds the referral gone.
    let after = store.retention_due(&lead, later).unwrap();
    assert!(
        ids(&after, RetentionClass::CpJc).ids.is_empty(),
        "{after:?}"
    );
    assert!(
        ids(&after, RetentionClass::Consent).ids.is_empty(),
        "{after:?}"
    );
    let ja_after = store
        .retention_due(&staff(&store, "tueshaus"), later)
        .unwrap();
    assert!(ids(&ja_after, RetentionClass::CpJa).ids.is_empty());
    assert!(
        ids(&after, RetentionClass::AccessLog).count < 10,
        "{after:?}"
    );
    drop(store);
    assert_eq!(holding(&db, GONE), Vec::<PathBuf>::new(), "closed store");

    // Reopened, it still verifies and chains on.
    let mut store = Store::open(&db, OpenMode::Existing).unwrap();
    store.set_clock(test_clock());
    let seq = store.audit_head().unwrap().unwrap().0;
    // A refusal writes a row that chains on the kept head.
    assert!(
        store
            .retention_due(&staff(&store, "bussmann"), today())
            .is_err()
    );
    assert_eq!(store.audit_head().unwrap().unwrap().0, seq + 1);
    assert!(store.verify_audit().unwrap().is_ok());
    drop(store);
    // Two ways to hide an audit row behind Tandem's back, each on its own copy: both are
    // found. (a) An erasure record removed: the gap is not bridged. (b) An erasure record
    // slipped in by hand for a row that was never due, and the row deleted: the record is
    // not part of the erasure chain.
    let copy = |name: &str| -> PathBuf {
        let to = db.with_file_name(name);
        for (from, suffix) in files(&db).iter().zip(["", "-wal", "-shm"]) {
            if from.exists() {
                std::fs::copy(from, format!("{}{suffix}", to.display())).unwrap();
            }
        }
        to
    };
    let removed = copy("removed.db");
    let forged = copy("forged.db");
    {
        let conn = rusqlite::Connection::open(&removed).unwrap();
        let id: i64 = conn
            .query_row("SELECT max(id) FROM audit_erasure", [], |r| r.get(0))
            .unwrap();
        conn.execute_batch(&format!(
            "DROP TRIGGER audit_erasure_no_delete; DELETE FROM audit_erasure WHERE id = {id}; \
             CREATE TRIGGER audit_erasure_no_delete BEFORE DELETE ON audit_erasure \
             BEGIN SELECT RAISE(ABORT, 'audit_erasure is append-only'); END;"
        ))
        .unwrap();
    }
    {
        let conn = rusqlite::Connection::open(&forged).unwrap();
        let seq: i64 = conn
            .query_row("SELECT max(seq) - 1 FROM audit_log", [], |r| r.get(0))
            .unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO audit_erasure (row_seq, row_prev_hash, row_hash, row_evidence, run_id, \
                 prev_hash, hash) \
             SELECT seq, prev_hash, hash, evidence, 1, 'x', 'y' FROM audit_log WHERE seq = {seq}; \
             DELETE FROM audit_log WHERE seq = {seq};"
        ))
        .unwrap();
    }
    for tampered in [&removed, &forged] {
        let store = Store::open(tampered, OpenMode::Existing).unwrap();
        let report = store.verify_audit().unwrap();
        assert!(!report.is_ok(), "{}: {report:?}", tampered.display());
    }
    let _ = std::fs::remove_dir_all(db.parent().unwrap());
}
