//! `lectern new chapter|page|case|qa|quiz NAME` on a course made by
//! `lectern init`: each file gets front matter and the next number of its
//! folder, the course still builds with it, and nothing is ever overwritten.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn lectern(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .output()
        .unwrap()
}

/// A fresh course from `lectern init` (one chapter, 01-getting-started).
fn course(language: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("course");
    let out = lectern(&["init", root.to_str().unwrap(), "--language", language]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (tmp, root)
}

fn new(root: &Path, args: &[&str]) -> Output {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--root", root.to_str().unwrap()]);
    lectern(&all)
}

fn created(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .trim_start_matches("created ")
        .to_string()
}

fn error(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Each kind lands where the course format puts it, numbered after the
/// last file of its folder, and the course builds with all of them.
#[test]
fn every_kind_is_created_numbered_and_builds() {
    let (_tmp, root) = course("zh-CN");
    assert_eq!(
        created(&new(
            &root,
            &[
                "chapter",
                "handling-complaints",
                "--title",
                "项目二 处理投诉"
            ]
        )),
        "content/02-handling-complaints/index.md"
    );
    assert_eq!(
        created(&new(&root, &["page", "handling-complaints/six-steps"])),
        "content/02-handling-complaints/01-six-steps.md"
    );
    assert_eq!(
        created(&new(
            &root,
            &["case", "cake-shop", "--chapter", "handling-complaints"]
        )),
        "content/02-handling-complaints/02-cake-shop.md"
    );
    assert_eq!(
        created(&new(&root, &["qa", "02-handling-complaints/review"])),
        "content/02-handling-complaints/03-review.md"
    );
    assert_eq!(
        created(&new(&root, &["quiz", "handling-complaints"])),
        "quizzes/02-handling-complaints.yaml"
    );
    // The init course's chapter has 01-basics.md: the next section is 02.
    assert_eq!(
        created(&new(&root, &["page", "getting-started/more"])),
        "content/01-getting-started/02-more.md"
    );
    // A name with its own number keeps it.
    assert_eq!(
        created(&new(&root, &["chapter", "05-records"])),
        "content/05-records/index.md"
    );

    let index =
        std::fs::read_to_string(root.join("content/02-handling-complaints/index.md")).unwrap();
    assert!(
        index.starts_with("---\ntitle: \"项目二 处理投诉\"\nhours: 2\n"),
        "{index}"
    );
    let case = std::fs::read_to_string(root.join("content/02-handling-complaints/02-cake-shop.md"))
        .unwrap();
    assert!(
        case.contains("\nkind: case\n") && case.contains("questions:\n  - prompt:"),
        "{case}"
    );
    let quiz = std::fs::read_to_string(root.join("quizzes/02-handling-complaints.yaml")).unwrap();
    assert!(
        quiz.contains("chapter: handling-complaints\ntitle: \"项目二 处理投诉 练习题\"\n"),
        "{quiz}"
    );

    let build = lectern(&["check", "--root", root.to_str().unwrap()]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(String::from_utf8_lossy(&build.stdout).starts_with("checked 3 chapters"));
}

/// English courses get English placeholders.
#[test]
fn english_courses_get_english_text() {
    let (_tmp, root) = course("en");
    let page = created(&new(&root, &["page", "first-steps"]));
    let text = std::fs::read_to_string(root.join(page)).unwrap();
    assert!(
        text.starts_with("---\ntitle: \"First steps\"\nsummary: One line shown in lists.\n"),
        "{text}"
    );
}

/// Nothing is overwritten: not the same file, not another file that would
/// build to the same URL, not a second bank for a chapter.
#[test]
fn nothing_is_overwritten() {
    let (_tmp, root) = course("zh-CN");
    let basics = root.join("content/01-getting-started/01-basics.md");
    let before = std::fs::read_to_string(&basics).unwrap();
    let e = error(&new(&root, &["page", "getting-started/basics"]));
    assert!(
        e.contains("error: a page named `basics` already exists; refusing to overwrite it")
            && e.contains("at content/01-getting-started/01-basics.md"),
        "{e}"
    );
    let e = error(&new(&root, &["page", "getting-started/07-basics"]));
    assert!(e.contains("already exists"), "{e}");
    assert_eq!(std::fs::read_to_string(&basics).unwrap(), before);

    let e = error(&new(&root, &["chapter", "getting-started"]));
    assert!(
        e.contains("a chapter named `getting-started` already exists"),
        "{e}"
    );
    let e = error(&new(&root, &["quiz", "getting-started"]));
    assert!(
        e.contains("chapter `getting-started` already has a question bank"),
        "{e}"
    );
}

/// Mistakes get a message that says what to do.
#[test]
fn mistakes_are_explained() {
    let (_tmp, root) = course("zh-CN");
    let e = error(&new(&root, &["page", "getting-startd/x"]));
    assert!(
        e.contains("chapter `getting-startd` does not exist")
            && e.contains("did you mean `getting-started`?"),
        "{e}"
    );
    let e = error(&new(&root, &["chapter", "a b"]));
    assert!(
        e.contains("cannot use this name: `a b` contains ` `"),
        "{e}"
    );
    let e = error(&new(&root, &["page", "../escape"]));
    assert!(
        e.contains("does not exist") || e.contains("cannot use this name"),
        "{e}"
    );
    created(&new(&root, &["chapter", "second"]));
    let e = error(&new(&root, &["page", "orphan"]));
    assert!(
        e.contains("which chapter? the course has several")
            && e.contains("getting-started, second"),
        "{e}"
    );
    let tmp = tempfile::tempdir().unwrap();
    let e = error(&new(tmp.path(), &["chapter", "x"]));
    assert!(e.contains("course.yaml"), "{e}");
}
