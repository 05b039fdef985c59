//! The outbox: every message is written to the store before any attempt to
//! send it, and each channel's delivery state is kept beside it.
//!
//! Why: a cron run can die at any point (SMTP server down, `kill -9`, a
//! reboot). The outbox is also the ledger of what each recipient has been
//! told: a version or reminder named by any outbox entry is never put in
//! another one, and an entry's id is a hash of what it covers, so a run that
//! re-composes the same news after a crash finds the entry already there.
//!
//! Delivery states, per channel:
//!
//! ```text
//! pending ──send ok──▶ sent
//!    │  ▲
//!    │  └─ failed (server down, auth error, timeout: retried next run)
//!    └──▶ sending ──(run killed)──▶ unconfirmed (never resent automatically)
//! ```
//!
//! `sending` is written just before the step that cannot be taken back (the
//! SMTP `MAIL FROM`…`DATA` transaction on an open, authenticated connection,
//! or the webhook POST). A later run that finds it knows the earlier one
//! died mid-send and cannot know whether the message arrived; it marks the
//! delivery `unconfirmed` rather than risk a duplicate, and `regwatch outbox
//! resend ID` sends it again on request. Everything before that point
//! (connecting, TLS, AUTH) is retried freely.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::deadlines::ReminderKey;
use crate::store::{Store, StoreError, StoreLock, VersionId};
use crate::summary::Digest;

/// The store collection (folder) holding the outbox.
pub const COLLECTION: &str = "outbox";

/// One composed message and its deliveries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// Stable id: a hash of the recipient and what the message covers.
    pub id: String,
    /// Recipient id (feeds.yaml `notify:`).
    pub recipient: String,
    /// What kind of message this is.
    pub kind: MessageKind,
    /// When it was composed; the email's `Date`.
    pub created_at: DateTime<Utc>,
    /// The subject line.
    pub subject: String,
    /// Versions (`FEED/ITEM@N`) the message reports.
    pub covers: Vec<VersionId>,
    /// Reminder ledger keys (`<uid>|<date>|<offset>` / `…|moved`) it carries.
    pub reminders: Vec<ReminderKey>,
    /// The content; every channel renders it.
    pub digest: Digest,
    /// One per channel of the recipient.
    pub deliveries: Vec<Delivery>,
}

/// Kinds of outbox entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// New and changed documents (and any reminders due).
    Summary,
    /// Only reminders or moved deadlines.
    Reminder,
    /// `run --since`: a window reported again on request.
    Rereport,
    /// Nothing to send (everything was outside an `only_matching` profile);
    /// kept so the versions count as reported. No deliveries.
    Silent,
}

impl MessageKind {
    /// Snake-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Summary => "summary",
            MessageKind::Reminder => "reminder",
            MessageKind::Rereport => "rereport",
            MessageKind::Silent => "silent",
        }
    }
}

/// One channel's delivery of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// `email`, `stdout`, `file` or `webhook`.
    pub channel: String,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts so far.
    pub attempts: u32,
    /// When the last attempt started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_attempt: Option<DateTime<Utc>>,
    /// Why the last attempt failed (never contains credentials).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// When it was delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<DateTime<Utc>>,
}

impl Delivery {
    /// A delivery not yet tried.
    pub fn pending(channel: &str) -> Delivery {
        Delivery {
            channel: channel.to_string(),
            status: DeliveryStatus::Pending,
            attempts: 0,
            last_attempt: None,
            last_error: None,
            sent_at: None,
        }
    }
}

/// Delivery states (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not yet tried.
    Pending,
    /// The last attempt failed before the message could have arrived.
    Failed,
    /// The irrevocable step was under way; seen only while a run is sending.
    Sending,
    /// A run died while `sending`: it may or may not have arrived.
    Unconfirmed,
    /// Delivered.
    Sent,
}

impl DeliveryStatus {
    /// Snake-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Sending => "sending",
            DeliveryStatus::Unconfirmed => "unconfirmed",
            DeliveryStatus::Sent => "sent",
        }
    }

    /// Whether a run should (re)try it.
    pub fn is_due(self) -> bool {
        matches!(self, DeliveryStatus::Pending | DeliveryStatus::Failed)
    }
}

impl OutboxEntry {
    /// The stable id of a message for `recipient` covering `covers` and
    /// `reminders` (both sorted by the caller); `salt` separates re-reports.
    /// The hash is over the string forms, so ids do not depend on how the
    /// references are held in memory.
    pub fn make_id(
        recipient: &str,
        covers: &[VersionId],
        reminders: &[ReminderKey],
        salt: &str,
    ) -> String {
        let mut h = blake3::Hasher::new();
        for part in [recipient, salt] {
            h.update(part.as_bytes());
            h.update(b"\0");
        }
        let covers = covers.iter().map(ToString::to_string);
        for c in covers.chain(reminders.iter().map(ToString::to_string)) {
            h.update(c.as_bytes());
            h.update(b"\n");
        }
        let hex = h.finalize().to_hex();
        hex.as_str()[..24].to_string()
    }

    /// True when every delivery is sent (or there is none).
    pub fn is_done(&self) -> bool {
        self.deliveries
            .iter()
            .all(|d| d.status == DeliveryStatus::Sent)
    }
}

/// Reads every outbox entry, oldest first. An unreadable entry is an
/// error naming its file: the outbox is a ledger, so guessing is unsafe.
pub fn load_all(store: &Store) -> Result<Vec<OutboxEntry>, StoreError> {
    let mut out = Vec::new();
    for name in store.record_names(COLLECTION)? {
        if let Some(e) = load(store, &name)? {
            out.push(e);
        }
    }
    out.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    Ok(out)
}

/// Reads one entry by id.
pub fn load(store: &Store, id: &str) -> Result<Option<OutboxEntry>, StoreError> {
    let Some(bytes) = store.read_record(COLLECTION, id)? else {
        return Ok(None);
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| StoreError::Corrupt {
            path: store.record_path(COLLECTION, id),
            line: Some(e.line()),
            message: format!("unreadable outbox entry: {e}"),
        })
}

/// Writes an entry atomically (the whole file is replaced). A failure
/// names the entry, its recipient and its file, not only the staging file.
pub fn save(store: &Store, lock: &StoreLock, entry: &OutboxEntry) -> Result<(), StoreError> {
    let bytes = serde_json::to_vec_pretty(entry).map_err(|e| StoreError::Corrupt {
        path: store.record_path(COLLECTION, &entry.id),
        line: None,
        message: format!("cannot encode outbox entry: {e}"),
    })?;
    store
        .write_record(lock, COLLECTION, &entry.id, &bytes)
        .map_err(|e| StoreError::Record {
            record: format!(
                "outbox entry {} (recipient `{}`)",
                entry.id, entry.recipient
            ),
            path: store.record_path(COLLECTION, &entry.id),
            source: Box::new(e),
        })
}

/// Marks deliveries left `sending` by a run that died as `unconfirmed`;
/// returns how many. Call with the lock held, before sending anything.
pub fn settle_interrupted(store: &Store, lock: &StoreLock) -> Result<Vec<String>, StoreError> {
    let mut settled = Vec::new();
    for mut e in load_all(store)? {
        let mut changed = false;
        for d in &mut e.deliveries {
            if d.status == DeliveryStatus::Sending {
                d.status = DeliveryStatus::Unconfirmed;
                d.last_error = Some(
                    "an earlier run stopped while sending; the message may or may not have arrived"
                        .into(),
                );
                settled.push(format!("{} ({})", e.id, d.channel));
                changed = true;
            }
        }
        if changed {
            save(store, lock, &e)?;
        }
    }
    Ok(settled)
}
