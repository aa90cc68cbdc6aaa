//! Writes the index files under `out_dir/search/` (see `format` for what each holds).

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use super::codec::{push_uint, Decoder};
use super::format::{
    encode_entry, encode_pages, shard_of, term_hash, wrap, Entry, Meta, FORMAT_VERSION,
};
use super::index::{self, InvertedIndex, TermPostings, HEAD_POSTINGS};
use super::scoring::{BODY_BASE, HEADING_BASE, TITLE_BASE};
use super::tokenizer::is_cjk;
use super::{IndexOptions, IndexStats, SearchDoc};

/// Shard size aimed at when the course does not fix the number of shards.
/// A query loads one shard per distinct term (a five-character Chinese query
/// has three triples), and shards hold only heads, so small shards keep a
/// query's bytes low without a file per term. Each file costs too: creating
/// thousands of small files is a large part of a rebuild's system time
/// (bench/profile.md), so shards are not smaller than this.
pub const SHARD_TARGET_BYTES: usize = 16 * 1024;
pub const MAX_SHARDS: usize = 8192;
/// Tails are packed into files of about this size, in term order.
pub const TAIL_TARGET_BYTES: usize = 64 * 1024;
/// Sections are stored in files of about this much JSON (a whole number of
/// sections per file, the same for every file so that no table is needed):
/// showing eight results loads up to eight of them, so this trades a first
/// query's bytes against the number of files a build writes.
pub const DOC_CHUNK_BYTES: usize = 6 * 1024;
pub const MAX_CHUNK_DOCS: usize = 64;
/// Size aimed at for each group of the word dictionary.
pub const WORD_GROUP_TARGET_BYTES: usize = 8 * 1024;
pub const MAX_WORD_GROUPS: usize = 1024;

/// The number of shards for heads of `total_bytes` when the course leaves it to us.
pub fn auto_shard_count(total_bytes: usize) -> usize {
    total_bytes
        .div_ceil(SHARD_TARGET_BYTES)
        .clamp(1, MAX_SHARDS)
}

/// Whether a term is a word (as opposed to a CJK character, pair or triple),
/// i.e. belongs in the dictionary partial words are expanded against.
pub(super) fn is_word(term: &str) -> bool {
    term.chars().next().is_some_and(|c| !is_cjk(c))
}

/// The character of a one-character term.
pub(super) fn single_char(term: &str) -> Option<char> {
    let mut chars = term.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// The keys a word is filed under in the dictionary groups: each pair of
/// adjacent characters, `^` and its first character, its last character and
/// `$`. Any word containing a query word of two or more characters contains
/// that word's first pair, so the group of that pair has every candidate;
/// a one-letter word is only ever matched as a prefix or suffix.
pub fn word_keys(word: &str) -> BTreeSet<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut keys: BTreeSet<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
    if let (Some(first), Some(last)) = (chars.first(), chars.last()) {
        keys.insert(format!("^{first}"));
        keys.insert(format!("{last}$"));
    }
    keys
}

pub fn word_group(key: &str, groups: u32) -> u32 {
    term_hash(key) % groups.max(1)
}

pub(super) fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("index data serializes")
}

/// A JSON object from (key, value) pairs in ascending key order, each key
/// once: the bytes a `BTreeMap` of them serializes to, without building one
/// (inserting every term of a large index into ordered maps, one string
/// comparison after another, was a tenth of writing it).
pub(super) struct SortedPairs<'a>(pub &'a [(&'a str, &'a str)]);

impl serde::Serialize for SortedPairs<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// FNV-1a 64.
pub(super) fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}
pub(super) const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// The synonym groups as queries meet them: folded, each term once, groups
/// of fewer than two terms left out.
pub fn folded_synonyms(groups: &[Vec<String>]) -> Vec<Vec<String>> {
    groups
        .iter()
        .filter_map(|g| {
            let mut terms: Vec<String> = Vec::new();
            for t in g {
                let t = super::fold::fold_str(t.trim());
                if !t.is_empty() && !terms.contains(&t) {
                    terms.push(t);
                }
            }
            (terms.len() > 1).then_some(terms)
        })
        .collect()
}

/// Where index files go: a name inside `search/` and the text.
type Emit<'a> = dyn Fn(&str, String) -> io::Result<()> + Sync + 'a;

