#!/usr/bin/env bash
# bench-peer.sh: Parley's desktop app beside baresip, measured the same way
# (make bench-peer; docs/media.md "Side by side with baresip").
#
# A private PulseAudio with null sinks (spk, mica, micb) carries the sound;
# espeak-ng speech loops into mica and micb (SPEECH=turns: into one, then
# the other). Each round runs, one after the other (never at the same
# time):
#   idle     Bob's app signed in, window open, no call
#   parley   Alice's app calls Bob's (E2EE on, auto-answer): two real app
#            processes under Xvfb, each on PulseAudio
#   baresip  two baresip instances call each other with the same audio
#            settings (Opus 48 kHz mono, 20 ms, 32 kbit/s, complexity 5,
#            in-band FEC, DTLS-SRTP)
#   together a Parley call and a baresip call at once, all four processes
#            over the same window (TOGETHER=0 skips it): one machine's
#            moments differ more than the two programs do, so the ratio
#            of one window is the steadier comparison
# CPU is utime+stime from /proc over a window that starts WARM seconds
# after the call is up (it is less sensitive to a loaded machine than wall
# time); RSS is read at the window's end, with the machine's busy and
# steal share of its CPUs over the window. Then a summary per label, the
# Parley/baresip CPU ratio of the means and round by round (one after the
# other, and in the same windows), and where one Parley process's memory
# goes.
# Idle is measured WARM seconds after sign-in, as the calls after connect.
# In the last round, per-thread CPU and wake-ups of the idle app, of one
# app in a call and of one baresip (scripts/bench-peer/threads.sh), and
# what the Go collector cost over 10 s of the call.
#
#   ROUNDS=3 WARM=20 WINDOW=30 scripts/bench-peer.sh
#   PARLEY_BIN=/path/to/parley   measure another build of the app
#   GO_MEMORY=0                  … one without the SIGUSR1 memory report
#   PARLEY_BASE=/path/to/parley  also measure this build in every round,
#                                interleaved (labels idle-base, parley-base)
#   SPEECH=turns                 the two microphones talk in turns, not both
#                                at once
#   PERF=DIR                     in the last round, also perf record one
#                                app in a call and one baresip (20 s each,
#                                DIR/parley.data, DIR/baresip.data)
set -euo pipefail
cd "$(dirname "$0")/.."
script=bench-peer.sh
source scripts/lib.sh
export LANG=C.UTF-8
rounds=${ROUNDS:-3} warm=${WARM:-20} window=${WINDOW:-30}
here=scripts/bench-peer

scripts/setup.sh bench
mkdir -p bin
go build -o bin/parley-server ./cmd/parley-server && go build -o bin/parleyctl ./cmd/parleyctl
if [ -z "${PARLEY_BIN:-}" ]; then
	go build -tags "${APP_TAGS:-no_emoji,migrated_fynedo}" -o bin/parley .
	PARLEY_BIN=bin/parley
fi

start_work
results=$work/results

# PulseAudio, private: its own runtime dir, home and socket.
export XDG_RUNTIME_DIR=$work/pulse-run HOME=$work/home
mkdir -p "$XDG_RUNTIME_DIR" "$HOME"
chmod 700 "$XDG_RUNTIME_DIR"
PA_SOCKET=$work/pulse.sock
sed "s|\${PA_SOCKET}|$PA_SOCKET|" $here/pulse.pa >"$work/pulse.pa"
pulseaudio -n -F "$work/pulse.pa" --daemonize=no --exit-idle-time=-1 --use-pid-file=no --disable-shm >"$work/pulse.log" 2>&1 &
pa_pid=$!
pids+=("$pa_pid")
export PULSE_SERVER=unix:$PA_SOCKET PULSE_SINK=spk
pulse_up() {
	alive "$pa_pid" PulseAudio "$work/pulse.log"
	pactl info >/dev/null 2>&1
}
wait_until 20 "PulseAudio to answer" pulse_up

# Speech for the whole run: looped into both microphones at once (both
# talking all the time, each over the other), or with SPEECH=turns into one
# and then the other (a conversation: each talks while the other listens).
espeak-ng -s 150 -w "$work/speech.wav" "$(printf 'The quick brown fox jumps over the lazy dog. %.0s' 1 2 3 4 5 6)"
case ${SPEECH:-both} in
both)
	for mic in mica micb; do
		(while :; do paplay --device=$mic "$work/speech.wav" || sleep 1; done) >/dev/null 2>&1 &
		pids+=($!)
	done
	;;
