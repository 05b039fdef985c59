//! Checks on a body before it is stored or parsed: is it what the feed kind
//! expects (XML, HTML, text, JSON) or an image, a PDF, an archive or random
//! bytes; is an XML full text well formed. (HTML pages are parsed within a
//! bound on the parser's work: see [`super::html_limit`].)
//!
//! Why here: every fetcher and the parser need the same answers, and fetch
//! comes before parse in the stage order, so parse imports them from here.
//! Typed feeds (`federal_register`, `ecfr`) refuse a body that fails a check;
//! `html`, `rss` and `file` feeds store it as received and warn.

use encoding_rs::{Encoding, UTF_8};

use super::RawBlob;
use super::html::charset_param;

/// What a feed kind expects a body to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A well-formed XML document (FR full text, eCFR).
    Xml,
    /// An HTML page.
    Html,
    /// Plain text.
    Text,
    /// A JSON document.
    Json,
}

impl Expected {
    fn name(self) -> &'static str {
        match self {
            Expected::Xml => "XML",
            Expected::Html => "HTML",
            Expected::Text => "text",
            Expected::Json => "JSON",
        }
    }
}

/// Returns `n` bytes as a short human size: `512 B`, `8.2 KB`, `1.4 MB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// The media type of a `Content-Type` value, lower-case, without parameters.
pub(super) fn media_type(content_type: Option<&str>) -> Option<String> {
    let t = content_type?.split(';').next()?.trim().to_ascii_lowercase();
    (!t.is_empty()).then_some(t)
}

/// Returns the declared type when it is one no document is served as
/// (images, audio, video, fonts, PDF, archives).
fn declared_non_text(media: &str) -> bool {
    const PREFIXES: [&str; 5] = ["image/", "audio/", "video/", "font/", "model/"];
    const TYPES: [&str; 12] = [
        "application/pdf",
        "application/zip",
        "application/gzip",
        "application/x-gzip",
        "application/x-tar",
        "application/x-7z-compressed",
        "application/x-rar-compressed",
        "application/vnd.rar",
        "application/msword",
        "application/vnd.ms-excel",
        "application/x-msdownload",
        "application/wasm",
    ];
    PREFIXES.iter().any(|p| media.starts_with(p))
        || TYPES.contains(&media)
        || media.starts_with("application/vnd.openxmlformats")
}

/// Returns what the bytes are when they are not text: a known file
/// signature, NUL bytes, or bytes that do not decode in the declared (or
/// detected) charset. `None` for text.
pub fn binary_kind(bytes: &[u8], content_type: Option<&str>) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 8] = [
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"%PDF-", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"PK\x05\x06", "a ZIP archive"),
        (b"\x1f\x8b", "gzip data"),
        (b"GIF8", "a GIF image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"\x7fELF", "an executable"),
    ];
    if let Some((_, what)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Some(what);
    }
    if is_pe_executable(bytes) {
        return Some("an executable");
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    // UTF-16 text has NUL bytes by nature; decode it first.
    let (enc, body) = match Encoding::for_bom(sample) {
        Some((enc, bom)) => (enc, &sample[bom..]),
        None => {
            if sample.contains(&0) {
                return Some("binary data (NUL bytes)");
            }
            let declared = content_type
                .and_then(charset_param)
                .or_else(|| charset_in_head(sample))
                .and_then(|c| Encoding::for_label(c.as_bytes()))
                .unwrap_or(UTF_8);
            (declared, sample)
        }
    };
    let (text, _) = enc.decode_without_bom_handling(body);
    let mut chars = 0usize;
    let mut odd = 0usize;
    for c in text.chars() {
        chars += 1;
        if c == '\u{FFFD}'
            || c == '\0'
            || (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}'))
        {
            odd += 1;
        }
    }
    // A cut multi-byte sequence at the sample's end, or a stray Latin-1
    // byte, is not binary; one character in ten that is not text is.
    (odd > 8 && odd * 10 > chars).then_some(if enc == UTF_8 {
        "binary data (not UTF-8 text)"
    } else {
        "binary data (not text in its declared charset)"
    })
}

