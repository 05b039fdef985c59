#![no_main]
//! Federal Register API JSON: one document record, or a search response.

use libfuzzer_sys::fuzz_target;
use regwatch::model::SourceFormat;
use regwatch::parse::{Input, parse_as};

fuzz_target!(|data: &[u8]| {
    let input = Input::new(data);
    let _ = parse_as(SourceFormat::FrApiJson, &input);
    let _ = parse_as(SourceFormat::FrApiSearch, &input);
});
