//! Rendering the content pages: home, chapter overviews, sections, cases, Q&A.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::files::{FileSink, OutputFile};
use super::Renderer;
use crate::content::{Chapter, Page, PageKind, Site};
use crate::diagnostic::Diagnostic;
use crate::generated::NOT_FOUND_PAGE;

#[derive(Debug, Clone, Serialize)]
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

/// Where rendered pages go.
#[derive(Clone, Copy)]
pub enum PageSink<'a> {
    /// Returned in memory (check, the dev server).
    Memory,
    /// Written to the staging folder as soon as each is rendered (build):
    /// at 10,000 pages, keeping every page's HTML cost gigabytes.
    Stage(&'a dyn FileSink),
}

/// The content pages: those still in memory, and the paths of those written.
#[derive(Debug, Default)]
pub struct RenderedPages {
    pub files: Vec<OutputFile>,
    pub written: Vec<String>,
}

/// Renders every content page plus the 404 page. `case_quiz_links` maps a
/// case page id to the quiz question about it.
pub fn render_site(
    site: &Site,
    renderer: &Renderer,
    case_quiz_links: &HashMap<String, String>,
    sink: PageSink,
) -> Result<RenderedPages, Vec<Diagnostic>> {
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
    let results: Vec<Result<Result<OutputFile, String>, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let file = render_job(site, renderer, job, case_quiz_links)?;
            match sink {
                PageSink::Memory => Ok(Ok(file)),
                PageSink::Stage(staging) => staging
                    .write_file(&file)
                    .map(|_| Err(file.path))
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
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(Ok(f)) => files.push(f),
            Ok(Err(path)) => written.push(path),
            Err(d) => errors.push(d),
        }
    }
    match renderer.render("404.html", &renderer.context(NOT_FOUND_PAGE)) {
        Ok(html) => files.push(OutputFile::new(NOT_FOUND_PAGE, html)),
        Err(d) => errors.push(d),
    }
    if errors.is_empty() {
        Ok(RenderedPages { files, written })
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

fn render_job(
    site: &Site,
    renderer: &Renderer,
    job: &Job,
    case_quiz_links: &HashMap<String, String>,
) -> Result<OutputFile, Diagnostic> {
    let mut ctx: Context = if job.chapter.is_none() {
        renderer.context_with_nav(&job.page.url)
    } else {
        renderer.context(&job.page.url)
    };
    ctx.insert("page", job.page);
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
    let mut crumbs = vec![LinkOut {
        title: site.config.title.clone(),
        url: "index.html".into(),
    }];
    if let Some(c) = job.chapter {
        let nav = renderer.nav().chapter(&c.slug);
        ctx.insert("chapter", &nav);
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
