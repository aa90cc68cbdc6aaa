//! A build from start to finish: load, validate, render, write. Each stage is
//! a module of its own; this file only runs them in order and collects every
//! diagnostic before deciding whether anything is written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::content::{self, LoadOptions, Site};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::{CopiedFile, OutputFile, Staging};
use crate::quiz;
use crate::render::{nav::Nav, pages, Renderer};
use crate::search;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output` of course.yaml.
    pub out: Option<PathBuf>,
    pub drafts: bool,
    /// Show a progress bar on a terminal.
    pub progress: bool,
}

/// What a finished build (or check) reports.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub chapters: usize,
    pub pages: usize,
    pub files: usize,
    pub out_dir: PathBuf,
    pub search: Option<search::IndexStats>,
    pub elapsed: Duration,
    pub warnings: Diagnostics,
}

/// Everything a build produces, in memory.
struct Rendered {
    site: Site,
    files: Vec<OutputFile>,
    copies: Vec<CopiedFile>,
    search_docs: Vec<search::SearchDoc>,
    warnings: Diagnostics,
}

fn spinner(enabled: bool) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    // Only appears if the build takes more than a moment.
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

fn load_and_render(options: &BuildOptions, bar: &ProgressBar) -> Result<Rendered, Diagnostics> {
    let root = &options.root;
    bar.set_message("reading course.yaml");
    let config = Config::load(root).map_err(|d| {
        let mut ds = Diagnostics::new();
        ds.push(d);
        ds
    })?;
    bar.set_message("loading content");
    let (site, mut diags) = match content::load(
        root,
        config,
        LoadOptions {
            drafts: options.drafts,
        },
    ) {
        Ok(r) => r,
        Err(mut diags) => {
            // Keep going far enough to report question-bank problems too? They
            // need the site model; report what we have.
            diags.sort();
            return Err(diags);
        }
    };
    bar.set_message("loading question banks");
    let (quizzes, quiz_diags) = quiz::load(&site);
    diags.extend(quiz_diags);
    // Even with errors so far, render what did load: links to generated
    // pages (`quizzes/x.html`) can only be checked against the rendered
    // files, and `check` must list every problem in one run. Nothing is
    // written while there are errors.

    bar.set_message("rendering");
    let mut quiz_by_chapter = HashMap::new();
    for c in &site.chapters {
        if let Some(link) = quiz::bank_link(&quizzes, &c.slug) {
            quiz_by_chapter.insert(
                c.slug.clone(),
                serde_json::to_value(link).unwrap_or_default(),
            );
        }
    }
    let extra: Vec<serde_json::Value> = quiz::global_links(&quizzes)
        .into_iter()
        .filter_map(|l| serde_json::to_value(l).ok())
        .collect();
    let nav = Nav::new(&site, &quiz_by_chapter, extra);
    let renderer = Renderer::new(&site, nav).map_err(|ds| {
        let mut all = diags.clone();
        all.extend(ds);
        all
    })?;
    let case_links = quiz::case_question_links(&quizzes);
    let mut files = match pages::render_site(&site, &renderer, &case_links) {
        Ok(f) => f,
        Err(ds) => {
            diags.extend(ds);
            return Err(diags);
        }
    };
    match quiz::pages(&site, &quizzes, &renderer) {
        Ok(f) => files.extend(f),
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    }
    if site.config.search.enabled {
        if let Ok(html) = renderer.render("search.html", &search_page_context(&renderer)) {
            files.push(OutputFile::new("search.html", html));
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
    check_html_links(&site, &files, &copies, &mut diags);
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    let search_docs = if site.config.search.enabled {
        let mut docs = crate::search_docs::from_site(&site);
        docs.extend(quiz::search_docs(&site, &quizzes));
        docs
    } else {
        Vec::new()
    };
    Ok(Rendered {
        site,
        files,
        copies,
        search_docs,
        warnings: diags,
    })
}

/// Links written to `.html` files must name a file this build writes.
fn check_html_links(
    site: &Site,
    files: &[OutputFile],
    copies: &[CopiedFile],
    diags: &mut Diagnostics,
) {
    if site.html_links.is_empty() {
        return;
    }
    let written: std::collections::HashSet<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .chain(copies.iter().map(|c| c.path.as_str()))
        .collect();
    for link in &site.html_links {
        if !written.contains(link.target.as_str()) {
            let hint = match crate::diagnostic::nearest(&link.target, written.iter().copied().filter(|p| p.ends_with(".html"))) {
                Some(n) => format!("the build writes no {}; did you mean {n}? (paths are relative to this page; link to a page's .md source where you can)", link.target),
                None => format!("the build writes no {}; link to a page's .md source instead", link.target),
            };
            diags.push(
                Diagnostic::error(
                    &link.file,
                    link.line,
                    link.column,
                    format!("link to a missing page `{}`", link.dest),
                )
                .with_hint(hint),
            );
        }
    }
}

fn search_page_context(renderer: &Renderer) -> tera::Context {
    let mut ctx = renderer.context("search.html");
    ctx.insert("breadcrumbs", &Vec::<serde_json::Value>::new());
    ctx
}

/// Loads and validates everything and renders in memory; writes nothing.
pub fn check(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let bar = spinner(options.progress);
    let result = load_and_render(options, &bar);
    bar.finish_and_clear();
    let r = result?;
    Ok(BuildReport {
        chapters: r.site.chapters.len(),
        pages: r.site.pages().count(),
        files: r.files.len() + r.copies.len(),
        out_dir: PathBuf::new(),
        search: None,
        elapsed: started.elapsed(),
        warnings: r.warnings,
    })
}

/// Builds the site into its output folder, replacing the old one only when
/// everything succeeded.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let bar = spinner(options.progress);
    let result = load_and_render(options, &bar);
    let r = match result {
        Ok(r) => r,
        Err(d) => {
            bar.finish_and_clear();
            return Err(d);
        }
    };
    let out_dir = resolve_out_dir(options, &r.site.config);
    if let Err(d) = check_out_dir(&options.root, &out_dir, options.out.is_none()) {
        bar.finish_and_clear();
        let mut ds = r.warnings.clone();
        ds.push(d);
        return Err(ds);
    }
    bar.set_message("writing");
    let io_error = |what: &str, e: std::io::Error| {
        let mut ds = Diagnostics::new();
        ds.push(
            Diagnostic::error(&out_dir, 0, 0, format!("cannot {what}: {e}"))
                .with_hint("check that the output folder is writable and the disk not full"),
        );
        ds
    };
    let staging = Staging::new(&out_dir).map_err(|e| io_error("create the output folder", e))?;
    let written = staging
        .write_all(&r.files)
        .and_then(|_| staging.copy_all(&r.copies))
        .and_then(|_| {
            if r.site.config.search.enabled {
                search::write_index(&r.search_docs, staging.path(), r.site.config.search.shards)
                    .map(Some)
            } else {
                Ok(None)
            }
        });
    let stats = match written {
        Ok(s) => s,
        Err(e) => {
            staging.discard();
            bar.finish_and_clear();
            return Err(io_error("write the site", e));
        }
    };
    staging
        .commit()
        .map_err(|e| io_error("replace the output folder", e))?;
    bar.finish_and_clear();
    Ok(BuildReport {
        chapters: r.site.chapters.len(),
        pages: r.site.pages().count(),
        files: r.files.len() + r.copies.len(),
        out_dir,
        search: stats,
        elapsed: started.elapsed(),
        warnings: r.warnings,
    })
}

pub fn resolve_out_dir(options: &BuildOptions, config: &Config) -> PathBuf {
    match &options.out {
        Some(p) if p.is_absolute() => p.clone(),
        Some(p) => std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.clone()),
        None => options.root.join(&config.output),
    }
}

/// The output folder is replaced wholesale, so it must never be the course
/// itself or hold it. `from_config`: the folder is course.yaml's `output`
/// (not `--out`), whose line the diagnostic then points at.
fn check_out_dir(root: &Path, out: &Path, from_config: bool) -> Result<(), Diagnostic> {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let root = abs(root);
    let out_abs = match (out.parent(), out.file_name()) {
        (Some(parent), Some(name)) => abs(if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        })
        .join(name),
        _ => out.to_path_buf(),
    };
    if root.starts_with(&out_abs)
        || out_abs.starts_with(root.join("content"))
        || out_abs.starts_with(root.join("quizzes"))
        || out_abs.starts_with(root.join("themes"))
    {
        let line = if from_config { output_line(&root) } else { 0 };
        return Err(Diagnostic::error(
            crate::config::CONFIG_FILE,
            line,
            0,
            format!(
                "refusing to build into {}: it holds the course's own files",
                out.display()
            ),
        )
        .with_hint("choose a separate output folder, e.g. `output: public`"));
    }
    Ok(())
}

/// The line of the top-level `output:` key of course.yaml (0 when not found).
fn output_line(root: &Path) -> usize {
    std::fs::read_to_string(root.join(crate::config::CONFIG_FILE))
        .ok()
        .and_then(|text| {
            text.lines()
                .position(|l| l.trim_start_matches('\u{feff}').starts_with("output:"))
        })
        .map_or(0, |i| i + 1)
}
