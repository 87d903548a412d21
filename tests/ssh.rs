//! The SSH front door against a real OpenSSH server on loopback (docs/architecture.md § 7):
//! each test writes its own sshd configuration, host key and key directory into a
//! temporary directory and starts `sshd -D` on a free port of 127.0.0.1 as the current user
//! (root here: `PermitRootLogin prohibit-password`, `StrictModes no` for the temporary
//! directory). The key file is what `tandem keys --out` writes, so the forced command of
//! every login is Tandem's own.
//!
//! openssh-server must be installed (`.ci/run` and the README's test command install it):
//! without it these tests fail with a message, they are never skipped.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

#[path = "support/pty.rs"]
mod pty_support;
mod support;

use std::fs::File;
use std::io::Read as _;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use pty_support::{Output, Session, TestDir, bin, path_arg, run_plain};
use tandem::domain::{Agency, Role};
use tandem::storage::staff::NewStaff;
use tandem::storage::{OpenMode, Store};

const SSHD: &str = "/usr/sbin/sshd";
const SSH: &str = "/usr/bin/ssh";
const SSH_KEYGEN: &str = "/usr/bin/ssh-keygen";

/// The database `tandem init` made, opened with the key file it made beside it.
fn open_keyed(db: &Path) -> Store {
    let key = tandem::storage::DbKey::load(&tandem::storage::key::default_key_path(db)).ok();
    Store::open_keyed(db, OpenMode::Existing, key.as_ref()).unwrap()
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Runs `program args…` without a terminal, stdin from /dev/null, with exactly `env`; kills
/// it and panics after `timeout`.
fn run(program: &str, args: &[&str], env: &[(String, String)], timeout: Duration) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let (o, e) = (dir.path().join("out"), dir.path().join("err"));
    let mut child = Command::new(program)
        .args(args)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::null())
        .stdout(File::create(&o).unwrap())
        .stderr(File::create(&e).unwrap())
        .spawn()
        .unwrap_or_else(|err| panic!("{program} cannot be started: {err}"));
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{program} {args:?} did not finish within {timeout:?}");
        }
        thread::sleep(Duration::from_millis(20));
    };
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
    Output {
        code: status.code(),
        stdout: read(&o),
        stderr: read(&e),
    }
}

/// The current user's name (sshd logs in as this account).
fn me() -> String {
    nix::unistd::User::from_uid(nix::unistd::getuid())
        .unwrap()
        .expect("the current user has a passwd entry")
        .name
}

/// Makes sshd, ssh, scp, sftp and ssh-keygen available, installing the Debian packages
/// once if needed (so the README's `cargo test` passes on a fresh machine, as the sqlite3
/// of tests/audit.rs). If that fails, the tests fail with this message: never skipped.
fn ensure_openssh() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let present = || {
            [SSHD, SSH, SSH_KEYGEN]
                .iter()
                .all(|p| Path::new(p).exists())
        };
        if present() {
            return;
        }
        // Root on the project's machines; `apt-get update` first, as the package lists of a
        // fresh machine may be empty.
        let _ = Command::new("apt-get").args(["update", "-qq"]).status();
        let _ = Command::new("apt-get")
            .args(["install", "-y", "-qq", "openssh-server", "openssh-client"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status();
        assert!(
            present(),
            "OpenSSH is missing ({SSHD}, {SSH}) and `apt-get install -y openssh-server \
             openssh-client` failed; the SSH tests need a real sshd and are never skipped"
        );
    });
}

/// The login of every client: the current user on loopback.
fn host() -> String {
    format!("{}@127.0.0.1", me())
}

/// A new key pair `<dir>/<name>` (ed25519 unless `kind` says otherwise); returns the path
/// of the private key.
fn keygen(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let key = dir.join(name);
    let mut all = vec!["-q", "-N", "", "-C", name, "-f"];
    let key_arg = path_arg(&key);
    all.push(&key_arg);
    if args.is_empty() {
        all.extend(["-t", "ed25519"]);
    }
    all.extend_from_slice(args);
    let out = run(SSH_KEYGEN, &all, &[], secs(30));
    assert_eq!(out.code, Some(0), "ssh-keygen: {out:?}");
    key
}

