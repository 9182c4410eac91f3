package app

import "fmt"

// The call state machine. A call is in exactly one CallState; what moves it
// is a callEvent: a message from the other side, from the media service,
// an action of this user, or a step inside the client (a timer, the media
// attached). callTable says, for each state, which events it accepts, for
// which role (caller or callee) and media path (direct, with or without
// E2EE, or through the media service), and the state each moves to.
// That an E2EE call attaches media only after its key agreement (Securing),
// and that a call is Active only once its media path is up (media-up:
// attached, and ICE connected with DTLS done), are properties of the
// table, not only of the code that calls startMedia. Every event goes through
// Client.step, which refuses what the table does not hold with a
// *RefusedError, the one place such messages are ignored; and every call
// ends through Client.end (callend.go), the one way into CallEnded. The
// table is drawn in docs/client.md.

// CallState is where a call is in its life.
type CallState int

const (
	CallDialing    CallState = iota + 1 // invite sent, callee not yet ringing
	CallRinging                         // callee's phone rings (caller side)
	CallIncoming                        // someone calls us, waiting for accept/decline
	CallConnecting                      // accepted: SDP, ICE and DTLS under way
	CallSecuring                        // E2EE: key agreement, then ICE and DTLS; no media yet
	CallActive                          // the media path is up: ICE connected, DTLS done
	// Call control (callcontrol.go): this user asked the server to hand
	// the call on; the server's hangup (transferred, parked) ends this
	// side's part, its refusal brings the call back to Active.
	CallTransferring // transfer (blind, safe, or completing a consult) sent
	CallParking      // park sent
	CallEnded        // final: nothing is accepted
)

// liveStates are the states a call can be in before it ends.
var liveStates = []CallState{CallDialing, CallRinging, CallIncoming, CallConnecting, CallSecuring, CallActive,
	CallTransferring, CallParking}

func (s CallState) String() string {
	switch s {
	case CallDialing:
		return "Calling…"
	case CallRinging:
		return "Ringing…"
	case CallIncoming:
		return "Incoming call"
	case CallConnecting:
		return "Connecting…"
	case CallSecuring:
		return "Securing the call…"
	case CallActive:
		return "Connected"
	case CallTransferring:
		return "Transferring…"
	case CallParking:
		return "Parking…"
	case CallEnded:
		return "Call ended"
	}
	return "unknown"
}

// callEvent is something that happens to a call.
type callEvent uint8

const (
	// From the other side, through the server (callflow.go).
	evRinging      callEvent = iota + 1 // ringing: the callee's phone rings
	evAccepted                          // accept: the callee answered
	evOffer                             // offer: the caller's SDP, or its ICE-restart offer
	evProceed                           // proceed: the caller takes the call through the media service
	evAnswer                            // answer: to our offer or our ICE restart
	evCandidate                         // candidate: an ICE candidate of the other side
	evKeyAgreement                      // e2ee: a key-agreement message (callsecure.go)
	evPeerMedia                         // media-state: the other side's mute and hold
	evDeclined                          // decline: the call was refused
	evRemoteHangup                      // hangup: the other side (or the server) ended it
	evServerError                       // an error from the server about the call
	// From the media service (callservice.go).
	evServiceOffer     // media-offer
	evServiceCandidate // media-candidate
	evRoster           // roster: who is in the call
	evMerged           // merged: the call was merged into another
	evControl          // call-control: a transfer, park or move of the call (callcontrol.go)
	evControlRefused   // the server refused this user's transfer or park
	// From this user.
	evAccept    // Accept
	evDecline   // Decline
	evHangup    // Hangup (or the client stopping)
	evMute      // SetMuted
	evHold      // SetHeld
	evSetAside  // placing another call while this one is held (callservice.go)
	evAddPeople // AddPeople
	evMerge     // Merge
	evRecord    // StartRecording, StopRecording
	evCaptions  // SetCaptions
	evTransfer  // Transfer, CompleteConsult
	evPark      // Park
	// Inside the client.
	evRingTimeout  // nobody answered within RingTimeout
	evSetupTimeout // accepted, but no media within SetupTimeout
	evSecuring     // the E2EE handshake started
	evAttach       // media attached to the audio engine (E2EE: after the key agreement)
	evPathUp       // the connection is up: ICE connected, DTLS done, the certificate matched the fingerprint
	evMediaUp      // both: media attached and its path up (mediaUp, callmedia.go)
	evConnLost     // ICE reported the connection disconnected or failed (icerestart.go)
	evRestartICE   // the caller restarts ICE on a lost direct call
	evLinkLost     // the server link dropped; the call waits for it (resume.go)
	evEnd          // end(reason): the one way into CallEnded

	numCallEvents
)

