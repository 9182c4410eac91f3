package media

import (
	"errors"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/jitter"
	"github.com/parley-voip/parley/media/opus"
	"github.com/parley-voip/parley/media/rtc"
)

const frameDuration = 20 * time.Millisecond

// maxEncoded leaves room in one RTP packet for the SFrame header and tag
// (at most 17 + 16 bytes) after the Opus packet.
const maxEncoded = rtc.MaxFrameSize - 64

// Stream is the media of one attached call. Its counters stay readable
// after Detach.
type Stream struct {
	log       *slog.Logger
	transport Transport
	cipher    FrameCipher
	enc       *opus.Encoder
	dec       *opus.Decoder
	jb        *jitter.Buffer

	// Capture → sender: a fixed pool of frame buffers circulates between
	// free and queue, so the device thread never allocates or blocks.
	free  chan []int16
	queue chan []int16
	muted atomic.Bool

	playMu   sync.Mutex // playback callback vs. stop
	stopped  bool
	popBuf   []byte
	first    chan struct{}
	gotFirst bool

	done     chan struct{}
	sendDone chan struct{}
	recvDone chan struct{}

	c counters
}

type counters struct {
	sent, captureDropped, encodeErrors, sealErrors, sendErrors atomic.Uint64
	received, decryptFailed, readErrors                        atomic.Uint64
	played, concealed, recovered, decodeErrors                 atomic.Uint64
}

func newStream(cfg Config, t Transport, c FrameCipher) (*Stream, error) {
	enc, err := opus.NewEncoder(cfg.encoderConfig())
	if err != nil {
		return nil, err
	}
	dec, err := opus.NewDecoder(audio.SampleRate, audio.Channels)
	if err != nil {
		enc.Close()
		return nil, err
	}
	jb, err := jitter.New(cfg.jitterConfig())
	if err != nil {
		enc.Close()
		dec.Close()
		return nil, err
	}
	s := &Stream{
		log:       cfg.Logger,
		transport: t,
		cipher:    c,
		enc:       enc,
		dec:       dec,
		jb:        jb,
		free:      make(chan []int16, cfg.SendQueue),
		queue:     make(chan []int16, cfg.SendQueue),
		popBuf:    make([]byte, 0, jitter.DefaultMaxPayload),
		first:     make(chan struct{}),
		done:      make(chan struct{}),
		sendDone:  make(chan struct{}),
		recvDone:  make(chan struct{}),
	}
	for range cfg.SendQueue {
		s.free <- make([]int16, audio.FrameSamples*audio.Channels)
	}
	return s, nil
}

func (s *Stream) start() {
	go s.sendLoop()
	go s.receiveLoop()
}

// SetMuted stops sending the microphone: silence is encoded instead, so the
// RTP stream (and the peer's jitter buffer) keeps running.
func (s *Stream) SetMuted(m bool) { s.muted.Store(m) }

// Muted reports whether the stream is muted.
func (s *Stream) Muted() bool { return s.muted.Load() }

// FirstFrame is closed when the first frame received from the peer has been
// opened, decoded and handed to the device for playback.
func (s *Stream) FirstFrame() <-chan struct{} { return s.first }

// Stats returns the stream's counters.
func (s *Stream) Stats() Stats {
	js := s.jb.Stats()
	return Stats{
		FramesSent:     s.c.sent.Load(),
		CaptureDropped: s.c.captureDropped.Load(),
		EncodeErrors:   s.c.encodeErrors.Load(),
		SealErrors:     s.c.sealErrors.Load(),
		SendErrors:     s.c.sendErrors.Load(),
		FramesReceived: s.c.received.Load(),
		DecryptFailed:  s.c.decryptFailed.Load(),
		ReadErrors:     s.c.readErrors.Load(),
		Played:         s.c.played.Load(),
		Concealed:      s.c.concealed.Load(),
		Recovered:      s.c.recovered.Load(),
		DecodeErrors:   s.c.decodeErrors.Load(),
		Late:           js.Late,
		Duplicate:      js.Duplicate,
		JitterDropped:  js.Dropped + js.TooLarge,
	}
}

// capture runs on the device thread: copy the frame into a pooled buffer
// and queue it, or drop it if the sender has fallen behind.
func (s *Stream) capture(frame []int16) {
	var buf []int16
	select {
	case buf = <-s.free:
	default:
		s.c.captureDropped.Add(1)
		return
	}
	if s.muted.Load() {
		clear(buf)
	} else {
		copy(buf, frame)
	}
	select {
	case s.queue <- buf:
	default: // unreachable while free and queue share one pool; never block
		s.c.captureDropped.Add(1)
		s.free <- buf
	}
}

