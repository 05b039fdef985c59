//! Structural diff: which provisions were added, removed, reworded, moved
//! or redesignated.
//!
//! Provisions are matched in three passes, cheapest and surest first:
//! 1. **by citation**: the same id on both sides. Byte-equal pairs are
//!    settled at once (most of a large document), formatting-equal pairs
//!    become [`FormattingChange`]s;
//! 2. **by identical content**: an unsettled provision whose (long enough,
//!    unique) text reappears under another id was redesignated or moved —
//!    this is what keeps an inserted paragraph from turning every later
//!    paragraph into a "modification";
//! 3. **by similar content**: word-set overlap above [`MIN_SIMILARITY`]
//!    pairs the rest (moved *and* reworded).
//!
//! Whatever is left was added or removed; an added provision is reported
//! once at its top, with its sub-provisions folded in.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use super::normalize::{classify, normalize};
use super::words::{excerpt_pair, word_diff};
use super::{Change, ChangeKind, Diff, Evidence, FormattingChange, FormattingScope};
use crate::model::Provision;
#[cfg(test)]
use crate::model::ProvisionKind;

/// Texts shorter than this (normalised bytes) are too generic ("[Reserved]",
/// "(a) General.") to prove a move by content.
const MIN_MATCH_LEN: usize = 40;

/// Word-set overlap (Dice coefficient) above which two unmatched
/// provisions are taken to be the same one, moved and reworded.
pub const MIN_SIMILARITY: f32 = 0.7;

/// Above this many candidate pairs, pass 3 is skipped (its cost is
/// quadratic); the rest is reported as added and removed.
const MAX_SIMILARITY_PAIRS: usize = 250_000;

/// A provision with its place in the tree, flattened for matching.
struct Flat<'a> {
    p: &'a Provision,
    parent: Option<usize>,
    /// Normalised text, computed only when needed.
    norm: Option<String>,
}

impl Flat<'_> {
    fn norm(&mut self) -> &str {
        if self.norm.is_none() {
            self.norm = Some(normalize(&self.p.text));
        }
        self.norm.as_deref().unwrap_or_default()
    }

    /// The normalised text without its leading designation ("(b)",
    /// "(b)(1)", "c.1.a."): what stays the same when a paragraph is
    /// redesignated.
    fn body(&mut self) -> &str {
        strip_designation(self.norm())
    }
}

/// Removes the paragraph designation a provision's text starts with.
pub fn strip_designation(s: &str) -> &str {
    let mut rest = s.trim_start();
    while let Some(inner) = rest.strip_prefix('(') {
        match inner.find(')') {
            Some(end) if end > 0 && end <= 6 && inner[..end].chars().all(char::is_alphanumeric) => {
                rest = inner[end + 1..].trim_start();
            }
            _ => break,
        }
    }
    // CCL item designations: "c.1.a. Equipment …".
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() && i - start < 4 {
            i += 1;
        }
        if i == start || i >= bytes.len() || bytes[i] != b'.' {
            break;
        }
        i += 1;
        if bytes.get(i) == Some(&b' ') {
            return rest[i + 1..].trim_start();
        }
    }
    rest
}

fn flatten(ps: &[Provision]) -> Vec<Flat<'_>> {
    fn walk<'a>(ps: &'a [Provision], parent: Option<usize>, out: &mut Vec<Flat<'a>>) {
        for p in ps {
            let me = out.len();
            out.push(Flat {
                p,
                parent,
                norm: None,
            });
            walk(&p.children, Some(me), out);
        }
    }
    let mut out = Vec::new();
    walk(ps, None, &mut out);
    out
}

/// How a provision was matched.
#[derive(Clone, Copy, PartialEq)]
enum Fate {
    Open,
    /// Paired with this index on the other side.
    Same(usize),
    Moved(usize, f32),
}

