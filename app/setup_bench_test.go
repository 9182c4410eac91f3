package app

import (
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/netsim"
	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/server/turn/turntest"
)

// BenchmarkCallSetup measures, on loopback, the time from dialing to the
// first frame of the caller's audio decrypted and decoded at the callee,
// with the callee answering at once. Report: ms/setup. The relayed case
// gathers relayed candidates only, through the organization's built-in
// TURN server (allocations included); the two-NATs case puts each party
// behind its own symmetric NAT on a virtual network, where ICE tries every
// candidate and can only succeed through the relay.
func BenchmarkCallSetup(b *testing.B) {
	for _, tc := range []struct {
		name string
		e2ee bool
		net  string // "" loopback, "relay" relay-only, "nats" two NATs
	}{{"e2ee", true, ""}, {"plain", false, ""}, {"e2ee-relayed", true, "relay"}, {"e2ee-two-nats", true, "nats"}} {
		b.Run(tc.name, func(b *testing.B) {
			var url string
			var optsA, optsB []userOption
			switch tc.net {
			case "relay":
				url = startTURNOrg(b, turntest.Loopback()).Server.URL()
				optsA = append(optsA, withRTC(relayOnly()))
				optsB = optsA
			case "nats":
				w := netsim.New(b)
				url = startTURNOrg(b, natTURN(w)).Server.URL()
				optsA = append(optsA, withRTC(onNet(w.A)))
				optsB = append(optsB, withRTC(onNet(w.B)))
			default:
				url = startServer(b)
			}
			alice := startUser(b, url, "alice", tc.e2ee, audio.Chirp(), optsA...)
			bob := startUser(b, url, "bob", tc.e2ee, audio.Chirp(), optsB...)
			timeSetups(b, alice, bob, tc.e2ee)
		})
	}
}

// timeSetups has alice call bob b.N times, bob answering at once, and
// reports the mean time from dialing to bob's first decoded frame
// (ms/setup); each call must be E2EE as e2ee says.
func timeSetups(b *testing.B, alice, bob *testUser, e2ee bool) {
	b.Helper()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		alice.sees(b, "bob", PresenceOnline)
		bob.sees(b, "alice", PresenceOnline)
		seenA, seenB := alice.ev.count(), bob.ev.count()
		start := time.Now()
		alice.Call("bob")
		bob.ev.waitCallAfter(b, seenB, "incoming", func(c CallInfo) bool { return c.State == CallIncoming })
		bob.Accept()
		got := bob.ev.waitCallAfter(b, seenB, "first audio", func(c CallInfo) bool { return c.AudioReceived || c.Ended() })
		total += time.Since(start)
		if got.Ended() || got.E2EE != e2ee {
			b.Fatalf("call ended or wrong mode: %+v", got)
		}
		b.StopTimer()
		alice.Hangup()
		alice.ev.waitCallAfter(b, seenA, "ended", CallInfo.Ended)
		bob.ev.waitCallAfter(b, seenB, "ended", CallInfo.Ended)
		// Calls back to back would run into the server's per-connection
		// message rate limit (50/s); people do not call 20 times a second.
		time.Sleep(500 * time.Millisecond)
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/setup")
}
