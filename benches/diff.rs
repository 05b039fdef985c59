//! Diff speed on real data. Needs ../shared/corpus; without it the
//! benchmark says so and measures nothing. Run with `cargo bench --bench diff`.
//!
//! - `issue_parse_and_diff`: both 2.4 MB variants of the 2024-02-12 Federal
//!   Register issue parsed, then compared structurally and semantically
//!   (the budget is 150 ms).
//! - `issue_source_formatting`: the line-level pass over the same bytes
//!   that counts the formatting-only passages.
//! - `issue_text_unified`: the text-only diff (`diff --raw --format
//!   unified`): line diff plus rendering. `benches/text_diff_vs.sh` runs
//!   the binary side by side with GNU `diff -u` and Python's difflib.
//! - `cfr_37_part1_diff`: the 2011 → 2012 editions (13 sections reworded),
//!   parse and diff.
//! - `ccl_parse_both_and_diff`: two versions of the CCL (Supplement No. 1
//!   to Part 774, 2.1 MB) parsed and compared (issue 13's budget: 150 ms).
//!   The versions are the real-markup proxy of `benches/parse.rs` (the
//!   committed excerpt's entries repeated to the real size) and a copy in
//!   which one entry's reasons for control changed; with
//!   `REGWATCH_BENCH_CCL` naming the real whole file, that file and the
//!   same edit of it instead; with `REGWATCH_BENCH_CCL_OLD` too, the real
//!   pair (2026-07 → 2026-09: 42 flags).

mod common;

use std::time::{Duration, Instant};

use common::{ccl_proxy, corpus_file, env_file};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use regwatch::diff::compare;
use regwatch::diff::lines::line_diff;
use regwatch::diff::raw::compare_source;
use regwatch::parse::{Input, parse};
use regwatch::report::unified;

fn parse_and_diff(a: &[u8], b: &[u8]) -> bool {
    let (Ok(da), Ok(db)) = (parse(&Input::new(a)), parse(&Input::new(b))) else {
        return false;
    };
    compare(&da, &db).substantive
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("diff");
    g.sample_size(20);
    if let (Some(a), Some(b)) = (
        corpus_file("fr_xml/FR-2024-02-12.full-issue.current-endash.xml"),
        corpus_file("fr_xml/FR-2024-02-12.full-issue.updated-hyphen.xml"),
    ) {
        g.throughput(Throughput::Bytes((a.len() + b.len()) as u64));
        g.bench_function("issue_parse_and_diff", |bench| {
            bench.iter(|| assert!(!parse_and_diff(&a, &b)))
        });
        let (ta, tb) = (
            String::from_utf8_lossy(&a).into_owned(),
            String::from_utf8_lossy(&b).into_owned(),
        );
        g.bench_function("issue_source_formatting", |bench| {
            bench.iter(|| {
                let s = compare_source(&ta, &tb, Instant::now() + Duration::from_secs(10));
                assert_eq!(s.other, 0);
                s
            })
        });
        g.bench_function("issue_text_unified", |bench| {
            bench.iter(|| {
                let d = line_diff(&ta, &tb, 3);
                unified::render(&d, "a", "b", None, false)
            })
        });
    }
    if let (Some(a), Some(b)) = (
        corpus_file("cfr_xml/CFR-2011-title37-vol1-part1.xml"),
        corpus_file("cfr_xml/CFR-2012-title37-vol1-part1.xml"),
    ) {
        g.throughput(Throughput::Bytes((a.len() + b.len()) as u64));
        g.bench_function("cfr_37_part1_diff", |bench| {
            bench.iter(|| assert!(parse_and_diff(&a, &b)))
        });
    }
    let ccl = env_file("REGWATCH_BENCH_CCL").or_else(ccl_proxy);
    if let Some(new) = ccl {
        // The real earlier version when `REGWATCH_BENCH_CCL_OLD` names it;
        // else one real edit: an entry gains a reason for control.
        let old = env_file("REGWATCH_BENCH_CCL_OLD").unwrap_or_else(|| {
            String::from_utf8_lossy(&new)
                .replacen(
                    "<I>Reason for Control:</I> NS, AT",
                    "<I>Reason for Control:</I> AT",
                    1,
                )
                .into_bytes()
        });
        g.throughput(Throughput::Bytes((old.len() + new.len()) as u64));
        g.bench_function("ccl_parse_both_and_diff", |bench| {
            bench.iter(|| assert!(parse_and_diff(&old, &new)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
/// The binary's allocator (src/main.rs), so the figures are the tool's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

criterion_main!(benches);
