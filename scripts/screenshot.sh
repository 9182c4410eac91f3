#!/usr/bin/env bash
# screenshot.sh OUT.png: a real E2EE call between two real Parley windows
# under Xvfb. Alice calls Bob, Bob answers; both windows must report the
# call E2EE with the same security code, then the screen is captured with
# both windows side by side. Every step waits for a signal that it
# happened (Xvfb's display number, the server's and the apps' log lines,
# the windows' positions, the picture settling) under a deadline, and the
# script fails loudly, never photographing a display it did not start.
set -euo pipefail
cd "$(dirname "$0")/.."
script=screenshot.sh
source scripts/lib.sh
export LANG=C.UTF-8
out=${1:?usage: screenshot.sh OUT.png}
mkdir -p "$(dirname "$out")" bin
go build -o bin/parley . && go build -o bin/parley-server ./cmd/parley-server && go build -o bin/parleyctl ./cmd/parleyctl

start_work

width=1290 height=510
start_xvfb "$work" "${width}x${height}x24"
pids+=("$XVFB_PID")
echo "$script: Xvfb (pid $XVFB_PID) on $DISPLAY"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
server=$(scripts/demo-org.sh "$work/org" "$port") || die "the demo organization did not start"
pids+=("$server")

# Separate homes keep each window's Fyne preferences apart.
declare -A app_pid
run_app() {
	local name=$1
	shift
	mkdir -p "$work/$name"
	: >"$work/$name.log"
	HOME="$work/$name" PARLEY_PASSWORD=parley-demo bin/parley -server "$url" -name "$(echo "$name" | tr A-Z a-z)" -e2ee on -null-audio "$@" >"$work/$name.log" 2>&1 &
	pids+=($!)
	app_pid[$name]=$!
}
run_app Bob -auto-answer
run_app Alice -call bob

# Each window, by title, as soon as it is mapped; moved into place before
# the call screen comes up, so the call is drawn where it is captured.
window_of() {
	alive "$XVFB_PID" Xvfb "$work/xvfb.log"
	alive "${app_pid[$1]}" "$1's app" "$work/$1.log"
	win[$1]=$(xdotool search --onlyvisible --name "^Parley — $(echo "$1" | tr A-Z a-z)\$" 2>/dev/null | head -1)
	[ -n "${win[$1]}" ]
}
at() { # at NAME X Y: the window's top-left corner is at X,Y
	local g
	g=$(xdotool getwindowgeometry "${win[$1]}" 2>/dev/null) || return 1
	grep -q "Position: $2,$3 " <<<"$g"
}
declare -A win
for w in Alice:0 Bob:645; do
	name=${w%%:*} x=${w#*:}
	wait_until 60 "$name's window on $DISPLAY" window_of "$name"
	xdotool windowmove "${win[$name]}" "$x" 0
	wait_until 10 "$name's window to move to $x,0" at "$name" "$x" 0
done

code_of() { sed -n 's/.*state=Connected e2ee=true code="\([0-9 ]*\)".*/\1/p' "$work/$1.log" | tail -1; }
both_secure() {
	alive "${app_pid[Alice]}" "Alice's app" "$work/Alice.log"
	alive "${app_pid[Bob]}" "Bob's app" "$work/Bob.log"
	a=$(code_of Alice) b=$(code_of Bob)
	[ -n "$a" ] && [ -n "$b" ]
}
if ! (wait_until 60 "both apps to report an E2EE call" both_secure); then
	tail -n 20 "$work"/*.log >&2
	exit 1
fi
a=$(code_of Alice) b=$(code_of Bob)
[ "$a" = "$b" ] || die "the security codes differ (alice '$a', bob '$b')"
echo "$script: E2EE call up, both windows show code $a"

# The apps log the state before Fyne paints it: capture until three shots
# in a row differ by at most a few characters (the call timer ticks) and
# neither window is blank.
shot=0
capture() {
	shot=$((shot + 1))
	import -window root "$work/shot$shot.png"
	[ "$(identify -format '%wx%h' "$work/shot$shot.png")" = "${width}x${height}" ] || die "captured a picture of the wrong size from $DISPLAY"
}
differ() { compare -metric AE -fuzz 10% "$1" "$2" null: 2>&1 >/dev/null | cut -d' ' -f1 || true; }
blank() { # blank IMG X: is the window at X a single colour?
	local sd
	sd=$(convert "$1" -crop "645x${height}+$2+0" +repage -colorspace Gray -format '%[fx:standard_deviation]' info:)
	awk -v sd="$sd" 'BEGIN { exit !(sd < 0.01) }'
}
settled() {
	alive "$XVFB_PID" Xvfb "$work/xvfb.log"
	capture
	((shot >= 3)) || return 1
	local d1 d2
	d1=$(differ "$work/shot$((shot - 2)).png" "$work/shot$((shot - 1)).png")
	d2=$(differ "$work/shot$((shot - 1)).png" "$work/shot$shot.png")
	awk -v a="$d1" -v b="$d2" 'BEGIN { exit !(a != "" && b != "" && a + 0 < 2000 && b + 0 < 2000) }' || return 1
	! blank "$work/shot$shot.png" 0 && ! blank "$work/shot$shot.png" 645
}
wait_until 20 "both windows to be painted and settled" settled
cp "$work/shot$shot.png" "$out"
echo "$script: wrote $out ($shot captures to settle)"
