package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/parley-voip/parley/signaling"
)

var (
	allStates = append(append([]CallState(nil), liveStates...), CallEnded)
	allRoles  = []role{caller, callee}
	allPaths  = []path{directPlain, directE2EE, service}
)

func allEvents() []callEvent {
	var evs []callEvent
	for e := callEvent(1); e < numCallEvents; e++ {
		evs = append(evs, e)
	}
	return evs
}

func (r role) String() string {
	switch r {
	case caller:
		return "caller"
	case callee:
		return "callee"
	}
	return "either"
}

func (p path) String() string {
	switch p {
	case direct:
		return "direct"
	case directPlain:
		return "direct, not E2EE"
	case directE2EE:
		return "direct, E2EE"
	case service:
		return "service"
	}
	return "either"
}

func testCall(s CallState, who role, via path) *call {
	return &call{state: s, info: CallInfo{ID: "c1", Outgoing: who == caller}, service: via == service,
		wantE2EE: via == directE2EE, remoteE2EE: via == directE2EE}
}

// Every (state, event, role, path) is either one row of the table, and
// moves the call where the row says, or refused with a *RefusedError that
// leaves the state as it was. No two rows disagree about one case.
func TestCallTableEveryPair(t *testing.T) {
	for _, s := range allStates {
		for _, ev := range allEvents() {
			for _, who := range allRoles {
				for _, via := range allPaths {
					var match []callRule
					for _, r := range transitions[s][ev] {
						if (r.who == anyRole || r.who == who) && r.via.holds(via) {
							match = append(match, r)
						}
					}
					k := testCall(s, who, via)
					err := k.step(ev)
					name := fmt.Sprintf("%v/%v/%v/%v", s, ev, who, via)
					switch len(match) {
					case 0:
						var re *RefusedError
						if !errors.As(err, &re) || !errors.Is(err, ErrRefused) || re.State != s || re.Event != ev.String() {
							t.Errorf("%s: not in the table, want a RefusedError, got %v", name, err)
						}
						if k.state != s {
							t.Errorf("%s: refused, but the state moved to %v", name, k.state)
						}
					case 1:
						want := match[0].to
						if want == CallEnded && ev != evEnd {
							want = s // the handler ends the call through end
						}
						if err != nil || k.state != want {
							t.Errorf("%s: got %v, %v; want %v", name, k.state, err, want)
						}
					default:
						t.Errorf("%s: %d rows match: %v", name, len(match), match)
					}
				}
			}
		}
	}
}

// The table is whole: every event is accepted somewhere, every state is
// reached from the start of a call, and every live state can end.
func TestCallTableShape(t *testing.T) {
	used := map[callEvent]bool{}
	for _, rs := range transitions {
		for ev := range rs {
			used[ev] = true
		}
	}
	for _, ev := range allEvents() {
		if !used[ev] {
			t.Errorf("event %v is accepted in no state", ev)
		}
		if strings.HasPrefix(ev.String(), "event(") {
			t.Errorf("event %d has no name", ev)
		}
	}
	reached := map[CallState]bool{CallDialing: true, CallIncoming: true}
	for changed := true; changed; {
		changed = false
		for from, rs := range transitions {
			for _, list := range rs {
				for _, r := range list {
					if reached[from] && !reached[r.to] {
						reached[r.to], changed = true, true
					}
				}
			}
		}
	}
	for _, s := range allStates {
		if !reached[s] {
			t.Errorf("state %v cannot be reached", s)
		}
	}
	for _, s := range liveStates {
		k := testCall(s, caller, directPlain)
		if err := k.step(evEnd); err != nil || k.state != CallEnded {
			t.Errorf("%v: end gave %v, %v", s, k.state, err)
		}
	}
	if len(transitions[CallEnded]) != 0 {
		t.Errorf("the final state accepts %v", transitions[CallEnded])
	}
}

