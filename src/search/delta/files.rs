//! The files of the kept index: each family of files made again only where
//! its bytes can have changed (see `delta`), the others left as they are.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::super::format::shard_of;
use super::super::writer::{
    auto_shard_count, docs_file, fold_file, is_word, key_pairs, pair_group, shard_file,
    single_char, tail_file, word_group_count, word_groups, words_file, Packer, MAX_SHARDS,
};
use super::super::{IndexOptions, SearchDoc};
use super::terms::{entry, TermState};

/// A file made anew: its name and text.
pub(super) type Made = Vec<(String, String)>;

/// The tail files of the groups whose tails changed or moved (`packs`: each
/// group's first tail file and number of them now, `last`: before).
pub(super) fn tails(
    groups: &[Vec<TermState>],
    packs: &[(usize, usize)],
    changed: &[bool],
    last: Option<&[(usize, usize)]>,
    made: &mut Made,
) {
    let remake: Vec<usize> = (0..groups.len())
        .filter(|&g| changed[g] || last.is_none_or(|l| l.get(g) != Some(&packs[g])))
        .collect();
    let texts: Made = remake
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
                    let n = first + k;
                    (format!("tail-{n}.js"), tail_file(n, &pack))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    made.extend(texts);
}

/// The shards holding a term of `dirty` (every shard when `dirty` is None
/// or their number changed from `last`); returns the number of shards.
pub(super) fn shards(
    groups: &[Vec<TermState>],
    options: &IndexOptions,
    dirty: Option<&[String]>,
    last: Option<usize>,
    made: &mut Made,
) -> usize {
    let head_bytes: usize = groups
        .iter()
        .flatten()
        .map(|t| t.term.len() + entry(t).len() + 6)
        .sum();
    let count = match options.shards {
        0 => auto_shard_count(head_bytes),
        n => n.min(MAX_SHARDS),
    };
    let mut remake = vec![true; count];
    if let (Some(dirty), Some(last)) = (dirty, last) {
        if last == count {
            remake.fill(false);
            for term in dirty {
                remake[shard_of(term, count as u32) as usize] = true;
            }
        }
    }
    let mut pairs: Vec<Vec<(&str, &str)>> = vec![Vec::new(); count];
    for t in groups.iter().flatten() {
        let n = shard_of(&t.term, count as u32) as usize;
        if remake[n] {
            pairs[n].push((&t.term, entry(t)));
        }
    }
    let texts: Made = pairs
        .par_iter_mut()
        .enumerate()
        .filter(|(n, _)| remake[*n])
        .map(|(n, pairs)| (format!("shard-{n}.js"), shard_file(n, pairs)))
        .collect();
    made.extend(texts);
    count
}

/// The word dictionary as kept: its size in key bytes and each group's
/// words, ascending.
#[derive(Default)]
pub(super) struct Words {
    key_bytes: usize,
    groups: Vec<Vec<String>>,
    pub count: usize,
}

impl Words {
    pub fn groups(&self) -> usize {
        self.groups.len()
    }

    /// Every word's dictionary from the terms.
    pub fn all(groups: &[Vec<TermState>], made: &mut Made) -> Words {
        let mut words: Vec<String> = groups
            .iter()
            .flatten()
            .filter(|t| is_word(&t.term))
            .map(|t| t.term.clone())
            .collect();
        words.par_sort_unstable();
        let (key_bytes, members) = word_groups(&words);
        let texts: Made = members
            .par_iter()
            .enumerate()
            .map(|(n, group)| (format!("words-{n}.js"), words_file(n, group)))
            .collect();
        made.extend(texts);
        Words {
            key_bytes,
            groups: members
                .into_iter()
                .map(|g| g.into_iter().map(str::to_string).collect())
                .collect(),
            count: words.len(),
        }
    }

    /// The dictionary with the words `came` and without those that `went`:
    /// only the groups of their keys are made again, unless the number of
    /// groups changes.
    pub fn update(
        mut self,
        terms: &[Vec<TermState>],
        came: &[String],
        went: &[String],
        made: &mut Made,
    ) -> Words {
        if self.groups.is_empty() {
            return Words::all(terms, made);
        }
        let bytes = |w: &String| (w.len() + 1) * key_pairs(w).len();
        let key_bytes = self.key_bytes + came.iter().map(bytes).sum::<usize>()
            - went.iter().map(bytes).sum::<usize>();
        if word_group_count(key_bytes) != self.groups.len() {
            return Words::all(terms, made);
        }
        let count = self.groups.len() as u32;
        let mut touched: Vec<usize> = Vec::new();
        for (word, add) in went
            .iter()
            .map(|w| (w, false))
            .chain(came.iter().map(|w| (w, true)))
        {
            for key in key_pairs(word) {
                let g = pair_group(key, count) as usize;
                let group = &mut self.groups[g];
                match (group.binary_search(word), add) {
                    (Err(at), true) => group.insert(at, word.clone()),
                    (Ok(at), false) => {
                        group.remove(at);
                    }
                    _ => {}
                }
                touched.push(g);
            }
        }
        touched.sort_unstable();
        touched.dedup();
        made.extend(
            touched
                .into_iter()
                .map(|n| (format!("words-{n}.js"), words_file(n, &self.groups[n]))),
        );
        self.key_bytes = key_bytes;
        self.count = self.count + came.len() - went.len();
        self
    }
}

/// `fold-0.js` from the one-character terms; returns its number of pairs.
pub(super) fn fold(groups: &[Vec<TermState>], made: &mut Made) -> usize {
    let chars = groups
        .iter()
        .flatten()
        .filter(|t| !is_word(&t.term))
        .filter_map(|t| single_char(&t.term));
    let (count, text) = fold_file(chars);
    made.push(("fold-0.js".into(), text));
    count
}

/// The section files holding a section whose stored key is not the one
/// the last index's file of that number held (`last`: its sections per
/// file and stored keys).
pub(super) fn docs(
    docs: &[SearchDoc],
    chunk: usize,
    stored: &[u128],
    last: Option<(usize, &[u128])>,
    made: &mut Made,
) {
    let texts: Made = docs
        .par_chunks(chunk)
        .enumerate()
        .filter(|(n, sections)| {
            let range = n * chunk..n * chunk + sections.len();
            // The same sections as the last index's file of that number.
            !last.is_some_and(|(was_chunk, was)| {
                was_chunk == chunk
                    && was.len().min((n + 1) * chunk) == range.end
                    && was[range.clone()] == stored[range.clone()]
            })
        })
        .map(|(n, sections)| (format!("docs-{n}.js"), docs_file(n, sections)))
        .collect();
    made.extend(texts);
}

/// The files of a family (`tail`, `shard`, `words`, `docs`) numbered from
/// `now` up to `before`: those the index no longer has.
pub(super) fn gone(family: &str, now: usize, before: usize, out: &mut Vec<String>) {
    out.extend((now..before).map(|n| format!("{family}-{n}.js")));
}

/// Every file's hash and size after an update: the last index's, without
/// the files `gone`, with those made.
pub(super) fn record(
    files: &mut BTreeMap<String, (u64, u64)>,
    made: &Made,
    gone: &[String],
    hash: impl Fn(&str) -> u64 + Sync,
) {
    for name in gone {
        files.remove(name);
    }
    let hashed: Vec<(u64, u64)> = made
        .par_iter()
        .map(|(_, text)| (hash(text), text.len() as u64))
        .collect();
    for ((name, _), h) in made.iter().zip(hashed) {
        files.insert(name.clone(), h);
    }
}
