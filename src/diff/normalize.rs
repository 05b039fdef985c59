//! What "only formatting changed" means, in code.
//!
//! Regulators republish text with different typography all the time: GPO
//! switched from en dashes to hyphens in 2024, eCFR re-wraps paragraphs,
//! page markers move when pagination changes, emphasis markup comes and
//! goes. None of that changes what a rule requires, so two texts that are
//! equal after [`normalize`] differ only in formatting, and [`classify`]
//! says which kinds of formatting moved. Spelling and punctuation inside a
//! sentence are *not* formatting: a comma can change a rule's meaning. Two
//! editorial habits are: letter case ("See Supplement No. 1" vs "See
//! supplement no. 1", the eCFR's lower-casing of cross-references) and a
//! full stop ending a sentence or a table cell ("AT Column 1" vs "AT
//! Column 1."); they are [`FormattingKind::Editorial`].

use serde::{Deserialize, Serialize};

/// Kinds of formatting-only change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormattingKind {
    /// En/em dashes, minus signs, non-breaking hyphens vs `-`.
    Dashes,
    /// Curly vs straight quotes and apostrophes.
    Quotes,
    /// Spacing, line breaks, re-wrapping, non-breaking spaces.
    Whitespace,
    /// Other typographic variants: ellipsis, ligatures, invisible characters.
    Typography,
    /// Letter case, and a full stop at the end of a sentence, a table cell
    /// or the text (a `.` followed by a space or nothing).
    Editorial,
    /// Page markers (`<PRTPAGE>`) added, removed or moved.
    PageMarkers,
    /// Emphasis and other inline markup (`<E T="03">`, `<I>`, `<b>`).
    Markup,
}

impl FormattingKind {
    /// Snake-case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FormattingKind::Dashes => "dashes",
            FormattingKind::Quotes => "quotes",
            FormattingKind::Whitespace => "whitespace",
            FormattingKind::Typography => "typography",
            FormattingKind::Editorial => "editorial",
            FormattingKind::PageMarkers => "page_markers",
            FormattingKind::Markup => "markup",
        }
    }

    /// Words for people ("dashes", "page markers").
    pub fn label(self) -> &'static str {
        match self {
            FormattingKind::PageMarkers => "page markers",
            FormattingKind::Editorial => "capitalisation and full stops",
            other => other.as_str(),
        }
    }
}

/// Which text-level normalisations to apply; [`classify`] switches them
/// off one at a time to find out which ones a difference needed.
#[derive(Clone, Copy)]
struct Rules {
    dashes: bool,
    quotes: bool,
    whitespace: bool,
    typography: bool,
    editorial: bool,
}

const ALL: Rules = Rules {
    dashes: true,
    quotes: true,
    whitespace: true,
    typography: true,
    editorial: true,
};

/// The formatting-free form of a text: typographic variants unified,
/// invisible characters dropped, whitespace runs collapsed to one space
/// and removed where re-wrapping puts it next to punctuation.
pub fn normalize(s: &str) -> String {
    apply(s, ALL)
}

/// True when two texts differ in formatting only (or not at all).
pub fn same_substance(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (a, b) = differing_middles(a, b);
    normalize(a) == normalize(b)
}

