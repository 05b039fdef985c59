#![no_main]
//! Markdown and plain-text reports (dates, agencies, key: value lines).

use libfuzzer_sys::fuzz_target;
use regwatch::model::SourceFormat;
use regwatch::parse::{Input, parse_as};

fuzz_target!(|data: &[u8]| {
    let input = Input::new(data);
    let _ = parse_as(SourceFormat::Markdown, &input);
    let _ = parse_as(SourceFormat::Text, &input);
});
