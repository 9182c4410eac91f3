#!/usr/bin/env bash
# package-darwin.sh: Parley.app and a .dmg for macOS, on a Mac (Xcode's
# command-line tools and Homebrew); Linux cannot build it (cgo needs Apple's
# SDK and linker). .github/workflows/macos.yml runs this on a macOS runner.
#   dist/Parley.app
#   dist/Parley-<version>-macos-<arch>.dmg
# macOS 12 or later (Go's minimum). Homebrew's static libopus.a and libspeexdsp.a are linked in (the script fails
# if the binary still loads a Homebrew dylib), Info.plist carries the
# microphone and camera usage descriptions.
# Signing and notarization happen when these are set (see README, "macOS"):
#   PARLEY_CODESIGN_ID     a "Developer ID Application: …" identity in the keychain
#   PARLEY_NOTARY_PROFILE  a notarytool keychain profile (xcrun notarytool store-credentials)
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8
[ "$(uname -s)" = Darwin ] || { echo "package-darwin: this needs macOS (Xcode command-line tools, Homebrew); see README" >&2; exit 1; }
scripts/setup.sh
version=$(scripts/app-version.sh)
arch=$(uname -m)
mkdir -p dist
rm -rf dist/Parley.app Parley.app

# A pkg-config directory whose lib/ has only the static archives, so the
# linker cannot pick Homebrew's dylibs instead.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/lib/pkgconfig"
for l in opus speexdsp; do
	p=$(brew --prefix "$l")
	cp "$p/lib/lib$l.a" "$stage/lib/"
	sed "s|^libdir=.*|libdir=$stage/lib|" "$p/lib/pkgconfig/$l.pc" >"$stage/lib/pkgconfig/$l.pc"
done
PKG_CONFIG_PATH="$stage/lib/pkgconfig" MACOSX_DEPLOYMENT_TARGET=12.0 scripts/fyne-package.sh -os darwin
mv Parley.app dist/Parley.app
app=dist/Parley.app
bin=$app/Contents/MacOS/$(/usr/libexec/PlistBuddy -c 'Print :CFBundleExecutable' "$app/Contents/Info.plist")

if otool -L "$bin" | grep -E 'opus|speex|/opt/homebrew|/usr/local'; then
	echo "package-darwin: $bin still loads the libraries above; they must be linked statically" >&2
	exit 1
fi

plist=$app/Contents/Info.plist
set_plist() { /usr/libexec/PlistBuddy -c "Delete :$1" "$plist" 2>/dev/null || true; /usr/libexec/PlistBuddy -c "Add :$1 string $2" "$plist"; }
set_plist NSMicrophoneUsageDescription "Parley uses the microphone for your calls."
set_plist NSCameraUsageDescription "Parley uses the camera for video calls."
set_plist LSMinimumSystemVersion 12.0 # Go 1.26's own minimum (fyne's template says 10.11)
plutil -lint "$plist"

if [ -n "${PARLEY_CODESIGN_ID:-}" ]; then
	codesign --force --options runtime --timestamp \
		--entitlements packaging/darwin/entitlements.plist --sign "$PARLEY_CODESIGN_ID" "$app"
	codesign --verify --strict --verbose=2 "$app"
else
	codesign --force --sign - "$app" # ad hoc: runs on this Mac, Gatekeeper elsewhere refuses it
	echo "package-darwin: PARLEY_CODESIGN_ID not set: ad-hoc signed, not for distribution" >&2
fi

dmg=dist/Parley-$version-macos-$arch.dmg
root=$stage/dmg
mkdir -p "$root"
cp -R "$app" "$root/"
ln -s /Applications "$root/Applications"
rm -f "$dmg"
hdiutil create -volname "Parley $version" -srcfolder "$root" -format UDZO -ov "$dmg"
if [ -n "${PARLEY_CODESIGN_ID:-}" ]; then
	codesign --force --timestamp --sign "$PARLEY_CODESIGN_ID" "$dmg"
fi
if [ -n "${PARLEY_NOTARY_PROFILE:-}" ]; then
	[ -n "${PARLEY_CODESIGN_ID:-}" ] || { echo "package-darwin: notarization needs PARLEY_CODESIGN_ID" >&2; exit 1; }
	xcrun notarytool submit "$dmg" --keychain-profile "$PARLEY_NOTARY_PROFILE" --wait
	xcrun stapler staple "$dmg"
	spctl --assess --type open --context context:primary-signature --verbose=2 "$dmg"
fi
ls -l "$dmg"
