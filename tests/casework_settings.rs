//! The site's switches of issue #17 (docs/casework.md §§ 4–7): conference settings from the
//! configuration (the calendar UID host, working hours per Stelle), the lead's signature on
//! content feedback, referral drafts that never expire but alert after 30 days, and the
//! conference deadlines of docs/domain.md 4.2 in a conference's detail (whether one has
//! passed is decided in `domain::conference::deadlines`, tested there).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use chrono::{Duration, NaiveTime};
use support::{app_on, demo_store, keys, screen, today};
use tandem::config::Config;
use tandem::domain::{Agency, Clock};
use tandem::model::draft::Draft;
use tandem::strings::Lang;

#[test]
fn conference_settings_are_read_checked_and_combined_per_stelle() {
    let c = Config::from_toml(
        "[conferences]\nuid-host = \"tandem.kreis-re.example\"\n\
         [conferences.working-hours]\n\
         jobcenter = [\"07:30-16:00\", \"07:30-16:00\", \"07:30-16:00\", \"07:30-18:00\", \"07:30-12:00\", \"\", \"\"]\n\
         jugendamt = [\"08:30-15:30\", \"08:30-15:30\", \"\", \"08:30-15:30\", \"08:30-13:00\", \"\", \"\"]\n",
        "t.toml",
    )
    .unwrap();
    assert_eq!(c.conferences.uid_host, "tandem.kreis-re.example");
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let jc = c.conferences.hours(Agency::Jobcenter).unwrap();
    assert_eq!(jc.days[3], Some((t(7, 30), t(18, 0))));
    // Both Stellen: the later opening and the earlier closing; a day one of them is
    // closed has no hours.
    let both = c
        .conferences
        .hours_for(&[Agency::Jobcenter, Agency::Jugendamt]);
    assert_eq!(both.days[0], Some((t(8, 30), t(15, 30))));
    assert_eq!(both.days[2], None);
    assert_eq!(both.days[4], Some((t(8, 30), t(12, 0))));
    // Unreadable entries are refused with the place, never the content.
    for bad in [
        "[conferences.working-hours]\njobcenter = [\"8-16\", \"\", \"\", \"\", \"\", \"\", \"\"]\n",
        "[conferences.working-hours]\njobcenter = [\"08:00-16:00\"]\n",
        "[conferences.working-hours]\nschule = [\"\", \"\", \"\", \"\", \"\", \"\", \"\"]\n",
        "[conferences]\nuid-host = \"a@b\"\n",
    ] {
        let e = Config::from_toml(bad, "t.toml").unwrap_err();
        assert!(e.position.is_some(), "{bad}: {e:?}");
    }
    // Defaults: the office week of the schedule, the demo host.
    let d = Config::default();
    assert_eq!(d.conferences.uid_host, tandem::cli::UID_HOST);
}

#[test]
fn the_calendar_file_carries_the_configured_uid_host() {
    let store = demo_store();
    let me = store.staff_by_login("brinkmann").unwrap().unwrap();
    let now = tandem::domain::tz::from_local(today().and_hms_opt(10, 0, 0).unwrap());
    let ics = tandem::export::conferences_ics(
        &store,
        &me,
        tandem::export::Selection::Feed {
            from: today() - Duration::days(30),
            to: today() + Duration::days(90),
        },
        now,
        "tandem.kreis-re.example",
    )
    .unwrap()
    .text;
    let uids: Vec<&str> = ics.lines().filter(|l| l.starts_with("UID:")).collect();
    assert!(!uids.is_empty());
    assert!(
        uids.iter().all(|u| u.ends_with("@tandem.kreis-re.example")),
        "{uids:?}"
    );
}

#[test]
fn the_content_feedback_needs_the_lead_only_while_the_switch_is_on() {
    let store = demo_store();
    assert!(store.feedback_lead_signs(), "on by default");
    store.set_feedback_lead_signs(false).unwrap();
    assert!(!store.feedback_lead_signs());
    let mut app = app_on(store, "tueshaus", Lang::De);
    // The app's settings turn it on again (the configuration's default).
    app.set_cp_settings(tandem::app::screens::cp::CpSettings::default());
    assert!(app.store().feedback_lead_signs());
    keys(&mut app, "<f4>");
}

#[test]
fn a_referral_draft_never_expires_and_alerts_after_thirty_days() {
    let mut store = demo_store();
    let me = store.staff_by_login("brinkmann").unwrap().unwrap();
    let mut values = std::collections::BTreeMap::new();
    values.insert(
        "facts".to_string(),
        "Kind weint oft allein im Flur.".to_string(),
    );
    store
        .save_draft(
            &tandem::model::draft::SessionId::none(),
            &Draft::new(
                me.id,
                tandem::model::draft::REFERRAL_DRAFT,
                0,
                values.clone(),
            ),
        )
        .unwrap();
    values.insert("surname".to_string(), "Test".to_string());
    store
        .save_draft(
            &tandem::model::draft::SessionId::none(),
            &Draft::new(me.id, "note", 1, values),
        )
        .unwrap();
    // 31 days later: the note's draft expired, the referral's is kept and alerts.
    store.set_clock(Clock::fixed_local(
        (today() + Duration::days(31))
            .and_hms_opt(10, 0, 0)
            .unwrap(),
    ));
    let mut app = app_on(store, "brinkmann", Lang::De);
    let said = app.status.clone().map(|m| m.text).unwrap_or_default();
    assert!(
        said.contains("Entwurf einer Kinderschutz-Mitteilung ist seit 31 Tagen unberührt"),
        "{said}"
    );
    while app.top_layer() == Some("question") {
        keys(&mut app, "n");
    }
    let me = app.me.clone();
    let store = app.into_store();
    let left: Vec<String> = store
        .drafts_offered(&me)
        .unwrap()
        .into_iter()
        .map(|(_, d)| d.form)
        .collect();
    assert!(left.contains(&"referral".to_string()), "{left:?}");
    assert!(!left.contains(&"note".to_string()), "{left:?}");
}

#[test]
fn a_conference_shows_its_deadlines_in_its_detail() {
    let mut app = app_on(demo_store(), "brinkmann", Lang::De);
    while app.top_layer() == Some("question") {
        keys(&mut app, "n");
    }
    keys(&mut app, "<f3>");
    // The first conference of the agenda that is planned but not yet invited, or held.
    let ids: Vec<i64> = app.conf.rows.iter().map(|r| r.id).collect();
    let mut seen = String::new();
    for id in ids {
        app.open_conference(id);
        let text = screen(&mut app, 80, 24);
        if text.contains("Einladen bis") || text.contains("Freigabe des Protokolls bis") {
            seen = text;
            break;
        }
    }
    assert!(
        !seen.is_empty(),
        "no conference with a deadline in the demo"
    );
    insta::assert_snapshot!("conference_deadlines_80x24", seen);
    insta::assert_snapshot!("conference_deadlines_60x15", screen(&mut app, 60, 15));
}
