//! The inverted index in memory: for every term, the sections it occurs in
//! and at which positions. Built once per site, then encoded by `writer`.
//!
//! Positions are laid out by field as `scoring` says.

use std::collections::BinaryHeap;
use std::hash::{BuildHasher, Hash};
use std::sync::Arc;

use hashbrown::HashTable;

use rayon::prelude::*;

use crate::markdown::code_cache::{content_key, HashWrite};

use super::fold::fold_chars;
use super::format::{decode_postings, encode_posting, norm_step, step_length, PageRun, Posting};
use super::scoring::{
    body_norm, saturate, weighted_tf, KindClass, Scoring, BODY_BASE, HEADING_BASE, TITLE_BASE,
};
use super::tokenizer::{class, is_cjk, CharClass};
use super::{DocKind, SearchDoc};

/// Positions a title or a heading may use. Only the tail of a title longer
/// than 250 words or characters goes unindexed, which no real title reaches.
pub const FIELD_CAP: u32 = 250;
/// Postings in a term's head: enough for the first pages of results of a
/// one-term query; the rest go to a tail file (see `format`).
pub const HEAD_POSTINGS: usize = 64;

/// One term's postings, kept encoded as they are gathered (a vector per
/// posting would cost tens of bytes each, gigabytes at 10,000 pages).
#[derive(Debug, Clone, Default)]
pub struct TermPostings {
    /// Sections the term occurs in.
    pub df: u32,
    /// Every posting, ascending sections, as `format::encode_postings` writes them.
    pub encoded: String,
    last_doc: Option<u32>,
    /// The sections where the term weighs most, at most [`HEAD_POSTINGS`];
    /// on equal weight the earlier section stays. A heap whose top is the
    /// section to give way first (a scan of the head for it on every
    /// replacement was a seventh of the merge).
    top: BinaryHeap<Kept>,
}

/// A section in a term's head and the weight the term has there.
#[derive(Debug, Clone, Copy)]
struct Kept {
    weight: f64,
    doc: u32,
}

/// Greater means gives way first: lighter, or as heavy and later.
impl Ord for Kept {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other
            .weight
            .total_cmp(&self.weight)
            .then(self.doc.cmp(&other.doc))
    }
}

impl PartialOrd for Kept {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Kept {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Kept {}

impl TermPostings {
    /// Adds the posting of section `doc` (later than every section before);
    /// `weigh` is what one body occurrence weighs in it, and its kind.
    pub(super) fn push(&mut self, doc: u32, positions: &[u32], norm: (u8, bool), weigh: &Weigh) {
        let gap = self
            .last_doc
            .map_or(doc as u64, |last| (doc - last - 1) as u64);
        encode_posting(&mut self.encoded, gap, norm, positions);
        self.last_doc = Some(doc);
        self.df += 1;
        // As a one-term query scores the section (its idf aside).
        let tf = weighted_tf(
            positions.iter().map(|&p| (p, 1.0)),
            weigh.body,
            norm.1,
            weigh.scoring,
        );
        let weight =
            saturate(tf) * weigh.kind * weigh.scoring.field_match(positions.first().copied());
        let kept = Kept { weight, doc };
        if self.top.len() < HEAD_POSTINGS {
            self.top.push(kept);
        } else if let Some(mut lightest) = self.top.peek_mut() {
            // A later section replaces only a strictly lighter one.
            if weight > lightest.weight {
                *lightest = kept;
            }
        }
    }

    /// The sections of the term's head, in no particular order.
    pub fn head_docs(&self) -> impl Iterator<Item = u32> + '_ {
        self.top.iter().map(|k| k.doc)
    }

    /// The decoded postings, ascending sections.
    pub fn postings(&self) -> Vec<Posting> {
        decode_postings(&self.encoded)
            .expect("postings encoded by the index decode")
            .into_iter()
            .map(|(p, _)| p)
            .collect()
    }
}

/// What weighs a section's occurrences: one body occurrence (computed once
/// per section: it takes an `exp`) and the section's kind.
pub(super) struct Weigh<'a> {
    pub body: f64,
    pub kind: f64,
    pub scoring: &'a Scoring,
}

