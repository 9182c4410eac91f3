package main

import (
	"os"
	"runtime/debug"
	"strings"
)

// gcPercent is the app's GOGC. Go's default, 100, lets the heap grow to
// twice what is live before it collects; the app's live heap is small
// (8.5–9.9 MiB in a call, 6 MiB of it parsed fonts) and grows slowly
// (about 0.2 MB/s in a call), so collecting at +50 % keeps about 5 MiB
// less resident for a collection every minute or so (docs/media.md, "What
// changed"); GOGC 25 measured about 2 MiB less again for three times the
// collector's CPU. A GOGC in the environment still wins.
const gcPercent = 50

// tuneMemory applies gcPercent unless the user set GOGC.
func tuneMemory() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
}

// memProfileSetting turns the heap profiler off from the runtime's start.
// It samples an allocation every 512 KiB by default, and its buckets,
// allocated from the first sample on (before main could set
// runtime.MemProfileRate), stay for the process's life: 1.4–1.5 MiB in a
// call, gone with this setting (docs/media.md, "Where the memory goes").
const memProfileSetting = "memprofilerate=0"

// memProfileEnv returns env with memProfileSetting added to GODEBUG, and
// whether that changed anything: not when PARLEY_HEAPPROFILE asks for
// heap profiles (memreport.go) or GODEBUG already sets memprofilerate.
func memProfileEnv(env []string) ([]string, bool) {
	for _, kv := range env {
		if strings.HasPrefix(kv, "PARLEY_HEAPPROFILE=") {
			return env, false
		}
	}
	return addGodebug(env, memProfileSetting)
}
