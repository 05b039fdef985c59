#![no_main]
//! Federal Register full-text XML: one document (RULE, NOTICE, …) or a
//! daily issue (FEDREG).

use libfuzzer_sys::fuzz_target;
use regwatch::model::SourceFormat;
use regwatch::parse::{Input, parse_as};

fuzz_target!(|data: &[u8]| {
    let input = Input::new(data);
    let _ = parse_as(SourceFormat::FrXml, &input);
    let _ = parse_as(SourceFormat::FrIssueXml, &input);
});
