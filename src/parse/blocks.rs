//! Block-level reading of GPO/eCFR XML: headings, paragraphs, tables.
//!
//! Sections, supplements and FR regulatory text are all sequences of the
//! same few blocks; reading them into [`Block`]s once lets the section,
//! CCL and country-group builders work on any of the three XML dialects.

use super::paragraphs::{Lead, LeadStyle, Para};
use super::patterns::MARKER;
use super::text;
use super::xml::{Element, Node};

/// A block of regulation text.
#[derive(Debug, Clone)]
pub(crate) enum Block {
    /// A heading.
    Heading(String),
    /// A paragraph.
    Para(Para),
    /// A table.
    Table(Table),
    /// A note, citation, authority or other block kept as text.
    Note(Note),
}

/// A block kept as text, with its own heading when it has one
/// (`<NOTE><HED>Technical Note to 0A501.c:</HED><P>…</P></NOTE>`).
#[derive(Debug, Clone)]
pub(crate) struct Note {
    /// The `HED` text, if any.
    pub heading: Option<String>,
    /// The whole text, heading included.
    pub text: String,
}

/// A table as header cells and rows of cells.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Footer lines (`TFOOT`: footnotes), kept apart from the rows.
    pub footer: Vec<String>,
}

impl Table {
    /// Rows as text lines, cells separated by ` | `.
    pub fn to_text(&self) -> String {
        let mut lines = Vec::new();
        if !self.header.is_empty() {
            lines.push(self.header.join(" | "));
        }
        for r in &self.rows {
            lines.push(r.join(" | "));
        }
        lines.extend(self.footer.iter().cloned());
        lines.join("\n")
    }
}

/// Reads a table in either dialect: GPOTABLE (BOXHD/CHED, ROW/ENT) or
/// eCFR HTML-like TABLE (TR with TH/TD).
pub(crate) fn table(el: &Element) -> Table {
    let mut t = Table::default();
    let mut rows = Vec::new();
    el.find_all("ROW", &mut rows);
    if !rows.is_empty() || el.name == "GPOTABLE" {
        let mut heads = Vec::new();
        el.find_all("CHED", &mut heads);
        t.header = heads.iter().map(|h| h.text()).collect();
        t.rows = rows
            .iter()
            .map(|r| {
                r.elements()
                    .filter(|c| c.name == "ENT")
                    .map(|c| c.text())
                    .collect()
            })
            .collect();
        return t;
    }
    let mut trs = Vec::new();
    let mut footer = Vec::new();
    for part in el.elements() {
        if part.name == "TFOOT" {
            part.find_all("TR", &mut footer);
        } else if part.name == "TR" {
            trs.push(part);
        } else if part.name != "CAPTION" {
            part.find_all("TR", &mut trs);
        }
    }
    for tr in trs {
        let cells: Vec<&Element> = tr
            .elements()
            .filter(|c| c.name == "TH" || c.name == "TD")
            .collect();
        if t.header.is_empty() && t.rows.is_empty() && cells.iter().all(|c| c.name == "TH") {
            t.header = cells.iter().map(|c| cell_text(c)).collect();
        } else {
            t.rows.push(cells.iter().map(|c| cell_text(c)).collect());
        }
    }
    t.footer = footer
        .iter()
        .map(|tr| tr.text())
        .filter(|l| !l.is_empty())
        .collect();
    t
}

/// A table cell's text: `<br/>` is a space, and footnote marks
/// (`Ukraine<sup>4</sup>`) are left out, so a mark never becomes part of a
/// country's name.
fn cell_text(el: &Element) -> String {
    fn walk(el: &Element, out: &mut String) {
        for child in &el.children {
            match child {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) if e.name == "sup" => {}
                Node::Element(e) if e.name == "br" => out.push(' '),
                Node::Element(e) => {
                    if !e.children.iter().any(|c| matches!(c, Node::Element(_))) {
                        out.push_str(&e.text());
                    } else {
                        walk(e, out);
                    }
                }
            }
        }
    }
    let mut out = String::new();
    walk(el, &mut out);
    text::clean(&out)
}

