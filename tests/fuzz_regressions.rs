//! The fuzz targets' checks, run on stable Rust by `cargo test`.
//!
//! Each fuzz target (fuzz/fuzz_targets/*.rs, run with cargo-fuzz, see
//! fuzz/README.md) is a thin wrapper around a check in fuzz/checks/*.rs:
//! bytes in, a panic when lectern mishandles them. This test runs the same
//! checks, without libFuzzer, over
//!
//! - tests/fuzz_regressions/<target>/*: every input that ever crashed a
//!   target (kept once fixed, named after what it broke) and hand-picked
//!   inputs at the edges the targets explore (empty and unclosed front
//!   matter, YAML aliases and nesting, odd keys and numbers, combining
//!   marks, NFKC expansions, huge fields);
//! - fuzz/artifacts/<target>/*: crashes a local fuzzing run just found (the
//!   folder is not committed), so a fix can be checked before the input is
//!   moved into tests/fuzz_regressions;
//! - with `-- --ignored`: the whole local fuzz corpus (fuzz/corpus/<target>/).

#[path = "../fuzz/checks/front_matter.rs"]
mod front_matter;
#[path = "../fuzz/checks/gift_import.rs"]
mod gift_import;
#[path = "../fuzz/checks/question_bank.rs"]
mod question_bank;
#[path = "../fuzz/checks/search_tokenizer.rs"]
mod search_tokenizer;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The files of `dir`, sorted; none when it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

/// Runs `check` on every file of `dirs`; fails listing each input that panicked.
fn replay(target: &str, dirs: &[PathBuf], check: fn(&[u8]), at_least: usize) {
    let inputs: Vec<PathBuf> = dirs.iter().flat_map(|d| files(d)).collect();
    assert!(
        inputs.len() >= at_least,
        "{target}: {} inputs in {dirs:?}",
        inputs.len()
    );
    // Keep the default hook's message out of the way; report per input instead.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failed = Vec::new();
    for input in &inputs {
        let data = std::fs::read(input).unwrap();
        if let Err(e) = catch_unwind(AssertUnwindSafe(|| check(&data))) {
            let message = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failed.push(format!("{}: {message}", input.display()));
        }
    }
    std::panic::set_hook(hook);
    assert!(
        failed.is_empty(),
        "{target}: {} of {} inputs panicked:\n{}",
        failed.len(),
        inputs.len(),
        failed.join("\n")
    );
}

fn kept(target: &str) -> Vec<PathBuf> {
    vec![
        repo().join("tests/fuzz_regressions").join(target),
        repo().join("fuzz/artifacts").join(target),
    ]
}

/// Ensure the front-matter splitter and reader (and the Markdown of the body)
/// handle every kept input without panicking.
#[test]
fn front_matter_inputs() {
    replay("front_matter", &kept("front_matter"), front_matter::run, 10);
}

/// Ensure the question-bank and exam readers handle every kept input without panicking.
#[test]
fn question_bank_inputs() {
    replay(
        "question_bank",
        &kept("question_bank"),
        question_bank::run,
        10,
    );
}

/// Ensure the tokenizer, the index and the query engine handle every kept
/// input without panicking, keeping their invariants.
#[test]
fn search_tokenizer_inputs() {
    replay(
        "search_tokenizer",
        &kept("search_tokenizer"),
        search_tokenizer::run,
        8,
    );
}

/// Ensure the GIFT importer handles every kept input without panicking, and
/// that every bank it writes reads back without errors.
#[test]
fn gift_import_inputs() {
    replay("gift_import", &kept("gift_import"), gift_import::run, 8);
}

/// The whole local fuzz corpus of every target (after `cargo fuzz run`):
/// `cargo test --release --test fuzz_regressions -- --ignored`.
#[test]
#[ignore = "replays fuzz/corpus, which only exists after a local fuzzing run"]
fn replay_the_local_fuzz_corpus() {
    let corpus = |t: &str| vec![repo().join("fuzz/corpus").join(t)];
    replay(
        "front_matter",
        &corpus("front_matter"),
        front_matter::run,
        1,
    );
    replay(
        "question_bank",
        &corpus("question_bank"),
        question_bank::run,
        1,
    );
    replay(
        "search_tokenizer",
        &corpus("search_tokenizer"),
        search_tokenizer::run,
        1,
    );
    replay("gift_import", &corpus("gift_import"), gift_import::run, 1);
}
