//! Shared helpers of the engine's integration tests (`tests/engine_*.rs`).
//!
//! A test copies a fixture course from `tests/fixtures/<situation>/` into a
//! temporary folder (a build writes into the course's own `public/`), runs the
//! real `lectern` binary on it, and reads the result the way a reader would:
//! the pages, their links, their ids, the text of a diagnostic.
//!
//! HTML is read with a deliberately small scanner (start tags and their
//! attributes, entities decoded) rather than a parser crate: the theme's
//! markup is regular, and the tests should not depend on more than the engine.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn lectern_bin() -> &'static str {
    env!("CARGO_BIN_EXE_lectern")
}

/// A course in a temporary folder, removed when dropped.
pub struct Course {
    tmp: tempfile::TempDir,
    pub root: PathBuf,
}

impl Course {
    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> Course {
        let src = fixtures_dir().join(name);
        assert!(src.is_dir(), "no fixture {}", src.display());
        let tmp = tempfile::tempdir().expect("temporary folder");
        let root = tmp.path().join(name);
        copy_dir(&src, &root);
        Course { tmp, root }
    }

    /// A temporary folder with nothing in it yet; `root` does not exist.
    pub fn nothing() -> Course {
        let tmp = tempfile::tempdir().expect("temporary folder");
        let root = tmp.path().join("course");
        Course { tmp, root }
    }

    /// The temporary folder holding the course (and nothing else unless a test puts it there).
    pub fn parent(&self) -> &Path {
        self.tmp.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes (or overwrites) a file of the course.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }

