// Package recordingtest holds the fixtures of recording tests in several
// packages: a stand-in for the media service's rooms, a participant that
// plays RTP into a tap, and the keys a recording.Service needs. It stays free of cgo (the server's rule):
// callers encode their audio (media/opus/opustest) and pass the packets.
package recordingtest

import (
	"sync"
	"testing"

	"github.com/pion/rtp"

	"github.com/parley-voip/parley/server/chat"
	"github.com/parley-voip/parley/server/sfu"
)

// Media stands in for server/sfu's rooms while the media service has none
// to tap: it hands out taps by call id and refuses E2EE calls and calls it
// does not carry with the service's own errors.
type Media struct {
	mu   sync.Mutex
	taps map[string][]sfu.Tap
	e2ee map[string]bool
	open map[string]bool
}

// NewMedia carries no call yet.
func NewMedia() *Media {
	return &Media{taps: map[string][]sfu.Tap{}, e2ee: map[string]bool{}, open: map[string]bool{}}
}

// Carry puts callID on the service, as a standard call.
func (m *Media) Carry(callID string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.open[callID] = true
}

// E2EE marks callID end-to-end encrypted: the service refuses it.
func (m *Media) E2EE(callID string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.e2ee[callID] = true
}

// AddTap implements recording.Media like sfu.Service.AddTap.
func (m *Media) AddTap(callID string, t sfu.Tap) (func(), error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case m.e2ee[callID]:
		return nil, sfu.ErrE2EE
	case !m.open[callID]:
		return nil, sfu.ErrNoSuchRoom
	}
	m.taps[callID] = append(m.taps[callID], t)
	var once sync.Once
	return func() {
		once.Do(func() {
			m.mu.Lock()
			defer m.mu.Unlock()
			m.taps[callID] = nil
		})
	}, nil
}

// Tap returns the tap on callID (nil: none).
func (m *Media) Tap(callID string) sfu.Tap {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.taps[callID]) == 0 {
		return nil
	}
	return m.taps[callID][0]
}

// FrameSamples is a 20 ms packet's RTP timestamp step.
const FrameSamples = 960

// Sender plays one participant's Opus packets into a tap, 20 ms apart in
// RTP time.
type Sender struct {
	P       sfu.Participant
	packets [][]byte
	seq     uint16
	ts      uint32
}

// NewSender sends packets as user with ssrc.
func NewSender(user string, ssrc uint32, packets [][]byte) *Sender {
	return &Sender{P: sfu.Participant{UserID: user, Name: user, SSRC: ssrc, ClockRate: 48000}, packets: packets, ts: 12345 * ssrc}
}

// Send delivers the next packet; false when all were sent.
func (s *Sender) Send(tap sfu.Tap) bool {
	if len(s.packets) == 0 {
		return false
	}
	tap.Packet(s.P, &rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 111, SequenceNumber: s.seq, Timestamp: s.ts, SSRC: s.P.SSRC}, Payload: s.packets[0]})
	s.Skip()
	return true
}

// Skip drops the next packet (loss), advancing the RTP clock.
func (s *Sender) Skip() {
	s.packets = s.packets[1:]
	s.seq++
	s.ts += FrameSamples
}

// Timestamp is the RTP timestamp of the next packet.
func (s *Sender) Timestamp() uint32 { return s.ts }

// Keys is a fresh chat keyring in its own temporary directory, and a
// reload from it, as recording.Config takes them.
func Keys(t testing.TB) (*chat.Keyring, func() (*chat.Keyring, error)) {
	t.Helper()
	dir := t.TempDir()
	kr, err := chat.LoadKeyring(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	return kr, func() (*chat.Keyring, error) { return chat.LoadKeyring(dir, false) }
}
