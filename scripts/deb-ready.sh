#!/usr/bin/env bash
# deb-ready.sh [-why]: succeeds when the .deb test can run without a cold
# set-up: root, apt and the clean Debian of scripts/test-deb.sh already made.
# `make test` runs test-deb only then; with -why it prints what is missing.
set -uo pipefail
why() { [ "${1:-}" = -why ] && echo "not set up ($2)"; exit 1; }
[ "$(id -u)" = 0 ] || why "${1:-}" "needs root"
command -v apt-get >/dev/null 2>&1 && command -v debootstrap >/dev/null 2>&1 || why "${1:-}" "needs apt and debootstrap"
. /etc/os-release
cache=${PARLEY_DEB_CACHE:-$HOME/.cache/parley-deb}
[ -f "$cache/$ID-${VERSION_CODENAME:-}/.complete" ] || why "${1:-}" "no clean $ID ${VERSION_CODENAME:-} in $cache yet"
exit 0
