//! Staff administration (issue 12, docs/access.md A11): the admin of a Stelle adds, edits,
//! deactivates and reactivates that Stelle's staff; `admin` and `dpo` need a second admin;
//! the last admin stays; every change and refusal is audited without personal values or key
//! material; a pure admin sees no case content; a deactivated login is refused (77) and a
//! running session of a deactivated person locks, its draft kept. In-process against the
//! store and the app, and through the built binary for the command line.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::NaiveDate;
use support::{app_on, demo_store, keys, today};
use tandem::domain::calendar::WorkCalendar;
use tandem::domain::referral::Deadlines;
use tandem::domain::refusal::Refusal;
use tandem::domain::{Agency, CaseId, Role, Staff};
use tandem::model::list::{ListQuery, ListScope, PageAnchor};
use tandem::model::referral::Function;
use tandem::storage::audit::object;
use tandem::storage::staff::NewStaff;
use tandem::storage::staff_admin::{StaffEdit, StaffEntry};
use tandem::storage::{OpenMode, StorageError, Store};
use tandem::strings::Lang;

/// Inserts a staff member through the seed path (no actor) and returns the record.
fn seed(store: &Store, login: &str, agency: Agency, roles: Vec<Role>) -> Staff {
    store
        .insert_staff(&[NewStaff {
            login: login.into(),
            surname: format!("{login}-Nachname"),
            given_name: "Test".into(),
            agency,
            roles,
            phone: String::new(),
            email: String::new(),
        }])
        .unwrap();
    who(store, login)
}

fn who(store: &Store, login: &str) -> Staff {
    store.staff_by_login(login).unwrap().expect("login exists")
}

fn entry(login: &str, agency: Agency, roles: Vec<Role>) -> StaffEntry {
    StaffEntry {
        login: login.into(),
        surname: "Neumann".into(),
        given_name: "Lea".into(),
        agency,
        roles,
        functions: Vec::new(),
        email: "lea.neumann@herten.example".into(),
        phone: "02366 303-777".into(),
        deputy: None,
    }
}

