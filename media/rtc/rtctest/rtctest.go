// Package rtctest connects two rtc peers in one process for the tests of
// the packages above rtc (media, video): the offer, the answer and the
// trickled candidates go straight across, as signaling would carry them.
package rtctest

import (
	"context"
	"sync"
	"testing"

	"github.com/parley-voip/parley/media/rtc"
)

// Connect negotiates caller a → callee b and waits until both are
// connected (and so have checked each other's certificate), or fails the
// test when ctx ends first.
func Connect(ctx context.Context, t testing.TB, a, b *rtc.Peer) {
	t.Helper()
	up := make(chan struct{}, 2)
	for _, p := range []*rtc.Peer{a, b} {
		var once sync.Once
		p.OnStateChange(func(s rtc.State) {
			if s == rtc.StateConnected {
				once.Do(func() { up <- struct{}{} })
			}
		})
	}
	a.OnLocalCandidate(func(c rtc.Candidate) { _ = b.AddRemoteCandidate(c) })
	b.OnLocalCandidate(func(c rtc.Candidate) { _ = a.AddRemoteCandidate(c) })
	offer, err := a.CreateOffer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	answer, err := b.AcceptOffer(ctx, offer)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.AcceptAnswer(answer); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		select {
		case <-up:
		case <-ctx.Done():
			t.Fatal("peers did not connect")
		}
	}
}
