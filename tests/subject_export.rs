//! Access requests (Art. 15 DSGVO, docs/subject-access.md; issue 14 part 4): the subject
//! export of a demo custody holder holds every guardian row of that name (checked against
//! the tables directly) and no entrusted note; a child of a referral gets the referral
//! with the reporter and the other children replaced by markers; every export leaves an
//! audit row without a name; the JSON round-trips; the German text has its headings; the
//! verb runs through the real binary and refuses anyone but the DSB.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::NaiveDate;
use rusqlite::Connection;
use tandem::domain::Clock;
use tandem::domain::refusal::Refusal;
use tandem::model::subject::{
    REDACTED_CHILD, REDACTED_ENTRUSTED, REDACTED_REPORTER, SubjectExport, SubjectQuery, SubjectRole,
};
use tandem::storage::{OpenMode, StorageError, Store};

/// The DSBs of the demo: Jobcenter and Jugendamt.
const DPO_JC: &str = "wiemers";
const DPO_JA: &str = "kloeckner";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

/// A demo database file in `dir` (plaintext, so that the test can read the tables).
fn demo_db(dir: &Path) -> (PathBuf, Store) {
    let path = dir.join("tandem.db");
    let mut store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
    store.set_clock(Clock::fixed_local(today().and_hms_opt(10, 0, 0).unwrap()));
    tandem::demo::write(&store, &tandem::demo::demo_data(today())).unwrap();
    (path, store)
}

fn staff(store: &Store, login: &str) -> tandem::domain::Staff {
    store.staff_by_login(login).unwrap().expect("demo login")
}

fn json(e: &SubjectExport) -> String {
    serde_json::to_string_pretty(e).unwrap()
}

/// The custody holder whose name stands in the most cases, with those guardian rows (id,
/// case owner).
fn busiest_custody_holder(conn: &Connection) -> (String, Vec<(i64, String)>) {
    let name: String = conn
        .query_row(
            "SELECT name FROM guardian GROUP BY name ORDER BY count(*) DESC, name LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let rows = conn
        .prepare(
            "SELECT g.id, c.owner_stelle FROM guardian g JOIN coop_case c ON c.id = g.case_id \
             WHERE g.name = ?1 ORDER BY g.id",
        )
        .unwrap()
        .query_map([&name], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (name, rows)
}

#[test]
fn custody_holder_export_holds_all_their_records_and_nothing_entrusted() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = demo_db(dir.path());
    let conn = Connection::open(&path).unwrap();
    let (name, rows) = busiest_custody_holder(&conn);
    assert!(
        rows.len() > 1,
        "a custody holder in more than one case: {rows:?}"
    );
    let (given, surname) = name.split_once(' ').unwrap();
    let query = SubjectQuery {
        surname: surname.to_string(),
        given_names: given.to_string(),
        birth_date: None,
    };
    let entrusted: Vec<String> = conn
        .prepare("SELECT text FROM note WHERE entrusted = 1")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!entrusted.is_empty(), "the demo has entrusted notes");

    for login in [DPO_JC, DPO_JA] {
        let dpo = staff(&store, login);
        let export = store.subject_export(&dpo, &query).unwrap();
        let text = json(&export);
        // Every guardian row of this name in a case the DSB's Stelle owns, and no other
        // Stelle's.
        let want: BTreeSet<i64> = rows
            .iter()
            .filter(|(_, owner)| owner == dpo.agency.code())
            .map(|(id, _)| *id)
            .collect();
        let got: BTreeSet<i64> = export
            .records
            .iter()
            .filter(|r| r.role == SubjectRole::CustodyHolder && r.kind == "guardian")
            .map(|r| r.record_id)
            .collect();
        assert!(got.is_superset(&want), "{login}: {got:?} ⊉ {want:?}");
        for r in export.records.iter().filter(|r| r.kind == "guardian") {
            assert_eq!(r.owner, dpo.agency.code(), "{login}: only own records");
            assert!(!r.received);
            assert!(
                r.entries
                    .iter()
                    .any(|e| e.label == "Name" && e.value.contains(surname)),
                "{r:?}"
            );
            assert!(r.retention.label == "Kooperationsfall");
        }
        // The cases they are in, with the young person left out.
        let cases: BTreeSet<i64> = export
            .records
            .iter()
            .filter(|r| r.kind == "coop_case")
            .map(|r| r.record_id)
            .collect();
        assert_eq!(
            cases.len(),
            export
                .records
                .iter()
                .filter(|r| r.kind == "guardian")
                .filter_map(|r| r.case_id)
                .collect::<BTreeSet<_>>()
                .len()
        );
        for note in &entrusted {
            assert!(
                !text.contains(note.as_str()),
                "{login}: entrusted note leaked"
            );
        }
        assert!(!text.contains(REDACTED_ENTRUSTED) || export.redacted > 0);
        // Round trip: the structure is exactly what serde reads back.
        let back: SubjectExport = serde_json::from_str(&text).unwrap();
        assert_eq!(back, export);
        let german = export.to_german_text();
        for heading in [
            "Auskunft nach Art. 15 DSGVO",
            "Vertraulich – Sozialdaten",
            "Verantwortliche Stelle:",
            "Als Sorgeberechtigte/r oder Angehörige/r",
            "Löschklasse: Kooperationsfall",
            "Zweck:",
            "Empfänger:",
        ] {
            assert!(
                german.contains(heading),
                "{login}: {heading} missing:\n{german}"
            );
        }
    }
    let total: usize = [DPO_JC, DPO_JA]
        .iter()
        .map(|l| {
            let dpo = staff(&store, l);
            store
                .subject_export(&dpo, &query)
                .unwrap()
                .records
                .iter()
                .filter(|r| r.kind == "guardian")
                .count()
        })
        .sum();
    assert!(
        total >= rows.len(),
        "both Stellen together answer for every row"
    );
}

