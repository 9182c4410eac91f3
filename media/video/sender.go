package video

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-voip/parley/media"
	"github.com/parley-voip/parley/media/vp8"
)

// FrameCipher protects each encoded frame end to end: in an E2EE call one
// crypto/e2ee MediaCipher per track (e2ee.NewTrackCiphers), so the
// camera's and the screen's frames have keys and KIDs of their own.
type FrameCipher = media.FrameCipher

// TrackWriter is where a Sender puts frames: *rtc.VideoTrack.
type TrackWriter interface {
	WriteFrame(frame []byte, captured time.Time) error
	KeyframeRequests() <-chan struct{}
}

// SenderConfig configures a Sender. Start from DefaultSenderConfig.
type SenderConfig struct {
	Encoder vp8.EncoderConfig
	// Cipher seals every encoded frame (E2EE); nil sends them as they are.
	Cipher FrameCipher
	// Bitrate, if set, is polled every RateInterval for the bit/s this
	// track may use now (congestion control: rtc.Peer.TargetBitrate less
	// the audio, shared among the video tracks).
	Bitrate      func() int
	RateInterval time.Duration
	// FullSizeBitrate is the target from which pictures above 640×360 are
	// sent at full size (up to 1280×720); below it they are halved.
	FullSizeBitrate int
}

// DefaultSenderConfig is a camera at 360p, 30 fps.
func DefaultSenderConfig() SenderConfig {
	return SenderConfig{Encoder: vp8.DefaultEncoderConfig(), RateInterval: 200 * time.Millisecond, FullSizeBitrate: 1_200_000}
}

// Validate checks the encoder settings and the intervals.
func (c SenderConfig) Validate() error {
	if err := c.Encoder.Validate(); err != nil {
		return err
	}
	if c.Bitrate != nil && c.RateInterval <= 0 {
		return fmt.Errorf("%w: rate interval %v", ErrInvalidConfig, c.RateInterval)
	}
	return nil
}

// SenderStats are a Sender's counters.
type SenderStats struct {
	Frames, Keyframes, KeyframeRequests uint64
	Bytes                               uint64 // encoded (sealed) bytes sent
	Bitrate                             int    // encoder target now, bit/s
	Width, Height                       int    // size of the last frame sent
	EncodeTime                          time.Duration
}

// Sender reads a Source, encodes every picture with VP8, seals it and
// writes it to a track, until Close or the source ends.
type Sender struct {
	src   Source
	track TrackWriter
	cfg   SenderConfig
	enc   *vp8.Encoder

	frames, keyframes, requests, bytes atomic.Uint64
	encodeNS                           atomic.Int64
	w, h                               atomic.Int32

	done chan struct{}
	once sync.Once
	err  error
}

// NewSender starts sending src on track.
func NewSender(src Source, track TrackWriter, cfg SenderConfig) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	enc, err := vp8.NewEncoder(cfg.Encoder)
	if err != nil {
		return nil, err
	}
	s := &Sender{src: src, track: track, cfg: cfg, enc: enc, done: make(chan struct{})}
	go s.run()
	return s, nil
}

func (s *Sender) run() {
	defer close(s.done)
	defer s.enc.Close()
	var encoded, sealed []byte
	var lastRate time.Time
	var half *halfScaler
	forceKey := false
	for {
		fr, err := s.src.ReadFrame()
		if err != nil {
			if !errors.Is(err, ErrClosed) {
				s.err = err
			}
			return
		}
		select {
		case <-s.track.KeyframeRequests():
			s.requests.Add(1)
			forceKey = true
		default:
		}
		if s.cfg.Bitrate != nil && time.Since(lastRate) >= s.cfg.RateInterval {
			lastRate = time.Now()
			_, _ = s.enc.SetBitrate(s.cfg.Bitrate())
		}
		img := fr.Image
		if img.Rect.Dx() > vp8.DefaultWidth && s.enc.Bitrate() < s.cfg.FullSizeBitrate {
			if half == nil {
				half = &halfScaler{}
			}
			img = half.scale(img)
		}
		start := time.Now()
		var key bool
		encoded, key, err = s.enc.Encode(encoded[:0], img, forceKey)
		s.encodeNS.Add(int64(time.Since(start)))
		if err != nil {
			s.err = err
			return
		}
		forceKey = false
		out := encoded
		if s.cfg.Cipher != nil {
			sealed, err = s.cfg.Cipher.Seal(sealed[:0], encoded)
			if err != nil {
				s.err = err
				return
			}
			out = sealed
		}
		if err := s.track.WriteFrame(out, fr.Captured); err != nil {
			s.err = err
			return
		}
		s.frames.Add(1)
		if key {
			s.keyframes.Add(1)
		}
		s.bytes.Add(uint64(len(out)))
		s.w.Store(int32(img.Rect.Dx()))
		s.h.Store(int32(img.Rect.Dy()))
	}
}

// Stats reads the counters.
func (s *Sender) Stats() SenderStats {
	return SenderStats{
		Frames: s.frames.Load(), Keyframes: s.keyframes.Load(), KeyframeRequests: s.requests.Load(),
		Bytes: s.bytes.Load(), Bitrate: s.enc.Bitrate(), Width: int(s.w.Load()), Height: int(s.h.Load()),
		EncodeTime: time.Duration(s.encodeNS.Load()),
	}
}

// Close stops the source and waits for the sender; it returns why the
// sender stopped if that was an error.
func (s *Sender) Close() error {
	s.once.Do(func() { _ = s.src.Close() })
	<-s.done
	return s.err
}
