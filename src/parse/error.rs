//! Why a document could not be parsed.

use thiserror::Error;

/// A parse failure. The caller adds the file, feed or reference; the error
/// itself says where in the input (line and column when known).
#[derive(Debug, Error)]
pub enum ParseError {
    /// The input is not well-formed XML.
    #[error("malformed XML at line {line}, column {column}: {message}")]
    Xml {
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// What the XML reader said.
        message: String,
    },
    /// The input is not valid JSON, or not the JSON shape expected.
    #[error("malformed JSON at line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the JSON reader said.
        message: String,
    },
    /// Well-formed input that is not a regulation format regwatch knows.
    #[error("{0}")]
    Unrecognized(String),
    /// Nothing to parse.
    #[error("the input is empty")]
    Empty,
    /// The input is over one of the parser's documented limits (HTML
    /// nesting depth or element count), so it is refused instead of
    /// parsed for minutes.
    #[error("{message} at line {line}, column {column}; regwatch does not parse it")]
    TooComplex {
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// Which limit.
        message: String,
    },
    /// The requested format does not match the input.
    #[error("not {expected}: {found}")]
    WrongFormat {
        /// Format the caller asked for.
        expected: &'static str,
        /// What the input looks like instead.
        found: String,
    },
}

/// Line and column (1-based, column in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = super::text::floor_char_boundary(text, offset);
    let before = &text[..offset];
    let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}
