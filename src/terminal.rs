//! The terminal: capability check, set-up, the one restore used by every exit path, and
//! the panic hook.
//!
//! May use: ratatui. Must not use: `storage`.

pub mod hangup;
pub mod keys;
pub mod lean;
pub mod reader;

use std::io::{IsTerminal, Stdout, Write};

use ratatui::Terminal;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};

/// The session's terminal: ratatui over the byte-saving backend ([`lean::LeanBackend`]).
pub type SessionTerminal = Terminal<lean::LeanBackend<Stdout>>;

/// Why the TUI cannot start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsupported {
    /// Standard input or output is not a terminal.
    NotATerminal,
    /// `TERM` is unset or `dumb`.
    DumbTerminal,
}

/// Checks that a usable terminal is attached (before any escape byte is written).
pub fn check_capabilities() -> Result<(), Unsupported> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(Unsupported::NotATerminal);
    }
    match std::env::var("TERM") {
        Ok(t) if !t.is_empty() && t != "dumb" => Ok(()),
        _ => Err(Unsupported::DumbTerminal),
    }
}

/// Enters raw mode and the alternate screen, with bracketed paste, and installs the panic
/// hook that restores the terminal first.
pub fn init(crash_message: &'static str) -> std::io::Result<SessionTerminal> {
    install_panic_hook(crash_message);
    enable_raw_mode()?;
    execute!(
        std::io::stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste
    )?;
    Terminal::new(lean::LeanBackend::new(std::io::stdout()))
}

/// Hands the terminal back: paste mode off, raw mode off, alternate screen left, cursor
/// shown. Safe to call more than once.
pub fn restore() {
    // The backend leaves its last style set between frames: back to plain first.
    let _ = std::io::stdout().write_all(b"\x1b[0m");
    let _ = execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    let _ = std::io::stdout().flush();
}

fn install_panic_hook(crash_message: &'static str) {
    std::panic::set_hook(Box::new(move |info| {
        restore();
        // The report goes to the log file only; the terminal gets one sentence without
        // personal data.
        tracing::error!(panic = %info, "panic");
        let mut err = std::io::stderr();
        let _ = writeln!(err, "{crash_message}");
    }));
}
