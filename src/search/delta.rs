//! The index kept between the dev server's rebuilds (`lectern serve`),
//! updated term by term instead of made again.
//!
//! After a body edit nearly every section is as it was: its terms are taken
//! from the last build (tokenizing is most of an index build), and when the
//! sections keep their number, pages and the average body length (so every
//! unchanged posting weighs what it weighed), only the terms of the changed
//! sections get new postings; every other term keeps its postings, head,
//! tail and shard entry. Then only the files whose bytes can have changed
//! are made again: the tail files of a merge group whose tails changed or
//! moved, the shards of changed entries, the section files of changed
//! sections, and the dictionary only when terms came or went. The files are
//! those [`super::writer::render_files`] makes, byte for byte (tested in
//! `search/tests.rs`); anything else (a section added, a page's kind, an
//! average that moved) builds every term again from the kept sections.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::sync::Arc;

use hashbrown::HashTable;
use rayon::prelude::*;

use crate::markdown::code_cache::{content_key, HashWrite};

use super::codec::push_uint;
use super::codec::Decoder;
use super::format::{norm_step, section_pages, shard_of, PageRun};
use super::index::{
    average_body, is_lead, merge, page_runs, section_terms, weigh, InvertedIndex, SectionTerms,
    TermPostings, Weigh, MERGE_GROUPS,
};
use super::writer::{
    auto_shard_count, chunk_docs, docs_file, fnv, fold_file, is_word, meta_file, shard_file,
    single_char, split_term, tail_file, word_files, Counts, Packer, RenderedFiles, FNV_START,
    MAX_SHARDS,
};
use super::{IndexOptions, IndexStats, SearchDoc};

/// Sections' terms by their [`section_key`].
type TermsByKey = HashMap<u128, Arc<SectionTerms>, foldhash::fast::FixedState>;

/// What the last index was made of, for the next one.
#[derive(Default)]
pub struct IndexMemo {
    /// The terms of the last index's sections (only those).
    sections: TermsByKey,
    last: Option<Kept>,
}

impl IndexMemo {
    /// Sections whose terms are kept.
    pub fn len(&self) -> usize {
        self.sections.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }
}

/// The last index: its inputs as far as its bytes depend on them, every
/// term's state, and the name, hash and size of every file but `meta.js`.
struct Kept {
    options: String,
    keys: Vec<u128>,
    stored: Vec<u128>,
    runs: Vec<PageRun>,
    norms: Vec<(u8, bool)>,
    avg_body: f64,
    groups: Vec<Vec<TermState>>,
    /// Per merge group: its first tail file and its number of tail files.
    packs: Vec<(usize, usize)>,
    shards: usize,
    chunk_docs: usize,
    words: usize,
    word_groups: usize,
    fold_chars: usize,
    files: BTreeMap<String, (u64, u64)>,
}

/// One term: its postings, as the writer splits them, and its shard entry.
struct TermState {
    term: String,
    postings: TermPostings,
    head: String,
    tail: Option<String>,
    /// The encoded entry and the tail file it names; None once the head changed.
    entry: Option<(Option<u32>, String)>,
}

impl TermState {
    fn new(term: String, postings: TermPostings) -> TermState {
        let split = split_term(term, &postings);
        TermState {
            term: split.term,
            postings,
            head: split.entry.head,
            tail: split.tail,
            entry: None,
        }
    }
}

/// A term's encoded shard entry (every one is encoded before shards are made).
fn entry(t: &TermState) -> &str {
    &t.entry.as_ref().expect("every entry is encoded").1
}

/// What `section_terms` reads of a section, hashed (the 128-bit content
/// key the code cache uses).
fn section_key(doc: &SearchDoc) -> u128 {
    content_key(|h| {
        (doc.kind as u8, &doc.title, &doc.heading, &doc.text).hash(&mut HashWrite(h));
    })
}

/// What `docs-N.js` stores of a section, hashed.
fn stored_key(doc: &SearchDoc) -> u128 {
    content_key(|h| {
        let d = doc;
        (
            d.kind as u8,
            &d.url,
            &d.title,
            &d.heading,
            &d.breadcrumb,
            &d.text,
        )
            .hash(&mut HashWrite(h));
    })
}

/// A merge group after an update, and what changed in it.
struct GroupUpdate {
    terms: Vec<TermState>,
    /// A tail changed, came or went: the group's tail files are made again.
    tails_changed: bool,
    /// A term came or went: the dictionary is made again.
    terms_changed: bool,
    /// Terms whose entry changed (or that went): their shards are made again.
    dirty: Vec<String>,
}

