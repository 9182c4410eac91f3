# shellcheck shell=bash
# lib.sh: what the scripts share; source it after setting $script (the
# name used in messages). Every wait has a deadline and fails loudly.

die() {
	echo "$script: $*" >&2
	exit 1
}

# wait_until SECONDS WHAT CMD...: run CMD every 0.1 s until it succeeds; die
# after SECONDS naming WHAT. CMD runs in this shell, so it may die itself
# (say, when the process it waits for has exited).
wait_until() {
	local secs=$1 what=$2
	shift 2
	local deadline=$((SECONDS + secs))
	until "$@"; do
		((SECONDS < deadline)) || die "timed out after ${secs}s waiting for $what"
		sleep 0.1
	done
}

# alive PID WHAT LOG: die, with LOG's tail, if PID has exited.
alive() {
	kill -0 "$1" 2>/dev/null && return 0
	echo "$script: $2 exited; last lines of $3:" >&2
	tail -n 20 "$3" >&2 || true
	exit 1
}

# start_xvfb DIR WxHxD: start our own Xvfb on a display nobody uses and
# export DISPLAY. Xvfb itself picks the first free display and writes its
# number to -displayfd only once it accepts connections, so the number is
# both the readiness signal and proof that the display is ours (a display
# taken by another server is skipped, never shared). Sets XVFB_PID.
start_xvfb() {
	local dir=$1 geometry=$2
	: >"$dir/xvfb.display"
	Xvfb -displayfd 3 -screen 0 "$geometry" -nolisten tcp -noreset 3>"$dir/xvfb.display" >"$dir/xvfb.log" 2>&1 &
	XVFB_PID=$!
	wait_until 20 "Xvfb to accept connections" xvfb_started "$dir"
	export DISPLAY=:$(tr -dc 0-9 <"$dir/xvfb.display")
	local size want=${geometry%x*}
	size=$(xdpyinfo 2>/dev/null | sed -n 's/^ *dimensions: *\([0-9]*x[0-9]*\) pixels.*/\1/p')
	[ "$size" = "$want" ] || die "display $DISPLAY is $size, not our Xvfb's $want"
}

xvfb_started() {
	alive "$XVFB_PID" Xvfb "$1/xvfb.log"
	grep -q '[0-9]' "$1/xvfb.display"
}

# start_work: a fresh temporary directory in $work, and an exit trap that
# kills every pid added to $pids and removes the directory.
start_work() {
	work=$(mktemp -d)
	pids=()
	trap cleanup_work EXIT
}

cleanup_work() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}

# window_of TITLE: sets win to the id of a visible window titled exactly
# TITLE; for wait_until.
window_of() {
	win=$(xdotool search --onlyvisible --name "^$1\$" 2>/dev/null | head -1 || true)
	[ -n "$win" ]
}

# settled DIR OUT WINDOW [X...]: capture WINDOW (an X window id, or root)
# into DIR/shot-N.png, and succeed, copying it to OUT, once it is drawn and
# still: the last two captures differ in fewer than 2000 pixels (a call
# timer may tick) and the 645-pixel-wide column at each X (default 0) has
# more than a handful of colours, so no window in it is blank. For
# wait_until, with our own Xvfb (XVFB_PID) up; remove DIR/shot-*.png first.
# SETTLE_MOVING=1 drops the stillness test, for screens that show moving
# video (which never keeps still): drawn is enough.
settled() {
	local dir=$1 out=$2 window=$3 n prev d x
	shift 3
	alive "$XVFB_PID" Xvfb "$dir/xvfb.log"
	n=$(find "$dir" -maxdepth 1 -name 'shot-*.png' | wc -l)
	import -window "$window" "$dir/shot-$((n + 1)).png" 2>/dev/null || return 1
	prev=$dir/shot-$n.png
	[ -f "$prev" ] || return 1
	if [ -z "${SETTLE_MOVING:-}" ]; then
		d=$(compare -metric AE -fuzz 10% "$prev" "$dir/shot-$((n + 1)).png" null: 2>&1 >/dev/null | cut -d' ' -f1 || true)
		awk -v d="$d" 'BEGIN { exit !(d != "" && d + 0 < 2000) }' || return 1
	fi
	for x in "${@:-0}"; do
		[ "$(convert "$dir/shot-$((n + 1)).png" -crop "645x100000+$x+0" +repage -format %k info:)" -gt 16 ] || return 1
	done
	cp "$dir/shot-$((n + 1)).png" "$out"
}
