//! Screens that later versions fill: one German line until then.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::{App, Screen};

/// ```text
/// Konferenzen: Dieser Bereich wird in einer der nächsten Versionen freigeschaltet.
/// ```
pub fn render(frame: &mut Frame<'_>, app: &App, screen: Screen, area: Rect) {
    let title = screen.title(app.strings);
    let text = (app.strings.placeholder)(title);
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}
