package app

import (
	"context"
	"slices"
	"testing"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/server/policy"
	"github.com/parley-voip/parley/signaling"
)

func wentAhead(c CallInfo) bool { return c.State == CallActive }

// noCallWentAhead fails if any of us ever had media attached.
func noCallWentAhead(t *testing.T, us ...*testUser) {
	t.Helper()
	for _, u := range us {
		if u.ev.everShown(wentAhead) {
			t.Fatalf("%s: a call went ahead", u.Me().ID)
		}
	}
}

// "Only allow E2EE calls" follows the user's own choice: a policy push
// that takes E2EE away (as a hostile server would, to both users) does not
// turn it off. The user is told, and every call is refused on this side
// with a message naming the cause.
func TestE2EEOnlySurvivesPolicyPush(t *testing.T) {
	t.Parallel()
	o := startOrg(t, false)
	ctx := context.Background()
	must(t, o.Policies.CreatePolicy(ctx, policy.Policy{Name: "Pilot", E2EE: policy.UserCanEnable}))
	must(t, o.Policies.Grant(ctx, policy.Grant{Target: policy.Tenant(), Policy: "Pilot"}))
	alice := signedInUser(t, o, "alice", true)
	alice.cfg.Settings.SetE2EEOnly(true)
	bob := signedInUser(t, o, "bob", true)
	alice.policyIs(t, true)
	bob.policyIs(t, true)

	// The organization (or whoever controls the server) turns E2EE off.
	must(t, o.Policies.UpdatePolicy(ctx, policy.Policy{Name: "Pilot", E2EE: policy.Disabled}))
	alice.policyIs(t, false)
	bob.policyIs(t, false)
	alice.ev.waitFor(t, "a notice that E2EE was turned off", func(e *events) bool {
		return slices.Contains(e.notices, GuardBlockedNotice)
	})

	// alice calls: refused on her side, the invite never leaves.
	alice.sees(t, "bob", PresenceOnline)
	alice.Call("bob")
	if got := alice.endsWith(t, EndE2EERequired); got.EndMessage() != TextRefusedPolicy {
		t.Fatalf("alice sees %q, want %q", got.EndMessage(), TextRefusedPolicy)
	}

	// bob calls: alice's side declines, and both say why.
	seenA := alice.ev.count()
	bob.sees(t, "alice", PresenceOnline)
	bob.Call("alice")
	if got := bob.endsWith(t, EndE2EERequired); got.EndMessage() != TextRefusedPeerRequires {
		t.Fatalf("bob sees %q, want %q", got.EndMessage(), TextRefusedPeerRequires)
	}
	got := alice.ev.waitCallAfter(t, seenA, "alice refuses bob's call", CallInfo.Ended)
	if got.End != EndE2EERequired || got.EndMessage() != TextRefusedPolicy {
		t.Fatalf("alice sees %q, want %q", got.EndMessage(), TextRefusedPolicy)
	}
	if bob.ev.everShown(func(c CallInfo) bool { return c.State == CallRinging }) {
		t.Fatal("alice's phone rang for a call she allows only encrypted")
	}
	noCallWentAhead(t, alice, bob)
}

// A server that clears only the invite's E2EE flag: the callee decides
// "not E2EE", the caller "E2EE". The caller sees the difference in the
// accept, and both sides end the call before any media, saying so.
func TestInviteFlagClearedEndsBothSides(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	alice := startUser(t, url, "alice", true, audio.Chirp(), rewrite(func(m *signaling.Message) {
		if m.Type == signaling.TypeInvite {
			m.E2EE = false
		}
	}, nil))
	bob := startUser(t, url, "bob", true, audio.Chirp())
	ca, cb := placeCall(t, alice, bob)
	for _, c := range []CallInfo{ca, cb} {
		if c.End != EndE2EEMismatch || c.EndMessage() != E2EEMismatchMessage {
			t.Fatalf("want both sides to end with %q, got %q / %q", E2EEMismatchMessage, ca.EndMessage(), cb.EndMessage())
		}
	}
	noCallWentAhead(t, alice, bob)
}

// A server that makes the accept say "E2EE" for a callee who has it off:
// the caller would run the key agreement while the callee sent plain
// media. The callee sees the caller's decision in the offer and ends the
// call before it attaches media.
func TestAcceptRewrittenEndsBeforeMedia(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	alice := startUser(t, url, "alice", true, audio.Chirp(), rewrite(nil, func(m *signaling.Message) {
		if m.Type == signaling.TypeAccept {
			m.E2EE, m.E2EECall = true, true
		}
	}))
	bob := startUser(t, url, "bob", false, audio.Chirp())
	ca, cb := placeCall(t, alice, bob)
	if ca.End != EndE2EEMismatch || cb.End != EndE2EEMismatch {
		t.Fatalf("want both sides to end with %q, got %q / %q", E2EEMismatchMessage, ca.EndMessage(), cb.EndMessage())
	}
	noCallWentAhead(t, alice, bob)
}

// A call answered before the callee's policy has arrived waits for it, as
// a dial does, instead of being answered without E2EE.
func TestAcceptBeforePolicyWaitsForIt(t *testing.T) {
	t.Parallel()
	url := startServer(t) // local organization: E2EE allowed
	alice := startUser(t, url, "alice", true, audio.Chirp())
	release := make(chan struct{})
	bob := runUser(t, url, "bob", true, audio.Chirp(), interpose(func(real SignalConn, _ string) SignalConn {
		return newHoldConn(real, release)
	}), func(c *Config) { c.PolicyTimeout = waitTimeout })
	bob.ev.waitFor(t, "bob signed in", func(e *events) bool { return e.signedIn })

	alice.sees(t, "bob", PresenceOnline)
	alice.Call("bob")
	bob.ev.waitCall(t, "incoming", func(c CallInfo) bool { return c.State == CallIncoming })
	bob.Accept()
	bob.sync(t) // the accept has been handled, without a policy
	close(release)
	ca := alice.ev.waitCall(t, "caller active", func(c CallInfo) bool { return isActive(c) || c.Ended() })
	cb := bob.ev.waitCall(t, "callee active", func(c CallInfo) bool { return isActive(c) || c.Ended() })
	if !ca.E2EE || !cb.E2EE {
		t.Fatalf("a call answered before the policy arrived went without E2EE: %q / %q (e2ee %v/%v)",
			ca.EndMessage(), cb.EndMessage(), ca.E2EE, cb.E2EE)
	}
}

// An invite without E2EE that arrives before this side's policy is
// refused under the guard, and the other person's switch is named as the
// cause, not a policy this side does not know yet.
func TestE2EEOnlyBeforePolicyNamesThePeer(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	release := make(chan struct{})
	defer close(release)
	strict := runUser(t, url, "strict", true, audio.Silence(), interpose(func(real SignalConn, _ string) SignalConn {
		return newHoldConn(real, release)
	}), func(c *Config) { c.PolicyTimeout = waitTimeout })
	strict.cfg.Settings.SetE2EEOnly(true)
	strict.ev.waitFor(t, "strict signed in", func(e *events) bool { return e.signedIn })
	lax := startUser(t, url, "lax", false, audio.Silence())
	lax.sees(t, "strict", PresenceOnline)
	lax.Call("strict")
	if got := strict.endsWith(t, EndE2EERequired); got.EndMessage() != TextRefusedPeerOff {
		t.Fatalf("strict sees %q, want %q", got.EndMessage(), TextRefusedPeerOff)
	}
	lax.endsWith(t, EndE2EERequired)
}