/// A paragraph element as a [`Para`]: text plus an italic lead heading.
pub(crate) fn para(el: &Element) -> Para {
    let text = el.text();
    let headed = marker_headings(el);
    Para {
        heading: italic_lead(el),
        marker_headings: headed.headings,
        italic_designations: headed.italic,
        lead: lead(el, &text),
        italic_marker: italic_marker(el),
        list_item: el.name == "LI",
        flush: el.name.starts_with("FP"),
        text,
    }
}

/// The inline run a paragraph opens with: `<B>`, `<E>` or `<I>` before any
/// other text.
fn lead(el: &Element, whole_text: &str) -> Option<Lead> {
    for child in &el.children {
        match child {
            Node::Text(t) if t.trim().is_empty() => {}
            Node::Text(_) => return None,
            Node::Element(e) => {
                let style = match e.tag() {
                    "B" => LeadStyle::Bold,
                    "E" => LeadStyle::Emphasis,
                    "I" => LeadStyle::Italic,
                    _ => return None,
                };
                let text = e.text();
                let whole = text == whole_text;
                return Some(Lead { style, text, whole });
            }
        }
    }
    None
}

/// Whether the paragraph's first marker is italic: `(<I>1</I>)`.
fn italic_marker(el: &Element) -> bool {
    let mut kids = el.children.iter();
    let (Some(Node::Text(open)), Some(Node::Element(e)), Some(Node::Text(close))) =
        (kids.next(), kids.next(), kids.next())
    else {
        return false;
    };
    open.trim() == "(" && matches!(e.tag(), "I" | "E") && close.starts_with(')') && {
        let m = e.text();
        (1..=4).contains(&m.len()) && m.chars().all(|c| c.is_ascii_alphanumeric())
    }
}

/// The italic run right after a paragraph's marker ("(b) <I>Eligible
/// destinations.</I> …"), when it reads like a heading (ends with `.`).
fn italic_lead(el: &Element) -> Option<String> {
    let mut seen_text = String::new();
    for (i, child) in el.children.iter().enumerate() {
        match child {
            Node::Text(t) => {
                seen_text.push_str(t);
                let s = seen_text.trim();
                let only_marker = s.is_empty()
                    || (s.starts_with('(')
                        && s.ends_with(')')
                        && s.len() <= 12
                        && !s.contains(' '))
                    || s.split_whitespace()
                        .all(|w| w.starts_with('(') && w.ends_with(')'));
                if !only_marker {
                    return None;
                }
            }
            Node::Element(e) if matches!(e.tag(), "I" | "E") => {
                let t = e.text();
                let words = t.split_whitespace().count();
                // "(h) <I>Special provisions: …</I>—(1) …": a heading the
                // em dash ends, however long, and with no period.
                let dash = matches!(
                    el.children.get(i + 1),
                    Some(Node::Text(after)) if after.trim_start().starts_with('—')
                );
                return ((t.ends_with('.') && (1..=12).contains(&words)
                    || dash && (1..=40).contains(&words))
                    && !seen_text.trim().is_empty())
                .then_some(t);
            }
            Node::Element(e) if e.name == "PRTPAGE" => {}
            Node::Element(_) => return None,
        }
    }
    None
}