/// ssh-keygen's own fingerprint of a public key file (`SHA256:…`).
fn keygen_fingerprint(pubkey: &Path) -> String {
    let out = run(SSH_KEYGEN, &["-l", "-f", &path_arg(pubkey)], &[], secs(10));
    assert_eq!(out.code, Some(0), "{out:?}");
    out.stdout.split_whitespace().nth(1).unwrap().to_string()
}

/// One installation: a database, its staff, keys and a running sshd.
struct Site {
    dir: TestDir,
    db: PathBuf,
    port: u16,
    sshd: Child,
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = self.sshd.kill();
        let _ = self.sshd.wait();
    }
}

/// Staff of every site besides the administrator `erika` (Jugendamt, from `tandem init`):
/// `anna` (Jugendamt caseworker) and `bernd` (Jugendamt caseworker, to be deactivated).
const STAFF: [(&str, &str, &str); 2] = [("anna", "Anna", "Aktiv"), ("bernd", "Bernd", "Weg")];

impl Site {
    fn new() -> Site {
        ensure_openssh();
        let dir = TestDir::new();
        let db = dir.join("tandem.db");
        for d in ["keys", "data"] {
            std::fs::create_dir(dir.join(d)).unwrap();
        }
        // The administrator through `tandem init`, the others through the library.
        let admin_key = keygen(dir.path(), "erika", &[]);
        let out = run_plain(
            &dir,
            &[
                "init",
                "--db",
                &path_arg(&db),
                "--admin",
                "erika",
                "--name",
                "Erika Muster",
                "--stelle",
                "ja",
                "--key",
                &format!("{}.pub", path_arg(&admin_key)),
            ],
            &dir.env(),
            secs(30),
        );
        assert_eq!(out.code, Some(0), "tandem init: {out:?}");
        {
            let store = open_keyed(&db);
            let new: Vec<NewStaff> = STAFF
                .iter()
                .map(|(login, given, surname)| NewStaff {
                    login: (*login).to_string(),
                    surname: (*surname).to_string(),
                    given_name: (*given).to_string(),
                    agency: Agency::Jugendamt,
                    roles: vec![Role::JaStaff],
                    phone: String::new(),
                    email: String::new(),
                })
                .collect();
            store.insert_staff(&new).unwrap();
        }
        for (login, _, _) in STAFF {
            let key = keygen(dir.path(), login, &[]);
            let out = run_plain(
                &dir,
                &[
                    "staff",
                    "key",
                    "add",
                    login,
                    &format!("{}.pub", path_arg(&key)),
                    "--db",
                    &path_arg(&db),
                    "--user",
                    "erika",
                ],
                &dir.env(),
                secs(30),
            );
            assert_eq!(out.code, Some(0), "staff key add {login}: {out:?}");
        }
        let port = {
            let l = TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let mut site = Site {
            sshd: start_sshd(&dir, port, &dir.join("keys")),
            dir,
            db,
            port,
        };
        site.install_keys();
        site.wait_for_port();
        site
    }

    /// `tandem keys --db … --out <keys>/<user>`, as root would install it.
    fn install_keys(&mut self) {
        let target = self.dir.join("keys").join(me());
        let out = run_plain(
            &self.dir,
            &[
                "keys",
                "--db",
                &path_arg(&self.db),
                "--out",
                &path_arg(&target),
            ],
            &self.dir.env(),
            secs(30),
        );
        assert_eq!(out.code, Some(0), "tandem keys: {out:?}");
    }

    fn keys_file(&self) -> PathBuf {
        self.dir.join("keys").join(me())
    }

    fn wait_for_port(&mut self) {
        let started = Instant::now();
        while started.elapsed() < secs(10) {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            if let Some(status) = self.sshd.try_wait().unwrap() {
                panic!("sshd ended ({status}): {}", self.sshd_log());
            }
            thread::sleep(Duration::from_millis(20));
        }
        panic!("sshd not listening after 10 s: {}", self.sshd_log());
    }

    fn sshd_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("sshd.log")).unwrap_or_default()
    }

    fn key(&self, name: &str) -> String {
        self.dir.arg(name)
    }

    /// The client's environment: its own HOME, a terminal type and a PATH for scp/sftp.
    fn client_env(&self) -> Vec<(String, String)> {
        vec![
            ("HOME".to_string(), self.dir.arg("data")),
            ("TERM".to_string(), "xterm-256color".to_string()),
            ("PATH".to_string(), "/usr/bin:/bin".to_string()),
        ]
    }

    /// Options of every client: no configuration, no agent, no known hosts, one key.
    fn client_options(&self, key: &str) -> Vec<String> {
        [
            "-F",
            "/dev/null",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "IdentityAgent=none",
            "-o",
            "BatchMode=yes",
            "-o",
            "ConnectTimeout=10",
            "-o",
            "LogLevel=ERROR",
            "-i",
            &self.key(key),
        ]
        .iter()
        .map(ToString::to_string)
        .collect()
    }

    /// `ssh -p PORT [extra…] user@127.0.0.1 [command…]` without a terminal.
    fn ssh(&self, key: &str, extra: &[&str], command: &[&str]) -> Output {
        let port = self.port.to_string();
        let mut args = self.client_options(key);
        args.extend(["-p".to_string(), port]);
        args.extend(extra.iter().map(ToString::to_string));
        args.push(host());
        args.extend(command.iter().map(ToString::to_string));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(SSH, &args, &self.client_env(), secs(30))
    }

    /// `ssh -tt … user@127.0.0.1 command…` in a pseudo-terminal.
    fn ssh_tty(&self, key: &str, command: &[&str]) -> Session {
        let port = self.port.to_string();
        let mut args = self.client_options(key);
        args.extend(["-tt".to_string(), "-p".to_string(), port, host()]);
        args.extend(command.iter().map(ToString::to_string));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        Session::spawn_program(SSH, &args, &self.client_env())
    }

    fn store(&self) -> Store {
        open_keyed(&self.db)
    }
}

