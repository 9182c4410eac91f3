// Package testspeech synthesises speech for the media tests and
// measurements: espeak-ng speaks a fixed text, sox resamples it to the
// pipeline's 48 kHz mono, and the result is cached in the temporary
// directory. Synthetic speech has the properties the tests need (voiced
// and unvoiced sounds, pauses, a pitch contour) and needs no recording in
// the repository; both tools are Debian packages scripts/setup.sh installs
// for `make test`.
package testspeech

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/parley-voip/parley/media/audio"
)

// Voices and texts of the samples.
const (
	// Far is the remote talker in echo tests and the sent speech in the
	// loss measurements.
	FarVoice = "en-us"
	FarText  = "The quick brown fox jumps over the lazy dog. Please call me back when you get this message. " +
		"I will be in the office until six, and after that you can reach me on my mobile."
	// Near is the local talker, a different voice.
	NearVoice = "en-gb+f3"
	NearText  = "Seven bright lanterns hang above the harbour tonight, and the boats are coming home."
)

// Load returns the text spoken by voice as 48 kHz mono PCM, skipping the
// test when espeak-ng or sox is not installed.
func Load(tb testing.TB, voice, text string) []int16 {
	tb.Helper()
	for _, tool := range []string{"espeak-ng", "sox"} {
		if _, err := exec.LookPath(tool); err != nil {
			tb.Skipf("testspeech: %s not installed (scripts/setup.sh test installs it)", tool)
		}
	}
	sum := sha256.Sum256([]byte(voice + "\x00" + text))
	path := filepath.Join(os.TempDir(), "parley-speech-"+hex.EncodeToString(sum[:8])+".wav")
	if b, err := os.ReadFile(path); err == nil {
		if pcm, err := audio.ReadWAV(bytes.NewReader(b)); err == nil {
			return pcm
		}
	}
	pcm, err := synthesise(voice, text)
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if err := audio.WriteWAV(&buf, pcm); err == nil {
		tmp := path + fmt.Sprintf(".%d", os.Getpid())
		if os.WriteFile(tmp, buf.Bytes(), 0o644) == nil {
			_ = os.Rename(tmp, path)
		}
	}
	return pcm
}

func synthesise(voice, text string) ([]int16, error) {
	var raw bytes.Buffer
	speak := exec.Command("espeak-ng", "-v", voice, "-s", "165", "--stdout", text)
	speak.Stdout = &raw
	if err := speak.Run(); err != nil {
		return nil, fmt.Errorf("testspeech: espeak-ng: %w", err)
	}
	var out bytes.Buffer
	resample := exec.Command("sox", "-t", "wav", "-", "-t", "wav", "-r", "48000", "-c", "1", "-b", "16", "-e", "signed-integer", "-")
	resample.Stdin, resample.Stdout = &raw, &out
	if err := resample.Run(); err != nil {
		return nil, fmt.Errorf("testspeech: sox: %w", err)
	}
	pcm, err := audio.ReadWAV(&out)
	if err != nil {
		return nil, fmt.Errorf("testspeech: read sox output: %w", err)
	}
	return pcm, nil
}
