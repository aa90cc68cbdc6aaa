//! Nothing lectern did not write is ever deleted or overwritten: output
//! folders are recognised by lectern's manifest, `export -o` never replaces
//! a course file, and interrupted builds leave no staging folder behind.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod engine_support;
use engine_support::{fixture_copy, lectern_bin, run_in, snapshot};

fn course() -> (tempfile::TempDir, std::path::PathBuf) {
    fixture_copy("interop")
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// `--out` at somebody's folder (an index.html beside a thesis, sources and a
/// git checkout) is refused at the flag, and every file survives.
#[test]
fn a_folder_lectern_did_not_build_is_refused() {
    let (tmp, root) = course();
    let theirs = tmp.path().join("thesis");
    write(&theirs.join("index.html"), "<h1>my page</h1>");
    write(&theirs.join("thesis.docx"), "four years");
    write(&theirs.join("src/main.c"), "int main;");
    write(&theirs.join(".git/HEAD"), "ref: refs/heads/main");
    let before = snapshot(&theirs);
    let out = theirs.to_str().unwrap();
    let run = run_in(&root, &["build", "--out", out]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("it holds files lectern did not write"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("at --out {out}")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(snapshot(&theirs), before, "every file is as it was");
    // --force builds there, keeps what it did not write, and overwrites none of it.
    let run = run_in(&root, &["build", "--out", out, "--force"]);
    assert_eq!(run.code, Some(1), "index.html is theirs: {}", run.stderr);
    assert!(
        run.stderr.contains("not even with --force"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&theirs), before);
    fs::remove_file(theirs.join("index.html")).unwrap();
    run_in(&root, &["build", "--out", out, "--force"]).assert_success();
    for f in ["thesis.docx", "src/main.c", ".git/HEAD"] {
        assert_eq!(fs::read(theirs.join(f)).unwrap(), before[f], "{f} kept");
    }
    assert!(theirs.join("index.html").is_file(), "the site is built");
}

/// lectern replaces its own output; a file dropped into it later is never
/// deleted: refused and listed, or kept with --force.
#[test]
fn its_own_output_is_replaced_but_not_what_was_added() {
    let (_tmp, root) = course();
    run_in(&root, &["build"]).assert_success();
    let public = root.join("public");
    let first = snapshot(&public);
    assert!(first.contains_key(".lectern-manifest"));
    run_in(&root, &["build"]).assert_success();
    assert_eq!(
        snapshot(&public),
        first,
        "the same input gives the same bytes, manifest included"
    );

    write(&public.join("CNAME"), "course.example.org");
    let run = run_in(&root, &["build"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("files lectern did not write are in it (CNAME)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("at course.yaml"), "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(public.join("CNAME")).unwrap(),
        "course.example.org"
    );
    run_in(&root, &["build", "--force"]).assert_success();
    assert_eq!(
        fs::read_to_string(public.join("CNAME")).unwrap(),
        "course.example.org"
    );
    let manifest = fs::read_to_string(public.join(".lectern-manifest")).unwrap();
    assert!(
        !manifest.lines().any(|l| l == "CNAME"),
        "a kept file stays the user's"
    );
}

/// A site built before the manifest (its theme files are there) is still
/// replaced; a stray file of the user's in it is not deleted.
#[test]
fn an_output_from_before_the_manifest_is_recognised() {
    let (_tmp, root) = course();
    run_in(&root, &["build"]).assert_success();
    let public = root.join("public");
    fs::remove_file(public.join(".lectern-manifest")).unwrap();
    run_in(&root, &["build"]).assert_success();
    fs::remove_file(public.join(".lectern-manifest")).unwrap();
    write(&public.join("notes.txt"), "mine");
    let run = run_in(&root, &["build"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("notes.txt"), "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(public.join("notes.txt")).unwrap(),
        "mine"
    );
}

/// `export -o` never replaces a course file, even with --force, and no other
/// file without it.
#[test]
fn export_never_overwrites_the_course() {
    let (_tmp, root) = course();
    let before = snapshot(&root);
    let bank = fs::read_dir(root.join("quizzes"))
        .unwrap()
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .unwrap()
        .path();
    let bank = bank
        .strip_prefix(&root)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    for target in [
        "course.yaml",
        "quizzes/../course.yaml",
        bank.as_str(),
        "content/new.gift",
    ] {
        for force in [false, true] {
            let mut args = vec!["export", "-f", "gift", "-o", target];
            if force {
                args.push("--force");
            }
            let run = run_in(&root, &args);
            assert_eq!(run.code, Some(1), "{target}: {}", run.stderr);
            assert!(
                run.stderr
                    .contains("refusing to export into the course's own files"),
                "{}",
                run.stderr
            );
        }
    }
    assert_eq!(snapshot(&root), before, "the course is unchanged");

    write(&root.join("../old.gift"), "keep me");
    let run = run_in(&root, &["export", "-f", "gift", "-o", "../old.gift"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("refusing to overwrite it"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fs::read_to_string(root.join("../old.gift")).unwrap(),
        "keep me"
    );
    run_in(
        &root,
        &["export", "-f", "gift", "-o", "../old.gift", "--force"],
    )
    .assert_success();
    assert_ne!(
        fs::read_to_string(root.join("../old.gift")).unwrap(),
        "keep me"
    );
}

fn staging_folders(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".lectern-tmp-"))
        .collect()
}

/// A course that takes a moment to build, so a signal lands mid-build.
fn slow_course(root: &Path) {
    let mut body = String::from("# 慢\n\n");
    for i in 0..400 {
        body.push_str(&format!("## 第{i}节\n\n客户服务的内容，第{i}段。\n\n```rust\nfn f{i}() {{ let x = {i}; }}\n```\n\n"));
    }
    for p in 0..60 {
        write(
            &root.join(format!("content/09-slow/{p:02}-page-{p}.md")),
            &body,
        );
    }
    write(&root.join("content/09-slow/index.md"), "# 慢章\n");
}

/// Starts a build and sends `signal` once its staging folder exists.
fn interrupted_build(root: &Path, signal: &str) -> std::process::ExitStatus {
    let mut child = Command::new(lectern_bin())
        .arg("build")
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while staging_folders(root).is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no staging folder appeared"
        );
        if child.try_wait().unwrap().is_some() {
            panic!("the build finished before it could be interrupted");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    child.wait().unwrap()
}

/// SIGKILL leaves a staging folder that the next build removes; SIGTERM and
/// SIGINT clean up before exiting, with the site before untouched.
#[test]
fn interrupted_builds_leave_no_staging_folder() {
    let (_tmp, root) = course();
    slow_course(&root);
    let status = interrupted_build(&root, "-KILL");
    assert!(!status.success());
    assert_eq!(staging_folders(&root).len(), 1, "SIGKILL cannot clean up");
    run_in(&root, &["build"]).assert_success();
    assert!(
        staging_folders(&root).is_empty(),
        "the next build removed it"
    );

    let site = snapshot(&root.join("public"));
    for signal in ["-TERM", "-INT"] {
        let status = interrupted_build(&root, signal);
        assert_eq!(status.code(), Some(130), "{signal}");
        assert!(staging_folders(&root).is_empty(), "{signal} cleaned up");
        assert_eq!(
            snapshot(&root.join("public")),
            site,
            "{signal}: the site is untouched"
        );
    }
}

/// A NUL character, typed into a page body or escaped as `"\0"` in front
/// matter, reaches no output file: pages show U+FFFD instead.
#[test]
fn no_nul_reaches_the_site() {
    let (_tmp, root) = course();
    write(
        &root.join("content/01-basics/09-nul.md"),
        "---\ntitle: \"空\\0字符\"\n---\n\n正文里的\0字符\n",
    );
    run_in(&root, &["build"]).assert_success();
    let site = snapshot(&root.join("public"));
    // The offline site's app icons are PNG images, binary by nature.
    for (path, bytes) in site.iter().filter(|(p, _)| !p.ends_with(".png")) {
        assert!(!bytes.contains(&0), "{path} holds a NUL byte");
    }
    let page = String::from_utf8(site["basics/nul.html"].clone()).unwrap();
    assert!(
        page.contains("空\u{FFFD}字符") && page.contains("正文里的\u{FFFD}字符"),
        "{page}"
    );
}
