package app

import (
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/server/turn/turntest"
)

// BenchmarkCallSetup measures, on loopback, the time from dialing to the
// first frame of the caller's audio decrypted and decoded at the callee,
// with the callee answering at once. Report: ms/setup. The relayed case
// gathers relayed candidates only, through the organization's built-in
// TURN server (allocations included).
func BenchmarkCallSetup(b *testing.B) {
	for _, tc := range []struct {
		name  string
		e2ee  bool
		relay bool
	}{{"e2ee", true, false}, {"plain", false, false}, {"e2ee-relayed", true, true}} {
		b.Run(tc.name, func(b *testing.B) {
			var url string
			var opts []userOption
			if tc.relay {
				url = startTURNOrg(b, turntest.Loopback()).Server.URL()
				opts = append(opts, withRTC(relayOnly()))
			} else {
				url = startServer(b)
			}
			alice := startUser(b, url, "alice", tc.e2ee, audio.Chirp(), opts...)
			bob := startUser(b, url, "bob", tc.e2ee, audio.Chirp(), opts...)
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
				if got.Ended() || got.E2EE != tc.e2ee {
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
		})
	}
}
