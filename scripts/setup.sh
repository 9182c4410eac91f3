#!/usr/bin/env bash
# setup.sh installs what building and testing Parley needs, and nothing when it
# is already there. Called by `make run` and `make test`; safe to run by hand.
#   scripts/setup.sh          build + run needs (Fyne's GL/X11 headers, libopus, speexdsp, libvpx, pkg-config, PocketSphinx and its US English model for the captions worker)
#   scripts/setup.sh test     also what the tests need (Xvfb, PulseAudio, imagemagick, sox, espeak-ng, Chromium, coturn, opus-tools,
#                             PocketSphinx's LibriVox test recordings, PostgreSQL, nats-server: the tests start their own servers, never the system ones)
#   scripts/setup.sh windows  the Windows cross build (mingw-w64 C and C++, NSIS, zip; dpkg-dev, autotools and nasm for the libraries)
#   scripts/setup.sh wine     the Windows test under Wine (wine64, Xvfb, xdotool, imagemagick, PulseAudio)
#   scripts/setup.sh deb      the Linux .deb (dpkg-dev)
#   scripts/setup.sh deb-test the .deb test on a clean Debian (debootstrap, Xvfb, desktop-file-utils)
#   scripts/setup.sh lint     also shellcheck, for the scripts
#   scripts/setup.sh bench    what the tests need, and baresip, for make bench-peer
# The windows, wine, deb and deb-test modes work on Debian/Ubuntu only.
set -euo pipefail

mode=${1:-build}
case "$mode" in
build | test | windows | wine | deb | deb-test | lint | bench) ;;
*) echo "setup: unknown mode $mode (build, test, windows, wine, deb, deb-test, lint, bench)" >&2; exit 2 ;;
esac

need_go() {
	if ! command -v go >/dev/null 2>&1; then
		echo "setup: Go 1.26 or newer is required: https://go.dev/dl/ (or your package manager)" >&2
		exit 1
	fi
}

debian() {
	local pkgs=(gcc pkg-config libgl1-mesa-dev xorg-dev libopus-dev libspeexdsp-dev libvpx-dev libpocketsphinx-dev pocketsphinx-en-us)
	case "$mode" in
	test) pkgs+=(xvfb xauth x11-utils xdotool curl python3 pulseaudio pulseaudio-utils imagemagick sox espeak-ng chromium postgresql coturn opus-tools nats-server pocketsphinx-testdata) ;;
	bench) pkgs+=(xvfb xauth x11-utils xdotool curl python3 pulseaudio pulseaudio-utils imagemagick sox espeak-ng chromium postgresql coturn opus-tools pocketsphinx-testdata baresip) ;;
	windows) pkgs+=(gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 nasm nsis zip dpkg-dev make autoconf automake libtool imagemagick) ;;
	wine) pkgs+=(wine wine64 gcc-mingw-w64-x86-64 xvfb xauth x11-utils xdotool curl python3 imagemagick pulseaudio pulseaudio-utils) ;;
	deb) pkgs+=(dpkg-dev fakeroot) ;;
	lint) pkgs+=(shellcheck) ;;
	deb-test) pkgs+=(dpkg-dev fakeroot debootstrap xvfb xauth x11-utils xdotool imagemagick desktop-file-utils) ;;
	esac
	local missing=()
	for p in "${pkgs[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	local sudo=""
	if [ "$(id -u)" != 0 ]; then
		if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
			echo "setup: please install these packages as root: apt-get install ${missing[*]}" >&2
			exit 1
		fi
	fi
	echo "setup: installing ${missing[*]}"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

macos() {
	if ! command -v brew >/dev/null 2>&1; then
		echo "setup: install Homebrew (https://brew.sh), then: brew install opus speexdsp libvpx pkg-config" >&2
		exit 1
	fi
	for p in opus speexdsp libvpx pkg-config; do
		brew list "$p" >/dev/null 2>&1 || brew install "$p"
	done
}

need_go
case "$(uname -s)" in
Linux)
	if [ "$mode" != build ] && [ "$mode" != test ] && [ "$mode" != lint ] && ! command -v apt-get >/dev/null 2>&1; then
		echo "setup: '$mode' needs a Debian or Ubuntu machine (apt)" >&2
		exit 1
	fi
	if command -v apt-get >/dev/null 2>&1; then
		debian
	else
		for p in pkg-config gcc; do command -v "$p" >/dev/null || { echo "setup: install $p" >&2; exit 1; }; done
		pkg-config --exists opus speexdsp vpx || { echo "setup: install the Opus, speexdsp and libvpx development files (libopus-dev libspeexdsp-dev libvpx-dev / opus-devel speexdsp-devel libvpx-devel), the GL and X11 development headers Fyne needs (see https://docs.fyne.io/started/), pkg-config and gcc" >&2; exit 1; }
	fi
	;;
Darwin) macos ;;
*)
	echo "setup: on $(uname -s) install by hand: a C compiler (for cgo), pkg-config and libopus (see README)" >&2
	pkg-config --exists opus || exit 1
	;;
esac
