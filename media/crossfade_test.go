package media

import (
	"math"
	"testing"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/jitter"
	"github.com/parley-voip/parley/media/opus"
	"github.com/parley-voip/parley/media/opus/opustest"
)

// compressPlayout encodes a sine (Parley's default encoder settings), then decodes it frame by frame as the
// playback path does, except at frame at: there it plays frames at and
// at+1 in one tick, with decodeCompress if crossfade, else by skipping
// frame at (what the jitter buffer did before Compress: drop the due
// frame, play the next).
func compressPlayout(t *testing.T, hz float64, at int, crossfade bool) (out []int16, seam int) {
	t.Helper()
	const frames = 30
	sine := make([]int16, frames*audio.FrameSamples)
	for i := range sine {
		sine[i] = int16(10000 * math.Sin(2*math.Pi*hz*float64(i)/audio.SampleRate))
	}
	pkts, err := opustest.Encode(sine)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := opus.NewDecoder(audio.SampleRate, audio.Channels)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	frame := make([]int16, audio.FrameSamples)
	scratch := make([]int16, audio.FrameSamples)
	for k := 0; k < frames; k++ {
		switch {
		case k == at && crossfade:
			if err := decodeCompress(dec, jitter.Frame{Payload: pkts[k], Next: pkts[k+1]}, frame, scratch); err != nil {
				t.Fatal(err)
			}
			k++
		case k == at:
			k++
			fallthrough
		default:
			if _, err := dec.Decode(pkts[k], frame); err != nil {
				t.Fatal(err)
			}
		}
		if k == at+1 {
			seam = len(out) // the compressed tick starts here
		}
		out = append(out, frame...)
	}
	return out, seam
}

// maxStep is the largest sample-to-sample change in x.
func maxStep(x []int16) int {
	m := 0
	for i := 1; i < len(x); i++ {
		d := int(x[i]) - int(x[i-1])
		m = max(m, d, -d)
	}
	return m
}

// TestCompressIsContinuous: playing two frames of a sine in one tick
// (a jitter buffer's Compress) leaves no step in the output: from the
// frame before the compressed tick to the frame after it, no
// sample-to-sample change exceeds what the same span has when decoded
// without compression (the sine's own steepest, A·2π·f/fs = 576 for
// 10000 at 440 Hz, plus Opus's coding noise) by more than a tenth of the
// sine's steepest, and the tick keeps at least half the sine's level
// (the two frames are 0.8 cycle apart at 440 Hz, so the mix dips to
// cos(144°) = 0.81 in the middle, never to silence). Skipping the frame
// instead, as the buffer did before, is logged for comparison: on a
// steady sine Opus's decoder makes that seam smooth too (its overlap);
// what the crossfade adds is that no frame goes undecoded, so no 20 ms
// of speech is lost and the decoder's prediction state stays in step.
func TestCompressIsContinuous(t *testing.T) {
	const hz, at = 440.0, 15
	slope := 10000 * 2 * math.Pi * hz / audio.SampleRate
	ref, _ := compressPlayout(t, hz, -10, true)
	out, seam := compressPlayout(t, hz, at, true)
	skip, _ := compressPlayout(t, hz, at, false)
	// The frame before the compressed tick, the tick, the frame after.
	around := func(x []int16) []int16 { return x[seam-audio.FrameSamples : seam+2*audio.FrameSamples] }
	t.Logf("max step: uninterrupted %d, crossfaded %d, skipped %d (sine's steepest %.0f); compressed tick %.1f dBFS, uninterrupted %.1f",
		maxStep(around(ref)), maxStep(around(out)), maxStep(around(skip)), slope,
		rmsDBFS(out[seam:seam+audio.FrameSamples]), rmsDBFS(ref[seam:seam+audio.FrameSamples]))
	if got, want := maxStep(around(out)), maxStep(around(ref))+int(slope/10); got > want {
		t.Errorf("max step across the compressed tick %d, want ≤ %d", got, want)
	}
	tick := out[seam : seam+audio.FrameSamples]
	if lvl, want := rmsDBFS(tick), rmsDBFS(ref[seam:seam+audio.FrameSamples])-6; lvl < want {
		t.Errorf("compressed tick at %.1f dBFS, want ≥ %.1f", lvl, want)
	}
	if len(out) != len(ref)-audio.FrameSamples {
		t.Errorf("%d samples out, want %d (one frame fewer)", len(out), len(ref)-audio.FrameSamples)
	}
}
