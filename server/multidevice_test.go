package server

import (
	"net/http"
	"testing"

	"github.com/parley-voip/parley/signaling"
)

// expectRecord waits for the call history record pushed when callID ended.
func (c *client) expectRecord(callID string) signaling.CallRecord {
	c.t.Helper()
	m := c.expect(signaling.TypeCallRecord)
	if m.Call.CallID != callID {
		c.t.Fatalf("%s: record of call %s, want %s", c.id, m.Call.CallID, callID)
	}
	return *m.Call
}

func (c *client) expectHangup(reason signaling.Reason) {
	c.t.Helper()
	if m := c.expect(signaling.TypeHangup); m.Reason != reason {
		c.t.Fatalf("%s: hangup %q, want %q", c.id, m.Reason, reason)
	}
}

// ringAll has caller invite bob to callID and checks every device rings.
func ringAll(caller *client, callID string, devices ...*client) {
	caller.t.Helper()
	caller.send(&signaling.Message{Type: signaling.TypeInvite, To: "bob", CallID: callID})
	for _, d := range devices {
		if m := d.expect(signaling.TypeInvite); m.CallID != callID || m.From != caller.id {
			d.t.Fatalf("%s's invite: %+v", d.id, m)
		}
	}
}

// bob with two devices, alice with one, carol watching.
func twoDevices(t *testing.T) (o *org, alice, phone, laptop *client) {
	t.Helper()
	o = startOrg(t, Config{}, "alice", "bob", "carol")
	alice, _ = o.connect("alice")
	phone, _ = o.connect("bob")
	laptop, _ = o.connect("bob")
	return o, alice, phone, laptop
}

// Bug 8: every signed-in device of the callee rings; the first to accept
// takes the call, the others stop with answered-elsewhere and can no
// longer act on it; the history says answered on the device that took it
// and answered elsewhere on the other.
func TestEveryDeviceRingsFirstAcceptTakesTheCall(t *testing.T) {
	t.Parallel()
	o, alice, phone, laptop := twoDevices(t)
	carol, _ := o.connect("carol")
	alice.send(&signaling.Message{Type: signaling.TypeInvite, To: "bob", CallID: "c1", E2EE: true})
	for _, d := range []*client{phone, laptop} {
		if m := d.expect(signaling.TypeInvite); m.From != "alice" || !m.E2EE {
			t.Fatalf("%s's invite: %+v", d.id, m)
		}
		d.send(&signaling.Message{Type: signaling.TypeRinging, CallID: "c1"})
	}
	alice.expect(signaling.TypeRinging) // once, not per device
	phone.expectQuiet()                 // both ringing messages have been handled
	laptop.expectQuiet()
	alice.expectQuiet()

	phone.send(&signaling.Message{Type: signaling.TypeAccept, CallID: "c1", E2EE: true, E2EECall: true})
	if m := alice.expect(signaling.TypeAccept); m.From != "bob" || !m.E2EECall {
		t.Fatalf("accept: %+v", m)
	}
	laptop.expectHangup(signaling.ReasonAnsweredElsewhere)
	laptop.send(&signaling.Message{Type: signaling.TypeAccept, ID: "late", CallID: "c1"})
	laptop.expectError(signaling.CodeUnknownCall)

	alice.send(&signaling.Message{Type: signaling.TypeOffer, CallID: "c1", SDP: "v=0", E2EECall: true})
	phone.expect(signaling.TypeOffer)
	phone.send(&signaling.Message{Type: signaling.TypeAnswer, CallID: "c1", SDP: "v=0"})
	alice.expect(signaling.TypeAnswer)
	laptop.expectQuiet()
	phone.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "c1", Reason: signaling.ReasonHangup})
	alice.expectHangup(signaling.ReasonHangup)

	if r := alice.expectRecord("c1"); !r.Outgoing || r.Peer != "bob" || r.PeerName != "Name of bob" || r.Outcome != signaling.OutcomeAnswered || !r.E2EE {
		t.Errorf("alice's record %+v", r)
	}
	if r := phone.expectRecord("c1"); r.Outgoing || r.Peer != "alice" || r.Outcome != signaling.OutcomeAnswered || !r.E2EE {
		t.Errorf("phone's record %+v", r)
	}
	if r := laptop.expectRecord("c1"); r.Outcome != signaling.OutcomeAnsweredElsewhere {
		t.Errorf("laptop's record %+v, want answered-elsewhere", r)
	}
	carol.expectQuiet() // nobody else hears of the call or its record
	// The laptop is free again at once.
	ringAll(alice, "c2", phone, laptop)
}

// Bug 8: a decline on one device declines on all of them.
func TestDeclineOnOneDeviceDeclinesOnAll(t *testing.T) {
	t.Parallel()
	_, alice, phone, laptop := twoDevices(t)
	ringAll(alice, "c1", phone, laptop)
	laptop.send(&signaling.Message{Type: signaling.TypeDecline, CallID: "c1", Reason: signaling.ReasonDeclined})
	if m := alice.expect(signaling.TypeDecline); m.Reason != signaling.ReasonDeclined {
		t.Fatalf("alice: %+v", m)
	}
	phone.expectHangup(signaling.ReasonDeclinedElsewhere)
	for _, c := range []*client{alice, phone, laptop} {
		if r := c.expectRecord("c1"); r.Outcome != signaling.OutcomeDeclined || r.Duration != 0 || r.E2EE {
			t.Errorf("%s's record %+v, want declined", c.id, r)
		}
	}
}

