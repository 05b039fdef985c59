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
    /// The italic headings between designations the paragraph opens with,
    /// in order: `(b) <I>Requirements and Limitations</I>—(1) <I>Requirements
    /// for Using License Exception STA.</I> (i) …` gives the headings of
    /// (b) and (1). A heading counts only when another designation follows
    /// it, so it may be long.
    pub marker_headings: Vec<String>,
    /// Positions, among the designations the paragraph opens with, of the
    /// italic ones after the first (`… (A) <I>Prohibited items.</I>
    /// (<I>1</I>) For Cuba …` gives `[3]`).
    pub italic_designations: Vec<usize>,
    /// The inline run the paragraph opens with (`<B>3B001 …</B>`,
    /// `<E T="04">License Requirements</E>`, `<I>Items:</I>`), if any.
    pub lead: Option<Lead>,
    /// The first marker is set in italics (`(<I>1</I>)`): the fifth and
    /// sixth levels of a CFR paragraph, (a)(1)(i)(A)(<I>1</I>)(<I>i</I>).
    pub italic_marker: bool,
    /// The element was a list item (`LI`).
    pub list_item: bool,
    /// The element was a flush paragraph (`FP`, `FP-1`, `FP-2` …), the
    /// form eCFR gives CCL headings, labels and fields.
    pub flush: bool,
}

impl Para {
    /// A plain paragraph of text.
    pub(crate) fn plain(text: String) -> Para {
        Para {
            text,
            ..Para::default()
        }
    }
}

/// The inline run a paragraph opens with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lead {
    /// How it is set.
    pub style: LeadStyle,
    /// Its text.
    pub text: String,
    /// Nothing but this run is in the paragraph.
    pub whole: bool,
}

/// Inline styles a lead run can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LeadStyle {
    /// `<B>`.
    Bold,
    /// `<E T="..">`.
    Emphasis,
    /// `<I>`.
    Italic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Lower,
    Digit,
    Roman,
    Upper,
    /// `(<I>1</I>)`: the fifth level.
    ItalicDigit,
    /// `(<I>i</I>)`: the sixth level.
    ItalicRoman,
    /// `(<I>a</I>)`, rare.
    ItalicLower,
}

/// The CFR's order of levels: (a)(1)(i)(A)(<I>1</I>)(<I>i</I>). When the
/// italics are lost (plain text), the fifth and sixth levels read as
/// digits and romans again.
fn canonical(depth: usize) -> &'static [Level] {
    match depth {
        0 => &[Level::Lower],
        1 => &[Level::Digit],
        2 => &[Level::Roman],
        3 => &[Level::Upper],
        4 => &[Level::ItalicDigit, Level::Digit],
        5 => &[Level::ItalicRoman, Level::ItalicLower, Level::Roman],
        _ => &[],
    }
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
fn readings(m: &str, italic: bool) -> Vec<(Level, u32)> {
    let mut out = Vec::new();
    if let Ok(n) = m.parse::<u32>() {
        out.push((
            if italic {
                Level::ItalicDigit
            } else {
                Level::Digit
            },
            n,
        ));
        return out;
    }
    if m.chars().all(|c| c.is_ascii_lowercase()) {
        let (lower, roman) = if italic {
            (Level::ItalicLower, Level::ItalicRoman)
        } else {
            (Level::Lower, Level::Roman)
        };
        // An italic `(i)` is the sixth level's roman one far more often
        // than a letter; try that reading first.
        if italic && let Some(n) = roman_value(m) {
            out.push((roman, n));
        }
        if let Some(n) = letters_value(m) {
            out.push((lower, n));
        }
        if !italic && let Some(n) = roman_value(m) {
            out.push((roman, n));
        }
    } else if m.chars().all(|c| c.is_ascii_uppercase())
        && let Some(n) = letters_value(m)
    {
        out.push((Level::Upper, n));
    }
    out
}

