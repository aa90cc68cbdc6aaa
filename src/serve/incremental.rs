//! Rebuilds that rewrite only what changed.
//!
//! `lectern build` writes every file into a fresh folder and swaps it in;
//! on the shipped course that is fine once, but the preview rebuilds on
//! every save. Here the site is rendered in memory as usual and then
//! compared, file by file, with what the last rebuild wrote (by hash): a
//! one-page edit rewrites that page (and any page whose navigation shows its
//! title), each file replaced atomically by a rename, so a request never
//! reads half a file. Files the new build no longer has are deleted.
//!
//! The search index is the slowest part of a build and is not needed to
//! show the edited page, so it is rebuilt on a background thread after the
//! pages are written and the browser told to reload; it is skipped when the
//! searchable text did not change (a template or stylesheet edit).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use walkdir::WalkDir;

use crate::output::ownership;
use crate::render::{CopiedFile, OutputFile};
use crate::search::delta::IndexMemo;
use crate::search::{self, SearchDoc};

/// The folder under the output where the search index lives.
const SEARCH_DIR: &str = "search";

/// The hash recorded for a file written by a full build and not read back.
const UNKNOWN_HASH: u64 = 0;

/// What one incremental write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub removed: usize,
    pub unchanged: usize,
}

/// The output folder as the last rebuild left it.
pub struct OutputState {
    out_dir: PathBuf,
    /// Site-relative path → hash of the bytes written there.
    written: HashMap<String, u64>,
    /// Site-relative path → the source copied there and its size and time.
    copied: HashMap<String, (PathBuf, u64, Option<SystemTime>)>,
    /// False until the first write: the folder then holds what a full build
    /// wrote, which is compared with the disk instead of the hashes.
    known: bool,
    /// Hash of the manifest this state last wrote (0: none yet).
    manifest: u64,
    search: SearchWriter,
}

