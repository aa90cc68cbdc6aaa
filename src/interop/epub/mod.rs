//! `lectern export -f epub`: the whole course as an EPUB 3 book for
//! e-readers and phones.
//!
//! The book follows the site's reading order: the home page, then each
//! chapter's overview (with its objectives) and its pages, sections of any
//! depth in the navigation tree the site's sidebar shows (`render::nav`).
//! A case keeps its narrative and its questions; a Q&A page keeps its
//! questions, and their answers — with the case questions' scoring points —
//! go to an appendix at the end, each linked both ways. Code stays
//! highlighted through a class stylesheet (syntect's light palette: a
//! reader's night mode does the rest), and images the pages show are in the
//! book. No font is named: the reader's own (Chinese) fonts are used.
//!
//! Pages keep their site paths (`chapter/page.html`), so links between
//! pages work unchanged; links to what the book does not hold (quiz pages,
//! the search page, files that are not pages) are kept as their text and
//! reported.

mod package;
pub mod xhtml;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Course, Exported};
use crate::content::paths::root_prefix;
use crate::content::{Chapter, Page, PageKind};
use crate::diagnostic::Diagnostic;
use crate::render::nav::{Nav, NavPage};
use package::{document_head, Item, Metadata, NavEntry};
use xhtml::{escape, Fixed, Holdings, Place};

/// The appendix of answers (`.xhtml`: no page of the site ends so).
const ANSWERS: &str = "answers.xhtml";
const NAV: &str = "nav.xhtml";
const STYLESHEET: &str = "style.css";

