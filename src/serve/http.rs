//! A small HTTP/1.1 server for the preview: GET and HEAD of the output
//! folder's files, and the live-reload event stream.
//!
//! Hand-written on `std::net` (with `httparse` reading the request head)
//! because the event stream must reach the browser the moment an event is
//! sent: general-purpose small servers buffer chunked bodies. One thread per
//! connection is plenty for one author's browser tabs; every response closes
//! its connection, so no thread waits on an idle keep-alive.

use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use super::files::{content_type, is_html, resolve, Target};
use super::reload::{self, Hub, EVENTS_PATH, KEEP_ALIVE};

/// Most connections served at once; more get 503 (a stuck client cannot
/// exhaust threads).
const MAX_CONNECTIONS: usize = 256;
/// Largest request head accepted; a longer one is answered 431.
const MAX_HEAD: usize = 16 * 1024;
/// Longest request target (path and query) accepted; a longer one is
/// answered 414. No page of a built site has a path near this.
const MAX_TARGET: usize = 8 * 1024;
/// After an error answer, what is left of the request is read (and thrown
/// away) for at most this long and this much, so that closing the socket
/// does not reset the connection before the client read the answer.
const DRAIN_FOR: Duration = Duration::from_millis(500);
const DRAIN_BYTES: usize = 1024 * 1024;
/// How long a client may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How often an idle event stream gets a keep-alive comment.
const KEEP_ALIVE_EVERY: Duration = Duration::from_secs(15);

/// Tells requests whether a rebuild is swapping the output folder, so a file
/// missing for that instant is looked up again after the swap instead of
/// answered with 404.
#[derive(Default)]
pub struct BuildGate {
    building: Mutex<bool>,
    done: Condvar,
}

impl BuildGate {
    pub fn start(&self) {
        *self.building.lock().unwrap_or_else(|e| e.into_inner()) = true;
    }

    pub fn finish(&self) {
        *self.building.lock().unwrap_or_else(|e| e.into_inner()) = false;
        self.done.notify_all();
    }

    /// Waits (at most `limit`) for a running build to finish; returns whether one was running.
    fn wait(&self, limit: Duration) -> bool {
        let guard = self.building.lock().unwrap_or_else(|e| e.into_inner());
        if !*guard {
            return false;
        }
        let _unused = self
            .done
            .wait_timeout_while(guard, limit, |building| *building)
            .unwrap_or_else(|e| e.into_inner());
        true
    }
}

/// What every request needs.
pub struct Shared {
    /// The output folder; it can change when course.yaml's `output` does.
    pub out_dir: RwLock<PathBuf>,
    pub hub: Hub,
    pub gate: BuildGate,
    connections: AtomicUsize,
}

impl Shared {
    pub fn new(out_dir: PathBuf) -> Shared {
        Shared {
            out_dir: RwLock::new(out_dir),
            hub: Hub::new(),
            gate: BuildGate::default(),
            connections: AtomicUsize::new(0),
        }
    }

