package app

import (
	"strings"
	"testing"

	"github.com/parley-voip/parley/media/audio"
)

func isActive(c CallInfo) bool { return c.State == CallActive }

// settled: the call is up or over, where a wait for an answer stops.
func settled(c CallInfo) bool { return isActive(c) || c.Ended() }

// placeCall has a dial b and b accept, and returns both sides' view of the
// active call.
func placeCall(t testing.TB, a, b *testUser) (CallInfo, CallInfo) {
	t.Helper()
	return placeCallAfter(t, a, b, 0, 0)
}

// placeCallAfter is placeCall for a later call: it looks only at call
// snapshots after the first seenA and seenB.
func placeCallAfter(t testing.TB, a, b *testUser, seenA, seenB int) (CallInfo, CallInfo) {
	t.Helper()
	a.sees(t, b.Me().ID, PresenceOnline)
	a.Call(b.Me().ID)
	b.ev.waitCallAfter(t, seenB, "incoming call", isIncoming)
	a.ev.waitCallAfter(t, seenA, "ringing", func(c CallInfo) bool { return c.State == CallRinging })
	b.Accept()
	ca := a.ev.waitCallAfter(t, seenA, "caller active", settled)
	cb := b.ev.waitCallAfter(t, seenB, "callee active", settled)
	return ca, cb
}

func TestE2EECall(t *testing.T) {
	t.Parallel()
	alice, bob := newTwo(t, true, true, audio.Chirp)

	ca, cb := placeCall(t, alice, bob)
	if !ca.E2EE || !cb.E2EE {
		t.Fatalf("both sides want E2EE, got caller=%v callee=%v (ended: %v / %v)", ca.E2EE, cb.E2EE, ca.EndMessage(), cb.EndMessage())
	}
	if ca.Code == "" || ca.Code != cb.Code {
		t.Fatalf("security codes differ: %q vs %q", ca.Code, cb.Code)
	}
	assertCodeFormat(t, ca)
	for _, f := range ca.Features {
		if f.Available || f.Reason != ReasonE2EE {
			t.Fatalf("feature %s available in an E2EE call", f.Feature.Name())
		}
	}

	assertHears(t, "bob hears alice", bob)
	assertHears(t, "alice hears bob", alice)

	alice.Hangup()
	alice.endsWith(t, EndHangup)
	bob.endsWith(t, EndRemoteHangup)
}

func TestCallWithoutE2EEWhenOneSideOff(t *testing.T) {
	t.Parallel()
	alice, bob := newTwo(t, true, false, audio.Chirp)

	ca, cb := placeCall(t, alice, bob)
	for _, c := range []CallInfo{ca, cb} {
		if c.Ended() {
			t.Fatalf("call ended: %s", c.EndMessage())
		}
		if c.E2EE || c.E2EENegotiated || c.Code != "" {
			t.Fatalf("call must not be E2EE when one side has it off: %+v", c)
		}
	}
	if alice.ev.everShown(func(c CallInfo) bool { return c.E2EE }) {
		t.Fatal("the lock was shown at some point")
	}
	// alice wanted E2EE: her screen must say why the call is not.
	if !ca.WantedE2EE || ca.NotE2EE != NotE2EEPeerOff {
		t.Fatalf("alice: wanted %v, cause %v; want the other person's switch named", ca.WantedE2EE, ca.NotE2EE)
	}
	if cb.WantedE2EE || cb.NotE2EE != NotE2EENone {
		t.Fatalf("bob did not want E2EE: wanted %v, cause %v", cb.WantedE2EE, cb.NotE2EE)
	}
	assertHears(t, "bob hears alice", bob)
	bob.Hangup()
	alice.ev.waitCall(t, "caller ended", CallInfo.Ended)
}

func assertCodeFormat(t *testing.T, c CallInfo) {
	t.Helper()
	if len(c.Code) != 24 {
		t.Fatalf("code %q is not 5 groups of 4 digits", c.Code)
	}
	for i, g := range c.CodeGroups {
		if len(g) != 4 {
			t.Fatalf("group %d = %q", i, g)
		}
		for _, r := range g {
			if r < '0' || r > '9' {
				t.Fatalf("group %d = %q has a non-digit", i, g)
			}
		}
	}
}

// With "only allow E2EE calls", a call that would go without the lock is
// refused on either side, never connected unencrypted.
func TestE2EEOnlyRefusesUnencryptedCalls(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	strict := startUser(t, url, "strict", true, audio.Silence())
	strict.cfg.Settings.SetE2EEOnly(true)
	lax := startUser(t, url, "lax", false, audio.Silence())

	// The strict side calls; the other accepts without E2EE.
	strict.sees(t, "lax", PresenceOnline)
	strict.Call("lax")
	lax.ev.waitCall(t, "incoming", func(c CallInfo) bool { return c.State == CallIncoming })
	lax.Accept()
	if got := strict.endsWith(t, EndE2EERequired); got.EndMessage() != TextRefusedPeerOff {
		t.Fatalf("strict sees %q, want %q", got.EndMessage(), TextRefusedPeerOff)
	}
	if got := lax.endsWith(t, EndE2EERequired); got.EndMessage() != TextRefusedPeerRequires {
		t.Fatalf("lax sees %q, want %q", got.EndMessage(), TextRefusedPeerRequires)
	}

	// The other side calls the strict one: declined at once.
	seen := lax.ev.count()
	lax.sees(t, "strict", PresenceOnline)
	lax.Call("strict")
	if got := lax.ev.waitCallAfter(t, seen, "declined", CallInfo.Ended); got.End != EndE2EERequired {
		t.Fatalf("caller sees %q", got.EndMessage())
	}
	for _, u := range []*testUser{strict, lax} {
		if u.ev.everShown(func(c CallInfo) bool { return c.State == CallActive }) {
			t.Fatalf("%s: a call went ahead without E2EE", u.Me().ID)
		}
	}
}

// unpluggable is a synthetic device that can be pulled out mid-call.
type unpluggable struct {
	*audio.SyntheticDevice
	cb audio.Callbacks
}

func (u *unpluggable) Start(cb audio.Callbacks) error {
	u.cb = cb
	return u.SyntheticDevice.Start(cb)
}

func (u *unpluggable) unplug() {
	_ = u.SyntheticDevice.Stop()
	if u.cb.Lost != nil {
		go u.cb.Lost(audio.ErrDeviceLost)
	}
}

// A sound device unplugged mid-call is replaced (here by the null device:
// the machine has no other); the call goes on and the user is told.
func TestDeviceUnpluggedMidCall(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	dev := &unpluggable{SyntheticDevice: audio.NewSyntheticDevice(audio.Chirp(), nil)}
	alice := startUser(t, url, "alice", true, audio.Chirp(), func(c *Config) { c.Device = dev })
	bob := startUser(t, url, "bob", true, audio.Chirp())
	ca, _ := placeCall(t, alice, bob)
	if !ca.E2EE {
		t.Fatalf("call not E2EE: %s", ca.EndMessage())
	}
	dev.unplug()
	var n string
	alice.ev.waitFor(t, "a notice about the device", func(e *events) bool {
		if len(e.notices) > 0 {
			n = e.notices[0]
		}
		return n != ""
	})
	if !strings.Contains(n, "switched") {
		t.Fatalf("notice %q, want the switch to another device", n)
	}
	for _, u := range []*testUser{alice, bob} {
		if c := u.ev.lastCall(); c.Ended() {
			t.Fatalf("%s's call ended when the device went: %s", u.Me().ID, c.EndMessage())
		}
	}
	alice.Hangup()
	bob.endsWith(t, EndRemoteHangup)
}
