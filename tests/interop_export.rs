//! `lectern export` in each format, on tests/fixtures/interop (one bank
//! holding every question type, the characters each format must escape, a
//! case page and a Q&A page): the output must equal the golden file in
//! tests/fixtures/export/, the Moodle XML must be well-formed with the
//! elements each question type needs, the Anki file must keep to Anki's
//! layout, and a GIFT export imported again must keep every question.
//!
//! After a deliberate change, rewrite the golden files with
//! `LECTERN_UPDATE_GOLDEN=1 cargo test --test interop_export` and review the diff.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use lectern::interop::{self, bank_yaml, gift_import, Course, ExportFormat};
use lectern::quiz::Body;

mod engine_support;
use engine_support::copy_dir;

fn here() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture_course() -> PathBuf {
    here().join("tests/fixtures/interop")
}

fn load(root: &Path) -> Course {
    match interop::load_course(root) {
        Ok((course, _)) => course,
        Err(d) => panic!("{}", lectern::diagnostic::render_all(&d, root)),
    }
}

fn export(course: &Course, format: ExportFormat) -> interop::Exported {
    let banks = interop::select_banks(&course.quizzes, &[]).unwrap();
    interop::export(course, &banks, format)
}

fn golden(name: &str, actual: &str) {
    let path = here().join("tests/fixtures/export").join(name);
    if std::env::var_os("LECTERN_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("no {}", path.display()));
    assert_eq!(
        actual, expected,
        "{name} differs (LECTERN_UPDATE_GOLDEN=1 rewrites it)"
    );
}

fn warnings(exported: &interop::Exported) -> String {
    exported
        .warnings
        .iter()
        .map(|d| format!("{}: {}\n", d.location(), d.message))
        .collect()
}

/// GIFT: `[markdown]` texts, escapes, `$CATEGORY` per chapter, ids and tags
/// in comments, weights that sum to 100 %, and a warning for each question
/// that loses something.
#[test]
fn gift_matches_the_golden_file() {
    let course = load(&fixture_course());
    let exported = export(&course, ExportFormat::Gift);
    assert_eq!(exported.items, 9);
    golden("interop.gift", &exported.text);
    golden("interop.gift.warnings", &warnings(&exported));
}

/// Moodle XML: CDATA texts, categories, idnumber, tags, grades, cloze.
#[test]
fn moodle_xml_matches_the_golden_file() {
    let course = load(&fixture_course());
    let exported = export(&course, ExportFormat::MoodleXml);
    golden("interop.xml", &exported.text);
    golden("interop.xml.warnings", &warnings(&exported));
}

/// Anki: header lines, one card per question (per part of a case), per Q&A
/// entry and per case-study question.
#[test]
fn anki_matches_the_golden_file() {
    let course = load(&fixture_course());
    let exported = export(&course, ExportFormat::Anki);
    assert_eq!(exported.items, 13);
    golden("interop.anki.txt", &exported.text);
}

/// A small XML tree, enough to check what a question holds.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
    fn all(&self, name: &str) -> Vec<&Element> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
    fn text_of(&self, name: &str) -> String {
        self.child(name)
            .and_then(|c| c.child("text"))
            .map(|t| t.text.clone())
            .unwrap_or_default()
    }
}

/// Parses with quick-xml, failing on anything that is not well-formed.
fn parse_xml(xml: &str) -> Element {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack = vec![Element::default()];
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let mut el = Element {
                    name: e.name().as_ref().to_string(),
                    ..Default::default()
                };
                for a in e.attributes() {
                    let a = a.expect("well-formed attribute");
                    el.attrs.insert(
                        a.key.as_ref().to_string(),
                        #[allow(deprecated)]
                        a.unescape_value().unwrap().into_owned(),
                    );
                }
                stack.push(el);
            }
            Event::Empty(e) => {
                let el = Element {
                    name: e.name().as_ref().to_string(),
                    ..Default::default()
                };
                stack.last_mut().unwrap().children.push(el);
            }
            Event::End(_) => {
                let el = stack.pop().unwrap();
                stack.last_mut().expect("balanced tags").children.push(el);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let name = r.into_inner().into_owned();
                let c = match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                };
                stack.last_mut().unwrap().text.push_str(c);
            }
            Event::CData(t) => stack.last_mut().unwrap().text.push_str(&t.into_inner()),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    stack.pop().unwrap()
}

