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
use crate::deadlines::{self, Deadline, DeadlineProblem, Reminder, ReminderKey, Sent};
use crate::diff::history::{HistoryEntry, changes_where};
use crate::fetch::HttpClient;
use crate::model::Document;
use crate::notify::outbox::{self, Delivery, MessageKind, OutboxEntry};
use crate::notify::{Deliverer, DeliveryOutcome, NotifyError};
use crate::parse::stored::{ModelError, NoModel, model_for};
use crate::pipeline::{FeedOutcome, fetch_and_store};
use crate::report::digest_render;
use crate::store::{SkippedItem, Store, StoreError, StoreLock, VersionId};
use crate::summary::{self, Digest, DigestInput};

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
    /// Versions that could not be compared or modelled, items that could
    /// not be read, calendars that could not be written; one line each.
    pub problems: Vec<RunProblem>,
    /// Calendars (`deadlines.ics`) rewritten.
    pub calendars: Vec<String>,
}

/// Something a run could not do for one item, version or recipient; the
/// rest of the run went on. Serialised as its message.
#[derive(Debug, thiserror::Error)]
pub enum RunProblem {
    /// An item whose history cannot be read (`FILE:LINE: why; …`); fails
    /// the run ([`RunProblem::is_failure`]).
    #[error(transparent)]
    Skipped(#[from] SkippedItem),
    /// An item whose deadlines could not be read.
    #[error(transparent)]
    Deadline(#[from] DeadlineProblem),
    /// A version reported with a note (`FEED/ITEM@N: note`): it could not
    /// be read, or its predecessor could not.
    #[error("{version}: {note}")]
    Noted {
        /// The version reported.
        version: VersionId,
        /// The entry's note.
        note: String,
    },
    /// A new document whose model could not be had for the summary
    /// (`FEED/ITEM@N: why`); it is listed from its title.
    #[error(transparent)]
    NoModel(#[from] NoModel),
    /// A diff page (`links:`) could not be made or written.
    #[error("diff page {page}: {error}")]
    DiffPage {
        /// The page's path.
        page: String,
        /// Why.
        error: String,
    },
    /// A recipient's calendar file could not be written.
    #[error("{recipient}: {error}")]
    Calendar {
        /// Recipient id.
        recipient: String,
        /// Why.
        error: NotifyError,
    },
}

impl RunProblem {
    /// Whether this problem fails the run (exit 2): a history that cannot
    /// be read, whether the summary or the deadlines met it.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            RunProblem::Skipped(_) | RunProblem::Deadline(DeadlineProblem::Skipped(_))
        )
    }
}

impl Serialize for RunProblem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
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
    /// Whether any feed or delivery failed, or a damaged history had to
    /// be skipped (its versions from the damaged line on are not reported
    /// until it is repaired, so the run must not look clean).
    pub fn has_failures(&self) -> bool {
        !self.interrupted.is_empty()
            || self.problems.iter().any(RunProblem::is_failure)
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
    covered: BTreeSet<VersionId>,
    /// Reminders sent and the date last announced per deadline.
    sent: Sent,
}

/// What `recipient` has been told, from its outbox entries.
fn ledger(entries: &[OutboxEntry], recipient: &str) -> Ledger {
    let mut l = Ledger::default();
    // Last date announced per deadline uid, with when.
    let mut announced: BTreeMap<&str, (DateTime<Utc>, NaiveDate)> = BTreeMap::new();
    for e in entries.iter().filter(|e| e.recipient == recipient) {
        l.covered.extend(e.covers.iter().cloned());
        l.sent.keys.extend(e.reminders.iter().cloned());
        if e.kind == MessageKind::Silent {
            continue;
        }
        let told = e
            .digest
            .deadlines
            .iter()
            .chain(e.digest.reminders.iter().map(|r| &r.deadline));
        for d in told {
            let newer = announced
                .get(d.uid.as_str())
                .is_none_or(|(at, _)| *at <= e.created_at);
            if newer {
                announced.insert(&d.uid, (e.created_at, d.date));
            }
        }
    }
    l.sent.announced = announced
        .into_iter()
        .map(|(uid, (_, date))| (uid.to_string(), date))
        .collect();
    l
}

/// Reminders and moved notices due for `r` now (the policy is
/// [`deadlines::reminders`]; this narrows to the recipient's feeds).
fn due_reminders(r: &Recipient, deadlines: &[Deadline], ledger: &Ledger) -> Vec<Reminder> {
    let mine: Vec<Deadline> = deadlines
        .iter()
        .filter(|d| r.wants_feed(&d.feed))
        .cloned()
        .collect();
    deadlines::reminders(&mine, &r.remind_days, &ledger.sent)
}

/// The models of the entries shown as new documents, by version, and the
/// versions whose model could not be had (each entry is listed all the
/// same, from its title).
fn models_of(
    store: &Store,
    entries: &[HistoryEntry],
) -> (BTreeMap<VersionId, Document>, Vec<(usize, NoModel)>) {
    let mut out = BTreeMap::new();
    let mut failed = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let model = store
            .version(&e.after)
            .map_err(ModelError::from)
            .and_then(|v| model_for(store, &v));
        match model {
            Ok(doc) => {
                out.insert(e.after.clone(), doc);
            }
            // A changed document's model only gives its link; why it
            // could not be compared is the entry's own note.
            Err(_) if e.before.is_some() => {}
            Err(error) => failed.push((
                i,
                NoModel {
                    version: e.after.clone(),
                    error,
                },
            )),
        }
    }
    (out, failed)
}

