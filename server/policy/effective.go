package policy

import (
	"fmt"
	"strconv"
)

// Source says which rule produced an effective policy.
type Source uint8

// Sources, weakest first.
const (
	SourceGlobal Source = iota // no grant applies: the Global policy
	SourceTenant               // granted to the tenant
	SourceGroup                // granted to one of the user's groups
	SourceUser                 // granted directly to the user
)

// String returns "global", "tenant", "group" or "user".
func (s Source) String() string {
	switch s {
	case SourceGlobal:
		return "global"
	case SourceTenant:
		return "tenant"
	case SourceGroup:
		return "group"
	case SourceUser:
		return "user"
	}
	return "Source(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText encodes String.
func (s Source) MarshalText() ([]byte, error) {
	if s > SourceUser {
		return nil, fmt.Errorf("%w: source %d", ErrInvalid, uint8(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText is the inverse of MarshalText.
func (s *Source) UnmarshalText(b []byte) error {
	for v := SourceGlobal; v <= SourceUser; v++ {
		if v.String() == string(b) {
			*s = v
			return nil
		}
	}
	return fmt.Errorf("%w: source %q", ErrInvalid, b)
}

// Effective is a user's resolved policy and why it won.
type Effective struct {
	UserID string `json:"user"`
	Policy Policy `json:"policy"`
	Source Source `json:"source"`
	Group  string `json:"group,omitempty"` // the winning group, for SourceGroup
	Rank   int    `json:"rank,omitempty"`  // its rank, for SourceGroup
}

// Reason explains the result in a sentence an admin can read.
func (e Effective) Reason() string {
	switch e.Source {
	case SourceUser:
		return "granted directly to the user"
	case SourceGroup:
		return fmt.Sprintf("granted to group %q (rank %d), the user's highest-ranked group with a grant", e.Group, e.Rank)
	case SourceTenant:
		return "granted to the tenant; no user or group grant applies"
	}
	return "the Global policy; no user, group or tenant grant applies"
}

// Same reports whether e and o give the client the same policy (name and
// settings), which is all a push carries.
func (e Effective) Same(o Effective) bool {
	a, b := e.Policy, o.Policy
	return a.Name == b.Name && a.E2EE == b.E2EE && a.AllowRecording == b.AllowRecording &&
		a.AllowCaptions == b.AllowCaptions && a.RetentionDays == b.RetentionDays &&
		a.AllowTransfer == b.AllowTransfer && a.AllowPark == b.AllowPark
}
