//! `lectern build`'s persistent cache, in the course's `.lectern/cache/`.
//!
//! It keeps the highlighted code of each page (syntect is most of a cold
//! build), one file per page's code blocks taken together, named by the
//! 128-bit hash of those blocks (their code, their fences' info) and of
//! lectern's version (`markdown::code_cache::page_key`): an entry is exactly
//! what highlighting gives, so a cached build writes the bytes of a cold one.
//! And it keeps the last search index's tokenized sections (`search-terms`,
//! one file: `search::index::SectionMemo`, found by the hash of each
//! section's text; on Chinese prose tokenizing is half the index's cost),
//! written again after each build with only the sections it indexed.
//!
//! - Safe when two builds run at once: an entry is written to a temporary
//!   file of a unique name and renamed into place, so a reader sees a whole
//!   entry or none; a missing entry is only highlighted again.
//! - Bounded: after a build, when the entries pass `LIMIT` bytes, the least
//!   recently used (by modification time, refreshed on every use) are
//!   deleted until they take three quarters of it.
//! - Checked: every entry carries a checksum; a corrupt entry, or a cache
//!   of another lectern version (`VERSION`), is ignored with one warning
//!   and written again.
//! - `lectern build --no-cache` neither reads nor writes it.

use std::fs;
use std::hash::BuildHasher;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::diagnostic::Diagnostic;
use crate::layout::BUILD_CACHE_DIR;
use crate::markdown::code_cache::{CodeKey, CodeStore};
use crate::search::index::SectionMemo;

/// The cache's bound on disk.
pub const LIMIT: u64 = 256 << 20;
/// The first bytes of every entry; a change of layout changes them.
const MAGIC: &[u8; 8] = b"LCCODE1\n";
/// The search memo's file starts with this (the memo has a magic of its own).
const SEARCH_MAGIC: &[u8; 8] = b"LCSRCH1\n";
/// A search memo bigger than this is not kept (at 10,000 prose pages it is
/// about a third of it): the cache stays within its bound.
const SEARCH_LIMIT: usize = (LIMIT / 2) as usize;

/// What `VERSION` holds: entries of another lectern are never used.
fn version_line() -> String {
    format!("lectern {} code cache 1\n", env!("CARGO_PKG_VERSION"))
}

/// The cache of one build.
pub struct BuildCache {
    dir: PathBuf,
    code: PathBuf,
    /// The one warning a build gives about its cache, if any.
    warning: Mutex<Option<Diagnostic>>,
    temp_names: AtomicUsize,
    pub hits: AtomicUsize,
    pub misses: AtomicUsize,
}

impl BuildCache {
    /// Opens (or starts) the cache of the course at `root`. A cache left
    /// by another version is emptied, with a warning. A cache folder that is
    /// a link (or not a folder) is refused with a warning and never touched:
    /// emptying it would delete files outside the course that lectern did
    /// not write.
    pub fn open(root: &Path) -> Result<BuildCache, Diagnostic> {
        let dir = root.join(BUILD_CACHE_DIR);
        let mut step = root.to_path_buf();
        for part in Path::new(BUILD_CACHE_DIR).join("code").components() {
            step.push(part);
            match fs::symlink_metadata(&step) {
                Ok(meta) if !meta.file_type().is_dir() => {
                    return Err(Diagnostic::warning(
                        &step,
                        0,
                        0,
                        "the build cache's folder is a link or a file, not a folder: this build runs without the cache",
                    )
                    .with_hint("delete it (or build with --no-cache): lectern makes the cache folder itself"));
                }
                _ => {}
            }
        }
        let cache = BuildCache {
            code: dir.join("code"),
            dir,
            warning: Mutex::new(None),
            temp_names: AtomicUsize::new(0),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        };
        // Never committed, even in a course made before `lectern init`
        // wrote .gitignore: the folder says so itself.
        if let Some(lectern) = cache.dir.parent() {
            let ignore = lectern.join(".gitignore");
            if !ignore.exists() {
                let _ = cache.write_whole(&ignore, b"# lectern's build cache: not to commit\n*\n");
            }
        }
        let version = cache.dir.join("VERSION");
        match fs::read_to_string(&version) {
            Ok(v) if v == version_line() => {}
            Ok(_) => {
                cache.warn("the build cache was made by another version of lectern: it is ignored and made again");
                let _ = fs::remove_dir_all(&cache.code);
                let _ = fs::remove_file(cache.search_file());
                let _ = cache.write_whole(&version, version_line().as_bytes());
            }
            Err(_) => {
                if cache.code.exists() {
                    cache.warn("the build cache has no VERSION file: it is ignored and made again");
                    let _ = fs::remove_dir_all(&cache.code);
                    let _ = fs::remove_file(cache.search_file());
                }
                let _ = cache.write_whole(&version, version_line().as_bytes());
            }
        }
        Ok(cache)
    }

