//! The demo's day-2 output as reviewed snapshots (insta): the diffs of the
//! three changed items and the summary, each in text, Markdown and HTML.
//! A wording change is a diff of a `.snap` file under `tests/snapshots/`,
//! reviewed like code. With `CI` set, a missing or different snapshot
//! fails and nothing is written.

use std::path::Path;

use crate::common::TestEnv;

/// The demo's random port, the hashed item keys that carry it, and the
/// temporary folder, replaced so snapshots are stable.
fn normalise(text: &str, dir: &Path) -> String {
    let port = regex::Regex::new(r"127\.0\.0\.1:\d+").unwrap();
    let hashed = regex::Regex::new(r"--[0-9a-f]{16}\b").unwrap();
    let text = text.replace(dir.to_str().unwrap(), "DIR");
    let text = port.replace_all(&text, "127.0.0.1:PORT");
    hashed.replace_all(&text, "--HASH").into_owned()
}

/// The part of the demo's output between `from` and the next `== ` heading.
fn section<'a>(text: &'a str, from: &str) -> &'a str {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("no {from:?}:\n{text}"));
    let rest = &text[start..];
    let end = rest[from.len()..]
        .find("\n== Version history")
        .map_or(rest.len(), |e| e + from.len());
    &rest[..end]
}

#[test]
fn demo_day_two_diffs_and_summary_read_as_reviewed() {
    let env = TestEnv::new();
    let out = env.path().join("demo");
    let r = env.run(&["demo", "--out", out.to_str().unwrap()]);
    r.expect_code(0);
    let stdout = r.stdout();
    let summary = section(&stdout, "== The day-2 summary");
    insta::assert_snapshot!("summary.txt", normalise(summary, &out));
    let mail = out.join("mail");
    let day2 = |ext: &str| {
        let name = std::fs::read_dir(&mail)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with("2024-10-15-") && n.ends_with(ext))
            .unwrap_or_else(|| panic!("no day-2 {ext} in {}", mail.display()));
        normalise(&std::fs::read_to_string(mail.join(name)).unwrap(), &out)
    };
    insta::assert_snapshot!("summary.md", day2(".md"));
    insta::assert_snapshot!("summary.html", day2(".html"));
    summary_reads_as_the_issue_asks(summary, &day2(".md"), &day2(".html"));
    let calendar = std::fs::read_to_string(mail.join("deadlines.ics")).unwrap();
    assert_eq!(
        calendar.matches("DTSTART;VALUE=DATE:20241205").count(),
        1,
        "one comment period is one event:\n{calendar}"
    );
    let unfolded = calendar.replace("\r\n ", "");
    assert!(!unfolded.contains("_close_on"), "{calendar}");
    assert!(
        unfolded.contains("Evidence: Federal Register: comments close 2024-12-05 (was 2024-11-05)")
            && unfolded.contains("Also stated in FR Doc. 2024-99001: “Comments must be received"),
        "{unfolded}"
    );

    let store = out.join("snapshots");
    let s = store.to_str().unwrap();
    for item in ["ear/part-740", "ear/part-774", "bis-rules/2024-19633"] {
        for format in ["text", "markdown", "html"] {
            let r = env.run(&["--store", s, "diff", item, "--format", format]);
            r.expect_code(1);
            let name = format!("diff-{}.{format}", item.replace('/', "--"));
            let page = r.stdout();
            // Pages people read say kinds and API dates in words.
            for code in ["country_added", "eccn_added", "date_changed", "_close_on"] {
                assert!(!page.contains(code), "{code} in {name}:\n{page}");
            }
            insta::assert_snapshot!(name.clone(), normalise(&page, &out));
            // With colour forced: text in the palette's colours (kept as
            // a snapshot, escape codes made visible), Markdown and HTML
            // exactly as without.
            let coloured = env.run(&[
                "--store", s, "--color", "always", "diff", item, "--format", format,
            ]);
            coloured.expect_code(1);
            if format == "text" {
                let page = coloured.stdout();
                assert!(
                    page.contains("\u{1b}[1m") && page.contains("\u{1b}[0m"),
                    "{page}"
                );
                insta::assert_snapshot!(
                    format!("{name}-color"),
                    normalise(&page, &out).replace('\u{1b}', "<ESC>")
                );
            } else {
                assert_eq!(coloured.stdout(), page, "{name} with --color always");
            }
        }
    }
}

