//! The index's file format, shared by the writer, the reader and (in
//! JavaScript) search.js. Everything under `search/` in the output:
//!
//! - `meta.js`    — [`Meta`]: counts, section lengths, where each section is stored.
//! - `words.js`   — every word (non-CJK term), sorted, space-separated: the
//!   dictionary a partial word is expanded against. Loaded only by queries
//!   that contain a word.
//! - `shard-N.js` — `{term: postings}` for the terms whose [`term_hash`] falls in shard N.
//! - `docs-N.js`  — the stored sections `[kind, url, title, heading, breadcrumb, text]`
//!   of one chunk, for showing results and their snippets.
//!
//! Each file is one call `__lecternSearch.register(kind, number, payload)`
//! with a JSON payload: a script element can load it from file://, where
//! fetch() cannot.

use serde::{Deserialize, Serialize};

use super::codec::{push_uint, Decoder, ALPHABET, BASE};
use super::index::Posting;
use super::DocKind;

/// Bumped when the files change shape, so a stale search.js refuses a new index
/// (and the reverse) instead of showing garbage.
pub const FORMAT_VERSION: u32 = 1;
pub const REGISTER_FN: &str = "__lecternSearch.register";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub format: u32,
    /// Hash of the index content; search.js appends it to file URLs so a
    /// browser never mixes files of two builds from its cache.
    pub build: String,
    pub docs: u32,
    pub shards: u32,
    /// First section id of each `docs-N.js` chunk, ascending.
    pub chunks: Vec<u32>,
    /// One character per section: quantized body length, and whether it is a
    /// page's lead section (see [`encode_norm`]).
    pub norms: String,
    /// Average body length, over the quantized lengths.
    pub avg_body: f64,
    /// Field position bases: title, heading, body.
    pub bases: [u32; 3],
    pub words: u32,
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
/// section id, the number of positions, the first position, then the gaps
/// between positions (gaps minus one, as they are never zero).
pub fn encode_postings(postings: &[Posting]) -> String {
    let mut out = String::new();
    let mut prev_doc: i64 = -1;
    for p in postings {
        push_uint(&mut out, (p.doc as i64 - prev_doc - 1) as u64);
        prev_doc = p.doc as i64;
        push_uint(&mut out, p.positions.len() as u64);
        let mut prev_pos: i64 = -1;
        for &pos in &p.positions {
            push_uint(&mut out, (pos as i64 - prev_pos - 1) as u64);
            prev_pos = pos as i64;
        }
    }
    out
}

pub fn decode_postings(text: &str) -> Result<Vec<Posting>, String> {
    let mut d = Decoder::new(text);
    let mut out = Vec::new();
    let mut doc: i64 = -1;
    while !d.is_empty() {
        doc += d.next_uint()? as i64 + 1;
        let n = d.next_uint()?;
        let mut positions = Vec::with_capacity(n as usize);
        let mut pos: i64 = -1;
        for _ in 0..n {
            pos += d.next_uint()? as i64 + 1;
            positions.push(pos as u32);
        }
        out.push(Posting {
            doc: doc as u32,
            positions,
        });
    }
    Ok(out)
}

/// Body lengths are stored as one character each: 46 logarithmic steps of
/// about 28 % (ample for BM25's length normalisation, which only needs "about
/// as long as average"), doubled by the lead flag. One character per section
/// keeps `meta.js` at ~50 KB for 50,000 sections.
pub fn encode_norm(body_len: u32, lead: bool) -> char {
    let q = ((body_len as f64 + 1.0).ln() * 4.0)
        .round()
        .min(BASE as f64 - 1.0) as usize;
    ALPHABET[q + if lead { BASE as usize } else { 0 }] as char
}

/// The body length and lead flag a norm character stands for.
pub fn decode_norm(c: char) -> (f64, bool) {
    let v = ALPHABET.iter().position(|&a| a as char == c).unwrap_or(0) as u64;
    let (q, lead) = if v >= BASE {
        (v - BASE, true)
    } else {
        (v, false)
    };
    ((q as f64 / 4.0).exp() - 1.0, lead)
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
        assert_eq!(
            decode_postings(&encode_postings(&postings)).unwrap(),
            postings
        );
    }

    #[test]
    fn norms_keep_length_within_a_step_and_the_lead_flag() {
        for len in [0u32, 1, 10, 100, 1000, 30_000] {
            for lead in [false, true] {
                let (back, l) = decode_norm(encode_norm(len, lead));
                assert_eq!(l, lead);
                assert!(
                    (back - len as f64).abs() <= 0.15 * len as f64 + 0.5,
                    "{len} -> {back}"
                );
            }
        }
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
