package jitter

import (
	"testing"
	"time"
)

// The tests below move the playout device's clock across a whole frame
// against the arrivals (phase 0..19 ms after each multiple of 20 ms), on a
// path with 2 ms of jitter, where the measured spread is about 2 ms and an
// adaptive buffer's margin (spread + waitGuard) about 6 ms.
const (
	phaseJitter = 2 * time.Millisecond
	// phaseMargin bounds the margin from above: the spread of a uniform
	// [0, 2 ms) jitter cannot exceed 2 ms.
	phaseMargin = phaseJitter + waitGuard
)

// TestPlayoutPhase: whatever the phase, once a continuous stream has
// settled, the frame that waited least each second waited less than
// margin + one frame (a playout tick comes every frame, so where within
// that frame the wait falls is the phase; waiting a whole frame more than
// the margin is what the level control removes) and at least waitGuard
// less the jitter (the frame that waited longest waited the margin, or
// the buffer grows). Counting whole frames, the buffer sat anywhere in
// 20..40 ms. The call starts, as the engine's does, at two frames: at most
// one adjustment in the call (the first), none when the call started
// within waitGuard of a frame, and no frame concealed.
func TestPlayoutPhase(t *testing.T) {
	t.Parallel()
	for ms := range 20 {
		phase := time.Duration(ms) * time.Millisecond
		r := link{base: 30 * time.Millisecond, jitter: phaseJitter, phase: phase, delay: 2, seed: 5, minutes: 1}.run(t)
		st := r.stats
		t.Logf("phase %2d ms: first wait %5.1f ms, settled least wait %5.1f..%5.1f ms, accelerated %d, inserted %d",
			ms, ms64(r.firstWait), ms64(r.settledLo), ms64(r.settledHi), st.Accelerated, st.Inserted)
		if r.settledLo < waitGuard-phaseJitter || r.settledHi >= phaseMargin+frame {
			t.Errorf("phase %d ms: least wait %v..%v, want within [%v, %v)", ms, r.settledLo, r.settledHi, waitGuard-phaseJitter, phaseMargin+frame)
		}
		if n := st.Accelerated + st.Inserted; n > 1 {
			t.Errorf("phase %d ms: %d adjustments, want at most one", ms, n)
		}
		if r.firstWait < frame+waitGuard && st.Accelerated != 0 {
			t.Errorf("phase %d ms: started with a wait of %v, yet %d frames dropped", ms, r.firstWait, st.Accelerated)
		}
		if st.Lost != 0 || st.Late != 0 {
			t.Errorf("phase %d ms: lost %d, late %d", ms, st.Lost, st.Late)
		}
	}
}

// TestTalkspurtPhase: with DTX, each talkspurt's first frame waits between
// the margin and margin + one frame before it plays, whatever the phase,
// instead of 20..40 ms (two frames counted), and nothing inside a
// talkspurt is concealed or dropped.
func TestTalkspurtPhase(t *testing.T) {
	t.Parallel()
	for ms := range 20 {
		phase := time.Duration(ms) * time.Millisecond
		r := runDTX(t, 0, phaseJitter, phase, 2)
		t.Logf("phase %2d ms: talkspurt first-frame wait %5.1f..%5.1f ms; speech lost %d, gaps %d",
			ms, ms64(r.onsetWaitLo), ms64(r.onsetWaitHi), r.speechLost, r.speechGaps)
		if r.onsetWaitLo < waitGuard || r.onsetWaitHi >= phaseMargin+frame {
			t.Errorf("phase %d ms: talkspurt waits %v..%v, want within [%v, %v)", ms, r.onsetWaitLo, r.onsetWaitHi, waitGuard, phaseMargin+frame)
		}
		if r.speechLost != 0 || r.speechGaps != 0 || r.updatesLate != 0 {
			t.Errorf("phase %d ms: speech lost %d, gaps %d, updates unplayed %d", ms, r.speechLost, r.speechGaps, r.updatesLate)
		}
	}
}

func ms64(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
