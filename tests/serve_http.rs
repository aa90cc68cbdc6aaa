//! `lectern serve` from the outside: the real binary on a free loopback port,
//! driven with raw HTTP requests (raw so that traversal attempts reach the
//! server exactly as written, without a client normalising `..` away), and
//! the live-reload stream read as a browser's EventSource would.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Stdio;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

mod engine_support;
use engine_support::ServedCourse;

/// Long enough for a debug build of the fixture on a busy two-core machine.
const WAIT: Duration = Duration::from_secs(60);

/// A running `lectern serve` on a copy of tests/fixtures/serve, stopped when dropped.
struct Server(ServedCourse);

impl std::ops::Deref for Server {
    type Target = ServedCourse;
    fn deref(&self) -> &ServedCourse {
        &self.0
    }
}

impl Server {
    fn start() -> Server {
        Server(ServedCourse::start(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve"),
            |_| {},
            Stdio::null(),
            WAIT,
        ))
    }

    fn request(&self, raw: &str) -> Response {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        stream.write_all(raw.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        Response::parse(&bytes)
    }

    fn get(&self, target: &str) -> Response {
        self.request(&format!(
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        ))
    }

    fn head(&self, target: &str) -> Response {
        self.request(&format!(
            "HEAD {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        ))
    }

    /// Opens the live-reload stream; its events arrive on the returned channel.
    fn events(&self) -> Receiver<(String, String)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(stream, "GET /__lectern/events HTTP/1.1\r\nHost: localhost:{}\r\nAccept: text/event-stream\r\n\r\n", self.port).unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let reader = BufReader::new(stream);
            let mut event = String::new();
            let mut data: Vec<String> = Vec::new();
            let mut in_body = false;
            for line in reader.lines().map_while(Result::ok) {
                if !in_body {
                    in_body = line.is_empty();
                    continue;
                }
                if let Some(e) = line.strip_prefix("event: ") {
                    event = e.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push(d.to_string());
                } else if line.is_empty() && !event.is_empty() {
                    if tx
                        .send((std::mem::take(&mut event), data.join("\n")))
                        .is_err()
                    {
                        break;
                    }
                    data.clear();
                }
            }
        });
        rx
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.root.join(rel), text).unwrap();
    }
}

