//! Folding: the one normalisation that text goes through before it is
//! tokenized, at build time (Rust) and in the browser (search.js mirrors this
//! file line for line). Index and query can only agree if both fold alike.
//!
//! Folding is NFKC (full-width letters and digits become ASCII, half-width
//! katakana become full-width, ligatures split, compatibility ideographs map
//! to unified ones), then lower case, then final sigma as sigma, then
//! Traditional Chinese characters to Simplified ones (OpenCC's character
//! table, as the hanconv crate carries it), so that 顧客滿意度 and 顾客满意度
//! are one text to search. search.js gets the part of that table an index
//! needs in `fold-0.js` ([`table_for`]).
//!
//! Text is folded one *segment* at a time — a character and the combining
//! marks after it — rather than as a whole string, for one reason: every
//! folded character must point back to the stretch of original text it came
//! from, so the browser can highlight the original text of a match. NFKC only
//! composes within such a segment, so segment-wise folding gives the same
//! characters as whole-string folding for all practical text.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Traditional → Simplified, character for character: every entry of
/// OpenCC's TSCharacters whose key and first value are one character each
/// and differ. Unified ideographs (nearly every entry) by direct index.
struct ToSimplified {
    unified: Vec<char>,
    other: HashMap<char, char>,
}

fn to_simplified_table() -> &'static ToSimplified {
    static TABLE: OnceLock<ToSimplified> = OnceLock::new();
    TABLE.get_or_init(|| {
        let size =
            (*UNCHANGED_IDEOGRAPHS.end() as usize) - (*UNCHANGED_IDEOGRAPHS.start() as usize) + 1;
        let mut table = ToSimplified {
            unified: (0..size)
                .map(|i| {
                    char::from_u32(*UNCHANGED_IDEOGRAPHS.start() as u32 + i as u32).unwrap_or('\0')
                })
                .collect(),
            other: HashMap::new(),
        };
        for (from, to) in hanconv::RawDictionary::TSCharacters.iter() {
            let (mut f, mut t) = (from.chars(), to.chars());
            let (Some(from), None, Some(to), None) = (f.next(), f.next(), t.next(), t.next())
            else {
                continue;
            };
            if from == to {
                continue;
            }
            if UNCHANGED_IDEOGRAPHS.contains(&from) {
                table.unified[from as usize - *UNCHANGED_IDEOGRAPHS.start() as usize] = to;
            } else {
                table.other.insert(from, to);
            }
        }
        table
    })
}

/// The Simplified form of a (folded) character; other characters unchanged.
pub fn to_simplified(c: char) -> char {
    let table = to_simplified_table();
    if UNCHANGED_IDEOGRAPHS.contains(&c) {
        table.unified[c as usize - *UNCHANGED_IDEOGRAPHS.start() as usize]
    } else if (c as u32) < 0x2E80 {
        c
    } else {
        table.other.get(&c).copied().unwrap_or(c)
    }
}

/// The Traditional → Simplified pairs whose Simplified character is one of
/// `chars` (an index's characters), sorted: what search.js needs to fold a
/// query the way the index was folded. A query character outside these
/// folds to nothing the index holds either way.
pub fn table_for(chars: impl IntoIterator<Item = char>) -> BTreeMap<char, char> {
    let wanted: std::collections::HashSet<char> = chars.into_iter().collect();
    let table = to_simplified_table();
    let start = *UNCHANGED_IDEOGRAPHS.start() as u32;
    let unified = table.unified.iter().enumerate().filter_map(|(i, &to)| {
        let from = char::from_u32(start + i as u32)?;
        (from != to).then_some((from, to))
    });
    unified
        .chain(table.other.iter().map(|(&f, &t)| (f, t)))
        .filter(|(_, to)| wanted.contains(to))
        .collect()
}

/// Folded text, each character with the byte range of the original text it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Folded {
    pub chars: Vec<char>,
    /// `spans[i]` is the byte range in the original text of the segment `chars[i]` came from.
    pub spans: Vec<(usize, usize)>,
}

impl Folded {
    pub fn as_string(&self) -> String {
        self.chars.iter().collect()
    }
}

/// Whether `c` belongs to the segment of the character before it: combining
/// marks, and the half-width voiced sound marks ﾞ ﾟ, which are letters on
/// their own but which NFKC turns into combining marks (ｶﾞ must fold to ガ,
/// as a typed ガ does).
fn joins_previous(c: char) -> bool {
    c == '\u{FF9E}' || c == '\u{FF9F}' || is_combining_mark(c)
}

/// Folds `text`, keeping for every folded character where it came from.
pub fn fold(text: &str) -> Folded {
    let mut out = Folded {
        chars: Vec::with_capacity(text.len()),
        spans: Vec::with_capacity(text.len()),
    };
    fold_each(text, |c, span| {
        out.chars.push(c);
        out.spans.push(span);
    });
    out
}

