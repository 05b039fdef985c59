//! `regwatch diff` (two versions, any format) and `regwatch changes`
//! (every flag in the store's history).

use crate::cli::error::CannotParse;
use std::path::Path;

use anyhow::{Context, bail};
use serde::Serialize;
use serde_json::json;

use super::args::{ChangesArgs, DiffArgs, DiffFormat, GlobalArgs, ListFormat};
use super::ui::{Style, Ui, clean};
use super::{exit_code, settings};
use regwatch::diff::history::changes as history_changes;
use regwatch::diff::lines::line_diff;
use regwatch::diff::raw::attach as attach_source;
use regwatch::diff::raw::compare_source;
use regwatch::diff::stored::{diff_versions, source_comparison};
use regwatch::diff::{Diff, Flag, compare};
use regwatch::model::Document;
use regwatch::parse::stored::model_for;
use regwatch::parse::text::decode_borrowed;
use regwatch::parse::{self, Input};
use regwatch::report::diff_text::{Side, Sides, TextOptions};
use regwatch::report::output::Output;
use regwatch::report::record::{Record, RecordType};
use regwatch::report::{describe, diff_html, diff_text, unified};
use regwatch::store::{Selector, Store, Version, VersionRef};

/// One side of a comparison, loaded.
struct Loaded {
    side: Side,
    bytes: Vec<u8>,
    version: Option<Version>,
}

pub fn diff(ui: &Ui, g: &GlobalArgs, a: &DiffArgs) -> anyhow::Result<u8> {
    let mut store: Option<Store> = None;
    let (old, new) = match &a.b {
        Some(b) => (load(ui, g, &mut store, &a.a)?, load(ui, g, &mut store, b)?),
        None => {
            if Path::new(&a.a).is_file() {
                bail!(
                    "`{}` is a file: give two files, or one stored item (FEED/ITEM) to compare its last two versions",
                    a.a
                );
            }
            if !Path::new(&a.a).exists() && !a.a.contains('/') && open(g, &mut store).is_err() {
                return Err(super::error::Advised {
                    message: format!("{}: no such file", a.a),
                    hint:
                        "give two files to compare, or FEED/ITEM for the last two stored versions \
                           of an item (with --store DIR)"
                            .into(),
                }
                .into());
            }
            let s = open(g, &mut store)?;
            let newer = super::cmd_store::resolve(ui, s, &VersionRef::parse(&a.a)?)?;
            if newer.seq <= 1 {
                bail!(
                    "{} is the first version of {}/{}: there is nothing before it to compare with",
                    newer.reference(),
                    newer.feed,
                    newer.item
                );
            }
            let older = super::cmd_store::resolve(
                ui,
                s,
                &VersionRef::Item {
                    feed: newer.feed.clone(),
                    item: Some(newer.item.clone()),
                    selector: Selector::Seq(newer.seq - 1),
                },
            )?;
            (stored(s, older)?, stored(s, newer)?)
        }
    };
    let sides = Sides {
        before: old.side.clone(),
        after: new.side.clone(),
    };

    if a.raw {
        return raw(ui, a, &old, &new);
    }

    // Stored pairs use the cached diff (the models are read only if the
    // unified view needs them); files are parsed once and compared.
    let (diff, mut docs) = match (&old.version, &new.version, &store) {
        (Some(va), Some(vb), Some(s)) => (diff_versions(s, va, vb)?, None),
        _ => {
            // The parses and the line comparison of the bytes are
            // independent: run them side by side (the issue pair: two 2.4 MB
            // parses and the source pass at once instead of in turn).
            let joined = |what: &str| anyhow::anyhow!("internal error: the {what} thread panicked");
            let (models, source) = std::thread::scope(|scope| {
                let source = scope.spawn(|| source_comparison(&old.bytes, &new.bytes));
                (models(&old, &new, store.as_ref()), source.join())
            });
            let (old_doc, new_doc) = models?;
            let mut diff = compare(&old_doc, &new_doc);
            if let Some(source) = source.map_err(|_| joined("source comparison"))? {
                attach_source(&mut diff, &source);
            }
            (diff, Some((old_doc, new_doc)))
        }
    };
    let text = match a.format {
        DiffFormat::Json => json_output(&diff, &old, &new),
        DiffFormat::Html => diff_html::render(&diff, &sides),
        DiffFormat::Text | DiffFormat::Markdown => diff_text::render_string(
            &diff,
            &sides,
            if a.format == DiffFormat::Markdown {
                Output::Markdown
            } else {
                Output::text(ui.color() && a.output.is_none())
            },
            TextOptions {
                full: a.word,
                context: 2 * a.context.unwrap_or(8),
            },
        ),
        DiffFormat::Unified => {
            let (old_doc, new_doc) = match docs.take() {
                Some(pair) => pair,
                None => (model(&old, store.as_ref())?, model(&new, store.as_ref())?),
            };
            let (ot, nt) = (unified::outline(&old_doc), unified::outline(&new_doc));
            let lines = line_diff(&ot, &nt, a.context.unwrap_or(3));
            unified::render(&lines, &old.side.name, &new.side.name, Some(&ot), a.word)
        }
    };
    emit(ui, a, &text)?;
    Ok(if diff.substantive {
        exit_code::DIFFERENT
    } else {
        exit_code::OK
    })
}

