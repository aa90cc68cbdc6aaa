//! The terms of the kept index: each term's postings, head, tail and shard
//! entry, updated for the terms of changed sections (see `delta`).

use std::collections::BTreeMap;
use std::sync::Arc;

use hashbrown::HashTable;
use rayon::prelude::*;

use super::super::codec::{push_uint, Decoder};
use super::super::index::{merge, InvertedIndex, SectionTerms, TermPostings, Weigh, MERGE_GROUPS};
use super::super::scoring::KindClass;
use super::super::writer::{is_word, single_char, split_term, Packer};
use super::super::{IndexOptions, SearchDoc};

/// One term: its postings as the writer splits them (head and tail, which
/// hold every posting: the whole list is not kept too) and its shard entry.
pub(super) struct TermState {
    pub term: String,
    /// Sections the term occurs in.
    pub df: u32,
    pub head: String,
    pub tail: Option<String>,
    /// The encoded entry and the tail file it names; None once the head changed.
    pub entry: Option<(Option<u32>, String)>,
}

impl TermState {
    fn new(term: String, postings: TermPostings) -> TermState {
        let split = split_term(term, &postings);
        let df = postings.df;
        TermState {
            term: split.term,
            df,
            head: split.entry.head,
            tail: split.tail,
            entry: None,
        }
    }
}

/// A term's encoded shard entry (every one is encoded before shards are made).
pub(super) fn entry(t: &TermState) -> &str {
    &t.entry.as_ref().expect("every entry is encoded").1
}

/// A merge group after an update, and what changed in it.
pub(super) struct GroupUpdate {
    pub terms: Vec<TermState>,
    /// A tail changed, came or went: the group's tail files are made again.
    pub tails_changed: bool,
    /// Words that came and went (the dictionary changes), and whether a
    /// one-character term came or went (the fold table may change).
    pub came: Vec<String>,
    pub went: Vec<String>,
    pub chars_changed: bool,
    /// Terms whose entry changed (or that went): their shards are made again.
    pub dirty: Vec<String>,
}

/// A changed section: its number, its terms before and its terms now.
pub(super) type Changed = (u32, Arc<SectionTerms>, Arc<SectionTerms>);

/// What weighs each section's postings.
pub(super) struct Sections<'a> {
    pub norms: &'a [(u8, bool)],
    /// The last index's norms.
    pub old_norms: &'a [(u8, bool)],
    pub weighs: &'a [Weigh<'a>],
    /// The changed sections, ascending, with their old and new terms.
    pub changed: &'a [Changed],
}

/// Gives the terms of merge group `group` that occur in a changed section
/// (before or after the change) their new postings.
pub(super) fn update_group(group: usize, old: Vec<TermState>, s: &Sections) -> GroupUpdate {
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
        came: Vec::new(),
        went: Vec::new(),
        chars_changed: false,
        dirty: Vec::new(),
    };
    let mut replaced: Vec<(Result<usize, usize>, Option<TermState>)> = Vec::new();
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
            // The kept postings, the head's and the tail's merged in
            // section order.
            let was = &old[i];
            let mut head = PostingReader::new(&was.head);
            let mut tail = PostingReader::new(was.tail.as_deref().unwrap_or(""));
            let (mut head_at, mut tail_at) = (head.next(), tail.next());
            while head_at.is_some() || tail_at.is_some() {
                let from_head = match (head_at, tail_at) {
                    (Some(h), Some(t)) => h < t,
                    (h, _) => h.is_some(),
                };
                let (doc, reader) = if from_head {
                    (head_at, &mut head)
                } else {
                    (tail_at, &mut tail)
                };
                let doc = doc.expect("one of them has a posting");
                while let Some((at, found)) = added.next_if(|a| a.0 < doc) {
                    push(&mut postings, at, found);
                }
                if !is_changed(doc) {
                    push(&mut postings, doc, &reader.positions);
                }
                let next = reader.next();
                if from_head {
                    head_at = next;
                } else {
                    tail_at = next;
                }
            }
        }
        for (doc, found) in added {
            push(&mut postings, doc, found);
        }
        let new = (postings.df > 0).then(|| TermState::new(term.to_string(), postings));
        match (at.ok().map(|i| &old[i]), &new) {
            (Some(was), Some(now)) => {
                if was.head != now.head || was.df != now.df {
                    update.dirty.push(term.to_string());
                }
                update.tails_changed |= was.tail != now.tail;
            }
            (Some(one), None) | (None, Some(one)) => {
                update.dirty.push(term.to_string());
                update.tails_changed |= one.tail.is_some();
                if is_word(term) {
                    let list = if new.is_some() {
                        &mut update.came
                    } else {
                        &mut update.went
                    };
                    list.push(term.to_string());
                } else {
                    update.chars_changed |= single_char(term).is_some();
                }
            }
            (None, None) => {}
        }
        // An unchanged head keeps its encoded entry.
        let new = new.map(|mut now| {
            if let Ok(i) = at {
                let was = &old[i];
                if was.head == now.head && was.df == now.df {
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
pub(super) fn build_groups(
    docs: &[SearchDoc],
    sections: &[Arc<SectionTerms>],
    options: &IndexOptions,
    avg_body: f64,
    page_of: &[(u32, KindClass)],
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

/// Every term's tail file (numbered in group order) and shard entry: the
/// entries of terms whose head changed or whose tail moved to another file
/// are encoded again, their terms added to `dirty`. Returns each group's
/// first tail file and number of tail files.
pub(super) fn number_tails(
    groups: &mut [Vec<TermState>],
    dirty: &mut Option<Vec<String>>,
) -> Vec<(usize, usize)> {
    let mut packs = Vec::with_capacity(groups.len());
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
                push_uint(&mut entry, t.df as u64);
                push_uint(&mut entry, tail.map_or(0, |n| n as u64 + 1));
                entry.push_str(&t.head);
                t.entry = Some((tail, entry));
            }
        }
        packs.push((tail_files, count));
        tail_files += count;
    }
    packs
}

/// Reads encoded postings one at a time (as `format::decode_postings`
/// does), into one positions vector.
struct PostingReader<'a> {
    decoder: Decoder<'a>,
    doc: i64,
    positions: Vec<u32>,
}

impl<'a> PostingReader<'a> {
    fn new(encoded: &'a str) -> Self {
        PostingReader {
            decoder: Decoder::new(encoded),
            doc: -1,
            positions: Vec::new(),
        }
    }

    /// The next posting's section (its positions in `positions`).
    fn next(&mut self) -> Option<u32> {
        let d = &mut self.decoder;
        if d.is_empty() {
            return None;
        }
        let corrupt = "postings encoded by the index decode";
        self.doc += d.next_uint().expect(corrupt) as i64 + 1;
        d.next_uint().expect(corrupt);
        let count = d.next_uint().expect(corrupt) / 2;
        self.positions.clear();
        let mut pos: i64 = -1;
        for _ in 0..count {
            pos += d.next_uint().expect(corrupt) as i64 + 1;
            self.positions.push(pos as u32);
        }
        Some(self.doc as u32)
    }
}
