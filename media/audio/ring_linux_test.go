package audio

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// ringOption changes how startRing makes its ring.
type ringOption func(*int)

// withDeviceTimeout makes the audio thread wait only as long as on a
// device (ringTimeout) for Go's frame, for the tests of a late frame.
func withDeviceTimeout() ringOption { return func(ms *int) { *ms = ringTimeout } }

// startRing starts r's goroutine with cb, as MalgoDevice.Start does. The
// audio thread waits a second for Go's playback frame, unless an option
// says otherwise: on a loaded machine the goroutine's wake-up can take
// longer than the device's 10 ms, and a test of what is pulled when must
// not count that as a late frame.
func startRing(t *testing.T, cb Callbacks, opts ...ringOption) *ring {
	t.Helper()
	timeout := 1000
	for _, o := range opts {
		o(&timeout)
	}
	r, err := newRing(timeout)
	if err != nil {
		t.Fatal(err)
	}
	var p atomic.Pointer[Callbacks]
	p.Store(&cb)
	r.start(&p)
	t.Cleanup(r.free)
	return r
}

// TestRingReframesAndPullsInStep drives the C callback in 441-sample
// periods (44.1 kHz-sized chunks): every captured sample reaches Go in
// order in whole frames, and playback plays Go's frames in order, each
// pulled when a period needs it, with no frame queued ahead.
func TestRingReframesAndPullsInStep(t *testing.T) {
	var mu sync.Mutex
	var captured []int16
	var pulled int16
	r := startRing(t, Callbacks{
		Capture: func(f []int16) {
			if len(f) != FrameSamples {
				t.Errorf("capture frame of %d samples", len(f))
			}
			mu.Lock()
			captured = append(captured, f...)
			mu.Unlock()
		},
		Playback: func(f []int16) {
			pulled++
			for i := range f {
				f[i] = pulled
			}
		},
	})
	const chunk, chunks = 441, 100
	in, out := make([]int16, chunk), make([]int16, chunk)
	var played []int16
	next := int16(0)
	for range chunks {
		for i := range in {
			in[i] = next
			next++
		}
		r.call(out, in)
		played = append(played, out...)
		if ahead := atomic.LoadUint64(r.counter(&r.c.play_w)) - atomic.LoadUint64(r.counter(&r.c.play_r)); ahead >= FrameSamples {
			t.Fatalf("%d samples queued ahead of playback; the ring adds latency", ahead)
		}
	}
	for i, v := range played {
		if want := int16(i/FrameSamples + 1); v != want {
			t.Fatalf("played sample %d = %d, want %d (frame order)", i, v, want)
		}
	}
	// Capture is handed over asynchronously: wait for the last whole frame.
	whole := chunk * chunks / FrameSamples * FrameSamples
	deadline := time.Now().Add(time.Minute) // a hang guard, not a timing assertion
	for {
		mu.Lock()
		n := len(captured)
		mu.Unlock()
		if n >= whole || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(captured) != whole {
		t.Fatalf("captured %d samples, want %d", len(captured), whole)
	}
	for i, v := range captured {
		if v != int16(i) {
			t.Fatalf("captured sample %d = %d: out of order or lost", i, v)
		}
	}
	if s := r.stats(); s.CaptureDropped != 0 || s.PlaybackShort != 0 {
		t.Fatalf("stats %+v", s)
	}
}

// TestRingLateFrameCostsOnePeriod: when Go misses a period (here the first
// Playback call sleeps past the audio thread's wait), that period is
// silence, the late frame plays in the next one, and then the ring is back
// in step: the miss does not leave a frame of extra latency behind.
func TestRingLateFrameCostsOnePeriod(t *testing.T) {
	var pulled atomic.Int32
	r := startRing(t, Callbacks{Playback: func(f []int16) {
		n := pulled.Add(1)
		if n == 1 {
			time.Sleep(5 * ringTimeout * time.Millisecond)
		}
		for i := range f {
			f[i] = int16(n)
		}
	}}, withDeviceTimeout())
	out := make([]int16, FrameSamples)
	var got []int16
	for range 4 {
		r.call(out, nil)
		got = append(got, out[0])
		if pulled.Load() == 1 && len(got) == 1 {
			// Let the late frame land before the next period asks.
			for atomic.LoadUint64(r.counter(&r.c.play_w)) == 0 {
				time.Sleep(time.Millisecond)
			}
		}
	}
	want := []int16{0, 1, 2, 3}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("periods played %v, want %v", got, want)
		}
	}
	if s := r.stats(); s.PlaybackShort != FrameSamples {
		t.Fatalf("PlaybackShort = %d, want one period (%d)", s.PlaybackShort, FrameSamples)
	}
	if ahead := atomic.LoadUint64(r.counter(&r.c.play_w)) - atomic.LoadUint64(r.counter(&r.c.play_r)); ahead != 0 {
		t.Fatalf("%d samples left queued ahead after the miss", ahead)
	}
}

