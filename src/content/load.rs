//! Loading the pages folder into a `Site`: find the files (`discover`, or
//! `mdbook` for a book), check their names (`names`), read and render every
//! page in parallel (`page`), check every link against the whole site
//! (`links`), then build the tree (`tree`).

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::discover::{self, Discovered};
use super::model::*;
use super::names::{self, Claim};
use super::page::{self, LoadOptions, Loaded, SiteIndex};
use super::stamps::{Stamp, Stamps};
use super::tree::{self, Outline};
use super::{links, mdbook};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::layout::Format;

/// What loading gives: the site with every page that could be loaded, and
/// every problem found. The site comes back even when there are errors, so
/// that a build or check can go on to find the problems of later stages
/// (quizzes, links to generated pages) and report everything in one run;
/// the caller fails the build when `diagnostics` has an error.
pub struct LoadedSite {
    pub site: Site,
    pub diagnostics: Diagnostics,
}

/// Pages loaded by the last load, to reuse when their inputs are unchanged
/// (the dev server keeps one between rebuilds). A page's Markdown is
/// rendered from its file's bytes, where it sits (its source and URL), the
/// URLs of every page and asset (its links are rewritten against them) and
/// the load options: all of them are in the key, so a page is read again
/// only when its file changed, or when a page or asset was added, removed
/// or renamed. An mdBook page is always read again: its `{{#include}}`s may
/// read any file of the book.
#[derive(Default)]
pub struct LoadCache {
    /// Whether to keep the loaded pages for a next load (not for a single
    /// build, which would only hold every page twice).
    keep: bool,
    /// By load key. A page lent to the site the last load made is a
    /// stand-in here until `take_back` returns it (cloning every page into
    /// the cache on every rebuild was a fifth of a 10,000-page rebuild).
    pages: HashMap<u128, Loaded>,
    lent: HashSet<u128>,
    /// The page files' sizes, times and hashes: unchanged files are not read.
    stamps: Stamps,
    /// How many pages the last load took from the cache.
    pub reused: usize,
}

impl LoadCache {
    /// A cache that keeps each load's pages for the next (the dev server).
    pub fn keeping() -> LoadCache {
        LoadCache {
            keep: true,
            ..LoadCache::default()
        }
    }

    /// Gives the pages of a site this cache loaded back to it, for the next
    /// load to reuse. A page not given back is loaded again.
    pub fn take_back(&mut self, site: Site) {
        let Site { home, chapters, .. } = site;
        let pages = chapters
            .into_iter()
            .flat_map(|c| std::iter::once(c.index).chain(c.pages))
            .chain(std::iter::once(home));
        for page in pages {
            if page.load_key != 0 && self.lent.remove(&page.load_key) {
                if let Some(entry) = self.pages.get_mut(&page.load_key) {
                    entry.page = page;
                }
            }
        }
    }
}

/// Loads the site. Err only when there is nothing to load at all (no pages
/// folder, no SUMMARY.md): then there is no site to go on with.
pub fn load(root: &Path, config: Config, options: LoadOptions) -> Result<LoadedSite, Diagnostics> {
    load_cached(root, config, options, &mut LoadCache::default())
}

