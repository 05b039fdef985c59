//! Crash-safe file writes: temp file in the store's `tmp/`, fsync, rename,
//! fsync of the directory. A reader sees the old file or the new one, never
//! half of either, even after `kill -9` or a power cut.

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::StoreError;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `dest` atomically, staging in `tmp_dir` (same filesystem).
pub fn write(tmp_dir: &Path, dest: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = tmp_dir.join(format!("{}-{n}.tmp", std::process::id()));
    let result = (|| {
        let mut f = File::create(&tmp).map_err(|e| StoreError::io("cannot create", &tmp, e))?;
        f.write_all(bytes)
            .map_err(|e| StoreError::io("cannot write", &tmp, e))?;
        f.sync_all()
            .map_err(|e| StoreError::io("cannot sync", &tmp, e))?;
        drop(f);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(|e| StoreError::io("cannot create", parent, e))?;
        }
        fs::rename(&tmp, dest).map_err(|e| StoreError::io("cannot rename into", dest, e))?;
        if let Some(parent) = dest.parent() {
            sync_dir(parent);
        }
        Ok(())
    })();
    if result.is_err() {
        // Best effort: a stale temp file is harmless; the next writer's lock clears tmp/.
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Flushes a directory entry so a rename survives a crash. Not all
/// platforms allow opening directories; failure only weakens durability.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
