//! Configuration: defaults, merged with an optional site file (kebab-case keys, unknown
//! keys refused). The file is found through `--config`, `TANDEM_CONFIG` or the service
//! account's configuration folder.
//!
//! May use: `keymap`, `ui::strings::Lang`, `domain::text`, serde, toml, directories.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::domain::text::sanitize;
use crate::keymap::{Keymap, KeymapError, KeymapFile};
use crate::strings::Lang;

/// The configuration file's shape.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ConfigFile {
    /// "de" or "en".
    pub lang: Option<Lang>,
    /// Path of the database.
    pub db: Option<PathBuf>,
    /// Key file of the encrypted database (default: `<db>.key` beside it;
    /// docs/architecture.md § 5.13).
    pub key_file: Option<PathBuf>,
    /// Folder the printed documents go to (docs/documents.md § 2; default `exports/` beside
    /// the database; a relative path is taken from the database's folder).
    pub export_dir: Option<PathBuf>,
    /// No colour at all (the per-user switch; sshd does not forward `NO_COLOR`).
    pub no_color: Option<bool>,
    /// Low-bandwidth mode: the list selection is a marker only (docs/performance.md § 4).
    pub low_bandwidth: Option<bool>,
    /// Accessible mode: no colour, no box drawing, the terminal cursor on the focus
    /// (docs/accessibility.md).
    pub accessible: Option<bool>,
    /// Key bindings merged over the defaults: `[keys.list]`, `new-case = ["n"]`.
    pub keys: Option<KeymapFile>,
    /// Minutes without input after which the session ends (drafts kept).
    pub idle_lock_minutes: Option<u32>,
    /// Days after which unsaved drafts are deleted.
    pub draft_expiry_days: Option<u32>,
    /// Deputies stand in at all times, not only while the colleague is away
    /// (docs/access.md A2; off by default, logged at every login).
    pub permanent_deputies: Option<bool>,
    /// `[child-protection]`: phone numbers, deadlines, closure days.
    pub child_protection: Option<crate::app::screens::cp::CpSettings>,
    /// `[conferences]`: the calendar UID host and the working hours per Stelle.
    pub conferences: Option<crate::app::screens::conf::ConfSettings>,
    /// `[retention.<stelle>]`: months per retention class (docs/retention.md), e.g.
    /// `[retention.jc] case = 48`.
    pub retention: Option<BTreeMap<String, BTreeMap<String, u32>>>,
    /// Stelle codes whose access-request exports need a second person's release
    /// (docs/subject-access.md § 7), e.g. `subject-export-four-eyes = ["jc", "ja"]`.
    pub subject_export_four_eyes: Option<Vec<String>>,
    /// The smallest count the yearly report prints (docs/report.md § 3; at least 3).
    pub report_min_cell: Option<u64>,
    /// Roles that see the child-protection figures of the yearly report (`lead`, `dpo`;
    /// docs/report.md § 4).
    pub report_child_protection: Option<Vec<String>>,
    /// The day by which the year's plenary should have a date, `TT.MM.` (docs/cooperation.md § 2).
    pub plenary_date_by: Option<String>,
    /// `[input]`: the most characters a field takes (docs/data-exits.md § 5).
    pub input: Option<InputFile>,
}

/// The `[input]` table: `line-max = 200`, `text-max = 8000`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct InputFile {
    /// Characters in a one-line field.
    pub line_max: Option<usize>,
    /// Characters in a text of several lines.
    pub text_max: Option<usize>,
}

/// Stelle codes a `[retention.<stelle>]` table may name.
const RETENTION_STELLEN: [&str; 2] = ["jc", "ja"];
/// Class codes of docs/retention.md.
const RETENTION_CLASSES: [&str; 8] = [
    "case",
    "consent",
    "cp_jc",
    "cp_ja",
    "anon",
    "struct",
    "access_log",
    "transfer_log",
];

