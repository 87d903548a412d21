//! `keymap::Key::parse`: the key notation of keymap files never panics, and every key it
//! accepts can be labelled for the footer and help in both languages.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use tandem::keymap::Key;
use tandem::strings::{Lang, Strings};
use tandem::widgets::key_label;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(key) = Key::parse(input) else {
        return;
    };
    assert_eq!(
        Key::parse(input),
        Ok(key),
        "{input:?} parses differently twice"
    );
    if let KeyCode::Char(c) = key.code {
        assert!(
            !key.mods.contains(KeyModifiers::SHIFT),
            "{input:?}: shift is folded into characters"
        );
        if key.mods.contains(KeyModifiers::CONTROL) {
            assert!(
                !c.is_ascii_uppercase(),
                "{input:?}: ctrl keys are lower case"
            );
        }
    }
    for lang in [Lang::De, Lang::En] {
        let label = key_label(&key, &Strings::get(lang).keys);
        assert!(!label.is_empty(), "{input:?} has an empty label");
    }
});
