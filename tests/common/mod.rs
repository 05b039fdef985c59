//! Shared test harness: a temp directory with a config and store, the real
//! binary run with a cleared environment and a fixed clock, and a loopback
//! server. Failed assertions print the command, its output and the store.

#![allow(dead_code)]

pub mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use regwatch::config::Config;

pub use server::{Reply, TestServer};

/// The fixed "now" every binary run sees unless a test says otherwise.
pub const NOW: &str = "2024-10-01T06:00:00Z";

pub struct TestEnv {
    pub dir: tempfile::TempDir,
}

/// A finished run of the binary.
#[must_use]
pub struct Run {
    pub args: Vec<String>,
    pub output: Output,
    pub store_listing: String,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    /// Panics with everything a reader needs when the exit code differs.
    pub fn expect_code(&self, code: i32) -> &Self {
        if self.code() != code {
            panic!(
                "expected exit {code}, got {}\n--- command: regwatch {}\n--- stdout:\n{}\n--- stderr:\n{}\n--- store:\n{}",
                self.code(),
                self.args.join(" "),
                self.stdout(),
                self.stderr(),
                self.store_listing
            );
        }
        self
    }
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn store(&self) -> PathBuf {
        self.path().join("snapshots")
    }

    /// The stored item key of `feed` that starts with `prefix` (RSS keys
    /// and unusual file names carry a hash suffix); panics when there is
    /// not exactly one.
    pub fn stored_key(&self, feed: &str, prefix: &str) -> String {
        let keys: Vec<String> =
            std::fs::read_dir(self.store().join("feeds").join(feed).join("items"))
                .unwrap()
                .flatten()
                .filter_map(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    let key = n.strip_suffix(".jsonl")?.to_string();
                    key.starts_with(prefix).then_some(key)
                })
                .collect();
        assert_eq!(
            keys.len(),
            1,
            "keys of {feed} starting with {prefix}: {keys:?}"
        );
        keys[0].clone()
    }

    pub fn write_config(&self, yaml: &str) -> PathBuf {
        let p = self.path().join("feeds.yaml");
        std::fs::write(&p, yaml).unwrap();
        p
    }

    /// Returns the validated config for `yaml` (written to the temp dir).
    pub fn config(&self, yaml: &str) -> Config {
        let p = self.write_config(yaml);
        Config::load(&p).unwrap_or_else(|e| panic!("config should load: {e}\n{yaml}"))
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_regwatch"));
        cmd.args(args)
            .current_dir(self.path())
            .env_clear()
            .env("REGWATCH_NOW", NOW)
            .env("NO_COLOR", "1");
        if let Some(p) = std::env::var_os("PATH") {
            cmd.env("PATH", p);
        }
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_cmd(args, self.command(args))
    }

    /// [`TestEnv::run`] with the clock at `now` (RFC 3339).
    pub fn run_at(&self, now: &str, args: &[&str]) -> Run {
        let mut cmd = self.command(args);
        cmd.env("REGWATCH_NOW", now);
        self.run_cmd(args, cmd)
    }

    /// The JSON files a file channel wrote to `out/`, by name (oldest
    /// first: names start with the date).
    pub fn out_json_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.path().join("out"))
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "json"));
        files.sort();
        files
    }

    pub fn run_cmd(&self, args: &[&str], mut cmd: Command) -> Run {
        let output = cmd.output().unwrap();
        Run {
            args: args.iter().map(|s| s.to_string()).collect(),
            output,
            store_listing: listing(&self.store()),
        }
    }
}

/// Returns every file under `dir` with its size, one per line.
pub fn listing(dir: &Path) -> String {
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out.join("\n")
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(root, &p, out);
        } else {
            let len = p.metadata().map(|m| m.len()).unwrap_or(0);
            out.push(format!("{} {len}", p.strip_prefix(root).unwrap().display()));
        }
    }
}

