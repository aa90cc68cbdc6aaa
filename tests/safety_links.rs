//! Nothing from outside the course reaches the site (issue 12, findings 1
//! and 2): symbolic links in content/, quizzes/ and themes/ that lead out of
//! the course, a link to /proc/self/environ, named pipes, and a `theme:`
//! that is a path. Each is skipped with a warning naming it (or refused, for
//! `theme:`), the build neither hangs nor reads them, no byte of what they
//! lead to is anywhere in the built site, and `lectern serve` answers 404 at
//! the addresses they would have had.
//!
//! The outside files hold a marker unique to the run, so "no byte of them"
//! is checked by looking for the marker in every file of the site. The
//! marker is also put in the build's environment, which is what
//! /proc/self/environ would publish.
#![cfg(unix)]

mod engine_support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use engine_support::*;

/// Long enough for a debug build on a busy two-core machine; a build that
/// reads a named pipe would wait forever instead.
const LIMIT: Duration = Duration::from_secs(120);

fn marker() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("OUTSIDE-SECRET-{}-{nanos}", std::process::id())
}

/// Files outside any course: a secret file, a folder shaped like a chapter,
/// a question bank and an exam, each holding `marker`.
fn outside_files(marker: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: String| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("secret.txt", format!("password: {marker}\n"));
    write("secret.md", format!("---\ntitle: 秘密\n---\n\n{marker}\n"));
    write(
        "chapter/index.md",
        format!("---\ntitle: 外面的章节\n---\n\n{marker}\n"),
    );
    write(
        "chapter/page.md",
        format!("---\ntitle: 外面的一节\n---\n\n{marker}\n"),
    );
    write("chapter/data.txt", format!("{marker}\n"));
    write(
        "bank.yaml",
        format!("chapter: base\ntitle: {marker}\nquestions:\n  - id: leak-1\n    type: true_false\n    prompt: {marker}\n    answer: true\n"),
    );
    write(
        "exam.yaml",
        format!("title: {marker}\nsections:\n  - title: x\n    draw:\n      - chapter: base\n        count: 1\n"),
    );
    write("theme/static/style.css", format!("/* {marker} */\n"));
    dir
}

/// A small valid course, written at `root`: a chapter with a page, a page
/// reached through a link that stays inside the course, and a bank.
fn write_course(root: &Path) {
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("course.yaml", "title: 链接课程\noutput: public\n");
    write(
        "content/01-base/index.md",
        "---\ntitle: 项目一 基础\n---\n\n正文在这里。\n",
    );
    write(
        "content/01-base/01-page.md",
        "---\ntitle: 第一节\n---\n\n本节正文。\n",
    );
    write(
        "notes/inside.md",
        "---\ntitle: 课程内的链接\n---\n\n经由课程内部链接的页面。\n",
    );
    write(
        "quizzes/base.yaml",
        "chapter: base\ntitle: 基础题库\nquestions:\n  - id: base-1\n    type: true_false\n    prompt: 判断\n    answer: true\n",
    );
}

/// Every way in: what each link is called in the course, and the address it
/// would have had in the site.
struct Links {
    /// (link relative to the course, would-be URL)
    leaks: Vec<(&'static str, &'static str)>,
    fifo: bool,
}

