//! `regwatch demo`: the whole pipeline, offline, over two simulated days.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use regwatch::config::Config;
use regwatch::demo::{FixtureServer, demo_day_time};
use regwatch::diff::history::changes;
use regwatch::diff::stored::diff_versions;
use regwatch::report::diff_html;
use regwatch::report::diff_text::{self, Side, Sides, TextOptions};
use regwatch::store::{Store, VersionRef};

use super::args::{DemoArgs, ListFormat};
use super::cmd_fetch::{fetch_into, print_summary};
use super::cmd_store::print_log;
use super::exit_code;
use super::ui::{Style, Ui};

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
    for (day, what) in [
        (1, "first fetch: everything is new"),
        (
            2,
            "second fetch: a new notice, amended eCFR parts, a moved comment deadline",
        ),
    ] {
        server.set_day(day);
        let when = demo_day_time(day);
        ui.out("");
        ui.out(&ui.paint(
            Style::Bold,
            &format!("== Day {day}, {} — {what}", when.format("%Y-%m-%d")),
        ));
        let outcomes = fetch_into(
            ui,
            &config,
            &store,
            &config.feeds,
            when,
            false,
            ListFormat::Text,
        )?;
        print_summary(ui, &outcomes, ListFormat::Text);
        failed |= outcomes.iter().any(|o| o.has_errors());
    }
    ui.out("");
    ui.out(&ui.paint(Style::Bold, "== Version history (newest first)"));
    print_log(ui, &store, None, Some(2), ListFormat::Text)?;
    let html_files = print_day_two_changes(ui, &store, &dir)?;
    let s = config.store.display();
    ui.out("");
    ui.out(&format!("The demo store is in {s}. Try:"));
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

/// Prints what day 2 changed, as `regwatch changes` and `regwatch diff`
/// would, and writes each changed item's diff as an HTML page under
/// `dir/diffs/`. Returns the pages written.
fn print_day_two_changes(ui: &Ui, store: &Store, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let since = demo_day_time(2).date_naive();
    let history = changes(store, None, Some(since))?;
    for p in &history.problems {
        ui.warn(&format!("cannot compare {p}"));
    }
    ui.out("");
    ui.out(&ui.paint(
        Style::Bold,
        &format!("== What changed on day 2 (regwatch changes --since {since})"),
    ));
    for e in history.entries.iter().filter(|e| e.substantive) {
        let what = match &e.before {
            Some(b) => format!("{b} → {}", e.after),
            None => format!("{} (new)", e.after),
        };
        ui.out(&ui.paint(Style::Bold, &what));
        for f in &e.flags {
            ui.out(&format!("    {}", f.message));
        }
    }
    let diffs = dir.join("diffs");
    std::fs::create_dir_all(&diffs)
        .with_context(|| format!("cannot create {}", diffs.display()))?;
    let mut written = Vec::new();
    for e in history.entries.iter().filter(|e| e.substantive) {
        let Some(before) = &e.before else { continue };
        let old = store.resolve(&VersionRef::parse(before)?)?;
        let new = store.resolve(&VersionRef::parse(&e.after)?)?;
        let diff = diff_versions(store, &old, &new)?;
        let sides = Sides {
            before: Side::for_version(&old),
            after: Side::for_version(&new),
        };
        ui.out("");
        let text = diff_text::render(
            &diff,
            &sides,
            TextOptions {
                color: ui.color(),
                context: 16,
                ..TextOptions::default()
            },
        );
        ui.out(text.trim_end());
        let file = diffs.join(format!("{}--{}.html", new.feed, new.item));
        std::fs::write(&file, diff_html::render(&diff, &sides))
            .with_context(|| format!("cannot write {}", file.display()))?;
        written.push(file);
    }
    Ok(written)
}

/// Makes `dir` ready: new, empty, or a previous demo's output (replaced).
fn prepare_dir(dir: &PathBuf) -> anyhow::Result<()> {
    if dir.exists() {
        let is_demo =
            dir.join("feeds.yaml").exists() && dir.join("snapshots").join("STORE.json").exists();
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if is_demo {
            std::fs::remove_dir_all(dir.join("snapshots")).with_context(|| {
                format!("cannot clear the previous demo store in {}", dir.display())
            })?;
        } else if !empty {
            bail!(
                "{} exists and is not an earlier demo's output; pick another --out",
                dir.display()
            );
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(())
}
