package app

import (
	"context"
	"testing"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/quality"
)

// minNCC is the normalized cross-correlation a received chirp must reach.
// Opus at 32 kb/s in VoIP mode keeps the waveform of a 300–3000 Hz sweep:
// a call on loopback scores 0.988, and even one frame in ten lost and
// concealed scores 0.835 (media/quality's measurements). Silence, noise, or
// audio under the wrong key (dropped, so silence) score below 0.02.
const minNCC = 0.8

// assertHears waits for u to have played two seconds of the call, then
// checks they contain the other side's chirp.
func assertHears(t *testing.T, what string, u *testUser) {
	t.Helper()
	u.ev.waitCall(t, what+": first audio", func(c CallInfo) bool { return c.AudioReceived || c.Ended() })
	const window = 2 * audio.SampleRate
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := u.rec.Wait(ctx, u.rec.Total()+window); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	got := u.rec.Samples()
	got = got[len(got)-window:]

	ref := make([]int16, audio.ChirpPeriod)
	audio.Chirp()(ref)
	score, lag := quality.NCC(ref, got, len(got)-len(ref))
	t.Logf("%s: NCC %.3f at lag %d samples", what, score, lag)
	if score < minNCC {
		t.Fatalf("%s: received audio does not match the chirp sent (NCC %.3f < %.2f)", what, score, minNCC)
	}
}