var eventNames = [numCallEvents]string{
	evRinging: "ringing", evAccepted: "accepted", evOffer: "offer", evProceed: "proceed",
	evAnswer: "answer", evCandidate: "candidate", evKeyAgreement: "key-agreement",
	evPeerMedia: "peer-media-state", evDeclined: "declined", evRemoteHangup: "remote-hangup",
	evServerError: "server-error", evServiceOffer: "service-offer",
	evServiceCandidate: "service-candidate", evRoster: "roster", evMerged: "merged",
	evControl: "call-control", evControlRefused: "control-refused", evTransfer: "transfer", evPark: "park",
	evAccept: "accept", evDecline: "decline", evHangup: "hangup", evMute: "mute", evHold: "hold",
	evSetAside: "set-aside", evAddPeople: "add-people", evMerge: "merge", evRecord: "record",
	evCaptions:    "captions",
	evRingTimeout: "ring-timeout", evSetupTimeout: "setup-timeout", evSecuring: "securing",
	evAttach: "attach", evPathUp: "path-up", evMediaUp: "media-up", evConnLost: "connection-lost", evRestartICE: "restart-ice",
	evLinkLost: "link-lost", evEnd: "end",
}

func (e callEvent) String() string {
	if e < numCallEvents && eventNames[e] != "" {
		return eventNames[e]
	}
	return fmt.Sprintf("event(%d)", e)
}

// role is which side of the call this client is; a row may hold for one.
type role uint8

const (
	anyRole role = iota
	caller
	callee
)

// path is how a call's media goes; a row may hold for one. A call is on
// the direct path until it joins the media service, and E2EE from the
// moment both sides' choices are known to be on (accept).
type path uint8

const (
	anyPath     path = iota
	direct           // directPlain or directE2EE
	directPlain      // peer to peer, without E2EE
	directE2EE       // peer to peer, end-to-end encrypted
	service          // through the media service (never E2EE)
)

// holds reports whether a row for path p holds for a call on path q.
func (p path) holds(q path) bool {
	return p == anyPath || p == q || p == direct && (q == directPlain || q == directE2EE)
}

// callRule is one row of callTable: in state from, event ev (by a call in
// role who on path via) is accepted and moves the call to to. A row whose
// to is CallEnded is an event whose handler ends the call through end.
type callRule struct {
	from CallState
	ev   callEvent
	who  role
	via  path
	to   CallState
}

