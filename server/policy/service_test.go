package policy

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

// recorder is a Notifier with a fixed set of online users that records
// pushes.
type recorder struct {
	mu     sync.Mutex
	online []string
	pushes []Effective
}

func (r *recorder) Online() []string { return r.online }

func (r *recorder) PushPolicy(_ string, e Effective) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pushes = append(r.pushes, e)
}

// take returns and clears the pushes as "user=policy/setting" strings,
// sorted.
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.pushes {
		out = append(out, e.UserID+"="+e.Policy.Name+"/"+e.Policy.E2EE.String())
	}
	r.pushes = nil
	slices.Sort(out)
	return out
}

func newTestService(t *testing.T, online ...string) (*Service, *recorder) {
	t.Helper()
	rec := &recorder{online: online}
	s, err := NewService(Config{Store: NewMemStore(), Notifier: rec})
	if err != nil {
		t.Fatal(err)
	}
	return s, rec
}

func TestServicePushes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, rec := newTestService(t, "alice", "bob", "carol")
	step := func(name string, err error, want ...string) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := rec.take(); !slices.Equal(got, want) {
			t.Fatalf("%s: pushed %v, want %v", name, got, want)
		}
	}
	for _, u := range []string{"alice", "bob", "carol"} {
		if err := s.SignedIn(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	step("sign-in", nil, "alice=Global/Disabled", "bob=Global/Disabled", "carol=Global/Disabled")
	step("create policy", s.CreatePolicy(ctx, Policy{Name: "Pilot", E2EE: UserCanEnable}))
	step("create group", s.CreateGroup(ctx, Group{Name: "Eng", Rank: 2}))
	step("add member to ungranted group", s.AddMember(ctx, "Eng", "alice"))
	step("add offline member", s.AddMember(ctx, "Eng", "dave"))
	step("grant to group", s.Grant(ctx, Grant{Target: GroupTarget("Eng"), Policy: "Pilot"}), "alice=Pilot/UserCanEnable")
	step("grant again is silent", s.Grant(ctx, Grant{Target: GroupTarget("Eng"), Policy: "Pilot"}))
	step("add member to granted group", s.AddMember(ctx, "Eng", "bob"), "bob=Pilot/UserCanEnable")
	step("set policy", s.UpdatePolicy(ctx, Policy{Name: "Pilot", E2EE: Disabled}), "alice=Pilot/Disabled", "bob=Pilot/Disabled")
	step("tenant grant reaches only those without a stronger grant",
		s.Grant(ctx, Grant{Target: Tenant(), Policy: "Pilot"}), "carol=Pilot/Disabled")
	step("create second group", s.CreatePolicy(ctx, Policy{Name: "Open", E2EE: UserCanEnable}))
	step("create Sales", s.CreateGroup(ctx, Group{Name: "Sales", Rank: 5}))
	step("grant Sales", s.Grant(ctx, Grant{Target: GroupTarget("Sales"), Policy: "Open"}))
	step("bob joins lower-ranked Sales", s.AddMember(ctx, "Sales", "bob"))
	step("rank flips the winner", s.SetRank(ctx, "Sales", 1), "bob=Open/UserCanEnable")
	step("user grant", s.Grant(ctx, Grant{Target: UserTarget("carol"), Policy: "Open"}), "carol=Open/UserCanEnable")
	step("revoke user grant", s.Revoke(ctx, UserTarget("carol")), "carol=Pilot/Disabled")
	step("delete group", s.DeleteGroup(ctx, "Sales"), "bob=Pilot/Disabled")
	step("remove member", s.RemoveMember(ctx, "Eng", "alice"))
	step("revoke tenant", s.Revoke(ctx, Tenant()), "alice=Global/Disabled", "carol=Global/Disabled")
	step("set Global", s.UpdatePolicy(ctx, Policy{Name: GlobalName, E2EE: UserCanEnable}),
		"alice=Global/UserCanEnable", "carol=Global/UserCanEnable")
	step("failed change pushes nothing", ignore(s.Revoke(ctx, Tenant()), ErrNotFound))

	e, err := s.Effective(ctx, "dave")
	if err != nil || e.Policy.Name != "Pilot" || e.Source != SourceGroup || e.Group != "Eng" {
		t.Fatalf("dave: %+v %v", e, err)
	}
}

func ignore(err, want error) error {
	if errors.Is(err, want) {
		return nil
	}
	return errors.New("expected " + want.Error() + ", got " + errString(err))
}

func errString(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}

func TestServiceRejectsBadInput(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, rec := newTestService(t, "alice")
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"policy name", s.CreatePolicy(ctx, Policy{Name: "a/b"}), ErrInvalid},
		{"policy setting", s.UpdatePolicy(ctx, Policy{Name: "x", E2EE: 3}), ErrInvalid},
		{"delete Global", s.DeletePolicy(ctx, GlobalName), ErrGlobal},
		{"delete missing", s.DeletePolicy(ctx, "Nope"), ErrNotFound},
		{"group rank", s.CreateGroup(ctx, Group{Name: "G", Rank: 0}), ErrInvalid},
		{"set rank", s.SetRank(ctx, "G", MaxRank+1), ErrInvalid},
		{"set rank missing", s.SetRank(ctx, "G", 1), ErrNotFound},
		{"member of missing group", s.AddMember(ctx, "G", "alice"), ErrNotFound},
		{"empty user", s.AddMember(ctx, "G", ""), ErrInvalid},
		{"grant target", s.Grant(ctx, Grant{Target: Target{Kind: 9}, Policy: "x"}), ErrInvalid},
		{"grant missing policy", s.Grant(ctx, Grant{Target: Tenant(), Policy: "Nope"}), ErrNotFound},
		{"revoke missing", s.Revoke(ctx, UserTarget("alice")), ErrNotFound},
	}
	for _, c := range cases {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.err, c.want)
		}
	}
	if got := rec.take(); len(got) != 0 {
		t.Fatalf("pushed %v", got)
	}
	if _, err := NewService(Config{}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("NewService without store: %v", err)
	}
}

