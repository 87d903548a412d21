//! F5 Kooperation in the store (docs/cooperation.md): the plenary's flow with a decision
//! carried to next year's agenda, the hospitation's pledge rule, that a hospitation opens
//! no case, and the yearly report of the demo recomputed figure by figure with SQL of its
//! own (docs/report.md).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use chrono::{NaiveDate, NaiveDateTime};
use support::demo_store;
use tandem::domain::calendar::WorkCalendar;
use tandem::domain::coop::{DecisionStatus, HospitationStatus, PlenaryStatus};
use tandem::domain::refusal::Refusal;
use tandem::domain::{CaseId, Staff};
use tandem::model::coop::{AgendaSource, DecisionInput, HospitationInput, PlenaryInput};
use tandem::model::report::{Value, YearReport};
use tandem::storage::{StorageError, Store};

fn staff(store: &Store, login: &str) -> Staff {
    store.staff_by_login(login).unwrap().expect("demo login")
}

fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, 0, 0)
        .unwrap()
}

fn plenary(year: i32, day: (u32, u32)) -> PlenaryInput {
    PlenaryInput {
        year,
        start: Some(at(year, day.0, day.1, 13)),
        duration_min: 150,
        location: "Rathaus Herten, Ratssaal".into(),
        participants: Vec::new(),
        minutes: String::new(),
        agenda: None,
    }
}

#[test]
fn plenary_planned_held_minuted_and_an_open_decision_carried_to_next_year() {
    let store = demo_store();
    let jc = staff(&store, "schwering");
    let ja = staff(&store, "tueshaus");
    let worker = staff(&store, "brinkmann");
    // Only leads plan the plenary; the refusal is logged.
    let refused = store.save_plenary(&worker, &plenary(2019, (11, 14)), None);
    assert!(matches!(
        refused,
        Err(StorageError::Refused(Refusal::NotLead))
    ));

    store
        .save_plenary(&jc, &plenary(2019, (11, 14)), None)
        .unwrap();
    let year = store.coop_year(&jc, 2019).unwrap();
    let p = year.plenary.expect("planned");
    assert_eq!(p.status, PlenaryStatus::Planned);
    assert_eq!(p.agenda.len(), 6, "the default agenda: {:?}", p.agenda);
    assert_eq!(p.agenda[0].title, "Jahresbericht");
    // Decisions come after the plenary was held.
    let early = store.add_decision(
        &jc,
        2019,
        &DecisionInput {
            text: "Zu früh".into(),
            owner: "Teamleitungen".into(),
            due_on: None,
        },
    );
    assert!(matches!(
        early,
        Err(StorageError::Refused(Refusal::CoopWrongState))
    ));
    // Held; minutes approval needs minutes.
    assert_eq!(
        store.advance_plenary(&ja, 2019, p.version).unwrap(),
        PlenaryStatus::Held
    );
    let no_minutes = store.advance_plenary(&ja, 2019, p.version + 1);
    assert!(matches!(
        no_minutes,
        Err(StorageError::Refused(Refusal::CoopWrongState))
    ));
    let mut input = plenary(2019, (11, 14));
    input.minutes = "TOP 1: Jahresbericht vorgestellt.".into();
    store
        .save_plenary(&ja, &input, Some(p.version + 1))
        .unwrap();
    let kept = store
        .add_decision(
            &ja,
            2019,
            &DecisionInput {
                text: "Ansprechpartnerlisten halbjährlich aktualisieren.".into(),
                owner: "Teamleitungen".into(),
                due_on: NaiveDate::from_ymd_opt(2020, 3, 31),
            },
        )
        .unwrap();
    let open = store
        .add_decision(
            &jc,
            2019,
            &DecisionInput {
                text: "Hospitationen in beide Richtungen ausbauen.".into(),
                owner: "Teamleitung Jugendamt".into(),
                due_on: NaiveDate::from_ymd_opt(2020, 9, 30),
            },
        )
        .unwrap();
    store
        .set_decision_status(&jc, kept, DecisionStatus::Done, 1)
        .unwrap();
    assert_eq!(
        store.advance_plenary(&jc, 2019, p.version + 2).unwrap(),
        PlenaryStatus::MinutesApproved
    );
    // "Beschlüsse umgesetzt" only when none is open.
    assert!(matches!(
        store.advance_plenary(&jc, 2019, p.version + 3),
        Err(StorageError::Refused(Refusal::CoopWrongState))
    ));
    // The next year's plenary carries the open decision onto its agenda.
    store
        .save_plenary(&ja, &plenary(2020, (11, 12)), None)
        .unwrap();
    let next = store.coop_year(&jc, 2020).unwrap();
    let agenda = &next.plenary.as_ref().unwrap().agenda;
    assert_eq!(agenda.len(), 7, "{agenda:?}");
    assert_eq!(agenda[6].source, AgendaSource::Decision);
    assert!(
        agenda[6]
            .title
            .contains("Hospitationen in beide Richtungen")
    );
    assert!(!agenda.iter().any(|a| a.title.contains("halbjährlich")));
    assert_eq!(next.carried.len(), 1);
    assert_eq!(next.carried[0].id, open);
    // Done: no longer carried.
    store
        .set_decision_status(&jc, open, DecisionStatus::Done, 1)
        .unwrap();
    assert!(store.coop_year(&jc, 2021).unwrap().carried.is_empty());
    // Every step is in the audit log.
    let rows = store.audit_tail(400).unwrap();
    let on = |t: &str| rows.iter().filter(|r| r.object_type == t).count();
    assert!(on("plenary") >= 6, "{}", on("plenary"));
    assert!(on("plenary_decision") >= 4);
}

