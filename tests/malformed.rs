//! The corpus of broken input (tests/malformed/, described in its README.md):
//! one small case per mistake a course author can make, each with the
//! diagnostic it must produce.
//!
//! For every case: the valid base course is built once, the case's files are
//! laid over it, and `lectern build` runs again. It must exit with code 1
//! without panicking, print exactly the expected errors — each at its file
//! and line, with the expected text — and leave the site built before byte
//! for byte as it was. `lectern check` must say the same. Finally all the
//! content and quiz cases are laid over one course together, and one run of
//! `lectern check` must list every one of their diagnostics.
//!
//! GIFT cases (`gift-…`) hold an `input.gift` instead, which
//! `lectern import gift` must refuse: exit code 1, every expected diagnostic
//! (warnings included: they name the questions left out), and the course —
//! its question banks above all — untouched.

mod engine_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use engine_support::{copy_dir, run_in, snapshot, Reported, Run};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/malformed")
}

/// One diagnostic a case must produce.
#[derive(Debug, Clone)]
struct Expected {
    /// As printed after `= at`: `file:line:column`, `file:line` or (whole-file problems) `file`.
    location: String,
    /// Texts the printed diagnostic must contain.
    texts: Vec<String>,
}

impl Expected {
    fn matches(&self, d: &Reported) -> bool {
        let located = d.location == self.location
            || (self.location.matches(':').count() == 1
                && d.location.starts_with(&format!("{}:", self.location)));
        located && self.texts.iter().all(|t| d.text.contains(t.as_str()))
    }
}

#[derive(Debug)]
struct Case {
    name: String,
    dir: PathBuf,
    expected: Vec<Expected>,
    /// The problem concerns a whole file: its location has no line.
    whole_file: bool,
    /// Only `build` sees it (it is about writing the output).
    build_only: bool,
    /// For GIFT cases: the bank `lectern import gift` is asked to write.
    output: Option<String>,
}

/// The bank a GIFT case asks `lectern import gift` to write, unless it says otherwise.
const IMPORT_OUTPUT: &str = "quizzes/imported.yaml";

impl Case {
    fn is_gift(&self) -> bool {
        self.name.starts_with("gift-")
    }
}

impl Case {
    /// The case's files, relative to the course root (expected.txt excluded).
    fn files(&self) -> Vec<String> {
        snapshot(&self.dir)
            .into_keys()
            .filter(|f| f != "expected.txt")
            .collect()
    }

    /// Whether the case can join the others in one course: it must not
    /// replace a file of the base.
    fn combinable(&self) -> bool {
        let base = base_files();
        self.files().iter().all(|f| !base.contains(f))
    }

    /// Lays the case over the course at `root`.
    fn apply(&self, root: &Path) {
        copy_dir(&self.dir, root);
        let _ = std::fs::remove_file(root.join("expected.txt"));
        // A bank of its own gets a chapter of its own (see README.md).
        let has_bank = self
            .files()
            .iter()
            .any(|f| f.starts_with("quizzes/") && !f.starts_with("quizzes/exams/"));
        let chapter = self.dir.join("content").join(&self.name);
        if has_bank && !chapter.exists() {
            let index = root.join("content").join(&self.name).join("index.md");
            std::fs::create_dir_all(index.parent().unwrap()).unwrap();
            std::fs::write(index, format!("---\ntitle: {}\n---\n\n正文。\n", self.name)).unwrap();
        }
    }
}

fn base_files() -> &'static Vec<String> {
    static FILES: OnceLock<Vec<String>> = OnceLock::new();
    FILES.get_or_init(|| snapshot(&corpus_dir().join("_base")).into_keys().collect())
}

/// What `expected.txt` says (format in tests/malformed/README.md).
struct Parsed {
    expected: Vec<Expected>,
    whole_file: bool,
    build_only: bool,
    output: Option<String>,
}

