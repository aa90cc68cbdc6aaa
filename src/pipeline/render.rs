//! The whole site rendered in memory: load, validate, render. `build` and
//! `check` call it once; `serve` keeps a `RenderCache` between rebuilds and
//! writes only what changed, with the search index in the background.
//!
//! Two stages are reused between rebuilds when their inputs are unchanged
//! (`RenderCache`), which halves a one-page rebuild of the shipped course:
//!
//! - the question banks, loaded and rendered (`quiz::load`, `render::quiz_pages`):
//!   they read the bank files, course.yaml, and of the content only the
//!   chapters' and case pages' names, titles and URLs (`Skeleton`);
//! - the `Renderer` (theme loading and template compilation): it reads the
//!   theme, course.yaml and the navigation.
//!
//! Editing a section's text changes none of those, so only the content is
//! loaded and its pages rendered again.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io;
use std::path::Path;

use super::{owners, BuildOptions};
use crate::config::Config;
use crate::config::LinkPolicy;
use crate::content::{LoadCache, LoadOptions, LoadedSite, Site};
use crate::course;
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::markdown::code_cache::{CodeMemo, CodeStore};
use crate::quiz::{self, QuizSet};
use crate::render::pages;
use crate::render::pages::{PageMemo, Reuse};
use crate::render::print;
use crate::render::print_memo::PrintMemo;
use crate::render::PageSink;
use crate::render::{nav::Nav, quiz_pages, Renderer};
use crate::render::{CopiedFile, OutputFile};
use crate::search::index::SectionMemo;
use crate::search::{self, SearchDoc};
use crate::source_files::Boundary;

/// Everything a build produces, in memory.
pub struct Rendered {
    pub site: Site,
    /// Files still to write.
    pub files: Vec<OutputFile>,
    /// How many pages were already written to the staging folder.
    pub written: usize,
    /// Pages the last render of the same `RenderCache` made with the same
    /// inputs (see `render::pages::PageMemo`): their bytes are unchanged.
    pub kept: Vec<String>,
    pub copies: Vec<CopiedFile>,
    /// The search entries, for the caller to index; empty when search is off,
    /// the index is already written (`search_index`) or the cache defers
    /// them (then `search_docs` makes them).
    pub search_docs: Vec<SearchDoc>,
    /// The index, when it was written to the staging folder while the pages
    /// rendered (`PageSink::Stage`, search on, see `index_alongside`).
    pub search_index: Option<io::Result<search::IndexStats>>,
    /// The print documents left to make with `render_print` (a cache that
    /// defers them, see `RenderCache::deferring`): their files are
    /// left as they are until then.
    pub print_pending: Vec<String>,
    pub warnings: Diagnostics,
}

/// What can be reused from the previous rebuild, each part with the
/// fingerprint of the inputs it was made from.
pub struct RenderCache {
    /// Whether to remember code and pages for a next render (the dev
    /// server); a single build or check keeps nothing it will not use.
    remember: bool,
    quizzes: Option<QuizCache>,
    /// The renderer, with the fingerprints of its theme and settings, and
    /// of those and the navigation.
    renderer: Option<(u64, u64, Renderer)>,
    /// Pages whose files are unchanged are not read again (`LoadCache`).
    load: LoadCache,
    /// Highlighted code by block: an unchanged block is highlighted once.
    code: CodeMemo,
    /// The content pages of the last render, by the key of their inputs.
    pages: PageMemo,
    /// The print pages' parts and the documents of the last render.
    print: PrintMemo,
    /// Whether renders in memory leave what a reload does not need — the
    /// print documents and the search entries — to `render_print` and
    /// `search_docs` (the dev server makes them after the reload).
    defer: bool,
}

impl Default for RenderCache {
    /// A cache for renders that follow one another (the dev server).
    fn default() -> Self {
        RenderCache {
            remember: true,
            quizzes: None,
            renderer: None,
            load: LoadCache::keeping(),
            code: CodeMemo::default(),
            pages: PageMemo::default(),
            print: PrintMemo::default(),
            defer: false,
        }
    }
}

impl RenderCache {
    /// For a single render (`lectern build`, `check`): nothing is kept for
    /// later, so a large course's highlighted code is never all in memory.
    pub fn once() -> Self {
        RenderCache {
            remember: false,
            load: LoadCache::default(),
            ..RenderCache::default()
        }
    }

