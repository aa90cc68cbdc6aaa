//! The offline site, print pages and drill as files (issue 18): what a build
//! writes, that the service worker names every other file with its hash and
//! is the same for the same input, that `offline: enabled: false` leaves the
//! worker and manifest out, and that names of these files are reserved.

mod engine_support;

use engine_support::Course;

#[test]
fn a_build_writes_the_worker_manifest_icons_print_pages_and_drill() {
    let course = Course::fixture("page-kinds");
    let site = course.build_ok(&[]);
    for f in [
        "sw.js",
        "manifest.webmanifest",
        "static/icons/icon-192.png",
        "static/icons/icon-512.png",
        "static/icons/icon-maskable-512.png",
        "static/icons/icon.svg",
        "static/offline-worker.js",
        "print.html",
        "drill.html",
    ] {
        assert!(site.has(f), "{f} is built");
    }
    assert!(
        site.files().iter().any(|f| f.starts_with("print/")),
        "a print page per chapter"
    );
    let sw = String::from_utf8(site.bytes("sw.js")).unwrap();
    // Every other file is in the precache list, with its size.
    for f in site.files() {
        if f == "sw.js" || f.starts_with('.') {
            continue;
        }
        let size = site.bytes(&f).len();
        assert!(sw.contains(&format!("[\"{f}\",")), "{f} is precached");
        assert!(
            sw.contains(&format!(",{size}]")),
            "{f}'s size {size} is listed"
        );
    }
    assert!(!sw.contains("\"sw.js\""), "the worker does not list itself");
    let home = site.page("index.html");
    assert!(home.contains("rel=\"manifest\" href=\"manifest.webmanifest\""));
    assert!(home.contains("static/offline.js"));
    // The same input gives the same worker, byte for byte.
    let first = site.bytes("sw.js");
    let again = course.build_ok(&[]);
    assert_eq!(first, again.bytes("sw.js"));
    // A changed page changes its hash, and so the worker.
    let md = walk_md(&course.path("content"));
    std::fs::write(
        &md,
        std::fs::read_to_string(&md).unwrap() + "\n\nOne more line.\n",
    )
    .unwrap();
    let changed = course.build_ok(&[]);
    assert_ne!(first, changed.bytes("sw.js"));
}

fn walk_md(dir: &std::path::Path) -> std::path::PathBuf {
    let mut found: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().to_path_buf())
        .collect();
    found.sort();
    found.pop().unwrap()
}

#[test]
fn offline_off_writes_no_worker_and_no_manifest() {
    let course = Course::fixture("page-kinds");
    let yaml = std::fs::read_to_string(course.path("course.yaml")).unwrap();
    course.write(
        "course.yaml",
        format!("{yaml}\noffline:\n  enabled: false\n"),
    );
    let site = course.build_ok(&[]);
    assert!(!site.has("sw.js"));
    assert!(!site.has("manifest.webmanifest"));
    assert!(!site.page("index.html").contains("static/offline.js"));
    assert!(site.has("print.html"), "print pages do not depend on it");
}

#[test]
fn a_page_may_not_take_a_generated_name() {
    for name in ["print.md", "drill.md", "print/x.md"] {
        let course = Course::fixture("page-kinds");
        course.write(&format!("content/{name}"), "# A page\n\ntext\n");
        let run = course.build(&[]);
        run.assert_course_errors();
    }
}

/// A build writes print.html piece by piece (the page HTML between the
/// parts of a skeleton) only for the built-in template; a theme's own
/// print.html may use a page's HTML any way it likes and is rendered whole.
#[test]
fn a_themes_own_print_template_is_rendered_as_written() {
    let course = Course::fixture("page-kinds");
    let builtin = course.build_ok(&[]);
    let whole = String::from_utf8(builtin.bytes("print.html")).unwrap();
    assert!(whole.contains("class=\"prose\""), "pages' HTML is placed");
    assert!(
        !whole.contains('\u{1}'),
        "no marker is left in the document"
    );
    course.write(
        "themes/default/templates/print.html",
        "{% for c in chapters %}{% for p in c.pages %}[{{ p.html | length }}]{{ p.html | safe }}{{ p.html | safe }}{% endfor %}{% endfor %}",
    );
    let site = course.build_ok(&[]);
    let own = String::from_utf8(site.bytes("print.html")).unwrap();
    assert!(own.starts_with('['), "{own:.80}");
    assert!(!own.contains('\u{1}'), "no marker is left in the document");
    // Each part is `[len]` and the page's HTML twice: take the longest.
    let mut rest = own.as_str();
    let mut longest = "";
    while let Some(open) = rest.strip_prefix('[') {
        let (len, after) = open.split_once(']').unwrap();
        let len: usize = len.parse().unwrap();
        assert_eq!(after[..len], after[len..2 * len], "the HTML twice");
        if len > longest.len() {
            longest = &after[..len];
        }
        rest = &after[2 * len..];
    }
    assert_eq!(rest, "", "every part read");
    assert!(longest.len() > 20, "a page's HTML: {longest}");
    assert_eq!(
        own.matches(longest).count(),
        2,
        "each page's HTML twice, as the template says"
    );
}
