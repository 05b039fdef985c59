//! The one output abstraction the text renderers write to, modelled on
//! ripgrep's printers (which write to a termcolor `WriteColor` sink that
//! knows whether it colours) and jj's labelled formatter (which renderers
//! give styles, not escape codes).
//!
//! A renderer takes a `&mut dyn` [`Formatter`] and writes its layout with
//! [`Formatter::write_str`] (or `write!`), styles with
//! [`Formatter::push_style`]/[`Formatter::pop_style`] (or
//! [`Formatter::styled`]) from the one palette ([`Style`]), values from
//! outside with [`Formatter::text`], and word-level edits with
//! [`Formatter::edit`]. The formatter decides what that looks like:
//!
//! - [`Plain`] drops styles and marks edits `[-old-]{+new+}`;
//! - [`Ansi`] writes each style's SGR code (and `ESC [0m` when it ends,
//!   restoring the style around it) and colours edits instead of marking
//!   them;
//! - [`Markdown`] escapes values, marks edits `~~old~~` `**new**`, and
//!   has no colours.
//!
//! Where the layout itself differs between text and Markdown, a renderer
//! asks [`Formatter::markup`]. [`to_string`] runs a renderer into a
//! `String` for callers that need one (email bodies, files, the CLI's
//! `Ui`). Terminal escaping is not done here: the CLI's `Ui` sanitizes
//! everything it prints (`terminal::sanitize`), letting through only the
//! SGR codes [`Ansi`] writes.

use std::fmt;

use super::terminal::Style;
use crate::diff::EditOp;

/// The markup a formatter writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// Plain text (with or without colour).
    Text,
    /// CommonMark.
    Markdown,
}

/// Which formatter [`to_string`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// [`Plain`].
    Plain,
    /// [`Ansi`].
    Ansi,
    /// [`Markdown`].
    Markdown,
}

impl Output {
    /// [`Output::Ansi`] when `color`, else [`Output::Plain`].
    pub fn text(color: bool) -> Output {
        if color { Output::Ansi } else { Output::Plain }
    }
}

/// Where renderers write: text, styles from the one palette, values and
/// word edits, each as the medium shows it.
pub trait Formatter {
    /// Writes `s` as it is, in the current style.
    fn write_str(&mut self, s: &str);
    /// Starts `style`, inside the current one.
    fn push_style(&mut self, style: Style);
    /// Ends the innermost style; the one around it (if any) applies again.
    fn pop_style(&mut self);

    /// Which formatter this is (for a renderer that renders a part into
    /// a `String` of its own kind first, [`to_string`]).
    fn output(&self) -> Output;

    /// The markup written.
    fn markup(&self) -> Markup {
        match self.output() {
            Output::Plain | Output::Ansi => Markup::Text,
            Output::Markdown => Markup::Markdown,
        }
    }

    /// A value from outside (a title, a sentence) escaped for the medium:
    /// Markdown escapes its formatting characters; text keeps it as it is.
    fn escaped(&self, s: &str) -> String {
        s.to_string()
    }

    /// Writes a value from outside, [`Formatter::escaped`].
    fn text(&mut self, s: &str) {
        let e = self.escaped(s);
        self.write_str(&e);
    }

    /// One word-level edit: unchanged words as [`Formatter::text`],
    /// deleted and inserted words marked `[-…-]` and `{+…+}` unless the
    /// formatter shows them otherwise.
    fn edit(&mut self, op: EditOp, s: &str) {
        let (open, close) = match op {
            EditOp::Equal => return self.text(s),
            EditOp::Delete => ("[-", "-]"),
            EditOp::Insert => ("{+", "+}"),
        };
        self.write_str(open);
        self.text(s);
        self.write_str(close);
    }

    /// `s` in `style`.
    fn styled(&mut self, style: Style, s: &str) {
        self.push_style(style);
        self.write_str(s);
        self.pop_style();
    }

