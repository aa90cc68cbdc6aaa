#!/usr/bin/env bash
# The lectern benchmark: builds the same generated course with lectern,
# mdBook, Hugo and the floor program (bench/floor), times them with hyperfine
# and writes bench/RESULTS.md. Peak memory comes from GNU time wrapped
# around every timed run.
#
#   bench/run.sh                 N = 100, 1000 and 10000
#   bench/run.sh 100 1000        only these sizes (RESULTS.md keeps the others' last results)
#   bench/run.sh prose-1000      the real-prose corpus (gen_corpus.py --kind prose): mostly
#                                Chinese prose, about a tenth code; any size as prose-N
#
# At N >= 10000 lectern and mdBook run once, without warmup (LARGE_RUNS,
# LARGE_WARMUP); lectern always under an address-space cap (LECTERN_MEM_CAP_GB,
# default 16). RUNS=k overrides the number of runs of the others.
# TOOLS="lectern mdbook" measures only these (the others keep their last results).
# Raw results go to bench/out/results/N/ (hyperfine JSON, time -v output);
# built sites to /dev/shm/lectern-bench-sites/N/ (a tmpfs; see SITES below) or
# BENCH_SITES/N/. bench/out is ignored by git.
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
# A private copy of the binary: other builds may replace target/release/lectern
# mid-run. NO_BUILD=1 reuses the copy from the last run.
mkdir -p "$OUT/bin"
if [ "${NO_BUILD:-0}" != 1 ] || [ ! -x "$OUT/bin/lectern" ]; then
    log "building lectern (release)"
    (cd "$ROOT" && cargo build --release --quiet)
    cp "$ROOT/target/release/lectern" "$OUT/bin/lectern"
    git -C "$ROOT" rev-parse --short HEAD > "$OUT/bin/lectern.commit" 2>/dev/null || echo "?" > "$OUT/bin/lectern.commit"
    rm -f "$OUT/bin/lectern.dirty"
    git -C "$ROOT" diff --quiet HEAD -- src Cargo.toml Cargo.lock themes 2>/dev/null \
        || echo "with uncommitted changes in src/ or themes/" > "$OUT/bin/lectern.dirty"
fi
LECTERN="$OUT/bin/lectern"

log "building the floor (release)"
cargo build --release --quiet --manifest-path "$BENCH/floor/Cargo.toml" --target-dir "$OUT/floor-target"
FLOOR="$OUT/floor-target/release/lectern-bench-floor"

# --------------------------------------------------------------- corpora
# A size is N (the code corpus, bench/corpus/N) or prose-N (bench/corpus/prose-N).
pages_of() { echo "${1##*-}"; }
kind_of() { case "$1" in prose-*) echo prose ;; *) echo code ;; esac; }
for n in "${SIZES[@]}"; do
    if [ ! -f "$CORPUS/$n/stats.json" ] || [ "$BENCH/gen_corpus.py" -nt "$CORPUS/$n/stats.json" ]; then
        log "generating the $n-page corpus"
        python3 "$BENCH/gen_corpus.py" "$(pages_of "$n")" --kind "$(kind_of "$n")" --out "$CORPUS"
    fi
done

# ---------------------------------------------------------- measurements
runs_for() {
    case "$(pages_of "$1")" in
        100) echo 10 ;;
        1000) echo 5 ;;
        *) echo 3 ;;
    esac
}

# lectern holds the whole built site in memory before writing it, so at
# large N it can need far more than the 1 GiB target; cap its address space
# (GiB; 0 = no cap) so a runaway build fails instead of pushing the shared
# machine out of memory. A capped-out run is recorded as failed.
LECTERN_MEM_CAP_GB="${LECTERN_MEM_CAP_GB:-16}"
cap() {
    if [ "$LECTERN_MEM_CAP_GB" -gt 0 ]; then
        echo "ulimit -v $((LECTERN_MEM_CAP_GB * 1024 * 1024)) && exec $*"
    else
        echo "$*"
    fi
}

