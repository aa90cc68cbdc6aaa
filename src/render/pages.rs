//! Rendering the content pages: home, chapter overviews, sections, cases, Q&A.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::files::{OutputFile, PageSink};
use super::Renderer;
use crate::content::{Chapter, Page, PageKind, Site};
use crate::diagnostic::Diagnostic;
use crate::generated::NOT_FOUND_PAGE;
use crate::markdown::code_cache::{self, CodeKey, CodeStore};

#[derive(Debug, Clone, Serialize, Hash)]
struct LinkOut {
    title: String,
    url: String,
}

/// A page to render and where it sits in the reading order.
struct Job<'a> {
    page: &'a Page,
    chapter: Option<&'a Chapter>,
    /// Its index in the chapter's pages (None for the overview and home).
    index: Option<usize>,
    template: &'static str,
    prev: Option<LinkOut>,
    next: Option<LinkOut>,
}

/// The content pages: those still in memory, and the paths of those written.
#[derive(Debug, Default)]
pub struct RenderedPages {
    pub files: Vec<OutputFile>,
    pub written: Vec<String>,
    /// Pages not rendered again: every input of their HTML is what it was
    /// in the render `PageMemo` remembers, so their bytes are too.
    pub kept: Vec<String>,
}

/// What the last render made, for the dev server: the key of each content
/// page it rendered. A page's key is a hash of everything its HTML is made
/// from: the renderer's fingerprint (theme, settings, strings and the whole
/// navigation, so every sidebar), the template, the page itself (its body,
/// headings, title, place in the tree), its neighbours' titles and URLs
/// (previous/next), its breadcrumbs, its edit link and its case question
/// link. A page whose key is in the memo is not rendered again.
#[derive(Debug, Default)]
pub struct PageMemo {
    keys: HashSet<CodeKey>,
}

impl PageMemo {
    /// Forgets everything: the next render renders every page.
    pub fn clear(&mut self) {
        self.keys.clear();
    }
}

/// How `render_site` may spare work: highlighted code from `code`, and,
/// with a memo, the pages whose inputs did not change.
pub struct Reuse<'a> {
    pub code: &'a dyn CodeStore,
    /// The memo and the fingerprint of the renderer it is for.
    pub memo: Option<(&'a mut PageMemo, u64)>,
}

/// Renders every content page plus the 404 page. `case_quiz_links` maps a
/// case page id to the quiz question about it.
pub fn render_site(
    site: &Site,
    renderer: &Renderer,
    case_quiz_links: &HashMap<String, String>,
    sink: PageSink,
    reuse: Reuse,
) -> Result<RenderedPages, Vec<Diagnostic>> {
    let Reuse { code, memo } = reuse;
    let (memo, renderer_key) = match memo {
        Some((m, k)) => (Some(m), k),
        None => (None, 0),
    };
    let last: Option<&HashSet<CodeKey>> = memo.as_ref().map(|m| &m.keys);
    // Reading order: depth first through every chapter's tree. An mdBook's
    // placeholders are listed in the navigation but have no page.
    let mut order: Vec<(&Page, Option<&Chapter>, Option<usize>, &'static str)> =
        vec![(&site.home, None, None, "home.html")];
    for c in &site.chapters {
        if !c.index.placeholder {
            order.push((&c.index, Some(c), None, "chapter.html"));
        }
        for (i, p) in c.pages.iter().enumerate() {
            if p.placeholder {
                continue;
            }
            let template = match p.kind {
                PageKind::Page => "page.html",
                PageKind::Case => "case.html",
                PageKind::Qa => "qa.html",
            };
            order.push((p, Some(c), Some(i), template));
        }
    }
    let link = |p: &Page| LinkOut {
        title: p.title.clone(),
        url: p.url.clone(),
    };
    let jobs: Vec<Job> = order
        .iter()
        .enumerate()
        .map(|(i, (page, chapter, index, template))| Job {
            page,
            chapter: *chapter,
            index: *index,
            template,
            prev: if i > 0 {
                Some(link(order[i - 1].0))
            } else {
                None
            },
            next: order.get(i + 1).map(|n| link(n.0)),
        })
        .collect();
    let results: Vec<Result<(Done, CodeKey), Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let crumbs = breadcrumbs(site, job);
            let key = match last {
                Some(_) => job_key(site, renderer_key, job, &crumbs, case_quiz_links),
                None => 0,
            };
            if last.is_some_and(|keys| keys.contains(&key)) {
                return Ok((Done::Kept(job.page.url.clone()), key));
            }
            let file = render_job(site, renderer, job, crumbs, case_quiz_links, code)?;
            match sink {
                PageSink::Memory => Ok((Done::Rendered(file), key)),
                PageSink::Stage(staging) => staging
                    .write_file(&file)
                    .map(|_| (Done::Written(file.path), key))
                    .map_err(|e| {
                        Diagnostic::error(
                            &job.page.source,
                            0,
                            0,
                            format!("cannot write {}: {e}", job.page.url),
                        )
                        .with_hint("check that the output folder is writable and the disk not full")
                    }),
            }
        })
        .collect();
    let mut files = Vec::with_capacity(results.len() + 1);
    let mut written = Vec::new();
    let mut kept = Vec::new();
    let mut errors = Vec::new();
    let mut keys = HashSet::with_capacity(results.len());
    for r in results {
        match r {
            Ok((done, key)) => {
                keys.insert(key);
                match done {
                    Done::Rendered(f) => files.push(f),
                    Done::Written(path) => written.push(path),
                    Done::Kept(path) => kept.push(path),
                }
            }
            Err(d) => errors.push(d),
        }
    }
    if let Some(memo) = memo {
        // The memo describes the last render that succeeded: a failed one
        // wrote nothing.
        if errors.is_empty() {
            memo.keys = keys;
        }
    }
    match renderer.render("404.html", &renderer.context(NOT_FOUND_PAGE)) {
        Ok(html) => files.push(OutputFile::new(NOT_FOUND_PAGE, html)),
        Err(d) => errors.push(d),
    }
    if errors.is_empty() {
        Ok(RenderedPages {
            files,
            written,
            kept,
        })
    } else {
        errors.dedup();
        Err(errors)
    }
}

