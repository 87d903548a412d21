//! Terminal input parsing with a bounded bracketed paste.
//!
//! crossterm's event reader collects a whole bracketed paste in memory before it delivers
//! it: a 50 MB paste costs more than 100 MB of resident memory, however little of it the
//! application keeps. This module replaces crossterm's input *parsing* (not its terminal
//! set-up): a pure, incremental parser of the bytes read from the terminal, with no I/O,
//! that yields the key events crossterm 0.29's unix parser yields and keeps at most
//! `paste_cap` bytes of one paste. A longer paste is counted and dropped as it comes, and
//! reported as [`Input::PasteTooLong`]; docs/data-exits.md § 5 describes the bound. Reading
//! the file descriptor and polling it is done by the caller.
//!
//! Memory stays bounded: an unfinished escape sequence is held in at most
//! [`MAX_SEQUENCE`] bytes (a longer one is dropped), and a paste in at most `paste_cap`
//! bytes; the end marker of a paste, which may be split across reads at any byte, is
//! tracked as a count of matched bytes. A paste is scanned once, with a search for ESC.
//!
//! Where crossterm mishandles input, this parser does better, and nowhere else:
//! - An escape sequence longer than [`MAX_SEQUENCE`] bytes is dropped (crossterm keeps
//!   collecting it), and so is the rest of it up to its final byte.
//! - A complete CSI sequence that no key sends (`ESC [ ?` …, `ESC [ >` …, and the like) is
//!   dropped up to its final byte; crossterm drops its first three bytes only, types the
//!   rest as characters, or waits for ever for a final byte it knows.
//! - A UTF-8 lead byte followed by a byte that cannot continue it is dropped, and that byte
//!   is parsed afresh; crossterm drops both (an ESC lost this way would turn a following
//!   paste into typed keys).
//! - A key release of the kitty protocol yields nothing (the application ignores releases),
//!   a repeat yields a press, and no key event carries a [`KeyEventState`] (kitty's keypad,
//!   caps-lock and num-lock flags, which need a protocol the application never enables).
//! - A mouse report with a coordinate of 0 is dropped (crossterm would underflow).
//! - An ESC is never dropped: `ESC ESC` is two Esc keys, and an ESC that cuts an unfinished
//!   `ESC [` or `ESC O` starts the next key. crossterm makes one Esc of two and drops the
//!   other ESC, which turns a paste right after an Esc into typed keys (each line break an
//!   Enter).
//! - `feed(&[], false)` resolves a lone pending ESC as the Esc key; crossterm only resolves
//!   it when the next read brings bytes.
//!
//! [`KeyEventState`]: ratatui::crossterm::event::KeyEventState

use std::collections::VecDeque;

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MediaKeyCode, ModifierKeyCode, MouseButton, MouseEvent,
    MouseEventKind,
};

/// The most bytes of one unfinished escape sequence that are held; a longer one is dropped.
pub const MAX_SEQUENCE: usize = 64;

const ESC: u8 = 0x1B;
/// What a terminal sends before a bracketed paste.
const PASTE_START: &[u8] = b"\x1b[200~";
/// What a terminal sends after a bracketed paste.
const PASTE_END: &[u8] = b"\x1b[201~";

/// What the parser yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A terminal event: `Key` (always [`KeyEventKind::Press`]), `Paste` when the paste fit
    /// in the cap, `FocusGained`/`FocusLost`, or `Mouse`.
    ///
    /// [`KeyEventKind::Press`]: ratatui::crossterm::event::KeyEventKind::Press
    Event(Event),
    /// A bracketed paste longer than the cap: its content was dropped as it came; `bytes`
    /// is its whole length (without the start and end markers).
    PasteTooLong { bytes: u64 },
}

/// The incremental parser: feed it bytes as they are read, take the inputs out.
#[derive(Debug)]
pub struct Parser {
    paste_cap: usize,
    /// The bytes of an unfinished sequence (at most [`MAX_SEQUENCE`]) in [`Mode::Normal`].
    pending: Vec<u8>,
    mode: Mode,
    out: VecDeque<Input>,
}

#[derive(Debug)]
enum Mode {
    /// Keys and escape sequences.
    Normal,
    /// The rest of an overlong CSI sequence is dropped up to its final byte.
    Skip,
    /// Inside a bracketed paste.
    Paste(Paste),
}

/// A bracketed paste being received.
#[derive(Debug, Default)]
struct Paste {
    /// The content so far, while it fits in the cap (emptied and freed once it does not).
    content: Vec<u8>,
    /// The length of the content so far.
    total: u64,
    /// The content outgrew the cap.
    overflowed: bool,
    /// How many bytes of [`PASTE_END`] end the bytes seen so far (held back: they are
    /// content unless the marker completes).
    matched: usize,
}

impl Paste {
    /// Appends content, keeping at most `cap` bytes (and never more capacity than that).
    fn push(&mut self, data: &[u8], cap: usize) {
        self.total += data.len() as u64;
        if self.overflowed {
            return;
        }
        let needed = self.content.len() + data.len();
        if needed > cap {
            self.overflowed = true;
            self.content = Vec::new();
            return;
        }
        if needed > self.content.capacity() {
            let target = (self.content.capacity() * 2).max(needed).min(cap);
            self.content.reserve_exact(target - self.content.len());
        }
        self.content.extend_from_slice(data);
    }

    /// Takes paste bytes up to and including the end marker. Returns how many bytes were
    /// used and whether the end marker completed.
    fn scan(&mut self, bytes: &[u8], cap: usize) -> (usize, bool) {
        let mut i = 0;
        while i < bytes.len() {
            if self.matched == 0 {
                // Linear: content runs up to the next ESC are taken whole.
                let Some(at) = bytes[i..].iter().position(|&b| b == ESC) else {
                    self.push(&bytes[i..], cap);
                    return (bytes.len(), false);
                };
                self.push(&bytes[i..i + at], cap);
                self.matched = 1;
                i += at + 1;
            } else {
                let b = bytes[i];
                i += 1;
                if b == PASTE_END[self.matched] {
                    self.matched += 1;
                    if self.matched == PASTE_END.len() {
                        self.matched = 0;
                        return (i, true);
                    }
                } else {
                    // The held bytes were content after all. ESC occurs in the marker only
                    // at its start, so the search starts again at this byte or after it.
                    self.push(&PASTE_END[..self.matched], cap);
                    self.matched = usize::from(b == ESC);
                    if b != ESC {
                        self.push(&[b], cap);
                    }
                }
            }
        }
        (bytes.len(), false)
    }

    fn finish(self) -> Input {
        if self.overflowed {
            Input::PasteTooLong { bytes: self.total }
        } else {
            Input::Event(Event::Paste(
                String::from_utf8_lossy(&self.content).into_owned(),
            ))
        }
    }
}

impl Parser {
    /// `paste_cap`: the most bytes of one bracketed paste kept in memory.
    pub fn new(paste_cap: usize) -> Parser {
        Parser {
            paste_cap,
            pending: Vec::with_capacity(MAX_SEQUENCE),
            mode: Mode::Normal,
            out: VecDeque::new(),
        }
    }

