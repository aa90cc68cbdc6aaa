//! lectern: a course folder in, a static site out.
//!
//! `main` only parses the command line, runs the command and maps its outcome
//! to an exit code: 0 success, 1 problems in the course, 2 usage errors (clap).

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

use lectern::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Ctrl-C or `kill` during a build: remove its staging folder first.
    lectern::output::interrupt::install();
    lectern::commands::run(cli)
}
