//! Parser throughput on real data: the 2.4 MB daily Federal Register issue
//! (95 documents + 1 proclamation) and the 0.9 MB annual-edition 37 CFR
//! part 1. Target: at least 50 MB/s. Needs ../shared/corpus; without it the
//! benchmark says so and measures nothing. Run with `cargo bench --bench parse`.

mod common;

use common::corpus_file;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use regwatch::parse::{Input, parse};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    for (name, rel) in [
        (
            "fr_issue_2024-02-12",
            "fr_xml/FR-2024-02-12.full-issue.current-endash.xml",
        ),
        (
            "cfr_37_part1_2012",
            "cfr_xml/CFR-2012-title37-vol1-part1.xml",
        ),
        ("ecfr_title1", "cfr_xml/ECFR-title1.current-endash.xml"),
    ] {
        let Some(bytes) = corpus_file(rel) else {
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
criterion_main!(benches);
