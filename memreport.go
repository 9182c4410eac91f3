//go:build unix

package main

import (
	"log/slog"
	"os"
	"os/signal"
	"runtime/metrics"
	"runtime/pprof"
	"syscall"
)

// memMetrics are the Go runtime's own memory classes (runtime/metrics):
// what of the process's RSS is Go's, for make bench-peer's breakdown.
var memMetrics = []string{
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
	"/memory/classes/heap/free:bytes",
	"/memory/classes/heap/released:bytes",
	"/memory/classes/heap/stacks:bytes",
	"/memory/classes/metadata/other:bytes",
	"/memory/classes/os-stacks:bytes",
	"/memory/classes/other:bytes",
	"/memory/classes/profiling/buckets:bytes",
	"/memory/classes/total:bytes",
	"/gc/heap/live:bytes", // marked live by the last collection
	"/gc/gomemlimit:bytes",
	"/gc/gogc:percent",
	// What collecting costs: cycles, CPU and the allocation behind them.
	"/gc/cycles/total:gc-cycles",
	"/gc/heap/allocs:bytes",
	"/cpu/classes/gc/total:cpu-seconds",
	"/cpu/classes/total:cpu-seconds",
}

// reportMemoryOnSignal logs the Go runtime's memory classes each time the
// process gets SIGUSR1 (scripts/bench-peer.sh sends it) and, when
// PARLEY_HEAPPROFILE names a file, writes a heap profile there (for
// go tool pprof: what the live heap is).
func reportMemoryOnSignal(log *slog.Logger) {
	profile := os.Getenv("PARLEY_HEAPPROFILE")
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR1)
	go func() {
		samples := make([]metrics.Sample, len(memMetrics))
		for i, name := range memMetrics {
			samples[i].Name = name
		}
		for range ch {
			metrics.Read(samples)
			args := make([]any, 0, 2*len(samples))
			for _, s := range samples {
				switch s.Value.Kind() {
				case metrics.KindUint64:
					args = append(args, s.Name, s.Value.Uint64())
				case metrics.KindFloat64:
					args = append(args, s.Name, s.Value.Float64())
				}
			}
			log.Info("go memory", args...)
			if profile != "" {
				writeHeapProfile(log, profile)
			}
		}
	}()
}

func writeHeapProfile(log *slog.Logger, path string) {
	f, err := os.Create(path)
	if err != nil {
		log.Warn("heap profile", "err", err)
		return
	}
	defer f.Close()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		log.Warn("heap profile", "err", err)
	}
}