/// A changed section: its number, its terms before and its terms now.
type Changed = (u32, Arc<SectionTerms>, Arc<SectionTerms>);

/// What weighs each section's postings.
struct Sections<'a> {
    norms: &'a [(u8, bool)],
    /// The last index's norms.
    old_norms: &'a [(u8, bool)],
    weighs: &'a [Weigh<'a>],
    /// The changed sections, ascending, with their old and new terms.
    changed: &'a [Changed],
}

/// Gives the terms of merge group `group` that occur in a changed section
/// (before or after the change) their new postings.
fn update_group(group: usize, old: Vec<TermState>, s: &Sections) -> GroupUpdate {
    // Each term of a changed section with its postings there, before and now.
    type Found<'a> = Vec<(u32, &'a [u32])>;
    let mut changes: BTreeMap<&str, (Found, Found)> = BTreeMap::new();
    for (doc, before, now) in s.changed {
        for (_, term, positions) in before.group(group) {
            changes.entry(term).or_default().0.push((*doc, positions));
        }
        for (_, term, positions) in now.group(group) {
            changes.entry(term).or_default().1.push((*doc, positions));
        }
    }
    let is_changed = |doc: u32| s.changed.binary_search_by_key(&doc, |c| c.0).is_ok();
    let mut update = GroupUpdate {
        terms: Vec::new(),
        tails_changed: false,
        terms_changed: false,
        dirty: Vec::new(),
    };
    let mut replaced: Vec<(Result<usize, usize>, Option<TermState>)> = Vec::new();
    let mut positions: Vec<u32> = Vec::new();
    for (term, (before, added)) in changes {
        // The same positions in sections of the same length and kind: the
        // same postings (an edit further on in the section, a sentence added).
        if before == added
            && before
                .iter()
                .all(|&(doc, _)| s.old_norms[doc as usize] == s.norms[doc as usize])
        {
            continue;
        }
        let at = old.binary_search_by(|t| t.term.as_str().cmp(term));
        let mut postings = TermPostings::default();
        let mut added = added.into_iter().peekable();
        let push = |p: &mut TermPostings, doc: u32, positions: &[u32]| {
            let i = doc as usize;
            p.push(doc, positions, s.norms[i], &s.weighs[i]);
        };
        if let Ok(i) = at {
            // The kept postings, read as `format::decode_postings` reads
            // them without a vector per posting.
            let corrupt = "postings encoded by the index decode";
            let mut d = Decoder::new(&old[i].postings.encoded);
            let mut doc: i64 = -1;
            while !d.is_empty() {
                doc += d.next_uint().expect(corrupt) as i64 + 1;
                d.next_uint().expect(corrupt);
                let count = d.next_uint().expect(corrupt) / 2;
                positions.clear();
                let mut pos: i64 = -1;
                for _ in 0..count {
                    pos += d.next_uint().expect(corrupt) as i64 + 1;
                    positions.push(pos as u32);
                }
                let doc = doc as u32;
                while let Some((at, found)) = added.next_if(|a| a.0 < doc) {
                    push(&mut postings, at, found);
                }
                if !is_changed(doc) {
                    push(&mut postings, doc, &positions);
                }
            }
        }
        for (doc, found) in added {
            push(&mut postings, doc, found);
        }
        let new = (postings.df > 0).then(|| TermState::new(term.to_string(), postings));
        match (at.ok().map(|i| &old[i]), &new) {
            (Some(was), Some(now)) => {
                if was.head != now.head || was.postings.df != now.postings.df {
                    update.dirty.push(term.to_string());
                }
                update.tails_changed |= was.tail != now.tail;
            }
            (Some(was), None) | (None, Some(was)) => {
                update.dirty.push(term.to_string());
                update.terms_changed = true;
                update.tails_changed |= was.tail.is_some();
            }
            (None, None) => {}
        }
        // An unchanged head keeps its encoded entry.
        let new = new.map(|mut now| {
            if let Ok(i) = at {
                let was = &old[i];
                if was.head == now.head && was.postings.df == now.postings.df {
                    now.entry = was.entry.clone();
                }
            }
            now
        });
        replaced.push((at, new));
    }
    // The old terms with the replaced ones swapped in (both ascending).
    let mut terms = Vec::with_capacity(old.len() + replaced.len());
    let mut old = old.into_iter().enumerate().peekable();
    for (at, new) in replaced {
        let (Ok(i) | Err(i)) = at;
        while let Some((_, t)) = old.next_if(|(j, _)| *j < i) {
            terms.push(t);
        }
        if at.is_ok() {
            old.next();
        }
        terms.extend(new);
    }
    terms.extend(old.map(|(_, t)| t));
    update.terms = terms;
    update
}