// An E2EE call attaches media only once its key agreement ran (Securing),
// and a plain or service call never runs one: the table itself says so.
func TestE2EEMediaOnlyAfterSecuring(t *testing.T) {
	for _, s := range allStates {
		for _, who := range allRoles {
			for _, via := range allPaths {
				k := testCall(s, who, via)
				media := k.accepts(evAttach) == nil || k.accepts(evMediaUp) == nil
				if via == directE2EE && media && s != CallSecuring {
					t.Errorf("%v/%v: an E2EE call attaches media while %v", who, via, s)
				}
				if via != directE2EE && (k.accepts(evSecuring) == nil || k.accepts(evKeyAgreement) == nil) {
					t.Errorf("%v/%v: a call without E2EE runs a key agreement while %v", who, via, s)
				}
			}
		}
	}
	k := testCall(CallConnecting, callee, directE2EE)
	for _, ev := range []callEvent{evAttach, evMediaUp} {
		if err := k.step(ev); !errors.Is(err, ErrRefused) || k.state != CallConnecting {
			t.Fatalf("%v before the key agreement: %v, %v", ev, err, k.state)
		}
	}
}

// sentConn records what a Client sends.
type sentConn struct {
	mu   sync.Mutex
	sent []*signaling.Message
}

func (s *sentConn) Send(_ context.Context, m *signaling.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, m)
	return nil
}
func (s *sentConn) Recv(ctx context.Context) (*signaling.Message, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}
func (s *sentConn) Close() error { return nil }

// lateMessages are every call message the other side or the media service
// can send, for call c1 from mallory.
func lateMessages() []*signaling.Message {
	var ms []*signaling.Message
	for _, t := range []signaling.Type{signaling.TypeRinging, signaling.TypeAccept, signaling.TypeDecline,
		signaling.TypeMediaState, signaling.TypeOffer, signaling.TypeProceed, signaling.TypeAnswer,
		signaling.TypeCandidate, signaling.TypeKeyAgreement, signaling.TypeHangup,
		signaling.TypeMediaOffer, signaling.TypeMediaCandidate, signaling.TypeRoster, signaling.TypeMerged} {
		m := &signaling.Message{Type: t, CallID: "c1", From: "mallory", Reason: signaling.ReasonE2EEFailed,
			SDP: "v=0", Data: []byte{1}, Candidate: &signaling.Candidate{Candidate: "candidate:1"},
			Media: &signaling.MediaState{Held: true}, Merge: "c1", Roster: []signaling.RosterEntry{{ID: "eve"}}}
		ms = append(ms, m)
	}
	ms = append(ms, &signaling.Message{Type: signaling.TypeError, CallID: "c1",
		Error: &signaling.ErrorInfo{Code: signaling.CodeUnknownCall}})
	return ms
}

// A call that ended stays as it ended: a late or duplicate message of any
// kind, or a second end, changes nothing, sends nothing and reports
// nothing.
func TestEndedCallIgnoresLateMessages(t *testing.T) {
	for _, via := range allPaths {
		for _, who := range allRoles {
			ev := newEvents()
			conn := &sentConn{}
			c := &Client{log: slog.New(slog.NewTextHandler(io.Discard, nil)), conn: conn}
			c.cfg.Listener = ev
			k := testCall(CallEnded, who, via)
			k.info.Peer = Contact{ID: "mallory"}
			k.info.End = EndRemoteHangup
			c.call = k
			before := k.snapshot()
			for _, m := range lateMessages() {
				c.handle(m)
			}
			c.end(k, ending{reason: EndE2EEFailed})
			c.hangup()
			c.decline()
			c.accept()
			if got := k.snapshot(); got.State != CallEnded || got.End != before.End || got.EndDetail != before.EndDetail {
				t.Errorf("%v/%v: the ended call became %v (%v)", who, via, got.State, got.End)
			}
			if len(conn.sent) != 0 || len(ev.calls) != 0 {
				t.Errorf("%v/%v: sent %d messages, reported %d changes", who, via, len(conn.sent), len(ev.calls))
			}
		}
	}
}

