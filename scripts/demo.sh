#!/usr/bin/env bash
# demo.sh: one person tries a call. Starts a demo organization server and
# two app windows signed in as Alice and Bob, each with its own settings
# profile. Call one from the other; turn on Settings → Privacy →
# "End-to-end encrypted calls" in both first to see the lock and the code.
# The windows open on your display; the script fails at once, saying why,
# when there is none or the organization does not come up.
set -euo pipefail
cd "$(dirname "$0")/.."
script=demo.sh
source scripts/lib.sh
export LANG=C.UTF-8
if [ "$(uname)" = Linux ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
	die "no display (DISPLAY and WAYLAND_DISPLAY are unset); for a headless picture use scripts/screenshot.sh"
fi
port=${PARLEY_DEMO_PORT:-7481}
data=$(mktemp -d)
trap 'kill ${server:-} ${alice:-} ${bob:-} 2>/dev/null || true; rm -rf "$data"' EXIT
server=$(scripts/demo-org.sh "$data" "$port") || die "the demo organization did not start on port $port (PARLEY_DEMO_PORT picks another)"

PARLEY_PASSWORD=parley-demo bin/parley -profile demo-alice -server "http://127.0.0.1:$port" -name alice "$@" &
alice=$!
PARLEY_PASSWORD=parley-demo bin/parley -profile demo-bob -server "http://127.0.0.1:$port" -name bob "$@" &
bob=$!
echo "demo: organization at http://127.0.0.1:$port (admin portal: /admin, user admin, password parley-demo)"
echo "demo: close both windows (or press Ctrl-C) to stop"
wait $alice $bob