    /// Ends the build's use of the cache: keeps it within `LIMIT`, and
    /// gives its warning, if there was one.
    pub fn finish(self) -> Option<Diagnostic> {
        prune(&self.code, LIMIT);
        self.warning.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn warn(&self, message: &str) {
        let mut w = self.warning.lock().unwrap_or_else(|e| e.into_inner());
        if w.is_none() {
            *w = Some(
                Diagnostic::warning(BUILD_CACHE_DIR, 0, 0, message).with_hint(
                    "nothing to do: the cache only saves time; delete .lectern/cache/ to empty it, or build with --no-cache",
                ),
            );
        }
    }

    fn search_file(&self) -> PathBuf {
        self.dir.join("search-terms")
    }

    /// The sections' terms of the last build's search index (empty when
    /// there is none, or it is damaged: then with a warning).
    pub fn search_memo(&self) -> SectionMemo {
        let Ok(bytes) = fs::read(self.search_file()) else {
            return SectionMemo::default();
        };
        let memo = bytes
            .split_at_checked(bytes.len().saturating_sub(8))
            .filter(|(body, sum)| checksum(body).to_le_bytes() == **sum)
            .and_then(|(body, _)| body.strip_prefix(SEARCH_MAGIC))
            .and_then(SectionMemo::decode);
        memo.unwrap_or_else(|| {
            self.warn(
                "the build cache's search terms are damaged: they are ignored and made again",
            );
            SectionMemo::default()
        })
    }

    /// Keeps `memo` for the next build (unless it is too big to), on a
    /// thread of its own: encoding and writing tens of megabytes need not
    /// hold up the rest of the build. Dropping the returned guard waits for
    /// it, so the file is whole before the build returns.
    pub fn keep_search_memo(&self, memo: SectionMemo) -> Background {
        let path = self.search_file();
        let temp = self.temp_name(&path);
        Background(Some(std::thread::spawn(move || {
            let mut bytes = SEARCH_MAGIC.to_vec();
            bytes.extend(memo.encode());
            drop(memo);
            if bytes.len() > SEARCH_LIMIT {
                let _ = fs::remove_file(path);
                return;
            }
            let sum = checksum(&bytes);
            bytes.extend_from_slice(&sum.to_le_bytes());
            // A cache that cannot be written only saves less time.
            let _ = write_through(&temp, &path, &bytes);
        })))
    }

    fn entry(&self, key: CodeKey) -> PathBuf {
        let hex = format!("{key:032x}");
        self.code.join(&hex[..2]).join(&hex[2..])
    }

    /// Writes `path` whole: to a temporary file of a name no other build
    /// uses, then renamed over it.
    fn write_whole(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        write_through(&self.temp_name(path), path, bytes)
    }

    /// A name beside `path` that no other write, of this build or another, uses.
    fn temp_name(&self, path: &Path) -> PathBuf {
        let parent = path.parent().unwrap_or(Path::new("."));
        let n = self.temp_names.fetch_add(1, Ordering::Relaxed);
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        parent.join(format!(".tmp-{}-{nanos}-{n}", std::process::id()))
    }
}

/// A job of the cache's running on a thread of its own; dropping it waits.
pub struct Background(Option<std::thread::JoinHandle<()>>);

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(job) = self.0.take() {
            let _ = job.join();
        }
    }
}

/// Writes `bytes` to `temp`, then renames it to `path` (a reader sees the
/// old file or the new one, whole).
fn write_through(temp: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let written = fs::File::create(temp).and_then(|mut f| f.write_all(bytes));
    written
        .and_then(|_| fs::rename(temp, path))
        .inspect_err(|_| {
            let _ = fs::remove_file(temp);
        })
}

fn checksum(bytes: &[u8]) -> u64 {
    foldhash::quality::FixedState::with_seed(0x4c43_4f44).hash_one(bytes)
}

/// An entry: MAGIC, the number of blocks, each block's length and bytes,
/// then the checksum of all before it.
fn encode(blocks: &[Arc<str>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + blocks.iter().map(|b| b.len() + 8).sum::<usize>());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(blocks.len() as u64).to_le_bytes());
    for b in blocks {
        out.extend_from_slice(&(b.len() as u64).to_le_bytes());
        out.extend_from_slice(b.as_bytes());
    }
    let sum = checksum(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// The blocks of an entry; None when it is not one whole entry.
fn decode(bytes: &[u8]) -> Option<Vec<String>> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if checksum(body).to_le_bytes() != sum || !body.starts_with(MAGIC) {
        return None;
    }
    let mut rest = &body[MAGIC.len()..];
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(head)
    };
    let number = |b: &[u8]| -> Option<usize> {
        usize::try_from(u64::from_le_bytes(b.try_into().ok()?)).ok()
    };
    let count = number(take(8)?)?;
    let mut blocks = Vec::with_capacity(count.min(4096));
    for _ in 0..count {
        let len = number(take(8)?)?;
        blocks.push(String::from_utf8(take(len)?.to_vec()).ok()?);
    }
    Some(blocks)
}