/// The problems to report for `entries`: one per entry with a note, and
/// one per version without a model, except where that entry's note
/// already gives the same reason (the first version of an unreadable
/// item). A reason the note does not give is always reported.
fn entry_problems(entries: &[HistoryEntry], failed: Vec<(usize, NoModel)>) -> Vec<RunProblem> {
    let mut out: Vec<RunProblem> = entries
        .iter()
        .filter_map(|e| {
            e.note.as_ref().map(|n| RunProblem::Noted {
                version: e.after.clone(),
                note: n.clone(),
            })
        })
        .collect();
    for (i, no_model) in failed {
        let reason = match &no_model.error {
            ModelError::Parse { source, .. } => source.to_string(),
            ModelError::Store(e) => e.to_string(),
        };
        let told = entries
            .get(i)
            .and_then(|e| e.note.as_deref())
            .is_some_and(|n| n.contains(&reason));
        if !told {
            out.push(no_model.into());
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
) -> Result<(Option<OutboxEntry>, Vec<RunProblem>), StoreError> {
    let ledger = &ledger(outbox_entries, &r.id);
    let history = changes_where(store, &|v| {
        r.wants_feed(&v.feed)
            && match since {
                Some(s) => v.effective_date() >= s,
                None => !ledger.covered.contains(&v.id()),
            }
    })?;
    let reminders = if since.is_some() {
        Vec::new()
    } else {
        due_reminders(r, deadlines, ledger)
    };
    let mut problems: Vec<RunProblem> = history.problems.into_iter().map(Into::into).collect();
    // Versions shown with a note (unreadable, or compared with an older
    // one) are named to whoever runs the job too, not only to the reader.
    let (models, failed) = models_of(store, &history.entries);
    problems.extend(entry_problems(&history.entries, failed));
    let feed_names: BTreeMap<String, String> = config
        .feeds
        .iter()
        .filter_map(|f| f.name.clone().map(|n| (f.id.clone(), n)))
        .collect();
    let digest: Digest = summary::build(DigestInput {
        recipient: r,
        feed_names: &feed_names,
        entries: &history.entries,
        models: &models,
        reminders,
        deadlines,
        now,
        since,
        diff_base_url: config.links.base_url.as_ref().map(url::Url::as_str),
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
    // Sorted by string form, the order the id has always been hashed in.
    let mut covers: Vec<VersionId> = history.entries.iter().map(|e| e.after.clone()).collect();
    covers.sort_by_key(ToString::to_string);
    covers.dedup();
    let mut keys: Vec<ReminderKey> = digest.reminders.iter().map(|n| n.key.clone()).collect();
    keys.sort_by_key(ToString::to_string);
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
            digest: digest_render::with_words(&digest),
            deliveries,
        }),
        problems,
    ))
}

