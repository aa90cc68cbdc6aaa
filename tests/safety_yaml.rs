//! A tiny YAML file cannot make lectern use unbounded memory: aliases that
//! would expand a document past its budget are an error at the alias, found
//! before anything is built. Runs `lectern check` and watches its peak
//! memory (VmHWM), stopping it past the bound.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod engine_support;
use engine_support::{fixture_copy, lectern_bin};

const LIMIT_KB: u64 = 200 * 1024;

/// One 100 KB value, aliased 20,000 times: 240 KB on disk, 2 GB expanded.
fn bomb(key: &str) -> String {
    let mut text = format!("{key}: &big \"{}\"\ntags:\n", "x".repeat(100_000));
    for _ in 0..20_000 {
        text.push_str("  - *big\n");
    }
    text
}

fn peak_kb(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `lectern check` in `root`, failing if it ever holds more than the limit.
fn check_within_limit(root: &Path) -> (Option<i32>, String, u64) {
    let mut child = Command::new(lectern_bin())
        .arg("check")
        .current_dir(root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut peak = 0;
    let status = loop {
        if let Some(kb) = peak_kb(child.id()) {
            peak = peak.max(kb);
        }
        if peak > LIMIT_KB || started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("lectern check used {peak} KB (limit {LIMIT_KB} KB) or ran past a minute");
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let mut stderr = String::new();
    use std::io::Read;
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status.code(), stderr, peak)
}

fn course() -> (tempfile::TempDir, std::path::PathBuf) {
    fixture_copy("interop")
}

/// An alias bomb in a page's front matter and in a question bank: refused at
/// the alias's line, within the memory bound.
#[test]
fn alias_bombs_are_refused_within_bounded_memory() {
    for (file, text, line) in [
        (
            "content/09-bomb/index.md",
            format!("---\ntitle: 炸弹\n{}---\n\n正文\n", bomb("summary")),
            "content/09-bomb/index.md:",
        ),
        (
            "quizzes/09-bomb.yaml",
            format!(
                "chapter: bomb\ntitle: 炸弹\n{}questions: []\n",
                bomb("note")
            ),
            "quizzes/09-bomb.yaml:",
        ),
    ] {
        let (_tmp, root) = course();
        let path = root.join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        if file.starts_with("quizzes") {
            fs::create_dir_all(root.join("content/09-bomb")).unwrap();
            fs::write(root.join("content/09-bomb/index.md"), "# 炸弹\n").unwrap();
        }
        let (code, stderr, peak) = check_within_limit(&root);
        assert_eq!(code, Some(1), "{stderr}");
        assert!(
            stderr.contains("the aliases of this document would expand it to more than"),
            "{stderr}"
        );
        assert!(stderr.contains(&format!("at {line}")), "{stderr}");
        eprintln!("{file}: peak {peak} KB");
    }
}
