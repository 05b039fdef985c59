//! Export-control entities and enumerations, from provision text.
//!
//! Runs once over the finished provision tree, so every format gets the
//! same extraction: ECCNs, license exceptions (by symbol and by § 740.x),
//! country groups, countries (ISO codes from any of the forms regulations,
//! news and Chinese sources use), CFR/FR citations, technology categories,
//! and *named lists*: runs of countries or ECCNs separated only by commas,
//! semicolons and "and"/"or", which is how regulations enumerate.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::patterns::{
    CFR_CITE, CFR_MORE_PARTS, COUNTRY_GROUP, ECCN, EXCEPTION_PAREN, EXCEPTION_PHRASE, FR_CITE,
    SECTION_CITE,
};
use super::text;
use crate::model::countries::{ALIASES, COUNTRIES, REGION_FORMS, region};
use crate::model::vocab::{TECHNOLOGIES, exception_by_symbol, exceptions_by_section};
use crate::model::{
    Document, Entity, EntityKind, ListKind, ListMember, NamedList, Provision, ProvisionKind,
};

/// A recognised span of text.
#[derive(Debug, Clone)]
struct Span {
    start: usize,
    end: usize,
    id: String,
}

/// Multi-pattern matchers for one script: the Latin-script names (every
/// document) or the CJK ones (Chinese sources only).
struct Matchers {
    countries: AhoCorasick,
    /// Code for each country pattern, by pattern index.
    country_codes: Vec<&'static str>,
    tech: AhoCorasick,
    /// Category of each technology pattern, by pattern index.
    tech_categories: Vec<&'static str>,
}

/// Whether a pattern is written in CJK characters (`刚果(金)` counts).
fn is_cjk_pattern(p: &str) -> bool {
    p.chars().any(is_cjk)
}

impl Matchers {
    /// The matchers of the patterns `wanted` picks. A DFA: its table is
    /// built once per process and scans text ~15% faster than a
    /// contiguous NFA (whole CCL: 58 vs 70 ms parse, criterion). Latin and
    /// CJK names are built apart: the byte classes of the CJK names made
    /// a joint table several times larger, and English text never needs
    /// it. A match of one script can never overlap one of the other.
    fn build(wanted: fn(&str) -> bool) -> Option<Matchers> {
        let mut patterns: Vec<&'static str> = Vec::new();
        let mut codes = Vec::new();
        let names = COUNTRIES.iter().map(|c| (c.name, c.code));
        // Regions: leftmost-longest lets "Crimea region of Ukraine" win
        // over the "Ukraine" inside it.
        for (p, code) in names
            .chain(ALIASES.iter().copied())
            .chain(REGION_FORMS.iter().copied())
        {
            if wanted(p) {
                patterns.push(p);
                codes.push(code);
            }
        }
        let countries = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok()?;
        let (tech_patterns, tech_categories): (Vec<&str>, Vec<&str>) = TECHNOLOGIES
            .iter()
            .filter(|(p, _)| wanted(p))
            .copied()
            .unzip();
        let tech = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&tech_patterns)
            .ok()?;
        Some(Matchers {
            countries,
            country_codes: codes,
            tech,
            tech_categories,
        })
    }
}

static LATIN: LazyLock<Option<Matchers>> =
    LazyLock::new(|| Matchers::build(|p| !is_cjk_pattern(p)));
static CJK: LazyLock<Option<Matchers>> = LazyLock::new(|| Matchers::build(is_cjk_pattern));

/// Builds the Latin-script matchers now (see [`super::parse_pair`]).
pub(crate) fn prepare() {
    LazyLock::force(&LATIN);
}

/// The matchers `s` needs: the Latin ones, and the CJK ones only when `s`
/// has a character from U+3000 up (lead byte 0xE3 or above).
fn matchers_for(s: &str) -> impl Iterator<Item = &'static Matchers> {
    let cjk = s
        .as_bytes()
        .chunks(64)
        .any(|c| c.iter().fold(0, |m: u8, &b| m.max(b)) >= 0xE3);
    LATIN
        .as_ref()
        .into_iter()
        .chain(if cjk { CJK.as_ref() } else { None })
}

/// Display name of an ISO code.
pub(crate) fn country_name(code: &str) -> Option<&'static str> {
    crate::model::countries::name_of(code)
}

/// Looks one country name up exactly (used for table rows).
pub(crate) fn country_code(name: &str) -> Option<&'static str> {
    crate::model::countries::code_of(name)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Whether the match at `start..end` stands alone (no letters glued on).