/// Every question of the XML has what Moodle's importer needs for its
/// type, and what lectern put in: id, grade, answers and their fractions.
fn check_moodle_xml(xml: &str, course: &Course) {
    let root = parse_xml(xml);
    let quiz = root.child("quiz").expect("<quiz>");
    let questions: Vec<&Element> = quiz.all("question");
    let categories = questions
        .iter()
        .filter(|q| q.attrs["type"] == "category")
        .count();
    assert_eq!(
        categories,
        course.quizzes.banks.len(),
        "one category per bank"
    );
    let mut by_id: BTreeMap<String, &Element> = BTreeMap::new();
    for q in questions
        .iter()
        .filter(|q| !matches!(q.attrs["type"].as_str(), "category" | "description"))
    {
        for needed in [
            "name",
            "questiontext",
            "generalfeedback",
            "penalty",
            "hidden",
            "idnumber",
        ] {
            assert!(
                q.child(needed).is_some(),
                "{needed} missing in {:?}",
                q.attrs
            );
        }
        assert_eq!(q.child("questiontext").unwrap().attrs["format"], "html");
        by_id.insert(q.child("idnumber").unwrap().text.clone(), q);
    }
    for bank in &course.quizzes.banks {
        for question in &bank.questions {
            let q = by_id
                .get(&question.id)
                .unwrap_or_else(|| panic!("{} not exported", question.id));
            let kind = q.attrs["type"].as_str();
            let fractions: Vec<f64> = q
                .all("answer")
                .iter()
                .map(|a| a.attrs["fraction"].parse().unwrap())
                .collect();
            match &question.body {
                Body::Single { options, .. } => {
                    assert_eq!(kind, "multichoice");
                    assert_eq!(q.child("single").unwrap().text, "true");
                    assert_eq!(fractions.len(), options.len());
                    assert_eq!(fractions.iter().filter(|f| **f == 100.0).count(), 1);
                }
                Body::Multiple { answer, .. } => {
                    assert_eq!(kind, "multichoice");
                    assert_eq!(q.child("single").unwrap().text, "false");
                    let right: f64 = fractions.iter().filter(|f| **f > 0.0).sum();
                    assert!(
                        (right - 100.0).abs() < 0.001,
                        "{}: right answers add up to {right}",
                        question.id
                    );
                    assert_eq!(fractions.iter().filter(|f| **f > 0.0).count(), answer.len());
                    assert!(fractions
                        .iter()
                        .filter(|f| **f <= 0.0)
                        .all(|f| *f == -100.0));
                }
                Body::TrueFalse { answer } => {
                    assert_eq!(kind, "truefalse");
                    let texts: Vec<String> = q
                        .all("answer")
                        .iter()
                        .map(|a| a.child("text").unwrap().text.clone())
                        .collect();
                    assert_eq!(texts, ["true", "false"]);
                    assert_eq!(fractions, if *answer { [100.0, 0.0] } else { [0.0, 100.0] });
                }
                Body::Fill { blanks, .. } if blanks.len() == 1 => {
                    assert_eq!(kind, "shortanswer");
                    assert!(q.child("usecase").is_some());
                    assert_eq!(fractions.len(), blanks[0].len());
                }
                Body::Fill { blanks, .. } => {
                    assert_eq!(kind, "cloze");
                    assert_eq!(
                        q.text_of("questiontext").matches(":SHORTANSWER:").count(),
                        blanks.len()
                    );
                }
                Body::Numerical { answers } => {
                    // Every accepted interval as value and tolerance.
                    assert_eq!(kind, "numerical");
                    assert_eq!(fractions.len(), answers.len());
                    for (a, e) in answers.iter().zip(q.all("answer")) {
                        let value: f64 = e.child("text").unwrap().text.parse().unwrap();
                        let tolerance: f64 = e.child("tolerance").unwrap().text.parse().unwrap();
                        let (min, max) = a.accepts.bounds();
                        assert!((value - tolerance - min).abs() < 1e-9, "{}", question.id);
                        assert!((value + tolerance - max).abs() < 1e-9, "{}", question.id);
                    }
                    assert!(fractions.contains(&100.0));
                }
                Body::Short(_) | Body::Case { .. } => {
                    assert_eq!(kind, "essay");
                    for needed in ["responseformat", "graderinfo", "responsetemplate"] {
                        assert!(
                            q.child(needed).is_some(),
                            "{needed} missing in {}",
                            question.id
                        );
                    }
                    assert!(!q.text_of("graderinfo").is_empty());
                }
            }
            if kind != "cloze" {
                let grade: f64 = q.child("defaultgrade").unwrap().text.parse().unwrap();
                assert_eq!(grade, question.points, "{}", question.id);
            }
            let tags: Vec<String> = q
                .child("tags")
                .map(|t| {
                    t.all("tag")
                        .iter()
                        .map(|t| t.child("text").unwrap().text.clone())
                        .collect()
                })
                .unwrap_or_default();
            for t in &question.tags {
                assert!(tags.contains(t), "{}: tag {t} missing", question.id);
            }
        }
    }
}

