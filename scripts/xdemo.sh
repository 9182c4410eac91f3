# shellcheck shell=bash
# xdemo.sh: what screenshot.sh and walkthrough.sh share — the binaries, a
# work directory cleaned up on exit, our own Xvfb, the demo organization,
# and Parley windows signed in to it. Source it after lib.sh.

# bin/parley is built here without APP_TAGS (make's), with Fyne's thread
# checks: they log a line when a shown object is refreshed, or a window
# changed, off Fyne's goroutine. The shipped app (migrated_fynedo) runs
# without them and relies on there being none; thread_checked fails the
# run on any. no_metadata: Fyne would otherwise read FyneApp.toml's
# [Migrations] at run time (a checkout under the temporary directory),
# which turns the checks off.
go build -tags no_metadata -o bin/parley . && go build -o bin/parley-server ./cmd/parley-server && go build -o bin/parleyctl ./cmd/parleyctl

work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# demo_display W H: Xvfb of W×H and the demo organization (sets url).
demo_display() {
	width=$1 height=$2
	start_xvfb "$work" "${width}x${height}x24"
	pids+=("$XVFB_PID")
	echo "$script: Xvfb (pid $XVFB_PID) on $DISPLAY"
	local port server
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	url="http://127.0.0.1:$port"
	server=$(scripts/demo-org.sh "$work/org" "$port") || die "the demo organization did not start"
	pids+=("$server")
}

# run_app Name [FLAGS…]: Parley signed in as name (lower case) with its
# own home (Fyne preferences), logging to $work/Name.log.
declare -A app_pid win
run_app() {
	local name=$1
	shift
	mkdir -p "$work/$name"
	: >"$work/$name.log"
	HOME="$work/$name" PARLEY_PASSWORD=parley-demo bin/parley -server "$url" -name "$(echo "$name" | tr A-Z a-z)" -e2ee on -null-audio "$@" >"$work/$name.log" 2>&1 &
	pids+=($!)
	app_pid[$name]=$!
}

# thread_checked: die if any app logged Fyne's complaint that it was used
# off its goroutine (the log, the line and the caller it names).
thread_checked() {
	local bad
	bad=$(grep -H -A1 'Error in Fyne call thread' "$work"/*.log 2>/dev/null | head -6 || true)
	[ -z "$bad" ] || die "Fyne used off its goroutine: $bad"
}

# window_of Name: the signed-in window, titled "Parley — <organization> — <name>".
window_of() {
	alive "$XVFB_PID" Xvfb "$work/xvfb.log"
	alive "${app_pid[$1]}" "$1's app" "$work/$1.log"
	win[$1]=$(xdotool search --onlyvisible --name "^Parley — Demo — $1\$" 2>/dev/null | head -1)
	[ -n "${win[$1]}" ]
}

# at Name X Y: the window's top-left corner is at X,Y.
at() { xdotool getwindowgeometry "${win[$1]}" 2>/dev/null | grep -q "Position: $2,$3 "; }

# place Name X: wait for the window, move it to X,0.
place() {
	wait_until 60 "$1's signed-in window on $DISPLAY" window_of "$1"
	xdotool windowmove "${win[$1]}" "$2" 0
	wait_until 10 "$1's window at $2,0" at "$1" "$2" 0
}
