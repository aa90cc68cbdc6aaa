#!/usr/bin/env python3
"""Writes bench/RESULTS.md (to stdout) from the raw results of bench/run.sh.

Usage: report.py bench/out/results > bench/RESULTS.md

Reads results/N/hyperfine.json, results/N/<tool>.time (GNU time -v),
results/N/<tool>.bytes|.files, results/versions.txt and the corpus'
stats.json; appends bench/profile.md (hand-written profiling notes) if present.
"""

import datetime
import json
import os
import platform
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = ["lectern", "lectern-nosearch", "mdbook", "hugo", "floor"]
LABEL = {
    "lectern": "lectern (search on)",
    "lectern-nosearch": "lectern (search off)",
    "mdbook": "mdBook",
    "hugo": "Hugo",
    "floor": "floor",
}
# Targets of issue 2, at 1,000 and 10,000 pages, highlighting on.
TARGETS = [("mdbook", 0.5, "≤ 0.5× mdBook"), ("hugo", 0.33, "≤ 0.33× Hugo"), ("floor", 1.3, "≤ 1.3× floor")]
MEMORY_LIMIT = 1024 ** 3


def read(path, default=""):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return default


def machine():
    cpu = re.search(r"^model name\s*:\s*(.*)$", read("/proc/cpuinfo"), re.M)
    mem = re.search(r"^MemTotal:\s*(\d+) kB", read("/proc/meminfo"), re.M)
    osr = re.search(r'^PRETTY_NAME="?(.*?)"?$', read("/etc/os-release"), re.M)
    return [
        ("cores (nproc)", str(os.cpu_count())),
        ("CPU", cpu.group(1) if cpu else "?"),
        ("memory", f"{int(mem.group(1)) / 1024 / 1024:.1f} GiB" if mem else "?"),
        ("OS", osr.group(1) if osr else "?"),
        ("kernel", platform.release()),
    ]


def gnu_time(path):
    text = read(path)
    out = {}
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        out["rss"] = int(m.group(1)) * 1024
    m = re.search(r"User time \(seconds\): ([\d.]+)", text)
    if m:
        out["user"] = float(m.group(1))
    m = re.search(r"System time \(seconds\): ([\d.]+)", text)
    if m:
        out["sys"] = float(m.group(1))
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text)
    if m:
        out["wall"] = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    m = re.search(r"Command terminated by signal (\d+)", text)
    if m:
        out["signal"] = int(m.group(1))
    m = re.search(r"Exit status: (\d+)", text)
    if m:
        out["exit"] = int(m.group(1))
    return out


def load(results, n):
    d = os.path.join(results, n)
    rows = {}
    for t in TOOLS:
        hf = json.loads(read(os.path.join(d, f"{t}.json"), "{}") or "{}")
        for r in hf.get("results", []):
            rows[t] = {
                "mean": r["mean"],
                "stddev": r.get("stddev") or 0.0,  # null for a single run
                "min": r["min"],
                "max": r["max"],
                "runs": len(r.get("times", [])),
                "cpu": r["user"] + r["system"],
            }
        if t not in rows and os.path.exists(os.path.join(d, f"{t}.failed")):
            rows[t] = {
                "failed": [x for x in read(os.path.join(d, f"{t}.failed")).strip().splitlines()
                           if "backtrace" not in x and "Exit status" not in x]
                or read(os.path.join(d, f"{t}.hyperfine.txt")).strip().splitlines()[-1:],
                "time": gnu_time(os.path.join(d, f"{t}.time")),
            }
    for t in TOOLS:
        if t in rows:
            rows[t]["load"] = read(os.path.join(d, f"{t}.load")).strip()
        if t not in rows or "failed" in rows[t]:
            continue
        rows[t].update({"time": gnu_time(os.path.join(d, f"{t}.time"))})
        rows[t]["bytes"] = int(read(os.path.join(d, f"{t}.bytes"), "0").strip() or 0)
        rows[t]["files"] = int(read(os.path.join(d, f"{t}.files"), "0").strip() or 0)
    loads = (read(os.path.join(d, "load-before")).split()[:3], read(os.path.join(d, "load-after")).split()[:3])
    return rows, loads


def fmt_s(x):
    return f"{x:.3f}" if x < 10 else f"{x:.2f}"


def size_key(n):
    """Code corpora first, then prose, each by page count."""
    return (n.startswith("prose-"), int(n.split("-")[-1]))


def size_label(n):
    """`1,000` for the code corpus, `1,000 (prose)` for the prose one."""
    pages = f"{int(n.split('-')[-1]):,}"
    return f"{pages} (prose)" if n.startswith("prose-") else pages


