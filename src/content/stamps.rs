//! Which page files are unchanged since the last load, without reading them.
//!
//! The dev server loads the course again on every save; reading and hashing
//! every page file to find the one that changed was a third of a rebuild at
//! 10,000 pages. A file whose size and modification time are those it had
//! when it was last read, and whose modification time is well before that
//! read began, is taken to hold the bytes it held then. The margin is git's
//! answer to "racily clean" files: file systems keep modification times
//! coarsely (a few milliseconds here, whole seconds on some), so a file
//! written again within the same tick as it was read could keep its time
//! and size; a file modified shortly before the last read is read again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::markdown::code_cache::{content_key, CodeKey};

/// How long before a read a file must have been modified to be trusted by
/// its metadata (above every common file system's time granularity).
const MARGIN: Duration = Duration::from_secs(2);

/// The files' stamps from the last load.
#[derive(Default)]
pub struct Stamps {
    files: HashMap<PathBuf, Stamp>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: SystemTime,
    /// When the file was read (before the read began).
    read_at: SystemTime,
    /// The hash of the bytes then read.
    pub bytes: CodeKey,
}

impl Stamps {
    /// The hash of `path`'s bytes: from its stamp when its metadata says it
    /// is unchanged, else read (None: it cannot be read).
    pub fn bytes_key(&self, path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta.modified().ok();
        if let (Some(old), Some(modified)) = (self.files.get(path), modified) {
            let settled = modified + MARGIN <= old.read_at;
            if settled && old.len == meta.len() && old.modified == modified {
                return Some(*old);
            }
        }
        let read_at = SystemTime::now();
        let bytes = std::fs::read(path).ok()?;
        Some(Stamp {
            len: bytes.len() as u64,
            // A file without modification times is read every time.
            modified: modified.unwrap_or(read_at + MARGIN),
            read_at,
            bytes: content_key(|h| h.write(&bytes)),
        })
    }

    /// Keeps the stamps of this load's files (and only those).
    pub fn replace(&mut self, files: impl IntoIterator<Item = (PathBuf, Stamp)>) {
        self.files = files.into_iter().collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_modified(path: &Path, time: SystemTime) {
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(time).unwrap();
    }

    #[test]
    fn a_file_is_read_again_when_it_changed_or_was_modified_just_before_its_read() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.md");
        std::fs::write(&path, "one").unwrap();
        let mut stamps = Stamps::default();
        let first = stamps.bytes_key(&path).unwrap();
        stamps.replace([(path.clone(), first)]);
        // Modified just now: racily clean, so it is read again, and a
        // change of the same size within the same tick is seen.
        std::fs::write(&path, "two").unwrap();
        let second = stamps.bytes_key(&path).unwrap();
        assert_ne!(second.bytes, first.bytes);

        // Settled (modified long before its last read): trusted without
        // reading, as long as its size and time are unchanged.
        let old = SystemTime::now() - Duration::from_secs(60);
        set_modified(&path, old);
        let settled = stamps.bytes_key(&path).unwrap();
        stamps.replace([(path.clone(), settled)]);
        let sentinel = Stamp {
            bytes: 7,
            ..settled
        };
        stamps.replace([(path.clone(), sentinel)]);
        assert_eq!(stamps.bytes_key(&path).unwrap().bytes, 7, "not read");
        // Its size changes: read.
        std::fs::write(&path, "three").unwrap();
        set_modified(&path, old);
        assert_ne!(stamps.bytes_key(&path).unwrap().bytes, 7);
    }
}
