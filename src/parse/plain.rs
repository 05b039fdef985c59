//! Markdown and plain-text reports (news digests like the MOFCOM seed, a
//! pasted notice): headings, list items and paragraphs.

use crate::model::{DocKind, Document, Provision, ProvisionKind, SourceFormat};

use super::text;

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

    fn current(roots: &mut Vec<Provision>, depth: usize) -> &mut Provision {
        if roots.is_empty() {
            roots.push(Provision::new("Text", ProvisionKind::Heading, None));
        }
        let last = roots.len() - 1;
        roots[last].last_descendant_mut(depth.saturating_sub(1))
    }
    let flush = |roots: &mut Vec<Provision>, levels: &Vec<usize>, para: &mut String| {
        let p = strip_inline(para);
        para.clear();
        if !p.is_empty() {
            current(roots, levels.len().max(1)).push_text(&p);
        }
    };

    for line in src.lines() {
        let trimmed = line.trim();
        let hashes = trimmed.chars().take_while(|c| *c == '#').count();
        if markdown && (1..=6).contains(&hashes) && trimmed[hashes..].starts_with(' ') {
            flush(&mut roots, &levels, &mut para);
            let title = strip_inline(&trimmed[hashes..]);
            if hashes == 1 && doc.meta.title.is_none() {
                doc.meta.title = Some(title.clone());
            }
            let node = Provision::new(text::heading(&title), ProvisionKind::Heading, None);
            while levels.last().is_some_and(|l| *l >= hashes) {
                levels.pop();
            }
            if levels.is_empty() {
                roots.push(node);
            } else {
                current(&mut roots, levels.len()).children.push(node);
            }
            levels.push(hashes);
            item_count = 0;
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
    flush(&mut roots, &levels, &mut para);
    doc.provisions = roots;
    doc
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
