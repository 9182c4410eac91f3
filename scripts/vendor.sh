#!/usr/bin/env bash
# vendor.sh: re-create the copies of modules the app builds with patched
# (go.mod replaces each module with its copy), third_party/NAME, from the
# module in the Go module cache: trimmed of *_test.go, testdata/ and cmd/,
# then with third_party/NAME.patch applied. docs/media.md says what each
# patch does.
#
#   scripts/vendor.sh [NAME...]        re-create the copies (all by default)
#   scripts/vendor.sh -check [NAME...] fail if a copy is not module + patch
#   scripts/vendor.sh -diff NAME       print the copy's difference from the
#                                      trimmed module: after editing the
#                                      copy, -diff NAME >third_party/NAME.patch.new
#                                      and move it over the patch
#   scripts/vendor.sh -pristine NAME DIR
#                                      write the trimmed, unpatched module to DIR
set -euo pipefail
cd "$(dirname "$0")/.."
script=vendor.sh
source scripts/lib.sh
export LANG=C.UTF-8 LC_ALL=C.UTF-8

# NAME MODULE VERSION HASH: the hash is the module's as go.sum had it
# before the replace; the download is checked against it (so this needs no
# checksum database).
modules="
fyne fyne.io/fyne/v2 v2.7.1 h1:ja7rNHWWEooha4XBIZNnPP8tVFwmTfwMJdpZmLxm2Zc=
"

# lookup NAME: sets module, version, sum, dest and patchfile for NAME.
lookup() {
	local line
	line=$(awk -v n="$1" '$1 == n' <<<"$modules")
	[ -n "$line" ] || die "no carried module named $1 (known: $(awk 'NF { printf "%s ", $1 }' <<<"$modules"))"
	read -r _ module version sum <<<"$line"
	dest=third_party/$1
	patchfile=third_party/$1.patch
}

# field NAME: the string NAME from go mod download -json on stdin.
field() { sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\{0,1\}\$/\1/p"; }

# pristine DIR: the trimmed module, as downloaded, into DIR (made afresh).
pristine() {
	local out=$1 json src
	json=$(cd "$tmp" && GOSUMDB=off GOFLAGS=-mod=mod go mod download -json "$module@$version") ||
		die "could not download $module@$version"
	src=$(field Dir <<<"$json")
	[ "$(field Sum <<<"$json")" = "$sum" ] || die "$module@$version does not have the hash $sum"
	[ -d "$src" ] || die "$module@$version is not in the module cache"
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
	patch -s -p1 -d "$1" --no-backup-if-mismatch <"$patchfile" || die "$patchfile does not apply to $module $version"
}

# names ARGS...: the names given, or every carried module's.
names() {
	if [ $# -gt 0 ]; then echo "$@"; else awk 'NF { print $1 }' <<<"$modules"; fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

case "${1:-}" in
-check)
	shift
	for name in $(names "$@"); do
		lookup "$name"
		build "$tmp/$name"
		if ! diff -r -q "$tmp/$name" "$dest" >"$tmp/diff"; then
			cat "$tmp/diff" >&2
			die "$dest is not $module $version + $patchfile: run scripts/vendor.sh $name (or -diff $name to remake the patch from the copy)"
		fi
	done
	;;
-diff)
	lookup "${2:?usage: vendor.sh -diff NAME}"
	pristine "$tmp/a"
	cp -r "$dest" "$tmp/b"
	# git diff --no-index exits 1 when the trees differ, which is the point.
	(cd "$tmp" && git diff --no-index --no-color --src-prefix=a/ --dst-prefix=b/ a b) | sed -E -e 's#^diff --git a/[ab]/(.*) b/[ab]/#diff --git a/\1 b/#' -e 's#^--- a/a/#--- a/#' -e 's#^[+]{3} b/b/#+++ b/#' || true
	;;
-pristine)
	lookup "${2:?usage: vendor.sh -pristine NAME DIR}"
	pristine "${3:?usage: vendor.sh -pristine NAME DIR}"
	;;
-*)
	die "usage: vendor.sh [-check] [NAME...] | -diff NAME | -pristine NAME DIR"
	;;
*)
	for name in $(names "$@"); do
		lookup "$name"
		build "$tmp/$name"
		rm -rf "$dest"
		mv "$tmp/$name" "$dest"
	done
	;;
esac