    /// Feeds bytes just read from the terminal. `more_pending` is true when the caller
    /// knows more bytes are already waiting (then a lone trailing ESC or an incomplete
    /// sequence waits for them); when false, a trailing lone ESC becomes the Esc key. Other
    /// incomplete sequences wait for more bytes either way, as in crossterm.
    pub fn feed(&mut self, bytes: &[u8], more_pending: bool) {
        let mut i = 0;
        while i < bytes.len() {
            match &mut self.mode {
                Mode::Paste(paste) => {
                    let (used, ended) = paste.scan(&bytes[i..], self.paste_cap);
                    i += used;
                    if ended
                        && let Mode::Paste(paste) = std::mem::replace(&mut self.mode, Mode::Normal)
                    {
                        self.out.push_back(paste.finish());
                    }
                }
                Mode::Skip => {
                    let b = bytes[i];
                    // Parameter and intermediate bytes go on; a final byte ends the
                    // sequence; anything else ends it too and is parsed afresh.
                    if (0x20..=0x3F).contains(&b) {
                        i += 1;
                    } else {
                        if (0x40..=0x7E).contains(&b) {
                            i += 1;
                        }
                        self.mode = Mode::Normal;
                    }
                }
                Mode::Normal => {
                    self.pending.push(bytes[i]);
                    i += 1;
                    // As crossterm: a byte is "followed by more" when the read goes on.
                    match parse(&self.pending, i < bytes.len() || more_pending) {
                        Step::Wait => {
                            if self.pending.len() >= MAX_SEQUENCE {
                                if self.pending.starts_with(b"\x1b[") {
                                    self.mode = Mode::Skip;
                                }
                                self.pending.clear();
                            }
                        }
                        Step::Done(event) => {
                            self.pending.clear();
                            if let Some(event) = event {
                                self.out.push_back(Input::Event(event));
                            }
                        }
                        Step::Reprocess => {
                            self.pending.clear();
                            i -= 1;
                        }
                        Step::Then(event) => {
                            self.pending.clear();
                            self.out.push_back(Input::Event(event));
                            i -= 1;
                        }
                        Step::PasteStart => {
                            self.pending.clear();
                            self.mode = Mode::Paste(Paste::default());
                        }
                    }
                }
            }
        }
        if !more_pending && self.pending == [ESC] {
            self.pending.clear();
            self.out.push_back(Input::Event(Event::Key(KeyEvent::new(
                KeyCode::Esc,
                KeyModifiers::NONE,
            ))));
        }
    }

    /// The next parsed input, if any.
    #[expect(
        clippy::should_implement_trait,
        reason = "the parser is fed between takes; an Iterator would read as exhaustible"
    )]
    pub fn next(&mut self) -> Option<Input> {
        self.out.pop_front()
    }

    /// Whether bytes of an unfinished sequence or paste are held (or the rest of an
    /// overlong sequence is being dropped).
    pub fn is_mid_sequence(&self) -> bool {
        !self.pending.is_empty() || !matches!(self.mode, Mode::Normal)
    }
}

/// What the bytes held so far amount to.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    /// An unfinished sequence: keep the bytes, wait for more.
    Wait,
    /// A complete sequence: drop the bytes, yield the event if there is one (none for an
    /// invalid or unknown sequence, as crossterm's parse error).
    Done(Option<Event>),
    /// Drop all bytes but the last, and parse that one afresh.
    Reprocess,
    /// Yield the event, then drop all bytes but the last and parse that one afresh (an
    /// ESC that starts the next key).
    Then(Event),
    /// The start marker of a bracketed paste.
    PasteStart,
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Step {
    Step::Done(Some(Event::Key(KeyEvent::new(code, modifiers))))
}

/// A key whose kitty event kind is given: 3 (release) yields nothing, anything else a press.
fn key_of_kind(code: KeyCode, modifiers: KeyModifiers, kind: u8) -> Step {
    if kind == 3 {
        Step::Done(None)
    } else {
        key(code, modifiers)
    }
}

/// crossterm's `parse_event`, on the bytes held so far.
fn parse(buf: &[u8], more: bool) -> Step {
    let Some(&first) = buf.first() else {
        return Step::Wait;
    };
    match first {
        ESC => parse_escape(buf, more),
        b'\r' => key(KeyCode::Enter, KeyModifiers::NONE),
        // `\n` is Ctrl+J in raw mode (crossterm issue #371), and falls in the range below.
        b'\t' => key(KeyCode::Tab, KeyModifiers::NONE),
        0x7F => key(KeyCode::Backspace, KeyModifiers::NONE),
        // 0x08 is Ctrl+H here, as in crossterm.
        c @ 0x01..=0x1A => key(
            KeyCode::Char(char::from(c - 0x01 + b'a')),
            KeyModifiers::CONTROL,
        ),
        c @ 0x1C..=0x1F => key(
            KeyCode::Char(char::from(c - 0x1C + b'4')),
            KeyModifiers::CONTROL,
        ),
        0x00 => key(KeyCode::Char(' '), KeyModifiers::CONTROL),
        _ => parse_utf8(buf),
    }
}

fn parse_escape(buf: &[u8], more: bool) -> Step {
    match buf.get(1) {
        None if more => Step::Wait,
        None => key(KeyCode::Esc, KeyModifiers::NONE),
        Some(b'O') => match buf.get(2) {
            None => Step::Wait,
            Some(b'D') => key(KeyCode::Left, KeyModifiers::NONE),
            Some(b'C') => key(KeyCode::Right, KeyModifiers::NONE),
            Some(b'A') => key(KeyCode::Up, KeyModifiers::NONE),
            Some(b'B') => key(KeyCode::Down, KeyModifiers::NONE),
            Some(b'H') => key(KeyCode::Home, KeyModifiers::NONE),
            Some(b'F') => key(KeyCode::End, KeyModifiers::NONE),
            Some(&c @ b'P'..=b'S') => key(KeyCode::F(1 + c - b'P'), KeyModifiers::NONE),
            // An ESC starts the next key (a paste's start marker, say): never dropped.
            Some(&ESC) => Step::Reprocess,
            Some(_) => Step::Done(None),
        },
        Some(b'[') => parse_csi(buf),
        // Esc pressed twice, or Esc followed at once by a sequence: the first is the Esc
        // key and the second ESC starts the next key (crossterm drops it, which turns a
        // paste right after Esc into typed keys).
        Some(&ESC) => Step::Then(Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE))),
        Some(_) => match parse(&buf[1..], more) {
            Step::Done(Some(Event::Key(mut k))) => {
                k.modifiers |= KeyModifiers::ALT;
                Step::Done(Some(Event::Key(k)))
            }
            other => other,
        },
    }
}

/// One UTF-8 character (crossterm's `parse_utf8_char`); an uppercase one gets SHIFT.
fn parse_utf8(buf: &[u8]) -> Step {
    let required = match buf[0] {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        0x80..=0xBF | 0xF8..=0xFF => return Step::Done(None),
    };
    if buf[1..].iter().any(|&b| b & 0xC0 != 0x80) {
        return Step::Reprocess;
    }
    if buf.len() < required {
        return Step::Wait;
    }
    match std::str::from_utf8(buf).ok().and_then(|s| s.chars().next()) {
        Some(c) => {
            let modifiers = if c.is_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            key(KeyCode::Char(c), modifiers)
        }
        // An overlong form, a surrogate or a code point past U+10FFFF.
        None => Step::Done(None),
    }
}

/// The final byte of a CSI sequence, once it has come.
fn final_byte(buf: &[u8]) -> Option<u8> {
    buf.last().copied().filter(|b| (0x40..=0x7E).contains(b))
}

