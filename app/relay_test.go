package app

import (
	"net/netip"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/netsim"
	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
	"github.com/parley-voip/parley/server/turn"
	"github.com/parley-voip/parley/server/turn/turntest"
	"github.com/pion/transport/v5/vnet"
)

// withRTC sets the user's peer connection configuration.
func withRTC(cfg rtc.Config) userOption {
	return func(c *Config) {
		cfg.Logger = quietLogger()
		c.RTC = &cfg
	}
}

// relayOnly gathers relayed candidates only: a call connects through the
// TURN server the organization hands out, or not at all.
func relayOnly() rtc.Config {
	cfg := rtc.DefaultConfig()
	cfg.RelayOnly = true
	return cfg
}

// onNet puts the user's calls on a virtual network (behind a NAT).
func onNet(n *vnet.Net) rtc.Config {
	cfg := rtc.DefaultConfig()
	cfg.IncludeLoopback = false
	cfg.Net = n
	return cfg
}

// onNetICE is onNet with ICE's disconnected and failed timeouts set.
func onNetICE(n *vnet.Net, disconnected, failed time.Duration) rtc.Config {
	cfg := onNet(n)
	cfg.DisconnectedTimeout, cfg.FailedTimeout = disconnected, failed
	return cfg
}

// startTURNOrg runs a local organization that hands out credentials for
// the TURN server tc describes.
func startTURNOrg(t testing.TB, tc turn.Config) *org.Org {
	t.Helper()
	return orgtest.Start(t, org.Config{Local: true, TURN: &tc})
}

// inCall runs f on u's Run goroutine with u's call, if it has one with a
// peer connection, and waits for it.
func (u *testUser) inCall(f func(k *call)) {
	done := make(chan struct{})
	u.post(func() {
		if u.call != nil && u.call.peer != nil {
			f(u.call)
		}
		close(done)
	})
	<-done
}

// path is the candidate pair u's call uses.
func (u *testUser) path(t testing.TB) (p rtc.Path) {
	t.Helper()
	u.inCall(func(k *call) { p = k.peer.Path() })
	return p
}

// relayedE2EECall places an E2EE call from alice to bob, checks that it is
// relayed and that each hears the other, and hangs up.
func relayedE2EECall(t *testing.T, alice, bob *testUser) {
	t.Helper()
	ca, cb := placeCall(t, alice, bob)
	if !ca.E2EE || !cb.E2EE || ca.Code != cb.Code {
		t.Fatalf("want an E2EE call with one code: caller %+v, callee %+v (%s / %s)", ca.E2EE, cb.E2EE, ca.EndMessage(), cb.EndMessage())
	}
	assertHears(t, "bob hears alice through the relay", bob)
	assertHears(t, "alice hears bob through the relay", alice)
	for _, u := range []*testUser{alice, bob} {
		if p := u.path(t); !p.Relayed() {
			t.Fatalf("%s's call runs on %+v, want a relayed path", u.Me().ID, p)
		}
	}
	alice.Hangup()
	alice.endsWith(t, EndHangup)
	bob.endsWith(t, EndRemoteHangup)
}

func TestE2EECallRelayedByTheBuiltInTURN(t *testing.T) {
	o := startTURNOrg(t, turntest.Loopback())
	url := o.Server.URL()
	alice := startUser(t, url, "alice", true, audio.Chirp(), withRTC(relayOnly()))
	bob := startUser(t, url, "bob", true, audio.Chirp(), withRTC(relayOnly()))
	relayedE2EECall(t, alice, bob)
}

func TestE2EECallRelayedByCoturn(t *testing.T) {
	urls := turntest.Coturn(t, turntest.Secret)
	o := startTURNOrg(t, turn.Config{External: true, URLs: urls, Secret: turntest.Secret})
	url := o.Server.URL()
	alice := startUser(t, url, "alice", true, audio.Chirp(), withRTC(relayOnly()))
	bob := startUser(t, url, "bob", true, audio.Chirp(), withRTC(relayOnly()))
	relayedE2EECall(t, alice, bob)
}

// natTURN is a built-in TURN server on the virtual network's public side.
func natTURN(w *netsim.World) turn.Config {
	return turn.Config{
		UDP: netsim.TURNIP + ":3478", TCP: "off",
		PublicIP: netip.MustParseAddr(netsim.TURNIP),
		Secret:   turntest.Secret,
		Net:      w.TURN,
	}
}

