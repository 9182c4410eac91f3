package app

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
)

// bobTwice is an organization with alice on one device and bob on two
// (phone and laptop), each with its own session.
func bobTwice(t *testing.T) (alice, phone, laptop *testUser) {
	t.Helper()
	o := startOrg(t, false)
	url := o.Server.URL()
	alice = startUser(t, url, "alice", false, audio.Silence(), withToken(openSession(t, o, "alice")))
	phone = startUser(t, url, "bob", false, audio.Silence(), withToken(openSession(t, o, "bob")))
	laptop = startUser(t, url, "bob", false, audio.Silence(), withToken(openSession(t, o, "bob")))
	alice.sees(t, "bob", PresenceOnline)
	return alice, phone, laptop
}

func isIncoming(c CallInfo) bool { return c.State == CallIncoming }

// Bug 8: both of bob's devices ring; the one that answers takes the call
// and the other stops with "Answered on another device". Every device's
// history then holds the call: answered on the phone, answered elsewhere
// on the laptop, outgoing for alice.
func TestEveryDeviceRingsAnsweredOnAnother(t *testing.T) {
	t.Parallel()
	alice, phone, laptop := bobTwice(t)
	alice.Call("bob")
	in := phone.ev.waitCall(t, "phone rings", isIncoming)
	laptop.ev.waitCall(t, "laptop rings", isIncoming)
	phone.Accept()
	laptop.endsWith(t, EndAnsweredElsewhere)
	if got := laptop.ev.lastCall().EndMessage(); got != "Answered on another device" {
		t.Errorf("laptop shows %q", got)
	}
	alice.ev.waitCall(t, "alice connected", isActive)
	phone.ev.waitCall(t, "phone connected", isActive)
	alice.Hangup()
	phone.endsWith(t, EndRemoteHangup)

	ra, _ := alice.ev.waitRecord(t, "alice's record", in.ID)
	rp, _ := phone.ev.waitRecord(t, "phone's record", in.ID)
	rl, missed := laptop.ev.waitRecord(t, "laptop's record", in.ID)
	if !ra.Outgoing || ra.Peer.ID != "bob" || ra.Outcome != OutcomeAnswered || ra.Duration <= 0 {
		t.Errorf("alice's record %+v", ra)
	}
	if rp.Outgoing || rp.Peer.ID != "alice" || rp.Outcome != OutcomeAnswered || rp.Duration != ra.Duration || !rp.Start.Equal(ra.Start) {
		t.Errorf("phone's record %+v (alice's %+v)", rp, ra)
	}
	if rl.Outcome != OutcomeAnsweredElsewhere || missed != 0 {
		t.Errorf("laptop's record %+v, %d missed", rl, missed)
	}
	// The same history, fetched: the server keeps it for every device.
	ctx := context.Background()
	for _, d := range []struct {
		u    *testUser
		want CallOutcome
	}{{alice, OutcomeAnswered}, {phone, OutcomeAnswered}, {laptop, OutcomeAnsweredElsewhere}} {
		h, err := d.u.CallHistory(ctx, time.Time{}, 10)
		if err != nil || len(h) != 1 || h[0].CallID != in.ID || h[0].Outcome != d.want {
			t.Errorf("%s's history: %+v %v, want one call %s", d.u.Me().ID, h, err, d.want)
		}
	}
}

// Both devices answer at once: the server takes the first, the other ends
// with "Answered on another device", whichever it is.
func TestBothDevicesAnswerOneWins(t *testing.T) {
	t.Parallel()
	alice, phone, laptop := bobTwice(t)
	alice.Call("bob")
	phone.ev.waitCall(t, "phone rings", isIncoming)
	laptop.ev.waitCall(t, "laptop rings", isIncoming)
	phone.Accept()
	laptop.Accept()
	alice.ev.waitCall(t, "alice connected", isActive)
	done := func(c CallInfo) bool { return isActive(c) || c.Ended() }
	p := phone.ev.waitCall(t, "phone settles", done)
	l := laptop.ev.waitCall(t, "laptop settles", done)
	if isActive(p) == isActive(l) {
		t.Fatalf("phone %q, laptop %q: exactly one must take the call", p.State, l.State)
	}
	loser := l
	if isActive(l) {
		loser = p
	}
	if loser.End != EndAnsweredElsewhere {
		t.Fatalf("the other device shows %q", loser.EndMessage())
	}
}

// Bug 8: a decline on one device declines on all of them.
func TestDeclineOnOneDeviceDeclinesEverywhere(t *testing.T) {
	t.Parallel()
	alice, phone, laptop := bobTwice(t)
	alice.Call("bob")
	phone.ev.waitCall(t, "phone rings", isIncoming)
	laptop.ev.waitCall(t, "laptop rings", isIncoming)
	laptop.Decline()
	phone.endsWith(t, EndDeclinedElsewhere)
	alice.endsWith(t, EndDeclined)
}

