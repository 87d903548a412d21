//! Helpers for end-to-end tests that run the real `tandem` binary: in a pseudo-terminal
//! (portable-pty, parsed with vt100) for the interactive program, or as a plain child
//! process for the admin commands.
//!
//! Every wait is bounded in time and in the number of polls; a child that does not finish
//! in time is killed, and a failed wait panics with the current screen.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
#![allow(dead_code, reason = "not every test file uses every helper")]

use std::fs::File;
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// Rows of the pseudo-terminal.
pub const ROWS: u16 = 24;
/// Columns of the pseudo-terminal.
pub const COLS: u16 = 80;
/// The pause between two polls of a wait loop.
const POLL: Duration = Duration::from_millis(20);
/// Upper bound for the number of reads of the reader thread (each up to 4 KiB).
const MAX_READS: usize = 1 << 20;
/// How long to wait for the reader thread to drain the pty after the child exited.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(3);

/// A demo database of today (the binary runs on the real clock) in `dir`.
pub fn demo_db(dir: &TestDir) -> PathBuf {
    let path = dir.join("t.db");
    let store =
        tandem::storage::Store::open(&path, tandem::storage::OpenMode::CreateOrMigrate).unwrap();
    let today = tandem::domain::Clock::system().today();
    tandem::demo::write(&store, &tandem::demo::demo_data(today)).unwrap();
    path
}

/// The path of the binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tandem")
}

/// Number of polls of `POLL` that fit into `timeout` (at least one), the count bound of
/// every wait loop.
fn polls(timeout: Duration) -> u128 {
    timeout.as_millis() / POLL.as_millis() + 1
}

/// A temporary home for one test: `HOME` and `TANDEM_DATA` point into it, so the log,
/// default database and any configuration lookup stay inside. Removed when dropped.
pub struct TestDir {
    dir: tempfile::TempDir,
}

impl TestDir {
    /// Creates a new empty temporary directory.
    pub fn new() -> TestDir {
        TestDir {
            dir: tempfile::tempdir().expect("create temp dir"),
        }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `name` inside the directory.
    pub fn join(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `name` inside the directory as a string argument for the command line.
    pub fn arg(&self, name: &str) -> String {
        path_arg(&self.join(name))
    }

    /// The base environment of a child: `HOME` and `TANDEM_DATA` set to the directory and
    /// `TERM=xterm-256color`. Children start with an otherwise empty environment.
    pub fn env(&self) -> Vec<(String, String)> {
        let home = path_arg(self.path());
        vec![
            ("HOME".to_string(), home.clone()),
            ("TANDEM_DATA".to_string(), home),
            ("TERM".to_string(), "xterm-256color".to_string()),
        ]
    }

    /// The base environment with `key` set to `value` (replacing a base entry).
    pub fn env_with(&self, key: &str, value: &str) -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> =
            self.env().into_iter().filter(|(k, _)| k != key).collect();
        env.push((key.to_string(), value.to_string()));
        env
    }
}

/// A path as a UTF-8 string (temporary directories are UTF-8 on the test machines).
pub fn path_arg(path: &Path) -> String {
    path.to_str().expect("UTF-8 temp path").to_string()
}

/// Output of a plain (non-pty) run of the binary.
#[derive(Debug)]
pub struct Output {
    /// Exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Everything written to standard output.
    pub stdout: String,
    /// Everything written to standard error.
    pub stderr: String,
}

/// Runs `tandem args…` without a terminal (stdin from /dev/null, stdout and stderr into
/// files in `dir`), with exactly the environment `env`. Kills the child and panics if it
/// does not finish within `timeout`.
pub fn run_plain(
    dir: &TestDir,
    args: &[&str],
    env: &[(String, String)],
    timeout: Duration,
) -> Output {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let k = COUNTER.fetch_add(1, Ordering::Relaxed);
    let out_path = dir.join(&format!("run{k}.stdout"));
    let err_path = dir.join(&format!("run{k}.stderr"));
    let mut child = Command::new(bin())
        .args(args)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).expect("stdout file"))
        .stderr(File::create(&err_path).expect("stderr file"))
        .spawn()
        .expect("spawn tandem");
    let started = Instant::now();
    let mut status = None;
    for _ in 0..polls(timeout) {
        if let Some(s) = child.try_wait().expect("try_wait") {
            status = Some(s);
            break;
        }
        if started.elapsed() > timeout {
            break;
        }
        thread::sleep(POLL);
    }
    let Some(status) = status else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("tandem {args:?} did not finish within {timeout:?}");
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).expect("read output")).into_owned();
    let out = Output {
        code: status.code(),
        stdout: read(&out_path),
        stderr: read(&err_path),
    };
    let _ = std::fs::remove_file(out_path);
    let _ = std::fs::remove_file(err_path);
    out
}

