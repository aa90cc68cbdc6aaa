//! What a successful build produces, one fixture course per situation
//! (tests/fixtures/<situation>/): the order of chapters and sections,
//! previous/next, heading ids, link rewriting, assets, theme overrides,
//! drafts, and links that work from any folder.

mod engine_support;

use engine_support::*;

/// The sidebar's links, resolved to site paths, in the order shown.
fn sidebar(site: &Site, url: &str) -> Vec<String> {
    let html = site.page(url);
    tags_within(&html, |t| {
        t.name == "nav" && t.attr("id") == Some("site-nav")
    })
    .into_iter()
    .filter(|t| t.name == "a")
    .filter_map(|t| resolve(url, t.attr("href")?))
    .collect()
}

/// The links of a page's own text (inside `<div class="prose">`), as written,
/// percent-decoded.
fn prose_links(site: &Site, url: &str) -> Vec<String> {
    let html = site.page(url);
    tags_within(&html, |t| t.name == "div" && t.has_class("prose"))
        .into_iter()
        .filter(|t| t.name == "a" && !t.has_class("heading-anchor"))
        .filter_map(|t| t.attr("href").map(readable))
        .collect()
}

/// Ensure chapters are ordered by the number of their folder's prefix (9
/// before 10, which a string sort would get wrong), with `weight` in the
/// chapter's index.md overriding the prefix — in the sidebar and on the home page.
#[test]
fn chapters_follow_numeric_prefix_and_weight() {
    let course = Course::fixture("ordering");
    let site = course.build_ok(&[]);
    let chapters: Vec<String> = sidebar(&site, "index.html")
        .into_iter()
        .filter(|u| u.ends_with("/index.html"))
        .collect();
    assert_eq!(
        chapters,
        [
            "alpha/index.html", // 01-
            "beta/index.html",  // 02-
            "zeta/index.html",  // no prefix, weight 3
            "delta/index.html", // 9-
            "gamma/index.html", // 10-
            "omega/index.html", // 03- but weight 99
        ]
    );
    let home = site.page("index.html");
    let cards = inner_html(&home, |t| t.name == "ol" && t.has_class("chapter-cards"))
        .expect("the home page lists the chapters");
    let text = text_of(cards);
    let order = [
        "Alpha 章",
        "Beta 章",
        "Zeta 章",
        "Delta 章",
        "Gamma 章",
        "Omega 章",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|t| {
            text.find(t)
                .unwrap_or_else(|| panic!("{t} missing from the home page: {text}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "home page lists chapters out of order: {text}"
    );
}

/// Ensure sections within a chapter are ordered by prefix, `weight`
/// overriding it, and pages with neither come last by file name — in the
/// chapter overview's list and in the sidebar.
#[test]
fn sections_follow_prefix_then_weight_then_file_name() {
    let course = Course::fixture("ordering");
    let site = course.build_ok(&[]);
    let expected = [
        "alpha/first.html",    // 01-
        "alpha/second.html",   // 02-
        "alpha/late.html",     // weight 5
        "alpha/tenth.html",    // 10-
        "alpha/heavy.html",    // 03- but weight 20
        "alpha/appendix.html", // neither: by file name
        "alpha/extra.html",
    ];
    let html = site.page("alpha/index.html");
    let listed: Vec<String> = tags_within(&html, |t| t.name == "ol" && t.has_class("page-list"))
        .into_iter()
        .filter(|t| t.name == "a")
        .filter_map(|t| resolve("alpha/index.html", t.attr("href")?))
        .collect();
    assert_eq!(listed, expected, "the chapter overview's list of sections");
    let in_sidebar: Vec<String> = sidebar(&site, "alpha/index.html")
        .into_iter()
        .filter(|u| u.starts_with("alpha/") && u != "alpha/index.html")
        .collect();
    assert_eq!(in_sidebar, expected, "the sidebar's sections of Alpha");
}

/// Ensure previous/next walk the whole course in reading order — home,
/// then each chapter's overview followed by its sections — and back, and that
/// each link reads the title of the page it leads to.
#[test]
fn previous_and_next_walk_the_course_in_reading_order() {
    let course = Course::fixture("ordering");
    let site = course.build_ok(&[]);
    let expected = [
        "index.html",
        "alpha/index.html",
        "alpha/first.html",
        "alpha/second.html",
        "alpha/late.html",
        "alpha/tenth.html",
        "alpha/heavy.html",
        "alpha/appendix.html",
        "alpha/extra.html",
        "beta/index.html",
        "beta/only.html",
        "zeta/index.html",
        "delta/index.html",
        "gamma/index.html",
        "omega/index.html",
    ];
    let mut forward = vec!["index.html".to_string()];
    while let Some(next) = pager(
        &site.page(forward.last().unwrap()),
        forward.last().unwrap(),
        "next",
    ) {
        assert!(forward.len() < 50, "next links loop: {forward:?}");
        forward.push(next);
    }
    assert_eq!(forward, expected, "following `next` from the home page");

    let mut backward = vec![expected.last().unwrap().to_string()];
    while let Some(prev) = pager(
        &site.page(backward.last().unwrap()),
        backward.last().unwrap(),
        "prev",
    ) {
        assert!(backward.len() < 50, "prev links loop: {backward:?}");
        backward.push(prev);
    }
    backward.reverse();
    assert_eq!(backward, expected, "following `prev` from the last page");

    let first = site.page("alpha/first.html");
    assert!(pager_text(&first, "prev").unwrap().contains("Alpha 章"));
    assert!(pager_text(&first, "next").unwrap().contains("第二节"));
    assert!(
        pager_text(&first, "next").unwrap().contains("下一页"),
        "UI strings are Chinese by default"
    );
}

/// Ensure Chinese headings keep their characters in their ids, punctuation is
/// dropped, repeats get `-1`, `{#id}` is honoured, and the page's table of
/// contents links to each of them.
#[test]
fn chinese_headings_get_readable_unique_ids() {
    let course = Course::fixture("headings");
    let site = course.build_ok(&[]);
    let html = site.page("service/customers.html");
    let heading_ids: Vec<String> = tags(&html)
        .into_iter()
        .filter(|t| t.name == "h2" || t.name == "h3")
        .filter_map(|t| t.attr("id").map(str::to_string))
        .collect();
    assert_eq!(
        heading_ids,
        [
            "客户的分类",
            "一客户的内涵概述",
            "客户的分类-1",
            "rater-模型",
            "custom-id",
            "三级-标题"
        ]
    );
    let toc: Vec<String> = tags_within(&html, |t| t.name == "aside" && t.has_class("toc"))
        .into_iter()
        .filter(|t| t.name == "a")
        .filter_map(|t| t.attr("href").map(readable))
        .collect();
    let expected: Vec<String> = heading_ids.iter().map(|id| format!("#{id}")).collect();
    assert_eq!(toc, expected, "the table of contents");
    assert!(
        !text_of(&html).contains("{#custom-id}"),
        "the heading attribute is not shown as text"
    );
}

/// Ensure links to .md files become links to the built pages: same chapter,
/// with an anchor, across chapters, to the home page, and from the home page;
/// and that fragments and external links stay as written.
#[test]
fn links_to_markdown_files_point_to_built_pages() {
    let course = Course::fixture("links");
    let site = course.build_ok(&[]);
    assert_eq!(
        prose_links(&site, "guide/start.html"),
        [
            "details.html",
            "details.html#客户的分类",
            "../reference/index.html",
            "../reference/glossary.html#rater-模型",
            "#本页标题",
            "https://example.com/page.md",
            "../index.html",
        ]
    );
    assert_eq!(prose_links(&site, "index.html"), ["guide/start.html"]);
    assert_eq!(
        prose_links(&site, "reference/glossary.html"),
        ["../guide/start.html#本页标题"]
    );
    assert_eq!(prose_links(&site, "guide/index.html"), ["start.html"]);
    // Every rewritten link reaches a page that has the anchor it names.
    assert_eq!(broken_links(&site), Vec::<String>::new());
}

/// Ensure images and other files under content/ are copied beside their pages,
/// byte for byte, with folders' numeric prefixes dropped (as for pages) but
/// file names kept, and that the pages' links reach them.
#[test]
fn assets_are_copied_beside_their_pages() {
    let course = Course::fixture("assets");
    // Editor and system droppings are not content.
    course.write("content/01-media/images/.DS_Store", b"\0junk");
    course.write("content/01-media/images/notes.md~", "backup");
    let site = course.build_ok(&[]);
    for (source, url) in [
        (
            "content/01-media/images/01-flow.png",
            "media/images/01-flow.png",
        ),
        (
            "content/01-media/files/handout.pdf",
            "media/files/handout.pdf",
        ),
        (
            "content/01-media/03-photos/photo.png",
            "media/photos/photo.png",
        ),
        (
            "content/02-other/images/shared.png",
            "other/images/shared.png",
        ),
    ] {
        assert_eq!(
            site.bytes(url),
            std::fs::read(course.path(source)).unwrap(),
            "{source} copied to {url}"
        );
    }
    assert!(!site.has("media/images/.DS_Store"));
    assert!(!site.has("media/images/notes.md~"));

    let srcs = |url: &str| -> Vec<String> {
        tags(&site.page(url))
            .into_iter()
            .filter(|t| t.name == "img")
            .filter_map(|t| t.attr("src").map(str::to_string))
            .collect()
    };
    assert_eq!(srcs("media/index.html"), ["images/01-flow.png"]);
    assert_eq!(
        srcs("media/gallery.html"),
        ["photos/photo.png", "../other/images/shared.png"]
    );
    assert_eq!(srcs("other/index.html"), ["images/shared.png"]);
    assert_eq!(
        prose_links(&site, "media/index.html"),
        ["files/handout.pdf"]
    );
    assert_eq!(broken_links(&site), Vec::<String>::new());
}

/// Ensure a chapter folder named `search` cannot clobber the search index:
/// `search/` is lectern's (src/generated.rs), so the build is refused at the
/// folder and the site built before keeps its index files.
#[test]
fn a_chapter_named_search_leaves_the_index_its_files() {
    let course = Course::fixture("assets");
    course.write(
        "course.yaml",
        "title: 素材测试课程\nsearch:\n  enabled: true\n",
    );
    let site = course.build_ok(&[]);
    let index_files: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.starts_with("search/"))
        .collect();
    assert!(!index_files.is_empty(), "{:?}", site.files());
    let before = engine_support::snapshot(&site.dir);

    course.write(
        "content/03-search/index.md",
        "---\ntitle: 搜索\n---\n\n正文\n",
    );
    for f in &index_files {
        course.write(&format!("content/03-{f}"), "an asset, not the index");
    }
    let run = course.build(&[]);
    run.assert_course_errors();
    let d = run.diagnostic_at("content/03-search");
    assert!(
        d.message
            .contains("builds to `search/`, which lectern reserves for the search index"),
        "{}",
        run.stderr
    );
    assert_eq!(engine_support::snapshot(&site.dir), before);
}

/// Ensure a course's themes/default/ replaces the built-in theme file by file:
/// its page.html renders the sections, its style.css is served, a new static
/// file is added, and everything it does not override stays built-in.
#[test]
fn course_theme_files_override_built_in_ones() {
    let course = Course::fixture("theme-override");
    let site = course.build_ok(&[]);
    let section = site.page("ch/sec.html");
    assert!(
        section.contains("This section uses the course's own page.html"),
        "{section}"
    );
    assert!(section.contains("正文段落"));
    let overview = site.page("ch/index.html");
    assert!(!overview.contains("course's own page.html"));
    assert!(
        overview.contains("class=\"page-list\""),
        "chapter.html is still the built-in one"
    );
    assert_eq!(
        site.bytes("static/style.css"),
        std::fs::read(course.path("themes/default/static/style.css")).unwrap()
    );
    assert_eq!(
        site.bytes("static/extra.js"),
        std::fs::read(course.path("themes/default/static/extra.js")).unwrap()
    );
    // A built-in script the course does not override ships compacted
    // (comment lines and indentation dropped); the course's own extra.js
    // above is copied byte for byte.
    let built_in =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/theme.js");
    assert_eq!(
        String::from_utf8(site.bytes("static/theme.js")).unwrap(),
        lectern::render::compact_js::compact_js(&std::fs::read_to_string(built_in).unwrap())
    );
}

/// Ensure `draft: true` pages are left out of a normal build — no file, not
/// in the sidebar, the chapter's list or the search index, skipped by
/// previous/next.
#[test]
fn drafts_are_left_out() {
    let course = Course::fixture("drafts");
    let site = course.build_ok(&[]);
    assert!(!site.has("ch/wip.html"));
    assert!(site.has("search/meta.js"), "the fixture has search on");
    for (file, bytes) in snapshot(&site.dir) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("写作中的草稿节"),
            "{file} mentions the draft"
        );
    }
    assert_eq!(
        pager(&site.page("ch/done.html"), "ch/done.html", "next").as_deref(),
        Some("ch/last.html")
    );
}

