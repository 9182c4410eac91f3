package audio

import (
	"context"
	"slices"
	"testing"
)

func TestRecorderRing(t *testing.T) {
	t.Parallel()
	r := NewRecorder(1000)
	for pos := 0; pos < 3500; pos += 300 {
		r.Write(ramp(pos, 300))
	}
	if got := r.Total(); got != 3600 {
		t.Fatalf("Total = %d, want 3600", got)
	}
	if got := r.Samples(); !slices.Equal(got, ramp(2600, 1000)) {
		t.Fatalf("retained %d samples %v…, want the last 1000 from 2600", len(got), got[:3])
	}
	r.Write(ramp(0, 2500)) // larger than capacity at once
	if got := r.Samples(); !slices.Equal(got, ramp(1500, 1000)) {
		t.Fatal("oversized write: wrong tail retained")
	}
	r.Reset()
	if len(r.Samples()) != 0 || r.Total() != 0 {
		t.Fatal("Reset left samples")
	}
}

func TestRecorderSamplesIsACopy(t *testing.T) {
	t.Parallel()
	r := NewRecorder(0)
	r.Write(ramp(1, 10))
	s := r.Samples()
	s[0] = -1
	if r.Samples()[0] != 1 {
		t.Fatal("Samples aliases the recorder's buffer")
	}
}

func TestRecorderWait(t *testing.T) {
	t.Parallel()
	r := NewRecorder(0)
	go func() {
		for i := 0; i < 10; i++ {
			r.Write(ramp(0, 100))
		}
	}()
	if err := r.Wait(context.Background(), 1000); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Wait(ctx, 2000); err != context.Canceled {
		t.Fatalf("Wait on cancelled ctx = %v", err)
	}
}
