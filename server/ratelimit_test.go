package server

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/time/rate"

	"github.com/parley-voip/parley/signaling"
)

func TestRateLimit(t *testing.T) {
	t.Parallel()
	// One token an hour: nothing refills while the test runs, so the
	// outcome does not depend on timing.
	// Burst 4: dial's subscribe takes one token.
	s := startServer(t, Config{RateLimit: rate.Every(time.Hour), RateBurst: 4, RateAbuseLimit: 2})
	bob, carol := dial(t, s, "bob"), dial(t, s, "carol")
	alice := dial(t, s, "alice")
	for i := 1; i <= 6; i++ {
		alice.send(&signaling.Message{Type: signaling.TypeHangup, ID: fmt.Sprint("m", i), CallID: "none"})
	}
	for i := 1; i <= 3; i++ {
		if m := alice.expectError(signaling.CodeUnknownCall); m.Error.Ref != fmt.Sprint("m", i) {
			t.Fatalf("reply %d ref = %q", i, m.Error.Ref)
		}
	}
	alice.expectError(signaling.CodeRateLimited)
	alice.expectError(signaling.CodeRateLimited)
	var ce *signaling.CloseError
	if err := alice.awaitClosed(); !errors.As(err, &ce) || ce.Code != int(websocket.StatusPolicyViolation) {
		t.Fatalf("abuser ended with %v, want close 1008", err)
	}
	// The others are unaffected (their own buckets are untouched).
	setupCall(bob, carol, "bc")
}

func TestSlowClientIsDropped(t *testing.T) {
	t.Parallel()
	// alice has at most four frames queued at once (hangup, presence, two
	// error replies), so a queue of eight overflows only for bob.
	// No resume grace: the dropped party's call ends at once.
	s := startServer(t, Config{SendQueue: 8, RateLimit: rate.Inf, ResumeGrace: -1})
	alice := dial(t, s, "alice")
	// bob never reads after the welcome.
	bob := rawDial(t, s)
	rawHello(t, bob, "bob")
	rawWrite(t, bob, websocket.MessageText, `{"type":"invite","to":"alice","call_id":"c1"}`)
	alice.expect(signaling.TypeInvite)
	alice.send(&signaling.Message{Type: signaling.TypeAccept, CallID: "c1"})

	sdp := strings.Repeat("s", signaling.MaxSDPLen)
	offer := &signaling.Message{Type: signaling.TypeOffer, ID: "o", CallID: "c1", SDP: sdp}
	probe := &signaling.Message{Type: signaling.TypeHangup, ID: "probe", CallID: "none"}
	// Flood bob until the server gives up on him. Each offer is followed by
	// a probe whose error reply alice awaits, which bounds alice's queue. Loopback socket
	// buffers hold a few MB, so this ends after some hundred offers; the
	// bound turns a regression into a failure instead of a hang.
	for i := 0; i < 100000; i++ {
		alice.send(offer)
		alice.send(probe)
		dropped := false
		for {
			m := alice.next()
			if m.Type == signaling.TypeHangup && m.Reason == signaling.ReasonPeerGone {
				dropped = true
				continue
			}
			if m.Type != signaling.TypeError || m.Error.Code != signaling.CodeUnknownCall {
				t.Fatalf("got %+v (error %+v)", m, m.Error)
			}
			if m.Error.Ref == "probe" {
				break
			}
			if !dropped {
				t.Fatal("offer refused before bob was dropped")
			}
		}
		if dropped {
			alice.awaitPresence("bob dropped", presenceIs("alice=available"))
			return
		}
	}
	t.Fatal("slow client never dropped")
}
