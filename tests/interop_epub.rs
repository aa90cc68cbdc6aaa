//! `lectern export -f epub`: the shipped course, tests/fixtures/nested
//! (sections three levels deep) and tests/fixtures/epub (code, an image,
//! raw HTML, a link the book cannot hold, a page whose raw HTML is not
//! well-formed, a case and a Q&A page) as EPUB 3 books.
//!
//! epubcheck (the Debian package; scripts/test.sh installs it) must find no
//! error in any of them. Without it the check is skipped, saying so, except
//! in CI, where a missing epubcheck is a failure.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use lectern::interop;

fn here() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    here().join("tests/fixtures").join(name)
}

fn book(root: &Path) -> interop::Exported {
    let (course, _) = match interop::load_course(root) {
        Ok(c) => c,
        Err(d) => panic!("{}", lectern::diagnostic::render_all(&d, root)),
    };
    interop::epub::export(&course).unwrap()
}

/// Every file of the book: name, compression, bytes; in the zip's order.
fn entries(bytes: &[u8]) -> Vec<(String, zip::CompressionMethod, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), f.compression(), data)
        })
        .collect()
}

fn text_of(entries: &[(String, zip::CompressionMethod, Vec<u8>)], name: &str) -> String {
    let (_, _, data) = entries
        .iter()
        .find(|(n, _, _)| n == name)
        .unwrap_or_else(|| panic!("no {name} in the book"));
    String::from_utf8(data.clone()).unwrap()
}

/// The OCF container: `mimetype` first, stored, holding exactly the media
/// type; the rest in sorted order; the same bytes on every export.
#[test]
fn the_container_is_what_readers_expect_and_deterministic() {
    let a = book(&fixture("epub"));
    let b = book(&fixture("epub"));
    let bytes = a.bytes.as_deref().unwrap();
    assert_eq!(
        bytes,
        b.bytes.as_deref().unwrap(),
        "same course, same bytes"
    );
    // A zip's local header names the first file at byte 30.
    assert_eq!(&bytes[30..38], b"mimetype");
    let files = entries(bytes);
    assert_eq!(files[0].0, "mimetype");
    assert_eq!(files[0].1, zip::CompressionMethod::Stored);
    assert_eq!(files[0].2, b"application/epub+zip");
    assert_eq!(files[1].0, "META-INF/container.xml");
    assert_eq!(files[2].0, "OEBPS/content.opf");
    let rest: Vec<&str> = files[3..].iter().map(|(n, _, _)| n.as_str()).collect();
    let mut sorted = rest.clone();
    sorted.sort();
    assert_eq!(rest, sorted);
    let opf = text_of(&files, "OEBPS/content.opf");
    assert!(opf.contains("<dc:title>电子书测试</dc:title>"), "{opf}");
    assert!(opf.contains("<dc:language>zh-CN</dc:language>"), "{opf}");
    assert!(opf.contains("urn:uuid:"), "{opf}");
    // The reading order: home, the chapter, its pages depth first, the
    // second chapter, the appendix.
    let spine: Vec<&str> = opf
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<itemref idref=\""))
        .map(|l| l.split('"').next().unwrap())
        .collect();
    let href_of = |id: &str| {
        let line = opf
            .lines()
            .find(|l| l.contains(&format!("id=\"{id}\"")))
            .unwrap();
        line.split("href=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string()
    };
    let order: Vec<String> = spine.iter().map(|id| href_of(id)).collect();
    assert_eq!(
        order,
        [
            "index.xhtml",
            "tools/index.xhtml",
            "tools/code.xhtml",
            "tools/deep/index.xhtml",
            "tools/deep/leaf.xhtml",
            "tools/deep/deeper/index.xhtml",
            "tools/deep/deeper/bottom.xhtml",
            "tools/broken.xhtml",
            "cases/index.xhtml",
            "cases/case-shop.xhtml",
            "cases/review.xhtml",
            "answers.xhtml",
        ]
    );
}