/// The effective configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// UI language.
    pub lang: Lang,
    /// Database path from the file, if any.
    pub db: Option<PathBuf>,
    /// Key file from the file, if any (else `<db>.key`).
    pub key_file: Option<PathBuf>,
    /// Folder for printed documents from the file, if any (else `exports/` beside the
    /// database).
    pub export_dir: Option<PathBuf>,
    /// No colour.
    pub no_color: bool,
    /// Low-bandwidth mode.
    pub low_bandwidth: bool,
    /// Accessible mode.
    pub accessible: bool,
    /// Resolved keymap.
    pub keymap: Keymap,
    /// Minutes without input after which the session ends.
    pub idle_lock_minutes: u32,
    /// Days after which unsaved drafts are deleted.
    pub draft_expiry_days: u32,
    /// Deputies stand in at all times (docs/access.md A2).
    pub permanent_deputies: bool,
    /// Child-protection settings.
    pub child_protection: crate::app::screens::cp::CpSettings,
    /// Conference settings (UID host, working hours per Stelle).
    pub conferences: crate::app::screens::conf::ConfSettings,
    /// Retention periods overriding the stored rules: (Stelle code, class code, months).
    pub retention: Vec<(String, String, u32)>,
    /// Stellen whose access-request exports need four eyes.
    pub subject_export_four_eyes: Vec<crate::domain::Agency>,
    /// The smallest count the yearly report prints (at least 3).
    pub report_min_cell: u64,
    /// Roles that see the child-protection figures of the yearly report.
    pub report_child_protection: Vec<crate::domain::Role>,
    /// (month, day) by which the year's plenary should have a date.
    pub plenary_date_by: (u32, u32),
    /// The most characters per field.
    pub field_limits: crate::domain::text::FieldLimits,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            lang: Lang::De,
            db: None,
            key_file: None,
            export_dir: None,
            no_color: false,
            low_bandwidth: false,
            accessible: false,
            keymap: Keymap::default_keymap(),
            idle_lock_minutes: 15,
            draft_expiry_days: 14,
            permanent_deputies: false,
            child_protection: crate::app::screens::cp::CpSettings::default(),
            conferences: crate::app::screens::conf::ConfSettings::default(),
            retention: Vec::new(),
            subject_export_four_eyes: Vec::new(),
            report_min_cell: 3,
            report_child_protection: vec![crate::domain::Role::Lead, crate::domain::Role::Dpo],
            plenary_date_by: (10, 1),
            field_limits: crate::domain::text::FieldLimits::DEFAULT,
        }
    }
}

/// What kind of configuration problem (no content of the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigProblem {
    /// The file cannot be read (missing, no permission, not text).
    Unreadable,
    /// Not valid TOML, an unknown key or a value of the wrong type.
    Invalid,
    /// A key binding: unknown context, action or key, or a key bound twice.
    Keys,
}

/// A configuration problem: which file and where, never what the file says. `--config` may
/// name any file the account can read (`--config /etc/shadow`), and the message goes to a
/// terminal: neither keys nor values nor lines of the file are echoed, and the file name
/// is stripped of control characters.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {problem:?}{}", .position.map(|(l, c)| format!(" at line {l}, column {c}")).unwrap_or_default())]
pub struct ConfigError {
    /// The file, without control characters.
    pub file: String,
    /// What kind of problem.
    pub problem: ConfigProblem,
    /// Line and column (from 1, in characters) of the problem, when it lies in the text.
    pub position: Option<(usize, usize)>,
}

/// `[keys.<context>]` tables with the places of their names and values.
type SpannedTables = BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Vec<Spanned<String>>>>;

/// The key tables of a configuration with their places, to point at a refused binding.
#[derive(Debug, Default, Deserialize)]
struct SpannedKeys {
    keys: Option<SpannedTables>,
}

/// Line and column (from 1, the column in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> Option<(usize, usize)> {
    let before = text.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Some((
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    ))
}

