package app

import (
	"context"
	"math"
	"testing"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/quality"
)

// minNCC is the normalized cross-correlation received chirp audio must
// reach. Opus at 32 kb/s in VoIP mode keeps the waveform of a 300–3000 Hz
// sweep: a call on loopback scores about 0.98, and even a frame in ten lost
// and concealed scores 0.835 (media/quality's measurements). Silence, noise,
// or audio under the wrong key (dropped, so silence) score below 0.02.
const minNCC = 0.8

// chunk is the length of audio scored at a time. The adaptive jitter buffer
// may drop or insert a frame to keep its delay on target, which shifts the
// timeline; short chunks each find their own lag, so such a shift costs one
// chunk, not the whole score.
const chunk = audio.SampleRate / 5 // 200 ms

// assertHears waits for u to have played two seconds of the call, then
// checks they are the other side's chirp: the median score of ten 200 ms
// chunks, each matched anywhere in two periods of the chirp.
func assertHears(t *testing.T, what string, u *testUser) {
	t.Helper()
	ref := make([]int16, 2*audio.ChirpPeriod)
	audio.Chirp()(ref)
	assertHearsRef(t, what, u, ref)
}

// assertHearsRef is assertHears for any looping reference (two periods).
func assertHearsRef(t *testing.T, what string, u *testUser, ref []int16) {
	t.Helper()
	u.ev.waitCall(t, what+": first audio", func(c CallInfo) bool { return c.AudioReceived || c.Ended() })
	const window = 2 * audio.SampleRate
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := u.rec.Wait(ctx, u.rec.Total()+window); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	median, scores := lastScores(u, ref, window)
	t.Logf("%s: median NCC %.3f over %d chunks (lowest %.3f)", what, median, len(scores), scores[0])
	if median < minNCC {
		t.Fatalf("%s: received audio does not match the chirp sent (median NCC %.3f < %.2f; scores %.2f)", what, median, minNCC, scores)
	}
}

// maxQuietDBFS is the loudest a side may hear on hold: Opus decodes the
// silence a held (muted) sender encodes to a few LSBs, and comfort noise
// stays far below the chirp (about -3 dBFS).
const maxQuietDBFS = -50

// assertSilent waits until u plays silence (what was in flight and in the
// jitter buffer drains first) and then checks a whole second of silence
// follows: ten 100 ms chunks in a row at most maxQuietDBFS. Audio that
// never goes quiet fails at the wait's timeout.
func assertSilent(t *testing.T, what string, u *testUser) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	const piece, need = audio.SampleRate / 10, 10
	quiet, last := 0, 0.0
	for quiet < need {
		if err := u.rec.Wait(ctx, u.rec.Total()+piece); err != nil {
			t.Fatalf("%s: never a second of silence (last 100 ms at %.1f dBFS): %v", what, last, err)
		}
		got := u.rec.Samples()
		last = dBFS(got[len(got)-piece:])
		if last <= maxQuietDBFS {
			quiet++
		} else {
			quiet = 0
		}
	}
	t.Logf("%s: a second of silence (last 100 ms at %.1f dBFS)", what, last)
}

func dBFS(pcm []int16) float64 {
	var sum float64
	for _, v := range pcm {
		sum += float64(v) * float64(v)
	}
	if sum == 0 {
		return -200
	}
	return 10 * math.Log10(sum/float64(len(pcm))/(32768*32768))
}

// assertComesToHear is assertHears across a switch of who u hears (a
// transfer, a pickup, a device move): it waits, up to waitTimeout, for
// the last two seconds u played to be the chirp, and logs how much audio
// u played before they were (the switch-over, hold music included).
func assertComesToHear(t *testing.T, what string, u *testUser) {
	t.Helper()
	ref := make([]int16, 2*audio.ChirpPeriod)
	audio.Chirp()(ref)
	const window = 2 * audio.SampleRate
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	start := u.rec.Total()
	if err := u.rec.Wait(ctx, start+window); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for {
		median, scores := lastScores(u, ref, window)
		if median >= minNCC {
			t.Logf("%s: median NCC %.3f after %d ms of audio", what, median, (u.rec.Total()-start-window)*1000/audio.SampleRate)
			return
		}
		if err := u.rec.Wait(ctx, u.rec.Total()+chunk); err != nil {
			t.Fatalf("%s: never the chirp within %v (last median %.3f; scores %.2f)", what, waitTimeout, median, scores)
		}
	}
}

// lastScores scores the last window samples u played against ref, chunk
// by chunk: the median and every score, sorted.
func lastScores(u *testUser, ref []int16, window int) (float64, []float64) {
	got := u.rec.Samples()
	return quality.ChunkNCC(got[len(got)-window:], ref, chunk)
}
