#!/usr/bin/env bash
# fyne-package.sh ARGS...: `fyne package ARGS...` with the pinned fyne tool
# (FYNE_VERSION, installed on first use), run in the repository root, leaving
# every tracked file as it was: fyne package raises Build in FyneApp.toml after
# each run, so the file is put back afterwards. The build number is FyneApp.toml's
# (or PARLEY_BUILD when set, e.g. a CI run number).
set -euo pipefail
cd "$(dirname "$0")/.."
FYNE_VERSION=${FYNE_VERSION:-v1.7.4} # the one place the fyne tool is pinned
gobin=$(go env GOPATH)/bin
fyne=$gobin/fyne
have=$("$fyne" version 2>/dev/null || true)
if [[ "$have" != *"cli version: $FYNE_VERSION"* ]]; then
	echo "fyne-package: installing fyne.io/tools/cmd/fyne@$FYNE_VERSION" >&2
	# The tool runs here: build it for this machine, whatever GOOS the app is for.
	env -u GOOS -u GOARCH -u CC -u CXX -u CGO_ENABLED -u PKG_CONFIG_LIBDIR go install "fyne.io/tools/cmd/fyne@$FYNE_VERSION"
fi
saved=$(mktemp)
cp FyneApp.toml "$saved"
trap 'cp "$saved" FyneApp.toml; rm -f "$saved" fyne.syso fyne_metadata_init.go' EXIT
build=${PARLEY_BUILD:-$(scripts/app-version.sh build)}
# The app's build tags (Makefile APP_TAGS: no_emoji, migrated_fynedo; docs/media.md).
"$fyne" package --release --app-build "$build" --tags "${APP_TAGS:-no_emoji,migrated_fynedo}" "$@"