/// Where in `text` the refused binding `e` is written: the key, else the action, else the
/// context table.
fn keymap_error_offset(text: &str, e: &KeymapError) -> Option<usize> {
    let tables = toml::from_str::<SpannedKeys>(text).ok()?.keys?;
    let (context, action, key) = match e {
        KeymapError::UnknownContext(c) => (c, None, None),
        KeymapError::UnknownAction { context, action } => (context, Some(action), None),
        KeymapError::BadKey { context, key } | KeymapError::Duplicate { context, key, .. } => {
            (context, None, Some(key))
        }
        KeymapError::Syntax(_) => return None,
    };
    let (ctx_name, actions) = tables.iter().find(|(k, _)| k.get_ref() == context)?;
    let at_action = action.and_then(|a| {
        actions
            .keys()
            .find(|k| k.get_ref() == a)
            .map(|k| k.span().start)
    });
    let at_key = key.and_then(|wanted| {
        actions
            .values()
            .flatten()
            .find(|k| k.get_ref() == wanted)
            .map(|k| k.span().start)
    });
    Some(at_key.or(at_action).unwrap_or(ctx_name.span().start))
}

impl Config {
    /// Parses configuration text. An error names `file` and the line and column, never the
    /// text itself.
    pub fn from_toml(text: &str, file: &str) -> Result<Config, ConfigError> {
        let err = |problem: ConfigProblem, offset: Option<usize>| ConfigError {
            file: sanitize(file, false),
            problem,
            position: offset.and_then(|o| line_column(text, o)),
        };
        let parsed: ConfigFile = toml::from_str(text)
            .map_err(|e| err(ConfigProblem::Invalid, e.span().map(|r| r.start)))?;
        let keymap = Keymap::with_overrides(&parsed.keys.unwrap_or_default())
            .map_err(|e| err(ConfigProblem::Keys, keymap_error_offset(text, &e)))?;
        let mut retention = Vec::new();
        for (stelle, classes) in parsed.retention.unwrap_or_default() {
            for (class, months) in classes {
                if !RETENTION_STELLEN.contains(&stelle.as_str())
                    || !RETENTION_CLASSES.contains(&class.as_str())
                    || !(1..=600).contains(&months)
                {
                    return Err(err(ConfigProblem::Invalid, text.find("[retention")));
                }
                retention.push((stelle.clone(), class, months));
            }
        }
        let mut subject_export_four_eyes = Vec::new();
        for code in parsed.subject_export_four_eyes.unwrap_or_default() {
            let Some(stelle) = crate::domain::Agency::from_code(&code) else {
                return Err(err(
                    ConfigProblem::Invalid,
                    text.find("subject-export-four-eyes"),
                ));
            };
            subject_export_four_eyes.push(stelle);
        }
        let report_min_cell = parsed.report_min_cell.unwrap_or(3);
        if report_min_cell < 3 {
            return Err(err(ConfigProblem::Invalid, text.find("report-min-cell")));
        }
        let mut report_child_protection = Vec::new();
        for code in parsed
            .report_child_protection
            .unwrap_or_else(|| vec!["lead".into(), "dpo".into()])
        {
            match crate::domain::Role::from_code(&code) {
                Some(r @ (crate::domain::Role::Lead | crate::domain::Role::Dpo)) => {
                    report_child_protection.push(r);
                }
                _ => {
                    return Err(err(
                        ConfigProblem::Invalid,
                        text.find("report-child-protection"),
                    ));
                }
            }
        }
        let plenary_date_by = match parsed.plenary_date_by.as_deref().map(str::trim) {
            None => (10, 1),
            Some(t) => {
                let mut parts = t.trim_end_matches('.').split('.');
                let day = parts.next().and_then(|d| d.parse::<u32>().ok());
                let month = parts.next().and_then(|m| m.parse::<u32>().ok());
                match (day, month) {
                    (Some(d), Some(m)) if chrono::NaiveDate::from_ymd_opt(2025, m, d).is_some() => {
                        (m, d)
                    }
                    _ => return Err(err(ConfigProblem::Invalid, text.find("plenary-date-by"))),
                }
            }
        };
        let field_limits = {
            use crate::domain::text::FieldLimits;
            let input = parsed.input.unwrap_or_default();
            let limits = FieldLimits {
                line: input.line_max.unwrap_or(FieldLimits::DEFAULT.line),
                text: input.text_max.unwrap_or(FieldLimits::DEFAULT.text),
            };
            let (floor, ceiling) = (FieldLimits::FLOOR, FieldLimits::CEILING);
            if !(floor.line..=ceiling.line).contains(&limits.line) {
                return Err(err(ConfigProblem::Invalid, text.find("line-max")));
            }
            if !(floor.text..=ceiling.text).contains(&limits.text) {
                return Err(err(ConfigProblem::Invalid, text.find("text-max")));
            }
            limits
        };
        let conferences = parsed.conferences.unwrap_or_default();
        // The entry that cannot be read is named by its key (line and column), never by
        // its content.
        if let Err(key) = conferences.check() {
            let at = text.find(&key).or_else(|| text.find("conferences"));
            return Err(err(ConfigProblem::Invalid, at));
        }
        Ok(Config {
            lang: parsed.lang.unwrap_or_default(),
            db: parsed.db,
            key_file: parsed.key_file,
            export_dir: parsed.export_dir,
            no_color: parsed.no_color.unwrap_or(false),
            low_bandwidth: parsed.low_bandwidth.unwrap_or(false),
            accessible: parsed.accessible.unwrap_or(false),
            keymap,
            idle_lock_minutes: parsed.idle_lock_minutes.unwrap_or(15).clamp(1, 24 * 60),
            draft_expiry_days: parsed.draft_expiry_days.unwrap_or(14).clamp(1, 365),
            permanent_deputies: parsed.permanent_deputies.unwrap_or(false),
            child_protection: parsed.child_protection.unwrap_or_default(),
            conferences,
            retention,
            subject_export_four_eyes,
            report_min_cell,
            report_child_protection,
            plenary_date_by,
            field_limits,
        })
    }