/// As `load`, reusing the pages of `cache` whose inputs are unchanged.
pub fn load_cached(
    root: &Path,
    config: Config,
    options: LoadOptions,
    cache: &mut LoadCache,
) -> Result<LoadedSite, Diagnostics> {
    let mut diags = Diagnostics::new();
    diags.extend(config.notes.iter().cloned());
    let layout = config.layout.clone();
    let pages_dir = layout.pages_display();
    let dir = root.join(&layout.pages);
    if !dir.is_dir() {
        let hint = match layout.format {
            Format::Course => "create content/ with one folder per chapter, or start from `lectern init`".to_string(),
            Format::MdBook => format!("book.toml names {pages_dir}/ as the book's source folder (`[book] src`); create it with a SUMMARY.md"),
        };
        diags.push(
            Diagnostic::error(
                &pages_dir,
                0,
                0,
                format!("the course has no {pages_dir}/ folder"),
            )
            .with_hint(hint),
        );
        return Err(diags);
    }
    let (found, book_outline) = match layout.format {
        Format::Course => (discover::course(root, &dir, &mut diags), None),
        Format::MdBook => {
            let (found, outline) =
                mdbook::discover(root, &dir, &mut diags).ok_or_else(|| diags.clone())?;
            (found, Some(outline))
        }
    };
    let Discovered {
        pages: sources,
        assets,
    } = found;
    let claims: Vec<Claim> = sources
        .iter()
        .map(|s| Claim {
            rel: &s.rel,
            url: &s.url,
            display: &s.display,
            is_page: true,
        })
        .chain(assets.iter().map(|a| Claim {
            rel: &a.rel,
            url: &a.url,
            display: &a.display,
            is_page: false,
        }))
        .collect();
    names::check(&claims, &pages_dir, &mut diags);
    drop(claims);

    let url_of: HashMap<&str, &str> = sources
        .iter()
        .map(|s| (s.rel.as_str(), s.url.as_str()))
        .collect();
    let asset_urls: HashMap<&str, &str> = assets
        .iter()
        .map(|a| (a.rel.as_str(), a.url.as_str()))
        .collect();
    let index = SiteIndex {
        root,
        url_of: &url_of,
        assets: &asset_urls,
    };
    // Hashed field by field (formatting 10,000 pairs as text to hash them
    // was a tenth of a rebuild's load at that size).
    let site_key = crate::markdown::code_cache::content_key(|h| {
        let mut h = crate::markdown::code_cache::HashWrite(h);
        let mut pairs: Vec<(&str, &str)> = url_of.iter().map(|(a, b)| (*a, *b)).collect();
        pairs.sort_unstable();
        pairs.hash(&mut h);
        let mut pairs: Vec<(&str, &str)> = asset_urls.iter().map(|(a, b)| (*a, *b)).collect();
        pairs.sort_unstable();
        pairs.hash(&mut h);
        format!("{options:?}").hash(&mut h);
    });
    // The keys hash every file's bytes, read only when its size or time
    // changed (`Stamps`; a file that cannot be read is left to `page::load`
    // to report); a page found under its key is moved out of the cache,
    // not copied.
    let mut old = std::mem::take(&mut cache.pages);
    let stamped: Vec<Option<Stamp>> = sources
        .par_iter()
        .map(|s| match &s.book {
            None => cache.stamps.bytes_key(&s.abs),
            Some(_) => None,
        })
        .collect();
    let keys: Vec<Option<u128>> = sources
        .iter()
        .zip(&stamped)
        .map(|(s, stamp)| {
            let bytes = stamp.as_ref()?.bytes;
            Some(crate::markdown::code_cache::content_key(|h| {
                let mut h = crate::markdown::code_cache::HashWrite(h);
                (bytes, s, site_key).hash(&mut h);
            }))
        })
        .collect();
    cache.stamps.replace(
        sources
            .iter()
            .zip(stamped)
            .filter_map(|(s, stamp)| Some((s.abs.clone(), stamp?))),
    );
    let lent = std::mem::take(&mut cache.lent);
    let found: Vec<Option<Loaded>> = keys
        .iter()
        .map(|k| k.filter(|k| !lent.contains(k)).and_then(|k| old.remove(&k)))
        .collect();
    drop(lent);
    drop(old);
    cache.reused = found.iter().filter(|f| f.is_some()).count();
    type PageResult = Result<Option<Loaded>, Vec<Diagnostic>>;
    let results: Vec<(Option<u128>, PageResult)> = sources
        .par_iter()
        .zip(keys)
        .zip(found)
        .map(|((s, key), kept)| match kept {
            Some(kept) => (key, Ok(Some(kept))),
            None => {
                let mut loaded = page::load(s, &index, options);
                if let (Some(key), Ok(Some(l))) = (key, &mut loaded) {
                    l.page.load_key = key;
                }
                (key, loaded)
            }
        })
        .collect();
    let results: Vec<Result<Option<Loaded>, Vec<Diagnostic>>> = results
        .into_iter()
        .map(|(key, r)| {
            if let (Some(key), Ok(Some(l)), true) = (key, &r, cache.keep) {
                cache.pages.insert(key, l.without_page());
                cache.lent.insert(key);
            }
            r
        })
        .collect();
    let mut loaded: Vec<Loaded> = Vec::new();
    let mut failed: HashSet<String> = HashSet::new();
    let mut drafted: HashSet<String> = HashSet::new();
    let mut code_notes = Vec::new();
    for (r, source) in results.into_iter().zip(&sources) {
        match r {
            Ok(Some(mut l)) => {
                diags.extend(std::mem::take(&mut l.warnings));
                code_notes.append(&mut l.code_notes);
                loaded.push(l)
            }
            Ok(None) => {
                drafted.insert(source.rel.clone());
            }
            Err(ds) => {
                failed.insert(source.rel.clone());
                diags.extend(ds)
            }
        }
    }
    // Unknown code languages: one warning each for the whole build.
    diags.extend(crate::markdown::code_warnings(code_notes));
    let mut html_links = Vec::new();
    links::check(
        &loaded,
        &url_of,
        &asset_urls,
        &pages_dir,
        config.link_policy(),
        &mut html_links,
        &mut diags,
    );

    let assets: Vec<Asset> = assets
        .into_iter()
        .map(|a| Asset {
            source: a.abs,
            url: a.url,
        })
        .collect();
    let mut loaded: HashMap<String, Loaded> =
        loaded.into_iter().map(|l| (l.rel.clone(), l)).collect();
    let outline = match book_outline {
        Some(o) => o,
        None => tree::course_outline(&loaded, &pages_dir, &failed, &drafted, &mut diags),
    };
    let Outline { home, chapters } = outline;
    let home = home.and_then(|rel| loaded.remove(&rel)).map(|l| l.page);
    let chapters = tree::chapters(chapters, &mut loaded);
    let home = home.unwrap_or_else(|| {
        let mut page = Page::empty(
            PathBuf::from(&pages_dir).join("index.md"),
            crate::generated::HOME_PAGE.into(),
            config.title.clone(),
        );
        page.summary = config.subtitle.clone();
        page
    });
    diags.sort();
    Ok(LoadedSite {
        site: Site {
            root: root.to_path_buf(),
            config,
            home,
            chapters,
            assets,
            html_links,
        },
        diagnostics: diags,
    })
}
