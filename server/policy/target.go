package policy

import (
	"fmt"
	"strings"
)

// TargetKind says what a grant applies to.
type TargetKind uint8

// Grant targets.
const (
	TargetTenant TargetKind = iota + 1 // the whole organization
	TargetGroup                        // every member of a group
	TargetUser                         // one user
)

// String returns "tenant", "group" or "user".
func (k TargetKind) String() string {
	switch k {
	case TargetTenant:
		return "tenant"
	case TargetGroup:
		return "group"
	case TargetUser:
		return "user"
	}
	return fmt.Sprintf("TargetKind(%d)", uint8(k))
}

// ParseTargetKind is the inverse of String.
func ParseTargetKind(s string) (TargetKind, error) {
	switch strings.ToLower(s) {
	case "tenant":
		return TargetTenant, nil
	case "group":
		return TargetGroup, nil
	case "user":
		return TargetUser, nil
	}
	return 0, fmt.Errorf("%w: target kind %q (want tenant, group or user)", ErrInvalid, s)
}

// MarshalText encodes String.
func (k TargetKind) MarshalText() ([]byte, error) {
	if k < TargetTenant || k > TargetUser {
		return nil, fmt.Errorf("%w: target kind %d", ErrInvalid, uint8(k))
	}
	return []byte(k.String()), nil
}

// UnmarshalText is ParseTargetKind.
func (k *TargetKind) UnmarshalText(b []byte) error {
	v, err := ParseTargetKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// MaxUserIDLen bounds user ids, as signaling does.
const MaxUserIDLen = 64

// Target is who a grant applies to. ID is empty for the tenant, the group
// name for a group and the user id for a user.
type Target struct {
	Kind TargetKind `json:"kind"`
	ID   string     `json:"id,omitempty"`
}

// Tenant targets the whole organization.
func Tenant() Target { return Target{Kind: TargetTenant} }

// GroupTarget targets the members of the named group.
func GroupTarget(name string) Target { return Target{Kind: TargetGroup, ID: name} }

// UserTarget targets one user.
func UserTarget(id string) Target { return Target{Kind: TargetUser, ID: id} }

// String is "tenant", "group:NAME" or "user:ID".
func (t Target) String() string {
	if t.Kind == TargetTenant {
		return "tenant"
	}
	return t.Kind.String() + ":" + t.ID
}

// Validate checks the kind and the id that goes with it.
func (t Target) Validate() error {
	switch t.Kind {
	case TargetTenant:
		if t.ID != "" {
			return fmt.Errorf("%w: tenant target takes no id", ErrInvalid)
		}
		return nil
	case TargetGroup:
		return ValidateName("group", t.ID)
	case TargetUser:
		if t.ID == "" || len(t.ID) > MaxUserIDLen {
			return fmt.Errorf("%w: user id must be 1 to %d bytes", ErrInvalid, MaxUserIDLen)
		}
		return nil
	}
	return fmt.Errorf("%w: target kind %d", ErrInvalid, uint8(t.Kind))
}

// Grant assigns a policy to a target. A target has at most one grant;
// granting again replaces it.
type Grant struct {
	Target Target `json:"target"`
	Policy string `json:"policy"`
}
