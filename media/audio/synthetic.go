package audio

import (
	"sync"
	"sync/atomic"
	"time"
)

// FrameDuration is the real time one frame represents.
const FrameDuration = time.Second * FrameSamples / SampleRate

// maxCatchUp bounds how many frames the synthetic device delivers at once to
// make up for a late tick. Real sound cards also deliver late audio in a
// burst; after a longer stall (a stopped debugger, a suspended VM) the
// device resynchronises instead of flooding the pipeline.
const maxCatchUp = 10

// SyntheticDevice is a Device without hardware, for headless tests and the
// demo: every 20 ms of wall-clock time it captures a frame from its Source,
// then asks for a playback frame and records it. Its cadence is real time,
// like a sound card's, so the pipeline behind it runs as it would in a call.
type SyntheticDevice struct {
	src    Source
	rec    *Recorder
	frames atomic.Int64

	mu   sync.Mutex
	stop chan struct{}
	done chan struct{}
}

// NewSyntheticDevice returns a device capturing from src (Silence if nil)
// and recording what is played into rec (discarded if nil).
func NewSyntheticDevice(src Source, rec *Recorder) *SyntheticDevice {
	if src == nil {
		src = Silence()
	}
	return &SyntheticDevice{src: src, rec: rec}
}

// Start begins delivering frames to cb from the device's own goroutine.
func (d *SyntheticDevice) Start(cb Callbacks) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stop != nil {
		return ErrStarted
	}
	d.stop, d.done = make(chan struct{}), make(chan struct{})
	go d.run(cb, d.stop, d.done)
	return nil
}

// Stop halts the device and waits until no callback is running. Stopping a
// stopped device does nothing; a stopped device can be started again.
func (d *SyntheticDevice) Stop() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stop == nil {
		return nil
	}
	close(d.stop)
	<-d.done
	d.stop, d.done = nil, nil
	return nil
}

// Frames returns how many frames the device has captured and played.
func (d *SyntheticDevice) Frames() int64 { return d.frames.Load() }

func (d *SyntheticDevice) run(cb Callbacks, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	in := make([]int16, FrameSamples)
	out := make([]int16, FrameSamples)
	tick := time.NewTicker(FrameDuration)
	defer tick.Stop()
	start := time.Now()
	var delivered int64
	for {
		select {
		case <-stop:
			return
		case now := <-tick.C:
			due := int64(now.Sub(start) / FrameDuration)
			if due-delivered > maxCatchUp {
				delivered = due - 1
			}
			for ; delivered < due; delivered++ {
				d.frame(cb, in, out)
			}
		}
	}
}

func (d *SyntheticDevice) frame(cb Callbacks, in, out []int16) {
	d.src(in)
	if cb.Capture != nil {
		cb.Capture(in)
	}
	clear(out)
	if cb.Playback != nil {
		cb.Playback(out)
	}
	if d.rec != nil {
		d.rec.Write(out)
	}
	if cb.AfterPeriod != nil {
		cb.AfterPeriod()
	}
	d.frames.Add(1)
}

// CallsAfterPeriod reports that the device calls Callbacks.AfterPeriod
// after each frame: its callbacks run on its own goroutine.
func (d *SyntheticDevice) CallsAfterPeriod() bool { return true }

// EchoFree reports that nothing played comes back into the capture: the
// device's source does not hear its sink, so echo cancellation has nothing
// to cancel (and would only mistake correlated test signals for echo).
func (d *SyntheticDevice) EchoFree() bool { return true }
