//! The dev server's index updates (`delta`) against the index made from
//! scratch: byte for byte the same files after every kind of edit.

use std::collections::BTreeMap;

use super::delta::{render, IndexMemo};
use super::writer::render_files;
use super::{DocKind, IndexOptions, SearchDoc};

/// A course of `pages` pages of five sections of text drawn (deterministically)
/// from a small vocabulary, so that common terms have tails.
fn course(pages: usize) -> Vec<SearchDoc> {
    let vocabulary: Vec<&str> = "客户 服务 投诉 处理 分类 满意 调查 系统 数据 报表 流程 团队 \
        service customer ticket queue report answer fast every support crm"
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect();
    let mut seed: u64 = 7;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    let mut docs = Vec::new();
    for p in 0..pages {
        for s in 0..5 {
            let words: Vec<&str> = (0..20 + next(60))
                .map(|_| vocabulary[next(vocabulary.len())])
                .collect();
            docs.push(SearchDoc {
                url: format!("p{p}.html#s{s}"),
                title: format!("第{p}页 {}", vocabulary[p % vocabulary.len()]),
                heading: if s == 0 {
                    String::new()
                } else {
                    format!("节{s}")
                },
                breadcrumb: vec!["课程".into(), format!("第{p}页")],
                kind: if s == 0 {
                    DocKind::Page
                } else {
                    DocKind::Section
                },
                text: words.join(if p % 2 == 0 { "" } else { " " }),
            });
        }
    }
    docs
}

/// A change to the course.
type Edit = Box<dyn Fn(&mut Vec<SearchDoc>)>;

/// The whole index after an update (the files of the index before, without
/// those gone, with those made) and the number of files made.
fn update(
    memo: &mut IndexMemo,
    before: &BTreeMap<String, String>,
    docs: &[SearchDoc],
    options: &IndexOptions,
) -> (BTreeMap<String, String>, usize) {
    let rendered = render(docs, options, memo, &mut |_| {});
    let made = rendered.files.len();
    let mut files = before.clone();
    match rendered.gone {
        Some(gone) => {
            for name in gone {
                assert!(files.remove(&name).is_some(), "{name} was not there");
            }
        }
        None => files.clear(),
    }
    files.extend(rendered.files);
    (files, made)
}

/// Asserts two indexes have the same files, naming those that differ.
fn assert_same(got: &BTreeMap<String, String>, want: &BTreeMap<String, String>, what: &str) {
    let names = |m: &BTreeMap<String, String>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(got), names(want), "{what}: file names");
    let differ: Vec<&String> = want.keys().filter(|n| got[*n] != want[*n]).collect();
    assert!(differ.is_empty(), "{what}: {differ:?} differ");
}

fn scratch(docs: &[SearchDoc], options: &IndexOptions) -> BTreeMap<String, String> {
    render_files(docs, options).files.into_iter().collect()
}

/// Ensure every update gives the index made from scratch, and that an edit
/// of one section's words keeps most files.
#[test]
fn updates_give_the_index_made_from_scratch() {
    for shards in [0, 3] {
        let options = IndexOptions {
            shards,
            ..Default::default()
        };
        let mut docs = course(60);
        let mut memo = IndexMemo::default();
        let (mut files, made) = update(&mut memo, &BTreeMap::new(), &docs, &options);
        assert_same(&files, &scratch(&docs, &options), "first");
        assert_eq!(made, files.len());
        let edits: Vec<(&str, Edit)> = vec![
            // Same length: the average stays, only this section's terms change.
            (
                "swap a word",
                Box::new(|d| d[101].text = d[101].text.replacen("客户", "团队", 1)),
            ),
            (
                "swap back",
                Box::new(|d| d[101].text = d[101].text.replacen("团队", "客户", 1)),
            ),
            // The same positions for every term but the last.
            (
                "a word appended",
                Box::new(|d| d[101].text.push_str("流程")),
            ),
            (
                "two lengths",
                Box::new(|d| {
                    d[120].text = format!("客户服务{}", "流程".repeat(300));
                    d[121].text = "客户服务流程".into();
                }),
            ),
            // The average stays, two sections' lengths change, and the terms
            // at their start keep their positions.
            (
                "lengths swapped",
                Box::new(|d| {
                    d[120].text = "客户服务流程".into();
                    d[121].text = format!("客户服务{}", "流程".repeat(300));
                }),
            ),
            // A word comes and goes: only its dictionary groups change.
            ("a word comes", Box::new(|d| d[101].text.push_str(" zebra"))),
            (
                "the word goes",
                Box::new(|d| d[101].text = d[101].text.replace(" zebra", "")),
            ),
            (
                "new word and character",
                Box::new(|d| d[52].text = d[52].text.replacen("服务", "龘龘", 1)),
            ),
            (
                "word gone again",
                Box::new(|d| d[52].text = d[52].text.replace("龘龘", "服务")),
            ),
            (
                "two sections",
                Box::new(|d| {
                    d[3].text = d[3].text.replacen("处理", "流程", 1);
                    d[250].text = d[250].text.replacen("ticket", "answer", 1);
                }),
            ),
            (
                "breadcrumb only",
                Box::new(|d| d[40].breadcrumb[0] = "别的课程".into()),
            ),
            (
                "longer section",
                Box::new(|d| d[7].text.push_str(&" support crm".repeat(200))),
            ),
            ("heading", Box::new(|d| d[8].heading = "服务流程".into())),
            ("kind", Box::new(|d| d[9].kind = DocKind::Qa)),
            (
                "section added",
                Box::new(|d| {
                    let mut extra = d[10].clone();
                    extra.url = "p2.html#extra".into();
                    d.insert(11, extra);
                }),
            ),
            (
                "section removed",
                Box::new(|d| {
                    d.remove(11);
                }),
            ),
            (
                "last section",
                Box::new(|d| d.pop().map(|_| ()).unwrap_or(())),
            ),
        ];
        for (what, edit) in edits {
            edit(&mut docs);
            let (now, made) = update(&mut memo, &files, &docs, &options);
            assert_same(
                &now,
                &scratch(&docs, &options),
                &format!("{what} (shards {shards})"),
            );
            if what == "swap a word" {
                assert!(made < now.len() / 2, "{what}: {made} of {} made", now.len());
            }
            files = now;
        }
        assert_eq!(memo.len(), docs.len(), "only the sections indexed are kept");
    }
}
