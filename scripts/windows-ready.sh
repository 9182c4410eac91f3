#!/usr/bin/env bash
# windows-ready.sh [-why]: succeeds when the Windows test can run without a
# cold set-up: mingw-w64, NSIS and Wine installed and libopus, speexdsp and libvpx built in
# the cache (scripts/windows-libs.sh). `make test` runs test-windows only
# then; with -why it prints what is missing.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
missing=()
for c in x86_64-w64-mingw32-gcc makensis wine Xvfb; do
	command -v "$c" >/dev/null 2>&1 || missing+=("$c")
done
scripts/windows-libs.sh -check || missing+=("libopus/speexdsp/libvpx for Windows in ${PARLEY_WIN_CACHE:-~/.cache/parley-win}")
[ ${#missing[@]} -eq 0 ] && exit 0
[ "${1:-}" = -why ] && echo "not set up (${missing[*]})"
exit 1
