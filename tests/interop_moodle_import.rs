//! `lectern import moodle-xml` on files written by hand in the shapes
//! Moodle's export writes (tests/fixtures/moodle-xml/): every question type
//! lectern reads, the ones it refuses (each at its line), XML errors with
//! line and column, and the command. The round trip of lectern's own export
//! is in tests/interop_export.rs.

use std::path::{Path, PathBuf};
use std::process::Command;

use lectern::interop::{bank_yaml, gift_import, moodle_import};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/moodle-xml")
        .join(name)
}

fn options() -> gift_import::ImportOptions {
    gift_import::ImportOptions {
        chapter: "service".into(),
        title: None,
        id_prefix: "imported".into(),
    }
}

fn import(name: &str) -> Result<gift_import::Imported, lectern::diagnostic::Diagnostic> {
    let path = fixture(name);
    moodle_import::import(&path, &std::fs::read(&path).unwrap(), &options())
}

#[test]
fn every_type_lectern_reads_and_the_ones_it_refuses() {
    let imported = import("every-type.xml").unwrap();
    let bank = &imported.bank;
    assert_eq!(
        imported.read, 8,
        "descriptions and categories are not questions"
    );
    let kinds: Vec<&str> = bank.questions.iter().map(|q| q.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "single",
            "multiple",
            "true_false",
            "fill",
            "numerical",
            "short"
        ]
    );
    assert_eq!(bank.title, "客户服务", "the category's last part");
    assert_eq!(
        bank.descriptions,
        vec![(0, "The questions below are about **service**.".to_string())]
    );
    let yaml = bank_yaml::to_yaml(bank, "test");
    let expected = [
        "- id: grant\n  type: single\n  prompt: Who is buried in Grant's tomb?",
        "  - text: no one\n    feedback: Right.\n  answer: C\n  shuffle: true\n  points: 2\n",
        "explanation: \"Nobody is *buried*: the tomb is above ground.\"",
        "  tags:\n  - history\n  difficulty: easy",
        "- id: primes\n  type: multiple",
        "  answer:\n  - A\n  - B\n",
        "- id: sun\n  type: true_false\n  prompt: The sun rises in the east.\n  answer: true",
        "  prompt: Two plus ____ equals four.\n  answer:\n  - - two\n    - \"2\"",
        "  answer:\n  - 1822\n  - value: 1822\n    tolerance: 2\n    weight: 50",
        "  key_points:\n  - Warmth and respect\n  - Solve the problem\n  points: 10",
    ];
    for e in expected {
        assert!(yaml.contains(e), "`{e}` not in\n{yaml}");
    }
    // The bank written reads back cleanly as a lectern bank.
    let problems: Vec<String> = gift_import::check_bank_text(&yaml, Path::new("x.yaml"))
        .iter()
        .map(|d| d.message.clone())
        .collect();
    assert!(problems.is_empty(), "{problems:?}\n{yaml}");
    let warnings: Vec<String> = imported
        .warnings
        .iter()
        .map(|d| format!("{}: {}", d.line, d.message))
        .collect();
    for w in [
        "55: question `Two plus` (shortanswer): answer `too` worth 50 % is dropped",
        "82: question `Cloze` (cloze): not imported: a cloze (embedded answers) question has no lectern counterpart",
        "88: question `Animals` (matching): not imported: Moodle's `matching` question type has no lectern counterpart",
    ] {
        assert!(warnings.iter().any(|x| x.starts_with(w)), "`{w}` not in {warnings:#?}");
    }
}

#[test]
fn xml_errors_name_their_line_and_column() {
    let e = import("malformed.xml").unwrap_err();
    assert_eq!(e.line, 5, "{e:?}");
    assert!(e.column > 0, "{e:?}");
    assert!(
        e.message.starts_with("the file is not well-formed XML"),
        "{e:?}"
    );
    let e = import("categories-only.xml").unwrap_err();
    assert_eq!(
        (e.line, e.message.as_str()),
        (3, "the file holds no question, only categories")
    );
    let e =
        moodle_import::import(Path::new("x.xml"), b"<html><body/></html>", &options()).unwrap_err();
    assert!(e.message.contains("not `<quiz>`"), "{e:?}");
}

#[test]
fn the_command_writes_a_new_bank_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("03-service.yaml");
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["import", "moodle-xml"])
            .arg(fixture("every-type.xml"))
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap()
    };
    let first = run();
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        stdout.starts_with("imported 6 of 8 questions (single 1, multiple 1, true_false 1, fill 1, numerical 1, short 1, description 1)"),
        "{stdout}"
    );
    assert!(stdout.contains("2 not imported"), "{stdout}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("`lectern import moodle-xml`"), "{text}");
    assert!(text.contains("chapter: service"), "{text}");
    let again = run();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("refusing to overwrite"));
}
