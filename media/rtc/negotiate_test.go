package rtc

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parley-voip/parley/crypto/fingerprint"
	"github.com/pion/webrtc/v4"
)

// TestEarlyCandidatesAreQueued delivers all of the caller's candidates to
// the callee before the offer, and none after. The callee can only reach the
// caller through them (the caller learns the callee's address from its
// checks), so the call connects only if the queue was applied.
func TestEarlyCandidatesAreQueued(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	caller, callee := newTestPeer(t), newTestPeer(t)

	var early []Candidate
	gathered := webrtc.GatheringCompletePromise(caller.pc)
	caller.OnLocalCandidate(func(c Candidate) { early = append(early, c) })
	upA := watchState(t, caller, StateConnected)
	upB := watchState(t, callee, StateConnected)

	offer, err := caller.CreateOffer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		t.Fatal("caller did not finish gathering")
	}
	if strings.Contains(offer, "a=candidate") {
		t.Fatal("offer carries candidates; the test would not exercise the queue")
	}
	if len(early) == 0 {
		t.Fatal("caller gathered no candidates")
	}
	for _, c := range early {
		if err := callee.AddRemoteCandidate(c); err != nil {
			t.Fatalf("early AddRemoteCandidate: %v", err)
		}
	}
	answer, err := callee.AcceptOffer(ctx, offer)
	if err != nil {
		t.Fatal(err)
	}
	if err := caller.AcceptAnswer(answer); err != nil {
		t.Fatal(err)
	}
	for _, up := range []<-chan struct{}{upA, upB} {
		select {
		case <-up:
		case <-ctx.Done():
			t.Fatal("peers did not connect through queued candidates")
		}
	}
}

func TestCandidateQueueIsBounded(t *testing.T) {
	t.Parallel()
	p := newTestPeer(t)
	c := Candidate{Candidate: "candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host"}
	for i := range DefaultMaxQueuedCandidates {
		if err := p.AddRemoteCandidate(c); err != nil {
			t.Fatalf("candidate %d: %v", i, err)
		}
	}
	if err := p.AddRemoteCandidate(c); !errors.Is(err, ErrTooManyCandidates) {
		t.Fatalf("err = %v, want ErrTooManyCandidates", err)
	}
}

func TestMalformedRemoteInput(t *testing.T) {
	t.Parallel()
	vectors := loadFingerprintVectors(t)
	valid := vectors[0].SDP
	noAudio := "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=fingerprint:sha-256 " +
		strings.Repeat("AB:", 31) + "AB\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:0\r\n"
	tests := []struct {
		name string
		sdp  string
		want error
	}{
		{"too large", valid + strings.Repeat("a=x:y\r\n", MaxSDPSize/7), ErrSDPTooLarge},
		{"garbage", "\x00\xff not sdp", ErrMalformedSDP},
		{"no fingerprint", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n", ErrNoFingerprint},
		{"weak fingerprint", strings.Replace(valid, "sha-256", "sha-1", 1), fingerprint.ErrWeakHash},
		{"no audio", noAudio, ErrNoAudio},
		// Parses and has a fingerprint, but pion refuses it (no ICE credentials).
		{"refused by pion", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=fingerprint:sha-256 " +
			strings.Repeat("AB:", 31) + "AB\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n", ErrMalformedSDP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := newTestPeer(t)
			if _, err := p.AcceptOffer(context.Background(), tt.sdp); !errors.Is(err, tt.want) {
				t.Fatalf("AcceptOffer err = %v, want %v", err, tt.want)
			}
			if !p.RemoteFingerprint().IsZero() {
				t.Fatal("rejected offer left a remote fingerprint")
			}
			caller := newTestPeer(t)
			if _, err := caller.CreateOffer(context.Background()); err != nil {
				t.Fatal(err)
			}
			if err := caller.AcceptAnswer(tt.sdp); !errors.Is(err, tt.want) {
				t.Fatalf("AcceptAnswer err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestNegotiationOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := newTestPeer(t)
	if err := p.AcceptAnswer(loadFingerprintVectors(t)[0].SDP); !errors.Is(err, ErrWrongState) {
		t.Fatalf("answer before offer: %v, want ErrWrongState", err)
	}
	if _, err := p.CreateOffer(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := p.CreateOffer(ctx); !errors.Is(err, ErrWrongState) {
		t.Fatalf("second offer: %v, want ErrWrongState", err)
	}
	if _, err := p.AcceptOffer(ctx, loadFingerprintVectors(t)[0].SDP); !errors.Is(err, ErrWrongState) {
		t.Fatalf("offer while offering: %v, want ErrWrongState", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := newTestPeer(t).CreateOffer(cancelled); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: %v", err)
	}
}

func TestClosedPeer(t *testing.T) {
	t.Parallel()
	p := newTestPeer(t)
	read := make(chan error, 1)
	go func() {
		_, err := p.ReadFrame()
		read <- err
	}()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-read; !errors.Is(err, ErrClosed) {
		t.Fatalf("blocked ReadFrame: %v, want ErrClosed", err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := p.WriteFrame([]byte{1}, 20*time.Millisecond); !errors.Is(err, ErrClosed) {
		t.Fatalf("WriteFrame: %v", err)
	}
	if _, err := p.CreateOffer(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("CreateOffer: %v", err)
	}
	if err := p.AddRemoteCandidate(Candidate{}); !errors.Is(err, ErrClosed) {
		t.Fatalf("AddRemoteCandidate: %v", err)
	}
}

func TestReadDeadlineBeforeTrack(t *testing.T) {
	t.Parallel()
	p := newTestPeer(t)
	read := make(chan error, 1)
	go func() {
		_, err := p.ReadFrame()
		read <- err
	}()
	if err := p.SetReadDeadline(time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := <-read; !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("ReadFrame: %v, want deadline exceeded", err)
	}
}

func TestWriteFrameTooLarge(t *testing.T) {
	t.Parallel()
	p := newTestPeer(t)
	if err := p.WriteFrame(make([]byte, MaxFrameSize+1), 20*time.Millisecond); !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("WriteFrame: %v, want ErrFrameTooLarge", err)
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	bad := []Config{
		{MaxQueuedCandidates: -1},
		{ICEServers: []webrtc.ICEServer{{}}},
	}
	for _, c := range bad {
		if _, err := NewPeer(c); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("NewPeer(%+v) = %v, want ErrInvalidConfig", c, err)
		}
	}
}
