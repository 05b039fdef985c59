//! `diff --format unified`: a classic unified diff, of the documents'
//! parsed text by default (one line per heading or paragraph, so markup
//! and page layout never show) or of the stored bytes with `--raw`.
//! Hunk headers carry the provision they fall in, like git's function
//! context.

use std::fmt::Write;

use super::output::{Output, to_string};
use crate::diff::lines::{Hunk, LineDiff, LineTag};
use crate::diff::words::word_diff;
use crate::model::{Document, Provision};

/// Prefix of outline lines that open a provision (used for hunk context).
const MARK: &str = "## ";

/// A document as plain lines: each provision opens with `## ID  Heading`,
/// then one line per paragraph; contained documents open with `# `.
pub fn outline(doc: &Document) -> String {
    let mut out = String::new();
    if let Some(t) = &doc.meta.title {
        let _ = writeln!(out, "# {t}");
    }
    fn walk(ps: &[Provision], out: &mut String) {
        for p in ps {
            match &p.heading {
                Some(h) if h != &p.id && !h.starts_with(&p.id) => {
                    let _ = writeln!(out, "{MARK}{}  {h}", p.id);
                }
                Some(h) => {
                    let _ = writeln!(out, "{MARK}{h}");
                }
                None => {
                    let _ = writeln!(out, "{MARK}{}", p.id);
                }
            }
            for para in p.text.split("\n\n").filter(|s| !s.trim().is_empty()) {
                let _ = writeln!(out, "{}", para.trim());
            }
            walk(&p.children, out);
        }
    }
    walk(&doc.provisions, &mut out);
    for d in &doc.documents {
        let name = d
            .meta
            .document_number
            .as_deref()
            .map(|n| format!("FR Doc. {n}"))
            .unwrap_or_default();
        let _ = writeln!(out, "\n# {name} {}", d.meta.title.as_deref().unwrap_or(""));
        let inner = outline(&Document {
            meta: Default::default(),
            ..d.clone()
        });
        out.push_str(&inner);
    }
    out
}

/// Renders a line diff as unified-diff text. `context_lines` is the text
/// searched backwards for a hunk's enclosing provision (`## ` lines; pass
/// the old text, or `None` for raw input). With `words`, changed line
/// pairs show `[-old-]{+new+}` inline instead of `-`/`+` lines.
pub fn render(
    diff: &LineDiff,
    old_name: &str,
    new_name: &str,
    context_lines: Option<&str>,
    words: bool,
) -> String {
    let mut out = String::new();
    if diff.hunks.is_empty() {
        return out;
    }
    let _ = writeln!(out, "--- {old_name}");
    let _ = writeln!(out, "+++ {new_name}");
    let old_lines: Vec<&str> = context_lines
        .map(|t| t.lines().collect())
        .unwrap_or_default();
    for h in &diff.hunks {
        let section = enclosing(&old_lines, h);
        let _ = writeln!(
            out,
            "@@ -{} +{} @@{}",
            range(h.old_start, h.old_len),
            range(h.new_start, h.new_len),
            section.map(|s| format!(" {s}")).unwrap_or_default()
        );
        if words {
            word_lines(h, &mut out);
        } else {
            for l in &h.lines {
                let tag = match l.tag {
                    LineTag::Context => ' ',
                    LineTag::Delete => '-',
                    LineTag::Insert => '+',
                };
                let _ = writeln!(out, "{tag}{}", l.text);
            }
        }
    }
    out
}

fn range(start: usize, len: usize) -> String {
    if len == 1 {
        start.to_string()
    } else {
        format!("{start},{len}")
    }
}

/// The last provision heading at or before the hunk's first changed line.
fn enclosing<'a>(old: &[&'a str], h: &Hunk) -> Option<&'a str> {
    let lead = h
        .lines
        .iter()
        .take_while(|l| l.tag == LineTag::Context)
        .count();
    // Index of the first old line the change touches; an insertion touches
    // none, so only the lines before it count.
    let first = h.old_start.saturating_sub(1) + lead;
    let deletes = h.lines.get(lead).is_some_and(|l| l.tag == LineTag::Delete);
    let end = (first + usize::from(deletes)).min(old.len());
    old[..end]
        .iter()
        .rev()
        .find_map(|l| l.strip_prefix(MARK))
        .map(|s| s.trim())
}

/// Pairs each run of deleted lines with the inserted run after it and
/// prints them as one word-diffed block.
fn word_lines(h: &Hunk, out: &mut String) {
    let mut i = 0;
    while i < h.lines.len() {
        let l = &h.lines[i];
        if l.tag == LineTag::Context {
            let _ = writeln!(out, " {}", l.text);
            i += 1;
            continue;
        }
        let mut del = Vec::new();
        let mut ins = Vec::new();
        while i < h.lines.len() && h.lines[i].tag != LineTag::Context {
            match h.lines[i].tag {
                LineTag::Delete => del.push(h.lines[i].text.as_str()),
                _ => ins.push(h.lines[i].text.as_str()),
            }
            i += 1;
        }
        let (a, b) = (del.join("\n"), ins.join("\n"));
        // Marked as plain text marks word edits (`[-old-]{+new+}`).
        let s = to_string(Output::Plain, |f| {
            for e in word_diff(&a, &b) {
                f.edit(e.op, &e.text);
            }
        });
        for line in s.lines() {
            let _ = writeln!(out, "~{line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::lines::line_diff;
    use crate::model::{ProvisionKind, SourceFormat};

    fn doc(text: &str) -> Document {
        let mut d = Document::new(SourceFormat::Text);
        let mut s = Provision::new(
            "§ 740.24",
            ProvisionKind::Section,
            Some("§ 740.24 License Exception IEC.".into()),
        );
        let mut b = Provision::new("§ 740.24(b)", ProvisionKind::Paragraph, None);
        b.push_text(text);
        s.children.push(b);
        d.provisions.push(s);
        d
    }

    #[test]
    fn hunk_header_names_the_provision() {
        let old = outline(&doc("(b) Eligible destinations: Australia, Japan."));
        let new = outline(&doc(
            "(b) Eligible destinations: Australia, Japan, Korea, South.",
        ));
        let d = line_diff(&old, &new, 3);
        let text = render(&d, "a", "b", Some(&old), false);
        assert!(text.starts_with("--- a\n+++ b\n@@ -"), "{text}");
        assert!(text.contains("@@ § 740.24(b)"), "{text}");
        assert!(text.contains("-(b) Eligible destinations: Australia, Japan.\n"));
        let words = render(&d, "a", "b", Some(&old), true);
        assert!(
            words.contains("~(b) Eligible destinations: Australia, Japan{+, Korea, South+}."),
            "{words}"
        );
    }

    #[test]
    fn identical_gives_empty_output() {
        let t = outline(&doc("x"));
        assert!(render(&line_diff(&t, &t, 3), "a", "b", Some(&t), false).is_empty());
    }
}
