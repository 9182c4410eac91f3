package media

import (
	"context"
	"math"
	"testing"

	"github.com/parley-voip/parley/media/audio"
)

func TestMeterLevels(t *testing.T) {
	t.Parallel()
	m := newMeter()
	if l := m.level(); l.RMS != Silence || l.Peak != Silence {
		t.Fatalf("fresh meter %+v", l)
	}
	frame := make([]int16, audio.FrameSamples)
	audio.Tone(1000)(frame) // -6 dBFS peak sine: RMS 3 dB lower
	m.update(frame)
	l := m.level()
	if math.Abs(l.Peak-(-6.02)) > 0.1 || math.Abs(l.RMS-(-9.03)) > 0.1 {
		t.Fatalf("sine at -6 dBFS metered %+v", l)
	}
	clear(frame)
	m.update(frame)
	if l := m.level(); l.RMS != Silence || l.Peak != Silence {
		t.Fatalf("silence metered %+v", l)
	}
}

// TestEngineControls: the DSP switches and the meters work in and out of a
// call, and SetDevice moves an attached call to another device, which
// keeps capturing into the same stream.
func TestEngineControls(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	e, dev := newManualEngine(t)
	if !e.EchoCancellation() || !e.NoiseSuppression() {
		t.Fatal("echo cancellation and noise suppression must be on by default")
	}
	e.SetEchoCancellation(false)
	e.SetNoiseSuppression(false)
	if e.EchoCancellation() || e.NoiseSuppression() {
		t.Fatal("switches did not switch")
	}

	tone := make([]int16, audio.FrameSamples)
	audio.Tone(440)(tone)
	dev.callbacks().Capture(tone)
	if l := e.Levels().Capture; l.Peak < -7 || l.Peak > -5 {
		t.Fatalf("capture level outside a call %+v", l)
	}
	if err := e.PlayTone(0); err != nil {
		t.Fatal(err)
	}

	tr := newChanTransport()
	s, err := e.Attach(tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	dev.callbacks().Capture(tone)
	<-tr.out
	if st := untilStats(t, s, "the frame sent", func(st Stats) bool { return st.FramesSent >= 1 }); st.FramesSent != 1 {
		t.Fatalf("stats %+v", st)
	}

	other := &manualDevice{}
	old, err := e.SetDevice(other)
	if err != nil || old != dev {
		t.Fatalf("SetDevice = %v, %v", old, err)
	}
	other.callbacks().Capture(tone)
	select {
	case <-tr.out:
	case <-ctx.Done():
		t.Fatal("no frame sent from the new device")
	}
	out := make([]int16, audio.FrameSamples)
	other.callbacks().Playback(out)
	if l := e.Levels().Playback; l.Peak <= Silence {
		t.Fatalf("playback level %+v with a tone playing", l)
	}
	if _, err := e.SetDevice(nil); err == nil {
		t.Fatal("SetDevice(nil) accepted")
	}
}

// TestRateControl: reported loss raises the FEC planning and, beyond 5 %
// and 15 %, lowers the bitrate; clear reports bring it back.
func TestRateControl(t *testing.T) {
	t.Parallel()
	r := newRateControl(32000)
	steps := []struct {
		loss          float64
		bitrate, plan int
	}{
		{0, 32000, 10},
		{0.02, 32000, 10},
		{0.2, 24000, 16}, // smoothed 10.5 %
		{0.2, 16000, 23}, // 15.3 %
		{0.2, 16000, 27}, // 17.6 %
		{0, 24000, 14},   // 8.8 %
		{0, 32000, 10},   // 4.4 %
	}
	for i, st := range steps {
		b, p, _ := r.update(st.loss)
		if b != st.bitrate || p != st.plan {
			t.Errorf("step %d (loss %.2f): bitrate %d plan %d, want %d %d", i, st.loss, b, p, st.bitrate, st.plan)
		}
	}
}