/// Writes the index of `docs` under `out_dir/search/`; `shards` 0 chooses by
/// size. Files are written as they are made, so the index is never held
/// whole in memory.
pub fn write_index(
    docs: &[SearchDoc],
    out_dir: &Path,
    options: &IndexOptions,
) -> io::Result<IndexStats> {
    write_index_with(docs, out_dir, options, None)
}

/// [`write_index`], reusing and refreshing sections' terms in `memo` (the
/// build cache's).
pub fn write_index_with(
    docs: &[SearchDoc],
    out_dir: &Path,
    options: &IndexOptions,
    memo: Option<&mut index::SectionMemo>,
) -> io::Result<IndexStats> {
    let dir = out_dir.join(crate::generated::SEARCH_DIR);
    fs::create_dir_all(&dir)?;
    emit_files(
        docs,
        index::build_with(docs, &options.scoring, memo),
        options,
        &|name, text| fs::write(dir.join(name), text),
    )
}

pub struct RenderedFiles {
    /// File name (inside `search/`) and content, sorted by name: the files
    /// made anew.
    pub files: Vec<(String, String)>,
    /// The files of the last index made with the same
    /// [`super::delta::IndexMemo`] that this one has not; every other file
    /// of the last index not in `files` is this one's, byte for byte. None:
    /// `files` is the whole index.
    pub gone: Option<Vec<String>>,
    pub stats: IndexStats,
}

/// The index files' names and text, in memory.
pub fn render_files(docs: &[SearchDoc], options: &IndexOptions) -> RenderedFiles {
    let files = Mutex::new(Vec::new());
    let built = index::build(docs, &options.scoring);
    let stats = emit_files(docs, built, options, &|name, text| {
        files
            .lock()
            .expect("no writer panics")
            .push((name.to_string(), text));
        Ok(())
    })
    .expect("writing to memory cannot fail");
    let mut files = files.into_inner().expect("no writer panics");
    files.sort();
    RenderedFiles {
        files,
        gone: None,
        stats,
    }
}

/// A term's shard entry (tail file not yet assigned) and its tail.
pub(super) struct SplitTerm {
    pub term: String,
    pub entry: Entry,
    pub tail: Option<String>,
}

/// Splits a term's postings into its head (the [`HEAD_POSTINGS`] sections
/// where it weighs most) and the rest, both encoded in section order.
pub(super) fn split_term(term: String, postings: &TermPostings) -> SplitTerm {
    if postings.df as usize <= HEAD_POSTINGS {
        return SplitTerm {
            term,
            entry: Entry {
                df: postings.df,
                tail: None,
                head: postings.encoded.clone(),
            },
            tail: None,
        };
    }
    let mut head_docs: Vec<u32> = postings.head_docs().collect();
    head_docs.sort_unstable();
    // Only the gap before a posting depends on the postings before it: the
    // rest (length step, count and positions) is copied as it is.
    let encoded = postings.encoded.as_str();
    let mut d = Decoder::new(encoded);
    let (mut head, mut tail) = (String::new(), String::new());
    let (mut last_head, mut last_tail): (i64, i64) = (-1, -1);
    let mut doc: i64 = -1;
    let corrupt = "postings encoded by the index decode";
    while !d.is_empty() {
        doc += d.next_uint().expect(corrupt) as i64 + 1;
        let body_start = d.position();
        d.next_uint().expect(corrupt);
        let count = d.next_uint().expect(corrupt) / 2;
        for _ in 0..count {
            d.next_uint().expect(corrupt);
        }
        let (out, last) = if head_docs.binary_search(&(doc as u32)).is_ok() {
            (&mut head, &mut last_head)
        } else {
            (&mut tail, &mut last_tail)
        };
        push_uint(out, (doc - *last - 1) as u64);
        out.push_str(&encoded[body_start..d.position()]);
        *last = doc;
    }
    SplitTerm {
        term,
        entry: Entry {
            df: postings.df,
            tail: None,
            head,
        },
        tail: Some(tail),
    }
}

