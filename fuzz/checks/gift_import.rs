//! The GIFT importer (`lectern import gift`), fed any bytes as a .gift file.
//!
//! The same steps as the command: UTF-8 check, the GIFT parser (Moodle's
//! grammar: categories, names, ids, `{…}` answer blocks, escapes, formats),
//! the mapping of each question to a lectern type, the bank written as YAML,
//! and that YAML read back by lectern's own bank reader. Besides any panic,
//! the target fails when an imported bank does not read back without errors:
//! the importer must only ever write banks that lectern accepts.
//!
//! Shared by the fuzz target (fuzz/fuzz_targets/gift_import.rs) and by the
//! regression tests on stable Rust (tests/fuzz_regressions.rs).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use lectern::diagnostic::{render_all, Diagnostics};
use lectern::interop::{bank_yaml, gift_import};

fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("lectern-fuzz-gift-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("quizzes")).expect("scratch folder");
        dir
    })
}

/// One input: any bytes. Panics on a bug.
pub fn run(data: &[u8]) {
    let file = Path::new("bank.gift");
    let options = gift_import::ImportOptions {
        chapter: "chapter".into(),
        title: None,
        id_prefix: "bank".into(),
    };
    let mut diagnostics = Diagnostics::new();
    match gift_import::import(file, data, &options) {
        Err(d) => {
            assert!(d.line >= 1, "an unreadable file is reported at a line: {d}");
            diagnostics.push(d);
        }
        Ok(imported) => {
            assert!(imported.bank.questions.len() <= imported.read);
            let text = bank_yaml::to_yaml(&imported.bank, "fuzz");
            let bank_file = Path::new("quizzes/bank.yaml");
            let errors: Vec<String> = gift_import::check_bank_text(&text, bank_file)
                .into_iter()
                .filter(|d| d.is_error())
                .map(|d| d.to_string())
                .collect();
            assert!(
                errors.is_empty(),
                "the imported bank does not read back:\n{}\n--- bank ---\n{text}",
                errors.join("\n")
            );
            diagnostics.extend(imported.warnings);
        }
    }
    if !diagnostics.is_empty() {
        let root = scratch();
        std::fs::write(root.join(file), data).expect("scratch file");
        let _ = render_all(&diagnostics, root);
    }
}