impl OutputState {
    pub fn new(out_dir: PathBuf) -> OutputState {
        OutputState {
            out_dir,
            written: HashMap::new(),
            copied: HashMap::new(),
            known: false,
            manifest: 0,
            search: SearchWriter::default(),
        }
    }

    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// Writes what changed since the last call (or, on the first call, what
    /// differs from the folder's files) and deletes what the site no longer
    /// has. `kept` are files the renderer did not make again because their
    /// inputs are those of the last call: they stay as they are. `pending`
    /// are files still to come (`write_pending`): left as they are, or not
    /// there yet.
    pub fn write(
        &mut self,
        files: &[OutputFile],
        kept: &[String],
        pending: &[String],
        copies: &[CopiedFile],
    ) -> io::Result<WriteStats> {
        let mut stats = WriteStats::default();
        // The manifest must list every file lectern may have written before
        // any is written: a write that fails half-way leaves files that the
        // next full build would otherwise take for the user's.
        // Rewritten only when it lacks one (nearly every rebuild writes
        // files the manifest already lists).
        let mut listed = ownership::read_manifest(&self.out_dir).unwrap_or_default();
        let before = listed.paths.len();
        listed.paths.extend(
            files
                .iter()
                .map(|f| f.path.as_str())
                .chain(kept.iter().map(String::as_str))
                .chain(pending.iter().map(String::as_str))
                .chain(copies.iter().map(|c| c.path.as_str()))
                .filter(|p| !listed.paths.contains(*p))
                .map(str::to_string)
                .collect::<Vec<_>>(),
        );
        if listed.paths.len() != before {
            self.manifest = 0;
            write_atomically(
                &self.out_dir.join(ownership::MANIFEST),
                ownership::manifest_text(listed.paths.iter().map(String::as_str)).as_bytes(),
            )?;
        }
        let mut present: HashSet<&str> =
            HashSet::with_capacity(files.len() + kept.len() + copies.len());
        for path in kept {
            if !self.written.contains_key(path) {
                // The full build before wrote it (the dev server's first
                // build fills the render cache): its hash is not known, so
                // the next change of the page rewrites it.
                if self.known || !self.out_dir.join(path).is_file() {
                    return Err(io::Error::other(format!(
                        "{path} was not rendered again, but the last rebuild did not write it"
                    )));
                }
                self.written.insert(path.clone(), UNKNOWN_HASH);
            }
            present.insert(path.as_str());
            stats.unchanged += 1;
        }
        present.extend(pending.iter().map(String::as_str));
        for file in files {
            present.insert(file.path.as_str());
            self.write_file(file, &mut stats)?;
        }
        for copy in copies {
            present.insert(copy.path.as_str());
            let meta = fs::metadata(&copy.source)?;
            let stamp = (copy.source.clone(), meta.len(), meta.modified().ok());
            let target = self.out_dir.join(&copy.path);
            let same = match self.copied.get(&copy.path) {
                Some(old) => *old == stamp,
                None if !self.known => same_file_contents(&copy.source, &target),
                None => false,
            };
            if same {
                stats.unchanged += 1;
            } else {
                let bytes = fs::read(&copy.source)?;
                write_atomically(&target, &bytes)?;
                stats.written += 1;
            }
            self.copied.insert(copy.path.clone(), stamp);
        }

        let gone: Vec<String> = if self.known {
            self.written
                .keys()
                .chain(self.copied.keys())
                .filter(|p| !present.contains(p.as_str()))
                .cloned()
                .collect()
        } else {
            // What the full build before wrote, by its manifest: a file it
            // did not write (kept with --force, or dropped in since) stays.
            files_under(&self.out_dir)
                .into_iter()
                .filter(|p| {
                    !present.contains(p.as_str()) && !p.starts_with("search/") && listed.contains(p)
                })
                .collect()
        };
        for path in &gone {
            remove_with_empty_parents(&self.out_dir, path);
            self.written.remove(path);
            self.copied.remove(path);
            stats.removed += 1;
        }
        self.known = true;
        // The manifest lists the pages and copies now there, and the search
        // index as a whole folder: it is rewritten in the background.
        let search = format!("{SEARCH_DIR}/");
        let listed = present.iter().copied().chain([search.as_str()]);
        let text = ownership::manifest_text(listed);
        let hash = hash_bytes(text.as_bytes());
        if hash != self.manifest {
            write_atomically(&self.out_dir.join(ownership::MANIFEST), text.as_bytes())?;
            self.manifest = hash;
        }
        Ok(stats)
    }

    /// Writes the files `write` was told were pending (their paths are in
    /// the manifest already), each only if its bytes changed.
    pub fn write_pending(&mut self, files: &[OutputFile]) -> io::Result<WriteStats> {
        let mut stats = WriteStats::default();
        for file in files {
            self.write_file(file, &mut stats)?;
        }
        Ok(stats)
    }

    /// Writes `file` unless the folder holds its bytes already.
    fn write_file(&mut self, file: &OutputFile, stats: &mut WriteStats) -> io::Result<()> {
        let hash = hash_bytes(&file.contents);
        let target = self.out_dir.join(&file.path);
        let same = match self.written.get(&file.path) {
            Some(old) => *old == hash,
            None if !self.known => fs::read(&target).is_ok_and(|b| b == file.contents),
            None => false,
        };
        if same {
            stats.unchanged += 1;
        } else {
            write_atomically(&target, &file.contents)?;
            stats.written += 1;
        }
        self.written.insert(file.path.clone(), hash);
        Ok(())
    }

    /// Starts rebuilding the search index in the background if the
    /// searchable text changed. Returns whether a rebuild was started.
    /// `done` runs on the background thread when the index is written.
    pub fn update_search(
        &mut self,
        docs: Vec<SearchDoc>,
        options: search::IndexOptions,
        enabled: bool,
        done: impl FnOnce(&io::Result<Duration>) + Send + 'static,
    ) -> bool {
        self.search
            .update(&self.out_dir, docs, options, enabled, Box::new(done))
    }

    /// Waits for a background search-index rebuild; its time, if one ran.
    pub fn finish_search(&mut self) -> Option<io::Result<Duration>> {
        self.search.finish()
    }
}

type Done = Box<dyn FnOnce(&io::Result<Duration>) + Send>;

