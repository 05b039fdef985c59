#![no_main]
//! eCFR XML (DLPSTEXTCLASS, DIV1…DIV9) and annual-edition CFR XML
//! (CFRGRANULE, PART). `parse_as` parses the structure and then checks the
//! format found, so both calls run the CFR parsers on XML input.

use libfuzzer_sys::fuzz_target;
use regwatch::model::SourceFormat;
use regwatch::parse::{Input, parse_as};

fuzz_target!(|data: &[u8]| {
    let input = Input::new(data);
    let _ = parse_as(SourceFormat::EcfrXml, &input);
    let _ = parse_as(SourceFormat::CfrXml, &input);
});
