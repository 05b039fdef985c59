#![no_main]
//! HTML pages, whole and narrowed by a CSS selector (MOFCOM's article body).

use libfuzzer_sys::fuzz_target;
use regwatch::model::SourceFormat;
use regwatch::parse::{Input, parse_as};

fuzz_target!(|data: &[u8]| {
    let _ = parse_as(SourceFormat::Html, &Input::new(data));
    let _ = parse_as(
        SourceFormat::Html,
        &Input {
            bytes: data,
            selector: Some("div.art-con"),
            ..Input::default()
        },
    );
});
