//! An mdBook's book.toml read as lectern's settings, so a book builds
//! unchanged: `[book]` gives the title, authors, language, description and
//! the pages folder (`src`); the `[output.html]` keys that mean something
//! here are kept (`BookSettings`); lectern's own settings come from
//! `[output.lectern]` or a course.yaml beside book.toml. Every other key is
//! listed once in a note, never an error: mdBook ignores what it does not
//! know, and so does lectern.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Config, LinkPolicy, QuizConfig, SearchConfig, CONFIG_FILE};
use crate::diagnostic::{Diagnostic, Severity};
use crate::layout::{Layout, BOOK_CONFIG};
use crate::source_files::{text, Boundary};
use crate::yaml;

/// The `[output.html]` settings of book.toml that lectern follows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BookSettings {
    /// Style sheets and scripts to add to every page, relative to book.toml.
    pub additional_css: Vec<String>,
    pub additional_js: Vec<String>,
    /// Shown as a link to the book's repository.
    pub git_repository_url: Option<String>,
    /// An "edit this page" link: `{path}` is the page's source below `src`.
    pub edit_url_template: Option<String>,
    /// Hide the section numbers (1.2.3) in the navigation.
    pub no_section_label: bool,
}

/// lectern's own settings for a book: every key optional, the book's own
/// values stand where one is not given.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Overlay {
    title: Option<String>,
    subtitle: Option<String>,
    language: Option<super::Language>,
    author: Option<String>,
    description: Option<String>,
    theme: Option<String>,
    base_path: Option<String>,
    output: Option<PathBuf>,
    search: Option<SearchConfig>,
    quiz: Option<QuizConfig>,
    links: Option<LinkPolicy>,
}

/// The `[output.html]` keys that have a meaning here.
const HTML_KEYS: [&str; 6] = [
    "additional-css",
    "additional-js",
    "git-repository-url",
    "edit-url-template",
    "site-url",
    "no-section-label",
];
/// The `[book]` keys lectern reads.
const BOOK_KEYS: [&str; 5] = ["title", "authors", "language", "src", "description"];

