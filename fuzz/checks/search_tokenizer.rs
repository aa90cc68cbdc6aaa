//! The search tokenizer, and everything that rides on it, fed any text.
//!
//! The input's first line is a query, the rest a few sections (separated by
//! blank lines; a section's first line is its heading). The target folds and
//! tokenizes every piece and checks what the browser relies on (positions
//! ascend, every token covers folded characters that point back into the
//! original text), then builds the index, writes its files in memory, reads
//! them back and runs the query against them: what `lectern build` and the
//! search page do with a handbook's text pasted from anywhere.
//!
//! Shared by the fuzz target (fuzz/fuzz_targets/search_tokenizer.rs) and by the
//! regression tests on stable Rust (tests/fuzz_regressions.rs).

use lectern::search::{engine, fold, query, reader, tokenizer, writer, DocKind, SearchDoc};

fn check_tokens(text: &str) {
    let folded = fold::fold(text);
    assert_eq!(folded.chars.len(), folded.spans.len());
    for &(a, b) in &folded.spans {
        assert!(a < b && b <= text.len());
        assert!(text.is_char_boundary(a) && text.is_char_boundary(b));
    }
    let (tokens, positions) = tokenizer::tokenize(&folded);
    let mut last = 0;
    for t in &tokens {
        assert!(t.start < t.end && t.end <= folded.chars.len());
        assert!(t.pos >= last && t.pos < positions.max(1));
        assert!(!t.term.is_empty());
        last = t.pos;
    }
}

/// One input: any bytes. Panics on a bug.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (q, rest) = text.split_once('\n').unwrap_or((text, ""));
    check_tokens(q);
    check_tokens(rest);
    let docs: Vec<SearchDoc> = rest
        .split("\n\n")
        .take(8)
        .enumerate()
        .map(|(i, section)| {
            let (heading, body) = section.split_once('\n').unwrap_or((section, ""));
            SearchDoc {
                url: format!("p{i}.html#s"),
                title: format!("第{i}页 {}", heading.chars().take(20).collect::<String>()),
                heading: heading.to_string(),
                breadcrumb: vec![heading.to_string()],
                kind: DocKind::Section,
                text: body.to_string(),
            }
        })
        .collect();
    let shards = 1 + data.len() % 3;
    let options = lectern::search::IndexOptions {
        shards,
        ..Default::default()
    };
    let files = writer::render_files(&docs, &options);
    let read = reader::parse_index(|name| {
        files
            .files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, name.to_string()))
    })
    .expect("an index lectern wrote reads back");
    let parsed = query::parse(q);
    let outcome = engine::search(&read, &parsed);
    for hit in &outcome.hits {
        assert!((hit.doc as usize) < docs.len());
        assert!(hit.score.is_finite());
    }
}
