//! `regwatch fetch` and `regwatch check`.

use anyhow::bail;
use chrono::{DateTime, Utc};
use regwatch::config::{Channel, Config, FeedSpec, Source};
use regwatch::fetch::HttpClient;
use regwatch::pipeline::{FeedOutcome, FeedProblem, FeedStatus, fetch_and_store};
use regwatch::report::record::{FetchSummary, RecordType};
use regwatch::store::{ItemStatus, Store};

use super::args::{FetchArgs, FormatArg, GlobalArgs, ListFormat};
use super::ui::{Style, Ui, clean};
use super::{exit_code, human_bytes, plural, runtime, settings};

pub fn fetch(ui: &Ui, g: &GlobalArgs, a: &FetchArgs) -> anyhow::Result<u8> {
    let config = settings::load_config(g)?;
    let feeds = select_feeds(&config, &a.feeds)?;
    let store_dir = settings::store_dir(g, Some(&config))?;
    let store = Store::create_or_open(&store_dir)?;
    let now = settings::now()?;
    let outcomes = fetch_into(ui, &config, &store, &feeds, now, a.wait, a.format)?;
    print_summary(ui, &outcomes, a.format);
    Ok(if all_failed(&outcomes) {
        exit_code::ALL_FAILED
    } else if outcomes.iter().any(FeedOutcome::has_errors) {
        exit_code::PARTIAL
    } else {
        exit_code::OK
    })
}

/// True when there were feeds and every one of them failed.
pub(super) fn all_failed(outcomes: &[FeedOutcome]) -> bool {
    !outcomes.is_empty() && outcomes.iter().all(|o| o.status == FeedStatus::Failed)
}

/// Says once, after the feeds' own lines, what several failures have in
/// common: no server could be reached (are you offline?).
pub(super) fn failure_hint(ui: &Ui, outcomes: &[FeedOutcome]) {
    let failed: Vec<&FeedOutcome> = outcomes
        .iter()
        .filter(|o| o.status == FeedStatus::Failed)
        .collect();
    let unreachable = failed.iter().filter(|o| o.unreachable).count();
    if unreachable == 0 {
        return;
    }
    let msg = if all_failed(outcomes) && unreachable == failed.len() {
        format!(
            "every feed failed: no server could be reached. Are you offline (or behind a proxy)? \
             Exit status {}.",
            exit_code::ALL_FAILED
        )
    } else if all_failed(outcomes) {
        "every feed failed".to_string()
    } else {
        format!(
            "{} could not reach {} server; the others were fetched",
            plural(unreachable, "feed", "feeds"),
            if unreachable == 1 { "its" } else { "their" }
        )
    };
    ui.problem(&msg);
}

/// A feed's error message naming the feed (most already do).
pub(super) fn named(o: &FeedOutcome, e: &FeedProblem) -> String {
    match e.fetch_error() {
        // A fetch error names its feed (and, ad hoc, has none to name).
        Some(f) if f.feed == o.feed => e.to_string(),
        _ => format!("feed `{}`: {e}", o.feed),
    }
}

/// Holds back outcomes that finish early so they print in config order.
pub(super) struct InOrder {
    ids: Vec<String>,
    slots: Vec<Option<FeedOutcome>>,
    next: usize,
}

impl InOrder {
    pub(super) fn new(feeds: &[FeedSpec]) -> Self {
        InOrder {
            ids: feeds.iter().map(|f| f.id.clone()).collect(),
            slots: vec![None; feeds.len()],
            next: 0,
        }
    }

    /// Takes one finished outcome; returns those now ready to print, in
    /// config order (an outcome for no listed feed is ready at once).
    pub(super) fn push(&mut self, o: &FeedOutcome) -> Vec<FeedOutcome> {
        let at = (0..self.ids.len()).find(|&i| self.ids[i] == o.feed && self.slots[i].is_none());
        let Some(at) = at else {
            return vec![o.clone()];
        };
        self.slots[at] = Some(o.clone());
        let mut ready = Vec::new();
        while let Some(Some(o)) = self.slots.get_mut(self.next).map(Option::take) {
            ready.push(o);
            self.next += 1;
        }
        ready
    }
}

/// Returns the feeds named on the command line (all when none), in config order.
fn select_feeds(config: &Config, names: &[String]) -> anyhow::Result<Vec<FeedSpec>> {
    for n in names {
        if config.feed(n).is_none() {
            let known: Vec<&str> = config.feeds.iter().map(|f| f.id.as_str()).collect();
            bail!(
                "no feed `{n}` in {} (feeds: {})",
                config.path.display(),
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            );
        }
    }
    Ok(config
        .feeds
        .iter()
        .filter(|f| names.is_empty() || names.contains(&f.id))
        .cloned()
        .collect())
}

