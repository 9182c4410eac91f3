//go:build unix

package main

import (
	"syscall"
	"testing"
)

// TestRaiseFileLimit lowers this process's soft descriptor limit, as a
// service manager might start the server, and checks that
// raiseFileLimit lifts it to the hard limit.
func TestRaiseFileLimit(t *testing.T) {
	var orig syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &orig); err != nil {
		t.Skip(err)
	}
	if orig.Max < 512 {
		t.Skipf("hard limit %d too low to test", orig.Max)
	}
	t.Cleanup(func() { _ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &orig) })
	low := orig
	low.Cur = 256
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Skip(err)
	}
	soft, hard, err := raiseFileLimit()
	if err != nil {
		t.Fatal(err)
	}
	var now syscall.Rlimit
	_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &now)
	if soft != uint64(orig.Max) || hard != uint64(orig.Max) || uint64(now.Cur) != uint64(orig.Max) {
		t.Fatalf("after raiseFileLimit: reported %d/%d, process %d; want the hard limit %d", soft, hard, now.Cur, orig.Max)
	}
}
