package vp8

import "errors"

var (
	// ErrUnavailable: this build has no libvpx (built without cgo).
	ErrUnavailable = errors.New("vp8: libvpx not in this build")
	// ErrInvalidConfig: an EncoderConfig field is out of range.
	ErrInvalidConfig = errors.New("vp8: invalid config")
	// ErrEmptyFrame: a zero-length frame was given to the decoder.
	ErrEmptyFrame = errors.New("vp8: empty frame")
	// ErrFrameTooLarge: an encoded frame is over MaxFrameSize.
	ErrFrameTooLarge = errors.New("vp8: frame too large")
	// ErrPictureSize: a keyframe declares a picture over MaxWidth×MaxHeight,
	// or a picture to encode has a size the encoder does not take.
	ErrPictureSize = errors.New("vp8: picture size out of range")
	// ErrCorrupt: libvpx could not decode the frame.
	ErrCorrupt = errors.New("vp8: corrupt frame")
	// ErrNoKeyframe: a delta frame came before any keyframe.
	ErrNoKeyframe = errors.New("vp8: no keyframe yet")
	// ErrCodec: libvpx failed for another reason (out of memory, …).
	ErrCodec = errors.New("vp8: libvpx error")
	// ErrClosed: the encoder or decoder was closed.
	ErrClosed = errors.New("vp8: closed")
)
