#!/usr/bin/env bash
# windows-libs.sh: build libopus, speexdsp and libvpx (VP8 only) for 64-bit
# Windows with mingw-w64, as static libraries only, from Debian's source
# packages, into a cache that later runs reuse (nothing is rebuilt when the
# libraries are there). Prints the prefix; its lib/pkgconfig holds opus.pc,
# speexdsp.pc and vpx.pc, so
#   PKG_CONFIG_LIBDIR="$(scripts/windows-libs.sh)/lib/pkgconfig"
# makes cgo link them statically (there is no DLL to pick instead).
#   PARLEY_WIN_CACHE   where the cache lives (default ~/.cache/parley-win)
# The prefix is named by this script's hash, so worktrees building the
# libraries differently each keep their own and none rebuilds another's.
# With -check it builds nothing and only says (exit status) whether the cache is up to date.
# Needs a Debian/Ubuntu host; installs gcc-mingw-w64-x86-64, nasm (libvpx's
# assembly) and dpkg-dev (for apt-get source) when missing, and adds deb-src lines when apt has none.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${PARLEY_WIN_CACHE:-$HOME/.cache/parley-win}
host=x86_64-w64-mingw32
log() { echo "windows-libs: $*" >&2; }

# The stamp is this script's hash: changing how the libraries are built
# builds them again, into a prefix of their own; .stamp marks it complete.
stamp=$(sha256sum scripts/windows-libs.sh | cut -c1-16)
prefix=$cache/$stamp/$host
if [ "$(cat "$prefix/.stamp" 2>/dev/null)" = "$stamp" ]; then
	[ "${1:-}" = -check ] || echo "$prefix"
	exit 0
fi
[ "${1:-}" = -check ] && exit 1

scripts/setup.sh windows >&2

# apt-get source needs deb-src entries; add them for the suites already
# configured for binary packages, in a file of our own.
if ! apt-get source --print-uris opus >/dev/null 2>&1; then
	d=/etc/apt/sources.list.d
	for f in "$d"/*.sources; do
		[ -f "$f" ] && [ "$f" != "$d/parley-deb-src.sources" ] || continue
		grep -q '^Types:.*\bdeb\b' "$f" && { sed 's/^Types:.*/Types: deb-src/' "$f"; echo; }
	done >"$d/parley-deb-src.sources"
	[ -s "$d/parley-deb-src.sources" ] || rm -f "$d/parley-deb-src.sources"
	if [ -f /etc/apt/sources.list ]; then
		sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >"$d/parley-deb-src.list"
		[ -s "$d/parley-deb-src.list" ] || rm -f "$d/parley-deb-src.list"
	fi
	log "added deb-src entries under $d (parley-deb-src.*)"
	apt-get update -qq
fi

work=$cache/$stamp/src
rm -rf "$work" "$prefix"
mkdir -p "$work" "$prefix"
cd "$work"
log "fetching Debian sources of opus, speexdsp and libvpx"
apt-get source -qq opus speexdsp libvpx >/dev/null 2>&1 || apt-get source opus speexdsp libvpx >&2

jobs=$(nproc)
build() { # build DIR CONFIGURE-ARGS...
	local dir=$1; shift
	(
		cd "$dir"
		[ -x configure ] || autoreconf -fi >/dev/null
		./configure --host=$host --prefix="$prefix" --disable-shared --enable-static "$@" >configure.log 2>&1 ||
			{ tail -n 30 configure.log >&2; exit 1; }
		make -j"$jobs" >make.log 2>&1 || { tail -n 30 make.log >&2; exit 1; }
		make install >install.log 2>&1 || { tail -n 30 install.log >&2; exit 1; }
	)
}
# The stack protector and _FORTIFY_SOURCE need mingw's libssp, one more DLL to
# ship; defining _FORTIFY_SOURCE=0 also stops opus's configure adding =2.
log "building libopus for $host"
build "$(find . -maxdepth 1 -type d -name 'opus-*' | head -1)" \
	--disable-doc --disable-extra-programs --disable-stack-protector CFLAGS="-O2 -D_FORTIFY_SOURCE=0"
log "building speexdsp for $host"
build "$(find . -maxdepth 1 -type d -name 'speexdsp-*' | head -1)" \
	--disable-examples CFLAGS="-O2 -D_FORTIFY_SOURCE=0"
# libvpx has a configure of its own. VP8 only, real-time only (all Parley
# uses), assembly with nasm. Its threads: with mingw's pthread.h found it
# would call winpthreads, a DLL (libwinpthread-1.dll) Windows does not
# ship; with HAVE_PTHREAD_H off (vpx_config.h, from which make derives
# vpx_config.asm) it uses its own Win32-thread layer, the one
# its MSVC builds use.
log "building libvpx (VP8) for $host"
t0=$SECONDS
(
	cd "$(find . -maxdepth 1 -type d -name 'libvpx-*' | head -1)"
	CROSS=$host- ./configure --target=x86_64-win64-gcc --prefix="$prefix" \
		--enable-static --disable-shared --enable-vp8 --disable-vp9 --enable-realtime-only \
		--disable-examples --disable-tools --disable-docs --disable-unit-tests \
		--disable-install-bins --disable-install-srcs --as=nasm \
		--extra-cflags="-O2 -D_FORTIFY_SOURCE=0" >configure.log 2>&1 ||
		{ tail -n 30 configure.log >&2; exit 1; }
	sed -i 's/^#define HAVE_PTHREAD_H 1$/#define HAVE_PTHREAD_H 0/' vpx_config.h
	sed -i '/^HAVE_PTHREAD_H=yes$/d' libs-*.mk
	make -j"$jobs" >make.log 2>&1 || { tail -n 30 make.log >&2; exit 1; }
	make install >install.log 2>&1 || { tail -n 30 install.log >&2; exit 1; }
)
log "libvpx built in $((SECONDS - t0)) s"
cd /
rm -rf "$work"
if x86_64-w64-mingw32-nm -u "$prefix/lib/libvpx.a" | grep -q ' pthread_'; then
	log "libvpx.a still calls winpthreads (libwinpthread-1.dll)"; exit 1
fi
for l in opus speexdsp vpx; do
	[ -f "$prefix/lib/lib$l.a" ] || { log "lib$l.a was not built"; exit 1; }
	undef=$(x86_64-w64-mingw32-nm -u "$prefix/lib/lib$l.a")
	if grep -q '__.*_chk$' <<<"$undef"; then
		log "lib$l.a still calls _FORTIFY_SOURCE checks (libssp)"; exit 1
	fi
done
echo "$stamp" >"$prefix/.stamp"
log "built into $prefix"
echo "$prefix"
