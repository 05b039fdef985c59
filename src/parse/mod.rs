//! Parse stage: stored bytes → [`Document`](crate::model::Document).
//!
//! One entry point, [`parse`], takes an [`Input`] (bytes plus whatever the
//! store knows: content type, URL, the FR API record kept beside a full
//! text, the source the fetcher recorded) and returns the model. A stored
//! version says what fetched it and, when the fetcher knew, the format of
//! its content ([`SourceInfo`]); the parser dispatches on that. Only input
//! without it (an ad-hoc file, a version stored before sources were
//! recorded) is sniffed (root element, JSON shape, Markdown markers), and
//! JSON is taken for Federal Register API JSON only when it comes from no
//! feed, a `file` feed or the `federal_register` feed. Every format parser
//! builds structure only —
//! meta, provisions, amendments, CCL entries, country-group tables — and
//! [`finish`] then extracts dates, entities and lists the same way for all
//! of them.
//!
//! Parsing never panics on bad input: malformed XML/JSON gives a
//! [`ParseError`] with line and column; odd but readable input gives a
//! model with `warnings`.

mod blocks;
mod cfr_xml;
mod country_chart;
mod dates;
mod ear_tables;
mod entities;
mod entity_list;
mod error;
mod fr_json;
mod fr_xml;
mod html;
mod paragraphs;
mod patterns;
mod plain;
pub mod stored;
mod supplements;
pub mod text;
mod xml;

use std::collections::HashMap;

use serde_json::Value;

pub use entities::places_named;
pub use error::ParseError;

use crate::fetch::{ContentFormat, SourceInfo, SourceKind};

use crate::model::{
    DateConflict, DateFact, DateKind, DateSource, DocKind, Document, Provision, ProvisionKind,
    SourceFormat,
};
use dates::Scope;

/// What to parse, with the hints the caller has.
#[derive(Debug, Clone, Copy, Default)]
pub struct Input<'a> {
    /// The bytes as stored or fetched.
    pub bytes: &'a [u8],
    /// HTTP content type, when known.
    pub content_type: Option<&'a str>,
    /// File name or URL, for format hints (`.md`, `.txt`).
    pub name: Option<&'a str>,
    /// CSS selector narrowing an HTML page.
    pub selector: Option<&'a str>,
    /// An FR API document record kept beside a full text: its structured
    /// dates and identifiers are merged into the model.
    pub metadata: Option<&'a [u8]>,
    /// Publication date known from elsewhere (the feed entry), used when
    /// the document states none, e.g. to resolve "30 days after publication".
    pub published: Option<chrono::NaiveDate>,
    /// The feed kind and content format the fetcher recorded; `None` for
    /// an ad-hoc file (the format is then sniffed).
    pub source: Option<SourceInfo>,
}

