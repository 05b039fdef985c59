//! Supplements that are data, not prose: the Commerce Control List
//! (Supplement No. 1 to Part 774) becomes ECCN entries, and the Country
//! Groups table (Supplement No. 1 to Part 740) becomes one named list per
//! group, so "Korea, South added to Country Group A:6" is one list diff.

use super::blocks::{Block, Table};
use super::entities::country_code;
use super::patterns::{CCL_ITEM, ECCN_HEADING};
use super::text;
use crate::model::vocab::{COUNTRY_GROUPS, REASONS_FOR_CONTROL, exception_by_symbol};
use crate::model::{
    Document, EccnEntry, ExceptionLine, ListKind, ListMember, NamedList, Provision, ProvisionKind,
};

/// What a supplement yields besides its provision.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    pub entries: Vec<EccnEntry>,
    pub lists: Vec<NamedList>,
}

impl Extracted {
    /// Hands the entries and lists to the document whose supplements they came from.
    pub(crate) fn attach_to(self, doc: &mut Document) {
        doc.eccn_entries.extend(self.entries);
        doc.lists.extend(self.lists);
    }
}

/// Whether a supplement id names the CCL.
pub(crate) fn is_ccl(id: &str) -> bool {
    let l = id.to_ascii_lowercase();
    l.contains("supplement no. 1 to part 774")
}

/// Whether a supplement id names the Country Groups table.
pub(crate) fn is_country_groups(id: &str) -> bool {
    id.to_ascii_lowercase()
        .contains("supplement no. 1 to part 740")
}

/// Fills `node` (a supplement) from its blocks.
pub(crate) fn build(node: &mut Provision, blocks: Vec<Block>, out: &mut Extracted) {
    if is_ccl(&node.id) {
        build_ccl(node, blocks, out);
        return;
    }
    let groups = is_country_groups(&node.id);
    for b in blocks {
        match b {
            Block::Heading(t) | Block::Note(t) => node.push_text(&t),
            Block::Para(p) => node.push_text(&p.text),
            Block::Table(t) => {
                if groups {
                    country_group_lists(&node.id, &t, &mut out.lists);
                }
                node.push_text(&t.to_text());
            }
        }
    }
}

/// `[A:1] Wassenaar participating states` → `A:1`; `Country` → None.
fn group_of_header(h: &str) -> Option<String> {
    let h = h.trim();
    let id = match h.strip_prefix('[') {
        Some(rest) => rest.split(']').next()?,
        None => h.split_whitespace().next()?,
    };
    COUNTRY_GROUPS.contains(&id).then(|| id.to_string())
}

fn country_group_lists(provision: &str, t: &Table, lists: &mut Vec<NamedList>) {
    if t.header
        .first()
        .is_none_or(|h| !h.to_ascii_lowercase().starts_with("country"))
    {
        return;
    }
    for (col, head) in t.header.iter().enumerate().skip(1) {
        let Some(group) = group_of_header(head) else {
            continue;
        };
        let name = format!("Country Group {group}");
        let mut members = Vec::new();
        for row in &t.rows {
            let (Some(country), Some(mark)) = (row.first(), row.get(col)) else {
                continue;
            };
            if mark.trim().is_empty() {
                continue;
            }
            // Footnote markers trail some names ("Iraq 3").
            let label =
                country.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '*');
            let id = country_code(label).map_or_else(|| label.to_string(), str::to_string);
            members.push(ListMember {
                id,
                label: label.to_string(),
            });
        }
        match lists.iter_mut().find(|l| l.name == name) {
            Some(l) => l.members.extend(members),
            None => lists.push(NamedList {
                name,
                kind: ListKind::Countries,
                provision: provision.to_string(),
                evidence: format!("{provision}, column “{head}”"),
                members,
            }),
        }
    }
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Mode {
    Heading,
    Requirements,
    Exceptions,
    Items,
}

