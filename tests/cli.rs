//! The binary as users run it: exit codes, messages, formats, concurrency.

use std::time::Duration;

use crate::common::{Reply, TEST_HTTP, TestEnv, TestServer};

#[test]
fn help_lists_every_command() {
    let env = TestEnv::new();
    let r = env.run(&["--help"]);
    r.expect_code(0);
    for cmd in ["fetch", "log", "show", "check", "verify", "demo"] {
        assert!(r.stdout().contains(cmd), "{cmd} missing from --help");
    }
    env.run(&["frobnicate"]).expect_code(2);
}

#[test]
fn missing_or_bad_config_exits_2_with_location_and_hint() {
    let env = TestEnv::new();
    let r = env.run(&["check"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("cannot read config file feeds.yaml"),
        "{}",
        r.stderr()
    );
    assert!(r.stderr().contains("hint:"), "{}", r.stderr());
    env.write_config(
        "feeds:\n  - id: news\n    kind: html\n    url: https://x.gov/\n    selecter: div\n",
    );
    let r = env.run(&["fetch"]);
    r.expect_code(2);
    assert!(
        r.stderr()
            .contains("feeds.yaml:5:5: unknown key `selecter`"),
        "{}",
        r.stderr()
    );
    assert!(
        r.stderr().contains("hint: did you mean `selector`?"),
        "{}",
        r.stderr()
    );
}

#[test]
fn fetch_log_show_verify_round_trip_with_json_output() {
    let s = TestServer::start();
    s.route(
        "/page.html",
        vec![Reply::ok(
            "text/html",
            "<main><p>ECCN 4A906 added</p></main>",
        )],
    );
    s.route("/missing.html", vec![Reply::status(404)]);
    let env = TestEnv::new();
    env.write_config(&format!(
        "{TEST_HTTP}feeds:\n  - id: page\n    kind: html\n    url: {b}/page.html\n    selector: main\n  - id: gone\n    kind: html\n    url: {b}/missing.html\n",
        b = s.base
    ));
    let r = env.run(&["fetch"]);
    r.expect_code(1);
    assert!(r.stdout().contains("+ page/page@1"), "{}", r.stdout());
    assert!(r.stdout().contains("FAILED"), "{}", r.stdout());
    assert!(
        r.stdout()
            .contains("2 feeds: 1 new, 0 changed, 0 unchanged, 1 failed"),
        "{}",
        r.stdout()
    );

    let r = env.run(&["fetch", "page", "--format", "json"]);
    r.expect_code(0);
    let lines: Vec<serde_json::Value> = r
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["type"], "feed");
    assert_eq!(lines[0]["schema_version"], 3);
    assert_eq!(lines[0]["data"]["status"], "unchanged");
    assert_eq!(lines[1]["type"], "fetch_summary");
    assert_eq!(lines[1]["data"]["bytes_added"], 0);

    let r = env.run(&["show", "page/page@latest"]);
    r.expect_code(0);
    assert_eq!(r.stdout(), "<main><p>ECCN 4A906 added</p></main>");
    let r = env.run(&["show", "page@1", "--info"]);
    r.expect_code(0);
    assert!(
        r.stdout().contains("fetched at  2024-10-01T06:00:00+00:00"),
        "{}",
        r.stdout()
    );
    let r = env.run(&["log", "--format", "json"]);
    r.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(r.stdout().lines().next().unwrap()).unwrap();
    assert_eq!(v["data"]["item"], "page");
    assert_eq!(v["data"]["seq"], 1);
    env.run(&["show", "page/page@7"]).expect_code(2);
    env.run(&["fetch", "nosuchfeed"]).expect_code(2);
    let r = env.run(&["verify"]);
    r.expect_code(0);
    assert!(r.stdout().contains("0 problems"), "{}", r.stdout());
}

