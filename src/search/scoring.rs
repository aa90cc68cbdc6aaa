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
    };
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

/// What one body occurrence weighs in a section with that normalisation.
pub fn body_weight(body_norm: f64) -> f64 {
    BODY_WEIGHT / body_norm
}

/// Weighted term frequency of `(position, weight)` occurrences (ascending
/// positions) in a section; `body_weight` from [`body_weight`]. The index
/// calls it with weight 1 for every occurrence, summed in the same order as
/// the engines, so heads are cut exactly where search-engine.js ranks.
pub fn weighted_tf(
    occurrences: impl IntoIterator<Item = (u32, f64)>,
    body_weight: f64,
    lead: bool,
) -> f64 {
    let mut tf = 0.0;
    for (pos, weight) in occurrences {
        tf += weight
            * match field_of(pos) {
                Field::Title if lead => TITLE_WEIGHT_LEAD,
                Field::Title => TITLE_WEIGHT_OTHER,
                Field::Heading => HEADING_WEIGHT,
                Field::Body => body_weight,
            };
    }
    tf
}

pub fn saturate(tf: f64) -> f64 {
    tf * (K1 + 1.0) / (tf + K1)
}
