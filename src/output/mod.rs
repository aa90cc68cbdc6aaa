//! Writing the site: everything goes into a fresh temporary folder beside the
//! output folder, which replaces the old one only once the build succeeded.
//! A failed or interrupted build therefore never leaves a half-written site,
//! and a build replaces only an output folder it wrote itself (`ownership`):
//! files it did not write are never deleted.

pub mod interrupt;
pub mod ownership;

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::{CopiedFile, FileSink, OutputFile};
use ownership::MANIFEST;

/// What to do with files in the old output that lectern did not write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForeignFiles {
    /// Leave the old output as it is and say which files are in the way.
    Refuse,
    /// Carry them over into the new output (`--force`).
    Keep,
}

/// Why the new output could not replace the old one. The old output is
/// untouched in every case but `Io` during the swap, which says where.
#[derive(Debug)]
pub enum CommitError {
    Io(io::Error),
    /// The old output holds files lectern did not write (`ForeignFiles::Refuse`).
    Foreign(Vec<String>),
    /// Files lectern did not write stand where the new build writes (even
    /// with `ForeignFiles::Keep`: they would be overwritten).
    Collision(Vec<String>),
    /// The new output is in place, but some kept files could not be moved
    /// into it: they are still in this folder.
    KeptIn(PathBuf, io::Error),
}

impl From<io::Error> for CommitError {
    fn from(e: io::Error) -> Self {
        CommitError::Io(e)
    }
}

/// A folder being filled, to be swapped in with `commit`.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
}

/// The staging folder of process `pid` for an output folder named `name`.
fn staging_name(name: &str, pid: u32) -> String {
    format!(".{name}.lectern-tmp-{pid}")
}

impl Staging {
    /// Creates an empty staging folder next to `target` (same file system, so
    /// the final rename is atomic), after removing those that interrupted
    /// builds left there.
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
        remove_stale_staging(parent, &name);
        let dir = parent.join(staging_name(&name, std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        interrupt::register(&dir);
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
        files.par_iter().try_for_each(|f| self.write_one(f))
    }

    /// Writes one file (pages are written as they are rendered, so a large
    /// site's HTML is never all in memory at once).
    pub fn write_one(&self, f: &OutputFile) -> io::Result<()> {
        if interrupt::stopping() {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
        }
        let path = self.dir.join(&f.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, &f.contents)
    }

    pub fn copy_all(&self, files: &[CopiedFile]) -> io::Result<()> {
        files.par_iter().try_for_each(|f| {
            if interrupt::stopping() {
                return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
            }
            let path = self.dir.join(&f.path);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::copy(&f.source, &path).map(|_| ())
        })
    }

    /// Replaces the target folder with the staged one, writing the manifest
    /// of what it holds. The old folder is moved aside first and removed only
    /// after the new one is in place; files in it that lectern did not write
    /// are refused or kept as `foreign` says, never deleted.
    pub fn commit(self, foreign: ForeignFiles) -> Result<(), CommitError> {
        let result = self.commit_inner(foreign);
        if result.is_err() && self.dir.exists() {
            let _ = fs::remove_dir_all(&self.dir);
        }
        interrupt::unregister(&self.dir);
        result
    }

    fn commit_inner(&self, foreign: ForeignFiles) -> Result<(), CommitError> {
        let written: BTreeSet<String> = ownership::entries(&self.dir)?.into_iter().collect();
        let kept = ownership::foreign_entries(&self.target, &written)?;
        if !kept.is_empty() && foreign == ForeignFiles::Refuse {
            return Err(CommitError::Foreign(kept));
        }
        let collisions: Vec<String> = kept
            .iter()
            .filter(|p| collides(p, &written))
            .cloned()
            .collect();
        if !collisions.is_empty() {
            return Err(CommitError::Collision(collisions));
        }
        fs::write(
            self.dir.join(MANIFEST),
            ownership::manifest_text(written.iter().map(String::as_str)),
        )?;

        interrupt::uninterrupted(|| self.swap(&kept))
    }

    /// Moves the old output aside, the new one in, then the kept files over.
    fn swap(&self, kept: &[String]) -> Result<(), CommitError> {
        let backup = self.dir.with_extension("old");
        if backup.exists() {
            // Left by an earlier swap of this process that could not move
            // every kept file: it may still hold some.
            if !ownership::foreign_entries(&backup, &BTreeSet::new())?.is_empty() {
                return Err(CommitError::KeptIn(
                    backup,
                    io::Error::other("an earlier build left files here"),
                ));
            }
            fs::remove_dir_all(&backup)?;
        }
        let had_old = fs::symlink_metadata(&self.target).is_ok();
        if had_old {
            fs::rename(&self.target, &backup)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = fs::rename(&backup, &self.target);
            }
            return Err(e.into());
        }
        if had_old {
            // Kept files move into the new output before the old one goes;
            // if one cannot, the old folder stays where it is, with it.
            for rel in kept {
                if let Err(e) = move_into(&backup, &self.target, rel) {
                    return Err(CommitError::KeptIn(backup, e));
                }
            }
            let _ = fs::remove_dir_all(&backup);
        }
        Ok(())
    }

