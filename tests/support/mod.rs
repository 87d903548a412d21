//! Shared test helpers: an app on an in-memory demo database with a fixed clock (the store's
//! and the app's agree: 10:00 Berlin time on [`today`]), key sequences in text form, and
//! rendering into a string.
#![allow(dead_code, reason = "each test binary uses a different part")]
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyEvent;
use tandem::app::App;
use tandem::domain::Clock;
use tandem::keymap::{Key, Keymap};
use tandem::storage::Store;
use tandem::strings::{Lang, Strings};
use tandem::theme::Theme;

/// The fixed "today" of all tests.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

/// The clock of every test: 10:00 Berlin time on [`today`], standing still until a test
/// moves it (clones share the instant).
pub fn test_clock() -> Clock {
    Clock::fixed_local(today().and_hms_opt(10, 0, 0).unwrap())
}

/// An empty migrated in-memory store on [`test_clock`].
pub fn test_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(test_clock());
    store
}

/// An in-memory store on [`test_clock`] filled with the demo data of [`today`].
pub fn demo_store() -> Store {
    let store = test_store();
    tandem::demo::write(&store, &tandem::demo::demo_data(today())).unwrap();
    store
}

/// An app for `login` on `store`, German, without colour, 80×24. A store still on the
/// system clock is put on [`test_clock`], so that the app's and the store's "now" agree; a
/// store on a fixed clock keeps it (a test may have moved it).
pub fn app_on(mut store: Store, login: &str, lang: Lang) -> App {
    if !store.clock().is_fixed() {
        store.set_clock(test_clock());
    }
    let me = store.staff_by_login(login).unwrap().expect("login exists");
    App::new(
        store,
        me,
        Strings::get(lang),
        Keymap::default_keymap(),
        Theme::plain(),
        (80, 24),
        tandem::app::Timing::default(),
    )
}

/// The demo app for `login`.
pub fn test_app(login: &str) -> App {
    app_on(demo_store(), login, Lang::De)
}

/// Sends keys written as text: tokens separated by spaces; `<name>` is a named key in
/// keymap notation (`<enter>`, `<esc>`, `<ctrl-s>`, `<f2>`, `<space>`), any other token is
/// typed character by character.
pub fn keys(app: &mut App, seq: &str) {
    for token in seq.split(' ').filter(|t| !t.is_empty()) {
        if token.len() > 2 && token.starts_with('<') && token.ends_with('>') {
            let key =
                Key::parse(&token[1..token.len() - 1]).unwrap_or_else(|e| panic!("bad key {e}"));
            app.handle_key(KeyEvent::new(key.code, key.mods));
        } else {
            for c in token.chars() {
                let key = Key::parse(&c.to_string()).unwrap();
                app.handle_key(KeyEvent::new(key.code, key.mods));
            }
        }
    }
}

/// Renders the app at `w`×`h` and returns the screen as text, one line per row.
pub fn screen(app: &mut App, w: u16, h: u16) -> String {
    if app.size != (w, h) {
        app.resize(w, h);
    }
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| tandem::ui::render(f, app)).unwrap();
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Names of the cases currently in the list window.
pub fn names(app: &App) -> Vec<String> {
    app.cases
        .list
        .rows
        .iter()
        .map(|r| r.name.clone().unwrap_or_default())
        .collect()
}

/// A copy of `case` as a person of `agency` may create it (docs/access.md A7): owned by
/// that agency, the other agency's numbers empty, the Fallführung its own.
pub fn creatable(
    case: &tandem::domain::CoopCase,
    agency: tandem::domain::Agency,
) -> tandem::domain::CoopCase {
    use tandem::domain::Agency;
    let mut out = case.clone();
    out.owner = agency;
    out.lead = agency;
    match agency {
        Agency::Jobcenter => out.person.ja_file_no.clear(),
        Agency::Jugendamt => {
            out.person.jc_customer_no.clear();
            out.person.bg_no.clear();
        }
    }
    out
}

/// Records an absence of `id` around today — the day of the store's clock and the tests'
/// fixed [`today`], one and the same on [`test_clock`] (a store opened without it runs on
/// the real time) — so that their deputy stands in (docs/access.md A2).
pub fn away_today(store: &Store, id: tandem::domain::StaffId) {
    let store_day = store.clock().today();
    store
        .add_absence(
            id,
            today().min(store_day) - chrono::Duration::days(1),
            today().max(store_day) + chrono::Duration::days(1),
        )
        .unwrap();
}

/// A referral that passes the form's checks except the phone call ahead (set
/// `phoned_ahead` for an akut one where a test needs it): one child "Paula Testkind",
/// facts, one prior step answered, receipt and feedback requested.
pub fn referral_input(
    urgency: tandem::domain::referral::Urgency,
) -> tandem::domain::referral::ReferralInput {
    use tandem::domain::referral::{
        LegalBasis, PriorStep, ReferralChild, ReferralInput, SecrecyHolder, StepAnswer,
    };
    // An acute referral is sent only after the phone call (the store refuses it otherwise).
    let phoned_ahead = (urgency == tandem::domain::referral::Urgency::Acute).then(|| {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
            .and_then(|d| d.and_hms_opt(9, 50, 0))
            .expect("valid time");
        (at, "Frau Straeter".to_string())
    });
    ReferralInput {
        urgency,
        phoned_ahead,
        reporter_phone: "02366 0300 99".into(),
        reachable_until: "16:00".into(),
        secrecy_holder: SecrecyHolder::No,
        legal_basis: LegalBasis::Sgbx69,
        case_id: None,
        children: vec![ReferralChild {
            surname: "Testkind".into(),
            given_names: "Paula".into(),
            birth_date: None,
            whereabouts: "Kita".into(),
            custody: String::new(),
        }],
        household: String::new(),
        observed_on: None,
        facts: "Beobachtung".into(),
        verbatim: String::new(),
        assessment: String::new(),
        indicators: Vec::new(),
        steps: vec![(
            PriorStep::ParentsInformed,
            StepAnswer::No("Gefährdung".into()),
        )],
        immediate_actions: String::new(),
        wants_receipt: true,
        wants_feedback: true,
    }
}

/// Makes `program` available (it answers `probe` with success), installing the Debian
/// `package` with apt-get if needed, so that the README's `cargo test` passes on a fresh
/// machine; panics when that fails (never a silent skip). Call it once per test binary.
pub fn ensure_program(program: &str, probe: &str, package: &str) {
    use std::process::Command;
    let present = || {
        Command::new(program)
            .arg(probe)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if present() {
        return;
    }
    // Root on the project's machines; `apt-get update` first, as the package lists of a
    // fresh machine may be empty.
    let _ = Command::new("apt-get").args(["update", "-qq"]).status();
    let _ = Command::new("apt-get")
        .args(["install", "-y", "-qq", package])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status();
    assert!(
        present(),
        "{program} is missing and `apt-get install -y {package}` failed"
    );
}

/// The pid of a running `tandem` whose command line names `db` (found through /proc, as
/// it may be a grandchild: of sshd, of tmux, of a shell).
pub fn tandem_pid(db: &std::path::Path) -> Option<u32> {
    let needle = db.to_string_lossy().to_string();
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let pid = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            let args: Vec<String> = cmdline
                .split(|b| *b == 0)
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect();
            (args.first().is_some_and(|a| a.ends_with("/tandem")) && args.contains(&needle))
                .then_some(pid)
        })
}
