//! Stage — notify: outbox entries in, deliveries out (email, stdout, file,
//! webhook).
//!
//! The run composes each message into the outbox first ([`outbox`]); this
//! stage only ever sends what the outbox holds, recording each channel's
//! result there. One failing channel or recipient never stops the others.

pub mod email;
pub mod files;
pub mod outbox;
pub mod webhook;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::config::{Channel, Recipient, SummaryFormat};
use crate::report::digest_render;
use crate::store::{Store, StoreError, StoreLock};
use outbox::{DeliveryStatus, OutboxEntry};

/// Why a delivery did not happen.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// The message could not be built (bad address, encoding).
    #[error("cannot build message: {0}")]
    Message(String),
    /// Sending failed; the delivery stays in the outbox and is retried.
    #[error("{0}")]
    Failed(String),
    /// The connection broke or stalled mid-transaction: the message may
    /// have arrived. Not retried on its own (`outbox --resend` does).
    #[error("{0}")]
    Uncertain(String),
    /// The outbox could not be updated.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What happened to one delivery attempt.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryOutcome {
    /// Outbox id.
    pub id: String,
    /// Recipient id.
    pub recipient: String,
    /// Channel name.
    pub channel: String,
    /// Status after the attempt.
    pub status: DeliveryStatus,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Files written (file channel).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<PathBuf>,
}

/// What delivery needs from the run.
pub struct Deliverer<'a> {
    /// The store holding the outbox.
    pub store: &'a Store,
    /// The store's write lock.
    pub lock: &'a StoreLock,
    /// Recipients from feeds.yaml.
    pub recipients: &'a [Recipient],
    /// Each recipient's current calendar (`deadlines.ics` text), by id.
    pub calendars: &'a BTreeMap<String, String>,
    /// User-Agent for webhooks.
    pub user_agent: &'a str,
    /// Attempt time.
    pub now: DateTime<Utc>,
}

impl Deliverer<'_> {
    /// Tries every due delivery in the outbox (oldest message first);
    /// the `stdout` channel writes to `out`.
    pub async fn deliver_due(
        &self,
        out: &mut (dyn Write + Send),
    ) -> Result<Vec<DeliveryOutcome>, StoreError> {
        let mut outcomes = Vec::new();
        for mut entry in outbox::load_all(self.store)? {
            let due: Vec<usize> = (0..entry.deliveries.len())
                .filter(|&i| entry.deliveries[i].status.is_due())
                .collect();
            for i in due {
                let outcome = self.attempt(&mut entry, i, out).await?;
                outcomes.push(outcome);
            }
        }
        Ok(outcomes)
    }

    async fn attempt(
        &self,
        entry: &mut OutboxEntry,
        i: usize,
        out: &mut (dyn Write + Send),
    ) -> Result<DeliveryOutcome, StoreError> {
        let channel_name = entry.deliveries[i].channel.clone();
        {
            let d = &mut entry.deliveries[i];
            d.attempts += 1;
            d.last_attempt = Some(self.now);
        }
        let mut paths = Vec::new();
        let result = match self.recipients.iter().find(|r| r.id == entry.recipient) {
            None => Err(NotifyError::Failed(format!(
                "recipient `{}` is no longer in feeds.yaml; the message waits in the outbox",
                entry.recipient
            ))),
            Some(r) => match r.channels.iter().find(|c| c.name() == channel_name) {
                None => Err(NotifyError::Failed(format!(
                    "recipient `{}` has no `{channel_name}` channel any more",
                    r.id
                ))),
                Some(ch) => self.send(entry, i, r, ch, out, &mut paths).await,
            },
        };
        let d = &mut entry.deliveries[i];
        let error = match result {
            Ok(()) => {
                d.status = DeliveryStatus::Sent;
                d.sent_at = Some(self.now);
                d.last_error = None;
                None
            }
            Err(NotifyError::Store(e)) => return Err(e),
            Err(NotifyError::Uncertain(why)) => {
                d.status = DeliveryStatus::Unconfirmed;
                let why = format!("{why}; it may or may not have arrived");
                d.last_error = Some(why.clone());
                Some(why)
            }
            Err(e) => {
                d.status = DeliveryStatus::Failed;
                d.last_error = Some(e.to_string());
                Some(e.to_string())
            }
        };
        outbox::save(self.store, self.lock, entry)?;
        Ok(DeliveryOutcome {
            id: entry.id.clone(),
            recipient: entry.recipient.clone(),
            channel: channel_name,
            status: entry.deliveries[i].status,
            error,
            paths,
        })
    }

    async fn send(
        &self,
        entry: &OutboxEntry,
        i: usize,
        r: &Recipient,
        ch: &Channel,
        out: &mut (dyn Write + Send),
        paths: &mut Vec<PathBuf>,
    ) -> Result<(), NotifyError> {
        // Records `sending` durably before the step that cannot be undone.
        let committing = || -> Result<(), NotifyError> {
            let mut marked = entry.clone();
            marked.deliveries[i].status = DeliveryStatus::Sending;
            outbox::save(self.store, self.lock, &marked)?;
            Ok(())
        };
        match ch {
            Channel::Stdout(s) => {
                let body = match s.format {
                    SummaryFormat::Markdown => digest_render::markdown(&entry.digest),
                    SummaryFormat::Html => digest_render::html(&entry.digest),
                    SummaryFormat::Json => digest_render::json(&entry.digest),
                    SummaryFormat::Text | SummaryFormat::Eml => digest_render::text(&entry.digest),
                };
                writeln!(out, "{body}")
                    .and_then(|()| out.flush())
                    .map_err(|e| NotifyError::Failed(format!("cannot write to stdout: {e}")))
            }
            Channel::File(f) => {
                let calendar = self.calendars.get(&r.id).map_or("", String::as_str);
                *paths = files::write(entry, f, r, calendar)?;
                Ok(())
            }
            Channel::Email(e) => {
                let message = email::build(entry, e)?;
                email::send(e, &message, committing).await
            }
            Channel::Webhook(w) => webhook::send(entry, w, self.user_agent, committing).await,
        }
    }
}
