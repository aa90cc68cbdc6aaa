//! build, check, serve, init and new.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{fail, print};
use crate::cli::NewKind;
use crate::diagnostic::Diagnostics;
use crate::pipeline::{self, BuildOptions, BuildReport};
use crate::scaffold::{self, Kind, NewOptions};

pub fn build(
    root: PathBuf,
    out: Option<PathBuf>,
    drafts: bool,
    force: bool,
    cache: bool,
) -> ExitCode {
    let options = BuildOptions {
        root: root.clone(),
        out,
        drafts,
        force,
        progress: std::io::stderr().is_terminal(),
        cache,
    };
    finish(&root, pipeline::build(&options), "built")
}

pub fn check(root: PathBuf, drafts: bool) -> ExitCode {
    let options = BuildOptions {
        root: root.clone(),
        drafts,
        progress: std::io::stderr().is_terminal(),
        ..BuildOptions::default()
    };
    finish(&root, pipeline::check(&options), "checked")
}

pub fn serve(options: crate::serve::ServeOptions) -> ExitCode {
    let root = options.root.clone();
    match crate::serve::run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => fail(d, &root),
    }
}

pub fn new(
    kind: NewKind,
    name: String,
    chapter: Option<String>,
    title: Option<String>,
    root: PathBuf,
) -> ExitCode {
    let kind = match kind {
        NewKind::Chapter => Kind::Chapter,
        NewKind::Page => Kind::Page,
        NewKind::Case => Kind::Case,
        NewKind::Qa => Kind::Qa,
        NewKind::Quiz => Kind::Quiz,
    };
    let options = NewOptions {
        root: root.clone(),
        kind,
        name,
        chapter,
        title,
    };
    match scaffold::create(&options) {
        Ok(path) => {
            println!("created {}", path.display());
            ExitCode::SUCCESS
        }
        Err(d) => fail(d, &root),
    }
}

pub fn init(dir: &Path, title: Option<&str>, language: &str) -> ExitCode {
    match crate::init::create(dir, title, language) {
        Ok(()) => {
            println!(
                "created a new course in {}\nbuild it with: lectern build --root {}",
                dir.display(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(d) => fail(d, Path::new(".")),
    }
}

fn finish(root: &Path, result: Result<BuildReport, Diagnostics>, verb: &str) -> ExitCode {
    match result {
        Ok(report) => {
            print(&report.warnings, root);
            let mut line = format!(
                "{verb} {} chapters, {} pages ({} files) in {:.2} s",
                report.chapters,
                report.pages,
                report.files,
                report.elapsed.as_secs_f64()
            );
            if !report.out_dir.as_os_str().is_empty() {
                line.push_str(&format!(" → {}", report.out_dir.display()));
            }
            if let Some(s) = &report.search {
                line.push_str(&format!("; {s}"));
            }
            if report.warnings.warning_count() > 0 {
                line.push_str(&format!("; {} warning(s)", report.warnings.warning_count()));
            }
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(diags) => {
            print(&diags, root);
            eprintln!(
                "{} error(s), {} warning(s); nothing was written",
                diags.error_count(),
                diags.warning_count()
            );
            ExitCode::from(1)
        }
    }
}