/// Makes every index file of `docs` and hands each to `emit`, `meta.js` last.
pub fn emit_files(
    docs: &[SearchDoc],
    mut index: InvertedIndex,
    options: &IndexOptions,
    emit: &Emit,
) -> io::Result<IndexStats> {
    let shards = options.shards;
    let hashes = Mutex::new(Vec::new());
    let bytes = AtomicU64::new(0);
    let out = |name: String, text: String| {
        hashes
            .lock()
            .expect("no writer panics")
            .push((name.clone(), fnv(text.as_bytes(), FNV_START)));
        bytes.fetch_add(text.len() as u64, Ordering::Relaxed);
        emit(&name, text)
    };

    // Heads and tails, one merge group at a time so that only one group's
    // tails are in memory; tails are numbered in the order they are packed.
    let mut entries: Vec<(String, String)> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut index_chars: Vec<char> = Vec::new();
    let mut tail_files = 0usize;
    let mut tail_bytes_total = 0u64;
    for group in index.groups.iter_mut() {
        let mut terms: Vec<(String, TermPostings)> = std::mem::take(group).into_iter().collect();
        terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut split: Vec<SplitTerm> = terms
            .into_par_iter()
            .map(|(t, p)| split_term(t, &p))
            .collect();
        // Terms come in ascending order, so each pack is too.
        let mut packs: Vec<Vec<(&str, &str)>> = Vec::new();
        let mut packer = Packer::default();
        let mut tail_numbers = vec![None; split.len()];
        for (i, s) in split.iter().enumerate() {
            if let Some(tail) = &s.tail {
                let k = packer.place(&s.term, tail);
                if k == packs.len() {
                    packs.push(Vec::new());
                }
                packs[k].push((&s.term, tail));
                tail_numbers[i] = Some((tail_files + k) as u32);
            }
        }
        packs.par_iter().enumerate().try_for_each(|(k, pack)| {
            let n = tail_files + k;
            out(format!("tail-{n}.js"), tail_file(n, pack))
        })?;
        tail_bytes_total += packs
            .iter()
            .flatten()
            .map(|(_, t)| t.len() as u64)
            .sum::<u64>();
        tail_files += packs.len();
        drop(packs);
        for (s, tail) in split.iter_mut().zip(tail_numbers) {
            s.entry.tail = tail;
            s.tail = None;
        }
        for s in split {
            if is_word(&s.term) {
                words.push(s.term.clone());
            } else if let Some(c) = single_char(&s.term) {
                index_chars.push(c);
            }
            let entry = encode_entry(&s.entry);
            entries.push((s.term, entry));
        }
    }
    let avg_body = index.avg_body;
    drop(index);
    let term_count = entries.len();

    // Shards of heads.
    let head_bytes: usize = entries.iter().map(|(t, e)| t.len() + e.len() + 6).sum();
    let shard_count = if shards == 0 {
        auto_shard_count(head_bytes)
    } else {
        shards.min(MAX_SHARDS)
    };
    let mut shard_maps: Vec<Vec<(&str, &str)>> = vec![Vec::new(); shard_count];
    for (term, entry) in &entries {
        shard_maps[shard_of(term, shard_count as u32) as usize].push((term, entry));
    }
    let shard_sizes: Vec<u64> = shard_maps
        .par_iter_mut()
        .enumerate()
        .map(|(n, pairs)| {
            let text = shard_file(n, pairs);
            let len = text.len() as u64;
            out(format!("shard-{n}.js"), text).map(|_| len)
        })
        .collect::<io::Result<_>>()?;
    drop(shard_maps);
    drop(entries);

    // The word dictionary, grouped by key.
    words.par_sort_unstable();
    let (_, groups) = word_groups(&words);
    groups
        .par_iter()
        .enumerate()
        .try_for_each(|(n, group)| out(format!("words-{n}.js"), words_file(n, group)))?;
    let word_groups = groups.len();
    drop(groups);

    // Stored sections, a fixed number per file, chosen from their sizes.
    let chunk_docs = chunk_docs(docs);
    docs.par_chunks(chunk_docs)
        .enumerate()
        .try_for_each(|(n, chunk)| out(format!("docs-{n}.js"), docs_file(n, chunk)))?;
    let doc_chunks = docs.len().div_ceil(chunk_docs);

    let (fold_chars, fold_text) = fold_file(index_chars);
    out("fold-0.js".into(), fold_text)?;

    let mut hashes = std::mem::take(&mut *hashes.lock().expect("no writer panics"));
    hashes.sort();
    let build = build_id(hashes.iter().map(|(n, h)| (n.as_str(), *h)));
    let counts = Counts {
        shards: shard_count,
        tails: tail_files,
        chunk_docs,
        words: words.len(),
        word_groups,
        fold_chars,
    };
    out(
        "meta.js".into(),
        meta_file(docs, options, avg_body, &counts, build),
    )?;

    Ok(IndexStats {
        docs: docs.len(),
        shards: shard_count,
        bytes: bytes.load(Ordering::Relaxed),
        terms: term_count,
        doc_chunks,
        tail_files,
        postings_bytes: shard_sizes.iter().sum::<u64>() + tail_bytes_total,
        largest_shard_bytes: shard_sizes.iter().copied().max().unwrap_or(0),
    })
}

