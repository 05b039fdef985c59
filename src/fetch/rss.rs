//! Syndication feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed): each entry is an item.
//!
//! An entry's content is its own normalised JSON record (title, link, dates,
//! summary); with `follow_links` the linked page becomes the content and the
//! record the metadata, and a link is only fetched again when its entry changed.

use chrono::{DateTime, NaiveDate};
use quick_xml::events::Event;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use super::{
    ContentFormat, FeedFetch, FetchError, FetchErrorKind, FetchState, FetchedItem, HttpClient,
    HttpOutcome, ItemError, Part, Progress, RawBlob, RequestOptions, SourceInfo, SourceKind,
    Validators, body, fingerprint, hashed_key, page_format,
};
use crate::config::RssSpec;

/// One entry of a feed, normalised across the three formats.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedEntry {
    /// `guid` / `id`, else the link; empty when the entry has neither (it is
    /// then identified by its title and date).
    pub id: String,
    /// Entry title.
    pub title: Option<String>,
    /// The entry's page.
    pub link: Option<String>,
    /// Publication date as written.
    pub published: Option<String>,
    /// Last update as written.
    pub updated: Option<String>,
    /// Summary or description.
    pub summary: Option<String>,
}

impl FeedEntry {
    /// Returns the entry's date, from `published` or `updated`.
    pub fn date(&self) -> Option<NaiveDate> {
        [&self.published, &self.updated]
            .into_iter()
            .flatten()
            .find_map(|s| parse_date(s))
    }
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    DateTime::parse_from_rfc2822(s)
        .or_else(|_| DateTime::parse_from_rfc3339(s))
        .map(|d| d.date_naive())
        .ok()
        .or_else(|| NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok())
}

/// Returns the entries of an RSS, Atom or JSON feed, or why it is not one.
pub fn parse_feed(bytes: &[u8]) -> Result<Vec<FeedEntry>, String> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        return parse_json_feed(text);
    }
    parse_xml_feed(text)
}

