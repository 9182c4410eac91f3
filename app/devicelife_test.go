package app

import (
	"context"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
)

// deviceRunning asks u's Run goroutine whether its engine runs the device.
func (u *testUser) deviceRunning(t testing.TB) bool {
	t.Helper()
	got := make(chan bool, 1)
	if !u.post(func() { got <- u.engine.Running() }) {
		t.Fatal(u.Me().ID + " has stopped")
	}
	return <-got
}

// TestSoundDeviceRunsOnlyDuringCalls: signed in and idle, the device is
// stopped (no callbacks, no audio work); it starts when a call starts
// ringing, on both sides, the callee hears the ringtone through it, and it
// stops when the call ends; the next call starts it again.
func TestSoundDeviceRunsOnlyDuringCalls(t *testing.T) {
	t.Parallel()
	alice, bob := newTwo(t, true, true, audio.Chirp)
	for _, u := range []*testUser{alice, bob} {
		if u.deviceRunning(t) {
			t.Fatalf("%s: the device runs while signed in with no call", u.Me().ID)
		}
		if n := u.rec.Total(); n != 0 {
			t.Fatalf("%s: the idle device played %d samples", u.Me().ID, n)
		}
	}

	for round := range 2 {
		seenA, seenB := alice.ev.count(), bob.ev.count()
		alice.sees(t, "bob", PresenceOnline)
		alice.Call("bob")
		bob.ev.waitCallAfter(t, seenB, "incoming call", func(c CallInfo) bool { return c.State == CallIncoming })
		if !bob.deviceRunning(t) || !alice.deviceRunning(t) {
			t.Fatalf("round %d: the device is not running while the call rings", round)
		}
		// The ringtone is heard: bob's device plays more than silence.
		bob.rec.Reset()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := bob.rec.Wait(ctx, 3*audio.SampleRate) // a whole ringtone cadence
		cancel()
		if err != nil {
			t.Fatalf("round %d: bob's device played nothing while ringing: %v", round, err)
		}
		if peakOf(bob.rec.Samples()) < 1000 {
			t.Fatalf("round %d: no ringtone in what bob's device played", round)
		}
		bob.Accept()
		alice.ev.waitCallAfter(t, seenA, "caller active", isActive)
		alice.Hangup()
		alice.endsWith(t, EndHangup)
		bob.endsWith(t, EndRemoteHangup)
		bob.sync(t)
		for _, u := range []*testUser{alice, bob} {
			if u.deviceRunning(t) {
				t.Fatalf("round %d: %s's device still runs after the call", round, u.Me().ID)
			}
		}
	}
}

func peakOf(s []int16) int {
	p := 0
	for _, v := range s {
		p = max(p, int(v), -int(v))
	}
	return p
}
