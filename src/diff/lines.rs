//! Line diff: the text layer under `diff --format unified` and the raw
//! formatting tally.
//!
//! Lines are interned to integers first, so the diff algorithm compares
//! `u32`s instead of strings, and the common head and tail are trimmed
//! before it runs; what remains goes to `similar`'s Patience diff, which
//! anchors on unique lines and stays fast on long documents with
//! scattered edits. A deadline bounds the worst case: past it the diff is
//! still correct, just not minimal.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffOp, capture_diff_slices_deadline, group_diff_ops};

/// How long a line diff may search for a minimal answer.
pub const LINE_DIFF_BUDGET: Duration = Duration::from_secs(2);

/// A line diff, grouped into hunks with context.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LineDiff {
    /// Hunks in order.
    pub hunks: Vec<Hunk>,
    /// Lines only in the old text.
    pub deleted: usize,
    /// Lines only in the new text.
    pub inserted: usize,
}

/// One hunk: a run of changes with surrounding context.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hunk {
    /// 1-based first old line (0 when the hunk has no old lines).
    pub old_start: usize,
    /// Old lines covered.
    pub old_len: usize,
    /// 1-based first new line.
    pub new_start: usize,
    /// New lines covered.
    pub new_len: usize,
    /// The lines, in unified-diff order.
    pub lines: Vec<HunkLine>,
}

/// A line of a hunk.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HunkLine {
    /// ` `, `-` or `+`.
    pub tag: LineTag,
    /// The line without its newline.
    pub text: String,
}

/// Which side a hunk line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineTag {
    /// Context: in both.
    Context,
    /// Only in the old text.
    Delete,
    /// Only in the new text.
    Insert,
}

/// The lines of a text, without their line terminators (`\n` or `\r\n`).
pub fn split_lines(s: &str) -> Vec<&str> {
    s.lines().collect()
}

/// The raw diff operations between two line lists, interned and trimmed.
pub fn line_ops<'a>(old: &[&'a str], new: &[&'a str], deadline: Instant) -> Vec<DiffOp> {
    let mut ids: HashMap<&'a str, u32> = HashMap::with_capacity(old.len().max(new.len()));
    let mut intern = |lines: &[&'a str]| -> Vec<u32> {
        lines
            .iter()
            .map(|l| {
                let next = ids.len() as u32;
                *ids.entry(l).or_insert(next)
            })
            .collect()
    };
    let a = intern(old);
    let b = intern(new);
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a_mid, b_mid) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut ops = Vec::new();
    if head > 0 {
        ops.push(DiffOp::Equal {
            old_index: 0,
            new_index: 0,
            len: head,
        });
    }
    for op in capture_diff_slices_deadline(Algorithm::Patience, a_mid, b_mid, Some(deadline)) {
        ops.push(shift(op, head));
    }
    if tail > 0 {
        ops.push(DiffOp::Equal {
            old_index: a.len() - tail,
            new_index: b.len() - tail,
            len: tail,
        });
    }
    ops
}

fn shift(op: DiffOp, by: usize) -> DiffOp {
    match op {
        DiffOp::Equal {
            old_index,
            new_index,
            len,
        } => DiffOp::Equal {
            old_index: old_index + by,
            new_index: new_index + by,
            len,
        },
        DiffOp::Delete {
            old_index,
            old_len,
            new_index,
        } => DiffOp::Delete {
            old_index: old_index + by,
            old_len,
            new_index: new_index + by,
        },
        DiffOp::Insert {
            old_index,
            new_index,
            new_len,
        } => DiffOp::Insert {
            old_index: old_index + by,
            new_index: new_index + by,
            new_len,
        },
        DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        } => DiffOp::Replace {
            old_index: old_index + by,
            old_len,
            new_index: new_index + by,
            new_len,
        },
    }
}

/// The line diff of two texts with `context` lines around each change.
pub fn line_diff(old: &str, new: &str, context: usize) -> LineDiff {
    line_diff_until(old, new, context, Instant::now() + LINE_DIFF_BUDGET)
}

/// [`line_diff`] with an explicit deadline.
pub fn line_diff_until(old: &str, new: &str, context: usize, deadline: Instant) -> LineDiff {
    let a = split_lines(old);
    let b = split_lines(new);
    let ops = line_ops(&a, &b, deadline);
    let mut out = LineDiff::default();
    for group in group_diff_ops(ops, context) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let old_start = first.old_range().start;
        let new_start = first.new_range().start;
        let old_len = last.old_range().end - old_start;
        let new_len = last.new_range().end - new_start;
        let mut lines = Vec::new();
        for op in &group {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            let line = |tag: LineTag, text: &str| HunkLine {
                tag,
                text: text.to_string(),
            };
            match tag {
                similar::DiffTag::Equal => {
                    lines.extend(a[old_range].iter().map(|l| line(LineTag::Context, l)))
                }
                similar::DiffTag::Delete | similar::DiffTag::Replace | similar::DiffTag::Insert => {
                    out.deleted += old_range.len();
                    out.inserted += new_range.len();
                    lines.extend(a[old_range].iter().map(|l| line(LineTag::Delete, l)));
                    lines.extend(b[new_range].iter().map(|l| line(LineTag::Insert, l)));
                }
            }
        }
        out.hunks.push(Hunk {
            old_start: if old_len == 0 {
                old_start
            } else {
                old_start + 1
            },
            old_len,
            new_start: if new_len == 0 {
                new_start
            } else {
                new_start + 1
            },
            new_len,
            lines,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_match_diff_u_numbering() {
        let old = "a\nb\nc\nd\ne\nf\ng\n";
        let new = "a\nb\nc\nD\ne\nf\ng\nh\n";
        let d = line_diff(old, new, 1);
        assert_eq!((d.deleted, d.inserted), (1, 2));
        assert_eq!(d.hunks.len(), 2);
        let h = &d.hunks[0];
        assert_eq!(
            (h.old_start, h.old_len, h.new_start, h.new_len),
            (3, 3, 3, 3)
        );
        let text: Vec<String> = h
            .lines
            .iter()
            .map(|l| format!("{:?}:{}", l.tag, l.text))
            .collect();
        assert_eq!(text, ["Context:c", "Delete:d", "Insert:D", "Context:e"]);
        let h = &d.hunks[1];
        assert_eq!(
            (h.old_start, h.old_len, h.new_start, h.new_len),
            (7, 1, 7, 2)
        );
    }

    #[test]
    fn identical_texts_have_no_hunks() {
        let d = line_diff("x\ny\n", "x\ny\n", 3);
        assert!(d.hunks.is_empty());
        let d = line_diff("", "", 3);
        assert!(d.hunks.is_empty());
    }

    #[test]
    fn insertion_into_empty() {
        let d = line_diff("", "a\nb\n", 3);
        let h = &d.hunks[0];
        assert_eq!(
            (h.old_start, h.old_len, h.new_start, h.new_len),
            (0, 0, 1, 2)
        );
    }
}