fn hospitation(guest: &Staff, from: NaiveDate, pledge: Option<NaiveDate>) -> HospitationInput {
    HospitationInput {
        staff_id: guest.id.0,
        host_contact: "Frau Tüshaus".into(),
        from,
        to: from + chrono::Duration::days(2),
        days: 3,
        goals: "Abläufe kennenlernen".into(),
        pledge_on: pledge,
        feedback_guest: String::new(),
        feedback_host: String::new(),
    }
}

#[test]
fn a_hospitation_is_not_done_without_the_pledge() {
    let store = demo_store();
    let lead = staff(&store, "schwering");
    let guest = staff(&store, "brinkmann");
    let from = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let id = store
        .save_hospitation(&lead, None, &hospitation(&guest, from, None))
        .unwrap();
    for step in [HospitationStatus::PledgeSigned, HospitationStatus::Done] {
        let r = store.set_hospitation_status(&lead, id, step, 1);
        assert!(
            matches!(r, Err(StorageError::Refused(Refusal::PledgeMissing))),
            "{step:?}: {r:?}"
        );
    }
    // A colleague of another Stelle who is neither lead nor guest may not change it.
    let other = staff(&store, "dabrowska");
    assert!(matches!(
        store.set_hospitation_status(&other, id, HospitationStatus::Cancelled, 1),
        Err(StorageError::Refused(Refusal::NotAllowed))
    ));
    // With the pledge's date, "Durchgeführt" is reached.
    let pledge = Some(from - chrono::Duration::days(5));
    store
        .save_hospitation(&lead, Some((id, 1)), &hospitation(&guest, from, pledge))
        .unwrap();
    store
        .set_hospitation_status(&guest, id, HospitationStatus::Done, 2)
        .unwrap();
    // The pledge cannot be taken away from a hospitation that took place.
    let r = store.save_hospitation(&lead, Some((id, 3)), &hospitation(&guest, from, None));
    assert!(matches!(
        r,
        Err(StorageError::Refused(Refusal::PledgeMissing))
    ));
    let y = store.coop_year(&lead, 2026).unwrap();
    let h = y.hospitations.iter().find(|h| h.id == id).unwrap();
    assert_eq!(h.status, HospitationStatus::Done);
    assert_eq!(h.home, tandem::domain::Agency::Jobcenter);
    assert_eq!(h.host, tandem::domain::Agency::Jugendamt);
}

