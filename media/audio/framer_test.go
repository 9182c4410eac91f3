package audio

import (
	"slices"
	"testing"
)

// ramp returns n consecutive sample values starting at from, so any
// reordering, loss or duplication by a framer is visible.
func ramp(from, n int) []int16 {
	out := make([]int16, n)
	for i := range out {
		out[i] = int16(from + i)
	}
	return out
}

func TestFrameAssembler(t *testing.T) {
	t.Parallel()
	for _, sizes := range [][]int{{1}, {7, 13}, {441}, {480}, {959, 2}, {960}, {1000}, {2881, 3}} {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			var a frameAssembler
			var got []int16
			frames := 0
			emit := func(frame []int16) {
				if len(frame) != FrameSamples {
					t.Fatalf("frame of %d samples", len(frame))
				}
				frames++
				got = append(got, frame...)
			}
			const total = 5*FrameSamples + 17
			for pos, i := 0, 0; pos < total; i++ {
				n := min(sizes[i%len(sizes)], total-pos)
				a.write(ramp(pos, n), emit)
				pos += n
			}
			if frames != total/FrameSamples {
				t.Fatalf("%d frames, want %d", frames, total/FrameSamples)
			}
			if !slices.Equal(got, ramp(0, frames*FrameSamples)) {
				t.Fatal("samples reordered or lost")
			}
			if a.n != total%FrameSamples {
				t.Fatalf("%d samples buffered, want %d", a.n, total%FrameSamples)
			}
		})
	}
}

func TestFrameSplitter(t *testing.T) {
	t.Parallel()
	for _, sizes := range [][]int{{1}, {7, 13}, {441}, {480}, {959, 2}, {960}, {1000}, {2881, 3}} {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			s := newFrameSplitter()
			next, pulls := 0, 0
			pull := func(frame []int16) {
				if len(frame) != FrameSamples {
					t.Fatalf("pull of %d samples", len(frame))
				}
				copy(frame, ramp(next, FrameSamples))
				next += FrameSamples
				pulls++
			}
			const total = 5*FrameSamples + 17
			var got []int16
			for pos, i := 0, 0; pos < total; i++ {
				chunk := make([]int16, min(sizes[i%len(sizes)], total-pos))
				s.read(chunk, pull)
				got = append(got, chunk...)
				pos += len(chunk)
			}
			if !slices.Equal(got, ramp(0, total)) {
				t.Fatal("samples reordered or lost")
			}
			if want := (total + FrameSamples - 1) / FrameSamples; pulls != want {
				t.Fatalf("%d pulls, want %d", pulls, want)
			}
		})
	}
}

func TestFramersDoNotAllocate(t *testing.T) {
	var a frameAssembler
	s := newFrameSplitter()
	chunk := make([]int16, 441)
	emit := func([]int16) {}
	allocs := testing.AllocsPerRun(100, func() {
		a.write(chunk, emit)
		s.read(chunk, emit)
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per callback", allocs)
	}
}
