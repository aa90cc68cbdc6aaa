//! Full-text search: tokenizer and index writer. (Owned by the search work; see issue 4.)

use std::path::Path;

use serde::Serialize;

/// What a search result is, shown beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Page,
    Section,
    Case,
    Qa,
    Question,
}

/// One searchable unit: a section of a page (heading-level), a case study,
/// a Q&A entry or a quiz question.
#[derive(Debug, Clone, Serialize)]
pub struct SearchDoc {
    /// Link relative to the site root, with the anchor: `x/y.html#客户的分类`.
    pub url: String,
    /// Title of the page it belongs to.
    pub title: String,
    /// Heading of the section ("" for a page's text before its first heading).
    pub heading: String,
    /// Chapter › page, for display.
    pub breadcrumb: Vec<String>,
    pub kind: DocKind,
    /// Plain text body.
    pub text: String,
}

/// What the index writer reports at the end of a build.
#[derive(Debug, Clone, Default)]
pub struct IndexStats {
    pub docs: usize,
    pub shards: usize,
    pub bytes: u64,
}

/// Writes the index as JavaScript files under `out_dir/search/`.
pub fn write_index(
    docs: &[SearchDoc],
    out_dir: &Path,
    shards: usize,
) -> std::io::Result<IndexStats> {
    let _ = (docs, out_dir, shards);
    Ok(IndexStats::default())
}
