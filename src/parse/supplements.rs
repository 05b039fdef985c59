//! Supplements that are data, not prose: the Commerce Control List
//! (Supplement No. 1 to Part 774) becomes ECCN entries, and the Country
//! Groups table (Supplement No. 1 to Part 740) becomes one named list per
//! group, so "Korea, South added to Country Group A:6" is one list diff.

use super::blocks::{Block, Note, Table};
use super::entities::country_code;
use super::paragraphs::{LeadStyle, Para};
use super::patterns::{CCL_ITEM, ECCN};
use super::text;
use crate::model::vocab::{COUNTRY_GROUPS, REASONS_FOR_CONTROL, exception_by_symbol};
use crate::model::{
    Document, EccnEntry, EccnNote, ExceptionLine, LicenseRequirementRow, ListKind, ListMember,
    NamedList, Provision, ProvisionKind,
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
    // The group a run of list items belongs to ("Country Group B—Countries"
    // followed by one LI per country).
    let mut list_group: Option<String> = None;
    for b in blocks {
        match b {
            Block::Heading(t) => {
                list_group = groups.then(|| group_of_list_heading(&t)).flatten();
                node.push_text(&t);
            }
            Block::Note(n) => node.push_text(&n.text),
            Block::Para(p) => {
                if let Some(group) = &list_group
                    && p.list_item
                {
                    add_members(
                        &node.id,
                        group,
                        &list_evidence(group),
                        vec![member(&p.text)],
                        &mut out.lists,
                    );
                }
                node.push_text(&p.text);
            }
            Block::Table(t) => {
                list_group = None;
                if groups {
                    country_group_lists(&node.id, &t, &mut out.lists);
                }
                node.push_text(&t.to_text());
            }
        }
    }
}

fn list_evidence(group: &str) -> String {
    format!("list under “Country Group {group}”")
}

/// A group id from a column header or heading: `[A:1] Wassenaar …`,
/// `[D: 1] National Security`, `D:1`, `E:2 Unilateral embargo` → the
/// canonical `A:1`, `D:1`, `E:2`; `Country` → None.
fn group_of_header(h: &str) -> Option<String> {
    let h = h.trim();
    let inner = match h.strip_prefix('[') {
        Some(rest) => rest.split(']').next()?,
        None => h,
    };
    let mut chars = inner.chars().filter(|c| !c.is_whitespace());
    let letter = chars.next()?;
    let id = match (chars.next(), chars.next()) {
        (Some(':'), Some(d)) if d.is_ascii_digit() => format!("{letter}:{d}"),
        _ => {
            // A bare letter ("B") must be the whole first word.
            let first = inner.split_whitespace().next()?;
            first.to_string()
        }
    };
    COUNTRY_GROUPS.contains(&id.as_str()).then_some(id)
}

/// "Country Group B—Countries" → `B`; "Country Group C [Reserved]" → None.
fn group_of_list_heading(h: &str) -> Option<String> {
    let rest = h.trim().strip_prefix("Country Group ")?;
    let id: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == ':')
        .collect();
    (COUNTRY_GROUPS.contains(&id.as_str()) && !rest[id.len()..].trim_start().starts_with('['))
        .then_some(id)
}

/// A country as a list member. Footnote marks that trail a name in older
/// markup ("Iraq 3", "Iraq*") are not part of it.
fn member(name: &str) -> ListMember {
    let label = name
        .trim()
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '*')
        .to_string();
    let id = country_code(&label).map_or_else(|| label.clone(), str::to_string);
    ListMember { id, label }
}

