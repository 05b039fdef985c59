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
    FormattingScope, OtherDocumentDate, dates, ear_tables, eccns, lists, policies, provisions,
    terms,
};
use crate::model::{DateKind, Document};

/// Compares two versions of one document (recursing into collections)
/// and appends every finding to `diff`. `label` names the contained
/// document when this is one.
pub fn compare_document(before: &Document, after: &Document, label: Option<&str>, diff: &mut Diff) {
    compare_meta(before, after, label, diff);
    let first = diff.changes.len();
    let moves = provisions::compare(&before.provisions, &after.provisions, label, diff);
    // Review policies are read from the provisions just matched.
    let policies = policies::compare(&diff.changes[first..], label);
    diff.flags.extend(policies);
    diff.flags.extend(terms::compare(before, after, label));
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

/// The flags a new document adds beside `document_added`: each date it
/// changes of another document (`changed_from` and `of_document` set), as
/// `effective_date_changed` / `compliance_date_changed`, for it and the
/// documents it contains.
pub fn other_documents_dates(d: &Document) -> Vec<Flag> {
    let mut out = Vec::new();
    let by = identity(d);
    for f in &d.dates {
        let (Some(before), Some(of)) = (f.changed_from, &f.of_document) else {
            continue;
        };
        let found = OtherDocumentDate {
            of_document: of.clone(),
            before,
            after: f.date,
            days: (f.date - before).num_days(),
            by: by.clone(),
            provision: f.found_in.clone(),
            evidence: Evidence {
                before: None,
                after: Some(f.evidence.clone()),
            },
        };
        let finding = match f.kind {
            DateKind::Effective => Finding::EffectiveDateChanged(found),
            DateKind::Compliance => Finding::ComplianceDateChanged(found),
            _ => continue,
        };
        out.push(Flag::new(finding, by.as_deref()));
    }
    for inner in &d.documents {
        out.extend(other_documents_dates(inner));
    }
    out
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
            None => {
                diff.flags.push(document_added(d));
                diff.flags.extend(other_documents_dates(d));
            }
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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::other_documents_dates;
    use crate::diff::{Finding, OtherDocumentDate};
    use crate::model::{DateKind, Document};
    use crate::parse::{Input, ParseError, parse};

    /// A one-notice FR XML document whose DATES section is `dates`.
    fn notice(dates: &str) -> Result<Document, ParseError> {
        let xml = format!(
            "<?xml version=\"1.0\"?>\n<RULE><PREAMB><AGENCY>BUREAU OF CONSUMER FINANCIAL PROTECTION</AGENCY><SUBJECT>Delay of effective date</SUBJECT>\n<DATES><HD SOURCE=\"HED\">DATES:</HD><P>{dates}</P></DATES></PREAMB>\n<FRDOC>[FR Doc. 2015-18239 Filed 7-23-15; 8:45 am]</FRDOC></RULE>\n"
        );
        parse(&Input {
            name: Some("notice.xml"),
            ..Input::new(xml.as_bytes())
        })
    }

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn a_new_notice_delaying_a_named_rule_is_news_about_that_rule()
    -> Result<(), Box<dyn std::error::Error>> {
        // The CFPB sentence of the issue, naming the rule it delays (the
        // TILA-RESPA rule, 78 FR 79730).
        let doc = notice(
            "The Bureau delays the effective date of the TILA-RESPA Integrated Disclosure rule (78 FR 79730) from August 1, 2015, until October 3, 2015.",
        )?;
        let flags = other_documents_dates(&doc);
        assert_eq!(flags.len(), 1, "{flags:?}");
        let Finding::EffectiveDateChanged(o) = &flags[0].finding else {
            panic!("not effective_date_changed: {flags:?}");
        };
        let OtherDocumentDate {
            of_document,
            before,
            after,
            days,
            by,
            evidence,
            ..
        } = o;
        assert_eq!(of_document, "78 FR 79730");
        assert_eq!(
            (Some(*before), Some(*after)),
            (ymd(2015, 8, 1), ymd(2015, 10, 3))
        );
        assert_eq!(*days, 63);
        assert_eq!(by.as_deref(), Some("2015-18239"));
        assert_eq!(flags[0].document.as_deref(), Some("2015-18239"));
        assert!(
            evidence
                .after
                .as_deref()
                .is_some_and(|e| e.contains("78 FR 79730"))
        );
        // The new date is the other rule's, not the notice's own.
        assert_eq!(doc.date(DateKind::Effective), None);
        let json = serde_json::to_value(&flags[0])?;
        assert_eq!(json["kind"], "effective_date_changed");
        assert_eq!(json["of_document"], "78 FR 79730");
        Ok(())
    }

    #[test]
    fn a_delay_notice_added_to_a_collection_is_news_about_the_rule()
    -> Result<(), Box<dyn std::error::Error>> {
        let notice = notice(
            "The effective date of the final rule in FR Doc. 2024-19633 is delayed from November 5, 2024, until January 6, 2025.",
        )?;
        let before = Document::new(notice.format);
        let mut after = Document::new(notice.format);
        after.documents.push(notice);
        let diff = crate::diff::compare(&before, &after);
        let kinds: Vec<&str> = diff.flags.iter().map(|f| f.kind().as_str()).collect();
        assert_eq!(kinds, ["document_added", "effective_date_changed"]);
        let Finding::EffectiveDateChanged(o) = &diff.flags[1].finding else {
            panic!("{:?}", diff.flags);
        };
        assert_eq!(o.of_document, "FR Doc. 2024-19633");
        assert_eq!(
            (Some(o.before), Some(o.after)),
            (ymd(2024, 11, 5), ymd(2025, 1, 6))
        );
        Ok(())
    }

    #[test]
    fn a_delay_that_names_no_other_rule_is_no_news_about_one()
    -> Result<(), Box<dyn std::error::Error>> {
        // The sentence as written: the notice's own date.
        let doc = notice(
            "This final rule delays the effective date from August 1, 2015, until October 3, 2015.",
        )?;
        assert!(other_documents_dates(&doc).is_empty());
        assert_eq!(
            doc.date(DateKind::Effective).map(|f| f.date),
            ymd(2015, 10, 3)
        );
        Ok(())
    }
}
