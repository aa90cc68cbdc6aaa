//! Turning the site model into HTML with tera and the theme.

pub mod compact_js;
pub mod drill;
pub mod files;
pub mod i18n;
pub mod nav;
pub mod offline;
pub mod pages;
pub mod print;
pub mod print_memo;
pub mod quiz_pages;
pub mod theme;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tera::{Context, Tera};

use crate::content::paths::root_prefix;
use crate::content::Site;
use crate::diagnostic::Diagnostic;
use crate::generated::STATIC_DIR;
pub use files::{CopiedFile, FileSink, OutputFile, PageSink};
use nav::Nav;
use theme::Theme;

/// Serialises `value` as JSON that is safe inside a `<script>` element: no
/// `<`, `>` or `&` appear literally, so no content can close the element or
/// open a comment, and U+2028/2029 cannot end a JavaScript string.
pub fn json_for_script<T: Serialize + ?Sized>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(json.len() + 16);
    for ch in json.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Holds the compiled templates, the UI strings and the navigation, and
/// renders pages with them.
pub struct Renderer {
    /// An mdBook's `additional-css` and `additional-js`, copied under static/book/.
    book_files: Vec<OutputFile>,
    tera: Tera,
    theme: Theme,
    strings: BTreeMap<String, String>,
    strings_json: String,
    nav: Nav,
    course: serde_json::Value,
    search_enabled: bool,
    /// The web app manifest and icons, when the offline site is on.
    offline_files: Vec<OutputFile>,
    /// Whether the course has Q&A entries (and so a drill page).
    has_drill: bool,
    lang: &'static str,
    /// Template name → file it came from, for diagnostics.
    origins: BTreeMap<String, PathBuf>,
    /// The rendered sidebar by root prefix (one per folder depth) and open chapter.
    sidebars: Mutex<HashMap<(String, String), Arc<String>>>,
    /// Page URL → slug of the chapter it belongs to (overview, pages, quiz).
    chapter_of_url: HashMap<String, String>,
    /// Page URL → the sections to show open in the sidebar on that page:
    /// those holding it, and itself when it is a section.
    branches: HashMap<String, Vec<String>>,
}

impl Renderer {
    /// What loading the theme skipped (links out of the course, special
    /// files), to report with every build that uses this renderer.
    pub fn skipped(&self) -> &[Diagnostic] {
        &self.theme.skipped
    }

    pub fn new(site: &Site, nav: Nav) -> Result<Renderer, Vec<Diagnostic>> {
        let mut theme = Theme::load(&site.root, &site.config.layout.themes, &site.config.theme)
            .map_err(|d| vec![d])?;
        let book_files = book_files(site, &mut theme.skipped);
        let strings = i18n::strings(&theme, site.config.language)?;
        let mut tera = Tera::default();
        let mut origins = BTreeMap::new();
        let mut raw: Vec<(String, String)> = Vec::new();
        for (name, file) in theme.under("templates") {
            raw.push((
                name.to_string(),
                String::from_utf8_lossy(&file.bytes).into_owned(),
            ));
            origins.insert(name.to_string(), file.origin.clone());
        }
        if let Err(e) = tera.add_raw_templates(raw) {
            let (name, msg) = tera_error(&e);
            let file = name
                .as_ref()
                .and_then(|n| origins.get(n))
                .cloned()
                .unwrap_or_else(|| PathBuf::from("themes"));
            return Err(vec![Diagnostic::error(
                file,
                line_of(&msg),
                0,
                format!("template error: {msg}"),
            )
            .with_hint("fix the template syntax (tera, like Jinja2)")]);
        }
        tera.autoescape_on(vec![".html"]);
        let course = serde_json::json!({
            "title": site.config.title,
            "subtitle": site.config.subtitle,
            "author": site.config.author,
            "description": site.config.description,
            "base_path": site.config.base_path,
            "extra_css": book_files.iter().filter(|f| f.path.ends_with(".css")).map(|f| &f.path).collect::<Vec<_>>(),
            "extra_js": book_files.iter().filter(|f| f.path.ends_with(".js")).map(|f| &f.path).collect::<Vec<_>>(),
            "repository": site.config.book.as_ref().and_then(|b| b.git_repository_url.clone()),
        });
        let strings_json = json_for_script(&strings);
        let (chapter_of_url, branches) = nav_maps(&nav);
        let renderer = Renderer {
            book_files,
            tera,
            theme,
            strings,
            strings_json,
            nav,
            course,
            search_enabled: site.config.search.enabled,
            offline_files: if site.config.offline.enabled {
                offline::files(&site.config)
            } else {
                Vec::new()
            },
            has_drill: has_drill(site),
            lang: site.config.language.code(),
            origins,
            sidebars: Mutex::new(HashMap::new()),
            chapter_of_url,
            branches,
        };
        renderer.check_sidebar()
    }

