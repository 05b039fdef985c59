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
