//! Word-level diff of two provision texts, for the human reader.
//!
//! Tokens are words, single punctuation marks and whitespace runs, so a
//! change from "(t)" to "(u)" shows as one letter, not a whole clause.
//! The diff runs under a deadline: a pathological pair (megabytes of
//! unrelated text) falls back to "all removed, all added" instead of
//! hanging.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};

use crate::parse::text::floor_char_boundary;

/// One run of a word diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordEdit {
    /// Kept, deleted or inserted.
    pub op: EditOp,
    /// The text of the run, whitespace included.
    pub text: String,
}

/// What happened to a run of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EditOp {
    /// In both texts.
    Equal,
    /// Only in the old text.
    Delete,
    /// Only in the new text.
    Insert,
}

/// Texts with more tokens than this are not diffed word by word (the
/// result would be unreadable anyway): they come back as one delete and
/// one insert around their common prefix and suffix.
const MAX_TOKENS: usize = 200_000;

/// How long one word diff may take before it gives up on minimality.
pub const WORD_DIFF_BUDGET: Duration = Duration::from_millis(200);

/// Splits text into words, punctuation marks and whitespace runs.
pub fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::with_capacity(s.len() / 4);
    let mut start = 0;
    let mut class = None;
    for (i, c) in s.char_indices() {
        let k = if c.is_alphanumeric() {
            0
        } else if c.is_whitespace() {
            1
        } else {
            2
        };
        // Punctuation is one token per character; words and spaces run.
        if class != Some(k) || k == 2 {
            if i > start {
                out.push(&s[start..i]);
            }
            start = i;
            class = Some(k);
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// The word diff of `old` → `new`, adjacent runs of the same kind merged.
pub fn word_diff(old: &str, new: &str) -> Vec<WordEdit> {
    word_diff_until(old, new, Instant::now() + WORD_DIFF_BUDGET)
}

/// [`word_diff`] with an explicit deadline.
pub fn word_diff_until(old: &str, new: &str, deadline: Instant) -> Vec<WordEdit> {
    let a = tokens(old);
    let b = tokens(new);
    let mut edits: Vec<WordEdit> = Vec::new();
    let mut push = |op: EditOp, parts: &[&str]| {
        if parts.is_empty() {
            return;
        }
        match edits.last_mut() {
            Some(last) if last.op == op => parts.iter().for_each(|p| last.text.push_str(p)),
            _ => edits.push(WordEdit {
                op,
                text: parts.concat(),
            }),
        }
    };
    if a.len() + b.len() > MAX_TOKENS {
        let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
        let suffix = a[prefix..]
            .iter()
            .rev()
            .zip(b[prefix..].iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        push(EditOp::Equal, &a[..prefix]);
        push(EditOp::Delete, &a[prefix..a.len() - suffix]);
        push(EditOp::Insert, &b[prefix..b.len() - suffix]);
        push(EditOp::Equal, &a[a.len() - suffix..]);
        return edits;
    }
    for op in capture_diff_slices_deadline(Algorithm::Myers, &a, &b, Some(deadline)) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => push(EditOp::Equal, &a[old_range]),
            DiffTag::Delete => push(EditOp::Delete, &a[old_range]),
            DiffTag::Insert => push(EditOp::Insert, &b[new_range]),
            DiffTag::Replace => {
                push(EditOp::Delete, &a[old_range]);
                push(EditOp::Insert, &b[new_range]);
            }
        }
    }
    cleanup(edits)
}

/// Makes a minimal diff readable. A minimal word diff of a reworded
/// clause interleaves single kept words with changes ("[-a-]{+the+}
/// [-substantial-]{+request+} …"); like diff-match-patch's semantic
/// cleanup, an unchanged stretch no longer than the changes on both sides
/// of it is folded into them, and each run of changes becomes one
/// deletion followed by one insertion.
fn cleanup(mut edits: Vec<WordEdit>) -> Vec<WordEdit> {
    for _ in 0..8 {
        edits = merge_runs(edits);
        let mut changed = false;
        let n = edits.len();
        let lens: Vec<usize> = edits.iter().map(|e| e.text.chars().count()).collect();
        // Longest side of the change run just before/after index i.
        let side = |i: usize, op: EditOp, dir: isize| -> usize {
            let mut j = i as isize + dir;
            let mut best = 0;
            while j >= 0 && (j as usize) < n && edits[j as usize].op != EditOp::Equal {
                if edits[j as usize].op == op {
                    best += lens[j as usize];
                }
                j += dir;
            }
            best
        };
        let mut fold = vec![false; n];
        for i in 1..n.saturating_sub(1) {
            if edits[i].op != EditOp::Equal {
                continue;
            }
            let before = side(i, EditOp::Delete, -1).max(side(i, EditOp::Insert, -1));
            let after = side(i, EditOp::Delete, 1).max(side(i, EditOp::Insert, 1));
            if before > 0 && after > 0 && lens[i] <= before && lens[i] <= after {
                fold[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
        let mut next = Vec::with_capacity(n + 8);
        for (i, e) in edits.into_iter().enumerate() {
            if fold[i] {
                next.push(WordEdit {
                    op: EditOp::Delete,
                    text: e.text.clone(),
                });
                next.push(WordEdit {
                    op: EditOp::Insert,
                    text: e.text,
                });
            } else {
                next.push(e);
            }
        }
        edits = next;
    }
    edits
}

/// Each maximal run of non-equal edits → one delete then one insert.
fn merge_runs(edits: Vec<WordEdit>) -> Vec<WordEdit> {
    let mut out: Vec<WordEdit> = Vec::with_capacity(edits.len());
    let (mut del, mut ins) = (String::new(), String::new());
    let flush = |out: &mut Vec<WordEdit>, del: &mut String, ins: &mut String| {
        if !del.is_empty() {
            out.push(WordEdit {
                op: EditOp::Delete,
                text: std::mem::take(del),
            });
        }
        if !ins.is_empty() {
            out.push(WordEdit {
                op: EditOp::Insert,
                text: std::mem::take(ins),
            });
        }
    };
    for e in edits {
        match e.op {
            EditOp::Delete => del.push_str(&e.text),
            EditOp::Insert => ins.push_str(&e.text),
            EditOp::Equal => {
                flush(&mut out, &mut del, &mut ins);
                match out.last_mut() {
                    Some(last) if last.op == EditOp::Equal => last.text.push_str(&e.text),
                    _ => out.push(e),
                }
            }
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

/// A short excerpt of a word diff for summaries: each change with up to
/// `context` tokens of unchanged text on either side, gaps shown as `…`.
pub fn excerpt(edits: &[WordEdit], context: usize) -> Vec<WordEdit> {
    let mut out: Vec<WordEdit> = Vec::new();
    for (i, e) in edits.iter().enumerate() {
        if e.op != EditOp::Equal {
            out.push(e.clone());
            continue;
        }
        let toks = tokens(&e.text);
        let (first, last) = (i == 0, i + 1 == edits.len());
        let head = |n: usize| toks[..n.min(toks.len())].concat();
        let tail = |n: usize| toks[toks.len().saturating_sub(n)..].concat();
        let text = match (first, last) {
            (true, true) => e.text.clone(),
            (true, false) if toks.len() > context => format!("…{}", tail(context)),
            (false, true) if toks.len() > context => format!("{}…", head(context)),
            (false, false) if toks.len() > 2 * context => {
                format!("{}…{}", head(context), tail(context))
            }
            _ => e.text.clone(),
        };
        out.push(WordEdit {
            op: EditOp::Equal,
            text,
        });
    }
    out
}

/// The stretch of two texts around their first difference, ~60 characters
/// each side: enough to see what moved, short enough for a summary.
pub fn excerpt_pair(before: &str, after: &str) -> (String, String) {
    let common = before
        .char_indices()
        .zip(after.chars())
        .take_while(|((_, x), y)| x == y)
        .last()
        .map_or(0, |((i, c), _)| i + c.len_utf8());
    let cut = |s: &str| -> String {
        let start = floor_char_boundary(s, common.saturating_sub(60));
        let end = floor_char_boundary(s, common + 60);
        let mut out = String::new();
        if start > 0 {
            out.push('…');
        }
        out.push_str(&s[start..end]);
        if end < s.len() {
            out.push('…');
        }
        out
    };
    (cut(before), cut(after))
}

/// `s` on one line: every run of whitespace, line breaks included, one space.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters, marked with `…` when cut.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(edits: &[WordEdit]) -> String {
        edits
            .iter()
            .map(|e| match e.op {
                EditOp::Equal => e.text.clone(),
                EditOp::Delete => format!("[-{}-]", e.text),
                EditOp::Insert => format!("{{+{}+}}", e.text),
            })
            .collect()
    }

    #[test]
    fn tokens_split_words_punctuation_space() {
        assert_eq!(
            tokens("§ 1.16(t) fee,  due"),
            vec![
                "§", " ", "1", ".", "16", "(", "t", ")", " ", "fee", ",", "  ", "due"
            ]
        );
        assert!(tokens("").is_empty());
    }

    #[test]
    fn word_diff_marks_the_changed_words() {
        let d = word_diff(
            "Comments must be received by November 5, 2024.",
            "Comments must be received by December 5, 2024.",
        );
        assert_eq!(
            render(&d),
            "Comments must be received by [-November-]{+December+} 5, 2024."
        );
        let same = word_diff("a b", "a b");
        assert_eq!(same.len(), 1);
        assert_eq!(same[0].op, EditOp::Equal);
    }

    #[test]
    fn reworded_clause_reads_as_one_replacement() {
        let d = word_diff(
            "determine whether a substantial new question of patentability is raised.",
            "determine whether the requester will prevail with respect to one claim.",
        );
        assert_eq!(
            render(&d),
            "determine whether [-a substantial new question of patentability is raised-]\
             {+the requester will prevail with respect to one claim+}."
        );
    }

    #[test]
    fn huge_inputs_fall_back_to_one_replacement() {
        let old = "x ".repeat(MAX_TOKENS);
        let new = format!("{old}y");
        let d = word_diff(&old, &new);
        assert_eq!(d.len(), 2);
        assert_eq!(d[1].op, EditOp::Insert);
        assert_eq!(d[1].text, "y");
    }

    #[test]
    fn excerpt_keeps_context_around_changes() {
        let d = word_diff(
            "one two three four five six seven eight nine ten",
            "one two three four five SIX seven eight nine ten",
        );
        let e = excerpt(&d, 4);
        assert_eq!(render(&e), "…four five [-six-]{+SIX+} seven eight…");
    }
}