fn parse_expected(name: &str, text: &str) -> Parsed {
    let mut expected = Vec::new();
    let (mut whole_file, mut build_only, mut output) = (false, false, None);
    let mut block: Vec<&str> = Vec::new();
    let mut flush = |block: &mut Vec<&str>| {
        if let Some((location, texts)) = block.split_first() {
            expected.push(Expected {
                location: location.to_string(),
                texts: texts.iter().map(|t| t.to_string()).collect(),
            });
        }
        block.clear();
    };
    for line in text.lines() {
        match line.trim_end() {
            l if l.starts_with('#') => {}
            "@whole-file" => whole_file = true,
            "@build-only" => build_only = true,
            l if l.starts_with("@output ") => output = Some(l["@output ".len()..].to_string()),
            l if l.starts_with('@') => panic!("{name}/expected.txt: unknown directive {l}"),
            "" => flush(&mut block),
            l => block.push(l),
        }
    }
    flush(&mut block);
    Parsed {
        expected,
        whole_file,
        build_only,
        output,
    }
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type().unwrap().is_dir() || name.starts_with('_') {
            continue;
        }
        let text = std::fs::read_to_string(entry.path().join("expected.txt"))
            .unwrap_or_else(|_| panic!("tests/malformed/{name} has no expected.txt"));
        let parsed = parse_expected(&name, &text);
        cases.push(Case {
            name,
            dir: entry.path(),
            expected: parsed.expected,
            whole_file: parsed.whole_file,
            build_only: parsed.build_only,
            output: parsed.output,
        });
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

/// The base course, built once: every case starts from a copy of it with its
/// `public/` already there.
fn build_base() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("course");
    copy_dir(&corpus_dir().join("_base"), &root);
    let run = run_in(tmp.path(), &["build", "--root", root.to_str().unwrap()]);
    run.assert_success();
    assert!(
        run.stderr.trim().is_empty(),
        "the base course builds without warnings:\n{}",
        run.stderr
    );
    tmp
}

/// Every diagnostic of a run: the rendered ones (`error: …` + `= at …`) and
/// one-line ones (`file: error: message (hint: …)`, as `lectern import` ends).
fn diagnostics(run: &Run) -> Vec<Reported> {
    let mut all = run.diagnostics();
    for line in run.stderr.lines() {
        if line.starts_with("error:") || line.starts_with("warning:") {
            continue;
        }
        for severity in ["error", "warning"] {
            if let Some((location, message)) = line.split_once(&format!(": {severity}: ")) {
                all.push(Reported {
                    severity: severity.to_string(),
                    message: message.to_string(),
                    location: location.to_string(),
                    hint: None,
                    text: line.to_string(),
                });
            }
        }
    }
    all
}

/// The errors of a run (warnings are not the corpus's business, except for
/// GIFT imports, where they name what was left out).
fn errors(run: &Run) -> Vec<Reported> {
    diagnostics(run)
        .into_iter()
        .filter(|d| d.severity == "error")
        .collect()
}

/// What is wrong with `run` for these expectations; empty when nothing is.
fn mismatches(expected: &[Expected], run: &Run) -> Vec<String> {
    check_reported(expected, run, errors(run), true)
}

fn check_reported(
    expected: &[Expected],
    run: &Run,
    found: Vec<Reported>,
    count_in_summary: bool,
) -> Vec<String> {
    let mut problems = Vec::new();
    if run.code != Some(1) {
        problems.push(format!("exit code {:?}, expected 1", run.code));
    }
    if run.stderr.contains("panicked") {
        problems.push("lectern panicked".into());
    }
    for e in expected {
        if !found.iter().any(|d| e.matches(d)) {
            problems.push(format!(
                "no diagnostic at {} containing {:?}",
                e.location, e.texts
            ));
        }
    }
    for d in &found {
        if !expected.iter().any(|e| e.matches(d)) {
            problems.push(format!(
                "unexpected {} at {}: {}",
                d.severity, d.location, d.message
            ));
        }
    }
    let summary = format!("{} error(s)", expected.len());
    if count_in_summary && !run.stderr.lines().any(|l| l.starts_with(&summary)) {
        problems.push(format!(
            "the summary does not count {} error(s)",
            expected.len()
        ));
    }
    problems
}

/// Runs a GIFT case: `lectern import gift input.gift` in the course must
/// refuse with the expected diagnostics and change nothing.
fn run_gift_case(case: &Case, base: &Path) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("course");
    copy_dir(&base.join("course"), &root);
    case.apply(&root);
    let before = snapshot(&root);
    let output = case.output.as_deref().unwrap_or(IMPORT_OUTPUT);
    let run = run_in(
        &root,
        &[
            "import",
            "gift",
            "input.gift",
            "--output",
            output,
            "--chapter",
            "base",
        ],
    );
    let mut problems = check_reported(&case.expected, &run, diagnostics(&run), false);
    if snapshot(&root) != before {
        problems.push("the import changed the course".into());
    }
    if !problems.is_empty() {
        problems.push(format!("stderr of import:\n{}", run.stderr));
    }
    problems
}

