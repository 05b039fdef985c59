//! The `file` channel: each message written into a folder in the chosen
//! renderings, named `<date>-<recipient>-<id>.<ext>`, plus a `deadlines.ics`
//! kept current for calendar apps that subscribe to the file.
//!
//! Writes are atomic (temp file in the same folder, then rename) and a
//! message's file names depend only on its outbox entry, so writing again
//! after a crash replaces the same files: no duplicates.

use std::path::{Path, PathBuf};

use super::NotifyError;
use super::outbox::OutboxEntry;
use crate::config::{Channel, FileChannel, Recipient, SummaryFormat};
use crate::report::digest_render;

/// The file name stem of a message: `2024-10-15-compliance-team-<id>`.
pub fn stem(entry: &OutboxEntry) -> String {
    format!(
        "{}-{}-{}",
        entry.created_at.format("%Y-%m-%d"),
        entry.recipient,
        entry.id
    )
}

/// One rendering of a message.
pub fn render(
    entry: &OutboxEntry,
    format: SummaryFormat,
    recipient: &Recipient,
) -> Result<Vec<u8>, NotifyError> {
    let d = &entry.digest;
    Ok(match format {
        SummaryFormat::Text => digest_render::text(d).into_bytes(),
        SummaryFormat::Markdown => digest_render::markdown(d).into_bytes(),
        SummaryFormat::Html => digest_render::html(d).into_bytes(),
        SummaryFormat::Json => digest_render::json(d).into_bytes(),
        SummaryFormat::Eml => {
            let email = recipient.channels.iter().find_map(|c| match c {
                Channel::Email(e) => Some(e),
                _ => None,
            });
            super::email::preview(entry, email)?
        }
    })
}

/// Writes the message's files and the calendar; returns the paths written.
pub fn write(
    entry: &OutboxEntry,
    ch: &FileChannel,
    recipient: &Recipient,
    calendar: &str,
) -> Result<Vec<PathBuf>, NotifyError> {
    let mut written = Vec::new();
    for &format in &ch.formats {
        let path = ch
            .dir
            .join(format!("{}.{}", stem(entry), format.extension()));
        write_file(&ch.dir, &path, &render(entry, format, recipient)?)?;
        written.push(path);
    }
    let ics = ch.dir.join("deadlines.ics");
    write_file(&ch.dir, &ics, calendar.as_bytes())?;
    written.push(ics);
    Ok(written)
}

/// Rewrites only `deadlines.ics` (a run with nothing to report still keeps
/// the calendar current).
pub fn write_calendar(ch: &FileChannel, calendar: &str) -> Result<PathBuf, NotifyError> {
    let ics = ch.dir.join("deadlines.ics");
    write_file(&ch.dir, &ics, calendar.as_bytes())?;
    Ok(ics)
}

fn write_file(dir: &Path, path: &Path, bytes: &[u8]) -> Result<(), NotifyError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| NotifyError::Failed(format!("cannot create {}: {e}", dir.display())))?;
    crate::store::write_atomic(dir, path, bytes).map_err(|e| NotifyError::Failed(e.to_string()))
}
