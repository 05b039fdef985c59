//! The scheduled job (`regwatch run`): fetch → store → parse → diff → one
//! summary per recipient → outbox → deliver → reminders.
//!
//! Why the outbox is the ledger: what a recipient has been told is exactly
//! what the outbox entries for it cover (versions and reminder keys). A run
//! reports every version no entry covers yet, so a version stored by a run
//! that died before composing its summary is reported by the next one, and
//! a summary composed but not yet sent is sent, never composed twice (its id
//! is a hash of what it covers). Formatting-only changes alone send nothing;
//! they ride along, collapsed, with the next real summary.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::config::{Channel, Config, Recipient};
use crate::deadlines::{self, Deadline};
use crate::diff::history::{HistoryEntry, changes_where};
use crate::fetch::HttpClient;
use crate::model::Document;
use crate::notify::outbox::{self, Delivery, MessageKind, OutboxEntry};
use crate::notify::{Deliverer, DeliveryOutcome, NotifyError};
use crate::parse::stored::model_for;
use crate::pipeline::{FeedOutcome, fetch_and_store};
use crate::report::digest::{self, Digest, DigestInput, ReminderKind, ReminderNote};
use crate::report::digest_render;
use crate::store::{Store, StoreError, StoreLock, VersionRef};

/// How a run behaves.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Compose and print, but write no outbox entry and send nothing.
    pub dry_run: bool,
    /// Re-report every version dated on or after this day, told or not.
    pub since: Option<NaiveDate>,
    /// Skip fetching (report what the store already holds).
    pub no_fetch: bool,
}

/// What a run did.
#[derive(Debug, Default, Serialize)]
pub struct RunReport {
    /// One per feed fetched.
    pub feeds: Vec<FeedOutcome>,
    /// Messages composed by this run (or, in a dry run, that would be).
    pub composed: Vec<ComposedMessage>,
    /// Delivery attempts (this run's messages and older pending ones).
    pub deliveries: Vec<DeliveryOutcome>,
    /// Deliveries a killed run left mid-send, now `unconfirmed`.
    pub interrupted: Vec<String>,
    /// Versions that could not be compared or modelled.
    pub problems: Vec<String>,
    /// Calendars (`deadlines.ics`) rewritten.
    pub calendars: Vec<String>,
}

/// A message composed by the run.
#[derive(Debug, Clone, Serialize)]
pub struct ComposedMessage {
    /// Outbox id.
    pub id: String,
    /// Recipient id.
    pub recipient: String,
    /// Kind.
    pub kind: MessageKind,
    /// Subject line.
    pub subject: String,
    /// Versions covered.
    pub covers: usize,
    /// True when an earlier, interrupted run had composed it already.
    pub existing: bool,
}

impl RunReport {
    /// Whether any feed or delivery failed.
    pub fn has_failures(&self) -> bool {
        !self.interrupted.is_empty()
            || self.feeds.iter().any(FeedOutcome::has_errors)
            || self
                .deliveries
                .iter()
                .any(|d| d.status != outbox::DeliveryStatus::Sent)
    }

    /// Whether news was composed (exit 1).
    pub fn has_news(&self) -> bool {
        self.composed.iter().any(|m| m.kind != MessageKind::Silent)
    }
}

/// Why a run could not proceed at all (per-feed and per-delivery failures
/// are in the [`RunReport`] instead).
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The store or outbox could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing the dry-run preview failed.
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
}

/// What a recipient has been told, read from the outbox.
#[derive(Debug, Default)]
struct Ledger {
    covered: BTreeSet<String>,
    reminders: BTreeSet<String>,
    /// Last date announced per deadline uid, with when.
    announced: BTreeMap<String, (DateTime<Utc>, NaiveDate)>,
}

/// What `recipient` has been told, from its outbox entries.
fn ledger(entries: &[OutboxEntry], recipient: &str) -> Ledger {
    let mut l = Ledger::default();
    for e in entries.iter().filter(|e| e.recipient == recipient) {
        l.covered.extend(e.covers.iter().cloned());
        l.reminders.extend(e.reminders.iter().cloned());
        if e.kind == MessageKind::Silent {
            continue;
        }
        let told = e
            .digest
            .deadlines
            .iter()
            .chain(e.digest.reminders.iter().map(|r| &r.deadline));
        for d in told {
            let newer = l
                .announced
                .get(&d.uid)
                .is_none_or(|(at, _)| *at <= e.created_at);
            if newer {
                l.announced.insert(d.uid.clone(), (e.created_at, d.date));
            }
        }
    }
    l
}

