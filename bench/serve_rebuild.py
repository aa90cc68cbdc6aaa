#!/usr/bin/env python3
"""Rebuild latency of `lectern serve` after a one-page edit.

For each course given, the script copies it to a temporary folder (the
sources are edited, never the originals), starts the release binary's
`lectern serve --port 0` on it, opens the live-reload stream the way a
browser's EventSource does, then edits one section N times (appending a
sentence, alternately adding and removing it, so every edit changes the
page). For every edit it records:

  saved -> reload   from the write of the file to the `reload` event on the
                    stream: what the author waits for (watcher debounce of
                    30 ms + rebuild + event)
  rebuild           the server's own "rebuilt in N ms" (render + write)
  search index      the server's "search index updated in N ms", which runs
                    after the reload, in the background

and prints one Markdown table row per course (median, p90, min, max).

Usage:
  cargo build --release
  python3 bench/serve_rebuild.py [--edits N] [--corpus SIZE ...] [COURSE_ROOT:PAGE ...]

Default courses: the shipped course (editing
content/01-understanding-customer-service/01-customers.md) and the
generated corpora named by --corpus (default 1000; bench/gen_corpus.py N
makes bench/corpus/N), editing the first section of the middle chapter.
Edits on a corpus are fewer (--corpus-edits), since each takes seconds.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
BINARY = os.path.join(REPO, "target", "release", "lectern")


def default_courses(sizes, kinds, shipped=True):
    courses = [(REPO, "content/01-understanding-customer-service/01-customers.md", "shipped course")] if shipped else []
    for n in sizes:
        for kind in kinds:
            name = str(n) if kind == "code" else f"{kind}-{n}"
            corpus = os.path.join(HERE, "corpus", name, "lectern")
            if not os.path.isdir(corpus):
                print(f"no {corpus}: run bench/gen_corpus.py {n} --kind {kind}", file=sys.stderr)
                continue
            chapters = sorted(os.listdir(os.path.join(corpus, "content")))
            chapter = chapters[len(chapters) // 2]
            pages = sorted(p for p in os.listdir(os.path.join(corpus, "content", chapter)) if p != "index.md")
            label = f"{n:,}-page corpus" if kind == "code" else f"{n:,}-page {kind} corpus"
            courses.append((corpus, f"content/{chapter}/{pages[0]}", label))
    return courses


def edited(original, i, what):
    """The page's text for edit number `i`: every edit changes the page."""
    if what == "title":
        # A title edit changes every page's navigation.
        return re.sub(r"^title: (.*)$", lambda m: f"title: {m.group(1)[:-1]} {i}\"" if m.group(1).endswith('"') else f"title: {m.group(1)} {i}", original, count=1, flags=re.M)
    return original + ("\n\nAn added sentence for the benchmark.\n" if i % 2 == 0 else "")


def copy_course(root, into):
    dest = os.path.join(into, "course")
    os.makedirs(dest)
    # Not themes/: at the repository's root that is the source of the theme
    # built into the binary, which may be mid-edit; the binary's own is used.
    for name in ("course.yaml", "content", "quizzes"):
        src = os.path.join(root, name)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(dest, name))
        elif os.path.isfile(src):
            shutil.copy(src, os.path.join(dest, name))
    return dest