// A missed call counts on every device until seen; seen is remembered
// across a restart, and a call missed while no device was signed in
// counts after sign-in.
func TestMissedCallsCountUntilSeen(t *testing.T) {
	t.Parallel()
	o := startOrg(t, false)
	url := o.Server.URL()
	alice := startUser(t, url, "alice", false, audio.Silence(), withToken(openSession(t, o, "alice")))
	bobSettings := NewSettings(NewMemoryPreferences())
	withBobSettings := func(c *Config) { c.Settings = bobSettings }
	bob := startUser(t, url, "bob", false, audio.Silence(), withToken(openSession(t, o, "bob")), withBobSettings)
	alice.sees(t, "bob", PresenceOnline)

	alice.Call("bob")
	in := bob.ev.waitCall(t, "bob rings", isIncoming)
	alice.Hangup()
	bob.endsWith(t, EndCancelled)
	r, missed := bob.ev.waitRecord(t, "bob's missed call", in.ID)
	if r.Outcome != OutcomeMissed || r.Peer.Label() != "User alice" || missed != 1 || bob.UnseenMissedCalls() != 1 {
		t.Fatalf("record %+v, %d missed (%d)", r, missed, bob.UnseenMissedCalls())
	}
	if ra, missedA := alice.ev.waitRecord(t, "alice's record", in.ID); ra.Outcome != OutcomeMissed || missedA != 0 {
		t.Errorf("alice's record %+v, %d missed: an unanswered outgoing call is not hers to miss", ra, missedA)
	}
	bob.MarkCallsSeen()
	bob.sync(t)
	if n := bob.UnseenMissedCalls(); n != 0 {
		t.Fatalf("after MarkCallsSeen: %d missed", n)
	}
	bob.stop()

	// Missed while bob is offline: alice's call fails, bob's history has it.
	alice.ev.waitFor(t, "bob offline", func(e *events) bool {
		c, ok := e.contact("bob")
		return !ok || c.Presence == PresenceOffline
	})
	n := alice.ev.count()
	alice.Call("bob")
	if c := alice.ev.waitCallAfter(t, n, "unreachable", CallInfo.Ended); c.End != EndUnreachable {
		t.Fatalf("alice sees %q", c.EndMessage())
	}
	again := startUser(t, url, "bob", false, audio.Silence(), withToken(openSession(t, o, "bob")), withBobSettings)
	again.ev.waitFor(t, "one missed call after sign-in", func(e *events) bool {
		n := len(e.history)
		return n > 0 && e.history[n-1].UnseenMissed == 1
	})
	h, err := again.CallHistory(context.Background(), time.Time{}, 10)
	if err != nil || len(h) != 2 || h[0].Outcome != OutcomeMissed || h[0].Start.Before(h[1].Start) {
		t.Fatalf("bob's history: %+v %v", h, err)
	}
	if next, err := again.CallHistory(context.Background(), h[0].Start, 10); err != nil || len(next) != 1 || next[0].ID != h[1].ID {
		t.Fatalf("history before %v: %+v %v", h[0].Start, next, err)
	}
}

func FuzzDecodeCalls(f *testing.F) {
	f.Add([]byte(`{"calls":[{"id":"12","call_id":"c1","peer":"bob","outgoing":true,"start":1764577200000,"duration":63000,"outcome":"answered","e2ee":true},{"id":"11","call_id":"c0","peer":"carol","start":1,"duration":0,"outcome":"missed"}],"next_before":1}`))
	f.Add([]byte(`{"calls":[]}`))
	f.Add([]byte(`{"calls":[{"id":"1","call_id":"c","peer":"bob","start":1,"duration":0,"outcome":"lost"}]}`))
	f.Add([]byte(`{"calls":[{"id":"1","call_id":"c","peer":"b ob","start":-1,"duration":-1,"outcome":"failed"}]}`))
	f.Add([]byte(`{"calls":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := decodeCalls(data)
		if err != nil {
			if !errors.Is(err, ErrBadAnswer) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		for _, r := range recs {
			if !r.Outcome.Valid() || r.Outcome == "" || r.ID == "" || r.Peer == "" || r.Start < 0 || r.Duration < 0 {
				t.Fatalf("accepted %+v", r)
			}
		}
		// Round trip: what the app accepted, sent again, reads the same.
		b, err := json.Marshal(callsAnswer{Calls: recs})
		if err != nil {
			t.Fatal(err)
		}
		again, err := decodeCalls(b)
		if err != nil || !reflect.DeepEqual(again, recs) {
			t.Fatalf("round trip: %v\n%+v\n%+v", err, recs, again)
		}
	})
}
