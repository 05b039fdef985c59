//! Markdown and plain-text reports (news digests like the MOFCOM seed, a
//! pasted notice): headings, list items and paragraphs.
//!
//! eCFR sections rendered to Markdown (`##### § 740.2 Restrictions on all
//! License Exceptions. #####`, one paragraph per blank-line block, italic
//! `*Scope.*` leads) are read like the XML: one section provision per `§`
//! heading, its paragraphs nested by their markers (`§ 740.2(a)(4)(i)`).

use crate::model::{DocKind, Document, Provision, ProvisionKind, SourceFormat};

use super::paragraphs::{self, Para};
use super::text;

/// A Markdown heading that is an eCFR section: "§ 740.2 Restrictions on
/// all License Exceptions." → (`§ 740.2`, "Restrictions on all License
/// Exceptions").
fn section_heading(title: &str) -> Option<(String, Option<String>)> {
    let rest = title.strip_prefix('§')?.trim_start();
    let (number, heading) = rest.split_once(' ').unwrap_or((rest, ""));
    let number = number.trim_end_matches('.');
    let (part, sec) = number.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let sec_ok = digits(sec.trim_end_matches(|c: char| c.is_ascii_lowercase()));
    if !(digits(part) && sec_ok) {
        return None;
    }
    let heading = text::heading(heading);
    Some((
        format!("§ {number}"),
        (!heading.is_empty()).then_some(heading),
    ))
}

/// A paragraph of a Markdown-rendered section: markers kept, an italic
/// lead right after them ("(a) *Scope.* …") as its heading.
fn section_para(md: &str) -> Para {
    let mut rest = md.trim_start();
    while rest.starts_with('(') {
        match rest.find(')') {
            Some(i) if i <= 6 => rest = rest[i + 1..].trim_start(),
            _ => break,
        }
    }
    let heading = (rest.len() < md.trim_start().len())
        .then(|| {
            let mark = rest.chars().next().filter(|c| *c == '*' || *c == '_')?;
            let inner = &rest[1..];
            let end = inner.find(mark)?;
            let lead = text::clean(&inner[..end]);
            (lead.ends_with('.') && (1..=12).contains(&lead.split_whitespace().count()))
                .then_some(lead)
        })
        .flatten();
    Para {
        text: strip_inline(&strip_emphasis(md)),
        heading,
        ..Para::default()
    }
}

/// Drops single-asterisk emphasis ("*any*", "*e.g.,*"): an asterisk
/// touching a word on one side and not standing alone.
fn strip_emphasis(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let word = |c: Option<&char>| c.is_some_and(|c| !c.is_whitespace() && *c != '*');
    chars
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            **c != '*'
                || !(word(i.checked_sub(1).and_then(|j| chars.get(j))) || word(chars.get(i + 1)))
        })
        .map(|(_, c)| *c)
        .collect()
}

/// The section being read: its node, paragraphs so far, bracketed
/// source notes ("[61 FR 12768, Mar. 25, 1996]"), heading level.
struct OpenSection {
    node: Provision,
    paras: Vec<Para>,
    notes: Vec<String>,
    hashes: usize,
}

