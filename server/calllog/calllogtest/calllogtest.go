// Package calllogtest holds the conformance tests every calllog.Store
// implementation must pass, so SQLStore behaves the same on SQLite and on
// PostgreSQL.
package calllogtest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/conformance"
	"github.com/parley-voip/parley/server/calllog"
	"github.com/parley-voip/parley/signaling"
)

// T0 is the start of the first record the suite writes.
var T0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// Call returns the two parties' records of one answered call from caller
// to callee starting at start, as the server's relay writes them.
func Call(callID, caller, callee string, start time.Time, d time.Duration) []calllog.Record {
	return []calllog.Record{
		{User: caller, Peer: callee, CallID: callID, Outgoing: true, Start: start, Duration: d, Outcome: signaling.OutcomeAnswered, Device: "d-" + caller},
		{User: callee, Peer: caller, CallID: callID, Start: start, Duration: d, Outcome: signaling.OutcomeAnswered, Device: "d-" + callee},
	}
}

// TestStore runs the conformance suite; open returns a fresh, empty store
// for each subtest.
func TestStore(t *testing.T, open func(t *testing.T) calllog.Store) {
	t.Helper()
	type c = conformance.Case[calllog.Store]
	conformance.Run(t, open,
		c{Name: "AddAndList", Run: addAndList},
		c{Name: "NewestFirstAndPaging", Run: paging},
		c{Name: "OnlyTheUsersOwn", Run: onlyOwn},
		c{Name: "RefusesInvalid", Run: refusesInvalid},
	)
}

func add(t *testing.T, s calllog.Store, recs ...calllog.Record) []calllog.Record {
	t.Helper()
	out, err := s.Add(context.Background(), recs...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func list(t *testing.T, s calllog.Store, user string, before time.Time, limit int) []calllog.Record {
	t.Helper()
	out, err := s.List(context.Background(), user, before, limit)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func addAndList(t *testing.T, s calllog.Store) {
	in := Call("c1", "alice", "bob", T0, 63*time.Second+400*time.Millisecond)
	in[0].E2EE, in[1].E2EE = true, true
	in[1].PeerName = "Alice"
	added := add(t, s, in...)
	if len(added) != 2 || added[0].ID == 0 || added[1].ID <= added[0].ID {
		t.Fatalf("Add ids = %+v, want two increasing ids", added)
	}
	got := list(t, s, "bob", time.Time{}, 10)
	if len(got) != 1 {
		t.Fatalf("bob's history has %d records, want 1", len(got))
	}
	want := in[1]
	want.ID = added[1].ID
	g := got[0]
	if g.ID != want.ID || g.User != "bob" || g.Peer != "alice" || g.CallID != "c1" || g.Outgoing ||
		!g.Start.Equal(T0) || g.Duration != 63400*time.Millisecond || g.Outcome != signaling.OutcomeAnswered ||
		g.Device != "d-bob" || !g.E2EE || g.PeerName != "Alice" {
		t.Errorf("bob's record = %+v, want %+v", g, want)
	}
	a := list(t, s, "alice", time.Time{}, 10)
	if len(a) != 1 || !a[0].Outgoing || a[0].Peer != "bob" {
		t.Errorf("alice's history = %+v, want one outgoing call to bob", a)
	}
}

func paging(t *testing.T, s calllog.Store) {
	for i := range 5 {
		// Added out of start order: a long call ends (and is written) after
		// a later short one.
		start := T0.Add(time.Duration((i*3)%5) * time.Minute)
		add(t, s, Call("c"+string(rune('a'+i)), "alice", "bob", start, time.Second)...)
	}
	page := list(t, s, "alice", time.Time{}, 2)
	if len(page) != 2 || !page[0].Start.Equal(T0.Add(4*time.Minute)) || !page[1].Start.Equal(T0.Add(3*time.Minute)) {
		t.Fatalf("first page = %+v, want the calls of 09:04 and 09:03", page)
	}
	rest := list(t, s, "alice", page[1].Start, 10)
	if len(rest) != 3 || !rest[0].Start.Equal(T0.Add(2*time.Minute)) || !rest[2].Start.Equal(T0) {
		t.Fatalf("next page = %+v, want 09:02, 09:01, 09:00", rest)
	}
	if n := len(list(t, s, "alice", T0, 10)); n != 0 {
		t.Errorf("before the first call: %d records, want 0", n)
	}
	if n := len(list(t, s, "alice", time.Time{}, calllog.MaxPage+50)); n != 5 {
		t.Errorf("a limit above MaxPage (capped, not refused): %d records, want all 5", n)
	}
}

func onlyOwn(t *testing.T, s calllog.Store) {
	add(t, s, Call("c1", "alice", "bob", T0, time.Second)...)
	add(t, s, Call("c2", "carol", "dave", T0.Add(time.Minute), time.Second)...)
	for _, u := range []string{"alice", "bob", "carol", "dave"} {
		for _, r := range list(t, s, u, time.Time{}, 10) {
			if r.User != u {
				t.Errorf("%s's history holds %+v", u, r)
			}
		}
	}
	if n := len(list(t, s, "erin", time.Time{}, 10)); n != 0 {
		t.Errorf("a user with no calls has %d records", n)
	}
}

func refusesInvalid(t *testing.T, s calllog.Store) {
	ctx := context.Background()
	good := Call("c1", "alice", "bob", T0, time.Second)[0]
	for name, mut := range map[string]func(*calllog.Record){
		"no user":          func(r *calllog.Record) { r.User = "" },
		"no peer":          func(r *calllog.Record) { r.Peer = "" },
		"no call id":       func(r *calllog.Record) { r.CallID = "" },
		"unknown outcome":  func(r *calllog.Record) { r.Outcome = "lost" },
		"device's outcome": func(r *calllog.Record) { r.Outcome = signaling.OutcomeAnsweredElsewhere },
		"negative length":  func(r *calllog.Record) { r.Duration = -time.Second },
		"no start":         func(r *calllog.Record) { r.Start = time.Time{} },
	} {
		r := good
		mut(&r)
		// A bad record refuses the whole call: nothing half-written.
		if _, err := s.Add(ctx, good, r); !errors.Is(err, calllog.ErrInvalidRecord) {
			t.Errorf("%s: Add = %v, want ErrInvalidRecord", name, err)
		}
	}
	if n := len(list(t, s, "alice", time.Time{}, 10)); n != 0 {
		t.Errorf("refused adds stored %d records", n)
	}
}