#[test]
fn concurrent_fetches_never_corrupt_the_store() {
    let s = TestServer::start();
    for i in 0..3 {
        s.route(
            &format!("/slow{i}.html"),
            vec![Reply::ok("text/html", format!("<p>{i}</p>")).delayed(Duration::from_millis(700))],
        );
    }
    let env = TestEnv::new();
    let mut yaml = TEST_HTTP.to_string() + "feeds:\n";
    for i in 0..3 {
        yaml.push_str(&format!(
            "  - id: slow{i}\n    kind: html\n    url: {}/slow{i}.html\n",
            s.base
        ));
    }
    env.write_config(&yaml);
    // Without --wait, the second run fails fast and says why.
    let first = env.command(&["fetch"]).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let second = env.run(&["fetch"]);
    second.expect_code(2);
    assert!(
        second.stderr().contains("locked by another regwatch run"),
        "{}",
        second.stderr()
    );
    assert!(second.stderr().contains("--wait"), "{}", second.stderr());
    assert_eq!(first.wait_with_output().unwrap().status.code(), Some(0));
    // With --wait, both finish; the store stays consistent.
    let a = env.command(&["fetch", "--wait"]).spawn().unwrap();
    let b = env.command(&["fetch", "--wait"]).spawn().unwrap();
    assert_eq!(a.wait_with_output().unwrap().status.code(), Some(0));
    assert_eq!(b.wait_with_output().unwrap().status.code(), Some(0));
    let r = env.run(&["verify", "--format", "json"]);
    r.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(r.stdout().trim()).unwrap();
    assert_eq!(v["data"]["versions"], 3, "each page stored exactly once");
}

#[test]
fn a_killed_fetch_leaves_a_consistent_store() {
    let s = TestServer::start();
    s.route("/a.html", vec![Reply::ok("text/html", "<p>a</p>")]);
    s.route(
        "/slow.html",
        vec![Reply::ok("text/html", "<p>slow</p>").delayed(Duration::from_secs(5))],
    );
    let env = TestEnv::new();
    env.write_config(&format!(
        "{TEST_HTTP}feeds:\n  - id: a\n    kind: html\n    url: {b}/a.html\n  - id: slow\n    kind: html\n    url: {b}/slow.html\n    timeout_secs: 10\n",
        b = s.base
    ));
    let mut child = env.command(&["fetch"]).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(800));
    child.kill().unwrap();
    let _ = child.wait();
    // The lock died with the process; the next run proceeds and the store verifies.
    env.run(&["verify"]).expect_code(0);
    s.route("/slow.html", vec![Reply::ok("text/html", "<p>slow</p>")]);
    env.run(&["fetch"]).expect_code(0);
    env.run(&["verify"]).expect_code(0);
}

