//! Text rules: the sanitiser for anything that bypasses widgets, and the normalised keys for
//! searching and sorting names.

use unicode_segmentation::UnicodeSegmentation;

/// Most code points kept after the first one of a grapheme cluster (combining marks,
/// vowel signs): enough for Vietnamese, Hebrew points and Indic conjuncts, not enough for
/// one "character" to grow into hundreds of stacked marks ("Zalgo" text).
pub const MAX_CLUSTER_MARKS: usize = 4;

/// The most characters a field takes (docs/data-exits.md § 5): one line and a text of
/// several lines. Typing stops at the limit and a longer paste is refused whole, so that
/// no draft and no record ever holds more; the configuration's `[input]` table sets them
/// within [`FieldLimits::CEILING`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldLimits {
    /// A one-line field (a name, a phone number, a title).
    pub line: usize,
    /// A text of several lines (facts, minutes, a statement).
    pub text: usize,
}

impl FieldLimits {
    /// The defaults: 200 characters on one line, 8000 in a text.
    pub const DEFAULT: FieldLimits = FieldLimits {
        line: 200,
        text: 8000,
    };
    /// The most the configuration may allow; the store refuses a draft value above the
    /// text ceiling whatever the configuration says.
    pub const CEILING: FieldLimits = FieldLimits {
        line: 1000,
        text: 20_000,
    };
    /// The least the configuration may set.
    pub const FLOOR: FieldLimits = FieldLimits {
        line: 20,
        text: 200,
    };

    /// The most bytes of one paste kept in memory: four bytes (UTF-8) per character of the
    /// longest field and some room for line breaks sent as `\r\n`. A longer paste cannot
    /// fit any field and is dropped as it arrives (`terminal::keys`).
    pub fn paste_bytes(self) -> usize {
        self.text.max(self.line) * 4 + 1024
    }
}

/// Characters in a text held as lines, each line break counted as one: the count a
/// field's limit applies to.
pub fn char_count(lines: &[String]) -> usize {
    lines.iter().map(|l| l.chars().count()).sum::<usize>() + lines.len().saturating_sub(1)
}

impl Default for FieldLimits {
    fn default() -> Self {
        FieldLimits::DEFAULT
    }
}

/// Makes text safe to draw and to count in a terminal (docs/architecture.md § 6):
///
/// - control characters (C0, DEL, C1) are removed; `\n` is kept when `keep_newlines` is set;
/// - the line and paragraph separators U+2028/U+2029 become `\n` (if newlines are kept) or
///   a space — terminals and editors disagree on whether they break a line;
/// - bidi controls, zero-width and other invisible format characters, variation selectors
///   and Hangul fillers are removed: they hide or reorder what a person reads, and
///   terminals count their width differently from ratatui (a ZWJ emoji sequence is one
///   wide cell to ratatui and two or three to many terminals), which leaves stale cells;
///   for the same reason emoji skin tone modifiers are removed and the regional indicator
///   letters of a flag become plain capital letters;
/// - each grapheme cluster keeps at most [`MAX_CLUSTER_MARKS`] code points after its first.
///
/// ```
/// use tandem::domain::text::sanitize;
/// assert_eq!(sanitize("a\u{2028}b\u{200d}c", false), "a bc");
/// let zalgo = format!("e{}", "\u{301}".repeat(300));
/// assert_eq!(sanitize(&zalgo, false).chars().count(), 5);
/// ```
pub fn sanitize(s: &str, keep_newlines: bool) -> String {
    // First what goes or changes, then the cap: removing a character can join the
    // clusters around it, so the clusters are counted on what is left.
    let mut left = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            '\u{2028}' | '\u{2029}' if keep_newlines => '\n',
            '\u{2028}' | '\u{2029}' => ' ',
            // Regional indicators: a flag is one, two or four columns wide depending on
            // the terminal; its letters are the same everywhere (🇩🇪 → "DE").
            '\u{1F1E6}'..='\u{1F1FF}' => {
                char::from_u32(u32::from(c) - 0x1F1E6 + u32::from(b'A')).unwrap_or(' ')
            }
            c => c,
        };
        if (keep_newlines && c == '\n') || !(c.is_control() || is_invisible(c)) {
            left.push(c);
        }
    }
    if left.is_ascii() {
        return left;
    }
    // Cutting a cluster can join it with the next one (Hangul jamo after a dropped mark),
    // so cut again until no cluster is too long; each pass only removes, so this ends.
    let mut out = left;
    loop {
        let mut next = String::with_capacity(out.len());
        let mut cut = false;
        for cluster in out.graphemes(true) {
            let mut chars = cluster.chars();
            next.extend(chars.by_ref().take(1 + MAX_CLUSTER_MARKS));
            cut |= chars.next().is_some();
        }
        if !cut {
            return next;
        }
        out = next;
    }
}