fn bounded(s: &str, start: usize, end: usize) -> bool {
    let first = s[start..].chars().next();
    if first.is_some_and(is_cjk) {
        return true;
    }
    let before = s[..start].chars().next_back();
    let after = s[end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

fn country_spans(s: &str) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let mut scripts = 0;
    for m in matchers_for(s) {
        scripts += 1;
        spans.extend(
            m.countries
                .find_iter(s)
                .filter(|hit| bounded(s, hit.start(), hit.end()))
                .filter(|hit| {
                    !(s[..hit.start()].ends_with("New ") && &s[hit.start()..hit.end()] == "Jersey")
                })
                .filter_map(|hit| {
                    Some(Span {
                        start: hit.start(),
                        end: hit.end(),
                        id: (*m.country_codes.get(hit.pattern().as_usize())?).to_string(),
                    })
                }),
        );
    }
    if scripts > 1 {
        spans.sort_by_key(|span| span.start);
    }
    spans
}

/// The places a text names, each once in order of first mention: the id
/// (ISO code, or a region's id such as `UA-DNR`) and the words naming it.
pub fn places_named(s: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for span in country_spans(s) {
        if !out.iter().any(|(id, _)| *id == span.id) {
            out.push((span.id.clone(), s[span.start..span.end].to_string()));
        }
    }
    out
}

fn eccn_spans(s: &str) -> Vec<Span> {
    ECCN.captures_iter(s)
        .filter_map(|c| {
            let m = c.get(0)?;
            Some(Span {
                start: m.start(),
                end: m.end(),
                id: m.as_str().to_string(),
            })
        })
        .collect()
}

/// Text between two list members that keeps them in one enumeration.
fn is_separator(gap: &str) -> bool {
    // A qualifier right after a name belongs to it: "Bahamas (The)",
    // "Macedonia (The Former Yugoslav Republic of)" in § 740.7's tiers.
    let mut rest = match gap.trim_start().strip_prefix('(') {
        Some(inner) => match inner.split_once(')') {
            Some((q, after))
                if q.len() <= 60
                    && q.chars()
                        .all(|c| c.is_alphabetic() || c == ' ' || c == '\'' || c == '’') =>
            {
                after
            }
            _ => gap,
        },
        None => gap,
    };
    loop {
        rest = rest.trim_start_matches(|c: char| {
            c.is_whitespace()
                || matches!(c, ',' | ';' | '、' | '，' | '；' | '(' | ')' | '（' | '）')
        });
        if rest.is_empty() {
            return true;
        }
        let word_end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
            .unwrap_or(rest.len());
        let word = &rest[..word_end];
        let ok = matches!(
            word,
            "and"
                | "or"
                | "the"
                | "as"
                | "well"
                | "&"
                | "ECCN"
                | "ECCNs"
                | "和"
                | "及"
                | "以及"
                | "与"
        );
        if !ok || word.is_empty() {
            return false;
        }
        rest = &rest[word_end..];
    }
}

/// Groups spans into runs joined only by separators; runs of at least
/// `min` members are enumerations.
fn runs(s: &str, spans: &[Span], min: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < spans.len() {
        let mut j = i;
        while j + 1 < spans.len()
            && spans[j + 1].start >= spans[j].end
            && is_separator(&s[spans[j].end..spans[j + 1].start])
        {
            j += 1;
        }
        let distinct = {
            let mut ids: Vec<&str> = spans[i..=j].iter().map(|x| x.id.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            ids.len()
        };
        if distinct >= min {
            out.push((i, j));
        }
        i = j + 1;
    }
    out
}

/// Accumulates entities in first-seen order.
#[derive(Default)]
struct Collector {
    entities: Vec<Entity>,
    /// Kind → id → index in `entities` (looked up without allocating:
    /// most mentions repeat an entity already seen).
    index: HashMap<EntityKind, HashMap<String, usize>>,
}

impl Collector {
    fn add(&mut self, kind: EntityKind, id: &str, name: Option<String>, provision: &str) {
        let ids = self.index.entry(kind).or_default();
        let i = match ids.get(id) {
            Some(i) => *i,
            None => {
                self.entities.push(Entity {
                    kind,
                    id: id.to_string(),
                    name,
                    provisions: Vec::new(),
                });
                ids.insert(id.to_string(), self.entities.len() - 1);
                self.entities.len() - 1
            }
        };
        if let Some(e) = self.entities.get_mut(i)
            // Provisions are visited once, in order: a repeat is always the last one.
            && e.provisions.last().map(String::as_str) != Some(provision)
        {
            e.provisions.push(provision.to_string());
        }
    }
}

/// Fills `doc.entities` and `doc.lists` from the provision tree.
pub(crate) fn extract(doc: &mut Document) {
    let mut c = Collector::default();
    let mut lists: Vec<NamedList> = Vec::new();
    // Entities the structure already established (CCL entries) come first.
    for entry in &doc.eccn_entries {
        c.add(
            EntityKind::Eccn,
            &entry.eccn,
            Some(entry.heading.clone()),
            &entry.provision,
        );
        for line in &entry.license_exceptions {
            add_exception(&mut c, &line.symbol, &entry.provision);
        }
    }
    for list in &doc.lists {
        for m in &list.members {
            match list.kind {
                ListKind::Countries => c.add(
                    EntityKind::Country,
                    &m.id,
                    country_name(&m.id).map(str::to_string),
                    &list.provision,
                ),
                ListKind::Eccns => c.add(EntityKind::Eccn, &m.id, None, &list.provision),
            }
        }
    }
    let mut ctx = Vec::new();
    for p in &doc.provisions {
        visit(p, &mut ctx, &mut c, &mut lists);
    }
    // A provision seen both through a list and in its text is listed once.
    for e in &mut c.entities {
        let keep: Vec<bool> = {
            let mut seen = std::collections::HashSet::new();
            e.provisions
                .iter()
                .map(|p| seen.insert(p.as_str()))
                .collect()
        };
        if keep.contains(&false) {
            let mut keep = keep.into_iter();
            e.provisions.retain(|_| keep.next().unwrap_or(true));
        }
    }
    doc.entities = c.entities;
    doc.lists.extend(lists);
}

fn visit<'a>(
    p: &'a Provision,
    ctx: &mut Vec<&'a Provision>,
    c: &mut Collector,
    lists: &mut Vec<NamedList>,
) {
    let heading = p.heading.as_deref().unwrap_or("");
    if !heading.is_empty() {
        mentions(
            heading,
            &country_spans(heading),
            &eccn_spans(heading),
            &p.id,
            ctx,
            c,
        );
        section_symbol(p, heading, c);
    }
    // Found once in the whole text, then handed to each paragraph (no
    // pattern matches across the blank line between two paragraphs).
    let spans = country_spans(&p.text);
    let eccns = eccn_spans(&p.text);
    mentions(&p.text, &spans, &eccns, &p.id, ctx, c);
    let before = lists.len();
    let mut intros = Vec::new();
    let mut offset = 0;
    let (mut next_country, mut next_eccn) = (0, 0);
    for paragraph in text::paragraphs(&p.text) {
        let end = offset + paragraph.len();
        let local = within(&spans, &mut next_country, offset, end);
        let local_eccns = within(&eccns, &mut next_eccn, offset, end);
        if !local.is_empty() || paragraph.len() >= 17 {
            find_lists(paragraph, &local, &local_eccns, p, ctx, lists, &mut intros);
        }
        offset = end + 2;
    }
    // Several enumerations in one provision: tell them apart by the words
    // that introduce each one, never by position, so text inserted earlier
    // in the provision renames no later list.
    if lists.len() - before > 1 {
        distinguish(&mut lists[before..], &intros);
    }
    ctx.push(p);
    for child in &p.children {
        visit(child, ctx, c, lists);
    }
    ctx.pop();
}

/// A section of part 740 names the exception it establishes in its
/// heading without the word "exception": "§ 740.21 Support for the Cuban
/// People (SCP)". The symbol counts when the catalogue puts it in that
/// section.
fn section_symbol(p: &Provision, heading: &str, c: &mut Collector) {
    let Some(sec) = p.id.strip_prefix("§ ").filter(|s| s.starts_with("740.")) else {
        return;
    };
    if p.kind != ProvisionKind::Section {
        return;
    }
    for caps in EXCEPTION_PAREN.captures_iter(heading) {
        if exceptions_by_section(sec).any(|e| e.symbol == &caps["sym"]) {
            add_exception(c, &caps["sym"], &p.id);
        }
    }
}

fn in_country_group_context(s: &str, ctx: &[&Provision]) -> bool {
    s.contains("Country Group")
        || s.contains("country group")
        || s.contains("国家组")
        || ctx.iter().any(|p| p.id == "Supplement No. 1 to Part 740")
}

fn add_exception(c: &mut Collector, symbol: &str, provision: &str) {
    if let Some(e) = exception_by_symbol(symbol) {
        let name = if e.section.is_empty() {
            e.name.to_string()
        } else {
            format!("{} (§ {})", e.name, e.section)
        };
        c.add(
            EntityKind::LicenseException,
            e.symbol,
            Some(name),
            provision,
        );
    }
}

/// The spans lying wholly in `offset..end`, relative to `offset`. Spans
/// are in text order and never overlap, so each paragraph's are the run
/// from the first one starting in it while they also end in it; `next`
/// carries the place from one paragraph to the next.
fn within(spans: &[Span], next: &mut usize, offset: usize, end: usize) -> Vec<Span> {
    while spans.get(*next).is_some_and(|s| s.start < offset) {
        *next += 1;
    }
    spans[(*next).min(spans.len())..]
        .iter()
        .take_while(|s| s.end <= end)
        .map(|s| Span {
            start: s.start - offset,
            end: s.end - offset,
            id: s.id.clone(),
        })
        .collect()
}

fn mentions(
    s: &str,
    countries: &[Span],
    eccns: &[Span],
    provision: &str,
    ctx: &[&Provision],
    c: &mut Collector,
) {
    for span in eccns {
        c.add(EntityKind::Eccn, &span.id, None, provision);
    }
    // Cheap substring guards first: most provisions cite none of these.
    let has_exception = s.contains("xception");
    for caps in EXCEPTION_PHRASE.captures_iter(if has_exception { s } else { "" }) {
        if let Some(list) = caps.name("list") {
            for sym in list
                .as_str()
                .split(|ch: char| !ch.is_ascii_uppercase())
                .filter(|w| w.len() == 3)
            {
                add_exception(c, sym, provision);
            }
        }
    }
    for caps in EXCEPTION_PAREN.captures_iter(if has_exception { s } else { "" }) {
        if let Some(m) = caps.get(0) {
            let lead = &s[text::floor_char_boundary(s, m.start().saturating_sub(120))..m.start()];
            if lead.contains("Exception") || lead.contains("exception") {
                add_exception(c, &caps["sym"], provision);
            }
        }
    }
    for caps in SECTION_CITE.captures_iter(
        if s.contains("§ 740.") || s.contains("§740.") || s.contains("§§") {
            s
        } else {
            ""
        },
    ) {
        let sec = &caps["sec"];
        if sec.starts_with("740.") {
            for e in exceptions_by_section(sec) {
                add_exception(c, e.symbol, provision);
            }
        }
    }
    if in_country_group_context(s, ctx) {
        for caps in COUNTRY_GROUP.captures_iter(s) {
            let id = match (caps.name("g"), caps.name("n"), caps.name("b")) {
                (Some(g), Some(n), _) => format!("{}:{}", g.as_str(), n.as_str()),
                (_, _, Some(_)) => "B".to_string(),
                _ => continue,
            };
            c.add(
                EntityKind::CountryGroup,
                &id,
                Some(format!("Country Group {id}")),
                provision,
            );
        }
    }
    for span in countries {
        c.add(
            EntityKind::Country,
            &span.id,
            country_name(&span.id).map(str::to_string),
            provision,
        );
        // A region also names its country ("Crimea region of Ukraine"
        // mentions Ukraine), as a mention, never as a list member.
        if let Some(r) = region(&span.id) {
            c.add(
                EntityKind::Country,
                r.parent,
                country_name(r.parent).map(str::to_string),
                provision,
            );
        }
    }
    for caps in CFR_CITE.captures_iter(if s.contains("CFR") || s.contains("C.F.R") {
        s
    } else {
        ""
    }) {
        let (Some(title), Some(part), Some(whole)) =
            (caps.name("title"), caps.name("part"), caps.get(0))
        else {
            continue;
        };
        let id = match caps.name("sec") {
            Some(sec) => format!("{} CFR {}.{}", title.as_str(), part.as_str(), sec.as_str()),
            None => format!("{} CFR {}", title.as_str(), part.as_str()),
        };
        c.add(EntityKind::CfrCitation, &id, None, provision);
        // "15 CFR parts 740, 742, and 774"
        let mut rest = if whole.as_str().contains("arts ") {
            &s[whole.end()..]
        } else {
            ""
        };
        while let Some(more) = CFR_MORE_PARTS.captures(rest) {
            let (Some(m), Some(all)) = (more.name("part"), more.get(0)) else {
                break;
            };
            c.add(
                EntityKind::CfrCitation,
                &format!("{} CFR {}", title.as_str(), m.as_str()),
                None,
                provision,
            );
            rest = &rest[all.end()..];
        }
    }
    for caps in FR_CITE.captures_iter(if s.contains(" FR ") { s } else { "" }) {
        let id = format!("{} FR {}", &caps["vol"], &caps["page"]);
        c.add(EntityKind::FrCitation, &id, None, provision);
    }
    // In the order of the text, whichever script names them.
    let mut techs: Vec<(usize, &str)> = Vec::new();
    for m in matchers_for(s) {
        for hit in m.tech.find_iter(s) {
            if !bounded(s, hit.start(), hit.end()) {
                continue;
            }
            if let Some(category) = m.tech_categories.get(hit.pattern().as_usize()) {
                techs.push((hit.start(), category));
            }
        }
    }
    techs.sort_by_key(|(start, _)| *start);
    for (_, category) in techs {
        c.add(EntityKind::Technology, category, None, provision);
    }
}

/// The words that name an enumeration: a short "Label:" lead-in in the
/// paragraph, else the provision's heading (with its section's heading for
/// a paragraph), else the provision id.
fn list_context(
    paragraph: &str,
    first_colon: Option<usize>,
    run_start: usize,
    p: &Provision,
    ctx: &[&Provision],
    fallback: &str,
) -> String {
    let lead = &paragraph[..run_start];
    // The paragraph's first colon (found once per paragraph: a table's
    // text is one long paragraph with many lists) if it is in the lead.
    if let Some(colon) = first_colon.filter(|c| *c < run_start)
        && colon <= 100
        && !lead[..colon].contains(". ")
    {
        let label = text::heading(&lead[..colon]);
        if label.split_whitespace().count() >= 2 && p.heading.is_none() {
            return label;
        }
    }
    // The paragraph's own heading, else the nearest enclosing paragraph's
    // ("(c) Restrictions. (1) …" names the list in (c)(1)).
    let own = p
        .heading
        .as_deref()
        .or_else(|| {
            ctx.iter()
                .rev()
                .take_while(|a| a.kind == crate::model::ProvisionKind::Paragraph)
                .find_map(|a| a.heading.as_deref())
        })
        .map(text::heading);
    let parent = ctx
        .iter()
        .rev()
        .find(|a| {
            a.heading.is_some()
                && matches!(
                    a.kind,
                    crate::model::ProvisionKind::Section
                        | crate::model::ProvisionKind::Eccn
                        | crate::model::ProvisionKind::Supplement
                )
        })
        .and_then(|a| a.heading.as_deref())
        .map(text::heading);
    match (parent, own) {
        (Some(parent), Some(own)) if p.kind == crate::model::ProvisionKind::Paragraph => {
            format!("{parent} — {own}")
        }
        (_, Some(own)) => own,
        (Some(parent), None) => parent,
        (None, None) => fallback.to_string(),
    }
}

fn sentence_around(paragraph: &str, start: usize, end: usize) -> String {
    let stop = |c: char| matches!(c, '.' | '。' | '\n');
    let from = paragraph[..start]
        .char_indices()
        .rev()
        .find(|(_, c)| stop(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let to = paragraph[end..]
        .char_indices()
        .find(|(_, c)| stop(*c))
        .map_or(paragraph.len(), |(i, c)| end + i + c.len_utf8());
    let s = paragraph[from..to].trim();
    // Abbreviations end "sentences" early; give at least the whole run.
    if s.len() < end - start {
        paragraph.trim().to_string()
    } else {
        s.to_string()
    }
}

/// The words that introduce an enumeration: the last two words that
/// carry meaning between the previous recognised name (or the sentence
/// start) and its first member ("sanctioned destination", "limited
/// sanction"). Part of the list's identity, so it must not reach into text
/// an amendment may insert before it.
fn introduction(lead: &str) -> String {
    const FILLER: &[&str] = &[
        "a", "an", "the", "or", "and", "to", "of", "is", "are", "be", "for", "by", "on", "as",
        "that", "which", "in", "at", "with",
    ];
    let lead = lead.rsplit(". ").next().unwrap_or(lead);
    let words: Vec<&str> = lead
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty() && !FILLER.contains(&w.to_lowercase().as_str()))
        .collect();
    let from = words.len().saturating_sub(2);
    words[from..].join(" ")
}

/// Gives each of several lists of one provision a name of its own from
/// its introduction; lists with the same introduction also take their
/// first member ("… — in: Cuba").
fn distinguish(lists: &mut [NamedList], intros: &[String]) {
    let intro_of = |i: usize| intros.get(i).map_or("", String::as_str);
    let names: Vec<String> = lists.iter().map(|l| l.name.clone()).collect();
    for (i, l) in lists.iter_mut().enumerate() {
        let same = (0..names.len())
            .filter(|&j| names[j] == names[i] && intro_of(j) == intro_of(i))
            .count();
        if (0..names.len()).filter(|&j| names[j] == names[i]).count() < 2 {
            continue;
        }
        let intro = match intro_of(i) {
            "" => "listed",
            words => words,
        };
        l.name = if same > 1 {
            let first = l.members.first().map_or("", |m| m.label.as_str());
            format!("{} — {intro}: {first}", l.name)
        } else {
            format!("{} — {intro}", l.name)
        };
    }
}

/// Countries named as exceptions ("other than Cuba and Iran", "except
/// Russia or Belarus") are not an enumeration of who is covered.
fn is_exception_run(lead: &str) -> bool {
    let lead = lead.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '(' | ',' | ':'));
    // Only the end of the lead can match: lower-case its last 64 bytes,
    // not the whole paragraph before the run (a table's text is one long
    // paragraph, and lower-casing it for each of its lists was quadratic).
    // Should the tail leave too little to judge (a long run of spaces
    // before " the"), the whole lead decides, as it always did.
    let ends_with_exception = |s: &str| -> Option<bool> {
        let lower = s.to_lowercase();
        let l = lower.strip_suffix(" the").unwrap_or(&lower).trim_end();
        if l.len() < 16 && s.len() < lead.len() {
            return None;
        }
        Some(
            [
                "other than",
                "except",
                "except for",
                "excluding",
                "apart from",
                "but not",
                "outside of",
            ]
            .iter()
            .any(|w| l.ends_with(w)),
        )
    };
    let tail = &lead[text::floor_char_boundary(lead, lead.len().saturating_sub(64))..];
    ends_with_exception(tail)
        .or_else(|| ends_with_exception(lead))
        .unwrap_or(false)
}

