//! Line diff: the text layer under `diff --format unified` and the raw
//! formatting tally.
//!
//! Lines are interned to integers first, so the diff algorithm compares
//! `u32`s instead of strings; lines unique to both sides anchor the
//! alignment (as in Patience diff) and `similar`'s Myers diff fills the
//! gaps, which stays fast on long documents with scattered edits. A
//! deadline bounds the worst case: past it the diff is still correct,
//! just not minimal.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
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

/// A small, fast, non-cryptographic hasher for interning lines (the
/// standard SipHash is built to resist hash flooding, which costs a third
/// of a large diff's time; line interning needs speed instead).
#[derive(Default)]
struct LineHasher(u64);

impl Hasher for LineHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ (rest.len() as u64) << 59);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl LineHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// The raw diff operations between two line lists.
///
/// Lines are interned to dense ids; lines that occur exactly once on each
/// side anchor the alignment (their longest increasing run, as in Patience
/// diff), and only the short gaps between anchors go to Myers' algorithm,
/// under `deadline`. Typical regulatory republications (scattered edits in
/// long, mostly unique lines) cost little more than reading the lines.
pub fn line_ops<'a>(old: &[&'a str], new: &[&'a str], deadline: Instant) -> Vec<DiffOp> {
    let mut ids: HashMap<&'a str, u32, BuildHasherDefault<LineHasher>> =
        HashMap::with_capacity_and_hasher(old.len().max(new.len()), Default::default());
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
    let mut ops = Vec::new();
    anchored(&a, &b, ids.len(), deadline, &mut ops);
    merge_equal(ops)
}

/// Diffs interned lines: anchors on lines unique to both sides, Myers in
/// between.
fn anchored(a: &[u32], b: &[u32], n_ids: usize, deadline: Instant, ops: &mut Vec<DiffOp>) {
    let mut count_a = vec![0u8; n_ids];
    let mut count_b = vec![0u8; n_ids];
    let mut pos_b = vec![0usize; n_ids];
    for &x in a {
        let c = &mut count_a[x as usize];
        *c = c.saturating_add(1);
    }
    for (j, &x) in b.iter().enumerate() {
        let c = &mut count_b[x as usize];
        *c = c.saturating_add(1);
        pos_b[x as usize] = j;
    }
    let pairs: Vec<(usize, usize)> = a
        .iter()
        .enumerate()
        .filter(|&(_, &x)| count_a[x as usize] == 1 && count_b[x as usize] == 1)
        .map(|(i, &x)| (i, pos_b[x as usize]))
        .collect();
    let (mut i, mut j) = (0, 0);
    for (ai, bj) in longest_increasing(&pairs) {
        gap(a, b, i..ai, j..bj, deadline, ops);
        ops.push(DiffOp::Equal {
            old_index: ai,
            new_index: bj,
            len: 1,
        });
        (i, j) = (ai + 1, bj + 1);
    }
    gap(a, b, i..a.len(), j..b.len(), deadline, ops);
}

