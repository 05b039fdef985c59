//! `regwatch verify`: re-derive every hash and link of the store.

use std::collections::HashSet;
use std::fs;

use serde::Serialize;

use super::{Store, StoreError, Version, parse_history};

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
        let mut good_objects: HashSet<String> = HashSet::new();
        let mut bad_objects: HashSet<String> = HashSet::new();
        for feed in self.feed_ids()? {
            for item in self.item_keys(&feed)? {
                report.items += 1;
                let path = self.history_path(&feed, &item);
                let text = fs::read_to_string(&path)
                    .map_err(|e| StoreError::io("cannot read", &path, e))?;
                let history = match parse_history(&path, &text) {
                    Ok(h) => h,
                    Err(e) => {
                        report.problems.push(e.to_string());
                        continue;
                    }
                };
                let shown = path
                    .strip_prefix(self.root())
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                let mut prev: Option<&Version> = None;
                for (i, v) in history.iter().enumerate() {
                    report.versions += 1;
                    let at = format!("{shown}:{}", i + 1);
                    if v.feed != feed || v.item != item {
                        report.problems.push(format!(
                            "{at}: records {}/{} but is filed under {feed}/{item}",
                            v.feed, v.item
                        ));
                    }
                    if v.seq as usize != i + 1 {
                        report.problems.push(format!(
                            "{at}: version number {} out of sequence (expected {})",
                            v.seq,
                            i + 1
                        ));
                    }
                    if v.compute_hash() != v.hash {
                        report
                            .problems
                            .push(format!("{at}: version record was altered (hash mismatch)"));
                    }
                    let expected_prev = prev.map(|p| p.hash.as_str());
                    if v.prev.as_deref() != expected_prev {
                        report.problems.push(format!(
                            "{at}: hash chain broken (a version before it is missing or altered)"
                        ));
                    }
                    for (role, blob) in [
                        ("content", Some(&v.content)),
                        ("metadata", v.metadata.as_ref()),
                        ("raw", v.raw.as_ref()),
                    ] {
                        let Some(blob) = blob else { continue };
                        if good_objects.contains(&blob.hash) {
                            continue;
                        }
                        let object = self.object_path(&blob.hash);
                        let shown_obj = object
                            .strip_prefix(self.root())
                            .unwrap_or(&object)
                            .display()
                            .to_string();
                        match fs::read(&object) {
                            Ok(bytes)
                                if blake3::hash(&bytes).to_hex().as_str() == blob.hash
                                    && bytes.len() as u64 == blob.size =>
                            {
                                good_objects.insert(blob.hash.clone());
                            }
                            Ok(_) => {
                                if bad_objects.insert(blob.hash.clone()) {
                                    report.problems.push(format!(
                                        "{shown_obj}: object altered ({role} of {at})"
                                    ));
                                }
                            }
                            Err(_) => {
                                if bad_objects.insert(blob.hash.clone()) {
                                    report.problems.push(format!(
                                        "{shown_obj}: object missing ({role} of {at})"
                                    ));
                                }
                            }
                        }
                    }
                    prev = Some(v);
                }
            }
        }
        report.objects = good_objects.len() + bad_objects.len();
        Ok(report)
    }
}