    /// A cache whose renders in memory leave out what the dev server's
    /// reload need not wait for: the print documents (print.html is the
    /// whole course, 244 MB at 10,000 prose pages), for `render_print`, and
    /// the search entries (a copy of every section's text), for
    /// `search_docs`.
    pub fn deferring(self) -> Self {
        RenderCache {
            defer: true,
            ..self
        }
    }

    /// How many pages the last render took loaded from the cache.
    pub fn pages_reused(&self) -> usize {
        self.load.reused
    }

    /// Gives the pages of a site this cache's render loaded back to it, for
    /// the next render to reuse (the dev server, when it is done with a
    /// render's site); a page not given back is loaded again.
    pub fn give_back(&mut self, site: Site) {
        self.load.take_back(site);
    }

    /// Forgets which pages the last render made (the output folder was
    /// written by something else since: a full build), keeping what only
    /// spares work (loaded pages, highlighted code, theme, banks).
    pub fn forget_pages(&mut self) {
        self.pages.clear();
        self.print.forget_documents();
    }
}

/// Where a build that writes its pages as it renders them
/// (`PageSink::Stage`) takes highlighted code from.
pub struct BuildStores<'a> {
    pub code: &'a dyn CodeStore,
    /// The last build's tokenized search sections, left holding this
    /// build's (None: tokenize every section).
    pub search: Option<&'a mut SectionMemo>,
}

struct QuizCache {
    /// Bank files, course.yaml and the content's `Skeleton`.
    inputs: u64,
    quizzes: QuizSet,
    diagnostics: Vec<Diagnostic>,
    /// The quiz pages, with the fingerprint of the renderer that made them.
    pages: Option<(u64, Vec<OutputFile>)>,
}

/// Loads, validates and renders the course, as `pipeline::build` does
/// before writing, without a cache.
pub fn render(options: &BuildOptions) -> Result<Rendered, Diagnostics> {
    render_cached(options, &mut RenderCache::once())
}

/// As `render`, reusing what `cache` holds when its inputs are unchanged.
pub fn render_cached(
    options: &BuildOptions,
    cache: &mut RenderCache,
) -> Result<Rendered, Diagnostics> {
    let config = Config::load(&options.root).map_err(Diagnostics::from_one)?;
    render_into(options, config, cache, PageSink::Memory, None)
}

