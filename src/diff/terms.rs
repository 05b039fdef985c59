//! Defined terms a new version introduces.
//!
//! The EAR marks a term defined for a section or part with single quotes
//! and points to its definition: "a Burmese … 'military end user,' as
//! defined in paragraph (g) of this section". A term quoted and referred
//! to its definition that way in the new version, and quoted nowhere in
//! the old one, is `defined_term_added`, once per document, at the first
//! provision that refers it to its definition. Quoted words without "as
//! defined in/by" (a CCL technical note's 'coating systems', a quoted
//! company name) are never flagged, and a term the old version already
//! quoted (in any form: case, hyphens and a plural `s` aside) is not new.

use std::collections::HashSet;

use super::{Evidence, Finding, Flag};
use crate::model::{Document, Provision};

/// A single-quoted term in a text: the term as written (without the
/// comma or full stop EAR style puts inside the quotes) and the text after
/// the closing quote.
struct Quoted<'a> {
    term: &'a str,
    rest: &'a str,
    start: usize,
}

fn is_open(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}')
}

fn is_close(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// Every single-quoted term of `text`: an opening quote not glued to a
/// word ("People's" is an apostrophe), up to 60 characters of letters,
/// spaces and hyphens, and a closing quote not followed by a letter.
fn quoted(text: &str) -> Vec<Quoted<'_>> {
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        let glued = prev.is_some_and(char::is_alphanumeric);
        prev = Some(c);
        if !is_open(c) || glued {
            continue;
        }
        let body = &text[i + c.len_utf8()..];
        // A term is short: look no further than its longest form (60
        // characters and a comma), so a stray quote costs nothing.
        let Some((end, close)) = body.char_indices().take(62).find(|&(_, ch)| is_close(ch)) else {
            continue;
        };
        let rest = &body[end + close.len_utf8()..];
        let inner = &body[..end];
        let term = inner.trim_end_matches([',', '.']);
        let well_formed = term.len() <= 60
            && term.starts_with(char::is_alphabetic)
            && term.ends_with(char::is_alphabetic)
            && term
                .chars()
                .all(|ch| ch.is_alphabetic() || ch == ' ' || ch == '-');
        if well_formed && !rest.starts_with(char::is_alphanumeric) {
            out.push(Quoted {
                term,
                rest,
                start: i,
            });
        }
    }
    out
}

/// A term's identity: case, hyphens and a plural `s` aside
/// ("'Military End-Users'" is 'military end user').
fn key(term: &str) -> String {
    let k = super::words::one_line(&term.to_lowercase().replace('-', " "));
    match k.strip_suffix('s') {
        Some(stem) if !stem.ends_with('s') => stem.to_string(),
        _ => k,
    }
}

/// What a quoted term is referred to: "paragraph (g) of this section" for
/// "…,' as defined in paragraph (g) of this section, …"; `None` when the
/// quote is not followed by "as defined in" or "as defined by".
fn definition_of(rest: &str) -> Option<String> {
    let after = rest.trim_start_matches([',', ' ']);
    let target = after
        .strip_prefix("as defined in ")
        .or_else(|| after.strip_prefix("as defined by "))?;
    // The reference ends at a comma, a semicolon, a sentence's end, a
    // closing parenthesis it did not open ("(… as defined in § 772.1)"),
    // or right after "of this section/part" or "of the EAR".
    let mut end = target.len();
    let mut depth = 0usize;
    for (i, ch) in target.char_indices() {
        match ch {
            ',' | ';' => {
                end = i;
                break;
            }
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = i;
                break;
            }
            ')' => depth -= 1,
            '.' if target[i + 1..].starts_with(' ') || i + 1 == target.len() => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    for tail in [" of this section", " of this part", " of the EAR"] {
        if let Some(at) = target[..end].find(tail) {
            end = at + tail.len();
        }
    }
    let words = target[..end].trim();
    (!words.is_empty() && words.len() <= 80).then(|| words.to_string())
}

/// Every provision, headings and text, in document order.
fn walk<'a>(ps: &'a [Provision], out: &mut Vec<&'a Provision>) {
    for p in ps {
        out.push(p);
        walk(&p.children, out);
    }
}

/// The sentence of `text` around byte `at` (sentences as
/// [`crate::parse::text::sentences`] cuts them).
fn sentence(text: &str, at: usize) -> &str {
    let base = text.as_ptr() as usize;
    crate::parse::text::sentences(text)
        .into_iter()
        .find(|s| {
            let start = s.as_ptr() as usize - base;
            start <= at && at < start + s.len()
        })
        .unwrap_or(text)
}

