package captions

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/sfutest"
	"github.com/parley-voip/parley/media/quality"
	"github.com/parley-voip/parley/media/speech/speechtest"
	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/signaling"
)

// caller is a participant of a real call on the media service: an
// sfutest.Peer (DTLS-SRTP over loopback) that says only what the test
// gives it (sfutest.Peer.SendOpus).
type caller struct {
	*sfutest.Peer
	m *sfu.Member
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

// joinCall connects p to callID on svc and waits for the connection.
func joinCall(t *testing.T, svc *sfu.Service, callID string, p sfu.Participant) *caller {
	t.Helper()
	c := &caller{Peer: sfutest.NewPeer(t, p.UserID, sfutest.Silent())}
	m, err := svc.Join(sfu.JoinRequest{CallID: callID, UserID: p.UserID, Name: p.Name, Send: func(s sfu.Signal) {
		if s.SDP != "" || s.Candidate != nil {
			c.Deliver(sfutest.Signal{CallID: s.CallID, SDP: s.SDP, Candidate: s.Candidate})
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	c.m = m
	c.Attach(memberRemote{m})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c.WaitConnected(ctx)
	return c
}

// memberRemote is the service's end of a caller's connection.
type memberRemote struct{ *sfu.Member }

// Answer reports an offer that crossed the caller's leave as no error.
func (r memberRemote) Answer(sdp string) error {
	if err := r.Member.Answer(sdp); !errors.Is(err, sfu.ErrClosed) {
		return err
	}
	return nil
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
	a.SendOpus(pkts)
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