# Where the tools write their sites: a RAM-backed tmpfs when there is one.
# On ext4, creating a file soon after thousands were deleted (the prepare step
# deletes the last output before every run) makes the kernel step over every
# recently deleted inode of the block group, for minutes: a tool's time then
# depends on how many files the runs before it deleted, and in one run up to a
# sixth of lectern's CPU samples were in that search (bench/profile.md).
# BENCH_SITES=DIR writes elsewhere (e.g. bench/out/sites, the old place).
if [ -n "${BENCH_SITES:-}" ]; then
    SITES="$BENCH_SITES"
elif [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ]; then
    SITES=/dev/shm/lectern-bench-sites
else
    SITES="$OUT/sites"
fi

for n in "${SIZES[@]}"; do
    C="$CORPUS/$n"
    R="$OUT/results/$n"
    S="$SITES/$n"
    mkdir -p "$R" "$S"
    echo "$(stat -f -c %T "$S") $S" > "$R/sites-fs"
    names=(lectern lectern-nosearch mdbook hugo floor)
    cmds=(
        "$(cap "$LECTERN" build --no-cache --root "$C/lectern" --out "$S/lectern")"
        "$(cap "$LECTERN" build --no-cache --root "$C/lectern-nosearch" --out "$S/lectern-nosearch")"
        "mdbook build $C/mdbook -d $S/mdbook"
        "hugo --quiet -s $C/hugo -d $S/hugo"
        "$FLOOR $C/lectern/content $S/floor"
    )
    runs="${RUNS:-$(runs_for "$n")}"
    cat /proc/loadavg > "$R/load-before"
    for i in "${!names[@]}"; do
        name="${names[$i]}"
        case " ${TOOLS:-${names[*]}} " in *" $name "*) ;; *) continue ;; esac
        rm -rf "$S/$name" "$R/$name".*
        warm=1 r="$runs"
        # At 10,000 pages lectern and mdBook take many minutes a build
        # (both grow faster than the page count): time them once.
        case "$name" in lectern*|mdbook)
            if [ "$(pages_of "$n")" -ge 10000 ]; then warm="${LARGE_WARMUP:-0}" r="${LARGE_RUNS:-1}"; fi ;;
        esac
        log "N=$n $name: hyperfine, warmup $warm + $r runs (load: $(cut -d' ' -f1-3 /proc/loadavg))"
        cut -d' ' -f1 /proc/loadavg > "$R/$name.load"
        # GNU time wraps every run (its own cost is a millisecond); the file
        # keeps the last run's peak RSS. Every tool builds into an empty
        # folder: the prepare step deletes the old output, untimed.
        if hyperfine --style basic --warmup "$warm" --runs "$r" --export-json "$R/$name.json" \
                --command-name "$name" --prepare "rm -rf $S/$name $C/hugo/resources" \
                "/usr/bin/time -v -o $R/$name.time sh -c '${cmds[$i]} 2>$R/$name.stderr'" \
                > "$R/$name.hyperfine.txt" 2>&1; then
            tail -n 3 "$R/$name.hyperfine.txt" >&2
            du -sb "$S/$name" | cut -f1 > "$R/$name.bytes"
            find "$S/$name" -type f | wc -l > "$R/$name.files"
        else
            # The time and stderr files then describe the failed run: how
            # long it ran, how much memory it held, what it said.
            cat "$R/$name.hyperfine.txt" >&2
            rm -f "$R/$name.json"
            rm -rf "$S/$name" "$S/.$name".lectern-tmp-*
            { tail -n 3 "$R/$name.stderr" 2>/dev/null; grep -E "signal|Exit status" "$R/$name.time"; } > "$R/$name.failed" || true
        fi
        # Free the disk: the sites of large N are big.
        [ "$(pages_of "$n")" -lt 10000 ] || rm -rf "$S/$name" "$S/.$name".lectern-tmp-*
    done
    cat /proc/loadavg > "$R/load-after"
done

# -------------------------------------------------------------- versions
{
    echo "lectern: $("$LECTERN" --version) (built from commit $(cat "$OUT/bin/lectern.commit" 2>/dev/null || echo ?)$(cat "$OUT/bin/lectern.dirty" 2>/dev/null | sed 's/^/, /'))"
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
