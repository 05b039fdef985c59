//! Living with the CLI in a shell: help, completions, the man page,
//! quiet runs, progress and messages that fit a terminal or cron.

use crate::common::TestEnv;

const COMMANDS: [&str; 14] = [
    "fetch",
    "log",
    "show",
    "check",
    "verify",
    "parse",
    "diff",
    "changes",
    "run",
    "deadlines",
    "outbox",
    "demo",
    "completions",
    "man",
];

#[test]
fn global_options_are_listed_once_at_the_top_not_in_each_command() {
    let env = TestEnv::new();
    let top = env.run(&["--help"]);
    top.expect_code(0);
    for opt in [
        "--config <FILE>",
        "--store <DIR>",
        "--quiet",
        "--color <COLOR>",
    ] {
        assert!(
            top.stdout().contains(opt),
            "{opt} missing:\n{}",
            top.stdout()
        );
    }
    for cmd in ["fetch", "run", "demo", "diff", "check"] {
        let r = env.run(&[cmd, "--help"]);
        r.expect_code(0);
        let out = r.stdout();
        for opt in [
            "--config <FILE>",
            "--store <DIR>",
            "--color <COLOR>",
            "-q, --quiet",
        ] {
            assert!(!out.contains(opt), "`{cmd} --help` lists {opt}:\n{out}");
        }
        assert!(out.contains("regwatch --help"), "{out}");
    }
    // Still accepted after the command.
    let r = env.run(&["check", "--config", "nope.yaml", "-q"]);
    r.expect_code(2);
    assert!(r.stderr().contains("nope.yaml"), "{}", r.stderr());
}

#[test]
fn run_help_explains_its_own_exit_scale_and_the_crontab_line() {
    let env = TestEnv::new();
    let r = env.run(&["run", "--help"]);
    r.expect_code(0);
    let out = r.stdout().replace('\n', " ");
    assert!(out.contains("1 news"), "{out}");
    assert!(out.contains("unlike the other commands"), "{out}");
    assert!(out.contains("regwatch run --quiet"), "{out}");
    assert!(out.contains("stderr"), "{out}");
}

#[test]
fn completions_cover_every_subcommand_in_each_shell() {
    let env = TestEnv::new();
    for shell in ["bash", "zsh", "fish"] {
        let r = env.run(&["completions", shell]);
        r.expect_code(0);
        let out = r.stdout();
        assert!(out.contains("regwatch"), "{shell}: {out}");
        for cmd in COMMANDS {
            assert!(out.contains(cmd), "{shell} completions lack {cmd}");
        }
    }
    assert!(
        env.run(&["completions", "bash"])
            .stdout()
            .contains("complete -F")
    );
    env.run(&["completions", "tcsh"]).expect_code(2);
}

#[test]
fn man_page_is_roff_with_every_subcommand() {
    let env = TestEnv::new();
    let r = env.run(&["man"]);
    r.expect_code(0);
    let page = r.stdout();
    assert!(page.contains(".TH regwatch 1"), "{page}");
    for cmd in COMMANDS {
        assert!(
            page.contains(&format!(".SH \"REGWATCH {}\"", cmd.to_uppercase())),
            "man page lacks a section for {cmd}"
        );
    }
    assert!(page.contains("\\-\\-config"), "global options missing");
    // When man(1) is there, it must render the page without complaint.
    let file = env.path().join("regwatch.1");
    std::fs::write(&file, &page).unwrap();
    if let Ok(out) = std::process::Command::new("man")
        .arg("-l")
        .arg(&file)
        .env("MANWIDTH", "100")
        .env("MAN_KEEP_FORMATTING", "0")
        .output()
        && out.status.success()
    {
        // Undo overstrike bold (`X\bX`) that some man(1)s emit to a pipe.
        let mut text = String::new();
        for c in String::from_utf8_lossy(&out.stdout).chars() {
            if c == '\u{8}' {
                text.pop();
            } else {
                text.push(c);
            }
        }
        assert!(text.contains("REGWATCH FETCH"), "{text}");
    }
}

