//! Block-level reading of GPO/eCFR XML: headings, paragraphs, tables.
//!
//! Sections, supplements and FR regulatory text are all sequences of the
//! same few blocks; reading them into [`Block`]s once lets the section,
//! CCL and country-group builders work on any of the three XML dialects.

use super::paragraphs::Para;
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
    Note(String),
}

/// A table as header cells and rows of cells.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
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
    el.find_all("TR", &mut trs);
    for tr in trs {
        let cells: Vec<&Element> = tr
            .elements()
            .filter(|c| c.name == "TH" || c.name == "TD")
            .collect();
        if t.header.is_empty() && t.rows.is_empty() && cells.iter().all(|c| c.name == "TH") {
            t.header = cells.iter().map(|c| c.text()).collect();
        } else {
            t.rows.push(cells.iter().map(|c| c.text()).collect());
        }
    }
    t
}

/// A paragraph element as a [`Para`]: text plus an italic lead heading.
pub(crate) fn para(el: &Element) -> Para {
    let text = el.text();
    Para {
        heading: italic_lead(el),
        text,
    }
}

/// The italic run right after a paragraph's marker ("(b) <I>Eligible
/// destinations.</I> …"), when it reads like a heading (ends with `.`).
fn italic_lead(el: &Element) -> Option<String> {
    let mut seen_text = String::new();
    for child in &el.children {
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
            Node::Element(e) if matches!(e.name.as_str(), "I" | "E") => {
                let t = e.text();
                let words = t.split_whitespace().count();
                return (t.ends_with('.')
                    && (1..=12).contains(&words)
                    && !seen_text.trim().is_empty())
                .then_some(t);
            }
            Node::Element(e) if e.name == "PRTPAGE" => {}
            Node::Element(_) => return None,
        }
    }
    None
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
    match el.name.as_str() {
        "P" | "FP" | "LI" | "PSPACE" => out.push(Block::Para(para(el))),
        "HD" | "HD1" | "HED" | "HD2" | "HD3" => out.push(Block::Heading(el.text())),
        "GPOTABLE" | "TABLE" => out.push(Block::Table(table(el))),
        // eCFR wraps tables in presentational DIVs; EXTRACTs hold paragraphs.
        "DIV" | "EXTRACT" | "SUBJGRP" => read_into(el, out),
        "RESERVED" => out.push(Block::Para(Para {
            text: el.text(),
            heading: None,
        })),
        "STARS" | "PRTPAGE" | "GPH" | "GID" | "SECTNO" | "SUBJECT" | "HEAD" => {}
        _ => {
            let t = el.text();
            if !t.is_empty() {
                out.push(Block::Note(t));
            }
        }
    }
}
