//! Finding a course's files: the Markdown sources to load and the other
//! files to copy. A lectern course walks its pages folder (every `.md` is a
//! page, its folders make the tree); an mdBook lists its pages in
//! SUMMARY.md (`super::mdbook`).

use std::path::{Path, PathBuf};

use super::paths::{asset_url, page_url};
use crate::diagnostic::Diagnostics;
use crate::source_files::{Boundary, Found};

/// A Markdown file to load.
#[derive(Debug, Clone, Hash)]
pub struct SourceFile {
    /// Relative to the pages folder, `/`-separated.
    pub rel: String,
    /// Relative to the course root, for diagnostics.
    pub display: PathBuf,
    pub abs: PathBuf,
    pub url: String,
    /// What an mdBook's SUMMARY.md says of it (None in a lectern course).
    pub book: Option<BookEntry>,
}

/// A page as an mdBook lists it.
#[derive(Debug, Clone, Default, Hash)]
pub struct BookEntry {
    /// The link text of its SUMMARY.md entry: the page's title.
    pub title: String,
    pub number: Option<String>,
    /// Not among the files found inside the book (never written, or a link
    /// the trust boundary refused): built empty, never read.
    pub missing: bool,
}

/// A file that is not Markdown, copied to `url`.
#[derive(Debug, Clone)]
pub struct AssetFile {
    pub rel: String,
    pub abs: PathBuf,
    pub url: String,
    pub display: PathBuf,
}

#[derive(Debug, Default)]
pub struct Discovered {
    pub pages: Vec<SourceFile>,
    pub assets: Vec<AssetFile>,
}

/// Every file of the pages folder `dir` that may be read (`source_files`:
/// links out of the course, special files and link loops are reported and
/// skipped), Markdown apart from the rest. Editor droppings are not content
/// (hidden files are never found).
pub fn walk(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<Found> {
    let mut skipped = Vec::new();
    let found = Boundary::new(root).walk(dir, &mut skipped);
    diags.extend(skipped);
    found
        .into_iter()
        .filter(|f| !f.rel.ends_with('~'))
        .collect()
}

/// A lectern course: every `.md` is a page, everything else an asset.
pub fn course(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Discovered {
    let mut out = Discovered::default();
    for Found { path, rel } in walk(root, dir, diags) {
        let display = display_path(root, dir, &path);
        if rel.ends_with(".md") {
            out.pages.push(SourceFile {
                url: page_url(&rel),
                display,
                abs: path,
                rel,
                book: None,
            });
        } else {
            out.assets.push(AssetFile {
                url: asset_url(&rel),
                display,
                abs: path,
                rel,
            });
        }
    }
    out
}

/// `p` relative to the course root, for diagnostics (`content/01-a/b.md`).
pub fn display_path(root: &Path, dir: &Path, p: &Path) -> PathBuf {
    let shown_dir = dir.strip_prefix(root).unwrap_or(dir);
    match p.strip_prefix(dir) {
        Ok(rel) => shown_dir.join(rel),
        Err(_) => p.to_path_buf(),
    }
}