#[test]
fn check_lists_recipients_and_warns_about_no_feeds_and_unset_credentials() {
    let env = TestEnv::new();
    env.write_config("feeds: []\n");
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert!(r.stderr().contains("has no feeds"), "{}", r.stderr());
    assert!(
        r.stdout().contains("0 feeds, 0 recipients"),
        "{}",
        r.stdout()
    );

    env.write_config(
        "feeds:\n  - id: page\n    kind: rss\n    url: https://x.gov/feed\n    \
         headers: [{name: X-Api-Key, value_env: REGWATCH_TEST_API_KEY}]\n\
         notify:\n  - id: team\n    feeds: [page]\n    email:\n      from: regwatch@example.com\n      \
         to: [team@example.com]\n      smtp:\n        host: smtp.example.com\n        \
         username_env: REGWATCH_TEST_SMTP_USER\n        password_env: REGWATCH_TEST_SMTP_PASS\n    \
         file:\n      dir: out\n",
    );
    let r = env.run(&["check"]);
    r.expect_code(0);
    let (out, err) = (r.stdout(), r.stderr());
    assert!(out.contains("1 feed, 1 recipient"), "{out}");
    assert!(out.contains("notify team"), "{out}");
    assert!(
        out.contains("email to team@example.com via smtp.example.com:587"),
        "{out}"
    );
    assert!(out.contains("file in"), "{out}");
    for var in [
        "REGWATCH_TEST_API_KEY",
        "REGWATCH_TEST_SMTP_USER",
        "REGWATCH_TEST_SMTP_PASS",
    ] {
        assert!(
            err.contains(&format!("${var}, which is not set")),
            "{var}: {err}"
        );
    }
    // Set, they are not warned about.
    let mut cmd = env.command(&["check"]);
    cmd.env("REGWATCH_TEST_SMTP_USER", "u")
        .env("REGWATCH_TEST_SMTP_PASS", "p")
        .env("REGWATCH_TEST_API_KEY", "k");
    let r = env.run_cmd(&["check"], cmd);
    r.expect_code(0);
    assert!(!r.stderr().contains("not set"), "{}", r.stderr());
}

use std::time::Duration;

use crate::common::{Reply, TEST_HTTP, TestServer};

#[test]
fn feeds_print_in_config_order_and_failures_name_the_feed_and_a_short_url() {
    let s = TestServer::start();
    s.route(
        "/slow.html",
        vec![
            Reply::ok("text/html", "<main><p>slow</p></main>").delayed(Duration::from_millis(400)),
        ],
    );
    s.route(
        "/fast.html",
        vec![Reply::ok("text/html", "<main><p>fast</p></main>")],
    );
    let query = "conditions%5Bagencies%5D%5B%5D=industry-and-security-bureau&".repeat(20);
    let env = TestEnv::new();
    env.write_config(&format!(
        "{TEST_HTTP}feeds:\n  - id: slow\n    kind: html\n    url: {b}/slow.html\n  \
         - id: fast\n    kind: html\n    url: {b}/fast.html\n  \
         - id: gone\n    kind: rss\n    url: \"{b}/gone.rss?{query}\"\n",
        b = s.base
    ));
    let r = env.run(&["fetch"]);
    r.expect_code(1);
    let out = r.stdout();
    let at = |id: &str| {
        out.lines()
            .position(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id} missing:\n{out}"))
    };
    assert!(at("slow") < at("fast") && at("fast") < at("gone"), "{out}");
    let line = out
        .lines()
        .find(|l| l.contains("feed `gone`"))
        .unwrap_or_else(|| panic!("no failure line names feed `gone`:\n{out}"));
    assert!(line.contains("404"), "{line}");
    assert!(line.contains("/gone.rss?…"), "{line}");
    assert!(
        line.chars().count() < 160,
        "{} chars: {line}",
        line.chars().count()
    );
    assert!(out.contains("3 feeds:"), "{out}");
}

