//! The stored bytes, compared line by line, to count the formatting the
//! model smooths away.
//!
//! The parser already unifies dashes, drops page markers and emphasis, so
//! two republications of the same text give equal models and the
//! structural diff sees nothing. Users still want to know that *something*
//! changed and that it was only formatting ("1,277 passages: dashes").
//! Each changed passage of the source is stripped of markup and
//! normalised; if both sides then agree it is formatting, classified by
//! kind. Passages that still differ are counted too: when the model saw no
//! change but the source did, the diff says so instead of staying silent.

use std::collections::BTreeMap;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use similar::DiffOp;

use super::lines::{line_ops, split_lines};
use super::normalize::{FormattingKind, classify_equal, same_substance, strip_markup};
use super::words::excerpt_pair;
use super::{Diff, Evidence, FormattingChange, FormattingScope};

/// What a line comparison of the stored bytes found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceComparison {
    /// Changed passages (runs of changed lines) in the source.
    pub passages: usize,
    /// Of those, passages equal after removing formatting.
    pub formatting: usize,
    /// Formatting passages by kind (a passage can count for several).
    pub kinds: BTreeMap<FormattingKind, usize>,
    /// First formatting passage, as an example.
    pub example: Option<Evidence>,
    /// Passages whose text differs even after removing formatting.
    pub other: usize,
}

/// Compares two source texts passage by passage.
pub fn compare_source(old: &str, new: &str, deadline: Instant) -> SourceComparison {
    let a = split_lines(old);
    let b = split_lines(new);
    let mut out = SourceComparison::default();
    for op in line_ops(&a, &b, deadline) {
        let (old_range, new_range) = match op {
            DiffOp::Equal { .. } => continue,
            other => (other.old_range(), other.new_range()),
        };
        out.passages += 1;
        let before = a[old_range].join("\n");
        let after = b[new_range].join("\n");
        let (sb, pages_b, markup_b) = strip_markup(&before);
        let (sa, pages_a, markup_a) = strip_markup(&after);
        if !same_substance(&sb, &sa) {
            out.other += 1;
            continue;
        }
        out.formatting += 1;
        let mut kinds = classify_equal(&sb, &sa);
        if sb == sa {
            kinds.clear();
        }
        // Tags present on either side and different: markup or page markers moved.
        if pages_b || pages_a {
            kinds.push(FormattingKind::PageMarkers);
        }
        if (markup_b || markup_a) && tags(&before) != tags(&after) {
            kinds.push(FormattingKind::Markup);
        }
        if kinds.is_empty() {
            kinds.push(FormattingKind::Whitespace);
        }
        for k in kinds {
            *out.kinds.entry(k).or_default() += 1;
        }
        if out.example.is_none() {
            let (eb, ea) = excerpt_pair(before.trim(), after.trim());
            out.example = Some(Evidence {
                before: Some(eb),
                after: Some(ea),
            });
        }
    }
    out
}

/// The tags of a passage, in order, attributes included (whitespace
/// inside a tag collapsed): a changed attribute is a markup change.
fn tags(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        out.push(rest[..end].split_whitespace().collect::<Vec<_>>().join(" "));
        rest = &rest[end..];
    }
    out
}

/// Adds a source comparison to a diff: its formatting passages as one
/// `source` entry, and a warning when the source changed in ways the
/// model did not show.
pub fn attach(diff: &mut Diff, source: &SourceComparison) {
    if source.formatting > 0 {
        diff.formatting_only.push(FormattingChange {
            scope: FormattingScope::Source,
            document: None,
            provision: None,
            kinds: source.kinds.keys().copied().collect(),
            places: source.formatting,
            example: source.example.clone().unwrap_or_default(),
        });
    }
    if source.other > 0 && !diff.substantive {
        diff.warnings.push(format!(
            "{} changed passage(s) of the source differ in more than formatting but not in \
             the parsed text (text the parser skips or does not keep); see `regwatch diff \
             --raw` for them",
            source.other
        ));
    }
    diff.finish();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn run(a: &str, b: &str) -> SourceComparison {
        compare_source(a, b, Instant::now() + Duration::from_secs(5))
    }

    #[test]
    fn dash_and_page_marker_passages_are_formatting() {
        let a =
            "<P>FR Doc. 2024–02801 Filed</P>\n<P>text</P>\n<PRTPAGE P=\"9000\"/>\n<P>more</P>\n";
        let b = "<P>FR Doc. 2024-02801 Filed</P>\n<P>text</P>\n<P>more</P>\n";
        let c = run(a, b);
        assert_eq!((c.passages, c.formatting, c.other), (2, 2, 0));
        assert_eq!(c.kinds.get(&FormattingKind::Dashes), Some(&1));
        assert_eq!(c.kinds.get(&FormattingKind::PageMarkers), Some(&1));
    }

    #[test]
    fn emphasis_markup_and_rewrapping() {
        let a = "<P>The <E T=\"03\">Office</E> shall\ncharge a fee.</P>\n";
        let b = "<P>The Office shall charge a fee.</P>\n";
        let c = run(a, b);
        assert_eq!((c.passages, c.formatting, c.other), (1, 1, 0));
        assert!(c.kinds.contains_key(&FormattingKind::Markup));
    }

    #[test]
    fn a_mark_changing_columns_is_not_formatting() {
        let c = run(
            "<TR><TD>India</TD><TD></TD><TD>X</TD></TR>\n",
            "<TR><TD>India</TD><TD>X</TD><TD></TD></TR>\n",
        );
        assert_eq!((c.formatting, c.other), (0, 1));
        let c = run("<ENT A=\"01\">x</ENT>\n", "<ENT A=\"02\">x</ENT>\n");
        assert_eq!(c.kinds.get(&FormattingKind::Markup), Some(&1));
    }

    #[test]
    fn wording_is_not_formatting() {
        let c = run("<P>shall</P>\n", "<P>may</P>\n");
        assert_eq!((c.passages, c.formatting, c.other), (1, 0, 1));
    }
}
