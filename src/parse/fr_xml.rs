//! Federal Register full-text XML: single documents (RULE, PRORULE,
//! NOTICE, presidential documents) and whole daily issues (FEDREG), which
//! split into their documents.

use std::collections::HashMap;

use super::blocks::{self, Block};
use super::cfr_xml;
use super::patterns::{AMENDED_SECTION, FR_DOC, RIN};
use super::supplements::{self, Extracted};
use super::text;
use super::xml::{Element, Node};
use crate::model::{
    Amendment, DateKind, DocKind, Document, Provision, ProvisionKind, SourceFormat,
};

/// Elements that are one FR document.
pub(crate) const DOCUMENT_ELEMENTS: &[&str] = &[
    "RULE", "PRORULE", "NOTICE", "PROCLA", "EXECORD", "PRMEMO", "PRNOTICE", "PRORDER", "DETERM",
    "PRESORDR", "ADMINORD",
];

/// Provision ids whose text is searched for dates (the preamble's DATES).
pub(crate) const DATE_BLOCKS: &[&str] = &["DATES", "EFFECTIVE DATE", "EFFECTIVE DATES", "DATE"];

/// The part of a malformed FR document before the line of the error,
/// with the elements still open there closed, parsed: a bad tag deep in
/// the regulatory text must not cost the DATES section on line 23. `None`
/// when that part is not a Federal Register document either, or when the
/// error is on the last line (input that ends early is truncated, not
/// malformed, and stays an error).
pub(crate) fn salvage(text: &str, error_line: usize) -> Option<Element<'static>> {
    if error_line >= text.trim_end().lines().count() {
        return None;
    }
    let cut = text
        .match_indices('\n')
        .nth(error_line.checked_sub(2)?)
        .map_or(0, |(i, _)| i + 1);
    let mut head = &text[..cut];
    // A tag that spans the cut is dropped with the rest of its line.
    if let Some(open) = head.rfind('<')
        && !head[open..].contains('>')
    {
        head = &head[..open];
    }
    let mut stack: Vec<&str> = Vec::new();
    for tag in head.split('<').skip(1) {
        let Some(end) = tag.find('>') else { continue };
        let inner = &tag[..end];
        if inner.starts_with(['?', '!']) || inner.ends_with('/') {
            continue;
        }
        if let Some(name) = inner.strip_prefix('/') {
            let name = name.trim();
            if let Some(i) = stack.iter().rposition(|n| *n == name) {
                stack.truncate(i);
            }
            continue;
        }
        let name = inner.split_whitespace().next().unwrap_or("");
        if !name.is_empty() {
            stack.push(name);
        }
    }
    let root = *stack.first()?;
    if root != "FEDREG" && !DOCUMENT_ELEMENTS.contains(&root) {
        return None;
    }
    let mut fixed = head.to_string();
    for name in stack.iter().rev() {
        fixed.push_str("</");
        fixed.push_str(name);
        fixed.push('>');
    }
    super::xml::parse(&fixed).ok().map(Element::into_owned)
}

fn kind_of(name: &str) -> DocKind {
    match name {
        "RULE" => DocKind::Rule,
        "PRORULE" => DocKind::ProposedRule,
        "NOTICE" => DocKind::Notice,
        _ => DocKind::PresidentialDocument,
    }
}