func TestSetNotifierForgetsPushes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, rec := newTestService(t, "alice")
	if err := s.SignedIn(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	rec.take()
	rec2 := &recorder{online: []string{"alice"}}
	s.SetNotifier(rec2)
	// A new notifier has told nobody anything, so the next change reaches
	// alice even though her policy did not change.
	if err := s.CreateGroup(ctx, Group{Name: "G", Rank: 1}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteGroup(ctx, "G"); err != nil {
		t.Fatal(err)
	}
	if got := rec2.take(); !slices.Equal(got, []string{"alice=Global/Disabled"}) {
		t.Fatalf("pushed %v", got)
	}
}

// TestServicePushesMeetingSettings: a change of recording, captions or
// retention alone reaches the users it affects, and Effective returns it.
func TestServicePushesMeetingSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, rec := newTestService(t, "alice")
	if err := s.SignedIn(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	rec.take()
	g := DefaultGlobal()
	for _, change := range []func(){
		func() { g.AllowRecording = false },
		func() { g.AllowCaptions = false },
		func() { g.RetentionDays = 30 },
	} {
		change()
		if err := s.UpdatePolicy(ctx, g); err != nil {
			t.Fatal(err)
		}
		rec.mu.Lock()
		pushes := rec.pushes
		rec.pushes = nil
		rec.mu.Unlock()
		if len(pushes) != 1 || pushes[0].Policy != g {
			t.Fatalf("after %+v pushed %+v", g, pushes)
		}
	}
	e, err := s.Effective(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if e.Policy.AllowRecording || e.Policy.AllowCaptions || e.Policy.RetentionDays != 30 || e.Policy.Retention() != 30*24*time.Hour {
		t.Fatalf("effective %+v", e.Policy)
	}
	if err := s.UpdatePolicy(ctx, Policy{Name: GlobalName, RetentionDays: -1}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("negative retention: %v", err)
	}
}