fn add_members(
    provision: &str,
    group: &str,
    evidence: &str,
    members: Vec<ListMember>,
    lists: &mut Vec<NamedList>,
) {
    let name = format!("Country Group {group}");
    match lists.iter_mut().find(|l| l.name == name) {
        Some(l) => l.members.extend(members),
        None => lists.push(NamedList {
            name,
            kind: ListKind::Countries,
            provision: provision.to_string(),
            evidence: format!("{provision}, {evidence}"),
            members,
        }),
    }
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
        let members = t
            .rows
            .iter()
            .filter(|row| row.get(col).is_some_and(|m| !m.trim().is_empty()))
            .filter_map(|row| row.first())
            .filter(|c| !c.trim().is_empty())
            .map(|c| member(c))
            .collect();
        add_members(
            provision,
            &group,
            &format!("column “{head}”"),
            members,
            lists,
        );
    }
}

/// Where in an ECCN entry the reader is.
#[derive(PartialEq, Eq, Clone, Copy)]
enum Mode {
    Heading,
    Requirements,
    Exceptions,
    /// "Special Conditions for STA".
    StaConditions,
    Items,
}

/// A section label of an ECCN entry, in any of its forms
/// (`<FP-1><E T="04">License Requirements</E>`, `<HD1>List Based License
/// Exceptions (See Part 740 …)</HD1>`, `<FP-1><I>List of Items
/// Controlled</I>`).
fn section_label(t: &str) -> Option<Mode> {
    let l = t.trim().trim_end_matches(':').to_ascii_lowercase();
    if l.starts_with("license requirements") {
        Some(Mode::Requirements)
    } else if l.starts_with("list based license exceptions")
        || l.starts_with("list-based license exceptions")
    {
        Some(Mode::Exceptions)
    } else if l.starts_with("special conditions for sta") {
        Some(Mode::StaConditions)
    } else if l.starts_with("list of items controlled") || l == "items" {
        Some(Mode::Items)
    } else {
        None
    }
}

/// The outline of the CCL: its category and product-group headings.
enum Outline {
    /// "Category 3—Electronics": number and name.
    Category(String, String),
    /// "B. “Test,” …": letter and name.
    Group(String, String),
    /// "Part 2—“Information Security”" (Category 5).
    Part,
}

fn outline(t: &str) -> Option<Outline> {
    let t = t.trim();
    if let Some(rest) = t.strip_prefix("Category ") {
        let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if n.is_empty() {
            return None;
        }
        let name = rest[n.len()..].trim_start_matches(['—', '-', ' ']);
        return Some(Outline::Category(n, text::heading(name)));
    }
    let b = t.as_bytes();
    if b.len() > 3 && (b'A'..=b'E').contains(&b[0]) && b[1] == b'.' && b[2] == b' ' {
        return Some(Outline::Group(
            (b[0] as char).to_string(),
            text::heading(&t[3..]),
        ));
    }
    let part = t
        .strip_prefix("Part ")
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit() || c == 'I'));
    part.then_some(Outline::Part)
}

/// An ECCN heading paragraph: bold, opening with the ECCN
/// (`<FP-2><B>3B001 Equipment …</B></FP-2>`). An ECCN inside other text
/// is a reference, never a heading.
fn eccn_heading(p: &Para) -> Option<(String, String)> {
    let lead = p.lead.as_ref()?;
    if lead.style != LeadStyle::Bold {
        return None;
    }
    // The bold run carries the ECCN; the heading may start with any
    // character (the older pattern wanted a capital or a quote).
    let c = ECCN.captures(&lead.text)?;
    let eccn = c.name("eccn")?;
    if eccn.start() != 0 || c.name("sub").is_some_and(|m| !m.as_str().is_empty()) {
        return None;
    }
    let heading = p.text.get(eccn.end()..).unwrap_or("").trim();
    (heading.is_empty() || p.text.as_bytes().get(eccn.end()) == Some(&b' '))
        .then(|| (eccn.as_str().to_string(), text::heading(heading)))
}

/// An item designation at the start of an item paragraph: `a.`, `c.1.a.`,
/// `a.1. to a.5. [Reserved]`, `y.2 through y.5.`, `b.1.g.3 Optimized …`.
fn item_designation(t: &str) -> Option<String> {
    let c = CCL_ITEM.captures(t)?;
    let item = c["item"].to_string();
    // A bare letter needs its period: "a Note" is not an item.
    (c.name("dot").is_some() || item.contains('.')).then_some(item)
}