impl<'a> Input<'a> {
    /// Input from bytes alone.
    pub fn new(bytes: &'a [u8]) -> Input<'a> {
        Input {
            bytes,
            ..Input::default()
        }
    }
}

/// Parses any supported input into a finished [`Document`].
pub fn parse(input: &Input<'_>) -> Result<Document, ParseError> {
    let mut doc = unfinished(input)?;
    finish(&mut doc);
    Ok(doc)
}

/// Parses two versions of a document, each exactly as [`parse`] would,
/// side by side, doing once what the two have in common: a contained
/// document (a rule or notice of an FR issue) that reads the same on both
/// sides before its dates and entities are found gets them found once and
/// copied. Two printings of one issue mostly differ in typography that
/// the text already evens out, so most of the second side's work is
/// skipped.
pub fn parse_pair(
    old: &Input<'_>,
    new: &Input<'_>,
) -> (Result<Document, ParseError>, Result<Document, ParseError>) {
    let (a, b) = std::thread::scope(|scope| {
        // The name matchers (a few milliseconds to build, once per
        // process) are built on a third thread while both sides read XML,
        // instead of one parser waiting for the other to build them.
        spawn_parser(scope, entities::prepare);
        let a = spawn_parser(scope, || unfinished(old));
        let b = unfinished(new);
        // A panic is a bug of ours, not a fault of the file: it goes on
        // up as a panic (the CLI reports it as an internal error).
        let a = match a {
            Some(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => unfinished(old),
        };
        (a, b)
    });
    match (a, b) {
        (Ok(mut a), Ok(mut b)) => {
            finish_pair(&mut a, &mut b);
            (Ok(a), Ok(b))
        }
        (a, b) => {
            let done = |r: Result<Document, ParseError>| {
                r.map(|mut d| {
                    finish(&mut d);
                    d
                })
            };
            (done(a), done(b))
        }
    }
}

/// [`finish`] of two versions, sharing the contained documents that are
/// equal on both sides (see [`parse_pair`]).
fn finish_pair(a: &mut Document, b: &mut Document) {
    // The twin of each of b's documents in a: the one at the same place,
    // else the one with the same FR document number, if it is equal.
    let by_number: HashMap<&str, usize> = a
        .documents
        .iter()
        .enumerate()
        .filter_map(|(i, d)| Some((d.meta.document_number.as_deref()?, i)))
        .collect();
    let twins: Vec<Option<usize>> = b
        .documents
        .iter()
        .enumerate()
        .map(|(j, d)| {
            let at = |i: usize| a.documents.get(i).filter(|x| *x == d).map(|_| i);
            at(j).or_else(|| {
                let i = *by_number.get(d.meta.document_number.as_deref()?)?;
                at(i)
            })
        })
        .collect();
    let mut work: Vec<&mut Document> = a.documents.iter_mut().collect();
    work.extend(
        b.documents
            .iter_mut()
            .zip(&twins)
            .filter(|(_, twin)| twin.is_none())
            .map(|(d, _)| d),
    );
    on_cores(work, finish);
    for (d, twin) in b.documents.iter_mut().zip(&twins) {
        if let Some(done) = twin.and_then(|i| a.documents.get(i)) {
            *d = done.clone();
        }
    }
    on_cores(vec![a, b], finish_own);
}

/// Everything [`parse`] does before [`finish`].
fn unfinished(input: &Input<'_>) -> Result<Document, ParseError> {
    let (text, warning) = text::decode_borrowed(input.bytes);
    let mut doc = structure(&text, input)?;
    if let Some(meta) = input.metadata {
        let (meta_text, _) = text::decode_borrowed(meta);
        match serde_json::from_str::<Value>(&meta_text) {
            Ok(v) if fr_json::is_record(&v) && doc.format != SourceFormat::FrApiJson => {
                doc = fr_json::merge(fr_json::record(&v), doc);
            }
            Ok(_) => {}
            Err(e) => doc
                .warnings
                .push(format!("metadata is not valid JSON ({e}); ignored")),
        }
    }
    if let Some(w) = warning {
        doc.warnings.insert(0, w);
    }
    if let Some(p) = input.published
        && doc.meta.publication_date.is_none()
        && doc.meta.kind != DocKind::Collection
    {
        doc.meta.publication_date = Some(p);
    }
    Ok(doc)
}

/// Parses, insisting on one format (the CLI's `--as`).
pub fn parse_as(format: SourceFormat, input: &Input<'_>) -> Result<Document, ParseError> {
    let (text, _) = text::decode_borrowed(input.bytes);
    let mut doc = match format {
        // Any text can be read as text or Markdown.
        SourceFormat::Text => plain::parse(&text, false),
        SourceFormat::Markdown => plain::parse(&text, true),
        _ => {
            let doc = structure(&text, input)?;
            // Compare with what the input turned out to be, not a first guess.
            if doc.format != format {
                return Err(ParseError::WrongFormat {
                    expected: format.as_str(),
                    found: format!("the input is {}", doc.format.as_str()),
                });
            }
            doc
        }
    };
    if let Some(p) = input.published
        && doc.meta.publication_date.is_none()
    {
        doc.meta.publication_date = Some(p);
    }
    finish(&mut doc);
    Ok(doc)
}

/// Returns the text without a byte-order mark and leading space, or why it
/// is no document at all (empty, binary), whatever its format.
fn readable(text: &str) -> Result<&str, ParseError> {
    let t = text.trim_start_matches('\u{FEFF}').trim_start();
    if t.is_empty() {
        return Err(ParseError::Empty);
    }
    // An executable, image or archive is not a document: refuse it rather
    // than print its bytes as a "title".
    let sample: Vec<char> = t.chars().take(8192).collect();
    let control = sample
        .iter()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}'))
        .count();
    if sample.contains(&'\0') || control * 20 > sample.len() {
        return Err(ParseError::Unrecognized(
            "binary input (control bytes), not a regulation document".into(),
        ));
    }
    Ok(t)
}

/// The format to parse as: the one the fetcher recorded, else sniffed
/// ([`detect`]). JSON sniffed in a page of an `rss` or `html` feed is read
/// as text: only the Federal Register fetcher (or a file) stores FR JSON.
fn format_of(text: &str, input: &Input<'_>) -> Result<SourceFormat, ParseError> {
    let Some(source) = input.source else {
        return detect(text, input);
    };
    readable(text)?;
    Ok(match source.format {
        Some(ContentFormat::FrApiJson | ContentFormat::FeedEntry) => SourceFormat::FrApiJson,
        // The XML root element then says which document it is.
        Some(ContentFormat::FrXml | ContentFormat::EcfrXml) => SourceFormat::FrXml,
        Some(ContentFormat::Html) => SourceFormat::Html,
        Some(ContentFormat::Text) => SourceFormat::Text,
        None => match detect(text, input)? {
            SourceFormat::FrApiJson
                if matches!(source.kind, SourceKind::Rss | SourceKind::Html) =>
            {
                SourceFormat::Text
            }
            sniffed => sniffed,
        },
    })
}

/// Detects the format of decoded input.
pub fn detect(text: &str, input: &Input<'_>) -> Result<SourceFormat, ParseError> {
    let t = readable(text)?;
    let head_raw = &t[..text::floor_char_boundary(t, 2048)];
    let head = head_raw.to_ascii_lowercase();
    let ct = input.content_type.unwrap_or("").to_ascii_lowercase();
    let name = input.name.unwrap_or("").to_ascii_lowercase();
    if t.starts_with('{') || t.starts_with('[') {
        return Ok(SourceFormat::FrApiJson); // refined by `structure`
    }
    if t.starts_with('<') {
        // XML formats use upper-case tags (FEDREG, DIV5, CFRGRANULE); HTML
        // says so or uses lower-case ones.
        let says_html = head.contains("<!doctype html") || head_raw.contains("<html");
        // Looked for in the head first: splitting the whole text on "<?"
        // reads all of it when it has a single declaration.
        let first_tag_in = |t: &'_ str| -> Option<char> {
            t.trim_start_matches(|c: char| c != '<')
                .split("<?")
                .filter(|s| !s.is_empty())
                .flat_map(|s| s.split('<'))
                .find_map(|s| s.chars().next().filter(|c| c.is_alphabetic()))
        };
        let first_tag = first_tag_in(head_raw).or_else(|| first_tag_in(t));
        let upper = first_tag.is_some_and(|c| c.is_ascii_uppercase());
        if says_html || (!upper && (ct.contains("html") || !t.starts_with("<?xml"))) {
            return Ok(SourceFormat::Html);
        }
        return Ok(SourceFormat::FrXml); // refined by `structure`
    }
    let markdown = name.ends_with(".md")
        || name.ends_with(".markdown")
        || ct.contains("markdown")
        || t.lines().take(200).any(|l| {
            let l = l.trim_start();
            l.starts_with("# ")
                || l.starts_with("## ")
                // eCFR sections rendered to Markdown: "##### § 740.2 … #####".
                || (l.starts_with("#####") && l.trim_start_matches('#').starts_with(" §"))
                || l.starts_with("**")
                || l.starts_with("- **")
        });
    Ok(if markdown {
        SourceFormat::Markdown
    } else {
        SourceFormat::Text
    })
}