    /// Runs `lectern ARGS` from the temporary folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.tmp.path(), args)
    }

    /// `lectern build --root COURSE EXTRA…`
    pub fn build(&self, extra: &[&str]) -> Run {
        let root = self.root.to_str().unwrap();
        let mut args = vec!["build", "--root", root];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// Builds and insists that it worked; returns the built site.
    pub fn build_ok(&self, extra: &[&str]) -> Site {
        let run = self.build(extra);
        run.assert_success();
        Site { dir: self.out() }
    }

    /// `lectern check --root COURSE EXTRA…`
    pub fn check(&self, extra: &[&str]) -> Run {
        let root = self.root.to_str().unwrap();
        let mut args = vec!["check", "--root", root];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// The default output folder (course.yaml's `output: public`).
    pub fn out(&self) -> PathBuf {
        self.root.join("public")
    }
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(lectern_bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run lectern");
    Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// What one run of the binary printed and returned.
#[derive(Debug)]
pub struct Run {
    pub args: Vec<String>,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn assert_success(&self) {
        assert_eq!(
            self.code,
            Some(0),
            "`lectern {}` failed\nstdout:\n{}\nstderr:\n{}",
            self.args.join(" "),
            self.stdout,
            self.stderr
        );
    }

    /// Exit code 1 (problems in the course), never a panic.
    pub fn assert_course_errors(&self) {
        assert_eq!(
            self.code,
            Some(1),
            "`lectern {}` should fail with exit code 1\nstdout:\n{}\nstderr:\n{}",
            self.args.join(" "),
            self.stdout,
            self.stderr
        );
        assert!(
            !self.stderr.contains("panicked"),
            "lectern panicked:\n{}",
            self.stderr
        );
    }

    /// The diagnostics printed on stderr, one per `error:`/`warning:` block.
    pub fn diagnostics(&self) -> Vec<Reported> {
        parse_diagnostics(&self.stderr)
    }

    /// The one diagnostic reported at `location` (`file:line`, or
    /// `file:line:column`, or just `file` for whole-file problems); fails with
    /// everything that was printed when there is none.
    pub fn diagnostic_at(&self, location: &str) -> Reported {
        let found: Vec<Reported> = self
            .diagnostics()
            .into_iter()
            .filter(|d| d.location == location || d.location.starts_with(&format!("{location}:")))
            .collect();
        assert!(
            !found.is_empty(),
            "no diagnostic at `{location}`; stderr was:\n{}",
            self.stderr
        );
        assert_eq!(
            found.len(),
            1,
            "several diagnostics at `{location}`; stderr was:\n{}",
            self.stderr
        );
        found.into_iter().next().unwrap()
    }
}

/// One diagnostic as the user reads it.
#[derive(Debug, Clone)]
pub struct Reported {
    pub severity: String,
    pub message: String,
    /// `file:line:column` as printed after `= at`.
    pub location: String,
    pub hint: Option<String>,
    /// The whole block, with the quoted source line.
    pub text: String,
}

/// Splits what lectern prints into diagnostics. Each starts with
/// `error: message` or `warning: message` and has a note `= at file:line:col`.
pub fn parse_diagnostics(stderr: &str) -> Vec<Reported> {
    let mut out: Vec<Reported> = Vec::new();
    for line in stderr.lines() {
        let head = ["error: ", "warning: "]
            .iter()
            .find(|p| line.starts_with(*p))
            .copied();
        if let Some(p) = head {
            out.push(Reported {
                severity: p.trim_end_matches(": ").to_string(),
                message: line[p.len()..].to_string(),
                location: String::new(),
                hint: None,
                text: String::new(),
            });
        }
        let Some(cur) = out.last_mut() else { continue };
        cur.text.push_str(line);
        cur.text.push('\n');
        let t = line.trim_start();
        if let Some(loc) = t.strip_prefix("= at ") {
            cur.location = loc.trim().to_string();
        } else if let Some(h) = t.strip_prefix("= hint: ") {
            cur.hint = Some(h.trim().to_string());
        }
    }
    // The last line ("N error(s) …; nothing was written") is a summary, not a diagnostic.
    out.retain(|d| !d.location.is_empty());
    out
}

/// A built site.
pub struct Site {
    pub dir: PathBuf,
}

impl Site {
    pub fn has(&self, url: &str) -> bool {
        self.dir.join(url).is_file()
    }

    pub fn bytes(&self, url: &str) -> Vec<u8> {
        std::fs::read(self.dir.join(url)).unwrap_or_else(|_| {
            panic!(
                "the site has no {url}; it has:\n{}",
                self.files().join("\n")
            )
        })
    }

    pub fn page(&self, url: &str) -> String {
        String::from_utf8(self.bytes(url)).expect("pages are UTF-8")
    }

    /// Every file, relative to the site root with `/`, sorted.
    pub fn files(&self) -> Vec<String> {
        snapshot(&self.dir).into_keys().collect()
    }

    pub fn html_files(&self) -> Vec<String> {
        self.files()
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect()
    }
}

/// Every file under `dir` with its bytes, by `/`-separated relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

/// A copy of the fixture course `tests/fixtures/<name>` in a fresh
/// temporary folder, as `<tmp>/course`.
#[allow(dead_code)]
pub fn fixture_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("course");
    copy_dir(&fixtures_dir().join(name), &root);
    (tmp, root)
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Follows a started `lectern serve`: its stdout lines arrive on the returned
/// channel, and the port it printed (`http://127.0.0.1:PORT/`) is returned
/// once seen, waiting at most `wait`.
pub fn follow_serve(
    child: &mut std::process::Child,
    wait: std::time::Duration,
) -> (u16, std::sync::mpsc::Receiver<String>) {
    use std::io::BufRead;
    let (tx, stdout) = std::sync::mpsc::channel();
    let out = child.stdout.take().expect("stdout piped");
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = std::time::Instant::now() + wait;
    let port = loop {
        let line = stdout
            .recv_timeout(deadline.saturating_duration_since(std::time::Instant::now()))
            .expect("the server prints where it serves");
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest
                .trim_end_matches(|c: char| !c.is_ascii_digit())
                .split('/')
                .next()
                .unwrap()
                .parse()
                .unwrap();
        }
    };
    (port, stdout)
}

// ---------------------------------------------------------------------------
// Reading HTML

/// A start tag: its name, attributes (entities decoded) and byte offset.
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub start: usize,
    /// Offset just past the `>`.
    pub end: usize,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .map(|c| c.split_whitespace().any(|x| x == class))
            .unwrap_or(false)
    }
}

/// Every start tag of `html`, in document order. The contents of `<script>`
/// and `<style>` are skipped; comments and doctypes ignored.
pub fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(rel) = html[i..].find('<') {
        let start = i + rel;
        i = start + 1;
        if html[start..].starts_with("<!--") {
            i = html[start..]
                .find("-->")
                .map(|e| start + e + 3)
                .unwrap_or(b.len());
            continue;
        }
        let name_len = html[i..]
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !b[i].is_ascii_alphabetic() {
            continue;
        }
        let name = html[i..i + name_len].to_ascii_lowercase();
        i += name_len;
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let key_start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let key = html[key_start..i].to_ascii_lowercase();
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i];
                    let vstart = i + 1;
                    let vend = html[vstart..]
                        .bytes()
                        .position(|c| c == q)
                        .map(|p| vstart + p)
                        .unwrap_or(b.len());
                    value = decode_entities(&html[vstart..vend]);
                    i = (vend + 1).min(b.len());
                } else {
                    let vstart = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = decode_entities(&html[vstart..i]);
                }
            }
            attrs.push((key, value));
        }
        let end = i.min(b.len());
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            i = html[end..].find(&close).map(|p| end + p).unwrap_or(b.len());
        }
        out.push(Tag {
            name,
            attrs,
            start,
            end,
        });
    }
    out
}

