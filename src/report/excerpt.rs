//! Bounds on how much text one change prints in the text, Markdown and
//! HTML renderers, so a huge single-line document (minified markup, a
//! 16 MB line) gives a readable excerpt instead of the whole line twice.
//! Every cut says how much it left out: `… (N more characters)`. JSON and
//! unified output are complete: they are data, and a patch must apply.

use crate::diff::{EditOp, WordEdit};

/// Limits for one change, in characters.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    /// Unchanged text kept around an edit (head and tail halves).
    pub equal: usize,
    /// One deletion or insertion.
    pub edit: usize,
    /// Everything the change prints; the rest is counted, not shown.
    pub total: usize,
}

/// Text and Markdown: a few lines per change.
pub const TEXT: Caps = Caps {
    equal: 200,
    edit: 600,
    total: 4_000,
};

/// HTML shows whole provisions; only a pathological one is cut.
pub const HTML: Caps = Caps {
    equal: 20_000,
    edit: 20_000,
    total: 100_000,
};

/// The marker for `n` characters left out.
pub fn more(n: usize) -> String {
    format!("… ({n} more characters)")
}

/// `text` cut to at most `max` characters, with the marker when cut.
pub fn cap(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max).collect();
    format!("{head}{}", more(n - max))
}

/// `edits` bounded by `caps`: a large replacement is narrowed to the
/// characters that differ, long unchanged runs keep their head and tail,
/// long edits their head, and past `caps.total` the rest is one marker.
/// Small diffs come back unchanged.
pub fn bound(edits: &[WordEdit], caps: Caps) -> Vec<WordEdit> {
    let mut narrowed: Vec<WordEdit> = Vec::with_capacity(edits.len());
    let mut i = 0;
    while i < edits.len() {
        let e = &edits[i];
        if let Some(next) = edits.get(i + 1)
            && e.op != EditOp::Equal
            && next.op != EditOp::Equal
            && e.op != next.op
            && e.text.chars().count().max(next.text.chars().count()) > caps.edit
        {
            narrow(e, next, &mut narrowed);
            i += 2;
            continue;
        }
        push(&mut narrowed, e.clone());
        i += 1;
    }
    let mut out = Vec::with_capacity(narrowed.len());
    let mut shown = 0;
    for (k, e) in narrowed.iter().enumerate() {
        if shown >= caps.total {
            let rest = &narrowed[k..];
            let chars: usize = rest.iter().map(|e| e.text.chars().count()).sum();
            let changes = rest.iter().filter(|e| e.op != EditOp::Equal).count();
            let mut marker = format!("… ({chars} more characters");
            if changes > 0 {
                marker.push_str(&format!(", {changes} more edits"));
            }
            marker.push(')');
            out.push(WordEdit {
                op: EditOp::Equal,
                text: marker,
            });
            break;
        }
        let text = match e.op {
            EditOp::Equal => {
                let (first, last) = (k == 0, k + 1 == narrowed.len());
                cut_equal(&e.text, caps.equal, first && !last, last && !first)
            }
            _ => cap(&e.text, caps.edit),
        };
        shown += text.chars().count();
        out.push(WordEdit { op: e.op, text });
    }
    out
}

/// Pushes `e`, joining it to the previous edit when both are unchanged text.
fn push(out: &mut Vec<WordEdit>, e: WordEdit) {
    if e.text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(last) if last.op == EditOp::Equal && e.op == EditOp::Equal => {
            last.text.push_str(&e.text)
        }
        _ => out.push(e),
    }
}

