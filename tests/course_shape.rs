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

/// The shipped course's banks and exams, read with lectern's own loader.
fn shipped_quizzes() -> lectern::quiz::QuizSet {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = lectern::config::Config::load(repo).expect("course.yaml");
    let lectern::content::LoadedSite {
        site,
        diagnostics: diags,
    } = lectern::content::load(repo, config, Default::default()).expect("the course loads");
    assert!(!diags.has_errors(), "{diags:#?}");
    let (set, diags) = lectern::quiz::load(&site);
    assert!(
        !diags.iter().any(|d| d.is_error()),
        "the banks and exams load: {diags:#?}"
    );
    set
}

/// A prompt's letters, digits and Chinese characters: what a reader compares.
fn prompt_letters(prompt: &str) -> Vec<char> {
    prompt.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Length of the longest common subsequence of two texts: the characters one
/// keeps of the other, in order, when words are inserted or dropped.
fn common_subsequence(a: &[char], b: &[char]) -> usize {
    let mut previous = vec![0usize; b.len() + 1];
    for x in a {
        let mut current = vec![0usize; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            current[j + 1] = if x == y {
                previous[j] + 1
            } else {
                previous[j + 1].max(current[j])
            };
        }
        previous = current;
    }
    previous[b.len()]
}

/// Proves no question is asked twice across the banks: no two questions share
/// a prompt, and no two of one type nearly do — 85% of the shorter prompt (of
/// at least ten characters) found, in order, in the other: a question copied
/// into a second chapter with a word added or changed (服务标准的制定应以 /
/// 应当以什么为导向). Distinct questions of the shipped banks score 82% at most.
#[test]
fn no_question_is_asked_twice() {
    let set = shipped_quizzes();
    let questions: Vec<(&str, lectern::quiz::QuestionType, Vec<char>)> = set
        .banks
        .iter()
        .flat_map(|b| &b.questions)
        .filter(|q| !q.prompt.trim().is_empty())
        .map(|q| (q.id.as_str(), q.kind(), prompt_letters(&q.prompt)))
        .collect();
    let mut twins = Vec::new();
    for (i, (id_a, kind_a, a)) in questions.iter().enumerate() {
        for (id_b, kind_b, b) in &questions[i + 1..] {
            let shorter = a.len().min(b.len());
            let same = a == b
                || (kind_a == kind_b
                    && shorter >= 10
                    && common_subsequence(a, b) * 20 >= shorter * 17);
            if same {
                twins.push(format!("{id_a} and {id_b}"));
            }
        }
    }
    assert!(
        twins.is_empty(),
        "questions asked twice:\n{}",
        twins.join("\n")
    );
}

/// Proves the final exam is a 100-point paper whose every section states its
/// points, and that it asks no prompt twice.
#[test]
fn final_exam_totals_100() {
    let set = shipped_quizzes();
    let exam = set
        .exams
        .iter()
        .find(|e| e.key == "final")
        .expect("quizzes/exams/final.yaml");
    let mut total = 0.0;
    let mut prompts = Vec::new();
    for s in &exam.sections {
        assert!(
            s.points.is_some(),
            "section {} gives its own points, whatever the banks weigh",
            s.title
        );
        for r in &s.questions {
            let q = &set.banks[r.bank].questions[r.question];
            total += s.points.unwrap_or(q.points);
            prompts.push(prompt_letters(&q.prompt));
        }
    }
    assert!(
        (total - 100.0).abs() < 1e-9,
        "the final exam totals {total}"
    );
    let count = prompts.len();
    prompts.retain(|p| !p.is_empty());
    prompts.sort();
    prompts.dedup();
    assert_eq!(prompts.len(), count, "a prompt twice on the final exam");

    let (_tmp, site) = build_shipped_course();
    let paper = read(&site.join("exams/final-paper.html"));
    assert!(paper.contains("总分 100 分"), "the paper states its total");
    for each in [
        "每题 2 分，共 30 分",
        "每题 1 分，共 10 分",
        "每题 8 分，共 16 分",
    ] {
        assert!(paper.contains(each), "the paper states `{each}`");
    }
}

/// Proves the garbled answers the sources' scraping produced are gone, and
/// the course names things as its sources do.
#[test]
fn garbles_gone_and_terms_as_the_sources_name_them() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources = course_sources(repo);
    for (path, text) in &sources {
        assert!(
            !text.contains("盼望值"),
            "{}: 盼望值 is seed 004's garbled 期望值",
            path.display()
        );
        assert!(
            !text.contains("8020"),
            "{}: 8020 is a garbled 80/20",
            path.display()
        );
    }
    // The fourth service level is 超额服务, in the text and in every option.
    let set = shipped_quizzes();
    for q in set.banks.iter().flat_map(|b| &b.questions) {
        let options: Vec<&str> = q.options().iter().map(|o| o.text.as_str()).collect();
        assert!(
            !options.contains(&"超值服务"),
            "{}: the service level is 超额服务",
            q.id
        );
    }
    let levels = read(&repo.join("content/01-understanding-customer-service/02-service-types.md"));
    assert!(levels.contains("| 4. 超额服务 |") && !levels.contains("超值服务"));
    let expectations =
        read(&repo.join("content/05-customer-expectations/01-understanding-expectations.md"));
    assert!(expectations.contains("超值期望（超值满足）"));
    // 感受值 is taught beside 感知值, so a search for it finds a chapter page.
    let formula = read(&repo.join("content/08-customer-satisfaction/01-satisfaction-survey.md"));
    assert!(formula.contains("感受值"));
}

