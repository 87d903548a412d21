//! What a terminal keeps after a session ends (issue #21; docs/data-exits.md § 2): after a
//! logout, an idle lock, a hang-up and a panic, neither the visible screen nor the scrollback of a
//! real terminal (tmux, `capture-pane -S -`) holds a demo surname. Tandem draws on the
//! alternate screen and leaves it, so nothing it drew reaches the scrollback. And a running
//! session hides its memory from the other processes of its account (docs/data-exits.md
//! § 3).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// One tmux server of its own per test (a socket in the test's directory).
struct Tmux {
    socket: String,
}

impl Tmux {
    /// A server with one 80×24 pane that runs `shell` with `sh -c`.
    fn start(dir: &Path, shell: &str) -> Tmux {
        support::ensure_program("tmux", "-V", "tmux");
        let tmux = Tmux {
            socket: dir.join("tmux.sock").to_string_lossy().into_owned(),
        };
        tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            "80",
            "-y",
            "24",
            "sh",
            "-c",
            shell,
        ]);
        tmux
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The visible screen and the whole scrollback.
    fn everything(&self) -> String {
        self.run(&["capture-pane", "-p", "-J", "-S", "-", "-t", "t"])
    }

    fn wait_for(&self, what: &str, timeout: Duration) -> String {
        let end = Instant::now() + timeout;
        loop {
            let screen = self.everything();
            if screen.contains(what) {
                return screen;
            }
            assert!(Instant::now() < end, "{what:?} never shown:\n{screen}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .arg("kill-server")
            .status();
    }
}

/// The demo's surnames that the case list shows first.
fn surnames() -> Vec<String> {
    let data = tandem::demo::demo_data(support::today());
    data.cases
        .iter()
        .map(|c| c.person.surname.clone())
        .filter(|s| s.len() > 3)
        .collect()
}

/// Runs `tandem demo` for brinkmann in a shell in tmux at 80×24 that prints "ENDE" when
/// tandem has ended and then waits; `env` and `config` as given; returns the tmux server
/// once the case list is shown.
fn session(dir: &Path, env: &str, config: Option<&str>) -> Tmux {
    let db = dir.join("demo.db");
    let mut env = env.to_string();
    if let Some(text) = config {
        let file = dir.join("tandem.toml");
        std::fs::write(&file, text).unwrap();
        env = format!("{env} TANDEM_CONFIG={}", file.display());
    }
    let command = format!(
        "cd {dir} && env HOME={dir} TANDEM_DATA={dir} {env} {bin} demo --db {db} --user brinkmann",
        dir = dir.display(),
        bin = env!("CARGO_BIN_EXE_tandem"),
        db = db.display(),
    );
    Tmux::start(dir, &format!("{command}; echo ENDE; sleep 600"))
}

fn assert_no_surname(screen: &str, when: &str) {
    for name in surnames() {
        assert!(
            !screen.contains(&name),
            "{when}: {name:?} is still in the terminal:\n{screen}"
        );
    }
}

#[test]
fn after_a_logout_the_terminal_keeps_no_case_data() {
    let dir = tempfile::tempdir().unwrap();
    let tmux = session(dir.path(), "", None);
    // The list with its names, while the session runs …
    let shown = tmux.wait_for("Fälle", Duration::from_mins(1));
    let first = surnames()
        .into_iter()
        .find(|n| shown.contains(n.as_str()))
        .unwrap_or_else(|| panic!("no demo surname on the list:\n{shown}"));
    // … then quit (Esc first, should anything be open).
    tmux.run(&["send-keys", "-t", "t", "Escape"]);
    std::thread::sleep(Duration::from_millis(300));
    tmux.run(&["send-keys", "-t", "t", "q"]);
    let after = tmux.wait_for("ENDE", Duration::from_secs(20));
    assert!(!after.contains(&first), "{after}");
    assert_no_surname(&after, "after the logout");
}

#[test]
fn after_the_idle_lock_the_terminal_keeps_no_case_data() {
    let dir = tempfile::tempdir().unwrap();
    let tmux = session(dir.path(), "", Some("idle-lock-minutes = 1\n"));
    tmux.wait_for("Fälle", Duration::from_mins(1));
    // A minute without a key: the session locks and ends.
    let after = tmux.wait_for("ENDE", Duration::from_secs(100));
    assert_no_surname(&after, "after the idle lock");
}

#[test]
fn after_a_hang_up_the_terminal_keeps_no_case_data() {
    let dir = tempfile::tempdir().unwrap();
    let tmux = session(dir.path(), "", None);
    tmux.wait_for("Fälle", Duration::from_mins(1));
    // The link drops: sshd sends SIGHUP to the session.
    let pid = support::tandem_pid(&dir.path().join("demo.db")).expect("the session's process");
    rustix::process::kill_process(
        rustix::process::Pid::from_raw(i32::try_from(pid).unwrap()).unwrap(),
        rustix::process::Signal::HUP,
    )
    .unwrap();
    let after = tmux.wait_for("ENDE", Duration::from_secs(20));
    assert_no_surname(&after, "after the hang-up");
}

#[test]
fn after_a_panic_the_terminal_keeps_no_case_data_and_one_german_line() {
    let dir = tempfile::tempdir().unwrap();
    // Debug builds only: a panic right after the first frame (src/session.rs).
    let tmux = session(dir.path(), "TANDEM_DEBUG_PANIC=1", None);
    let after = tmux.wait_for("ENDE", Duration::from_mins(1));
    assert_no_surname(&after, "after the panic");
    assert!(!after.contains("TANDEM_DEBUG_PANIC"), "{after}");
    assert!(!after.contains("panicked"), "no Rust panic text: {after}");
    assert!(
        after.contains("Tandem wurde wegen eines internen Fehlers beendet."),
        "one German line: {after}"
    );
}

/// How a command runs as "the account" of a session: as uid/gid 65534 through `setpriv`
/// when the tests run as root (root's processes may read every process), else as the
/// current user.
fn as_account() -> &'static str {
    let root = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"));
    if root {
        "setpriv --reuid=65534 --regid=65534 --clear-groups"
    } else {
        ""
    }
}

