//! Hang-up tests: the real binary on a pseudo-terminal whose master side is closed while a
//! form holds typed text, as a dropped SSH link does. In three start modes (directly as
//! session leader, under a shell that ignores SIGHUP, through a wrapper script without
//! exec), and for SIGTERM: the process ends within 2 s, burns under 0.2 s CPU after the
//! close, and the next login finds the complete draft — including the keys typed after the
//! last autosave, which only the hang-up path can have written.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "tests fail loudly and print their figures"
)]

mod support;

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rustix::fs::{Mode, OFlags};
use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use tandem::storage::{OpenMode, Store};

/// How the binary is started on the terminal.
#[derive(Debug, Clone, Copy)]
enum Mode3 {
    /// `setsid -c tandem …`: tandem is the session leader.
    Direct,
    /// `setsid -c sh -c 'trap "" HUP; tandem …; true'`: a shell that ignores SIGHUP.
    HupIgnoringShell,
    /// `setsid -c sh -c 'tandem …; echo done'`: a wrapper script without exec.
    Wrapper,
}

struct Terminal {
    master: Option<File>,
    screen: vt100::Parser,
}

impl Terminal {
    fn open() -> (Terminal, OwnedFd) {
        let master =
            openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).unwrap();
        grantpt(&master).unwrap();
        unlockpt(&master).unwrap();
        let name = ptsname(&master, Vec::new()).unwrap();
        let slave = rustix::fs::open(
            name.as_c_str(),
            OFlags::RDWR | OFlags::NOCTTY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .unwrap();
        let mut ws = rustix::termios::tcgetwinsize(&slave).unwrap();
        ws.ws_row = 24;
        ws.ws_col = 80;
        rustix::termios::tcsetwinsize(&slave, ws).unwrap();
        let flags = rustix::fs::fcntl_getfl(&master).unwrap();
        rustix::fs::fcntl_setfl(&master, flags | OFlags::NONBLOCK).unwrap();
        let term = Terminal {
            master: Some(File::from(master)),
            screen: vt100::Parser::new(
                std::num::NonZeroU16::new(24).unwrap(),
                std::num::NonZeroU16::new(80).unwrap(),
                0,
            ),
        };
        (term, slave)
    }

    /// Reads what is there without blocking.
    fn pump(&mut self) {
        let Some(master) = self.master.as_mut() else {
            return;
        };
        let mut buf = [0u8; 8192];
        for _ in 0..64 {
            match master.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => self.screen.process(&buf[..n]),
            }
        }
    }

    fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            self.pump();
            if self.screen.screen().contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "{text:?} never appeared:\n{}",
            self.screen.screen().contents()
        );
    }

    fn send(&mut self, bytes: &[u8]) {
        let master = self.master.as_mut().unwrap();
        master.write_all(bytes).unwrap();
        std::thread::sleep(Duration::from_millis(30));
        self.pump();
    }

    /// Closes the master side: the link is gone.
    fn hang_up(&mut self) {
        self.master = None;
    }
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tandem")
}

fn demo_db(dir: &Path) -> PathBuf {
    let path = dir.join("t.db");
    let store = Store::open(&path, OpenMode::CreateOrMigrate).unwrap();
    tandem::demo::write(&store, &tandem::demo::demo_data(support::today())).unwrap();
    path
}

