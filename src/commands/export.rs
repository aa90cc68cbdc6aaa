//! `lectern export`: loads the course, writes the chosen banks in the chosen
//! format, and reports what the format could not carry.

use std::path::Path;
use std::process::ExitCode;

use super::{fail, print};
use crate::cli::ExportFormatArg;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::interop::{self, ExportFormat};
use crate::layout::Layout;

pub fn run(
    root: &Path,
    format: ExportFormatArg,
    banks: &[String],
    output: Option<&Path>,
    force: bool,
) -> ExitCode {
    let format = match format {
        ExportFormatArg::Gift => ExportFormat::Gift,
        ExportFormatArg::MoodleXml => ExportFormat::MoodleXml,
        ExportFormatArg::Anki => ExportFormat::Anki,
        ExportFormatArg::Epub => ExportFormat::Epub,
    };
    if format == ExportFormat::Epub {
        if let Some(d) = epub_arguments(banks, output) {
            return fail(d, root);
        }
    }
    // Before the course is loaded: a refused file is the first thing to say.
    if let Some(path) = output {
        let layout = crate::config::Config::load(root)
            .map(|c| c.layout)
            .unwrap_or_default();
        if let Err(d) = writable_output(root, &layout, path, force) {
            return fail(d, root);
        }
    }
    let (course, warnings) = match interop::load_course(root) {
        Ok(c) => c,
        Err(diags) => {
            print(&diags, root);
            eprintln!("{} error(s); nothing was exported", diags.error_count());
            return ExitCode::from(1);
        }
    };
    print(&warnings, root);
    let chosen = match interop::select_banks(&course.quizzes, banks) {
        Ok(b) => b,
        Err(d) => return fail(d, root),
    };
    let exported = match format {
        ExportFormat::Epub => match interop::epub::export(&course) {
            Ok(e) => e,
            Err(d) => return fail(d, root),
        },
        _ => interop::export(&course, &chosen, format),
    };
    let mut losses = Diagnostics::new();
    losses.extend(exported.warnings.iter().cloned());
    print(&losses, root);
    let what = match format {
        ExportFormat::Anki => "cards",
        ExportFormat::Epub => "documents",
        _ => "questions",
    };
    let from = match format {
        ExportFormat::Epub => format!("{} chapter(s)", course.site.chapters.len()),
        _ => format!("{} bank(s)", chosen.len()),
    };
    let warned = match format {
        ExportFormat::Epub => match exported.warnings.len() {
            0 => String::new(),
            n => format!("; {n} warning(s) above say what the book leaves out"),
        },
        _ => warn_count(exported.warnings.len()),
    };
    match output {
        Some(path) => {
            let bytes = exported
                .bytes
                .as_deref()
                .unwrap_or(exported.text.as_bytes());
            if let Err(e) = std::fs::write(path, bytes) {
                return fail(
                    Diagnostic::error(path, 0, 0, format!("cannot write the export: {e}"))
                        .with_hint("check that the folder exists and can be written"),
                    root,
                );
            }
            eprintln!(
                "exported {} {what} from {from} as {} → {}{warned}",
                exported.items,
                format.name(),
                path.display(),
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
                "exported {} {what} from {from} as {}{warned}",
                exported.items,
                format.name(),
            );
        }
    }
    ExitCode::SUCCESS
}

/// An EPUB is the whole course written to a file: no bank is chosen, and
/// its bytes never go to a terminal.
fn epub_arguments(banks: &[String], output: Option<&Path>) -> Option<Diagnostic> {
    if let Some(name) = banks.first() {
        return Some(
            Diagnostic::error(
                name,
                0,
                0,
                "an EPUB holds the whole course; it takes no bank names",
            )
            .with_hint("leave out the bank names: `lectern export -f epub -o course.epub`"),
        );
    }
    if output.is_none() {
        return Some(
            Diagnostic::error("epub", 0, 0, "an EPUB is a file: name it with -o")
                .with_hint("for example `lectern export -f epub -o course.epub`"),
        );
    }
    None
}

fn warn_count(n: usize) -> String {
    match n {
        0 => String::new(),
        n => format!("; {n} question(s) lose something in this format (see the warnings above)"),
    }
}

/// The export may not replace a file of the course itself (course.yaml, a
/// page, a bank, a theme file), even with --force, nor any other existing
/// file without it. Paths are compared canonical, so `quizzes/../course.yaml`
/// and links are caught too.
pub fn writable_output(
    root: &Path,
    layout: &Layout,
    output: &Path,
    force: bool,
) -> Result<(), Diagnostic> {
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    let target = canonical(output).or_else(|| {
        // A new file: where its folder really is.
        let parent = output.parent().filter(|p| !p.as_os_str().is_empty());
        canonical(parent.unwrap_or(Path::new(".")))
            .and_then(|dir| output.file_name().map(|n| dir.join(n)))
    });
    if let (Some(target), Some(root)) = (&target, canonical(root)) {
        let dirs = layout.source_dirs();
        let mut sources = layout
            .config_files()
            .iter()
            .map(|f| root.join(f))
            .chain(dirs.iter().map(|d| root.join(d)));
        if sources.any(|s| target.starts_with(&s)) {
            return Err(Diagnostic::error(
                output,
                0,
                0,
                "refusing to export into the course's own files",
            )
            .with_hint(format!(
                "write the export outside {}, e.g. `-o export.gift`",
                layout
                    .config_files()
                    .iter()
                    .map(|f| f.to_string())
                    .chain(
                        layout
                            .source_dirs()
                            .iter()
                            .map(|d| format!("{}/", d.display()))
                    )
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    if output.exists() && !force {
        return Err(
            Diagnostic::error(output, 0, 0, "the file exists; refusing to overwrite it")
                .with_hint("choose another name, or pass --force to replace it"),
        );
    }
    Ok(())
}
