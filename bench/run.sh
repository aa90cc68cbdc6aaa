#!/usr/bin/env bash
# The lectern benchmark: builds the same generated course with lectern,
# mdBook, Hugo and the floor program (bench/floor), times them with hyperfine,
# measures peak memory and CPU time with /usr/bin/time -v, and writes
# bench/RESULTS.md.
#
#   bench/run.sh                 N = 100, 1000 and 10000
#   bench/run.sh 100 1000        only these sizes (RESULTS.md keeps the others' last results)
#
# Raw results go to bench/out/results/N/ (hyperfine JSON, time -v output);
# built sites to bench/out/sites/N/. Both folders are ignored by git.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
OUT="$BENCH/out"
CORPUS="$BENCH/corpus"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100 1000 10000)

log() { printf '\n== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools
export PATH="$HOME/.cargo/bin:$PATH"
missing=()
command -v hugo >/dev/null || missing+=(hugo)
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
if ! command -v mdbook >/dev/null; then
    log "installing mdbook (cargo install, a few minutes)"
    cargo install mdbook --locked
fi

# --------------------------------------------------------------- builds
log "building lectern (release)"
(cd "$ROOT" && cargo build --release --quiet)
LECTERN="$ROOT/target/release/lectern"

log "building the floor (release)"
cargo build --release --quiet --manifest-path "$BENCH/floor/Cargo.toml" --target-dir "$OUT/floor-target"
FLOOR="$OUT/floor-target/release/lectern-bench-floor"

# --------------------------------------------------------------- corpora
for n in "${SIZES[@]}"; do
    if [ ! -f "$CORPUS/$n/stats.json" ] || [ "$BENCH/gen_corpus.py" -nt "$CORPUS/$n/stats.json" ]; then
        log "generating the $n-page corpus"
        python3 "$BENCH/gen_corpus.py" "$n" --out "$CORPUS"
    fi
done

# ---------------------------------------------------------- measurements
runs_for() {
    case "$1" in
        100) echo 10 ;;
        1000) echo 5 ;;
        *) echo 3 ;;
    esac
}

for n in "${SIZES[@]}"; do
    C="$CORPUS/$n"
    R="$OUT/results/$n"
    S="$OUT/sites/$n"
    rm -rf "$R" "$S"
    mkdir -p "$R" "$S"
    # name | command (every tool writes into an empty folder: the prepare step removes it)
    names=(lectern lectern-nosearch mdbook hugo floor)
    cmds=(
        "$LECTERN build --root $C/lectern --out $S/lectern"
        "$LECTERN build --root $C/lectern-nosearch --out $S/lectern-nosearch"
        "mdbook build $C/mdbook -d $S/mdbook"
        "hugo --quiet -s $C/hugo -d $S/hugo"
        "$FLOOR $C/lectern/content $S/floor"
    )
    runs=$(runs_for "$n")
    log "N=$n: hyperfine, $runs runs each (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    cat /proc/loadavg > "$R/load-before"
    args=()
    for i in "${!names[@]}"; do
        args+=(--command-name "${names[$i]}" --prepare "rm -rf $S/${names[$i]} $C/hugo/public $C/hugo/resources" "${cmds[$i]}")
    done
    hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$R/hyperfine.json" "${args[@]}" \
        2>&1 | tee "$R/hyperfine.txt" >&2

    log "N=$n: peak memory and CPU time (/usr/bin/time -v, one run each)"
    for i in "${!names[@]}"; do
        rm -rf "$S/${names[$i]}" "$C/hugo/resources"
        # shellcheck disable=SC2086
        /usr/bin/time -v -o "$R/${names[$i]}.time" ${cmds[$i]} >/dev/null 2>"$R/${names[$i]}.stderr"
        du -sb "$S/${names[$i]}" | cut -f1 > "$R/${names[$i]}.bytes"
        find "$S/${names[$i]}" -type f | wc -l > "$R/${names[$i]}.files"
    done
    cat /proc/loadavg > "$R/load-after"
done

# -------------------------------------------------------------- versions
{
    echo "lectern: $("$LECTERN" --version) (commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo ?)$(git -C "$ROOT" diff --quiet HEAD -- src Cargo.toml 2>/dev/null || echo ', with uncommitted changes'))"
    echo "mdbook: $(mdbook --version)"
    echo "hugo: $(hugo version)"
    echo "floor: pulldown-cmark $(grep -A1 '^name = "pulldown-cmark"' "$BENCH/floor/Cargo.lock" | sed -n 's/version = "\(.*\)"/\1/p'), syntect $(grep -A1 '^name = "syntect"' "$BENCH/floor/Cargo.lock" | sed -n 's/version = "\(.*\)"/\1/p'), rayon $(grep -A1 '^name = "rayon"' "$BENCH/floor/Cargo.lock" | sed -n 's/version = "\(.*\)"/\1/p')"
    echo "hyperfine: $(hyperfine --version)"
    echo "rustc: $(rustc --version)"
    echo "python3: $(python3 --version 2>&1)"
} > "$OUT/results/versions.txt"

log "writing bench/RESULTS.md"
python3 "$BENCH/report.py" "$OUT/results" > "$BENCH/RESULTS.md"
echo "wrote $BENCH/RESULTS.md" >&2
