//! `regwatch parse`: any file, URL or stored version → the document model.

use crate::cli::error::CannotParse;
use std::path::Path;

use anyhow::{Context, bail};

use super::args::{DocFormat, GlobalArgs, InputFormat, ParseArgs};
use super::ui::Ui;
use super::{exit_code, runtime, settings};
use regwatch::config::HttpSettings;
use regwatch::fetch::{HttpClient, HttpOutcome, RequestOptions};
use regwatch::model::{Document, SourceFormat};
use regwatch::parse::{self, Input};
use regwatch::report::card::card_string;
use regwatch::report::output::Output;
use regwatch::report::record::RecordType;
use regwatch::store::{Store, VersionRef};

pub fn parse(ui: &Ui, g: &GlobalArgs, a: &ParseArgs) -> anyhow::Result<u8> {
    let target = a.target.as_str();
    let doc = if Path::new(target).is_file() {
        let bytes = std::fs::read(target).with_context(|| format!("cannot read {target}"))?;
        parse_bytes(
            &bytes,
            Extra {
                name: Some(target),
                ..Extra::default()
            },
            a,
        )
        .with_context(|| CannotParse(target.to_string()))?
    } else if target.starts_with("http://") || target.starts_with("https://") {
        let (bytes, content_type) = download(target)?;
        let extra = Extra {
            content_type: content_type.as_deref(),
            name: Some(target),
            ..Extra::default()
        };
        parse_bytes(&bytes, extra, a).with_context(|| CannotParse(target.to_string()))?
    } else if Path::new(target).exists() {
        bail!("{target} is not a file");
    } else if target.contains('/') && !target.contains('@') && !target.contains('.') {
        bail!(
            "{target}: no such file, and not a stored version reference (FEED/ITEM@N, FEED/ITEM@latest, …)"
        );
    } else {
        let reference = VersionRef::parse(target).with_context(|| {
            format!("{target} is neither an existing file, an http(s) URL, nor a stored version reference")
        })?;
        let not_found = || format!("{target}: no such file, and no stored version by that name");
        let store = match Store::open(&settings::store_dir(g, None)?) {
            Ok(s) => s,
            // Without a store, a name that is not plainly a version
            // reference (`@N`) is a missing file, not a missing store.
            Err(_) if !target.contains('@') => bail!("{target}: no such file"),
            Err(e) => return Err(anyhow::Error::new(e).context(not_found())),
        };
        let version = store.resolve(&reference).with_context(not_found)?;
        if a.input_format.is_some() || a.selector.is_some() {
            let content = store.read_object(&version.content.hash)?;
            let metadata = match &version.metadata {
                Some(m) => Some(store.read_object(&m.hash)?),
                None => None,
            };
            let extra = Extra {
                content_type: version.content.content_type.as_deref(),
                name: version.content.url.as_deref(),
                metadata: metadata.as_deref(),
                published: version.published,
                source: version.source,
            };
            parse_bytes(&content, extra, a)
                .with_context(|| CannotParse(version.reference().to_string()))?
        } else {
            parse::stored::model_for(&store, &version)?
        }
    };
    print_document(ui, &doc, a.format);
    Ok(exit_code::OK)
}

/// What is known about the bytes besides themselves.
#[derive(Default)]
struct Extra<'a> {
    content_type: Option<&'a str>,
    name: Option<&'a str>,
    metadata: Option<&'a [u8]>,
    published: Option<chrono::NaiveDate>,
    source: Option<regwatch::fetch::SourceInfo>,
}

fn parse_bytes(
    bytes: &[u8],
    extra: Extra<'_>,
    a: &ParseArgs,
) -> Result<Document, parse::ParseError> {
    let input = Input {
        bytes,
        content_type: extra.content_type,
        name: extra.name,
        selector: a.selector.as_deref(),
        metadata: extra.metadata,
        published: extra.published,
        source: extra.source,
    };
    match a.input_format {
        None => parse::parse(&input),
        Some(f) => parse::parse_as(source_format(f), &input),
    }
}

fn source_format(f: InputFormat) -> SourceFormat {
    match f {
        InputFormat::FrJson => SourceFormat::FrApiJson,
        InputFormat::FrSearch => SourceFormat::FrApiSearch,
        InputFormat::FrXml => SourceFormat::FrXml,
        InputFormat::FrIssue => SourceFormat::FrIssueXml,
        InputFormat::Ecfr => SourceFormat::EcfrXml,
        InputFormat::Cfr => SourceFormat::CfrXml,
        InputFormat::Html => SourceFormat::Html,
        InputFormat::Markdown => SourceFormat::Markdown,
        InputFormat::Text => SourceFormat::Text,
    }
}

/// One GET with the default HTTP settings (timeouts, size limit, retries).
fn download(url: &str) -> anyhow::Result<(Vec<u8>, Option<String>)> {
    let parsed = url::Url::parse(url).with_context(|| format!("{url} is not a valid URL"))?;
    let settings = HttpSettings::default();
    let rt = runtime()?;
    let outcome = rt.block_on(async {
        let client = HttpClient::new(&settings)?;
        client
            // No feed: the error names the URL only.
            .get("", &parsed, None, &RequestOptions::defaults(&settings))
            .await
    })?;
    match outcome {
        HttpOutcome::Body(blob) => Ok((blob.bytes, blob.content_type)),
        HttpOutcome::NotModified => {
            bail!("{url} answered 304 Not Modified to an unconditional request")
        }
    }
}

/// Prints a model as a card or a JSON line; shared with `show --parsed`.
pub fn print_document(ui: &Ui, doc: &Document, format: DocFormat) {
    match format {
        DocFormat::Json => ui.record(RecordType::Document, doc),
        DocFormat::Text => ui.out(card_string(doc, Output::Plain).trim_end()),
        DocFormat::Markdown => ui.out(card_string(doc, Output::Markdown).trim()),
    }
}