/// Runs `tandem seed --db <dir>/<name> --cases <cases>` and panics unless it succeeds.
/// Returns the database path.
pub fn seed(dir: &TestDir, name: &str, cases: usize) -> PathBuf {
    let db = dir.arg(name);
    let cases = cases.to_string();
    let out = run_plain(
        dir,
        &["seed", "--db", &db, "--cases", &cases],
        &dir.env(),
        Duration::from_mins(1),
    );
    assert_eq!(out.code, Some(0), "seed failed: {out:?}");
    dir.join(name)
}

/// What the reader thread collects.
struct Shared {
    /// Every byte the child wrote, unparsed.
    raw: Vec<u8>,
    /// The parsed screen.
    parser: vt100::Parser,
    /// Set when the reader reached end of file (the child and all slave handles are gone).
    eof: bool,
}

/// One run of the binary in an 80×24 pseudo-terminal. Dropping it kills a child that is
/// still running.
pub struct Session {
    child: Box<dyn Child + Send + Sync>,
    // Kept so the pty stays open while the reader drains it.
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    shared: Arc<Mutex<Shared>>,
    label: String,
    exit: Option<u32>,
}

impl Session {
    /// Starts `tandem args…` in a new pseudo-terminal with exactly the environment `env`
    /// (see [`TestDir::env`]) and starts the reader thread that feeds the screen parser.
    pub fn spawn(args: &[&str], env: &[(String, String)]) -> Session {
        Session::spawn_program(bin(), args, env)
    }