/// The content of an `rss` item without `follow_links`: the feed entry
/// record the fetcher wrote (`id`, `title`, `link`, dates, `summary`).
fn feed_entry(v: &Value) -> Option<crate::fetch::FeedEntry> {
    if !v.is_object() {
        return None;
    }
    let e: crate::fetch::FeedEntry = serde_json::from_value(v.clone()).ok()?;
    (e.title.is_some() || e.summary.is_some() || e.link.is_some()).then_some(e)
}

/// A feed entry as a report: its title, its summary (HTML or text) as the
/// body, its link as the source.
fn entry_document(e: crate::fetch::FeedEntry) -> Result<Document, ParseError> {
    let summary = e.summary.unwrap_or_default();
    let mut doc = if summary.contains('<') {
        html::parse(&summary, None)?
    } else {
        plain::parse(&summary, false)
    };
    doc.meta.kind = DocKind::Report;
    if let Some(t) = e.title.map(|t| text::clean(&t)).filter(|t| !t.is_empty()) {
        doc.meta.title = Some(t);
    }
    if let Some(link) = e.link {
        doc.meta.source_urls.push(link);
    }
    Ok(doc)
}

/// Builds structure (no dates, entities or lists yet).
fn structure(text: &str, input: &Input<'_>) -> Result<Document, ParseError> {
    let mut salvaged = None;
    let mut doc = match format_of(text, input)? {
        SourceFormat::FrApiJson | SourceFormat::FrApiSearch => {
            let v: Value = serde_json::from_str(text).map_err(|e| ParseError::Json {
                line: e.line(),
                column: e.column(),
                message: json_message(&e),
            })?;
            let recorded = input.source.and_then(|s| s.format);
            if recorded == Some(ContentFormat::FeedEntry) {
                match feed_entry(&v) {
                    Some(entry) => entry_document(entry)?,
                    None => {
                        return Err(ParseError::Unrecognized(
                            "feed entry record with no title, summary or link".into(),
                        ));
                    }
                }
            } else if recorded == Some(ContentFormat::FrApiJson) {
                if !fr_json::is_record(&v) {
                    return Err(ParseError::Unrecognized(
                        "JSON that is not a Federal Register API document (no \"document_number\")"
                            .into(),
                    ));
                }
                fr_json::record(&v)
            } else if fr_json::is_record(&v) {
                fr_json::record(&v)
            } else if v.get("results").is_some_and(Value::is_array)
                || v.as_array()
                    .is_some_and(|a| a.iter().any(fr_json::is_record))
            {
                fr_json::collection(&v)
            } else if let Some(entry) = feed_entry(&v) {
                entry_document(entry)?
            } else {
                return Err(ParseError::Unrecognized(
                    "JSON that is neither a Federal Register API document (no \"document_number\") nor a search response (no \"results\")".into(),
                ));
            }
        }
        SourceFormat::Html => html::parse(text, input.selector)?,
        SourceFormat::Markdown => plain::parse(text, true),
        SourceFormat::Text => plain::parse(text, false),
        _ => {
            let root = match xml::parse(text) {
                Ok(root) => root,
                Err(e @ ParseError::Xml { line, .. }) => match fr_xml::salvage(text, line) {
                    Some(root) => {
                        salvaged = Some(format!(
                            "{e}; kept the Federal Register document as read before line {line}"
                        ));
                        root
                    }
                    None => return Err(e),
                },
                Err(e) => return Err(e),
            };
            match root.tag() {
                "FEDREG" => fr_xml::issue(&root),
                n if fr_xml::DOCUMENT_ELEMENTS.contains(&n) => fr_xml::document(&root),
                "DLPSTEXTCLASS" | "ECFR" => {
                    let mut d = Document::new(SourceFormat::EcfrXml);
                    cfr_xml::parse_ecfr(&root, &mut d);
                    d
                }
                n if n.starts_with("DIV") && n.len() == 4 => {
                    let mut d = Document::new(SourceFormat::EcfrXml);
                    cfr_xml::parse_ecfr(&root, &mut d);
                    d
                }
                "CFRGRANULE" | "CFRDOC" | "PART" => {
                    let mut d = Document::new(SourceFormat::CfrXml);
                    cfr_xml::parse_annual(&root, &mut d);
                    d
                }
                "html" | "HTML" => html::parse(text, input.selector)?,
                other => {
                    return Err(ParseError::Unrecognized(format!(
                        "XML root <{other}> is not a Federal Register (FEDREG, RULE, PRORULE, NOTICE), eCFR (DLPSTEXTCLASS, DIV1…DIV9) or CFR (CFRGRANULE, PART) document"
                    )));
                }
            }
        }
    };
    if let Some(w) = salvaged {
        doc.warnings.insert(0, w);
    }
    // eCFR versioner parts do not name their title; their URL does.
    if let Some(title) = input.name.and_then(ecfr_title_from_url) {
        for p in &mut doc.meta.cfr_parts {
            if let Some(part) = p.strip_prefix("part ") {
                *p = format!("{title} CFR {part}");
            }
        }
    }
    if let Some(name) = input
        .name
        .filter(|n| n.starts_with("http://") || n.starts_with("https://"))
        && !doc.meta.source_urls.iter().any(|u| u == name)
    {
        doc.meta.source_urls.insert(0, name.to_string());
    }
    Ok(doc)
}

