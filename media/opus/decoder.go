package opus

/*
#include <opus.h>
*/
import "C"

import (
	"fmt"
	"runtime"
)

// Decoder turns Opus packets back into PCM and conceals lost ones.
type Decoder struct {
	st       *C.OpusDecoder
	cleanup  runtime.Cleanup
	rate     int
	channels int
}

// NewDecoder creates a decoder producing sampleRate Hz, channels-channel PCM.
func NewDecoder(sampleRate, channels int) (*Decoder, error) {
	if !validSampleRate(sampleRate) {
		return nil, fmt.Errorf("%w: %d", ErrSampleRate, sampleRate)
	}
	if channels != 1 && channels != 2 {
		return nil, fmt.Errorf("%w: %d", ErrChannels, channels)
	}
	var code C.int
	st := C.opus_decoder_create(C.opus_int32(sampleRate), C.int(channels), &code)
	if code != C.OPUS_OK || st == nil {
		return nil, fmt.Errorf("opus: create decoder: %w", codeError(code))
	}
	d := &Decoder{st: st, rate: sampleRate, channels: channels}
	d.cleanup = runtime.AddCleanup(d, func(st *C.OpusDecoder) { C.opus_decoder_destroy(st) }, st)
	return d, nil
}

// Decode decodes one packet into pcm (interleaved) and returns the samples
// per channel written. pcm must hold the packet's whole duration: 960
// samples per channel for Parley's 20 ms frames, MaxFrameSamples for any
// packet. Corrupt input yields ErrInvalidPacket, never a crash.
func (d *Decoder) Decode(pkt []byte, pcm []int16) (int, error) {
	if len(pkt) == 0 {
		return 0, ErrEmptyPacket
	}
	if len(pkt) > MaxPacketSize {
		return 0, fmt.Errorf("%w: %d bytes", ErrPacketTooLarge, len(pkt))
	}
	return d.decode(pkt, pcm, 0, "decode")
}

// DecodePLC conceals one lost frame: libopus extrapolates from the audio
// decoded so far. len(pcm) sets the frame duration and must be a multiple of
// 2.5 ms (960 samples per channel for a 20 ms frame).
func (d *Decoder) DecodePLC(pcm []int16) (int, error) {
	return d.decode(nil, pcm, 0, "conceal")
}

// DecodeFEC rebuilds the frame lost just before nextPkt from the low-bitrate
// copy the encoder embedded in nextPkt (in-band FEC). len(pcm) must be the
// lost frame's duration. Afterwards decode nextPkt itself with Decode. If
// nextPkt carries no FEC data libopus falls back to concealment, so the
// result is never worse than DecodePLC.
func (d *Decoder) DecodeFEC(nextPkt []byte, pcm []int16) (int, error) {
	if len(nextPkt) == 0 {
		return 0, ErrEmptyPacket
	}
	if len(nextPkt) > MaxPacketSize {
		return 0, fmt.Errorf("%w: %d bytes", ErrPacketTooLarge, len(nextPkt))
	}
	return d.decode(nextPkt, pcm, 1, "decode fec")
}

func (d *Decoder) decode(pkt []byte, pcm []int16, fec C.int, op string) (int, error) {
	if d.st == nil {
		return 0, ErrClosed
	}
	frame := len(pcm) / d.channels
	if frame == 0 {
		return 0, fmt.Errorf("opus: %s: %w", op, ErrBufferTooSmall)
	}
	var data *C.uchar
	if len(pkt) > 0 {
		data = bytePtr(pkt)
	}
	n := C.opus_decode(d.st, data, C.opus_int32(len(pkt)), pcmPtr(pcm), C.int(frame), fec)
	runtime.KeepAlive(d)
	if n < 0 {
		return 0, fmt.Errorf("opus: %s: %w", op, codeError(n))
	}
	return int(n), nil
}

// Close frees the decoder's C memory. It is idempotent; later calls to other
// methods return ErrClosed.
func (d *Decoder) Close() {
	if d.st == nil {
		return
	}
	d.cleanup.Stop()
	C.opus_decoder_destroy(d.st)
	d.st = nil
}
