//! Bring your own book: an mdBook (book.toml + SUMMARY.md) built unchanged,
//! and a lectern course whose chapters hold sections three levels deep.

mod engine_support;

use engine_support::{tags, Course};

fn ids(html: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .filter(|t| t.name.starts_with('h') && t.name.len() == 2)
        .filter_map(|t| t.attr("id").map(str::to_string))
        .collect()
}

fn nav_links(html: &str) -> Vec<String> {
    let start = html.find("class=\"nav-chapters\"").expect("a sidebar");
    let end = start + html[start..].find("</nav>").expect("the sidebar ends");
    tags(&html[start..end])
        .into_iter()
        .filter(|t| t.name == "a")
        .filter_map(|t| t.attr("data-nav-url").map(str::to_string))
        // The study tools every course has (issue 18), not the book's tree.
        .filter(|u| u != "print.html" && u != "drill.html")
        .collect()
}

fn breadcrumbs(html: &str) -> Vec<String> {
    let start = html.find("class=\"breadcrumbs\"").expect("breadcrumbs");
    let end = start + html[start..].find("</nav>").unwrap();
    tags(&html[start..end])
        .into_iter()
        .filter(|t| t.name == "a")
        .filter_map(|t| t.attr("href").map(str::to_string))
        .collect()
}

fn pager(html: &str, rel: &str) -> Option<String> {
    tags(html)
        .into_iter()
        .find(|t| t.name == "a" && t.attr("rel") == Some(rel))
        .and_then(|t| t.attr("href").map(str::to_string))
}

#[test]
fn an_mdbook_builds_with_its_pages_urls_and_tree() {
    let book = Course::fixture("mdbook");
    let run = book.build(&[]);
    run.assert_success();
    let site = engine_support::Site { dir: book.out() };
    let mut html = site.html_files();
    // The print pages every course has (issue 18).
    html.retain(|f| f != "print.html" && !f.starts_with("print/"));
    html.sort();
    assert_eq!(
        html,
        [
            "404.html",
            "appendix.html",
            "foreword.html",
            "headings.html",
            "includes.html",
            "index.html",
            "install/index.html",
            "install/linux.html",
            "install/source.html",
            "missing.html",
            "search.html"
        ]
    );
    assert!(
        !site.has("unlisted.html"),
        "a page SUMMARY.md does not list is not built"
    );
    assert!(
        site.has("images/logo.svg"),
        "files of src/ are copied as mdBook copies them"
    );

    // The whole tree in reading order, numbered as mdBook numbers it; the
    // draft chapter is listed without a link.
    let page = site.page("install/source.html");
    assert_eq!(
        nav_links(&page),
        [
            "index.html",
            "foreword.html",
            "install/index.html",
            "install/linux.html",
            "install/source.html",
            "includes.html",
            "headings.html",
            "missing.html",
            "appendix.html"
        ]
    );
    for number in ["1.", "1.1.", "1.1.1.", "1.2.", "2.", "3.", "4."] {
        assert!(
            page.contains(&format!("<span class=\"nav-number\">{number}</span>")),
            "{number}"
        );
    }
    assert!(page.contains(
        "<span class=\"nav-draft\"><span class=\"nav-number\">1.2.</span> Not written yet</span>"
    ));
    assert!(page.contains("<span class=\"nav-heading\">Getting started</span>"));
    assert!(page.contains("<span class=\"nav-heading\">Reference</span>"));
    // The current branch is open, without JavaScript.
    assert!(page.contains("data-nav-branch=\"install&#x2F;linux.html\" open"));
    assert_eq!(
        breadcrumbs(&page),
        [
            "../index.html",
            "../install/index.html",
            "../install/linux.html"
        ]
    );
    assert_eq!(
        pager(&page, "prev").as_deref(),
        Some("../install/linux.html")
    );
    assert_eq!(pager(&page, "next").as_deref(), Some("../includes.html"));
    // mdBook keeps a page's own `# heading`: lectern adds no second one.
    assert_eq!(page.matches("<h1").count(), 1);
    assert!(page.contains("https:&#x2F;&#x2F;example.org&#x2F;fixture-book&#x2F;edit&#x2F;main&#x2F;src&#x2F;install&#x2F;source.md"));
    assert!(page
        .contains("<link rel=\"stylesheet\" href=\"..&#x2F;static&#x2F;book&#x2F;custom.css\">"));
    // A section's page lists its own pages.
    let linux = site.page("install/linux.html");
    assert!(linux.contains("id=\"in-this-section\""));
}