func TestE2EECallBetweenTwoNATsConnectsThroughTURN(t *testing.T) {
	w := netsim.New(t)
	o := startTURNOrg(t, natTURN(w))
	url := o.Server.URL()
	alice := startUser(t, url, "alice", true, audio.Chirp(), withRTC(onNet(w.A)))
	bob := startUser(t, url, "bob", true, audio.Chirp(), withRTC(onNet(w.B)))
	relayedE2EECall(t, alice, bob)
}

// framesReceived is how many frames u's call has received so far.
func (u *testUser) framesReceived() (n uint64) {
	u.inCall(func(k *call) {
		if k.stream != nil {
			n = k.stream.Stats().FramesReceived
		}
	})
	return n
}

// restarts is how many ICE restarts u's call made or answered.
func (u *testUser) restarts() (n uint64) {
	u.inCall(func(k *call) { n = k.peer.Restarts() })
	return n
}

// The outage the call must survive, and how long after the network is
// back audio must flow again at the latest. The target is 2 s; the bound
// is generous because the machine running the tests is shared.
const (
	outage       = 5 * time.Second
	resumeBound  = 15 * time.Second
	resumeTarget = 2 * time.Second
)

func TestE2EECallSurvivesANetworkOutageByICERestart(t *testing.T) {
	w := netsim.New(t)
	o := startTURNOrg(t, natTURN(w))
	url := o.Server.URL()
	// ICE notices the outage after 1 s; a restart has 1 + 6 s to connect.
	alice := startUser(t, url, "alice", true, audio.Chirp(), withRTC(onNetICE(w.A, time.Second, 6*time.Second)))
	bob := startUser(t, url, "bob", true, audio.Chirp(), withRTC(onNetICE(w.B, time.Second, 6*time.Second)))
	ca, cb := placeCall(t, alice, bob)
	if !ca.E2EE || !cb.E2EE {
		t.Fatalf("want an E2EE call: %s / %s", ca.EndMessage(), cb.EndMessage())
	}
	assertHears(t, "bob hears alice before the outage", bob)

	seenA := alice.ev.count()
	w.CutA(true)
	cut := time.Now()
	alice.ev.waitCallAfter(t, seenA, "alice notices the outage", func(c CallInfo) bool { return c.Reconnecting || c.Ended() })
	time.Sleep(time.Until(cut.Add(outage))) // the outage itself: the network stays down this long
	beforeA, beforeB := alice.framesReceived(), bob.framesReceived()
	w.CutA(false)
	back := time.Now()

	deadline := time.NewTimer(resumeBound)
	defer deadline.Stop()
	for alice.framesReceived() == beforeA || bob.framesReceived() == beforeB {
		select {
		case <-deadline.C:
			t.Fatalf("audio did not resume within %v of the network's return (restarts: alice %d, bob %d)", resumeBound, alice.restarts(), bob.restarts())
		case <-time.After(20 * time.Millisecond):
		}
	}
	resumed := time.Since(back)
	t.Logf("audio resumed %v after the network returned (target %v); ICE restarts: alice %d, bob %d", resumed.Round(time.Millisecond), resumeTarget, alice.restarts(), bob.restarts())
	if alice.restarts() == 0 || bob.restarts() == 0 {
		t.Fatal("the call recovered without an ICE restart")
	}

	// The callee shows Reconnecting only if its own ICE noticed the outage
	// before the caller's restart reached it: its latest state counts.
	na := alice.ev.waitCall(t, "alice back", func(c CallInfo) bool { return !c.Reconnecting || c.Ended() })
	nb := bob.ev.waitCall(t, "bob back", func(c CallInfo) bool { return !c.Reconnecting || c.Ended() })
	for _, c := range []CallInfo{na, nb} {
		if c.Ended() || !c.E2EE || c.Code != ca.Code {
			t.Fatalf("after the outage: ended=%v e2ee=%v code %q (was %q): %s", c.Ended(), c.E2EE, c.Code, ca.Code, c.EndMessage())
		}
	}
	assertHears(t, "bob hears alice after the outage", bob)
	assertHears(t, "alice hears bob after the outage", alice)
	alice.Hangup()
	alice.endsWith(t, EndHangup)
	bob.endsWith(t, EndRemoteHangup)
}