    /// `s` and a line break.
    fn line(&mut self, s: &str) {
        self.write_str(s);
        self.write_str("\n");
    }

    /// A section heading (`text` as it is): in Markdown `## text` (as many
    /// `#` as `level`) and a blank line; in text, the line in bold.
    fn heading(&mut self, level: usize, text: &str) {
        match self.markup() {
            Markup::Markdown => {
                self.write_str(&"#".repeat(level.max(1)));
                self.write_str(" ");
                self.write_str(text);
                self.write_str("\n\n");
            }
            Markup::Text => {
                self.styled(Style::Bold, text);
                self.write_str("\n");
            }
        }
    }

    /// For `write!`/`writeln!`: formats and writes as
    /// [`Formatter::write_str`]. Never fails.
    fn write_fmt(&mut self, args: fmt::Arguments<'_>) -> fmt::Result {
        match args.as_str() {
            Some(s) => self.write_str(s),
            None => self.write_str(&args.to_string()),
        }
        Ok(())
    }
}

/// Plain text: styles are dropped.
#[derive(Debug, Default)]
pub struct Plain {
    out: String,
}

impl Plain {
    /// An empty buffer.
    pub fn new() -> Plain {
        Plain::default()
    }

    /// What was written.
    pub fn into_string(self) -> String {
        self.out
    }
}

impl Formatter for Plain {
    fn write_str(&mut self, s: &str) {
        self.out.push_str(s);
    }
    fn push_style(&mut self, _: Style) {}
    fn pop_style(&mut self) {}
    fn output(&self) -> Output {
        Output::Plain
    }
}

/// Text for a terminal: each style as its SGR code from the one palette,
/// reset when it ends (and the style around it started again).
#[derive(Debug, Default)]
pub struct Ansi {
    out: String,
    styles: Vec<Style>,
}

impl Ansi {
    /// An empty buffer.
    pub fn new() -> Ansi {
        Ansi::default()
    }

    /// What was written. A style left open is reset.
    pub fn into_string(mut self) -> String {
        if !self.styles.is_empty() {
            self.out.push_str(RESET);
        }
        self.out
    }

    fn sgr(&mut self, style: Style) {
        self.out.push_str("\x1b[");
        self.out.push_str(style.sgr());
        self.out.push('m');
    }
}

/// The SGR code that ends every style.
const RESET: &str = "\x1b[0m";

impl Formatter for Ansi {
    fn write_str(&mut self, s: &str) {
        self.out.push_str(s);
    }
    fn push_style(&mut self, style: Style) {
        self.styles.push(style);
        self.sgr(style);
    }
    fn pop_style(&mut self) {
        if self.styles.pop().is_none() {
            return;
        }
        self.out.push_str(RESET);
        if let Some(&outer) = self.styles.last() {
            self.sgr(outer);
        }
    }
    fn output(&self) -> Output {
        Output::Ansi
    }
    /// Deleted words red, inserted green, without markers.
    fn edit(&mut self, op: EditOp, s: &str) {
        match op {
            EditOp::Equal => self.write_str(s),
            EditOp::Delete => self.styled(Style::Removed, s),
            EditOp::Insert => self.styled(Style::New, s),
        }
    }
}

/// CommonMark: values escaped, edits struck through and bold, no colours.
#[derive(Debug, Default)]
pub struct Markdown {
    out: String,
}

impl Markdown {
    /// An empty buffer.
    pub fn new() -> Markdown {
        Markdown::default()
    }

    /// What was written.
    pub fn into_string(self) -> String {
        self.out
    }
}

impl Formatter for Markdown {
    fn write_str(&mut self, s: &str) {
        self.out.push_str(s);
    }
    fn push_style(&mut self, _: Style) {}
    fn pop_style(&mut self) {}
    fn output(&self) -> Output {
        Output::Markdown
    }
    fn escaped(&self, s: &str) -> String {
        md_escape(s)
    }
    fn edit(&mut self, op: EditOp, s: &str) {
        match op {
            EditOp::Equal => self.text(s),
            EditOp::Delete => self.out.push_str(&md_wrap(s, "~~")),
            EditOp::Insert => self.out.push_str(&md_wrap(s, "**")),
        }
    }
}