/// `LVS: $500` → (`LVS`, `$500`) for a known exception symbol.
fn exception_line(t: &str) -> Option<ExceptionLine> {
    let (sym, rest) = t.split_once(':')?;
    let sym = sym.trim();
    let known = exception_by_symbol(sym).is_some()
        || sym
            .split('/')
            .all(|s| exception_by_symbol(s.trim()).is_some());
    known.then(|| ExceptionLine {
        symbol: sym.to_string(),
        text: rest.trim().to_string(),
    })
}

/// A note's heading without its colon, and its text after the heading.
fn split_note(n: &Note) -> (String, String) {
    match &n.heading {
        Some(h) => {
            let body = n.text.strip_prefix(h.as_str()).unwrap_or(&n.text).trim();
            (text::heading(h), body.to_string())
        }
        None => (String::new(), n.text.clone()),
    }
}

/// `Reason for Control: NS, RS, AT` → the recognised reasons; a column
/// number or period stuck to a code (`CC1`, `AT.`) is not part of it.
fn reasons(rest: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in rest.split([',', ' ', ';']).map(str::trim) {
        let r = r.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        if REASONS_FOR_CONTROL.contains(&r) && !out.iter().any(|o| o == r) {
            out.push(r.to_string());
        }
    }
    out
}

/// The text after a field label: "Related Controls: See also 3B903." →
/// "See also 3B903."; also matches the label without its colon.
fn field<'t>(t: &'t str, labels: &[&str]) -> Option<&'t str> {
    labels.iter().find_map(|l| {
        t.strip_prefix(l).and_then(|rest| {
            let rest = rest.trim_start();
            if let Some(r) = rest.strip_prefix(':') {
                Some(r.trim())
            } else if rest.is_empty() {
                Some(rest)
            } else {
                None
            }
        })
    })
}

/// Reading state of the CCL.
struct Ccl {
    category: Option<(String, String)>,
    group: Option<(String, String, String)>,
    /// Between an outline heading and the next entry, text belongs to the
    /// supplement, not to the entry above.
    in_entry: bool,
    mode: Mode,
    last_item: Option<String>,
    /// The Related Controls paragraph ended with a colon: the paragraphs
    /// after it (`<P>a. High explosives …</P>` in 1A008) are its list,
    /// not items, up to the next field.
    related_list: bool,
    /// The last paragraph was an italic note set as plain `<P>`s among the
    /// items (`<P><I>Note: 5D001.e does not apply to … :</I></P>`).
    italic_note: bool,
    /// A `Control(s):` line with nothing after it: the next paragraph is
    /// its text.
    controls_next: bool,
}

