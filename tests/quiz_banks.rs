//! Question banks and exams: every question type parses, and every mistake a
//! teacher can make in a bank or an exam is reported with its file and line —
//! all of them in one run (`lectern check`).

use std::fs;
use std::path::{Path, PathBuf};

use lectern::diagnostic::Diagnostic;
use lectern::pipeline::{self, BuildOptions};
use lectern::quiz::{self, Body, QuestionType};

/// A small course in a temporary folder: one chapter with a case page.
struct Course {
    dir: tempfile::TempDir,
}

impl Course {
    fn new() -> Course {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "course.yaml", "title: 测试课程\n");
        write(
            root,
            "content/01-alpha/index.md",
            "---\ntitle: 项目一 甲\n---\n\n正文。\n",
        );
        write(
            root,
            "content/01-alpha/01-first.md",
            "---\ntitle: 第一节\n---\n\n内容。\n",
        );
        write(
            root,
            "content/01-alpha/case-hotel.md",
            "---\ntitle: 案例：饭店\nkind: case\nquestions:\n  - prompt: 为什么？\n    points: [因为服务好]\n---\n\n故事。\n",
        );
        write(
            root,
            "content/02-beta/index.md",
            "---\ntitle: 项目二 乙\n---\n\n正文。\n",
        );
        Course { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn file(self, rel: &str, text: &str) -> Course {
        write(self.root(), rel, text);
        self
    }

    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            out: Some(self.root().join("public")),
            drafts: false,
            force: false,
            progress: false,
            cache: false,
        }
    }

    /// Every diagnostic of `lectern check`.
    fn check(&self) -> Vec<Diagnostic> {
        match pipeline::check(&self.options()) {
            Ok(report) => report.warnings.into_iter().collect(),
            Err(diags) => diags.into_iter().collect(),
        }
    }

    /// The only error of the course; fails if there is none or several.
    fn error(&self) -> Diagnostic {
        let errors: Vec<Diagnostic> = self.check().into_iter().filter(|d| d.is_error()).collect();
        assert_eq!(
            errors.len(),
            1,
            "expected exactly one error, got {errors:#?}"
        );
        errors.into_iter().next().unwrap()
    }

    fn quizzes(&self) -> quiz::QuizSet {
        let config = lectern::config::Config::load(self.root()).expect("course.yaml");
        let lectern::content::LoadedSite {
            site,
            diagnostics: diags,
        } = lectern::content::load(self.root(), config, Default::default())
            .expect("the course loads");
        assert!(!diags.has_errors(), "{diags:#?}");
        let (set, diags) = quiz::load(&site);
        assert!(diags.is_empty(), "{diags:#?}");
        set
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn assert_at(d: &Diagnostic, file: &str, line: usize, words: &str) {
    assert_eq!(d.file, PathBuf::from(file), "{d}");
    assert_eq!(d.line, line, "{d}");
    assert!(d.message.contains(words), "expected `{words}` in: {d}");
}

const BANK_HEAD: &str = "chapter: alpha\ntitle: 练习\nquestions:\n";

/// A bank with one question of each of the six types, in every spelling the
/// format allows (option mappings with pin and feedback, `answer: AC`, 对/错,
/// nested accepted answers, key points with synonyms and weights, a cap, a
/// case named with its folder prefix).
const ALL_TYPES: &str = r#"chapter: 01-alpha
title: 练习
pass_mark: 70
shuffle: true
multiple_scoring: partial
questions:
  - id: s1
    type: single
    prompt: 哪一项正确？
    options:
      - 甲
      - "20%"
      - text: 以上都对
        pin: true
        feedback: 不对。
    answer: b
    points: 2
    tags: [客户]
    difficulty: easy
  - id: m1
    type: multiple
    prompt: 哪些正确？
    options: [甲, 乙, 丙]
    answer: AC
    scoring: per_option
  - id: t1
    type: true_false
    prompt: 客户就是上帝。
    answer: 错
  - id: f1
    type: fill
    prompt: 分为____和＿＿＿两类。
    answer:
      - 甲
      - [乙, 乙类]
    any_order: true
  - id: sh1
    type: short
    prompt: 怎样做？
    cap: 2
    key_points:
      - text: 热情
        synonyms: [热心]
        weight: 2
      - 尊重
    reference: 要**热情**。
  - id: c1
    type: case
    case: 01-alpha/case-hotel.md
    questions:
      - prompt: 为什么？
        points: 4
        key_points: [服务好]
      - prompt: 启示？
        key_points: [用服务留住客人]
"#;

/// Ensure every question type parses, with its defaults and answers as written.
#[test]
fn every_question_type_parses() {
    let set = Course::new()
        .file("quizzes/alpha.yaml", ALL_TYPES)
        .quizzes();
    let bank = &set.banks[0];
    assert_eq!(bank.chapter, "alpha");
    assert_eq!(bank.pass_mark, 70.0);
    let kinds: Vec<QuestionType> = bank.questions.iter().map(|q| q.kind()).collect();
    assert_eq!(kinds, QuestionType::ALL[..6]);
    let q = &bank.questions;
    assert!(
        matches!(&q[0].body, Body::Single { answer: 1, options } if options[2].pin && options[1].text == "20%")
    );
    assert_eq!(q[0].points, 2.0);
    assert!(
        matches!(&q[1].body, Body::Multiple { answer, scoring: quiz::model::MultipleScoring::PerOption, .. } if answer == &[0, 2])
    );
    assert_eq!(q[1].points, 1.0);
    assert!(matches!(q[2].body, Body::TrueFalse { answer: false }));
    assert!(
        matches!(&q[3].body, Body::Fill { blanks, any_order: true } if blanks[1] == ["乙", "乙类"])
    );
    match &q[4].body {
        Body::Short(r) => {
            assert_eq!(r.key_points[0].synonyms, ["热心"]);
            assert_eq!(r.key_points[0].weight, 2.0);
            assert_eq!(r.full_weight(), 2.0);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(q[4].points, 5.0);
    match &q[5].body {
        Body::Case { case, parts } => {
            assert_eq!(case, "alpha/case-hotel");
            assert_eq!(parts.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(q[5].points, 9.0, "4 + the default 5");
    let links = quiz::case_question_links(&set);
    assert_eq!(links["alpha/case-hotel"], "quizzes/alpha.html#q-c1");
    assert_eq!(quiz::bank_link(&set, "alpha").unwrap().questions, 6);
}

/// Ensure an unknown question type names the valid ones, at the `type:` line.
#[test]
fn unknown_type() {
    let d = Course::new()
        .file(
            "quizzes/a.yaml",
            &format!("{BANK_HEAD}  - id: q1\n    type: singel\n    prompt: x\n"),
        )
        .error();
    assert_at(&d, "quizzes/a.yaml", 5, "unknown question type `singel`");
    assert!(d.hint.unwrap().contains("did you mean `single`"));
}

/// Ensure a misspelt key is reported at its line with the nearest valid key.
#[test]
fn unknown_key() {
    let d = Course::new()
        .file(
            "quizzes/a.yaml",
            &format!(
                "{BANK_HEAD}  - id: q1\n    type: true_false\n    prompt: x\n    answr: true\n"
            ),
        )
        .check();
    let unknown = d
        .iter()
        .find(|d| d.message.contains("unknown key"))
        .expect("reported");
    assert_at(unknown, "quizzes/a.yaml", 7, "unknown key `answr`");
    assert!(unknown
        .hint
        .as_deref()
        .unwrap()
        .contains("did you mean `answer`"));
}

/// Ensure an unknown key at the top of a bank is reported too.
#[test]
fn unknown_bank_key() {
    let d = Course::new()
        .file(
            "quizzes/a.yaml",
            "chapter: alpha\npass_mrak: 60\nquestions: []\n",
        )
        .error();
    assert_at(&d, "quizzes/a.yaml", 2, "unknown key `pass_mrak`");
}

/// Ensure a question without an answer is reported at the question.
#[test]
fn missing_answer() {
    let d = Course::new()
        .file(
            "quizzes/a.yaml",
            &format!(
                "{BANK_HEAD}  - id: q1\n    type: single\n    prompt: x\n    options: [a, b]\n"
            ),
        )
        .error();
    assert_at(&d, "quizzes/a.yaml", 4, "has no `answer`");
}

/// Ensure an answer letter beyond the options is reported at the `answer:` line.
#[test]
fn answer_out_of_range() {
    let d = Course::new()
        .file("quizzes/a.yaml", &format!("{BANK_HEAD}  - id: q1\n    type: single\n    prompt: x\n    options: [a, b, c, d]\n    answer: E\n"))
        .error();
    assert_at(
        &d,
        "quizzes/a.yaml",
        8,
        "answer `E` of `q1` is out of range",
    );
    assert!(d.message.contains("A–D"), "{d}");
}

/// Ensure a `multiple` question with a single right answer is refused.
#[test]
fn multiple_with_one_answer() {
    let d = Course::new()
        .file("quizzes/a.yaml", &format!("{BANK_HEAD}  - id: q1\n    type: multiple\n    prompt: x\n    options: [a, b, c]\n    answer: [B]\n"))
        .error();
    assert_at(&d, "quizzes/a.yaml", 8, "needs at least two right answers");
}

/// Ensure an id used in two banks is reported at the second, naming the first.
#[test]
fn duplicate_ids_across_the_course() {
    let q = "  - id: same\n    type: true_false\n    prompt: x\n    answer: true\n";
    let d = Course::new()
        .file("quizzes/a.yaml", &format!("{BANK_HEAD}{q}"))
        .file("quizzes/b.yaml", &format!("chapter: beta\nquestions:\n{q}"))
        .error();
    assert_at(&d, "quizzes/b.yaml", 3, "question id `same` is used twice");
    assert!(d.hint.unwrap().contains("quizzes/a.yaml:4"));
}

/// Ensure a bank naming a chapter that does not exist suggests the nearest.
#[test]
fn chapter_does_not_exist() {
    let d = Course::new()
        .file(
            "quizzes/a.yaml",
            "title: x\nchapter: alpah\nquestions: []\n",
        )
        .error();
    assert_at(&d, "quizzes/a.yaml", 2, "chapter `alpah` does not exist");
    assert!(d.hint.unwrap().contains("did you mean `alpha`"));
}

/// Ensure a case question naming a missing case page is reported at `case:`.
#[test]
fn case_does_not_exist() {
    let d = Course::new()
        .file(
            "quizzes/a.yaml",
            &format!("{BANK_HEAD}  - id: q1\n    type: case\n    case: alpha/case-hotle\n    questions:\n      - prompt: x\n        key_points: [y]\n"),
        )
        .error();
    assert_at(
        &d,
        "quizzes/a.yaml",
        6,
        "case `alpha/case-hotle` of question `q1` does not exist",
    );
    assert!(d.hint.unwrap().contains("alpha/case-hotel"));
}

/// Ensure an empty list of options is reported at `options:`.
#[test]
fn empty_options() {
    let d = Course::new()
        .file("quizzes/a.yaml", &format!("{BANK_HEAD}  - id: q1\n    type: single\n    prompt: x\n    options: []\n    answer: A\n"))
        .error();
    assert_at(&d, "quizzes/a.yaml", 7, "empty list of options");
}

/// Ensure a fill prompt whose blanks do not match its answers is reported.
#[test]
fn fill_blanks_do_not_match_answers() {
    let d = Course::new()
        .file("quizzes/a.yaml", &format!("{BANK_HEAD}  - id: q1\n    type: fill\n    prompt: 分为____和____。\n    answer: [甲]\n"))
        .error();
    assert_at(
        &d,
        "quizzes/a.yaml",
        7,
        "has 2 blanks but the answer gives 1",
    );
    let d = Course::new()
        .file(
            "quizzes/a.yaml",
            &format!(
                "{BANK_HEAD}  - id: q1\n    type: fill\n    prompt: 没有空\n    answer: [甲]\n"
            ),
        )
        .error();
    assert_at(&d, "quizzes/a.yaml", 6, "has no blank in its prompt");
}

/// Ensure a key that belongs to another type is refused (a true_false question with options).
#[test]
fn key_of_another_type() {
    let d = Course::new()
        .file("quizzes/a.yaml", &format!("{BANK_HEAD}  - id: q1\n    type: true_false\n    prompt: x\n    options: [a, b]\n    answer: 对\n"))
        .error();
    assert_at(
        &d,
        "quizzes/a.yaml",
        7,
        "`options` does not apply to a true_false question",
    );
}

/// Ensure broken YAML is reported with its line, and the other banks are still checked.
#[test]
fn syntax_error_and_other_banks_in_one_run() {
    let diags = Course::new()
        .file(
            "quizzes/a.yaml",
            "chapter: alpha\nquestions:\n  - id: [unclosed\n",
        )
        .file("quizzes/b.yaml", "chapter: nowhere\nquestions: []\n")
        .check();
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(errors[0].file, PathBuf::from("quizzes/a.yaml"));
    assert!(errors[0].line >= 3, "{}", errors[0]);
    assert_at(
        errors[1],
        "quizzes/b.yaml",
        1,
        "chapter `nowhere` does not exist",
    );
}

/// Ensure `lectern check` lists every problem of every bank in one run, in file and line order.
#[test]
fn all_problems_in_one_run() {
    let bad = "chapter: alpha\nquestions:\n  - id: a\n    type: single\n    prompt: x\n    options: [a, b]\n    answer: Z\n  - id: b\n    type: multiple\n    prompt: x\n    options: [a, b]\n    answer: A\n  - id: c\n    type: fill\n    prompt: x ___\n    answer: [1, 2]\n  - id: d\n    type: shrot\n";
    let diags = Course::new().file("quizzes/a.yaml", bad).check();
    let lines: Vec<usize> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.line)
        .collect();
    assert_eq!(lines, [7, 12, 16, 18], "{diags:#?}");
}

const EXAM_BANK: &str = r#"chapter: alpha
questions:
  - { id: s1, type: single, prompt: 一, options: [a, b], answer: A, tags: [甲] }
  - { id: s2, type: single, prompt: 二, options: [a, b], answer: B, tags: [乙] }
  - { id: s3, type: single, prompt: 三, options: [a, b], answer: A }
  - { id: t1, type: true_false, prompt: 四, answer: true, tags: [甲] }
  - { id: t2, type: true_false, prompt: 五, answer: false }
"#;

/// Ensure an exam draws by chapter, type, tag and count, the same way every
/// time for a seed, never the same question twice.
#[test]
fn exam_draw_is_seeded() {
    let exam = "title: 期末\nseed: 7\nsections:\n  - title: 一、单选\n    points: 2\n    draw:\n      - { chapter: alpha, type: single, count: 2 }\n  - title: 二、其他\n    draw:\n      - { chapter: all, tags: [甲], count: 1 }\n      - { type: true_false, count: 1 }\n";
    let course = Course::new()
        .file("quizzes/a.yaml", EXAM_BANK)
        .file("quizzes/exams/final.yaml", exam);
    let set = course.quizzes();
    let e = &set.exams[0];
    let ids = |e: &quiz::Exam| -> Vec<Vec<String>> {
        e.sections
            .iter()
            .map(|s| {
                s.questions
                    .iter()
                    .map(|r| set.banks[r.bank].questions[r.question].id.clone())
                    .collect()
            })
            .collect()
    };
    let drawn = ids(e);
    assert_eq!(drawn[0].len(), 2);
    assert!(drawn[0].iter().all(|id| id.starts_with('s')));
    assert_eq!(drawn[1].len(), 2);
    let mut all: Vec<&String> = drawn.iter().flatten().collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 4, "no question twice: {drawn:?}");
    assert_eq!(
        ids(&course.quizzes().exams[0]),
        drawn,
        "same seed, same paper"
    );
    let other = Course::new().file("quizzes/a.yaml", EXAM_BANK).file(
        "quizzes/exams/final.yaml",
        &exam.replace("seed: 7", "seed: 8"),
    );
    let _ = other.quizzes(); // another seed builds too (it may or may not draw differently)
}

/// Ensure an exam asking for more questions than match is reported at `count:`.
#[test]
fn exam_draw_too_many() {
    let exam = "title: 期末\nsections:\n  - title: 一\n    draw:\n      - chapter: alpha\n        type: true_false\n        count: 3\n";
    let d = Course::new()
        .file("quizzes/a.yaml", EXAM_BANK)
        .file("quizzes/exams/final.yaml", exam)
        .error();
    assert_at(
        &d,
        "quizzes/exams/final.yaml",
        7,
        "asks for 3 questions but only 2 match",
    );
}

/// Two banks asking the same thing under different ids (a question copied
/// into a second chapter, spacing aside).
const TWIN_BANK: &str = r#"chapter: beta
questions:
  - { id: b1, type: true_false, prompt: "四 ", answer: true }
  - { id: b2, type: true_false, prompt: 六, answer: false }
"#;

/// Ensure no paper carries two questions with the same prompt: every draw
/// that can avoid it does, whatever the seed.
#[test]
fn exam_never_repeats_a_prompt() {
    for seed in 0..40 {
        let exam = format!("title: 期末\nseed: {seed}\nsections:\n  - title: 一\n    draw:\n      - {{ chapter: alpha, type: true_false, count: 1 }}\n  - title: 二\n    draw:\n      - {{ type: true_false, count: 2 }}\n");
        let course = Course::new()
            .file("quizzes/a.yaml", EXAM_BANK)
            .file("quizzes/b.yaml", TWIN_BANK)
            .file("quizzes/exams/final.yaml", &exam);
        let set = course.quizzes();
        let prompts: Vec<String> = set.exams[0]
            .sections
            .iter()
            .flat_map(|s| &s.questions)
            .map(|r| {
                set.banks[r.bank].questions[r.question]
                    .prompt
                    .trim()
                    .to_string()
            })
            .collect();
        let mut unique = prompts.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 3, "seed {seed}: a prompt twice: {prompts:?}");
    }
}

/// Ensure a draw that can only be filled by repeating a prompt is an error at
/// its `count:`, naming the questions that ask the same thing.
#[test]
fn exam_draw_refuses_a_repeated_prompt() {
    let exam = "title: 期末\nsections:\n  - title: 一\n    draw:\n      - { type: true_false, count: 4 }\n";
    let d = Course::new()
        .file("quizzes/a.yaml", EXAM_BANK)
        .file("quizzes/b.yaml", TWIN_BANK)
        .file("quizzes/exams/final.yaml", exam)
        .error();
    assert_at(
        &d,
        "quizzes/exams/final.yaml",
        5,
        "asks for 4 questions but only 3 match",
    );
    let text = d.to_string();
    assert!(
        text.contains("asks the same as") && text.contains("`t1`") && text.contains("`b1`"),
        "names both questions: {text}"
    );
    assert!(text.contains("same prompt twice"), "says why: {text}");
}

/// Ensure an exam drawing from a chapter that does not exist is reported.
#[test]
fn exam_unknown_chapter() {
    let exam =
        "title: 期末\nsections:\n  - title: 一\n    draw:\n      - { chapter: gamma, count: 1 }\n";
    let d = Course::new()
        .file("quizzes/a.yaml", EXAM_BANK)
        .file("quizzes/exams/final.yaml", exam)
        .error();
    assert_at(
        &d,
        "quizzes/exams/final.yaml",
        5,
        "chapter `gamma` does not exist",
    );
}

/// Ensure a built exam has its page, a paper without answers and a key with them.
#[test]
fn exam_builds_paper_and_key() {
    let exam = "title: 期末\nseed: 1\nsections:\n  - title: 一、判断题\n    draw:\n      - { type: true_false, count: 2 }\n";
    let course = Course::new()
        .file("quizzes/a.yaml", EXAM_BANK)
        .file("quizzes/exams/final.yaml", exam);
    pipeline::build(&course.options()).expect("builds");
    let out = course.root().join("public");
    let paper = fs::read_to_string(out.join("exams/final-paper.html")).unwrap();
    let key = fs::read_to_string(out.join("exams/final-key.html")).unwrap();
    let page = fs::read_to_string(out.join("exams/final.html")).unwrap();
    let article = |html: &str| -> String {
        let start = html.find("<article").expect("article");
        html[start..start + html[start..].find("</article>").unwrap()].to_string()
    };
    let (paper, key) = (article(&paper), article(&key));
    assert!(paper.contains("四") && paper.contains("五"));
    assert!(
        !paper.contains("q-solution") && !paper.contains("正确答案") && !paper.contains("√"),
        "the paper holds no answers: {paper}"
    );
    assert!(!fs::read_to_string(out.join("exams/final-paper.html"))
        .unwrap()
        .contains("lectern-quiz-data"));
    assert_eq!(key.matches("正确答案").count(), 2);
    assert!(page.contains("id=\"lectern-quiz-data\""));
    assert!(out.join("notebook.html").exists());
    assert!(out.join("quizzes/a.html").exists() && out.join("quizzes/a.js").exists());
}

/// Ensure a question's text can neither close its script element nor run:
/// raw HTML in prompts, options and explanations is shown as text.
#[test]
fn hostile_text_is_inert() {
    let bank = "chapter: alpha\nquestions:\n  - id: x1\n    type: single\n    prompt: \"</script><script>alert(1)</script> <img src=x onerror=alert(2)>\"\n    options: [\"<b onmouseover=alert(3)>a</b>\", \"[link](javascript:alert(4))\"]\n    answer: A\n    explanation: \"</script><!--\"\n";
    let course = Course::new().file("quizzes/a.yaml", bank);
    pipeline::build(&course.options()).expect("builds");
    let html = fs::read_to_string(course.root().join("public/quizzes/a.html")).unwrap();
    assert_eq!(
        html.matches("<script").count(),
        html.matches("</script>").count(),
        "every script element closes where the page means"
    );
    assert!(!html.contains("<img src=x"), "no live img element");
    assert!(!html.contains("<b onmouseover"), "no live attribute");
    assert!(!html.contains("javascript:alert"), "no script link");
    assert!(
        html.contains("&lt;&#x2F;script&gt;") || html.contains("&lt;/script&gt;"),
        "the text is shown"
    );
    let data_start = html.find("id=\"lectern-quiz-data\">").unwrap();
    let data_end = data_start + html[data_start..].find("</script>").unwrap();
    assert!(!html[data_start..data_end].contains('<'));
    let js = fs::read_to_string(course.root().join("public/quizzes/a.js")).unwrap();
    assert!(
        !js.contains("</script"),
        "the notebook data cannot close a script either"
    );
}

/// Descriptions (`- description: …` items among the questions) are texts
/// shown between questions, not scored: each is kept with the index of the
/// question it precedes, shown inside that question's item on the bank page
/// (so it moves with it when questions are shuffled), or after the list
/// when it follows the last question; an extra key is reported.
#[test]
fn descriptions_between_questions() {
    let bank = format!(
        "{BANK_HEAD}  - description: 下面两题考查**客户**的含义。\n  - id: d1\n    type: true_false\n    prompt: 甲。\n    answer: 对\n  - id: d2\n    type: true_false\n    prompt: 乙。\n    answer: 错\n  - description: 以上为本节全部题目。\n"
    );
    let course = Course::new().file("quizzes/alpha.yaml", &bank);
    let set = course.quizzes();
    let b = &set.banks[0];
    assert_eq!(b.questions.len(), 2);
    assert_eq!(b.total_points(), 2.0);
    let texts: Vec<(usize, &str)> = b
        .descriptions
        .iter()
        .map(|d| (d.before, d.text.as_str()))
        .collect();
    assert_eq!(
        texts,
        [
            (0, "下面两题考查**客户**的含义。"),
            (2, "以上为本节全部题目。")
        ]
    );
    pipeline::build(&course.options()).expect("builds");
    let html = fs::read_to_string(course.root().join("public/quizzes/alpha.html")).unwrap();
    let first = html
        .find("<div class=\"q-description\"><p>下面两题考查<strong>客户</strong>的含义。</p>")
        .expect("first description");
    let q1 = html.find("data-qid=\"d1\"").unwrap();
    let q1_head = html.find("id=\"q-d1-head\"").unwrap();
    assert!(
        q1 < first && first < q1_head,
        "inside the first question's item"
    );
    let last = html.find("以上为本节全部题目").unwrap();
    assert!(last > html.find("</ol>").unwrap(), "after the list");

    let wrong = Course::new().file(
        "quizzes/alpha.yaml",
        &format!("{BANK_HEAD}  - description: 文字\n    id: x\n"),
    );
    let e = wrong.error();
    assert!(
        e.message.contains("unknown key") || e.message.contains("`id`"),
        "{e}"
    );
}

/// `numerical` (计算题): a number, a value with a tolerance, a range, or a
/// list of these with weights; each mistake reported at its line; the page
/// has a number input, the grading data each interval, the answer key and
/// the solution the accepted numbers.
#[test]
fn numerical_questions() {
    let bank = format!(
        "{BANK_HEAD}  - id: n1\n    type: numerical\n    prompt: 2 + 2 = ?\n    answer: 4\n  - id: n2\n    type: numerical\n    prompt: 格兰特生于哪一年？\n    points: 3\n    answer: {{ value: 1822, tolerance: 5 }}\n  - id: n3\n    type: numerical\n    prompt: 六边形有几条边？\n    answer:\n      - 6\n      - {{ value: 5, weight: 50 }}\n      - {{ min: 1, max: 10, weight: 10 }}\n"
    );
    let course = Course::new().file("quizzes/alpha.yaml", &bank);
    let set = course.quizzes();
    let q = &set.banks[0].questions;
    use quiz::model::{NumberRange, NumericAnswer};
    assert_eq!(
        q[0].body,
        Body::Numerical {
            answers: vec![NumericAnswer {
                accepts: NumberRange::Value {
                    value: 4.0,
                    tolerance: 0.0
                },
                weight: 1.0
            }]
        }
    );
    assert_eq!(q[1].points, 3.0);
    match &q[2].body {
        Body::Numerical { answers } => {
            assert_eq!(answers.len(), 3);
            assert_eq!(answers[1].weight, 0.5);
            assert_eq!(
                answers[2].accepts,
                NumberRange::Range {
                    min: 1.0,
                    max: 10.0
                }
            );
        }
        other => panic!("{other:?}"),
    }
    pipeline::build(&course.options()).expect("builds");
    let html = fs::read_to_string(course.root().join("public/quizzes/alpha.html")).unwrap();
    assert!(html.contains("class=\"q-number\""), "a number input");
    assert!(
        html.contains("\"answer\":[{\"max\":1827.0,\"min\":1817.0,\"weight\":1.0}]"),
        "grading data"
    );
    assert!(html.contains("<span class=\"q-numbers\">1822 ± 5</span>"));
    assert!(
        html.contains("<span class=\"q-numbers\">6 &#x2F; 5（50%） &#x2F; 1 – 10（10%）</span>")
    );

    // An exam draws them: the paper leaves room for the number, the answer
    // key shows the accepted numbers.
    let exam = Course::new()
        .file("quizzes/alpha.yaml", &bank)
        .file(
            "quizzes/exams/final.yaml",
            "title: 期末\nseed: 1\nsections:\n  - title: 一、计算题\n    draw:\n      - { chapter: all, type: numerical, count: 3 }\n",
        );
    pipeline::build(&exam.options()).expect("builds");
    let page = |url: String| fs::read_to_string(exam.root().join("public").join(url)).unwrap();
    let paper = page(quiz::exam_print_url("final", "paper"));
    let key = page(quiz::exam_print_url("final", "key"));
    assert!(
        paper.contains("class=\"pq-number\""),
        "the paper's number line"
    );
    assert!(!paper.contains("1822 ± 5"), "no answers on the paper");
    assert!(key.contains("1822 ± 5"), "the answer key's numbers");

    for (answer, words) in [
        ("answer: four", "should be a number or a mapping"),
        ("answer: { value: 1, tolerance: -1 }", "cannot be negative"),
        ("answer: { min: 5, max: 1 }", "runs from 5 down to 1"),
        (
            "answer: [{ value: 1, weight: 50 }]",
            "no answer of `n` earns full points",
        ),
        (
            "answer: { value: 1, min: 0, max: 2 }",
            "both `value` and `min`/`max`",
        ),
        (
            "answer: { tolerance: 1 }",
            "has no `value` and no `min` and `max`",
        ),
    ] {
        let wrong = Course::new().file(
            "quizzes/alpha.yaml",
            &format!("{BANK_HEAD}  - id: n\n    type: numerical\n    prompt: 几？\n    {answer}\n"),
        );
        let e = wrong.error();
        assert!(e.message.contains(words), "{answer}: {e}");
        assert_eq!(e.line, 7, "{answer}: {e}");
    }
}
