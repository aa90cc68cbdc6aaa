//! Print pages: the whole course on one page (`print.html`) and one page per
//! chapter (`print/<chapter>.html`), in reading order, with a cover and a
//! table of contents. Each page's HTML is taken as rendered, its ids made
//! unique in the document (prefixed with the page's anchor) and its links
//! rewritten: to a page in the document they become links inside it, to
//! anything else they are made relative to the print page's folder.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::print_memo::{self, PrintMemo};
use super::PageSink;
use super::{FileSink, OutputFile, Renderer};
use crate::content::{Page, PageKind, Site};
use crate::diagnostic::Diagnostic;
use crate::generated::{PRINT_DIR, PRINT_PAGE};
use crate::markdown::code_cache::{self, CodeKey, CodeStore};

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

/// A page's part of a print document; `html` is its HTML as placed there.
fn print_page(page: &Page, depth: usize, rw: &Rewrite, html: String) -> PrintPage {
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
        html,
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

/// Gives a page's HTML as a print document places it (rewritten by `Rewrite`).
type PageHtml<'a> = dyn FnMut(&Page, &Rewrite) -> String + 'a;

/// The pages of a print document: URL → anchor.
fn in_document(site: &Site, only: Option<&str>) -> HashMap<String, String> {
    let mut in_doc = HashMap::new();
    for c in site
        .chapters
        .iter()
        .filter(|c| only.is_none_or(|s| s == c.slug))
    {
        for p in std::iter::once(&c.index).chain(&c.pages) {
            if !p.placeholder {
                in_doc.insert(p.url.clone(), anchor_of(&p.url));
            }
        }
    }
    in_doc
}

/// The pages of a print document in the order it shows them.
fn in_order<'a>(site: &'a Site, only: Option<&'a str>) -> impl Iterator<Item = &'a Page> {
    site.chapters
        .iter()
        .filter(move |c| only.is_none_or(|s| s == c.slug))
        .flat_map(|c| std::iter::once(&c.index).chain(&c.pages))
        .filter(|p| !p.placeholder)
}

/// The chapters in a print document: their overview and pages, in order.
fn chapters(
    site: &Site,
    renderer: &Renderer,
    only: Option<&str>,
    doc_root: &str,
    in_doc: &HashMap<String, String>,
    html: &mut PageHtml,
) -> Vec<PrintChapter> {
    site.chapters
        .iter()
        .filter(|c| only.is_none_or(|s| s == c.slug))
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
                        in_doc,
                    };
                    let h = html(p, &rw);
                    print_page(p, depth, &rw, h)
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

/// The print pages made by `render_all`, and those kept as they are.
#[derive(Debug, Default)]
pub struct PrintPages {
    pub files: Vec<OutputFile>,
    /// Documents whose every input is what it was in the render the memo
    /// remembers: their bytes are unchanged.
    pub kept: Vec<String>,
    /// Documents written to the staging folder as they were made (a build).
    pub written: Vec<String>,
}

/// The print documents of `site`: print.html, then each chapter's.
pub fn document_urls(site: &Site) -> Vec<String> {
    std::iter::once(PRINT_PAGE.to_string())
        .chain(site.chapters.iter().map(|c| chapter_url(&c.slug)))
        .collect()
}

/// print.html and every chapter's print page, their code highlighted
/// through `code` (the pages' own render has just highlighted it: without
/// the store every block was highlighted three times). With a memo (and
/// the fingerprint of the renderer's theme and settings: the built-in
/// print.html shows no navigation; see `PrintMemo`), only what changed
/// since the memo's render is made again.
pub fn render_all(
    site: &Site,
    renderer: &Renderer,
    code: &dyn CodeStore,
    sink: PageSink,
    memo: Option<(&mut PrintMemo, u64)>,
) -> Result<PrintPages, Diagnostic> {
    let docs: Vec<(String, Option<&str>)> = std::iter::once((PRINT_PAGE.to_string(), None))
        .chain(
            site.chapters
                .iter()
                .map(|c| (chapter_url(&c.slug), Some(c.slug.as_str()))),
        )
        .collect();
    if let PageSink::Stage(staging) = sink {
        // A build: each document written as it is made.
        docs.par_iter().try_for_each(|(url, only)| {
            write_streamed(site, renderer, code, url, *only, staging)
        })?;
        return Ok(PrintPages {
            written: docs.into_iter().map(|(url, _)| url).collect(),
            ..PrintPages::default()
        });
    }
    let memo = memo.filter(|_| renderer.is_builtin("templates/print.html"));
    let Some((memo, renderer_key)) = memo else {
        let files = docs
            .par_iter()
            .map(|(url, only)| render_whole(site, renderer, code, url, *only))
            .collect::<Result<_, _>>()?;
        return Ok(PrintPages {
            files,
            ..PrintPages::default()
        });
    };
    // Each page's HTML is hashed once for all the documents it is in.
    let html_keys: HashMap<&str, CodeKey> = site
        .chapters
        .par_iter()
        .flat_map_iter(|c| std::iter::once(&c.index).chain(&c.pages))
        .filter(|p| !p.placeholder)
        .map(|p| {
            // The page's HTML is a function of its load key, when it has one.
            let key = match p.load_key {
                0 => code_cache::content_key(|h| {
                    p.html.hash(&mut code_cache::HashWrite(h));
                }),
                key => key,
            };
            (p.url.as_str(), key)
        })
        .collect();
    let last: &PrintMemo = memo;
    let made: Vec<Result<Spliced, Diagnostic>> = docs
        .par_iter()
        .map(|(url, only)| {
            let doc = Document {
                site,
                renderer,
                code,
                url,
                only: *only,
            };
            doc.spliced(last, renderer_key, &html_keys)
        })
        .collect();
    let mut out = PrintPages::default();
    let mut next = PrintMemo::default();
    for m in made {
        let m = m?;
        next.documents.insert(m.key);
        next.fragments.extend(m.fragments);
        if let Some(s) = m.skeleton {
            next.skeletons.insert(s.0, s.1);
        }
        match m.file {
            Some(f) => out.files.push(f),
            None => out.kept.push(m.url),
        }
    }
    *memo = next;
    Ok(out)
}

/// One print document, rendered whole through tera.
fn render_whole(
    site: &Site,
    renderer: &Renderer,
    code: &dyn CodeStore,
    url: &str,
    only: Option<&str>,
) -> Result<OutputFile, Diagnostic> {
    let root = crate::content::paths::root_prefix(url);
    let in_doc = in_document(site, only);
    let mut html = |p: &Page, rw: &Rewrite| rw.html(&p.html.to_html_with(code));
    let chapters = chapters(site, renderer, only, &root, &in_doc, &mut html);
    render_document(renderer, url, only, &chapters).map(|html| OutputFile::new(url, html))
}

/// One print document written to `staging` piece by piece: its skeleton
/// (everything but the pages' HTML, with print_memo's markers in its
/// place) rendered through tera, then the pages' HTML made a batch at a
/// time and written in between. print.html is the whole course (244 MB at
/// 10,000 prose pages): made whole, it was in memory four times over (the
/// pages' HTML, tera's copy of the context, the rendered text, the file).
/// As with the memo, only the built-in print.html is known to place each
/// page's HTML once as it is; another template is rendered whole.
fn write_streamed(
    site: &Site,
    renderer: &Renderer,
    code: &dyn CodeStore,
    url: &str,
    only: Option<&str>,
    staging: &dyn FileSink,
) -> Result<(), Diagnostic> {
    let cannot_write = |e: std::io::Error| {
        Diagnostic::error(url, 0, 0, format!("cannot write {url}: {e}"))
            .with_hint("check that the output folder is writable and the disk not full")
    };
    let streamed = if renderer.is_builtin("templates/print.html") {
        let root = crate::content::paths::root_prefix(url);
        let in_doc = in_document(site, only);
        let pages: Vec<&Page> = in_order(site, only)
            .filter(|p| !p.html.is_empty())
            .collect();
        let mut placed = 0;
        let mut html = |p: &Page, _: &Rewrite| match p.html.is_empty() {
            true => String::new(),
            false => {
                placed += 1;
                print_memo::marker(placed - 1)
            }
        };
        let chapters = chapters(site, renderer, only, &root, &in_doc, &mut html);
        let skeleton = render_document(renderer, url, only, &chapters)?;
        drop(chapters);
        let fragment = |p: &&Page| {
            let anchor = anchor_of(&p.url);
            let rw = Rewrite {
                page_url: &p.url,
                anchor: &anchor,
                doc_root: &root,
                in_doc: &in_doc,
            };
            rw.html(&p.html.to_html_with(code))
        };
        print_memo::segments(&skeleton, pages.len())
            .filter(|_| placed == pages.len())
            .map(|pieces| {
                staging.write_streamed(url, &mut |out| {
                    print_memo::write_spliced(out, &pieces, &pages, fragment)
                })
            })
    } else {
        None
    };
    match streamed {
        Some(written) => written.map_err(cannot_write),
        None => {
            let file = render_whole(site, renderer, code, url, only)?;
            staging.write_file(&file).map_err(cannot_write)
        }
    }
}

fn render_document(
    renderer: &Renderer,
    url: &str,
    only: Option<&str>,
    chapters: &[PrintChapter],
) -> Result<String, Diagnostic> {
    let mut ctx = renderer.context(url);
    ctx.insert("chapters", chapters);
    ctx.insert("whole_course", &only.is_none());
    renderer.render("print.html", &ctx)
}

/// A print document to make with a memo.
struct Document<'a> {
    site: &'a Site,
    renderer: &'a Renderer,
    code: &'a dyn CodeStore,
    url: &'a str,
    only: Option<&'a str>,
}