/// `program` run as a process of the account ([`as_account`]).
fn as_account_command(program: &str) -> Command {
    let words: Vec<&str> = as_account().split_whitespace().collect();
    match words.split_first() {
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest).arg(program);
            c
        }
        None => Command::new(program),
    }
}

/// Whether `path` can be read by a process of the account.
fn account_reads(path: &str) -> bool {
    let out = as_account_command("cat")
        .arg(path)
        .output()
        .expect("cat runs");
    out.status.success() && !out.stdout.is_empty()
}

#[test]
fn a_running_session_keeps_its_environment_from_the_accounts_other_processes() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    // A folder and a copy of the binary the unprivileged account can use.
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o777)).unwrap();
    let bin = path.join("tandem");
    std::fs::copy(env!("CARGO_BIN_EXE_tandem"), &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = path.join("demo.db");
    let tmux = Tmux::start(
        path,
        &format!(
            "cd {dir} && {who} env HOME={dir} TANDEM_DATA={dir} {bin} demo --db {db} --user brinkmann; \
         echo ENDE; sleep 600",
            dir = path.display(),
            who = as_account(),
            bin = bin.display(),
            db = db.display(),
        ),
    );
    tmux.wait_for("Fälle", Duration::from_mins(1));
    let pid = support::tandem_pid(&db).expect("the session's process");
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    assert!(
        limits.lines().any(
            |l| l.starts_with("Max core file size") && l.split_whitespace().nth(4) == Some("0")
        ),
        "{limits}"
    );
    assert!(
        !account_reads(&format!("/proc/{pid}/environ")),
        "another process of the account reads the session's environment"
    );
    // The same check reads the environment of an ordinary process of the account.
    let mut plain = as_account_command("sleep").arg("30").spawn().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let readable = account_reads(&format!("/proc/{}/environ", plain.id()));
    let _ = plain.kill();
    let _ = plain.wait();
    assert!(readable, "an ordinary process of the account is readable");
    tmux.run(&["send-keys", "-t", "t", "q"]);
    tmux.wait_for("ENDE", Duration::from_secs(20));
}