/// serde_json's message without its own " at line L column C" suffix.
fn json_message(e: &serde_json::Error) -> String {
    let m = e.to_string();
    match m.rfind(" at line ") {
        Some(i) => m[..i].to_string(),
        None => m,
    }
}

/// `…/title-15.xml?part=740` → `15`.
fn ecfr_title_from_url(url: &str) -> Option<String> {
    let i = url.find("title-")?;
    let digits: String = url[i + 6..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then_some(digits)
}

/// Extracts dates, conflicts, entities and lists; makes provision ids
/// unique. Runs on every document of a collection.
pub fn finish(doc: &mut Document) {
    on_cores(doc.documents.iter_mut().collect(), finish);
    finish_own(doc);
}

/// [`finish`] of the document itself, its contained ones already done.
fn finish_own(doc: &mut Document) {
    dedupe_ids(&mut doc.provisions);
    let published = doc
        .meta
        .publication_date
        .or_else(|| doc.date(DateKind::Published).map(|f| f.date));
    match doc.format {
        SourceFormat::FrXml | SourceFormat::FrApiJson => fr_dates(doc, published),
        SourceFormat::Html | SourceFormat::Markdown | SourceFormat::Text => {
            report_facts(doc, published)
        }
        _ => {}
    }
    let published = published.or_else(|| doc.date(DateKind::Published).map(|f| f.date));
    if let Some(p) = published
        && doc.meta.publication_date.is_none()
    {
        doc.meta.publication_date = Some(p);
    }
    doc.date_conflicts = conflicts(doc);
    entities::extract(doc);
}

/// Runs `work` on each document (the ninety-six of the 2024-02-12 FR
/// issue) on as many threads as the machine has cores: each document's
/// dates and entities are its own, so the result is the same in any order.
fn on_cores(documents: Vec<&mut Document>, work: fn(&mut Document)) {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let cores = *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from));
    let workers = cores.min(documents.len());
    if workers < 2 {
        documents.into_iter().for_each(work);
        return;
    }
    let queue = std::sync::Mutex::new(documents.into_iter());
    let next = || queue.lock().ok().and_then(|mut q| q.next());
    std::thread::scope(|scope| {
        for _ in 1..workers {
            spawn_parser(scope, || {
                while let Some(d) = next() {
                    work(d);
                }
            });
        }
        while let Some(d) = next() {
            work(d);
        }
    });
}

