//! The one wire format: every `--format json` line, the summary message the
//! channels carry, and the webhook's `json` body are a [`Record`]:
//! `{"type": …, "schema_version": SCHEMA_VERSION, "data": …}`.
//!
//! [`RecordType`] is the closed list of types. docs/JSON.md documents each
//! of them (tests/json_records.rs checks both directions), so a new type is
//! a new variant here plus its section there.

use serde::Serialize;

/// The `schema_version` of every record. Bumped when a field changes
/// meaning or goes away; the changes are listed in docs/JSON.md.
pub const SCHEMA_VERSION: u32 = 3;

/// What a record's `data` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordType {
    /// One feed's outcome in `fetch` (`pipeline::FeedOutcome`).
    Feed,
    /// The closing tally of `fetch`.
    FetchSummary,
    /// One stored version (`store::Version`).
    Version,
    /// `verify`'s report (`store::VerifyReport`).
    Verify,
    /// `check`'s validated configuration.
    Config,
    /// A document model (`model::Document`).
    Document,
    /// `diff`: a comparison of two versions or files.
    Diff,
    /// `diff --raw`: a comparison of the bytes.
    RawDiff,
    /// `changes`: one history step (`diff::history::HistoryEntry`).
    Change,
    /// `run`'s report (`job::RunReport`).
    Run,
    /// One deadline (`deadlines::Deadline`).
    Deadline,
    /// One outbox message, digested.
    OutboxEntry,
    /// The summary message a run composes for a recipient (`Digest`).
    Summary,
    /// A fatal error of a command in JSON mode ([`ErrorData`]).
    Error,
}

impl RecordType {
    /// Every type, in the order docs/JSON.md lists them.
    pub const ALL: [RecordType; 14] = [
        RecordType::Feed,
        RecordType::FetchSummary,
        RecordType::Document,
        RecordType::Version,
        RecordType::Verify,
        RecordType::Config,
        RecordType::Diff,
        RecordType::RawDiff,
        RecordType::Change,
        RecordType::Run,
        RecordType::Deadline,
        RecordType::OutboxEntry,
        RecordType::Summary,
        RecordType::Error,
    ];

    /// The `type` string.
    pub fn name(self) -> &'static str {
        // Exhaustive on purpose: a new variant must be named here (and so
        // be noticed in ALL above and in docs/JSON.md).
        match self {
            RecordType::Feed => "feed",
            RecordType::FetchSummary => "fetch_summary",
            RecordType::Version => "version",
            RecordType::Verify => "verify",
            RecordType::Config => "config",
            RecordType::Document => "document",
            RecordType::Diff => "diff",
            RecordType::RawDiff => "raw_diff",
            RecordType::Change => "change",
            RecordType::Run => "run",
            RecordType::Deadline => "deadline",
            RecordType::OutboxEntry => "outbox_entry",
            RecordType::Summary => "summary",
            RecordType::Error => "error",
        }
    }
}

/// One record: the envelope around `data`.
#[derive(Debug, Serialize)]
pub struct Record<T: Serialize> {
    /// `type`: what `data` is.
    #[serde(rename = "type")]
    pub kind: RecordType,
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The record itself.
    pub data: T,
}

impl<T: Serialize> Record<T> {
    /// `data` in its envelope, at the current schema version.
    pub fn new(kind: RecordType, data: T) -> Self {
        Record {
            kind,
            schema_version: SCHEMA_VERSION,
            data,
        }
    }

    /// The record as a JSON value, keys sorted (as every line has been
    /// printed so far). `null` only if `data` cannot be serialised, which
    /// our types never refuse.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// One JSON Lines line (without the newline).
    pub fn to_line(&self) -> String {
        self.to_value().to_string()
    }

    /// Pretty-printed over several lines (the `file` channel's `.json`).
    pub fn to_pretty(&self) -> String {
        serde_json::to_string_pretty(&self.to_value()).unwrap_or_else(|_| "{}".into())
    }
}

/// `fetch`'s closing tally.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FetchSummary {
    /// Feeds fetched.
    pub feeds: usize,
    /// Feeds with status `new`.
    pub new: usize,
    /// Feeds with status `changed`.
    pub changed: usize,
    /// Feeds with status `unchanged`.
    pub unchanged: usize,
    /// Feeds with status `failed`.
    pub failed: usize,
    /// Feeds that stored what they could but had some items fail.
    pub with_item_errors: usize,
    /// Sum of the feeds' `bytes_added`.
    pub bytes_added: u64,
}

/// The `data` of an `error` record: a command's fatal error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorData {
    /// What failed: `usage`, `config`, `store`, `store_locked`,
    /// `fetch`, `parse`, `notify`, `io` or `other`.
    pub kind: String,
    /// The message, causes included (as printed after `error:`).
    pub message: String,
    /// What to do about it (as printed after `hint:`).
    pub hints: Vec<String>,
    /// The file the error is about, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The 1-based line in `file`, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The 1-based column in `file`, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_is_listed_once_and_named_as_serde_names_it() {
        for (i, t) in RecordType::ALL.iter().enumerate() {
            assert!(!RecordType::ALL[..i].contains(t), "{t:?} listed twice");
            assert_eq!(
                serde_json::to_value(t).unwrap_or_default(),
                serde_json::Value::String(t.name().into())
            );
        }
    }

    #[test]
    fn a_record_is_the_envelope_with_sorted_keys() {
        let r = Record::new(RecordType::FetchSummary, FetchSummary::default());
        assert_eq!(
            r.to_line(),
            format!(
                "{{\"data\":{{\"bytes_added\":0,\"changed\":0,\"failed\":0,\"feeds\":0,\"new\":0,\"unchanged\":0,\"with_item_errors\":0}},\"schema_version\":{SCHEMA_VERSION},\"type\":\"fetch_summary\"}}"
            )
        );
    }
}