/// The navigation nests as deep as the sections; code is highlighted with
/// its stylesheet; the image is in the book; Q&A answers and case scoring
/// points are in the appendix, linked both ways; what the book cannot hold
/// is a warning naming the page.
#[test]
fn the_book_holds_the_course() {
    let exported = book(&fixture("epub"));
    let files = entries(exported.bytes.as_deref().unwrap());
    let nav = text_of(&files, "OEBPS/nav.xhtml");
    let depth_of = |title: &str| {
        let at = nav
            .find(title)
            .unwrap_or_else(|| panic!("{title} in {nav}"));
        let before = &nav[..at];
        before.matches("<ol>").count() - before.matches("</ol>").count()
    };
    assert_eq!(depth_of(">工具<"), 1);
    assert_eq!(depth_of(">深入<"), 2);
    assert_eq!(depth_of(">更深<"), 3);
    assert_eq!(depth_of(">底部<"), 4);
    assert!(nav.contains("epub:type=\"toc\""));

    let code = text_of(&files, "OEBPS/tools/code.xhtml");
    assert!(code.contains("<span class=\"hl-"), "{code}");
    assert!(code.contains("&lt;world&gt; &amp;"), "{code}");
    let css = text_of(&files, "OEBPS/style.css");
    assert!(css.contains(".hl-"), "the code's classes have rules");
    assert!(!css.contains("font-family: \""), "no font is named");
    assert!(
        code.contains("<img src=\"flow.png\" alt=\"流程图\" />"),
        "{code}"
    );
    assert!(files
        .iter()
        .any(|(n, _, d)| n == "OEBPS/tools/flow.png" && d.starts_with(b"\x89PNG")));
    assert!(code.contains("第一行<br />第二行\u{a0}—结束"), "{code}");
    assert!(code.contains("<a>数据</a>"), "{code}");
    assert!(code.contains("href=\"../cases/case-shop.xhtml#"), "{code}");

    let review = text_of(&files, "OEBPS/cases/review.xhtml");
    let answers = text_of(&files, "OEBPS/answers.xhtml");
    assert!(review.contains("什么是客户服务？"));
    assert!(
        !review.contains("合适的时间"),
        "the answer is in the appendix"
    );
    assert!(
        review.contains("href=\"../answers.xhtml#answer-"),
        "{review}"
    );
    assert!(answers.contains("<strong>合适的时间</strong>"), "{answers}");
    // The answer's own links, moved to the book's root, still reach.
    assert!(answers.contains("href=\"tools/code.xhtml#"), "{answers}");
    assert!(answers.contains("src=\"tools/flow.png\""), "{answers}");
    assert!(answers.contains("href=\"cases/review.xhtml#"), "{answers}");
    let case = text_of(&files, "OEBPS/cases/case-shop.xhtml");
    assert!(
        case.contains("客户为什么会<strong>再来</strong>？"),
        "{case}"
    );
    assert!(!case.contains("记住客户的名字"));
    assert!(answers.contains("记住客户的名字"));
    assert!(
        answers.contains("href=\"cases/case-shop.xhtml#question-1\""),
        "{answers}"
    );

    let broken = text_of(&files, "OEBPS/tools/broken.xhtml");
    assert!(broken.contains("仍然应该能读到这句话"), "{broken}");
    let warnings: Vec<String> = exported
        .warnings
        .iter()
        .map(|d| format!("{}: {}", d.file.display(), d.message))
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].contains("01-code.md") && warnings[0].contains("data.csv"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].contains("03-broken.md") && warnings[1].contains("not well-formed"),
        "{warnings:?}"
    );
    assert_eq!(exported.items, 12);
}

fn epubcheck() -> Option<Command> {
    // Debian's /usr/bin/epubcheck is the jar itself (run through binfmt
    // where it is set up): `java -jar` works either way.
    let jar = Path::new("/usr/share/java/epubcheck.jar");
    // `--version` prints the version and exits 1 (no file named): that it
    // ran and said so is what counts.
    let ok = |c: &mut Command| {
        c.arg("--version")
            .stdin(Stdio::null())
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("EPUBCheck"))
    };
    if jar.exists() && ok(Command::new("java").arg("-jar").arg(jar)) {
        let mut c = Command::new("java");
        c.arg("-jar").arg(jar);
        return Some(c);
    }
    ok(&mut Command::new("epubcheck")).then(|| Command::new("epubcheck"))
}

/// epubcheck finds no error (nor fatal) in the shipped course, the nested
/// fixture and the EPUB fixture.
#[test]
fn epubcheck_finds_no_error() {
    let Some(_) = epubcheck() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "epubcheck is required in CI (scripts/test.sh installs it)"
        );
        eprintln!("SKIPPED: epubcheck is not installed (Debian: apt-get install epubcheck)");
        return;
    };
    // One JVM per book, side by side: epubcheck's start dominates.
    let tmp = tempfile::tempdir().unwrap();
    let roots = [here().to_path_buf(), fixture("nested"), fixture("epub")];
    std::thread::scope(|s| {
        let runs: Vec<_> = roots
            .iter()
            .enumerate()
            .map(|(i, root)| {
                let file = tmp.path().join(format!("book-{i}.epub"));
                std::fs::write(&file, book(root).bytes.unwrap()).unwrap();
                s.spawn(move || (root, epubcheck().unwrap().arg(&file).output().unwrap()))
            })
            .collect();
        for run in runs {
            let (root, out) = run.join().unwrap();
            let report = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                report.contains("Messages: 0 fatals / 0 errors"),
                "{}:\n{report}",
                root.display()
            );
            assert!(out.status.success(), "{}:\n{report}", root.display());
        }
    });
}

/// The command: the book goes to the file named with -o, never over an
/// existing file without --force, and takes no bank names.
#[test]
fn the_command_writes_a_new_file_only() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("course.epub");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["export", "-f", "epub"])
            .args(args)
            .arg("--root")
            .arg(fixture("nested"))
            .output()
            .unwrap()
    };
    let out = run(&["-o", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("as EPUB →"), "{stderr}");
    let first = std::fs::read(&file).unwrap();
    assert!(first.starts_with(b"PK\x03\x04"));

    std::fs::write(&file, "mine").unwrap();
    let out = run(&["-o", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to overwrite"));
    assert_eq!(std::fs::read(&file).unwrap(), b"mine");
    let out = run(&["-o", file.to_str().unwrap(), "--force"]);
    assert!(out.status.success());
    assert_eq!(std::fs::read(&file).unwrap(), first);

    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("name it with -o"));
    let out = run(&["basics", "-o", tmp.path().join("x.epub").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("takes no bank names"));
}