/// crossterm's `parse_csi`: `buf` starts with `ESC [`.
fn parse_csi(buf: &[u8]) -> Step {
    let Some(&kind) = buf.get(2) else {
        return Step::Wait;
    };
    match kind {
        // The linux console's F1..F5.
        b'[' => match buf.get(3) {
            None => Step::Wait,
            Some(&c @ b'A'..=b'E') => key(KeyCode::F(1 + c - b'A'), KeyModifiers::NONE),
            Some(&ESC) => Step::Reprocess,
            Some(_) => Step::Done(None),
        },
        b'D' => key(KeyCode::Left, KeyModifiers::NONE),
        b'C' => key(KeyCode::Right, KeyModifiers::NONE),
        b'A' => key(KeyCode::Up, KeyModifiers::NONE),
        b'B' => key(KeyCode::Down, KeyModifiers::NONE),
        b'H' => key(KeyCode::Home, KeyModifiers::NONE),
        b'F' => key(KeyCode::End, KeyModifiers::NONE),
        b'Z' => key(KeyCode::BackTab, KeyModifiers::SHIFT),
        b'M' if buf.len() < 6 => Step::Wait,
        b'M' => Step::Done(normal_mouse(buf)),
        b'I' => Step::Done(Some(Event::FocusGained)),
        b'O' => Step::Done(Some(Event::FocusLost)),
        // Kitty leaves out the 1 of `CSI 1 P` without modifiers (no R: that is a cursor
        // position report).
        b'P' => key(KeyCode::F(1), KeyModifiers::NONE),
        b'Q' => key(KeyCode::F(2), KeyModifiers::NONE),
        b'S' => key(KeyCode::F(4), KeyModifiers::NONE),
        b'<' => match final_byte(buf) {
            None => Step::Wait,
            Some(b'm' | b'M') => Step::Done(sgr_mouse(buf)),
            Some(_) => Step::Done(None),
        },
        b'0'..=b'9' => match final_byte(buf) {
            None => Step::Wait,
            Some(last) => parse_csi_numbered(buf, last),
        },
        // crossterm rejects `ESC [ ;` at once.
        b';' => Step::Done(None),
        // `?` (replies to queries: keyboard flags, device attributes) and the other
        // parameter or intermediate bytes start a sequence that no key sends: it is
        // dropped whole, up to its final byte.
        0x20..=0x3F => match final_byte(buf) {
            None => Step::Wait,
            Some(_) => Step::Done(None),
        },
        ESC => Step::Reprocess,
        _ => Step::Done(None),
    }
}

/// `ESC [` digit … final byte.
fn parse_csi_numbered(buf: &[u8], last: u8) -> Step {
    if buf == PASTE_START {
        return Step::PasteStart;
    }
    match last {
        b'M' => Step::Done(rxvt_mouse(buf)),
        b'~' => parse_csi_special_key(buf),
        b'u' => parse_csi_u(buf),
        // A cursor position report: crossterm keeps it for `cursor::position` and never
        // yields it as an event.
        b'R' => Step::Done(None),
        _ => parse_csi_modifier_key(buf),
    }
}

/// The parameters of a complete CSI sequence: from `from` to before the final byte.
fn params(buf: &[u8], from: usize) -> Option<&str> {
    std::str::from_utf8(buf.get(from..buf.len() - 1)?).ok()
}

/// crossterm's `modifier_and_kind_parsed`: `mask[:kind]`, the kind 1 (press) if absent.
fn modifier_and_kind(param: Option<&str>) -> Option<(u8, u8)> {
    let mut sub = param?.split(':');
    let mask = sub.next()?.parse::<u8>().ok()?;
    let kind = sub.next().and_then(|k| k.parse::<u8>().ok()).unwrap_or(1);
    Some((mask, kind))
}

/// crossterm's `parse_modifiers`: the parameter is 1 + a bit mask.
fn parse_modifiers(mask: u8) -> KeyModifiers {
    let bits = mask.saturating_sub(1);
    let mut modifiers = KeyModifiers::NONE;
    for (bit, modifier) in [
        (1, KeyModifiers::SHIFT),
        (2, KeyModifiers::ALT),
        (4, KeyModifiers::CONTROL),
        (8, KeyModifiers::SUPER),
        (16, KeyModifiers::HYPER),
        (32, KeyModifiers::META),
    ] {
        if bits & bit != 0 {
            modifiers |= modifier;
        }
    }
    modifiers
}

/// `ESC [ 1 ; mod X` (and `ESC [ mod X`) for arrows, Home, End and F1..F4.
fn parse_csi_modifier_key(buf: &[u8]) -> Step {
    let Some(s) = params(buf, 2) else {
        return Step::Done(None);
    };
    let mut split = s.split(';');
    split.next();
    let (modifiers, kind) = if let Some((mask, kind)) = modifier_and_kind(split.next()) {
        (parse_modifiers(mask), kind)
    } else {
        // crossterm reads the byte before the final one as the modifier parameter.
        let digit = buf[buf.len() - 2];
        if !digit.is_ascii_digit() {
            return Step::Done(None);
        }
        (parse_modifiers(digit - b'0'), 1)
    };
    let code = match buf[buf.len() - 1] {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'F' => KeyCode::End,
        b'H' => KeyCode::Home,
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        b'R' => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        _ => return Step::Done(None),
    };
    key_of_kind(code, modifiers, kind)
}

/// `ESC [ n ~` and `ESC [ n ; mod ~`.
fn parse_csi_special_key(buf: &[u8]) -> Step {
    let Some(s) = params(buf, 2) else {
        return Step::Done(None);
    };
    let mut split = s.split(';');
    let Some(first) = split.next().and_then(|p| p.parse::<u8>().ok()) else {
        return Step::Done(None);
    };
    let (modifiers, kind) = modifier_and_kind(split.next())
        .map_or((KeyModifiers::NONE, 1), |(mask, kind)| {
            (parse_modifiers(mask), kind)
        });
    let code = match first {
        1 | 7 => KeyCode::Home,
        2 => KeyCode::Insert,
        3 => KeyCode::Delete,
        4 | 8 => KeyCode::End,
        5 => KeyCode::PageUp,
        6 => KeyCode::PageDown,
        v @ 11..=15 => KeyCode::F(v - 10),
        v @ 17..=21 => KeyCode::F(v - 11),
        v @ 23..=26 => KeyCode::F(v - 12),
        v @ 28..=29 => KeyCode::F(v - 15),
        v @ 31..=34 => KeyCode::F(v - 17),
        _ => return Step::Done(None),
    };
    key_of_kind(code, modifiers, kind)
}

/// `ESC [ codepoint[:shifted] ; mod[:kind] u` (fixterms `CSI u`, the kitty protocol).
fn parse_csi_u(buf: &[u8]) -> Step {
    let Some(s) = params(buf, 2) else {
        return Step::Done(None);
    };
    let mut split = s.split(';');
    let mut codepoints = split.next().unwrap_or_default().split(':');
    let Some(codepoint) = codepoints.next().and_then(|c| c.parse::<u32>().ok()) else {
        return Step::Done(None);
    };
    let (mut modifiers, kind) = modifier_and_kind(split.next())
        .map_or((KeyModifiers::NONE, 1), |(mask, kind)| {
            (parse_modifiers(mask), kind)
        });
    let mut code = if let Some(code) = functional_key(codepoint) {
        code
    } else if let Some(c) = char::from_u32(codepoint) {
        match c {
            '\x1b' => KeyCode::Esc,
            '\r' => KeyCode::Enter,
            '\t' if modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            '\t' => KeyCode::Tab,
            '\x7f' => KeyCode::Backspace,
            // `\n` stays a character in raw mode, as in crossterm.
            _ => KeyCode::Char(c),
        }
    } else {
        return Step::Done(None);
    };
    if let KeyCode::Modifier(modifier) = code {
        modifiers |= match modifier {
            ModifierKeyCode::LeftAlt | ModifierKeyCode::RightAlt => KeyModifiers::ALT,
            ModifierKeyCode::LeftControl | ModifierKeyCode::RightControl => KeyModifiers::CONTROL,
            ModifierKeyCode::LeftShift | ModifierKeyCode::RightShift => KeyModifiers::SHIFT,
            ModifierKeyCode::LeftSuper | ModifierKeyCode::RightSuper => KeyModifiers::SUPER,
            ModifierKeyCode::LeftHyper | ModifierKeyCode::RightHyper => KeyModifiers::HYPER,
            ModifierKeyCode::LeftMeta | ModifierKeyCode::RightMeta => KeyModifiers::META,
            ModifierKeyCode::IsoLevel3Shift | ModifierKeyCode::IsoLevel5Shift => KeyModifiers::NONE,
        };
    }
    // With "report alternate keys", a shifted key brings the shifted character.
    if modifiers.contains(KeyModifiers::SHIFT)
        && let Some(shifted) = codepoints
            .next()
            .and_then(|c| c.parse::<u32>().ok())
            .and_then(char::from_u32)
    {
        code = KeyCode::Char(shifted);
        modifiers.remove(KeyModifiers::SHIFT);
    }
    key_of_kind(code, modifiers, kind)
}