#[test]
fn heading_ids_are_mdbooks_and_raw_html_anchors_are_targets() {
    let book = Course::fixture("mdbook");
    let run = book.build(&[]);
    run.assert_success();
    let site = engine_support::Site { dir: book.out() };
    let page = site.page("headings.html");
    // What mdBook 0.4 gives these headings (its normalize_id and repeat counter).
    assert_eq!(
        ids(&page),
        [
            "headings",
            "hello-world",
            "代码debug",
            "inline-code-and-emphasis",
            "hello-world-1",
            "a---b",
            "Ünïcode-straße",
            "12-版本说明",
            "snake_case-and-kebab-case",
            // The chapter page's own list of its pages.
            "in-this-chapter"
        ]
    );
    // Only the truly broken anchor is reported, as a warning (mdBook books
    // default to `links: warn`), with its line.
    let d = run.diagnostics();
    let anchors: Vec<_> = d.iter().filter(|d| d.message.contains("anchor")).collect();
    assert_eq!(anchors.len(), 1, "{d:#?}");
    assert_eq!(anchors[0].severity, "warning");
    assert_eq!(anchors[0].location, "src/headings.md:21:1");
    assert!(anchors[0].message.contains("#no-such-anchor"));
}

#[test]
fn an_mdbooks_diagnostics_are_notes_not_failures() {
    let book = Course::fixture("mdbook");
    let run = book.check(&[]);
    run.assert_success();
    let d = run.diagnostics();
    let find = |needle: &str| {
        d.iter()
            .find(|d| d.message.contains(needle))
            .unwrap_or_else(|| panic!("no diagnostic with {needle}: {d:#?}"))
    };
    let ignored = find("lectern ignores these book.toml settings");
    assert!(ignored.message.contains("output.html.mathjax-support"));
    assert!(ignored.message.contains("preprocessor"));
    assert!(find("theme/ folder is mdBook's theme")
        .location
        .starts_with("theme"));
    assert!(find("not listed in SUMMARY.md")
        .message
        .contains("src/unlisted.md"));
    assert_eq!(
        find("`missing.md` does not exist").location,
        "src/SUMMARY.md:19"
    );
    assert_eq!(
        find("unknown mdBook directive").location,
        "src/includes.md:49"
    );
    assert!(d.iter().all(|d| d.severity == "warning"), "{d:#?}");
}

#[test]
fn includes_take_lines_ranges_and_anchors() {
    let book = Course::fixture("mdbook");
    book.build(&[]).assert_success();
    let site = engine_support::Site { dir: book.out() };
    let page = site.page("includes.html");
    let blocks: Vec<String> = page
        .split("<pre")
        .skip(1)
        .map(|b| {
            let code = &b[..b.find("</pre>").unwrap()];
            // The code's text, without highlighting markup.
            let mut text = String::new();
            let mut in_tag = false;
            for c in code[code.find('>').unwrap() + 1..].chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.replace("&quot;", "\"")
                .replace("&#123;", "{")
                .trim_end()
                .to_string()
        })
        .collect();
    assert_eq!(blocks.len(), 7, "{blocks:#?}");
    assert!(
        blocks[0].starts_with("fn main() {") && !blocks[0].contains("ANCHOR"),
        "{}",
        blocks[0]
    );
    assert_eq!(blocks[1], "    let x = 1;");
    assert_eq!(blocks[2].lines().count(), 2);
    assert!(blocks[3].starts_with("    greet();"), "{}", blocks[3]);
    assert_eq!(blocks[4].lines().count(), 2);
    assert_eq!(blocks[5], "    greet();");
    assert_eq!(blocks[6], "    greet();");
    assert!(
        page.contains("{{#include not-a-file.rs}}"),
        "an escaped directive is shown as written"
    );
    assert!(page.contains("<title>Includes and directives</title>"));
    assert!(
        page.contains("<code>{{#include}}</code>"),
        "a directive without a file is text, as in mdBook"
    );
}

#[test]
fn an_include_cannot_leave_the_book() {
    let book = Course::fixture("mdbook");
    let outside = book.parent().join("secret.txt");
    std::fs::write(&outside, "TOP-SECRET-MARKER").unwrap();
    book.write(
        "src/includes.md",
        "# Includes\n\n{{#include ../../secret.txt}}\n",
    );
    let run = book.build(&[]);
    run.assert_success();
    let site = engine_support::Site { dir: book.out() };
    assert!(!site.page("includes.html").contains("TOP-SECRET-MARKER"));
    assert!(
        run.stderr.contains("cannot include `../../secret.txt`"),
        "{}",
        run.stderr
    );
}