/// A Windows (PE) executable: `MZ`, then at offset 0x3C the offset of the
/// `PE\0\0` signature. `MZ` alone is two letters a text may start with
/// (`MZ-2024 memo`).
fn is_pe_executable(bytes: &[u8]) -> bool {
    let Some(field) = bytes.get(0x3C..0x40) else {
        return false;
    };
    let mut offset = [0u8; 4];
    offset.copy_from_slice(field);
    let at = u32::from_le_bytes(offset) as usize;
    bytes.starts_with(b"MZ")
        && at >= 0x40
        && bytes
            .get(at..)
            .is_some_and(|rest| rest.starts_with(b"PE\0\0"))
}

/// The label of a `charset=` (HTML `<meta>`) or `encoding=` (XML
/// declaration) in the first 4 KiB.
fn charset_in_head(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    ["charset=", "encoding="].iter().find_map(|key| {
        let i = head.find(key)?;
        let label: String = head[i + key.len()..]
            .trim_start_matches(['"', '\'', ' '])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            .collect();
        (!label.is_empty()).then_some(label)
    })
}

/// `image/png (8.2 KB)` or `no content type (8.2 KB)`.
fn received(blob: &RawBlob) -> String {
    format!(
        "{} ({})",
        blob.content_type.as_deref().unwrap_or("no content type"),
        human_bytes(blob.bytes.len() as u64)
    )
}

/// Checks a body of a typed feed (`federal_register`, `ecfr`): an error
/// saying what was expected and what arrived, e.g. `expected XML, got
/// image/png (8.2 KB)`, when it is not a document of that kind. XML must
/// also be well formed, so a truncated full text or an HTML error page is
/// never stored as a good version.
pub fn check_typed(expected: Expected, blob: &RawBlob) -> Result<(), String> {
    let what = expected.name();
    if let Some(media) = media_type(blob.content_type.as_deref())
        && declared_non_text(&media)
    {
        return Err(format!("expected {what}, got {}", received(blob)));
    }
    if let Some(kind) = binary_kind(&blob.bytes, blob.content_type.as_deref()) {
        return Err(format!("expected {what}, got {kind}: {}", received(blob)));
    }
    match expected {
        Expected::Xml => check_xml(&blob.bytes).map_err(|e| {
            format!(
                "expected {what}, got malformed XML ({e}): {}",
                received(blob)
            )
        }),
        Expected::Json => serde_json::from_slice::<serde::de::IgnoredAny>(&blob.bytes)
            .map(|_| ())
            .map_err(|e| {
                format!(
                    "expected {what}, got malformed JSON ({e}): {}",
                    received(blob)
                )
            }),
        Expected::Html | Expected::Text => Ok(()),
    }
}

/// A warning for a body of an `html`, `rss` or `file` feed that is stored
/// as received but is not the text the feed expects: no content type, a
/// non-text content type, or binary bytes. It says what fetching did
/// (`stored as received`); whether a model could be built from the body is
/// for the parser to say, and the pipeline adds it.
pub fn warning(expected: Expected, blob: &RawBlob) -> Option<String> {
    warning_given(
        expected,
        blob,
        binary_kind(&blob.bytes, blob.content_type.as_deref()),
    )
}

/// [`warning`] for a caller that already has the body's [`binary_kind`].
pub fn warning_given(
    expected: Expected,
    blob: &RawBlob,
    binary: Option<&'static str>,
) -> Option<String> {
    let what = expected.name();
    let media = media_type(blob.content_type.as_deref());
    if let Some(kind) = binary {
        return Some(format!(
            "expected {what}, got {kind}: {}; stored as received",
            received(blob)
        ));
    }
    match media {
        Some(m) if !declared_non_text(&m) => None,
        _ => Some(format!(
            "expected {what}, got {}; stored as received",
            received(blob)
        )),
    }
}