/// The pages of `docs`: runs of consecutive sections with the same page URL
/// (the URL before `#`), each with the kind of page it is (a Q&A page's
/// introduction counts as Q&A, as its entries do).
pub fn page_runs(docs: &[SearchDoc]) -> Vec<PageRun> {
    let mut runs: Vec<PageRun> = Vec::new();
    let mut last: Option<&str> = None;
    for d in docs {
        let page = d.url.split('#').next().unwrap_or("");
        let class = KindClass::of(d.kind);
        match runs.last_mut() {
            Some(run) if last == Some(page) => {
                run.sections += 1;
                run.class = run.class.max(class);
            }
            _ => runs.push(PageRun { sections: 1, class }),
        }
        last = Some(page);
    }
    runs
}

/// Whether a section's heading is indexed as a heading: a quiz question's
/// "heading" is the start of its prompt, which its body holds already.
fn indexes_heading(doc: &SearchDoc) -> bool {
    !(doc.kind == DocKind::Question && doc.text.starts_with(doc.heading.as_str()))
}

/// Whether a section is the lead of its page, where the page title weighs
/// fully: the page's text before its first heading, or a case study.
pub fn is_lead(doc: &SearchDoc) -> bool {
    doc.heading.trim().is_empty() && doc.kind != DocKind::Question
}

/// Terms hash with foldhash: SipHash (the std default, proof against hash
/// flooding, which an index of the author's own text does not need) was a
/// tenth of the indexing time. Each term's hash is taken once, when its
/// section is tokenized, and the merge finds the term by it.
fn term_hasher() -> foldhash::fast::FixedState {
    foldhash::fast::FixedState::default()
}

/// One merge group's terms, found by their [`term_hasher`] hash.
pub type TermTable = HashTable<(String, TermPostings)>;

#[derive(Debug, Default)]
pub struct InvertedIndex {
    /// Every term, split into groups by hash (see [`merge_group`]) so that
    /// they are merged and encoded on every core.
    pub groups: Vec<TermTable>,
    /// (length step, lead) of every section: how long its body is, and
    /// whether it is the lead of its page (no heading of its own), which is
    /// where the page title counts fully.
    pub norms: Vec<(u8, bool)>,
    /// The average body length BM25 normalises by.
    pub avg_body: f64,
}

impl InvertedIndex {
    pub fn term(&self, term: &str) -> Option<&TermPostings> {
        self.groups[merge_group(term)]
            .find(term_hasher().hash_one(term), |(t, _)| t == term)
            .map(|(_, p)| p)
    }

    pub fn terms(&self) -> impl Iterator<Item = (&String, &TermPostings)> {
        self.groups.iter().flatten().map(|(t, p)| (t, p))
    }

    pub fn term_count(&self) -> usize {
        self.groups.iter().map(HashTable::len).sum()
    }
}

/// Terms are merged in this many independent groups (by term hash).
pub const MERGE_GROUPS: usize = 64;

pub fn merge_group(term: &str) -> usize {
    (super::format::term_hash(term) as usize / 7) % MERGE_GROUPS
}

/// Sections tokenized at a time: bounds the memory of tokens not yet merged.
const BATCH: usize = 1024;

/// The distinct terms of one section with their positions, in a handful of
/// allocations (one text arena, one positions vector) instead of a `String`
/// and a `Vec` per distinct term: a section has thousands of them (every CJK
/// character, pair and triple), and those allocations were most of the merge.
///
/// Everything is laid out in merge-group order: the merge walks one group
/// of every section of a batch at a time, and reading each term's text from
/// wherever the section first met it was a cache miss per term — most of
/// the merge's time on Chinese prose.
pub(super) struct SectionTerms {
    /// Every distinct term's text, back to back, in merge-group order.
    text: String,
    /// The terms, ordered by merge group.
    terms: Vec<LocalTerm>,
    /// Where each merge group's terms start in `terms` (and the end, last).
    group_starts: Vec<u32>,
    /// Every term's positions, ascending, term after term.
    positions: Vec<u32>,
    pub body_len: u32,
    /// The body length `avg_body` counts for this section ([`rough_length`], quantized).
    pub rough: f64,
}