    /// Loads `explicit` if given (it must exist), else `TANDEM_CONFIG`, else
    /// `config.toml` in the user's configuration folder if present, else the defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let candidate = explicit
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("TANDEM_CONFIG").map(PathBuf::from));
        let (path, must_exist) = match candidate {
            Some(p) => (Some(p), true),
            None => (default_config_path().filter(|p| p.is_file()), false),
        };
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let name = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::from_toml(&text, &name),
            Err(e) if !must_exist && e.kind() == std::io::ErrorKind::NotFound => {
                Ok(Config::default())
            }
            Err(_) => Err(ConfigError {
                file: sanitize(&name, false),
                problem: ConfigProblem::Unreadable,
                position: None,
            }),
        }
    }
}

/// `config.toml` in the configuration folder of the account running Tandem.
pub fn default_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("de", "Herten", "tandem")
        .map(|d| d.config_dir().join("config.toml"))
}

/// Folder for data files (default database, demo database, log), honouring `TANDEM_DATA`.
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("TANDEM_DATA") {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("de", "Herten", "tandem")
        .map_or_else(|| PathBuf::from("."), |d| d.data_dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_eyes_exports_name_stellen() {
        let c =
            Config::from_toml("subject-export-four-eyes = [\"jc\"]\n", "t.toml").expect("valid");
        assert_eq!(
            c.subject_export_four_eyes,
            vec![crate::domain::Agency::Jobcenter]
        );
        assert!(Config::from_toml("subject-export-four-eyes = [\"xx\"]\n", "t.toml").is_err());
    }

    #[test]
    fn field_limits_are_read_within_their_bounds() {
        use crate::domain::text::FieldLimits;
        assert_eq!(
            Config::from_toml("", "t.toml").expect("valid").field_limits,
            FieldLimits::DEFAULT
        );
        let c = Config::from_toml("[input]\nline-max = 80\ntext-max = 20000\n", "t.toml")
            .expect("valid");
        assert_eq!(
            c.field_limits,
            FieldLimits {
                line: 80,
                text: 20_000
            }
        );
        for bad in [
            "[input]\nline-max = 5\n",
            "[input]\nline-max = 1001\n",
            "[input]\ntext-max = 20001\n",
            "[input]\nwidth = 3\n",
        ] {
            let e = Config::from_toml(bad, "t.toml").expect_err(bad);
            assert_eq!(e.problem, ConfigProblem::Invalid, "{bad}");
            assert_eq!(e.position.map(|p| p.0), Some(2), "{bad}");
        }
    }

    #[test]
    fn retention_periods_are_checked() {
        let c = Config::from_toml("[retention.jc]\ncase = 48\n", "t.toml").expect("valid");
        assert_eq!(c.retention, vec![("jc".into(), "case".into(), 48)]);
        for bad in [
            "[retention.xx]\ncase = 48\n",
            "[retention.jc]\nfoo = 48\n",
            "[retention.jc]\ncase = 0\n",
        ] {
            let e = Config::from_toml(bad, "t.toml").expect_err("invalid");
            assert_eq!(e.problem, ConfigProblem::Invalid, "{bad}");
        }
    }

    #[test]
    fn parses_and_refuses_unknown_keys() {
        let c = Config::from_toml(
            "lang = \"en\"\nno-color = true\nlow-bandwidth = true\n[keys.list]\nnew-case = [\"x\"]\n",
            "t",
        )
        .expect("valid config");
        assert_eq!(c.lang, Lang::En);
        assert!(c.no_color);
        assert!(c.low_bandwidth);
        assert!(!Config::default().low_bandwidth);
        assert!(Config::from_toml("colour = 1\n", "t").is_err());
        assert!(Config::from_toml("[keys.list]\nnew-case = [\"e\"]\n", "t").is_err());
    }

    #[test]
    fn closure_days_are_toml_dates_or_strings() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 12, d).expect("day");
        for text in [
            "[child-protection]\nclosure-days = [2026-12-24, 2026-12-31]\n",
            "[child-protection]\nclosure-days = [\"2026-12-24\", 2026-12-31]\n",
        ] {
            let c = Config::from_toml(text, "t").expect(text);
            assert_eq!(c.child_protection.closure_days, [day(24), day(31)]);
        }
        for bad in [
            "closure-days = [2026-12-24T08:00:00]",
            "closure-days = [\"24.12.2026\"]",
            "closure-days = [2026-02-30]",
            "closure-days = [24]",
        ] {
            let e = Config::from_toml(&format!("[child-protection]\n{bad}\n"), "t").expect_err(bad);
            assert_eq!(e.problem, ConfigProblem::Invalid, "{bad}");
        }
    }

    #[test]
    fn errors_name_file_line_and_column_never_the_content() {
        // Not TOML at all (a line of /etc/shadow): the place, not the line.
        let e = Config::from_toml(
            "root:$6$geheim:19000:0:99999:7:::\n",
            "/etc/sh\u{1b}[2Jadow",
        )
        .expect_err("not TOML");
        assert_eq!(e.file, "/etc/sh[2Jadow");
        assert_eq!(e.problem, ConfigProblem::Invalid);
        assert!(e.position.is_some_and(|(line, _)| line == 1), "{e:?}");
        let shown = format!("{e} {e:?}");
        assert!(
            !shown.contains("root") && !shown.contains("geheim"),
            "{shown}"
        );
        // An unknown key on line 2.
        let e = Config::from_toml("lang = \"de\"\ngeheim-wort = 1\n", "t").expect_err("unknown");
        assert_eq!(
            (e.problem, e.position),
            (ConfigProblem::Invalid, Some((2, 1)))
        );
        assert!(!format!("{e} {e:?}").contains("geheim"));
        // Key bindings: the key bound twice, the unknown action, the unknown context.
        let e = Config::from_toml(
            "lang = \"de\"\n[keys.list]\nnew-case = [\"x\", \"e\"]\n",
            "t",
        )
        .expect_err("e is edit");
        assert_eq!(
            (e.problem, e.position),
            (ConfigProblem::Keys, Some((3, 18)))
        );
        let e =
            Config::from_toml("[keys.list]\n  fly = [\"x\"]\n", "t").expect_err("no such action");
        assert_eq!((e.problem, e.position), (ConfigProblem::Keys, Some((2, 3))));
        let e = Config::from_toml("[keys.nowhere]\nquit = [\"x\"]\n", "t")
            .expect_err("no such context");
        assert_eq!((e.problem, e.position), (ConfigProblem::Keys, Some((1, 7))));
        assert!(!format!("{e} {e:?}").contains("nowhere"));
        // Columns count characters, not bytes.
        assert_eq!(line_column("äö\nüx", 7), Some((2, 2)));
        assert_eq!(line_column("ä", 1), None);
    }
}
