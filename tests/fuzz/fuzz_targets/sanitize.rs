//! `domain::text::sanitize`: whatever goes in, nothing that a terminal acts on comes out.
//!
//! Input: first byte chooses `keep_newlines` (lowest bit), the rest is the text (invalid
//! UTF-8 is decoded lossily, so U+FFFD appears too).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tandem::domain::text::sanitize;

/// The bidi controls docs/architecture.md § 6 names: embeddings/overrides and isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let keep_newlines = flags & 1 == 1;
    let input = String::from_utf8_lossy(rest);
    let out = sanitize(&input, keep_newlines);
    for c in out.chars() {
        assert!(
            !c.is_control() || (keep_newlines && c == '\n'),
            "control {c:?} survived (keep_newlines {keep_newlines}) in {input:?}"
        );
        assert!(
            !is_bidi_control(c),
            "bidi control {c:?} survived in {input:?}"
        );
    }
    // Only removes, besides writing line and paragraph separators as a newline or space
    // and a flag's regional indicators as capital letters: the output is the input so
    // mapped with some characters left out, in order.
    let mapped: String = input
        .chars()
        .map(|c| match c {
            '\u{2028}' | '\u{2029}' if keep_newlines => '\n',
            '\u{2028}' | '\u{2029}' => ' ',
            '\u{1F1E6}'..='\u{1F1FF}' => {
                char::from_u32(u32::from(c) - 0x1F1E6 + u32::from(b'A')).unwrap_or(' ')
            }
            c => c,
        })
        .collect();
    for c in out.chars() {
        assert!(
            !matches!(c, '\u{2028}' | '\u{2029}' | '\u{200D}' | '\u{FE0F}'),
            "{c:?} survived in {input:?}"
        );
    }
    // No grapheme cluster grows beyond five code points.
    for g in unicode_segmentation::UnicodeSegmentation::graphemes(out.as_str(), true) {
        assert!(g.chars().count() <= 5, "cluster {g:?} from {input:?}");
    }
    let mut rest_of_input = mapped.chars();
    for c in out.chars() {
        assert!(
            rest_of_input.any(|i| i == c),
            "output {out:?} is not a subsequence of {input:?}"
        );
    }
    // Printable ASCII passes unchanged.
    if input.chars().all(|c| c.is_ascii() && !c.is_control()) {
        assert_eq!(out, input, "clean text was changed");
    }
    assert_eq!(sanitize(&out, keep_newlines), out, "not idempotent");
});
