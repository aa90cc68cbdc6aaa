//! The names the build writes on its own, with no file of content/ behind
//! them. Every module that makes such a path takes its name from here, and
//! content/ may not use any of them (`reserved`), so a course file can never
//! replace a generated one or be replaced by it, whatever the build writes
//! this time (a course without banks still may not name a page
//! `notebook.md`: adding a bank later would silently lose it).
//!
//! Adding a generated file means adding its name here; the pipeline's
//! ownership check (`pipeline::owners`) and the test
//! `every_generated_file_is_reserved` catch a name that was forgotten.

/// The theme's files (`static/style.css`) and the highlighting stylesheet.
pub const STATIC_DIR: &str = "static";
/// Quiz pages and their scripts (`quizzes/<bank>.html`, `quizzes/<bank>.js`).
pub const QUIZZES_DIR: &str = "quizzes";
/// Exam pages, printable papers and answer keys.
pub const EXAMS_DIR: &str = "exams";
/// The search index.
pub const SEARCH_DIR: &str = "search";
/// The home page: content/index.md when there is one, else made from course.yaml.
pub const HOME_PAGE: &str = "index.html";
pub const NOT_FOUND_PAGE: &str = "404.html";
pub const SEARCH_PAGE: &str = "search.html";
/// The wrong-answer notebook (错题本).
pub const NOTEBOOK_PAGE: &str = "notebook.html";
/// The whole course on one page, for printing.
pub const PRINT_PAGE: &str = "print.html";
/// One print page per chapter (`print/<chapter>.html`).
pub const PRINT_DIR: &str = "print";
/// The flashcard drill over the Q&A entries.
pub const DRILL_PAGE: &str = "drill.html";
/// The service worker of the offline site: at the root, so that its scope
/// is the folder the site is hosted in (a sub-path too). Written last, from
/// every other file of the build (`pipeline::offline`).
pub const SERVICE_WORKER: &str = "sw.js";
/// The web app manifest (name, language, icons, colours).
pub const WEB_MANIFEST: &str = "manifest.webmanifest";

/// Folders at the site root that belong to lectern, and what goes in them.
const RESERVED_DIRS: &[(&str, &str)] = &[
    (STATIC_DIR, "the theme's files"),
    (QUIZZES_DIR, "the quiz pages"),
    (EXAMS_DIR, "the exam pages"),
    (SEARCH_DIR, "the search index"),
    (PRINT_DIR, "the chapters' print pages"),
];

/// Files at the site root that belong to lectern (the home page only to
/// content/index.md, which is checked by the caller).
const RESERVED_FILES: &[(&str, &str)] = &[
    (HOME_PAGE, "the home page, built from content/index.md"),
    (NOT_FOUND_PAGE, "the page shown for a missing address"),
    (SEARCH_PAGE, "the search page"),
    (NOTEBOOK_PAGE, "the wrong-answer notebook"),
    (PRINT_PAGE, "the whole course for printing"),
    (DRILL_PAGE, "the flashcard drill"),
    (SERVICE_WORKER, "the offline site's service worker"),
    (WEB_MANIFEST, "the web app manifest"),
];

/// A generated name a URL lands on or under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reserved {
    /// `static/` for a folder, `404.html` for a file.
    pub name: &'static str,
    pub is_dir: bool,
    /// What lectern writes there, for messages.
    pub purpose: &'static str,
}

/// Which generated name `url` (relative to the site root, `/`-separated)
/// lands on or under, if any. Letter case is ignored: on the case-insensitive
/// disks of Windows and macOS `Static/` is `static/`.
pub fn reserved(url: &str) -> Option<Reserved> {
    let (first, rest) = match url.split_once('/') {
        Some((first, rest)) => (first, Some(rest)),
        None => (url, None),
    };
    if rest.is_some() {
        RESERVED_DIRS
            .iter()
            .find(|(name, _)| first.eq_ignore_ascii_case(name))
            .map(|(name, purpose)| Reserved {
                name,
                is_dir: true,
                purpose,
            })
    } else {
        RESERVED_DIRS
            .iter()
            .map(|(name, purpose)| (*name, *purpose, true))
            .chain(RESERVED_FILES.iter().map(|(n, p)| (*n, *p, false)))
            .find(|(name, _, _)| first.eq_ignore_ascii_case(name))
            .map(|(name, purpose, is_dir)| Reserved {
                name,
                is_dir,
                purpose,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_files() {
        assert_eq!(reserved("static/style.css").map(|r| r.name), Some("static"));
        assert_eq!(reserved("Static/x/y.png").map(|r| r.name), Some("static"));
        assert_eq!(reserved("quizzes/a.html").map(|r| r.name), Some("quizzes"));
        assert_eq!(reserved("404.html").map(|r| r.name), Some("404.html"));
        assert_eq!(reserved("Search.HTML").map(|r| r.name), Some("search.html"));
        assert_eq!(reserved("index.html").map(|r| r.name), Some("index.html"));
        // A file named like a reserved folder would be in its way.
        assert_eq!(reserved("search").map(|r| r.is_dir), Some(true));
        // Only the site root is lectern's.
        assert_eq!(reserved("guide/static/x.png"), None);
        assert_eq!(reserved("guide/404.html"), None);
        assert_eq!(reserved("statics/x.png"), None);
        assert_eq!(reserved("intro.html"), None);
        assert_eq!(reserved("print/intro.html").map(|r| r.name), Some("print"));
        assert_eq!(reserved("SW.js").map(|r| r.name), Some("sw.js"));
        assert_eq!(
            reserved("manifest.webmanifest").map(|r| r.is_dir),
            Some(false)
        );
        assert_eq!(reserved("drill.html").map(|r| r.name), Some("drill.html"));
    }
}