/// Places tails in `tail-N.js` packs, in term order: a pack takes tails
/// until the next would take it over [`TAIL_TARGET_BYTES`].
#[derive(Default)]
pub(super) struct Packer {
    packs: usize,
    bytes: usize,
}

impl Packer {
    /// The pack (counted from this packer's first) the tail of `term` goes in.
    pub(super) fn place(&mut self, term: &str, tail: &str) -> usize {
        if self.packs == 0 || self.bytes + tail.len() > TAIL_TARGET_BYTES {
            self.packs += 1;
            self.bytes = 0;
        }
        self.bytes += tail.len() + term.len() + 6;
        self.packs - 1
    }
}

pub(super) fn tail_file(n: usize, pack: &[(&str, &str)]) -> String {
    wrap("tail", n, &json(&SortedPairs(pack)))
}

/// Shard `n`'s text from its (term, entry) pairs, in any order.
pub(super) fn shard_file(n: usize, pairs: &mut [(&str, &str)]) -> String {
    // Terms are distinct: an unstable sort gives the one order.
    pairs.sort_unstable_by(|a, b| a.0.cmp(b.0));
    wrap("shard", n, &json(&SortedPairs(pairs)))
}

/// The keys of [`word_keys`], each a pair of characters, each once (in no
/// particular order): without a `String` and a set per word, which were
/// most of making the dictionary.
pub(super) fn key_pairs(word: &str) -> Vec<(char, char)> {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return Vec::new();
    };
    let mut keys = vec![('^', first)];
    let mut last = first;
    for c in chars {
        keys.push((last, c));
        last = c;
    }
    keys.push((last, '$'));
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// [`word_group`] of a two-character key.
pub(super) fn pair_group((a, b): (char, char), groups: u32) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for c in [a, b] {
        h ^= c as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h % groups.max(1)
}

/// The dictionary of `words` (ascending): its size in key bytes and each
/// group's words, ascending.
pub(super) fn word_groups(words: &[String]) -> (usize, Vec<Vec<&str>>) {
    let keyed: Vec<Vec<(char, char)>> = words.par_iter().map(|w| key_pairs(w)).collect();
    let key_bytes: usize = words
        .iter()
        .zip(&keyed)
        .map(|(w, k)| (w.len() + 1) * k.len())
        .sum();
    // Words come in ascending order, so each group's list is too; a word
    // two of whose keys fall in one group is pushed once.
    let count = word_group_count(key_bytes);
    let mut groups: Vec<Vec<&str>> = vec![Vec::new(); count];
    for (word, keys) in words.iter().zip(&keyed) {
        for &key in keys {
            let group = &mut groups[pair_group(key, count as u32) as usize];
            if group.last() != Some(&word.as_str()) {
                group.push(word);
            }
        }
    }
    (key_bytes, groups)
}

/// The number of dictionary groups for keys of `key_bytes`.
pub(super) fn word_group_count(key_bytes: usize) -> usize {
    key_bytes
        .div_ceil(WORD_GROUP_TARGET_BYTES)
        .clamp(1, MAX_WORD_GROUPS)
}

/// `words-N.js`: the words of group `n`.
pub(super) fn words_file<S: AsRef<str>>(n: usize, group: &[S]) -> String {
    let words: Vec<&str> = group.iter().map(AsRef::as_ref).collect();
    wrap("words", n, &json(&words.join(" ")))
}