/// The parts of two texts that lie between their common beginning and
/// their common end, cut where [`apply`] gives the same answer for the
/// middles as for the whole texts under every rule set.
///
/// `apply` reads left to right, and after a plain ASCII letter or digit
/// it holds no pending space and looks no further back. A cut between two
/// such characters that both texts share is therefore invisible: the
/// common beginning becomes the same output on both sides, the middles
/// are compared as they would be inside the whole, and the common end
/// (after a letter or digit, so no lookahead of the middle reaches it)
/// becomes the same output again. The source pass compares a thousand
/// long XML lines per issue that differ in a dash or two; this keeps the
/// comparison to the few characters around them.
fn differing_middles<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let alnum = |c: u8| c.is_ascii_alphanumeric();
    let prefix = x.iter().zip(y).take_while(|(p, q)| p == q).count();
    // The last cut inside the common beginning with a letter or digit on
    // both sides of it (both within the common part).
    let start = (1..prefix)
        .rev()
        .find(|&k| alnum(x[k - 1]) && alnum(x[k]))
        .unwrap_or(0);
    let room = x.len().min(y.len()) - prefix;
    let suffix = x
        .iter()
        .rev()
        .zip(y.iter().rev())
        .take(room)
        .take_while(|(p, q)| p == q)
        .count();
    // The first cut inside the common end whose character before it is a
    // letter or digit shared by both texts.
    let end = (1..suffix)
        .rev()
        .find(|&m| alnum(x[x.len() - m - 1]))
        .unwrap_or(0);
    (&a[start..a.len() - end], &b[start..b.len() - end])
}

/// The kinds of formatting two texts differ in, assuming they are equal
/// after [`normalize`]. Empty when the texts are identical.
pub fn classify(a: &str, b: &str) -> Vec<FormattingKind> {
    kinds(a, b, false)
}

/// [`classify`] for two texts the caller has seen equal after
/// [`normalize`]: a rule neither text holds a character of cannot tell
/// them apart, so its comparison is skipped (the source pass classifies
/// a thousand passages per issue).
pub fn classify_equal(a: &str, b: &str) -> Vec<FormattingKind> {
    kinds(a, b, true)
}

fn kinds(a: &str, b: &str, normalized_equal: bool) -> Vec<FormattingKind> {
    if a == b {
        return Vec::new();
    }
    let (a, b) = differing_middles(a, b);
    let mut kinds = Vec::new();
    let checks = [
        (
            FormattingKind::Dashes,
            Rules {
                dashes: false,
                ..ALL
            },
        ),
        (
            FormattingKind::Quotes,
            Rules {
                quotes: false,
                ..ALL
            },
        ),
        (
            FormattingKind::Typography,
            Rules {
                typography: false,
                ..ALL
            },
        ),
        (
            FormattingKind::Whitespace,
            Rules {
                whitespace: false,
                ..ALL
            },
        ),
        (
            FormattingKind::Editorial,
            Rules {
                editorial: false,
                ..ALL
            },
        ),
    ];
    for (kind, rules) in checks {
        // Texts equal after `normalize` that hold no character a rule
        // touches stay equal with that rule off: skip the comparison.
        let touched = |s: &str| match kind {
            FormattingKind::Quotes => s.chars().any(is_quote),
            FormattingKind::Typography => s.chars().any(is_typography),
            _ => true,
        };
        let skip = normalized_equal && !touched(a) && !touched(b);
        if !skip && apply(a, rules) != apply(b, rules) {
            kinds.push(kind);
        }
    }
    if kinds.is_empty() {
        // Equal under every partial rule set but not byte-equal: the
        // difference is in characters several rules touch at once.
        kinds.push(FormattingKind::Typography);
    }
    kinds
}