/// Reminders and moved notices due for `r` now.
fn due_reminders(r: &Recipient, deadlines: &[Deadline], ledger: &Ledger) -> Vec<ReminderNote> {
    let mut out = Vec::new();
    for d in deadlines
        .iter()
        .filter(|d| r.wants_feed(&d.feed) && d.days_left >= 0)
    {
        if let Some((_, told)) = ledger.announced.get(&d.uid)
            && *told != d.date
        {
            let key = format!("{}|{}|moved", d.uid, d.date);
            if !ledger.reminders.contains(&key) {
                out.push(ReminderNote {
                    key,
                    kind: ReminderKind::Moved,
                    deadline: d.clone(),
                    offset: None,
                    previous: Some(*told),
                });
            }
        }
        // The nearest offset the deadline is inside of; one reminder per
        // offset, none when a nearer one for the same date was sent.
        let Some(offset) = r
            .remind_days
            .iter()
            .copied()
            .filter(|&o| d.days_left <= i64::from(o))
            .min()
        else {
            continue;
        };
        let prefix = format!("{}|{}|", d.uid, d.date);
        let already = ledger.reminders.iter().any(|k| {
            k.strip_prefix(&prefix)
                .and_then(|o| o.parse::<u32>().ok())
                .is_some_and(|sent| sent <= offset)
        });
        if !already {
            out.push(ReminderNote {
                key: format!("{prefix}{offset}"),
                kind: ReminderKind::Reminder,
                deadline: d.clone(),
                offset: Some(offset),
                previous: None,
            });
        }
    }
    out
}

/// The models of the entries shown as new documents, by version. A model
/// that cannot be had is named in `problems` unless the entry's note says
/// so already (the entry is listed all the same, from its title).
fn models_of(
    store: &Store,
    entries: &[HistoryEntry],
    problems: &mut Vec<String>,
) -> BTreeMap<String, Document> {
    let mut out = BTreeMap::new();
    for e in entries.iter().filter(|e| e.before.is_none()) {
        let model = VersionRef::parse(&e.after)
            .and_then(|r| store.resolve(&r))
            .map_err(|err| err.to_string())
            .and_then(|v| model_for(store, &v).map_err(|err| err.to_string()));
        match model {
            Ok(doc) => {
                out.insert(e.after.clone(), doc);
            }
            Err(why) if e.note.is_none() => problems.push(format!("{}: {why}", e.after)),
            Err(_) => {}
        }
    }
    out
}

/// Every recipient's calendar text, by recipient id.
pub fn calendars(config: &Config, deadlines: &[Deadline]) -> BTreeMap<String, String> {
    config
        .notify
        .iter()
        .map(|r| (r.id.clone(), calendar_for(r, deadlines)))
        .collect()
}

/// The calendar text for one recipient (its feeds' deadlines).
pub fn calendar_for(r: &Recipient, deadlines: &[Deadline]) -> String {
    let mine: Vec<Deadline> = deadlines
        .iter()
        .filter(|d| r.wants_feed(&d.feed))
        .cloned()
        .collect();
    deadlines::ics::render(&mine, &format!("regwatch deadlines ({})", r.id))
}

