//! eCFR sections rendered to Markdown (`##### § 740.2 … #####`): one
//! section provision per heading, paragraphs nested by marker as for XML.

use std::path::Path;

use regwatch::model::{DocKind, Document, Provision, ProvisionKind, SourceFormat};
use regwatch::parse::{Input, parse};

fn fixture() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/markdown/ecfr-part-740-sections.md"),
    )
    .unwrap()
}

fn ids(ps: &[Provision], out: &mut Vec<String>) {
    for p in ps {
        out.push(p.id.clone());
        ids(&p.children, out);
    }
}

fn find<'a>(ps: &'a [Provision], id: &str) -> Option<&'a Provision> {
    ps.iter().find_map(|p| {
        if p.id == id {
            Some(p)
        } else {
            find(&p.children, id)
        }
    })
}

fn check(doc: &Document) {
    assert_eq!(doc.format, SourceFormat::Markdown);
    assert_eq!(doc.meta.kind, DocKind::Regulation);
    let top: Vec<(&str, ProvisionKind, Option<&str>)> = doc
        .provisions
        .iter()
        .map(|p| (p.id.as_str(), p.kind, p.heading.as_deref()))
        .collect();
    assert_eq!(
        top,
        [
            ("§ 740.1", ProvisionKind::Section, Some("Introduction")),
            (
                "§ 740.2",
                ProvisionKind::Section,
                Some("Restrictions on all License Exceptions")
            ),
        ]
    );
    let mut all = Vec::new();
    ids(&doc.provisions, &mut all);
    assert_eq!(
        all,
        [
            "§ 740.1",
            "§ 740.1(a)",
            "§ 740.1(b)",
            "§ 740.1(c)",
            "§ 740.2",
            "§ 740.2(a)",
            "§ 740.2(a)(1)",
            "§ 740.2(a)(2)",
            "§ 740.2(a)(4)",
            "§ 740.2(a)(4)(i)",
            "§ 740.2(a)(4)(ii)",
            "§ 740.2(a)(4)(iii)",
            "§ 740.2(a)(4)(iv)",
            "§ 740.2(a)(5)",
            "§ 740.2(a)(5)(i)",
            "§ 740.2(a)(5)(ii)",
            "§ 740.2(b)",
        ]
    );
    let p = &doc.provisions;
    let scope = find(p, "§ 740.1(a)").unwrap();
    assert_eq!(scope.heading.as_deref(), Some("Scope"));
    assert!(
        scope
            .text
            .starts_with("(a) Scope. A “License Exception” is an authorization")
    );
    assert_eq!(
        find(p, "§ 740.1").unwrap().text,
        "In this part, references to the EAR are references to 15 CFR chapter VII, subchapter C."
    );
    // Italic emphasis is markup, not text.
    assert_eq!(
        find(p, "§ 740.2(a)").unwrap().text,
        "(a) You may not use any License Exception if any one or more of the following apply:"
    );
    assert_eq!(
        find(p, "§ 740.2(a)(4)(iv)").unwrap().text,
        "(iv) Authorized by § 740.20 of the EAR (License Exception STA)."
    );
    // The source note is the section's, not its last paragraph's.
    let s2 = find(p, "§ 740.2").unwrap();
    assert!(
        s2.text.ends_with("[61 FR 12768, Mar. 25, 1996]"),
        "{}",
        s2.text
    );
    assert!(!find(p, "§ 740.2(b)").unwrap().text.contains("61 FR 12768"));
    assert_eq!(doc.meta.title.as_deref(), Some("§ 740.1 — Introduction"));
}

#[test]
fn ecfr_markdown_sections_nest_paragraphs_like_the_xml() {
    let bytes = fixture();
    let doc = parse(&Input {
        name: Some("ecfr-part-740-sections.md"),
        ..Input::new(&bytes)
    })
    .unwrap();
    check(&doc);
}

#[test]
fn ecfr_markdown_is_recognised_without_a_file_name() {
    let bytes = fixture();
    check(&parse(&Input::new(&bytes)).unwrap());
}

#[test]
fn markdown_heading_that_only_looks_like_a_section_stays_a_heading() {
    let doc = parse(&Input {
        name: Some("note.md"),
        ..Input::new(b"# Notes\n\n## \xc2\xa7 Overview ##\n\nText (a) here.\n")
    })
    .unwrap();
    assert_eq!(doc.meta.kind, DocKind::Report);
    let mut all = Vec::new();
    ids(&doc.provisions, &mut all);
    assert_eq!(all, ["Notes", "§ Overview"]);
}
