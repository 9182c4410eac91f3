package turn_test

import (
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/parley-voip/parley/server/turn/turntest"
)

// cpuTime is the process's user plus system CPU time so far.
func cpuTime(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Skip("getrusage:", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// pktSize is an Opus voice frame at 32 kb/s (80 bytes) under SFrame,
// SRTP and RTP headers.
const pktSize = 120

// lockstep sends b.N packets from one conn to another, each after the
// previous arrived, as a call's 20 ms frames do (every packet wakes the
// path up again), and reports CPU and wall time per packet.
func lockstep(b *testing.B, send func([]byte) error, recv func([]byte) error) (cpuPerPkt, wallPerPkt time.Duration) {
	b.Helper()
	out, in := make([]byte, pktSize), make([]byte, 1500)
	// Warm up (permissions, channel bindings).
	for range 10 {
		if err := send(out); err != nil {
			b.Fatal(err)
		}
		if err := recv(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	cpu0, wall0 := cpuTime(b), time.Now()
	for range b.N {
		if err := send(out); err != nil {
			b.Fatal(err)
		}
		if err := recv(in); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	return (cpuTime(b) - cpu0) / time.Duration(b.N), time.Since(wall0) / time.Duration(b.N)
}

// packetsPerCall is a call's packets through the relay each second: a
// 20 ms frame each way.
const packetsPerCall = 2 * 50

// BenchmarkRelayedPacket measures what one voice packet costs the process
// relayed through the built-in TURN server (client → server → the other
// allocation → the other client: both parties relayed, as in a relay-only
// call) against sent directly over UDP between the same two sockets' kind.
// The difference is the server's work (plus the client's small TURN
// framing); extra-%core/call scales it to a call's 100 packets a second.
// Run the two sub-benchmarks together: go test -run xxx -bench RelayedPacket ./server/turn
func BenchmarkRelayedPacket(b *testing.B) {
	var direct time.Duration
	b.Run("direct", func(b *testing.B) {
		a, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		defer a.Close()
		z, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		defer z.Close()
		cpu, wall := lockstep(b,
			func(p []byte) error { _, err := a.WriteTo(p, z.LocalAddr()); return err },
			func(p []byte) error { _, _, err := z.ReadFrom(p); return err })
		direct = cpu
		b.ReportMetric(float64(cpu.Nanoseconds())/1000, "µs-cpu/pkt")
		b.ReportMetric(float64(wall.Nanoseconds())/1000, "µs-wall/pkt")
	})
	b.Run("relayed", func(b *testing.B) {
		s := turntest.Start(b, turntest.Loopback())
		alloc := func(user string) net.PacketConn {
			cred, err := s.Credentials(user)
			if err != nil {
				b.Fatal(err)
			}
			return benchClient(b, s.UDPAddr().String(), cred.Username, cred.Password)
		}
		a, z := alloc("alice"), alloc("bob")
		// bob's relay must permit alice's relayed address, as ICE's checks
		// do in a call.
		if _, err := z.WriteTo([]byte("permit"), a.LocalAddr()); err != nil {
			b.Fatal(err)
		}
		cpu, wall := lockstep(b,
			func(p []byte) error { _, err := a.WriteTo(p, z.LocalAddr()); return err },
			func(p []byte) error { _, _, err := z.ReadFrom(p); return err })
		b.ReportMetric(float64(cpu.Nanoseconds())/1000, "µs-cpu/pkt")
		b.ReportMetric(float64(wall.Nanoseconds())/1000, "µs-wall/pkt")
		if direct > 0 {
			extra := cpu - direct
			b.ReportMetric(float64(extra.Nanoseconds())/1000, "extra-µs-cpu/pkt")
			b.ReportMetric(100*float64(extra*packetsPerCall)/float64(time.Second), "extra-%core/call")
		}
	})
}
