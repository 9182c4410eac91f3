// Package opustest is a test fixture for code that carries Opus without
// decoding it (the server's recorder): it makes distinct test signals,
// encodes them into real 20 ms Opus packets with libopus, and decodes an
// Ogg Opus stream back to PCM. It needs cgo; only tests import it.
package opustest

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/pion/webrtc/v4/pkg/media/oggreader"

	"github.com/parley-voip/parley/media/opus"
)

// Rate and Frame are Parley's call format: 48 kHz mono, 20 ms packets.
const (
	Rate  = 48000
	Frame = 960
)

// Sweep is a logarithmic sine sweep from f0 to f1 Hz over n samples at
// amplitude amp (0..1). An up-sweep and a down-sweep barely correlate,
// and a sweep never repeats, so a match found by cross-correlation is
// unambiguous.
func Sweep(f0, f1 float64, n int, amp float64) []int16 {
	out := make([]int16, n)
	T := float64(n) / Rate
	k := math.Log(f1 / f0)
	for i := range out {
		t := float64(i) / Rate
		phase := 2 * math.Pi * f0 * T / k * (math.Exp(t/T*k) - 1)
		out[i] = int16(amp * 32767 * math.Sin(phase))
	}
	return out
}

// Encode encodes pcm (a multiple of Frame samples) into 20 ms packets with
// Parley's default encoder settings.
func Encode(pcm []int16) ([][]byte, error) {
	if len(pcm)%Frame != 0 {
		return nil, fmt.Errorf("opustest: %d samples is not a whole number of frames", len(pcm))
	}
	enc, err := opus.NewEncoder(opus.DefaultEncoderConfig())
	if err != nil {
		return nil, err
	}
	defer enc.Close()
	var out [][]byte
	buf := make([]byte, opus.MaxPacketSize)
	for i := 0; i < len(pcm); i += Frame {
		n, err := enc.Encode(pcm[i:i+Frame], buf)
		if err != nil {
			return nil, err
		}
		out = append(out, append([]byte(nil), buf[:n]...))
	}
	return out, nil
}

// DecodeOgg reads a mono Ogg Opus stream and returns its PCM with the
// header's pre-skip removed, as a player would play it.
func DecodeOgg(r io.Reader) ([]int16, error) {
	rd, hdr, err := oggreader.NewWith(r)
	if err != nil {
		return nil, fmt.Errorf("opustest: ogg: %w", err)
	}
	dec, err := opus.NewDecoder(Rate, 1)
	if err != nil {
		return nil, err
	}
	defer dec.Close()
	var pcm []int16
	frame := make([]int16, opus.MaxFrameSamples)
	for {
		page, _, err := rd.ParseNextPage()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("opustest: ogg page: %w", err)
		}
		if len(page) == 0 || isHeader(page) { // the EOS page is empty
			continue
		}
		n, err := dec.Decode(page, frame)
		if err != nil {
			return nil, fmt.Errorf("opustest: decode: %w", err)
		}
		pcm = append(pcm, frame[:n]...)
	}
	skip := min(int(hdr.PreSkip), len(pcm))
	return pcm[skip:], nil
}

func isHeader(p []byte) bool {
	return len(p) >= 8 && (string(p[:8]) == "OpusHead" || string(p[:8]) == "OpusTags")
}