/// `--raw`: the stored bytes, line by line. Like diff(1), any differing
/// line makes the exit status 1; JSON adds the formatting tally.
fn raw(ui: &Ui, a: &DiffArgs, old: &Loaded, new: &Loaded) -> anyhow::Result<u8> {
    let (ot, _) = decode_borrowed(&old.bytes);
    let (nt, _) = decode_borrowed(&new.bytes);
    let (text, different) = match a.format {
        DiffFormat::Unified => {
            let lines = line_diff(&ot, &nt, a.context.unwrap_or(3));
            let text = unified::render(&lines, &old.side.name, &new.side.name, None, a.word);
            (text, !lines.hunks.is_empty())
        }
        DiffFormat::Json => {
            let deadline = std::time::Instant::now() + regwatch::diff::lines::LINE_DIFF_BUDGET;
            let source = compare_source(&ot, &nt, deadline);
            let text = Record::new(
                RecordType::RawDiff,
                RawDiffData {
                    before: side_json(old),
                    after: side_json(new),
                    different: source.passages > 0,
                    substantive: source.other > 0,
                    source: &source,
                },
            )
            .to_line();
            (text, source.passages > 0)
        }
        _ => bail!("--raw prints a unified diff or JSON: add --format unified or --format json"),
    };
    emit(ui, a, &text)?;
    Ok(if different {
        exit_code::DIFFERENT
    } else {
        exit_code::OK
    })
}

fn emit(ui: &Ui, a: &DiffArgs, text: &str) -> anyhow::Result<()> {
    match &a.output {
        Some(path) => {
            std::fs::write(path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            if ui.verbosity() >= 0 {
                ui.note(&format!("wrote {}", path.display()));
            }
        }
        // A unified diff is a patch: written as it is, like `show`.
        None if a.format == DiffFormat::Unified => ui.out_data(text.as_bytes()),
        None => {
            if !text.is_empty() {
                ui.out(text.trim_end_matches('\n'));
            }
        }
    }
    Ok(())
}

/// One side of a `diff` or `raw_diff` record (docs/DIFF.md, "Side").
#[derive(Serialize)]
struct SideData<'a> {
    name: &'a str,
    #[serde(rename = "ref")]
    reference: Option<String>,
    hash: Option<&'a str>,
    title: Option<&'a str>,
    date: Option<&'a str>,
}

fn side_json(l: &Loaded) -> SideData<'_> {
    SideData {
        name: &l.side.name,
        reference: l.version.as_ref().map(Version::reference),
        hash: l.version.as_ref().map(|v| v.hash.as_str()),
        title: l.side.title.as_deref(),
        date: l.side.date.as_deref(),
    }
}

/// The `data` of a `diff` record (docs/DIFF.md).
#[derive(Serialize)]
struct DiffData<'a> {
    before: SideData<'a>,
    after: SideData<'a>,
    substantive: bool,
    summary: &'a regwatch::diff::Summary,
    flags: serde_json::Value,
    changes: &'a [regwatch::diff::Change],
    formatting_only: &'a [regwatch::diff::FormattingChange],
    warnings: &'a [String],
}

/// The `data` of a `raw_diff` record (docs/DIFF.md).
#[derive(Serialize)]
struct RawDiffData<'a> {
    before: SideData<'a>,
    after: SideData<'a>,
    different: bool,
    substantive: bool,
    source: &'a regwatch::diff::raw::SourceComparison,
}

/// Flags as JSON: each finding's fields and `kind`, with its `message`.
fn flags_json(flags: &[Flag]) -> serde_json::Value {
    serde_json::Value::Array(flags.iter().map(describe::flag_json).collect())
}

fn json_output(diff: &Diff, old: &Loaded, new: &Loaded) -> String {
    let data = DiffData {
        before: side_json(old),
        after: side_json(new),
        substantive: diff.substantive,
        summary: &diff.summary,
        flags: flags_json(&diff.flags),
        changes: &diff.changes,
        formatting_only: &diff.formatting_only,
        warnings: &diff.warnings,
    };
    Record::new(RecordType::Diff, data).to_line()
}

fn open<'a>(g: &GlobalArgs, store: &'a mut Option<Store>) -> anyhow::Result<&'a Store> {
    if store.is_none() {
        let dir = settings::store_dir(g, None)?;
        *store = Some(Store::open(&dir)?);
    }
    store.as_ref().context("the store could not be opened")
}

