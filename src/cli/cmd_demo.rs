//! `regwatch demo`: the whole pipeline, offline, over two simulated days.

use std::path::{Path, PathBuf};

use anyhow::Context;
use regwatch::config::Config;
use regwatch::deadlines;
use regwatch::demo::{FixtureServer, demo_day_time};
use regwatch::diff::history::changes;
use regwatch::diff::stored::diff_versions;
use regwatch::fetch::HttpClient;
use regwatch::job::{self, RunOptions};
use regwatch::notify::outbox;
use regwatch::report::diff_html;
use regwatch::report::diff_text::{Side, Sides};
use regwatch::report::digest_render;
use regwatch::store::Store;

use super::args::{DeadlineFormat, DeadlinesArgs, DemoArgs, ListFormat};
use super::cmd_fetch::{InOrder, print_outcome, print_summary};
use super::cmd_store::print_log;
use super::error::Advised;
use super::ui::{Style, Ui};
use super::{cmd_run, exit_code, runtime};

pub fn demo(ui: &Ui, a: &DemoArgs) -> anyhow::Result<u8> {
    let dir = match &a.out {
        Some(d) => d.clone(),
        None => std::env::temp_dir().join(format!("regwatch-demo-{}", std::process::id())),
    };
    prepare_dir(&dir)?;
    let server = FixtureServer::start().context("cannot start the demo server on 127.0.0.1")?;
    let config_path = dir.join("feeds.yaml");
    let yaml = server.config_yaml();
    std::fs::write(&config_path, &yaml)
        .with_context(|| format!("cannot write {}", config_path.display()))?;
    let mut config = Config::from_yaml(&yaml, &config_path)?;
    config.store = dir.join("snapshots");
    let store = Store::create_or_open(&config.store)?;

    ui.out(&ui.paint(
        Style::Bold,
        "regwatch demo: BIS export-control sources, two fetches two weeks apart",
    ));
    ui.out(&format!(
        "Sources are served from {} (bundled fixtures; see src/demo/fixtures/README.md).",
        server.base_url()
    ));
    let mut failed = false;
    let rt = runtime()?;
    let client = HttpClient::new(&config.http)?;
    let mut last_summary = None;
    for (day, what) in [
        (1, "first run: everything is new"),
        (
            2,
            "second run: a new notice, amended eCFR parts, a moved comment deadline",
        ),
    ] {
        server.set_day(day);
        let when = demo_day_time(day);
        ui.out("");
        ui.out(&ui.paint(
            Style::Bold,
            &format!(
                "== Day {day}, {} — {what} (regwatch run)",
                when.format("%Y-%m-%d")
            ),
        ));
        let lock = store.lock(false, when)?;
        let mut sink = std::io::sink();
        let mut order = InOrder::new(&config.feeds);
        let report = rt.block_on(job::run(
            &config,
            &store,
            &lock,
            &client,
            when,
            &RunOptions::default(),
            &mut sink,
            |o| {
                for ready in order.push(o) {
                    print_outcome(ui, &ready, ListFormat::Text);
                }
            },
        ))?;
        drop(lock);
        print_summary(ui, &report.feeds, ListFormat::Text);
        failed |= report.has_failures();
        for p in &report.problems {
            ui.warn(&p.to_string());
        }
        for m in &report.composed {
            ui.out(&format!(
                "Composed for {}: {}",
                ui.paint(Style::Bold, &m.recipient),
                super::ui::clean(&m.subject)
            ));
            last_summary = Some(m.id.clone());
        }
        for d in report.deliveries.iter().filter(|d| d.error.is_some()) {
            ui.warn(&format!(
                "{} via {}: {}",
                d.id,
                d.channel,
                d.error.as_deref().unwrap_or("")
            ));
        }
    }
    if let Some(id) = &last_summary
        && let Some(entry) = outbox::load(&store, id)?
    {
        ui.out("");
        ui.out(&ui.paint(
            Style::Bold,
            "== The day-2 summary, as the compliance team receives it",
        ));
        ui.out(digest_render::text(&entry.digest).trim_end());
    }
    ui.out("");
    ui.out(&ui.paint(Style::Bold, "== Version history (newest first)"));
    print_log(ui, &store, None, Some(2), ListFormat::Text)?;
    let html_files = write_day_two_diffs(&store, &dir)?;
    let today = demo_day_time(2).date_naive();
    let found = deadlines::collect(&store, today)?;
    let upcoming = deadlines::upcoming(&found.deadlines, None, false);
    ui.out("");
    ui.out(&ui.paint(
        Style::Bold,
        &format!("== Upcoming deadlines on {today} (regwatch deadlines)"),
    ));
    let args = DeadlinesArgs {
        feed: None,
        within: None,
        all: false,
        format: DeadlineFormat::Table,
        output: None,
    };
    ui.out(cmd_run::table(ui, &upcoming, &args).trim_end());
    let s = config.store.display();
    ui.out("");
    // The demo's dates are in 2024: commands that count days from "now"
    // (deadlines, run) get the demo's day 2 as their clock.
    let now = demo_day_time(2).format("%Y-%m-%dT%H:%M:%SZ");
    ui.out(&format!(
        "The demo store is in {s}. Try (`regwatch` is {}; `cargo install --path . --locked` puts it on PATH):",
        std::env::current_exe()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "the binary you just ran".into())
    ));
    ui.out(&format!("  regwatch --store {s} log bis-rules"));
    ui.out(&format!(
        "  regwatch --store {s} show bis-rules/2024-19633@-1 --part metadata"
    ));
    ui.out(&format!(
        "  regwatch --store {s} show ear/part-740@2024-10-15 | head -40"
    ));
    ui.out(&format!(
        "  regwatch --store {s} show bis-rules/2024-19633@latest --parsed"
    ));
    ui.out(&format!(
        "  regwatch --store {s} show ear/part-740@latest --parsed --format json"
    ));
    ui.out(&format!("  regwatch --store {s} changes"));
    ui.out(&format!("  regwatch --store {s} diff ear/part-774"));
    ui.out(&format!(
        "  regwatch --store {s} diff ear/part-740@1 ear/part-740@2 --format unified --word"
    ));
    ui.out(&format!(
        "  regwatch --store {s} diff bis-rules/2024-19633 --format json"
    ));
    ui.out(&format!("  regwatch --store {s} verify"));
    ui.out(&format!(
        "  REGWATCH_NOW={now} regwatch --store {s} deadlines --format ics"
    ));
    ui.out(&format!(
        "  REGWATCH_NOW={now} regwatch --store {s} --config {} run --dry-run --no-fetch --since 2024-10-15",
        config_path.display()
    ));
    ui.out(&format!("  regwatch --store {s} outbox --all"));
    let mail = dir.join("mail");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&mail)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    if let Some(id) = &last_summary {
        files.retain(|f| {
            f.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.contains(id.as_str()) || n == "deadlines.ics"
            })
        });
    }
    if !files.is_empty() {
        ui.out("");
        ui.out("The day-2 email and calendar (file channel, in feeds.yaml `notify:`):");
        for f in &files {
            ui.out(&format!("  {}", f.display()));
        }
    }
    if !html_files.is_empty() {
        ui.out("");
        ui.out("HTML diffs to open in a browser:");
        for f in &html_files {
            ui.out(&format!("  {}", f.display()));
        }
    }
    Ok(if failed {
        exit_code::PARTIAL
    } else {
        exit_code::OK
    })
}