// TestRingCaptureWaitsForPlaybackPull drives the C callback as duplex
// PulseAudio does (third_party/malgo.patch): each period's capture in one
// call, its playback in another. Go is woken once a period, by the
// playback pull, which also hands over the frame captured before it; and
// when nothing pulls, captured frames still reach Go, two at a time,
// with none dropped.
func TestRingCaptureWaitsForPlaybackPull(t *testing.T) {
	var mu sync.Mutex
	var captured []int16
	r := startRing(t, Callbacks{
		Capture: func(f []int16) {
			mu.Lock()
			captured = append(captured, f[0])
			mu.Unlock()
		},
		Playback: func([]int16) {},
	})
	in, out := make([]int16, FrameSamples), make([]int16, FrameSamples)
	const periods = 10
	for p := range periods {
		in[0] = int16(p)
		r.call(nil, in)
		r.call(out, nil)
		// Go stores cap_r before play_w: once this period's frame is
		// written, the capture it took is accounted for.
		for atomic.LoadUint64(r.counter(&r.c.play_w)) < uint64(p+1)*FrameSamples {
			time.Sleep(time.Millisecond)
		}
	}
	if s := r.stats(); s.Wakes != periods || s.CaptureDropped != 0 || s.PlaybackShort != 0 {
		t.Fatalf("stats %+v after %d periods: want one wake-up a period (the pull), nothing lost", s, periods)
	}
	mu.Lock()
	got := slices.Clone(captured)
	mu.Unlock()
	if len(got) != periods {
		t.Fatalf("%d captured frames reached Go with the pulls, want %d", len(got), periods)
	}
	for i, v := range got {
		if v != int16(i) {
			t.Fatalf("captured frames %v: out of order", got)
		}
	}

	// Playback stops pulling (PulseAudio corked the sink, say): every
	// second captured frame wakes Go, and no frame is dropped.
	const more = 6
	for p := range more {
		in[0] = int16(periods + p)
		r.call(nil, in)
		if p%2 == 1 {
			for atomic.LoadUint64(r.counter(&r.c.cap_r)) < uint64(periods+p+1)*FrameSamples {
				time.Sleep(time.Millisecond)
			}
		}
	}
	if s := r.stats(); s.Wakes != periods+more/2 || s.CaptureDropped != 0 {
		t.Fatalf("stats %+v: want a wake-up every second captured frame without pulls", s)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(captured) != periods+more {
		t.Fatalf("%d captured frames reached Go, want %d", len(captured), periods+more)
	}
}

// TestRingCaptureWakesGoWhenPlaybackIsQueued: with playback requests of
// half a frame (what the PulseAudio device asks for), a captured frame that
// arrives while the ring still holds a request's worth of playback wakes Go
// at once instead of waiting up to a frame for the next pull; one that
// arrives when the next request will pull waits for that pull.
func TestRingCaptureWakesGoWhenPlaybackIsQueued(t *testing.T) {
	var captured atomic.Int64
	r := startRing(t, Callbacks{
		Capture:  func([]int16) { captured.Add(1) },
		Playback: func([]int16) {},
	})
	in, half := make([]int16, FrameSamples), make([]int16, FrameSamples/2)
	wakes := func() uint64 { return r.stats().Wakes }

	r.call(half, nil) // a pull: Go writes a frame, half of it stays queued
	if w := wakes(); w != 1 {
		t.Fatalf("%d wake-ups after the first request, want 1 (the pull)", w)
	}
	r.call(nil, in) // half a frame queued, as much as the last request took
	if w := wakes(); w != 2 {
		t.Fatalf("%d wake-ups after a frame captured with playback queued, want 2: it should wake Go at once", w)
	}
	for deadline := time.Now().Add(time.Minute); captured.Load() < 1; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) { // a hang guard
			t.Fatal("the captured frame never reached Go")
		}
	}

	r.call(half, nil) // played from the ring: no wake-up, nothing queued now
	r.call(nil, in)   // the next request pulls: the frame waits for it
	if w := wakes(); w != 2 {
		t.Fatalf("%d wake-ups, want still 2: neither the queued half frame nor a frame the next pull takes should wake Go", w)
	}
	r.call(half, nil) // the pull, which takes the captured frame along
	if w, n := wakes(), captured.Load(); w != 3 || n != 2 {
		t.Fatalf("%d wake-ups and %d captured frames after the pull, want 3 and 2", w, n)
	}

	// Larger requests (600 samples): what counts is the last request's
	// size, not whether any playback is queued.
	big := make([]int16, 600)
	r.call(big, nil) // 480 queued, less than asked: a pull (1,440 queued, 840 left)
	r.call(big, nil) // from the ring: 240 left
	r.call(nil, in)  // 240 queued, less than the last request: waits for the pull
	if w := wakes(); w != 4 {
		t.Fatalf("%d wake-ups, want 4: a frame captured with less queued than the last request took should wait for the pull", w)
	}
	r.call(big, nil) // the pull, with the captured frame
	if w, n := wakes(), captured.Load(); w != 5 || n != 3 {
		t.Fatalf("%d wake-ups and %d captured frames after the pull, want 5 and 3", w, n)
	}
	if s := r.stats(); s.CaptureDropped != 0 || s.PlaybackShort != 0 {
		t.Fatalf("stats %+v: nothing should be lost", s)
	}
}