/// A finished index write: how long it took, the files it left, and the
/// sections' terms for the next one.
type IndexWrite = (io::Result<Duration>, HashMap<String, u64>, IndexMemo);

/// Rebuilds the search index off the request path.
#[derive(Default)]
struct SearchWriter {
    /// Hash of the documents of the index on disk (None: unknown).
    indexed: Option<u64>,
    /// The index files on disk and their hashes.
    files: HashMap<String, u64>,
    /// The tokenized sections of the last index (with the worker while it runs).
    memo: IndexMemo,
    worker: Option<JoinHandle<IndexWrite>>,
}

impl SearchWriter {
    fn update(
        &mut self,
        out_dir: &Path,
        docs: Vec<SearchDoc>,
        options: search::IndexOptions,
        enabled: bool,
        done: Done,
    ) -> bool {
        // One index write at a time; the previous one is nearly always done.
        let _ = self.finish();
        let dir = out_dir.join(SEARCH_DIR);
        if !enabled {
            if self.indexed.is_some() || dir.exists() {
                let _ = fs::remove_dir_all(&dir);
            }
            self.indexed = None;
            self.files.clear();
            self.memo = IndexMemo::default();
            return false;
        }
        let hash = hash_docs(&docs, &options);
        if self.indexed == Some(hash) {
            return false;
        }
        self.indexed = Some(hash);
        let previous = std::mem::take(&mut self.files);
        if previous.is_empty() {
            // The folder's index is unknown: the memo must not keep files.
            self.memo = IndexMemo::default();
        }
        let mut memo = std::mem::take(&mut self.memo);
        self.worker = Some(std::thread::spawn(move || {
            let (result, files) = write_index(&dir, &docs, &options, previous, &mut memo);
            done(&result);
            (result, files, memo)
        }));
        true
    }

    fn finish(&mut self) -> Option<io::Result<Duration>> {
        let worker = self.worker.take()?;
        match worker.join() {
            Ok((result, files, memo)) => {
                self.files = files;
                self.memo = memo;
                if result.is_err() {
                    // Written in part: the next update writes it all again,
                    // keeping no file as the memo says the last index had it.
                    self.indexed = None;
                    self.memo = IndexMemo::default();
                }
                Some(result)
            }
            Err(_) => {
                self.indexed = None;
                Some(Err(io::Error::other("the search index writer panicked")))
            }
        }
    }
}

/// Writes the index files that changed, the entry file (`meta.js`, which
/// names the build) last so a page never loads an entry that points at
/// shards not yet written; then deletes the files of the old index that the
/// new one has not.
fn write_index(
    dir: &Path,
    docs: &[SearchDoc],
    options: &search::IndexOptions,
    previous: HashMap<String, u64>,
    memo: &mut IndexMemo,
) -> (io::Result<Duration>, HashMap<String, u64>) {
    let started = Instant::now();
    let mut clock = crate::pipeline::trace::StageClock::from_env();
    let rendered = search::delta::render(docs, options, memo, &mut |stage| clock.lap(stage));
    let (mut made, gone) = (rendered.files, rendered.gone);
    made.sort_by_key(|(name, _)| name == "meta.js");
    let known = !previous.is_empty();
    // The memo made `made` against the index `previous` describes (both are
    // dropped together whenever a write fails), so every other file of it
    // stays but those `gone`.
    let mut files = previous;
    let result = (|| {
        for (name, text) in &made {
            let hash = hash_bytes(text.as_bytes());
            let path = dir.join(name);
            let same = match files.get(name) {
                Some(old) => *old == hash,
                None if !known => fs::read(&path).is_ok_and(|b| b == text.as_bytes()),
                None => false,
            };
            if !same {
                write_atomically(&path, text.as_bytes())?;
            }
            files.insert(name.clone(), hash);
        }
        let stale: Vec<String> = match gone {
            Some(gone) => gone,
            None => {
                let index: HashSet<&str> = made.iter().map(|(n, _)| n.as_str()).collect();
                let on_disk = if known {
                    files.keys().cloned().collect()
                } else {
                    files_under(dir)
                };
                on_disk
                    .into_iter()
                    .filter(|n| !index.contains(n.as_str()))
                    .collect()
            }
        };
        for name in stale {
            let _ = fs::remove_file(dir.join(&name));
            files.remove(&name);
        }
        Ok(started.elapsed())
    })();
    clock.lap("write");
    clock.report("search index");
    (result, files)
}