#[derive(Clone, Copy)]
struct LocalTerm {
    /// The term's [`term_hasher`] hash.
    hash: u64,
    text: (u32, u32),
    positions: (u32, u32),
}

impl SectionTerms {
    /// The terms of merge group `group`: (hash, term, ascending positions).
    pub(super) fn group(&self, group: usize) -> impl Iterator<Item = (u64, &str, &[u32])> {
        let (from, to) = (self.group_starts[group], self.group_starts[group + 1]);
        self.terms[from as usize..to as usize].iter().map(|t| {
            (
                t.hash,
                &self.text[t.text.0 as usize..t.text.1 as usize],
                &self.positions[t.positions.0 as usize..t.positions.1 as usize],
            )
        })
    }
}

pub(super) fn section_terms(doc: &SearchDoc) -> SectionTerms {
    let hasher = term_hasher();
    // Sized from the text (a CJK character gives up to three terms, most of
    // them distinct in a section): growing the table and the vectors step
    // by step was a twentieth of tokenizing.
    let chars = doc.title.len() + doc.heading.len() + doc.text.len();
    let expected = chars / 2;
    let mut text = String::with_capacity(expected * 3);
    // Distinct terms: (text range, merge group, hash), looked up by their text.
    let mut distinct: Vec<((u32, u32), u16, u64)> = Vec::with_capacity(expected);
    let mut table: hashbrown::HashTable<u32> = hashbrown::HashTable::with_capacity(expected);
    // Every occurrence as (distinct term, position), in position order.
    let mut occurrences: Vec<(u32, u32)> = Vec::with_capacity(expected);
    let mut add = |term: &str, pos: u32| {
        let hash = hasher.hash_one(term);
        let found = table.find(hash, |&i| {
            let (from, to) = distinct[i as usize].0;
            &text[from as usize..to as usize] == term
        });
        let id = match found {
            Some(&id) => id,
            None => {
                let id = distinct.len() as u32;
                let from = text.len() as u32;
                text.push_str(term);
                distinct.push(((from, text.len() as u32), merge_group(term) as u16, hash));
                table.insert_unique(hash, id, |&i| {
                    let (from, to) = distinct[i as usize].0;
                    hasher.hash_one(&text[from as usize..to as usize])
                });
                id
            }
        };
        occurrences.push((id, pos));
    };
    for (field, base) in [(&doc.title, TITLE_BASE), (&doc.heading, HEADING_BASE)] {
        if base == HEADING_BASE && !indexes_heading(doc) {
            continue;
        }
        for_each_term(&fold_chars(field), |term, pos| {
            if pos < FIELD_CAP {
                add(term, base + pos);
            }
        });
    }
    let body_len = for_each_term(&fold_chars(&doc.text), |term, pos| {
        add(term, BODY_BASE + pos)
    });
    drop(table);

    // Lay the positions out term after term, terms in merge-group order.
    // Occurrences come in position order (title, heading, body bases
    // ascend), so each term's positions come out ascending.
    let mut order: Vec<u32> = (0..distinct.len() as u32).collect();
    order.sort_unstable_by_key(|&i| distinct[i as usize].1);
    let mut counts = vec![0u32; distinct.len()];
    for &(id, _) in &occurrences {
        counts[id as usize] += 1;
    }
    let mut next = vec![0u32; distinct.len()];
    let mut terms = Vec::with_capacity(distinct.len());
    let mut group_starts = vec![0u32; MERGE_GROUPS + 1];
    let mut ordered_text = String::with_capacity(text.len());
    let mut at = 0u32;
    for &i in &order {
        let ((from, to), group, hash) = distinct[i as usize];
        group_starts[group as usize + 1] += 1;
        next[i as usize] = at;
        let start = ordered_text.len() as u32;
        ordered_text.push_str(&text[from as usize..to as usize]);
        terms.push(LocalTerm {
            hash,
            text: (start, ordered_text.len() as u32),
            positions: (at, at + counts[i as usize]),
        });
        at += counts[i as usize];
    }
    for g in 0..MERGE_GROUPS {
        group_starts[g + 1] += group_starts[g];
    }
    let mut positions = vec![0u32; occurrences.len()];
    for &(id, pos) in &occurrences {
        positions[next[id as usize] as usize] = pos;
        next[id as usize] += 1;
    }
    SectionTerms {
        text: ordered_text,
        terms,
        group_starts,
        positions,
        body_len,
        rough: rough_body(doc),
    }
}