fn find_lists(
    paragraph: &str,
    countries: &[Span],
    eccns: &[Span],
    p: &Provision,
    ctx: &[&Provision],
    lists: &mut Vec<NamedList>,
    intros: &mut Vec<String>,
) {
    let first_colon = paragraph.find(':');
    for (i, j) in runs(paragraph, countries, 2) {
        let run = &countries[i..=j];
        let (start, end) = (run[0].start, run[run.len() - 1].end);
        if is_exception_run(&paragraph[..start]) {
            continue;
        }
        let context = list_context(paragraph, first_colon, start, p, ctx, "Countries listed");
        let mut members: Vec<ListMember> = Vec::new();
        for s in run {
            if !members.iter().any(|m| m.id == s.id) {
                members.push(ListMember {
                    id: s.id.clone(),
                    label: paragraph[s.start..s.end].to_string(),
                });
            }
        }
        let from = i.checked_sub(1).map_or(0, |k| countries[k].end);
        intros.push(introduction(&paragraph[from..start]));
        lists.push(NamedList {
            name: format!("{context} ({})", p.id),
            kind: ListKind::Countries,
            provision: p.id.clone(),
            evidence: sentence_around(paragraph, start, end),
            members,
        });
    }
    // Inside a CCL entry, ECCNs named in its text (Related Controls, "See
    // 0A501.d", "specified in 9A005 to 9A011") are cross-references, not an
    // enumeration: no list, so a reworded reference raises no "added".
    let in_ccl_entry = [p]
        .into_iter()
        .chain(ctx.iter().copied())
        .any(|q| matches!(q.kind, ProvisionKind::Eccn | ProvisionKind::EccnItem));
    if in_ccl_entry {
        return;
    }
    let first_eccn_list = lists.len();
    for (i, j) in runs(paragraph, eccns, 3) {
        let run = &eccns[i..=j];
        // "(3A901, 3A904 and 3B904)" restating part of a longer list in the
        // same paragraph is not a list of its own.
        let covered = lists[first_eccn_list..]
            .iter()
            .any(|l| run.iter().all(|s| l.members.iter().any(|m| m.id == s.id)));
        if covered {
            continue;
        }
        let (start, end) = (run[0].start, run[run.len() - 1].end);
        let context = list_context(paragraph, first_colon, start, p, ctx, "listed");
        let mut members: Vec<ListMember> = Vec::new();
        for s in run {
            if !members.iter().any(|m| m.id == s.id) {
                members.push(ListMember {
                    id: s.id.clone(),
                    label: s.id.clone(),
                });
            }
        }
        let from = i.checked_sub(1).map_or(0, |k| eccns[k].end);
        intros.push(introduction(&paragraph[from..start]));
        lists.push(NamedList {
            name: format!("ECCNs: {context} ({})", p.id),
            kind: ListKind::Eccns,
            provision: p.id.clone(),
            evidence: sentence_around(paragraph, start, end),
            members,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ProvisionKind, SourceFormat};

    fn doc_with(id: &str, heading: Option<&str>, text: &str) -> Document {
        let mut d = Document::new(SourceFormat::Text);
        let mut p = Provision::new(id, ProvisionKind::Paragraph, heading.map(str::to_string));
        p.push_text(text);
        let mut s = Provision::new(
            "§ 740.24",
            ProvisionKind::Section,
            Some("License Exception Implemented Export Controls (IEC)".into()),
        );
        s.children.push(p);
        d.provisions.push(s);
        extract(&mut d);
        d
    }

    #[test]
    fn semicolon_list_with_comma_names_is_one_enumeration() {
        let d = doc_with(
            "§ 740.24(b)",
            Some("Eligible destinations."),
            "BIS has determined that the following destinations are IEC eligible: Australia; Canada; Japan; Korea, South; the Netherlands; and the United Kingdom.",
        );
        assert_eq!(d.lists.len(), 1, "{:#?}", d.lists);
        let l = &d.lists[0];
        let ids: Vec<&str> = l.members.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["AU", "CA", "JP", "KR", "NL", "GB"]);
        assert_eq!(
            l.name,
            "License Exception Implemented Export Controls (IEC) — Eligible destinations (§ 740.24(b))"
        );
        assert!(
            l.evidence.starts_with("BIS has determined"),
            "{}",
            l.evidence
        );
    }

    #[test]
    fn entities_of_every_kind() {
        let d = doc_with(
            "§ 740.24(c)",
            None,
            "IEC may not be used to Macau or Country Group D:1, D:4, or E:2 (see 15 CFR 740.24 and 89 FR 72926). Items in 3B001.c.1.a and 4A906 for quantum computers; see also License Exceptions GOV, TMP, or RPL and § 740.20.",
        );
        let ids = |k: EntityKind| d.entities_of(k).map(|e| e.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(EntityKind::Eccn), ["3B001.c.1.a", "4A906"]);
        assert_eq!(ids(EntityKind::CountryGroup), ["D:1", "D:4", "E:2"]);
        assert_eq!(ids(EntityKind::Country), ["MO"]);
        assert_eq!(ids(EntityKind::CfrCitation), ["15 CFR 740.24"]);
        assert_eq!(ids(EntityKind::FrCitation), ["89 FR 72926"]);
        assert_eq!(ids(EntityKind::Technology), ["quantum computing"]);
        let mut le = ids(EntityKind::LicenseException);
        le.sort();
        assert_eq!(le, ["GOV", "IEC", "RPL", "STA", "TMP"]);
        assert_eq!(
            d.entities_of(EntityKind::Country)
                .next()
                .map(|e| e.provisions.clone()),
            Some(vec!["§ 740.24(c)".to_string()])
        );
    }

    #[test]
    fn prose_mentions_are_not_lists_but_enumerations_are() {
        let d = doc_with(
            "x",
            None,
            "The United States works with Japan on controls. Traditional US allies (Japan, South Korea, Taiwan, Netherlands, EU members, Australia, UK, Canada).",
        );
        assert_eq!(d.lists.len(), 1);
        let ids: Vec<&str> = d.lists[0].members.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["JP", "KR", "TW", "NL", "EU", "AU", "GB", "CA"]);
    }

    fn members(l: &NamedList) -> Vec<(&str, &str)> {
        l.members
            .iter()
            .map(|m| (m.id.as_str(), m.label.as_str()))
            .collect()
    }

    /// § 740.2(a)(6) as amended in 2022 (eCFR 2026-09-01, verbatim): the
    /// regions of Ukraine are members of the sanctioned destinations, each
    /// a place of its own.
    #[test]
    fn regions_of_ukraine_are_list_members_apart_from_ukraine() {
        let d = doc_with(
            "§ 740.2(a)(6)",
            None,
            "(6) The export or reexport is to a sanctioned destination (Cuba, Iran, North Korea, Syria, Crimea region of Ukraine, and the so-called Donetsk People's Republic (DNR) and Luhansk People's Republic (LNR) regions of Ukraine) or a license is required based on a limited sanction (Russia or Belarus) unless a license exception or portion thereof is specifically listed in the license exceptions paragraph pertaining to a particular sanctioned country in part 746 of the EAR.",
        );
        assert_eq!(d.lists.len(), 2, "{:#?}", d.lists);
        assert_eq!(
            members(&d.lists[0]),
            [
                ("CU", "Cuba"),
                ("IR", "Iran"),
                ("KP", "North Korea"),
                ("SY", "Syria"),
                ("UA-CRIMEA", "Crimea region of Ukraine"),
                ("UA-DNR", "so-called Donetsk People's Republic (DNR)"),
                (
                    "UA-LNR",
                    "Luhansk People's Republic (LNR) regions of Ukraine"
                ),
            ]
        );
        // The regions name Ukraine too, as a mention.
        let countries: Vec<&str> = d
            .entities_of(EntityKind::Country)
            .map(|e| e.id.as_str())
            .collect();
        assert!(countries.contains(&"UA"), "{countries:?}");
        assert_eq!(
            d.entities_of(EntityKind::Country)
                .find(|e| e.id == "UA-DNR")
                .and_then(|e| e.name.as_deref()),
            Some("so-called Donetsk People's Republic (DNR) region of Ukraine")
        );
    }

    /// "Ukraine" alone is the country, in a list or in prose; a People's
    /// Republic named without "so-called" or its abbreviation (an Entity
    /// List party's name) is no region.
    #[test]
    fn ukraine_alone_is_the_country_and_a_bare_peoples_republic_no_region() {
        let d = doc_with(
            "x",
            None,
            "Exports to Ukraine, Moldova, or Georgia are not affected. The designations for Ukraine also apply to the Crimea region of Ukraine. The Donetsk People's Republic and the Luhansk People's Republic are parties listed under Ukraine.",
        );
        assert_eq!(d.lists.len(), 1, "{:#?}", d.lists);
        assert_eq!(
            members(&d.lists[0]),
            [("UA", "Ukraine"), ("MD", "Moldova"), ("GE", "Georgia")]
        );
        let mut countries: Vec<&str> = d
            .entities_of(EntityKind::Country)
            .map(|e| e.id.as_str())
            .collect();
        countries.sort_unstable();
        assert_eq!(countries, ["GE", "MD", "UA", "UA-CRIMEA"]);
    }

    fn names(d: &Document) -> Vec<String> {
        d.lists.iter().map(|l| l.name.clone()).collect()
    }

    #[test]
    fn a_list_inserted_earlier_renames_no_later_list() {
        let later = "or a license is required based on a limited sanction (Russia or Belarus) unless excepted.";
        let before = doc_with(
            "§ 740.2(a)(6)",
            None,
            &format!("The export is to a sanctioned destination (Cuba, Iran, Syria) {later}"),
        );
        let after = doc_with(
            "§ 740.2(a)(6)",
            None,
            &format!(
                "The export is to Canada or Mexico, or to a sanctioned destination (Cuba, Iran, Syria) {later}"
            ),
        );
        let limited = |d: &Document| {
            d.lists
                .iter()
                .find(|l| l.members.iter().any(|m| m.id == "RU"))
                .map(|l| l.name.clone())
        };
        assert_eq!(after.lists.len(), 3, "{:?}", names(&after));
        assert_eq!(limited(&before), limited(&after));
        assert_eq!(
            limited(&after).as_deref(),
            Some(
                "License Exception Implemented Export Controls (IEC) (§ 740.2(a)(6)) — limited sanction"
            )
        );
        // The sanctioned-destination list keeps its name too.
        assert!(names(&before).iter().all(|n| names(&after).contains(n)));
    }

    #[test]
    fn countries_named_as_exceptions_are_not_a_list() {
        for text in [
            "Eligible: any destination other than Cuba, Iran, or Syria.",
            "All destinations, except Russia or Belarus, are eligible.",
            "End users located outside of Burma, Cambodia, or China are listed.",
        ] {
            let d = doc_with("§ 740.24(b)", None, text);
            assert!(d.lists.is_empty(), "{text}: {:#?}", d.lists);
        }
        let d = doc_with("§ 740.24(b)", None, "Eligible: Cuba, Iran, or Syria.");
        assert_eq!(d.lists.len(), 1);
    }

    #[test]
    fn word_boundaries_and_longest_names() {
        let spans: Vec<String> =
            country_spans("Nigeria, Niger, Papua New Guinea, New Jersey, 日本和韩国")
                .into_iter()
                .map(|s| s.id)
                .collect();
        assert_eq!(spans, ["NG", "NE", "PG", "JP", "KR"]);
    }
}