/// Runs `render` into the formatter `kind` names and returns what it wrote.
pub fn to_string(kind: Output, render: impl FnOnce(&mut dyn Formatter)) -> String {
    match kind {
        Output::Plain => {
            let mut f = Plain::new();
            render(&mut f);
            f.into_string()
        }
        Output::Ansi => {
            let mut f = Ansi::new();
            render(&mut f);
            f.into_string()
        }
        Output::Markdown => {
            let mut f = Markdown::new();
            render(&mut f);
            f.into_string()
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The same rendering into each formatter.
    fn sample(f: &mut dyn Formatter) {
        f.write_str("a ");
        f.styled(Style::Removed, "gone");
        f.write_str(" ");
        f.edit(EditOp::Delete, "old");
        f.edit(EditOp::Equal, " x_y ");
        f.edit(EditOp::Insert, "new ");
        f.text("[1]");
    }

    #[test]
    fn plain_drops_styles_and_marks_edits() {
        let s = to_string(Output::Plain, sample);
        assert_eq!(s, "a gone [-old-] x_y {+new +}[1]");
        assert!(!s.contains('\x1b'));
        let mut p = Plain::new();
        p.push_style(Style::Bold);
        p.heading(2, "What changed");
        p.pop_style();
        assert_eq!(p.into_string(), "What changed\n");
    }

    #[test]
    fn ansi_writes_the_palettes_codes_and_resets() {
        let s = to_string(Output::Ansi, sample);
        assert_eq!(
            s,
            "a \x1b[31mgone\x1b[0m \x1b[31mold\x1b[0m x_y \x1b[32mnew \x1b[0m[1]"
        );
        // Every style of the palette, as `terminal::paint` writes it.
        for (style, code) in [
            (Style::New, "32"),
            (Style::Changed, "33"),
            (Style::Removed, "31"),
            (Style::Dim, "2"),
            (Style::Error, "1;31"),
            (Style::Warn, "33"),
            (Style::Bold, "1"),
        ] {
            let s = to_string(Output::Ansi, |f| f.styled(style, "x"));
            assert_eq!(s, format!("\x1b[{code}mx\x1b[0m"));
            // What it writes passes the terminal's escaping unchanged.
            assert_eq!(super::super::terminal::sanitize(&s, true, true), s);
        }
    }

    #[test]
    fn ansi_nesting_restores_the_outer_style() {
        let mut f = Ansi::new();
        f.push_style(Style::Bold);
        f.write_str("a");
        f.push_style(Style::Removed);
        f.write_str("b");
        f.pop_style();
        f.write_str("c");
        f.pop_style();
        f.write_str("d");
        // An extra pop writes nothing.
        f.pop_style();
        assert_eq!(f.into_string(), "\x1b[1ma\x1b[31mb\x1b[0m\x1b[1mc\x1b[0md");
        // A style left open is closed at the end.
        let mut f = Ansi::new();
        f.push_style(Style::Dim);
        f.write_str("e");
        assert_eq!(f.into_string(), "\x1b[2me\x1b[0m");
    }

    #[test]
    fn markdown_escapes_values_and_marks_edits_next_to_the_words() {
        let s = to_string(Output::Markdown, sample);
        assert_eq!(s, "a gone ~~old~~ x\\_y **new** \\[1\\]");
        let s = to_string(Output::Markdown, |f| f.heading(2, "What changed"));
        assert_eq!(s, "## What changed\n\n");
        // Each line of a multi-line edit is marked on its own.
        let s = to_string(Output::Markdown, |f| f.edit(EditOp::Insert, " a\n\nb "));
        assert_eq!(s, " **a**\n\n**b** ");
    }
}