/// As `render_cached`, with course.yaml already read (a build reads it
/// once, first, to know its output folder); with `PageSink::Stage`, content pages are written to
/// the staging folder as they are rendered and `Rendered::files` holds only
/// the rest (quiz pages, static files).
pub fn render_into(
    options: &BuildOptions,
    config: Config,
    cache: &mut RenderCache,
    sink: PageSink,
    mut stores: Option<BuildStores>,
) -> Result<Rendered, Diagnostics> {
    let root = &options.root;
    let search_memo = stores.as_mut().and_then(|s| s.search.take());
    let mut clock = super::trace::StageClock::from_env();
    let LoadedSite {
        site,
        diagnostics: mut diags,
    } = match course::load_site_cached(
        root,
        config,
        LoadOptions {
            drafts: options.drafts,
        },
        &mut cache.load,
    ) {
        Ok(r) => r,
        Err(mut diags) => {
            diags.sort();
            return Err(diags);
        }
    };
    clock.lap("load");
    let layout = site.config.layout.clone();
    let config_json = serde_json::to_string(&site.config).unwrap_or_default();
    let quiz_inputs = fingerprint(|h| {
        config_json.hash(h);
        skeleton(&site, h);
        hash_files(root, &root.join(&layout.quizzes), h);
    });
    clock.lap("quiz fingerprint");
    let quiz_cache = match cache.quizzes.take() {
        Some(c) if c.inputs == quiz_inputs => c,
        _ => {
            let (quizzes, diagnostics) = quiz::load(&site);
            QuizCache {
                inputs: quiz_inputs,
                quizzes,
                diagnostics,
                pages: None,
            }
        }
    };
    let quizzes = &quiz_cache.quizzes;
    clock.lap("banks");
    diags.extend(quiz_cache.diagnostics.iter().cloned());
    // As the pipeline does: render even with errors so far, so links to
    // generated pages are checked too and every problem is listed at once.

    let mut quiz_by_chapter = HashMap::new();
    for c in &site.chapters {
        if let Some(link) = quiz::bank_link(quizzes, &c.slug) {
            quiz_by_chapter.insert(c.slug.clone(), link);
        }
    }
    let nav = Nav::new(&site, &quiz_by_chapter, quiz::global_links(quizzes));
    clock.lap("nav");
    let theme_inputs = fingerprint(|h| {
        config_json.hash(h);
        crate::render::has_drill(&site).hash(h);
        hash_files(root, &root.join(&layout.themes), h);
    });
    let renderer_inputs = fingerprint(|h| {
        theme_inputs.hash(h);
        serde_json::to_string(&nav).unwrap_or_default().hash(h);
    });
    clock.lap("renderer fingerprint");
    let renderer = match cache.renderer.take() {
        Some((_, inputs, r)) if inputs == renderer_inputs => Ok(r),
        // Only the navigation changed (a title, the order): the same
        // compiled templates with the new navigation.
        Some((theme, _, r)) if theme == theme_inputs => r.with_nav(&site, nav),
        _ => Renderer::new(&site, nav),
    };
    let renderer = match renderer {
        Ok(r) => r,
        Err(ds) => {
            diags.extend(ds);
            return Err(failed(cache, site, diags));
        }
    };
    diags.extend(renderer.skipped().iter().cloned());
    clock.lap("renderer");
    let case_links = quiz::case_question_links(quizzes);
    // The search entries need only the loaded site and the banks, so they
    // are made before the pages are rendered: a build then writes the index
    // while the pages render, instead of on one core after them.
    let defer = cache.defer && matches!(sink, PageSink::Memory);
    let mut search_docs = match defer {
        true => Vec::new(),
        false => entries(&site, quizzes),
    };
    clock.lap("search docs");
    // A build writing as it renders highlights through its stores; a render
    // in memory (check, the dev server) through the cache's memo, and
    // renders only the pages whose inputs changed since its last render.
    let page_memo = &mut cache.pages;
    let remember = cache.remember;
    // The print pages show every page's code again: a build without a
    // store of its own keeps what the pages highlighted in memory (bounded)
    // so that it is highlighted once.
    let this_build = CodeMemo::default();
    let code: &dyn CodeStore = match &stores {
        Some(s) => s.code,
        None if remember => &cache.code,
        None => &this_build,
    };
    let mut render_pages = || {
        let reuse = Reuse {
            code,
            memo: (stores.is_none() && remember).then_some((page_memo, renderer_inputs)),
        };
        pages::render_site(&site, &renderer, &case_links, sink, reuse)
    };
    let (rendered_pages, search_index) = match sink {
        PageSink::Stage(staging) if site.config.search.enabled && index_alongside(&site) => {
            let options = crate::search::IndexOptions::from_config(&site.config.search);
            let (pages, index) = rayon::join(render_pages, || {
                search::write_index_with(&search_docs, staging.folder(), &options, search_memo)
            });
            // Indexed: the entries' text is not needed any more.
            search_docs = Vec::new();
            (pages, Some(index))
        }
        _ => (render_pages(), None),
    };
    let (mut files, mut written, mut kept) = match rendered_pages {
        Ok(p) => (p.files, p.written, p.kept),
        Err(ds) => {
            diags.extend(ds);
            return Err(failed(cache, site, diags));
        }
    };
    clock.lap("pages");
    let quiz_pages = match &quiz_cache.pages {
        Some((inputs, pages)) if *inputs == renderer_inputs => pages.clone(),
        _ => match quiz_pages::render_all(&site, quizzes, &renderer) {
            Ok(f) => f,
            Err(d) => {
                diags.push(d);
                return Err(failed(cache, site, diags));
            }
        },
    };
    files.extend(quiz_pages.iter().cloned());
    clock.lap("quiz pages");
    // Print pages and the drill are made from the content alone; never indexed.
    // The print documents read the theme, settings and content but not the
    // navigation (only the built-in print.html is memoised; see PrintMemo):
    // a title edit makes only the documents whose contents list changed.
    let print_memo = (stores.is_none() && remember).then_some((&mut cache.print, theme_inputs));
    let print_pending = match defer {
        true => print::document_urls(&site),
        false => Vec::new(),
    };
    let print_pages = match defer {
        true => Ok(print::PrintPages::default()),
        false => print::render_all(&site, &renderer, code, sink, print_memo),
    };
    let study = print_pages.and_then(|p| {
        kept.extend(p.kept);
        written.extend(p.written);
        let mut f = p.files;
        f.extend(crate::render::drill::render(&site, &renderer)?);
        Ok(f)
    });
    match study {
        Ok(f) => files.extend(f),
        Err(d) => {
            diags.push(d);
            return Err(failed(cache, site, diags));
        }
    }
    clock.lap("print and drill");
    if site.config.search.enabled {
        let mut ctx = renderer.context(crate::generated::SEARCH_PAGE);
        ctx.insert("breadcrumbs", &Vec::<serde_json::Value>::new());
        if let Ok(html) = renderer.render("search.html", &ctx) {
            files.push(OutputFile::new(crate::generated::SEARCH_PAGE, html));
        }
    }
    files.extend(renderer.static_files());
    let copies: Vec<CopiedFile> = site
        .assets
        .iter()
        .map(|a| CopiedFile {
            source: a.source.clone(),
            path: a.url.clone(),
        })
        .collect();
    clock.lap("search page, static files");
    diags.extend(owners::check(
        files
            .iter()
            .map(|f| f.path.as_str())
            .chain(written.iter().map(String::as_str))
            .chain(kept.iter().map(String::as_str))
            .chain(print_pending.iter().map(String::as_str))
            .chain(copies.iter().map(|c| c.path.as_str())),
        &claims(&site, quizzes),
    ));
    clock.lap("owners");
    let made_later = kept
        .iter()
        .chain(&print_pending)
        .cloned()
        .collect::<Vec<_>>();
    check_html_links(&site, &files, &written, &made_later, &copies, &mut diags);
    clock.lap("html links");
    if diags.has_errors() {
        // The pages were rendered but will not be written.
        cache.forget_pages();
        diags.sort();
        return Err(failed(cache, site, diags));
    }
    // Only a build that succeeded fills the cache.
    cache.quizzes = Some(QuizCache {
        pages: Some((renderer_inputs, quiz_pages)),
        ..quiz_cache
    });
    cache.renderer = Some((theme_inputs, renderer_inputs, renderer));
    clock.report("render");
    Ok(Rendered {
        site,
        written: written.len(),
        kept,
        files,
        copies,
        search_docs,
        search_index,
        print_pending,
        warnings: diags,
    })
}

