//! What the benchmarks share: reading real data from ../shared/corpus.

use std::path::Path;

/// The bytes of a corpus file, or `None` after saying the benchmark skips it.
pub fn corpus_file(rel: &str) -> Option<Vec<u8>> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(rel);
    match std::fs::read(&p) {
        Ok(b) => Some(b),
        Err(_) => {
            eprintln!("SKIP: {} not found; not measured", p.display());
            None
        }
    }
}

/// A committed real-markup fixture (`tests/fixtures/…`).
#[allow(dead_code)] // not every benchmark uses every helper
pub fn fixture(rel: &str) -> Option<Vec<u8>> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    std::fs::read(&p).ok()
}

/// A full-size proxy of a real file from an excerpt of it: the text
/// between `open` (through the end of its line) and `close` is repeated
/// until the whole reaches `size` bytes; the markup is the excerpt's own,
/// only there is more of it. `None` when the markers are missing.
#[allow(dead_code)]
pub fn repeated(excerpt: &[u8], open: &str, close: &str, size: usize) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(excerpt).ok()?;
    let start = text.find(open)?;
    let start = start + text[start..].find('\n')? + 1;
    let end = start + text[start..].rfind(close)?;
    let (head, body, tail) = (&text[..start], &text[start..end], &text[end..]);
    if body.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(size + body.len());
    out.push_str(head);
    while out.len() + body.len() + tail.len() <= size {
        out.push_str(body);
    }
    out.push_str(tail);
    Some(out.into_bytes())
}

/// A real full-size file named by an environment variable (not committed,
/// too large): measured only when the variable names a readable file.
#[allow(dead_code)]
pub fn env_file(var: &str) -> Option<Vec<u8>> {
    let path = std::env::var_os(var)?;
    match std::fs::read(&path) {
        Ok(b) => Some(b),
        Err(e) => {
            eprintln!("SKIP: {var}={}: {e}", Path::new(&path).display());
            None
        }
    }
}

/// eCFR Supplement No. 1 to Part 774 (the CCL, 2.1 MB real) as a proxy:
/// the committed real excerpt's entries repeated to 2.1 MB (ECCNs repeat,
/// so the proxy has ~30 copies of each of its 27 entries).
#[allow(dead_code)]
pub fn ccl_proxy() -> Option<Vec<u8>> {
    let excerpt = fixture("parse/ecfr/ccl-774-excerpt.xml")?;
    repeated(&excerpt, "<DIV9 ", "</DIV9>", 2_131_189)
}

/// eCFR part 744 (2.5 MB real, mostly the Entity List table) as a proxy:
/// the corpus excerpt's Entity List rows repeated to 2.5 MB.
#[allow(dead_code)]
pub fn part_744_proxy() -> Option<Vec<u8>> {
    let excerpt =
        corpus_file("ecfr_title15_xml/ECFR-title15-part744-supp4-2026-09-01.excerpt.xml")?;
    repeated(
        &excerpt,
        "<TBODY>",
        "<!-- closing tags added by excerpt -->\n</TBODY>",
        2_510_387,
    )
}