// callTable is the call state machine. Transfer, park and device moves
// become rows (and states) here. Any handler may also end the call on a
// failure (end), which is accepted in every live state.
var callTable = []callRule{
	// Placing a call.
	{CallDialing, evRinging, caller, anyPath, CallRinging},
	{CallDialing, evAccepted, caller, anyPath, CallConnecting},
	{CallRinging, evAccepted, caller, anyPath, CallConnecting},
	{CallDialing, evDeclined, caller, anyPath, CallEnded},
	{CallRinging, evDeclined, caller, anyPath, CallEnded},
	{CallDialing, evRingTimeout, caller, anyPath, CallEnded},
	{CallRinging, evRingTimeout, caller, anyPath, CallEnded},

	// Being called.
	{CallIncoming, evAccept, callee, anyPath, CallConnecting},
	{CallIncoming, evDecline, callee, anyPath, CallEnded},
	{CallIncoming, evRingTimeout, callee, anyPath, CallEnded},

	// Setting up, directly: the caller offers, the callee answers; with
	// E2EE both then run the key agreement (Securing). Media attaches
	// once the answer is there (E2EE: once the keys are agreed), and the
	// path comes up when ICE and DTLS are done, in either order; the call
	// is Active only when both are (media-up), so a call with no media
	// path never shows as connected.
	{CallConnecting, evOffer, callee, direct, CallConnecting},
	{CallConnecting, evAnswer, caller, direct, CallConnecting},
	{CallConnecting, evSecuring, anyRole, directE2EE, CallSecuring},
	{CallConnecting, evAttach, anyRole, directPlain, CallConnecting},
	{CallConnecting, evAttach, anyRole, service, CallConnecting},
	{CallSecuring, evAttach, anyRole, directE2EE, CallSecuring},
	{CallConnecting, evPathUp, anyRole, anyPath, CallConnecting},
	{CallSecuring, evPathUp, anyRole, directE2EE, CallSecuring},
	{CallConnecting, evMediaUp, anyRole, directPlain, CallActive},
	{CallConnecting, evMediaUp, anyRole, service, CallActive},
	{CallSecuring, evMediaUp, anyRole, directE2EE, CallActive},
	{CallConnecting, evCandidate, anyRole, direct, CallConnecting},
	{CallSecuring, evCandidate, anyRole, direct, CallSecuring},
	{CallActive, evCandidate, anyRole, direct, CallActive},
	// A key-agreement message outside Securing and Active is not ignored:
	// it fails the call (refusedStrict).
	{CallSecuring, evKeyAgreement, anyRole, directE2EE, CallSecuring},
	{CallActive, evKeyAgreement, anyRole, directE2EE, CallActive}, // late or duplicate: the handshake says
	{CallConnecting, evSetupTimeout, anyRole, anyPath, CallEnded},
	{CallSecuring, evSetupTimeout, anyRole, anyPath, CallEnded},

	// Setting up through the media service: the caller says proceed,
	// both join, and the service makes the offers.
	{CallConnecting, evProceed, callee, direct, CallConnecting},
	{CallConnecting, evServiceOffer, anyRole, service, CallConnecting},
	{CallConnecting, evServiceCandidate, anyRole, service, CallConnecting},
	{CallConnecting, evRoster, anyRole, service, CallConnecting},

	// In the call. Media attaches again when a call set aside comes back;
	// the path comes up again after it was lost (icerestart.go).
	{CallActive, evAttach, anyRole, service, CallActive},
	{CallActive, evPathUp, anyRole, anyPath, CallActive},
	{CallActive, evOffer, callee, direct, CallActive},  // an ICE restart
	{CallActive, evAnswer, caller, direct, CallActive}, // to our ICE restart
	{CallActive, evRestartICE, caller, direct, CallActive},
	{CallActive, evServiceOffer, anyRole, service, CallActive}, // people join or leave
	{CallActive, evServiceCandidate, anyRole, service, CallActive},
	{CallActive, evRoster, anyRole, service, CallActive},
	{CallActive, evMerged, anyRole, service, CallActive},
	{CallActive, evHold, anyRole, service, CallActive},
	{CallActive, evSetAside, anyRole, service, CallActive},
	{CallActive, evAddPeople, anyRole, service, CallActive},
	{CallActive, evMerge, anyRole, service, CallActive},
	{CallActive, evRecord, anyRole, anyPath, CallActive},
	{CallActive, evCaptions, anyRole, service, CallActive},

	// Call control (callcontrol.go), standard calls through the media
	// service only. This user hands the call on: transfer (blind, safe,
	// or the consult call completing a consult transfer) or park; the
	// server's hangup (transferred, parked) ends this side, its refusal
	// brings the call back. The other party's notices (transferring,
	// transferred, parked, picked up, ring back) change who is on the
	// other end and what the screen says, never the state. A call taken
	// by a pickup, a device move or a control invite starts at
	// Connecting and joins the service like any other.
	{CallActive, evTransfer, anyRole, service, CallTransferring},
	{CallActive, evPark, anyRole, service, CallParking},
	{CallTransferring, evControlRefused, anyRole, service, CallActive},
	{CallParking, evControlRefused, anyRole, service, CallActive},
	{CallConnecting, evControl, anyRole, service, CallConnecting},
	{CallActive, evControl, anyRole, service, CallActive},
	{CallTransferring, evControl, anyRole, service, CallTransferring},
	{CallParking, evControl, anyRole, service, CallParking},
	// The media goes on while the server acts.
	{CallTransferring, evServiceOffer, anyRole, service, CallTransferring},
	{CallTransferring, evServiceCandidate, anyRole, service, CallTransferring},
	{CallTransferring, evRoster, anyRole, service, CallTransferring},
	{CallParking, evServiceOffer, anyRole, service, CallParking},
	{CallParking, evServiceCandidate, anyRole, service, CallParking},
	{CallParking, evRoster, anyRole, service, CallParking},
	// A lost server link is waited for (resume.go): the server's answer
	// comes on the new one.
	{CallTransferring, evLinkLost, anyRole, service, CallTransferring},
	{CallParking, evLinkLost, anyRole, service, CallParking},

	// The connection: lost before media it fails the call; lost after,
	// it is recovered (icerestart.go). A lost server link is waited for
	// once the call is accepted (resume.go).
	{CallConnecting, evConnLost, anyRole, anyPath, CallConnecting},
	{CallSecuring, evConnLost, anyRole, anyPath, CallSecuring},
	{CallActive, evConnLost, anyRole, anyPath, CallActive},
	{CallConnecting, evLinkLost, anyRole, anyPath, CallConnecting},
	{CallSecuring, evLinkLost, anyRole, anyPath, CallSecuring},
	{CallActive, evLinkLost, anyRole, anyPath, CallActive},
}

