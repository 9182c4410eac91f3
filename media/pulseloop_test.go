package media

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
)

// TestPulseDeviceRoundTrip measures what a MalgoDevice on PulseAudio adds
// to a call's latency: it plays a click into a null sink and captures that
// sink's monitor on the same duplex device, and times each click from the
// Playback callback that produced it to the instant the Capture callback's
// frame says it was captured (its callback time less the samples after
// the click). That is the playback path up to the sink plus the capture
// path from the source to Go, ring and miniaudio included. The figure is
// logged (docs/media.md "PulseAudio buffers"), with the device's glitch
// counts (a loaded machine can make Go late for a period: not a failure);
// the test asserts that every click came back, each within half the
// clicks' spacing (a click paired with a later one's playback would make
// the figure meaningless).
func TestPulseDeviceRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("real-time PulseAudio test")
	}
	startPulse(t, "spk")
	dev, err := audio.OpenDefault(audio.WithBackend(audio.BackendPulseAudio),
		audio.WithCaptureDevice(hexName("spk.monitor")), audio.WithPlaybackDevice(hexName("spk")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dev.Close() })

	const (
		clickEvery = 25 // frames: half a second
		clicks     = 10
		level      = 8000
	)
	var (
		mu       sync.Mutex
		played   int
		sent     []time.Time // Playback callback times of the clicks
		trips    []time.Duration
		quietFor int
	)
	done := make(chan struct{})
	err = dev.Start(audio.Callbacks{
		Capture: func(f []int16) {
			now := time.Now()
			mu.Lock()
			defer mu.Unlock()
			for i, v := range f {
				if v < level && v > -level {
					quietFor++
					continue
				}
				if quietFor > clickEvery*audio.FrameSamples/2 && len(sent) > 0 {
					after := time.Duration(len(f)-i) * time.Second / audio.SampleRate
					trips = append(trips, now.Add(-after).Sub(sent[0]))
					sent = sent[1:]
					if len(trips) == clicks {
						close(done)
					}
				}
				quietFor = 0
			}
		},
		Playback: func(f []int16) {
			mu.Lock()
			defer mu.Unlock()
			played++
			if played%clickEvery == 0 && len(trips)+len(sent) < clicks {
				for i := range f[:audio.FrameSamples/10] {
					f[i] = 16000
				}
				sent = append(sent, time.Now())
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(time.Minute): // a hang guard, not a timing assertion
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("%d of %d clicks came back", len(trips), clicks)
	}
	if err := dev.Stop(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	got := slices.Clone(trips)
	mu.Unlock()
	slices.Sort(got)
	t.Logf("device round trip over %d clicks: min %v, median %v, max %v; device glitches %+v",
		len(got), got[0], got[len(got)/2], got[len(got)-1], dev.Stats())
	if spacing := clickEvery * audio.FrameDuration; got[len(got)-1] >= spacing/2 {
		t.Fatalf("a click took %v to come back, over half the %v between clicks: paired with the wrong one", got[len(got)-1], spacing)
	}
}
