//go:build !cgo

package vp8

import "image"

// Available is false: a build without cgo has no libvpx.
const Available = false

// Encoder is not available without cgo (no libvpx).
type Encoder struct{}

// NewEncoder returns ErrUnavailable.
func NewEncoder(EncoderConfig) (*Encoder, error) { return nil, ErrUnavailable }

// SetBitrate returns ErrUnavailable.
func (*Encoder) SetBitrate(int) (int, error) { return 0, ErrUnavailable }

// Bitrate is 0.
func (*Encoder) Bitrate() int { return 0 }

// Encode returns ErrUnavailable.
func (*Encoder) Encode(dst []byte, _ *image.YCbCr, _ bool) ([]byte, bool, error) {
	return dst, false, ErrUnavailable
}

// Close does nothing.
func (*Encoder) Close() {}

// Decoder is not available without cgo.
type Decoder struct{}

// NewDecoder returns ErrUnavailable.
func NewDecoder() (*Decoder, error) { return nil, ErrUnavailable }

// Decode returns ErrUnavailable.
func (*Decoder) Decode([]byte) (*image.YCbCr, error) { return nil, ErrUnavailable }

// Close does nothing.
func (*Decoder) Close() {}

// Version is empty: no libvpx.
func Version() string { return "" }
