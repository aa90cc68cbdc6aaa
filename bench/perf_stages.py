#!/usr/bin/env python3
"""Splits a `perf record --call-graph` profile of a lectern build into stages.

Usage:
    perf record -F 1999 --call-graph fp -o perf.data LECTERN build --root DIR --out OUT
    perf script -i perf.data -F tid,time,ip,sym | python3 bench/perf_stages.py

Each sample is put in the first stage (in the order below) that one of the
frames of its stack belongs to. Prints, per stage, the share of CPU samples,
the CPU seconds they stand for, and the wall-clock span from the first to the
last sample of the stage (stages that run one after the other show how the
wall time divides). Build lectern with frame pointers and line tables for
useful stacks, without touching Cargo.toml:

    CARGO_PROFILE_RELEASE_DEBUG=line-tables-only RUSTFLAGS="-C force-frame-pointers=yes" \\
        cargo build --release --target-dir bench/out/prof-target
"""

import re
import sys
from collections import defaultdict

# (stage, substrings of a frame's symbol): the first stage with a matching
# frame anywhere in the stack wins (the list's order, not the stack's).
STAGES = [
    ("load: syntect highlighting (markdown::highlight::highlight)", ["markdown::highlight::highlight"]),
    ("load: Markdown → HTML, ids, TOC, plain text (markdown::render_with_ids, excl. highlighting)", ["markdown::render_with_ids"]),
    ("load: reading files, front matter, links, site model (content::load, rest)", ["content::load::", "lectern::yaml::"]),
    ("render: Renderer::context — serialising the whole nav into each page's tera Context", ["Renderer::context", "render::nav::"]),
    ("render: tera template execution (Renderer::render → Tera::render)", ["Renderer::render", "tera::tera::Tera::render"]),
    ("render: rest of render_job (other Context inserts, prev/next, clones)", ["render::pages::"]),
    ("search: plain-text docs from the site (search_docs::from_site)", ["search_docs::"]),
    ("search: tokenising, index build, shard writing (lectern::search)", ["lectern::search::", "SearchDoc"]),
    ("output: writing files (output::Staging::write_all / write_one)", ["write_all", "write_one"]),
    ("output: swap into place (Staging::commit)", ["commit"]),
    ("drop: freeing the in-memory site and files (drop_in_place)", ["drop_in_place"]),
    ("rayon: idle workers waiting / stealing", ["rayon_core::registry::WorkerThread::wait_until_cold"]),
    ("syntax set load (syntect::dumps::from_reader)", ["syntect::dumps"]),
    ("process start / exit, other", [""]),
]

HEADER = re.compile(r"^\s*(\d+)\s+([\d.]+):")


def samples(lines):
    tid = time = None
    frames = []
    for line in lines:
        m = HEADER.match(line)
        if m:
            if tid is not None:
                yield tid, time, frames
            tid, time, frames = int(m.group(1)), float(m.group(2)), []
        elif line.strip():
            parts = line.strip().split(None, 1)
            frames.append(parts[1] if len(parts) > 1 else "")
    if tid is not None:
        yield tid, time, frames


def classify(frames):
    for name, needles in STAGES:
        for needle in needles:
            if not needle or any(needle in f for f in frames):
                return name
    return STAGES[-1][0]


def main():
    count = defaultdict(int)
    first = {}
    last = {}
    total = 0
    t0 = t1 = None
    freq = None
    for tid, t, frames in samples(sys.stdin):
        stage = classify(frames)
        count[stage] += 1
        first.setdefault(stage, t)
        last[stage] = t
        total += 1
        t0 = t if t0 is None else min(t0, t)
        t1 = t if t1 is None else max(t1, t)
    if not total:
        sys.exit("no samples")
    freq = float(sys.argv[1]) if len(sys.argv) > 1 else 1999.0
    print(f"{total} samples at {freq:.0f} Hz ≈ {total / freq:.2f} CPU s; wall span {t1 - t0:.2f} s")
    print()
    print("| stage | CPU share | CPU s | wall span (s from start) |")
    print("|---|---|---|---|")
    for name, _ in STAGES:
        c = count.get(name, 0)
        if not c:
            continue
        print(f"| {name} | {100 * c / total:.1f}% | {c / freq:.2f} | {first[name] - t0:.2f} – {last[name] - t0:.2f} |")


if __name__ == "__main__":
    main()
