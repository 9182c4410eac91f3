package app

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/server"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
	"github.com/parley-voip/parley/server/policy"
	"github.com/parley-voip/parley/signaling"
)

// Call control with real clients, the real server and its media service.
// Who speaks is chosen so that what each one hears names its source: a
// chirp where only one other speaks, silence where nobody should be heard.

func withText(s string) func(CallInfo) bool {
	return func(c CallInfo) bool { return c.ControlText == s }
}

func (e *events) noticed(sub string) func(*events) bool {
	return func(e *events) bool {
		return slices.ContainsFunc(e.notices, func(n string) bool { return strings.Contains(n, sub) })
	}
}

// consult has by hold its call with held and call target, who answers;
// by hears target. It returns by's and target's view of the consult call.
func consult(t *testing.T, by, held, target *testUser) (CallInfo, CallInfo) {
	t.Helper()
	by.SetHeld(true)
	held.ev.waitCall(t, held.Me().ID+" on hold", func(c CallInfo) bool { return c.OnHold })
	cb, ct := placeCallAfter(t, by, target, by.ev.count(), target.ev.count())
	assertHears(t, by.Me().ID+" hears "+target.Me().ID+" in the consult", by)
	return cb, ct
}

// talkAfterTransfer waits for party's call to be with target (not on
// hold), saying text, and for each to hear the other.
func talkAfterTransfer(t *testing.T, party, target *testUser, text string) {
	t.Helper()
	p, tg := party.Me().ID, target.Me().ID
	a := party.ev.waitCall(t, p+" with "+tg, func(c CallInfo) bool { return c.Peer.ID == tg && !c.OnHold })
	if a.ControlText != text || !isActive(a) {
		t.Fatalf("%s's call after the transfer: %+v", p, a)
	}
	assertComesToHear(t, tg+" hears "+p, target)
	assertComesToHear(t, p+" hears "+tg, party)
}

// aliceCallsBob signs in alice, bob and third (serviceUsers with opts)
// and has alice call bob, who answers; ca is alice's view of the call.
func aliceCallsBob(t *testing.T, third string, opts ...serviceOption) (alice, bob, other *testUser, ca CallInfo) {
	t.Helper()
	_, us := serviceUsers(t, []string{"alice", "bob", third}, opts...)
	ca, _ = placeCall(t, us[0], us[1])
	return us[0], us[1], us[2], ca
}

// onlyParticipants reports whether the roster is exactly ids.
func onlyParticipants(ids ...string) func(CallInfo) bool {
	return func(c CallInfo) bool {
		var got []string
		for _, p := range c.Participants {
			got = append(got, p.ID)
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(ids))
		return slices.Equal(got, want)
	}
}

// Blind transfer: Bob hands Alice to Carol and leaves at once; Alice hears
// Carol, Carol hears Alice, and Bob is out of the call.
func TestBlindTransfer(t *testing.T) {
	t.Parallel()
	alice, bob, carol, ca := aliceCallsBob(t, "carol", speaking("alice", "carol"))
	assertHears(t, "bob hears alice", bob)
	if st := feature(ca, FeatureTransfer); !st.Available {
		t.Fatalf("transfer unavailable in a standard call: %+v", st)
	}

	bob.sees(t, "carol", PresenceOnline)
	bob.Transfer("carol", TransferBlind)
	got := bob.endsWith(t, EndTransferred)
	if !strings.Contains(got.EndMessage(), "carol") {
		t.Errorf("bob's screen: %q", got.EndMessage())
	}
	alice.ev.waitCall(t, "alice told of the transfer", withText("bob is transferring you to carol…"))
	inv := carol.ev.waitCall(t, "carol rung", isIncoming)
	if inv.Peer.ID != "alice" || inv.ControlText != "Transferred by bob" || inv.ID != ca.ID {
		t.Fatalf("carol's incoming call: %+v", inv)
	}
	carol.Accept()
	cc := carol.ev.waitCall(t, "carol connected", settled)
	if !isActive(cc) || cc.Peer.ID != "alice" || !cc.ViaService {
		t.Fatalf("carol's call: %+v (%s)", cc, cc.EndMessage())
	}
	talkAfterTransfer(t, alice, carol, "bob transferred you to carol")
	alice.ev.waitCall(t, "roster without bob", onlyParticipants("alice", "carol"))

	carol.Hangup()
	alice.endsWith(t, EndRemoteHangup)
}