/// Fetches `feeds` into `store` under the lock, printing each outcome as it
/// arrives; shared by `fetch` and `demo`.
pub fn fetch_into(
    ui: &Ui,
    config: &Config,
    store: &Store,
    feeds: &[FeedSpec],
    now: DateTime<Utc>,
    wait: bool,
    format: ListFormat,
) -> anyhow::Result<Vec<FeedOutcome>> {
    let lock = store.lock(wait, now)?;
    let progress = ui.fetch_progress(feeds.len());
    let client = progress.attach(HttpClient::new(&config.http)?);
    let rt = runtime()?;
    let mut order = InOrder::new(feeds);
    let outcomes = rt.block_on(fetch_and_store(feeds, store, &lock, &client, now, |o| {
        progress.feed_done(&o.feed);
        for ready in order.push(o) {
            progress.suspend(|| print_outcome(ui, &ready, format));
        }
    }));
    progress.finish();
    if format == ListFormat::Text {
        failure_hint(ui, &outcomes);
    }
    Ok(outcomes)
}

pub(super) fn print_outcome(ui: &Ui, o: &FeedOutcome, format: ListFormat) {
    if format == ListFormat::Json {
        ui.record(RecordType::Feed, o);
        return;
    }
    if ui.verbosity() < 0 {
        // Quiet: nothing on success; each failure on stderr, one line each.
        for e in &o.errors {
            ui.problem(&named(o, e));
        }
        return;
    }
    let count = |s: ItemStatus| o.items.iter().filter(|i| i.status == s).count();
    let (label, style) = match o.status {
        FeedStatus::New => ("new", Style::New),
        FeedStatus::Changed => ("changed", Style::Changed),
        FeedStatus::Unchanged => ("unchanged", Style::Dim),
        FeedStatus::Failed => ("FAILED", Style::Error),
    };
    let detail = if o.status == FeedStatus::Failed {
        String::new()
    } else {
        format!(
            "{} new, {} changed, {} unchanged{}",
            count(ItemStatus::New),
            count(ItemStatus::Changed),
            count(ItemStatus::Unchanged),
            if o.bytes_added > 0 {
                format!(", {} added", human_bytes(o.bytes_added))
            } else {
                String::new()
            }
        )
    };
    ui.out(&format!(
        "{:<24} {} {detail}",
        ui.paint(Style::Bold, &o.feed),
        ui.paint(style, &format!("{label:<10}"))
    ));
    for item in &o.items {
        let (mark, style) = match item.status {
            ItemStatus::New => ("+", Style::New),
            ItemStatus::Changed => ("~", Style::Changed),
            ItemStatus::Unchanged if ui.verbosity() > 0 => ("=", Style::Dim),
            ItemStatus::Unchanged => continue,
        };
        let title = item
            .title
            .as_deref()
            .map(|t| truncate(&clean(t), 70))
            .unwrap_or_default();
        ui.out(&format!(
            "  {} {}/{}@{}  {title}",
            ui.paint(style, mark),
            o.feed,
            item.item,
            item.seq
        ));
    }
    for e in &o.errors {
        ui.out(&format!(
            "  {} {}",
            ui.paint(Style::Error, "!"),
            clean(&e.to_string())
        ));
    }
    for w in o.notes() {
        ui.out(&format!("  {} {w}", ui.paint(Style::Warn, "?")));
    }
}