    pub fn out_dir(&self) -> PathBuf {
        self.out_dir
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_out_dir(&self, dir: PathBuf) {
        *self.out_dir.write().unwrap_or_else(|e| e.into_inner()) = dir;
    }
}

/// Binds the loopback address only: the preview is for the author's own
/// machine and is never reachable from the network.
pub fn bind(port: u16) -> io::Result<TcpListener> {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
}

/// Accepts connections until the listener fails, each on its own thread.
pub fn serve(listener: TcpListener, shared: Arc<Shared>) {
    // The one port a browser on this machine names in `Host` (see `is_own_host`).
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if shared.connections.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
            let mut stream = stream;
            let _ = write_head(&mut stream, 503, "Service Unavailable", &[], 0);
            continue;
        }
        let worker = Arc::clone(&shared);
        let spawned = std::thread::Builder::new()
            .name("lectern-http".into())
            .spawn(move || {
                let _ = handle(stream, &worker, port);
                worker.connections.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // No thread took the connection (it is closed as the closure is
            // dropped), so its slot is given back here.
            shared.connections.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// The parts of a request the server looks at.
#[derive(Debug)]
struct Request {
    method: String,
    target: String,
    /// `Some(h)` for one `Host` header; `None` for none. Several are refused
    /// when the request is read.
    host: Option<String>,
    /// The minor version: 0 for HTTP/1.0, 1 for HTTP/1.1.
    version: u8,
}

fn handle(mut stream: TcpStream, shared: &Shared, port: u16) -> io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    let request = match read_request(&mut stream)? {
        Ok(r) => r,
        Err((status, reason)) => {
            plain(&mut stream, status, reason, false)?;
            return drain_and_close(stream);
        }
    };
    let head_only = request.method == "HEAD";
    if request.method != "GET" && !head_only {
        let body = b"only GET and HEAD are served\n";
        write_head(
            &mut stream,
            405,
            "Method Not Allowed",
            &[
                ("Allow", "GET, HEAD"),
                ("Content-Type", "text/plain; charset=utf-8"),
            ],
            body.len(),
        )?;
        return stream.write_all(body);
    }
    match (&request.host, request.version) {
        // HTTP/1.1 requires `Host`; HTTP/1.0 had none.
        (None, 0) => {}
        (None, _) => return plain(&mut stream, 400, "Bad Request", head_only),
        (Some(host), _) if is_own_host(host, port) => {}
        // A page of another site that resolves its own name to 127.0.0.1
        // (DNS rebinding) sends its own name here: it must not read the
        // preview.
        (Some(_), _) => return plain(&mut stream, 403, "Forbidden", head_only),
    }
    let path_only = request.target.split('?').next().unwrap_or_default();
    if path_only == EVENTS_PATH {
        return events(stream, shared, head_only);
    }
    let out_dir = shared.out_dir();
    let mut target = resolve(&out_dir, &request.target);
    if target == Target::NotFound && shared.gate.wait(Duration::from_secs(30)) {
        target = resolve(&out_dir, &request.target);
    }
    match target {
        Target::File(path) => send_file(&mut stream, &path, 200, "OK", head_only),
        Target::Redirect(location) => write_head(
            &mut stream,
            301,
            "Moved Permanently",
            &[("Location", &location)],
            0,
        ),
        Target::NotFound => not_found(&mut stream, &out_dir, head_only),
    }
}

/// Reads the request head. The outer error is the connection's; the inner
/// one a malformed request to answer with its status.
fn read_request(stream: &mut TcpStream) -> io::Result<Result<Request, (u16, &'static str)>> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut parsed = httparse::Request::new(&mut headers);
        match parsed.parse(&buf) {
            Ok(httparse::Status::Complete(_)) => {
                let target = parsed.path.unwrap_or_default();
                if target.len() > MAX_TARGET {
                    return Ok(Err(URI_TOO_LONG));
                }
                let mut hosts = parsed
                    .headers
                    .iter()
                    .filter(|h| h.name.eq_ignore_ascii_case("host"));
                let host = hosts
                    .next()
                    .map(|h| String::from_utf8_lossy(h.value).into_owned());
                if hosts.next().is_some() {
                    return Ok(Err((400, "Bad Request")));
                }
                return Ok(Ok(Request {
                    method: parsed.method.unwrap_or_default().to_string(),
                    target: target.to_string(),
                    host,
                    version: parsed.version.unwrap_or(1),
                }));
            }
            // The request line alone is too long: its target is.
            _ if request_line_too_long(&buf) => return Ok(Err(URI_TOO_LONG)),
            Ok(httparse::Status::Partial) if buf.len() < MAX_HEAD => continue,
            Ok(httparse::Status::Partial) | Err(httparse::Error::TooManyHeaders) => {
                return Ok(Err(HEADERS_TOO_LARGE))
            }
            Err(_) => return Ok(Err((400, "Bad Request"))),
        }
    }
}

const URI_TOO_LONG: (u16, &str) = (414, "URI Too Long");
const HEADERS_TOO_LARGE: (u16, &str) = (431, "Request Header Fields Too Large");

/// Whether the request line (up to its line end, or all that came so far)
/// is longer than a request line with the longest accepted target.
fn request_line_too_long(buf: &[u8]) -> bool {
    // `GET ` + target + ` HTTP/1.1`, with room for a longer method.
    const LIMIT: usize = MAX_TARGET + 32;
    let line = buf.iter().position(|&b| b == b'\n').unwrap_or(buf.len());
    line > LIMIT
}

/// Whether `Host` names the loopback address and the port this server
/// bound, as a browser on this machine sends it. Any other name, even one
/// that resolves to 127.0.0.1, is a page of another site (DNS rebinding).
fn is_own_host(host: &str, port: u16) -> bool {
    let host = host.trim();
    let (name, given_port) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((name, "")) => (name, None),
            Some((name, tail)) => match tail.strip_prefix(':') {
                Some(p) => (name, Some(p)),
                None => return false,
            },
            None => return false,
        },
        None => match host.split_once(':') {
            Some((name, p)) => (name, Some(p)),
            None => (host, None),
        },
    };
    let port_matches = match given_port {
        Some(p) => p.parse::<u16>().ok() == Some(port) && !p.starts_with('+'),
        // No port: the scheme's own, 80.
        None => port == 80,
    };
    let name = name.to_ascii_lowercase();
    port_matches && matches!(name.as_str(), "127.0.0.1" | "localhost" | "::1")
}

