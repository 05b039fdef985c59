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
