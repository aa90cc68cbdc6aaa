//! lectern: a course folder in, a static site out.
//!
//! `main` only parses the command line, runs the command and maps its outcome
//! to an exit code: 0 success, 1 problems in the course, 2 usage errors (clap).

use std::io::IsTerminal;

/// mimalloc instead of the system allocator. Measured on the 1,000-page
/// benchmark corpus (bench/): glibc's malloc, free and their consolidation
/// were about a fifth of the CPU samples, from many small strings allocated
/// on all rayon threads at once (Markdown events, highlighted spans, index
/// postings). See bench/RESULTS.md for the before and after.
///
/// Cargo.toml enables mimalloc's `override` feature, so the C code linked in
/// allocates with it too: Oniguruma (syntect's regex engine) mallocs and
/// frees on every highlighted line, and glibc's allocator was still about 6 %
/// of the CPU samples; the 1,000- and 10,000-page builds took about 6 % less
/// CPU time with it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

use clap::Parser;

use lectern::cli::{Cli, Command};
use lectern::diagnostic::{render_all, Diagnostics};
use lectern::init;
use lectern::pipeline::{self, BuildOptions, BuildReport};

fn main() -> ExitCode {
    let cli = Cli::parse();
    lectern::output::interrupt::install();
    match cli.command {
        Command::Build {
            root,
            out,
            drafts,
            force,
        } => {
            let options = BuildOptions {
                root: root.clone(),
                out,
                drafts,
                force,
                progress: std::io::stderr().is_terminal(),
            };
            finish(&root, pipeline::build(&options), "built")
        }
        Command::Check { root, drafts } => {
            let options = BuildOptions {
                root: root.clone(),
                out: None,
                drafts,
                force: false,
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
            force,
        } => {
            let options = lectern::serve::ServeOptions {
                root,
                out,
                drafts,
                force,
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
        Command::Export {
            format,
            banks,
            output,
            root,
        } => export(&root, format, &banks, output.as_deref()),
        Command::Import {
            format: _,
            file,
            output,
            chapter,
            title,
            force,
        } => import_gift(&file, &output, chapter, title, force),
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

/// `lectern export`: loads the course, writes the chosen banks in the
/// chosen format, and reports what the format could not carry.
fn export(
    root: &std::path::Path,
    format: lectern::cli::ExportFormatArg,
    banks: &[String],
    output: Option<&std::path::Path>,
) -> ExitCode {
    use lectern::cli::ExportFormatArg;
    use lectern::interop::{self, ExportFormat};
    let format = match format {
        ExportFormatArg::Gift => ExportFormat::Gift,
        ExportFormatArg::MoodleXml => ExportFormat::MoodleXml,
        ExportFormatArg::Anki => ExportFormat::Anki,
    };
    let (course, warnings) = match interop::load_course(root) {
        Ok(c) => c,
        Err(diags) => {
            eprint!("{}", render_all(&diags, root));
            eprintln!("{} error(s); nothing was exported", diags.error_count());
            return ExitCode::from(1);
        }
    };
    if !warnings.is_empty() {
        eprint!("{}", render_all(&warnings, root));
    }
    let chosen = match interop::select_banks(&course.quizzes, banks) {
        Ok(b) => b,
        Err(d) => {
            eprintln!("{d}");
            return ExitCode::from(1);
        }
    };
    let exported = interop::export(&course, &chosen, format);
    let mut losses = Diagnostics::new();
    losses.extend(exported.warnings.iter().cloned());
    if !losses.is_empty() {
        eprint!("{}", render_all(&losses, root));
    }
    let what = if format == ExportFormat::Anki {
        "cards"
    } else {
        "questions"
    };
    match output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &exported.text) {
                eprintln!("{}: error: cannot write: {e}", path.display());
                return ExitCode::from(1);
            }
            eprintln!(
                "exported {} {what} from {} bank(s) as {} → {}{}",
                exported.items,
                chosen.len(),
                format.name(),
                path.display(),
                warn_count(exported.warnings.len())
            );
        }
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            if out.write_all(exported.text.as_bytes()).is_err() {
                // A closed pipe (`| head`) is not an error of the export.
                return ExitCode::SUCCESS;
            }
            eprintln!(
                "exported {} {what} from {} bank(s) as {}{}",
                exported.items,
                chosen.len(),
                format.name(),
                warn_count(exported.warnings.len())
            );
        }
    }
    ExitCode::SUCCESS
}

fn warn_count(n: usize) -> String {
    match n {
        0 => String::new(),
        n => format!("; {n} question(s) lose something in this format (see the warnings above)"),
    }
}

/// `lectern import gift`: reads a GIFT file and writes a new bank file.
fn import_gift(
    file: &std::path::Path,
    output: &std::path::Path,
    chapter: Option<String>,
    title: Option<String>,
    force: bool,
) -> ExitCode {
    use lectern::interop::{bank_yaml, gift_import};
    let here = std::path::Path::new(".");
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{}: error: cannot read: {e}", file.display());
            return ExitCode::from(1);
        }
    };
    if output.exists() && !force {
        eprintln!(
            "{}: error: the file exists; refusing to overwrite it (hint: choose another name, or pass --force)",
            output.display()
        );
        return ExitCode::from(1);
    }
    let stem = output
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("imported")
        .to_string();
    let chapter =
        chapter.unwrap_or_else(|| lectern::content::paths::split_prefix(&stem).1.to_string());
    let options = gift_import::ImportOptions {
        chapter,
        title,
        id_prefix: stem.clone(),
    };
    let imported = match gift_import::import(file, &bytes, &options) {
        Ok(i) => i,
        Err(d) => {
            let mut ds = Diagnostics::new();
            ds.push(d);
            eprint!("{}", render_all(&ds, here));
            return ExitCode::from(1);
        }
    };
    let mut warnings = Diagnostics::new();
    warnings.extend(imported.warnings.iter().cloned());
    if !warnings.is_empty() {
        eprint!("{}", render_all(&warnings, here));
    }
    if imported.bank.questions.is_empty() {
        eprintln!(
            "{}: error: no question could be imported ({} read); nothing was written",
            file.display(),
            imported.read
        );
        return ExitCode::from(1);
    }
    let header = format!(
        "Imported from {} by `lectern import gift`; check it with `lectern check`.",
        file.display()
    );
    let text = bank_yaml::to_yaml(&imported.bank, &header);
    let problems: Vec<_> = gift_import::check_bank_text(&text, output)
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    if !problems.is_empty() {
        let mut ds = Diagnostics::new();
        ds.extend(problems);
        eprintln!("the imported bank does not read back cleanly (please report this as a bug):");
        eprint!("{}", render_all(&ds, here));
    }
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(parent);
    }
    if let Err(e) = std::fs::write(output, text) {
        eprintln!("{}: error: cannot write: {e}", output.display());
        return ExitCode::from(1);
    }
    let mut counts: Vec<(String, usize)> = Vec::new();
    for q in &imported.bank.questions {
        match counts.iter_mut().find(|(k, _)| *k == q.kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((q.kind.clone(), 1)),
        }
    }
    let counts: Vec<String> = counts.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let skipped = imported.read - imported.bank.questions.len();
    println!(
        "imported {} of {} questions ({}) → {}{}",
        imported.bank.questions.len(),
        imported.read,
        counts.join(", "),
        output.display(),
        if skipped > 0 {
            format!("; {skipped} not imported (see the warnings above)")
        } else {
            String::new()
        }
    );
    ExitCode::SUCCESS
}
