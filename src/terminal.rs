//! The terminal: capability check, set-up, the one restore used by every exit path, and
//! the panic hook.
//!
//! May use: ratatui. Must not use: `storage`.

pub mod hangup;

use std::io::{IsTerminal, Write};

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;

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
pub fn init(crash_message: &'static str) -> std::io::Result<DefaultTerminal> {
    install_panic_hook(crash_message);
    let terminal = ratatui::try_init()?;
    execute!(std::io::stdout(), EnableBracketedPaste)?;
    Ok(terminal)
}

/// Hands the terminal back: paste mode off, raw mode off, alternate screen left, cursor
/// shown. Safe to call more than once.
pub fn restore() {
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
