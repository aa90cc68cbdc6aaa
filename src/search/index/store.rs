//! The section memo as bytes, for `lectern build`'s persistent cache: a
//! build after a one-page edit then tokenizes only that page's sections.
//!
//! Entries in key order (the same memo gives the same bytes), their
//! lengths first (they are read in parallel); numbers as
//! LEB128 varints, a term's positions as gaps (they ascend), so Chinese
//! prose's many one- and two-byte gaps take a byte each. A term's hash is
//! not stored: it is computed again from the text, as tokenizing does.
//! The caller frames the bytes (checksum, version); `decode` still checks
//! every length and offset, so damaged bytes give None, never a panic.

use std::hash::BuildHasher;
use std::sync::Arc;

use rayon::prelude::*;

use super::{term_hasher, LocalTerm, SectionMemo, SectionTerms, MERGE_GROUPS};

/// The first bytes; a change of layout changes them.
const MAGIC: &[u8; 8] = b"LSTERMS2";

impl SectionMemo {
    /// The memo as bytes (deterministic): the entries' lengths first, so
    /// that they can be read back in parallel.
    pub fn encode(&self) -> Vec<u8> {
        let mut keys: Vec<&u128> = self.kept.keys().collect();
        keys.sort_unstable();
        let entries: Vec<Vec<u8>> = keys
            .par_iter()
            .map(|key| encode_entry(**key, &self.kept[*key]))
            .collect();
        let mut out = Vec::with_capacity(16 + entries.iter().map(|e| e.len() + 4).sum::<usize>());
        out.extend_from_slice(MAGIC);
        put(&mut out, entries.len() as u64);
        for e in &entries {
            put(&mut out, e.len() as u64);
        }
        for e in entries {
            out.extend_from_slice(&e);
        }
        out
    }

    /// The memo `encode` gave; None when `bytes` are not one.
    pub fn decode(bytes: &[u8]) -> Option<SectionMemo> {
        let mut r = Reader {
            rest: bytes.strip_prefix(MAGIC)?,
        };
        let count = r.number()?;
        let mut entries = Vec::with_capacity(count.min(1 << 20));
        for _ in 0..count {
            entries.push(r.number()?);
        }
        let mut slices = Vec::with_capacity(entries.len());
        for len in entries {
            slices.push(r.take(len)?);
        }
        if !r.rest.is_empty() {
            return None;
        }
        let kept = slices
            .par_iter()
            .map(|entry| decode_entry(entry))
            .collect::<Option<Vec<_>>>()?;
        let mut memo = SectionMemo::default();
        memo.kept.reserve(kept.len());
        memo.kept.extend(kept);
        Some(memo)
    }
}

fn encode_entry(key: u128, s: &SectionTerms) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.text.len() + s.positions.len() * 2 + 128);
    out.extend_from_slice(&key.to_le_bytes());
    put(&mut out, u64::from(s.body_len));
    out.extend_from_slice(&s.rough.to_bits().to_le_bytes());
    put(&mut out, s.terms.len() as u64);
    for w in s.group_starts.windows(2) {
        put(&mut out, u64::from(w[1] - w[0]));
    }
    for t in &s.terms {
        let text = &s.text.as_bytes()[t.text.0 as usize..t.text.1 as usize];
        put(&mut out, text.len() as u64);
        out.extend_from_slice(text);
        let positions = &s.positions[t.positions.0 as usize..t.positions.1 as usize];
        put(&mut out, positions.len() as u64);
        let mut last = 0;
        for &p in positions {
            put(&mut out, u64::from(p - last));
            last = p;
        }
    }
    out
}

fn decode_entry(bytes: &[u8]) -> Option<(u128, Arc<SectionTerms>)> {
    let mut r = Reader { rest: bytes };
    let hasher = term_hasher();
    let key = u128::from_le_bytes(r.take(16)?.try_into().ok()?);
    let body_len = u32::try_from(r.number()?).ok()?;
    let rough = f64::from_bits(u64::from_le_bytes(r.take(8)?.try_into().ok()?));
    let term_count = r.number()?;
    let mut group_starts = Vec::with_capacity(MERGE_GROUPS + 1);
    group_starts.push(0u32);
    for _ in 0..MERGE_GROUPS {
        let size = u32::try_from(r.number()?).ok()?;
        group_starts.push(group_starts.last()?.checked_add(size)?);
    }
    if *group_starts.last()? as usize != term_count {
        return None;
    }
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut terms = Vec::with_capacity(term_count.min(bytes.len()));
    let mut positions = Vec::with_capacity(bytes.len() / 2);
    for _ in 0..term_count {
        let len = r.number()?;
        let term = std::str::from_utf8(r.take(len)?).ok()?;
        let from = u32::try_from(text.len()).ok()?;
        text.push_str(term);
        let n = r.number()?;
        let at = u32::try_from(positions.len()).ok()?;
        let mut last = 0u32;
        for _ in 0..n {
            last = last.checked_add(u32::try_from(r.number()?).ok()?)?;
            positions.push(last);
        }
        terms.push(LocalTerm {
            hash: hasher.hash_one(term),
            text: (from, u32::try_from(text.len()).ok()?),
            positions: (at, u32::try_from(positions.len()).ok()?),
        });
    }
    if !r.rest.is_empty() {
        return None;
    }
    let terms = SectionTerms {
        text,
        terms,
        group_starts,
        positions,
        body_len,
        rough,
    };
    Some((key, Arc::new(terms)))
}

fn put(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.rest.split_at_checked(n)?;
        self.rest = tail;
        Some(head)
    }

    fn number(&mut self) -> Option<usize> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let (&b, tail) = self.rest.split_first()?;
            self.rest = tail;
            n |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return usize::try_from(n).ok();
            }
        }
        None
    }
}