/// Calls `f(term, position)` for every token of folded text, in the order
/// and with the positions `tokenizer::tokenize` gives, without a `String`
/// per token (indexing a page makes millions of them); returns the number
/// of positions.
fn for_each_term(chars: &[char], mut f: impl FnMut(&str, u32)) -> u32 {
    let classes: Vec<CharClass> = chars.iter().map(|&c| class(c)).collect();
    let mut term = String::new();
    let (mut pos, mut i) = (0, 0);
    while i < chars.len() {
        match classes[i] {
            CharClass::Separator => i += 1,
            CharClass::Cjk => {
                term.clear();
                term.push(chars[i]);
                f(&term, pos);
                if classes.get(i + 1) == Some(&CharClass::Cjk) {
                    term.push(chars[i + 1]);
                    f(&term, pos);
                    if classes.get(i + 2) == Some(&CharClass::Cjk) {
                        term.push(chars[i + 2]);
                        f(&term, pos);
                    }
                }
                pos += 1;
                i += 1;
            }
            CharClass::Word => {
                let start = i;
                while i < chars.len() && classes[i] == CharClass::Word {
                    i += 1;
                }
                term.clear();
                term.extend(&chars[start..i]);
                f(&term, pos);
                pos += 1;
            }
        }
    }
    pos
}

/// A quick count of a text's positions (CJK characters and runs of letters
/// and digits, without folding): only the average is taken from it, which
/// must be known before the first posting is weighed. Any typical length
/// serves BM25; both engines read the same number from `meta.js`.
fn rough_length(text: &str) -> u32 {
    let mut n = 0;
    let mut in_word = false;
    for c in text.chars() {
        if is_cjk(c) {
            n += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                n += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    n
}

/// What a section counts for in the average body length.
fn rough_body(doc: &SearchDoc) -> f64 {
    step_length(norm_step(rough_length(&doc.text)))
}

/// What one body occurrence weighs in a section of length step `step` on a
/// page of kind `class`, and the section's kind weight.
pub(super) fn weigh(scoring: &Scoring, avg_body: f64, step: u8, class: KindClass) -> Weigh<'_> {
    Weigh {
        body: scoring.body_weight(body_norm(step_length(step), avg_body)),
        kind: scoring.kinds[class as usize],
        scoring,
    }
}

/// The average body length BM25 normalises by, from each section's [`rough_body`]
/// (whole numbers, so the sum is the same in any order).
pub(super) fn average_body(roughs: impl Iterator<Item = f64>, sections: usize) -> f64 {
    if sections == 0 {
        0.0
    } else {
        roughs.sum::<f64>() / sections as f64
    }
}

pub fn build(docs: &[SearchDoc], scoring: &Scoring) -> InvertedIndex {
    build_with(docs, scoring, None)
}

/// The tokenized terms of sections, kept between `lectern build`s in the
/// build cache (`pipeline::cache`; the dev server keeps a whole
/// `delta::IndexMemo` instead): tokenizing is half an index build on
/// Chinese prose, and after an edit nearly every section is as it was.
/// Entries are found by [`section_key`]; each build keeps only the sections
/// it indexed, so the memo never holds more than one index's worth.
#[derive(Default)]
pub struct SectionMemo {
    kept: std::collections::HashMap<u128, Arc<SectionTerms>, foldhash::fast::FixedState>,
}

impl SectionMemo {
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }
}

