//! What the process does for itself before anything else (docs/data-exits.md § 3): every
//! session of every staff member runs under the one service account, so a session must
//! keep its memory and its files from the others.
//!
//! May use: std, rustix. Used by: cli (first thing in `run`).

use rustix::process::{self, DumpableBehavior, Resource, Rlimit};

/// Protects the running process; returns what could not be done (each a short English
/// phrase for the log), so that the caller logs it once logging is set up. Tested on
/// running sessions: `tests/ssh.rs` (core size 0 in the service account) and
/// `tests/leaving.rs` (core size 0, environment unreadable by another process of the
/// account).
///
/// - umask 077: whatever Tandem or SQLite creates (a journal, a log) is the account's
///   alone; the files Tandem writes set their mode explicitly besides.
/// - a core file size of 0, soft and hard: a crash leaves no image of a session's memory
///   (decrypted pages, typed text) on disk.
/// - not dumpable: another process of the same account can neither attach to this one
///   nor read its `/proc/PID/environ`, `mem` or `maps` (the kernel then gives those files
///   to root), and no core is written even where the limit is raised again.
pub fn protect_process() -> Vec<&'static str> {
    let mut failed = Vec::new();
    process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    let none = Rlimit {
        current: Some(0),
        maximum: Some(0),
    };
    if process::setrlimit(Resource::Core, none).is_err() {
        failed.push("core file size not set to 0");
    }
    if process::set_dumpable_behavior(DumpableBehavior::NotDumpable).is_err() {
        failed.push("process not made non-dumpable");
    }
    failed
}