/// Ensure `lectern build --drafts` includes draft pages in their place, and
/// in the search index.
#[test]
fn drafts_are_built_with_the_drafts_flag() {
    let course = Course::fixture("drafts");
    let site = course.build_ok(&["--drafts"]);
    assert!(site.page("ch/wip.html").contains("写作中的草稿节"));
    assert_eq!(
        sidebar(&site, "ch/index.html")
            .into_iter()
            .filter(|u| u.starts_with("ch/") && u != "ch/index.html")
            .collect::<Vec<_>>(),
        ["ch/done.html", "ch/wip.html", "ch/last.html"]
    );
    assert_eq!(
        pager(&site.page("ch/done.html"), "ch/done.html", "next").as_deref(),
        Some("ch/wip.html")
    );
    let index = snapshot(&site.dir.join("search"));
    assert!(
        index
            .values()
            .any(|b| String::from_utf8_lossy(b).contains("写作中的草稿节")),
        "the draft is searchable with --drafts"
    );
}

/// Ensure a draft chapter overview leaves its chapter out rather than failing
/// the build (its sections have no chapter to sit in).
#[test]
fn a_draft_chapter_is_left_out_whole() {
    let course = Course::fixture("drafts");
    course.write(
        "content/02-later/index.md",
        "---\ntitle: 还没写好的一章\ndraft: true\n---\n\n概览。\n",
    );
    course.write(
        "content/02-later/01-part.md",
        "---\ntitle: 还没写好的一节\n---\n\n正文。\n",
    );
    let site = course.build_ok(&[]);
    assert!(!site.has("later/index.html"));
    assert!(!site.page("index.html").contains("还没写好的一章"));
    let with_drafts = course.build_ok(&["--drafts"]);
    assert!(with_drafts
        .page("later/index.html")
        .contains("还没写好的一章"));
    assert!(with_drafts.has("later/part.html"));
}