// A device that refuses by itself (its own busy, "only E2EE", its ring
// timeout) stops ringing alone; the others still ring, and when the last
// one refuses the caller hears that refusal.
func TestAutomaticRefusalStopsOnlyThatDevice(t *testing.T) {
	t.Parallel()
	_, alice, phone, laptop := twoDevices(t)
	ringAll(alice, "c1", phone, laptop)
	laptop.send(&signaling.Message{Type: signaling.TypeDecline, CallID: "c1", Reason: signaling.ReasonE2EERequired})
	laptop.expectQuiet() // the server has handled laptop's refusal before phone's accept
	alice.expectQuiet()
	phone.send(&signaling.Message{Type: signaling.TypeAccept, CallID: "c1"})
	alice.expect(signaling.TypeAccept)
	laptop.expectQuiet()
	alice.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "c1"})
	phone.expect(signaling.TypeHangup)

	alice.expectRecord("c1")
	phone.expectRecord("c1")
	laptop.expectRecord("c1")
	ringAll(alice, "c2", phone, laptop)
	phone.send(&signaling.Message{Type: signaling.TypeDecline, CallID: "c2", Reason: signaling.ReasonNoAnswer})
	phone.expectQuiet()
	alice.expectQuiet()
	laptop.send(&signaling.Message{Type: signaling.TypeDecline, CallID: "c2", Reason: signaling.ReasonNoAnswer})
	if m := alice.expect(signaling.TypeDecline); m.Reason != signaling.ReasonNoAnswer {
		t.Fatalf("alice: %+v", m)
	}
	if r := alice.expectRecord("c2"); r.Outcome != signaling.OutcomeMissed {
		t.Errorf("unanswered call reads %q for the caller, want missed", r.Outcome)
	}
}

// A ringing device that disconnects leaves the others ringing; when the
// caller gives up every device stops, and the call is missed for both.
func TestRingingDeviceGoneAndCallerCancels(t *testing.T) {
	t.Parallel()
	o, alice, phone, laptop := twoDevices(t)
	tablet, _ := o.connect("bob")
	alice.send(&signaling.Message{Type: signaling.TypeInvite, To: "bob", CallID: "c1"})
	for _, d := range []*client{phone, laptop, tablet} {
		d.expect(signaling.TypeInvite)
	}
	_ = tablet.conn.Close()
	tablet.awaitClosed()
	alice.expectQuiet()
	alice.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "c1", Reason: signaling.ReasonHangup})
	phone.expectHangup(signaling.ReasonHangup)
	laptop.expectHangup(signaling.ReasonHangup)
	for _, c := range []*client{alice, phone, laptop} {
		if r := c.expectRecord("c1"); r.Outcome != signaling.OutcomeMissed {
			t.Errorf("%s's record %+v, want missed", c.id, r)
		}
	}

	// The last ringing device gone: the caller hears peer-gone.
	ringAll(alice, "c2", phone, laptop)
	_ = phone.conn.Close()
	_ = laptop.conn.Close()
	alice.expectHangup(signaling.ReasonPeerGone)
	if r := alice.expectRecord("c2"); r.Outcome != signaling.OutcomeMissed {
		t.Errorf("alice's record %+v, want missed", r)
	}
}

// A user with a device in a call is busy; a user with no device online
// misses the call, and finds it in the history when signing in.
func TestBusyAndUnreachableAreInTheHistory(t *testing.T) {
	t.Parallel()
	o, alice, phone, laptop := twoDevices(t)
	carol, _ := o.connect("carol")
	ringAll(carol, "c1", phone, laptop)
	laptop.send(&signaling.Message{Type: signaling.TypeAccept, CallID: "c1"})
	carol.expect(signaling.TypeAccept)
	phone.expectHangup(signaling.ReasonAnsweredElsewhere)
	alice.send(&signaling.Message{Type: signaling.TypeInvite, To: "bob", CallID: "c2"})
	if m := alice.expect(signaling.TypeDecline); m.Reason != signaling.ReasonBusy {
		t.Fatalf("alice: %+v", m)
	}
	if r := alice.expectRecord("c2"); r.Outcome != signaling.OutcomeDeclined {
		t.Errorf("alice's record %+v", r)
	}
	for _, d := range []*client{phone, laptop} {
		if r := d.expectRecord("c2"); r.Outcome != signaling.OutcomeMissed || r.Peer != "alice" {
			t.Errorf("%s's record %+v, want missed", d.id, r)
		}
	}
	carol.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "c1"})
	laptop.expect(signaling.TypeHangup)

	_ = phone.conn.Close()
	_ = laptop.conn.Close()
	alice.awaitPresence("bob offline", presenceIs("alice=available", "carol=available"))
	alice.send(&signaling.Message{Type: signaling.TypeInvite, To: "bob", ID: "i3", CallID: "c3"})
	alice.expectError(signaling.CodeUnreachable)
	if r := alice.expectRecord("c3"); r.Outcome != signaling.OutcomeFailed {
		t.Errorf("alice's record %+v, want failed", r)
	}
	bob := o.signIn("bob")
	code, page := o.calls(bob.Token, "")
	if code != http.StatusOK || len(page.Calls) < 1 || page.Calls[0].CallID != "c3" || page.Calls[0].Outcome != signaling.OutcomeMissed {
		t.Fatalf("bob's history after signing in: %d %+v", code, page)
	}
	carol.expectRecord("c1")
}