/// The fixture's XML, and the shipped course's, are well-formed and complete.
#[test]
fn moodle_xml_is_well_formed_with_each_types_elements() {
    let course = load(&fixture_course());
    check_moodle_xml(&export(&course, ExportFormat::MoodleXml).text, &course);
    let shipped = load(here());
    check_moodle_xml(&export(&shipped, ExportFormat::MoodleXml).text, &shipped);
}

/// Anki's header lines come first; every record has five fields, none with
/// a raw tab or line break; GUIDs are unique and do not change between exports.
#[test]
fn anki_keeps_to_ankis_layout() {
    let shipped = load(here());
    let first = export(&shipped, ExportFormat::Anki).text;
    assert_eq!(
        first,
        export(&shipped, ExportFormat::Anki).text,
        "stable output"
    );
    let mut lines = first.lines();
    // No `#columns:` names: Anki maps the note type's fields by position
    // (Front = column 3, Back = column 4) in any language.
    let header: Vec<&str> = lines.by_ref().take(6).collect();
    assert_eq!(
        header,
        [
            "#separator:tab",
            "#html:true",
            "#notetype:Basic",
            "#guid column:1",
            "#deck column:2",
            "#tags column:5",
        ]
    );
    assert!(!first.contains("#columns:"));
    let mut guids = HashSet::new();
    let mut count = 0;
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 5, "{line}");
        assert!(fields[0].starts_with("lectern:"));
        assert!(
            guids.insert(fields[0].to_string()),
            "duplicate GUID {}",
            fields[0]
        );
        assert!(fields[1].starts_with("客户服务实务::"));
        count += 1;
    }
    let questions = shipped.quizzes.question_count();
    assert!(
        count > questions,
        "questions, Q&A entries and case questions: {count}"
    );
}

/// Exports every bank of the course at `root` as GIFT, imports each into a
/// copy of the course in place of the original, and checks that the copy
/// loads with every bank identical to the original (each question's type,
/// text, options, answers, points, pins, scoring, rubric, tags, difficulty;
/// the bank's title, pass mark, shuffle and time limit: everything but the
/// line numbers), and its exams still valid. What GIFT cannot say travels in
/// `// lectern:` comments.
fn round_trip(root: &Path) {
    round_trip_in(root, ExportFormat::Gift);
}

