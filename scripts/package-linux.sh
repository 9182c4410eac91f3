#!/usr/bin/env bash
# package-linux.sh: Parley for Linux (amd64 or the host's architecture) as
#   dist/Parley-<version>-linux-<arch>.tar.xz   fyne package's tarball (usr/local/…, with a Makefile
#                                               for `make install` / `make user-install`)
#   dist/parley_<version>-<build>_<arch>.deb    the same files under /usr, for apt (Debian/Ubuntu hosts)
# Both carry /usr/bin/parley, the .desktop entry (FyneApp.toml [LinuxAndBSD]:
# Categories=Network;Telephony; and its Keywords) and the icon. The binary
# links libopus, libspeexdsp and libvpx dynamically, as the distribution ships them;
# the .deb Depends on them and on the X11/GL libraries, as computed by
# dpkg-shlibdeps from the binary itself, plus the X11 extensions GLFW loads
# at run time; it Recommends the sound libraries miniaudio loads (without
# them calls still work, with no sound device).
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8
deb=0
command -v apt-get >/dev/null 2>&1 && deb=1
if [ "$deb" = 1 ]; then scripts/setup.sh deb; else scripts/setup.sh; fi
version=$(scripts/app-version.sh)
build=${PARLEY_BUILD:-$(scripts/app-version.sh build)}
goarch=$(go env GOARCH)
mkdir -p dist
rm -f Parley.tar.xz

PARLEY_BUILD=$build scripts/fyne-package.sh -os linux
tarball=dist/Parley-$version-linux-$goarch.tar.xz
mv Parley.tar.xz "$tarball"
ls -l "$tarball" >&2
[ "$deb" = 1 ] || { echo "package-linux: no apt here, so no .deb" >&2; exit 0; }

arch=$(dpkg --print-architecture)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"
mkdir -p "$work/tar" "$root/usr"
tar -xJf "$tarball" -C "$work/tar"
local=$(find "$work/tar" -type d -path '*/usr/local' | head -1) # ./usr/local or ./parley/usr/local
[ -n "$local" ] || { echo "package-linux: no usr/local in $tarball" >&2; exit 1; }
cp -a "$local/." "$root/usr/"
desktop=$(ls "$root"/usr/share/applications/*.desktop)
grep -q '^Categories=Network;Telephony;' "$desktop" || { echo "package-linux: $desktop lacks Categories=Network;Telephony;" >&2; exit 1; }
mkdir -p "$root/usr/share/doc/parley"
printf 'Parley %s (build %s)\nhttps://github.com/parley-voip/parley\n' "$version" "$build" >"$root/usr/share/doc/parley/README"

# dpkg-shlibdeps wants a debian/control to read; a minimal one will do.
mkdir -p "$work/src/debian"
printf 'Source: parley\n\nPackage: parley\nArchitecture: any\n' >"$work/src/debian/control"
depends=$(cd "$work/src" && dpkg-shlibdeps -O "$root/usr/bin/parley" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "package-linux: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
# GLFW opens these X11 extensions with dlopen, where dpkg-shlibdeps cannot see them.
depends="$depends, libxcursor1, libxrandr2, libxinerama1, libxi6, libxxf86vm1, libx11-xcb1, libxrender1"
size=$(du -sk "$root/usr" | cut -f1)
mkdir -p "$root/DEBIAN"
sed -e "s/@VERSION@/$version-$build/" -e "s/@ARCH@/$arch/" -e "s/@DEPENDS@/$depends/" -e "s/@SIZE@/$size/" \
	packaging/linux/control.in >"$root/DEBIAN/control"
out=dist/parley_$version-${build}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
dpkg-deb --info "$out" >&2
dpkg-deb --contents "$out" >&2
ls -l "$out" >&2