/// Writes each item changed on day 2 as an HTML diff page under
/// `dir/diffs/`. Returns the pages written.
fn write_day_two_diffs(store: &Store, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let since = demo_day_time(2).date_naive();
    let history = changes(store, None, Some(since))?;
    let diffs = dir.join("diffs");
    std::fs::create_dir_all(&diffs)
        .with_context(|| format!("cannot create {}", diffs.display()))?;
    let mut written = Vec::new();
    for e in history.entries.iter().filter(|e| e.substantive) {
        let Some(before) = &e.before else { continue };
        let old = store.version(before)?;
        let new = store.version(&e.after)?;
        let diff = diff_versions(store, &old, &new)?;
        let sides = Sides {
            before: Side::for_version(&old),
            after: Side::for_version(&new),
        };
        let file = diffs.join(format!("{}--{}.html", new.feed, new.item));
        std::fs::write(&file, diff_html::render(&diff, &sides))
            .with_context(|| format!("cannot write {}", file.display()))?;
        written.push(file);
    }
    Ok(written)
}

/// The file the demo writes into its folder first: only a folder holding
/// it is ever reused (and partly replaced) by a later demo.
const MARKER: &str = ".regwatch-demo";

/// What the demo writes into its folder, and so what a rerun replaces.
/// Nothing else in the folder is touched.
const DEMO_ENTRIES: [&str; 4] = ["snapshots", "mail", "diffs", "feeds.yaml"];

/// Makes `dir` ready: new, empty, or a folder an earlier demo marked as its
/// own (its demo files are replaced). Anything else is refused untouched:
/// a folder with `feeds.yaml` and `snapshots/` is what a real installation
/// looks like.
fn prepare_dir(dir: &Path) -> anyhow::Result<()> {
    let marker = dir.join(MARKER);
    match std::fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        Err(e) => {
            return Err(e)
                .with_context(|| format!("cannot use {} as the demo folder", dir.display()));
        }
        Ok(mut entries) if !marker.is_file() => {
            if entries.next().is_some() {
                let looks_real = dir.join("feeds.yaml").exists() || dir.join("snapshots").exists();
                return Err(Advised {
                    message: format!(
                        "{} is not empty and was not made by `regwatch demo` (it has no {MARKER} \
                         file); nothing was changed{}",
                        dir.display(),
                        if looks_real {
                            ": it holds feeds.yaml or snapshots/, like a real installation, \
                             and the demo would replace them"
                        } else {
                            ""
                        }
                    ),
                    hint: "pass --out with a new or empty folder, or leave out --out to use a \
                           temporary folder"
                        .into(),
                }
                .into());
            }
        }
        Ok(_) => {
            for name in DEMO_ENTRIES {
                let p = dir.join(name);
                let Ok(meta) = std::fs::symlink_metadata(&p) else {
                    continue;
                };
                let removed = if meta.is_dir() {
                    std::fs::remove_dir_all(&p)
                } else {
                    std::fs::remove_file(&p)
                };
                removed
                    .with_context(|| format!("cannot clear the previous demo's {}", p.display()))?;
            }
        }
    }
    std::fs::write(
        &marker,
        "This folder was made by `regwatch demo`. A later `regwatch demo --out` into it\n\
         replaces its snapshots/, mail/, diffs/ and feeds.yaml, and nothing else.\n",
    )
    .with_context(|| format!("cannot write {}", marker.display()))?;
    Ok(())
}
