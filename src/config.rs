//! Configuration: defaults, merged with an optional site file (kebab-case keys, unknown
//! keys refused). The file is found through `--config`, `TANDEM_CONFIG` or the service
//! account's configuration folder.
//!
//! May use: `keymap`, `ui::strings::Lang`, serde, toml, directories.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::keymap::{Keymap, KeymapFile};
use crate::ui::strings::Lang;

/// The configuration file's shape.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ConfigFile {
    /// "de" or "en".
    pub lang: Option<Lang>,
    /// Path of the database.
    pub db: Option<PathBuf>,
    /// No colour at all (the per-user switch; sshd does not forward `NO_COLOR`).
    pub no_color: Option<bool>,
    /// Key bindings merged over the defaults: `[keys.list]`, `new-case = ["n"]`.
    pub keys: Option<KeymapFile>,
    /// Minutes without input after which the session ends (drafts kept).
    pub idle_lock_minutes: Option<u32>,
    /// Days after which unsaved drafts are deleted.
    pub draft_expiry_days: Option<u32>,
    /// `[child-protection]`: phone numbers, deadlines, closure days.
    pub child_protection: Option<crate::app::cp::CpSettings>,
}

/// The effective configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// UI language.
    pub lang: Lang,
    /// Database path from the file, if any.
    pub db: Option<PathBuf>,
    /// No colour.
    pub no_color: bool,
    /// Resolved keymap.
    pub keymap: Keymap,
    /// Minutes without input after which the session ends.
    pub idle_lock_minutes: u32,
    /// Days after which unsaved drafts are deleted.
    pub draft_expiry_days: u32,
    /// Child-protection settings.
    pub child_protection: crate::app::cp::CpSettings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            lang: Lang::De,
            db: None,
            no_color: false,
            keymap: Keymap::default_keymap(),
            idle_lock_minutes: 15,
            draft_expiry_days: 14,
            child_protection: crate::app::cp::CpSettings::default(),
        }
    }
}

/// A configuration problem: which file, and what (English detail for the log; the caller
/// shows the German sentence).
#[derive(Debug, thiserror::Error)]
#[error("{file}: {detail}")]
pub struct ConfigError {
    /// The file.
    pub file: String,
    /// What is wrong.
    pub detail: String,
}

impl Config {
    /// Parses configuration text.
    pub fn from_toml(text: &str, file: &str) -> Result<Config, ConfigError> {
        let err = |detail: String| ConfigError {
            file: file.to_string(),
            detail,
        };
        let parsed: ConfigFile = toml::from_str(text).map_err(|e| err(e.message().to_string()))?;
        let keymap = Keymap::with_overrides(&parsed.keys.unwrap_or_default())
            .map_err(|e| err(e.to_string()))?;
        Ok(Config {
            lang: parsed.lang.unwrap_or_default(),
            db: parsed.db,
            no_color: parsed.no_color.unwrap_or(false),
            keymap,
            idle_lock_minutes: parsed.idle_lock_minutes.unwrap_or(15).clamp(1, 24 * 60),
            draft_expiry_days: parsed.draft_expiry_days.unwrap_or(14).clamp(1, 365),
            child_protection: parsed.child_protection.unwrap_or_default(),
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
            Err(e) => Err(ConfigError {
                file: name,
                detail: e.kind().to_string(),
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
    fn parses_and_refuses_unknown_keys() {
        let c = Config::from_toml(
            "lang = \"en\"\nno-color = true\n[keys.list]\nnew-case = [\"x\"]\n",
            "t",
        )
        .expect("valid config");
        assert_eq!(c.lang, Lang::En);
        assert!(c.no_color);
        assert!(Config::from_toml("colour = 1\n", "t").is_err());
        assert!(Config::from_toml("[keys.list]\nnew-case = [\"e\"]\n", "t").is_err());
    }
}