/// Returns the total size of the files under `dir`, except the lock file.
pub fn store_bytes(dir: &Path) -> u64 {
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files
        .iter()
        .filter(|l| !l.starts_with("lock "))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<u64>().unwrap())
        .sum()
}

/// A loopback port nothing listens on (bound, then released): connections
/// to it are refused.
pub fn unused_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Returns `../shared/corpus`, or `None` (after saying why) when it is
/// absent; under `CI=true` an absent corpus fails the test instead.
pub fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    require("../shared/corpus", p.join("MANIFEST.md").exists()).then_some(p)
}

/// What a test does about something it needs (real data, a helper
/// program) given whether it is there and whether this is CI.
#[derive(Debug, PartialEq, Eq)]
pub enum Need {
    /// It is there: run the test.
    Run,
    /// Missing on a developer's machine: skip, saying why.
    Skip,
    /// Missing under CI: fail, because a CI run that skips proves nothing.
    Fail,
}

/// The decision behind [`require`], as a pure function.
pub fn need(present: bool, ci: bool) -> Need {
    match (present, ci) {
        (true, _) => Need::Run,
        (false, false) => Need::Skip,
        (false, true) => Need::Fail,
    }
}

/// True when the environment says this is a CI run (`CI=true`, as
/// `.ci/run` sets it, or `CI=1`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// Returns true when `what` is present. When it is absent, prints a
/// `SKIP:` line and returns false, or panics under CI (`CI=true`).
pub fn require(what: &str, present: bool) -> bool {
    match need(present, in_ci()) {
        Need::Run => true,
        Need::Skip => {
            eprintln!("SKIP: {what} not found; test skipped (with CI=true this fails)");
            false
        }
        Need::Fail => panic!(
            "{what} not found, and CI=true: a CI run must not pass by skipping. \
             .ci/run installs aiosmtpd and expects ../shared beside the checkout"
        ),
    }
}

#[test]
fn missing_test_data_skips_on_a_laptop_and_fails_in_ci() {
    assert_eq!(need(true, false), Need::Run);
    assert_eq!(need(true, true), Need::Run);
    assert_eq!(need(false, false), Need::Skip);
    assert_eq!(need(false, true), Need::Fail);
    // The same decision through `require` (the CI flag read from the env
    // is whatever this run has; only the present case is env-independent).
    assert!(require("something present", true));
    let missing = std::panic::catch_unwind(|| require("something absent", false));
    assert_eq!(missing.is_err(), in_ci(), "absent: panic exactly under CI");
}

/// Runs one `fetch_and_store` of every feed in `config` into the env's store
/// at 06:00 UTC on the given October 2024 day.
pub fn fetch_on(env: &TestEnv, config: &Config, day: u32) -> Vec<regwatch::pipeline::FeedOutcome> {
    let client = regwatch::fetch::HttpClient::new(&config.http).unwrap();
    fetch_with(env, config, day, &client)
}

/// [`fetch_on`] with a client of the caller's (one with a progress sink).
pub fn fetch_with(
    env: &TestEnv,
    config: &Config,
    day: u32,
    client: &regwatch::fetch::HttpClient,
) -> Vec<regwatch::pipeline::FeedOutcome> {
    use chrono::TimeZone;
    let store = regwatch::store::Store::create_or_open(&env.store()).unwrap();
    let now = chrono::Utc
        .with_ymd_and_hms(2024, 10, day, 6, 0, 0)
        .unwrap();
    let lock = store.lock(false, now).unwrap();
    rt().block_on(regwatch::pipeline::fetch_and_store(
        &config.feeds,
        &store,
        &lock,
        client,
        now,
        |_| {},
    ))
}

/// A runtime for library-level async calls.
/// A feed's errors as text, one per line.
pub fn errors_text(errors: &[regwatch::pipeline::FeedProblem]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Fast-failing HTTP settings for tests.
pub const TEST_HTTP: &str =
    "http:\n  politeness_delay_ms: 0\n  retries: 2\n  backoff_ms: 20\n  timeout_secs: 5\n";