fn apply(s: &str, rules: Rules) -> String {
    let mut out = String::with_capacity(s.len());
    // A pending space is written only before a character that is not
    // closing punctuation, so "word ," and "word," compare equal.
    let mut pending_space = false;
    let push = |out: &mut String, c: char, pending: &mut bool| {
        if *pending && !out.is_empty() && !(rules.whitespace && closes(c)) {
            let opened = out.ends_with(['(', '[']);
            if !(rules.whitespace && opened) {
                out.push(' ');
            }
        }
        *pending = false;
        out.push(c);
    };
    // Under the editorial rule, capitals and full stops are not plain.
    let plain = |b: u8| is_plain(b) && !(rules.editorial && (b.is_ascii_uppercase() || b == b'.'));
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Plain ASCII (no space, dash or backquote) is the bulk of any
        // passage: the first character of a run goes through `push` (a
        // pending space), the rest of the run is copied as it is.
        if plain(bytes[i]) {
            push(&mut out, char::from(bytes[i]), &mut pending_space);
            let start = i + 1;
            i = start;
            while i < bytes.len() && plain(bytes[i]) {
                i += 1;
            }
            out.push_str(&s[start..i]);
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        let is_space = c.is_whitespace()
            || (rules.whitespace && matches!(c, '\u{00A0}' | '\u{2007}' | '\u{202F}'));
        if is_space {
            if rules.whitespace {
                pending_space = true;
            } else {
                out.push(c);
            }
            continue;
        }
        match c {
            c if rules.dashes && is_dash(c) => {
                push(&mut out, '-', &mut pending_space);
                // "--", "––" (typed em dashes) and "—" are the same dash.
                while let Some(n) = s[i..].chars().next().filter(|n| is_dash(*n)) {
                    i += n.len_utf8();
                }
            }
            c if rules.quotes && is_single_quote(c) => push(&mut out, '\'', &mut pending_space),
            c if rules.quotes && is_double_quote(c) => push(&mut out, '"', &mut pending_space),
            c if rules.typography && is_invisible(c) => {}
            '\u{2026}' if rules.typography => {
                for _ in 0..3 {
                    push(&mut out, '.', &mut pending_space);
                }
            }
            '\u{FB01}' if rules.typography => {
                push(&mut out, 'f', &mut pending_space);
                push(&mut out, 'i', &mut pending_space);
            }
            '\u{FB02}' if rules.typography => {
                push(&mut out, 'f', &mut pending_space);
                push(&mut out, 'l', &mut pending_space);
            }
            // A full stop that ends a sentence, a cell or the text (not one
            // a re-wrap only moved away from a comma: "e.g. ," is "e.g.,").
            '.' if rules.editorial && ends_sentence(&s[i..]) => {}
            c if rules.editorial && c.is_ascii_uppercase() => {
                push(&mut out, c.to_ascii_lowercase(), &mut pending_space)
            }
            c if rules.editorial && c.is_uppercase() => {
                for l in c.to_lowercase() {
                    push(&mut out, l, &mut pending_space);
                }
            }
            c => push(&mut out, c, &mut pending_space),
        }
    }
    out
}

/// True when a `.` whose following characters are `rest` ends a sentence,
/// a cell or the text: nothing follows, or a space and then something
/// other than closing punctuation.
fn ends_sentence(rest: &str) -> bool {
    let mut after = rest.chars();
    match after.next() {
        None => true,
        Some(c) if c.is_whitespace() => after
            .find(|c| !c.is_whitespace())
            .is_none_or(|c| !closes(c)),
        Some(_) => false,
    }
}

/// An ASCII byte [`apply`] treats like any letter under every rule set:
/// not whitespace, not a dash (`-`), not a quote (`` ` ``).
fn is_plain(b: u8) -> bool {
    b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' ' | b'-' | b'`')
}

fn is_single_quote(c: char) -> bool {
    matches!(
        c,
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{0060}' | '\u{00B4}'
    )
}

fn is_double_quote(c: char) -> bool {
    matches!(
        c,
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}'
    )
}

/// Every character the quotes rule of [`apply`] rewrites.
fn is_quote(c: char) -> bool {
    is_single_quote(c) || is_double_quote(c)
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Every character the typography rule of [`apply`] rewrites or drops.
fn is_typography(c: char) -> bool {
    is_invisible(c) || matches!(c, '\u{2026}' | '\u{FB01}' | '\u{FB02}')
}

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'
            | '\u{2011}'
            | '\u{2012}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2015}'
            | '\u{2212}'
            | '\u{FE58}'
            | '\u{FE63}'
            | '\u{FF0D}'
    )
}

/// Punctuation that re-wrapping may separate from the word before it.
fn closes(c: char) -> bool {
    matches!(c, ',' | '.' | ';' | ':' | ')' | ']' | '?' | '!')
}

