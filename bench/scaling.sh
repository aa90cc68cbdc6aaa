#!/usr/bin/env bash
# How lectern's time, memory and output grow with the number of pages: one
# build per size under GNU time (no hyperfine), printed as a Markdown table.
# Uses the binary and corpora of bench/run.sh (run it first, or NO_BUILD=1
# with a binary in bench/out/bin/lectern).
#
#   bench/scaling.sh              N = 1000 2000 4000
#   bench/scaling.sh 500 1000     other sizes
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$BENCH/out"
LECTERN="$OUT/bin/lectern"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 2000 4000)
mkdir -p "$OUT/scaling"

echo "| pages | search | wall (s) | CPU user+sys (s) | peak RSS (MiB) | output (MB) | sidebar nav per page (kB) | nav share of page HTML |"
echo "|---|---|---|---|---|---|---|---|"
for n in "${SIZES[@]}"; do
    if [ ! -f "$BENCH/corpus/$n/stats.json" ]; then
        python3 "$BENCH/gen_corpus.py" "$n" --out "$BENCH/corpus" 2>/dev/null
    fi
    for variant in lectern-nosearch lectern; do
        site="$OUT/scaling/$n-$variant"
        rm -rf "$site"
        /usr/bin/time -v -o "$OUT/scaling/$n-$variant.time" \
            "$LECTERN" build --root "$BENCH/corpus/$n/$variant" --out "$site" >/dev/null 2>&1
        python3 - "$OUT/scaling/$n-$variant.time" "$site" "$n" "$variant" <<'EOF'
import os, re, sys
t = open(sys.argv[1]).read()
g = lambda p: re.search(p, t).group(1)
user, sys_, rss = float(g(r"User time \(seconds\): ([\d.]+)")), float(g(r"System time \(seconds\): ([\d.]+)")), int(g(r"Maximum resident set size \(kbytes\): (\d+)"))
m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", t)
wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
total = nav = pages = out = 0
for root, _, files in os.walk(sys.argv[2]):
    for f in files:
        p = os.path.join(root, f)
        out += os.path.getsize(p)
        if f.endswith(".html") and root != sys.argv[2]:
            h = open(p, encoding="utf-8").read()
            a = h.find('<nav id="site-nav"')
            if a >= 0:
                b = h.find("</nav>", a)
                nav += len(h[a:b].encode())
                total += len(h.encode())
                pages += 1
search = "on" if sys.argv[4] == "lectern" else "off"
print(f"| {int(sys.argv[3]):,} | {search} | {wall:.2f} | {user + sys_:.2f} | {rss / 1024:.0f} | {out / 1e6:.0f} | "
      f"{nav / max(pages, 1) / 1e3:.0f} | {100 * nav / max(total, 1):.0f}% |")
EOF
        rm -rf "$site"
    done
done
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
