//! The session's input: reads the terminal's bytes itself and hands them to
//! [`super::keys::Parser`], which bounds a paste, instead of crossterm's reader, which
//! collects a whole bracketed paste in memory first (docs/data-exits.md § 5). A window
//! size change (SIGWINCH) wakes the same wait through a self-pipe and becomes
//! `Event::Resize`.

use std::collections::VecDeque;
use std::io::{Error, ErrorKind};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::Event;
use rustix::event::{PollFd, PollFlags, Timespec, poll};

use super::keys::{Input, Parser};

/// Bytes read from the terminal at once.
const CHUNK: usize = 8192;

/// The terminal's input as parsed events.
pub struct Reader {
    parser: Parser,
    ready: VecDeque<Input>,
    /// Readable after a SIGWINCH.
    winch: UnixStream,
    buf: Box<[u8]>,
}

impl Reader {
    /// A reader of standard input keeping at most `paste_cap` bytes of one paste.
    ///
    /// # Errors
    /// When the self-pipe or the signal handler cannot be set up.
    pub fn new(paste_cap: usize) -> std::io::Result<Reader> {
        let (winch, notify) = UnixStream::pair()?;
        winch.set_nonblocking(true)?;
        notify.set_nonblocking(true)?;
        signal_hook::low_level::pipe::register(signal_hook::consts::SIGWINCH, notify)?;
        Ok(Reader {
            parser: Parser::new(paste_cap),
            ready: VecDeque::new(),
            winch,
            buf: vec![0; CHUNK].into_boxed_slice(),
        })
    }

    /// Waits up to `timeout` for input; true when [`Reader::take`] has some.
    ///
    /// # Errors
    /// When the terminal is gone (end of input, EIO): the caller ends as on a hang-up.
    pub fn poll(&mut self, timeout: Duration) -> std::io::Result<bool> {
        let deadline = Instant::now() + timeout;
        loop {
            if !self.ready.is_empty() {
                return Ok(true);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let (input, resized) = wait(&self.winch, left)?;
            if resized {
                self.drain_winch();
                if let Ok((w, h)) = ratatui::crossterm::terminal::size() {
                    self.ready.push_back(Input::Event(Event::Resize(w, h)));
                }
            }
            if input {
                self.read_some()?;
            }
            if !self.ready.is_empty() {
                return Ok(true);
            }
            if Instant::now() >= deadline {
                return Ok(false);
            }
        }
    }

    /// The next input read, if any.
    pub fn take(&mut self) -> Option<Input> {
        self.ready.pop_front()
    }

    fn read_some(&mut self) -> std::io::Result<()> {
        let stdin = std::io::stdin();
        let n = loop {
            match rustix::io::read(stdin.as_fd(), &mut self.buf[..]) {
                Ok(n) => break n,
                Err(rustix::io::Errno::INTR) => {}
                Err(rustix::io::Errno::AGAIN) => return Ok(()),
                Err(e) => return Err(e.into()),
            }
        };
        if n == 0 {
            return Err(Error::from(ErrorKind::UnexpectedEof));
        }
        // A lone ESC at the end is the Esc key only when nothing follows at once.
        let more = wait(&self.winch, Duration::ZERO).is_ok_and(|(i, _)| i);
        self.parser.feed(&self.buf[..n], more);
        while let Some(input) = self.parser.next() {
            self.ready.push_back(input);
        }
        Ok(())
    }

    fn drain_winch(&mut self) {
        let mut sink = [0u8; 64];
        while rustix::io::read(self.winch.as_fd(), &mut sink).is_ok_and(|n| n > 0) {}
    }
}

/// Whether bytes wait on standard input, not yet read (lets idle work give way to the
/// next key; called from SQLite's progress handler, so it holds no reader).
pub fn input_waiting() -> bool {
    let stdin = std::io::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let zero = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    poll(&mut fds, Some(&zero)).map_or(true, |_| !fds[0].revents().is_empty())
}

/// Waits up to `timeout` for standard input or the resize pipe: (input readable or hung
/// up, resized).
fn wait(winch: &UnixStream, timeout: Duration) -> std::io::Result<(bool, bool)> {
    let stdin = std::io::stdin();
    let mut fds = [
        PollFd::new(&stdin, PollFlags::IN),
        PollFd::new(winch, PollFlags::IN),
    ];
    let ts = Timespec {
        tv_sec: i64::try_from(timeout.as_secs()).unwrap_or(i64::MAX),
        tv_nsec: i64::from(timeout.subsec_nanos()),
    };
    match poll(&mut fds, Some(&ts)) {
        Ok(_) | Err(rustix::io::Errno::INTR) => {}
        Err(e) => return Err(e.into()),
    }
    let gone = PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL;
    Ok((
        fds[0].revents().intersects(PollFlags::IN | gone),
        fds[1].revents().contains(PollFlags::IN),
    ))
}
