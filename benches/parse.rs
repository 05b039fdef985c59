//! Parser throughput on real data: the 2.4 MB daily Federal Register issue
//! (95 documents + 1 proclamation) and the 0.9 MB annual-edition 37 CFR
//! part 1. Target: at least 50 MB/s. Needs ../shared/corpus; without it the
//! benchmark says so and measures nothing. Run with `cargo bench --bench parse`.
//!
//! The EAR as eCFR publishes it (issue 13; targets: the 2.1 MB CCL in at
//! most 60 ms, the 2.5 MB part 744 in at most 80 ms):
//! - `ecfr_ccl_774_proxy`: Supplement No. 1 to Part 774 at its real size,
//!   built here from the committed real excerpt
//!   `tests/fixtures/parse/ecfr/ccl-774-excerpt.xml`, its entries repeated
//!   to 2,131,189 bytes (the size of the 2026-09-01 file).
//! - `ecfr_744_proxy`: part 744 at its real size (2,510,387 bytes), the
//!   Entity List rows of the corpus excerpt
//!   `ecfr_title15_xml/ECFR-title15-part744-supp4-2026-09-01.excerpt.xml`
//!   repeated.
//! - `ecfr_ccl_774_full` / `ecfr_744_full`: the real whole files, too large
//!   to commit, when `REGWATCH_BENCH_CCL` / `REGWATCH_BENCH_744` name them
//!   (eCFR versioner XML of `title-15.xml?part=774` / `?part=744`).

mod common;

use common::{ccl_proxy, corpus_file, env_file, part_744_proxy};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use regwatch::parse::{Input, parse};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    let corpus = [
        (
            "fr_issue_2024-02-12",
            "fr_xml/FR-2024-02-12.full-issue.current-endash.xml",
        ),
        (
            "cfr_37_part1_2012",
            "cfr_xml/CFR-2012-title37-vol1-part1.xml",
        ),
        ("ecfr_title1", "cfr_xml/ECFR-title1.current-endash.xml"),
    ]
    .map(|(name, rel)| (name, corpus_file(rel)));
    let ear = [
        ("ecfr_ccl_774_proxy", ccl_proxy()),
        ("ecfr_744_proxy", part_744_proxy()),
        ("ecfr_ccl_774_full", env_file("REGWATCH_BENCH_CCL")),
        ("ecfr_744_full", env_file("REGWATCH_BENCH_744")),
    ];
    for (name, bytes) in corpus.into_iter().chain(ear) {
        let Some(bytes) = bytes else {
            continue;
        };
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                let doc = parse(&Input::new(&bytes));
                assert!(doc.is_ok());
                doc
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
/// The binary's allocator (src/main.rs), so the figures are the tool's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

criterion_main!(benches);