def main():
    results = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "out", "results")
    sizes = sorted((d for d in os.listdir(results) if re.fullmatch(r"(prose-)?\d+", d)), key=size_key)
    p = print
    p("# lectern benchmark results")
    p()
    p(f"Written by `bench/run.sh` (through `bench/report.py`) on "
      f"{datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}. "
      "Rerun with `bash bench/run.sh` (all sizes) or `bash bench/run.sh 1000` (one size).")
    p()
    p("## Machine")
    p()
    p("| | |")
    p("|---|---|")
    for k, v in machine():
        p(f"| {k} | {v} |")
    p()
    p("## Versions")
    p()
    p("```")
    p(read(os.path.join(results, "versions.txt")).rstrip())
    p("```")
    p()
    p("## Corpus and method")
    p()
    p("`bench/gen_corpus.py N` writes one synthetic course (seeded, deterministic) three times: "
      "for lectern (`course.yaml` + `content/NN-chapter/{index.md, NN-section.md}`, no quizzes), "
      "for mdBook (`book.toml` + `src/SUMMARY.md`, default settings: search index, print page, "
      "client-side highlight.js) and for Hugo (`hugo.toml` + three minimal layouts of our own: "
      "`baseof`, `single` with a table of contents and previous/next, `list`; no site-wide sidebar, "
      "so unlike lectern and mdBook its pages do not list the whole site; build-time Chroma "
      "highlighting with CSS classes; taxonomies, RSS, sitemap and robots.txt disabled). "
      "Page bodies are byte-identical across the three; lectern and Hugo read a `title` front "
      "matter, mdBook takes titles from SUMMARY.md. Chapters = round(√N), pages 2–10 kB of Markdown, "
      "Chinese and English prose, lists, tables, quotes, and about a third of the bytes in fenced "
      "code blocks (rust, python, javascript, java, go, sql, bash, json, yaml, c, cpp, html, css).")
    p()
    p("| N | chapters | pages | Markdown | in code blocks |")
    p("|---|---|---|---|---|")
    for n in sizes:
        st = json.loads(read(os.path.join(HERE, "corpus", n, "stats.json"), "{}") or "{}")
        if st:
            p(f"| {size_label(n)} | {st['chapters']} | {st['pages']:,} | {st['bytes'] / 1e6:.1f} MB | "
              f"{100 * st['code_bytes'] / st['bytes']:.0f}% |")
    p()
    fs_kinds = sorted({read(os.path.join(results, n, "sites-fs"), "ext4 bench/out/sites").split()[0]
                       for n in sizes})
    p("Each tool builds into an empty folder (hyperfine `--prepare` deletes the previous output, "
      "so deleting it is not timed for anyone) on " + " / ".join(fs_kinds) + " (`tmpfs`: the "
      "sites are written to RAM, `/dev/shm`; on ext4 a file created soon after thousands were "
      "deleted costs a search past every recently deleted inode, so a tool's time would depend "
      "on what the runs before it deleted; see the profile below); `--warmup 1`, then 10 runs at N=100, 5 at 1,000, "
      "3 at 10,000, except lectern and mdBook at 10,000, which run once without warmup (mdBook "
      "takes about 17 minutes there; an earlier lectern ran out of memory). lectern runs under a 16 GiB address-space cap (`ulimit -v`) so that "
      "it fails instead of pushing the shared machine out of memory. *CPU* is hyperfine's mean "
      "user + system time. *Peak RSS* is GNU `/usr/bin/time -v`'s maximum resident set size "
      "(of the last timed run, or of one extra run). *Output* is `du -sb` of "
      "the built folder and its file count. The floor (`bench/floor`) reads the lectern corpus' "
      "Markdown files, drops front matter, parses with pulldown-cmark, highlights fenced code with "
      "syntect (classed spans; same crate versions and options as lectern) and writes one HTML "
      "file per page, in parallel with rayon: no templates, navigation, search or assets.")
    p()
    p("The machine is shared with other agents' compilers; the load average at the start and end "
      "of each size is recorded under its table. Numbers taken under load are noisier and slower for "
      "every tool alike, but ratios between tools measured minutes apart can drift. Tools can be "
      "re-measured one at a time (`TOOLS=...`), so the rows of one table may come from different "
      "sittings: the *load before* column gives the 1-minute load average when each row's "
      "measurement started, and *CPU / wall* near 1 for a parallel tool means it effectively "
      "had one core.")

    verdicts = []
    for n in sizes:
        rows, loads = load(results, n)
        if not rows:
            continue
        p()
        p(f"## N = {size_label(n)} pages")
        p()
        p("| tool | runs | wall mean ± σ (s) | min … max (s) | CPU user+sys (s) | CPU / wall | peak RSS (MiB) | output | load before |")
        p("|---|---|---|---|---|---|---|---|---|")
        for t in TOOLS:
            r = rows.get(t)
            if not r:
                continue
            if "failed" in r:
                tm = r["time"]
                if tm.get("wall"):
                    p(f"| {LABEL[t]} | 1 | **failed** after {fmt_s(tm['wall'])} | | "
                      f"{fmt_s(tm.get('user', 0) + tm.get('sys', 0))} (until failure) | "
                      f"{(tm.get('user', 0) + tm.get('sys', 0)) / tm['wall']:.2f} | "
                      f"≥ {tm.get('rss', 0) / 2**20:.0f} (at failure) | – | {r.get('load', '')} |")
                else:
                    p(f"| {LABEL[t]} | | **failed** | | | | | | |")
                continue
            rss = r["time"].get("rss")
            p(f"| {LABEL[t]} | {r['runs']} | {fmt_s(r['mean'])} ± {fmt_s(r['stddev'])} | {fmt_s(r['min'])} … {fmt_s(r['max'])} "
              f"| {fmt_s(r['cpu'])} | {r['cpu'] / r['mean']:.2f} | "
              f"{rss / 2**20:.0f} | {r['bytes'] / 1e6:.1f} MB, {r['files']:,} files | {r.get('load', '')} |")
        for t in TOOLS:
            r = rows.get(t)
            if r and "failed" in r:
                p()
                sig = r["time"].get("signal")
                p(f"{LABEL[t]} failed{f' (killed by signal {sig})' if sig else ''}: "
                  f"`{' / '.join(x.strip() for x in r['failed']) or 'no message'}`")
        p()
        p(f"Load average (1, 5, 15 min) before: {' '.join(loads[0])}; after: {' '.join(loads[1])}.")
        p()
        p("| ratio to | lectern wall (search on) | lectern wall (search off) | lectern CPU (search on) | floor's own wall | target for lectern's wall |")
        p("|---|---|---|---|---|---|")
        ok_rows = {t: r for t, r in rows.items() if "failed" not in r}
        for other, limit, label in TARGETS:
            if other not in ok_rows:
                continue
            cells = []
            for lec in ("lectern", "lectern-nosearch"):
                if lec in ok_rows:
                    ratio = ok_rows[lec]["mean"] / ok_rows[other]["mean"]
                    cells.append(f"{ratio:.2f}×")
                    if lec == "lectern" and n.split("-")[-1] in ("1000", "10000"):
                        cpu_ratio = ok_rows[lec]["cpu"] / ok_rows[other]["cpu"]
                        busy = [t for t in (lec, other) if ok_rows[t]["cpu"] / ok_rows[t]["mean"] < 1.5 and t != "mdbook"]
                        note = (f"{cpu_ratio:.2f}×" + (f" (wall of {', '.join(LABEL[t] for t in busy)} taken at "
                                f"CPU/wall < 1.5: loaded machine, wall ratio unreliable)" if busy else ""))
                        verdicts.append((n, label, f"{ratio:.2f}×", ratio <= limit, note))
                else:
                    wall = rows.get(lec, {}).get("time", {}).get("wall")
                    cell = (f"> {wall / ok_rows[other]['mean']:.2f}× (failed after {wall:.0f} s)" if wall
                            else "failed" if lec in rows else "–")
                    cells.append(cell)
                    if lec == "lectern" and n.split("-")[-1] in ("1000", "10000"):
                        verdicts.append((n, label, cell, False, ""))
            fl = f"{ok_rows['floor']['mean'] / ok_rows[other]['mean']:.2f}×" if "floor" in ok_rows and other != "floor" else "–"
            if "lectern" in ok_rows:
                cpu = f"{ok_rows['lectern']['cpu'] / ok_rows[other]['cpu']:.2f}×"
            elif rows.get("lectern", {}).get("time", {}).get("user"):
                tm = rows["lectern"]["time"]
                cpu = f"> {(tm['user'] + tm['sys']) / ok_rows[other]['cpu']:.2f}×"
            else:
                cpu = "–"
            p(f"| {LABEL[other]} | {cells[0]} | {cells[1]} | {cpu} | {fl} | {label} |")
        if n.split("-")[-1] == "10000" and "lectern" in rows:
            rss = ok_rows.get("lectern", {}).get("time", {}).get("rss")
            if rss:
                verdicts.append((n, "peak memory < 1 GiB", f"{rss / 2**20:.0f} MiB", rss < MEMORY_LIMIT, ""))
            else:
                frss = rows["lectern"].get("time", {}).get("rss")
                verdicts.append((n, "peak memory < 1 GiB",
                                 f"> {frss / 2**20:.0f} MiB (out of memory at the address-space cap)" if frss else "failed",
                                 False, ""))

    p()
    p("## Targets (issue 2: at 1,000 and 10,000 pages, highlighting on; lectern with search on)")
    p()
    p("| N | target | lectern (wall ratio / memory) | met? | CPU-time ratio, for comparison |")
    p("|---|---|---|---|---|")
    for n, label, value, ok, note in verdicts:
        p(f"| {size_label(n)} | {label} | {value} | {'yes' if ok else '**no**'} | {note} |")
    prof = read(os.path.join(HERE, "profile.md"))
    if prof:
        p()
        p(prof.rstrip())


if __name__ == "__main__":
    main()
