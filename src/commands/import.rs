//! `lectern import gift|moodle-xml`: reads a GIFT or Moodle XML file and
//! writes a new bank file.

use std::path::Path;
use std::process::ExitCode;

use super::{fail, print};
use crate::cli::ImportFormatArg;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::interop::{bank_yaml, gift_import, moodle_import};

pub fn run(
    format: ImportFormatArg,
    file: &Path,
    output: &Path,
    chapter: Option<String>,
    title: Option<String>,
    force: bool,
) -> ExitCode {
    let here = Path::new(".");
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            return fail(
                Diagnostic::error(file, 0, 0, format!("cannot read the file: {e}"))
                    .with_hint("check the path and that the file can be read"),
                here,
            )
        }
    };
    if output.exists() && !force {
        return fail(
            Diagnostic::error(output, 0, 0, "the file exists; refusing to overwrite it")
                .with_hint("choose another name, or pass --force to replace it"),
            here,
        );
    }
    let stem = output
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("imported")
        .to_string();
    let chapter =
        chapter.unwrap_or_else(|| crate::content::paths::split_prefix(&stem).1.to_string());
    let options = gift_import::ImportOptions {
        chapter,
        title,
        id_prefix: stem.clone(),
    };
    let (imported, command) = match format {
        ImportFormatArg::Gift => (gift_import::import(file, &bytes, &options), "gift"),
        ImportFormatArg::MoodleXml => (moodle_import::import(file, &bytes, &options), "moodle-xml"),
    };
    let imported = match imported {
        Ok(i) => i,
        Err(d) => return fail(d, here),
    };
    let mut warnings = Diagnostics::new();
    warnings.extend(imported.warnings.iter().cloned());
    print(&warnings, here);
    if imported.bank.questions.is_empty() && imported.bank.descriptions.is_empty() {
        return fail(
            Diagnostic::error(
                file,
                0,
                0,
                format!(
                    "no question could be imported ({} read); nothing was written",
                    imported.read
                ),
            )
            .with_hint("the warnings above say why each question was left out"),
            here,
        );
    }
    let header = format!(
        "Imported from {} by `lectern import {command}`; check it with `lectern check`.",
        file.display()
    );
    let text = bank_yaml::to_yaml(&imported.bank, &header);
    let problems: Vec<_> = gift_import::check_bank_text(&text, output)
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    if !problems.is_empty() {
        let mut ds = Diagnostics::new();
        ds.extend(problems);
        eprintln!("the imported bank does not read back cleanly (please report this as a bug):");
        print(&ds, here);
    }
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(parent);
    }
    if let Err(e) = std::fs::write(output, text) {
        return fail(
            Diagnostic::error(output, 0, 0, format!("cannot write the bank: {e}"))
                .with_hint("check that the folder can be written"),
            here,
        );
    }
    let mut counts: Vec<(String, usize)> = Vec::new();
    for q in &imported.bank.questions {
        match counts.iter_mut().find(|(k, _)| *k == q.kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((q.kind.clone(), 1)),
        }
    }
    if !imported.bank.descriptions.is_empty() {
        counts.push(("description".into(), imported.bank.descriptions.len()));
    }
    let counts: Vec<String> = counts.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let skipped = imported.read - imported.bank.questions.len();
    println!(
        "imported {} of {} questions ({}) → {}{}",
        imported.bank.questions.len(),
        imported.read,
        counts.join(", "),
        output.display(),
        if skipped > 0 {
            format!("; {skipped} not imported (see the warnings above)")
        } else {
            String::new()
        }
    );
    ExitCode::SUCCESS
}