/// A render that failed after loading: its pages go back to the cache.
fn failed(cache: &mut RenderCache, site: Site, diags: Diagnostics) -> Diagnostics {
    cache.give_back(site);
    diags
}

/// The search entries of `site` and its banks (none with search off).
fn entries(site: &Site, quizzes: &QuizSet) -> Vec<SearchDoc> {
    if !site.config.search.enabled {
        return Vec::new();
    }
    let mut docs = search::docs::from_site(site);
    docs.extend(search::docs::from_quizzes(site, quizzes));
    docs
}

/// The search entries a deferring render left out (`RenderCache::deferring`),
/// from the banks that render left in `cache`.
pub fn search_docs(cache: &RenderCache, site: &Site) -> Vec<SearchDoc> {
    match &cache.quizzes {
        Some(q) => entries(site, &q.quizzes),
        None => Vec::new(),
    }
}

/// The print documents a render left pending (`Rendered::print_pending`),
/// made with what that render left in `cache` (its renderer, code and the
/// print memo): only the documents whose inputs changed are made again.
pub fn render_print(cache: &mut RenderCache, site: &Site) -> Result<print::PrintPages, Diagnostic> {
    let Some((theme_inputs, _, renderer)) = &cache.renderer else {
        return Ok(print::PrintPages::default());
    };
    print::render_all(
        site,
        renderer,
        &cache.code,
        PageSink::Memory,
        Some((&mut cache.print, *theme_inputs)),
    )
}