/// Bidi controls, zero-width and other invisible format characters (the Unicode category
/// Cf), variation selectors, the combining grapheme joiner, Hangul fillers and emoji skin
/// tone modifiers: characters that could hide or reorder what a person reads, or that
/// terminals count differently.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{115F}'..='\u{1160}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{1F3FB}'..='\u{1F3FF}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Folds one character for search: lower case, German umlauts as two letters (ä→ae),
/// ß→ss, other Latin diacritics dropped (ł→l, ı→i, ş→s).
fn fold_char(c: char, umlaut_as_e: bool, out: &mut String) {
    let lower: String = c.to_lowercase().collect();
    for c in lower.chars() {
        let rep: &str = match c {
            'ä' if umlaut_as_e => "ae",
            'ö' if umlaut_as_e => "oe",
            'ü' if umlaut_as_e => "ue",
            'ä' | 'à' | 'á' | 'â' | 'ã' | 'å' | 'ą' | 'ă' => "a",
            'ö' | 'ò' | 'ó' | 'ô' | 'õ' | 'ø' => "o",
            'ü' | 'ù' | 'ú' | 'û' | 'ū' => "u",
            'ß' => "ss",
            'ç' | 'ć' | 'č' => "c",
            'è' | 'é' | 'ê' | 'ë' | 'ę' | 'ě' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'ı' | 'i' => "i",
            // "İ".to_lowercase() is "i" + U+0307: drop the dot so "ilhan" finds "İlhan".
            '\u{0307}' => "",
            'ł' => "l",
            'ñ' | 'ń' | 'ň' => "n",
            'ś' | 'š' | 'ş' => "s",
            'ź' | 'ż' | 'ž' => "z",
            'ğ' => "g",
            'ý' | 'ÿ' => "y",
            'ř' => "r",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(rep);
    }
}

/// Comparison key: lower case, ä→ae, ö→oe, ü→ue, ß→ss, other diacritics dropped, so that
/// "Müller", "Mueller" and "MÜLLER" are equal (named recipients of a consent, demo logins).
/// The case filter uses [`filter_words`], which also lets "Muller" meet them.
///
/// ```
/// use tandem::domain::text::search_key;
/// assert_eq!(search_key("MÜLLER"), search_key("Mueller"));
/// assert_eq!(search_key("Yılmaz-Weiß"), "yilmaz-weiss");
/// ```
pub fn search_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || is_invisible(c) {
            continue;
        }
        fold_char(c, true, &mut out);
    }
    out
}

/// Sort key after DIN 5007 variant 1 (ä = a, ö = o, ü = u, ß = ss), case-insensitive.
pub fn sort_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || is_invisible(c) {
            continue;
        }
        fold_char(c, false, &mut out);
    }
    out
}

/// Splits text into search words (letters and digits), each folded with [`search_key`].
pub fn search_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(search_key)
        .collect()
}