class Events:
    """The live-reload stream, read on a thread; events land in a list."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        # The Host header names the port too: the server refuses any other host.
        self.sock.sendall(f"GET /__lectern/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        self.events = []
        self.cond = threading.Condition()
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        buf = b""
        while True:
            chunk = self.sock.recv(65536)
            if not chunk:
                return
            buf += chunk
            while b"\n\n" in buf:
                frame, buf = buf.split(b"\n\n", 1)
                name = None
                for line in frame.decode("utf-8", "replace").split("\n"):
                    if line.startswith("event: "):
                        name = line[7:]
                if name:
                    with self.cond:
                        self.events.append((time.perf_counter(), name))
                        self.cond.notify_all()

    def wait_for(self, name, after, timeout=120):
        deadline = time.perf_counter() + timeout
        with self.cond:
            while True:
                for t, n in self.events:
                    if n == name and t >= after:
                        return t
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError(name)
                self.cond.wait(left)


def measure(root, page, label, edits, what="body", binary=None):
    tmp = tempfile.mkdtemp(prefix="lectern-serve-bench-")
    proc = None
    try:
        course = copy_course(root, tmp)
        started = time.perf_counter()
        errors = open(os.path.join(tmp, "stderr.txt"), "w")
        proc = subprocess.Popen(
            [binary or BINARY, "serve", "--port", "0", "--root", course],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            bufsize=1,
        )
        lines = []
        port = None
        first_build = None
        while port is None:
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError("lectern serve stopped")
            m = re.search(r"built \d+ pages in (\d+) ms", line)
            if m:
                first_build = int(m.group(1))
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if m:
                port = int(m.group(1))
        threading.Thread(target=lambda: [lines.append(l) for l in proc.stdout], daemon=True).start()
        events = Events(port)
        events.wait_for("hello", 0)
        path = os.path.join(course, page)
        with open(path, encoding="utf-8") as f:
            original = f.read()
        end_to_end, rebuild, index = [], [], []
        for i in range(edits):
            text = edited(original, i, what)
            time.sleep(0.6)  # let the previous search-index write finish
            seen = len(lines)
            t0 = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            try:
                t1 = events.wait_for("reload", t0)
            except TimeoutError:
                with open(os.path.join(tmp, "stderr.txt")) as f:
                    sys.exit(f"no reload after edit {i}; server output:\n{''.join(lines)}\n{f.read()}\nevents: {events.events}")
            end_to_end.append((t1 - t0) * 1000)
            deadline = time.time() + 120
            while time.time() < deadline:
                got = [l for l in lines[seen:] if "rebuilt in" in l]
                idx = [l for l in lines[seen:] if "search index updated in" in l]
                if got and idx:
                    rebuild.append(int(re.search(r"rebuilt in (\d+) ms", got[0]).group(1)))
                    index.append(int(re.search(r"updated in (\d+) ms", idx[0]).group(1)))
                    break
                time.sleep(0.01)
        pages = sum(len([f for f in fs if f.endswith(".md")]) for _, _, fs in os.walk(os.path.join(course, "content")))
        return {
            "label": label,
            "pages": pages,
            "first": first_build,
            "end_to_end": end_to_end,
            "rebuild": rebuild,
            "index": index,
        }
    finally:
        # Whatever happened, the server started here stops here.
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def summary(values):
    if not values:
        return "–"
    values = sorted(values)
    p90 = values[min(len(values) - 1, int(round(0.9 * (len(values) - 1))))]
    return f"{statistics.median(values):.0f} (p90 {p90:.0f}, {values[0]:.0f}–{values[-1]:.0f})"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--corpus", type=int, action="append", help="corpus size to include (repeatable; default 1000)")
    parser.add_argument("--corpus-edits", type=int, default=5)
    parser.add_argument("--kind", action="append", choices=["code", "prose"],
                        help="corpus kind (repeatable; default both: bench/corpus/N and bench/corpus/prose-N)")
    parser.add_argument("--edit", choices=["body", "title"], default="body",
                        help="what each edit changes: a sentence of the body, or the page's title")
    parser.add_argument("--no-shipped", action="store_true", help="leave out the shipped course")
    parser.add_argument("--binary", action="append",
                        help="lectern binaries to compare (repeatable; runs interleaved A B A B); default target/release/lectern")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds per binary")
    parser.add_argument("courses", nargs="*", help="ROOT:PAGE (PAGE relative to ROOT)")
    args = parser.parse_args()
    if not os.path.exists(BINARY):
        sys.exit("build the release binary first: cargo build --release")
    courses = [
        (c.split(":", 1)[0], c.split(":", 1)[1], os.path.basename(c.split(":", 1)[0].rstrip("/")))
        for c in args.courses
    ] or default_courses(args.corpus or [1000], args.kind or ["code", "prose"], not args.no_shipped)
    binaries = args.binary or [BINARY]
    print(f"load average before: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    print(f"edit: {args.edit}", file=sys.stderr)
    print("| course | binary | pages | first build (ms) | saved → reload (ms) | rebuild (ms) | search index, in background (ms) |")
    print("|---|---|---|---|---|---|---|")
    for root, page, label in courses:
        edits = args.corpus_edits if "corpus" in label else args.edits
        for _ in range(args.rounds):
            for binary in binaries:
                r = measure(root, page, label, edits, args.edit, binary)
                print(
                    f"| {r['label']} | {os.path.basename(binary)} | {r['pages']:,} | {r['first']:,} | {summary(r['end_to_end'])} | {summary(r['rebuild'])} | {summary(r['index'])} |",
                    flush=True,
                )
    print(f"load average after: {os.getloadavg()[0]:.2f}", file=sys.stderr)


if __name__ == "__main__":
    main()
