# shellcheck shell=bash
# xvfb.sh, sourced by the scripts that need a screen:
#   start_xvfb WIDTHxHEIGHT DIR
# starts Xvfb on a display number it picks itself (free, whatever else runs
# on this machine), waits until it accepts clients, exports DISPLAY and adds
# its pid to the caller's pids array (the caller's cleanup kills it). Its log
# is DIR/xvfb.log.
start_xvfb() {
	local geometry=$1 dir=$2
	: >"$dir/xvfb.display"
	Xvfb -displayfd 3 -screen 0 "${geometry}x24" -nolisten tcp 3>"$dir/xvfb.display" >"$dir/xvfb.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do
		[ -s "$dir/xvfb.display" ] && break
		sleep 0.1
	done
	[ -s "$dir/xvfb.display" ] || { echo "Xvfb did not start: $(cat "$dir/xvfb.log")" >&2; return 1; }
	DISPLAY=:$(head -1 "$dir/xvfb.display")
	export DISPLAY
}