/// A deletion and an insertion as their common prefix, the differing
/// middles and their common suffix.
fn narrow(a: &WordEdit, b: &WordEdit, out: &mut Vec<WordEdit>) {
    let prefix = a
        .text
        .char_indices()
        .zip(b.text.chars())
        .take_while(|((_, x), y)| x == y)
        .last()
        .map_or(0, |((i, c), _)| i + c.len_utf8());
    let (ra, rb) = (&a.text[prefix..], &b.text[prefix..]);
    let suffix = ra
        .chars()
        .rev()
        .zip(rb.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(c, _)| c.len_utf8())
        .sum::<usize>();
    let equal = |t: &str| WordEdit {
        op: EditOp::Equal,
        text: t.to_string(),
    };
    push(out, equal(&a.text[..prefix]));
    for (e, rest) in [(a, ra), (b, rb)] {
        push(
            out,
            WordEdit {
                op: e.op,
                text: rest[..rest.len() - suffix].to_string(),
            },
        );
    }
    push(out, equal(&ra[ra.len() - suffix..]));
}

/// At most `max` characters of unchanged text: before the first edit
/// its tail (what leads up to the change), after the last its head, and
/// between edits head and tail halves, the cut marked with the count.
fn cut_equal(text: &str, max: usize, leading: bool, trailing: bool) -> String {
    let n = text.chars().count();
    if n <= max {
        return text.to_string();
    }
    let tail = |k: usize| -> String { text.chars().skip(n - k).collect() };
    let head = |k: usize| -> String { text.chars().take(k).collect() };
    if leading {
        format!("({} more characters) …{}", n - max, tail(max))
    } else if trailing {
        format!("{}{}", head(max), more(n - max))
    } else {
        let half = max / 2;
        format!("{}{} …{}", head(half), more(n - 2 * half), tail(half))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(op: EditOp, t: &str) -> WordEdit {
        WordEdit {
            op,
            text: t.to_string(),
        }
    }

    #[test]
    fn small_diffs_are_untouched() {
        let edits = vec![
            e(EditOp::Equal, "the "),
            e(EditOp::Delete, "old"),
            e(EditOp::Insert, "new"),
            e(EditOp::Equal, " rule"),
        ];
        assert_eq!(bound(&edits, TEXT), edits);
    }

    #[test]
    fn a_huge_replacement_is_narrowed_to_what_differs() {
        let a = format!("{}q{}", "x".repeat(5000), "y".repeat(5000));
        let b = format!("{}Z{}", "x".repeat(5000), "y".repeat(5000));
        let out = bound(&[e(EditOp::Delete, &a), e(EditOp::Insert, &b)], TEXT);
        assert_eq!(out[1], e(EditOp::Delete, "q"));
        assert_eq!(out[2], e(EditOp::Insert, "Z"));
        assert!(
            out[0].text.starts_with("(4800 more characters) …xx"),
            "{:?}",
            out[0]
        );
        assert!(
            out[3].text.ends_with("yy… (4800 more characters)"),
            "{:?}",
            out[3]
        );
        let len: usize = out.iter().map(|e| e.text.len()).sum();
        assert!(len < 600, "{len}");
    }

    #[test]
    fn many_edits_stop_at_the_total_with_a_count() {
        let mut edits = Vec::new();
        for _ in 0..1000 {
            edits.push(e(EditOp::Equal, "same words here "));
            edits.push(e(EditOp::Insert, "added "));
        }
        let out = bound(&edits, TEXT);
        let last = &out.last().unwrap().text;
        assert!(
            last.contains("more characters, ") && last.contains("more edits)"),
            "{last}"
        );
        let len: usize = out.iter().map(|e| e.text.chars().count()).sum();
        assert!(len < TEXT.total + 100, "{len}");
    }

    #[test]
    fn cuts_respect_multibyte_characters() {
        let a = "量".repeat(3000);
        let b = format!("{}子", "量".repeat(2999));
        let out = bound(&[e(EditOp::Delete, &a), e(EditOp::Insert, &b)], TEXT);
        assert_eq!(out[1], e(EditOp::Delete, "量"));
        assert_eq!(out[2], e(EditOp::Insert, "子"));
        assert!(cap(&a, 10).starts_with(&"量".repeat(10)));
    }
}
