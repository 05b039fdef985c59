//! `regwatch run` (the cron job), `regwatch deadlines` and `regwatch outbox`.

use std::io::Write;

use anyhow::{Context, bail};
use regwatch::config::Config;
use regwatch::deadlines::{self, Deadline, days_phrase};
use regwatch::diff::words::shorten;
use regwatch::fetch::HttpClient;
use regwatch::job::{self, RunOptions, RunReport};
use regwatch::notify::Deliverer;
use regwatch::notify::outbox::{self, DeliveryStatus};
use regwatch::store::Store;

use super::args::{DeadlineFormat, DeadlinesArgs, GlobalArgs, ListFormat, OutboxArgs, RunArgs};
use super::cmd_fetch::{InOrder, all_failed, failure_hint, named};
use super::ui::{Style, Ui, clean, sanitize};
use super::{exit_code, plural, runtime, settings};
use regwatch::report::record::{Record, RecordType};

/// A writer that is `Send` (the run's stdout channel and `--dry-run`
/// previews) and goes through the process's stdout lock. Summaries quote
/// titles from servers, so control characters are escaped as in every
/// report ([`sanitize`]; line breaks and tabs kept, JSON stays JSON).
#[derive(Default)]
struct Stdout {
    /// The start of a UTF-8 character split across writes.
    pending: Vec<u8>,
}

impl Stdout {
    fn emit(&mut self, upto: usize) -> std::io::Result<()> {
        let text = String::from_utf8_lossy(&self.pending[..upto]).into_owned();
        self.pending.drain(..upto);
        std::io::stdout()
            .lock()
            .write_all(sanitize(&text, true, false).as_bytes())
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let upto = match std::str::from_utf8(&self.pending) {
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            _ => self.pending.len(),
        };
        self.emit(upto)?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.emit(self.pending.len())?;
        std::io::stdout().lock().flush()
    }
}

pub fn run(ui: &Ui, g: &GlobalArgs, a: &RunArgs) -> anyhow::Result<u8> {
    // Configuration problems are exit 3 for `run` (cron wrappers tell
    // "fix the setup" from "a server was down").
    // (exit_code::for_error does the mapping.)
    let config = settings::load_config(g)?;
    if config.notify.is_empty() {
        ui.warn(&format!(
            "{} has no `notify:` section: changes are stored but nobody is told (see the README)",
            config.path.display()
        ));
    }
    let store = Store::create_or_open(&settings::store_dir(g, Some(&config))?)?;
    let now = settings::now()?;
    let lock = store.lock(a.wait, now)?;
    let client = HttpClient::new(&config.http)?;
    let opts = RunOptions {
        dry_run: a.dry_run,
        since: a.since,
        no_fetch: a.no_fetch,
    };
    let rt = runtime()?;
    let progress = ui.fetch_progress(if a.no_fetch { 0 } else { config.feeds.len() });
    let client = progress.attach(client);
    let mut order = InOrder::new(&config.feeds);
    let mut out = Stdout::default();
    let report = rt.block_on(job::run(
        &config,
        &store,
        &lock,
        &client,
        now,
        &opts,
        &mut out,
        |o| {
            progress.feed_done(&o.feed);
            // Failures on stderr, quiet or not (cron mails stderr), in
            // config order, one line each.
            for ready in order.push(o) {
                progress.suspend(|| {
                    for e in &ready.errors {
                        ui.problem(&named(&ready, e));
                    }
                    for w in ready.notes() {
                        ui.warn(&w);
                    }
                });
            }
        },
    ))?;
    progress.finish();
    if a.format == ListFormat::Text {
        failure_hint(ui, &report.feeds);
    }
    print_report(ui, &report, a);
    Ok(if all_failed(&report.feeds) {
        exit_code::ALL_FAILED
    } else if report.has_failures() {
        exit_code::RUN_FAILED
    } else if report.has_news() {
        exit_code::NEWS
    } else {
        exit_code::OK
    })
}

