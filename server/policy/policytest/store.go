package policytest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/parley-voip/parley/internal/conformance"
	"github.com/parley-voip/parley/server/policy"
)

// TestStore runs the conformance suite; open returns a fresh, empty store
// for each subtest.
func TestStore(t *testing.T, open func(t *testing.T) policy.Store) {
	t.Helper()
	conformance.Run(t, open,
		conformance.Case[policy.Store]{Name: "GlobalExists", Run: globalExists},
		conformance.Case[policy.Store]{Name: "PolicyCRUD", Run: policyCRUD},
		conformance.Case[policy.Store]{Name: "GroupsAndMembers", Run: groupsAndMembers},
		conformance.Case[policy.Store]{Name: "Grants", Run: grants},
		conformance.Case[policy.Store]{Name: "DeleteGroupDropsGrantAndMembers", Run: deleteGroupCascades},
		conformance.Case[policy.Store]{Name: "State", Run: state},
		conformance.Case[policy.Store]{Name: "ConcurrentCreateIsExists", Run: concurrentCreate},
		conformance.Case[policy.Store]{Name: "MeetingSettings", Run: meetingSettings},
	)
}

var must, wantErr = conformance.Must, conformance.WantErr

func globalExists(t *testing.T, s policy.Store) {
	ctx := context.Background()
	p, err := s.Policy(ctx, policy.GlobalName)
	must(t, err)
	if p.E2EE != policy.Disabled {
		t.Fatalf("Global starts as %v", p.E2EE)
	}
	wantErr(t, s.DeletePolicy(ctx, policy.GlobalName), policy.ErrGlobal)
	wantErr(t, s.CreatePolicy(ctx, policy.Policy{Name: policy.GlobalName}), policy.ErrExists)
	must(t, s.UpdatePolicy(ctx, policy.Policy{Name: policy.GlobalName, E2EE: policy.UserCanEnable}))
	p, err = s.Policy(ctx, policy.GlobalName)
	must(t, err)
	if p.E2EE != policy.UserCanEnable {
		t.Fatal("Global update lost")
	}
}

func policyCRUD(t *testing.T, s policy.Store) {
	ctx := context.Background()
	must(t, s.CreatePolicy(ctx, policy.Policy{Name: "Pilot", E2EE: policy.UserCanEnable, Description: "early adopters"}))
	wantErr(t, s.CreatePolicy(ctx, policy.Policy{Name: "Pilot"}), policy.ErrExists)
	p, err := s.Policy(ctx, "Pilot")
	must(t, err)
	if p != (policy.Policy{Name: "Pilot", E2EE: policy.UserCanEnable, Description: "early adopters"}) {
		t.Fatalf("read back %+v", p)
	}
	must(t, s.UpdatePolicy(ctx, policy.Policy{Name: "Pilot", E2EE: policy.Disabled}))
	p, err = s.Policy(ctx, "Pilot")
	must(t, err)
	if p.E2EE != policy.Disabled || p.Description != "" {
		t.Fatalf("update gave %+v", p)
	}
	wantErr(t, s.UpdatePolicy(ctx, policy.Policy{Name: "Nope"}), policy.ErrNotFound)
	_, err = s.Policy(ctx, "Nope")
	wantErr(t, err, policy.ErrNotFound)
	must(t, s.CreatePolicy(ctx, policy.Policy{Name: "Alpha"}))
	must(t, s.CreatePolicy(ctx, policy.Policy{Name: "beta"}))
	ps, err := s.Policies(ctx)
	must(t, err)
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	if !slices.Equal(names, []string{"Alpha", "Global", "Pilot", "beta"}) { // byte order
		t.Fatalf("policies %v", names)
	}
	must(t, s.Grant(ctx, policy.Grant{Target: policy.UserTarget("u1"), Policy: "Pilot"}))
	wantErr(t, s.DeletePolicy(ctx, "Pilot"), policy.ErrInUse)
	must(t, s.Revoke(ctx, policy.UserTarget("u1")))
	must(t, s.DeletePolicy(ctx, "Pilot"))
	wantErr(t, s.DeletePolicy(ctx, "Pilot"), policy.ErrNotFound)
}

