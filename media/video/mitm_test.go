package video_test

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/crypto/e2ee"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/media/video"
	"github.com/parley-voip/parley/media/video/videotest"
	"github.com/parley-voip/parley/media/vp8"
)

// mitm sits between a Sender and its rtc track, where anything that
// relays the call's media (a compromised relay, a broken DTLS) would be:
// it keeps every sealed frame it sees and, on chosen frames, sends an
// altered frame instead: one bit flipped, an earlier frame replayed, or a
// frame it sealed itself with keys of its own handshake.
type mitm struct {
	video.TrackWriter
	forger video.FrameCipher
	forged []byte // a VP8 keyframe of the attacker's picture

	mu       sync.Mutex
	n        int
	seen     [][]byte
	tampered []int // the frame indexes replaced
}

func (m *mitm) WriteFrame(frame []byte, at time.Time) error {
	m.mu.Lock()
	i := m.n
	m.n++
	m.seen = append(m.seen, bytes.Clone(frame))
	out := frame
	switch {
	case i > 0 && i%30 == 0 && i/30%3 == 1:
		out = bytes.Clone(frame)
		out[len(out)/2] ^= 0x10
	case i > 0 && i%30 == 0 && i/30%3 == 2:
		out = m.seen[i-2]
	case i > 0 && i%30 == 0:
		forged, err := m.forger.Seal(nil, m.forged)
		if err != nil {
			m.mu.Unlock()
			return err
		}
		out = forged
	}
	if i > 0 && i%30 == 0 {
		m.tampered = append(m.tampered, i)
	}
	m.mu.Unlock()
	return m.TrackWriter.WriteFrame(out, at)
}

// TestE2EEVideoMITM: in an E2EE video call, what the path carries cannot
// be read (no frame is VP8, none decodes, a key from another handshake
// opens none) nor altered undetected: every flipped, replayed or forged
// frame fails to open at the far end and never reaches the decoder; every
// picture shown is a frame the caller sent, and the picture recovers
// after each dropped frame.
func TestE2EEVideoMITM(t *testing.T) {
	pattern := newPattern(t, 0)
	collector := videotest.NewCollector(pattern)
	var tracks []*rtc.VideoTrack
	var remote <-chan *rtc.RemoteVideo
	pa, pb := videotest.Pair(t, func(a, b *rtc.Peer) {
		tracks, _ = videotest.SendAndReceive(t, a, "camera")
		_, remote = videotest.SendAndReceive(t, b)
	}, videotest.Sealed())
	ca, cb := videotest.Ciphers(t, pa, pb, e2ee.TrackCamera)
	// The attacker's own handshake with each side: same roles, same
	// fingerprints, other keys.
	forger, reader := videotest.Ciphers(t, pa, pb, e2ee.TrackCamera)
	enc, err := vp8.NewEncoder(vp8.DefaultEncoderConfig())
	if err != nil {
		t.Fatal(err)
	}
	evil := newPattern(t, 0xbadbad)
	forged, _, err := enc.Encode(nil, evil.Render(0xbadbad), true)
	enc.Close()
	if err != nil {
		t.Fatal(err)
	}

	m := &mitm{TrackWriter: tracks[0], forger: forger[0], forged: forged}
	cfg := video.DefaultSenderConfig()
	cfg.Cipher = ca[0]
	sender, err := video.NewSender(pattern, m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sender.Close() })
	recv, err := video.NewReceiver(videotest.Remote(t, remote), video.ReceiverConfig{Cipher: cb[0], Sink: collector})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = recv.Close() })
	// Four seconds: frames 30 (flipped), 60 (replayed), 90 (forged) and
	// 120 (flipped) are tampered with.
	if !collector.WaitCounter(140, videotest.Timeout) {
		t.Fatalf("picture 140 never came; %d pictures", len(collector.Got()))
	}
	_ = sender.Close()
	_ = recv.Close()

	m.mu.Lock()
	defer m.mu.Unlock()
	st := recv.Stats()
	t.Logf("tampered frames %v; receiver %+v", m.tampered, st)
	if st.OpenFailed != uint64(len(m.tampered)) {
		t.Fatalf("%d frames failed to open, %d were tampered with", st.OpenFailed, len(m.tampered))
	}
	if st.DecodeFailed != 0 {
		t.Fatal("a tampered frame reached the decoder")
	}
	// Nothing shown is not the caller's: every picture carries a counter
	// the caller sent, at full quality, and none of a tampered frame.
	shown := map[uint32]bool{}
	for _, g := range collector.Got() {
		if !g.Readable || g.PSNR < minPSNR || g.Counter == 0xbadbad {
			t.Fatalf("picture %+v is not a frame the caller sent", g)
		}
		shown[g.Counter] = true
	}
	for _, i := range m.tampered {
		if shown[uint32(i)] {
			t.Fatalf("frame %d was tampered with and still shown", i)
		}
		// The picture is back before the next tampered frame (1 s later;
		// on loopback a keyframe comes one or two frames after the PLI).
		back := false
		for c := i + 1; c < i+30; c++ {
			back = back || shown[uint32(c)]
		}
		if !back {
			t.Fatalf("no picture in the second after the tampered frame %d: no recovery", i)
		}
	}
	// Reading: nothing on the path is VP8, nothing decodes, and a key from
	// another handshake with the same peers opens nothing.
	dec, err := vp8.NewDecoder()
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	for i, s := range m.seen {
		if vp8.IsKeyframe(s) {
			t.Fatalf("frame %d on the path is a VP8 keyframe in clear", i)
		}
		if _, err := dec.Decode(s); err == nil {
			t.Fatalf("frame %d on the path decodes", i)
		}
		if _, err := reader[0].Open(nil, s); err == nil {
			t.Fatalf("frame %d opens with the attacker's key", i)
		}
	}
}
