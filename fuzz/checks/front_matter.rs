//! The front-matter splitter and reader, fed any bytes as the text of a page.
//!
//! Follows the loader (src/content/load.rs) step by step: UTF-8 check, byte
//! order mark, line endings, split at the `---` lines, YAML of the front
//! matter into `FrontMatter`, the body's Markdown, and the diagnostic as the
//! user would read it (the source line quoted under the message). Then the
//! whole loader runs on the input as a page of a small course on disk —
//! page kinds (Q&A, case), drafts, links rewritten and checked against the
//! other pages, anchors and images — so what the front matter switches on
//! is exercised too. Any panic is a bug: a teacher's file must get an
//! error, never a crash.
//!
//! Shared by the fuzz target (fuzz/fuzz_targets/front_matter.rs) and by the
//! regression tests on stable Rust (tests/fuzz_regressions.rs).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use lectern::config::Config;
use lectern::content::{self, frontmatter, LoadOptions};
use lectern::diagnostic::{render_all, Diagnostic, Diagnostics};
use lectern::markdown::{self, NoRewrite};

/// One scratch folder per fuzzing process, for rendering diagnostics (which
/// quotes the offending line, read back from the file).
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("lectern-fuzz-fm-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("content")).expect("scratch folder");
        dir
    })
}

fn report(d: Diagnostic, bytes: &[u8]) {
    let root = scratch();
    std::fs::write(root.join("content/page.md"), bytes).expect("scratch file");
    let mut ds = Diagnostics::new();
    ds.push(d);
    let text = render_all(&ds, root);
    assert!(text.contains("error"), "{text}");
}

/// A small course around the page under test: a chapter overview with
/// headings to link to, a sibling page and an image.
fn course() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("lectern-fuzz-course-{}", std::process::id()));
        let write = |rel: &str, text: &[u8]| {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).expect("scratch folder");
            std::fs::write(p, text).expect("scratch file");
        };
        write("course.yaml", "title: 模糊测试\n".as_bytes());
        write(
            "content/01-c/index.md",
            "---\ntitle: 概述\n---\n\n## 客户的分类\n\n## Types {#types}\n".as_bytes(),
        );
        write(
            "content/01-c/02-other.md",
            "# 另一页\n\n## 小节\n".as_bytes(),
        );
        write("content/01-c/images/a.png", b"\x89PNG");
        dir
    })
}

/// The loader on the input as content/01-c/01-page.md.
fn load_as_page(data: &[u8]) {
    let root = course();
    std::fs::write(root.join("content/01-c/01-page.md"), data).expect("scratch file");
    let config = Config::load(root).expect("the scratch course.yaml is valid");
    let options = LoadOptions {
        drafts: data.len().is_multiple_of(2),
    };
    let diagnostics = match content::load(root, config, options) {
        Ok(content::LoadedSite { site, diagnostics }) => {
            for page in site.pages() {
                assert!(page.url.ends_with(".html"), "{}", page.url);
            }
            diagnostics
        }
        Err(diagnostics) => diagnostics,
    };
    let _ = render_all(&diagnostics, root);
}

/// One input: any bytes. Panics on a bug.
pub fn run(data: &[u8]) {
    load_as_page(data);
    let file = Path::new("content/page.md");
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    };
    let split = match frontmatter::split(&text, file) {
        Ok(s) => s,
        Err(d) => return report(d, data),
    };
    assert!(split.body.len() <= text.len());
    if let Some(fm) = split.front_matter {
        match frontmatter::parse(fm, file) {
            Ok((front, spans)) => {
                // Positions are looked up for later diagnostics; any path must answer.
                let _ = spans.at("questions/0/points/3");
                for q in &front.questions {
                    let _ = markdown::untrusted::to_inline_html(&q.prompt);
                    let _ = markdown::untrusted::plain_text(&q.prompt);
                }
            }
            Err(d) => return report(d, data),
        }
    }
    let rendered = markdown::render(split.body, &NoRewrite);
    // Code blocks are highlighted only when the HTML is finished.
    let _ = rendered.html.to_html();
    for link in &rendered.links {
        let (line, column) = markdown::line_col(split.body, link.offset);
        assert!(line >= 1 && column >= 1);
    }
}
