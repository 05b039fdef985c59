//! Codified regulations: eCFR XML (bulk `DLPSTEXTCLASS` files and the
//! versioner API's `DIV5` parts) and GPO annual-edition CFR XML
//! (`CFRGRANULE`/`PART`/`SECTION`). Both become the same provision tree:
//! part → subpart → section → paragraphs, plus supplements.

use super::blocks::{self, Block};
use super::dates;
use super::paragraphs::{self, Para};
use super::supplements::{self, Extracted};
use super::text;
use super::xml::Element;
use crate::model::{DateKind, DocKind, Document, Provision, ProvisionKind};

/// The number in a section designation: `§ 740.24`, `740.24`, `§ 1.16 ` → `740.24`.
fn section_number(s: &str) -> String {
    text::clean(s)
        .trim_start_matches(['§', ' '])
        .trim_end_matches('.')
        .to_string()
}

/// A `SECTION` element (annual CFR, FR regulatory text): SECTNO, SUBJECT,
/// paragraphs, tables, notes.
pub(crate) fn section(el: &Element) -> Provision {
    let number = el
        .child("SECTNO")
        .map(|s| section_number(&s.text()))
        .unwrap_or_default();
    let heading = el
        .child("SUBJECT")
        .or_else(|| el.child("RESERVED"))
        .map(|s| text::heading(&s.text()))
        .filter(|h| !h.is_empty());
    let id = if number.is_empty() {
        "Section".to_string()
    } else {
        format!("§ {number}")
    };
    let mut node = Provision::new(id, ProvisionKind::Section, heading);
    fill_section(&mut node, blocks::read(el));
    node
}

/// Nests paragraphs; notes, citations and tables stay in order as text.
/// A heading inside a section ("CATEGORY VII—TANKS AND MILITARY
/// VEHICLES" in the U.S. Munitions Import List) opens a group whose
/// paragraph lettering starts again: `§ 447.21 Category VII(h)(1)`.
fn fill_section(node: &mut Provision, blocks: Vec<Block>) {
    let mut groups: Vec<(Option<String>, Vec<Para>)> = vec![(None, Vec::new())];
    let mut notes = Vec::new();
    for b in blocks {
        let para = match b {
            Block::Para(p) => p,
            Block::Table(t) => Para::plain(t.to_text()),
            Block::Heading(t) => {
                groups.push((Some(t), Vec::new()));
                continue;
            }
            Block::Note(n) => {
                notes.push(n.text);
                continue;
            }
        };
        if let Some((_, paras)) = groups.last_mut() {
            paras.push(para);
        }
    }
    for (heading, paras) in groups {
        match heading {
            None => paragraphs::build(node, paras),
            Some(h) => {
                let (designation, title) = match h.split_once('—') {
                    Some((d, t)) => (d.trim().to_string(), Some(text::heading(t))),
                    None => (text::heading(&h), None),
                };
                let designation = title_case_designation(&designation);
                let mut group = Provision::new(
                    format!("{} {designation}", node.id),
                    ProvisionKind::Heading,
                    title,
                );
                paragraphs::build(&mut group, paras);
                node.children.push(group);
            }
        }
    }
    for n in notes {
        node.push_text(&n);
    }
}

