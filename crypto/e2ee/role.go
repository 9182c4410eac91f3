package e2ee

import "strconv"

// Role says which side of the handshake this endpoint plays. The caller is
// the Initiator; the zero value is invalid so that a forgotten Role is
// caught by Config.Validate instead of silently picking a side.
type Role uint8

// Roles.
const (
	Initiator Role = iota + 1
	Responder
)

func (r Role) String() string {
	switch r {
	case Initiator:
		return "initiator"
	case Responder:
		return "responder"
	default:
		return "Role(" + strconv.Itoa(int(r)) + ")"
	}
}

func (r Role) valid() bool { return r == Initiator || r == Responder }
