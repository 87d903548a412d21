//! Every example of README.md works when pasted (issue 16, class 8): the TOML configuration
//! example loads through the real configuration parser, and the `tandem` command lines of
//! the `sh` blocks run with the built binary against a temporary demo database, with the
//! placeholders (`/srv/tandem/tandem.db`, `LOGIN`, `ADMIN`, `ADMIN2`, backup and load-test
//! paths) replaced by real ones. A line that cannot run here is listed with its reason.
//! The administrator's guide's `sudo -u tandem` lines run in `tests/ssh.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::path::Path;
use std::process::{Command, Output};

use tandem::config::Config;
use tandem::domain::{Agency, Role};
use tandem::storage::staff::NewStaff;
use tandem::storage::{DbKey, OpenMode, Store};

/// The second Jugendamt administrator the test creates for `ADMIN2`.
const SECOND_ADMIN: &str = "adminzwei";

/// The heading of the administrator's guide, whose `sh` lines `tests/ssh.rs`
/// (`the_readme_guide_ends_logged_in`) runs as root on a real OpenSSH server.
const GUIDE: &str = "## Putting Tandem into service";

/// README.md; with `before_guide`, only the part before the administrator's guide.
fn readme(before_guide: bool) -> String {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    if !before_guide {
        return text;
    }
    let end = text.find(GUIDE).expect("the administrator's guide");
    text[..end].to_string()
}

/// The fenced blocks of `lang` in `readme`, each as its lines without the block's
/// indentation.
fn blocks(readme: &str, lang: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut current: Option<(usize, Vec<String>)> = None;
    for line in readme.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match current.take() {
            None => {
                if trimmed.strip_prefix("```") == Some(lang) {
                    current = Some((indent, Vec::new()));
                }
            }
            Some((_, block)) if trimmed == "```" => found.push(block),
            Some((indent, mut block)) => {
                block.push(line.get(indent..).unwrap_or(trimmed).to_string());
                current = Some((indent, block));
            }
        }
    }
    assert!(
        current.is_none(),
        "an unclosed ```{lang} block in README.md"
    );
    found
}

/// Shell words of one command line: double quotes group, an unquoted `#` word starts a
/// comment, a trailing `\` joins the next line (done by the caller).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                in_word = true;
            }
            '#' if !quoted && !in_word => break,
            c if c.is_whitespace() && !quoted => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    assert!(!quoted, "unbalanced quotes: {line}");
    if in_word {
        out.push(word);
    }
    out
}

/// The command lines of the `sh` blocks before the administrator's guide, continuation
/// lines joined and comment-only lines dropped.
fn command_lines() -> Vec<String> {
    let mut lines = Vec::new();
    for block in blocks(&readme(true), "sh") {
        let mut pending = String::new();
        for line in block {
            let code = line.split(" #").next().unwrap_or("").trim_end();
            if pending.is_empty() && line.trim_start().starts_with('#') {
                continue;
            }
            if let Some(start) = code.strip_suffix('\\') {
                pending.push_str(start);
                pending.push(' ');
                continue;
            }
            pending.push_str(&line);
            lines.push(std::mem::take(&mut pending).trim().to_string());
        }
        assert!(pending.is_empty(), "a continued line ends its block");
    }
    lines
}

/// Why a README line does not run here, or `None` when it does.
fn skipped(line: &str) -> Option<&'static str> {
    if line.starts_with("cargo run") {
        Some("builds and starts the interactive demo (covered by the pty tests)")
    } else if line.starts_with("cargo test") {
        Some("the test suite itself")
    } else if line.starts_with("cargo bench") {
        Some("benchmarks: .ci/run runs the short forms of perf and load on every CI run")
    } else if line.starts_with("tandem --db") {
        Some("the interactive program needs a terminal (covered by tests/pty.rs and tests/ssh.rs)")
    } else {
        None
    }
}

