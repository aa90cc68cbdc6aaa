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
/// Largest request head accepted.
const MAX_HEAD: usize = 16 * 1024;
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
                let _ = handle(stream, &worker);
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
    host: Option<String>,
}

fn handle(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    let request = match read_request(&mut stream)? {
        Ok(r) => r,
        Err((status, reason)) => return plain(&mut stream, status, reason, false),
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
    if !is_local_host(request.host.as_deref()) {
        // A page of another site that resolves its own name to 127.0.0.1
        // (DNS rebinding) must not read the preview.
        return plain(&mut stream, 403, "Forbidden", head_only);
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
                let host = parsed
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("host"))
                    .map(|h| String::from_utf8_lossy(h.value).into_owned());
                return Ok(Ok(Request {
                    method: parsed.method.unwrap_or_default().to_string(),
                    target: parsed.path.unwrap_or_default().to_string(),
                    host,
                }));
            }
            Ok(httparse::Status::Partial) if buf.len() < MAX_HEAD => continue,
            Ok(httparse::Status::Partial) => {
                return Ok(Err((431, "Request Header Fields Too Large")))
            }
            Err(_) => return Ok(Err((400, "Bad Request"))),
        }
    }
}

/// Whether the `Host` header names this machine (a request without one, as
/// HTTP/1.0 allows, is local by construction of the bind address).
fn is_local_host(host: Option<&str>) -> bool {
    let Some(host) = host else { return true };
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        host.rsplit_once(':').map(|(n, _)| n).unwrap_or(host)
    };
    matches!(
        name.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "::1"
    ) || name.ends_with(".localhost")
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
    fn local_host_names() {
        assert!(is_local_host(None));
        assert!(is_local_host(Some("127.0.0.1:3000")));
        assert!(is_local_host(Some("localhost:3000")));
        assert!(is_local_host(Some("LOCALHOST")));
        assert!(is_local_host(Some("[::1]:3000")));
        assert!(is_local_host(Some("course.localhost:3000")));
        assert!(!is_local_host(Some("evil.example:3000")));
        assert!(!is_local_host(Some("127.0.0.1.evil.example")));
    }
}