/// What `section_terms` reads of a section, hashed (the 128-bit content
/// key the code cache uses).
pub(super) fn section_key(doc: &SearchDoc) -> u128 {
    content_key(|h| {
        (doc.kind as u8, &doc.title, &doc.heading, &doc.text).hash(&mut HashWrite(h));
    })
}

/// Every section's [`section_key`] and terms: those of `kept` under the
/// same key, the others tokenized (in parallel).
pub(super) fn terms_by_key<S: BuildHasher + Sync>(
    docs: &[SearchDoc],
    kept: &std::collections::HashMap<u128, Arc<SectionTerms>, S>,
) -> Vec<(u128, Arc<SectionTerms>)> {
    docs.par_iter()
        .map(|d| {
            let key = section_key(d);
            let terms = kept
                .get(&key)
                .cloned()
                .unwrap_or_else(|| Arc::new(section_terms(d)));
            (key, terms)
        })
        .collect()
}

/// [`build`], taking sections' terms from `memo` where it has them and
/// leaving in it the terms of `docs` (the same index either way).
pub fn build_with(
    docs: &[SearchDoc],
    scoring: &Scoring,
    mut memo: Option<&mut SectionMemo>,
) -> InvertedIndex {
    let before = memo
        .as_deref_mut()
        .map(|m| std::mem::take(&mut m.kept))
        .unwrap_or_default();
    let page_of = super::format::section_pages(&page_runs(docs));
    let roughs: Vec<f64> = docs.par_iter().map(rough_body).collect();
    let mut index = InvertedIndex {
        groups: (0..MERGE_GROUPS).map(|_| HashTable::new()).collect(),
        norms: Vec::with_capacity(docs.len()),
        avg_body: average_body(roughs.into_iter(), docs.len()),
    };
    for (batch_no, batch) in docs.chunks(BATCH).enumerate() {
        // Tokenizing is most of the work and independent per section.
        let per_doc: Vec<Arc<SectionTerms>> = match memo.as_deref_mut() {
            None => batch
                .par_iter()
                .map(|d| Arc::new(section_terms(d)))
                .collect(),
            Some(memo) => {
                let keyed = terms_by_key(batch, &before);
                memo.kept.extend(keyed.iter().cloned());
                keyed.into_iter().map(|(_, t)| t).collect()
            }
        };
        merge(
            &mut index,
            (batch_no * BATCH) as u32,
            &per_doc,
            batch,
            scoring,
            &page_of,
        );
    }
    index
}

/// Adds the postings of sections `first ..` (`per_doc`, the terms of
/// `batch`) to `index`, whose `avg_body` is set; `page_of` is every section's page.
pub(super) fn merge(
    index: &mut InvertedIndex,
    first: u32,
    per_doc: &[Arc<SectionTerms>],
    batch: &[SearchDoc],
    scoring: &Scoring,
    page_of: &[(u32, KindClass)],
) {
    let norms: Vec<(u8, bool)> = per_doc
        .iter()
        .zip(batch)
        .map(|(terms, doc)| (norm_step(terms.body_len), is_lead(doc)))
        .collect();
    let weighs: Vec<Weigh> = norms
        .iter()
        .enumerate()
        .map(|(i, &(step, _))| weigh(scoring, index.avg_body, step, page_of[first as usize + i].1))
        .collect();
    // Each group holds whole terms, so the groups merge in parallel;
    // sections come in order, so every postings list stays ascending.
    index
        .groups
        .par_iter_mut()
        .enumerate()
        .for_each(|(group, terms)| {
            for (i, section) in per_doc.iter().enumerate() {
                let norm = norms[i];
                let weigh = &weighs[i];
                for (hash, term, positions) in section.group(group) {
                    let entry = match terms.find_mut(hash, |(t, _)| t == term) {
                        Some((_, postings)) => postings,
                        None => {
                            let added = terms.insert_unique(
                                hash,
                                (term.to_string(), TermPostings::default()),
                                |(t, _)| term_hasher().hash_one(t.as_str()),
                            );
                            &mut added.into_mut().1
                        }
                    };
                    entry.push(first + i as u32, positions, norm, weigh);
                }
            }
        });
    index.norms.extend(norms);
}

