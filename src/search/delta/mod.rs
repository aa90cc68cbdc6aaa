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

mod files;
mod terms;

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::sync::Arc;

use rayon::prelude::*;

use crate::markdown::code_cache::{content_key, HashWrite};

use super::format::{norm_step, section_pages, PageRun};
use super::index::{
    average_body, is_lead, page_runs, terms_by_key, weigh, SectionTerms, Weigh, MERGE_GROUPS,
};
use super::writer::{build_id, chunk_docs, fnv, meta_file, Counts, RenderedFiles, FNV_START};
use super::{IndexOptions, IndexStats, SearchDoc};
use terms::{build_groups, number_tails, update_group, Changed, GroupUpdate, Sections, TermState};

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
    words: files::Words,
    fold_chars: usize,
    files: BTreeMap<String, (u64, u64)>,
}

/// What `docs-N.js` stores of a section, hashed: its [`section_key`] and
/// the rest (the text is hashed once).
fn stored_key(doc: &SearchDoc, section_key: u128) -> u128 {
    content_key(|h| {
        (section_key, &doc.url, &doc.breadcrumb).hash(&mut HashWrite(h));
    })
}

/// The index files of `docs`, as [`super::writer::render_files`] makes
/// them, taking what it can from `memo` and leaving this index in it: only
/// files that are not those of the last index are made, and those of the
/// last index that this one has not are named. `lap(stage)` is called at
/// the end of each stage (for timings).
pub fn render(
    docs: &[SearchDoc],
    options: &IndexOptions,
    memo: &mut IndexMemo,
    lap: &mut dyn FnMut(&'static str),
) -> RenderedFiles {
    let before = std::mem::take(&mut memo.sections);
    let keyed = terms_by_key(docs, &before);
    let stored: Vec<u128> = docs
        .par_iter()
        .zip(&keyed)
        .map(|(d, (key, _))| stored_key(d, *key))
        .collect();
    let runs = page_runs(docs);
    let page_of = section_pages(&runs);
    let avg_body = average_body(keyed.iter().map(|(_, t)| t.rough), docs.len());
    let norms: Vec<(u8, bool)> = keyed
        .iter()
        .zip(docs)
        .map(|((_, t), d)| (norm_step(t.body_len), is_lead(d)))
        .collect();
    let options_key = format!("{options:?}");
    let mut last = memo.last.take().filter(|l| l.options == options_key);
    lap("sections");

    // Terms: updated where only some sections changed, else made again.
    let same_shape = last.as_ref().is_some_and(|l| {
        l.keys.len() == docs.len() && l.runs == runs && l.avg_body.to_bits() == avg_body.to_bits()
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
    let mut update = match (changed, old_groups) {
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
            Update::of(updates)
        }
        _ => {
            let sections: Vec<Arc<SectionTerms>> = keyed.iter().map(|(_, t)| t.clone()).collect();
            Update::all(build_groups(docs, &sections, options, avg_body, &page_of))
        }
    };
    memo.sections = keyed.iter().cloned().collect();
    lap("terms");

    let mut made = files::Made::new();
    let packs = number_tails(&mut update.groups, &mut update.dirty);
    let groups = &update.groups;
    files::tails(
        groups,
        &packs,
        &update.tails_changed,
        last.as_ref().map(|l| l.packs.as_slice()),
        &mut made,
    );
    let tail_count: usize = packs.iter().map(|p| p.1).sum();
    lap("tails");
    let shards = files::shards(
        groups,
        options,
        update.dirty.as_deref(),
        last.as_ref().map(|l| l.shards),
        &mut made,
    );
    lap("shards");
    let was_word_groups = last.as_ref().map_or(0, |l| l.words.groups());
    let words = match last.as_mut() {
        Some(l) if update.dirty.is_some() => {
            std::mem::take(&mut l.words).update(groups, &update.came, &update.went, &mut made)
        }
        _ => files::Words::all(groups, &mut made),
    };
    let fold_chars = match &last {
        Some(l) if !update.chars_changed => l.fold_chars,
        _ => files::fold(groups, &mut made),
    };
    lap("words");
    let chunk = chunk_docs(docs);
    files::docs(
        docs,
        chunk,
        &stored,
        last.as_ref().map(|l| (l.chunk_docs, l.stored.as_slice())),
        &mut made,
    );
    lap("docs");

    // Every file's hash and size: made ones hashed, the others as they were.
    let mut table = BTreeMap::new();
    let mut gone = Vec::new();
    let gone = match last.as_mut() {
        Some(l) => {
            let was_tails: usize = l.packs.iter().map(|p| p.1).sum();
            files::gone("tail", tail_count, was_tails, &mut gone);
            files::gone("shard", shards, l.shards, &mut gone);
            files::gone("words", words.groups(), was_word_groups, &mut gone);
            let was_docs = l.stored.len().div_ceil(l.chunk_docs);
            files::gone("docs", docs.len().div_ceil(chunk), was_docs, &mut gone);
            table = std::mem::take(&mut l.files);
            Some(gone)
        }
        None => None,
    };
    files::record(&mut table, &made, gone.as_deref().unwrap_or(&[]), |text| {
        fnv(text.as_bytes(), FNV_START)
    });
    let counts = Counts {
        shards,
        tails: tail_count,
        chunk_docs: chunk,
        words: words.count,
        word_groups: words.groups(),
        fold_chars,
    };
    let build = build_id(table.iter().map(|(n, (h, _))| (n.as_str(), *h)));
    let meta = meta_file(docs, options, avg_body, &counts, build);
    let meta_len = meta.len() as u64;
    made.push(("meta.js".into(), meta));
    made.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    lap("meta");

    let shard_sizes: Vec<u64> = (0..shards)
        .map(|n| table[&format!("shard-{n}.js")].1)
        .collect();
    let tail_bytes: u64 = groups
        .iter()
        .flatten()
        .filter_map(|t| t.tail.as_ref())
        .map(|t| t.len() as u64)
        .sum();
    let stats = IndexStats {
        docs: docs.len(),
        shards,
        bytes: table.values().map(|(_, len)| len).sum::<u64>() + meta_len,
        terms: groups.iter().map(Vec::len).sum(),
        doc_chunks: docs.len().div_ceil(chunk),
        tail_files: tail_count,
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
        groups: update.groups,
        packs,
        shards,
        chunk_docs: chunk,
        words,
        fold_chars,
        files: table,
    });
    RenderedFiles {
        files: made,
        gone,
        stats,
    }
}

/// The terms after an update and what changed among them.
struct Update {
    groups: Vec<Vec<TermState>>,
    tails_changed: Vec<bool>,
    /// Terms whose entry changed; None: all of them.
    dirty: Option<Vec<String>>,
    came: Vec<String>,
    went: Vec<String>,
    chars_changed: bool,
}

impl Update {
    fn of(updates: Vec<GroupUpdate>) -> Update {
        let mut all = Update {
            groups: Vec::with_capacity(updates.len()),
            tails_changed: Vec::with_capacity(updates.len()),
            dirty: Some(Vec::new()),
            came: Vec::new(),
            went: Vec::new(),
            chars_changed: false,
        };
        for u in updates {
            all.groups.push(u.terms);
            all.tails_changed.push(u.tails_changed);
            all.dirty.as_mut().expect("set above").extend(u.dirty);
            all.came.extend(u.came);
            all.went.extend(u.went);
            all.chars_changed |= u.chars_changed;
        }
        all
    }

    /// Terms made from scratch: everything changed.
    fn all(groups: Vec<Vec<TermState>>) -> Update {
        Update {
            tails_changed: vec![true; groups.len()],
            groups,
            dirty: None,
            came: Vec::new(),
            went: Vec::new(),
            chars_changed: true,
        }
    }
}
