//! The live-reload channel: open pages listen on a server-sent-events stream
//! and are told when a rebuild succeeded (reload) or failed (show the error).
//!
//! Server-sent events rather than a WebSocket: the browser side is one
//! `EventSource` that reconnects by itself, and the server side is a plain
//! HTTP response that stays open, with no handshake or framing to implement.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Mutex;

/// Where pages connect to hear about rebuilds. Nothing in a built site can
/// live there: the output never holds a folder starting with `__`.
pub const EVENTS_PATH: &str = "/__lectern/events";

/// The state of the last build, shared by every open page.
#[derive(Default)]
pub struct Hub {
    state: Mutex<HubState>,
}

#[derive(Default)]
struct HubState {
    clients: Vec<Sender<String>>,
    /// Counts successful builds, so a page that reconnects after missing an
    /// event can tell that the site changed under it.
    generation: u64,
    /// HTML-escaped diagnostics of the failed build, while the course is broken.
    error: Option<String>,
}

impl Hub {
    pub fn new() -> Hub {
        Hub::default()
    }

    /// A new listener: it first hears the current generation and, if the last
    /// build failed, its error; then every later event.
    pub fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        let mut state = self.lock();
        let _ = tx.send(frame("hello", &state.generation.to_string()));
        if let Some(error) = &state.error {
            let _ = tx.send(frame("build-error", error));
        }
        state.clients.push(tx);
        rx
    }

    /// A build succeeded: every page reloads (which also clears an error overlay).
    pub fn built(&self) {
        let mut state = self.lock();
        state.generation += 1;
        state.error = None;
        let event = frame("reload", &state.generation.to_string());
        broadcast(&mut state.clients, &event);
    }

    /// The print documents, made after the reload (see `Preview::write_print`),
    /// were written: open print pages reload again, other pages need not.
    pub fn print_written(&self) {
        let mut state = self.lock();
        let event = frame("reload-print", &state.generation.to_string());
        broadcast(&mut state.clients, &event);
    }

    /// A build failed: pages keep what they show and overlay the error.
    /// `diagnostics` is plain text; it is escaped here.
    pub fn failed(&self, diagnostics: &str) {
        let mut state = self.lock();
        let escaped = escape_html(diagnostics);
        let event = frame("build-error", &escaped);
        state.error = Some(escaped);
        broadcast(&mut state.clients, &event);
    }

    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Whether the last build failed.
    pub fn has_error(&self) -> bool {
        self.lock().error.is_some()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HubState> {
        // A panic while holding the lock cannot leave the state half-updated
        // in a way that matters here, so a poisoned lock is still used.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Sends to every listener, forgetting those whose page has gone.
fn broadcast(clients: &mut Vec<Sender<String>>, event: &str) {
    clients.retain(|c| c.send(event.to_string()).is_ok());
}

/// One server-sent event. Each line of `data` needs its own `data:` field;
/// the browser joins them with `\n`.
pub fn frame(event: &str, data: &str) -> String {
    let mut out = format!("event: {event}\n");
    for line in data.split('\n') {
        out.push_str("data: ");
        out.push_str(line.strip_suffix('\r').unwrap_or(line));
        out.push('\n');
    }
    out.push('\n');
    out
}

/// A comment line that keeps an idle stream open through proxies and lets
/// the server notice a closed page.
pub const KEEP_ALIVE: &str = ": keep-alive\n\n";

/// Text made safe inside HTML (the one escaper the Markdown renderer uses).
pub fn escape_html(text: &str) -> String {
    crate::markdown::highlight::escape(text)
}

/// The script added to every HTML page while serving (never to the files on
/// disk). It reloads the page after a successful rebuild and shows a failed
/// build's diagnostics over the page, which still shows the last good build.
/// The diagnostics arrive HTML-escaped, so inserting them as HTML is safe.
pub const CLIENT_SCRIPT: &str = r#"<script id="lectern-live-reload">
(function () {
  if (!window.EventSource) return;
  var seen = null, box = null;
  function show(html) {
    if (!box) {
      box = document.createElement('div');
      box.id = 'lectern-build-error';
      box.setAttribute('role', 'alert');
      box.style.cssText = 'position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:2147483647;' +
        'margin:0;padding:12px 16px;background:#fff4f4;color:#3b0000;border-top:4px solid #c00;' +
        'font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 -4px 16px rgba(0,0,0,.2)';
      document.body.appendChild(box);
    }
    box.innerHTML = '<button type="button" aria-label="close" style="float:right;font:inherit;cursor:pointer">×</button>' +
      '<strong>lectern: the last change does not build; the page shows the last good build.</strong>' +
      '<pre style="white-space:pre-wrap;margin:8px 0 0">' + html + '</pre>';
    box.querySelector('button').onclick = function () { box.remove(); box = null; };
  }
  var events = new EventSource('/__lectern/events');
  events.addEventListener('hello', function (e) {
    if (seen !== null && e.data !== seen) location.reload();
    seen = e.data;
  });
  events.addEventListener('reload', function () { location.reload(); });
  events.addEventListener('reload-print', function () {
    if (/^\/print(\.html$|\/)/.test(location.pathname)) location.reload();
  });
  events.addEventListener('build-error', function (e) { show(e.data); });
})();
</script>
"#;

/// `html` with the live-reload script added before `</body>` (or at the end).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let at = rfind_ascii_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + CLIENT_SCRIPT.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(CLIENT_SCRIPT.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len())
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_split_lines_into_data_fields() {
        assert_eq!(frame("reload", "3"), "event: reload\ndata: 3\n\n");
        assert_eq!(
            frame("build-error", "a\nb\r\n"),
            "event: build-error\ndata: a\ndata: b\ndata: \n\n"
        );
    }

    #[test]
    fn script_goes_before_the_last_body_end_tag() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></BODY></html>")).unwrap();
        assert!(out.starts_with("<html><body><p>x</p><script id=\"lectern-live-reload\">"));
        assert!(out.ends_with("</script>\n</BODY></html>"));
        let bare = String::from_utf8(inject(b"<p>fragment")).unwrap();
        assert!(bare.starts_with("<p>fragment<script"));
    }

    #[test]
    fn a_new_listener_hears_the_current_error_then_the_fix() {
        let hub = Hub::new();
        hub.failed("content/a.md:3: error: <b>bad</b> & worse");
        let rx = hub.subscribe();
        assert_eq!(rx.recv().unwrap(), "event: hello\ndata: 0\n\n");
        let error = rx.recv().unwrap();
        assert!(
            error.contains("&lt;b&gt;bad&lt;/b&gt; &amp; worse"),
            "{error}"
        );
        assert!(hub.has_error());
        hub.built();
        assert_eq!(rx.recv().unwrap(), "event: reload\ndata: 1\n\n");
        assert!(!hub.has_error());
        drop(rx);
        hub.built();
        assert!(hub.lock().clients.is_empty(), "a closed page is forgotten");
    }
}
