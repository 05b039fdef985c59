//! The Entity List (Supplement No. 4 to 15 CFR part 744): one record per
//! listed party.
//!
//! The eCFR table has five columns — Country, Entity, License requirement,
//! License review policy, Federal Register citation — and one row per
//! party. The country cell is filled only on a country's first row (later
//! rows leave it blank or self-closing); the entity cell holds the name,
//! then ", a.k.a., the following N aliases:" with one `<br/>—alias` line
//! each, then (after an empty line) the addresses joined by an italic
//! "and". Addresses listed as parties of their own ("Address 01, Unit D,
//! … Hong Kong." with their own requirement, policy and citation) are
//! parties: the Consolidated Screening List names them "Address 01". A
//! row with an entity cell but no requirement, policy or citation only
//! continues the party above with more addresses.

use chrono::NaiveDate;

use super::ear_tables::{AND_MARK, cell, cells, rows};
use super::xml::Element;
use crate::model::countries::{code_of_any_case, region_of_any_case};
use crate::model::{EntityListEntry, FrCitation};

const PROVISION: &str = "Supplement No. 4 to Part 744";

/// Reads the Entity List's `TABLE`; warnings name rows that did not fit.
pub(crate) fn read(table: &Element) -> (Vec<EntityListEntry>, Vec<String>) {
    let mut warnings = Vec::new();
    let cols = column_order(table, &mut warnings);
    let mut out: Vec<EntityListEntry> = Vec::new();
    let mut country = String::new();
    let mut iso: Option<String> = None;
    for (n, tr) in rows(table, "TBODY").into_iter().enumerate() {
        let row: Vec<&Element> = cells(tr).map(|(c, _, _)| c).collect();
        let get = |i: usize, keep_sups: bool| {
            row.get(cols[i])
                .map(|c| one_line(&cell(c, keep_sups).text))
                .unwrap_or_default()
        };
        let c = get(0, false);
        if !c.is_empty() && c != country {
            // A region's rows ("CRIMEA REGION OF UKRAINE") carry its country.
            iso = code_of_any_case(&c)
                .or_else(|| region_of_any_case(&c).map(|r| r.parent))
                .map(str::to_string);
            country = c;
        }
        let entity = row
            .get(cols[1])
            .map(|c| cell(c, false).text)
            .unwrap_or_default();
        let (requirement, policy, citation) = (get(2, true), get(3, true), get(4, false));
        if entity.trim().is_empty() {
            if !(requirement.is_empty() && policy.is_empty() && citation.is_empty()) {
                warnings.push(format!("{PROVISION}: row {} has no entity", n + 1));
            }
            continue;
        }
        let party = parse_entity(&entity);
        if requirement.is_empty() && policy.is_empty() && citation.is_empty() {
            // Only an address: it belongs to the party above.
            if let Some(prev) = out.last_mut() {
                prev.addresses.extend(addresses(&one_line(&entity)));
                continue;
            }
        }
        if country.is_empty() {
            warnings.push(format!(
                "{PROVISION}: row {} (“{}”) comes before any country",
                n + 1,
                party.name
            ));
        }
        let citations = fr_citations(&citation);
        if citations.is_empty() {
            warnings.push(format!(
                "{PROVISION}: “{}” has no Federal Register citation",
                party.name
            ));
        }
        out.push(EntityListEntry {
            iso: iso.clone(),
            country: country.clone(),
            name: party.name,
            aliases: party.aliases,
            addresses: party.addresses,
            license_requirement: requirement,
            review_policy: policy,
            citations,
        });
    }
    (out, warnings)
}

/// Positions of Country, Entity, License requirement, License review
/// policy and Federal Register citation, from the header's words (the
/// published order when the header says nothing).
fn column_order(table: &Element, warnings: &mut Vec<String>) -> [usize; 5] {
    let mut heads = Vec::new();
    for tr in rows(table, "THEAD") {
        heads.extend(cells(tr).map(|(c, _, _)| one_line(&cell(c, false).text).to_lowercase()));
    }
    let find = |pred: &dyn Fn(&str) -> bool| heads.iter().position(|h| pred(h));
    let found = [
        find(&|h| h.starts_with("country")),
        find(&|h| h.starts_with("entity")),
        find(&|h| h.contains("requirement")),
        find(&|h| h.contains("policy")),
        find(&|h| h.contains("federal register") || h.contains("citation")),
    ];
    let mut cols = [0, 1, 2, 3, 4];
    for (i, f) in found.iter().enumerate() {
        match f {
            Some(p) => cols[i] = *p,
            None => {
                if i == 0 {
                    warnings.push(format!(
                        "{PROVISION}: the table header is not the Entity List's \
                         (Country, Entity, License requirement, License review policy, \
                         Federal Register citation); read in that order"
                    ));
                }
            }
        }
    }
    cols
}

/// A cell's lines as one line, the italic-and mark as a plain "and".
fn one_line(s: &str) -> String {
    let s = s.replace('\n', " ").replace(AND_MARK, "and");
    super::text::clean(&s)
}