/// "CATEGORY VII" → "Category VII" (roman numerals stay upper case).
fn title_case_designation(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let roman = w
                .chars()
                .all(|c| matches!(c.to_ascii_uppercase(), 'I' | 'V' | 'X' | 'L'));
            if roman {
                w.to_uppercase()
            } else if w.contains('.') || w.len() <= 1 {
                w.to_string()
            } else {
                text::capitalize(w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// An appendix or supplement with its id and heading from a HEAD/HD text
/// such as "Supplement No. 1 to Part 740—Country Groups".
pub(crate) fn supplement_node(designation: Option<&str>, head: &str) -> Provision {
    let head = text::clean(head);
    let (before, after) = match head.split_once('—') {
        Some((b, a)) => (b.trim().to_string(), Some(text::heading(a))),
        None => (head.clone(), None),
    };
    let id = designation
        .map(text::clean)
        .filter(|d| !d.is_empty())
        .unwrap_or(before);
    Provision::new(
        normalize_supplement_id(&id),
        ProvisionKind::Supplement,
        after,
    )
}

/// "Supplement No. 1 to part 774" → "Supplement No. 1 to Part 774".
fn normalize_supplement_id(id: &str) -> String {
    id.replace(" to part ", " to Part ")
        .replace("supplement no.", "Supplement No.")
}

/// Builds a supplement's content.
fn supplement(
    el: &Element,
    designation: Option<&str>,
    head: &str,
    ex: &mut Extracted,
) -> Provision {
    let mut node = supplement_node(designation, head);
    let blocks = blocks::read(el);
    supplements::build(&mut node, blocks, ex);
    node
}

/// Heading text after the designation: "PART 740—LICENSE EXCEPTIONS" →
/// "LICENSE EXCEPTIONS"; "§ 1.1   Definitions." → "Definitions".
fn heading_after(head: &str) -> Option<String> {
    let head = text::clean(head);
    let rest = if let Some((_, a)) = head.split_once('—') {
        a.to_string()
    } else if head.starts_with('§') {
        head.trim_start_matches(['§', ' '])
            .split_once(' ')
            .map_or(String::new(), |(_, a)| a.to_string())
    } else {
        head
    };
    let h = text::heading(&rest);
    (!h.is_empty()).then_some(h)
}

/// eCFR XML: `DLPSTEXTCLASS` (bulk) or any `DIVn` root (versioner API).
pub(crate) fn parse_ecfr(root: &Element, doc: &mut Document) {
    let mut extracted = Extracted::default();
    let ex = &mut extracted;
    doc.meta.kind = DocKind::Regulation;
    // The bulk file's header (AMDDATE, TITLESTMT) and its ECFRBRWS body are
    // never inside a versioner `DIVn`: searching a 2 MB part for them is
    // three walks of the whole tree for nothing.
    let header = |name: &str| {
        if root.name.starts_with("DIV") {
            None
        } else {
            root.find(name)
        }
    };
    if let Some(amd) = header("AMDDATE") {
        let raw = amd.text();
        let cleaned = raw.trim_end_matches("(fm)").trim();
        if let Some(date) = dates::parse_one(cleaned) {
            dates::push_unique(
                &mut doc.dates,
                dates::api_fact(DateKind::AsOf, date, "AMDDATE", cleaned),
            );
        }
    }
    if let Some(t) = header("TITLESTMT").and_then(|t| t.child("TITLE")) {
        let t = t.text();
        if !t.is_empty() {
            doc.meta.title = Some(t);
        }
    }
    let body = header("ECFRBRWS").unwrap_or(root);
    let mut ctx = Ctx::default();
    if body.name.starts_with("DIV") {
        div(body, &mut ctx, &mut doc.provisions, ex);
    } else {
        for el in body.elements().filter(|e| e.name.starts_with("DIV")) {
            div(el, &mut ctx, &mut doc.provisions, ex);
        }
    }
    if doc.meta.title.is_none() {
        doc.meta.title = doc
            .provisions
            .first()
            .and_then(|p| p.heading.clone().map(|h| format!("{} — {h}", p.id)));
    }
    doc.meta.cfr_parts = match &ctx.title {
        Some(t) => ctx.parts.iter().map(|p| format!("{t} CFR {p}")).collect(),
        None => ctx.parts.iter().map(|p| format!("part {p}")).collect(),
    };
    extracted.attach_to(doc);
    super::ear_tables::attach(root, doc);
}

#[derive(Default, Clone)]
struct Ctx {
    title: Option<String>,
    chapter: Option<String>,
    part: Option<String>,
    parts: Vec<String>,
}

fn div(el: &Element, ctx: &mut Ctx, out: &mut Vec<Provision>, ex: &mut Extracted) {
    let n = el.attr("N").map(text::clean).unwrap_or_default();
    let head = el.child("HEAD").map(|h| h.text()).unwrap_or_default();
    let kind_attr = el.attr("TYPE").unwrap_or("");
    let (id, kind) = match kind_attr {
        "TITLE" => {
            ctx.title = Some(n.clone());
            (format!("Title {n}"), ProvisionKind::Title)
        }
        "CHAPTER" => {
            ctx.chapter = Some(n.clone());
            (format!("Chapter {n}"), ProvisionKind::Chapter)
        }
        "SUBCHAP" => (
            format!(
                "Chapter {} Subchapter {n}",
                ctx.chapter.as_deref().unwrap_or("?")
            ),
            ProvisionKind::Subchapter,
        ),
        "PART" => {
            ctx.part = Some(n.clone());
            ctx.parts.push(n.clone());
            (format!("Part {n}"), ProvisionKind::Part)
        }
        "SUBPART" => (
            format!("Part {} Subpart {n}", ctx.part.as_deref().unwrap_or("?")),
            ProvisionKind::Subpart,
        ),
        "SUBJGRP" => (
            format!(
                "Part {} {}",
                ctx.part.as_deref().unwrap_or("?"),
                text::heading(&head)
            ),
            ProvisionKind::SubjectGroup,
        ),
        "SECTION" => {
            let mut node = Provision::new(
                format!("§ {}", section_number(&n)),
                ProvisionKind::Section,
                heading_after(&head),
            );
            fill_section(&mut node, blocks::read(el));
            out.push(node);
            return;
        }
        "APPENDIX" => {
            out.push(supplement(
                el,
                Some(&n).filter(|n| !n.is_empty()).map(String::as_str),
                &head,
                ex,
            ));
            return;
        }
        _ => (
            if n.is_empty() {
                text::heading(&head)
            } else {
                n.clone()
            },
            ProvisionKind::Heading,
        ),
    };
    let mut node = Provision::new(id, kind, heading_after(&head));
    for child in el.elements() {
        if child.name.starts_with("DIV") && child.attr("TYPE").is_some() {
            div(child, ctx, &mut node.children, ex);
        } else if matches!(
            child.tag(),
            "AUTH" | "SOURCE" | "EDNOTE" | "NOTE" | "P" | "FP"
        ) {
            node.push_text(&child.text());
        }
    }
    out.push(node);
}

/// GPO annual-edition CFR: `CFRGRANULE` with `FDSYS` metadata and `PART`s.
pub(crate) fn parse_annual(root: &Element, doc: &mut Document) {
    let mut extracted = Extracted::default();
    let ex = &mut extracted;
    doc.meta.kind = DocKind::Regulation;
    let fdsys = root.child("FDSYS");
    let title_no = fdsys.and_then(|f| f.child("CFRTITLE")).map(|t| t.text());
    if let Some(d) = fdsys.and_then(|f| f.child("DATE")) {
        let raw = d.text();
        if let Some(date) = dates::parse_one(&raw) {
            doc.meta.publication_date = Some(date);
            dates::push_unique(
                &mut doc.dates,
                dates::api_fact(DateKind::AsOf, date, "DATE", &raw),
            );
        }
    }
    let mut parts = Vec::new();
    if root.name == "PART" {
        parts.push(root);
    } else {
        root.find_all("PART", &mut parts);
    }
    for part in parts {
        let head = part.child("HD").map(|h| h.text()).unwrap_or_default();
        let number = head
            .trim_start_matches("PART ")
            .split(['—', ' '])
            .next()
            .unwrap_or("")
            .to_string();
        if doc.meta.title.is_none() && !head.is_empty() {
            doc.meta.title = Some(head.clone());
        }
        if let Some(t) = &title_no {
            doc.meta.cfr_parts.push(format!("{t} CFR {number}"));
        }
        let mut node = Provision::new(
            format!("Part {number}"),
            ProvisionKind::Part,
            heading_after(&head),
        );
        annual_children(part, &number, &mut node, ex);
        doc.provisions.push(node);
    }
    extracted.attach_to(doc);
}

fn annual_children(el: &Element, part: &str, node: &mut Provision, ex: &mut Extracted) {
    for child in el.elements() {
        match child.tag() {
            "SECTION" => node.children.push(section(child)),
            "SUBPART" | "SUBJGRP" => {
                let head = child.child("HD").map(|h| h.text()).unwrap_or_default();
                let (id, kind) = if child.name == "SUBPART" {
                    let letter = head
                        .trim_start_matches("Subpart ")
                        .split(['—', ' '])
                        .next()
                        .unwrap_or("")
                        .to_string();
                    (
                        format!("Part {part} Subpart {letter}"),
                        ProvisionKind::Subpart,
                    )
                } else {
                    (
                        format!("Part {part} {}", text::heading(&head)),
                        ProvisionKind::SubjectGroup,
                    )
                };
                let mut sub = Provision::new(id, kind, heading_after(&head));
                annual_children(child, part, &mut sub, ex);
                node.children.push(sub);
            }
            "APPENDIX" => {
                let head = child
                    .child("HD")
                    .or_else(|| child.child("EAR"))
                    .map(|h| h.text())
                    .unwrap_or_default();
                node.children.push(supplement(child, None, &head, ex));
            }
            "CONTENTS" | "HD" | "EAR" | "PRTPAGE" => {}
            _ => node.push_text(&child.text()),
        }
    }
}