/// Strips inline Markdown: emphasis, code, links (`[t](u)` → `t`).
pub(crate) fn strip_inline(s: &str) -> String {
    // Link syntax is looked for only near each `[` (a label is short), so
    // a line of ten thousand `[` stays linear.
    const LABEL_WINDOW: usize = 300;
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let window = text::floor_char_boundary(after, LABEL_WINDOW);
        let link = after[..window]
            .find("](")
            .filter(|j| !after[..*j].contains('['))
            .and_then(|j| {
                let tail = &after[j + 2..];
                let w = text::floor_char_boundary(tail, 2048);
                tail[..w].find(')').map(|k| (j, k))
            });
        match link {
            Some((j, k)) => {
                out.push_str(&after[..j]);
                rest = &after[j + 2 + k + 1..];
            }
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    text::clean(&out.replace("**", "").replace("__", "").replace('`', ""))
}

/// "**Label:** value" → ("Label", "value").
pub(crate) fn key_value(line: &str) -> Option<(String, String)> {
    let l = line.trim();
    let l = ["- ", "* ", "+ "]
        .iter()
        .find_map(|m| l.strip_prefix(m))
        .unwrap_or(l)
        .trim_start();
    let l = l.strip_prefix("**")?;
    let (key, value) = l.split_once("**")?;
    let key = key.trim().trim_end_matches([':', '：']).trim();
    let value = value.trim().trim_start_matches([':', '：']).trim();
    (!key.is_empty() && key.chars().count() <= 60).then(|| (key.to_string(), strip_inline(value)))
}

/// A list item's marker and the rest: `- x`, `* x`, `1. x`.
fn list_item(line: &str) -> Option<(Option<u32>, &str)> {
    let t = line.trim_start();
    for m in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(m) {
            return Some((None, rest));
        }
    }
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() && digits.len() <= 3 {
        let rest = &t[digits.len()..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((digits.parse().ok(), r));
        }
    }
    None
}

/// Parses Markdown (or plain text: then every blank-line paragraph is an item).
pub(crate) fn parse(src: &str, markdown: bool) -> Document {
    let mut doc = Document::new(if markdown {
        SourceFormat::Markdown
    } else {
        SourceFormat::Text
    });
    doc.meta.kind = DocKind::Report;
    let mut roots: Vec<Provision> = Vec::new();
    let mut levels: Vec<usize> = Vec::new();
    let mut para = String::new();
    let mut item_count = 0u32;
    let mut open: Option<OpenSection> = None;
    let mut sections = 0usize;

    for line in src.lines() {
        let trimmed = line.trim();
        let hashes = trimmed.chars().take_while(|c| *c == '#').count();
        if markdown && (1..=6).contains(&hashes) && trimmed[hashes..].starts_with(' ') {
            end_block(&mut open, &mut roots, &mut levels, &mut para);
            // Closed ATX headings ("##### § 740.2 … #####") end in hashes too.
            let title = strip_inline(trimmed[hashes..].trim_end_matches('#'));
            if hashes == 1 && doc.meta.title.is_none() {
                doc.meta.title = Some(title.clone());
            }
            item_count = 0;
            if let Some((id, heading)) = section_heading(&title) {
                sections += 1;
                open = Some(OpenSection {
                    node: Provision::new(id, ProvisionKind::Section, heading),
                    paras: Vec::new(),
                    notes: Vec::new(),
                    hashes,
                });
                continue;
            }
            let node = Provision::new(text::heading(&title), ProvisionKind::Heading, None);
            place(&mut roots, &mut levels, node, hashes);
            continue;
        }
        if let Some(s) = open.as_mut() {
            // Inside a section every blank-line block is one paragraph.
            if trimmed.is_empty() {
                push_section_para(s, &mut para);
            } else {
                if !para.is_empty() {
                    para.push(' ');
                }
                para.push_str(trimmed);
            }
            continue;
        }
        if trimmed.is_empty()
            || (markdown
                && trimmed.chars().all(|c| c == '-' || c == '*' || c == '_')
                && trimmed.len() >= 3)
        {
            flush(&mut roots, &levels, &mut para);
            continue;
        }
        if markdown && let Some((number, rest)) = list_item(line) {
            flush(&mut roots, &levels, &mut para);
            item_count += 1;
            let parent = current(&mut roots, levels.len().max(1));
            let n = number.unwrap_or(item_count);
            let heading = key_value(&format!("- {rest}")).map(|(k, _)| k);
            let body = strip_inline(rest);
            let mut item =
                Provision::new(format!("{} ¶{n}", parent.id), ProvisionKind::Item, heading);
            item.push_text(&body);
            parent.children.push(item);
            continue;
        }
        if key_value(trimmed).is_some() {
            // "**Date:** 2024-09-18" lines are facts of their own.
            flush(&mut roots, &levels, &mut para);
            para.push_str(trimmed);
            flush(&mut roots, &levels, &mut para);
            continue;
        }
        if !para.is_empty() {
            para.push(' ');
        }
        para.push_str(trimmed);
        if !markdown && doc.meta.title.is_none() {
            doc.meta.title = Some(strip_inline(trimmed));
            para.clear();
        }
    }
    end_block(&mut open, &mut roots, &mut levels, &mut para);
    if sections > 0 {
        doc.meta.kind = DocKind::Regulation;
        if doc.meta.title.is_none() {
            doc.meta.title = first_section(&roots).map(|p| match &p.heading {
                Some(h) => format!("{} — {h}", p.id),
                None => p.id.clone(),
            });
        }
    }
    doc.provisions = roots;
    doc
}

