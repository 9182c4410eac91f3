package app

// Presence is what a contact is doing, as the server reports it.
type Presence int

const (
	PresenceOffline Presence = iota
	PresenceOnline
	PresenceInCall
)

func (p Presence) String() string {
	switch p {
	case PresenceOnline:
		return "Available"
	case PresenceInCall:
		return "In a call"
	}
	return "Offline"
}

// Contact is another user of the organization.
type Contact struct {
	ID       string
	Name     string
	Presence Presence
}

// Label is the name to show, falling back to the id.
func (c Contact) Label() string {
	if c.Name != "" {
		return c.Name
	}
	return c.ID
}
