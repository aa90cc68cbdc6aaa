//! How sections are scored: the field layout of positions and BM25F's
//! constants and formulas. A leaf that both sides use: the index builder
//! (to cut heads where a one-term query ranks) and the query engines (this
//! crate's `engine` and the browser's search-engine.js, which reads the
//! constants from the index's meta file instead of repeating them).

use serde::{Deserialize, Serialize};

/// A section's title, heading and body share one position space, each field
/// starting at a fixed base, so a position alone says which field it is in
/// and a match can never run from one field into the next. The fixed bases
/// cost nothing in the encoding: positions are delta-coded.
pub const TITLE_BASE: u32 = 0;
pub const HEADING_BASE: u32 = 256;
pub const BODY_BASE: u32 = 512;

pub const K1: f64 = 1.2;
pub const B: f64 = 0.75;
pub const TITLE_WEIGHT_LEAD: f64 = 6.0;
/// The page title in the page's other sections: context, not the subject.
pub const TITLE_WEIGHT_OTHER: f64 = 2.0;
pub const HEADING_WEIGHT: f64 = 5.0;
pub const BODY_WEIGHT: f64 = 1.0;
/// Multiplies the score of a section where a query of several phrases occurs verbatim.
pub const VERBATIM_BONUS: f64 = 1.5;
pub const PREFIX_WEIGHT: f64 = 0.8;
pub const INNER_WEIGHT: f64 = 0.6;
/// Most words one partial word expands to; beyond, the least likely are
/// dropped and the outcome says so (a two-letter fragment inside words of a
/// large English handbook would otherwise load every shard).
pub const MAX_EXPANSIONS: usize = 128;
/// What a section's kind multiplies its term frequencies by, in the order of
/// [`KindClass`]: all else equal, a teaching page comes before a case study,
/// a case study before a Q&A entry, a Q&A entry before a quiz question.
pub const KIND_WEIGHTS: [f64; 4] = [1.0, 0.9, 0.75, 0.5];
/// What a phrase's score is multiplied by in a section whose page title holds
/// it, or (failing that) whose heading does: a page named by the query comes
/// first, then the section named by it. Applied after saturation, where
/// field weights alone barely tell a title from a heading.
pub const TITLE_MATCH: f64 = 2.0;
pub const HEADING_MATCH: f64 = 1.5;

/// The four kinds of page that ranking tells apart (search.weights in
/// course.yaml names them): the index of each in [`Scoring::kinds`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum KindClass {
    Teaching = 0,
    Case = 1,
    Qa = 2,
    Quiz = 3,
}

impl KindClass {
    pub fn of(kind: super::DocKind) -> KindClass {
        use super::DocKind::*;
        match kind {
            Page | Section => KindClass::Teaching,
            Case => KindClass::Case,
            Qa => KindClass::Qa,
            Question => KindClass::Quiz,
        }
    }

    pub fn from_index(n: u8) -> KindClass {
        match n {
            0 => KindClass::Teaching,
            1 => KindClass::Case,
            2 => KindClass::Qa,
            _ => KindClass::Quiz,
        }
    }
}

/// The constants above as the meta file carries them to search-engine.js.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scoring {
    pub k1: f64,
    pub b: f64,
    pub title_lead: f64,
    pub title_other: f64,
    pub heading: f64,
    pub body: f64,
    pub verbatim: f64,
    pub prefix: f64,
    pub inner: f64,
    pub max_expansions: usize,
    /// Weights of teaching pages, case studies, Q&A entries and quiz
    /// questions ([`KindClass`] order), multiplying term frequencies.
    pub kinds: [f64; 4],
    /// A phrase in the page title, in a heading: see [`TITLE_MATCH`].
    pub title_match: f64,
    pub heading_match: f64,
}

impl Scoring {
    pub const CURRENT: Scoring = Scoring {
        k1: K1,
        b: B,
        title_lead: TITLE_WEIGHT_LEAD,
        title_other: TITLE_WEIGHT_OTHER,
        heading: HEADING_WEIGHT,
        body: BODY_WEIGHT,
        verbatim: VERBATIM_BONUS,
        prefix: PREFIX_WEIGHT,
        inner: INNER_WEIGHT,
        max_expansions: MAX_EXPANSIONS,
        kinds: KIND_WEIGHTS,
        title_match: TITLE_MATCH,
        heading_match: HEADING_MATCH,
    };

    /// The field bonus of a phrase whose occurrences in a section start at
    /// these ascending positions: the first one says the best field.
    pub fn field_match(&self, first_position: Option<u32>) -> f64 {
        match first_position.map(field_of) {
            Some(Field::Title) => self.title_match,
            Some(Field::Heading) => self.heading_match,
            _ => 1.0,
        }
    }

    /// The weight one body occurrence has in a section with that normalisation.
    pub fn body_weight(&self, body_norm: f64) -> f64 {
        self.body / body_norm
    }
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring::CURRENT
    }
}

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

/// BM25's length normalisation of a section whose body has `length` units
/// (the quantized length, `format::step_length`).
pub fn body_norm(length: f64, avg_body: f64) -> f64 {
    if avg_body > 0.0 {
        1.0 - B + B * length / avg_body
    } else {
        1.0
    }
}

/// Weighted term frequency of `(position, weight)` occurrences (ascending
/// positions) in a section; `body_weight` from [`Scoring::body_weight`],
/// The index calls it with weight 1 for every occurrence, summed in the
/// same order as the engines, so heads are cut exactly where
/// search-engine.js ranks.
pub fn weighted_tf(
    occurrences: impl IntoIterator<Item = (u32, f64)>,
    body_weight: f64,
    lead: bool,
    s: &Scoring,
) -> f64 {
    let mut tf = 0.0;
    for (pos, weight) in occurrences {
        tf += weight
            * match field_of(pos) {
                Field::Title if lead => s.title_lead,
                Field::Title => s.title_other,
                Field::Heading => s.heading,
                Field::Body => body_weight,
            };
    }
    tf
}

pub fn saturate(tf: f64) -> f64 {
    tf * (K1 + 1.0) / (tf + K1)
}