// Every end reason is in the one table; each one that comes from the other
// side maps back from its wire reason, and every wire reason maps to one.
func TestEndReasonWireRoundTrip(t *testing.T) {
	n := 0
	for r := EndNone + 1; r.Message() != ""; r++ {
		n++
		w, ok := endWire[r]
		if !ok {
			t.Errorf("%v (%q) is not in endWire", r, r.Message())
			continue
		}
		if w.from != "" {
			if got, ok := reasonFromWire(w.from); !ok || got != r {
				t.Errorf("%q reads as %v, want %v", w.from, got, r)
			}
		}
		if w.sent != "" {
			if _, ok := reasonFromWire(w.sent); !ok {
				t.Errorf("%q is sent as %q, which the other side does not know", r.Message(), w.sent)
			}
		}
	}
	if n != len(endWire) {
		t.Errorf("%d end reasons, endWire has %d", n, len(endWire))
	}
	for _, w := range []signaling.Reason{signaling.ReasonDeclined, signaling.ReasonBusy, signaling.ReasonHangup,
		signaling.ReasonPeerGone, signaling.ReasonPeerLost, signaling.ReasonNoAnswer, signaling.ReasonAnsweredElsewhere,
		signaling.ReasonDeclinedElsewhere, signaling.ReasonUnreachable, signaling.ReasonE2EEFailed,
		signaling.ReasonE2EERequired, signaling.ReasonE2EEMismatch, signaling.ReasonError} {
		if _, ok := reasonFromWire(w); !ok {
			t.Errorf("wire reason %q maps to no end reason", w)
		}
	}
	if r, ok := reasonFromWire("from-a-newer-client"); ok {
		t.Errorf("an unknown reason reads as %v", r)
	}
}

// What this side sends when it ends a call is what the other side shows:
// each sent reason, from each state it can be sent in, through the wire
// and back.
func TestEndReasonsAsTheOtherSideSeesThem(t *testing.T) {
	type side struct {
		s   CallState
		who role
	}
	ringing := []side{{CallDialing, caller}, {CallIncoming, callee}}
	inCall := []side{{CallConnecting, caller}, {CallConnecting, callee}}
	cases := []struct {
		r     EndReason
		us    side
		them  side
		sees  EndReason
		wantT signaling.Type
	}{
		{EndHangup, ringing[0], ringing[1], EndCancelled, signaling.TypeHangup},
		{EndHangup, ringing[1], ringing[0], EndRemoteHangup, signaling.TypeHangup}, // the callee quits while it rings
		{EndE2EEMismatch, ringing[1], ringing[0], EndE2EEMismatch, signaling.TypeHangup},
		{EndHangup, inCall[0], inCall[1], EndRemoteHangup, signaling.TypeHangup},
		{EndHangup, inCall[1], inCall[0], EndRemoteHangup, signaling.TypeHangup},
		{EndDeclined, ringing[1], ringing[0], EndDeclined, signaling.TypeDecline},
		{EndBusy, ringing[1], ringing[0], EndBusy, signaling.TypeDecline},
		{EndNoAnswer, ringing[0], ringing[1], EndCancelled, signaling.TypeHangup},
		{EndCancelled, ringing[1], ringing[0], EndNoAnswer, signaling.TypeDecline},
		{EndE2EERequired, ringing[1], ringing[0], EndE2EERequired, signaling.TypeDecline},
		{EndE2EERequired, inCall[0], inCall[1], EndE2EERequired, signaling.TypeHangup},
		{EndE2EEMismatch, inCall[0], inCall[1], EndE2EEMismatch, signaling.TypeHangup},
		{EndE2EEMismatch, inCall[1], inCall[0], EndE2EEMismatch, signaling.TypeHangup},
		{EndE2EEFailed, side{CallSecuring, caller}, side{CallSecuring, callee}, EndE2EEFailed, signaling.TypeHangup},
		{EndConnectionFailed, inCall[0], inCall[1], EndRemoteHangup, signaling.TypeHangup},
		{EndError, inCall[1], inCall[0], EndRemoteHangup, signaling.TypeHangup},
	}
	sent := map[EndReason]bool{}
	for _, tc := range cases {
		sent[tc.r] = true
		typ, w, ok := toWire(tc.r, tc.us.s, tc.us.who)
		if !ok || typ != tc.wantT {
			t.Errorf("%v from %v: sent %v %q (%v), want %v", tc.r, tc.us.s, typ, w, ok, tc.wantT)
			continue
		}
		if got := peerEnded(typ, w, tc.them.s, tc.them.who); got != tc.sees {
			t.Errorf("%v from %v: the other side (%v) sees %v, want %v", tc.r, tc.us.s, tc.them.s, got, tc.sees)
		}
	}
	for r, w := range endWire {
		if w.sent != "" && !sent[r] {
			t.Errorf("%v is sent but not checked here", r)
		}
		if w.sent == "" {
			if _, _, ok := toWire(r, CallActive, caller); ok {
				t.Errorf("%v is never sent, but toWire sends it", r)
			}
		}
	}
}

