#!/usr/bin/env bash
# Runs every test of lectern: Rust (unit + integration), JavaScript (node --test)
# and browser tests (Debian Chromium driven by playwright-core).
# Installs what is missing: Debian's chromium (browser tests), wrk (the dev
# server's load test), epubcheck (the EPUB export's validator), poppler-utils
# (pdftotext, the print test), and the npm packages pinned by package-lock.json.
# Never downloads a browser build of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
[ -e /usr/share/java/epubcheck.jar ] || command -v epubcheck >/dev/null 2>&1 || need_apt+=(epubcheck)
# pdftotext: the print test reads the PDF Chromium prints, page by page.
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "==> installing ${need_apt[*]} (Debian)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund
fi

echo "==> cargo test (release profile: the browser tests reuse its binary)"
# Without the release profile's link-time optimisation: it only changes speed,
# and thin LTO at every one of the ~20 test binaries' links would double the
# suite's compile time. `cargo build --release` still builds with it.
CARGO_PROFILE_RELEASE_LTO=false cargo test --release --locked

echo "==> JavaScript unit tests"
node --test tests/js/

echo "==> browser tests (Chromium at /usr/bin/chromium)"
LECTERN_BIN="$PWD/target/release/lectern" node --test --test-concurrency=1 tests/browser/

echo "==> all tests passed"