/// The next event other than keep-alives, within `WAIT`.
fn next_event(rx: &Receiver<(String, String)>) -> (String, String) {
    rx.recv_timeout(WAIT)
        .expect("an event from the live-reload stream")
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn parse(bytes: &[u8]) -> Response {
        let split = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a complete head");
        let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
            .collect();
        Response {
            status,
            headers,
            body: bytes[split + 4..].to_vec(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Pages, stylesheets, scripts and images are served with their types; HTML
/// gets the live-reload script on the wire but not on disk; HEAD answers the
/// same headers without a body; a folder without its slash is redirected.
#[test]
fn serves_the_built_site_with_the_right_types() {
    let server = Server::start();
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains("Welcome to the preview course."));
    assert!(
        home.text().contains("/__lectern/events"),
        "the reload script is injected"
    );
    let on_disk = std::fs::read_to_string(server.root.join("public/index.html")).unwrap();
    assert!(
        !on_disk.contains("__lectern"),
        "the file on disk stays clean"
    );
    assert_eq!(
        home.header("content-length"),
        Some(home.body.len().to_string().as_str())
    );

    let head = server.head("/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length"), home.header("content-length"));

    for (path, kind) in [
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/static/theme.js", "text/javascript; charset=utf-8"),
        ("/basics/images/dot.svg", "image/svg+xml"),
        ("/basics/first.html", "text/html; charset=utf-8"),
        ("/basics/", "text/html; charset=utf-8"),
    ] {
        let r = server.get(path);
        assert_eq!(
            (r.status, r.header("content-type")),
            (200, Some(kind)),
            "{path}"
        );
    }
    let css = server.get("/static/style.css");
    assert_eq!(
        css.body,
        std::fs::read(server.root.join("public/static/style.css")).unwrap()
    );

    let folder = server.get("/basics");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location"), Some("/basics/"));

    let post = server.request("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
}

/// Nothing outside the output folder is served, however the path is
/// written: each attempt gets the theme's 404 page, as a missing file does.
#[test]
fn nothing_outside_the_output_folder_is_served() {
    let server = Server::start();
    let missing = server.get("/no-such-page.html");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let theme_404 = std::fs::read_to_string(server.root.join("public/404.html")).unwrap();
    let title = theme_404
        .split("<h1>")
        .nth(1)
        .unwrap()
        .split("</h1>")
        .next()
        .unwrap();
    assert!(missing.text().contains(title), "the theme's 404 page");
    assert!(server.head("/no-such-page.html").body.is_empty());

    #[cfg(unix)]
    std::os::unix::fs::symlink(
        server.root.join("course.yaml"),
        server.root.join("public/leak.yaml"),
    )
    .unwrap();
    for attempt in [
        "/../course.yaml",
        "/basics/../../course.yaml",
        "/%2e%2e/course.yaml",
        "/%2E%2E%2Fcourse.yaml",
        "/basics/..%2F..%2Fcourse.yaml",
        "/..%5Ccourse.yaml",
        "/%252e%252e/course.yaml",
        "/.%2e/course.yaml",
        "/leak.yaml",
        "/%00",
        "course.yaml",
    ] {
        let r = server.get(attempt);
        assert_eq!(r.status, 404, "{attempt}");
        assert!(
            !r.text().contains("Preview course\nlanguage"),
            "{attempt} leaked course.yaml"
        );
    }

    // A page of another site whose name resolves to 127.0.0.1 cannot read the preview.
    let rebound = server.request("GET / HTTP/1.1\r\nHost: attacker.example\r\n\r\n");
    assert_eq!(rebound.status, 403);
}

/// Saving a page rebuilds the site and tells open pages to reload; the new
/// text is served at once.
#[test]
fn an_edit_rebuilds_and_reloads_open_pages() {
    let server = Server::start();
    let events = server.events();
    assert_eq!(next_event(&events).0, "hello");
    server.write(
        "content/01-basics/01-first.md",
        "---\ntitle: First section\n---\n\n## What a customer is\n\nThe edited text.\n",
    );
    let (event, _) = next_event(&events);
    assert_eq!(event, "reload");
    let page = server.get("/basics/first.html");
    assert!(page.text().contains("The edited text."));
    let line = server.stdout.recv_timeout(WAIT).unwrap();
    assert!(
        line.starts_with("content/01-basics/01-first.md changed: rebuilt in "),
        "{line}"
    );
    // The print documents come after the reload, and open print pages
    // (only they) reload again.
    let (event, _) = next_event(&events);
    assert_eq!(event, "reload-print");
    assert!(server
        .get("/print.html")
        .text()
        .contains("The edited text."));
    let script = server.get("/basics/first.html").text();
    assert!(
        script.contains("'reload-print'") && script.contains("/^\\/print(\\.html$|\\/)/"),
        "the page's live-reload script reloads print pages only"
    );
}

/// A broken edit keeps the last good site served and sends the error,
/// HTML-escaped, to open pages and to pages opened later; fixing the file
/// clears it with a reload.
#[test]
fn a_broken_edit_keeps_the_last_good_site_and_reports_the_error() {
    let server = Server::start();
    let events = server.events();
    assert_eq!(next_event(&events).0, "hello");
    server.write(
        "content/01-basics/01-first.md",
        "---\ntitle: First section\nkind: <page>\n---\n\nBroken text.\n",
    );
    let (event, data) = next_event(&events);
    assert_eq!(event, "build-error");
    assert!(data.contains("content/01-basics/01-first.md"), "{data}");
    assert!(
        data.contains("&lt;page&gt;"),
        "the diagnostics are escaped: {data}"
    );
    assert!(!data.contains("<page>"));
    let page = server.get("/basics/first.html");
    assert_eq!(page.status, 200);
    assert!(page
        .text()
        .contains("The original text of the first section."));

    // A page opened while the course is broken hears the error at once.
    let late = server.events();
    assert_eq!(next_event(&late).0, "hello");
    assert_eq!(next_event(&late).0, "build-error");

    server.write(
        "content/01-basics/01-first.md",
        "---\ntitle: First section\n---\n\nFixed text.\n",
    );
    assert_eq!(next_event(&events).0, "reload");
    assert_eq!(next_event(&late).0, "reload");
    assert!(server
        .get("/basics/first.html")
        .text()
        .contains("Fixed text."));
    let fresh = server.events();
    assert_eq!(next_event(&fresh).0, "hello");
    // (The print pages' own reload may follow; no error does.)
    let later: Vec<_> =
        std::iter::from_fn(|| fresh.recv_timeout(Duration::from_millis(300)).ok()).collect();
    assert!(
        !later
            .iter()
            .any(|e| format!("{e:?}").contains("build-error")),
        "no error once fixed: {later:?}"
    );
}

/// Editor scratch files and the output folder do not trigger rebuilds; a
/// change to course.yaml does.
#[test]
fn only_sources_trigger_rebuilds() {
    let server = Server::start();
    let events = server.events();
    assert_eq!(next_event(&events).0, "hello");
    server.write("content/01-basics/.01-first.md.swp", "scratch");
    server.write("content/01-basics/01-first.md~", "backup");
    server.write("notes.txt", "not a source");
    assert!(
        events.recv_timeout(Duration::from_millis(800)).is_err(),
        "no rebuild for scratch files"
    );
    let config = std::fs::read_to_string(server.root.join("course.yaml")).unwrap();
    server.write(
        "course.yaml",
        &config.replace("Preview course", "Renamed course"),
    );
    assert_eq!(next_event(&events).0, "reload");
    assert!(server.get("/").text().contains("Renamed course"));
}

/// Ensure an overlong request is answered with its status, 414 for the
/// target and 431 for the headers, and that the answer arrives whole
/// instead of the connection being reset (the server reads what is left of
/// the request before it closes).
#[test]
fn overlong_requests_get_414_and_431() {
    let server = Server::start();
    let port = server.port;
    for (request, status) in [
        (
            format!(
                "GET /{} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n",
                "a".repeat(64 * 1024)
            ),
            414,
        ),
        (
            format!(
                "GET /{}.html HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n",
                "b".repeat(9 * 1024)
            ),
            414,
        ),
        (
            format!(
                "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {}\r\n\r\n",
                "c".repeat(64 * 1024)
            ),
            431,
        ),
        (
            format!(
                "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{}\r\n",
                (0..100)
                    .map(|i| format!("X-Header-{i}: {i}\r\n"))
                    .collect::<String>()
            ),
            431,
        ),
    ] {
        let r = server.request(&request);
        assert_eq!(r.status, status, "{}…", &request[..40]);
        assert!(r.text().starts_with(&status.to_string()), "{}", r.text());
    }
    // The server is still there for an ordinary request.
    assert_eq!(server.get("/").status, 200);
}

/// Ensure only a `Host` naming the loopback address and the port the
/// preview bound is served (DNS rebinding: a page of another site whose
/// name resolves to 127.0.0.1 sends its own name, or another port); HTTP/1.0
/// without `Host` is served, HTTP/1.1 without it is malformed.
#[test]
fn only_the_bound_loopback_host_is_served() {
    let server = Server::start();
    let port = server.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let r = server.request(&format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n"));
        assert_eq!(r.status, 200, "{host}");
    }
    for host in [
        "attacker.example".to_string(),
        format!("attacker.example:{port}"),
        format!("course.localhost:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        "localhost".to_string(),
        format!("0.0.0.0:{port}"),
        format!("127.0.0.1.attacker.example:{port}"),
    ] {
        let r = server.request(&format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n"));
        assert_eq!(r.status, 403, "{host}");
        assert!(!r.text().contains("<html"), "{host} got a page");
    }
    let twice = server.request(&format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: attacker.example\r\n\r\n"
    ));
    assert_eq!(twice.status, 400);
    assert_eq!(server.request("GET / HTTP/1.1\r\n\r\n").status, 400);
    assert_eq!(server.request("GET / HTTP/1.0\r\n\r\n").status, 200);
}
