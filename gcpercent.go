package main

import (
	"os"
	"runtime/debug"
)

// gcPercent is the app's GOGC. Go's default, 100, lets the heap grow to
// twice what is live before it collects; the app's live heap is small
// (13 MiB in a call, mostly parsed fonts) and grows slowly (about
// 0.2 MB/s in a call), so collecting at +50 % keeps about 5 MiB less
// resident for a collection every minute or so (docs/media.md, "What
// changed"). A GOGC in the environment still wins.
const gcPercent = 50

// tuneMemory applies gcPercent unless the user set GOGC.
func tuneMemory() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
}
