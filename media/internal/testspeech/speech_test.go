package testspeech

import "testing"

func TestLoad(t *testing.T) {
	pcm := Load(t, NearVoice, NearText)
	if len(pcm) < 48000*2 {
		t.Fatalf("%d samples: too short for the text", len(pcm))
	}
	var peak int16
	for _, v := range pcm {
		peak = max(peak, v, -v)
	}
	if peak < 3000 {
		t.Fatalf("peak %d: not speech", peak)
	}
}
