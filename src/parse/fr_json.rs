//! Federal Register API JSON: one document (`/api/v1/documents/N.json`),
//! a search response (`{"results": […]}`), or a saved array of records.
//!
//! Structured fields (`publication_date`, `effective_on`,
//! `comments_close_on`) become API-sourced dates that win over text; the
//! `dates` sentence is parsed too, so a disagreement can be reported.

use serde_json::Value;

use super::dates;
use super::fr_xml::agency_case;
use super::patterns::RIN;
use super::text;
use crate::model::{DateKind, DocKind, Document, Provision, ProvisionKind, SourceFormat};

fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// Whether a JSON value looks like an FR API document record.
pub(crate) fn is_record(v: &Value) -> bool {
    v.get("document_number").is_some()
}

/// Parses a search response or an array of records into a collection.
pub(crate) fn collection(v: &Value) -> Document {
    let mut doc = Document::new(SourceFormat::FrApiSearch);
    doc.meta.kind = DocKind::Collection;
    let results = v
        .get("results")
        .and_then(Value::as_array)
        .or_else(|| v.as_array());
    if let Some(count) = v.get("count").and_then(Value::as_u64) {
        doc.meta.title = Some(format!("Federal Register search: {count} documents"));
    }
    if let Some(next) = str_field(v, "next_page_url") {
        doc.meta.source_urls.push(next.to_string());
    }
    for (i, r) in results.into_iter().flatten().enumerate() {
        if is_record(r) {
            doc.documents.push(record(r));
        } else {
            doc.warnings
                .push(format!("result {i} has no document_number; skipped"));
        }
    }
    doc
}

/// Parses one API document record.
pub(crate) fn record(v: &Value) -> Document {
    let mut doc = Document::new(SourceFormat::FrApiJson);
    let m = &mut doc.meta;
    m.title = str_field(v, "title").map(text::clean);
    m.kind = match str_field(v, "type") {
        Some("Rule") => DocKind::Rule,
        Some("Proposed Rule") => DocKind::ProposedRule,
        Some("Notice") => DocKind::Notice,
        Some("Presidential Document") => DocKind::PresidentialDocument,
        _ => DocKind::Unknown,
    };
    m.action = str_field(v, "action").map(text::clean);
    m.document_number = str_field(v, "document_number").map(text::ident);
    m.fr_citation = str_field(v, "citation").map(text::clean);
    m.start_page = v
        .get("start_page")
        .and_then(Value::as_u64)
        .and_then(|p| u32::try_from(p).ok());
    if m.fr_citation.is_none()
        && let (Some(vol), Some(p)) = (v.get("volume").and_then(Value::as_u64), m.start_page)
    {
        m.fr_citation = Some(format!("{vol} FR {p}"));
    }
    m.summary = str_field(v, "abstract").map(text::clean);
    for a in v
        .get("agencies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = str_field(a, "name")
            .or_else(|| str_field(a, "raw_name"))
            .map(agency_case);
        if let Some(n) = name
            && !m.agencies.contains(&n)
        {
            m.agencies.push(n);
        }
    }
    let mut rins: Vec<String> = v
        .get("regulation_id_numbers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(text::ident)
        .collect();
    if let Some(info) = v
        .get("regulation_id_number_info")
        .and_then(Value::as_object)
    {
        rins.extend(info.keys().map(|k| text::ident(k)));
    }
    for r in rins {
        if RIN.is_match(&r) && !m.rins.contains(&r) {
            m.rins.push(r);
        }
    }
    m.dockets = v
        .get("docket_ids")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|d| {
            text::ident(
                d.trim_start_matches("Docket No.")
                    .trim_start_matches("Docket Number"),
            )
        })
        .collect();
    for c in v
        .get("cfr_references")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let title = c.get("title").map(|t| match t {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            _ => String::new(),
        });
        let part = c.get("part").map(|p| match p {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            _ => String::new(),
        });
        if let (Some(t), Some(p)) = (title, part)
            && !t.is_empty()
            && !p.is_empty()
        {
            let cite = format!("{t} CFR {p}");
            if !m.cfr_parts.contains(&cite) {
                m.cfr_parts.push(cite);
            }
        }
    }
    for key in ["html_url", "pdf_url", "full_text_xml_url", "json_url"] {
        if let Some(u) = str_field(v, key) {
            m.source_urls.push(u.to_string());
        }
    }
    for (key, kind) in [
        ("publication_date", DateKind::Published),
        ("effective_on", DateKind::Effective),
        ("comments_close_on", DateKind::CommentsClose),
    ] {
        match v.get(key) {
            Some(Value::String(s)) => match dates::parse_one(s) {
                Some(d) => dates::push_unique(&mut doc.dates, dates::api_fact(kind, d, key, s)),
                None => doc.warnings.push(format!("{key} {s:?} is not a date")),
            },
            Some(Value::Null) | None => {}
            Some(other) => doc
                .warnings
                .push(format!("{key} is {other}, not a date string")),
        }
    }
    if let Some(p) = doc.date(DateKind::Published).map(|f| f.date) {
        doc.meta.publication_date = Some(p);
    }
    if let (Some(p), Some(e)) = (
        doc.meta.publication_date,
        doc.date(DateKind::Effective).map(|f| f.date),
    ) && e < p
    {
        doc.warnings.push(format!(
            "effective date {e} is before publication {p} (retroactive effect)"
        ));
    }
    if let Some(d) = str_field(v, "dates") {
        let mut p = Provision::new("DATES", ProvisionKind::Preamble, None);
        p.push_text(&text::clean(d));
        doc.provisions.push(p);
    }
    if let Some(s) = doc.meta.summary.clone() {
        let mut p = Provision::new("SUMMARY", ProvisionKind::Preamble, None);
        p.push_text(&s);
        doc.provisions.push(p);
    }
    doc
}

/// Merges a stored FR version: `api` (the document's API record) supplies
/// identifiers and structured dates; `text` (its full-text XML) supplies
/// provisions and text dates. Identifier fields the XML lacks are filled.
pub(crate) fn merge(api: Document, mut text_doc: Document) -> Document {
    let a = api.meta;
    let m = &mut text_doc.meta;
    m.title = a.title.or(m.title.take());
    if a.kind != DocKind::Unknown {
        m.kind = a.kind;
    }
    m.action = m.action.take().or(a.action);
    m.document_number = a.document_number.or(m.document_number.take());
    m.fr_citation = a.fr_citation.or(m.fr_citation.take());
    m.start_page = a.start_page.or(m.start_page);
    m.publication_date = a.publication_date.or(m.publication_date);
    m.summary = m.summary.take().or(a.summary);
    // The XML names agencies as printed ("Bureau of Industry and
    // Security"); the API's catalogue names ("Industry and Security
    // Bureau") would only duplicate them.
    if m.agencies.is_empty() {
        m.agencies = a.agencies;
    }
    for (into, from) in [
        (&mut m.rins, a.rins),
        (&mut m.dockets, a.dockets),
        (&mut m.cfr_parts, a.cfr_parts),
        (&mut m.source_urls, a.source_urls),
    ] {
        for x in from {
            if !into.contains(&x) {
                into.push(x);
            }
        }
    }
    let mut dates = api.dates;
    dates.extend(std::mem::take(&mut text_doc.dates));
    text_doc.dates = dates;
    text_doc.warnings.extend(api.warnings);
    if text_doc.provisions.is_empty() {
        text_doc.provisions = api.provisions;
    }
    text_doc
}
