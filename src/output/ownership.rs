//! Which files of an output folder lectern wrote. A build replaces only its
//! own output, and never deletes a file it did not write.
//!
//! Every build leaves a manifest, `.lectern-manifest`, at the root of its
//! output: the lectern version and every path it wrote, sorted (no dates, so
//! the same input still gives the same bytes). The next build reads it to
//! tell its own files from anything else in the folder (a `CNAME`, a `.git/`
//! of a deployment checkout, a file copied in by hand). Folders built before
//! manifests existed are recognised by the theme files every lectern build
//! wrote; in those, a file counts as lectern's when the new build writes the
//! same path or it lies in a folder only lectern generates.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::Path;

use walkdir::WalkDir;

pub const MANIFEST: &str = ".lectern-manifest";
const HEADER: &str = "# lectern output";

/// Folders of a site whose every file lectern generates (for folders built
/// before the manifest: their old files have names no new build writes).
const GENERATED_FOLDERS: &[&str] = &["static/", "search/", "quizzes/", "exams/"];

/// Files every lectern build has written since its first version: together,
/// the mark of an output folder from before the manifest.
const OLD_OUTPUT_MARKS: &[&str] = &["index.html", "static/style.css", "static/theme.js"];

/// The manifest's text for `paths` (relative, `/`-separated).
pub fn manifest_text<'a>(paths: impl IntoIterator<Item = &'a str>) -> String {
    let sorted: BTreeSet<&str> = paths.into_iter().collect();
    let mut out = format!(
        "{HEADER} {}: the files lectern wrote here; the next build replaces only these\n",
        env!("CARGO_PKG_VERSION")
    );
    for p in sorted {
        out.push_str(p);
        out.push('\n');
    }
    out
}

/// What a manifest says lectern wrote: files, and folders written whole (a
/// line ending in `/`; `lectern serve` lists its search index so, as it
/// rewrites the index in the background).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Owned {
    pub paths: BTreeSet<String>,
}

impl Owned {
    pub fn contains(&self, path: &str) -> bool {
        self.paths.contains(path)
            || self
                .paths
                .iter()
                .any(|p| p.ends_with('/') && path.starts_with(p.as_str()))
    }
}

/// What a folder's manifest lists; None when it has none (or it is not a
/// manifest lectern wrote).
pub fn read_manifest(folder: &Path) -> Option<Owned> {
    let text = fs::read_to_string(folder.join(MANIFEST)).ok()?;
    let mut lines = text.lines();
    if !lines.next()?.starts_with(HEADER) {
        return None;
    }
    let paths = lines
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    Some(Owned { paths })
}

/// What a folder is, as an output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Missing,
    /// A file, or something else that is not a folder.
    NotAFolder,
    Empty,
    /// Built by lectern: its manifest.
    Lectern(Owned),
    /// Built by a lectern from before the manifest.
    OldLectern,
    /// Anything else.
    Foreign,
}

pub fn kind(folder: &Path) -> Kind {
    match fs::symlink_metadata(folder) {
        Err(_) => return Kind::Missing,
        Ok(m) if !m.is_dir() => return Kind::NotAFolder,
        Ok(_) => {}
    }
    if fs::read_dir(folder).is_ok_and(|mut entries| entries.next().is_none()) {
        return Kind::Empty;
    }
    if let Some(paths) = read_manifest(folder) {
        return Kind::Lectern(paths);
    }
    if OLD_OUTPUT_MARKS.iter().all(|m| folder.join(m).is_file()) {
        return Kind::OldLectern;
    }
    Kind::Foreign
}

/// Every entry of `folder` that holds no lectern file: files, links, and
/// folders that are empty, relative with `/` separators, the manifest left out.
pub fn entries(folder: &Path) -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in WalkDir::new(folder).min_depth(1).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        let is_empty_dir = entry.file_type().is_dir()
            && fs::read_dir(entry.path()).is_ok_and(|mut e| e.next().is_none());
        if entry.file_type().is_dir() && !is_empty_dir {
            continue;
        }
        let rel = relative(folder, entry.path());
        if rel != MANIFEST {
            out.push(rel);
        }
    }
    Ok(out)
}

fn relative(folder: &Path, path: &Path) -> String {
    path.strip_prefix(folder)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The entries of the output folder `target` that lectern did not write,
/// given what the new build writes (`written`).
pub fn foreign_entries(target: &Path, written: &BTreeSet<String>) -> io::Result<Vec<String>> {
    let owned: Box<dyn Fn(&str) -> bool> = match kind(target) {
        Kind::Missing | Kind::Empty => return Ok(Vec::new()),
        Kind::NotAFolder => return Err(io::Error::other("it is a file, not a folder")),
        Kind::Lectern(owned) => Box::new(move |p| owned.contains(p)),
        Kind::OldLectern => {
            Box::new(|p| written.contains(p) || GENERATED_FOLDERS.iter().any(|f| p.starts_with(f)))
        }
        Kind::Foreign => Box::new(|_| false),
    };
    Ok(entries(target)?.into_iter().filter(|p| !owned(p)).collect())
}

/// A short list of paths for a message: the first few, and how many more.
pub fn list_for_message(paths: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut out: Vec<String> = paths.iter().take(SHOWN).cloned().collect();
    if paths.len() > SHOWN {
        out.push(format!("and {} more", paths.len() - SHOWN));
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_round_trips_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let text = manifest_text(["b/x.html", "a.html", "b/x.html"]);
        assert!(text.starts_with(HEADER));
        fs::write(dir.path().join(MANIFEST), &text).unwrap();
        let read = read_manifest(dir.path()).unwrap();
        assert_eq!(
            read.paths.iter().collect::<Vec<_>>(),
            ["a.html", "b/x.html"]
        );
        assert!(matches!(kind(dir.path()), Kind::Lectern(_)));
        let owned = Owned {
            paths: ["search/".to_string(), "a.html".to_string()].into(),
        };
        assert!(owned.contains("search/shard-1.js") && owned.contains("a.html"));
        assert!(!owned.contains("b.html") && !owned.contains("searchx"));
    }

    #[test]
    fn folders_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert_eq!(kind(&d.join("missing")), Kind::Missing);
        assert_eq!(kind(d), Kind::Empty);
        fs::write(d.join("index.html"), "x").unwrap();
        assert_eq!(
            kind(d),
            Kind::Foreign,
            "an index.html alone is not a lectern site"
        );
        fs::create_dir(d.join("static")).unwrap();
        fs::write(d.join("static/style.css"), "x").unwrap();
        fs::write(d.join("static/theme.js"), "x").unwrap();
        assert_eq!(kind(d), Kind::OldLectern);
        assert_eq!(kind(&d.join("index.html")), Kind::NotAFolder);
    }

    #[test]
    fn foreign_entries_of_an_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for f in [
            "index.html",
            "static/style.css",
            "static/theme.js",
            "search/old-shard.js",
            "gone.html",
            ".git/HEAD",
        ] {
            fs::create_dir_all(d.join(f).parent().unwrap()).unwrap();
            fs::write(d.join(f), "x").unwrap();
        }
        fs::create_dir(d.join("empty")).unwrap();
        let written: BTreeSet<String> = ["index.html".to_string()].into();
        assert_eq!(
            foreign_entries(d, &written).unwrap(),
            [".git/HEAD", "empty", "gone.html"]
        );
    }
}
