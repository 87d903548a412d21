//! The event loop of one session: wait for input until the next deadline, update the
//! state, draw only when something changed. Sits above `app` (state) and `ui` (drawing),
//! so that neither imports the other's way up (docs/architecture.md § 3).

use std::time::Instant;

use ratatui::crossterm::event::Event;
use ratatui::{Terminal, backend::Backend};

use crate::app::App;
use crate::terminal::keys::Input;
use crate::terminal::reader::Reader;

/// Draws one frame of `app`.
///
/// # Errors
/// When the terminal cannot be written.
pub fn draw<B: Backend>(terminal: &mut Terminal<B>, app: &mut App) -> Result<(), B::Error> {
    terminal.draw(|frame| crate::ui::render(frame, app))?;
    app.drawn();
    Ok(())
}

/// Runs the event loop until the user quits, the session locks or the terminal goes away.
///
/// # Errors
/// When the terminal cannot be read or written (EOF, EIO): the caller saves the drafts and
/// ends as on a hang-up.
pub fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    input: &mut Reader,
) -> std::io::Result<()>
where
    B::Error: Into<std::io::Error>,
{
    draw(terminal, app).map_err(Into::into)?;
    // Debug builds only: lets the end-to-end tests prove that a panic restores the terminal.
    #[cfg(debug_assertions)]
    assert!(
        std::env::var_os("TANDEM_DEBUG_PANIC").is_none(),
        "TANDEM_DEBUG_PANIC"
    );
    while !app.quit {
        // Work left for idle time (a long list's count) is done when typing pauses, and
        // gives way to the next key (docs/performance.md § 2.4).
        let now = Instant::now();
        let mut timeout = app.next_deadline(now);
        if let Some(at) = app.settle_at() {
            timeout = timeout.min(at.saturating_duration_since(now));
        }
        if input.poll(timeout)? {
            match input.take() {
                Some(Input::Event(ev)) => {
                    app.handle_event(&ev);
                    if matches!(ev, Event::Resize(..)) {
                        terminal.autoresize().map_err(Into::into)?;
                    }
                }
                Some(Input::PasteTooLong { bytes }) => app.paste_too_long(bytes),
                None => {}
            }
        } else if app.settle_at().is_some_and(|at| Instant::now() >= at) {
            app.settle(crate::terminal::reader::input_waiting);
        }
        app.on_tick(Instant::now());
        if app.needs_redraw && !app.quit {
            draw(terminal, app).map_err(Into::into)?;
        }
    }
    Ok(())
}
