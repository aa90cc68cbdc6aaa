//! A build from start to finish: load, validate, render, write. Each stage is
//! a module of its own; `render` runs them in order in memory (the dev server
//! uses it too, with a cache), and this file decides whether anything is
//! written and writes it.

pub mod cache;
pub mod offline;
mod owners;
pub mod render;
pub mod trace;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::layout::Layout;
use crate::output::ownership::{self, Kind};
use crate::output::{CommitError, ForeignFiles, Staging};
use crate::render::PageSink;
use crate::search;
use render::{render_cached, render_into, RenderCache};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output` of course.yaml.
    pub out: Option<PathBuf>,
    pub drafts: bool,
    /// Build even into a folder holding files lectern did not write, keeping
    /// them (`--force`); they are never deleted or overwritten either way.
    pub force: bool,
    /// Show a progress bar on a terminal.
    pub progress: bool,
    /// Use the persistent build cache in `.lectern/cache/` (`lectern build`
    /// unless `--no-cache`).
    pub cache: bool,
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

fn spinner(enabled: bool, message: &'static str) -> ProgressBar {
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
    bar.set_message(message);
    bar
}

/// Loads and validates everything and renders in memory; writes nothing.
pub fn check(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let bar = spinner(options.progress, "checking");
    let result = render_cached(options, &mut RenderCache::once());
    bar.finish_and_clear();
    let r = result?;
    Ok(BuildReport {
        chapters: r.site.chapters.len(),
        pages: r.site.pages().count(),
        files: r.files.len() + r.written + r.copies.len(),
        out_dir: PathBuf::new(),
        search: None,
        elapsed: started.elapsed(),
        warnings: r.warnings,
    })
}

/// Builds the site into its output folder, replacing the old one only when
/// everything succeeded.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    build_cached(options, None)
}

/// As `build`, filling `render_cache` for renders to come (the dev server's
/// first build: its rebuilds then start from what this one loaded).
pub fn build_cached(
    options: &BuildOptions,
    render_cache: Option<&mut RenderCache>,
) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let one = Diagnostics::from_one;
    // The output folder is known from course.yaml alone: pages can then be
    // written to the staging folder as soon as they are rendered.
    let config = Config::load(&options.root).map_err(one)?;
    let out_dir = resolve_out_dir(options, &config);
    let place = OutPlace::of(options);
    check_out_dir(
        &options.root,
        &config.layout,
        &out_dir,
        &place,
        options.force,
    )
    .map_err(one)?;
    let io_error = |what: &str, e: std::io::Error| {
        one(
            Diagnostic::error(&out_dir, 0, 0, format!("cannot {what}: {e}"))
                .with_hint("check that the output folder is writable and the disk not full"),
        )
    };
    let staging = Staging::new(&out_dir).map_err(|e| io_error("create the output folder", e))?;
    let bar = spinner(options.progress, "building");
    let mut clock = trace::StageClock::from_env();
    let (disk, refused) = match options
        .cache
        .then(|| cache::BuildCache::open(&options.root))
    {
        Some(Ok(cache)) => (Some(cache), None),
        Some(Err(warning)) => (None, Some(warning)),
        None => (None, None),
    };
    let mut search_memo = disk
        .as_ref()
        .filter(|_| config.search.enabled)
        .map(cache::BuildCache::search_memo);
    clock.lap("open the cache");
    let rendered = render_into(
        options,
        config,
        render_cache.unwrap_or(&mut RenderCache::once()),
        PageSink::Stage(&staging),
        disk.as_ref().map(|d| render::BuildStores {
            code: d,
            search: search_memo.as_mut(),
        }),
    );
    clock.lap("render");
    // Waited for when the build returns, whichever way.
    let _keeping = match (&disk, search_memo, rendered.is_ok()) {
        (Some(d), Some(memo), true) => Some(d.keep_search_memo(memo)),
        _ => None,
    };
    let cache_warning = disk.and_then(cache::BuildCache::finish).or(refused);
    clock.lap("keep the cache");
    let mut r = match rendered {
        Ok(r) => r,
        Err(mut d) => {
            staging.discard();
            bar.finish_and_clear();
            d.extend(cache_warning);
            return Err(d);
        }
    };
    r.warnings.extend(cache_warning);
    bar.set_message("writing");
    let chapters = r.site.chapters.len();
    let pages = r.site.pages().count();
    let search_config = r.site.config.search.clone();
    let offline_enabled = r.site.config.offline.enabled;
    let render::Rendered {
        site,
        files,
        written,
        kept: _,
        copies,
        search_docs,
        search_index,
        print_pending: _,
        warnings,
    } = r;
    let file_count = files.len() + written + copies.len();
    drop(site);
    clock.lap("free the site");
    let result = staging
        .write_all(&files)
        .and_then(|_| staging.copy_all(&copies));
    drop(files);
    // The index is usually written while the pages render; if not (see
    // `render::index_alongside`), it is written now, last. Its error comes
    // after those of the files either way, as when it was always last.
    let result = result.and_then(|_| match search_index {
        Some(written) => written.map(Some),
        None if search_config.enabled => {
            bar.set_message("writing the search index");
            search::write_index(
                &search_docs,
                staging.path(),
                &search::IndexOptions::from_config(&search_config),
            )
            .map(Some)
        }
        None => Ok(None),
    });
    clock.lap("write files, search index");
    // Last: the service worker names every other file with its hash.
    let result = result.and_then(|stats| {
        if offline_enabled {
            let entries = offline::entries(staging.path())?;
            staging.write_one(&offline::service_worker(&entries))?;
        }
        Ok(stats)
    });
    let stats = match result {
        Ok(s) => s,
        Err(e) => {
            staging.discard();
            bar.finish_and_clear();
            return Err(io_error("write the site", e));
        }
    };
    clock.lap("service worker");
    let foreign = if options.force {
        ForeignFiles::Keep
    } else {
        ForeignFiles::Refuse
    };
    staging
        .commit(foreign)
        .map_err(|e| one(commit_error(e, &out_dir, &place)))?;
    clock.lap("swap into place");
    clock.report("build");
    bar.finish_and_clear();
    Ok(BuildReport {
        chapters,
        pages,
        files: file_count,
        out_dir,
        search: stats,
        elapsed: started.elapsed(),
        warnings,
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

/// Where the output folder was named, for the diagnostics about it: on the
/// command line (`--out`), or at the `output:` line of course.yaml.
pub enum OutPlace {
    Flag(String),
    Config(usize),
}

impl OutPlace {
    pub fn of(options: &BuildOptions) -> OutPlace {
        match &options.out {
            Some(p) => OutPlace::Flag(format!("--out {}", p.display())),
            None => OutPlace::Config(output_line(&options.root)),
        }
    }

    fn error(&self, message: String) -> Diagnostic {
        match self {
            OutPlace::Flag(flag) => Diagnostic::error(flag.as_str(), 0, 0, message),
            OutPlace::Config(line) => {
                Diagnostic::error(crate::config::CONFIG_FILE, *line, 0, message)
            }
        }
    }

    /// How to name another folder, in the place the user named this one.
    fn another(&self) -> &'static str {
        match self {
            OutPlace::Flag(_) => "give another folder with --out, e.g. `--out public`",
            OutPlace::Config(_) => "name another folder in course.yaml, e.g. `output: public`",
        }
    }
}

/// The output folder is replaced wholesale, so it must never be the course
/// itself or hold it, and it must be lectern's own output, an empty folder
/// or none (`--force` lets a build keep files lectern did not write in it).
fn check_out_dir(
    root: &Path,
    layout: &Layout,
    out: &Path,
    place: &OutPlace,
    force: bool,
) -> Result<(), Diagnostic> {
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
        || out_abs.starts_with(root.join(crate::layout::LECTERN_DIR))
        || layout
            .source_dirs()
            .iter()
            .any(|d| out_abs.starts_with(root.join(d)))
    {
        return Err(place
            .error(format!(
                "refusing to build into {}: it holds the course's own files",
                out.display()
            ))
            .with_hint(format!(
                "choose a separate output folder: {}",
                place.another()
            )));
    }
    match ownership::kind(&out_abs) {
        Kind::NotAFolder => Err(place
            .error(format!(
                "refusing to replace {}: it is a file",
                out.display()
            ))
            .with_hint(format!("{}, or move the file away", place.another()))),
        Kind::Foreign if !force => {
            let entries = ownership::entries(&out_abs).unwrap_or_default();
            Err(place
                .error(format!(
                    "refusing to build into {}: it holds files lectern did not write ({})",
                    out.display(),
                    ownership::list_for_message(&entries)
                ))
                .with_hint(format!(
                    "lectern replaces only a folder it built itself (it lists its files in {}): {}, empty this one yourself, or pass --force to build here and keep those files",
                    ownership::MANIFEST,
                    place.another()
                )))
        }
        _ => Ok(()),
    }
}

/// What a failed swap means for the user, in their words.
fn commit_error(e: CommitError, out: &Path, place: &OutPlace) -> Diagnostic {
    match e {
        CommitError::Foreign(list) => place
            .error(format!(
                "refusing to replace {}: files lectern did not write are in it ({})",
                out.display(),
                ownership::list_for_message(&list)
            ))
            .with_hint(format!(
                "nothing was changed; move those files out of the folder, {}, or pass --force to keep them in the new site",
                place.another()
            )),
        CommitError::Collision(list) => place
            .error(format!(
                "refusing to replace {}: files lectern did not write stand where the site writes its own ({})",
                out.display(),
                ownership::list_for_message(&list)
            ))
            .with_hint(format!(
                "nothing was changed; lectern never overwrites a file it did not write, not even with --force: move them away or {}",
                place.another()
            )),
        CommitError::KeptIn(backup, e) => Diagnostic::error(
            out,
            0,
            0,
            format!(
                "the new site is in place, but files lectern did not write could not be moved into it: {e}"
            ),
        )
        .with_hint(format!(
            "they are kept in {}: move them back by hand",
            backup.display()
        )),
        CommitError::Io(e) => Diagnostic::error(out, 0, 0, format!("cannot replace the output folder: {e}"))
            .with_hint("check that the output folder is writable and the disk not full"),
    }
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
