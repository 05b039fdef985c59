//! Nesting a section's paragraphs by their markers: (a)(1)(i)(A).
//!
//! CFR paragraphs are flat in every XML format; their level is only in the
//! marker. `(i)` is ambiguous (the letter after `(h)`, or roman one), so a
//! marker is first tried as the *successor* of an open level (deepest
//! first), then as the *first* marker of a new, deeper level, then as a
//! later sibling at a level of its type (paragraphs elided by `* * *`).

use super::patterns::MARKER;
use crate::model::{Provision, ProvisionKind};

/// One paragraph of a section, as the format parser found it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Para {
    /// Flattened text, markers included.
    pub text: String,
    /// An italic lead ("Eligible destinations.") right after the marker.
    pub heading: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Lower,
    Digit,
    Roman,
    Upper,
}

fn roman_value(s: &str) -> Option<u32> {
    if s.is_empty() || !s.chars().all(|c| matches!(c, 'i' | 'v' | 'x' | 'l')) {
        return None;
    }
    let val = |c| match c {
        'i' => 1,
        'v' => 5,
        'x' => 10,
        _ => 50,
    };
    let chars: Vec<u32> = s.chars().map(val).collect();
    let mut total = 0;
    for (i, v) in chars.iter().enumerate() {
        if chars.get(i + 1).is_some_and(|n| n > v) {
            total -= *v as i64;
        } else {
            total += *v as i64;
        }
    }
    u32::try_from(total).ok()
}

fn letters_value(s: &str) -> Option<u32> {
    // a..z, then aa, bb, … as the CFR writes them.
    let first = s.chars().next()?;
    if !s.chars().all(|c| c == first) {
        return None;
    }
    let base = if first.is_ascii_lowercase() {
        first as u32 - 'a' as u32
    } else if first.is_ascii_uppercase() {
        first as u32 - 'A' as u32
    } else {
        return None;
    };
    Some(base + 1 + 26 * (s.len() as u32 - 1))
}

/// (type, ordinal) readings of a marker.
fn readings(m: &str) -> Vec<(Level, u32)> {
    let mut out = Vec::new();
    if let Ok(n) = m.parse::<u32>() {
        out.push((Level::Digit, n));
        return out;
    }
    if m.chars().all(|c| c.is_ascii_lowercase()) {
        if let Some(n) = letters_value(m) {
            out.push((Level::Lower, n));
        }
        if let Some(n) = roman_value(m) {
            out.push((Level::Roman, n));
        }
    } else if m.chars().all(|c| c.is_ascii_uppercase())
        && let Some(n) = letters_value(m)
    {
        out.push((Level::Upper, n));
    }
    out
}

/// Leading markers of a paragraph: `(a)(1) text` gives `["a", "1"]`;
/// `(c) Restrictions. (1) text` gives `["c", "1"]` when the heading is short.
fn leading_markers(text: &str, heading: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = MARKER.captures(rest) {
        let (Some(m), Some(all)) = (c.name("m"), c.get(0)) else {
            break;
        };
        out.push(m.as_str().to_string());
        rest = &rest[all.end()..];
        if out.len() == 1
            && let Some(h) = heading
            && let Some(after) = rest.strip_prefix(h)
        {
            let after = after.trim_start();
            if MARKER.is_match(after) {
                rest = after;
            }
        }
    }
    out
}

struct Open {
    level: Level,
    ordinal: u32,
    marker: String,
}

/// Builds the paragraph tree of `section` from its paragraphs.
pub(crate) fn build(section: &mut Provision, paras: Vec<Para>) {
    let mut stack: Vec<Open> = Vec::new();
    let mut introduces_list = false;
    for para in paras {
        let markers = leading_markers(&para.text, para.heading.as_deref());
        let ends_with_colon = para.text.trim_end().ends_with([':', '—']);
        if markers.is_empty() {
            let target = section.last_descendant_mut(stack.len());
            target.push_text(&para.text);
            introduces_list = ends_with_colon;
            continue;
        }
        let count = markers.len();
        for (i, m) in markers.into_iter().enumerate() {
            place(&mut stack, &m, introduces_list || i > 0);
            let id = format!(
                "{}{}",
                section.id,
                stack
                    .iter()
                    .map(|o| format!("({})", o.marker))
                    .collect::<String>()
            );
            let depth = stack.len();
            let parent = section.last_descendant_mut(depth - 1);
            let heading = if i == 0 {
                para.heading.clone().map(|h| super::text::heading(&h))
            } else {
                None
            };
            let mut node = Provision::new(id, ProvisionKind::Paragraph, heading);
            if i + 1 == count {
                node.push_text(&para.text);
            }
            parent.children.push(node);
        }
        introduces_list = ends_with_colon;
    }
}

