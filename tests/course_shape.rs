//! The shipped course, read from its built output the way a student meets it:
//! nine chapters, every review question, every case, full question banks with
//! all six types, and none of the source documents' page furniture.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn build_shipped_course() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let result = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["build", "--root"])
        .arg(repo)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "the shipped course must build: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    (tmp, out)
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            out.push(entry.path().to_path_buf());
        }
    }
    out
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap()
}

/// Proves the built course has the shape issue 5 promises.
#[test]
fn shipped_course_has_its_full_shape() {
    let (_tmp, site) = build_shipped_course();
    let pages = html_files(&site);

    let chapters: Vec<&PathBuf> = pages
        .iter()
        .filter(|p| read(p).contains("<body class=\"page-chapter\""))
        .collect();
    assert_eq!(chapters.len(), 9, "nine chapters: {chapters:?}");

    let qa_entries: usize = pages
        .iter()
        .map(|p| read(p).matches("class=\"qa-card\"").count())
        .sum();
    assert!(
        qa_entries >= 31,
        "every review question (31), found {qa_entries}"
    );

    let cases = pages
        .iter()
        .filter(|p| read(p).contains("<body class=\"page-case\""))
        .count();
    assert!(cases >= 9, "at least nine case pages, found {cases}");

    let quiz_dir = site.join("quizzes");
    let banks: Vec<PathBuf> = html_files(&quiz_dir);
    assert_eq!(banks.len(), 9, "one bank per chapter: {banks:?}");
    for bank in &banks {
        let html = read(bank);
        let mut types: BTreeMap<&str, usize> = BTreeMap::new();
        for t in ["single", "multiple", "true_false", "fill", "short", "case"] {
            types.insert(t, html.matches(&format!("data-type=\"{t}\"")).count());
        }
        let total: usize = types.values().sum();
        assert!(
            total >= 15,
            "{}: at least 15 questions, found {total}",
            bank.display()
        );
        for (t, n) in &types {
            assert!(*n > 0, "{}: no question of type {t}", bank.display());
        }
    }

    for exam in ["final.html", "final-paper.html", "final-key.html"] {
        assert!(site.join("exams").join(exam).is_file(), "exam page {exam}");
    }
}

/// Proves none of the scraped pages' furniture reached the site: uploader
/// lines, page counters, site names, licence numbers, download prompts, and
/// the unrelated essay after seed 004's satisfaction text.
#[test]
fn no_page_furniture_from_the_sources() {
    let (_tmp, site) = build_shipped_course();
    let furniture = [
        "上传人",
        "文档编号",
        "上传时间",
        "共13页",
        "共20页",
        "共4页",
        "资源描述",
        "点击查看更多",
        "展开阅读全文",
        "装配图网",
        "zhuangpeitu",
        "ICP",
        "公网安备",
        "版权申诉",
        "举报",
        "分销(赏)",
        ".docx",
        "文档页数",
        "copyright@",
        "关注我们",
        "网站声明",
        "南京大学网络教育学院",
        "雷同卷",
        "拳拳之爱",
        "看不见的灵魂",
        "流动在心底",
        "本站为文档",
        "旳",
    ];
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&site) {
        let entry = entry.unwrap();
        let ext = entry
            .path()
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("");
        if !matches!(ext, "html" | "js") || entry.path().starts_with(site.join("static")) {
            continue;
        }
        let text = read(entry.path());
        for f in furniture {
            if text.contains(f) {
                found.push(format!("{} contains {f:?}", entry.path().display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "page furniture in the site:\n{}",
        found.join("\n")
    );
}
