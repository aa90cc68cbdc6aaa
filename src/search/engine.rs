//! Matching and ranking: the reference implementation of what search.js does
//! in the browser (`search()` there follows this file step by step, and
//! tests/search_shipped.rs checks both give the same results).
//!
//! 1. Every phrase of the query must occur, its units at consecutive
//!    positions: exact substring semantics.
//! 2. Sections are ranked with BM25F: each phrase is scored like a term, its
//!    occurrences weighted by field (page title in the page's lead section >
//!    heading > body) before saturation, body occurrences normalised by body
//!    length; a query of several phrases that occurs verbatim gets a bonus.
//! 3. When no section has every phrase, the query is relaxed: sections with
//!    some of its units (pairs and words, never the characters of a pair on
//!    their own), ranked by how much of the query they cover, and the outcome
//!    says it is partial.

use std::collections::HashMap;

use super::format::step_length;
use super::query::{Query, QueryToken, Unit, WordMode};
use super::reader::IndexFiles;
use super::scoring::{
    body_norm, saturate, weighted_tf, KindClass, INNER_WEIGHT, MAX_EXPANSIONS, PREFIX_WEIGHT,
    VERBATIM_BONUS,
};

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f64,
    /// Matched (position, width), ascending: what to highlight.
    pub matches: Vec<(u32, u32)>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    pub hits: Vec<Hit>,
    /// Nothing had every phrase; these are partial matches.
    pub partial: bool,
    /// Some expansions of a partial word were left out.
    pub truncated: bool,
}

/// The index words `word` stands for in `mode`, with their weights; true when capped.
pub fn expand(word: &str, mode: WordMode, words: &[String]) -> (Terms, bool) {
    if mode == WordMode::Exact {
        return (vec![(word.to_string(), 1.0)], false);
    }
    let mut found: Vec<(f64, usize, usize)> = Vec::new(); // weight, length, index
    for (i, w) in words.iter().enumerate() {
        let weight = if w == word {
            1.0
        } else if matches!(mode, WordMode::Prefix | WordMode::Infix) && w.starts_with(word) {
            PREFIX_WEIGHT
        } else if (mode == WordMode::Suffix && w.ends_with(word))
            || (mode == WordMode::Infix && w.contains(word))
        {
            INNER_WEIGHT
        } else {
            continue;
        };
        found.push((weight, w.chars().count(), i));
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let truncated = found.len() > MAX_EXPANSIONS;
    found.truncate(MAX_EXPANSIONS);
    (
        found
            .into_iter()
            .map(|(weight, _, i)| (words[i].clone(), weight))
            .collect(),
        truncated,
    )
}

/// Index terms with their weights.
pub type Terms = Vec<(String, f64)>;

/// The index terms of every distinct unit of the query (what must be loaded).
pub fn unit_terms(query: &Query, words: &[String]) -> (Vec<(Unit, Terms)>, bool) {
    let mut out: Vec<(Unit, Terms)> = Vec::new();
    let mut truncated = false;
    for token in query.phrases.iter().flat_map(|p| &p.tokens) {
        if out.iter().any(|(u, _)| *u == token.unit) {
            continue;
        }
        let terms = match &token.unit {
            Unit::Cjk(term) => vec![(term.clone(), 1.0)],
            Unit::Word(word, mode) => {
                let (terms, capped) = expand(word, *mode, words);
                truncated |= capped;
                terms
            }
        };
        out.push((token.unit.clone(), terms));
    }
    (out, truncated)
}

/// Where a unit occurs: section → ascending (position, weight).
type UnitPostings = HashMap<u32, Vec<(u32, f64)>>;

fn unit_postings(index: &IndexFiles, terms: &[(String, f64)]) -> UnitPostings {
    let mut map: UnitPostings = HashMap::new();
    for (term, weight) in terms {
        for p in index.postings(term) {
            map.entry(p.doc)
                .or_default()
                .extend(p.positions.iter().map(|&pos| (pos, *weight)));
        }
    }
    for v in map.values_mut() {
        v.sort_by_key(|&(pos, _)| pos);
    }
    map
}

/// Occurrences of a phrase: section → ascending (start position, weight).
fn phrase_occurrences(
    tokens: &[QueryToken],
    units: &[&UnitPostings],
) -> HashMap<u32, Vec<(u32, f64)>> {
    let mut out = HashMap::new();
    let Some(driver) = units.first() else {
        return out;
    };
    for (&doc, first) in driver.iter() {
        let Some(rest) = units[1..]
            .iter()
            .map(|u| u.get(&doc))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let mut occ = Vec::new();
        'starts: for &(start, w0) in first {
            let mut weight = w0;
            for (token, positions) in tokens[1..].iter().zip(&rest) {
                let want = start + token.offset;
                match positions.binary_search_by_key(&want, |&(p, _)| p) {
                    Ok(i) => weight *= positions[i].1,
                    Err(_) => continue 'starts,
                }
            }
            occ.push((start, weight));
        }
        if !occ.is_empty() {
            out.insert(doc, occ);
        }
    }
    out
}

