//! `lectern serve`: build, serve the output folder on 127.0.0.1, rebuild when
//! a source changes and tell open pages to reload.
//!
//! The first build is the ordinary one (`pipeline::build`, with its atomic
//! swap of the output folder). Rebuilds render the same site in memory and
//! rewrite only the files that changed (`incremental`), then bring the search
//! index up to date in the background, so a saved page shows in tens of
//! milliseconds. The live-reload script is added to HTML responses on the way
//! out and never written to disk. A build that fails leaves the last good
//! site in place: it is still served, and the diagnostics go to the terminal
//! and, through the reload channel, to an overlay on every open page.

pub mod files;
pub mod http;
pub mod incremental;
pub mod reload;
pub mod watch;

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::config::Config;
use crate::diagnostic::{render_all, Diagnostic, Diagnostics};
use crate::pipeline::{self, BuildOptions};

use crate::pipeline::render::{self, RenderCache};
use http::Shared;
use incremental::OutputState;
use watch::SourceWatcher;

/// The port tried first when none is given; the next few are tried if it is taken.
pub const DEFAULT_PORT: u16 = 3000;
const PORTS_TO_TRY: u16 = 10;

#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// Overrides `output` of course.yaml.
    pub out: Option<PathBuf>,
    pub drafts: bool,
    /// Serve even from a folder holding files lectern did not write (kept).
    pub force: bool,
    /// None: `DEFAULT_PORT` or the next free one. Some(0): any free port.
    pub port: Option<u16>,
    /// Open the site in the default browser once it is served.
    pub open: bool,
}

impl ServeOptions {
    fn build_options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            out: self.out.clone(),
            drafts: self.drafts,
            force: self.force,
            progress: false,
            // The preview keeps its own cache in memory (`RenderCache`).
            cache: false,
        }
    }
}

/// Serves until the process is stopped (Ctrl-C). Returns only on a failure
/// to start: the port cannot be bound, or the sources cannot be watched.
pub fn run(options: &ServeOptions) -> Result<(), Diagnostic> {
    let listener = bind(options.port)?;
    let addr = listener.local_addr().map_err(|e| {
        Diagnostic::error(
            &options.root,
            0,
            0,
            format!("cannot read the bound address: {e}"),
        )
    })?;
    let build_options = options.build_options();
    let mut preview = Preview {
        shared: Arc::new(Shared::new(out_dir_of(&build_options))),
        options: build_options,
        output: None,
        cache: RenderCache::default().deferring(),
    };
    preview.rebuild(&[]);

    // The layout (which folders are sources) as the course's settings say;
    // a course.yaml with errors is reported by the build, and its folders
    // are the usual ones meanwhile.
    let layout = crate::config::Config::load(&options.root)
        .map(|c| c.layout)
        .unwrap_or_default();
    let mut watcher = SourceWatcher::new(&options.root, &layout).map_err(|e| {
        Diagnostic::error(
            &options.root,
            0,
            0,
            format!("cannot watch the course for changes: {e}"),
        )
        .with_hint("on Linux, raise fs.inotify.max_user_watches if many files are watched")
    })?;
    let server = Arc::clone(&preview.shared);
    std::thread::Builder::new()
        .name("lectern-accept".into())
        .spawn(move || http::serve(listener, server))
        .map_err(|e| {
            Diagnostic::error(&options.root, 0, 0, format!("cannot start the server: {e}"))
        })?;

    let url = format!("http://{addr}/");
    println!(
        "serving {} at {url}  (Ctrl-C to stop)",
        preview.shared.out_dir().display()
    );
    let _ = std::io::stdout().flush();
    if options.open {
        open_browser(&url);
    }

    while let Some(changed) = watcher.next_change() {
        preview.rebuild(&changed);
    }
    Ok(())
}

/// The served site and how to rebuild it.
struct Preview {
    options: BuildOptions,
    shared: Arc<Shared>,
    /// What the last good build left in the output folder; None until a
    /// full build succeeded (or after a write failed).
    output: Option<OutputState>,
    cache: RenderCache,
}

impl Preview {
    /// Rebuilds after `changed` (empty: the first build) and tells the
    /// terminal and the open pages how it went.
    fn rebuild(&mut self, changed: &[PathBuf]) {
        let started = Instant::now();
        let what = describe_change(changed);
        let Some(output) = self.output.as_mut() else {
            return self.full_build(&what, started);
        };
        let rendered = match render::render_cached(&self.options, &mut self.cache) {
            Ok(r) => r,
            Err(diags) => return self.failed(&diags),
        };
        if pipeline::resolve_out_dir(&self.options, &rendered.site.config) != output.out_dir() {
            // course.yaml now names another output folder: build that one whole.
            return self.full_build(&what, started);
        }
        let mut clock = pipeline::trace::StageClock::from_env();
        let stats = match output.write(
            &rendered.files,
            &rendered.kept,
            &rendered.print_pending,
            &rendered.copies,
        ) {
            Ok(s) => s,
            Err(e) => {
                let mut diags = Diagnostics::new();
                diags.push(Diagnostic::error(
                    output.out_dir(),
                    0,
                    0,
                    format!("cannot write the site: {e}"),
                ));
                // Next time, rebuild the folder whole.
                self.output = None;
                self.cache.forget_pages();
                return self.failed(&diags);
            }
        };
        clock.lap("write");
        let elapsed = started.elapsed();
        self.shared.hub.built();
        clock.report("serve");
        print_warnings(&self.options.root, &rendered.warnings);
        let removed = match stats.removed {
            0 => String::new(),
            n => format!(", {n} removed"),
        };
        println!(
            "{what}rebuilt in {} ms ({} of {} files written{removed})",
            elapsed.as_millis(),
            stats.written,
            stats.written + stats.unchanged,
        );
        let _ = std::io::stdout().flush();
        // After the reload: the print documents (print.html is the whole
        // course), then the search entries and, in the background, index.
        if !rendered.print_pending.is_empty() {
            self.write_print(&rendered.site);
        }
        let Some(output) = self.output.as_mut() else {
            return;
        };
        let search = &rendered.site.config.search;
        let (options, enabled) = (
            crate::search::IndexOptions::from_config(search),
            search.enabled,
        );
        let docs = render::search_docs(&self.cache, &rendered.site);
        self.cache.give_back(rendered.site);
        output.update_search(docs, options, enabled, |result| {
            match result {
                Ok(took) => println!("  search index updated in {} ms", took.as_millis()),
                Err(e) => eprintln!("  cannot write the search index: {e}"),
            }
            let _ = std::io::stdout().flush();
        });
    }