/// The same through Moodle XML: what Moodle has no field for travels in
/// `<!-- lectern: … -->` comments.
fn round_trip_in(root: &Path, format: ExportFormat) {
    let course = load(root);
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("course");
    copy_dir(&root.join("content"), &copy.join("content"));
    std::fs::copy(root.join("course.yaml"), copy.join("course.yaml")).unwrap();
    if root.join("quizzes/exams").is_dir() {
        copy_dir(&root.join("quizzes/exams"), &copy.join("quizzes/exams"));
    }
    std::fs::create_dir_all(copy.join("quizzes")).unwrap();
    for bank in &course.quizzes.banks {
        let exported = interop::export(&course, &[bank], format);
        let options = gift_import::ImportOptions {
            chapter: bank.chapter.clone(),
            title: None,
            id_prefix: bank.key.clone(),
        };
        let imported = match format {
            ExportFormat::MoodleXml => interop::moodle_import::import(
                Path::new("export.xml"),
                exported.text.as_bytes(),
                &options,
            ),
            _ => gift_import::import(Path::new("export.gift"), exported.text.as_bytes(), &options),
        }
        .unwrap();
        assert_eq!(imported.read, bank.questions.len());
        let unexpected: Vec<String> = imported
            .warnings
            .iter()
            .map(|d| d.message.clone())
            .collect();
        assert!(unexpected.is_empty(), "{}: {unexpected:?}", bank.key);
        let text = bank_yaml::to_yaml(&imported.bank, "round trip");
        std::fs::write(
            copy.join("quizzes").join(format!("{}.yaml", bank.key)),
            text,
        )
        .unwrap();
    }
    let back = load(&copy);
    let without_lines = |b: &lectern::quiz::Bank| {
        let mut b = b.clone();
        for q in &mut b.questions {
            q.line = 0;
        }
        b
    };
    assert_eq!(course.quizzes.banks.len(), back.quizzes.banks.len());
    for (bank, again) in course.quizzes.banks.iter().zip(&back.quizzes.banks) {
        let (a, b) = (without_lines(bank), without_lines(again));
        for (q, r) in a.questions.iter().zip(&b.questions) {
            assert_eq!(q, r, "{}: question {}", bank.key, q.id);
        }
        assert_eq!(a, b, "{}", bank.key);
    }
    // The exams drew from the banks; they still load, and draw the same.
    assert_eq!(course.quizzes.exams, back.quizzes.exams);
}

/// Export then import gives back the fixture's bank exactly.
#[test]
fn gift_round_trip_gives_back_the_fixture_exactly() {
    round_trip(&fixture_course());
}

/// … and every bank of the shipped course, whose final exam still validates.
#[test]
fn gift_round_trip_gives_back_every_shipped_bank_exactly() {
    round_trip(here());
    assert!(!load(here()).quizzes.exams.is_empty());
}

/// Moodle XML: export then import gives back the fixture's bank exactly …
#[test]
fn moodle_xml_round_trip_gives_back_the_fixture_exactly() {
    round_trip_in(&fixture_course(), ExportFormat::MoodleXml);
}

/// … and every bank of the shipped course, whose final exam still validates.
#[test]
fn moodle_xml_round_trip_gives_back_every_shipped_bank_exactly() {
    round_trip_in(here(), ExportFormat::MoodleXml);
    assert!(!load(here()).quizzes.exams.is_empty());
}

/// The command: standard output by default, a file with -o, a bank chosen
/// by name, and an unknown bank refused with the list of banks.
#[test]
fn the_export_command() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_lectern"))
            .arg("export")
            .args(args)
            .arg("--root")
            .arg(fixture_course())
            .output()
            .unwrap()
    };
    let out = run(&["--format", "gift"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("::b-single::[markdown]"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("warning: question `b-fill-two`: GIFT cannot carry 2 blanks in one question"),
        "{stderr}"
    );
    assert!(
        stderr.contains("exported 9 questions from 1 bank(s) as GIFT"),
        "{stderr}"
    );

    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("cards.txt");
    let out = run(&["-f", "anki", "basics", "-o", file.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .starts_with("#separator:tab\n"));

    let out = run(&["-f", "moodle-xml", "01-basic"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no question bank `01-basic`")
            && stderr.contains("did you mean `01-basics`?"),
        "{stderr}"
    );
}