/// Title case for agency names printed in capitals ("DEPARTMENT OF
/// COMMERCE" → "Department of Commerce").
pub(crate) fn agency_case(s: &str) -> String {
    let s = text::clean(s);
    if s.chars().any(|c| c.is_lowercase()) {
        return s;
    }
    s.split(' ')
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if i > 0
                && matches!(
                    lower.as_str(),
                    "of" | "and" | "the" | "for" | "on" | "in" | "to"
                )
            {
                lower
            } else {
                text::capitalize(&lower)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "15 CFR Parts 736, 738, and 774" → `15 CFR 736`, `15 CFR 738`, `15 CFR 774`.
pub(crate) fn cfr_parts(s: &str) -> Vec<String> {
    let s = text::clean(s);
    let Some((title, rest)) = s.split_once("CFR") else {
        return Vec::new();
    };
    let title = title.trim();
    rest.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .map(|p| format!("{title} CFR {p}"))
        .collect()
}

/// Dockets from "[Docket No. ATF-25I; AG Order No. 3423-2014]".
fn dockets(s: &str) -> Vec<String> {
    let s = text::clean(s);
    let s = s.trim_matches(['[', ']', ' ']);
    let items: Vec<&str> = s
        .split(';')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .collect();
    let docket_items: Vec<&&str> = items
        .iter()
        .filter(|x| x.to_lowercase().contains("docket"))
        .collect();
    let chosen: Vec<&str> = if docket_items.is_empty() {
        items.clone()
    } else {
        docket_items.into_iter().copied().collect()
    };
    chosen
        .into_iter()
        .flat_map(|x| {
            let after = x
                .split_once("Nos.")
                .or_else(|| x.split_once("No."))
                .map_or(x, |(_, a)| a);
            after
                .split([','])
                .map(|d| text::ident(d.trim_start_matches(" and")))
                .collect::<Vec<_>>()
        })
        .map(|d| d.trim_start_matches("and").to_string())
        .filter(|d| !d.is_empty())
        .collect()
}

/// First FR page of a document: the first page marker, minus one when
/// text came before it (the marker opens the *next* page).
fn start_page(el: &Element) -> Option<u32> {
    fn walk(el: &Element, seen_text: &mut bool) -> Option<u32> {
        for child in &el.children {
            match child {
                Node::Text(t) => {
                    if !t.trim().is_empty() {
                        *seen_text = true;
                    }
                }
                Node::Element(e) if e.name == "PRTPAGE" => {
                    let p: u32 = e.attr("P")?.trim().parse().ok()?;
                    return Some(if *seen_text { p.saturating_sub(1) } else { p });
                }
                Node::Element(e) => {
                    if let Some(p) = walk(e, seen_text) {
                        return Some(p);
                    }
                }
            }
        }
        None
    }
    walk(el, &mut false)
}

/// Supplement text gathered across the amendatory instructions of a rule.
#[derive(Default)]
struct PendingSupplement {
    heading: String,
    part: String,
    blocks: Vec<Block>,
}

/// Parses one FR document element.
/// CCL entries and country-group lists in its regulatory text belong to
/// the document that prints them.
pub(crate) fn document(el: &Element) -> Document {
    let mut doc = Document::new(SourceFormat::FrXml);
    doc.meta.kind = kind_of(&el.name);
    doc.meta.start_page = start_page(el);
    let mut extracted = Extracted::default();
    let mut supps: Vec<(String, PendingSupplement)> = Vec::new();
    if let Some(pre) = el.child("PREAMB") {
        preamble(pre, &mut doc);
    }
    if let Some(sup) = el.child("SUPLINF") {
        suplinf(sup, &mut doc, &mut supps);
    }
    if doc.meta.kind == DocKind::PresidentialDocument {
        presidential(el, &mut doc);
    }
    if let Some(frdoc) = el.find("FRDOC") {
        let t = text::clean(&frdoc.text());
        if let Some(c) = FR_DOC.captures(&t) {
            doc.meta.document_number = Some(c["num"].to_string());
        }
    }
    // Build supplements now that every instruction has contributed.
    for (id, pending) in supps {
        let mut node = cfr_xml::supplement_node(Some(&id), &pending.heading);
        supplements::build(&mut node, pending.blocks, &mut extracted);
        let part = part_node(&mut doc.provisions, &pending.part, None);
        part.children.push(node);
    }
    extracted.attach_to(&mut doc);
    doc
}

fn preamble(pre: &Element, doc: &mut Document) {
    for el in pre.elements() {
        match el.tag() {
            "AGENCY" | "SUBAGY" => {
                let a = agency_case(&el.text());
                if !a.is_empty() && !doc.meta.agencies.contains(&a) {
                    doc.meta.agencies.push(a);
                }
            }
            "CFR" => doc.meta.cfr_parts.extend(cfr_parts(&el.text())),
            "DEPDOC" => doc.meta.dockets.extend(dockets(&el.text())),
            "RIN" => {
                let t = text::clean(&el.text());
                doc.meta
                    .rins
                    .extend(RIN.captures_iter(&t).map(|c| c["rin"].to_string()));
            }
            "SUBJECT" => {
                let t = el.text();
                doc.meta.title = Some(match doc.meta.title.take() {
                    Some(prev) => format!("{prev} {t}"),
                    None => t,
                });
            }
            "PRTPAGE" => {}
            _ => {
                let Some(hd) = el.child("HD") else {
                    let t = el.text();
                    if !t.is_empty() {
                        doc.warnings
                            .push(format!("preamble element <{}> kept as text", el.name));
                        let mut p = Provision::new(el.name.clone(), ProvisionKind::Preamble, None);
                        p.push_text(&t);
                        doc.provisions.push(p);
                    }
                    continue;
                };
                let id = text::heading(&hd.text()).to_uppercase();
                let mut p = Provision::new(id.clone(), ProvisionKind::Preamble, None);
                for b in blocks::read(el) {
                    match b {
                        Block::Heading(_) => {}
                        Block::Para(x) => p.push_text(&x.text),
                        Block::Table(t) => p.push_text(&t.to_text()),
                        Block::Note(n) => p.push_text(&n.text),
                    }
                }
                match el.tag() {
                    "ACT" => doc.meta.action = Some(p.text.clone()),
                    "SUM" => doc.meta.summary = Some(p.text.clone()),
                    _ => {}
                }
                doc.provisions.push(p);
            }
        }
    }
}

/// Finds or creates the provision for a CFR part amended by the rule.
fn part_node<'a>(
    provisions: &'a mut Vec<Provision>,
    part: &str,
    heading: Option<String>,
) -> &'a mut Provision {
    let id = format!("Part {part}");
    let i = match provisions.iter().position(|p| p.id == id) {
        Some(i) => i,
        None => {
            provisions.push(Provision::new(id, ProvisionKind::Part, heading.clone()));
            provisions.len() - 1
        }
    };
    let node = &mut provisions[i];
    if node.heading.is_none() {
        node.heading = heading;
    }
    node
}