/// The memo as bytes, for the build cache.
mod store;

#[cfg(test)]
mod tests {
    use super::super::DocKind;
    use super::*;

    fn doc(title: &str, heading: &str, text: &str) -> SearchDoc {
        SearchDoc {
            url: "a.html".into(),
            title: title.into(),
            heading: heading.into(),
            breadcrumb: vec![],
            kind: DocKind::Section,
            text: text.into(),
        }
    }

    #[test]
    fn fields_take_their_own_position_ranges() {
        let index = build(&[doc("客户", "分类", "客户的分类")], &Scoring::CURRENT);
        let kehu = index.term("客户").unwrap().postings();
        assert_eq!(
            kehu,
            vec![Posting {
                doc: 0,
                positions: vec![TITLE_BASE, BODY_BASE]
            }]
        );
        assert_eq!(
            index.term("分类").unwrap().postings()[0].positions,
            vec![HEADING_BASE, BODY_BASE + 3]
        );
        assert_eq!(index.norms, vec![(norm_step(5), false)]);
    }

    #[test]
    fn postings_are_in_section_order() {
        let docs: Vec<_> = (0..50)
            .map(|i| doc("", "", if i % 2 == 0 { "服务" } else { "其他" }))
            .collect();
        let index = build(&docs, &Scoring::CURRENT);
        let ids: Vec<u32> = index
            .term("服务")
            .unwrap()
            .postings()
            .iter()
            .map(|p| p.doc)
            .collect();
        assert_eq!(ids, (0..50).step_by(2).collect::<Vec<u32>>());
        assert!(index.norms.iter().all(|&(_, lead)| lead));
    }

    #[test]
    fn for_each_term_gives_what_tokenize_gives() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/search_tokenizer_cases.json"
        );
        let cases: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut texts: Vec<String> = cases
            .iter()
            .map(|c| c["text"].as_str().unwrap().to_string())
            .collect();
        texts.push("客户服务中心 CRM 系统，Ｅｘｃｅｌ表格　第3步".into());
        for text in texts {
            let folded = super::super::fold::fold(&text);
            let (tokens, len) = super::super::tokenizer::tokenize(&folded);
            let want: Vec<(String, u32)> = tokens.into_iter().map(|t| (t.term, t.pos)).collect();
            let mut got = Vec::new();
            let got_len = for_each_term(&folded.chars, |t, p| got.push((t.to_string(), p)));
            assert_eq!((got, got_len), (want, len), "{text:?}");
        }
    }

    #[test]
    fn the_head_keeps_the_heaviest_sections_and_the_earlier_on_ties() {
        let mut docs: Vec<_> = (0..200).map(|_| doc("", "", "服务")).collect();
        docs[150] = doc("服务", "", "服务");
        let index = build(&docs, &Scoring::CURRENT);
        let term = index.term("服务").unwrap();
        assert_eq!(term.df, 200);
        let mut head: Vec<u32> = term.head_docs().collect();
        head.sort_unstable();
        let mut want: Vec<u32> = (0..HEAD_POSTINGS as u32 - 1).collect();
        want.push(150);
        assert_eq!(head, want);
    }
}