fn current(roots: &mut Vec<Provision>, depth: usize) -> &mut Provision {
    if roots.is_empty() {
        roots.push(Provision::new("Text", ProvisionKind::Heading, None));
    }
    let last = roots.len() - 1;
    roots[last].last_descendant_mut(depth.saturating_sub(1))
}

/// Ends the paragraph being read: into the open section, else into the
/// current heading.
fn flush(roots: &mut Vec<Provision>, levels: &[usize], para: &mut String) {
    let p = strip_inline(para);
    para.clear();
    if !p.is_empty() {
        current(roots, levels.len().max(1)).push_text(&p);
    }
}

/// At a heading or the end: the paragraph being read is finished, and so
/// is the open section (placed in the tree now that it is complete).
fn end_block(
    open: &mut Option<OpenSection>,
    roots: &mut Vec<Provision>,
    levels: &mut Vec<usize>,
    para: &mut String,
) {
    match open.take() {
        Some(mut s) => {
            push_section_para(&mut s, para);
            let hashes = s.hashes;
            place(roots, levels, close(s), hashes);
        }
        None => flush(roots, levels, para),
    }
}

fn push_section_para(s: &mut OpenSection, para: &mut String) {
    let t = para.trim();
    if t.starts_with('[') && t.ends_with(']') {
        // The source note belongs to the section, not its last paragraph.
        s.notes.push(strip_inline(t));
    } else if !t.is_empty() {
        s.paras.push(section_para(t));
    }
    para.clear();
}

/// The section with its paragraphs nested by marker, then its notes.
fn close(s: OpenSection) -> Provision {
    let mut node = s.node;
    paragraphs::build(&mut node, s.paras);
    for n in s.notes {
        node.push_text(&n);
    }
    node
}

/// Puts a heading's node under the nearest shallower heading.
fn place(roots: &mut Vec<Provision>, levels: &mut Vec<usize>, node: Provision, hashes: usize) {
    while levels.last().is_some_and(|l| *l >= hashes) {
        levels.pop();
    }
    if levels.is_empty() {
        roots.push(node);
    } else {
        let last = roots.len() - 1;
        roots[last]
            .last_descendant_mut(levels.len() - 1)
            .children
            .push(node);
    }
    levels.push(hashes);
}

fn first_section(ps: &[Provision]) -> Option<&Provision> {
    ps.iter().find_map(|p| {
        if p.kind == ProvisionKind::Section {
            Some(p)
        } else {
            first_section(&p.children)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_emphasis_are_stripped() {
        assert_eq!(
            strip_inline("See **[§ 740.24](https://www.ecfr.gov/x)** and [b] `IEC`"),
            "See § 740.24 and [b] IEC"
        );
        // Thousands of `[` without links: linear, every bracket kept.
        let many = "[".repeat(20_000);
        assert_eq!(strip_inline(&many).len(), 20_000);
    }

    #[test]
    fn key_value_lines() {
        assert_eq!(
            key_value("**Date:** 2024-09-18"),
            Some(("Date".into(), "2024-09-18".into()))
        );
        assert_eq!(
            key_value("- **Effective Date:** 2024-09-06"),
            Some(("Effective Date".into(), "2024-09-06".into()))
        );
        assert_eq!(key_value("plain line"), None);
    }
}
