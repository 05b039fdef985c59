//! `regwatch log`, `show` and `verify`: reading the store.

use anyhow::bail;
use regwatch::store::{Blob, Store, Version, VersionRef};

use super::args::{FormatArg, GlobalArgs, ListFormat, LogArgs, PartChoice, ShowArgs};
use super::ui::{Style, Ui, clean};
use super::{exit_code, human_bytes, plural, settings};
use regwatch::report::record::RecordType;

fn open_store(g: &GlobalArgs) -> anyhow::Result<Store> {
    Ok(Store::open(&settings::store_dir(g, None)?)?)
}

pub fn log(ui: &Ui, g: &GlobalArgs, a: &LogArgs) -> anyhow::Result<u8> {
    let store = open_store(g)?;
    let damaged = print_log(ui, &store, a.target.as_deref(), a.limit, a.format)?;
    Ok(if damaged > 0 {
        exit_code::PARTIAL
    } else {
        exit_code::OK
    })
}

/// Prints histories, newest version first; shared with `demo`. Listing a
/// feed or the whole store, an item whose history cannot be read is named
/// in a warning and skipped; returns how many were.
pub fn print_log(
    ui: &Ui,
    store: &Store,
    target: Option<&str>,
    limit: Option<usize>,
    format: ListFormat,
) -> anyhow::Result<usize> {
    let mut targets: Vec<(String, String)> = Vec::new();
    match target.map(|t| t.split_once('/').map_or((t, None), |(f, i)| (f, Some(i)))) {
        None => {
            for feed in store.feed_ids()? {
                for item in store.item_keys(&feed)? {
                    targets.push((feed.clone(), item));
                }
            }
        }
        Some((feed, None)) => {
            let items = store.item_keys(feed)?;
            if items.is_empty() {
                bail!(
                    "no stored history for feed `{feed}` in {}",
                    store.root().display()
                );
            }
            targets.extend(items.into_iter().map(|i| (feed.to_string(), i)));
        }
        Some((feed, Some(item))) => targets.push((feed.to_string(), item.to_string())),
    }
    if targets.is_empty() {
        ui.warn(&format!(
            "the store at {} holds no versions yet: run `regwatch fetch`",
            store.root().display()
        ));
    }
    let one_item = targets.len() == 1 && target.is_some_and(|t| t.contains('/'));
    let mut damaged = 0;
    for (feed, item) in targets {
        let history = match store.history(&feed, &item) {
            Ok(h) => h,
            Err(e) if !one_item => {
                ui.warn(&format!(
                    "{e}; {feed}/{item} skipped (run `regwatch verify` to see every damaged line)"
                ));
                damaged += 1;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        if history.is_empty() {
            bail!("no stored history for `{feed}/{item}`");
        }
        let shown = history.iter().rev().take(limit.unwrap_or(usize::MAX));
        if format == ListFormat::Json {
            for v in shown {
                ui.record(RecordType::Version, v);
            }
            continue;
        }
        let title = history
            .last()
            .and_then(|v| v.title.clone())
            .unwrap_or_default();
        ui.out(&format!(
            "{}  {}",
            ui.paint(Style::Bold, &format!("{feed}/{item}")),
            clean(&title)
        ));
        for v in shown {
            ui.out(&format!("  {}", version_line(ui, v)));
        }
    }
    Ok(damaged)
}

fn version_line(ui: &Ui, v: &Version) -> String {
    let mut line = format!(
        "@{:<3} {}  {}",
        v.seq,
        v.fetched_at.format("%Y-%m-%d %H:%M UTC"),
        ui.paint(Style::Dim, &v.hash[..12.min(v.hash.len())])
    );
    if let Some(d) = v.as_of {
        line.push_str(&format!("  as of {d}"));
    }
    if let Some(d) = v.published {
        line.push_str(&format!("  published {d}"));
    }
    line.push_str(&format!("  {}", human_bytes(v.content.size)));
    if let Some(ct) = &v.content.content_type {
        line.push_str(&format!(" {}", clean(ct.split(';').next().unwrap_or(ct))));
    }
    line
}

pub fn show(ui: &Ui, g: &GlobalArgs, a: &ShowArgs) -> anyhow::Result<u8> {
    let store = open_store(g)?;
    let version = resolve(ui, &store, &VersionRef::parse(&a.reference)?)?;
    if a.parsed {
        let doc = regwatch::parse::stored::model_for(&store, &version)?;
        let format = match a.format {
            ListFormat::Json => super::args::DocFormat::Json,
            ListFormat::Text => super::args::DocFormat::Text,
        };
        super::cmd_parse::print_document(ui, &doc, format);
        return Ok(exit_code::OK);
    }
    if a.info || a.format == ListFormat::Json {
        if a.format == ListFormat::Json {
            ui.record(RecordType::Version, &version);
        } else {
            print_info(ui, &version);
        }
        return Ok(exit_code::OK);
    }
    let blob = match a.part {
        PartChoice::Content => Some(&version.content),
        PartChoice::Metadata => version.metadata.as_ref(),
        PartChoice::Raw => version.raw.as_ref(),
    };
    let Some(blob) = blob else {
        bail!(
            "{} has no {} part (see `regwatch show {} --info`)",
            version.reference(),
            match a.part {
                PartChoice::Content => "content",
                PartChoice::Metadata => "metadata",
                PartChoice::Raw => "raw",
            },
            a.reference
        );
    };
    ui.out_data(&store.read_object(&blob.hash)?);
    Ok(exit_code::OK)
}

/// Resolves `r`; a version read from an item whose history is damaged
/// further down comes with a warning naming the damaged line.
pub(super) fn resolve(ui: &Ui, store: &Store, r: &VersionRef) -> anyhow::Result<Version> {
    let (version, damage) = store.resolve_noting(r)?;
    if let Some(e) = damage {
        ui.warn(&format!(
            "{e}; {} is on an intact line before it (run `regwatch verify` to see every damaged line)",
            version.reference()
        ));
    }
    Ok(version)
}

fn print_info(ui: &Ui, v: &Version) {
    ui.out(&ui.paint(Style::Bold, &v.reference()));
    if let Some(t) = &v.title {
        ui.out(&format!("title       {}", clean(t)));
    }
    ui.out(&format!("fetched at  {}", v.fetched_at.to_rfc3339()));
    if let Some(d) = v.as_of {
        ui.out(&format!("as of       {d}"));
    }
    if let Some(d) = v.published {
        ui.out(&format!("published   {d}"));
    }
    ui.out(&format!("hash        {}", v.hash));
    ui.out(&format!(
        "previous    {}",
        v.prev.as_deref().unwrap_or("(first version)")
    ));
    let blob = |name: &str, b: &Blob| {
        ui.out(&format!("{name:<11} {} {}", b.hash, human_bytes(b.size)));
        if let Some(u) = &b.url {
            ui.out(&format!("              url           {}", clean(u)));
        }
        if let Some(c) = &b.content_type {
            ui.out(&format!("              content-type  {}", clean(c)));
        }
        if let Some(e) = &b.etag {
            ui.out(&format!("              etag          {}", clean(e)));
        }
        if let Some(l) = &b.last_modified {
            ui.out(&format!("              last-modified {}", clean(l)));
        }
    };
    blob("content", &v.content);
    if let Some(m) = &v.metadata {
        blob("metadata", m);
    }
    if let Some(r) = &v.raw {
        blob("raw", r);
    }
}

pub fn verify(ui: &Ui, g: &GlobalArgs, a: &FormatArg) -> anyhow::Result<u8> {
    let store = open_store(g)?;
    let report = store.verify()?;
    if a.format == ListFormat::Json {
        ui.record(RecordType::Verify, &report);
    } else {
        for p in &report.problems {
            ui.out(&format!(
                "{} {}",
                ui.paint(Style::Error, "problem:"),
                clean(&p.to_string())
            ));
        }
        let line = format!(
            "{}: {}, {}, {} checked; {}",
            store.root().display(),
            plural(report.items, "item", "items"),
            plural(report.versions, "version", "versions"),
            plural(report.objects, "object", "objects"),
            plural(report.problems.len(), "problem", "problems")
        );
        ui.out(&if report.is_ok() {
            line
        } else {
            ui.paint(Style::Error, &line)
        });
    }
    Ok(if report.is_ok() {
        exit_code::OK
    } else {
        exit_code::PARTIAL
    })
}