fn idf(docs: u32, df: usize) -> f64 {
    let (n, df) = (docs as f64, df as f64);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

pub fn search(index: &IndexFiles, query: &Query) -> Outcome {
    let (units, truncated) = unit_terms(query, &index.words);
    let mut postings: Vec<UnitPostings> = units
        .iter()
        .map(|(_, terms)| unit_postings(index, terms))
        .collect();
    let of = |token: &QueryToken| {
        &postings[units
            .iter()
            .position(|(u, _)| *u == token.unit)
            .expect("every unit listed")]
    };
    let scoring = &index.meta.scoring;
    let section = |doc: u32| {
        let (step, lead) = index.norms[doc as usize];
        (
            scoring.body_weight(body_norm(step_length(step), index.meta.avg_body)),
            lead,
            scoring.kinds[index.pages[doc as usize].1 as usize],
        )
    };

    let occurrences: Vec<_> = query
        .phrases
        .iter()
        .map(|p| phrase_occurrences(&p.tokens, &p.tokens.iter().map(of).collect::<Vec<_>>()))
        .collect();
    let mut candidates: Vec<u32> = match occurrences.first() {
        Some(first) => first
            .keys()
            .copied()
            .filter(|d| occurrences[1..].iter().all(|o| o.contains_key(d)))
            .collect(),
        None => return Outcome::default(),
    };
    candidates.sort_unstable();

    let mut hits = Vec::new();
    let partial = candidates.is_empty();
    if !partial {
        let idfs: Vec<f64> = occurrences
            .iter()
            .map(|o| idf(index.meta.docs, o.len()))
            .collect();
        for doc in candidates {
            let (norm, lead, kind) = section(doc);
            let mut score = 0.0;
            let mut matches = Vec::new();
            for ((phrase, occ), idf) in query.phrases.iter().zip(&occurrences).zip(&idfs) {
                let occ = &occ[&doc];
                score += idf
                    * saturate(weighted_tf(occ.iter().copied(), norm, lead, scoring))
                    * scoring.field_match(occ.first().map(|o| o.0));
                for &(start, _) in occ {
                    matches.extend(phrase.tokens.iter().map(|t| (start + t.offset, t.width)));
                }
            }
            if query.phrases.len() > 1 && verbatim(query, &occurrences, doc) {
                score *= VERBATIM_BONUS;
            }
            score *= kind;
            matches.sort_unstable();
            matches.dedup();
            hits.push(Hit {
                doc,
                score,
                matches,
            });
        }
    } else {
        // Relaxed: every distinct unit scored as a term; coverage squared
        // keeps sections with more of the query first, and sections with
        // less than half the best coverage are left out as noise.
        // section -> (units matched, score, matches)
        // The relaxed reading uses pairs, not triples: a partial match needs
        // two characters side by side, not three.
        type Partial = (usize, f64, Vec<(u32, u32)>);
        let mut per_doc: HashMap<u32, Partial> = HashMap::new();
        let relaxed: Vec<(Unit, Terms)> = query
            .relaxed
            .iter()
            .map(|u| {
                let terms = units
                    .iter()
                    .find(|(v, _)| v == u)
                    .map(|(_, t)| t.clone())
                    .unwrap_or_else(|| match u {
                        Unit::Cjk(t) => vec![(t.clone(), 1.0)],
                        Unit::Word(w, mode) => expand(w, *mode, &index.words).0,
                    });
                (u.clone(), terms)
            })
            .collect();
        postings = relaxed
            .iter()
            .map(|(_, terms)| unit_postings(index, terms))
            .collect();
        let units = relaxed;
        for ((unit, _), post) in units.iter().zip(&postings) {
            let width = match unit {
                Unit::Cjk(t) => t.chars().count() as u32,
                Unit::Word(..) => 1,
            };
            let idf = idf(index.meta.docs, post.len());
            let mut docs: Vec<_> = post.keys().copied().collect();
            docs.sort_unstable();
            for doc in docs {
                let (norm, lead, kind) = section(doc);
                let entry = per_doc.entry(doc).or_insert((0, 0.0, Vec::new()));
                entry.0 += 1;
                let occ = &post[&doc];
                entry.1 += idf
                    * saturate(weighted_tf(occ.iter().copied(), norm, lead, scoring))
                    * scoring.field_match(occ.first().map(|o| o.0))
                    * kind;
                entry.2.extend(post[&doc].iter().map(|&(p, _)| (p, width)));
            }
        }
        let best = per_doc.values().map(|e| e.0).max().unwrap_or(0);
        for (doc, (matched, score, mut matches)) in per_doc {
            if matched * 2 < best {
                continue;
            }
            let coverage = matched as f64 / units.len() as f64;
            matches.sort_unstable();
            matches.dedup();
            hits.push(Hit {
                doc,
                score: score * coverage * coverage,
                matches,
            });
        }
    }
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
    Outcome {
        hits,
        partial,
        truncated,
    }
}

/// Whether the phrases occur one right after another in `doc`.
fn verbatim(query: &Query, occurrences: &[HashMap<u32, Vec<(u32, f64)>>], doc: u32) -> bool {
    occurrences[0][&doc].iter().any(|&(start, _)| {
        let mut at = start;
        occurrences
            .iter()
            .zip(&query.phrases)
            .skip(1)
            .enumerate()
            .all(|(k, (occ, _))| {
                at += query.phrases[k].span;
                occ[&doc].binary_search_by_key(&at, |&(p, _)| p).is_ok()
            })
    })
}

/// The other queries `folded_query` stands for by `synonyms` (folded
/// groups): each term of a group the query holds, replaced by each other
/// term of its group; at most eight. search-engine.js `synonymVariants`.
pub fn synonym_variants(folded_query: &str, synonyms: &[Vec<String>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for group in synonyms {
        for t in group {
            if t.is_empty() || !folded_query.contains(t.as_str()) {
                continue;
            }
            for u in group {
                if u == t {
                    continue;
                }
                let v = folded_query.replace(t.as_str(), u);
                if v != folded_query && !out.contains(&v) && out.len() < 8 {
                    out.push(v);
                }
            }
        }
    }
    out
}

/// A query as typed and with its synonyms, merged: each section at its best
/// score (the earlier query's on a tie), exact matches over partial ones.
/// Returns the outcome and the other queries that found something (what
/// the UI says it "also searched"). search-engine.js `search`.
pub fn search_text(index: &IndexFiles, text: &str) -> (Outcome, Vec<String>) {
    let first = search(index, &super::query::parse(text));
    let variants = synonym_variants(&super::fold::fold_str(text), &index.meta.synonyms);
    if variants.is_empty() {
        return (first, Vec::new());
    }
    let mut list = vec![first];
    list.extend(
        variants
            .iter()
            .map(|v| search(index, &super::query::parse(v))),
    );
    let also: Vec<String> = variants
        .iter()
        .zip(&list[1..])
        .filter(|(_, o)| !o.hits.is_empty())
        .map(|(v, _)| v.clone())
        .collect();
    let exact: Vec<&Outcome> = list
        .iter()
        .filter(|o| !o.hits.is_empty() && !o.partial)
        .collect();
    let use_list: Vec<&Outcome> = if exact.is_empty() {
        list.iter().collect()
    } else {
        exact.clone()
    };
    let mut best: HashMap<u32, Hit> = HashMap::new();
    for o in &use_list {
        for h in &o.hits {
            match best.get(&h.doc) {
                Some(b) if b.score >= h.score => {}
                _ => {
                    best.insert(h.doc, h.clone());
                }
            }
        }
    }
    // A section several of the queries found marks what each matched (投诉
    // next to 抱怨), not only the words of the one that scored best.
    let mut matches: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
    for o in &use_list {
        for h in &o.hits {
            matches.entry(h.doc).or_default().extend(&h.matches);
        }
    }
    let mut hits: Vec<Hit> = best.into_values().collect();
    for h in &mut hits {
        let mut all = matches.remove(&h.doc).unwrap_or_default();
        all.sort_unstable();
        all.dedup();
        h.matches = all;
    }
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
    let outcome = Outcome {
        hits,
        partial: exact.is_empty() && list[0].partial,
        truncated: use_list.iter().any(|o| o.truncated),
    };
    (outcome, also)
}

/// One page of results: its number, the hits of its best sections (at most
/// `per_page`, best first), in the order of the page's best section.
#[derive(Debug, Clone, PartialEq)]
pub struct PageHits {
    pub page: u32,
    pub hits: Vec<Hit>,
}

/// Hits grouped by page: the first pages' groups, and how many pages and
/// sections there are in all.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupedPages {
    /// At most `limit` pages, in the order of their best section.
    pub pages: Vec<PageHits>,
    /// Pages among the hits (kept by the filter).
    pub count: usize,
    /// Sections among the hits (kept by the filter).
    pub sections: usize,
}

/// Hits grouped by page (search-engine.js `groupPages`): hits of a kind
/// `keep` rejects are left out; only the first `limit` pages get a group
/// (a common query's hits fill thousands of pages of which a list shows a
/// few), the others are counted.
pub fn group_pages(
    index: &IndexFiles,
    hits: &[Hit],
    per_page: usize,
    keep: Option<&dyn Fn(KindClass) -> bool>,
    limit: usize,
) -> GroupedPages {
    let mut out = GroupedPages::default();
    // Per page: None not seen yet, Some(None) counted, Some(Some(i)) its group.
    let mut slot: HashMap<u32, Option<usize>> = HashMap::new();
    for h in hits {
        let (page, kind) = index.pages[h.doc as usize];
        if keep.is_some_and(|keep| !keep(kind)) {
            continue;
        }
        out.sections += 1;
        let at = *slot.entry(page).or_insert_with(|| {
            out.count += 1;
            (out.pages.len() < limit).then(|| {
                out.pages.push(PageHits {
                    page,
                    hits: Vec::new(),
                });
                out.pages.len() - 1
            })
        });
        if let Some(group) = at.map(|i| &mut out.pages[i]) {
            if group.hits.len() < per_page {
                group.hits.push(h.clone());
            }
        }
    }
    out
}
