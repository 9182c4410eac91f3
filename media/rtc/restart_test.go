package rtc

import (
	"bytes"
	"context"
	"errors"
	"net/netip"
	"regexp"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/netsim"
	"github.com/parley-voip/parley/server/turn"
	"github.com/parley-voip/parley/server/turn/turntest"
	"github.com/pion/webrtc/v4"
)

// receiveOne waits for one frame from p.
func receiveOne(ctx context.Context, t *testing.T, p *Peer) {
	t.Helper()
	got := make(chan error, 1)
	go func() {
		_, err := p.ReadFrame()
		got <- err
	}()
	select {
	case err := <-got:
		if err != nil {
			t.Fatalf("ReadFrame: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("no frame arrived")
	}
}

func TestICERestartKeepsTheDTLSSession(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	a, b := newTestPeer(t), newTestPeer(t)
	connectPair(ctx, t, a, b)
	sendCtx, stop := context.WithCancel(ctx)
	defer stop()
	go sendUntilDone(sendCtx, a, "a")
	receiveOne(ctx, t, b)
	certA, certB := a.dtls.GetRemoteCertificate(), b.dtls.GetRemoteCertificate()
	fpA, fpB := a.RemoteFingerprint(), b.RemoteFingerprint()

	offer, err := a.RestartICE(ctx)
	if err != nil {
		t.Fatalf("RestartICE: %v", err)
	}
	answer, err := b.AcceptRestart(ctx, offer)
	if err != nil {
		t.Fatalf("AcceptRestart: %v", err)
	}
	if err := a.AcceptAnswer(answer); err != nil {
		t.Fatalf("AcceptAnswer(restart): %v", err)
	}
	if a.Restarts() != 1 || b.Restarts() != 1 {
		t.Fatalf("restarts a=%d b=%d, want 1 each", a.Restarts(), b.Restarts())
	}
	// Media goes on over the new pair, in the same DTLS session.
	for range 10 {
		receiveOne(ctx, t, b)
	}
	if !bytes.Equal(certA, a.dtls.GetRemoteCertificate()) || !bytes.Equal(certB, b.dtls.GetRemoteCertificate()) {
		t.Fatal("the DTLS peer certificate changed across the restart")
	}
	if !fpA.Equal(a.RemoteFingerprint()) || !fpB.Equal(b.RemoteFingerprint()) {
		t.Fatal("the negotiated fingerprints changed across the restart")
	}
}

var fingerprintLine = regexp.MustCompile(`a=fingerprint:sha-256 [0-9A-F:]+`)

func TestICERestartRefusesAnotherFingerprint(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	a, b := newTestPeer(t), newTestPeer(t)
	connectPair(ctx, t, a, b)
	offer, err := a.RestartICE(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// An interceptor swaps in its own certificate's fingerprint.
	other := newTestPeer(t)
	theirs, err := other.CreateOffer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	forged := fingerprintLine.ReplaceAllString(offer, fingerprintLine.FindString(theirs))
	if _, err := b.AcceptRestart(ctx, forged); !errors.Is(err, ErrFingerprintChanged) {
		t.Fatalf("restart offer with another fingerprint: %v, want ErrFingerprintChanged", err)
	}
	// Wrong roles are refused too.
	if _, err := a.AcceptRestart(ctx, offer); !errors.Is(err, ErrWrongState) {
		t.Fatalf("restart offer to the offerer: %v", err)
	}
	if _, err := b.RestartICE(ctx); !errors.Is(err, ErrWrongState) {
		t.Fatalf("restart by the answerer: %v", err)
	}
	fresh := newTestPeer(t)
	if _, err := fresh.RestartICE(ctx); !errors.Is(err, ErrWrongState) {
		t.Fatalf("restart before negotiating: %v", err)
	}
}

// Two peers behind symmetric NATs: host and server-reflexive candidates
// cannot connect, so ICE must choose the TURN relay.
func TestCallBehindNATsIsRelayedByTURN(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	w := netsim.New(t)
	srv := turntest.Start(t, turn.Config{
		UDP: netsim.TURNIP + ":3478", TCP: "off",
		PublicIP: netip.MustParseAddr(netsim.TURNIP),
		Net:      w.TURN,
	})
	peer := func(user string, relay bool) *Peer {
		cred, err := srv.Credentials(user)
		if err != nil {
			t.Fatal(err)
		}
		cfg := quietConfig()
		if !relay { // STUN only: host and server-reflexive candidates
			cred.URLs = cred.URLs[:1]
			cfg.DisconnectedTimeout, cfg.FailedTimeout = time.Second, 2*time.Second
		}
		cfg.IncludeLoopback = false
		cfg.Net = w.A
		if user == "bob" {
			cfg.Net = w.B
		}
		cfg.ICEServers = []webrtc.ICEServer{{URLs: cred.URLs, Username: cred.Username, Credential: cred.Password}}
		p, err := NewPeer(cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = p.Close() })
		return p
	}
	// Without the relay the NATs keep the two apart.
	a, b := peer("alice", false), peer("bob", false)
	states := make(chan State, 16)
	a.OnStateChange(func(s State) { states <- s })
	negotiate(ctx, t, a, b)
	for s := StateNew; s != StateFailed; {
		select {
		case s = <-states:
			if s == StateConnected {
				t.Fatalf("connected without TURN on path %+v: the NATs do not separate the peers", a.Path())
			}
		case <-ctx.Done():
			t.Fatal("neither connected nor failed without TURN")
		}
	}
	a, b = peer("alice", true), peer("bob", true)
	connectPair(ctx, t, a, b)
	sendCtx, stop := context.WithCancel(ctx)
	defer stop()
	go sendUntilDone(sendCtx, a, "a")
	receiveOne(ctx, t, b)
	if p := a.Path(); !p.Relayed() {
		t.Fatalf("path %+v, want a relayed one", p)
	}
	if srv.Allocations() == 0 {
		t.Fatal("the TURN server holds no allocation")
	}
}