/// A target: an existing file, else a stored version reference.
fn load(
    ui: &Ui,
    g: &GlobalArgs,
    store: &mut Option<Store>,
    target: &str,
) -> anyhow::Result<Loaded> {
    let path = Path::new(target);
    if path.is_file() {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {target}"))?;
        return Ok(Loaded {
            side: Side {
                name: target.to_string(),
                title: None,
                date: None,
            },
            bytes,
            version: None,
        });
    }
    if path.exists() {
        bail!("{target} is not a file");
    }
    let reference = VersionRef::parse(target)
        .with_context(|| format!("{target}: no such file, and not a stored version reference"))?;
    let not_found = || format!("{target}: no such file, and no stored version by that name");
    // Without a store, a name that is not plainly a version reference
    // (`@N`) is a file that is missing, not a missing store.
    if !target.contains('@') && store.is_none() && open(g, store).is_err() {
        return Err(super::error::Advised {
            message: format!("{target}: no such file"),
            hint: "check the path; to compare stored versions (FEED/ITEM@N), run `regwatch fetch` \
                   first or pass --store DIR"
                .into(),
        }
        .into());
    }
    let s = open(g, store).with_context(not_found)?;
    let version = super::cmd_store::resolve(ui, s, &reference).with_context(not_found)?;
    stored(s, version)
}

fn stored(store: &Store, v: Version) -> anyhow::Result<Loaded> {
    Ok(Loaded {
        side: Side::for_version(&v),
        bytes: store.read_object(&v.content.hash)?,
        version: Some(v),
    })
}

/// The model of a loaded side: the store's cached model, or the file parsed.
fn model(l: &Loaded, store: Option<&Store>) -> anyhow::Result<Document> {
    if let (Some(v), Some(s)) = (&l.version, store) {
        return Ok(model_for(s, v)?);
    }
    parse::parse(&input(l)).with_context(|| CannotParse(l.side.name.clone()))
}

/// The models of both sides. Two files are parsed as a pair (what they
/// share is done once); otherwise each side is read or parsed on its own
/// thread. A parser panic is an internal error, named as such.
fn models(
    old: &Loaded,
    new: &Loaded,
    store: Option<&Store>,
) -> anyhow::Result<(Document, Document)> {
    let panicked = || anyhow::anyhow!("internal error: the parser thread panicked");
    if old.version.is_none() && new.version.is_none() {
        let (a, b) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            parse::parse_pair(&input(old), &input(new))
        }))
        .map_err(|_| panicked())?;
        let a = a.with_context(|| CannotParse(old.side.name.clone()))?;
        let b = b.with_context(|| CannotParse(new.side.name.clone()))?;
        return Ok((a, b));
    }
    std::thread::scope(|scope| {
        let older = scope.spawn(|| model(old, store));
        let new_doc = model(new, store);
        let old_doc = older.join().unwrap_or_else(|_| Err(panicked()))?;
        Ok((old_doc, new_doc?))
    })
}

/// A file given on the command line, as the parser's input.
fn input(l: &Loaded) -> Input<'_> {
    Input {
        bytes: &l.bytes,
        content_type: None,
        name: Some(&l.side.name),
        selector: None,
        metadata: None,
        published: None,
        source: None,
    }
}

pub fn changes(ui: &Ui, g: &GlobalArgs, a: &ChangesArgs) -> anyhow::Result<u8> {
    let store = Store::open(&settings::store_dir(g, None)?)?;
    if let Some(f) = &a.feed
        && !store.feed_ids()?.iter().any(|x| x == f)
    {
        bail!("the store has no feed `{f}`");
    }
    let history = history_changes(&store, a.feed.as_deref(), a.since)?;
    for p in &history.problems {
        ui.warn(&p.to_string());
    }
    let shown = history
        .entries
        .iter()
        .filter(|e| a.all || e.substantive || e.note.is_some());
    match a.format {
        ListFormat::Json => {
            for e in shown {
                let mut data = json!(e);
                data["flags"] = flags_json(&e.flags);
                ui.record(RecordType::Change, data);
            }
        }
        ListFormat::Text => {
            let mut any = false;
            for e in shown {
                any = true;
                let what = match &e.before {
                    Some(b) => format!("{b} → @{}", e.after.seq),
                    None => e.after.to_string(),
                };
                let title = e.title.as_deref().map(|t| diff_text::clip(&clean(t), 70));
                ui.out(&format!(
                    "{}  {}  {}",
                    e.date,
                    ui.paint(Style::Bold, &what),
                    title.unwrap_or_default()
                ));
                if let Some(n) = &e.note {
                    ui.out(&format!("    {} {n}", ui.paint(Style::Warn, "!")));
                }
                if !e.substantive {
                    ui.out(&ui.paint(Style::Dim, "    formatting only"));
                }
                for f in &e.flags {
                    ui.out(&format!("    {}", clean(&describe::headline(f))));
                }
                if e.flags.is_empty() && e.substantive && e.note.is_none() {
                    ui.out(&format!(
                        "    {} (no flags; see `regwatch diff {}`)",
                        diff_text::counts(&e.summary),
                        e.after
                    ));
                }
            }
            if !any && ui.verbosity() >= 0 {
                ui.out("No changes recorded.");
            }
        }
    }
    Ok(exit_code::OK)
}
