package audio

import (
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gen2brain/malgo"
)

// TestMalgoBackendNullIsCustom documents why malgo.go uses Backend(14): the
// constant malgo.BackendNull is miniaudio's custom backend, which opens
// nothing without user callbacks, while 14 is the working null backend.
func TestMalgoBackendNullIsCustom(t *testing.T) {
	if malgo.BackendNull != maBackendCustom {
		t.Fatalf("malgo.BackendNull = %d; the enum changed, re-check malgo.go", malgo.BackendNull)
	}
	ctx, err := malgo.InitContext([]malgo.Backend{maBackendNull}, malgo.ContextConfig{}, nil)
	if err != nil {
		t.Fatalf("Backend(14) is not the null backend: %v", err)
	}
	_ = ctx.Uninit()
	ctx.Free()
	if ctx, err := malgo.InitContext([]malgo.Backend{malgo.BackendNull}, malgo.ContextConfig{}, nil); err == nil {
		// The custom backend may initialise, but it has no devices.
		defer func() { _ = ctx.Uninit(); ctx.Free() }()
		if devs, err := ctx.Devices(malgo.Playback); err == nil && len(devs) > 0 {
			t.Fatalf("malgo.BackendNull lists %d playback devices; it is a real backend now", len(devs))
		}
	}
}

func TestMalgoNullBackend(t *testing.T) {
	dev, err := OpenDefault(WithBackend(BackendNull))
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	if info := dev.Info(); info.Backend != "null" || !info.NoDevice || info.Fallback != nil {
		t.Fatalf("Info = %+v", info)
	}

	const frames = 5
	var captured, played, badSize atomic.Int64
	done := make(chan struct{})
	cb := Callbacks{
		Capture: func(frame []int16) {
			if len(frame) != FrameSamples {
				badSize.Add(1)
			}
			captured.Add(1)
		},
		Playback: func(frame []int16) {
			if len(frame) != FrameSamples {
				badSize.Add(1)
			}
			if played.Add(1) == frames {
				close(done)
			}
		},
	}
	if err := dev.Start(cb); err != nil {
		t.Fatal(err)
	}
	if err := dev.Start(cb); !errors.Is(err, ErrStarted) {
		t.Fatalf("second Start = %v, want ErrStarted", err)
	}
	select {
	case <-done:
	case <-time.After(time.Minute): // a hang guard, not a timing assertion
		t.Fatal("null backend delivered no playback callbacks")
	}
	if err := dev.Stop(); err != nil {
		t.Fatal(err)
	}
	n := played.Load()
	if badSize.Load() != 0 {
		t.Fatal("a callback got a frame that is not 960 samples")
	}
	if captured.Load() < frames-1 {
		t.Fatalf("%d capture frames for %d playback frames", captured.Load(), n)
	}
	if err := dev.Close(); err != nil {
		t.Fatal(err)
	}
	if err := dev.Close(); err != nil {
		t.Fatalf("second Close = %v", err)
	}
	if err := dev.Start(cb); !errors.Is(err, ErrClosed) {
		t.Fatalf("Start after Close = %v, want ErrClosed", err)
	}
	if played.Load() != n {
		t.Fatal("callbacks after Stop")
	}
}

// TestMalgoOpenDefault opens whatever this machine has. On a box without a
// sound card it must fall back to null and say why.
func TestMalgoOpenDefault(t *testing.T) {
	dev, err := OpenDefault()
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	info := dev.Info()
	t.Logf("backend %s, no device %v, fallback: %v", info.Backend, info.NoDevice, info.Fallback)
	if info.NoDevice != (info.Backend == "null") {
		t.Fatalf("Info = %+v", info)
	}
	if info.Fallback != nil && !errors.Is(info.Fallback, ErrNoDevice) {
		t.Fatalf("Fallback = %v, want ErrNoDevice", info.Fallback)
	}
}

func TestMalgoOptions(t *testing.T) {
	t.Parallel()
	if _, err := OpenDefault(WithBackend(7)); !errors.Is(err, ErrBackend) {
		t.Errorf("unknown backend: %v", err)
	}
	if _, err := OpenDefault(WithCaptureDevice("zz")); !errors.Is(err, ErrDeviceID) {
		t.Errorf("bad capture id: %v", err)
	}
	if _, err := Devices(WithPlaybackDevice(string(make([]byte, 2000)))); !errors.Is(err, ErrDeviceID) {
		t.Errorf("bad playback id: %v", err)
	}
}