/// After an error answer: says the answer is complete (FIN), reads what is
/// left of the request for a moment, then closes. Closing with unread bytes
/// would reset the connection, and the client could lose the answer.
fn drain_and_close(mut stream: TcpStream) -> io::Result<()> {
    stream.shutdown(std::net::Shutdown::Write)?;
    stream.set_read_timeout(Some(Duration::from_millis(100)))?;
    let started = std::time::Instant::now();
    let mut drained = 0;
    let mut chunk = [0u8; 8192];
    while started.elapsed() < DRAIN_FOR && drained < DRAIN_BYTES {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
    Ok(())
}

fn write_head(
    stream: &mut TcpStream,
    status: u16,
    reason: &str,
    headers: &[(&str, &str)],
    length: usize,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {length}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n"
    ));
    stream.write_all(head.as_bytes())
}

fn plain(stream: &mut TcpStream, status: u16, reason: &str, head_only: bool) -> io::Result<()> {
    let body = format!("{status} {reason}\n");
    write_head(
        stream,
        status,
        reason,
        &[("Content-Type", "text/plain; charset=utf-8")],
        body.len(),
    )?;
    if !head_only {
        stream.write_all(body.as_bytes())?;
    }
    Ok(())
}

/// Sends a file; HTML gets the live-reload script. HEAD gets the same
/// headers (the length included) and no body.
fn send_file(
    stream: &mut TcpStream,
    path: &Path,
    status: u16,
    reason: &str,
    head_only: bool,
) -> io::Result<()> {
    let kind = content_type(path);
    if is_html(path) {
        let html = match std::fs::read(path) {
            Ok(b) => reload::inject(&b),
            Err(_) => return plain(stream, 404, "Not Found", head_only),
        };
        write_head(
            stream,
            status,
            reason,
            &[("Content-Type", kind)],
            html.len(),
        )?;
        if !head_only {
            stream.write_all(&html)?;
        }
        return Ok(());
    }
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(_) => return plain(stream, 404, "Not Found", head_only),
    };
    let length = file.metadata().map(|m| m.len()).unwrap_or(0) as usize;
    write_head(stream, status, reason, &[("Content-Type", kind)], length)?;
    if !head_only {
        io::copy(&mut (&mut file).take(length as u64), stream)?;
    }
    Ok(())
}

/// The theme's 404 page (built as 404.html at the root), or a plain line.
fn not_found(stream: &mut TcpStream, out_dir: &Path, head_only: bool) -> io::Result<()> {
    match resolve(out_dir, "/404.html") {
        Target::File(page) => send_file(stream, &page, 404, "Not Found", head_only),
        _ => plain(stream, 404, "Not Found", head_only),
    }
}

/// The live-reload stream: stays open, one event per build.
fn events(mut stream: TcpStream, shared: &Shared, head_only: bool) -> io::Result<()> {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nX-Accel-Buffering: no\r\nConnection: close\r\n\r\n";
    stream.write_all(head.as_bytes())?;
    if head_only {
        return Ok(());
    }
    stream.set_nodelay(true)?;
    let receiver = shared.hub.subscribe();
    loop {
        let message = match receiver.recv_timeout(KEEP_ALIVE_EVERY) {
            Ok(m) => m,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => KEEP_ALIVE.to_string(),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        };
        // A write error means the page was closed or reloaded: done.
        stream.write_all(message.as_bytes())?;
        stream.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_host_names() {
        for ok in [
            "127.0.0.1:3000",
            "localhost:3000",
            "LOCALHOST:3000",
            "[::1]:3000",
        ] {
            assert!(is_own_host(ok, 3000), "{ok}");
        }
        assert!(is_own_host("localhost", 80));
        for bad in [
            "127.0.0.1:3001",
            "localhost",
            "127.0.0.1",
            "course.localhost:3000",
            "evil.example:3000",
            "127.0.0.1.evil.example:3000",
            "localhost:3000.evil.example",
            "localhost:+3000",
            "[::1]3000",
            "[::1",
            "0.0.0.0:3000",
            "",
        ] {
            assert!(!is_own_host(bad, 3000), "{bad}");
        }
    }

    #[test]
    fn long_request_lines() {
        let long = format!("GET /{} HTTP/1.1\r\n", "a".repeat(MAX_TARGET + 100));
        assert!(request_line_too_long(long.as_bytes()));
        assert!(request_line_too_long(&long.as_bytes()[..MAX_TARGET + 40]));
        assert!(!request_line_too_long(b"GET / HTTP/1.1\r\nHost: x\r\n"));
        let big_header = format!("GET / HTTP/1.1\r\nX: {}", "a".repeat(MAX_HEAD));
        assert!(!request_line_too_long(big_header.as_bytes()));
    }
}
