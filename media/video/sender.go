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

// RateCapper is a TrackWriter that knows the bitrate the far end allows
// the track: the media service's REMB, the least of what its subscribers
// take. A Sender on one encodes at the lower of that and its own
// congestion controller's estimate (SenderConfig.Bitrate), so a sender
// neither floods its uplink nor its slowest subscriber.
type RateCapper interface {
	// RemoteEstimate is the far end's last estimate in bit/s; 0 before any.
	RemoteEstimate() int
}

// SenderConfig configures a Sender. Start from DefaultSenderConfig.
type SenderConfig struct {
	Encoder vp8.EncoderConfig
	// Cipher seals every encoded frame (E2EE); nil sends them as they are.
	Cipher FrameCipher
	// Bitrate, if set, is polled every RateInterval for the bit/s this
	// track may use now (congestion control: rtc.Peer.TargetBitrate less
	// the audio, shared among the video tracks). On a track that is a
	// RateCapper its RemoteEstimate is polled too, and the lower of the
	// two set.
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
	src    Source
	track  TrackWriter
	capper RateCapper // track's, or nil
	cfg    SenderConfig
	enc    *vp8.Encoder

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
	capper, _ := track.(RateCapper)
	if capper != nil && cfg.RateInterval <= 0 {
		return nil, fmt.Errorf("%w: rate interval %v on a rate-capped track", ErrInvalidConfig, cfg.RateInterval)
	}
	enc, err := vp8.NewEncoder(cfg.Encoder)
	if err != nil {
		return nil, err
	}
	s := &Sender{src: src, track: track, capper: capper, cfg: cfg, enc: enc, done: make(chan struct{})}
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
		if (s.cfg.Bitrate != nil || s.capper != nil) && time.Since(lastRate) >= s.cfg.RateInterval {
			lastRate = time.Now()
			if bps := s.target(); bps > 0 {
				_, _ = s.enc.SetBitrate(bps)
			}
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

// target is the lower of the congestion controller's and the far end's
// estimates, of those there are; 0 when there is neither.
func (s *Sender) target() int {
	bps := 0
	if s.cfg.Bitrate != nil {
		bps = s.cfg.Bitrate()
	}
	if s.capper != nil {
		if remb := s.capper.RemoteEstimate(); remb > 0 && (bps <= 0 || remb < bps) {
			bps = remb
		}
	}
	return bps
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