/// The cases `me` can open, and the result for every case id.
fn openable(store: &Store, me: &Staff, ids: &[i64]) -> Vec<bool> {
    ids.iter()
        .map(|id| store.open_case_file(me, CaseId(*id)).is_ok())
        .collect()
}

#[test]
fn a_hospitation_opens_no_case_of_the_host_stelle() {
    let store = demo_store();
    let lead = staff(&store, "schwering");
    let guest = staff(&store, "brinkmann");
    let ids: Vec<i64> = (1..=400).collect();
    let before = openable(&store, &guest, &ids);
    assert!(before.iter().any(|b| *b), "she works on some cases");
    assert!(before.iter().any(|b| !*b), "and not on others");
    // A hospitation at the Jugendamt, running today, in every state it can be in.
    let today = support::today();
    let id = store
        .save_hospitation(
            &lead,
            None,
            &hospitation(
                &guest,
                today - chrono::Duration::days(1),
                Some(today - chrono::Duration::days(9)),
            ),
        )
        .unwrap();
    let states = [
        HospitationStatus::PledgeSigned,
        HospitationStatus::Done,
        HospitationStatus::Feedback,
    ];
    for (version, state) in (1..).zip(states) {
        store
            .set_hospitation_status(&lead, id, state, version)
            .unwrap();
        assert_eq!(
            openable(&store, &guest, &ids),
            before,
            "{state:?}: a hospitation changed what she can open"
        );
    }
}

fn count(r: &YearReport, section: &str, key: &str) -> u64 {
    let row = r
        .row(section, key)
        .unwrap_or_else(|| panic!("{section}/{key} missing"));
    match row.values[0] {
        Value::Count(id) => r.raw(id).unwrap(),
        ref other => panic!("{section}/{key}: {other:?}"),
    }
}

fn sql(store: &Store, q: &str) -> u64 {
    tandem::storage::testing::scalar(store, q).unwrap_or_else(|e| panic!("{q}: {e}"))
}

