//! `lectern serve` under load and under churn, from the outside: the real
//! binary on a free loopback port.
//!
//! - 200 concurrent connections for 10 seconds (wrk, the Debian package
//!   `wrk`) get only successful responses: no connect, read, write or timeout
//!   errors and no status other than 2xx/3xx. Skipped, saying so, when wrk is
//!   not installed.
//! - Files and folders deleted or renamed while the server rebuilds — pages,
//!   a chapter folder, an image, a question bank — never bring it down: it
//!   keeps answering throughout, and once the course is whole again it serves
//!   the rebuilt site.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod engine_support;
use engine_support::ServedCourse;

/// Long enough for a debug build of the course on a busy two-core machine.
const WAIT: Duration = Duration::from_secs(90);

/// A running `lectern serve` on a copy of the corpus's base course
/// (tests/malformed/_base: a chapter, a case, a draft, a bank), stopped when dropped.
struct Server {
    served: ServedCourse,
    stderr_file: PathBuf,
    _logs: tempfile::TempDir,
}

impl std::ops::Deref for Server {
    type Target = ServedCourse;
    fn deref(&self) -> &ServedCourse {
        &self.served
    }
}

impl std::ops::DerefMut for Server {
    fn deref_mut(&mut self) -> &mut ServedCourse {
        &mut self.served
    }
}

impl Server {
    fn start() -> Server {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        // The server's stderr goes to a file (a pipe nobody reads would fill
        // up under load).
        let logs = tempfile::tempdir().unwrap();
        let stderr_file = logs.path().join("stderr.txt");
        let served = ServedCourse::start(
            &manifest.join("tests/malformed/_base"),
            |root| {
                std::fs::create_dir_all(root.join("content/01-base/images")).unwrap();
                std::fs::copy(
                    manifest.join("tests/fixtures/diagnostics/content/01-basics/images/photo.png"),
                    root.join("content/01-base/images/photo.png"),
                )
                .unwrap();
            },
            Stdio::from(std::fs::File::create(&stderr_file).unwrap()),
            WAIT,
        );
        Server {
            served,
            stderr_file,
            _logs: logs,
        }
    }

    /// GET `target`; the status code, or None when the connection failed.
    fn status(&self, target: &str) -> Option<u16> {
        Server::status_on(self.port, target)
    }

    fn body(&self, target: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        )
        .unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        text.split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default()
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_file).unwrap_or_default()
    }

    /// Waits until the server has printed nothing for `quiet` (its rebuilds are over).
    fn settle(&self, quiet: Duration) -> Vec<String> {
        let mut lines = Vec::new();
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            match self.stdout.recv_timeout(quiet) {
                Ok(line) => lines.push(line),
                Err(_) => break,
            }
        }
        lines
    }
}