/// Whether the search index may be written while the pages are: when no
/// page or asset of the course goes in the index's folder (`search/`, any
/// case, for case-insensitive file systems). Otherwise the index is written
/// after everything else, as it always was, so that its files are the ones
/// left whatever the names, and no page is written at the same time as an
/// index file of the same name. Quiz, exam, theme and root pages never go
/// there (`quizzes/`, `exams/`, `static/`).
fn index_alongside(site: &Site) -> bool {
    let in_index_folder = |url: &str| {
        url.get(..7)
            .is_some_and(|head| head.eq_ignore_ascii_case("search/"))
    };
    !site.pages().any(|p| in_index_folder(&p.url))
        && !site.assets.iter().any(|a| in_index_folder(&a.url))
}

/// Every output path that a file of the course builds, with that file.
fn claims(site: &Site, quizzes: &QuizSet) -> Vec<owners::Claim> {
    let claim = |path: String, source: &Path, content: bool| owners::Claim {
        path,
        source: source.to_path_buf(),
        content,
    };
    let mut claims: Vec<owners::Claim> = site
        .pages()
        .map(|p| claim(p.url.clone(), &p.source, true))
        .collect();
    claims.extend(site.assets.iter().map(|a| {
        let shown = a.source.strip_prefix(&site.root).unwrap_or(&a.source);
        claim(a.url.clone(), shown, true)
    }));
    for b in &quizzes.banks {
        claims.push(claim(quiz::bank_url(&b.key), &b.file, false));
        claims.push(claim(quiz::bank_script_url(&b.key), &b.file, false));
    }
    for e in &quizzes.exams {
        claims.push(claim(quiz::exam_url(&e.key), &e.file, false));
        for which in ["paper", "key"] {
            claims.push(claim(quiz::exam_print_url(&e.key, which), &e.file, false));
        }
    }
    claims
}

/// Links written to `.html` files must name a file this build writes.
fn check_html_links(
    site: &Site,
    files: &[OutputFile],
    written: &[String],
    kept: &[String],
    copies: &[CopiedFile],
    diags: &mut Diagnostics,
) {
    if site.html_links.is_empty() {
        return;
    }
    let written: HashSet<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .chain(written.iter().map(String::as_str))
        .chain(kept.iter().map(String::as_str))
        .chain(copies.iter().map(|c| c.path.as_str()))
        .collect();
    for link in &site.html_links {
        if !written.contains(link.target.as_str()) {
            let hint = match crate::diagnostic::nearest(&link.target, written.iter().copied().filter(|p| p.ends_with(".html"))) {
                Some(n) => format!("the build writes no {}; did you mean {n}? (paths are relative to this page; link to a page's .md source where you can)", link.target),
                None => format!("the build writes no {}; link to a page's .md source instead", link.target),
            };
            let d = Diagnostic::error(
                &link.file,
                link.line,
                link.column,
                format!("link to a missing page `{}`", link.dest),
            )
            .with_hint(hint);
            diags.push(match site.config.link_policy() {
                LinkPolicy::Error => d,
                LinkPolicy::Warn => Diagnostic {
                    severity: Severity::Warning,
                    ..d
                },
            });
        }
    }
}

fn fingerprint(feed: impl FnOnce(&mut DefaultHasher)) -> u64 {
    let mut h = DefaultHasher::new();
    feed(&mut h);
    h.finish()
}

/// What the question banks read of the content: the home page's title, each
/// chapter's names, title and URL, each case page's id, URL and title.
fn skeleton(site: &Site, h: &mut DefaultHasher) {
    site.home.title.hash(h);
    for c in &site.chapters {
        (&c.slug, &c.folder, c.title(), &c.index.url).hash(h);
    }
    let mut cases: Vec<(&str, &str, &str)> = site
        .cases()
        .into_values()
        .map(|p| (p.id.as_str(), p.url.as_str(), p.title.as_str()))
        .collect();
    cases.sort_unstable();
    cases.hash(h);
}

/// Every file under `dir` that a build may read (recursively, sorted): its
/// path and its bytes. What is skipped is reported by the loaders, not here.
fn hash_files(root: &Path, dir: &Path, h: &mut DefaultHasher) {
    if !dir.is_dir() {
        return;
    }
    let mut skipped = Vec::new();
    for found in Boundary::new(root).walk(dir, &mut skipped) {
        found.path.hash(h);
        std::fs::read(&found.path).unwrap_or_default().hash(h);
    }
    // A file skipped today may be readable after a change (a link fixed):
    // what was skipped is part of the inputs too.
    for d in &skipped {
        (&d.file, &d.message).hash(h);
    }
}
