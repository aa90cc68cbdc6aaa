//! Tests across the search modules: written index read back, shard
//! assignment, and ranking on a small fixture. (Unit tests of one module live
//! beside it.)

use super::engine::{search, Outcome};
use super::format::shard_of;
use super::index;
use super::query::parse;
use super::reader::{parse_index, IndexFiles};
use super::writer::render_files;
use super::{DocKind, SearchDoc};

fn doc(title: &str, heading: &str, text: &str) -> SearchDoc {
    let kind = if heading.is_empty() {
        DocKind::Page
    } else {
        DocKind::Section
    };
    SearchDoc {
        url: format!("{title}.html#{heading}"),
        title: title.into(),
        heading: heading.into(),
        breadcrumb: vec!["项目".into(), title.into()],
        kind,
        text: text.into(),
    }
}

fn fixture() -> Vec<SearchDoc> {
    vec![
        doc("认识客户", "", "做客户服务，第一步是弄清客户到底是谁。"),
        doc(
            "认识客户",
            "客户的分类",
            "同样是客户，来源不同。常见的分类方法有四种。",
        ),
        doc("投诉处理", "", "客户的分类不是本节重点。投诉需要及时处理。"),
        doc(
            "服务类型",
            "售后服务",
            "客人户口分开归类：散落的单字不应匹配。",
        ),
        doc(
            "Service basics",
            "Customer service",
            "Customers expect fast answers.",
        ),
        doc(
            "Other",
            "",
            "A good service for every customer, with CRM系统 support.",
        ),
    ]
}

fn load(docs: &[SearchDoc], shards: usize) -> IndexFiles {
    let options = super::IndexOptions {
        shards,
        ..Default::default()
    };
    let files = render_files(docs, &options).files;
    parse_index(|name| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .ok_or_else(|| std::io::ErrorKind::NotFound.into())
    })
    .unwrap()
}

fn run(index: &IndexFiles, q: &str) -> Outcome {
    search(index, &parse(q))
}

fn ids(outcome: &Outcome) -> Vec<u32> {
    outcome.hits.iter().map(|h| h.doc).collect()
}

/// Ensure what is written reads back the same: postings, sections, words.
#[test]
fn index_round_trip() {
    let docs = fixture();
    let built = index::build(&docs, &super::scoring::Scoring::CURRENT);
    let read = load(&docs, 3);
    assert_eq!(read.terms.len(), built.term_count());
    for (term, postings) in built.terms() {
        assert_eq!(read.terms[term], postings.postings(), "{term}");
    }
    assert_eq!(read.docs.len(), docs.len());
    for (stored, doc) in read.docs.iter().zip(&docs) {
        assert_eq!(
            (stored.0, &stored.1, &stored.2, &stored.3, &stored.4, &stored.5),
            (
                doc.kind,
                &doc.url,
                &doc.title,
                &doc.heading,
                &doc.breadcrumb,
                &doc.text
            )
        );
    }
    let mut sorted = read.words.clone();
    sorted.sort();
    assert_eq!(read.words, sorted);
    assert!(
        read.words.contains(&"customers".to_string()) && read.words.contains(&"crm".to_string())
    );
    assert!(!read.words.iter().any(|w| w.contains('客')));
}

/// Ensure every term sits in the shard its hash names, and every shard is written.
#[test]
fn shard_assignment_follows_the_term_hash() {
    let docs = fixture();
    for shards in [1, 2, 5] {
        let read = load(&docs, shards);
        assert_eq!(read.meta.shards, shards as u32);
        for (term, &n) in &read.term_shard {
            assert_eq!(n, shard_of(term, shards as u32), "{term}");
        }
    }
    // Zero lets the writer choose: a small course fits one shard.
    assert_eq!(load(&docs, 0).meta.shards, 1);
}

/// Ensure the same course gives byte-identical files (stable build id, cacheable).
#[test]
fn output_is_deterministic() {
    let docs = fixture();
    let options = super::IndexOptions {
        shards: 2,
        ..Default::default()
    };
    let a = render_files(&docs, &options).files;
    let b = render_files(&docs, &options).files;
    assert_eq!(a, b);
}

