//! The preview's fast rebuild (`pipeline::render` with a cache, written by
//! `serve::incremental`) must leave exactly the files `lectern build` writes:
//! same paths, same bytes, search index included. The cache is what could
//! make them drift apart; these tests catch it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lectern::pipeline::render::{self, RenderCache};
use lectern::pipeline::{self, BuildOptions};
use lectern::serve::incremental::OutputState;

mod engine_support;
use engine_support::copy_dir;

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn assert_same_tree(built: &Path, previewed: &Path, step: usize) {
    let mut a = tree(built);
    let mut b = tree(previewed);
    // The manifests differ by design: the preview's lists its search index
    // as one folder (rewritten in the background). Both must own every file.
    let manifest = lectern::output::ownership::MANIFEST;
    for (dir, files) in [(built, &a), (previewed, &b)] {
        let owned = lectern::output::ownership::read_manifest(dir).expect("a manifest");
        for path in files.keys().filter(|p| *p != manifest) {
            assert!(
                owned.contains(path),
                "after change {step}: {path} is not in the manifest of {}",
                dir.display()
            );
        }
    }
    a.remove(manifest);
    b.remove(manifest);
    // The preview has no service worker on purpose: one would cache pages the
    // live reload is about to replace (offline.js expects none there).
    a.remove("sw.js");
    b.remove("sw.js");
    let only_a: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "after change {step}: only in build: {only_a:?}; only in preview: {only_b:?}"
    );
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "after change {step}: {path} differs between build and preview"
        );
    }
}

fn options(root: &Path, out: PathBuf) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        out: Some(out),
        drafts: false,
        force: false,
        progress: false,
        cache: false,
    }
}

/// The preview's side: renders in memory (reusing what `cache` holds) and
/// writes what changed, search index included.
struct Preview {
    state: OutputState,
    cache: RenderCache,
    /// Content pages rendered again by the last rebuild, and those kept.
    rendered: usize,
    kept: usize,
    paths: Vec<String>,
    /// Print documents made again by the last rebuild (the others are kept).
    printed: Vec<String>,
    /// Pages the last rebuild did not load again.
    reused: usize,
}

impl Preview {
    fn new(out: PathBuf) -> Preview {
        Preview {
            state: OutputState::new(out),
            // As the dev server's: print documents made after the rest.
            cache: RenderCache::default().deferring(),
            rendered: 0,
            kept: 0,
            paths: Vec::new(),
            printed: Vec::new(),
            reused: 0,
        }
    }

    fn rebuild(&mut self, root: &Path) {
        self.try_rebuild(root)
            .unwrap_or_else(|d| panic!("{}", lectern::diagnostic::render_all(&d, root)));
    }

    /// As the dev server does: a failed rebuild writes nothing.
    fn try_rebuild(&mut self, root: &Path) -> Result<(), lectern::diagnostic::Diagnostics> {
        let options = options(root, self.state.out_dir().to_path_buf());
        let r = render::render_cached(&options, &mut self.cache)?;
        self.reused = self.cache.pages_reused();
        let pages: std::collections::HashSet<&str> =
            r.site.pages().map(|p| p.url.as_str()).collect();
        self.kept = r.kept.iter().filter(|p| pages.contains(p.as_str())).count();
        self.paths = r
            .files
            .iter()
            .filter(|f| pages.contains(f.path.as_str()))
            .map(|f| f.path.clone())
            .collect();
        self.rendered = self.paths.len();
        assert!(
            !r.files.iter().any(|f| f.path == "print.html"),
            "print documents are left for after the reload"
        );
        self.state
            .write(&r.files, &r.kept, &r.print_pending, &r.copies)
            .unwrap();
        let print = render::render_print(&mut self.cache, &r.site).unwrap();
        self.printed = print.files.iter().map(|f| f.path.clone()).collect();
        self.state.write_pending(&print.files).unwrap();
        let search = r.site.config.search.clone();
        let docs = render::search_docs(&self.cache, &r.site);
        // As the dev server does: the pages go back to the cache.
        self.cache.give_back(r.site);
        self.state.update_search(
            docs,
            lectern::search::IndexOptions::from_config(&search),
            search.enabled,
            |_| {},
        );
        if let Some(result) = self.state.finish_search() {
            result.unwrap();
        }
        Ok(())
    }
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Builds with `lectern build` and with the preview after each change made
/// by `changes` (a first build, then one per call) and compares the two.
fn check_course(root: &Path, changes: &[&dyn Fn(&Path)]) {
    let tmp = tempfile::tempdir().unwrap();
    let built = tmp.path().join("built");
    let mut preview = Preview::new(tmp.path().join("previewed"));
    let nothing: &dyn Fn(&Path) = &|_| {};
    for (i, change) in std::iter::once(&nothing).chain(changes.iter()).enumerate() {
        change(root);
        pipeline::build(&options(root, built.clone())).unwrap();
        preview.rebuild(root);
        assert_same_tree(&built, preview.state.out_dir(), i);
    }
}

/// The preview fixture: a home page, a chapter, a section with an image.
#[test]
fn a_small_course_previews_exactly_as_it_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("course");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve"),
        &root,
    );
    check_course(
        &root,
        &[
            &|r| {
                edit(
                    r,
                    "content/01-basics/01-first.md",
                    "original text",
                    "edited text",
                )
            },
            &|r| {
                edit(
                    r,
                    "content/01-basics/01-first.md",
                    "title: First section",
                    "title: Section one",
                )
            },
            &|r| {
                edit(
                    r,
                    "content/01-basics/01-first.md",
                    "![a dot](images/dot.svg)",
                    "",
                );
                std::fs::remove_file(r.join("content/01-basics/images/dot.svg")).unwrap();
            },
        ],
    );
}

