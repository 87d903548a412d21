//! Text rules: the sanitiser for anything that bypasses widgets, and the normalised keys for
//! searching and sorting names.

/// Removes control characters (C0, DEL, C1) and bidi controls from `s`; newlines are kept
/// when `keep_newlines` is set.
pub fn sanitize(s: &str, keep_newlines: bool) -> String {
    s.chars()
        .filter(|&c| {
            if keep_newlines && c == '\n' {
                return true;
            }
            !(c.is_control() || is_bidi_control(c))
        })
        .collect()
}

/// Bidi controls, plus the zero-width space and byte-order mark, which could hide or
/// reorder what a person reads.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{FEFF}'
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

/// Search key: lower case, ä→ae, ö→oe, ü→ue, ß→ss, other diacritics dropped, so that
/// "Müller", "Mueller" and "MÜLLER" meet. Typed filter text is folded the same way.
///
/// ```
/// use tandem::domain::text::search_key;
/// assert_eq!(search_key("MÜLLER"), search_key("Mueller"));
/// assert_eq!(search_key("Yılmaz-Weiß"), "yilmaz-weiss");
/// ```
pub fn search_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || is_bidi_control(c) {
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
        if c.is_control() || is_bidi_control(c) {
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
    fn sanitizes_controls() {
        assert_eq!(sanitize("a\u{1b}[2Jb\u{9b}c\u{202e}d\n", false), "a[2Jbcd");
        assert_eq!(sanitize("x\ny", true), "x\ny");
    }

    #[test]
    fn splits_words() {
        assert_eq!(
            search_words("Schulte-Heß, Ben"),
            vec!["schulte", "hess", "ben"]
        );
    }
}