/// Filter words of `s` (docs/architecture.md § 5.8): letters as people type them on a
/// keyboard without the special letters. Both the stored words and the typed filter go
/// through this one fold, so they meet whichever way a name is written:
///
/// 1. every character is transliterated to ASCII (`deunicode`: ä→a, ß→ss, ł→l, ı→i, ş→s,
///    ø→o, Cyrillic to Latin, combining marks dropped) and lower-cased;
/// 2. anything but ASCII letters and digits separates words (characters without a
///    transliteration are kept lower-cased if they are letters or digits);
/// 3. in each word an `e` after `a`, `o` or `u` of the folded word is dropped, so the
///    German spellings "ae", "oe", "ue" of ä, ö, ü meet the plain base letter: "Müller",
///    "Mueller" and "Muller" all become "muller".
///
/// Each step looks only at what it has written so far, so the fold of a prefix is a prefix
/// of the fold of the word: typing "Mue" ("mu") still finds "Müller" on the way to "Mueller". It also
/// folds "Samuel" to "samul"; a filter that finds a little more is harmless, one that finds
/// nothing invites a duplicate case. Sorting keeps DIN 5007 ([`sort_key`]).
///
/// ```
/// use tandem::domain::text::filter_words;
/// assert_eq!(filter_words("Müller"), filter_words("Mueller"));
/// assert_eq!(filter_words("Muller"), filter_words("MÜLLER"));
/// assert_eq!(filter_words("Yılmaz-Weiß"), vec!["yilmaz", "weiss"]);
/// ```
pub fn filter_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in s.chars() {
        if c.is_ascii() {
            fold_ascii(c, &mut word, &mut words);
        } else if let Some(t) = deunicode::deunicode_char(c) {
            for t in t.chars() {
                fold_ascii(t, &mut word, &mut words);
            }
        } else {
            for l in c.to_lowercase() {
                if l.is_alphanumeric() {
                    word.push(l);
                } else {
                    end_word(&mut word, &mut words);
                }
            }
        }
    }
    end_word(&mut word, &mut words);
    words
}

/// Appends one ASCII character of a transliteration to `word` (steps 2 and 3 of
/// [`filter_words`]).
fn fold_ascii(c: char, word: &mut String, words: &mut Vec<String>) {
    if !c.is_ascii_alphanumeric() {
        end_word(word, words);
        return;
    }
    let c = c.to_ascii_lowercase();
    if c == 'e' && word.ends_with(['a', 'o', 'u']) {
        return;
    }
    word.push(c);
}

fn end_word(word: &mut String, words: &mut Vec<String>) {
    if !word.is_empty() {
        words.push(std::mem::take(word));
    }
}