/// Writes the host key and sshd_config of `dir` and starts `sshd -D -e` on `port`.
fn start_sshd(dir: &TestDir, port: u16, keys: &Path) -> Child {
    // sshd's privilege separation needs this directory (made by the service at boot).
    std::fs::create_dir_all("/run/sshd").unwrap();
    let host_key = keygen(dir.path(), "host_key", &["-t", "ed25519"]);
    let config = dir.join("sshd_config");
    // What a test in a temporary directory needs, then the shipped drop-in
    // deploy/sshd_config.d/tandem.conf itself (for sshd the first value of a setting wins,
    // so the lines before the Include override it: port, host key, the current user instead
    // of the service account, root login by key for a test that runs as root, StrictModes
    // off for the temporary directory, no PAM).
    std::fs::write(
        &config,
        format!(
            "Port {port}\n\
             ListenAddress 127.0.0.1\n\
             HostKey {host}\n\
             PidFile none\n\
             StrictModes no\n\
             UsePAM no\n\
             PermitRootLogin prohibit-password\n\
             AllowUsers {user}\n\
             AuthorizedKeysFile {keys}/%u\n\
             Subsystem sftp internal-sftp\n\
             SetEnv TANDEM_DATA={data}\n\
             LogLevel VERBOSE\n\
             Include {dropin}\n",
            host = path_arg(&host_key),
            user = me(),
            keys = path_arg(keys),
            data = dir.arg("data"),
            dropin = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/deploy/sshd_config.d/tandem.conf"
            ),
        ),
    )
    .unwrap();
    let check = run(SSHD, &["-t", "-f", &path_arg(&config)], &[], secs(10));
    assert_eq!(check.code, Some(0), "sshd -t: {check:?}");
    Command::new(SSHD)
        .args(["-D", "-e", "-f", &path_arg(&config)])
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(File::create(dir.join("sshd.log")).unwrap())
        .spawn()
        .expect("start sshd")
}