#[test]
fn the_demo_report_has_every_figure_and_sql_of_its_own_agrees() {
    let store = demo_store();
    let lead = staff(&store, "schwering");
    let r = store
        .year_report(&lead, 2026, 3, true, &WorkCalendar::default())
        .unwrap();
    // The year in Berlin time, as stored (UTC).
    let (t0, t1) = ("'2025-12-31T23:00:00.000Z'", "'2026-12-31T23:00:00.000Z'");
    let active = "status IN ('active','dormant','closed') AND opened_on <= '2026-12-31' \
                  AND (closed_on IS NULL OR closed_on >= '2026-01-01')";
    let persons = format!("SELECT DISTINCT young_person_id AS p FROM coop_case WHERE {active}");
    let checks: Vec<(&str, &str, String)> = vec![
        ("persons", "persons_total", format!("SELECT count(*) FROM ({persons})")),
        (
            "persons",
            "persons_new",
            format!(
                "SELECT count(*) FROM ({persons}) x WHERE (SELECT min(opened_on) FROM coop_case k \
                 WHERE k.young_person_id = x.p AND k.status IN ('active','dormant','closed')) >= '2026-01-01'"
            ),
        ),
        (
            "persons",
            "parents_yes",
            format!(
                "SELECT count(*) FROM ({persons}) x WHERE EXISTS (SELECT 1 FROM coop_case k JOIN child c \
                 ON c.case_id = k.id WHERE k.young_person_id = x.p AND k.{active})"
            ),
        ),
        (
            "persons",
            "18-20",
            format!(
                "SELECT count(*) FROM young_person WHERE id IN ({persons}) AND \
                 2026 - CAST(substr(birth_date, 1, 4) AS INTEGER) BETWEEN 18 AND 20"
            ),
        ),
        (
            "persons",
            "w",
            format!("SELECT count(*) FROM young_person WHERE id IN ({persons}) AND gender = 'w'"),
        ),
        (
            "cases",
            "cases_opened",
            "SELECT count(*) FROM coop_case WHERE opened_on LIKE '2026-%' AND status != 'declined'".into(),
        ),
        (
            "cases",
            "cases_closed",
            "SELECT count(*) FROM coop_case WHERE status = 'closed' AND closed_on LIKE '2026-%'".into(),
        ),
        (
            "closure",
            "training",
            "SELECT count(*) FROM coop_case WHERE status = 'closed' AND closed_on LIKE '2026-%' \
             AND closure_reason = 'training'"
                .into(),
        ),
        (
            "consents",
            "consent_granted",
            "SELECT count(*) FROM consent WHERE status IN ('granted','revoked') AND signed_on LIKE '2026-%'".into(),
        ),
        (
            "consents",
            "consent_revoked",
            "SELECT count(*) FROM consent WHERE status = 'revoked' AND revoked_on LIKE '2026-%'".into(),
        ),
        (
            "consents",
            "consent_refused",
            "SELECT count(*) FROM consent WHERE status = 'refused' AND signed_on LIKE '2026-%'".into(),
        ),
        (
            "conferences",
            "conf_held",
            format!(
                "SELECT count(*) FROM conference WHERE status IN ('held','minutes_draft','minutes_approved') \
                 AND starts_at >= {t0} AND starts_at < {t1}"
            ),
        ),
        (
            "conferences",
            "conf_cancelled",
            format!(
                "SELECT count(*) FROM conference WHERE status = 'cancelled' \
                 AND coalesce(starts_at, requested_at) >= {t0} AND coalesce(starts_at, requested_at) < {t1}"
            ),
        ),
        (
            "measures",
            "not_done",
            "SELECT count(*) FROM measure WHERE due_on LIKE '2026-%' AND status = 'not_done'".into(),
        ),
        (
            "measures",
            "measures_total",
            "SELECT count(*) FROM measure WHERE due_on LIKE '2026-%'".into(),
        ),
        (
            "referrals",
            "cp_referrals",
            format!("SELECT count(*) FROM cp_referral WHERE sent_at >= {t0} AND sent_at < {t1}"),
        ),
        (
            "referrals",
            "cp_children",
            format!(
                "SELECT count(*) FROM cp_child c JOIN cp_referral r ON r.id = c.referral_id \
                 WHERE r.sent_at >= {t0} AND r.sent_at < {t1}"
            ),
        ),
        (
            "referrals",
            "nicht_akut",
            format!(
                "SELECT count(*) FROM cp_referral WHERE sent_at >= {t0} AND sent_at < {t1} \
                 AND urgency = 'nicht_akut'"
            ),
        ),
        (
            "results",
            "cp_closed_children",
            format!(
                "SELECT count(*) FROM cp_child c JOIN cp_referral r ON r.id = c.referral_id \
                 WHERE r.closed_at >= {t0} AND r.closed_at < {t1}"
            ),
        ),
        (
            "feedback",
            "given",
            format!(
                "SELECT count(*) FROM cp_referral WHERE sent_at >= {t0} AND sent_at < {t1} \
                 AND feedback_status = 'fb_given'"
            ),
        ),
        (
            "consults",
            "consults_total",
            format!("SELECT count(*) FROM anon_consult WHERE requested_at >= {t0} AND requested_at < {t1}"),
        ),
        (
            "early_help",
            "eh_requests",
            format!("SELECT count(*) FROM eh_request WHERE sent_at >= {t0} AND sent_at < {t1}"),
        ),
        (
            "early_help",
            "accepted",
            format!(
                "SELECT count(*) FROM eh_request WHERE sent_at >= {t0} AND sent_at < {t1} \
                 AND outcome = 'accepted'"
            ),
        ),
        (
            "early_help",
            "withdrawn",
            format!(
                "SELECT count(*) FROM eh_request WHERE sent_at >= {t0} AND sent_at < {t1} \
                 AND outcome IS NULL AND state = 'withdrawn'"
            ),
        ),
        (
            "early_help",
            "0-2",
            format!(
                "SELECT count(*) FROM eh_child c JOIN eh_request e ON e.id = c.request_id \
                 WHERE e.sent_at >= {t0} AND e.sent_at < {t1} AND c.band IN ('0', '1-2', 'expected')"
            ),
        ),
        (
            "early_help",
            "eh_declined",
            "SELECT count(*) FROM eh_request WHERE declined_on LIKE '2026-%'".into(),
        ),
        (
            "early_help",
            "eh_converted",
            format!("SELECT count(*) FROM eh_request WHERE converted_at >= {t0} AND converted_at < {t1}"),
        ),
        (
            "early_help",
            "eh_contacted",
            format!(
                "SELECT count(*) FROM eh_request WHERE sent_at >= {t0} AND sent_at < {t1} \
                 AND first_contact_on IS NOT NULL"
            ),
        ),
        (
            "structure",
            "struct_meetings",
            format!(
                "SELECT count(*) FROM coop_meeting WHERE status = 'held' AND starts_at >= {t0} AND starts_at < {t1}"
            ),
        ),
        (
            "structure",
            "struct_trainings",
            format!(
                "SELECT count(*) FROM training WHERE status = 'held' AND starts_at >= {t0} AND starts_at < {t1}"
            ),
        ),
        (
            "structure",
            "struct_hospitations",
            "SELECT count(*) FROM hospitation WHERE from_on LIKE '2026-%' AND status IN ('done','feedback')".into(),
        ),
        (
            "structure",
            "struct_jc_to_ja",
            "SELECT count(*) FROM hospitation WHERE from_on LIKE '2026-%' AND status IN ('done','feedback') \
             AND home_stelle = 'jc'"
                .into(),
        ),
    ];
    for (section, key, q) in &checks {
        assert_eq!(count(&r, section, key), sql(&store, q), "{section}/{key}");
    }
    // Every figure of docs/report.md § 2 is there and shows something.
    for section in [
        "persons",
        "cases",
        "consents",
        "conferences",
        "measures",
        "closure",
        "transitions",
        "referrals",
        "results",
        "feedback",
        "consults",
        "early_help",
        "structure",
        "commitments",
    ] {
        let s = r.sections.iter().find(|s| s.key == section);
        let s = s.unwrap_or_else(|| panic!("{section} missing"));
        assert!(
            !s.tables.is_empty() || !s.notes.is_empty(),
            "{section} empty"
        );
    }
    for (section, key) in [
        ("persons", "persons_total"),
        ("cases", "cases_closed"),
        ("conferences", "conf_held"),
        ("referrals", "cp_referrals"),
        ("consults", "consults_total"),
        ("early_help", "eh_requests"),
        ("early_help", "eh_declined"),
        ("early_help", "eh_converted"),
        ("structure", "struct_meetings"),
    ] {
        assert!(count(&r, section, key) > 0, "{section}/{key} shows nothing");
    }
    assert!(r.matrix.is_some());
    // The plenary's date and the medians.
    let date = r.row("structure", "struct_plenary").unwrap();
    assert!(matches!(date.values[0], Value::Date(Some(_))));
    let median = r.row("conferences", "conf_wd_median").unwrap();
    let Value::Median { n, value, .. } = &median.values[0] else {
        panic!("median")
    };
    assert!(r.median(*n, *value).is_some());
}

