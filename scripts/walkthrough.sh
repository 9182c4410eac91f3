#!/usr/bin/env bash
# walkthrough.sh [DIR]: two real Parley windows under Xvfb, driven with
# xdotool as a person would: Bob signs in, Alice signs in and calls him,
# his window shows the incoming card, he accepts, both see the same
# security code, they chat in the call, Alice mutes and hangs up, both
# look at Calls, Alice opens Settings and signs out. Each step waits for
# the apps' log lines (screen=…, call state, chat) and the window titles,
# then saves a screenshot into DIR (default docs/screens). Fails loudly.
set -euo pipefail
cd "$(dirname "$0")/.."
script=walkthrough.sh
source scripts/lib.sh
export LANG=C.UTF-8
out=${1:-docs/screens}
mkdir -p "$out" bin
source scripts/xdemo.sh
demo_display 1460 530

logged() { # logged NAME PATTERN [COUNT]: NAME's log has PATTERN (COUNT times)
	alive "${app_pid[$1]}" "$1's app" "$work/$1.log"
	(($(grep -c -- "$2" "$work/$1.log" || true) >= ${3:-1}))
}
expect() { wait_until 30 "$1's app to log '$2'" logged "$@"; }
key() { # key NAME KEYS: press KEYS in NAME's window
	xdotool windowfocus --sync "${win[$1]}" 2>/dev/null || xdotool windowfocus "${win[$1]}"
	xdotool key --clearmodifiers "$2"
}

# Every picture waits until the screen stops changing (Fyne paints after
# the log line), then is checked for size and saved.
n=0 shot=0
capture() {
	shot=$((shot + 1))
	import -window root "$work/s$shot.png"
}
differ() { compare -metric AE -fuzz 10% "$1" "$2" null: 2>&1 >/dev/null | cut -d' ' -f1 || true; }
settled() {
	capture
	((shot >= 2)) || return 1
	local d
	d=$(differ "$work/s$((shot - 1)).png" "$work/s$shot.png")
	awk -v a="$d" 'BEGIN { exit !(a != "" && a + 0 < 1500) }'
}
snap() { # snap NAME: the settled screen as DIR/NN-NAME.png
	shot=0
	rm -f "$work"/s*.png
	wait_until 20 "the screen to settle for $1" settled
	n=$((n + 1))
	[ "$(identify -format '%wx%h' "$work/s$shot.png")" = "${width}x${height}" ] || die "wrong picture size"
	cp "$work/s$shot.png" "$out/$(printf %02d "$n")-$1.png"
	echo "$script: $out/$(printf %02d "$n")-$1.png"
}

run_app Bob
place Bob 735
expect Bob "screen=people"
snap signed-in

run_app Alice -call bob
place Alice 0
expect Bob 'state="Incoming call"'
snap incoming-card

key Bob ctrl+shift+a
code_of() { sed -n 's/.*state=Connected e2ee=true code="\([0-9 ]*\)".*/\1/p' "$work/$1.log" | tail -1; }
secure() { logged Alice "state=Connected e2ee=true" && logged Bob "state=Connected e2ee=true"; }
wait_until 60 "both apps in an E2EE call" secure
[ "$(code_of Alice)" = "$(code_of Bob)" ] || die "the security codes differ: '$(code_of Alice)' / '$(code_of Bob)'"
echo "$script: E2EE call, both show $(code_of Alice)"
snap call-e2ee

key Alice ctrl+t
xdotool type --delay 20 "Hello Bob, can you hear me?"
key Alice Return
expect Bob 'chat peer=alice messages=1'
key Bob ctrl+t
snap chat-in-call

key Alice ctrl+m
snap alice-muted

key Alice ctrl+shift+e
expect Alice 'state="Call ended"'
expect Bob 'state="Call ended"'
snap after-call

key Alice ctrl+2
key Bob ctrl+2
expect Alice "screen=calls"
expect Bob "screen=calls"
snap calls

key Alice ctrl+comma
expect Alice "screen=settings"
snap settings

key Alice ctrl+shift+q
expect Alice "screen=sign-in"
gone() { ! xdotool search --onlyvisible --name "^Parley — Demo — Alice\$" >/dev/null 2>&1; }
wait_until 10 "Alice's window title to drop her name" gone
snap signed-out
thread_checked
echo "$script: $n steps, all seen"