#[test]
fn young_person_export_keeps_entrusted_notes_out_and_names_recipients() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = demo_db(dir.path());
    let conn = Connection::open(&path).unwrap();
    // The young person of the case with an entrusted note (written by a Jugendamt worker).
    let (surname, given, birth, note): (String, String, String, String) = conn
        .query_row(
            "SELECT p.surname, p.given_names, p.birth_date, n.text FROM note n \
             JOIN coop_case c ON c.id = n.case_id JOIN young_person p ON p.id = c.young_person_id \
             WHERE n.entrusted = 1 LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let query = SubjectQuery {
        surname,
        given_names: given,
        birth_date: NaiveDate::parse_from_str(&birth, "%Y-%m-%d").ok(),
    };
    let dpo = staff(&store, DPO_JA);
    let export = store.subject_export(&dpo, &query).unwrap();
    let text = json(&export);
    assert!(
        export.found_as.contains(&SubjectRole::YoungPerson),
        "{text}"
    );
    assert!(!text.contains(&note), "the entrusted note is not disclosed");
    assert!(text.contains(REDACTED_ENTRUSTED), "its place is marked");
    assert!(export.redacted > 0);
    for r in &export.records {
        assert!(!r.purpose.is_empty());
        assert!(!r.retention.label.is_empty());
    }
    // The transfers of the person's cases are on record with their recipients.
    let transfers: i64 = conn
        .query_row(
            "SELECT count(*) FROM transfer_log t JOIN coop_case c ON c.id = t.case_id \
             JOIN young_person p ON p.id = c.young_person_id \
             WHERE p.surname = ?1 AND p.given_names = ?2 AND p.birth_date = ?3",
            [&query.surname, &query.given_names, &birth],
            |r| r.get(0),
        )
        .unwrap();
    let listed = export
        .records
        .iter()
        .filter(|r| r.kind == "transfer_log")
        .count();
    assert_eq!(i64::try_from(listed).unwrap(), transfers, "{text}");
    let back: SubjectExport = serde_json::from_str(&text).unwrap();
    assert_eq!(back, export);

    // The Jobcenter's DSB answers only for the Jobcenter's records: none of the
    // Jugendamt's notes, measures or consents, and what it received is marked.
    let jc = store
        .subject_export(&staff(&store, DPO_JC), &query)
        .unwrap();
    let jc_text = json(&jc);
    assert!(!jc_text.contains(&note));
    for r in &jc.records {
        if matches!(r.kind.as_str(), "note" | "measure" | "consent") {
            assert_eq!(r.owner, "jc", "{r:?}");
        }
        assert_eq!(r.received, r.owner != "jc", "{r:?}");
    }
    let person = jc
        .records
        .iter()
        .find(|r| r.kind == "young_person")
        .expect("the person record");
    let received = conn
        .query_row(
            "SELECT count(*) FROM transfer_log t JOIN coop_case c ON c.id = t.case_id \
             JOIN young_person p ON p.id = c.young_person_id \
             WHERE p.surname = ?1 AND p.given_names = ?2 AND t.to_stelle = 'jc'",
            [&query.surname, &query.given_names],
            |r| r.get::<_, i64>(0),
        )
        .unwrap();
    let marked = person
        .entries
        .iter()
        .any(|e| e.label.ends_with("(übermittelt)"));
    assert_eq!(received > 0, marked, "{person:?}");
}