/// User plus system CPU time of `pid` in seconds, None once it is gone.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name in parentheses; utime and stime are fields 14 and 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    if fields.first() == Some(&"Z") {
        return None;
    }
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Starts tandem in `mode`, types a new case into the form, ends the link with `end`, and
/// returns (seconds until it was gone, CPU seconds used after the end).
fn type_then_end(mode: Mode3, end: &str) -> (tempfile::TempDir, PathBuf, f64, f64) {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let (mut term, slave) = Terminal::open();
    let tandem = format!("{} --db '{}' --user brinkmann", bin(), db.display());
    let mut cmd = Command::new("setsid");
    cmd.arg("-c");
    match mode {
        Mode3::Direct => {
            cmd.args([bin(), "--db", db.to_str().unwrap(), "--user", "brinkmann"]);
        }
        Mode3::HupIgnoringShell => {
            cmd.args(["sh", "-c", &format!("trap '' HUP; {tandem}; true")]);
        }
        Mode3::Wrapper => {
            cmd.args(["sh", "-c", &format!("{tandem}; echo done")]);
        }
    }
    let stdin = File::from(slave);
    let stdout = stdin.try_clone().unwrap();
    let stderr = stdin.try_clone().unwrap();
    cmd.env_clear()
        .env("TERM", "xterm-256color")
        .env("HOME", dir.path())
        .env("TANDEM_DATA", dir.path())
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .stdin(Stdio::from(stdin))
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::from(stderr));
    let mut child = cmd.spawn().unwrap();
    drop(cmd); // our copies of the slave side must not keep the terminal alive

    term.wait_for("Fall 1 von");
    term.send(b"n");
    term.wait_for("Neuer Fall");
    term.send("Hängepartie".as_bytes());
    term.send(b"\t");
    // Typed after the last field change: only the hang-up path can save these letters.
    term.send(b"Lina");
    term.wait_for("Lina");
    // Let the loop settle into its wait, so the end hits a polling process.
    std::thread::sleep(Duration::from_millis(500));
    term.pump();

    let pid = support::tandem_pid(&db).expect("tandem is running");
    let cpu_before = cpu_seconds(pid).unwrap();
    let t0 = Instant::now();
    let mut last_cpu = cpu_before;
    match end {
        "hangup" => term.hang_up(),
        "sigterm" => {
            rustix::process::kill_process(
                rustix::process::Pid::from_raw(i32::try_from(pid).unwrap()).unwrap(),
                rustix::process::Signal::TERM,
            )
            .unwrap();
        }
        other => panic!("unknown end {other}"),
    }
    let mut gone_after = None;
    while t0.elapsed() < Duration::from_secs(5) {
        let Some(cpu) = cpu_seconds(pid) else {
            gone_after = Some(t0.elapsed().as_secs_f64());
            break;
        };
        last_cpu = cpu;
        let _ = child.try_wait();
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
    let gone = gone_after.unwrap_or_else(|| {
        let _ = rustix::process::kill_process(
            rustix::process::Pid::from_raw(i32::try_from(pid).unwrap()).unwrap(),
            rustix::process::Signal::KILL,
        );
        panic!(
            "{mode:?}/{end}: tandem still alive 5 s after the end (CPU {:.2} s)",
            last_cpu - cpu_before
        )
    });
    (dir, db, gone, last_cpu - cpu_before)
}

fn assert_draft_complete(db: &Path) {
    let store = Store::open(db, OpenMode::Existing).unwrap();
    let me = store.staff_by_login("brinkmann").unwrap().unwrap();
    let drafts = store.drafts_for(me.id).unwrap();
    assert_eq!(drafts.len(), 1, "{drafts:?}");
    assert_eq!(
        drafts[0].values.get("surname").map(String::as_str),
        Some("Hängepartie")
    );
    assert_eq!(
        drafts[0].values.get("given_names").map(String::as_str),
        Some("Lina")
    );
    // The session's process is gone, so its draft is offered at the next login.
    assert_eq!(store.drafts_offered(&me).unwrap().len(), 1, "offered");
    let other = store.staff_by_login("karaca").unwrap().unwrap();
    assert!(
        store.drafts_for(other.id).unwrap().is_empty(),
        "nobody else's draft"
    );
}

/// The session is in the audit log: the login, then the logout written by the hang-up path.
fn assert_session_logged(db: &Path) {
    let store = Store::open(db, OpenMode::Existing).unwrap();
    let me = store.staff_by_login("brinkmann").unwrap().unwrap();
    let session: Vec<(String, Option<i64>, Option<String>)> = store
        .audit_tail(1000)
        .unwrap()
        .into_iter()
        .filter(|r| r.object_type == "session")
        .map(|r| (r.action, r.staff_id, r.detail))
        .collect();
    assert_eq!(
        session,
        [
            ("login".to_string(), Some(me.id.0), None),
            (
                "logout".to_string(),
                Some(me.id.0),
                Some("hangup".to_string())
            ),
        ]
    );
    assert!(store.verify_audit().unwrap().is_ok());
}

fn check(mode: Mode3, end: &str) {
    let (_dir, db, gone, cpu) = type_then_end(mode, end);
    println!("{mode:?}/{end}: gone after {gone:.3} s, {cpu:.3} s CPU after the end");
    assert!(gone <= 2.0, "{mode:?}/{end}: gone after {gone:.2} s");
    assert!(cpu < 0.2, "{mode:?}/{end}: {cpu:.2} s CPU after the end");
    assert_draft_complete(&db);
    assert_session_logged(&db);
}

#[test]
fn hang_up_as_session_leader() {
    check(Mode3::Direct, "hangup");
}

#[test]
fn hang_up_under_a_shell_that_ignores_sighup() {
    check(Mode3::HupIgnoringShell, "hangup");
}

#[test]
fn hang_up_through_a_wrapper_script() {
    check(Mode3::Wrapper, "hangup");
}

#[test]
fn sigterm_saves_the_draft_too() {
    check(Mode3::Direct, "sigterm");
}