    /// The same theme, settings and strings with another navigation (a
    /// title or the order changed): the templates are not compiled again.
    /// `site` must be the one `self` was made for but for its pages.
    pub fn with_nav(mut self, site: &Site, nav: Nav) -> Result<Renderer, Vec<Diagnostic>> {
        (self.chapter_of_url, self.branches) = nav_maps(&nav);
        self.nav = nav;
        self.has_drill = has_drill(site);
        // Sidebars of the old navigation.
        self.sidebars = Mutex::new(HashMap::new());
        self.check_sidebar()
    }

    /// Renders the sidebar once up front so a broken sidebar template is an
    /// error, not a silently empty navigation.
    fn check_sidebar(self) -> Result<Renderer, Vec<Diagnostic>> {
        let open = self
            .nav
            .chapters
            .first()
            .map(|c| c.slug.clone())
            .unwrap_or_default();
        self.render_sidebar("", &open).map_err(|d| vec![d])?;
        Ok(self)
    }

    /// A UI string in the course's language.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map(String::as_str).unwrap_or(key)
    }

    /// Whether the theme file `rel` (`templates/print.html`) is the
    /// built-in one, which the course's theme does not replace.
    pub fn is_builtin(&self, rel: &str) -> bool {
        self.theme.is_builtin(rel)
    }

    pub fn nav(&self) -> &Nav {
        &self.nav
    }

    /// The context every page needs, for the page at `url` (relative to the site root).
    pub fn context(&self, url: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert("lang", self.lang);
        ctx.insert("t", &self.strings);
        ctx.insert("t_json", &self.strings_json);
        ctx.insert("root", &root_prefix(url));
        ctx.insert("current_url", url);
        ctx.insert("course", &self.course);
        ctx.insert("sidebar", &self.sidebar(url));
        ctx.insert("extra_links", &self.nav.extra_links);
        ctx.insert("search_enabled", &self.search_enabled);
        ctx.insert("offline_enabled", &!self.offline_files.is_empty());
        ctx.insert("theme_colour", offline::THEME_COLOUR);
        ctx.insert("has_drill", &self.has_drill);
        ctx
    }

    /// The same context with the whole navigation as data (`nav`), for pages
    /// that list the chapters (the home page). Kept out of the common context:
    /// serialising every chapter's pages for every page is quadratic.
    pub fn context_with_nav(&self, url: &str) -> Context {
        let mut ctx = self.context(url);
        ctx.insert("nav", &self.nav.chapters);
        ctx
    }

    /// The navigation sidebar with the page at `url` marked as current.
    ///
    /// Rendering the sidebar in every page's template made builds quadratic
    /// in the number of pages (the 1,000-page benchmark spent a fifth of its
    /// time in tera and wrote 207 MB): it is rendered once per folder depth
    /// and open chapter, and only the current link is marked per page.
    fn sidebar(&self, url: &str) -> String {
        let key = (
            root_prefix(url),
            self.chapter_of_url.get(url).cloned().unwrap_or_default(),
        );
        let cached = self
            .sidebars
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .cloned();
        let html = match cached {
            Some(h) => h,
            None => {
                // A broken sidebar template was already reported by `new`.
                let h = Arc::new(self.render_sidebar(&key.0, &key.1).unwrap_or_default());
                self.sidebars
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(key, h.clone());
                h
            }
        };
        let marked = mark_current(&html, url);
        match self.branches.get(url) {
            Some(open) => open_branches(marked, open),
            None => marked,
        }
    }

    fn render_sidebar(&self, root: &str, open_chapter: &str) -> Result<String, Diagnostic> {
        let mut ctx = Context::new();
        ctx.insert("t", &self.strings);
        ctx.insert("root", root);
        ctx.insert("open_chapter", open_chapter);
        ctx.insert("nav", &self.nav.chapters);
        ctx.insert("extra_links", &self.nav.extra_links);
        ctx.insert("has_drill", &self.has_drill);
        self.render("partials/sidebar.html", &ctx)
    }

    pub fn render(&self, template: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(template, ctx)
            .map(without_nul)
            .map_err(|e| {
            let (name, msg) = tera_error(&e);
            let name = name.unwrap_or_else(|| template.to_string());
            let file = self
                .origins
                .get(&name)
                .cloned()
                .unwrap_or_else(|| PathBuf::from("themes").join("templates").join(&name));
            Diagnostic::error(file, 0, 0, format!("cannot render `{template}`: {msg}")).with_hint(
                "check the template against the variables lectern provides (see docs/theming.md)",
            )
        })
    }

    /// The theme's static files, plus the generated highlighting stylesheet.
    pub fn static_files(&self) -> Vec<OutputFile> {
        let mut files: Vec<OutputFile> = self
            .theme
            .under("static")
            .map(|(name, f)| OutputFile::new(format!("{STATIC_DIR}/{name}"), f.bytes.clone()))
            .collect();
        files.push(OutputFile::new(
            format!("{STATIC_DIR}/highlight.css"),
            crate::markdown::highlight::stylesheet(),
        ));
        files.extend(self.book_files.iter().cloned());
        files.extend(self.offline_files.iter().cloned());
        files
    }
}