/// Runs one case; returns what went wrong (empty: it passed).
fn run_case(case: &Case, base: &Path) -> Vec<String> {
    if case.is_gift() {
        return run_gift_case(case, base);
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("course");
    copy_dir(&base.join("course"), &root);
    let before = snapshot(&root.join("public"));
    assert!(before.contains_key("index.html"));
    case.apply(&root);
    let root_arg = root.to_str().unwrap();

    let mut problems = Vec::new();
    let build = run_in(tmp.path(), &["build", "--root", root_arg]);
    problems.extend(
        mismatches(&case.expected, &build)
            .into_iter()
            .map(|p| format!("build: {p}")),
    );
    if !build.stderr.contains("nothing was written") {
        problems.push("build: the summary does not say nothing was written".into());
    }
    if snapshot(&root.join("public")) != before {
        problems.push("build: the previous output folder changed".into());
    }
    let leftovers: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("lectern-tmp"))
        .collect();
    if !leftovers.is_empty() {
        problems.push(format!("build: staging folders left behind: {leftovers:?}"));
    }
    if !case.build_only {
        let check = run_in(tmp.path(), &["check", "--root", root_arg]);
        problems.extend(
            mismatches(&case.expected, &check)
                .into_iter()
                .map(|p| format!("check: {p}")),
        );
    }
    if !problems.is_empty() {
        problems.push(format!("stderr of build:\n{}", build.stderr));
    }
    problems
}

/// Runs `f` over `items` on two threads (the machines this runs on have two
/// cores; every case spawns lectern twice).
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, R)>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(item) = items.get(i) else { break };
                let r = f(item);
                results.lock().unwrap().push((i, r));
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Ensure the corpus is what the issue asks for: at least 60 cases, each
/// expecting at least one diagnostic, located at a line unless the case says
/// the problem concerns a whole file; and every area of input covered
/// (course.yaml, front matter, links and anchors, banks, exams, GIFT).
#[test]
fn the_corpus_is_complete_and_well_formed() {
    let cases = cases();
    assert!(cases.len() >= 60, "only {} cases", cases.len());
    for case in &cases {
        assert!(
            !case.expected.is_empty(),
            "{}: expected.txt names no diagnostic",
            case.name
        );
        for e in &case.expected {
            let has_line = e
                .location
                .split(':')
                .nth(1)
                .is_some_and(|l| l.parse::<usize>().is_ok_and(|n| n > 0));
            // A refused GIFT import ends with a line about the whole file,
            // after the diagnostics of each question it left out.
            let import_summary = case.is_gift()
                && e.texts
                    .iter()
                    .any(|t| t.contains("no question could be imported"))
                && case.expected.len() > 1;
            assert!(
                has_line || case.whole_file || import_summary,
                "{}: {} has no line (mark whole-file problems with @whole-file)",
                case.name,
                e.location
            );
            assert!(
                !e.texts.is_empty(),
                "{}: say what the diagnostic at {} must read",
                case.name,
                e.location
            );
        }
    }
    let mut areas: BTreeMap<&str, usize> = BTreeMap::new();
    for case in &cases {
        *areas
            .entry(case.name.split('-').next().unwrap())
            .or_default() += 1;
    }
    for area in ["config", "fm", "link", "quiz", "exam", "gift"] {
        assert!(
            areas.get(area).copied().unwrap_or(0) >= 5,
            "few `{area}` cases: {areas:?}"
        );
    }
}

/// Ensure every broken input of the corpus gets its diagnostic — at its file
/// and line, with the expected text — exit code 1, no panic, and the site
/// built before untouched; by `build` and by `check` alike.
#[test]
fn every_broken_input_is_reported_at_its_file_and_line() {
    let cases = cases();
    let base = build_base();
    let results = in_parallel(&cases, |case| run_case(case, base.path()));
    let failures: Vec<String> = cases
        .iter()
        .zip(results)
        .filter(|(_, problems)| !problems.is_empty())
        .map(|(case, problems)| format!("── {} ──\n{}", case.name, problems.join("\n")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Ensure one run of `lectern check` on a course holding every content and
/// quiz mistake of the corpus at once lists every one of them, each at its
/// file and line — and nothing else.
#[test]
fn check_lists_every_mistake_of_the_corpus_in_one_run() {
    let cases: Vec<Case> = cases()
        .into_iter()
        .filter(|c| c.combinable() && !c.build_only && !c.is_gift())
        .collect();
    assert!(cases.len() >= 60, "only {} combinable cases", cases.len());
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("course");
    copy_dir(&corpus_dir().join("_base"), &root);
    for case in &cases {
        case.apply(&root);
    }
    let check = run_in(tmp.path(), &["check", "--root", root.to_str().unwrap()]);
    let expected: Vec<Expected> = cases.iter().flat_map(|c| c.expected.clone()).collect();
    let problems = mismatches(&expected, &check);
    assert!(
        problems.is_empty(),
        "`lectern check` on all {} cases at once:\n{}\n\nstderr:\n{}",
        cases.len(),
        problems.join("\n"),
        check.stderr
    );
}