// A blind transfer to someone who declines ends the other party's call,
// saying why.
func TestBlindTransferDeclined(t *testing.T) {
	t.Parallel()
	alice, bob, carol, _ := aliceCallsBob(t, "carol", speaking("alice"))
	bob.Transfer("carol", TransferBlind)
	carol.ev.waitCall(t, "carol rung", isIncoming)
	carol.Decline()
	got := alice.endsWith(t, EndTransferFailed)
	if got.EndMessage() != "The transfer failed — carol declined" {
		t.Fatalf("alice's screen: %q", got.EndMessage())
	}
}

// Safe transfer: the target declines, the call rings Bob back while Alice
// hears the hold music, and Bob, answering, is with Alice again.
func TestSafeTransferRingsBack(t *testing.T) {
	t.Parallel()
	alice, bob, carol, ca := aliceCallsBob(t, "carol", speaking("alice", "bob"))
	assertHears(t, "alice hears bob", alice)

	seenB := bob.ev.count()
	bob.Transfer("carol", TransferSafe)
	bob.endsWith(t, EndTransferred)
	carol.ev.waitCall(t, "carol rung", isIncoming)
	assertHearsRef(t, "alice hears the hold music", alice, holdMusic(t))
	carol.Decline()
	alice.ev.waitCall(t, "alice told of the ring back", withText("carol declined — calling bob back…"))
	back := bob.ev.waitCallAfter(t, seenB, "bob rung back", isIncoming)
	if back.ID != ca.ID || back.Peer.ID != "alice" || back.ControlText != "carol declined — back to your call with alice" {
		t.Fatalf("bob's ring back: %+v", back)
	}
	bob.Accept()
	bob.ev.waitCall(t, "bob back in the call", isActive)
	alice.ev.waitCall(t, "alice back with bob", withText("Back with bob"))
	assertComesToHear(t, "alice hears bob again", alice)
	assertComesToHear(t, "bob hears alice again", bob)
}

// Consult then transfer: Bob holds Alice, calls Carol, talks to her, then
// completes; Alice and Carol are connected in Alice's call, Bob leaves
// both. Returning instead (ReturnToHeld) resumes the call with Alice.
func TestConsultThenTransfer(t *testing.T) {
	t.Parallel()
	alice, bob, carol, ca := aliceCallsBob(t, "carol", speaking("alice", "carol"))
	assertHears(t, "bob hears alice", bob)

	// First a consult Bob gives up: back to Alice.
	consult(t, bob, alice, carol)
	bob.ReturnToHeld()
	carol.endsWith(t, EndRemoteHangup)
	bob.ev.waitCall(t, "bob back with alice", func(c CallInfo) bool { return c.ID == ca.ID && isActive(c) && !c.Held })
	alice.ev.waitCall(t, "alice resumed", func(c CallInfo) bool { return !c.OnHold })
	assertComesToHear(t, "bob hears alice again", bob)

	// Then one he completes.
	_, cc := consult(t, bob, alice, carol)
	bob.CompleteConsult()
	bob.endsWith(t, EndTransferred)
	got := carol.ev.waitCall(t, "carol's call becomes alice's", func(c CallInfo) bool { return c.ID == ca.ID })
	if got.Peer.ID != "alice" || got.ControlText != "bob transferred alice to you" || cc.ID == ca.ID {
		t.Fatalf("carol after the consult transfer: %+v", got)
	}
	talkAfterTransfer(t, alice, carol, "bob transferred you to carol")
	alice.Hangup()
	carol.endsWith(t, EndRemoteHangup)
}

