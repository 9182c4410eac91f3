package server

import (
	"encoding/json"
	"fmt"

	"github.com/parley-voip/parley/server/calllog"
	"github.com/parley-voip/parley/signaling"
)

// envelope is what one node sends another over the Bus, JSON-encoded.
type envelope struct {
	Kind   envelopeKind `json:"k"`
	Node   string       `json:"n"`            // the sender's node id
	To     string       `json:"to,omitempty"` // the user it is for
	Device string       `json:"d,omitempty"`  // kick: the device ("" all)
	Code   int          `json:"c,omitempty"`  // kick: the close status
	Reason string       `json:"r,omitempty"`  // kick: the close reason
	// Frame is a signaling frame, as the server would send it to a client
	// (deliver), or as the sending node's party sent it (call).
	Frame json.RawMessage `json:"f,omitempty"`
	// Users are presence lines of the sender node's own connections.
	Users []signaling.PresenceEntry `json:"u,omitempty"`
	// Record is a call history record for To's devices (record).
	Record *calllog.Record `json:"rec,omitempty"`
}

type envelopeKind string

const (
	kindDeliver  envelopeKind = "deliver"  // Frame to every device of To
	kindKick     envelopeKind = "kick"     // close To's connections (Device)
	kindCall     envelopeKind = "call"     // a call message for To, from Frame.From
	kindRecord   envelopeKind = "record"   // Record, stored, for To's devices
	kindPresence envelopeKind = "presence" // Users changed on Node
	kindHello    envelopeKind = "hello"    // Node started: send me your presence
	kindBeat     envelopeKind = "beat"     // Node is alive
	kindBye      envelopeKind = "bye"      // Node is leaving: its users are offline
)

// maxEnvelopeBytes bounds an envelope: a server frame, or one chunk of
// presence lines, plus the fields around it.
const maxEnvelopeBytes = signaling.MaxServerMessageBytes + 64<<10

// decodeEnvelope parses one envelope; every failure wraps ErrBadEnvelope.
func decodeEnvelope(b []byte) (envelope, error) {
	var e envelope
	if len(b) > maxEnvelopeBytes {
		return e, fmt.Errorf("%w: %d bytes, limit %d", ErrBadEnvelope, len(b), maxEnvelopeBytes)
	}
	if err := json.Unmarshal(b, &e); err != nil {
		return e, fmt.Errorf("%w: %v", ErrBadEnvelope, err)
	}
	switch {
	case e.Node == "":
		return e, fmt.Errorf("%w: no node", ErrBadEnvelope)
	case len(e.Users) > presenceChunk:
		return e, fmt.Errorf("%w: %d presence lines, limit %d", ErrBadEnvelope, len(e.Users), presenceChunk)
	}
	switch e.Kind {
	case kindDeliver, kindCall:
		if e.To == "" || len(e.Frame) == 0 {
			return e, fmt.Errorf("%w: %s without to or frame", ErrBadEnvelope, e.Kind)
		}
	case kindKick:
		if e.To == "" {
			return e, fmt.Errorf("%w: kick without to", ErrBadEnvelope)
		}
	case kindRecord:
		if e.Record == nil || e.Record.User == "" {
			return e, fmt.Errorf("%w: record without a user", ErrBadEnvelope)
		}
	case kindPresence, kindHello, kindBeat, kindBye:
	default:
		return e, fmt.Errorf("%w: unknown kind %q", ErrBadEnvelope, e.Kind)
	}
	return e, nil
}

func encodeEnvelope(e *envelope) []byte {
	b, err := json.Marshal(e)
	if err != nil {
		panic(err) // only strings, ints and valid frames
	}
	return b
}