/// The folded characters of `text` alone, as `fold(text).chars`: what the
/// index is built from (it has no use for the spans).
pub fn fold_chars(text: &str) -> Vec<char> {
    let mut chars = Vec::with_capacity(text.len());
    fold_each(text, |c, _| chars.push(c));
    chars
}

/// CJK unified ideographs, which NFKC and lower case leave as they are
/// (compatibility ideographs, which NFKC maps, are outside this block): most
/// of a Chinese text, folded without running NFKC.
const UNCHANGED_IDEOGRAPHS: std::ops::RangeInclusive<char> = '\u{4E00}'..='\u{9FFF}';

/// Calls `f(folded character, byte range of its segment)` for the folded
/// text, in order.
fn fold_each(text: &str, mut f: impl FnMut(char, (usize, usize))) {
    let mut chars = text.char_indices().peekable();
    while let Some((start, first)) = chars.next() {
        let mut end = start + first.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_ascii() || !joins_previous(c) {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        let segment = &text[start..end];
        if segment.is_ascii() {
            // The common case, and NFKC leaves ASCII alone.
            for c in segment.chars() {
                f(c.to_ascii_lowercase(), (start, end));
            }
            continue;
        }
        if end - start == first.len_utf8() && UNCHANGED_IDEOGRAPHS.contains(&first) {
            // A lone CJK unified ideograph: NFKC and lower case leave it as it is.
            f(to_simplified(first), (start, end));
            continue;
        }
        for c in segment.nfkc() {
            for lower in c.to_lowercase() {
                f(
                    if lower == 'ς' {
                        'σ'
                    } else {
                        to_simplified(lower)
                    },
                    (start, end),
                );
            }
        }
    }
}

/// Folds `text` to a plain string (no spans): the form substring ground truth is checked on.
pub fn fold_str(text: &str) -> String {
    fold(text).as_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_letters_and_digits_become_ascii_lower_case() {
        assert_eq!(fold_str("ＣＲＭ系统２０２４"), "crm系统2024");
    }

    #[test]
    fn spans_point_at_the_original_text() {
        let text = "Ａ①ﬁ";
        let f = fold(text);
        assert_eq!(f.as_string(), "a1fi");
        // "ﬁ" (3 bytes at 6..9) became two characters that both point at it.
        assert_eq!(f.spans, vec![(0, 3), (3, 6), (6, 9), (6, 9)]);
    }

    #[test]
    fn combining_marks_compose_with_their_base() {
        // e + COMBINING ACUTE folds to the precomposed é a query would type.
        assert_eq!(fold_str("Cafe\u{301}"), "café");
        assert_eq!(fold("e\u{301}").spans, vec![(0, 3)]);
    }

    #[test]
    fn half_width_katakana_fold_with_their_voicing_marks() {
        assert_eq!(fold_str("ｶﾞｲﾄﾞ"), "ガイド");
        assert_eq!(fold("ｶﾞ").spans, vec![(0, 6)]);
    }

    #[test]
    fn traditional_characters_fold_to_simplified() {
        assert_eq!(fold_str("顧客滿意度"), "顾客满意度");
        assert_eq!(fold_str("服務補救 傾聽"), "服务补救 倾听");
        // Simplified text and other scripts are left as they are.
        assert_eq!(fold_str("顾客满意度 CRM"), "顾客满意度 crm");
        let f = fold("客戶");
        assert_eq!(f.spans, vec![(0, 3), (3, 6)]);
        let table = table_for("户听".chars());
        assert_eq!(table.get(&'戶'), Some(&'户'));
        assert_eq!(table.get(&'聽'), Some(&'听'));
        assert!(!table.values().any(|&c| c == '满'));
    }

    #[test]
    fn final_sigma_folds_to_sigma() {
        assert_eq!(fold_str("ΟΔΟΣ οδος"), "οδοσ οδοσ");
    }

    #[test]
    fn fold_chars_is_fold_without_spans() {
        // Ideographs alone and with a combining mark after them, a
        // compatibility ideograph (U+F900 folds to U+8C48), full-width forms.
        for text in [
            "客户服务",
            "客\u{301}户",
            "\u{F900}豈",
            "ＣＲＭ系统",
            "Ｅｘｃｅｌ表格　第3步",
            "ｶﾞ",
        ] {
            assert_eq!(fold_chars(text), fold(text).chars, "{text:?}");
        }
        // U+F900 is 豈 (U+8C48) after NFKC, and 岂 in Simplified.
        assert_eq!(fold_str("\u{F900}"), "岂");
    }

    #[test]
    fn ideographs_passed_through_are_what_nfkc_and_lower_case_make_of_them() {
        // fold_each skips NFKC for a lone character of this block; the
        // shortcut is right only if NFKC and lower case leave each one as it is.
        for c in UNCHANGED_IDEOGRAPHS {
            let slow: String = c.to_string().nfkc().flat_map(char::to_lowercase).collect();
            assert_eq!(slow, c.to_string(), "U+{:04X}", c as u32);
        }
    }
}