/// Prints the closing line (text) or summary record (json).
pub fn print_summary(ui: &Ui, outcomes: &[FeedOutcome], format: ListFormat) {
    let n = |s: FeedStatus| outcomes.iter().filter(|o| o.status == s).count();
    let bytes: u64 = outcomes.iter().map(|o| o.bytes_added).sum();
    let failed = n(FeedStatus::Failed);
    let partial = outcomes
        .iter()
        .filter(|o| o.status != FeedStatus::Failed && o.has_errors())
        .count();
    if format == ListFormat::Json {
        ui.record(
            RecordType::FetchSummary,
            FetchSummary {
                feeds: outcomes.len(),
                new: n(FeedStatus::New),
                changed: n(FeedStatus::Changed),
                unchanged: n(FeedStatus::Unchanged),
                failed,
                with_item_errors: partial,
                bytes_added: bytes,
            },
        );
        return;
    }
    let line = format!(
        "{}: {} new, {} changed, {} unchanged, {} failed{}; {} added to the store",
        plural(outcomes.len(), "feed", "feeds"),
        n(FeedStatus::New),
        n(FeedStatus::Changed),
        n(FeedStatus::Unchanged),
        failed,
        if partial > 0 {
            format!(" ({partial} more with failed items)")
        } else {
            String::new()
        },
        human_bytes(bytes)
    );
    if ui.verbosity() < 0 {
        // Quiet: the failures were said on stderr as they came.
    } else if failed + partial > 0 {
        ui.out(&ui.paint(Style::Warn, &line));
    } else {
        ui.out(&line);
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// The `data` of a `config` record (docs/JSON.md).
#[derive(serde::Serialize)]
struct ConfigData<'a> {
    path: &'a std::path::Path,
    store: &'a std::path::Path,
    feeds: &'a [FeedSpec],
    warnings: &'a [String],
}

pub fn check(ui: &Ui, g: &GlobalArgs, a: &FormatArg) -> anyhow::Result<u8> {
    let config = settings::load_config(g)?;
    let warnings = check_warnings(&config, |var| std::env::var_os(var).is_some());
    if a.format == ListFormat::Json {
        ui.record(
            RecordType::Config,
            ConfigData {
                path: &config.path,
                store: &config.store,
                feeds: &config.feeds,
                warnings: &warnings,
            },
        );
        return Ok(exit_code::OK);
    }
    for w in &warnings {
        ui.warn(w);
    }
    ui.out(&format!(
        "{}: ok, {}, {}, store {}",
        config.path.display(),
        plural(config.feeds.len(), "feed", "feeds"),
        plural(config.notify.len(), "recipient", "recipients"),
        settings::store_dir(g, Some(&config))?.display()
    ));
    for f in &config.feeds {
        let what = match &f.source {
            Source::FederalRegister(fr) => format!(
                "{} agencies={} types={}",
                fr.base_url,
                fr.agencies.join(","),
                fr.types.join(",")
            ),
            Source::Ecfr(e) => format!(
                "{} title {} parts {}",
                e.base_url,
                e.title,
                e.parts.join(",")
            ),
            Source::Rss(r) => r.url.to_string(),
            Source::Html(h) => format!(
                "{}{}",
                h.url,
                h.selector
                    .as_deref()
                    .map(|s| format!(" [{s}]"))
                    .unwrap_or_default()
            ),
            Source::File(p) => p.path.display().to_string(),
        };
        let what = clean(&what);
        ui.out(&format!(
            "  {:<24} {:<16} {what}",
            f.id,
            f.source.kind_name()
        ));
    }
    for r in &config.notify {
        let channels: Vec<String> = r.channels.iter().map(channel_summary).collect();
        ui.out(&clean(&format!(
            "  notify {:<17} {}{}",
            r.id,
            channels.join("; "),
            if r.feeds.is_empty() {
                String::new()
            } else {
                format!(" (feeds: {})", r.feeds.join(", "))
            }
        )));
    }
    Ok(exit_code::OK)
}

/// One channel for `check`: its kind and where it goes.
fn channel_summary(c: &Channel) -> String {
    match c {
        Channel::Email(e) => {
            let mut to = e.to.join(", ");
            if !e.cc.is_empty() {
                to.push_str(&format!(" cc {}", e.cc.join(", ")));
            }
            format!("email to {to} via {}:{}", e.smtp.host, e.smtp.port)
        }
        Channel::Stdout(_) => "stdout".into(),
        Channel::File(f) => format!("file in {}", f.dir.display()),
        Channel::Webhook(w) => format!("webhook {}", short_url(w.url.as_str())),
    }
}

/// What `check` warns about: no feeds, a Federal Register feed that matches
/// everything, credential variables (`username_env`, `password_env`,
/// `value_env`) that are not set in this environment (`is_set`).
fn check_warnings(config: &Config, is_set: impl Fn(&str) -> bool) -> Vec<String> {
    let mut warnings = Vec::new();
    if config.feeds.is_empty() {
        warnings.push(format!(
            "{} has no feeds: `fetch` and `run` have nothing to do (add entries under `feeds:`)",
            config.path.display()
        ));
    }
    let mut unset_header = |whose: String, headers: &[regwatch::config::HeaderSpec]| {
        for h in headers {
            if let regwatch::config::HeaderValue::Env(var) = &h.value
                && !is_set(var)
            {
                warnings.push(format!(
                    "{whose}: header `{}` reads ${var}, which is not set",
                    h.name
                ));
            }
        }
    };
    for f in &config.feeds {
        unset_header(format!("feed `{}`", f.id), &f.headers);
    }
    for r in &config.notify {
        for c in &r.channels {
            if let Channel::Webhook(w) = c {
                unset_header(format!("recipient `{}` webhook", r.id), &w.headers);
            }
        }
    }
    for f in &config.feeds {
        if let Source::FederalRegister(fr) = &f.source
            && fr.agencies.is_empty()
            && fr.terms.is_empty()
        {
            warnings.push(format!(
                "feed `{}`: no agencies or terms, so every Federal Register document matches",
                f.id
            ));
        }
    }
    for r in &config.notify {
        for c in &r.channels {
            if let Channel::Email(e) = c {
                let vars = [
                    ("username_env", &e.smtp.username_env),
                    ("password_env", &e.smtp.password_env),
                ];
                for (key, var) in vars {
                    if let Some(var) = var
                        && !is_set(var)
                    {
                        warnings.push(format!(
                            "recipient `{}` email: smtp `{key}` names ${var}, which is not set \
                             (sending will fail to log in)",
                            r.id
                        ));
                    }
                }
            }
        }
    }
    warnings
}

/// A URL cut to its scheme, host and path (no query), at most 80
/// characters: enough to tell which source failed.
pub(super) fn short_url(url: &str) -> String {
    let base = url.split(['?', '#']).next().unwrap_or(url);
    let mut s = if base.len() < url.len() {
        format!("{base}?…")
    } else {
        base.to_string()
    };
    if s.chars().count() > 80 {
        s = truncate(&s, 80);
    }
    s
}
