//! The tokenizer: folded text to terms with positions. search.js mirrors it.
//!
//! Chinese (and Japanese, Korean) text has no spaces between words, and a
//! dictionary segmenter would make index and query disagree whenever it cuts a
//! word differently in the two. So runs of CJK characters are indexed as every
//! single character, every overlapping pair (bigram) and every overlapping
//! triple (trigram): a query of any length is then found by requiring its
//! trigrams (or its one pair) at consecutive positions, which is exactly
//! substring search. Triples cost index bytes but make long queries cheap in
//! the browser: 客户满意度 looks up 客户满, 户满意 and 满意度, each in a few
//! sections, instead of 客户 and 满意, each in thousands. Letters and digits of other scripts form
//! words. Everything else (spaces, punctuation) separates and takes no
//! position, so "客户，服务" and "客户服务" are both found by either query.
//!
//! Positions: each CJK character takes one (its single-character term and the
//! pair it starts share it), each word takes one.

use super::fold::Folded;

/// What a character is to the tokenizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharClass {
    Cjk,
    Word,
    Separator,
}

/// The classes of characters that search.js must treat identically; the
/// ranges are repeated there (`CJK_RANGES`), and the shared golden cases test both.
const CJK_RANGES: &[(u32, u32)] = &[
    (0x1100, 0x11FF),   // Hangul Jamo
    (0x2E80, 0x2FDF),   // CJK and Kangxi radicals
    (0x3005, 0x3007),   // 々 〆 〇
    (0x3021, 0x3029),   // Hangzhou numerals
    (0x3038, 0x303C),   //
    (0x3041, 0x3096),   // Hiragana
    (0x309D, 0x309F),   //
    (0x30A1, 0x30FA),   // Katakana (not ・ U+30FB, a punctuation mark)
    (0x30FC, 0x30FF),   //
    (0x3105, 0x312F),   // Bopomofo
    (0x3131, 0x318E),   // Hangul compatibility jamo
    (0x31A0, 0x31BF),   // Bopomofo extended
    (0x31F0, 0x31FF),   // Katakana phonetic extensions
    (0x3400, 0x4DBF),   // CJK extension A
    (0x4E00, 0x9FFF),   // CJK unified ideographs
    (0xA960, 0xA97F),   // Hangul Jamo extended A
    (0xAC00, 0xD7FF),   // Hangul syllables, Jamo extended B
    (0xF900, 0xFAFF),   // CJK compatibility ideographs
    (0xFF66, 0xFF9F),   // half-width katakana (NFKC widens them)
    (0x20000, 0x323AF), // CJK extensions B–H, compatibility supplement
];

pub fn is_cjk(c: char) -> bool {
    let c = c as u32;
    CJK_RANGES.iter().any(|&(lo, hi)| lo <= c && c <= hi)
}

pub fn class(c: char) -> CharClass {
    if is_cjk(c) {
        CharClass::Cjk
    } else if c.is_alphanumeric() {
        CharClass::Word
    } else {
        CharClass::Separator
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TokenKind {
    /// One CJK character.
    Char,
    /// Two adjacent CJK characters; shares its position with the first.
    Pair,
    /// Three adjacent CJK characters, at the position of the first: what a
    /// query of three or more CJK characters looks up, as a triple is far
    /// rarer than either of its pairs.
    Triple,
    /// A run of letters and digits.
    Word,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub kind: TokenKind,
    pub pos: u32,
    /// Range of folded characters `[start, end)` the token covers.
    pub start: usize,
    pub end: usize,
}

/// Tokenizes folded text; positions start at 0. Returns the tokens and the
/// number of positions used (the text's length for ranking).
pub fn tokenize(folded: &Folded) -> (Vec<Token>, u32) {
    let chars = &folded.chars;
    let mut tokens = Vec::new();
    let mut pos = 0u32;
    let mut i = 0;
    while i < chars.len() {
        match class(chars[i]) {
            CharClass::Separator => i += 1,
            CharClass::Cjk => {
                tokens.push(Token {
                    term: chars[i].to_string(),
                    kind: TokenKind::Char,
                    pos,
                    start: i,
                    end: i + 1,
                });
                if i + 1 < chars.len() && class(chars[i + 1]) == CharClass::Cjk {
                    let term: String = [chars[i], chars[i + 1]].iter().collect();
                    tokens.push(Token {
                        term,
                        kind: TokenKind::Pair,
                        pos,
                        start: i,
                        end: i + 2,
                    });
                    if i + 2 < chars.len() && class(chars[i + 2]) == CharClass::Cjk {
                        tokens.push(Token {
                            term: chars[i..i + 3].iter().collect(),
                            kind: TokenKind::Triple,
                            pos,
                            start: i,
                            end: i + 3,
                        });
                    }
                }
                pos += 1;
                i += 1;
            }
            CharClass::Word => {
                let start = i;
                while i < chars.len() && class(chars[i]) == CharClass::Word {
                    i += 1;
                }
                tokens.push(Token {
                    term: chars[start..i].iter().collect(),
                    kind: TokenKind::Word,
                    pos,
                    start,
                    end: i,
                });
                pos += 1;
            }
        }
    }
    (tokens, pos)
}

#[cfg(test)]
mod tests {
    use super::super::fold::fold;
    use super::*;

    fn terms(text: &str) -> Vec<(String, u32)> {
        tokenize(&fold(text))
            .0
            .into_iter()
            .map(|t| (t.term, t.pos))
            .collect()
    }

    fn t(term: &str, pos: u32) -> (String, u32) {
        (term.to_string(), pos)
    }

    #[test]
    fn chinese_runs_give_characters_and_overlapping_pairs_and_triples() {
        assert_eq!(
            terms("客户服务"),
            vec![
                t("客", 0),
                t("客户", 0),
                t("客户服", 0),
                t("户", 1),
                t("户服", 1),
                t("户服务", 1),
                t("服", 2),
                t("服务", 2),
                t("务", 3)
            ]
        );
    }

    #[test]
    fn mixed_chinese_and_english_with_punctuation() {
        // Punctuation separates and takes no position; a pair never spans it.
        assert_eq!(
            terms("用CRM系统，记录Customer需求。"),
            vec![
                t("用", 0),
                t("crm", 1),
                t("系", 2),
                t("系统", 2),
                t("统", 3),
                t("记", 4),
                t("记录", 4),
                t("录", 5),
                t("customer", 6),
                t("需", 7),
                t("需求", 7),
                t("求", 8),
            ]
        );
    }

    #[test]
    fn full_width_letters_and_digits_are_words() {
        assert_eq!(terms("ＡＢＣ　１２３％"), vec![t("abc", 0), t("123", 1)]);
    }

    #[test]
    fn length_counts_positions() {
        assert_eq!(tokenize(&fold("客户 A-B")).1, 4);
        assert_eq!(tokenize(&fold("，。")).1, 0);
    }
}