/// crossterm's `translate_functional_key_code` (the kitty protocol's private-use code
/// points), without the keypad state.
fn functional_key(codepoint: u32) -> Option<KeyCode> {
    Some(match codepoint {
        57399..=57408 => KeyCode::Char(char::from_digit(codepoint - 57399, 10)?),
        57409 => KeyCode::Char('.'),
        57410 => KeyCode::Char('/'),
        57411 => KeyCode::Char('*'),
        57412 => KeyCode::Char('-'),
        57413 => KeyCode::Char('+'),
        57414 => KeyCode::Enter,
        57415 => KeyCode::Char('='),
        57416 => KeyCode::Char(','),
        57417 => KeyCode::Left,
        57418 => KeyCode::Right,
        57419 => KeyCode::Up,
        57420 => KeyCode::Down,
        57421 => KeyCode::PageUp,
        57422 => KeyCode::PageDown,
        57423 => KeyCode::Home,
        57424 => KeyCode::End,
        57425 => KeyCode::Insert,
        57426 => KeyCode::Delete,
        57427 => KeyCode::KeypadBegin,
        57358 => KeyCode::CapsLock,
        57359 => KeyCode::ScrollLock,
        57360 => KeyCode::NumLock,
        57361 => KeyCode::PrintScreen,
        57362 => KeyCode::Pause,
        57363 => KeyCode::Menu,
        57376..=57398 => KeyCode::F(u8::try_from(codepoint - 57376 + 13).ok()?),
        57428 => KeyCode::Media(MediaKeyCode::Play),
        57429 => KeyCode::Media(MediaKeyCode::Pause),
        57430 => KeyCode::Media(MediaKeyCode::PlayPause),
        57431 => KeyCode::Media(MediaKeyCode::Reverse),
        57432 => KeyCode::Media(MediaKeyCode::Stop),
        57433 => KeyCode::Media(MediaKeyCode::FastForward),
        57434 => KeyCode::Media(MediaKeyCode::Rewind),
        57435 => KeyCode::Media(MediaKeyCode::TrackNext),
        57436 => KeyCode::Media(MediaKeyCode::TrackPrevious),
        57437 => KeyCode::Media(MediaKeyCode::Record),
        57438 => KeyCode::Media(MediaKeyCode::LowerVolume),
        57439 => KeyCode::Media(MediaKeyCode::RaiseVolume),
        57440 => KeyCode::Media(MediaKeyCode::MuteVolume),
        57441 => KeyCode::Modifier(ModifierKeyCode::LeftShift),
        57442 => KeyCode::Modifier(ModifierKeyCode::LeftControl),
        57443 => KeyCode::Modifier(ModifierKeyCode::LeftAlt),
        57444 => KeyCode::Modifier(ModifierKeyCode::LeftSuper),
        57445 => KeyCode::Modifier(ModifierKeyCode::LeftHyper),
        57446 => KeyCode::Modifier(ModifierKeyCode::LeftMeta),
        57447 => KeyCode::Modifier(ModifierKeyCode::RightShift),
        57448 => KeyCode::Modifier(ModifierKeyCode::RightControl),
        57449 => KeyCode::Modifier(ModifierKeyCode::RightAlt),
        57450 => KeyCode::Modifier(ModifierKeyCode::RightSuper),
        57451 => KeyCode::Modifier(ModifierKeyCode::RightHyper),
        57452 => KeyCode::Modifier(ModifierKeyCode::RightMeta),
        57453 => KeyCode::Modifier(ModifierKeyCode::IsoLevel3Shift),
        57454 => KeyCode::Modifier(ModifierKeyCode::IsoLevel5Shift),
        _ => return None,
    })
}

/// crossterm's `parse_cb`: the button byte of a mouse report (less 32 in the normal and
/// rxvt encodings).
fn parse_cb(cb: u8) -> Option<(MouseEventKind, KeyModifiers)> {
    let button = (cb & 0b0000_0011) | ((cb & 0b1100_0000) >> 4);
    let dragging = cb & 0b0010_0000 != 0;
    let kind = match (button, dragging) {
        (0, false) => MouseEventKind::Down(MouseButton::Left),
        (1, false) => MouseEventKind::Down(MouseButton::Middle),
        (2, false) => MouseEventKind::Down(MouseButton::Right),
        (0, true) => MouseEventKind::Drag(MouseButton::Left),
        (1, true) => MouseEventKind::Drag(MouseButton::Middle),
        (2, true) => MouseEventKind::Drag(MouseButton::Right),
        (3, false) => MouseEventKind::Up(MouseButton::Left),
        (3..=5, true) => MouseEventKind::Moved,
        (4, false) => MouseEventKind::ScrollUp,
        (5, false) => MouseEventKind::ScrollDown,
        (6, false) => MouseEventKind::ScrollLeft,
        (7, false) => MouseEventKind::ScrollRight,
        _ => return None,
    };
    let mut modifiers = KeyModifiers::NONE;
    if cb & 0b0000_0100 != 0 {
        modifiers |= KeyModifiers::SHIFT;
    }
    if cb & 0b0000_1000 != 0 {
        modifiers |= KeyModifiers::ALT;
    }
    if cb & 0b0001_0000 != 0 {
        modifiers |= KeyModifiers::CONTROL;
    }
    Some((kind, modifiers))
}

fn mouse(kind: MouseEventKind, column: u16, row: u16, modifiers: KeyModifiers) -> Event {
    Event::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers,
    })
}

/// `ESC [ M Cb Cx Cy`, three raw bytes each offset by 32.
fn normal_mouse(buf: &[u8]) -> Option<Event> {
    let (kind, modifiers) = parse_cb(buf[3].checked_sub(32)?)?;
    let column = u16::from(buf[4].saturating_sub(32)).checked_sub(1)?;
    let row = u16::from(buf[5].saturating_sub(32)).checked_sub(1)?;
    Some(mouse(kind, column, row, modifiers))
}

/// `ESC [ Cb ; Cx ; Cy M`.
fn rxvt_mouse(buf: &[u8]) -> Option<Event> {
    let mut split = params(buf, 2)?.split(';');
    let (kind, modifiers) = parse_cb(split.next()?.parse::<u8>().ok()?.checked_sub(32)?)?;
    let column = split.next()?.parse::<u16>().ok()?.checked_sub(1)?;
    let row = split.next()?.parse::<u16>().ok()?.checked_sub(1)?;
    Some(mouse(kind, column, row, modifiers))
}

