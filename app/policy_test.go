package app

import (
	"context"
	"testing"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/policy"
)

// signedInUser creates an account in o and signs a client in with a
// session token, as the app does after the sign-in screen.
func signedInUser(t *testing.T, o *org.Org, id string, e2ee bool) *testUser {
	t.Helper()
	ctx := context.Background()
	if _, err := o.Accounts.CreateUser(ctx, accounts.NewUser{ID: id, Password: "a long enough password"}); err != nil {
		t.Fatal(err)
	}
	s, err := o.Accounts.OpenSession(ctx, id, "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	return startUser(t, o.Server.URL(), id, e2ee, audio.Silence(), func(c *Config) { c.Token = s.Token })
}

func (u *testUser) policyIs(t *testing.T, allowed bool) {
	t.Helper()
	u.ev.waitFor(t, "policy", func(e *events) bool { return e.policy != nil && e.policy.E2EEAllowed == allowed })
}

// A call is E2EE only if both users' effective policies allow it and both
// switches are on; an admin's grant reaches the client live and applies
// to the next call.
func TestPolicyGatesE2EE(t *testing.T) {
	t.Parallel()
	o := startOrg(t, false) // a real organization: Global is Disabled
	alice := signedInUser(t, o, "alice", true)
	bob := signedInUser(t, o, "bob", true)
	alice.policyIs(t, false)

	ca, cb := placeCall(t, alice, bob)
	if ca.E2EE || cb.E2EE || ca.E2EENegotiated {
		t.Fatal("E2EE although the organization's policy does not allow it")
	}
	if ca.NotE2EE != NotE2EEMyPolicy || cb.NotE2EE != NotE2EEMyPolicy {
		t.Fatalf("causes %v / %v, want the policy named on both sides", ca.NotE2EE, cb.NotE2EE)
	}
	alice.Hangup()
	alice.endsWith(t, EndHangup)

	// The admin lets a pilot group turn E2EE on — alice only, at first.
	ctx := context.Background()
	must(t, o.Policies.CreatePolicy(ctx, policy.Policy{Name: "Pilot", E2EE: policy.UserCanEnable}))
	must(t, o.Policies.CreateGroup(ctx, policy.Group{Name: "pilots", Rank: 1}))
	must(t, o.Policies.AddMember(ctx, "pilots", "alice"))
	must(t, o.Policies.Grant(ctx, policy.Grant{Target: policy.GroupTarget("pilots"), Policy: "Pilot"}))
	alice.policyIs(t, true)

	seenA, seenB := alice.ev.count(), bob.ev.count()
	ca, cb = placeCallAfter(t, alice, bob, seenA, seenB)
	if ca.E2EE || cb.E2EE {
		t.Fatal("E2EE although bob's policy does not allow it")
	}
	alice.Hangup()
	alice.endsWith(t, EndHangup)

	must(t, o.Policies.AddMember(ctx, "pilots", "bob"))
	bob.policyIs(t, true)
	seenA, seenB = alice.ev.count(), bob.ev.count()
	ca, cb = placeCallAfter(t, alice, bob, seenA, seenB)
	if !ca.E2EE || !cb.E2EE || ca.Code != cb.Code {
		t.Fatalf("both allowed and both on: want E2EE with one code, got %v/%v %q/%q", ca.E2EE, cb.E2EE, ca.Code, cb.Code)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A call dialled the moment the app signs in, before the policy push
// arrives, waits for it instead of going out without E2EE.
func TestDialBeforePolicyWaitsForIt(t *testing.T) {
	t.Parallel()
	url := startServer(t) // local organization: E2EE allowed
	bob := startUser(t, url, "bob", true, audio.Chirp())
	ev := newEvents()
	settings := NewSettings(NewMemoryPreferences())
	settings.SetE2EECalls(true)
	c, err := NewClient(Config{ServerURL: url, Me: Contact{ID: "alice"}, Settings: settings,
		Device: audio.NewSyntheticDevice(audio.Chirp(), nil), Listener: ev, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	c.Call("bob") // queued before Run has even signed in
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	defer func() { cancel(); <-done }()
	bob.ev.waitCall(t, "incoming", func(c CallInfo) bool { return c.State == CallIncoming })
	bob.Accept()
	got := ev.waitCall(t, "caller active", func(c CallInfo) bool { return c.State == CallActive || c.Ended() })
	if !got.E2EE {
		t.Fatalf("a call dialled before the policy arrived went out without E2EE: %+v", got)
	}
}
