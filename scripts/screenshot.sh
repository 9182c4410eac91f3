#!/usr/bin/env bash
# screenshot.sh OUT.png: a real E2EE call between two real Parley windows
# under Xvfb. Alice calls Bob, Bob answers; both windows must report the
# call E2EE with the same security code, then the screen is captured with
# both windows side by side. With VIDEO=1 both turn their (synthetic)
# camera on once the call is up, and the capture waits until each shows
# the other's picture and its own. Every step waits for a signal that it
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
source scripts/xdemo.sh
demo_display 1450 525

video=()
[ -n "${VIDEO:-}" ] && video=(-camera synthetic -auto-camera)
run_app Bob -auto-answer "${video[@]}"
run_app Alice -call bob "${video[@]}"
# Each window moved into place before the call screen comes up, so the
# call is drawn where it is captured.
place Alice 0
place Bob 730

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
if [ -n "${VIDEO:-}" ]; then
	# Each shows two pictures: the other's camera and its own.
	videos() { grep -q 'state=Connected e2ee=true .* video=2' "$work/$1.log"; }
	both_video() { videos Alice && videos Bob; }
	wait_until 60 "both apps to show the other's video" both_video
fi

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
	sd=$(convert "$1" -crop "720x${height}+$2+0" +repage -colorspace Gray -format '%[fx:standard_deviation]' info:)
	awk -v sd="$sd" 'BEGIN { exit !(sd < 0.01) }'
}
settled() {
	alive "$XVFB_PID" Xvfb "$work/xvfb.log"
	capture
	((shot >= 3)) || return 1
	local d1 d2
	if [ -z "${VIDEO:-}" ]; then # moving video never settles: painted is enough
		d1=$(differ "$work/shot$((shot - 2)).png" "$work/shot$((shot - 1)).png")
		d2=$(differ "$work/shot$((shot - 1)).png" "$work/shot$shot.png")
		awk -v a="$d1" -v b="$d2" 'BEGIN { exit !(a != "" && b != "" && a + 0 < 2000 && b + 0 < 2000) }' || return 1
	fi
	! blank "$work/shot$shot.png" 0 && ! blank "$work/shot$shot.png" 730
}
wait_until 20 "both windows to be painted and settled" settled
cp "$work/shot$shot.png" "$out"
for n in Alice Bob; do # the client's memory in the call (docs/media.md)
	echo "$script: $n's app in the call: $(grep -E '^VmRSS' "/proc/${app_pid[$n]}/status" | tr -s ' \t' ' ')"
done
thread_checked
echo "$script: wrote $out ($shot captures to settle)"
