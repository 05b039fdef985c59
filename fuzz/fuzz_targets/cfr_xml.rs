#![no_main]
//! eCFR XML (DLPSTEXTCLASS, DIV1…DIV9) and annual-edition CFR XML
//! (CFRGRANULE, PART).
//!
//! `parse_as(EcfrXml | CfrXml)` is called as asked, but `detect` reports
//! every XML input as `FrXml`, so today those calls stop at the format
//! check (`WrongFormat`). The auto-detecting `parse` is called as well so
//! that the CFR structure parsers are reached.

use libfuzzer_sys::fuzz_target;
use regwatch::model::SourceFormat;
use regwatch::parse::{Input, parse, parse_as};

fuzz_target!(|data: &[u8]| {
    let input = Input::new(data);
    let _ = parse_as(SourceFormat::EcfrXml, &input);
    let _ = parse_as(SourceFormat::CfrXml, &input);
    let _ = parse(&input);
});