/// Whether the course has Q&A entries (a drill page, linked from every page).
pub fn has_drill(site: &Site) -> bool {
    site.pages()
        .any(|p| p.kind == crate::content::PageKind::Qa && !p.qa.is_empty())
}

/// Page URL → its chapter's slug, and page URL → the sections to show open
/// in the sidebar on that page.
#[allow(clippy::type_complexity)]
fn nav_maps(nav: &Nav) -> (HashMap<String, String>, HashMap<String, Vec<String>>) {
    let mut chapter_of_url = HashMap::new();
    let mut branches = HashMap::new();
    for c in &nav.chapters {
        chapter_of_url.insert(c.url.clone(), c.slug.clone());
        for p in &c.pages {
            p.walk(&mut Vec::new(), &mut |page, above| {
                chapter_of_url.insert(page.url.clone(), c.slug.clone());
                let mut open: Vec<String> = above.iter().map(|u| u.to_string()).collect();
                if !page.children.is_empty() {
                    open.push(page.url.clone());
                }
                if !open.is_empty() {
                    branches.insert(page.url.clone(), open);
                }
            });
        }
        if let Some(quiz) = &c.quiz {
            chapter_of_url.insert(quiz.url.clone(), c.slug.clone());
        }
    }
    (chapter_of_url, branches)
}

