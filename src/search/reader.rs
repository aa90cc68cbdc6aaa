//! Reads an index back from `search/`: for tests (round trip, recall over a
//! built site) and for searching a built site from Rust.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::Path;

use super::format::{decode_postings, unwrap, Meta, StoredDoc, FORMAT_VERSION};
use super::index::Posting;

/// A whole index, every file read.
#[derive(Debug, Clone)]
pub struct IndexFiles {
    pub meta: Meta,
    /// Sorted.
    pub words: Vec<String>,
    /// Encoded postings of every term (shards merged).
    pub terms: HashMap<String, String>,
    /// Which shard each term was found in.
    pub term_shard: HashMap<String, u32>,
    pub docs: Vec<StoredDoc>,
}

fn bad(file: &str, e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("search/{file}: {e}"))
}

fn read_payload<T: serde::de::DeserializeOwned>(
    read: &impl Fn(&str) -> io::Result<String>,
    file: &str,
    kind: &str,
) -> io::Result<(usize, T)> {
    let text = read(file)?;
    let (n, payload) = unwrap(&text, kind).map_err(|e| bad(file, e))?;
    Ok((n, serde_json::from_str(payload).map_err(|e| bad(file, e))?))
}

/// Reads the index written under `site_dir/search/`.
pub fn read_index(site_dir: &Path) -> io::Result<IndexFiles> {
    let dir = site_dir.join("search");
    parse_index(|file| fs::read_to_string(dir.join(file)))
}

/// Reads an index from files given by name (`meta.js`, `shard-0.js` …), e.g.
/// those [`super::writer::render_files`] made in memory.
pub fn parse_index(read: impl Fn(&str) -> io::Result<String>) -> io::Result<IndexFiles> {
    let dir = &read;
    let (_, meta): (_, Meta) = read_payload(dir, "meta.js", "meta")?;
    if meta.format != FORMAT_VERSION {
        return Err(bad(
            "meta.js",
            format!(
                "index format {} (this lectern reads {FORMAT_VERSION})",
                meta.format
            ),
        ));
    }
    let (_, words): (_, String) = read_payload(dir, "words.js", "words")?;
    let mut terms = HashMap::new();
    let mut term_shard = HashMap::new();
    for n in 0..meta.shards {
        let file = format!("shard-{n}.js");
        let (number, map): (_, HashMap<String, String>) = read_payload(dir, &file, "shard")?;
        if number != n as usize {
            return Err(bad(&file, format!("registers itself as shard {number}")));
        }
        for (term, postings) in map {
            term_shard.insert(term.clone(), n);
            terms.insert(term, postings);
        }
    }
    let mut docs = Vec::with_capacity(meta.docs as usize);
    for n in 0..meta.chunks.len() {
        let file = format!("docs-{n}.js");
        let (_, chunk): (_, Vec<StoredDoc>) = read_payload(dir, &file, "docs")?;
        if docs.len() != meta.chunks[n] as usize {
            return Err(bad(&file, "chunk does not start where meta.js says"));
        }
        docs.extend(chunk);
    }
    if docs.len() != meta.docs as usize {
        return Err(bad(
            "meta.js",
            format!("{} sections announced, {} stored", meta.docs, docs.len()),
        ));
    }
    let words = words
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    Ok(IndexFiles {
        meta,
        words,
        terms,
        term_shard,
        docs,
    })
}

impl IndexFiles {
    /// The decoded postings of `term` (empty when it is not in the index).
    pub fn postings(&self, term: &str) -> Vec<Posting> {
        self.terms
            .get(term)
            .map(|p| decode_postings(p).expect("postings written by lectern decode"))
            .unwrap_or_default()
    }
}
