#!/usr/bin/env bash
# app-version.sh [version|build]: the app's version (x.y.z) or build number,
# read from FyneApp.toml's [Details], the one place they are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
key=Version
[ "${1:-version}" = build ] && key=Build
v=$(sed -n "/^\[Details\]/,/^\[/ s/^[[:space:]]*${key}[[:space:]]*=[[:space:]]*\"\{0,1\}\([^\"]*\)\"\{0,1\}[[:space:]]*$/\1/p" FyneApp.toml | head -1)
[ -n "$v" ] || { echo "app-version: no $key in FyneApp.toml [Details]" >&2; exit 1; }
echo "$v"
