#!/bin/bash
# threads.sh PID SECONDS: each thread's CPU (% of a core) and wake-ups
# (context switches a second) over a window, busiest first. Threads are
# numbered in creation order: 1 is the main (GL/Fyne) thread, 2 the Go
# runtime's sysmon; Mesa's are named llvmpipe-N.
pid=$1 secs=$2
snap() {
	local i=0
	for t in $(ls /proc/$pid/task | sort -n); do
		i=$((i + 1))
		s=$(cat /proc/$pid/task/$t/stat 2>/dev/null) || continue
		s=${s##*) }
		set -- $s
		echo "$t $i $(cat /proc/$pid/task/$t/comm) $((${12} + ${13})) $(awk '/^(non)?voluntary_ctxt/ { n += $2 } END { print n }' /proc/$pid/task/$t/status)"
	done | sort
}
a=$(snap)
sleep "$secs"
join <(echo "$a") <(snap) | awk -v s="$secs" '
	{ cpu = ($8 - $4) / s; w = ($9 - $5) / s; tc += cpu; tw += w
	  if (cpu > 0 || w >= 1) printf "  %6.2f %%  %7.0f wake-ups/s  thread %d (%s)\n", cpu, w, $2, $3 }
	END { printf "  %6.2f %%  %7.0f wake-ups/s  all threads\n", tc, tw }' | sort -rn