/// The CCL: an ECCN heading opens an entry; its labels, fields, table,
/// exception lines, items and notes fill it.
fn build_ccl(node: &mut Provision, blocks: Vec<Block>, out: &mut Extracted) {
    let mut st = Ccl {
        category: None,
        group: None,
        in_entry: false,
        mode: Mode::Heading,
        last_item: None,
        related_list: false,
        italic_note: false,
        controls_next: false,
    };
    for b in blocks {
        if let Block::Heading(t) = &b
            && let Some(o) = outline(t)
        {
            match o {
                Outline::Category(n, name) => {
                    st.category = Some((n, name));
                    st.group = None;
                }
                Outline::Group(letter, name) => {
                    let cat = st
                        .category
                        .as_ref()
                        .map(|c| c.0.clone())
                        .unwrap_or_default();
                    st.group = Some((cat, letter, name));
                }
                Outline::Part => {}
            }
            st.in_entry = false;
            node.push_text(t);
            continue;
        }
        // "EAR99 Items subject to the EAR that are not elsewhere
        // specified …" closes a category; it is not an entry.
        if let Block::Para(p) = &b
            && p.lead
                .as_ref()
                .is_some_and(|l| l.style == LeadStyle::Bold && l.text.starts_with("EAR99"))
        {
            st.in_entry = false;
            node.push_text(&p.text);
            continue;
        }
        if let Block::Para(p) = &b
            && let Some((eccn, heading)) = eccn_heading(p)
        {
            open_entry(node, &st, eccn, heading, out);
            st.in_entry = true;
            st.mode = Mode::Heading;
            st.last_item = None;
            st.related_list = false;
            st.italic_note = false;
            st.controls_next = false;
            continue;
        }
        let current = node
            .children
            .last_mut()
            .filter(|c| st.in_entry && c.kind == ProvisionKind::Eccn);
        let (Some(entry_node), Some(entry)) = (current, out.entries.last_mut()) else {
            match b {
                Block::Heading(t) => node.push_text(&t),
                Block::Note(n) => node.push_text(&n.text),
                Block::Para(p) => node.push_text(&p.text),
                Block::Table(t) => node.push_text(&t.to_text()),
            }
            continue;
        };
        match b {
            Block::Heading(t) => {
                // A label, or a subheading inside the items ("Acoustics"),
                // which does not end the entry.
                if let Some(m) = section_label(&t) {
                    st.mode = m;
                }
                entry_node.push_text(&t);
            }
            Block::Table(t) => {
                if t.header
                    .first()
                    .is_some_and(|h| h.to_ascii_lowercase().starts_with("control"))
                {
                    entry.country_chart.extend(t.rows.iter().filter_map(|r| {
                        let control = r.first()?.clone();
                        let chart = r[1..].join(" ");
                        (!control.is_empty()).then_some(LicenseRequirementRow { control, chart })
                    }));
                }
                entry_node.push_text(&t.to_text());
            }
            Block::Note(n) => {
                let (heading, text) = split_note(&n);
                entry.notes.push(EccnNote {
                    heading,
                    item: st.last_item.clone(),
                    text,
                });
                entry_node.push_text(&n.text);
            }
            Block::Para(p) => ccl_para(entry_node, entry, &mut st, &p),
        }
    }
}

fn open_entry(node: &mut Provision, st: &Ccl, eccn: String, heading: String, out: &mut Extracted) {
    let id = format!("ECCN {eccn}");
    let category: String = eccn.chars().take(1).collect();
    let product_group: String = eccn.chars().skip(1).take(1).collect();
    let category_heading = st
        .category
        .as_ref()
        .filter(|(n, _)| *n == category)
        .map(|(_, name)| name.clone());
    let product_group_heading = st
        .group
        .as_ref()
        .filter(|(c, g, _)| *c == category && *g == product_group)
        .map(|(_, _, name)| name.clone());
    out.entries.push(EccnEntry {
        eccn,
        heading: heading.clone(),
        category,
        category_heading,
        product_group,
        product_group_heading,
        reasons_for_control: Vec::new(),
        country_chart: Vec::new(),
        license_exceptions: Vec::new(),
        related_controls: None,
        related_definitions: None,
        items: Vec::new(),
        notes: Vec::new(),
        provision: id.clone(),
    });
    node.children
        .push(Provision::new(id, ProvisionKind::Eccn, Some(heading)));
}