/// Leading markers of a paragraph: `(a)(1) text` gives `["a", "1"]`;
/// `(c) Restrictions. (1) text` gives `["c", "1"]` when the heading is short
/// or another designation follows it. `headings` are the paragraph's
/// [`Para::marker_headings`]; `heading` its italic lead.
fn leading_markers(text: &str, heading: Option<&str>, headings: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = MARKER.captures(rest) {
        let (Some(m), Some(all)) = (c.name("m"), c.get(0)) else {
            break;
        };
        out.push(m.as_str().to_string());
        rest = &rest[all.end()..];
        // "(c) Restrictions. (1) …", "(h) Special provisions—(1) …" and
        // "(b) Requirements—(1) Requirements for STA. (i) …".
        let h = headings
            .get(out.len() - 1)
            .map(String::as_str)
            .or(heading.filter(|_| out.len() == 1));
        if let Some(h) = h
            && let Some(after) = rest.strip_prefix(h)
        {
            let after = after.trim_start();
            let after = after.strip_prefix('—').unwrap_or(after).trim_start();
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
///
/// A designation the parser cannot settle is marked
/// [`Provision::uncertain`] rather than guessed: a marker that skips
/// numbers or fits no open level, and a marker the section already gave at
/// the same place (the eCFR repeats a paragraph now and then; the repeat's
/// text joins the first, so ids stay unique without invented suffixes).
pub(crate) fn build(section: &mut Provision, paras: Vec<Para>) {
    let mut stack: Vec<Open> = Vec::new();
    let mut introduces_list = false;
    for para in paras {
        let markers = leading_markers(&para.text, para.heading.as_deref(), &para.marker_headings);
        let ends_with_colon = para.text.trim_end().ends_with([':', '—']);
        if markers.is_empty() {
            let target = section.last_descendant_mut(stack.len());
            target.push_text(&para.text);
            introduces_list = ends_with_colon;
            continue;
        }
        let count = markers.len();
        for (i, m) in markers.into_iter().enumerate() {
            let italic = (i == 0 && para.italic_marker) || para.italic_designations.contains(&i);
            let sure = place(&mut stack, &m, italic, introduces_list || i > 0);
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
            let last = i + 1 == count;
            if let Some(existing) = parent.children.iter_mut().find(|c| c.id == id) {
                // Already given: keep one provision, flag it, lose no text.
                existing.uncertain = true;
                if last {
                    existing.push_text(&para.text);
                }
                // Later markers nest under the first; move it last so the
                // next paragraphs find it on the last-child path.
                if let Some(pos) = parent.children.iter().position(|c| c.id == id) {
                    let node = parent.children.remove(pos);
                    parent.children.push(node);
                }
                continue;
            }
            // The heading right after this designation: its own in a
            // chain, else the paragraph's italic lead for the first.
            let heading = para
                .marker_headings
                .get(i)
                .cloned()
                .or_else(|| para.heading.clone().filter(|_| i == 0))
                .map(|h| super::text::heading(&h));
            let mut node = Provision::new(id, ProvisionKind::Paragraph, heading);
            node.uncertain = !sure;
            if last {
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
/// Returns false when the placement is a guess (numbers skipped, or no
/// open level fits).
fn place(stack: &mut Vec<Open>, m: &str, italic: bool, after_colon: bool) -> bool {
    let reads = readings(m, italic);
    let open = |stack: &mut Vec<Open>, keep: usize, (level, ordinal): (Level, u32)| {
        stack.truncate(keep);
        stack.push(Open {
            level,
            ordinal,
            marker: m.to_string(),
        });
    };
    // The first marker of a level not yet open, or of the level the CFR's
    // order puts next ((A) then (1)): a new, deeper level.
    let new_level = reads
        .iter()
        .find(|(l, n)| {
            *n == 1 && (!stack.iter().any(|o| o.level == *l) || canonical(stack.len()).contains(l))
        })
        .copied();
    if after_colon && let Some(r) = new_level {
        open(stack, stack.len(), r);
        return true;
    }
    // 1. successor of an open level, deepest first
    if let Some((depth, r)) = at_open_level(stack, &reads, |open, n| n == open + 1) {
        open(stack, depth, r);
        return true;
    }
    // 2. a new, deeper level
    if let Some(r) = new_level {
        open(stack, stack.len(), r);
        return true;
    }
    // A marker repeated at an open level (the eCFR prints § 740.21(b)(2)
    // twice): the same place again, which the caller flags.
    if let Some((depth, r)) = at_open_level(stack, &reads, |open, n| n == open) {
        open(stack, depth, r);
        return false;
    }
    // 3. a later sibling at an open level of its type (elided paragraphs)
    if let Some((depth, r)) = at_open_level(stack, &reads, |open, n| n > open) {
        open(stack, depth, r);
        return false;
    }
    // 4. a fresh top level (a section whose text starts mid-way, after * * *)
    if let Some(&r) = reads.first() {
        let top = stack.is_empty();
        if top || reads.iter().any(|(l, _)| stack[0].level == *l) {
            stack.clear();
        }
        open(stack, stack.len(), r);
        // The first marker of a section is sure; anything else here is not.
        return top;
    }
    false
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
            paras.iter().map(|t| Para::plain(t.to_string())).collect(),
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
                    ..Para::default()
                },
                Para {
                    text: "(2) Nor here.".into(),
                    heading: None,
                    ..Para::default()
                },
                Para {
                    text: "Continuation text.".into(),
                    heading: None,
                    ..Para::default()
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
                ..Para::default()
            }],
        );
        assert!(s.children.is_empty());
        assert_eq!(s.text, "As used in this chapter:");
    }

    fn node<'a>(p: &'a Provision, id: &str) -> &'a Provision {
        fn find<'a>(p: &'a Provision, id: &str) -> Option<&'a Provision> {
            if p.id == id {
                return Some(p);
            }
            p.children.iter().find_map(|c| find(c, id))
        }
        find(p, id).unwrap_or_else(|| panic!("no {id}"))
    }

    #[test]
    fn a_repeated_marker_joins_the_first_and_is_uncertain() {
        // § 740.21(b) of the eCFR prints its paragraph (2) twice.
        let mut s = Provision::new("§ 740.21", ProvisionKind::Section, None);
        let paras = [
            "(b) Items:",
            "(1) Private sector.",
            "(2) Sold directly.",
            "(2) Sold directly.",
            "(c) Civil society.",
        ];
        build(
            &mut s,
            paras.iter().map(|t| Para::plain(t.to_string())).collect(),
        );
        let mut got = Vec::new();
        ids(&s, &mut got);
        assert_eq!(
            got,
            [
                "§ 740.21(b)",
                "§ 740.21(b)(1)",
                "§ 740.21(b)(2)",
                "§ 740.21(c)"
            ]
        );
        let two = node(&s, "§ 740.21(b)(2)");
        assert!(two.uncertain);
        assert_eq!(two.text, "(2) Sold directly.\n\n(2) Sold directly.");
        assert!(!node(&s, "§ 740.21(b)(1)").uncertain);
    }

    #[test]
    fn a_skipped_number_is_kept_but_uncertain() {
        let mut s = Provision::new("§ 1.1", ProvisionKind::Section, None);
        let paras = ["(a) A.", "(1) One.", "(4) Four."];
        build(
            &mut s,
            paras.iter().map(|t| Para::plain(t.to_string())).collect(),
        );
        assert!(node(&s, "§ 1.1(a)(4)").uncertain);
        assert!(!node(&s, "§ 1.1(a)(1)").uncertain);
    }

    #[test]
    fn italic_markers_are_the_fifth_and_sixth_levels() {
        let mut s = Provision::new("§ 740.17", ProvisionKind::Section, None);
        let p = |t: &str, italic: bool| Para {
            text: t.to_string(),
            italic_marker: italic,
            ..Para::default()
        };
        build(
            &mut s,
            vec![
                p("(b) B.", false),
                p("(2) Two.", false),
                p("(i) Roman.", false),
                p("(A) Cap:", false),
                p("(1) Italic one.", true),
                p("(5) Italic five, where:", true),
                p("(i) Italic roman.", true),
                p("(ii) Italic roman two.", true),
                p("(B) Cap two.", false),
                p("(ii) Roman two.", false),
            ],
        );
        let mut got = Vec::new();
        ids(&s, &mut got);
        assert_eq!(
            got,
            [
                "§ 740.17(b)",
                "§ 740.17(b)(2)",
                "§ 740.17(b)(2)(i)",
                "§ 740.17(b)(2)(i)(A)",
                "§ 740.17(b)(2)(i)(A)(1)",
                "§ 740.17(b)(2)(i)(A)(5)",
                "§ 740.17(b)(2)(i)(A)(5)(i)",
                "§ 740.17(b)(2)(i)(A)(5)(ii)",
                "§ 740.17(b)(2)(i)(B)",
                "§ 740.17(b)(2)(ii)",
            ]
        );
        // Skipping (2)–(4) at the italic level is a guess, said so.
        assert!(node(&s, "§ 740.17(b)(2)(i)(A)(5)").uncertain);
    }

    #[test]
    fn plain_digits_after_a_capital_open_the_fifth_level() {
        let got = tree(&[
            "(a) A.",
            "(1) One.",
            "(i) Roman.",
            "(A) Cap.",
            "(1) Five.",
            "(2) Five two.",
            "(B) Cap two.",
        ]);
        assert_eq!(
            got,
            [
                "§ 1.1(a)",
                "§ 1.1(a)(1)",
                "§ 1.1(a)(1)(i)",
                "§ 1.1(a)(1)(i)(A)",
                "§ 1.1(a)(1)(i)(A)(1)",
                "§ 1.1(a)(1)(i)(A)(2)",
                "§ 1.1(a)(1)(i)(B)",
            ]
        );
    }

    #[test]
    fn a_heading_ended_by_an_em_dash_carries_the_next_marker() {
        let el = crate::parse::xml::parse(
            "<P>(h) <I>Special provisions: personal protective equipment classified under ECCN 1A613.c or .d</I>\u{2014}(1) <I>Exports.</I> U.S. persons may export.</P>",
        )
        .unwrap_or_default();
        let para = crate::parse::blocks::para(&el);
        assert_eq!(
            para.heading.as_deref(),
            Some(
                "Special provisions: personal protective equipment classified under ECCN 1A613.c or .d"
            )
        );
        let mut s = Provision::new("§ 740.14", ProvisionKind::Section, None);
        build(&mut s, vec![para, Para::plain("(2) Two.".into())]);
        let mut got = Vec::new();
        ids(&s, &mut got);
        assert_eq!(got, ["§ 740.14(h)", "§ 740.14(h)(1)", "§ 740.14(h)(2)"]);
        assert_eq!(
            node(&s, "§ 740.14(h)").heading.as_deref(),
            Some(
                "Special provisions: personal protective equipment classified under ECCN 1A613.c or .d"
            )
        );
    }
}
