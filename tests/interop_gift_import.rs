//! `lectern import gift` against a GIFT file per construct of the format
//! (tests/fixtures/gift/NAME.gift): the bank it writes must equal NAME.yaml
//! and its warnings NAME.warnings, and the bank must read back through
//! lectern's own bank reader without an error.
//!
//! After a deliberate change, rewrite the expected files with
//! `LECTERN_UPDATE_GOLDEN=1 cargo test --test interop_gift_import` and
//! review the diff.

use std::path::{Path, PathBuf};
use std::process::Command;

use lectern::interop::bank_yaml;
use lectern::interop::gift_import::{self, ImportOptions};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gift")
}

fn updating() -> bool {
    std::env::var_os("LECTERN_UPDATE_GOLDEN").is_some()
}

/// Imports tests/fixtures/gift/NAME.gift and compares with the expected files.
fn check(name: &str) {
    let dir = fixtures();
    let gift = dir.join(format!("{name}.gift"));
    let bytes = std::fs::read(&gift).unwrap();
    let rel = PathBuf::from(format!("{name}.gift"));
    let options = ImportOptions {
        chapter: "gift-cases".into(),
        title: None,
        id_prefix: name.into(),
    };
    let imported = gift_import::import(&rel, &bytes, &options).unwrap();
    let yaml = bank_yaml::to_yaml(&imported.bank, &format!("Imported from {name}.gift"));
    let warnings: String = imported
        .warnings
        .iter()
        .map(|d| format!("{}: {}\n", d.line, d.message))
        .collect();

    let problems = gift_import::check_bank_text(&yaml, Path::new("quizzes/gift-cases.yaml"));
    let errors: Vec<String> = problems
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "{name}: the imported bank does not read back:\n{}\n{yaml}",
        errors.join("\n")
    );

    for (ext, actual) in [("yaml", &yaml), ("warnings", &warnings)] {
        let path = dir.join(format!("{name}.{ext}"));
        if updating() {
            std::fs::write(&path, actual).unwrap();
            continue;
        }
        let expected =
            std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("no {}", path.display()));
        assert_eq!(
            actual, &expected,
            "{name}.{ext} differs (LECTERN_UPDATE_GOLDEN=1 rewrites it)"
        );
    }
}

/// `=` right answer, `~` wrong ones, per-answer feedback, the one-line and
/// missing-word forms, `%n%` weights with decimals and negatives.
#[test]
fn multiple_choice() {
    check("multiple-choice");
}

/// `T`, `TRUE`, `F`, `FALSE`, the two feedbacks; lower-case `true` is a short answer.
#[test]
fn true_false() {
    check("true-false");
}

/// Several accepted answers, the missing-word form, weights, feedback, `*`.
#[test]
fn short_answer() {
    check("short-answer");
}

/// Exact values, tolerances (`{#3:2}`), ranges (`{#1..5}`) and several
/// weighted answers become numerical questions.
#[test]
fn numerical() {
    check("numerical");
}

/// Pairs become blanks; a right side without a left one is a distractor.
#[test]
fn matching() {
    check("matching");
}

/// `{}` is an essay (lectern's short); no braces is a description item.
#[test]
fn essay_and_description() {
    check("essay-description");
}

/// `[html]`, `[plain]`, `[markdown]`, `[moodle]`, and `\: \~ \= \# \{ \} \\ \n`.
#[test]
fn formats_and_escapes() {
    check("formats-escapes");
}

/// `//` comments with `[id:]` and `[tag:]`, `$CATEGORY`, ids made valid and unique.
#[test]
fn comments_and_categories() {
    check("comments-categories");
}

/// Unbalanced braces, a one-answer choice, a pair without `->`, a number
/// that is not one: each reported with its line, the rest imported.
#[test]
fn what_moodle_refuses_is_reported() {
    check("errors");
}

/// HTML from Moodle's editor: `<b>activity</b> to` keeps its space,
/// `<p>asdf<br></p>` leaves no dangling backslash.
#[test]
fn html_spacing_and_breaks() {
    check("html-spacing");
}

