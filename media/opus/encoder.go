package opus

/*
#include <opus.h>

// opus_encoder_ctl is variadic, which cgo cannot call; this fixes its shape
// for the integer-valued set requests.
static int parley_enc_set(OpusEncoder *st, int request, opus_int32 value) {
	return opus_encoder_ctl(st, request, value);
}
*/
import "C"

import (
	"fmt"
	"runtime"
)

// Encoder turns PCM frames into Opus packets.
type Encoder struct {
	st       *C.OpusEncoder
	cleanup  runtime.Cleanup
	rate     int
	channels int
}

// NewEncoder creates an encoder; zero fields of cfg take their defaults.
func NewEncoder(cfg EncoderConfig) (*Encoder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	var code C.int
	st := C.opus_encoder_create(C.opus_int32(cfg.SampleRate), C.int(cfg.Channels), cApplication(cfg.Application), &code)
	if code != C.OPUS_OK || st == nil {
		return nil, fmt.Errorf("opus: create encoder: %w", codeError(code))
	}
	e := &Encoder{st: st, rate: cfg.SampleRate, channels: cfg.Channels}
	// The cleanup holds st, not e, so e stays collectable.
	e.cleanup = runtime.AddCleanup(e, func(st *C.OpusEncoder) { C.opus_encoder_destroy(st) }, st)

	fec := 0
	if cfg.FEC {
		fec = 1
	}
	dtx := 0
	if cfg.DTX {
		dtx = 1
	}
	settings := []struct {
		name    string
		request C.int
		value   int
	}{
		{"bitrate", C.OPUS_SET_BITRATE_REQUEST, cfg.Bitrate},
		{"inband fec", C.OPUS_SET_INBAND_FEC_REQUEST, fec},
		{"packet loss", C.OPUS_SET_PACKET_LOSS_PERC_REQUEST, cfg.PacketLossPercent},
		{"dtx", C.OPUS_SET_DTX_REQUEST, dtx},
	}
	if cfg.Complexity > 0 {
		settings = append(settings, struct {
			name    string
			request C.int
			value   int
		}{"complexity", C.OPUS_SET_COMPLEXITY_REQUEST, cfg.Complexity})
	}
	for _, s := range settings {
		if err := e.set(s.request, s.value); err != nil {
			e.Close()
			return nil, fmt.Errorf("opus: set %s: %w", s.name, err)
		}
	}
	return e, nil
}

func (e *Encoder) set(request C.int, value int) error {
	if e.st == nil {
		return ErrClosed
	}
	code := C.parley_enc_set(e.st, request, C.opus_int32(value))
	runtime.KeepAlive(e)
	if code != C.OPUS_OK {
		return codeError(code)
	}
	return nil
}

// Encode encodes one frame (20 ms in Parley; any Opus duration from 2.5 to
// 60 ms works) of interleaved samples into dst and returns the packet length.
// A dst of MaxPacketSize bytes is always large enough; with DTX on, a 1 or
// 2 byte packet means "silence, need not be sent".
func (e *Encoder) Encode(pcm []int16, dst []byte) (int, error) {
	if e.st == nil {
		return 0, ErrClosed
	}
	if len(pcm)%e.channels != 0 || !validFrameSize(e.rate, len(pcm)/e.channels) {
		return 0, fmt.Errorf("%w: %d samples at %d Hz × %d", ErrFrameSize, len(pcm), e.rate, e.channels)
	}
	if len(dst) == 0 {
		return 0, ErrShortBuffer
	}
	max := min(len(dst), MaxPacketSize)
	n := C.opus_encode(e.st, pcmPtr(pcm), C.int(len(pcm)/e.channels), bytePtr(dst), C.opus_int32(max))
	runtime.KeepAlive(e)
	if n < 0 {
		return 0, fmt.Errorf("opus: encode: %w", codeError(n))
	}
	return int(n), nil
}

// SetBitrate changes the target bitrate, e.g. when RTCP reports congestion.
func (e *Encoder) SetBitrate(bps int) error {
	if bps < MinBitrate || bps > MaxBitrate {
		return fmt.Errorf("%w: %d bit/s", ErrBitrate, bps)
	}
	if err := e.set(C.OPUS_SET_BITRATE_REQUEST, bps); err != nil {
		return fmt.Errorf("opus: set bitrate: %w", err)
	}
	return nil
}

// SetPacketLossPercent tells the encoder how much loss to plan FEC for,
// e.g. the fraction lost reported by RTCP.
func (e *Encoder) SetPacketLossPercent(p int) error {
	if p < 0 || p > 100 {
		return fmt.Errorf("%w: %d", ErrPacketLoss, p)
	}
	if err := e.set(C.OPUS_SET_PACKET_LOSS_PERC_REQUEST, p); err != nil {
		return fmt.Errorf("opus: set packet loss: %w", err)
	}
	return nil
}

// SetFEC turns in-band forward error correction on or off.
func (e *Encoder) SetFEC(on bool) error {
	v := 0
	if on {
		v = 1
	}
	if err := e.set(C.OPUS_SET_INBAND_FEC_REQUEST, v); err != nil {
		return fmt.Errorf("opus: set fec: %w", err)
	}
	return nil
}

// Close frees the encoder's C memory. It is idempotent; later calls to other
// methods return ErrClosed.
func (e *Encoder) Close() {
	if e.st == nil {
		return
	}
	e.cleanup.Stop()
	C.opus_encoder_destroy(e.st)
	e.st = nil
}
