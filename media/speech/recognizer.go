package speech

/*
#cgo pkg-config: pocketsphinx
#include <stdlib.h>
#include <stdio.h>
#include <pocketsphinx.h>
#include <sphinxbase/err.h>

static void parley_quiet(void) { err_set_logfp(NULL); }

static cmd_ln_t *parley_config(char *hmm, char *lm, char *dict) {
	char *argv[] = {"-hmm", hmm, "-lm", lm, "-dict", dict};
	return cmd_ln_parse_r(NULL, ps_args(), 6, argv, TRUE);
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Recognizer decodes one stream continuously. It owns C memory (Close
// frees it) and is not safe for concurrent use.
type Recognizer struct {
	cfg    *C.cmd_ln_t
	ps     *C.ps_decoder_t
	inUtt  bool
	closed bool
}

// New loads the model (about a second and 30 MB) and starts the first
// utterance.
func New(c Config) (*Recognizer, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if !c.Log {
		C.parley_quiet()
	}
	hmm, lm, dict := C.CString(c.HMM), C.CString(c.LM), C.CString(c.Dict)
	defer C.free(unsafe.Pointer(hmm))
	defer C.free(unsafe.Pointer(lm))
	defer C.free(unsafe.Pointer(dict))
	cfg := C.parley_config(hmm, lm, dict)
	if cfg == nil {
		return nil, fmt.Errorf("%w: configuration refused", ErrModel)
	}
	ps := C.ps_init(cfg)
	if ps == nil {
		C.cmd_ln_free_r(cfg)
		return nil, fmt.Errorf("%w: %s", ErrModel, c.HMM)
	}
	r := &Recognizer{cfg: cfg, ps: ps}
	return r, r.start()
}

func (r *Recognizer) start() error {
	if C.ps_start_utt(r.ps) < 0 {
		return fmt.Errorf("%w: start utterance", ErrDecode)
	}
	r.inUtt = true
	return nil
}

// Process feeds 16 kHz mono samples.
func (r *Recognizer) Process(pcm []int16) error {
	if r.closed {
		return ErrClosed
	}
	if len(pcm) == 0 {
		return nil
	}
	if C.ps_process_raw(r.ps, (*C.int16)(unsafe.Pointer(unsafe.SliceData(pcm))), C.size_t(len(pcm)), 0, 0) < 0 {
		return fmt.Errorf("%w: process", ErrDecode)
	}
	return nil
}

// InSpeech reports whether the voice activity detector hears speech in the
// audio fed so far.
func (r *Recognizer) InSpeech() bool {
	return !r.closed && C.ps_get_in_speech(r.ps) != 0
}

// Hyp is the current best hypothesis of the utterance in progress.
func (r *Recognizer) Hyp() string {
	if r.closed {
		return ""
	}
	var score C.int32
	h := C.ps_get_hyp(r.ps, &score)
	if h == nil {
		return ""
	}
	return C.GoString(h)
}

// EndUtterance ends the utterance, returns its final hypothesis and starts
// the next one.
func (r *Recognizer) EndUtterance() (string, error) {
	if r.closed {
		return "", ErrClosed
	}
	if C.ps_end_utt(r.ps) < 0 {
		return "", fmt.Errorf("%w: end utterance", ErrDecode)
	}
	r.inUtt = false
	h := r.Hyp()
	return h, r.start()
}

// Close frees the decoder.
func (r *Recognizer) Close() {
	if r.closed {
		return
	}
	r.closed = true
	if r.inUtt {
		C.ps_end_utt(r.ps)
	}
	C.ps_free(r.ps)
	C.cmd_ln_free_r(r.cfg)
}
