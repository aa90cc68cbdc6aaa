//! Full-text search that works in Chinese and from file://.
//!
//! At build time the engine hands over one [`SearchDoc`] per page section,
//! case study, Q&A entry and quiz question; [`write_index`] tokenizes them
//! ([`fold`], [`tokenizer`]), builds an inverted index ([`index`]) and writes it
//! as JavaScript files that register themselves ([`format`], [`writer`]), split
//! into shards that the browser loads only when a query needs their terms.
//! [`query`] and [`engine`] are the reference for what the browser does with
//! a query (themes/default/static/search-engine.js mirrors them), and
//! [`reader`] reads a written index back for tests and tools.

pub mod codec;
pub mod delta;
pub mod docs;
pub mod engine;
pub mod fold;
pub mod format;
pub mod index;
pub mod query;
pub mod reader;
pub mod scoring;
pub mod tokenizer;
pub mod writer;

#[cfg(test)]
mod delta_tests;
#[cfg(test)]
mod tests;

use std::fmt;

use crate::config::{SearchConfig, SynonymGroup};
use serde::{Deserialize, Serialize};

pub use writer::{write_index, write_index_with};

/// What a search result is, shown beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

/// What a course says about its index (course.yaml `search`).
#[derive(Debug, Clone, Default)]
pub struct IndexOptions {
    /// Number of shards; 0 chooses by size.
    pub shards: usize,
    /// Ranking weights (`search.weights` over the defaults).
    pub scoring: scoring::Scoring,
    /// Groups of equivalent terms (`search.synonyms`).
    pub synonyms: Vec<Vec<String>>,
}

impl IndexOptions {
    /// What the index writer needs of course.yaml's `search:` settings.
    pub fn from_config(search: &SearchConfig) -> IndexOptions {
        let mut scoring = scoring::Scoring::CURRENT;
        let w = &search.weights;
        let set = |v: Option<f64>, d: &mut f64| {
            if let Some(v) = v {
                *d = v;
            }
        };
        set(w.title, &mut scoring.title_lead);
        set(w.title_in_sections, &mut scoring.title_other);
        set(w.heading, &mut scoring.heading);
        set(w.body, &mut scoring.body);
        for (k, v) in [w.teaching, w.case, w.qa, w.quiz].into_iter().enumerate() {
            set(v, &mut scoring.kinds[k]);
        }
        IndexOptions {
            shards: search.shards,
            scoring,
            synonyms: search.synonyms.iter().map(SynonymGroup::terms).collect(),
        }
    }
}

/// What the index writer reports at the end of a build.
#[derive(Debug, Clone, Default)]
pub struct IndexStats {
    /// Sections indexed.
    pub docs: usize,
    pub shards: usize,
    /// Bytes of every file under `search/`.
    pub bytes: u64,
    /// Distinct terms.
    pub terms: usize,
    /// `docs-N.js` files (stored sections, for showing results).
    pub doc_chunks: usize,
    pub tail_files: usize,
    /// Bytes of all shards (the postings), and of the largest one.
    pub postings_bytes: u64,
    pub largest_shard_bytes: u64,
}

impl fmt::Display for IndexStats {
    /// One line for the end of a build: `search index: 312 sections, 4 shards, 420.1 KB (largest shard 61.0 KB)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kb = |b: u64| b as f64 / 1024.0;
        write!(
            f,
            "search index: {} sections, {} terms, {:.1} KB in {} shard{} (largest {:.1} KB) + {} tail{} + {} section file{}",
            self.docs,
            self.terms,
            kb(self.bytes),
            self.shards,
            if self.shards == 1 { "" } else { "s" },
            kb(self.largest_shard_bytes),
            self.tail_files,
            if self.tail_files == 1 { "" } else { "s" },
            self.doc_chunks,
            if self.doc_chunks == 1 { "" } else { "s" },
        )
    }
}