struct Party {
    name: String,
    aliases: Vec<String>,
    addresses: Vec<String>,
}

/// Splits an entity cell into name, aliases and addresses.
fn parse_entity(cell: &str) -> Party {
    let flat = cell.replace('\n', " ");
    if let Some(at) = find_aka(&flat) {
        let name = tidy_name(&flat[..at]);
        // After the "a.k.a." phrase: one line per alias, then addresses.
        let lines: Vec<&str> = cell_after(cell, &flat[..at]).split('\n').collect();
        let mut aliases = Vec::new();
        let mut rest = Vec::new();
        let mut seen_alias = false;
        for line in lines {
            let t = line.trim();
            if let Some(a) = t.strip_prefix('—') {
                seen_alias = true;
                aliases.push(tidy_alias(a));
            } else if seen_alias {
                rest.push(t);
            }
        }
        if !seen_alias {
            // "a.k.a. Other Name, address" written inline.
            let tail = flat[at..]
                .split_once(['.', ','])
                .map_or("", |(_, r)| r)
                .trim_start_matches(['.', ',', ' ']);
            let tail = tail
                .trim_start_matches("k.a.")
                .trim_start_matches([',', ' ']);
            let (alias, addr) = tail.split_once([',', ';']).unwrap_or((tail, ""));
            if !alias.trim().is_empty() {
                aliases.push(tidy_alias(alias));
            }
            rest.push(addr);
        }
        return Party {
            name,
            aliases,
            addresses: addresses(&one_line(&rest.join(" "))),
        };
    }
    // "Kelvo Inc<br/> <br/> 6600 21st Avenue, …": an empty line ends the
    // name's line even where no comma does.
    let lines: Vec<&str> = cell.split('\n').collect();
    let blank = lines
        .iter()
        .position(|l| l.trim().is_empty())
        .filter(|&i| i > 0);
    let (first, after) = match blank {
        Some(i) => (one_line(&lines[..i].join(" ")), lines[i..].join(" ")),
        None => (one_line(cell), String::new()),
    };
    let (name, rest) = split_name(&first);
    let rest = one_line(&format!("{rest} {after}"));
    Party {
        name,
        aliases: Vec::new(),
        addresses: addresses(&rest),
    }
}

/// The part of `cell` after the prefix `before` (measured on the
/// newline-free copy; both have the same byte lengths).
fn cell_after<'a>(cell: &'a str, before: &str) -> &'a str {
    let at = super::text::floor_char_boundary(cell, before.len());
    &cell[at..]
}

/// Byte offset of "a.k.a." (any case) in `s`.
fn find_aka(s: &str) -> Option<usize> {
    s.to_ascii_lowercase().find("a.k.a")
}

fn tidy_name(s: &str) -> String {
    one_line(s)
        .trim_end_matches([',', ' ', ';'])
        .trim()
        .to_string()
}

/// "Imal Bilal Road Construction Company; and" → "Imal Bilal Road
/// Construction Company"; the last alias's full stop ends the list, not
/// the name ("Sky Aviator Co. Ltd." → "Sky Aviator Co. Ltd", as the
/// Consolidated Screening List writes it).
fn tidy_alias(s: &str) -> String {
    let mut a = one_line(s);
    loop {
        let before = a.len();
        a = a.trim_end().to_string();
        for tail in [" and", ";", ","] {
            if let Some(t) = a.strip_suffix(tail) {
                a = t.to_string();
            }
        }
        if a.len() == before {
            break;
        }
    }
    a.trim_end_matches('.').trim().to_string()
}

fn ends_with_abbreviation(s: &str) -> bool {
    let last = s.rsplit(' ').next().unwrap_or("");
    let word = last.trim_end_matches('.');
    is_suffix(last)
        || word.contains('.')
        || (word.len() <= 3 && word.chars().any(char::is_uppercase))
}

/// Company-form words that continue a name past a comma ("Co., Ltd.").
fn is_suffix(seg: &str) -> bool {
    let s = seg.trim().trim_end_matches(',').to_ascii_lowercase();
    let s = s.split(" (").next().unwrap_or("");
    const SUFFIXES: &[&str] = &[
        "ltd",
        "ltd.",
        "limited",
        "inc",
        "inc.",
        "llc",
        "llc.",
        "l.l.c.",
        "co",
        "co.",
        "corp",
        "corp.",
        "s.a.",
        "s.a",
        "sa",
        "s.l.",
        "gmbh",
        "jsc",
        "cjsc",
        "ojsc",
        "pjsc",
        "llp",
        "ag",
        "b.v.",
        "srl",
        "s.r.l.",
        "s.a.s.",
        "plc",
        "pte. ltd.",
        "pte ltd",
        "ltda",
        "ltda.",
        "l.p.",
        "lp",
        "fze",
        "fzco",
        "fz-llc",
        "a.s.",
        "o.o.o.",
        "ooo",
        "oy",
        "ab",
        "spa",
        "s.p.a.",
        "co. ltd.",
        "co., ltd.",
        "s. de r.l. de c.v.",
        "s.a. de c.v.",
        "sdn. bhd.",
        "sdn bhd",
        "bhd",
        "bhd.",
        "pvt. ltd.",
        "pvt ltd",
        "private limited",
        "lda",
        "lda.",
        "kft",
        "kft.",
    ];
    SUFFIXES.contains(&s)
}