/// The book's own layout: readable type on any screen, nothing more.
const BOOK_CSS: &str = "/* lectern's EPUB stylesheet; fonts are the reader's. */
body { line-height: 1.6; }
h1, h2, h3, h4 { line-height: 1.3; }
pre { white-space: pre-wrap; word-wrap: break-word; font-family: monospace; font-size: 0.85em; padding: 0.5em; border: 1px solid #ddd; }
code { font-family: monospace; }
table { border-collapse: collapse; }
th, td { border: 1px solid #999; padding: 0.2em 0.5em; }
blockquote { margin-left: 1em; padding-left: 0.8em; border-left: 3px solid #ccc; }
img { max-width: 100%; }
.missing-image { font-style: italic; }
.to-answer, .back { font-size: 0.9em; }
.subtitle { font-size: 1.2em; }
.heading-anchor { display: none; }
";

/// The EPUB of `course`: its bytes in `Exported::bytes`, the number of
/// reading documents in `items`, and what the book could not hold in
/// `warnings`.
pub fn export(course: &Course) -> Result<Exported, Diagnostic> {
    let site = &course.site;
    let strings = ui_strings(course)?;
    let t = |key: &str| strings.get(key).cloned().unwrap_or_default();
    let language = site.config.language.code();

    // Reading order: the home page, each chapter's overview and pages.
    let mut pages: Vec<(&Page, Option<&Chapter>)> = vec![(&site.home, None)];
    for c in &site.chapters {
        pages.push((&c.index, Some(c)));
        pages.extend(
            c.pages
                .iter()
                .filter(|p| !p.placeholder)
                .map(|p| (p, Some(c))),
        );
    }
    let mut documents: BTreeMap<String, String> = pages
        .iter()
        .map(|(p, _)| (p.url.clone(), book_path(&p.url)))
        .collect();
    let answers = Answers::collect(site);
    if !answers.is_empty() {
        documents.insert(ANSWERS.to_string(), ANSWERS.to_string());
    }
    let images: BTreeSet<String> = site
        .assets
        .iter()
        .filter(|a| image_type(&a.url).is_some())
        .map(|a| a.url.clone())
        .collect();
    let holds = Holdings {
        documents: &documents,
        images: &images,
    };

    let mut warnings = Vec::new();
    let mut items = Vec::new();
    let mut used_images = BTreeSet::new();
    for (n, (page, chapter)) in pages.iter().enumerate() {
        let body = page_body(course, page, *chapter, &answers, &t);
        let book = book_path(&page.url);
        let place = Place {
            site: &page.url,
            book: &book,
        };
        let fixed = xhtml::fix(&body, place, &holds);
        let css = format!("{}{STYLESHEET}", root_prefix(&page.url));
        let mut text = format!(
            "{}<body>\n{}\n</body>\n</html>\n",
            document_head(language, &page.title, &css),
            fixed.html
        );
        if let Err(e) = xhtml::well_formed(&text) {
            warnings.push(Diagnostic::warning(
                &page.source,
                0,
                0,
                format!("its HTML is not well-formed XHTML ({e}); the EPUB holds its text only"),
            ).with_hint("close every tag of the raw HTML in this page (`<br/>`, `</p>`) and write characters rather than HTML entity names"));
            text = format!(
                "{}<body>\n{}\n</body>\n</html>\n",
                document_head(language, &page.title, &css),
                plain_body(page)
            );
        }
        report(&page.source, &fixed, &mut warnings);
        used_images.extend(fixed.images_used);
        items.push(Item {
            path: book,
            media_type: "application/xhtml+xml",
            bytes: text.into_bytes(),
            spine: Some(n),
            properties: None,
        });
    }
    if !answers.is_empty() {
        let body = answers.appendix(
            &t("epub_answers"),
            &t("epub_back"),
            &holds,
            &mut |source, fixed| {
                used_images.extend(fixed.images_used.iter().cloned());
                report(source, fixed, &mut warnings);
            },
        );
        items.push(Item {
            path: ANSWERS.to_string(),
            media_type: "application/xhtml+xml",
            bytes: format!(
                "{}<body>\n{body}</body>\n</html>\n",
                document_head(language, &t("epub_answers"), STYLESHEET)
            )
            .into_bytes(),
            spine: Some(pages.len()),
            properties: None,
        });
    }
    for asset in site.assets.iter().filter(|a| used_images.contains(&a.url)) {
        let bytes = std::fs::read(&asset.source).map_err(|e| {
            Diagnostic::error(&asset.source, 0, 0, format!("cannot read the image: {e}"))
        })?;
        items.push(Item {
            path: asset.url.clone(),
            media_type: image_type(&asset.url).unwrap_or("image/png"),
            bytes,
            spine: None,
            properties: None,
        });
    }
    let mut css = String::from(BOOK_CSS);
    css.push_str(&crate::markdown::highlight::light_stylesheet());
    items.push(Item {
        path: STYLESHEET.to_string(),
        media_type: "text/css",
        bytes: css.into_bytes(),
        spine: None,
        properties: None,
    });
    let meta = Metadata {
        title: &site.config.title,
        language,
        author: site.config.author.as_deref(),
        description: site.config.description.as_deref(),
    };
    let mut toc = vec![NavEntry {
        title: site.config.title.clone(),
        href: Some(xhtml::href(&book_path(&site.home.url))),
        children: Vec::new(),
    }];
    toc.extend(nav_entries(course));
    if !answers.is_empty() {
        toc.push(NavEntry {
            title: t("epub_answers"),
            href: Some(ANSWERS.to_string()),
            children: Vec::new(),
        });
    }
    items.push(Item {
        path: NAV.to_string(),
        media_type: "application/xhtml+xml",
        bytes: package::nav_document(&meta, &t("site_nav"), &toc).into_bytes(),
        spine: None,
        properties: Some("nav"),
    });
    let count = pages.len() + usize::from(!answers.is_empty());
    let bytes = package::zip(&meta, items).map_err(|e| {
        Diagnostic::error(&site.root, 0, 0, format!("cannot assemble the EPUB: {e}"))
    })?;
    Ok(Exported {
        text: String::new(),
        bytes: Some(bytes),
        items: count,
        warnings,
    })
}

/// A page's path in the book: its site path with the extension EPUB
/// readers expect of XHTML.
fn book_path(url: &str) -> String {
    match url.strip_suffix(".html") {
        Some(stem) => format!("{stem}.xhtml"),
        None => url.to_string(),
    }
}

/// What fixing a page's HTML left out, as warnings naming its source.
fn report(source: &std::path::Path, fixed: &Fixed, warnings: &mut Vec<Diagnostic>) {
    if !fixed.unlinked.is_empty() {
        warnings.push(Diagnostic::warning(
            source,
            0,
            0,
            format!(
                "the EPUB does not hold what {} link(s) point to ({}); they are kept as text",
                fixed.unlinked.len(),
                fixed.unlinked.join(", ")
            ),
        ));
    }
    if !fixed.dropped_images.is_empty() {
        warnings.push(Diagnostic::warning(
            source,
            0,
            0,
            format!(
                "the EPUB cannot show image(s) {} (not a PNG, JPEG, GIF or SVG file of the course); their alt text is shown",
                fixed.dropped_images.join(", ")
            ),
        ));
    }
}

/// The theme's UI strings in the course's language.
fn ui_strings(course: &Course) -> Result<BTreeMap<String, String>, Diagnostic> {
    let site = &course.site;
    let theme = crate::render::theme::Theme::load(
        &site.root,
        &site.config.layout.themes,
        &site.config.theme,
    )?;
    crate::render::i18n::strings(&theme, site.config.language).map_err(|mut ds| ds.remove(0))
}

/// The media type of an image EPUB readers must show; None for others.
fn image_type(path: &str) -> Option<&'static str> {
    let ext = path.rsplit('.').next()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        _ => return None,
    })
}

