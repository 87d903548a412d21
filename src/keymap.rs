//! Keymap: context → key → [`Action`]. The embedded default TOML is merged with the site or
//! user file; conflicting bindings are reported at load, and a reverse map (action → keys)
//! feeds the footer hints and the help overlay.
//!
//! May use: `action`, serde, toml. Must not use: `storage`, `ui`.

pub mod key;

use std::collections::{BTreeMap, HashMap};

use crate::action::Action;
pub use key::Key;

/// The embedded default bindings.
pub const DEFAULT_KEYMAP: &str = include_str!("config/keymap.toml");

/// Where a key is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Everywhere, after the more specific contexts.
    Global,
    /// The case list.
    List,
    /// Typing a filter.
    Filter,
    /// The case file.
    File,
    /// Any form.
    Form,
    /// A focused single-line text field.
    Text,
    /// A focused choice or multi-choice field.
    Field,
    /// A yes/no question.
    Dialog,
    /// The help overlay.
    Help,
    /// The per-field choice after a save conflict.
    Conflict,
    /// A list of choices in a box (break-glass reasons).
    Choice,
    /// The note box.
    Note,
    /// The administration screen ("Verwaltung").
    Admin,
    /// The SSH keys of one staff member.
    Keys,
    /// The conference screen's agenda and week view (F3, "Konferenzen").
    Conferences,
    /// One conference (F3).
    Conference,
    /// The child-protection list: referrals or anonymous consultations (F4).
    Referrals,
    /// One child-protection referral (F4).
    Referral,
    /// The on-call view (F6, "Bereitschaft").
    OnCall,
    /// The data-protection officer's screen ("Datenschutz").
    Dpo,
    /// The same screen for a lead: the break-glass accesses of the own staff only.
    GrantReview,
    /// F5 Kooperation: plenary, meetings, trainings, hospitations, agreement, report.
    Coop,
}

impl Context {
    /// All contexts, in help order.
    pub const ALL: [Context; 22] = [
        Context::Global,
        Context::List,
        Context::Filter,
        Context::File,
        Context::Conferences,
        Context::Conference,
        Context::Referrals,
        Context::Referral,
        Context::OnCall,
        Context::Form,
        Context::Text,
        Context::Field,
        Context::Dialog,
        Context::Help,
        Context::Conflict,
        Context::Choice,
        Context::Note,
        Context::Admin,
        Context::Keys,
        Context::Dpo,
        Context::GrantReview,
        Context::Coop,
    ];

    /// Name of the context's table in keymap files.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Filter => "filter",
            Context::File => "file",
            Context::Form => "form",
            Context::Text => "text",
            Context::Field => "field",
            Context::Dialog => "dialog",
            Context::Help => "help",
            Context::Conflict => "conflict",
            Context::Choice => "choice",
            Context::Note => "note",
            Context::Admin => "admin",
            Context::Keys => "keys",
            Context::Conferences => "conferences",
            Context::Conference => "conference",
            Context::Referrals => "referrals",
            Context::Referral => "referral",
            Context::OnCall => "on-call",
            Context::Dpo => "dpo",
            Context::GrantReview => "grant-review",
            Context::Coop => "coop",
        }
    }

    fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// Raw keymap file content: context → action name → keys.
pub type KeymapFile = BTreeMap<String, BTreeMap<String, Vec<String>>>;

/// A problem in a keymap file, reported at start with the German message of the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    /// Unknown context table.
    #[error("unknown context [{0}]")]
    UnknownContext(String),
    /// Unknown action name.
    #[error("unknown action {action} in [{context}]")]
    UnknownAction {
        /// Context table.
        context: String,
        /// The name.
        action: String,
    },
    /// Key notation not understood.
    #[error("unknown key {key} in [{context}]")]
    BadKey {
        /// Context table.
        context: String,
        /// The key as written.
        key: String,
    },
    /// One key bound to two actions in one context.
    #[error("key {key} bound to both {first} and {second} in [{context}]")]
    Duplicate {
        /// Context table.
        context: String,
        /// The key as written.
        key: String,
        /// Action bound first.
        first: String,
        /// Action bound second.
        second: String,
    },
    /// The TOML itself is broken.
    #[error("{0}")]
    Syntax(String),
}

/// The resolved keymap.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: HashMap<Context, HashMap<Key, Action>>,
    reverse: HashMap<(Context, Action), Vec<Key>>,
}

impl Keymap {
    /// The default keymap alone.
    pub fn default_keymap() -> Keymap {
        // The embedded file is checked by a unit test; fall back to an empty map rather
        // than panic should it ever be broken.
        Keymap::with_overrides(&KeymapFile::new()).unwrap_or_else(|_| Keymap {
            bindings: HashMap::new(),
            reverse: HashMap::new(),
        })
    }

