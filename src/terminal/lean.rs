//! A ratatui backend that sends as few bytes as the screen allows (docs/performance.md § 4).
//!
//! The stock crossterm backend positions the cursor absolutely for every run of changed
//! cells, writes colours as separate sequences and ends every frame by resetting all
//! colours and attributes, and ratatui hides the cursor again on every frame: about
//! 25 bytes even for a frame that moves one marker. This backend keeps the terminal's
//! state instead: the style stays set between frames and changes by one combined SGR
//! sequence, a gap on the same line is skipped with a relative move, the cursor is hidden
//! or shown only when that changes, and a frame without a change writes nothing.
//!
//! Colours are written as the classic SGR codes (30–37, 90–97 and their backgrounds) for
//! the 16 named colours, which every terminal, the Linux console included, understands.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr as _;

/// The style the terminal currently draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

impl Pen {
    const PLAIN: Pen = Pen {
        fg: Color::Reset,
        bg: Color::Reset,
        modifier: Modifier::empty(),
    };
}

/// The backend; `W` is the terminal (stdout) or, in tests, a byte buffer. A frame is
/// collected and written with one `write` at the flush that ends it: one packet on an SSH
/// link rather than one per 1 KiB, and nothing half-written is left behind by a panic.
#[derive(Debug)]
pub struct LeanBackend<W: Write> {
    out: W,
    /// The frame being drawn.
    buf: Vec<u8>,
    /// The terminal's pen; `None` when not known (at start, after a foreign write).
    pen: Option<Pen>,
    /// Where the terminal's cursor is, when known.
    cursor: Option<Position>,
    /// Whether the cursor is shown, when known.
    visible: Option<bool>,
}

impl<W: Write> LeanBackend<W> {
    /// A backend writing to `out`, knowing nothing of the terminal's state yet.
    pub fn new(out: W) -> Self {
        LeanBackend {
            out,
            buf: Vec::with_capacity(8 * 1024),
            pen: None,
            cursor: None,
            visible: None,
        }
    }

    /// The writer (the test reads the bytes).
    pub fn writer(&self) -> &W {
        &self.out
    }

    fn move_to(&mut self, x: u16, y: u16) -> io::Result<()> {
        match self.cursor {
            Some(p) if p.x == x && p.y == y => Ok(()),
            // Forward on the same line: "ESC [ n C" is shorter than an absolute position.
            Some(p) if p.y == y && x > p.x => {
                let n = x - p.x;
                if n == 1 {
                    self.buf.write_all(b"\x1b[C")
                } else {
                    write!(self.buf, "\x1b[{n}C")
                }
            }
            _ => write!(self.buf, "\x1b[{};{}H", u32::from(y) + 1, u32::from(x) + 1),
        }
    }

    /// Switches the pen to `to` with one SGR sequence.
    fn set_pen(&mut self, to: Pen) -> io::Result<()> {
        if self.pen == Some(to) {
            return Ok(());
        }
        let mut codes: Vec<String> = Vec::new();
        let from = match self.pen {
            // A modifier switched off: start from plain (one "0" is shorter than the
            // several "off" codes, and 22 switches off bold and dim together).
            Some(p) if !(p.modifier - to.modifier).is_empty() => {
                codes.push("0".into());
                Pen::PLAIN
            }
            Some(p) => p,
            None => {
                codes.push("0".into());
                Pen::PLAIN
            }
        };
        for (flag, code) in [
            (Modifier::BOLD, "1"),
            (Modifier::DIM, "2"),
            (Modifier::ITALIC, "3"),
            (Modifier::UNDERLINED, "4"),
            (Modifier::SLOW_BLINK, "5"),
            (Modifier::RAPID_BLINK, "6"),
            (Modifier::REVERSED, "7"),
            (Modifier::HIDDEN, "8"),
            (Modifier::CROSSED_OUT, "9"),
        ] {
            if to.modifier.contains(flag) && !from.modifier.contains(flag) {
                codes.push(code.into());
            }
        }
        if to.fg != from.fg {
            codes.push(color_code(to.fg, false));
        }
        if to.bg != from.bg {
            codes.push(color_code(to.bg, true));
        }
        if !codes.is_empty() {
            write!(self.buf, "\x1b[{}m", codes.join(";"))?;
        }
        self.pen = Some(to);
        Ok(())
    }
}