func groupsAndMembers(t *testing.T, s policy.Store) {
	ctx := context.Background()
	must(t, s.CreateGroup(ctx, policy.Group{Name: "Eng", Rank: 2}))
	must(t, s.CreateGroup(ctx, policy.Group{Name: "Sales", Rank: 1}))
	must(t, s.CreateGroup(ctx, policy.Group{Name: "Ops", Rank: 2}))
	wantErr(t, s.CreateGroup(ctx, policy.Group{Name: "Eng", Rank: 3}), policy.ErrExists)
	must(t, s.AddMember(ctx, "Eng", "u2"))
	must(t, s.AddMember(ctx, "Eng", "u1"))
	must(t, s.AddMember(ctx, "Eng", "u1")) // idempotent
	must(t, s.AddMember(ctx, "Sales", "u1"))
	wantErr(t, s.AddMember(ctx, "Nope", "u1"), policy.ErrNotFound)
	m, err := s.Members(ctx, "Eng")
	must(t, err)
	if !slices.Equal(m, []string{"u1", "u2"}) {
		t.Fatalf("members %v", m)
	}
	_, err = s.Members(ctx, "Nope")
	wantErr(t, err, policy.ErrNotFound)
	gs, err := s.Groups(ctx)
	must(t, err)
	got := make([]policy.Group, len(gs))
	copy(got, gs)
	want := []policy.Group{{Name: "Sales", Rank: 1, Members: 1}, {Name: "Eng", Rank: 2, Members: 2}, {Name: "Ops", Rank: 2}}
	if !slices.Equal(got, want) {
		t.Fatalf("groups %+v, want %+v", got, want)
	}
	g, err := s.Group(ctx, "Eng")
	must(t, err)
	if g != (policy.Group{Name: "Eng", Rank: 2, Members: 2}) {
		t.Fatalf("group %+v", g)
	}
	of, err := s.GroupsOf(ctx, "u1")
	must(t, err)
	if len(of) != 2 || of[0].Name != "Sales" || of[1].Name != "Eng" {
		t.Fatalf("groups of u1 %+v", of)
	}
	must(t, s.SetRank(ctx, "Eng", 1))
	of, err = s.GroupsOf(ctx, "u1")
	must(t, err)
	if of[0].Name != "Eng" || of[0].Rank != 1 {
		t.Fatalf("after rank: %+v", of)
	}
	wantErr(t, s.SetRank(ctx, "Nope", 1), policy.ErrNotFound)
	must(t, s.RemoveMember(ctx, "Eng", "u1"))
	wantErr(t, s.RemoveMember(ctx, "Eng", "u1"), policy.ErrNotFound)
	wantErr(t, s.RemoveMember(ctx, "Nope", "u1"), policy.ErrNotFound)
	_, err = s.Group(ctx, "Nope")
	wantErr(t, err, policy.ErrNotFound)
	wantErr(t, s.DeleteGroup(ctx, "Nope"), policy.ErrNotFound)
}

func grants(t *testing.T, s policy.Store) {
	ctx := context.Background()
	must(t, s.CreatePolicy(ctx, policy.Policy{Name: "A"}))
	must(t, s.CreatePolicy(ctx, policy.Policy{Name: "B"}))
	must(t, s.CreateGroup(ctx, policy.Group{Name: "G", Rank: 1}))
	wantErr(t, s.Grant(ctx, policy.Grant{Target: policy.UserTarget("u1"), Policy: "Nope"}), policy.ErrNotFound)
	wantErr(t, s.Grant(ctx, policy.Grant{Target: policy.GroupTarget("Nope"), Policy: "A"}), policy.ErrNotFound)
	must(t, s.Grant(ctx, policy.Grant{Target: policy.UserTarget("u2"), Policy: "A"}))
	must(t, s.Grant(ctx, policy.Grant{Target: policy.UserTarget("u1"), Policy: "A"}))
	must(t, s.Grant(ctx, policy.Grant{Target: policy.UserTarget("u1"), Policy: "B"})) // replaces
	must(t, s.Grant(ctx, policy.Grant{Target: policy.GroupTarget("G"), Policy: "A"}))
	must(t, s.Grant(ctx, policy.Grant{Target: policy.Tenant(), Policy: "B"}))
	gs, err := s.Grants(ctx)
	must(t, err)
	want := []policy.Grant{
		{Target: policy.Tenant(), Policy: "B"},
		{Target: policy.GroupTarget("G"), Policy: "A"},
		{Target: policy.UserTarget("u1"), Policy: "B"},
		{Target: policy.UserTarget("u2"), Policy: "A"},
	}
	if !slices.Equal(gs, want) {
		t.Fatalf("grants %+v", gs)
	}
	must(t, s.Revoke(ctx, policy.Tenant()))
	wantErr(t, s.Revoke(ctx, policy.Tenant()), policy.ErrNotFound)
	wantErr(t, s.Revoke(ctx, policy.UserTarget("u9")), policy.ErrNotFound)
}

func deleteGroupCascades(t *testing.T, s policy.Store) {
	ctx := context.Background()
	must(t, s.CreatePolicy(ctx, policy.Policy{Name: "A"}))
	must(t, s.CreateGroup(ctx, policy.Group{Name: "G", Rank: 1}))
	must(t, s.AddMember(ctx, "G", "u1"))
	must(t, s.Grant(ctx, policy.Grant{Target: policy.GroupTarget("G"), Policy: "A"}))
	must(t, s.DeleteGroup(ctx, "G"))
	gs, err := s.Grants(ctx)
	must(t, err)
	if len(gs) != 0 {
		t.Fatalf("grants left: %+v", gs)
	}
	of, err := s.GroupsOf(ctx, "u1")
	must(t, err)
	if len(of) != 0 {
		t.Fatalf("memberships left: %+v", of)
	}
	must(t, s.DeletePolicy(ctx, "A")) // no longer granted
	// Recreating the group starts empty.
	must(t, s.CreateGroup(ctx, policy.Group{Name: "G", Rank: 1}))
	m, err := s.Members(ctx, "G")
	must(t, err)
	if len(m) != 0 {
		t.Fatalf("members survived: %v", m)
	}
}

