//! One page: read its file, check its front matter, render its Markdown.

use std::collections::HashMap;
use std::path::PathBuf;

use super::discover::SourceFile;
use super::frontmatter::{self, FrontMatter};
use super::model::*;
use super::paths::split_prefix;
use super::qa::render_qa;
use super::rewrite::SiteLinks;
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, ids::IdAllocator, line_col, CodeNote, LinkRef, LocatedNote};
use crate::source_files::text;

#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    pub drafts: bool,
}

/// A page after rendering, with what link checking and the tree need.
#[derive(Clone)]
pub struct Loaded {
    pub page: Page,
    pub rel: String,
    pub front: FrontMatter,
    /// Links as written, with their line and column in the file.
    pub links: Vec<(LinkRef, usize, usize)>,
    /// `id` and `name` attributes of the page's raw HTML: link targets too.
    pub html_anchors: Vec<String>,
    /// Sort key among its siblings: weight or numeric prefix, then name.
    pub order: (i64, String),
    pub warnings: Vec<Diagnostic>,
    /// Unknown code languages and unreadable fence attributes, reported
    /// once for the whole build.
    pub code_notes: Vec<LocatedNote>,
}

impl Loaded {
    /// A copy of everything but the page (a stand-in of no content).
    pub fn without_page(&self) -> Loaded {
        Loaded {
            page: Page::empty(PathBuf::new(), String::new(), String::new()),
            rel: self.rel.clone(),
            front: self.front.clone(),
            links: self.links.clone(),
            html_anchors: self.html_anchors.clone(),
            order: self.order.clone(),
            warnings: self.warnings.clone(),
            code_notes: self.code_notes.clone(),
        }
    }
}

/// What a page needs to know of the rest of the site to render its links.
pub struct SiteIndex<'a> {
    /// The course root: the boundary of what a page may include.
    pub root: &'a std::path::Path,
    /// Source (relative to the pages folder) → URL of every page.
    pub url_of: &'a HashMap<&'a str, &'a str>,
    /// Source → URL of every other file.
    pub assets: &'a HashMap<&'a str, &'a str>,
}

