//! feeds.yaml validation: every mistake names file, line, column and a fix.

use regwatch::config::{Config, ConfigError, Source};

use crate::common::TestEnv;

fn err(yaml: &str) -> (String, Option<String>) {
    let env = TestEnv::new();
    let p = env.write_config(yaml);
    match Config::load(&p) {
        Ok(_) => panic!("config should be rejected:\n{yaml}"),
        Err(e) => {
            let hint = e.hint().map(str::to_string);
            let msg = e
                .to_string()
                .replace(&p.display().to_string(), "feeds.yaml");
            (msg, hint)
        }
    }
}

#[test]
fn shipped_feeds_yaml_is_valid_and_tracks_bis_sources() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("feeds.yaml");
    let c = Config::load(&path).unwrap();
    let fr = c.feeds.iter().find_map(|f| match &f.source {
        Source::FederalRegister(fr) => Some(fr),
        _ => None,
    });
    assert_eq!(fr.unwrap().agencies, vec!["industry-and-security-bureau"]);
    let parts: Vec<String> = c
        .feeds
        .iter()
        .filter_map(|f| match &f.source {
            Source::Ecfr(e) if e.title == 15 => Some(e.parts.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    for p in ["738", "740", "742", "744", "774"] {
        assert!(parts.contains(&p.to_string()), "part {p} missing");
    }
    assert!(
        c.feeds
            .iter()
            .any(|f| matches!(f.source, Source::Html(_) | Source::Rss(_)))
    );
    assert!(c.store.ends_with("snapshots"));
}

#[test]
fn unknown_key_points_at_line_and_suggests() {
    let (msg, hint) = err(
        "feeds:\n  - id: news\n    kind: html\n    url: https://example.gov/\n    selecter: div.x\n",
    );
    assert!(msg.starts_with("feeds.yaml:5:"), "{msg}");
    assert!(msg.contains("unknown key `selecter`"), "{msg}");
    assert_eq!(hint.as_deref(), Some("did you mean `selector`?"));
}

#[test]
fn unknown_top_level_key_is_rejected() {
    let (msg, _) = err("stroe: x\nfeeds: []\n");
    assert!(msg.starts_with("feeds.yaml:1:"), "{msg}");
    assert!(msg.contains("`stroe`"), "{msg}");
}

#[test]
fn duplicate_ids_name_both_lines() {
    let yaml =
        "feeds:\n  - id: a\n    kind: file\n    path: x\n  - id: a\n    kind: file\n    path: y\n";
    let (msg, hint) = err(yaml);
    assert!(msg.starts_with("feeds.yaml:5:"), "{msg}");
    assert!(msg.contains("duplicate feed id `a`"), "{msg}");
    assert!(hint.unwrap().contains("line 2"));
}

#[test]
fn wrong_types_are_located() {
    let (msg, _) = err("feeds:\n  - id: ear\n    kind: ecfr\n    title: fifteen\n    part: 740\n");
    assert!(msg.starts_with("feeds.yaml:4:"), "{msg}");
    let (msg, _) = err(
        "feeds:\n  - id: fr\n    kind: federal_register\n    agencies: {name: industry-and-security-bureau}\n",
    );
    assert!(msg.starts_with("feeds.yaml:4:"), "{msg}");
}

#[test]
fn keys_of_another_kind_are_rejected_with_the_right_list() {
    let (msg, hint) = err(
        "feeds:\n  - id: ear\n    kind: ecfr\n    title: 15\n    part: 740\n    selector: div\n",
    );
    assert!(
        msg.contains("key `selector` does not apply to kind `ecfr`"),
        "{msg}"
    );
    assert!(msg.starts_with("feeds.yaml:6:"), "{msg}");
    assert!(hint.unwrap().contains("parts"));
}

#[test]
fn near_misses_get_the_corrected_value_as_hint() {
    let (msg, hint) = err("feeds:\n  - id: a\n    kind: html\n    url: htps://x.gov/a\n");
    assert!(msg.contains("http or https"), "{msg}");
    assert_eq!(hint.as_deref(), Some("did you mean `https://x.gov/a`?"));
    let (_, hint) = err("feeds:\n  - id: a\n    kind: rss\n    url: ftp://x.gov/f\n");
    assert!(hint.is_some_and(|h| h.contains("full URL")));
    let (msg, hint) =
        err("feeds:\n  - id: ear\n    kind: ecfr\n    title: 15\n    parts: \"740, 774\"\n");
    assert!(msg.contains("feeds.yaml:5:12"), "{msg}");
    assert!(msg.contains("invalid CFR part `740, 774`"), "{msg}");
    assert_eq!(
        hint.as_deref(),
        Some("list several parts as a list: `parts: [740, 774]`")
    );
}

#[test]
fn semantic_mistakes_are_caught() {
    let cases = [
        (
            "feeds:\n  - id: Bad_Id\n    kind: file\n    path: x\n",
            "invalid feed id",
        ),
        (
            "feeds:\n  - id: a\n    kind: rssfeed\n    url: https://x.gov\n",
            "unknown feed kind",
        ),
        ("feeds:\n  - id: a\n    kind: rss\n", "needs `url`"),
        (
            "feeds:\n  - id: a\n    kind: rss\n    url: ftp://x.gov/f\n",
            "http or https",
        ),
        (
            "feeds:\n  - id: a\n    kind: html\n    url: https://x.gov\n    selector: 'div['\n",
            "not a valid CSS selector",
        ),
        (
            "feeds:\n  - id: a\n    kind: ecfr\n    title: 15\n",
            "needs `part` or `parts`",
        ),
        (
            "feeds:\n  - id: a\n    kind: federal_register\n    since: 2024-13-01\n",
            "not a date",
        ),
        (
            "feeds:\n  - id: a\n    kind: federal_register\n    types: [RULES]\n",
            "unknown Federal Register document type",
        ),
        (
            "feeds:\n  - id: a\n    kind: rss\n    url: https://x.gov\n    headers: [{name: X-Key, value: a, value_env: B}]\n",
            "exactly one of",
        ),
        (
            "feeds:\n  - id: a\n    kind: file\n    path: x\n    timeout_secs: 3\n",
            "does not apply to kind `file`",
        ),
        (
            "http:\n  per_host_concurrency: 0\nfeeds: []\n",
            "per_host_concurrency",
        ),
        (
            "feeds:\n  - id: a\n    kind: rss\n    url: [unclosed\n",
            "feeds.yaml:",
        ),
    ];
    for (yaml, want) in cases {
        let (msg, _) = err(yaml);
        assert!(msg.contains(want), "for\n{yaml}\ngot: {msg}");
        assert!(msg.starts_with("feeds.yaml:"), "no location in: {msg}");
    }
}

#[test]
fn empty_and_non_utf8_files_are_errors_not_panics() {
    let (msg, hint) = err("");
    assert!(msg.contains("empty"), "{msg}");
    assert!(hint.is_some());
    let env = TestEnv::new();
    let p = env.path().join("feeds.yaml");
    std::fs::write(&p, b"feeds:\n  - id: \xff\xfe\n").unwrap();
    assert!(Config::load(&p).unwrap_err().to_string().contains("UTF-8"));
    let missing = Config::load(&env.path().join("nope.yaml")).unwrap_err();
    assert!(matches!(missing, ConfigError::Io { .. }));
}

#[test]
fn defaults_and_paths_resolve_against_the_config_folder() {
    let env = TestEnv::new();
    let c = env.config(
        "store: data/store\nfeeds:\n  - id: notes\n    kind: file\n    path: notes/\n  - id: ear\n    kind: ecfr\n    title: 15\n    parts: [740, \"774\"]\n",
    );
    assert_eq!(c.store, env.path().join("data/store"));
    match &c.feeds[0].source {
        Source::File(f) => assert_eq!(f.path, env.path().join("notes/")),
        other => panic!("{other:?}"),
    }
    match &c.feeds[1].source {
        Source::Ecfr(e) => {
            assert_eq!(e.parts, vec!["740", "774"]);
            assert_eq!(e.base_url.as_str(), "https://www.ecfr.gov/");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(c.http.retries, 3);
}

fn smtp_yaml(host: &str, security: &str, extra: &str) -> String {
    format!(
        "feeds:\n  - id: notes\n    kind: file\n    path: notes\nnotify:\n  - id: team\n    email:\n      smtp:\n        host: \"{host}\"\n        security: {security}\n        username_env: SMTP_USER\n        password_env: SMTP_PASSWORD{extra}\n      from: regwatch@example.com\n      to: [team@example.com]\n"
    )
}

#[test]
fn smtp_auth_in_clear_text_is_refused_unless_loopback_or_opted_in() {
    let (msg, hint) = err(&smtp_yaml("smtp.example.com", "none", ""));
    assert!(msg.starts_with("feeds.yaml:10:19: "), "{msg}");
    assert!(msg.contains("clear text"), "{msg}");
    assert!(msg.contains("smtp.example.com"), "{msg}");
    let hint = hint.unwrap();
    assert!(hint.contains("security: starttls"), "{hint}");
    assert!(hint.contains("allow_plaintext_auth: true"), "{hint}");
    let env = TestEnv::new();
    // A relay on this host never puts the password on a network.
    for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"] {
        env.config(&smtp_yaml(host, "none", ""));
    }
    // The explicit opt-in, and the encrypted modes, are fine.
    env.config(&smtp_yaml(
        "smtp.example.com",
        "none",
        "\n        allow_plaintext_auth: true",
    ));
    env.config(&smtp_yaml("smtp.example.com", "starttls", ""));
    env.config(&smtp_yaml("smtp.example.com", "tls", ""));
    // A look-alike of loopback is not loopback.
    let (msg, _) = err(&smtp_yaml("localhost.example.com", "none", ""));
    assert!(msg.contains("clear text"), "{msg}");
    // The key is a boolean.
    let (msg, _) = err(&smtp_yaml(
        "smtp.example.com",
        "none",
        "\n        allow_plaintext_auth: maybe",
    ));
    assert!(msg.contains("feeds.yaml:13:"), "{msg}");
}

/// The YAML library's own words that must never reach a user.
const LIBRARY_WORDS: [&str; 7] = [
    "DuplicateKeyPolicy",
    "report this to the developer",
    "ClassNeedsIdent",
    "floating point",
    "sequence start",
    "untagged enum",
    "invalid u32",
];

fn assert_teaches(yaml: &str, at: &str, says: &[&str], hint_says: &[&str]) {
    let (msg, hint) = err(yaml);
    let hint = hint.unwrap_or_default();
    assert!(msg.starts_with(at), "{msg} (expected at {at})");
    for s in says {
        assert!(msg.contains(s), "`{s}` missing from: {msg}");
    }
    for s in hint_says {
        assert!(hint.contains(s), "`{s}` missing from hint: {hint} ({msg})");
    }
    for w in LIBRARY_WORDS {
        assert!(
            !msg.contains(w) && !hint.contains(w),
            "{w} leaked: {msg} / {hint}"
        );
    }
}

#[test]
fn yaml_mistakes_name_the_key_what_was_expected_and_an_example() {
    assert_teaches(
        "feeds:\n  - id: a\n    kind: html\n    url: https://x.gov/\n    url: https://y.gov/\n",
        "feeds.yaml:5:",
        &["`url`", "twice"],
        &["keep one `url:`"],
    );
    assert_teaches(
        "http:\n  timeout_secs: \"sixty\"\n",
        "feeds.yaml:2:",
        &["`timeout_secs` must be a number", "`sixty`"],
        &["timeout_secs: 60"],
    );
    assert_teaches(
        "feeds:\n  - id: a\n    kind: ecfr\n    title: fifteen\n    parts: [740]\n",
        "feeds.yaml:4:",
        &["`title` must be a number"],
        &["title: 15"],
    );
    assert_teaches(
        "feeds:\n  - id: a\n    kind: rss\n    url: https://x.gov/\n    follow_links: maybe\n",
        "feeds.yaml:5:",
        &["`follow_links` must be true or false", "`maybe`"],
        &[],
    );
    assert_teaches(
        "feeds:\n  - id: a\n    kind: ecfr\n    title: 15\n    parts: {a: 1}\n",
        "feeds.yaml:5:",
        &["`parts`", "list"],
        &["parts: [740]"],
    );
    assert_teaches(
        "feeds:\n  - id: a\n    kind: rss\n    url: https://x.gov/\n    headers: X-Key\n",
        "feeds.yaml:5:",
        &["`headers` must be a list"],
        &["value_env"],
    );
    assert_teaches(
        "feeds:\n\t- id: a\n",
        "feeds.yaml:2:",
        &["tab"],
        &["spaces"],
    );
    assert_teaches(
        "feeds:\n  - id: a\n   kind: rss\n",
        "feeds.yaml:3:",
        &["indentation"],
        &["line up"],
    );
    assert_teaches(
        "feeds:\n  - id: a\n    kind: rss\n    url: https://x.gov/\nnotify:\n  - id: t\n    email: yes\n",
        "feeds.yaml:7:",
        &["`email` must be a section"],
        &[],
    );
    assert_teaches(
        "feeds:\n  - bis-rules\n",
        "feeds.yaml:2:",
        &["each entry of `feeds` must be a section", "`bis-rules`"],
        &["- id: bis-rules"],
    );
}

#[test]
fn a_bad_css_selector_is_explained_in_plain_words() {
    assert_teaches(
        "feeds:\n  - id: a\n    kind: html\n    url: https://x.gov/\n    selector: 'div..x'\n",
        "feeds.yaml:5:",
        &["`selector`", "`div..x`", "class name"],
        &["div.art-con"],
    );
    assert_teaches(
        "feeds:\n  - id: a\n    kind: html\n    url: https://x.gov/\n    selector: 'div >'\n",
        "feeds.yaml:5:",
        &["nothing after it"],
        &[],
    );
}

#[test]
fn a_single_value_is_accepted_where_a_one_element_list_is_meant() {
    let env = crate::common::TestEnv::new();
    let c = env.config(
        "feeds:\n  - id: ear\n    kind: ecfr\n    title: 15\n    parts: 740\n  \
         - id: fr\n    kind: federal_register\n    agencies: industry-and-security-bureau\n    \
         types: RULE\n    terms: entity list\n\
         notify:\n  - id: team\n    feeds: ear\n    remind_days: 7\n    \
         profile:\n      eccns: 3b001\n      countries: CN\n      exceptions: IEC\n      keywords: quantum\n    \
         email:\n      from: regwatch@example.com\n      to: team@example.com\n      cc: legal@example.com\n      \
         smtp:\n        host: localhost\n    \
         file:\n      dir: out\n      formats: html\n",
    );
    let Source::Ecfr(e) = &c.feeds[0].source else {
        panic!("ecfr expected")
    };
    assert_eq!(e.parts, vec!["740"]);
    let Source::FederalRegister(fr) = &c.feeds[1].source else {
        panic!("federal_register expected")
    };
    assert_eq!(fr.agencies, vec!["industry-and-security-bureau"]);
    assert_eq!(fr.types, vec!["RULE"]);
    assert_eq!(fr.terms, vec!["entity list"]);
    let r = &c.notify[0];
    assert_eq!(r.feeds, vec!["ear"]);
    assert_eq!(r.remind_days, vec![7]);
    assert_eq!(r.profile.eccns, vec!["3B001"]);
    assert_eq!(r.profile.countries, vec!["CN"]);
    assert_eq!(r.profile.exceptions, vec!["IEC"]);
    assert_eq!(r.profile.keywords, vec!["quantum"]);
    let mut emails = 0;
    for ch in &r.channels {
        match ch {
            regwatch::config::Channel::Email(m) => {
                emails += 1;
                assert_eq!(m.to, vec!["team@example.com"]);
                assert_eq!(m.cc, vec!["legal@example.com"]);
            }
            regwatch::config::Channel::File(f) => {
                assert_eq!(f.formats, vec![regwatch::config::SummaryFormat::Html]);
            }
            _ => {}
        }
    }
    assert_eq!(emails, 1);
}

/// `links:` resolves `dir` against the config folder, needs somewhere to
/// write the pages, and a `dir` without `base_url` is a mistake.
#[test]
fn links_section_is_validated() {
    let env = TestEnv::new();
    let feeds = "feeds:\n  - id: notes\n    kind: file\n    path: notes\n";
    let c = env.config(&format!(
        "{feeds}links:\n  base_url: https://regs.example.com/diffs/\n  dir: public/diffs\n"
    ));
    assert_eq!(
        c.links.base_url.as_ref().map(|u| u.as_str()),
        Some("https://regs.example.com/diffs/")
    );
    assert_eq!(c.links.dir, Some(env.path().join("public/diffs")));
    let c = env.config(&format!(
        "{feeds}links:\n  base_url: https://regs.example.com/diffs/\nnotify:\n  - id: t\n    file: {{ dir: out }}\n"
    ));
    assert_eq!(c.links.page_dirs(&c.notify), [env.path().join("out/diffs")]);
    assert!(env.config(feeds).links.base_url.is_none());
    let (msg, hint) = err(&format!(
        "{feeds}links:\n  base_url: https://regs.example.com/\n"
    ));
    assert!(msg.contains("nothing writes the diff pages"), "{msg}");
    assert!(hint.unwrap_or_default().contains("dir:"));
    let (msg, _) = err(&format!("{feeds}links:\n  dir: public\n"));
    assert!(msg.contains("`links.dir` needs `links.base_url`"), "{msg}");
    let (msg, _) = err(&format!("{feeds}links:\n  base_url: ftp://x/\n  dir: d\n"));
    assert!(
        msg.contains("`links.base_url` must be an http or https URL"),
        "{msg}"
    );
    let (msg, _) = err(&format!("{feeds}links:\n  base_uri: https://x/\n"));
    assert!(msg.contains("base_uri"), "{msg}");
}