fn suplinf(sup: &Element, doc: &mut Document, supps: &mut Vec<(String, PendingSupplement)>) {
    // The discussion: a tree of headings (HD1 > HD2 > …) with paragraphs.
    let mut root = Provision::new("SUPPLEMENTARY INFORMATION", ProvisionKind::Preamble, None);
    let mut levels: Vec<u8> = Vec::new();
    let mut regtexts = Vec::new();
    for el in sup.elements() {
        match el.tag() {
            "HD" if el.attr("SOURCE") == Some("HED")
                && levels.is_empty()
                && root.text.is_empty()
                && root.children.is_empty() => {}
            "HD" => {
                let level = blocks::hd_level(el).max(1);
                while levels.last().is_some_and(|l| *l >= level) {
                    levels.pop();
                }
                let node = Provision::new(text::heading(&el.text()), ProvisionKind::Heading, None);
                root.last_descendant_mut(levels.len()).children.push(node);
                levels.push(level);
            }
            "REGTEXT" => regtexts.push(el),
            "LSTSUB" => {
                let mut p = Provision::new("List of Subjects", ProvisionKind::Heading, None);
                for b in blocks::read(el) {
                    match b {
                        Block::Heading(t) if t.starts_with("List of Subjects") => {}
                        Block::Heading(t) => p.push_text(&t),
                        Block::Note(n) => p.push_text(&n.text),
                        Block::Para(x) => p.push_text(&x.text),
                        Block::Table(t) => p.push_text(&t.to_text()),
                    }
                }
                doc.provisions.push(p);
            }
            "SIG" => {
                let mut p = Provision::new("Signature", ProvisionKind::Note, None);
                p.push_text(&el.text());
                doc.provisions.push(p);
            }
            "PRTPAGE" | "STARS" => {}
            "GPOTABLE" => root
                .last_descendant_mut(levels.len())
                .push_text(&blocks::table(el).to_text()),
            _ => root.last_descendant_mut(levels.len()).push_text(&el.text()),
        }
    }
    if !root.text.is_empty() || !root.children.is_empty() {
        let at = doc
            .provisions
            .iter()
            .position(|p| p.id == "List of Subjects")
            .unwrap_or(doc.provisions.len());
        doc.provisions.insert(at, root);
    }
    for r in regtexts {
        regtext(r, doc, supps);
    }
}

fn actions(instruction: &str) -> Vec<String> {
    let l = instruction.to_lowercase();
    [
        ("add", "add"),
        ("revis", "revise"),
        ("remov", "remove"),
        ("redesignat", "redesignate"),
        ("reserv", "reserve"),
        ("amend", "amend"),
    ]
    .iter()
    .filter(|(stem, _)| l.contains(stem))
    .map(|(_, verb)| verb.to_string())
    .collect()
}

