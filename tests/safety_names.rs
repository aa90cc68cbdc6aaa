//! Every output path has one owner, and every name the site uses works as a
//! link (issue 12, findings 5 and 8): a course cannot replace a file lectern
//! generates, NUL characters never reach the site, names that cannot be
//! links are refused while spaces and Chinese names keep working, and names
//! that differ only in letter case are warned about.

mod engine_support;

use std::path::Path;

use engine_support::{copy_dir, snapshot, Course};

fn base_course() -> Course {
    let course = Course::nothing();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/malformed/_base"),
        &course.root,
    );
    course
}

/// Ensure a chapter folder named `static` cannot replace the theme's
/// stylesheet: the build is refused at the folder, and the site built before
/// keeps the theme's own static/style.css.
#[test]
fn a_course_folder_cannot_replace_the_themes_files() {
    let course = base_course();
    let site = course.build_ok(&[]);
    let theme_css = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/style.css"),
    )
    .unwrap();
    assert_eq!(site.bytes("static/style.css"), theme_css);

    course.write(
        "content/02-static/index.md",
        "---\ntitle: 静态\n---\n\n正文。\n",
    );
    course.write(
        "content/02-static/style.css",
        "body { display: none } /* course */",
    );
    let run = course.build(&[]);
    run.assert_course_errors();
    let d = run.diagnostic_at("content/02-static");
    assert!(
        d.message
            .contains("builds to `static/`, which lectern reserves for the theme's files"),
        "{}",
        run.stderr
    );
    assert!(d.hint.unwrap().contains("rename the folder"));
    assert_eq!(site.bytes("static/style.css"), theme_css);
}

/// Ensure U+0000 never reaches the site, whichever way it was written: raw in
/// a page, escaped as `\0` in a front matter title or a question of a bank.
/// CommonMark says to replace it with U+FFFD, which the pages then show.
#[test]
fn nul_characters_become_replacement_characters() {
    let course = base_course();
    course.write(
        "content/01-base/03-nul.md",
        "---\ntitle: \"标\\0题\"\n---\n\n正\0文 `代\0码`\n\n```\n围\0栏\n```\n",
    );
    let bank = std::fs::read_to_string(course.path("quizzes/base.yaml")).unwrap();
    course.write(
        "quizzes/base.yaml",
        bank.replace("prompt: 客户就是上帝。", "prompt: \"客户\\x00就是上帝。\""),
    );
    let site = course.build_ok(&[]);
    let page = site.page("base/nul.html");
    for text in [
        "标\u{FFFD}题",
        "正\u{FFFD}文",
        "代\u{FFFD}码",
        "围\u{FFFD}栏",
    ] {
        assert!(page.contains(text), "{text} missing from the page");
    }
    assert!(site
        .page("quizzes/base.html")
        .contains("客户\u{FFFD}就是上帝"));
    for (file, bytes) in snapshot(&site.dir) {
        // The app icons are PNG images, binary by nature.
        if file.ends_with(".png") {
            continue;
        }
        assert!(!bytes.contains(&0), "{file} holds a NUL byte");
    }
}

/// Ensure names with spaces and Chinese letters keep working: every relative
/// href and src of every page, percent-decoded, names a file of the site.
#[test]
fn spaces_and_chinese_names_make_working_links() {
    let course = base_course();
    course.write(
        "content/01-base/04-客户 服务.md",
        "---\ntitle: 客户服务\n---\n\n![图](<图 1.png>) [回到](01-intro.md)\n",
    );
    course.write("content/01-base/图 1.png", "png");
    course.write(
        "content/01-base/05-links.md",
        "---\ntitle: 链接\n---\n\n[服务](<04-客户 服务.md>) [百分号](04-%E5%AE%A2%E6%88%B7%20%E6%9C%8D%E5%8A%A1.md)\n",
    );
    let site = course.build_ok(&[]);
    assert!(site.has("base/客户 服务.html"));
    let mut checked = 0;
    for page in site.html_files() {
        let html = site.page(&page);
        for url in attribute_values(&html).iter().map(|u| html_unescape(u)) {
            if url.contains(':') || url.starts_with('#') || url.starts_with('/') {
                continue;
            }
            let path = url.split(['#', '?']).next().unwrap();
            let decoded = percent_decode(path);
            let target = site
                .dir
                .join(Path::new(&page).parent().unwrap())
                .join(&decoded);
            assert!(
                target.is_file(),
                "{page}: `{url}` does not name a file of the site"
            );
            checked += 1;
        }
    }
    let links = site.page("base/links.html");
    assert!(links.matches("客户 服务.html").count() + links.matches("%E5%AE%A2").count() >= 2);
    assert!(checked > 50, "only {checked} links checked");
}

/// Ensure names that cannot be links are refused at the file, a line break
/// shown escaped so that the message stays readable.
#[test]
fn names_that_cannot_be_links_are_refused() {
    let course = base_course();
    course.write(
        "content/01-base/why?.md",
        "---\ntitle: 问号\n---\n\n正文。\n",
    );
    course.write("content/01-base/two\nlines.png", "png");
    let run = course.build(&[]);
    run.assert_course_errors();
    let d = run.diagnostic_at("content/01-base/why?.md");
    assert!(d
        .message
        .contains("`?` starts the query part of a web address"));
    let d = run.diagnostic_at("content/01-base/two\\nlines.png");
    assert!(d.message.contains("control character"), "{}", run.stderr);
    assert!(d.hint.unwrap().contains("letters of any language"));
}

/// Ensure pages whose names differ only in letter case are warned about,
/// naming both files; the build still succeeds.
#[test]
fn names_differing_only_in_letter_case_are_warned_about() {
    let course = base_course();
    course.write(
        "content/01-base/Intro.md",
        "---\ntitle: 大写\n---\n\n正文。\n",
    );
    let run = course.build(&[]);
    run.assert_success();
    let warnings: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.severity == "warning")
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    let w = &warnings[0];
    assert_eq!(w.location, "content/01-base/01-intro.md");
    assert!(
        w.message.contains(
            "this file builds to the `base/intro.html` and content/01-base/Intro.md to `base/Intro.html`"
        ),
        "{}",
        w.message
    );
    assert!(w.message.contains("differ only in letter case"));
}

/// Ensure every file the build writes on its own is under a name of
/// src/generated.rs: built from the repository's own course (banks, an exam,
/// search), each output file is a page or file of content/ or reserved.
#[test]
fn every_generated_file_is_reserved() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let course = Course::nothing();
    for part in ["content", "quizzes", "themes"] {
        copy_dir(&repo.join(part), &course.root.join(part));
    }
    std::fs::copy(repo.join("course.yaml"), course.path("course.yaml")).unwrap();
    let site = course.build_ok(&[]);
    let rendered = lectern::pipeline::render::render(&lectern::pipeline::BuildOptions {
        root: course.root.clone(),
        ..Default::default()
    })
    .unwrap_or_else(|_| panic!("the course renders"));
    let from_content: std::collections::HashSet<String> = rendered
        .site
        .pages()
        .map(|p| p.url.clone())
        .chain(rendered.site.assets.iter().map(|a| a.url.clone()))
        .collect();
    let files = site.files();
    assert!(files.iter().any(|f| f.starts_with("exams/")));
    for file in files {
        // Hidden names are never content (content/ skips them).
        if file.starts_with('.') || from_content.contains(&file) {
            continue;
        }
        assert!(
            lectern::generated::reserved(&file).is_some(),
            "{file} is generated but not reserved in src/generated.rs"
        );
    }
}

/// The values of every href="…" and src="…" in `html`.
fn attribute_values(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    out
}

fn html_unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}