    /// Makes the print documents a rebuild left pending and writes those
    /// that changed; an open print page reloads when they are written.
    fn write_print(&mut self, site: &crate::content::Site) {
        let started = Instant::now();
        let made = match render::render_print(&mut self.cache, site) {
            Ok(p) => p,
            Err(d) => return self.failed(&Diagnostics::from_one(d)),
        };
        let Some(output) = self.output.as_mut() else {
            return;
        };
        match output.write_pending(&made.files) {
            Ok(stats) if stats.written > 0 => {
                self.shared.hub.print_written();
                println!(
                    "  print pages updated in {} ms ({} written)",
                    started.elapsed().as_millis(),
                    stats.written
                );
                let _ = std::io::stdout().flush();
            }
            Ok(_) => {}
            Err(e) => {
                eprintln!("  cannot write the print pages: {e}");
                // Next time, rebuild the folder whole.
                self.output = None;
                self.cache.forget_pages();
            }
        }
    }

    /// The ordinary build, with its swap of the whole output folder.
    fn full_build(&mut self, what: &str, started: Instant) {
        if let Some(mut old) = self.output.take() {
            // No background index write may outlive the folder it writes into.
            let _ = old.finish_search();
        }
        // The folder is about to hold what this build writes, not what the
        // cache's last render made.
        self.cache.forget_pages();
        self.shared.gate.start();
        let result = pipeline::build_cached(&self.options, Some(&mut self.cache));
        self.shared.gate.finish();
        match result {
            Ok(report) => {
                print_warnings(&self.options.root, &report.warnings);
                println!(
                    "{what}built {} pages in {} ms",
                    report.pages,
                    started.elapsed().as_millis()
                );
                let _ = std::io::stdout().flush();
                self.shared.set_out_dir(report.out_dir.clone());
                self.output = Some(OutputState::new(report.out_dir));
                self.shared.hub.built();
            }
            Err(diags) => self.failed(&diags),
        }
    }

    fn failed(&self, diags: &Diagnostics) {
        let text = failure_text(&self.options.root, diags);
        eprintln!("{text}");
        self.shared.hub.failed(&text);
    }
}

/// Binds 127.0.0.1 on the given port, or on the first free one from `DEFAULT_PORT`.
fn bind(port: Option<u16>) -> Result<TcpListener, Diagnostic> {
    let ports: Vec<u16> = match port {
        Some(p) => vec![p],
        None => (DEFAULT_PORT..DEFAULT_PORT + PORTS_TO_TRY).collect(),
    };
    let mut last_error = None;
    for p in &ports {
        match http::bind(*p) {
            Ok(l) => return Ok(l),
            Err(e) => last_error = Some(e),
        }
    }
    let e = last_error.map(|e| e.to_string()).unwrap_or_default();
    Err(Diagnostic::error(
        crate::config::CONFIG_FILE,
        0,
        0,
        format!("cannot listen on 127.0.0.1:{}: {e}", ports[0]),
    )
    .with_hint("another program uses the port: choose one with `--port 8080`, or `--port 0` for any free port"))
}

/// Where the site is written: course.yaml's `output` (or `--out`), or
/// public/ while course.yaml cannot be read.
fn out_dir_of(options: &BuildOptions) -> PathBuf {
    match Config::load(&options.root) {
        Ok(config) => pipeline::resolve_out_dir(options, &config),
        Err(_) => match &options.out {
            Some(out) => out.clone(),
            None => options.root.join("public"),
        },
    }
}

fn failure_text(root: &Path, diags: &Diagnostics) -> String {
    format!(
        "{}{} error(s), {} warning(s); still serving the last good build",
        render_all(diags, root),
        diags.error_count(),
        diags.warning_count()
    )
}

fn print_warnings(root: &Path, warnings: &Diagnostics) {
    if !warnings.is_empty() {
        eprint!("{}", render_all(warnings, root));
    }
}

fn describe_change(changed: &[PathBuf]) -> String {
    match changed {
        [] => String::new(),
        [one] => format!("{} changed: ", one.display()),
        [first, rest @ ..] => format!("{} and {} more changed: ", first.display(), rest.len()),
    }
}

/// Asks the desktop to open `url`; failing that, the URL is already printed.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let _ = std::process::Command::new(command.0)
        .args(command.1)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
