package quality

import (
	"testing"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/opus"
)

// TestOpusChirp measures what the package doc quotes: the chirp through Opus
// at 32 kb/s, decoded, and the score it gets against the source, with and
// without a lost frame. It keeps the documented threshold honest.
func TestOpusChirp(t *testing.T) {
	t.Parallel()
	ref := chirp(3 * audio.SampleRate)
	for _, loseEvery := range []int{0, 10} {
		enc, err := opus.NewEncoder(opus.DefaultEncoderConfig())
		if err != nil {
			t.Fatal(err)
		}
		dec, err := opus.NewDecoder(audio.SampleRate, 1)
		if err != nil {
			t.Fatal(err)
		}
		got := make([]int16, 4321) // pipeline delay before the audio
		pkt := make([]byte, opus.MaxPacketSize)
		pcm := make([]int16, audio.FrameSamples)
		for i := 0; i+audio.FrameSamples <= len(ref); i += audio.FrameSamples {
			n, err := enc.Encode(ref[i:i+audio.FrameSamples], pkt)
			if err != nil {
				t.Fatal(err)
			}
			if loseEvery > 0 && (i/audio.FrameSamples)%loseEvery == loseEvery-1 {
				_, err = dec.DecodePLC(pcm)
			} else {
				_, err = dec.Decode(pkt[:n], pcm)
			}
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, pcm...)
		}
		enc.Close()
		dec.Close()
		score, lag := NCC(ref, got, audio.SampleRate)
		snr := SegmentalSNR(ref, got, lag)
		t.Logf("opus 32 kb/s, 1 in %d frames lost: ncc %.3f at lag %d, segsnr %.1f dB", loseEvery, score, lag, snr)
		// Opus adds its 6.5 ms look-ahead (312 samples) to our 4321.
		if lag < 4321 || lag > 4321+480 {
			t.Errorf("lag %d, want 4321 + codec delay", lag)
		}
		if score < 0.8 {
			t.Errorf("ncc %.3f below the 0.8 pass mark", score)
		}
	}
}
