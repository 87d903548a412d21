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
    // Only removes: the output is the input with some characters left out, in order.
    let mut rest_of_input = input.chars();
    for c in out.chars() {
        assert!(
            rest_of_input.any(|i| i == c),
            "output {out:?} is not a subsequence of {input:?}"
        );
    }
    // Printable text passes unchanged.
    if input.chars().all(|c| {
        !c.is_control()
            && !is_bidi_control(c)
            && !matches!(
                c,
                '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{FEFF}'
            )
    }) {
        assert_eq!(out, input, "clean text was changed");
    }
    assert_eq!(sanitize(&out, keep_newlines), out, "not idempotent");
});