func TestMalgoDevices(t *testing.T) {
	list, err := Devices(WithBackend(BackendNull))
	if err != nil {
		t.Fatal(err)
	}
	if list.Backend != "null" || len(list.Capture) == 0 || len(list.Playback) == 0 {
		t.Fatalf("null backend lists %+v", list)
	}
	t.Logf("%+v", list)
	// An id from the list opens that device.
	dev, err := OpenDefault(WithBackend(BackendNull), WithCaptureDevice(list.Capture[0].ID), WithPlaybackDevice(list.Playback[0].ID))
	if err != nil {
		t.Fatal(err)
	}
	if err := dev.Close(); err != nil {
		t.Fatal(err)
	}
}

var _ Device = (*MalgoDevice)(nil)

// TestMalgoDataCallback drives the device callback directly with the odd
// chunk sizes drivers use, as duplex byte buffers.
func TestMalgoDataCallback(t *testing.T) {
	t.Parallel()
	d := &MalgoDevice{split: newFrameSplitter()}
	out := make([]byte, 2*2000)
	for i := range out {
		out[i] = 0xaa
	}
	d.data(out, nil, 2000)
	for _, b := range out {
		if b != 0 {
			t.Fatal("not started: output is not silence")
		}
	}

	var got []int16
	next := 0
	d.cb.Store(&Callbacks{
		Capture: func(frame []int16) { got = append(got, frame...) },
		Playback: func(frame []int16) {
			copy(frame, ramp(next, FrameSamples))
			next += FrameSamples
		},
	})
	var played []int16
	pos := 0
	for _, n := range []int{441, 1, 1000, 959, 480, 3000} {
		in := make([]byte, 2*n)
		copy(s16(in), ramp(pos, n))
		out := make([]byte, 2*n)
		d.data(out, in, uint32(n))
		played = append(played, s16(out)...)
		pos += n
	}
	if want := ramp(0, pos/FrameSamples*FrameSamples); !slices.Equal(got, want) {
		t.Fatalf("captured %d samples, want %d in order", len(got), len(want))
	}
	if !slices.Equal(played, ramp(0, pos)) {
		t.Fatal("played samples reordered or lost")
	}
}

// TestMalgoLost checks the stop notification: an explicit Stop is not a
// lost device, a stop the system makes (simulated by calling the
// notification miniaudio calls) is reported once through Callbacks.Lost,
// leaves the device stopped and restartable, and Reopen opens the same
// endpoints again.
func TestMalgoLost(t *testing.T) {
	dev, err := OpenDefault(WithBackend(BackendNull))
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	lost := make(chan error, 4)
	cb := Callbacks{Capture: func([]int16) {}, Playback: func(f []int16) { clear(f) }, Lost: func(err error) { lost <- err }}
	if err := dev.Start(cb); err != nil {
		t.Fatal(err)
	}
	if err := dev.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := dev.Start(cb); err != nil {
		t.Fatal(err)
	}
	dev.onStop() // as miniaudio does when the device goes away
	select {
	case err := <-lost:
		if !errors.Is(err, ErrDeviceLost) {
			t.Fatalf("Lost(%v), want ErrDeviceLost", err)
		}
	case <-time.After(time.Minute): // a hang guard, not a timing assertion
		t.Fatal("Lost not called")
	}
	if len(lost) != 0 {
		t.Fatalf("Lost called %d more times", len(lost))
	}
	// Lost ran after the device marked itself stopped: it starts again.
	if err := dev.Start(cb); err != nil {
		t.Fatalf("Start after loss: %v", err)
	}
	if err := dev.Stop(); err != nil {
		t.Fatal(err)
	}
	if len(lost) != 0 {
		t.Fatal("an explicit Stop was reported as a lost device")
	}

	again, err := dev.Reopen()
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.Info().Backend != "null" || again == dev {
		t.Fatalf("Reopen gave %+v", again.Info())
	}
	if err := again.Start(cb); err != nil {
		t.Fatal(err)
	}
}

// TestMalgoPlaybackOnly: the ringer's device opens no capture side: on the
// null backend it plays whole frames and never calls Capture.
func TestMalgoPlaybackOnly(t *testing.T) {
	dev, err := OpenDefault(WithBackend(BackendNull), PlaybackOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	var captured, played, badSize atomic.Int64
	done := make(chan struct{})
	cb := Callbacks{
		Capture: func([]int16) { captured.Add(1) },
		Playback: func(frame []int16) {
			if len(frame) != FrameSamples {
				badSize.Add(1)
			}
			if played.Add(1) == 5 {
				close(done)
			}
		},
	}
	if err := dev.Start(cb); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(time.Minute): // a hang guard, not a timing assertion
		t.Fatal("no playback callbacks")
	}
	if err := dev.Stop(); err != nil {
		t.Fatal(err)
	}
	if captured.Load() != 0 || badSize.Load() != 0 {
		t.Fatalf("captured %d frames, %d of the wrong size", captured.Load(), badSize.Load())
	}
}