fn print_report(ui: &Ui, r: &RunReport, a: &RunArgs) {
    if a.format == ListFormat::Json {
        ui.record(RecordType::Run, r);
        return;
    }
    for i in &r.interrupted {
        ui.problem(&format!(
            "delivery {i} was interrupted by a killed run and is now unconfirmed; \
             `regwatch outbox --resend ID` sends it again"
        ));
    }
    for p in &r.problems {
        // A damaged history fails the run: said even with --quiet.
        if p.is_failure() {
            ui.problem(&p.to_string());
        } else {
            ui.warn(&p.to_string());
        }
    }
    if ui.verbosity() < 0 {
        for d in r
            .deliveries
            .iter()
            .filter(|d| d.status != DeliveryStatus::Sent)
        {
            ui.problem(&format!(
                "{} → {} ({}): {}",
                d.id,
                d.recipient,
                d.channel,
                d.error.as_deref().unwrap_or("not sent")
            ));
        }
        return;
    }
    let new_versions: usize = r
        .feeds
        .iter()
        .flat_map(|f| &f.items)
        .filter(|i| i.status != regwatch::store::ItemStatus::Unchanged)
        .count();
    let failed = r.feeds.iter().filter(|f| f.has_errors()).count();
    ui.note(&format!(
        "{} fetched, {}{}",
        plural(r.feeds.len(), "feed", "feeds"),
        plural(new_versions, "new version", "new versions"),
        if failed > 0 {
            format!(", {failed} with errors")
        } else {
            String::new()
        }
    ));
    if r.composed.is_empty() {
        ui.note("nothing new to send");
    }
    for m in &r.composed {
        let verb = if a.dry_run {
            "would send"
        } else if m.existing {
            "resuming"
        } else {
            "composed"
        };
        ui.note(&format!(
            "{verb} {} {} for {}: {}",
            m.kind.as_str(),
            m.id,
            m.recipient,
            m.subject
        ));
    }
    for d in &r.deliveries {
        let (label, style) = match d.status {
            DeliveryStatus::Sent => ("sent", Style::New),
            _ => ("FAILED", Style::Error),
        };
        let mut line = format!(
            "{} {} → {} via {}",
            ui.paint(style, label),
            d.id,
            d.recipient,
            d.channel
        );
        if let Some(e) = &d.error {
            line.push_str(&format!(": {e} (kept in the outbox; retried next run)"));
        }
        if !d.paths.is_empty() {
            let names: Vec<String> = d.paths.iter().map(|p| p.display().to_string()).collect();
            line.push_str(&format!(" ({})", names.join(", ")));
        }
        ui.note(&line);
    }
}

pub fn deadlines(ui: &Ui, g: &GlobalArgs, a: &DeadlinesArgs) -> anyhow::Result<u8> {
    let store = Store::open(&settings::store_dir(g, None)?)?;
    if let Some(f) = &a.feed
        && !store.feed_ids()?.contains(f)
    {
        bail!(
            "no feed `{f}` in the store (feeds: {})",
            store.feed_ids()?.join(", ")
        );
    }
    let today = settings::now()?.date_naive();
    let found = deadlines::collect(&store, today)?;
    for p in &found.problems {
        ui.warn(&p.to_string());
    }
    let list: Vec<Deadline> = deadlines::upcoming(&found.deadlines, a.within, a.all)
        .into_iter()
        .filter(|d| a.feed.as_ref().is_none_or(|f| *f == d.feed))
        .collect();
    let text = match a.format {
        DeadlineFormat::Ics => deadlines::ics::render(&list, "regwatch deadlines"),
        DeadlineFormat::Json => list
            .iter()
            .map(|d| Record::new(RecordType::Deadline, d).to_line() + "\n")
            .collect(),
        DeadlineFormat::Table => table(ui, &list, a),
    };
    match &a.output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        // iCalendar is data for calendar programs, written as it is; the
        // table and JSON Lines are escaped like every report.
        None if a.format == DeadlineFormat::Ics => ui.out_data(text.as_bytes()),
        None => {
            if !text.is_empty() {
                ui.out(text.trim_end_matches('\n'));
            }
        }
    }
    Ok(exit_code::OK)
}

/// The deadlines table (also printed by the demo).
pub fn table(ui: &Ui, list: &[Deadline], a: &DeadlinesArgs) -> String {
    if list.is_empty() {
        let scope = match a.within {
            Some(w) => format!(" within {w} days"),
            None => String::new(),
        };
        return format!(
            "No {}deadlines{scope}.{}\n",
            if a.all { "" } else { "upcoming " },
            if a.all {
                ""
            } else {
                " (--all shows past ones)"
            }
        );
    }
    let mut out = String::new();
    out.push_str(&format!(
        "{:<10}  {:<12}  {:<16}  {}\n",
        "DATE", "WHEN", "DEADLINE", "DOCUMENT"
    ));
    for d in list {
        let when = days_phrase(d.days_left);
        let style = match d.days_left {
            n if n < 0 => Style::Dim,
            n if n <= 7 => Style::Error,
            n if n <= 30 => Style::Changed,
            _ => Style::Bold,
        };
        let mut doc = shorten(&clean(d.subject()), 70);
        if let Some(n) = &d.document {
            doc.push_str(&format!(" (FR Doc. {})", clean(n)));
        }
        out.push_str(&format!(
            "{:<10}  {}  {:<16}  {doc}\n",
            d.date,
            ui.paint(style, &format!("{when:<12}")),
            d.label()
        ));
        if let Some(c) = &d.condition {
            out.push_str(&format!("{:<44}{}\n", "", clean(c)));
        }
        if let Some(m) = d.moved_note() {
            out.push_str(&format!("{:<44}{}\n", "", clean(&m)));
        }
        if ui.verbosity() >= 0 {
            out.push_str(&format!(
                "{:<44}{}\n",
                "",
                ui.paint(
                    Style::Dim,
                    &deadlines::evidence_words(&shorten(&d.evidence, 110), d.moved_from)
                )
            ));
        }
    }
    out
}

