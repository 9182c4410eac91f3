#!/usr/bin/env bash
# demo.sh: one person tries a call. Starts a local Parley server and two app
# windows, Alice and Bob, each with its own settings profile. Call one from
# the other; turn on Settings → Privacy → "End-to-end encrypted calls" in
# both first to see the lock and the security code.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8
port=${PARLEY_DEMO_PORT:-7481}
url="ws://127.0.0.1:$port/ws"

bin/parley-server -addr "127.0.0.1:$port" &
server=$!
trap 'kill $server ${alice:-} ${bob:-} 2>/dev/null || true' EXIT
for _ in $(seq 50); do
	curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done

bin/parley -profile demo-alice -server "$url" -name Alice "$@" &
alice=$!
bin/parley -profile demo-bob -server "$url" -name Bob "$@" &
bob=$!
echo "demo: server at $url; close both windows (or press Ctrl-C) to stop"
wait $alice $bob
