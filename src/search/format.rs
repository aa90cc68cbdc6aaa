//! The index's file format, shared by the writer, the reader and (in
//! JavaScript) search-engine.js. Everything under `search/` in the output:
//!
//! - `meta.js`    — [`Meta`]: counts and constants, a few hundred bytes.
//! - `shard-N.js` — `{term: entry}` for the terms whose [`term_hash`] falls in
//!   shard N. An entry ([`encode_entry`]) is the term's section count, where
//!   the rest of its postings are, and its *head*: the postings of the
//!   [`Meta::head`] sections where the term weighs most. A query of one term
//!   (a two-character Chinese word, say) needs nothing else for its first
//!   results, however common the term.
//! - `tail-N.js`  — `{term: postings}`: the postings left out of the heads,
//!   loaded only when a query needs every section (several terms that must
//!   occur together, or more results than a head holds).
//! - `words-N.js` — the index words (non-CJK terms) grouped by the pairs of
//!   letters they contain (and `^x`, `x$` for their first and last letter):
//!   the dictionary a partial word is expanded against, of which a query
//!   loads the one group its word's first pair falls in.
//! - `docs-N.js`  — the stored sections `[kind, url, title, heading,
//!   breadcrumb, text]` number `N * chunk_docs ..`, for results and snippets.
//!
//! Each file is one call `__lecternSearch.register(kind, number, payload)`
//! with a JSON payload: a script element can load it from file://, where
//! fetch() cannot.

use serde::{Deserialize, Serialize};

use super::codec::{push_uint, Decoder, BASE};
use super::scoring::{KindClass, Scoring};
use super::DocKind;

/// The positions of one term in one section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    /// Ascending.
    pub positions: Vec<u32>,
}

/// Bumped when the files change shape, so a stale search.js refuses a new index
/// (and the reverse) instead of showing garbage.
pub const FORMAT_VERSION: u32 = 4;
pub const REGISTER_FN: &str = "__lecternSearch.register";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub format: u32,
    /// Hash of the index content; search.js appends it to file URLs so a
    /// browser never mixes files of two builds from its cache.
    pub build: String,
    pub docs: u32,
    pub shards: u32,
    pub tails: u32,
    /// Sections per `docs-N.js` file.
    pub chunk_docs: u32,
    /// Postings kept in a term's head (see the module documentation).
    pub head: u32,
    /// Average body length, over the quantized lengths.
    pub avg_body: f64,
    /// Field position bases: title, heading, body.
    pub bases: [u32; 3],
    /// Ranking constants, read by search-engine.js.
    pub scoring: Scoring,
    pub words: u32,
    pub word_groups: u32,
    /// The pages, in section order ([`encode_pages`]): which page each
    /// section belongs to and what kind of page it is, so results group by
    /// page and rank by kind without loading any stored section.
    pub pages: String,
    /// Equivalent terms (`search.synonyms`), folded: a query with one of
    /// them is also run with each of the others.
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
    /// Number of characters in `fold-0.js` (Traditional → Simplified pairs
    /// whose Simplified character the index holds), 0 when none.
    #[serde(default)]
    pub fold_chars: u32,
}

/// One page of the index: its number of sections (consecutive, from the
/// section after the previous page's last) and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRun {
    pub sections: u32,
    pub class: KindClass,
}

/// The pages as one string: per page, its section count times four plus its
/// kind class, in the codec's numbers (one character for a page of up to
/// eleven sections).
pub fn encode_pages(pages: &[PageRun]) -> String {
    let mut out = String::new();
    for p in pages {
        push_uint(&mut out, p.sections as u64 * 4 + p.class as u64);
    }
    out
}

pub fn decode_pages(text: &str) -> Result<Vec<PageRun>, String> {
    let mut d = Decoder::new(text);
    let mut out = Vec::new();
    while !d.is_empty() {
        let n = d.next_uint()?;
        out.push(PageRun {
            sections: (n / 4) as u32,
            class: KindClass::from_index((n % 4) as u8),
        });
    }
    Ok(out)
}