func state(t *testing.T, s policy.Store) {
	ctx := context.Background()
	must(t, s.CreatePolicy(ctx, policy.Policy{Name: "Open", E2EE: policy.UserCanEnable}))
	must(t, s.CreateGroup(ctx, policy.Group{Name: "G", Rank: 3}))
	must(t, s.AddMember(ctx, "G", "u1"))
	must(t, s.AddMember(ctx, "G", "u3"))
	must(t, s.Grant(ctx, policy.Grant{Target: policy.GroupTarget("G"), Policy: "Open"}))
	st, err := s.State(ctx, []string{"u1", "u2"})
	must(t, err)
	if _, ok := st.Member["u3"]; ok {
		t.Fatal("State loaded memberships of a user not asked for")
	}
	e1, e2 := st.Effective("u1"), st.Effective("u2")
	if e1.Policy.Name != "Open" || e1.Source != policy.SourceGroup || e1.Group != "G" || e1.Rank != 3 {
		t.Fatalf("u1: %+v", e1)
	}
	if e2.Policy.Name != policy.GlobalName || e2.Source != policy.SourceGlobal {
		t.Fatalf("u2: %+v", e2)
	}
}

// meetingSettings: recording, captions, retention, transfer and park
// persist and resolve with the same precedence as E2EE (user > group >
// tenant > Global).
func meetingSettings(t *testing.T, s policy.Store) {
	ctx := context.Background()
	g, err := s.Policy(ctx, policy.GlobalName)
	must(t, err)
	if g != policy.DefaultGlobal() {
		t.Fatalf("Global starts as %+v, want %+v", g, policy.DefaultGlobal())
	}
	noRec := policy.Policy{Name: "NoRecording", AllowCaptions: true, RetentionDays: 7, AllowTransfer: true}
	short := policy.Policy{Name: "Short", AllowRecording: true, RetentionDays: 1, AllowPark: true}
	forever := policy.Policy{Name: "Forever", AllowRecording: true, AllowCaptions: true, E2EE: policy.UserCanEnable,
		AllowTransfer: true, AllowPark: true}
	for _, p := range []policy.Policy{noRec, short, forever} {
		must(t, s.CreatePolicy(ctx, p))
		got, err := s.Policy(ctx, p.Name)
		must(t, err)
		if got != p {
			t.Fatalf("read back %+v, want %+v", got, p)
		}
	}
	short.AllowCaptions, short.RetentionDays, short.AllowTransfer, short.AllowPark = true, policy.MaxRetentionDays, true, false
	must(t, s.UpdatePolicy(ctx, short))
	if got, _ := s.Policy(ctx, "Short"); got != short {
		t.Fatalf("update gave %+v, want %+v", got, short)
	}
	must(t, s.CreateGroup(ctx, policy.Group{Name: "G", Rank: 1}))
	must(t, s.AddMember(ctx, "G", "ug"))
	must(t, s.AddMember(ctx, "G", "uu"))
	must(t, s.Grant(ctx, policy.Grant{Target: policy.Tenant(), Policy: "NoRecording"}))
	must(t, s.Grant(ctx, policy.Grant{Target: policy.GroupTarget("G"), Policy: "Short"}))
	must(t, s.Grant(ctx, policy.Grant{Target: policy.UserTarget("uu"), Policy: "Forever"}))
	st, err := s.State(ctx, []string{"ut", "ug", "uu"})
	must(t, err)
	for user, want := range map[string]policy.Policy{"ut": noRec, "ug": short, "uu": forever} {
		if got := st.Effective(user).Policy; got != want {
			t.Errorf("%s: effective %+v, want %+v", user, got, want)
		}
	}
}

// Admins on two nodes creating the same policy or group at once: one
// succeeds, every other gets ErrExists (not a raw constraint error). A
// race needs the creates to overlap, so it runs many small rounds.
func concurrentCreate(t *testing.T, s policy.Store) {
	ctx := context.Background()
	const rounds, racers = 30, 3
	for r := range rounds {
		name := fmt.Sprintf("Race%d", r)
		errs := make([]error, 2*racers)
		var start, wg sync.WaitGroup
		start.Add(1)
		for i := range racers {
			wg.Go(func() {
				start.Wait()
				errs[i] = s.CreatePolicy(ctx, policy.Policy{Name: name})
			})
			wg.Go(func() {
				start.Wait()
				errs[racers+i] = s.CreateGroup(ctx, policy.Group{Name: name, Rank: 1})
			})
		}
		start.Done()
		wg.Wait()
		for half, what := range []string{"CreatePolicy", "CreateGroup"} {
			ok := 0
			for _, err := range errs[half*racers : (half+1)*racers] {
				switch {
				case err == nil:
					ok++
				case !errors.Is(err, policy.ErrExists):
					t.Fatalf("%s %s: %v, want nil or ErrExists", what, name, err)
				}
			}
			if ok != 1 {
				t.Fatalf("%s %s succeeded %d times, want once", what, name, ok)
			}
		}
	}
}