turns)
	(while :; do
		paplay --device=mica "$work/speech.wav" || sleep 1
		paplay --device=micb "$work/speech.wav" || sleep 1
	done) >/dev/null 2>&1 &
	pids+=($!)
	;;
*) die "SPEECH=${SPEECH}: want both or turns" ;;
esac

start_xvfb "$work" 1300x520x24
pids+=("$XVFB_PID")

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
server=$(scripts/demo-org.sh "$work/org" "$port") || die "the demo organization did not start"
pids+=("$server")

measure() { # measure LABEL [LABEL/]name=PID... (window.sh), in round $round
	$here/window.sh "$1" "$window" "${@:2}" | sed "s/\$/ round=$round/" | tee -a "$results"
}

declare -A app_pid
run_app() { # run_app NAME MIC ARGS...: NAME's app on its own microphone
	local name=$1 mic=$2
	shift 2
	mkdir -p "$work/$name"
	: >"$work/$name.log"
	HOME="$work/$name" PULSE_SOURCE=$mic.monitor PARLEY_PASSWORD=parley-demo \
		"$app_bin" -server "$url" -name "$name" -e2ee on "$@" >"$work/$name.log" 2>&1 &
	app_pid[$name]=$!
	pids+=($!)
}
stop_app() {
	kill "${app_pid[$1]}" 2>/dev/null || true
	wait "${app_pid[$1]}" 2>/dev/null || true
}
signed_in() { # the log says so (or, for an older build, its window is up)
	alive "${app_pid[$1]}" "$1's app" "$work/$1.log"
	grep -q 'INFO signed in' "$work/$1.log" ||
		xdotool search --onlyvisible --pid "${app_pid[$1]}" >/dev/null 2>&1
}
in_e2ee_call() {
	for n in alice bob; do
		alive "${app_pid[$n]}" "$n's app" "$work/$n.log"
		grep -q 'state=Connected e2ee=true code="[0-9]' "$work/$n.log" || return 1
	done
}

# late_playback: what each app's last media report (every 5 s) says the
# sound device played as silence because Go's frame came too late, over the
# call so far, in samples (a period is 240 or 480).
late_playback() {
	local n line=""
	for n in alice bob; do
		line="$line $n=$({ grep -o 'device_playback_late=[0-9]*' "$work/$n.log" || true; } | tail -1 | cut -d= -f2)"
	done
	echo "late playback (samples, whole call):$line"
}

# echo_sleep: what each app's last media report says of its echo canceller
# over the call so far: the audio it slept through (the null sinks carry
# no echo, as a headset would not) and the times its probe woke it.
echo_sleep() {
	local n line=""
	for n in alice bob; do
		line="$line $n=$({ grep -o 'echo_asleep=[^ ]*' "$work/$n.log" || true; } | tail -1 | cut -d= -f2)"
		line="$line,wakes=$({ grep -o 'echo_wakes=[0-9]*' "$work/$n.log" || true; } | tail -1 | cut -d= -f2)"
	done
	echo "echo canceller asleep (whole call):$line"
}

