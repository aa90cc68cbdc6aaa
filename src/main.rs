//! lectern: a course folder in, a static site out.
//!
//! `main` only parses the command line, runs the command and maps its outcome
//! to an exit code: 0 success, 1 problems in the course, 2 usage errors (clap).

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use lectern::cli::{Cli, Command};
use lectern::diagnostic::{render_all, Diagnostics};
use lectern::init;
use lectern::pipeline::{self, BuildOptions, BuildReport};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, out, drafts } => {
            let options = BuildOptions {
                root: root.clone(),
                out,
                drafts,
                progress: std::io::stderr().is_terminal(),
            };
            finish(&root, pipeline::build(&options), "built")
        }
        Command::Check { root, drafts } => {
            let options = BuildOptions {
                root: root.clone(),
                out: None,
                drafts,
                progress: std::io::stderr().is_terminal(),
            };
            finish(&root, pipeline::check(&options), "checked")
        }
        Command::Serve {
            root,
            out,
            port,
            open,
            drafts,
        } => {
            let options = lectern::serve::ServeOptions {
                root,
                out,
                drafts,
                port,
                open,
            };
            match lectern::serve::run(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(d) => {
                    eprintln!("{d}");
                    ExitCode::from(1)
                }
            }
        }
        Command::New {
            kind,
            name,
            chapter,
            title,
            root,
        } => {
            use lectern::cli::NewKind;
            use lectern::scaffold::{self, Kind, NewOptions};
            let kind = match kind {
                NewKind::Chapter => Kind::Chapter,
                NewKind::Page => Kind::Page,
                NewKind::Case => Kind::Case,
                NewKind::Qa => Kind::Qa,
                NewKind::Quiz => Kind::Quiz,
            };
            let options = NewOptions {
                root,
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
                Err(d) => {
                    eprintln!("{d}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Init {
            dir,
            title,
            language,
        } => match init::create(&dir, title.as_deref(), &language) {
            Ok(()) => {
                println!(
                    "created a new course in {}\nbuild it with: lectern build --root {}",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(d) => {
                eprintln!("{d}");
                ExitCode::from(1)
            }
        },
    }
}

fn finish(
    root: &std::path::Path,
    result: Result<BuildReport, Diagnostics>,
    verb: &str,
) -> ExitCode {
    match result {
        Ok(report) => {
            if !report.warnings.is_empty() {
                eprint!("{}", render_all(&report.warnings, root));
            }
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
            eprint!("{}", render_all(&diags, root));
            eprintln!(
                "{} error(s), {} warning(s); nothing was written",
                diags.error_count(),
                diags.warning_count()
            );
            ExitCode::from(1)
        }
    }
}
