#!/usr/bin/env bash
# fyne-vendor.sh: re-create third_party/fyne, the copy of Fyne the app
# builds with (go.mod replaces fyne.io/fyne/v2 with it), from the module in
# the Go module cache: trimmed of *_test.go, testdata/ and cmd/, then with
# third_party/fyne.patch applied (docs/media.md says what the patch does).
#
#   scripts/fyne-vendor.sh          re-create the copy
#   scripts/fyne-vendor.sh -check   fail if the copy is not module + patch
#   scripts/fyne-vendor.sh -diff    print the copy's difference from the
#                                   trimmed module: after editing the copy,
#                                   -diff >third_party/fyne.patch.new and
#                                   move it over the patch
#   scripts/fyne-vendor.sh -pristine DIR
#                                   write the trimmed, unpatched module to DIR
set -euo pipefail
cd "$(dirname "$0")/.."
script=fyne-vendor.sh
source scripts/lib.sh
export LANG=C.UTF-8 LC_ALL=C.UTF-8

version=v2.7.1
# The module's hash as go.sum had it before the replace; the download is
# checked against it here (so this needs no checksum database).
sum=h1:ja7rNHWWEooha4XBIZNnPP8tVFwmTfwMJdpZmLxm2Zc=
dest=third_party/fyne
patchfile=third_party/fyne.patch

# field NAME: the string NAME from go mod download -json on stdin.
field() { sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\{0,1\}\$/\1/p"; }

# pristine DIR: the trimmed module, as downloaded, into DIR (made afresh).
pristine() {
	local out=$1 json src
	json=$(cd "$tmp" && GOSUMDB=off GOFLAGS=-mod=mod go mod download -json "fyne.io/fyne/v2@$version") ||
		die "could not download fyne.io/fyne/v2@$version"
	src=$(field Dir <<<"$json")
	[ "$(field Sum <<<"$json")" = "$sum" ] || die "fyne.io/fyne/v2@$version does not have the hash $sum"
	[ -d "$src" ] || die "fyne.io/fyne/v2@$version is not in the module cache"
	rm -rf "$out"
	mkdir -p "$(dirname "$out")"
	cp -r "$src" "$out"
	chmod -R u+w "$out"
	rm -rf "$out/cmd"
	find "$out" -name testdata -type d -prune -exec rm -rf {} +
	find "$out" -name '*_test.go' -type f -delete
}

# build DIR: module + patch into DIR.
build() {
	pristine "$1"
	patch -s -p1 -d "$1" --no-backup-if-mismatch <"$patchfile" || die "$patchfile does not apply to Fyne $version"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

case "${1:-}" in
"")
	build "$tmp/fyne"
	rm -rf "$dest"
	mv "$tmp/fyne" "$dest"
	;;
-check)
	build "$tmp/fyne"
	if ! diff -r -q "$tmp/fyne" "$dest" >"$tmp/diff"; then
		cat "$tmp/diff" >&2
		die "$dest is not Fyne $version + $patchfile: run scripts/fyne-vendor.sh (or -diff to remake the patch from the copy)"
	fi
	;;
-diff)
	pristine "$tmp/a"
	cp -r "$dest" "$tmp/b"
	# git diff --no-index exits 1 when the trees differ, which is the point.
	(cd "$tmp" && git diff --no-index --no-color --src-prefix=a/ --dst-prefix=b/ a b) | sed -E -e 's#^diff --git a/[ab]/(.*) b/[ab]/#diff --git a/\1 b/#' -e 's#^--- a/a/#--- a/#' -e 's#^[+]{3} b/b/#+++ b/#' || true
	;;
-pristine)
	pristine "${2:?usage: fyne-vendor.sh -pristine DIR}"
	;;
*)
	die "usage: fyne-vendor.sh [-check | -diff | -pristine DIR]"
	;;
esac