impl CodeStore for BuildCache {
    fn page(&self, key: CodeKey) -> Option<Vec<String>> {
        let path = self.entry(key);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(_) => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                return None;
            }
        };
        match decode(&bytes) {
            Some(blocks) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                // Used now: the last to go when the cache is pruned.
                if let Ok(f) = fs::File::options().write(true).open(&path) {
                    let _ = f.set_modified(SystemTime::now());
                }
                Some(blocks)
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                self.warn(&format!(
                    "a build cache entry is damaged ({}): it is ignored and made again",
                    path.strip_prefix(&self.dir).unwrap_or(&path).display()
                ));
                None
            }
        }
    }

    fn keep_page(&self, key: CodeKey, html: &[Arc<str>]) {
        // A cache that cannot be written only saves less time.
        let _ = self.write_whole(&self.entry(key), &encode(html));
    }
}

/// Deletes the least recently used entries under `dir` while they take
/// more than `limit` bytes, down to three quarters of it.
fn prune(dir: &Path, limit: u64) {
    let mut entries: Vec<(SystemTime, u64, PathBuf)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some((meta.modified().ok()?, meta.len(), e.into_path()))
        })
        .collect();
    let mut total: u64 = entries.iter().map(|e| e.1).sum();
    if total <= limit {
        return;
    }
    entries.sort();
    for (_, len, path) in entries {
        if total <= limit / 4 * 3 {
            break;
        }
        if fs::remove_file(&path).is_ok() {
            total -= len;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_back_and_damage_is_seen() {
        let blocks: Vec<Arc<str>> = vec![Arc::from("<pre>a</pre>\n"), Arc::from("")];
        let bytes = encode(&blocks);
        assert_eq!(decode(&bytes).unwrap(), ["<pre>a</pre>\n", ""]);
        for cut in [0, 1, 8, bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut flipped = bytes.clone();
        flipped[20] ^= 1;
        assert!(decode(&flipped).is_none());
    }

    #[test]
    fn a_damaged_entry_is_a_miss_with_one_warning() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = BuildCache::open(tmp.path()).unwrap();
        cache.keep_page(7, &[Arc::from("x")]);
        assert_eq!(cache.page(7).unwrap(), ["x"]);
        fs::write(cache.entry(7), b"garbage").unwrap();
        fs::write(cache.entry(8), b"garbage too").unwrap();
        assert!(cache.page(7).is_none() && cache.page(8).is_none());
        let warning = cache.finish().expect("one warning");
        assert!(warning.message.contains("damaged"), "{}", warning.message);
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_cache_folder_is_refused_and_never_emptied() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        // Someone else's folder, shaped like a cache without a VERSION file.
        let theirs = outside.path().join("cache/code/keep.txt");
        fs::create_dir_all(theirs.parent().unwrap()).unwrap();
        fs::write(&theirs, "not lectern's").unwrap();
        std::os::unix::fs::symlink(outside.path(), tmp.path().join(".lectern")).unwrap();
        let warning = BuildCache::open(tmp.path()).err().expect("refused");
        assert!(warning.message.contains("link"), "{}", warning.message);
        assert_eq!(fs::read_to_string(&theirs).unwrap(), "not lectern's");
    }

    #[test]
    fn another_version_s_cache_is_emptied_with_a_warning() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = BuildCache::open(tmp.path()).unwrap();
        cache.keep_page(7, &[Arc::from("x")]);
        assert!(cache.finish().is_none());
        fs::write(
            tmp.path().join(BUILD_CACHE_DIR).join("VERSION"),
            "lectern 0.0.1\n",
        )
        .unwrap();
        let cache = BuildCache::open(tmp.path()).unwrap();
        assert!(cache.page(7).is_none());
        assert!(cache.finish().unwrap().message.contains("another version"));
        let cache = BuildCache::open(tmp.path()).unwrap();
        assert!(cache.finish().is_none(), "one warning, once");
    }

    #[test]
    fn pruning_keeps_the_most_recently_used() {
        let tmp = tempfile::tempdir().unwrap();
        let old = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        for (i, name) in ["a", "b", "c", "d"].iter().enumerate() {
            let p = tmp.path().join(name);
            fs::write(&p, [0u8; 100]).unwrap();
            let f = fs::File::options().write(true).open(&p).unwrap();
            f.set_modified(old + std::time::Duration::from_secs(i as u64))
                .unwrap();
        }
        prune(tmp.path(), 300);
        let mut left: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["c", "d"]);
    }
}