/// Sections per `docs-N.js` file, chosen from their sizes.
pub(super) fn chunk_docs(docs: &[SearchDoc]) -> usize {
    let approx_bytes: usize = docs
        .iter()
        .map(|d| {
            40 + d.url.len()
                + d.title.len()
                + d.heading.len()
                + d.text.len()
                + d.breadcrumb.iter().map(|b| b.len() + 3).sum::<usize>()
        })
        .sum();
    if docs.is_empty() {
        1
    } else {
        (DOC_CHUNK_BYTES * docs.len() / approx_bytes.max(1)).clamp(1, MAX_CHUNK_DOCS)
    }
}

/// `docs-N.js`: the stored sections of `chunk`.
pub(super) fn docs_file(n: usize, chunk: &[SearchDoc]) -> String {
    let stored: Vec<String> = chunk
        .iter()
        .map(|doc| {
            // Serialises as `StoredDoc` does (a JSON array), without
            // copying the section's text first.
            json(&(
                doc.kind,
                &doc.url,
                &doc.title,
                &doc.heading,
                &doc.breadcrumb,
                &doc.text,
            ))
        })
        .collect();
    wrap("docs", n, &format!("[{}]", stored.join(",")))
}

/// The Traditional → Simplified pairs a query may need (fold.rs) for the
/// index's single characters `chars`, loaded by search.js only when a query
/// finds nothing as typed: their number and `fold-0.js`.
pub(super) fn fold_file(chars: impl IntoIterator<Item = char>) -> (usize, String) {
    let fold_table = super::fold::table_for(chars);
    let fold_pairs: String = fold_table.iter().flat_map(|(&f, &t)| [f, t]).collect();
    (fold_table.len(), wrap("fold", 0, &json(&fold_pairs)))
}

/// The numbers of files and entries `meta.js` gives.
pub(super) struct Counts {
    pub shards: usize,
    pub tails: usize,
    pub chunk_docs: usize,
    pub words: usize,
    pub word_groups: usize,
    pub fold_chars: usize,
}

/// The build id: a hash over every file's name and hash but `meta.js`'s,
/// in name order.
pub(super) fn build_id<'a>(hashes: impl Iterator<Item = (&'a str, u64)>) -> u64 {
    hashes.fold(FNV_START, |h, (name, file)| {
        fnv(&file.to_le_bytes(), fnv(name.as_bytes(), h))
    })
}

/// `meta.js`, naming the `build` id.
pub(super) fn meta_file(
    docs: &[SearchDoc],
    options: &IndexOptions,
    avg_body: f64,
    counts: &Counts,
    build: u64,
) -> String {
    let meta = Meta {
        format: FORMAT_VERSION,
        build: format!("{build:016x}"),
        docs: docs.len() as u32,
        shards: counts.shards as u32,
        tails: counts.tails as u32,
        chunk_docs: counts.chunk_docs as u32,
        head: HEAD_POSTINGS as u32,
        avg_body,
        bases: [TITLE_BASE, HEADING_BASE, BODY_BASE],
        scoring: options.scoring.clone(),
        words: counts.words as u32,
        word_groups: counts.word_groups as u32,
        pages: encode_pages(&index::page_runs(docs)),
        synonyms: folded_synonyms(&options.synonyms),
        fold_chars: counts.fold_chars as u32,
    };
    wrap("meta", 0, &json(&meta))
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
    fn word_keys_are_pairs_and_ends() {
        let keys: Vec<String> = word_keys("crm").into_iter().collect();
        assert_eq!(keys, vec!["^c", "cr", "m$", "rm"]);
        let keys: Vec<String> = word_keys("a").into_iter().collect();
        assert_eq!(keys, vec!["^a", "a$"]);
    }

    #[test]
    fn key_pairs_are_the_word_keys() {
        for word in ["crm", "a", "aaaa", "abab", "café", "x2024"] {
            let pairs: BTreeSet<String> = key_pairs(word)
                .into_iter()
                .map(|(a, b)| format!("{a}{b}"))
                .collect();
            assert_eq!(pairs, word_keys(word), "{word}");
            for key in &pairs {
                let mut c = key.chars();
                let pair = (c.next().unwrap(), c.next().unwrap());
                assert_eq!(pair_group(pair, 37), word_group(key, 37));
            }
        }
    }

    #[test]
    fn words_are_the_non_cjk_terms() {
        assert!(is_word("crm") && is_word("2024") && is_word("café"));
        assert!(!is_word("客") && !is_word("客户") && !is_word("かな"));
    }
}