// TestMalgoDeviceUsesRing: a real miniaudio device (the null backend, its
// own real-time thread) takes the C callback, so the Callbacks run on the
// ring's goroutine, woken from C once per period.
func TestMalgoDeviceUsesRing(t *testing.T) {
	dev, err := OpenDefault(WithBackend(BackendNull))
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	if dev.ring == nil {
		t.Fatal("the C device callback was not installed (ma_device layout check failed?)")
	}
	var captured atomic.Int64
	played := runPeriods(t, dev, 10, Callbacks{Capture: func([]int16) { captured.Add(1) }})
	if s := dev.ring.stats(); s.Wakes == 0 || captured.Load() == 0 {
		t.Fatalf("ring stats %+v, %d captured", s, captured.Load())
	}
	n := played.Load()
	time.Sleep(5 * FrameDuration)
	if played.Load() != n {
		t.Fatal("Playback called after Stop returned")
	}
}

// TestRingAfterPeriodDoesNotHoldPlayback: the ring's goroutine calls
// AfterPeriod once the audio thread has its playback frame, so work done
// there (the stream's encoding) never delays or silences playback: with
// AfterPeriod blocked, the period still plays Go's frame.
func TestRingAfterPeriodDoesNotHoldPlayback(t *testing.T) {
	release := make(chan struct{})
	after := make(chan int, 4)
	var played atomic.Int64
	r := startRing(t, Callbacks{
		Capture: func([]int16) {},
		Playback: func(f []int16) {
			n := played.Add(1)
			for i := range f {
				f[i] = int16(n)
			}
		},
		AfterPeriod: func() {
			after <- int(played.Load())
			<-release
		},
	})
	in, out := make([]int16, FrameSamples), make([]int16, FrameSamples)
	r.call(out, in)
	select {
	case n := <-after:
		if n != 1 {
			t.Fatalf("AfterPeriod ran after %d playback frames, want 1", n)
		}
	case <-time.After(time.Minute): // a hang guard
		t.Fatal("AfterPeriod never called")
	}
	close(release)
	for i, v := range out {
		if v != 1 {
			t.Fatalf("played sample %d = %d, want Go's frame (1)", i, v)
		}
	}
	if st := r.stats(); st.PlaybackShort != 0 {
		t.Fatalf("playback short by %d samples: AfterPeriod held the audio thread", st.PlaybackShort)
	}
}

// TestMalgoDeviceCountsLatePlayback: a playback frame later than the
// ring waits for is played as silence and counted in Stats, which the
// app's media report logs; a device on the ring calls AfterPeriod.
func TestMalgoDeviceCountsLatePlayback(t *testing.T) {
	dev, err := OpenDefault(WithBackend(BackendNull))
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	if !CallsAfterPeriod(dev) {
		t.Fatal("a device on the ring must report that it calls AfterPeriod")
	}
	var late sync.Once
	var after atomic.Int64
	runPeriods(t, dev, 10, Callbacks{
		Capture: func([]int16) {},
		Playback: func([]int16) {
			// Three times what the audio thread waits (ringTimeout), once.
			late.Do(func() { time.Sleep(3 * ringTimeout * time.Millisecond) })
		},
		AfterPeriod: func() { after.Add(1) },
	})
	if st := dev.Stats(); st.PlaybackLate < FrameSamples/2 {
		t.Fatalf("stats %+v: the late frame's period was not counted", st)
	}
	if after.Load() == 0 {
		t.Fatal("AfterPeriod never called")
	}
}

// runPeriods starts dev with cb until n playback frames have been pulled,
// then stops it; it returns the count of Playback calls, which goes on
// only if a callback runs after Stop.
func runPeriods(t *testing.T, dev *MalgoDevice, n int64, cb Callbacks) *atomic.Int64 {
	t.Helper()
	played := new(atomic.Int64)
	done := make(chan struct{})
	playback := cb.Playback
	cb.Playback = func(f []int16) {
		if playback != nil {
			playback(f)
		}
		if played.Add(1) == n {
			close(done)
		}
	}
	if err := dev.Start(cb); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(time.Minute): // a hang guard
		t.Fatal("no playback through the ring")
	}
	if err := dev.Stop(); err != nil {
		t.Fatal(err)
	}
	return played
}
