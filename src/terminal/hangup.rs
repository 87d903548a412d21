//! Hang-up handling. When the SSH link dies, crossterm's reader never reports it and spins
//! at 100 % CPU (docs/architecture.md § 6), and a handler that only sets a flag never gets its check
//! run. So two threads watch instead: one waits for SIGHUP, SIGTERM, SIGINT and SIGQUIT, the
//! other polls standard input for POLLHUP/POLLERR/POLLNVAL every 100 ms without reading (it
//! catches the hang-up when no signal comes, e.g. under a shell that ignores SIGHUP). Both
//! call one shutdown, guarded to run once: save the drafts (a closure from `app`, so this
//! module knows no storage), try to restore the terminal, exit.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rustix::event::{PollFd, PollFlags, Timespec, poll};
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::Signals;

/// How often the watchdog looks at standard input.
const WATCH_INTERVAL: Duration = Duration::from_millis(100);

static SHUTTING_DOWN: AtomicBool = AtomicBool::new(false);

/// Starts the signal thread and the watchdog. `save` writes the open drafts; it runs at
/// most once, on whichever thread notices the hang-up first.
pub fn install(save: Arc<dyn Fn() + Send + Sync>) -> std::io::Result<()> {
    let mut signals = Signals::new([SIGHUP, SIGTERM, SIGINT, SIGQUIT])?;
    let on_signal = Arc::clone(&save);
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                tracing::info!(signal = sig, "signal, ending session");
                shutdown(&*on_signal, 128 + sig);
            }
        })?;
    std::thread::Builder::new()
        .name("hangup-watchdog".into())
        .spawn(move || {
            loop {
                std::thread::sleep(WATCH_INTERVAL);
                if stdin_hung_up() {
                    tracing::info!("terminal hung up, ending session");
                    shutdown(&*save, 128 + SIGHUP);
                }
            }
        })?;
    Ok(())
}

/// Whether standard input reports a hang-up or error (checked without reading).
pub fn stdin_hung_up() -> bool {
    let stdin = std::io::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let zero = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    match poll(&mut fds, Some(&zero)) {
        Ok(_) => fds[0]
            .revents()
            .intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL),
        Err(_) => true,
    }
}

/// Ends the session as on a hang-up when the main loop finds the terminal gone (end of
/// input, EIO): the watchers' path, run once whichever thread comes first, so the drafts
/// are saved and the logout is logged before the process exits.
pub fn end_as_hang_up(save: &(dyn Fn() + Send + Sync)) -> ! {
    tracing::info!("terminal gone, ending session");
    shutdown(save, 128 + SIGHUP)
}

/// Saves, restores and exits; a second caller waits for the first to finish the exit.
fn shutdown(save: &(dyn Fn() + Send + Sync), code: i32) -> ! {
    if SHUTTING_DOWN.swap(true, Ordering::SeqCst) {
        loop {
            std::thread::sleep(Duration::from_secs(1));
        }
    }
    save();
    // Writing to a dead terminal can block when its buffer is full: restore on a helper
    // thread and give it a moment, never more.
    let _ = std::thread::Builder::new().spawn(super::restore);
    std::thread::sleep(Duration::from_millis(100));
    std::process::exit(code);
}

/// Whether a shutdown is under way (the main loop then stops touching the terminal).
pub fn shutting_down() -> bool {
    SHUTTING_DOWN.load(Ordering::SeqCst)
}