#[test]
fn every_feed_failing_has_its_own_exit_status_and_asks_once_if_offline() {
    let env = TestEnv::new();
    env.write_config(&format!(
        "{TEST_HTTP}feeds:\n  - id: one\n    kind: html\n    url: http://127.0.0.1:{}/\n  \
         - id: two\n    kind: html\n    url: http://127.0.0.1:{}/\n",
        crate::common::unused_port(),
        crate::common::unused_port()
    ));
    for args in [&["fetch"][..], &["run"][..], &["run", "-q"][..]] {
        let r = env.run(args);
        r.expect_code(4);
        let all = r.stdout() + &r.stderr();
        assert_eq!(all.matches("offline").count(), 1, "{args:?}:\n{all}");
        assert!(r.stderr().contains("offline"), "{args:?}: {}", r.stderr());
        for id in ["one", "two"] {
            assert!(all.contains(&format!("feed `{id}`")), "{args:?}:\n{all}");
        }
    }
}

#[test]
fn quiet_prints_nothing_on_success_and_failures_still_reach_stderr() {
    let s = TestServer::start();
    s.route(
        "/ok.html",
        vec![Reply::ok("text/html", "<main><p>ok</p></main>")],
    );
    s.route("/gone.html", vec![Reply::status(404)]);
    let env = TestEnv::new();
    let good = format!(
        "{TEST_HTTP}feeds:\n  - id: ok\n    kind: html\n    url: {}/ok.html\n",
        s.base
    );
    env.write_config(&good);
    for args in [&["fetch", "-q"][..], &["run", "-q"][..]] {
        let r = env.run(args);
        assert!(r.code() == 0 || r.code() == 1, "{args:?}: {}", r.stderr());
        assert_eq!(r.stdout(), "", "{args:?}");
        assert_eq!(r.stderr(), "", "{args:?}");
    }
    // `check` and `verify` still say their result.
    assert!(!env.run(&["check", "-q"]).stdout().is_empty());
    assert!(!env.run(&["verify", "-q"]).stdout().is_empty());

    env.write_config(&format!(
        "{good}  - id: gone\n    kind: html\n    url: {}/gone.html\n",
        s.base
    ));
    let r = env.run(&["fetch", "-q"]);
    r.expect_code(1);
    assert_eq!(r.stdout(), "");
    assert!(
        r.stderr().contains("feed `gone`") && r.stderr().contains("404"),
        "{}",
        r.stderr()
    );
    // The recommended crontab line: `run --quiet`.
    let r = env.run(&["run", "--quiet"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("feed `gone`") && r.stderr().contains("404"),
        "{}",
        r.stderr()
    );
}

/// A server with one page and a config with one feed, `ok`, for it.
fn one_good_feed() -> (TestServer, TestEnv) {
    let s = TestServer::start();
    s.route(
        "/ok.html",
        vec![Reply::ok("text/html", "<main><p>ok</p></main>")],
    );
    let env = TestEnv::new();
    env.write_config(&format!(
        "{TEST_HTTP}feeds:\n  - id: ok\n    kind: html\n    url: {}/ok.html\n",
        s.base
    ));
    (s, env)
}

#[test]
fn counts_are_singular_for_one() {
    let (s, env) = one_good_feed();
    let r = env.run(&["fetch"]);
    r.expect_code(0);
    assert!(r.stdout().contains("1 feed: 1 new"), "{}", r.stdout());
    assert!(!r.stdout().contains("1 feeds"), "{}", r.stdout());
    let r = env.run(&["verify"]);
    r.expect_code(0);
    assert!(
        r.stdout().contains(": 1 item, 1 version, "),
        "{}",
        r.stdout()
    );
    assert!(r.stdout().contains("; 0 problems"), "{}", r.stdout());
    s.route(
        "/ok.html",
        vec![Reply::ok("text/html", "<main><p>ok, changed</p></main>")],
    );
    let r = env.run(&["run"]);
    assert!(
        r.stderr().contains("1 feed fetched, 1 new version"),
        "{}",
        r.stderr()
    );
}

#[test]
fn command_errors_say_what_is_wrong_in_the_users_terms() {
    let env = TestEnv::new();
    // `parse URL` has no feed to name.
    let r = env.run(&[
        "parse",
        &format!("http://127.0.0.1:{}/x.html", crate::common::unused_port()),
    ]);
    r.expect_code(2);
    assert!(!r.stderr().contains("feed `parse`"), "{}", r.stderr());
    assert!(r.stderr().contains("could not connect"), "{}", r.stderr());
    // A date in another format names the expected one.
    for cmd in ["changes", "run"] {
        let r = env.run(&[cmd, "--since", "2024/10/01"]);
        assert!(r.stderr().contains("YYYY-MM-DD"), "{cmd}: {}", r.stderr());
    }
    // A missing file is a missing file, not a missing store.
    std::fs::write(env.path().join("a.xml"), "<a/>").unwrap();
    let r = env.run(&["diff", "a.xml", "nope.xml"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("nope.xml: no such file"),
        "{}",
        r.stderr()
    );
    assert!(!r.stderr().contains("snapshot store"), "{}", r.stderr());
    // The same for one missing file given to `diff` or `parse`.
    for args in [&["diff", "nope.md"][..], &["parse", "missing.xml"][..]] {
        let r = env.run(args);
        r.expect_code(2);
        let err = r.stderr();
        assert!(
            err.contains(&format!("{}: no such file", args[1])),
            "{args:?}: {err}"
        );
        assert!(!err.contains("snapshot store"), "{args:?}: {err}");
        assert!(!err.contains("regwatch fetch` first"), "{args:?}: {err}");
    }
}

#[test]
fn deadlines_for_an_unknown_feed_is_an_error_listing_the_feeds() {
    let (_server, env) = one_good_feed();
    env.run(&["fetch"]).expect_code(0);
    let r = env.run(&["deadlines", "UNKNOWNFEED"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("no feed `UNKNOWNFEED`"),
        "{}",
        r.stderr()
    );
    assert!(r.stderr().contains("feeds: ok"), "{}", r.stderr());
    // The README says the same.
    let readme = include_str!("../README.md");
    assert!(
        !readme.contains("not a feed gives an empty list"),
        "README still promises an empty list"
    );
}

#[test]
fn ecfr_failures_name_the_part() {
    let s = TestServer::start();
    s.route(
        "/api/versioner/v1/versions/title-15.json?part=740",
        vec![Reply::status(500)],
    );
    s.route(
        "/api/versioner/v1/versions/title-15.json?part=774",
        vec![Reply::status(500)],
    );
    let env = TestEnv::new();
    let config = env.config(&format!(
        "{TEST_HTTP}feeds:\n  - id: ear\n    kind: ecfr\n    base_url: {}\n    title: 15\n    parts: [740, 774]\n",
        s.base
    ));
    let o = crate::common::fetch_on(&env, &config, 1);
    let e = o[0].errors[0].to_string();
    assert!(
        e.contains("feed `ear` (part 740; all 2 parts failed)"),
        "{e}"
    );
}

/// A Federal Register API with `n` documents found by the search, each
/// full text answered after `delay`.
fn federal_register_server(n: usize, delay: Duration) -> TestServer {
    let s = TestServer::start();
    let b = s.base.clone();
    let nums: Vec<String> = (1..=n).map(|i| format!("2024-{i:05}")).collect();
    let results: Vec<serde_json::Value> = nums
        .iter()
        .map(|n| {
            serde_json::json!({"document_number": n, "title": n, "publication_date": "2024-09-06",
                "json_url": format!("{b}/api/v1/documents/{n}.json")})
        })
        .collect();
    s.route(
        "/api/v1/documents.json",
        vec![Reply::json(
            serde_json::json!({"results": results}).to_string(),
        )],
    );
    for n in &nums {
        s.route(
            &format!("/api/v1/documents/{n}.json"),
            vec![Reply::json(
                serde_json::json!({"document_number": n, "full_text_xml_url": format!("{b}/full/{n}.xml")})
                    .to_string(),
            )],
        );
        s.route(
            &format!("/full/{n}.xml"),
            vec![Reply::xml("<RULE><P>x</P></RULE>").delayed(delay)],
        );
    }
    s
}

#[test]
fn fetchers_report_progress_as_data() {
    use regwatch::fetch::Progress;
    use std::sync::{Arc, Mutex};
    let s = federal_register_server(3, Duration::ZERO);
    let b = s.base.clone();
    let versions = serde_json::json!({"content_versions": [{"date": "2024-09-06", "amendment_date": "2024-09-06"}]}).to_string();
    s.route(
        "/api/versioner/v1/versions/title-15.json?part=740",
        vec![Reply::json(versions.clone())],
    );
    s.route(
        "/api/versioner/v1/versions/title-15.json?part=774",
        vec![Reply::json(versions)],
    );
    let big = format!("<DIV5 N=\"774\"><P>{}</P></DIV5>", "3A001 ".repeat(300_000));
    s.route(
        "/api/versioner/v1/full/2024-09-06/title-15.xml?part=740",
        vec![Reply::xml("<DIV5 N=\"740\"><P>IEC</P></DIV5>")],
    );
    s.route(
        "/api/versioner/v1/full/2024-09-06/title-15.xml?part=774",
        vec![Reply::xml(big.clone())],
    );
    s.route(
        "/press.rss",
        vec![Reply::rss(&format!(
            "<title>P</title>\
             <item><title>One</title><link>{b}/one.html</link><guid>one</guid></item>\
             <item><title>Two</title><link>{b}/two.html</link><guid>two</guid></item>"
        ))],
    );
    for page in ["/one.html", "/two.html"] {
        s.route(
            page,
            vec![Reply::ok("text/html", "<main><p>IEC</p></main>")],
        );
    }
    let env = TestEnv::new();
    let config = env.config(&format!(
        "{TEST_HTTP}feeds:\n  - id: bis\n    kind: federal_register\n    base_url: {b}\n  \
         - id: ear\n    kind: ecfr\n    base_url: {b}\n    title: 15\n    parts: [740, 774]\n  \
         - id: press\n    kind: rss\n    url: {b}/press.rss\n    follow_links: true\n"
    ));
    let events: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let sink = events.clone();
    let client = regwatch::fetch::HttpClient::new(&config.http)
        .unwrap()
        .with_progress(Arc::new(move |e| sink.lock().unwrap().push(e)));
    let o = crate::common::fetch_with(&env, &config, 1, &client);
    assert!(o.iter().all(|o| o.errors.is_empty()), "{o:?}");
    let events = events.lock().unwrap();
    let of = |feed: &str| -> Vec<&Progress> {
        events
            .iter()
            .filter(|e| match e {
                Progress::Items { feed: f, .. }
                | Progress::ItemDone { feed: f, .. }
                | Progress::Bytes { feed: f, .. } => f == feed,
            })
            .collect()
    };
    // Each feed announces how many items it fetches, then ends each one.
    for (feed, total, unit) in [
        ("bis", 3, "documents"),
        ("ear", 2, "eCFR parts"),
        ("press", 2, "entries"),
    ] {
        let evs = of(feed);
        let announced = Progress::Items {
            feed: feed.into(),
            total,
            unit,
        };
        assert!(evs.contains(&&announced), "{evs:?}");
        let done = evs
            .iter()
            .filter(|e| matches!(e, Progress::ItemDone { .. }))
            .count();
        assert_eq!(done as u64, total, "{evs:?}");
    }
    let ear = of("ear");
    let bytes: Vec<(u64, Option<u64>)> = ear
        .iter()
        .filter_map(|e| match e {
            Progress::Bytes {
                received, total, ..
            } => Some((*received, *total)),
            _ => None,
        })
        .collect();
    assert_eq!(
        bytes.last().copied(),
        Some((big.len() as u64, Some(big.len() as u64))),
        "the large part's bytes are reported as they arrive"
    );
    assert!(
        bytes.windows(2).all(|w| w[0].0 < w[1].0),
        "bytes grow: {bytes:?}"
    );
}

#[test]
fn a_terminal_sees_each_feeds_progress_and_a_pipe_sees_none() {
    let s = federal_register_server(3, Duration::from_millis(300));
    let b = s.base.clone();
    let env = TestEnv::new();
    env.write_config(&format!(
        "{TEST_HTTP}feeds:\n  - id: bis\n    kind: federal_register\n    base_url: {b}\n"
    ));
    // A pipe (as under cron): no progress at all on stderr.
    let r = env.run(&["fetch"]);
    r.expect_code(0);
    assert_eq!(r.stderr(), "", "progress drawn on a pipe");
    // A terminal, when script(1) can give us one.
    std::fs::remove_dir_all(env.store()).unwrap();
    let Some(out) = on_terminal(&env, "fetch") else {
        return;
    };
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{screen}");
    assert!(screen.contains("/3 documents"), "{screen}");
    assert!(screen.contains("fetching"), "{screen}");
}

/// Runs `regwatch ARGS` (words split on spaces) in `env` on a terminal
/// that script(1) gives it, or `None` without script(1): skipped on a
/// laptop, a failure under CI=true ([`crate::common::require`]).
fn on_terminal(env: &TestEnv, args: &str) -> Option<std::process::Output> {
    let bin = env!("CARGO_BIN_EXE_regwatch");
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &format!("{bin} {args}"), "/dev/null"])
        .current_dir(env.path())
        .env_clear()
        .env("REGWATCH_NOW", crate::common::NOW)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    if let Some(p) = std::env::var_os("PATH") {
        cmd.env("PATH", p);
    }
    let out = cmd.output().ok();
    let present = out.is_some();
    crate::common::require("script(1) (util-linux; gives the test a terminal)", present)
        .then_some(out)
        .flatten()
}

/// `show`, a raw unified diff and iCalendar are data: byte for byte into a
/// pipe or a file, but a stored page's escape sequences (a window title,
/// `ESC[8m` hiding text) must not reach a terminal raw.
#[test]
fn raw_output_is_escaped_on_a_terminal_and_byte_for_byte_into_a_pipe() {
    let env = TestEnv::new();
    let evil = "Memo\x1b]0;pwned\x07\n\x1b[8mhidden\x1b[0m\tend\r\n";
    std::fs::create_dir(env.path().join("notes")).unwrap();
    std::fs::write(env.path().join("notes/evil.txt"), evil).unwrap();
    std::fs::write(env.path().join("old.txt"), "Memo\n").unwrap();
    env.write_config("feeds:\n  - id: notes\n    kind: file\n    path: notes\n");
    env.run(&["fetch"]).expect_code(0);
    let show = "show notes/evil.txt@1";
    let diff = "diff old.txt notes/evil.txt --format unified --raw";
    let words = |cmd: &str| cmd.split(' ').map(str::to_string).collect::<Vec<_>>();
    // Into a pipe and with -o: the bytes as stored.
    let r = env.run(&words(show).iter().map(String::as_str).collect::<Vec<_>>());
    r.expect_code(0);
    assert_eq!(r.output.stdout, evil.as_bytes());
    let r = env.run(&words(diff).iter().map(String::as_str).collect::<Vec<_>>());
    let piped = String::from_utf8_lossy(&r.output.stdout).into_owned();
    assert!(piped.contains("+\x1b[8mhidden\x1b[0m\tend"), "{piped:?}");
    let o = format!("{diff} -o out.diff");
    let r = env.run(&words(&o).iter().map(String::as_str).collect::<Vec<_>>());
    let written = std::fs::read_to_string(env.path().join("out.diff")).unwrap();
    assert_eq!(written, piped, "{}", r.stderr());
    // On a terminal: every control escaped but the line breaks and tabs.
    for cmd in [show, diff] {
        let Some(out) = on_terminal(&env, cmd) else {
            return;
        };
        let screen = String::from_utf8_lossy(&out.stdout);
        assert!(
            !screen.contains('\x1b') && !screen.contains('\x07'),
            "{cmd}: {screen:?}"
        );
        assert!(
            screen.contains("Memo\\u001b]0;pwned\\u0007")
                && screen.contains("\\u001b[8mhidden\\u001b[0m\tend"),
            "{cmd}: {screen:?}"
        );
        // A CRLF line end is no threat: kept, not shown as `\r`.
        assert!(!screen.contains("end\\r"), "{cmd}: {screen:?}");
    }
}