/// The italic headings between the designations a paragraph opens with:
/// `(b) <I>Requirements and Limitations</I>—(1) <I>Requirements for Using
/// License Exception STA.</I> (i) <I>All</I> of …` gives the first two (a
/// heading counts only when a designation follows it; `All` is text).
fn marker_headings(el: &Element) -> Headed {
    let mut out = Headed::default();
    // Designations in the segments before `since`.
    let mut before = 0;
    // Text since the last heading: designations only, or the run is over.
    let mut since = String::new();
    let kids: Vec<&Node> = el
        .children
        .iter()
        .filter(|n| !matches!(n, Node::Element(e) if e.name == "PRTPAGE"))
        .collect();
    let mut i = 0;
    while let Some(node) = kids.get(i) {
        i += 1;
        match node {
            Node::Text(t) => since.push_str(t),
            Node::Element(e) if matches!(e.tag(), "I" | "E") => {
                let t = e.text();
                // An italic designation, `(<I>1</I>)`, is part of the run.
                if since.ends_with('(')
                    && matches!(kids.get(i), Some(Node::Text(n)) if n.starts_with(')'))
                {
                    let n = designations(since.trim_end_matches('(')).0;
                    if before + n > 0 {
                        out.italic.push(before + n);
                    }
                    since.push_str(&t);
                    continue;
                }
                if !only_designations(&since) {
                    break;
                }
                // A heading only when a designation follows it.
                let next = match kids.get(i) {
                    Some(Node::Text(n)) => n.trim_start(),
                    _ => break,
                };
                let next = next.strip_prefix('—').unwrap_or(next).trim_start();
                let italic_next = next == "("
                    && matches!(kids.get(i + 1), Some(Node::Element(n)) if matches!(n.tag(), "I" | "E"));
                if !(MARKER.is_match(next) || italic_next) {
                    break;
                }
                out.headings.push(t);
                before += designations(&since).0;
                since.clear();
            }
            Node::Element(_) => break,
        }
    }
    out
}

/// What [`marker_headings`] finds.
#[derive(Default)]
struct Headed {
    headings: Vec<String>,
    italic: Vec<usize>,
}

/// How many designations `s` opens with (`(b)`, `—(1)`, `(5)(i)`), and
/// whether nothing else follows them.
fn designations(s: &str) -> (usize, bool) {
    let mut rest = s.trim();
    rest = rest.strip_prefix('—').unwrap_or(rest).trim_start();
    let mut n = 0;
    while let Some(end) = MARKER
        .captures(rest)
        .and_then(|c| c.get(0))
        .map(|m| m.end())
    {
        n += 1;
        rest = rest[end..].trim_start();
    }
    (n, rest.is_empty())
}

/// Whether `s` is nothing but designations, at least one.
fn only_designations(s: &str) -> bool {
    matches!(designations(s), (1.., true))
}

/// Heading level of an HD element (`SOURCE="HD1"` → 1, `HED` → 1).
pub(crate) fn hd_level(el: &Element) -> u8 {
    match el.attr("SOURCE") {
        Some(s) if s.starts_with("HD") && s.len() == 3 => s[2..].parse().unwrap_or(1),
        _ => 1,
    }
}

/// Reads the children of a container into blocks.
pub(crate) fn read(container: &Element) -> Vec<Block> {
    let mut out = Vec::new();
    read_into(container, &mut out);
    out
}

fn read_into(container: &Element, out: &mut Vec<Block>) {
    for el in container.elements() {
        read_element(el, out);
    }
}

/// Reads one element as the block(s) it is.
pub(crate) fn read_element(el: &Element, out: &mut Vec<Block>) {
    match el.tag() {
        "P" | "LI" | "PSPACE" => out.push(Block::Para(para(el))),
        // eCFR's flush paragraphs: FP-1, FP-2, FP-DASH …
        n if n.starts_with("FP") => out.push(Block::Para(para(el))),
        "HD" | "HD1" | "HED" | "HD2" | "HD3" => out.push(Block::Heading(el.text())),
        "GPOTABLE" | "TABLE" => out.push(Block::Table(table(el))),
        // eCFR wraps tables in presentational DIVs; EXTRACTs hold paragraphs.
        // Column lists (SCOL2: Country Group B) hold LI paragraphs.
        "DIV" | "EXTRACT" | "SUBJGRP" | "SCOL2" | "SCOL3" | "SCOL4" => read_into(el, out),
        "RESERVED" => out.push(Block::Para(Para::plain(el.text()))),
        "STARS" | "PRTPAGE" | "GPH" | "GID" | "SECTNO" | "SUBJECT" | "HEAD" => {}
        _ => {
            let t = el.text();
            if !t.is_empty() {
                let heading = el.child("HED").map(|h| h.text()).filter(|h| !h.is_empty());
                out.push(Block::Note(Note { heading, text: t }));
            }
        }
    }
}
