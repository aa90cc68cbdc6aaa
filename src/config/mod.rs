//! The course's settings: course.yaml, or an mdBook's book.toml (`book.rs`)
//! with lectern's own settings beside it. Read once per build.

mod book;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Severity};
use crate::layout::{Format, Layout};
use crate::source_files::{text, Boundary};
use crate::yaml;

pub use book::BookSettings;
pub const CONFIG_FILE: &str = crate::layout::COURSE_CONFIG;

/// What a link to a missing page, file or anchor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkPolicy {
    /// The build fails (lectern courses, by default).
    Error,
    /// The build goes on and reports it (mdBook books, by default: mdBook
    /// ships broken links silently, so a book it builds must build here).
    Warn,
}

/// The language of the UI strings (and the `lang` attribute of every page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Language {
    #[default]
    #[serde(rename = "zh-CN", alias = "zh", alias = "zh-cn")]
    ZhCn,
    #[serde(rename = "en", alias = "en-US", alias = "en-GB")]
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Number of index shards; 0 chooses by site size.
    #[serde(default)]
    pub shards: usize,
    /// Ranking weights over the defaults (docs/format.md).
    #[serde(default)]
    pub weights: SearchWeights,
    /// Groups of equivalent terms: a list of terms, or one string of terms
    /// separated by spaces.
    #[serde(default)]
    pub synonyms: Vec<SynonymGroup>,
}

/// `search.weights`: what a match weighs by where it is and by what kind of
/// page holds it. Unset keys keep lectern's defaults.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchWeights {
    /// The page title, in the page's lead (its text before the first heading).
    pub title: Option<f64>,
    /// The page title in the page's other sections.
    pub title_in_sections: Option<f64>,
    pub heading: Option<f64>,
    pub body: Option<f64>,
    pub teaching: Option<f64>,
    pub case: Option<f64>,
    pub qa: Option<f64>,
    pub quiz: Option<f64>,
}

impl SearchWeights {
    /// Every weight set, by its key.
    fn set(&self) -> Vec<(&'static str, f64)> {
        [
            ("title", self.title),
            ("title_in_sections", self.title_in_sections),
            ("heading", self.heading),
            ("body", self.body),
            ("teaching", self.teaching),
            ("case", self.case),
            ("qa", self.qa),
            ("quiz", self.quiz),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SynonymGroup {
    Terms(Vec<String>),
    Line(String),
}

impl SynonymGroup {
    pub fn terms(&self) -> Vec<String> {
        match self {
            SynonymGroup::Terms(t) => t.clone(),
            SynonymGroup::Line(l) => l.split_whitespace().map(String::from).collect(),
        }
    }
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: true,
            shards: 0,
            weights: SearchWeights::default(),
            synonyms: Vec::new(),
        }
    }
}

/// The installable offline site (web app manifest and service worker),
/// used when the site is hosted over http(s); from file:// nothing changes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfflineConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Default for OfflineConfig {
    fn default() -> Self {
        OfflineConfig { enabled: true }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizConfig {
    /// Default pass mark of every bank, in percent.
    #[serde(default = "default_pass_mark")]
    pub pass_mark: f64,
}

impl Default for QuizConfig {
    fn default() -> Self {
        QuizConfig {
            pass_mark: default_pass_mark(),
        }
    }
}

fn yes() -> bool {
    true
}
fn default_pass_mark() -> f64 {
    60.0
}
pub(crate) fn default_theme() -> String {
    "default".into()
}
pub(crate) fn default_output() -> PathBuf {
    PathBuf::from("public")
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    #[serde(default)]
    pub subtitle: Option<String>,
    #[serde(default)]
    pub language: Language,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Where the site will be hosted, e.g. `/courses/service/`. Links are
    /// relative whatever it says, so it only feeds metadata.
    #[serde(default)]
    pub base_path: Option<String>,
    #[serde(default = "default_output")]
    pub output: PathBuf,
    #[serde(default)]
    pub search: SearchConfig,
    #[serde(default)]
    pub quiz: QuizConfig,
    #[serde(default)]
    pub offline: OfflineConfig,
    /// `error` or `warn`; unset, the layout's default (`Config::link_policy`).
    #[serde(default)]
    pub links: Option<LinkPolicy>,
    /// Where the course's files are (not a key of course.yaml).
    #[serde(skip)]
    pub layout: Layout,
    /// What an mdBook's book.toml says beyond the common settings.
    #[serde(skip_deserializing)]
    pub book: Option<BookSettings>,
    /// Notes from reading the configuration (keys of book.toml that mean
    /// nothing here), reported with the build's warnings.
    #[serde(skip)]
    pub notes: Vec<Diagnostic>,
}

impl Config {
    /// Reads the course's settings: book.toml for an mdBook, else course.yaml.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        match Layout::format_of(root) {
            Format::Course => Config::load_course(root),
            Format::MdBook => book::load(root),
        }
    }