/// Composes the message for one recipient, or `None` when there is nothing
/// to say. Pure: reads the store, writes nothing.
pub fn compose(
    store: &Store,
    config: &Config,
    r: &Recipient,
    deadlines: &[Deadline],
    outbox_entries: &[OutboxEntry],
    now: DateTime<Utc>,
    since: Option<NaiveDate>,
) -> Result<(Option<OutboxEntry>, Vec<String>), StoreError> {
    let ledger = &ledger(outbox_entries, &r.id);
    let history = changes_where(store, &|v| {
        r.wants_feed(&v.feed)
            && match since {
                Some(s) => v.effective_date() >= s,
                None => !ledger.covered.contains(&v.reference()),
            }
    })?;
    let reminders = if since.is_some() {
        Vec::new()
    } else {
        due_reminders(r, deadlines, ledger)
    };
    let mut problems = history.problems;
    // Versions shown with a note (unreadable, or compared with an older
    // one) are named to whoever runs the job too, not only to the reader.
    problems.extend(
        history
            .entries
            .iter()
            .filter_map(|e| e.note.as_ref().map(|n| format!("{}: {n}", e.after))),
    );
    let models = models_of(store, &history.entries, &mut problems);
    let feed_names: BTreeMap<String, String> = config
        .feeds
        .iter()
        .filter_map(|f| f.name.clone().map(|n| (f.id.clone(), n)))
        .collect();
    let digest: Digest = digest::build(DigestInput {
        recipient: r,
        feed_names: &feed_names,
        entries: &history.entries,
        models: &models,
        reminders,
        deadlines,
        now,
        since,
    });
    let kind = if since.is_some() {
        MessageKind::Rereport
    } else if digest.counts.new_documents + digest.counts.changed_documents > 0 {
        MessageKind::Summary
    } else if digest.counts.reminders > 0 {
        MessageKind::Reminder
    } else if digest.counts.hidden > 0 {
        MessageKind::Silent
    } else {
        // Nothing, or formatting only: those wait for the next real summary.
        return Ok((None, problems));
    };
    if kind == MessageKind::Rereport && digest.is_empty() {
        return Ok((None, problems));
    }
    let mut covers: Vec<String> = history.entries.iter().map(|e| e.after.clone()).collect();
    covers.sort();
    covers.dedup();
    let mut keys: Vec<String> = digest.reminders.iter().map(|n| n.key.clone()).collect();
    keys.sort();
    let salt = match since {
        Some(s) => format!("since {s} at {}", now.to_rfc3339()),
        None => String::new(),
    };
    let id = OutboxEntry::make_id(&r.id, &covers, &keys, &salt);
    let deliveries = if kind == MessageKind::Silent {
        Vec::new()
    } else {
        r.channels
            .iter()
            .map(|c| Delivery::pending(c.name()))
            .collect()
    };
    Ok((
        Some(OutboxEntry {
            id,
            recipient: r.id.clone(),
            kind,
            created_at: now,
            subject: digest_render::subject(&digest),
            covers,
            reminders: keys,
            digest,
            deliveries,
        }),
        problems,
    ))
}

/// Runs the whole job. `out` receives `stdout` channels and dry-run previews.
#[allow(clippy::too_many_arguments)]
pub async fn run(
    config: &Config,
    store: &Store,
    lock: &StoreLock,
    client: &HttpClient,
    now: DateTime<Utc>,
    opts: &RunOptions,
    out: &mut (dyn Write + Send),
    on_feed: impl FnMut(&FeedOutcome),
) -> Result<RunReport, JobError> {
    let mut report = RunReport::default();
    if !opts.dry_run {
        report.interrupted = outbox::settle_interrupted(store, lock)?;
    }
    if !opts.no_fetch {
        report.feeds = fetch_and_store(&config.feeds, store, lock, client, now, on_feed).await;
    }
    let today = now.date_naive();
    let found = deadlines::collect(store, today)?;
    report.problems.extend(found.problems);
    let existing = outbox::load_all(store)?;
    for r in &config.notify {
        let (entry, problems) = compose(
            store,
            config,
            r,
            &found.deadlines,
            &existing,
            now,
            opts.since,
        )?;
        report.problems.extend(problems);
        let Some(entry) = entry else {
            continue;
        };
        let already = existing.iter().any(|e| e.id == entry.id);
        report.composed.push(ComposedMessage {
            id: entry.id.clone(),
            recipient: r.id.clone(),
            kind: entry.kind,
            subject: entry.subject.clone(),
            covers: entry.covers.len(),
            existing: already,
        });
        if opts.dry_run {
            writeln!(
                out,
                "── would send to {} via {} ──",
                r.id,
                r.channels
                    .iter()
                    .map(Channel::name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )?;
            writeln!(out, "{}", digest_render::text(&entry.digest))?;
        } else if !already {
            outbox::save(store, lock, &entry)?;
        }
    }
    report.problems.sort();
    report.problems.dedup();
    if opts.dry_run {
        return Ok(report);
    }
    let calendars = calendars(config, &found.deadlines);
    let deliverer = Deliverer {
        store,
        lock,
        recipients: &config.notify,
        calendars: &calendars,
        user_agent: &config.http.user_agent,
        now,
    };
    report.deliveries = deliverer.deliver_due(out).await?;
    // Keep every file channel's calendar current, news or not.
    for r in &config.notify {
        for c in &r.channels {
            if let Channel::File(f) = c {
                let text = calendars.get(&r.id).map_or("", String::as_str);
                match crate::notify::files::write_calendar(f, text) {
                    Ok(p) => report.calendars.push(p.display().to_string()),
                    Err(NotifyError::Store(e)) => return Err(e.into()),
                    Err(e) => report.problems.push(format!("{}: {e}", r.id)),
                }
            }
        }
    }
    Ok(report)
}
