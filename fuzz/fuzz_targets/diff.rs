#![no_main]
//! The diff engine on arbitrary text pairs (split at the first 0xFF byte):
//! no panics, no hangs, and the edits it reports rebuild both inputs.

use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use regwatch::diff::lines::{LineTag, line_diff};
use regwatch::diff::normalize::normalize;
use regwatch::diff::raw::compare_source;
use regwatch::diff::words::word_diff;
use regwatch::diff::{EditOp, compare};
use regwatch::model::SourceFormat;
use regwatch::parse::{Input, parse_as};

fuzz_target!(|data: &[u8]| {
    let (x, y) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => data.split_at(data.len() / 2),
    };
    let a = String::from_utf8_lossy(x);
    let b = String::from_utf8_lossy(y);

    // Word diff: equal + deleted runs spell the old text, equal + inserted the new.
    let w = word_diff(&a, &b);
    let old: String = w.iter().filter(|e| e.op != EditOp::Insert).map(|e| e.text.as_str()).collect();
    let new: String = w.iter().filter(|e| e.op != EditOp::Delete).map(|e| e.text.as_str()).collect();
    assert_eq!(old, a);
    assert_eq!(new, b);

    // Line diff with no context: the hunks, applied to the old lines, give the new ones.
    let d = line_diff(&a, &b, 0);
    let old_lines: Vec<&str> = a.lines().collect();
    let new_lines: Vec<&str> = b.lines().collect();
    let mut rebuilt: Vec<&str> = Vec::new();
    let mut i = 0;
    for h in &d.hunks {
        let start = if h.old_len == 0 { h.old_start } else { h.old_start - 1 };
        rebuilt.extend(&old_lines[i..start]);
        i = start + h.old_len;
        rebuilt.extend(h.lines.iter().filter(|l| l.tag == LineTag::Insert).map(|l| l.text.as_str()));
    }
    rebuilt.extend(&old_lines[i..]);
    assert_eq!(rebuilt, new_lines);

    // Normalisation is idempotent.
    let n = normalize(&a);
    assert_eq!(normalize(&n), n);

    let _ = compare_source(&a, &b, Instant::now() + Duration::from_millis(500));
    let input_a = Input::new(x);
    let input_b = Input::new(y);
    if let (Ok(da), Ok(db)) = (
        parse_as(SourceFormat::Markdown, &input_a),
        parse_as(SourceFormat::Markdown, &input_b),
    ) {
        let _ = compare(&da, &db);
    }
});
