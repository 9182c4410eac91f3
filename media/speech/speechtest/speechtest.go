// Package speechtest holds the fixtures of the captions tests: the LibriVox
// utterances of Debian's pocketsphinx-testdata with their reference text,
// and a build of the parley-captions worker.
package speechtest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/dsp"
	"github.com/parley-voip/parley/media/opus"
	"github.com/parley-voip/parley/media/speech"
)

// LibriVoxDir is where pocketsphinx-testdata installs the utterances.
const LibriVoxDir = "/usr/share/pocketsphinx/test/data/librivox"

// Utterance is one recording and what was said.
type Utterance struct {
	Name string
	Ref  string  // reference transcription, lower case, without <s> </s>
	PCM  []int16 // 16 kHz mono
}

var line = regexp.MustCompile(`^<s> (.*) </s> \((\S+)\)$`)

// Installed skips t unless the recognizer's model and test data are there
// (scripts/setup.sh test installs them); where CI is set, which must run
// the captions tests, it fails t instead.
func Installed(t testing.TB) {
	t.Helper()
	missing := t.Skipf
	if os.Getenv("CI") != "" {
		missing = t.Fatalf
	}
	if err := speech.DefaultConfig("").Validate(); err != nil {
		missing("pocketsphinx-en-us not installed (scripts/setup.sh test): %v", err)
	}
	if _, err := os.Stat(filepath.Join(LibriVoxDir, "transcription")); err != nil {
		missing("pocketsphinx-testdata not installed (scripts/setup.sh test): %v", err)
	}
}

// LibriVox returns the utterances named (all when none), in file order.
func LibriVox(t testing.TB, names ...string) []Utterance {
	t.Helper()
	Installed(t)
	f, err := os.Open(filepath.Join(LibriVoxDir, "transcription"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	var out []Utterance
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := line.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil || len(want) > 0 && !want[m[2]] {
			continue
		}
		w, err := os.Open(filepath.Join(LibriVoxDir, m[2]+".wav"))
		if err != nil {
			t.Fatal(err)
		}
		pcm, err := audio.ReadWAVRate(w, speech.SampleRate)
		w.Close()
		if err != nil {
			t.Fatalf("%s: %v", m[2], err)
		}
		out = append(out, Utterance{Name: m[2], Ref: m[1], PCM: pcm})
	}
	if len(out) == 0 || len(want) > 0 && len(out) != len(want) {
		t.Fatalf("found %d of the utterances %v", len(out), names)
	}
	return out
}

var build struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// Worker builds cmd/parley-captions once per test binary and returns its
// path.
func Worker(t testing.TB) string {
	t.Helper()
	Installed(t)
	build.once.Do(func() {
		dir, err := os.MkdirTemp("", "parley-captions-")
		if err != nil {
			build.err = err
			return
		}
		build.path = filepath.Join(dir, "parley-captions")
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..", "..")
		cmd := exec.Command("go", "build", "-o", build.path, "./cmd/parley-captions")
		cmd.Dir = root
		build.out, build.err = cmd.CombinedOutput()
	})
	if build.err != nil {
		t.Fatalf("build parley-captions: %v\n%s", build.err, build.out)
	}
	return build.path
}

// OpusPackets encodes 16 kHz speech as a Parley client sends it: resampled
// to 48 kHz, one packet per 20 ms with opus.DefaultEncoderConfig.
func OpusPackets(t testing.TB, pcm16k []int16) [][]byte {
	t.Helper()
	pcm, err := dsp.Resample(pcm16k, speech.SampleRate, opus.DefaultSampleRate)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := opus.NewEncoder(opus.DefaultEncoderConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	const frame = opus.DefaultSampleRate / 50
	var out [][]byte
	buf := make([]byte, 1500)
	blk := make([]int16, frame)
	for off := 0; off < len(pcm); off += frame {
		clear(blk[copy(blk, pcm[off:]):])
		n, err := enc.Encode(blk, buf)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, append([]byte(nil), buf[:n]...))
	}
	return out
}

// Silence is n ms of 16 kHz silence, to end an utterance as a pause does.
func Silence(ms int) []int16 { return make([]int16, speech.SampleRate*ms/1000) }