fn parse_json_feed(text: &str) -> Result<Vec<FeedEntry>, String> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| format!("line {} column {}: {e}", e.line(), e.column()))?;
    let version = v.get("version").and_then(Value::as_str).unwrap_or("");
    if !version.contains("jsonfeed.org") {
        return Err("JSON without a jsonfeed.org `version`".into());
    }
    let items = v
        .get("items")
        .and_then(Value::as_array)
        .ok_or("JSON Feed without `items`")?;
    let s = |i: &Value, k: &str| i.get(k).and_then(Value::as_str).map(str::to_string);
    Ok(items
        .iter()
        .filter_map(|i| {
            let link = s(i, "url").or_else(|| s(i, "external_url"));
            // JSON Feed allows numeric ids in practice; keep them as written.
            let id = i
                .get("id")
                .and_then(|v| match v {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .or_else(|| link.clone())
                .unwrap_or_default();
            let entry = FeedEntry {
                id,
                title: s(i, "title"),
                link,
                published: s(i, "date_published"),
                updated: s(i, "date_modified"),
                summary: s(i, "summary").or_else(|| s(i, "content_text")),
            };
            (entry != FeedEntry::default()).then_some(entry)
        })
        .collect())
}

fn parse_xml_feed(text: &str) -> Result<Vec<FeedEntry>, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut entries = Vec::new();
    let mut current: Option<FeedEntry> = None;
    let mut field: Option<String> = None;
    let mut buf = String::new();
    let mut root: Option<String> = None;
    let mut depth = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(e) => {
                depth += 1;
                let name = e.local_name().as_ref().to_ascii_lowercase();
                if root.is_none() {
                    root = Some(name.clone());
                    if !matches!(name.as_str(), "rss" | "feed" | "rdf") {
                        return Err(format!(
                            "root element is <{name}>, not <rss>, <feed> or <rdf:RDF>"
                        ));
                    }
                }
                match name.as_str() {
                    "item" | "entry" => current = Some(FeedEntry::default()),
                    _ if current.is_some() => {
                        if name == "link"
                            && let Some(href) = attr(&e, "href")
                            && let Some(c) = current.as_mut()
                            && c.link.is_none()
                        {
                            c.link = Some(href);
                        }
                        field = Some(name);
                        buf.clear();
                    }
                    _ => {}
                }
            }
            Event::Empty(e) => {
                let name = e.local_name().as_ref().to_ascii_lowercase();
                if root.is_none() {
                    return Err(format!("root element is <{name}/>, an empty document"));
                }
                if name == "link"
                    && let Some(c) = current.as_mut()
                {
                    let rel = attr(&e, "rel").unwrap_or_else(|| "alternate".into());
                    if rel == "alternate" && c.link.is_none() {
                        c.link = attr(&e, "href");
                    }
                }
            }
            Event::Text(t) if field.is_some() => buf.push_str(&t.xml10_content()),
            Event::CData(t) if field.is_some() => buf.push_str(&t),
            Event::GeneralRef(r) if field.is_some() => {
                let name = r.to_string();
                match r.resolve_char_ref() {
                    Ok(Some(c)) => buf.push(c),
                    _ => match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => buf.push_str(s),
                        None => {
                            buf.push('&');
                            buf.push_str(&name);
                            buf.push(';');
                        }
                    },
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                let name = e.local_name().as_ref().to_ascii_lowercase();
                if matches!(name.as_str(), "item" | "entry") {
                    if let Some(mut c) = current.take() {
                        if c.id.is_empty() {
                            c.id = c.link.clone().unwrap_or_default();
                        }
                        if c != FeedEntry::default() {
                            entries.push(c);
                        }
                    }
                } else if field.as_deref() == Some(name.as_str()) {
                    if let Some(c) = current.as_mut() {
                        let value = buf.trim().to_string();
                        let slot = match name.as_str() {
                            "title" => Some(&mut c.title),
                            "link" if !value.is_empty() => Some(&mut c.link),
                            "guid" | "id" => {
                                if c.id.is_empty() {
                                    c.id = value.clone();
                                }
                                None
                            }
                            "pubdate" | "published" | "issued" | "date" => Some(&mut c.published),
                            "updated" | "modified" => Some(&mut c.updated),
                            "description" | "summary" | "encoded" | "content" => {
                                Some(&mut c.summary)
                            }
                            _ => None,
                        };
                        if let Some(slot) = slot
                            && slot.is_none()
                            && !value.is_empty()
                        {
                            *slot = Some(value);
                        }
                    }
                    field = None;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if root.is_none() {
        return Err("no XML element found".into());
    }
    if depth != 0 {
        return Err("document ends with elements still open (truncated?)".into());
    }
    Ok(entries)
}

/// Returns the item key of an entry: a readable slug (for a URL id its last
/// path segment without extension, else the id or the title) and a hash of
/// the entry's identity, joined by `--` (see [`hashed_key`]).
///
/// The identity is the entry's `id` (its `guid`/`id`, else its link); an
/// entry with neither is identified by its title and date. The key depends
/// on nothing else: not on the entry's position, not on the other entries,
/// so an entry keeps its key from fetch to fetch and no other entry can
/// ever take it over.
fn entry_key(entry: &FeedEntry) -> String {
    if entry.id.is_empty() {
        let date = entry.published.as_deref().or(entry.updated.as_deref());
        let summary = if entry.title.is_none() && date.is_none() {
            entry.summary.as_deref()
        } else {
            None
        };
        let identity = serde_json::json!([entry.title, date, summary]).to_string();
        let readable = entry.title.as_deref().unwrap_or("entry");
        return hashed_key(readable, &format!("entry:{identity}"));
    }
    let id = entry.id.as_str();
    let readable = match Url::parse(id) {
        Ok(u) if u.scheme().starts_with("http") => {
            let seg = u
                .path_segments()
                .and_then(|mut s| s.rfind(|p| !p.is_empty()))
                .unwrap_or("");
            let stem = seg.rsplit_once('.').map_or(seg, |(s, _)| s);
            if stem.is_empty() {
                u.host_str().unwrap_or("entry").to_string()
            } else {
                stem.to_string()
            }
        }
        _ => id.to_string(),
    };
    hashed_key(&readable, &format!("id:{id}"))
}

fn attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

pub(super) async fn fetch(
    feed: &str,
    spec: &RssSpec,
    state: &FetchState,
    client: &HttpClient,
    opts: &RequestOptions,
) -> Result<FeedFetch, FetchError> {
    let mut out = FeedFetch::new(feed);
    let body = match client
        .get(
            feed,
            &spec.url,
            state.validators.get(spec.url.as_str()),
            opts,
        )
        .await?
    {
        HttpOutcome::NotModified => {
            out.unchanged = state.items.keys().cloned().collect();
            return Ok(out);
        }
        HttpOutcome::Body(b) => b,
    };
    let entries = parse_feed(&body.bytes).map_err(|detail| {
        FetchError::new(
            feed,
            Some(spec.url.as_str()),
            FetchErrorKind::Malformed {
                expected: "RSS, Atom or JSON Feed",
                detail,
            },
        )
    })?;
    // One entry per key: an exact repeat is dropped (nothing is lost), a
    // differing one is a warning and the first listed (usually newest) is
    // kept. Not an item error: the feed would fail on every run, its
    // validators never saved, with nothing the user can do about it.
    let mut keyed: Vec<(String, FeedEntry)> = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for entry in entries {
        let key = entry_key(&entry);
        match seen.get(&key) {
            Some(&i) if keyed[i].1 == entry => {}
            Some(&i) => {
                let name = |e: &FeedEntry| {
                    if e.id.is_empty() {
                        e.title.clone().unwrap_or_default()
                    } else {
                        e.id.clone()
                    }
                };
                let (first, this) = (name(&keyed[i].1), name(&entry));
                let message = if first == this {
                    format!(
                        "feed `{feed}`: {}: entry `{this}` is listed more than once with different content; the first one listed is kept",
                        spec.url
                    )
                } else {
                    format!(
                        "feed `{feed}`: {}: entries `{first}` and `{this}` map to the same item key; the first one listed is kept",
                        spec.url
                    )
                };
                out.warnings.push(ItemError {
                    key: key.clone(),
                    message,
                });
            }
            None => {
                seen.insert(key.clone(), keyed.len());
                keyed.push((key, entry));
            }
        }
    }
    // Oldest first, so the store appends in publication order.
    keyed.reverse();
    // With `follow_links` each changed entry costs a page download: say how
    // many entries there are and when each is done.
    if spec.follow_links {
        client.report(Progress::Items {
            feed: feed.to_string(),
            total: keyed.len() as u64,
            unit: "entries",
        });
    }
    for (key, entry) in keyed {
        let done = key.clone();
        'entry: {
            let record = match serde_json::to_vec_pretty(&entry) {
                Ok(r) => r,
                Err(e) => {
                    out.errors.push(ItemError {
                        key,
                        message: format!("cannot encode entry: {e}"),
                    });
                    break 'entry;
                }
            };
            let fp = fingerprint(&record);
            if state.items.get(&key).and_then(|k| k.fingerprint.as_deref()) == Some(fp.as_str()) {
                out.unchanged.push(key);
                break 'entry;
            }
            let record_blob = RawBlob {
                bytes: record,
                url: entry.link.clone().or_else(|| Some(spec.url.to_string())),
                content_type: Some("application/json".into()),
                validators: Validators::default(),
            };
            let (content, metadata, format) = match (&entry.link, spec.follow_links) {
                (Some(link), true) => {
                    // Unconditional: the entry changed, and its link may now name a
                    // page whose validators belong to another item's version.
                    let fetched = match Url::parse(link).or_else(|_| spec.url.join(link)) {
                        Ok(url) => client.get(feed, &url, None, opts).await.map(|o| (o, url)),
                        Err(e) => Err(FetchError::new(
                            feed,
                            Some(link),
                            FetchErrorKind::Other(format!("entry link is not a URL: {e}")),
                        )),
                    };
                    match fetched {
                        Ok((HttpOutcome::Body(b), _)) => {
                            if let Some(message) = body::warning(body::Expected::Html, &b) {
                                out.warnings.push(ItemError {
                                    key: key.clone(),
                                    message,
                                });
                            }
                            let format = page_format(b.content_type.as_deref());
                            (Part::Fetched(b), Some(Part::Fetched(record_blob)), format)
                        }
                        Ok((HttpOutcome::NotModified, url)) => (
                            Part::NotModified {
                                url: url.to_string(),
                            },
                            Some(Part::Fetched(record_blob)),
                            None,
                        ),
                        Err(e) => {
                            out.errors.push(ItemError {
                                key,
                                message: e.to_string(),
                            });
                            break 'entry;
                        }
                    }
                }
                _ => (
                    Part::Fetched(record_blob),
                    None,
                    Some(ContentFormat::FeedEntry),
                ),
            };
            out.items.push(FetchedItem {
                key,
                title: entry.title.clone(),
                as_of: None,
                published: entry.date(),
                content,
                metadata,
                raw: None,
                fingerprint: Some(fp),
                source: Some(SourceInfo::new(SourceKind::Rss, format)),
            });
        }
        if spec.follow_links {
            client.report(Progress::ItemDone {
                feed: feed.to_string(),
                item: done,
            });
        }
    }
    if out.errors.is_empty() {
        out.validators.insert(spec.url.to_string(), body.validators);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss2_atom_rdf_and_json_feeds_parse() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>BIS</title>
            <item><title>Rule &amp; notice</title><link>https://bis.gov/a</link>
            <guid>bis-1</guid><pubDate>Fri, 06 Sep 2024 09:00:00 -0400</pubDate>
            <description><![CDATA[<p>IEC</p>]]></description></item></channel></rss>"#;
        let e = parse_feed(rss).unwrap();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].id, "bis-1");
        assert_eq!(e[0].title.as_deref(), Some("Rule & notice"));
        assert_eq!(e[0].summary.as_deref(), Some("<p>IEC</p>"));
        assert_eq!(e[0].date(), NaiveDate::from_ymd_opt(2024, 9, 6));

        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>urn:x:1</id>
            <title>T</title><link rel="alternate" href="https://x.gov/1"/>
            <updated>2024-09-06T12:00:00Z</updated></entry></feed>"#;
        let e = parse_feed(atom).unwrap();
        assert_eq!(e[0].link.as_deref(), Some("https://x.gov/1"));
        assert_eq!(e[0].date(), NaiveDate::from_ymd_opt(2024, 9, 6));

        let rdf = br#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel><title>c</title></channel><item><title>R</title><link>https://x.gov/r</link><dc:date>2024-09-06</dc:date></item></rdf:RDF>"#;
        let e = parse_feed(rdf).unwrap();
        assert_eq!(e[0].id, "https://x.gov/r");

        let json = br#"{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"9","url":"https://x.gov/9","title":"J","date_published":"2024-09-06T00:00:00Z"}]}"#;
        let e = parse_feed(json).unwrap();
        assert_eq!(e[0].title.as_deref(), Some("J"));
    }

    #[test]
    fn entry_keys_depend_on_the_identity_alone() {
        let e = |id: &str, title: &str| FeedEntry {
            id: id.into(),
            title: Some(title.into()),
            ..FeedEntry::default()
        };
        let a = entry_key(&e("https://bis.gov/press/iec.html", "IEC"));
        assert!(
            a.starts_with("iec--") && a.len() == "iec--".len() + 16,
            "{a}"
        );
        assert_eq!(
            a,
            entry_key(&e("https://bis.gov/press/iec.html", "IEC, edited"))
        );
        assert_ne!(a, entry_key(&e("https://bis.gov/archive/iec.htm", "IEC")));
        assert_ne!(entry_key(&e("iec", "x")), entry_key(&e("IEC", "x")));
        // No guid or link: title and date identify the entry.
        let t = |title: &str, date: &str| FeedEntry {
            title: Some(title.into()),
            published: Some(date.into()),
            ..FeedEntry::default()
        };
        assert_eq!(
            entry_key(&t("IEC", "2024-09-05")),
            entry_key(&t("IEC", "2024-09-05"))
        );
        assert_ne!(
            entry_key(&t("IEC", "2024-09-05")),
            entry_key(&t("IEC", "2024-09-06"))
        );
        assert_ne!(
            entry_key(&t("IEC", "2024-09-05")),
            entry_key(&e("IEC", "IEC"))
        );
    }

    #[test]
    fn entries_without_guid_or_link_are_kept_with_an_empty_id() {
        let rss = br#"<rss version="2.0"><channel><item><title>No id</title>
            <pubDate>2024-09-05</pubDate></item><item></item></channel></rss>"#;
        let e = parse_feed(rss).unwrap();
        assert_eq!(
            e.len(),
            1,
            "an empty <item/> carries nothing; the other is kept"
        );
        assert_eq!(e[0].id, "");
        let json = br#"{"version":"https://jsonfeed.org/version/1.1","items":[{"id":9,"title":"n"},{"title":"t"}]}"#;
        let e = parse_feed(json).unwrap();
        assert_eq!(e[0].id, "9");
        assert_eq!((e[1].id.as_str(), e[1].title.as_deref()), ("", Some("t")));
    }

    #[test]
    fn non_feeds_are_rejected_with_a_reason() {
        assert!(
            parse_feed(b"<html><body>hi</body></html>")
                .unwrap_err()
                .contains("<html>")
        );
        assert!(parse_feed(b"<rss><channel><item><title>x</title>").is_err());
        assert!(parse_feed(b"{\"a\":1}").unwrap_err().contains("jsonfeed"));
        assert!(parse_feed(b"").is_err());
    }
}