/// The binary with its data folder and configuration lookup inside `dir`.
fn bin(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tandem"));
    cmd.current_dir(dir)
        .env("TANDEM_DATA", dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env_remove("TANDEM_CONFIG");
    cmd
}

fn show(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs the README line `words` (without its leading `tandem`) with the placeholders
/// replaced.
fn run_line(dir: &Path, db: &Path, words: &[String]) -> Output {
    // `LOGIN` is a caseworker; `audit grants` is for the DSB or a lead.
    let login = if words.starts_with(&["audit".to_string()]) {
        "wiemers"
    } else {
        tandem::demo::DEMO_USER
    };
    let args: Vec<String> = words
        .iter()
        .map(|w| match w.as_str() {
            "/srv/tandem/tandem.db" => db.display().to_string(),
            "/tmp/load.db" => dir.join("load.db").display().to_string(),
            // 100000 cases take minutes in a debug build; the command is the same.
            "100000" => "40".to_string(),
            "LOGIN" => login.to_string(),
            "DSB" => "wiemers".to_string(),
            "LEAD" => "schwering".to_string(),
            "ADMIN" => tandem::demo::DEMO_JA_ADMIN.to_string(),
            "ADMIN2" => SECOND_ADMIN.to_string(),
            w if w.starts_with("/backup/") => dir.join(&w[1..]).display().to_string(),
            w => w.to_string(),
        })
        .collect();
    bin(dir).args(&args).output().unwrap()
}

#[test]
fn the_readme_toml_examples_load_through_the_real_parser() {
    let examples = blocks(&readme(false), "toml");
    assert!(!examples.is_empty(), "README.md has a ```toml example");
    let dir = tempfile::tempdir().unwrap();
    for (i, example) in examples.iter().enumerate() {
        let file = dir.path().join(format!("config-{i}.toml"));
        std::fs::write(&file, example.join("\n")).unwrap();
        let config = Config::load(Some(&file))
            .unwrap_or_else(|e| panic!("README example {i} refused: {e}\n{}", example.join("\n")));
        if example.iter().any(|l| l.contains("closure-days")) {
            assert!(!config.child_protection.closure_days.is_empty());
        }
        if example.iter().any(|l| l.starts_with("export-dir")) {
            assert!(config.export_dir.is_some());
        }
        // The binary takes it too.
        let out = bin(dir.path())
            .arg("--config")
            .arg(&file)
            .args(["staff", "list", "--db"])
            .arg(dir.path().join("fehlt.db"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("Konfiguration"), "{err}");
    }
}

#[test]
fn the_readme_command_lines_run() {
    let lines = command_lines();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The demo staff on a new encrypted database, as `seed` makes it.
    let db = d.join("tandem.db");
    let out = bin(d)
        .args(["seed", "--cases", "20", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    // A second Jugendamt administrator for `ADMIN2` (four eyes need two).
    {
        let key = DbKey::load(&tandem::storage::key::default_key_path(&db)).unwrap();
        let store = Store::open_keyed(&db, OpenMode::Existing, Some(&key)).unwrap();
        store
            .insert_staff(&[NewStaff {
                login: SECOND_ADMIN.into(),
                surname: "Zweite".into(),
                given_name: "Admin".into(),
                agency: Agency::Jugendamt,
                roles: vec![Role::Admin],
                phone: String::new(),
                email: String::new(),
            }])
            .unwrap();
    }

    // The backup folder of the example exists on a real host.
    std::fs::create_dir(d.join("backup")).unwrap();

    let mut ran = Vec::new();
    let mut not_run = Vec::new();
    for line in &lines {
        if let Some(reason) = skipped(line) {
            not_run.push((line.clone(), reason));
            continue;
        }
        let w = words(line);
        assert_eq!(w.first().map(String::as_str), Some("tandem"), "{line}");
        // `staff refuse 1` is the alternative to `staff confirm 1`: it runs on a copy of
        // the database taken before the confirmation.
        let target = if w.get(1..3) == Some(&["staff".into(), "refuse".into()]) {
            d.join("vor-bestaetigung.db")
        } else {
            db.clone()
        };
        if w.get(1..3) == Some(&["staff".into(), "confirm".into()]) {
            let copy = d.join("vor-bestaetigung.db");
            let out = bin(d)
                .args(["backup", "--db"])
                .arg(&db)
                .arg(&copy)
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", show(&out));
            std::fs::copy(
                tandem::storage::key::default_key_path(&db),
                tandem::storage::key::default_key_path(&copy),
            )
            .unwrap();
        }
        let out = run_line(d, &target, &w[1..]);
        assert!(
            out.status.success(),
            "README line failed: {line}\n{}",
            show(&out)
        );
        ran.push(line.clone());
    }
    // Every `tandem` line of "Running against a real database" ran or has its reason.
    assert!(ran.len() >= 15, "{ran:#?}");
    assert!(
        not_run
            .iter()
            .all(|(l, _)| !l.starts_with("tandem ") || l.starts_with("tandem --db")),
        "{not_run:#?}"
    );
    assert!(d.join("termine.ics").is_file());
    assert!(d.join("bericht.csv").is_file());
    assert!(d.join("auskunft.json").is_file() && d.join("auskunft.txt").is_file());
    assert!(
        blocks(&readme(false), "sh").len() > blocks(&readme(true), "sh").len(),
        "the guide's lines are run by tests/ssh.rs"
    );
    // Exactly the demo line, the test-suite line and the interactive line are not run.
    assert_eq!(not_run.len(), 3, "{not_run:#?}");
}

/// `staff list` with the configuration `file` and the extra arguments `lang` first.
fn with_config(dir: &Path, lang: &[&str], file: &Path) -> Output {
    bin(dir)
        .args(lang)
        .arg("--config")
        .arg(file)
        .args(["staff", "list", "--db"])
        .arg(dir.join("fehlt.db"))
        .output()
        .unwrap()
}

#[test]
fn configuration_and_keymap_errors_are_one_german_line_and_english_with_lang_en() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let write = |name: &str, text: &str| {
        let p = d.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let bad_date = write(
        "datum.toml",
        "[child-protection]\nclosure-days = [\"24.12.2026\"]\n",
    );
    let bad_key = write("taste.toml", "[keys.list]\nnew-case = [\"Strg+Q\"]\n");
    let twice = write("doppelt.toml", "[keys.list]\nnew-case = [\"x\", \"e\"]\n");
    let missing = d.join("fehlt.toml");
    // German by default (no --lang) and with --lang de; English with --lang en.
    for (file, de, en) in [
        (&bad_date, "Die Konfiguration ", "The configuration "),
        (
            &bad_key,
            "Zeile 2, Spalte 13: Tastenbelegung",
            "line 2, column 13: key bindings",
        ),
        (
            &twice,
            "Zeile 2, Spalte 18: Tastenbelegung",
            "line 2, column 18: key bindings",
        ),
        (&missing, "kann nicht gelesen werden", "cannot be read"),
    ] {
        for (lang, wanted) in [
            (&[][..], de),
            (&["--lang", "de"][..], de),
            (&["--lang", "en"][..], en),
        ] {
            let out = with_config(d, lang, file);
            let msg = String::from_utf8_lossy(&out.stderr).into_owned();
            assert_eq!(out.status.code(), Some(1), "{lang:?} {}", show(&out));
            assert_eq!(msg.lines().count(), 1, "one line: {msg}");
            assert!(msg.contains(wanted), "{lang:?} {file:?}: {msg}");
            assert!(msg.contains(&file.display().to_string()), "{msg}");
            let english = lang == ["--lang", "en"];
            if english {
                assert!(
                    !msg.contains("Konfiguration") && !msg.contains("fehlerhaft"),
                    "{msg}"
                );
            } else {
                assert!(
                    !msg.contains("configuration") && !msg.contains("invalid"),
                    "{msg}"
                );
            }
            assert!(out.stdout.is_empty());
        }
    }
}

/// A key of `src/config/keymap.toml` as the README's key table writes it.
fn readme_key(key: &str) -> String {
    let named = [
        ("up", "↑"),
        ("down", "↓"),
        ("left", "←"),
        ("right", "→"),
        ("pageup", "Bild↑"),
        ("pagedown", "Bild↓"),
        ("home", "Pos1"),
        ("end", "Ende"),
        ("enter", "Eingabe"),
        ("esc", "Esc"),
        ("tab", "Tab"),
        ("backtab", "Umschalt+Tab"),
        ("space", "Leertaste"),
        ("delete", "Entf"),
        ("backspace", "Rücktaste"),
    ];
    if let Some((_, shown)) = named.iter().find(|(name, _)| *name == key) {
        return (*shown).to_string();
    }
    if let Some(c) = key.strip_prefix("ctrl-") {
        return format!("Strg+{}", c.to_uppercase());
    }
    if key.len() > 1 && key.starts_with('f') {
        return key.to_uppercase();
    }
    key.to_string()
}

/// The keys a cell of the README's key column names: its code spans, with `A` … `B`
/// ranges of function keys and digits filled in.
fn cell_keys(cell: &str) -> Vec<String> {
    let parts: Vec<&str> = cell.split('`').collect();
    let mut keys: Vec<String> = parts
        .iter()
        .skip(1)
        .step_by(2)
        .map(|s| (*s).to_string())
        .collect();
    for i in (2..parts.len().saturating_sub(1)).step_by(2) {
        if parts[i].trim() != "…" {
            continue;
        }
        let (from, to) = (parts[i - 1], parts[i + 1]);
        let number = |s: &str| s.trim_start_matches('F').parse::<u32>().ok();
        let prefix = if from.starts_with('F') { "F" } else { "" };
        if let (Some(a), Some(b)) = (number(from), number(to)) {
            keys.extend((a..=b).map(|n| format!("{prefix}{n}")));
        }
    }
    keys
}

#[test]
fn the_readme_key_table_names_every_default_binding() {
    let text = readme(false);
    let table = &text[text.find("## Keys").expect("## Keys")..];
    let table = &table[..table.find("\n## ").expect("a section after ## Keys")];
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    for line in table.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = line.split(" | ").collect();
        let place = cells[0].trim_start_matches("| ").to_string();
        if place == "Where" {
            continue;
        }
        rows.push((place, cell_keys(cells[1])));
    }
    // The README's places of each keymap context.
    let places: &[(&str, &[&str])] = &[
        (
            "global",
            &[
                "everywhere",
                "everywhere (Administration)",
                "everywhere (Datenschutz)",
            ],
        ),
        ("list", &["Fallliste", "Filter"]),
        ("filter", &["Filter"]),
        ("file", &["Fallakte"]),
        ("conferences", &["Konferenzen (F3)"]),
        ("conference", &["Fallkonferenz"]),
        ("referrals", &["Kinderschutz (F4)"]),
        ("referral", &["Kinderschutz (F4)"]),
        ("on-call", &["Bereitschaft (F6)"]),
        ("form", &["Formular", "Einwilligung", "Konferenz planen"]),
        ("text", &["Formular"]),
        ("field", &["Formular"]),
        ("dialog", &["Rückfrage"]),
        ("help", &["Hilfe"]),
        ("conflict", &["Gleichzeitige Änderung"]),
        ("choice", &["Auswahl"]),
        ("note", &["Notiz"]),
        ("admin", &["Verwaltung (F7)"]),
        ("keys", &["Verwaltung (F7)"]),
        ("dpo", &["Datenschutz (F8)"]),
        ("grant-review", &["Notfallzugriffe (F8, Leitung)"]),
        ("coop", &["Kooperation (F5)"]),
    ];
    for (place, _) in &rows {
        assert!(
            places.iter().any(|(_, p)| p.contains(&place.as_str())),
            "README key table: unknown place {place}"
        );
    }
    let keymap: std::collections::BTreeMap<
        String,
        std::collections::BTreeMap<String, Vec<String>>,
    > = toml::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/config/keymap.toml"
        ))
        .unwrap(),
    )
    .unwrap();
    let mut missing = Vec::new();
    for (context, actions) in &keymap {
        let (_, wanted) = places
            .iter()
            .find(|(c, _)| c == context)
            .unwrap_or_else(|| panic!("keymap context [{context}] has no place in the README"));
        let shown: Vec<&String> = rows
            .iter()
            .filter(|(place, _)| wanted.contains(&place.as_str()))
            .flat_map(|(_, keys)| keys)
            .collect();
        for (action, keys) in actions {
            for key in keys {
                let k = readme_key(key);
                if !shown.contains(&&k) {
                    missing.push(format!("[{context}] {action} = {key} ({k})"));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not in the README's key table:\n{}",
        missing.join("\n")
    );
}