/// An mdBook's `additional-css` and `additional-js` files (paths relative
/// to book.toml), read through the course's boundary; one that cannot be
/// read is a warning and left out.
fn book_files(site: &Site, warnings: &mut Vec<Diagnostic>) -> Vec<OutputFile> {
    let Some(book) = &site.config.book else {
        return Vec::new();
    };
    let boundary = crate::source_files::Boundary::new(&site.root);
    let mut out = Vec::new();
    for rel in book.additional_css.iter().chain(&book.additional_js) {
        let path = site.root.join(rel);
        let clean: Vec<&str> = rel
            .split('/')
            .filter(|p| !p.is_empty() && *p != "." && *p != "..")
            .collect();
        let read = boundary
            .check(&path)
            .map_err(|d| d.message)
            .and_then(|_| std::fs::read(&path).map_err(|e| e.to_string()));
        match read {
            Ok(bytes) if !clean.is_empty() => out.push(OutputFile::new(
                format!("{STATIC_DIR}/book/{}", clean.join("/")),
                bytes,
            )),
            Ok(_) => {}
            Err(e) => warnings.push(
                Diagnostic::warning(
                    crate::layout::BOOK_CONFIG,
                    0,
                    0,
                    format!("cannot add `{rel}` (additional-css / additional-js): {e}"),
                )
                .with_hint("the path is relative to book.toml and must stay inside the book"),
            ),
        }
    }
    out
}

/// Marks the link to `url` as the current page.
fn mark_current(sidebar: &str, url: &str) -> String {
    let needle = format!("data-nav-url=\"{}\"", tera::escape_html(url));
    match sidebar.find(&needle) {
        Some(at) => {
            let end = at + needle.len();
            let mut out = String::with_capacity(sidebar.len() + 24);
            out.push_str(&sidebar[..end]);
            out.push_str(" aria-current=\"page\"");
            out.push_str(&sidebar[end..]);
            out
        }
        None => sidebar.to_string(),
    }
}

/// Opens the sidebar's `<details>` of the sections `urls`.
fn open_branches(mut sidebar: String, urls: &[String]) -> String {
    for url in urls {
        let needle = format!("data-nav-branch=\"{}\"", tera::escape_html(url));
        if let Some(at) = sidebar.find(&needle) {
            sidebar.insert_str(at + needle.len(), " open");
        }
    }
    sidebar
}

/// The template named in a tera error, and the whole chain of messages.
fn tera_error(e: &tera::Error) -> (Option<String>, String) {
    let mut msgs = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msgs.push(s.to_string());
        source = s.source();
    }
    let name = msgs.iter().find_map(|m| {
        m.split('\'')
            .nth(1)
            .filter(|n| n.ends_with(".html"))
            .map(str::to_string)
    });
    (name, msgs.join(": "))
}

fn line_of(msg: &str) -> usize {
    msg.split("--> ")
        .nth(1)
        .and_then(|s| s.split(':').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// A NUL character never reaches a page: CommonMark replaces it with U+FFFD
/// in Markdown, and so does this for text that came another way (a YAML
/// `"\0"` in a title, an option, a course.yaml field). Every page passes here.
fn without_nul(html: String) -> String {
    if html.contains('\0') {
        html.replace('\0', "\u{FFFD}")
    } else {
        html
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_the_current_page_only() {
        let side = "<ul><li><a data-nav-url=\"index.html\">H</a></li><li><a data-nav-url=\"a&#x2F;x.html\">X</a></li></ul>";
        let m = mark_current(side, "a/x.html");
        assert!(
            m.contains("data-nav-url=\"a&#x2F;x.html\" aria-current=\"page\""),
            "{m}"
        );
        assert_eq!(m.matches("aria-current").count(), 1);
        assert_eq!(mark_current(side, "nowhere.html"), side);
    }

    #[test]
    fn script_json_cannot_close_the_element() {
        let s = json_for_script(
            &serde_json::json!({"x": "</script><script>alert(1)</script>", "y": "a\u{2028}b & <!--"}),
        );
        assert!(!s.contains("</"));
        assert!(!s.contains('<'));
        assert!(!s.contains('&'));
        assert!(!s.contains('\u{2028}'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["x"], "</script><script>alert(1)</script>");
    }

    #[test]
    fn nul_becomes_the_replacement_character() {
        assert_eq!(without_nul("a\0b".into()), "a\u{FFFD}b");
        assert_eq!(without_nul("ab".into()), "ab");
    }
}
