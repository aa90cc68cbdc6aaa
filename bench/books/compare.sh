#!/usr/bin/env bash
# lectern against mdBook on a real mdBook book, built unchanged.
#
#   bench/books/compare.sh BOOK_DIR [ROUNDS]     (default 10 rounds)
#
# Runs `lectern build` and `mdbook build` on the same book in alternation
# (A B A B …: this machine is shared and its speed drifts within minutes, so
# only interleaved runs compare), each writing to a fresh folder on tmpfs, and
# prints the median wall and CPU time of each and their ratios. The book is
# never modified: both tools write outside it. Fetched books are not
# committed; record the figures in bench/books/RESULTS.md.
set -euo pipefail

BOOK="$(cd "${1:?usage: compare.sh BOOK_DIR [ROUNDS]}" && pwd)"
ROUNDS="${2:-10}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LECTERN="${LECTERN_BIN:-$ROOT/target/release/lectern}"
export PATH="$HOME/.cargo/bin:$PATH"
command -v mdbook >/dev/null || { echo "mdbook is not installed: cargo install mdbook --locked" >&2; exit 2; }
[ -x "$LECTERN" ] || { echo "build lectern first: cargo build --release" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install -y time" >&2; exit 2; }

SITES="$(mktemp -d /dev/shm/book-compare.XXXXXX)"
trap 'rm -rf "$SITES"' EXIT
RAW="$SITES/raw.tsv"

# One timed build: appends "tool wall cpu maxrss_kb" to $RAW.
run() {
    local tool="$1" out="$SITES/$1"
    rm -rf "$out"
    local cmd
    case "$tool" in
        lectern) cmd=("$LECTERN" build --out "$out") ;;
        mdbook) cmd=(mdbook build --dest-dir "$out") ;;
    esac
    (cd "$BOOK" && /usr/bin/time -f "$tool %e %U %S %M" -o "$SITES/time" "${cmd[@]}" >/dev/null 2>&1)
    awk '{ printf "%s %s %.3f %s\n", $1, $2, $3 + $4, $5 }' "$SITES/time" >>"$RAW"
}

# One untimed warm-up each (file cache, first-run costs).
run lectern; run mdbook; : >"$RAW"
for _ in $(seq "$ROUNDS"); do run lectern; run mdbook; done

python3 - "$RAW" "$BOOK" "$ROUNDS" <<'PY'
import statistics, sys
raw, book, rounds = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [l.split() for l in open(raw)]
med = lambda tool, i: statistics.median(float(r[i]) for r in rows if r[0] == tool)
print(f"book: {book} ({rounds} interleaved rounds)")
print(f"{'tool':8} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}")
for tool in ("lectern", "mdbook"):
    print(f"{tool:8} {med(tool, 1):8.3f} {med(tool, 2):8.3f} {med(tool, 3) / 1024:8.1f}")
print(f"lectern / mdbook: wall {med('lectern', 1) / med('mdbook', 1):.2f}x, "
      f"cpu {med('lectern', 2) / med('mdbook', 2):.2f}x")
PY