#[test]
fn referral_child_export_redacts_reporter_and_other_children_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = demo_db(dir.path());
    let conn = Connection::open(&path).unwrap();
    // A child of a referral with more than one child, and that referral's reporter.
    let (surname, given, reporter, phone, others): (String, String, String, String, i64) = conn
        .query_row(
            "SELECT k.surname, k.given_names, s.given_name || ' ' || s.surname, r.reporter_phone, \
             (SELECT count(*) FROM cp_child o WHERE o.referral_id = r.id) - 1 \
             FROM cp_child k JOIN cp_referral r ON r.id = k.referral_id \
             JOIN staff s ON s.id = r.reporter_id \
             WHERE (SELECT count(*) FROM cp_child o WHERE o.referral_id = r.id) > 1 \
             ORDER BY r.id, k.no LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    let query = SubjectQuery {
        surname,
        given_names: given.clone(),
        birth_date: None,
    };
    let dpo = staff(&store, DPO_JA);
    let before = store.audit_head().unwrap().map_or(0, |h| h.0);
    let export = store.subject_export(&dpo, &query).unwrap();
    let text = json(&export);
    assert!(export.found_as.contains(&SubjectRole::Child), "{text}");
    let referral = export
        .records
        .iter()
        .find(|r| r.kind == "cp_referral" && r.role == SubjectRole::Child)
        .expect("the referral");
    assert!(
        referral.received,
        "the Jugendamt received it from the Jobcenter"
    );
    assert!(text.contains(REDACTED_REPORTER));
    assert!(!text.contains(&reporter), "reporter named: {text}");
    assert!(!text.contains(&phone), "reporter's phone: {text}");
    let markers = referral
        .entries
        .iter()
        .filter(|e| e.value == REDACTED_CHILD)
        .count();
    assert_eq!(i64::try_from(markers).unwrap(), others);
    assert!(referral.entries.iter().any(|e| e.value.contains(&given)));
    let back: SubjectExport = serde_json::from_str(&text).unwrap();
    assert_eq!(back, export);

    // One audit row: export of a subject_export, by the DSB, counts only.
    let rows: Vec<_> = store
        .audit_tail(20)
        .unwrap()
        .into_iter()
        .filter(|r| r.seq > before)
        .collect();
    let export_rows: Vec<_> = rows
        .iter()
        .filter(|r| r.action == "export" && r.object_type == "subject_export")
        .collect();
    assert_eq!(export_rows.len(), 1, "{rows:?}");
    let row = export_rows[0];
    assert_eq!(row.staff_id, Some(dpo.id.0));
    assert_eq!(
        row.object_id,
        Some(i64::try_from(export.records.len()).unwrap())
    );
    let logged = format!("{row:?}");
    assert!(!logged.contains(&query.surname) && !logged.contains(&given));

    // A caseworker is refused, and that is logged too.
    let worker = staff(&store, "brinkmann");
    assert!(matches!(
        store.subject_export(&worker, &query),
        Err(StorageError::Refused(Refusal::NotAllowed))
    ));
    let last = store.audit_tail(1).unwrap();
    assert_eq!(last[0].action, "refused");
    assert_eq!(last[0].object_type, "subject_export");
}

