#!/usr/bin/env bash
# package-windows.sh: cross-build Parley for 64-bit Windows on Debian/Ubuntu and
# package it as
#   dist/windows/Parley.exe                        the app (GUI subsystem, icon, version info)
#   dist/Parley-Setup-<version>.exe                NSIS installer (Start menu + desktop
#                                                  shortcuts, uninstaller, Apps & features entry)
#   dist/Parley-<version>-windows-amd64.zip        portable: Parley.exe alone
# libopus and speexdsp are built with mingw-w64 (scripts/windows-libs.sh, cached)
# and linked statically, so the .exe needs only Windows' own DLLs; the script
# fails if it imports any other.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8
scripts/setup.sh windows
version=$(scripts/app-version.sh)
build=${PARLEY_BUILD:-$(scripts/app-version.sh build)}
out=dist/windows
mkdir -p "$out"
rm -f Parley.exe "$out/Parley.exe"

echo "package-windows: building Parley.exe $version (build $build) with mingw-w64" >&2
PARLEY_BUILD=$build scripts/windows-env.sh scripts/fyne-package.sh -os windows
mv Parley.exe "$out/Parley.exe"

# Only system DLLs: anything else (libopus-0.dll, libwinpthread-1.dll, …) would
# be missing on a user's machine.
dlls=$(x86_64-w64-mingw32-objdump -p "$out/Parley.exe" | sed -n 's/^[[:space:]]*DLL Name: //p' | sort -u)
system='^(kernel32|user32|gdi32|opengl32|shell32|ole32|oleaut32|advapi32|winmm|ws2_32|msvcrt|ntdll|dwmapi|imm32|comdlg32|shlwapi|setupapi|version|winspool\.drv|uxtheme|iphlpapi|dnsapi|crypt32|bcrypt|secur32|userenv|powrprof|mswsock|avrt|ksuser|quartz)\.dll$'
bad=$(echo "$dlls" | grep -viE "$system" || true)
echo "package-windows: Parley.exe imports: $(echo $dlls)" >&2
if [ -n "$bad" ]; then
	echo "package-windows: Parley.exe needs DLLs that Windows does not ship: $bad" >&2
	exit 1
fi

convert assets/icon.png -define icon:auto-resize=256,128,64,48,32,16 "$out/Parley.ico"
# The welcome and finish pages' side picture (164x314, 24-bit BMP for NSIS).
convert -size 164x314 xc:white \( assets/icon.png -resize 128x128 \) -gravity center -composite \
	-type TrueColor BMP3:"$out/welcome.bmp"
setup=dist/Parley-Setup-$version.exe
makensis -V2 -NOCD \
	-DVERSION="$version" -DBUILD="$build" \
	-DEXE="$out/Parley.exe" -DICON="$out/Parley.ico" -DWELCOME="$out/welcome.bmp" -DOUTFILE="$setup" \
	packaging/windows/parley.nsi
zip=dist/Parley-$version-windows-amd64.zip
rm -f "$zip"
(cd "$out" && zip -q -9 "../$(basename "$zip")" Parley.exe)
ls -l "$out/Parley.exe" "$setup" "$zip" >&2
