package server

import (
	"io"
	"log/slog"
	"testing"

	"golang.org/x/time/rate"

	"github.com/parley-voip/parley/signaling"
)

// BenchmarkRelay measures candidate messages relayed per second from one
// client to the other through the server on loopback (encode, WebSocket
// write, server decode, validate, route, re-encode, write, client decode).
// A window of in-flight messages keeps the pipeline full without letting
// the receiver fall behind far enough to be dropped as a slow client.
func BenchmarkRelay(b *testing.B) {
	const window = 128
	s := startServer(b, Config{
		RateLimit: rate.Inf,
		SendQueue: 4 * window,
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	ctx := testCtx(b)
	dialRaw := func(id string) *signaling.Conn {
		c, err := signaling.Dial(ctx, s.URL(), signaling.User{ID: id})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = c.Close() })
		return c
	}
	alice, bob := dialRaw("alice"), dialRaw("bob")
	next := func(c *signaling.Conn, typ signaling.Type) {
		for {
			m, err := c.Recv(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if m.Type == typ {
				return
			}
			if m.Type != signaling.TypePresence {
				b.Fatalf("unexpected %s %+v", m.Type, m.Error)
			}
		}
	}
	send := func(c *signaling.Conn, m *signaling.Message) {
		if err := c.Send(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
	send(alice, &signaling.Message{Type: signaling.TypeInvite, To: "bob", CallID: "bench"})
	next(bob, signaling.TypeInvite)
	send(bob, &signaling.Message{Type: signaling.TypeAccept, CallID: "bench"})
	next(alice, signaling.TypeAccept)
	// Nobody subscribed to presence: nothing but the candidates arrives.
	send(bob, &signaling.Message{Type: signaling.TypeCandidate, CallID: "bench", Candidate: &signaling.Candidate{}})
	next(alice, signaling.TypeCandidate)

	mid, idx := "0", uint16(0)
	cand := &signaling.Message{Type: signaling.TypeCandidate, CallID: "bench", Candidate: &signaling.Candidate{
		Candidate: "candidate:842163049 1 udp 1677729535 192.0.2.10 53705 typ srflx raddr 0.0.0.0 rport 0 generation 0",
		SDPMid:    &mid, SDPMLineIndex: &idx,
	}}
	credit := make(chan struct{}, window)
	for range window {
		credit <- struct{}{}
	}
	errc := make(chan error, 1)
	b.ReportAllocs()
	b.ResetTimer()
	go func() {
		for i := 0; i < b.N; i++ {
			select {
			case <-credit:
			case <-ctx.Done():
				errc <- ctx.Err()
				return
			}
			if err := alice.Send(ctx, cand); err != nil {
				errc <- err
				return
			}
		}
		errc <- nil
	}()
	for i := 0; i < b.N; i++ {
		m, err := bob.Recv(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if m.Type != signaling.TypeCandidate {
			b.Fatalf("got %s", m.Type)
		}
		credit <- struct{}{}
	}
	if err := <-errc; err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkChat measures 1:1 chat messages per second through the
// organization server: each one is encrypted, committed to SQLite with
// synchronous=FULL (an fsync per message), acknowledged to the sender and
// delivered to the recipient. One message in flight at a time, as a person
// typing would have it.
func BenchmarkChat(b *testing.B) {
	o := startOrg(b, Config{RateLimit: rate.Inf, Logger: slog.New(slog.DiscardHandler)}, "alice", "bob")
	alice, _ := o.connect("alice")
	bob, _ := o.connect("bob")
	m := &signaling.Message{Type: signaling.TypeChat, ID: "m", To: "bob", Text: "a typical chat message of some sixty characters, give or take"}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		alice.send(m)
		alice.expect(signaling.TypeChatAck)
		bob.expect(signaling.TypeChat)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