/// The points of "A summary a compliance officer acts on", checked on the
/// demo's day-2 summary in text, Markdown and HTML.
fn summary_reads_as_the_issue_asks(text: &str, md: &str, html: &str) {
    let subject = "regwatch: Korea, South added to IEC; ECCN 3C909 added; \
                   comment deadline moved to 2024-12-05 (+2 more)";
    // The subject names the top changes.
    assert!(text.contains(&format!("\n{subject}\n")), "{text}");
    assert!(
        md.starts_with(&format!("# {}", subject.replace('_', "\\_"))),
        "{md}"
    );
    assert!(
        html.contains(&format!("<title>{subject}</title>")),
        "{html}"
    );
    // "Key changes" come first, before any feed, one line each.
    let key = [
        "Korea, South (KR) added to",
        "ECCN 3C909 added",
        "Comment deadline moved from",
    ];
    for (body, heading, feed) in [
        (text, "KEY CHANGES", "\n== "),
        (md, "## Key changes", "\n## BIS"),
        (html, "<h2>Key changes</h2>", "<h2>BIS"),
    ] {
        let start = body
            .find(heading)
            .unwrap_or_else(|| panic!("no {heading}:\n{body}"));
        let end = body.find(feed).unwrap();
        assert!(start < end, "{body}");
        let block = &body[start..end];
        let mut at = 0;
        for k in key {
            let i = block[at..]
                .find(k)
                .unwrap_or_else(|| panic!("{k} not in order:\n{block}"));
            at += i;
        }
    }
    // Every key change and every changed item links somewhere.
    let html_key = &html[html.find("<h2>Key changes</h2>").unwrap()..html.find("<h2>BIS").unwrap()];
    assert_eq!(
        html_key.matches("<li><a href=\"http").count(),
        3,
        "{html_key}"
    );
    assert!(!html.contains("regwatch diff FEED/ITEM"), "{html}");
    for title in ["15 CFR part 740", "15 CFR part 774"] {
        assert!(
            html.contains(&format!("\">{title}</a></strong>")),
            "{title} not linked:\n{html}"
        );
    }
    // One comment period is one deadline, with the notice kept as evidence.
    let table = &html[html.find("<h2>Upcoming deadlines</h2>").unwrap()..];
    assert_eq!(
        table.matches("<td class=\"date\">2024-12-05<br>").count(),
        1,
        "{table}"
    );
    assert!(
        table.contains("also stated in FR Doc. <span class=\"nowrap\">2024-99001</span>"),
        "{table}"
    );
    assert!(
        html.contains("td.date,.nowrap{white-space:nowrap}"),
        "{html}"
    );
    // Evidence in words, never an API field name or a diff of one.
    for body in [text, md, html] {
        assert!(
            !body.contains("_close_on") && !body.contains("close\\_on"),
            "{body}"
        );
    }
    assert!(
        text.contains("Federal Register: comments close 2024-12-05 (was 2024-11-05)"),
        "{text}"
    );
    markdown_renders_as_intended(md);
}

/// Parsed with a CommonMark parser, every strong span holds words (no
/// space inside its markers), the insertion "Korea, South;" is bold, and
/// no `**` is left literal.
fn markdown_renders_as_intended(md: &str) {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut strong: Vec<String> = Vec::new();
    let mut depth = 0;
    let mut plain = String::new();
    for e in Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES) {
        match e {
            Event::Start(Tag::Strong) => {
                depth += 1;
                strong.push(String::new());
            }
            Event::End(TagEnd::Strong) => depth -= 1,
            Event::Text(t) | Event::Code(t) => {
                plain.push_str(&t);
                if depth > 0 {
                    strong.last_mut().unwrap().push_str(&t);
                }
            }
            _ => {}
        }
    }
    assert!(strong.iter().any(|s| s == "Korea, South;"), "{strong:#?}");
    assert!(
        strong.iter().all(|s| s.trim() == s && !s.is_empty()),
        "{strong:#?}"
    );
    assert!(
        !plain.contains("**"),
        "literal ** in the rendered Markdown:\n{plain}"
    );
}
