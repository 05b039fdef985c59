//! The cron run end to end: the real binary against the demo's loopback
//! HTTP server and a real SMTP server (Python's aiosmtpd, installed by
//! `.ci/run`), with received mail parsed back as MIME.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use regwatch::demo::FixtureServer;

use crate::common::TestEnv;

const DAY1: &str = "2024-10-01T06:00:00Z";
const DAY2: &str = "2024-10-15T06:00:00Z";

/// A real SMTP server (aiosmtpd) on loopback, killed on drop.
struct Smtp {
    child: Child,
    port: u16,
    maildir: PathBuf,
}

impl Smtp {
    /// Starts the server, or returns `None` (saying why) without aiosmtpd.
    fn start(dir: &Path, port: u16, extra: &[&str]) -> Option<Smtp> {
        let ok = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !crate::common::require("python3 with aiosmtpd (pip install aiosmtpd)", ok) {
            return None;
        }
        let maildir = dir.join("maildir");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_server.py");
        let mut child = Command::new("python3")
            .arg(script)
            .args(["--port", &port.to_string(), "--maildir"])
            .arg(&maildir)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.starts_with("READY"), "smtp server said: {line:?}");
        Some(Smtp {
            child,
            port,
            maildir,
        })
    }

    /// The messages received so far, parsed.
    fn messages(&self) -> Vec<Vec<u8>> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.maildir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        names.retain(|p| p.extension().is_some_and(|e| e == "eml"));
        names.sort();
        names.iter().map(|p| std::fs::read(p).unwrap()).collect()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The demo's feeds pointed at `server`, with `notify` replacing the demo's.
fn config_with(server: &FixtureServer, notify: &str) -> String {
    let yaml = server.config_yaml();
    let feeds = yaml.split("\nnotify:").next().unwrap();
    format!("{feeds}\n{notify}")
}

fn email_notify(port: u16, auth: bool) -> String {
    let creds = if auth {
        ", username_env: REGWATCH_SMTP_USER, password_env: REGWATCH_SMTP_PASSWORD"
    } else {
        ""
    };
    format!(
        "notify:
  - id: compliance-team
    email:
      smtp: {{ host: 127.0.0.1, port: {port}, security: none, timeout_secs: 5{creds} }}
      from: regwatch <regwatch@example.com>
      to: [exports@example.com]
      cc: [counsel@example.com]
    profile: {{ eccns: [3B001, 3C909], countries: [CN, KR], exceptions: [IEC], keywords: [quantum] }}
"
    )
}

fn parse(bytes: &[u8]) -> mail_parser::Message<'_> {
    mail_parser::MessageParser::default()
        .parse(bytes)
        .expect("received mail parses as MIME")
}

#[test]
fn day_two_sends_exactly_one_email_with_the_three_flags_and_the_moved_deadline() {
    let env = TestEnv::new();
    let Some(smtp) = Smtp::start(env.path(), crate::common::unused_port(), &[]) else {
        return;
    };
    let server = FixtureServer::start().unwrap();
    env.write_config(&config_with(&server, &email_notify(smtp.port, false)));

    env.run_at(DAY1, &["run"]).expect_code(1);
    assert_eq!(smtp.messages().len(), 1, "day 1: one summary");

    server.set_day(2);
    let day2 = env.run_at(DAY2, &["run"]);
    day2.expect_code(1);
    let all = smtp.messages();
    assert_eq!(all.len(), 2, "day 2 adds exactly one email");
    let m = parse(&all[1]);
    let subject = m.subject().unwrap();
    // The subject names the top changes, not counts.
    assert_eq!(
        subject,
        "regwatch: Korea, South added to IEC; ECCN 3C909 added; \
         comment deadline moved to 2024-12-05 (+2 more)"
    );
    assert!(m.message_id().is_some_and(|id| id.ends_with("@regwatch")));
    assert!(m.date().is_some());
    assert_eq!(
        m.to().unwrap().first().unwrap().address(),
        Some("exports@example.com")
    );
    assert_eq!(
        m.cc().unwrap().first().unwrap().address(),
        Some("counsel@example.com")
    );
    let text = m.body_text(0).unwrap();
    let html = m.body_html(0).unwrap();
    // Dates sit in no-wrap spans in HTML.
    let html_words = html
        .replace("<span class=\"nowrap\">", "")
        .replace("</span>", "");
    for needle in [
        "ECCN 3C909 added",
        "Korea, South (KR) added to License Exception Implemented Export Controls (IEC)",
        "Comment deadline moved from 2024-11-05 to 2024-12-05 (extended by 30 days)",
    ] {
        assert!(text.contains(needle), "text part lacks {needle:?}:\n{text}");
        assert!(
            html_words.contains(&needle.replace('&', "&amp;")),
            "html part lacks {needle:?}"
        );
    }
    // Both parts start with the key changes, before any feed.
    let key = text.find("KEY CHANGES").expect("text part has key changes");
    assert!(key < text.find("\n== ").unwrap(), "{text}");
    let key = html
        .find("<h2>Key changes</h2>")
        .expect("html part has key changes");
    assert!(key < html.find("<h2>BIS").unwrap(), "{html}");
    // The moved-deadline notice (reminders section), not only the flag.
    assert!(
        text.contains("REMINDERS")
            && text.contains("moved from 2024-11-05 to 2024-12-05 (in 51 days)"),
        "{text}"
    );
    // The day-1 mail does not repeat on day 2: only day-2 items are listed.
    assert!(
        !text.contains("Clarification of Controls on Radiation Hardened"),
        "{text}"
    );

    // A third run with nothing new sends nothing.
    env.run_at(DAY2, &["run"]).expect_code(0);
    assert_eq!(smtp.messages().len(), 2);
}

