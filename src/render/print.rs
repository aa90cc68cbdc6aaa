//! Print pages: the whole course on one page (`print.html`) and one page per
//! chapter (`print/<chapter>.html`), in reading order, with a cover and a
//! table of contents. Each page's HTML is taken as rendered, its ids made
//! unique in the document (prefixed with the page's anchor) and its links
//! rewritten: to a page in the document they become links inside it, to
//! anything else they are made relative to the print page's folder.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::{OutputFile, Renderer};
use crate::content::{Page, PageKind, Site};
use crate::diagnostic::Diagnostic;
use crate::generated::{PRINT_DIR, PRINT_PAGE};
use crate::markdown::code_cache::CodeStore;

/// The print page of a chapter.
pub fn chapter_url(slug: &str) -> String {
    format!("{PRINT_DIR}/{slug}.html")
}

#[derive(Serialize)]
struct PrintPage {
    anchor: String,
    title: String,
    kind: &'static str,
    depth: usize,
    number: Option<String>,
    html: String,
    case_questions: Vec<PrintCaseQuestion>,
    qa: Vec<PrintQa>,
}

#[derive(Serialize)]
struct PrintCaseQuestion {
    prompt_html: String,
    points_html: Vec<String>,
}

#[derive(Serialize)]
struct PrintQa {
    id: String,
    question: String,
    answer_html: String,
}

#[derive(Serialize)]
struct PrintChapter {
    anchor: String,
    title: String,
    label: Option<String>,
    /// The overview first, then the pages.
    pages: Vec<PrintPage>,
}

/// The anchor of the page at `url` in a print document.
fn anchor_of(url: &str) -> String {
    let mut out = String::from("p-");
    for ch in url.trim_end_matches(".html").chars() {
        out.push(if ch.is_alphanumeric() || ch == '-' || ch == '_' {
            ch
        } else {
            '-'
        });
    }
    out
}

/// Resolves `link` (relative to the page at `from`) to a path from the site
/// root, or None for a link that is not relative (a scheme, `/`, `//`).
fn resolve(from: &str, link: &str) -> Option<String> {
    if link.starts_with('/')
        || link
            .split(['/', '?', '#'])
            .next()
            .is_some_and(|s| s.contains(':'))
    {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// How links and ids of one page are rewritten into a print document.
pub(super) struct Rewrite<'a> {
    /// The page's URL (what its relative links start from).
    pub page_url: &'a str,
    /// The page's anchor, prefixed to its ids (none: ids are kept, and a
    /// link to one leads back to the page).
    pub anchor: &'a str,
    /// `../` for every folder the print page sits in.
    pub doc_root: &'a str,
    /// Page URL → its anchor, for the pages in the document.
    pub in_doc: &'a HashMap<String, String>,
}

impl Rewrite<'_> {
    fn link(&self, value: &str) -> String {
        if let Some(frag) = value.strip_prefix('#') {
            if self.anchor.is_empty() {
                // Out of its page (the drill): back to the page itself.
                return format!("{}{}#{frag}", self.doc_root, self.page_url);
            }
            return format!("#{}--{frag}", self.anchor);
        }
        let (path, frag) = match value.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (value, None),
        };
        let Some(target) = resolve(self.page_url, path) else {
            return value.to_string();
        };
        match (self.in_doc.get(&target), frag) {
            (Some(a), Some(f)) => format!("#{a}--{f}"),
            (Some(a), None) => format!("#{a}"),
            (None, Some(f)) => format!("{}{target}#{f}", self.doc_root),
            (None, None) => format!("{}{target}", self.doc_root),
        }
    }

    /// Rewrites every `href`, `src` and `id` attribute of `html` (HTML that
    /// lectern rendered: attribute values are quoted with `"` and escaped).
    pub(super) fn html(&self, html: &str) -> String {
        let mut out = String::with_capacity(html.len() + html.len() / 16);
        let mut rest = html;
        loop {
            let next = [" href=\"", " src=\"", " id=\""]
                .iter()
                .filter_map(|a| rest.find(a).map(|at| (at, *a)))
                .min();
            let Some((at, attr)) = next else { break };
            let start = at + attr.len();
            let Some(len) = rest[start..].find('"') else {
                break;
            };
            out.push_str(&rest[..start]);
            let raw = unescape(&rest[start..start + len]);
            let new = match attr {
                " id=\"" if self.anchor.is_empty() => raw,
                " id=\"" => format!("{}--{raw}", self.anchor),
                _ => self.link(&raw),
            };
            out.push_str(&tera::escape_html(&new));
            rest = &rest[start + len..];
        }
        out.push_str(rest);
        out
    }
}