# memory PID: where one app process's resident memory goes: the Go
# runtime's own classes (runtime/metrics, logged on SIGUSR1) and the
# mappings from /proc/PID/smaps (Go's memory is among the anonymous ones;
# its arena's address is randomised).
memory() {
	local pid=$1 log=$2
	echo "memory of one Parley process in a call (pid $pid):"
	# GO_MEMORY=0 for a build without the SIGUSR1 report (it would exit).
	if [ "${GO_MEMORY:-1}" = 1 ]; then
		# Two reports 10 s apart: the classes from the second, the
		# collector's cycles and CPU between them.
		kill -USR1 "$pid"
		wait_until 15 "the app's memory report" grep -q 'INFO go memory' "$log"
		sleep 10
		kill -USR1 "$pid"
		wait_until 15 "the app's second memory report" test "$(grep -c 'INFO go memory' "$log")" -ge 2
		grep 'INFO go memory' "$log" | tail -1 | tr ' ' '\n' | sed -n 's|^/memory/classes/\([^=]*\):bytes=\([0-9]*\)|\1 \2|p' |
			awk '{ printf "  %7.1f MiB  go %s\n", $2/1048576, $1 }'
		grep 'INFO go memory' "$log" | tail -2 | awk '
			{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[NR, kv[1]] = kv[2] } }
			END {
				printf "  go live heap %.1f MiB, GOGC %s; over 10 s: %d GC cycles, %.1f MB allocated, GC CPU %.2f %% of a core\n",
					v[2, "/gc/heap/live:bytes"] / 1048576, v[2, "/gc/gogc:percent"],
					v[2, "/gc/cycles/total:gc-cycles"] - v[1, "/gc/cycles/total:gc-cycles"],
					(v[2, "/gc/heap/allocs:bytes"] - v[1, "/gc/heap/allocs:bytes"]) / 1e6,
					10 * (v[2, "/cpu/classes/gc/total:cpu-seconds"] - v[1, "/cpu/classes/gc/total:cpu-seconds"])
			}'
	fi
	awk '
		/^[0-9a-f]+-[0-9a-f]+ / {
			path = $6
			if (path == "[heap]") kind = "anon: C malloc heap ([heap])"
			else if (path == "[stack]") kind = "anon: main thread stack"
			else if (path == "") kind = "anon: Go runtime (go total above, less released) + C mmap"
			else if (path ~ /^\[/) kind = path
			else { n = split(path, p, "/"); kind = "file: " p[n]
				sub(/\.so.*/, ".so", kind) }
			next
		}
		/^Rss:/ { rss[kind] += $2; total += $2 }
		END {
			for (k in rss) if (rss[k] >= 1024) printf "  %7.1f MiB  %s\n", rss[k]/1024, k
			small = 0; for (k in rss) if (rss[k] < 1024) small += rss[k]
			printf "  %7.1f MiB  %s\n", small/1024, "(mappings under 1 MiB each, together)"
			printf "  %7.1f MiB  %s\n", total/1024, "total RSS"
		}' "/proc/$pid/smaps" | sort -rn
	# Shared file pages (libraries, the binary) count in full in each
	# process's RSS; PSS splits them among the processes that map them.
	awk '/^(Pss|Anonymous|Shared_Clean|Private_Dirty):/ { printf "  %7.1f MiB  %s\n", $2/1024, $1 }' "/proc/$pid/smaps_rollup"
}

# perf_record NAME PID: 20 s of PID's samples, with call stacks, into
# $PERF/NAME.data (perf report -i … --no-children --sort dso,sym). A
# sample every 100 µs of the process's own CPU time (task-clock): on a
# virtual machine without hardware counters a frequency (-F 999) gave
# about a tenth of the samples it asked for.
perf_record() {
	mkdir -p "$PERF"
	perf record -q -g -e task-clock -c 100000 -p "$2" -o "$PERF/$1.data" -- sleep 20 >/dev/null 2>&1 ||
		echo "perf record of $1 failed"
}

# start_baresip: b listens, a dials; sets ba and bb once the call is up.
start_baresip() {
	for side in a b; do
		rm -rf "$work/baresip-$side"
		cp -r "$here/baresip-$side" "$work/baresip-$side"
	done
	: >"$work/baresip-a.log"
	: >"$work/baresip-b.log"
	PULSE_SOURCE=micb.monitor baresip -4 -f "$work/baresip-b" </dev/null >"$work/baresip-b.log" 2>&1 &
	bb=$!
	pids+=("$bb")
	wait_until 60 "baresip b to listen" grep -qi 'baresip is ready' "$work/baresip-b.log"
	PULSE_SOURCE=mica.monitor baresip -4 -f "$work/baresip-a" -e "/dial sip:b@127.0.0.1:5170" </dev/null >"$work/baresip-a.log" 2>&1 &
	ba=$!
	pids+=("$ba")
	wait_until 60 "the baresip call" established
}
established() {
	alive "$ba" "baresip a" "$work/baresip-a.log"
	alive "$bb" "baresip b" "$work/baresip-b.log"
	grep -qi 'call established' "$work/baresip-a.log" && grep -qi 'call established' "$work/baresip-b.log"
}
stop_baresip() {
	kill "$ba" "$bb" 2>/dev/null || true
	wait "$ba" "$bb" 2>/dev/null || true
}

# start_bob: Bob's app (app_bin), signed in; call_bob: Alice's calls it.
start_bob() {
	run_app bob micb -auto-answer
	wait_until 60 "bob to sign in" signed_in bob
}
call_bob() {
	run_app alice mica -call bob
	wait_until 90 "an E2EE call between the two apps" in_e2ee_call
}

