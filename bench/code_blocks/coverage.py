#!/usr/bin/env python3
"""How many of the code blocks real Markdown names a language for come out
highlighted (issue 15).

The Markdown is what the local cargo home holds: the README, CHANGELOG and
docs/*.md files of every crate in ~/.cargo/registry/src. Every fenced block
whose info string is not empty is copied, fence and all, into a generated
course (pages of 200 blocks), each lectern binary given builds it, and each
block of the built pages is counted as highlighted when it carries a grammar's
classes (`hl-…`).

Usage: coverage.py [--registry DIR] [--work DIR] NAME=BINARY [NAME=BINARY …]
Prints a Markdown report (totals and the languages left plain) on stdout.
"""

import argparse
import collections
import glob
import os
import re
import shutil
import subprocess
import sys

# Names that say "this is plain text": lectern shows them plain on purpose.
PLAIN = {"text", "plain", "plaintext", "txt", "output", "none", "nohighlight",
         "no-highlight", "verbatim"}

FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")


def blocks_of(text):
    """(info, code) of each fenced block of a CommonMark text (top level and
    in list items or quotes alike: a fence may be indented by its container)."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].lstrip(" >") if lines[i].lstrip().startswith(">") else lines[i]
        stripped = line.lstrip(" ")
        m = FENCE.match(" " * min(3, len(line) - len(stripped)) + stripped)
        if not m or (m.group(2)[0] == "`" and "`" in m.group(3)):
            i += 1
            continue
        fence, info = m.group(2), m.group(3).strip()
        code = []
        i += 1
        while i < len(lines):
            body = lines[i].strip()
            if body.startswith(fence[0] * len(fence)) and body.strip(fence[0]) == "":
                break
            code.append(lines[i])
            i += 1
        i += 1
        yield info, "\n".join(code)


def first_word(info):
    return re.split(r"[\s,{]", info, maxsplit=1)[0]


def collect(registry):
    found = []
    for path in sorted(glob.glob(os.path.join(registry, "*", "*", "**", "*.md"), recursive=True)):
        if "/target/" in path or "/tests/" in path or "/fuzz/" in path:
            continue
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (UnicodeDecodeError, OSError):
            continue
        for info, code in blocks_of(text):
            if info:
                found.append((path, info, code))
    return found


def write_course(blocks, root):
    shutil.rmtree(root, ignore_errors=True)
    chapter = os.path.join(root, "content", "01-blocks")
    os.makedirs(chapter)
    with open(os.path.join(root, "course.yaml"), "w") as f:
        f.write("title: Code block coverage\nsearch:\n  enabled: false\n")
    with open(os.path.join(chapter, "index.md"), "w") as f:
        f.write("---\ntitle: Blocks\n---\n\nThe blocks.\n")
    per_page = 200
    for n in range(0, len(blocks), per_page):
        with open(os.path.join(chapter, f"{n // per_page + 1:03d}-p{n // per_page + 1:03d}.md"), "w") as f:
            f.write(f"---\ntitle: Page {n // per_page + 1}\n---\n\n")
            for _, info, code in blocks[n:n + per_page]:
                longest = max((len(r) for r in re.findall(r"`+", code)), default=0)
                fence = "`" * max(3, longest + 1)
                f.write(f"{fence}{info}\n{code}\n{fence}\n\n")
    return per_page


def highlighted(binary, root, out, count, per_page):
    shutil.rmtree(out, ignore_errors=True)
    run = subprocess.run([binary, "build", "--root", root, "--out", out],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{binary} failed:\n{run.stderr[-3000:]}")
    result = []
    pages = (count + per_page - 1) // per_page
    for p in range(1, pages + 1):
        with open(os.path.join(out, "blocks", f"p{p:03d}.html"), encoding="utf-8") as f:
            html = f.read()
        parts = html.split('<pre class="code')[1:]
        for part in parts:
            result.append("hl-" in part[:part.find("</pre>")])
    if len(result) != count:
        sys.exit(f"{binary}: {len(result)} blocks in the site, {count} written")
    warnings = run.stderr.count("is not highlighted")
    return result, warnings


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--registry", default=os.path.expanduser("~/.cargo/registry/src"))
    ap.add_argument("--work", default="/dev/shm/lectern-code-coverage")
    ap.add_argument("binaries", nargs="+", help="NAME=PATH")
    args = ap.parse_args()
    blocks = collect(args.registry)
    crates = {p.split(os.sep)[len(args.registry.rstrip(os.sep).split(os.sep)) + 1] for p, _, _ in blocks}
    root = os.path.join(args.work, "course")
    per_page = write_course(blocks, root)
    langs = [first_word(info).lower() for _, info, _ in blocks]
    named = [i for i, l in enumerate(langs) if l not in PLAIN]
    print(f"Blocks naming a language: {len(blocks)} fenced blocks with an info string "
          f"in the Markdown of {len(crates)} crates; {len(blocks) - len(named)} of them say "
          f"plain text ({', '.join(sorted(PLAIN & set(langs)))}), {len(named)} name a language.\n")
    print("| binary | highlighted | of | share | warnings (languages reported) |")
    print("|---|---|---|---|---|")
    left = {}
    for spec in args.binaries:
        name, binary = spec.split("=", 1)
        hl, warnings = highlighted(binary, root, os.path.join(args.work, "site-" + name), len(blocks), per_page)
        ok = sum(1 for i in named if hl[i])
        print(f"| {name} | {ok} | {len(named)} | {100 * ok / len(named):.1f} % | {warnings} |")
        left[name] = collections.Counter(langs[i] for i in named if not hl[i])
    for name, counter in left.items():
        print(f"\nLeft plain by `{name}` ({sum(counter.values())} blocks), by language: "
              + (", ".join(f"`{l}` {n}" for l, n in counter.most_common()) or "none"))


if __name__ == "__main__":
    main()