#[test]
fn demo_runs_offline_and_builds_a_two_day_history() {
    let env = TestEnv::new();
    let out = env.path().join("demo");
    let r = env.run(&["demo", "--out", out.to_str().unwrap()]);
    r.expect_code(0);
    let text = r.stdout();
    assert!(text.contains("== Day 1"), "{text}");
    assert!(text.contains("+ bis-rules/2024-19633@1"), "{text}");
    assert!(text.contains("~ bis-rules/2024-19633@2"), "{text}");
    assert!(text.contains("+ bis-rules/2024-99001@1"), "{text}");
    assert!(text.contains("~ ear/part-774@2"), "{text}");
    assert!(
        text.contains("mofcom-export-control    unchanged"),
        "{text}"
    );
    // The whole cron job ran: the day-2 summary (its wording is the
    // `summary.txt` snapshot, tests/renderings.rs), the deadlines table,
    // and the email and calendar it wrote.
    for needle in [
        "== The day-2 summary",
        "== Upcoming deadlines on 2024-10-15",
        "2024-12-05  in 51 days",
        "deadlines.ics",
    ] {
        assert!(
            text.contains(needle),
            "demo output lacks {needle:?}:\n{text}"
        );
    }
    let mail: Vec<String> = std::fs::read_dir(out.join("mail"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for ext in [".eml", ".html", ".md", ".json"] {
        assert_eq!(
            mail.iter().filter(|n| n.ends_with(ext)).count(),
            2,
            "one {ext} per day: {mail:?}"
        );
    }
    let eml = mail.iter().filter(|n| n.ends_with(".eml")).max().unwrap();
    let eml = std::fs::read_to_string(out.join("mail").join(eml)).unwrap();
    assert!(eml.contains("multipart/alternative"), "{eml}");
    assert!(eml.contains("Message-ID: <"), "{eml}");
    let store = out.join("snapshots");
    let s = store.to_str().unwrap();
    let r = env.run(&["--store", s, "show", "ear/part-740@2024-10-15"]);
    r.expect_code(0);
    assert!(
        r.stdout()
            .contains("IEC eligible: Australia; Canada; Japan; Korea, South;"),
        "day-2 IEC list has the new country"
    );
    let r = env.run(&["--store", s, "show", "ear/part-740@2024-09-30"]);
    assert!(
        r.stdout()
            .contains("IEC eligible: Australia; Canada; Japan; the Netherlands;"),
        "day-1 list"
    );
    let r = env.run(&["--store", s, "show", "mofcom-export-control"]);
    assert!(r.stdout().contains("量子"), "GBK page decoded to UTF-8");
    // Each version was parsed when stored; the model knows who is IEC eligible.
    let eligible = |day: &str| {
        let r = env.run(&[
            "--store",
            s,
            "show",
            &format!("ear/part-740@{day}"),
            "--parsed",
        ]);
        r.expect_code(0);
        r.stdout()
            .lines()
            .find(|l| l.contains("Eligible destinations (§ 740.24(b))"))
            .unwrap_or_else(|| panic!("{}", r.stdout()))
            .to_string()
    };
    assert!(eligible("2024-10-15").ends_with("AU, CA, JP, KR, NL, GB"));
    assert!(eligible("2024-09-30").ends_with("AU, CA, JP, NL, GB"));
    env.run(&["--store", s, "verify"]).expect_code(0);
    // Running the demo again into the same folder replaces its store.
    env.run(&["demo", "--out", out.to_str().unwrap()])
        .expect_code(0);
}

/// Every file under `dir` with its bytes (the lock file's too).
fn tree(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let rel = p.strip_prefix(dir).unwrap().display().to_string();
            if p.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                stack.push(p);
            } else {
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn demo_out_refuses_a_real_installation_and_reuses_only_its_own_folder() {
    // A real installation: feeds.yaml and a store with a fetched version.
    let env = TestEnv::new();
    std::fs::create_dir(env.path().join("notes")).unwrap();
    std::fs::write(env.path().join("notes/iec.md"), "# IEC\n\nKorea, South.\n").unwrap();
    env.write_config("feeds:\n  - id: local-notes\n    kind: file\n    path: notes\n");
    env.run(&["fetch"]).expect_code(0);
    assert!(env.store().join("STORE.json").exists());
    let before = tree(env.path());
    let r = env.run(&["demo", "--out", env.path().to_str().unwrap()]);
    r.expect_code(2);
    let err = r.stderr();
    assert!(err.contains("not made by `regwatch demo`"), "{err}");
    assert!(err.contains("nothing was changed"), "{err}");
    assert!(
        err.contains("hint:") && err.contains("empty folder"),
        "{err}"
    );
    assert_eq!(
        tree(env.path()),
        before,
        "the installation must survive byte for byte"
    );

    // An empty folder is fine, and the demo marks it as its own.
    let out = env.path().join("fresh");
    std::fs::create_dir(&out).unwrap();
    env.run(&["demo", "--out", out.to_str().unwrap()])
        .expect_code(0);
    assert!(out.join(".regwatch-demo").is_file());
    // Its own folder is reused: the store is rebuilt, not appended to.
    env.run(&["demo", "--out", out.to_str().unwrap()])
        .expect_code(0);
    let r = env.run(&[
        "--store",
        out.join("snapshots").to_str().unwrap(),
        "log",
        "ear/part-740",
    ]);
    r.expect_code(0);
    assert_eq!(r.stdout().matches("\n  @").count(), 2, "{}", r.stdout());
    // Anything else a user put there stays.
    std::fs::write(out.join("my-notes.txt"), "keep me").unwrap();
    env.run(&["demo", "--out", out.to_str().unwrap()])
        .expect_code(0);
    assert_eq!(
        std::fs::read_to_string(out.join("my-notes.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn a_closed_stdout_keeps_the_diff_exit_status() {
    use std::io::{BufRead, BufReader};
    let env = TestEnv::new();
    // Far more output than a pipe buffers (64 KB), so the binary is still
    // writing when the reader goes away.
    let lines = |tag: &str| -> String {
        (0..6000)
            .map(|i| format!("Paragraph {i}: license exception {tag} applies to item {i}.\n"))
            .collect()
    };
    std::fs::write(env.path().join("a.txt"), lines("IEC")).unwrap();
    std::fs::write(env.path().join("b.txt"), lines("LVS")).unwrap();
    for args in [
        &["diff", "a.txt", "b.txt", "--format", "unified"][..],
        &["diff", "a.txt", "b.txt", "--format", "unified", "--raw"][..],
        &["diff", "a.txt", "b.txt", "--word"][..],
    ] {
        let mut child = env
            .command(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        reader.read_line(&mut first).unwrap();
        assert!(!first.is_empty());
        drop(reader); // `| head -1`
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: the files differ, so 1 even when stdout closed early; stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "a closed pipe is not worth a message"
        );
    }
    // A stdout that fails otherwise (disk full) is an error, said once.
    if let Ok(full) = std::fs::File::create("/dev/full") {
        let out = env
            .command(&["diff", "a.txt", "b.txt"])
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.matches("cannot write to stdout").count(), 1, "{err}");
    }
}

#[test]
fn a_failed_outbox_write_names_the_entry_and_its_file() {
    let env = TestEnv::new();
    std::fs::create_dir(env.path().join("notes")).unwrap();
    std::fs::write(env.path().join("notes/iec.md"), "# IEC\n\nKorea, South.\n").unwrap();
    env.write_config(
        "feeds:\n  - id: local-notes\n    kind: file\n    path: notes\nnotify:\n  - id: team\n    stdout: true\n",
    );
    env.run(&["fetch"]).expect_code(0);
    // The dry run names the message the real run will compose.
    let r = env.run(&["run", "--no-fetch", "--dry-run"]);
    let err = r.stderr();
    let at = err
        .find("would send summary ")
        .unwrap_or_else(|| panic!("no id: {err}"));
    let id: String = err[at + "would send summary ".len()..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    // Its file cannot be written: a folder is in the way (this bites as
    // root too, unlike permissions).
    std::fs::create_dir_all(
        env.store()
            .join("outbox")
            .join(format!("{id}.json/in-the-way")),
    )
    .unwrap();
    let r = env.run(&["run", "--no-fetch"]);
    r.expect_code(2);
    let err = r.stderr();
    assert!(err.contains(&format!("outbox entry {id}")), "{err}");
    assert!(err.contains("recipient `team`"), "{err}");
    assert!(err.contains(&format!("outbox/{id}.json")), "{err}");
}

#[test]
fn control_characters_from_names_and_servers_are_escaped_on_the_terminal() {
    let env = TestEnv::new();
    let notes = env.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    // File names are the items' titles: a newline that would forge a
    // line, a right-to-left override that reverses what follows, an ESC
    // that would clear the screen, a bell.
    for name in [
        "two\nlines.md",
        "gpj\u{202e}exe.md",
        "clear\u{1b}[2J\u{7}.md",
    ] {
        // No heading, so the summary's titles are the file names too.
        std::fs::write(notes.join(name), "x").unwrap();
    }
    // A webhook whose error body (quoted in the delivery error) carries
    // controls too.
    let server = TestServer::start();
    server.route(
        "/hook",
        vec![Reply {
            status: 500,
            body: "boom\nrecipient ok\u{202e}kcatta\u{1b}]0;owned\u{7}\u{0}\u{85}".into(),
            ..Reply::status(500)
        }],
    );
    env.write_config(&format!(
        "feeds:\n  - id: notes\n    kind: file\n    path: notes\nnotify:\n  - id: team\n    stdout: true\n    webhook:\n      url: {}\n",
        server.url("/hook")
    ));
    let raw = ['\u{202e}', '\u{1b}', '\u{7}', '\u{0}', '\u{85}'];
    let check = |what: &str, text: &str| {
        for c in raw {
            assert!(!text.contains(c), "{what}: raw {c:?} in {text:?}");
        }
        assert!(
            !text.contains("two\nlines"),
            "{what}: raw newline in {text:?}"
        );
    };
    let fetch = env.run(&["fetch"]);
    fetch.expect_code(0);
    // The RLO file's item key (a name the plain mapping would change gets
    // a hashed key).
    let rlo_ref = format!("notes/{}", env.stored_key("notes", "gpj"));
    for (what, args) in [
        ("fetch", None),
        ("log", Some(&["log"][..])),
        (
            "show --info",
            Some(&["show", rlo_ref.as_str(), "--info"][..]),
        ),
        ("run", Some(&["run", "--no-fetch"][..])),
        ("outbox", Some(&["outbox"][..])),
    ] {
        let r = match args {
            None => &fetch,
            Some(a) => &env.run(a),
        };
        let all = format!("{}{}", r.stdout(), r.stderr());
        check(what, &all);
        match what {
            "fetch" | "log" => {
                assert!(all.contains("two\\nlines.md"), "{what}: {all}");
                assert!(all.contains("gpj\\u202eexe.md"), "{what}: {all}");
                assert!(all.contains("clear\\u001b[2J\\u0007.md"), "{what}: {all}");
            }
            "show --info" => assert!(all.contains("gpj\\u202eexe.md"), "{what}: {all}"),
            "run" => {
                // The stdout channel's summary: titles on one line each.
                assert!(r.stdout().contains("* two lines.md"), "{what}: {all}");
                assert!(all.contains("gpj\\u202eexe.md"), "{what}: {all}");
                assert!(
                    all.contains("boom\\nrecipient ok\\u202ekcatta"),
                    "{what}: {all}"
                );
            }
            _ => {
                // The server's message, escaped where it is quoted.
                assert!(
                    all.contains(
                        "boom\\nrecipient ok\\u202ekcatta\\u001b]0;owned\\u0007\\u0000\\u0085"
                    ),
                    "{what}: {all}"
                );
            }
        }
    }
    // JSON stays JSON: the same strings, whatever escapes carry them.
    let r = env.run(&["log", "--format", "json"]);
    r.expect_code(0);
    let titles: Vec<String> = r
        .stdout()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["data"]["title"].as_str().unwrap().to_string()
        })
        .collect();
    assert!(
        titles.contains(&"gpj\u{202e}exe.md".to_string()),
        "{titles:?}"
    );
    assert!(titles.contains(&"two\nlines.md".to_string()), "{titles:?}");
    check("log --format json", &r.stdout());
}

#[test]
fn a_closed_stderr_does_not_change_the_exit_status() {
    let env = TestEnv::new();
    std::fs::write(env.path().join("a.txt"), "Item 1.\n").unwrap();
    std::fs::write(env.path().join("b.txt"), "Item 2.\n").unwrap();
    for (args, code) in [
        // An error (no config), a note on stderr (`wrote FILE`).
        (&["check"][..], 2),
        (&["diff", "a.txt", "b.txt", "-o", "out.txt"][..], 1),
    ] {
        // The reading end is gone before the binary starts: every write
        // to stderr fails with EPIPE.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = env
            .command(args)
            .stderr(writer)
            .stdout(std::process::Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
    }
}

#[test]
fn nothing_to_track_and_nothing_stored_are_said_not_silent() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.path().join("docs")).unwrap();
    std::fs::write(env.path().join("docs/.hidden"), "not tracked").unwrap();
    env.write_config("feeds:\n  - id: notes\n    kind: file\n    path: docs\n");
    // A folder with nothing to track is a warning of the feed, not a quiet
    // "unchanged".
    let r = env.run(&["fetch"]);
    r.expect_code(0);
    assert!(
        r.stdout().contains("notes: folder") && r.stdout().contains("holds no files to track"),
        "{}",
        r.stdout()
    );
    let r = env.run(&["fetch", "--format", "json"]);
    let feed: serde_json::Value = serde_json::from_str(r.stdout().lines().next().unwrap()).unwrap();
    assert!(
        feed["data"]["warnings"][0]
            .as_str()
            .unwrap()
            .starts_with("notes: folder"),
        "{feed}"
    );
    // The store exists and is empty: `log` says so (on stderr), exit 0.
    let r = env.run(&["log"]);
    r.expect_code(0);
    assert!(
        r.stderr().contains("holds no versions yet"),
        "{}",
        r.stderr()
    );
    // Once the folder has a file, the warning is gone.
    std::fs::write(env.path().join("docs/a.txt"), "text").unwrap();
    let r = env.run(&["fetch"]);
    assert!(!r.stdout().contains("holds no files"), "{}", r.stdout());
}
