package video

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/media/vp8"
)

// TrackReader is where a Receiver reads frames: *rtc.RemoteVideo.
type TrackReader interface {
	ReadFrame() (rtc.VideoFrame, error)
	RequestKeyframe() error
	SetReadDeadline(t time.Time) error
}

// ReceiverConfig configures a Receiver.
type ReceiverConfig struct {
	// Cipher opens every frame (E2EE); nil takes them as they come.
	Cipher FrameCipher
	Sink   Sink
	// KeyframeRetry is how long the receiver waits for the keyframe it
	// asked for before it asks again; DefaultKeyframeRetry when zero.
	KeyframeRetry time.Duration
}

// DefaultKeyframeRetry is a few round trips plus the encoding of one frame.
const DefaultKeyframeRetry = 300 * time.Millisecond

// ReceiverStats are a Receiver's counters.
type ReceiverStats struct {
	Frames           uint64 // complete frames from the track
	Decoded          uint64 // pictures handed to the sink
	OpenFailed       uint64 // frames that did not authenticate (dropped unseen)
	DecodeFailed     uint64
	Gaps             uint64 // frames after lost packets
	Skipped          uint64 // delta frames dropped while waiting for a keyframe
	KeyframeRequests uint64
}

// Receiver reads a video track, opens each frame, decodes it and hands
// the picture to a Sink. After a loss (a gap in the packets, a frame that
// fails to decode) it drops delta frames and asks for a keyframe (PLI),
// again every KeyframeRetry until one comes, so the picture recovers with
// the first keyframe. A frame that fails to open never reaches the
// decoder, so forged frames cannot corrupt its state.
type Receiver struct {
	track TrackReader
	cfg   ReceiverConfig
	dec   *vp8.Decoder

	frames, decoded, openFailed, decodeFailed, gaps, skipped, requests atomic.Uint64

	stop chan struct{}
	done chan struct{}
	once sync.Once
	err  error
}

// NewReceiver starts receiving track into cfg.Sink.
func NewReceiver(track TrackReader, cfg ReceiverConfig) (*Receiver, error) {
	if cfg.Sink == nil {
		return nil, fmt.Errorf("%w: receiver without a sink", ErrInvalidConfig)
	}
	if cfg.KeyframeRetry == 0 {
		cfg.KeyframeRetry = DefaultKeyframeRetry
	}
	dec, err := vp8.NewDecoder()
	if err != nil {
		return nil, err
	}
	r := &Receiver{track: track, cfg: cfg, dec: dec, stop: make(chan struct{}), done: make(chan struct{})}
	go r.run()
	return r, nil
}

func (r *Receiver) run() {
	defer close(r.done)
	defer r.dec.Close()
	needKey := true
	var asked time.Time
	var opened []byte
	ask := func() {
		if time.Since(asked) < r.cfg.KeyframeRetry {
			return
		}
		asked = time.Now()
		r.requests.Add(1)
		_ = r.track.RequestKeyframe()
	}
	for {
		f, err := r.track.ReadFrame()
		if err != nil {
			select {
			case <-r.stop:
			default:
				if !errors.Is(err, rtc.ErrClosed) && !errors.Is(err, os.ErrDeadlineExceeded) {
					r.err = err
				}
			}
			return
		}
		r.frames.Add(1)
		frame := f.Payload
		if r.cfg.Cipher != nil {
			opened, err = r.cfg.Cipher.Open(opened[:0], f.Payload)
			if err != nil {
				// Dropped unseen; the sender's frame that should have
				// been here is lost to the decoder, so the next delta
				// frame's references may be missing.
				r.openFailed.Add(1)
				needKey = true
				continue
			}
			frame = opened
		}
		key := vp8.IsKeyframe(frame)
		if f.Gap {
			r.gaps.Add(1)
			if !key {
				needKey = true
			}
		}
		if needKey && !key {
			r.skipped.Add(1)
			ask()
			continue
		}
		img, err := r.dec.Decode(frame)
		if err != nil {
			r.decodeFailed.Add(1)
			needKey = true
			ask()
			continue
		}
		needKey = false
		r.decoded.Add(1)
		r.cfg.Sink.WriteFrame(Frame{Image: img, Captured: time.Now()})
	}
}

// Stats reads the counters.
func (r *Receiver) Stats() ReceiverStats {
	return ReceiverStats{
		Frames: r.frames.Load(), Decoded: r.decoded.Load(), OpenFailed: r.openFailed.Load(),
		DecodeFailed: r.decodeFailed.Load(), Gaps: r.gaps.Load(), Skipped: r.skipped.Load(),
		KeyframeRequests: r.requests.Load(),
	}
}

// Close stops the receiver (the track stays open: it belongs to the call)
// and returns why it stopped if that was an error.
func (r *Receiver) Close() error {
	r.once.Do(func() {
		close(r.stop)
		_ = r.track.SetReadDeadline(time.Now())
	})
	<-r.done
	return r.err
}