/// One paragraph inside an entry.
fn ccl_para(entry_node: &mut Provision, entry: &mut EccnEntry, st: &mut Ccl, p: &Para) {
    let t = p.text.as_str();
    // A label set as a paragraph of its own.
    if let Some(lead) = &p.lead
        && lead.whole
        && let Some(m) = section_label(&lead.text)
    {
        st.mode = m;
        st.related_list = false;
        entry_node.push_text(t);
        return;
    }
    let related_list = std::mem::take(&mut st.related_list);
    let italic_note = std::mem::take(&mut st.italic_note);
    // A wholly italic paragraph is a note's, never an item, even when it
    // is lettered ("a. Billing purposes;" under "Note: 5D001.e does not
    // apply to …").
    if p.lead
        .as_ref()
        .is_some_and(|l| l.style == LeadStyle::Italic && l.whole)
        && st.mode == Mode::Items
    {
        let starts_note = ["Note", "Technical Note", "N.B."]
            .iter()
            .any(|n| t.starts_with(n));
        match (starts_note, entry.notes.last_mut()) {
            (false, Some(last)) if italic_note => {
                if !last.text.is_empty() {
                    last.text.push('\n');
                }
                last.text.push_str(t);
            }
            _ => {
                let (heading, text) = match t.split_once(':') {
                    Some((h, rest)) if starts_note && h.len() <= 60 => {
                        (h.trim().to_string(), rest.trim().to_string())
                    }
                    _ => (String::new(), t.to_string()),
                };
                entry.notes.push(EccnNote {
                    heading,
                    item: st.last_item.clone(),
                    text,
                });
            }
        }
        st.italic_note = true;
        entry_node.push_text(t);
        return;
    }
    // The text of a "Control(s):" line that came alone (0A999:
    // `Control(s):` then `Country Chart. AT applies to entire entry. …`).
    if std::mem::take(&mut st.controls_next) && st.mode == Mode::Requirements {
        let rest = field(t, &["Country Chart", "Country chart"])
            .or_else(|| t.strip_prefix("Country Chart."))
            .unwrap_or(t)
            .trim();
        entry.country_chart.push(LicenseRequirementRow {
            control: rest.to_string(),
            chart: String::new(),
        });
        entry_node.push_text(t);
        return;
    }
    if let Some(rest) = field(t, &["Controls", "Control(s)"]) {
        // "Controls: SL and AT apply to entire entry. …" (5D980) and
        // "Control(s): CC applies to entire entry. …" (0A981) in place of
        // the table.
        if rest.is_empty() {
            st.controls_next = true;
        } else {
            entry.country_chart.push(LicenseRequirementRow {
                control: rest.to_string(),
                chart: String::new(),
            });
        }
        entry_node.push_text(t);
        return;
    }
    if let Some(rest) = field(t, &["Reason for Control", "Reasons for Control"]) {
        entry.reasons_for_control = reasons(rest);
        entry_node.push_text(t);
        return;
    }
    if let Some(rest) = field(t, &["Related Controls", "Related Control"]) {
        entry.related_controls = Some(rest.to_string());
        st.related_list = rest.ends_with(':');
        entry_node.push_text(t);
        return;
    }
    if let Some(rest) = field(t, &["Related Definitions", "Related Definition"]) {
        entry.related_definitions = Some(rest.to_string());
        entry_node.push_text(t);
        return;
    }
    // "Items:" (or "Items" without the colon) opens the items, and may
    // carry text ("The list of items controlled is contained in the ECCN
    // heading.") or the first item ("Items: a. An inside diameter …").
    if p.lead
        .as_ref()
        .is_some_and(|l| l.style != LeadStyle::Bold && l.text.trim_end_matches(':') == "Items")
        && let Some(rest) = field(t, &["Items"])
    {
        st.mode = Mode::Items;
        match item_designation(rest) {
            Some(item) => add_item(entry_node, entry, st, item, rest),
            None => entry_node.push_text(t),
        }
        return;
    }
    if related_list {
        // The Related Controls list and its unlabelled continuation.
        if let Some(rc) = entry.related_controls.as_mut() {
            rc.push('\n');
            rc.push_str(t);
        }
        st.related_list = true;
        entry_node.push_text(t);
        return;
    }
    // Items: in the items part, or any plain `<P>` lettered paragraph once
    // past the heading (some entries have no Items marker at all).
    let item_here = st.mode == Mode::Items || (!p.flush && st.mode != Mode::Heading);
    if item_here && let Some(item) = item_designation(t) {
        st.mode = Mode::Items;
        add_item(entry_node, entry, st, item, t);
        return;
    }
    if matches!(st.mode, Mode::Exceptions | Mode::StaConditions) {
        if let Some(line) = exception_line(t) {
            entry.license_exceptions.push(line);
        } else if st.mode == Mode::StaConditions
            && entry
                .license_exceptions
                .last()
                .is_none_or(|l| l.symbol != "STA")
        {
            // "License Exception STA may not be used …" with no label.
            entry.license_exceptions.push(ExceptionLine {
                symbol: "STA".to_string(),
                text: t.to_string(),
            });
        } else if let Some(last) = entry.license_exceptions.last_mut() {
            // "$500 for 0A501.c … if the ultimate destination is Canada."
            // continues the line above.
            last.text.push('\n');
            last.text.push_str(t);
        }
        entry_node.push_text(t);
        return;
    }
    entry_node.push_text(t);
}