/// Every term from scratch: the merge of every section, split.
fn build_groups(
    docs: &[SearchDoc],
    sections: &[Arc<SectionTerms>],
    options: &IndexOptions,
    avg_body: f64,
    page_of: &[(u32, super::scoring::KindClass)],
) -> Vec<Vec<TermState>> {
    let mut index = InvertedIndex {
        groups: (0..MERGE_GROUPS).map(|_| HashTable::new()).collect(),
        norms: Vec::with_capacity(docs.len()),
        avg_body,
    };
    merge(&mut index, 0, sections, docs, &options.scoring, page_of);
    index
        .groups
        .into_par_iter()
        .map(|table| {
            let mut terms: Vec<(String, TermPostings)> = table.into_iter().collect();
            terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            terms
                .into_iter()
                .map(|(t, p)| TermState::new(t, p))
                .collect()
        })
        .collect()
}

/// The index files of `docs`, as [`super::writer::render_files`] makes
/// them, taking what it can from `memo` and leaving this index in it: files
/// that are those of the last index are named in `kept`, not made.
/// `lap(stage)` is called at the end of each stage (for timings).
pub fn render(
    docs: &[SearchDoc],
    options: &IndexOptions,
    memo: &mut IndexMemo,
    lap: &mut dyn FnMut(&'static str),
) -> RenderedFiles {
    let before = std::mem::take(&mut memo.sections);
    let keyed: Vec<(u128, Arc<SectionTerms>)> = docs
        .par_iter()
        .map(|d| {
            let key = section_key(d);
            let terms = before
                .get(&key)
                .cloned()
                .unwrap_or_else(|| Arc::new(section_terms(d)));
            (key, terms)
        })
        .collect();
    let stored: Vec<u128> = docs.par_iter().map(stored_key).collect();
    let runs = page_runs(docs);
    let page_of = section_pages(&runs);
    let avg_body = average_body(keyed.iter().map(|(_, t)| t.rough), docs.len());
    let norms: Vec<(u8, bool)> = keyed
        .iter()
        .zip(docs)
        .map(|((_, t), d)| (norm_step(t.body_len), is_lead(d)))
        .collect();
    let options_key = format!("{options:?}");
    let mut last = memo.last.take();

    lap("sections");

    // Terms: updated where only some sections changed, else made again.
    let same_shape = last.as_ref().is_some_and(|l| {
        l.options == options_key
            && l.keys.len() == docs.len()
            && l.runs == runs
            && l.avg_body.to_bits() == avg_body.to_bits()
    });
    let changed: Option<Vec<Changed>> = match &last {
        Some(l) if same_shape => keyed
            .iter()
            .enumerate()
            .filter(|(i, (key, _))| l.keys[*i] != *key)
            .map(|(i, (_, now))| Some((i as u32, before.get(&l.keys[i])?.clone(), now.clone())))
            .collect(),
        _ => None,
    };
    drop(before);
    let old_norms = last
        .as_mut()
        .map(|l| std::mem::take(&mut l.norms))
        .unwrap_or_default();
    let old_groups = last
        .as_mut()
        .map(|l| std::mem::take(&mut l.groups))
        .filter(|g| g.len() == MERGE_GROUPS);
    let (mut groups, tails_changed, terms_changed, dirty) = match (changed, old_groups) {
        (Some(changed), Some(old_groups)) => {
            let weighs: Vec<Weigh> = norms
                .iter()
                .zip(&page_of)
                .map(|(&(step, _), &(_, class))| weigh(&options.scoring, avg_body, step, class))
                .collect();
            let sections = Sections {
                norms: &norms,
                old_norms: &old_norms,
                weighs: &weighs,
                changed: &changed,
            };
            let updates: Vec<GroupUpdate> = old_groups
                .into_par_iter()
                .enumerate()
                .map(|(g, old)| update_group(g, old, &sections))
                .collect();
            let tails: Vec<bool> = updates.iter().map(|u| u.tails_changed).collect();
            let terms = updates.iter().any(|u| u.terms_changed);
            let mut dirty = Vec::new();
            let groups = updates
                .into_iter()
                .map(|u| {
                    dirty.extend(u.dirty);
                    u.terms
                })
                .collect();
            (groups, tails, terms, Some(dirty))
        }
        _ => {
            let sections: Vec<Arc<SectionTerms>> = keyed.iter().map(|(_, t)| t.clone()).collect();
            let groups = build_groups(docs, &sections, options, avg_body, &page_of);
            (groups, vec![true; MERGE_GROUPS], true, None)
        }
    };
    memo.sections = keyed.iter().cloned().collect();
    lap("terms");
    let last = last.filter(|l| l.options == options_key);

    // Files made anew, and those kept as the last index had them.
    let mut made: Vec<(String, String)> = Vec::new();
    let mut kept: Vec<String> = Vec::new();

    // Tail numbers (global, in group order) and the entries that name them.
    let mut packs: Vec<(usize, usize)> = Vec::with_capacity(MERGE_GROUPS);
    let mut dirty = dirty;
    let mut tail_files = 0;
    for group in groups.iter_mut() {
        let mut packer = Packer::default();
        let mut count = 0;
        for t in group.iter_mut() {
            let tail = t.tail.as_ref().map(|tail| {
                let k = packer.place(&t.term, tail);
                count = count.max(k + 1);
                (tail_files + k) as u32
            });
            if t.entry.as_ref().is_none_or(|(was, _)| *was != tail) {
                if t.entry.is_some() {
                    if let Some(dirty) = dirty.as_mut() {
                        dirty.push(t.term.clone());
                    }
                }
                let mut entry = String::with_capacity(t.head.len() + 4);
                push_uint(&mut entry, t.postings.df as u64);
                push_uint(&mut entry, tail.map_or(0, |n| n as u64 + 1));
                entry.push_str(&t.head);
                t.entry = Some((tail, entry));
            }
        }
        packs.push((tail_files, count));
        tail_files += count;
    }
    let tail_groups: Vec<usize> = (0..MERGE_GROUPS)
        .filter(|&g| {
            tails_changed[g]
                || last
                    .as_ref()
                    .is_none_or(|l| l.packs.get(g) != Some(&packs[g]))
        })
        .collect();
    let tail_texts: Vec<(String, String)> = tail_groups
        .par_iter()
        .flat_map_iter(|&g| {
            let mut members: Vec<Vec<(&str, &str)>> = Vec::new();
            let mut packer = Packer::default();
            for t in &groups[g] {
                if let Some(tail) = &t.tail {
                    let k = packer.place(&t.term, tail);
                    if k == members.len() {
                        members.push(Vec::new());
                    }
                    members[k].push((&t.term, tail));
                }
            }
            let first = packs[g].0;
            members
                .into_iter()
                .enumerate()
                .map(move |(k, pack)| {
                    (
                        format!("tail-{}.js", first + k),
                        tail_file(first + k, &pack),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for (g, &(first, count)) in packs.iter().enumerate() {
        if tail_groups.binary_search(&g).is_err() {
            for n in first..first + count {
                kept.push(format!("tail-{n}.js"));
            }
        }
    }
    made.extend(tail_texts);

    lap("tails");

    // Shards of the changed entries.
    let head_bytes: usize = groups
        .iter()
        .flatten()
        .map(|t| t.term.len() + entry(t).len() + 6)
        .sum();
    let shard_count = match options.shards {
        0 => auto_shard_count(head_bytes),
        n => n.min(MAX_SHARDS),
    };
    let mut remake = vec![true; shard_count];
    if let (Some(dirty), Some(l)) = (&dirty, &last) {
        if l.shards == shard_count {
            remake.fill(false);
            for term in dirty {
                remake[shard_of(term, shard_count as u32) as usize] = true;
            }
        }
    }
    let mut shard_pairs: Vec<Vec<(&str, &str)>> = vec![Vec::new(); shard_count];
    for t in groups.iter().flatten() {
        let n = shard_of(&t.term, shard_count as u32) as usize;
        if remake[n] {
            shard_pairs[n].push((&t.term, entry(t)));
        }
    }
    let shard_texts: Vec<(String, String)> = shard_pairs
        .par_iter_mut()
        .enumerate()
        .filter(|(n, _)| remake[*n])
        .map(|(n, pairs)| (format!("shard-{n}.js"), shard_file(n, pairs)))
        .collect();
    drop(shard_pairs);
    for (n, _) in remake.iter().enumerate().filter(|(_, r)| !**r) {
        kept.push(format!("shard-{n}.js"));
    }
    made.extend(shard_texts);

    lap("shards");

    // The dictionary and the fold table, when terms came or went.
    let (words, word_groups, fold_chars) = match &last {
        Some(l) if !terms_changed => {
            for n in 0..l.word_groups {
                kept.push(format!("words-{n}.js"));
            }
            kept.push("fold-0.js".into());
            (l.words, l.word_groups, l.fold_chars)
        }
        _ => {
            let mut words: Vec<String> = Vec::new();
            let mut chars: Vec<char> = Vec::new();
            for t in groups.iter().flatten() {
                if is_word(&t.term) {
                    words.push(t.term.clone());
                } else if let Some(c) = single_char(&t.term) {
                    chars.push(c);
                }
            }
            words.par_sort_unstable();
            let texts = word_files(&words);
            let word_groups = texts.len();
            made.extend(
                texts
                    .into_iter()
                    .enumerate()
                    .map(|(n, text)| (format!("words-{n}.js"), text)),
            );
            let (fold_chars, fold_text) = fold_file(chars);
            made.push(("fold-0.js".into(), fold_text));
            (words.len(), word_groups, fold_chars)
        }
    };

    lap("words");

    // Stored sections: the files holding a changed one.
    let chunk = chunk_docs(docs);
    let doc_texts: Vec<(usize, Option<String>)> = docs
        .par_chunks(chunk)
        .enumerate()
        .map(|(n, sections)| {
            let range = n * chunk..n * chunk + sections.len();
            // The same sections as the last index's file of that number.
            let same = last.as_ref().is_some_and(|l| {
                l.chunk_docs == chunk
                    && l.stored.len().min((n + 1) * chunk) == range.end
                    && l.stored[range.clone()] == stored[range.clone()]
            });
            (n, (!same).then(|| docs_file(n, sections)))
        })
        .collect();
    for (n, text) in doc_texts {
        match text {
            Some(text) => made.push((format!("docs-{n}.js"), text)),
            None => kept.push(format!("docs-{n}.js")),
        }
    }

    lap("docs");

    // Every file's hash and size: made ones hashed, kept ones as they were.
    let mut files: BTreeMap<String, (u64, u64)> = made
        .par_iter()
        .map(|(name, text)| {
            let hash = fnv(text.as_bytes(), FNV_START);
            (name.clone(), (hash, text.len() as u64))
        })
        .collect();
    for name in &kept {
        let was = last
            .as_ref()
            .and_then(|l| l.files.get(name))
            .expect("a kept file is one of the last index's");
        files.insert(name.clone(), *was);
    }
    let counts = Counts {
        shards: shard_count,
        tails: tail_files,
        chunk_docs: chunk,
        words,
        word_groups,
        fold_chars,
    };
    let hashes = files.iter().map(|(n, (h, _))| (n.clone(), *h)).collect();
    let meta = meta_file(docs, options, avg_body, &counts, hashes);
    let meta_len = meta.len() as u64;
    made.push(("meta.js".into(), meta));
    made.sort();
    kept.sort();

    let shard_sizes: Vec<u64> = (0..shard_count)
        .map(|n| files[&format!("shard-{n}.js")].1)
        .collect();
    let tail_bytes: u64 = groups
        .iter()
        .flatten()
        .filter_map(|t| t.tail.as_ref())
        .map(|t| t.len() as u64)
        .sum();
    lap("meta");
    let stats = IndexStats {
        docs: docs.len(),
        shards: shard_count,
        bytes: files.values().map(|(_, len)| len).sum::<u64>() + meta_len,
        terms: groups.iter().map(Vec::len).sum(),
        doc_chunks: docs.len().div_ceil(chunk),
        tail_files,
        postings_bytes: shard_sizes.iter().sum::<u64>() + tail_bytes,
        largest_shard_bytes: shard_sizes.iter().copied().max().unwrap_or(0),
    };
    memo.last = Some(Kept {
        options: options_key,
        keys: keyed.into_iter().map(|(k, _)| k).collect(),
        stored,
        runs,
        norms,
        avg_body,
        groups,
        packs,
        shards: shard_count,
        chunk_docs: chunk,
        words,
        word_groups,
        fold_chars,
        files,
    });
    RenderedFiles {
        files: made,
        kept,
        stats,
    }
}
