package testproc

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestSkipsOnlyWhenNotInstalledOutsideCI(t *testing.T) {
	missing := NotInstalled("install it")
	other := errors.New("initdb: exit status 1")
	tests := []struct {
		err  error
		ci   string
		want bool
	}{
		{missing, "", true},
		{fmt.Errorf("wrapped: %w", missing), "", true},
		{missing, "true", false},
		{other, "", false},
		{other, "true", false},
		{nil, "", false},
	}
	for _, tc := range tests {
		if got := Skips(tc.err, tc.ci); got != tc.want {
			t.Errorf("Skips(%v, CI=%q) = %v, want %v", tc.err, tc.ci, got, tc.want)
		}
	}
}

// A server starts once however many tests ask, and Stop stops it once.
func TestLazyStartsOnceAndStops(t *testing.T) {
	starts, stops := 0, 0
	l := Lazy[int]{Start: func() (int, error) { starts++; return 7, nil }, Close: func(int) { stops++ }}
	l.Stop() // nothing started: nothing to stop
	for range 3 {
		if v := l.Get(t); v != 7 {
			t.Fatalf("Get = %d", v)
		}
	}
	l.Stop()
	l.Stop()
	if starts != 1 || stops != 1 {
		t.Fatalf("starts %d, stops %d; want 1, 1", starts, stops)
	}
}

// WaitReady gives up as soon as the process exits, with its output.
func TestWaitReadyReportsAnExit(t *testing.T) {
	p, err := Start(exec.Command("sh", "-c", "echo cannot bind; exit 3"))
	if err != nil {
		t.Fatal(err)
	}
	err = p.WaitReady(time.Minute, func() error { return errors.New("not yet") })
	if err == nil || !strings.Contains(err.Error(), "cannot bind") {
		t.Fatalf("WaitReady = %v, want the exit with its output", err)
	}
}
