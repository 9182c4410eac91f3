package chat_test

import (
	"context"
	"database/sql"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/parley-voip/parley/internal/pgtest"
	"github.com/parley-voip/parley/server/chat"
	"github.com/parley-voip/parley/server/chat/chattest"
	"github.com/parley-voip/parley/server/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestService(t *testing.T) {
	t.Parallel()
	pgtest.EachDatabase(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		chattest.TestService(t, func(t *testing.T) *sql.DB { return open(t).SQL() })
	})
}

// benchService is a chat service with a fresh keyring on a database from
// open, for the benchmarks.
func benchService(b *testing.B, open func(testing.TB) *store.DB) *chat.Service {
	b.Helper()
	kr, err := chat.LoadKeyring(b.TempDir(), true)
	if err != nil {
		b.Fatal(err)
	}
	s, err := chat.New(chat.Config{DB: open(b).SQL(), Keys: kr})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkPost: one stored message (a transaction: insert, seal, update)
// per iteration, on each database. pgtest's PostgreSQL runs with fsync off,
// SQLite with synchronous=FULL: compare the two with that in mind.
func BenchmarkPost(b *testing.B) {
	for _, db := range pgtest.Databases {
		b.Run(db.Name, func(b *testing.B) {
			s := benchService(b, db.Open)
			ctx := context.Background()
			for i := 0; b.Loop(); i++ {
				if _, err := s.PostOnce(ctx, "alice", strconv.Itoa(i), "bob", "", "hello"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPostParallel: messages stored by many senders at once (as many
// connections do), on each database.
func BenchmarkPostParallel(b *testing.B) {
	for _, db := range pgtest.Databases {
		b.Run(db.Name, func(b *testing.B) {
			s := benchService(b, db.Open)
			var senders atomic.Int64
			b.SetParallelism(8)
			b.ResetTimer() // not the server's start-up
			b.RunParallel(func(pb *testing.PB) {
				from := "u" + strconv.FormatInt(senders.Add(1), 10)
				for i := 0; pb.Next(); i++ {
					if _, err := s.PostOnce(context.Background(), from, strconv.Itoa(i), "bob", "", "hello"); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkConversations: alice's conversation list (newest message and
// unread count of each) with 50 peers of 40 messages each, on each
// database.
func BenchmarkConversations(b *testing.B) {
	for _, db := range pgtest.Databases {
		b.Run(db.Name, func(b *testing.B) {
			s := benchService(b, db.Open)
			ctx := context.Background()
			for p := range 50 {
				peer := "peer" + strconv.Itoa(p)
				for i := range 40 {
					from, to := peer, "alice"
					if i%3 == 0 {
						from, to = to, from
					}
					if _, err := s.Post(ctx, from, to, "", "hello"); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ResetTimer()
			for b.Loop() {
				if l, err := s.Conversations(ctx, "alice", 0); err != nil || len(l) != 50 {
					b.Fatal(len(l), err)
				}
			}
		})
	}
}
