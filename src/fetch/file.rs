//! Local files: a file, or every non-hidden file below a directory, each one
//! an item. Used for manual inspection and for notes kept beside the config.

use std::path::{Path, PathBuf};

use super::{
    FeedFetch, FetchError, FetchErrorKind, FetchedItem, ItemError, Part, RawBlob, SourceInfo,
    SourceKind, Validators, body, hashed_key, hashed_key_of, item_key,
};
use crate::config::FileSpec;

/// Directories deeper than this are not walked (a symlink loop guard).
const MAX_DEPTH: usize = 16;

pub(super) async fn fetch(
    feed: &str,
    spec: &FileSpec,
    max_bytes: u64,
) -> Result<FeedFetch, FetchError> {
    let feed_id = feed.to_string();
    let feed = feed.to_string();
    let spec = spec.clone();
    // Blocking file I/O off the async workers.
    tokio::task::spawn_blocking(move || fetch_blocking(&feed, &spec, max_bytes))
        .await
        .map_err(|e| {
            FetchError::new(
                &feed_id,
                None,
                FetchErrorKind::Other(format!("file task failed: {e}")),
            )
        })?
}

fn fetch_blocking(feed: &str, spec: &FileSpec, max_bytes: u64) -> Result<FeedFetch, FetchError> {
    let io_err = |path: &Path, e: std::io::Error| {
        FetchError::new(
            feed,
            Some(&path.display().to_string()),
            FetchErrorKind::Io(e),
        )
    };
    let meta = std::fs::metadata(&spec.path).map_err(|e| io_err(&spec.path, e))?;
    let mut files = Vec::new();
    if meta.is_dir() {
        walk(&spec.path, &spec.path, 0, &mut files).map_err(|(p, e)| io_err(&p, e))?;
    } else {
        files.push((spec.path.clone(), file_name(&spec.path)));
    }
    files.sort();
    let mut out = FeedFetch::new(feed);
    if meta.is_dir() && files.is_empty() {
        // Nothing to track is said, not taken for "unchanged": a warning
        // of the feed (no item key).
        out.warnings.push(ItemError {
            key: String::new(),
            message: format!(
                "folder {} holds no files to track (hidden files are not tracked)",
                spec.path.display()
            ),
        });
    }
    // Key → path; `file_key` is injective, so a repeat would be a hash collision.
    let mut seen = std::collections::HashMap::new();
    for (path, rel) in files {
        // The path below the feed's folder (the file's name for a single
        // file), however `path:` spells the folder.
        let below = path
            .strip_prefix(&spec.path)
            .ok()
            .filter(|r| !r.as_os_str().is_empty())
            .or_else(|| path.file_name().map(Path::new))
            .unwrap_or(&path);
        let key = file_key(&rel, below);
        if let Some(first) = seen.insert(key.clone(), path.clone()) {
            out.errors.push(ItemError {
                key,
                message: format!(
                    "feed `{feed}`: {} and {} map to the same item key; the second is skipped",
                    first.display(),
                    path.display()
                ),
            });
            continue;
        }
        let len = std::fs::metadata(&path)
            .map_err(|e| io_err(&path, e))?
            .len();
        if len > max_bytes {
            return Err(FetchError::new(
                feed,
                Some(&path.display().to_string()),
                FetchErrorKind::TooLarge { limit: max_bytes },
            ));
        }
        let bytes = std::fs::read(&path).map_err(|e| io_err(&path, e))?;
        let blob = RawBlob {
            bytes,
            url: Some(path.display().to_string()),
            content_type: Some(content_type(&path).to_string()),
            validators: Validators::default(),
        };
        if let Some(message) = body::warning(expected(&path), &blob) {
            out.warnings.push(ItemError {
                key: key.clone(),
                message,
            });
        }
        out.items.push(FetchedItem {
            key,
            title: Some(rel.clone()),
            as_of: None,
            published: None,
            content: Part::Fetched(blob),
            metadata: None,
            raw: None,
            fingerprint: None,
            // Any file: the parser reads what it is.
            source: Some(SourceInfo::new(SourceKind::File, None)),
        });
    }
    Ok(out)
}

/// Returns the item key of the file at `rel` (below the feed's folder,
/// `/`-separated): the path with `/` written as `~` when that is already a
/// plain key and the path has no `~` of its own (`2024/memo.txt` →
/// `2024~memo.txt`), else a hashed key of the path (`sub~a.txt` →
/// `sub~a.txt--<16 hex>`), so two files never share a key. A name that is
/// not UTF-8 is hashed from the raw bytes of its path below the folder
/// (`below`; see [`path_bytes`]), so the key does not depend on how the
/// feed's `path:` is written.
fn file_key(rel: &str, below: &Path) -> String {
    let plain = rel.replace('/', "~");
    if below.to_str().is_none() {
        return hashed_key_of(&plain, &path_bytes(below));
    }
    if !rel.contains('~') && item_key(&plain) == plain {
        plain
    } else {
        hashed_key(&plain, rel)
    }
}

/// The bytes a path is made of, as the OS gives them: on Unix the raw
/// bytes; on Windows the UTF-16 code units (little-endian), which are
/// stable for a name that is not valid Unicode; elsewhere the lossy UTF-8
/// form (names that are not UTF-8 may then share a key, and the second is
/// reported and skipped).
fn path_bytes(p: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        p.as_os_str().as_bytes().to_vec()
    }
    #[cfg(windows)]
    {
        use std::os::windows::ffi::OsStrExt;
        p.as_os_str()
            .encode_wide()
            .flat_map(u16::to_le_bytes)
            .collect()
    }
    #[cfg(not(any(unix, windows)))]
    {
        p.to_string_lossy().into_owned().into_bytes()
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into())
}

fn walk(
    root: &Path,
    dir: &Path,
    depth: usize,
    out: &mut Vec<(PathBuf, String)>,
) -> Result<(), (PathBuf, std::io::Error)> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| (dir.to_path_buf(), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| (dir.to_path_buf(), e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let ty = entry.file_type().map_err(|e| (path.clone(), e))?;
        if ty.is_dir() {
            walk(root, &path, depth + 1, out)?;
        } else if ty.is_file() {
            let rel = path
                .strip_prefix(root)
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .unwrap_or(name);
            out.push((path, rel));
        }
    }
    Ok(())
}

/// Returns what a file's extension says it holds.
fn expected(p: &Path) -> body::Expected {
    match content_type(p) {
        "application/xml" => body::Expected::Xml,
        "application/json" => body::Expected::Json,
        "text/html" => body::Expected::Html,
        _ => body::Expected::Text,
    }
}

/// Returns a content type guessed from the file extension.
fn content_type(p: &Path) -> &'static str {
    match p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("xml") => "application/xml",
        Some("json") => "application/json",
        Some("html" | "htm") => "text/html",
        Some("md" | "markdown") => "text/markdown; charset=utf-8",
        Some("txt") => "text/plain",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}