    /// Throws the staged files away, leaving the target untouched.
    pub fn discard(self) {
        let _ = fs::remove_dir_all(&self.dir);
        interrupt::unregister(&self.dir);
    }
}

impl FileSink for Staging {
    fn write_file(&self, file: &OutputFile) -> io::Result<()> {
        self.write_one(file)
    }

    fn write_streamed(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        if interrupt::stopping() {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
        }
        let path = self.dir.join(path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut out = io::BufWriter::with_capacity(1 << 16, fs::File::create(&path)?);
        fill(&mut out)?;
        io::Write::flush(&mut out)
    }

    fn folder(&self) -> &Path {
        &self.dir
    }
}

/// Whether a kept path stands where the new build writes: the same path, a
/// file where the build needs a folder, or a folder where it writes a file.
fn collides(kept: &str, written: &BTreeSet<String>) -> bool {
    if kept == MANIFEST || written.contains(kept) {
        return true;
    }
    let as_folder = format!("{kept}/");
    if written
        .range(as_folder.clone()..)
        .next()
        .is_some_and(|w| w.starts_with(&as_folder))
    {
        return true;
    }
    let mut prefix = kept;
    while let Some((parent, _)) = prefix.rsplit_once('/') {
        if written.contains(parent) {
            return true;
        }
        prefix = parent;
    }
    false
}

fn move_into(from_root: &Path, to_root: &Path, rel: &str) -> io::Result<()> {
    let to = to_root.join(rel);
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::rename(from_root.join(rel), to)
}

/// Removes the staging folders (and their `.old` backups) that builds of
/// processes no longer running left beside the output folder: a build killed
/// outright (SIGKILL, a power cut) cannot clean up after itself. Only names
/// lectern gives its own folders are touched, and never a live process's.
fn remove_stale_staging(parent: &Path, name: &str) {
    let prefix = staging_name(name, 0);
    let prefix = prefix.trim_end_matches('0');
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(prefix) else {
            continue;
        };
        let pid = rest.strip_suffix(".old").unwrap_or(rest);
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid == std::process::id() || process_alive(pid) {
            continue;
        }
        // A backup is an old output: a build that died while moving the
        // files it keeps may have left some of them there.
        let is_backup = rest.ends_with(".old");
        if !is_backup
            || ownership::foreign_entries(&entry.path(), &BTreeSet::new())
                .is_ok_and(|f| f.is_empty())
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        // Without /proc, never guess: a folder is left rather than lost.
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(target: &Path, files: &[(&str, &str)]) -> Staging {
        let staging = Staging::new(target).unwrap();
        let files: Vec<OutputFile> = files.iter().map(|(p, c)| OutputFile::new(*p, *c)).collect();
        staging.write_all(&files).unwrap();
        staging
    }

    #[test]
    fn failed_build_keeps_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        stage(&target, &[("old.html", "old")])
            .commit(ForeignFiles::Refuse)
            .unwrap();
        stage(&target, &[("new.html", "new")]).discard();
        assert!(target.join("old.html").exists());
        stage(&target, &[("sub/new.html", "new")])
            .commit(ForeignFiles::Refuse)
            .unwrap();
        assert!(!target.join("old.html").exists());
        assert!(target.join("sub/new.html").exists());
        assert_eq!(
            fs::read_to_string(target.join(MANIFEST))
                .unwrap()
                .lines()
                .nth(1),
            Some("sub/new.html")
        );
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary folders left"
        );
    }

    #[test]
    fn foreign_files_are_refused_or_kept_never_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        stage(&target, &[("a.html", "a")])
            .commit(ForeignFiles::Refuse)
            .unwrap();
        fs::write(target.join("CNAME"), "example.org").unwrap();
        fs::create_dir_all(target.join(".git")).unwrap();
        fs::write(target.join(".git/HEAD"), "ref").unwrap();
        match stage(&target, &[("b.html", "b")]).commit(ForeignFiles::Refuse) {
            Err(CommitError::Foreign(list)) => assert_eq!(list, [".git/HEAD", "CNAME"]),
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(
            target.join("a.html").exists(),
            "the old output is untouched"
        );
        stage(&target, &[("b.html", "b")])
            .commit(ForeignFiles::Keep)
            .unwrap();
        assert_eq!(
            fs::read_to_string(target.join("CNAME")).unwrap(),
            "example.org"
        );
        assert_eq!(fs::read_to_string(target.join(".git/HEAD")).unwrap(), "ref");
        assert!(target.join("b.html").exists() && !target.join("a.html").exists());
        // A kept file where the build writes is refused even when kept.
        match stage(&target, &[("CNAME", "x")]).commit(ForeignFiles::Keep) {
            Err(CommitError::Collision(list)) => assert_eq!(list, ["CNAME"]),
            other => panic!("expected a collision, got {other:?}"),
        }
        assert_eq!(
            fs::read_to_string(target.join("CNAME")).unwrap(),
            "example.org"
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn collisions_cover_files_and_folders() {
        let written: BTreeSet<String> = ["a/b.html".to_string(), "c.html".to_string()].into();
        assert!(collides("c.html", &written));
        assert!(collides("a", &written), "a kept file where a folder goes");
        assert!(
            collides("c.html/x", &written),
            "a kept folder where a file goes"
        );
        assert!(!collides("a/other.html", &written));
        assert!(!collides("ab", &written));
    }

    #[test]
    fn stale_staging_of_dead_processes_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        // No process has a pid this high (Linux caps them at 2^22).
        let dead = dir.path().join(staging_name("public", 4_999_999));
        let dead_backup = dir
            .path()
            .join(format!("{}.old", staging_name("public", 4_999_998)));
        let live = dir.path().join(staging_name("public", 1));
        let other = dir.path().join(".public.lectern-tmp-notapid");
        for d in [&dead, &dead_backup, &live, &other] {
            fs::create_dir_all(d.join("x")).unwrap();
            fs::write(d.join("x/page.html"), "x").unwrap();
        }
        // The backup is a former output: its manifest says the page is lectern's.
        fs::write(
            dead_backup.join(MANIFEST),
            ownership::manifest_text(["x/page.html"]),
        )
        .unwrap();
        stage(&target, &[("a.html", "a")])
            .commit(ForeignFiles::Refuse)
            .unwrap();
        assert!(!dead.exists() && !dead_backup.exists());
        assert!(live.exists(), "pid 1 is alive: its folder stays");
        // A dead build's backup holding a file lectern did not write stays.
        let backup = dir
            .path()
            .join(format!("{}.old", staging_name("public", 4_999_997)));
        fs::create_dir_all(&backup).unwrap();
        fs::write(backup.join("thesis.docx"), "mine").unwrap();
        stage(&target, &[("a.html", "a")])
            .commit(ForeignFiles::Refuse)
            .unwrap();
        assert!(backup.join("thesis.docx").exists());
        assert!(other.exists(), "not a name lectern gives: left alone");
    }
}