#[test]
fn an_active_key_lands_in_tandem_whatever_the_client_asks() {
    let site = Site::new();
    for request in [
        &["bash"][..],
        &["cat", "/etc/passwd;", "rm", "-rf", "/"],
        &[],
    ] {
        let mut s = site.ssh_tty("anna", request);
        let screen = s.wait_for("Anna Aktiv", secs(20));
        assert!(screen.contains("F2 Fälle"), "{}", s.dump());
        s.send(b"q");
        let code = s.wait_exit(secs(15));
        assert_eq!(code, 0, "{}", s.dump());
        assert!(
            !s.output().contains("root@"),
            "no shell prompt: {}",
            s.dump()
        );
    }
    // Every login is one audit row naming the key and the client address.
    let fingerprint = keygen_fingerprint(&site.dir.join("anna.pub"));
    let anna = site.store().staff_by_login("anna").unwrap().unwrap();
    let origins = site.store().login_origins().unwrap();
    assert_eq!(origins.len(), 3, "{origins:?}");
    for o in origins {
        assert_eq!(o.action, "login");
        assert_eq!(o.staff_id, Some(anna.id.0));
        assert_eq!(o.key_fingerprint.as_deref(), Some(fingerprint.as_str()));
        assert!(
            o.client
                .as_deref()
                .is_some_and(|c| c.starts_with("127.0.0.1 ")),
            "{o:?}"
        );
        assert_eq!(o.verb, "tui");
    }
    assert!(site.store().verify_audit().unwrap().is_ok());
}

