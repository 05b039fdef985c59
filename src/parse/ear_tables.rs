//! Finds the EAR's data tables in an eCFR tree and reads them into the
//! model: the Commerce Country Chart (Supplement No. 1 to Part 738, see
//! [`super::country_chart`]) and the Entity List (Supplement No. 4 to
//! Part 744, see [`super::entity_list`]). The supplements keep their
//! provisions as before; these records come on top.

use super::xml::{Element, Node};
use super::{country_chart, entity_list, text};
use crate::model::Document;

/// Reads every Country Chart and Entity List supplement under `root`
/// (the root itself included) into `doc`.
pub(crate) fn attach(root: &Element, doc: &mut Document) {
    let mut found = Vec::new();
    appendices(root, &mut found);
    for el in found {
        let id = el
            .attr("N")
            .map(str::to_string)
            .or_else(|| el.child("HEAD").map(Element::text))
            .unwrap_or_default()
            .to_ascii_lowercase();
        let Some(table) = el.find("TABLE") else {
            continue;
        };
        if id.contains("supplement no. 1 to part 738") {
            let provision = "Supplement No. 1 to Part 738";
            let (chart, warnings) = country_chart::read(table, provision);
            doc.warnings.extend(warnings);
            doc.country_chart = Some(chart);
        } else if id.contains("supplement no. 4 to part 744") {
            let (entries, warnings) = entity_list::read(table);
            doc.warnings.extend(warnings);
            doc.entity_list.extend(entries);
        }
    }
}

fn appendices<'s, 'a>(el: &'s Element<'a>, out: &mut Vec<&'s Element<'a>>) {
    if el.attr("TYPE") == Some("APPENDIX") {
        out.push(el);
        return;
    }
    for child in el.elements() {
        if child.name.starts_with("DIV") {
            appendices(child, out);
        }
    }
}

/// Marks an italic "and" between two addresses (`<E T="03">and</E>`):
/// the Entity List's separator of listed addresses.
pub(crate) const AND_MARK: char = '\u{1}';

/// A table cell's text: `<br/>` kept as line breaks, each line's
/// whitespace collapsed, superscripts (`<sup>3</sup>`) taken out into
/// `sups` (or, with `keep_sups`, written as `^3`), an italic "and" as
/// [`AND_MARK`].
pub(crate) struct Cell {
    pub text: String,
    pub sups: Vec<String>,
}

pub(crate) fn cell(el: &Element, keep_sups: bool) -> Cell {
    let mut raw = String::new();
    let mut sups = Vec::new();
    collect(el, keep_sups, &mut raw, &mut sups);
    let text = raw
        .split('\n')
        .map(text::clean)
        .collect::<Vec<_>>()
        .join("\n")
        .trim_matches('\n')
        .to_string();
    Cell { text, sups }
}

fn collect(el: &Element, keep_sups: bool, out: &mut String, sups: &mut Vec<String>) {
    for child in &el.children {
        match child {
            // Source line breaks are layout; only <br/> breaks a line.
            Node::Text(t) => {
                let start = out.len();
                out.push_str(t);
                if t.contains('\n') {
                    let tail = out.split_off(start).replace('\n', " ");
                    out.push_str(&tail);
                }
            }
            Node::Element(e) => match e.tag() {
                "br" | "BR" => out.push('\n'),
                "sup" | "SU" => {
                    let mark = e.text();
                    if keep_sups {
                        out.push('^');
                        out.push_str(&mark);
                    }
                    sups.push(mark);
                }
                "E" | "I" if is_and(e) => {
                    out.push(' ');
                    out.push(AND_MARK);
                    out.push(' ');
                }
                _ => collect(e, keep_sups, out, sups),
            },
        }
    }
}

/// `<E T="03">and</E>`: an element whose only content is the word "and".
fn is_and(e: &Element) -> bool {
    matches!(e.children.as_slice(), [Node::Text(t)] if t.trim() == "and")
}

/// Cells of a `TR` (`TH` and `TD`), with their column spans.
pub(crate) fn cells<'s, 'a>(
    tr: &'s Element<'a>,
) -> impl Iterator<Item = (&'s Element<'a>, usize, usize)> {
    tr.elements()
        .filter(|c| c.name == "TH" || c.name == "TD")
        .map(|c| (c, span(c, "colspan"), span(c, "rowspan")))
}

fn span(el: &Element, name: &str) -> usize {
    el.attr(name)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| (1..=1000).contains(n))
        .unwrap_or(1)
}

/// The `TR`s of a table section (`THEAD`, `TBODY`, `TFOOT`).
pub(crate) fn rows<'s, 'a>(table: &'s Element<'a>, section: &str) -> Vec<&'s Element<'a>> {
    let mut out = Vec::new();
    if let Some(s) = table.child(section) {
        s.find_all("TR", &mut out);
    }
    out
}
