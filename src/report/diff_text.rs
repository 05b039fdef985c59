//! A diff for people: flags first, in plain English, then the changed
//! provisions with word-level highlights, then formatting-only places,
//! collapsed. The same layout serves the terminal (optionally coloured)
//! and Markdown (email bodies, tickets).

use std::fmt::Write;

use crate::store::Version;

use super::describe;
use super::terminal::{Style, paint};

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

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// ANSI colours (terminal only).
    pub color: bool,
    /// Markdown instead of plain text.
    pub markdown: bool,
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

struct Out {
    s: String,
    o: TextOptions,
}

impl Out {
    fn paint(&self, style: Style, text: &str) -> String {
        paint(style, text, self.o.color)
    }
    fn line(&mut self, text: &str) {
        self.s.push_str(text);
        self.s.push('\n');
    }
    fn heading(&mut self, text: &str) {
        if self.o.markdown {
            self.line(&format!("## {text}"));
            self.line("");
        } else {
            let t = self.paint(BOLD, text);
            self.line(&t);
        }
    }
}

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

/// Short form of a diff's counts: "2 flags, 1 modified, 1 added".
pub fn counts(s: &Summary) -> String {
    let mut parts = Vec::new();
    let mut add = |n: usize, one: &str, many: &str| {
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    };
    add(s.flags, "flag", "flags");
    add(s.added, "added", "added");
    add(s.removed, "removed", "removed");
    add(s.modified, "modified", "modified");
    add(s.moved, "moved", "moved");
    add(s.renumbered, "renumbered", "renumbered");
    if parts.is_empty() {
        "no substantive change".to_string()
    } else {
        parts.join(", ")
    }
}

/// Renders a diff as terminal text or Markdown.
pub fn render(diff: &Diff, sides: &Sides, o: TextOptions) -> String {
    let mut out = Out {
        s: String::new(),
        o,
    };
    let arrow = format!("{} → {}", sides.before.name, sides.after.name);
    if o.markdown {
        out.line(&format!("# Changes: {}", md_escape(&arrow)));
        out.line("");
    } else {
        let t = out.paint(BOLD, &format!("regwatch diff {arrow}"));
        out.line(&t);
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
            if o.markdown {
                out.line(&format!("- **{label}:** {}", md_escape(&d)));
            } else {
                out.line(&format!("  {label:<7} {d}"));
            }
        }
    }
    out.line("");
    let verdict = if diff.substantive {
        let head = out.paint(BOLD, "Substantive changes:");
        format!("{head} {}.", counts(&diff.summary))
    } else {
        out.paint(BOLD, "No substantive change.")
    };
    let tail = formatting_line(&diff.summary)
        .map(|t| format!(" {t}"))
        .unwrap_or_default();
    out.line(&format!("{verdict}{tail}"));
    for w in &diff.warnings {
        let t = out.paint(YELLOW, &format!("warning: {w}"));
        out.line(&t);
    }
    out.line("");

    if !diff.flags.is_empty() {
        out.heading("What changed");
        for f in &diff.flags {
            flag(&mut out, f);
        }
        out.line("");
    }
    if !diff.changes.is_empty() {
        out.heading("Changed provisions");
        for c in &diff.changes {
            change(&mut out, c);
        }
        out.line("");
    }
    if !diff.formatting_only.is_empty() {
        out.heading("Formatting only (not substantive)");
        for f in &diff.formatting_only {
            let kinds: Vec<&str> = f.kinds.iter().map(|k| k.label()).collect();
            let place = match (f.scope, &f.provision) {
                (FormattingScope::Source, _) => format!(
                    "source: {} passage{}",
                    f.places,
                    if f.places == 1 { "" } else { "s" }
                ),
                (_, Some(p)) => match &f.document {
                    Some(d) => format!("{d} › {p}"),
                    None => p.clone(),
                },
                (_, None) => "(document)".to_string(),
            };
            let text = format!("{place}: {}", kinds.join(", "));
            if o.markdown {
                out.line(&format!("- {}", md_escape(&text)));
            } else {
                let t = out.paint(DIM, &format!("  {text}"));
                out.line(&t);
            }
        }
        out.line("");
    }
    out.s
}

fn symbol(kind: FlagKind) -> (&'static str, Style) {
    match kind.direction() {
        Direction::Added => ("+", GREEN),
        Direction::Removed => ("-", RED),
        Direction::Changed => ("~", YELLOW),
    }
}