/// The course's own text: every Markdown and YAML file under content/ and quizzes/.
fn course_sources(repo: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for dir in ["content", "quizzes"] {
        for entry in walkdir::WalkDir::new(repo.join(dir)).sort_by_file_name() {
            let entry = entry.unwrap();
            let ext = entry.path().extension().and_then(|e| e.to_str());
            if matches!(ext, Some("md" | "yaml" | "yml")) {
                out.push((entry.path().to_path_buf(), read(entry.path())));
            }
        }
    }
    out
}

/// Chinese characters, as scripts/verbatim-runs.mjs counts them.
fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{2FA1F}')
}

/// The Chinese characters of a text, each with its line number.
fn han_of(text: &str) -> (Vec<char>, Vec<usize>) {
    let mut chars = Vec::new();
    let mut lines = Vec::new();
    let mut line = 1;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        } else if is_han(c) {
            chars.push(c);
            lines.push(line);
        }
    }
    (chars, lines)
}

/// Proves the course is written in its own words: no run of 40 or more
/// Chinese characters (punctuation, spacing and line breaks skipped) occurs
/// in the source documents it was made from, except the lists of named items
/// in scripts/verbatim-named-lists.txt. The sources live beside the
/// repository, at ../shared/reference/seeds/ (CI has them there too).
#[test]
fn no_sentence_copied_from_the_sources() {
    const MIN: usize = 40;
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = repo.join("../shared/reference/seeds");
    let mut seed_files: Vec<PathBuf> = fs::read_dir(&seeds)
        .unwrap_or_else(|e| {
            panic!(
                "the course's source documents must be at {} (beside the repository, as in CI) \
                 to check that no sentence is copied from them: {e}",
                seeds.display()
            )
        })
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    seed_files.sort();
    assert!(
        !seed_files.is_empty(),
        "no source document (*.txt) in {}",
        seeds.display()
    );
    let mut windows: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut all_seed_text = String::new();
    for f in &seed_files {
        let (chars, _) = han_of(&read(f));
        for w in chars.windows(MIN) {
            windows.insert(w.iter().collect());
        }
        all_seed_text.extend(chars);
        all_seed_text.push('\n');
    }

    let named: Vec<Vec<char>> = read(&repo.join("scripts/verbatim-named-lists.txt"))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| han_of(l).0)
        .collect();
    for list in &named {
        let list: String = list.iter().collect();
        assert!(
            all_seed_text.contains(&list),
            "scripts/verbatim-named-lists.txt: `{list}` is in no source: remove it"
        );
    }

    let mut runs = Vec::new();
    for (path, text) in course_sources(repo) {
        let (chars, lines) = han_of(&text);
        let mut copied = vec![false; chars.len()];
        for (i, w) in chars.windows(MIN).enumerate() {
            if windows.contains(&w.iter().collect::<String>()) {
                copied[i..i + MIN].iter_mut().for_each(|c| *c = true);
            }
        }
        for list in &named {
            for (i, w) in chars.windows(list.len()).enumerate() {
                if w == list.as_slice() {
                    copied[i..i + list.len()]
                        .iter_mut()
                        .for_each(|c| *c = false);
                }
            }
        }
        let mut i = 0;
        while i < chars.len() {
            if !copied[i] {
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() && copied[i] {
                i += 1;
            }
            if i - start >= MIN {
                runs.push(format!(
                    "{}:{}: {}",
                    path.strip_prefix(repo).unwrap_or(&path).display(),
                    lines[start],
                    chars[start..i].iter().collect::<String>()
                ));
            }
        }
    }
    assert!(
        runs.is_empty(),
        "{} run(s) of {MIN}+ Chinese characters copied from the sources; rewrite them in the \
         course's own words (node scripts/verbatim-runs.mjs lists them):\n{}",
        runs.len(),
        runs.join("\n")
    );
}
