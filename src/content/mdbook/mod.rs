//! An mdBook's pages: SUMMARY.md gives the tree (`summary`), every page
//! listed there is loaded as a lectern page (its directives expanded by
//! `super::include`), every other file of `src` is copied as mdBook copies it.
//! URLs are mdBook's: `ch01/intro.md` → `ch01/intro.html`, `README.md` →
//! `index.html`; nothing is renamed, so existing links and bookmarks work.

pub mod summary;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::discover::{self, AssetFile, BookEntry, Discovered, SourceFile};
use super::tree::{ChapterNode, Node, Outline};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::layout::BOOK_SUMMARY;
use summary::Item;

/// mdBook's URL of a source: `.md` → `.html`, `README.md` → `index.html`.
pub fn page_url(rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    match stem.rsplit_once('/') {
        Some((dir, "README")) => format!("{dir}/index.html"),
        None if stem == "README" => "index.html".to_string(),
        _ => format!("{stem}.html"),
    }
}

/// The book's files and tree, or None when it has no SUMMARY.md (reported).
pub fn discover(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Option<(Discovered, Outline)> {
    let summary_path = dir.join(BOOK_SUMMARY);
    let shown = discover::display_path(root, dir, &summary_path);
    let found = discover::walk(root, dir, diags);
    if !found.iter().any(|f| f.rel == BOOK_SUMMARY) {
        diags.push(
            Diagnostic::error(&shown, 0, 0, "the book has no SUMMARY.md")
                .with_hint("mdBook books list their chapters in src/SUMMARY.md: `- [Chapter](chapter.md)` a line"),
        );
        return None;
    }
    let text = match crate::source_files::text::read(&summary_path, &shown) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let (summary, problems) = summary::parse(&text);
    for p in problems {
        diags.push(Diagnostic::error(&shown, p.line, p.column, p.message).with_hint(p.hint));
    }

    let present: HashMap<&str, &std::path::PathBuf> =
        found.iter().map(|f| (f.rel.as_str(), &f.path)).collect();
    let mut out = Discovered::default();
    let mut listed: BTreeSet<String> = BTreeSet::new();
    let mut chapters = Vec::new();
    let mut home = None;
    for (i, item) in summary.chapters.iter().enumerate() {
        let node = node(
            item,
            root,
            dir,
            &present,
            &shown,
            &mut listed,
            &mut out.pages,
            diags,
        );
        // The book's README.md (or index.md) at the top is its home page,
        // as mdBook makes it index.html.
        if i == 0
            && item.number.is_none()
            && item.children.is_empty()
            && node
                .rel
                .as_deref()
                .is_some_and(|r| page_url(r) == crate::generated::HOME_PAGE)
        {
            home = node.rel;
            continue;
        }
        let rel = node.rel.clone().unwrap_or_default();
        let url = page_url(&rel);
        chapters.push(ChapterNode {
            slug: match &node.rel {
                Some(_) => url.trim_end_matches(".html").to_string(),
                None => format!("draft-{}", i + 1),
            },
            folder: rel,
            part: item.part.clone(),
            numbered: item.number.is_some(),
            node,
        });
    }
    let unlisted: Vec<&str> = found
        .iter()
        .map(|f| f.rel.as_str())
        .filter(|r| r.ends_with(".md") && *r != BOOK_SUMMARY && !listed.contains(*r))
        .collect();
    if !unlisted.is_empty() {
        let shown_dir = dir.strip_prefix(root).unwrap_or(dir);
        diags.push(
            Diagnostic::warning(
                &shown,
                0,
                0,
                format!(
                    "{} Markdown file{} not listed in SUMMARY.md, not built: {}",
                    unlisted.len(),
                    if unlisted.len() == 1 { " is" } else { "s are" },
                    unlisted
                        .iter()
                        .take(12)
                        .map(|r| format!("{}/{r}", shown_dir.display()))
                        .collect::<Vec<_>>()
                        .join(", ")
                        + if unlisted.len() > 12 { ", …" } else { "" }
                ),
            )
            .with_hint("as in mdBook, only the pages SUMMARY.md lists are part of the book: add a `- [Title](file.md)` line for each page you want built"),
        );
    }
    for f in found {
        if f.rel.ends_with(".md") {
            continue;
        }
        out.assets.push(AssetFile {
            url: f.rel.clone(),
            display: discover::display_path(root, dir, &f.path),
            abs: f.path,
            rel: f.rel,
        });
    }
    Some((out, Outline { home, chapters }))
}

#[allow(clippy::too_many_arguments)]
fn node(
    item: &Item,
    root: &Path,
    dir: &Path,
    present: &HashMap<&str, &std::path::PathBuf>,
    summary: &Path,
    listed: &mut BTreeSet<String>,
    pages: &mut Vec<SourceFile>,
    diags: &mut Diagnostics,
) -> Node {
    let rel = item.path.as_ref().and_then(|rel| {
        // A page must lie inside src/: `../x.md` or `/etc/x` would be read
        // from outside the book and written outside the site.
        let inside = !rel.starts_with('/')
            && !rel.contains('\\')
            && rel.split('/').all(|part| !part.is_empty() && part != "." && part != "..");
        if !inside {
            diags.push(
                Diagnostic::error(summary, item.line, 0, format!("`{rel}` is not a page inside {}/", dir.strip_prefix(root).unwrap_or(dir).display()))
                    .with_hint("SUMMARY.md lists pages of the book's src folder, by paths relative to it (`chapter/page.md`)"),
            );
            return None;
        }
        if !listed.insert(rel.clone()) {
            diags.push(
                Diagnostic::error(
                    summary,
                    item.line,
                    0,
                    format!("`{rel}` is listed twice in SUMMARY.md"),
                )
                .with_hint("list each page once; mdBook would build it twice under one name"),
            );
            return None;
        }
        let (abs, missing) = match present.get(rel.as_str()) {
            Some(p) => ((*p).clone(), false),
            None => {
                // mdBook creates a missing file (create-missing) and builds
                // it empty; lectern never writes into the book, and builds
                // the page empty all the same.
                diags.push(
                    Diagnostic::warning(
                        summary,
                        item.line,
                        0,
                        format!("`{rel}` does not exist: built as an empty page"),
                    )
                    .with_hint(format!(
                        "create {}/{rel}, or remove its line from SUMMARY.md",
                        dir.strip_prefix(root).unwrap_or(dir).display()
                    )),
                );
                (dir.join(rel), true)
            }
        };
        pages.push(SourceFile {
            rel: rel.clone(),
            display: discover::display_path(root, dir, &abs),
            abs,
            url: page_url(rel),
            book: Some(BookEntry {
                title: item.title.clone(),
                number: item.number.clone(),
                missing,
            }),
        });
        Some(rel.clone())
    });
    Node {
        rel,
        title: item.title.clone(),
        number: item.number.clone(),
        children: item
            .children
            .iter()
            .map(|c| node(c, root, dir, present, summary, listed, pages, diags))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::page_url;

    #[test]
    fn urls_as_mdbook_writes_them() {
        assert_eq!(page_url("README.md"), "index.html");
        assert_eq!(page_url("guide/README.md"), "guide/index.html");
        assert_eq!(page_url("ch01-02-hello.md"), "ch01-02-hello.html");
        assert_eq!(page_url("01-intro.md"), "01-intro.html");
    }
}
