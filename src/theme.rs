//! Named styles. Only the 16 basic colours are used (safe on TERM=linux and vt100); with no
//! colour, selection and focus stay visible through reverse video, bold and a marker column.

use ratatui::style::{Color, Modifier, Style};

/// The style set of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Whether colours may be used.
    pub color: bool,
    /// Low-bandwidth mode (`--low-bandwidth`, `low-bandwidth = true`, the SSH request
    /// `low-bandwidth`): a list's selection is the marker column alone, so that moving it
    /// rewrites two cells (docs/performance.md § 4).
    pub low_bandwidth: bool,
    /// Accessible mode (`--accessible`, `accessible = true`, the SSH request `accessible`;
    /// docs/accessibility.md): no colour, no box drawing, the terminal cursor on the
    /// focused row or field so that a screen reader or braille display follows it.
    pub accessible: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set (non-empty), the configuration switches it off, or
    /// the terminal is a Linux console or VT, which get bold and reverse video only (the
    /// stock backend wrote the 16 named colours as 256-colour sequences those terminals do
    /// not understand; Tandem's backend writes classic codes, docs/performance.md § 4, but
    /// the plain look there is kept).
    pub fn from_env(no_color_config: bool, low_bandwidth: bool) -> Theme {
        let env_no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let term = std::env::var("TERM").unwrap_or_default();
        let basic_terminal = term == "linux" || term.starts_with("vt");
        Theme {
            color: !(no_color_config || env_no_color || basic_terminal),
            low_bandwidth,
            accessible: false,
        }
    }

    /// The same theme in accessible mode (no colour) when `on`.
    #[must_use]
    pub fn accessible(self, on: bool) -> Theme {
        if on {
            Theme {
                color: false,
                accessible: true,
                ..self
            }
        } else {
            self
        }
    }

    /// The separator between tabs: a line, or in accessible mode a dot of the same width.
    pub fn separator(self) -> &'static str {
        if self.accessible { "·" } else { "│" }
    }

    /// The borders of a box: `wanted`, or none in accessible mode, where box drawing would
    /// be read aloud as noise (docs/accessibility.md).
    pub fn borders(self, wanted: ratatui::widgets::Borders) -> ratatui::widgets::Borders {
        if self.accessible {
            ratatui::widgets::Borders::NONE
        } else {
            wanted
        }
    }

    /// A theme without colour (tests, NO_COLOR).
    pub fn plain() -> Theme {
        Theme {
            color: false,
            low_bandwidth: false,
            accessible: false,
        }
    }

    fn pick(self, colored: Style, plain: Style) -> Style {
        if self.color { colored } else { plain }
    }

    /// The name in the selected row of the case list: beside the marker column, bold (and
    /// in colour, white on blue) on the name alone, so that a movement rewrites two names
    /// rather than two whole rows; nothing in low-bandwidth mode (docs/performance.md § 4).
    pub fn selected_name(self) -> Style {
        if self.low_bandwidth {
            return Style::new();
        }
        self.pick(
            Style::new()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    }

    /// The selected row of a list.
    pub fn selected(self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }

    /// The active tab.
    pub fn tab_active(self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }

    /// Inactive tabs and the top bar.
    pub fn bar(self) -> Style {
        Style::new()
    }

    /// Column headers and section titles.
    pub fn header(self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    }

    /// Field labels.
    pub fn label(self) -> Style {
        self.pick(Style::new().fg(Color::Gray), Style::new())
    }

    /// The focused field's label.
    pub fn focus(self) -> Style {
        self.pick(
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
        )
    }

    /// Error messages.
    pub fn error(self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::LightRed)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// Informational messages.
    pub fn info(self) -> Style {
        self.pick(Style::new().fg(Color::Green), Style::new())
    }

    /// Key names in hints.
    pub fn key(self) -> Style {
        self.pick(
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// Less important text.
    pub fn dim(self) -> Style {
        self.pick(Style::new().fg(Color::DarkGray), Style::new())
    }

    /// The cursor inside text fields.
    pub fn cursor(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
}
