//! Awkward but valid input builds, and renders correctly: a symbolic link
//! loop (reported and skipped, never followed forever), a 10 MB Markdown
//! file, deeply nested folders, file names with spaces and Chinese
//! characters, Windows line endings (CRLF) and a UTF-8 byte-order mark.
//!
//! Each test writes its course into a temporary folder (these inputs cannot
//! live in the repository: a symlink loop trips other tools, 10 MB is too big
//! to commit), builds it with the real binary, and reads the site the way a
//! reader's browser would: the page is there, its text is right, and every
//! relative link and image on it leads to a file of the site.

mod engine_support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use engine_support::*;

/// The smallest course around what a test adds: one chapter with a page.
fn course() -> Course {
    let c = Course::nothing();
    c.write("course.yaml", "title: 特殊输入课程\n");
    c.write(
        "content/01-base/index.md",
        "---\ntitle: 项目一 基础\n---\n\n本章是其他页面的邻居。\n",
    );
    c
}

/// Every relative `href` and `src` of every page must name a file of the
/// site (and an `id` on it, for `#fragment`s into pages).
fn assert_links_resolve(site: &Site) {
    for page in site.html_files() {
        let html = site.page(&page);
        for (tag, attr, value) in links(&html) {
            if is_external(&value) || value.starts_with('#') || value.is_empty() {
                continue;
            }
            let target = resolve(&page, &value)
                .unwrap_or_else(|| panic!("{page}: <{tag} {attr}=\"{value}\"> leaves the site"));
            assert!(
                site.has(&target),
                "{page}: <{tag} {attr}=\"{value}\"> points to {target}, which the site does not have"
            );
            if let (Some(fragment), true) = (fragment(&value), target.ends_with(".html")) {
                assert!(
                    fragment.is_empty() || ids(&site.page(&target)).contains(&fragment),
                    "{page}: {value} names an anchor {target} does not have"
                );
            }
        }
    }
}

/// The text of a page's article, as read.
fn prose(site: &Site, url: &str) -> String {
    let html = site.page(url);
    let inner =
        inner_html(&html, |t| t.name == "main").unwrap_or_else(|| panic!("{url} has no <main>"));
    text_of(inner)
}