/// The smallest string greater than every string that starts with `prefix`, for turning a
/// prefix into an index range (`key >= prefix AND key < upper`).
pub fn prefix_upper_bound(prefix: &str) -> String {
    let mut s = prefix.to_string();
    s.push(char::MAX);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the fuzz smoke: dropping the mark after five Hangul T jamo joined them
    /// with the next two into one cluster of seven.
    #[test]
    fn cut_clusters_that_join_are_cut_again() {
        use unicode_segmentation::UnicodeSegmentation as _;
        let input =
            "\u{FFFD}\u{11C7}\u{11C7}\u{11C7}\u{11C7}\u{11C7}\u{1AC7}\u{11C7}\u{11C7}\u{FFFD}";
        let out = sanitize(input, false);
        for g in out.graphemes(true) {
            assert!(
                g.chars().count() <= 1 + MAX_CLUSTER_MARKS,
                "{g:?} in {out:?}"
            );
        }
        assert_eq!(sanitize(&out, false), out);
    }

    #[test]
    fn folds_names() {
        assert_eq!(search_key("Müller"), "mueller");
        assert_eq!(search_key("Mueller"), "mueller");
        assert_eq!(search_key("Yılmaz"), "yilmaz");
        assert_eq!(search_key("Łukasz Szymański"), "lukasz szymanski");
        assert_eq!(search_key("Weiß"), "weiss");
        assert_eq!(sort_key("Öztürk"), "ozturk");
        assert!(sort_key("Ähm") < sort_key("B"));
    }

    #[test]
    fn filter_words_meet_whichever_way_a_name_is_typed() {
        let one = |s: &str| filter_words(s).join(" ");
        for (name, typed) in [
            ("Müller", "muller"),
            ("Müller", "mueller"),
            ("Mueller", "Müller"),
            ("Mueller", "muller"),
            ("Öztürk", "ozturk"),
            ("Öztürk", "oeztuerk"),
            ("Schäfer", "schafer"),
            ("Schäfer", "schaefer"),
            ("Weiß", "weiss"),
            ("Yılmaz", "yilmaz"),
            ("İrem", "irem"),
            ("Şahin", "sahin"),
            ("Çelik", "celik"),
            ("Doğan", "dogan"),
            ("Łukasz", "lukasz"),
            ("Dąbrowska", "dabrowska"),
            ("Wiśniewska", "wisniewska"),
            ("Woźniak", "wozniak"),
            ("Wójcik", "wojcik"),
            ("Szymański", "szymanski"),
            ("Dvořák", "dvorak"),
            ("Čech", "cech"),
            ("René", "rene"),
            ("Søren", "soeren"),
            ("Mu\u{308}ller", "muller"),
        ] {
            assert_eq!(one(name), one(typed), "{name} / {typed}");
        }
        assert_eq!(
            filter_words("Schulte-Heß, Ben"),
            vec!["schulte", "hess", "ben"]
        );
        // Invisible format characters vanish without splitting the word.
        assert_eq!(filter_words("a\u{202e}b"), vec!["ab"]);
    }

    #[test]
    fn filter_word_of_a_prefix_is_a_prefix() {
        for name in [
            "Mueller", "Müller", "Bauer", "Samuel", "Öztürk", "Schröer", "Yılmaz",
        ] {
            let full = filter_words(name).join(" ");
            for (i, _) in name.char_indices().skip(1) {
                let part = filter_words(&name[..i]).join(" ");
                assert!(full.starts_with(&part), "{name}: {part} / {full}");
            }
        }
    }

    #[test]
    fn sanitizes_controls() {
        assert_eq!(sanitize("a\u{1b}[2Jb\u{9b}c\u{202e}d\n", false), "a[2Jbcd");
        assert_eq!(sanitize("x\ny", true), "x\ny");
        assert_eq!(sanitize("x\r\ny", true), "x\ny");
    }

    #[test]
    fn sanitizes_separators_format_characters_and_long_clusters() {
        assert_eq!(sanitize("a\u{2028}b\u{2029}c", false), "a b c");
        assert_eq!(sanitize("a\u{2028}b\u{2029}c", true), "a\nb\nc");
        for c in [
            '\u{AD}',
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{2060}',
            '\u{2066}',
            '\u{FE0F}',
            '\u{FEFF}',
            '\u{3164}',
            '\u{E0041}',
            '\u{034F}',
            '\u{061C}',
        ] {
            assert_eq!(
                sanitize(&format!("a{c}b"), false),
                "ab",
                "{:X}",
                u32::from(c)
            );
        }
        // ZWJ emoji sequences fall apart into their emoji, each counted alike everywhere;
        // skin tones go, flags become their letters.
        assert_eq!(sanitize("👩\u{200D}👧", false), "👩👧");
        assert_eq!(sanitize("👍\u{1F3FD} \u{1F1E9}\u{1F1EA}", false), "👍 DE");
        // Letters, wide and right-to-left text and a few marks stay.
        for ok in [
            "Çelik",
            "Ngô Bảo Châu",
            "山田",
            "عبد الله",
            "שָׁלוֹם",
            "क्षि",
            "e\u{301}\u{302}",
        ] {
            assert_eq!(sanitize(ok, false), ok);
        }
        let zalgo = format!("Z{}a", "\u{301}".repeat(500));
        assert_eq!(
            sanitize(&zalgo, false),
            format!("Z{}a", "\u{301}".repeat(4))
        );
    }

    #[test]
    fn splits_words() {
        assert_eq!(
            search_words("Schulte-Heß, Ben"),
            vec!["schulte", "hess", "ben"]
        );
    }
}