// everyLiveState are rows that hold in every state but CallEnded: the
// other side's mute and hold, its hangup, the server's errors, this
// user's hangup and mute, holding on the direct path (told to the other
// side once accepted), and end.
var everyLiveState = []callRule{
	{ev: evPeerMedia, who: anyRole, via: anyPath},
	{ev: evRemoteHangup, who: anyRole, via: anyPath, to: CallEnded},
	{ev: evServerError, who: anyRole, via: anyPath, to: CallEnded},
	{ev: evHangup, who: anyRole, via: anyPath, to: CallEnded},
	{ev: evMute, who: anyRole, via: anyPath},
	{ev: evHold, who: anyRole, via: direct},
	{ev: evEnd, who: anyRole, via: anyPath, to: CallEnded},
}

// strictEvents fail the call when refused in a live state, instead of
// being ignored: a key-agreement message where none is expected could be
// a downgrade, and is never let pass silently (callsecure.go).
var strictEvents = map[callEvent]bool{evKeyAgreement: true}

// transitions is callTable with everyLiveState expanded, by state and
// event; a zero target means "stays".
var transitions = buildTransitions()

func buildTransitions() map[CallState]map[callEvent][]callRule {
	t := map[CallState]map[callEvent][]callRule{}
	add := func(r callRule) {
		if r.to == 0 {
			r.to = r.from
		}
		if t[r.from] == nil {
			t[r.from] = map[callEvent][]callRule{}
		}
		t[r.from][r.ev] = append(t[r.from][r.ev], r)
	}
	for _, r := range callTable {
		add(r)
	}
	for _, s := range liveStates {
		for _, r := range everyLiveState {
			r.from = s
			add(r)
		}
	}
	return t
}

// RefusedError is an event the call's state does not accept: a late or
// duplicate message, or an action that does not apply now. It changes
// nothing.
type RefusedError struct {
	State CallState
	Event string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("call: %s not accepted while %s", e.Event, e.State)
}

// Is makes every RefusedError match ErrRefused.
func (e *RefusedError) Is(target error) bool { return target == ErrRefused }

// role and path of k for the table.
func (k *call) role() role {
	if k.info.Outgoing {
		return caller
	}
	return callee
}

func (k *call) path() path {
	switch {
	case k.service:
		return service
	case k.e2ee():
		return directE2EE
	}
	return directPlain
}

// rule finds the row accepting ev for k in its state, or a *RefusedError.
func (k *call) rule(ev callEvent) (callRule, error) {
	for _, r := range transitions[k.state][ev] {
		if (r.who == anyRole || r.who == k.role()) && r.via.holds(k.path()) {
			return r, nil
		}
	}
	return callRule{}, &RefusedError{State: k.state, Event: ev.String()}
}

// accepts reports whether k's state accepts ev now, without moving it.
func (k *call) accepts(ev callEvent) error {
	_, err := k.rule(ev)
	return err
}

// step applies ev to k: it moves k to the row's state, or refuses ev with
// a *RefusedError and changes nothing. It is the only place a call's state
// is set. CallEnded is only entered by evEnd, from end, which cleans up: a
// row that ends the call leaves that to its handler.
func (k *call) step(ev callEvent) error {
	r, err := k.rule(ev)
	if err != nil {
		return err
	}
	if r.to != CallEnded || ev == evEnd {
		k.state = r.to
	}
	return nil
}

// underWay reports whether k was accepted and has not ended.
func (k *call) underWay() bool {
	switch k.state {
	case CallConnecting, CallSecuring, CallActive, CallTransferring, CallParking:
		return true
	}
	return false
}

// ended reports whether k is over.
func (k *call) ended() bool { return k.state == CallEnded }