/// A scoped thread for parser work, with a main thread's stack (8 MiB):
/// the recursive walkers over provision trees have the same headroom as
/// on the caller's thread. `None` when no thread can be started (the
/// caller then does the work itself).
fn spawn_parser<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    work: impl FnOnce() -> T + Send + 'scope,
) -> Option<std::thread::ScopedJoinHandle<'scope, T>> {
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn_scoped(scope, work)
        .ok()
}

/// Dates of an FR document: its DATES section first; relative phrases
/// counted from the effective date once that is known; then, when DATES
/// gave no comment deadline, the body's comment deadlines.
fn fr_dates(doc: &mut Document, published: Option<chrono::NaiveDate>) {
    let mut anchors = dates::Anchors {
        published,
        effective: None,
    };
    let dates_blocks = |doc: &Document, anchors: dates::Anchors, found: &mut Vec<DateFact>| {
        for p in &doc.provisions {
            if fr_xml::DATE_BLOCKS.contains(&p.id.as_str()) {
                dates::extract(&p.text, Some(&p.id), Scope::DatesBlock, anchors, found);
            }
        }
    };
    let mut found = Vec::new();
    dates_blocks(doc, anchors, &mut found);
    anchors.effective = doc
        .dates
        .iter()
        .chain(&found)
        .find(|f| {
            f.kind == DateKind::Effective && f.provision.is_none() && !f.conditional && !f.derived
        })
        .map(|f| f.date);
    if anchors.effective.is_some() {
        dates_blocks(doc, anchors, &mut found);
    }
    // A final rule's body discusses past comments ("One comment suggests …
    // after March 23, 2020"); its deadlines, if any, are in DATES.
    let has_dates = doc
        .provisions
        .iter()
        .any(|p| fr_xml::DATE_BLOCKS.contains(&p.id.as_str()) && p.id != "DATE");
    let has_deadline = doc
        .dates
        .iter()
        .chain(&found)
        .any(|f| f.kind == DateKind::CommentsClose);
    let read_body = !has_deadline && (!has_dates || doc.meta.kind != DocKind::Rule);
    if read_body && doc.format == SourceFormat::FrXml {
        doc.walk_provisions(&mut |p| {
            let body = matches!(
                p.kind,
                ProvisionKind::Preamble | ProvisionKind::Heading | ProvisionKind::Note
            ) && !fr_xml::DATE_BLOCKS.contains(&p.id.as_str())
                && p.id != "Signature";
            if body {
                dates::extract(&p.text, Some(&p.id), Scope::Body, anchors, &mut found);
            }
        });
    }
    for f in found {
        dates::push_unique(&mut doc.dates, f);
    }
}