    /// [`Session::spawn`] for another program (the `ssh` client of tests/ssh.rs).
    pub fn spawn_program(program: &str, args: &[&str], env: &[(String, String)]) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open pty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env_clear();
        for (k, v) in env {
            cmd.env(k, v);
        }
        if let Some((_, home)) = env.iter().find(|(k, _)| k == "HOME") {
            cmd.cwd(home);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn tandem in pty");
        // Without our copy of the slave, the reader sees end of file once the child is gone.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let shared = Arc::new(Mutex::new(Shared {
            raw: Vec::new(),
            parser: vt100::Parser::new(
                NonZeroU16::new(ROWS).expect("rows"),
                NonZeroU16::new(COLS).expect("cols"),
                0,
            ),
            eof: false,
        }));
        let sink = Arc::clone(&shared);
        thread::spawn(move || {
            let mut buf = [0u8; 4096];
            for _ in 0..MAX_READS {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut s = sink
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        s.raw.extend_from_slice(&buf[..n]);
                        s.parser.process(&buf[..n]);
                    }
                }
            }
            sink.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .eof = true;
        });
        Session {
            child,
            _master: pair.master,
            writer,
            shared,
            label: args.join(" "),
            exit: None,
        }
    }

    /// Locks the shared state (ignoring poison: a panicking test still wants the dump).
    fn lock(&self) -> MutexGuard<'_, Shared> {
        self.shared
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The current screen as text, one line per row.
    pub fn screen(&self) -> String {
        self.lock().parser.screen().contents()
    }

    /// The rows of the current screen.
    pub fn rows(&self) -> Vec<String> {
        self.lock().parser.screen().rows(0, COLS).collect()
    }

    /// Every byte the child has written so far.
    pub fn raw(&self) -> Vec<u8> {
        self.lock().raw.clone()
    }

    /// Everything the child has written so far, decoded lossily.
    pub fn output(&self) -> String {
        String::from_utf8_lossy(&self.lock().raw).into_owned()
    }

    /// Where the terminal's cursor stands (row, column) and whether it is shown.
    pub fn cursor(&self) -> ((u16, u16), bool) {
        let shared = self.lock();
        let screen = shared.parser.screen();
        (screen.cursor_position(), !screen.hide_cursor())
    }

    /// Whether the parsed terminal is on the alternate screen now.
    pub fn alternate_screen(&self) -> bool {
        self.lock().parser.screen().alternate_screen()
    }

    /// A dump of the screen and the raw tail for failure messages.
    pub fn dump(&self) -> String {
        let s = self.lock();
        let tail_start = s.raw.len().saturating_sub(600);
        format!(
            "--- tandem {} ---\n{}\n--- last raw bytes ---\n{:?}\n---",
            self.label,
            s.parser.screen().contents(),
            String::from_utf8_lossy(&s.raw[tail_start..])
        )
    }

    /// Waits until `pred(screen text)` holds; panics with `what` and the screen dump after
    /// `timeout`. Returns the screen that satisfied it.
    pub fn wait_until(
        &mut self,
        what: &str,
        timeout: Duration,
        pred: impl Fn(&str) -> bool,
    ) -> String {
        let started = Instant::now();
        for _ in 0..polls(timeout) {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            if started.elapsed() > timeout {
                break;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                // One more look: the last frame may have arrived with the exit.
                let screen = self.screen();
                if pred(&screen) {
                    return screen;
                }
                panic!(
                    "waiting for {what}: tandem exited ({status})\n{}",
                    self.dump()
                );
            }
            thread::sleep(POLL);
        }
        panic!(
            "waiting for {what}: not seen within {timeout:?}\n{}",
            self.dump()
        );
    }

    /// Waits until the screen contains `text`; panics with the screen dump after `timeout`.
    pub fn wait_for(&mut self, text: &str, timeout: Duration) -> String {
        self.wait_until(&format!("{text:?}"), timeout, |s| s.contains(text))
    }

    /// Writes `bytes` to the terminal as if typed.
    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    /// Sends a lone ESC and pauses, so the next key is not read as Alt+key.
    pub fn send_esc(&mut self) {
        self.send(b"\x1b");
        thread::sleep(Duration::from_millis(300));
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child has a pid")
    }

    /// Ends the child with SIGKILL, as `kill -9` does: no handler runs, only what it wrote
    /// before stays. Waits until the child is reaped (a zombie would still hold its pid).
    pub fn kill9(&mut self) {
        let pid = rustix::process::Pid::from_raw(i32::try_from(self.pid()).expect("pid fits"))
            .expect("a real pid");
        rustix::process::kill_process(pid, rustix::process::Signal::KILL).expect("kill -9");
        let started = Instant::now();
        for _ in 0..polls(Duration::from_secs(5)) {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(status.signal().is_some(), "ended by the signal: {status}");
                return;
            }
            if started.elapsed() > Duration::from_secs(5) {
                break;
            }
            thread::sleep(POLL);
        }
        panic!("tandem not gone 5 s after SIGKILL\n{}", self.dump());
    }

    /// Waits until the child exits and the reader has drained the pty; returns the exit
    /// code. Kills the child and panics after `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> u32 {
        if let Some(code) = self.exit {
            return code;
        }
        let started = Instant::now();
        let mut status = None;
        for _ in 0..polls(timeout) {
            if let Some(s) = self.child.try_wait().expect("try_wait") {
                status = Some(s);
                break;
            }
            if started.elapsed() > timeout {
                break;
            }
            thread::sleep(POLL);
        }
        let Some(status) = status else {
            let _ = self.child.kill();
            let _ = self.child.wait();
            panic!("tandem did not exit within {timeout:?}\n{}", self.dump());
        };
        assert!(
            status.signal().is_none(),
            "tandem ended by a signal ({status})\n{}",
            self.dump()
        );
        let drain_started = Instant::now();
        for _ in 0..polls(DRAIN_TIMEOUT) {
            if self.lock().eof || drain_started.elapsed() > DRAIN_TIMEOUT {
                break;
            }
            thread::sleep(POLL);
        }
        assert!(
            self.lock().eof,
            "pty not drained after exit\n{}",
            self.dump()
        );
        self.exit = Some(status.exit_code());
        status.exit_code()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.exit.is_none() && matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            for _ in 0..polls(Duration::from_secs(2)) {
                if !matches!(self.child.try_wait(), Ok(None)) {
                    break;
                }
                thread::sleep(POLL);
            }
        }
    }
}

/// The total N of the first "Fall <pos> von N" on `screen`, if shown.
pub fn case_total(screen: &str) -> Option<usize> {
    let start = screen.find("Fall ")?;
    let rest = &screen[start + "Fall ".len()..];
    let (_, after) = rest.split_once(" von ")?;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Whether `haystack` contains `needle` (byte strings).
pub fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    find_last(haystack, needle).is_some()
}

/// The index of the last occurrence of `needle` in `haystack`.
pub fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len())
        .rev()
        .find(|&i| &haystack[i..i + needle.len()] == needle)
}
