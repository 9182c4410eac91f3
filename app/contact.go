package app

import "github.com/parley-voip/parley/signaling"

// Presence is what a contact is doing, as the server reports it.
type Presence int

const (
	PresenceOffline Presence = iota
	PresenceOnline           // available
	PresenceInCall
	PresenceBusy // chosen by the user; calls still ring, as in Teams
	PresenceAway // chosen by the user
)

// PresenceAvailable is PresenceOnline under the name the status menu uses.
const PresenceAvailable = PresenceOnline

func (p Presence) String() string {
	switch p {
	case PresenceOnline:
		return "Available"
	case PresenceInCall:
		return "In a call"
	case PresenceBusy:
		return "Busy"
	case PresenceAway:
		return "Away"
	}
	return "Offline"
}

// Reachable reports whether a call to someone with this presence can ring:
// busy and away still ring (the list shows why they may not answer); in a
// call or offline cannot.
func (p Presence) Reachable() bool {
	return p == PresenceOnline || p == PresenceBusy || p == PresenceAway
}

// Settable reports whether the user may choose p for themselves.
func (p Presence) Settable() bool {
	return p == PresenceOnline || p == PresenceBusy || p == PresenceAway
}

// SettablePresences are the statuses the user can choose, in menu order.
var SettablePresences = []Presence{PresenceOnline, PresenceBusy, PresenceAway}

func presenceOf(s signaling.Status) Presence {
	switch s {
	case signaling.StatusAvailable:
		return PresenceOnline
	case signaling.StatusBusy:
		return PresenceBusy
	case signaling.StatusAway:
		return PresenceAway
	case signaling.StatusInCall:
		return PresenceInCall
	}
	return PresenceOffline
}

func (p Presence) status() signaling.Status {
	switch p {
	case PresenceOnline:
		return signaling.StatusAvailable
	case PresenceBusy:
		return signaling.StatusBusy
	case PresenceAway:
		return signaling.StatusAway
	case PresenceInCall:
		return signaling.StatusInCall
	}
	return signaling.StatusOffline
}

// Contact is another user of the organization.
type Contact struct {
	ID       string
	Name     string
	Presence Presence
	// Unread counts chat messages from this contact not yet seen.
	Unread int
	// Trust is whether this contact's device keys were verified, or one
	// changed since.
	Trust Trust
}

// Label is the name to show, falling back to the id.
func (c Contact) Label() string {
	if c.Name != "" {
		return c.Name
	}
	return c.ID
}