fn flag(out: &mut Out, f: &Flag) {
    let (sym, color) = symbol(f.kind());
    let place: Vec<&str> = [f.document.as_deref(), f.provision()]
        .into_iter()
        .flatten()
        .collect();
    let place = place.join(" › ");
    let message = describe::finding(&f.finding);
    if out.o.markdown {
        out.line(&format!(
            "- **{}** `{}`{}",
            md_escape(&message),
            describe::kind_words(f.kind()),
            if place.is_empty() {
                String::new()
            } else {
                format!(" — {}", md_escape(&place))
            }
        ));
        for (label, text) in describe::evidence_sides(f) {
            out.line(&format!(
                "  - {label}: {}",
                md_escape(&clip_counted(&text, EVIDENCE_CHARS))
            ));
        }
        return;
    }
    let head = out.paint(color, &format!("{sym} {message}"));
    out.line(&format!("  {head}"));
    if !place.is_empty() {
        let t = out.paint(DIM, &format!("in {place}"));
        out.line(&format!("      {t}"));
    }
    for (label, text) in describe::evidence_sides(f) {
        let t = out.paint(
            DIM,
            &format!(
                "{label}: {}",
                one_line(&clip_counted(&text, EVIDENCE_CHARS))
            ),
        );
        out.line(&format!("      {t}"));
    }
}

fn change(out: &mut Out, c: &Change) {
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
    if out.o.markdown {
        out.line(&format!("### {} {} {verb}{extra}", sym, md_escape(&name)));
        out.line("");
    } else {
        let head = out.paint(color, &format!("{sym} {name}"));
        out.line(&format!("  {head} {verb}{extra}"));
    }
    if let Some(h) = &c.before_heading {
        let line = match (h.is_empty(), c.heading.as_deref()) {
            (true, Some(now)) => format!("heading added: “{now}”"),
            (false, None) => format!("heading removed: “{h}”"),
            (_, now) => format!("heading: “{h}” → “{}”", now.unwrap_or("")),
        };
        indent(out, &line);
    }
    match c.kind {
        ChangeKind::Added => body(out, c.after.as_deref().unwrap_or(""), EditOp::Insert),
        ChangeKind::Removed => body(out, c.before.as_deref().unwrap_or(""), EditOp::Delete),
        _ if !c.words.is_empty() => {
            let edits = if out.o.full {
                c.words.clone()
            } else {
                super::excerpt::bound(
                    &crate::diff::words::excerpt(&c.words, out.o.context),
                    super::excerpt::TEXT,
                )
            };
            let text = words(out, &edits);
            indent(out, &text);
        }
        _ => {}
    }
    if out.o.markdown {
        out.line("");
    }
}

fn body(out: &mut Out, text: &str, op: EditOp) {
    let text = if out.o.full {
        text.to_string()
    } else {
        clip_counted(text, BODY_CHARS)
    };
    let painted = words(
        out,
        &[WordEdit {
            op,
            text: text.clone(),
        }],
    );
    indent(out, &painted);
}

fn indent(out: &mut Out, text: &str) {
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        if out.o.markdown {
            out.line(&format!("> {l}"));
        } else {
            out.line(&format!("      {l}"));
        }
    }
}

/// A word diff as one string: coloured, `[-old-]{+new+}`, or Markdown.
fn words(out: &Out, edits: &[WordEdit]) -> String {
    let mut s = String::new();
    for e in edits {
        let t = &e.text;
        let _ = match (e.op, out.o.markdown, out.o.color) {
            (EditOp::Equal, true, _) => write!(s, "{}", md_escape(t)),
            (EditOp::Equal, false, _) => write!(s, "{t}"),
            (EditOp::Delete, true, _) => write!(s, "{}", md_wrap(t, "~~")),
            (EditOp::Insert, true, _) => write!(s, "{}", md_wrap(t, "**")),
            (EditOp::Delete, false, true) => write!(s, "{}", paint(RED, t, true)),
            (EditOp::Insert, false, true) => write!(s, "{}", paint(GREEN, t, true)),
            (EditOp::Delete, false, false) => write!(s, "[-{t}-]"),
            (EditOp::Insert, false, false) => write!(s, "{{+{t}+}}"),
        };
    }
    s
}

/// Wraps the non-blank part of each line in a Markdown marker, keeping
/// surrounding spaces outside (`** x**` would not render).
fn md_wrap(t: &str, marker: &str) -> String {
    t.split('\n')
        .map(|line| {
            let trimmed = line.trim();
            if trimmed.is_empty() {
                return line.to_string();
            }
            let lead = &line[..line.len() - line.trim_start().len()];
            let trail = &line[line.trim_end().len()..];
            format!("{lead}{marker}{}{marker}{trail}", md_escape(trimmed))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Escapes the characters Markdown would read as formatting.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '~' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `s` on one line: every run of whitespace, line breaks included, one space.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

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
        let text = render(
            &sample(),
            &sides,
            TextOptions {
                context: 8,
                ..TextOptions::default()
            },
        );
        assert!(
            text.contains("Substantive changes: 1 flag, 1 modified"),
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
        let text = render(
            &sample(),
            &Sides::default(),
            TextOptions {
                markdown: true,
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
