package media

import (
	"context"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
)

// probeDevice is a real-time device (its own 20 ms ticker, like a sound
// card's callback thread) that captures a tone burst every half second and
// timestamps, by the shared monotonic clock, the capture callback that
// delivered each burst and the playback callback in which a burst comes
// out: the difference is the pipeline latency from capture callback to
// playback callback, device buffers excluded.
type probeDevice struct {
	send bool

	mu     sync.Mutex
	bursts []time.Time // capture callback times of burst starts
	onsets []time.Time // playback callback times + offset of the onset

	stop, done chan struct{}
}

const (
	burstEvery  = 25 // frames: 500 ms
	burstFrames = 2
	onsetLevel  = 4000 // the burst is ±16383; codec noise stays far below
)

func (d *probeDevice) EchoFree() bool { return true }

// CallsAfterPeriod: the probe sends from its own goroutine after each
// period, as the app's device (the malgo ring, on Linux) does.
func (d *probeDevice) CallsAfterPeriod() bool { return true }

func (d *probeDevice) Start(cb audio.Callbacks) error {
	d.stop, d.done = make(chan struct{}), make(chan struct{})
	go d.run(cb)
	return nil
}

func (d *probeDevice) Stop() error {
	if d.stop != nil {
		close(d.stop)
		<-d.done
		d.stop = nil
	}
	return nil
}

func (d *probeDevice) run(cb audio.Callbacks) {
	defer close(d.done)
	in := make([]int16, audio.FrameSamples)
	out := make([]int16, audio.FrameSamples)
	tick := time.NewTicker(audio.FrameDuration)
	defer tick.Stop()
	quietFor := 0
	for n := 0; ; n++ {
		select {
		case <-d.stop:
			return
		case <-tick.C:
		}
		clear(in)
		if d.send && n%burstEvery < burstFrames && n >= burstEvery {
			for i := range in {
				in[i] = int16(16383 * math.Sin(2*math.Pi*1000*float64((n%burstEvery)*audio.FrameSamples+i)/audio.SampleRate))
			}
			if n%burstEvery == 0 {
				d.mu.Lock()
				d.bursts = append(d.bursts, time.Now())
				d.mu.Unlock()
			}
		}
		cb.Capture(in)
		clear(out)
		cb.Playback(out)
		now := time.Now()
		if cb.AfterPeriod != nil {
			cb.AfterPeriod()
		}
		for i, v := range out {
			if v > onsetLevel || v < -onsetLevel {
				if quietFor >= 10*audio.FrameSamples {
					d.mu.Lock()
					d.onsets = append(d.onsets, now.Add(time.Duration(i)*time.Second/audio.SampleRate))
					d.mu.Unlock()
				}
				quietFor = 0
			} else {
				quietFor++
			}
		}
	}
}

// TestPipelineLatency measures capture callback → playback callback across
// two engines over pion on loopback, E2EE on (AES-GCM frame cipher), the
// adaptive jitter buffer included. The figure is logged (docs/media.md);
// the test asserts only that every burst arrived.
func TestPipelineLatency(t *testing.T) {
	if testing.Short() {
		t.Skip("real-time measurement")
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	pa, pb := connectPeers(ctx, t)
	da, db := &probeDevice{send: true}, &probeDevice{}
	var engines []*Engine
	for _, d := range []*probeDevice{da, db} {
		e, err := NewEngine(Config{Device: d, Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = e.Close() })
		if err := e.Start(); err != nil {
			t.Fatal(err)
		}
		engines = append(engines, e)
	}
	if _, err := engines[0].Attach(pa, newGCMCipher(1, 2)); err != nil {
		t.Fatal(err)
	}
	sb, err := engines[1].Attach(pb, newGCMCipher(2, 1))
	if err != nil {
		t.Fatal(err)
	}
	const want = 10
	for {
		db.mu.Lock()
		n := len(db.onsets)
		db.mu.Unlock()
		if n >= want {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("only %d bursts heard", n)
		case <-time.After(100 * time.Millisecond):
		}
	}
	da.mu.Lock()
	bursts := slices.Clone(da.bursts)
	da.mu.Unlock()
	db.mu.Lock()
	onsets := slices.Clone(db.onsets)
	db.mu.Unlock()
	var lat []time.Duration
	for _, o := range onsets {
		// The burst it belongs to is the latest one captured before it.
		var best time.Time
		for _, b := range bursts {
			if b.Before(o) {
				best = b
			}
		}
		if !best.IsZero() {
			lat = append(lat, o.Sub(best))
		}
	}
	if len(lat) < want-1 {
		t.Fatalf("matched %d of %d onsets", len(lat), len(onsets))
	}
	t.Logf("each burst, in order: %v", lat)
	slices.Sort(lat)
	st := sb.Stats()
	t.Logf("capture→playback latency over %d bursts: min %v, median %v, max %v (jitter target %v, playout wait %v, inserted %d, accelerated %d, concealed %d)",
		len(lat), lat[0].Round(time.Millisecond/10), lat[len(lat)/2].Round(time.Millisecond/10),
		lat[len(lat)-1].Round(time.Millisecond/10), st.JitterTarget, st.PlayoutWait.Round(time.Millisecond/10),
		st.Inserted, st.Accelerated, st.Concealed)
}
