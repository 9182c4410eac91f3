package app

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/server"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
	"github.com/parley-voip/parley/signaling"
)

// startServerGrace runs the local organization with the given grace period
// for calls whose party lost its link.
func startServerGrace(t *testing.T, grace time.Duration) string {
	t.Helper()
	return orgtest.Start(t, org.Config{Local: true, Server: server.Config{ResumeGrace: grace}}).Server.URL()
}

// bob's server link drops mid-call: his app reconnects and resumes the
// call's signaling; the call and its media go on, alice is not hung up,
// and in-call messages flow again.
func TestCallSurvivesLostLink(t *testing.T) {
	t.Parallel()
	url := startServerGrace(t, time.Minute)
	alice := startUser(t, url, "alice", true, audio.Chirp())
	bob := startUser(t, url, "bob", true, audio.Chirp())
	placeCall(t, alice, bob)
	survivesLostLink(t, alice, bob)
}

// survivesLostLink drops bob's server link mid-call and checks that the
// call goes on: he reconnects and resumes, in-call chat reaches alice and
// both still hear each other.
func survivesLostLink(t *testing.T, alice, bob *testUser) {
	t.Helper()
	bob.mu.Lock()
	first := bob.conn
	bob.mu.Unlock()
	bob.crash()
	bob.ev.waitFor(t, "bob's new link", func(*events) bool {
		bob.mu.Lock()
		defer bob.mu.Unlock()
		return bob.conn != first
	})
	// The server knows bob is in the call again: in-call chat reaches alice
	// (sent before the resume, it waits for the new link).
	if err := bob.SendCallChat("still here"); err != nil {
		t.Fatal(err)
	}
	alice.ev.waitChat(t, "in-call chat after the resume", "bob", hasText("still here", ChatSent))
	assertHears(t, "alice after bob's link came back", alice)
	assertHears(t, "bob after his link came back", bob)
	for _, u := range []*testUser{alice, bob} {
		if c := u.ev.lastCall(); c.Ended() {
			t.Fatalf("%s's call ended: %s", u.Me().ID, c.EndMessage())
		}
	}
}

// bob's app dies mid-call and never comes back: after the server's grace
// period alice's call ends as "peer gone"; bob's, when its resume window
// passes without a link.
func TestPeerWentAway(t *testing.T) {
	t.Parallel()
	url := startServerGrace(t, 200*time.Millisecond)
	alice := startUser(t, url, "alice", true, audio.Silence())
	var dead atomic.Bool
	dial := func(ctx context.Context, url string, u signaling.User) (SignalConn, error) {
		if dead.Load() {
			return nil, errors.New("bob's network is gone")
		}
		return signaling.Dial(ctx, url, u)
	}
	bob := startUser(t, url, "bob", true, audio.Silence(), withDial(dial),
		func(c *Config) { c.ResumeWindow = 300 * time.Millisecond })
	placeCall(t, alice, bob)
	dead.Store(true)
	bob.crash()
	alice.endsWith(t, EndPeerGone)
	bob.endsWith(t, EndError)
}

// bob hangs up while his link is down: once it is back, alice hears the
// hangup at once instead of waiting out the server's grace period.
func TestHangupDuringLostLinkReachesPeer(t *testing.T) {
	t.Parallel()
	url := startServerGrace(t, time.Hour)
	alice := startUser(t, url, "alice", false, audio.Silence())
	gate := make(chan struct{})
	var dials atomic.Int32
	dial := func(ctx context.Context, url string, u signaling.User) (SignalConn, error) {
		if dials.Add(1) > 1 {
			select { // the network is down until the gate opens
			case <-gate:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		return signaling.Dial(ctx, url, u)
	}
	bob := startUser(t, url, "bob", false, audio.Silence(), withDial(dial))
	placeCall(t, alice, bob)
	bob.crash()
	bob.ev.waitFor(t, "bob's link lost", func(e *events) bool { return len(e.notices) > 0 })
	bob.Hangup()
	bob.endsWith(t, EndHangup)
	close(gate)
	alice.endsWith(t, EndRemoteHangup)
}