/// The `data` of an `outbox_entry` record (docs/JSON.md): a digest of the
/// stored entry.
#[derive(serde::Serialize)]
struct OutboxEntryData<'a> {
    id: &'a str,
    recipient: &'a str,
    kind: outbox::MessageKind,
    created_at: chrono::DateTime<chrono::Utc>,
    subject: &'a str,
    covers: usize,
    reminders: usize,
    deliveries: &'a [outbox::Delivery],
}

pub fn outbox(ui: &Ui, g: &GlobalArgs, a: &OutboxArgs) -> anyhow::Result<u8> {
    let store_dir = settings::store_dir(g, None)?;
    let store = Store::open(&store_dir)?;
    if let Some(prefix) = &a.resend {
        return resend(ui, g, &store, prefix);
    }
    let entries = outbox::load_all(&store)?;
    let shown: Vec<_> = entries.iter().filter(|e| a.all || !e.is_done()).collect();
    if a.format == ListFormat::Json {
        for e in &shown {
            ui.record(
                RecordType::OutboxEntry,
                OutboxEntryData {
                    id: &e.id,
                    recipient: &e.recipient,
                    kind: e.kind,
                    created_at: e.created_at,
                    subject: &e.subject,
                    covers: e.covers.len(),
                    reminders: e.reminders.len(),
                    deliveries: &e.deliveries,
                },
            );
        }
        return Ok(exit_code::OK);
    }
    if shown.is_empty() {
        ui.note(&format!(
            "outbox: {}, all delivered{}",
            plural(entries.len(), "message", "messages"),
            if entries.is_empty() {
                ""
            } else {
                " (--all lists them)"
            }
        ));
        return Ok(exit_code::OK);
    }
    for e in shown {
        ui.out(&format!(
            "{}  {}  {:<9} {:<18} {}",
            ui.paint(Style::Bold, &e.id),
            e.created_at.format("%Y-%m-%d %H:%M"),
            e.kind.as_str(),
            clean(&e.recipient),
            clean(&e.subject)
        ));
        for d in &e.deliveries {
            let style = match d.status {
                DeliveryStatus::Sent => Style::New,
                DeliveryStatus::Pending => Style::Bold,
                _ => Style::Error,
            };
            let mut line = format!(
                "    {:<8} {}",
                d.channel,
                ui.paint(style, &format!("{:<11}", d.status.as_str()))
            );
            if d.attempts > 0 {
                let plural = if d.attempts == 1 { "" } else { "s" };
                line.push_str(&format!(" {} attempt{plural}", d.attempts));
            }
            if let Some(t) = d.sent_at {
                line.push_str(&format!(", sent {}", t.format("%Y-%m-%d %H:%M")));
            }
            if let Some(err) = &d.last_error
                && d.status != DeliveryStatus::Sent
            {
                line.push_str(&format!(": {}", clean(err)));
            }
            ui.out(&line);
        }
    }
    Ok(exit_code::OK)
}

fn resend(ui: &Ui, g: &GlobalArgs, store: &Store, prefix: &str) -> anyhow::Result<u8> {
    let config: Config = settings::load_config(g)?;
    let now = settings::now()?;
    let lock = store.lock(false, now)?;
    let matches: Vec<_> = outbox::load_all(store)?
        .into_iter()
        .filter(|e| e.id.starts_with(prefix))
        .collect();
    let mut entry = match matches.len() {
        0 => bail!("no outbox message with id `{prefix}` (see `regwatch outbox --all`)"),
        1 => matches
            .into_iter()
            .next()
            .context("outbox entry vanished")?,
        n => bail!("`{prefix}` matches {n} outbox messages; give more of the id"),
    };
    let mut reset = 0;
    for d in &mut entry.deliveries {
        if matches!(
            d.status,
            DeliveryStatus::Unconfirmed | DeliveryStatus::Failed
        ) {
            d.status = DeliveryStatus::Pending;
            reset += 1;
        }
    }
    if reset == 0 {
        ui.note(&format!(
            "{}: nothing to resend (no failed or unconfirmed delivery)",
            entry.id
        ));
        return Ok(exit_code::OK);
    }
    outbox::save(store, &lock, &entry)?;
    let found = deadlines::collect(store, now.date_naive())?;
    let calendars = job::calendars(&config, &found.deadlines);
    let deliverer = Deliverer {
        store,
        lock: &lock,
        recipients: &config.notify,
        calendars: &calendars,
        user_agent: &config.http.user_agent,
        now,
    };
    let mut out = Stdout::default();
    let outcomes = runtime()?.block_on(deliverer.deliver_due(&mut out))?;
    let mut failed = false;
    for d in &outcomes {
        match &d.error {
            None => ui.note(&format!(
                "sent {} → {} via {}",
                d.id, d.recipient, d.channel
            )),
            Some(e) => {
                failed = true;
                ui.warn(&format!(
                    "{} → {} via {}: {e}",
                    d.id, d.recipient, d.channel
                ));
            }
        }
    }
    Ok(if failed {
        exit_code::RUN_FAILED
    } else {
        exit_code::OK
    })
}
