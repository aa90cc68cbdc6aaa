#!/usr/bin/env bash
# Quiz benchmark (issue 3): a generated set of 5,000 questions must build in
# under 1 s; a 200-question quiz page must answer to input within 100 ms of
# loading in headless Chromium. Results go to bench/RESULTS.md by hand.
#   bash bench/quiz/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet
bin=target/release/lectern
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 bench/quiz/gen_banks.py "$work/c5000" 5000 25
echo "== build: 5,000 questions in 25 banks (+ exam, notebook), search off"
"$bin" build --root "$work/c5000" --out "$work/s5000" >/dev/null  # warm the file cache
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs 10 "$bin build --root $work/c5000 --out $work/s5000"
else
  for i in 1 2 3 4 5; do /usr/bin/time -f "%e s wall, %U s user, %M KiB peak" "$bin" build --root "$work/c5000" --out "$work/s5000" >/dev/null; done
fi
"$bin" check --root "$work/c5000" | tail -1

python3 bench/quiz/gen_banks.py "$work/c200" 200 1
"$bin" build --root "$work/c200" --out "$work/s200" >/dev/null
echo "== page: 200 questions, headless Chromium over file://"
ls -l "$work/s200/quizzes/01-chapter-1.html" | awk '{print "page size: " $5 " bytes"}'
node bench/quiz/interactive.mjs "$work/s200" quizzes/01-chapter-1.html 15
