//! The trust boundary for a course's sources: which files lectern may read.
//!
//! Only regular files and folders whose real path (every symbolic link
//! resolved) lies inside the course folder are read. A link that leads out
//! of it is reported, naming the link and where it leads, and skipped: it is
//! never followed, so a link to /etc does not make a build walk /etc, and a
//! link to /proc/self/environ cannot publish the build's environment. Special
//! files (named pipes, sockets, devices) are never opened: their type is
//! read from the file's metadata first, because opening a named pipe blocks
//! until someone writes to it. Links that stay inside the course keep
//! working, and a link back to a folder being walked is reported as a loop.
//!
//! Every reader of content/, quizzes/ and themes/ goes through here, so the
//! rule is kept in one place.

pub mod text;

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// What a path names, once it passed the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
}

/// A file found by [`Boundary::walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The path as reached from the walked folder (through any links).
    pub path: PathBuf,
    /// Relative to the walked folder, `/`-separated.
    pub rel: String,
}

/// The course folder whose files may be read.
#[derive(Debug, Clone)]
pub struct Boundary {
    /// As given: diagnostics name paths relative to it.
    root: PathBuf,
    /// Canonical: real paths are compared with it.
    real_root: PathBuf,
}

/// Folders of the system whose files are never sources, whatever the
/// course root (a course at `/` would otherwise hold them): their "regular"
/// files are made up as they are read (`/proc/self/environ`). Not `/dev`:
/// its devices are refused by type, and `/dev/shm` is an ordinary tmpfs
/// where courses are built (the benchmarks do).
const SYSTEM_DIRS: [&str; 2] = ["/proc", "/sys"];