func (s *Stream) sendLoop() {
	defer close(s.sendDone)
	encoded := make([]byte, maxEncoded)
	sealed := make([]byte, 0, rtc.MaxFrameSize)
	for {
		var pcm []int16
		select {
		case <-s.done:
			return
		case pcm = <-s.queue:
		}
		n, err := s.enc.Encode(pcm, encoded)
		s.free <- pcm
		if err != nil {
			s.c.encodeErrors.Add(1)
			s.log.Debug("media: encode", "err", err)
			continue
		}
		frame := encoded[:n]
		if s.cipher != nil {
			out, err := s.cipher.Seal(sealed[:0], frame)
			if err != nil {
				s.c.sealErrors.Add(1)
				s.log.Warn("media: seal", "err", err)
				continue
			}
			frame, sealed = out, out[:0]
		}
		if err := s.transport.WriteFrame(frame, frameDuration); err != nil {
			if errors.Is(err, rtc.ErrClosed) {
				return
			}
			s.c.sendErrors.Add(1)
			s.log.Debug("media: write frame", "err", err)
			continue
		}
		s.c.sent.Add(1)
	}
}

func (s *Stream) receiveLoop() {
	defer close(s.recvDone)
	opened := make([]byte, 0, rtc.MaxFrameSize)
	for {
		f, err := s.transport.ReadFrame()
		if s.isStopped() {
			return
		}
		if err != nil {
			if errors.Is(err, rtc.ErrMalformedRTP) {
				s.c.readErrors.Add(1)
				continue
			}
			if !errors.Is(err, rtc.ErrClosed) && !errors.Is(err, os.ErrDeadlineExceeded) {
				s.log.Warn("media: read frame", "err", err)
			}
			return
		}
		s.c.received.Add(1)
		payload := f.Payload
		if s.cipher != nil {
			out, err := s.cipher.Open(opened[:0], payload)
			if err != nil {
				s.c.decryptFailed.Add(1)
				continue
			}
			payload, opened = out, out[:0]
		}
		// Drops (late, duplicate, oversized) are counted by the buffer.
		_ = s.jb.Push(f.SSRC, f.Seq, f.Timestamp, payload)
	}
}

func (s *Stream) isStopped() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// playback runs on the device thread: one jitter-buffer slot per frame,
// decoded, concealed or recovered.
func (s *Stream) playback(frame []int16) {
	s.playMu.Lock()
	defer s.playMu.Unlock()
	if s.stopped {
		clear(frame)
		return
	}
	f, status := s.jb.Pop(s.popBuf)
	if cap(f.Payload) > cap(s.popBuf) {
		s.popBuf = f.Payload[:0]
	}
	switch status {
	case jitter.Ready:
		n, err := s.dec.Decode(f.Payload, frame)
		if err != nil {
			s.c.decodeErrors.Add(1)
			s.conceal(frame)
			return
		}
		clear(frame[n*audio.Channels:])
		s.c.played.Add(1)
		if !s.gotFirst {
			s.gotFirst = true
			close(s.first)
		}
	case jitter.Lost:
		if len(f.Payload) > 0 {
			if _, err := s.dec.DecodeFEC(f.Payload, frame); err == nil {
				s.c.recovered.Add(1)
				return
			}
		}
		s.conceal(frame)
	default:
		clear(frame)
	}
}

func (s *Stream) conceal(frame []int16) {
	if _, err := s.dec.DecodePLC(frame); err != nil {
		clear(frame)
	}
	s.c.concealed.Add(1)
}

// stop ends the stream: the sender exits, a transport that supports read
// deadlines is interrupted so the receiver exits too (otherwise it exits at
// its next frame or when the transport closes), and the codecs are freed
// once nothing can use them.
func (s *Stream) stop() {
	close(s.done)
	<-s.sendDone
	s.enc.Close()

	if d, ok := s.transport.(readDeadliner); ok {
		if err := d.SetReadDeadline(time.Now()); err == nil {
			<-s.recvDone
			_ = d.SetReadDeadline(time.Time{})
		}
	}

	s.playMu.Lock()
	s.stopped = true
	s.dec.Close()
	s.playMu.Unlock()
}
