//! Reads an index back from `search/`: for tests (round trip, recall over a
//! built site) and for searching a built site from Rust.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::Path;

use super::format::{
    decode_entry, decode_pages, decode_postings, section_pages, unwrap, Entry, Meta, Posting,
    StoredDoc, FORMAT_VERSION,
};
use super::scoring::KindClass;

/// A whole index, every file read.
#[derive(Debug, Clone)]
pub struct IndexFiles {
    pub meta: Meta,
    /// Sorted.
    pub words: Vec<String>,
    /// Every word group as written (`words-N.js`).
    pub word_groups: Vec<Vec<String>>,
    /// Full postings of every term (head and tail merged), ascending sections.
    pub terms: HashMap<String, Vec<Posting>>,
    /// Each term's shard entry as written.
    pub entries: HashMap<String, Entry>,
    /// Which shard each term was found in.
    pub term_shard: HashMap<String, u32>,
    /// (length step, lead) of every section, as its postings carry them.
    pub norms: Vec<(u8, bool)>,
    pub docs: Vec<StoredDoc>,
    /// Per section, its page's number and kind (from `meta.pages`).
    pub pages: Vec<(u32, KindClass)>,
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
    let mut norms = vec![(0u8, false); meta.docs as usize];
    let mut record = |file: &str, postings: Vec<(Posting, (u8, bool))>| {
        let mut out = Vec::with_capacity(postings.len());
        for (p, norm) in postings {
            *norms
                .get_mut(p.doc as usize)
                .ok_or_else(|| bad(file, format!("section {} out of range", p.doc)))? = norm;
            out.push(p);
        }
        Ok::<_, io::Error>(out)
    };

    let mut tails: HashMap<String, (u32, String)> = HashMap::new();
    for n in 0..meta.tails {
        let file = format!("tail-{n}.js");
        let (_, map): (_, HashMap<String, String>) = read_payload(dir, &file, "tail")?;
        for (term, postings) in map {
            tails.insert(term, (n, postings));
        }
    }

    let mut terms = HashMap::new();
    let mut entries = HashMap::new();
    let mut term_shard = HashMap::new();
    for n in 0..meta.shards {
        let file = format!("shard-{n}.js");
        let (number, map): (_, HashMap<String, String>) = read_payload(dir, &file, "shard")?;
        if number != n as usize {
            return Err(bad(&file, format!("registers itself as shard {number}")));
        }
        for (term, text) in map {
            let entry = decode_entry(&text).map_err(|e| bad(&file, format!("{term}: {e}")))?;
            let mut postings = record(
                &file,
                decode_postings(&entry.head).map_err(|e| bad(&file, format!("{term}: {e}")))?,
            )?;
            if let Some(t) = entry.tail {
                let (found_in, tail) = tails
                    .remove(&term)
                    .ok_or_else(|| bad(&file, format!("{term}: tail missing")))?;
                if found_in != t {
                    return Err(bad(
                        &file,
                        format!("{term}: tail in file {found_in}, not {t}"),
                    ));
                }
                let tail_file = format!("tail-{t}.js");
                postings.extend(record(
                    &tail_file,
                    decode_postings(&tail).map_err(|e| bad(&tail_file, format!("{term}: {e}")))?,
                )?);
                postings.sort_by_key(|p| p.doc);
            }
            if postings.len() != entry.df as usize {
                return Err(bad(
                    &file,
                    format!(
                        "{term}: {} sections announced, {} found",
                        entry.df,
                        postings.len()
                    ),
                ));
            }
            term_shard.insert(term.clone(), n);
            terms.insert(term.clone(), postings);
            entries.insert(term, entry);
        }
    }
    if let Some(term) = tails.keys().next() {
        return Err(bad(
            "tail files",
            format!("{term}: a tail without an entry"),
        ));
    }

    let mut word_groups = Vec::new();
    let mut words = BTreeSet::new();
    for n in 0..meta.word_groups {
        let (_, group): (_, String) = read_payload(dir, &format!("words-{n}.js"), "words")?;
        let list: Vec<String> = group
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect();
        words.extend(list.iter().cloned());
        word_groups.push(list);
    }

    let mut docs = Vec::with_capacity(meta.docs as usize);
    let chunk = meta.chunk_docs.max(1) as usize;
    for n in 0..(meta.docs as usize).div_ceil(chunk) {
        let file = format!("docs-{n}.js");
        let (_, stored): (_, Vec<StoredDoc>) = read_payload(dir, &file, "docs")?;
        if stored.len() != chunk.min(meta.docs as usize - docs.len()) {
            return Err(bad(&file, "wrong number of sections"));
        }
        docs.extend(stored);
    }
    let pages = section_pages(&decode_pages(&meta.pages).map_err(|e| bad("meta.js", e))?);
    if pages.len() != meta.docs as usize {
        return Err(bad("meta.js", "pages do not cover every section"));
    }
    Ok(IndexFiles {
        pages,
        meta,
        words: words.into_iter().collect(),
        word_groups,
        terms,
        entries,
        term_shard,
        norms,
        docs,
    })
}

impl IndexFiles {
    /// The postings of `term` (empty when it is not in the index).
    pub fn postings(&self, term: &str) -> &[Posting] {
        self.terms.get(term).map(Vec::as_slice).unwrap_or(&[])
    }
}
