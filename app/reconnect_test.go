package app

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/signaling"
)

// TestReconnectPlanBacksOff: 1 s, doubling to 30 s; a loss reported twice
// (by the Client, then by keepSignedIn) is one plan; a link up for more
// than a minute starts again at 1 s.
func TestReconnectPlanBacksOff(t *testing.T) {
	t.Parallel()
	var p reconnectPlan
	now := time.Unix(1_800_000_000, 0)
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30}
	for i, w := range want {
		at := p.lost(now)
		if at.Sub(now) != w*time.Second || p.lost(now.Add(time.Millisecond)) != at || p.next() != at {
			t.Fatalf("loss %d: next try after %v (again: %v), want %v", i, at.Sub(now), p.lost(now).Sub(now), w*time.Second)
		}
		p.dialing()
		if !p.next().IsZero() {
			t.Fatal("a dial under way still counts down")
		}
		now = at
	}
	p.welcomed(now)
	if !p.next().IsZero() {
		t.Fatal("signed in, still counting down")
	}
	if d := p.lost(now.Add(10 * time.Second)).Sub(now.Add(10 * time.Second)); d != 30*time.Second {
		t.Fatalf("after a short link: %v, want 30 s", d)
	}
	p.dialing()
	p.welcomed(now)
	if d := p.lost(now.Add(2 * time.Minute)).Sub(now.Add(2 * time.Minute)); d != time.Second {
		t.Fatalf("after a stable link: %v, want 1 s", d)
	}
}

// reconnectWatch records ReconnectAt as the window reads it when told the
// link is down.
type reconnectWatch struct {
	*events
	sp *Softphone
	mu sync.Mutex
	at []time.Time
}

func (w *reconnectWatch) Connected(me Contact, err error) {
	if err != nil {
		w.mu.Lock()
		w.at = append(w.at, w.sp.ReconnectAt())
		w.mu.Unlock()
	}
	w.events.Connected(me, err)
}

// TestReconnectCountdownIsTheRealRetry: when the window hears the link is
// down, ReconnectAt already holds the time of the next dial, and the dial
// does not come before it: 1 s after the loss, then 2 s after the failed
// dial.
func TestReconnectCountdownIsTheRealRetry(t *testing.T) {
	t.Parallel()
	o := startOrg(t, false)
	tok := openSession(t, o, "bob")
	var mu sync.Mutex
	var dials []time.Time
	var first SignalConn
	dial := func(ctx context.Context, url string, u signaling.User) (SignalConn, error) {
		mu.Lock()
		defer mu.Unlock()
		dials = append(dials, time.Now())
		if first != nil {
			return nil, errors.New("server unreachable")
		}
		c, err := signaling.Dial(ctx, url, u, signaling.WithToken(tok))
		first = c
		return c, err
	}
	sp, ev := newSoftphone(t, NewMemoryPreferences(), func(c *SoftphoneConfig) { c.Dial = dial })
	w := &reconnectWatch{events: ev, sp: sp}
	sp.SetListener(w)
	if err := sp.SignIn(o.Server.BaseURL(), "bob", "password of bob"); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t, "signed in", func(e *events) bool { return e.signedIn })
	mu.Lock()
	cut := time.Now()
	_ = first.Close() // the link drops
	mu.Unlock()
	w.waitFor(t, "the loss and two failed dials reported", func(*events) bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		return len(w.at) >= 3
	})
	w.mu.Lock()
	at := append([]time.Time(nil), w.at...)
	w.mu.Unlock()
	mu.Lock()
	defer mu.Unlock()
	for i, a := range at[:3] {
		if a.IsZero() {
			t.Fatalf("the window read no retry time at down event %d", i)
		}
		if i < 2 && dials[i+1].Before(a) {
			t.Fatalf("dial %d at %v, before the countdown's %v", i+1, dials[i+1], a)
		}
	}
	if d := at[0].Sub(cut); d < time.Second {
		t.Errorf("first retry %v after the loss, want ≥ 1 s", d)
	}
	if d := at[1].Sub(dials[1]); d < 2*time.Second {
		t.Errorf("second retry %v after the failed dial, want ≥ 2 s", d)
	}
}