/// Per section, the number of its page (in page order) and its page's kind.
pub fn section_pages(pages: &[PageRun]) -> Vec<(u32, KindClass)> {
    let mut out = Vec::new();
    for (n, p) in pages.iter().enumerate() {
        out.extend(std::iter::repeat_n(
            (n as u32, p.class),
            p.sections as usize,
        ));
    }
    out
}

/// A term's entry in its shard.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Sections the term occurs in.
    pub df: u32,
    /// The `tail-N.js` file holding the postings not in the head.
    pub tail: Option<u32>,
    /// Encoded postings ([`encode_postings`]) of the head, ascending sections.
    pub head: String,
}

pub fn encode_entry(entry: &Entry) -> String {
    let mut out = String::new();
    push_uint(&mut out, entry.df as u64);
    push_uint(&mut out, entry.tail.map_or(0, |t| t as u64 + 1));
    out.push_str(&entry.head);
    out
}

pub fn decode_entry(text: &str) -> Result<Entry, String> {
    let mut d = Decoder::new(text);
    let df = d.next_uint()? as u32;
    let tail = d.next_uint()?;
    Ok(Entry {
        df,
        tail: tail.checked_sub(1).map(|t| t as u32),
        head: text[d.position()..].to_string(),
    })
}

/// A stored section, as `docs-N.js` holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredDoc(
    pub DocKind,
    pub String,
    pub String,
    pub String,
    pub Vec<String>,
    pub String,
);

/// FNV-1a over the term's code points: which shard a term lives in.
/// search.js computes the same with `Math.imul`.
pub fn term_hash(term: &str) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for c in term.chars() {
        h ^= c as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

pub fn shard_of(term: &str, shards: u32) -> u32 {
    term_hash(term) % shards.max(1)
}

/// Postings as one string: for each section, the gap from the previous
/// section id, the section's quantized body length ([`norm_step`]), its
/// number of positions times two plus its lead flag, the first position, then
/// the gaps between positions (gaps minus one, as they are never zero). The
/// length travels with every posting so that ranking needs no table of all
/// sections: a query loads only its terms.
pub fn encode_postings(postings: &[Posting], norms: &[(u8, bool)]) -> String {
    let mut out = String::new();
    encode_postings_into(&mut out, postings.iter(), norms);
    out
}

pub fn encode_postings_into<'a>(
    out: &mut String,
    postings: impl Iterator<Item = &'a Posting>,
    norms: &[(u8, bool)],
) {
    let mut prev_doc: i64 = -1;
    for p in postings {
        let gap = (p.doc as i64 - prev_doc - 1) as u64;
        prev_doc = p.doc as i64;
        encode_posting(out, gap, norms[p.doc as usize], &p.positions);
    }
}

/// One posting: `gap` from the previous section (minus one), then as above.
pub fn encode_posting(out: &mut String, gap: u64, (step, lead): (u8, bool), positions: &[u32]) {
    push_uint(out, gap);
    push_uint(out, step as u64);
    push_uint(out, positions.len() as u64 * 2 + lead as u64);
    let mut prev_pos: i64 = -1;
    for &pos in positions {
        push_uint(out, (pos as i64 - prev_pos - 1) as u64);
        prev_pos = pos as i64;
    }
}

/// Postings with the (step, lead) of their sections.
pub type NormedPostings = Vec<(Posting, (u8, bool))>;

pub fn decode_postings(text: &str) -> Result<NormedPostings, String> {
    let mut d = Decoder::new(text);
    let mut out = Vec::new();
    let mut doc: i64 = -1;
    while !d.is_empty() {
        doc += d.next_uint()? as i64 + 1;
        let step = d.next_uint()?;
        if step >= BASE {
            return Err("body length out of range".into());
        }
        let n = d.next_uint()?;
        let lead = n % 2 == 1;
        let n = n / 2;
        let mut positions = Vec::with_capacity(n.min(1 << 16) as usize);
        let mut pos: i64 = -1;
        for _ in 0..n {
            pos += d.next_uint()? as i64 + 1;
            positions.push(pos as u32);
        }
        out.push((
            Posting {
                doc: doc as u32,
                positions,
            },
            (step as u8, lead),
        ));
    }
    Ok(out)
}

