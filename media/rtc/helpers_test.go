package rtc

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"
)

// testContext is a test's deadline: 30 s, cancelled when it ends.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func quietConfig() Config {
	cfg := DefaultConfig()
	cfg.Logger = slog.New(slog.DiscardHandler)
	return cfg
}

// newTestPeer makes a quiet peer, each option changing its Config first;
// the test's cleanup closes it.
func newTestPeer(t *testing.T, opts ...func(*Config)) *Peer {
	t.Helper()
	cfg := quietConfig()
	for _, o := range opts {
		o(&cfg)
	}
	p, err := NewPeer(cfg)
	if err != nil {
		t.Fatalf("NewPeer: %v", err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

// watchState returns a channel that is closed when p reaches want, and
// fails the test if p fails first.
func watchState(t *testing.T, p *Peer, want State) <-chan struct{} {
	t.Helper()
	reached := make(chan struct{})
	states := make(chan State, 16)
	p.OnStateChange(func(s State) {
		select {
		case states <- s:
		default:
		}
	})
	go func() {
		for s := range states {
			if s == want {
				close(reached)
				return
			}
			if s == StateFailed || s == StateClosed {
				t.Errorf("peer reached %v while waiting for %v", s, want)
				return
			}
		}
	}()
	return reached
}

// trickle forwards every local candidate of from to to, as signaling would.
func trickle(t *testing.T, from, to *Peer) {
	from.OnLocalCandidate(func(c Candidate) {
		// A candidate gathered late may meet a peer the test has closed.
		if err := to.AddRemoteCandidate(c); err != nil && !errors.Is(err, ErrClosed) {
			t.Errorf("AddRemoteCandidate: %v", err)
		}
	})
}

// connectPair negotiates caller→callee with trickled candidates and waits
// for both to be connected (or ctx to end).
func connectPair(ctx context.Context, t *testing.T, caller, callee *Peer) {
	t.Helper()
	upA := watchState(t, caller, StateConnected)
	upB := watchState(t, callee, StateConnected)
	negotiate(ctx, t, caller, callee)
	for _, up := range []<-chan struct{}{upA, upB} {
		select {
		case <-up:
		case <-ctx.Done():
			t.Fatalf("peers did not connect: %v", ctx.Err())
		}
	}
}

// negotiate exchanges offer, answer and trickled candidates between caller
// and callee, as signaling would.
func negotiate(ctx context.Context, t *testing.T, caller, callee *Peer) {
	t.Helper()
	trickle(t, caller, callee)
	trickle(t, callee, caller)
	offer, err := caller.CreateOffer(ctx)
	if err != nil {
		t.Fatalf("CreateOffer: %v", err)
	}
	answer, err := callee.AcceptOffer(ctx, offer)
	if err != nil {
		t.Fatalf("AcceptOffer: %v", err)
	}
	if err := caller.AcceptAnswer(answer); err != nil {
		t.Fatalf("AcceptAnswer: %v", err)
	}
}
