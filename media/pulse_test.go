package media

import (
	"context"
	"math"
	"testing"

	"github.com/parley-voip/parley/media/audio"
)

// TestPulseAudioCall is the real device path: a private PulseAudio server
// with four null sinks stands in for two machines' sound cards, and two
// engines open them through malgo exactly as the app opens a sound card
// (audio.Devices + WithCaptureDevice / WithPlaybackDevice). A tone played
// into a's "microphone" (sink mic_a, captured from its monitor) must come
// out of b's "speaker" (sink spk_b, recorded from its monitor by parec)
// after crossing two pion peers on loopback with E2EE, at the same pitch.
// Alternating tones prove the audio is live, not a stuck buffer.
func TestPulseAudioCall(t *testing.T) {
	if testing.Short() {
		t.Skip("real-time PulseAudio test")
	}
	ps := startPulse(t, "mic_a", "spk_a", "mic_b", "spk_b")
	list, err := audio.Devices(audio.WithBackend(audio.BackendPulseAudio))
	if err != nil {
		t.Fatal(err)
	}
	if list.Backend != "pulseaudio" {
		t.Fatalf("Devices listed %q, want pulseaudio", list.Backend)
	}
	t.Logf("capture %+v", list.Capture)
	t.Logf("playback %+v", list.Playback)

	open := func(side string) *audio.MalgoDevice {
		d, err := audio.OpenDefault(audio.WithBackend(audio.BackendPulseAudio),
			audio.WithCaptureDevice(endpoint(t, list.Capture, "mic_"+side+".monitor")),
			audio.WithPlaybackDevice(endpoint(t, list.Playback, "spk_"+side)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = d.Close() })
		if info := d.Info(); info.Backend != "pulseaudio" || info.NoDevice {
			t.Fatalf("side %s opened %+v", side, info)
		}
		return d
	}
	ea, eb := startEngine(t, Config{Device: open("a")}), startEngine(t, Config{Device: open("b")})

	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	pa, pb := connectPeers(ctx, t)
	sa, err := ea.Attach(pa, newGCMCipher(1, 2))
	if err != nil {
		t.Fatal(err)
	}
	sb, err := eb.Attach(pb, newGCMCipher(2, 1))
	if err != nil {
		t.Fatal(err)
	}
	// b plays a's silence first: the path is up before the tone starts.
	select {
	case <-sb.FirstFrame():
	case <-ctx.Done():
		t.Fatal("b decoded no frame from a")
	}

	rec := ps.record(t, "spk_b.monitor")
	pcm := toneBursts(burstFreqs)
	ps.play(t, "mic_a", pcm)
	// The bursts, plus the call's delay and the devices' buffers.
	if err := rec.waitSamples(ctx, len(pcm)+audio.SampleRate); err != nil {
		t.Fatal(err)
	}
	got := rec.samples()
	onset, ok := toneOnset(got)
	if !ok {
		t.Fatalf("%v; a %+v, b %+v", errNoOnset, sa.Stats(), sb.Stats())
	}
	// Score the middle of each burst, away from its edges (the codec's
	// attack, the jitter buffer moving the timeline by a frame).
	for i, want := range burstFreqs {
		start := onset + i*(burstOn+burstOff) + burstOn/4
		end := start + burstOn/2
		if end > len(got) {
			t.Fatalf("recording of %d samples ends before burst %d", len(got), i)
		}
		f, db := dominantFrequency(got[start:end], 200, 3000)
		t.Logf("burst %d, %v Hz: heard %.1f Hz at %.1f dBFS", i, want, f, db)
		if math.Abs(f-want) > 3 {
			t.Errorf("burst %d: %v Hz tone came out at %.1f Hz", i, want, f)
		}
		if db < -20 {
			t.Errorf("burst %d: %v Hz tone came out at %.1f dBFS, too quiet to be the tone", i, want, db)
		}
	}
	t.Logf("a: %+v", sa.Stats())
	t.Logf("b: %+v", sb.Stats())
}

// Tone bursts, not one long tone: a noise suppressor (rightly) treats a
// sine that goes on for a second as stationary noise, like mains hum, and
// fades it out (speexdsp's does, by 30 dB within a second); gaps between
// short bursts let its noise estimate fall back, as pauses in speech do.
var burstFreqs = []float64{600, 1100, 600, 1100}

const (
	burstOn  = 2 * audio.SampleRate / 5 // 400 ms
	burstOff = audio.SampleRate / 5     // 200 ms
)

// toneBursts is burstOn samples of each -6 dBFS sine, burstOff of silence
// after each.
func toneBursts(freqs []float64) []int16 {
	out := make([]int16, len(freqs)*(burstOn+burstOff))
	for i, f := range freqs {
		at := i * (burstOn + burstOff)
		audio.Tone(f)(out[at : at+burstOn])
	}
	return out
}

// toneOnset is the first 20 ms block above -30 dBFS: the recording is
// digital silence (null sinks, silent far end) until the tone arrives.
func toneOnset(pcm []int16) (int, bool) {
	const block = audio.FrameSamples
	for i := 0; i+block <= len(pcm); i += block {
		if rmsDBFS(pcm[i:i+block]) > -30 {
			return i, true
		}
	}
	return 0, false
}

// dominantFrequency scans lo..hi Hz with the Goertzel filter, 1 Hz steps
// then 0.1 Hz around the peak, and returns the strongest frequency and the
// segment's RMS level in dBFS.
func dominantFrequency(pcm []int16, lo, hi float64) (freq, dbfs float64) {
	best := func(from, to, step float64) float64 {
		bf, bp := from, -1.0
		for f := from; f <= to; f += step {
			if p := goertzel(pcm, f); p > bp {
				bf, bp = f, p
			}
		}
		return bf
	}
	f := best(lo, hi, 1)
	return best(f-1, f+1, 0.1), rmsDBFS(pcm)
}

func goertzel(pcm []int16, freq float64) float64 {
	w := 2 * math.Pi * freq / audio.SampleRate
	coeff := 2 * math.Cos(w)
	var s1, s2 float64
	for i, v := range pcm {
		// A Hann window keeps a strong tone's leakage from outweighing the
		// true peak of a weaker one.
		h := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(len(pcm)-1))
		s := float64(v)*h + coeff*s1 - s2
		s2, s1 = s1, s
	}
	return s1*s1 + s2*s2 - coeff*s1*s2
}
