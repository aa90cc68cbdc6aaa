//! `lectern serve`: build, serve the output folder on 127.0.0.1, rebuild when
//! a source changes and tell open pages to reload.
//!
//! The build is the ordinary one (`pipeline::build`, with its atomic swap of
//! the output folder), so what the preview shows is exactly what `lectern
//! build` publishes; the live-reload script is added to HTML responses on the
//! way out and never written to disk. A build that fails leaves the last good
//! site in place: it is still served, and the diagnostics go to the terminal
//! and, through the reload channel, to an overlay on every open page.

pub mod files;
pub mod http;
pub mod reload;
pub mod watch;

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diagnostic::{render_all, Diagnostic, Diagnostics};
use crate::pipeline::{self, BuildOptions, BuildReport};

use http::Shared;
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
            progress: false,
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
    let shared = Arc::new(Shared::new(out_dir_of(&build_options)));

    let started = Instant::now();
    rebuild(&build_options, &shared, &[], started);

    let mut watcher = SourceWatcher::new(&options.root).map_err(|e| {
        Diagnostic::error(
            &options.root,
            0,
            0,
            format!("cannot watch the course for changes: {e}"),
        )
        .with_hint("on Linux, raise fs.inotify.max_user_watches if many files are watched")
    })?;
    let server = Arc::clone(&shared);
    std::thread::Builder::new()
        .name("lectern-accept".into())
        .spawn(move || http::serve(listener, server))
        .map_err(|e| {
            Diagnostic::error(&options.root, 0, 0, format!("cannot start the server: {e}"))
        })?;

    let url = format!("http://{addr}/");
    println!(
        "serving {} at {url}  (Ctrl-C to stop)",
        shared.out_dir().display()
    );
    let _ = std::io::stdout().flush();
    if options.open {
        open_browser(&url);
    }

    while let Some(changed) = watcher.next_change() {
        rebuild(&build_options, &shared, &changed, Instant::now());
    }
    Ok(())
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

/// One build, reported to the terminal and to the open pages.
fn rebuild(options: &BuildOptions, shared: &Shared, changed: &[PathBuf], started: Instant) {
    shared.gate.start();
    let result = pipeline::build(options);
    shared.gate.finish();
    let elapsed = started.elapsed();
    report(&options.root, &result, changed, elapsed);
    match result {
        Ok(report) => {
            if !report.out_dir.as_os_str().is_empty() {
                shared.set_out_dir(report.out_dir.clone());
            }
            shared.hub.built();
        }
        Err(diags) => shared.hub.failed(&failure_text(&options.root, &diags)),
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

fn report(
    root: &Path,
    result: &Result<BuildReport, Diagnostics>,
    changed: &[PathBuf],
    elapsed: Duration,
) {
    let what = describe_change(changed);
    match result {
        Ok(r) => {
            if !r.warnings.is_empty() {
                eprint!("{}", render_all(&r.warnings, root));
            }
            println!(
                "{what}built {} pages in {} ms",
                r.pages,
                elapsed.as_millis()
            );
        }
        Err(diags) => {
            eprint!("{}", failure_text(root, diags));
            eprintln!();
        }
    }
    let _ = std::io::stdout().flush();
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
