package org_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/parley-voip/parley/server"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
	"github.com/parley-voip/parley/signaling"
)

// BenchmarkChatAcrossNodes: alice sends b.N chat messages, as fast as
// acknowledgements let a window of 64 go, to bob on the same node or on
// another (PostgreSQL stores, NATS delivers); timed until bob has them
// all. Report: msgs/s.
func BenchmarkChatAcrossNodes(b *testing.B) {
	for _, tc := range []struct {
		name  string
		bobOn int
	}{{"one-node", 0}, {"two-nodes", 1}} {
		b.Run(tc.name, func(b *testing.B) {
			nodes := orgtest.Cluster(b, 2, org.Config{Server: server.Config{RateLimit: rate.Inf}})
			ctx := context.Background()
			for _, id := range []string{"alice", "bob"} {
				if _, err := nodes[0].Accounts.CreateUser(ctx, accounts.NewUser{ID: id, Password: "correct horse battery"}); err != nil {
					b.Fatal(err)
				}
			}
			dial := func(o *org.Org, id string) *signaling.Conn {
				s, err := o.Accounts.OpenSession(ctx, id, "127.0.0.1", "bench")
				if err != nil {
					b.Fatal(err)
				}
				c, err := signaling.Dial(ctx, o.Server.URL(), signaling.User{ID: id}, signaling.WithToken(s.Token))
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { c.Close() })
				return c
			}
			alice, bob := dial(nodes[0], "alice"), dial(nodes[tc.bobOn], "bob")
			// bob is known on alice's node before the clock starts.
			if err := alice.Send(ctx, &signaling.Message{Type: signaling.TypeSubscribe, IDs: []string{"bob"}}); err != nil {
				b.Fatal(err)
			}
			for seen := false; !seen; {
				m, err := alice.Recv(ctx)
				if err != nil {
					b.Fatal(err)
				}
				for _, u := range m.Users {
					seen = seen || u.ID == "bob" && u.Status == signaling.StatusAvailable
				}
			}
			window := make(chan struct{}, 64)
			go func() { // acks free the window
				for {
					m, err := alice.Recv(ctx)
					if err != nil {
						return
					}
					if m.Type == signaling.TypeChatAck {
						<-window
					}
				}
			}()
			b.ResetTimer()
			start := time.Now()
			go func() {
				for i := 0; i < b.N; i++ {
					window <- struct{}{}
					if alice.Send(ctx, &signaling.Message{Type: signaling.TypeChat, ID: fmt.Sprint("m", i), To: "bob", Text: "benchmark message"}) != nil {
						return
					}
				}
			}()
			rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
			defer cancel()
			for got := 0; got < b.N; {
				m, err := bob.Recv(rctx)
				if err != nil {
					b.Fatalf("bob after %d of %d: %v", got, b.N, err)
				}
				if m.Type == signaling.TypeChat {
					got++
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
		})
	}
}
