//! A diff for people: flags first, in plain English, then the changed
//! provisions with word-level highlights, then formatting-only places,
//! collapsed. The same layout serves the terminal (optionally coloured)
//! and Markdown (email bodies, tickets): it is written to a
//! [`Formatter`] (`report::output`), which decides.

use crate::store::Version;

use super::describe;
use super::output::{Formatter, Markup, Output, to_string};
use super::terminal::Style;

use crate::diff::{
    Change, ChangeKind, Diff, Direction, EditOp, Flag, FlagKind, FormattingScope, Summary, WordEdit,
};

/// Which side of a comparison: a version reference or file, and what it is.
#[derive(Debug, Clone, Default)]
pub struct Side {
    /// `FEED/ITEM@N` or a file path.
    pub name: String,
    /// Document title.
    pub title: Option<String>,
    /// The version's date (as-of, publication or fetch date).
    pub date: Option<String>,
}

impl Side {
    /// A stored version: its reference, title and own date (the as-of
    /// date when the source has one, else the fetch day), as `changes` dates it.
    pub fn for_version(v: &Version) -> Side {
        Side {
            name: v.reference(),
            title: v.title.clone(),
            date: Some(v.effective_date().to_string()),
        }
    }
}

/// The two sides of a diff, for headings.
#[derive(Debug, Clone, Default)]
pub struct Sides {
    /// Old.
    pub before: Side,
    /// New.
    pub after: Side,
}

/// How to render; where and in what markup is the [`Formatter`]'s.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// Whole provisions with highlights instead of short excerpts.
    pub full: bool,
    /// Tokens of unchanged text kept around each change in excerpts.
    pub context: usize,
}

/// Longest evidence sentence shown per side.
const EVIDENCE_CHARS: usize = 400;
/// Longest added/removed text shown.
const BODY_CHARS: usize = 600;

// Colours come from the one palette (`terminal::Style`).
const RED: Style = Style::Removed;
const GREEN: Style = Style::New;
const YELLOW: Style = Style::Changed;
const BOLD: Style = Style::Bold;
const DIM: Style = Style::Dim;

/// "1 flag", "3 flags".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "Formatting only: 2 provisions, 1,060 source passages." (None when nothing).
pub fn formatting_line(s: &Summary) -> Option<String> {
    let mut parts = Vec::new();
    if s.formatting > 0 {
        parts.push(plural(
            s.formatting,
            "provision or field",
            "provisions or fields",
        ));
    }
    if s.source_formatting > 0 {
        parts.push(plural(
            s.source_formatting,
            "source passage",
            "source passages",
        ));
    }
    (!parts.is_empty()).then(|| format!("Formatting only: {}.", parts.join(", ")))
}