/// "Myanmar Yang Tse Copper, Ltd., 70/I, Bo Chein St., …" → the name up to
/// the first comma that is not followed by a company-form word, and the rest.
fn split_name(flat: &str) -> (String, &str) {
    let mut end = flat.find(", ").unwrap_or(flat.len());
    while end < flat.len() {
        let rest = &flat[end + 2..];
        let seg_end = rest.find(", ").unwrap_or(rest.len());
        if is_suffix(&rest[..seg_end]) {
            end = end + 2 + seg_end;
        } else {
            break;
        }
    }
    let name = flat[..end].trim().trim_end_matches(['.', ',']);
    // Keep an abbreviation's own full stop ("Co., Ltd.").
    let name = if flat[..end].trim().ends_with('.') && ends_with_abbreviation(flat[..end].trim()) {
        flat[..end].trim()
    } else {
        name
    };
    let rest = flat.get(end..).unwrap_or("").trim_start_matches([',', ' ']);
    (name.to_string(), rest)
}

/// Listed addresses: the text split at "; and" and at the italic "and".
fn addresses(s: &str) -> Vec<String> {
    let s = s.replace(AND_MARK, "\u{2}").replace("; and ", "\u{2}");
    s.split('\u{2}')
        .map(|a| {
            a.trim()
                .trim_start_matches("and ")
                .trim_end_matches([';', ',', ' '])
                .trim_end_matches(" and")
                .trim_end_matches([';', ',', ' '])
                .trim_end_matches('.')
                .trim()
                .to_string()
        })
        .filter(|a| !a.is_empty())
        .collect()
}

/// "76 FR 67062, 10/31/11. 85 FR 83769, 12/23/20." → two citations.
/// The real list's typo "88 FR FR 12158, 2/27/23." is read as 88 FR 12158.
pub(crate) fn fr_citations(s: &str) -> Vec<FrCitation> {
    let mut words: Vec<&str> = s.split_whitespace().collect();
    words.dedup_by(|b, a| *a == "FR" && *b == "FR");
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if *w != "FR" || i == 0 {
            continue;
        }
        let Ok(volume) = words[i - 1].parse::<u32>() else {
            continue;
        };
        let Some(page) = words.get(i + 1).and_then(|p| number(p)) else {
            continue;
        };
        let date = words.get(i + 2).and_then(|d| short_date(d));
        out.push(FrCitation { volume, page, date });
    }
    out
}

/// "72926," → 72926; "13,675" → 13675.
fn number(s: &str) -> Option<u32> {
    let digits: String = s
        .trim_end_matches([',', '.', ';'])
        .chars()
        .filter(|c| *c != ',')
        .collect();
    digits.parse().ok()
}

/// "9/6/24." → 2024-09-06 (two-digit years from 1970 to 2069).
fn short_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim_end_matches(['.', ',', ';', ')']);
    let mut it = s.split('/');
    let (m, d, y) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    let (m, d, y): (u32, u32, i32) = (m.parse().ok()?, d.parse().ok()?, y.parse().ok()?);
    let y = match y {
        0..=69 => 2000 + y,
        70..=99 => 1900 + y,
        _ => y,
    };
    NaiveDate::from_ymd_opt(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_with_dates_and_without() {
        let c = fr_citations("85 FR 51603, 8/20/20. 87 FR 6026, 2/3/22. 66 FR 24266 and 99 FR x");
        assert_eq!(c.len(), 3);
        assert_eq!((c[0].volume, c[0].page), (85, 51603));
        assert_eq!(c[0].date, NaiveDate::from_ymd_opt(2020, 8, 20));
        assert_eq!(c[2].date, None);
        // A doubled "FR" (eCFR 2026-09-01, Supplement No. 4 to part 744).
        let c = fr_citations("88 FR FR 12158, 2/27/23.");
        assert_eq!((c[0].volume, c[0].page), (88, 12158));
        assert_eq!(c[0].date, NaiveDate::from_ymd_opt(2023, 2, 27));
        assert_eq!(
            short_date("11/21/99."),
            NaiveDate::from_ymd_opt(1999, 11, 21)
        );
        assert_eq!(short_date("13/40/20"), None);
    }

    #[test]
    fn names_keep_company_forms() {
        assert_eq!(
            split_name("Myanmar Yang Tse Copper, Ltd., 70/I, Bo Chein St., Yangon, Burma."),
            (
                "Myanmar Yang Tse Copper, Ltd.".to_string(),
                "70/I, Bo Chein St., Yangon, Burma."
            )
        );
        assert_eq!(
            split_name("Gulf Gate Sea Cargo LLC, Gulzaad Market Building, Kabul"),
            (
                "Gulf Gate Sea Cargo LLC".to_string(),
                "Gulzaad Market Building, Kabul"
            )
        );
    }
}
