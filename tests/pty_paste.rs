//! Issue #21 part 3, bounded input, through the real binary in an 80×24 pseudo-terminal:
//! the field shows its limit, a paste over it is refused whole with a German message, a
//! 50 MB paste is dropped as it arrives (the process stays under 64 MB), typing stops at
//! the limit, and no draft holds more than the field takes (docs/data-exits.md § 3).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

#[path = "support/pty.rs"]
mod pty_support;

use std::path::Path;
use std::time::{Duration, Instant};

use pty_support::{Session, TestDir, demo_db, path_arg};
use tandem::model::draft::Draft;
use tandem::storage::{OpenMode, Store};

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// The start and end of a bracketed paste.
const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

/// The case drafts of `user`, as stored.
fn case_drafts(db: &Path, user: &str) -> Vec<Draft> {
    let store = Store::open(db, OpenMode::Existing).unwrap();
    let me = store.staff_by_login(user).unwrap().unwrap();
    let mut d = store.drafts_for(me.id).unwrap();
    d.retain(|d| d.form == "case");
    d
}

/// Waits until the stored case draft holds a typed value (one that differs from the
/// stored record) satisfying `pred`; returns it.
fn wait_typed(db: &Path, user: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + secs(15);
    loop {
        let drafts = case_drafts(db, user);
        let typed = drafts.iter().find_map(|d| {
            d.values
                .iter()
                .filter(|(k, v)| !k.starts_with('_') && d.base_values.get(*k) != Some(*v))
                .map(|(_, v)| v)
                .find(|v| pred(v))
        });
        if let Some(v) = typed {
            return v.clone();
        }
        assert!(Instant::now() < deadline, "{what}: {drafts:#?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The peak resident memory of process `pid` in kB (`VmHWM`).
fn peak_rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status")
}

fn paste(s: &mut Session, text: &[u8]) {
    let mut bytes = PASTE_START.to_vec();
    bytes.extend_from_slice(text);
    bytes.extend_from_slice(PASTE_END);
    s.send(&bytes);
}

#[test]
#[allow(
    clippy::print_stderr,
    reason = "the peak memory of the run is part of the report"
)]
fn a_field_takes_no_more_than_its_limit_and_a_50_mb_paste_is_refused_in_bounded_memory() {
    let dir = TestDir::new();
    let db = demo_db(&dir);
    let mut s = Session::spawn(&["--db", &path_arg(&db), "--user", "brinkmann"], &dir.env());
    s.wait_for("Fall 1 von", secs(15));
    s.send(b"e");
    s.wait_for("Fall bearbeiten: ", secs(5));
    // The first field that takes text has the focus; its limit stands beside it.
    let screen = s.wait_until("the field's counter", secs(5), |sc| sc.contains("/100"));
    let before = case_drafts(&db, "brinkmann");
    assert!(before.is_empty(), "no draft yet: {before:#?}");
    let used: usize = screen
        .lines()
        .find_map(|l| {
            l.split_whitespace()
                .find_map(|w| w.strip_suffix("/100").and_then(|n| n.parse().ok()))
        })
        .expect("the counter");

    // A paste that fits goes in.
    paste(&mut s, b"Qp");
    s.wait_for(&format!("{}/100", used + 2), secs(5));

    // A paste over the field's limit: refused whole, with the numbers.
    paste(&mut s, "ü".repeat(150).as_bytes());
    s.wait_for("Einfügen abgelehnt: 150 Zeichen passen nicht", secs(5));
    let screen = s.screen();
    assert!(
        screen.contains(&format!("{}/100", used + 2)),
        "{}",
        s.dump()
    );
    assert!(!screen.contains("üüü"), "nothing inserted\n{}", s.dump());

    // 50 MB in one paste, lines of text as a careless copy would bring.
    let line = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\r\n";
    let total = 50 * 1024 * 1024;
    let mut big = Vec::with_capacity(total);
    while big.len() < total {
        let n = line.len().min(total - big.len());
        big.extend_from_slice(&line[..n]);
    }
    s.send(PASTE_START);
    for chunk in big.chunks(64 * 1024) {
        s.send(chunk);
    }
    s.send(PASTE_END);
    drop(big);
    s.wait_until("the refusal of the 50 MB paste", secs(60), |sc| {
        sc.contains("Einfügen abgelehnt") && sc.contains("50,0 MB")
    });
    let peak = peak_rss_kb(s.pid());
    eprintln!("peak RSS after the 50 MB paste: {peak} kB");
    assert!(peak < 64 * 1024, "peak RSS {peak} kB after a 50 MB paste");
    assert!(
        s.screen().contains(&format!("{}/100", used + 2)),
        "the field is unchanged\n{}",
        s.dump()
    );

    // Typing goes on as before, and the draft holds what was typed.
    s.send(b"Z");
    s.wait_for(&format!("{}/100", used + 3), secs(5));
    s.send(b"\t");
    let typed = wait_typed(&db, "brinkmann", "the typed value", |v| v.ends_with("QpZ"));
    assert_eq!(typed.chars().count(), used + 3);

    // Typing stops at the limit: the rest of a long burst is refused with a message.
    s.send(b"\x1b[Z");
    s.wait_for(&format!("{}/100", used + 3), secs(5));
    s.send("k".repeat(150).as_bytes());
    s.wait_for("Das Feld ist voll: höchstens 100 Zeichen", secs(10));
    s.wait_for("100/100", secs(5));
    s.send(b"\t");
    let full = wait_typed(&db, "brinkmann", "the full value", |v| {
        v.chars().count() == 100
    });
    assert!(full.ends_with("kkk"), "{full}");
    for d in case_drafts(&db, "brinkmann") {
        for (k, v) in &d.values {
            assert!(
                v.chars().count() <= tandem::domain::text::FieldLimits::DEFAULT.text,
                "draft value {k} holds {} characters",
                v.chars().count()
            );
        }
    }
}