/// Dates, agencies and language of a report (HTML, Markdown, text).
fn report_facts(doc: &mut Document, published: Option<chrono::NaiveDate>) {
    let mut found = Vec::new();
    let mut agencies_text = doc.meta.title.clone().unwrap_or_default();
    let mut all = String::new();
    let mut has_agency_line = false;
    doc.walk_provisions(&mut |p| {
        for para in p.text.split("\n\n") {
            // "Key: value" lines (Markdown's "**Key:**" is already plain text here).
            if let Some((key, value)) = para.split_once([':', '：']) {
                let (key, value) = (key.trim(), value.trim());
                let k = key.to_lowercase();
                let kind = if k.contains("effective") || k.contains("生效") || k.contains("施行")
                {
                    Some(DateKind::Effective)
                } else if k.contains("comment") || k.contains("意见") || k.contains("deadline") {
                    Some(DateKind::CommentsClose)
                } else if k.contains("compliance") {
                    Some(DateKind::Compliance)
                } else if matches!(
                    k.as_str(),
                    "date"
                        | "published"
                        | "publication date"
                        | "release date"
                        | "posted"
                        | "发布时间"
                        | "发布日期"
                        | "日期"
                        | "时间"
                ) {
                    Some(DateKind::Published)
                } else {
                    None
                };
                if key.chars().count() <= 40
                    && let Some(kind) = kind
                    && let Some(d) = dates::find_dates(value).first()
                {
                    dates::push_unique(
                        &mut found,
                        crate::model::DateFact {
                            found_in: Some(p.id.clone()),
                            origin: Some(crate::model::DateOrigin::Body),
                            ..crate::model::DateFact::new(
                                kind,
                                d.date,
                                para.to_string(),
                                DateSource::Text,
                            )
                        },
                    );
                    continue;
                }
                if k.contains("authority")
                    || k.contains("agency")
                    || k == "source"
                    || k.contains("发布单位")
                    || k.contains("来源")
                {
                    agencies_text.push('\n');
                    agencies_text.push_str(value);
                    has_agency_line = true;
                }
            }
            if all.len() < 20_000 {
                all.push_str(para);
                all.push('\n');
            }
        }
    });
    let pub_date = published.or_else(|| {
        found
            .iter()
            .find(|f| f.kind == DateKind::Published)
            .map(|f| f.date)
    });
    doc.walk_provisions(&mut |p| {
        for para in p.text.split("\n\n") {
            let is_kv = para
                .split_once([':', '：'])
                .is_some_and(|(k, _)| k.chars().count() <= 40 && !k.contains(". "));
            if is_kv
                && dates::find_dates(para).len() == 1
                && found.iter().any(|f| f.evidence == para)
            {
                continue;
            }
            dates::extract(
                para,
                Some(&p.id),
                Scope::Prose,
                dates::Anchors {
                    published: pub_date,
                    effective: None,
                },
                &mut found,
            );
        }
    });
    for f in found {
        dates::push_unique(&mut doc.dates, f);
    }
    if doc.meta.agencies.is_empty() {
        if !has_agency_line {
            agencies_text.push('\n');
            agencies_text.push_str(&all[..text::floor_char_boundary(&all, 3000)]);
        }
        doc.meta.agencies = agencies(&agencies_text);
    }
    for line in all.lines() {
        if let Some((k, v)) = line.split_once(':') {
            let v = v.trim();
            if k.trim().eq_ignore_ascii_case("url")
                && v.starts_with("http")
                && !doc.meta.source_urls.iter().any(|u| u == v)
            {
                doc.meta.source_urls.push(v.to_string());
            }
        }
    }
    let sample = format!(
        "{} {}",
        doc.meta.title.as_deref().unwrap_or(""),
        &all[..text::floor_char_boundary(&all, 4000)]
    );
    let cjk = sample
        .chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .count();
    let letters = sample.chars().filter(|c| c.is_alphabetic()).count();
    if cjk > 0 {
        doc.meta.language = Some(if cjk * 3 > letters { "zh" } else { "en" }.to_string());
    }
}

