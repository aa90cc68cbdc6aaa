#!/usr/bin/env bash
# Reproduces bench/search/RESULTS.md: lectern's search vs Pagefind.
#
#   bench/search/run.sh [WORK_DIR]      (default /tmp/search-bench)
#
# Needs: target/release/lectern (cargo build --release), the generated corpus
# bench/corpus/10000/lectern (python3 bench/gen_corpus.py 10000), Debian's
# /usr/bin/chromium, playwright-core in the top-level node_modules, and this
# folder's own npm deps (pagefind; installed here with `npm ci` if missing).
# Peak memory: ~1.3 GB for the lectern build, ~5.8 GB for Pagefind's.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
WORK="${1:-/tmp/search-bench}"
BIN="$REPO/target/release/lectern"
CORPUS="$REPO/bench/corpus/10000/lectern"
mkdir -p "$WORK"
cd "$HERE"
[ -x node_modules/.bin/pagefind ] || npm ci --no-audit --no-fund
PAGEFIND="$HERE/node_modules/.bin/pagefind"

stamp() { echo "[$(date +%T)] load: $(cut -d' ' -f1-3 /proc/loadavg) — $*" | tee -a "$WORK/load.log"; }
timed() { # timed NAME CMD...: wall time and peak RSS into $WORK/NAME.time
  local name=$1; shift
  stamp "start $name"
  /usr/bin/time -v "$@" > "$WORK/$name.log" 2> "$WORK/$name.time"
  stamp "end $name: $(grep -E 'Elapsed' "$WORK/$name.time" | awk '{print $NF}') wall, $(grep -E 'Maximum resident' "$WORK/$name.time" | awk '{print $NF}') KB peak"
}

# 1. The 10,000-page corpus, with search and without (index cost = difference).
rm -rf "$WORK/site" "$WORK/site-off" "$WORK/root-off"
timed build-on "$BIN" build --root "$CORPUS" --out "$WORK/site"
mkdir -p "$WORK/root-off"
ln -s "$CORPUS/content" "$WORK/root-off/content"
sed 's/enabled: true/enabled: false/' "$CORPUS/course.yaml" > "$WORK/root-off/course.yaml"
grep -q 'enabled: false' "$WORK/root-off/course.yaml"
timed build-off "$BIN" build --root "$WORK/root-off" --out "$WORK/site-off"
tail -1 "$WORK/build-on.log"
echo "search/ bytes: $(du -sb "$WORK/site/search" | cut -f1)"

# 2. Pagefind on lectern's own output.
timed pagefind "$PAGEFIND" --site "$WORK/site" --output-subdir pagefind
echo "pagefind/ bytes: $(du -sb "$WORK/site/pagefind" | cut -f1)"

# 3. Latency and bytes per query, both tools.
stamp "start perf"
node "$HERE/bench.mjs" perf "$WORK/site" "$HERE/queries-10000.txt" > "$WORK/perf-10000.json"
stamp "end perf"

# 4. Relevance on the shipped course.
rm -rf "$WORK/course"
"$BIN" build --root "$REPO" --out "$WORK/course"
"$PAGEFIND" --site "$WORK/course" --output-subdir pagefind > "$WORK/pagefind-course.log"
stamp "start relevance"
node "$HERE/bench.mjs" relevance "$WORK/course" "$HERE/relevance.json" > "$WORK/relevance.json"
stamp "end relevance"

node "$HERE/summarize.mjs" "$WORK"
