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
        "feeds:\n  - id: fr\n    kind: federal_register\n    agencies: industry-and-security-bureau\n",
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
            "invalid CSS selector",
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
