//! `regwatch verify`: re-derive every hash and link of the store.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use serde::Serialize;

use super::{Store, StoreError, chain_problems};

/// The result of a full check.
#[derive(Debug, Default, Serialize)]
pub struct VerifyReport {
    /// Items checked.
    pub items: usize,
    /// Versions checked.
    pub versions: usize,
    /// Distinct objects re-hashed.
    pub objects: usize,
    /// Everything found wrong, in the order found (per item: by line).
    /// Each is serialised with its sentence as `message` too.
    #[serde(serialize_with = "problems_with_messages")]
    pub problems: Vec<VerifyProblem>,
}

/// A problem as JSON: its fields plus `message`, the sentence `verify`
/// prints (so a reader need not word the kinds itself).
fn problems_with_messages<S: serde::Serializer>(
    problems: &[VerifyProblem],
    s: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct WithMessage<'a> {
        #[serde(flatten)]
        problem: &'a VerifyProblem,
        message: String,
    }
    s.collect_seq(problems.iter().map(|problem| WithMessage {
        problem,
        message: problem.what.to_string(),
    }))
}

impl VerifyReport {
    /// Returns true when nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// One thing `verify` found wrong: where (a file relative to the store
/// root, and the line for a history file) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyProblem {
    /// The file, relative to the store root.
    pub file: String,
    /// The line of a history file; absent for objects and unreadable files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// What is wrong, with its own fields.
    #[serde(flatten)]
    pub what: ProblemKind,
}

/// What is wrong (serialised as `problem: "<snake_case name>"` plus its
/// fields). [`std::fmt::Display`] gives the sentence `verify` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum ProblemKind {
    /// The item's history file cannot be read at all.
    Unreadable {
        /// Why (the store's error).
        why: String,
    },
    /// A line that is not a version record.
    BadLine {
        /// Why it is not one.
        why: String,
        /// The line after it whose link to the version before cannot be
        /// checked because of it.
        #[serde(skip_serializing_if = "Option::is_none")]
        unchecked_link: Option<usize>,
    },
    /// A version filed under another item than the one it records.
    Misfiled(Misfiled),
    /// The version number is not the next in sequence.
    OutOfSequence {
        /// The number on the line.
        seq: u32,
        /// The lowest number accepted there.
        expected_low: usize,
        /// The highest (more than the lowest when unreadable lines before it
        /// may or may not have been versions).
        expected_high: usize,
    },
    /// The line's hash does not match its content.
    Altered,
    /// The line's `prev` is not the hash of the version before it.
    ChainBroken,
    /// An object's bytes no longer match its hash.
    ObjectAltered {
        /// `content`, `metadata` or `raw`.
        role: String,
        /// The version line that names it (`FILE:LINE`).
        of: String,
    },
    /// An object a version names is missing.
    ObjectMissing {
        /// `content`, `metadata` or `raw`.
        role: String,
        /// The version line that names it (`FILE:LINE`).
        of: String,
    },
    /// The size recorded for an object differs from the object's (whose
    /// bytes match its hash).
    SizeMismatch {
        /// `content`, `metadata` or `raw`.
        role: String,
        /// Bytes recorded on the version line.
        recorded: u64,
        /// Bytes of the object.
        actual: u64,
    },
}

/// Where a misfiled version says it belongs, and where it is filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Misfiled {
    /// The feed the line records.
    pub records_feed: String,
    /// The item the line records.
    pub records_item: String,
    /// The feed of the file it is in.
    pub filed_feed: String,
    /// The item of the file it is in.
    pub filed_item: String,
}

impl std::fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProblemKind::Unreadable { why } => write!(f, "{why}"),
            ProblemKind::BadLine {
                why,
                unchecked_link,
            } => {
                write!(f, "{why}")?;
                if let Some(n) = unchecked_link {
                    write!(
                        f,
                        "; the link of line {n} to the version before it cannot be checked"
                    )?;
                }
                Ok(())
            }
            ProblemKind::Misfiled(m) => write!(
                f,
                "records {}/{} but is filed under {}/{}",
                m.records_feed, m.records_item, m.filed_feed, m.filed_item
            ),
            ProblemKind::OutOfSequence {
                seq,
                expected_low,
                expected_high,
            } => {
                write!(f, "version number {seq} out of sequence (expected ")?;
                if expected_low == expected_high {
                    write!(f, "{expected_low})")
                } else {
                    write!(
                        f,
                        "{expected_low} to {expected_high}, counting the unreadable lines before it)"
                    )
                }
            }
            ProblemKind::Altered => write!(f, "version record was altered (hash mismatch)"),
            ProblemKind::ChainBroken => write!(
                f,
                "hash chain broken (a version before it is missing or altered)"
            ),
            ProblemKind::ObjectAltered { role, of } => {
                write!(f, "object bytes altered ({role} of {of})")
            }
            ProblemKind::ObjectMissing { role, of } => {
                write!(f, "object missing ({role} of {of})")
            }
            ProblemKind::SizeMismatch {
                role,
                recorded,
                actual,
            } => write!(
                f,
                "recorded size of {role} is {recorded} bytes, the object has {actual} (its bytes match its hash)"
            ),
        }
    }
}