/// Adds to the course at `root` links out of it (to `outside`), a link to
/// /proc/self/environ, a named pipe and a link to it, a link to /etc, and
/// one link that stays inside.
fn add_links(root: &Path, outside: &Path) -> Links {
    let link = |target: PathBuf, rel: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        symlink(target, p).unwrap();
    };
    link(outside.join("secret.txt"), "content/01-base/secret.txt");
    link(outside.join("secret.md"), "content/01-base/secret.md");
    link(outside.join("chapter"), "content/02-outside");
    link(
        PathBuf::from("/proc/self/environ"),
        "content/01-base/env.txt",
    );
    link(PathBuf::from("/etc"), "content/03-etc");
    link(outside.join("bank.yaml"), "quizzes/outside.yaml");
    link(outside.join("exam.yaml"), "quizzes/exams/leak.yaml");
    link(outside.join("secret.txt"), "themes/default/static/leak.txt");
    link(outside.join("theme/static"), "themes/default/static/more");
    link(
        PathBuf::from("../../notes/inside.md"),
        "content/01-base/02-inside.md",
    );
    let fifo = Command::new("mkfifo")
        .arg(root.join("content/01-base/pipe.md"))
        .status()
        .is_ok_and(|s| s.success());
    if fifo {
        link(PathBuf::from("pipe.md"), "content/01-base/to-pipe.txt");
    }
    Links {
        leaks: vec![
            ("content/01-base/secret.txt", "base/secret.txt"),
            ("content/01-base/secret.md", "base/secret.html"),
            ("content/02-outside", "outside/index.html"),
            ("content/01-base/env.txt", "base/env.txt"),
            ("content/03-etc", "etc/passwd"),
            ("quizzes/outside.yaml", "quizzes/outside.html"),
            ("quizzes/exams/leak.yaml", "exams/leak.html"),
            ("themes/default/static/leak.txt", "static/leak.txt"),
            ("themes/default/static/more", "static/more/style.css"),
        ],
        fifo,
    }
}

