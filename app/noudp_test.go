package app

import (
	"testing"

	"github.com/parley-voip/parley/internal/netsim"
	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/server/turn/turntest"
	"github.com/pion/transport/v5/stdnet"
)

// withoutUDP puts the user's calls on this machine's network with every
// UDP socket refused (netsim.NoUDP): what a Windows Parley under Wine 8
// gets, and a user behind a firewall that lets only TCP out.
func withoutUDP(t testing.TB) rtc.Config {
	t.Helper()
	n, err := stdnet.NewNet()
	if err != nil {
		t.Fatal(err)
	}
	cfg := rtc.DefaultConfig()
	cfg.Net = netsim.NoUDP(n)
	return cfg
}

// With no UDP at all, alice has no host or server-reflexive candidate; the
// organization's TURN server over TCP is her only way out, and the call
// must carry audio both ways through it, E2EE.
func TestE2EECallFromANetworkWithoutUDPRelaysOverTURNTCP(t *testing.T) {
	o := startTURNOrg(t, turntest.Loopback())
	url := o.Server.URL()
	alice := startUser(t, url, "alice", true, audio.Chirp(), withRTC(withoutUDP(t)))
	bob := startUser(t, url, "bob", true, audio.Chirp())
	ca, cb := placeCall(t, alice, bob)
	if !ca.E2EE || !cb.E2EE || ca.Code != cb.Code {
		t.Fatalf("want an E2EE call with one code: caller %+v, callee %+v (%s / %s)", ca.E2EE, cb.E2EE, ca.EndMessage(), cb.EndMessage())
	}
	assertHears(t, "bob hears alice, who has no UDP", bob)
	assertHears(t, "alice, who has no UDP, hears bob", alice)
	if p := alice.path(t); p.Local != "relay" || p.RelayProtocol != "tcp" {
		t.Fatalf("alice's call runs on %+v (%s), want her side relayed over TCP", p, p)
	}
	alice.Hangup()
	alice.endsWith(t, EndHangup)
	bob.endsWith(t, EndRemoteHangup)
}
