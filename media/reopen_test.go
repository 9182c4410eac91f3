package media

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/rtc"
)

// unpluggable is a fake sound card the test drives by hand, which can be
// "unplugged": it stops by itself and reports it through Callbacks.Lost,
// as audio.MalgoDevice does when miniaudio says the device went away.
type unpluggable struct {
	name     string
	startErr error

	mu      sync.Mutex
	cb      audio.Callbacks
	started bool
	closed  bool
}

func (d *unpluggable) Start(cb audio.Callbacks) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.startErr != nil {
		return d.startErr
	}
	d.cb, d.started = cb, true
	return nil
}

func (d *unpluggable) Stop() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.started = false
	return nil
}

func (d *unpluggable) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.started, d.closed = false, true
	return nil
}

func (d *unpluggable) state() (started, closed bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.started, d.closed
}

// unplug stops the device from its side and reports the loss the way a
// real device does: on another goroutine.
func (d *unpluggable) unplug() {
	d.mu.Lock()
	cb := d.cb
	d.started = false
	d.mu.Unlock()
	go cb.Lost(fmt.Errorf("%w: %s unplugged", audio.ErrDeviceLost, d.name))
}

// frame runs one 20 ms device period: a captured frame in, a played frame
// out.
func (d *unpluggable) frame(capture []int16) []int16 {
	d.mu.Lock()
	cb, started := d.cb, d.started
	d.mu.Unlock()
	out := make([]int16, audio.FrameSamples)
	if started {
		cb.Capture(capture)
		cb.Playback(out)
	}
	return out
}

func (d *unpluggable) String() string { return d.name }

// TestDeviceLost unplugs the device in the middle of a call: the engine
// must walk its reopener chain (a failing step, a device that will not
// start, then one that works), tell the app, and keep the same stream
// sending and playing on the new device; a second loss closes the device
// the engine opened itself, and a stale report is ignored.
func TestDeviceLost(t *testing.T) {
	headset := &unpluggable{name: "headset"}
	broken := &unpluggable{name: "broken", startErr: errors.New("device busy")}
	speaker := &unpluggable{name: "speaker"}
	null := &unpluggable{name: "null"}
	errGone := errors.New("headset not present")
	chain := []Reopener{
		func(lost audio.Device) (audio.Device, error) {
			if lost != headset {
				return nil, fmt.Errorf("lost %v", lost)
			}
			return nil, errGone
		},
		func(audio.Device) (audio.Device, error) { return broken, nil },
		func(lost audio.Device) (audio.Device, error) {
			if lost == speaker {
				return null, nil
			}
			return speaker, nil
		},
	}
	events := make(chan DeviceEvent, 4)
	e := startEngine(t, Config{Device: headset, Reopen: chain, JitterDelay: 1,
		OnDeviceEvent: func(ev DeviceEvent) { events <- ev }})
	tr, s := attachChan(t, e)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()

	// sendAndPlay runs one frame on d and checks that it reached the wire
	// and that a received frame was played.
	var seq uint16
	mic := chirpReference(audio.FrameSamples)
	sendAndPlay := func(d *unpluggable) {
		t.Helper()
		select {
		case f := <-tr.out: // loop the far end's frame back: one of ours
			seq++
			tr.in <- rtc.Frame{Payload: f.Payload, Seq: seq, Timestamp: uint32(seq) * audio.FrameSamples, SSRC: 1}
		case <-ctx.Done():
			t.Fatalf("%s: no frame sent", d.name)
		}
		untilBuffered(t, s, uint64(seq))
		played := s.Stats().Played
		d.frame(mic)
		if s.Stats().Played != played+1 {
			t.Fatalf("%s: the received frame was not played", d.name)
		}
	}

	headset.frame(mic)
	sendAndPlay(headset)

	headset.unplug()
	var ev DeviceEvent
	select {
	case ev = <-events:
	case <-ctx.Done():
		t.Fatal("no device event")
	}
	if ev.Device != speaker || ev.Step != 2 || ev.Lost != headset || !errors.Is(ev.Reason, audio.ErrDeviceLost) || ev.Err != nil {
		t.Fatalf("event %+v, want the speaker from step 2", ev)
	}
	if started, closed := headset.state(); started || closed {
		t.Fatalf("headset started %v closed %v: the app's device must be stopped, not closed", started, closed)
	}
	if e.stream.Load() != s {
		t.Fatal("the stream was replaced: the call was dropped")
	}
	speaker.frame(mic)
	sendAndPlay(speaker)

	// A late loss report from the old device changes nothing.
	e.deviceLost(headset, audio.ErrDeviceLost)
	if started, _ := speaker.state(); !started {
		t.Fatal("a stale loss report stopped the current device")
	}

	// The engine's own device is lost too: it is closed, the next one used.
	speaker.unplug()
	select {
	case ev = <-events:
	case <-ctx.Done():
		t.Fatal("no second device event")
	}
	if ev.Device != null || ev.Lost != speaker {
		t.Fatalf("second event %+v", ev)
	}
	if _, closed := speaker.state(); !closed {
		t.Fatal("the engine did not close the device it had opened")
	}
	null.frame(mic)
	sendAndPlay(null)
	untilStats(t, s, "three frames sent and played", func(st Stats) bool { return st.FramesSent >= 3 && st.Played >= 3 })

	// Close closes the device the engine opened.
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if _, closed := null.state(); !closed {
		t.Fatal("Close left the engine's device open")
	}
}