/// An item provision (`ECCN 3B001.c.1.a`) and its designation.
fn add_item(
    entry_node: &mut Provision,
    entry: &mut EccnEntry,
    st: &mut Ccl,
    item: String,
    t: &str,
) {
    let id = format!("{}.{item}", entry_node.id);
    let mut child = Provision::new(id, ProvisionKind::EccnItem, None);
    child.push_text(t);
    attach_item(entry_node, child);
    entry.items.push(item.clone());
    st.last_item = Some(item);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{blocks, xml};

    /// The label and heading variants the eCFR uses besides the common
    /// ones of the real excerpt in tests/fixtures/parse/ecfr: a heading in
    /// `<FP-1><B>`, a label as `<HD1>` or `<FP-1><I>`, `Items` without its
    /// colon, and an `<HD2>` subheading among the items.
    #[test]
    fn variant_labels_and_subheadings_keep_one_entry() {
        let src = "<DIV9><HD1>Category 6\u{2014}Sensors and \u{201C}Lasers\u{201D}</HD1>\
            <HD1>A. Systems, Equipment and Components</HD1>\
            <FP-1><B>6A001 Acoustic systems, equipment and \u{201C}components,\u{201D} as follows (see List of Items Controlled).</B></FP-1>\
            <FP-1><E T=\"04\">License Requirements</E></FP-1>\
            <FP-1><I>Reason for Control:</I> NS, AT</FP-1>\
            <HD1>List Based License Exceptions (See Part 740 for a Description of All License Exceptions)</HD1>\
            <FP-1><I>LVS:</I> N/A</FP-1>\
            <FP-1><I>List of Items Controlled</I></FP-1>\
            <FP-1><I>Related Controls:</I> See also 6A991.</FP-1>\
            <FP><I>Items</I></FP>\
            <P>a. Marine acoustic systems, as follows:</P>\
            <HD2>Acoustics</HD2>\
            <P>a.1. Active (transmitting or transmitting-and-receiving) systems;</P>\
            <P>b. Correlation-velocity sonar log equipment.</P>\
            <FP-2><B>6A002 Optical sensors, as follows.</B></FP-2></DIV9>";
        let root = xml::parse(src).unwrap_or_default();
        let mut node = Provision::new(
            "Supplement No. 1 to Part 774",
            ProvisionKind::Supplement,
            None,
        );
        let mut out = Extracted::default();
        build(&mut node, blocks::read(&root), &mut out);
        let eccns: Vec<&str> = out.entries.iter().map(|e| e.eccn.as_str()).collect();
        assert_eq!(eccns, ["6A001", "6A002"]);
        let e = &out.entries[0];
        assert_eq!(
            e.category_heading.as_deref(),
            Some("Sensors and \u{201C}Lasers\u{201D}")
        );
        assert_eq!(
            e.product_group_heading.as_deref(),
            Some("Systems, Equipment and Components")
        );
        assert_eq!(e.license_exceptions.len(), 1);
        assert_eq!(e.related_controls.as_deref(), Some("See also 6A991."));
        assert_eq!(e.items, ["a", "a.1", "b"]);
        assert!(node.children[0].text.contains("Acoustics"));
        // 6A991 in Related Controls is a reference, not an entry.
        assert!(node.children.iter().all(|c| c.id != "ECCN 6A991"));
    }
}