/// The anchor pairs (sorted by old position) whose new positions increase,
/// longest such chain (patience sorting, O(n log n)).
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut tails: Vec<usize> = Vec::new(); // index into pairs of each pile's top
    let mut prev: Vec<Option<usize>> = vec![None; pairs.len()];
    for (k, &(_, bj)) in pairs.iter().enumerate() {
        let pile = tails.partition_point(|&t| pairs[t].1 < bj);
        prev[k] = pile.checked_sub(1).map(|p| tails[p]);
        if pile == tails.len() {
            tails.push(k);
        } else {
            tails[pile] = k;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut k = tails.last().copied();
    while let Some(x) = k {
        out.push(pairs[x]);
        k = prev[x];
    }
    out.reverse();
    out
}

/// One gap between anchors: common ends trimmed, the middle by Myers.
fn gap(
    a: &[u32],
    b: &[u32],
    ra: std::ops::Range<usize>,
    rb: std::ops::Range<usize>,
    deadline: Instant,
    ops: &mut Vec<DiffOp>,
) {
    let (x, y) = (&a[ra.clone()], &b[rb.clone()]);
    let head = x.iter().zip(y).take_while(|(p, q)| p == q).count();
    let tail = x[head..]
        .iter()
        .rev()
        .zip(y[head..].iter().rev())
        .take_while(|(p, q)| p == q)
        .count();
    if head > 0 {
        ops.push(DiffOp::Equal {
            old_index: ra.start,
            new_index: rb.start,
            len: head,
        });
    }
    let (xm, ym) = (&x[head..x.len() - tail], &y[head..y.len() - tail]);
    let (oa, ob) = (ra.start + head, rb.start + head);
    match (xm.is_empty(), ym.is_empty()) {
        (true, true) => {}
        (false, true) => ops.push(DiffOp::Delete {
            old_index: oa,
            old_len: xm.len(),
            new_index: ob,
        }),
        (true, false) => ops.push(DiffOp::Insert {
            old_index: oa,
            new_index: ob,
            new_len: ym.len(),
        }),
        (false, false) => {
            for op in capture_diff_slices_deadline(Algorithm::Myers, xm, ym, Some(deadline)) {
                ops.push(shift(op, oa, ob));
            }
        }
    }
    if tail > 0 {
        ops.push(DiffOp::Equal {
            old_index: ra.end - tail,
            new_index: rb.end - tail,
            len: tail,
        });
    }
}

/// Joins adjacent equal runs (anchors sit between equal stretches).
fn merge_equal(ops: Vec<DiffOp>) -> Vec<DiffOp> {
    let mut out: Vec<DiffOp> = Vec::with_capacity(ops.len());
    for op in ops {
        if let (
            Some(DiffOp::Equal {
                old_index,
                new_index,
                len,
            }),
            DiffOp::Equal {
                old_index: o2,
                new_index: n2,
                len: l2,
            },
        ) = (out.last_mut(), op)
            && *old_index + *len == o2
            && *new_index + *len == n2
        {
            *len += l2;
            continue;
        }
        out.push(op);
    }
    out
}

fn shift(op: DiffOp, old_by: usize, new_by: usize) -> DiffOp {
    match op {
        DiffOp::Equal {
            old_index,
            new_index,
            len,
        } => DiffOp::Equal {
            old_index: old_index + old_by,
            new_index: new_index + new_by,
            len,
        },
        DiffOp::Delete {
            old_index,
            old_len,
            new_index,
        } => DiffOp::Delete {
            old_index: old_index + old_by,
            old_len,
            new_index: new_index + new_by,
        },
        DiffOp::Insert {
            old_index,
            new_index,
            new_len,
        } => DiffOp::Insert {
            old_index: old_index + old_by,
            new_index: new_index + new_by,
            new_len,
        },
        DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        } => DiffOp::Replace {
            old_index: old_index + old_by,
            old_len,
            new_index: new_index + new_by,
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

    /// The ops must walk both sides contiguously, in order.
    fn assert_contiguous(ops: &[DiffOp], old_len: usize, new_len: usize) {
        let (mut o, mut n) = (0, 0);
        for op in ops {
            assert_eq!(
                (op.old_range().start, op.new_range().start),
                (o, n),
                "{ops:?}"
            );
            (o, n) = (op.old_range().end, op.new_range().end);
        }
        assert_eq!((o, n), (old_len, new_len), "{ops:?}");
    }

    #[test]
    fn repeated_lines_give_consistent_ops() {
        // Found by fuzzing: similar 2.7's Myers returned out-of-order ops
        // for this shape (fixed by similar 3).
        let old: Vec<String> = [0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 4, 5, 2, 2, 2, 2, 2, 2]
            .iter()
            .map(|i| format!("line {i}"))
            .collect();
        let mut new: Vec<String> = vec!["line 2".to_string(); 57];
        new.push("line 6".into());
        new.extend(vec!["line 2".to_string(); 49]);
        new.extend(["line 7".to_string(), "line 8".to_string()]);
        let a: Vec<&str> = old.iter().map(String::as_str).collect();
        let b: Vec<&str> = new.iter().map(String::as_str).collect();
        let ops = line_ops(&a, &b, Instant::now() + Duration::from_secs(5));
        assert_contiguous(&ops, a.len(), b.len());
        let d = line_diff(&(old.join("\n") + "\n"), &(new.join("\n") + "\n"), 3);
        assert_eq!(d.inserted - d.deleted, new.len() - old.len());
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