/// One page's body: title, objectives (a chapter's overview), text, and a
/// case's or a Q&A page's questions with links to their answers.
fn page_body(
    course: &Course,
    page: &Page,
    chapter: Option<&Chapter>,
    answers: &Answers,
    t: &dyn Fn(&str) -> String,
) -> String {
    let mut out = String::new();
    let is_home = chapter.is_none();
    if !page.title_in_body {
        out.push_str(&format!("<h1>{}</h1>\n", escape(&page.title)));
    }
    if is_home {
        if let Some(sub) = &course.site.config.subtitle {
            out.push_str(&format!("<p class=\"subtitle\">{}</p>\n", escape(sub)));
        }
    }
    if let Some(c) = chapter.filter(|c| std::ptr::eq(&c.index, page)) {
        for (label, list) in [
            ("knowledge_objectives", &c.objectives.knowledge),
            ("skill_objectives", &c.objectives.skills),
        ] {
            if list.is_empty() {
                continue;
            }
            out.push_str(&format!("<h2>{}</h2>\n<ul>\n", escape(&t(label))));
            for o in list {
                out.push_str(&format!("<li>{}</li>\n", escape(o)));
            }
            out.push_str("</ul>\n");
        }
    }
    out.push_str(&page.html.to_html());
    let to_answers = format!("{}{ANSWERS}", root_prefix(&page.url));
    match page.kind {
        PageKind::Case if !page.case_questions.is_empty() => {
            out.push_str(&format!(
                "<h2 id=\"case-questions\">{}</h2>\n<ol>\n",
                escape(&t("case_questions"))
            ));
            for (i, q) in page.case_questions.iter().enumerate() {
                out.push_str(&format!(
                    "<li id=\"question-{}\"><p>{}</p>",
                    i + 1,
                    q.prompt_html
                ));
                if let Some(anchor) = answers.anchor(&page.url, i) {
                    out.push_str(&format!(
                        "<p class=\"to-answer\"><a href=\"{to_answers}#{anchor}\">{}</a></p>",
                        escape(&t("scoring_points"))
                    ));
                }
                out.push_str("</li>\n");
            }
            out.push_str("</ol>\n");
        }
        PageKind::Qa => {
            for (i, q) in page.qa.iter().enumerate() {
                out.push_str(&format!(
                    "<h2 id=\"{}\">{}</h2>\n",
                    escape(&q.id),
                    escape(&q.question)
                ));
                if let Some(anchor) = answers.anchor(&page.url, i) {
                    out.push_str(&format!(
                        "<p class=\"to-answer\"><a href=\"{to_answers}#{anchor}\">{}</a></p>\n",
                        escape(&t("epub_to_answer"))
                    ));
                }
            }
        }
        _ => {}
    }
    out
}

/// A page whose HTML is not well-formed: its headings and text.
fn plain_body(page: &Page) -> String {
    let mut out = format!("<h1>{}</h1>\n", escape(&page.title));
    for s in &page.sections {
        if !s.heading.is_empty() {
            out.push_str(&format!("<h2>{}</h2>\n", escape(&s.heading)));
        }
        for para in s.text.split("\n\n").filter(|p| !p.trim().is_empty()) {
            out.push_str(&format!("<p>{}</p>\n", escape(para.trim())));
        }
    }
    out
}

/// An answer of the appendix: the question's anchor on its page, the
/// question as HTML, the answer as HTML.
type Entry = (String, String, String);

/// The answers of every Q&A page and the scoring points of every case
/// question, in reading order, each with its anchor in the appendix.
struct Answers<'a> {
    /// Each page with its entries.
    pages: Vec<(&'a Page, Vec<Entry>)>,
    /// (page URL, question index) → anchor in the appendix.
    anchors: HashMap<(String, usize), String>,
}

