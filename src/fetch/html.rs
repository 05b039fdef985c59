//! One web page as one item; an optional CSS selector keeps only the part
//! that matters, so rotating banners and view counters never count as change.
//!
//! The content is stored as UTF-8 whatever the page's encoding (GBK and
//! GB2312 pages from Chinese ministries are common in this field); the page
//! as received is kept beside it whenever the content was derived from it.

use encoding_rs::{Encoding, UTF_8};
use scraper::Selector;

use super::{
    FeedFetch, FetchError, FetchErrorKind, FetchState, FetchedItem, HttpClient, HttpOutcome,
    ItemError, Part, RawBlob, RequestOptions, SourceInfo, SourceKind, Validators, body,
    page_format,
};
use crate::config::HtmlSpec;

/// The item key of an html feed's single item.
pub(crate) const PAGE_KEY: &str = "page";

/// Returns `bytes` decoded to UTF-8 and the encoding used, taken from (in
/// order) a byte-order mark, the `Content-Type` charset, a `<meta>` charset
/// in the first 4 KiB, else UTF-8.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> (String, &'static Encoding) {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_with_bom_removal(bytes);
        return (text.into_owned(), enc);
    }
    let enc = content_type
        .and_then(charset_param)
        .and_then(|c| Encoding::for_label(c.as_bytes()))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(4096)]))
        .unwrap_or(UTF_8);
    let (text, _, _) = enc.decode(bytes);
    (text.into_owned(), enc)
}

pub(super) fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset")).then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Finds `<meta charset=...>` or `<meta http-equiv=... content="...; charset=...">`.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("<meta") {
        rest = &rest[i + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(j) = tag.find("charset=") {
            let value = tag[j + 8..].trim_start_matches(['"', '\'', ' ']);
            let end = value
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(value.len());
            if let Some(enc) = Encoding::for_label(&value.as_bytes()[..end]) {
                return Some(enc);
            }
        }
    }
    None
}

/// Returns the outer HTML of every element matching `selector`, one per line,
/// or `None` when nothing matches.
pub(crate) fn select(html: &str, selector: &str) -> Result<Option<String>, String> {
    let sel =
        Selector::parse(selector).map_err(|e| format!("invalid CSS selector `{selector}`: {e}"))?;
    // html5ever's work can grow with the square of the page: bounded.
    let doc = super::html_limit::parse_html(html).map_err(|e| e.to_string())?;
    let parts: Vec<String> = doc.select(&sel).map(|el| el.html()).collect();
    Ok((!parts.is_empty()).then(|| parts.join("\n")))
}

pub(super) async fn fetch(
    feed: &str,
    spec: &HtmlSpec,
    state: &FetchState,
    client: &HttpClient,
    opts: &RequestOptions,
) -> Result<FeedFetch, FetchError> {
    let mut out = FeedFetch::new(feed);
    let page = match client
        .get(
            feed,
            &spec.url,
            state.validators.get(spec.url.as_str()),
            opts,
        )
        .await?
    {
        HttpOutcome::NotModified => {
            out.unchanged.push(PAGE_KEY.into());
            return Ok(out);
        }
        HttpOutcome::Body(b) => b,
    };
    let malformed = |detail: String| {
        FetchError::new(
            feed,
            Some(spec.url.as_str()),
            FetchErrorKind::Malformed {
                expected: "HTML page",
                detail,
            },
        )
    };
    let binary_kind = body::binary_kind(&page.bytes, page.content_type.as_deref());
    let warning = body::warning_given(body::Expected::Html, &page, binary_kind);
    let binary = binary_kind.is_some();
    let (text, encoding) = decode_html(&page.bytes, page.content_type.as_deref());
    let content = match &spec.selector {
        Some(sel) => {
            // html5ever is CPU-bound; keep it off the async workers.
            let (html, sel2) = (text.clone(), sel.clone());
            let selected = tokio::task::spawn_blocking(move || select(&html, &sel2))
                .await
                .map_err(|e| malformed(format!("parser task failed: {e}")))?
                .map_err(malformed)?;
            match selected {
                Some(s) => s,
                // A redesigned page should be noticed, not stored as empty.
                None => return Err(malformed(format!("selector `{sel}` matched nothing"))),
            }
        }
        None => text,
    };
    // A binary body's UTF-8 reading is lossy: keep the bytes as received.
    let derived = spec.selector.is_some() || encoding != UTF_8 || binary;
    if let Some(message) = warning {
        out.warnings.push(ItemError {
            key: PAGE_KEY.into(),
            message,
        });
    }
    let title = page_title(&page.bytes, page.content_type.as_deref());
    let format = page_format(page.content_type.as_deref());
    out.validators
        .insert(spec.url.to_string(), page.validators.clone());
    out.items.push(FetchedItem {
        key: PAGE_KEY.into(),
        title,
        as_of: None,
        published: None,
        content: Part::Fetched(RawBlob {
            bytes: content.into_bytes(),
            url: page.url.clone(),
            content_type: Some("text/html; charset=utf-8".into()),
            validators: Validators::default(),
        }),
        metadata: None,
        raw: derived.then_some(Part::Fetched(page)),
        fingerprint: None,
        source: Some(SourceInfo::new(SourceKind::Html, format)),
    });
    Ok(out)
}

fn page_title(bytes: &[u8], content_type: Option<&str>) -> Option<String> {
    let (text, _) = decode_html(&bytes[..bytes.len().min(64 * 1024)], content_type);
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let t = text
        .get(open_end..close)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!t.is_empty()).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_pages_decode_from_header_or_meta() {
        let (bytes, _, _) = encoding_rs::GBK.encode("<p>出口管制</p>");
        let (t, enc) = decode_html(&bytes, Some("text/html; charset=GBK"));
        assert_eq!(t, "<p>出口管制</p>");
        assert_eq!(enc, encoding_rs::GBK);
        let mut page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head>".to_vec();
        page.extend_from_slice(&bytes);
        let (t, enc) = decode_html(&page, Some("text/html"));
        assert!(t.ends_with("<p>出口管制</p>"));
        assert_eq!(enc, encoding_rs::GBK);
        let (t, _) = decode_html("<meta charset=\"utf-8\">é".as_bytes(), None);
        assert!(t.ends_with('é'));
    }

    #[test]
    fn selector_keeps_only_matches() {
        let html =
            "<html><body><nav>menu</nav><div class=\"art-con\"><p>IEC</p></div></body></html>";
        assert_eq!(
            select(html, "div.art-con").unwrap().as_deref(),
            Some("<div class=\"art-con\"><p>IEC</p></div>")
        );
        assert_eq!(select(html, "div.missing").unwrap(), None);
        assert!(select(html, "div[").is_err());
    }

    #[test]
    fn titles_are_found() {
        assert_eq!(
            page_title(b"<html><head><title> BIS\n Press </title>", None).as_deref(),
            Some("BIS Press")
        );
        assert_eq!(page_title(b"<html>", None), None);
    }
}
