//! Configuration and keymap files: `Config::from_toml` and `Keymap::from_toml` on any UTF-8
//! never panic. Half of the inputs are raw text; the other half are built into a keymap
//! table (known contexts and actions, fuzzed key notation) so that the merge, the key
//! parser and the duplicate check are reached, not only the TOML parser. An accepted
//! binding must resolve to its action.
#![no_main]

use std::fmt::Write as _;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use tandem::action::Action;
use tandem::config::Config;
use tandem::keymap::{Context, Key, Keymap, KeymapFile};

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn pick_name(u: &mut Unstructured<'_>, known: &[String]) -> Result<String> {
    // Mostly known names, sometimes a fuzzed one.
    if u.ratio(1, 8)? {
        u.arbitrary::<String>()
    } else {
        Ok(u.choose(known)?.clone())
    }
}

fn keymap_file(u: &mut Unstructured<'_>) -> Result<KeymapFile> {
    let contexts: Vec<String> = Context::ALL.iter().map(|c| c.name().to_string()).collect();
    let actions: Vec<String> = Action::ALL.iter().map(|a| a.name()).collect();
    let keys = [
        "a",
        "e",
        "n",
        "q",
        "?",
        "/",
        "G",
        "g",
        "j",
        "ä",
        "enter",
        "esc",
        "tab",
        "shift-tab",
        "backtab",
        "space",
        "f1",
        "f2",
        "f12",
        "ctrl-s",
        "Ctrl-S",
        "alt-x",
        "up",
        "down",
    ];
    let mut file = KeymapFile::new();
    for _ in 0..u.int_in_range(0..=4)? {
        let table = file.entry(pick_name(u, &contexts)?).or_default();
        for _ in 0..u.int_in_range(0..=4)? {
            let action = pick_name(u, &actions)?;
            let mut list = Vec::new();
            for _ in 0..u.int_in_range(0..=3)? {
                list.push(if u.ratio(1, 3)? {
                    u.arbitrary::<String>()?
                } else {
                    (*u.choose(&keys)?).to_string()
                });
            }
            table.insert(action, list);
        }
    }
    Ok(file)
}

fn to_toml(file: &KeymapFile, prefix: &str) -> String {
    let mut out = String::new();
    for (ctx, actions) in file {
        let _ = writeln!(out, "[{prefix}{}]", toml_string(ctx));
        for (action, keys) in actions {
            let keys: Vec<String> = keys.iter().map(|k| toml_string(k)).collect();
            let _ = writeln!(out, "{} = [{}]", toml_string(action), keys.join(", "));
        }
    }
    out
}

/// Every binding of an accepted override resolves in its context. When one key is listed
/// twice for one action that is still one binding.
fn check_bindings(keymap: &Keymap, file: &KeymapFile) {
    for (ctx_name, actions) in file {
        let Some(ctx) = Context::ALL.into_iter().find(|c| c.name() == ctx_name) else {
            panic!("unknown context {ctx_name:?} was accepted");
        };
        for (action_name, keys) in actions {
            let Some(action) = Action::from_name(action_name) else {
                panic!("unknown action {action_name:?} was accepted");
            };
            for k in keys {
                let key = Key::parse(k).unwrap_or_else(|e| panic!("bad key {e:?} was accepted"));
                assert_eq!(
                    keymap.resolve(&[ctx], key),
                    Some(action),
                    "[{ctx_name}] {action_name} = {k:?} does not resolve"
                );
                assert!(keymap.keys_for(ctx, action).contains(&key));
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 0 {
        let Ok(text) = std::str::from_utf8(rest) else {
            return;
        };
        let _ = Config::from_toml(text, "fuzz.toml");
        let _ = Keymap::from_toml(text);
        return;
    }
    let mut u = Unstructured::new(rest);
    let Ok(file) = keymap_file(&mut u) else {
        return;
    };
    let direct = Keymap::with_overrides(&file);
    if let Ok(keymap) = &direct {
        check_bindings(keymap, &file);
    }
    // The same table through both file formats gives the same verdict.
    let mut keymap_text = to_toml(&file, "");
    let mut config_text = format!("lang = \"de\"\nno-color = {}\n", mode & 2 == 2);
    config_text.push_str(&to_toml(&file, "keys."));
    if u.ratio(1, 4).unwrap_or(false) {
        // Now and then some fuzzed text after the tables.
        let tail = String::from_utf8_lossy(u.take_rest()).into_owned();
        keymap_text.push_str(&tail);
        config_text.push_str(&tail);
        let _ = Keymap::from_toml(&keymap_text);
        let _ = Config::from_toml(&config_text, "fuzz.toml");
        return;
    }
    let via_keymap = Keymap::from_toml(&keymap_text);
    assert_eq!(
        via_keymap.is_ok(),
        direct.is_ok(),
        "keymap text {keymap_text:?}: {:?} vs {:?}",
        via_keymap.err(),
        direct.as_ref().err()
    );
    let via_config = Config::from_toml(&config_text, "fuzz.toml");
    assert_eq!(
        via_config.is_ok(),
        direct.is_ok(),
        "config text {config_text:?}: {:?} vs {:?}",
        via_config.as_ref().err(),
        direct.as_ref().err()
    );
    if let Ok(config) = via_config {
        check_bindings(&config.keymap, &file);
    }
});
