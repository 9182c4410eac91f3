#!/usr/bin/env bash
# screenshot.sh OUT.png: a real E2EE call between two real Parley windows
# under Xvfb. Alice calls Bob, Bob answers; both windows must report the
# call E2EE with the same security code, then the screen is captured with
# both windows side by side. Fails if any step does not happen.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8
out=${1:?usage: screenshot.sh OUT.png}
mkdir -p "$(dirname "$out")" bin
go build -o bin/parley . && go build -o bin/parley-server ./cmd/parley-server && go build -o bin/parleyctl ./cmd/parleyctl

work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

. scripts/xvfb.sh
start_xvfb 1290x510 "$work"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
pids+=("$(scripts/demo-org.sh "$work/org" "$port")")

# Separate homes keep each window's Fyne preferences apart.
run_app() {
	local name=$1; shift
	mkdir -p "$work/$name"
	: >"$work/$name.log"
	HOME="$work/$name" PARLEY_PASSWORD=parley-demo bin/parley -server "$url" -name "$(echo "$name" | tr A-Z a-z)" -e2ee on -null-audio "$@" >"$work/$name.log" 2>&1 &
	pids+=($!)
}
run_app Bob -auto-answer
run_app Alice -call bob

code_of() { sed -n 's/.*state=Connected e2ee=true code="\([0-9 ]*\)".*/\1/p' "$work/$1.log" | tail -1; }
for _ in $(seq 300); do
	a=$(code_of Alice); b=$(code_of Bob)
	[ -n "$a" ] && [ -n "$b" ] && break
	sleep 0.1
done
if [ -z "${a:-}" ] || [ "$a" != "$b" ]; then
	echo "screenshot: the call did not become E2EE with matching codes (alice '$a', bob '$b')" >&2
	tail -n 20 "$work"/*.log >&2
	exit 1
fi
echo "screenshot: E2EE call up, both windows show code $a"

win() { xdotool search --sync --name "^Parley — $1\$" | head -1; }
xdotool windowmove "$(win alice)" 0 0
xdotool windowmove "$(win bob)" 645 0
sleep 1.5 # let both windows repaint after the move
import -window root "$out"
echo "screenshot: wrote $out"
