package media

import (
	"sync"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/jitter"
	"github.com/parley-voip/parley/media/opus"
	"github.com/parley-voip/parley/media/rtc"
)

// multiSource is implemented by transports whose frames may come from
// several senders (rtc.Peer for the media service): each SSRC then gets its
// own jitter buffer and decoder, and playback mixes them.
type multiSource interface {
	MultiSource() bool
}

// maxSources bounds the remote senders one stream mixes (the media
// service's room limit is smaller).
const maxSources = 64

// mixer decodes and mixes the senders of a call through the media service
// beyond the first one, which the stream's own jitter buffer and decoder
// play (the whole of a one-to-one call).
type mixer struct {
	cfg     Config
	mu      sync.Mutex
	primary uint32
	hasPrim bool
	sources map[uint32]*source
	order   []*source
	pcm     []int16
	pcm2    []int16 // a Compress tick's second frame
	dropped uint64  // frames of senders beyond maxSources
}

// source is one extra sender.
type source struct {
	jb     *jitter.Buffer
	dec    *opus.Decoder
	popBuf []byte
	played bool
}

func newMixer(cfg Config) *mixer {
	return &mixer{cfg: cfg, sources: make(map[uint32]*source), pcm: make([]int16, audio.FrameSamples*audio.Channels),
		pcm2: make([]int16, audio.FrameSamples*audio.Channels)}
}

// route reports whether the frame is the primary sender's (the stream
// plays it itself); otherwise the mixer takes it.
func (m *mixer) route(f rtc.Frame, payload []byte) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sources == nil { // closed
		return false
	}
	if !m.hasPrim {
		m.primary, m.hasPrim = f.SSRC, true
	}
	if f.SSRC == m.primary {
		return true
	}
	s := m.sources[f.SSRC]
	if s == nil {
		if len(m.sources) >= maxSources {
			m.dropped++
			return false
		}
		jb, err := jitter.New(m.cfg.jitterConfig())
		if err != nil {
			return false
		}
		dec, err := opus.NewDecoder(audio.SampleRate, audio.Channels)
		if err != nil {
			return false
		}
		s = &source{jb: jb, dec: dec, popBuf: make([]byte, 0, jitter.DefaultMaxPayload)}
		m.sources[f.SSRC] = s
		m.order = append(m.order, s)
	}
	_ = s.jb.Push(f.SSRC, f.Seq, f.Timestamp, payload)
	return false
}

// mixInto adds one frame of every extra sender into frame (device thread).
func (m *mixer) mixInto(frame []int16) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range m.order {
		f, st := s.jb.Pop(s.popBuf)
		if cap(f.Payload) > cap(s.popBuf) {
			s.popBuf = f.Payload[:0]
		}
		var n int
		var err error
		switch st {
		case jitter.Ready:
			n, err = s.dec.Decode(f.Payload, m.pcm)
			s.played = s.played || err == nil
		case jitter.Compress:
			n, err = len(m.pcm)/audio.Channels, decodeCompress(s.dec, f, m.pcm, m.pcm2)
		case jitter.Lost:
			n, err = s.dec.DecodePLC(m.pcm)
		default:
			if !s.played {
				continue
			}
			n, err = s.dec.DecodePLC(m.pcm)
		}
		if err != nil {
			continue
		}
		for i := 0; i < n*audio.Channels && i < len(frame); i++ {
			v := int32(frame[i]) + int32(m.pcm[i])
			frame[i] = int16(max(-32768, min(32767, v)))
		}
	}
}

// close frees the decoders.
func (m *mixer) close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range m.order {
		s.dec.Close()
	}
	m.order, m.sources = nil, nil
}
