package captions

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media"

	"github.com/parley-voip/parley/media/quality"
	"github.com/parley-voip/parley/media/rtpcodec"
	"github.com/parley-voip/parley/media/speech/speechtest"
	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/signaling"
)

// caller is a participant of a real call on the media service: a pion peer
// connection that answers the service's offers and sends Opus packets, as
// a client does (DTLS-SRTP over loopback).
type caller struct {
	t     *testing.T
	pc    *webrtc.PeerConnection
	track *webrtc.TrackLocalStaticSample
	m     *sfu.Member
	sigs  chan sfu.Signal
	ready chan struct{}
	conn  chan struct{}
	once  sync.Once
}

func newMediaService(t *testing.T) *sfu.Service {
	t.Helper()
	s, err := sfu.New(sfu.Config{IncludeLoopback: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// joinCall connects user to callID on svc.
func joinCall(t *testing.T, svc *sfu.Service, callID string, p sfu.Participant) *caller {
	t.Helper()
	var me webrtc.MediaEngine
	if err := me.RegisterCodec(rtpcodec.Opus, webrtc.RTPCodecTypeAudio); err != nil {
		t.Fatal(err)
	}
	var se webrtc.SettingEngine
	se.SetIncludeLoopbackCandidate(true)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	pc, err := webrtc.NewAPI(webrtc.WithMediaEngine(&me), webrtc.WithSettingEngine(se)).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	track, err := webrtc.NewTrackLocalStaticSample(rtpcodec.Opus.RTPCodecCapability, "audio", "parley-"+p.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pc.AddTrack(track); err != nil {
		t.Fatal(err)
	}
	c := &caller{t: t, pc: pc, track: track, sigs: make(chan sfu.Signal, 256), ready: make(chan struct{}), conn: make(chan struct{})}
	pc.OnICECandidate(func(cand *webrtc.ICECandidate) {
		if cand != nil {
			<-c.ready
			_ = c.m.AddCandidate(cand.ToJSON())
		}
	})
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		if s == webrtc.PeerConnectionStateConnected {
			c.once.Do(func() { close(c.conn) })
		}
	})
	pc.OnTrack(func(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		buf := make([]byte, 1500)
		for {
			if _, _, err := tr.Read(buf); err != nil {
				return
			}
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); _ = pc.Close() })
	go c.answer(ctx)
	m, err := svc.Join(sfu.JoinRequest{CallID: callID, UserID: p.UserID, Name: p.Name, Send: func(s sfu.Signal) {
		select {
		case c.sigs <- s:
		default:
			t.Errorf("%s: signal queue full", p.UserID)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	c.m = m
	close(c.ready)
	select {
	case <-c.conn:
	case <-time.After(20 * time.Second):
		t.Fatalf("%s never connected to the media service", p.UserID)
	}
	return c
}

func (c *caller) answer(ctx context.Context) {
	select {
	case <-c.ready:
	case <-ctx.Done():
		return
	}
	for {
		var s sfu.Signal
		select {
		case <-ctx.Done():
			return
		case s = <-c.sigs:
		}
		switch {
		case s.SDP != "":
			if err := c.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: s.SDP}); err != nil {
				continue
			}
			a, err := c.pc.CreateAnswer(nil)
			if err == nil {
				err = c.pc.SetLocalDescription(a)
			}
			if err == nil {
				_ = c.m.Answer(a.SDP)
			}
		case s.Candidate != nil:
			_ = c.pc.AddICECandidate(*s.Candidate)
		}
	}
}

// speak sends Opus packets one per 20 ms, paced by the clock as a
// microphone would.
func (c *caller) speak(pkts [][]byte) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for _, p := range pkts {
		if err := c.track.WriteSample(media.Sample{Data: p, Duration: 20 * time.Millisecond}); err != nil {
			c.t.Errorf("send: %v", err)
			return
		}
		<-tick.C
	}
}

// TestLiveCaptionsInARealCall: alice and bob in a real call on the media
// service; bob turns captions on; alice's Opus, sent as a client sends
// it, is recognized and both see the caption with her name; when both
// leave, the transcript is stored for them.
func TestLiveCaptionsInARealCall(t *testing.T) {
	u := speechtest.LibriVox(t, utt)[0]
	g, a, b := realCall(t, "call-9")
	pkts := speechtest.OpusPackets(t, append(u.PCM, speechtest.Silence(1500)...))
	began := time.Now()
	a.speak(pkts)
	speechEnd := began.Add(time.Duration(len(u.PCM)) * time.Second / 16000)
	var got string
	for _, who := range []string{"alice", "bob"} {
		m := g.inbox.wait(t, who, 30*time.Second, "a final caption", isFinal)
		if m.Caption.Speaker != "alice" || m.Caption.Name != alice.Name {
			t.Fatalf("%s got %+v", who, m.Caption)
		}
		got = m.Caption.Text
	}
	for _, m := range g.inbox.all("bob") {
		if m.Type == signaling.TypeCaption {
			t.Logf("caption (final %v) %4d ms after the end of speech: %q", m.Caption.Final, g.inbox.sentAt(m).Sub(speechEnd).Milliseconds(), m.Caption.Text)
		}
	}
	wer := quality.WER(u.Ref, got)
	t.Logf("caption %q, WER %.2f", got, wer)
	if wer > 0.5 {
		t.Fatalf("WER %.2f", wer)
	}
	a.m.Leave()
	b.m.Leave()
	tr := waitTranscript(t, g, "call-9", "alice")
	if len(tr.Lines) == 0 || tr.Lines[0].Text != got {
		t.Fatalf("transcript %+v", tr)
	}
}

// realCall puts alice and bob in callID on a real media service, with
// captions over it turned on by bob once the worker is ready.
func realCall(t *testing.T, callID string) (*rig, *caller, *caller) {
	t.Helper()
	ms := newMediaService(t)
	g := newRig(t, withWorker(), withMedia(ms))
	a := joinCall(t, ms, callID, alice)
	b := joinCall(t, ms, callID, bob)
	g.waitUp(t)
	if err := g.svc.Handle(context.Background(), "bob", captionsMsg(callID, true)); err != nil {
		t.Fatal(err)
	}
	return g, a, b
}