/// Agencies named in a report, canonical names in order of first mention.
fn agencies(s: &str) -> Vec<String> {
    const AGENCIES: &[(&str, &str)] = &[
        ("Department of Commerce", "Department of Commerce"),
        ("Commerce Department", "Department of Commerce"),
        ("美国商务部", "Department of Commerce"),
        (
            "Bureau of Industry and Security",
            "Bureau of Industry and Security",
        ),
        ("(BIS)", "Bureau of Industry and Security"),
        ("工业和安全局", "Bureau of Industry and Security"),
        ("工业与安全局", "Bureau of Industry and Security"),
        (
            "Directorate of Defense Trade Controls",
            "Directorate of Defense Trade Controls",
        ),
        ("Department of State", "Department of State"),
        (
            "Office of Foreign Assets Control",
            "Office of Foreign Assets Control",
        ),
        ("Department of the Treasury", "Department of the Treasury"),
        ("Ministry of Commerce", "Ministry of Commerce (China)"),
        ("MOFCOM", "Ministry of Commerce (China)"),
        ("中华人民共和国商务部", "Ministry of Commerce (China)"),
        ("European Commission", "European Commission"),
    ];
    let mut hits: Vec<(usize, &str)> = AGENCIES
        .iter()
        .filter_map(|(pat, canon)| s.find(pat).map(|i| (i, *canon)))
        .collect();
    hits.sort();
    let mut out: Vec<String> = Vec::new();
    for (_, canon) in hits {
        if !out.iter().any(|a| a == canon) {
            out.push(canon.to_string());
        }
    }
    out
}

/// Structured dates the text contradicts.
fn conflicts(doc: &Document) -> Vec<DateConflict> {
    let mut out = Vec::new();
    for kind in [
        DateKind::Published,
        DateKind::Effective,
        DateKind::CommentsClose,
        DateKind::Compliance,
    ] {
        let Some(api) = doc
            .dates
            .iter()
            .find(|f| f.kind == kind && f.source == DateSource::Api)
        else {
            continue;
        };
        let text: Vec<_> = doc
            .dates
            .iter()
            .filter(|f| f.kind == kind && f.source == DateSource::Text && f.provision.is_none())
            .collect();
        if !text.is_empty() && !text.iter().any(|f| f.date == api.date) {
            out.push(DateConflict {
                kind,
                api: api.date,
                text: text.iter().map(|f| f.date).collect(),
                evidence: text[0].evidence.clone(),
            });
        }
    }
    out
}

/// Makes provision ids unique within a document: the second "Background"
/// becomes "Background (2)".
fn dedupe_ids(provisions: &mut [Provision]) {
    fn walk(ps: &mut [Provision], seen: &mut HashMap<String, u32>) {
        for p in ps {
            let n = seen.entry(p.id.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                p.id = format!("{} ({})", p.id, n);
            }
            walk(&mut p.children, seen);
        }
    }
    walk(provisions, &mut HashMap::new());
}