/// The start tags that sit inside the first element whose start tag matches
/// `is_container`, up to that element's closing tag (same tag name, nesting counted).
pub fn tags_within(html: &str, is_container: impl Fn(&Tag) -> bool) -> Vec<Tag> {
    let all = tags(html);
    let Some(container) = all.iter().find(|t| is_container(t)) else {
        return Vec::new();
    };
    let (open, close) = (container.start, element_end(html, container));
    all.into_iter()
        .filter(|t| t.start > open && t.start < close)
        .collect()
}

/// The inner HTML of the first element matching `is_container`.
pub fn inner_html(html: &str, is_container: impl Fn(&Tag) -> bool) -> Option<&str> {
    let all = tags(html);
    let container = all.iter().find(|t| is_container(t))?;
    Some(&html[container.end..element_end(html, container)])
}

/// Offset of the closing tag of the element opened by `tag`.
fn element_end(html: &str, tag: &Tag) -> usize {
    let open = format!("<{}", tag.name);
    let close = format!("</{}", tag.name);
    let mut depth = 1;
    let mut i = tag.end;
    loop {
        let next_open = html[i..].find(&open).map(|p| i + p);
        let next_close = match html[i..].find(&close) {
            Some(p) => i + p,
            None => return html.len(),
        };
        match next_open {
            Some(o) if o < next_close => {
                depth += 1;
                i = o + open.len();
            }
            _ => {
                depth -= 1;
                if depth == 0 {
                    return next_close;
                }
                i = next_close + close.len();
            }
        }
    }
}

/// The text of an HTML fragment: tags removed, entities decoded, white space collapsed.
pub fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let Some(semi) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An href as written, percent-decoded (so `#%E5%AE%A2` reads `#客`).
pub fn readable(href: &str) -> String {
    percent_decode(href)
}

pub fn is_external(href: &str) -> bool {
    href.contains("://")
        || href.starts_with("mailto:")
        || href.starts_with("tel:")
        || href.starts_with("data:")
}

/// The site-relative path a relative `href` on the page at `from` points to
/// (query and fragment removed). None when it climbs above the site root.
pub fn resolve(from: &str, href: &str) -> Option<String> {
    let path = href.split(['#', '?']).next().unwrap_or("");
    let path = percent_decode(path);
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    if path.is_empty() {
        return Some(from.to_string());
    }
    for piece in path.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The fragment of an href, percent-decoded.
pub fn fragment(href: &str) -> Option<String> {
    href.split_once('#').map(|(_, f)| percent_decode(f))
}

/// Every `id` in a page.
pub fn ids(html: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .filter_map(|t| t.attr("id").map(str::to_string))
        .collect()
}

/// Every link of a page: (tag, attribute, value) for `href` and `src`.
pub fn links(html: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for t in tags(html) {
        for (k, v) in &t.attrs {
            if k == "href" || k == "src" {
                out.push((t.name.clone(), k.clone(), v.clone()));
            }
        }
    }
    out
}

/// The target of the `<a rel="…">` of a page's pager, resolved to a site path.
pub fn pager(html: &str, from: &str, rel: &str) -> Option<String> {
    tags(html)
        .into_iter()
        .find(|t| t.name == "a" && t.attr("rel") == Some(rel))
        .and_then(|t| resolve(from, t.attr("href")?))
}

/// The visible text of the pager link `rel` (`prev` or `next`).
pub fn pager_text(html: &str, rel: &str) -> Option<String> {
    let all = tags(html);
    let t = all
        .iter()
        .find(|t| t.name == "a" && t.attr("rel") == Some(rel))?;
    Some(text_of(&html[t.end..element_end(html, t)]))
}

/// A `lectern serve` on a copy of a course folder, on a free port of
/// 127.0.0.1, stopped (and its folder removed) when dropped.
pub struct ServedCourse {
    pub child: std::process::Child,
    pub port: u16,
    /// The copy being served.
    pub root: PathBuf,
    /// Lines the server prints after its start line.
    pub stdout: std::sync::mpsc::Receiver<String>,
    /// Holds the copy; a test may keep other files beside `root`.
    pub tmp: tempfile::TempDir,
}

impl ServedCourse {
    /// Copies `source` to a temporary folder, lets `prepare` change the copy,
    /// starts `lectern serve --port 0` on it and waits (up to `wait`) for the
    /// port it prints.
    pub fn start(
        source: &Path,
        prepare: impl FnOnce(&Path),
        stderr: std::process::Stdio,
        wait: std::time::Duration,
    ) -> ServedCourse {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("course");
        copy_dir(source, &root);
        prepare(&root);
        let mut child = Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["serve", "--port", "0", "--root"])
            .arg(&root)
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start lectern serve");
        let (port, stdout) = follow_serve(&mut child, wait);
        ServedCourse {
            child,
            port,
            root,
            stdout,
            tmp,
        }
    }
}

impl Drop for ServedCourse {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