// docs/client.md shows the table as it is.
func TestCallTableDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/client.md")
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- calltable -->\n", "<!-- /calltable -->"
	s := string(doc)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("docs/client.md has no %q … %q section", begin, end)
	}
	if got, want := s[i+len(begin):j], renderCallTable(); got != want {
		t.Errorf("docs/client.md's call table is out of date; it should read:\n%s", want)
	}
}

var stateNames = map[CallState]string{CallDialing: "Dialing", CallRinging: "Ringing", CallIncoming: "Incoming",
	CallConnecting: "Connecting", CallSecuring: "Securing", CallActive: "Active", CallEnded: "Ended",
	CallTransferring: "Transferring", CallParking: "Parking"}

// renderCallTable is the table as Markdown, as docs/client.md has it.
func renderCallTable() string {
	var b strings.Builder
	b.WriteString("| State | Event | Role | Path | Next |\n|---|---|---|---|---|\n")
	row := func(from string, r callRule) {
		to := stateNames[r.to]
		if r.to == 0 || r.to == r.from {
			to = "(stays)"
		}
		if r.to == CallEnded && r.ev != evEnd {
			to = "Ended (by end)"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", from, r.ev, r.who, r.via, to)
	}
	for _, r := range callTable {
		row(stateNames[r.from], r)
	}
	for _, r := range everyLiveState {
		row("every live state", r)
	}
	return b.String()
}

// Active means the media path is up: on every path the one way into it is
// media-up, which mediaUp steps only when the media is attached and the
// connection is up (ICE and DTLS done). A transfer or park the server
// refused goes back to Active: those states are entered only from it,
// with the media up, and keep it.
func TestActiveOnlyByMediaUp(t *testing.T) {
	enteredFrom := map[CallState]map[CallState]bool{}
	for from, rs := range transitions {
		for _, list := range rs {
			for _, r := range list {
				if r.to != from {
					if enteredFrom[r.to] == nil {
						enteredFrom[r.to] = map[CallState]bool{}
					}
					enteredFrom[r.to][from] = true
				}
			}
		}
	}
	onlyFromActive := map[CallState]bool{}
	for to, froms := range enteredFrom {
		onlyFromActive[to] = len(froms) == 1 && froms[CallActive]
	}
	for _, s := range []CallState{CallTransferring, CallParking} {
		if !onlyFromActive[s] {
			t.Errorf("%v is entered from a state other than Active", s)
		}
	}
	for from, rs := range transitions {
		for ev, list := range rs {
			for _, r := range list {
				if r.to == CallActive && from != CallActive && ev != evMediaUp && !onlyFromActive[from] {
					t.Errorf("%v enters Active from %v", ev, from)
				}
			}
		}
	}
	for _, via := range allPaths {
		from := CallConnecting
		if via == directE2EE {
			from = CallSecuring
		}
		for _, ev := range []callEvent{evAttach, evPathUp} {
			k := testCall(from, caller, via)
			if err := k.step(ev); err != nil || k.state != from {
				t.Errorf("%v/%v: %v moved the call to %v (%v), want it to stay until media-up", via, from, ev, k.state, err)
			}
		}
	}
}
