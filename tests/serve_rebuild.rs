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
}

impl Preview {
    fn new(out: PathBuf) -> Preview {
        Preview {
            state: OutputState::new(out),
            cache: RenderCache::default(),
        }
    }

    fn rebuild(&mut self, root: &Path) {
        let options = options(root, self.state.out_dir().to_path_buf());
        let r = render::render_cached(&options, &mut self.cache)
            .unwrap_or_else(|d| panic!("{}", lectern::diagnostic::render_all(&d, root)));
        self.state.write(&r.files, &r.copies).unwrap();
        let search = &r.site.config.search;
        self.state
            .update_search(r.search_docs, search.shards, search.enabled, |_| {});
        if let Some(result) = self.state.finish_search() {
            result.unwrap();
        }
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