/// The "edit this page" link of an mdBook that gives an `edit-url-template`.
fn edit_url(site: &Site, page: &Page) -> Option<String> {
    // `{path}` is the source relative to book.toml (`src/intro.md`), as mdBook fills it.
    let template = site.config.book.as_ref()?.edit_url_template.as_ref()?;
    let path = page.source.to_string_lossy().replace('\\', "/");
    Some(template.replace("{path}", &path))
}

/// What became of one page.
enum Done {
    Rendered(OutputFile),
    Written(String),
    Kept(String),
}

/// The key of a page's HTML (see `PageMemo`).
fn job_key(
    site: &Site,
    renderer_key: u64,
    job: &Job,
    crumbs: &[LinkOut],
    case_quiz_links: &HashMap<String, String>,
) -> CodeKey {
    code_cache::content_key(|h| {
        let mut h = code_cache::HashWrite(h);
        renderer_key.hash(&mut h);
        job.template.hash(&mut h);
        page_identity(job.page, &mut h);
        job.chapter.map(|c| &c.slug).hash(&mut h);
        job.index.hash(&mut h);
        job.prev.hash(&mut h);
        job.next.hash(&mut h);
        crumbs.hash(&mut h);
        edit_url(site, job.page).hash(&mut h);
        case_quiz_links.get(&job.page.id).hash(&mut h);
    })
}

/// Hashes what a page is: the key it was loaded under and what the tree
/// set on it after loading, or, for a page without a load key, the whole
/// page (its text, headings and sections: tens of kilobytes a page).
pub(super) fn page_identity(page: &Page, h: &mut impl std::hash::Hasher) {
    match page.load_key {
        0 => page.hash(h),
        key => (key, page.depth, page.parent, &page.number, page.placeholder).hash(h),
    }
}

/// The home page, then the chapter, then the sections holding the page.
fn breadcrumbs(site: &Site, job: &Job) -> Vec<LinkOut> {
    let mut crumbs = vec![LinkOut {
        title: site.config.title.clone(),
        url: "index.html".into(),
    }];
    if let Some(c) = job.chapter {
        if job.page.url != c.index.url && !c.index.placeholder {
            crumbs.push(LinkOut {
                title: c.title().to_string(),
                url: c.index.url.clone(),
            });
        }
        if let Some(i) = job.index {
            crumbs.extend(
                c.ancestors(i)
                    .into_iter()
                    .filter(|a| !a.placeholder)
                    .map(|a| LinkOut {
                        title: a.title.clone(),
                        url: a.url.clone(),
                    }),
            );
        }
    }
    crumbs
}

fn render_job(
    site: &Site,
    renderer: &Renderer,
    job: &Job,
    crumbs: Vec<LinkOut>,
    case_quiz_links: &HashMap<String, String>,
    code: &dyn CodeStore,
) -> Result<OutputFile, Diagnostic> {
    let mut ctx: Context = if job.chapter.is_none() {
        renderer.context_with_nav(&job.page.url)
    } else {
        renderer.context(&job.page.url)
    };
    if job.page.html.has_code() {
        // The page with its code highlighted through `code` (serialising
        // `page.html` would highlight it with no store).
        let mut page = job.page.clone();
        page.html = crate::markdown::DeferredHtml::finished(job.page.html.to_html_with(code));
        ctx.insert("page", &page);
    } else {
        ctx.insert("page", job.page);
    }
    ctx.insert(
        "toc",
        &job.page
            .headings
            .iter()
            .filter(|h| h.level == 2 || h.level == 3)
            .collect::<Vec<_>>(),
    );
    ctx.insert("prev", &job.prev);
    ctx.insert("next", &job.next);
    if let Some(c) = job.chapter {
        let nav = renderer.nav().chapter(&c.slug);
        ctx.insert("chapter", &nav);
        if let Some(i) = job.index {
            // A section's page lists its own pages (a section's first
            // page follows it directly, so only sections are looked up).
            let is_section = c.pages.get(i + 1).is_some_and(|n| n.parent == Some(i));
            if let Some(entry) = nav
                .filter(|_| is_section)
                .and_then(|n| n.find(&job.page.url))
            {
                ctx.insert("children", &entry.children);
            }
        }
    }
    ctx.insert("breadcrumbs", &crumbs);
    ctx.insert("edit_url", &edit_url(site, job.page));
    ctx.insert("case_quiz_url", &case_quiz_links.get(&job.page.id));
    if job.chapter.is_none() {
        let drill = super::drill::chapters(site);
        ctx.insert("drill_json", &super::json_for_script(&drill));
        ctx.insert("drill_chapters", &drill);
    }
    let html = renderer.render(job.template, &ctx)?;
    Ok(OutputFile::new(job.page.url.clone(), html))
}
