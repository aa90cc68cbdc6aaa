//! Where a course's files are: the one place that names a course's folders.
//!
//! Two layouts give the same `Site`:
//! - a lectern course: `course.yaml`, pages in `content/` (the folder tree
//!   is the book's tree), banks in `quizzes/`, theme overrides in `themes/`;
//! - an mdBook: `book.toml`, pages in its `src` folder (`src/SUMMARY.md` is
//!   the tree), with `quizzes/` and `themes/` beside book.toml, and an
//!   optional course.yaml there for lectern's own settings.
//!
//! Loading, watching, the output folder check and export ask a `Layout`
//! instead of naming folders themselves, so a third layout is one more
//! variant here and one more discovery in `content`.

use std::path::{Path, PathBuf};

/// The configuration file of a lectern course.
pub const COURSE_CONFIG: &str = "course.yaml";
/// The configuration file of an mdBook.
pub const BOOK_CONFIG: &str = "book.toml";
/// The table of contents of an mdBook, in its `src` folder.
pub const BOOK_SUMMARY: &str = "SUMMARY.md";
/// lectern's own folder in a course: never read as content (its name is
/// hidden, and hidden names are never found), never copied into the site.
pub const LECTERN_DIR: &str = ".lectern";
/// `lectern build`'s persistent cache, inside `LECTERN_DIR`.
pub const BUILD_CACHE_DIR: &str = ".lectern/cache";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Course,
    MdBook,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub format: Format,
    /// The folder holding the pages, relative to the course root.
    pub pages: PathBuf,
    pub quizzes: PathBuf,
    pub themes: PathBuf,
}

impl Default for Layout {
    fn default() -> Self {
        Layout::course()
    }
}

impl Layout {
    pub fn course() -> Layout {
        Layout {
            format: Format::Course,
            pages: PathBuf::from("content"),
            quizzes: PathBuf::from("quizzes"),
            themes: PathBuf::from("themes"),
        }
    }

    /// An mdBook whose pages are in `src` (book.toml's `[book] src`).
    pub fn book(src: PathBuf) -> Layout {
        Layout {
            format: Format::MdBook,
            pages: src,
            ..Layout::course()
        }
    }

    /// Which layout the folder `root` holds: an mdBook when book.toml is
    /// there (a course.yaml beside it only adds lectern's settings), a
    /// lectern course otherwise.
    pub fn format_of(root: &Path) -> Format {
        if std::fs::symlink_metadata(root.join(BOOK_CONFIG)).is_ok() {
            Format::MdBook
        } else {
            Format::Course
        }
    }

    /// The folder of exams, inside the quizzes folder.
    pub fn exams(&self) -> PathBuf {
        self.quizzes.join("exams")
    }

    /// The folders whose files are sources, relative to the root.
    pub fn source_dirs(&self) -> [&Path; 3] {
        [&self.pages, &self.quizzes, &self.themes]
    }

    /// The configuration files at the root.
    pub fn config_files(&self) -> &'static [&'static str] {
        match self.format {
            Format::Course => &[COURSE_CONFIG],
            Format::MdBook => &[BOOK_CONFIG, COURSE_CONFIG],
        }
    }

    /// The pages folder as diagnostics name it (`content`, `src`).
    pub fn pages_display(&self) -> String {
        self.pages.to_string_lossy().replace('\\', "/")
    }
}
