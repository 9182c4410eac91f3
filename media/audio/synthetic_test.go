package audio

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestSyntheticDevice(t *testing.T) {
	t.Parallel()
	rec := NewRecorder(0)
	dev := NewSyntheticDevice(Chirp(), rec)

	const frames = 10
	var mu sync.Mutex
	var captured []int16
	next := int16(0)
	cb := Callbacks{
		Capture: func(frame []int16) {
			mu.Lock()
			captured = append(captured, frame...)
			mu.Unlock()
		},
		Playback: func(frame []int16) {
			for i := range frame {
				frame[i] = next
				next++
			}
		},
	}
	if err := dev.Start(cb); err != nil {
		t.Fatal(err)
	}
	if err := dev.Start(cb); !errors.Is(err, ErrStarted) {
		t.Fatalf("second Start = %v, want ErrStarted", err)
	}
	// Wait for an amount of audio, not for a time: the box may be loaded.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := rec.Wait(ctx, frames*FrameSamples); err != nil {
		t.Fatal(err)
	}
	if err := dev.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := dev.Stop(); err != nil {
		t.Fatalf("second Stop = %v", err)
	}

	n := dev.Frames()
	if n < frames {
		t.Fatalf("Frames = %d, want ≥ %d", n, frames)
	}
	mu.Lock()
	got := captured
	mu.Unlock()
	// Capture saw exactly the source's first n frames, in order, and
	// Playback was asked for exactly as many, all of them recorded.
	if want := fill(Chirp(), int(n)); !slices.Equal(got, want) {
		t.Fatalf("captured %d samples, not the chirp's first %d frames", len(got), n)
	}
	if played := rec.Samples(); int64(len(played)) != n*FrameSamples || !slices.Equal(played, ramp(0, len(played))) {
		t.Fatalf("recorded %d samples, want %d from playback", len(played), n*FrameSamples)
	}

	// No callbacks after Stop returned.
	if after := dev.Frames(); after != n {
		t.Fatalf("frames went on after Stop: %d → %d", n, after)
	}
	// The device restarts.
	if err := dev.Start(Callbacks{}); err != nil {
		t.Fatal(err)
	}
	if err := rec.Wait(ctx, (n+1)*FrameSamples); err != nil {
		t.Fatal(err)
	}
	if err := dev.Stop(); err != nil {
		t.Fatal(err)
	}
}

func TestSyntheticDeviceNilSourceAndRecorder(t *testing.T) {
	t.Parallel()
	dev := NewSyntheticDevice(nil, nil)
	got := make(chan []int16, 1)
	err := dev.Start(Callbacks{Capture: func(frame []int16) {
		select {
		case got <- slices.Clone(frame):
		default:
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	frame := <-got
	if err := dev.Stop(); err != nil {
		t.Fatal(err)
	}
	if len(frame) != FrameSamples || slices.ContainsFunc(frame, func(v int16) bool { return v != 0 }) {
		t.Fatal("nil source is not a silent 20 ms frame")
	}
}

var _ Device = (*SyntheticDevice)(nil)
