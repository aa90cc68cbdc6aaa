//! What each command does, between the parsed command line (`cli`) and the
//! exit code (`main`). Every outcome is printed here, one way: diagnostics
//! through `diagnostic::render_all` (file, line, source, hint), summaries on
//! standard output.

mod build;
mod export;
mod import;

use std::path::Path;
use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::diagnostic::{render_all, Diagnostic, Diagnostics};

/// Runs the command and says how it went: 0 success, 1 problems in the
/// course or the files named (clap answers usage errors with 2 itself).
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build {
            root,
            out,
            drafts,
            force,
            no_cache,
        } => build::build(root, out, drafts, force, !no_cache),
        Command::Check { root, drafts } => build::check(root, drafts),
        Command::Serve {
            root,
            out,
            port,
            open,
            drafts,
            force,
        } => build::serve(crate::serve::ServeOptions {
            root,
            out,
            drafts,
            force,
            port,
            open,
        }),
        Command::New {
            kind,
            name,
            chapter,
            title,
            root,
        } => build::new(kind, name, chapter, title, root),
        Command::Export {
            format,
            banks,
            output,
            root,
            force,
        } => export::run(&root, format, &banks, output.as_deref(), force),
        Command::Import {
            format,
            file,
            output,
            chapter,
            title,
            force,
        } => import::run(format, &file, &output, chapter, title, force),
        Command::Init {
            dir,
            title,
            language,
        } => build::init(&dir, title.as_deref(), &language),
    }
}

/// Prints diagnostics (errors and warnings) as every command does.
fn print(diagnostics: &Diagnostics, root: &Path) {
    if !diagnostics.is_empty() {
        eprint!("{}", render_all(diagnostics, root));
    }
}

/// Prints one diagnostic and fails.
fn fail(diagnostic: Diagnostic, root: &Path) -> ExitCode {
    let mut ds = Diagnostics::new();
    ds.push(diagnostic);
    print(&ds, root);
    ExitCode::from(1)
}
