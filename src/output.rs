//! Writing the site: everything goes into a fresh temporary folder beside the
//! output folder, which replaces the old one only once the build succeeded.
//! A failed or interrupted build therefore never leaves a half-written site.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// A file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    pub contents: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, contents: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            contents: contents.into(),
        }
    }
}

/// A file copied as it is (images and other assets).
#[derive(Debug, Clone)]
pub struct CopiedFile {
    pub source: PathBuf,
    pub path: String,
}

/// A folder being filled, to be swapped in with `commit`.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
}

impl Staging {
    /// Creates an empty staging folder next to `target` (same file system, so
    /// the final rename is atomic).
    pub fn new(target: &Path) -> io::Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.lectern-tmp-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes files in parallel, creating folders as needed.
    pub fn write_all(&self, files: &[OutputFile]) -> io::Result<()> {
        files.par_iter().try_for_each(|f| {
            let path = self.dir.join(&f.path);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&path, &f.contents)
        })
    }

    /// Writes one file (pages are written as they are rendered, so a large
    /// site's HTML is never all in memory at once).
    pub fn write_one(&self, f: &OutputFile) -> io::Result<()> {
        let path = self.dir.join(&f.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, &f.contents)
    }

    pub fn copy_all(&self, files: &[CopiedFile]) -> io::Result<()> {
        files.par_iter().try_for_each(|f| {
            let path = self.dir.join(&f.path);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::copy(&f.source, &path).map(|_| ())
        })
    }

    /// Replaces the target folder with the staged one. The old folder is moved
    /// aside first and removed only after the new one is in place.
    pub fn commit(self) -> io::Result<()> {
        let backup = self.dir.with_extension("old");
        if backup.exists() {
            fs::remove_dir_all(&backup)?;
        }
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &backup)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = fs::rename(&backup, &self.target);
            }
            return Err(e);
        }
        if had_old {
            let _ = fs::remove_dir_all(&backup);
        }
        Ok(())
    }

    /// Throws the staged files away, leaving the target untouched.
    pub fn discard(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Relative prefix from a page at `url` (relative to the site root) back to the root.
pub fn root_prefix(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// A link from the page at `from` to `to` (both relative to the site root).
pub fn relative_url(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(to_parts.iter())
        .take_while(|(a, b)| a == b)
        .count();
    let common = common.min(to_parts.len() - 1);
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links() {
        assert_eq!(relative_url("a/b.html", "a/c.html"), "c.html");
        assert_eq!(relative_url("a/b.html", "d/index.html"), "../d/index.html");
        assert_eq!(relative_url("index.html", "d/index.html"), "d/index.html");
        assert_eq!(relative_url("a/b.html", "index.html"), "../index.html");
        assert_eq!(relative_url("a/x/b.html", "a/y.html"), "../y.html");
        assert_eq!(root_prefix("a/b.html"), "../");
        assert_eq!(root_prefix("index.html"), "");
    }

    #[test]
    fn failed_build_keeps_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("old.html"), "old").unwrap();
        let staging = Staging::new(&target).unwrap();
        staging
            .write_all(&[OutputFile::new("new.html", "new")])
            .unwrap();
        staging.discard();
        assert!(target.join("old.html").exists());
        let staging = Staging::new(&target).unwrap();
        staging
            .write_all(&[OutputFile::new("sub/new.html", "new")])
            .unwrap();
        staging.commit().unwrap();
        assert!(!target.join("old.html").exists());
        assert!(target.join("sub/new.html").exists());
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary folders left"
        );
    }
}
