//! What rendering produces: files of the built site, as data. Writing them
//! is the output stage's job; rendering only hands them to a [`FileSink`].

use std::io;
use std::path::{Path, PathBuf};

/// A file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    pub contents: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, contents: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            contents: contents.into(),
        }
    }
}

/// A file copied as it is (images and other assets).
#[derive(Debug, Clone)]
pub struct CopiedFile {
    pub source: PathBuf,
    pub path: String,
}
/// Where files can be written as soon as they are made (the output stage's
/// staging folder), so a large site's pages are never all in memory.
pub trait FileSink: Sync {
    fn write_file(&self, file: &OutputFile) -> io::Result<()>;
    /// Writes the file at `path` piece by piece: `fill` is handed the open
    /// file (buffered) and writes its bytes in order. For documents too big
    /// to hold in memory whole (print.html is the whole course).
    fn write_streamed(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()>;
    /// The folder the files land in (the search index writes there itself).
    fn folder(&self) -> &Path;
}

/// Where rendered pages go.
#[derive(Clone, Copy)]
pub enum PageSink<'a> {
    /// Returned in memory (check, the dev server).
    Memory,
    /// Written to the staging folder as soon as each is rendered (build):
    /// at 10,000 pages, keeping every page's HTML cost gigabytes.
    Stage(&'a dyn FileSink),
}