fn wrk_installed() -> bool {
    Command::new("wrk")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// The figures wrk prints, as numbers.
#[derive(Debug, Default)]
struct WrkReport {
    requests: u64,
    per_second: f64,
    socket_errors: Option<String>,
    non_2xx: u64,
}

fn parse_wrk(out: &str) -> WrkReport {
    let mut r = WrkReport::default();
    for line in out.lines().map(str::trim) {
        if let Some(rest) = line
            .split(" requests in ")
            .next()
            .filter(|_| line.contains(" requests in "))
        {
            r.requests = rest.trim().parse().unwrap_or(0);
        } else if let Some(rest) = line.strip_prefix("Requests/sec:") {
            r.per_second = rest.trim().parse().unwrap_or(0.0);
        } else if let Some(rest) = line.strip_prefix("Socket errors:") {
            r.socket_errors = Some(rest.trim().to_string());
        } else if let Some(rest) = line.strip_prefix("Non-2xx or 3xx responses:") {
            r.non_2xx = rest.trim().parse().unwrap_or(u64::MAX);
        }
    }
    r
}

/// Ensure 200 concurrent connections for 10 seconds, spread over a page, a
/// chapter, a quiz, the stylesheet, a script, the search index and an image,
/// get nothing but successful responses.
#[test]
fn two_hundred_connections_for_ten_seconds_without_errors() {
    if !wrk_installed() {
        // scripts/test.sh installs wrk, so in CI a missing wrk is a failure,
        // not a skip; on a developer's machine the test says it was skipped.
        assert!(
            std::env::var_os("CI").is_none(),
            "wrk is required in CI (scripts/test.sh installs it)"
        );
        eprintln!("SKIPPED: wrk is not installed (Debian: apt-get install wrk)");
        return;
    }
    let mut server = Server::start();
    let paths = [
        "/index.html",
        "/base/intro.html",
        "/base/index.html",
        "/quizzes/base.html",
        "/static/style.css",
        "/static/search.js",
        "/search/meta.js",
        "/base/images/photo.png",
    ];
    for p in paths {
        assert_eq!(
            server.status(p),
            Some(200),
            "{p} is served before the load starts"
        );
    }
    let script = server.tmp.path().join("paths.lua");
    std::fs::write(
        &script,
        format!(
            "local paths = {{{}}}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n",
            paths.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(", ")
        ),
    )
    .unwrap();
    let out = Command::new("wrk")
        .args(["-t2", "-c200", "-d10s", "--timeout", "10s", "-s"])
        .arg(&script)
        .arg(format!("http://127.0.0.1:{}/", server.port))
        .output()
        .expect("run wrk");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    println!("{text}");
    assert!(
        out.status.success(),
        "wrk failed:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = parse_wrk(&text);
    assert!(
        report.requests >= 1000,
        "only {} requests:\n{text}",
        report.requests
    );
    assert_eq!(report.socket_errors, None, "socket errors:\n{text}");
    assert_eq!(report.non_2xx, 0, "error responses:\n{text}");
    assert!(
        server.alive(),
        "the server stopped under load:\n{}",
        server.stderr()
    );
    assert_eq!(
        server.status("/index.html"),
        Some(200),
        "and still answers after it"
    );
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
    println!(
        "LOAD: {} requests in 10 s over 200 connections, {:.0} requests/s, no errors",
        report.requests, report.per_second
    );
}

/// Ensure deleting and renaming pages, a chapter folder, an image and a
/// question bank while the server rebuilds (each change lands during the
/// rebuild of the one before) never brings it down: requests keep getting
/// answers all along, and once the course is restored the site is whole again.
#[test]
fn files_deleted_or_renamed_during_rebuilds_do_not_crash_it() {
    let mut server = Server::start();
    server.settle(Duration::from_millis(500));
    let root = server.root.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let port = server.port;
    // A reader requesting pages throughout.
    let reader = {
        let (stop, answered, failed) = (stop.clone(), answered.clone(), failed.clone());
        std::thread::spawn(move || {
            let probe = Server::status_on;
            while !stop.load(Ordering::SeqCst) {
                for p in [
                    "/index.html",
                    "/base/intro.html",
                    "/quizzes/base.html",
                    "/base/images/photo.png",
                ] {
                    match probe(port, p) {
                        Some(_) => answered.fetch_add(1, Ordering::SeqCst),
                        None => failed.fetch_add(1, Ordering::SeqCst),
                    };
                }
            }
        })
    };
    let p = |rel: &str| root.join(rel);
    let page = "content/01-base/01-intro.md";
    let original_page = std::fs::read(p(page)).unwrap();
    for round in 0..12 {
        let gap = Duration::from_millis(15 + 20 * (round % 4));
        // A page renamed, then deleted, then written back.
        std::fs::rename(p(page), p("content/01-base/01-renamed.md")).unwrap();
        std::thread::sleep(gap);
        std::fs::remove_file(p("content/01-base/01-renamed.md")).unwrap();
        std::thread::sleep(gap);
        std::fs::write(p(page), &original_page).unwrap();
        // A new page created and deleted at once.
        std::fs::write(
            p("content/01-base/09-flash.md"),
            "---\ntitle: 一闪而过\n---\n\n正文。\n",
        )
        .unwrap();
        std::fs::remove_file(p("content/01-base/09-flash.md")).unwrap();
        // The whole chapter folder renamed away and back.
        std::fs::rename(p("content/01-base"), p("content/01-moved")).unwrap();
        std::thread::sleep(gap);
        std::fs::rename(p("content/01-moved"), p("content/01-base")).unwrap();
        // The image and the question bank deleted and restored.
        let image = std::fs::read(p("content/01-base/images/photo.png")).unwrap();
        std::fs::remove_file(p("content/01-base/images/photo.png")).unwrap();
        let bank = std::fs::read(p("quizzes/base.yaml")).unwrap();
        std::fs::rename(p("quizzes/base.yaml"), p("quizzes/base.yaml.bak")).unwrap();
        std::thread::sleep(gap);
        std::fs::write(p("content/01-base/images/photo.png"), image).unwrap();
        std::fs::remove_file(p("quizzes/base.yaml.bak")).unwrap();
        std::fs::write(p("quizzes/base.yaml"), bank).unwrap();
        std::thread::sleep(gap);
        assert!(
            server.alive(),
            "round {round}: the server stopped:\n{}",
            server.stderr()
        );
    }
    let log = server.settle(Duration::from_secs(3));
    stop.store(true, Ordering::SeqCst);
    reader.join().unwrap();
    assert!(server.alive(), "the server stopped:\n{}", server.stderr());
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
    assert!(answered.load(Ordering::SeqCst) > 0);
    assert_eq!(
        failed.load(Ordering::SeqCst),
        0,
        "requests went unanswered during the churn"
    );
    // The course is whole again: one more change, and the rebuilt site has everything.
    std::fs::write(
        p(page),
        String::from_utf8(original_page)
            .unwrap()
            .replace("客户分为", "最后一次：客户分为"),
    )
    .unwrap();
    let deadline = Instant::now() + WAIT;
    loop {
        if server.body("/base/intro.html").contains("最后一次") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the last change was never built; log:\n{log:?}\n{}",
            server.stderr()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    for path in [
        "/index.html",
        "/base/intro.html",
        "/quizzes/base.html",
        "/base/images/photo.png",
        "/base/case-hotel.html",
    ] {
        assert_eq!(server.status(path), Some(200), "{path} after the churn");
    }
    assert!(server.alive());
}

impl Server {
    /// `status` for a reader thread that has only the port.
    fn status_on(port: u16, target: &str) -> Option<u16> {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .ok()?;
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
        )
        .ok()?;
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).ok()?;
        String::from_utf8_lossy(&bytes)
            .split(' ')
            .nth(1)?
            .parse()
            .ok()
    }
}