/// The SGR parameter of colour `c` as foreground or background.
fn color_code(c: Color, background: bool) -> String {
    let base = |n: u8| {
        let n = if background { n + 10 } else { n };
        n.to_string()
    };
    match c {
        Color::Reset => base(39),
        Color::Black => base(30),
        Color::Red => base(31),
        Color::Green => base(32),
        Color::Yellow => base(33),
        Color::Blue => base(34),
        Color::Magenta => base(35),
        Color::Cyan => base(36),
        Color::Gray => base(37),
        Color::DarkGray => base(90),
        Color::LightRed => base(91),
        Color::LightGreen => base(92),
        Color::LightYellow => base(93),
        Color::LightBlue => base(94),
        Color::LightMagenta => base(95),
        Color::LightCyan => base(96),
        Color::White => base(97),
        Color::Indexed(i) => format!("{};5;{i}", if background { 48 } else { 38 }),
        Color::Rgb(r, g, b) => format!("{};2;{r};{g};{b}", if background { 48 } else { 38 }),
    }
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        for (x, y, cell) in content {
            self.move_to(x, y)?;
            self.set_pen(Pen {
                fg: cell.fg,
                bg: cell.bg,
                modifier: cell.modifier,
            })?;
            let symbol = cell.symbol();
            self.buf.write_all(symbol.as_bytes())?;
            // After a one-column character the cursor is known to stand right of it; after
            // a wide or unusual one, the next cell is positioned absolutely.
            self.cursor = (symbol.width() == 1).then(|| Position {
                x: x.saturating_add(1),
                y,
            });
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.visible != Some(false) {
            self.buf.write_all(b"\x1b[?25l")?;
            self.visible = Some(false);
        }
        self.flush()
    }

    /// Written at once: the terminal's drop shows the cursor on the way out.
    fn show_cursor(&mut self) -> io::Result<()> {
        if self.visible != Some(true) {
            self.buf.write_all(b"\x1b[?25h")?;
            self.visible = Some(true);
        }
        self.flush()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        if let Some(p) = self.cursor {
            return Ok(p);
        }
        ratatui::crossterm::cursor::position()
            .map(|(x, y)| Position { x, y })
            .map_err(io::Error::other)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let p = position.into();
        self.move_to(p.x, p.y)?;
        self.cursor = Some(p);
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        // Erasing fills with the current background: plain first.
        if self.pen != Some(Pen::PLAIN) {
            self.buf.write_all(b"\x1b[0m")?;
            self.pen = Some(Pen::PLAIN);
        }
        let seq: &[u8] = match clear_type {
            ClearType::All => b"\x1b[2J",
            ClearType::AfterCursor => b"\x1b[J",
            ClearType::BeforeCursor => b"\x1b[1J",
            ClearType::CurrentLine => b"\x1b[2K",
            ClearType::UntilNewLine => b"\x1b[K",
        };
        self.buf.write_all(seq)
    }

    fn size(&self) -> io::Result<Size> {
        let (width, height) = ratatui::crossterm::terminal::size()?;
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let ws = ratatui::crossterm::terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size {
                width: ws.columns,
                height: ws.rows,
            },
            pixels: Size {
                width: ws.width,
                height: ws.height,
            },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            let done = self.out.write_all(&self.buf);
            self.buf.clear();
            done?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]

    use ratatui::Terminal;
    use ratatui::layout::Rect;
    use ratatui::style::{Style, Stylize as _};
    use ratatui::text::Line;
    use ratatui::{TerminalOptions, Viewport};

    use super::*;

    fn terminal() -> Terminal<LeanBackend<Vec<u8>>> {
        Terminal::with_options(
            LeanBackend::new(Vec::new()),
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, 20, 3)),
            },
        )
        .unwrap()
    }

    fn draw(t: &mut Terminal<LeanBackend<Vec<u8>>>, lines: &[Line<'static>; 2]) -> String {
        let before = t.backend().writer().len();
        t.draw(|f| {
            let [a, b] = ratatui::layout::Layout::vertical([1, 1]).areas(f.area());
            f.render_widget(lines[0].clone(), a);
            f.render_widget(lines[1].clone(), b);
        })
        .unwrap();
        String::from_utf8(t.backend().writer()[before..].to_vec()).unwrap()
    }

    #[test]
    fn an_unchanged_frame_writes_nothing_and_a_moved_marker_little() {
        let mut t = terminal();
        let first = draw(&mut t, &[Line::from("▶ Alpha"), Line::from("  Beta")]);
        assert!(first.contains("Alpha") && first.contains("Beta"));
        assert_eq!(
            draw(&mut t, &[Line::from("▶ Alpha"), Line::from("  Beta")]),
            ""
        );
        let moved = draw(&mut t, &[Line::from("  Alpha"), Line::from("▶ Beta")]);
        assert_eq!(moved, "\x1b[1;1H \x1b[2;1H▶");
    }

    #[test]
    fn styles_change_by_one_sequence_and_plain_resets_once() {
        let mut t = terminal();
        draw(&mut t, &[Line::from("ab"), Line::from("")]);
        let bold = draw(
            &mut t,
            &[Line::from("ab".bold().fg(Color::Cyan)), Line::from("")],
        );
        assert_eq!(bold, "\x1b[1;1H\x1b[1;36mab");
        let plain = draw(&mut t, &[Line::from("ab"), Line::from("")]);
        assert_eq!(plain, "\x1b[1;1H\x1b[0mab");
        let bg = draw(
            &mut t,
            &[
                Line::from(ratatui::text::Span::styled(
                    "ab",
                    Style::new().bg(Color::Blue).fg(Color::White),
                )),
                Line::from(""),
            ],
        );
        assert_eq!(bg, "\x1b[1;1H\x1b[97;44mab");
    }

    #[test]
    fn a_gap_on_the_line_is_a_relative_move() {
        let mut t = terminal();
        draw(&mut t, &[Line::from("abcdefgh"), Line::from("")]);
        let out = draw(&mut t, &[Line::from("Xbcdefgh!"), Line::from("")]);
        assert_eq!(out, "\x1b[1;1HX\x1b[7C!");
    }

    #[test]
    fn the_cursor_is_hidden_once() {
        let mut t = terminal();
        t.hide_cursor().unwrap();
        let n = t.backend().writer().len();
        t.hide_cursor().unwrap();
        assert_eq!(t.backend().writer().len(), n);
        t.show_cursor().unwrap();
        assert!(t.backend().writer().ends_with(b"\x1b[?25h"));
    }
}