    /// What a broken link is in this course.
    pub fn link_policy(&self) -> LinkPolicy {
        self.links.unwrap_or(match self.layout.format {
            Format::Course => LinkPolicy::Error,
            Format::MdBook => LinkPolicy::Warn,
        })
    }

    /// Reads `course.yaml` from the course root.
    fn load_course(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        // The same boundary as every other source (a course.yaml linked to
        // /proc/self/environ or a named pipe is never opened); without
        // course.yaml there is no build, so here it is an error.
        if std::fs::symlink_metadata(&path).is_ok() {
            if let Err(d) = Boundary::new(root).check(&path) {
                return Err(Diagnostic {
                    severity: Severity::Error,
                    ..d
                });
            }
        }
        let bytes = std::fs::read(&path).map_err(|e| {
            Diagnostic::error(CONFIG_FILE, 0, 0, format!("cannot read the course configuration: {e}"))
                .with_hint("run lectern in a course folder (one holding course.yaml), pass --root DIR, or create one with `lectern init DIR`")
        })?;
        let text = text::decode(bytes).map_err(|e| e.diagnostic(Path::new(CONFIG_FILE)))?;
        let text = text.as_str();
        let (config, spans): (Config, _) = yaml::parse(text, Path::new(CONFIG_FILE), 0)?;
        config.validated(&spans)
    }

    /// The checks every course.yaml passes, also the one beside a book.toml.
    fn validated(self, spans: &yaml::Spans) -> Result<Config, Diagnostic> {
        let config = self;
        for (key, value) in config.search.weights.set() {
            if !(value.is_finite() && value > 0.0 && value <= 1000.0) {
                let pos = spans.at(&format!("search/weights/{key}"));
                return Err(Diagnostic::error(
                    CONFIG_FILE,
                    pos.line,
                    pos.column,
                    format!("search weight `{key}` is {value}, not a number above 0"),
                )
                .with_hint("a weight multiplies what a match counts: use a number above 0 (1 is neutral, the defaults are in docs/format.md), up to 1000"));
            }
        }
        if config.title.trim().is_empty() {
            let pos = spans.at("title");
            return Err(Diagnostic::error(
                CONFIG_FILE,
                pos.line,
                pos.column,
                "the course title is empty",
            )
            .with_hint("give the course a title: `title: 我的课程`"));
        }
        if !is_theme_name(&config.theme) {
            // The theme is read from themes/<name>/: a path here (`../x`,
            // `/srv/theme`) would copy files from outside the course.
            let pos = spans.at("theme");
            return Err(Diagnostic::error(
                CONFIG_FILE,
                pos.line,
                pos.column,
                format!("theme `{}` is not a theme name", config.theme),
            )
            .with_hint("a theme is a folder of the course's themes/ folder, named with letters, digits, `-` and `_` only: `theme: my-theme` reads themes/my-theme/; copy a theme from elsewhere into themes/"));
        }
        if !(0.0..=100.0).contains(&config.quiz.pass_mark) {
            let pos = spans.at("quiz/pass_mark");
            return Err(Diagnostic::error(
                CONFIG_FILE,
                pos.line,
                pos.column,
                format!("pass_mark {} is not a percentage", config.quiz.pass_mark),
            )
            .with_hint("use a number from 0 to 100"));
        }
        Ok(config)
    }
}

/// A theme name is a plain folder name: letters, digits, `-` and `_`.
pub fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), text).unwrap();
        Config::load(dir.path())
    }

    #[test]
    fn defaults() {
        let c = parse("title: 课程\n").unwrap();
        assert_eq!(c.language, Language::ZhCn);
        assert_eq!(c.theme, "default");
        assert_eq!(c.output, PathBuf::from("public"));
        assert!(c.search.enabled);
        assert_eq!(c.quiz.pass_mark, 60.0);
    }

    #[test]
    fn english_and_search_off() {
        let c = parse("title: Course\nlanguage: en\nsearch:\n  enabled: false\n").unwrap();
        assert_eq!(c.language, Language::En);
        assert!(!c.search.enabled);
    }

    #[test]
    fn unknown_key_names_nearest() {
        let e = parse("title: x\nlangauge: en\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.hint.unwrap().contains("`language`"));
    }

    #[test]
    fn theme_is_a_plain_name() {
        assert_eq!(
            parse("title: x\ntheme: my_theme-2\n").unwrap().theme,
            "my_theme-2"
        );
        for bad in ["../x", "/etc", "a/b", "a\\\\b", "''", "..", "主题"] {
            let e = parse(&format!("title: x\ntheme: {bad}\n")).unwrap_err();
            assert_eq!((e.line, e.column), (2, 1), "{bad}: {e:?}");
            assert!(
                e.message.contains("not a theme name"),
                "{bad}: {}",
                e.message
            );
        }
    }

    #[test]
    fn missing_title() {
        let e = parse("author: x\n").unwrap_err();
        assert!(e.message.contains("title"), "{}", e.message);
    }
}
