//! Watching the course's sources: the folders and configuration files its
//! `Layout` names (content/, quizzes/, themes/ and course.yaml; for an
//! mdBook, its src/ and book.toml).
//!
//! Only those are watched (not the whole course folder, which may hold the
//! output, `target/` or `node_modules/`), and editor droppings (swap files,
//! backups, lock files) are ignored. Saving a file makes several events in a
//! few milliseconds (write, truncate, rename, chmod), so a change is reported
//! once the events have been quiet for `QUIET`.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::layout::Layout;

/// What of the course is a source: folders (every file under them) and
/// the configuration files at the root.
#[derive(Debug, Clone)]
pub struct Sources {
    dirs: Vec<PathBuf>,
    files: Vec<&'static str>,
}

impl Sources {
    pub fn of(layout: &Layout) -> Sources {
        Sources {
            dirs: layout
                .source_dirs()
                .iter()
                .map(|d| d.to_path_buf())
                .collect(),
            files: layout.config_files().to_vec(),
        }
    }
}

/// How long events must pause before a burst counts as finished. Short,
/// because it adds to every rebuild's latency; editors finish a save well
/// within it.
const QUIET: Duration = Duration::from_millis(30);
/// A burst that never pauses (a tool writing hundreds of files) is cut here.
const MAX_BURST: Duration = Duration::from_millis(1000);

pub struct SourceWatcher {
    root: PathBuf,
    inner: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
    sources: Sources,
    /// Which of the source folders are watched (they may appear later).
    watched: Vec<bool>,
}

impl SourceWatcher {
    pub fn new(root: &Path, layout: &Layout) -> notify::Result<SourceWatcher> {
        let sources = Sources::of(layout);
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let (tx, events) = mpsc::channel();
        // Links are not followed: one to /etc would add a watch for every
        // folder of /etc, and what lies outside the course is never read
        // anyway (`source_files`).
        let mut inner =
            RecommendedWatcher::new(tx, notify::Config::default().with_follow_symlinks(false))?;
        // The root itself, not recursively: course.yaml, and source folders created later.
        inner.watch(&root, RecursiveMode::NonRecursive)?;
        let mut watcher = SourceWatcher {
            root,
            inner,
            events,
            watched: vec![false; sources.dirs.len()],
            sources,
        };
        watcher.watch_source_dirs();
        Ok(watcher)
    }

    fn watch_source_dirs(&mut self) {
        for (i, dir) in self.sources.dirs.iter().enumerate() {
            let path = self.root.join(dir);
            if !self.watched[i] && path.is_dir() {
                self.watched[i] = self.inner.watch(&path, RecursiveMode::Recursive).is_ok();
            }
        }
    }

    /// Blocks until a source changed and the burst of events is over; returns
    /// the changed files relative to the course root, sorted, without
    /// repeats. None when the watcher stopped.
    pub fn next_change(&mut self) -> Option<Vec<PathBuf>> {
        let mut changed = Vec::new();
        // Wait for the first relevant event.
        while changed.is_empty() {
            let event = self.events.recv().ok()?;
            self.collect(event, &mut changed);
        }
        let started = Instant::now();
        loop {
            let left = MAX_BURST.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            match self.events.recv_timeout(QUIET.min(left)) {
                Ok(event) => self.collect(event, &mut changed),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        self.watch_source_dirs();
        changed.sort();
        changed.dedup();
        Some(changed)
    }

    fn collect(&self, event: notify::Result<Event>, changed: &mut Vec<PathBuf>) {
        match event {
            Ok(event) => {
                if matches!(event.kind, EventKind::Access(_)) {
                    return;
                }
                for path in &event.paths {
                    if let Some(rel) = source_path(&self.root, &self.sources, path) {
                        changed.push(rel);
                    }
                }
            }
            // Lost events (a full kernel queue): assume anything changed.
            Err(_) => changed.push(PathBuf::from(self.sources.files[0])),
        }
    }
}

/// `path` relative to `root` when it is a source of the course: a
/// configuration file, or a file (not hidden, not an editor's temporary
/// file) under one of the source folders, or one of those folders itself.
pub fn source_path(root: &Path, sources: &Sources, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_str()?),
            _ => return None,
        }
    }
    if let [only] = parts.as_slice() {
        if sources.files.contains(only) {
            return Some(rel.to_path_buf());
        }
    }
    let dir = sources.dirs.iter().find(|d| rel.starts_with(d))?;
    let rest = &parts[dir.components().count()..];
    let hidden = rest.iter().any(|p| p.starts_with('.'));
    let scratch = rest.last().is_some_and(|name| is_editor_scratch(name));
    (!hidden && !scratch).then(|| rel.to_path_buf())
}

/// Files editors write beside the one being saved.
fn is_editor_scratch(name: &str) -> bool {
    name.ends_with('~')
        || name.starts_with('#')
        || name == "4913" // vim's probe that a folder is writable
        || [".swp", ".swx", ".swo", ".tmp", ".bak", ".crdownload", ".part"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_what_is_not() {
        let root = Path::new("/course");
        let sources = Sources::of(&Layout::course());
        let yes = |p: &str| source_path(root, &sources, &root.join(p)).is_some();
        assert!(yes("course.yaml"));
        assert!(yes("content/01-a/01-b.md"));
        assert!(yes("content/01-a/images/x.png"));
        assert!(yes("quizzes/01-a.yaml"));
        assert!(yes("themes/default/templates/page.html"));
        assert!(yes("content"));
        assert!(!yes("public/index.html"));
        assert!(!yes(".public.lectern-tmp-42"));
        assert!(!yes("target/debug/x"));
        assert!(!yes("content/01-a/.01-b.md.swp"));
        assert!(!yes("content/01-a/01-b.md~"));
        assert!(!yes("content/01-a/4913"));
        assert!(!yes("content/01-a/#01-b.md#"));
        assert!(!yes("content/.git/index"));
        assert!(!yes("README.md"));
        assert!(source_path(root, &sources, Path::new("/elsewhere/course.yaml")).is_none());
    }
}