/// The draft written on the hang-up is offered at the next login, complete.
#[test]
fn next_login_offers_the_draft() {
    let (_dir, db, _, _) = type_then_end(Mode3::Direct, "hangup");
    let (mut term, slave) = Terminal::open();
    let stdin = File::from(slave);
    let stdout = stdin.try_clone().unwrap();
    let stderr = stdin.try_clone().unwrap();
    let mut child = Command::new("setsid")
        .args([
            "-c",
            bin(),
            "--db",
            db.to_str().unwrap(),
            "--user",
            "brinkmann",
        ])
        .env_clear()
        .env("TERM", "xterm-256color")
        .env("TANDEM_DATA", db.parent().unwrap())
        .env("HOME", db.parent().unwrap())
        .stdin(Stdio::from(stdin))
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::from(stderr))
        .spawn()
        .unwrap();
    term.wait_for("Hängepartie, Lina");
    term.send(b"j");
    term.wait_for("Neuer Fall (ungespeichert)");
    let screen = term.screen.screen().contents();
    assert!(
        screen.contains("Hängepartie") && screen.contains("Lina"),
        "{screen}"
    );
    term.hang_up();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Spawns tandem for `login` on `db` as session leader of a new terminal.
fn spawn_on(db: &Path, login: &str) -> (Terminal, std::process::Child) {
    let (term, slave) = Terminal::open();
    let stdin = File::from(slave);
    let stdout = stdin.try_clone().unwrap();
    let stderr = stdin.try_clone().unwrap();
    let child = Command::new("setsid")
        .args(["-c", bin(), "--db", db.to_str().unwrap(), "--user", login])
        .env_clear()
        .env("TERM", "xterm-256color")
        .env("TANDEM_DATA", db.parent().unwrap())
        .env("HOME", db.parent().unwrap())
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .stdin(Stdio::from(stdin))
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::from(stderr))
        .spawn()
        .unwrap();
    (term, child)
}

fn end(mut term: Terminal, mut child: std::process::Child) {
    term.hang_up();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A child-protection referral typed on a terminal whose link then drops is offered
/// complete at the next login of the same person, and to nobody else.
#[test]
fn a_referral_survives_a_dropped_link() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let (mut term, child) = spawn_on(&db, "brinkmann");
    term.wait_for("Fall 1 von");
    term.send(b"\x1bOS"); // F4
    term.wait_for("Meine Kinderschutz-Mitteilungen");
    term.send(b"n");
    term.wait_for("an das Jugendamt");
    term.send(b"\x1b[C"); // → akut
    term.wait_for("ZUERST ANRUFEN");
    for (tabs, text) in [
        (1, "22:05"),
        (1, "Frau Hegemann"),
        (1, "02366 0300 41"),
        (6, "Kaya"),
        (1, "Emily"),
        (2, "bei der Mutter"),
        (4, "Mutter betrunken"),
    ] {
        for _ in 0..tabs {
            term.send(b"\t");
        }
        term.send(text.as_bytes());
    }
    term.send(b"\r"); // a new line inside the facts
    term.send("Kinder allein".as_bytes());
    term.wait_for("Kinder allein");
    std::thread::sleep(Duration::from_millis(300));
    term.pump();
    end(term, child);

    let store = Store::open(&db, OpenMode::Existing).unwrap();
    let me = store.staff_by_login("brinkmann").unwrap().unwrap();
    let drafts = store.drafts_for(me.id).unwrap();
    assert_eq!(drafts.len(), 1, "{drafts:?}");
    let v = &drafts[0].values;
    assert_eq!(drafts[0].form, "referral");
    assert_eq!(v.get("urgency").map(String::as_str), Some("akut"));
    assert_eq!(v.get("phoned_at").map(String::as_str), Some("22:05"));
    assert_eq!(
        v.get("phoned_to").map(String::as_str),
        Some("Frau Hegemann")
    );
    assert_eq!(v.get("child.0.surname").map(String::as_str), Some("Kaya"));
    assert_eq!(
        v.get("child.0.given_names").map(String::as_str),
        Some("Emily")
    );
    assert_eq!(
        v.get("child.0.whereabouts").map(String::as_str),
        Some("bei der Mutter")
    );
    assert_eq!(
        v.get("facts").map(String::as_str),
        Some("Mutter betrunken\nKinder allein"),
        "the keys after the last autosave are there too"
    );
    for other in ["karaca", "hegemann", "tueshaus"] {
        let o = store.staff_by_login(other).unwrap().unwrap();
        assert!(
            store.drafts_for(o.id).unwrap().is_empty(),
            "{other} has no draft"
        );
    }
    drop(store);

    // Nobody else is offered anything at login…
    let (mut term, child) = spawn_on(&db, "karaca");
    term.wait_for("Fall 1 von");
    assert!(!term.screen.screen().contents().contains("Entwurf"));
    end(term, child);
    // …the reporter gets the whole form back.
    let (mut term, child) = spawn_on(&db, "brinkmann");
    term.wait_for("Kinderschutz-Mitteilung (Entwurf)");
    term.send(b"j");
    term.wait_for("an das Jugendamt (ungespeichert)");
    term.wait_for("Kinder allein");
    let screen = term.screen.screen().contents();
    assert!(screen.contains("Mutter betrunken"), "{screen}");
    end(term, child);
}