#[test]
fn the_report_is_for_leads_and_dpos_and_its_runs_are_audited() {
    let store = demo_store();
    let cal = WorkCalendar::default();
    for login in ["brinkmann", "hegemann", "hollmann"] {
        let me = staff(&store, login);
        assert!(
            matches!(
                store.year_report(&me, 2026, 3, true, &cal),
                Err(StorageError::Refused(Refusal::NotAllowed))
            ),
            "{login}"
        );
    }
    for login in ["schwering", "wiemers", "kloeckner"] {
        let me = staff(&store, login);
        store.year_report(&me, 2026, 3, false, &cal).unwrap();
    }
    let rows = store.audit_tail(50).unwrap();
    assert_eq!(
        rows.iter()
            .filter(|r| r.object_type == "year_report" && r.action == "view")
            .count(),
        3
    );
    // Without the child-protection figures, none of them is in.
    let me = staff(&store, "wiemers");
    let r = store.year_report(&me, 2026, 3, false, &cal).unwrap();
    assert!(r.row("referrals", "cp_referrals").is_none());
    assert!(r.sections.iter().all(|s| s.key != "results"));
}

#[test]
fn the_csv_reads_back_in_pythons_csv_module_and_a_formula_stays_text() {
    use tandem::domain::coop::CommitmentKind;
    use tandem::model::coop::{AgreementInput, Commitment};
    let store = demo_store();
    let lead = staff(&store, "schwering");
    // A commitment whose words look like a formula.
    store
        .save_agreement(
            &lead,
            None,
            &AgreementInput {
                label: "Fassung 2026".into(),
                valid_from: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
                signatories: String::new(),
                annexes: String::new(),
                review_on: None,
                commitments: vec![Commitment {
                    kind: CommitmentKind::PlenaryPerYear,
                    target: 1,
                    text: "=HYPERLINK(\"http://x\";\"Große Runde\")".into(),
                }],
            },
        )
        .unwrap();
    let r = store
        .year_report(&lead, 2026, 3, true, &WorkCalendar::default())
        .unwrap();
    let s = tandem::strings::Strings::get(tandem::strings::Lang::De);
    let csv = tandem::cli::report_csv(s, &r);
    assert!(csv.starts_with('\u{feff}'), "BOM");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bericht.csv");
    std::fs::write(&file, &csv).unwrap();
    let script = "import csv, json, sys\n\
                  with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n\
                  \x20   print(json.dumps(list(csv.reader(f, delimiter=';'))))\n";
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&file)
        .output()
        .expect("python3 must be installed (the test command installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        rows[0],
        ["Bereich", "Tabelle", "Zeile", "Art", "2026", "2025"]
    );
    assert!(rows.iter().all(|r| r.len() == 6), "every row has six cells");
    // Every row of the report is there, with the values as printed.
    let mut expected = Vec::new();
    for section in &r.sections {
        for t in &section.tables {
            for row in &t.rows {
                expected.push((
                    tandem::ui::report::label_text(s, &row.label),
                    row.values.clone(),
                ));
            }
        }
    }
    let body: Vec<&Vec<String>> = rows
        .iter()
        .skip(1)
        .filter(|r| !r[1].starts_with("Nach Kategorie"))
        .collect();
    assert_eq!(body.len(), expected.len());
    for (row, (label, values)) in body.iter().zip(&expected) {
        let shown = if label.starts_with('=') {
            format!("'{label}")
        } else {
            label.clone()
        };
        assert_eq!(row[2], shown);
        for (cell, v) in row[4..6].iter().zip(values) {
            if let Value::Count(id) = v {
                assert_eq!(
                    *cell,
                    tandem::domain::stats::label(r.count(*id), r.threshold)
                );
            }
        }
    }
    // The formula-like commitment stays text: the apostrophe is read back.
    assert!(
        rows.iter()
            .any(|r| r[2] == "'=HYPERLINK(\"http://x\";\"Große Runde\")"),
        "{rows:?}"
    );
    // Decimal comma, no decimal point in numbers.
    let median = rows
        .iter()
        .find(|r| r[3] == "Median" && r[4] != "–")
        .expect("a median");
    assert!(median[4].contains(','), "{median:?}");
}