/// `lectern ARGS` with `marker` in its environment, killed (and the test
/// failed) if it runs past `LIMIT`.
fn run_within(args: &[&str], marker: &str) -> Run {
    let mut child = Command::new(lectern_bin())
        .args(args)
        .env("NO_COLOR", "1")
        .env("LECTERN_TEST_SECRET", marker)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lectern");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`lectern {}` ran for more than {LIMIT:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Fails if any file of `dir` holds `marker`.
fn assert_nowhere_in(dir: &Path, marker: &str) {
    let files = snapshot(dir);
    assert!(!files.is_empty(), "{} is empty", dir.display());
    for (rel, bytes) in &files {
        assert!(
            !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
            "{rel} holds bytes of a file outside the course"
        );
    }
}

/// Ensure links out of the course, a link to /proc/self/environ, a named
/// pipe and a link to /etc are each skipped with a warning naming the link
/// and where it leads, the build finishes, nothing of them is published, and
/// a link that stays inside the course still builds.
#[test]
fn links_out_of_the_course_and_special_files_are_skipped() {
    let secret = marker();
    let outside = outside_files(&secret);
    let c = Course::nothing();
    write_course(&c.root);
    let links = add_links(&c.root, outside.path());

    let run = run_within(&["build", "--root", c.root.to_str().unwrap()], &secret);
    run.assert_success();
    assert!(
        !run.stderr.contains(&secret) && !run.stdout.contains(&secret),
        "what is skipped is not printed either:\n{}",
        run.stderr
    );
    let real_outside = outside.path().canonicalize().unwrap();
    for (link, _) in &links.leaks {
        let d = run.diagnostic_at(link);
        assert_eq!(d.severity, "warning", "{}", d.text);
        assert!(d.message.contains(link), "names the link: {}", d.text);
        assert!(d.message.contains("leads outside the course"), "{}", d.text);
        let hint = d.hint.clone().unwrap_or_default();
        assert!(hint.contains("copy the file into the course"), "{}", d.text);
    }
    // Each warning names where the link leads.
    let d = run.diagnostic_at("content/01-base/secret.txt");
    assert!(
        d.message
            .contains(&real_outside.join("secret.txt").display().to_string()),
        "{}",
        d.text
    );
    assert!(run
        .diagnostic_at("content/01-base/env.txt")
        .message
        .contains("/proc/"));
    assert!(run.diagnostic_at("content/03-etc").message.contains("/etc"));
    if links.fifo {
        for pipe in ["content/01-base/pipe.md", "content/01-base/to-pipe.txt"] {
            let d = run.diagnostic_at(pipe);
            assert_eq!(d.severity, "warning", "{}", d.text);
            assert!(d.message.contains("named pipe"), "{}", d.text);
        }
    }

    let site = Site { dir: c.out() };
    assert_nowhere_in(&site.dir, &secret);
    for (_, url) in &links.leaks {
        assert!(!site.has(url), "{url} was built");
    }
    assert!(!site.files().iter().any(|f| f.starts_with("outside/")));
    assert!(!site.files().iter().any(|f| f.starts_with("etc/")));
    assert!(site.has("base/page.html"));
    assert!(site
        .page("base/inside.html")
        .contains("经由课程内部链接的页面"));
    assert!(site.has("quizzes/base.html"));
}

/// Ensure `lectern serve` on the same course serves none of it: every
/// would-be address of a skipped link answers 404, and no answer holds the
/// marker.
#[test]
fn the_preview_serves_nothing_from_outside() {
    let secret = marker();
    let outside = outside_files(&secret);
    let source = tempfile::tempdir().unwrap();
    write_course(source.path());
    let mut leaks = Vec::new();
    let server = ServedCourse::start(
        source.path(),
        |root| leaks = add_links(root, outside.path()).leaks,
        Stdio::null(),
        LIMIT,
    );
    let get = |url: &str| -> (u16, Vec<u8>) {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream.set_read_timeout(Some(LIMIT)).unwrap();
        write!(
            stream,
            "GET /{url} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            server.port
        )
        .unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        let status = String::from_utf8_lossy(&bytes)
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap();
        (status, bytes)
    };
    assert_eq!(get("base/page.html").0, 200);
    for (link, url) in &leaks {
        let (status, body) = get(url);
        assert_eq!(status, 404, "{link} → /{url}");
        assert!(
            !String::from_utf8_lossy(&body).contains(&secret),
            "/{url} served a file outside the course"
        );
    }
    assert_nowhere_in(&server.root.join("public"), &secret);
}

/// Ensure `theme:` that is a path out of the course (relative or absolute)
/// is an error at its line in course.yaml, and nothing of that folder is
/// written anywhere.
#[test]
fn a_theme_path_is_refused_at_its_line() {
    let secret = marker();
    let outside = outside_files(&secret);
    let c = Course::nothing();
    write_course(&c.root);
    // `../x` from the course: a folder beside it, as a user would write it.
    copy_dir(&outside.path().join("theme"), &c.parent().join("x"));
    let absolute = outside.path().join("theme").display().to_string();
    for theme in ["../x", absolute.as_str(), "default/../../x"] {
        c.write(
            "course.yaml",
            format!("title: 链接课程\noutput: public\ntheme: {theme}\n"),
        );
        let run = run_within(&["build", "--root", c.root.to_str().unwrap()], &secret);
        run.assert_course_errors();
        let d = run.diagnostic_at("course.yaml:3");
        assert!(d.message.contains("is not a theme name"), "{}", d.text);
        assert!(d.hint.unwrap_or_default().contains("themes/"), "{}", d.text);
        assert!(!c.out().exists(), "nothing is written for {theme}");
    }
}

/// Ensure a course.yaml that is a link to /proc/self/environ is refused
/// without being read: the build's environment is not printed.
#[test]
fn a_course_yaml_linked_out_of_the_course_is_not_read() {
    let secret = marker();
    let c = Course::nothing();
    write_course(&c.root);
    std::fs::remove_file(c.path("course.yaml")).unwrap();
    symlink("/proc/self/environ", c.path("course.yaml")).unwrap();
    let run = run_within(&["build", "--root", c.root.to_str().unwrap()], &secret);
    run.assert_course_errors();
    let d = run.diagnostic_at("course.yaml");
    assert_eq!(d.severity, "error", "{}", d.text);
    assert!(d.message.contains("leads outside the course"), "{}", d.text);
    assert!(!run.stderr.contains(&secret), "{}", run.stderr);
}