/// `defined_term_added` for each term `after` refers to its definition
/// and `before` never quotes.
pub fn compare(before: &Document, after: &Document, label: Option<&str>) -> Vec<Flag> {
    // The new version's terms referred to their definition first: most
    // documents have none, and then the old one is not read at all (on
    // the CCL, quoting every "specially designed" of both versions was a
    // tenth of the diff).
    let mut new = Vec::new();
    walk(&after.provisions, &mut new);
    let mut candidates = Vec::new();
    for p in new {
        if !p.text.contains("as defined") {
            continue;
        }
        for q in quoted(&p.text) {
            if let Some(defined_in) = definition_of(q.rest) {
                candidates.push((p, q, defined_in));
            }
        }
    }
    if candidates.is_empty() {
        return Vec::new();
    }
    let mut old = Vec::new();
    walk(&before.provisions, &mut old);
    let known: HashSet<String> = old
        .iter()
        .flat_map(|p| {
            let heading = p.heading.as_deref().unwrap_or("");
            quoted(heading).into_iter().chain(quoted(&p.text))
        })
        .map(|q| key(q.term))
        .collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for (p, q, defined_in) in candidates {
        let k = key(q.term);
        if known.contains(&k) || !seen.insert(k) {
            continue;
        }
        out.push(Flag::new(
            Finding::DefinedTermAdded {
                term: q.term.to_string(),
                defined_in,
                provision: p.id.clone(),
                evidence: Evidence {
                    before: None,
                    after: Some(sentence(&p.text, q.start).to_string()),
                },
            },
            label,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ProvisionKind, SourceFormat};

    fn doc(paragraphs: &[(&str, &str)]) -> Document {
        let mut d = Document::new(SourceFormat::Text);
        for (id, text) in paragraphs {
            let mut p = Provision::new(*id, ProvisionKind::Paragraph, None);
            p.push_text(text);
            d.provisions.push(p);
        }
        d
    }

    /// § 744.21(a)(1), eCFR 2026-09-01 (verbatim).
    const A1_2026: &str = "(1) Any item subject to the EAR listed in supplement no. 2 to this part without a license if, at the time of the export, reexport, or transfer (in-country), you have “knowledge,” as defined in § 772.1 of the EAR, that the item is intended, entirely or in part, for a 'military end use,' as defined in paragraph (f) of this section, in Burma, Cambodia, the People's Republic of China (China), Nicaragua, or Venezuela, or a Burmese, Cambodian, Chinese, Nicaraguan, or Venezuelan 'military end user,' as defined in paragraph (g) of this section, wherever located. 'Military end users' located outside of Burma, Cambodia, China, Nicaragua, or Venezuela are limited to entities identified on the 'Military End-User' (MEU) List under supplement no. 7 to this part.";
    /// § 744.21(a) before 2020 (reconstructed, tests/fixtures/precision).
    const A_2017: &str = "(a) General prohibition. … you have “knowledge,” as defined in § 772.1 of the EAR, that the item is intended, entirely or in part, for a 'military end use,' as defined in paragraph (f) of this section, in the People's Republic of China, Russia, or Venezuela.";

    #[test]
    fn a_term_newly_referred_to_its_definition_is_flagged_once() {
        let before = doc(&[("§ 744.21(a)", A_2017)]);
        let after = doc(&[("§ 744.21(a)(1)", A1_2026), ("§ 744.21(a)(2)", A1_2026)]);
        let flags = compare(&before, &after, None);
        assert_eq!(flags.len(), 1, "{flags:#?}");
        let Finding::DefinedTermAdded {
            term,
            defined_in,
            provision,
            evidence,
        } = &flags[0].finding
        else {
            panic!("{flags:#?}")
        };
        assert_eq!(term, "military end user");
        assert_eq!(defined_in, "paragraph (g) of this section");
        assert_eq!(provision, "§ 744.21(a)(1)");
        assert!(
            evidence
                .after
                .as_deref()
                .is_some_and(|s| s.starts_with("(1) Any item") && s.ends_with("wherever located.")),
            "{evidence:?}"
        );
        let json = serde_json::to_value(&flags[0]).unwrap_or_default();
        assert_eq!(json["kind"], "defined_term_added");
        assert_eq!(json["term"], "military end user");
    }

    #[test]
    fn known_terms_apostrophes_and_bare_quotes_are_not_flagged() {
        // The same text on both sides: nothing is new.
        let same = doc(&[("§ 744.21(a)(1)", A1_2026)]);
        assert!(compare(&same, &same, None).is_empty());
        // Quoted before in another form (plural, capitals, hyphen).
        let before = doc(&[(
            "§ 744.21",
            "Restrictions on certain 'Military end uses' or 'Military End-Users'.",
        )]);
        let after = doc(&[("§ 744.21(a)(1)", A1_2026)]);
        let flags = compare(&before, &after, None);
        assert!(flags.is_empty(), "{flags:#?}");
        // Apostrophes ("People's", "country's") and quoted words with no
        // pointer to a definition (a CCL technical note) are no terms.
        let notes = doc(&[(
            "ECCN 1A004",
            "The People's Republic's and the country's 'coating systems' are 'in-process monitoring' tools; see the Secretary's designee.",
        )]);
        assert!(compare(&doc(&[]), &notes, None).is_empty());
        // A stray quote with no close in reach is no term.
        let long = format!("a ' {} 'end'", "x".repeat(100));
        assert!(quoted(&long).iter().all(|q| q.term == "end"));
        assert_eq!(
            quoted("the People's Republic of China, a 'military end use,' as defined")
                .iter()
                .map(|q| q.term)
                .collect::<Vec<_>>(),
            ["military end use"]
        );
    }

    #[test]
    fn a_definition_reference_ends_where_the_reference_does() {
        let d = |s: &str| definition_of(s);
        assert_eq!(
            d(", as defined in paragraph (g) of this section, includes").as_deref(),
            Some("paragraph (g) of this section")
        );
        assert_eq!(
            d(" as defined in § 772.1 of the EAR and in part 744").as_deref(),
            Some("§ 772.1 of the EAR")
        );
        assert_eq!(
            d(" as defined in § 772.1) are subject").as_deref(),
            Some("§ 772.1")
        );
        assert_eq!(
            d(" as defined by part 772. Exports to").as_deref(),
            Some("part 772")
        );
        assert_eq!(d(" as used in part 772"), None);
    }
}