/// Problems with the links of a built site: every href/src must be a
/// #fragment, an external URL, or a relative path (never `/…`) ending in a
/// file name (never a bare folder) that exists, and every fragment must be an
/// id of its target page.
fn broken_links(site: &Site) -> Vec<String> {
    let mut problems = Vec::new();
    for url in site.html_files() {
        let html = site.page(&url);
        for (tag, attr, value) in links(&html) {
            let at = format!("{url}: <{tag} {attr}=\"{value}\">");
            if is_external(&value) {
                continue;
            }
            if value.starts_with('/') {
                problems.push(format!("{at} is absolute"));
                continue;
            }
            let path = value.split(['#', '?']).next().unwrap_or("");
            if !path.is_empty() {
                let last = path.rsplit('/').next().unwrap_or("");
                if !last.contains('.') || last == "." || last == ".." {
                    problems.push(format!("{at} does not end in a file name"));
                    continue;
                }
            }
            let Some(target) = resolve(&url, &value) else {
                problems.push(format!("{at} climbs out of the site"));
                continue;
            };
            if !site.has(&target) {
                problems.push(format!("{at}: {target} does not exist"));
                continue;
            }
            if let Some(frag) = fragment(&value).filter(|f| !f.is_empty()) {
                if target.ends_with(".html") && !ids(&site.page(&target)).contains(&frag) {
                    problems.push(format!("{at}: no id `{frag}` in {target}"));
                }
            }
        }
    }
    problems
}