// Park and pick up: Bob parks, gets the code on screen and as a notice;
// Dave picks the call up on his device and is connected to Alice. A code
// that matches nothing is answered with a clear notice.
func TestParkAndPickUp(t *testing.T) {
	t.Parallel()
	_, us := serviceUsers(t, []string{"alice", "bob", "dave"}, speaking("alice", "dave"))
	alice, bob, dave := us[0], us[1], us[2]

	dave.PickUp("123456")
	dave.ev.waitFor(t, "a clear refusal", dave.ev.noticed("Pick up: no parked call has that code"))

	ca, _ := placeCall(t, alice, bob)
	assertHears(t, "bob hears alice", bob)
	bob.Park()
	parked := bob.ev.waitCall(t, "the code on bob's screen", func(c CallInfo) bool { return c.Ended() && c.PickupCode != "" })
	if parked.End != EndParked || !strings.Contains(parked.EndMessage(), parked.PickupCode) || parked.PickupExpires.IsZero() {
		t.Fatalf("bob's screen after parking: %+v (%q)", parked, parked.EndMessage())
	}
	bob.ev.waitFor(t, "the code as a notice", bob.ev.noticed("pickup code "+parked.PickupCode))
	alice.ev.waitCall(t, "alice told", withText("bob parked the call — you are on hold"))
	assertHearsRef(t, "alice hears the hold music", alice, holdMusic(t))

	dave.PickUp(parked.PickupCode)
	d := dave.ev.waitCall(t, "dave connected", settled)
	if !isActive(d) || d.ID != ca.ID || d.Peer.ID != "alice" {
		t.Fatalf("dave's call: %+v (%s)", d, d.EndMessage())
	}
	alice.ev.waitCall(t, "alice with dave", func(c CallInfo) bool { return c.Peer.ID == "dave" && c.ControlText == "dave picked up" })
	bob.ev.waitFor(t, "bob told", bob.ev.noticed("dave picked up your parked call with alice"))
	assertComesToHear(t, "alice hears dave", alice)
	assertComesToHear(t, "dave hears alice", dave)

	// The code is spent.
	seen := len(bob.ev.notices)
	bob.PickUp(parked.PickupCode)
	bob.ev.waitFor(t, "a spent code refused", func(e *events) bool {
		return len(e.notices) > seen && e.noticed("no parked call has that code")(e)
	})
}

// Move to this device: Bob is in a call on his phone; his laptop, idle,
// learns of it and takes the call; Alice hears the laptop, the phone's
// part ends. Then the phone joins as a companion: it hears Alice, Alice
// does not hear it, and it does not hear the laptop.
func TestMoveCallToOtherDevice(t *testing.T) {
	t.Parallel()
	o := startOrg(t, false)
	url := o.Server.URL()
	alice := startUser(t, url, "alice", false, audio.Chirp(), withToken(openSession(t, o, "alice")))
	phone := startUser(t, url, "bob", false, audio.Chirp(), withToken(openSession(t, o, "bob")))
	laptop := startUser(t, url, "bob", false, audio.Chirp(), withToken(openSession(t, o, "bob")))

	ca, _ := placeCall(t, alice, phone) // both rang; the phone answered
	laptop.endsWith(t, EndAnsweredElsewhere)
	assertHears(t, "phone hears alice", phone)
	laptop.ev.waitFor(t, "the laptop knows of the call", func(e *events) bool { return e.elsewhere })

	seenL := laptop.ev.count()
	laptop.MoveHere()
	phone.endsWith(t, EndMoved)
	l := laptop.ev.waitCallAfter(t, seenL, "the call on the laptop", settled)
	if !isActive(l) || l.ID != ca.ID || l.Peer.ID != "alice" || l.ControlText != TextMovedHere {
		t.Fatalf("laptop's call: %+v (%s)", l, l.EndMessage())
	}
	assertComesToHear(t, "laptop hears alice", laptop)
	assertComesToHear(t, "alice hears the laptop", alice)
	phone.ev.waitFor(t, "the phone knows of the call", func(e *events) bool { return e.elsewhere })

	// Companion: the phone listens too, its microphone is not heard. The
	// laptop is muted meanwhile, so that what each hears names its source.
	laptop.SetMuted(true)
	assertSilent(t, "alice hears the muted laptop", alice)
	seenP := phone.ev.count()
	phone.AddThisDevice()
	p := phone.ev.waitCallAfter(t, seenP, "the phone joins", settled)
	if !isActive(p) || !p.Companion || !p.Muted || p.ControlText != TextCompanion {
		t.Fatalf("phone as a companion: %+v (%s)", p, p.EndMessage())
	}
	assertComesToHear(t, "the companion hears alice", phone)
	assertSilent(t, "alice does not hear the companion", alice)
	laptop.SetMuted(false)
	assertComesToHear(t, "alice hears the laptop again", alice)
	// The companion never plays bob's own laptop back into the room (an
	// echo): with alice muted, only the laptop talks, and the phone is
	// quiet.
	alice.SetMuted(true)
	assertSilent(t, "the companion does not hear bob's laptop", phone)
	alice.SetMuted(false)
	assertComesToHear(t, "the companion hears alice again", phone)
	phone.Hangup()
	phone.endsWith(t, EndHangup)
	assertComesToHear(t, "alice still hears the laptop", alice)
	if c := alice.ev.lastCall(); c.Ended() {
		t.Fatalf("alice's call ended with the companion: %s", c.EndMessage())
	}
}