/// The binary with its data folder and configuration lookup inside `dir`.
fn bin(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tandem"));
    cmd.env("TANDEM_DATA", dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env_remove("TANDEM_CONFIG");
    cmd
}

fn run(dir: &Path, db: &Path, user: &str, extra: &[&str]) -> Output {
    bin(dir)
        .args(["--lang", "de", "subject-export", "--db"])
        .arg(db)
        .args(["--user", user])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn the_verb_writes_json_and_text_for_the_dsb_only() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = demo_db(dir.path());
    let conn = Connection::open(&path).unwrap();
    let (name, _) = busiest_custody_holder(&conn);
    drop(conn);
    drop(store);
    let (given, surname) = name.split_once(' ').unwrap();
    let json_file = dir.path().join("auskunft.json");
    let text_file = dir.path().join("auskunft.txt");
    let out = run(
        dir.path(),
        &path,
        DPO_JC,
        &["--surname", surname, "--given", given, "--out"],
    );
    assert_eq!(out.status.code(), Some(2), "--out needs a file");

    let mut args = vec!["--surname", surname, "--given", given];
    let (j, t) = (
        json_file.to_str().unwrap().to_string(),
        text_file.to_str().unwrap().to_string(),
    );
    args.extend(["--out", &j, "--text", &t]);
    let out = run(dir.path(), &path, DPO_JC, &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let export: SubjectExport =
        serde_json::from_str(&std::fs::read_to_string(&json_file).unwrap()).unwrap();
    assert_eq!(export.controller, "jc");
    assert_eq!(export.made_by, DPO_JC);
    let text = std::fs::read_to_string(&text_file).unwrap();
    assert!(text.starts_with("Auskunft nach Art. 15 DSGVO"), "{text}");

    // An existing file stays unless --force.
    let out = run(dir.path(), &path, DPO_JC, &args);
    assert_eq!(out.status.code(), Some(1));

    // A caseworker: one German line, exit 1; an unknown login: 77; a bad date: 2.
    let plain = ["--surname", surname, "--given", given];
    let out = run(dir.path(), &path, "brinkmann", &plain);
    assert_eq!(out.status.code(), Some(1));
    let msg = String::from_utf8_lossy(&out.stderr);
    assert_eq!(msg.lines().count(), 1, "{msg}");
    assert!(msg.contains("Datenschutzbeauftragte"), "{msg}");
    assert!(out.stdout.is_empty());
    let out = run(dir.path(), &path, "niemand", &plain);
    assert_eq!(out.status.code(), Some(77));
    let mut bad = plain.to_vec();
    bad.extend(["--birth", "31.02.2001"]);
    let out = run(dir.path(), &path, DPO_JC, &bad);
    assert_eq!(out.status.code(), Some(2));

    // Without files, the JSON goes to standard output.
    let out = run(dir.path(), &path, DPO_JA, &plain);
    assert_eq!(out.status.code(), Some(0));
    let export: SubjectExport = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(export.controller, "ja");
}

/// Four eyes where configured (docs/subject-access.md § 7): the DSB asks, a lead of the
/// same Stelle releases, the export follows once; without a release it is refused and
/// logged; the other Stelle, not configured, exports alone.
#[test]
fn four_eyes_exports_need_a_release_by_a_second_person() {
    use tandem::domain::Agency;
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = demo_db(dir.path());
    let conn = Connection::open(&path).unwrap();
    let (name, _) = busiest_custody_holder(&conn);
    drop(conn);
    let (given, surname) = name.split_once(' ').unwrap();
    let query = SubjectQuery {
        surname: surname.into(),
        given_names: given.into(),
        birth_date: None,
    };
    store.set_export_four_eyes(&[Agency::Jobcenter]).unwrap();
    let dpo = staff(&store, DPO_JC);
    let refused = |r: Result<_, StorageError>, want: Refusal| match r {
        Err(StorageError::Refused(got)) => assert_eq!(got, want),
        other => panic!("expected {want:?}, got {other:?}"),
    };
    refused(
        store.subject_export(&dpo, &query).map(drop),
        Refusal::ExportNotReleased,
    );
    assert_eq!(store.audit_tail(1).unwrap()[0].action, "refused");

    let id = store.request_subject_export(&dpo, &query).unwrap();
    refused(
        store.decide_subject_export(&dpo, id, true),
        Refusal::SamePerson,
    );
    refused(
        store.decide_subject_export(&staff(&store, "brinkmann"), id, true),
        Refusal::NotAllowed,
    );
    // The Jugendamt's lead does not see the Jobcenter's request.
    refused(
        store.decide_subject_export(&staff(&store, "tueshaus"), id, true),
        Refusal::NoPending,
    );
    // Released, the request is not yet usable for someone else.
    let other = SubjectQuery {
        surname: "Niemand".into(),
        ..query.clone()
    };
    let lead = staff(&store, "schwering");
    let waiting = store.subject_export_requests(&lead).unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].approved, None);
    store.decide_subject_export(&lead, id, true).unwrap();
    refused(
        store.decide_subject_export(&lead, id, false),
        Refusal::NoPending,
    );
    refused(
        store.subject_export(&dpo, &other).map(drop),
        Refusal::ExportNotReleased,
    );
    let export = store.subject_export(&dpo, &query).unwrap();
    assert!(!export.records.is_empty());
    // Used up.
    refused(
        store.subject_export(&dpo, &query).map(drop),
        Refusal::ExportNotReleased,
    );
    assert!(store.subject_export_requests(&lead).unwrap().is_empty());
    // No audit row names the person.
    let rows = format!("{:?}", store.audit_tail(30).unwrap());
    assert!(!rows.contains(surname), "{rows}");
    assert!(rows.contains("export_request"));
    // The Jugendamt did not ask for four eyes.
    assert!(store.subject_export(&staff(&store, DPO_JA), &query).is_ok());
    drop(store);

    // The same through the command line, with the configuration file.
    let config = dir.path().join("four.toml");
    std::fs::write(&config, "subject-export-four-eyes = [\"jc\"]\n").unwrap();
    let cli = |user: &str, extra: &[&str]| {
        bin(dir.path())
            .arg("--config")
            .arg(&config)
            .args(["--lang", "de", "subject-export", "--db"])
            .arg(&path)
            .args(["--user", user])
            .args(extra)
            .output()
            .unwrap()
    };
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let names = ["--surname", surname, "--given", given];
    let out = cli(DPO_JC, &names);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("Vier-Augen-Prinzip"),
        "{}",
        text(&out.stderr)
    );
    let out = cli(DPO_JC, &[&names[..], &["--ask"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let id: String = text(&out.stdout)
        .trim_start_matches("Auskunftsersuchen ")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let out = cli("schwering", &["--requests"]);
    assert!(
        text(&out.stdout).starts_with(&format!("{id}\twartet\t{DPO_JC}\t")),
        "{}",
        text(&out.stdout)
    );
    let out = cli(DPO_JC, &["--release", &id]);
    assert_eq!(out.status.code(), Some(1), "the asker cannot release");
    let out = cli("schwering", &["--release", &id]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = cli(DPO_JC, &names);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\"records\""));
    let out = cli(DPO_JC, &["--release", "x"]);
    assert_eq!(out.status.code(), Some(2), "a bad id is a usage error");
}