/// The index files `write_index_with` writes for `docs`, by name.
fn written_with(
    docs: &[SearchDoc],
    options: &super::IndexOptions,
    memo: Option<&mut index::SectionMemo>,
) -> Vec<(String, Vec<u8>)> {
    let out = tempfile::tempdir().unwrap();
    super::write_index_with(docs, out.path(), options, memo).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(out.path().join("search"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Ensure the build cache's section memo gives the index built from
/// scratch, also read back from its bytes after an edit, an added and a
/// removed section; and damaged bytes are refused, never a panic.
#[test]
fn a_memo_read_back_from_bytes_gives_the_same_index() {
    let options = super::IndexOptions {
        shards: 2,
        ..Default::default()
    };
    let mut memo = index::SectionMemo::default();
    let mut docs = fixture();
    let first = written_with(&docs, &options, Some(&mut memo));
    assert_eq!(first, written_with(&docs, &options, None));
    assert_eq!(memo.len(), docs.len());
    let bytes = memo.encode();
    assert_eq!(bytes, memo.encode(), "deterministic");
    let mut back = index::SectionMemo::decode(&bytes).expect("reads back");
    assert_eq!(back.len(), memo.len());
    docs[2].text.push_str("，再加一句");
    docs.push(doc("新页", "", "客户满意度调查"));
    docs.remove(0);
    let again = written_with(&docs, &options, Some(&mut back));
    assert_eq!(again, written_with(&docs, &options, None));
    assert_ne!(again, first);
    assert_eq!(back.len(), docs.len(), "only the sections indexed are kept");
    for cut in [0, 8, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            index::SectionMemo::decode(&bytes[..cut]).is_none(),
            "cut at {cut}"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(index::SectionMemo::decode(&longer).is_none());
}

/// Ensure the section whose heading is the query ranks above one that only
/// mentions it, and scattered single characters never match.
#[test]
fn heading_ranks_above_body_and_scattered_characters_do_not_match() {
    let index = load(&fixture(), 2);
    let outcome = run(&index, "客户的分类");
    assert!(!outcome.partial);
    assert_eq!(ids(&outcome), vec![1, 2]);
}

/// Ensure a page title ranks the page's lead section first.
#[test]
fn page_title_ranks_the_lead_section_first() {
    let index = load(&fixture(), 1);
    assert_eq!(ids(&run(&index, "认识客户")), vec![0, 1]);
}

/// Ensure phrases separated by a space must all occur, anywhere.
#[test]
fn all_phrases_are_required() {
    let index = load(&fixture(), 1);
    assert_eq!(ids(&run(&index, "分类 投诉")), vec![2]);
    assert_eq!(ids(&run(&index, "投诉 分类")), vec![2]);
}

/// Ensure a verbatim occurrence of a multi-word query ranks first, and a
/// fragment inside a word is found.
#[test]
fn english_words_prefixes_and_fragments() {
    let index = load(&fixture(), 1);
    assert_eq!(ids(&run(&index, "customer service")), vec![4, 5]);
    assert_eq!(ids(&run(&index, "Custom")), vec![4, 5]);
    assert_eq!(ids(&run(&index, "ustome")), vec![4, 5]);
    assert_eq!(ids(&run(&index, "crm系统")), vec![5]);
    assert_eq!(ids(&run(&index, "m系")), vec![5]);
}

/// Ensure a query with no exact match relaxes to partial matches and says so.
#[test]
fn no_exact_match_relaxes_and_says_so() {
    let index = load(&fixture(), 1);
    let outcome = run(&index, "客户满意度");
    assert!(outcome.partial);
    assert!(
        outcome.hits.iter().all(|h| h.doc <= 2),
        "{:?}",
        ids(&outcome)
    );
    assert!(!outcome.hits.is_empty());
    let none = run(&index, "量子力学");
    assert!(none.hits.is_empty());
}

/// Ensure matches point at what to highlight: the triples of the phrase.
#[test]
fn matches_are_positions_to_highlight() {
    let index = load(&fixture(), 1);
    let outcome = run(&index, "分类方法");
    assert_eq!(ids(&outcome), vec![1]);
    // Body "同样是客户，来源不同。常见的分类方法有四种。": 分 is the 13th character (index 12).
    let body = super::scoring::BODY_BASE;
    assert_eq!(
        outcome.hits[0].matches,
        vec![(body + 12, 3), (body + 13, 3)]
    );
}

/// Ensure folding, tokens and query parsing match the golden cases that
/// tests/js/search-engine.test.mjs checks search-engine.js against, so the
/// browser reads queries exactly as the index was built. Run with
/// LECTERN_BLESS=1 to rewrite the expectations after a deliberate change.
#[test]
fn golden_tokenizer_cases() {
    use super::fold::fold_str;
    use super::query::{parse, Unit, WordMode};
    use super::tokenizer::{tokenize, TokenKind};
    use serde_json::{json, Value};

    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search_tokenizer_cases.json");
    let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut actual = Vec::new();
    for case in &cases {
        let text = case["text"].as_str().unwrap();
        let tokens: Vec<Value> = tokenize(&super::fold::fold(text))
            .0
            .into_iter()
            .map(|t| {
                let kind = match t.kind {
                    TokenKind::Char => "char",
                    TokenKind::Pair => "pair",
                    TokenKind::Triple => "tri",
                    TokenKind::Word => "word",
                };
                json!([t.term, kind, t.pos, t.start, t.end])
            })
            .collect();
        let phrases: Vec<Value> = parse(text)
            .phrases
            .into_iter()
            .map(|p| {
                let units: Vec<Value> = p
                    .tokens
                    .into_iter()
                    .map(|t| match t.unit {
                        Unit::Cjk(s) => json!(["cjk", s, null, t.offset, t.width]),
                        Unit::Word(s, mode) => {
                            let mode = match mode {
                                WordMode::Exact => "exact",
                                WordMode::Prefix => "prefix",
                                WordMode::Suffix => "suffix",
                                WordMode::Infix => "infix",
                            };
                            json!(["word", s, mode, t.offset, t.width])
                        }
                    })
                    .collect();
                json!({"units": units, "span": p.span})
            })
            .collect();
        actual.push(
            json!({"text": text, "folded": fold_str(text), "tokens": tokens, "query": phrases}),
        );
    }
    if std::env::var_os("LECTERN_BLESS").is_some() {
        let mut out = String::from("[\n");
        for (i, case) in actual.iter().enumerate() {
            out += &serde_json::to_string(case).unwrap();
            out += if i + 1 < actual.len() { ",\n" } else { "\n" };
        }
        out += "]\n";
        std::fs::write(&path, out).unwrap();
        return;
    }
    for (case, want) in actual.iter().zip(&cases) {
        assert_eq!(
            case, want,
            "golden case {:?} (rerun with LECTERN_BLESS=1 after a deliberate change)",
            case["text"]
        );
    }
}

/// Ensure a term found in more sections than a head holds is split into its
/// head (the heaviest sections) and a tail, and reads back whole.
#[test]
fn long_postings_split_into_head_and_tail() {
    use super::format::decode_postings;
    use super::index::HEAD_POSTINGS;

    let mut docs: Vec<_> = (0..150)
        .map(|i| doc(&format!("p{i}"), "节", "客户服务"))
        .collect();
    docs[120] = doc("客户p120", "节", "客户服务，服务至上");
    let read = load(&docs, 2);
    let entry = &read.entries["客户"];
    assert_eq!(entry.df, 150);
    assert!(entry.tail.is_some() && read.meta.tails >= 1);
    let ids: Vec<u32> = read.postings("客户").iter().map(|p| p.doc).collect();
    assert_eq!(ids, (0..150).collect::<Vec<u32>>());
    let head = decode_postings(&entry.head).unwrap();
    assert_eq!(head.len(), HEAD_POSTINGS);
    assert!(head.iter().any(|(p, _)| p.doc == 120));
    // A rare term keeps all its postings in its head.
    assert!(read.entries["至上"].tail.is_none());
}