/// The HTML entities tera's escaper and pulldown-cmark write in attributes.
fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn print_page(page: &Page, depth: usize, rw: &Rewrite, code: &dyn CodeStore) -> PrintPage {
    PrintPage {
        anchor: rw.anchor.to_string(),
        title: page.title.clone(),
        kind: match page.kind {
            PageKind::Page => "page",
            PageKind::Case => "case",
            PageKind::Qa => "qa",
        },
        depth,
        number: page.number.clone(),
        html: rw.html(&page.html.to_html_with(code)),
        case_questions: page
            .case_questions
            .iter()
            .map(|q| PrintCaseQuestion {
                prompt_html: rw.html(&q.prompt_html),
                points_html: q.points_html.iter().map(|p| rw.html(p)).collect(),
            })
            .collect(),
        qa: page
            .qa
            .iter()
            .map(|q| PrintQa {
                id: format!("{}--{}", rw.anchor, q.id),
                question: q.question.clone(),
                answer_html: rw.html(&q.answer_html),
            })
            .collect(),
    }
}

/// The chapters in a print document: their overview and pages, in order.
fn chapters(
    site: &Site,
    renderer: &Renderer,
    only: Option<&str>,
    doc_root: &str,
    code: &dyn CodeStore,
) -> Vec<PrintChapter> {
    let chosen: Vec<_> = site
        .chapters
        .iter()
        .filter(|c| only.is_none_or(|s| s == c.slug))
        .collect();
    let mut in_doc = HashMap::new();
    for c in &chosen {
        for p in std::iter::once(&c.index).chain(&c.pages) {
            if !p.placeholder {
                in_doc.insert(p.url.clone(), anchor_of(&p.url));
            }
        }
    }
    chosen
        .iter()
        .map(|c| {
            let nav = renderer.nav().chapter(&c.slug);
            let pages = std::iter::once((&c.index, 0))
                .chain(c.pages.iter().map(|p| (p, p.depth + 1)))
                .filter(|(p, _)| !p.placeholder)
                .map(|(p, depth)| {
                    let anchor = anchor_of(&p.url);
                    let rw = Rewrite {
                        page_url: &p.url,
                        anchor: &anchor,
                        doc_root,
                        in_doc: &in_doc,
                    };
                    print_page(p, depth, &rw, code)
                })
                .collect();
            PrintChapter {
                anchor: anchor_of(&c.index.url),
                title: c.title().to_string(),
                label: nav.and_then(|n| n.label.clone()),
                pages,
            }
        })
        .collect()
}

/// print.html and every chapter's print page, their code highlighted
/// through `code` (the pages' own render has just highlighted it: without
/// the store every block was highlighted three times).
pub fn render_all(
    site: &Site,
    renderer: &Renderer,
    code: &dyn CodeStore,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let docs: Vec<(String, Option<&str>)> = std::iter::once((PRINT_PAGE.to_string(), None))
        .chain(
            site.chapters
                .iter()
                .map(|c| (chapter_url(&c.slug), Some(c.slug.as_str()))),
        )
        .collect();
    docs.par_iter()
        .map(|(url, only)| {
            let mut ctx = renderer.context(url);
            let root = crate::content::paths::root_prefix(url);
            ctx.insert("chapters", &chapters(site, renderer, *only, &root, code));
            ctx.insert("whole_course", &only.is_none());
            let html = renderer.render("print.html", &ctx)?;
            Ok(OutputFile::new(url.clone(), html))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_between_pages_become_anchors() {
        let in_doc: HashMap<String, String> = [
            ("a/x.html".to_string(), "p-a-x".to_string()),
            ("b/y.html".to_string(), "p-b-y".to_string()),
        ]
        .into();
        let rw = Rewrite {
            page_url: "a/x.html",
            anchor: "p-a-x",
            doc_root: "../",
            in_doc: &in_doc,
        };
        let html = "<h2 id=\"intro\">I</h2><a href=\"../b/y.html#part\">Y</a> <a href=\"#intro\">me</a> <img src=\"images/p.png\"> <a href=\"https://e.com/x\">e</a> <a href=\"../quizzes/b.html\">q</a>";
        let out = rw.html(html);
        assert!(out.contains("id=\"p-a-x--intro\""), "{out}");
        assert!(out.contains("href=\"#p-b-y--part\""), "{out}");
        assert!(out.contains("href=\"#p-a-x--intro\""), "{out}");
        assert!(
            out.contains("src=\"..&#x2F;a&#x2F;images&#x2F;p.png\""),
            "{out}"
        );
        assert!(
            out.contains("href=\"https:&#x2F;&#x2F;e.com&#x2F;x\""),
            "{out}"
        );
        assert!(
            out.contains("href=\"..&#x2F;quizzes&#x2F;b.html\""),
            "{out}"
        );
    }

    #[test]
    fn resolving() {
        assert_eq!(resolve("a/b.html", "../c.html").as_deref(), Some("c.html"));
        assert_eq!(resolve("b.html", "../c.html"), None);
        assert_eq!(resolve("a/b.html", "mailto:x@y"), None);
        assert_eq!(anchor_of("服务/类型.html"), "p-服务-类型");
    }
}