#[test]
fn smtp_down_keeps_the_message_and_the_next_run_delivers_it_once() {
    let env = TestEnv::new();
    let port = crate::common::unused_port();
    let server = FixtureServer::start().unwrap();
    env.write_config(&config_with(&server, &email_notify(port, false)));
    // Nobody listens on the port yet.
    let first = env.run_at(DAY1, &["run"]);
    first.expect_code(2);
    assert!(first.stderr().contains("FAILED"), "{}", first.stderr());
    assert!(
        first.stderr().contains("retried next run"),
        "{}",
        first.stderr()
    );
    let outbox = env.run_at(DAY1, &["outbox"]);
    assert!(outbox.stdout().contains("failed"), "{}", outbox.stdout());

    let Some(smtp) = Smtp::start(env.path(), port, &[]) else {
        return;
    };
    env.run_at(DAY1, &["run"]).expect_code(0);
    assert_eq!(smtp.messages().len(), 1, "the kept message is delivered");
    env.run_at(DAY1, &["run"]).expect_code(0);
    assert_eq!(smtp.messages().len(), 1, "and never again");
    let listing = env.run_at(DAY1, &["outbox", "--all", "--format", "json"]);
    let line = listing.stdout();
    assert!(
        line.contains("\"status\":\"sent\"") && line.contains("\"attempts\":2"),
        "{line}"
    );
}

#[test]
fn smtp_auth_uses_environment_credentials_and_never_stores_them() {
    let env = TestEnv::new();
    let secret = "s3cr3t-Pa55word-9471";
    let Some(smtp) = Smtp::start(
        env.path(),
        crate::common::unused_port(),
        &["--auth", &format!("alerts:{secret}")],
    ) else {
        return;
    };
    let server = FixtureServer::start().unwrap();
    env.write_config(&config_with(&server, &email_notify(smtp.port, true)));

    // A wrong password fails without printing either password.
    let mut cmd = env.command(&["run"]);
    cmd.env("REGWATCH_NOW", DAY1)
        .env("REGWATCH_SMTP_USER", "alerts")
        .env("REGWATCH_SMTP_PASSWORD", "wrong-password-1234");
    let bad = env.run_cmd(&["run"], cmd);
    bad.expect_code(2);
    let all_output = bad.stdout() + &bad.stderr();
    assert!(all_output.contains("authentication"), "{all_output}");
    assert!(!all_output.contains("wrong-password-1234"));
    assert!(smtp.messages().is_empty());

    let mut cmd = env.command(&["run"]);
    cmd.env("REGWATCH_NOW", DAY1)
        .env("REGWATCH_SMTP_USER", "alerts")
        .env("REGWATCH_SMTP_PASSWORD", secret);
    let good = env.run_cmd(&["run"], cmd);
    good.expect_code(0);
    assert_eq!(smtp.messages().len(), 1);
    assert!(!(good.stdout() + &good.stderr()).contains(secret));
    // Nothing under the store or the config folder holds the secret.
    for (path, bytes) in files_under(env.path()) {
        if path.starts_with(&smtp.maildir) {
            continue;
        }
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{} contains the password",
            path.display()
        );
    }
}

/// Fails when any file under the store holds `secret`.
fn assert_no_stored_file_holds(env: &TestEnv, secret: &str) {
    for (path, bytes) in files_under(&env.store()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(secret),
            "{} holds the token",
            path.display()
        );
    }
}

fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(b) = std::fs::read(&p) {
                out.push((p, b));
            }
        }
    }
    out
}

/// Starts `regwatch run` in the background and kills it with SIGKILL once
/// `ready` says so (or after 60 s).
fn kill_run_when(env: &TestEnv, ready: impl Fn() -> bool) {
    let mut child = env
        .command(&["run"])
        .env("REGWATCH_NOW", DAY1)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !ready() && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(ready(), "the run never reached the point to kill it at");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
}

fn outbox_text(env: &TestEnv) -> String {
    files_under(&env.store().join("outbox"))
        .into_iter()
        .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
        .collect()
}

#[test]
fn a_run_killed_during_the_smtp_transaction_is_never_resent_automatically() {
    let env = TestEnv::new();
    let port = crate::common::unused_port();
    let server = FixtureServer::start().unwrap();
    env.write_config(&config_with(&server, &email_notify(port, false)));
    {
        // The server takes the message but never confirms it.
        let Some(_stall) = Smtp::start(env.path(), port, &["--stall", "data"]) else {
            return;
        };
        kill_run_when(&env, || outbox_text(&env).contains("\"sending\""));
    }
    env.run_at(DAY1, &["verify"]).expect_code(0);
    let Some(smtp) = Smtp::start(&env.path().join("up"), port, &[]) else {
        return;
    };
    // The next run says so and exits 2: a human must decide.
    let next = env.run_at(DAY1, &["run"]);
    next.expect_code(2);
    assert!(next.stderr().contains("unconfirmed"), "{}", next.stderr());
    assert!(smtp.messages().is_empty(), "not resent on its own");
    let listing = env.run_at(DAY1, &["outbox"]);
    assert!(
        listing.stdout().contains("unconfirmed"),
        "{}",
        listing.stdout()
    );
    // On request it is sent, once.
    let id = listing
        .stdout()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    env.run_at(DAY1, &["outbox", "--resend", &id])
        .expect_code(0);
    assert_eq!(smtp.messages().len(), 1);
    env.run_at(DAY1, &["run"]).expect_code(0);
    assert_eq!(smtp.messages().len(), 1);
}

#[test]
fn a_run_killed_before_the_transaction_is_retried_and_delivered_once() {
    let env = TestEnv::new();
    let port = crate::common::unused_port();
    let server = FixtureServer::start().unwrap();
    env.write_config(&config_with(&server, &email_notify(port, false)));
    {
        // The server accepts the connection but never greets.
        let Some(_stall) = Smtp::start(env.path(), port, &["--stall", "greeting"]) else {
            return;
        };
        kill_run_when(&env, || outbox_text(&env).contains("\"pending\""));
        // Give the run time to be stuck in the connection, then it is killed.
    }
    assert!(!outbox_text(&env).contains("\"sending\""));
    let Some(smtp) = Smtp::start(&env.path().join("up"), port, &[]) else {
        return;
    };
    env.run_at(DAY1, &["run"]).expect_code(0);
    assert_eq!(smtp.messages().len(), 1);
    env.run_at(DAY1, &["run"]).expect_code(0);
    assert_eq!(smtp.messages().len(), 1);
}

const FILE_NOTIFY: &str = "notify:
  - id: desk
    remind_days: [30, 7, 1]
    file: { dir: out, formats: [md, json] }
";

/// A test folder whose config is the demo's feeds on a fresh fixture
/// server and the `desk` recipient of [`FILE_NOTIFY`].
fn file_desk() -> (TestEnv, FixtureServer) {
    let env = TestEnv::new();
    let server = FixtureServer::start().unwrap();
    env.write_config(&config_with(&server, FILE_NOTIFY));
    (env, server)
}

