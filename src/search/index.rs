//! The inverted index in memory: for every term, the sections it occurs in
//! and at which positions. Built once per site, then encoded by `writer`.
//!
//! A section's title, heading and body share one position space, each field
//! starting at a fixed base, so a position alone says which field it is in
//! (for ranking) and a match can never run from one field into the next. The
//! fixed bases cost nothing in the encoding: positions are delta-coded.

use std::collections::HashMap;

use rayon::prelude::*;

use super::fold::fold;
use super::tokenizer::tokenize;
use super::SearchDoc;

pub const TITLE_BASE: u32 = 0;
pub const HEADING_BASE: u32 = 256;
pub const BODY_BASE: u32 = 512;
/// Positions a title or a heading may use. Only the tail of a title longer
/// than 250 words or characters goes unindexed, which no real title reaches.
pub const FIELD_CAP: u32 = 250;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Heading,
    Body,
}

pub fn field_of(pos: u32) -> Field {
    if pos < HEADING_BASE {
        Field::Title
    } else if pos < BODY_BASE {
        Field::Heading
    } else {
        Field::Body
    }
}

/// The positions of one term in one section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    /// Ascending.
    pub positions: Vec<u32>,
}

#[derive(Debug, Default)]
pub struct InvertedIndex {
    /// Postings of every term, in ascending section order.
    pub terms: HashMap<String, Vec<Posting>>,
    /// Positions used by each section's body (its length for ranking).
    pub body_lengths: Vec<u32>,
    /// Whether each section is the lead of its page (no heading of its own),
    /// which is where the page title counts fully.
    pub lead: Vec<bool>,
}

/// The terms of one section with their positions, before merging.
fn section_terms(doc: &SearchDoc) -> (Vec<(String, Vec<u32>)>, u32) {
    let mut terms: HashMap<String, Vec<u32>> = HashMap::new();
    for (text, base, cap) in [
        (&doc.title, TITLE_BASE, FIELD_CAP),
        (&doc.heading, HEADING_BASE, FIELD_CAP),
    ] {
        for token in tokenize(&fold(text))
            .0
            .into_iter()
            .take_while(|t| t.pos < cap)
        {
            terms.entry(token.term).or_default().push(base + token.pos);
        }
    }
    let (body, body_len) = tokenize(&fold(&doc.text));
    for token in body {
        terms
            .entry(token.term)
            .or_default()
            .push(BODY_BASE + token.pos);
    }
    (terms.into_iter().collect(), body_len)
}

pub fn build(docs: &[SearchDoc]) -> InvertedIndex {
    // Tokenizing is most of the work and independent per section.
    let per_doc: Vec<_> = docs.par_iter().map(section_terms).collect();
    let mut index = InvertedIndex::default();
    for (doc_id, (terms, body_len)) in per_doc.into_iter().enumerate() {
        for (term, positions) in terms {
            index.terms.entry(term).or_default().push(Posting {
                doc: doc_id as u32,
                positions,
            });
        }
        index.body_lengths.push(body_len);
        index.lead.push(docs[doc_id].heading.trim().is_empty());
    }
    index
}

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
        let index = build(&[doc("客户", "分类", "客户的分类")]);
        let kehu = &index.terms["客户"];
        assert_eq!(
            kehu,
            &vec![Posting {
                doc: 0,
                positions: vec![TITLE_BASE, BODY_BASE]
            }]
        );
        assert_eq!(
            index.terms["分类"][0].positions,
            vec![HEADING_BASE, BODY_BASE + 3]
        );
        assert_eq!(index.body_lengths, vec![5]);
        assert_eq!(index.lead, vec![false]);
    }

    #[test]
    fn postings_are_in_section_order() {
        let docs: Vec<_> = (0..50)
            .map(|i| doc("", "", if i % 2 == 0 { "服务" } else { "其他" }))
            .collect();
        let index = build(&docs);
        let ids: Vec<u32> = index.terms["服务"].iter().map(|p| p.doc).collect();
        assert_eq!(ids, (0..50).step_by(2).collect::<Vec<u32>>());
        assert!(index.lead.iter().all(|&l| l));
    }
}