/// Removes markup from a raw XML/HTML line range for formatting checks,
/// and says what it removed: page markers (`PRTPAGE`, whole element) and
/// inline tags (kept text). Character references for dashes and quotes
/// are decoded so `&#8211;` and `–` compare equal.
pub fn strip_markup(raw: &str) -> (String, bool, bool) {
    let mut out = String::with_capacity(raw.len());
    let mut page_markers = false;
    let mut markup = false;
    let mut rest = raw;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('&') {
            match decode_entity(rest) {
                Some((c, len)) => {
                    out.push(c);
                    rest = &rest[len..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
            continue;
        }
        let Some(end) = rest.find('>') else {
            out.push_str(rest);
            rest = "";
            break;
        };
        let tag = &rest[1..end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name.eq_ignore_ascii_case("PRTPAGE") {
            page_markers = true;
        } else {
            markup = true;
            if is_cell(&name) && !tag.starts_with('/') {
                // Which column a mark sits in is content (Country Groups).
                out.push_str(" | ");
            } else if is_block(&name) {
                // A tag that ends a block separates words; an inline one does not.
                out.push(' ');
            }
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    (out, page_markers, markup)
}

fn is_cell(name: &str) -> bool {
    matches!(
        name.to_ascii_uppercase().as_str(),
        "TD" | "TH" | "ENT" | "CHED"
    )
}

fn is_block(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    !matches!(
        upper.as_str(),
        "E" | "I" | "B" | "EM" | "STRONG" | "SU" | "SUP" | "SUB" | "SPAN" | "A" | "U" | "FR" | "AC"
    )
}

fn decode_entity(s: &str) -> Option<(char, usize)> {
    let window = &s[..crate::parse::text::floor_char_boundary(s, 12)];
    let end = window.find(';')?;
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix("#x").or_else(|| body.strip_prefix("#X")) {
        char::from_u32(u32::from_str_radix(num, 16).ok()?)?
    } else if let Some(num) = body.strip_prefix('#') {
        char::from_u32(num.parse().ok()?)?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{00A0}',
            "ndash" => '\u{2013}',
            "mdash" => '\u{2014}',
            "lsquo" => '\u{2018}',
            "rsquo" => '\u{2019}',
            "ldquo" => '\u{201C}',
            "rdquo" => '\u{201D}',
            "sect" => '§',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_variants_are_equal() {
        for (a, b) in [
            ("FR Doc. 2024–02801", "FR Doc. 2024-02801"),
            ("“specially designed”", "\"specially designed\""),
            ("the  item,\n covered", "the item, covered"),
            ("see 3A001 , and", "see 3A001, and"),
            ("( a ) text", "(a) text"),
            ("controls — see", "controls -- see"),
            ("Program––Small", "Program--Small"),
            ("the item\u{00A0}is", "the item is"),
            ("co\u{00AD}operation", "cooperation"),
            // Editorial (real CCL 2026-07 → 2026-09).
            (
                "(See Supplement No.1 to part 740)",
                "(See supplement no.1 to part 740)",
            ),
            ("RS Column 1 AT applies", "RS Column 1. AT applies"),
            ("AT Column 1", "AT Column 1."),
            ("Korea", "korea"),
            ("(e.g. , by reason", "(e.g., by reason"),
        ] {
            assert!(same_substance(a, b), "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn substance_is_not_formatting() {
        for (a, b) in [
            ("shall", "may"),
            ("a, b and c", "a, b, and c"),
            ("2024-11-05", "2024-12-05"),
            // A full stop inside a number or a designation is substance.
            ("3.5 kg", "35 kg"),
            ("3A001.a.1", "3A001.a1"),
            ("U.S. persons", "US persons"),
            ("items; or", "items. or"),
            ("(a)", "(b)"),
        ] {
            assert!(!same_substance(a, b), "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn classify_names_the_kinds() {
        assert_eq!(classify("a–b", "a-b"), vec![FormattingKind::Dashes]);
        assert_eq!(classify("“x”", "\"x\""), vec![FormattingKind::Quotes]);
        assert_eq!(classify("a  b", "a b"), vec![FormattingKind::Whitespace]);
        assert_eq!(
            classify("“a–b”", "\"a-b\""),
            vec![FormattingKind::Dashes, FormattingKind::Quotes]
        );
        assert_eq!(
            classify("See Supplement No. 1.", "See supplement no. 1"),
            vec![FormattingKind::Editorial]
        );
        assert!(classify("same", "same").is_empty());
    }

    #[test]
    fn markup_is_stripped_and_reported() {
        let (text, pages, markup) = strip_markup(
            "<P>The <E T=\"03\">Federal</E> Register<PRTPAGE P=\"70652\"/> &#8211; x</P>",
        );
        assert!(pages && markup);
        assert_eq!(normalize(&text), "the federal register - x");
        // Found by fuzzing: an entity-like `&` followed by multi-byte text.
        let (text, _, _) = strip_markup("&\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}x");
        assert!(text.starts_with('&'));
        let (text, pages, markup) = strip_markup("plain &amp; simple");
        assert!(!pages && !markup);
        assert_eq!(text, "plain & simple");
    }

    /// Every rule set, by bits.
    fn rule_sets() -> impl Iterator<Item = Rules> {
        (0..32u8).map(|m| Rules {
            dashes: m & 1 != 0,
            quotes: m & 2 != 0,
            whitespace: m & 4 != 0,
            typography: m & 8 != 0,
            editorial: m & 16 != 0,
        })
    }

    #[test]
    fn comparing_the_middles_decides_like_the_whole() {
        // Pairs built from pieces every rule touches (dashes, quotes,
        // spaces before punctuation, full stops, capitals, ellipses),
        // sharing a beginning and an end: the middles must compare equal
        // under a rule set exactly when the whole texts do.
        let pieces = [
            "ab",
            "C",
            "1",
            " ",
            "  ",
            "\n",
            ".",
            ". ",
            ",",
            " ,",
            "(",
            "[",
            " )",
            "-",
            "\u{2013}",
            "\u{2014}",
            "--",
            "\u{201C}",
            "\"",
            "'",
            "\u{2019}",
            "\u{2026}",
            "...",
            "\u{00A0}",
            "\u{200B}",
            "e.g.",
            "Supplement No.",
            "x9",
            "\u{FB01}",
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut compared = 0;
        for _ in 0..4000 {
            let text = |len: usize, next: &mut dyn FnMut(usize) -> usize| -> String {
                (0..len).map(|_| pieces[next(pieces.len())]).collect()
            };
            let head = text(next(6), &mut next);
            let tail = text(next(6), &mut next);
            let (ma, mb) = (text(next(4), &mut next), text(next(4), &mut next));
            let a = format!("{head}{ma}{tail}");
            let b = format!("{head}{mb}{tail}");
            let (xa, xb) = differing_middles(&a, &b);
            for rules in rule_sets() {
                assert_eq!(
                    apply(&a, rules) == apply(&b, rules),
                    apply(xa, rules) == apply(xb, rules),
                    "{a:?} / {b:?} cut to {xa:?} / {xb:?}"
                );
                compared += 1;
            }
        }
        assert_eq!(compared, 4000 * 32);
    }

    #[test]
    fn the_middles_of_long_lines_are_short() {
        let a = format!(
            "{} 2024\u{2013}02801 {}",
            "word ".repeat(200),
            "more ".repeat(200)
        );
        let b = a.replace('\u{2013}', "-");
        let (x, y) = differing_middles(&a, &b);
        assert_eq!((x, y), ("4\u{2013}0", "4-0"));
        assert_eq!(classify(&a, &b), vec![FormattingKind::Dashes]);
    }
}