/// A fast hash of a file's bytes, to tell whether it changed (SipHash over
/// every page of a large site was a fifth of a rebuild).
fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x6c65_6374).hash_one(bytes)
}

/// Whether the searchable text changed, on the request thread after every
/// rebuild: foldhash (SipHash over 80 MB of sections at 10,000 pages was
/// tens of milliseconds before the index could start).
fn hash_docs(docs: &[SearchDoc], options: &search::IndexOptions) -> u64 {
    use std::hash::BuildHasher;
    let mut h = foldhash::quality::FixedState::with_seed(0x7365_6172_6368).build_hasher();
    format!("{options:?}").hash(&mut h);
    docs.len().hash(&mut h);
    for d in docs {
        d.url.hash(&mut h);
        d.title.hash(&mut h);
        d.heading.hash(&mut h);
        d.breadcrumb.hash(&mut h);
        (d.kind as u8).hash(&mut h);
        d.text.hash(&mut h);
    }
    h.finish()
}

fn same_file_contents(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(ma), Ok(mb)) if ma.len() == mb.len() => fs::read(a).ok() == fs::read(b).ok(),
        _ => false,
    }
}

/// Replaces `path` by a complete new file: written beside it under a hidden
/// name (never served), then renamed over it.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let parent = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = parent.join(format!(".{name}.lectern-new"));
    fs::write(&temp, bytes)?;
    fs::rename(&temp, path).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })
}

/// Every file under `dir`, relative to it with `/` separators.
fn files_under(dir: &Path) -> Vec<String> {
    WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            Some(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/"),
            )
        })
        .collect()
}

fn remove_with_empty_parents(root: &Path, rel: &str) {
    let path = root.join(rel);
    if fs::remove_file(&path).is_err() {
        return;
    }
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == root || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(state: &mut OutputState, files: &[(&str, &str)]) -> WriteStats {
        let files: Vec<OutputFile> = files.iter().map(|(p, c)| OutputFile::new(*p, *c)).collect();
        state.write(&files, &[], &[], &[]).unwrap()
    }

    #[test]
    fn writes_only_what_changed_and_removes_what_went() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(out.join("old")).unwrap();
        fs::write(out.join("a.html"), "A").unwrap();
        fs::write(out.join("old/stale.html"), "stale").unwrap();
        // The full build before wrote those two; a file it did not write stays.
        fs::write(
            out.join(ownership::MANIFEST),
            ownership::manifest_text(["a.html", "old/stale.html"]),
        )
        .unwrap();
        fs::write(out.join("CNAME"), "mine").unwrap();
        let mut state = OutputState::new(out.clone());

        let first = write(&mut state, &[("a.html", "A"), ("b/c.html", "C")]);
        assert_eq!(
            first,
            WriteStats {
                written: 1,
                removed: 1,
                unchanged: 1
            }
        );
        assert!(!out.join("old").exists(), "emptied folders go too");

        let second = write(&mut state, &[("a.html", "A2"), ("b/c.html", "C")]);
        assert_eq!(
            second,
            WriteStats {
                written: 1,
                removed: 0,
                unchanged: 1
            }
        );
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "A2");

        let third = write(&mut state, &[("a.html", "A2")]);
        assert_eq!(
            third,
            WriteStats {
                written: 0,
                removed: 1,
                unchanged: 1
            }
        );
        assert!(!out.join("b").exists());
        let mut leftovers: Vec<String> = files_under(&out);
        leftovers.sort();
        assert_eq!(
            leftovers,
            [ownership::MANIFEST, "CNAME", "a.html"],
            "no temporary files left, and the file lectern did not write kept"
        );
        let owned = ownership::read_manifest(&out).unwrap();
        assert!(owned.contains("a.html") && owned.contains("search/x.js"));
        assert!(!owned.contains("CNAME") && !owned.contains("b/c.html"));
    }
}
