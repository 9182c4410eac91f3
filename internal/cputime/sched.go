package cputime

import "runtime/metrics"

// schedLatencies is the runtime's histogram of the time goroutines spent
// runnable before running. The runtime samples it: it counts one in
// schedSampling of each goroutine's trips from running to waiting and
// back (runtime2.go's gTrackingPeriod, 8 since Go 1.17).
const (
	schedLatencies = "/sched/latencies:seconds"
	schedSampling  = 8
)

// GoroutineRuns estimates how many times the Go scheduler has started
// running a goroutine that was waiting (woken from a channel, lock,
// timer, network or a buffer's notify, or just created) so far: each
// goroutine hand-off of a packet is one. It is the runtime's sampled count
// times the sampling period, so good to a few percent over thousands of
// runs; 0 if the runtime does not say.
func GoroutineRuns() uint64 {
	s := []metrics.Sample{{Name: schedLatencies}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64Histogram {
		return 0
	}
	var n uint64
	for _, c := range s[0].Value.Float64Histogram().Counts {
		n += c
	}
	return n * schedSampling
}
