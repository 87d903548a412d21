//! Filter syntax: `filter_words`, `search_words`, `search_key`, `sort_key` and `prefix_upper_bound` never
//! panic; every word is non-empty; and a filter word's index range
//! `[word, prefix_upper_bound(word))` holds exactly the stored tokens that start with it
//! (`SQLite` compares `TEXT` bytewise, as `str`'s `Ord` does).
//!
//! Input: filter text and a name, separated by the first NUL (without one, both are the
//! whole input); invalid UTF-8 is decoded lossily.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tandem::domain::text::{filter_words, prefix_upper_bound, search_key, search_words, sort_key};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (filter, name) = text.split_once('\0').unwrap_or((&text, &text));
    let _ = search_key(&text);
    let _ = sort_key(&text);
    let _ = prefix_upper_bound(&text);
    let _ = search_words(&text);
    // The words of the case filter's index and of the typed filter.
    let words = filter_words(filter);
    let tokens = filter_words(name);
    for w in words.iter().chain(&tokens) {
        assert!(!w.is_empty(), "empty word from {text:?}");
        assert!(
            !w.contains(|c: char| c.is_control() || c == char::MAX),
            "word {w:?} from {text:?} holds a control character or U+10FFFF"
        );
    }
    for w in &words {
        let high = prefix_upper_bound(w);
        assert!(*w < high, "empty range for {w:?}");
        for t in &tokens {
            let in_range = w <= t && *t < high;
            assert_eq!(
                in_range,
                t.starts_with(w.as_str()),
                "filter word {w:?} and token {t:?}: range and prefix disagree"
            );
        }
    }
});
