package video

import (
	"image"
	"time"
)

// Frame is one raw picture: I420 (4:2:0 YCbCr) and when it was captured.
type Frame struct {
	Image    *image.YCbCr
	Captured time.Time
}

// Source produces raw pictures. ReadFrame blocks until the next picture is
// due (a live source paces itself) and returns ErrClosed after Close.
type Source interface {
	ReadFrame() (Frame, error)
	Close() error
}

// Sink receives decoded pictures, in order, from a Receiver's goroutine;
// the image is the Sink's to keep. It must not block for long: the receive
// pipeline waits for it.
type Sink interface {
	WriteFrame(Frame)
}

// SinkFunc adapts a function to a Sink.
type SinkFunc func(Frame)

// WriteFrame calls f.
func (f SinkFunc) WriteFrame(fr Frame) { f(fr) }

// NewI420 allocates a w×h 4:2:0 picture.
func NewI420(w, h int) *image.YCbCr {
	return image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
}