pub fn load(root: &Path) -> Result<Config, Diagnostic> {
    let file = Path::new(BOOK_CONFIG);
    let path = root.join(file);
    if let Err(d) = Boundary::new(root).check(&path) {
        return Err(Diagnostic {
            severity: Severity::Error,
            ..d
        });
    }
    let source = text::read(&path, file)?;
    let table: toml::Table = source.parse().map_err(|e: toml::de::Error| {
        let (line, column) = e
            .span()
            .map_or((0, 0), |s| crate::diagnostic::line_col(&source, s.start));
        Diagnostic::error(
            file,
            line,
            column,
            format!("book.toml is not valid TOML: {}", e.message()),
        )
        .with_hint("fix the syntax: `key = \"value\"` under `[book]`, as mdBook reads it")
    })?;
    let mut ignored: Vec<String> = Vec::new();
    let book = sub_table(&table, "book");
    for (key, _) in book.iter().flat_map(|t| t.iter()) {
        if !BOOK_KEYS.contains(&key.as_str()) {
            ignored.push(format!("book.{key}"));
        }
    }
    let string = |t: Option<&toml::Table>, key: &str| -> Option<String> {
        t.and_then(|t| t.get(key))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let src = string(book, "src").unwrap_or_else(|| "src".into());
    let src_path = PathBuf::from(&src);
    if src_path.is_absolute()
        || src_path.components().any(|c| {
            !matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        })
    {
        return Err(Diagnostic::error(
            file,
            key_line(&source, "src"),
            0,
            format!("`src = \"{src}\"` is not a folder inside the book"),
        )
        .with_hint("name a folder beside book.toml, e.g. `src = \"src\"`"));
    }
    let authors: Vec<String> = book
        .and_then(|b| b.get("authors"))
        .and_then(|a| a.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let language = match string(book, "language") {
        Some(l) if l.to_ascii_lowercase().starts_with("zh") => super::Language::ZhCn,
        // mdBook's default language is English.
        _ => super::Language::En,
    };
    let title = string(book, "title")
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| folder_name(root));

    let output = sub_table(&table, "output");
    let html = output
        .and_then(|o| o.get("html"))
        .and_then(|h| h.as_table());
    for (key, _) in html.iter().flat_map(|t| t.iter()) {
        if !HTML_KEYS.contains(&key.as_str()) {
            ignored.push(format!("output.html.{key}"));
        }
    }
    let strings = |key: &str| -> Vec<String> {
        html.and_then(|h| h.get(key))
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let settings = BookSettings {
        additional_css: strings("additional-css"),
        additional_js: strings("additional-js"),
        git_repository_url: string(html, "git-repository-url"),
        edit_url_template: string(html, "edit-url-template"),
        no_section_label: html
            .and_then(|h| h.get("no-section-label"))
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
    };
    for (key, _) in table.iter() {
        if key != "book" && key != "output" {
            ignored.push(key.clone());
        }
    }
    for (key, _) in output.iter().flat_map(|t| t.iter()) {
        if key != "html" && key != "lectern" {
            ignored.push(format!("output.{key}"));
        }
    }

    let mut config = Config {
        title,
        subtitle: None,
        language,
        author: (!authors.is_empty()).then(|| authors.join(", ")),
        description: string(book, "description"),
        theme: super::default_theme(),
        base_path: string(html, "site-url"),
        output: super::default_output(),
        search: SearchConfig::default(),
        quiz: QuizConfig::default(),
        offline: Default::default(),
        links: None,
        layout: Layout::book(src_path),
        book: Some(settings),
        notes: Vec::new(),
    };

    if let Some(lectern) = output.and_then(|o| o.get("lectern")) {
        let overlay: Overlay = lectern.clone().try_into().map_err(|e: toml::de::Error| {
            Diagnostic::error(
                file,
                key_line(&source, "[output.lectern]"),
                0,
                format!("[output.lectern]: {}", e.message()),
            )
            .with_hint("lectern's settings here are those of course.yaml: title, subtitle, language, author, description, theme, base_path, output, search, quiz, links")
        })?;
        apply(&mut config, overlay);
    }
    let beside = root.join(CONFIG_FILE);
    if std::fs::symlink_metadata(&beside).is_ok() {
        if let Err(d) = Boundary::new(root).check(&beside) {
            return Err(Diagnostic {
                severity: Severity::Error,
                ..d
            });
        }
        let text = text::read(&beside, Path::new(CONFIG_FILE))?;
        let (overlay, _spans): (Overlay, _) = if text.trim().is_empty() {
            (Overlay::default(), yaml::Spans::default())
        } else {
            yaml::parse(&text, Path::new(CONFIG_FILE), 0)?
        };
        apply(&mut config, overlay);
    }
    if !super::is_theme_name(&config.theme) {
        return Err(Diagnostic::error(
            file,
            0,
            0,
            format!("theme `{}` is not a theme name", config.theme),
        )
        .with_hint("a theme is a folder of themes/ beside book.toml, named with letters, digits, `-` and `_` only"));
    }
    if !(0.0..=100.0).contains(&config.quiz.pass_mark) {
        return Err(Diagnostic::error(
            file,
            0,
            0,
            format!("pass_mark {} is not a percentage", config.quiz.pass_mark),
        )
        .with_hint("use a number from 0 to 100"));
    }
    if root.join("theme").is_dir() {
        config.notes.push(
            Diagnostic::warning("theme", 0, 0, "the book's theme/ folder is mdBook's theme and is not used")
                .with_hint("lectern's own theme files can be overridden in themes/default/ beside book.toml (see docs/theming.md)"),
        );
    }
    if !ignored.is_empty() {
        config.notes.push(
            Diagnostic::warning(
                file,
                0,
                0,
                format!(
                    "lectern ignores these book.toml settings: {}",
                    ignored.join(", ")
                ),
            )
            .with_hint("they are mdBook's own (its theme, preprocessors, other renderers); lectern's settings go under [output.lectern] or in a course.yaml beside book.toml"),
        );
    }
    Ok(config)
}

fn apply(config: &mut Config, o: Overlay) {
    macro_rules! set {
        ($($field:ident),*) => { $( if let Some(v) = o.$field { config.$field = v; } )* };
    }
    set!(title, language, theme, output, search, quiz);
    macro_rules! set_opt {
        ($($field:ident),*) => { $( if o.$field.is_some() { config.$field = o.$field; } )* };
    }
    set_opt!(subtitle, author, description, base_path, links);
}

fn sub_table<'a>(table: &'a toml::Table, key: &str) -> Option<&'a toml::Table> {
    table.get(key).and_then(|v| v.as_table())
}