fn refused(res: Result<impl std::fmt::Debug, StorageError>) -> Refusal {
    match res {
        Err(StorageError::Refused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The demo's Jugendamt admin (`rademacher`, role admin only).
fn ja_admin(store: &Store) -> Staff {
    let me = who(store, "rademacher");
    assert_eq!(me.roles, [Role::Admin]);
    me
}

#[test]
fn an_admin_adds_edits_deactivates_and_reactivates_staff_of_the_own_stelle() {
    let store = demo_store();
    let admin = ja_admin(&store);
    let hegemann = who(&store, "hegemann");
    let mut new = entry("neumann", Agency::Jugendamt, vec![Role::JaStaff]);
    new.functions = vec![Function::Insofa, Function::Intake];
    new.deputy = Some(hegemann.id);
    let done = store.add_staff(&admin, &new).unwrap();
    assert_eq!((done.version, done.pending.len()), (1, 0));
    let details = store.staff_details(&admin, done.staff).unwrap();
    assert_eq!(details.staff.login, "neumann");
    assert_eq!(details.staff.roles, [Role::JaStaff]);
    assert!(details.staff.active);
    assert_eq!(details.functions, [Function::Insofa, Function::Intake]);
    assert_eq!(details.deputy, Some(hegemann.id));
    assert_eq!(details.email, "lea.neumann@herten.example");
    assert!(store.has_function(done.staff, Function::Insofa).unwrap());

    // Edit: e-mail, roles and functions; only the given fields change.
    let edit = StaffEdit {
        email: Some("l.neumann@herten.example".into()),
        roles: Some(vec![Role::JaStaff, Role::JaOncall]),
        functions: Some(vec![Function::Intake]),
        deputy: Some(None),
        ..StaffEdit::default()
    };
    let edited = store.edit_staff(&admin, done.staff, 1, &edit).unwrap();
    assert_eq!(edited.version, 2);
    let details = store.staff_details(&admin, done.staff).unwrap();
    assert_eq!(details.staff.roles, [Role::JaStaff, Role::JaOncall]);
    assert_eq!(details.staff.surname, "Neumann");
    assert_eq!(details.functions, [Function::Intake]);
    assert_eq!(details.deputy, None);
    assert!(!store.has_function(done.staff, Function::Insofa).unwrap());

    // A stale edit (version 1) changes nothing and names who saved last.
    let stale = store.edit_staff(
        &admin,
        done.staff,
        1,
        &StaffEdit {
            phone: Some("0".into()),
            ..StaffEdit::default()
        },
    );
    match stale {
        Err(StorageError::Conflict { by, at }) => {
            assert_eq!(by.as_deref(), Some("Dirk Rademacher"));
            assert!(at.is_some());
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        store.staff_details(&admin, done.staff).unwrap().phone,
        "02366 303-777"
    );

    store
        .set_staff_active_as(&admin, done.staff, false)
        .unwrap();
    assert!(!who(&store, "neumann").active);
    assert!(
        store
            .active_staff()
            .unwrap()
            .iter()
            .all(|s| s.login != "neumann")
    );
    store.set_staff_active_as(&admin, done.staff, true).unwrap();
    assert!(who(&store, "neumann").active);
    assert_eq!(store.staff_details(&admin, done.staff).unwrap().version, 4);
}

#[test]
fn an_admin_of_one_stelle_cannot_change_the_other_stelles_staff() {
    let store = demo_store();
    let jc_admin = seed(&store, "jcadmin", Agency::Jobcenter, vec![Role::Admin]);
    let hegemann = who(&store, "hegemann");
    let before = store.staff_details(&ja_admin(&store), hegemann.id).unwrap();

    let edit = StaffEdit {
        surname: Some("Geändert".into()),
        ..StaffEdit::default()
    };
    assert_eq!(
        refused(store.edit_staff(&jc_admin, hegemann.id, before.version, &edit)),
        Refusal::OtherAgency
    );
    assert_eq!(
        refused(store.set_staff_active_as(&jc_admin, hegemann.id, false)),
        Refusal::OtherAgency
    );
    assert_eq!(
        refused(store.add_staff(
            &jc_admin,
            &entry("x", Agency::Jugendamt, vec![Role::JaStaff])
        )),
        Refusal::OtherAgency
    );
    assert_eq!(
        refused(store.staff_details(&jc_admin, hegemann.id)),
        Refusal::OtherAgency
    );
    // Nothing changed; each refusal left an audit row with its code.
    let after = store.staff_details(&ja_admin(&store), hegemann.id).unwrap();
    assert_eq!(after, before);
    assert!(who(&store, "hegemann").active);
    assert!(store.staff_by_login("x").unwrap().is_none());
    let refusals: Vec<_> = store
        .audit_rows_for(object::STAFF, hegemann.id.0)
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "refused")
        .collect();
    assert_eq!(refusals.len(), 2);
    assert!(
        refusals
            .iter()
            .all(|r| r.detail.as_deref() == Some("other_agency")
                && r.staff_id == Some(jc_admin.id.0))
    );

    // Who is no admin manages nobody, even in the own Stelle.
    let lead = who(&store, "tueshaus");
    assert_eq!(
        refused(store.set_staff_active_as(&lead, hegemann.id, false)),
        Refusal::NotAdmin
    );
    assert_eq!(refused(store.pending_grants(&lead)), Refusal::NotAdmin);
    // A deactivated admin neither.
    let ja = ja_admin(&store);
    let second = seed(&store, "admin2", Agency::Jugendamt, vec![Role::Admin]);
    store.set_staff_active_as(&ja, second.id, false).unwrap();
    assert_eq!(
        refused(store.set_staff_active_as(&second, hegemann.id, false)),
        Refusal::NotAdmin
    );
}

#[test]
fn roles_functions_logins_and_deputies_are_checked() {
    let store = demo_store();
    let admin = ja_admin(&store);
    let jc_admin = seed(&store, "jcadmin", Agency::Jobcenter, vec![Role::Admin]);
    let cases = [
        (
            entry("a", Agency::Jugendamt, vec![Role::JcU25]),
            Refusal::RoleAgency,
        ),
        (entry("b", Agency::Jugendamt, vec![]), Refusal::NoRole),
        (
            entry("Gross", Agency::Jugendamt, vec![Role::JaStaff]),
            Refusal::LoginInvalid,
        ),
        (
            entry("a b", Agency::Jugendamt, vec![Role::JaStaff]),
            Refusal::LoginInvalid,
        ),
        (
            entry("hegemann", Agency::Jugendamt, vec![Role::JaStaff]),
            Refusal::LoginTaken,
        ),
        (
            StaffEntry {
                surname: " ".into(),
                ..entry("c", Agency::Jugendamt, vec![Role::JaStaff])
            },
            Refusal::NameNeeded,
        ),
        (
            StaffEntry {
                deputy: Some(who(&store, "brinkmann").id),
                ..entry("d", Agency::Jugendamt, vec![Role::JaStaff])
            },
            Refusal::DeputyAgency,
        ),
    ];
    for (e, why) in cases {
        assert_eq!(refused(store.add_staff(&admin, &e)), why, "{}", e.login);
    }
    let mut coord = entry("e", Agency::Jobcenter, vec![Role::JcU25]);
    coord.functions = vec![Function::Insofa];
    assert_eq!(
        refused(store.add_staff(&jc_admin, &coord)),
        Refusal::RoleAgency
    );
    coord.functions = vec![Function::Coordination];
    store.add_staff(&jc_admin, &coord).unwrap();
    assert!(
        store
            .has_function(who(&store, "e").id, Function::Coordination)
            .unwrap()
    );
    for role in [Role::JaStaff, Role::JaOncall] {
        assert!(!role.valid_for(Agency::Jobcenter));
    }
    for role in [Role::Lead, Role::Dpo, Role::Admin] {
        assert!(role.valid_for(Agency::Jobcenter) && role.valid_for(Agency::Jugendamt));
    }
}

#[test]
fn admin_and_dpo_need_a_second_admin_of_the_same_stelle() {
    let store = demo_store();
    let first = ja_admin(&store);
    let second = seed(&store, "admin2", Agency::Jugendamt, vec![Role::Admin]);
    let jc_admin = seed(&store, "jcadmin", Agency::Jobcenter, vec![Role::Admin]);

    let done = store
        .add_staff(
            &first,
            &entry("zweit", Agency::Jugendamt, vec![Role::Lead, Role::Admin]),
        )
        .unwrap();
    assert_eq!(done.pending.len(), 1);
    let grant = done.pending[0];
    // Not yet an admin.
    assert_eq!(who(&store, "zweit").roles, [Role::Lead]);
    let open = store.pending_grants(&second).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(
        (
            open[0].id,
            open[0].login.as_str(),
            open[0].role,
            open[0].requested_by.as_str()
        ),
        (grant, "zweit", Role::Admin, "rademacher")
    );
    // The other Stelle's admin neither sees nor decides it.
    assert!(store.pending_grants(&jc_admin).unwrap().is_empty());
    assert_eq!(
        refused(store.decide_grant(&jc_admin, grant, true)),
        Refusal::OtherAgency
    );
    // The requester cannot confirm their own request; the person concerned neither.
    assert_eq!(
        refused(store.decide_grant(&first, grant, true)),
        Refusal::GrantSelf
    );
    assert_eq!(
        refused(store.decide_grant(&who(&store, "zweit"), grant, true)),
        Refusal::NotAdmin
    );
    assert_eq!(who(&store, "zweit").roles, [Role::Lead]);
    // The second admin confirms: the role is active.
    store.decide_grant(&second, grant, true).unwrap();
    assert_eq!(who(&store, "zweit").roles, [Role::Lead, Role::Admin]);
    assert!(store.pending_grants(&second).unwrap().is_empty());
    assert_eq!(
        refused(store.decide_grant(&second, grant, true)),
        Refusal::NoPending
    );

    // An edit that asks for dpo opens a grant; refused, the role never comes.
    let hegemann = who(&store, "hegemann");
    let v = store.staff_details(&first, hegemann.id).unwrap().version;
    let edited = store
        .edit_staff(
            &first,
            hegemann.id,
            v,
            &StaffEdit {
                roles: Some(vec![Role::JaStaff, Role::JaOncall, Role::Dpo]),
                ..StaffEdit::default()
            },
        )
        .unwrap();
    assert_eq!(edited.pending.len(), 1);
    assert_eq!(
        who(&store, "hegemann").roles,
        [Role::JaStaff, Role::JaOncall]
    );
    store
        .decide_grant(&second, edited.pending[0], false)
        .unwrap();
    assert_eq!(
        who(&store, "hegemann").roles,
        [Role::JaStaff, Role::JaOncall]
    );
    assert_eq!(
        refused(store.decide_grant(&second, edited.pending[0], true)),
        Refusal::NoPending
    );

    // Audit: the request, the decision and the role change, by whom.
    let rows = store.audit_rows_for(object::ROLE_GRANT, grant).unwrap();
    let summary: Vec<_> = rows
        .iter()
        .map(|r| (r.action.as_str(), r.staff_id, r.detail.as_deref()))
        .collect();
    assert_eq!(
        summary[..2],
        [
            ("create", Some(first.id.0), Some("admin")),
            ("update", Some(second.id.0), Some("confirmed"))
        ]
    );
    let zweit = who(&store, "zweit");
    let staff_rows = store.audit_rows_for(object::STAFF, zweit.id.0).unwrap();
    assert!(
        staff_rows.iter().any(|r| r.action == "update"
            && r.fields == ["roles"]
            && r.staff_id == Some(second.id.0))
    );
}

#[test]
fn the_last_admin_stays_and_nobody_changes_their_own_account() {
    let store = demo_store();
    let only = ja_admin(&store);
    assert_eq!(
        refused(store.set_staff_active_as(&only, only.id, false)),
        Refusal::LastAdmin
    );
    let v = store.staff_details(&only, only.id).unwrap().version;
    let drop_admin = StaffEdit {
        roles: Some(vec![Role::Lead]),
        ..StaffEdit::default()
    };
    assert_eq!(
        refused(store.edit_staff(&only, only.id, v, &drop_admin)),
        Refusal::LastAdmin
    );
    // Taking a case role for oneself is refused too (an admin sees no case content).
    let take_cases = StaffEdit {
        roles: Some(vec![Role::Admin, Role::Lead]),
        ..StaffEdit::default()
    };
    assert_eq!(
        refused(store.edit_staff(&only, only.id, v, &take_cases)),
        Refusal::OwnAccount
    );
    // Names and contact of the own record may change.
    store
        .edit_staff(
            &only,
            only.id,
            v,
            &StaffEdit {
                phone: Some("02366 303-1".into()),
                ..StaffEdit::default()
            },
        )
        .unwrap();

    let second = seed(&store, "admin2", Agency::Jugendamt, vec![Role::Admin]);
    assert_eq!(
        refused(store.set_staff_active_as(&only, only.id, false)),
        Refusal::OwnAccount
    );
    // The other admin may deactivate the first; then the second is the last one.
    store.set_staff_active_as(&second, only.id, false).unwrap();
    assert_eq!(
        refused(store.set_staff_active_as(&second, second.id, false)),
        Refusal::LastAdmin
    );
    assert!(who(&store, "admin2").active);
    // The Jobcenter's admin (`hollmann` in the demo) is no substitute for the Jugendamt's:
    // the last-admin rule counts per Stelle.
    assert!(store.verify_audit().unwrap().is_ok());
}

#[test]
fn every_change_is_audited_without_values_or_key_material() {
    let store = demo_store();
    let admin = ja_admin(&store);
    let mut new = entry("neumann", Agency::Jugendamt, vec![Role::JaStaff]);
    new.email = "geheim.adresse@herten.example".into();
    new.phone = "0170 5550001".into();
    let done = store.add_staff(&admin, &new).unwrap();
    store
        .edit_staff(
            &admin,
            done.staff,
            1,
            &StaffEdit {
                phone: Some("0170 5550002".into()),
                surname: Some("Neuname".into()),
                ..StaffEdit::default()
            },
        )
        .unwrap();
    store
        .set_staff_active_as(&admin, done.staff, false)
        .unwrap();
    let _ = store.set_staff_active_as(&admin, admin.id, false);

    let rows = store.audit_rows_for(object::STAFF, done.staff.0).unwrap();
    let summary: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.action.as_str(),
                r.staff_id,
                r.fields.join(","),
                r.new_version,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "create",
                Some(admin.id.0),
                "login,surname,given_name,stelle,phone,email,roles,functions,deputy_id".into(),
                Some(1)
            ),
            ("update", Some(admin.id.0), "surname,phone".into(), Some(2)),
            ("update", Some(admin.id.0), "active".into(), Some(3)),
        ]
    );
    // The refusal of the self-deactivation is there, with its code.
    let own = store.audit_rows_for(object::STAFF, admin.id.0).unwrap();
    assert!(
        own.iter()
            .any(|r| r.action == "refused" && r.detail.as_deref() == Some("last_admin"))
    );
    // No value reaches the log: not the e-mail, not the phone, not the names; and nothing
    // that looks like key material.
    let all = store.audit_tail(100_000).unwrap();
    for r in &all {
        let text = format!("{r:?}");
        for secret in [
            "geheim", "5550001", "5550002", "Neuname", "Neumann", "neumann", "ssh-", "AAAA",
            "SHA256:",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
    // The old values are in the change history (which may hold them), not in the log.
    let history = store.change_history_for("staff", done.staff.0).unwrap();
    assert!(
        history
            .iter()
            .any(|h| h.field == "phone" && h.old_value.as_deref() == Some("0170 5550001"))
    );
    assert!(store.verify_audit().unwrap().is_ok());
}

#[test]
fn a_pure_admin_sees_no_case_content() {
    let store = demo_store();
    let ja = ja_admin(&store);
    let jc = seed(&store, "jcadmin", Agency::Jobcenter, vec![Role::Admin]);
    let today = today();
    // Every case, conference and referral of the demo, as the leads see them.
    let mut case_ids: Vec<CaseId> = Vec::new();
    let mut conference_ids = Vec::new();
    let (cal, d) = (WorkCalendar::default(), Deadlines::default());
    let now = store.clock().now();
    let mut referral_ids = Vec::new();
    for lead in ["schwering", "tueshaus"] {
        let lead = who(&store, lead);
        let query = ListQuery {
            today,
            scope: ListScope::Agency,
            ..ListQuery::default()
        };
        case_ids.extend(
            store
                .case_page(&lead, &query, &PageAnchor::First, 100_000)
                .unwrap()
                .iter()
                .map(|r| r.id),
        );
        let far = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let later = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
        conference_ids.extend(
            store
                .conferences_for(&lead, far, later)
                .unwrap()
                .iter()
                .map(|c| c.id),
        );
        referral_ids.extend(
            store
                .referrals_for(&lead, now, &cal, &d)
                .unwrap()
                .iter()
                .map(|r| r.id),
        );
    }
    case_ids.sort();
    case_ids.dedup();
    assert!(case_ids.len() > 10, "the demo has cases");
    assert!(!conference_ids.is_empty(), "the demo has conferences");
    assert!(!referral_ids.is_empty(), "the demo has referrals");

    for admin in [&ja, &jc] {
        for scope in [ListScope::Caseload, ListScope::Agency] {
            let query = ListQuery {
                today,
                scope,
                ..ListQuery::default()
            };
            assert_eq!(store.case_count(admin, &query).unwrap(), 0);
            assert!(
                store
                    .case_page(admin, &query, &PageAnchor::First, 100_000)
                    .unwrap()
                    .is_empty()
            );
        }
        for &id in &case_ids {
            assert!(matches!(
                store.load_case(admin, id),
                Err(StorageError::NotFound)
            ));
            assert!(matches!(
                store.case_file(admin, id, today),
                Err(StorageError::NotFound)
            ));
            assert!(matches!(
                store.open_case_file(admin, id),
                Err(StorageError::NotFound)
            ));
            assert!(
                store
                    .case_row(admin, &ListQuery::default(), id)
                    .unwrap()
                    .is_none()
            );
            assert!(matches!(
                store.break_glass(
                    admin,
                    id,
                    tandem::domain::casefile::BreakGlassReason::Other,
                    "Test"
                ),
                Err(StorageError::NotFound)
            ));
        }
        assert!(store.lookup_case(admin, "1").unwrap().is_none());
        assert!(
            store
                .referrals_for(admin, now, &cal, &d)
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .oncall_referrals(admin, now, &cal, &d)
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.referral_counts(admin, now, &cal, &d).unwrap(), (0, 0));
        for &id in &referral_ids {
            assert!(store.referral(admin, id, now, &cal, &d).is_err());
        }
        assert!(store.consults_for(admin).unwrap().is_empty());
        let far = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let later = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
        assert!(store.conferences_for(admin, far, later).unwrap().is_empty());
        for &id in &conference_ids {
            assert!(store.conference(admin, id).is_err());
            assert!(store.conference_agenda(admin, id).is_err());
        }
        assert!(store.break_glass_grants(admin).unwrap().is_empty());
    }
}

#[test]
fn a_running_session_of_a_deactivated_person_locks_and_keeps_its_draft() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
        tandem::demo::write(&store, &tandem::demo::demo_data(today())).unwrap();
    }
    let open = || Store::open(&path, OpenMode::Existing).unwrap();
    let mut a = app_on(open(), "brinkmann", Lang::De);
    keys(&mut a, "n Unfertig");
    let start = std::time::Instant::now();
    // Still active: the check changes nothing.
    a.on_tick(start + std::time::Duration::from_secs(31));
    assert!(!a.quit && !a.locked);

    let admins = open();
    let jc_admin = seed(&admins, "jcadmin", Agency::Jobcenter, vec![Role::Admin]);
    let me = a.me.clone();
    admins.set_staff_active_as(&jc_admin, me.id, false).unwrap();
    // Within the next check (30 s by default, well inside 60 s).
    a.on_tick(start + std::time::Duration::from_secs(62));
    assert!(a.quit && a.locked && a.access_revoked);
    assert!(
        a.case_form().is_none() && a.cases.list.rows.is_empty(),
        "case data left the screen"
    );
    let drafts = open().drafts_for(me.id).unwrap();
    assert_eq!(
        drafts[0].values.get("surname").map(String::as_str),
        Some("Unfertig")
    );
    let last = open().audit_tail(1).unwrap();
    assert_eq!(
        (
            last[0].action.as_str(),
            last[0].detail.as_deref(),
            last[0].staff_id
        ),
        ("idle_lock", Some("deactivated"), Some(me.id.0))
    );
}

