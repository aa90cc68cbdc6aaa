//! Turning the site model into HTML with tera and the theme.

pub mod i18n;
pub mod nav;
pub mod pages;
pub mod theme;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use tera::{Context, Tera};

use crate::content::Site;
use crate::diagnostic::Diagnostic;
use crate::output::{root_prefix, OutputFile};
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
    tera: Tera,
    theme: Theme,
    strings: BTreeMap<String, String>,
    strings_json: String,
    nav: Nav,
    course: serde_json::Value,
    search_enabled: bool,
    lang: &'static str,
    /// Template name → file it came from, for diagnostics.
    origins: BTreeMap<String, PathBuf>,
}

impl Renderer {
    pub fn new(site: &Site, nav: Nav) -> Result<Renderer, Vec<Diagnostic>> {
        let theme = Theme::load(&site.root, &site.config.theme).map_err(|d| vec![d])?;
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
        });
        let strings_json = json_for_script(&strings);
        Ok(Renderer {
            tera,
            theme,
            strings,
            strings_json,
            nav,
            course,
            search_enabled: site.config.search.enabled,
            lang: site.config.language.code(),
            origins,
        })
    }

    /// A UI string in the course's language.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map(String::as_str).unwrap_or(key)
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
        ctx.insert("nav", &self.nav.chapters);
        ctx.insert("extra_links", &self.nav.extra_links);
        ctx.insert("search_enabled", &self.search_enabled);
        ctx
    }

    pub fn render(&self, template: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.tera.render(template, ctx).map_err(|e| {
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
            .map(|(name, f)| OutputFile::new(format!("static/{name}"), f.bytes.clone()))
            .collect();
        files.push(OutputFile::new(
            "static/highlight.css",
            crate::markdown::highlight::stylesheet(),
        ));
        files
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
