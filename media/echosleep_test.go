package media

import (
	"math/rand/v2"
	"testing"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/opus"
	"github.com/parley-voip/parley/media/rtc"
)

// TestEchoSleepWakesOnDeviceChange: in a call on a device that may echo,
// the far end talks (loud noise) while the microphone hears nothing: the
// stream's echo canceller falls asleep; a device change wakes it, and on
// the new device, which does not echo either, it falls asleep again.
func TestEchoSleepWakesOnDeviceChange(t *testing.T) {
	headset, speaker := &unpluggable{name: "headset"}, &unpluggable{name: "speaker"}
	e := startEngine(t, Config{Device: headset, JitterDelay: 1})
	tr, s := attachChan(t, e)
	go func() { // what the stream sends is not looked at
		for range tr.out {
		}
	}()
	enc, err := opus.NewEncoder(opus.DefaultEncoderConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	rng := rand.New(rand.NewPCG(3, 4))
	pcm, pkt := make([]int16, audio.FrameSamples), make([]byte, 1500)
	silence := make([]int16, audio.FrameSamples)
	var seq uint16
	captured := uint64(0)
	// frame runs one period on d and waits for the stream to have encoded
	// what it captured (so that none is dropped for a full send queue).
	frame := func(d *unpluggable) {
		t.Helper()
		d.frame(silence)
		captured++
		untilStats(t, s, "the captured frame", func(st Stats) bool { return st.FramesSent+st.DTXSkipped >= captured })
	}
	// send hands the stream one encoded frame of the far end's.
	send := func(pcm []int16) {
		t.Helper()
		m, err := enc.Encode(pcm, pkt)
		if err != nil {
			t.Fatal(err)
		}
		seq++
		tr.in <- rtc.Frame{Payload: append([]byte(nil), pkt[:m]...), Seq: seq, Timestamp: uint32(seq) * audio.FrameSamples, SSRC: 1}
		untilBuffered(t, s, uint64(seq))
	}
	// talk plays n frames of the far end's noise (-20 dBFS) on d, after a
	// pause that tells the canceller the microphone's floor.
	talk := func(d *unpluggable, n int) {
		t.Helper()
		for range 10 {
			send(silence)
			frame(d)
		}
		for range n {
			for i := range pcm {
				pcm[i] = int16(rng.NormFloat64() * 3000)
			}
			send(pcm)
			frame(d)
		}
	}
	talk(headset, 200) // 4 s: the canceller sleeps after 2 s of it
	untilStats(t, s, "asleep on the headset", func(st Stats) bool { return st.EchoSleeps == 1 && st.EchoAsleep > 0 })
	if _, err := e.SetDevice(speaker); err != nil {
		t.Fatal(err)
	}
	talk(speaker, 200)
	st := untilStats(t, s, "asleep again on the speaker", func(st Stats) bool { return st.EchoSleeps == 2 })
	if st.EchoWakes != 0 {
		t.Errorf("the probe heard echo where there was none: %+v", st)
	}
}