// In an E2EE call transfer and park are unavailable with the reason, and
// asking anyway is answered with it; where the policy does not allow
// them, they are unavailable with that reason.
func TestCallControlUnavailable(t *testing.T) {
	t.Parallel()
	_, us := serviceUsers(t, []string{"alice", "bob"}, e2eeUsers())
	alice, bob := us[0], us[1]
	ca, _ := placeCall(t, alice, bob)
	for _, f := range []Feature{FeatureTransfer, FeaturePark} {
		if st := feature(ca, f); st.Available || st.Reason != ReasonE2EE {
			t.Errorf("%s in an E2EE call: %+v", f.Name(), st)
		}
	}
	alice.Transfer("carol", TransferBlind)
	alice.Park()
	alice.ev.waitFor(t, "both refused with the reason", func(e *events) bool {
		return slices.Contains(e.notices, "Transfer: "+ReasonE2EE) && slices.Contains(e.notices, "Park: "+ReasonE2EE)
	})
	if c := alice.ev.lastCall(); !isActive(c) {
		t.Fatalf("the refusal changed the call: %+v", c)
	}
}

func TestCallControlPolicy(t *testing.T) {
	t.Parallel()
	o, us := serviceUsers(t, []string{"alice", "bob"})
	alice, bob := us[0], us[1]
	ctx := context.Background()
	must(t, o.Policies.CreatePolicy(ctx, policy.Policy{Name: "NoControl", E2EE: policy.Disabled}))
	must(t, o.Policies.CreateGroup(ctx, policy.Group{Name: "desk", Rank: 1}))
	must(t, o.Policies.AddMember(ctx, "desk", "alice"))
	must(t, o.Policies.Grant(ctx, policy.Grant{Target: policy.GroupTarget("desk"), Policy: "NoControl"}))
	alice.ev.waitFor(t, "the policy", func(e *events) bool { return e.policy != nil && e.policy.Name == "NoControl" })

	ca, cb := placeCall(t, alice, bob)
	if st := feature(ca, FeatureTransfer); st.Available || st.Reason != ReasonNoTransfer {
		t.Errorf("transfer against the policy: %+v", st)
	}
	if st := feature(ca, FeaturePark); st.Available || st.Reason != ReasonNoPark {
		t.Errorf("park against the policy: %+v", st)
	}
	if !feature(cb, FeatureTransfer).Available || !feature(cb, FeaturePark).Available {
		t.Errorf("bob's policy allows both: %+v", cb.Features)
	}
	alice.Park()
	alice.ev.waitFor(t, "park refused", func(e *events) bool { return slices.Contains(e.notices, "Park: "+ReasonNoPark) })
	if c := alice.ev.lastCall(); !isActive(c) {
		t.Fatalf("the refusal changed the call: %+v", c)
	}
}