/// The first line that starts with `key` (1-based; 0 when none does).
fn key_line(source: &str, key: &str) -> usize {
    source
        .lines()
        .position(|l| l.trim_start().starts_with(key))
        .map_or(0, |i| i + 1)
}

fn folder_name(root: &Path) -> String {
    root.canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "Book".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Format;

    fn load_toml(toml: &str, course_yaml: Option<&str>) -> Result<Config, Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(BOOK_CONFIG), toml).unwrap();
        if let Some(y) = course_yaml {
            std::fs::write(dir.path().join(CONFIG_FILE), y).unwrap();
        }
        Config::load(dir.path())
    }

    #[test]
    fn book_keys_become_settings() {
        let c = load_toml(
            "[book]\ntitle = \"Rust 程序设计语言\"\nauthors = [\"A\", \"B\"]\nlanguage = \"zh-CN\"\nsrc = \"source\"\n\n[output.html]\nsite-url = \"/book/\"\nedit-url-template = \"https://example.org/edit/{path}\"\nno-section-label = true\nadditional-css = [\"custom.css\"]\n",
            None,
        )
        .unwrap();
        assert_eq!(c.title, "Rust 程序设计语言");
        assert_eq!(c.author.as_deref(), Some("A, B"));
        assert_eq!(c.language, super::super::Language::ZhCn);
        assert_eq!(c.layout.format, Format::MdBook);
        assert_eq!(c.layout.pages, PathBuf::from("source"));
        assert_eq!(c.base_path.as_deref(), Some("/book/"));
        let b = c.book.as_ref().unwrap();
        assert!(b.no_section_label);
        assert_eq!(b.additional_css, vec!["custom.css".to_string()]);
        assert_eq!(c.link_policy(), LinkPolicy::Warn);
        assert!(c.notes.is_empty());
    }

    #[test]
    fn unknown_keys_are_one_note_and_lectern_settings_apply() {
        let c = load_toml(
            "[book]\ntitle = \"x\"\nmultilingual = false\n[preprocessor.katex]\n[output.html]\nmathjax-support = true\n[output.lectern]\nlinks = \"error\"\n",
            Some("search:\n  enabled: false\n"),
        )
        .unwrap();
        assert_eq!(c.link_policy(), LinkPolicy::Error);
        assert!(!c.search.enabled);
        assert_eq!(c.notes.len(), 1);
        let m = &c.notes[0].message;
        assert!(
            m.contains("book.multilingual")
                && m.contains("preprocessor")
                && m.contains("output.html.mathjax-support"),
            "{m}"
        );
    }

    #[test]
    fn defaults_and_errors_in_words() {
        let c = load_toml("[book]\n", None).unwrap();
        assert_eq!(c.layout.pages, PathBuf::from("src"));
        assert_eq!(c.language, super::super::Language::En);
        let e = load_toml("[book]\ntitle = \n", None).unwrap_err();
        assert!(e.message.contains("not valid TOML"), "{}", e.message);
        assert_eq!(e.line, 2);
        let e = load_toml("[book]\nsrc = \"../elsewhere\"\n", None).unwrap_err();
        assert!(e.message.contains("not a folder inside the book"));
        let e = load_toml("[output.lectern]\nlinkz = \"warn\"\n", None).unwrap_err();
        assert!(e.message.contains("linkz"), "{}", e.message);
    }
}
