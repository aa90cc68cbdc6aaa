//! Writes the index files under `out_dir/search/` (see `format` for what each holds).

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;

use super::format::{
    self, encode_norm, encode_postings, shard_of, wrap, Meta, StoredDoc, FORMAT_VERSION,
};
use super::index::{self, InvertedIndex, BODY_BASE, HEADING_BASE, TITLE_BASE};
use super::tokenizer::is_cjk;
use super::{IndexStats, SearchDoc};

/// Shard size aimed at when the course does not fix the number of shards.
/// A query loads one shard per distinct term (a four-character Chinese query
/// has three pairs), so smaller shards mean fewer bytes per query; 24 KB
/// keeps that near 100 KB on the shipped course (~40 shards) while a
/// 10,000-page site stays within a few thousand files.
pub const SHARD_TARGET_BYTES: usize = 24 * 1024;
pub const MAX_SHARDS: usize = 4096;
/// Sections are stored in chunks of about this much JSON, cut at section
/// boundaries: showing eight results loads up to eight chunks, so they are
/// kept small, but not a file per section.
pub const DOC_CHUNK_BYTES: usize = 8 * 1024;

/// The number of shards for postings of `total_bytes` when the course leaves it to us.
pub fn auto_shard_count(total_bytes: usize) -> usize {
    total_bytes
        .div_ceil(SHARD_TARGET_BYTES)
        .clamp(1, MAX_SHARDS)
}

/// Whether a term is a word (as opposed to a CJK character or pair), i.e.
/// belongs in the dictionary partial words are expanded against.
fn is_word(term: &str) -> bool {
    term.chars().next().is_some_and(|c| !is_cjk(c))
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("index data serializes")
}

/// FNV-1a 64 over the files' text: the build id.
fn content_hash<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Writes the index of `docs` under `out_dir/search/`; `shards` 0 chooses by size.
pub fn write_index(docs: &[SearchDoc], out_dir: &Path, shards: usize) -> io::Result<IndexStats> {
    let index = index::build(docs);
    let files = render_files(docs, &index, shards);
    let dir = out_dir.join("search");
    fs::create_dir_all(&dir)?;
    let mut stats = files.stats;
    for (name, text) in &files.files {
        fs::write(dir.join(name), text)?;
    }
    stats.bytes = files.files.iter().map(|(_, t)| t.len() as u64).sum();
    Ok(stats)
}

pub struct RenderedFiles {
    /// File name (inside `search/`) and content.
    pub files: Vec<(String, String)>,
    pub stats: IndexStats,
}

/// The index files' names and text, without touching the disk.
pub fn render_files(docs: &[SearchDoc], index: &InvertedIndex, shards: usize) -> RenderedFiles {
    let mut encoded: Vec<(&String, String)> = index
        .terms
        .iter()
        .map(|(t, p)| (t, encode_postings(p)))
        .collect();
    encoded.sort_by(|a, b| a.0.cmp(b.0));
    let postings_bytes: usize = encoded.iter().map(|(t, p)| t.len() + p.len() + 6).sum();
    let shard_count = if shards == 0 {
        auto_shard_count(postings_bytes)
    } else {
        shards.min(MAX_SHARDS)
    };

    let mut shard_maps: Vec<BTreeMap<&str, &str>> = vec![BTreeMap::new(); shard_count];
    for (term, postings) in &encoded {
        shard_maps[shard_of(term, shard_count as u32) as usize]
            .insert(term.as_str(), postings.as_str());
    }
    let words: Vec<&str> = encoded
        .iter()
        .map(|(t, _)| t.as_str())
        .filter(|t| is_word(t))
        .collect();

    let mut files: Vec<(String, String)> = Vec::new();
    for (n, map) in shard_maps.iter().enumerate() {
        files.push((format!("shard-{n}.js"), wrap("shard", n, &json(map))));
    }
    files.push(("words.js".into(), wrap("words", 0, &json(&words.join(" ")))));

    let mut chunks = Vec::new();
    let mut chunk: Vec<String> = Vec::new();
    let mut chunk_bytes = 0;
    for (id, doc) in docs.iter().enumerate() {
        if chunk.is_empty() {
            chunks.push(id as u32);
        }
        let stored = json(&StoredDoc(
            doc.kind,
            doc.url.clone(),
            doc.title.clone(),
            doc.heading.clone(),
            doc.breadcrumb.clone(),
            doc.text.clone(),
        ));
        chunk_bytes += stored.len();
        chunk.push(stored);
        if chunk_bytes >= DOC_CHUNK_BYTES || id + 1 == docs.len() {
            let n = chunks.len() - 1;
            files.push((
                format!("docs-{n}.js"),
                wrap("docs", n, &format!("[{}]", chunk.join(","))),
            ));
            chunk.clear();
            chunk_bytes = 0;
        }
    }

    let norms: String = index
        .body_lengths
        .iter()
        .zip(&index.lead)
        .map(|(&len, &lead)| encode_norm(len, lead))
        .collect();
    let avg_body = if docs.is_empty() {
        0.0
    } else {
        norms.chars().map(|c| format::decode_norm(c).0).sum::<f64>() / docs.len() as f64
    };
    let meta = Meta {
        format: FORMAT_VERSION,
        build: content_hash(files.iter().map(|(_, t)| t.as_str())),
        docs: docs.len() as u32,
        shards: shard_count as u32,
        chunks,
        norms,
        avg_body,
        bases: [TITLE_BASE, HEADING_BASE, BODY_BASE],
        words: words.len() as u32,
    };
    files.push(("meta.js".into(), wrap("meta", 0, &json(&meta))));

    let shard_bytes = |f: &(String, String)| {
        if f.0.starts_with("shard-") {
            f.1.len() as u64
        } else {
            0
        }
    };
    let stats = IndexStats {
        docs: docs.len(),
        shards: shard_count,
        bytes: files.iter().map(|(_, t)| t.len() as u64).sum(),
        terms: encoded.len(),
        doc_chunks: meta.chunks.len(),
        postings_bytes: files.iter().map(shard_bytes).sum(),
        largest_shard_bytes: files.iter().map(shard_bytes).max().unwrap_or(0),
    };
    RenderedFiles { files, stats }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_shard_count_grows_with_size() {
        assert_eq!(auto_shard_count(0), 1);
        assert_eq!(auto_shard_count(SHARD_TARGET_BYTES), 1);
        assert_eq!(auto_shard_count(SHARD_TARGET_BYTES + 1), 2);
        assert_eq!(auto_shard_count(usize::MAX / 2), MAX_SHARDS);
    }

    #[test]
    fn words_are_the_non_cjk_terms() {
        assert!(is_word("crm") && is_word("2024") && is_word("café"));
        assert!(!is_word("客") && !is_word("客户") && !is_word("かな"));
    }
}