// A park nobody picks up rings the parker back (ParkTimeout, here short)
// while the parked party hears music; answering, they talk again.
func TestParkNotPickedUpRingsBack(t *testing.T) {
	t.Parallel()
	o := orgtest.Start(t, org.Config{Local: true, Server: server.Config{ParkTimeout: time.Second}})
	alice := startUser(t, o.Server.URL(), "alice", false, audio.Chirp())
	bob := startUser(t, o.Server.URL(), "bob", false, audio.Chirp())
	ca, _ := placeCall(t, alice, bob)
	assertHears(t, "bob hears alice", bob)
	seenB := bob.ev.count()
	bob.Park()
	bob.endsWith(t, EndParked)
	back := bob.ev.waitCallAfter(t, seenB, "bob rung back", isIncoming)
	if back.ID != ca.ID || back.ControlText != "Nobody picked up the parked call — back to your call with alice" {
		t.Fatalf("bob's ring back: %+v", back)
	}
	alice.ev.waitCall(t, "alice told", withText("Nobody picked up the parked call — calling bob back…"))
	bob.Accept()
	assertComesToHear(t, "alice hears bob again", alice)
	assertComesToHear(t, "bob hears alice again", bob)
}

// The server's refusals of call control read as sentences naming the
// action.
func TestControlRefusalsReadClearly(t *testing.T) {
	for _, c := range []struct {
		t    signaling.Type
		code signaling.ErrorCode
		want string
	}{
		{signaling.TypeTransfer, signaling.CodeE2EECall, "Transfer: " + ReasonE2EE},
		{signaling.TypeTransfer, signaling.CodePolicy, "Transfer: " + ReasonNoTransfer},
		{signaling.TypePark, signaling.CodePolicy, "Park: " + ReasonNoPark},
		{signaling.TypePickup, signaling.CodePolicy, "Pick up: " + ReasonNoPark},
		{signaling.TypePickup, signaling.CodeUnknownCode, "Pick up: no parked call has that code (it may have been picked up or expired)"},
		{signaling.TypeTransfer, signaling.CodeUnknownUser, "Transfer: there is no such person in your organization"},
		{signaling.TypeMoveCall, signaling.CodeUnknownCall, "Move to device: You have no call on another device"},
	} {
		e := &signaling.ErrorInfo{Code: c.code, Message: "You have no call on another device"}
		if got := refusalText(c.t, e); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.t, c.code, got, c.want)
		}
	}
}

// A transfer the server refuses (to nobody, to the other party) changes
// nothing: a notice says why, the call goes on, and a later transfer works.
func TestTransferRefusedKeepsTheCall(t *testing.T) {
	t.Parallel()
	_, us := serviceUsers(t, []string{"alice", "bob"}, speaking("alice"))
	alice, bob := us[0], us[1]
	placeCall(t, alice, bob)
	bob.Transfer("nobody", TransferBlind)
	bob.ev.waitFor(t, "unknown user refused", bob.ev.noticed("Transfer: there is no such person in your organization"))
	bob.Transfer("alice", TransferSafe)
	bob.ev.waitFor(t, "the other party refused", bob.ev.noticed("Transfer: That person is in the call already"))
	bob.sync(t)
	if c := bob.ev.lastCall(); !isActive(c) {
		t.Fatalf("bob's call after the refusals: %+v (%s)", c, c.EndMessage())
	}
	if c := alice.ev.lastCall(); !isActive(c) {
		t.Fatalf("alice's call after the refusals: %+v", c)
	}
	assertHears(t, "bob still hears alice", bob)
	bob.Park() // the state is back to Active: call control works again
	bob.endsWith(t, EndParked)
}