#[test]
fn summary_entries_outside_src_are_never_read_or_written() {
    let book = Course::fixture("mdbook");
    std::fs::write(book.parent().join("secret.md"), "TOP-SECRET-MARKER").unwrap();
    let summary = std::fs::read_to_string(book.path("src/SUMMARY.md")).unwrap();
    book.write(
        "src/SUMMARY.md",
        summary.replace(
            "[Appendix](appendix.md)",
            "[Appendix](appendix.md)\n[Escape](../../secret.md)",
        ),
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(book.parent().join("secret.md"), book.path("src/linked.md"))
        .unwrap();
    book.write(
        "src/SUMMARY.md",
        std::fs::read_to_string(book.path("src/SUMMARY.md")).unwrap() + "[Linked](linked.md)\n",
    );
    let run = book.check(&[]);
    run.assert_course_errors();
    let d = run.diagnostics();
    assert!(
        d.iter().any(|d| d
            .message
            .contains("`../../secret.md` is not a page inside src/")),
        "{d:#?}"
    );
    // Without the escaping line the book builds; the link out is never read.
    book.write(
        "src/SUMMARY.md",
        std::fs::read_to_string(book.path("src/SUMMARY.md"))
            .unwrap()
            .replace("[Escape](../../secret.md)\n", ""),
    );
    book.build(&[]).assert_success();
    let site = engine_support::Site { dir: book.out() };
    for f in site.files() {
        assert!(
            !String::from_utf8_lossy(&site.bytes(&f)).contains("TOP-SECRET-MARKER"),
            "{f}"
        );
    }
    assert!(!book.parent().join("secret.html").exists());
}

#[test]
fn links_error_makes_broken_links_fail_a_book() {
    let book = Course::fixture("mdbook");
    book.write("course.yaml", "links: error\n");
    let run = book.build(&[]);
    run.assert_course_errors();
    assert!(run.stderr.contains("#no-such-anchor"), "{}", run.stderr);
}

#[test]
fn sections_nest_three_levels_in_a_lectern_course() {
    let course = Course::fixture("nested");
    let site = course.build_ok(&[]);
    let bottom = site.page("basics/deep/deeper/bottom.html");
    assert_eq!(
        breadcrumbs(&bottom),
        [
            "../../../index.html",
            "../../../basics/index.html",
            "../../../basics/deep/index.html",
            "../../../basics/deep/deeper/index.html"
        ]
    );
    // Reading order is depth first.
    assert_eq!(
        nav_links(&bottom),
        [
            "index.html",
            "basics/index.html",
            "basics/intro.html",
            "basics/deep/index.html",
            "basics/deep/leaf.html",
            "basics/deep/deeper/index.html",
            "basics/deep/deeper/bottom.html",
            "basics/after.html",
            "next/index.html"
        ]
    );
    assert_eq!(
        pager(&bottom, "prev").as_deref(),
        Some("../../../basics/deep/deeper/index.html")
    );
    assert_eq!(
        pager(&bottom, "next").as_deref(),
        Some("../../../basics/after.html")
    );
    assert!(bottom.contains("data-nav-branch=\"basics&#x2F;deep&#x2F;index.html\" open"));
    assert!(
        bottom.contains("data-nav-branch=\"basics&#x2F;deep&#x2F;deeper&#x2F;index.html\" open")
    );
    // Elsewhere in the chapter the branch stays closed.
    let intro = site.page("basics/intro.html");
    assert!(intro.contains("data-nav-branch=\"basics&#x2F;deep&#x2F;index.html\">"));
    // A section's page lists its own pages, not its grandchildren.
    let deep = site.page("basics/deep/index.html").replace("&#x2F;", "/");
    let list = &deep[deep
        .find("id=\"in-this-section\"")
        .expect("children listed")..];
    assert!(list.contains("leaf.html") && list.contains("deeper/index.html"));
    assert!(!list[..list.find("</ol>").unwrap()].contains("bottom.html"));
    // The chapter overview lists the chapter's own pages.
    let chapter = site.page("basics/index.html").replace("&#x2F;", "/");
    let contents = &chapter[chapter.find("id=\"in-this-chapter\"").unwrap()..];
    let contents = &contents[..contents.find("</ol>").unwrap()];
    assert!(contents.contains("deep/index.html") && !contents.contains("leaf.html"));
}

#[test]
fn a_folder_without_index_md_is_not_a_section() {
    // A folder with no index.md of its own only groups files: its pages
    // belong to the level around it, as they always did.
    let course = Course::fixture("nested");
    course.write(
        "content/01-basics/02-deep/09-group/01-grouped.md",
        "---\ntitle: 分组的页面\n---\nIn a folder without index.md.\n",
    );
    let site = course.build_ok(&[]);
    let page = site.page("basics/deep/group/grouped.html");
    assert_eq!(
        breadcrumbs(&page),
        [
            "../../../index.html",
            "../../../basics/index.html",
            "../../../basics/deep/index.html"
        ]
    );
    let deep = site.page("basics/deep/index.html").replace("&#x2F;", "/");
    assert!(
        deep.contains("group/grouped.html"),
        "listed among the section's pages"
    );
}