/// Opens or moves to the level for marker `m`. After a paragraph ending
/// in a colon (`having:`), a first marker opens a deeper level even when it
/// could also continue an outer one: `(h) … (8) … having: (i) …` is roman.
fn place(stack: &mut Vec<Open>, m: &str, after_colon: bool) {
    let reads = readings(m);
    let open = |stack: &mut Vec<Open>, keep: usize, (level, ordinal): (Level, u32)| {
        stack.truncate(keep);
        stack.push(Open {
            level,
            ordinal,
            marker: m.to_string(),
        });
    };
    // The first marker of a level not yet open: a new, deeper level.
    let new_level = reads
        .iter()
        .find(|(l, n)| *n == 1 && !stack.iter().any(|o| o.level == *l))
        .copied();
    if after_colon && let Some(r) = new_level {
        open(stack, stack.len(), r);
        return;
    }
    // 1. successor of an open level, deepest first
    if let Some((depth, r)) = at_open_level(stack, &reads, |open, n| n == open + 1) {
        open(stack, depth, r);
        return;
    }
    // 2. a new, deeper level
    if let Some(r) = new_level {
        open(stack, stack.len(), r);
        return;
    }
    // 3. a later sibling at an open level of its type (elided paragraphs)
    if let Some((depth, r)) = at_open_level(stack, &reads, |open, n| n > open) {
        open(stack, depth, r);
        return;
    }
    // 4. a fresh top level (a section whose text starts mid-way, after * * *)
    if let Some(&r) = reads.first() {
        if stack.is_empty() || reads.iter().any(|(l, _)| stack[0].level == *l) {
            stack.clear();
        }
        open(stack, stack.len(), r);
    }
}

/// The deepest open level one of the marker's readings continues, with
/// `fits(open ordinal, reading ordinal)`: where to truncate, and the reading.
fn at_open_level(
    stack: &[Open],
    reads: &[(Level, u32)],
    fits: impl Fn(u32, u32) -> bool,
) -> Option<(usize, (Level, u32))> {
    (0..stack.len()).rev().find_map(|depth| {
        let o = &stack[depth];
        reads
            .iter()
            .find(|(l, n)| *l == o.level && fits(o.ordinal, *n))
            .map(|r| (depth, *r))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(p: &Provision, out: &mut Vec<String>) {
        for c in &p.children {
            out.push(c.id.clone());
            ids(c, out);
        }
    }

    fn tree(paras: &[&str]) -> Vec<String> {
        let mut s = Provision::new("§ 1.1", ProvisionKind::Section, None);
        build(
            &mut s,
            paras
                .iter()
                .map(|t| Para {
                    text: t.to_string(),
                    heading: None,
                })
                .collect(),
        );
        let mut out = Vec::new();
        ids(&s, &mut out);
        out
    }

    #[test]
    fn markers_nest_and_roman_i_is_resolved() {
        let got = tree(&[
            "(a) A.",
            "(1) One.",
            "(i) Roman.",
            "(ii) Two.",
            "(A) Cap.",
            "(2) Two.",
            "(b) B.",
            "(h) H.",
            "(i) Letter i.",
        ]);
        assert_eq!(
            got,
            [
                "§ 1.1(a)",
                "§ 1.1(a)(1)",
                "§ 1.1(a)(1)(i)",
                "§ 1.1(a)(1)(ii)",
                "§ 1.1(a)(1)(ii)(A)",
                "§ 1.1(a)(2)",
                "§ 1.1(b)",
                "§ 1.1(h)",
                "§ 1.1(i)",
            ]
        );
    }

    #[test]
    fn combined_markers_and_headings() {
        let mut s = Provision::new("§ 740.24", ProvisionKind::Section, None);
        build(
            &mut s,
            vec![
                Para {
                    text: "(c) Restrictions. (1) IEC may not be used.".into(),
                    heading: Some("Restrictions.".into()),
                },
                Para {
                    text: "(2) Nor here.".into(),
                    heading: None,
                },
                Para {
                    text: "Continuation text.".into(),
                    heading: None,
                },
            ],
        );
        let c = &s.children[0];
        assert_eq!(
            (c.id.as_str(), c.heading.as_deref()),
            ("§ 740.24(c)", Some("Restrictions"))
        );
        let ids: Vec<&str> = c.children.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["§ 740.24(c)(1)", "§ 740.24(c)(2)"]);
        assert!(c.children[1].text.ends_with("Continuation text."));
    }

    #[test]
    fn a_colon_introduces_a_deeper_list() {
        let got = tree(&[
            "(h) Parts:",
            "(8) Kits having:",
            "(i) Steering;",
            "(ii) Braking;",
            "(9) Computers.",
        ]);
        assert_eq!(
            got,
            [
                "§ 1.1(h)",
                "§ 1.1(h)(8)",
                "§ 1.1(h)(8)(i)",
                "§ 1.1(h)(8)(ii)",
                "§ 1.1(h)(9)"
            ]
        );
    }

    #[test]
    fn unmarked_sections_keep_text_on_the_section() {
        let mut s = Provision::new("§ 1.1", ProvisionKind::Section, None);
        build(
            &mut s,
            vec![Para {
                text: "As used in this chapter:".into(),
                heading: None,
            }],
        );
        assert!(s.children.is_empty());
        assert_eq!(s.text, "As used in this chapter:");
    }
}