fn summaries(env: &TestEnv) -> Vec<serde_json::Value> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(env.path().join("out"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    // In the order they were written: two summaries composed at the same
    // (fixed) time differ in name only by their id, a hash.
    files.sort_by_key(|p| (std::fs::metadata(p).unwrap().modified().unwrap(), p.clone()));
    files
        .iter()
        .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
        .collect()
}

#[test]
fn reminders_fall_due_once_per_offset_and_follow_a_moved_deadline() {
    let (env, server) = file_desk();
    env.run_at(DAY1, &["run"]).expect_code(1);
    // 2024-10-07: the 2024-11-05 comment deadline is 29 days away.
    env.run_at("2024-10-07T06:00:00Z", &["run", "--no-fetch"])
        .expect_code(1);
    let s = summaries(&env);
    assert_eq!(s.len(), 2);
    let r = &s[1]["data"]["reminders"];
    assert!(
        r.as_array().unwrap().iter().any(|n| n["offset"] == 30
            && n["deadline"]["date"] == "2024-11-05"
            && n["deadline"]["document"] == "2024-19633"),
        "{r}"
    );
    // Same day again: nothing new.
    env.run_at("2024-10-07T18:00:00Z", &["run", "--no-fetch"])
        .expect_code(0);
    assert_eq!(summaries(&env).len(), 2);

    // Day 2 moves the deadline to 2024-12-05: announced as moved.
    server.set_day(2);
    env.run_at(DAY2, &["run"]).expect_code(1);
    let s = summaries(&env);
    let moved: Vec<&serde_json::Value> = s[2]["data"]["reminders"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "moved")
        .collect();
    assert_eq!(moved.len(), 1, "{}", s[2]["data"]["reminders"]);
    assert_eq!(moved[0]["previous"], "2024-11-05");
    assert_eq!(moved[0]["deadline"]["date"], "2024-12-05");

    // 2024-10-29 would have been the 7-day reminder for the old date: none.
    env.run_at("2024-10-29T06:00:00Z", &["run", "--no-fetch"])
        .expect_code(0);
    // 2024-11-05: 30 days before the new date.
    env.run_at("2024-11-05T06:00:00Z", &["run", "--no-fetch"])
        .expect_code(1);
    // 2024-11-28: 7 days; 2024-12-04: 1 day; each once.
    env.run_at("2024-11-28T06:00:00Z", &["run", "--no-fetch"])
        .expect_code(1);
    env.run_at("2024-11-28T07:00:00Z", &["run", "--no-fetch"])
        .expect_code(0);
    env.run_at("2024-12-04T06:00:00Z", &["run", "--no-fetch"])
        .expect_code(1);
    let s = summaries(&env);
    let offsets: Vec<(String, i64)> = s[3..]
        .iter()
        .flat_map(|m| m["data"]["reminders"].as_array().unwrap().clone())
        .filter(|n| n["kind"] == "reminder" && n["deadline"]["document"] == "2024-19633")
        .map(|n| {
            (
                n["deadline"]["date"].as_str().unwrap().to_string(),
                n["offset"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        offsets,
        vec![
            ("2024-12-05".to_string(), 30),
            ("2024-12-05".to_string(), 7),
            ("2024-12-05".to_string(), 1)
        ]
    );
    // The subject says when.
    let md = std::fs::read_dir(env.path().join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.to_string_lossy().contains("2024-12-04") && p.extension().is_some_and(|e| e == "md")
        })
        .map(|p| std::fs::read_to_string(p).unwrap())
        .next()
        .unwrap();
    // The rule's comment period and the notice extending it are one
    // deadline: one reminder, not two.
    assert!(md.starts_with("# regwatch: 1 deadline tomorrow"), "{md}");
}

#[test]
fn the_calendar_is_valid_rfc5545_and_a_moved_deadline_keeps_its_uid() {
    use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
    let (env, server) = file_desk();
    env.run_at(DAY1, &["run"]).expect_code(1);
    let read = |env: &TestEnv, now: &str| -> String {
        env.run_at(now, &["deadlines", "--all", "--format", "ics"])
            .expect_code(0)
            .stdout()
    };
    let before = read(&env, DAY1);
    // The file channel keeps the same calendar.
    let events_only = |s: &str| -> String {
        s.lines()
            .filter(|l| !l.starts_with("X-WR-CALNAME"))
            .collect()
    };
    assert_eq!(
        events_only(&std::fs::read_to_string(env.path().join("out/deadlines.ics")).unwrap()),
        events_only(&before)
    );
    server.set_day(2);
    env.run_at(DAY2, &["run"]).expect_code(1);
    let after = read(&env, DAY2);

    let events = |text: &str| -> Vec<(String, chrono::NaiveDate, i64, String)> {
        assert!(text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "line over 75 octets: {line}");
        }
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
        let cal: Calendar = text.parse().expect("icalendar parses it back");
        cal.components
            .iter()
            .filter_map(|c| match c {
                CalendarComponent::Event(e) => Some(e),
                _ => None,
            })
            .map(|e| {
                assert!(e.property_value("DTSTAMP").is_some(), "DTSTAMP is required");
                let start = match e.get_start().expect("DTSTART") {
                    DatePerhapsTime::Date(d) => d,
                    other => panic!("all-day events expected, got {other:?}"),
                };
                let seq = e.property_value("SEQUENCE").unwrap().parse().unwrap();
                (
                    e.get_uid().expect("UID").to_string(),
                    start,
                    seq,
                    e.get_summary().unwrap_or_default().to_string(),
                )
            })
            .collect()
    };
    let old = events(&before);
    let new = events(&after);
    let find = |list: &[(String, chrono::NaiveDate, i64, String)], date: &str| {
        list.iter()
            .find(|e| {
                e.3.starts_with("Comment deadline: Commerce Control List")
                    && e.1.to_string() == date
            })
            .cloned()
    };
    let (uid1, _, seq1, _) = find(&old, "2024-11-05").expect("day-1 comment deadline");
    let (uid2, _, seq2, _) = find(&new, "2024-12-05").expect("day-2 comment deadline");
    assert_eq!(uid1, uid2, "a moved deadline is the same event");
    assert!(seq2 > seq1, "SEQUENCE grows: {seq1} → {seq2}");
    assert!(find(&new, "2024-11-05").is_none(), "the old date is gone");
    assert!(after.contains("DESCRIPTION:Comment deadline 2024-12-05\\nMoved from 2024-11-05"));
}

#[test]
fn dry_run_prints_the_summary_and_sends_nothing() {
    let (env, _server) = file_desk();
    let dry = env.run_at(DAY1, &["run", "--dry-run"]);
    dry.expect_code(1);
    assert!(
        dry.stdout().contains("would send to desk via file"),
        "{}",
        dry.stdout()
    );
    assert!(
        dry.stdout()
            .contains("Implementation of Controls on Advanced Technologies")
    );
    assert!(!env.path().join("out").exists());
    assert!(!env.store().join("outbox").exists());
    // The real run still reports everything.
    env.run_at(DAY1, &["run"]).expect_code(1);
    assert_eq!(summaries(&env).len(), 1);
    // --since re-reports a window even though it was sent.
    env.run_at(DAY1, &["run", "--no-fetch", "--since", "2024-10-01"])
        .expect_code(1);
    let s = summaries(&env);
    assert_eq!(s.len(), 2);
    assert_eq!(s[1]["data"]["since"], "2024-10-01");
}

#[test]
fn overlapping_runs_and_bad_configuration_exit_clearly() {
    let (env, _server) = file_desk();
    let store = regwatch::store::Store::create_or_open(&env.store()).unwrap();
    let lock = store.lock(false, chrono::Utc::now()).unwrap();
    let start = Instant::now();
    let second = env.run_at(DAY1, &["run"]);
    second.expect_code(2);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert!(second.stderr().contains("lock"), "{}", second.stderr());
    assert!(second.stderr().contains("--wait"), "{}", second.stderr());
    drop(lock);

    env.write_config("feeds: []\nnotify:\n  - id: desk\n    emial: {}\n");
    let bad = env.run_at(DAY1, &["run"]);
    bad.expect_code(3);
    assert!(
        bad.stderr().contains("feeds.yaml:4:5: unknown key `emial`"),
        "{}",
        bad.stderr()
    );
    env.run_at(DAY1, &["run", "--no-such-flag"]).expect_code(3);
}

#[test]
fn only_matching_profiles_keep_just_what_touches_them() {
    let env = TestEnv::new();
    let server = FixtureServer::start().unwrap();
    env.write_config(&config_with(
        &server,
        "notify:
  - id: quantum-desk
    profile: { eccns: [4A906], only_matching: true }
    file: { dir: out, formats: [json] }
",
    ));
    env.run_at(DAY1, &["run"]).expect_code(1);
    server.set_day(2);
    env.run_at(DAY2, &["run"]).expect_code(1);
    let s = summaries(&env);
    let day2 = &s.last().unwrap()["data"];
    // Day 2 touches 3C909 and IEC, not 4A906: only the moved deadline of a
    // rule announced on day 1 is left, the rest is counted as hidden.
    assert!(day2["counts"]["hidden"].as_u64().unwrap() >= 2, "{day2}");
    for f in day2["feeds"].as_array().unwrap() {
        for c in f["changed"].as_array().unwrap() {
            assert!(!c["matches"].as_array().unwrap().is_empty(), "{c}");
        }
    }
}

/// A loopback HTTP server that records every POST (headers and body) to
/// `/hook`, and answers a POST to `/moved` with a 307 to `{redirect_to}/hook`.
struct Hook {
    base: String,
    seen: std::sync::Arc<std::sync::Mutex<Vec<(axum::http::HeaderMap, String)>>>,
    _rt: tokio::runtime::Runtime,
}

fn hook_server() -> Hook {
    hook_server_redirecting("http://127.0.0.1:9")
}

fn hook_server_redirecting(redirect_to: &str) -> Hook {
    use axum::routing::post;
    let location = format!("{redirect_to}/hook");
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let rt = crate::common::rt();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let store = seen.clone();
    let app = axum::Router::new()
        .route(
            "/hook",
            post(move |headers: axum::http::HeaderMap, body: String| {
                let store = store.clone();
                async move {
                    store.lock().unwrap().push((headers, body));
                    "ok"
                }
            }),
        )
        .route(
            "/moved",
            post(move || {
                let location = location.clone();
                async move {
                    (
                        axum::http::StatusCode::TEMPORARY_REDIRECT,
                        [(axum::http::header::LOCATION, location)],
                    )
                }
            }),
        );
    rt.spawn(async move { axum::serve(listener, app).await });
    Hook {
        base,
        seen,
        _rt: rt,
    }
}

#[test]
fn webhooks_post_slack_text_and_secrets_come_from_the_environment() {
    let env = TestEnv::new();
    let server = FixtureServer::start().unwrap();
    let hook = hook_server();
    env.write_config(&config_with(
        &server,
        &format!(
            "notify:
  - id: slack
    webhook:
      url: {}/hook
      style: slack
      headers: [{{ name: Authorization, value_env: HOOK_TOKEN }}]
",
            hook.base
        ),
    ));
    let mut cmd = env.command(&["run"]);
    cmd.env("REGWATCH_NOW", DAY1)
        .env("HOOK_TOKEN", "Bearer hook-secret-5531");
    env.run_cmd(&["run"], cmd).expect_code(1);
    server.set_day(2);
    let mut cmd = env.command(&["run"]);
    cmd.env("REGWATCH_NOW", DAY2)
        .env("HOOK_TOKEN", "Bearer hook-secret-5531");
    env.run_cmd(&["run"], cmd).expect_code(1);
    let seen = hook.seen.lock().unwrap();
    assert_eq!(seen.len(), 2, "one POST per run");
    let (headers, body) = &seen[1];
    assert_eq!(headers["authorization"], "Bearer hook-secret-5531");
    assert!(headers.contains_key("idempotency-key"));
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    let text = v["text"].as_str().unwrap();
    assert!(text.contains("ECCN 3C909 added"), "{text}");
    assert!(
        text.starts_with("regwatch: "),
        "Slack text has no Markdown heading: {text}"
    );
    assert!(!text.contains("**"), "Slack bold is *x*: {text}");
    assert_no_stored_file_holds(&env, "hook-secret-5531");
}

/// Finding: a webhook's secret header must not follow a redirect to another
/// host. The 307 is not followed at all: the other host sees nothing, the
/// delivery fails naming the redirect, and no token is printed or stored.
#[test]
fn webhook_redirects_are_not_followed_so_the_token_stays_home() {
    let env = TestEnv::new();
    let server = FixtureServer::start().unwrap();
    let elsewhere = hook_server();
    let hook = hook_server_redirecting(&elsewhere.base);
    env.write_config(&config_with(
        &server,
        &format!(
            "notify:
  - id: slack
    webhook:
      url: {}/moved
      style: slack
      headers: [{{ name: X-Api-Key, value_env: HOOK_TOKEN }}]
",
            hook.base
        ),
    ));
    let mut cmd = env.command(&["run"]);
    cmd.env("REGWATCH_NOW", DAY1)
        .env("HOOK_TOKEN", "hook-secret-7702");
    let run = env.run_cmd(&["run"], cmd);
    run.expect_code(2);
    assert!(
        elsewhere.seen.lock().unwrap().is_empty(),
        "the redirect target received the summary (and the token)"
    );
    let all = format!("{}{}", run.stdout(), run.stderr());
    assert!(all.contains("redirect"), "{all}");
    assert!(!all.contains("hook-secret-7702"), "{all}");
    let out = env.run(&["outbox", "--all", "--format", "json"]);
    assert!(out.stdout().contains("not followed"), "{}", out.stdout());
    assert_no_stored_file_holds(&env, "hook-secret-7702");
}

#[test]
fn outbox_entries_written_before_typed_references_still_count_as_sent() {
    let (env, _server) = file_desk();
    // The versions day 1 stored, with nothing composed yet.
    env.run_at(DAY1, &["fetch"]).expect_code(0);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/outbox");
    let outbox = env.store().join("outbox");
    std::fs::create_dir_all(&outbox).unwrap();
    for name in [
        "34acdc7f70e1f1d103e0df2c.json",
        "3dd6db6f8cbfe9864418009b.json",
    ] {
        // RSS item keys hash the entry's guid, which holds the fixture
        // server's port: point the old keys at this server's items.
        let mut text = std::fs::read_to_string(fixtures.join(name)).unwrap();
        for (slug, old) in [
            (
                "2024-03-12-commerce-clarifies-radiation-hardened-ic-controls--",
                "0837d1998705c73f",
            ),
            (
                "2024-09-05-commerce-controls-quantum-semiconductor-additive-manufacturing--",
                "fe944e75179153bd",
            ),
        ] {
            let key = env.stored_key("bis-press", slug);
            text = text.replace(&format!("{slug}{old}"), &key);
        }
        std::fs::write(outbox.join(name), text).unwrap();
    }
    env.run_at(DAY1, &["outbox"]).expect_code(0);
    // Its versions and its reminder were told: nothing is due.
    env.run_at("2024-10-07T18:00:00Z", &["run", "--no-fetch"])
        .expect_code(0);
    assert_eq!(std::fs::read_dir(&outbox).unwrap().count(), 2);
    // Without the reminder's entry, the same reminder is due again, under
    // the same id (ids hash the same strings as before).
    std::fs::remove_file(outbox.join("3dd6db6f8cbfe9864418009b.json")).unwrap();
    env.run_at("2024-10-07T18:00:00Z", &["run", "--no-fetch"])
        .expect_code(1);
    let again: serde_json::Value = serde_json::from_slice(
        &std::fs::read(outbox.join("3dd6db6f8cbfe9864418009b.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        again["reminders"],
        serde_json::json!(["8b2800693877a0a1@regwatch|2024-11-05|30"])
    );
}

/// An outbox entry written before flags became typed findings (the demo's
/// day-2 summary as `main` wrote it, with its `date_changed`,
/// `eccn_added` and `country_added` flags) still loads and renders: an
/// undelivered message must survive an upgrade.
#[test]
fn an_outbox_entry_written_before_typed_findings_still_loads() {
    let env = TestEnv::new();
    let store = regwatch::store::Store::create_or_open(&env.store()).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/notify/outbox-entry-2024-10-15.json");
    let id = "812cb6daa90e6f6072448e67";
    let dir = env.store().join(regwatch::notify::outbox::COLLECTION);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&fixture, dir.join(format!("{id}.json"))).unwrap();
    let entry = regwatch::notify::outbox::load(&store, id)
        .unwrap()
        .expect("the entry is there");
    let flags: Vec<&str> = entry
        .digest
        .feeds
        .iter()
        .flat_map(|f| &f.changed)
        .flat_map(|c| &c.flags)
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        flags,
        [
            "Comment deadline moved from 2024-11-05 to 2024-12-05 (extended by 30 days)",
            "Korea, South (KR) added to License Exception Implemented Export Controls (IEC) — Eligible destinations (§ 740.24(b))",
            "ECCN 3C909 added (Supplement No. 1 to Part 774)",
        ]
    );
    // Every rendering shows the sentences it stored.
    use regwatch::report::digest_render;
    let d = &entry.digest;
    for out in [
        digest_render::text(d),
        digest_render::markdown(d),
        digest_render::html(d),
        digest_render::json(d),
    ] {
        assert!(
            out.contains("ECCN 3C909 added (Supplement No. 1 to Part 774)"),
            "{out}"
        );
    }
}

/// What `run` stores in the outbox: each flag typed and in words beside it.
#[test]
fn the_outbox_keeps_each_flag_typed_and_in_words() {
    let (env, server) = file_desk();
    env.run_at(DAY1, &["run"]).expect_code(1);
    server.set_day(2);
    let _ = env.run_at(DAY2, &["run"]);
    let store = regwatch::store::Store::create_or_open(&env.store()).unwrap();
    let entries = regwatch::notify::outbox::load_all(&store).unwrap();
    let notes: Vec<_> = entries
        .iter()
        .flat_map(|e| &e.digest.feeds)
        .flat_map(|f| &f.changed)
        .flat_map(|c| &c.flags)
        .collect();
    assert!(!notes.is_empty(), "day 2 changes part 740 and 774");
    for n in notes {
        let flag = n.flag.as_ref().expect("typed flag stored");
        assert_eq!(n.message, regwatch::report::describe::headline(flag));
    }
    let keys: Vec<_> = entries.iter().flat_map(|e| &e.digest.key_changes).collect();
    assert!(!keys.is_empty());
    assert!(keys.iter().all(|k| k.flag.is_some() && !k.brief.is_empty()));
}

/// The outbox is a record kept for good: an entry whose stored flags a
/// later version cannot read (a finding kind or field that changed) still
/// loads, and renders from the words stored beside the flags.
#[test]
fn an_outbox_entry_with_flags_this_version_cannot_read_renders_its_stored_words() {
    let env = TestEnv::new();
    let store = regwatch::store::Store::create_or_open(&env.store()).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/notify/outbox-entry-2024-10-15.json");
    let mut entry: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&fixture).unwrap()).unwrap();
    let unreadable = serde_json::json!({"kind": "eccn_added", "eccn": 3909, "future": true});
    let mut injected = 0;
    for feed in entry["digest"]["feeds"].as_array_mut().unwrap() {
        for changed in feed["changed"].as_array_mut().unwrap() {
            for note in changed["flags"].as_array_mut().unwrap() {
                note["flag"] = unreadable.clone();
                injected += 1;
            }
        }
    }
    assert_eq!(injected, 3);
    let id = "812cb6daa90e6f6072448e67";
    let dir = env.store().join(regwatch::notify::outbox::COLLECTION);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{id}.json")), entry.to_string()).unwrap();
    let entry = regwatch::notify::outbox::load(&store, id)
        .unwrap()
        .expect("the entry loads although its flags cannot be read");
    let notes: Vec<_> = entry
        .digest
        .feeds
        .iter()
        .flat_map(|f| &f.changed)
        .flat_map(|c| &c.flags)
        .collect();
    assert!(notes.iter().all(|n| n.flag.is_none()), "{notes:#?}");
    let text = regwatch::report::digest_render::text(&entry.digest);
    assert!(
        text.contains("ECCN 3C909 added (Supplement No. 1 to Part 774)"),
        "{text}"
    );
}

