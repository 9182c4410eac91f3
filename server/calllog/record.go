package calllog

import (
	"fmt"
	"strconv"
	"time"

	"github.com/parley-voip/parley/signaling"
)

// MaxPage caps the records one List returns.
const MaxPage = 200

// Record is one entry of one user's call history.
type Record struct {
	ID       int64 // assigned by Add, increasing
	User     string
	Peer     string
	PeerName string // the peer's display name when the call ended; may be empty
	CallID   string
	Outgoing bool
	Start    time.Time // when the invite reached the server (millisecond precision)
	Duration time.Duration
	// Outcome for the user as a whole: answered, missed, declined or
	// failed (answered elsewhere is only ever a device's view, Wire).
	Outcome signaling.CallOutcome
	// Device is the user's device (session id) that answered, "" when
	// none did.
	Device string
	E2EE   bool
}

// Validate reports what makes r unfit to store.
func (r Record) Validate() error {
	switch {
	case r.User == "" || r.Peer == "" || r.CallID == "":
		return fmt.Errorf("%w: user, peer and call id are required", ErrInvalidRecord)
	case !r.Outcome.Valid() || r.Outcome == signaling.OutcomeAnsweredElsewhere:
		return fmt.Errorf("%w: outcome %q", ErrInvalidRecord, r.Outcome)
	case r.Duration < 0 || r.Start.IsZero():
		return fmt.Errorf("%w: start and duration", ErrInvalidRecord)
	}
	return nil
}

// Wire is r as device sees it: a call one of the user's other devices
// answered is answered elsewhere.
func (r Record) Wire(device string) signaling.CallRecord {
	out := r.Outcome
	if out == signaling.OutcomeAnswered && r.Device != "" && r.Device != device {
		out = signaling.OutcomeAnsweredElsewhere
	}
	return signaling.CallRecord{
		ID: strconv.FormatInt(r.ID, 10), CallID: r.CallID, Peer: r.Peer, PeerName: r.PeerName, Outgoing: r.Outgoing,
		Start: r.Start.UnixMilli(), Duration: r.Duration.Milliseconds(), Outcome: out, E2EE: r.E2EE,
	}
}
