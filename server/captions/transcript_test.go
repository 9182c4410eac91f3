package captions

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/pgtest"
	"github.com/parley-voip/parley/server/chat"
	"github.com/parley-voip/parley/server/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// sealerOn is a chat service (the transcripts' sealer) on db with one key.
func sealerOn(t *testing.T, db *store.DB) *chat.Service {
	t.Helper()
	kr, err := chat.ParseKeyring([]byte("k1 MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\n"))
	if err != nil {
		t.Fatal(err)
	}
	cs, err := chat.New(chat.Config{DB: db.SQL(), Keys: kr})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestTranscriptStore runs the transcript store on SQLite and PostgreSQL:
// a participant reads a stored transcript, sealed at rest; another user
// reads nothing, not even that it exists; retention hides and purges it;
// rotating the chat key with -prune keeps the key the transcript uses.
func TestTranscriptStore(t *testing.T) {
	t.Parallel()
	pgtest.EachDatabase(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		ctx := context.Background()
		db := open(t)
		cs := sealerOn(t, db)
		ts := newTranscripts(db.SQL(), cs)
		t0 := time.UnixMilli(1_764_579_600_000)
		kept := Transcript{CallID: "call-1", Started: t0.UnixMilli(), Ended: t0.Add(time.Minute).UnixMilli(),
			Participants: []string{"alice", "bob"},
			Lines:        []Line{{Speaker: "alice", Name: "Alice", Start: t0.Add(2 * time.Second).UnixMilli(), End: t0.Add(4 * time.Second).UnixMilli(), Text: "he was not an ill disposed young man"}}}
		if err := ts.put(ctx, kept, 0); err != nil {
			t.Fatal(err)
		}
		brief := Transcript{CallID: "call-2", Started: t0.Add(time.Hour).UnixMilli(), Ended: t0.Add(2 * time.Hour).UnixMilli(), Participants: []string{"alice"}}
		if err := ts.put(ctx, brief, 1); err != nil {
			t.Fatal(err)
		}

		got, err := ts.get(ctx, "call-1", "bob", t0)
		if err != nil || got.Text() != "[00:00:02] Alice: he was not an ill disposed young man\n" || !slices.Equal(got.Participants, kept.Participants) {
			t.Fatalf("bob reads %+v, %v", got, err)
		}
		if _, err := ts.get(ctx, "call-1", "mallory", t0); !errors.Is(err, ErrNotFound) {
			t.Fatalf("another user reads call-1: %v", err)
		}
		for _, c := range []struct {
			call, user string
			want       bool
		}{{"call-1", "alice", true}, {"call-1", "bob", true}, {"call-1", "mallory", false}, {"call-2", "bob", false}, {"call-9", "alice", false}} {
			if has, err := ts.has(ctx, c.call, c.user, t0); err != nil || has != c.want {
				t.Errorf("has(%s, %s) = %v, %v; want %v", c.call, c.user, has, err, c.want)
			}
		}
		if l, err := ts.list(ctx, "alice", t0, 10); err != nil || len(l) != 2 || l[0].CallID != "call-2" || l[1].CallID != "call-1" {
			t.Fatalf("alice's list %+v, %v", l, err)
		}
		if l, err := ts.list(ctx, "mallory", t0, 10); err != nil || len(l) != 0 {
			t.Fatalf("mallory's list %+v, %v", l, err)
		}
		var raw []byte
		if err := db.SQL().QueryRow(store.DialectOf(db.SQL()).Rebind(`SELECT body FROM call_transcripts WHERE call_id = ?`), "call-1").Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte("ill disposed")) || bytes.Contains(raw, []byte("Alice")) {
			t.Fatal("transcript stored in the clear")
		}

		// call-2 expires a day after it ended.
		later := time.UnixMilli(brief.Ended).Add(25 * time.Hour)
		if has, _ := ts.has(ctx, "call-2", "alice", later); has {
			t.Fatal("an expired transcript is still offered")
		}
		if n, err := ts.purge(ctx, later); err != nil || n != 1 {
			t.Fatalf("purge: %d, %v", n, err)
		}
		if has, _ := ts.has(ctx, "call-1", "alice", later); !has {
			t.Fatal("purge removed a transcript kept until deleted")
		}

		// A rotated key ring prunes k1 only if no row uses it: the
		// transcript does.
		kr, err := chat.ParseKeyring([]byte("k1 MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\n"))
		if err != nil {
			t.Fatal(err)
		}
		kr.Rotate()
		rotated, err := chat.New(chat.Config{DB: db.SQL(), Keys: kr})
		if err != nil {
			t.Fatal(err)
		}
		pruned, err := rotated.Prune(ctx)
		if err != nil || !slices.Contains(pruned.IDs(), "k1") {
			t.Fatalf("prune kept %v, %v; the transcript's key k1 must stay", pruned.IDs(), err)
		}
		if _, err := newTranscripts(db.SQL(), rotated).get(ctx, "call-1", "alice", later); err != nil {
			t.Fatalf("transcript after the rotation: %v", err)
		}
		if _, err := db.SQL().Exec(`DELETE FROM call_transcripts`); err != nil {
			t.Fatal(err)
		}
		if pruned, err = rotated.Prune(ctx); err != nil || slices.Contains(pruned.IDs(), "k1") {
			t.Fatalf("with no transcript left prune kept %v, %v", pruned.IDs(), err)
		}
	})
}