/// Body lengths are kept as one of 46 logarithmic steps of about 28 % (ample
/// for BM25's length normalisation, which only needs "about as long as
/// average"), so they cost one character per posting.
pub fn norm_step(body_len: u32) -> u8 {
    ((body_len as f64 + 1.0).ln() * 4.0)
        .round()
        .min(BASE as f64 - 1.0) as u8
}

/// The body length a step stands for, a whole number so that Rust and
/// JavaScript (whose `exp` may differ in the last bit) compute identical scores.
pub fn step_length(step: u8) -> f64 {
    ((step as f64 / 4.0).exp() - 1.0).round()
}

/// The text of a file: `__lecternSearch.register("kind",n,payload);`.
pub fn wrap(kind: &str, number: usize, payload_json: &str) -> String {
    format!("{REGISTER_FN}(\"{kind}\",{number},{payload_json});\n")
}

/// The payload of a file written by [`wrap`].
pub fn unwrap<'a>(text: &'a str, kind: &str) -> Result<(usize, &'a str), String> {
    let rest = text
        .strip_prefix(REGISTER_FN)
        .and_then(|r| r.strip_prefix(&format!("(\"{kind}\",")))
        .ok_or_else(|| format!("not a `{kind}` index file"))?;
    let comma = rest.find(',').ok_or("no payload")?;
    let number = rest[..comma].parse().map_err(|_| "bad file number")?;
    let payload = rest[comma + 1..]
        .trim_end()
        .strip_suffix(");")
        .ok_or("file is cut short")?;
    Ok((number, payload))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_round_trip() {
        let postings = vec![
            Posting {
                doc: 0,
                positions: vec![0, 512, 513, 9000],
            },
            Posting {
                doc: 7,
                positions: vec![256],
            },
            Posting {
                doc: 50_000,
                positions: vec![600],
            },
        ];
        let mut norms = vec![(0u8, false); 50_001];
        norms[0] = (45, true);
        norms[7] = (3, false);
        let decoded = decode_postings(&encode_postings(&postings, &norms)).unwrap();
        assert_eq!(
            decoded,
            postings
                .iter()
                .map(|p| (p.clone(), norms[p.doc as usize]))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn entries_round_trip() {
        for entry in [
            Entry {
                df: 3,
                tail: None,
                head: "!#$".into(),
            },
            Entry {
                df: 90_000,
                tail: Some(4_000),
                head: String::new(),
            },
        ] {
            assert_eq!(decode_entry(&encode_entry(&entry)).unwrap(), entry);
        }
    }

    #[test]
    fn norm_steps_keep_length_within_a_step() {
        for len in [0u32, 1, 10, 100, 1000, 30_000] {
            let back = step_length(norm_step(len));
            assert!(
                (back - len as f64).abs() <= 0.15 * len as f64 + 0.5,
                "{len} -> {back}"
            );
        }
        assert_eq!(step_length(0), 0.0);
    }

    #[test]
    fn term_hash_is_fnv1a_over_code_points() {
        // Values checked against search.js (tests/js/search-engine.test.mjs).
        assert_eq!(term_hash(""), 0x811c9dc5);
        assert_eq!(term_hash("a"), 0xe40c292c);
        assert_eq!(shard_of("客户", 1), 0);
    }

    #[test]
    fn wrap_and_unwrap() {
        let text = wrap("shard", 3, "{\"a\":\"!\"}");
        assert_eq!(unwrap(&text, "shard").unwrap(), (3, "{\"a\":\"!\"}"));
        assert!(unwrap(&text, "docs").is_err());
    }
}