// TestDeviceLostNoReplacement: when nothing can be opened the app is told
// why, and SetDevice still brings the call back.
func TestDeviceLostNoReplacement(t *testing.T) {
	headset := &unpluggable{name: "headset"}
	events := make(chan DeviceEvent, 1)
	e, err := NewEngine(Config{Device: headset, Logger: quiet,
		Reopen:        []Reopener{func(audio.Device) (audio.Device, error) { return nil, nil }},
		OnDeviceEvent: func(ev DeviceEvent) { events <- ev }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	headset.unplug()
	ev := <-events
	if ev.Device != nil || !errors.Is(ev.Err, ErrNoReopen) {
		t.Fatalf("event %+v, want no device and ErrNoReopen", ev)
	}
	other := &unpluggable{name: "other"}
	old, err := e.SetDevice(other)
	if err != nil || old != headset {
		t.Fatalf("SetDevice = %v, %v", old, err)
	}
	if started, _ := other.state(); !started {
		t.Fatal("SetDevice after a total loss did not start the new device")
	}
}

// TestEngineStopStart: Stop stops the device and detaches the call; Start
// runs the same device again; a device that no longer starts (unplugged
// while stopped) is replaced through the Reopen chain, and the event says
// so.
func TestEngineStopStart(t *testing.T) {
	card := &unpluggable{name: "card"}
	spare := &unpluggable{name: "spare"}
	events := make(chan DeviceEvent, 1)
	e, err := NewEngine(Config{Device: card, OnDeviceEvent: func(ev DeviceEvent) { events <- ev },
		Reopen: []Reopener{func(audio.Device) (audio.Device, error) { return spare, nil }}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Attach(newChanTransport(), nil); err != nil {
		t.Fatal(err)
	}
	if err := e.Stop(); err != nil {
		t.Fatal(err)
	}
	if started, _ := card.state(); started || e.Running() {
		t.Fatal("Stop left the device running")
	}
	if e.stream.Load() != nil {
		t.Fatal("Stop left the call attached")
	}
	if err := e.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if err := e.Start(); err != nil {
		t.Fatalf("Start after Stop: %v", err)
	}
	if started, _ := card.state(); !started {
		t.Fatal("Start after Stop did not start the device")
	}

	if err := e.Stop(); err != nil {
		t.Fatal(err)
	}
	card.mu.Lock()
	card.startErr = errors.New("unplugged")
	card.mu.Unlock()
	if err := e.Start(); err != nil {
		t.Fatalf("Start with the card gone: %v", err)
	}
	ev := <-events
	if ev.Lost != card || ev.Device != spare || !errors.Is(ev.Reason, audio.ErrDeviceLost) {
		t.Fatalf("event %+v, want card lost and spare in use", ev)
	}
	if started, _ := spare.state(); !started || !e.Running() {
		t.Fatal("the spare device is not running")
	}
}