/// The shipped course: quizzes, exams, cases, Q&A pages and search; each
/// change below reaches a different cached stage (none, the banks, the
/// renderer and the bank pages, the theme).
#[test]
fn the_shipped_course_previews_exactly_as_it_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("course");
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["content", "quizzes"] {
        copy_dir(&here.join(dir), &root.join(dir));
    }
    std::fs::copy(here.join("course.yaml"), root.join("course.yaml")).unwrap();
    let section = "content/01-understanding-customer-service/01-customers.md";
    let bank = "quizzes/01-understanding-customer-service.yaml";
    let case = "content/01-understanding-customer-service/case-oriental-hotel.md";
    check_course(
        &root,
        &[
            &|r| edit(r, section, "做客户服务", "做好客户服务"),
            &|r| edit(r, bank, "下列关于", "以下关于"),
            &|r| edit(r, case, "title: ", "title: 新"),
            &|r| {
                let dir = r.join("themes/default/templates");
                std::fs::create_dir_all(&dir).unwrap();
                let page = "{% extends \"base.html\" %}\n{% block content %}<h1 class=\"custom\">{{ t.not_found_title }}</h1>{% endblock content %}\n";
                std::fs::write(dir.join("404.html"), page).unwrap();
            },
            &|r| edit(r, "course.yaml", "title: ", "title: 新版"),
        ],
    );
}

/// Every kind of change the preview handles incrementally, each compared
/// with a full build: a body edit (only that page rendered again), a title
/// edit (its neighbours and every sidebar), a reordering, a new page, a
/// deleted page, a bank edit, a code block edit, and an edit that breaks a
/// page and then one that fixes it.
#[test]
fn every_kind_of_change_previews_exactly_as_it_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("course");
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["content", "quizzes"] {
        copy_dir(&here.join(dir), &root.join(dir));
    }
    std::fs::copy(here.join("course.yaml"), root.join("course.yaml")).unwrap();
    let chapter = "content/01-understanding-customer-service";
    let section = format!("{chapter}/01-customers.md");
    let built = tmp.path().join("built");
    let mut preview = Preview::new(tmp.path().join("previewed"));
    let step = |preview: &mut Preview, i: usize| {
        pipeline::build(&options(&root, built.clone())).unwrap();
        preview.rebuild(&root);
        assert_same_tree(&built, preview.state.out_dir(), i);
    };
    step(&mut preview, 0);
    let pages = preview.rendered;
    assert!(pages > 50, "the first rebuild renders every page ({pages})");

    // A body edit: that page alone is rendered again.
    edit(&root, &section, "做客户服务", "做好客户服务");
    step(&mut preview, 1);
    assert_eq!(
        (preview.rendered, preview.kept),
        (1, pages - 1),
        "a body edit renders its page only: {:?}",
        preview.paths
    );
    assert_eq!(
        preview.reused,
        pages - 1,
        "and loads it only (the others came back to the cache)"
    );
    assert_eq!(
        preview.printed,
        ["print.html", "print/understanding-customer-service.html"],
        "a body edit makes again only the print documents holding the page"
    );

    // A code block added, then changed.
    let code = "\n\n```rust\nfn main() { println!(\"客户\"); }\n```\n";
    let text = std::fs::read_to_string(root.join(&section)).unwrap();
    std::fs::write(root.join(&section), format!("{text}{code}")).unwrap();
    step(&mut preview, 2);
    edit(&root, &section, "println!(\"客户\")", "println!(\"服务\")");
    step(&mut preview, 3);
    assert_eq!(preview.rendered, 1);

    // A title edit: every sidebar shows it.
    edit(&root, &section, "title: ", "title: 新");
    step(&mut preview, 4);
    assert_eq!(preview.rendered, pages, "a title edit renders every page");
    assert_eq!(
        preview.printed,
        ["print.html", "print/understanding-customer-service.html"],
        "a title edit changes the contents of two print documents only"
    );

    // Reordering: the first section becomes the last of its chapter.
    edit(&root, &section, "title: ", "weight: 99\ntitle: ");
    step(&mut preview, 5);

    // A new page, linking to another; then deleted.
    let new_page = format!("{chapter}/50-new-page.md");
    std::fs::write(
        root.join(&new_page),
        "---\ntitle: 新的一节\n---\n\n见[客户](01-customers.md)。\n",
    )
    .unwrap();
    step(&mut preview, 6);
    std::fs::remove_file(root.join(&new_page)).unwrap();
    step(&mut preview, 7);

    // A bank edit.
    edit(
        &root,
        "quizzes/01-understanding-customer-service.yaml",
        "下列关于",
        "以下关于",
    );
    step(&mut preview, 8);
    assert_eq!(preview.rendered, 0, "a bank edit renders no content page");

    // An edit that breaks a page: the build and the rebuild fail, the
    // preview keeps the last good site; the fix brings both back.
    let good = std::fs::read_to_string(root.join(&section)).unwrap();
    std::fs::write(
        root.join(&section),
        format!("---\ntitle: [unclosed\n---\n{good}"),
    )
    .unwrap();
    assert!(pipeline::build(&options(&root, built.clone())).is_err());
    assert!(preview.try_rebuild(&root).is_err());
    std::fs::write(root.join(&section), &good).unwrap();
    step(&mut preview, 9);
}

