//! The command line as a user meets it: help and version, `init`, `check`,
//! the summary line, `--out`, and usage errors.

mod engine_support;

use engine_support::*;

/// Ensure `lectern --help` names the three commands and exits 0.
#[test]
fn help_lists_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["--help"]);
    run.assert_success();
    for command in ["build", "check", "init"] {
        assert!(
            run.stdout
                .lines()
                .any(|l| l.trim_start().starts_with(command)),
            "`{command}` is not listed:\n{}",
            run.stdout
        );
    }
}

/// Ensure `lectern build --help` documents its options.
#[test]
fn build_help_lists_its_options() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["build", "--help"]);
    run.assert_success();
    for option in ["--root", "--out", "--drafts"] {
        assert!(
            run.stdout.contains(option),
            "{option} missing:\n{}",
            run.stdout
        );
    }
}

/// Ensure `lectern --version` prints the crate's version.
#[test]
fn version_prints_the_version() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["--version"]);
    run.assert_success();
    assert_eq!(
        run.stdout.trim(),
        format!("lectern {}", env!("CARGO_PKG_VERSION"))
    );
}

/// Ensure a mistyped command is a usage error (exit code 2), not a course error.
#[test]
fn unknown_command_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["biuld"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("biuld"), "{}", run.stderr);
}

/// Ensure running `build` outside a course explains what is missing and how
/// to get started, with exit code 1.
#[test]
fn build_outside_a_course_explains_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["build"]);
    run.assert_course_errors();
    let d = run.diagnostic_at("course.yaml");
    assert!(
        d.message.contains("cannot read the course configuration"),
        "{}",
        d.text
    );
    assert!(
        d.hint.as_deref().unwrap().contains("lectern init"),
        "{}",
        d.text
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

/// Ensure `lectern init DIR` creates a course that builds at once, whose
/// pages (a section, a case, a Q&A page) are all there.
#[test]
fn init_creates_a_course_that_builds() {
    let course = Course::nothing();
    let root = course.root.to_str().unwrap();
    let run = course.run(&["init", root]);
    run.assert_success();
    assert!(
        run.stdout.contains("lectern build --root"),
        "{}",
        run.stdout
    );
    let site = course.build_ok(&[]);
    for url in [
        "index.html",
        "getting-started/index.html",
        "getting-started/basics.html",
        "getting-started/case-example.html",
        "getting-started/review.html",
    ] {
        assert!(site.has(url), "{url} missing from {:?}", site.files());
    }
    assert!(site.page("index.html").contains("lang=\"zh-CN\""));
    course.check(&[]).assert_success();
    // The build cache: kept in .lectern/cache/, ignored by git, never in the site.
    let ignore = std::fs::read_to_string(course.path(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "/.lectern/"), "{ignore}");
    assert!(course.path(".lectern/cache/VERSION").is_file());
    assert!(
        !site.files().iter().any(|f| f.contains(".lectern/")),
        "{:?}",
        site.files()
    );
}

/// Ensure `lectern init --language en --title …` makes an English course
/// with that title.
#[test]
fn init_in_english_with_a_title() {
    let course = Course::nothing();
    let root = course.root.to_str().unwrap();
    course
        .run(&[
            "init",
            root,
            "--language",
            "en",
            "--title",
            "Service: the basics",
        ])
        .assert_success();
    let site = course.build_ok(&[]);
    let home = site.page("index.html");
    assert!(home.contains("lang=\"en\""));
    assert!(
        text_of(&home).contains("Service: the basics"),
        "the title is quoted safely"
    );
    assert!(text_of(&home).contains("Start reading"));
}

/// Ensure `init` never overwrites an existing folder's files.
#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let course = Course::nothing();
    course.write("notes.txt", "mine");
    let root = course.root.to_str().unwrap();
    let run = course.run(&["init", root]);
    run.assert_course_errors();
    assert!(run.stderr.contains("not empty"), "{}", run.stderr);
    assert_eq!(
        snapshot(&course.root).into_keys().collect::<Vec<_>>(),
        ["notes.txt"]
    );
}

/// Ensure `lectern check` validates a good course, says so, and writes nothing:
/// the course folder is byte for byte what it was.
#[test]
fn check_writes_nothing() {
    let course = Course::fixture("links");
    let before = snapshot(course.parent());
    let run = course.check(&[]);
    run.assert_success();
    assert!(
        run.stdout.starts_with("checked 2 chapters, 6 pages"),
        "{}",
        run.stdout
    );
    assert_eq!(snapshot(course.parent()), before);
    assert!(!course.out().exists());
}

/// Ensure `lectern check` on a broken course reports the problem (exit code 1)
/// and still writes nothing.
#[test]
fn check_reports_problems_and_writes_nothing() {
    let course = Course::fixture("links");
    course.write(
        "content/01-guide/02-details.md",
        "---\ntitle: 细节\n---\n\n## 另一个标题\n",
    );
    let before = snapshot(course.parent());
    let run = course.check(&[]);
    run.assert_course_errors();
    let d = run.diagnostic_at("content/01-guide/01-start.md:8");
    assert!(
        d.message.contains("missing anchor `#客户的分类`"),
        "{}",
        d.text
    );
    assert_eq!(snapshot(course.parent()), before);
}

/// Ensure a build ends with a one-line summary: chapters, pages, time, where
/// the site went.
#[test]
fn build_prints_a_one_line_summary() {
    let course = Course::fixture("ordering");
    let run = course.build(&[]);
    run.assert_success();
    let line = run.stdout.trim();
    assert_eq!(line.lines().count(), 1, "{line}");
    // home + 6 chapter overviews + 8 sections
    assert!(line.starts_with("built 6 chapters, 15 pages"), "{line}");
    assert!(line.contains(" s "), "{line}");
    assert!(line.contains(course.out().to_str().unwrap()), "{line}");
}

/// Ensure `--out DIR` puts the site there and leaves the course's own
/// output folder alone; a relative DIR is relative to where lectern runs.
#[test]
fn out_overrides_the_output_folder() {
    let course = Course::fixture("links");
    let run = course.build(&["--out", "elsewhere/site"]);
    run.assert_success();
    assert!(course
        .parent()
        .join("elsewhere/site/guide/start.html")
        .is_file());
    assert!(!course.out().exists());
}

/// Ensure a second build replaces the site: a page removed from the course
/// disappears from the output, and no staging folder is left behind.
#[test]
fn rebuild_replaces_the_previous_site() {
    let course = Course::fixture("links");
    course.build_ok(&[]);
    course.write(
        "content/01-guide/03-extra.md",
        "---\ntitle: 额外\n---\n\n正文。\n",
    );
    let site = course.build_ok(&[]);
    assert!(site.has("guide/extra.html"));
    std::fs::remove_file(course.path("content/01-guide/03-extra.md")).unwrap();
    let site = course.build_ok(&[]);
    assert!(!site.has("guide/extra.html"));
    let names: Vec<String> = std::fs::read_dir(&course.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("lectern-tmp")),
        "{names:?}"
    );
}

/// Ensure lectern refuses to build into the course's content/ folder (the
/// output folder is replaced wholesale).
#[test]
fn refuses_to_build_over_the_course() {
    let course = Course::fixture("links");
    let before = snapshot(&course.root);
    let content = course.path("content");
    let run = course.build(&["--out", content.to_str().unwrap()]);
    run.assert_course_errors();
    assert!(
        run.stderr.contains("refusing to build into"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&course.root), before);
}