/// Short form of a diff's counts: "2 flags; 2 provisions changed (1 added,
/// 1 modified)", "1 flag; 1 provision modified".
pub fn counts(s: &Summary) -> String {
    // Flags and provisions are counted apart ("42 flags; 43 provisions
    // changed (9 added, 32 modified, …)"): the provision counts are not a
    // breakdown of the flags.
    let provisions: Vec<String> = [
        (s.added, "added"),
        (s.removed, "removed"),
        (s.modified, "modified"),
        (s.moved, "moved"),
        (s.renumbered, "renumbered"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    let flags = match s.flags {
        0 => None,
        1 => Some("1 flag".to_string()),
        n => Some(format!("{n} flags")),
    };
    let total = s.added + s.removed + s.modified + s.moved + s.renumbered;
    let noun = if total == 1 {
        "provision"
    } else {
        "provisions"
    };
    let provisions = match provisions.as_slice() {
        [] => None,
        // "3 provisions modified"
        [one] => Some(one.replacen(' ', &format!(" {noun} "), 1)),
        // "43 provisions changed (9 added, 2 removed, 32 modified)"
        many => Some(format!("{total} {noun} changed ({})", many.join(", "))),
    };
    match (flags, provisions) {
        (None, None) => "no substantive change".to_string(),
        (Some(f), None) => f,
        (None, Some(p)) => p,
        (Some(f), Some(p)) => format!("{f}; {p}"),
    }
}

/// [`render`] into a `String`, with the formatter `kind` names.
pub fn render_string(diff: &Diff, sides: &Sides, kind: Output, o: TextOptions) -> String {
    to_string(kind, |f| render(diff, sides, f, o))
}

/// Renders a diff as text (plain or coloured, as the formatter does) or,
/// into a Markdown formatter, as Markdown.
pub fn render(diff: &Diff, sides: &Sides, f: &mut dyn Formatter, o: TextOptions) {
    let md = f.markup() == Markup::Markdown;
    let arrow = format!("{} → {}", sides.before.name, sides.after.name);
    if md {
        f.write_str("# Changes: ");
        f.text(&arrow);
        f.write_str("\n\n");
    } else {
        f.styled(BOLD, &format!("regwatch diff {arrow}"));
        f.line("");
    }
    for (label, side) in [("before", &sides.before), ("after", &sides.after)] {
        let mut d = side.title.clone().unwrap_or_default();
        if let Some(date) = &side.date {
            d = if d.is_empty() {
                date.clone()
            } else {
                format!("{d} ({date})")
            };
        }
        if !d.is_empty() {
            if md {
                let _ = write!(f, "- **{label}:** ");
                f.text(&d);
                f.line("");
            } else {
                let _ = writeln!(f, "  {label:<7} {d}");
            }
        }
    }
    f.line("");
    if diff.substantive {
        f.styled(BOLD, "Substantive changes:");
        let _ = write!(f, " {}.", counts(&diff.summary));
    } else {
        f.styled(BOLD, "No substantive change.");
    }
    if let Some(t) = formatting_line(&diff.summary) {
        let _ = write!(f, " {t}");
    }
    f.line("");
    for w in &diff.warnings {
        f.styled(YELLOW, &format!("warning: {w}"));
        f.line("");
    }
    f.line("");

    if !diff.flags.is_empty() {
        f.heading(2, "What changed");
        for fl in &diff.flags {
            flag(f, fl);
        }
        f.line("");
    }
    if !diff.changes.is_empty() {
        f.heading(2, "Changed provisions");
        for c in &diff.changes {
            change(f, c, o);
        }
        f.line("");
    }
    if !diff.formatting_only.is_empty() {
        f.heading(2, "Formatting only (not substantive)");
        for fo in &diff.formatting_only {
            let kinds: Vec<&str> = fo.kinds.iter().map(|k| k.label()).collect();
            let place = match (fo.scope, &fo.provision) {
                (FormattingScope::Source, _) => format!(
                    "source: {} passage{}",
                    fo.places,
                    if fo.places == 1 { "" } else { "s" }
                ),
                (_, Some(p)) => match &fo.document {
                    Some(d) => format!("{d} › {p}"),
                    None => p.clone(),
                },
                (_, None) => "(document)".to_string(),
            };
            let text = format!("{place}: {}", kinds.join(", "));
            if md {
                f.write_str("- ");
                f.text(&text);
            } else {
                f.styled(DIM, &format!("  {text}"));
            }
            f.line("");
        }
        f.line("");
    }
}

fn symbol(kind: FlagKind) -> (&'static str, Style) {
    match kind.direction() {
        Direction::Added => ("+", GREEN),
        Direction::Removed => ("-", RED),
        Direction::Changed => ("~", YELLOW),
    }
}

fn flag(f: &mut dyn Formatter, fl: &Flag) {
    let (sym, color) = symbol(fl.kind());
    let place: Vec<&str> = [fl.document.as_deref(), fl.provision()]
        .into_iter()
        .flatten()
        .collect();
    let place = place.join(" › ");
    let message = describe::finding(&fl.finding);
    if f.markup() == Markup::Markdown {
        f.write_str("- **");
        f.text(&message);
        let _ = write!(f, "** `{}`", describe::kind_words(fl.kind()));
        if !place.is_empty() {
            f.write_str(" — ");
            f.text(&place);
        }
        f.line("");
        for (label, text) in describe::evidence_sides(fl) {
            let _ = write!(f, "  - {label}: ");
            f.text(&clip_counted(&text, EVIDENCE_CHARS));
            f.line("");
        }
        return;
    }
    f.write_str("  ");
    f.styled(color, &format!("{sym} {message}"));
    f.line("");
    if !place.is_empty() {
        f.write_str("      ");
        f.styled(DIM, &format!("in {place}"));
        f.line("");
    }
    for (label, text) in describe::evidence_sides(fl) {
        f.write_str("      ");
        f.styled(
            DIM,
            &format!(
                "{label}: {}",
                one_line(&clip_counted(&text, EVIDENCE_CHARS))
            ),
        );
        f.line("");
    }
}

fn change(f: &mut dyn Formatter, c: &Change, o: TextOptions) {
    let (sym, color, verb) = match c.kind {
        ChangeKind::Added => ("+", GREEN, "added".to_string()),
        ChangeKind::Removed => ("-", RED, "removed".to_string()),
        ChangeKind::Modified => ("~", YELLOW, "modified".to_string()),
        ChangeKind::Moved => (
            "→",
            YELLOW,
            format!(
                "moved from {}",
                c.before_provision.as_deref().unwrap_or("?")
            ),
        ),
        ChangeKind::Renumbered => (
            "→",
            YELLOW,
            format!(
                "redesignated from {}",
                c.before_provision.as_deref().unwrap_or("?")
            ),
        ),
    };
    let mut name = c.provision.clone();
    if let Some(d) = &c.document {
        name = format!("{d} › {name}");
    }
    let mut extra = String::new();
    if c.descendants > 0 {
        extra = format!(
            " (with {} sub-provision{})",
            c.descendants,
            if c.descendants == 1 { "" } else { "s" }
        );
    }
    let md = f.markup() == Markup::Markdown;
    if md {
        let _ = write!(f, "### {sym} ");
        f.text(&name);
        let _ = writeln!(f, " {verb}{extra}");
        f.line("");
    } else {
        f.write_str("  ");
        f.styled(color, &format!("{sym} {name}"));
        let _ = writeln!(f, " {verb}{extra}");
    }
    if let Some(h) = &c.before_heading {
        let line = match (h.is_empty(), c.heading.as_deref()) {
            (true, Some(now)) => format!("heading added: “{now}”"),
            (false, None) => format!("heading removed: “{h}”"),
            (_, now) => format!("heading: “{h}” → “{}”", now.unwrap_or("")),
        };
        indent(f, &line);
    }
    match c.kind {
        ChangeKind::Added => body(f, c.after.as_deref().unwrap_or(""), EditOp::Insert, o),
        ChangeKind::Removed => body(f, c.before.as_deref().unwrap_or(""), EditOp::Delete, o),
        _ if !c.words.is_empty() => {
            let edits = if o.full {
                c.words.clone()
            } else {
                super::excerpt::bound(
                    &crate::diff::words::excerpt(&c.words, o.context),
                    super::excerpt::TEXT,
                )
            };
            let text = words(f, &edits);
            indent(f, &text);
        }
        _ => {}
    }
    if md {
        f.line("");
    }
}

fn body(f: &mut dyn Formatter, text: &str, op: EditOp, o: TextOptions) {
    let text = if o.full {
        text.to_string()
    } else {
        clip_counted(text, BODY_CHARS)
    };
    let painted = words(f, &[WordEdit { op, text }]);
    indent(f, &painted);
}

/// `text`'s lines that are not blank, indented (quoted in Markdown).
fn indent(f: &mut dyn Formatter, text: &str) {
    let prefix = match f.markup() {
        Markup::Markdown => "> ",
        Markup::Text => "      ",
    };
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        f.write_str(prefix);
        f.line(l);
    }
}

/// A word diff as one string, as `f`'s kind of formatter marks it
/// (coloured, `[-old-]{+new+}`, or Markdown), for [`indent`] to break
/// into lines.
fn words(f: &dyn Formatter, edits: &[WordEdit]) -> String {
    to_string(f.output(), |w| {
        for e in edits {
            w.edit(e.op, &e.text);
        }
    })
}

pub(crate) use crate::diff::words::one_line;

/// [`clip`], and when it cuts, how much it left out:
/// `… (N more characters)`.
fn clip_counted(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let cut = clip(s, max);
    let kept = cut.chars().count().saturating_sub(1);
    format!("{cut} ({} more characters)", n - kept)
}

/// At most `max` characters, cut at a word and marked with `…`.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let at = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{CountryFinding, Evidence, Finding};

    fn sample() -> Diff {
        let added = CountryFinding {
            country: "KR".into(),
            region: None,
            label: "Korea, South".into(),
            list: "License Exception IEC — Eligible destinations".into(),
            provision: "§ 740.24(b)".into(),
            evidence: Evidence {
                before: Some("Australia, Japan.".into()),
                after: Some("Australia, Japan, Korea, South.".into()),
            },
        };
        let f = Flag::new(Finding::CountryAdded(added), None);
        let mut d = Diff {
            flags: vec![f],
            changes: vec![Change {
                kind: ChangeKind::Modified,
                provision: "§ 740.24(b)".into(),
                before_provision: None,
                document: None,
                level: None,
                heading: None,
                before_heading: None,
                before: Some("Australia, Japan.".into()),
                after: Some("Australia, Japan, Korea, South.".into()),
                words: crate::diff::words::word_diff(
                    "Australia, Japan.",
                    "Australia, Japan, Korea, South.",
                ),
                descendants: 0,
                similarity: None,
            }],
            ..Diff::default()
        };
        d.finish();
        d
    }

    #[test]
    fn plain_text_lists_flags_then_changes() {
        let sides = Sides {
            before: Side {
                name: "ear/part-740@1".into(),
                ..Side::default()
            },
            after: Side {
                name: "ear/part-740@2".into(),
                ..Side::default()
            },
        };
        let text = render_string(
            &sample(),
            &sides,
            Output::Plain,
            TextOptions {
                context: 8,
                ..TextOptions::default()
            },
        );
        assert!(
            text.contains("Substantive changes: 1 flag; 1 provision modified"),
            "{text}"
        );
        let flag_at = text.find("+ Korea, South (KR) added").unwrap_or(usize::MAX);
        let change_at = text.find("~ § 740.24(b) modified").unwrap_or(0);
        assert!(flag_at < change_at, "{text}");
        assert!(text.contains("Japan{+, Korea, South+}."), "{text}");
        assert!(!text.contains('\x1b'));
    }

    #[test]
    fn markdown_escapes_and_marks_words() {
        let text = render_string(
            &sample(),
            &Sides::default(),
            Output::Markdown,
            TextOptions {
                context: 8,
                ..TextOptions::default()
            },
        );
        assert!(text.contains("## What changed"), "{text}");
        assert!(
            text.contains("**, Korea, South**") || text.contains("**Korea, South**"),
            "{text}"
        );
    }

    #[test]
    fn clip_cuts_at_words() {
        assert_eq!(clip("one two three", 8), "one two…");
        assert_eq!(clip("short", 80), "short");
    }
}
