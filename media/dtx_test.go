package media

import (
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/rtc"
)

// skipTransport records, per captured frame, whether the stream sent it or
// skipped it, as rtc.Peer's WriteFrame and SkipFrame see it.
type skipTransport struct {
	mu    sync.Mutex
	trace []bool // true: sent
}

func (t *skipTransport) WriteFrame([]byte, time.Duration) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.trace = append(t.trace, true)
	return nil
}

func (t *skipTransport) SkipFrame(d time.Duration) error {
	if d != frameDuration {
		panic("skipped a frame of the wrong duration")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.trace = append(t.trace, false)
	return nil
}

func (t *skipTransport) ReadFrame() (rtc.Frame, error) { select {} }

func (t *skipTransport) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.trace)
}

// TestStreamDTX: speech, 2 s of silence, speech again. With DTX (the
// default) the silence is sent for the first 200 ms, then only as a
// comfort-noise update every 400 ms; speech is sent whole. With DTXOff
// every frame is sent.
func TestStreamDTX(t *testing.T) {
	for _, off := range []bool{false, true} {
		name := map[bool]string{false: "dtx", true: "off"}[off]
		t.Run(name, func(t *testing.T) {
			dev := &manualDevice{}
			e, err := NewEngine(Config{Device: dev, Logger: quiet, DTXOff: off, NoiseSuppressionOff: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = e.Close() })
			if err := e.Start(); err != nil {
				t.Fatal(err)
			}
			tr := &skipTransport{}
			s, err := e.Attach(tr, nil)
			if err != nil {
				t.Fatal(err)
			}
			const speech, silence = 25, 100
			pcm := append(chirpReference(speech*audio.FrameSamples), make([]int16, silence*audio.FrameSamples)...)
			pcm = append(pcm, chirpReference(speech*audio.FrameSamples)...)
			for i := 0; i*audio.FrameSamples < len(pcm); i++ {
				dev.callbacks().Capture(pcm[i*audio.FrameSamples : (i+1)*audio.FrameSamples])
				for tr.len() < i+1 { // one frame at a time: the send queue never overflows
					runtimeYield()
				}
			}
			sent := 0
			for _, v := range tr.trace[speech : speech+silence] {
				if v {
					sent++
				}
			}
			st := untilStats(t, s, "every frame sent or skipped", func(st Stats) bool {
				return st.FramesSent+st.DTXSkipped >= uint64(tr.len())
			})
			t.Logf("silence: %d of %d frames sent; stats sent %d, skipped %d", sent, silence, st.FramesSent, st.DTXSkipped)
			for i, v := range tr.trace {
				if inSpeech := i < speech || i >= speech+silence; inSpeech && !v {
					t.Fatalf("speech frame %d skipped", i)
				}
			}
			if off {
				if sent != silence || st.DTXSkipped != 0 {
					t.Fatalf("DTX off: %d of %d silent frames sent, %d skipped", sent, silence, st.DTXSkipped)
				}
				return
			}
			// 10 frames before DTX starts, then one update per 20 frames.
			if sent < 12 || sent > 20 {
				t.Errorf("DTX sent %d of %d silent frames, want about 10 + 1 per 400 ms", sent, silence)
			}
			if st.DTXSkipped != uint64(silence-sent) || st.FramesSent != uint64(len(tr.trace)-(silence-sent)) {
				t.Errorf("stats %+v disagree with the transport", st)
			}
		})
	}
}