    /// The default keymap with `overrides` merged over it: an action named in a context of
    /// the overrides gets exactly the keys listed there (an empty list unbinds it).
    pub fn with_overrides(overrides: &KeymapFile) -> Result<Keymap, KeymapError> {
        let mut merged: KeymapFile =
            toml::from_str(DEFAULT_KEYMAP).map_err(|e| KeymapError::Syntax(e.to_string()))?;
        for (ctx, actions) in overrides {
            let table = merged.entry(ctx.clone()).or_default();
            for (action, keys) in actions {
                table.insert(action.clone(), keys.clone());
            }
        }
        let mut bindings: HashMap<Context, HashMap<Key, Action>> = HashMap::new();
        let mut reverse: HashMap<(Context, Action), Vec<Key>> = HashMap::new();
        for (ctx_name, actions) in &merged {
            let ctx = Context::from_name(ctx_name)
                .ok_or_else(|| KeymapError::UnknownContext(ctx_name.clone()))?;
            let map = bindings.entry(ctx).or_default();
            for (action_name, keys) in actions {
                let action =
                    Action::from_name(action_name).ok_or_else(|| KeymapError::UnknownAction {
                        context: ctx_name.clone(),
                        action: action_name.clone(),
                    })?;
                for key_text in keys {
                    let key = Key::parse(key_text).map_err(|_| KeymapError::BadKey {
                        context: ctx_name.clone(),
                        key: key_text.clone(),
                    })?;
                    if let Some(first) = map.insert(key, action)
                        && first != action
                    {
                        return Err(KeymapError::Duplicate {
                            context: ctx_name.clone(),
                            key: key_text.clone(),
                            first: first.name(),
                            second: action.name(),
                        });
                    }
                    reverse.entry((ctx, action)).or_default().push(key);
                }
            }
        }
        Ok(Keymap { bindings, reverse })
    }

    /// Parses a keymap file's text (the `[keys]` part of the configuration, or a file of
    /// its own) and merges it over the defaults.
    pub fn from_toml(text: &str) -> Result<Keymap, KeymapError> {
        let file: KeymapFile =
            toml::from_str(text).map_err(|e| KeymapError::Syntax(e.to_string()))?;
        Keymap::with_overrides(&file)
    }

    /// The first action bound to `key` in `contexts`, tried in order.
    pub fn resolve(&self, contexts: &[Context], key: Key) -> Option<Action> {
        contexts
            .iter()
            .find_map(|c| self.bindings.get(c).and_then(|m| m.get(&key)).copied())
    }

    /// The keys bound to `action` in `context`, in file order.
    pub fn keys_for(&self, context: Context, action: Action) -> &[Key] {
        self.reverse
            .get(&(context, action))
            .map_or(&[], Vec::as_slice)
    }

    /// Every (action, keys) of a context, in the order of [`Action::ALL`].
    pub fn bindings_of(&self, context: Context) -> Vec<(Action, &[Key])> {
        Action::ALL
            .into_iter()
            .filter_map(|a| {
                let keys = self.keys_for(context, a);
                (!keys.is_empty()).then_some((a, keys))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyCode;

    #[test]
    fn default_keymap_loads_and_resolves() {
        let km = Keymap::with_overrides(&KeymapFile::new()).expect("default keymap is valid");
        let f2 = Key::parse("f2").expect("key");
        assert_eq!(
            km.resolve(&[Context::List, Context::Global], f2),
            Some(Action::ScreenCases)
        );
        let slash = Key::parse("/").expect("key");
        assert_eq!(
            km.resolve(&[Context::List, Context::Global], slash),
            Some(Action::Filter)
        );
        assert_eq!(
            km.keys_for(Context::Form, Action::Save)[0].code,
            KeyCode::Char('s')
        );
    }

    #[test]
    fn overrides_replace_and_conflicts_are_reported() {
        let km = Keymap::from_toml("[list]\nnew-case = [\"x\"]\n").expect("valid override");
        let a = Key::parse("x").expect("key");
        let n = Key::parse("n").expect("key");
        assert_eq!(km.resolve(&[Context::List], a), Some(Action::NewCase));
        assert_eq!(km.resolve(&[Context::List], n), None);
        let err = Keymap::from_toml("[list]\nnew-case = [\"e\"]\n").expect_err("e is edit");
        assert!(matches!(err, KeymapError::Duplicate { .. }));
        assert!(matches!(
            Keymap::from_toml("[list]\nfly = [\"x\"]\n"),
            Err(KeymapError::UnknownAction { .. })
        ));
        assert!(matches!(
            Keymap::from_toml("[nowhere]\nquit = [\"x\"]\n"),
            Err(KeymapError::UnknownContext(_))
        ));
    }
}