/// "In supplement no. 1 to part 774, …" → "Supplement No. 1 to Part 774".
fn supplement_target(s: &str) -> Option<String> {
    let l = s.to_lowercase();
    let i = l.find("supplement no.").or_else(|| l.find("appendix "))?;
    let rest = &l[i..];
    let j = rest.find(" to part ")?;
    let head = &rest[..j];
    let part: String = rest[j + 9..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    if part.is_empty() {
        return None;
    }
    let head = head
        .replacen("supplement no.", "Supplement No.", 1)
        .replacen("appendix", "Appendix", 1);
    Some(format!("{head} to Part {part}"))
}

fn regtext(el: &Element, doc: &mut Document, supps: &mut Vec<(String, PendingSupplement)>) {
    let title = el.attr("TITLE").map(text::clean).unwrap_or_default();
    let part = el.attr("PART").map(text::clean).unwrap_or_default();
    let cfr = (!title.is_empty() && !part.is_empty()).then(|| format!("{title} CFR {part}"));
    if let Some(c) = &cfr
        && !doc.meta.cfr_parts.contains(c)
    {
        doc.meta.cfr_parts.push(c.clone());
    }
    let mut current_supp: Option<String> = None;
    regtext_children(el, &part, cfr.as_deref(), doc, supps, &mut current_supp);
}

fn regtext_children(
    el: &Element,
    part: &str,
    cfr: Option<&str>,
    doc: &mut Document,
    supps: &mut Vec<(String, PendingSupplement)>,
    current_supp: &mut Option<String>,
) {
    for child in el.elements() {
        match child.tag() {
            "PART" => {
                if let Some(hd) = child.child("HD") {
                    let h = hd.text();
                    let heading = h.split_once('—').map(|(_, a)| text::heading(a));
                    part_node(&mut doc.provisions, part, heading);
                }
                regtext_children(child, part, cfr, doc, supps, current_supp);
            }
            "SUBPART" | "SUBJGRP" => regtext_children(child, part, cfr, doc, supps, current_supp),
            "AMDPAR" => {
                let instruction = text::clean(&child.text());
                let mut sections: Vec<String> = Vec::new();
                for c in AMENDED_SECTION.captures_iter(&instruction) {
                    let s = format!("§ {}", &c["sec"]);
                    if !sections.contains(&s) {
                        sections.push(s);
                    }
                }
                *current_supp = supplement_target(&instruction);
                doc.amendments.push(Amendment {
                    actions: actions(&instruction),
                    instruction,
                    part: cfr.map(str::to_string),
                    sections,
                });
            }
            "SECTION" => {
                *current_supp = None;
                let s = cfr_xml::section(child);
                if let Some(a) = doc.amendments.last_mut()
                    && !a.sections.contains(&s.id)
                {
                    a.sections.push(s.id.clone());
                }
                part_node(&mut doc.provisions, part, None).children.push(s);
            }
            "HD" => {
                let h = child.text();
                if h.starts_with("PART ") && h.contains('—') {
                    continue; // the part's own heading, already its provision heading
                }
                if let Some(target) = supplement_target(&h).filter(|_| {
                    h.to_lowercase().starts_with("supplement")
                        || h.to_lowercase().starts_with("appendix")
                }) {
                    let heading = h.clone();
                    *current_supp = Some(target.clone());
                    if let Some((_, p)) = supps.iter_mut().find(|(id, _)| *id == target) {
                        p.heading = heading;
                    } else {
                        supps.push((
                            target,
                            PendingSupplement {
                                heading,
                                part: part.to_string(),
                                blocks: Vec::new(),
                            },
                        ));
                    }
                } else if let Some(target) = current_supp.as_ref() {
                    push_supp(supps, target, part, Block::Heading(h));
                } else {
                    part_node(&mut doc.provisions, part, None).push_text(&h);
                }
            }
            "STARS" | "PRTPAGE" | "CONTENTS" => {}
            "AUTH" => part_node(&mut doc.provisions, part, None).push_text(&child.text()),
            _ => {
                if let Some(target) = current_supp.as_deref() {
                    let mut read = Vec::new();
                    blocks::read_element(child, &mut read);
                    for b in read {
                        push_supp(supps, target, part, b);
                    }
                } else {
                    part_node(&mut doc.provisions, part, None).push_text(&child.text());
                }
            }
        }
    }
}

fn push_supp(supps: &mut Vec<(String, PendingSupplement)>, target: &str, part: &str, b: Block) {
    match supps.iter_mut().find(|(id, _)| id == target) {
        Some((_, p)) => p.blocks.push(b),
        None => supps.push((
            target.to_string(),
            PendingSupplement {
                heading: target.to_string(),
                part: part.to_string(),
                blocks: vec![b],
            },
        )),
    }
}

fn presidential(el: &Element, doc: &mut Document) {
    let mut p = Provision::new("Text", ProvisionKind::Heading, None);
    for child in el.elements() {
        match child.tag() {
            "HD" if doc.meta.title.is_none() => doc.meta.title = Some(child.text()),
            "PROC" | "EXECORDR" | "PRES" | "TITLE3" => {
                let t = child.text();
                if doc.meta.action.is_none()
                    && (t.starts_with("Proclamation")
                        || t.starts_with("Executive Order")
                        || t.starts_with("Memorandum"))
                {
                    doc.meta.action = Some(t);
                }
            }
            "FP" | "P" | "GPOTABLE" | "EXTRACT" => p.push_text(&child.text()),
            _ => {}
        }
    }
    if doc.meta.agencies.is_empty() {
        doc.meta
            .agencies
            .push("Executive Office of the President".into());
    }
    if !p.text.is_empty() {
        doc.provisions.push(p);
    }
}

/// A daily issue: its documents, each with the issue's date and the FR
/// citation from the table of contents.
pub(crate) fn issue(root: &Element) -> Document {
    let mut doc = Document::new(SourceFormat::FrIssueXml);
    doc.meta.kind = DocKind::Collection;
    let vol = root.child("VOL").map(|v| v.text());
    let no = root.child("NO").map(|v| v.text());
    let date_text = root.child("DATE").map(|v| v.text());
    let date = date_text.as_deref().and_then(super::dates::parse_one);
    doc.meta.publication_date = date;
    doc.meta.title = Some(format!(
        "Federal Register, Vol. {}, No. {}, {}",
        vol.as_deref().unwrap_or("?"),
        no.as_deref().unwrap_or("?"),
        date_text.as_deref().unwrap_or("date unknown")
    ));
    // Contents: FR doc number → first page.
    let mut pages: HashMap<String, u32> = HashMap::new();
    if let Some(contents) = root.child("CNTNTS") {
        collect_pages(contents, &mut pages);
    }
    let mut found = Vec::new();
    collect_documents(root, &mut found);
    for el in found {
        let mut child = document(el);
        child.meta.publication_date = date;
        if let (Some(d), Some(raw)) = (date, date_text.as_deref()) {
            super::dates::push_unique(
                &mut child.dates,
                super::dates::api_fact(DateKind::Published, d, "Federal Register issue", raw),
            );
        }
        if let Some(n) = &child.meta.document_number
            && let Some(p) = pages.get(n)
        {
            child.meta.start_page = Some(*p);
        }
        if let (Some(v), Some(p)) = (&vol, child.meta.start_page) {
            child.meta.fr_citation = Some(format!("{v} FR {p}"));
        }
        doc.documents.push(child);
    }
    doc
}

fn collect_pages(el: &Element, pages: &mut HashMap<String, u32>) {
    let mut last_pages: Option<u32> = None;
    for child in el.elements() {
        match child.tag() {
            "PGS" => {
                let t = text::clean(&child.text());
                last_pages = t.split(['-', ',', ' ']).next().and_then(|p| p.parse().ok());
            }
            "FRDOCBP" => {
                if let Some(p) = last_pages {
                    pages.entry(text::ident(&child.text())).or_insert(p);
                }
            }
            _ => collect_pages(child, pages),
        }
    }
}

fn collect_documents<'s, 'a>(el: &'s Element<'a>, out: &mut Vec<&'s Element<'a>>) {
    for child in el.elements() {
        if child.name == "CNTNTS" {
            continue;
        }
        if DOCUMENT_ELEMENTS.contains(&child.tag()) {
            out.push(child);
        } else {
            collect_documents(child, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_from_preamble_lines() {
        assert_eq!(
            cfr_parts("15 CFR Parts 736, 738, 740, and 774"),
            ["15 CFR 736", "15 CFR 738", "15 CFR 740", "15 CFR 774"]
        );
        assert_eq!(cfr_parts("27 CFR Part 447"), ["27 CFR 447"]);
        assert_eq!(
            dockets("[Docket No. ATF-25I; AG Order No. 3423-2014]"),
            ["ATF-25I"]
        );
        assert_eq!(dockets("[Docket No. 240830\u{2013}0232]"), ["240830-0232"]);
        assert_eq!(
            agency_case("DEPARTMENT OF COMMERCE"),
            "Department of Commerce"
        );
        assert_eq!(
            supplement_target("21. In supplement no. 1 to part 774, Category 3, add ECCN 3B903")
                .as_deref(),
            Some("Supplement No. 1 to Part 774")
        );
    }
}