#[test]
fn whitelisted_verbs_write_plain_data() {
    let site = Site::new();
    let out = site.ssh(
        "anna",
        &[],
        &["ics", "--from", "01.12.2026", "--to", "31.12.2026"],
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.starts_with("BEGIN:VCALENDAR"), "{out:?}");
    assert!(out.stdout.trim_end().ends_with("END:VCALENDAR"), "{out:?}");
    let out = site.ssh("anna", &[], &["oncall"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(!out.stdout.is_empty() && out.stderr.is_empty(), "{out:?}");
    // The yearly report is a verb too, for leads and DSBs: a caseworker is refused with
    // one German line and exit 1 (docs/report.md § 4).
    let out = site.ssh(
        "anna",
        &[],
        &["report", "--year", "2026", "--format", "csv"],
    );
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    assert!(out.stderr.contains("Jahresbericht"), "{out:?}");
    let verbs: Vec<String> = site
        .store()
        .login_origins()
        .unwrap()
        .into_iter()
        .map(|o| o.verb)
        .collect();
    assert_eq!(verbs, ["ics", "oncall", "report"]);
    // Any other request without a terminal: the interactive program, which refuses to run
    // without one (exit 2) — never a shell.
    let out = site.ssh("anna", &[], &["id"]);
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(!out.stdout.contains("uid="), "{out:?}");

    // `dokument N`: the PDF its maker printed, byte for byte (docs/documents.md § 2);
    // anyone else, and any other number, gets the same one line.
    let store = site.store();
    let anna = store.staff_by_login("anna").unwrap().unwrap();
    let pdf = tandem::documents::render(&tandem::documents::Doc {
        title: "Einladung zum Gespräch".into(),
        lang: "de",
        author: "Anna Aktiv, Jugendamt".into(),
        made_at: chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
        blocks: vec![tandem::documents::Block::Para(
            "Guten Tag Łukasz Wiśniewski,".into(),
        )],
    })
    .unwrap();
    let exports = site.db.parent().unwrap().join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    std::fs::write(exports.join("brief-konferenz1.pdf"), &pdf).unwrap();
    // Anna leads for a while: the yearly report is hers to print and fetch.
    let lead = |sql: &str| {
        tandem::storage::testing::execute(&store, sql, &[&anna.id.0]).unwrap();
    };
    lead("INSERT INTO staff_role (staff_id, role) VALUES (?1, 'lead')");
    let n = store
        .record_document(&anna, "report", 2026, "pdf-report", "brief-konferenz1.pdf")
        .unwrap();
    let out = site.ssh("anna", &[], &["dokument", &n.to_string()]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.starts_with("%PDF-"));
    assert_eq!(out.stdout, String::from_utf8_lossy(&pdf), "byte for byte");
    let fetched = store.audit_tail(2).unwrap();
    assert!(
        fetched
            .iter()
            .any(|e| e.action == "export" && e.object_type == "document" && e.object_id == Some(n)),
        "{fetched:?}"
    );
    // No longer a lead: the report is no longer hers to fetch.
    lead("DELETE FROM staff_role WHERE staff_id = ?1 AND role = 'lead'");
    for (who, asked) in [("anna", n), ("bernd", n), ("anna", n + 1)] {
        let out = site.ssh(who, &[], &["dokument", &asked.to_string()]);
        assert_eq!(out.code, Some(1), "{out:?}");
        assert!(out.stdout.is_empty(), "{out:?}");
        assert_eq!(
            out.stderr.trim(),
            format!("Kein Dokument {asked} von Ihnen.")
        );
    }
}

#[test]
fn unknown_and_deactivated_keys_are_refused() {
    let mut site = Site::new();
    keygen(site.dir.path(), "stranger", &[]);
    let out = site.ssh("stranger", &[], &["oncall"]);
    assert_eq!(out.code, Some(255), "{out:?}");
    assert!(out.stderr.contains("Permission denied"), "{out:?}");

    // bernd works until deactivated; then `tandem keys` has no line for him.
    assert_eq!(site.ssh("bernd", &[], &["oncall"]).code, Some(0));
    let store = site.store();
    let bernd = store.staff_by_login("bernd").unwrap().unwrap();
    store.set_staff_active(bernd.id, false).unwrap();
    drop(store);
    // Before the key file is rewritten, Tandem itself refuses him (77).
    let out = site.ssh("bernd", &[], &["oncall"]);
    assert_eq!(out.code, Some(77), "{out:?}");
    site.install_keys();
    let keys = std::fs::read_to_string(site.keys_file()).unwrap();
    assert!(!keys.contains("--user bernd"), "{keys}");
    assert!(keys.contains("--user anna"), "{keys}");
    let out = site.ssh("bernd", &[], &["oncall"]);
    assert_eq!(out.code, Some(255), "{out:?}");
    assert!(out.stderr.contains("Permission denied"), "{out:?}");
}

#[test]
fn a_key_line_without_pty_gets_no_terminal() {
    let site = Site::new();
    let keys = std::fs::read_to_string(site.keys_file()).unwrap();
    assert!(keys.contains("restrict,pty,command="), "{keys}");
    std::fs::write(site.keys_file(), keys.replace("restrict,pty,", "restrict,")).unwrap();
    let mut s = site.ssh_tty("anna", &[]);
    let code = s.wait_exit(secs(20));
    let output = s.output();
    assert!(
        output.contains("PTY allocation request failed"),
        "{}",
        s.dump()
    );
    // The client gives up (-tt insists on a terminal); nothing of Tandem was drawn.
    assert_eq!(code, 255, "{}", s.dump());
    assert!(!output.contains("F2 Fälle"), "{}", s.dump());
}

#[test]
fn scp_and_sftp_transfer_nothing() {
    let site = Site::new();
    let secret = site.dir.join("secret.txt");
    std::fs::write(&secret, "geheim").unwrap();
    let port = site.port.to_string();
    let opts = site.client_options("anna");
    let opts: Vec<&str> = opts.iter().map(String::as_str).collect();
    let remote = |p: &Path| format!("{}:{}", host(), path_arg(p));
    let env = site.client_env();
    let scp = |extra: &[&str], from: &str, to: &str| {
        let mut args = opts.clone();
        args.extend(["-P", &port, "-S", SSH]);
        args.extend_from_slice(extra);
        args.extend([from, to]);
        run("/usr/bin/scp", &args, &env, secs(30))
    };
    // Upload (legacy protocol and SFTP protocol) and download.
    let up_legacy = site.dir.join("up_legacy");
    let up_sftp = site.dir.join("up_sftp");
    let down = site.dir.join("down");
    for (extra, from, to, target) in [
        (
            &["-O"][..],
            path_arg(&secret),
            remote(&up_legacy),
            &up_legacy,
        ),
        (&[][..], path_arg(&secret), remote(&up_sftp), &up_sftp),
        (&["-O"][..], remote(&secret), path_arg(&down), &down),
    ] {
        let out = scp(extra, &from, &to);
        assert_ne!(out.code, Some(0), "{out:?}");
        assert!(!target.exists(), "{target:?} was written: {out:?}");
    }
    let down_sftp = site.dir.join("down_sftp");
    let batch = site.dir.join("batch");
    std::fs::write(
        &batch,
        format!(
            "put {} {}\nget {} {}\n",
            path_arg(&secret),
            site.dir.arg("up_batch"),
            path_arg(&secret),
            path_arg(&down_sftp)
        ),
    )
    .unwrap();
    let batch = path_arg(&batch);
    let mut args = opts.clone();
    args.extend(["-P", &port, "-S", SSH, "-b", &batch]);
    let host = host();
    args.push(&host);
    let out = run("/usr/bin/sftp", &args, &env, secs(30));
    assert_ne!(out.code, Some(0), "{out:?}");
    assert!(
        !site.dir.join("up_batch").exists() && !down_sftp.exists(),
        "{out:?}"
    );
}

#[test]
fn port_forwarding_is_refused() {
    let site = Site::new();
    // -R: the server refuses to listen.
    let out = site.ssh(
        "anna",
        &[
            "-N",
            "-o",
            "ExitOnForwardFailure=yes",
            "-R",
            "127.0.0.1:0:127.0.0.1:9",
        ],
        &[],
    );
    assert_eq!(out.code, Some(255), "{out:?}");
    assert!(out.stderr.contains("forwarding failed"), "{out:?}");
    // -L: the client listens, but the server opens no channel to sshd's own port; a
    // working forward would deliver sshd's banner.
    let local = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let port = site.port.to_string();
    let forward = format!("127.0.0.1:{local}:127.0.0.1:{}", site.port);
    let mut args = site.client_options("anna");
    args.extend(
        ["-N", "-p", &port, "-L", &forward, &host()]
            .iter()
            .map(ToString::to_string),
    );
    // The refusal is logged at level INFO.
    for a in &mut args {
        if a == "LogLevel=ERROR" {
            *a = "LogLevel=INFO".to_string();
        }
    }
    let log = site.dir.join("forward.log");
    let mut client = Command::new(SSH)
        .args(&args)
        .env_clear()
        .envs(site.client_env())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut stream = loop {
        if let Ok(s) = TcpStream::connect(("127.0.0.1", local)) {
            break s;
        }
        if started.elapsed() > secs(15) || client.try_wait().unwrap().is_some() {
            let _ = client.kill();
            let _ = client.wait();
            panic!(
                "the -L listener never came up: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        thread::sleep(Duration::from_millis(50));
    };
    stream.set_read_timeout(Some(secs(5))).unwrap();
    let mut got = Vec::new();
    let _ = stream.read_to_end(&mut got);
    let _ = client.kill();
    let _ = client.wait();
    let text = String::from_utf8_lossy(&got);
    assert!(!text.contains("SSH-2.0"), "the forward worked: {text}");
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(log.contains("administratively prohibited"), "{log}");
}

#[test]
fn fingerprints_match_ssh_keygen_for_every_key_type() {
    ensure_openssh();
    let dir = TestDir::new();
    for (name, args) in [
        ("ed", &["-t", "ed25519"][..]),
        ("ec256", &["-t", "ecdsa", "-b", "256"]),
        ("ec384", &["-t", "ecdsa", "-b", "384"]),
        ("ec521", &["-t", "ecdsa", "-b", "521"]),
        ("rsa", &["-t", "rsa", "-b", "3072"]),
    ] {
        let key = keygen(dir.path(), name, args);
        let pubfile = dir.join(&format!("{name}.pub"));
        let parsed = tandem::storage::ssh_keys::PublicKey::parse(
            &std::fs::read_to_string(&pubfile).unwrap(),
        )
        .unwrap_or_else(|p| panic!("{name}: {p:?}"));
        assert_eq!(parsed.fingerprint, keygen_fingerprint(&pubfile), "{name}");
        // The private key is refused with a German line.
        let text = std::fs::read_to_string(&key).unwrap();
        assert!(tandem::storage::ssh_keys::PublicKey::parse(&text).is_err());
    }
    let short = keygen(dir.path(), "short", &["-t", "rsa", "-b", "2048"]);
    let text = std::fs::read_to_string(format!("{}.pub", path_arg(&short))).unwrap();
    assert_eq!(
        tandem::storage::ssh_keys::PublicKey::parse(&text),
        Err(tandem::storage::ssh_keys::KeyProblem::RsaTooShort(2048))
    );
    let _ = bin();
}

/// Splits a README command line into words: white space separates, double quotes group.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                word.get_or_insert_with(String::new);
            }
            c if c.is_whitespace() && !quoted => out.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    out.extend(word);
    out
}

/// The README's administrator's guide, command by command, on a fresh directory: init,
/// a key for the administrator (the staff-administration verbs are on another branch, so
/// the one person is the administrator herself), the key list, its installation as root
/// would do it, sshd with the shipped drop-in, and a login that ends in Tandem.
#[test]
fn the_readme_guide_ends_logged_in() {
    ensure_openssh();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let dir = TestDir::new();
    std::fs::create_dir_all(dir.join("srv/tandem")).unwrap();
    std::fs::create_dir_all(dir.join("data")).unwrap();
    keygen(dir.path(), "erika", &[]);
    keygen(dir.path(), "erika-laptop", &[]);
    keygen(dir.path(), "mmeyer", &[]);
    let here = path_arg(dir.path());
    // The installation's paths and account, mapped into the temporary directory and onto
    // the current user.
    let substitute = |line: &str| {
        line.replace("sudo -u tandem ", "")
            .replace("/usr/local/bin/tandem", bin())
            .replace(
                "authorized_keys/tandem",
                &format!("authorized_keys/{}", me()),
            )
            .replace("/srv/tandem", &format!("{here}/srv/tandem"))
            .replace("/etc/tandem", &format!("{here}/etc/tandem"))
            .replace(" erika.pub", &format!(" {here}/erika.pub"))
            .replace(" erika-laptop.pub", &format!(" {here}/erika-laptop.pub"))
            .replace(" mmeyer.pub", &format!(" {here}/mmeyer.pub"))
    };
    let env = vec![
        ("HOME".to_string(), dir.arg("data")),
        ("TANDEM_DATA".to_string(), dir.arg("data")),
        ("PATH".to_string(), "/usr/bin:/bin".to_string()),
    ];
    for line in [
        "sudo -u tandem /usr/local/bin/tandem init --db /srv/tandem/tandem.db --admin erika --name \"Erika Muster\" --stelle ja --key erika.pub",
        "sudo -u tandem /usr/local/bin/tandem staff add --db /srv/tandem/tandem.db --user erika --login mmeyer --surname Meyer --given-name Maria --stelle ja --roles ja_staff",
        "sudo -u tandem /usr/local/bin/tandem staff key add mmeyer mmeyer.pub --db /srv/tandem/tandem.db --user erika",
        "sudo -u tandem /usr/local/bin/tandem staff key add erika erika-laptop.pub --db /srv/tandem/tandem.db --user erika",
        "sudo -u tandem /usr/local/bin/tandem staff key list --db /srv/tandem/tandem.db --user erika",
        "sudo -u tandem /usr/local/bin/tandem keys --db /srv/tandem/tandem.db --out /srv/tandem/authorized_keys",
        "install -d -m 0755 /etc/tandem/authorized_keys",
        "install -m 0644 /srv/tandem/authorized_keys /etc/tandem/authorized_keys/tandem.new",
        "mv /etc/tandem/authorized_keys/tandem.new /etc/tandem/authorized_keys/tandem",
    ] {
        assert!(readme.contains(line), "the README no longer says: {line}");
        let argv = words(&substitute(line));
        let args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
        let out = run(&argv[0], &args, &env, secs(30));
        assert_eq!(out.code, Some(0), "{line}: {out:?}");
    }
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut site = Site {
        sshd: start_sshd(&dir, port, &dir.join("etc/tandem/authorized_keys")),
        db: dir.join("srv/tandem/tandem.db"),
        dir,
        port,
    };
    site.wait_for_port();
    let mut s = site.ssh_tty("erika-laptop", &[]);
    s.wait_for("Erika Muster", secs(20));
    // The running session in the service account writes no core file
    // (docs/data-exits.md § 3); that another process of the account cannot read its
    // environment is tested in tests/leaving.rs, which can run the session as a user
    // without privileges (here the account is root when the tests run as root).
    let pid =
        support::tandem_pid(&site.db).unwrap_or_else(|| panic!("no session process\n{}", s.dump()));
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let core: Vec<&str> = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(&core[4..6], ["0", "0"], "{limits}");
    s.send(b"q");
    assert_eq!(s.wait_exit(secs(15)), 0, "{}", s.dump());
    let origins = site.store().login_origins().unwrap();
    assert_eq!(
        origins.last().and_then(|o| o.key_fingerprint.clone()),
        Some(keygen_fingerprint(&site.dir.join("erika-laptop.pub")))
    );
    // The staff member added in step 4 logs in with her own key as herself.
    let mut m = site.ssh_tty("mmeyer", &[]);
    m.wait_for("Maria Meyer", secs(20));
    m.send(b"q");
    assert_eq!(m.wait_exit(secs(15)), 0, "{}", m.dump());

    // The database was encrypted from the start, its key file the service account's only.
    let key = site.dir.join("srv/tandem/tandem.db.key");
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}", key.display());
    let head = std::fs::read(&site.db).unwrap();
    assert!(
        !head.starts_with(b"SQLite format 3"),
        "the file is encrypted"
    );
    // Step 9: backup, check, restore.
    for line in [
        "sudo -u tandem /usr/local/bin/tandem backup --db /srv/tandem/tandem.db /srv/tandem/backup-2026-12-01.db",
        "sudo -u tandem /usr/local/bin/tandem check --db /srv/tandem/tandem.db",
        "sudo -u tandem /usr/local/bin/tandem restore --db /srv/tandem/tandem.db /srv/tandem/backup-2026-12-01.db",
    ] {
        assert!(readme.contains(line), "the README no longer says: {line}");
        let argv = words(&substitute(line));
        let args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
        let out = run(&argv[0], &args, &env, secs(30));
        assert_eq!(out.code, Some(0), "{line}: {out:?}");
    }
}