/// Reads, checks and renders one page. Ok(None) for drafts left out.
pub fn load(
    s: &SourceFile,
    site: &SiteIndex,
    options: LoadOptions,
) -> Result<Option<Loaded>, Vec<Diagnostic>> {
    let file = &s.display;
    if s.book.as_ref().is_some_and(|b| b.missing) {
        // Listed in SUMMARY.md but not written yet (reported there).
        return Ok(Some(book_page(s, Vec::new())));
    }
    let text = text::read(&s.abs, file).map_err(|d| vec![d])?;
    let mut warnings = Vec::new();
    let mut head_title = None;
    let text = match &s.book {
        Some(_) => {
            let expanded = super::include::expand(&text, s, site.root, &mut warnings);
            head_title = expanded.title;
            expanded.text
        }
        None => text,
    };
    if text.trim().is_empty() {
        if s.book.is_some() {
            // mdBook builds an empty page; so does lectern, titled by SUMMARY.md.
            return Ok(Some(book_page(s, warnings)));
        }
        return Err(vec![Diagnostic::error(file, 1, 1, "the file is empty").with_hint("add front matter with a title (---\\ntitle: …\\n---) and some text, or delete the file")]);
    }
    let split = frontmatter::split(&text, file);
    let (split, front, spans) = match (split, &s.book) {
        (Ok(split), _) => match split.front_matter.map(|fm| frontmatter::parse(fm, file)) {
            None => (split, FrontMatter::default(), Default::default()),
            Some(Ok((front, spans))) => (split, front, spans),
            // An mdBook page that starts with a `---` rule is not front
            // matter to mdBook: the whole file is the page's text.
            Some(Err(_)) if s.book.is_some() => {
                (unsplit(&text), FrontMatter::default(), Default::default())
            }
            Some(Err(d)) => return Err(vec![d]),
        },
        (Err(_), Some(_)) => (unsplit(&text), FrontMatter::default(), Default::default()),
        (Err(d), None) => return Err(vec![d]),
    };
    if front.draft && !options.drafts {
        return Ok(None);
    }
    let kind = front.kind.unwrap_or_default();
    let mut errors = warnings;
    if kind != PageKind::Case && !front.questions.is_empty() {
        let pos = spans.at("questions");
        errors.push(
            Diagnostic::error(
                file,
                pos.line,
                pos.column,
                "`questions` is only for case pages",
            )
            .with_hint("add `kind: case`, or remove `questions`"),
        );
    }
    let is_index = s.rel.ends_with("index.md");
    if !is_index && s.book.is_none() && (front.hours.is_some() || front.objectives.is_some()) {
        let pos = spans.at(if front.hours.is_some() {
            "hours"
        } else {
            "objectives"
        });
        errors.push(
            Diagnostic::error(
                file,
                pos.line,
                pos.column,
                "`hours` and `objectives` belong in a chapter's index.md",
            )
            .with_hint("move them to the chapter overview"),
        );
    }

    let rewriter = SiteLinks {
        from: &s.rel,
        from_url: &s.url,
        url_of: site.url_of,
        assets: site.assets,
    };
    let mut ids = match s.book {
        Some(_) => IdAllocator::mdbook(),
        None => IdAllocator::default(),
    };
    let body = split.body;
    let mut parts = match kind {
        PageKind::Qa => render_qa(body, &rewriter, &mut ids),
        _ => markdown::render_with_ids(body, &rewriter, &mut ids).into(),
    };
    let code_notes = std::mem::take(&mut parts.code_notes)
        .into_iter()
        .map(|(n, base): (CodeNote, usize)| {
            let (line, column) = line_col(body, base + n.offset);
            LocatedNote {
                file: file.clone(),
                line: line + split.body_line_offset,
                column,
                kind: n.kind,
            }
        })
        .collect();
    let links = parts
        .links
        .into_iter()
        .map(|(l, base): (LinkRef, usize)| {
            let (line, col) = line_col(body, base + l.offset);
            (l, line + split.body_line_offset, col)
        })
        .collect();

    // An mdBook page is titled by its SUMMARY.md entry and keeps its own
    // `# heading`; a lectern page by its front matter, else its first
    // `# heading`, which the template then shows in its place.
    let book_title = s.book.as_ref().map(|b| b.title.clone());
    let title_from_h1 = front.title.is_none() && book_title.is_none();
    let title = match front
        .title
        .clone()
        .or(book_title)
        .filter(|t| !t.trim().is_empty())
        .or(parts.first_h1)
    {
        Some(t) => t,
        None => {
            errors.push(
                Diagnostic::error(file, 1, 1, "the page has no title").with_hint("add `title: …` to the front matter (between `---` lines at the top), or start the text with a `# heading`"),
            );
            String::new()
        }
    };
    let html = if title_from_h1 {
        parts.html.without_first_h1()
    } else {
        parts.html
    };
    // Case questions live in front matter, which is never trusted with raw
    // HTML (docs/security.md): they are rendered like quiz text, with raw
    // HTML shown as text and script links dropped, not like the page body.
    let case_questions = front
        .questions
        .iter()
        .map(|q| CaseQuestion {
            prompt_html: markdown::untrusted::to_inline_html(&q.prompt),
            points_html: q
                .points
                .iter()
                .map(|p| markdown::untrusted::to_inline_html(p))
                .collect(),
            prompt_text: markdown::untrusted::plain_text(&q.prompt),
            points_text: q
                .points
                .iter()
                .map(|p| markdown::untrusted::plain_text(p))
                .collect(),
        })
        .collect::<Vec<_>>();
    if kind == PageKind::Case && case_questions.is_empty() {
        errors.push(
            Diagnostic::warning(file, 1, 1, "this case page has no questions").with_hint(
                "add `questions:` with `prompt` and `points` (答题要点) to the front matter",
            ),
        );
    }
    if errors.iter().any(Diagnostic::is_error) {
        return Err(errors);
    }
    let file_name = s.rel.rsplit('/').next().unwrap_or("");
    let (prefix, _) = split_prefix(file_name.trim_end_matches(".md"));
    let order = (
        front.weight.or(prefix).unwrap_or(i64::MAX),
        file_name.to_string(),
    );
    let mut page = Page::empty(s.display.clone(), s.url.clone(), title);
    page.kind = kind;
    page.summary = front.summary.clone();
    page.tags = front.tags.clone();
    page.weight = order.0;
    page.draft = front.draft;
    page.html = html;
    page.headings = parts.headings;
    page.sections = parts.sections;
    page.case_questions = case_questions;
    page.qa = parts.qa;
    page.number = s.book.as_ref().and_then(|b| b.number.clone());
    page.title_in_body = s.book.is_some();
    page.head_title = head_title;
    Ok(Some(Loaded {
        page,
        rel: s.rel.clone(),
        front,
        links,
        html_anchors: parts.html_anchors,
        order,
        warnings: errors,
        code_notes,
    }))
}

fn unsplit(text: &str) -> frontmatter::Split<'_> {
    frontmatter::Split {
        front_matter: None,
        body: text,
        body_line_offset: 0,
    }
}

/// An mdBook page with no text.
fn book_page(s: &SourceFile, warnings: Vec<Diagnostic>) -> Loaded {
    let entry = s.book.clone().unwrap_or_default();
    let mut page = Page::empty(s.display.clone(), s.url.clone(), entry.title);
    page.number = entry.number;
    page.title_in_body = false;
    Loaded {
        page,
        rel: s.rel.clone(),
        front: FrontMatter::default(),
        links: Vec::new(),
        html_anchors: Vec::new(),
        order: (i64::MAX, s.rel.clone()),
        warnings,
        code_notes: Vec::new(),
    }
}
