//! What a query asks for, read with the same folding and character classes
//! as the index. search.js mirrors this file (`parseQuery`).
//!
//! The query is split at white space into phrases; a section must contain
//! every phrase (anywhere), and each phrase with its units at consecutive
//! positions. A CJK run of three or more characters becomes its overlapping
//! triples, a run of two its pair, so "客户服务" can never be satisfied by 客,
//! 户, 服 and 务 scattered about; a lone CJK character stays a single
//! character. The relaxed reading (when nothing has every phrase) uses pairs,
//! so a partial match still needs two characters side by side.
//!
//! Words follow Ctrl+F: a word that touches the start of the query may be the
//! end of a longer word ("omer" finds "customer"), one that touches the end may
//! be its beginning ("cust" finds "customer"), one that touches both may sit
//! anywhere inside a word; every other word must match whole, and so does the
//! side of a word that a space closes ("cust " is the word "cust"). That is
//! what makes recall equal substring search while "crm 系统" still means two words.

use super::fold::fold;
use super::tokenizer::{class, CharClass};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WordMode {
    Exact,
    /// The word may continue after the query ends.
    Prefix,
    /// The word may begin before the query starts.
    Suffix,
    Infix,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Unit {
    /// A CJK character, pair or triple, matched exactly.
    Cjk(String),
    Word(String, WordMode),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryToken {
    pub unit: Unit,
    /// Position relative to the phrase's first unit.
    pub offset: u32,
    /// Positions it covers: 3 for a triple, 2 for a pair, else 1.
    pub width: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub tokens: Vec<QueryToken>,
    /// Positions the phrase takes; the next phrase of a verbatim match starts this far on.
    pub span: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub phrases: Vec<Phrase>,
    /// The distinct units of the query read with pairs instead of triples:
    /// what a relaxed search scores when no section has every phrase.
    pub relaxed: Vec<Unit>,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }
}

pub fn parse(query: &str) -> Query {
    let phrases = parse_phrases(query, 3);
    let mut relaxed: Vec<Unit> = Vec::new();
    for token in parse_phrases(query, 2).into_iter().flat_map(|p| p.tokens) {
        if !relaxed.contains(&token.unit) {
            relaxed.push(token.unit);
        }
    }
    Query { phrases, relaxed }
}

/// The phrases of `query`, CJK runs cut into grams of at most `gram` characters.
fn parse_phrases(query: &str, gram: usize) -> Vec<Phrase> {
    let chars = fold(query).chars;
    let first = chars.iter().position(|c| !c.is_whitespace());
    let last = chars.iter().rposition(|c| !c.is_whitespace());
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    let mut phrases = Vec::new();
    let mut i = first;
    while i <= last {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i <= last && !chars[i].is_whitespace() {
            i += 1;
        }
        // Openness is judged on the untrimmed query: as in Ctrl+F, a space
        // typed before or after a word says the word starts or ends there.
        let phrase = parse_phrase(&chars, start, i, 0, chars.len(), gram);
        if !phrase.tokens.is_empty() {
            phrases.push(phrase);
        }
    }
    // A single letter matched inside words would match nearly every word.
    if let [phrase] = phrases.as_mut_slice() {
        if let [QueryToken {
            unit: Unit::Word(w, mode @ WordMode::Infix),
            ..
        }] = phrase.tokens.as_mut_slice()
        {
            if w.chars().count() < 2 {
                *mode = WordMode::Prefix;
            }
        }
    }
    phrases
}

/// The units of `chars[start..end]`; `query_start..query_end` is the whole query.
fn parse_phrase(
    chars: &[char],
    start: usize,
    end: usize,
    query_start: usize,
    query_end: usize,
    gram: usize,
) -> Phrase {
    let mut tokens = Vec::new();
    let mut pos = 0;
    let mut i = start;
    while i < end {
        match class(chars[i]) {
            CharClass::Separator => i += 1,
            CharClass::Cjk => {
                let mut j = i;
                while j < end && class(chars[j]) == CharClass::Cjk {
                    j += 1;
                }
                // Overlapping grams as long as the run allows, up to `gram`.
                let width = (j - i).min(gram);
                for k in i..=j - width {
                    tokens.push(QueryToken {
                        unit: Unit::Cjk(chars[k..k + width].iter().collect()),
                        offset: pos + (k - i) as u32,
                        width: width as u32,
                    });
                }
                pos += (j - i) as u32;
                i = j;
            }
            CharClass::Word => {
                let mut j = i;
                while j < end && class(chars[j]) == CharClass::Word {
                    j += 1;
                }
                let mode = match (i == query_start, j == query_end) {
                    (false, false) => WordMode::Exact,
                    (false, true) => WordMode::Prefix,
                    (true, false) => WordMode::Suffix,
                    (true, true) => WordMode::Infix,
                };
                tokens.push(QueryToken {
                    unit: Unit::Word(chars[i..j].iter().collect(), mode),
                    offset: pos,
                    width: 1,
                });
                pos += 1;
                i = j;
            }
        }
    }
    Phrase { tokens, span: pos }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cjk(s: &str, offset: u32, width: u32) -> QueryToken {
        QueryToken {
            unit: Unit::Cjk(s.into()),
            offset,
            width,
        }
    }
    fn word(s: &str, mode: WordMode, offset: u32) -> QueryToken {
        QueryToken {
            unit: Unit::Word(s.into(), mode),
            offset,
            width: 1,
        }
    }

    #[test]
    fn a_chinese_run_becomes_its_triples_and_relaxes_to_pairs() {
        let q = parse("客户服务");
        assert_eq!(
            q.phrases,
            vec![Phrase {
                tokens: vec![cjk("客户服", 0, 3), cjk("户服务", 1, 3)],
                span: 4
            }]
        );
        let pairs: Vec<Unit> = ["客户", "户服", "服务"]
            .iter()
            .map(|p| Unit::Cjk(p.to_string()))
            .collect();
        assert_eq!(q.relaxed, pairs);
        assert_eq!(parse("客户").phrases[0].tokens, vec![cjk("客户", 0, 2)]);
    }

    #[test]
    fn a_single_character_stays_single() {
        assert_eq!(parse(" 客 ").phrases[0].tokens, vec![cjk("客", 0, 1)]);
    }

    #[test]
    fn white_space_splits_phrases_and_punctuation_does_not() {
        let q = parse("客户，服务　投诉");
        assert_eq!(q.phrases.len(), 2);
        assert_eq!(
            q.phrases[0].tokens,
            vec![cjk("客户", 0, 2), cjk("服务", 2, 2)]
        );
        assert_eq!(q.phrases[0].span, 4);
        assert_eq!(parse("客户服").phrases[0].tokens, vec![cjk("客户服", 0, 3)]);
        assert_eq!(q.phrases[1].tokens, vec![cjk("投诉", 0, 2)]);
    }

    #[test]
    fn words_at_the_ends_of_the_query_are_open() {
        let q = parse("Tomer Service Qual");
        let modes: Vec<_> = q.phrases.iter().map(|p| p.tokens[0].unit.clone()).collect();
        assert_eq!(
            modes,
            vec![
                Unit::Word("tomer".into(), WordMode::Suffix),
                Unit::Word("service".into(), WordMode::Exact),
                Unit::Word("qual".into(), WordMode::Prefix),
            ]
        );
        assert_eq!(
            parse("ustom").phrases[0].tokens,
            vec![word("ustom", WordMode::Infix, 0)]
        );
        assert_eq!(
            parse("c").phrases[0].tokens,
            vec![word("c", WordMode::Prefix, 0)]
        );
    }

    #[test]
    fn a_word_next_to_chinese_is_closed_on_that_side() {
        assert_eq!(
            parse("用CRM系统").phrases[0].tokens,
            vec![
                cjk("用", 0, 1),
                word("crm", WordMode::Exact, 1),
                cjk("系统", 2, 2)
            ]
        );
        assert_eq!(
            parse("统cr").phrases[0].tokens,
            vec![cjk("统", 0, 1), word("cr", WordMode::Prefix, 1)]
        );
    }

    #[test]
    fn punctuation_only_is_empty() {
        assert!(parse("，。 ！").is_empty());
        assert!(parse("").is_empty());
    }
}
