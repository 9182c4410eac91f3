package media

import (
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
)

// period runs one device period on the calling goroutine, as a device
// whose callbacks run on a goroutine does: capture, playback, then
// AfterPeriod when the device calls it.
func period(d *manualDevice, in []int16) {
	cb := d.callbacks()
	cb.Capture(in)
	out := make([]int16, audio.FrameSamples)
	cb.Playback(out)
	if d.afterPeriod && cb.AfterPeriod != nil {
		cb.AfterPeriod()
	}
}

func chirpFrames(n int) [][]int16 {
	src := audio.Chirp()
	frames := make([][]int16, n)
	for i := range frames {
		frames[i] = make([]int16, audio.FrameSamples)
		src(frames[i])
	}
	return frames
}

// TestDeviceGoroutineSends: on a device that calls AfterPeriod, each
// captured frame is encoded and written on the device's goroutine before
// the period ends, with no goroutine hand-off (the frame is there when
// AfterPeriod returns); on one that does not, the send loop writes it.
func TestDeviceGoroutineSends(t *testing.T) {
	for _, tc := range []struct {
		name        string
		afterPeriod bool
	}{{"after period", true}, {"send loop", false}} {
		t.Run(tc.name, func(t *testing.T) {
			dev := &manualDevice{afterPeriod: tc.afterPeriod}
			tr, _ := attachChan(t, startEngine(t, Config{Device: dev}))
			for i, f := range chirpFrames(5) {
				period(dev, f)
				if tc.afterPeriod {
					if got := len(tr.out); got != i+1 {
						t.Fatalf("after period %d: %d frames written, want %d", i, got, i+1)
					}
					continue
				}
				select {
				case <-tr.out:
				case <-time.After(testTimeout):
					t.Fatalf("frame %d never written by the send loop", i)
				}
			}
		})
	}
}

// TestSendSurvivesDeviceSwitch: frames captured on a device that sends
// after its periods but queued when it is replaced by one that does not
// (SetDevice, or a reopen after a loss) are sent by the send loop, in
// order, none lost.
func TestSendSurvivesDeviceSwitch(t *testing.T) {
	a := &manualDevice{afterPeriod: true}
	e := startEngine(t, Config{Device: a})
	tr, s := attachChan(t, e)
	frames := chirpFrames(3)
	// The device is replaced between a capture and its AfterPeriod.
	a.callbacks().Capture(frames[0])
	b := &manualDevice{}
	if _, err := e.SetDevice(b); err != nil {
		t.Fatal(err)
	}
	period(b, frames[1])
	period(b, frames[2])
	var got [][]byte
	for range frames {
		select {
		case f := <-tr.out:
			got = append(got, f.Payload)
		case <-time.After(testTimeout):
			t.Fatalf("%d of %d frames written", len(got), len(frames))
		}
	}
	want := encodeFrames(t, frames)
	for i := range want {
		if string(got[i]) != string(want[i]) {
			t.Fatalf("frame %d differs from the %d-th frame encoded in order", i, i)
		}
	}
	if st := s.Stats(); st.CaptureDropped != 0 || st.FramesSent != 3 {
		t.Fatalf("stats %+v", st)
	}
}

// encodeFrames returns what an engine on a device without AfterPeriod
// writes for frames captured in order: the reference for the order.
func encodeFrames(t *testing.T, frames [][]int16) [][]byte {
	t.Helper()
	dev := &manualDevice{}
	tr, _ := attachChan(t, startEngine(t, Config{Device: dev}))
	var out [][]byte
	for _, f := range frames {
		period(dev, f)
		select {
		case w := <-tr.out:
			out = append(out, w.Payload)
		case <-time.After(testTimeout):
			t.Fatal("reference frame never written")
		}
	}
	return out
}

// countingDevice is a manual device that reports glitch counters.
type countingDevice struct {
	manualDevice
	st audio.DeviceStats
}

func (d *countingDevice) Stats() audio.DeviceStats { return d.st }

// TestEngineDeviceStats: the engine reports its current device's glitch
// counters (what the app's media report logs), and zero for a device that
// counts none.
func TestEngineDeviceStats(t *testing.T) {
	d := &countingDevice{st: audio.DeviceStats{PlaybackLate: 960, CaptureDropped: 3}}
	e := startEngine(t, Config{Device: d})
	if got := e.DeviceStats(); got != d.st {
		t.Fatalf("DeviceStats %+v, want %+v", got, d.st)
	}
	if _, err := e.SetDevice(&manualDevice{}); err != nil {
		t.Fatal(err)
	}
	if got := e.DeviceStats(); got != (audio.DeviceStats{}) {
		t.Fatalf("DeviceStats %+v on a device that counts none", got)
	}
}