/// Compares two provision trees and appends the findings to `diff`.
/// Returns the provisions that moved or were redesignated, as (old id,
/// new id), so later passes (named lists) can follow them.
pub fn compare(
    before: &[Provision],
    after: &[Provision],
    document: Option<&str>,
    diff: &mut Diff,
) -> Vec<(String, String)> {
    let mut moves = Vec::new();
    let mut b = flatten(before);
    let mut a = flatten(after);
    let mut fate_b = vec![Fate::Open; b.len()];
    let mut fate_a = vec![Fate::Open; a.len()];

    // Pass 1: by citation.
    let a_index: HashMap<&str, usize> = a
        .iter()
        .enumerate()
        .map(|(i, f)| (f.p.id.as_str(), i))
        .collect();
    let mut id_pairs: Vec<(usize, usize)> = Vec::new();
    for (bi, fb) in b.iter_mut().enumerate() {
        let Some(&ai) = a_index.get(fb.p.id.as_str()) else {
            continue;
        };
        let fa = &mut a[ai];
        if fb.p.text == fa.p.text && fb.p.heading == fa.p.heading {
            fate_b[bi] = Fate::Same(ai);
            fate_a[ai] = Fate::Same(bi);
        } else if fb.norm() == fa.norm() && same_heading(fb.p, fa.p) {
            fate_b[bi] = Fate::Same(ai);
            fate_a[ai] = Fate::Same(bi);
            diff.formatting_only.push(formatting(fb.p, fa.p, document));
        } else {
            id_pairs.push((bi, ai));
        }
    }

    // Pass 2: identical content under another id. Only texts unique on
    // their side count, so boilerplate never pairs up.
    let open_b: Vec<usize> = (0..b.len()).filter(|&i| fate_b[i] == Fate::Open).collect();
    let open_a: Vec<usize> = (0..a.len()).filter(|&i| fate_a[i] == Fate::Open).collect();
    let unique = |side: &mut [Flat<'_>], open: &[usize]| -> HashMap<String, Option<usize>> {
        let mut m: HashMap<String, Option<usize>> = HashMap::new();
        for &i in open {
            let n = side[i].body();
            if n.len() < MIN_MATCH_LEN {
                continue;
            }
            m.entry(n.to_string())
                .and_modify(|v| *v = None)
                .or_insert(Some(i));
        }
        m
    };
    let by_text_b = unique(&mut b, &open_b);
    let by_text_a = unique(&mut a, &open_a);
    for (text, bi) in &by_text_b {
        let (Some(bi), Some(Some(ai))) = (bi, by_text_a.get(text)) else {
            continue;
        };
        if b[*bi].p.id != a[*ai].p.id && b[*bi].p.kind == a[*ai].p.kind {
            fate_b[*bi] = Fate::Moved(*ai, 1.0);
            fate_a[*ai] = Fate::Moved(*bi, 1.0);
        }
    }

    // Same-id pairs whose sides were not claimed by a move: reworded.
    for &(bi, ai) in &id_pairs {
        if fate_b[bi] == Fate::Open && fate_a[ai] == Fate::Open {
            fate_b[bi] = Fate::Same(ai);
            fate_a[ai] = Fate::Same(bi);
        }
    }

    // Pass 3: similar content.
    let open_b: Vec<usize> = (0..b.len())
        .filter(|&i| fate_b[i] == Fate::Open && !b[i].p.text.is_empty())
        .collect();
    let open_a: Vec<usize> = (0..a.len())
        .filter(|&i| fate_a[i] == Fate::Open && !a[i].p.text.is_empty())
        .collect();
    let pairs = open_b.len() * open_a.len();
    if pairs > MAX_SIMILARITY_PAIRS {
        diff.warnings.push(format!(
            "{} unmatched provisions on each side are too many to compare by content \
             ({pairs} pairs); they are reported as removed and added{}",
            open_b.len().min(open_a.len()),
            document.map(|d| format!(" (in {d})")).unwrap_or_default()
        ));
    } else if pairs > 0 {
        let words_b: Vec<Vec<u64>> = open_b.iter().map(|&i| word_set(b[i].body())).collect();
        let words_a: Vec<Vec<u64>> = open_a.iter().map(|&i| word_set(a[i].body())).collect();
        let mut candidates: Vec<(f32, usize, usize)> = Vec::new();
        for (x, &bi) in open_b.iter().enumerate() {
            for (y, &ai) in open_a.iter().enumerate() {
                if b[bi].p.kind != a[ai].p.kind {
                    continue;
                }
                let s = dice(&words_b[x], &words_a[y]);
                if s >= MIN_SIMILARITY {
                    candidates.push((s, bi, ai));
                }
            }
        }
        candidates.sort_by(|x, y| y.0.total_cmp(&x.0));
        for (s, bi, ai) in candidates {
            if fate_b[bi] == Fate::Open && fate_a[ai] == Fate::Open {
                fate_b[bi] = Fate::Moved(ai, s);
                fate_a[ai] = Fate::Moved(bi, s);
            }
        }
    }

    // Pass 4: a container whose children moved together moved too
    // (§ 740.24 redesignated § 740.25), and the rest of its children
    // follow it by their place under it.
    for bi in (0..b.len()).rev() {
        if fate_b[bi] != Fate::Open || b[bi].p.children.is_empty() {
            continue;
        }
        let kids: Vec<usize> = (bi + 1..b.len())
            .filter(|&c| b[c].parent == Some(bi))
            .collect();
        let mut votes: HashMap<usize, usize> = HashMap::new();
        for &c in &kids {
            if let Fate::Moved(ac, _) = fate_b[c]
                && let Some(ap) = a[ac].parent
            {
                *votes.entry(ap).or_default() += 1;
            }
        }
        let best = votes
            .into_iter()
            .filter(|&(ap, _)| fate_a[ap] == Fate::Open && a[ap].p.kind == b[bi].p.kind)
            .max_by_key(|&(ap, n)| (n, std::cmp::Reverse(ap)));
        if let Some((ap, n)) = best
            && 2 * n > kids.len()
        {
            let share = n as f32 / kids.len() as f32;
            fate_b[bi] = Fate::Moved(ap, share);
            fate_a[ap] = Fate::Moved(bi, share);
        }
    }
    for bi in 0..b.len() {
        let Fate::Moved(ai, _) = fate_b[bi] else {
            continue;
        };
        for c in (bi + 1..b.len()).filter(|&c| b[c].parent == Some(bi)) {
            if fate_b[c] != Fate::Open {
                continue;
            }
            let Some(rest) = b[c].p.id.strip_prefix(b[bi].p.id.as_str()) else {
                continue;
            };
            let target = (ai + 1..a.len()).find(|&x| {
                a[x].parent == Some(ai)
                    && fate_a[x] == Fate::Open
                    && a[x].p.kind == b[c].p.kind
                    && a[x].p.id.strip_prefix(a[ai].p.id.as_str()) == Some(rest)
            });
            if let Some(x) = target {
                fate_b[c] = Fate::Moved(x, 1.0);
                fate_a[x] = Fate::Moved(c, 1.0);
            }
        }
    }
    for (bi, fate) in fate_b.iter().enumerate() {
        if let Fate::Moved(ai, _) = fate
            && b[bi].p.id != a[*ai].p.id
        {
            moves.push((b[bi].p.id.clone(), a[*ai].p.id.clone()));
        }
    }

    // Report, in the new version's order (removals where they stood).
    let mut changes: Vec<(usize, usize, Change)> = Vec::new();
    for (ai, fate) in fate_a.iter().enumerate() {
        match *fate {
            Fate::Same(bi) => {
                let (pb, pa) = (b[bi].p, a[ai].p);
                if pb.text == pa.text && pb.heading == pa.heading {
                    continue;
                }
                if b[bi].norm() == a[ai].norm() && same_heading(pb, pa) {
                    continue; // already recorded as formatting
                }
                changes.push((ai, 0, changed(ChangeKind::Modified, pb, pa, document, None)));
            }
            Fate::Moved(bi, s) => {
                if implied_by_parent(&b, &a, &fate_a, bi, ai) {
                    continue;
                }
                let same_parent = match (b[bi].parent, a[ai].parent) {
                    (Some(pb), Some(pa)) => b[pb].p.id == a[pa].p.id,
                    (None, None) => true,
                    _ => false,
                };
                let kind = if same_parent {
                    ChangeKind::Renumbered
                } else {
                    ChangeKind::Moved
                };
                let similarity = (s < 1.0).then(|| (f64::from(s) * 100.0).round() / 100.0);
                changes.push((ai, 0, changed(kind, b[bi].p, a[ai].p, document, similarity)));
            }
            Fate::Open => {
                if a[ai].parent.is_some_and(|p| fate_a[p] == Fate::Open) {
                    continue; // folded into its added parent
                }
                changes.push((ai, 0, whole(ChangeKind::Added, a[ai].p, document)));
            }
        }
    }
    for (bi, fate) in fate_b.iter().enumerate() {
        if *fate != Fate::Open || b[bi].parent.is_some_and(|p| fate_b[p] == Fate::Open) {
            continue;
        }
        // Place the removal after the new-side position of its nearest
        // surviving predecessor, so output follows the document.
        let anchor = (0..bi)
            .rev()
            .find_map(|j| match fate_b[j] {
                Fate::Same(ai) | Fate::Moved(ai, _) => Some(ai),
                Fate::Open => None,
            })
            .unwrap_or(0);
        let removed = whole(ChangeKind::Removed, b[bi].p, document);
        changes.push((anchor, 1 + bi, removed));
    }
    changes.sort_by_key(|(pos, sub, _)| (*pos, *sub));
    diff.changes.extend(changes.into_iter().map(|(_, _, c)| c));
    moves
}

