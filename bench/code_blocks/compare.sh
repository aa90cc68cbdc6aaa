#!/usr/bin/env bash
# Interleaved before/after builds of one corpus: A B A B … so both binaries
# see the same load on a shared machine. Each run builds into a fresh folder
# on /dev/shm (tmpfs) and is wrapped in GNU time for CPU time (user + system),
# wall time and peak RSS. Prints one line per run, then medians and ratios.
#
#   bench/code_blocks/compare.sh OLD_BINARY NEW_BINARY COURSE_ROOT [RUNS]
set -euo pipefail
old="$1" new="$2" course="$3" runs="${4:-6}"
out=/dev/shm/lectern-compare-$$
raw="$(mktemp)"
trap 'rm -rf "$out" "$raw"' EXIT
for i in $(seq 1 "$runs"); do
    for which in old new; do
        bin="${!which}"
        rm -rf "$out"
        /usr/bin/time -f "%U %S %e %M" -o "$raw.t" "$bin" build --root "$course" --out "$out" >/dev/null 2>"$raw.err" \
            || { cat "$raw.err" >&2; exit 1; }
        read -r user sys wall rss < "$raw.t"
        echo "$which $i $user $sys $wall $rss $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$raw"
    done
done
python3 - "$raw" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for which in ("old", "new"):
    r = [x for x in rows if x[0] == which]
    cpu = [float(x[2]) + float(x[3]) for x in r]
    wall = [float(x[4]) for x in r]
    rss = [int(x[5]) / 1024 for x in r]
    med[which] = (statistics.median(cpu), statistics.median(wall), statistics.median(rss))
    print(f"{which}: CPU s {', '.join(f'{c:.2f}' for c in cpu)}; median CPU {med[which][0]:.2f} s, wall {med[which][1]:.2f} s, peak RSS {med[which][2]:.1f} MB")
o, n = med["old"], med["new"]
print(f"new/old: CPU {n[0] / o[0]:.3f}, wall {n[1] / o[1]:.3f}, peak RSS {n[2] - o[2]:+.1f} MB")
PY
