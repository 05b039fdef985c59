//! Whole documents: metadata, and the documents a collection contains.
//!
//! A daily Federal Register issue or an API search response is a
//! collection; its documents are matched by FR document number (then FR
//! citation, then title), each matched pair is compared like any two
//! documents, and the rest are `document_added` / `document_removed`.

use std::collections::HashMap;

use super::normalize::{classify, normalize};
use super::words::{excerpt_pair, shorten, word_diff};
use super::{
    Change, ChangeKind, Diff, DocumentFinding, Evidence, Finding, Flag, FormattingChange,
    FormattingScope, dates, ear_tables, eccns, lists, provisions,
};
use crate::model::Document;

/// Compares two versions of one document (recursing into collections)
/// and appends every finding to `diff`. `label` names the contained
/// document when this is one.
pub fn compare_document(before: &Document, after: &Document, label: Option<&str>, diff: &mut Diff) {
    compare_meta(before, after, label, diff);
    let moves = provisions::compare(&before.provisions, &after.provisions, label, diff);
    lists::compare(before, after, &moves, label, diff);
    eccns::compare(before, after, label, diff);
    eccns::compare_defined_exceptions(before, after, label, diff);
    dates::compare(before, after, label, diff);
    ear_tables::compare(before, after, label, diff);
    compare_children(before, after, diff);
}

/// How a contained document is recognised across versions.
pub fn identity(d: &Document) -> Option<String> {
    d.meta
        .document_number
        .clone()
        .or_else(|| d.meta.fr_citation.clone())
        .or_else(|| d.meta.title.clone())
}

/// What a finding records about a whole document: its type, number,
/// title and citation, and its action line (or the start of its summary).
fn document_finding(d: &Document, evidence: Evidence) -> DocumentFinding {
    DocumentFinding {
        doc_type: Some(d.meta.kind),
        number: d.meta.document_number.clone(),
        title: d.meta.title.clone(),
        citation: d.meta.fr_citation.clone(),
        evidence,
    }
}

/// The flag announcing a document that is new (in a collection, or as a
/// new item of a feed).
pub fn document_added(d: &Document) -> Flag {
    let evidence = Evidence {
        before: None,
        after: d
            .meta
            .action
            .clone()
            .or_else(|| d.meta.summary.as_deref().map(|s| shorten(s, 300))),
    };
    Flag::new(
        Finding::DocumentAdded(document_finding(d, evidence)),
        identity(d).as_deref(),
    )
}

fn compare_children(before: &Document, after: &Document, diff: &mut Diff) {
    if before.documents.is_empty() && after.documents.is_empty() {
        return;
    }
    let mut old: HashMap<String, &Document> = HashMap::new();
    for d in &before.documents {
        if let Some(id) = identity(d) {
            old.entry(id).or_insert(d);
        }
    }
    let mut seen: HashMap<String, ()> = HashMap::new();
    for d in &after.documents {
        let Some(id) = identity(d) else { continue };
        if seen.insert(id.clone(), ()).is_some() {
            continue;
        }
        match old.get(&id) {
            Some(b) => compare_document(b, d, Some(&id), diff),
            None => diff.flags.push(document_added(d)),
        }
    }
    for d in &before.documents {
        let Some(id) = identity(d) else { continue };
        if seen.contains_key(&id) {
            continue;
        }
        seen.insert(id.clone(), ());
        let evidence = Evidence {
            before: d.meta.action.clone(),
            after: None,
        };
        diff.flags.push(Flag::new(
            Finding::DocumentRemoved(document_finding(d, evidence)),
            Some(&id),
        ));
    }
}

/// Title, action and summary: reworded ones are changes, retypeset ones
/// formatting. (Identifiers are compared by the parser's normalised form.)
fn compare_meta(before: &Document, after: &Document, label: Option<&str>, diff: &mut Diff) {
    let fields = [
        ("Title", &before.meta.title, &after.meta.title),
        ("Action", &before.meta.action, &after.meta.action),
        ("Summary", &before.meta.summary, &after.meta.summary),
    ];
    for (name, b, a) in fields {
        let (b, a) = match (b, a) {
            (Some(b), Some(a)) => (b, a),
            (None, None) => continue,
            // A field that appears or disappears is a change of its own.
            (b, a) => {
                let kind = if a.is_some() {
                    ChangeKind::Added
                } else {
                    ChangeKind::Removed
                };
                diff.changes.push(Change {
                    document: label.map(str::to_string),
                    before: b.clone(),
                    after: a.clone(),
                    ..Change::new(kind, name.to_string())
                });
                continue;
            }
        };
        if b == a {
            continue;
        }
        if normalize(b) == normalize(a) {
            let (eb, ea) = excerpt_pair(b, a);
            diff.formatting_only.push(FormattingChange {
                scope: FormattingScope::Metadata,
                document: label.map(str::to_string),
                provision: Some(name.to_string()),
                kinds: classify(b, a),
                places: 1,
                example: Evidence {
                    before: Some(eb),
                    after: Some(ea),
                },
            });
            continue;
        }
        diff.changes.push(Change {
            document: label.map(str::to_string),
            before: Some(b.clone()),
            after: Some(a.clone()),
            words: word_diff(b, a),
            ..Change::new(ChangeKind::Modified, name.to_string())
        });
    }
}
