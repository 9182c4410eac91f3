//go:build unix

// Package cputime reads the CPU time this process has used and the memory
// it holds, for benchmarks that report a share of a core and a client's
// memory (media and video call benchmarks).
package cputime

import (
	"syscall"
	"time"
)

// Process is the user plus system CPU time of every thread of this
// process so far (getrusage); 0 if the system does not say.
func Process() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Switches is how many times this process's threads have given up the CPU
// so far, voluntarily (to wait: a wake-up follows) or not (getrusage's
// ru_nvcsw + ru_nivcsw); 0 if the system does not say.
func Switches() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Nvcsw + ru.Nivcsw
}
