package cputime

import "testing"

// TestGoroutineRuns: a ping-pong of n hand-offs between two goroutines is
// at least n goroutine runs. The runtime samples one in eight of each
// goroutine's trips, and counts them exactly, so the estimate is within a
// few of the truth; the bound leaves room for the rest of the process.
func TestGoroutineRuns(t *testing.T) {
	const n = 10000
	ping, pong := make(chan struct{}), make(chan struct{})
	go func() {
		for range ping {
			pong <- struct{}{}
		}
	}()
	before := GoroutineRuns()
	for range n / 2 {
		ping <- struct{}{}
		<-pong
	}
	close(ping)
	runs := GoroutineRuns() - before
	if runs < n*3/4 {
		t.Fatalf("%d goroutine hand-offs counted as %d runs", n, runs)
	}
	t.Logf("%d hand-offs, %d runs", n, runs)
}
