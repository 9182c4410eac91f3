package speech

import (
	"fmt"
	"os"
	"path/filepath"
)

// ModelDir is where Debian's pocketsphinx-en-us installs the US English model.
const ModelDir = "/usr/share/pocketsphinx/model/en-us"

// SampleRate is the audio rate the model expects.
const SampleRate = 16000

// Config names the model files.
type Config struct {
	HMM  string // acoustic model directory
	LM   string // n-gram language model (.lm.bin)
	Dict string // pronunciation dictionary
	// Log keeps the library's log on stderr; off by default (it is verbose).
	Log bool
}

// DefaultConfig is the model of pocketsphinx-en-us under dir (ModelDir when
// empty).
func DefaultConfig(dir string) Config {
	if dir == "" {
		dir = ModelDir
	}
	return Config{
		HMM:  filepath.Join(dir, "en-us"),
		LM:   filepath.Join(dir, "en-us.lm.bin"),
		Dict: filepath.Join(dir, "cmudict-en-us.dict"),
	}
}

// Validate checks that the model files exist.
func (c Config) Validate() error {
	for _, p := range []string{c.HMM, c.LM, c.Dict} {
		if p == "" {
			return fmt.Errorf("%w: a model path is empty", ErrModel)
		}
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("%w: %v (install pocketsphinx-en-us)", ErrModel, err)
		}
	}
	return nil
}