/// `lectern build`'s persistent cache: a cached build writes the bytes of a
/// cold one (`--no-cache`), warm, after one page changed, and with a damaged
/// cache entry; the cache lives in .lectern/cache/ and never reaches the site.
#[test]
fn a_cached_build_is_byte_identical_to_a_cold_one() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("course");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/code-blocks"),
        &root,
    );
    // With its search index, whose sections the cache keeps too.
    let yaml = root.join("course.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, text.replace("enabled: false", "enabled: true")).unwrap();
    let build = |out: &str, cache: bool| {
        let report = pipeline::build(&BuildOptions {
            cache,
            ..options(&root, tmp.path().join(out))
        })
        .unwrap_or_else(|d| panic!("{}", lectern::diagnostic::render_all(&d, &root)));
        report.warnings
    };
    let compare = |i: usize| {
        let cold = tmp.path().join("cold");
        let cached = tmp.path().join("cached");
        assert_same_tree(&cold, &cached, i);
        assert!(
            !tree(&cached).keys().any(|p| p.starts_with(".lectern/")),
            "the cache is never copied into the site"
        );
    };
    let cold_warnings = build("cold", false);
    build("cached", true); // fills the cache
    let entries = || tree(&root.join(".lectern/cache/code")).len();
    assert!(entries() > 0, "the cache holds the pages' code");
    compare(0);
    let warm_warnings = build("cached", true);
    assert_eq!(
        cold_warnings.iter().count(),
        warm_warnings.iter().count(),
        "a warm build warns of what a cold one does"
    );
    compare(1);
    let search_terms = root.join(".lectern/cache/search-terms");
    assert!(
        search_terms.is_file(),
        "the cache holds the index's sections"
    );

    // One page changed.
    let page = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| {
            e.path().extension().is_some_and(|x| x == "md")
                && std::fs::read_to_string(e.path()).unwrap().contains("```")
        })
        .unwrap()
        .into_path();
    // The first line of its first code block changes.
    let text = std::fs::read_to_string(&page).unwrap();
    let fence = text.find("```").unwrap();
    let line_end = fence + text[fence..].find('\n').unwrap() + 1;
    // And its text: the index is made from the cached sections but this one.
    let changed = format!(
        "{}changed = 1\n{}\n\nA new sentence about complaint handling.\n",
        &text[..line_end],
        &text[line_end..]
    );
    std::fs::write(&page, changed).unwrap();
    build("cold", false);
    build("cached", true);
    compare(2);

    // Every entry damaged: ignored with one warning, the site unchanged.
    for entry in walkdir::WalkDir::new(root.join(".lectern/cache/code"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        std::fs::write(entry.path(), b"damaged").unwrap();
    }
    std::fs::write(&search_terms, b"damaged").unwrap();
    let warnings = build("cached", true);
    let about_cache: Vec<_> = warnings
        .iter()
        .filter(|d| d.message.contains("build cache"))
        .collect();
    assert_eq!(about_cache.len(), 1, "one warning: {about_cache:?}");
    compare(3);
    let warnings = build("cached", true);
    assert!(!warnings.iter().any(|d| d.message.contains("build cache")));
    compare(4);
}
