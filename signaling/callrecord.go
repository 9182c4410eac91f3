package signaling

// TypeCallRecord (server→client, to every device of the user when a call
// ends): Call, one new entry of the user's call history.
const TypeCallRecord Type = "call-record"

// CallOutcome is how a call ended for one user, as their call history
// shows it.
type CallOutcome string

// Call outcomes. Answered elsewhere is answered as seen from the user's
// other devices: the server says which device took the call.
const (
	OutcomeAnswered          CallOutcome = "answered"
	OutcomeMissed            CallOutcome = "missed"   // not answered: nobody picked up, the caller gave up, or the callee was busy or offline
	OutcomeDeclined          CallOutcome = "declined" // the callee turned it down
	OutcomeAnsweredElsewhere CallOutcome = "answered-elsewhere"
	OutcomeFailed            CallOutcome = "failed" // refused or broken: unreachable, E2EE required or failed, an error
)

// Valid reports whether o is one of the outcomes above.
func (o CallOutcome) Valid() bool {
	switch o {
	case OutcomeAnswered, OutcomeMissed, OutcomeDeclined, OutcomeAnsweredElsewhere, OutcomeFailed:
		return true
	}
	return false
}

// CallRecord is one entry of a user's call history, as the server keeps it
// (GET /api/calls) and pushes it to every device of the user when a call
// ends (call-record).
type CallRecord struct {
	ID       string      `json:"id"`                  // decimal, assigned by the server
	CallID   string      `json:"call_id"`             // the call's signaling id
	Peer     string      `json:"peer"`                // the other party's user id
	PeerName string      `json:"peer_name,omitempty"` // their display name when the call ended
	Outgoing bool        `json:"outgoing,omitempty"`
	Start    int64       `json:"start"`    // Unix milliseconds: when the invite reached the server
	Duration int64       `json:"duration"` // milliseconds from accept to end; 0 unless answered
	Outcome  CallOutcome `json:"outcome"`
	// E2EE: both clients said the call was end-to-end encrypted (the
	// callee in accept, the caller in offer). It is their claim: the
	// server cannot see the media.
	E2EE bool `json:"e2ee,omitempty"`
	// Recordings are the ids of the call's recordings the user may
	// download (GET /api/recordings/{id}); in GET /api/calls only.
	Recordings []string `json:"recordings,omitempty"`
	// Transcript: the call had live captions and the user may download
	// their transcript (GET /api/transcripts/{call_id}); in GET /api/calls
	// only.
	Transcript bool `json:"transcript,omitempty"`
}

// callRecord checks a call record's fields.
func (v *validator) callRecord(r *CallRecord) {
	v.id("call.id", r.ID)
	v.id("call.call_id", r.CallID)
	v.id("call.peer", r.Peer)
	v.text("call.peer_name", r.PeerName, MaxNameLen)
	v.length("call.recordings", len(r.Recordings), MaxCallRecordings)
	for _, id := range r.Recordings {
		v.id("call.recordings", id)
	}
	switch {
	case r.ID == "" || r.CallID == "" || r.Peer == "":
		v.fail("call", ErrMissingField)
	case !r.Outcome.Valid():
		v.fail("call.outcome", ErrInvalidField)
	case r.Start < 0 || r.Duration < 0:
		v.fail("call.start", ErrInvalidField)
	}
}
