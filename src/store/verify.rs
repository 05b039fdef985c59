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
    /// Everything found wrong, one line each, naming the file.
    pub problems: Vec<String>,
}

impl VerifyReport {
    /// Returns true when nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
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
                        report.problems.push(e.to_string());
                        continue;
                    }
                };
                // Every bad line, in order with the chain's problems.
                let mut found: Vec<(usize, String)> = Vec::new();
                for (line, why) in &lines.bad {
                    let next = lines.good.iter().map(|(n, _)| *n).find(|n| n > line);
                    let link = match next {
                        Some(n) if !lines.bad.iter().any(|(b, _)| b > line && *b < n) => {
                            format!(
                                "; the link of line {n} to the version before it cannot be checked"
                            )
                        }
                        _ => String::new(),
                    };
                    found.push((*line, format!("{why}{link}")));
                }
                let bad: Vec<usize> = lines.bad.iter().map(|(l, _)| *l).collect();
                found.extend(chain_problems(&feed, &item, &lines.good, &bad));
                found.sort_by_key(|(line, _)| *line);
                for (line, problem) in found {
                    report.problems.push(format!("{shown}:{line}: {problem}"));
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
                            report.problems.push(format!(
                                "{at}: recorded size of {role} is {} bytes, the object has {len} (its bytes match its hash)",
                                blob.size
                            ));
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
                report
                    .problems
                    .push(format!("{shown}: object bytes altered ({role} of {at})"));
                None
            }
            Err(_) => {
                report
                    .problems
                    .push(format!("{shown}: object missing ({role} of {at})"));
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