// ---------------------------------------------------------------------------------------
// The command line, through the built binary.

fn bin(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tandem"));
    cmd.env("TANDEM_DATA", dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env_remove("TANDEM_CONFIG");
    cmd
}

fn run(dir: &Path, db: &Path, user: &str, args: &[&str]) -> Output {
    bin(dir)
        .args(["--lang", "de", "--db"])
        .arg(db)
        .args(["--user", user, "staff"])
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A database with two Jugendamt admins, a Jobcenter admin and one caseworker.
fn cli_db(dir: &Path) -> PathBuf {
    let path = dir.join("tandem.db");
    let store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
    seed(&store, "ja.admin", Agency::Jugendamt, vec![Role::Admin]);
    seed(&store, "ja.admin2", Agency::Jugendamt, vec![Role::Admin]);
    seed(&store, "jc.admin", Agency::Jobcenter, vec![Role::Admin]);
    seed(&store, "brinkmann", Agency::Jobcenter, vec![Role::JcU25]);
    path
}

#[test]
fn the_staff_verbs_work_for_scripts_and_refuse_in_one_german_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = cli_db(dir.path());
    let d = dir.path();

    let out = run(
        d,
        &db,
        "ja.admin",
        &[
            "add",
            "--login",
            "neumann",
            "--surname",
            "Neumann",
            "--given-name",
            "Lea",
            "--stelle",
            "ja",
            "--roles",
            "ja_staff,dpo",
            "--email",
            "lea@herten.example",
            "--phone",
            "1",
            "--functions",
            "insofa,cp_intake",
            "--deputy",
            "ja.admin2",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let line = text(&out.stdout);
    assert!(line.starts_with("neumann\tVersion 1\t"), "{line}");
    assert!(line.contains("zweite Administration"), "{line}");

    let grants = run(d, &db, "ja.admin2", &["grants"]);
    assert!(grants.status.success());
    let g = text(&grants.stdout);
    let fields: Vec<&str> = g.trim_end().split('\t').collect();
    assert_eq!(&fields[1..4], ["neumann", "dpo", "ja.admin"], "{g}");
    let id = fields[0];

    // The requester may not confirm: one German line, exit 1.
    let own = run(d, &db, "ja.admin", &["confirm", id]);
    assert_eq!(own.status.code(), Some(1));
    assert_eq!(text(&own.stderr).lines().count(), 1);
    assert!(text(&own.stderr).contains("Vier-Augen-Prinzip"));
    let ok = run(d, &db, "ja.admin2", &["confirm", id]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));

    let list = bin(d)
        .args(["--db"])
        .arg(&db)
        .args(["staff", "list"])
        .output()
        .unwrap();
    assert!(text(&list.stdout).contains("neumann\tLea Neumann\tja\tja_staff,dpo\n"));

    // Edit, with and without a stale version.
    let edit = run(
        d,
        &db,
        "ja.admin",
        &["edit", "neumann", "--phone", "2", "--functions", ""],
    );
    assert!(edit.status.success(), "{}", text(&edit.stderr));
    assert!(text(&edit.stdout).starts_with("neumann\tVersion 3"));
    let stale = run(
        d,
        &db,
        "ja.admin",
        &["edit", "neumann", "--phone", "3", "--version", "1"],
    );
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        text(&stale.stderr).contains("inzwischen geändert"),
        "{}",
        text(&stale.stderr)
    );

    // The Jobcenter's admin cannot touch Jugendamt staff.
    let cross = run(d, &db, "jc.admin", &["deactivate", "neumann"]);
    assert_eq!(cross.status.code(), Some(1));
    assert!(
        text(&cross.stderr).contains("anderen Stelle"),
        "{}",
        text(&cross.stderr)
    );

    // Usage: an unknown role or login is exit 2.
    let bad_role = run(d, &db, "ja.admin", &["edit", "neumann", "--roles", "chef"]);
    assert_eq!(bad_role.status.code(), Some(2));
    let bad_login = run(d, &db, "ja.admin", &["deactivate", "niemand"]);
    assert_eq!(bad_login.status.code(), Some(2));
    assert_eq!(text(&bad_login.stderr).lines().count(), 1);

    // A non-admin is refused (exit 1); an unknown --user is a refused login (77).
    let caseworker = run(d, &db, "brinkmann", &["grants"]);
    assert_eq!(caseworker.status.code(), Some(1));
    let nobody = run(d, &db, "niemand", &["grants"]);
    assert_eq!(nobody.status.code(), Some(77));

    // Deactivate: the login is refused with 77 and an audit row; reactivate lets it in.
    let off = run(d, &db, "jc.admin", &["deactivate", "brinkmann"]);
    assert!(off.status.success(), "{}", text(&off.stderr));
    assert_eq!(text(&off.stdout), "brinkmann\tdeaktiviert\n");
    let login = bin(d)
        .args(["--db"])
        .arg(&db)
        .args(["--user", "brinkmann"])
        .output()
        .unwrap();
    assert_eq!(login.status.code(), Some(77));
    assert_eq!(text(&login.stderr).lines().count(), 1);
    let store = Store::open(&db, OpenMode::Existing).unwrap();
    let brinkmann = who(&store, "brinkmann");
    let last = store.audit_tail(1).unwrap();
    assert_eq!(
        (
            last[0].action.as_str(),
            last[0].detail.as_deref(),
            last[0].staff_id
        ),
        ("login_refused", Some("inactive"), Some(brinkmann.id.0))
    );
    drop(store);
    let on = run(d, &db, "jc.admin", &["reactivate", "brinkmann"]);
    assert!(on.status.success());
    // The jc admin may not deactivate themselves (the last JC admin).
    let own = run(d, &db, "jc.admin", &["deactivate", "jc.admin"]);
    assert_eq!(own.status.code(), Some(1));
    assert!(text(&own.stderr).contains("mindestens eine aktive Administration"));
}