impl Boundary {
    pub fn new(root: &Path) -> Boundary {
        Boundary {
            root: root.to_path_buf(),
            real_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    /// `path` relative to the course root, for diagnostics.
    pub fn display(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    }

    /// Whether `path` may be read: a regular file or a folder whose real
    /// path lies inside the course. Otherwise the diagnostic to report: a
    /// warning for a path that leads outside or a special file, an error for
    /// one that cannot be read at all (a link pointing nowhere).
    pub fn check(&self, path: &Path) -> Result<Kind, Diagnostic> {
        let real = path.canonicalize().map_err(|e| self.unreadable(path, &e))?;
        self.check_real(path, &real)
    }

    /// `check` for a path whose real location is already known.
    fn check_real(&self, path: &Path, real: &Path) -> Result<Kind, Diagnostic> {
        let shown = self.display(path);
        if !real.starts_with(&self.real_root) {
            return Err(Diagnostic::warning(
                &shown,
                0,
                0,
                format!(
                    "{} leads outside the course, to {}: it is not read",
                    shown.display(),
                    real.display()
                ),
            )
            .with_hint(
                "copy the file into the course instead of linking to it: only files inside the course folder are read",
            ));
        }
        if SYSTEM_DIRS.iter().any(|d| real.starts_with(d)) {
            return Err(Diagnostic::warning(
                &shown,
                0,
                0,
                format!(
                    "{} is a system file ({}): it is never read",
                    shown.display(),
                    real.display()
                ),
            )
            .with_hint("remove it from the course folder"));
        }
        // The real path's own type (not the link's), without opening it.
        let meta = std::fs::metadata(real).map_err(|e| self.unreadable(path, &e))?;
        let kind = meta.file_type();
        if kind.is_file() {
            Ok(Kind::File)
        } else if kind.is_dir() {
            Ok(Kind::Dir)
        } else {
            Err(Diagnostic::warning(
                &shown,
                0,
                0,
                format!(
                    "{} is {}, not a regular file: it is never read",
                    shown.display(),
                    special_kind(&kind)
                ),
            )
            .with_hint(
                "only regular files and folders are part of a course: remove it from the course folder",
            ))
        }
    }

    fn unreadable(&self, path: &Path, e: &std::io::Error) -> Diagnostic {
        Diagnostic::error(self.display(path), 0, 0, format!("cannot read: {e}"))
            .with_hint("check that it exists and can be read: a symbolic link may point nowhere")
    }

    /// Every file under `dir` that may be read, sorted by name folder by
    /// folder, hidden names (`.git`, `.DS_Store`) left out. What is skipped
    /// is reported in `diagnostics`. Nothing is opened, nor any folder
    /// listed, before it passed the checks.
    pub fn walk(&self, dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<Found> {
        let mut found = Vec::new();
        let real = match dir.canonicalize() {
            Ok(r) => r,
            Err(e) => {
                diagnostics.push(self.unreadable(dir, &e));
                return found;
            }
        };
        match self.check_real(dir, &real) {
            Ok(Kind::Dir) => {}
            Ok(Kind::File) => return found,
            Err(d) => {
                diagnostics.push(d);
                return found;
            }
        }
        // The folders being walked, and those above them up to the course
        // root: a link to any of them is a loop.
        let mut ancestors: Vec<PathBuf> = real
            .ancestors()
            .take_while(|a| a.starts_with(&self.real_root))
            .map(Path::to_path_buf)
            .collect();
        ancestors.reverse();
        self.walk_dir(dir, &real, "", &mut ancestors, &mut found, diagnostics);
        found
    }

    fn walk_dir(
        &self,
        dir: &Path,
        real_dir: &Path,
        rel: &str,
        ancestors: &mut Vec<PathBuf>,
        found: &mut Vec<Found>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                diagnostics.push(self.unreadable(dir, &e));
                return;
            }
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name();
            let name_text = name.to_string_lossy();
            if name_text.starts_with('.') {
                continue;
            }
            let path = dir.join(&name);
            let child_rel = if rel.is_empty() {
                name_text.into_owned()
            } else {
                format!("{rel}/{name_text}")
            };
            let Ok(own_type) = entry.file_type() else {
                continue;
            };
            // Only a link can lead elsewhere: anything else lies where its
            // (already checked) folder does.
            let real = if own_type.is_symlink() {
                match path.canonicalize() {
                    Ok(r) => r,
                    Err(e) => {
                        diagnostics.push(self.unreadable(&path, &e));
                        continue;
                    }
                }
            } else {
                real_dir.join(&name)
            };
            let kind = if own_type.is_symlink() {
                self.check_real(&path, &real)
            } else if own_type.is_file() {
                Ok(Kind::File)
            } else if own_type.is_dir() {
                Ok(Kind::Dir)
            } else {
                self.check_real(&path, &real)
            };
            match kind {
                Ok(Kind::File) => found.push(Found {
                    path,
                    rel: child_rel,
                }),
                Ok(Kind::Dir) if ancestors.contains(&real) => {
                    // Awkward but harmless once skipped: the build goes
                    // on, and says what it left out.
                    diagnostics.push(
                        Diagnostic::warning(
                            self.display(&path),
                            0,
                            0,
                            "symbolic link loop: this folder links back to one of its parents; it is skipped",
                        )
                        .with_hint("remove the link: the folder it leads to is read already"),
                    );
                }
                Ok(Kind::Dir) => {
                    ancestors.push(real.clone());
                    self.walk_dir(&path, &real, &child_rel, ancestors, found, diagnostics);
                    ancestors.pop();
                }
                Err(d) => diagnostics.push(d),
            }
        }
    }
}

/// A special file's kind, in words.
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    let _ = kind;
    "a special file"
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn course() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("course");
        std::fs::create_dir_all(root.join("content/a")).unwrap();
        std::fs::write(root.join("content/a/page.md"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        (dir, root)
    }

    fn rels(found: &[Found]) -> Vec<&str> {
        found.iter().map(|f| f.rel.as_str()).collect()
    }

    #[test]
    fn links_inside_are_followed_and_links_outside_refused() {
        let (dir, root) = course();
        std::fs::create_dir_all(root.join("shared")).unwrap();
        std::fs::write(root.join("shared/extra.md"), "y").unwrap();
        symlink("../shared", root.join("content/b")).unwrap();
        symlink(
            dir.path().join("secret.txt"),
            root.join("content/a/secret.txt"),
        )
        .unwrap();
        symlink(dir.path(), root.join("content/outside")).unwrap();
        symlink("/etc", root.join("content/etc")).unwrap();
        let boundary = Boundary::new(&root);
        let mut diags = Vec::new();
        let found = boundary.walk(&root.join("content"), &mut diags);
        assert_eq!(rels(&found), ["a/page.md", "b/extra.md"]);
        let mut named: Vec<String> = diags.iter().map(|d| d.file.display().to_string()).collect();
        named.sort();
        assert_eq!(
            named,
            ["content/a/secret.txt", "content/etc", "content/outside"]
        );
        assert!(diags.iter().all(|d| !d.is_error()));
        assert!(diags[0].message.contains("leads outside the course"));
    }

    #[test]
    fn loops_are_reported_once_each() {
        let (_dir, root) = course();
        symlink("..", root.join("content/a/up")).unwrap();
        symlink("../..", root.join("content/a/course")).unwrap();
        let mut diags = Vec::new();
        let found = Boundary::new(&root).walk(&root.join("content"), &mut diags);
        assert_eq!(rels(&found), ["a/page.md"]);
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert!(diags.iter().all(|d| d.message.contains("loop")));
    }

    #[test]
    fn special_files_are_not_opened() {
        let (_dir, root) = course();
        let fifo = root.join("content/a/pipe.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this machine
        }
        symlink("pipe.md", root.join("content/a/to-pipe.md")).unwrap();
        let mut diags = Vec::new();
        let found = Boundary::new(&root).walk(&root.join("content"), &mut diags);
        assert_eq!(rels(&found), ["a/page.md"]);
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert!(diags.iter().all(|d| d.message.contains("named pipe")));
    }

    /// A course on a tmpfs under /dev (where the benchmarks build) is an
    /// ordinary course; a device is still refused by its type.
    #[test]
    fn dev_shm_is_ordinary_and_devices_are_not() {
        let Ok(dir) = tempfile::tempdir_in("/dev/shm") else {
            return; // no /dev/shm on this system
        };
        std::fs::write(dir.path().join("page.md"), "x").unwrap();
        let boundary = Boundary::new(dir.path());
        assert_eq!(
            boundary.check(&dir.path().join("page.md")).ok(),
            Some(Kind::File)
        );
        std::os::unix::fs::symlink("/dev/null", dir.path().join("null.md")).unwrap();
        assert!(boundary.check(&dir.path().join("null.md")).is_err());
    }
}
