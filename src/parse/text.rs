//! Text plumbing shared by every format: decoding bytes, typography
//! normalisation, whitespace, sentences.

use std::borrow::Cow;

/// Typography that carries no meaning in identifiers and ranges: GPO's
/// March 2024 switch from en dashes to hyphens (`2024–02801` →
/// `2024-02801`) must not read as a change, so every variant becomes one
/// form. Em dashes (U+2014) separate headings from text and are kept.
fn normalize_char(c: char) -> Option<char> {
    match c {
        '\u{2013}' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2212}' => Some('-'),
        '\u{00A0}' | '\u{2002}' | '\u{2003}' | '\u{2009}' | '\u{200A}' | '\u{202F}' => Some(' '),
        '\u{200B}' | '\u{FEFF}' | '\u{00AD}' => None,
        c => Some(c),
    }
}

/// Normalised single-line text: typography unified, whitespace runs (and
/// newlines) collapsed to one space, trimmed. ASCII runs are copied
/// without decoding (this is the parser's hottest function).
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if b.is_ascii_whitespace() {
                space = !out.is_empty();
            } else {
                if space {
                    out.push(' ');
                    space = false;
                }
                // Copy the run of ASCII non-space bytes in one go, with the
                // single spaces between words (already clean) inside it.
                let plain = |b: u8| b.is_ascii() && !b.is_ascii_whitespace();
                let start = i;
                loop {
                    while i < bytes.len() && plain(bytes[i]) {
                        i += 1;
                    }
                    if bytes.get(i) == Some(&b' ') && bytes.get(i + 1).is_some_and(|b| plain(*b)) {
                        i += 2;
                        continue;
                    }
                    break;
                }
                out.push_str(&s[start..i]);
                continue;
            }
            i += 1;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or(' ');
        i += c.len_utf8();
        match normalize_char(c) {
            None => {}
            Some(c) if c.is_whitespace() => space = !out.is_empty(),
            Some(c) => {
                if space {
                    out.push(' ');
                    space = false;
                }
                out.push(c);
            }
        }
    }
    out
}

/// The paragraphs of a provision's text: `s.split("\n\n")`, with the
/// separator found by memchr's substring search (the standard library's
/// general searcher was a tenth of entity extraction).
pub(crate) fn paragraphs(s: &str) -> impl Iterator<Item = &str> {
    let mut ends = memchr::memmem::find_iter(s.as_bytes(), b"\n\n");
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let from = start?;
        match ends.next() {
            Some(end) => {
                start = Some(end + 2);
                s.get(from..end)
            }
            None => {
                start = None;
                s.get(from..)
            }
        }
    })
}

/// The largest char boundary of `s` at or before byte `i` (clamped to
/// the length): slicing there can never panic.
pub(crate) fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// "FIREARMS" → "Firearms": first letter upper case, the rest lower.
pub(crate) fn capitalize(word: &str) -> String {
    let lower = word.to_lowercase();
    let mut c = lower.chars();
    c.next().map_or(String::new(), |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

/// Identifier normalisation: typography unified and all whitespace removed
/// (`RIN 0694–AJ60` → `0694-AJ60` once the prefix is stripped).
pub fn ident(s: &str) -> String {
    clean(s).chars().filter(|c| !c.is_whitespace()).collect()
}

/// Decodes input bytes to text. UTF-8 (with or without BOM) is the norm;
/// UTF-16 with a BOM and an XML/HTML-declared legacy charset are honoured;
/// anything else that is not UTF-8 is read as Windows-1252 with a warning,
/// so a wrongly labelled file still parses instead of failing.
pub fn decode(bytes: &[u8]) -> (String, Option<String>) {
    let (text, warning) = decode_borrowed(bytes);
    (text.into_owned(), warning)
}

/// [`decode`] without the copy: valid UTF-8 without a byte-order mark (the
/// usual case) is borrowed as it is, so a multi-megabyte input is not
/// duplicated before parsing.
pub fn decode_borrowed(bytes: &[u8]) -> (Cow<'_, str>, Option<String>) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _, bad) = enc.decode(&bytes[bom..]);
        let warning = bad.then(|| format!("invalid {} sequences replaced", enc.name()));
        return (text, warning);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(s), None);
    }
    let declared = declared_charset(bytes)
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        .filter(|e| *e != encoding_rs::UTF_8);
    let (enc, warning) = match declared {
        Some(enc) => (enc, None),
        None => (
            encoding_rs::WINDOWS_1252,
            Some("input is not valid UTF-8; read as Windows-1252".to_string()),
        ),
    };
    let (text, _, _) = enc.decode(bytes);
    (text, warning)
}