impl<'a> Answers<'a> {
    fn collect(site: &'a crate::content::Site) -> Answers<'a> {
        let mut pages = Vec::new();
        let mut anchors = HashMap::new();
        let mut n = 0;
        for p in site.chapters.iter().flat_map(|c| c.pages.iter()) {
            let entries: Vec<Entry> = match p.kind {
                PageKind::Qa => {
                    p.qa.iter()
                        .map(|q| (q.id.clone(), escape(&q.question), q.answer_html.clone()))
                        .collect()
                }
                PageKind::Case => p
                    .case_questions
                    .iter()
                    .enumerate()
                    .filter(|(_, q)| !q.points_html.is_empty())
                    .map(|(i, q)| {
                        let points: String = q
                            .points_html
                            .iter()
                            .map(|pt| format!("<li>{pt}</li>"))
                            .collect();
                        (
                            format!("question-{}", i + 1),
                            q.prompt_html.clone(),
                            format!("<ol>{points}</ol>"),
                        )
                    })
                    .collect(),
                PageKind::Page => Vec::new(),
            };
            if entries.is_empty() {
                continue;
            }
            for (i, (anchor, _, _)) in entries.iter().enumerate() {
                n += 1;
                let index = match p.kind {
                    PageKind::Case => anchor
                        .trim_start_matches("question-")
                        .parse::<usize>()
                        .map(|k| k - 1)
                        .unwrap_or(i),
                    _ => i,
                };
                anchors.insert((p.url.clone(), index), format!("answer-{n}"));
            }
            pages.push((p, entries));
        }
        Answers { pages, anchors }
    }

    fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    fn anchor(&self, url: &str, index: usize) -> Option<&str> {
        self.anchors
            .get(&(url.to_string(), index))
            .map(String::as_str)
    }

    /// The appendix: each page's answers under its title, each linked
    /// back to its question. `fixed` hears of each answer's fixes.
    fn appendix(
        &self,
        title: &str,
        back: &str,
        holds: &Holdings,
        fixed: &mut dyn FnMut(&std::path::Path, &Fixed),
    ) -> String {
        let mut out = format!("<h1>{}</h1>\n", escape(title));
        for (page, entries) in &self.pages {
            out.push_str(&format!("<h2>{}</h2>\n", escape(&page.title)));
            let place = Place {
                site: &page.url,
                book: ANSWERS,
            };
            let page_book = xhtml::href(&book_path(&page.url));
            for (i, (anchor, question, answer)) in entries.iter().enumerate() {
                let index = match anchor.strip_prefix("question-") {
                    Some(n) => n.parse::<usize>().map(|k| k - 1).unwrap_or(i),
                    None => i,
                };
                let id = self.anchor(&page.url, index).unwrap_or_default();
                let html = xhtml::fix(&format!("<h3>{question}</h3>\n{answer}"), place, holds);
                fixed(&page.source, &html);
                out.push_str(&format!(
                    "<section id=\"{id}\">\n{}\n<p class=\"back\"><a href=\"{page_book}#{}\">{}</a></p>\n</section>\n",
                    html.html,
                    escape(anchor),
                    escape(back)
                ));
            }
        }
        out
    }
}

/// The table of contents: each chapter with its pages as the site's
/// navigation nests them.
fn nav_entries(course: &Course) -> Vec<NavEntry> {
    fn page(p: &NavPage) -> Option<NavEntry> {
        let children: Vec<NavEntry> = p.children.iter().filter_map(page).collect();
        if p.url.is_empty() && children.is_empty() {
            return None;
        }
        let title = match &p.number {
            Some(n) => format!("{n} {}", p.title),
            None => p.title.clone(),
        };
        Some(NavEntry {
            title,
            href: (!p.url.is_empty()).then(|| xhtml::href(&book_path(&p.url))),
            children,
        })
    }
    let nav = Nav::new(&course.site, &HashMap::new(), Vec::new());
    nav.chapters
        .iter()
        .map(|c| NavEntry {
            title: match &c.label {
                Some(l) => format!("{l} {}", c.title),
                None => c.title.clone(),
            },
            href: Some(xhtml::href(&book_path(&c.url))),
            children: c.pages.iter().filter_map(page).collect(),
        })
        .collect()
}