/// What making one document with the memo gave.
struct Spliced {
    url: String,
    key: CodeKey,
    /// None: kept (unchanged since the memo's render).
    file: Option<OutputFile>,
    fragments: Vec<(CodeKey, Arc<String>)>,
    skeleton: Option<(CodeKey, Arc<String>)>,
}

impl Document<'_> {
    fn spliced(
        &self,
        last: &PrintMemo,
        renderer_key: u64,
        html_keys: &HashMap<&str, CodeKey>,
    ) -> Result<Spliced, Diagnostic> {
        let root = crate::content::paths::root_prefix(self.url);
        let in_doc = in_document(self.site, self.only);
        let doc_key = code_cache::content_key(|h| {
            let mut pages: Vec<(&String, &String)> = in_doc.iter().collect();
            pages.sort_unstable();
            pages.hash(&mut code_cache::HashWrite(h));
            root.hash(&mut code_cache::HashWrite(h));
        });
        let mut fragments: Vec<(CodeKey, Arc<String>)> = Vec::new();
        let mut html = |p: &Page, rw: &Rewrite| {
            let page_key = html_keys.get(p.url.as_str()).copied().unwrap_or_default();
            let key = code_cache::content_key(|h| {
                (page_key, doc_key, rw.page_url, rw.anchor).hash(&mut code_cache::HashWrite(h));
            });
            let fragment = match last.fragments.get(&key) {
                Some(f) => Arc::clone(f),
                None => Arc::new(rw.html(&p.html.to_html_with(self.code))),
            };
            if fragment.is_empty() {
                return String::new();
            }
            fragments.push((key, fragment));
            print_memo::marker(fragments.len() - 1)
        };
        let chapters = chapters(
            self.site,
            self.renderer,
            self.only,
            &root,
            &in_doc,
            &mut html,
        );
        let skeleton_key = code_cache::content_key(|h| {
            renderer_key.hash(&mut code_cache::HashWrite(h));
            self.url.hash(&mut code_cache::HashWrite(h));
            h.write(&serde_json::to_vec(&chapters).unwrap_or_default());
        });
        let key = code_cache::content_key(|h| {
            skeleton_key.hash(&mut code_cache::HashWrite(h));
            for (k, _) in &fragments {
                k.hash(&mut code_cache::HashWrite(h));
            }
        });
        let kept = last.documents.contains(&key);
        let skeleton = match last.skeletons.get(&skeleton_key) {
            Some(s) => Arc::clone(s),
            None if kept => Arc::new(String::new()),
            None => Arc::new(render_document(
                self.renderer,
                self.url,
                self.only,
                &chapters,
            )?),
        };
        let parts: Vec<Arc<String>> = fragments.iter().map(|(_, f)| Arc::clone(f)).collect();
        let file = match kept {
            true => None,
            false => Some(match print_memo::splice(&skeleton, &parts) {
                Some(html) => OutputFile::new(self.url, html),
                // The template does not place each page's HTML once as it is.
                None => render_whole(self.site, self.renderer, self.code, self.url, self.only)?,
            }),
        };
        Ok(Spliced {
            url: self.url.to_string(),
            key,
            file,
            fragments,
            skeleton: (!skeleton.is_empty()).then_some((skeleton_key, skeleton)),
        })
    }
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
