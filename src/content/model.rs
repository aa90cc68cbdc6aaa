//! The course as plain data: what loading produces and every later stage reads.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::config::Config;
pub use crate::markdown::{DeferredHtml, Heading, TextSection};

impl Page {
    /// A page with nothing in it yet: the home page of a course without
    /// content/index.md, or an mdBook placeholder.
    pub fn empty(source: PathBuf, url: String, title: String) -> Page {
        Page {
            source,
            id: url.trim_end_matches(".html").to_string(),
            url,
            title,
            kind: PageKind::Page,
            summary: None,
            tags: Vec::new(),
            weight: 0,
            draft: false,
            html: DeferredHtml::default(),
            headings: Vec::new(),
            sections: Vec::new(),
            case_questions: Vec::new(),
            qa: Vec::new(),
            depth: 0,
            parent: None,
            number: None,
            title_in_body: false,
            head_title: None,
            placeholder: false,
            load_key: 0,
        }
    }
}

/// What a page is, from its front matter `kind`.
/// Deserialised by serde's derive (not by hand) so that an unknown kind is
/// reported at the `kind:` line: serde_yaml only knows the position while it
/// reads the value itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, Hash)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    #[default]
    Page,
    Case,
    Qa,
}

/// One question of a case study, with its scoring points (答题要点).
#[derive(Debug, Clone, Serialize, Hash)]
pub struct CaseQuestion {
    pub prompt_html: String,
    pub points_html: Vec<String>,
    /// Plain text, for search.
    pub prompt_text: String,
    pub points_text: Vec<String>,
}

/// One `##` question of a Q&A page and its reference answer.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct QaEntry {
    pub id: String,
    pub question: String,
    pub answer_html: String,
    pub answer_text: String,
}

/// Learning objectives of a chapter (知识目标 / 能力目标).
#[derive(Debug, Clone, Serialize, Default)]
pub struct Objectives {
    pub knowledge: Vec<String>,
    pub skills: Vec<String>,
}

/// A built page: a chapter overview, a section, a case, a Q&A bank or the home page.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct Page {
    /// Source file relative to the course root, e.g. `content/01-x/02-y.md`.
    pub source: PathBuf,
    /// Stable identifier: output path without `.html`, e.g. `x/y`; `x/index` for chapters, `index` for home.
    pub id: String,
    /// Output path relative to the site root, e.g. `x/y.html`.
    pub url: String,
    pub title: String,
    pub kind: PageKind,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub weight: i64,
    pub draft: bool,
    /// The body, code highlighted only when the page is rendered (see
    /// `DeferredHtml`); serialises as the finished HTML.
    pub html: DeferredHtml,
    pub headings: Vec<Heading>,
    pub sections: Vec<TextSection>,
    /// Case pages only.
    pub case_questions: Vec<CaseQuestion>,
    /// Q&A pages only.
    pub qa: Vec<QaEntry>,
    /// Where the page sits in its chapter's tree: 0 for a chapter overview
    /// (and the home page), 1 for a page of the chapter, 2 for a page of a
    /// section of the chapter, and so on.
    pub depth: usize,
    /// The index in `Chapter::pages` of the section holding this page;
    /// None for the chapter's own pages (depth 0 and 1).
    pub parent: Option<usize>,
    /// The section number of an mdBook's numbered chapters (`1.2.3`).
    pub number: Option<String>,
    /// The page's own text starts with its title (an mdBook's `# heading`
    /// is kept in the page), so templates do not add one.
    pub title_in_body: bool,
    /// The title in the browser's tab, when not `title` (mdBook's
    /// `{{#title …}}`).
    pub head_title: Option<String>,
    /// A chapter an mdBook lists without a file (`- [Title]()`): shown in
    /// the navigation, never built or linked.
    pub placeholder: bool,
    /// The key `content::LoadCache` found the page under: a hash of all it
    /// was loaded from (the file's bytes, its place, every page's and
    /// asset's URL, the load options), so every field `page::load` fills
    /// is a function of it; 0 when unknown (an mdBook page, whose includes
    /// may read any file, or a page lectern made). Later stages key their
    /// caches by it instead of hashing the whole page.
    #[serde(skip)]
    pub load_key: u128,
}

/// A chapter (项目): a top-level folder of content/.
#[derive(Debug, Clone, Serialize)]
pub struct Chapter {
    /// Folder name without the numeric prefix: `understanding-customer-service`.
    pub slug: String,
    /// Folder name as written: `01-understanding-customer-service`.
    pub folder: String,
    pub number: usize,
    pub index: Page,
    pub hours: Option<f64>,
    pub objectives: Objectives,
    /// Sections, cases and Q&A pages in reading order: a section's pages
    /// follow it (depth first), each knowing its `depth` and `parent`.
    pub pages: Vec<Page>,
    /// An mdBook part title (`# Part`) that starts here, shown above it.
    pub part: Option<String>,
    /// Whether chapters are numbered (项目一, …); an mdBook's prefix and
    /// suffix chapters are not.
    pub numbered: bool,
}

impl Chapter {
    pub fn title(&self) -> &str {
        &self.index.title
    }

    /// The sections holding `pages[i]`, outermost first.
    pub fn ancestors(&self, i: usize) -> Vec<&Page> {
        let mut chain = Vec::new();
        let mut at = self.pages.get(i).and_then(|p| p.parent);
        while let Some(j) = at {
            chain.push(&self.pages[j]);
            at = self.pages[j].parent;
        }
        chain.reverse();
        chain
    }
}

/// A file under content/ that is not Markdown, copied beside its page.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    /// Output path relative to the site root.
    pub url: String,
}

/// The whole loaded course.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub home: Page,
    pub chapters: Vec<Chapter>,
    pub assets: Vec<Asset>,
    /// Links to `.html` files, which only the finished build can check
    /// (quiz and exam pages are generated later).
    pub html_links: Vec<HtmlLink>,
}

/// A link written to a built page rather than to its `.md` source.
#[derive(Debug, Clone)]
pub struct HtmlLink {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub dest: String,
    /// The linked file relative to the site root, without `#anchor`.
    pub target: String,
}

impl Site {
    /// Every page built, in reading order: home, then each chapter's
    /// overview and pages (an mdBook's placeholders are not built).
    pub fn pages(&self) -> impl Iterator<Item = &Page> {
        std::iter::once(&self.home)
            .chain(
                self.chapters
                    .iter()
                    .flat_map(|c| std::iter::once(&c.index).chain(c.pages.iter())),
            )
            .filter(|p| !p.placeholder)
    }

    /// The chapter with this slug or folder name.
    pub fn chapter(&self, name: &str) -> Option<&Chapter> {
        self.chapters
            .iter()
            .find(|c| c.slug == name || c.folder == name)
    }

    /// Case pages by id (`chapter-slug/page-slug`).
    pub fn cases(&self) -> HashMap<&str, &Page> {
        self.chapters
            .iter()
            .flat_map(|c| c.pages.iter())
            .filter(|p| p.kind == PageKind::Case)
            .map(|p| (p.id.as_str(), p))
            .collect()
    }
}
