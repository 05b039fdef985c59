//! The bundled demo fixtures, embedded in the binary so `regwatch demo`
//! needs no network and no files beside the executable. Generated from
//! the `fixtures/` folder; a test fails when the two disagree.

/// `(path under fixtures/, bytes)` for every served file.
pub(super) const FILES: &[(&str, &[u8])] = &[
    ("day1/api/v1/documents.json", include_bytes!("fixtures/day1/api/v1/documents.json")),
    ("day1/api/v1/documents.page-2.json", include_bytes!("fixtures/day1/api/v1/documents.page-2.json")),
    ("day1/api/v1/documents/2024-05267.json", include_bytes!("fixtures/day1/api/v1/documents/2024-05267.json")),
    ("day1/api/v1/documents/2024-19633.json", include_bytes!("fixtures/day1/api/v1/documents/2024-19633.json")),
    ("day1/api/versioner/v1/full/2024-09-06/title-15.part-740.xml", include_bytes!("fixtures/day1/api/versioner/v1/full/2024-09-06/title-15.part-740.xml")),
    ("day1/api/versioner/v1/full/2024-09-06/title-15.part-774.xml", include_bytes!("fixtures/day1/api/versioner/v1/full/2024-09-06/title-15.part-774.xml")),
    ("day1/api/versioner/v1/versions/title-15.part-740.json", include_bytes!("fixtures/day1/api/versioner/v1/versions/title-15.part-740.json")),
    ("day1/api/versioner/v1/versions/title-15.part-774.json", include_bytes!("fixtures/day1/api/versioner/v1/versions/title-15.part-774.json")),
    ("day1/bis/press.rss", include_bytes!("fixtures/day1/bis/press.rss")),
    ("day1/bis/press/2024-03-12-commerce-clarifies-radiation-hardened-ic-controls.html", include_bytes!("fixtures/day1/bis/press/2024-03-12-commerce-clarifies-radiation-hardened-ic-controls.html")),
    ("day1/bis/press/2024-09-05-commerce-controls-quantum-semiconductor-additive-manufacturing.html", include_bytes!("fixtures/day1/bis/press/2024-09-05-commerce-controls-quantum-semiconductor-additive-manufacturing.html")),
    ("day1/documents/full_text/xml/2024/03/13/2024-05267.xml", include_bytes!("fixtures/day1/documents/full_text/xml/2024/03/13/2024-05267.xml")),
    ("day1/documents/full_text/xml/2024/09/06/2024-19633.xml", include_bytes!("fixtures/day1/documents/full_text/xml/2024/09/06/2024-19633.xml")),
    ("day1/mofcom/article/gjdt/202409/1035.gbk.html", include_bytes!("fixtures/day1/mofcom/article/gjdt/202409/1035.gbk.html")),
    ("day2/api/v1/documents.json", include_bytes!("fixtures/day2/api/v1/documents.json")),
    ("day2/api/v1/documents/2024-19633.json", include_bytes!("fixtures/day2/api/v1/documents/2024-19633.json")),
    ("day2/api/v1/documents/2024-99001.json", include_bytes!("fixtures/day2/api/v1/documents/2024-99001.json")),
    ("day2/api/versioner/v1/full/2024-10-15/title-15.part-740.xml", include_bytes!("fixtures/day2/api/versioner/v1/full/2024-10-15/title-15.part-740.xml")),
    ("day2/api/versioner/v1/full/2024-10-15/title-15.part-774.xml", include_bytes!("fixtures/day2/api/versioner/v1/full/2024-10-15/title-15.part-774.xml")),
    ("day2/api/versioner/v1/versions/title-15.part-740.json", include_bytes!("fixtures/day2/api/versioner/v1/versions/title-15.part-740.json")),
    ("day2/api/versioner/v1/versions/title-15.part-774.json", include_bytes!("fixtures/day2/api/versioner/v1/versions/title-15.part-774.json")),
    ("day2/bis/press.rss", include_bytes!("fixtures/day2/bis/press.rss")),
    ("day2/bis/press/2024-10-15-bis-extends-comment-period-advanced-technologies-rule.html", include_bytes!("fixtures/day2/bis/press/2024-10-15-bis-extends-comment-period-advanced-technologies-rule.html")),
    ("day2/documents/full_text/xml/2024/10/15/2024-99001.xml", include_bytes!("fixtures/day2/documents/full_text/xml/2024/10/15/2024-99001.xml")),
];