/// Runs `lectern build` on the course with a time limit, killing it if it
/// runs away (a symlink loop followed forever would never return).
fn build_within(c: &Course, limit: Duration) -> Run {
    let mut child = Command::new(lectern_bin())
        .args(["build", "--root"])
        .arg(&c.root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lectern");
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("lectern build ran for more than {limit:?}: it does not stop");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        args: vec!["build".into()],
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Ensure symbolic links that lead back to a parent folder are reported as
/// skipped — each at its own path — and not followed forever, while the rest
/// of the course builds; a link to a folder elsewhere inside the course
/// (`content/02-shared` → `shared/`) is followed as usual. Links out of the
/// course are skipped instead: tests/safety_links.rs.
#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_and_skipped() {
    use std::os::unix::fs::symlink;
    let c = course();
    c.write(
        "content/01-base/01-page.md",
        "---\ntitle: 第一节\n---\n\n链接环之外的正文。\n",
    );
    c.write(
        "shared/01-extra.md",
        "---\ntitle: 共享的一节\n---\n\n从课程外链接进来的页面。\n",
    );
    symlink("..", c.path("content/01-base/loop-to-content")).unwrap();
    symlink(".", c.path("content/01-base/loop-to-itself")).unwrap();
    std::fs::create_dir_all(c.path("content/01-base/deeper/still")).unwrap();
    symlink("../../..", c.path("content/01-base/deeper/still/loop-up")).unwrap();
    symlink("../shared", c.path("content/02-shared")).unwrap();
    c.write(
        "shared/index.md",
        "---\ntitle: 项目二 共享\n---\n\n这一章是一个指向课程外文件夹的链接。\n",
    );

    let run = build_within(&c, Duration::from_secs(120));
    run.assert_success();
    for link in [
        "content/01-base/loop-to-content",
        "content/01-base/loop-to-itself",
        "content/01-base/deeper/still/loop-up",
    ] {
        let d = run.diagnostic_at(link);
        assert_eq!(d.severity, "warning", "{}", d.text);
        assert!(d.message.contains("symbolic link loop"), "{}", d.text);
        assert!(d.message.contains("skipped"), "{}", d.text);
    }
    let site = Site { dir: c.out() };
    assert!(prose(&site, "base/page.html").contains("链接环之外的正文"));
    assert!(prose(&site, "shared/extra.html").contains("从课程外链接进来的页面"));
    assert!(
        !site.files().iter().any(|f| f.contains("loop-")),
        "nothing is built through a loop: {:?}",
        site.files()
    );
    assert_links_resolve(&site);
}

/// Ensure a 10 MB Markdown page (a whole handbook pasted into one file)
/// builds, keeps all its text and headings, and is searchable.
#[test]
fn a_ten_megabyte_markdown_file_builds() {
    let c = course();
    let words = [
        "客户",
        "服务",
        "质量",
        "投诉",
        "处理",
        "满意",
        "忠诚",
        "沟通",
        "倾听",
        "道歉",
        "customer",
        "service",
        "quality",
        "complaint",
    ];
    let mut text = String::from("---\ntitle: 很长的一页\n---\n\n");
    let mut n = 0usize;
    let mut state = 7u64;
    while text.len() < 10 * 1024 * 1024 {
        if n.is_multiple_of(100) {
            text.push_str(&format!("## 第 {} 部分\n\n", n / 100));
        } else {
            for _ in 0..60 {
                // A tiny LCG: varied text without a dependency.
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(words[(state >> 33) as usize % words.len()]);
                text.push(' ');
            }
            text.push_str(&format!("第 {n} 段。\n\n"));
        }
        n += 1;
    }
    text.push_str("## 结尾\n\n最后一段写着一个独特的词：琥珀色灯塔。\n");
    c.write("content/01-base/01-big.md", &text);

    let run = build_within(&c, Duration::from_secs(600));
    run.assert_success();
    let site = Site { dir: c.out() };
    let html = site.page("base/big.html");
    assert!(html.len() > 10 * 1024 * 1024, "{} bytes", html.len());
    let last = (n - 1) / 100;
    let ids = ids(&html);
    for id in [
        "第-0-部分".to_string(),
        format!("第-{last}-部分"),
        "结尾".to_string(),
    ] {
        assert!(ids.contains(&id), "no heading #{id}");
    }
    assert!(html.contains("琥珀色灯塔"));
    let paragraphs = html.matches("<p>").count();
    assert!(paragraphs >= n - n / 100, "{paragraphs} paragraphs of {n}");
    // The search index holds the last section too.
    let index = lectern::search::reader::read_index(&c.out()).expect("the index reads back");
    let hits =
        lectern::search::engine::search(&index, &lectern::search::query::parse("琥珀色灯塔"));
    assert_eq!(hits.hits.len(), 1, "{hits:?}");
    let found = format!("{:?}", index.docs[hits.hits[0].doc as usize]);
    assert!(found.contains("big.html#结尾"), "{found}");
    assert_links_resolve(&site);
}

/// Ensure pages many folders deep build at the same depth of the site, with
/// every link (stylesheet, navigation, pager, links to and from them) relative
/// and working.
#[test]
fn deep_folders_build() {
    let c = course();
    let depth = 24;
    let folders: Vec<String> = (1..=depth).map(|i| format!("{i:02}-level{i}")).collect();
    let deep = format!("content/01-base/{}", folders.join("/"));
    let back = "../".repeat(depth);
    c.write(
        &format!("{deep}/01-bottom.md"),
        format!(
            "---\ntitle: 最深的一页\n---\n\n## 底部\n\n回到[章节概述]({back}index.md)，或[兄弟页](02-sibling.md#旁边)。\n\n![图](images/photo.png)\n"
        ),
    );
    c.write(
        &format!("{deep}/02-sibling.md"),
        "---\ntitle: 兄弟页\n---\n\n## 旁边\n\n正文。\n",
    );
    std::fs::create_dir_all(c.path(&format!("{deep}/images"))).unwrap();
    std::fs::copy(
        fixtures_dir().join("diagnostics/content/01-basics/images/photo.png"),
        c.path(&format!("{deep}/images/photo.png")),
    )
    .unwrap();
    c.write(
        "content/01-base/01-top.md",
        format!(
            "---\ntitle: 顶层\n---\n\n去[最深处]({}/01-bottom.md#底部)。\n",
            folders.join("/")
        ),
    );

    c.build(&[]).assert_success();
    let site = Site { dir: c.out() };
    let url_folders: Vec<String> = (1..=depth).map(|i| format!("level{i}")).collect();
    let bottom = format!("base/{}/bottom.html", url_folders.join("/"));
    assert!(site.has(&bottom), "{:?}", site.html_files());
    assert!(prose(&site, &bottom).contains("回到"));
    let html = site.page(&bottom);
    assert!(
        links(&html).iter().any(|(_, _, v)| v.contains("static/")),
        "the deep page loads the theme's files"
    );
    assert_links_resolve(&site);
}

/// Ensure file and folder names with spaces and Chinese characters build to
/// pages of the same names, that links to them (percent-encoded or in `<…>`)
/// work, and that their images and question banks come along.
#[test]
fn names_with_spaces_and_chinese_characters_build() {
    let c = course();
    c.write(
        "content/02-客户 服务/index.md",
        "---\ntitle: 项目二 客户 服务\n---\n\n先读[第一节](01-第一%20节.md)，再看[小节](<01-第一 节.md#服务-的-层次>)。\n\n![示意图](<图片/照片 1.png>)\n",
    );
    c.write(
        "content/02-客户 服务/01-第一 节.md",
        "---\ntitle: 第一 节\n---\n\n## 服务 的 层次\n\n硬服务与软服务。\n\n[返回](<index.md>)\n",
    );
    std::fs::create_dir_all(c.path("content/02-客户 服务/图片")).unwrap();
    std::fs::copy(
        fixtures_dir().join("diagnostics/content/01-basics/images/photo.png"),
        c.path("content/02-客户 服务/图片/照片 1.png"),
    )
    .unwrap();
    c.write(
        "quizzes/客户服务.yaml",
        "chapter: 02-客户 服务\nquestions:\n  - id: 服务-1\n    type: true_false\n    prompt: 服务分为硬服务和软服务。\n    answer: 对\n",
    );

    c.build(&[]).assert_success();
    let site = Site { dir: c.out() };
    assert!(site.has("客户 服务/index.html"), "{:?}", site.html_files());
    assert!(site.has("客户 服务/第一 节.html"));
    assert!(site.has("客户 服务/图片/照片 1.png"));
    assert!(site.has("quizzes/客户服务.html"));
    assert!(prose(&site, "客户 服务/第一 节.html").contains("硬服务与软服务"));
    assert!(ids(&site.page("客户 服务/第一 节.html")).contains(&"服务-的-层次".to_string()));
    assert!(prose(&site, "quizzes/客户服务.html").contains("服务分为硬服务和软服务"));
    assert_links_resolve(&site);
}

/// The files of a small course, written with the given line ending and
/// optional byte-order mark: front matter, Markdown with a list, a table and
/// a code block, a case page, a Q&A page, course.yaml and a question bank.
fn write_course_with(c: &Course, newline: &str, bom: bool) {
    let files = [
        ("course.yaml", "title: 换行符课程\nsearch:\n  enabled: true\n"),
        (
            "content/01-base/index.md",
            "---\ntitle: 项目一 基础\nhours: 2\nobjectives:\n  knowledge:\n    - 理解客户\n---\n\n## 本章导读\n\n本章介绍客户。\n",
        ),
        (
            "content/01-base/01-page.md",
            "---\ntitle: 第一节 客户\ntags: [客户, 服务]\n---\n\n## 客户的分类\n\n- 内部客户\n- 外部客户\n\n| 类型 | 说明 |\n|---|---|\n| 内部 | 同事 |\n\n```python\nprint('你好')\n```\n\n见[导读](index.md#本章导读)。\n",
        ),
        (
            "content/01-base/case-shop.md",
            "---\ntitle: 案例：小店\nkind: case\nquestions:\n  - prompt: 店员做对了什么？\n    points:\n      - 热情接待\n---\n\n一位客人走进小店。\n",
        ),
        (
            "content/01-base/review.md",
            "---\ntitle: 知识巩固\nkind: qa\n---\n\n## 什么是客户？\n\n接受产品或服务的组织或个人。\n\n## 客户有哪些类型？\n\n内部客户和外部客户。\n",
        ),
        (
            "quizzes/base.yaml",
            "chapter: base\nquestions:\n  - id: b-1\n    type: single\n    prompt: 内部客户在哪里？\n    options: [组织之内, 组织之外]\n    answer: A\n  - id: b-2\n    type: case\n    case: base/case-shop\n    questions:\n      - prompt: 店员做对了什么？\n        key_points: [热情接待]\n",
        ),
    ];
    for (rel, text) in files {
        let mut bytes = Vec::new();
        if bom {
            bytes.extend_from_slice("\u{feff}".as_bytes());
        }
        bytes.extend_from_slice(text.replace('\n', newline).as_bytes());
        c.write(rel, bytes);
    }
}

/// What the CRLF and BOM courses must look like once built: the same as the
/// plain one, with no stray `\r` or byte-order mark anywhere in the pages.
fn assert_course_renders(c: &Course) {
    let site = Site { dir: c.out() };
    for url in site.html_files() {
        let html = site.page(&url);
        assert!(!html.contains('\u{feff}'), "{url} holds a byte-order mark");
        assert!(!html.contains('\r'), "{url} holds a carriage return");
    }
    let page = site.page("base/page.html");
    assert!(
        page.contains("<title>第一节 客户"),
        "title read from the front matter"
    );
    assert!(ids(&page).contains(&"客户的分类".to_string()));
    assert!(page.contains("<table>"));
    assert!(page.contains("<li>内部客户</li>"));
    let index = site.page("base/index.html");
    assert!(text_of(&index).contains("理解客户"), "objectives read");
    let case = site.page("base/case-shop.html");
    assert!(text_of(&case).contains("店员做对了什么？"));
    assert!(text_of(&case).contains("热情接待"));
    let qa = site.page("base/review.html");
    assert!(text_of(&qa).contains("什么是客户？"));
    assert!(text_of(&qa).contains("内部客户和外部客户。"));
    let quiz = site.page("quizzes/base.html");
    assert!(text_of(&quiz).contains("内部客户在哪里？"));
    assert!(site.page("index.html").contains("换行符课程"));
    assert_links_resolve(&site);
}

/// Ensure a course saved with Windows line endings (CRLF) — pages, front
/// matter, course.yaml, question banks — builds and renders like any other.
#[test]
fn crlf_line_endings_build() {
    let c = Course::nothing();
    write_course_with(&c, "\r\n", false);
    c.build(&[]).assert_success();
    assert_course_renders(&c);
}

/// Ensure files that start with a UTF-8 byte-order mark (Windows Notepad
/// writes one) build, with the mark never showing in a title or a page.
#[test]
fn a_utf8_byte_order_mark_is_ignored() {
    let c = Course::nothing();
    write_course_with(&c, "\n", true);
    c.build(&[]).assert_success();
    assert_course_renders(&c);
}

/// Ensure the two together — the usual output of Notepad on Windows — build too.
#[test]
fn crlf_and_byte_order_mark_together() {
    let c = Course::nothing();
    write_course_with(&c, "\r\n", true);
    c.build(&[]).assert_success();
    assert_course_renders(&c);
}

/// Ensure a page whose front matter is CRLF and whose body mixes line endings
/// (pasted from several places) still reports an error at the right line:
/// CRLF must not shift diagnostics.
#[test]
fn crlf_keeps_diagnostic_lines_right() {
    let c = course();
    c.write(
        "content/01-base/01-page.md",
        "---\r\ntitle: 第一节\r\n---\r\n\r\n第一行\n第二行\r\n[缺页](nowhere.md)\r\n",
    );
    let run = c.build(&[]);
    run.assert_course_errors();
    let d = run.diagnostic_at("content/01-base/01-page.md:7:1");
    assert!(d.message.contains("missing page"), "{}", d.text);
    assert!(
        d.text.contains("[缺页](nowhere.md)"),
        "the source line is quoted:\n{}",
        d.text
    );
}