for round in $(seq 1 "$rounds"); do
	echo "== round $round of $rounds ($(uptime | sed 's/.*load/load/'))"
	for build in main ${PARLEY_BASE:+base}; do
		app_bin=$PARLEY_BIN sfx=""
		[ "$build" = base ] && app_bin=$PARLEY_BASE sfx=-base
		# idle: Bob signed in, window open, no call.
		start_bob
		sleep "$warm"
		measure idle$sfx parley-bob="${app_pid[bob]}"
		if [ "$round" = "$rounds" ] && [ "$build" = main ]; then
			echo "threads of the idle app (pid ${app_pid[bob]}, 10 s):"
			$here/threads.sh "${app_pid[bob]}" 10
		fi

		# parley: Alice calls Bob.
		call_bob
		sleep "$warm"
		measure parley$sfx parley-alice="${app_pid[alice]}" parley-bob="${app_pid[bob]}"
		late_playback
		echo_sleep
		if [ "$round" = "$rounds" ] && [ "$build" = main ]; then
			echo "threads of one app in a call (pid ${app_pid[alice]}, 10 s):"
			$here/threads.sh "${app_pid[alice]}" 10
			memory "${app_pid[alice]}" "$work/alice.log"
			[ -z "${PERF:-}" ] || perf_record parley "${app_pid[alice]}"
		fi
		stop_app alice
		stop_app bob
	done

	# baresip: b listens, a dials.
	start_baresip
	sleep "$warm"
	measure baresip baresip-a="$ba" baresip-b="$bb"
	if [ "$round" = "$rounds" ]; then
		echo "threads of one baresip in a call (pid $ba, 10 s):"
		$here/threads.sh "$ba" 10
		[ -z "${PERF:-}" ] || perf_record baresip "$ba"
	fi

	# together: a Parley call and a baresip call at the same time, all
	# four processes measured over the same window, so that both see the
	# same machine (what else it runs, what the hypervisor takes).
	if [ "${TOGETHER:-1}" = 1 ]; then
		app_bin=$PARLEY_BIN
		start_bob
		call_bob
		sleep "$warm"
		measure together together-parley/parley-alice="${app_pid[alice]}" together-parley/parley-bob="${app_pid[bob]}" \
			together-baresip/baresip-a="$ba" together-baresip/baresip-b="$bb"
		late_playback
		echo_sleep
		stop_app alice
		stop_app bob
	fi
	stop_baresip
done

echo "== summary ($rounds rounds, ${window} s windows, ${warm} s after connect; $(nproc) cores; $(uptime | sed 's/.*load/load/'))"
awk '
	{
		l = $1; for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		c = v["pct_core"] + 0; m = v["rss_MiB"] + 0
		n[l]++; sum[l] += c; rs[l] += m
		if (!(l in lo) || c < lo[l]) lo[l] = c; if (c > hi[l]) hi[l] = c
		if (!(l in rlo) || m < rlo[l]) rlo[l] = m; if (m > rhi[l]) rhi[l] = m
	}
	END {
		for (l in n) printf "%-16s CPU per process %5.2f–%5.2f %% of a core (mean %5.2f)   RSS %6.1f–%6.1f MiB\n", l, lo[l], hi[l], sum[l]/n[l], rlo[l], rhi[l]
		for (l in n) if (l ~ /^parley/ && n["baresip"] > 0)
			printf "ratio    %s/baresip CPU in a call %.2f×, RSS %.1f×\n", l, (sum[l]/n[l]) / (sum["baresip"]/n["baresip"]), (rs[l]/n[l]) / (rs["baresip"]/n["baresip"])
	}' "$results" | sort
# Round by round: Parley's calls over baresip's one after the other
# (each window's steal in brackets), and in the same windows.
per_round() { # per_round PARLEY_LABEL BARESIP_LABEL TITLE
	awk -v pl="$1" -v bl="$2" -v title="$3" '
		$1 == pl || $1 == bl {
			for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			r = v["round"]; c[r, $1] += v["pct_core"]; k[r, $1]++; st[r, $1] = v["machine_steal_pct"]
		}
		END {
			for (r = 1; (r, pl) in k || (r, bl) in k; r++) if (k[r, pl] > 0 && k[r, bl] > 0) {
				x = (c[r, pl] / k[r, pl]) / (c[r, bl] / k[r, bl])
				s = st[r, pl] == st[r, bl] ? sprintf("%.1f", st[r, pl]) : sprintf("%.1f/%.1f", st[r, pl], st[r, bl])
				line = line sprintf(" %.2f× (steal %s %%)", x, s); sum += x; n++
				if (n == 1 || x < lo) lo = x; if (x > hi) hi = x
			}
			if (n > 0) printf "ratio    %s per round: mean %.2f×, %.2f–%.2f×;%s\n", title, sum / n, lo, hi, line
		}' "$results"
}
per_round parley baresip "parley/baresip one after the other"
per_round together-parley together-baresip "together-parley/together-baresip in the same windows"