/// Returns an error when `bytes` is not well-formed XML, with its position:
/// a truncated or HTML error page must not become a stored version.
pub fn check_xml(bytes: &[u8]) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut depth: usize = 0;
    let mut saw_root = false;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(_)) => {
                depth += 1;
                saw_root = true;
            }
            Ok(quick_xml::events::Event::Empty(_)) => saw_root = true,
            Ok(quick_xml::events::Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            // Every syntax error is input that ends inside markup.
            Err(e @ quick_xml::Error::Syntax(_)) => {
                return Err(format!(
                    "at byte {}: {e}; the document ends there (truncated?)",
                    reader.error_position()
                ));
            }
            Err(e) => {
                return Err(format!("at byte {}: {e}", reader.error_position()));
            }
        }
        buf.clear();
    }
    if !saw_root {
        return Err("no XML element found".into());
    }
    if depth != 0 {
        return Err(format!(
            "document ends with {depth} element(s) still open (truncated?)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob(ct: Option<&str>, bytes: &[u8]) -> RawBlob {
        RawBlob {
            bytes: bytes.to_vec(),
            url: None,
            content_type: ct.map(str::to_string),
            validators: Default::default(),
        }
    }

    #[test]
    fn binary_bodies_are_recognised() {
        assert_eq!(
            binary_kind(b"\x89PNG\r\n\x1a\nabc", None),
            Some("a PNG image")
        );
        assert_eq!(
            binary_kind(b"%PDF-1.7", Some("text/html")),
            Some("a PDF document")
        );
        assert_eq!(
            binary_kind(b"<p>a\0b</p>", None),
            Some("binary data (NUL bytes)")
        );
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i * 7919 % 251) as u8 | 0x80)
            .collect();
        assert!(binary_kind(&noise, None).is_some());
        assert_eq!(binary_kind("<p>出口管制 é</p>".as_bytes(), None), None);
        let chinese = "<p>美国商务部工业与安全局于2024年9月5日发布临时最终规则。</p>".repeat(50);
        let (gbk, _, _) = encoding_rs::GBK.encode(&chinese);
        assert!(binary_kind(&gbk, Some("text/html")).is_some());
        assert_eq!(binary_kind(&gbk, Some("text/html; charset=GBK")), None);
        // A charset declared only in the page's <meta> counts too.
        let mut page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head>".to_vec();
        page.extend_from_slice(&gbk);
        assert_eq!(binary_kind(&page, Some("text/html")), None);
        // `MZ` alone is text; a PE header is an executable.
        assert_eq!(
            binary_kind(b"MZ-2024 memo on licence exceptions\n", None),
            None
        );
        let mut pe = b"MZ".to_vec();
        pe.resize(0x80, b'x');
        pe[0x3C..0x40].copy_from_slice(&0x80u32.to_le_bytes());
        pe.extend_from_slice(b"PE\0\0");
        assert_eq!(binary_kind(&pe, None), Some("an executable"));
        let utf16: Vec<u8> = [0xFF, 0xFE, b'<', 0, b'a', 0, b'>', 0].to_vec();
        assert_eq!(binary_kind(&utf16, None), None);
    }

    #[test]
    fn typed_bodies_are_refused_with_what_arrived() {
        let png = blob(Some("image/png"), &[0u8; 8400]);
        assert_eq!(
            check_typed(Expected::Xml, &png).unwrap_err(),
            "expected XML, got image/png (8.2 KB)"
        );
        let cut = blob(Some("text/xml"), b"<RULE><P>text");
        let e = check_typed(Expected::Xml, &cut).unwrap_err();
        assert!(
            e.contains("malformed XML") && e.contains("truncated"),
            "{e}"
        );
        assert!(check_typed(Expected::Xml, &blob(None, b"<RULE/>")).is_ok());
        assert!(check_typed(Expected::Json, &blob(None, b"{\"a\":")).is_err());
        assert!(warning(Expected::Html, &blob(Some("text/html"), b"<p>x</p>")).is_none());
        let w = warning(Expected::Html, &blob(None, b"<p>x</p>")).unwrap();
        assert!(w.contains("no content type"), "{w}");
    }

    #[test]
    fn sizes_are_human() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(8400), "8.2 KB");
    }
}