/// Ensure every link of every page works when the site is opened from disk or
/// hosted under a sub-path (here `base_path: /courses/service/`): relative,
/// ending in a file name, reaching a file that exists and an id that exists.
/// Checked on every fixture course, so each kind of page is covered.
#[test]
fn every_link_is_relative_names_a_file_and_resolves() {
    for fixture in [
        "subpath",
        "links",
        "assets",
        "ordering",
        "page-kinds",
        "theme-override",
        "headings",
    ] {
        let course = Course::fixture(fixture);
        let site = course.build_ok(&[]);
        let pages = site.html_files();
        assert!(pages.len() >= 4, "{fixture}: {pages:?}");
        let problems = broken_links(&site);
        assert!(
            problems.is_empty(),
            "{fixture}: {} link problem(s):\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
    let course = Course::fixture("subpath");
    let site = course.build_ok(&[]);
    for url in site.html_files() {
        assert!(
            !site.page(&url).contains("href=\"/courses/"),
            "{url}: base_path must not make links absolute"
        );
    }
}

/// Ensure the link checker above can fail: a site with an absolute link, a
/// bare folder and a missing fragment is reported on each.
#[test]
fn the_link_check_catches_bad_links() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        r##"<a href="/a/index.html">x</a><a href="a/">y</a><a href="a/index.html#nope">z</a><img src="a/missing.png"><a href="#top">t</a>"##,
    )
    .unwrap();
    std::fs::write(dir.path().join("a/index.html"), r#"<h1 id="here">h</h1>"#).unwrap();
    let problems = broken_links(&Site {
        dir: dir.path().to_path_buf(),
    });
    assert_eq!(problems.len(), 5, "{problems:#?}");
}

/// Ensure case pages show their questions with the scoring points behind a
/// `<details>` (works without JavaScript), and Q&A pages turn each `##` into a
/// question card with its answer behind a `<details>`; UI strings follow
/// course.yaml's `language: en`.
#[test]
fn case_and_qa_pages_reveal_answers_on_demand() {
    let course = Course::fixture("page-kinds");
    let site = course.build_ok(&[]);
    let case = site.page("service/case-hotel.html");
    assert!(case.contains("<html lang=\"en\""));
    let questions = inner_html(&case, |t| t.name == "ol" && t.has_class("question-list")).unwrap();
    assert!(text_of(questions).contains("Why do guests come back?"));
    let details =
        inner_html(questions, |t| t.name == "details").expect("points are behind <details>");
    assert!(text_of(details).contains("Show scoring points"));
    assert!(text_of(details).contains("Personal service that remembers names"));
    assert!(text_of(details).contains("Service beyond expectations"));
    assert!(text_of(&case).contains("Mr Yu travels often for business."));

    let qa = site.page("service/review.html");
    let cards: Vec<Tag> = tags(&qa)
        .into_iter()
        .filter(|t| t.has_class("qa-card"))
        .collect();
    assert_eq!(cards.len(), 2);
    let questions: Vec<String> = tags(&qa)
        .into_iter()
        .filter(|t| t.name == "h2" && t.has_class("qa-question"))
        .filter_map(|t| t.attr("id").map(str::to_string))
        .collect();
    assert_eq!(
        questions,
        ["what-is-customer-service", "what-are-the-levels-of-service"]
    );
    let first_answer = inner_html(&qa, |t| t.name == "details" && t.has_class("reveal")).unwrap();
    assert!(
        first_answer.contains("<strong>right time</strong>"),
        "{first_answer}"
    );
    assert!(text_of(first_answer).contains("Show answer"));
    assert!(
        !text_of(first_answer).contains("Hard, soft"),
        "one answer per card"
    );
}
