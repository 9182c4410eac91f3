#!/usr/bin/env bash
# test-deb.sh [SCREENSHOT_DIR]: the .deb on a clean Debian. Needs root (chroot,
# mounts) on a Debian/Ubuntu host:
#   1. a minimal Debian of the host's release (debootstrap --variant=minbase,
#      made once and kept pristine in ~/.cache/parley-deb, copied per run);
#   2. `apt-get install ./parley_<version>-<build>_<arch>.deb` in it, which must
#      pull in every library the binary needs (ldd finds them all);
#   3. /usr/bin/parley started there, drawing on this machine's Xvfb: its first
#      window must appear and be drawn (SCREENSHOT_DIR/deb-first-screen.png,
#      default bin/);
#   4. `apt-get remove parley` leaves no binary, menu entry or icon.
# The .desktop file is checked with desktop-file-validate. Builds the .deb first
# when it is missing (scripts/package-linux.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
script=test-deb.sh
source scripts/lib.sh
export LANG=C.UTF-8
shots=${1:-bin}
mkdir -p "$shots"
log() { echo "test-deb: $*" >&2; }
fail() { log "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root (debootstrap, chroot, mount)"
scripts/setup.sh deb-test
version=$(scripts/app-version.sh)
build=${PARLEY_BUILD:-$(scripts/app-version.sh build)}
arch=$(dpkg --print-architecture)
deb=dist/parley_$version-${build}_$arch.deb
[ -f "$deb" ] || scripts/package-linux.sh

. /etc/os-release
suite=${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}
mirror=http://deb.debian.org/debian
[ "$ID" = ubuntu ] && mirror=http://archive.ubuntu.com/ubuntu
cache=${PARLEY_DEB_CACHE:-$HOME/.cache/parley-deb}
pristine=$cache/$ID-$suite
if ! [ -f "$pristine/.complete" ]; then
	log "making a minimal $ID $suite with debootstrap (once)"
	rm -rf "$pristine"
	mkdir -p "$cache"
	debootstrap --variant=minbase "$suite" "$pristine" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$cache/debootstrap.log" >&2; fail "debootstrap failed"; }
	touch "$pristine/.complete"
fi

work=$(mktemp -d)
root=$work/root
pids=()
mounts=()
cleanup() {
	local rc=$?
	[ "$rc" = 0 ] || tail -n 30 "$work"/*.log >&2 2>/dev/null || true
	kill "${pids[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -R "${mounts[$i]}" 2>/dev/null || umount -l "${mounts[$i]}" || true; done
	rm -rf "$work"
}
trap cleanup EXIT
t0=$(date +%s)
cp -a "$pristine" "$root"
for m in proc dev tmp/.X11-unix; do mkdir -p "$root/$m"; done
mount -t proc proc "$root/proc" && mounts+=("$root/proc")
mount --rbind /dev "$root/dev" && mounts+=("$root/dev")
cp /etc/resolv.conf "$root/etc/resolv.conf"

dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/applications/dev.parley.app.desktop >"$work/dev.parley.app.desktop"
desktop-file-validate "$work/dev.parley.app.desktop" || fail "the .desktop file is not valid"
cp "$deb" "$root/tmp/"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
log "apt-get install ./$(basename "$deb") on a clean $ID $suite"
in_root apt-get update -qq >"$work/apt.log" 2>&1 || fail "apt-get update failed"
in_root apt-get install -y -qq "/tmp/$(basename "$deb")" >>"$work/apt.log" 2>&1 || fail "apt-get install failed"
in_root dpkg-query -W -f='${Status} ${Version}\n' parley | grep -q "install ok installed $version-$build" ||
	fail "parley $version-$build is not installed"
missing=$(in_root ldd /usr/bin/parley | grep 'not found' || true)
[ -z "$missing" ] || fail "libraries missing after install: $missing"
log "installed with $(grep -c '^Setting up' "$work/apt.log") packages; ldd finds every library"

start_xvfb "$work" 800x600x24
pids+=("$XVFB_PID")
mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix" && mounts+=("$root/tmp/.X11-unix")
chroot "$root" env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 DISPLAY="$DISPLAY" /usr/bin/parley >"$work/parley.log" 2>&1 &
app=$!
pids+=("$app")
app_window() {
	alive "$app" /usr/bin/parley "$work/parley.log"
	window_of Parley
}
wait_until 60 "the installed /usr/bin/parley's window" app_window
rm -f "$work"/shot-*.png
wait_until 30 "its first screen to be drawn and settle" settled "$work" "$shots/deb-first-screen.png" "$win"
log "the installed /usr/bin/parley drew its first screen ($shots/deb-first-screen.png)"
kill "$app"
wait "$app" 2>/dev/null || true

in_root apt-get remove -y -qq parley >"$work/remove.log" 2>&1 || fail "apt-get remove failed"
for f in /usr/bin/parley /usr/share/applications/dev.parley.app.desktop /usr/share/pixmaps/dev.parley.app.png; do
	[ ! -e "$root$f" ] || fail "apt-get remove left $f"
done
[ -d "$root/root/.config/fyne/dev.parley.app" ] || fail "no settings folder ~/.config/fyne/dev.parley.app after removing (the README says it stays)"
log "apt-get remove parley removed the binary, menu entry and icon; the settings stay in ~/.config/fyne/dev.parley.app"
log "PASS in $(($(date +%s) - t0)) s"
