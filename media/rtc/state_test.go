package rtc

import (
	"testing"

	"github.com/pion/webrtc/v4"
)

// pion runs each connection state handler on a goroutine of its own, so a
// change's handler can run after the next one's. A late Connecting (or a
// Disconnected after the recovery) must not be reported over the state the
// connection is in: the app would take a connected call for one still
// setting up, or lost.
func TestLateStateHandlerReportsTheCurrentState(t *testing.T) {
	ctx := testContext(t)
	a, b := newTestPeer(t), newTestPeer(t)
	connectPair(ctx, t, a, b)

	got := make(chan State, 16)
	a.OnStateChange(func(s State) { got <- s })
	// The handlers of earlier changes, run late, as pion may run them.
	for _, late := range []webrtc.PeerConnectionState{webrtc.PeerConnectionStateConnecting, webrtc.PeerConnectionStateDisconnected, webrtc.PeerConnectionStateNew} {
		a.handleState(late)
	}
	select {
	case s := <-got:
		t.Fatalf("a late handler reported %v while the connection is %v", s, a.pc.ConnectionState())
	default:
	}
	if st := a.pc.ConnectionState(); st != webrtc.PeerConnectionStateConnected {
		t.Fatalf("connection %v", st)
	}
}