impl std::fmt::Display for VerifyProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.what),
            None => write!(f, "{}: {}", self.file, self.what),
        }
    }
}

impl Store {
    /// Returns a report of every broken hash chain, altered version line,
    /// and missing or altered object in the store.
    pub fn verify(&self) -> Result<VerifyReport, StoreError> {
        let mut report = VerifyReport::default();
        // Each object is read and re-hashed once: its length when intact,
        // `None` when missing or altered (already reported).
        let mut objects: HashMap<String, Option<u64>> = HashMap::new();
        for feed in self.feed_ids()? {
            for item in self.item_keys(&feed)? {
                report.items += 1;
                let path = self.history_path(&feed, &item);
                let shown = self.shown(&path);
                // One item's file that cannot be read costs that item only.
                let lines = match self.read_history(&feed, &item) {
                    Ok(l) => l,
                    Err(e) => {
                        report.problems.push(VerifyProblem {
                            file: shown,
                            line: None,
                            what: ProblemKind::Unreadable { why: e.to_string() },
                        });
                        continue;
                    }
                };
                // Every bad line, in order with the chain's problems.
                let mut found: Vec<(usize, ProblemKind)> = Vec::new();
                for (line, why) in &lines.bad {
                    let next = lines.good.iter().map(|(n, _)| *n).find(|n| n > line);
                    let unchecked_link =
                        next.filter(|n| !lines.bad.iter().any(|(b, _)| b > line && b < n));
                    found.push((
                        *line,
                        ProblemKind::BadLine {
                            why: why.clone(),
                            unchecked_link,
                        },
                    ));
                }
                let bad: Vec<usize> = lines.bad.iter().map(|(l, _)| *l).collect();
                found.extend(chain_problems(&feed, &item, &lines.good, &bad));
                found.sort_by_key(|(line, _)| *line);
                for (line, what) in found {
                    report.problems.push(VerifyProblem {
                        file: shown.clone(),
                        line: Some(line),
                        what,
                    });
                }
                let lines = lines.good;
                report.versions += lines.len();
                for (line, v) in &lines {
                    let at = format!("{shown}:{line}");
                    for (role, blob) in [
                        ("content", Some(&v.content)),
                        ("metadata", v.metadata.as_ref()),
                        ("raw", v.raw.as_ref()),
                    ] {
                        let Some(blob) = blob else { continue };
                        let len = match objects.get(&blob.hash) {
                            Some(len) => *len,
                            None => {
                                let len = self.check_object(&blob.hash, role, &at, &mut report);
                                objects.insert(blob.hash.clone(), len);
                                len
                            }
                        };
                        if let Some(len) = len
                            && len != blob.size
                        {
                            report.problems.push(VerifyProblem {
                                file: shown.clone(),
                                line: Some(*line),
                                what: ProblemKind::SizeMismatch {
                                    role: role.to_string(),
                                    recorded: blob.size,
                                    actual: len,
                                },
                            });
                        }
                    }
                }
            }
        }
        report.objects = objects.len();
        Ok(report)
    }

    /// Reads and re-hashes one object; returns its length when intact, and
    /// reports it (once) when missing or when its bytes changed.
    fn check_object(
        &self,
        hash: &str,
        role: &str,
        at: &str,
        report: &mut VerifyReport,
    ) -> Option<u64> {
        let object = self.object_path(hash);
        let shown = self.shown(&object);
        match fs::read(&object) {
            Ok(bytes) if blake3::hash(&bytes).to_hex().as_str() == hash => Some(bytes.len() as u64),
            Ok(_) => {
                report.problems.push(VerifyProblem {
                    file: shown,
                    line: None,
                    what: ProblemKind::ObjectAltered {
                        role: role.to_string(),
                        of: at.to_string(),
                    },
                });
                None
            }
            Err(_) => {
                report.problems.push(VerifyProblem {
                    file: shown,
                    line: None,
                    what: ProblemKind::ObjectMissing {
                        role: role.to_string(),
                        of: at.to_string(),
                    },
                });
                None
            }
        }
    }

    /// `path` relative to the store root, for messages.
    fn shown(&self, path: &Path) -> String {
        path.strip_prefix(self.root())
            .unwrap_or(path)
            .display()
            .to_string()
    }
}
