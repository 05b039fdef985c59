//! Text for a terminal: control characters from outside (file names,
//! titles, ids, a server's error message) escaped so they cannot forge a
//! line, rewrite the screen (ESC sequences) or reorder what is shown
//! (bidirectional overrides, "Trojan Source"). The CLI's `Ui` passes all
//! it prints through [`sanitize`]; printers escape single values with
//! [`clean`]. The escapes are JSON's own, so a JSON line stays valid JSON
//! with the same strings.

use std::borrow::Cow;

/// The one colour palette: every coloured thing regwatch prints (the CLI's
/// lines, the text diff) is one of these styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Something new, or inserted (green).
    New,
    /// Something changed (yellow).
    Changed,
    /// Something removed, or deleted (red).
    Removed,
    /// Nothing happened; context (dim).
    Dim,
    /// Failure (bold red).
    Error,
    /// Warning (yellow).
    Warn,
    /// Headings and ids (bold).
    Bold,
}

impl Style {
    /// The SGR parameters of the style.
    pub(crate) fn sgr(self) -> &'static str {
        match self {
            Style::New => "32",
            Style::Changed | Style::Warn => "33",
            Style::Removed => "31",
            Style::Dim => "2",
            Style::Error => "1;31",
            Style::Bold => "1",
        }
    }
}

/// `text` in `style` when `color` is on, else `text` as it is. The text
/// is not escaped here: callers pass text they have [`clean`]ed.
pub fn paint(style: Style, text: &str, color: bool) -> String {
    super::output::to_string(super::output::Output::text(color), |f| {
        f.styled(style, text)
    })
}

/// True for a character that must not reach a terminal raw: C0 and C1
/// controls and DEL, and the invisible characters that change how text
/// around them is shown (bidirectional overrides, embeddings and isolates,
/// direction marks, line and paragraph separators).
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Appends the visible escape of `c`: `\n`, `\r`, `\t`, else `\uXXXX`.
/// These are JSON's own escapes (every unsafe character is in the BMP),
/// so escaping inside a JSON string keeps the JSON valid and equal.
fn push_escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => out.push_str(&format!("\\u{:04x}", c as u32)),
    }
}

/// One untrusted value (a title, an id, a file name, a server's message)
/// for a line of terminal output: every control character escaped,
/// newlines and tabs included.
pub fn clean(s: &str) -> Cow<'_, str> {
    sanitize(s, false, false)
}

/// `s` with its control characters escaped. `lines` keeps `\n` and `\t`
/// (a report's own layout); `colour` lets through the SGR colour codes
/// that `paint` and the diff renderer write ([`OUR_SGR`]), which can only
/// change colours: an untrusted value cannot hide text (`ESC [ 8 m`) or
/// do anything else with them. Everything else unsafe is escaped.
pub fn sanitize(s: &str, lines: bool, colour: bool) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let len = if colour && c == '\u{1b}' {
            sgr_len(rest)
        } else {
            0
        };
        if len > 0 {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        if !is_unsafe(c) || (lines && matches!(c, '\n' | '\t')) {
            out.push(c);
        } else {
            push_escape(&mut out, c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// The colour codes regwatch itself writes (`Ui::paint`, the diff
/// renderer): reset, bold, dim, red, green, yellow, bold red.
const OUR_SGR: [&str; 7] = ["0", "1", "2", "31", "32", "33", "1;31"];

/// The length of the SGR colour code at the start of `s` when it is one of
/// ours ([`OUR_SGR`], `ESC [ 1;31 m`), or 0. Any other (`ESC [ 8 m`
/// conceals text, `ESC [ 7 m` reverses it) is escaped like every control.
fn sgr_len(s: &str) -> usize {
    let b = s.as_bytes();
    if !b.starts_with(b"\x1b[") {
        return 0;
    }
    let params = b[2..]
        .iter()
        .take(12)
        .take_while(|c| c.is_ascii_digit() || **c == b';')
        .count();
    let ours = OUR_SGR
        .iter()
        .any(|code| code.as_bytes() == &b[2..2 + params]);
    if ours && b.get(2 + params) == Some(&b'm') {
        3 + params
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_palette_colours_only_when_asked() {
        assert_eq!(paint(Style::Removed, "x", true), "\u{1b}[31mx\u{1b}[0m");
        assert_eq!(paint(Style::Error, "x", true), "\u{1b}[1;31mx\u{1b}[0m");
        assert_eq!(paint(Style::New, "x", false), "x");
        // What we colour passes `sanitize` with colour on, and nothing else does.
        let red = paint(Style::Removed, "x", true);
        assert_eq!(sanitize(&red, true, true), red);
        assert_ne!(sanitize(&red, true, false), red);
    }

    #[test]
    fn controls_are_escaped_and_json_stays_json() {
        assert_eq!(
            clean("a\nb\u{202e}c\u{1b}[2J\0"),
            "a\\nb\\u202ec\\u001b[2J\\u0000"
        );
        assert_eq!(
            sanitize("line 1\n\tline 2", true, false),
            "line 1\n\tline 2"
        );
        assert_eq!(
            sanitize("\u{1b}[1;31mred\u{1b}[0m", true, true),
            "\u{1b}[1;31mred\u{1b}[0m"
        );
        // Only our own colour codes pass: not conceal, reverse or blink.
        assert_eq!(
            sanitize("\u{1b}[8mhidden\u{1b}[7;5m", true, true),
            "\\u001b[8mhidden\\u001b[7;5m"
        );
        assert_eq!(
            sanitize("\u{1b}]0;title\u{7}", true, true),
            "\\u001b]0;title\\u0007"
        );
        assert!(matches!(clean("plain 量子 text"), Cow::Borrowed(_)));
        let json = serde_json::json!({"t": "x\u{202e}y\u{85}\n\u{1b}"}).to_string();
        let escaped = sanitize(&json, true, false);
        assert!(!escaped.contains('\u{202e}') && !escaped.contains('\u{85}'));
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back["t"], "x\u{202e}y\u{85}\n\u{1b}");
    }
}