/// `encoding="…"` of an XML declaration or `charset=` of an HTML meta tag,
/// looked for in the first kilobyte.
fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    for key in ["encoding=", "charset="] {
        if let Some(i) = head.find(key) {
            let rest = head[i + key.len()..].trim_start_matches(['"', '\'', ' ']);
            let label: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if !label.is_empty() {
                return Some(label);
            }
        }
    }
    None
}

/// Words ending in a period that do not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "No",
    "Nos", "no", "nos", "U.S", "U.S.C", "e.g", "i.e", "etc", "seq", "Inc", "Corp", "Co", "Ltd",
    "Jr", "Sr", "Mr", "Mrs", "Ms", "Dr", "St", "v", "vs", "Supp", "Pt", "Pts", "Sec", "Secs",
    "para", "paras", "Fed", "Reg", "Stat", "Pub", "L", "Comp", "p", "pp", "al", "approx", "Ave",
    "NW", "NE", "SW", "SE", "Rev", "Vol", "Art", "Nat", "Int", "Dept", "Admin", "a.m", "p.m",
    "A.M", "P.M", "Ph.D", "D.C", "U.S.A", "Doc",
];

/// Splits text into sentences: at `.`, `?`, `!` followed by a space and a
/// capital, digit or quote (unless the period ends an abbreviation or a
/// single letter), at `。！？；`, and at line breaks.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        let boundary = match c {
            '\n' => true,
            '。' | '！' | '？' | '；' => true,
            '.' | '?' | '!' => {
                let next_is_space = bytes.get(end) == Some(&b' ');
                let after =
                    text[end..].trim_start_matches([' ', '"', '\u{201C}', '\'', '\u{2018}', '(']);
                let starts_new = after
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || n == '§');
                next_is_space && starts_new && (c != '.' || !is_abbreviation(&text[start..i]))
            }
            _ => false,
        };
        if boundary {
            let s = text[start..end].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = end;
        }
    }
    let s = text[start..].trim();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    if word.chars().count() == 1 && word.chars().all(|c| c.is_alphabetic()) {
        return true;
    }
    ABBREVIATIONS.contains(&word)
}

/// Trims a heading: whitespace, trailing `:` and `.`.
pub fn heading(s: &str) -> String {
    clean(s).trim_end_matches([':', '.', ' ']).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_like_the_standard_library() {
        for s in [
            "",
            "one",
            "a\n\nb",
            "a\n\n\nb",
            "a\n\n\n\nb",
            "\n\na\n\n",
            "§ 1\n\n国家组\n\n",
        ] {
            let ours: Vec<&str> = paragraphs(s).collect();
            let std: Vec<&str> = s.split("\n\n").collect();
            assert_eq!(ours, std, "{s:?}");
        }
    }

    #[test]
    fn dashes_and_spaces_normalise() {
        assert_eq!(
            clean(" FR Doc. 2024\u{2013}02801\u{00A0} Filed\n 2\u{2013}9\u{2013}24 "),
            "FR Doc. 2024-02801 Filed 2-9-24"
        );
        assert_eq!(ident("0694\u{2013}AJ 60"), "0694-AJ60");
    }

    #[test]
    fn sentences_respect_abbreviations() {
        let s = sentences(
            "Effective Sept. 6, 2024. Comments to the U.S. Government are due Nov. 5, 2024. See § 740.24. The effective date of FR Doc. 2024-19633 is delayed.",
        );
        assert_eq!(
            s,
            vec![
                "Effective Sept. 6, 2024.",
                "Comments to the U.S. Government are due Nov. 5, 2024.",
                "See § 740.24.",
                "The effective date of FR Doc. 2024-19633 is delayed.",
            ]
        );
    }

    #[test]
    fn legacy_bytes_decode_with_a_warning() {
        let (text, warning) = decode(b"caf\xe9");
        assert_eq!(text, "café");
        assert!(warning.is_some());
        let (text, warning) = decode("\u{FEFF}ok".as_bytes());
        assert_eq!((text.as_str(), warning), ("ok", None));
    }
}
