#!/usr/bin/env bash
# windows-env.sh CMD ARGS...: run CMD (go build, go test -c, fyne package …)
# with the environment that cross-builds Parley for 64-bit Windows: cgo with
# mingw-w64 (C++ too, for the DirectShow camera driver), and pkg-config
# finding only the static libopus, speexdsp and libvpx of
# scripts/windows-libs.sh (PKG_CONFIG_LIBDIR, not _PATH, keeps the host's
# Linux .pc files out of sight).
set -euo pipefail
prefix=$("$(dirname "$0")/windows-libs.sh")
export PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig"
export CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++
exec "$@"