/// `ESC [ < Cb ; Cx ; Cy M` (press) or `m` (release).
fn sgr_mouse(buf: &[u8]) -> Option<Event> {
    let mut split = params(buf, 3)?.split(';');
    let (kind, modifiers) = parse_cb(split.next()?.parse::<u8>().ok()?)?;
    let column = split.next()?.parse::<u16>().ok()?.checked_sub(1)?;
    let row = split.next()?.parse::<u16>().ok()?.checked_sub(1)?;
    let kind = match kind {
        MouseEventKind::Down(button) if buf.last() == Some(&b'm') => MouseEventKind::Up(button),
        other => other,
    };
    Some(mouse(kind, column, row, modifiers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyEventKind, KeyEventState};

    const CAP: usize = 1024;

    fn k(code: KeyCode, modifiers: KeyModifiers) -> Input {
        Input::Event(Event::Key(KeyEvent::new(code, modifiers)))
    }

    fn plain(code: KeyCode) -> Input {
        k(code, KeyModifiers::NONE)
    }

    fn ch(c: char) -> Input {
        plain(KeyCode::Char(c))
    }

    fn ctrl(c: char) -> Input {
        k(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn paste(s: &str) -> Input {
        Input::Event(Event::Paste(s.to_owned()))
    }

    fn drain(p: &mut Parser) -> Vec<Input> {
        let mut out = Vec::new();
        while let Some(input) = p.next() {
            out.push(input);
        }
        out
    }

    /// All the bytes in one read, nothing more pending.
    fn whole(bytes: &[u8]) -> Vec<Input> {
        let mut p = Parser::new(CAP);
        p.feed(bytes, false);
        drain(&mut p)
    }

    /// One byte per read with more pending, then an empty read with nothing pending.
    fn bytewise(bytes: &[u8]) -> Vec<Input> {
        let mut p = Parser::new(CAP);
        let mut out = Vec::new();
        for b in bytes {
            p.feed(std::slice::from_ref(b), true);
            out.extend(drain(&mut p));
        }
        p.feed(&[], false);
        out.extend(drain(&mut p));
        out
    }

    /// Checks the events of `bytes`, whole, byte by byte and split in two at every byte.
    fn check(bytes: &[u8], expected: &[Input]) {
        assert_eq!(whole(bytes), expected, "whole: {bytes:?}");
        assert_eq!(bytewise(bytes), expected, "byte by byte: {bytes:?}");
        for at in 0..=bytes.len() {
            let mut p = Parser::new(CAP);
            p.feed(&bytes[..at], true);
            p.feed(&bytes[at..], false);
            assert_eq!(drain(&mut p), expected, "split at {at}: {bytes:?}");
        }
    }

    #[test]
    fn control_bytes_map_as_crossterm_in_raw_mode() {
        check(b"\r", &[plain(KeyCode::Enter)]);
        check(b"\n", &[ctrl('j')]);
        check(b"\t", &[plain(KeyCode::Tab)]);
        check(b"\x7f", &[plain(KeyCode::Backspace)]);
        check(b"\x08", &[ctrl('h')]);
        check(b"\x00", &[ctrl(' ')]);
        for c in 0x01..=0x1Au8 {
            if c == b'\t' || c == b'\r' {
                continue;
            }
            check(&[c], &[ctrl(char::from(b'a' + c - 1))]);
        }
        check(
            b"\x1c\x1d\x1e\x1f",
            &[ctrl('4'), ctrl('5'), ctrl('6'), ctrl('7')],
        );
    }

    #[test]
    fn characters_and_utf8() {
        check(b"a", &[ch('a')]);
        check(b" ~", &[ch(' '), ch('~')]);
        check(b"A", &[k(KeyCode::Char('A'), KeyModifiers::SHIFT)]);
        check("é€😀".as_bytes(), &[ch('é'), ch('€'), ch('😀')]);
        check(
            "É".as_bytes(),
            &[k(KeyCode::Char('É'), KeyModifiers::SHIFT)],
        );
        // Invalid bytes are dropped.
        check(b"\x80a\xffb\xc0\x80c", &[ch('a'), ch('b'), ch('c')]);
        // A surrogate and a code point past U+10FFFF.
        check(b"\xed\xa0\x80\xf4\x90\x80\x80d", &[ch('d')]);
        // A lead byte followed by a byte that cannot continue it: the byte is parsed afresh.
        check(b"\xc3a", &[ch('a')]);
        check(b"\xe2\x82\x1b[A", &[plain(KeyCode::Up)]);
    }

    #[test]
    fn an_incomplete_character_waits() {
        let mut p = Parser::new(CAP);
        p.feed(&"€".as_bytes()[..2], false);
        assert_eq!(p.next(), None);
        assert!(p.is_mid_sequence());
        p.feed(&"€".as_bytes()[2..], false);
        assert_eq!(drain(&mut p), [ch('€')]);
        assert!(!p.is_mid_sequence());
    }

    #[test]
    fn escape_alone_and_with_alt() {
        check(b"\x1b", &[plain(KeyCode::Esc)]);
        // Every ESC that starts no sequence is an Esc key (crossterm makes one of two).
        check(b"\x1b\x1b", &[plain(KeyCode::Esc), plain(KeyCode::Esc)]);
        check(
            b"\x1b\x1b\x1b",
            &[
                plain(KeyCode::Esc),
                plain(KeyCode::Esc),
                plain(KeyCode::Esc),
            ],
        );
        check(b"\x1b\x1b[A", &[plain(KeyCode::Esc), plain(KeyCode::Up)]);
        // Esc right before a paste keeps the paste a paste, also after a cut sequence.
        check(
            b"\x1b\x1b[200~a\rb\x1b[201~",
            &[plain(KeyCode::Esc), paste("a\rb")],
        );
        check(b"\x1b[\x1b[200~x\x1b[201~", &[paste("x")]);
        check(b"\x1bO\x1b[A", &[plain(KeyCode::Up)]);
        check(b"\x1ba", &[k(KeyCode::Char('a'), KeyModifiers::ALT)]);
        check(
            b"\x1bA",
            &[k(
                KeyCode::Char('A'),
                KeyModifiers::ALT | KeyModifiers::SHIFT,
            )],
        );
        check(b"\x1b\r", &[k(KeyCode::Enter, KeyModifiers::ALT)]);
        check(b"\x1b\x7f", &[k(KeyCode::Backspace, KeyModifiers::ALT)]);
        check(
            b"\x1b\x01",
            &[k(
                KeyCode::Char('a'),
                KeyModifiers::ALT | KeyModifiers::CONTROL,
            )],
        );
        check(
            "\x1bé".as_bytes(),
            &[k(KeyCode::Char('é'), KeyModifiers::ALT)],
        );
        // ESC before an invalid byte: both dropped, as crossterm.
        check(b"\x1b\x80x", &[ch('x')]);
    }

    #[test]
    fn a_lone_escape_waits_while_more_is_pending() {
        let mut p = Parser::new(CAP);
        p.feed(b"\x1b", true);
        assert_eq!(p.next(), None);
        assert!(p.is_mid_sequence());
        p.feed(b"[B", true);
        assert_eq!(drain(&mut p), [plain(KeyCode::Down)]);
        assert!(!p.is_mid_sequence());

        p.feed(b"\x1b", true);
        assert_eq!(p.next(), None);
        p.feed(&[], false);
        assert_eq!(drain(&mut p), [plain(KeyCode::Esc)]);
        assert!(!p.is_mid_sequence());

        // Nothing more pending: the ESC ends the read, so it is the Esc key.
        p.feed(b"x\x1b", false);
        p.feed(b"[A", false);
        assert_eq!(
            drain(&mut p),
            [
                ch('x'),
                plain(KeyCode::Esc),
                ch('['),
                k(KeyCode::Char('A'), KeyModifiers::SHIFT)
            ]
        );
    }

    #[test]
    fn an_incomplete_sequence_waits_even_when_nothing_is_pending() {
        let mut p = Parser::new(CAP);
        p.feed(b"\x1b[", false);
        assert_eq!(p.next(), None);
        assert!(p.is_mid_sequence());
        p.feed(b"A", false);
        assert_eq!(drain(&mut p), [plain(KeyCode::Up)]);
    }

    #[test]
    fn ss3_keys() {
        for (byte, code) in [
            (b'A', KeyCode::Up),
            (b'B', KeyCode::Down),
            (b'C', KeyCode::Right),
            (b'D', KeyCode::Left),
            (b'H', KeyCode::Home),
            (b'F', KeyCode::End),
            (b'P', KeyCode::F(1)),
            (b'Q', KeyCode::F(2)),
            (b'R', KeyCode::F(3)),
            (b'S', KeyCode::F(4)),
        ] {
            check(&[ESC, b'O', byte], &[plain(code)]);
        }
        check(b"\x1bOxy", &[ch('y')]);
    }

    #[test]
    fn csi_keys() {
        for (seq, code, modifiers) in [
            (&b"\x1b[A"[..], KeyCode::Up, KeyModifiers::NONE),
            (b"\x1b[B", KeyCode::Down, KeyModifiers::NONE),
            (b"\x1b[C", KeyCode::Right, KeyModifiers::NONE),
            (b"\x1b[D", KeyCode::Left, KeyModifiers::NONE),
            (b"\x1b[H", KeyCode::Home, KeyModifiers::NONE),
            (b"\x1b[F", KeyCode::End, KeyModifiers::NONE),
            (b"\x1b[Z", KeyCode::BackTab, KeyModifiers::SHIFT),
            (b"\x1b[P", KeyCode::F(1), KeyModifiers::NONE),
            (b"\x1b[Q", KeyCode::F(2), KeyModifiers::NONE),
            (b"\x1b[S", KeyCode::F(4), KeyModifiers::NONE),
            (b"\x1b[[A", KeyCode::F(1), KeyModifiers::NONE),
            (b"\x1b[[B", KeyCode::F(2), KeyModifiers::NONE),
            (b"\x1b[[C", KeyCode::F(3), KeyModifiers::NONE),
            (b"\x1b[[D", KeyCode::F(4), KeyModifiers::NONE),
            (b"\x1b[[E", KeyCode::F(5), KeyModifiers::NONE),
        ] {
            check(seq, &[k(code, modifiers)]);
        }
        check(b"\x1b[[Fz", &[ch('z')]);
    }

    #[test]
    fn csi_modifier_forms() {
        let shift = KeyModifiers::SHIFT;
        let alt = KeyModifiers::ALT;
        let control = KeyModifiers::CONTROL;
        for (mask, modifiers) in [
            ("1", KeyModifiers::NONE),
            ("2", shift),
            ("3", alt),
            ("4", shift | alt),
            ("5", control),
            ("6", control | shift),
            ("7", control | alt),
            ("8", control | alt | shift),
            ("9", KeyModifiers::SUPER),
            ("17", KeyModifiers::HYPER),
            ("33", KeyModifiers::META),
            ("0", KeyModifiers::NONE),
        ] {
            for (last, code) in [
                ('A', KeyCode::Up),
                ('B', KeyCode::Down),
                ('C', KeyCode::Right),
                ('D', KeyCode::Left),
                ('H', KeyCode::Home),
                ('F', KeyCode::End),
                ('P', KeyCode::F(1)),
                ('Q', KeyCode::F(2)),
                ('S', KeyCode::F(4)),
            ] {
                let seq = format!("\x1b[1;{mask}{last}");
                check(seq.as_bytes(), &[k(code, modifiers)]);
            }
        }
        // The kind after a colon: a repeat is a press, a release yields nothing.
        check(b"\x1b[1;5:2A", &[k(KeyCode::Up, control)]);
        check(b"\x1b[1;5:3Az", &[ch('z')]);
        // The old form: the modifier parameter alone.
        check(b"\x1b[5A", &[k(KeyCode::Up, control)]);
        check(b"\x1b[2D", &[k(KeyCode::Left, shift)]);
        // `ESC [ 1 ; 5 R` is a cursor position report to crossterm, never F3.
        check(b"\x1b[1;5Rz", &[ch('z')]);
        check(b"\x1b[12;40Rz", &[ch('z')]);
        // Not a key.
        check(b"\x1b[1;5Xz", &[ch('z')]);
        check(b"\x1b[1;:Az", &[ch('z')]);
    }

    #[test]
    fn csi_tilde_keys() {
        let table: &[(u8, KeyCode)] = &[
            (1, KeyCode::Home),
            (2, KeyCode::Insert),
            (3, KeyCode::Delete),
            (4, KeyCode::End),
            (5, KeyCode::PageUp),
            (6, KeyCode::PageDown),
            (7, KeyCode::Home),
            (8, KeyCode::End),
            (11, KeyCode::F(1)),
            (12, KeyCode::F(2)),
            (13, KeyCode::F(3)),
            (14, KeyCode::F(4)),
            (15, KeyCode::F(5)),
            (17, KeyCode::F(6)),
            (18, KeyCode::F(7)),
            (19, KeyCode::F(8)),
            (20, KeyCode::F(9)),
            (21, KeyCode::F(10)),
            (23, KeyCode::F(11)),
            (24, KeyCode::F(12)),
            (25, KeyCode::F(13)),
            (26, KeyCode::F(14)),
            // crossterm's numbering from here on, kept as it is.
            (28, KeyCode::F(13)),
            (29, KeyCode::F(14)),
            (31, KeyCode::F(14)),
            (32, KeyCode::F(15)),
            (33, KeyCode::F(16)),
            (34, KeyCode::F(17)),
        ];
        for (n, code) in table {
            check(format!("\x1b[{n}~").as_bytes(), &[plain(*code)]);
            check(
                format!("\x1b[{n};5~").as_bytes(),
                &[k(*code, KeyModifiers::CONTROL)],
            );
            check(
                format!("\x1b[{n};4~").as_bytes(),
                &[k(*code, KeyModifiers::SHIFT | KeyModifiers::ALT)],
            );
        }
        for n in [0, 9, 10, 16, 22, 27, 30, 35, 99, 200, 255] {
            if n == 200 {
                continue;
            }
            check(format!("\x1b[{n}~z").as_bytes(), &[ch('z')]);
        }
        check(b"\x1b[1000~z", &[ch('z')]);
        check(b"\x1b[3;5:3~z", &[ch('z')]);
        check(b"\x1b[3;:~", &[plain(KeyCode::Delete)]);
    }

    #[test]
    fn focus_events() {
        check(
            b"\x1b[I\x1b[O",
            &[
                Input::Event(Event::FocusGained),
                Input::Event(Event::FocusLost),
            ],
        );
    }

    #[test]
    fn csi_u_keys() {
        check(b"\x1b[97u", &[ch('a')]);
        check(b"\x1b[97;5u", &[ctrl('a')]);
        check(b"\x1b[97;5:2u", &[ctrl('a')]);
        check(b"\x1b[97;5:3uz", &[ch('z')]);
        check(b"\x1b[13u", &[plain(KeyCode::Enter)]);
        check(b"\x1b[27u", &[plain(KeyCode::Esc)]);
        check(b"\x1b[9u", &[plain(KeyCode::Tab)]);
        check(b"\x1b[9;2u", &[k(KeyCode::BackTab, KeyModifiers::SHIFT)]);
        check(b"\x1b[127u", &[plain(KeyCode::Backspace)]);
        check(b"\x1b[10u", &[ch('\n')]);
        check(b"\x1b[57399u", &[ch('0')]);
        check(b"\x1b[57408u", &[ch('9')]);
        check(b"\x1b[57414u", &[plain(KeyCode::Enter)]);
        check(b"\x1b[57376u", &[plain(KeyCode::F(13))]);
        check(b"\x1b[57398u", &[plain(KeyCode::F(35))]);
        check(b"\x1b[57428u", &[plain(KeyCode::Media(MediaKeyCode::Play))]);
        check(
            b"\x1b[57441;2u",
            &[k(
                KeyCode::Modifier(ModifierKeyCode::LeftShift),
                KeyModifiers::SHIFT,
            )],
        );
        check(
            b"\x1b[57443u",
            &[k(
                KeyCode::Modifier(ModifierKeyCode::LeftAlt),
                KeyModifiers::ALT,
            )],
        );
        // The shifted key of "report alternate keys" replaces SHIFT.
        check(b"\x1b[97:65;2u", &[ch('A')]);
        check(b"\x1b[97;2u", &[k(KeyCode::Char('a'), KeyModifiers::SHIFT)]);
        // Not a character.
        check(b"\x1b[55296uz", &[ch('z')]);
        check(b"\x1b[9999999999uz", &[ch('z')]);
    }

    #[test]
    fn mouse_reports() {
        let at = |kind, column, row, modifiers| {
            Input::Event(Event::Mouse(MouseEvent {
                kind,
                column,
                row,
                modifiers,
            }))
        };
        let left = MouseButton::Left;
        check(
            b"\x1b[M !!z",
            &[
                at(MouseEventKind::Down(left), 0, 0, KeyModifiers::NONE),
                ch('z'),
            ],
        );
        check(
            b"\x1b[M0*+",
            &[at(MouseEventKind::Down(left), 9, 10, KeyModifiers::CONTROL)],
        );
        check(
            b"\x1b[<0;10;5M",
            &[at(MouseEventKind::Down(left), 9, 4, KeyModifiers::NONE)],
        );
        check(
            b"\x1b[<0;10;5m",
            &[at(MouseEventKind::Up(left), 9, 4, KeyModifiers::NONE)],
        );
        check(
            b"\x1b[<64;1;1M",
            &[at(MouseEventKind::ScrollUp, 0, 0, KeyModifiers::NONE)],
        );
        check(
            b"\x1b[<35;3;4M",
            &[at(MouseEventKind::Moved, 2, 3, KeyModifiers::NONE)],
        );
        check(
            b"\x1b[32;10;5M",
            &[at(MouseEventKind::Down(left), 9, 4, KeyModifiers::NONE)],
        );
        // Malformed reports are dropped whole.
        check(b"\x1b[M\x1f!!z", &[ch('z')]);
        check(b"\x1b[M  !z", &[ch('z')]);
        check(b"\x1b[<0;0;5Mz", &[ch('z')]);
        check(b"\x1b[<0;1;5Xz", &[ch('z')]);
        check(b"\x1b[<200;1;1Mz", &[ch('z')]);
        check(b"\x1b[31;1;1Mz", &[ch('z')]);
    }

    #[test]
    fn other_sequences_are_dropped_without_stalling() {
        for seq in [
            &b"\x1b[?1u"[..],
            b"\x1b[?u",
            b"\x1b[?62;22c",
            b"\x1b[?2004h",
            b"\x1b[>0;136;0c",
            b"\x1b[=1;2c",
            b"\x1b[ q",
            b"\x1b[12;40R",
            b"\x1b[x",
            b"\x1b[;",
            b"\x1b[\x80",
            b"\x1b[99~",
            b"\x1b[1;2;3m",
        ] {
            let mut bytes = seq.to_vec();
            bytes.push(b'z');
            check(&bytes, &[ch('z')]);
        }
        // A cut `ESC O` or `ESC [` is dropped, but the ESC that cut it starts the next key.
        check(b"\x1bO\x1bz", &[k(KeyCode::Char('z'), KeyModifiers::ALT)]);
        check(b"\x1b[[\x1bz", &[k(KeyCode::Char('z'), KeyModifiers::ALT)]);
    }

    #[test]
    fn an_overlong_sequence_is_dropped_and_memory_stays_small() {
        let mut bytes = b"\x1b[".to_vec();
        bytes.extend(std::iter::repeat_n(b'1', 100));
        bytes.extend_from_slice(b"Az");
        check(&bytes, &[ch('z')]);

        let mut p = Parser::new(CAP);
        for b in &bytes {
            p.feed(std::slice::from_ref(b), true);
            assert!(p.pending.len() < MAX_SEQUENCE);
        }
        assert_eq!(drain(&mut p), [ch('z')]);

        // A sequence of exactly MAX_SEQUENCE bytes still counts.
        let mut bytes = b"\x1b[".to_vec();
        bytes.extend(std::iter::repeat_n(b'0', MAX_SEQUENCE - 4));
        bytes.extend_from_slice(b"3~");
        bytes.push(b'z');
        assert_eq!(bytes.len(), MAX_SEQUENCE + 1);
        check(&bytes, &[plain(KeyCode::Delete), ch('z')]);
        // One more byte, and it does not.
        let mut bytes = b"\x1b[".to_vec();
        bytes.extend(std::iter::repeat_n(b'0', MAX_SEQUENCE - 3));
        bytes.extend_from_slice(b"3~z");
        check(&bytes, &[ch('z')]);
        // The dropped rest ends at a byte that cannot be in a CSI sequence, too.
        let mut bytes = b"\x1b[1".to_vec();
        bytes.extend(std::iter::repeat_n(b';', 100));
        bytes.extend_from_slice(b"\x1b[A");
        check(&bytes, &[plain(KeyCode::Up)]);
    }

    #[test]
    fn a_mix_splits_at_every_byte() {
        let mut bytes = Vec::new();
        let mut expected = Vec::new();
        for (seq, input) in [
            (&b"a"[..], ch('a')),
            (b"\x1b[A", plain(KeyCode::Up)),
            (b"\x1b\t", k(KeyCode::Tab, KeyModifiers::ALT)),
            ("€".as_bytes(), ch('€')),
            (b"\x1bOP", plain(KeyCode::F(1))),
            (b"\x1b[1;5C", k(KeyCode::Right, KeyModifiers::CONTROL)),
            (b"\x1b[200~p\x1bq\x1b[201~", paste("p\x1bq")),
            (b"\x1b[3;2~", k(KeyCode::Delete, KeyModifiers::SHIFT)),
            (b"\x1b[I", Input::Event(Event::FocusGained)),
            (b"\r", plain(KeyCode::Enter)),
            (b"\x1bx", k(KeyCode::Char('x'), KeyModifiers::ALT)),
            (b"\x1b", plain(KeyCode::Esc)),
        ] {
            bytes.extend_from_slice(seq);
            expected.push(input);
        }
        check(&bytes, &expected);
    }

    fn paste_of(content: &[u8]) -> Vec<u8> {
        let mut bytes = PASTE_START.to_vec();
        bytes.extend_from_slice(content);
        bytes.extend_from_slice(PASTE_END);
        bytes
    }

    #[test]
    fn a_paste_within_the_cap() {
        check(&paste_of(b"hello\r\nworld"), &[paste("hello\r\nworld")]);
        check(&paste_of(b""), &[paste("")]);
        check(&paste_of("é€".as_bytes()), &[paste("é€")]);
        check(&paste_of(b"bad \xff byte"), &[paste("bad \u{fffd} byte")]);
        // Keys around it in the same read.
        let mut bytes = b"a".to_vec();
        bytes.extend(paste_of(b"b"));
        bytes.extend_from_slice(b"c\x1b[B");
        check(
            &bytes,
            &[ch('a'), paste("b"), ch('c'), plain(KeyCode::Down)],
        );
    }

    #[test]
    fn escapes_inside_a_paste_stay_content() {
        let content = b"\x1b x\x1b[201 y\x1b[201\x1b[20\x1b\x1b[A\x1b[200~\x1b";
        check(
            &paste_of(content),
            &[paste(std::str::from_utf8(content).unwrap_or_default())],
        );
        let mut p = Parser::new(CAP);
        p.feed(&paste_of(b"\x1b[201"), false);
        assert_eq!(drain(&mut p), [paste("\x1b[201")]);
        assert!(!p.is_mid_sequence());
    }

    #[test]
    fn an_unfinished_paste_is_held() {
        let mut p = Parser::new(CAP);
        p.feed(b"\x1b[200~abc\x1b[20", false);
        assert_eq!(p.next(), None);
        assert!(p.is_mid_sequence());
        p.feed(b"1~d", false);
        assert_eq!(drain(&mut p), [paste("abc"), ch('d')]);
        assert!(!p.is_mid_sequence());
    }

    #[test]
    fn a_paste_at_the_cap_fits_and_one_byte_more_does_not() {
        let content = vec![b'a'; CAP];
        let text = String::from_utf8(content.clone()).unwrap_or_default();
        assert_eq!(whole(&paste_of(&content)), [paste(&text)]);
        assert_eq!(bytewise(&paste_of(&content)), [paste(&text)]);

        let content = vec![b'a'; CAP + 1];
        let too_long = Input::PasteTooLong {
            bytes: CAP as u64 + 1,
        };
        assert_eq!(whole(&paste_of(&content)), std::slice::from_ref(&too_long));
        assert_eq!(bytewise(&paste_of(&content)), [too_long]);

        // A held marker prefix that turns out to be content counts too.
        let mut content = vec![b'a'; CAP - 2];
        content.extend_from_slice(b"\x1b[2");
        let too_long = Input::PasteTooLong {
            bytes: CAP as u64 + 1,
        };
        assert_eq!(bytewise(&paste_of(&content)), [too_long]);

        let mut p = Parser::new(0);
        p.feed(&paste_of(b""), false);
        p.feed(&paste_of(b"x"), false);
        assert_eq!(drain(&mut p), [paste(""), Input::PasteTooLong { bytes: 1 }]);
    }

    #[test]
    fn the_paste_end_marker_splits_at_every_byte() {
        let bytes = {
            let mut b = paste_of(b"12\x1b345");
            b.push(b'x');
            b
        };
        for cap in [0, 3, 6, 100] {
            let expected = if cap >= 6 {
                paste("12\x1b345")
            } else {
                Input::PasteTooLong { bytes: 6 }
            };
            for a in 0..=bytes.len() {
                for b in a..=bytes.len() {
                    let mut p = Parser::new(cap);
                    p.feed(&bytes[..a], true);
                    p.feed(&bytes[a..b], true);
                    p.feed(&bytes[b..], false);
                    assert_eq!(drain(&mut p), [expected.clone(), ch('x')], "{cap} {a} {b}");
                }
            }
        }
    }

    /// 50 MiB of content, repeated from a 4096-byte block that holds ESCs and end-marker
    /// prefixes, one of them running across the block's end.
    #[test]
    fn a_fifty_megabyte_paste_is_counted_not_kept() {
        const LEN: usize = 50 * 1024 * 1024;
        const CHUNK: usize = 4096;
        let mut block: Vec<u8> = (b'a'..=b'z').cycle().take(CHUNK).collect();
        block[100] = ESC;
        block[1000..1007].copy_from_slice(b"\x1b[201x\n");
        block[CHUNK - 4..].copy_from_slice(b"\x1b[20");
        let head = PASTE_START;
        let tail = b"\x1b[201~x";
        let total = head.len() + LEN + tail.len();
        // The first read is 9 bytes, then 4096 each: a read ends 3 bytes into the marker.
        let mut bounds = vec![0, 9];
        while bounds[bounds.len() - 1] < total {
            let next = (bounds[bounds.len() - 1] + CHUNK).min(total);
            bounds.push(next);
        }
        assert!(bounds.contains(&(head.len() + LEN + 3)));

        let cap = 1 << 20;
        let mut p = Parser::new(cap);
        let mut chunk = Vec::with_capacity(CHUNK);
        let mut out = Vec::new();
        let started = std::time::Instant::now();
        for pair in bounds.windows(2) {
            chunk.clear();
            let mut pos = pair[0];
            while pos < pair[1] {
                if pos < head.len() {
                    chunk.push(head[pos]);
                    pos += 1;
                } else if pos < head.len() + LEN {
                    let off = (pos - head.len()) % CHUNK;
                    let n = (pair[1] - pos).min(CHUNK - off);
                    chunk.extend_from_slice(&block[off..off + n]);
                    pos += n;
                } else {
                    chunk.push(tail[pos - head.len() - LEN]);
                    pos += 1;
                }
            }
            p.feed(&chunk, pair[1] < total);
            if let Mode::Paste(paste) = &p.mode {
                assert!(paste.content.capacity() <= cap);
            }
            out.extend(drain(&mut p));
        }
        let elapsed = started.elapsed();
        assert_eq!(out, [Input::PasteTooLong { bytes: 52_428_800 }, ch('x')]);
        assert!(!p.is_mid_sequence());
        // Generous for an unoptimised build on a busy machine; a release build takes a
        // small fraction of this.
        assert!(elapsed.as_secs() < 10, "{elapsed:?}");
    }

    /// A simple xorshift: fixed, reproducible pseudo-random bytes.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn byte(&mut self) -> u8 {
            self.next().to_le_bytes()[0]
        }
    }

    #[test]
    fn random_bytes_never_panic_and_stay_bounded() {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let mut p = Parser::new(4096);
        let mut buf = [0u8; 1024];
        for _ in 0..1024 {
            let len = usize::from(rng.byte()) * 4 + 1;
            for b in &mut buf[..len] {
                *b = rng.byte();
            }
            p.feed(&buf[..len], rng.byte() & 1 == 0);
            assert!(p.pending.len() < MAX_SEQUENCE);
            drain(&mut p);
        }
    }

    /// Bytes from a small alphabet rich in escape-sequence pieces, including paste
    /// markers: the events are the same however the stream is cut into reads.
    #[test]
    fn biased_random_bytes_give_the_same_events_however_split() {
        const ALPHABET: &[&[u8]] = &[
            b"\x1b",
            b"[",
            b"O",
            b"1",
            b"2",
            b"0",
            b"5",
            b";",
            b":",
            b"~",
            b"A",
            b"u",
            b"M",
            b"<",
            b"?",
            b"m",
            b"a",
            b"\r",
            b"\x80",
            b"\xc3",
            b"\xa9",
            b"\x1b[200~",
            b"\x1b[201~",
            b"\x1b[20",
        ];
        let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
        let mut bytes = Vec::new();
        while bytes.len() < 1 << 20 {
            let piece = ALPHABET[usize::from(rng.byte()) % ALPHABET.len()];
            bytes.extend_from_slice(piece);
        }
        let cap = 64;
        let mut reference = Parser::new(cap);
        reference.feed(&bytes, false);
        let expected = drain(&mut reference);
        assert!(
            expected
                .iter()
                .any(|i| matches!(i, Input::PasteTooLong { .. }))
        );
        assert!(
            expected
                .iter()
                .any(|i| matches!(i, Input::Event(Event::Paste(_))))
        );
        assert!(
            expected
                .iter()
                .any(|i| matches!(i, Input::Event(Event::Key(_))))
        );

        let mut p = Parser::new(cap);
        let mut got = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let len = (usize::from(rng.byte()) % 37 + 1).min(bytes.len() - at);
            p.feed(&bytes[at..at + len], true);
            at += len;
            assert!(p.pending.len() < MAX_SEQUENCE);
            if let Mode::Paste(paste) = &p.mode {
                assert!(paste.content.capacity() <= cap);
            }
            got.extend(drain(&mut p));
        }
        p.feed(&[], false);
        got.extend(drain(&mut p));
        assert_eq!(got.len(), expected.len());
        assert!(got == expected);
    }

    #[test]
    fn key_events_are_presses_without_state() {
        let bytes = b"a\x1b[1;5:2A\x1b[97;65u\x1b[57399u";
        for input in whole(bytes) {
            let Input::Event(Event::Key(key)) = input else {
                panic!("not a key: {input:?}");
            };
            assert_eq!(key.kind, KeyEventKind::Press);
            assert_eq!(key.state, KeyEventState::NONE);
        }
    }
}
