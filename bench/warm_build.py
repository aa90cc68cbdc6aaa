#!/usr/bin/env python3
"""Warm `lectern build` against a cold one (issue 16's build cache target).

For each binary (interleaved A B A B, --rounds times) and each course given,
the course is copied to a tmpfs folder; then, per round:

  cold   `lectern build --no-cache` (the cache is neither read nor written)
  warm   one page's text changed (a sentence appended), then `lectern build`
         with the cache a build of the previous state filled

Each run's wall time and user + system CPU time are recorded (the process's
own, via os.wait4); the script prints one Markdown row per binary and course:
medians of cold and warm, and warm / cold. Output folders are on /dev/shm.

Usage:
  python3 bench/warm_build.py --binary A --binary B [--rounds 3] COURSE_ROOT [...]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time


def run(cmd):
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    return wall, usage.ru_utime + usage.ru_stime


def pages(root):
    found = []
    for d, _, files in os.walk(os.path.join(root, "content")):
        found += [os.path.join(d, f) for f in files if f.endswith(".md")]
    return sorted(found)


def name(course):
    """The corpus's name (bench/corpus/N/lectern is named N)."""
    parts = os.path.normpath(course).split(os.sep)
    return parts[-2] if parts[-1] == "lectern" and len(parts) > 1 else parts[-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("courses", nargs="+")
    ap.add_argument("--binary", action="append", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="warm-build-", dir="/dev/shm")
    results = {}
    try:
        for c, course in enumerate(args.courses):
            copies = {}
            for b in args.binary:
                copy = os.path.join(work, f"{c}-{len(copies)}")
                shutil.copytree(course, copy)
                shutil.rmtree(os.path.join(copy, ".lectern"), ignore_errors=True)
                copies[b] = copy
                # Fills the cache.
                run([b, "build", "--root", copy, "--out", copy + "-out"])
            for r in range(args.rounds):
                for b in args.binary:
                    copy = copies[b]
                    cold = run([b, "build", "--root", copy, "--out", copy + "-cold", "--no-cache"])
                    page = pages(copy)[len(pages(copy)) // 2]
                    with open(page, "a", encoding="utf-8") as f:
                        f.write(f"\n\n第 {r} 轮加上的一句话，用来改变这一页。\n")
                    warm = run([b, "build", "--root", copy, "--out", copy + "-out"])
                    results.setdefault((course, b), []).append((cold, warm))
        print("| course | binary | cold wall (s) | cold CPU (s) | warm wall (s) | warm CPU (s) | warm / cold (wall) |")
        print("|---|---|---|---|---|---|---|")
        for (course, b), runs in results.items():
            cw = statistics.median(c[0] for c, _ in runs)
            cc = statistics.median(c[1] for c, _ in runs)
            ww = statistics.median(w[0] for _, w in runs)
            wc = statistics.median(w[1] for _, w in runs)
            print(f"| {name(course)} | {b} | {cw:.2f} | {cc:.2f} | {ww:.2f} | {wc:.2f} | {ww / cw:.2f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