/// The CCL: an ECCN heading paragraph ("3B001 Equipment for …") opens an
/// entry; "Reason for Control:" lines, license-exception lines and lettered
/// items (`c.1.a.`) fill it.
fn build_ccl(node: &mut Provision, blocks: Vec<Block>, out: &mut Extracted) {
    let mut mode = Mode::Heading;
    // False between a category or group heading and the next entry: text
    // there belongs to the supplement, not to the entry above it.
    let mut in_entry = false;
    for b in blocks {
        if let Block::Heading(t) = &b
            && is_group_heading(t)
        {
            in_entry = false;
        }
        let current = node
            .children
            .last_mut()
            .filter(|c| in_entry && c.kind == ProvisionKind::Eccn);
        match b {
            Block::Para(p) => {
                if let Some(c) = ECCN_HEADING.captures(&p.text) {
                    let eccn = c["eccn"].to_string();
                    let heading = text::heading(&c["heading"]);
                    let id = format!("ECCN {eccn}");
                    out.entries.push(EccnEntry {
                        eccn,
                        heading: heading.clone(),
                        reasons_for_control: Vec::new(),
                        license_exceptions: Vec::new(),
                        provision: id.clone(),
                    });
                    node.children
                        .push(Provision::new(id, ProvisionKind::Eccn, Some(heading)));
                    mode = Mode::Heading;
                    in_entry = true;
                    continue;
                }
                let (Some(entry_node), Some(entry)) = (current, out.entries.last_mut()) else {
                    node.push_text(&p.text);
                    continue;
                };
                if let Some(rest) = p
                    .text
                    .strip_prefix("Reason for Control:")
                    .or_else(|| p.text.strip_prefix("Reasons for Control:"))
                {
                    entry.reasons_for_control = rest
                        .split([',', ' '])
                        .map(str::trim)
                        .filter(|r| REASONS_FOR_CONTROL.contains(r))
                        .map(str::to_string)
                        .collect();
                    entry_node.push_text(&p.text);
                    continue;
                }
                if mode == Mode::Exceptions
                    && let Some((sym, rest)) = p.text.split_once(':')
                    && exception_by_symbol(sym.trim()).is_some()
                {
                    entry.license_exceptions.push(ExceptionLine {
                        symbol: sym.trim().to_string(),
                        text: rest.trim().to_string(),
                    });
                    entry_node.push_text(&p.text);
                    continue;
                }
                if mode == Mode::Items
                    && let Some(c) = CCL_ITEM.captures(&p.text)
                {
                    let item = c["item"].to_string();
                    let id = format!("{}.{item}", entry_node.id);
                    let mut child = Provision::new(id, ProvisionKind::EccnItem, None);
                    child.push_text(&p.text);
                    attach_item(entry_node, child);
                    continue;
                }
                entry_node.push_text(&p.text);
            }
            Block::Heading(t) => {
                let l = t.to_ascii_lowercase();
                mode = if l.starts_with("license requirements") {
                    Mode::Requirements
                } else if l.starts_with("list based license exceptions")
                    || l.starts_with("list-based license exceptions")
                {
                    Mode::Exceptions
                } else if l.starts_with("list of items controlled") {
                    Mode::Items
                } else if l.starts_with("special conditions for sta") {
                    // "STA: License Exception STA may not be used …" lines.
                    Mode::Exceptions
                } else {
                    Mode::Heading
                };
                match current {
                    Some(c) => c.push_text(&t),
                    None => node.push_text(&t),
                }
            }
            Block::Table(t) => match current {
                Some(c) => c.push_text(&t.to_text()),
                None => node.push_text(&t.to_text()),
            },
            Block::Note(t) => match current {
                Some(c) => c.push_text(&t),
                None => node.push_text(&t),
            },
        }
    }
}

/// A heading of the CCL's own outline ("Category 3—Electronics",
/// "B. Test, Inspection and “Production Equipment”"), as opposed to the
/// headings inside an entry ("License Requirements").
fn is_group_heading(t: &str) -> bool {
    let t = t.trim();
    let b = t.as_bytes();
    (t.starts_with("Category ") && b.get(9).is_some_and(u8::is_ascii_digit))
        || (b.len() > 3 && (b'A'..=b'E').contains(&b[0]) && b[1] == b'.' && b[2] == b' ')
}

/// Puts `ECCN 3B001.c.1.a` under `ECCN 3B001.c.1` if present, else under
/// the nearest existing prefix, else under the entry.
fn attach_item(entry: &mut Provision, item: Provision) {
    let mut node = entry;
    loop {
        let next = node
            .children
            .iter()
            .rposition(|c| item.id.starts_with(&format!("{}.", c.id)));
        match next {
            Some(i) => node = &mut node.children[i],
            None => break,
        }
    }
    node.children.push(item);
}