/// An added or removed provision, reported once with its sub-provisions.
fn whole(kind: ChangeKind, p: &Provision, document: Option<&str>) -> Change {
    let text = Some(subtree_text(p));
    let added = kind == ChangeKind::Added;
    Change {
        document: document.map(str::to_string),
        level: Some(p.kind),
        heading: p.heading.clone(),
        before: if added { None } else { text.clone() },
        after: if added { text } else { None },
        descendants: count_descendants(p),
        ..Change::new(kind, p.id.clone())
    }
}

/// A moved child of a moved parent, keeping its place and wording under
/// it, is part of the parent's move, not news of its own.
fn implied_by_parent(
    b: &[Flat<'_>],
    a: &[Flat<'_>],
    fate_a: &[Fate],
    bi: usize,
    ai: usize,
) -> bool {
    let (Some(pb), Some(pa)) = (b[bi].parent, a[ai].parent) else {
        return false;
    };
    if !matches!(fate_a[pa], Fate::Moved(x, _) if x == pb) {
        return false;
    }
    let rest_b = b[bi].p.id.strip_prefix(b[pb].p.id.as_str());
    let rest_a = a[ai].p.id.strip_prefix(a[pa].p.id.as_str());
    rest_b.is_some()
        && rest_b == rest_a
        && b[bi].p.text == a[ai].p.text
        && same_heading(b[bi].p, a[ai].p)
}

fn same_heading(x: &Provision, y: &Provision) -> bool {
    match (&x.heading, &y.heading) {
        (Some(hx), Some(hy)) => hx == hy || normalize(hx) == normalize(hy),
        (None, None) => true,
        _ => false,
    }
}

fn changed(
    kind: ChangeKind,
    before: &Provision,
    after: &Provision,
    document: Option<&str>,
    similarity: Option<f64>,
) -> Change {
    let (nb, na) = (normalize(&before.text), normalize(&after.text));
    // A redesignated paragraph's new marker is the move itself, not news.
    let text_changed = if kind == ChangeKind::Modified {
        nb != na
    } else {
        strip_designation(&nb) != strip_designation(&na)
    };
    let heading_changed = !same_heading(before, after);
    Change {
        before_provision: (kind != ChangeKind::Modified).then(|| before.id.clone()),
        document: document.map(str::to_string),
        level: Some(after.kind),
        heading: after.heading.clone(),
        before_heading: heading_changed.then(|| before.heading.clone().unwrap_or_default()),
        before: Some(before.text.clone()),
        after: Some(after.text.clone()),
        words: if text_changed {
            word_diff(&before.text, &after.text)
        } else {
            Vec::new()
        },
        similarity,
        ..Change::new(kind, after.id.clone())
    }
}

fn formatting(before: &Provision, after: &Provision, document: Option<&str>) -> FormattingChange {
    let mut kinds = classify(&before.text, &after.text);
    if let (Some(hb), Some(ha)) = (&before.heading, &after.heading) {
        for k in classify(hb, ha) {
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
    }
    kinds.sort();
    let (eb, ea) = if before.text != after.text {
        excerpt_pair(&before.text, &after.text)
    } else {
        (
            before.heading.clone().unwrap_or_default(),
            after.heading.clone().unwrap_or_default(),
        )
    };
    FormattingChange {
        scope: FormattingScope::Provision,
        document: document.map(str::to_string),
        provision: Some(after.id.clone()),
        kinds,
        places: 1,
        example: Evidence {
            before: Some(eb),
            after: Some(ea),
        },
    }
}

/// A provision's own text followed by its sub-provisions' (headings
/// included): what an added or removed provision contained.
pub fn subtree_text(p: &Provision) -> String {
    fn walk(p: &Provision, out: &mut String, top: bool) {
        if !top && let Some(h) = &p.heading {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(h);
        }
        if !p.text.is_empty() {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&p.text);
        }
        for c in &p.children {
            walk(c, out, false);
        }
    }
    let mut out = String::new();
    walk(p, &mut out, true);
    out
}

fn count_descendants(p: &Provision) -> usize {
    p.children.iter().map(|c| 1 + count_descendants(c)).sum()
}

/// Distinct lower-cased words of a text, hashed and sorted.
fn word_set(text: &str) -> Vec<u64> {
    let mut set: HashSet<u64> = HashSet::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut h = DefaultHasher::new();
        w.to_lowercase().hash(&mut h);
        set.insert(h.finish());
    }
    let mut v: Vec<u64> = set.into_iter().collect();
    v.sort_unstable();
    v
}

/// Dice coefficient of two sorted sets.
fn dice(x: &[u64], y: &[u64]) -> f32 {
    if x.is_empty() && y.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * both as f32 / (x.len() + y.len()) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(id: &str, text: &str) -> Provision {
        let mut p = Provision::new(id, ProvisionKind::Paragraph, None);
        p.push_text(text);
        p
    }

    fn section(id: &str, children: Vec<Provision>) -> Provision {
        let mut s = Provision::new(id, ProvisionKind::Section, Some(format!("{id} Fees.")));
        s.children = children;
        s
    }

    fn run(before: Vec<Provision>, after: Vec<Provision>) -> Diff {
        let mut d = Diff::default();
        compare(&before, &after, None, &mut d);
        d
    }

    const A: &str = "(a) Filing fee for an international application, per application.";
    const B: &str = "(b) Search fee where the Office is the searching authority, per application.";
    const C: &str = "(c) Transmittal fee for each international application filed with the Office.";

    #[test]
    fn identical_trees_have_no_changes() {
        let t = vec![section("§ 1.16", vec![para("§ 1.16(a)", A)])];
        let d = run(t.clone(), t);
        assert!(d.changes.is_empty() && d.formatting_only.is_empty());
    }

    #[test]
    fn reworded_paragraph_is_modified_with_words() {
        let before = vec![section("§ 1.16", vec![para("§ 1.16(a)", A)])];
        let after = vec![section(
            "§ 1.16",
            vec![para(
                "§ 1.16(a)",
                &A.replace("per application", "per claim"),
            )],
        )];
        let d = run(before, after);
        assert_eq!(d.changes.len(), 1);
        let c = &d.changes[0];
        assert_eq!(
            (c.kind, c.provision.as_str()),
            (ChangeKind::Modified, "§ 1.16(a)")
        );
        assert!(
            c.words
                .iter()
                .any(|w| w.op == super::super::EditOp::Insert && w.text.contains("claim"))
        );
    }

    #[test]
    fn inserted_paragraph_renumbers_the_rest_instead_of_rewriting_them() {
        let before = vec![section(
            "§ 1.16",
            vec![para("§ 1.16(a)", A), para("§ 1.16(b)", B)],
        )];
        let new_b = "(b) A new fee for requesting expedited examination, per application.";
        let after = vec![section(
            "§ 1.16",
            vec![
                para("§ 1.16(a)", A),
                para("§ 1.16(b)", new_b),
                para("§ 1.16(c)", &B.replace("(b)", "(c)")),
            ],
        )];
        let d = run(before, after);
        let kinds: Vec<(ChangeKind, &str)> = d
            .changes
            .iter()
            .map(|c| (c.kind, c.provision.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (ChangeKind::Added, "§ 1.16(b)"),
                (ChangeKind::Renumbered, "§ 1.16(c)")
            ]
        );
        assert_eq!(d.changes[1].before_provision.as_deref(), Some("§ 1.16(b)"));
    }

    #[test]
    fn redesignated_section_moves_with_its_paragraphs() {
        let before = vec![section(
            "§ 740.24",
            vec![
                para("§ 740.24(a)", A),
                para("§ 740.24(b)", B),
                para("§ 740.24(c)", "(c) [Reserved]"),
            ],
        )];
        let after = vec![section(
            "§ 740.25",
            vec![
                para("§ 740.25(a)", A),
                para("§ 740.25(b)", B),
                para("§ 740.25(c)", "(c) [Reserved]"),
            ],
        )];
        let mut d = Diff::default();
        let moves = compare(&before, &after, None, &mut d);
        let kinds: Vec<(ChangeKind, &str)> = d
            .changes
            .iter()
            .map(|c| (c.kind, c.provision.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [(ChangeKind::Renumbered, "§ 740.25")],
            "{:#?}",
            d.changes
        );
        assert!(moves.contains(&("§ 740.24(b)".to_string(), "§ 740.25(b)".to_string())));
    }

    #[test]
    fn designations_are_stripped_for_matching() {
        assert_eq!(strip_designation("(b)(1) Text"), "Text");
        assert_eq!(strip_designation("c.1.a. Equipment"), "Equipment");
        assert_eq!(strip_designation("(Reserved) x"), "(Reserved) x");
        assert_eq!(strip_designation("Plain text."), "Plain text.");
    }

    #[test]
    fn added_section_is_reported_once_with_its_paragraphs() {
        let before = vec![section("§ 1.16", vec![para("§ 1.16(a)", A)])];
        let mut after = before.clone();
        after.push(section(
            "§ 1.17",
            vec![para("§ 1.17(a)", B), para("§ 1.17(b)", C)],
        ));
        let d = run(before, after);
        assert_eq!(d.changes.len(), 1);
        assert_eq!(d.changes[0].kind, ChangeKind::Added);
        assert_eq!(d.changes[0].descendants, 2);
        assert!(
            d.changes[0]
                .after
                .as_deref()
                .unwrap_or("")
                .contains("Transmittal")
        );
    }

    #[test]
    fn removed_and_moved_provisions() {
        let before = vec![
            section("§ 1.16", vec![para("§ 1.16(a)", A), para("§ 1.16(b)", B)]),
            section("§ 1.17", vec![]),
        ];
        let after = vec![
            section("§ 1.16", vec![para("§ 1.16(a)", A)]),
            section(
                "§ 1.17",
                vec![para(
                    "§ 1.17(a)",
                    &B.replace("per application", "for each application"),
                )],
            ),
        ];
        let d = run(before, after);
        assert_eq!(d.changes.len(), 1, "{:#?}", d.changes);
        let c = &d.changes[0];
        assert_eq!(c.kind, ChangeKind::Moved);
        assert_eq!(c.before_provision.as_deref(), Some("§ 1.16(b)"));
        assert!(c.similarity.is_some_and(|s| s >= f64::from(MIN_SIMILARITY)));

        let d = run(
            vec![section(
                "§ 1.16",
                vec![para("§ 1.16(a)", A), para("§ 1.16(b)", B)],
            )],
            vec![section("§ 1.16", vec![para("§ 1.16(a)", A)])],
        );
        assert_eq!(d.changes.len(), 1);
        assert_eq!(d.changes[0].kind, ChangeKind::Removed);
        assert_eq!(d.changes[0].provision, "§ 1.16(b)");
    }

    #[test]
    fn formatting_only_is_not_a_change() {
        let before = vec![section(
            "§ 1.16",
            vec![para("§ 1.16(a)", "See “specially designed” – note.")],
        )];
        let after = vec![section(
            "§ 1.16",
            vec![para("§ 1.16(a)", "See \"specially designed\" - note.")],
        )];
        let d = run(before, after);
        assert!(d.changes.is_empty());
        assert_eq!(d.formatting_only.len(), 1);
        assert_eq!(
            d.formatting_only[0].kinds,
            vec![
                super::super::FormattingKind::Dashes,
                super::super::FormattingKind::Quotes
            ]
        );
    }
}