/// A `[html]` prefix of an answer's feedback is read as its format, never
/// kept as text.
#[test]
fn feedback_format_prefixes() {
    check("feedback-format");
}

/// Two trailing spaces in `[markdown]` text stay a hard line break.
#[test]
fn markdown_hard_break() {
    check("markdown-break");
}

/// Answers that YAML 1.1 parsers read as other things (`=`, `yes`, `on`,
/// `1:20`) are written double-quoted.
#[test]
fn yaml_that_reads_the_same_everywhere() {
    check("yaml-quoting");
    let yaml = std::fs::read_to_string(fixtures().join("yaml-quoting.yaml")).unwrap();
    for quoted in ["- \"=\"", "- \"yes\"", "- \"on\"", "- \"1:20\"", "- \"y\""] {
        assert!(yaml.contains(quoted), "{quoted} in\n{yaml}");
    }
}

/// The summary counts the questions Moodle would refuse as read and not
/// imported (errors.gift: 5 refused, 1 imported).
#[test]
fn the_summary_counts_refused_questions() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("quizzes/01-x.yaml");
    let result = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["import", "gift"])
        .arg(fixtures().join("errors.gift"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(
        stdout.starts_with("imported 1 of 6 questions (true_false 1)")
            && stdout.contains("; 5 not imported"),
        "{stdout}"
    );
}

/// A file of categories and comments only is refused with the line of its
/// first category, and nothing is written.
#[test]
fn a_file_of_categories_only_names_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("quizzes/01-x.yaml");
    let result = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["import", "gift"])
        .arg(fixtures().join("categories-only.gift"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("categories-only.gift:1")
            && stderr.contains("the file holds no question, only 2 categories"),
        "{stderr}"
    );
    assert!(!out.exists());
}

/// A byte-order mark and CR LF line ends read like any other file.
#[test]
fn byte_order_mark_and_crlf() {
    check("crlf-bom");
}

/// A file in another encoding (here GBK) is refused with the offset of the
/// first bad byte, and nothing is written.
#[test]
fn a_file_that_is_not_utf8_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("quizzes/01-x.yaml");
    let result = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["import", "gift"])
        .arg(fixtures().join("not-utf8.gift"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("the file is not UTF-8 text (invalid byte 0xC4 at offset 7)"),
        "{stderr}"
    );
    assert!(stderr.contains("save it as UTF-8"), "{stderr}");
    assert!(!out.exists());
}

/// The command writes the bank, names the chapter after the file, and
/// refuses to overwrite a bank unless told to.
#[test]
fn the_command_writes_a_new_bank_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("quizzes/07-handling-complaints.yaml");
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["import", "gift"])
            .arg(fixtures().join("true-false.gift"))
            .arg("-o")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let first = run(&[]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        stdout.starts_with("imported 4 of 4 questions (true_false 3, fill 1)"),
        "{stdout}"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("\nchapter: handling-complaints\n"), "{text}");

    std::fs::write(&out, "kept").unwrap();
    let second = run(&[]);
    assert_eq!(second.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&second.stderr).contains("refusing to overwrite"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "kept");
    assert!(run(&["--force", "--chapter", "x"]).status.success());
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("\nchapter: x\n"));
}

/// The counts Moodle's own tests assert, on files written by hand in the
/// same shapes: the nine documentation examples of Moodle's questions.gift.txt
/// import 9 of 9 (numerical tolerance, range and weighted answers included),
/// and the GIFT grammar project's numerical forms 10 of 10.
#[test]
fn moodles_counts_on_files_of_the_same_shapes() {
    for (file, summary) in [
        (
            "moodle-questions.gift",
            "imported 9 of 9 questions (true_false 1, single 1, fill 2, numerical 3, short 1, multiple 1)",
        ),
        (
            "numerical-grammar.gift",
            "imported 10 of 10 questions (numerical 10)",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["import", "gift"])
            .arg(fixtures().join(file))
            .arg("-o")
            .arg(tmp.path().join("bank.yaml"))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{file}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.starts_with(summary), "{file}: {stdout}");
    }
}