/// `links.base_url`: each changed item links to its diff page at that
/// address, and `run` writes the pages (here into the `file` channel's
/// `diffs/` folder) before anything is sent; without it, items link
/// their source.
#[test]
fn links_base_url_links_each_change_to_its_diff_page_which_run_writes() {
    let env = TestEnv::new();
    let server = FixtureServer::start().unwrap();
    let notify =
        format!("links:\n  base_url: https://regs.example.com/regwatch/diffs/\n{FILE_NOTIFY}");
    env.write_config(&config_with(&server, &notify));
    env.run_at(DAY1, &["run"]).expect_code(1);
    server.set_day(2);
    env.run_at(DAY2, &["run"]).expect_code(1);
    let s = summaries(&env);
    let day2 = &s[1]["data"];
    let changed: Vec<&serde_json::Value> = day2["feeds"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["changed"].as_array().unwrap())
        .collect();
    assert_eq!(changed.len(), 3, "{day2}");
    for c in &changed {
        let after = c["after"].as_str().unwrap();
        let (item, seq) = after.rsplit_once('@').unwrap();
        let page = format!("{}--{seq}.html", item.replace('/', "--"));
        assert_eq!(
            c["diff_link"],
            format!("https://regs.example.com/regwatch/diffs/{page}"),
            "{c}"
        );
        let html = std::fs::read_to_string(env.path().join("out/diffs").join(&page))
            .unwrap_or_else(|e| panic!("no page {page}: {e}"));
        assert!(
            html.starts_with("<!DOCTYPE html>") && html.contains("What changed"),
            "{html}"
        );
    }
    for k in day2["key_changes"].as_array().unwrap() {
        assert!(
            k["link"]
                .as_str()
                .unwrap()
                .starts_with("https://regs.example.com/regwatch/diffs/"),
            "{k}"
        );
    }
    // The Markdown summary links them too.
    assert!(
        s.len() == 2
            && std::fs::read_dir(env.path().join("out"))
                .unwrap()
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(".md"))
                .any(|e| std::fs::read_to_string(e.path())
                    .unwrap()
                    .contains("(<https://regs.example.com/regwatch/diffs/ear--part-740--2.html>)"))
    );

    // Without links:, each change links its source document.
    let (env, server) = file_desk();
    env.run_at(DAY1, &["run"]).expect_code(1);
    server.set_day(2);
    env.run_at(DAY2, &["run"]).expect_code(1);
    let s = summaries(&env);
    for f in s[1]["data"]["feeds"].as_array().unwrap() {
        for c in f["changed"].as_array().unwrap() {
            assert!(c.get("diff_link").is_none(), "{c}");
            assert!(
                c["link"].as_str().unwrap().starts_with("http://127.0.0.1:"),
                "{c}"
            );
        }
    }
    assert!(!env.path().join("out/diffs").exists());
}