/// Writes the HTML diff page of every changed document `digest` lists
/// into each of `dirs` (`links:`), under the name its link uses. A page
/// that cannot be made or written is a problem, never an abort. `done`
/// holds the pages this run already made (recipients share changes).
fn write_diff_pages(
    store: &Store,
    digest: &Digest,
    dirs: &[std::path::PathBuf],
    done: &mut std::collections::HashSet<String>,
    problems: &mut Vec<RunProblem>,
) {
    if dirs.is_empty() {
        return;
    }
    for c in digest.feeds.iter().flat_map(|f| &f.changed) {
        let (Some(before), Ok(after)) = (&c.before, c.after.parse::<VersionId>()) else {
            continue;
        };
        let name = crate::summary::page_name(&after);
        if !done.insert(name.clone()) {
            continue;
        }
        let page = (|| -> Result<String, String> {
            let before: VersionId = before.parse().map_err(|e| format!("{e}"))?;
            let old = store.version(&before).map_err(|e| e.to_string())?;
            let new = store.version(&after).map_err(|e| e.to_string())?;
            let diff =
                crate::diff::stored::diff_versions(store, &old, &new).map_err(|e| e.to_string())?;
            let sides = crate::report::diff_text::Sides {
                before: crate::report::diff_text::Side::for_version(&old),
                after: crate::report::diff_text::Side::for_version(&new),
            };
            Ok(crate::report::diff_html::render(&diff, &sides))
        })();
        for dir in dirs {
            let path = dir.join(&name);
            let written = page.clone().and_then(|html| {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                crate::store::write_atomic(dir, &path, html.as_bytes()).map_err(|e| e.to_string())
            });
            if let Err(error) = written {
                problems.push(RunProblem::DiffPage {
                    page: path.display().to_string(),
                    error,
                });
            }
        }
    }
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
    report
        .problems
        .extend(found.problems.into_iter().map(RunProblem::from));
    let existing = outbox::load_all(store)?;
    let page_dirs = config.links.page_dirs(&config.notify);
    let mut pages_done = std::collections::HashSet::new();
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
            // The pages the message links to exist before it is sent.
            write_diff_pages(
                store,
                &entry.digest,
                &page_dirs,
                &mut pages_done,
                &mut report.problems,
            );
            outbox::save(store, lock, &entry)?;
        }
    }
    // A damaged item is found once per recipient: say it once.
    report.problems.sort_by_key(ToString::to_string);
    report
        .problems
        .dedup_by(|a, b| a.to_string() == b.to_string());
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
                    Err(error) => report.problems.push(RunProblem::Calendar {
                        recipient: r.id.clone(),
                        error,
                    }),
                }
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::{NoModel, RunProblem, entry_problems};
    use crate::diff::Summary;
    use crate::diff::history::HistoryEntry;
    use crate::parse::ParseError;
    use crate::parse::stored::ModelError;
    use crate::store::VersionId;

    fn entry(item: &str, note: Option<&str>) -> HistoryEntry {
        HistoryEntry {
            feed: "notes".into(),
            item: item.into(),
            title: None,
            before: None,
            after: VersionId::new("notes", item, 1),
            fetched_at: Utc.with_ymd_and_hms(2024, 10, 1, 6, 0, 0).unwrap(),
            date: "2024-10-01".parse().unwrap(),
            substantive: true,
            summary: Summary::default(),
            flags: Vec::new(),
            note: note.map(str::to_string),
        }
    }

    fn no_model(item: &str, error: ParseError) -> NoModel {
        let version = VersionId::new("notes", item, 1);
        NoModel {
            error: ModelError::Parse {
                version: version.clone(),
                source: error,
            },
            version,
        }
    }

    #[test]
    fn a_model_failure_is_reported_unless_the_entry_note_gives_the_same_reason() {
        let entries = [
            entry("plain.md", None),
            entry("empty.md", Some("could not be read: the input is empty")),
            entry("noted.md", Some("could not be read: the input is empty")),
        ];
        let failed = vec![
            (0, no_model("plain.md", ParseError::Empty)),
            // Same reason as its note: said once, by the note.
            (1, no_model("empty.md", ParseError::Empty)),
            // A reason the note does not give is never dropped.
            (
                2,
                no_model("noted.md", ParseError::Unrecognized("binary input".into())),
            ),
        ];
        let problems: Vec<String> = entry_problems(&entries, failed)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            problems,
            [
                "notes/empty.md@1: could not be read: the input is empty",
                "notes/noted.md@1: could not be read: the input is empty",
                "notes/plain.md@1: the input is empty",
                "notes/noted.md@1: binary input",
            ],
            "{problems:#?}"
        );
        let json = serde_json::to_string(&RunProblem::Noted {
            version: VersionId::new("f", "i", 2),
            note: "why".into(),
        })
        .unwrap();
        assert_eq!(json, "\"f/i@2: why\"");
    }
}
